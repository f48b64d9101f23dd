#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Configures (once) and builds the project in build/.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
builddir=${BUILDDIR:-$top/build}
if [ -f "$builddir/build.ninja" ]; then
	meson setup --reconfigure "$builddir" "$top" "$@" >/dev/null
else
	meson setup "$builddir" "$top" "$@" >/dev/null
fi
meson compile -C "$builddir" >/dev/null
