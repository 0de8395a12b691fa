#!/bin/sh
# Command-line tests: exit status, messages, wrapper mode and the ACME
# clients' environment.  No DNS answers are needed: names are IP addresses
# (not subject to CAA), invalid, or looked up with no network at all.
set -u
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
RECORD=$HERE/record
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM
pass=0
fail=0
open=

# A test is one run and the checks chained after it with &&, ending in
# ok.  A test that did not reach ok and was not counted as failed failed
# in a check of its own (grep, test, python3): count it here.
settle() {
	if [ -n "$open" ]; then
		echo "FAIL $open: a check after the run failed"
		sed 's/^/  stderr: /' "$T/err"
		fail=$((fail + 1))
		open=
	fi
}

# run NAME WANT_STATUS [env VAR=...] -- ARGS: run the binary, keep output.
run() {
	settle
	name=$1 want=$2
	open=$name
	shift 2
	env -u Le_Domain -u Le_Alt -u LEGO_HOOK_CERT_DOMAINS "$@" \
	    >"$T/out" 2>"$T/err" </dev/null
	got=$?
	if [ "$got" -ne "$want" ]; then
		echo "FAIL $name: exit $got, want $want"
		sed 's/^/  stderr: /' "$T/err"
		fail=$((fail + 1))
		open=
		return 1
	fi
	return 0
}

# has FILE LINE: the exact line is in the output.
has() {
	if ! grep -Fxq -- "$2" "$T/$1"; then
		echo "FAIL $name: no line in $1: $2"
		sed "s/^/  $1: /" "$T/$1"
		fail=$((fail + 1))
		open=
		return 1
	fi
	return 0
}

ok() {
	pass=$((pass + 1))
	open=
}

# --- usage ---
run help 0 "$BIN" --help && grep -q '^usage: caa-preflight' "$T/out" && ok
# --help fits a terminal of 80 columns.
run help-width 0 "$BIN" --help && ! grep -q '.\{80\}' "$T/out" && ok
run version 0 "$BIN" --version && has out "caa-preflight 0.1.0" && ok
run bad-option 3 "$BIN" --frobnicate example.com &&
    has err "usage: caa-preflight [-nqv] [-c file] [--ca name] [--issuer domain]" && ok
run bad-ca 3 "$BIN" --ca letsencrytp 192.0.2.1 &&
    has err "caa-preflight: --ca letsencrytp: unknown CA (known: letsencrypt, zerossl, buypass, google, sslcom, sectigo; or use --issuer)" && ok
run bad-method 3 "$BIN" --method http 192.0.2.1 &&
    has err "caa-preflight: --method http: unknown validation method (expected http-01, dns-01, tls-alpn-01, dns-account-01 or dns-persist-01)" && ok
run bad-timeout 3 "$BIN" --timeout 0 192.0.2.1 &&
    has err "caa-preflight: --timeout 0: must be a whole number of seconds from 1 to 3600" && ok
run bad-format 3 "$BIN" --format xml 192.0.2.1 &&
    has err "caa-preflight: --format xml: must be text, json, certificates or nagios" && ok
run bad-uri 3 "$BIN" --account-uri ftp://x/1 192.0.2.1 &&
    has err "caa-preflight: --account-uri ftp://x/1: account URI must start with https://" && ok
run ca-and-issuer 3 "$BIN" --ca letsencrypt --issuer pki.goog 192.0.2.1 &&
    has err "caa-preflight: --ca and --issuer exclude each other" && ok

# --- names ---
run no-names 3 "$BIN" -c /dev/null &&
    has err "/dev/null:1:1: not a regular file" && ok
printf '' >"$T/empty.yaml"
run no-names-anywhere 3 "$BIN" -c "$T/empty.yaml" &&
    has err "caa-preflight: no names to check: give them as arguments, with --certbot, --acme-sh, --lego or --dehydrated, as -d/--domain(s) of a command after --, in Le_Domain/Le_Alt (acme.sh) or LEGO_HOOK_CERT_DOMAINS (lego), or in the configuration's certificates or domains" && ok
