#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""What fwupd's history says when an update stops half-way, through the
stock fwupdtool on an emulated Dell: a writer killed during staging leaves
an entry that is pending, not one without a state or a success, that the
next boot turns into a named failure, and the same release is offered
again; a flag the BIOS refuses to set inside the write fails the install,
frees the image and is never recorded as a success."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "helpers"))
from fwupd_env import FWUPDTOOL, SHARED_TESTDATA, check, main, make_smbios  # noqa: E402
from rbu_machine import Machine, build_cab, dell_smi_spec, dell_spec  # noqa: E402

A10 = os.path.join(SHARED_TESTDATA, "hdr", "system_bios_0x1028_0x0152_version_a10.hdr")
RBU = "devices/platform/dell_rbu"
PENDING, FAILED = ("pending", 1), ("failed", 3)


def bios_entry(m: Machine) -> dict:
    out = m.tool.run("get-history", "--json").stdout
    devices = json.loads(out).get("Devices", []) if out.strip() else []
    entries = [d for d in devices if d.get("Plugin") == "dell_rbu"]
    return entries[-1] if entries else {}


def bios_device(m: Machine) -> dict:
    devices = json.loads(m.tool.run("get-devices", "--json").stdout)["Devices"]
    return [d for d in devices if d.get("Plugin") == "dell_rbu"][0]


def reboot_into_same_bios(m: Machine, spec: dict) -> None:
    """Another boot as fwupd sees it: the BIOS flashed nothing (still A09,
    completion code 0 from an earlier update) and RAM holds nothing."""
    spec = json.loads(json.dumps(spec))
    de = spec["raw"][2]
    de["data"] = "01 02 00 00" + de["data"][11:]
    make_smbios(spec, m.root)
    db = os.path.join(m.tool.env["FWUPD_LOCALSTATEDIR"], "lib", "fwupd", "pending.db")
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE history SET metadata = replace(metadata, "
                     "substr(metadata, instr(metadata, 'BootTime='), 19), 'BootTime=0;')")


def test_killed(tmp: str) -> None:
    spec = dell_spec(0x152, True)
    with Machine(tmp, spec, fail="slow:data") as m:
        cab = build_cab(m, tmp, A10, "killed")
        proc = subprocess.Popen(m.tool.argv([FWUPDTOOL, "install", "--no-reboot-check", cab]),
                                env=m.tool.env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            if sum(1 for w in m.writes() if "/data " in w) >= 2:
                break
            time.sleep(0.05)
        streamed = sum(1 for w in m.writes() if "/data " in w)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        check(streamed >= 2, f"fwupdtool killed while it streamed the image ({streamed} writes)")
        entry = bios_entry(m)
        check(entry.get("UpdateState") in PENDING,
              f"the history entry of the killed update is pending ({entry.get('UpdateState')})")
        check(not m.flag_active(), "the flag was never set")
        dev = bios_device(m)
        check(dev.get("UpdateState") not in ("needs-reboot", 4),
              "a restarted fwupd does not claim an update waits for the reboot")
        reboot_into_same_bios(m, spec)
        m.tool.run("get-devices")
        entry = bios_entry(m)
        check(entry.get("UpdateState") in FAILED and
              "the BIOS did not flash the update" in entry.get("UpdateError", ""),
              f"after the reboot it is a named failure ({entry.get('UpdateState')}, "
              f"'{entry.get('UpdateError')}')")
        m.tool.run("install", "--no-reboot-check", cab)
        check(m.flag_active() and len(m.staged()) > 0, "the same release installs again")


def test_flag_refused(tmp: str) -> None:
    with Machine(tmp, dell_smi_spec(0x152), fail="refuse-flag", dcdbas="") as m:
        cab = build_cab(m, tmp, A10, "refused")
        proc = m.tool.run("install", "--no-reboot-check", cab, expect_ok=False)
        out = proc.stdout + proc.stderr
        check(proc.returncode != 0 and "the BIOS update flag was not set" in out,
              "a flag the BIOS refuses to set fails the install")
        check(m.staged() == b"" and "0x005C" in out.upper().replace("0X", "0x"),
              "the image is freed and the message names the token")
        entry = bios_entry(m)
        check(entry.get("UpdateState") in FAILED and
              "the BIOS update flag was not set" in entry.get("UpdateError", ""),
              f"the history records the failure, never a success ({entry.get('UpdateState')})")


def test() -> None:
    with tempfile.TemporaryDirectory(prefix="dell-rbu-history-") as tmp:
        for case in (test_killed, test_flag_refused):
            os.makedirs(os.path.join(tmp, case.__name__))
            case(os.path.join(tmp, case.__name__))


if __name__ == "__main__":
    main(test)
