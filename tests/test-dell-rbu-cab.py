#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""dell-rbu-cab makes from Dell's real .hdr images cabinets that appstreamcli,
the stock fwupdtool and the LVFS's upload rules (tests/helpers/lvfs_rules.py)
accept: the model as name in category X-System, the GUIDs of the header's
system IDs, the release on the emulated Dell's BIOS device, the install; bad
images and names are refused before anything is written. fwupdtool install-blob stages and arms
like install. A folder of cabinets as a directory remote gives each machine
the image for its own system ID only."""

import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "helpers"))
from fwupd_env import BUILD_DIR, SHARED_TESTDATA, SOURCE_DIR, check, main  # noqa: E402
import lvfs_rules  # noqa: E402
from rbu_machine import Machine, dell_spec  # noqa: E402
from rbu_packets import fresh_set_id  # noqa: E402

HDR = os.path.join(SHARED_TESTDATA, "hdr")
A10 = os.path.join(HDR, "system_bios_0x1028_0x0152_version_a10.hdr")
MLB208 = os.path.join(HDR, "MLB-000208.HDR")
MLB209 = os.path.join(HDR, "MLB-000209.HDR")
MODEL = "Example Model"


def cab_tool(*args, name: str = MODEL) -> subprocess.CompletedProcess:
    exe = os.path.join(BUILD_DIR, "tools", "dell-rbu-cab", "dell-rbu-cab")
    named = ["--name", name] if name is not None else []
    return subprocess.run([exe, *named, *args], capture_output=True, text=True, timeout=120, check=False)


def header_system_ids(path: str) -> list:
    """The header's system IDs, read here independently of the plugin."""
    with open(path, "rb") as f:
        hdr = f.read(84)
    ids = []
    for i in range(hdr[7]):
        entry = int.from_bytes(hdr[0x3C + 2 * i:0x3E + 2 * i], "little")
        ids.append((entry & 0xFF) | ((entry & 0xF800) >> 3))
    return ids


def guid(system_id: int) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_DNS, f"DELL-RBU\\SYSID_{system_id:04X}"))


def unpack(cab: str, dest: str) -> str:
    os.makedirs(dest)
    subprocess.run(["gcab", "-x", "-C", dest, cab], check=True)
    return glob.glob(os.path.join(dest, "*.metainfo.xml"))[0]


LVFS_ACCEPTED = ("developer-name-tag-deprecated", "developer-info-missing",
                 "all-categories-ignored")


def test_cabinets(tmp: str) -> None:
    out = cab_tool("-o", tmp, "--date", "2005-06-01", "--urgency", "high", A10, MLB208)
    check(out.returncode == 0, f"dell-rbu-cab makes two cabinets: {out.stdout}{out.stderr}")
    for hdr, version in ((A10, "A10"), (MLB208, "0.2.8")):
        stem = os.path.splitext(os.path.basename(hdr))[0]
        metainfo = unpack(os.path.join(tmp, stem + ".cab"), os.path.join(tmp, stem))
        with open(metainfo, encoding="utf-8") as f:
            xml = f.read()
        with open(hdr, "rb") as f, open(os.path.join(tmp, stem, os.path.basename(hdr)), "rb") as g:
            check(f.read() == g.read(), f"{stem}: the cabinet holds the image unchanged")
        val = subprocess.run(["appstreamcli", "validate", "--pedantic", "--no-net", metainfo],
                             capture_output=True, text=True, check=False)
        # the release's <checksum target="content"> is what the LVFS reads the payload by;
        # AppStream 1.0 (Debian 13) deprecates <developer_name> and ignores X- categories,
        # both of which the LVFS reads (LVFS_ACCEPTED)
        issues = [line for line in val.stdout.splitlines() if line[:2] in ("I:", "W:", "E:", "P:")
                  and not line.endswith("unknown-tag checksum")
                  and line.split(": ")[-1] not in LVFS_ACCEPTED]
        accepted = [line for line in val.stdout.splitlines()
                    if line.split(": ")[-1] in LVFS_ACCEPTED]
        check((val.returncode == 0 or accepted) and not issues,
              f"{stem}: appstreamcli validate --pedantic: {issues or val.stdout}")
        ids = header_system_ids(hdr)
        want = sorted(guid(i) for i in ids)
        got = sorted(line.split(">")[1].split("<")[0] for line in xml.splitlines()
                     if '<firmware type="flashed">' in line)
        check(got == want, f"{stem}: one GUID per system ID {[hex(i) for i in ids]}")
        for frag in (f'<release version="{version}" date="2005-06-01" urgency="high">',
                     '<value key="LVFS::UpdateProtocol">com.dell.rbu</value>',
                     "<project_license>LicenseRef-proprietary</project_license>",
                     "<developer_name>Dell Inc.</developer_name>",
                     f"<name>{MODEL}</name>",
                     "<category>X-System</category>",
                     f'<checksum filename="{os.path.basename(hdr)}" target="content" />',
                     "<summary>BIOS for Dell system 0x0152</summary>" if len(ids) == 1 else
                     "<summary>BIOS for Dell systems 0x01B1, 0x01B2, 0x01B3 and 0x01B8</summary>"):
            check(frag in xml, f"{stem}: the metainfo has {frag}")
        cab = os.path.join(tmp, stem + ".cab")
        found = lvfs_rules.problems(cab)
        check(found == [], f"{stem}: the LVFS's upload rules find no problem: {found}")
    test_lvfs_rules(tmp, os.path.join(tmp, "system_bios_0x1028_0x0152_version_a10"))


