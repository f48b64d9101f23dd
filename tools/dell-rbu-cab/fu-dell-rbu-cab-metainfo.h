/*
 * Copyright 2026 the fwupd Dell RBU plugins project maintainers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "fu-dell-rbu-firmware.h"

typedef struct {
	const gchar *name;	     /* the model, checked by fu_dell_rbu_cab_check_name() */
	const gchar *filename;	     /* the image's name inside the cabinet */
	const gchar *version_format; /* as the BIOS device compares versions */
	const gchar *date;	     /* YYYY-MM-DD */
	const gchar *urgency;	     /* low, medium, high, critical, or NULL */
} FuDellRbuCabRelease;

gchar *fu_dell_rbu_cab_instance_id(guint16 system_id);
gchar *fu_dell_rbu_cab_check_name(const gchar *name, GError **error);
gchar *fu_dell_rbu_cab_metainfo(FuDellRbuFirmware *firmware,
				const FuDellRbuCabRelease *release,
				GError **error);
