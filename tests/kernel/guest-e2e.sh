#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Runs inside the QEMU "Dell", chrooted into the host's userland: the stock
# fwupdtool with both plugins updates the BIOS through a real dell_rbu
# module and the emulated dcdbas. $1 source, $2 build dir, $3 work dir (the
# modules), $4 shared testdata, $5 the rbu module to load (ours|distro),
# $6 the mode the SMBIOS offers (packet|mono).
src=$1
build=$2
work=$3
shared=$4
driver=$5
mode=$6
phase=${7:-install}
label="e2e-$driver-$mode"
[ "$phase" = install ] || label="e2e-$driver-$mode-$phase"
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
rbu=/sys/devices/platform/dell_rbu
dcdbas=/sys/devices/platform/dcdbas
hdr=$shared/hdr
a10=$hdr/system_bios_0x1028_0x0152_version_a10.hdr
ok() { echo "PASS $label: $*"; }
bad() { echo "FAIL $label: $*"; }
# the last fwupdtool output is in /tmp/out, and printed under a failure
check() { if eval "$1"; then ok "$2"; else bad "$2"; grep -v '…' /tmp/out | tail -n 4 | sed 's/^/    | /'; fi; }

export FWUPD_LIBDIR_PKG=$build/plugins/dell-rbu,$build/plugins/dell-smi
export FWUPD_LOCALSTATEDIR=/tmp/fwupd-state NO_COLOR=1 LANG=C.UTF-8
# the host's warm quirk cache, as /var/cache/fwupd of an installed system
mkdir -p /tmp/fwupd-cache && cp -a "$work/fwupd-cache/." /tmp/fwupd-cache/
export CACHE_DIRECTORY=/tmp/fwupd-cache
tool() { timeout 300 fwupdtool "$@" </dev/null >/tmp/out 2>&1; }
said() { grep -q -- "$1" /tmp/out; }
# what the BIOS does with the cancel token 0x5D: the flag is off, and a
# fwupd starting next frees an image it finds staged without it
clear_flag() {
	python3 -c 'import struct, sys
buf = struct.pack("<IIIHBBHHIIIIiiii", 0x534D4931, 0, 0x42534931, 0xB2, 0x37, 0, 1, 0,
                  0x5D, 0, 0, 0, -3, 0, 0, 0)
open(sys.argv[1] + "/smi_data_buf_size", "w").write("52")
open(sys.argv[1] + "/smi_data", "wb").write(buf)
open(sys.argv[1] + "/smi_request", "w").write("1")' $dcdbas
}
staged() { cat $rbu/data 2>/dev/null | wc -c; }
token() { sed -n "s/^$1=//p" $dcdbas/token_state; }

# the daemon case's BIOS has an admin password, which fwupd reads from a file
# only root can read (fwupd itself logs fwupd.conf's values with -vv)
bios_password=Rbu7Adm9
password_file=/etc/fwupd/dell-bios-admin-password
dell_smi_conf() {
	sed -i '/^\[dell_smi\]/,$d' /etc/fwupd/fwupd.conf
	printf '[dell_smi]\n%s\n' "$1" >>/etc/fwupd/fwupd.conf
}
set_password_file() {
	(umask 077 && printf '%s\n' "$1" >$password_file)
}
security_key() { cat /sys/module/fake_dcdbas/parameters/security_key; }
# "traces KIND FILE..." with password_traces.py: none of the password ($pw,
# else the BIOS's) or its key, else printed
traces() {
	python3 "$src/tests/helpers/password_traces.py" "$1" "${pw:-$bios_password}" "$(security_key)" \
		"${@:2}" >/tmp/traces || { grep -v 'no trace' /tmp/traces | sed 's/^/    ! /'; false; }
}
# dcdbas's buffer as the BIOS finds it at the reset, after password $1
smi_data_clean() { cat $dcdbas/smi_data >/tmp/smi_data && pw=${1:-} traces buffer /tmp/smi_data; }

