# SPDX-License-Identifier: LGPL-2.1-or-later
"""GNOME Software on the Dell, as its desktop user "owner" sees it: an Xvfb
session with a session bus, a notification server and the accessibility bus
(tests/system/gnome-image, started by dell-rbu-desktop in the guest).

look(): before any install, gnome-software-cmd lists the BIOS update and the
Updates page shows it under "Device Firmware"; a screenshot of the page is
copied out of the guest (GS_SCREENSHOT=FILE keeps it).

install(): the owner clicks the row's Update button (through AT-SPI, not
at pixels); GNOME Software stages the BIOS through fwupd, says a restart is
needed (a notification with a Restart button) and shows the device's update
message (stay powered on); the owner clicks Restart in the notification,
GNOME Software asks logind to reboot, and the machine resets as with
fwupdmgr. With GS_INSTALL=1 this replaces `fwupdmgr update` in flow.py.

The image carries the desktop unless SYSTEM_GNOME=0 (build-image.sh).
"""

import base64
import os
import shutil

ENABLED = os.environ.get("SYSTEM_GNOME", "1") == "1"
INSTALL = ENABLED and os.environ.get("GS_INSTALL", "0") == "1"
ROW = "Example Model System Update"
STATE = "/run/dell-rbu-desktop"
UI = "dell-rbu-desktop run /usr/local/lib/dell-rbu-desktop/gs-ui"
# what GNOME Software 43 says after installing an update that needs a reboot
# (src/gs-common.c, gs_utils_reboot_notify)
RESTART_SUMMARY = "An update has been installed"
RESTART_BODY = "A restart is required for it to take effect."
# the device's update message once the image is armed (fu-dell-rbu-common.h)
STAGED = "do not power the machine off"
_LOOKED = False  # the Updates page is open and shows the BIOS


def _start(m, user, check) -> None:
    rc, out = user(m, f"[ -s {STATE}/env ] || dell-rbu-desktop start; "
                      f"pgrep -u owner -x Xvfb >/dev/null && echo session up")
    check(rc == 0 and "session up" in out,
          "the desktop user's session is up: Xvfb, a session bus, a notification server")


def _open_updates_page(m, user, check) -> bool:
    if m.run(f"pgrep -u owner -x gnome-software >/dev/null")[0] != 0:
        user(m, f"setsid -f dell-rbu-desktop run gnome-software --mode=updates "
                f">{STATE}/gnome-software.log 2>&1")
    rc, out = user(m, f"{UI} wait 'Device Firmware' '{ROW}' 'A09' 'A10' --timeout 300")
    return check(rc == 0, f"GNOME Software's Updates page shows '{ROW}', A09 → A10, "
                          "under 'Device Firmware'")


def _copy_out(m, guest: str, host: str) -> bool:
    """A guest file over the console, as base64."""
    rc, out = m.run(f"base64 -w0 {guest}; echo", 300)
    if rc != 0:
        return False
    data = base64.b64decode("".join(out.split()))
    with open(host, "wb") as f:
        f.write(data)
    return True


def _screenshot(m, user, check, work: str, name: str) -> str:
    guest = f"{STATE}/{name}.png"
    host = os.path.join(work, f"{name}.png")
    rc, _ = user(m, f"{UI} screenshot {guest}")
    ok = rc == 0 and _copy_out(m, guest, host)
    if ok:
        with open(host, "rb") as f:
            ok = f.read(8) == b"\x89PNG\r\n\x1a\n"
    check(ok, f"a screenshot ({name}) copied out of the guest: {os.path.basename(host)}")
    return host if ok else ""


def look(m, user, check, work: str) -> None:
    global _LOOKED  # pylint: disable=global-statement
    if not ENABLED:
        return
    _start(m, user, check)
    cmd = "dell-rbu-desktop run /usr/libexec/gnome-software-cmd updates --show-results"
    rc, out = user(m, cmd, 600)
    lines = [" ".join(line.split()) for line in out.split("\n")]
    check(rc == 0 and "kind: firmware" in lines and "update-version: A10" in lines
          and "version: A09" in lines,
          "gnome-software-cmd updates lists the BIOS: kind firmware, version A09, "
          "update-version A10")
    if not _open_updates_page(m, user, check):
        user(m, f"{UI} texts; tail -n 30 {STATE}/gnome-software.log")
        return
    _LOOKED = True
    shot = _screenshot(m, user, check, work, "gnome-software-updates")
    keep = os.environ.get("GS_SCREENSHOT")
    if shot and keep:
        shutil.copyfile(shot, keep)
        print(f"  (screenshot kept at {keep})", flush=True)


def install(m, user, check, work: str) -> str:
    """Installs through GNOME Software's Update button and restarts from its
    notification; returns the console output up to the reset."""
    if not _LOOKED:
        _start(m, user, check)
        if not _open_updates_page(m, user, check):
            return ""
    rc, out = user(m, f"{UI} click-update '{ROW}'")
    check(rc == 0, "the owner clicked the row's Update button")
    rc, out = user(m, f"timeout 900 sh -c 'until grep -q \"{RESTART_SUMMARY}\" "
                      f"{STATE}/notifications.log; do sleep 1; done'; "
                      f"grep -v '\"server\"' {STATE}/notifications.log", 960)
    check(rc == 0 and RESTART_SUMMARY in out and RESTART_BODY in out
          and '"Restart"' in out,
          f"GNOME Software notified '{RESTART_SUMMARY}: {RESTART_BODY}' with a Restart button")
    rc, out = user(m, f"{UI} wait '{STAGED}' --anywhere --timeout 120")
    check(rc == 0, "GNOME Software shows the device's update message: the BIOS is staged "
                   "in memory, do not power the machine off")
    _screenshot(m, user, check, work, "gnome-software-installed")
    user(m, "fwupdmgr get-devices --json | grep -i -E '\"(UpdateMessage|UpdateState)\"'")
    print("$ (the owner clicks Restart in the notification)", flush=True)
    return m.run_until_reset(f"{UI} click-notification Restart", 900, {})
