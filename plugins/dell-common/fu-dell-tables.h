/*
 * Copyright 2026 the fwupd Dell RBU plugins project maintainers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <fwupdplugin.h>

#include "fu-dell-common-struct.h"

#define FU_DELL_TOKEN_RBU_ACTIVATE 0x005C
#define FU_DELL_TOKEN_RBU_CANCEL   0x005D

/* one token of a 0xD4 or 0xDA table, with what its table says about access */
typedef struct {
	FuDellTokenKind kind;
	guint16 id;
	guint16 table_handle;
	guint16 location;
	guint16 value; /* 0xD4: OR value; 0xDA: value */
	guint8 and_mask;
	/* 0xD4 */
	guint16 index_port;
	guint16 data_port;
	guint8 check_type;
	guint8 check_start;
	guint8 check_end;
	guint8 check_index;
	/* 0xDA */
	guint16 cmd_address;
	guint8 cmd_code;
	guint32 supported_classes;
} FuDellToken;

typedef struct {
	guint16 completion_code;
	guint8 last_update[5];
	gboolean has_characteristics;
	guint8 characteristics;
} FuDellRbuStatus;

#define FU_DELL_RBU_CHARACTERISTIC_PACKET 0x01

GPtrArray *fu_dell_tables_get_tokens(FuContext *ctx, guint16 system_id, GError **error);
const FuDellToken *fu_dell_tables_find_token(GPtrArray *tokens, guint16 id);
gboolean fu_dell_tables_get_rbu_status(FuContext *ctx, FuDellRbuStatus *status, GError **error);