run invalid-names 3 "$BIN" 'a..b' '*.x.*.y' "$(printf 'l%.0s' $(seq 64)).example" &&
    has err "caa-preflight: a..b: invalid name: empty label (two dots in a row, or a leading dot)" &&
    has err "caa-preflight: *.x.*.y: invalid name: label \"*\": \"*\" is only allowed as the whole leftmost label" &&
    has err "caa-preflight: llllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllll.example: invalid name: label \"llllllllllllllllllll...\" is 64 characters long; the limit is 63" && ok
run ip-only 0 "$BIN" 192.0.2.1 2001:db8::1 &&
    has err "caa-preflight: 192.0.2.1: not subject to CAA (IP address); CAs skip CAA for IP identifiers" &&
    has err "caa-preflight: 2 names checked: 0 ok, 0 refused, 0 dns-failure, some not subject to CAA" && ok
run quiet 0 "$BIN" -q 192.0.2.1 && [ ! -s "$T/err" ] && ok
# -q never hides what blocks (SPEC 5.5): a bad name still says why.
run quiet-blocks 3 "$BIN" -q 'a..b' && has err "caa-preflight: a..b: invalid name: empty label (two dots in a row, or a leading dot)" && ok
run verbose-ip-only 0 "$BIN" -v 192.0.2.1 &&
    has err "caa-preflight: resolver: not started: no name needs a lookup" &&
    grep -Eqx 'caa-preflight: 0 lookups and 0 direct queries in [0-9]+\.[0-9] ms' \
    "$T/err" && ok
run idn-invalid 3 "$BIN" "$(printf 'a\377.example')" &&
    has err "$(printf 'caa-preflight: a\377.example: invalid name: cannot convert to an A-label (IDNA2008): string encoding error')" && ok

# --- no network at all: exit 3, not a verdict ---
# One message about the network, never hidden, and nothing that blames
# the domain (SPEC 5.5).
run no-network 3 unshare -n "$BIN" example.com &&
    has err "caa-preflight: no lookup got any answer from DNS: check the network and the resolver settings (forward, root_hints, trust_anchor): 1 name not checked" &&
    [ "$(wc -l < "$T/err")" -eq 1 ] && ok
run no-network-quiet 3 unshare -n "$BIN" -q example.com a.example.org &&
    has err "caa-preflight: no lookup got any answer from DNS: check the network and the resolver settings (forward, root_hints, trust_anchor): 2 names not checked" &&
    [ "$(wc -l < "$T/err")" -eq 1 ] && ok
run no-network-json 3 unshare -n "$BIN" --format json example.com &&
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["exit"] == 3 and d["names"][0]["verdict"] == "not-checked", d' "$T/out" && ok

# -v shows how lookups go out, one "name value" each: Let's Encrypt's
# resolver settings by default (SPEC 4.1), then a configuration's own.
run no-network-settings 3 unshare -n "$BIN" -v example.com &&
    has err "caa-preflight: resolver: qname-minimisation no" &&
    has err "caa-preflight: resolver: use-caps-for-id yes" &&
    has err "caa-preflight: resolver: harden-below-nxdomain no" &&
    has err "caa-preflight: resolver: harden-dnssec-stripped yes" &&
    has err "caa-preflight: resolver: val-sig-skew-min 0" &&
    has err "caa-preflight: resolver: val-sig-skew-max 0" &&
    has err "caa-preflight: resolver: edns-buffer-size 1232" &&
    has err "caa-preflight: resolver: ede yes" &&
    has err "caa-preflight: resolver: prefetch-key yes" &&
    has err "caa-preflight: resolver: outgoing-range 1024" && ok
cat >"$T/opts.yaml" <<'YAML'
resolver:
  options: {qname-minimisation: "yes", use-caps-for-id: "no", outgoing-range: "64"}
