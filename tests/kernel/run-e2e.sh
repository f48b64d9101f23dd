#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# End to end on a real kernel: QEMU boots the distribution kernel with SMBIOS
# tables that say Dell (system 0x0152, BIOS A09, 0xDA tokens, 0xDE), shares
# the host's userland read-only over 9p, and guest-e2e.sh runs the stock
# fwupdtool with both plugins against a real dell_rbu and the emulated dcdbas.
# One boot per case: our module and the distribution's dell_rbu.ko, each in
# packet and monolithic mode; results after a "reboot"; the daemon.
set -euo pipefail
mkdir -p "$3"
# the guest sees the host's / : every path absolute
src=$(realpath "$1")
build=$(realpath "$2")
work=$(realpath "$3")
shared=$(realpath "$4")
kver=$("$src/tests/kernel/prepare-kernel.sh" "$work/kernel")
kroot=$work/kernel/root

for m in kmod tests/kernel/fake-dcdbas; do
	dst=$work/$(basename "$m")
	rm -rf "$dst" && cp -r "$src/$m" "$dst"
	make -C "/lib/modules/$kver/build" M="$dst" modules >"$dst.log" 2>&1 || { cat "$dst.log"; exit 1; }
done

# fwupd's quirk and metainfo caches, built once, as an installed system keeps
# them in /var/cache/fwupd: under TCG each fresh state in the guest would
# rebuild them, 5 s a fwupdtool run
cache=$work/fwupd-cache
rm -rf "$cache" "$work/fwupd-warm" && mkdir -p "$cache"
CACHE_DIRECTORY=$cache FWUPD_LOCALSTATEDIR=$work/fwupd-warm \
	FWUPD_LOCKDIR=$work/fwupd-warm/lock FWUPD_RUNDIR=$work/fwupd-warm/run \
	FWUPD_LIBDIR_PKG=$build/plugins/dell-rbu,$build/plugins/dell-smi \
	fwupdtool get-devices >"$work/fwupd-warm.log" 2>&1 || true
[ -s "$cache/quirks.xmlb" ] || { cat "$work/fwupd-warm.log"; echo "FAIL e2e: no fwupd quirk cache built"; exit 1; }

initrd=$work/e2e-initrd
rm -rf "$initrd" && mkdir -p "$initrd"/{bin,mods,proc,sys,dev,host,upper,newroot}
cp /bin/busybox "$initrd/bin/busybox"
for a in sh mount insmod mkdir chroot poweroff cat sleep echo; do ln -s busybox "$initrd/bin/$a"; done
for mod in virtio_pci 9pnet_virtio 9p overlay; do
	modprobe -d "$kroot" -S "$kver" --show-depends "$mod"
done | awk '$1 == "insmod" && !seen[$2]++ { print $2 }' >"$work/e2e-mods.txt"
while read -r ko; do cp "$ko" "$initrd/mods/"; echo "insmod /mods/$(basename "$ko")"; done \
	<"$work/e2e-mods.txt" >"$initrd/load-mods.sh"
cat >"$initrd/init" <<INIT
#!/bin/sh
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs dev /dev
sh /load-mods.sh 2>/dev/null
mount -t 9p -o trans=virtio,version=9p2000.L,ro hostroot /host || echo "FAIL e2e: 9p mount"
mount -t tmpfs tmpfs /upper
mkdir -p /upper/u /upper/w
mount -t overlay overlay -o lowerdir=/host,upperdir=/upper/u,workdir=/upper/w /newroot
mount --bind /proc /newroot/proc
mount --bind /sys /newroot/sys
mount --bind /dev /newroot/dev
# /tmp stays the host's, writable through the overlay: the checkout may live there
mount -t tmpfs tmpfs /newroot/run
mkdir -p /newroot/state
mount -t 9p -o trans=virtio,version=9p2000.L state /newroot/state || echo "FAIL e2e: state mount"
for arg in \$(cat /proc/cmdline); do
	case "\$arg" in e2e=*) set -- \$(echo "\${arg#e2e=}" | sed 's/,/ /g') ;; esac
