#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""A Dell owner's machine, booted three times from one Debian disk.

1. BIOS A09, with an admin password that fwupd reads from AdminPasswordFile:
   fwupdmgr sees the BIOS, refreshes the site's signed metadata, is offered
   A10 and `update -y` stages it, sets the update flag with the password's
   key and restarts through systemd. At shutdown the emulated dcdbas reports
   its buffer, which must hold nothing of the password; at the reset QEMU
   pauses, and all RAM is dumped and scanned as the BIOS would.
2. The BIOS flashed A10 (completion code 0): fwupd reports success, offers
   nothing newer.
3. The BIOS failed with code 7: fwupd reports a transient failure naming the
   AC adapter.

With SYSTEM_UEFI=1 (the test suite; its crash test covers the same flow
under SeaBIOS), the machine boots through OVMF (SMBIOS uefi=on, efivars, no
ESRT), as a Dell of the RBU era that boots through UEFI without capsules:
fwupd's capsule warning is recorded, DisabledPlugins=bios silences it, and
the owner's flow, the reset scan and the result boots must pass.

Usage: flow.py SRC WORK KVER SITE_DIR HDR PASSWORD
"""

import fcntl
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

import gnome
from machine import Machine, MachineError, MachinePanic
from password_traces import buffer_traces, text_traces

SRC, WORK, KVER, SITE, HDR, PASSWORD = sys.argv[1:7]
PASSWORD_FILE = "/etc/fwupd/dell-bios-admin-password"
SITE_PORT = 8470
OVMF_CODE = "/usr/share/OVMF/OVMF_CODE.fd"
OVMF_VARS = "/usr/share/OVMF/OVMF_VARS.fd"
CAPSULE_WARNING = "UEFI capsule updates not available or enabled in firmware setup"
ESP_WARNING = "UEFI ESP partition not detected or configured"
NO_ESP_DISABLED = "bios;uefi_capsule;uefi_dbx"
T0 = time.monotonic()
RESULTS = {"PASS": 0, "FAIL": 0}


def say(text: str) -> None:
    print(text, flush=True)


def check(ok: bool, what: str) -> bool:
    word = "PASS" if ok else "FAIL"
    RESULTS[word] += 1
    say(f"{word} system: {what}")
    return ok


def show(cmd: str, out: str) -> None:
    say(f"$ {cmd}")
    for line in out.rstrip("\n").split("\n"):
        if line.strip():
            say(f"  {line}")


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    served = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=SITE, **kwargs)

    def log_message(self, fmt, *args):  # pylint: disable=arguments-differ
        SiteHandler.served.append(self.path)


def serve_site() -> http.server.ThreadingHTTPServer:
    """The site on the host port the image's remote names (the guest's
    10.0.2.2 is the host's loopback); a second system test on this host
    waits for the first to finish."""
    lock = open(os.path.join(tempfile.gettempdir(), f"fwupd-dell-rbu-site-{SITE_PORT}.lock"),
                "w", encoding="ascii")
    fcntl.flock(lock, fcntl.LOCK_EX)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", SITE_PORT), SiteHandler)
    server.lock = lock
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def stop_site(server: http.server.ThreadingHTTPServer) -> None:
    server.shutdown()
    server.server_close()
    server.lock.close()


def smbios_args(name: str, version: str, code: str, uefi: bool = False) -> list:
    with open(os.path.join(SRC, "tests/kernel/e2e-dell.json"), encoding="utf-8") as f:
        spec = json.load(f)
    spec["bios"]["version"] = version
    for raw in spec["raw"]:
        if raw["type"] == "0xDE":
            data = raw["data"].split()
            data[2:4] = code.split()
            raw["data"] = " ".join(data)
    spec_path = os.path.join(WORK, f"smbios-{name}.json")
    with open(spec_path, "w", encoding="utf-8") as f:
        json.dump(spec, f)
    oem = os.path.join(WORK, f"smbios-{name}.bin")
    subprocess.run([sys.executable, os.path.join(SRC, "tests/helpers/smbios-build.py"),
                    spec_path, os.path.join(WORK, f"smbios-{name}"), "--raw", oem], check=True)
    return ["-smbios", f"type=0,vendor=Dell Inc.,version={version},uefi={'on' if uefi else 'off'}",
            "-smbios", "type=1,manufacturer=Dell Inc.,product=PowerEdge E2E,sku=0152",
            "-smbios", "type=11,value=Dell System,value=1[0152]",
            "-smbios", f"file={oem}"]


def uefi_args(name: str) -> list:
    """OVMF, whose variables are the machine's own: a UEFI with no ESRT, as
    on a Dell of the RBU era that boots through UEFI without capsules."""
    variables = os.path.join(WORK, f"{name}.ovmf-vars.fd")
    shutil.copyfile(OVMF_VARS, variables)
    return ["-drive", f"if=pflash,format=raw,unit=0,readonly=on,file={OVMF_CODE}",
            "-drive", f"if=pflash,format=raw,unit=1,file={variables}"]


def boot(name: str, disk: str, fmt: str, version: str, code: str,
         uefi: bool = False) -> Machine:
    accel = "tcg"
    if os.path.exists("/dev/kvm") and (os.path.isdir("/sys/module/kvm_intel")
                                       or os.path.isdir("/sys/module/kvm_amd")):
        accel = "kvm"
    # no hypervisor bit in CPUID: fwupd then behaves as on a real machine
    cpu = ("host" if accel == "kvm" else "qemu64") + ",hypervisor=off"
    args = ["-accel", accel, "-cpu", cpu, "-m", "4G", "-smp", "2", "-nodefaults", "-no-user-config",
            "-display", "none",
            "-kernel", os.path.join(WORK, "vmlinuz"), "-initrd", os.path.join(WORK, "initrd.img"),
            "-append", "root=LABEL=root rw console=ttyS0 quiet loglevel=1",
            "-drive", f"file={disk},format={fmt},if=virtio",
            "-netdev", "user,id=n0",
            "-device", "virtio-net-pci,netdev=n0"] + smbios_args(name, version, code, uefi)
    if uefi:
        args += uefi_args(name)
    say(f"== boot {name}: Dell system 0x0152, BIOS {version}, RBU completion code {code}"
        + (", UEFI (OVMF) without capsules" if uefi else ""))
    console = os.path.join(WORK, f"{name}.console.log")
    machine = Machine(WORK, name, args, console)
    try:
        machine.login()
    except MachinePanic as e:
        machine.quit()
        with open(console, "rb") as f:
            ours_loaded = b"dell_rbu" in f.read()
        # Debian 13's 6.12 under TCG, about once in 13 boots: an Oops in
        # sched_clock_cpu at 3 s, before any module of ours; boot once more
        if ours_loaded:
            raise
        shutil.copyfile(console, console + ".panic")
        say(f"INFO boot {name}: {e}, before dell_rbu was loaded "
            f"({name}.console.log.panic); booting again")
        machine = Machine(WORK, name, args, console)
        machine.login()
    return machine


def user(machine: Machine, cmd: str, timeout: float = 600):
    rc, out = machine.run(cmd, timeout)
    show(cmd, out)
    return rc, out


def start_fwupd(machine: Machine) -> None:
    """fwupdmgr's D-Bus activation of fwupd gives up after 25 s, which fwupd's
    start-up can take under TCG on a loaded host; systemd waits for it."""
    rc, out = user(machine, "systemctl start fwupd.service")
    check(rc == 0, "fwupd.service started")


def first_boot(name: str, disk: str, fmt: str, uefi: bool = False) -> None:
    SiteHandler.served.clear()
    m = boot(name, disk, fmt, "A09", "ff ff", uefi)
    try:
        rc, out = user(m, "systemctl is-system-running --wait")
        check(out.strip() == "running", "systemd brought the machine up with no failed unit")
        if out.strip() != "running":
            user(m, "systemctl --failed")
        rc, out = user(m, "ls /sys/firmware/dmi/entries; grep -c ' hypervisor' /proc/cpuinfo")
        entries = out.split()
        check(all(f"{t}-0" in entries for t in (0, 1, 11, 208, 218, 222)) and entries[-1] == "0",
              "every SMBIOS table is in the guest (types 0, 1, 11, 0xD0, 0xDA, 0xDE), "
              "and its CPU does not say it is a virtual machine")
        rc, out = user(m, "dkms status")
        check(f"dell-rbu/" in out and f", {KVER}, " in out and "installed" in out,
              f"DKMS built and installed dell-rbu for the image's kernel {KVER}")
        # an out-of-tree module taints the kernel with O; the kernel's own does not
        rc, out = user(m, "modinfo -n dell_rbu; cat /sys/module/dell_rbu/taint")
        lines = out.split()
        check(rc == 0 and len(lines) == 2 and "/updates/dkms/" in lines[0] and "O" in lines[1],
              "udev loaded dell_rbu by the Dell's DMI modalias: the DKMS-built module, "
              "not the kernel's own")
        start_fwupd(m)
        if uefi:
            capsule_warning(m)
        rc, out = user(m, "fwupdmgr get-devices")
        check(rc == 0 and "SYSID_0152" in out and "A09" in out,
              "fwupdmgr get-devices shows the BIOS of system 0x0152 at A09")
        rc, out = user(m, "fwupdmgr refresh")
        check(rc == 0 and "/firmware.xml.gz.jcat" in SiteHandler.served,
              "fwupdmgr refresh takes the site's metadata and its jcat signature")
        rc, out = user(m, "fwupdmgr get-updates")
        check(rc == 0 and "A10" in out and "Example Model System Update" in out,
              "fwupdmgr get-updates offers A10 as 'Example Model System Update'")
        gnome.look(m, user, check, WORK)
        key = bios_password(m)
        if gnome.INSTALL:
            out = gnome.install(m, user, check, WORK)
        else:
            # fwupdmgr 2.0.20 asks about the restart even with -y
            say("$ fwupdmgr update -y")
            out = m.run_until_reset("fwupdmgr update -y", 900, {"Restart now? [y|N]": "y"},
                                    ("Writing", "Successfully installed", "Restart now?"))
            bench_update(m.marks)
        for line in out.split("\n"):
            if line.strip() and "@" not in line:
                say(f"  {line}")
        cab = [p for p in SiteHandler.served if p.endswith(".cab")]
        client = "GNOME Software" if gnome.INSTALL else "fwupdmgr"
        check(bool(cab), f"{client} downloaded the cabinet ({', '.join(cab)})")
        check("Restart now?" in out or gnome.INSTALL,
              f"{client} asked to restart, and systemd restarted the machine: QEMU paused at the reset")
        said = "\n".join(line for line in out.split("\n")
                         if not line.startswith("fake-dcdbas at shutdown:"))
        check(not text_traces(PASSWORD, key, said.encode()),
              "fwupdmgr update's output holds neither the BIOS password nor its key")
        dump = os.environ.get("RESET_DUMP") or os.path.join(WORK, "reset.ram")
        m.dump_ram(dump)
        smi_data_at_shutdown(m, key)
        scan = subprocess.run([sys.executable, os.path.join(SRC, "tests/helpers/rbu-ram-scan"),
                               dump, "--expect-image", HDR, "--below", "4G", "--only-below"],
                              capture_output=True, text=True, check=False)
        show("rbu-ram-scan (the BIOS's view of RAM at the reset)", scan.stdout + scan.stderr)
        check(scan.returncode == 0,
              "RAM at the reset holds the whole A10 packet set below 4 GiB, and nothing else there")
        if not os.environ.get("RESET_DUMP"):
            os.unlink(dump)
        else:
            say(f"  (RAM dump kept at {dump})")
    finally:
        m.quit()


def bench_update(marks: dict) -> None:
    """fwupdmgr update -y's timeline as its user sees it (0.05 s steps):
    writing the image to the reset, and the part of it before the restart
    prompt (staging, read-back and arming)."""
    got = {k: f"{v:.1f}" for k, v in marks.items()}
    say(f"BENCH system: fwupdmgr update -y: writing at {got.get('Writing', '?')} s, "
        f"installed at {got.get('Successfully installed', '?')} s, "
        f"restart prompt at {got.get('Restart now?', '?')} s, reset at {got.get('reset', '?')} s")


def capsule_warning(m: Machine) -> None:
    """fwupd's bios plugin warns on a UEFI machine without an ESRT: true, not
    actionable on these Dells, whose System BIOS device is the way to update.
    fwupd's DisabledPlugins=bios is the setting that silences it. (The image
    has no EFI system partition, so uefi_capsule and uefi_dbx warn of that,
    as on a machine installed in legacy mode; a UEFI install has one.)"""
    rc, out = user(m, "test -d /sys/firmware/efi/efivars && echo 'UEFI: efivars'; "
                      "test -d /sys/firmware/efi/esrt || echo 'no ESRT'")
    check("UEFI: efivars" in out and "no ESRT" in out,
          "the machine booted through UEFI (efivars) and has no ESRT")
    rc, out = user(m, "fwupdmgr get-devices")
    check(rc == 0 and CAPSULE_WARNING in out and "System BIOS" in out,
          f"fwupdmgr prints fwupd's warning '{CAPSULE_WARNING}' beside the System BIOS")
    rc, out = user(m, "fwupdmgr modify-config fwupd DisabledPlugins bios -y")
    check(rc == 0, "fwupdmgr modify-config sets DisabledPlugins=bios")
    rc, out = user(m, "fwupdmgr get-devices")
    warnings = [line.strip() for line in out.split("\n") if "WARNING:" in line]
    check(rc == 0 and warnings == [f"WARNING: {ESP_WARNING}"] and "System BIOS" in out,
          "then the capsule warning is gone (only the image's missing ESP is left) and the "
          "System BIOS stays")
    # what the README gives a machine with no EFI system partition
    rc, out = user(m, f"fwupdmgr modify-config fwupd DisabledPlugins '{NO_ESP_DISABLED}' -y "
                      ">/dev/null 2>&1 && fwupdmgr get-devices")
    check(rc == 0 and "WARNING" not in out and "System BIOS" in out,
          f"with DisabledPlugins={NO_ESP_DISABLED} no warning is left, and the System BIOS "
          "stays")
    rc, out = user(m, "fwupdmgr modify-config fwupd DisabledPlugins bios -y")


def bios_password(m: Machine) -> int:
    """Checks the BIOS admin password is set and given as the README says;
    returns the key the emulated BIOS gives for it."""
    params = "/sys/module/fake_dcdbas/parameters"
    rc, out = user(m, f"stat -c '%U %a' {PASSWORD_FILE}; sed -n '/^\\[dell_smi\\]/,$p' "
                      f"/etc/fwupd/fwupd.conf; p=$(cat {params}/admin_password); "
                      f"[ -n \"$p\" ] && [ \"$p\" != '(null)' ] && echo 'BIOS admin password set'; "
                      f"cat {params}/security_key")
    lines = out.strip().split("\n")
    check(rc == 0 and lines[0] == "root 600" and f"AdminPasswordFile={PASSWORD_FILE}" in out
          and "BIOS admin password set" in out,
          "the BIOS has an admin password, which fwupd.conf's AdminPasswordFile names in a "
          "root-owned 0600 file")
    return int(lines[-1]) if lines[-1].isdigit() else 0


def smi_data_at_shutdown(m: Machine, key: int) -> None:
    """What the emulated dcdbas reported at shutdown, after fwupd: its
    buffer, which stays in RAM through the reset."""
    match = m.expect(r"fake-dcdbas at shutdown: phys ([0-9a-f]+) size ([0-9]+) "
                     r"tokens ([^\r\n]*) smi_data ([0-9a-f]*)", 30)
    if not check(match is not None, "the emulated dcdbas reported its buffer at shutdown"):
        return
    phys, size = int(match.group(1), 16), int(match.group(2))
    tokens, data = match.group(3).decode(), bytes.fromhex(match.group(4).decode())
    say(f"  smi_data at 0x{phys:x}, {size} bytes; tokens {tokens.strip()}")
    check(re.search(r"\b005c=1\b", tokens) is not None,
          "the BIOS's update flag 0x5C was set, with the key of its admin password")
    traces = buffer_traces(PASSWORD, key, data)
    for trace in traces:
        say(f"  ! {trace}")
    check(len(data) == size and not traces,
          "after arming, dcdbas's buffer holds nothing of the admin password (ASCII, scan "
          "codes) nor its key")


def later_boot(name: str, disk: str, version: str, code: str, uefi: bool) -> None:
    overlay = os.path.join(WORK, f"{name}.qcow2")
    if os.path.exists(overlay):
        os.unlink(overlay)
    subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", "-b", disk, "-F", "raw", overlay],
                   check=True)
    m = boot(name, overlay, "qcow2", version, code, uefi)
    try:
        start_fwupd(m)
        rc, out = user(m, "fwupdmgr get-history")
        if code == "00 00":
            check(rc == 0 and "A10" in out and "Success" in out,
                  "after the BIOS flashed A10, fwupdmgr get-history reports success")
            rc, out = user(m, "fwupdmgr get-updates")
            check(rc != 0 and "No updates available" in out and "New version" not in out,
                  "fwupdmgr get-updates offers nothing newer than A10")
        else:
            check("AC adapter" in out and "Transient failure" in out,
                  "after completion code 7, fwupdmgr get-history reports a transient failure "
                  "naming the AC adapter")
    finally:
        m.quit()
        os.unlink(overlay)


def main() -> int:
    server = serve_site()
    disk = os.path.join(WORK, "disk.raw")
    try:
        uefi = os.environ.get("SYSTEM_UEFI") == "1"
        first_boot("update", disk, "raw", uefi)
        later_boot("flashed", disk, "A10", "00 00", uefi)
        later_boot("ac-adapter", disk, "A09", "07 00", uefi)
    except MachineError as e:
        check(False, str(e))
    finally:
        stop_site(server)
    total = time.monotonic() - T0
    say(f"system ({KVER}): {RESULTS['PASS']} passed, {RESULTS['FAIL']} failed "
        f"in {total:.0f} s of boots")
    return 1 if RESULTS["FAIL"] else 0


if __name__ == "__main__":
    sys.exit(main())
