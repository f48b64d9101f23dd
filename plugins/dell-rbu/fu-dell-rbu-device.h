/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <fwupdplugin.h>

#define FU_TYPE_DELL_RBU_DEVICE (fu_dell_rbu_device_get_type())
G_DECLARE_FINAL_TYPE(FuDellRbuDevice, fu_dell_rbu_device, FU, DELL_RBU_DEVICE, FuDevice)

/* set by write_firmware for the dell_smi plugin, which sets the update flag */
#define FU_DELL_RBU_DEVICE_METADATA_STAGED "DellRbuStaged"

FuDellRbuDevice *fu_dell_rbu_device_new(FuContext *ctx, guint16 system_id);
