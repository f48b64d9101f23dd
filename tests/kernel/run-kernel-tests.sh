#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Builds kmod/ against the distribution kernel's headers, boots that kernel in
# QEMU with a busybox initramfs, and runs guest-rbu.sh against our module and
# the distribution's own dell_rbu.ko. Fails on any FAIL or a missing result.
# KERNEL_RELEASE=trixie, trixie-backports or sid takes that suite's kernel and
# the module build-matrix.sh built for it (in WORK/../kernel-matrix).
# Then two reset boots (guest-reset.sh): each layout staged after the other
# was cancelled, and RAM at the warm reset scanned as the BIOS would.
# KERNEL_SMOKE=1 runs the reset boots only: stage, read-back, cancel and
# the BIOS's view.
set -euo pipefail
src=$1
work=$2
mkdir -p "$work"
release=${KERNEL_RELEASE:-}
kmod=$work/kmod
if [ -n "$release" ]; then
	matrix=$(realpath -m "$work/../kernel-matrix")
	mkdir -p "$(dirname "$matrix")"
	exec 9>"$matrix.lock"
	flock 9
	MATRIX_LOCKED=1 "$src/tests/kernel/build-matrix.sh" "$src" "$matrix" >"$work/matrix.log" 2>&1 ||
		{ cat "$work/matrix.log"; exit 1; }
	root=$(grep -l "^$release " "$matrix"/*/root/kernels | head -n 1)
	[ -n "$root" ] || { echo "KERNEL_RELEASE=$release: no such suite in the matrix" >&2; exit 1; }
	kver=$(awk -v s="$release" '$1 == s { print $2 }' "$root")
	work=$work/$release
	mkdir -p "$work"
	kmod=$work/kmod
	rm -rf "$kmod" && cp -r "${root%/kernels}/tmp/build/$kver/kmod" "$kmod"
	"$src/tests/kernel/prepare-kernel.sh" "$work/kernel" "$kver" "$matrix/apt" >/dev/null
	exec 9>&-
else
	kver=$("$src/tests/kernel/prepare-kernel.sh" "$work/kernel")
	rm -rf "$kmod" && cp -r "$src/kmod" "$kmod"
	make -C "/lib/modules/$kver/build" M="$kmod" modules >"$work/kmod.log" 2>&1 ||
		{ cat "$work/kmod.log"; exit 1; }
fi
kroot=$work/kernel/root
vermagic=$(modinfo -F vermagic "$kmod/dell_rbu.ko")
case "$vermagic" in "$kver "*) ;; *) echo "vermagic '$vermagic' is not $kver" >&2; exit 1 ;; esac

initrd=$work/initrd
rm -rf "$initrd" && mkdir -p "$initrd"/{bin,etc,ours,distro,proc,sys,dev,tmp}
# a user other than root, for reading what only root may
printf 'root:x:0:0::/:/bin/sh\nnobody:x:65534:65534::/:/bin/sh\n' >"$initrd/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$initrd/etc/group"
cp /bin/busybox "$initrd/bin/busybox"
for a in sh mount umount insmod rmmod cat echo head cmp wc awk sleep sed poweroff mkdir dd sort printf \
	dmesg grep rm tail tr stat su; do
	ln -s busybox "$initrd/bin/$a"
done
cc -static -O2 -Wall -o "$initrd/bin/kcore-scan" "$src/tests/kernel/kcore-scan.c"
cc -static -O2 -Wall -o "$initrd/bin/unmask" "$src/tests/kernel/unmask.c"
expect=$work/reset-expect
rm -rf "$expect"
python3 "$src/tests/kernel/reset-images.py" "$initrd/reset" "$expect"
cp "$kmod/dell_rbu.ko" "$initrd/ours/"
cp "$kroot/lib/modules/$kver/kernel/drivers/platform/x86/dell/dell_rbu.ko" "$initrd/distro/"
cp "$src/tests/kernel/guest-rbu.sh" "$initrd/guest-rbu.sh"
cp "$src/tests/kernel/guest-memory.sh" "$initrd/guest-memory.sh"
cp "$src/tests/kernel/guest-crash.sh" "$initrd/guest-crash.sh"
cp "$src/tests/kernel/guest-reset.sh" "$initrd/guest-reset.sh"
cat >"$initrd/init" <<'INIT'
#!/bin/sh
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs dev /dev
echo "GUEST $(cat /proc/version)"
if [ -n "${RBU_RESET:-}" ]; then
	sh /guest-reset.sh /ours/dell_rbu.ko "$RBU_RESET"
	poweroff -f
fi
head -c 33554432 /dev/urandom >/tmp/img32
sh /guest-rbu.sh /ours/dell_rbu.ko ours "${RBU_CYCLES:-1000}"
sh /guest-rbu.sh /distro/dell_rbu.ko distro "${RBU_CYCLES_DISTRO:-200}"
echo "GUEST DONE"
poweroff -f
INIT
chmod +x "$initrd/init" "$initrd/guest-rbu.sh"
(cd "$initrd" && find . | cpio -o -H newc 2>/dev/null | gzip -1) >"$work/initrd.gz"

accel=tcg
if [ -e /dev/kvm ] && { [ -d /sys/module/kvm_intel ] || [ -d /sys/module/kvm_amd ]; }; then
	accel=kvm
fi
raw=$work/serial.raw
log=$work/serial.log
results=$work/results.txt
: >"$results"
if [ "${KERNEL_SMOKE:-0}" != 1 ]; then
	timeout 1400 qemu-system-x86_64 -accel "$accel" -m 768M -smp 1 -no-reboot -nodefaults \
		-no-user-config -display none -serial "file:$raw" \
		-kernel "$kroot/boot/vmlinuz-$kver" -initrd "$work/initrd.gz" \
		-append "console=ttyS0 panic=-1 quiet loglevel=1 ${RBU_CYCLES:+RBU_CYCLES=$RBU_CYCLES} ${RBU_CYCLES_DISTRO:+RBU_CYCLES_DISTRO=$RBU_CYCLES_DISTRO}" || true
	tr -d '\r' <"$raw" >"$log"

	grep -E "^(PASS|FAIL|INFO|BENCH)" "$log" | tee -a "$results" || true
	if ! grep -q "^GUEST DONE" "$log"; then
		echo "FAIL: the guest did not finish; last lines:"
		tail -n 30 "$log"
		exit 1
	fi
	# a script killed half-way (by the OOM killer, say) prints no FAIL either
	for who in ours distro; do
		if ! grep -q "^DONE $who\$" "$log"; then
			echo "FAIL: guest-rbu.sh did not finish for $who; last lines:"
			tail -n 30 "$log"
			exit 1
		fi
	done
	# our module's staging time against the distribution's, both in this guest
	for what in 4MiB-mono 4MiB-packet 32MiB-mono 32MiB-packet; do
		ours=$(sed -n "s/^BENCH ours: stage-and-read-back-$what-ms=//p" "$log")
		distro=$(sed -n "s/^BENCH distro: stage-and-read-back-$what-ms=//p" "$log")
		case "$ours/$distro" in
		*[!0-9/]* | /* | */) echo "BENCH ratio $what: ours ${ours:-?}, distribution ${distro:-?}" ;;
		*) awk -v o="$ours" -v d="$distro" -v w="$what" \
			'BEGIN { printf "BENCH ratio %s: ours %d ms / distribution %d ms = %.2f\n", w, o, d, o / d }' ;;
		esac
	done
