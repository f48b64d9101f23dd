/*
 * Copyright 2026 the fwupd Dell RBU plugins project maintainers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "fu-dell-compat.h"
#include "fu-dell-rbu-common.h"
#include "fu-dell-rbu-device.h"
#include "fu-dell-rbu-firmware.h"
#include "fu-dell-rbu-packets-firmware.h"
#include "fu-dell-rbu-sysfs.h"
#include "fu-dell-rbu-version.h"
#include "fu-dell-tables.h"

struct _FuDellRbuDevice {
	FuDevice parent_instance;
	guint16 system_id;
	gchar *mode_quirk; /* "mono" or "packet", NULL for the table's choice */
};

G_DEFINE_TYPE(FuDellRbuDevice, fu_dell_rbu_device, FU_TYPE_DEVICE)

static void
fu_dell_rbu_device_to_string(FuDevice *device, guint idt, GString *str)
{
	FuDellRbuDevice *self = FU_DELL_RBU_DEVICE(device);
	fwupd_codec_string_append_hex(str, idt, "SystemId", self->system_id);
	fwupd_codec_string_append(str, idt, "ModeQuirk", self->mode_quirk);
}

static gboolean
fu_dell_rbu_device_set_quirk_kv(FuDevice *device,
				const gchar *key,
				const gchar *value,
				GError **error)
{
	FuDellRbuDevice *self = FU_DELL_RBU_DEVICE(device);
	if (g_strcmp0(key, "DellRbuMode") == 0) {
		if (g_strcmp0(value, "mono") != 0 && g_strcmp0(value, "packet") != 0) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "DellRbuMode is '%s', expected mono or packet",
				    value);
			return FALSE;
		}
		g_free(self->mode_quirk);
		self->mode_quirk = g_strdup(value);
		return TRUE;
	}
	g_set_error_literal(
	    error, FWUPD_ERROR, FWUPD_ERROR_NOT_SUPPORTED, "quirk key not supported");
	return FALSE;
}

static FuFirmware *
fu_dell_rbu_device_prepare_firmware(FuDevice *device,
				    GInputStream *stream,
				    FuProgress *progress,
				    FuFirmwareParseFlags flags,
				    GError **error)
{
	FuDellRbuDevice *self = FU_DELL_RBU_DEVICE(device);
	g_autoptr(FuFirmware) firmware = fu_dell_rbu_firmware_new();

	if (!fu_firmware_parse_stream(firmware, stream, 0x0, flags, error))
		return NULL;
	if (!fu_dell_rbu_firmware_has_system_id(FU_DELL_RBU_FIRMWARE(firmware), self->system_id)) {
		g_autoptr(GArray) ids =
		    fu_dell_rbu_firmware_get_system_ids(FU_DELL_RBU_FIRMWARE(firmware));
		g_autoptr(GString) list = g_string_new(NULL);
		for (guint i = 0; i < ids->len; i++)
			g_string_append_printf(
			    list, "%s0x%04X", i > 0 ? ", " : "", g_array_index(ids, guint16, i));
		if ((flags & FU_FIRMWARE_PARSE_FLAG_IGNORE_VID_PID) == 0) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_NOT_SUPPORTED,
				    "this image is for Dell system %s, this machine is 0x%04X",
				    list->str,
				    self->system_id);
			return NULL;
		}
		g_warning("forced: this image is for Dell system %s, this machine is 0x%04X",
			  list->str,
			  self->system_id);
	}
	return g_steal_pointer(&firmware);
}

static FuDellRbuMode
fu_dell_rbu_device_get_mode(FuDellRbuDevice *self)
{
	FuDellRbuStatus status = {0};
	g_autoptr(GError) error_local = NULL;

	if (self->mode_quirk != NULL)
		return g_strcmp0(self->mode_quirk, "packet") == 0 ? FU_DELL_RBU_MODE_PACKET
								  : FU_DELL_RBU_MODE_MONO;
	if (!fu_dell_tables_get_rbu_status(
		fu_device_get_context(FU_DEVICE(self)), &status, &error_local)) {
		g_info("assuming monolithic mode: %s", error_local->message);
		return FU_DELL_RBU_MODE_MONO;
	}
	if (status.has_characteristics &&
	    (status.characteristics & FU_DELL_RBU_CHARACTERISTIC_PACKET) != 0)
		return FU_DELL_RBU_MODE_PACKET;
	return FU_DELL_RBU_MODE_MONO;
}

