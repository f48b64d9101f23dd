#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Measures the figures of docs/benchmarks.md, in one run on this machine,
and writes that file: figures, not pass/fail."""

import datetime
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.environ.get("BUILDDIR", os.path.join(TOP, "build"))
os.environ["DELL_RBU_BUILD_DIR"] = BUILD
sys.path.insert(0, os.path.join(TOP, "tests", "helpers"))
from fwupd_env import SHARED_TESTDATA, Tool  # noqa: E402
from rbu_machine import Machine, dell_spec  # noqa: E402

IMAGE_32M = 32 * 1024 * 1024
rows = []
# our module's raw staging of A10's packet stream in the kernel suite, in ms
raw_staging = {}


def row(what: str, figure: str, goal: str, command: str) -> None:
    rows.append((what, figure, goal, command))
    print(f"{what}: {figure}  [{goal}]", flush=True)


def run(argv, env=None, check=True) -> str:
    return subprocess.run(argv, env=env, check=check, capture_output=True, text=True).stdout


def bench_layout() -> None:
    exe = os.path.join(BUILD, "tests", "bench", "dell-rbu-bench")
    out = run([exe])
    for line in out.splitlines():
        m = re.match(r"\| packet layout, (\d+) KiB packets \| .* \| ([\d.]+) ms \| (\d+) MB/s \| ([\d.]+) \|", line)
        if m:
            row(f"packet layout of a 32 MiB .hdr, {m.group(1)} KiB packets",
                f"{m.group(4)} of memcpy ({m.group(3)} MB/s, median of 7)", "≥ 0.5 of memcpy",
                "tests/bench/run (dell-rbu-bench)")
        m = re.match(r"\| \.hdr parse with both CRCs \| .* \| ([\d.]+) ms \| (\d+) MB/s \| ([\d.]+) \|", line)
        if m:
            row("parse of a 32 MiB .hdr (header, image and file CRC-32, trailer)",
                f"{m.group(3)} of memcpy ({m.group(2)} MB/s, {m.group(1)} ms, median of 7)",
                "≥ 0.5 of memcpy", "tests/bench/run (dell-rbu-bench)")
        m = re.match(r"\| memcpy, fresh buffer \| .* \| ([\d.]+) ms \| (\d+) MB/s", line)
        if m:
            row("memcpy of the same 32 MiB into a fresh buffer", f"{m.group(2)} MB/s", "baseline",
                "tests/bench/run (dell-rbu-bench)")
    out = run([exe, "--rss"])
    m = re.search(r"\| ([\d.]+) image copies", out)
    row("peak memory of a 4 KiB packet layout beyond the image", f"{m.group(1)} image copies",
        "≤ 1 extra copy", "dell-rbu-bench --rss")


def make_cab(tool: Tool, tmp: str) -> str:
    xml = os.path.join(tmp, "big.builder.xml")
    with open(xml, "w", encoding="utf-8") as f:
        f.write('<firmware gtype="FuDellRbuFirmware"><version>A10</version>'
                '<systems><entry>0x0852</entry></systems>'
                f'<rom size="0x{IMAGE_32M - 92:x}"/></firmware>')
    hdr = os.path.join(tmp, "system_bios_0x1028_0x0152_version_a10.hdr")
    tool.run("firmware-build", xml, hdr)
    cab = os.path.join(tmp, "big.cab")
    tool.run("build-cabinet", cab, hdr, os.path.join(TOP, "data", "com.dell.rbu.example.metainfo.xml"))
    return cab


def child_maxrss_kib(argv, env) -> int:
    """Peak RSS of one command, measured by a fresh helper process."""
    code = ("import resource, subprocess, sys; "
            "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    return int(run([sys.executable, "-c", code, *argv], env=env).strip())


def bench_install_rss() -> None:
    for packet in (True, False):
        mode = "packet" if packet else "monolithic"
        with tempfile.TemporaryDirectory() as tmp:
            with Machine(tmp, dell_spec(0x152, packet)) as m:
                cab = make_cab(m.tool, tmp)
                base = child_maxrss_kib(m.tool.argv(["fwupdtool", "get-devices"]), m.tool.env)
                peak = child_maxrss_kib(m.tool.argv(["fwupdtool", "install", "--no-reboot-check", cab]),
                                        m.tool.env)
                ok = len(m.staged()) >= IMAGE_32M
                size_kib = IMAGE_32M // 1024
                row(f"peak RSS of `fwupdtool install` of a 32 MiB cabinet, {mode}",
                    f"{peak / 1024:.0f} MiB = {peak / size_kib:.2f} × image; "
                    f"{(peak - base) / size_kib:.2f} × image above get-devices"
                    + ("" if ok else " (STAGING FAILED)"),
                    "≤ 1 extra image copy",
                    "tests/bench/run (fwupdtool install on the FUSE emulated Dell)")


def bench_startup() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        with Machine(tmp, dell_spec(0x152, True)) as m:
            with_env = dict(m.tool.env)
            without_env = dict(m.tool.env)
            empty = os.path.join(tmp, "no-plugins")
            os.makedirs(empty)
            without_env["FWUPD_LIBDIR_PKG"] = empty
            times = {"with": [], "without": []}
            argv = m.tool.argv(["fwupdtool", "get-devices"])
            for _ in range(2):
                run(argv, with_env)
            for _ in range(15):
                for name, env in (("with", with_env), ("without", without_env)):
                    t0 = time.perf_counter()
                    # without our plugins there is no device: exit code 2
                    run(argv, env, check=False)
                    times[name].append((time.perf_counter() - t0) * 1000)
            w = statistics.median(times["with"])
            wo = statistics.median(times["without"])
            row("`fwupdtool get-devices` start-up with our two plugins",
                f"{w - wo:+.1f} ms (median {w:.0f} ms with, {wo:.0f} ms without, 15 runs each)",
                "≤ 5 ms", "tests/bench/run")


def bench_kernel() -> None:
    work = os.path.join(BUILD, "bench-kernel")
    env = dict(os.environ, RBU_CYCLES="1000", RBU_CYCLES_DISTRO="200")
    out = subprocess.run(["bash", os.path.join(TOP, "tests", "kernel", "run-kernel-tests.sh"), TOP, work],
                         env=env, capture_output=True, text=True, check=False).stdout
    for line in out.splitlines():
        m = re.match(r"BENCH ours: stage-and-read-back-1MiB-packet-ms=(\d+)", line)
        if m:
            raw_staging["ms"] = int(m.group(1))
        m = re.match(r"BENCH ratio (\S+): ours (\d+) ms / distribution (\d+) ms = ([\d.]+)", line)
        if m:
            row(f"kernel: stage and read back {m.group(1)}, ours / distribution's dell_rbu.ko",
                f"{m.group(4)} ({m.group(2)} ms / {m.group(3)} ms, median of 5, QEMU TCG)", "≤ 1.0",
                "meson test --suite kernel")
        m = re.match(r"BENCH ratio (\S+): ours (\S+), distribution (\S+)", line)
        if m:
            row(f"kernel: stage and read back {m.group(1)}, ours / distribution's dell_rbu.ko",
                f"ours {m.group(2)} ms, distribution {m.group(3)}", "≤ 1.0",
                "meson test --suite kernel")
        m = re.match(r"BENCH (\w+): cancel-(\d+)MiB-(\w+)-ms=(\d+)", line)
        if m:
            row(f"kernel: cancel of a staged {m.group(2)} MiB {m.group(3)} image, "
                f"{'our module (zeroes it)' if m.group(1) == 'ours' else 'distribution module'}",
                f"{m.group(4)} ms (median of 5, QEMU TCG)", "scrub ≤ 0.5 s", "meson test --suite kernel")
        m = re.match(r"BENCH (\w+): stage/cancel cycles=(\d+) in (\d+) ms, free-memory-drift-kib=(-?\d+)", line)
        if m:
            row(f"kernel: stage/cancel loop, {'our module' if m.group(1) == 'ours' else 'distribution module'}",
                f"{m.group(2)} cycles in {int(m.group(3)) / 1000:.0f} s, free memory drift {m.group(4)} KiB",
                "no growth beyond noise", "meson test --suite kernel")
    m = re.search(r"kernel \((\w+), ([^)]+)\): (\d+) passed, (\d+) failed", out)
    if m:
        row("kernel suite", f"{m.group(3)} passed, {m.group(4)} failed ({m.group(1)}, {m.group(2)})",
            "0 failed", "meson test --suite kernel")


def bench_system() -> None:
    """The owner's flow of tests/system/run.sh (Debian 13, no desktop): the
    time from `fwupdmgr update -y` to the reset, beside the raw sysfs staging
    of the same packet stream in the kernel suite (bench_kernel, before)."""
    work = os.path.join(BUILD, "bench-system")
    env = dict(os.environ, SYSTEM_GNOME="0")
    out = subprocess.run(["bash", os.path.join(TOP, "tests", "system", "run.sh"), "trixie", TOP, work,
                          SHARED_TESTDATA], env=env, capture_output=True, text=True, check=False).stdout
    m = re.search(r"BENCH system: fwupdmgr update -y: writing at ([\d.]+) s, installed at ([\d.]+) s, "
                  r"restart prompt at ([\d.]+) s, reset at ([\d.]+) s", out)
    if not m:
        row("system: `fwupdmgr update -y` to the reset", "not measured (the system test failed)",
            "≤ 2 × raw staging", "tests/system/run.sh trixie")
        return
    writing, installed, reset = float(m.group(1)), float(m.group(2)), float(m.group(4))
    raw = raw_staging.get("ms")
    staging = installed - writing
    ratio = f"{staging * 1000 / raw:.1f} × raw" if raw else "raw not measured"
    row("system: `fwupdmgr update -y` of A10 to the reset (QEMU, TCG unless KVM, 0.05 s steps), "
        "against our module's raw sysfs staging of its packet stream in the kernel suite",
        f"{reset:.1f} s to the reset: {writing:.1f} s to fwupd's first write, {staging:.1f} s writing to "
        f"installed ({ratio}: raw {raw if raw else '?'} ms), {reset - installed:.1f} s restart prompt to reset",
        "≤ 2 × raw staging", "tests/system/run.sh trixie")


def bench_fuzz() -> None:
    out = subprocess.run(["bash", os.path.join(TOP, "tests", "fuzz", "run.sh"), TOP, BUILD, "60",
                          SHARED_TESTDATA], capture_output=True, text=True, check=False).stdout
    for line in out.splitlines():
        m = re.match(r"fuzz (\S+)\s+(\d+) s: (\d+) execs, (\d+) crashes, corpus (\d+) inputs", line)
        if m:
            row(f"libFuzzer, {m.group(1)} (ASan+UBSan)",
                f"{int(m.group(3)):,} execs in {m.group(2)} s, {m.group(4)} crashes, corpus {m.group(5)}",
                "0 crashes", "meson test fuzz")


def write_doc() -> None:
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            cpu = re.search(r"model name\s*:\s*(.*)", f.read()).group(1)
    except (OSError, AttributeError):
        pass
    lines = [
        "# Benchmarks and robustness figures",
        "",
        "Generated by `tests/bench/run`; every figure comes from one run on one machine:",
        f"{datetime.date.today().isoformat()}, {os.cpu_count()} cores ({cpu}), "
        f"kernel {platform.release()}, fwupd {run(['dpkg-query', '-W', '-f=${Version}', 'fwupd'])}.",
        "",
        "| what | figure | goal | command |",
        "| --- | --- | --- | --- |",
    ]
    lines += [f"| {w} | {f} | {g} | `{c}` |" for w, f, g, c in rows]
    lines += [
        "",
        "How to reproduce: `./tools/test.sh` once (it installs and builds everything), then",
        "`tests/bench/run`. The kernel figures come from QEMU with TCG unless the machine",
        "has a KVM that runs stock kernels, so compare ratios, not milliseconds.",
        "",
        "Notes:",
        "- The packet layout figures time the plugin's own staging path,",
        "  `fu_dell_rbu_packets_firmware_prepare()` and `_fill()`, into one fresh",
        "  buffer; staging itself fills 64 KiB at a time and never holds the stream.",
        "  `fu_firmware_write()` copies what a firmware type's `write` returns, so",
        "  `fwupdtool firmware-convert` holds the packet stream twice.",
        "- The monolithic path stages the parsed `.hdr` bytes themselves: no copy in",
        "  our code beyond the one fwupd makes when it reads the cabinet.",
        "- The distribution's `dell_rbu.ko` cannot stage a monolithic image larger than",
        "  4 MiB (one buddy block, and Debian's kernel has no CMA); ours can.",
    ]
    os.makedirs(os.path.join(TOP, "docs"), exist_ok=True)
    with open(os.path.join(TOP, "docs", "benchmarks.md"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def main() -> None:
    if shutil.which("fwupdtool") is None:
        sys.exit("fwupdtool is not installed: run ./tools/test.sh first")
    only = sys.argv[1:]
    for fn in (bench_layout, bench_install_rss, bench_startup, bench_fuzz, bench_kernel, bench_system):
        if only and fn.__name__ not in only:
            continue
        fn()
    write_doc()
    print(f"\nwrote {os.path.join(TOP, 'docs', 'benchmarks.md')}")


main()
