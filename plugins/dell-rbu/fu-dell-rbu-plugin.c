/*
 * Copyright 2026 the fwupd Dell RBU plugins project maintainers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "fu-dell-compat.h"
#include "fu-dell-platform.h"
#include "fu-dell-rbu-device.h"
#include "fu-dell-rbu-firmware.h"
#include "fu-dell-rbu-sysfs.h"
#include "fu-dell-rbu-version.h"
#include "fu-dell-rbu-packets-firmware.h"
#include "fu-dell-rbu-plugin.h"

static void
fu_dell_rbu_plugin_constructed(GObject *obj)
{
	/* a module's vfunc: no parent class to chain up to */ /* nocheck:finalize */
	FuPlugin *plugin = FU_PLUGIN(obj);
	fu_context_add_runtime_version(
	    fu_plugin_get_context(plugin), "fwupd-dell-rbu", PACKAGE_VERSION);
	fu_dell_compat_plugin_add_firmware_gtype(plugin, "dell-rbu", FU_TYPE_DELL_RBU_FIRMWARE);
	fu_dell_compat_plugin_add_firmware_gtype(
	    plugin, "dell-rbu-packets", FU_TYPE_DELL_RBU_PACKETS_FIRMWARE);
	fu_plugin_add_device_gtype(plugin, FU_TYPE_DELL_RBU_DEVICE);
	fu_context_add_quirk_key(fu_plugin_get_context(plugin), "DellRbuMode");
	fu_plugin_add_rule(plugin, FU_PLUGIN_RULE_RUN_AFTER, "dell_smi");
}

/* the device is listed even when it cannot be updated, saying why */
static gboolean
fu_dell_rbu_plugin_coldplug(FuPlugin *plugin, FuProgress *progress, GError **error)
{
	FuContext *ctx = fu_plugin_get_context(plugin);
	FuDellPlatformId id = {0};
	g_autofree gchar *version = NULL;
	g_autoptr(FuDellRbuDevice) device = NULL;
	g_autoptr(GError) error_local = NULL;

	if (!fu_dell_platform_get_id(ctx, &id, error))
		return FALSE;
	version = fu_dell_platform_get_bios_version(ctx, &id, error);
	if (version == NULL)
		return FALSE;
	device = fu_dell_rbu_device_new(ctx, id.system_id);
	fu_device_set_version_format(FU_DEVICE(device), fu_dell_rbu_version_format(version));
	fu_device_set_version(FU_DEVICE(device), version);
	fu_device_add_instance_u16(FU_DEVICE(device), "SYSID", id.system_id);
	if (!fu_device_build_instance_id(FU_DEVICE(device), error, "DELL-RBU", "SYSID", NULL))
		return FALSE;
	if (!fu_dell_rbu_sysfs_check(ctx, &error_local))
		fu_device_inhibit(FU_DEVICE(device), "dell-rbu-interface", error_local->message);
	else
		fu_dell_rbu_device_find_staged(device);
	fu_dell_compat_plugin_add_device(plugin, FU_DEVICE(device));
	return TRUE;
}

static gboolean
fu_dell_rbu_plugin_startup(FuPlugin *plugin, FuProgress *progress, GError **error)
{
	return fu_dell_platform_check_vendor(fu_plugin_get_context(plugin), error);
}

/* dell_smi, which runs first, has read the flag */
static void
fu_dell_rbu_plugin_device_registered(FuPlugin *plugin, FuDevice *device)
{
	if (FU_IS_DELL_RBU_DEVICE(device))
		fu_dell_rbu_device_unstage_unarmed(FU_DELL_RBU_DEVICE(device));
}

static void
fu_dell_rbu_plugin_set_vfuncs(FuPluginVfuncs *vfuncs)
{
	vfuncs->constructed = fu_dell_rbu_plugin_constructed;
	vfuncs->device_registered = fu_dell_rbu_plugin_device_registered;
	vfuncs->startup = fu_dell_rbu_plugin_startup;
	vfuncs->coldplug = fu_dell_rbu_plugin_coldplug;
}

/* built into fwupd (tests/intree): a FuPlugin subclass, as fwupd's own plugins are */
struct _FuDellRbuPlugin {
	FuPlugin parent_instance;
};

G_DEFINE_TYPE(FuDellRbuPlugin, fu_dell_rbu_plugin, FU_TYPE_PLUGIN)

static void
fu_dell_rbu_plugin_init(FuDellRbuPlugin *self)
{
}

static void
fu_dell_rbu_plugin_class_init(FuDellRbuPluginClass *klass)
{
	fu_dell_rbu_plugin_set_vfuncs(FU_PLUGIN_CLASS(klass));
}

#ifndef FU_DELL_RBU_IN_TREE
/* a module of the installed fwupd: its loader takes the same vfuncs from here */
void
fu_plugin_init_vfuncs(FuPluginVfuncs *vfuncs)
{
	fu_dell_rbu_plugin_set_vfuncs(vfuncs);
}
#endif
