#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Configures and builds BUILD/sanitize: clang with ASan and UBSan, the unit
# tests and the libFuzzer targets, reusing the main build's fwupd SDK.
set -euo pipefail
src=$1
build=$2
testdata=$3
out=$build/sanitize
sdk_src=$(sed -n 's/^.*fwupd plugin SDK [^ ]* from //p' "$build/meson-logs/meson-log.txt" | tail -n 1)
if [ ! -f "$out/build.ninja" ]; then
	CC=clang meson setup "$out" "$src" -Dfuzzing=true -Dtests=true \
		-Db_sanitize=address,undefined -Db_lundef=false -Dfwupd_source="$sdk_src" \
		-Dshared_testdata="$testdata" >"$out.log" 2>&1 || { cat "$out.log"; exit 1; }
fi
ninja -C "$out" >"$out.log" 2>&1 || { cat "$out.log"; exit 1; }
