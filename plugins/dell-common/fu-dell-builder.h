/*
 * Copyright 2026 the fwupd Dell RBU plugins project maintainers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <fwupdplugin.h>

gboolean fu_dell_builder_build(const gchar *xml, FuFirmware *firmware, GError **error);
