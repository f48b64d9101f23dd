#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Sets everything up, then updates the BIOS of a Dell emulated in QEMU: the
# distribution kernel boots with SMBIOS tables that say Dell (system 0x0152,
# BIOS A09), the bundled dell_rbu module and an emulated dcdbas are loaded,
# and the stock fwupdtool with both plugins lists the BIOS, builds an RBU
# cabinet from a real Dell A10 image and installs it.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
shared=${SHARED_TESTDATA:-$(cd "$top/.." && pwd)/shared/testdata}
"$top/tools/setup.sh"
"$top/tools/build.sh"
if [ ! -f "$shared/hdr/system_bios_0x1028_0x0152_version_a10.hdr" ]; then
	echo "demo: the real Dell images are not in $shared (set SHARED_TESTDATA)" >&2
	exit 1
fi
echo "Booting a QEMU \"Dell\" (the distribution kernel, TCG unless KVM can run it); about a minute..."
status=0
E2E_CASES=ours,packet,demo "$top/tests/kernel/run-e2e.sh" "$top" "$top/build" "$top/build/demo" "$shared" \
	>"$top/build/demo.log" 2>&1 || status=$?
sed -n 's/^DEMO //p; s/^\(PASS\|FAIL\) e2e-ours-packet-demo: /  \1: /p' "$top/build/demo/e2e-ours-packet-demo.log"
tail -n 1 "$top/build/demo.log"
exit "$status"
