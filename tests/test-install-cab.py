#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The stock fwupdtool builds and installs an RBU cabinet through both
plugins on an emulated Dell: the bytes staged, the order of the sysfs writes,
the update flag, and every failure leaving nothing staged and no flag."""

import os
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "helpers"))
import json  # noqa: E402
import re  # noqa: E402
import sqlite3  # noqa: E402

from fwupd_env import SHARED_TESTDATA, check, main, make_smbios  # noqa: E402
from rbu_machine import Machine, build_cab, dell_spec  # noqa: E402
from rbu_packets import build as build_packets, fresh_set_id  # noqa: E402

HDR = os.path.join(SHARED_TESTDATA, "hdr")
A10 = os.path.join(HDR, "system_bios_0x1028_0x0152_version_a10.hdr")
GUID = "85e95dc0-12e8-551e-baeb-dfb7718721a0"
RBU = "devices/platform/dell_rbu"
LOADER = "class/firmware/dell_rbu"


def install(m: Machine, cab: str, expect_ok: bool):
    return m.tool.run("install", "--no-reboot-check", "--allow-reinstall", cab, expect_ok=expect_ok)


def packet_set_id(want: bytes, got: bytes):
    """got's set ID when it is want under one fresh set ID, else None."""
    try:
        return f"0x{fresh_set_id(want, got):08X}"
    except ValueError as e:
        print(f"# {e}")
        return None


def staging_writes(m: Machine) -> list:
    return [w for w in m.writes() if not w.startswith(f"{RBU}/image_type init")]


def test_good(tmp: str, packet: bool) -> None:
    mode = "packet" if packet else "mono"
    with Machine(tmp, dell_spec(0x152, packet)) as m:
        dev = bios_device(m)
        check(GUID in dev.get("Guid", []) and dev.get("Version") == "A09",
              f"{mode}: get-devices lists the BIOS A09")
        cab = build_cab(m, tmp, A10, f"good-{mode}")
        check(os.path.getsize(cab) > 0, f"{mode}: build-cabinet makes the cabinet")
        install(m, cab, True)
        with open(A10, "rb") as f:
            image = f.read()
        # the expected packets come from the test's own builder, not the plugin
        want = build_packets(image) if packet else image
        if packet:
            first = packet_set_id(image, m.staged())
            check(first is not None,
                  f"{mode}: the driver holds exactly the independently built packet stream, "
                  f"under a fresh set ID {first}")
        else:
            check(m.staged() == want, f"{mode}: the driver holds exactly the image")
        writes = [w.split(" ")[0] + " " + w.split(" ")[1].split("@")[0] if "@" in w else w for w in m.writes()]
        head = [f"{RBU}/image_type {mode}"]
        if packet:
            head.append(f"{RBU}/packet_size 4096")
        head += [f"{RBU}/image_type init", f"{LOADER}/loading 1"]
        check(writes[:len(head)] == head, f"{mode}: sysfs writes begin {head}")
        check(writes[-1] == f"{LOADER}/loading 0", f"{mode}: and end with loading 0")
        total = sum(int(w.split(" ")[1].split("@")[0]) for w in m.writes() if w.startswith(f"{LOADER}/data"))
        check(total == len(want), f"{mode}: {total} bytes streamed into the loader")
        check(m.flag_active(), f"{mode}: the update flag (token 0x005C) is active in CMOS")
        history = json.loads(m.tool.run("get-history", "--json").stdout)
        states = [d.get("UpdateState") for d in history.get("Devices", [])]
        check("needs-reboot" in states or 4 in states,
              f"{mode}: the update is pending a reboot in fwupd's history")
        if packet:
            # a fwupd restarted with no history of it still sees the armed update
            m.tool.env["FWUPD_LOCALSTATEDIR"] = os.path.join(tmp, "state-restarted")
            dev = bios_device(m)
            check(dev.get("UpdateState") in ("needs-reboot", 4) and
                  bool(dev.get("Problems")),
                  f"{mode}: a restarted fwupd shows the armed update as needing a reboot "
                  f"({dev.get('UpdateState')}, {dev.get('Problems')})")
            staged = m.staged()
            install(m, cab, False)
            check(m.staged() == staged and m.flag_active(),
                  f"{mode}: and installs nothing over it")
            # the flag off over a staged image, as a fwupd stopped before arming leaves it
            m.set_flag(False)
            m.tool.env["FWUPD_LOCALSTATEDIR"] = os.path.join(tmp, "state-unarmed")
            dev = bios_device(m)
            check(m.staged() == b"" and dev.get("UpdateState") not in ("needs-reboot", 4),
                  f"{mode}: a restarted fwupd frees an image staged without the flag")
            install(m, cab, True)
            again = packet_set_id(image, m.staged())
            check(again is not None and again != first,
                  f"{mode}: staging again uses another set ID ({first}, then {again})")


