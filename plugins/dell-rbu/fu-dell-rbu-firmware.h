/*
 * Copyright 2026 the fwupd Dell RBU plugins project maintainers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <fwupdplugin.h>

#define FU_TYPE_DELL_RBU_FIRMWARE (fu_dell_rbu_firmware_get_type())
G_DECLARE_FINAL_TYPE(FuDellRbuFirmware, fu_dell_rbu_firmware, FU, DELL_RBU_FIRMWARE, FuFirmware)

#define FU_DELL_RBU_FIRMWARE_SYSTEMS_MAX 12
/* the default image_size_max of the dell_rbu driver */
#define FU_DELL_RBU_FIRMWARE_ROM_SIZE_MAX (128 * 1024 * 1024)
/* a whole .hdr: a header of at most 0xFF bytes (header_length is a byte), the
 * ROM and the 8-byte CRC trailer */
#define FU_DELL_RBU_FIRMWARE_SIZE_MAX (0xFF + FU_DELL_RBU_FIRMWARE_ROM_SIZE_MAX + 8)

FuFirmware *fu_dell_rbu_firmware_new(void);
GArray *fu_dell_rbu_firmware_get_system_ids(FuDellRbuFirmware *self);
gboolean fu_dell_rbu_firmware_has_system_id(FuDellRbuFirmware *self, guint16 system_id);
guint16 fu_dell_rbu_firmware_decode_system_id(guint16 entry);
guint8 fu_dell_rbu_firmware_decode_hwrev(guint16 entry);
guint32 fu_dell_rbu_firmware_crc(const guint8 *buf, gsize bufsz);
