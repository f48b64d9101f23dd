#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The build refuses an fwupd SDK whose version differs from the installed
# fwupd, and says which versions and how to fix it.
set -u
src=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
installed=$(pkg-config --modversion fwupd)

mkdir -p "$tmp/fwupd-9.9.9/libfwupdplugin"
cat >"$tmp/fwupd-9.9.9/meson.build" <<MESON
project('fwupd', 'c',
  version: '9.9.9',
)
MESON
: >"$tmp/fwupd-9.9.9/libfwupdplugin/meson.build"

status=0
meson setup "$tmp/build" "$src" -Dfwupd_source="$tmp/fwupd-9.9.9" -Dtests=false \
	>"$tmp/log" 2>&1 || status=$?
fail() { echo "not ok - $*"; cat "$tmp/log"; exit 1; }
[ "$status" -ne 0 ] || fail "meson setup accepted an fwupd 9.9.9 SDK for installed $installed"
echo "ok - meson setup fails on a mismatched SDK"
grep -q "the plugin SDK is fwupd 9.9.9" "$tmp/log" || fail "message names the SDK version"
grep -q "installed fwupd is $installed" "$tmp/log" || fail "message names the installed version"
grep -q "must match" "$tmp/log" || fail "message says they must match"
grep -q "install fwupd and libfwupd-dev 9.9.9" "$tmp/log" || fail "message says how to fix it"
echo "ok - the message names both versions and the fix"
