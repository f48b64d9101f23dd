#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The stock fwupdtool lists the BIOS device of each of the 16 real Dell
machines with its instance ID and BIOS version, and says why it cannot be
updated when the rbu interface is missing."""

import json
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "helpers"))
from fwupd_env import HELPERS, SHARED_TESTDATA, Tool, check, main  # noqa: E402

DUMPS = os.path.join(SHARED_TESTDATA, "smbios-dumps")


def bios_device(tool: Tool) -> dict:
    devices = json.loads(tool.run("get-devices", "--json").stdout)["Devices"]
    found = [d for d in devices if d.get("Plugin") == "dell_rbu"]
    return found[0] if found else {}


def test() -> None:
    names = sorted(os.listdir(DUMPS))
    check(len(names) == 16, "16 real machines")
    for name in names:
        with open(os.path.join(DUMPS, name, "testInput.xml"), encoding="utf-8") as f:
            xml = f.read()
        want_id = int(re.search(r"<idByte>\s*(\w+)\s*<", xml).group(1), 0)
        want_version = re.search(r"<biosVersion>\s*([^<]*?)\s*<", xml).group(1)
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run([sys.executable, os.path.join(HELPERS, "smbios-dump.py"),
                            os.path.join(DUMPS, name), tmp, "--mem", os.path.join(tmp, "mem")],
                           check=True)
            os.makedirs(os.path.join(tmp, "sys"))
            dev = bios_device(Tool(tmp, {"FWUPD_DEVFS": tmp,
                                         "FWUPD_SYSFSDIR": os.path.join(tmp, "sys")}))
            instance = f"DELL-RBU\\SYSID_{want_id:04X}"
            check(instance in dev.get("InstanceIds", []) and dev.get("Version") == want_version,
                  f"{name}: {instance}, BIOS {want_version}")
            check("updatable" not in dev.get("Flags", []) and
                  "modprobe dell_rbu" in dev.get("UpdateError", ""),
                  f"{name}: without the rbu driver not updatable, saying what to do")

    # the driver is there, but this kernel has no way to give it an image
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, os.path.join(HELPERS, "smbios-dump.py"),
                        os.path.join(DUMPS, "Precision_390"), tmp], check=True)
        os.makedirs(os.path.join(tmp, "sys", "devices", "platform", "dell_rbu"))
        dev = bios_device(Tool(tmp, {"FWUPD_SYSFSDIR": os.path.join(tmp, "sys")}))
        check("CONFIG_FW_LOADER_USER_HELPER" in dev.get("UpdateError", "") and
              "bundled dell_rbu module" in dev.get("UpdateError", ""),
              "without a firmware loader user helper: install the bundled module")
        os.makedirs(os.path.join(tmp, "sys", "class", "firmware"))
        dev = bios_device(Tool(tmp, {"FWUPD_SYSFSDIR": os.path.join(tmp, "sys")}))
        check("updatable" in dev.get("Flags", []) and not dev.get("UpdateError"),
              "with the driver and a firmware loader the BIOS is updatable")


main(test)
