#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Build SMBIOS tables from a JSON spec, in the form Linux exposes them.

Writes <out>/dmi/tables/smbios_entry_point and <out>/dmi/tables/DMI, so that
fwupd reads them with FWUPD_SYSFSFWDIR=<out>. With --raw FILE it also writes
the OEM structures alone, for QEMU's -smbios file=FILE, with handles from
0xE000 so that none collides with the firmware's own.

Spec keys: "bios" {vendor, version, date}, "system" {manufacturer, product,
version, serial, sku}, "oem_strings" [..], "raw" [{"type", "data" (hex of
the formatted area after the 4-byte header), "strings" [..]}].
"""

import argparse
import json
import os
import struct


# the firmware numbers its own structures from 0: QEMU's SeaBIOS and OVMF
# keep a passed structure only where its handle is free
OEM_FIRST_HANDLE = 0xE000


class Table:
    def __init__(self, first_handle: int = 0) -> None:
        self.structs = []
        self.handle = first_handle

    def add(self, stype: int, body: bytes, strings=()) -> None:
        hdr = struct.pack("<BBH", stype, 4 + len(body), self.handle)
        self.handle += 1
        tail = b"".join(s.encode() + b"\0" for s in strings)
        tail += b"\0" if strings else b"\0\0"
        self.structs.append(hdr + body + tail)

    def blob(self) -> bytes:
        return b"".join(self.structs)


def string_indexes(values):
    strings, idx = [], []
    for v in values:
        if v:
            strings.append(v)
            idx.append(len(strings))
        else:
            idx.append(0)
    return strings, idx


def add_bios(table: Table, bios: dict) -> None:
    strings, (vendor, version, date) = string_indexes(
        [bios.get("vendor"), bios.get("version"), bios.get("date", "01/01/2005")])
    body = struct.pack("<BBHBBQ", vendor, version, 0xE000, date, 0x0F, 0x80)
    table.add(0, body, strings)


def add_system(table: Table, system: dict) -> None:
    strings, idx = string_indexes([
        system.get("manufacturer"), system.get("product"), system.get("version"),
        system.get("serial"), system.get("sku"), system.get("family"),
    ])
    body = struct.pack("<BBBB16sBBB", idx[0], idx[1], idx[2], idx[3], b"\0" * 16, 6, idx[4], idx[5])
    table.add(1, body, strings)


def entry_point(table_len: int, count: int, max_size: int) -> bytes:
    inter = bytearray(b"_DMI_" + struct.pack("<BHIHB", 0, table_len, 0x000F0000, count, 0x24))
    inter[5] = (-sum(inter)) & 0xFF
    ep = bytearray(b"_SM_" + struct.pack("<BBBBHB5s", 0, 0x1F, 2, 4, max_size, 0, b"\0" * 5))
    ep += inter
    ep[4] = (-sum(ep)) & 0xFF
    return bytes(ep)


def build(spec: dict) -> tuple:
    table, oem = Table(), Table(OEM_FIRST_HANDLE)
    if "bios" in spec:
        add_bios(table, spec["bios"])
    if "system" in spec:
        add_system(table, spec["system"])
    if "oem_strings" in spec:
        strs = spec["oem_strings"]
        table.add(11, bytes([len(strs)]), strs)
    for raw in spec.get("raw", []):
        stype = int(raw["type"], 0) if isinstance(raw["type"], str) else raw["type"]
        body = bytes.fromhex(raw["data"].replace(" ", ""))
        table.add(stype, body, raw.get("strings", ()))
        oem.add(stype, body, raw.get("strings", ()))
    table.add(127, b"")
    blob = table.blob()
    max_size = max(len(s) for s in table.structs)
    return entry_point(len(blob), len(table.structs), max_size), blob, oem.blob()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("spec", help="JSON spec file")
    parser.add_argument("out", help="directory that gets dmi/tables/")
    parser.add_argument("--raw", help="also write the raw OEM structures here")
    args = parser.parse_args()
    with open(args.spec, encoding="utf-8") as f:
        spec = json.load(f)
    ep, blob, oem = build(spec)
    tables = os.path.join(args.out, "dmi", "tables")
    os.makedirs(tables, exist_ok=True)
    with open(os.path.join(tables, "smbios_entry_point"), "wb") as f:
        f.write(ep)
    with open(os.path.join(tables, "DMI"), "wb") as f:
        f.write(blob)
    if args.raw:
        with open(args.raw, "wb") as f:
            f.write(oem)


if __name__ == "__main__":
    main()
