#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# A Debian 12 disk image of a Dell owner's machine: mmdebstrap of systemd,
# udev, dbus, the distribution's kernel, headers and fwupd (cached under
# WORK/base-*.tar), then our packages installed with apt inside it, so that
# DKMS builds the module for the image's kernel. The test image alone adds
# an emulated dcdbas (the real one's SMIs do nothing in QEMU) whose BIOS has
# the admin password PASSWORD, a root login on the serial console, DHCP, and
# a site's download remote whose metadata and cabinets are signed by a CA it
# trusts (SITE_DIR/ca.pem). The owner gives fwupd the password as the README
# says: AdminPasswordFile, a file only root can read.
# Usage: build-image.sh SRC WORK DEBS_DIR SITE_DIR PASSWORD
# Writes WORK/disk.raw, WORK/vmlinuz, WORK/initrd.img; prints the kernel version.
set -euo pipefail
src=$1
work=$2
debs=$3
site=$4
password=$5
mkdir -p "$work"

kver=$(dpkg-query -W -f='${Depends}' linux-headers-amd64 | sed -n 's/.*linux-headers-\([^ ,]*\).*/\1/p')
[ -n "$kver" ] || { echo "build-image: linux-headers-amd64 names no kernel" >&2; exit 1; }
packages="systemd-sysv udev dbus kmod procps initramfs-tools linux-image-$kver linux-headers-$kver fwupd dkms strace"
# the owner's desktop for GNOME Software (gnome.py); SYSTEM_GNOME=0 leaves it out
gnome=${SYSTEM_GNOME:-1}
[ "$gnome" != 1 ] || packages="$packages polkitd gnome-software xvfb adwaita-icon-theme librsvg2-common python3-pyatspi"

# the machine's own package sources and apt settings
mirrors=()
for f in /etc/apt/sources.list.d/*.sources /etc/apt/sources.list; do
	[ -s "$f" ] || continue
	case $f in */fwupd-dell-rbu-src.sources) continue ;; esac
	mirrors+=("$f")
done
aptopts=()
for f in /etc/apt/apt.conf.d/*; do
	grep -q '^Acquire::' "$f" 2>/dev/null && aptopts+=("--aptopt=$f")
done

key=$( (echo "$packages"; cat "${mirrors[@]}" "${aptopts[@]#--aptopt=}") | sha256sum | cut -c1-16)
base=$work/base-$key.tar
if [ ! -s "$base" ]; then
	rm -f "$work"/base-*.tar
	mmdebstrap --variant=apt --format=tar --include="$packages" "${aptopts[@]}" \
		--customize-hook='chroot "$1" apt-get clean' \
		bookworm "$base.tmp" "${mirrors[@]}" >"$work/mmdebstrap.log" 2>&1 || {
		tail -n 40 "$work/mmdebstrap.log"
		echo "build-image: mmdebstrap failed" >&2
		exit 1
	}
	mv "$base.tmp" "$base"
fi

root=$work/root
rm -rf "$root" && mkdir -p "$root"
tar -C "$root" -xf "$base"

# our packages, as a user installs them
mkdir -p "$root/tmp/debs"
cp "$debs"/*.deb "$root/tmp/debs/"
in_image=$(cd "$root" && echo tmp/debs/*.deb | sed 's,tmp/,/tmp/,g')
unshare -m /bin/bash -ec "
	mount -t proc proc '$root/proc'
	mount --rbind /sys '$root/sys'
	mount --rbind /dev '$root/dev'
	chroot '$root' /usr/bin/env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -q $in_image
" >"$work/apt-install.log" 2>&1 || {
	tail -n 40 "$work/apt-install.log"
	echo "build-image: apt-get install of our packages in the image failed" >&2
	exit 1
}
rm -rf "$root/tmp/debs"

# the test image's own parts
fake=$work/fake-dcdbas
rm -rf "$fake" && cp -r "$src/tests/kernel/fake-dcdbas" "$fake"
make -C "/lib/modules/$kver/build" M="$fake" modules >"$fake.log" 2>&1 || { cat "$fake.log"; exit 1; }
install -D -m 0644 "$fake/fake_dcdbas.ko" "$root/usr/local/lib/fake-dcdbas/fake_dcdbas.ko"
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
