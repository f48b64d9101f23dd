#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# A real Debian 12 system in QEMU: our packages installed with apt (DKMS
# builds the module), systemd as PID 1, fwupdmgr updating the BIOS from a
# site's signed download remote, a restart through systemd, and the BIOS's
# view of RAM at the reset. See flow.py for the boots.
# Usage: run.sh [SRC [WORK [SHARED_TESTDATA]]]; RESET_DUMP=FILE keeps the dump.
set -euo pipefail
src=$(realpath "${1:-$(dirname "$0")/../..}")
work=$(realpath -m "${2:-$src/build/system}")
shared=$(realpath "${3:-${SHARED_TESTDATA:-$src/../shared/testdata}}")
hdr=$shared/hdr/system_bios_0x1028_0x0152_version_a10.hdr
start=$(date +%s)
mkdir -p "$work"
[ -f "$hdr" ] || { echo "system: the real A10 image is not at $hdr" >&2; exit 1; }

step() { echo "== $* ($(($(date +%s) - start)) s)"; }

step "packages: ./tools/package.sh"
PACKAGE_OUTDIR=$work/packages "$src/tools/package.sh" | sed 's/^/  /'

step "the site: a CA the machines trust, the A10 cabinet, signed metadata"
site=$work/site
rm -rf "$site" && mkdir -p "$site"
python3 "$src/tests/system/site.py" keys "$site"
metainfo=$src/data/com.dell.rbu.example.metainfo.xml
python3 "$src/tests/system/site.py" cabinet "$site" "$work/bios-a10.cab" "$hdr" "$metainfo"
python3 "$src/tests/system/site.py" publish "$site" http://10.0.2.2:8470 \
	"$work/bios-a10.cab" "$metainfo"
ls "$site" | grep -v '\.\(key\|tmpl\)$' | sed 's/^/  /'

step "the disk: mmdebstrap of Debian 12, then apt-get install of our packages in it"
kver=$("$src/tests/system/build-image.sh" "$src" "$work" "$work/packages" "$site")
echo "  kernel $kver, $(du -h --apparent-size "$work/disk.raw" | cut -f1) disk"

status=0
step "the machine, fwupd killed at each point of an update"
(cd "$src/tests/system" && python3 crash.py "$src" "$work" "$kver" "$site" "$hdr") || status=$?
step "the machine"
(cd "$src/tests/system" && python3 flow.py "$src" "$work" "$kver" "$site" "$hdr") || status=$?
step "done"
exit "$status"
