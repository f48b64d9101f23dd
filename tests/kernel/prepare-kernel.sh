#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Unpacks a Debian kernel into DIR (no initramfs-tools, no install) and
# prints its version: the one linux-headers-amd64 names on this machine, or
# KVER from the package lists in APT_DIR (build-matrix.sh's).
# Usage: prepare-kernel.sh DIR [KVER APT_DIR]
set -euo pipefail
dir=$1
kver=${2:-}
apt=()
if [ -n "$kver" ]; then
	aptdir=$3
	apt=(-o Dir::Etc::SourceList="$aptdir/sources.list" -o Dir::Etc::SourceParts=/nonexistent
		-o Dir::State::Lists="$aptdir/lists" -o Dir::State::status="$aptdir/status"
		-o Dir::Cache="$aptdir/cache" -o APT::Architecture=amd64)
else
	kver=$(dpkg-query -W -f='${Depends}' linux-headers-amd64 | sed -n 's/.*linux-headers-\([^ ,]*\).*/\1/p')
fi
[ -n "$kver" ] || { echo "linux-headers-amd64 names no kernel" >&2; exit 1; }
if [ ! -f "$dir/root/boot/vmlinuz-$kver" ]; then
	rm -rf "$dir" && mkdir -p "$dir"
	# 7.x splits the image into the kernel, its modules and base files
	pkgs="linux-image-$kver"
	for p in linux-binary linux-modules linux-base; do
		if apt-cache "${apt[@]}" show "$p-$kver" >/dev/null 2>&1; then pkgs="$pkgs $p-$kver"; fi
	done
	# shellcheck disable=SC2086 # one word per package
	(cd "$dir" && apt-get "${apt[@]}" download $pkgs >/dev/null 2>&1) ||
		{ echo "cannot download $pkgs" >&2; exit 1; }
	for deb in "$dir"/*.deb; do dpkg-deb -x "$deb" "$dir/root"; done
	rm -f "$dir"/*.deb
	# 7.x installs below /usr only
	[ -e "$dir/root/lib" ] || ln -s usr/lib "$dir/root/lib"
	if [ ! -e "$dir/root/boot/vmlinuz-$kver" ]; then
		mkdir -p "$dir/root/boot"
		ln -s "../lib/modules/$kver/vmlinuz" "$dir/root/boot/vmlinuz-$kver"
	fi
	# newer kernels ship their modules compressed; busybox insmod takes them plain
	find "$dir/root/lib/modules/$kver" -name '*.ko.xz' -path '*/dell/*' -exec xz -d {} +
	depmod -b "$dir/root" "$kver"
fi
echo "$kver"
