#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""A Dell whose BIOS has an admin password, updated by the stock fwupdtool at
-vv: from AdminPasswordFile neither the password nor its key reaches any
output, the history or dcdbas's buffer; AdminPassword is printed by fwupd
itself (which shows the search finds it); a file others can read, a wrong
password and a wrong SecurityKey are refused with nothing staged; a flag
left over nothing is cleared at start-up with the password's key."""

import os
import re
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "helpers"))
from fake_dcdbas import KEY  # noqa: E402
from fwupd_env import SHARED_TESTDATA, check, main  # noqa: E402
from rbu_machine import Machine, build_cab, dell_smi_spec  # noqa: E402

A10 = os.path.join(SHARED_TESTDATA, "hdr", "system_bios_0x1028_0x0152_version_a10.hdr")
PASSWORD = "Fw9pd-Rbu"
# US set-1 make codes of the password, as a BIOS that keeps keys compares it
SCANCODES = bytes([0x21, 0x11, 0x0A, 0x19, 0x20, 0x0C, 0x13, 0x30, 0x16])


def key_needles() -> list:
    return [re.compile(rf"\b{KEY}\b"), re.compile(rf"0x0*{KEY:x}\b", re.I)]


def leaks(text: str) -> list:
    found = [PASSWORD] if PASSWORD in text else []
    return found + [n.pattern for n in key_needles() if n.search(text)]


def raw_leaks(blob: bytes) -> list:
    needles = {"password": PASSWORD.encode(), "scan codes": SCANCODES,
               "key": KEY.to_bytes(2, "little")}
    return [name for name, n in needles.items() if n in blob]


def configure(m: Machine, tmp: str, dell_smi: dict) -> None:
    conf = os.path.join(m.tool.env["FWUPD_LOCALSTATEDIR"], "etc", "fwupd")
    os.makedirs(conf, exist_ok=True)
    with open(os.path.join(conf, "fwupd.conf"), "w", encoding="utf-8") as f:
        f.write("[dell_smi]\n" + "".join(f"{k}={v}\n" for k, v in dell_smi.items()))
    os.chmod(os.path.join(conf, "fwupd.conf"), 0o640)


def password_file(tmp: str, name: str, mode: int, text: str = PASSWORD) -> str:
    fn = os.path.join(tmp, f"bios-password-{name}")
    with open(fn, "w", encoding="utf-8") as f:
        f.write(text + "\n")
    os.chmod(fn, mode)
    return fn


def history(m: Machine) -> bytes:
    db = os.path.join(m.tool.env["FWUPD_LOCALSTATEDIR"], "lib", "fwupd", "pending.db")
    if not os.path.exists(db):
        return b""
    with open(db, "rb") as f:
        return f.read()


def token_state(m: Machine) -> str:
    return m.dcdbas("token_state").decode()


def install(m: Machine, tmp: str, name: str, dell_smi: dict, expect_ok: bool):
    configure(m, tmp, dell_smi)
    cab = build_cab(m, tmp, A10, name)
    proc = m.tool.run("-vv", "install", "--no-reboot-check", "--allow-reinstall", cab,
                      expect_ok=expect_ok)
    return proc.stdout + proc.stderr


def test_file(tmp: str) -> None:
    with Machine(tmp, dell_smi_spec(0x152), dcdbas=PASSWORD) as m:
        out = install(m, tmp, "file", {"AdminPasswordFile": password_file(tmp, "file", 0o600)}, True)
        check("setting config [dell_smi] AdminPasswordFile" in out,
              "file: fwupd's -vv output shows the config it loaded")
        check(len(m.staged()) > 0, "file: the image is staged")
        check("005c=1" in token_state(m), "file: the flag 0x5C is set with the key")
        check(leaks(out) == [], f"file: no password or key in fwupdtool -vv output {leaks(out)}")
        check(raw_leaks(history(m)) == [] and leaks(history(m).decode(errors="replace")) == [],
              "file: no password or key in the history database")
        buf = m.dcdbas("smi_data")
        check(raw_leaks(buf) == [],
              f"file: dcdbas's {len(buf)}-byte buffer holds no password, scan codes or key "
              f"{raw_leaks(buf)}")


