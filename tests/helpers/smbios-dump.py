#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Turn a libsmbios system dump into the files Linux and fwupd read.

OUT/dmi/tables/{smbios_entry_point,DMI} for FWUPD_SYSFSFWDIR=OUT, and with
--mem FILE a sparse image of the first MiB of physical memory holding the
legacy BIOS probe areas (idbyte.dat at 0xFE840, sysstr.dat at 0xFE076,
offset-0x*.dat at their offsets), as /dev/mem would show them.
"""

import argparse
import os
import re
import shutil
import struct
import sys


def parse_chain(buf: bytes, count: int) -> bool:
    """True if buf holds exactly count SMBIOS structures."""
    i = 0
    for _ in range(count):
        if i + 4 > len(buf):
            return False
        length = buf[i + 1]
        if length < 4:
            return False
        i += length
        end = buf.find(b"\0\0", i)
        if end < 0:
            return False
        i = end + 2
    return i <= len(buf)


def split_dump(dump: bytes, base_hint) -> tuple:
    if dump[:4] == b"_SM_":
        ep_len = dump[5]
        dmi = dump[0x10:]
    elif dump[:5] == b"_DMI_":
        ep_len = 0x0F
        dmi = dump
    else:
        sys.exit("smbios.dat does not start with an entry point")
    table_len, table_addr, count = struct.unpack_from("<HIH", dmi, 6)
    offsets = []
    if base_hint is not None:
        offsets.append(table_addr - base_hint)
    offsets += range(ep_len, len(dump) - table_len + 1)
    for off in offsets:
        if 0 <= off and parse_chain(dump[off:off + table_len], count):
            return dump[:ep_len], dump[off:off + table_len]
    sys.exit("no base makes the structure table parse")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("dump", help="a smbios-dumps/<machine> directory")
    parser.add_argument("out")
    parser.add_argument("--mem", help="write the physical memory image here")
    args = parser.parse_args()

    tables = os.path.join(args.out, "dmi", "tables")
    os.makedirs(tables, exist_ok=True)
    if os.path.exists(os.path.join(args.dump, "DMI")):
        for name in ("smbios_entry_point", "DMI"):
            shutil.copyfile(os.path.join(args.dump, name), os.path.join(tables, name))
    else:
        base = None
        xml_fn = os.path.join(args.dump, "testInput.xml")
        if os.path.exists(xml_fn):
            with open(xml_fn, encoding="utf-8") as f:
                m = re.search(r'<smbios offset="(0x[0-9a-fA-F]+)"', f.read())
            if m:
                base = int(m.group(1), 16)
        with open(os.path.join(args.dump, "smbios.dat"), "rb") as f:
            ep, dmi = split_dump(f.read(), base)
        with open(os.path.join(tables, "smbios_entry_point"), "wb") as f:
            f.write(ep)
        with open(os.path.join(tables, "DMI"), "wb") as f:
            f.write(dmi)

    if args.mem:
        areas = {"idbyte.dat": 0xFE840, "sysstr.dat": 0xFE076}
        for name in os.listdir(args.dump):
            m = re.fullmatch(r"offset-0x([0-9A-Fa-f]+)\.dat", name)
            if m:
                areas[name] = int(m.group(1), 16)
        with open(args.mem, "wb") as f:
            f.truncate(0x100000)
            for name, offset in areas.items():
                path = os.path.join(args.dump, name)
                if os.path.exists(path):
                    with open(path, "rb") as src:
                        f.seek(offset)
                        f.write(src.read())


if __name__ == "__main__":
    main()
