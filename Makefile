# caa-preflight
.POSIX:
.SUFFIXES:

VERSION   = 0.1.0
PREFIX    = /usr/local
BINDIR    = $(PREFIX)/bin
MANDIR    = $(PREFIX)/share/man
DOCDIR    = $(PREFIX)/share/doc/caa-preflight
HOOKDIR   = $(PREFIX)/share/caa-preflight/hooks

CC        = cc
PKG       = yaml-0.1 libidn2 ldns jansson libcrypto libevent
WARN      = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
            -Wformat=2
CFLAGS    = -O2 -g
# libunbound's .pc names libevent, whose .pc only libevent-dev brings:
# plain -lunbound.  libevent: the event bases libunbound's contexts run on.
DEPCFLAGS = `pkg-config --cflags $(PKG)`
DEPLIBS   = `pkg-config --libs $(PKG)` -lunbound
ALLCFLAGS = -std=c99 -D_DEFAULT_SOURCE -D_GNU_SOURCE \
            -DCAA_PREFLIGHT_VERSION=\"$(VERSION)\" $(WARN) $(WERROR) \
            $(DEPCFLAGS) $(CFLAGS) $(SAN)

OBJS = src/caa.o src/agree.o src/name.o src/policy.o src/file.o src/conf.o src/client.o src/state.o src/dehydrated.o \
       src/verdict.o src/zone.o src/result.o src/wire.o src/dnssec.o \
       src/challenge.o src/answer.o src/resolve.o src/lane.o src/probe.o src/probe_queue.o \
       src/lookups.o src/servers.o src/same.o src/parents.o src/check.o \
       src/checkns.o src/checktree.o src/checkfd.o src/report.o src/monitor.o
HDRS = src/caa.h src/agree.h src/name.h src/policy.h src/file.h src/conf.h src/client.h src/state.h src/state_priv.h src/dehydrated.h \
       src/verdict.h src/zone.h src/result.h src/wire.h src/dnssec.h \
       src/challenge.h src/answer.h src/resolve.h src/resolve_priv.h \
       src/probe.h src/probe_priv.h \
       src/lookups.h src/servers.h src/servers_priv.h src/check.h \
       src/check_priv.h src/report.h src/monitor.h
UNITS = tests/unit/check_caa tests/unit/check_name tests/unit/check_policy \
        tests/unit/check_conf tests/unit/check_verdict tests/unit/check_zone \
        tests/unit/check_result tests/unit/check_wire tests/unit/check_dnssec \
        tests/unit/check_answer tests/unit/check_report \
        tests/unit/check_challenge tests/unit/check_agree \
        tests/unit/check_resolve tests/unit/check_file \
        tests/unit/check_client tests/unit/check_state \
        tests/unit/check_dehydrated tests/unit/check_monitor \
        tests/unit/check_lookups tests/unit/check_probe \
        tests/unit/check_same

all: caa-preflight

.SUFFIXES: .c .o
.c.o:
	$(CC) $(ALLCFLAGS) -c $< -o $@

$(OBJS) src/main.o: $(HDRS) Makefile

libcaapf.a: $(OBJS)
	rm -f $@
	ar rcs $@ $(OBJS)

caa-preflight: src/main.o libcaapf.a
	$(CC) $(ALLCFLAGS) $(LDFLAGS) -o $@ src/main.o libcaapf.a $(DEPLIBS)

