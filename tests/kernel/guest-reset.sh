#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Runs inside the guest (busybox) for a reset boot of our module at $1: stages
# the other layout's image and cancels it as the plugin does, then stages the
# $2 layout's image (packet or mono) through the direct path, checks its
# read-back and resets the machine warm; the host scans RAM as the BIOS would.
# The images come masked from /reset (reset-images.py) and are unmasked a
# page at a time into the module, so the guest holds no other whole copy.
ko=$1
final=$2
rbu=/sys/devices/platform/dell_rbu
label="reset-$final"
ok() { echo "PASS $label: $*"; }
bad() { echo "FAIL $label: $*"; }
check() { if eval "$1"; then ok "$2"; else bad "$2"; fi; }

stage() {
	echo "$1" >$rbu/image_type
	[ "$1" = packet ] && echo 4096 >$rbu/packet_size
	echo "$(wc -c <"/reset/$2.x")" >$rbu/image_size && unmask <"/reset/$2.x" >$rbu/image
}
same() { unmask <"/reset/$1.x" | cmp -s - $rbu/data; }
cancel() {
	echo 0 >$rbu/image_size
	echo "$1" >$rbu/image_type
}

other=mono
[ "$final" = mono ] && other=packet
insmod "$ko" || { bad "insmod $ko"; exit 0; }
stage "$other" "cancelled-$other"
check "same cancelled-$other" "$other: the image to cancel is staged and reads back identical"
cancel "$other"
check "[ \$(wc -c <$rbu/data) -eq 0 ]" "$other: the cancel leaves nothing staged"
stage "$final" "$final"
check "same $final" "$final: the image is staged and reads back identical"
echo "RESET $label"
reboot -f