YAML
run no-network-options 3 unshare -n "$BIN" -v -c "$T/opts.yaml" example.com &&
    has err "caa-preflight: resolver: qname-minimisation yes" &&
    has err "caa-preflight: resolver: use-caps-for-id no" &&
    has err "caa-preflight: resolver: edns-buffer-size 1232" &&
    has err "caa-preflight: resolver: outgoing-range 64" && ok

# --- resource limits: "could not check" at once, never a verdict or a
# signal.  Across the range where the program loads but libunbound
# cannot start its thread, then where it starts but lookups cannot, then
# where the CA's context starts and the nameserver check's second one
# (a thread of its own) may not.
# (A sanitizer reserves more address space than any of these limits.)
if [ -z "${CAA_PREFLIGHT_SANITIZED:-}" ]; then
	for kb in 14000 17000 20000 23000 26000 29000 32000 35000 38000; do
		run "ulimit-v-$kb" 3 unshare -n sh -c 'ulimit -v "$1"; exec "$0" --timeout 2 example.com' "$BIN" "$kb" &&
		    grep -Eq "^caa-preflight: (cannot start the resolver's thread: |cannot start lookups|no lookup got any answer|out of memory)" "$T/err" &&
		    ! grep -q 'query timed out' "$T/err" && ok
	done
	run ulimit-thread 3 unshare -n sh -c 'ulimit -v 17000; exec "$0" example.com' "$BIN" &&
	    has err "caa-preflight: cannot start the resolver's thread: Resource temporarily unavailable" && ok
	# Too few descriptors for the resolvers' ports and the nameserver
	# check's sockets (libevent itself would exit 1, "the CA will
	# refuse", below about 20): "could not check", and what to raise.
	for n in 6 10 14 100 150; do
		run "ulimit-n-$n" 3 unshare -n sh -c 'ulimit -n "$1"; exec "$0" --timeout 2 example.com' "$BIN" "$n" &&
		    grep -Eqx "caa-preflight: too few file descriptors: the limit on open files is $n, a run needs 1[0-9]{2}: raise it \(ulimit -n\)" "$T/err" &&
		    [ "$(wc -l <"$T/err")" -eq 1 ] && ok
	done
	# Enough for the fewest ports and sockets: the run goes on.
	run ulimit-n-200 3 unshare -n sh -c 'ulimit -n 200; exec "$0" --timeout 2 example.com' "$BIN" &&
	    has err "caa-preflight: no lookup got any answer from DNS: check the network and the resolver settings (forward, root_hints, trust_anchor): 1 name not checked" && ok
fi

# -n checks what the real run would stop on: libunbound's options, the
# trust anchor, each at its place in the file (and the run stops there).
cat >"$T/badres.yaml" <<'YAML'
resolver:
  trust_anchor: /nonexistent/root.key
  options: {no-such-option: "1", qname-minimisation: "maybe"}
YAML
run check-config-resolver 3 "$BIN" -n -c "$T/badres.yaml" example.com &&
    has err "$T/badres.yaml:2:17: trust anchor /nonexistent/root.key: No such file or directory" &&
    has err "$T/badres.yaml:3:13: resolver option no-such-option \"1\": syntax error" &&
    has err "$T/badres.yaml:3:34: resolver option qname-minimisation \"maybe\": syntax error" &&
    ! grep -q 'configuration ok' "$T/err" && ok
run run-resolver-options 3 "$BIN" -c "$T/badres.yaml" example.com &&
    has err "$T/badres.yaml:3:13: resolver option no-such-option \"1\": syntax error" && ok

# --- environment of ACME clients' hooks ---
run acme.sh 0 env Le_Domain=192.0.2.1 Le_Alt=192.0.2.2,192.0.2.3 "$BIN" &&
    has err "caa-preflight: 192.0.2.3: not subject to CAA (IP address); CAs skip CAA for IP identifiers" &&
    has err "caa-preflight: 3 names checked: 0 ok, 0 refused, 0 dns-failure, some not subject to CAA" && ok