# after the "reboot": the BIOS left its version and completion code in
# SMBIOS, and fwupd's state from the last boot is back
if [ "${phase#reboot-}" != "$phase" ]; then
	mkdir -p /tmp/fwupd-state
	cp -a /state/. /tmp/fwupd-state/
	tool get-devices
	tool get-history --json
	case "$phase" in
	reboot-ok) check "said '\"UpdateState\" : 2'" "after a reboot into A10 fwupd reports success" ;;
	reboot-ac) grep -E "UpdateState|UpdateError|\"Version\"" /tmp/out | sed "s/^/    = /"
		check "said '\"UpdateState\" : 5' && said 'the AC adapter is needed'" \
		"after a reboot with completion code 7 fwupd reports a transient failure for the AC adapter" ;;
	esac
	echo "GUEST E2E DONE $label"
	exit 0
fi

# the daemon, started the way fwupd.service sandboxes it (/sys read-only but
# for the drop-in's ReadWritePaths, ProtectSystem=full's read-only /usr,
# /boot and /etc), with the directory remote $1
start_daemon() {
	local remote=$1 conf=/etc/fwupd/remotes.d/e2e-directory.conf
	mkdir -p /run/dbus
	printf '[fwupd Remote]\nEnabled=true\nTitle=E2E directory\nKind=directory\nMetadataURI=file://%s\nApprovalRequired=false\n' \
		$remote >$conf
	sed -i 's/^Enabled=true/Enabled=false/' /etc/fwupd/remotes.d/lvfs*.conf
	# fwupd.service is the only way the daemon starts: with no systemd here, a
	# bus activation would start a second daemon outside the sandbox and
	# without the plugins from the build tree
	rm -f /usr/share/dbus-1/system-services/org.freedesktop.fwupd.service
	dbus-daemon --system --fork --nopidfile
	paths=$(sed -n 's/^ReadWritePaths=//p' "$src/data/fwupd-dell-rbu.conf" | tr ' ' '\n' | sed 's/^-//')
	unshare -m /bin/sh -c "
		for p in $(echo $paths); do [ -e \$p ] && mount --bind \$p \$p; done
		mount -o remount,bind,ro /sys
		for d in /usr /boot /etc; do mount --bind \$d \$d && mount -o remount,bind,ro \$d; done
		cat /proc/self/mounts >/tmp/daemon-mounts
		exec /usr/libexec/fwupd/fwupd --verbose --verbose" >/tmp/daemon.log 2>&1 &
	for _ in $(seq 300); do
		dbus-send --system --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
			org.freedesktop.DBus.NameHasOwner string:org.freedesktop.fwupd 2>/dev/null |
			grep -q 'boolean true' && break
		sleep 1
	done
	# the daemon may answer before it has probed every plugin
	for _ in $(seq 60); do
		fwupdmgr get-devices </dev/null >/tmp/out 2>&1
		said 'System BIOS' && break
		sleep 1
	done
}

# a remote offering releases on both sides of the running version: fwupd
# itself must offer only the newer, and refuse the older
daemon_versions() {
	local newer=$1 older=$2 remote=/tmp/e2e-versions n
	mkdir -p $remote
	for v in "$newer" "$older"; do
		n=$(echo "$v" | tr -cd '0-9A-Za-z')
		case "$v" in
		*.*) printf '<firmware gtype="FuDellRbuFirmware"><header_major_ver>2</header_major_ver><version>%s</version><systems><entry>0x0852</entry></systems><rom size="0x1000"/></firmware>' "$v" ;;
		*) printf '<firmware gtype="FuDellRbuFirmware"><version>%s</version><systems><entry>0x0852</entry></systems><rom size="0x1000"/></firmware>' "$v" ;;
		esac >/tmp/v-$n.builder.xml
		tool firmware-build /tmp/v-$n.builder.xml /tmp/bios-$n.hdr
		"$build/tools/dell-rbu-cab/dell-rbu-cab" -n 'Example Model' -o $remote -d 2006-03-15 /tmp/bios-$n.hdr >/dev/null 2>&1
	done
	check "[ \$(ls $remote/*.cab | wc -l) -eq 2 ]" "cabinets of $newer and $older for this Dell"
	start_daemon $remote
	timeout 300 fwupdmgr refresh --force </dev/null >/tmp/out 2>&1
	for _ in $(seq 120); do
		fwupdmgr get-updates --json </dev/null >/tmp/updates 2>&1
		grep -q "\"Version\" : \"$newer\"" /tmp/updates && break
		sleep 1
	done
	check "grep -q '\"Version\" : \"$newer\"' /tmp/updates && ! grep -q '\"Version\" : \"$older\"' /tmp/updates" \
		"on BIOS $(tr -cd '0-9A-Za-z.' </sys/class/dmi/id/bios_version) fwupdmgr get-updates offers $newer and not $older"
	timeout 300 fwupdmgr install -y --no-reboot-check $remote/bios-$(echo "$older" | tr -cd '0-9A-Za-z').cab </dev/null >/tmp/out 2>&1
	check "[ \$? -ne 0 ] && said 'older' && [ \$(staged) -eq 0 ]" "fwupdmgr install of $older is refused as older, nothing staged"
	timeout 300 fwupdmgr update -y --no-reboot-check </dev/null >/tmp/out 2>&1
	check "said 'staged in memory' && [ \$(staged) -gt 0 ]" "fwupdmgr update installs $newer with no flag"
}

