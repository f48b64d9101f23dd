/*
 * Copyright 2026 the fwupd Dell RBU plugins project maintainers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <fwupdplugin.h>

gboolean fu_dell_smi_cmos_read(FuContext *ctx,
			       guint16 index_port,
			       guint16 data_port,
			       guint8 location,
			       guint8 *value,
			       GError **error);
gboolean fu_dell_smi_cmos_write(FuContext *ctx,
				guint16 index_port,
				guint16 data_port,
				guint8 location,
				guint8 value,
				GError **error);
guint16 fu_dell_smi_cmos_checksum(guint8 check_type, const guint8 *buf, gsize bufsz);
