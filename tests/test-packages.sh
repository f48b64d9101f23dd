#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The Debian packages as a user gets them: built by ./tools/package.sh,
# lintian-clean, installed with apt on this machine (DKMS builds the module),
# found by the stock fwupdtool with no environment, and removed without a
# trace. Changes this machine's packages: run as root, never in parallel.
set -u
top=$1
outdir=$2
plugin=fwupd-plugin-dell-rbu
dkms_pkg=dell-rbu-dkms
apt=(apt-get -o DPkg::Lock::Timeout=900 -y -q)
export DEBIAN_FRONTEND=noninteractive
unset FWUPD_LIBDIR_PKG

tmp=$(mktemp -d)
purge() {
	local present=()
	for p in "$plugin" "$dkms_pkg"; do
		dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null | grep -qv '^not-installed$' &&
			present+=("$p")
	done
	[ "${#present[@]}" -eq 0 ] || "${apt[@]}" purge "${present[@]}" >"$tmp/purge.log" 2>&1
}
trap 'purge; rm -rf "$tmp"' EXIT
fail() {
	echo "not ok - $*"
	exit 1
}
ok() { echo "ok - $*"; }

[ "$(id -u)" -eq 0 ] || fail "runs as root (it installs packages)"
purge || fail "a previous install of $plugin $dkms_pkg can be purged: $(cat "$tmp/purge.log")"

PACKAGE_OUTDIR=$outdir "$top/tools/package.sh" >"$tmp/package.log" 2>&1 || {
	cat "$tmp/package.log"
	fail "tools/package.sh builds the packages"
}
version=$(dpkg-parsechangelog -l "$top/debian/changelog" -S Version)
upstream=${version%-*}
# tools/package.sh adds the release to the version (~deb12 on Debian 12)
plugin_deb=$(ls "$outdir"/${plugin}_"${version}"~*_*.deb 2>/dev/null)
[ -f "$plugin_deb" ] && version=$(dpkg-deb -f "$plugin_deb" Version)
dkms_deb="$outdir/${dkms_pkg}_${version}_all.deb"
[ -f "$plugin_deb" ] || fail "$plugin ${version} is built: $(ls "$outdir")"
[ -f "$dkms_deb" ] || fail "$dkms_pkg ${version} is built: $(ls "$outdir")"
release=$(. /etc/os-release && echo "${VERSION_ID%%.*}")
case $version in
*~deb"$release" | *~bpo"$release") ;;
*) fail "the version $version names Debian $release (~deb$release or ~bpo$release)" ;;
esac
ok "built $(basename "$plugin_deb") $(basename "$dkms_deb")"

fwupd_version=$(dpkg-query -W -f='${Version}' fwupd)
depends=$(dpkg-deb -f "$plugin_deb" Depends)
case ", $depends," in
*", fwupd (= $fwupd_version),"*) ok "$plugin depends on exactly fwupd (= $fwupd_version)" ;;
*) fail "$plugin depends on fwupd (= $fwupd_version): Depends: $depends" ;;
esac

lintian --fail-on error "$outdir"/source/*.changes >"$tmp/lintian.log" 2>&1
rc=$?
grep -E '^[EW]: ' "$tmp/lintian.log" | grep -v 'inconsistent-appstream-metadata-license fwupd/' |
	sed 's/^/# lintian: /'
[ "$rc" -eq 0 ] || fail "lintian reports no errors (exit $rc)"
ok "lintian reports no errors on the source and binary packages"

"${apt[@]}" install "$plugin_deb" "$dkms_deb" >"$tmp/install.log" 2>&1 || {
	cat "$tmp/install.log"
	fail "apt-get install of both packages"
}
ok "apt-get install ./$(basename "$plugin_deb") ./$(basename "$dkms_deb")"

plugins=$(fwupdtool get-plugins --json 2>/dev/null)
for p in dell_rbu dell_smi; do
	echo "$plugins" | grep -Eq "\"Name\" ?: \"$p\"" ||
		fail "the stock fwupdtool lists $p with no environment"
done
ok "the stock fwupdtool get-plugins lists dell_rbu and dell_smi"
fwupdtool --version 2>/dev/null | grep -Eq "^runtime +fwupd-dell-rbu +$upstream$" ||
	fail "fwupdtool --version shows fwupd-dell-rbu $upstream: $(fwupdtool --version 2>&1)"
ok "fwupdtool --version shows fwupd-dell-rbu $upstream"

# the kernels whose headers are installed
kernels=()
for build in /lib/modules/*/build; do
	[ -e "$build/Makefile" ] && kernels+=("$(basename "$(dirname "$build")")")