run acme.sh-no-alt 0 env Le_Domain=192.0.2.1 Le_Alt=no "$BIN" &&
    has err "caa-preflight: 1 name checked: 0 ok, 0 refused, 0 dns-failure, some not subject to CAA" && ok
run acme.sh-empty-alt 3 env Le_Domain='*.a..b' Le_Alt= "$BIN" &&
    has err "caa-preflight: *.a..b: invalid name: empty label (two dots in a row, or a leading dot)" && ok
run lego 3 env LEGO_HOOK_CERT_DOMAINS='192.0.2.9,bad_name.example' "$BIN" &&
    has err "caa-preflight: bad_name.example: invalid name: label \"bad_name\" has the character '_'; only letters, digits and hyphens are allowed" && ok
run args-win-over-env 0 env Le_Domain=bad..name "$BIN" 192.0.2.1 && ok

# --- wrapper mode ---
rm -f "$T/ran"
run wrapper-runs 0 env RECORD_FILE="$T/ran" "$BIN" -- "$RECORD" certonly -d 192.0.2.1 --domains=192.0.2.2,192.0.2.3 &&
    [ "$(cat "$T/ran")" = "certonly -d 192.0.2.1 --domains=192.0.2.2,192.0.2.3" ] &&
    has err "caa-preflight: 3 names checked: 0 ok, 0 refused, 0 dns-failure, some not subject to CAA" && ok
rm -f "$T/ran"
run wrapper-status 7 env RECORD_FILE="$T/ran" RECORD_STATUS=7 "$BIN" -q -- "$RECORD" -d192.0.2.1 && [ -f "$T/ran" ] && ok
rm -f "$T/ran"
run wrapper-blocked 3 env RECORD_FILE="$T/ran" "$BIN" -- "$RECORD" --domain 192.0.2.1 --domain=ok..no &&
    has err "caa-preflight: ok..no: invalid name: empty label (two dots in a row, or a leading dot)" &&
    [ ! -f "$T/ran" ] && ok
rm -f "$T/ran"
# SPEC 5.6: not checked is not a refusal: the order goes on, loudly
# (even with -q), unless on_unknown: block.
run wrapper-no-network 0 env RECORD_FILE="$T/ran" unshare -n "$BIN" -q -- "$RECORD" -d example.org &&
    has err "caa-preflight: no lookup got any answer from DNS: check the network and the resolver settings (forward, root_hints, trust_anchor): 1 name not checked" &&
    has err "caa-preflight: certificate example.org: not-checked, 0 of 1 name fail, 1 not checked; CA letsencrypt.org, method http-01, account none" &&
    has err "caa-preflight: 1 certificate not checked: on_unknown: allow lets the order go on" &&
    [ -f "$T/ran" ] && ok
rm -f "$T/ran"
# The same with the names given before "--": wrapper mode all the same.
run wrapper-no-network-args 0 env RECORD_FILE="$T/ran" unshare -n "$BIN" -q example.org -- "$RECORD" renew &&
    has err "caa-preflight: 1 name not checked: on_unknown: allow lets the order go on" &&
    [ -f "$T/ran" ] && ok
rm -f "$T/ran"
printf 'on_unknown: block\n' > "$T/block.yaml"
run wrapper-no-network-block 3 env RECORD_FILE="$T/ran" unshare -n "$BIN" -c "$T/block.yaml" -- "$RECORD" -d example.org &&
    has err "caa-preflight: not running $RECORD: the check failed" &&
    [ ! -f "$T/ran" ] && ok
rm -f "$T/ran"
# Names on the command line are not a hook's: no network is exit 3 ...
run no-network-plain 3 unshare -n "$BIN" -q example.org &&
    has err "caa-preflight: no lookup got any answer from DNS: check the network and the resolver settings (forward, root_hints, trust_anchor): 1 name not checked" && ok
# ... unless --hook says they are.
run no-network-hook 0 unshare -n "$BIN" -q --hook example.org &&
    has err "caa-preflight: 1 name not checked: on_unknown: allow lets the order go on" && ok