fi

# a warm reset with 4 GiB of RAM (some of it above 4 GiB): QEMU pauses, RAM
# is dumped and scanned for what the BIOS would flash, and the dump deleted
for final in packet mono; do
	name=reset-$final
	qmp=$work/qmp-$final
	dump=$work/ram-$final
	rm -f "$qmp" "$dump"
	timeout 900 qemu-system-x86_64 -accel "$accel" -m 4096M -smp 1 -nodefaults -no-user-config \
		-action reboot=shutdown,shutdown=pause -qmp "unix:$qmp,server=on,wait=off" \
		-display none -serial "file:$work/$name.raw" \
		-kernel "$kroot/boot/vmlinuz-$kver" -initrd "$work/initrd.gz" \
		-append "console=ttyS0 panic=-1 quiet loglevel=1 RBU_RESET=$final" &
	qemu=$!
	dumped=0
	python3 "$src/tests/helpers/qmp_ram.py" "$qmp" "$dump" 600 && dumped=1
	wait $qemu || true
	tr -d '\r' <"$work/$name.raw" >"$work/$name.log"
	grep -E "^(PASS|FAIL|INFO)" "$work/$name.log" | tee -a "$results" || true
	if ! grep -q "^RESET $name" "$work/$name.log"; then
		echo "FAIL $name: the guest did not reach the reset; last lines:" | tee -a "$results"
		tail -n 20 "$work/$name.log"
	elif [ $dumped = 0 ]; then
		echo "FAIL $name: no warm reset to dump RAM at" | tee -a "$results"
	else
		rc=0
		python3 "$src/tests/helpers/rbu-ram-scan" "$dump" --below 4G \
			--expect-image "$expect/$final.img" --only | sed "s/^/    ram: /" || rc=$?
		what="RAM at the reset holds the staged $final image alone, wholly below 4 GiB"
		if [ $rc -eq 0 ]; then echo "PASS $name: $what"; else echo "FAIL $name: $what"; fi |
			tee -a "$results"
	fi
	rm -f "$dump"
done

passed=$(grep -c "^PASS" "$results" || true)
failed=$(grep -c "^FAIL" "$results" || true)
smoke=
[ "${KERNEL_SMOKE:-0}" = 1 ] && smoke=", smoke"
echo "kernel ($accel, $kver$smoke): $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
