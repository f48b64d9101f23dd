/*
 * Copyright 2026 the fwupd Dell RBU plugins project maintainers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <fwupdplugin.h>

#define FU_TYPE_DELL_RBU_DEVICE (fu_dell_rbu_device_get_type())
G_DECLARE_FINAL_TYPE(FuDellRbuDevice, fu_dell_rbu_device, FU, DELL_RBU_DEVICE, FuDevice)

FuDellRbuDevice *fu_dell_rbu_device_new(FuContext *ctx, guint16 system_id);
void fu_dell_rbu_device_find_staged(FuDellRbuDevice *self);
void fu_dell_rbu_device_unstage_unarmed(FuDellRbuDevice *self);
