#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""fwupd killed (SIGKILL) at each point of a BIOS update in the real system.

One copy-on-write overlay of the system test's fresh disk, booted three
times. Each point is reached deterministically: strace in the guest kills
fwupd as it enters a chosen system call, or the emulated BIOS holds the SMI
that set the update flag (fake_dcdbas hold_token) until fwupd is killed.
After each kill, before fwupd is started again, the flag and what the driver
holds are read; then fwupd starts, and its history, devices and updates are
checked against the rules:

* the flag 0x5C is never set without the whole image staged;
* history never says success for an image that is not armed, and no entry
  is left without a state;
* an armed update makes the device need a reboot, and nothing is offered;
* an image staged without the flag is freed when fwupd starts.

Boot 1 (A09): staging began, mid-write, written before read-back; a reboot
  with nothing armed (the reset scan finds nothing the BIOS could flash).
Boot 2 (A09, completion code 0): the entry becomes a named failure; success
  recorded before cleanup; the driver reloaded (a flag over nothing is
  cleared); the flag set inside the write before success was recorded; the
  driver reloaded; after fwupdmgr reported success; a reboot with it armed
  (the reset scan finds the whole A10 set below 4 GiB, and nothing else there).
Boot 3 (A10, completion code 0): history says success, nothing is offered.

Usage: crash.py SRC WORK KVER SITE_DIR HDR (as flow.py)
"""

import hashlib
import json
import os
import re
import subprocess
import sys
import time

import flow
from flow import boot, check, say, show
from machine import MachineError

SRC, WORK, KVER, SITE, HDR = sys.argv[1:6]
T0 = time.monotonic()
RBU = "/sys/devices/platform/dell_rbu"
HOLD = "/sys/module/fake_dcdbas/parameters/hold_token"
JOURNAL = "/var/lib/fwupd/pending.db-journal"
STATES = {0: "no state", 1: "pending", 2: "success", 3: "failed", 4: "needs reboot",
          5: "failed (transient)"}
TIMES = []

sys.path.insert(0, os.path.join(SRC, "tests", "helpers"))
import rbu_packets  # noqa: E402


def normalised_digest(stream: bytes) -> str:
    """sha256 of a packet stream with each packet's set ID and checksum zeroed."""
    out = bytearray(stream)
    for pos in range(0, len(out), rbu_packets.PACKET_SIZE):
        out[pos + 12:pos + 16] = bytes(4)
        out[pos + 30:pos + 32] = bytes(2)
    return hashlib.sha256(out).hexdigest()


with open(HDR, "rb") as _f:
    WHOLE = rbu_packets.build(_f.read())
WHOLE_DIGEST = normalised_digest(WHOLE)

def run(m, cmd: str, timeout: float = 600, quiet: bool = False):
    rc, out = m.run(cmd, timeout)
    if not quiet:
        show(cmd, out)
    return rc, out


def staged(m) -> tuple:
    """(the token 0x5C's value, bytes the driver holds, whether they are the
    whole A10 stream under some set ID)"""
    rc, out = run(m, f"cat /sys/devices/platform/dcdbas/token_state; "
                     f"echo size=$(cat {RBU}/data | wc -c) first=$(dd if={RBU}/data bs=1 count=1 "
                     f"status=none | wc -c); "
                     f"perl -0777 -ne 'for($i=0;$i<length;$i+=4096)"
                     f"{{substr($_,$i+12,4)=\"\\0\"x4;substr($_,$i+30,2)=\"\\0\"x2}}"
                     f"print' {RBU}/data | sha256sum")
    flag = re.search(r"^005c=(\d+)$", out, re.M)
    size = re.search(r"^size=(\d+) ", out, re.M)
    digest = re.search(r"^([0-9a-f]{64})\s", out, re.M)
    held = int(size.group(1)) if size else -1
    first = re.search(r" first=(\d+)$", out, re.M)
    if first and int(first.group(1)) != min(held, 1):
        say(f"  NOTE: a 1-byte read of data gives {first.group(1)} bytes, a whole read {held}")
    whole = held == len(WHOLE) and digest is not None and digest.group(1) == WHOLE_DIGEST
    return (int(flag.group(1)) if flag else 0), held, whole


