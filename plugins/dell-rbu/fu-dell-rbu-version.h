/*
 * Copyright 2026 the fwupd Dell RBU plugins project maintainers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <fwupdplugin.h>

gint fu_dell_rbu_version_compare(const gchar *version1, const gchar *version2);
FwupdVersionFormat fu_dell_rbu_version_format(const gchar *version);
