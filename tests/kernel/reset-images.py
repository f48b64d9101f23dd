#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""What the reset boots of the kernel suite stage, and what the BIOS should
then find: for each final layout, an image to stage, cancel and leave no
trace of, then the image to find alone at the reset.

  reset-images.py GUEST_DIR EXPECT_DIR

GUEST_DIR gets the byte streams the guest writes to the module, masked
(every byte XOR 0xA5, undone by the guest's unmask) so that the initramfs
in the guest's RAM holds no packet or image the scan could find.
EXPECT_DIR gets, for the scanner only, the image each layout must leave:
packet.img (the payload of the packet set) and mono.img.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "helpers"))
import rbu_packets  # noqa: E402

MASK = 0xA5
PACKET_IMAGE = (1 << 20) + 92
# larger than the 4 MiB the kernel's own driver takes as one image: the
# module's run search for a contiguous buffer
MONO_IMAGE = 8 << 20


def mono_image(size: int) -> bytes:
    """A $RBU header as the scan takes it (header length, a month), then
    random bytes."""
    head = bytearray(b"$RBU" + bytes([92, 0, 0, 6]))
    return bytes(head) + os.urandom(size - len(head))


def masked(data: bytes) -> bytes:
    return bytes(b ^ MASK for b in data)


def set_id() -> int:
    while True:
        value = int.from_bytes(os.urandom(4), "little")
        if value not in (0, rbu_packets.DEFAULT_SET_ID):
            return value


def main() -> int:
    guest, expect = sys.argv[1], sys.argv[2]
    os.makedirs(guest, exist_ok=True)
    os.makedirs(expect, exist_ok=True)
    images = {
        "packet": os.urandom(PACKET_IMAGE),
        "mono": mono_image(MONO_IMAGE),
        "cancelled-packet": os.urandom(PACKET_IMAGE),
        "cancelled-mono": mono_image(MONO_IMAGE),
    }
    for name, image in images.items():
        stream = rbu_packets.build(image, set_id()) if name.endswith("packet") else image
        with open(os.path.join(guest, f"{name}.x"), "wb") as f:
            f.write(masked(stream))
        if not name.startswith("cancelled"):
            with open(os.path.join(expect, f"{name}.img"), "wb") as f:
                f.write(image)
    return 0


if __name__ == "__main__":
    sys.exit(main())
