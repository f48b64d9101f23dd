/*
 * Copyright 2026 the fwupd Dell RBU plugins project maintainers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

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
fu_dell_smi_password_call(const FuDellToken *token, FuDellSmiCall *call, GError **error)
{
	call->cb_class = FU_DELL_SMI_CLASS_ADMIN_PASS;
	return fu_dell_smi_dcdbas_call(token->cmd_address, token->cmd_code, call, error);
}

void
fu_dell_smi_password_set_missing_error(GError **error)
{
	g_set_error_literal(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_AUTH_FAILED,
			    "a BIOS admin password is set: set AdminPassword in the [dell_smi] "
			    "section of fwupd.conf to it");
}

/* select 0 answers with cbRES1 0, and cbRES2 not 0 when a password is set */
gboolean
fu_dell_smi_password_installed(const FuDellToken *token, gboolean *installed, GError **error)
{
	FuDellSmiCall call = {.cb_select = FU_DELL_SMI_SELECT_INSTALLED};

	*installed = FALSE;
	if (token->kind != FU_DELL_TOKEN_KIND_SMI ||
	    (token->supported_classes & (1u << FU_DELL_SMI_CLASS_ADMIN_PASS)) == 0)
		return TRUE;
	if (!fu_dell_smi_password_call(token, &call, error))
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

GByteArray *
fu_dell_smi_password_to_scancodes(const gchar *password, GError **error)
{
	g_autoptr(GByteArray) codes = g_byte_array_new();
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
		if (code == 0) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "this BIOS takes the admin password as US keyboard keys, and "
				    "character %u of AdminPassword is not one",
				    (guint)(p - password) + 1);
			return NULL;
		}
		fu_byte_array_append_uint8(codes, code);
	}
	return g_steal_pointer(&codes);
}

static gboolean
fu_dell_smi_password_check_verified(const FuDellSmiCall *call, GError **error)
{
	if (call->res[0] == FU_DELL_SMI_RES_SUCCESS)
		return TRUE;
	g_set_error(error,
		    FWUPD_ERROR,
		    FWUPD_ERROR_AUTH_FAILED,
		    "the BIOS refused AdminPassword from the [dell_smi] section of fwupd.conf "
		    "(class 10 select %u answered %d): set the BIOS admin password there",
		    call->cb_select,
		    call->res[0]);
	return FALSE;
}

/* selects 3 and 4: the BIOS says how long a password can be and whether it
 * is kept as ASCII or as keys, and verifies one passed in the buffer */
static gboolean
fu_dell_smi_password_verify_buffer(const FuDellToken *token,
				   const gchar *password,
				   guint32 properties,
				   guint32 *key,
				   GError **error)
{
	guint maxlen = (properties >> 8) & 0xFF;
	gboolean ascii = ((properties >> 24) & FU_DELL_SMI_PASSWORD_CHARACTER_ASCII) != 0;
	FuDellSmiCall call = {.cb_select = FU_DELL_SMI_SELECT_VERIFY_BUFFER};
	g_autoptr(GByteArray) buf = NULL;

	if (ascii) {
		buf = g_byte_array_new();
		g_byte_array_append(buf, (const guint8 *)password, strlen(password));
	} else {
		buf = fu_dell_smi_password_to_scancodes(password, error);
		if (buf == NULL)
			return FALSE;
	}
	if (maxlen == 0 || buf->len > maxlen) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "AdminPassword has %u characters, this BIOS takes at most %u",
			    buf->len,
			    maxlen);
		return FALSE;
	}
	fu_byte_array_set_size(buf, maxlen, 0x00);
	call.to_bios = buf;
	if (!fu_dell_smi_password_call(token, &call, error))
		return FALSE;
	if (!fu_dell_smi_password_check_verified(&call, error))
		return FALSE;
	*key = (guint32)call.res[1] & 0xFFFF;
	return TRUE;
}

/* select 1, for a BIOS without select 3: up to eight keys in cbARG1-2 */
static gboolean
fu_dell_smi_password_verify_args(const FuDellToken *token,
				 const gchar *password,
				 guint32 *key,
				 GError **error)
{
	FuDellSmiCall call = {.cb_select = FU_DELL_SMI_SELECT_VERIFY};
	guint8 keys[FU_DELL_SMI_PASSWORD_ARGS_MAX] = {0};
	g_autoptr(GByteArray) codes = fu_dell_smi_password_to_scancodes(password, error);

	if (codes == NULL)
		return FALSE;
	if (codes->len > sizeof(keys)) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "AdminPassword has %u characters, this BIOS takes at most %u",
			    codes->len,
			    (guint)sizeof(keys));
		return FALSE;
	}
	if (!fu_memcpy_safe(
		keys, sizeof(keys), 0x0, codes->data, codes->len, 0x0, codes->len, error))
		return FALSE;
	call.args[0] = fu_memread_uint32(keys, G_LITTLE_ENDIAN);
	call.args[1] = fu_memread_uint32(keys + 4, G_LITTLE_ENDIAN);
	if (!fu_dell_smi_password_call(token, &call, error))
		return FALSE;
	if (!fu_dell_smi_password_check_verified(&call, error))
		return FALSE;
	*key = (guint32)call.res[1] & 0xFFFF;
	return TRUE;
}

/* the security key a token write needs while an admin password is set, from
 * the password itself, as the BIOS's calling interface gives it */
gboolean
fu_dell_smi_password_get_key(const FuDellToken *token,
			     const gchar *password,
			     guint32 *key,
			     GError **error)
{
	FuDellSmiCall props = {.cb_select = FU_DELL_SMI_SELECT_PROPERTIES};

	if (!fu_dell_smi_password_call(token, &props, error))
		return FALSE;
	if (props.res[0] == FU_DELL_SMI_RES_SUCCESS)
		return fu_dell_smi_password_verify_buffer(
		    token, password, (guint32)props.res[1], key, error);
	return fu_dell_smi_password_verify_args(token, password, key, error);
}
