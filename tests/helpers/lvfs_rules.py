# SPDX-License-Identifier: LGPL-2.1-or-later
"""The LVFS's rules for an uploaded cabinet, written here from its public
source (fwupd/lvfs-website): lvfs/upload/uploadedfile.py, which refuses an
upload (strict mode: a vendor with fewer than 500 uploads, lvfs/upload/routes.py),
lvfs/components/models.py Component.problems and lvfs/claims/utils.py, which
block a push to stable, and lvfs/util.py _fix_component_name, which rewrites
a name on upload. It assumes what the LVFS admins register for com.dell.rbu
(docs/lvfs.md): the protocol, public, and the version format plain beside the
LVFS's own. problems(cab) lists every rule the cabinet breaks."""

import re
import subprocess
import tempfile
import os
import uuid
import xml.etree.ElementTree as ET

VERSION_FORMATS = {"plain": 0, "triplet": 3, "quad": 4}  # value: sections it enforces
PROTOCOLS = {"com.dell.rbu"}
CATEGORIES = {"X-System", "X-Device", "X-EmbeddedController", "X-ManagementEngine"}
CONTENT_LICENSES = {"CC0-1.0", "CC-BY-3.0", "CC-BY-SA-3.0", "GFDL-1.3", "FSFAP"}
VENDOR = "Dell"  # the vendor's display name on the LVFS


def _text(node) -> str:
    return "".join(node.itertext()).strip() if node is not None else ""


def _length(problems: list, what: str, text: str, lo: int, hi: int) -> None:
    if not lo <= len(text) <= hi:
        problems.append(f"{what} is {len(text)} characters, not {lo} to {hi} (uploadedfile.py)")


def _no_url(problems: list, what: str, text: str) -> None:
    if any(u in text for u in ("http://", "https://", "ftp://")):
        problems.append(f"{what} cannot contain a hyperlink (uploadedfile.py)")


def name_problems(name: str, developer_name: str = "Dell Inc.") -> list:
    problems = []
    for part in name.split("/"):
        _length(problems, f"<name> part '{part}'", part, 3, 500)
    for tag in ("<p>", "<li>", "<ul>", "<ol>"):
        if tag in name:
            problems.append(f"<name> cannot have markup {tag} (uploadedfile.py)")
    # uploadedfile.py, strict: words its categories stand for, words banned outright
    words = [w.lower() for w in name.split(" ")]
    for word in ("system", "device", "bios", "me", "embedded", "controller", "microcode",
                 "firmware", "update", "(r)", "(c)"):
        if word in words:
            problems.append(f"<name> contains the word '{word}' (uploadedfile.py, strict)")
    display = developer_name
    for suffix in (" Limited", " Ltd.", " Inc.", " Corp"):
        if display.endswith(suffix):
            display = display[:-len(suffix)]
            break
    if display.lower() in words:
        problems.append(f"<name> contains the vendor '{display}' (uploadedfile.py)")
    # models.py problems: substrings, whatever the word boundaries
    for word in ("bios", "firmware", "update"):
        if word in name.lower():
            problems.append(f"<name> contains '{word}' (components/models.py, blocks stable)")
    if VENDOR.upper() in name.upper():
        problems.append(f"<name> contains the vendor '{VENDOR}' (components/models.py, blocks stable)")
    # util.py: the upload rewrites a name with these words or spacing; it must not need to
    fixed = " ".join(w for w in name.replace("(R)", "").split(" ") if w and w.lower() not in
                     ("firmware", "update", "system", "device", "bios", "me", "embedded",
                      "controller", display.lower()))
    if fixed != name:
        problems.append(f"<name> would be rewritten to '{fixed}' on upload (util.py)")
    return problems


def _description_problems(problems: list, what: str, desc, files: list) -> None:
    """claims/utils.py _get_update_description_problems, on the paragraphs"""
    paras = [_text(p) for p in desc.iter() if p.tag in ("p", "li")]
    if not paras:
        problems.append(f"{what} has no paragraph (claims/utils.py)")
    for text in paras:
        if not 12 <= len(text) <= 300:
            problems.append(f"{what} paragraph is {len(text)} characters, not 12 to 300 (claims/utils.py)")
        if text.isupper():
            problems.append(f"{what} paragraph is upper case only (claims/utils.py)")
        if "http://" in text or "https://" in text:
            problems.append(f"{what} has a link (claims/utils.py)")
        up = text.upper().replace("_", "-")
        for token in ("CVE-", "CVE201", "CVE202", "LEN-", "DSA-", "INTEL-SA-", "INTEL-TA-", "REMOVE-ME"):
            if token in up:
                problems.append(f"{what} has the advisory token {token} (claims/utils.py)")
        # uploadedfile.py: the release description must not name a file of the cabinet
        for word in text.split(" "):
            if "." in word and word in files:
                problems.append(f"{what} names the cabinet's file {word} (uploadedfile.py)")


