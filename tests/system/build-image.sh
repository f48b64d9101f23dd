#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# A Debian disk image of a Dell owner's machine (Debian 12 "bookworm" by
# default; RELEASE "trixie" is Debian 13, "trixie-backports" Debian 13 with
# fwupd from its backports): mmdebstrap of systemd, udev, dbus, the release's
# kernel, headers and fwupd (cached under WORK/base-RELEASE-*.tar), then our
# packages installed with apt inside it, so that
# DKMS builds the module for the image's kernel. The test image alone adds
# an emulated dcdbas (the real one's SMIs do nothing in QEMU) whose BIOS has
# the admin password PASSWORD, a root login on the serial console, DHCP, and
# a site's download remote whose metadata and cabinets are signed by a CA it
# trusts (SITE_DIR/ca.pem). The owner gives fwupd the password as the README
# says: AdminPasswordFile, a file only root can read.
# Usage: build-image.sh SRC WORK DEBS_DIR SITE_DIR PASSWORD [RELEASE]
#   RELEASE: bookworm (default, or DEBIAN_RELEASE=), trixie, trixie-backports
# Writes WORK/disk.raw, WORK/vmlinuz, WORK/initrd.img; prints the kernel version.
set -euo pipefail
src=$1
work=$2
debs=$3
site=$4
password=$5
release=${6:-${DEBIAN_RELEASE:-bookworm}}
mkdir -p "$work"

# the release's own kernel and headers; fwupd from backports where asked;
# login, no longer essential in Debian 13, for the console's autologin
packages="systemd-sysv login udev dbus kmod procps initramfs-tools linux-image-amd64 linux-headers-amd64 dkms strace"
hooks=()
case $release in
bookworm | trixie) packages="$packages fwupd" ;;
trixie-backports)
	# fwupd 2.1 asks polkit even for root's refresh and update (a desktop
	# install has polkitd; the minimal base does not)
	packages="$packages polkitd"
	# and the backports kernel (7.x) beside Debian 13's own, as an owner who
	# follows backports has it: DKMS builds our module for both, the newer boots
	hooks=(--customize-hook='chroot "$1" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q -t trixie-backports fwupd linux-image-amd64 linux-headers-amd64')
	;;
*)
	echo "build-image: unknown release '$release' (bookworm, trixie or trixie-backports)" >&2
	exit 2
	;;
esac
# the owner's desktop for GNOME Software (gnome.py); SYSTEM_GNOME=0 leaves it out
gnome=${SYSTEM_GNOME:-1}
[ "$gnome" != 1 ] || packages="$packages polkitd gnome-software xvfb adwaita-icon-theme librsvg2-common python3-pyatspi"

# the machine's own package sources and apt settings for its own release
# (bookworm); for Debian 13 the same archive's trixie (and trixie-backports)
. "$src/tests/kernel/debian-suites.sh"
mapfile -t aptopts < <(suite_aptopts)
mirrors=()
if [ "$release" = bookworm ]; then
	for f in /etc/apt/sources.list.d/*.sources /etc/apt/sources.list; do
		[ -s "$f" ] || continue
		case $f in */fwupd-dell-rbu-src.sources) continue ;; esac
		mirrors+=("$f")
	done
	mirror_text=$(cat "${mirrors[@]}")
else
	mapfile -t mirrors < <(suite_lines trixie ${hooks:+trixie-backports})
	mirror_text=$(printf '%s\n' "${mirrors[@]}")
fi

key=$( (echo "$release" lists "$packages" "${hooks[@]}"; echo "$mirror_text"; cat "${aptopts[@]#--aptopt=}") |
	sha256sum | cut -c1-16)
