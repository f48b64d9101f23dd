#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Sets everything up and runs every test; ends with "tests: N passed, N failed".
# Tests that need the real Dell test data (README, "Test data") in
# ../shared/testdata or $SHARED_TESTDATA are not run without it, each named
# with the reason; with CI set, missing test data is an error.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
testdata=${SHARED_TESTDATA:-$(cd "$top/.." && pwd)/shared/testdata}
missing=()
for part in hdr smbios-dumps; do
	[ -n "$(ls -A "$testdata/$part" 2>/dev/null)" ] || missing+=("$testdata/$part")
done
if [ "${#missing[@]}" -ne 0 ]; then
	if [ -n "${CI:-}" ]; then
		echo "test: CI is set and the real Dell test data is missing (${missing[*]});" \
			"set SHARED_TESTDATA, see README" >&2
		exit 1
	fi
	echo "test: no real Dell test data in ${missing[*]}: the tests that need it are not run (see README)"
fi
options=()
[ -z "${SHARED_TESTDATA:-}" ] || options=("-Dshared_testdata=$SHARED_TESTDATA")
"$top/tools/setup.sh"
echo "== build"
"$top/tools/build.sh" "${options[@]}"
echo "== test"
status=0
meson test -C "$top/build" --print-errorlogs --num-processes 2 || status=$?
grep -E '^(fuzz |BENCH |kernel(-matrix)? \(|e2e \(|system \()' "$top/build/meson-logs/testlog.txt" || true
/usr/bin/python3 - "$top/build/meson-logs/testlog.json" <<'PY'
import json, sys
passed = failed = skipped = 0
for line in open(sys.argv[1], encoding="utf-8"):
    test = json.loads(line)
    result = test["result"]
    if result in ("OK", "EXPECTEDFAIL"):
        passed += 1
    elif result == "SKIP":
        skipped += 1
        why = [l for l in (test.get("stdout") or "").splitlines() if l.startswith("SKIP")]
        print(f"not run: {test['name'].split(':', 1)[-1]}: {why[-1][6:] if why else 'skipped'}")
    else:
        failed += 1
print(f"tests: {passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
PY
exit "$status"
