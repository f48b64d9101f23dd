#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""password_traces.py, which the e2e and system tests trust to find a BIOS
password and its key, on text and SMI buffers that hold them or not."""

import os
import subprocess
import sys
import tempfile

TRACES = os.path.join(os.path.dirname(__file__), "helpers", "password_traces.py")
PASSWORD, KEY = "Rbu7Adm9", "0xd17b"
# r b u 7 a d m 9 as PC set 1 make codes, from the keyboard's layout
SCAN = bytes([0x13, 0x30, 0x16, 0x08, 0x1E, 0x20, 0x32, 0x0A])
HEADER = b"1IMS" + bytes(48)
FAILED = []

CASES = [
    ("text", b"FuConfig setting config [dell_smi] AdminPasswordFile=/etc/fwupd/pw\n", 0, None),
    ("text", b"setting config [dell_smi] AdminPassword=Rbu7Adm9\n", 1, "the password"),
    ("text", b"password rbu7adm9 typed in lower case\n", 1, "the password"),
    ("text", b"buffer 52 62 75 37 41 64 6d 39\n", 1, "ASCII in hex"),
    ("text", b"args 13:30:16:08:1e:20:32:0a\n", 1, "scan codes in hex"),
    ("text", b"  cb_arg1: 0x8163013\n  cb_arg2: 0xa32201e\n", 1, "scan codes as a word (cbARG1)"),
    ("text", b"  cb_arg2: 0xa32201e\n", 1, "scan codes as a word (cbARG2)"),
    ("text", b"key 53627\n", 1, "the key in decimal"),
    ("text", b"cbARG3=0x0000D17B\n", 1, "the key in hex"),
    ("text", b"sha256 9ad17bc0 153627 0xd17b0 12:15:36.627\n", 0, None),
    ("text", b"guid 5e3c1a2b-d17b-4f00-8c11-0123456789ab\n", 0, None),
    ("buffer", HEADER + bytes(32), 0, None),
    ("buffer", HEADER + b"Rbu7Adm9" + bytes(24), 1, "ASCII at byte 52"),
    ("buffer", HEADER[:20] + SCAN + HEADER[28:], 1, "scan codes at byte 20"),
    ("buffer", HEADER[:28] + b"\x7b\xd1\0\0" + HEADER[32:], 1, "the key's bytes at byte 28"),
    ("buffer", HEADER + bytes(8) + b"\x01" + bytes(23), 1, "from byte 60"),
]


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "blob")
        for i, (kind, blob, want_rc, want_text) in enumerate(CASES):
            with open(path, "wb") as f:
                f.write(blob)
            proc = subprocess.run([sys.executable, TRACES, kind, PASSWORD, KEY, path],
                                  capture_output=True, text=True, check=False)
            ok = proc.returncode == want_rc and (want_text is None or want_text in proc.stdout)
            print(f"{'ok' if ok else 'not ok'} {i + 1} - {kind}: {want_text or 'no trace'}")
            if not ok:
                print(f"# rc {proc.returncode}: {proc.stdout}{proc.stderr}")
                FAILED.append(i + 1)
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
