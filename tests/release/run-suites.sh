#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Builds this checkout against RELEASE's fwupd in its root (run-in-release.sh)
# and runs every suite that needs no QEMU there. Fails on any compiler warning.
# Usage: run-suites.sh RELEASE BUILDDIR
set -euo pipefail
release=$1
builddir=$(realpath -m "$2")
here=$(cd "$(dirname "$0")" && pwd)
start=$(date +%s)
# the suites of tests/meson.build that need neither QEMU nor this machine's
# packages, and not this one (which would run itself in the root)
exclude="--no-suite kernel --no-suite system --no-suite packages --no-suite robustness"
exclude="$exclude --no-suite intree --no-suite release"
"$here/run-in-release.sh" "$release" "
	set -euo pipefail
	fwupd=\$(dpkg-query -W -f='\${Version}' fwupd)
	log=\$(mktemp)
	if [ -f '$builddir/build.ninja' ]; then
		nice -n 10 meson setup --reconfigure '$builddir' . >\"\$log\" 2>&1 || { cat \"\$log\"; exit 1; }
	else
		nice -n 10 meson setup -Dwerror=true '$builddir' . >\"\$log\" 2>&1 || { cat \"\$log\"; exit 1; }
	fi
	grep '^Message:' \"\$log\" || true
	nice -n 10 ninja -C '$builddir' -j2 >\"\$log\" 2>&1 || { grep -E 'error|warning' \"\$log\"; exit 1; }
	if grep 'warning:' \"\$log\"; then
		echo \"not ok - $release (fwupd \$fwupd): compiler warnings\"
		exit 1
	fi
	echo \"ok - $release (fwupd \$fwupd): built with no warning\"
	nice -n 10 meson test -C '$builddir' $exclude --num-processes 2 --print-errorlogs
"
echo "# $release: $(($(date +%s) - start)) s"
