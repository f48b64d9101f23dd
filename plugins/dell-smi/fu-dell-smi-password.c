/*
 * Copyright 2026 the fwupd Dell RBU plugins project maintainers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "fu-dell-smi-dcdbas.h"
#include "fu-dell-smi-password.h"

/* the calling interface's admin password class and its selects */
#define FU_DELL_SMI_CLASS_ADMIN_PASS	     10
#define FU_DELL_SMI_SELECT_INSTALLED	     0
#define FU_DELL_SMI_SELECT_VERIFY	     1
#define FU_DELL_SMI_SELECT_PROPERTIES	     3
#define FU_DELL_SMI_SELECT_VERIFY_BUFFER     4
#define FU_DELL_SMI_PASSWORD_ARGS_MAX	     8 /* select 1: cbARG1 and cbARG2 */
#define FU_DELL_SMI_PASSWORD_CHARACTER_ASCII (1u << 0)

static gboolean
fu_dell_smi_password_call(FuContext *ctx,
			  const FuDellToken *token,
			  FuDellSmiCall *call,
			  GError **error)
{
	call->cb_class = FU_DELL_SMI_CLASS_ADMIN_PASS;
	return fu_dell_smi_dcdbas_call(ctx, token->cmd_address, token->cmd_code, call, error);
}

void
fu_dell_smi_password_set_missing_error(GError **error)
{
	g_set_error_literal(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_AUTH_FAILED,
			    "a BIOS admin password is set: name a file holding it as "
			    "AdminPasswordFile in the [dell_smi] section of fwupd.conf");
}

/* select 0 answers with cbRES1 0, and cbRES2 not 0 when a password is set */
gboolean
fu_dell_smi_password_installed(FuContext *ctx,
			       const FuDellToken *token,
			       gboolean *installed,
			       GError **error)
{
	FuDellSmiCall call = {.cb_select = FU_DELL_SMI_SELECT_INSTALLED};

	*installed = FALSE;
	if (token->kind != FU_DELL_TOKEN_KIND_SMI ||
	    (token->supported_classes & (1u << FU_DELL_SMI_CLASS_ADMIN_PASS)) == 0)
		return TRUE;
	if (!fu_dell_smi_password_call(ctx, token, &call, error))
		return FALSE;
	if (call.res[0] != FU_DELL_SMI_RES_SUCCESS) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_NOT_SUPPORTED,
			    "token 0x%04x, SMI class %u: %s, so whether a BIOS admin password "
			    "is set is unknown",
			    token->id,
			    (guint)FU_DELL_SMI_CLASS_ADMIN_PASS,
			    fu_dell_smi_dcdbas_result_to_string(call.res[0]));
		return FALSE;
	}
	*installed = call.res[1] != 0;
	return TRUE;
}

/* PC keyboard set 1 make codes, US layout; a BIOS that stores the password
 * as typed compares these, whatever the case of a letter */
static const struct {
	const gchar *chars;
	guint8 first;
} fu_dell_smi_scancode_rows[] = {
    {"1234567890-=", 0x02},
    {"qwertyuiop[]", 0x10},
    {"asdfghjkl;'`", 0x1E},
    {"zxcvbnm,./", 0x2C},
};

FuDellSmiSecretBytes *
fu_dell_smi_password_to_scancodes(const gchar *password, GError **error)
{
	g_autoptr(FuDellSmiSecretBytes) codes = fu_dell_smi_secret_bytes_new(strlen(password));
	for (const gchar *p = password; *p != '\0'; p++) {
		gchar c = g_ascii_tolower(*p);
		guint8 code = 0;
		if (c == '\\')
			code = 0x2B;
		else if (c == ' ')
			code = 0x39;
		for (guint i = 0; code == 0 && i < G_N_ELEMENTS(fu_dell_smi_scancode_rows); i++) {
			const gchar *hit = strchr(fu_dell_smi_scancode_rows[i].chars, c);
			if (hit != NULL)
				code = fu_dell_smi_scancode_rows[i].first +
				       (guint8)(hit - fu_dell_smi_scancode_rows[i].chars);
		}
		c = 0;
		if (code == 0) {
			g_set_error_literal(
			    error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "this BIOS takes the admin password as US keyboard keys, "
			    "and the password has a character that is not one");
			return NULL;
		}
		fu_byte_array_append_uint8(codes, code);
	}
	return g_steal_pointer(&codes);
}

static gboolean
fu_dell_smi_password_too_long(GError **error)
{
	g_set_error_literal(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "the admin password is longer than this BIOS takes");
	return FALSE;
}

