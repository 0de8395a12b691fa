#!/bin/sh
# Integration tests: build a small DNSSEC-signed DNS internet in a private
# network and PID namespace (every 127.x address and port 53 are ours,
# and every server dies with the namespace), then run caa-preflight
# against it.
#
# usage: run.sh [--demo | --bench] path/to/caa-preflight [scenario ...]
set -u
HERE=$(cd "$(dirname "$0")" && pwd)

if [ "${CAA_PREFLIGHT_IN_NS:-}" != 1 ]; then
	export CAA_PREFLIGHT_IN_NS=1
	# A user namespace too where we are not root, so developers need
	# no privileges; as root (CI) a plain network namespace is enough.
	for flags in "-n -p -f --mount-proc" "-r -n -p -f --mount-proc"; do
		# shellcheck disable=SC2086
		if unshare $flags true 2>/dev/null; then
			exec unshare $flags "$0" "$@"
		fi
	done
	if [ -n "${CI:-}" ]; then
		echo "integration: FAIL: cannot create a network namespace" >&2
		exit 1
	fi
	echo "integration: SKIPPED: cannot create a network namespace" \
	    "(unshare -n, or -r -n, refused here); nothing was tested" >&2
	exit 0
fi

ip link set lo up || exit 1
if [ "${1:-}" = "--bench" ]; then
	shift
	exec python3 "$HERE/../bench/bench.py" "$@"
fi
exec python3 "$HERE/universe.py" "$@"
