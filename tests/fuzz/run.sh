#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Runs the libFuzzer targets (clang, ASan and UBSan), seeds them from
# builder XMLs and the real images, runs each for SECONDS, and prints execs,
# crashes and corpus size. Fails on any crash.
set -euo pipefail
src=$1
build=$2
seconds=${3:-60}
testdata=$4
here=$src/tests/fuzz
fuzzbuild=$build/sanitize
plugins="$build/plugins/dell-rbu,$build/plugins/dell-smi"
"$src/tests/sanitize-build.sh" "$src" "$build" "$testdata"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/seed-dell-rbu" "$work/seed-dell-rbu-packets"
for xml in "$here"/hdr-*.builder.xml; do
	name=$(basename "$xml" .builder.xml)
	FWUPD_LIBDIR_PKG=$plugins fwupdtool firmware-build "$xml" "$work/seed-dell-rbu/$name.hdr" >/dev/null 2>&1
done
cp "$testdata"/hdr/*.hdr "$testdata"/hdr/*.HDR "$work/seed-dell-rbu/"
for f in "$work"/seed-dell-rbu/*; do
	FWUPD_LIBDIR_PKG=$plugins fwupdtool firmware-convert "$f" \
		"$work/seed-dell-rbu-packets/$(basename "$f").pkt" dell-rbu dell-rbu-packets >/dev/null 2>&1 || true
done

# builder XML for build() and write(): the examples, and the layouts they must refuse
mkdir -p "$work/seed-dell-rbu-builder" "$work/seed-dell-rbu-packets-builder"
cp "$here"/hdr-*.builder.xml "$work/seed-dell-rbu-builder/"
cp "$here"/packets*.builder.xml "$here"/hdr-*.builder.xml "$work/seed-dell-rbu-packets-builder/"

# one core each: as many targets at a time as there are cores. Inputs stop
# at 64 KiB (16 packets of 4 KiB): the 1 MiB real images enter cut to that,
# and the self-tests parse them whole
targets=(dell-rbu dell-rbu-packets dell-rbu-builder dell-rbu-packets-builder)
fuzz_one() {
	local t=$1 dict=()
	mkdir -p "$work/corpus-$t" "$work/artifacts-$t"
	case $t in *-builder) dict=(-dict="$here/builder.dict") ;; esac
	cd "$work/artifacts-$t" &&
		ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
			"$fuzzbuild/tests/fuzz/$t-fuzzer" -max_total_time="$seconds" -max_len=65536 \
			-print_final_stats=1 -timeout=10 -rss_limit_mb=2048 "${dict[@]}" \
			"$work/corpus-$t" "$work/seed-$t" >"$work/$t.log" 2>&1
}
cores=$(nproc)
status=0
for ((i = 0; i < ${#targets[@]}; i += cores)); do
	for t in "${targets[@]:i:cores}"; do
		fuzz_one "$t" &
	done
	wait || true
done
for t in "${targets[@]}"; do
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$t.log")
	crashes=$(find "$work/artifacts-$t" -type f | wc -l)
	corpus=$(find "$work/corpus-$t" -type f | wc -l)
	printf 'fuzz %-24s %s s: %s execs, %s crashes, corpus %s inputs\n' \
		"$t" "$seconds" "${execs:-0}" "$crashes" "$corpus"
	if [ "$crashes" -ne 0 ] || [ -z "$execs" ]; then
		status=1
		tail -n 60 "$work/$t.log"
	fi
done
exit "$status"