run no-network-hook-block 3 unshare -n "$BIN" -c "$T/block.yaml" --hook example.org &&
    ! grep -q 'on_unknown: allow' "$T/err" && ok
# SPEC 5.6: 127 and 126 as env(1) says them, before any query.
run wrapper-missing 127 "$BIN" -- /nonexistent/certbot -d 192.0.2.1 &&
    has err "caa-preflight: /nonexistent/certbot: command not found" &&
    [ "$(wc -l < "$T/err")" -eq 1 ] && ok
run wrapper-missing-path 127 env PATH=/nonexistent "$BIN" -- certbot -d example.com &&
    has err "caa-preflight: certbot: command not found" && ok
printf '#!/bin/sh\n' > "$T/noexec"
chmod 644 "$T/noexec"
run wrapper-not-executable 126 "$BIN" -- "$T/noexec" -d example.com &&
    has err "caa-preflight: $T/noexec: cannot run: not an executable file" && ok
# A report that cannot be written is an error, not a silent "ok".
run json-closed-stdout 3 sh -c 'exec "$0" --format json 192.0.2.1 >&-' "$BIN" &&
    has err "caa-preflight: cannot write the JSON report to standard output: Bad file descriptor" && ok
run json-full-disk 3 sh -c 'exec "$0" --format json 192.0.2.1 >/dev/full' "$BIN" &&
    has err "caa-preflight: cannot write the JSON report to standard output: No space left on device" && ok
printf 'domains: [192.0.2.1]\n' > "$T/onecert.yaml"
run certificates-full-disk 3 sh -c 'exec "$0" --format certificates -c "$1" >/dev/full' "$BIN" "$T/onecert.yaml" &&
    has err "caa-preflight: cannot write the certificates report to standard output: No space left on device" && ok
run wrapper-no-command 3 "$BIN" 192.0.2.1 -- &&
    has err "caa-preflight: no command after \"--\"" && ok
run wrapper-no-names 3 "$BIN" -c "$T/empty.yaml" -- "$RECORD" renew &&
    grep -q 'no names to check' "$T/err" && ok

# --- configuration ---
cat >"$T/bad.yaml" <<'YAML'
ca: nope
timeout: soon
domains: [good.example, "bad..example"]
YAML
run conf-errors 3 "$BIN" -n -c "$T/bad.yaml" &&
    has err "$T/bad.yaml:1:5: unknown CA \"nope\" (known: letsencrypt, zerossl, buypass, google, sslcom, sectigo; or give issuer: with the CA's issuer domain)" &&
    has err "$T/bad.yaml:2:10: timeout must be a whole number of seconds from 1 to 3600, not \"soon\"" &&
    has err "$T/bad.yaml:3:25: invalid name \"bad..example\": empty label (two dots in a row, or a leading dot)" && ok
cat >"$T/good.yaml" <<'YAML'
ca: letsencrypt
certificates:
  - name: web
    domains: [example.com, "*.example.com"]
domains: [192.0.2.1]
YAML
run conf-ok 0 "$BIN" -n -c "$T/good.yaml" &&
    has err "caa-preflight: $T/good.yaml: configuration ok, 3 names" && ok
run conf-names 0 "$BIN" -c "$T/good.yaml" 192.0.2.7 &&
    has err "caa-preflight: 1 name checked: 0 ok, 0 refused, 0 dns-failure, some not subject to CAA" && ok
cat >"$T/ta.yaml" <<'YAML'
resolver:
  trust_anchor: /nonexistent/root.key
YAML
run resolver-setup 3 "$BIN" -c "$T/ta.yaml" example.com &&
    has err "$T/ta.yaml:2:17: trust anchor /nonexistent/root.key: No such file or directory" && ok