done
[ "${#kernels[@]}" -gt 0 ] || fail "kernel headers are installed (linux-headers-amd64)"
status=$(dkms status dell-rbu 2>&1)
for kver in "${kernels[@]}"; do
	echo "$status" | grep -Eq "^dell-rbu/$upstream, $kver, [^:]+: installed" ||
		fail "dkms status shows dell-rbu/$upstream installed for $kver: $status"
	ok "dkms status: dell-rbu/$upstream, $kver: installed"
	path=$(modinfo -k "$kver" -n dell_rbu 2>&1)
	case $path in
	*/updates/dkms/dell_rbu.ko*) ok "modprobe dell_rbu on $kver loads $path" ;;
	*) fail "modprobe dell_rbu on $kver loads the DKMS module, not $path" ;;
	esac
	# beside the kernel's own dell_rbu.ko, depmod's search order picks ours
	root=$tmp/root
	mods=$root/lib/modules/$kver
	mkdir -p "$mods/kernel/drivers/firmware" "$mods/updates/dkms"
	touch "$mods"/modules.{order,builtin,builtin.modinfo}
	cp "$path" "$mods/updates/dkms/"
	cp "$path" "$mods/kernel/drivers/firmware/"
	depmod -b "$root" "$kver" || fail "depmod of a tree with both modules"
	picked=$(modprobe -d "$root" -S "$kver" --show-depends dell_rbu 2>&1)
	case $picked in
	"insmod $mods/updates/dkms/dell_rbu.ko"*) ok "with the kernel's own dell_rbu.ko beside it, modprobe picks the DKMS one" ;;
	*) fail "with the kernel's own dell_rbu.ko beside it, modprobe picks the DKMS one: $picked" ;;
	esac
	rm -rf "$root"
done

dpkg -L "$plugin" "$dkms_pkg" >"$tmp/files"
for kver in "${kernels[@]}"; do
	echo "/lib/modules/$kver/updates/dkms/dell_rbu.ko" >>"$tmp/files"
done
echo "/var/lib/dkms/dell-rbu" >>"$tmp/files"

purge || {
	cat "$tmp/purge.log"
	fail "apt-get purge of both packages"
}
ok "apt-get purge $plugin $dkms_pkg"
left=()
while read -r f; do
	[ -d "$f" ] && [ ! -L "$f" ] && [ "$f" != /var/lib/dkms/dell-rbu ] && continue
	[ -e "$f" ] || [ -L "$f" ] && left+=("$f")
done <"$tmp/files"
[ "${#left[@]}" -eq 0 ] || fail "no file of ours is left: ${left[*]}"
ok "no file of ours is left ($(wc -l <"$tmp/files") paths checked)"
for kver in "${kernels[@]}"; do
	path=$(modinfo -k "$kver" -n dell_rbu 2>/dev/null)
	case $path in
	*/updates/*) fail "after removal $kver's dell_rbu is the distribution's again, not $path" ;;
	esac
	ok "after removal no dell_rbu of ours is found for $kver${path:+ (modprobe finds $path)}"
done
plugins=$(fwupdtool get-plugins --json 2>/dev/null) || fail "fwupdtool get-plugins works after removal"
echo "$plugins" | grep -Eq '"Name" ?: "dell_rbu"' && fail "fwupdtool no longer lists dell_rbu"
fwupdtool --version >/dev/null 2>&1 || fail "fwupdtool --version works after removal"
ok "fwupd works after removal and no longer lists our plugins"
