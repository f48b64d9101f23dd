// Copyright 2026 the fwupd Dell RBU plugins project maintainers
// SPDX-License-Identifier: LGPL-2.1-or-later

// Dell OEM SMBIOS structures; offsets are from the structure's start

// 0xD0 "Revisions and IDs"
#[derive(Parse, Default)]
#[repr(C, packed)]
struct FuStructDellRbuSmbiosD0 {
    type: u8 == 0xD0,
    length: u8,
    handle: u16le,
    smbios_major: u8,
    smbios_minor: u8,
    system_id: u8, // 0xFE: see system_id_ext
    hw_rev: u8,
}

#[derive(Parse)]
#[repr(C, packed)]
struct FuStructDellRbuSmbiosD0Ext {
    _hdr: [u8; 8],
    system_id_ext: u16le,
}

// 0xD4 "Indexed I/O" (CMOS) tokens follow the header, FuStructDellRbuSmbiosD4Token each
#[derive(Parse, Default)]
#[repr(C, packed)]
struct FuStructDellRbuSmbiosD4 {
    type: u8 == 0xD4,
    length: u8,
    handle: u16le,
    index_port: u16le,
    data_port: u16le,
    check_type: u8,
    check_start: u8,
    check_end: u8,
    check_index: u8,
}

#[derive(Parse)]
#[repr(C, packed)]
struct FuStructDellRbuSmbiosD4Token {
    id: u16le,
    location: u8,
    and_mask: u8,
    or_value: u8,
}

// 0xDA "Calling interface" tokens follow the header, FuStructDellRbuSmbiosDaToken each
#[derive(Parse, Default)]
#[repr(C, packed)]
struct FuStructDellRbuSmbiosDa {
    type: u8 == 0xDA,
    length: u8,
    handle: u16le,
    cmd_address: u16le,
    cmd_code: u8,
    supported_classes: u32le,
}

#[derive(Parse)]
#[repr(C, packed)]
struct FuStructDellRbuSmbiosDaToken {
    id: u16le,
    location: u16le,
    value: u16le,
}

// 0xDE RBU status
#[derive(Parse, Default)]
#[repr(C, packed)]
struct FuStructDellRbuSmbiosDe {
    type: u8 == 0xDE,
    length: u8,
    handle: u16le,
    minimum_size: u16le,
    completion_code: u16le,
    last_update: [u8; 5], // BCD year, month, day, hour, minute
}

// most legacy 0xDE tables are 13 bytes long and end before these
#[derive(Parse)]
#[repr(C, packed)]
struct FuStructDellRbuSmbiosDeExt {
    _hdr: [u8; 13],
    boot_flags: u16le,
    characteristics: u8, // bit 0: packet mode supported
}

// the legacy BIOS ID structure at physical 0xFE840
#[derive(Parse)]
#[repr(C, packed)]
struct FuStructDellRbuBiosIdArea {
    system_id_ext: u16le,
    bios_version: [char; 3],
    system_id: u8, // 0xFE: see system_id_ext
}

#[derive(ToString)]
enum FuDellSystemIdSource {
    None,
    Sku,           // SMBIOS type 1 SKU, hex
    OemStrings,    // SMBIOS type 11 "1[xxxx]"
    TableD0,       // Dell table 0xD0, byte 6 or its extension
    BiosIdArea,    // physical 0xFE840, legacy BIOS
    Diamond,       // physical 0xD8040 / 0xDC040, oldest BIOSes
}

#[derive(ToString)]
enum FuDellTokenKind {
    Cmos, // table 0xD4, indexed I/O
    Smi,  // table 0xDA, the calling interface
}
