# SPDX-License-Identifier: LGPL-2.1-or-later
"""An emulated Dell for the stock fwupdtool: SMBIOS from a spec, the RTC CMOS
as a /dev/nvram file, and the dell_rbu sysfs interface from a FUSE emulator."""

import os
import subprocess
import sys
import time

import shutil

from fwupd_env import HELPERS, SOURCE_DIR, Tool, make_smbios

CMOS_TOKENS = "70 00 71 00 00 10 2d 2e 5c 00 78 bf 40 5d 00 78 bf 00 ff ff 00 00 00"
# command port 0xB2, code 0x37, classes 0, 1 and 10; tokens 0x5C and 0x5D
SMI_TOKENS = "b2 00 37 03 04 00 00 5c 00 5c 00 01 00 5d 00 5d 00 00 00 ff ff 00 00 00 00"


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


METAINFO = os.path.join(SOURCE_DIR, "data", "com.dell.rbu.example.metainfo.xml")


def build_cab(m: "Machine", tmp: str, hdr: str, name: str, release: str = "A10") -> str:
    """A cabinet of hdr whose metainfo names release, which fwupd compares;
    the plugin compares the version in the .hdr header."""
    work = os.path.join(tmp, name)
    os.makedirs(work, exist_ok=True)
    target = os.path.join(work, "system_bios_0x1028_0x0152_version_a10.hdr")
    shutil.copyfile(hdr, target)
    metainfo = os.path.join(work, "firmware.metainfo.xml")
    with open(METAINFO, encoding="utf-8") as f:
        text = f.read()
    with open(metainfo, "w", encoding="utf-8") as f:
        f.write(text.replace('<release version="A10"', f'<release version="{release}"'))
    cab = os.path.join(tmp, name + ".cab")
    m.tool.run("build-cabinet", cab, target, metainfo)
    return cab


def dell_smi_spec(system_id: int) -> dict:
    """A Dell whose RBU tokens are calling-interface (SMI) tokens, class 10
    (the admin password) among the classes its BIOS supports."""
    spec = dell_spec(system_id, True)
    spec["raw"][1] = {"type": "0xDA", "data": SMI_TOKENS}
    return spec


class Machine:
    def __init__(self, tmp: str, spec: dict, fail: str = "", direct: bool = False,
                 dcdbas=None) -> None:
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
        if dcdbas is not None:
            argv += ["--dcdbas", dcdbas]
        self.fuse = subprocess.Popen(argv, stderr=subprocess.DEVNULL)
        for _ in range(100):
            if os.path.isdir(os.path.join(self.sys, "devices", "platform", "dell_rbu")):
                break
            time.sleep(0.05)
        else:
            raise RuntimeError("the FUSE sysfs did not come up")
        self.tool = Tool(self.root, {"FWUPD_SYSFSDIR": self.sys, "FWUPD_DEVFS": self.root})

    def close(self) -> None:
        # a loaded machine may still be closing the last fwupdtool's files
        for _ in range(20):
            if subprocess.run(["fusermount", "-u", self.sys], check=False,
                              stderr=subprocess.DEVNULL).returncode == 0:
                break
            time.sleep(0.5)
        else:
            subprocess.run(["fusermount", "-uz", self.sys], check=False)
        self.fuse.wait(timeout=60)

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

    def dcdbas(self, name: str) -> bytes:
        with open(os.path.join(self.sys, "devices", "platform", "dcdbas", name), "rb") as f:
            return f.read()

    def flag_active(self) -> bool:
        with open(os.path.join(self.root, "nvram"), "rb") as f:
            return bool(f.read()[0x78 - 14] & 0x40)

    def set_flag(self, on: bool) -> None:
        """Token 0x5C's bit in CMOS; the range has no checksum here."""
        with open(os.path.join(self.root, "nvram"), "r+b") as f:
            nvram = bytearray(f.read())
            nvram[0x78 - 14] = (nvram[0x78 - 14] & ~0x40) | (0x40 if on else 0)
            f.seek(0)
            f.write(nvram)
