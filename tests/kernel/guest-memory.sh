# SPDX-License-Identifier: LGPL-2.1-or-later
# Sourced by guest-rbu.sh for our module only: the image_size_max ceiling,
# allocations that fail with -ENOMEM and no warning, and the memory the run
# search for a large monolithic image holds. All of the guest's RAM lies
# below 4 GiB, so the free-page counter is DMA32's (and ZONE_DMA's 16 MiB,
# which the search never touches).
nr_free() { awk '/^nr_free_pages / { print $2 }' /proc/vmstat; }
enomem() { case "$1" in *"allocate memory"* | *"Out of memory"*) return 0 ;; esac; return 1; }
# what the kernel logged since the last call: warnings and stack dumps
noisy() {
	dmesg -c | grep -E "WARNING|Call Trace|page allocation failure|vmalloc error" | head -n 3
}

check "! echo $((ceiling + 1)) >$param 2>/dev/null && [ \$(cat $param) -eq 134217728 ]" \
	"image_size_max above 1 GiB is refused at run time"
check "echo $ceiling >$param 2>/dev/null && [ \$(cat $param) -eq $ceiling ]" \
	"image_size_max of 1 GiB is taken at run time"
echo mono >$rbu/image_type
dmesg -c >/dev/null
# the per-CPU lists hold up to 40 MiB of freed pages here, out of the free
# count, and alloc_contig_range() drains them into it: keep them to 4
# batches (1 MiB) while measuring, and trim them by freeing a file
echo 100000 >/proc/sys/vm/percpu_pagelist_high_fraction
head -c 8388608 /dev/zero >/tmp/trim && rm -f /tmp/trim

# larger than RAM, within the ceiling: the direct path's buffer cannot be had
out=$(echo $ceiling 2>&1 >$rbu/image_size)
enomem "$out" && r=0 || r=1
check "[ $r -eq 0 ] && [ \$(cat $rbu/image_size) -eq 0 ]" \
	"direct path: an image larger than RAM fails with -ENOMEM ($out)"
log=$(noisy)
[ -z "$log" ] && r=0 || r=1
check "[ $r -eq 0 ]" "direct path: the failed buffer leaves no warning in dmesg ($log)"

# the free-page counter sampled by kprobes at every allocation and free of
# 2 MiB or more, after each alloc_contig_range(), and at each vfree() (the
# direct buffer is freed right after the staging): the lowest sample during
# a write, against the count before it, is the most the staging held
tr=/sys/kernel/tracing
[ -e $tr/kprobe_events ] || mount -t tracefs tracefs $tr 2>/dev/null
sample="free=@vm_zone_stat:s64"
probed=no
if echo "p:rbu/alloc __alloc_pages order=%si:u32 $sample" >$tr/kprobe_events 2>/dev/null &&
	echo "p:rbu/free __free_pages order=%si:u32 $sample" >>$tr/kprobe_events &&
	echo "p:rbu/vfree vfree $sample" >>$tr/kprobe_events &&
	echo "order >= 9" >$tr/events/rbu/alloc/filter &&
	echo "order >= 9" >$tr/events/rbu/free/filter; then
	echo "r:rbu/contig alloc_contig_range $sample" >>$tr/kprobe_events 2>/dev/null
	echo 8192 >$tr/buffer_size_kb
	probed=yes
else
	echo "INFO $label: no kprobe events, the run search's peak is not measured"