base=$work/base-$release-$key.tar
if [ ! -s "$base" ]; then
	rm -f "$work/base-$release"-*.tar
	# the package lists stay, as on an installed system: apt-get install of our
	# packages fetches what they need beyond the base (libjcat1 for the
	# plugins built against fwupd 2.1.7, which fwupd itself no longer pulls in)
	mmdebstrap --variant=apt --format=tar --skip=cleanup/apt/lists --include="$packages" \
		"${aptopts[@]}" "${hooks[@]}" \
		--customize-hook='chroot "$1" apt-get clean' \
		"${release%-backports}" "$base.tmp" "${mirrors[@]}" >"$work/mmdebstrap.log" 2>&1 || {
		tail -n 40 "$work/mmdebstrap.log" >&2
		echo "build-image: mmdebstrap failed" >&2
		exit 1
	}
	mv "$base.tmp" "$base"
fi

root=$work/root
rm -rf "$root" && mkdir -p "$root"
tar -C "$root" -xf "$base"
kver=$(ls "$root/lib/modules" | sort -V | tail -n 1)
[ -f "$root/boot/vmlinuz-$kver" ] || { echo "build-image: no kernel in the image" >&2; exit 1; }

# our packages, as a user installs them
mkdir -p "$root/tmp/debs"
cp "$debs"/*.deb "$root/tmp/debs/"
in_image=$(cd "$root" && echo tmp/debs/*.deb | sed 's,tmp/,/tmp/,g')
unshare -m /bin/bash -ec "
	mount -t proc proc '$root/proc'
	mount --rbind /sys '$root/sys'
	mount --rbind /dev '$root/dev'
	cp /etc/resolv.conf '$root/etc/resolv.conf' 2>/dev/null || true
	chroot '$root' /usr/bin/env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -q $in_image
" >"$work/apt-install.log" 2>&1 || {
	tail -n 40 "$work/apt-install.log" >&2
	echo "build-image: apt-get install of our packages in the image failed" >&2
	exit 1
}
rm -rf "$root/tmp/debs"

# the test image's own parts; the emulated dcdbas built in the image for its
# kernel, with its headers and compiler
fake=$root/tmp/fake-dcdbas
cp -r "$src/tests/kernel/fake-dcdbas" "$fake"
# (7.x's objtool reads /proc)
unshare -m /bin/bash -ec "
	mount -t proc proc '$root/proc'
	chroot '$root' make -C '/lib/modules/$kver/build' M=/tmp/fake-dcdbas modules
" >"$work/fake-dcdbas.log" 2>&1 || { cat "$work/fake-dcdbas.log" >&2; exit 1; }
install -D -m 0644 "$fake/fake_dcdbas.ko" "$root/usr/local/lib/fake-dcdbas/fake_dcdbas.ko"
rm -rf "$fake"
printf 'ADMIN_PASSWORD=%s\n' "$password" >"$root/usr/local/lib/fake-dcdbas/bios.env"
chmod 0600 "$root/usr/local/lib/fake-dcdbas/bios.env"
(umask 077 && printf '%s\n' "$password" >"$root/etc/fwupd/dell-bios-admin-password")
chown root:root "$root/etc/fwupd/dell-bios-admin-password"
printf '\n[dell_smi]\nAdminPasswordFile=/etc/fwupd/dell-bios-admin-password\n' >>"$root/etc/fwupd/fwupd.conf"
cp -r "$src/tests/system/image/." "$root/"
install -D -m 0644 "$site/ca.pem" "$root/etc/pki/fwupd-metadata/dell-rbu-site-ca.pem"
install -D -m 0644 "$site/ca.pem" "$root/etc/pki/fwupd/dell-rbu-site-ca.pem"
sed -i 's/^Enabled=true/Enabled=false/' "$root"/etc/fwupd/remotes.d/lvfs*.conf
echo dell-e2e >"$root/etc/hostname"
chroot "$root" systemctl enable -q fake-dcdbas.service systemd-networkd.service
if [ "$gnome" = 1 ]; then
	cp -r "$src/tests/system/gnome-image/." "$root/"
	chroot "$root" useradd -m -s /bin/bash -c "Desktop owner" owner
fi

rm -f "$work/disk.raw"
mkfs.ext4 -q -L root -d "$root" "$work/disk.raw" 4G >/dev/null
cp "$root/boot/vmlinuz-$kver" "$work/vmlinuz"
cp "$root/boot/initrd.img-$kver" "$work/initrd.img"
echo "$kver"
