/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <fwupdplugin.h>

#include "fu-dell-tables.h"

gboolean fu_dell_smi_token_is_active(const FuDellToken *token, gboolean *active, GError **error);
gboolean fu_dell_smi_token_activate(GPtrArray *tokens,
				    const FuDellToken *token,
				    const guint32 *security_key,
				    GError **error);
guint16 fu_dell_smi_cmos_checksum(guint8 check_type, const guint8 *buf, gsize bufsz);
