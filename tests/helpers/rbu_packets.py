#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""RBU packet streams compared apart from their set ID.

Every staging by the plugin uses a fresh random set ID, while
`fwupdtool firmware-convert` writes the default 0x12345678: the two streams
are the same packets once the set ID (and so the checksum) is put back.

  rbu_packets.py WANT GOT   exit 0 and print GOT's set ID when GOT is WANT
                            with one fresh set ID, else say why and exit 1
"""

import struct
import sys

DEFAULT_SET_ID = 0x12345678
HEADER = struct.Struct("<4sHHHHIHH")


def split(stream: bytes) -> list:
    packets, pos = [], 0
    while pos < len(stream):
        magic, size_kib = struct.unpack_from("<4sH", stream, pos)
        if magic != b"$RPK" or size_kib == 0:
            raise ValueError(f"no packet at offset {pos}")
        packets.append(bytearray(stream[pos:pos + size_kib * 1024]))
        pos += size_kib * 1024
    return packets


def with_set_id(packet: bytearray, set_id: int) -> bytes:
    struct.pack_into("<I", packet, 12, set_id)
    struct.pack_into("<H", packet, 30, 0)
    words = struct.unpack(f"<{len(packet) // 2}H", packet)
    struct.pack_into("<H", packet, 30, (-sum(words)) & 0xFFFF)
    return bytes(packet)


def fresh_set_id(want: bytes, got: bytes) -> int:
    """GOT's set ID if GOT is WANT with one fresh set ID; raises otherwise."""
    packets = split(got)
    ids = {HEADER.unpack_from(p)[5] for p in packets}
    if len(ids) != 1:
        raise ValueError(f"the packets carry {len(ids)} set IDs")
    set_id = ids.pop()
    if set_id in (0, DEFAULT_SET_ID):
        raise ValueError(f"set ID 0x{set_id:08X} is not a fresh one")
    for p in packets:
        if sum(struct.unpack(f"<{len(p) // 2}H", p)) & 0xFFFF:
            raise ValueError("a packet's checksum does not hold")
    if b"".join(with_set_id(p, DEFAULT_SET_ID) for p in packets) != want:
        raise ValueError("the packets differ in more than the set ID")
    return set_id


def main() -> int:
    with open(sys.argv[1], "rb") as f:
        want = f.read()
    with open(sys.argv[2], "rb") as f:
        got = f.read()
    try:
        print(f"0x{fresh_set_id(want, got):08X}")
    except ValueError as e:
        print(f"{sys.argv[2]}: {e}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