def gcab_create(cab: str, files: list) -> str:
    subprocess.run(["gcab", "-c", "-n", cab, *files], check=True)
    return cab


def test_lvfs_rules(tmp: str, unpacked: str) -> None:
    """The example metainfo obeys the rules too, and the rules catch what
    the LVFS refused in dell-rbu-cab's earlier cabinets."""
    hdr = os.path.join(unpacked, os.path.basename(A10))
    ex = os.path.join(tmp, "example")
    os.makedirs(ex)
    shutil.copy(os.path.join(SOURCE_DIR, "data", "com.dell.rbu.example.metainfo.xml"), ex)
    shutil.copy(hdr, ex)
    found = lvfs_rules.problems(gcab_create(os.path.join(tmp, "example.cab"), glob.glob(ex + "/*")))
    check(found == [], f"the example metainfo's cabinet: the LVFS's rules find no problem: {found}")
    metainfo = glob.glob(os.path.join(unpacked, "*.metainfo.xml"))[0]
    with open(metainfo, encoding="utf-8") as f:
        xml = f.read()
    broken = {
        "the old name 'System BIOS'": (xml.replace(f"<name>{MODEL}</name>", "<name>System BIOS</name>"),
                                       "contains the word 'system'"),
        "the vendor in the name": (xml.replace(f"<name>{MODEL}</name>", "<name>Dell Latitude</name>"),
                                   "contains the vendor 'Dell'"),
        "no category": (re.sub(r"\s*<categories>.*?</categories>", "", xml, flags=re.S),
                        "no category such as X-System"),
        "the payload only as <artifacts>": (re.sub(r'\s*<checksum [^>]*target="content" />', "", xml),
                                            "no firmware.bin in the cabinet"),
        "the image's name in the release description": (
            xml.replace("It is flashed", f"From {os.path.basename(A10)} and flashed"),
            "names the cabinet's file"),
        "an unregistered version format": (xml.replace(">plain<", ">letters<"),
                                           "LVFS::VersionFormat letters"),
    }
    for i, (what, (text, want)) in enumerate(broken.items()):
        check(text != xml, f"the metainfo has what '{what}' changes")
        d = os.path.join(tmp, f"broken{i}")
        os.makedirs(d)
        shutil.copy(hdr, d)
        with open(os.path.join(d, os.path.basename(metainfo)), "w", encoding="utf-8") as f:
            f.write(text)
        found = lvfs_rules.problems(gcab_create(os.path.join(tmp, f"broken{i}.cab"), glob.glob(d + "/*")))
        check([p for p in found if want in p] != [], f"the LVFS's rules refuse {what}: {found}")


