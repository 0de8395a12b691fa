#!/bin/sh
# baseline.sh: what operators write by hand today, for the benchmark.
# For each name: dig CAA at every level through a local validating
# resolver, then (unless BASELINE_PROBE=0) find the zone's NS set, and
# dig +norec CAA at every address of every nameserver.
# usage: baseline.sh RESOLVER name ...
set -f
res=$1
shift
for name in "$@"; do
	base=${name#\*.}
	n=$base
	while :; do
		dig +short +dnssec CAA "$n" @"$res" >/dev/null
		case $n in *.*) n=${n#*.} ;; *) break ;; esac
	done
	[ "${BASELINE_PROBE:-1}" = 0 ] && continue
	n=$base
	while :; do
		ns=$(dig +short NS "$n" @"$res")
		[ -n "$ns" ] && break
		case $n in *.*) n=${n#*.} ;; *) break ;; esac
	done
	for h in $ns; do
		for a in $(dig +short A "$h" @"$res") \
		    $(dig +short AAAA "$h" @"$res"); do
			dig +norec +short CAA "$base" @"$a" >/dev/null
		done
	done
done