done
chroot /newroot /bin/bash "$src/tests/kernel/guest-e2e.sh" "$src" "$build" "$work" "$shared" "\$1" "\$2" "\$3"
echo "GUEST DONE"
poweroff -f
INIT
chmod +x "$initrd/init"
(cd "$initrd" && find . | cpio -o -H newc 2>/dev/null | gzip -1) >"$work/e2e-initrd.gz"

# the cabinets of the BIOS-view phases, made here: the guest reads no .hdr.
# distro,packet,bios-view (what the distribution's driver leaves in RAM) only
# reports, so it runs when E2E_CASES names it
cases=${E2E_CASES:-ours,packet ours,mono distro,packet distro,mono ours,packet,reboot-ok ours,packet,reboot-ac ours,packet,daemon ours,packet,versions-letter ours,packet,versions-dotted ours,packet,bios-view ours,mono,bios-view ours,packet,bios-view-unload}
case " $cases" in
*,bios-view*)
	bv=$work/bios-view
	rm -rf "$bv" && mkdir -p "$bv"
	printf '<firmware gtype="FuDellRbuFirmware"><version>A11</version><systems><entry>0x0852</entry></systems><rom size="0x%x"/></firmware>' \
		$((8 * 1024 * 1024 - 92)) >"$bv/big.builder.xml"
	FWUPD_LIBDIR_PKG=$build/plugins/dell-rbu,$build/plugins/dell-smi \
		fwupdtool firmware-build "$bv/big.builder.xml" "$bv/big.hdr" >/dev/null 2>&1
	cp "$shared/hdr/system_bios_0x1028_0x0152_version_a09.hdr" "$bv/a09.hdr"
	cp "$shared/hdr/system_bios_0x1028_0x0152_version_a10.hdr" "$bv/a10.hdr"
	"$build/tools/dell-rbu-cab/dell-rbu-cab" -f -n 'Example Model' -d 2006-03-15 -o "$bv" "$bv/big.hdr" "$bv/a09.hdr" \
		"$bv/a10.hdr" >/dev/null
	# the guest must not read the images: the scanner's copies live beside
	mkdir -p "$bv/hdr"
	mv "$bv"/*.hdr "$bv/hdr/"
	rm -f "$bv/big.builder.xml"
	;;
esac

accel=tcg
if [ -e /dev/kvm ] && { [ -d /sys/module/kvm_intel ] || [ -d /sys/module/kvm_amd ]; }; then
	accel=kvm
fi
# at the reset: the dump of all RAM, scanned as the BIOS would, then deleted
bios_view_scan() {
	local driver=$1 phase=$2 qmp=$3 dump=$4 label="e2e-$1-$mode-$2" want out
	if ! python3 "$src/tests/helpers/qmp_ram.py" "$qmp" "$dump" 900 1024 512; then
		echo "FAIL $label: no warm reset to dump RAM at"
		return
	fi
	local image=$work/bios-view/hdr/a10.hdr
	[ "$mode" = mono ] && image=$work/bios-view/hdr/big.hdr
	want=(--expect-image "$image" --only)
	[ "$phase" = bios-view-unload ] && want=(--expect-none)
	local rc=0
	out=$(python3 "$src/tests/helpers/rbu-ram-scan" "$dump" --below 4G "${want[@]}") || rc=$?
	rm -f "$dump"
	echo "$out" | sed "s/^/    ram: /"
	local what="RAM at the reset holds $(basename "$image" .hdr) alone, wholly below 4 GiB"
	[ "$phase" = bios-view-unload ] && what="RAM at the reset holds no complete set or image"
	if [ "$driver" = distro ]; then
		[ $rc -eq 0 ] && echo "INFO $label: $what" || echo "INFO $label: not: $what"
	elif [ $rc -eq 0 ]; then
		echo "PASS $label: $what"
	else
		echo "FAIL $label: $what"
	fi
}

cpu=qemu64,hypervisor=off
[ "$accel" = kvm ] && cpu=host,hypervisor=off
status=0
# after an install boot, a "reboot": the BIOS left a new version or a
# completion code in SMBIOS, and fwupd's state of the install boot comes back
for case in $cases; do
	IFS=, read -r driver mode phase <<<"$case"
	name=${case//,/-}
	state=$work/state-$driver-$mode
	version=A09
	code="ff ff"
	case "$phase" in
	"" | daemon | bios-view* | versions-letter) rm -rf "$state" && mkdir -p "$state" ;;
	versions-dotted) rm -rf "$state" && mkdir -p "$state" && version=2.1.9 ;;
	reboot-ok) version=A10 code="00 00" ;;
	reboot-ac) code="07 00" ;;
	esac
	spec=$work/e2e-$name.json
	char=01
	[ "$mode" = mono ] && char=00
	sed -e "s/00 00 00 00 00 00 00 01\"}/00 00 00 00 00 00 00 $char\"}/" \
		-e "s/\"01 02 ff ff /\"01 02 $code /" -e "s/\"version\": \"A09\"/\"version\": \"$version\"/" \
		"$src/tests/kernel/e2e-dell.json" >"$spec"
	/usr/bin/python3 "$src/tests/helpers/smbios-build.py" "$spec" "$work/e2e-smbios-$name" \
		--raw "$work/e2e-oem-$name.bin"
	log=$work/e2e-$name.log
	# the BIOS-view phases end in a warm reset, where QEMU pauses and RAM is
	# dumped: 1 GiB below 4 GiB and 512 MiB above, where the BIOS cannot look
	memory=1024M
	machine=pc
	reset=(-no-reboot)
	qmp=$work/qmp-$name
	case "$phase" in bios-view*)
		memory=1536M
		machine=pc,max-ram-below-4g=1G
		reset=(-action reboot=shutdown,shutdown=pause -qmp "unix:$qmp,server=on,wait=off")
		;;
	esac
	# no hypervisor bit in CPUID: fwupd then behaves as on a real machine
	timeout 1200 qemu-system-x86_64 -machine "$machine" -accel "$accel" -cpu "$cpu" -m "$memory" -smp 1 "${reset[@]}" -nodefaults \
		-no-user-config -display none -serial "file:$log.raw" \
		-kernel "$kroot/boot/vmlinuz-$kver" -initrd "$work/e2e-initrd.gz" \
		-append "console=ttyS0 panic=-1 quiet loglevel=1 e2e=$driver,$mode,${phase:-install}" \
		-virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
		-virtfs local,path="$state",mount_tag=state,security_model=none,multidevs=remap \
		-smbios type=0,vendor="Dell Inc.",version="$version" \
		-smbios type=1,manufacturer="Dell Inc.",product="PowerEdge E2E",sku=0152 \
		-smbios type=11,value="Dell System",value="1[0152]" \
		-smbios file="$work/e2e-oem-$name.bin" &
	qemu=$!
	if [ "${phase#bios-view}" != "$phase" ]; then
		bios_view_scan "$driver" "$phase" "$qmp" "$work/ram-$name" >"$log.scan" 2>&1 || true
	fi
	wait $qemu || true
	tr -d '\r' <"$log.raw" >"$log"
	[ -f "$log.scan" ] && cat "$log.scan" >>"$log" && rm -f "$log.scan"
	grep -E "^(PASS|FAIL|INFO)" "$log" || true
	if ! grep -q "^GUEST E2E DONE" "$log"; then
		echo "FAIL e2e-$case: the guest did not finish; last lines:"
		tail -n 20 "$log"
		status=1
	fi
	grep -q "^FAIL" "$log" && status=1
done
passed=$(cat "$work"/e2e-*.log | grep -c "^PASS" || true)
failed=$(cat "$work"/e2e-*.log | grep -c "^FAIL" || true)
echo "e2e ($accel, $kver): $passed passed, $failed failed"
exit "$status"
