/*
 * Copyright 2026 the fwupd Dell RBU plugins project maintainers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <fwupdplugin.h>

typedef enum {
	FU_DELL_RBU_MODE_MONO,
	FU_DELL_RBU_MODE_PACKET,
} FuDellRbuMode;

/* what is staged, produced a chunk at a time so that it is never held whole:
 * fill() gives the bytes at an offset that is a multiple of chunk */
typedef gboolean (*FuDellRbuSourceFillFunc)(
    gpointer user_data, gsize offset, guint8 *buf, gsize bufsz, GError **error);
typedef struct {
	gsize size;
	gsize chunk;
	FuDellRbuSourceFillFunc fill;
	gpointer user_data;
} FuDellRbuSource;

gboolean fu_dell_rbu_sysfs_check(FuContext *ctx, GError **error);
gboolean fu_dell_rbu_sysfs_holds_image(FuContext *ctx, gboolean *held, GError **error);
void fu_dell_rbu_sysfs_unstage(FuContext *ctx, FuDellRbuMode mode);
gboolean fu_dell_rbu_sysfs_stage(FuContext *ctx,
				 FuDellRbuMode mode,
				 guint32 packet_size,
				 const FuDellRbuSource *source,
				 FuProgress *progress,
				 GError **error);
