/*
 * Copyright 2026 the fwupd Dell RBU plugins project maintainers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <fwupdplugin.h>

gint fu_dell_file_open(const gchar *fn, gint flags, GError **error);
gboolean fu_dell_file_write_once(const gchar *fn, const guint8 *buf, gsize bufsz, GError **error);
gssize fu_dell_file_read_full(gint fd, guint8 *buf, gsize bufsz);
GBytes *fu_dell_file_read_all(const gchar *fn, GError **error);
