#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The RAM scanner on synthetic dumps built from the real A10 image.

The packets here are made from Dell's rules in dell-rbu-facts.md by this
file's own code, not by the plugin or the scanner.
"""

import os
import struct
import subprocess
import sys
import tempfile

SHARED = os.environ.get("SHARED_TESTDATA") or os.path.join(
    os.path.dirname(__file__), "..", "..", "shared", "testdata")
A10 = os.path.join(SHARED, "hdr", "system_bios_0x1028_0x0152_version_a10.hdr")
A09 = os.path.join(SHARED, "hdr", "system_bios_0x1028_0x0152_version_a09.hdr")
SCAN = os.path.join(os.path.dirname(__file__), "helpers", "rbu-ram-scan")
GIB = 1 << 30
FAILED = []


def packets(image: bytes, set_id: int, size: int = 4096) -> list:
    payload = size - 32
    total = 1 + -(-len(image) // payload)
    out = []
    for num in range(total):
        data = bytes(payload) if num == 0 else image[(num - 1) * payload:num * payload]
        data = data.ljust(payload, b"\0")
        head = struct.pack("<4sHHHHIHHB9sH", b"$RPK", size // 1024, 0, 2, 0, set_id, num,
                           total, 1, bytes(9), 0)
        words = struct.unpack(f"<{size // 2}H", head + data)
        chk = (-sum(words)) & 0xFFFF
        out.append(head[:30] + struct.pack("<H", chk) + data)
    return out


def dump(path: str, parts: dict) -> None:
    """parts: physical address -> bytes; a 5 GiB sparse file."""
    with open(path, "wb") as f:
        f.truncate(5 * GIB)
        for addr, blob in parts.items():
            f.seek(addr)
            f.write(blob)


def scan(path: str, *args) -> tuple:
    proc = subprocess.run([sys.executable, SCAN, path, *args], capture_output=True, text=True,
                          check=False)
    return proc.returncode, proc.stdout + proc.stderr


def expect(what: str, rc_got: int, rc_want: int, out: str, text: str = "") -> None:
    ok = rc_got == rc_want and text in out
    print(f"{'ok' if ok else 'not ok'} - {what}")
    if not ok:
        print("  " + out.replace("\n", "\n  "))
        FAILED.append(what)


def main() -> int:
    with open(A10, "rb") as f:
        a10 = f.read()
    with open(A09, "rb") as f:
        a09 = f.read()
    pk = packets(a10, 0x1BADCAFE)
    base = 64 << 20
    with tempfile.TemporaryDirectory() as tmp:
        ram = os.path.join(tmp, "ram")

        # scattered pages, in reverse order, as an allocator may hand them out
        dump(ram, {base + (len(pk) - i) * 3 * 4096: p for i, p in enumerate(pk)})
        rc, out = scan(ram, "--expect-image", A10, "--only")
        expect("a complete A10 set below 4 GiB is found and equals the image", rc, 0, out,
               f"set 0x1BADCAFE of {len(pk)} packets")
        rc, out = scan(ram, "--expect-image", A09)
        expect("the same set does not pass for the A09 image", rc, 1, out)
        rc, out = scan(ram, "--expect-none")
        expect("--expect-none fails when a complete set is there", rc, 1, out)

        missing = {base + i * 4096: p for i, p in enumerate(pk) if i != 17}
        dump(ram, missing)
        rc, out = scan(ram, "--expect-none")
        expect("a set missing packet 17 is not complete", rc, 0, out,
               f"incomplete set 0x1BADCAFE: {len(pk) - 1} of {len(pk)}")

        bad = dict((base + i * 4096, p) for i, p in enumerate(pk))
        broken = bytearray(pk[5])
        broken[100] ^= 0x01
        bad[base + 5 * 4096] = bytes(broken)
        dump(ram, bad)
        rc, out = scan(ram, "--expect-none")
        expect("a packet with a wrong checksum does not count", rc, 0, out, "incomplete")

        unaligned = {base + 512 + i * 4096: p for i, p in enumerate(pk)}
        dump(ram, unaligned)
        rc, out = scan(ram, "--expect-none")
        expect("packets off 4 KiB boundaries are not seen", rc, 0, out)

        high = {4 * GIB + i * 4096: p for i, p in enumerate(pk)}
        dump(ram, high)
        rc, out = scan(ram, "--expect-image", A10, "--below", "4G")
        expect("a set above 4 GiB does not pass --below 4G", rc, 1, out, "NOT below")

        copies = dict(high)
        copies.update({base + i * 4096: p for i, p in enumerate(pk)})
        dump(ram, copies)
        rc, out = scan(ram, "--expect-image", A10, "--below", "4G")
        expect("a set with a copy below 4 GiB passes, its copy above is named", rc, 0, out,
               f"2 copies (2 of them complete) ({len(pk)} packets above")
        rc, out = scan(ram, "--expect-image", A10, "--below", "4G", "--only")
        expect("--only fails when a second whole copy is in RAM", rc, 1, out)
        rc, out = scan(ram, "--expect-image", A10, "--below", "4G", "--only-below")
        expect("--only-below passes when the second whole copy is above 4 GiB", rc, 0, out)
        twice = dict(copies)
        twice.update({base + (1 << 24) + i * 4096: p for i, p in enumerate(pk)})
        dump(ram, twice)
        rc, out = scan(ram, "--expect-image", A10, "--below", "4G", "--only-below")
        expect("--only-below fails when a second whole copy is below 4 GiB", rc, 1, out)
        dump(ram, {**copies, 4 * GIB + (1 << 24): a10})
        rc, out = scan(ram, "--expect-image", A10, "--below", "4G", "--only-below")
        expect("--only-below passes with the monolithic image above 4 GiB", rc, 0, out,
               "NOT below")
        dump(ram, {**copies, base + (1 << 24): a10})
        rc, out = scan(ram, "--expect-image", A10, "--below", "4G", "--only-below")
        expect("--only-below fails with the monolithic image below 4 GiB too", rc, 1, out)
        strays = dict(copies)
        for i in range(20, len(pk)):
            del strays[4 * GIB + i * 4096]
        dump(ram, strays)
        rc, out = scan(ram, "--expect-image", A10, "--below", "4G", "--only")
        expect("--only passes with a few stray packets beside the set", rc, 0, out, "20 packets above")
        split = {base + i * 4096: p for i, p in enumerate(pk) if i % 2}
        split.update({4 * GIB + i * 4096: p for i, p in enumerate(pk) if not i % 2})
        dump(ram, split)
        rc, out = scan(ram, "--expect-image", A10, "--below", "4G")
        expect("a set whose even packets are only above 4 GiB does not pass", rc, 1, out,
               "NOT below")

        other = packets(a09, 0x12345678)
        both = {base + i * 4096: p for i, p in enumerate(pk)}
        both.update({base + (1 << 24) + i * 4096: p for i, p in enumerate(other)})
        dump(ram, both)
        rc, out = scan(ram, "--expect-image", A10)
        expect("with two complete sets the A10 one is still found", rc, 0, out)
        rc, out = scan(ram, "--expect-image", A10, "--only")
        expect("--only fails when an older set is also complete", rc, 1, out,
               "set 0x12345678")

        dump(ram, {base: a10})
        rc, out = scan(ram, "--expect-none")
        expect("a monolithic image is found by its trailer CRCs", rc, 1, out,
               f"complete monolithic image: 0x{base:X}-0x{base + len(a10):X}")
        rc, out = scan(ram, "--expect-image", A10, "--only")
        expect("and it equals the A10 image", rc, 0, out, "equals the expected image")
        cut = bytearray(a10)
        cut[len(a10) // 2] ^= 0xFF
        dump(ram, {base: bytes(cut)})
        rc, out = scan(ram, "--expect-none")
        expect("a monolithic image with a flipped byte is not complete", rc, 0, out)
    print(f"rbu-ram-scan: {len(FAILED)} failed")
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