/* 64 KiB: whole 4 KiB packets */
#define FU_DELL_RBU_DEVICE_CHUNK 0x10000

static gboolean
fu_dell_rbu_device_fill_bytes(
    gpointer user_data, gsize offset, guint8 *buf, gsize bufsz, GError **error)
{
	return fu_memcpy_safe(buf,
			      bufsz,
			      0x0,
			      g_bytes_get_data(user_data, NULL),
			      g_bytes_get_size(user_data),
			      offset,
			      bufsz,
			      error);
}

static gboolean
fu_dell_rbu_device_fill_packets(
    gpointer user_data, gsize offset, guint8 *buf, gsize bufsz, GError **error)
{
	return fu_dell_rbu_packets_firmware_fill(user_data, offset, buf, bufsz, error);
}

/* a kexec restart skips the BIOS, which then never sees the staged image */
static gboolean
fu_dell_rbu_device_check_kexec(FuContext *ctx, FwupdInstallFlags flags, GError **error)
{
	g_autofree gchar *sysfs = fu_dell_compat_get_path(ctx, FU_PATH_KIND_SYSFSDIR);
	g_autofree gchar *fn = g_build_filename(sysfs, "kernel", "kexec_loaded", NULL);
	g_autofree gchar *buf = NULL;

	if ((flags & FWUPD_INSTALL_FLAG_FORCE) > 0)
		return TRUE;
	if (!g_file_get_contents(fn, &buf, NULL, NULL))
		return TRUE;
	if (g_strcmp0(g_strstrip(buf), "1") != 0)
		return TRUE;
	g_set_error_literal(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_NOT_SUPPORTED,
			    "a kexec kernel is loaded, so the next restart would skip the BIOS and "
			    "lose the staged update: unload it with 'kexec -u' and try again, "
			    "or use --force");
	return FALSE;
}

static void
fu_dell_rbu_device_forget_staged(FuDellRbuDevice *self)
{
	FuDevice *device = FU_DEVICE(self);
	g_ptr_array_set_size(fwupd_device_get_releases(FWUPD_DEVICE(self)), 0);
	fu_device_set_metadata_boolean(device, FU_DELL_RBU_METADATA_STAGED, FALSE);
	fu_device_set_metadata_boolean(device, FU_DELL_RBU_METADATA_ARMED, FALSE);
	fu_device_remove_metadata(device, FU_DELL_RBU_METADATA_ARM_ERROR);
}

/* fwupd 2.0 gives clients a device's update message only as a request
 * during the install; GNOME Software 43 (Debian 12's, built for fwupd 2.0)
 * reads it from the device's default release once the install returned,
 * and otherwise never tells its user not to power off. The armed image is
 * that release, until the reboot. */
static void
fu_dell_rbu_device_add_staged_release(FuDellRbuDevice *self, const gchar *version)
{
	g_autoptr(FwupdRelease) release = fwupd_release_new();

	fwupd_release_set_version(release, version);
	fwupd_release_set_update_message(release, FU_DELL_RBU_STAGED_MESSAGE);
	fwupd_device_add_release(FWUPD_DEVICE(self), release);
}

/* Inside the write that fwupd waits for, before it records success: the
 * dell_smi plugin sets the flag as the private flag appears. An image it
 * could not arm is freed, so that nothing flashable is left behind. */