static gboolean
fu_dell_smi_password_check_verified(const FuDellSmiCall *call, GError **error)
{
	if (call->res[0] == FU_DELL_SMI_RES_SUCCESS)
		return TRUE;
	g_set_error(error,
		    FWUPD_ERROR,
		    FWUPD_ERROR_AUTH_FAILED,
		    "the BIOS refused the admin password from the [dell_smi] section of "
		    "fwupd.conf (class 10 select %u answered %d): give the BIOS admin password "
		    "there",
		    call->cb_select,
		    call->res[0]);
	return FALSE;
}

/* selects 3 and 4: the BIOS says how long a password can be and whether it
 * is kept as ASCII or as keys, and verifies one passed in the buffer */
static gboolean
fu_dell_smi_password_verify_buffer(FuContext *ctx,
				   const FuDellToken *token,
				   const gchar *password,
				   guint32 properties,
				   guint32 *key,
				   GError **error)
{
	guint maxlen = (properties >> 8) & 0xFF;
	gboolean ascii = ((properties >> 24) & FU_DELL_SMI_PASSWORD_CHARACTER_ASCII) != 0;
	FuDellSmiCall call = {.cb_select = FU_DELL_SMI_SELECT_VERIFY_BUFFER, .secret = TRUE};
	g_autoptr(FuDellSmiSecretBytes) codes = NULL;
	g_autoptr(FuDellSmiSecretBytes) buf = fu_dell_smi_secret_bytes_new(maxlen);
	gboolean ok;

	if (ascii) {
		if (strlen(password) > maxlen)
			return fu_dell_smi_password_too_long(error);
		g_byte_array_append(buf, (const guint8 *)password, strlen(password));
	} else {
		codes = fu_dell_smi_password_to_scancodes(password, error);
		if (codes == NULL)
			return FALSE;
		if (codes->len > maxlen)
			return fu_dell_smi_password_too_long(error);
		g_byte_array_append(buf, codes->data, codes->len);
	}
	if (maxlen == 0)
		return fu_dell_smi_password_too_long(error);
	fu_byte_array_set_size(buf, maxlen, 0x00);
	call.to_bios = buf;
	ok = fu_dell_smi_password_call(ctx, token, &call, error) &&
	     fu_dell_smi_password_check_verified(&call, error);
	if (ok)
		*key = (guint32)call.res[1] & 0xFFFF;
	fu_dell_smi_dcdbas_call_wipe(&call);
	return ok;
}

/* select 1, for a BIOS without select 3: up to eight keys in cbARG1-2 */
static gboolean
fu_dell_smi_password_verify_args(
    FuContext *ctx, const FuDellToken *token, const gchar *password, guint32 *key, GError **error)
{
	FuDellSmiCall call = {.cb_select = FU_DELL_SMI_SELECT_VERIFY, .secret = TRUE};
	guint8 keys[FU_DELL_SMI_PASSWORD_ARGS_MAX] = {0};
	g_autoptr(FuDellSmiSecretBytes) codes = fu_dell_smi_password_to_scancodes(password, error);
	gboolean ok;

	if (codes == NULL)
		return FALSE;
	if (codes->len > sizeof(keys))
		return fu_dell_smi_password_too_long(error);
	if (!fu_memcpy_safe(
		keys, sizeof(keys), 0x0, codes->data, codes->len, 0x0, codes->len, error))
		return FALSE;
	call.args[0] = fu_memread_uint32(keys, G_LITTLE_ENDIAN);
	call.args[1] = fu_memread_uint32(keys + 4, G_LITTLE_ENDIAN);
	explicit_bzero(keys, sizeof(keys));
	ok = fu_dell_smi_password_call(ctx, token, &call, error) &&
	     fu_dell_smi_password_check_verified(&call, error);
	if (ok)
		*key = (guint32)call.res[1] & 0xFFFF;
	fu_dell_smi_dcdbas_call_wipe(&call);
	return ok;
}

/* the security key a token write needs while an admin password is set, from
 * the password itself, as the BIOS's calling interface gives it */
gboolean
fu_dell_smi_password_get_key(
    FuContext *ctx, const FuDellToken *token, const gchar *password, guint32 *key, GError **error)
{
	FuDellSmiCall props = {.cb_select = FU_DELL_SMI_SELECT_PROPERTIES};

	if (!fu_dell_smi_password_call(ctx, token, &props, error))
		return FALSE;
	if (props.res[0] == FU_DELL_SMI_RES_SUCCESS)
		return fu_dell_smi_password_verify_buffer(
		    ctx, token, password, (guint32)props.res[1], key, error);
	return fu_dell_smi_password_verify_args(ctx, token, password, key, error);
}