# as users meet it: the daemon, started the way fwupd.service sandboxes it
# (/sys read-only but for the drop-in's ReadWritePaths, ProtectSystem=full's
# read-only /usr, /boot and /etc), fed by a directory remote
daemon_update() {
	local remote=/tmp/e2e-remote conf=/etc/fwupd/remotes.d/e2e-directory.conf
	mkdir -p $remote /run/dbus
	# the fleet recipe: one folder of cabinets made by dell-rbu-cab, for
	# systems 0x0152, 0x01B1-0x01B8 and 0x01BB; this Dell takes only its own
	"$build/tools/dell-rbu-cab/dell-rbu-cab" -n 'Example Model' -o $remote -d 2005-06-01 "$a10" \
		"$hdr/MLB-000208.HDR" "$hdr/MLB-000209.HDR" >/tmp/out 2>&1
	check "[ \$(ls $remote/*.cab | wc -l) -eq 3 ]" "dell-rbu-cab makes the remote's three cabinets"
	start_daemon $remote
	sandboxed() { awk -v p="$1" -v o="$2" '$2 == p && $4 ~ "^" o "," { f = 1 } END { exit !f }' /tmp/daemon-mounts; }
	check "sandboxed /sys ro && sandboxed /usr ro && sandboxed /etc ro && sandboxed $rbu rw && sandboxed $dcdbas rw" \
		"the daemon sees /sys, /usr and /etc read-only, the dell_rbu and dcdbas files writable"
	check "said 'DELL-RBU.*SYSID_0152\|System BIOS'" "fwupdmgr get-devices lists the BIOS device from the daemon"
	# every fwupdmgr output is searched for the password at the end
	keep() { cat "${1:-/tmp/out}" >>/tmp/fwupdmgr.out; }
	keep
	timeout 300 fwupdmgr refresh --force </dev/null >/tmp/out 2>&1
	rc=$?
	keep
	check "[ $rc -eq 0 ]" "fwupdmgr refresh reads the directory remote"
	# the daemon loads the refreshed metadata in the background
	for _ in $(seq 120); do
		fwupdmgr get-updates --json </dev/null >/tmp/updates 2>&1
		grep -q '"Version" : "A10"' /tmp/updates && break
		sleep 1
	done
	check "grep -q '\"Version\" : \"A10\"' /tmp/updates" "fwupdmgr get-updates offers A10 from the remote"
	check "! grep -q '\"Version\" : \"0.2.[89]\"' /tmp/updates" "and not the images for other systems"
	keep /tmp/updates
	fwupdmgr get-updates </dev/null >/tmp/out 2>&1
	keep
	check "said 'Example Model System Update'" \
		"fwupdmgr get-updates names the release 'Example Model System Update'"
	set_password_file Dell4e2e
	timeout 300 fwupdmgr update -y --no-reboot-check </dev/null >/tmp/out 2>&1
	rc=$?
	keep
	check "[ $rc -ne 0 ] && said 'refused the admin password' && [ \$(staged) -eq 0 ] && [ \"\$(token 005c)\" != 1 ] &&
		smi_data_clean Dell4e2e" \
		"with a wrong BIOS admin password in AdminPasswordFile fwupdmgr update is refused: nothing staged, 0x005C not set, nothing of it in dcdbas's buffer"
	set_password_file "$bios_password"
	timeout 300 fwupdmgr update -y --no-reboot-check </dev/null >/tmp/out 2>&1
	keep
	check "said 'staged in memory\|Successfully installed'" \
		"with the BIOS admin password in AdminPasswordFile fwupdmgr update stages the A10 update"
	# rbu_packets.py builds the expected packets of the .hdr itself
	cp "$a10" /tmp/want
	cat $rbu/data >/tmp/got
	check "python3 $src/tests/helpers/rbu_packets.py /tmp/want /tmp/got" \
		"the daemon staged the packet stream under the sandboxed /sys, under a fresh set ID"
	check "[ \"\$(token 005c)\" = 1 ]" "and set token 0x005C, which the BIOS takes only with the password's key"
	check "smi_data_clean" "dcdbas's buffer holds neither the password (ASCII or scan codes) nor its key"
	timeout 300 fwupdmgr install -y --no-reboot-check $remote/MLB-000209.cab </dev/null >/tmp/out 2>&1
	rc=$?
	keep
	cat $rbu/data >/tmp/got
	check "[ $rc -ne 0 ] && python3 $src/tests/helpers/rbu_packets.py /tmp/want /tmp/got" \
		"fwupdmgr install of system 0x01BB's cabinet is refused, A10 stays staged"
	timeout 300 fwupdmgr install -y --no-reboot-check --allow-reinstall \
		$remote/system_bios_0x1028_0x0152_version_a10.cab </dev/null >/tmp/out 2>&1
	rc=$?
	keep
	cat $rbu/data >/tmp/got
	check "[ $rc -eq 0 ] && python3 $src/tests/helpers/rbu_packets.py /tmp/want /tmp/got && [ \"\$(token 005c)\" = 1 ]" \
		"fwupdmgr install of the A10 cabinet stages it again and sets the flag"
	grep -v '…' /tmp/daemon.log | grep -i "dell\|error" | tail -n 3 | sed 's/^/    ~ /'
	check "[ \$(pgrep -c -x fwupd) -eq 1 ]" "one fwupd daemon served every request"
	local db=$FWUPD_LOCALSTATEDIR/lib/fwupd/pending.db
	check "[ -s $db ] && traces text /tmp/daemon.log /tmp/fwupdmgr.out $db &&
		python3 $src/tests/helpers/password_traces.py text Dell4e2e - /tmp/daemon.log /tmp/fwupdmgr.out $db >/dev/null" \
		"the daemon's -vv log, fwupdmgr's output and the history database hold neither the password nor its key, nor the wrong one"
	# the search finds the password where fwupd logs it: the daemon reloads
	# fwupd.conf when it changes
	dell_smi_conf "AdminPassword=$bios_password"
	for _ in $(seq 30); do
		traces text /tmp/daemon.log >/dev/null 2>&1 || break
		sleep 1
	done
	check "! traces text /tmp/daemon.log >/dev/null && grep -q ': the password: ' /tmp/traces" \
		"with AdminPassword in fwupd.conf, the daemon's -vv log shows the password"
	cp /tmp/daemon.log /state/daemon.log
}