static gboolean
fu_dell_rbu_device_arm(FuDellRbuDevice *self,
		       FuDellRbuMode mode,
		       const gchar *version,
		       GError **error)
{
	FuContext *ctx = fu_device_get_context(FU_DEVICE(self));
	FuDevice *device = FU_DEVICE(self);
	const gchar *why;

	fu_device_set_metadata_boolean(device, FU_DELL_RBU_METADATA_STAGED, TRUE);
	/* a signal, not a state: never left set for a later notification */
	fu_device_add_private_flag(device, FU_DELL_RBU_PRIVATE_FLAG_STAGED);
	fu_device_remove_private_flag(device, FU_DELL_RBU_PRIVATE_FLAG_STAGED);
	if (fu_device_get_metadata_boolean(device, FU_DELL_RBU_METADATA_ARMED)) {
		fu_device_set_update_message(device, FU_DELL_RBU_STAGED_MESSAGE);
		fu_dell_rbu_device_add_staged_release(self, version);
		return TRUE;
	}
	why = fu_device_get_metadata(device, FU_DELL_RBU_METADATA_ARM_ERROR);
	g_set_error(error,
		    FWUPD_ERROR,
		    FWUPD_ERROR_WRITE,
		    "the image was staged but the BIOS update flag was not set, so it was "
		    "freed: %s",
		    why != NULL ? why : "no plugin set it (the dell_smi plugin is not loaded)");
	fu_dell_rbu_sysfs_unstage(ctx, mode);
	fu_dell_rbu_device_forget_staged(self);
	return FALSE;
}

/* before anything is staged, the history says pending: whatever stops fwupd
 * from here on, the next boot resolves the entry with the BIOS's result */
static gboolean
fu_dell_rbu_device_prepare(FuDevice *device,
			   FuProgress *progress,
			   FwupdInstallFlags flags,
			   GError **error)
{
	fu_device_set_update_state(device, FWUPD_UPDATE_STATE_PENDING);
	return TRUE;
}

/* an image the driver still holds when fwupd starts: dell_smi then tells
 * whether the flag is set over it */
void
fu_dell_rbu_device_find_staged(FuDellRbuDevice *self)
{
	FuContext *ctx = fu_device_get_context(FU_DEVICE(self));
	FuDevice *device = FU_DEVICE(self);
	gboolean held = FALSE;
	g_autoptr(GError) error_local = NULL;

	if (!fu_dell_rbu_sysfs_holds_image(ctx, &held, &error_local)) {
		g_info("cannot tell whether an image is staged: %s", error_local->message);
		return;
	}
	if (held) {
		g_info("the driver holds a staged image");
		fu_device_set_metadata_boolean(device, FU_DELL_RBU_METADATA_STAGED, TRUE);
	}
}

/* registered after dell_smi has read the flag: an image left staged without
 * it by a fwupd that stopped during an update is freed */
void
fu_dell_rbu_device_unstage_unarmed(FuDellRbuDevice *self)
{
	FuContext *ctx = fu_device_get_context(FU_DEVICE(self));
	FuDevice *device = FU_DEVICE(self);
	if (!fu_device_get_metadata_boolean(device, FU_DELL_RBU_METADATA_STAGED) ||
	    !fu_device_get_metadata_boolean(device, FU_DELL_RBU_METADATA_FLAG_READ) ||
	    fu_device_get_metadata_boolean(device, FU_DELL_RBU_METADATA_ARMED))
		return;
	g_warning("an image was left staged without the BIOS update flag (fwupd stopped during "
		  "an update): freeing it");
	fu_dell_rbu_sysfs_unstage(ctx, fu_dell_rbu_device_get_mode(self));
	fu_dell_rbu_device_forget_staged(self);
}

/* packets of an older staging left in RAM can never join this set */
static guint32
fu_dell_rbu_device_fresh_set_id(void)
{
	guint32 set_id;
	do {
		set_id = g_random_int();
	} while (set_id == 0 || set_id == FU_DELL_RBU_PACKET_SET_ID_DEFAULT);
	return set_id;
}