def fwupd_json(m, verb: str) -> dict:
    rc, out = m.run(f"fwupdmgr {verb} --json", 300)
    start = out.find("{")
    try:
        return json.loads(out[start:]) if start >= 0 else {}
    except json.JSONDecodeError:
        show(f"fwupdmgr {verb} --json", out)
        return {}


def bios(devices: list) -> dict:
    for dev in devices:
        if dev.get("Plugin") == "dell_rbu":
            return dev
    return {}


def history_entry(m) -> dict:
    return bios(fwupd_json(m, "get-history").get("Devices", []))


def describe(entry: dict) -> str:
    if not entry:
        return "no entry"
    rel = (entry.get("Releases") or [{}])[0]
    text = f"{rel.get('Version', '?')} {STATES.get(entry.get('UpdateState', 0), '?')}"
    if entry.get("UpdateError"):
        text += f" ({entry['UpdateError']})"
    return text


def fwupd_pid(m) -> str:
    run(m, "systemctl start fwupd", quiet=True)
    rc, out = run(m, "systemctl show -p MainPID --value fwupd", quiet=True)
    return out.strip()


def strace_kill(m, pid: str, path: str, syscall: str, when: int) -> None:
    """strace kills fwupd as it enters the when-th SYSCALL on PATH."""
    run(m, f"setsid strace -f -qq -o /dev/null -p {pid} -P {path} -e trace={syscall} "
           f"-e inject={syscall}:signal=KILL:when={when} </dev/null >/tmp/strace.log 2>&1 &"
           f" for i in $(seq 100); do grep -q '^TracerPid:[[:space:]]*[1-9]' /proc/{pid}/status"
           f" && break; sleep 0.1; done; sleep 1")


def wait_dead(m, pid: str) -> bool:
    rc, out = run(m, f"for i in $(seq 600); do [ -d /proc/{pid} ] || break; sleep 0.1; done; "
                     f"[ ! -d /proc/{pid} ] && echo dead", quiet=True)
    return "dead" in out


class Point:
    def __init__(self, name: str) -> None:
        self.name = name
        self.row = {"point": name}
        self.t0 = time.monotonic()
        say(f"== kill point: {name} ({time.monotonic() - T0:.0f} s)")

    def killed(self, m, pid: str) -> None:
        """After the kill, before fwupd starts again."""
        ok = wait_dead(m, pid)
        check(ok, f"{self.name}: fwupd was killed")
        flag, held, whole = staged(m)
        self.row["flag"] = "on" if flag else "off"
        self.row["staged"] = "whole A10" if whole else (f"{held} bytes" if held else "nothing")
        check(not flag or whole, f"{self.name}: the flag 0x5C is set only over the whole "
              f"A10 set (flag {self.row['flag']}, staged {self.row['staged']})")
        self.armed = bool(flag) and whole

    def restarted(self, m, history_states: tuple) -> None:
        """fwupd started again: what it says, and what it freed."""
        run(m, "systemctl start fwupd; journalctl -b -u fwupd --no-pager -o cat | "
               "grep -i 'staged\\|flag\\|restarted\\|history' | tail -n 5")
        entry = history_entry(m)
        dev = bios(fwupd_json(m, "get-devices").get("Devices", []))
        rc, out = run(m, "fwupdmgr get-updates")
        offered = rc == 0 and "A10" in out
        flag, held, whole = staged(m)
        state = entry.get("UpdateState", 0)
        self.row["history"] = describe(entry)
        self.row["device"] = (STATES.get(dev.get("UpdateState", 0), "?")
                              + (f", {dev.get('Version')}" if dev else ", no BIOS device"))
        self.row["offered"] = "A10" if offered else "nothing"
        self.row["after"] = (f"flag {'on' if flag else 'off'}, "
                             f"{'whole A10' if whole else (f'{held} bytes' if held else 'nothing')}")
        check(state != 0 and bool(entry), f"{self.name}: the history entry has a state "
              f"({self.row['history']})")
        check(state != 2 or self.armed, f"{self.name}: history says success only for an "
              f"armed image ({self.row['history']})")
        check(state in history_states, f"{self.name}: history says "
              f"{' or '.join(STATES[s] for s in history_states)} ({self.row['history']})")
        if self.armed:
            check(dev.get("UpdateState") == 4,
                  f"{self.name}: the armed update makes the BIOS need a reboot "
                  f"({self.row['device']})")
            check(not offered, f"{self.name}: nothing is offered over the armed update")
            check(flag and whole, f"{self.name}: the armed image is kept ({self.row['after']})")
        else:
            check(not flag and held == 0, f"{self.name}: the unarmed image was freed and the "
                  f"flag is off ({self.row['after']})")
            check(dev.get("UpdateState") != 4, f"{self.name}: the BIOS does not need a reboot "
                  f"({self.row['device']})")
            check(offered, f"{self.name}: A10 is offered again")
        self.row["seconds"] = f"{time.monotonic() - self.t0:.0f}"
        TIMES.append(self.row)


