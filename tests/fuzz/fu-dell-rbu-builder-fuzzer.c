/*
 * Copyright 2026 the fwupd Dell RBU plugins project maintainers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <fwupdplugin.h>

#include "fu-dell-builder.h"
#include "fu-dell-rbu-firmware.h"
#include "fu-dell-rbu-packets-firmware.h"

/* FUZZ_GTYPE selects the firmware type whose builder XML is fuzzed */

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

/* what build() accepts, write() must lay out; a .hdr must then parse back */
int
LLVMFuzzerTestOneInput(const guint8 *data, gsize size)
{
	g_autofree gchar *xml = g_strndup((const gchar *)data, size);
	g_autoptr(FuFirmware) firmware = g_object_new(FUZZ_GTYPE, NULL);
	g_autoptr(FuFirmware) again = g_object_new(FUZZ_GTYPE, NULL);
	g_autoptr(GBytes) written = NULL;

	if (!fu_dell_builder_build(xml, firmware, NULL))
		return 0;
	written = fu_firmware_write(firmware, NULL);
	if (written == NULL)
		return 0;
	if (FUZZ_GTYPE == FU_TYPE_DELL_RBU_FIRMWARE &&
	    !fu_firmware_parse_bytes(again, written, 0x0, FU_FIRMWARE_PARSE_FLAG_NONE, NULL))
		__builtin_trap();
	return 0;
}
