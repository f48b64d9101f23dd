#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Configures (once) and builds the project in build/.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
builddir=${BUILDDIR:-$top/build}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
reconfigure=()
[ -f "$builddir/build.ninja" ] && reconfigure=(--reconfigure)
if ! meson setup "${reconfigure[@]}" "$builddir" "$top" "$@" >"$log" 2>&1 ||
	! meson compile -C "$builddir" >>"$log" 2>&1; then
	cat "$log"
	exit 1
fi
# where the plugin SDK's fwupd source came from, when not apt-get source
sed -n 's/^Message: \(apt-get source cannot .*\|fwupd_.*sha256.*\)/build: \1/p' "$log"