# --- hostile configuration files: a clear message and exit 3 ---
head -c 2097152 /dev/zero | tr '\0' '#' >"$T/huge.yaml"
run conf-huge 3 "$BIN" -n -c "$T/huge.yaml" &&
    has err "$T/huge.yaml:1:1: file is 2097152 bytes; a configuration is at most 1048576" && ok
python3 -c "print('domains: ' + '['*300000 + ']'*300000)" >"$T/deep.yaml"
run conf-deep 3 "$BIN" -n -c "$T/deep.yaml" &&
    has err "$T/deep.yaml:1:73: nested deeper than 64 levels" && ok
printf 'ca: letsencrypt\n\0\1\2binary' >"$T/binary.yaml"
run conf-binary 3 "$BIN" -n -c "$T/binary.yaml" &&
    has err "$T/binary.yaml:1:1: file contains NUL bytes; not a YAML text" && ok
mkfifo "$T/fifo.yaml"
run conf-fifo 3 "$BIN" -n -c "$T/fifo.yaml" &&
    has err "$T/fifo.yaml:1:1: not a regular file" && ok
run conf-missing 3 "$BIN" -n -c "$T/nonexistent.yaml" &&
    has err "$T/nonexistent.yaml:1:1: cannot open: No such file or directory" && ok
printf 'ca: \377\376 not utf-8\n' >"$T/latin1.yaml"
run conf-not-utf8 3 "$BIN" -n -c "$T/latin1.yaml" &&
    grep -q "^$T/latin1.yaml:1:5: YAML syntax: invalid leading UTF-8 octet" "$T/err" && ok

# --- JSON, parsed back ---
run json 0 "$BIN" --format json -q 192.0.2.1 &&
    python3 - "$T/out" <<'PY' && ok
import json, sys
d = json.load(open(sys.argv[1]))
assert d["exit"] == 0, d
assert d["version"] == "0.1.0", d
n = d["names"][0]
assert n["name"] == "192.0.2.1" and n["verdict"] == "not-subject", n
PY
# A name given twice for one certificate is checked once; for two, twice.
cat >"$T/twice.yaml" <<'EOF'
certificates:
  - name: www
    domains: [192.0.2.1, 192.0.2.2, 192.0.2.1]
  - name: mail
    domains: [192.0.2.1]
EOF
run twice-conf 0 "$BIN" --format json -q -c "$T/twice.yaml" &&
    python3 - "$T/out" <<'PY' && ok
import json, sys
d = json.load(open(sys.argv[1]))
got = [(n["certificate"], n["name"]) for n in d["names"]]
assert got == [("www", "192.0.2.1"), ("www", "192.0.2.2"),
               ("mail", "192.0.2.1")], got
PY
run twice-args 0 "$BIN" --format json -q 192.0.2.3 192.0.2.1 192.0.2.3 \
    192.0.2.1 192.0.2.3 &&
    python3 - "$T/out" <<'PY' && ok
import json, sys
d = json.load(open(sys.argv[1]))
got = [n["name"] for n in d["names"]]
assert got == ["192.0.2.3", "192.0.2.1"], got
PY
run json-failure 3 unshare -n "$BIN" --format json -q --method dns-01 'Bücher.example' &&
    python3 - "$T/out" <<'PY' && ok
import json, sys
d = json.load(open(sys.argv[1]))
assert d["exit"] == 3, d
n = d["names"][0]
assert n["name"] == "xn--bcher-kva.example", n
assert n["input"] == "bücher.example", n
assert n["verdict"] == "not-checked", n  # no network: nothing said against the name
assert n["caa"] == "dns-failure", n
assert n["reason"] == "DNS problem: SERVFAIL looking up CAA for xn--bcher-kva.example - the domain's nameservers may be malfunctioning", n
assert [l["name"] for l in n["levels"]] == ["xn--bcher-kva.example", "example"], n
assert n["levels"][0]["status"] == "SERVFAIL", n
assert n["method"] == "dns-01" and n["dns01"]["name"] == "_acme-challenge.xn--bcher-kva.example", n
assert n["dns01"]["ok"] is False, n
PY