def bios_device(m: Machine) -> dict:
    devices = json.loads(m.tool.run("get-devices", "--json").stdout)["Devices"]
    return [d for d in devices if d.get("Plugin") == "dell_rbu"][0]


def reboot_into(m: Machine, version: str, completion: int) -> None:
    """A reboot as fwupd sees it: another boot time in its history, and the
    SMBIOS the BIOS leaves behind, with its version and 0xDE code."""
    spec = dell_spec(0x152, True)
    spec["bios"]["version"] = version
    de = spec["raw"][2]
    de["data"] = f"01 02 {completion & 0xFF:02x} {completion >> 8:02x}" + de["data"][11:]
    make_smbios(spec, m.root)
    db = os.path.join(m.tool.env["FWUPD_LOCALSTATEDIR"], "lib", "fwupd", "pending.db")
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT device_id, metadata FROM history").fetchall()
        for device_id, metadata in rows:
            metadata = re.sub(r"BootTime=[^;]*", "BootTime=0", metadata or "")
            conn.execute("UPDATE history SET metadata = ? WHERE device_id = ?", (metadata, device_id))
    m.tool.run("get-devices")


def test_results(tmp: str) -> None:
    for version, code, want in (("A09", 0x0007, "the AC adapter is needed"),
                                ("A09", 0x000C, "the flash did not verify"),
                                ("A10", 0x0000, None)):
        sub = os.path.join(tmp, f"{version}-{code}")
        os.makedirs(sub)
        with Machine(sub, dell_spec(0x152, True)) as m:
            install(m, build_cab(m, sub, A10, "cab"), True)
            dev_id = json.loads(m.tool.run("get-devices", "--json").stdout)["Devices"]
            dev_id = [d["DeviceId"] for d in dev_id if d.get("Plugin") == "dell_rbu"][0]
            reboot_into(m, version, code)
            out = m.tool.run("get-history", "--json").stdout
            rel = [d for d in json.loads(out)["Devices"] if d.get("DeviceId") == dev_id][0]
            state = rel.get("UpdateState")
            if want is None:
                check(state in ("success", 2), f"after a reboot into {version}: success ({state})")
            else:
                check(want in rel.get("UpdateError", "") and
                      state in (("failed-transient", 5) if code == 7 else ("failed", 3)),
                      f"0xDE code 0x{code:04X} after the reboot: {state}, '{want}'")


