/*
 * Copyright 2026 the fwupd Dell RBU plugins project maintainers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "fu-dell-tables.h"

#define FU_DELL_SMBIOS_TYPE_D4 0xD4
#define FU_DELL_SMBIOS_TYPE_DA 0xDA
#define FU_DELL_SMBIOS_TYPE_DE 0xDE
#define FU_DELL_TOKEN_END      0xFFFF
#define FU_DELL_TOKEN_UNUSED   0x0000

/* these BIOSes declare checksum type 3 in table 0xD402 but use type 0, or
 * type 1 on the PowerEdge 1300 */
#define FU_DELL_D4_ERRATA_HANDLE 0xD402
static const guint16 d4_errata_systems[] = {
    0x8E, 0x134, 0x141, 0x135, 0x11B, 0x8012, 0x124, 0x14A, 0x123, 0x121, 0x106, 0x109};

static guint8
fu_dell_tables_d4_check_type(guint16 system_id, guint16 handle, guint8 declared)
{
	if (handle != FU_DELL_D4_ERRATA_HANDLE || declared != 3)
		return declared;
	for (guint i = 0; i < G_N_ELEMENTS(d4_errata_systems); i++) {
		if (d4_errata_systems[i] == system_id)
			return system_id == 0x8E ? 1 : 0;
	}
	return declared;
}

static void
fu_dell_tables_add_d4(GPtrArray *tokens, GBytes *blob, guint16 system_id)
{
	gsize bufsz = 0;
	const guint8 *buf = g_bytes_get_data(blob, &bufsz);
	g_autoptr(FuStructDellRbuSmbiosD4) st =
	    fu_struct_dell_rbu_smbios_d4_parse(buf, bufsz, 0x0, NULL);

	if (st == NULL)
		return;
	for (gsize off = FU_STRUCT_DELL_RBU_SMBIOS_D4_SIZE;
	     off + FU_STRUCT_DELL_RBU_SMBIOS_D4_TOKEN_SIZE <= bufsz;
	     off += FU_STRUCT_DELL_RBU_SMBIOS_D4_TOKEN_SIZE) {
		g_autoptr(FuStructDellRbuSmbiosD4Token) st_tok =
		    fu_struct_dell_rbu_smbios_d4_token_parse(buf, bufsz, off, NULL);
		FuDellToken *token;
		guint16 id;
		if (st_tok == NULL)
			break;
		id = fu_struct_dell_rbu_smbios_d4_token_get_id(st_tok);
		if (id == FU_DELL_TOKEN_END)
			break;
		if (id == FU_DELL_TOKEN_UNUSED)
			continue;
		token = g_new0(FuDellToken, 1);
		token->kind = FU_DELL_TOKEN_KIND_CMOS;
		token->id = id;
		token->table_handle = fu_struct_dell_rbu_smbios_d4_get_handle(st);
		token->location = fu_struct_dell_rbu_smbios_d4_token_get_location(st_tok);
		token->and_mask = fu_struct_dell_rbu_smbios_d4_token_get_and_mask(st_tok);
		token->value = fu_struct_dell_rbu_smbios_d4_token_get_or_value(st_tok);
		token->index_port = fu_struct_dell_rbu_smbios_d4_get_index_port(st);
		token->data_port = fu_struct_dell_rbu_smbios_d4_get_data_port(st);
		token->check_type =
		    fu_dell_tables_d4_check_type(system_id,
						 token->table_handle,
						 fu_struct_dell_rbu_smbios_d4_get_check_type(st));
		token->check_start = fu_struct_dell_rbu_smbios_d4_get_check_start(st);
		token->check_end = fu_struct_dell_rbu_smbios_d4_get_check_end(st);
		token->check_index = fu_struct_dell_rbu_smbios_d4_get_check_index(st);
		g_ptr_array_add(tokens, token);
	}
}

