/*
 * Copyright 2026 the fwupd Dell RBU plugins project maintainers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <fwupdplugin.h>

/* the differences between the fwupd versions the plugins build against: 2.0.20
 * (Debian 12 and 13) and 2.1.7 (Debian 13's backports); the build uses the source
 * of exactly the installed fwupd, so releases between them are not targets */

/* 2.1 keeps the paths in the context's FuPathStore, which no longer reads
 * FWUPD_SYSFSDIR, FWUPD_DEVFS or FWUPD_SYSFSSECURITYDIR; its plugin API takes
 * the firmware and device classes where 2.0 took instances */
#define FU_DELL_COMPAT_FWUPD_2_1 FWUPD_CHECK_VERSION(2, 1, 6)

#if FWUPD_CHECK_VERSION(2, 1, 1)
#include "fu-crc-private.h"
#else
#include <zlib.h>
#endif

/* CRC-32 without its final XOR (JAMCRC), at zlib's speed: fu_crc32() is
 * bitwise, and fu_crc32_fast() (zlib's crc32_z) arrived in fwupd 2.1.1 */
static inline guint32
fu_dell_compat_crc32_jamcrc(const guint8 *buf, gsize bufsz)
{
#if FWUPD_CHECK_VERSION(2, 1, 1)
	return fu_crc32_fast(buf, bufsz, 0) ^ 0xFFFFFFFF;
#else
	return (guint32)crc32_z(0, buf, bufsz) ^ 0xFFFFFFFF;
#endif
}

/* the directory of KIND as the plugin's context has it (2.1) or the
 * environment says (2.0); never NULL */
static inline gchar *
fu_dell_compat_get_path(FuContext *ctx, FuPathKind kind)
{
#if FU_DELL_COMPAT_FWUPD_2_1
	g_autoptr(GError) error_local = NULL;
	const gchar *path = fu_context_get_path(ctx, kind, &error_local);
	if (path == NULL) {
		g_warning("%s", error_local->message);
		return g_strdup("/nonexistent");
	}
	return g_strdup(path);
#else
	return fu_path_from_kind(kind);
#endif
}

static inline void
fu_dell_compat_plugin_add_device(FuPlugin *plugin, FuDevice *device)
{
#if FU_DELL_COMPAT_FWUPD_2_1
	fu_plugin_add_device(plugin, device);
#else
	fu_plugin_device_add(plugin, device);
#endif
}

/* 2.1 names the firmware type by its GType alone */
static inline void
fu_dell_compat_plugin_add_firmware_gtype(FuPlugin *plugin, const gchar *id, GType gtype)
{
#if FU_DELL_COMPAT_FWUPD_2_1
	fu_plugin_add_firmware_gtype(plugin, gtype);
#else
	fu_plugin_add_firmware_gtype(plugin, id, gtype);
#endif
}

/* a firmware type's limits (images, largest stream parsed) are the class's
 * in 2.1 and each instance's in 2.0: class_init and init both call, and each
 * call does nothing in the version where the other applies; 2.1's own builds
 * (not SUPPORTED_BUILD) are critical about a class that leaves the default
 * size. The private flags below follow the same split */
static inline void
fu_dell_compat_firmware_class_set_limits(FuFirmwareClass *klass, guint images_max, gsize size_max)
{
#if FU_DELL_COMPAT_FWUPD_2_1
	fu_firmware_set_images_max(klass, images_max);
	fu_firmware_set_size_max(klass, size_max);
#endif
}

static inline void
fu_dell_compat_firmware_set_limits(FuFirmware *firmware, guint images_max, gsize size_max)
{
#if !FU_DELL_COMPAT_FWUPD_2_1
	fu_firmware_set_images_max(firmware, images_max);
	fu_firmware_set_size_max(firmware, size_max);
#endif
}

static inline void
fu_dell_compat_device_class_register_private_flag(FuDeviceClass *klass, const gchar *flag)
{
#if FU_DELL_COMPAT_FWUPD_2_1
	fu_device_register_private_flag(klass, flag);
#endif
}

static inline void
fu_dell_compat_device_register_private_flag(FuDevice *device, const gchar *flag)
{
#if !FU_DELL_COMPAT_FWUPD_2_1
	fu_device_register_private_flag(device, flag);
#endif
}