# One rule for every unit test: tests/unit/check_M.c against the library.
tests/unit/check_caa: tests/unit/check_caa.c
tests/unit/check_name: tests/unit/check_name.c
tests/unit/check_policy: tests/unit/check_policy.c
tests/unit/check_conf: tests/unit/check_conf.c
tests/unit/check_verdict: tests/unit/check_verdict.c
tests/unit/check_zone: tests/unit/check_zone.c
tests/unit/check_result: tests/unit/check_result.c
tests/unit/check_wire: tests/unit/check_wire.c
tests/unit/check_dnssec: tests/unit/check_dnssec.c
tests/unit/check_answer: tests/unit/check_answer.c
tests/unit/check_report: tests/unit/check_report.c
tests/unit/check_challenge: tests/unit/check_challenge.c
tests/unit/check_agree: tests/unit/check_agree.c
tests/unit/check_resolve: tests/unit/check_resolve.c tests/unit/uboption.h
tests/unit/check_lookups: tests/unit/check_lookups.c tests/unit/uboption.h
tests/unit/check_probe: tests/unit/check_probe.c
tests/unit/check_same: tests/unit/check_same.c
tests/unit/check_file: tests/unit/check_file.c
tests/unit/check_client: tests/unit/check_client.c
tests/unit/check_state: tests/unit/check_state.c tests/unit/statefix.h
tests/unit/check_monitor: tests/unit/check_monitor.c
tests/unit/check_dehydrated: tests/unit/check_dehydrated.c \
    tests/unit/statefix.h
$(UNITS): libcaapf.a $(HDRS)
	$(CC) $(ALLCFLAGS) -iquote src `pkg-config --cflags check` -o $@ \
	    $@.c libcaapf.a `pkg-config --libs check` $(DEPLIBS)

# Debian 12 packages the build and every test need.
DEBS = build-essential pkg-config libunbound-dev libevent-dev libldns-dev \
       libyaml-dev \
       libidn2-dev libjansson-dev libssl-dev check mandoc nsd knot \
       knot-dnsutils ldnsutils \
       dns-root-data util-linux iproute2 python3 valgrind clang \
       certbot pebble dehydrated lego openssl unbound dnsutils \
       prometheus systemd
deps:
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(DEBS)

check: unit-check cli-check integration-check lint-check install-check \
       fuzz-smoke

unit-check: $(UNITS)
	@for t in $(UNITS); do echo "== $$t"; CK_FORK=yes ./$$t || exit 1; done

tests/cli/record: tests/cli/record.c
	$(CC) $(ALLCFLAGS) -o $@ tests/cli/record.c

cli-check: caa-preflight tests/cli/record
	tests/cli/run.sh ./caa-preflight

tests/integration/responder: tests/integration/responder.c
	$(CC) $(ALLCFLAGS) -Wno-missing-prototypes -o $@ \
	    tests/integration/responder.c `pkg-config --libs ldns`

# libunbound failing one lookup on demand (CAA_TEST_UBFAIL): plain build
# only, as a sanitizer's runtime must come first.
tests/integration/ubfail.so: tests/integration/ubfail.c
	$(CC) $(ALLCFLAGS) -Wno-missing-prototypes -shared -fPIC -o $@ \
	    tests/integration/ubfail.c -lunbound

integration-check: caa-preflight tests/integration/responder \
    tests/integration/ubfail.so
	tests/integration/run.sh ./caa-preflight

lint-check: caa-preflight
	mandoc -Tlint -W warning man/caa-preflight.1 man/caa-preflight.yaml.5
	tests/lint/units.sh ./caa-preflight
	tests/lint/shape.sh "$(CC)" "$(ALLCFLAGS)"
	sh -n hooks/certbot-renew
	sh -n hooks/dehydrated-hook

# Install into a scratch DESTDIR, check what landed, uninstall, check it
# is gone.
install-check: caa-preflight
	@d=$$(mktemp -d) && trap 'rm -rf "$$d"' EXIT && \
	$(MAKE) -s install DESTDIR="$$d" PREFIX=/opt/cp >/dev/null && \
	for f in bin/caa-preflight share/man/man1/caa-preflight.1 \
	    share/man/man5/caa-preflight.yaml.5 \
	    share/doc/caa-preflight/caa-preflight.yaml.example \
	    share/caa-preflight/hooks/certbot-renew \
	    share/caa-preflight/hooks/dehydrated-hook \
	    share/caa-preflight/hooks/systemd/certbot.service.d/caa-preflight.conf \
	    share/caa-preflight/hooks/systemd/caa-preflight.service \
	    share/caa-preflight/hooks/systemd/caa-preflight.timer \
	    share/caa-preflight/hooks/nagios/caa-preflight.cfg \
	    share/caa-preflight/hooks/prometheus/caa-preflight.rules.yml; \
	do [ -f "$$d/opt/cp/$$f" ] || { echo "install-check: $$f missing"; \
	    exit 1; }; done && \
	"$$d/opt/cp/bin/caa-preflight" --version >/dev/null && \
	$(MAKE) -s uninstall DESTDIR="$$d" PREFIX=/opt/cp >/dev/null && \
	left=$$(find "$$d" -type f) && [ -z "$$left" ] || \
	    { echo "install-check: left behind: $$left"; exit 1; }; \
	echo "install-check: ok"

