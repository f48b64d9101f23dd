#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Builds the Debian packages into build/packages/, as root on Debian 12 or 13
# (tests/release/run-in-release.sh RELEASE 'tools/package.sh' for another):
#   fwupd-plugin-dell-rbu_VERSION_ARCH.deb  (depends on exactly the installed fwupd)
#   dell-rbu-dkms_VERSION_all.deb
# VERSION is debian/changelog's version with the release it is built for:
# ~deb12 (Debian 12), ~deb13 (Debian 13), ~bpo13 (Debian 13 with fwupd from
# its backports), e.g. 0.3.0-1~deb13.
# The source package is debian/ plus two tarballs: this tree, and the
# "fwupd" component, the distribution's source of the installed fwupd (the
# plugin SDK), fetched here before the build. The build itself runs without
# network.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
out=${PACKAGE_OUTDIR:-$top/build/packages}

# Debian 12: tools/setup.sh installs the packaging tools. Elsewhere (Debian
# 13, a tests/release root) they are expected installed: dpkg-buildpackage
# names any build dependency that is missing.
if [ "$(. /etc/os-release && echo "${VERSION_CODENAME:-}")" = bookworm ]; then
	"$top/tools/setup.sh" debhelper dh-dkms dkms lintian
fi

name=$(dpkg-parsechangelog -l "$top/debian/changelog" -S Source)
version=$(dpkg-parsechangelog -l "$top/debian/changelog" -S Version)
upstream=${version%-*}
project_version=$(sed -n "s/^  version: '\(.*\)',$/\1/p" "$top/meson.build")
dkms_version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$top/kmod/dkms.conf")
if [ "$upstream" != "$project_version" ] || [ "$dkms_version" != "$project_version" ]; then
	echo "package: versions differ: meson.build $project_version," \
		"debian/changelog $upstream, kmod/dkms.conf $dkms_version" >&2
	exit 1
fi
fwupd_version=$(dpkg-query -W -f='${Version}' fwupd)
# the release the packages are for: this system's, with backports when its
# fwupd comes from there
release_id=$(. /etc/os-release && echo "${VERSION_ID%%.*}")
distribution=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
case $fwupd_version in
*~bpo*) suffix=~bpo$release_id distribution=$distribution-backports ;;
*) suffix=~deb$release_id ;;
esac
base_version=$version
version=$version$suffix
# tarball times: the newest commit, always in the past
mtime=@$(git -C "$top" log -1 --format=%ct 2>/dev/null || date +%s)
fwupd_upstream=$(dpkg-query -W -f='${source:Upstream-Version}' fwupd)

sdk=$(python3 "$top/build-aux/fwupd-sdk.py" --cache "$out/fwupd-sdk" \
	--installed-version "$fwupd_upstream" --shared "$top/../shared")
sdk=${sdk%%$'\n'*}

work=$out/source
rm -rf "$work"
mkdir -p "$work"
tree=$work/$name-$upstream

# this tree as the main tarball: tracked and new files, not what git ignores
(cd "$top" && git ls-files -z --cached --others --exclude-standard -- . ':!:debian') |
	tar -C "$top" --null -T - --transform "s,^,$name-$upstream/," \
		--sort=name --owner=0 --group=0 --numeric-owner --mtime="$mtime" \
		-czf "$work/${name}_$upstream.orig.tar.gz"
tar -C "$(dirname "$sdk")" --transform "s,^$(basename "$sdk"),fwupd," \
	--sort=name --owner=0 --group=0 --numeric-owner \
	-czf "$work/${name}_$upstream.orig-fwupd.tar.gz" "$(basename "$sdk")"

mkdir "$tree"
tar -C "$work" -xzf "$work/${name}_$upstream.orig.tar.gz"
mkdir "$tree/fwupd"
tar -C "$tree/fwupd" --strip-components=1 -xzf "$work/${name}_$upstream.orig-fwupd.tar.gz"
cp -a "$top/debian" "$tree/"
# the release's own entry on top of the base version's, dated after it (the
# last commit's time, or one second after the base entry): the build stays
# reproducible and a newer entry has a newer date
base_time=$(dpkg-parsechangelog -l "$top/debian/changelog" -S Timestamp)
entry_time=${mtime#@}
[ "$entry_time" -gt "$base_time" ] || entry_time=$((base_time + 1))
{
	printf '%s (%s) %s; urgency=medium\n\n' "$name" "$version" "$distribution"
	printf '  * Built for %s against fwupd %s.\n\n' "$distribution" "$fwupd_version"
	printf ' -- %s  %s\n\n' "$(dpkg-parsechangelog -l "$top/debian/changelog" -S Maintainer)" \
		"$(LC_ALL=C date -u -R -d "@$entry_time")"
	cat "$top/debian/changelog"
} >"$tree/debian/changelog"

echo "package: building $name $version ($base_version for $distribution) against fwupd $fwupd_version (no network)"
log=$work/build.log
offline=(unshare --net)
if ! unshare --net true 2>/dev/null; then
	echo "package: cannot drop the network here (unshare --net); building with it" >&2
	offline=()
fi
if ! (cd "$tree" && "${offline[@]}" dpkg-buildpackage -us -uc >"$log" 2>&1); then
	tail -n 60 "$log"
	echo "package: dpkg-buildpackage failed; the whole log is $log" >&2
	exit 1
fi

rm -f "$out"/*.deb
for deb in "$work"/*.deb; do
	case $deb in *-dbgsym_*) continue ;; esac
	cp "$deb" "$out/"
	echo "package: $out/$(basename "$deb")"
done