# fwupdtool -vv, on a BIOS that takes the password as scan codes in cbARG1-2
password_tool() {
	echo 1 >/sys/module/fake_dcdbas/parameters/password_select
	FWUPD_LOCALSTATEDIR=/tmp/fwupd-tool tool -vv install --no-reboot-check /tmp/a10.cab
	check "said 'staged in memory' && [ \"\$(token 005c)\" = 1 ]" \
		"with AdminPasswordFile fwupdtool -vv install stages A10 and sets 0x005C on a BIOS taking scan codes"
	check "smi_data_clean" "dcdbas's buffer holds neither the password (ASCII or scan codes) nor its key"
	check "traces text /tmp/out /tmp/fwupd-tool/lib/fwupd/pending.db" \
		"fwupdtool -vv's output and history hold neither the password nor its key"
	dell_smi_conf "AdminPassword=$bios_password"
	tool -vv get-remotes
	check "! traces text /tmp/out >/dev/null && grep -q ': the password: ' /tmp/traces" \
		"with AdminPassword in fwupd.conf fwupdtool -vv shows the password: the search finds it"
	# the daemon starts from nothing staged, no flag, the BIOS taking ASCII
	echo 0 >$rbu/packet_size
	rmmod fake_dcdbas && insmod "$work/fake-dcdbas/fake_dcdbas.ko" "admin_password=$bios_password"
	dell_smi_conf "AdminPasswordFile=$password_file"
	check "[ \$(staged) -eq 0 ] && [ -z \"\$(token 005c)\" ]" "the image cancelled and the emulated BIOS restarted"
}

