#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Builds our plugins inside fwupd's own source tree, as builtin plugins beside
# fwupd's plugins/dell, dell-dock and dell-kestrel, and runs their self-tests
# with fwupd's own `meson test`.
#
# usage: tests/intree/run.sh FWUPD_SRC WORK [SHARED_TESTDATA]
#   FWUPD_SRC  an unpacked fwupd source tree (read only: it is copied to WORK/fwupd)
#   WORK       a scratch directory; WORK/build is kept, so a second run rebuilds
#              only what changed
#
# In WORK/fwupd: plugins/dell-rbu, plugins/dell-smi and plugins/dell-rbu-common hold
# our sources with the meson.build files of tests/intree/plugins; plugins/meson.build
# enters dell-rbu-common, then lists dell-rbu and dell-smi with fwupd's plugins, then
# enters dell-rbu-intree (tests/intree/plugins/dell-rbu-intree), whose test links
# every Dell plugin of the tree whole into one program.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
here=$top/tests/intree
if [ $# -lt 2 ]; then
	echo "usage: $0 FWUPD_SRC WORK [SHARED_TESTDATA]" >&2
	exit 2
fi
src=$(cd "$1" && pwd)
work=$(realpath -m "$2")
testdata=$(cd "${3:-$top/../shared/testdata}" && pwd)
tree=$work/fwupd
builddir=$work/build

fail() {
	echo "intree: $*" >&2
	exit 1
}
step() {
	echo "intree: $* ($((SECONDS))s)"
}

if [ ! -f "$src/plugins/meson.build" ] || [ ! -f "$src/libfwupdplugin/rustgen.py" ]; then
	fail "$src is not an fwupd source tree"
fi
version=$(sed -n "s/^ *version: '\([^']*\)'.*/\1/p" "$src/meson.build" | head -n1)
[ -n "$version" ] || fail "$src/meson.build names no version"
# inside the checkout only where git ignores it (a build directory)
case $work/ in "$top"/build/*) ;;
"$top"/*)
	git -C "$top" check-ignore -q "$work" 2>/dev/null ||
		fail "WORK must not be inside the repository, unless in an ignored build directory" ;;
esac
mkdir -p "$work"

# fwupd's build dependencies: the Build-Depends the source index lists for the
# installed fwupd (the tree may be an upstream tarball, with no debian/control),
# from the deb-src entries tools/setup.sh enables. INTREE_INSTALL=0 (a cached
# release root, which is made with them) fails instead of installing.
debver=$(dpkg-query -W -f='${source:Version}' fwupd 2>/dev/null) || fail "fwupd is not installed"
missing=$(apt-get -s -q build-dep "fwupd=$debver" 2>&1) ||
	fail "apt-get build-dep fwupd=$debver failed: enable deb-src entries (tools/setup.sh does it) and run apt-get update: $missing"
missing=$(echo "$missing" | sed -n 's/^Inst \([^ ]*\) .*/\1/p' | tr '\n' ' ')
if [ -n "$missing" ]; then
	[ "${INTREE_INSTALL:-1}" != 0 ] || fail "fwupd $debver's build dependencies are missing: $missing"
	step "installing fwupd $debver's build dependencies"
	DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 build-dep -y -q \
		--no-install-recommends "fwupd=$debver" >/dev/null ||
		fail "apt-get build-dep fwupd=$debver failed"
fi

# the tree: a copy of the source (mtimes kept, so the cached build stays valid)
stamp="$src $version"
if [ ! -f "$work/tree.stamp" ] || [ "$(cat "$work/tree.stamp")" != "$stamp" ]; then
	step "copying fwupd $version to $tree"
	rm -rf "$tree" "$builddir" "$work/tree.stamp"
	cp -a "$src" "$tree"
	echo "$stamp" >"$work/tree.stamp"
fi

# our files; each written only when it differs, so ninja rebuilds only what changed
put() {
	cmp -s "$1" "$2" || install -D -m 0644 "$1" "$2"
}
put_text() { # put_text DEST, content on stdin
	local tmp
	tmp=$(mktemp)
	cat >"$tmp"
	put "$tmp" "$1"
	rm -f "$tmp"
}
stage() { # stage OURDIR TREEDIR
	local f
	for f in "$top/plugins/$1"/*.[ch] "$top/plugins/$1"/*.rs; do
		put "$f" "$tree/plugins/$2/$(basename "$f")"
	done
}
stage dell-common dell-rbu-common
stage dell-rbu dell-rbu
stage dell-smi dell-smi
put "$top/data/dell-rbu.quirk" "$tree/plugins/dell-rbu/dell-rbu.quirk"
# fwupd's docs/meson.build lists every enabled plugin's README
put "$top/plugins/dell-rbu/README.md" "$tree/plugins/dell-rbu/README.md"
put "$top/plugins/dell-smi/README.md" "$tree/plugins/dell-smi/README.md"
for d in dell-rbu dell-smi dell-rbu-intree; do
	put "$here/plugins/$d/meson.build" "$tree/plugins/$d/meson.build"
done
put "$here/plugins/dell-rbu-intree/fu-dell-rbu-intree-test.c" \
	"$tree/plugins/dell-rbu-intree/fu-dell-rbu-intree-test.c"
sed -e "s|@SHARED_TESTDATA@|$testdata|" -e "s|@HELPERS@|$top/tests/helpers|" \
	"$here/plugins/dell-rbu-common/meson.build" | put_text "$tree/plugins/dell-rbu-common/meson.build"

# fwupd's plugins/meson.build, with ours enabled beside its own
python3 - "$src/plugins/meson.build" <<'EOF' | put_text "$tree/plugins/meson.build"
import sys

text = open(sys.argv[1], encoding="utf-8").read()
for anchor, new in [
    ("  'dell-kestrel': false,\n", "  'dell-rbu': false,\n  'dell-smi': false,\n"),
    ("foreach plugin, enabled : plugins\n  subdir(plugin)\nendforeach\n", None),
]:
    if text.count(anchor) != 1:
        sys.exit(f"intree: plugins/meson.build of this fwupd lacks {anchor!r}")
    if new is not None:
        text = text.replace(anchor, anchor + new)
text = text.replace(
    "foreach plugin, enabled : plugins\n  subdir(plugin)\nendforeach\n",
    "subdir('dell-rbu-common')\n"
    "foreach plugin, enabled : plugins\n  subdir(plugin)\nendforeach\n"
    "subdir('dell-rbu-intree')\n",
)
sys.stdout.write(text)
EOF

# configure once, with what these targets need and little else
if [ ! -f "$builddir/build.ninja" ]; then
	step "configuring fwupd"
	options=(build=standalone tests=true docs=disabled man=false introspection=disabled
		umockdev_tests=disabled bash_completion=false fish_completion=false metainfo=false
		firmware-packager=false plugin_flashrom=disabled plugin_modem_manager=disabled
		passim=disabled valgrind=disabled lvfs=false supported_build=disabled
		plugin_uefi_capsule_splash=false)
	# only those this fwupd has (2.1 dropped plugin_flashrom)
	[ -f "$tree/meson_options.txt" ] || fail "$tree has no meson_options.txt to check the options against"
	args=()
	for o in "${options[@]}"; do
		! grep -q "'${o%%=*}'" "$tree/meson_options.txt" || args+=("-D$o")
	done
	meson setup "$builddir" "$tree" -Doptimization=0 -Ddebug=false "${args[@]}" \
		>"$work/setup.log" 2>&1 || {
		tail -n 40 "$work/setup.log"
		fail "meson setup of fwupd failed (log: $work/setup.log)"
	}
fi

# only libfwupd, libfwupdplugin, the Dell plugins and the tests of ours
tests=(dell-rbu-common-self-test dell-rbu-self-test dell-smi-self-test dell-rbu-intree-test)
targets=(
	plugins/dell-rbu-common/dell-rbu-common-self-test
	plugins/dell-rbu/dell-rbu-self-test
	plugins/dell-smi/dell-smi-self-test
	plugins/dell-rbu-intree/dell-rbu-intree-test
)
step "building ${targets[*]}"
ninja -C "$builddir" -j2 "${targets[@]}" >"$work/ninja.log" 2>&1 || {
	grep -E -B2 -A12 'FAILED|error' "$work/ninja.log" | head -n 80
	fail "the in-tree build failed (log: $work/ninja.log)"
}

# no global symbol is defined by two Dell libraries of the tree
step "checking the Dell plugins' symbols"
mapfile -t libs < <(find "$builddir/plugins" -name 'libfu_plugin_dell*.a' -o -name 'libfu_dell_rbu_common.a' | sort)
[ "${#libs[@]}" -ge 5 ] || fail "expected fwupd's dell, dell-dock, dell-kestrel and our libraries, found: ${libs[*]}"
dups=$(for lib in "${libs[@]}"; do
	nm --defined-only --extern-only "$lib" 2>/dev/null | awk -v l="${lib##*/}" 'NF == 3 { print $3, l }' | sort -u
done | sort | awk '$1 == prev { print prev ": " prevlib " and " $2 } { prev = $1; prevlib = $2 }')
[ -z "$dups" ] || fail "symbols defined twice: $dups"
for lib in "${libs[@]}"; do echo "  ${lib#"$builddir"/}"; done

step "running fwupd's meson test: ${tests[*]}"
meson test -C "$builddir" --no-rebuild --print-errorlogs "${tests[@]}"
step "done"
