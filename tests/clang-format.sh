#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Every C file of the plugins, their tests and tools is as .clang-format lays it out;
# kernel code (kmod/, tests/kernel/) is checkpatch's instead.
set -uo pipefail
src=$1
status=0
cd "$src" || exit 1
for f in $(find plugins tests tools -name '*.[ch]' -not -path 'tests/kernel/*' | sort); do
	if changes=$(clang-format --style=file "$f" | diff -u "$f" -); then
		echo "ok - clang-format: $f"
	else
		echo "not ok - clang-format: $f"
		echo "$changes" | head -n 20
		status=1
	fi
done
exit "$status"
