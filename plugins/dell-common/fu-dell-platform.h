/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <fwupdplugin.h>

gboolean fu_dell_platform_check_vendor(FuContext *ctx, GError **error);
