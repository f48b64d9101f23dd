#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Unpacks the distribution kernel matching linux-headers-amd64 into DIR
# (no initramfs-tools, no install) and prints its version.
set -euo pipefail
dir=$1
kver=$(dpkg-query -W -f='${Depends}' linux-headers-amd64 | sed -n 's/.*linux-headers-\([^ ,]*\).*/\1/p')
[ -n "$kver" ] || { echo "linux-headers-amd64 names no kernel" >&2; exit 1; }
if [ ! -f "$dir/root/boot/vmlinuz-$kver" ]; then
	rm -rf "$dir" && mkdir -p "$dir"
	(cd "$dir" && apt-get download "linux-image-$kver" >/dev/null 2>&1) ||
		{ echo "cannot download linux-image-$kver" >&2; exit 1; }
	dpkg-deb -x "$dir"/linux-image-"$kver"_*.deb "$dir/root"
	depmod -b "$dir/root" "$kver"
fi
echo "$kver"
