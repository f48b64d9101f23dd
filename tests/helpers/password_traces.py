#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Looks for a BIOS admin password and the security key it gives.

  password_traces.py text PASSWORD KEY FILE...
      in logs, command output, history databases: the password as typed
      (any case), as hex of its ASCII or scan codes (bytes, or the 32-bit
      words of cbARG1-2 as a 0x number), and the key as a
      decimal or 0x-hexadecimal number (KEY "-": no key); each with the
      text around it
  password_traces.py buffer PASSWORD KEY FILE
      in a copy of dcdbas's smi_data: the password's ASCII or scan codes,
      the key's bytes, and anything but zeros after the 52-byte header

Prints each trace found and exits 1 if there is one.
"""

import re
import sys

SMI_HEADER = 52
# PC keyboard set 1 make codes, US layout, as a BIOS keeps a typed password
SCAN_ROWS = (("1234567890-=", 0x02), ("qwertyuiop[]", 0x10),
             ("asdfghjkl;'`", 0x1E), ("zxcvbnm,./", 0x2C))


def scan_codes(password: str) -> bytes:
    codes = bytearray()
    for c in password.lower():
        for chars, first in SCAN_ROWS:
            if c in chars:
                codes.append(first + chars.index(c))
                break
        else:
            return b""
    return bytes(codes)


def encodings(password: str) -> dict:
    forms = {"ASCII": password.encode()}
    codes = scan_codes(password)
    if codes:
        forms["scan codes"] = codes
    return forms


def hex_regex(data: bytes) -> bytes:
    """data as hex digits, whatever separates the bytes"""
    return rb"[\s:,-]?".join(f"{b:02x}".encode() for b in data)


def text_traces(password: str, key: int, blob: bytes) -> list:
    patterns = {"the password": re.escape(password.encode())}
    for name, data in encodings(password).items():
        patterns[f"the password's {name} in hex"] = hex_regex(data)
        for i in range(0, len(data), 4):
            word = int.from_bytes(data[i:i + 4].ljust(4, b"\0"), "little")
            patterns[f"the password's {name} as a word (cbARG{i // 4 + 1})"] = \
                rb"(?<![0-9a-z])0x0*%x(?![0-9a-z])" % word
    if key is not None:
        # a bare 4-digit hex word is in every GUID's odds: only 0x counts
        patterns["the key in decimal"] = rb"(?<![0-9])%d(?![0-9])" % key
        patterns["the key in hex"] = rb"(?<![0-9a-z])0x0*%x(?![0-9a-z])" % key
    found = []
    for name, pattern in patterns.items():
        m = re.search(pattern, blob, re.I)
        if m:
            around = blob[max(0, m.start() - 40):m.end() + 40].decode(errors="replace")
            found.append(f"{name}: ...{around!r}...")
    return found


def buffer_traces(password: str, key: int, blob: bytes) -> list:
    found = []
    for name, data in encodings(password).items():
        if data in blob:
            found.append(f"the password's {name} at byte {blob.index(data)}")
    raw = key.to_bytes(2, "little") if key is not None else None
    if raw and raw in blob:
        found.append(f"the key's bytes at byte {blob.index(raw)}")
    tail = blob[SMI_HEADER:]
    if tail.strip(b"\0"):
        first = SMI_HEADER + len(tail) - len(tail.lstrip(b"\0"))
        found.append(f"data after the SMI header, from byte {first}")
    return found


def main() -> int:
    if len(sys.argv) < 5 or sys.argv[1] not in ("text", "buffer"):
        sys.exit(__doc__)
    kind, password, key = sys.argv[1], sys.argv[2], None if sys.argv[3] == "-" else int(sys.argv[3], 0)
    status = 0
    for path in sys.argv[4:]:
        with open(path, "rb") as f:
            blob = f.read()
        traces = (text_traces if kind == "text" else buffer_traces)(password, key, blob)
        for trace in traces:
            print(f"{path}: {trace}")
            status = 1
        if not traces:
            print(f"{path}: no trace in {len(blob)} bytes")
    return status


if __name__ == "__main__":
    sys.exit(main())
