#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Dell .hdr images for the emulated machine when the real ones are absent.

  build-hdr-images.py PLUGIN_DIRS OUTDIR

Builds OUTDIR/hdr/system_bios_0x1028_0x0152_version_a09.hdr and ..._a10.hdr
with the dell-rbu plugin's own firmware builder (`fwupdtool firmware-build`
of builder XML, the plugins loaded from the comma-separated PLUGIN_DIRS), in
the shape of the real pair: header version 1.0, system 0x0152, an 84-byte
header, a 1 MiB ROM and the 8-byte trailer. The ROM is a fixed pseudo-random
stream per version, so A09 and A10 differ everywhere and a RAM scan cannot
mistake one packet for another. Each image is then checked apart from the
builder: its size, its header fields and both trailer CRC-32s.
"""

import base64
import hashlib
import os
import struct
import sys
import tempfile
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fwupd_env import Failed, Tool  # noqa: E402

SYSTEM_ID = 0x0152
# the systemIdList entry: ID bits 12..8 at 15..11, hardware revision 0, bits 7..0
SYSTEM_ENTRY = (SYSTEM_ID & 0xFF) | ((SYSTEM_ID & 0x1F00) << 3)
HEADER_SIZE = 84
ROM_SIZE = 1 << 20
VERSIONS = ("A09", "A10")

XML = """<firmware gtype="FuDellRbuFirmware">
  <header_major_ver>1</header_major_ver>
  <header_minor_ver>0</header_minor_ver>
  <version>{version}</version>
  <quick_check>Copyright 2005 Dell Computer Corporation</quick_check>
  <systems><entry>0x{entry:04x}</entry></systems>
  <rom>{rom}</rom>
</firmware>
"""


def name(version: str) -> str:
    return f"system_bios_0x1028_0x{SYSTEM_ID:04x}_version_{version.lower()}.hdr"


def rom(version: str) -> bytes:
    return hashlib.shake_256(f"dell-rbu demo ROM {version}".encode()).digest(ROM_SIZE)


def verify(path: str, version: str) -> None:
    with open(path, "rb") as f:
        data = f.read()
    if len(data) != HEADER_SIZE + ROM_SIZE + 8:
        raise Failed(f"{path} is {len(data)} bytes, not {HEADER_SIZE + ROM_SIZE + 8}")
    if data[:4] != b"$RBU" or data[4] != HEADER_SIZE or data[5:7] != b"\x01\x00":
        raise Failed(f"{path}: header is not $RBU version 1.0 of {HEADER_SIZE} bytes")
    if data[0x30:0x33] != version.encode():
        raise Failed(f"{path}: BIOS version is {data[0x30:0x33]!r}, not {version}")
    entries = struct.unpack_from("<12H", data, 0x3C)
    if data[7] != 1 or entries != (SYSTEM_ENTRY,) + (0,) * 11:
        raise Failed(f"{path}: system ID list {entries} is not 0x{SYSTEM_ID:04x} alone")
    if data[HEADER_SIZE:-8] != rom(version):
        raise Failed(f"{path}: the ROM is not the one given to the builder")
    image_crc, file_crc = struct.unpack_from("<II", data, len(data) - 8)
    if image_crc != zlib.crc32(data[HEADER_SIZE:-8]) ^ 0xFFFFFFFF:
        raise Failed(f"{path}: the trailer's image CRC-32 is wrong")
    if file_crc != zlib.crc32(data[:-4]) ^ 0xFFFFFFFF:
        raise Failed(f"{path}: the trailer's file CRC-32 is wrong")


def main() -> int:
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    plugin_dirs, outdir = sys.argv[1:3]
    hdr = os.path.join(outdir, "hdr")
    os.makedirs(hdr, exist_ok=True)
    tool = Tool("/nonexistent", {"FWUPD_LIBDIR_PKG": plugin_dirs})
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for version in VERSIONS:
                xml = os.path.join(tmp, f"{version}.builder.xml")
                with open(xml, "w", encoding="utf-8") as f:
                    f.write(XML.format(version=version, entry=SYSTEM_ENTRY,
                                       rom=base64.b64encode(rom(version)).decode()))
                out = os.path.join(hdr, name(version))
                tool.run("firmware-build", xml, out)
                verify(out, version)
                parsed = tool.run("firmware-parse", out, "dell-rbu").stdout
                if f"<version>{version}</version>" not in parsed:
                    raise Failed(f"fwupdtool firmware-parse {out} does not read {version}:\n{parsed}")
                print(f"{out}: {os.path.getsize(out)} bytes, BIOS {version} "
                      f"for system 0x{SYSTEM_ID:04x}, trailer CRCs hold")
    except Failed as e:
        print(f"build-hdr-images: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
