#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# meson install puts both modules in fwupd's plugin directory, where the
# stock fwupdtool loads them.
set -u
builddir=$1
libdir_pkg=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "not ok - $*"; exit 1; }

meson install -C "$builddir" --no-rebuild --destdir "$tmp" >"$tmp/install.log" 2>&1 || {
	cat "$tmp/install.log"
	fail "meson install"
}
for p in dell_rbu dell_smi; do
	so="$tmp$libdir_pkg/libfu_plugin_$p.so"
	[ -f "$so" ] || fail "$so is installed"
	echo "ok - libfu_plugin_$p.so is installed in $libdir_pkg"
	nm -D --defined-only "$so" | grep -q " T fu_plugin_init_vfuncs$" ||
		fail "$so exports fu_plugin_init_vfuncs"
done
echo "ok - both export fu_plugin_init_vfuncs"
out=$(FWUPD_LIBDIR_PKG="$tmp$libdir_pkg" fwupdtool get-plugins --json 2>/dev/null)
for p in dell_rbu dell_smi; do
	echo "$out" | grep -Eq "\"Name\" ?: \"$p\"" || fail "installed $p loads in fwupdtool"
done
echo "ok - the installed modules load in the stock fwupdtool"
cab=$(find "$tmp" -path '*/bin/dell-rbu-cab' -type f)
[ -n "$cab" ] && [ -x "$cab" ] || fail "dell-rbu-cab is installed"
"$cab" --version | grep -q "^dell-rbu-cab " || fail "the installed dell-rbu-cab runs"
find "$tmp" -path '*/man1/dell-rbu-cab.1' | grep -q . || fail "its man page is installed"
echo "ok - dell-rbu-cab and its man page are installed, and it runs"

# the modules load on a Dell only: udev asks modprobe for the DMI modalias
conf=$(find "$tmp" -path '*/modprobe.d/fwupd-dell-rbu.conf')
[ -f "$conf" ] || fail "the modprobe.d aliases are installed"
kver=$(uname -r)
dell=$(modprobe -C "$conf" -S "$kver" --resolve-alias \
	'dmi:bvnDellInc.:bvrA09:bd03/15/2006:svnDellInc.:pnPowerEdge2800:pvr:rvnDellInc.:' 2>/dev/null)
[ "$(echo $dell)" = "dell_rbu dcdbas" ] || fail "a Dell's DMI modalias loads dell_rbu and dcdbas: '$dell'"
echo "ok - a Dell's DMI modalias resolves to dell_rbu and dcdbas"
other=$(modprobe -C "$conf" -S "$kver" --resolve-alias \
	'dmi:bvnLENOVO:bvrN1EET:bd01/01/2020:svnLENOVO:pn20HRCTO1WW:pvrThinkPadX1:' 2>/dev/null)
[ -z "$other" ] || fail "another vendor's DMI modalias loads nothing of ours: '$other'"
echo "ok - another vendor's DMI modalias loads nothing of ours"