# what the BIOS will find in RAM after the reboot this phase ends with: the
# host scans it. Before it, an 8 MiB image staged and cancelled, A09 dropped
# by a failed staging, and A09 replaced by A10, in mono mode then by the
# 8 MiB image (with bios-view-unload, the module unloaded). The host made the cabinets: no .hdr is read in here, and
# sysfs is read without pipes, so the test leaves no copies of its own.
bios_view() {
	local bv=$work/bios-view n=0 max=/sys/module/dell_rbu/parameters/image_size_max
	bv_install() {
		n=$((n + 1))
		FWUPD_LOCALSTATEDIR=/tmp/fwupd-bv-$n \
			tool install --no-reboot-check --allow-older --allow-reinstall "$bv/$1.cab"
	}
	bv_staged() { wc -c <$rbu/data 2>/dev/null || echo 0; }
	# the distribution's driver is only reported on
	bv_check() {
		if [ "$driver" = ours ]; then
			check "$1" "$2"
		elif eval "$1"; then
			ok "$2"
		else
			echo "INFO $label: not: $2"
		fi
	}
	bv_install big
	bv_check "[ \$(bv_staged) -gt 8000000 ]" "an 8 MiB image is staged"
	if [ "$mode" = packet ]; then echo 0 >$rbu/packet_size; else echo mono >$rbu/image_type; fi
	bv_check "[ \$(bv_staged) -eq 0 ]" "and cancelled"
	bv_install a09
	bv_check "[ \$(bv_staged) -gt 0 ]" "A09 is staged"
	# a fwupd that starts over an armed update installs nothing over it: the
	# flag is taken back first, as the BIOS's cancel token does
	if [ -e $max ]; then
		echo 65536 >$max
		clear_flag
		bv_install big
		bv_check "[ \$(bv_staged) -eq 0 ]" "a staging that fails leaves nothing staged"
		echo 134217728 >$max
	fi
	clear_flag
	bv_install a09
	clear_flag
	bv_install a10
	bv_check "said 'staged in memory'" "A10 replaces A09"
	# monolithic: the BIOS is to find the 8 MiB image, one contiguous block
	if [ "$mode" = mono ] && [ "$phase" = bios-view ]; then
		clear_flag
		bv_install big
		bv_check "[ \$(bv_staged) -gt 8000000 ]" "the 8 MiB image replaces A10"
	fi
	if [ "$phase" = bios-view-unload ]; then
		rmmod dell_rbu
		bv_check "[ ! -e $rbu ]" "the module is unloaded with A10 staged"
	fi
}

if [ "$driver" = ours ]; then
	insmod "$work/kmod/dell_rbu.ko" || bad "insmod our dell_rbu"
else
	insmod "$work/kernel/root/lib/modules/$(uname -r)/kernel/drivers/platform/x86/dell/dell_rbu.ko" ||
		bad "insmod the distribution's dell_rbu"
fi
fake_args=()
[ "$phase" = daemon ] && fake_args=("admin_password=$bios_password")
insmod "$work/fake-dcdbas/fake_dcdbas.ko" "${fake_args[@]}" || bad "insmod fake_dcdbas"
check "grep -q 'Dell Inc.' /sys/class/dmi/id/sys_vendor" "the guest's SMBIOS says Dell"
# the firmware's own tables and ours side by side: BIOS, system, OEM strings,
# 0xD0, 0xDA, 0xDE
check "(for t in 0 1 11 208 218 222; do [ -e /sys/firmware/dmi/entries/\$t-0 ] || exit 1; done)" \
	"every SMBIOS table is in the guest (types 0, 1, 11, 0xD0, 0xDA, 0xDE)"
check "! grep -q '^flags.* hypervisor' /proc/cpuinfo" "the CPU does not say it is a virtual machine"

case "$phase" in
versions-letter | versions-dotted)
	if [ "$phase" = versions-letter ]; then daemon_versions A10 A08; else daemon_versions 2.1.15 2.1.3; fi
	echo "GUEST E2E DONE $label"
	exit 0
	;;