static gboolean
fu_dell_rbu_device_write_firmware(FuDevice *device,
				  FuFirmware *firmware,
				  FuProgress *progress,
				  FwupdInstallFlags flags,
				  GError **error)
{
	FuContext *ctx = fu_device_get_context(device);
	FuDellRbuDevice *self = FU_DELL_RBU_DEVICE(device);
	FuDellRbuMode mode = fu_dell_rbu_device_get_mode(self);
	FuDellRbuSource source = {.chunk = FU_DELL_RBU_DEVICE_CHUNK};
	g_autoptr(GBytes) hdr = NULL;
	g_autoptr(FuFirmware) packets = NULL;

	fu_dell_rbu_device_forget_staged(self);

	/* fwupd compares versions as plain strings; Dell's order is the BIOS's */
	if (fu_dell_rbu_version_compare(fu_firmware_get_version(firmware),
					fu_device_get_version(device)) <= 0 &&
	    (flags & (FWUPD_INSTALL_FLAG_ALLOW_OLDER | FWUPD_INSTALL_FLAG_ALLOW_REINSTALL)) == 0) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_NOT_SUPPORTED,
			    "BIOS %s is not newer than the running %s in Dell's version order",
			    fu_firmware_get_version(firmware),
			    fu_device_get_version(device));
		return FALSE;
	}
	if (!fu_dell_rbu_device_check_kexec(ctx, flags, error))
		return FALSE;
	hdr = fu_firmware_get_bytes(firmware, error);
	if (hdr == NULL)
		return FALSE;
	if (mode == FU_DELL_RBU_MODE_PACKET) {
		packets = fu_dell_rbu_packets_firmware_new();
		fu_firmware_set_bytes(packets, hdr);
		fu_dell_rbu_packets_firmware_set_set_id(FU_DELL_RBU_PACKETS_FIRMWARE(packets),
							fu_dell_rbu_device_fresh_set_id());
		if (!fu_dell_rbu_packets_firmware_prepare(FU_DELL_RBU_PACKETS_FIRMWARE(packets),
							  error))
			return FALSE;
		source.size = fu_dell_rbu_packets_firmware_get_stream_size(
		    FU_DELL_RBU_PACKETS_FIRMWARE(packets));
		source.fill = fu_dell_rbu_device_fill_packets;
		source.user_data = packets;
	} else {
		source.size = g_bytes_get_size(hdr);
		source.fill = fu_dell_rbu_device_fill_bytes;
		source.user_data = hdr;
	}
	g_info("staging %" G_GSIZE_FORMAT " bytes in %s mode",
	       source.size,
	       mode == FU_DELL_RBU_MODE_PACKET ? "packet" : "monolithic");
	if (!fu_dell_rbu_sysfs_stage(
		ctx, mode, FU_DELL_RBU_PACKET_SIZE_DEFAULT, &source, progress, error))
		return FALSE;
	return fu_dell_rbu_device_arm(self, mode, fu_firmware_get_version(firmware), error);
}

/* the BIOS's completion code of the last update, after the reboot */
static gboolean
fu_dell_rbu_device_get_results(FuDevice *device, GError **error)
{
	struct {
		guint16 code;
		const gchar *what;
		gboolean transient;
	} codes[] = {
	    {0x0001, "the image failed the BIOS's consistency checks", FALSE},
	    {0x0002, "the flash part was not accessible", FALSE},
	    {0x0003, "the flash part was not ready for erase", FALSE},
	    {0x0004, "flash programming is disabled or the voltage is low", FALSE},
	    {0x0005, "a battery is needed", TRUE},
	    {0x0006, "a fully charged battery is needed", TRUE},
	    {0x0007, "the AC adapter is needed", TRUE},
	    {0x0008, "12 V could not be set", FALSE},
	    {0x0009, "12 V could not be removed", FALSE},
	    {0x000A, "a block erase failed", FALSE},
	    {0x000B, "programming failed", FALSE},
	    {0x000C, "the flash did not verify", FALSE},
	    {0x000D, "the BIOS found no image in memory", FALSE},
	    {0xFFFF, "the BIOS performed no update", FALSE},
	};
	FuDellRbuStatus status = {0};
	const gchar *what = "a code this plugin does not know";
	gboolean transient = FALSE;
	g_autofree gchar *msg = NULL;

	if (!fu_dell_tables_get_rbu_status(fu_device_get_context(device), &status, error))
		return FALSE;
	/* asked only when the running version is not the one installed */
	if (status.completion_code == 0x0000) {
		fu_device_set_update_state(device, FWUPD_UPDATE_STATE_FAILED);
		fu_device_set_update_error(
		    device,
		    "the BIOS did not flash the update: it was interrupted "
		    "before the restart, or the BIOS found nothing to flash");
		return TRUE;
	}
	for (guint i = 0; i < G_N_ELEMENTS(codes); i++) {
		if (codes[i].code == status.completion_code) {
			what = codes[i].what;
			transient = codes[i].transient;
			break;
		}
	}
	msg = g_strdup_printf("BIOS update failed (0x%04X): %s", status.completion_code, what);
	fu_device_set_update_state(
	    device, transient ? FWUPD_UPDATE_STATE_FAILED_TRANSIENT : FWUPD_UPDATE_STATE_FAILED);
	fu_device_set_update_error(device, msg);
	return TRUE;
}

