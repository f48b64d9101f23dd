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
import hashlib
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


def upstream_version(debver: str) -> str:
    """2.1.7 of 2.1.7-4~bpo13+1 (and of an epoch's 1:2.1.7-4)"""
    return debver.split(":", 1)[-1].rsplit("-", 1)[0]


def index_sha256(debver: str, tarname: str):
    """the sha256 apt's source index lists for TARNAME of fwupd DEBVER, or None"""
    proc = subprocess.run(["apt-cache", "showsrc", "fwupd"], capture_output=True, text=True,
                          check=False)
    for stanza in proc.stdout.split("\n\n"):
        if not re.search(rf"^Version: {re.escape(debver)}$", stanza, re.M):
            continue
        m = re.search(rf"^Checksums-Sha256:\n(?: .*\n)*? ([0-9a-f]{{64}}) \d+ {re.escape(tarname)}$",
                      stanza + "\n", re.M)
        if m:
            return m.group(1)
    return None


def recorded_sha256(tarname: str):
    """the sha256 this tree records for TARNAME (build-aux/fwupd-tarballs.sha256)"""
    fn = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fwupd-tarballs.sha256")
    with open(fn, encoding="utf-8") as f:
        for line in f:
            fields = line.split()
            if len(fields) == 2 and fields[1] == tarname:
                return fields[0]
    return None


