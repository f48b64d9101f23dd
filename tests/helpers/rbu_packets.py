#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""RBU packet streams built and checked apart from the plugin's C code.

`build()` lays out a .hdr file as the dell_rbu driver's packet stream,
written from the packet facts alone (layout, packet 0, padding, checksum),
so that a stream the plugin stages can be checked against bytes that the
code under test did not make. `SPEC_PACKET0` is the derived test vector
for the header of packet 0; `build()` is checked against it before use.

Every staging by the plugin uses a fresh random set ID: a staged stream is
the expected one under one set ID that is neither 0 nor the default.

  rbu_packets.py WANT GOT   exit 0 and print GOT's set ID when GOT is WANT
                            with one fresh set ID, else say why and exit 1;
                            WANT is a .hdr file, or a packet stream with the
                            default set ID
"""

import struct
import sys

DEFAULT_SET_ID = 0x12345678
PACKET_SIZE = 4096
HEADER_SIZE = 32
HEADER = struct.Struct("<4sHHHHIHHB9xH")

# packet 0 of a 1,048,668-byte file in 4 KiB packets under set ID 0x12345678
SPEC_PACKET0 = bytes.fromhex("24 52 50 4B 04 00 00 00 02 00 00 00 78 56 34 12"
                             "00 00 04 01 01 00 00 00 00 00 00 00 00 00 D5 F8")


def _checksum(packet: bytes) -> int:
    """The value that makes the packet's LE 16-bit words sum to 0 mod 2^16."""
    total = sum(struct.unpack(f"<{len(packet) // 2}H", packet))
    return (0x10000 - (total & 0xFFFF)) & 0xFFFF


def _packet(num: int, count: int, set_id: int, size: int, data: bytes) -> bytes:
    head = HEADER.pack(b"$RPK", size // 1024, 0, HEADER_SIZE // 16, 0, set_id, num, count, 1, 0)
    body = data + bytes(size - HEADER_SIZE - len(data))
    csum = _checksum(head + body)
    return head[:30] + struct.pack("<H", csum) + body


def build(image: bytes, set_id: int = DEFAULT_SET_ID, size: int = PACKET_SIZE) -> bytes:
    """Packet 0 with no data, then the image in payload-sized slices, the
    last zero-padded; the count includes packet 0."""
    payload = size - HEADER_SIZE
    slices = [image[i:i + payload] for i in range(0, len(image), payload)]
    count = 1 + len(slices)
    out = [_packet(0, count, set_id, size, b"")]
    out += [_packet(n, count, set_id, size, s) for n, s in enumerate(slices, start=1)]
    return b"".join(out)


def _self_check() -> None:
    image = bytes(range(256)) * 4096 + b"\xAA" * 92
    stream = build(image)
    last = stream[-PACKET_SIZE:]
    if (stream[:HEADER_SIZE] != SPEC_PACKET0 or any(stream[HEADER_SIZE:PACKET_SIZE])
            or len(stream) != 260 * PACKET_SIZE or last[16:18] != b"\x03\x01"
            or last[HEADER_SIZE:HEADER_SIZE + 156] != image[-156:]
            or any(last[HEADER_SIZE + 156:])):
        raise AssertionError("build() does not give the test vector's packets 0 and 259")


_self_check()


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
    struct.pack_into("<H", packet, 30, _checksum(packet))
    return bytes(packet)


def fresh_set_id(want: bytes, got: bytes) -> int:
    """GOT's set ID if GOT is WANT with one fresh set ID; raises otherwise.
    WANT is a .hdr file (its packets are built here) or a packet stream
    with the default set ID."""
    packets = split(got)
    ids = {HEADER.unpack_from(p)[5] for p in packets}
    if len(ids) != 1:
        raise ValueError(f"the packets carry {len(ids)} set IDs")
    set_id = ids.pop()
    if set_id in (0, DEFAULT_SET_ID):
        raise ValueError(f"set ID 0x{set_id:08X} is not a fresh one")
    for n, p in enumerate(packets):
        if _checksum(p) != 0:
            raise ValueError(f"packet {n}: its checksum does not hold")
    if want.startswith(b"$RBU"):
        expected = build(want, set_id)
        if got != expected:
            diff = next((i for i in range(min(len(got), len(expected))) if got[i] != expected[i]),
                        min(len(got), len(expected)))
            raise ValueError(f"the packets differ from the independently built ones at byte {diff} "
                             f"(packet {diff // PACKET_SIZE}, offset 0x{diff % PACKET_SIZE:x}); "
                             f"{len(got)} bytes, expected {len(expected)}")
        return set_id
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
