#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# fwupd's own source checker (contrib/ci/check-source.py of the fwupd source the
# build fetched for the plugin SDK, so exactly the installed fwupd's rules) on
# the plugins' C files: it must report no failure.
set -euo pipefail
src=$1
fwupd_src=$2
script=$fwupd_src/contrib/ci/check-source.py
if [ ! -f "$script" ]; then
	echo "no $script: the fwupd source tree of the plugin SDK lacks contrib/ci" >&2
	exit 1
fi
cd "$src"
/usr/bin/python3 "$script" plugins/dell-*/*.[ch] 2>/dev/null
echo "check-source: no failures in $(ls plugins/dell-*/*.[ch] | wc -l) files"
