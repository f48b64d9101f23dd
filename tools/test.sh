#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Sets everything up and runs every test; ends with "tests: N passed, N failed".
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/tools/setup.sh"
echo "== build"
"$top/tools/build.sh"
echo "== test"
status=0
meson test -C "$top/build" --print-errorlogs --num-processes 2 || status=$?
grep -E '^(fuzz |BENCH |kernel(-matrix)? \(|e2e \(|system \()' "$top/build/meson-logs/testlog.txt" || true
/usr/bin/python3 - "$top/build/meson-logs/testlog.json" <<'PY'
import json, sys
passed = failed = skipped = 0
for line in open(sys.argv[1], encoding="utf-8"):
    result = json.loads(line)["result"]
    if result in ("OK", "EXPECTEDFAIL"):
        passed += 1
    elif result == "SKIP":
        skipped += 1
    else:
        failed += 1
print(f"tests: {passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
PY
exit "$status"