def write(path: str, data: bytes) -> str:
    with open(path, "wb") as f:
        f.write(data)
    return path


def test_refusals(tmp: str) -> None:
    with open(A10, "rb") as f:
        image = f.read()
    flipped = bytearray(image)
    flipped[5000] ^= 0x10
    out_dir = os.path.join(tmp, "out")
    os.makedirs(out_dir)
    cases = (
        (os.path.join(HDR, "bad_hdr.hdr"), "signature is '$RBT'"),
        (write(os.path.join(tmp, "short.hdr"), image[:92]), "file of 92 bytes has no ROM image"),
        (write(os.path.join(tmp, "cut.hdr"), image[:60]), "file size is 60 bytes"),
        (write(os.path.join(tmp, "crc.hdr"), bytes(flipped)), "image CRC-32"),
        (write(os.path.join(tmp, "half.hdr"), image[:524334]),
         "the file is 524334 bytes and its image CRC-32 fails"),
        (write(os.path.join(tmp, "bios.BIN"), b"#!/bin/sh\n" + bytes(200)), "sh FILE.BIN --extract DIR"),
    )
    for path, fragment in cases:
        out = cab_tool("-o", out_dir, A10, path)
        check(out.returncode == 1 and f"{path}: " in out.stderr and fragment in out.stderr,
              f"{os.path.basename(path)} is refused naming it: {out.stderr.strip()}")
        check(os.listdir(out_dir) == [], f"{os.path.basename(path)}: and no cabinet is written, not even A10's")
    for fragment in ("truncated, download it from Dell again", "corrupt, download it from Dell again"):
        out = cab_tool("-o", out_dir, cases[4 if "truncated" in fragment else 3][0])
        check(fragment in out.stderr, f"the message says what to do: '{fragment}'")
    out = cab_tool("-o", out_dir, "--date", "2005-02-30", A10)
    check(out.returncode == 1 and "YYYY-MM-DD" in out.stderr and os.listdir(out_dir) == [],
          "an impossible --date is refused")
    out = cab_tool("-o", out_dir, A10, name=None)
    check(out.returncode == 1 and "--name MODEL" in out.stderr and os.listdir(out_dir) == [],
          f"without --name nothing is written, the message names --name: {out.stderr.strip()}")
    for name, fragment in (("System BIOS", "the word 'System'"), ("Dell Latitude", "'Dell'"),
                           ("Latitude 7490 Firmware", "the word 'Firmware'"),
                           ("OptiPlex BIOS-A10", "'BIOS'"), ("XPS (R)", "the word '(R)'"),
                           ("Latitude ME", "the word 'ME'"), ("   ", "the model name is empty"),
                           ("Latitude/XP", "part 'XP' of 2 characters"),
                           ("<p>Latitude</p>", "markup")):
        out = cab_tool("-o", out_dir, A10, name=name)
        check(out.returncode == 1 and fragment in out.stderr and os.listdir(out_dir) == [],
              f"--name '{name}' is refused naming {fragment}: {out.stderr.strip()}")
    check(cab_tool("-o", out_dir, A10).returncode == 0, "A10 alone is written")
    cab = os.path.join(out_dir, "system_bios_0x1028_0x0152_version_a10.cab")
    before = os.path.getmtime(cab)
    out = cab_tool("-o", out_dir, A10)
    check(out.returncode == 1 and "--force" in out.stderr and os.path.getmtime(cab) == before,
          "an existing cabinet is kept, the message names --force")
    check(cab_tool("-o", out_dir, "--force", A10).returncode == 0, "--force replaces it")


def bios_device(m: Machine) -> dict:
    devices = json.loads(m.tool.run("get-devices", "--json").stdout)["Devices"]
    return [d for d in devices if d.get("Plugin") == "dell_rbu"][0]


