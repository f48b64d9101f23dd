/*
 * Copyright 2026 the fwupd Dell RBU plugins project maintainers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <fwupdplugin.h>

#include "fu-dell-rbu-firmware.h"

#define FU_TYPE_DELL_RBU_PACKETS_FIRMWARE (fu_dell_rbu_packets_firmware_get_type())
G_DECLARE_FINAL_TYPE(FuDellRbuPacketsFirmware,
		     fu_dell_rbu_packets_firmware,
		     FU,
		     DELL_RBU_PACKETS_FIRMWARE,
		     FuFirmware)

#define FU_DELL_RBU_PACKET_SIZE_DEFAULT 0x1000
#define FU_DELL_RBU_PACKET_SIZE_MIN	0x1000
/* the header stores the size in KiB in 16 bits, so 64 MiB itself does not fit */
#define FU_DELL_RBU_PACKET_SIZE_MAX	  (0xFFFCu * 1024)
#define FU_DELL_RBU_PACKET_COUNT_MAX	  0xFFFF
#define FU_DELL_RBU_PACKET_SET_ID_DEFAULT 0x12345678
#define FU_DELL_RBU_PACKET_HDR_SIZE_MAX	  0x1000
/* the packets of the largest .hdr: its bytes, every packet's header, packet 0
 * (a header alone) and the last packet's padding */
#define FU_DELL_RBU_PACKETS_FIRMWARE_SIZE_MAX                                                      \
	(FU_DELL_RBU_FIRMWARE_SIZE_MAX +                                                           \
	 (gsize)FU_DELL_RBU_PACKET_COUNT_MAX * FU_DELL_RBU_PACKET_HDR_SIZE_MAX +                   \
	 2 * (gsize)FU_DELL_RBU_PACKET_SIZE_MAX)

FuFirmware *fu_dell_rbu_packets_firmware_new(void);
gboolean fu_dell_rbu_packets_firmware_set_packet_size(FuDellRbuPacketsFirmware *self,
						      guint32 packet_size,
						      GError **error);
guint32 fu_dell_rbu_packets_firmware_get_packet_size(FuDellRbuPacketsFirmware *self);
void fu_dell_rbu_packets_firmware_set_set_id(FuDellRbuPacketsFirmware *self, guint32 set_id);
guint32 fu_dell_rbu_packets_firmware_get_set_id(FuDellRbuPacketsFirmware *self);
gboolean fu_dell_rbu_packets_firmware_prepare(FuDellRbuPacketsFirmware *self, GError **error);
gsize fu_dell_rbu_packets_firmware_get_stream_size(FuDellRbuPacketsFirmware *self);
gboolean fu_dell_rbu_packets_firmware_fill(
    FuDellRbuPacketsFirmware *self, gsize offset, guint8 *buf, gsize bufsz, GError **error);