def metainfo_problems(xml: bytes, files: dict) -> list:
    """files: the cabinet's file names and sizes"""
    problems = []
    if b"FIXME" in xml:
        problems.append("the metainfo has FIXME (uploadedfile.py)")
    if xml.startswith(b"\xef\xbb\xbf"):
        problems.append("the metainfo has a UTF-8 BOM (uploadedfile.py)")
    root = ET.fromstring(xml)
    if root.tag != "component" or root.get("type") != "firmware":
        return problems + ['not one <component type="firmware"> (uploadedfile.py)']
    cid = _text(root.find("id"))
    _length(problems, "<id>", cid, 10, 256)
    if len(cid.split(".")) < 4 or not re.fullmatch(r"[A-Za-z0-9._-]+", cid):
        problems.append(f"<id> {cid}: at least 4 sections of letters, digits, - _ (uploadedfile.py)")
    dev = _text(root.find("developer_name"))
    _length(problems, "<developer_name>", dev, 3, 50)
    if "@" in dev or "_at_" in dev:
        problems.append("<developer_name> has an email address (uploadedfile.py)")
    problems += name_problems(_text(root.find("name")), dev)
    _length(problems, "<summary>", _text(root.find("summary")), 10, 500)
    if root.find("description") is not None:
        text = _text(root.find("description"))
        _length(problems, "<description>", text, 25, 1000)
        _no_url(problems, "<description>", text)
    if _text(root.find("metadata_license")) not in CONTENT_LICENSES:
        problems.append("<metadata_license> is not a content license such as CC0-1.0 (uploadedfile.py)")
    plic = _text(root.find("project_license"))
    if not plic or plic in CONTENT_LICENSES:
        problems.append("<project_license> is missing or a content license (components/models.py)")
    _length(problems, '<url type="homepage">', _text(root.find("url[@type='homepage']")), 7, 1000)
    guids = [_text(g) for g in root.findall("provides/firmware[@type='flashed']")]
    if not guids:
        problems.append("no <firmware type=\"flashed\"> GUID (uploadedfile.py)")
    for g in guids:
        if g != g.lower() or str(uuid.UUID(g)) != g:
            problems.append(f"GUID {g} is not a lower-case GUID (uploadedfile.py)")
    for req in root.findall("requires/*"):
        if req.tag not in ("firmware", "id", "hardware", "client"):
            problems.append(f"<{req.tag}> requirement (uploadedfile.py)")
        if req.tag == "firmware" and _text(req) == "vendor-id":
            problems.append("a vendor-id requirement (uploadedfile.py)")
    custom = {v.get("key"): _text(v) for v in root.findall("custom/value")}
    verfmt = custom.get("LVFS::VersionFormat")
    if verfmt not in VERSION_FORMATS:
        problems.append(f"LVFS::VersionFormat {verfmt} is not one of {sorted(VERSION_FORMATS)} (uploadedfile.py)")
    if custom.get("LVFS::UpdateProtocol") not in PROTOCOLS:
        problems.append("no LVFS::UpdateProtocol com.dell.rbu (uploadedfile.py; components/models.py)")
    cats = [_text(c) for c in root.findall("categories/category")]
    if not [c for c in cats if c in CATEGORIES and 8 <= len(c) <= 50]:
        problems.append("no category such as X-System (components/models.py, blocks stable)")
    rel = root.find("releases/release")
    if rel is None:
        return problems + ["no <release> (uploadedfile.py)"]
    version = rel.get("version") or ""
    if not version:
        problems.append("<release> has no version (uploadedfile.py)")
    if VERSION_FORMATS.get(verfmt) and len(version.split(".")) != VERSION_FORMATS[verfmt]:
        problems.append(f"version {version} does not fit {verfmt} (components/models.py, blocks stable)")
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", rel.get("date", "")) and not rel.get("timestamp"):
        problems.append("<release> has no date (uploadedfile.py)")
    # models.py blocks "unknown"; without the attribute the LVFS keeps none and does not
    if rel.get("urgency", "low") not in ("low", "medium", "high", "critical"):
        problems.append(f"release urgency {rel.get('urgency')} (components/models.py, blocks stable)")
    # the payload: <checksum target="content">, else firmware.bin; <artifacts> is not read
    content = rel.find("checksum[@target='content']")
    payload = content.get("filename") if content is not None and content.get("filename") else "firmware.bin"
    if payload not in files:
        problems.append(f"no {payload} in the cabinet (uploadedfile.py)")
    desc = rel.find("description")
    if desc is None:
        problems.append("no release description (components/models.py, blocks stable)")
    else:
        text = _text(desc)
        _length(problems, "release <description>", text, 3, 1000)
        _no_url(problems, "release <description>", text)
        _description_problems(problems, "release <description>", desc, list(files))
    return problems


def problems(cab: str) -> list:
    """Every LVFS rule the cabinet breaks; [] when it would be accepted and can go to stable."""
    size = os.path.getsize(cab)
    found = []
    if not 1024 <= size <= 104857600:
        found.append(f"cabinet of {size} bytes, not 1 KiB to 100 MiB (uploadedfile.py)")
    with tempfile.TemporaryDirectory(prefix="lvfs-rules-") as tmp:
        subprocess.run(["gcab", "-x", "-C", tmp, cab], check=True, capture_output=True)
        files = {f: os.path.getsize(os.path.join(tmp, f)) for f in os.listdir(tmp)}
        metainfos = [f for f in files if f.endswith(".metainfo.xml")]
        if not metainfos:
            found.append("no .metainfo.xml (uploadedfile.py)")
        for mi in metainfos:
            with open(os.path.join(tmp, mi), "rb") as f:
                found += [f"{mi}: {p}" for p in metainfo_problems(f.read(), files)]
    return found
