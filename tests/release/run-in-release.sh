#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Runs COMMAND in this checkout inside a root of another Debian release, with
# that release's fwupd, so that the plugins are built and tested against it.
# Usage: run-in-release.sh RELEASE 'COMMAND'
#   RELEASE: bookworm, trixie or trixie-backports (trixie with fwupd and
#   libfwupd-dev from trixie-backports)
# The root is made once with mmdebstrap from the Debian archive this machine's
# apt sources use, and kept in RELEASE_CACHE/RELEASE (default
# /var/cache/fwupd-dell-rbu/releases; a symlink there may point elsewhere).
# It is made again when the package list or the archive changes in this
# script's eyes (a key), never updated in place: remove it to follow the
# archive. The checkout and ../shared beside it are bind-mounted at their own
# paths, with /proc, /sys and /dev (the FUSE tests need /dev/fuse), in a mount
# namespace of their own, so nothing stays mounted when COMMAND ends.
set -euo pipefail
if [ "$#" -ne 2 ]; then
	echo "usage: $0 RELEASE 'COMMAND'" >&2
	exit 2
fi
release=$1
command=$2
top=$(cd "$(dirname "$0")/../.." && pwd)
shared=$(cd "$top/.." && pwd)/shared
cache=${RELEASE_CACHE:-/var/cache/fwupd-dell-rbu/releases}
root=$(realpath -m "$cache/$release")
. "$top/tests/kernel/debian-suites.sh"

if [ "$(id -u)" -ne 0 ]; then
	echo "run-in-release: run as root (mmdebstrap, chroot and bind mounts)" >&2
	exit 1
fi

# builddep: a source package whose Build-Depends, as the release's source
# index lists them, the root carries too: tests/intree builds backports' fwupd
# (2.1.x) in its own tree there (the 2.0.x of Debian 12 and 13 on the host)
case "$release" in
bookworm | trixie) suites=("$release") backports= builddep= ;;
trixie-backports) suites=(trixie trixie-backports) backports=trixie-backports builddep=fwupd ;;
*)
	echo "run-in-release: unknown release '$release' (bookworm, trixie or trixie-backports)" >&2
	exit 2
	;;
esac

# what the non-QEMU suites need (tools/setup.sh's build and plugin-test parts:
# the fleet test's daemon, bus and signing tools; the style tools) and what
# tools/package.sh builds with; fwupd comes from backports where the release
# has them
packages=(
	meson ninja-build pkg-config gcc python3 python3-jinja2 dpkg-dev
	build-essential debhelper dh-dkms dkms git
	libglib2.0-dev libxmlb-dev libzstd-dev libjson-glib-dev zlib1g-dev
	python3-fusepy fuse3 gcab appstream
	dbus procps jcat gnutls-bin kmod
	clang-format
)
fwupd_packages=(fwupd libfwupd-dev)
mapfile -t aptopts < <(suite_aptopts)
mapfile -t binary < <(suite_lines "${suites[@]}")
# the source index too: the plugin SDK checks fwupd's tarball against it
mapfile -t lines < <(printf '%s\n' "${binary[@]}"; printf '%s\n' "${binary[@]}" | sed 's/^deb /deb-src /')
key=$( (echo 2 "${packages[*]}" "${fwupd_packages[*]}" "$backports" ${builddep:+"$builddep"}; printf '%s\n' "${lines[@]}") |
	sha256sum | cut -c1-16)

if [ ! -f "$root/.release-key" ] || [ "$(cat "$root/.release-key")" != "$key" ]; then
	mkdir -p "$(dirname "$root")"
	exec 9>"$root.lock"
	flock 9
	if [ ! -f "$root/.release-key" ] || [ "$(cat "$root/.release-key")" != "$key" ]; then
		start=$(date +%s)
		echo "run-in-release: making the $release root in $root"
		rm -rf "$root" "$root.tmp"
		apt=(-y -q --no-install-recommends)
		[ -z "$backports" ] || apt+=(-t "$backports")
		install=(apt-get install "${apt[@]}")
		hooks=()
		[ -z "$builddep" ] ||
			hooks+=(--customize-hook="chroot \"\$1\" apt-get build-dep ${apt[*]} $builddep")
		if ! mmdebstrap --variant=apt --skip=cleanup/apt/lists --include="$(
			IFS=,
			echo "${packages[*]}"
		)" "${aptopts[@]}" \
			--customize-hook="chroot \"\$1\" ${install[*]} ${fwupd_packages[*]}" \
			"${hooks[@]}" --customize-hook='chroot "$1" apt-get clean' \
			"${suites[0]}" "$root.tmp" "${lines[@]}" >"$root.log" 2>&1; then
			tail -n 40 "$root.log"
			echo "run-in-release: mmdebstrap failed (log: $root.log)" >&2
			exit 1
		fi
		echo "$key" >"$root.tmp/.release-key"
		mv "$root.tmp" "$root"
		echo "run-in-release: $release root made in $(($(date +%s) - start)) s," \
			"fwupd $(chroot "$root" dpkg-query -W -f='${Version}' fwupd)"
	fi
	exec 9>&-
fi

# the checkout and ../shared at their own paths, in a private mount namespace,
# and the running kernel's modules (the install test resolves modaliases)
binds=("$top")
[ -d "$shared" ] && binds+=("$shared")
# a git worktree's repository (tools/package.sh lists the tracked files)
common=$(git -C "$top" rev-parse --path-format=absolute --git-common-dir 2>/dev/null || true)
case $common in "" | "$top"/*) ;; *) binds+=("$common") ;; esac
[ -d "/lib/modules/$(uname -r)" ] && binds+=("/lib/modules/$(uname -r)")
exec unshare --mount --propagation private /bin/bash -euc '
	root=$1 top=$2 command=$3
	shift 3
	# the root a mount point, so that tests can make mount namespaces in it
	mount --bind "$root" "$root"
	for dir in "$@"; do
		mkdir -p "$root$dir"
		mount --bind "$dir" "$root$dir"
	done
	mount -t proc proc "$root/proc"
	mount --rbind /sys "$root/sys"
	mount --rbind /dev "$root/dev"
	cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
	exec chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
		LANG=C.UTF-8 ${CI:+CI=$CI} /bin/bash -c "cd \"\$0\" && $command" "$top"
' run-in-release "$root" "$top" "$command" "${binds[@]}"
