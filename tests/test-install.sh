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
	echo "$out" | grep -q "\"Name\" : \"$p\"" || fail "installed $p loads in fwupdtool"
done
echo "ok - the installed modules load in the stock fwupdtool"
cab=$(find "$tmp" -path '*/bin/dell-rbu-cab' -type f)
[ -n "$cab" ] && [ -x "$cab" ] || fail "dell-rbu-cab is installed"
"$cab" --version | grep -q "^dell-rbu-cab " || fail "the installed dell-rbu-cab runs"
find "$tmp" -path '*/man1/dell-rbu-cab.1' | grep -q . || fail "its man page is installed"
echo "ok - dell-rbu-cab and its man page are installed, and it runs"
