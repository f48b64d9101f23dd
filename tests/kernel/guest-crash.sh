# SPDX-License-Identifier: LGPL-2.1-or-later
# Sourced by guest-rbu.sh where the module has the direct load path: a
# writer killed half-way through a load leaves nothing behind, neither in
# the module nor anywhere in RAM (read through /proc/kcore by kcore-scan),
# and the load's buffer goes back. What the firmware class keeps of such a
# load on its own path is reported as INFO: the module cannot reach it.

# writes the lines "rbu-partial-TAG-N" to its standard output, then holds
# it open until killed
partial_writer() {
	awk -v tag="$1" 'BEGIN { for (i = 0; i < 8192; i++) printf "rbu-partial-%s-%08d\n", tag, i }'
	exec sleep 60
}
# the places in RAM holding the first line of TAG: the writer's own buffers
# have moved on to later lines, so only the load's copy has it
in_ram() { kcore-scan rbu-partial- "$1-00000000"; }
# free memory in KiB with the per-CPU page lists, where the buffer's single
# pages go when freed, out of MemFree
free_kib() { awk '/^ +pages free / { n += $3 } /^ +count: / { n += $2 } END { print n * 4 }' /proc/zoneinfo; }
wait_asleep() {
	i=0
	while [ "$(cat /proc/"$1"/comm 2>/dev/null)" != sleep ] && [ $i -lt 1500 ]; do
		sleep 0.02
		i=$((i + 1))
	done
}

sleep 0.5
before=$(free_kib)
t0=$(now_ms)
echo 33554432 >$rbu/image_size
(partial_writer killed) >$rbu/image &
writer=$!
wait_asleep $writer
check "[ \$(cat $rbu/image_size) -eq 33554432 ] && [ \$(staged_size) -eq 0 ]" \
	"killed writer: its partial load is pending while it lives"
held=$(in_ram killed)
check "[ ${held:-0} -ge 1 ]" "killed writer: a RAM scan finds its partial load while it lives (${held:-none})"
kill -9 $writer
wait $writer 2>/dev/null
check "[ \$(staged_size) -eq 0 ] && [ \$(cat $rbu/image_size) -eq 0 ]" \
	"killed writer: nothing staged and no load pending once it died"
sleep 0.5
lost=$((before - $(free_kib)))
check "[ $lost -lt 2048 ]" "killed writer: the 32 MiB buffer went back ($lost KiB short)"
left=$(in_ram killed)
check "[ \"$left\" = 0 ]" "killed writer: no copy of its partial load in RAM (${left:-none})"
echo "BENCH $label: killed-writer-with-2-ram-scans-ms=$(($(now_ms) - t0))"

# the firmware class's path: the class holds the data and sees its file's
# closes; the module hears of a load only at loading=0
if request; then
	echo 1 >$fwc/loading
	(partial_writer loader) >$fwc/data &
	writer=$!
	wait_asleep $writer
	kill -9 $writer
	wait $writer 2>/dev/null
	loading=$(cat $fwc/loading)
	echo -1 >$fwc/loading
	wait_gone $fwc/loading
	sleep 0.2
	echo "INFO $label: firmware class: a writer killed half-way left loading=$loading; after loading=-1, $(in_ram loader) copies of its data in RAM (freed by the class, not zeroed)"
fi
