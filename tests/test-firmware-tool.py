#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The stock fwupdtool parses, exports, builds and converts .hdr images and
RBU packet streams through the dell-rbu plugin's firmware types."""

import filecmp
import os
import struct
import sys
import tempfile
import zlib

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "helpers"))
from fwupd_env import SHARED_TESTDATA, Tool, check, main  # noqa: E402
from rbu_packets import build as build_packets  # noqa: E402

HDR = os.path.join(SHARED_TESTDATA, "hdr")
IMAGES = {
    "system_bios_0x1028_0x0152_version_a09.hdr": ("A09", ["0x0152"]),
    "system_bios_0x1028_0x0152_version_a10.hdr": ("A10", ["0x0152"]),
    "MLB-000208.HDR": ("0.2.8", ["0x01b1", "0x01b2", "0x01b3", "0x01b8"]),
    "MLB-000209.HDR": ("0.2.9", ["0x01bb"]),
}

BUILDER = """<firmware gtype="FuDellRbuFirmware">
  <header_major_ver>2</header_major_ver>
  <header_minor_ver>1</header_minor_ver>
  <version>7.1.3</version>
  <quick_check>Copyright 2026 Test</quick_check>
  <systems><entry>0x0852</entry></systems>
  <rom size="0x4000"/>
</firmware>
"""


def test() -> None:
    tool = Tool("/nonexistent")
    with tempfile.TemporaryDirectory() as tmp:
        for name, (version, ids) in IMAGES.items():
            src = os.path.join(HDR, name)
            out = tool.run("firmware-parse", src, "dell-rbu").stdout
            check(f"<version>{version}</version>" in out, f"firmware-parse {name}: version {version}")
            for sid in ids:
                check(f'system_id="{sid}"' in out, f"firmware-parse {name}: system {sid}")

            xml = tool.run("firmware-export", src, "dell-rbu").stdout
            xml_fn = os.path.join(tmp, name + ".xml")
            with open(xml_fn, "w", encoding="utf-8") as f:
                f.write(xml)
            built = os.path.join(tmp, name + ".built")
            tool.run("firmware-build", xml_fn, built)
            check(filecmp.cmp(built, src, shallow=False),
                  f"firmware-export then firmware-build of {name} is byte-identical")

            pkt = os.path.join(tmp, name + ".pkt")
            back = os.path.join(tmp, name + ".back")
            tool.run("firmware-convert", src, pkt, "dell-rbu", "dell-rbu-packets")
            with open(src, "rb") as f_src, open(pkt, "rb") as f_pkt:
                check(f_pkt.read() == build_packets(f_src.read()),
                      f"{name} as packets is the stream the test builds itself")
            out = tool.run("firmware-parse", pkt, "dell-rbu-packets").stdout
            check("<packet_count>0x104</packet_count>" in out, f"{name} takes 260 packets")
            tool.run("firmware-convert", pkt, back, "dell-rbu-packets", "dell-rbu")
            check(filecmp.cmp(back, src, shallow=False),
                  f"{name} -> packets -> .hdr with firmware-convert is identical")

        # truncations, each past the checks before it; the CRC values are zlib's
        with open(os.path.join(HDR, "system_bios_0x1028_0x0152_version_a09.hdr"), "rb") as f:
            a09 = f.read()
        for length in (80, 92, 4096, 4188):
            cut = os.path.join(tmp, f"cut-{length}.hdr")
            with open(cut, "wb") as f:
                f.write(a09[:length])
            computed = zlib.crc32(a09[84:length - 8]) ^ 0xFFFFFFFF
            stored = struct.unpack_from("<I", a09, length - 8)[0]
            want = {80: "file size is 80 bytes, a .hdr needs at least 92",
                    92: "file of 92 bytes has no ROM image after its 84-byte header",
                    4096: "the file is 4096 bytes and its image CRC-32 fails: a Dell .hdr is its "
                          "84-byte header, an image of whole KiB and an 8-byte trailer, so at least "
                          "4188 bytes here; the file is truncated",
                    # a whole KiB of image: it cannot be told from a corrupt file
                    4188: f"image CRC-32 is 0x{computed:08x} but the trailer stores 0x{stored:08x}"}
            out = tool.run("firmware-parse", cut, "dell-rbu", expect_ok=False)
            check(out.returncode != 0 and want[length] in out.stdout + out.stderr,
                  f"a09 cut to {length} bytes is refused: {want[length]}")

        bad = tool.run("firmware-parse", os.path.join(HDR, "bad_hdr.hdr"), "dell-rbu",
                       expect_ok=False)
        check(bad.returncode != 0 and "signature is '$RBT'" in bad.stdout + bad.stderr,
              "bad_hdr.hdr is refused for its signature")

        builder = os.path.join(tmp, "builder.xml")
        with open(builder, "w", encoding="utf-8") as f:
            f.write(BUILDER)
        made = os.path.join(tmp, "made.hdr")
        tool.run("firmware-build", builder, made)
        check(os.path.getsize(made) == 84 + 0x4000 + 8, "firmware-build makes an image from XML")
        out = tool.run("firmware-parse", made, "dell-rbu").stdout
        check("<version>7.1.3</version>" in out, "the built image parses with its CRCs")

        # a header too short for the $RBU fields once overflowed write()
        short = os.path.join(tmp, "short.xml")
        with open(short, "w", encoding="utf-8") as f:
            f.write(BUILDER.replace('<rom size="0x4000"/>',
                                    "<header_length>0x10</header_length>"
                                    '<rom size="0x1000"/>'))
        out = tool.run("firmware-build", short, os.path.join(tmp, "short.hdr"), expect_ok=False)
        check(out.returncode == 1 and "header_length is 0x10" in out.stdout + out.stderr,
              f"firmware-build refuses a 16-byte header (exit {out.returncode})")

        with open(made, "r+b") as f:
            f.seek(100)
            byte = f.read(1)[0]
            f.seek(100)
            f.write(bytes([byte ^ 0xFF]))
        out = tool.run("firmware-parse", made, "dell-rbu", expect_ok=False)
        check(out.returncode != 0 and "image CRC-32" in out.stdout + out.stderr,
              "a flipped image byte is refused for its CRC")
        out = tool.run("firmware-parse", "--ignore-checksum", made, "dell-rbu")
        check("<version>7.1.3</version>" in out.stdout, "--ignore-checksum accepts it")


main(test)