static void
fu_dell_tables_add_da(GPtrArray *tokens, GBytes *blob)
{
	gsize bufsz = 0;
	const guint8 *buf = g_bytes_get_data(blob, &bufsz);
	g_autoptr(FuStructDellRbuSmbiosDa) st =
	    fu_struct_dell_rbu_smbios_da_parse(buf, bufsz, 0x0, NULL);

	if (st == NULL)
		return;
	for (gsize off = FU_STRUCT_DELL_RBU_SMBIOS_DA_SIZE;
	     off + FU_STRUCT_DELL_RBU_SMBIOS_DA_TOKEN_SIZE <= bufsz;
	     off += FU_STRUCT_DELL_RBU_SMBIOS_DA_TOKEN_SIZE) {
		g_autoptr(FuStructDellRbuSmbiosDaToken) st_tok =
		    fu_struct_dell_rbu_smbios_da_token_parse(buf, bufsz, off, NULL);
		FuDellToken *token;
		guint16 id;
		if (st_tok == NULL)
			break;
		id = fu_struct_dell_rbu_smbios_da_token_get_id(st_tok);
		if (id == FU_DELL_TOKEN_END)
			break;
		if (id == FU_DELL_TOKEN_UNUSED)
			continue;
		token = g_new0(FuDellToken, 1);
		token->kind = FU_DELL_TOKEN_KIND_SMI;
		token->id = id;
		token->table_handle = fu_struct_dell_rbu_smbios_da_get_handle(st);
		token->location = fu_struct_dell_rbu_smbios_da_token_get_location(st_tok);
		token->value = fu_struct_dell_rbu_smbios_da_token_get_value(st_tok);
		token->cmd_address = fu_struct_dell_rbu_smbios_da_get_cmd_address(st);
		token->cmd_code = fu_struct_dell_rbu_smbios_da_get_cmd_code(st);
		token->supported_classes = fu_struct_dell_rbu_smbios_da_get_supported_classes(st);
		g_ptr_array_add(tokens, token);
	}
}

/* every CMOS token first, then every calling-interface token, as libsmbios
 * ordered them: the first token with an ID wins */
GPtrArray *
fu_dell_tables_get_tokens(FuContext *ctx, guint16 system_id, GError **error)
{
	g_autoptr(GPtrArray) tokens = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) d4 = NULL;
	g_autoptr(GPtrArray) da = NULL;

	d4 = fu_context_get_smbios_data(
	    ctx, FU_DELL_SMBIOS_TYPE_D4, FU_SMBIOS_STRUCTURE_LENGTH_ANY, NULL);
	for (guint i = 0; d4 != NULL && i < d4->len; i++)
		fu_dell_tables_add_d4(tokens, g_ptr_array_index(d4, i), system_id);
	da = fu_context_get_smbios_data(
	    ctx, FU_DELL_SMBIOS_TYPE_DA, FU_SMBIOS_STRUCTURE_LENGTH_ANY, NULL);
	for (guint i = 0; da != NULL && i < da->len; i++)
		fu_dell_tables_add_da(tokens, g_ptr_array_index(da, i));
	if (tokens->len == 0) {
		g_set_error_literal(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_NOT_FOUND,
				    "no tokens: SMBIOS has no Dell table 0xD4 or 0xDA");
		return NULL;
	}
	return g_steal_pointer(&tokens);
}

const FuDellToken *
fu_dell_tables_find_token(GPtrArray *tokens, guint16 id)
{
	for (guint i = 0; i < tokens->len; i++) {
		const FuDellToken *token = g_ptr_array_index(tokens, i);
		if (token->id == id)
			return token;
	}
	return NULL;
}

gboolean
fu_dell_tables_get_rbu_status(FuContext *ctx, FuDellRbuStatus *status, GError **error)
{
	GBytes *blob;
	const guint8 *buf;
	gsize bufsz = 0;
	g_autoptr(GPtrArray) tables = NULL;
	g_autoptr(FuStructDellRbuSmbiosDe) st = NULL;
	g_autoptr(FuStructDellRbuSmbiosDeExt) st_ext = NULL;

	tables = fu_context_get_smbios_data(
	    ctx, FU_DELL_SMBIOS_TYPE_DE, FU_SMBIOS_STRUCTURE_LENGTH_ANY, error);
	if (tables == NULL) {
		g_prefix_error_literal(error, "no RBU status: ");
		return FALSE;
	}
	blob = g_ptr_array_index(tables, 0);
	buf = g_bytes_get_data(blob, &bufsz);
	st = fu_struct_dell_rbu_smbios_de_parse(buf, bufsz, 0x0, error);
	if (st == NULL)
		return FALSE;
	memset(status, 0, sizeof(*status));
	status->completion_code = fu_struct_dell_rbu_smbios_de_get_completion_code(st);
	if (!fu_memcpy_safe(status->last_update,
			    sizeof(status->last_update),
			    0x0,
			    st->buf->data,
			    st->buf->len,
			    FU_STRUCT_DELL_RBU_SMBIOS_DE_OFFSET_LAST_UPDATE,
			    FU_STRUCT_DELL_RBU_SMBIOS_DE_SIZE_LAST_UPDATE,
			    error))
		return FALSE;
	/* most legacy tables end before the characteristics byte */
	st_ext = fu_struct_dell_rbu_smbios_de_ext_parse(buf, bufsz, 0x0, NULL);
	if (st_ext != NULL) {
		status->has_characteristics = TRUE;
		status->characteristics =
		    fu_struct_dell_rbu_smbios_de_ext_get_characteristics(st_ext);
	}
	return TRUE;
}
