#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Builds kmod/ and the test modules against every kernel Debian ships: this
# machine's own (Debian 12's 6.1) and what linux-headers-amd64 of trixie,
# trixie-backports and sid names, each in a root of its release (a kernel's
# build tools need that release's compiler and libraries), made of unpacked
# packages only (mmdebstrap's extract variant: no dpkg run, no kernel image).
# The roots are cached in CACHE; remove it to follow the archive. Fails on
# any warning or error, or a module whose vermagic is not the kernel's.
# Usage: build-matrix.sh SRC CACHE
set -euo pipefail
src=$1
cache=$(realpath -m "$2")
. "$src/tests/kernel/debian-suites.sh"
mkdir -p "$cache"
# one build at a time in CACHE: the kernel suites of other releases take
# their modules from it (run-kernel-tests.sh holds the lock and says so)
if [ -z "${MATRIX_LOCKED:-}" ]; then
	exec 9>"$cache.lock"
	flock 9
fi
start=$(date +%s)
status=0
built=
modules="kmod tests/kernel/fake-dcdbas"
tools="dash bash coreutils sed grep mawk findutils diffutils libc-bin make"
# what a cached root holds: change it when that changes
layout="1 $tools"
mapfile -t aptopts < <(suite_aptopts)

# the archive's package lists, for trixie, trixie-backports and sid
apt=(-o Dir::Etc::SourceList="$cache/apt/sources.list" -o Dir::Etc::SourceParts=/nonexistent
	-o Dir::State::Lists="$cache/apt/lists" -o Dir::State::status="$cache/apt/status"
	-o Dir::Cache="$cache/apt/cache" -o APT::Architecture=amd64)
apt_ready=
apt_update() {
	[ -z "$apt_ready" ] || return 0
	rm -rf "$cache/apt" && mkdir -p "$cache/apt/lists/partial"
	suite_lines trixie trixie-backports sid >"$cache/apt/sources.list"
	touch "$cache/apt/status"
	apt-get "${apt[@]}" update -q >"$cache/apt.log" 2>&1 ||
		{ cat "$cache/apt.log"; echo "cannot read the archive's package lists" >&2; return 1; }
	apt_ready=1
}

# RELEASE SUITE...: a root of RELEASE with the headers linux-headers-amd64 of
# each SUITE names, what they depend on but the kernel image, and the tools
root_for() {
	local release=$1 dir=$cache/$1 key suite headers fields version deps includes=$tools
	shift
	key=$( (echo "$layout"; suite_lines "$release" "$@"; cat "${aptopts[@]#--aptopt=}") |
		sha256sum | cut -c1-16)
	[ -f "$dir/root/kernels" ] && [ "$(cat "$dir/key" 2>/dev/null)" = "$key" ] && return 0
	apt_update
	rm -rf "$dir" && mkdir -p "$dir/dl"
	for suite in "$@"; do
		headers=$(apt-cache "${apt[@]}" show "linux-headers-amd64/$suite" |
			sed -n 's/^Depends:.*\(linux-headers-[^ ,]*-amd64\) .*/\1/p' | head -n 1)
		[ -n "$headers" ] || { echo "$suite: linux-headers-amd64 names no headers" >&2; return 1; }
		fields=$(apt-cache "${apt[@]}" show "$headers/$suite" | sed -n '/^$/q; /^\(Version\|Depends\): /p')
		version=$(echo "$fields" | sed -n 's/^Version: //p')
		deps=$(echo "$fields" | sed -n 's/^Depends: //p' | tr ',' '\n' |
			sed 's/|.*//; s/(.*//; s/ //g' | grep -v '^linux-image-' | tr '\n' ' ')
		includes="$includes $deps"
		(cd "$dir/dl" && apt-get "${apt[@]}" download -q "$headers=$version" >/dev/null 2>&1) ||
			{ echo "cannot download $headers $version" >&2; return 1; }
		echo "$suite ${headers#linux-headers-} $version" >>"$dir/kernels"
	done
	mapfile -t lines < <(suite_lines "$release" "$@" | sort -u)
	if ! mmdebstrap --variant=extract --include="$(echo "$includes" | xargs | tr ' ' ',')" "${aptopts[@]}" \
		"$release" "$dir/root" "${lines[@]}" >"$dir/mmdebstrap.log" 2>&1; then
		tail -n 30 "$dir/mmdebstrap.log"
		echo "not ok - $release: mmdebstrap failed" >&2
		return 1
	fi
	for deb in "$dir"/dl/*.deb; do dpkg-deb -x "$deb" "$dir/root"; done
	# what maintainer scripts would have done, as far as Kbuild needs it
	ln -sf mawk "$dir/root/usr/bin/awk"
	chroot "$dir/root" /sbin/ldconfig
	mv "$dir/kernels" "$dir/root/kernels"
	rm -rf "$dir/dl"
	echo "$key" >"$dir/key"
	echo "# $release: root made ($(($(date +%s) - start)) s)"
}

# LABEL LOG KVER DIR -- MAKE...: one module's build, checked
check_build() {
	local label=$1 log=$2 kver=$3 dir=$4 ko vermagic
	shift 5
	if ! "$@" >"$log" 2>&1; then
		grep -E 'error|warning' "$log" | head -n 20 || tail -n 20 "$log"
		echo "not ok - $label: build failed"
		return 1
	fi
	if grep 'warning:' "$log"; then
		echo "not ok - $label: warnings"
		return 1
	fi
	for ko in "$dir"/*.ko; do
		vermagic=$(modinfo -F vermagic "$ko")
		case "$vermagic" in
		"$kver "*) ;;
		*) echo "not ok - $label: $(basename "$ko") has vermagic '$vermagic'" && return 1 ;;
		esac
	done
	echo "ok - $label: no warning"
	built="$built $kver"
}

# this machine's kernel, with its own headers
kver=$(dpkg-query -W -f='${Depends}' linux-headers-amd64 | sed -n 's/.*linux-headers-\([^ ,]*\).*/\1/p')
host_version=$(dpkg-query -W -f='${Version}' "linux-headers-$kver")
for m in $modules; do
	out=$cache/host/$kver/$(basename "$m")
	rm -rf "$out" && mkdir -p "${out%/*}" && cp -r "$src/$m" "$out"
	check_build "$(basename "$m") for $kver ($(. /etc/os-release && echo "$VERSION_CODENAME") $host_version)" \
		"$out.log" "$kver" "$out" -- make -C "/lib/modules/$kver/build" M="$out" modules || status=1
done

for spec in "trixie trixie trixie-backports" "sid sid"; do
	# shellcheck disable=SC2086 # RELEASE SUITE...
	root_for $spec || { status=1; continue; }
	root=$cache/${spec%% *}/root
	while read -r suite kver version; do
		for m in $modules; do
			out=/tmp/build/$kver/$(basename "$m")
			rm -rf "$root$out" && mkdir -p "${root}${out%/*}" && cp -r "$src/$m" "$root$out"
			check_build "$(basename "$m") for $kver ($suite $version)" "$root$out.log" "$kver" \
				"$root$out" -- unshare -m /bin/bash -ec "
					mount --rbind /dev '$root/dev'; mount -t proc proc '$root/proc'
					exec chroot '$root' make -C /usr/src/linux-headers-$kver M=$out modules" ||
				status=1
		done
	done <"$root/kernels"
done
kernels=$(echo "$built" | tr ' ' '\n' | sed '/^$/d' | sort -uV | tr '\n' ' ')
echo "kernel-matrix ($(($(date +%s) - start)) s): $(echo "$built" | wc -w) builds without warning, for ${kernels% }"
exit "$status"
