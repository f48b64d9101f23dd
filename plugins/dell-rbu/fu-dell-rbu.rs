// Copyright 2026 the fwupd Dell RBU plugins project maintainers
// SPDX-License-Identifier: LGPL-2.1-or-later

// header of a Dell .hdr BIOS image; the ROM image follows at header_length
#[derive(New, Parse, Default)]
#[repr(C, packed)]
struct FuStructDellRbuHdr {
    header_id: [char; 4] == "$RBU",
    header_length: u8 = 0x54,
    header_major_ver: u8,
    header_minor_ver: u8,
    num_systems: u8,
    quick_check: [u8; 40], // ASCII padded with spaces, no NUL
    bios_version: [u8; 3],
    misc_flags: u8,
    bios_internal_use: u8,
    reserved: [u8; 5],
    compat_flags: u16le,
    system_id_list: [u16le; 12], // see fu_dell_rbu_firmware_decode_system_id()
}

// two CRC-32 dwords at the end of a .hdr file
#[derive(Parse)]
#[repr(C, packed)]
struct FuStructDellRbuTrailer {
    image_crc: u32le,
    file_crc: u32le,
}

// header of one packet of the rbu driver's packet mode
#[derive(New, Parse, Default)]
#[repr(C, packed)]
struct FuStructDellRbuPacket {
    pkt_id: [char; 4] == "$RPK",
    pkt_size: u16le, // KiB
    reserved1: u16le,
    hdr_size: u16le = 0x2, // 16-byte paragraphs
    reserved2: u16le,
    pkt_set_id: u32le,
    pkt_num: u16le,
    tot_pkts: u16le,
    pkt_ver: u8 = 0x1,
    reserved3: [u8; 9],
    pkt_chksum: u16le,
}
