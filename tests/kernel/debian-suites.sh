# shellcheck shell=bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Sourced: the machine's own Debian archive, for other suites than its own.
# suite_lines SUITE...: one-line apt sources, one per suite, on the URI the
# machine's sources use for its own release (keyring: debian-archive-keyring).
# suite_aptopts: --aptopt=FILE for every apt.conf.d file with Acquire settings.

debian_archive_uri() {
	local codename f uri
	codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -s "$f" ] || continue
		# deb822 stanzas: the URI of a stanza whose suites hold the release itself
		uri=$(awk -v s="$codename" '
			/^[ \t]*$/ { if (u != "" && hit) exit; u = ""; hit = 0; next }
			tolower($1) == "uris:" { u = $2 }
			tolower($1) == "suites:" { for (i = 2; i <= NF; i++) if ($i == s) hit = 1 }
			END { if (u != "" && hit) print u }' "$f")
		[ -n "$uri" ] && { echo "$uri"; return; }
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -s "$f" ] || continue
		uri=$(awk -v s="$codename" '$1 == "deb" {
			for (i = 2; i <= NF; i++) if ($i !~ /^\[/ && $i !~ /\]$/) break
			if ($(i + 1) == s) { print $i; exit } }' "$f")
		[ -n "$uri" ] && { echo "$uri"; return; }
	done
	echo "no Debian archive for '$codename' in the machine's apt sources" >&2
	return 1
}

suite_lines() {
	local uri s
	uri=$(debian_archive_uri) || return 1
	for s in "$@"; do
		echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $uri $s main"
	done
}

suite_aptopts() {
	local f
	for f in /etc/apt/apt.conf.d/*; do
		grep -q '^Acquire::' "$f" 2>/dev/null && echo "--aptopt=$f"
	done
	return 0
}
