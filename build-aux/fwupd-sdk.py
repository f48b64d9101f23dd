#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Make the fwupd plugin SDK from the source of exactly the installed fwupd.

fwupd installs no plugin headers, so we take the distribution's source package
of the installed version, unpack it under the build directory and generate the
struct headers its own build generates. Prints two lines for meson: the source
root and the generated header directory.
"""

import argparse
import glob
import os
import re
import shutil
import subprocess
import sys


def fail(msg: str) -> None:
    sys.stderr.write(f"fwupd-sdk: {msg}\n")
    sys.exit(1)


def run(argv, cwd=None) -> str:
    try:
        proc = subprocess.run(argv, cwd=cwd, check=False, capture_output=True, text=True)
    except FileNotFoundError:
        fail(f"{argv[0]} is not installed")
    if proc.returncode != 0:
        fail(f"'{' '.join(argv)}' failed:\n{proc.stderr.strip()}")
    return proc.stdout


def installed_deb_version() -> str:
    out = run(["dpkg-query", "-W", "-f=${Version}", "fwupd"]).strip()
    if not out:
        fail("fwupd is not installed: apt-get install fwupd libfwupd-dev")
    return out


def source_version(srcdir: str) -> str:
    try:
        with open(os.path.join(srcdir, "meson.build"), encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        fail(f"{srcdir} is not an fwupd source tree: {e.strerror}")
    m = re.search(r"project\(\s*'fwupd'.*?version\s*:\s*'([^']+)'", text, re.S)
    if m is None:
        fail(f"{srcdir}/meson.build does not declare the fwupd project version")
    return m.group(1)


def fetch_source(cachedir: str, debver: str) -> str:
    srcdir = os.path.join(cachedir, "src")
    stamp = os.path.join(cachedir, "unpacked.stamp")
    if os.path.exists(stamp):
        return srcdir
    dldir = os.path.join(cachedir, "download")
    shutil.rmtree(cachedir, ignore_errors=True)
    os.makedirs(dldir)
    proc = subprocess.run(
        ["apt-get", "source", "--download-only", f"fwupd={debver}"],
        cwd=dldir, capture_output=True, text=True, check=False,
    )
    if proc.returncode != 0:
        fail(
            f"cannot fetch the source package fwupd={debver}:\n{proc.stderr.strip()}\n"
            "Enable deb-src entries (tools/setup.sh does it) and run 'apt-get update', "
            "or pass -Dfwupd_source=<unpacked fwupd source of that version>."
        )
    dscs = glob.glob(os.path.join(dldir, "*.dsc"))
    if len(dscs) != 1:
        fail(f"expected one .dsc in {dldir}, found {len(dscs)}")
    run(["dpkg-source", "--no-check", "-x", dscs[0], srcdir])
    with open(stamp, "w", encoding="utf-8") as f:
        f.write(debver + "\n")
    return srcdir


def struct_list(srcdir: str) -> list:
    with open(os.path.join(srcdir, "libfwupdplugin", "meson.build"), encoding="utf-8") as f:
        text = f.read()
    m = re.search(r"fwupdplugin_structs\s*=\s*\[(.*?)\]", text, re.S)
    if m is None:
        fail("libfwupdplugin/meson.build has no fwupdplugin_structs list")
    return re.findall(r"'([^']+\.rs)'", m.group(1))


def generate_structs(srcdir: str, gendir: str) -> None:
    stamp = os.path.join(gendir, "generated.stamp")
    if os.path.exists(stamp):
        return
    os.makedirs(gendir, exist_ok=True)
    rustgen = os.path.join(srcdir, "libfwupdplugin", "rustgen.py")
    for rs in struct_list(srcdir):
        base = rs[:-3]
        run([
            sys.executable, rustgen,
            os.path.join(srcdir, "libfwupdplugin", rs),
            os.path.join(gendir, f"{base}-struct.c"),
            os.path.join(gendir, f"{base}-struct.h"),
            "--include", "fwupd.h", "--prefix", "Fu",
        ])
    with open(stamp, "w", encoding="utf-8") as f:
        f.write("ok\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cache", required=True, help="SDK cache directory")
    parser.add_argument("--installed-version", required=True,
                        help="version of the installed fwupd (pkg-config)")
    parser.add_argument("--source", default="", help="an unpacked fwupd source tree")
    args = parser.parse_args()

    try:
        import jinja2  # noqa: F401 pylint: disable=import-outside-toplevel,unused-import
    except ImportError:
        fail(f"{sys.executable} lacks jinja2, needed by rustgen: apt-get install python3-jinja2")

    if args.source:
        srcdir = os.path.abspath(args.source)
        gendir = os.path.join(args.cache, "generated-" + re.sub(r"[^A-Za-z0-9]", "_", srcdir))
    else:
        debver = installed_deb_version()
        cachedir = os.path.join(args.cache, "fwupd-" + debver.replace("~", "_"))
        srcdir = fetch_source(cachedir, debver)
        gendir = os.path.join(cachedir, "generated")

    sdkver = source_version(srcdir)
    if sdkver != args.installed_version:
        fail(
            f"the plugin SDK is fwupd {sdkver} (from {srcdir}) but the installed fwupd is "
            f"{args.installed_version}; the private plugin ABI changes with every release, "
            f"so they must match. Use the source of fwupd {args.installed_version} "
            f"(drop -Dfwupd_source to fetch it), or install fwupd and libfwupd-dev {sdkver}."
        )
    generate_structs(srcdir, gendir)
    print(srcdir)
    print(gendir)


if __name__ == "__main__":
    main()
