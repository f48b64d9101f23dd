/*
 * Copyright 2026 the fwupd Dell RBU plugins project maintainers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <fwupdplugin.h>

/* the plugin's type when built into fwupd, where fu-plugin-builtin.h includes this */
G_DECLARE_FINAL_TYPE(FuDellRbuPlugin, fu_dell_rbu_plugin, FU, DELL_RBU_PLUGIN, FuPlugin)