def test_inline(tmp: str) -> None:
    with Machine(tmp, dell_smi_spec(0x152), dcdbas=PASSWORD) as m:
        out = install(m, tmp, "inline", {"AdminPassword": PASSWORD}, True)
        check("005c=1" in token_state(m), "inline: AdminPassword still arms the flag")
        check(PASSWORD in out,
              "inline: fwupd itself prints AdminPassword at -vv (the README says so), "
              "and the search finds it")


def test_refused(tmp: str) -> None:
    cases = [
        ("group-readable", {"AdminPasswordFile": password_file(tmp, "group-readable", 0o640)},
         "must be owned by root and not readable or writable by group or others"),
        ("wrong", {"AdminPasswordFile": password_file(tmp, "wrong", 0o600, "Fw9pd-Rbx")},
         "the BIOS refused the admin password"),
        ("too-long", {"AdminPasswordFile": password_file(tmp, "too-long", 0o600, "x" * 33)},
         "the admin password is longer than this BIOS takes"),
        ("both", {"AdminPasswordFile": password_file(tmp, "both", 0o600),
                  "AdminPassword": PASSWORD},
         "keep only AdminPasswordFile"),
        ("wrong-key", {"SecurityKey": f"0x{KEY ^ 1:x}"},
         "the BIOS refused SecurityKey"),
    ]
    for name, dell_smi, message in cases:
        with Machine(tmp, dell_smi_spec(0x152), dcdbas=PASSWORD) as m:
            out = install(m, tmp, name, dell_smi, False)
            check(message in out, f"{name}: refused with '{message}'")
            check(m.staged() == b"" and not any(
                w.startswith("devices/platform/dell_rbu/image_type ") and
                not w.endswith(" init") for w in m.writes()),
                f"{name}: refused before anything was staged")
            check("005c=1" not in token_state(m), f"{name}: the flag 0x5C is off")
            said = [line for line in out.splitlines() if message in line]
            check(said and not any(PASSWORD in line or "33" in line or "x" * 33 in line
                                   for line in said),
                  f"{name}: the message tells neither the password nor its length")
    with Machine(tmp, dell_smi_spec(0x152), dcdbas=PASSWORD) as m:
        install(m, tmp, "key", {"SecurityKey": f"0x{KEY:x}"}, True)
        check("005c=1" in token_state(m), "key: the right SecurityKey arms the flag")


def test_startup(tmp: str) -> None:
    """A flag left set over nothing (a crash, a reloaded driver) is cleared
    when fwupd starts, with the key from AdminPasswordFile, and nothing of
    the password stays behind."""
    with Machine(tmp, dell_smi_spec(0x152), dcdbas=PASSWORD) as m:
        install(m, tmp, "startup", {"AdminPasswordFile": password_file(tmp, "startup", 0o600)},
                True)
        with open(os.path.join(m.sys, "devices", "platform", "dell_rbu", "image_type"), "w",
                  encoding="ascii") as f:
            f.write("init")
        check("005c=1" in token_state(m) and m.staged() == b"",
              "startup: the flag is set over nothing once the image is freed")
        proc = m.tool.run("-vv", "get-devices")
        out = proc.stdout + proc.stderr
        check("005c=1" not in token_state(m),
              "startup: fwupdtool's start clears the flag with the key from AdminPasswordFile")
        check("set with nothing staged: cleared" in out, "startup: and says so at -vv")
        check(leaks(out) == [], f"startup: no password or key in the -vv output {leaks(out)}")
        buf = m.dcdbas("smi_data")
        check(raw_leaks(buf) == [],
              f"startup: dcdbas's buffer holds no password, scan codes or key {raw_leaks(buf)}")


def test() -> None:
    with tempfile.TemporaryDirectory(prefix="dell-rbu-password-") as tmp:
        for case in (test_file, test_inline, test_refused, test_startup):
            os.makedirs(os.path.join(tmp, case.__name__))
            case(os.path.join(tmp, case.__name__))


if __name__ == "__main__":
    main(test)
