/*
 * Copyright 2026 the fwupd Dell RBU plugins project maintainers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <fwupdplugin.h>

#include "fu-dell-rbu-firmware.h"
#include "fu-dell-rbu-packets-firmware.h"

/* FUZZ_GTYPE selects the firmware type under test */

static void
fu_fuzzer_log_cb(const gchar *log_domain,
		 GLogLevelFlags log_level,
		 const gchar *message,
		 gpointer user_data)
{
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const guint8 *data, gsize size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	g_log_set_default_handler(fu_fuzzer_log_cb, NULL);
	g_log_set_always_fatal(G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL);
	return 0;
}

/* a strict parse must write back what it read, and re-parse to the same */
int
LLVMFuzzerTestOneInput(const guint8 *data, gsize size)
{
	FuFirmwareParseFlags flags = FU_FIRMWARE_PARSE_FLAG_NONE;
	g_autoptr(FuFirmware) firmware = g_object_new(FUZZ_GTYPE, NULL);
	g_autoptr(FuFirmware) again = g_object_new(FUZZ_GTYPE, NULL);
	g_autoptr(GBytes) blob = g_bytes_new_static(data, size);
	g_autoptr(GBytes) written = NULL;
	g_autoptr(GBytes) payload = NULL;
	g_autoptr(GBytes) payload_again = NULL;
	g_autofree gchar *xml = NULL;

	if (size > 0 && (data[0] & 0x80) != 0)
		flags |= FU_FIRMWARE_PARSE_FLAG_IGNORE_CHECKSUM;
	if (!fu_firmware_parse_bytes(firmware, blob, 0x0, flags, NULL))
		return 0;
	xml = fu_firmware_export_to_xml(firmware, FU_FIRMWARE_EXPORT_FLAG_NONE, NULL);
	written = fu_firmware_write(firmware, NULL);
	if (written == NULL)
		return 0;
	if (!fu_firmware_parse_bytes(again, written, 0x0, FU_FIRMWARE_PARSE_FLAG_NONE, NULL))
		__builtin_trap();
	payload = fu_firmware_get_bytes(firmware, NULL);
	payload_again = fu_firmware_get_bytes(again, NULL);
	if (FUZZ_STRICT_ROUND_TRIP && flags == FU_FIRMWARE_PARSE_FLAG_NONE &&
	    !g_bytes_equal(written, blob))
		__builtin_trap();
	if (flags == FU_FIRMWARE_PARSE_FLAG_NONE && !g_bytes_equal(payload, payload_again))
		__builtin_trap();
	return 0;
}
