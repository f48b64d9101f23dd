#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# A real Debian system in QEMU: our packages installed with apt (DKMS
# builds the module), systemd as PID 1, fwupdmgr updating the BIOS from a
# site's signed download remote, a restart through systemd, and the BIOS's
# view of RAM at the reset. See flow.py for the boots.
# Usage: run.sh [RELEASE] [SRC [WORK [SHARED_TESTDATA]]]
#   RELEASE (or DEBIAN_RELEASE=): bookworm (Debian 12, the default), trixie
#   (Debian 13) or trixie-backports (Debian 13 with fwupd from its backports);
#   the packages are built in that release's root (tests/release) against its
#   fwupd, the disk is that release. WORK defaults to build/system (bookworm)
#   or build/system-RELEASE. RESET_DUMP=FILE keeps the dump,
# GS_SCREENSHOT=FILE the screenshot of GNOME Software's Updates page.
# Without the real Dell images in SHARED_TESTDATA it builds its own A09 and
# A10 for system 0x0152 with the packaged plugin's firmware builder.
set -euo pipefail
release=${DEBIAN_RELEASE:-bookworm}
case ${1:-} in bookworm | trixie | trixie-backports) release=$1 && shift ;; esac
case $release in
bookworm) default_work=system ;;
trixie | trixie-backports) default_work=system-$release ;;
*)
	echo "system: unknown release '$release' (bookworm, trixie or trixie-backports)" >&2
	exit 2
	;;
esac
src=$(realpath "${1:-$(dirname "$0")/../..}")
work=$(realpath -m "${2:-$src/build/$default_work}")
shared=$(realpath -m "${3:-${SHARED_TESTDATA:-$src/../shared/testdata}}")
# the release's root sees the checkout alone: package.sh writes into WORK there
case $release/$work/ in bookworm/* | */"$src"/*) ;; *)
	echo "system: WORK ($work) must be inside the checkout ($src) for $release:" \
		"the packages are built in its root, which sees the checkout but not WORK" >&2
	exit 2
	;;
esac
a10=hdr/system_bios_0x1028_0x0152_version_a10.hdr
hdr=$shared/$a10
# the machine's BIOS admin password: fwupd reads it from AdminPasswordFile
password=Sys7Bios
start=$(date +%s)
mkdir -p "$work"

step() { echo "== $* ($(($(date +%s) - start)) s)"; }

if [ "$release" = bookworm ]; then
	step "packages: ./tools/package.sh"
	PACKAGE_OUTDIR=$work/packages "$src/tools/package.sh" | sed 's/^/  /'
else
	step "packages: ./tools/package.sh in the $release root"
	"$src/tests/release/run-in-release.sh" "$release" \
		"PACKAGE_OUTDIR='$work/packages' tools/package.sh" | sed 's/^/  /'
fi

if [ ! -f "$hdr" ]; then
	echo "system: no real Dell images in $shared: using an A09/A10 pair built by the" \
		"plugin's firmware builder (the real ones are libsmbios test data: README, \"Test data\")"
	step "images: fwupdtool firmware-build with the packaged plugins"
	rm -rf "$work/plugin-root" "$work/testdata"
	dpkg-deb -x "$(ls -t "$work"/packages/fwupd-plugin-dell-rbu_*.deb | head -n1)" "$work/plugin-root"
	plugins=$(dirname "$(find "$work/plugin-root" -name libfu_plugin_dell_rbu.so)")
	if [ "$release" = bookworm ]; then
		python3 "$src/tests/helpers/build-hdr-images.py" "$plugins" "$work/testdata" | sed 's/^/  /'
	else
		# the plugins load in their release's fwupdtool
		"$src/tests/release/run-in-release.sh" "$release" \
			"python3 tests/helpers/build-hdr-images.py '$plugins' '$work/testdata'" | sed 's/^/  /'
	fi
	hdr=$work/testdata/$a10
fi

step "the site: a CA the machines trust, the A10 cabinet, signed metadata"
site=$work/site
rm -rf "$site" && mkdir -p "$site"
python3 "$src/tests/system/site.py" keys "$site"
metainfo=$src/data/com.dell.rbu.example.metainfo.xml
python3 "$src/tests/system/site.py" cabinet "$site" "$work/bios-a10.cab" "$hdr" "$metainfo"
python3 "$src/tests/system/site.py" publish "$site" http://10.0.2.2:8470 \
	"$work/bios-a10.cab" "$metainfo"
ls "$site" | grep -v '\.\(key\|tmpl\)$' | sed 's/^/  /'

step "the disk: mmdebstrap of $release, then apt-get install of our packages in it"
kver=$("$src/tests/system/build-image.sh" "$src" "$work" "$work/packages" "$site" "$password" "$release")
echo "  kernel $kver, $(du -h --apparent-size "$work/disk.raw" | cut -f1) disk"

status=0
# fwupd killed at each point of an update: SYSTEM_CRASH=1 (the test suite
# sets it; the demo is the owner's flow alone)
if [ "${SYSTEM_CRASH:-0}" = 1 ]; then
	step "the machine, fwupd killed at each point of an update"
	(cd "$src/tests/system" && python3 crash.py "$src" "$work" "$kver" "$site" "$hdr" "$password") ||
		status=$?
fi
# the same owner installing through GNOME Software's Update button instead
# of fwupdmgr, booted through SeaBIOS: SYSTEM_GS_INSTALL=1 (the suite sets
# it), on a copy of the fresh disk (the first boot of a flow writes to it)
gs_install=0
rm -rf "$work/gnome-install"
if [ "${SYSTEM_GS_INSTALL:-0}" = 1 ] && [ "${SYSTEM_GNOME:-1}" = 1 ]; then
	gs_install=1
	mkdir -p "$work/gnome-install"
	cp --sparse=always "$work/disk.raw" "$work/vmlinuz" "$work/initrd.img" "$work/gnome-install/"
fi
step "the machine"
(cd "$src/tests/system" && python3 flow.py "$src" "$work" "$kver" "$site" "$hdr" "$password") || status=$?
if [ "$gs_install" = 1 ]; then
	step "the machine, updated through GNOME Software"
	(cd "$src/tests/system" && SYSTEM_UEFI=0 GS_INSTALL=1 python3 flow.py "$src" "$work/gnome-install" "$kver" \
		"$site" "$hdr" "$password") || status=$?
fi
step "done"
exit "$status"
