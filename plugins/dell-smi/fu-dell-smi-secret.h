/*
 * Copyright 2026 the fwupd Dell RBU plugins project maintainers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <fwupdplugin.h>

/* a password, its encodings and buffers holding them: wiped before freed */
typedef gchar FuDellSmiSecret;
typedef GByteArray FuDellSmiSecretBytes;

void fu_dell_smi_secret_free(FuDellSmiSecret *secret);
void fu_dell_smi_secret_bytes_free(FuDellSmiSecretBytes *buf);
FuDellSmiSecretBytes *fu_dell_smi_secret_bytes_new(guint reserved);
FuDellSmiSecret *fu_dell_smi_secret_load_file(const gchar *fn, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(FuDellSmiSecret, fu_dell_smi_secret_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(FuDellSmiSecretBytes, fu_dell_smi_secret_bytes_free)
