#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Both plugins load into the stock fwupdtool; they run on a Dell and stand
aside with a reason elsewhere."""

import os
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "helpers"))
from fwupd_env import Tool, check, main, make_smbios  # noqa: E402

PLUGINS = ("dell_rbu", "dell_smi")
FAILURE_FLAGS = {"failed-open", "kernel-too-old", "unlock-required", "auth-required"}


def spec_for(vendor: str) -> dict:
    return {
        "bios": {"vendor": vendor, "version": "A09"},
        "system": {"manufacturer": vendor, "product": "Test Machine", "sku": "0152"},
    }


def test() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for vendor in ("Dell Inc.", "Dell Computer Corporation"):
            fwdir = make_smbios(spec_for(vendor), os.path.join(tmp, vendor.replace(" ", "_")))
            flags = Tool(fwdir).plugins()
            for name in PLUGINS:
                check(name in flags, f"{name} is listed on '{vendor}'")
                check("modular" in flags[name], f"{name} is a modular plugin")
                check(not FAILURE_FLAGS & set(flags[name]), f"{name} has no failure flag")
                check("disabled" not in flags[name] and "ready" in flags[name],
                      f"{name} is enabled and ready on '{vendor}': {flags[name]}")

        fwdir = make_smbios(spec_for("QEMU"), os.path.join(tmp, "qemu"))
        tool = Tool(fwdir)
        flags = tool.plugins()
        for name in PLUGINS:
            check(name in flags, f"{name} is listed on a non-Dell machine")
            check({"disabled", "no-hardware"} <= set(flags[name]),
                  f"{name} disables itself on a non-Dell machine: {flags[name]}")
            check(not FAILURE_FLAGS & set(flags[name]), f"{name} has no failure flag")
        log = tool.run("get-plugins", "--verbose")
        text = log.stdout + log.stderr
        for name in PLUGINS:
            reason = f"{name}: not a Dell system: SMBIOS manufacturer is 'QEMU'"
            check(reason in text, f"get-plugins --verbose gives the reason for {name}")
        check("critical" not in text.lower(), "no critical warning while loading")


main(test)
