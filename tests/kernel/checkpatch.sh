#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The kernel's checkpatch.pl --strict on kmod/ and the test modules, from the
# newest linux-source Debian ships (trixie, trixie-backports or sid), cached
# in CACHE.
set -euo pipefail
src=$1
cache=$2
. "$src/tests/kernel/debian-suites.sh"
script=$cache/scripts/checkpatch.pl
if [ ! -f "$script" ]; then
	rm -rf "$cache" && mkdir -p "$cache/apt/lists/partial" "$cache/dl"
	suite_lines trixie trixie-backports sid >"$cache/apt/sources.list"
	touch "$cache/apt/status"
	apt=(-o Dir::Etc::SourceList="$cache/apt/sources.list" -o Dir::Etc::SourceParts=/nonexistent
		-o Dir::State::Lists="$cache/apt/lists" -o Dir::State::status="$cache/apt/status"
		-o Dir::Cache="$cache/apt/cache" -o APT::Architecture=amd64)
	apt-get "${apt[@]}" update -q >"$cache/apt.log" 2>&1 ||
		{ cat "$cache/apt.log"; echo "cannot read the archive's package lists" >&2; exit 1; }
	newest=
	for v in $(apt-cache "${apt[@]}" madison linux-source | awk '{ print $3 }'); do
		if [ -z "$newest" ] || dpkg --compare-versions "$v" gt "$newest"; then newest=$v; fi
	done
	pkg=$(apt-cache "${apt[@]}" show "linux-source=$newest" |
		sed -n 's/^Depends:.*\(linux-source-[0-9.]*\).*/\1/p' | head -n 1)
	[ -n "$pkg" ] || { echo "no linux-source in the archive" >&2; exit 1; }
	(cd "$cache/dl" && apt-get "${apt[@]}" download "$pkg=$newest" >/dev/null 2>&1) ||
		{ echo "cannot download $pkg $newest" >&2; exit 1; }
	dpkg-deb --fsys-tarfile "$cache"/dl/"$pkg"_*.deb |
		tar -x -C "$cache/dl" --wildcards '*.tar.xz'
	tar -xJf "$cache"/dl/usr/src/"$pkg".tar.xz -C "$cache/dl" \
		"$pkg/scripts/checkpatch.pl" "$pkg/scripts/spelling.txt" \
		"$pkg/scripts/const_structs.checkpatch"
	mkdir -p "$cache/scripts"
	mv "$cache/dl/$pkg/scripts/"* "$cache/scripts/"
	echo "$pkg $newest" >"$cache/version"
	rm -rf "$cache/dl" "$cache/apt"
fi
echo "# checkpatch of $(cat "$cache/version" 2>/dev/null || echo '?')"
status=0
for f in "$src"/kmod/*.c "$src"/tests/kernel/*/*.c; do
	case "$f" in *.mod.c | */\*.c) continue ;; esac
	if perl "$script" --no-tree --strict --quiet -f "$f"; then
		echo "ok - checkpatch --strict: ${f#"$src"/}"
	else
		status=1
	fi
done
exit "$status"
