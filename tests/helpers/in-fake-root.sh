#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Runs COMMAND with the emulated machine's sysfs SYS as /sys and its device
# files in DEV (mem, nvram) as /dev/mem and /dev/nvram, beside the real null,
# zero, random and urandom, in a mount namespace of its own (run under
# 'unshare --mount --propagation private'). fwupd 2.1's path store reads sysfs
# and devfs at /sys and /dev only (no FWUPD_SYSFSDIR, FWUPD_DEVFS), so the
# tests put the machine there, for every fwupd alike. COMMAND is exec'd: its
# pid is the one the caller started. An empty SYS or DEV keeps the real one.
# Usage: in-fake-root.sh SYS DEV COMMAND...
set -euo pipefail
sys=$1 dev=$2
shift 2
if [ -n "$sys" ]; then
	mount --rbind "$sys" /sys
fi
if [ -n "$dev" ]; then
	stage=$(mktemp -d)
	mount -t tmpfs -o mode=0755 fake-dev "$stage"
	for node in null zero full random urandom; do
		[ -e "/dev/$node" ] || continue
		: >"$stage/$node"
		mount --bind "/dev/$node" "$stage/$node"
	done
	ln -s /proc/self/fd "$stage/fd"
	for file in mem nvram; do
		[ -f "$dev/$file" ] || continue
		: >"$stage/$file"
		mount --bind "$dev/$file" "$stage/$file"
	done
	mount --move "$stage" /dev
	rmdir "$stage"
fi
exec "$@"
