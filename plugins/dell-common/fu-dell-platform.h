/*
 * Copyright 2026 the fwupd Dell RBU plugins project maintainers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <fwupdplugin.h>

#include "fu-dell-common-struct.h"

gboolean fu_dell_platform_check_vendor(FuContext *ctx, GError **error);
typedef struct {
	guint16 system_id;
	FuDellSystemIdSource source;
	gchar probe_version[4]; /* from a BIOS memory area, if the ID came from one */
} FuDellPlatformId;

gboolean fu_dell_platform_get_id(FuContext *ctx, FuDellPlatformId *id, GError **error);
gchar *
fu_dell_platform_get_bios_version(FuContext *ctx, const FuDellPlatformId *id, GError **error);
