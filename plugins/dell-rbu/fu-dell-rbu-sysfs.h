/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <fwupdplugin.h>

typedef enum {
	FU_DELL_RBU_MODE_MONO,
	FU_DELL_RBU_MODE_PACKET,
} FuDellRbuMode;

gchar *fu_dell_rbu_sysfs_path(const gchar *file);
gchar *fu_dell_rbu_sysfs_loader_path(const gchar *file);
gboolean fu_dell_rbu_sysfs_check(GError **error);
gboolean fu_dell_rbu_sysfs_stage(
    FuDellRbuMode mode, guint32 packet_size, GBytes *blob, FuProgress *progress, GError **error);
void fu_dell_rbu_sysfs_cancel(void);
