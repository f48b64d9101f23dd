/*
 * Copyright 2026 the fwupd Dell RBU plugins project maintainers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <fwupdplugin.h>

#include "fu-dell-smi-secret.h"
#include "fu-dell-tables.h"

gboolean fu_dell_smi_password_installed(FuContext *ctx,
					const FuDellToken *token,
					gboolean *installed,
					GError **error);
gboolean fu_dell_smi_password_get_key(
    FuContext *ctx, const FuDellToken *token, const gchar *password, guint32 *key, GError **error);
FuDellSmiSecretBytes *fu_dell_smi_password_to_scancodes(const gchar *password, GError **error);
void fu_dell_smi_password_set_missing_error(GError **error);