def sha256_of(fn: str) -> str:
    digest = hashlib.sha256()
    with open(fn, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def unpack_tarball(debver: str, tarball: str, shared: str, srcdir: str, why: str) -> list:
    """the upstream tarball of DEBVER, checked, unpacked into SRCDIR; returns notes"""
    upstream = upstream_version(debver)
    tarname = f"fwupd_{upstream}.orig.tar.gz"
    if not tarball:
        tarball = os.path.join(shared, "fwupd", tarname)
    if not os.path.isfile(tarball):
        fail(
            f"apt-get source cannot fetch fwupd={debver} ({why}), and there is no {tarball}: "
            f"put fwupd {upstream}'s upstream tarball {tarname} there or pass "
            "-Dfwupd_tarball=<it>, or -Dfwupd_source=<unpacked fwupd source of that version>; "
            "apt-get source needs deb-src entries (tools/setup.sh adds them) and 'apt-get update'."
        )
    notes = [f"apt-get source cannot fetch fwupd={debver} ({why}): using {tarball}"]
    expected = index_sha256(debver, tarname)
    if expected is not None:
        notes.append(f"{tarname}: sha256 {expected} as apt's source index lists it")
    else:
        expected = recorded_sha256(tarname)
        if expected is None:
            fail(
                f"apt's source index has no fwupd {debver} and this tree records no sha256 for "
                f"{tarname}, so {tarball} cannot be checked: enable the deb-src entries "
                "of that release (tools/setup.sh does it) and run 'apt-get update'."
            )
        notes.append(f"{tarname}: apt's source index lists no fwupd {debver}, so checked "
                     f"against the sha256 this tree records for it, {expected}")
    actual = sha256_of(tarball)
    if actual != expected:
        fail(f"{tarball} has sha256 {actual}, not {expected}: it is not fwupd {upstream}'s "
             "upstream tarball")
    tmp = srcdir + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    run(["tar", "-xzf", tarball, "-C", tmp, "--strip-components=1"])
    os.rename(tmp, srcdir)
    return notes


def fetch_source(cachedir: str, debver: str, tarball: str, shared: str):
    """the unpacked source of fwupd DEBVER and the notes of how it was had"""
    srcdir = os.path.join(cachedir, "src")
    stamp = os.path.join(cachedir, "unpacked.stamp")
    if os.path.exists(stamp):
        with open(stamp, encoding="utf-8") as f:
            return srcdir, f.read().splitlines()[1:]
    dldir = os.path.join(cachedir, "download")
    shutil.rmtree(cachedir, ignore_errors=True)
    os.makedirs(dldir)
    notes = []
    if tarball:
        notes = unpack_tarball(debver, tarball, shared, srcdir, "-Dfwupd_tarball is given")
    else:
        proc = subprocess.run(
            ["apt-get", "source", "--download-only", f"fwupd={debver}"],
            cwd=dldir, capture_output=True, text=True, check=False,
        )
        if proc.returncode != 0:
            why = (proc.stderr.strip().splitlines() or ["no reason given"])[-1]
            notes = unpack_tarball(debver, "", shared, srcdir, why)
        else:
            dscs = glob.glob(os.path.join(dldir, "*.dsc"))
            if len(dscs) != 1:
                fail(f"expected one .dsc in {dldir}, found {len(dscs)}")
            run(["dpkg-source", "--no-check", "-x", dscs[0], srcdir])
    with open(stamp, "w", encoding="utf-8") as f:
        f.write("\n".join([debver] + notes) + "\n")
    return srcdir, notes


def struct_list(srcdir: str, subdir: str, name: str) -> list:
    """the .rs files of SUBDIR/meson.build's list NAME, [] if it has none"""
    with open(os.path.join(srcdir, subdir, "meson.build"), encoding="utf-8") as f:
        text = f.read()
    m = re.search(rf"{name}\s*=\s*\[(.*?)\]", text, re.S)
    if m is None:
        return []
    return [os.path.join(subdir, rs) for rs in re.findall(r"'([^']+\.rs)'", m.group(1))]


def rustgen_style(srcdir: str) -> str:
    """'outc' when rustgen names its outputs --outc/--outh (fwupd 2.1), else 'positional'"""
    with open(os.path.join(srcdir, "libfwupdplugin", "rustgen.py"), encoding="utf-8") as f:
        return "outc" if '"--outc"' in f.read() else "positional"


def rustgen(srcdir: str, style: str, rs: str, outc: str, outh: str, *options) -> None:
    argv = [sys.executable, os.path.join(srcdir, "libfwupdplugin", "rustgen.py"),
            os.path.join(srcdir, rs)]
    if style == "outc":
        argv += (["--outc", outc] if outc else []) + ["--outh", outh]
    else:
        argv += [outc or os.devnull, outh]
    run(argv + list(options))


def generate_structs(srcdir: str, gendir: str, style: str) -> None:
    stamp = os.path.join(gendir, "generated.stamp")
    if os.path.exists(stamp):
        return
    os.makedirs(gendir, exist_ok=True)

    def out(rs: str, ext: str) -> str:
        return os.path.join(gendir, os.path.basename(rs)[:-3] + "-struct." + ext)

    plugin_structs = struct_list(srcdir, "libfwupdplugin", "fwupdplugin_structs")
    if not plugin_structs:
        fail("libfwupdplugin/meson.build has no fwupdplugin_structs list")
    for rs in plugin_structs:
        rustgen(srcdir, style, rs, out(rs, "c"), out(rs, "h"), "--include", "fwupd.h",
                "--prefix", "Fu")
    # fwupd 2.1's libfwupd headers include structs generated from libfwupd/*.rs
    for rs in struct_list(srcdir, "libfwupd", "fwupd_structs"):
        rustgen(srcdir, style, rs, "", out(rs, "h"), "--include", "libfwupd/fwupd-build.h")
    # and the engine's headers (FuCabinet, for dell-rbu-cab) src/fu-engine.rs's
    if os.path.exists(os.path.join(srcdir, "src", "fu-engine.rs")):
        rs = os.path.join("src", "fu-engine.rs")
        rustgen(srcdir, style, rs, out(rs, "c"), out(rs, "h"), "--include", "fwupdplugin.h",
                "--prefix", "Fu")
    with open(stamp, "w", encoding="utf-8") as f:
        f.write("ok\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cache", required=True, help="SDK cache directory")
    parser.add_argument("--installed-version", required=True,
                        help="version of the installed fwupd (pkg-config)")
    parser.add_argument("--source", default="", help="an unpacked fwupd source tree")
    parser.add_argument("--tarball", default="",
                        help="fwupd's upstream tarball, for when apt-get source cannot fetch it")
    parser.add_argument("--shared", default="",
                        help="the shared directory beside the checkout (its fwupd/ has tarballs)")
    args = parser.parse_args()

    try:
        import jinja2  # noqa: F401 pylint: disable=import-outside-toplevel,unused-import
    except ImportError:
        fail(f"{sys.executable} lacks jinja2, needed by rustgen: apt-get install python3-jinja2")

    notes = []
    if args.source:
        srcdir = os.path.abspath(args.source)
        gendir = os.path.join(args.cache, "generated-" + re.sub(r"[^A-Za-z0-9]", "_", srcdir))
    else:
        debver = installed_deb_version()
        cachedir = os.path.join(args.cache, "fwupd-" + debver.replace("~", "_"))
        srcdir, notes = fetch_source(cachedir, debver, args.tarball and
                                     os.path.abspath(args.tarball),
                                     os.path.abspath(args.shared))
        gendir = os.path.join(cachedir, "generated")

    sdkver = source_version(srcdir)
    if sdkver != args.installed_version:
        fail(
            f"the plugin SDK is fwupd {sdkver} (from {srcdir}) but the installed fwupd is "
            f"{args.installed_version}; the private plugin ABI changes with every release, "
            f"so they must match. Use the source of fwupd {args.installed_version} "
            f"(drop -Dfwupd_source to fetch it), or install fwupd and libfwupd-dev {sdkver}."
        )
    style = rustgen_style(srcdir)
    generate_structs(srcdir, gendir, style)
    print(srcdir)
    print(gendir)
    print(style)
    for note in notes:
        print(note)


if __name__ == "__main__":
    main()
