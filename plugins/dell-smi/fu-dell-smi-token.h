/*
 * Copyright 2026 the fwupd Dell RBU plugins project maintainers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <fwupdplugin.h>

#include "fu-dell-tables.h"

gboolean fu_dell_smi_token_is_active(FuContext *ctx,
				     const FuDellToken *token,
				     gboolean *active,
				     GError **error);
gboolean fu_dell_smi_token_activate(FuContext *ctx,
				    GPtrArray *tokens,
				    const FuDellToken *token,
				    const guint32 *security_key,
				    GError **error);
