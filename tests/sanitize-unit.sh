#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The unit tests again, built with clang, ASan and UBSan.
set -euo pipefail
"$(dirname "$0")/sanitize-build.sh" "$@"
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	meson test -C "$2/sanitize" --suite unit --print-errorlogs
