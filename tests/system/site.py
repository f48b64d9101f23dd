#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""A site's mirror of BIOS cabinets, served the way LVFS mirrors are.

  site.py keys DIR
      a CA (DIR/ca.pem, what the machines trust) and a metadata signing
      certificate it issued (DIR/sign.pem, DIR/sign.key)
  site.py cabinet DIR OUT.cab IMAGE METAINFO
      OUT.cab: the image, its metainfo and firmware.jcat, the image's
      checksum and PKCS#7 signature by DIR/sign.pem (what makes fwupd trust
      the payload, as LVFS signs the cabinets it serves)
  site.py publish DIR URL CAB METAINFO
      DIR/firmware.xml.gz: the metainfo the cabinet was built from, with the
      release's location under URL and the cabinet's checksums and size;
      DIR/firmware.xml.gz.jcat: its PKCS#7 signature by DIR/sign.pem
"""

import gzip
import hashlib
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

CA_TEMPLATE = 'cn = "Dell RBU site CA"\norganization = "Dell RBU test site"\nca\ncert_signing_key\nexpiration_days = 3650\n'
SIGN_TEMPLATE = 'cn = "Dell RBU site metadata"\norganization = "Dell RBU test site"\nsigning_key\nexpiration_days = 3650\n'


def run(argv, cwd=None) -> None:
    proc = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        sys.exit(f"site: {' '.join(argv)} failed:\n{proc.stdout}{proc.stderr}")


def keys(d: str) -> None:
    os.makedirs(d, exist_ok=True)
    for name, text in (("ca.tmpl", CA_TEMPLATE), ("sign.tmpl", SIGN_TEMPLATE)):
        with open(os.path.join(d, name), "w", encoding="utf-8") as f:
            f.write(text)
    run(["certtool", "--generate-privkey", "--outfile", "ca.key"], cwd=d)
    run(["certtool", "--generate-self-signed", "--load-privkey", "ca.key",
         "--template", "ca.tmpl", "--outfile", "ca.pem"], cwd=d)
    run(["certtool", "--generate-privkey", "--outfile", "sign.key"], cwd=d)
    run(["certtool", "--generate-certificate", "--load-privkey", "sign.key",
         "--load-ca-certificate", "ca.pem", "--load-ca-privkey", "ca.key",
         "--template", "sign.tmpl", "--outfile", "sign.pem"], cwd=d)


def jcat_sign(d: str, jcat: str, target: str) -> None:
    """Adds a SHA-256 checksum and a PKCS#7 signature of target to jcat."""
    cwd = os.path.dirname(os.path.abspath(target))
    name = os.path.basename(target)
    jcat = os.path.abspath(jcat)
    run(["jcat-tool", "self-sign", "--kind", "sha256", jcat, name], cwd=cwd)
    run(["jcat-tool", "sign", jcat, name, os.path.join(d, "sign.pem"),
         os.path.join(d, "sign.key")], cwd=cwd)
    trust = os.path.join(d, "trust")
    os.makedirs(trust, exist_ok=True)
    shutil.copyfile(os.path.join(d, "ca.pem"), os.path.join(trust, "ca.pem"))
    run(["jcat-tool", "verify", "--public-keys", trust, jcat, name], cwd=cwd)


def cabinet(d: str, out: str, image: str, metainfo: str) -> None:
    work = os.path.join(d, "cabinet")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    payload = os.path.join(work, os.path.basename(image))
    shutil.copyfile(image, payload)
    # the metainfo signed too, as the LVFS does: fwupd 2.1 trusts a release's
    # metadata only then (2.0 took the signed remote's word)
    info = os.path.join(work, os.path.basename(metainfo))
    shutil.copyfile(metainfo, info)
    jcat = os.path.join(work, "firmware.jcat")
    jcat_sign(d, jcat, payload)
    jcat_sign(d, jcat, info)
    if os.path.exists(out):
        os.unlink(out)
    run(["fwupdtool", "build-cabinet", os.path.abspath(out), payload, info, jcat])
    shutil.rmtree(work)


def publish(d: str, url: str, cab: str, metainfo: str) -> None:
    name = os.path.basename(cab)
    shutil.copyfile(cab, os.path.join(d, name))
    with open(cab, "rb") as f:
        blob = f.read()
    component = ET.parse(metainfo).getroot()
    release = component.find("releases/release")
    if release is None:
        sys.exit(f"site: {metainfo} has no release")
    ET.SubElement(release, "location").text = f"{url}/{name}"
    for kind, digest in (("sha1", hashlib.sha1), ("sha256", hashlib.sha256)):
        checksum = ET.SubElement(release, "checksum",
                                 {"type": kind, "filename": name, "target": "container"})
        checksum.text = digest(blob).hexdigest()
    ET.SubElement(release, "size", {"type": "download"}).text = str(len(blob))
    components = ET.Element("components", {"origin": "dell-rbu-site", "version": "0.9"})
    components.append(component)
    xml = ET.tostring(components, encoding="utf-8", xml_declaration=True)
    with gzip.open(os.path.join(d, "firmware.xml.gz"), "wb") as f:
        f.write(xml)
    jcat = os.path.join(d, "firmware.xml.gz.jcat")
    if os.path.exists(jcat):
        os.unlink(jcat)
    jcat_sign(d, jcat, os.path.join(d, "firmware.xml.gz"))


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "keys":
        keys(sys.argv[2])
    elif len(sys.argv) == 6 and sys.argv[1] == "cabinet":
        cabinet(*sys.argv[2:])
    elif len(sys.argv) == 6 and sys.argv[1] == "publish":
        publish(*sys.argv[2:])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