def test_machine(tmp: str) -> None:
    check(cab_tool("-o", tmp, A10).returncode == 0, "a cabinet from A10")
    cab = os.path.join(tmp, "system_bios_0x1028_0x0152_version_a10.cab")
    with Machine(tmp, dell_spec(0x152, True)) as m:
        dev = bios_device(m)
        xml = open(unpack(cab, os.path.join(tmp, "x")), encoding="utf-8").read()
        check(f'<value key="LVFS::VersionFormat">{dev["VersionFormat"]}</value>' in xml,
              f"the cabinet's version format is the device's ({dev['VersionFormat']})")
        check(dev["Guid"][0] in xml, "the cabinet's GUID is the device's")
        details = m.tool.run("get-details", cab).stdout
        check("Device was not found" not in details and f"Device ID:          {dev['DeviceId'][:8]}" in details
              and "New version:      A10" in details,
              "get-details shows release A10 for the emulated Dell's BIOS device")
        check(f"{MODEL} System Update" in details,
              f"get-details names the release '{MODEL} System Update'")
        # the LVFS publishes it with its vendor's restriction as a vendor-id requirement
        wrong = lvfs_published(tmp, cab, "DMI:Other Inc.")
        out = m.tool.run("install", "--no-reboot-check", wrong, expect_ok=False)
        said = [line for line in (out.stdout + out.stderr).splitlines() if "DMI:Other Inc." in line]
        check(out.returncode != 0 and said and "DMI:Dell Inc." in said[0] and m.staged() == b""
              and not m.flag_active(),
              f"restricted to DMI:Other Inc., the release is refused, nothing staged: {said}")
        cab = lvfs_published(tmp, cab, "DMI:Dell Inc.")
        out = m.tool.run("install", "--no-reboot-check", cab)
        steps = out.stdout + out.stderr
        check("Writing" in steps and "Scheduling" in steps and "Restarting" not in steps,
              "install's progress says writing and scheduling, not restarting")
        with open(A10, "rb") as f:
            image = f.read()
        check(staged_as(image, m.staged()) and len(image) > 0, "fwupdtool install stages it")
        check(m.flag_active(), "and sets token 0x005C")


def lvfs_published(tmp: str, cab: str, vendor_id: str) -> str:
    """cab as the LVFS's metadata has it for a vendor restricted to vendor_id
    (lvfs-website lvfs/metadata/utils.py adds the requirement)"""
    d = os.path.join(tmp, "published-" + vendor_id.replace(" ", "_").replace(":", "_"))
    metainfo = unpack(cab, d)
    with open(metainfo, encoding="utf-8") as f:
        xml = f.read()
    with open(metainfo, "w", encoding="utf-8") as f:
        f.write(xml.replace("</requires>", f'<firmware compare="eq" version="{vendor_id}">vendor-id'
                                           "</firmware></requires>"))
    return gcab_create(d + ".cab", glob.glob(d + "/*"))


def set_flag(m: Machine) -> None:
    path = os.path.join(m.root, "nvram")
    with open(path, "r+b") as f:
        data = bytearray(f.read())
        data[0x78 - 14] |= 0x40
        f.seek(0)
        f.write(data)


def staged_as(want: bytes, got: bytes) -> bool:
    """got is the packets of the .hdr want, built by the test, under a fresh set ID"""
    try:
        fresh_set_id(want, got)
        return True
    except ValueError as e:
        print(f"# {e}")
        return False


def test_install_blob(tmp: str) -> None:
    with Machine(os.path.join(tmp, "ok"), dell_spec(0x152, False)) as m:
        out = m.tool.run("install-blob", A10, bios_device(m)["DeviceId"])
        with open(A10, "rb") as f:
            check(m.staged() == f.read(), "install-blob stages the image")
        check(m.flag_active(), "and sets token 0x005C, as install does")
        check("staged in memory" in out.stdout + out.stderr, "and says it is staged")
    # fwupd passes no --ignore-vid-pid to a plugin on install: the README says so
    with Machine(os.path.join(tmp, "other"), dell_spec(0x152, False)) as m:
        out = m.tool.run("install-blob", "--ignore-vid-pid", os.path.join(HDR, "MLB-000209.HDR"),
                         bios_device(m)["DeviceId"], expect_ok=False)
        check(out.returncode != 0 and "0x01BB" in out.stdout + out.stderr and m.staged() == b""
              and not m.flag_active(),
              "install-blob --ignore-vid-pid of system 0x01BB's image is still refused, nothing staged")
    spec = dell_spec(0x152, False)
    spec["raw"] = [r for r in spec["raw"] if r["type"] != "0xD4"]
    with Machine(os.path.join(tmp, "no-token"), spec) as m:
        out = m.tool.run("install-blob", A10, bios_device(m)["DeviceId"], expect_ok=False)
        check(out.returncode != 0 and "no token 0x005C" in out.stdout + out.stderr,
              "install-blob on a BIOS without the update token fails")
        check(not [w for w in m.writes() if "loading" in w or "/data" in w], "before anything is staged")
    with Machine(os.path.join(tmp, "fail"), dell_spec(0x152, False), fail="stuck:data") as m:
        set_flag(m)
        check(m.flag_active(), "an earlier update is pending")
        out = m.tool.run("install-blob", A10, bios_device(m)["DeviceId"], expect_ok=False)
        check(out.returncode != 0 and m.staged() == b"" and not m.flag_active(),
              "install-blob failing while staging leaves nothing staged and the flag off")