tests/bench/relay: tests/bench/relay.c
	$(CC) $(ALLCFLAGS) -Wno-missing-prototypes -o $@ tests/bench/relay.c

# Figures, not a pass/fail test: see tests/bench/bench.py.
bench: caa-preflight tests/integration/responder tests/bench/relay
	tests/integration/run.sh --bench ./caa-preflight

demo: caa-preflight tests/integration/responder
	tests/integration/run.sh --demo ./caa-preflight

# Fuzzing (libFuzzer, clang): every target runnable alone, e.g.
#   make fuzz FUZZ_SECONDS=600 FUZZ_TARGETS=caa
FUZZ_CC      = clang
FUZZ_SECONDS = 600
FUZZ_TARGETS = caa name conf response persist state
FUZZ_WORK    = /tmp/caa-preflight-fuzz
FUZZ_CFLAGS  = -g -O1 -fsanitize=fuzzer,address,undefined \
               -fno-sanitize-recover=all -std=c99 -D_DEFAULT_SOURCE \
               -D_GNU_SOURCE -DCAA_PREFLIGHT_VERSION=\"$(VERSION)\" \
               -iquote src $(DEPCFLAGS)

tests/fuzz/fuzz_caa: tests/fuzz/fuzz_caa.c src/caa.c src/caa.h
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ tests/fuzz/fuzz_caa.c src/caa.c
tests/fuzz/fuzz_name: tests/fuzz/fuzz_name.c src/name.c src/name.h
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ tests/fuzz/fuzz_name.c src/name.c \
	    `pkg-config --libs libidn2`
