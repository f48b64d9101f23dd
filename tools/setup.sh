#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Installs what building and testing need on Debian 12, as root; idempotent.
set -euo pipefail

PACKAGES=(
	# build
	meson ninja-build pkg-config gcc python3 python3-jinja2 dpkg-dev
	fwupd libfwupd-dev libglib2.0-dev libxmlb-dev libzstd-dev libjson-glib-dev zlib1g-dev
	# plugin tests: a FUSE sysfs that behaves like dell_rbu
	python3-fusepy fuse3
	# dell-rbu-cab tests: unpack the cabinets, validate their metainfo
	gcab appstream
	# robustness
	clang libclang-rt-14-dev valgrind binutils clang-format
	# the kernel module and the QEMU guest
	linux-headers-amd64 qemu-system-x86 busybox-static cpio kmod xz-utils perl
	# a UEFI without capsules for the system test
	ovmf
	# the daemon in the guest: a system bus, and counting its processes
	dbus procps
	# the Debian packages, and the system test's disk, site and machine
	debhelper dh-dkms dkms lintian mmdebstrap e2fsprogs jcat gnutls-bin qemu-utils
)

if [ "$(id -u)" -ne 0 ]; then
	echo "setup: run as root (it installs Debian packages)" >&2
	exit 1
fi

# deb-src entries for the fwupd source package, derived from this machine's
# own deb822 entries for the running release
codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
src_list=/etc/apt/sources.list.d/fwupd-dell-rbu-src.sources
need_update=0
if [ ! -s "$src_list" ]; then
	tmp=$(mktemp)
	for f in /etc/apt/sources.list.d/*.sources; do
		[ "$f" = "$src_list" ] && continue
		[ -e "$f" ] || continue
		awk -v codename="$codename" '
			function flush() {
				if (stanza != "" && is_deb && has_suite && enabled)
					printf "%s\n", stanza
				stanza = ""; is_deb = 0; has_suite = 0; enabled = 1
			}
			BEGIN { enabled = 1 }
			/^[ \t]*$/ { flush(); next }
			/^Types:/ {
				for (i = 2; i <= NF; i++) if ($i == "deb") is_deb = 1
				stanza = stanza "Types: deb-src\n"; next
			}
			/^Suites:/ {
				for (i = 2; i <= NF; i++) if (index($i, codename) == 1) has_suite = 1
			}
			/^Enabled:[ \t]*no/ { enabled = 0 }
			{ stanza = stanza $0 "\n" }
			END { flush() }' "$f" >>"$tmp"
	done
	if [ -f /etc/apt/sources.list ]; then
		grep -E "^deb[[:space:]].*[[:space:]]${codename}" /etc/apt/sources.list |
			sed 's/^deb[[:space:]]/deb-src /' | while read -r line; do
			uris=$(echo "$line" | awk '{ print $2 }')
			printf 'Types: deb-src\nURIs: %s\nSuites: %s\nComponents: %s\n\n' \
				"$uris" "$(echo "$line" | awk '{ print $3 }')" \
				"$(echo "$line" | cut -d' ' -f4-)"
		done >>"$tmp"
	fi
	if [ ! -s "$tmp" ]; then
		echo "setup: no apt entries for '$codename' to derive deb-src entries from" >&2
		exit 1
	fi
	install -m 0644 "$tmp" "$src_list"
	rm -f "$tmp"
	need_update=1
fi

missing=()
for p in "${PACKAGES[@]}" "$@"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ] || ! apt-cache showsrc fwupd 2>/dev/null | grep -q '^Package:'; then
	need_update=1
fi
if [ "$need_update" -eq 1 ]; then
	apt-get update -qq
fi
if [ "${#missing[@]}" -gt 0 ]; then
	echo "setup: installing ${missing[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		"${missing[@]}" >/dev/null
fi
