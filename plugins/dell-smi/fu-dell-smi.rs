// Copyright 2026 the fwupd Dell RBU plugins project maintainers
// SPDX-License-Identifier: LGPL-2.1-or-later

// the buffer written to /sys/devices/platform/dcdbas/smi_data
#[derive(New, Validate, Parse, Default)]
#[repr(C, packed)]
struct FuStructDellSmiBuffer {
    magic: u32le == 0x534D4931, // "SMI1", the kernel refuses anything else
    ebx: u32le,
    ecx: u32le = 0x42534931, // "BSI1"
    command_address: u16le,
    command_code: u8,
    _reserved: u8,
    cb_class: u16le,
    cb_select: u16le,
    cb_arg1: u32le,
    cb_arg2: u32le,
    cb_arg3: u32le,
    cb_arg4: u32le,
    cb_res1: u32le,
    cb_res2: u32le,
    cb_res3: u32le,
    cb_res4: u32le,
}