def test_refused(tmp: str) -> None:
    with Machine(tmp, dell_spec(0x152, True)) as m:
        cab = build_cab(m, tmp, os.path.join(HDR, "MLB-000209.HDR"), "wrong-system")
        out = install(m, cab, False)
        text = out.stdout + out.stderr
        check(out.returncode != 0 and "0x01BB" in text and "0x0152" in text,
              "an image for system 0x01BB is refused naming both IDs")
        check(not [w for w in m.writes() if "loading" in w or "/data" in w],
              "nothing was streamed for it")
        check(not m.flag_active(), "and the update flag is not set")

        with open(A10, "rb") as f:
            image = bytearray(f.read())
        image[1000] ^= 0x01
        bad = os.path.join(tmp, "corrupt.hdr")
        with open(bad, "wb") as f:
            f.write(image)
        cab = build_cab(m, tmp, bad, "corrupt")
        out = install(m, cab, False)
        check(out.returncode != 0 and "image CRC-32" in out.stdout + out.stderr,
              "a corrupt image is refused for its CRC")
        check(m.staged() == b"" and not m.flag_active(), "nothing staged, no flag")


FAILURES = [
    ("readonly:image_type", True, "cannot open"),
    ("readonly:packet_size", True, "packet_size"),
    ("readonly:loading", False, "loading"),
    ("short:image_type", False, "short write"),
    ("stuck:data", False, "the driver took nothing"),
    ("corrupt", False, "differ from"),
    ("nostage", True, "differ from"),
]


def test_failures(tmp: str) -> None:
    for fail, packet, fragment in FAILURES:
        sub = os.path.join(tmp, fail.replace(":", "-"))
        os.makedirs(sub)
        with Machine(sub, dell_spec(0x152, packet), fail=fail) as m:
            cab = build_cab(m, sub, A10, "cab")
            out = install(m, cab, False)
            text = out.stdout + out.stderr
            check(out.returncode != 0 and fragment in text,
                  f"{fail}: the install fails saying '{fragment}'")
            writes = m.writes()
            check(m.staged() == b"", f"{fail}: nothing is left staged")
            mode = "packet" if packet else "mono"
            first_data = next((i for i, w in enumerate(writes) if "/data" in w or "/image " in w),
                              len(writes))
            check(fail in ("readonly:image_type", "short:image_type")
                  or writes[-1] == f"{RBU}/image_type {mode}",
                  f"{fail}: writing image_type {mode} frees the driver's memory at the end")
            check(not any(w.endswith("image_type init") for w in writes[first_data:]),
                  f"{fail}: the cancel asks for no firmware (no init after the data)")
            check(not m.flag_active(), f"{fail}: the update flag is not set")


def test_no_token(tmp: str) -> None:
    spec = dell_spec(0x152, True)
    spec["raw"] = [r for r in spec["raw"] if r["type"] != "0xD4"]
    with Machine(tmp, spec) as m:
        out = install(m, build_cab(m, tmp, A10, "no-token"), False)
        check(out.returncode != 0 and "no token 0x005C" in out.stdout + out.stderr,
              "a BIOS without the update token is refused before staging")
        check(not [w for w in m.writes() if "loading" in w or "/data" in w], "nothing was streamed")


def test_quirk(tmp: str) -> None:
    quirks = os.path.join(tmp, "quirks.d")
    os.makedirs(quirks)
    with open(os.path.join(quirks, "test.quirk"), "w", encoding="utf-8") as f:
        f.write("[DELL-RBU\\SYSID_0152]\nDellRbuMode = mono\n")
    with Machine(tmp, dell_spec(0x152, True)) as m:
        m.tool.env["FWUPD_DATADIR_QUIRKS"] = quirks
        install(m, build_cab(m, tmp, A10, "quirk"), True)
        with open(A10, "rb") as f:
            check(m.staged() == f.read() and f"{RBU}/image_type mono" in m.writes(),
                  "the DellRbuMode quirk stages monolithically though 0xDE offers packets")


