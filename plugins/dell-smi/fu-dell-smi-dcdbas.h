/*
 * Copyright 2026 the fwupd Dell RBU plugins project maintainers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <fwupdplugin.h>

/* one calling-interface request and the BIOS's answer */
typedef struct {
	guint16 cb_class;
	guint16 cb_select;
	guint32 args[4];
	gint32 res[4];
	GByteArray *to_bios; /* optional: passed after the buffer, its address in cbARG1 */
	gboolean secret;     /* carries a password or key: dcdbas's buffer is cleared after */
} FuDellSmiCall;

#define FU_DELL_SMI_RES_SUCCESS	      0
#define FU_DELL_SMI_RES_ERROR	      -1
#define FU_DELL_SMI_RES_NOT_SUPPORTED -2
#define FU_DELL_SMI_RES_NOT_HANDLED   -3

gboolean fu_dell_smi_dcdbas_call(
    FuContext *ctx, guint16 cmd_address, guint8 cmd_code, FuDellSmiCall *call, GError **error);
const gchar *fu_dell_smi_dcdbas_result_to_string(gint32 res);
void fu_dell_smi_dcdbas_call_wipe(FuDellSmiCall *call);
