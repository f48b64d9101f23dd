# SPDX-License-Identifier: LGPL-2.1-or-later
"""An emulated Dell for the stock fwupdtool: SMBIOS from a spec, the RTC CMOS
as a /dev/nvram file, and the dell_rbu sysfs interface from a FUSE emulator."""

import os
import subprocess
import sys
import time

from fwupd_env import HELPERS, Tool, make_smbios

CMOS_TOKENS = "70 00 71 00 00 10 2d 2e 5c 00 78 bf 40 5d 00 78 bf 00 ff ff 00 00 00"


def dell_spec(system_id: int, packet: bool) -> dict:
    """A Dell whose RBU tokens are CMOS tokens, as on most legacy machines."""
    ext = f"{system_id & 0xFF:02x} {system_id >> 8:02x}"
    return {
        "bios": {"vendor": "Dell Inc.", "version": "A09"},
        "system": {"manufacturer": "Dell Inc.", "product": "PowerEdge Test", "serial": "TEST1"},
        "oem_strings": ["Dell System", "5[0000]"],
        "raw": [
            {"type": "0xD0", "data": f"01 04 fe 00 {ext}"},
            {"type": "0xD4", "data": CMOS_TOKENS},
            {"type": "0xDE", "data": "01 02 ff ff 00 00 00 00 00 00 00 " + ("01" if packet else "00")},
        ],
    }


class Machine:
    def __init__(self, tmp: str, spec: dict, fail: str = "", direct: bool = False) -> None:
        self.root = os.path.join(tmp, "machine")
        self.sys = os.path.join(self.root, "sys")
        self.log = os.path.join(self.root, "rbu.log")
        os.makedirs(self.sys, exist_ok=True)
        make_smbios(spec, self.root)
        with open(os.path.join(self.root, "nvram"), "wb") as f:
            f.write(bytes(114))
        open(self.log, "w", encoding="utf-8").close()
        argv = [sys.executable, os.path.join(HELPERS, "fake-rbu-sysfs.py"), self.sys, self.log]
        if fail:
            argv += ["--fail", fail]
        if direct:
            argv.append("--direct")
        self.fuse = subprocess.Popen(argv, stderr=subprocess.DEVNULL)
        for _ in range(100):
            if os.path.isdir(os.path.join(self.sys, "devices", "platform", "dell_rbu")):
                break
            time.sleep(0.05)
        else:
            raise RuntimeError("the FUSE sysfs did not come up")
        self.tool = Tool(self.root, {"FWUPD_SYSFSDIR": self.sys, "FWUPD_DEVFS": self.root})

    def close(self) -> None:
        subprocess.run(["fusermount", "-u", self.sys], check=False)
        self.fuse.wait(timeout=10)

    def __enter__(self):
        return self

    def __exit__(self, *args) -> None:
        self.close()

    def staged(self) -> bytes:
        with open(os.path.join(self.sys, "devices", "platform", "dell_rbu", "data"), "rb") as f:
            return f.read()

    def writes(self) -> list:
        with open(self.log, encoding="utf-8") as f:
            return [line.strip() for line in f]

    def flag_active(self) -> bool:
        with open(os.path.join(self.root, "nvram"), "rb") as f:
            return bool(f.read()[0x78 - 14] & 0x40)