esac

tool get-devices --json
check "said 'DELL-RBU.*SYSID_0152'" "get-devices shows DELL-RBU\\SYSID_0152"
check "said '\"Version\" : \"A09\"'" "the BIOS version is A09"

if [ "${phase#bios-view}" != "$phase" ]; then
	bios_view
	echo "GUEST E2E DONE $label"
	busybox reboot -f
fi

mkdir -p /tmp/cab && cp "$a10" /tmp/cab/
tool build-cabinet /tmp/a10.cab /tmp/cab/system_bios_0x1028_0x0152_version_a10.hdr \
	"$src/data/com.dell.rbu.example.metainfo.xml"
check "[ -s /tmp/a10.cab ]" "build-cabinet of the real A10 image"

if [ "$phase" = daemon ]; then
	set_password_file "$bios_password"
	dell_smi_conf "AdminPasswordFile=$password_file"
	password_tool
	daemon_update
	echo "GUEST E2E DONE $label"
	exit 0
fi

# another system's image: refused, nothing staged, no flag
mkdir -p /tmp/wrong && cp "$hdr/MLB-000209.HDR" /tmp/wrong/system_bios_0x1028_0x0152_version_a10.hdr
tool build-cabinet /tmp/wrong.cab /tmp/wrong/system_bios_0x1028_0x0152_version_a10.hdr \
	"$src/data/com.dell.rbu.example.metainfo.xml"
tool install --no-reboot-check /tmp/wrong.cab
check "said '0x01BB' && [ \$(staged) -eq 0 ] && [ \"\$(token 005c)\" != 1 ]" \
	"an image for system 0x01BB is refused, nothing staged, no flag"

tool install --no-reboot-check /tmp/a10.cab
check "said 'staged in memory'" "install of the A10 cabinet succeeds"
# in packet mode rbu_packets.py builds the expected packets of the .hdr itself
cp "$a10" /tmp/want
cat $rbu/data >/tmp/got
if [ "$mode" = packet ]; then
	check "python3 $src/tests/helpers/rbu_packets.py /tmp/want /tmp/got" \
		"the driver's read-back is the packet stream under a fresh set ID ($(wc -c </tmp/got) bytes)"
else
	check "cmp -s /tmp/want /tmp/got" "the driver's read-back equals the image ($(wc -c </tmp/got) bytes)"
fi
check "[ \"\$(token 005c)\" = 1 ]" "token 0x005C is active in the emulated BIOS"
tool get-history --json
check "said '\"UpdateState\" : 4'" "the device needs a reboot"

# a failure while staging: the module refuses an image this large
if [ "$driver" = ours ]; then
	# a fresh fwupd state sees the armed update and installs nothing over it
	export FWUPD_LOCALSTATEDIR=/tmp/fwupd-state-2
	tool get-devices --json
	check "said '\"UpdateState\" : 4' && [ \$(staged) -gt 0 ]" \
		"a restarted fwupd sees the armed update: it needs a reboot"
	before=$(sha256sum <$rbu/data)
	tool install --no-reboot-check --allow-reinstall /tmp/a10.cab
	check "[ \"\$(token 005c)\" = 1 ] && [ \"\$(sha256sum <$rbu/data)\" = \"$before\" ]" \
		"and installs nothing over it"
	# without the flag, as a fwupd stopped before arming leaves it: freed
	clear_flag
	export FWUPD_LOCALSTATEDIR=/tmp/fwupd-state-3
	tool get-devices --json
	check "[ \$(staged) -eq 0 ] && ! said '\"UpdateState\" : 4'" \
		"a restarted fwupd frees an image staged without the flag"
	echo 65536 >/sys/module/dell_rbu/parameters/image_size_max
	tool install --no-reboot-check --allow-reinstall /tmp/a10.cab
	check "said 'File too large' && [ \$(staged) -eq 0 ] && [ \"\$(token 005c)\" = 0 ]" \
		"a failure while staging leaves nothing staged and 0x005C not active"
else
	echo "INFO $label: no failure injection into the distribution's driver"
fi
cp -a /tmp/fwupd-state/. /state/ 2>/dev/null
echo "GUEST E2E DONE $label"
