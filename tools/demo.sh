#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Sets everything up, then updates the BIOS of a Dell owner's Debian 12
# machine in QEMU, as its owner would: our packages installed with apt (DKMS
# builds the module), systemd, fwupdmgr refresh / get-updates / update -y
# from a site's signed download remote, the restart, the BIOS's view of RAM
# at the reset, and the next boots after the BIOS flashed A10 or failed.
# It takes the real Dell A09/A10 images from ../shared/testdata (or
# $SHARED_TESTDATA); without them it builds its own pair (see README).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
shared=${SHARED_TESTDATA:-$(cd "$top/.." && pwd)/shared/testdata}
"$top/tools/setup.sh"
exec "$top/tests/system/run.sh" "$top" "$top/build/system" "$shared"
