/*
 * Copyright 2026 the fwupd Dell RBU plugins project maintainers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "fu-dell-smi-cmos.h"
#include "fu-dell-smi-dcdbas.h"
#include "fu-dell-smi-password.h"
#include "fu-dell-smi-token.h"

#define FU_DELL_SMI_CLASS_TOKEN_READ  0
#define FU_DELL_SMI_CLASS_TOKEN_WRITE 1

static gboolean
fu_dell_smi_token_cmos_range_fix(FuContext *ctx, const FuDellToken *t, GError **error)
{
	gsize len = (gsize)t->check_end - t->check_start + 1;
	guint width = t->check_type == 1 ? 1 : 2;
	guint8 stored[2] = {0};
	guint8 want[2] = {0};
	g_autofree guint8 *buf = g_malloc0(len);
	guint16 sum;

	for (gsize i = 0; i < len; i++) {
		if (!fu_dell_smi_cmos_read(
			ctx, t->index_port, t->data_port, t->check_start + i, &buf[i], error))
			return FALSE;
	}
	sum = fu_dell_smi_cmos_checksum(t->check_type, buf, len);
	/* big-endian: the high byte at the lower index */
	want[0] = width == 1 ? (guint8)sum : (guint8)(sum >> 8);
	want[1] = (guint8)sum;
	for (guint i = 0; i < width; i++) {
		if (!fu_dell_smi_cmos_read(
			ctx, t->index_port, t->data_port, t->check_index + i, &stored[i], error))
			return FALSE;
		if (stored[i] != want[i] &&
		    !fu_dell_smi_cmos_write(
			ctx, t->index_port, t->data_port, t->check_index + i, want[i], error))
			return FALSE;
	}
	return TRUE;
}

/* a write inside a checked range is followed by the range's new checksum */
static gboolean
fu_dell_smi_token_cmos_fix_checksums(FuContext *ctx,
				     GPtrArray *tokens,
				     const FuDellToken *written,
				     GError **error)
{
	g_autoptr(GHashTable) done = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	for (guint i = 0; i < tokens->len; i++) {
		const FuDellToken *t = g_ptr_array_index(tokens, i);
		g_autofree gchar *key = NULL;
		if (t->kind != FU_DELL_TOKEN_KIND_CMOS || t->check_end == 0 ||
		    t->check_start > t->check_end || t->index_port != written->index_port ||
		    written->location < t->check_start || written->location > t->check_end)
			continue;
		key = g_strdup_printf(
		    "%u:%u:%u:%u", t->check_type, t->check_start, t->check_end, t->check_index);
		if (g_hash_table_contains(done, key))
			continue;
		if (!fu_dell_smi_token_cmos_range_fix(ctx, t, error))
			return FALSE;
		g_hash_table_add(done, g_steal_pointer(&key));
	}
	return TRUE;
}

static gboolean
fu_dell_smi_token_call(FuContext *ctx,
		       const FuDellToken *token,
		       FuDellSmiCall *call,
		       GError **error)
{
	if (!fu_dell_smi_dcdbas_call(ctx, token->cmd_address, token->cmd_code, call, error))
		return FALSE;
	if (call->res[0] != FU_DELL_SMI_RES_SUCCESS) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_NOT_SUPPORTED,
			    "token 0x%04x, SMI class %u: %s",
			    token->id,
			    call->cb_class,
			    fu_dell_smi_dcdbas_result_to_string(call->res[0]));
		return FALSE;
	}
	return TRUE;
}

/* a write without a key while an admin password is set would be refused */
static gboolean
fu_dell_smi_token_check_password(FuContext *ctx,
				 const FuDellToken *token,
				 const guint32 *security_key,
				 GError **error)
{
	gboolean installed = FALSE;
	if (security_key != NULL)
		return TRUE;
	if (!fu_dell_smi_password_installed(ctx, token, &installed, error))
		return FALSE;
	if (installed) {
		fu_dell_smi_password_set_missing_error(error);
		return FALSE;
	}
	return TRUE;
}

gboolean
fu_dell_smi_token_is_active(FuContext *ctx,
			    const FuDellToken *token,
			    gboolean *active,
			    GError **error)
{
	if (token->kind == FU_DELL_TOKEN_KIND_CMOS) {
		guint8 byte = 0;
		if (!fu_dell_smi_cmos_read(
			ctx, token->index_port, token->data_port, token->location, &byte, error))
			return FALSE;
		*active = (byte & (guint8)~token->and_mask) == token->value;
		return TRUE;
	} else {
		FuDellSmiCall call = {.cb_class = FU_DELL_SMI_CLASS_TOKEN_READ,
				      .args = {token->location}};
		if (!fu_dell_smi_token_call(ctx, token, &call, error))
			return FALSE;
		*active = call.res[1] == token->value;
		return TRUE;
	}
}

gboolean
fu_dell_smi_token_activate(FuContext *ctx,
			   GPtrArray *tokens,
			   const FuDellToken *token,
			   const guint32 *security_key,
			   GError **error)
{
	if (token->kind == FU_DELL_TOKEN_KIND_CMOS) {
		guint8 byte = 0;
		if (!fu_dell_smi_cmos_read(
			ctx, token->index_port, token->data_port, token->location, &byte, error))
			return FALSE;
		byte = (byte & token->and_mask) | (guint8)token->value;
		if (!fu_dell_smi_cmos_write(
			ctx, token->index_port, token->data_port, token->location, byte, error))
			return FALSE;
		return fu_dell_smi_token_cmos_fix_checksums(ctx, tokens, token, error);
	} else {
		FuDellSmiCall call = {.cb_class = FU_DELL_SMI_CLASS_TOKEN_WRITE,
				      .args = {token->location,
					       token->value,
					       security_key != NULL ? *security_key : 0},
				      .secret = security_key != NULL};
		gboolean ok;
		if (!fu_dell_smi_token_check_password(ctx, token, security_key, error))
			return FALSE;
		ok = fu_dell_smi_token_call(ctx, token, &call, error);
		fu_dell_smi_dcdbas_call_wipe(&call);
		return ok;
	}
}