def test_older(tmp: str) -> None:
    """Each refusal for its reason, naming both versions, and nothing staged."""
    a09 = os.path.join(HDR, "system_bios_0x1028_0x0152_version_a09.hdr")
    with Machine(tmp, dell_spec(0x152, True)) as m:
        out = m.tool.run("install", "--no-reboot-check", build_cab(m, tmp, a09, "same"),
                         expect_ok=False)
        text = out.stdout + out.stderr
        check(out.returncode != 0
              and "BIOS A09 is not newer than the running A09 in Dell's version order" in text
              and not [w for w in m.writes() if "/data" in w],
              "a release A10 holding the running A09 is refused by the plugin as not newer, "
              "nothing streamed")
    spec = dell_spec(0x152, True)
    spec["bios"]["version"] = "A10"
    sub = os.path.join(tmp, "on-a10")
    os.makedirs(sub)
    with Machine(sub, spec) as m:
        out = m.tool.run("install", "--no-reboot-check", build_cab(m, sub, a09, "older", "A09"),
                         expect_ok=False)
        text = out.stdout + out.stderr
        check(out.returncode != 0 and "older than installed 'A09 < A10'" in text
              and not [w for w in m.writes() if "/data" in w],
              "on A10 a release A09 is refused by fwupd as older, naming A09 and A10")
        cab = build_cab(m, sub, a09, "older-inside", "A11")
        out = m.tool.run("install", "--no-reboot-check", cab, expect_ok=False)
        text = out.stdout + out.stderr
        check(out.returncode != 0
              and "BIOS A09 is not newer than the running A10 in Dell's version order" in text
              and not [w for w in m.writes() if "/data" in w] and not m.flag_active(),
              "on A10 a release A11 holding A09 is refused by the plugin, naming A09 and A10; "
              "nothing streamed, no flag")
        m.tool.run("install", "--no-reboot-check", "--allow-older", cab)
        with open(a09, "rb") as f:
            check(packet_set_id(f.read(), m.staged()) is not None and m.flag_active(),
                  "with --allow-older the same cabinet stages A09 and sets the flag")


def test_direct(tmp: str) -> None:
    with Machine(tmp, dell_spec(0x152, False), direct=True) as m:
        cab = build_cab(m, tmp, A10, "direct")
        install(m, cab, True)
        with open(A10, "rb") as f:
            check(m.staged() == f.read(), "the bundled module's direct path holds the image")
        check(not [w for w in m.writes() if w.startswith(LOADER)],
              "the direct path is preferred over the firmware loader")
        check(m.flag_active(), "the update flag is set")


def test_late(tmp: str) -> None:
    """The distribution's driver answers ENOMEM to reads of data until its
    callback has made the packets, a moment after loading=0."""
    with Machine(tmp, dell_spec(0x152, True), fail="late") as m:
        install(m, build_cab(m, tmp, A10, "late"), True)
        with open(A10, "rb") as f:
            check(packet_set_id(f.read(), m.staged()) is not None and m.flag_active(),
                  "a driver that holds nothing for a moment after loading=0 gets the image staged and the flag set")


def test_kexec(tmp: str) -> None:
    with Machine(tmp, dell_spec(0x152, True), fail="kexec-loaded") as m:
        cab = build_cab(m, tmp, A10, "kexec")
        out = install(m, cab, False)
        check(out.returncode != 0 and "kexec -u" in out.stdout + out.stderr,
              "with a kexec kernel loaded the install is refused, naming 'kexec -u'")
        check(not [w for w in m.writes() if "/data" in w] and not m.flag_active(),
              "and nothing was streamed, no flag set")
        m.tool.run("install", "--no-reboot-check", "--force", cab)
        check(len(m.staged()) > 0 and m.flag_active(), "--force stages it anyway and sets the flag")


def test() -> None:
    for name, fn in (("packet", lambda t: test_good(t, True)), ("mono", lambda t: test_good(t, False)),
                     ("refused", test_refused), ("results", test_results),
                     ("no-token", test_no_token), ("quirk", test_quirk), ("older", test_older), ("failures", test_failures), ("direct", test_direct),
                     ("kexec", test_kexec), ("late", test_late)):
        with tempfile.TemporaryDirectory(prefix=f"rbu-{name}-") as tmp:
            fn(tmp)


main(test)
