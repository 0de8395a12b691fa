#!/bin/sh
# The code's shape, checked on every make check:
# - no file in src/ over 1,000 lines, no function over 120 lines;
# - the renderers, preprocessed with the project's flags, see no libldns
#   or libunbound declaration (they read the result tree only);
# - at least 70 % of the modules of src/ (main aside) have a unit test.
#
# usage: shape.sh CC "CFLAGS"
set -u
cc=$1
cflags=$2
bad=0

for f in src/*.c src/*.h; do
	n=$(wc -l < "$f")
	if [ "$n" -gt 1000 ]; then
		echo "shape: $f: $n lines (at most 1000)"
		bad=1
	fi
done

# KNF: a function starts with its name at column 0 and ends with "}".
long=$(awk '
/^[A-Za-z_][A-Za-z0-9_]*\(/ { name = $0; sub(/\(.*/, "", name); start = FNR }
/^}/ && start {
	if (FNR - start + 1 > 120)
		printf "%s:%s: %d lines\n", FILENAME, name, FNR - start + 1
	start = 0
}' src/*.c)
if [ -n "$long" ]; then
	echo "shape: functions over 120 lines:"
	echo "$long"
	bad=1
fi

for r in src/report.c src/monitor.c; do
	# shellcheck disable=SC2086
	seen=$($cc $cflags -E "$r" | grep -c -E '\b(ldns_[a-z_]+|ub_ctx|ub_result)\b')
	if [ "$seen" -ne 0 ]; then
		echo "shape: $r sees $seen libldns or libunbound lines"
		bad=1
	fi
done

total=0
tested=0
for f in src/*.c; do
	m=$(basename "$f" .c)
	[ "$m" = main ] && continue
	total=$((total + 1))
	[ -f "tests/unit/check_$m.c" ] && tested=$((tested + 1))
done
if [ $((tested * 100)) -lt $((total * 70)) ]; then
	echo "shape: $tested of $total modules have tests/unit/check_<module>.c" \
	    "(70 % wanted)"
	bad=1
fi
[ "$bad" -eq 0 ] && echo "shape: ok ($tested of $total modules unit-tested)"
exit "$bad"
