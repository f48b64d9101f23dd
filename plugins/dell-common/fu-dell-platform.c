/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "fu-dell-platform.h"

#define FU_DELL_SMBIOS_OFFSET_MANUFACTURER 0x04

static const gchar *dell_vendor_names[] = { "Dell Inc.", "Dell Computer Corporation", NULL };

static gboolean
fu_dell_platform_vendor_is_dell(const gchar *vendor)
{
	g_autofree gchar *stripped = g_strchomp(g_strdup(vendor));
	return g_strv_contains(dell_vendor_names, stripped);
}

/* the system manufacturer (type 1) decides; old BIOSes may only fill type 0 */
gboolean
fu_dell_platform_check_vendor(FuContext *ctx, GError **error)
{
	const guint8 types[] = { FU_SMBIOS_STRUCTURE_TYPE_SYSTEM, FU_SMBIOS_STRUCTURE_TYPE_BIOS };
	const gchar *seen = NULL;

	for (guint i = 0; i < G_N_ELEMENTS(types); i++) {
		const gchar *vendor =
		    fu_context_get_smbios_string(ctx,
						 types[i],
						 FU_SMBIOS_STRUCTURE_LENGTH_ANY,
						 FU_DELL_SMBIOS_OFFSET_MANUFACTURER,
						 NULL);
		if (vendor == NULL)
			continue;
		if (fu_dell_platform_vendor_is_dell(vendor))
			return TRUE;
		if (seen == NULL)
			seen = vendor;
	}
	if (seen == NULL) {
		g_set_error_literal(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_NOT_SUPPORTED,
				    "not a Dell system: SMBIOS names no manufacturer");
		return FALSE;
	}
	g_set_error(error,
		    FWUPD_ERROR,
		    FWUPD_ERROR_NOT_SUPPORTED,
		    "not a Dell system: SMBIOS manufacturer is '%s'",
		    seen);
	return FALSE;
}