fi
# writes $2 bytes of $3 through the direct path, the write's error in $out;
# prints the most it held, in KiB, as a BENCH line named $1, and checks it
# against the bound: the run, $2 rounded up to 4 MiB, plus 1 MiB for the
# per-CPU lists and the write's own small allocations
write_measured() {
	echo "$2" >$rbu/image_size || { bad "mono: a $(($2 >> 20)) MiB buffer, $1"; return 1; }
	base=$(nr_free)
	if [ $probed = yes ]; then
		echo >$tr/trace
		echo 1 >$tr/events/rbu/enable
	fi
	out=$(head -c "$2" "$3" 2>&1 >$rbu/image)
	[ $probed = yes ] || return 0
	echo 0 >$tr/events/rbu/enable
	low=$(awk -v low="$base" '{ for (i = 1; i <= NF; i++) if ($i ~ /^free=/) {
		v = substr($i, 6) + 0; if (v < low) low = v } } END { print low }' $tr/trace)
	samples=$(grep -c " free=" $tr/trace)
	held=$(((base - low) * 4))
	bound=$((($2 + 4194303) / 4194304 * 4096 + 1024))
	echo "BENCH $label: run-search-$(($2 >> 20))MiB-mono-$1-peak-held-kib=$held (free before $((base * 4)) KiB, $samples samples)"
	check "[ $samples -gt 0 ] && [ $held -le $bound ]" \
		"mono: the run search for $(($2 >> 20)) MiB held at most $bound KiB, $1 ($held KiB)"
}

# the buffer fits, the run cannot: 60% of free memory in the buffer leaves
# 40% for a run of the same size
size=$(($(awk '/^MemFree:/ { print $2 }' /proc/meminfo) * 6 / 10 / 1024 * 1048576))
before=$(nr_free_all)
if write_measured no-room $size /dev/zero; then
	enomem "$out" && r=0 || r=1
	check "[ $r -eq 0 ]" "mono: a $((size >> 20)) MiB image with no room for its run fails with -ENOMEM ($out)"
	check "[ \$(staged_size) -eq 0 ] && [ \$(cat $rbu/image_size) -eq 0 ]" \
		"mono: the failed staging leaves nothing staged and no load pending"
	log=$(noisy)
	[ -z "$log" ] && r=0 || r=1
	check "[ $r -eq 0 ]" "mono: the failed run search leaves no warning in dmesg ($log)"
	lost=$(((before - $(nr_free_all)) * 4))
	check "[ $lost -lt 2048 ]" "mono: the failed staging gives its memory back ($lost KiB short)"
fi
echo 33554432 >$rbu/image_size && cat /tmp/img32 >$rbu/image
check "same /tmp/img32" "mono: a 32 MiB image stages after the failures"
echo mono >$rbu/image_type

# fragments memory: fills a tmpfs with 1 MiB files down to 96 MiB free, then
# deletes every other file. Each hole is a free 1 MiB, and the free 4 MiB
# blocks left (the zone's watermarks, raised for transparent huge pages,
# keep some) seldom lie eight in a row, as a 32 MiB image needs: the search
# then takes a run of free and movable pages, and the tmpfs pages in it are
# migrated (pgmigrate_success counts them). Seen on 7.3: 18 free 4 MiB
# blocks, none eight in a row, where the search for free blocks alone failed.
mkdir -p /frag && mount -t tmpfs -o size=95% tmpfs /frag
n=0
while [ "$(memfree)" -gt 98304 ] && head -c 1048576 /dev/zero >/frag/$n 2>/dev/null; do
	n=$((n + 1))
done
i=0
while [ $i -lt $n ]; do
	rm -f /frag/$i
	i=$((i + 2))
done
holes=$((n / 2))
head -c 8388608 /dev/zero >/tmp/trim && rm -f /tmp/trim
sleep 0.5
blocks=$(awk '$4 == "DMA32" { print $15 }' /proc/buddyinfo)
migrated() { awk '/^pgmigrate_success / { print $2 }' /proc/vmstat; }
moved=$(migrated)
write_measured fragmented 33554432 /tmp/img32
moved=$(($(migrated) - moved))
echo "BENCH $label: run-search-32MiB-mono-fragmented: $holes holes of 1 MiB, $blocks free 4 MiB blocks, pages-migrated=$moved"
check "same /tmp/img32" "mono: a 32 MiB image stages on fragmented memory (${out:-written})"
rm -f /frag/*
umount /frag

[ $probed = yes ] && echo >$tr/kprobe_events
echo mono >$rbu/image_type
echo 134217728 >$param
echo 0 >/proc/sys/vm/percpu_pagelist_high_fraction