# SPEC 8: the ACME clients' state.  No network here: names are not
# checked, which a client-state run lets through (on_unknown: allow).
run certbot-missing 3 "$BIN" --certbot="$T/nocertbot" &&
    has err "caa-preflight: $T/nocertbot/renewal: cannot read certbot's renewal configurations: No such file or directory" && ok
mkdir -p "$T/cb/renewal"
run certbot-empty 0 "$BIN" --certbot="$T/cb" &&
    has err "caa-preflight: $T/cb: certbot manages no certificate: nothing to check" && ok
run certbot-and-names 3 "$BIN" --certbot="$T/cb" example.com &&
    has err "caa-preflight: --certbot reads the names from the client's state: give no names and no command" && ok
run all-alone 3 "$BIN" --all example.com &&
    has err "caa-preflight: --all needs --certbot, --acme-sh, --lego or --dehydrated" && ok
run certbot-no-such-cert 3 "$BIN" --certbot="$T/cb" --cert-name web &&
    has err "caa-preflight: $T/cb: certbot has no certificate named web" && ok
mkdir -p "$T/acme/a.example" "$T/acme/b.example_ecc"
now=$(date +%s)
printf "Le_Domain='a.example'\nLe_Alt='*.a.example'\nLe_Webroot='dns_cf'\nLe_API='https://acme.zerossl.com/v2/DV90'\nLe_NextRenewTime='%s'\n" \
    $((now - 60)) > "$T/acme/a.example/a.example.conf"
printf "Le_Domain='b.example'\nLe_Alt='no'\nLe_API='https://ca.example.net/dir'\nLe_NextRenewTime='%s'\n" \
    $((now + 864000)) > "$T/acme/b.example_ecc/b.example.conf"
run acmesh-check-config 0 env LE_WORKING_DIR="$T/acme" "$BIN" -n --acme-sh &&
    has err "caa-preflight: (no file): configuration ok, 2 names" && ok
# A line per certificate for scripts: due, and whether to hold it back.
run acmesh-lines 0 unshare -n env LE_WORKING_DIR="$T/acme" "$BIN" -q --acme-sh --format certificates &&
    printf 'a.example\tnot-checked\tgo\tdue\nb.example_ecc\tnot-checked\tgo\tlater\n' | cmp -s - "$T/out" &&
    has err "caa-preflight: certificate a.example: not-checked, 0 of 2 names fail, 2 not checked; CA sectigo.com (https://acme.zerossl.com/v2/DV90), method dns-01, account none; due" &&
    has err "caa-preflight: 1 certificate not checked: on_unknown: allow lets the order go on" && ok
# on_unknown: block holds back the due certificate not checked; the
# one not yet due (whose CA is not known) decides nothing.
run acmesh-block 3 unshare -n "$BIN" -c "$T/block.yaml" --acme-sh="$T/acme" --format certificates &&
    printf 'a.example\tnot-checked\thold\tdue\nb.example_ecc\tnot-checked\tgo\tlater\n' | cmp -s - "$T/out" &&
    has err "caa-preflight: certificate b.example_ecc: not checked: its ACME directory https://ca.example.net/dir is not a known CA; add it to the configuration as directories: {\"https://ca.example.net/dir\": <the CA's CAA issuer domain>}" && ok
# --output: the JSON report in a file, never on standard output.
run output 0 "$BIN" -q --output "$T/report.json" 192.0.2.1 &&
    [ ! -s "$T/out" ] &&
    python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); assert d["exit"] == 0 and d["names"][0]["verdict"] == "not-subject", d' "$T/report.json" &&
    [ "$(ls "$T" | grep -c '^report.json.')" -eq 0 ] && ok
run output-unwritable 3 "$BIN" -q --output "$T/nodir/report.json" 192.0.2.1 &&
    has err "caa-preflight: cannot write the JSON report to $T/nodir/report.json: No such file or directory" && ok
