/*
 * Copyright 2026 the fwupd Dell RBU plugins project maintainers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <fwupdplugin.h>

gboolean
fu_dell_mem_read(FuContext *ctx, goffset address, guint8 *buf, gsize bufsz, GError **error);
