#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# tests/intree/run.sh inside RELEASE's cached root (tests/release/run-in-release.sh),
# against the fwupd source of the fwupd installed there, which the plugin SDK
# step gets as for every build (apt-get source, else the checked upstream
# tarball in ../shared/fwupd). The root carries fwupd's build dependencies, so
# nothing is installed into it; WORK keeps the SDK cache and fwupd's build, so a
# second run rebuilds only what changed.
#
# usage: tests/intree/run-release.sh RELEASE WORK SHARED_TESTDATA
set -euo pipefail
if [ $# -ne 3 ]; then
	echo "usage: $0 RELEASE WORK SHARED_TESTDATA" >&2
	exit 2
fi
release=$1
work=$(realpath -ms "$2")
testdata=$(realpath -ms "$3")
top=$(cd "$(dirname "$0")/../.." && pwd)
shared=$(cd "$top/.." && pwd)/shared
# the root sees the checkout and ../shared only, at the paths run-in-release.sh
# binds (symlinks not resolved)
case $testdata/ in "$top"/* | "$shared"/*) ;;
*)
	echo "intree: $testdata is neither in $top nor in $shared, which the $release root sees" >&2
	exit 1
	;;
esac
exec "$top/tests/release/run-in-release.sh" "$release" "
	set -euo pipefail
	src=\$(python3 build-aux/fwupd-sdk.py --cache '$work/fwupd-sdk' \
		--installed-version \"\$(pkg-config --modversion fwupd)\" --shared '$shared')
	echo \"\$src\" | sed -n '4,\$s/^/intree: /p'
	INTREE_INSTALL=0 nice -n 10 bash tests/intree/run.sh \"\$(echo \"\$src\" | head -n1)\" \
		'$work' '$testdata'
"
