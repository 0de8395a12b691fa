#!/bin/sh
# The shipped monitoring pieces, checked by their own tools: the
# Prometheus alert rules with promtool, the systemd units with
# systemd-analyze (their ExecStart pointed at the binary under test).
# A tool that is not installed is said; under CI that is a failure.
#
# usage: units.sh BINARY
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
bad=0

need() {
	if command -v "$1" >/dev/null 2>&1; then
		return 0
	fi
	echo "units: $1 is not installed (make deps): $2 not checked"
	[ -n "${CI:-}" ] && bad=1
	return 1
}

if need promtool "the alert rules"; then
	promtool check rules hooks/prometheus/caa-preflight.rules.yml \
	    >/dev/null || bad=1
fi
if need systemd-analyze "the systemd units"; then
	d=$(mktemp -d)
	trap 'rm -rf "$d"' EXIT
	for u in caa-preflight.service caa-preflight.timer; do
		sed "s|/usr/local/bin/caa-preflight|$bin|" "hooks/systemd/$u" \
		    > "$d/$u"
	done
	systemd-analyze verify --man=no "$d/caa-preflight.service" \
	    "$d/caa-preflight.timer" || bad=1
fi
[ "$bad" -eq 0 ] && echo "units: ok"
exit "$bad"
