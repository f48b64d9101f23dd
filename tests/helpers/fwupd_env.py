# SPDX-License-Identifier: LGPL-2.1-or-later
"""Run the distribution's stock fwupdtool with this build's plugins."""

import json
import os
import subprocess
import sys
import tempfile

BUILD_DIR = os.environ.get("DELL_RBU_BUILD_DIR", "")
SOURCE_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HELPERS = os.path.join(SOURCE_DIR, "tests", "helpers")
FWUPDTOOL = os.environ.get("FWUPDTOOL", "/usr/bin/fwupdtool")
SHARED_TESTDATA = os.environ.get("SHARED_TESTDATA",
                                 os.path.join(os.path.dirname(SOURCE_DIR), "shared", "testdata"))


def plugin_dirs() -> str:
    return ",".join(os.path.join(BUILD_DIR, "plugins", p) for p in ("dell-rbu", "dell-smi"))


class Failed(Exception):
    pass


def check(cond: bool, what: str) -> None:
    if not cond:
        raise Failed(what)
    print(f"ok - {what}")


def make_smbios(spec: dict, outdir: str) -> str:
    """Write spec as sysfs DMI tables under outdir; returns the FWUPD_SYSFSFWDIR."""
    os.makedirs(outdir, exist_ok=True)
    spec_fn = os.path.join(outdir, "spec.json")
    with open(spec_fn, "w", encoding="utf-8") as f:
        json.dump(spec, f)
    subprocess.run([sys.executable, os.path.join(HELPERS, "smbios-build.py"), spec_fn, outdir],
                   check=True)
    return outdir


class Tool:
    """fwupdtool confined to a private state directory. FWUPD_SYSFSDIR and
    FWUPD_DEVFS in extra_env are not passed on (fwupd 2.1 reads neither) but
    become /sys and /dev in a mount namespace of fwupdtool's own."""

    def __init__(self, sysfsfwdir: str, extra_env=None) -> None:
        self.tmp = tempfile.TemporaryDirectory(prefix="dell-rbu-test-")
        extra_env = dict(extra_env or {})
        self.sysfs = extra_env.pop("FWUPD_SYSFSDIR", "")
        self.devfs = extra_env.pop("FWUPD_DEVFS", "")
        self.env = dict(os.environ)
        for name in ("FWUPD_SYSFSDIR", "FWUPD_DEVFS"):
            self.env.pop(name, None)
        self.env.update({
            "FWUPD_LIBDIR_PKG": plugin_dirs(),
            "FWUPD_SYSFSFWDIR": sysfsfwdir,
            "FWUPD_LOCALSTATEDIR": os.path.join(self.tmp.name, "var"),
            "FWUPD_RUNDIR": os.path.join(self.tmp.name, "run"),
            "FWUPD_LOCKDIR": os.path.join(self.tmp.name, "lock"),
            "NO_COLOR": "1",
            "LANG": "C.UTF-8",
        })
        self.env.update(extra_env)

    def argv(self, argv: list) -> list:
        """argv as run on this machine: in its /sys and /dev, if it has them"""
        if not self.sysfs and not self.devfs:
            return list(argv)
        return ["unshare", "--mount", "--propagation", "private", "/bin/bash",
                os.path.join(HELPERS, "in-fake-root.sh"), self.sysfs, self.devfs, *argv]

    def run(self, *args, expect_ok=True) -> subprocess.CompletedProcess:
        proc = subprocess.run(self.argv([FWUPDTOOL, *args]), env=self.env, capture_output=True,
                              text=True, stdin=subprocess.DEVNULL, timeout=300, check=False)
        if expect_ok and proc.returncode != 0:
            raise Failed(f"fwupdtool {' '.join(args)} exited {proc.returncode}:\n"
                         f"{proc.stdout}\n{proc.stderr}")
        return proc

    def plugins(self) -> dict:
        out = self.run("get-plugins", "--json").stdout
        return {p["Name"]: p.get("Flags", []) for p in json.loads(out)["Plugins"]}


def main(test) -> None:
    if not BUILD_DIR:
        sys.exit("DELL_RBU_BUILD_DIR is not set (run through meson test)")
    try:
        test()
    except Failed as e:
        print(f"not ok - {e}")
        sys.exit(1)