static void
fu_dell_rbu_device_set_progress(FuDevice *device, FuProgress *progress)
{
	fu_progress_set_id(progress, G_STRLOC);
	/* nothing restarts: the image is written to memory, and the BIOS is
	 * scheduled to flash it on the next warm reboot */
	fu_progress_add_step(progress, FWUPD_STATUS_DECOMPRESSING, 1, "prepare-fw");
	fu_progress_add_step(progress, FWUPD_STATUS_DEVICE_WRITE, 0, "detach");
	fu_progress_add_step(progress, FWUPD_STATUS_DEVICE_WRITE, 98, "write");
	fu_progress_add_step(progress, FWUPD_STATUS_SCHEDULING, 0, "attach");
	fu_progress_add_step(progress, FWUPD_STATUS_SCHEDULING, 1, "reload");
}

static void
fu_dell_rbu_device_init(FuDellRbuDevice *self)
{
	FuDevice *device = FU_DEVICE(self);
	fu_device_set_name(device, FU_DELL_RBU_NAME);
	fu_device_set_summary(device, "Dell BIOS, updated through Remote BIOS Update");
	fu_device_set_vendor(device, "Dell Inc.");
	fu_device_add_vendor_id(device, "DMI:Dell Inc.");
	fu_device_add_protocol(device, FU_DELL_RBU_PROTOCOL);
	fu_device_set_physical_id(device, "dell_rbu");
	fu_device_set_logical_id(device, "bios");
	fu_device_add_icon(device, "computer");
	fu_device_set_version_format(device, FWUPD_VERSION_FORMAT_PLAIN);
	fu_device_add_flag(device, FWUPD_DEVICE_FLAG_INTERNAL);
	fu_device_add_flag(device, FWUPD_DEVICE_FLAG_UPDATABLE);
	fu_device_add_flag(device, FWUPD_DEVICE_FLAG_NEEDS_REBOOT);
	fu_device_add_flag(device, FWUPD_DEVICE_FLAG_REQUIRE_AC);
	fu_device_add_private_flag(device, FU_DEVICE_PRIVATE_FLAG_HOST_FIRMWARE);
	fu_dell_compat_device_register_private_flag(device, FU_DELL_RBU_PRIVATE_FLAG_STAGED);
}

static void
fu_dell_rbu_device_finalize(GObject *object)
{
	FuDellRbuDevice *self = FU_DELL_RBU_DEVICE(object);
	g_free(self->mode_quirk);
	G_OBJECT_CLASS(fu_dell_rbu_device_parent_class)->finalize(object);
}

static void
fu_dell_rbu_device_class_init(FuDellRbuDeviceClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	FuDeviceClass *device_class = FU_DEVICE_CLASS(klass);
	object_class->finalize = fu_dell_rbu_device_finalize;
	device_class->to_string = fu_dell_rbu_device_to_string;
	device_class->set_quirk_kv = fu_dell_rbu_device_set_quirk_kv;
	device_class->prepare_firmware = fu_dell_rbu_device_prepare_firmware;
	device_class->prepare = fu_dell_rbu_device_prepare;
	device_class->write_firmware = fu_dell_rbu_device_write_firmware;
	device_class->get_results = fu_dell_rbu_device_get_results;
	device_class->set_progress = fu_dell_rbu_device_set_progress;
	fu_dell_compat_device_class_register_private_flag(device_class,
							  FU_DELL_RBU_PRIVATE_FLAG_STAGED);
}

FuDellRbuDevice *
fu_dell_rbu_device_new(FuContext *ctx, guint16 system_id)
{
	FuDellRbuDevice *self = g_object_new(FU_TYPE_DELL_RBU_DEVICE, "context", ctx, NULL);
	self->system_id = system_id;
	return self;
}
