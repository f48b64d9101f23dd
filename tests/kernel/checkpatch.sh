#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The kernel's checkpatch.pl --strict on kmod/ and the test modules: taken
# from the distribution's linux-source package, cached in CACHE.
set -euo pipefail
src=$1
cache=$2
script=$cache/scripts/checkpatch.pl
if [ ! -f "$script" ]; then
	pkg=$(apt-cache depends linux-source 2>/dev/null | sed -n 's/.*Depends: \(linux-source-[0-9.]*\)$/\1/p' | head -n 1)
	pkg=${pkg:-linux-source-6.1}
	rm -rf "$cache" && mkdir -p "$cache/dl"
	(cd "$cache/dl" && apt-get download "$pkg" >/dev/null 2>&1) ||
		{ echo "cannot download $pkg" >&2; exit 1; }
	dpkg-deb --fsys-tarfile "$cache"/dl/"$pkg"_*.deb |
		tar -x -C "$cache/dl" --wildcards '*.tar.xz'
	tar -xJf "$cache"/dl/usr/src/"$pkg".tar.xz -C "$cache/dl" \
		"$pkg/scripts/checkpatch.pl" "$pkg/scripts/spelling.txt" \
		"$pkg/scripts/const_structs.checkpatch"
	mkdir -p "$cache/scripts"
	mv "$cache/dl/$pkg/scripts/"* "$cache/scripts/"
	rm -rf "$cache/dl"
fi
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
