#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Where apt-get source cannot fetch the installed fwupd, the plugin SDK takes
its upstream tarball, checked against the sha256 apt's source index lists (or,
if the index lacks that version, the one this tree records), and says which."""

import contextlib
import importlib.util
import io
import os
import shutil
import sys
import tempfile

SOURCE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(SOURCE_DIR, "tests", "helpers"))
from fwupd_env import SHARED_TESTDATA, check, main  # noqa: E402

DEBVER = "2.1.7-4~bpo13+1"
TARNAME = "fwupd_2.1.7.orig.tar.gz"
SHARED = os.path.dirname(SHARED_TESTDATA)
REAL = os.path.join(SHARED, "fwupd", TARNAME)


def load_sdk():
    spec = importlib.util.spec_from_file_location(
        "fwupd_sdk", os.path.join(SOURCE_DIR, "build-aux", "fwupd-sdk.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def unpack(sdk, shared: str, tarball: str, srcdir: str):
    """(notes, None) on success, (None, message) when the SDK step refuses"""
    err = io.StringIO()
    try:
        with contextlib.redirect_stderr(err):
            return sdk.unpack_tarball(DEBVER, tarball, shared, srcdir, "no .dsc"), None
    except SystemExit:
        return None, err.getvalue()


def test() -> None:
    sdk = load_sdk()
    check(sdk.upstream_version(DEBVER) == "2.1.7" and
          sdk.upstream_version("1:2.0.20-1~deb12u2") == "2.0.20",
          "the upstream version of a Debian version")
    check(sdk.recorded_sha256(TARNAME) ==
          "338ea5b139f9a37447ff2215d0a8d2cf23851fb5a39fba7b1b0ded52a40240cc",
          "this tree records fwupd 2.1.7's tarball sha256")
    with tempfile.TemporaryDirectory() as tmp:
        shared = os.path.join(tmp, "shared")
        os.makedirs(os.path.join(shared, "fwupd"))
        notes, msg = unpack(sdk, shared, "", os.path.join(tmp, "none"))
        check(notes is None and os.path.join(shared, "fwupd", TARNAME) in msg and
              "-Dfwupd_tarball" in msg, f"no tarball: the path and the option named: {msg}")

        bad = os.path.join(shared, "fwupd", TARNAME)
        with open(bad, "wb") as f:
            f.write(b"not fwupd")
        notes, msg = unpack(sdk, shared, "", os.path.join(tmp, "bad"))
        check(notes is None and "338ea5b1" in msg and "not fwupd 2.1.7's upstream tarball" in msg,
              f"a tarball of other bytes is refused, both sha256 named: {msg}")
        check(not os.path.exists(os.path.join(tmp, "bad")), "and nothing is unpacked")

        if not os.path.exists(REAL):
            print(f"# no {REAL}: the unpack of the real tarball is not checked")
            return
        notes, msg = unpack(sdk, shared, REAL, os.path.join(tmp, "src"))
        check(notes is not None, f"the real tarball given as -Dfwupd_tarball is taken: {msg}")
        check(any("apt's source index" in n for n in notes),
              f"the notes say where its sha256 came from: {notes}")
        check(sdk.source_version(os.path.join(tmp, "src")) == "2.1.7",
              "it unpacks to fwupd 2.1.7's source tree")
        shutil.rmtree(os.path.join(tmp, "src"))


if __name__ == "__main__":
    main(test)