def update(m, timeout: float = 900):
    """fwupdmgr update as its user types it; returns (exit code, output)."""
    return run(m, "fwupdmgr update -y --no-reboot-check", timeout)


def by_strace(m, name: str, path: str, syscall: str, when: int, history_states) -> None:
    p = Point(name)
    pid = fwupd_pid(m)
    strace_kill(m, pid, path, syscall, when)
    rc, out = update(m)
    check(rc != 0, f"{name}: fwupdmgr did not report success")
    p.killed(m, pid)
    p.restarted(m, history_states)


def held_smi(m):
    """Starts an update whose SMI setting the flag is held; returns fwupd's PID."""
    pid = fwupd_pid(m)
    run(m, f"echo 92 >{HOLD}; (fwupdmgr update -y --no-reboot-check </dev/null "
           f">/tmp/update.log 2>&1 &); for i in $(seq 3000); do "
           f"grep -q '^005c=1$' /sys/devices/platform/dcdbas/token_state && break; "
           f"pgrep -x fwupdmgr >/dev/null || break; sleep 0.2; "
           f"done; cat /sys/devices/platform/dcdbas/token_state /tmp/update.log", 900)
    return pid


def reboot_and_scan(m, name: str, armed: bool) -> None:
    flag, held, whole = staged(m)
    say(f"$ systemctl reboot   (flag {'on' if flag else 'off'}, "
        f"{'whole A10' if whole else f'{held} bytes'} staged)")
    m.run_until_reset("systemctl reboot", 600, {})
    dump = os.path.join(WORK, f"crash-{name}.ram")
    m.dump_ram(dump)
    args = ["--expect-image", HDR, "--below", "4G", "--only-below"] if armed else \
        ["--json", "--below", "4G"]
    scan = subprocess.run([sys.executable, os.path.join(SRC, "tests/helpers/rbu-ram-scan"),
                           dump] + args, capture_output=True, text=True, check=False)
    os.unlink(dump)
    if armed:
        show("rbu-ram-scan (the BIOS's view of RAM at the reset)", scan.stdout + scan.stderr)
        check(flag == 1 and scan.returncode == 0, f"reboot after '{name}': the flag is set and "
              "RAM holds the whole A10 set below 4 GiB, and nothing else complete there")
        return
    found = json.loads(scan.stdout).get("found", []) if scan.stdout.startswith("{") else None
    sets = [f for f in found or [] if f["kind"] == "packet-set" and f["complete_copies_below"]]
    for f in found or []:
        say(f"  rbu-ram-scan: complete {f['kind']} at 0x{f['start']:X}, "
            f"{'below' if f['below_limit'] else 'above'} 4 GiB")
    check(found is not None and flag == 0 and not sets,
          f"reboot after '{name}': the flag is off and no complete packet set lies below "
          f"4 GiB: nothing for the BIOS to flash")


def boot1(overlay: str) -> None:
    m = boot("crash-1", overlay, "qcow2", "A09", "ff ff")
    try:
        run(m, "systemctl is-system-running --wait; fwupdmgr refresh")
        by_strace(m, "staging began (before any write to the rbu files)",
                  f"{RBU}/image_type", "openat", 1, (1,))
        # sysfs takes at most a page per write(): 8 of the 260 packets are written
        by_strace(m, "mid-write (8 of 260 packets)", f"{RBU}/image", "write", 9, (1,))
        by_strace(m, "written, before the read-back", f"{RBU}/data", "openat", 1, (1,))
        reboot_and_scan(m, "unarmed", armed=False)
    finally:
        m.quit()