run output-certificates 3 "$BIN" --output "$T/r.json" --format certificates 192.0.2.1 &&
    has err "caa-preflight: --output writes JSON; --format certificates goes to standard output" && ok
run wrapper-output 0 env RECORD_FILE="$T/ran" "$BIN" -q --output "$T/w.json" -- "$RECORD" -d 192.0.2.1 &&
    [ -f "$T/ran" ] && [ ! -s "$T/out" ] &&
    python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); assert d["certificates"][0]["label"] == "192.0.2.1", d' "$T/w.json" && ok
rm -f "$T/ran"

# hooks/dehydrated-hook: the names checked for dehydrated's CHALLENGETYPE,
# with --hook; its other events go to the next hook untouched.
HOOKS=$(cd "$HERE/../../hooks" && pwd)
run dehydrated-hook-args 0 env CHALLENGETYPE=dns-01 CAA_PREFLIGHT="$RECORD" RECORD_FILE="$T/ran" CAA_PREFLIGHT_CONFIG="$T/x.yaml" "$HOOKS/dehydrated-hook" generate_csr a.example "$T/nocert" "a.example *.a.example" &&
    [ "$(cat "$T/ran")" = "-c $T/x.yaml --method dns-01 --hook a.example *.a.example" ] && ok
run dehydrated-hook-blocks 1 env CHALLENGETYPE=http-01 CAA_PREFLIGHT="$RECORD" RECORD_FILE="$T/ran" RECORD_STATUS=1 "$HOOKS/dehydrated-hook" generate_csr a.example "$T/nocert" "a.example" &&
    [ "$(cat "$T/ran")" = "--method http-01 --hook a.example" ] &&
    has err "dehydrated-hook: not ordering a.example: caa-preflight exit 1" && ok
run dehydrated-hook-next 0 env CAA_PREFLIGHT_NEXT_HOOK="$RECORD" RECORD_FILE="$T/ran" "$HOOKS/dehydrated-hook" deploy_challenge a.example tok "v a l" &&
    [ "$(cat "$T/ran")" = "deploy_challenge a.example tok v a l" ] && ok
# ... and after a check that passed, generate_csr itself, as it came.
run dehydrated-hook-then-next 0 env CAA_PREFLIGHT="$RECORD" CAA_PREFLIGHT_NEXT_HOOK="$RECORD" RECORD_FILE="$T/ran" "$HOOKS/dehydrated-hook" generate_csr a.example "$T/nocert" "a.example" &&
    [ "$(cat "$T/ran")" = "generate_csr a.example $T/nocert a.example" ] && ok
rm -f "$T/ran"

# SPEC 5.7: a plugin says UNKNOWN where Nagios reads, even when it could
# not start; its output is never a wrapped command's.
run nagios-bad-config 3 "$BIN" --format nagios -c "$T/nonexistent.yaml" 192.0.2.1 &&
    [ "$(cat "$T/out")" = "CAA-PREFLIGHT UNKNOWN - the check could not be done: the reason is on standard error" ] &&
    has err "$T/nonexistent.yaml:1:1: cannot open: No such file or directory" && ok
run nagios-no-network 3 unshare -n "$BIN" --format nagios example.org &&
    head -1 "$T/out" | grep -qx "CAA-PREFLIGHT UNKNOWN - no lookup got any answer from DNS: 1 name not checked | 'names'=1 'ok'=0 'refused'=0 'failed'=0 'warnings'=0 'seconds'=[0-9.]*s" &&
    [ ! -s "$T/err" ] && ok
run nagios-wrapper 3 "$BIN" --format nagios -- "$RECORD" -d 192.0.2.1 &&
    has err "caa-preflight: --format nagios writes to standard output, which in wrapper mode is the command's: use --output FILE (JSON)" && ok
run prometheus-unwritable 3 "$BIN" -q --prometheus "$T/nodir/m.prom" 192.0.2.1 &&
    has err "caa-preflight: cannot write the Prometheus metrics to $T/nodir/m.prom: No such file or directory" && ok

settle
echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
