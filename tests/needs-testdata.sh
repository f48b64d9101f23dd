#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Runs a test that needs the real Dell test data (see README, "Test data").
# Usage: needs-testdata.sh TESTDATA PARTS COMMAND [ARGS...]
# PARTS is hdr, smbios-dumps or hdr,smbios-dumps: the folders of TESTDATA the
# test reads. When one is missing the test is not run: one line says what it
# needs and the exit code is 77 (meson's SKIP), or 1 when CI is set, so CI
# never passes on fewer tests.
set -euo pipefail
testdata=$(realpath -m "$1")
parts=$2
shift 2
declare -A what=(["hdr"]="the real Dell .hdr images" ["smbios-dumps"]="the SMBIOS dumps of real Dell machines")
for part in ${parts//,/ }; do
	if [ -z "$(ls -A "$testdata/$part" 2>/dev/null)" ]; then
		if [ -n "${CI:-}" ]; then
			echo "ERROR: needs ${what[$part]} in $testdata/$part, which is missing (CI is set)" >&2
			exit 1
		fi
		echo "SKIP: needs ${what[$part]} in $testdata/$part (libsmbios test data, see README)"
		exit 77
	fi
done
exec "$@"