def boot2(overlay: str) -> None:
    m = boot("crash-2", overlay, "qcow2", "A09", "00 00")
    try:
        entry = history_entry(m)
        run(m, "fwupdmgr get-history")
        check(entry.get("UpdateState") == 3 and "did not flash" in (entry.get("UpdateError") or ""),
              f"after a reboot with nothing armed, the entry is a named failure "
              f"({describe(entry)})")

        # success recorded (its history write committed), then killed as the
        # next history write begins, before cleanup: strace is attached while
        # the SMI that set the flag is held, so it counts from there
        p = Point("success recorded, before cleanup")
        pid = held_smi(m)
        strace_kill(m, pid, JOURNAL, "openat", 2)
        run(m, f"echo -1 >{HOLD}")
        p.killed(m, pid)
        run(m, "cat /tmp/update.log")
        p.restarted(m, (2, 4))

        # the driver reloaded: the flag is left over nothing
        run(m, "systemctl stop fwupd; modprobe -r dell_rbu && modprobe dell_rbu; "
               "systemctl start fwupd; fwupdmgr get-devices >/dev/null")
        flag, held, _ = staged(m)
        rc, out = run(m, "fwupdmgr get-updates")
        check(flag == 0 and held == 0 and rc == 0 and "A10" in out,
              "after the driver was reloaded, fwupd cleared the flag left over nothing and "
              "offers A10 again")

        p = Point("flag set inside the write, before success was recorded")
        pid = held_smi(m)
        run(m, f"kill -KILL {pid}; echo -1 >{HOLD}")
        p.killed(m, pid)
        p.restarted(m, (1, 4))

        # a pending entry is not inherited: after the reload, A10 is offered
        run(m, "systemctl stop fwupd; modprobe -r dell_rbu && modprobe dell_rbu; "
               "systemctl start fwupd; fwupdmgr get-devices >/dev/null")

        p = Point("after fwupdmgr reported success")
        pid = fwupd_pid(m)
        rc, out = update(m)
        check(rc == 0, "fwupdmgr update reported success")
        run(m, f"kill -KILL {pid}")
        p.killed(m, pid)
        p.restarted(m, (4,))
        reboot_and_scan(m, "armed", armed=True)
    finally:
        m.quit()


def boot3(overlay: str) -> None:
    m = boot("crash-3", overlay, "qcow2", "A10", "00 00")
    try:
        entry = history_entry(m)
        run(m, "fwupdmgr get-history")
        check(entry.get("UpdateState") == 2 and
              (entry.get("Releases") or [{}])[0].get("Version") == "A10",
              f"after the BIOS flashed the armed A10, history says success ({describe(entry)})")
        rc, out = run(m, "fwupdmgr get-updates")
        check(rc != 0 and "New version" not in out,
              "nothing newer than A10 is offered")
    finally:
        m.quit()


def main() -> int:
    server = flow.serve_site()
    overlay = os.path.join(WORK, "crash.qcow2")
    if os.path.exists(overlay):
        os.unlink(overlay)
    subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", "-b",
                    os.path.join(WORK, "disk.raw"), "-F", "raw", overlay], check=True)
    try:
        boot1(overlay)
        boot2(overlay)
        boot3(overlay)
    except MachineError as e:
        check(False, str(e))
    finally:
        flow.stop_site(server)
        os.unlink(overlay)
    say("| kill point | flag | staged | history after restart | BIOS device | offered "
        "| after restart | s |")
    say("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for row in TIMES:
        say("| " + " | ".join(row.get(k, "") for k in ("point", "flag", "staged", "history",
                                                        "device", "offered", "after", "seconds"))
            + " |")
    total = time.monotonic() - T0
    say(f"system crash ({KVER}): {flow.RESULTS['PASS']} passed, {flow.RESULTS['FAIL']} failed "
        f"in {total:.0f} s of boots")
    return 1 if flow.RESULTS["FAIL"] else 0


if __name__ == "__main__":
    sys.exit(main())