def fleet_machine(tmp: str, name: str, system_id: int, version: str, repo: str):
    spec = dell_spec(system_id, True)
    spec["bios"]["version"] = version
    m = Machine(os.path.join(tmp, name), spec)
    etc = os.path.join(tmp, name, "etc")
    os.makedirs(os.path.join(etc, "fwupd", "remotes.d"))
    with open(os.path.join(etc, "fwupd", "remotes.d", "dell-bios.conf"), "w", encoding="utf-8") as f:
        f.write(f"[fwupd Remote]\nEnabled=true\nTitle=Dell BIOS\nKind=directory\n"
                f"MetadataURI=file://{repo}\nApprovalRequired=false\n")
    m.tool.env["FWUPD_SYSCONFDIR"] = etc
    return m


def test_fleet(tmp: str) -> None:
    repo = os.path.join(tmp, "dell-bios")
    os.makedirs(repo)
    check(cab_tool("-o", repo, "-d", "2006-01-01", A10, MLB208, MLB209).returncode == 0,
          "a folder of three cabinets")
    for name, system_id, running, image, want in (
            ("pe0152", 0x152, "A09", A10, "A10"),
            ("mlb01b2", 0x1B2, "0.2.7", MLB208, "0.2.8"),
            ("mlb01bb", 0x1BB, "0.2.7", MLB209, "0.2.9"),
            ("other", 0x0999, "A01", None, None)):
        with fleet_machine(tmp, name, system_id, running, repo) as m:
            m.tool.run("refresh", "--force", expect_ok=False)
            ups = json.loads(m.tool.run("get-updates", "--json", expect_ok=False).stdout or '{"Devices":[]}')
            offered = [r["Version"] for d in ups.get("Devices", []) for r in d.get("Releases", [])]
            check(offered == ([want] if want else []),
                  f"system 0x{system_id:04X}: the remote offers {offered}, only its own image")
            m.tool.run("update", "--no-reboot-check", expect_ok=False)
            if image is None:
                check(m.staged() == b"" and not m.flag_active(), "an unknown system gets nothing")
                continue
            with open(image, "rb") as f:
                check(staged_as(f.read(), m.staged()) and m.flag_active(),
                      f"system 0x{system_id:04X}: update stages {os.path.basename(image)} and sets the flag")
            other = os.path.join(repo, "MLB-000209.cab" if system_id != 0x1BB else "MLB-000208.cab")
            out = m.tool.run("install", "--no-reboot-check", other, expect_ok=False)
            check(out.returncode != 0, f"system 0x{system_id:04X}: another system's cabinet is refused")


def test() -> None:
    if shutil.which("gcab") is None or shutil.which("appstreamcli") is None:
        sys.exit("gcab and appstreamcli are needed: ./tools/setup.sh installs them")
    for name, fn in (("cabinets", test_cabinets), ("refusals", test_refusals), ("machine", test_machine),
                     ("install-blob", test_install_blob), ("fleet", test_fleet)):
        with tempfile.TemporaryDirectory(prefix=f"rbu-cab-{name}-") as tmp:
            fn(tmp)


main(test)
