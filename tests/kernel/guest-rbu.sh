#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Runs inside the guest (busybox): the plugin-facing dell_rbu ABI against the
# module at $1, labelled $2. Prints PASS/FAIL lines and BENCH figures.
ko=$1
label=$2
rbu=/sys/devices/platform/dell_rbu
fwc=/sys/class/firmware/dell_rbu
ok() { echo "PASS $label: $*"; }
bad() { echo "FAIL $label: $*"; }
check() { if eval "$1"; then ok "$2"; else bad "$2"; fi; }
memfree() { awk '/^MemFree:/ { print $2 }' /proc/meminfo; }
wait_for() { i=0; while [ ! -e "$1" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done; [ -e "$1" ]; }
now_ms() { awk '{ printf "%d", $1 * 1000 }' /proc/uptime; }

wait_gone() { i=0; while [ -e "$1" ] && [ $i -lt 200 ]; do sleep 0.02; i=$((i + 1)); done; }

# stage FILE through the firmware-class fallback; the driver's callback runs
# after loading=0, so wait until the read-back holds the whole image
fw_load() {
	echo init >$rbu/image_type
	wait_for $fwc/loading || return 1
	echo 1 >$fwc/loading && cat "$1" >$fwc/data && echo 0 >$fwc/loading
	wait_gone $fwc/loading
	want=$(wc -c <"$1")
	i=0
	while [ "$(wc -c <$rbu/data)" -lt "$want" ] && [ $i -lt 100 ]; do sleep 0.02; i=$((i + 1)); done
}
# checks the plugin relies on of our module only; the distribution's
# driver is lax there, which is reported, not failed
strict() { if [ "$label" = ours ]; then check "$1" "$2"; elif eval "$1"; then ok "$2"; else echo "INFO $label: not: $2"; fi; }

# the read-back, trimmed to SIZE bytes
readback() { head -c "$2" $rbu/data >"$1"; }

insmod "$ko" || { bad "insmod $ko"; exit 0; }
check "[ -e $rbu/image_type ] && [ -e $rbu/packet_size ] && [ -e $rbu/data ]" "sysfs files exist"

for size in 1024 1048576 33554432; do
	head -c "$size" /dev/urandom >/tmp/img
	echo mono >$rbu/image_type
	fw_load /tmp/img
	readback /tmp/back "$size"
	check "cmp -s /tmp/img /tmp/back" "mono $size bytes read back identical"
	for psize in 4096 65536; do
		echo packet >$rbu/image_type
		echo "$psize" >$rbu/packet_size
		fw_load /tmp/img
		got=$(wc -c <$rbu/data)
		readback /tmp/back "$size"
		check "cmp -s /tmp/img /tmp/back && [ $got -eq $size ]" \
			"packet $psize: $size bytes read back identical"
	done
done

echo mono >$rbu/image_type
check "[ \$(wc -c <$rbu/data) -eq 0 ]" "switching type frees the staged image"

echo init >$rbu/image_type
wait_for $fwc/loading
echo 1 >$fwc/loading
head -c 65536 /dev/urandom >$fwc/data
echo -1 >$fwc/loading
sleep 0.3
check "[ \$(wc -c <$rbu/data) -eq 0 ]" "cancel (loading -1) stages nothing"
echo init >$rbu/image_type
check "wait_for $fwc/loading" "init re-creates the load interface"
echo -1 >$fwc/loading
sleep 0.2

for bad_size in 1 4095 6000 67108864 99999999999; do
	strict "! echo $bad_size >$rbu/packet_size 2>/dev/null" "packet_size $bad_size is refused"
done
echo 0 >$rbu/packet_size

# 1000 stage/cancel cycles; free memory may not drift beyond noise
echo packet >$rbu/image_type
echo 4096 >$rbu/packet_size
head -c 262144 /dev/urandom >/tmp/img
before=$(memfree)
n=0
while [ $n -lt "${RBU_CYCLES:-1000}" ]; do
	fw_load /tmp/img
	echo init >$rbu/image_type
	wait_for $fwc/loading && echo -1 >$fwc/loading
	wait_gone $fwc/loading
	n=$((n + 1))
done
sleep 0.5
after=$(memfree)
drift=$((before - after))
echo "BENCH $label: stage/cancel cycles=$n free-memory-drift-kib=$drift"
check "[ $drift -lt 4096 ]" "$n stage/cancel cycles leave free memory within 4 MiB ($drift KiB)"

# staging time for 32 MiB
head -c 33554432 /dev/urandom >/tmp/img
for mode in mono packet; do
	echo $mode >$rbu/image_type
	[ $mode = packet ] && echo 4096 >$rbu/packet_size
	t0=$(now_ms)
	fw_load /tmp/img
	t1=$(now_ms)
	echo "BENCH $label: stage-32MiB-$mode-ms=$((t1 - t0))"
done

# unloading with an image staged frees it
echo packet >$rbu/image_type
echo 4096 >$rbu/packet_size
sleep 0.5
unstaged=$(memfree)
fw_load /tmp/img
sleep 0.5
staged=$(memfree)
rmmod dell_rbu
sleep 0.5
back=$(memfree)
check "[ $((unstaged - staged)) -gt 30000 ] && [ $((unstaged - back)) -lt 4096 ]" \
	"rmmod with 32 MiB staged frees it (staging took $((unstaged - staged)) KiB, $((unstaged - back)) KiB not back)"
