#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Sets everything up, then shows the stock fwupdtool loading both plugins on
# this machine and on an emulated Dell (SMBIOS of a system 0x0152, BIOS A09).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/tools/setup.sh"
"$top/tools/build.sh"
plugins="$top/build/plugins/dell-rbu,$top/build/plugins/dell-smi"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

show_plugins() {
	fwupdtool get-plugins --json 2>/dev/null | /usr/bin/python3 -c '
import json, sys
for p in json.load(sys.stdin)["Plugins"]:
    if p["Name"] in ("dell_rbu", "dell_smi"):
        print("   %-9s %s" % (p["Name"], ", ".join(p.get("Flags", []))))'
}

echo "1. This machine, as the stock fwupdtool $(dpkg-query -W -f="${Version}" fwupd) sees it with our plugins:"
FWUPD_LIBDIR_PKG=$plugins show_plugins
FWUPD_LIBDIR_PKG=$plugins fwupdtool get-plugins --verbose 2>&1 |
	grep -E "using dell_(rbu|smi)" | sed 's/.*disabling plugin because: /   reason: /' || true

echo
echo "2. An emulated Dell (data/demo/dell-0152.json) as fwupd reads its SMBIOS:"
/usr/bin/python3 "$top/tests/helpers/smbios-build.py" "$top/data/demo/dell-0152.json" "$tmp/fw"
FWUPD_SYSFSFWDIR=$tmp/fw fwupdtool hwids 2>/dev/null | sed -n '/Computer Information/,/^Hardware IDs/p' |
	grep -E "Vendor|Version|Manufacturer|ProductName|ProductSku" | sed 's/^/   /'
echo "   plugins:"
FWUPD_SYSFSFWDIR=$tmp/fw FWUPD_LIBDIR_PKG=$plugins show_plugins