tests/fuzz/fuzz_conf: tests/fuzz/fuzz_conf.c src/conf.c $(HDRS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ tests/fuzz/fuzz_conf.c src/conf.c \
	    src/file.c src/policy.c src/caa.c src/name.c \
	    `pkg-config --libs yaml-0.1 libidn2`
tests/fuzz/fuzz_persist: tests/fuzz/fuzz_persist.c src/challenge.c \
    src/name.c src/caa.c $(HDRS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ tests/fuzz/fuzz_persist.c \
	    src/challenge.c src/name.c src/caa.c \
	    `pkg-config --libs ldns libidn2`
tests/fuzz/fuzz_state: tests/fuzz/fuzz_state.c src/state.c src/client.c \
    src/dehydrated.c src/file.c $(HDRS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ tests/fuzz/fuzz_state.c src/state.c \
	    src/dehydrated.c src/client.c src/file.c src/conf.c src/policy.c \
	    src/caa.c src/name.c \
	    `pkg-config --libs yaml-0.1 libidn2 jansson libcrypto`
tests/fuzz/fuzz_response: tests/fuzz/fuzz_response.c src/wire.c \
    src/dnssec.c src/zone.c $(HDRS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ tests/fuzz/fuzz_response.c \
	    src/wire.c src/dnssec.c src/zone.c src/caa.c \
	    `pkg-config --libs ldns libcrypto`

fuzz:
	@for t in $(FUZZ_TARGETS); do \
	    $(MAKE) -s tests/fuzz/fuzz_$$t || exit 1; \
	    mkdir -p $(FUZZ_WORK)/$$t || exit 1; \
	    echo "== fuzz_$$t for $(FUZZ_SECONDS) s"; \
	    ASAN_OPTIONS=fast_unwind_on_malloc=0 \
	    LSAN_OPTIONS=suppressions=tests/fuzz/lsan.supp \
	    tests/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) \
	        -artifact_prefix=$(FUZZ_WORK)/$$t- -print_final_stats=1 \
	        $(FUZZ_WORK)/$$t tests/fuzz/corpus/$$t 2>$(FUZZ_WORK)/$$t.log \
	        || { tail -40 $(FUZZ_WORK)/$$t.log; exit 1; }; \
	    grep -E '^stat::number_of_executed_units|^Done' \
	        $(FUZZ_WORK)/$$t.log; \
	done

fuzz-smoke:
	$(MAKE) fuzz FUZZ_SECONDS=30

# Sanitizer build: a profile of the same targets.
check-asan:
	$(MAKE) clean
	CAA_PREFLIGHT_SANITIZED=1 \
	$(MAKE) SAN="-fsanitize=address,undefined -fno-sanitize-recover=all" \
	    CFLAGS="-O1 -g -fno-omit-frame-pointer" unit-check cli-check \
	    integration-check
	$(MAKE) clean

check-valgrind: caa-preflight tests/integration/responder
	CAA_PREFLIGHT_WRAP="valgrind -q --error-exitcode=99 --leak-check=full \
	    --errors-for-leak-kinds=definite,indirect" \
	    tests/integration/run.sh ./caa-preflight

install: caa-preflight
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(DOCDIR) $(DESTDIR)$(HOOKDIR)
	install -m 755 caa-preflight $(DESTDIR)$(BINDIR)/caa-preflight
	install -m 644 man/caa-preflight.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 man/caa-preflight.yaml.5 $(DESTDIR)$(MANDIR)/man5/
	install -m 644 config/caa-preflight.yaml \
	    $(DESTDIR)$(DOCDIR)/caa-preflight.yaml.example
	install -m 755 hooks/certbot-renew hooks/dehydrated-hook \
	    $(DESTDIR)$(HOOKDIR)/
	mkdir -p $(DESTDIR)$(HOOKDIR)/systemd/certbot.service.d \
	    $(DESTDIR)$(HOOKDIR)/nagios $(DESTDIR)$(HOOKDIR)/prometheus
	install -m 644 hooks/systemd/certbot.service.d/caa-preflight.conf \
	    $(DESTDIR)$(HOOKDIR)/systemd/certbot.service.d/
	install -m 644 hooks/systemd/caa-preflight.service \
	    hooks/systemd/caa-preflight.timer $(DESTDIR)$(HOOKDIR)/systemd/
	install -m 644 hooks/nagios/caa-preflight.cfg $(DESTDIR)$(HOOKDIR)/nagios/
	install -m 644 hooks/prometheus/caa-preflight.rules.yml \
	    $(DESTDIR)$(HOOKDIR)/prometheus/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/caa-preflight \
	    $(DESTDIR)$(MANDIR)/man1/caa-preflight.1 \
	    $(DESTDIR)$(MANDIR)/man5/caa-preflight.yaml.5 \
	    $(DESTDIR)$(DOCDIR)/caa-preflight.yaml.example
	rm -rf $(DESTDIR)$(HOOKDIR)
	-rmdir $(DESTDIR)$(DOCDIR) $(DESTDIR)$(PREFIX)/share/caa-preflight

clean:
	rm -f caa-preflight libcaapf.a src/*.o $(UNITS) tests/cli/record \
	    tests/integration/responder tests/integration/ubfail.so \
	    tests/fuzz/fuzz_caa \
	    tests/fuzz/fuzz_name tests/fuzz/fuzz_conf tests/fuzz/fuzz_response \
	    tests/fuzz/fuzz_persist tests/fuzz/fuzz_state \
	    tests/bench/relay

.PHONY: all deps check unit-check cli-check integration-check lint-check \
        install-check fuzz fuzz-smoke bench \
        demo check-asan check-valgrind install uninstall clean
