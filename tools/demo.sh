#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Sets everything up, then updates the BIOS of an emulated Dell (system
# 0x0152, BIOS A09, CMOS update token) with the stock fwupdtool and both
# plugins: build an RBU cabinet, list the device, install, and show what the
# rbu driver now holds and the update flag.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/tools/setup.sh"
"$top/tools/build.sh"
plugins="$top/build/plugins/dell-rbu,$top/build/plugins/dell-smi"
tmp=$(mktemp -d)
cleanup() {
	fusermount -u "$tmp/machine/sys" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT

step() { printf '\n== %s\n' "$*"; }
quiet() { grep -vE '^(Loading|Idle|Writing|Waiting|Decompressing|Restarting device|Authenticating|Scheduling)…|^ *$|esp-not-found|UEFI ESP' || true; }

step "1. fwupdtool $(dpkg-query -W -f='${Version}' fwupd) on this machine, with our plugins"
FWUPD_LIBDIR_PKG=$plugins fwupdtool get-plugins --verbose 2>&1 |
	grep -E "using dell_(rbu|smi)" | sed 's/.*disabling plugin because: /   /' || echo "   both plugins run here"

step "2. An emulated Dell: SMBIOS of system 0x0152 with BIOS A09, its CMOS, and a sysfs that behaves like dell_rbu"
export DELL_RBU_BUILD_DIR=$top/build
/usr/bin/python3 - "$tmp" "$top" <<'PY' &
import os, signal, sys, time
sys.path.insert(0, os.path.join(sys.argv[2], "tests", "helpers"))
from rbu_machine import Machine, dell_spec
m = Machine(sys.argv[1], dell_spec(0x152, packet=True))
open(os.path.join(sys.argv[1], "ready"), "w").close()
signal.sigwait([signal.SIGTERM])
m.close()
PY
machine_pid=$!
for _ in $(seq 100); do [ -e "$tmp/ready" ] && break; sleep 0.1; done
export FWUPD_LIBDIR_PKG=$plugins FWUPD_SYSFSFWDIR=$tmp/machine FWUPD_DEVFS=$tmp/machine
export FWUPD_SYSFSDIR=$tmp/machine/sys FWUPD_LOCALSTATEDIR=$tmp/var NO_COLOR=1
fwupdtool get-devices --plugins dell_rbu 2>&1 | quiet | sed 's/^/   /'

step "3. An RBU cabinet: a .hdr BIOS image (built from data/demo/bios-a10.builder.xml) and its metainfo"
hdr=$tmp/system_bios_0x1028_0x0152_version_a10.hdr
fwupdtool firmware-build "$top/data/demo/bios-a10.builder.xml" "$hdr" >/dev/null 2>&1
fwupdtool firmware-parse "$hdr" dell-rbu 2>&1 | grep -E "<version>|system_id=|header_length" | sed 's/^/   /'
fwupdtool build-cabinet "$tmp/bios.cab" "$hdr" "$top/data/com.dell.rbu.example.metainfo.xml" >/dev/null 2>&1
echo "   $(du -h "$tmp/bios.cab" | cut -f1) bios.cab"

step "4. fwupdtool install bios.cab"
fwupdtool install --no-reboot-check "$tmp/bios.cab" 2>&1 | quiet | sed 's/^/   /'

step "5. What the driver holds, and the BIOS's update flag"
fwupdtool firmware-convert "$hdr" "$tmp/expected.pkt" dell-rbu dell-rbu-packets >/dev/null 2>&1
cat "$FWUPD_SYSFSDIR/devices/platform/dell_rbu/data" >"$tmp/staged"
if cmp -s "$tmp/expected.pkt" "$tmp/staged"; then
	echo "   the rbu driver holds the $(stat -c %s "$tmp/expected.pkt")-byte packet stream of the image, byte for byte"
else
	echo "   the rbu driver does NOT hold the expected packet stream"
fi
awk '/\/data [0-9]+@/ { n++; sum += $2; next }
	n { printf "   sysfs write: class/firmware/dell_rbu/data (%d bytes in %d writes)\n", sum, n; n = 0 }
	{ print "   sysfs write: " $0 }' "$tmp/machine/rbu.log"
flag=$(od -An -tx1 -j $((0x78 - 14)) -N1 "$tmp/machine/nvram" | tr -d ' ')
echo "   CMOS byte 0x78 = 0x$flag: update token 0x005C is $([ $((0x$flag & 0x40)) -ne 0 ] && echo active || echo NOT active)"
fwupdtool get-history 2>&1 | quiet | grep -E "Update State|Version|System BIOS" | sed 's/^/   /'
kill -TERM "$machine_pid"
wait "$machine_pid" 2>/dev/null || true
