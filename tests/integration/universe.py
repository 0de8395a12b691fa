#!/usr/bin/env python3
"""A small DNS internet for the integration tests, and the scenarios.

Run by run.sh inside a private network and PID namespace.  It generates
keys, builds and signs a root zone, the TLD "caatest" and its zones,
starts real authoritative servers (NSD for most zones, Knot for some, and
our own responder for behaviours no real server offers), then runs
caa-preflight on each scenario and asserts the exit status and the exact
report.  On a failure it prints the servers' logs.

usage: universe.py [--demo] path/to/caa-preflight [scenario-name ...]
"""

import json
import resource
import os
import re
import shlex
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TLD = "caatest"
LE = '"letsencrypt.org"'
SOON = 2 * 86400 + 3600	# a "soon" zone's signatures: 2 days ahead
ACCT = "https://acme-v02.api.letsencrypt.org/acme/acct/123456"

# Server addresses.  Each NSD instance serves all its zones on all its
# addresses, so zones that must differ per server get their own instance.
ROOT_ADDR = "127.53.0.1"
TLD_ADDR = "127.53.1.1"
NSD_ADDRS = ["127.53.2.1", "127.53.2.2"]
KNOT_ADDR = "127.53.3.1"
RESOLVER_ADDR = "127.53.8.1"    # a validating unbound, for forward mode
# The port the authoritative servers listen on.  The benchmark moves them
# to 5353 and puts its delay relay on port 53 of the same addresses.
SERVER_PORT = 53
# NSD's response rate limiting, off for the tests (the benchmark turns it
# on once to show the politeness cap keeps it from firing).
RRL = False
V6_ADDR = "::1"


# Nameservers by token: (host, address, server instance).  "nothing" has
# an address where nothing listens; "indead" has no address but in the
# zone "dead", whose server never answers.  Responders:
# "resp:LABEL:ADDR:MODES".
HOSTS = {
    "ns1": ("ns1.%s." % TLD, NSD_ADDRS[0], "main"),
    "ns2": ("ns2.%s." % TLD, NSD_ADDRS[1], "main"),
    "knot": ("ns-knot.%s." % TLD, KNOT_ADDR, "knot"),
    "v6": ("ns6.%s." % TLD, V6_ADDR, "main"),
    "a": ("ns-a.%s." % TLD, "127.53.5.1", "a"),
    "b": ("ns-b.%s." % TLD, "127.53.5.2", "b"),
    "nothing": ("ns-nothing.%s." % TLD, "127.53.9.9", None),
    "indead": ("ns.dead.%s." % TLD, None, None),
}


def host(token):
    if token.startswith("main:"):
        # "main:LABEL:ADDR": one more address of the main NSD instance.
        _, label, addr = token.split(":", 2)
        return ("%s.%s." % (label, TLD), addr, "main")
    if token.startswith("resp:"):
        _, label, addr, _ = token.split(":", 3)
        return ("%s.%s." % (label, TLD), addr, token)
    if token.startswith("dead:"):
        # "dead:LABEL": another server named in the zone "dead".
        return ("%s.dead.%s." % (token[5:], TLD), None, None)
    return HOSTS[token]


class Zone:
    """A zone below the TLD.

    servers: NS tokens (see HOSTS); "nsd" stands for ns1 and ns2.
    deleg:   the NS tokens at the parent, when they differ from servers.
    sign:    "yes", "no" (insecure: no DS), "expired" (signatures in the
             past), "soon" (expiring in two days), "unsigned-ds" (DS at
             the parent, zone served unsigned),
             "badds" (DS at the parent does not match the key).
    records_b, sign_b: what server instance "b" serves instead (another
             version of the zone, or the same signed with past dates).
    """

    def __init__(self, name, servers, sign, records, parent=TLD,
                 deleg=None, records_b=None, sign_b=None, serial_b=None):
        self.name = name + "." + TLD
        self.parent = parent
        self.servers = self.expand(servers)
        self.deleg = self.expand(deleg) if deleg else self.servers
        self.sign = sign
        self.records = records
        self.records_b = records_b
        self.sign_b = sign_b
        self.serial_b = serial_b
        self.ds = []
        self.files = {}     # instance -> zone file

    @staticmethod
    def expand(tokens):
        if isinstance(tokens, str):
            tokens = [tokens]
        out = []
        for t in tokens:
            out += ["ns1", "ns2"] if t == "nsd" else [t]
        return out

    def ns(self, tokens=None):
        return [host(t)[0] for t in (tokens or self.servers)]


def big_rrset():
    """1,000 other issuers and Let's Encrypt: an answer that needs TCP."""
    recs = ['@ CAA 0 issue "ca-%04d.example"' % i for i in range(1000)]
    return recs + ['@ CAA 0 issue ' + LE]


NSID_B = "ns-b-frankfurt-2"


def resp(label, n, modes):
    return "resp:%s:127.53.4.%d:%s" % (label, n, modes)


# Host names long enough that a list of them runs past any fixed line.
LONG_DEAD = ["ns%02d-whose-address-is-in-a-zone-that-never-answers" % i
             for i in range(12)]
LONG_NS = ["ns%02d-a-nameserver-with-a-long-name-for-the-fix-line" % i
           for i in range(10)]
LONG_NS_TOKENS = ["main:%s:127.53.12.%d" % (h, i + 1)
                  for i, h in enumerate(LONG_NS)]

BIG_SPLIT = ['@ CAA 0 issue "ca-%04d.example"' % i for i in range(36)] + [
    '@ CAA 0 issue ' + LE]


def shown_rrset(records, size=1024, more=40):
    """A record set as a finding shows it: records that do not fit whole
    in a line of size bytes (keeping room for the count) are counted."""
    records = sorted(records)
    out = ""
    for i, r in enumerate(records):
        if len(out) + len(r) + 2 + more >= size:
            return out + "%s%d more record%s" % (
                "; and " if i else "", len(records) - i,
                "" if len(records) - i == 1 else "s")
        out += ("; " if i else "") + r
    return out


ZONES = [
    Zone("ok", "nsd", "yes", [
        '@ CAA 0 issue ' + LE,
        'www A 192.0.2.1',
        'child CAA 0 issue "sectigo.com"',
    ]),
    Zone("none", "knot", "yes", ['www A 192.0.2.1']),
    Zone("other", "nsd", "yes", [
        '@ CAA 0 issue "sectigo.com"',
        'deny CAA 0 issue ";"',
        'nocaa A 192.0.2.1',
    ]),
    Zone("deny", "nsd", "yes", ['@ CAA 0 issue ";"', 'a.b A 192.0.2.1']),
    Zone("mixed", "knot", "yes", [
        '@ CAA 0 IsSuE ' + LE,
        'other CAA 0 iSsUe "sectigo.com"',
    ]),
    Zone("big", "nsd", "yes", big_rrset()),
    Zone("crit", "nsd", "yes", [
        '@ CAA 128 tbs "unknown"',
        '@ CAA 0 issue ' + LE,
        'c130 CAA 130 tbs "unknown"',
        'c130 CAA 0 issue ' + LE,
    ]),
    Zone("wild", "nsd", "yes", [
        '@ CAA 0 issue ' + LE,
        '@ CAA 0 issuewild "sectigo.com"',
        'wi CAA 0 issue "sectigo.com"',
    ]),
    Zone("cname", "nsd", "yes", [
        'www CNAME other.%s.' % TLD,
        'chain CNAME c2',
        'c2 CNAME other.%s.' % TLD,
        'perm CNAME nocaa.other.%s.' % TLD,
    ]),
    Zone("dname", "knot", "yes", ['d DNAME other.%s.' % TLD]),
    Zone("expired", "nsd", "expired", ['@ CAA 0 issue ' + LE]),
    Zone("soon", "nsd", "soon", ['@ CAA 0 issue ' + LE]),
    # A zone whose parent's signatures, its DS's among them, expire soon.
    Zone("dsoon", "nsd", "soon", []),
    Zone("sub.dsoon", "knot", "yes", ['@ CAA 0 issue ' + LE],
         parent="dsoon." + TLD),
    Zone("unsigned-ds", "nsd", "unsigned-ds", ['@ CAA 0 issue ' + LE]),
    Zone("badds", "nsd", "badds", ['@ CAA 0 issue ' + LE]),
    Zone("insecure", "nsd", "no", ['@ CAA 0 issue "sectigo.com"']),
    Zone("dead", resp("ns-dead", 1, "*:drop"), "no", []),
    Zone("servfail", resp("ns-servfail", 2, "*:servfail"), "no", []),
    Zone("refused", resp("ns-refused", 3, "*:refused"), "no", []),
    Zone("v6", "v6", "yes", ['@ CAA 0 issue ' + LE]),
    Zone("acme-sf", "nsd", "yes", [
        '@ CAA 0 issue ' + LE,
        '_acme-challenge NS ns-acme-sf.%s.' % TLD,
    ]),
    Zone("_acme-challenge.acme-sf", resp("ns-acme-sf", 4, "*:servfail"),
         "no", [], parent="acme-sf." + TLD),
    # SPEC 4.2: validationmethods with the newer methods, and the
    # standing dns-persist-01 records (ACCT is the account checked).
    Zone("vm", "nsd", "yes", [
        '@ CAA 0 issue "letsencrypt.org; validationmethods=dns-account-01"',
    ]),
    # SPEC 2 rev. 2: only dns-01 may validate; what the client says of
    # its method decides.
    Zone("dnsonly", "nsd", "yes", [
        '@ CAA 0 issue "letsencrypt.org; validationmethods=dns-01"',
    ]),
    Zone("persist", "nsd", "yes", [
        '@ CAA 0 issue ' + LE,
        '_validation-persist.good TXT "letsencrypt.org; accounturi=%s; '
        'policy=wildcard"' % ACCT,
        '_validation-persist.plain TXT "letsencrypt.org;accounturi=%s"'
        % ACCT,
        '_validation-persist.plain TXT "sectigo.com; accounturi=%s"' % ACCT,
        '_validation-persist.other TXT "letsencrypt.org; accounturi='
        'https://acme-v02.api.letsencrypt.org/acme/acct/999"',
        '_validation-persist.old TXT "Letsencrypt.ORG.; accounturi=%s; '
        'persistUntil=1700000000"' % ACCT,
        '_validation-persist.empty A 192.0.2.1',
        '_validation-persist.semi TXT "letsencrypt.org; accounturi=%s;"'
        % ACCT,
        '_validation-persist.ca TXT "sectigo.com; accounturi=%s"' % ACCT,
    ]),
    Zone("acme-cname", "nsd", "yes", [
        '@ CAA 0 issue ' + LE,
        '_acme-challenge CNAME _acme-challenge.validation.%s.' % TLD,
    ]),
    Zone("validation", "knot", "yes", ['_acme-challenge TXT "token"']),
    # SPEC 5.3: every server of a zone asked directly.
    Zone("healthy", ["ns1", "ns2", "knot"], "yes", ['@ CAA 0 issue ' + LE]),
    Zone("split", ["a", "b"], "yes", ['@ CAA 0 issue ' + LE],
         records_b=['@ CAA 0 issue ' + LE,
                    '@ CAA 0 iodef "mailto:caa@split.%s"' % TLD],
         serial_b=2026112902),
    # Versions that decide differently: ns-b (newer) forbids the CA.
    Zone("splitdeny", ["a", "b"], "yes", ['@ CAA 0 issue ' + LE],
         records_b=['@ CAA 0 issue "sectigo.com"'], serial_b=2026112902),
    # Different data under one serial: a change without a serial bump.
    Zone("sameserial", ["a", "b"], "yes", ['@ CAA 0 issue ' + LE],
         records_b=['@ CAA 0 issue ' + LE,
                    '@ CAA 0 iodef "mailto:caa@sameserial.%s"' % TLD]),
    # Versions that differ, each too long to show whole in one line.
    Zone("bigsplit", ["a", "b"], "yes", BIG_SPLIT,
         records_b=BIG_SPLIT + ['@ CAA 0 iodef "mailto:caa@bigsplit.%s"'
                                % TLD], serial_b=2026112902),
    Zone("serial", ["a", "b"], "yes", ['@ CAA 0 issue ' + LE],
         records_b=['@ CAA 0 issue ' + LE], serial_b=2026112902),
    Zone("stale", ["a", "b"], "yes", ['@ CAA 0 issue ' + LE],
         records_b=['@ CAA 0 issue ' + LE], sign_b="expired"),
    # SPEC 5.7: ns-b's copy is signed to expire in two days, ns-a's in
    # four weeks: a signer that stopped re-signing ns-b's copy.
    Zone("resign", ["a", "b"], "yes", ['@ CAA 0 issue ' + LE],
         records_b=['@ CAA 0 issue ' + LE], sign_b="soon"),
    Zone("lame", "nsd", "yes", ['@ CAA 0 issue ' + LE],
         deleg=["ns1", "ns2", "knot"]),
    Zone("deadns", ["ns1", "ns2", "nothing"], "yes",
         ['@ CAA 0 issue ' + LE]),
    Zone("nsdiff", "nsd", "yes", ['@ CAA 0 issue ' + LE], deleg=["ns1"]),
    Zone("deadaddr", ["ns1", "ns2", "indead"] + [
        "dead:" + h for h in LONG_DEAD], "yes", ['@ CAA 0 issue ' + LE]),
    # Ten servers with long names, one not delegated: the fix lists the
    # whole NS set (over 700 bytes).
    Zone("nslong", LONG_NS_TOKENS, "yes", ['@ CAA 0 issue ' + LE],
         deleg=LONG_NS_TOKENS[:-1]),
    Zone("deadsoa", resp("ns-deadsoa", 31, "SOA:drop"), "no",
         ['@ CAA 0 issue ' + LE]),
    # Its only server answers every query 1 s late.  libunbound gives up
    # on a try after 376 ms, then 752 ms, then 1.5 s, and takes a later
    # try's answer: a CAA lookup of it is answered about 4.3 s after it
    # is asked (measured: 4,268-4,270 ms).
    Zone("late", resp("ns-late", 32, "*:slow=1000"), "no",
         ['@ CAA 0 issue ' + LE]),
    Zone("drop257", ["ns1", resp("ns-drop257", 10, "CAA:drop")], "no",
         ['@ CAA 0 issue ' + LE]),
    Zone("sf257", ["ns1", resp("ns-sf257", 11, "CAA:servfail")], "no",
         ['@ CAA 0 issue ' + LE]),
    Zone("notimp", ["ns1", resp("ns-notimp", 12, "CAA:notimp")], "no",
         ['@ CAA 0 issue ' + LE]),
    Zone("formerr", ["ns1", resp("ns-formerr", 13, "CAA:formerr")], "no",
         ['@ CAA 0 issue ' + LE]),
    Zone("ref257", ["ns1", resp("ns-ref257", 14, "CAA:refused")], "no",
         ['@ CAA 0 issue ' + LE]),
    Zone("noaa", ["ns1", resp("ns-noaa", 15, "*:noaa")], "no",
         ['@ CAA 0 issue ' + LE]),
    Zone("nosoa", ["ns1", resp("ns-nosoa", 16, "CAA:nosoa")], "no",
         ['www A 192.0.2.1']),
    Zone("tc", ["ns1", resp("ns-tc", 17, "CAA:tc,-T")], "no",
         ['@ CAA 0 issue ' + LE]),
    Zone("slow", ["ns1", resp("ns-slow", 18, "*:slow=3000")], "no",
         ['@ CAA 0 issue ' + LE]),
    # Hostile answers: RDATA no zone file parser accepts,
    # answers that are not answers, TCP abuse.
    Zone("malformed", resp("ns-malformed", 20,
                           "raw=malformed.caatest.:CAA:0009697373"),
         "no", []),
    Zone("zerotag", resp("ns-zerotag", 26,
                         "raw=zerotag.caatest.:CAA:800076616c7565"), "no",
         []),
    Zone("nonascii", resp("ns-nonascii", 27,
                          "raw=nonascii.caatest.:CAA:8005697373c3bc78"),
         "no", []),
    Zone("nul", resp("ns-nul", 28, "raw=nul.caatest.:CAA:" +
                     (b"\x00\x05issuelets\x00encrypt.org").hex()), "no", []),
    # 0x20: a server that lowercases the question it repeats.
    Zone("lower", resp("ns-lower", 33, "*:lower"), "no",
         ['@ CAA 0 issue ' + LE]),
    Zone("ctl", resp("ns-ctl", 29, "raw=ctl.caatest.:CAA:" +
                     (b"\x00\x05issuea\x1b[2Jb.example").hex()), "no", []),
    Zone("cname20", "nsd", "yes",
         ["c%d CNAME c%d" % (i, i + 1) for i in range(1, 21)] +
         ['c21 CAA 0 issue ";"']),
    Zone("loop", "nsd", "yes", ["a CNAME b", "b CNAME a"]),
    Zone("huge", "nsd", "yes",
         ['@ CAA 0 issue "%s%03d.example"' % ("x" * 180, i)
          for i in range(280)] + ['@ CAA 0 issue ' + LE]),
    Zone("wrongid", ["ns1", resp("ns-wrongid", 21, "*:wrongid")], "no",
         ['@ CAA 0 issue ' + LE]),
    Zone("wrongq", ["ns1", resp("ns-wrongq", 22, "*:wrongq")], "no",
         ['@ CAA 0 issue ' + LE]),
    Zone("otheraddr", ["ns1", resp("ns-otheraddr", 23,
                                   "*:otheraddr,A=127.53.7.1")], "no",
         ['@ CAA 0 issue ' + LE]),
    Zone("tcpgarbage", ["ns1", resp("ns-tcpgarbage", 24, "CAA:tc,-G")], "no",
         ['@ CAA 0 issue ' + LE]),
    Zone("tcphold", ["ns1", resp("ns-tcphold", 25, "CAA:tc,-H")], "no",
         ['@ CAA 0 issue ' + LE]),
    Zone("flood", ["ns1", resp("ns-flood", 30, "CAA:flood")], "no",
         ['@ CAA 0 issue ' + LE]),
]


def run(cmd, cwd=None):
    return subprocess.run(cmd, cwd=cwd, check=True, capture_output=True,
                          text=True).stdout


def soa_query(name):
    """A plain SOA query in wire format."""
    qname = b"".join(bytes([len(lab)]) + lab.encode()
                     for lab in name.strip(".").split(".") if lab) + b"\0"
    return struct.pack(">HHHHHH", 0x4242, 0, 1, 0, 0, 0) + qname + \
        struct.pack(">HH", 6, 1)


def answers(addr, name):
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    with socket.socket(fam, socket.SOCK_DGRAM) as s:
        s.settimeout(0.2)
        try:
            s.sendto(soa_query(name), (addr, 53))
            return len(s.recv(4096)) > 12
        except OSError:
            return False


class Universe:
    def __init__(self, work):
        self.work = work
        self.procs = []
        self.logs = []
        self.waits = []         # (address, zone) that must answer SOA
        self.resp_n = 0
        self.responder = os.path.join(HERE, "responder")

    # ---- zones and keys ----

    def keygen(self, origin, ksk):
        kdir = os.path.join(self.work, "keys")
        os.makedirs(kdir, exist_ok=True)
        args = ["ldns-keygen", "-a", "ECDSAP256SHA256"]
        if ksk:
            args.append("-k")
        base = run(args + [origin], cwd=kdir).strip()
        return os.path.join(kdir, base)

    def ds_of(self, ksk):
        return run(["ldns-key2ds", "-n", "-2", ksk + ".key"]).strip()

    def write_zone(self, origin, lines, sign="yes", keys=None, tag="",
                   serial=2026112901):
        """Write a zone file and sign it as asked.

        Returns (file, DS lines, keys); keys given are reused, so two
        versions of a zone can be signed with the same keys.
        """
        base = origin.rstrip(".") if origin != "." else "root"
        path = os.path.join(self.work, "zones", base + tag + ".zone")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        apex = origin if origin != "." else ""
        with open(path, "w") as f:
            f.write("$ORIGIN %s\n$TTL 300\n@ 3600 IN SOA ns.%s "
                    "hostmaster.%s %d 3600 900 604800 300\n"
                    % (origin, apex, apex, serial))
            for line in lines:
                f.write(line + "\n")
        if sign == "no":
            return path, [], None
        if keys is None:
            keys = (self.keygen(origin, False), self.keygen(origin, True))
        zsk, ksk = keys
        args = ["ldns-signzone", "-o", origin]
        if sign == "expired":
            args += ["-i", "20200101000000", "-e", "20200201000000"]
        elif sign == "soon":
            # SPEC 5.7: valid now, expiring within checks.signature_days.
            args += ["-e", time.strftime(
                "%Y%m%d%H%M%S", time.gmtime(time.time() + SOON))]
        run(args + [path, zsk, ksk])
        ds = [self.ds_of(ksk)]
        if sign == "unsigned-ds":
            return path, ds, keys
        if sign == "badds":
            ds = [self.ds_of(self.keygen(origin, True))]
        return path + ".signed", ds, keys

    def build(self):
        instances = {"main": [], "knot": [], "a": [], "b": []}
        responders = {}
        addr_records = ["ns-tld A %s" % TLD_ADDR]
        for token in list(HOSTS) + [t for z in ZONES for t in z.servers]:
            name, addr, _ = host(token)
            if addr is None:
                continue
            rec = "%s %s %s" % (name, "AAAA" if ":" in addr else "A", addr)
            if rec not in addr_records:
                addr_records.append(rec)
        # Children first: their DS goes into the parent.
        for z in reversed(ZONES):
            lines = ["@ NS %s" % n for n in z.ns()] + z.records
            for c in ZONES:
                if c.parent == z.name:
                    lines += ["%s. NS %s" % (c.name, n)
                              for n in c.ns(c.deleg)]
                    lines += c.ds
            zfile, z.ds, keys = self.write_zone(z.name + ".", lines, z.sign)
            bfile = zfile
            if z.records_b is not None:
                blines = ["@ NS %s" % n for n in z.ns()] + z.records_b
                bfile, _, _ = self.write_zone(
                    z.name + ".", blines, z.sign_b or z.sign, keys=keys,
                    tag="-b", serial=z.serial_b or 2026112901)
            for token in z.servers:
                _, addr, inst = host(token)
                if inst is None:
                    continue
                if inst.startswith("resp:"):
                    responders[inst] = (z, zfile)
                elif (z.name, zfile) not in instances[inst]:
                    instances[inst].append(
                        (z.name, bfile if inst == "b" else zfile))
                if not (inst.startswith("resp:") and
                        ("*:drop" in inst or "SOA:drop" in inst or
                         "*:slow" in inst or
                         "*:wrong" in inst or "*:otheraddr" in inst)):
                    self.waits.append((addr, z.name))
        self.waits = sorted(set(self.waits))
        tld_lines = []
        for z in ZONES:
            if z.parent == TLD:
                tld_lines += ["%s. NS %s" % (z.name, n)
                              for n in z.ns(z.deleg)]
                tld_lines += z.ds
        tld_file, tld_ds, _ = self.write_zone(
            TLD + ".", ["@ NS ns-tld.%s." % TLD] + addr_records + tld_lines)
        root_file, root_ds, _ = self.write_zone(".", [
            "@ NS a.root-servers.net.",
            "a.root-servers.net. A %s" % ROOT_ADDR,
            "%s. NS ns-tld.%s." % (TLD, TLD),
            "ns-tld.%s. A %s" % (TLD, TLD_ADDR),
        ] + tld_ds)
        self.waits += [(ROOT_ADDR, "."), (TLD_ADDR, TLD)]

        with open(os.path.join(self.work, "root.ds"), "w") as f:
            f.write("\n".join(root_ds) + "\n")
        with open(os.path.join(self.work, "root.hints"), "w") as f:
            f.write(". 3600000 NS a.root-servers.net.\n"
                    "a.root-servers.net. 3600000 A %s\n" % ROOT_ADDR)
        self.conf = self.write_conf("caa-preflight.yaml", "  root_hints: "
                                    "%s\n" % os.path.join(self.work,
                                                           "root.hints"))
        self.offconf = self.write_conf(
            "off.yaml", "  root_hints: %s\nchecks:\n  nameservers: off\n"
            % os.path.join(self.work, "root.hints"))
        # SPEC 5.7: a horizon wide enough for every signature of the run.
        self.horizonconf = self.write_conf(
            "horizon.yaml", "  root_hints: %s\nchecks:\n  signature_days: "
            "365\n" % os.path.join(self.work, "root.hints"))
        self.warnconf = self.write_conf(
            "warn.yaml", "  root_hints: %s\nchecks:\n  nameservers: warn\n"
            % os.path.join(self.work, "root.hints"))
        self.fwdconf = self.write_conf("forward.yaml", "  forward: [%s]\n"
                                       % RESOLVER_ADDR)
        # A forwarder nothing listens at: no lookup gets any answer.
        self.deadfwdconf = self.write_conf("deadforward.yaml",
                                           "  forward: [127.53.99.99]\n")

        self.nsd("root", [ROOT_ADDR], [(".", root_file)])
        self.nsd("tld", [TLD_ADDR], [(TLD, tld_file)])
        extra = sorted({host(t)[1] for z in ZONES for t in z.servers
                        if t.startswith("main:")})
        self.main_addrs = NSD_ADDRS + [V6_ADDR] + extra
        self.nsd("main", self.main_addrs, instances["main"])
        self.nsd("a", [HOSTS["a"][1]], instances["a"])
        # RFC 5001: this one says who it is, as anycast servers do.
        self.nsd("b", [HOSTS["b"][1]], instances["b"], nsid=NSID_B)
        self.knot("knot", KNOT_ADDR, instances["knot"])
        self.unbound(RESOLVER_ADDR)
        for token, (z, zfile) in sorted(responders.items()):
            _, label, addr, modes = token.split(":", 3)
            args = [self.responder, "-z", zfile, "-o", z.name + ".",
                    "-l", "%s@%d" % (addr, SERVER_PORT)]
            for m in modes.split(","):
                if m in ("-T", "-G", "-H"):
                    args.append(m)
                elif m.startswith("raw="):
                    args += ["-r", m[4:]]
                elif m.startswith("A="):
                    args += ["-A", m[2:]]
                elif m:
                    args += ["-m", m]
            self.start("responder-" + label, args)

    def write_conf(self, name, resolver_extra):
        path = os.path.join(self.work, name)
        with open(path, "w") as f:
            f.write("timeout: 10\nresolver:\n  trust_anchor: %s\n%s" % (
                os.path.join(self.work, "root.ds"), resolver_extra))
        return path

    # ---- servers ----

    def start(self, name, args):
        log = os.path.join(self.work, name + ".log")
        out = open(log, "w")
        self.procs.append((name, subprocess.Popen(
            args, stdout=out, stderr=subprocess.STDOUT)))
        self.logs.append(log)

    def nsd(self, name, addrs, zones, nsid=None):
        if not zones:
            return
        d = os.path.join(self.work, "nsd-" + name)
        os.makedirs(d)
        conf = os.path.join(d, "nsd.conf")
        with open(conf, "w") as f:
            f.write("server:\n")
            for a in addrs:
                f.write("  ip-address: %s\n" % a)
            f.write('  port: %d\n  database: ""\n  username: ""\n'
                    '  chroot: ""\n  zonesdir: "%s"\n'
                    '  zonelistfile: "%s/zone.list"\n'
                    '  xfrdfile: "%s/xfrd.state"\n  pidfile: "%s/nsd.pid"\n'
                    '  logfile: "%s/nsd.log"\n  server-count: 1\n'
                    '  verbosity: 1\n%s%s'
                    'remote-control:\n  control-enable: no\n'
                    % (SERVER_PORT, d, d, d, d, d, "" if RRL else
                       "  rrl-ratelimit: 0\n  rrl-whitelist-ratelimit: 0\n",
                       '  nsid: "ascii_%s"\n' % nsid if nsid else ""))
            for zname, zfile in zones:
                f.write('zone:\n  name: "%s"\n  zonefile: "%s"\n'
                        % (zname, zfile))
        self.logs.append(os.path.join(d, "nsd.log"))
        self.start("nsd-" + name, ["nsd", "-d", "-c", conf])

    def knot(self, name, addr, zones):
        if not zones:
            return
        d = os.path.join(self.work, "knot-" + name)
        os.makedirs(os.path.join(d, "db"))
        conf = os.path.join(d, "knot.conf")
        with open(conf, "w") as f:
            # Knot sends the host's name as its NSID unless told: one of
            # its own, the same on every machine.
            f.write('server:\n  rundir: "%s"\n  listen: %s@%d\n'
                    '  nsid: "knot-%s"\n'
                    'log:\n  - target: stderr\n    any: info\n'
                    'database:\n  storage: "%s/db"\n'
                    'template:\n  - id: default\n    storage: "%s"\n'
                    '    zonefile-sync: -1\n    zonefile-load: whole\n'
                    '    journal-content: none\n'
                    % (d, addr, SERVER_PORT, name, d, d))
            f.write("zone:\n")
            for zname, zfile in zones:
                f.write('  - domain: "%s"\n    file: "%s"\n' % (zname, zfile))
        self.start("knot-" + name, ["knotd", "-c", conf])

    def unbound(self, addr):
        """A validating recursive resolver over the universe."""
        d = os.path.join(self.work, "unbound-" + addr)
        os.makedirs(d)
        conf = os.path.join(d, "unbound.conf")
        with open(conf, "w") as f:
            f.write('server:\n  interface: %s\n  port: 53\n'
                    '  username: ""\n  chroot: ""\n  directory: "%s"\n'
                    '  pidfile: "%s/unbound.pid"\n  use-syslog: no\n'
                    '  logfile: ""\n  verbosity: 1\n'
                    '  do-not-query-localhost: no\n'
                    '  access-control: 127.0.0.0/8 allow\n'
                    '  root-hints: "%s/root.hints"\n'
                    '  trust-anchor-file: "%s/root.ds"\n'
                    'remote-control:\n  control-enable: no\n'
                    % (addr, d, d, self.work, self.work))
        self.start("unbound-" + addr, ["unbound", "-d", "-c", conf])
        self.waits.append((addr, TLD))

    def wait(self):
        deadline = time.time() + 20
        pending = list(self.waits)
        while pending and time.time() < deadline:
            pending = [(a, z) for a, z in pending
                       if not answers(a, z if z != "." else "")]
            for name, p in self.procs:
                if p.poll() is not None:
                    self.dump_logs()
                    raise SystemExit("integration: %s exited with %d"
                                     % (name, p.returncode))
            if pending:
                time.sleep(0.05)
        if pending:
            self.dump_logs()
            raise SystemExit("integration: no answer from %s" % pending)

    def dump_logs(self):
        for log in self.logs:
            if os.path.exists(log):
                print("---- %s" % log)
                with open(log, errors="replace") as f:
                    print(f.read()[-4000:])

    def stop(self):
        for _, p in self.procs:
            if p.poll() is None:
                p.terminate()
        for _, p in self.procs:
            try:
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


# ---- scenarios ----

P = "caa-preflight: "
FIX = P + "  fix: "


PEBBLE_DIR = "https://127.0.0.1:14000/dir"
LE_DIRECTORY = "https://acme-v02.api.letsencrypt.org/directory"
ZEROSSL_DIR = "https://acme.zerossl.com/v2/DV90"


def cert_line(label, verdict, failing, n, method="http-01",
              issuer="letsencrypt.org", directory=PEBBLE_DIR, account="none",
              due=""):
    """The report's line for a certificate (SPEC 5.5 rev. 2); directory
    None: the CA is the configuration's."""
    return P + "certificate %s: %s, %d of %d name%s fail%s; CA %s%s, " \
        "method %s, account %s%s" % (
            label, verdict, failing, n, "" if n == 1 else "s",
            "s" if failing == 1 else "", issuer,
            " (%s)" % directory if directory else "", method, account, due)


def summary(n, ok=0, refused=0, fail=0, cut=0):
    return P + "%d name%s checked: %d ok, %d refused, %d dns-failure%s" % (
        n, "" if n == 1 else "s", ok, refused, fail,
        ", %d not checked" % cut if cut else "")


def alias_fix(where, alias):
    """SPEC 5.2 rev. 2: the fix of a level reached through an alias names
    the alias target, where the records live, and says so."""
    if alias is None:
        return where
    return ("%s is an alias of %s, where its CAA records live (an alias "
            "cannot hold them): %s" % (where, alias, alias))


def refused_other(name, where, issuer='"sectigo.com"', tag="issue",
                  alias=None):
    return [P + '%s: CAA %s at %s allows only %s, not "letsencrypt.org"'
            % (name, tag, where, issuer),
            FIX + '%s. CAA 0 %s "letsencrypt.org"' % (alias_fix(where, alias),
                                                      tag)]


def forbids(name, where, alias=None):
    return [P + '%s: CAA issue at %s forbids issuance by any CA (empty '
            'issuer, as in ";")' % (name, where),
            FIX + '%s. CAA 0 issue "letsencrypt.org"' % alias_fix(where,
                                                                  alias)]


# SPEC 4.1: Boulder's words for a validation failure quote the Extended
# DNS Error Unbound gives (the summary from Boulder's table), then its
# text; measured with Debian's unbound and the CA's settings: expired
# RRSIGs give EDE 7, a DS without a signed zone and a DS matching no key
# EDE 9.
EXPIRED = ("DNSSEC: Signature Expired", "signature expired from {a} for key "
           "{z}. while building chain of trust",
           "re-sign the zone holding {z}: its signatures have expired (is "
           "the signer still running?)")
NODNSKEY = ("DNSSEC: DNSKEY Missing", "No DNSKEY record from {a} for key "
            "{z}. while building chain of trust",
            "the DS record at the parent names no key the zone holding {z} "
            "is signed with: publish the DS of its current key at the "
            "registrar, or remove the DS if the zone is no longer signed")
BADDS = ("DNSSEC: DNSKEY Missing", "no keys have a DS with algorithm "
         "ECDSAP256SHA256 from {a} for key {z}. while building chain of "
         "trust", NODNSKEY[2])


def bogus(name, level, kind=EXPIRED):
    summary, text, fix = kind
    return ["re:" + re.escape(P + "%s: DNS problem: looking up CAA for %s: "
                              "%s: validation failure <%s. CAA IN>: " % (
                                  name, level, summary, level)) +
            re.escape(text.format(a="@", z=level)).replace("@", r"[0-9.]+"),
            FIX + fix.format(z=level)]


def servfail(name, level, fix=None):
    return [P + "%s: DNS problem: SERVFAIL looking up CAA for %s - the "
            "domain's nameservers may be malfunctioning" % (name, level),
            FIX + (fix or "every nameserver of the zone holding %s must "
                   "answer CAA queries (type 257) with NOERROR: look for "
                   "software or a firewall that rejects unknown types"
                   % level)]


SF_FIX = ("make {h} serve the zone {z} again (SERVFAIL: a zone file that "
          "does not load, expired secondary data or a broken backend; its "
          "log says which), or remove it from the NS records at the parent "
          "{p} and in the zone")
LAME_FIX = ("load the zone refused.caatest on ns-refused.caatest, or remove "
            "ns-refused.caatest from its NS records at the parent caatest "
            "and in the zone")


PERSIST = ["--method", "dns-persist-01", "--account-uri", ACCT]


def persist_refused(sub, reason, wild=False):
    """A dns-persist-01 refusal: Boulder's words, the record to publish."""
    name = "%s.persist.caatest" % sub
    lines = [] if reason is None else [
        P + "%s%s: dns-persist-01: %s" % ("*." if wild else "", name, reason)]
    return lines + [
        FIX + '_validation-persist.%s. TXT "letsencrypt.org; accounturi=%s%s"'
        % (name, ACCT, "; policy=wildcard" if wild else ""),
        summary(1, refused=1)]


def resign_report(got):
    """ns-b named as the stale signer; the resolver's own answers may
    have come from either server, so the horizon may warn as well."""
    want = [
        "re:" + re.escape(P + 'resign.caatest: warning: nameserver '
                          'ns-b.caatest (127.53.5.2, NSID "%s") serves '
                          'signatures that expire at ' % NSID_B) +
        r"\d{4}-\d\d-\d\d \d\d:\d\d UTC, 2\d\.\d days before those of "
        r"ns-a\.caatest \(127\.53\.5\.1, \d{4}-\d\d-\d\d \d\d:\d\d UTC\): "
        r"its copy of resign\.caatest is no longer re-signed",
        FIX + "check that the zone's signer still re-signs the copy this "
        "server gets, and its zone transfers; once those signatures expire "
        "the CA fails whenever it asks this server"]
    rest = [g for g in got if "its signature of resign.caatest" not in g
            and "re-sign resign.caatest now" not in g]
    assert len(rest) == 3, rest
    assert match(want[0], rest[0]) and rest[1] == want[1], rest
    assert rest[2] == summary(1, ok=1), rest


CHAIN = {("ok.caatest", "CAA", "ok.caatest"),
         ("caatest", "CAA", "caatest"),
         ("ok.caatest", "DNSKEY", "ok.caatest"),
         ("ok.caatest", "DS", "caatest"),
         ("caatest", "DNSKEY", "caatest"),
         ("caatest", "DS", "."),
         (".", "DNSKEY", ".")}


def t_chain(got):
    warn = [g for g in got if ": warning: its signature of " in g]
    assert len(warn) == len(CHAIN), got
    assert got[-1] == summary(1, ok=1), got


def j_chain(doc):
    got = [(e["name"], e["type"], e["signer"])
           for e in doc["signatures"]["expiring"]]
    assert sorted(got) == sorted(CHAIN), got
    assert doc["signatures"]["days"] == 365, doc["signatures"]


def soon_lines(zone, types):
    """The warnings for a zone signed with SOON ahead (SPEC 5.7): types
    are of the zone's own records, or (name, type) signed by it."""
    out = []
    for t in types:
        name, t = t if isinstance(t, tuple) else (zone, t)
        out += ["re:" + re.escape(P + "%s: warning: its signature of %s %s "
                                  "expires at " % (zone, name, t)) +
                r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC, in 2\.\d days" +
                re.escape(": from then the CA's lookup fails DNSSEC "
                          "validation and it refuses"),
                FIX + "re-sign %s now, and find out why its signer has not "
                "(signatures are refreshed well before they expire)" % zone]
    return out


def j_soon(doc):
    sig = doc["signatures"]
    assert sig["days"] == 7, sig
    assert [(e["name"], e["type"], e["signer"]) for e in sig["expiring"]] \
        == [("soon.caatest", "DNSKEY", "soon.caatest"),
            ("soon.caatest", "CAA", "soon.caatest")], sig
    assert abs(sig["expiring"][0]["expires"] - time.time() - SOON) < 600, sig
    assert sig["earliest"] == sig["expiring"][0]["expires"], sig


def j_method(method, challenge):
    def check(doc):
        n = doc["names"][0]
        assert n["method"] == method, n["method"]
        assert n["dns01"]["method"] == method, n["dns01"]
        assert n["dns01"]["name"] == challenge, n["dns01"]
        assert n["dns01"]["ok"] is True, n["dns01"]
        assert doc["exit"] == 0, doc["exit"]
    return check


def j_unreachable(doc):
    assert doc["exit"] == 3, doc["exit"]
    assert [n["verdict"] for n in doc["names"]] == ["not-checked"] * 2, \
        doc["names"]


STALE = ("bring ns-a.caatest up to date: it serves serial 2026112901 of "
         "{zone}, older than 2026112902 at ns-b.caatest; check the zone "
         "transfers (NOTIFY, IXFR/AXFR) from the primary to ns-a.caatest")


def splitdeny_report(got):
    """The CA's lookup reached either server: a refusal line or none."""
    tail = ns_fault("splitdeny.caatest") + [
        P + 'splitdeny.caatest: nameserver ns-a.caatest (127.53.5.1) answers '
        'CAA for splitdeny.caatest differently: ns-a.caatest (127.53.5.1) '
        'has CAA 0 issue "letsencrypt.org"; ns-b.caatest (127.53.5.2) has '
        'CAA 0 issue "sectigo.com"',
        FIX + STALE.format(zone="splitdeny.caatest"), summary(1, fail=1)]
    refusal = refused_other("splitdeny.caatest", "splitdeny.caatest")
    assert got in (tail, refusal + tail), got


class S:
    """A scenario: names, options, exit status, exact report lines."""

    def __init__(self, title, names, status, lines, args=(), check=None,
                 max_seconds=None, conf="conf", text=None, env=None,
                 slack=2.0, plain_only=False, nofile=None, full_fds=False):
        self.title = title
        # Counts that hold with the full window of 512 lookups only: a
        # lower limit on open files makes it smaller (checkfd.c).
        self.full_fds = full_fds
        # A limit on open files (soft and hard) to run under.
        self.nofile = nofile
        # Not under valgrind or a sanitizer (an LD_PRELOAD library).
        self.plain_only = plain_only
        self.slack = slack
        self.names = names
        self.status = status
        self.lines = lines
        self.args = list(args)
        self.check = check
        self.max_seconds = max_seconds
        self.conf = conf
        self.text = text
        self.env = env


def j_allowed_at(level, nrecords, dnssec="secure"):
    def check(doc):
        n = doc["names"][0]
        assert n["verdict"] == "ok", n["verdict"]
        assert n["relevant"] == level, n["relevant"]
        assert len(n["records"]) == nrecords, len(n["records"])
        assert all(lv["dnssec"] == dnssec for lv in n["levels"]), \
            [lv["dnssec"] for lv in n["levels"]]
    return check


def j_no_caa(doc):
    n = doc["names"][0]
    assert n["verdict"] == "ok" and n["relevant"] is None, n
    assert [(lv["name"], lv["state"], lv["dnssec"]) for lv in n["levels"]] \
        == [("www.none.caatest", "empty", "secure"),
            ("none.caatest", "empty", "secure"),
            ("caatest", "empty", "secure")], n["levels"]


def j_cname(doc):
    n = doc["names"][0]
    assert n["verdict"] == "refused", n
    assert n["relevant"] == "www.cname.caatest", n["relevant"]
    assert n["levels"][0]["canonical"].rstrip(".") == "other.caatest", \
        n["levels"][0]
    assert n["records"] == [{"flags": 0, "tag": "issue",
                             "value": "sectigo.com"}], n["records"]


def j_insecure(doc):
    n = doc["names"][0]
    assert n["verdict"] == "refused", n
    assert n["levels"][0]["dnssec"] == "insecure", n["levels"][0]
    assert n["levels"][1]["dnssec"] == "secure", n["levels"][1]


def j_bogus(doc):
    n = doc["names"][0]
    assert n["verdict"] == "dns-failure" and n["caa"] == "dns-failure", n
    assert n["levels"][0]["dnssec"] == "bogus", n["levels"][0]
    assert n["levels"][0]["why_bogus"], n["levels"][0]
    assert doc["exit"] == 2, doc["exit"]


def j_wild(doc):
    n = doc["names"][0]
    assert n["wildcard"] is True and n["considered"] == "issuewild", n
    assert n["method"] == "dns-01", n["method"]
    assert n["dns01"]["status"] == "NXDOMAIN" and n["dns01"]["ok"], \
        n["dns01"]


def j_acme_cname(doc):
    n = doc["names"][0]
    assert n["verdict"] == "ok", n
    d = n["dns01"]
    assert d["ok"] and d["status"] == "NOERROR", d
    assert d["canonical"].rstrip(".") == \
        "_acme-challenge.validation.caatest", d


ACME_SF_FIX = SF_FIX.format(z="_acme-challenge.acme-sf.caatest",
                            h="ns-acme-sf.caatest", p="acme-sf.caatest")


def acme_sf_finding(name):
    z = "_acme-challenge.acme-sf.caatest"
    return [P + "%s: a nameserver of %s is at fault (below): the CA can fail "
            "or decide differently depending on the server it reaches"
            % (name, z),
            P + "%s: nameserver ns-acme-sf.caatest (127.53.4.4) fails the "
            "zone %s: SOA query answered SERVFAIL" % (z, z),
            FIX + ACME_SF_FIX]


def j_acme_sf(doc):
    n = doc["names"][0]
    assert n["caa"] == "allowed" and n["verdict"] == "dns-failure", n
    assert n["dns01"]["status"] == "SERVFAIL", n["dns01"]
    assert n["dns01"]["severity"] == "error", n["dns01"]


def t_probe_trace(lines):
    probes = sorted(l for l in lines if " probe " in l or
                    l.startswith(P + "probe "))
    # The delegation, asked of the TLD's server: a referral, not aa.
    want = [r"%sprobe NS ok\.caatest @ ns-tld\.caatest \(127\.53\.1\.1\) "
            r"for caatest: NOERROR, [0-9.]+ ms" % re.escape(P)]
    for host, addr in (("ns1.caatest", "127.53.2.1"),
                       ("ns2.caatest", "127.53.2.2")):
        for ty in ("CAA", "SOA"):
            want.append(r"%sprobe %s ok\.caatest @ %s \(%s\) for "
                        r"ok\.caatest: NOERROR aa, [0-9.]+ ms" % (
                            re.escape(P), ty, re.escape(host),
                            re.escape(addr)))
    assert len(probes) == 5, probes
    for w, g in zip(sorted(want), probes):
        assert re.fullmatch(w, g), (w, g)
    # Every lookup, the CA's, those that find the servers, and (SPEC
    # 5.7) the TLD's and the root's keys for the signature horizon: 16.
    # Only the CA's and the keys are validated; the servers and their
    # addresses come from a resolver without the validator.
    queries = sorted(re.sub(r", [0-9.]+ ms$", "", l)
                     for l in lines if l.startswith(P + "query "))
    want = ["CAA ok.caatest: NOERROR, secure, 1 record",
            "CAA caatest: NOERROR, secure, 0 records",
            "SOA caatest: NOERROR, not validated, 1 record",
            "NS caatest: NOERROR, not validated, 1 record",
            "SOA ok.caatest: NOERROR, not validated, 1 record",
            "NS ok.caatest: NOERROR, not validated, 2 records",
            "DNSKEY ok.caatest: NOERROR, secure, 2 records",
            "DNSKEY caatest: NOERROR, secure, 2 records",
            "DS caatest: NOERROR, secure, 1 record",
            "DNSKEY .: NOERROR, secure, 2 records"]
    for host in ("ns-tld", "ns1", "ns2"):
        want += ["A %s.caatest: NOERROR, not validated, 1 record" % host,
                 "AAAA %s.caatest: NOERROR, not validated, 0 records" %
                 host]
    assert queries == sorted(P + "query " + w for w in want), queries
    total = [l for l in lines if "direct queries in" in l]
    assert len(total) == 1 and re.fullmatch(
        re.escape(P) + r"16 lookups and 5 direct queries in [0-9.]+ ms",
        total[0]), total


def j_shared(doc):
    # CAA: ok, caatest, child.ok, www.ok; TXT: _acme-challenge.ok.
    assert doc["lookups"] == 5, doc["lookups"]


def ns_fault(zone, name=None):
    return [P + "%s: a nameserver of %s is at fault (below): the CA can fail "
            "or decide differently depending on the server it reaches"
            % (name or zone, zone)]


ZONE_FIX_DEADLINE = "raise timeout so that every server can be asked"
# libunbound asks drop257's two servers in an order of its own; when it
# keeps choosing the one that drops CAA, backing off each time, its own
# lookup took over 10 s once under valgrind on a loaded machine.  The
# scenarios are about the server, not the deadline: give it room.
DROP257_TIMEOUT = ["--timeout", "20"]
DEAD_TIMEOUT = [
    P + "www.dead.caatest: DNS problem: query timed out looking up CAA for "
    "www.dead.caatest (no answer within the 3 s deadline)",
    FIX + "make sure every nameserver of www.dead.caatest answers CAA "
    "queries (type 257); if the network is slow, raise timeout"]
DEAD_FIX = ("repair ns-dead.caatest or remove it from the NS records of "
            "dead.caatest, both at the parent caatest and in the zone")
# Naming a silent server takes about 5 s of a run: a second before the
# resolver's lookup counts as late, then 4 s of direct queries.  Under
# valgrind or a sanitizer everything is several times slower, and one
# such run on a loaded machine took 19 s against an 8 s deadline: those
# runs get a longer one.  The plain build is held to 8 s.
DEAD_NAMED_S = 16 if (os.environ.get("CAA_PREFLIGHT_WRAP") or
                      os.environ.get("CAA_PREFLIGHT_SANITIZED")) else 8
# SPEC 5.6: libunbound itself failing a lookup (memory, its pipes) is
# this machine's failure, not the domain's: the name is not checked.
UBFAIL = os.path.join(HERE, "ubfail.so")
LOCAL_FIX = ("a failure of this machine, not of DNS: check its free memory "
             "and its limit on open files (ulimit -n), then run again")


def ubfail(name, qtype=257):
    return {"LD_PRELOAD": UBFAIL, "CAA_TEST_UBFAIL": "%s %d" % (name, qtype)}


def j_local(doc):
    n = doc["names"][0]
    assert n["verdict"] == "not-checked", n["verdict"]
    assert n["levels"][0]["status"] == "error", n["levels"][0]
    assert n["levels"][1]["status"] == "NOERROR", n["levels"][1]
    assert doc["exit"] == 3, doc["exit"]


def j_incomplete(doc):
    n = doc["names"][0]
    assert n["verdict"] == "ok" and n["nameservers_incomplete"] is True, n
    assert not n["nameservers_failed"], n


def j_finding(zone, severity, server, address, prefix, failed=None):
    if failed is None:
        failed = server is not None

    def check(doc):
        zs = [z for z in doc["nameservers"] if z["zone"] == zone]
        assert len(zs) == 1, [z["zone"] for z in doc["nameservers"]]
        fs = [f for f in zs[0]["findings"] if f["severity"] == severity and
              f["server"] == server and f["address"] == address and
              f["message"].startswith(prefix)]
        assert len(fs) == 1, zs[0]["findings"]
        # A server at fault is flagged whatever the severity setting.
        assert doc["names"][0]["nameservers_failed"] == failed, \
            doc["names"][0]
        if server is not None:
            assert address in [s["address"] for s in zs[0]["servers"]], zs
    return check


def one_of(*alternatives):
    """The report is exactly one of these (each a list of lines)."""
    def check(lines):
        assert any(len(a) == len(lines) and all(
            match(w, g) for w, g in zip(a, lines)) for a in alternatives), \
            "none of %d alternatives" % len(alternatives)
    return check


def j_escaped(field, want):
    def check(doc):
        recs = doc["names"][0]["records"]
        assert len(recs) == 1 and recs[0][field] == want, recs
    return check


def j_healthy(doc):
    z = doc["nameservers"][0]
    assert len(doc["nameservers"]) == 1 and z["zone"] == "healthy.caatest", z
    assert z["findings"] == [], z["findings"]
    assert z["delegation"] == z["apex"] == \
        ["ns-knot.caatest", "ns1.caatest", "ns2.caatest"], z
    assert sorted(s["address"] for s in z["servers"]) == \
        ["127.53.2.1", "127.53.2.2", "127.53.3.1"], z["servers"]
    for s in z["servers"]:
        assert s["soa"]["status"] == "NOERROR" and s["soa"]["aa"], s
        assert s["queries"][0]["records"] == \
            ['CAA 0 issue "letsencrypt.org"'], s


def j_off(doc):
    assert doc["nameservers"] is None and doc["direct_queries"] == 0, doc


# More lookups than the resolver is handed at once (512): the last name,
# queued behind the others, must still get its own verdict.
MANY = ["n%d.ok.caatest" % i for i in range(600)] + ["other.caatest"]


def j_many(doc):
    j_off(doc)
    # Each name, ok.caatest, other.caatest and caatest: asked once each.
    assert doc["lookups"] == 603, doc["lookups"]
    v = [n["verdict"] for n in doc["names"]]
    assert v == ["ok"] * 600 + ["refused"], v


# Two validating contexts x 1,024 ports + 128, nameserver check off
# (checkfd.c): the descriptors the full window needs.
FULL_FDS = 2 * 1024 + 128


def j_nofile(doc):
    # Each name, ok.caatest, other.caatest and caatest: asked once each;
    # every server of the three zones asked for each of their names.
    assert doc["lookups"] >= 603, doc["lookups"]
    assert doc["direct_queries"] >= 2 * 601, doc["direct_queries"]
    v = [n["verdict"] for n in doc["names"]]
    assert v == ["ok"] * 600 + ["refused"], v


# More names in a dead zone than lookups in flight at once (512), and a
# 7 s deadline.  caatest, ok.caatest, dead.caatest and late.caatest go
# first (the shallowest).  caatest and ok.caatest are answered at once
# and their places go to two more names; late.caatest is answered after
# about 4.3 s (over 5 s on a loaded machine), past half the run, and
# its place goes to one name asked less than 3.5 s before the deadline.
# 604 - 512 - 3 = 89 lookups are never sent.  The 510 names
# asked from the start wait for servers that never answer: timed out,
# as the CA's lookup would.  The one asked late and the 89 never asked
# are not checked (exit 3), and the run says to raise the deadline.
CUT = ["n%d.dead.caatest" % i for i in range(600)] + ["ok.caatest",
                                                      "late.caatest"]
CUT_TIMEOUT = (P + "{0}: DNS problem: query timed out looking up CAA for "
               "{0} (no answer within the 7 s deadline)",
               FIX + "make sure every nameserver of {0} answers CAA queries "
               "(type 257); if the network is slow, raise timeout")
CUT_FIX = FIX + "raise timeout so that the whole run fits in it, or " \
    "check fewer names per run"
CUT_NOTSENT = P + "{0}: not checked: the run's 7 s deadline passed " \
    "before CAA for {0} was looked up"
CUT_LATE = re.escape(P) + (
    r"(n\d+\.dead\.caatest): not checked: CAA for \1 was asked only "
    r"(\d+\.\d) s before the run's 7 s deadline passed")


def cut_report(got):
    body, tail = got[:-3], got[-3:]
    assert len(body) == 2 * 600, len(body)
    timed = notsent = late = 0
    for line, fix in (body[i:i + 2] for i in range(0, len(body), 2)):
        m = re.match(re.escape(P) + r"(n\d+\.dead\.caatest): ", line)
        assert m, line
        name = m.group(1)
        if [line, fix] == [x.format(name) for x in CUT_TIMEOUT]:
            timed += 1
        elif [line, fix] == [CUT_NOTSENT.format(name), CUT_FIX]:
            notsent += 1
        elif re.fullmatch(CUT_LATE, line) and fix == CUT_FIX:
            # Not checked because it had less than half of the run.
            assert float(re.fullmatch(CUT_LATE, line).group(2)) < 3.5, \
                line
            late += 1
        else:
            raise AssertionError((line, fix))
    # Whether one of the lookups sent when a place came free is sent
    # late (after half the run) depends on how soon the answers that
    # free the places come; every one is timed out, not sent, or late.
    assert notsent == 89 and late in (0, 1) and timed + late == 511, \
        (timed, notsent, late)
    assert tail == [
        P + "the run's 7 s deadline passed before %d names could be "
        "checked (89 lookups not yet sent)" % (89 + late), CUT_FIX,
        summary(602, ok=2, fail=timed, cut=89 + late)], tail


def j_cut(doc):
    # The run itself (without valgrind's start and exit) ends on time.
    assert doc["elapsed_ms"] < 7500, doc["elapsed_ms"]
    assert doc["lookups_not_sent"] == 89, doc["lookups_not_sent"]
    assert doc["lookups"] == 604 - 89, doc["lookups"]
    got = {}
    for n in doc["names"]:
        st = n["levels"][0]["status"]
        key = (n["verdict"], n["caa"], st)
        got[key] = got.get(key, 0) + 1
        if st == "not-sent" or n["verdict"] == "not-checked":
            assert n["reason"].startswith("not checked: "), n
            assert n["fix"] == CUT_FIX[len(FIX):], n
        if n["verdict"] == "not-checked" and st == "timeout":
            assert n["levels"][0]["ms"] < 3500, n
    late = got.pop(("not-checked", "not-checked", "timeout"), 0)
    assert late in (0, 1), got
    assert got == {("ok", "allowed", "NOERROR"): 2,
                   ("dns-failure", "dns-failure", "timeout"): 511 - late,
                   ("not-checked", "not-checked", "not-sent"): 89}, got


# The outcomes of "TCP holds the connection open": the lookup timed out;
# the deadline cut the check of the zone's servers short (before the
# direct queries were answered, or, on a slow machine, before the
# servers or the zone were found).
TCPHOLD_TIMEOUT = [
    P + "tcphold.caatest: DNS problem: query timed out looking up CAA for "
    "tcphold.caatest (no answer within the 10 s deadline)",
    FIX + "make sure every nameserver of tcphold.caatest answers CAA "
    "queries (type 257); if the network is slow, raise timeout"]
TCPHOLD_CUT = [
    "re:" + re.escape(P + "tcphold.caatest: warning: the run's deadline "
                      "passed before ") +
    r"([0-9]+ direct queries were answered|the addresses of "
    r"[a-z0-9., -]+ were found|the (servers|zone) of tcphold\.caatest "
    r"(were|was) found)" +
    re.escape(": the nameserver check of tcphold.caatest is incomplete"),
    FIX + "raise timeout so that every server can be asked"]


SCENARIOS = [
    S("allowed by issue letsencrypt.org", ["ok.caatest"], 0,
      [summary(1, ok=1)], check=j_allowed_at("ok.caatest", 1)),
    S("no CAA anywhere", ["www.none.caatest"], 0, [summary(1, ok=1)],
      check=j_no_caa),
    S("refused by another CA's issuer", ["other.caatest"], 1,
      refused_other("other.caatest", "other.caatest") +
      [summary(1, refused=1)]),
    S('issue ";"', ["deny.caatest"], 1,
      forbids("deny.caatest", "deny.caatest") + [summary(1, refused=1)]),
    S("mixed-case tag, allowing", ["mixed.caatest"], 0, [summary(1, ok=1)]),
    S("mixed-case tag, refusing", ["other.mixed.caatest"], 1,
      refused_other("other.mixed.caatest", "other.mixed.caatest") +
      [summary(1, refused=1)]),
    S("1,001 CAA records (TCP)", ["big.caatest"], 0, [summary(1, ok=1)],
      check=j_allowed_at("big.caatest", 1001)),
    S("unknown critical tag, flags 128", ["crit.caatest"], 1, [
        P + 'crit.caatest: CAA at crit.caatest has tag "tbs" marked critical '
        '(flags 128), which the CA does not know, so it must refuse',
        FIX + 'remove the record or clear its flags: crit.caatest. CAA 0 '
        'tbs "unknown"', summary(1, refused=1)]),
    S("unknown critical tag, flags 130", ["c130.crit.caatest"], 1, [
        P + 'c130.crit.caatest: CAA at c130.crit.caatest has tag "tbs" '
        'marked critical (flags 130), which the CA does not know, so it '
        'must refuse',
        FIX + 'remove the record or clear its flags: c130.crit.caatest. '
        'CAA 0 tbs "unknown"', summary(1, refused=1)]),
    S("climb one label to a denying parent", ["x.deny.caatest"], 1,
      forbids("x.deny.caatest", "deny.caatest") + [summary(1, refused=1)]),
    S("climb two labels to a denying parent", ["a.b.deny.caatest"], 1,
      forbids("a.b.deny.caatest", "deny.caatest") +
      [summary(1, refused=1)]),
    S("a permissive parent does not override a denying child",
      ["child.ok.caatest"], 1,
      refused_other("child.ok.caatest", "child.ok.caatest") +
      [summary(1, refused=1)]),
    S("*.name governed by issue", ["*.other.caatest"], 1,
      refused_other("*.other.caatest", "other.caatest") +
      [summary(1, refused=1)]),
    S("*.name governed by issuewild", ["*.wild.caatest"], 1,
      refused_other("*.wild.caatest", "wild.caatest", tag="issuewild") +
      [summary(1, refused=1)], check=j_wild),
    S("the same zone's plain name uses issue", ["wild.caatest"], 0,
      [summary(1, ok=1)]),
    S("CNAME into a denying zone", ["www.cname.caatest"], 1,
      refused_other("www.cname.caatest", "www.cname.caatest",
                    alias="other.caatest") +
      [summary(1, refused=1)], check=j_cname),
    S("CNAME chain into a denying zone", ["chain.cname.caatest"], 1,
      refused_other("chain.cname.caatest", "chain.cname.caatest",
                    alias="other.caatest") +
      [summary(1, refused=1)]),
    S("a name under a CNAME'd parent", ["sub.www.cname.caatest"], 1,
      refused_other("sub.www.cname.caatest", "www.cname.caatest",
                    alias="other.caatest") +
      [summary(1, refused=1)]),
    S("DNAME into a denying name", ["deny.d.dname.caatest"], 1,
      forbids("deny.d.dname.caatest", "deny.d.dname.caatest",
              alias="deny.other.caatest") +
      [summary(1, refused=1)]),
    S("CNAME to a permissive name under a denying parent",
      ["perm.cname.caatest"], 0, [summary(1, ok=1)]),
    # SPEC 5.7: signatures valid today, expiring in two days: warnings
    # naming the zone, the record and the time; never a block.
    S("signatures that expire within checks.signature_days", ["soon.caatest"],
      0, soon_lines("soon.caatest", ["DNSKEY", "CAA"]) + [summary(1, ok=1)],
      check=j_soon),
    S("expiring signatures: -q says nothing", ["soon.caatest"], 0, [],
      args=["-q"]),
    # The parent's signature over the zone's DS, from its referral.
    S("a DS whose parent's signature expires soon", ["sub.dsoon.caatest"], 0,
      soon_lines("dsoon.caatest", ["DNSKEY", "CAA",
                                   ("sub.dsoon.caatest", "DS")]) +
      [summary(1, ok=1)]),
    # Every signature the decision rests on, up to the root's keys.
    S("the signature horizon reaches up the chain to the root",
      ["ok.caatest"], 0, None, conf="horizonconf", text=t_chain,
      check=j_chain),
    # The zone's keys come from the nameserver check's own lookups.
    S("expiring signatures, nameservers: off: the CA's answers only",
      ["soon.caatest"], 0, soon_lines("soon.caatest", ["CAA"]) +
      [summary(1, ok=1)], conf="offconf"),
    S("signatures expired", ["expired.caatest"], 2,
      bogus("expired.caatest", "expired.caatest") + [summary(1, fail=1)],
      check=j_bogus),
    S("DS at the parent, zone unsigned", ["unsigned-ds.caatest"], 2,
      bogus("unsigned-ds.caatest", "unsigned-ds.caatest", NODNSKEY) +
      [summary(1, fail=1)], check=j_bogus),
    S("DS not matching the key", ["badds.caatest"], 2,
      bogus("badds.caatest", "badds.caatest", BADDS) + [summary(1, fail=1)],
      check=j_bogus),
    S("insecure zone still decides", ["insecure.caatest"], 1,
      refused_other("insecure.caatest", "insecure.caatest") +
      [summary(1, refused=1)], check=j_insecure),
    # The zone's silent server is found through the parent after a
    # second and asked; the deadline cuts those queries short (or, on a
    # slow machine, the search for the zone itself).
    S("servers never answer: the deadline holds", ["www.dead.caatest"], 2,
      [], text=one_of(DEAD_TIMEOUT + [
          P + "dead.caatest: warning: the run's deadline passed before 2 "
          "direct queries were answered: the nameserver check of "
          "dead.caatest is incomplete", FIX + ZONE_FIX_DEADLINE,
          summary(1, fail=1)], DEAD_TIMEOUT + [summary(1, fail=1)]),
      args=["--timeout", "3"], max_seconds=4.0),
    # SPEC 5.3 rev. 2: the silent server is named before the deadline,
    # found through the parent's referral while the resolver still waits.
    S("servers never answer: the silent server is named",
      ["www.dead.caatest"], 2, [
          P + "www.dead.caatest: DNS problem: query timed out looking up "
          "CAA for www.dead.caatest (no answer within the %d s deadline)"
          % DEAD_NAMED_S,
          FIX + DEAD_FIX] + ns_fault("dead.caatest", "www.dead.caatest") + [
          P + "dead.caatest: nameserver ns-dead.caatest (127.53.4.1) does "
          "not answer at all (SOA and CAA queries: no answer)",
          FIX + DEAD_FIX, summary(1, fail=1)],
      args=["--timeout", str(DEAD_NAMED_S)], max_seconds=DEAD_NAMED_S + 1,
      check=j_finding("dead.caatest", "error", "ns-dead.caatest",
                      "127.53.4.1", "does not answer at all")),
    # SPEC 5.3 rev. 2: even SOA fails, so the resolver cannot find the
    # zone or its servers: the parent's referral names them, and each is
    # asked directly; the name's fix is the server's own.
    S("server answers SERVFAIL: named through the parent's referral",
      ["servfail.caatest"], 2,
      servfail("servfail.caatest", "servfail.caatest",
               fix=SF_FIX.format(z="servfail.caatest", h="ns-servfail.caatest",
                                 p="caatest")) +
      ns_fault("servfail.caatest") + [
          P + "servfail.caatest: nameserver ns-servfail.caatest "
          "(127.53.4.2) fails the zone servfail.caatest: SOA query "
          "answered SERVFAIL",
          FIX + SF_FIX.format(z="servfail.caatest", h="ns-servfail.caatest",
                              p="caatest"), summary(1, fail=1)],
      check=j_finding("servfail.caatest", "error", "ns-servfail.caatest",
                      "127.53.4.2", "fails the zone servfail.caatest")),
    S("server answers REFUSED: lame, named through the parent's referral",
      ["refused.caatest"], 2,
      servfail("refused.caatest", "refused.caatest", fix=LAME_FIX) +
      ns_fault("refused.caatest") + [
          P + "refused.caatest: nameserver ns-refused.caatest (127.53.4.3) "
          "does not serve the zone refused.caatest: SOA query answered "
          "REFUSED (lame)", FIX + LAME_FIX, summary(1, fail=1)],
      check=j_finding("refused.caatest", "error", "ns-refused.caatest",
                      "127.53.4.3", "does not serve the zone")),
    S("NXDOMAIN for the TLD", ["www.nosuchtld"], 2, [
        P + "www.nosuchtld: DNS problem: NXDOMAIN looking up CAA for "
        "nosuchtld - the top-level domain does not exist",
        FIX + "check the spelling of the name; the TLD nosuchtld is not in "
        "the root zone", summary(1, fail=1)]),
    S("nameserver reachable over IPv6 only", ["v6.caatest"], 0,
      [summary(1, ok=1)], check=j_allowed_at("v6.caatest", 1)),
    S("wildcard whose _acme-challenge SERVFAILs", ["*.acme-sf.caatest"], 2, [
        P + "*.acme-sf.caatest: dns-01: SERVFAIL looking up TXT for "
        "_acme-challenge.acme-sf.caatest; the CA cannot read the challenge",
        FIX + ACME_SF_FIX] + acme_sf_finding("*.acme-sf.caatest") +
      [summary(1, fail=1)], check=j_acme_sf),
    # SPEC 4.2: the newer methods.
    S("validationmethods=dns-account-01, checked as dns-account-01",
      ["vm.caatest"], 0, [summary(1, ok=1)],
      args=["--method", "dns-account-01", "--account-uri", ACCT],
      check=j_method("dns-account-01", "_bnxkrtp5hx67nw4s._acme-challenge."
                     "vm.caatest")),
    S("validationmethods=dns-account-01, checked as http-01",
      ["vm.caatest"], 1, [
          P + 'vm.caatest: CAA issue at vm.caatest allows "letsencrypt.org" '
          'only with validationmethods=dns-account-01, not http-01',
          FIX + 'validate with one of dns-account-01, or vm.caatest. CAA 0 '
          'issue "letsencrypt.org; validationmethods=http-01"',
          summary(1, refused=1)],
      args=["--method", "http-01"]),
    S("dns-account-01 without an account URI: not checked, said",
      ["vm.caatest"], 0, [
          P + "vm.caatest: warning: dns-account-01: the challenge's name "
          "depends on the account URI, which is not configured: its lookup "
          "was not checked (set account_uri)", summary(1, ok=1)],
      args=["--method", "dns-account-01"]),
    S("dns-account-01: the account's challenge name SERVFAILs",
      ["*.acme-sf.caatest"], 2, [
          P + "*.acme-sf.caatest: dns-account-01: SERVFAIL looking up TXT "
          "for _bnxkrtp5hx67nw4s._acme-challenge.acme-sf.caatest; the CA "
          "cannot read the challenge",
          FIX + ACME_SF_FIX] + acme_sf_finding("*.acme-sf.caatest") +
      [summary(1, fail=1)],
      args=["--method", "dns-account-01", "--account-uri", ACCT]),
    S("dns-persist-01: a good record", ["plain.persist.caatest"], 0,
      [summary(1, ok=1)], args=PERSIST,
      check=j_method("dns-persist-01",
                     "_validation-persist.plain.persist.caatest")),
    S("dns-persist-01: a good wildcard record", ["*.good.persist.caatest"],
      0, [summary(1, ok=1)], args=PERSIST),
    S("dns-persist-01: no record", ["none.persist.caatest"], 1,
      persist_refused("none", "Retrieving TXT records for DNS-PERSIST-01 "
                      "challenge: DNS problem: NXDOMAIN looking up TXT for "
                      "_validation-persist.none.persist.caatest - check "
                      "that a DNS record exists for this domain"),
      args=PERSIST),
    S("dns-persist-01: the name holds no TXT", ["empty.persist.caatest"], 1,
      persist_refused("empty", "No TXT record found for DNS-PERSIST-01 "
                      "challenge"), args=PERSIST),
    S("dns-persist-01: a record for another account",
      ["other.persist.caatest"], 1,
      persist_refused("other", 'Checking DNS-PERSIST-01 challenge TXT '
                      'record with issuer-domain-name "letsencrypt.org": '
                      'accounturi mismatch: expected "%s", got "https://'
                      'acme-v02.api.letsencrypt.org/acme/acct/999"' % ACCT),
      args=PERSIST),
    S("dns-persist-01: a wildcard without policy=wildcard",
      ["*.plain.persist.caatest"], 1,
      persist_refused("plain", 'Checking DNS-PERSIST-01 challenge TXT '
                      'record with issuer-domain-name "letsencrypt.org": '
                      'policy mismatch: expected "wildcard", got ""',
                      wild=True), args=PERSIST),
    S("dns-persist-01: persistUntil in the past", ["old.persist.caatest"], 1,
      ["re:" + re.escape(P + "old.persist.caatest: dns-persist-01: Checking "
                         "DNS-PERSIST-01 challenge TXT record with "
                         'issuer-domain-name "letsencrypt.org": validation '
                         "time ") + r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ" +
       re.escape(" is after persistUntil 2023-11-14T22:13:20Z")] +
      persist_refused("old", None), args=PERSIST),
    S("dns-persist-01: a trailing semicolon", ["semi.persist.caatest"], 1,
      persist_refused("semi", 'Parsing DNS-PERSIST-01 challenge TXT record '
                      'with issuer-domain-name "letsencrypt.org": empty '
                      'parameter or trailing semicolon provided'),
      args=PERSIST),
    S("dns-persist-01: only another CA's record", ["ca.persist.caatest"], 1,
      persist_refused("ca", "No valid TXT record found for DNS-PERSIST-01 "
                      "challenge"), args=PERSIST),
    S("delegated _acme-challenge CNAME", ["*.acme-cname.caatest"], 0,
      [summary(1, ok=1)], check=j_acme_cname),
    # SPEC 5.5: no working resolver is one message about the resolver,
    # exit 3, and no line that blames the domains.
    S("a dead forwarder: one message, no DNS problem lines",
      ["ok.caatest", "other.caatest"], 3, [
          P + "no lookup got any answer from DNS: check the network and "
          "the resolver settings (forward, root_hints, trust_anchor): 2 "
          "names not checked"], conf="deadfwdconf", args=["--timeout", "3"],
      check=j_unreachable, max_seconds=4.0),
    S("-v traces every query", ["ok.caatest"], 0, conf="offconf", lines=[
        "re:" + re.escape(P + "resolver: trust anchor ") + r"/.*/root\.ds "
        r"\(configured\)",
        P + "resolver: qname-minimisation no",
        P + "resolver: use-caps-for-id yes",
        P + "resolver: harden-below-nxdomain no",
        P + "resolver: harden-dnssec-stripped yes",
        P + "resolver: val-sig-skew-min 0",
        P + "resolver: val-sig-skew-max 0",
        P + "resolver: edns-buffer-size 1232",
        P + "resolver: ede yes",
        P + "resolver: prefetch-key yes",
        P + "resolver: outgoing-range 1024",
        "re:" + re.escape(P + "query CAA ok.caatest: NOERROR, secure, 1 "
                          "record, ") + r"[0-9.]+ ms",
        "re:" + re.escape(P + "query CAA caatest: NOERROR, secure, 0 "
                          "records, ") + r"[0-9.]+ ms",
        "re:" + re.escape(P + "2 lookups and 0 direct queries in ") +
        r"[0-9.]+ ms",
        P + "ok.caatest: ok (relevant CAA at ok.caatest)",
        summary(1, ok=1)], args=["-v"]),
    S("-v traces every direct query", ["ok.caatest"], 0, conf="conf",
      args=["-v"], lines=None, text=t_probe_trace),
    S("a level shared by names is asked once",
      ["ok.caatest", "child.ok.caatest", "*.ok.caatest", "www.ok.caatest"],
      1, refused_other("child.ok.caatest", "child.ok.caatest") +
      [summary(4, ok=3, refused=1)], check=j_shared, conf="offconf"),
    S("forwarding to a validating resolver: allowed", ["ok.caatest"], 0,
      [summary(1, ok=1)], conf="fwdconf",
      check=j_allowed_at("ok.caatest", 1)),
    S("forwarding to a validating resolver: refused", ["other.caatest"], 1,
      refused_other("other.caatest", "other.caatest") +
      [summary(1, refused=1)], conf="fwdconf"),
    S("a server that lowercases the question: a warning",
      ["lower.caatest"], 0, [
          P + "lower.caatest: warning: nameserver ns-lower.caatest "
          "(127.53.4.33) does not repeat the letter case of the question "
          "(0x20): the CA's resolver, which randomises it, retries such a "
          "server and can time out under load",
          FIX + "upgrade the DNS software on ns-lower.caatest, or the load "
          "balancer or firewall in front of it, so that answers repeat the "
          "question's name exactly", summary(1, ok=1)],
      check=j_finding("lower.caatest", "warning", "ns-lower.caatest",
                      "127.53.4.33", "does not repeat the letter case",
                      failed=False)),
    S("every server healthy, NSD and Knot: no finding", ["healthy.caatest"],
      0, [summary(1, ok=1)], check=j_healthy),
    # SPEC 5.3 rev. 2: a difference that leads the CA to the same
    # decision wherever it looks is a warning; the stale server is the
    # one with the older serial.
    S("two servers serve different zone versions that both allow",
      ["split.caatest"], 0, [
          P + 'split.caatest: warning: nameserver ns-a.caatest (127.53.5.1) '
          'answers CAA for split.caatest differently: ns-a.caatest '
          '(127.53.5.1) has CAA 0 issue "letsencrypt.org"; ns-b.caatest '
          '(127.53.5.2) has CAA 0 iodef "mailto:caa@split.caatest"; CAA 0 '
          'issue "letsencrypt.org"; the CA decides the same with either',
          FIX + STALE.format(zone="split.caatest"), summary(1, ok=1)],
      check=j_finding("split.caatest", "warning", "ns-a.caatest",
                      "127.53.5.1", "answers CAA for split.caatest "
                      "differently", failed=False)),
    S("two servers serve versions that decide differently",
      ["splitdeny.caatest"], 2, [], text=splitdeny_report,
      check=j_finding("splitdeny.caatest", "error", "ns-a.caatest",
                      "127.53.5.1", "answers CAA for splitdeny.caatest "
                      "differently")),
    S("one serial, different data: changed without a serial increase",
      ["sameserial.caatest"], 0, [
          P + 'sameserial.caatest: warning: nameserver ns-b.caatest '
          '(127.53.5.2, NSID "%s") answers CAA for sameserial.caatest '
          'differently: ' % NSID_B +
          'ns-a.caatest (127.53.5.1) has CAA 0 issue "letsencrypt.org"; '
          'ns-b.caatest (127.53.5.2) has CAA 0 iodef '
          '"mailto:caa@sameserial.caatest"; CAA 0 issue "letsencrypt.org"; '
          'the CA decides the same with either',
          FIX + "the zone sameserial.caatest was changed without increasing "
          "its SOA serial (2026112901 on both servers): increase the serial "
          "on the primary so that every server loads the change",
          summary(1, ok=1)]),
    S("two servers serve different versions of a long record set",
      ["bigsplit.caatest"], 0, [
          P + "bigsplit.caatest: warning: nameserver ns-a.caatest "
          "(127.53.5.1) answers CAA for bigsplit.caatest differently: "
          "ns-a.caatest (127.53.5.1) has %s; ns-b.caatest (127.53.5.2) has "
          "%s; the CA decides the same with either" % (
              shown_rrset([r[2:] for r in BIG_SPLIT]),
              shown_rrset([r[2:] for r in BIG_SPLIT] + [
                  'CAA 0 iodef "mailto:caa@bigsplit.caatest"'])),
          FIX + STALE.format(zone="bigsplit.caatest"),
          summary(1, ok=1)],
      check=j_finding("bigsplit.caatest", "warning", "ns-a.caatest",
                      "127.53.5.1", "answers CAA for bigsplit.caatest "
                      "differently", failed=False)),
    S("SOA serials differ, answers agree: a warning", ["serial.caatest"], 0, [
        P + "serial.caatest: warning: SOA serials differ between servers "
        "while their answers agree: ns-a.caatest (127.53.5.1) 2026112901, "
        "ns-b.caatest (127.53.5.2) 2026112902",
        FIX + "let the zone transfers catch up, or check that every server "
        "gets NOTIFY from the primary", summary(1, ok=1)],
      check=j_finding("serial.caatest", "warning", None, None,
                      "SOA serials differ")),
    S("a secondary serves expired signatures", ["stale.caatest"], 2,
      ns_fault("stale.caatest") + [
          P + 'stale.caatest: nameserver ns-b.caatest (127.53.5.2, NSID '
          '"%s") serves ' % NSID_B +
          "CAA for stale.caatest with bad DNSSEC signatures: DNSSEC "
          "signature has expired (stale.caatest. CAA)",
          FIX + "re-sign stale.caatest and make sure ns-b.caatest serves "
          "the fresh copy (zone transfer from the signer, or its own "
          "signing)", summary(1, fail=1)],
      check=j_finding("stale.caatest", "error", "ns-b.caatest", "127.53.5.2",
                      "serves CAA for stale.caatest with bad DNSSEC")),
    S("one server's signatures expire days before the others'",
      ["resign.caatest"], 0, [], text=resign_report,
      check=j_finding("resign.caatest", "warning", "ns-b.caatest",
                      "127.53.5.2", "serves signatures that expire at ",
                      failed=False)),
    S("the parent lists a server without the zone (lame)",
      ["lame.caatest"], 2, ns_fault("lame.caatest") + [
          P + "lame.caatest: nameserver ns-knot.caatest (127.53.3.1, NSID "
          "\"knot-knot\") does "
          "not serve the zone lame.caatest: SOA query answered REFUSED "
          "(lame)",
          FIX + "load the zone lame.caatest on ns-knot.caatest, or remove "
          "ns-knot.caatest from its NS records at the parent caatest and in "
          "the zone",
          P + "lame.caatest: warning: the parent caatest lists "
          "ns-knot.caatest as a nameserver of lame.caatest, but the zone's "
          "own NS set does not",
          FIX + "at the parent caatest (your registrar), publish the zone's "
          "own NS set: lame.caatest. NS ns1.caatest. / lame.caatest. NS "
          "ns2.caatest.", summary(1, fail=1)],
      check=j_finding("lame.caatest", "error", "ns-knot.caatest",
                      "127.53.3.1", "does not serve the zone")),
    # The CA's lookup is answered by the two servers it can reach; the
    # third's address is in a zone that never answers, so the deadline
    # comes first.  Not a verdict, but not a silent pass either.
    S("a server's address is not found before the deadline",
      ["deadaddr.caatest"], 0, [
          P + "deadaddr.caatest: warning: the run's deadline passed before "
          "the addresses of ns.dead.caatest, %s were found: the nameserver "
          "check of deadaddr.caatest is incomplete" % ", ".join(
              "%s.dead.caatest" % h for h in LONG_DEAD),
          FIX + "raise timeout so that every server can be asked",
          summary(1, ok=1)], args=["--timeout", "3"], max_seconds=4.0,
      check=j_finding("deadaddr.caatest", "warning", None, None,
                      "the run's deadline passed before the addresses")),
    # An unsigned CAA answer does not tell the zone: its SOA is asked,
    # and this server drops SOA queries.  The parent's referral names the
    # zone and its server, whose SOA the deadline then cuts short.
    S("a name's zone is found through the parent when its SOA is dropped",
      ["deadsoa.caatest"], 0, [
          P + "deadsoa.caatest: warning: the run's deadline passed before "
          "1 direct queries were answered: the nameserver check of "
          "deadsoa.caatest is incomplete",
          FIX + "raise timeout so that every server can be asked",
          summary(1, ok=1)], args=["--timeout", "3"], max_seconds=4.0,
      check=j_finding("deadsoa.caatest", "warning", None, None,
                      "the run's deadline passed before 1 direct")),
    S("a listed server where nothing listens", ["deadns.caatest"], 2,
      ns_fault("deadns.caatest") + [
          P + "deadns.caatest: nameserver ns-nothing.caatest (127.53.9.9) "
          "does not answer at all (SOA and CAA queries: Connection refused)",
          FIX + "repair ns-nothing.caatest or remove it from the NS records "
          "of deadns.caatest, both at the parent caatest and in the zone",
          summary(1, fail=1)],
      check=j_finding("deadns.caatest", "error", "ns-nothing.caatest",
                      "127.53.9.9", "does not answer at all")),
    S("parent and zone NS sets differ, all healthy: a warning",
      ["nsdiff.caatest"], 0, [
          P + "nsdiff.caatest: warning: the zone lists ns2.caatest as a "
          "nameserver of nsdiff.caatest, but the parent caatest does not",
          FIX + "at the parent caatest (your registrar), publish the zone's "
          "own NS set: nsdiff.caatest. NS ns1.caatest. / nsdiff.caatest. NS "
          "ns2.caatest.", summary(1, ok=1)],
      check=j_finding("nsdiff.caatest", "warning", None, None,
                      "the zone lists ns2.caatest")),
    S("a zone NS set too long for a fixed line: the fix names it whole",
      ["nslong.caatest"], 0, [
          P + "nslong.caatest: warning: the zone lists %s.caatest as a "
          "nameserver of nslong.caatest, but the parent caatest does not"
          % LONG_NS[-1],
          FIX + "at the parent caatest (your registrar), publish the zone's "
          "own NS set: " + " / ".join("nslong.caatest. NS %s.caatest." % h
                                      for h in LONG_NS),
          summary(1, ok=1)],
      check=j_finding("nslong.caatest", "warning", None, None,
                      "the zone lists %s.caatest" % LONG_NS[-1])),
    S("answers SOA but drops CAA", ["drop257.caatest"], 2,
      ns_fault("drop257.caatest") + [
          P + "drop257.caatest: nameserver ns-drop257.caatest (127.53.4.10) "
          "answers SOA but not CAA for drop257.caatest (no answer in time): "
          "its DNS software or a middlebox drops type 257",
          FIX + "upgrade the DNS software on ns-drop257.caatest, or the "
          "firewall or load balancer in front of it, so that it answers CAA "
          "queries (type 257); or move the zone to another DNS provider",
          summary(1, fail=1)],
      args=DROP257_TIMEOUT,
      check=j_finding("drop257.caatest", "error", "ns-drop257.caatest",
                      "127.53.4.10", "answers SOA but not CAA")),
    S("drops CAA, with nameservers: warn", ["drop257.caatest"], 0, [
        P + "drop257.caatest: warning: nameserver ns-drop257.caatest "
        "(127.53.4.10) answers SOA but not CAA for drop257.caatest (no "
        "answer in time): its DNS software or a middlebox drops type 257",
        FIX + "upgrade the DNS software on ns-drop257.caatest, or the "
        "firewall or load balancer in front of it, so that it answers CAA "
        "queries (type 257); or move the zone to another DNS provider",
        summary(1, ok=1)], conf="warnconf", args=DROP257_TIMEOUT,
      check=j_finding("drop257.caatest", "warning", "ns-drop257.caatest",
                      "127.53.4.10", "answers SOA but not CAA")),
] + [
    S("%s for CAA only" % rc, ["%s.caatest" % z], 2,
      ns_fault("%s.caatest" % z) + [
          P + "%s.caatest: nameserver ns-%s.caatest (127.53.4.%d) answers "
          "CAA for %s.caatest with %s" % (z, z, n, z, rc),
          FIX + "ns-%s.caatest must answer CAA queries with NOERROR (an "
          "empty answer when there are none) or NXDOMAIN: upgrade its DNS "
          "software or fix its configuration" % z, summary(1, fail=1)],
      check=j_finding("%s.caatest" % z, "error", "ns-%s.caatest" % z,
                      "127.53.4.%d" % n, "answers CAA for %s.caatest with %s"
                      % (z, rc)))
    for z, n, rc in (("sf257", 11, "SERVFAIL"), ("notimp", 12, "NOTIMP"),
                     ("formerr", 13, "FORMERR"), ("ref257", 14, "REFUSED"))
] + [
    S("answers without AA", ["noaa.caatest"], 2, ns_fault("noaa.caatest") + [
        P + "noaa.caatest: nameserver ns-noaa.caatest (127.53.4.15) answers "
        "for noaa.caatest without the AA bit: not authoritative (lame)",
        FIX + "load the zone noaa.caatest on ns-noaa.caatest, or remove "
        "ns-noaa.caatest from its NS records at the parent caatest and in "
        "the zone", summary(1, fail=1)],
      check=j_finding("noaa.caatest", "error", "ns-noaa.caatest",
                      "127.53.4.15", "answers for noaa.caatest without")),
    S("NODATA without SOA", ["nosoa.caatest"], 2, ns_fault("nosoa.caatest") + [
        P + "nosoa.caatest: nameserver ns-nosoa.caatest (127.53.4.16) "
        "answers CAA for nosoa.caatest with NODATA but no SOA in the "
        "authority section",
        FIX + "ns-nosoa.caatest must put the zone's SOA record in the "
        "authority section of negative answers (RFC 2308 §2.2): upgrade its "
        "DNS software", summary(1, fail=1)],
      check=j_finding("nosoa.caatest", "error", "ns-nosoa.caatest",
                      "127.53.4.16", "answers CAA for nosoa.caatest with "
                      "NODATA")),
    S("truncated over UDP, TCP closed", ["tc.caatest"], 2,
      ns_fault("tc.caatest") + [
          P + "tc.caatest: nameserver ns-tc.caatest (127.53.4.17) truncates "
          "the CAA answer for tc.caatest over UDP and fails over TCP "
          "(Connection refused)",
          FIX + "make DNS over TCP (port 53) work on ns-tc.caatest: answers "
          "too large for UDP need it", summary(1, fail=1)],
      check=j_finding("tc.caatest", "error", "ns-tc.caatest", "127.53.4.17",
                      "truncates the CAA answer")),
    # Slow is not silent: the server is named with the time it took.
    S("a server that answers after 3 s: slow, with its time",
      ["slow.caatest"], 2, ns_fault("slow.caatest") + [
          "re:" + re.escape(P + "slow.caatest: nameserver ns-slow.caatest "
                            "(127.53.4.18) answers only after ") +
          r"3\.\d s \((SOA|CAA) query for slow\.caatest\): the CA's "
          r"resolver gives up on it sooner",
          FIX + "find out why ns-slow.caatest answers so late (overload, "
          "rate limiting, a slow backend, a lossy path) and repair it, or "
          "remove it from the NS records of slow.caatest",
          summary(1, fail=1)],
      check=j_finding("slow.caatest", "error", "ns-slow.caatest",
                      "127.53.4.18", "answers only after 3.")),
    # SPEC 2 rev. 2: a hook's certificate says what was assumed for it;
    # outside its folder acme.sh's hook has only the configuration's CA.
    S("acme.sh pre-hook environment, wildcard in Le_Alt", [], 0,
      [cert_line("ok.caatest", "ok", 0, 3, directory=None),
       summary(3, ok=3)], env={"Le_Domain": "ok.caatest",
                               "Le_Alt": "*.ok.caatest,www.ok.caatest"}),
    S("acme.sh pre-hook environment, empty Le_Alt", [], 1,
      refused_other("other.caatest", "other.caatest") +
      [cert_line("other.caatest", "refused", 1, 1, directory=None),
       summary(1, refused=1)], env={"Le_Domain": "other.caatest",
                                    "Le_Alt": ""}),
    S("acme.sh: a name in both Le_Domain and Le_Alt is checked once", [], 0,
      [cert_line("ok.caatest", "ok", 0, 1, directory=None),
       summary(1, ok=1)], env={"Le_Domain": "ok.caatest",
                               "Le_Alt": "ok.caatest"}),
    S("lego v5 pre-hook environment", [], 1,
      refused_other("*.wild.caatest", "wild.caatest", tag="issuewild") +
      [cert_line("ok.caatest", "refused", 1, 2, directory=None),
       summary(2, ok=1, refused=1)],
      env={"LEGO_HOOK_CERT_DOMAINS": "ok.caatest,*.wild.caatest"}),
    # lego v5 exports its account's server: ZeroSSL's CA may issue.
    S("lego v5 pre-hook environment, the account's server", [], 0,
      [cert_line("other", "ok", 0, 1, issuer="sectigo.com",
                 directory=ZEROSSL_DIR), summary(1, ok=1)],
      env={"LEGO_HOOK_CERT_DOMAINS": "other.caatest",
           "LEGO_HOOK_CERT_NAME": "other",
           "LEGO_HOOK_ACCOUNT_SERVER": ZEROSSL_DIR}),
    # ... and a server caa-preflight does not know is not checked: the
    # hook lets the order go on, loudly.
    S("lego v5 pre-hook environment, a CA not known", [], 0,
      [P + "certificate other.caatest: not checked: its ACME directory "
       "https://ca.example.net/dir is not a known CA; add it to the "
       'configuration as directories: {"https://ca.example.net/dir": '
       "<the CA's CAA issuer domain>}",
       P + "1 certificate not checked: on_unknown: allow lets the order go "
       "on",
       FIX + "set on_unknown: block to stop an order that could not be "
       "checked",
       summary(0)],
      env={"LEGO_HOOK_CERT_DOMAINS": "other.caatest",
           "LEGO_HOOK_ACCOUNT_SERVER": "https://ca.example.net/dir"}),
    # Hostile answers: never a crash, never past the deadline, never a
    # false "ok".
    S("CAA tag length runs past the record", ["malformed.caatest"], 2, [
        P + "malformed.caatest: DNS problem: malformed CAA record for "
        "malformed.caatest (CAA tag length runs past the end of the record), "
        "so the CA rejects the whole answer",
        FIX + "delete and re-create the CAA records of malformed.caatest; "
        "the nameserver sends one corrupt"] + ns_fault("malformed.caatest") + [
        P + "malformed.caatest: nameserver ns-malformed.caatest "
        "(127.53.4.20) does not answer CAA for malformed.caatest (malformed "
        "answer: answer section incomplete)",
        FIX + "repair ns-malformed.caatest or remove it from the NS records "
        "of malformed.caatest", summary(1, fail=1)], max_seconds=11),
    S("zero-length tag, critical", ["zerotag.caatest"], 1, [
        P + 'zerotag.caatest: CAA at zerotag.caatest has tag "" marked '
        'critical (flags 128), which the CA does not know, so it must refuse',
        FIX + "remove the record from zerotag.caatest: it has no tag",
        summary(1, refused=1)], max_seconds=11),
    S("tag with non-ASCII bytes", ["nonascii.caatest"], 1, [
        P + 'nonascii.caatest: CAA at nonascii.caatest has tag '
        '"iss\\195\\188" marked critical (flags 128), which the CA does not '
        'know, so it must refuse',
        FIX + 'remove the record or clear its flags: nonascii.caatest. CAA '
        '0 iss\\195\\188 "x"', summary(1, refused=1)],
      check=j_escaped("tag", "iss\u00c3\u00bc"), max_seconds=11),
    S("value with a NUL byte", ["nul.caatest"], 1, [
        P + 'nul.caatest: CAA issue at nul.caatest allows only '
        '"lets\\000encrypt.org", not "letsencrypt.org"',
        FIX + 'nul.caatest. CAA 0 issue "letsencrypt.org"',
        summary(1, refused=1)],
      check=j_escaped("value", "lets\u0000encrypt.org"), max_seconds=11),
    S("control characters never reach the terminal", ["ctl.caatest"], 1, [
        P + 'ctl.caatest: CAA issue at ctl.caatest allows only '
        '"a\\027[2Jb.example", not "letsencrypt.org"',
        FIX + 'ctl.caatest. CAA 0 issue "letsencrypt.org"',
        summary(1, refused=1)], max_seconds=11),
    # With the CA's resolver settings (no QNAME minimisation) Unbound
    # gives up on the chain (too many restarts) and answers SERVFAIL:
    # the CA fails the order, and so does the prediction.
    S("a CNAME chain of 20", ["c1.cname20.caatest"], 2,
      servfail("c1.cname20.caatest", "c1.cname20.caatest") +
      [summary(1, fail=1)], max_seconds=11),
    # Its zone's servers answer with the loop itself: the fix says so.
    S("a CNAME loop", ["a.loop.caatest"], 2,
      servfail("a.loop.caatest", "a.loop.caatest",
               fix="a.loop.caatest is a CNAME that leads back to itself (a "
               "loop): the CA's resolver gives up on it; point the CNAME at "
               "a name that exists, or remove it") + [summary(1, fail=1)],
      max_seconds=11),
    S("a 64 KiB answer over TCP", ["huge.caatest"], 0, [summary(1, ok=1)],
      check=j_allowed_at("huge.caatest", 281), max_seconds=11),
] + [
    S("answers %s" % how, ["%s.caatest" % z], 2, ns_fault("%s.caatest" % z) + [
        P + "%s.caatest: nameserver ns-%s.caatest (127.53.4.%d) does not "
        "answer at all (SOA and CAA queries: no answer)" % (z, z, n),
        FIX + "repair ns-%s.caatest or remove it from the NS records of "
        "%s.caatest, both at the parent caatest and in the zone" % (z, z),
        summary(1, fail=1)], max_seconds=11,
      check=j_finding("%s.caatest" % z, "error", "ns-%s.caatest" % z,
                      "127.53.4.%d" % n, "does not answer at all"))
    for z, n, how in (("wrongid", 21, "with the wrong ID"),
                      ("wrongq", 22, "to a different question"),
                      ("otheraddr", 23, "from another address"))
] + [
    S("TCP %s" % how, ["%s.caatest" % z], 2, ns_fault("%s.caatest" % z) + [
        P + "%s.caatest: nameserver ns-%s.caatest (127.53.4.%d) truncates "
        "the CAA answer for %s.caatest over UDP and fails over TCP (%s)"
        % (z, z, n, z, err),
        FIX + "make DNS over TCP (port 53) work on ns-%s.caatest: answers "
        "too large for UDP need it" % z, summary(1, fail=1)],
      max_seconds=11)
    for z, n, how, err in (
        ("tcpgarbage", 24, "sends endless garbage", "garbage over TCP"),)
] + [
    # libunbound meets the held connection too, and how long it stays on
    # that server depends on its server selection.  Three exact outcomes,
    # all within the deadline: the probe names the server; the lookup
    # itself times out; or the lookup succeeds (through the healthy
    # server, as the CA's would) so late that the probe is cut short,
    # which is reported as an incomplete check, not as a verdict (the
    # probe of a zone starts once the name's own lookup is answered).
    S("TCP holds the connection open", ["tcphold.caatest"], None, None,
      max_seconds=11, text=one_of(
          ns_fault("tcphold.caatest") + [
              P + "tcphold.caatest: nameserver ns-tcphold.caatest "
              "(127.53.4.25) truncates the CAA answer for tcphold.caatest "
              "over UDP and fails over TCP (TCP timed out)",
              FIX + "make DNS over TCP (port 53) work on ns-tcphold.caatest: "
              "answers too large for UDP need it", summary(1, fail=1)],
          TCPHOLD_TIMEOUT + [summary(1, fail=1)],
          # The resolver timed out, and the probe found why in time:
          # the fix names the server.
          TCPHOLD_TIMEOUT[:1] + [
              FIX + "make DNS over TCP (port 53) work on ns-tcphold.caatest: "
              "answers too large for UDP need it"] +
          ns_fault("tcphold.caatest") + [
              P + "tcphold.caatest: nameserver ns-tcphold.caatest "
              "(127.53.4.25) truncates the CAA answer for tcphold.caatest "
              "over UDP and fails over TCP (TCP timed out)",
              FIX + "make DNS over TCP (port 53) work on ns-tcphold.caatest: "
              "answers too large for UDP need it", summary(1, fail=1)],
          # The zone was known but the lookups of its servers were cut.
          TCPHOLD_TIMEOUT + TCPHOLD_CUT + [summary(1, fail=1)],
          TCPHOLD_CUT + [summary(1, ok=1)])),
] + [
    S("a flood of packets that are not the answer", ["flood.caatest"], 2,
      ns_fault("flood.caatest") + [
          P + "flood.caatest: nameserver ns-flood.caatest (127.53.4.30) does "
          "not answer CAA for flood.caatest (flooded with packets that are "
          "not the answer)",
          FIX + "repair ns-flood.caatest or remove it from the NS records of "
          "flood.caatest", summary(1, fail=1)], max_seconds=11,
      check=j_finding("flood.caatest", "error", "ns-flood.caatest",
                      "127.53.4.30", "does not answer CAA for flood.caatest")),
    S("nameservers: off sends no direct query", ["ok.caatest"], 0,
      [summary(1, ok=1)], conf="offconf", check=j_off),
    S("more names than lookups in flight at once", MANY, 1,
      refused_other("other.caatest", "other.caatest") +
      [summary(601, ok=600, refused=1)], conf="offconf", check=j_many),
    # The same names, with the nameserver check, under a limit on open
    # files far below what 1,024 ports per resolver and 512 sockets need:
    # a query without a descriptor would read as SERVFAIL (exit 2).
    S("more names than descriptors: the same verdicts", MANY, 1,
      refused_other("other.caatest", "other.caatest") +
      [summary(601, ok=600, refused=1)], nofile=256, plain_only=True,
      check=j_nofile),
    # valgrind adds about 3 s to a run of 600 names (start, leak check).
    S("a run too large for its deadline", CUT, 3, [], conf="offconf",
      args=["--timeout", "7"], text=cut_report, check=j_cut,
      max_seconds=8.0, slack=5.0, full_fds=True),
    # Its leaf's lookup fails in libunbound itself; the level above, which
    # allows, cannot make it "ok" (the CA's climb stops at a failure).
    S("our own resolver fails a lookup: not checked, not a DNS failure",
      ["www.ok.caatest"], 3, [
          P + "www.ok.caatest: not checked: caa-preflight's own resolver "
          "failed looking up CAA for www.ok.caatest: out of memory",
          FIX + LOCAL_FIX,
          P + "caa-preflight's own resolver failed before 1 name could be "
          "checked", FIX + LOCAL_FIX, summary(1, cut=1)],
      env=ubfail("www.ok.caatest"), check=j_local, plain_only=True),
    # SPEC 5.6 rev. 2: from an ACME client's hook, not checked lets the
    # order go on (on_unknown: allow), loudly; never blocked as DNS.
    S("our own resolver fails a lookup in a hook: the order goes on",
      [], 0, [
          P + "www.ok.caatest: not checked: caa-preflight's own resolver "
          "failed looking up CAA for www.ok.caatest: out of memory",
          FIX + LOCAL_FIX,
          P + "certificate www.ok.caatest: not-checked, 0 of 1 name fail, "
          "1 not checked; CA letsencrypt.org, method http-01, account none",
          P + "1 certificate not checked: on_unknown: allow lets the order "
          "go on",
          FIX + "set on_unknown: block to stop an order that could not be "
          "checked",
          P + "caa-preflight's own resolver failed before 1 name could be "
          "checked", FIX + LOCAL_FIX, summary(1, cut=1)],
      env=dict(ubfail("www.ok.caatest"), Le_Domain="www.ok.caatest",
               Le_Alt=""), plain_only=True),
    S("several names, one run", ["ok.caatest", "*.wild.caatest",
                                  "expired.caatest"], 2,
      refused_other("*.wild.caatest", "wild.caatest", tag="issuewild") +
      bogus("expired.caatest", "expired.caatest") +
      [summary(3, ok=1, refused=1, fail=1)]),
]


def wrap():
    """A command prefix for every caa-preflight run (valgrind)."""
    return shlex.split(os.environ.get("CAA_PREFLIGHT_WRAP", ""))


def instrumented():
    """Runs under valgrind or a sanitizer."""
    return bool(wrap() or os.environ.get("CAA_PREFLIGHT_SANITIZED"))


def invoke(binary, u, s, fmt):
    cmd = wrap() + [binary, "-c", getattr(u, s.conf)] + s.args
    if s.nofile is not None:
        cmd = ["prlimit", "--nofile=%d:%d" % (s.nofile, s.nofile),
               "--"] + cmd
    if fmt == "json":
        cmd += ["--format", "json"]
    cmd += s.names
    env = {k: v for k, v in os.environ.items()
           if k not in ("Le_Domain", "Le_Alt", "LEGO_HOOK_CERT_DOMAINS",
                        "LEGO_HOOK_CERT_NAME", "LEGO_HOOK_ACCOUNT_SERVER")}
    env.update(s.env or {})
    t0 = time.monotonic()
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=120,
                       env=env)
    return p, time.monotonic() - t0


def match(want, got):
    if want.startswith("re:"):
        return re.fullmatch(want[3:], got) is not None
    return want == got


def run_scenario(binary, u, s):
    errors = []
    p, secs = invoke(binary, u, s, "text")
    got = p.stderr.splitlines()
    if s.status is not None and p.returncode != s.status:
        errors.append("exit %d, want %d" % (p.returncode, s.status))
    elif s.status is None:
        # The exit status must be the one the report's counts call for.
        m = re.search(r"(\d+) refused, (\d+) dns-failure(, \d+ not "
                      r"checked)?", got[-1] if got else "")
        want = None if m is None else 3 if m.group(3) else \
            2 if int(m.group(2)) else 1 if int(m.group(1)) else 0
        if want != p.returncode:
            errors.append("exit %d, but the report says %r" % (
                p.returncode, got[-1:] or None))
    if s.text is not None:
        try:
            s.text(got)
        except AssertionError as e:
            errors.append("report: %r\n%s" % (e, "\n".join(got)))
    elif len(got) != len(s.lines) or not all(
            match(w, g) for w, g in zip(s.lines, got)):
        errors.append("report differs:\n  want:\n%s\n  got:\n%s" % (
            "\n".join("    " + w for w in s.lines),
            "\n".join("    " + g for g in got)))
    # Under valgrind or a sanitizer, starting and stopping the process
    # costs more: that overhead is the instrumentation's, not the deadline
    # logic's, which the plain build is held to strictly.
    slack = s.slack if wrap() or os.environ.get("CAA_PREFLIGHT_SANITIZED") \
        else 0.0
    if s.max_seconds is not None and secs > s.max_seconds + slack:
        errors.append("took %.2f s, deadline allows %.1f" % (
            secs, s.max_seconds + slack))
    if s.check is not None:
        pj, _ = invoke(binary, u, s, "json")
        try:
            doc = json.loads(pj.stdout)
            assert s.status is None or doc["exit"] == s.status, \
                "JSON exit %r" % doc["exit"]
            s.check(doc)
        except (AssertionError, ValueError, KeyError, TypeError) as e:
            errors.append("JSON: %r\n%s" % (e, pj.stdout[:3000]))
    return errors, secs


# ---- ACME clients end to end (SPEC 6): real certbot and dehydrated ----

HOOKS = os.path.join(os.path.dirname(os.path.dirname(HERE)), "hooks")


class Pebble:
    """Debian's pebble as the ACME server, challenges always valid."""

    def __init__(self, u):
        self.u = u
        self.dir = os.path.join(u.work, "pebble")
        os.makedirs(self.dir)
        self.cert = os.path.join(self.dir, "cert.pem")
        key = os.path.join(self.dir, "key.pem")
        run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
             "-keyout", key, "-out", self.cert, "-days", "2", "-subj",
             "/CN=localhost", "-addext",
             "subjectAltName=IP:127.0.0.1,DNS:localhost"])
        conf = os.path.join(self.dir, "pebble.json")
        with open(conf, "w") as f:
            json.dump({"pebble": {
                "listenAddress": "127.0.0.1:14000",
                "managementListenAddress": "127.0.0.1:15000",
                "certificate": self.cert, "privateKey": key,
                "httpPort": 5002, "tlsPort": 5001,
                "ocspResponderURL": "",
                "externalAccountBindingRequired": False}}, f)
        self.log = os.path.join(u.work, "pebble.log")
        env = dict(os.environ, PEBBLE_VA_ALWAYS_VALID="1",
                   PEBBLE_VA_NOSLEEP="1", PEBBLE_WFE_NONCEREJECT="0")
        out = open(self.log, "w")
        self.proc = subprocess.Popen(["pebble", "-config", conf], env=env,
                                     stdout=out, stderr=subprocess.STDOUT)
        u.procs.append(("pebble", self.proc))
        u.logs.append(self.log)
        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", 14000), 0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise SystemExit("integration: pebble did not start")

    def orders(self):
        """Orders pebble created, and certificates it issued."""
        with open(self.log, errors="replace") as f:
            text = f.read()
        return (len(re.findall(r"Added order \"", text)),
                len(re.findall(r"Issued certificate serial", text)))


class Tally:
    """The end-to-end tests of one kind, each run and counted."""

    def __init__(self, kind):
        self.kind = kind
        self.passed = self.failed = 0

    def test(self, title, fn):
        t0 = time.monotonic()
        try:
            fn()
            self.passed += 1
            print("ok   %s: %s (%.1f s)" % (self.kind, title,
                                           time.monotonic() - t0))
        except AssertionError as e:
            self.failed += 1
            print("FAIL %s: %s\n  %s" % (self.kind, title, e))


def certbot_base(pb, d):
    return ["certbot", "--server", "https://127.0.0.1:14000/dir",
            "--config-dir", os.path.join(d, "etc"),
            "--work-dir", os.path.join(d, "work"),
            "--logs-dir", os.path.join(d, "log"),
            "--register-unsafely-without-email", "--agree-tos", "-n"]


def certonly(names):
    args = ["certonly", "--manual", "--manual-auth-hook", "/bin/true",
            "--preferred-challenges", "dns"]
    for n in names:
        args += ["-d", n]
    return args




def set_renewal(path, key, value, top=False):
    """Set key in a certbot renewal conf, as certbot writes it."""
    with open(path) as f:
        lines = [ln for ln in f.read().splitlines()
                 if not ln.startswith(key + " =")]
    at = 0 if top else lines.index("[renewalparams]") + 1
    lines.insert(at, "%s = %s" % (key, value))
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def acme_tests(binary, u):
    """Returns (passed, failed)."""
    for tool in ("pebble", "certbot", "dehydrated", "lego", "openssl"):
        if shutil.which(tool) is None:
            if os.environ.get("CI"):
                print("FAIL acme: %s is not installed (make deps)" % tool)
                return 0, 1
            print("acme: SKIPPED: %s is not installed (make deps)" % tool)
            return 0, 0
    pb = Pebble(u)
    # SPEC 3 rev. 2: pebble is a CA of our own: its directory is mapped.
    aconf = os.path.join(u.work, "acme.yaml")
    with open(u.conf) as f, open(aconf, "w") as g:
        g.write(f.read() + 'directories:\n  "%s": letsencrypt.org\n'
                % PEBBLE_DIR)
    d = os.path.join(u.work, "certbot")
    env = dict(os.environ, REQUESTS_CA_BUNDLE=pb.cert,
               CAA_PREFLIGHT=binary)
    base = certbot_base(pb, d)
    live = os.path.join(d, "etc", "live")
    archive = os.path.join(d, "etc", "archive")
    tally = Tally("acme")
    test = tally.test

    def call(cmd, **kw):
        return subprocess.run(cmd, env=kw.get("env", env),
                              capture_output=True, text=True, timeout=300)

    def wrapper_forbids():
        before = pb.orders()
        p = call([binary, "-c", aconf, "--"] + base +
                 certonly(["ok.caatest", "other.caatest"]))
        assert p.returncode == 1, (p.returncode, p.stderr)
        lines = p.stderr.splitlines()
        want = refused_other("other.caatest", "other.caatest") + [
            cert_line("ok.caatest", "refused", 1, 2, "dns-01"),
            summary(2, ok=1, refused=1),
            P + "not running certbot: the check failed"]
        assert lines == want, "\n".join(lines)
        assert pb.orders() == before, (pb.orders(), before)
        assert not os.path.exists(live), os.listdir(live)

    def wrapper_unknown_ca():
        # The same names for a CA caa-preflight does not know: not
        # checked, said so with the way to add it, and certbot runs (its
        # order fails at pebble's CAA-less CA only if certbot fails).
        p = call([binary, "-c", u.conf, "--format", "json", "--"] + base +
                 certonly(["other.caatest"]))
        assert p.returncode == 3, (p.returncode, p.stderr)
        assert p.stderr.splitlines() == [
            P + "--format json writes to standard output, which in "
            "wrapper mode is the command's: use --output FILE (JSON)"], \
            p.stderr
        out = os.path.join(u.work, "unknown.json")
        before = pb.orders()
        p = call([binary, "-c", u.conf, "--output", out, "--"] + base +
                 certonly(["other.caatest"]) + ["--dry-run"])
        assert p.returncode == 0, (p.returncode, p.stderr)
        lines = p.stderr.splitlines()
        assert lines[:3] == [
            P + "certificate other.caatest: not checked: its ACME "
            "directory %s is not a known CA; add it to the configuration "
            "as directories: {\"%s\": <the CA's CAA issuer domain>}"
            % (PEBBLE_DIR, PEBBLE_DIR),
            P + "1 certificate not checked: on_unknown: allow lets the "
            "order go on",
            FIX + "set on_unknown: block to stop an order that could not "
            "be checked"], "\n".join(lines)
        assert "The dry run was successful." in p.stdout, p.stdout
        with open(out) as f:
            doc = json.load(f)
        assert doc["exit"] == 0 and doc["names"] == [], doc
        c = doc["certificates"][0]
        assert (c["client"], c["directory"], c["verdict"]) == (
            "certbot", PEBBLE_DIR, "not-checked"), c
        assert pb.orders()[0] > before[0], (pb.orders(), before)

    def wrapper_method():
        # dnsonly.caatest allows dns-01 only: certbot's own challenge
        # preference decides, as the CA will see it.
        before = pb.orders()
        args = ["certonly", "--manual", "--manual-auth-hook", "/bin/true",
                "-d", "dnsonly.caatest", "--cert-name", "dnsonly"]
        p = call([binary, "-c", aconf, "--"] + base + args +
                 ["--preferred-challenges", "http"])
        assert p.returncode == 1, (p.returncode, p.stderr)
        lines = p.stderr.splitlines()
        assert lines[0] == P + 'dnsonly.caatest: CAA issue at ' \
            'dnsonly.caatest allows "letsencrypt.org" only with ' \
            'validationmethods=dns-01, not http-01', "\n".join(lines)
        assert any(re.fullmatch(re.escape(cert_line(
            "dnsonly", "refused", 1, 1, "http-01", account="@")).replace(
                "@", r"https://127\.0\.0\.1:14000/my-account/\S+"), ln)
            for ln in lines), "\n".join(lines)
        assert pb.orders() == before, (pb.orders(), before)
        p = call([binary, "-c", aconf, "--"] + base + args +
                 ["--preferred-challenges", "dns"])
        assert p.returncode == 0, (p.returncode, p.stderr)
        lines = p.stderr.splitlines()
        acct = [ln for ln in lines if ln.startswith(P + "certificate")]
        assert len(acct) == 1 and re.fullmatch(
            re.escape(cert_line("dnsonly", "ok", 0, 1, "dns-01",
                                account="@")).replace("@", "https://"
                                                      r"127\.0\.0\.1:"
                                                      r"14000/\S+"),
            acct[0]), "\n".join(lines)
        o, i = pb.orders()
        assert (o, i) == (before[0] + 1, before[1] + 1), ((o, i), before)

    def wrapper_allows():
        before = pb.orders()
        p = call([binary, "-c", aconf, "--"] + base +
                 certonly(["ok.caatest", "*.ok.caatest"]))
        assert p.returncode == 0, (p.returncode, p.stderr)
        assert summary(2, ok=2) in p.stderr.splitlines(), p.stderr
        assert os.path.exists(os.path.join(live, "ok.caatest", "cert.pem"))
        o, i = pb.orders()
        assert (o, i) == (before[0] + 1, before[1] + 1), ((o, i), before)

    def renew_script():
        # A second lineage whose name CAA forbids, obtained directly
        # (pebble does not check CAA): renewing it would be refused.
        p = call(base + certonly(["other.caatest"]))
        assert p.returncode == 0, p.stderr
        before = pb.orders()
        p = call([os.path.join(HOOKS, "certbot-renew"), "-c", aconf] +
                 base[1:] + ["--force-renewal", "--no-random-sleep-on-renew"],
                 env=dict(env, CERTBOT="certbot"))
        assert p.returncode == 1, (p.returncode, p.stdout, p.stderr)
        err = p.stderr.splitlines()
        assert P + 'other.caatest: CAA issue at other.caatest allows only ' \
            '"sectigo.com", not "letsencrypt.org"' in err, p.stderr
        assert "certbot-renew: holding back other.caatest (refused): its " \
            "order would fail" in err, p.stderr
        assert err[-1] == "certbot-renew: held back: other.caatest", err
        # --force-renewal: every lineage checked as due (--all); the two
        # good ones (ok.caatest, dnsonly) renewed.
        o, i = pb.orders()
        assert (o, i) == (before[0] + 2, before[1] + 2), ((o, i), before)
        assert os.path.exists(os.path.join(archive, "ok.caatest",
                                           "cert2.pem"))
        assert not os.path.exists(os.path.join(archive, "other.caatest",
                                               "cert2.pem"))

    renewal = os.path.join(d, "etc", "renewal")

    def dropin():
        # The drop-in's own command line, with a configuration that
        # names no certificate: it holds back only the due lineage that
        # would fail, and blocks nothing when none is due.
        with open(os.path.join(HOOKS, "systemd", "certbot.service.d",
                               "caa-preflight.conf")) as f:
            starts = [ln.split("=", 1)[1] for ln in f.read().splitlines()
                      if ln.startswith("ExecStart=")]
        assert starts[0] == "" and starts[1].startswith(
            "/usr/local/share/caa-preflight/hooks/certbot-renew "), starts
        args = starts[1].split()[1:]
        empty = os.path.join(u.work, "empty.yaml")
        with open(aconf) as f, open(empty, "w") as g:
            g.write(f.read() + "certificates: []\n")
        cmd = [os.path.join(HOOKS, "certbot-renew"), "-c", empty] + args + \
            base[1:]
        before = pb.orders()
        p = call(cmd, env=dict(env, CERTBOT="certbot"))
        assert p.returncode == 0, (p.returncode, p.stdout, p.stderr)
        assert "held back" not in p.stderr, p.stderr
        assert pb.orders() == before, (pb.orders(), before)
        # Make other.caatest due: certbot's renew_before_expiry.
        set_renewal(os.path.join(renewal, "other.caatest.conf"),
                    "renew_before_expiry", "3650 days", top=True)
        p = call(cmd, env=dict(env, CERTBOT="certbot"))
        assert p.returncode == 1, (p.returncode, p.stdout, p.stderr)
        err = p.stderr.splitlines()
        assert err[-1] == "certbot-renew: held back: other.caatest", err
        assert pb.orders() == before, (pb.orders(), before)

    def certbot_state():
        acct = r"https://127\.0\.0\.1:14000/my-account/\S+"
        other = os.path.join(renewal, "other.caatest.conf")

        def lines(*extra, status):
            p = call([binary, "-c", aconf, "--certbot=" + os.path.join(
                d, "etc")] + list(extra))
            assert p.returncode == status, (p.returncode, p.stderr)
            return p.stderr.splitlines()

        def has(got, want):
            rx = re.escape(want).replace("ACCT", acct).replace(
                "DAYS", r"\d+")
            assert any(re.fullmatch(rx, g) for g in got), \
                "no %r in:\n%s" % (want, "\n".join(got))

        # A lineage of the manual authenticator with http challenges.
        p = call(base + ["certonly", "--manual", "--manual-auth-hook",
                         "/bin/true", "--preferred-challenges", "http",
                         "-d", "www.none.caatest"])
        assert p.returncode == 0, p.stderr
        # other.caatest is due (the drop-in test made it so): refused.
        got = lines(status=1)
        has(got, cert_line("www.none.caatest", "ok", 0, 1, "http-01",
                           account="ACCT", due="; due in DAYS days"))
        has(got, refused_other("other.caatest", "other.caatest")[0])
        has(got, cert_line("other.caatest", "refused", 1, 1, "dns-01",
                           account="ACCT", due="; due"))
        has(got, cert_line("ok.caatest", "ok", 0, 2, "dns-01",
                           account="ACCT", due="; due in DAYS days"))
        has(got, cert_line("dnsonly", "ok", 0, 1, "dns-01", account="ACCT",
                           due="; due in DAYS days"))
        # Its renewal server rewritten to ZeroSSL, where certbot has no
        # such account: that file is named, the lineage not checked ...
        set_renewal(other, "server", ZEROSSL_DIR)
        with open(other) as f:
            acct_id = re.search(r"^account = (\S+)$", f.read(), re.M)[1]
        zacct = os.path.join(d, "etc", "accounts", "acme.zerossl.com", "v2",
                             "DV90", acct_id)
        got = lines(status=0)
        has(got, P + "certificate other.caatest: not checked: %s: cannot "
            "open: No such file or directory"
            % os.path.join(zacct, "regr.json"))
        # ... and with its account there, sectigo.com may issue.
        os.makedirs(zacct)
        with open(os.path.join(zacct, "regr.json"), "w") as f:
            json.dump({"body": {}, "uri": ZEROSSL_DIR + "/account/zz"}, f)
        got = lines(status=0)
        has(got, cert_line("other.caatest", "ok", 0, 1, "dns-01",
                           issuer="sectigo.com", directory=ZEROSSL_DIR,
                           account=ZEROSSL_DIR + "/account/zz", due="; due"))
        # Back on pebble, and not yet due: a warning, never a block ...
        set_renewal(other, "server", PEBBLE_DIR)
        set_renewal(other, "renew_before_expiry", "30 days", top=True)
        got = lines(status=0)
        has(got, P + 'other.caatest: warning: renewal in DAYS days will '
            'fail: CAA issue at other.caatest allows only "sectigo.com", '
            'not "letsencrypt.org"')
        # ... unless --all; and -q keeps only what blocks.
        got = lines("--all", "-q", status=1)
        assert len(got) == 3, "\n".join(got)
        has(got, cert_line("other.caatest", "refused", 1, 1, "dns-01",
                           account="ACCT", due="; due in DAYS days"))
        # One lineage alone; a broken one is named, the rest unaffected.
        got = lines("--cert-name", "ok.caatest", status=0)
        assert sum(g.startswith(P + "certificate ") for g in got) == 1, got
        with open(os.path.join(renewal, "broken.conf"), "w") as f:
            f.write("[renewalparams]\nauthenticator = webroot\n")
        got = lines("--all", status=1)
        has(got, P + "certificate broken: not checked: %s: no server in "
            "[renewalparams]: the CA of its next order is not known"
            % os.path.join(renewal, "broken.conf"))
        has(got, cert_line("ok.caatest", "ok", 0, 2, "dns-01",
                           account="ACCT", due="; due in DAYS days"))
        os.unlink(os.path.join(renewal, "broken.conf"))

    def acmesh_state():
        # acme.sh's state as _savedomainconf writes it: ZeroSSL (its
        # default CA) and Let's Encrypt, due and not due.
        home = os.path.join(u.work, "acme.sh")
        now = int(time.time())
        certs = {
            "other.caatest": ("other.caatest", "no", "dns_cf", ZEROSSL_DIR,
                              now - 60),
            "ok.caatest_ecc": ("ok.caatest", "*.ok.caatest", "/var/www",
                               LE_DIRECTORY, now + 20 * 86400),
            "deny.caatest": ("deny.caatest", "no", "no", LE_DIRECTORY,
                             now - 60)}
        for folder, (dom, alt, webroot, api, nxt) in certs.items():
            os.makedirs(os.path.join(home, folder))
            with open(os.path.join(home, folder, dom + ".conf"), "w") as f:
                f.write("Le_Domain='%s'\nLe_Alt='%s'\nLe_Webroot='%s'\n"
                        "Le_PreHook=''\nLe_API='%s'\n"
                        "Le_NextRenewTime='%d'\n" % (dom, alt, webroot, api,
                                                    nxt))
        zs = os.path.join(home, "ca", "acme.zerossl.com", "v2", "DV90")
        os.makedirs(zs)
        with open(os.path.join(zs, "ca.conf"), "w") as f:
            f.write("ACCOUNT_URL='%s/account/abc'\n" % ZEROSSL_DIR)
        p = call([binary, "-c", aconf, "--acme-sh=" + home])
        assert p.returncode == 1, (p.returncode, p.stderr)
        got = p.stderr.splitlines()
        for want in [
                P + 'deny.caatest: CAA issue at deny.caatest forbids '
                'issuance by any CA (empty issuer, as in ";")',
                cert_line("deny.caatest", "refused", 1, 1, "http-01",
                          directory=LE_DIRECTORY, due="; due"),
                cert_line("ok.caatest_ecc", "ok", 0, 2, "http-01",
                          directory=LE_DIRECTORY, due="; due in 20 days"),
                cert_line("other.caatest", "ok", 0, 1, "dns-01",
                          issuer="sectigo.com", directory=ZEROSSL_DIR,
                          account=ZEROSSL_DIR + "/account/abc",
                          due="; due")]:
            assert want in got, "no %r in:\n%s" % (want, "\n".join(got))
        # The pre-hook, run as acme.sh runs it: in the certificate's
        # folder, with Le_Domain set.  ZeroSSL may issue for it ...
        henv = dict(env, Le_Domain="other.caatest", Le_Alt="no")
        p = subprocess.run([binary, "-c", aconf], env=henv, text=True,
                           capture_output=True, timeout=120,
                           cwd=os.path.join(home, "other.caatest"))
        assert p.returncode == 0, (p.returncode, p.stderr)
        assert cert_line("other.caatest", "ok", 0, 1, "dns-01",
                         issuer="sectigo.com", directory=ZEROSSL_DIR,
                         account=ZEROSSL_DIR + "/account/abc") in \
            p.stderr.splitlines(), p.stderr
        # ... which the configuration's Let's Encrypt would refuse.
        p = subprocess.run([binary, "-c", aconf], env=henv, text=True,
                           capture_output=True, timeout=120, cwd=u.work)
        assert p.returncode == 1, (p.returncode, p.stderr)

    def lego():
        # Debian's lego 4.9, wrapped (it has no pre-hook), then its own
        # state read with --lego.
        path = os.path.join(u.work, "lego")
        lenv = dict(env, LEGO_CA_CERTIFICATES=pb.cert)
        lbase = ["lego", "--server", PEBBLE_DIR, "--accept-tos", "--email",
                 "ops@ok.caatest", "--path", path, "--http", "--http.port",
                 "127.0.0.1:5002"]
        before = pb.orders()
        p = call([binary, "-c", aconf, "--"] + lbase +
                 ["-d", "other.caatest", "run"], env=lenv)
        assert p.returncode == 1, (p.returncode, p.stderr)
        assert cert_line("other.caatest", "refused", 1, 1) in \
            p.stderr.splitlines(), p.stderr
        assert pb.orders() == before, (pb.orders(), before)
        p = call([binary, "-c", aconf, "--"] + lbase +
                 ["-d", "ok.caatest", "run"], env=lenv)
        assert p.returncode == 0, (p.returncode, p.stderr)
        assert pb.orders()[1] == before[1] + 1, (pb.orders(), before)
        # other.caatest obtained directly: pebble does not check CAA.
        p = call(lbase + ["-d", "other.caatest", "run"], env=lenv)
        assert p.returncode == 0, (p.returncode, p.stderr)
        acct = r"https://127\.0\.0\.1:14000/my-account/\S+"

        def has(got, want):
            rx = re.escape(want).replace("ACCT", acct).replace(
                "DAYS", r"\d+")
            assert any(re.fullmatch(rx, g) for g in got), \
                "no %r in:\n%s" % (want, "\n".join(got))

        # Not due (lego renews 30 days ahead): a warning, exit 0 ...
        p = call([binary, "-c", aconf, "--lego=" + path])
        assert p.returncode == 0, (p.returncode, p.stderr)
        got = p.stderr.splitlines()
        has(got, P + 'other.caatest: warning: renewal in DAYS days will '
            'fail: CAA issue at other.caatest allows only "sectigo.com", '
            'not "letsencrypt.org"')
        has(got, cert_line("ok.caatest", "ok", 0, 1, account="ACCT",
                           due="; due in DAYS days"))
        # ... and with --all, the refusal.
        p = call([binary, "-c", aconf, "--lego=" + path, "--all", "-q"])
        assert p.returncode == 1, (p.returncode, p.stderr)
        has(p.stderr.splitlines(), cert_line(
            "other.caatest", "refused", 1, 1, account="ACCT",
            due="; due in DAYS days"))

    def pre_hook_does_not_stop_certbot():
        # certbot only warns when a pre-hook fails and orders anyway:
        # if this changes, certbot's own pre-hook becomes a real gate.
        before = pb.orders()
        hook = "%s -c %s deny.caatest" % (binary, u.conf)
        p = call(base + ["--pre-hook", hook] + certonly(["deny.caatest"]))
        assert p.returncode == 0, (p.returncode, p.stderr)
        assert "Hook 'pre-hook' reported error code 1" in p.stderr, p.stderr
        assert 'deny.caatest: CAA issue at deny.caatest forbids issuance ' \
            'by any CA' in p.stderr, p.stderr
        o, i = pb.orders()
        assert (o, i) == (before[0] + 1, before[1] + 1), ((o, i), before)

    def dehydrated():
        dd = os.path.join(u.work, "dehydrated")
        os.makedirs(dd)
        with open(os.path.join(dd, "domains.txt"), "w") as f:
            f.write("wild.caatest\nother.caatest\nok.caatest\n")
        conf = os.path.join(dd, "config")
        with open(conf, "w") as f:
            f.write('CA="https://127.0.0.1:14000/dir"\n'
                    'CHALLENGETYPE="dns-01"\nBASEDIR="%s"\n'
                    'DOMAINS_TXT="%s/domains.txt"\nHOOK="%s"\n'
                    'CURL_OPTS="--cacert %s"\nCONTACT_EMAIL=""\n'
                    % (dd, dd, os.path.join(HOOKS, "dehydrated-hook"),
                       pb.cert))
        denv = dict(env, CAA_PREFLIGHT_CONFIG=u.conf)
        p = call(["dehydrated", "-f", conf, "--register", "--accept-terms"],
                 env=denv)
        assert p.returncode == 0, (p.stdout, p.stderr)
        before = pb.orders()
        p = call(["dehydrated", "-f", conf, "-c"], env=denv)
        assert p.returncode != 0, (p.stdout, p.stderr)
        err = p.stderr.splitlines()
        assert P + 'other.caatest: CAA issue at other.caatest allows only ' \
            '"sectigo.com", not "letsencrypt.org"' in err, p.stderr
        assert "dehydrated-hook: not ordering other.caatest: caa-preflight " \
            "exit 1" in err, p.stderr
        # wild.caatest was ordered; the run stopped at other.caatest, so
        # ok.caatest after it was not tried.
        o, i = pb.orders()
        assert (o, i) == (before[0] + 1, before[1] + 1), ((o, i), before)
        certs = os.path.join(dd, "certs")
        assert os.path.exists(os.path.join(certs, "wild.caatest",
                                           "cert.pem"))
        assert not os.path.exists(os.path.join(certs, "other.caatest",
                                               "cert.pem"))
        assert not os.path.exists(os.path.join(certs, "ok.caatest"))
        # Its own state, read with --dehydrated: what the next run will
        # order (other.caatest and ok.caatest, with no certificate yet,
        # are due), for dehydrated's CA and CHALLENGETYPE.
        p = call([binary, "-c", aconf, "--dehydrated=" + conf])
        assert p.returncode == 1, (p.returncode, p.stderr)
        got = p.stderr.splitlines()
        acct = r"https://127\.0\.0\.1:14000/my-account/\S+"
        for want in [
                cert_line("wild.caatest", "ok", 0, 1, "dns-01",
                          account="ACCT", due="; due in DAYS days"),
                cert_line("other.caatest", "refused", 1, 1, "dns-01",
                          account="ACCT", due="; due"),
                cert_line("ok.caatest", "ok", 0, 1, "dns-01",
                          account="ACCT", due="; due")]:
            rx = re.escape(want).replace("ACCT", acct).replace(
                "DAYS", r"\d+")
            assert any(re.fullmatch(rx, g) for g in got), \
                "no %r in:\n%s" % (want, "\n".join(got))

    test("wrapper: CAA forbids a name, certbot never runs", wrapper_forbids)
    test("wrapper: a CA not known is not checked, certbot runs, JSON to "
         "--output", wrapper_unknown_ca)
    test("wrapper: certbot's --preferred-challenges decides the method",
         wrapper_method)
    test("wrapper: all names allowed, certbot obtains the certificate",
         wrapper_allows)
    test("certbot-renew: the good lineages renew, the bad one is held "
         "back", renew_script)
    test("systemd drop-in: only a due lineage that would fail is held "
         "back", dropin)
    test("--certbot: each lineage's CA, method, account and due date",
         certbot_state)
    test("--acme-sh and its pre-hook: ZeroSSL and Let's Encrypt, due and "
         "not", acmesh_state)
    test("lego 4.9: wrapped, then its own state with --lego", lego)
    test("plain certbot --pre-hook: certbot orders anyway",
         pre_hook_does_not_stop_certbot)
    test("dehydrated hook: the forbidden certificate is not ordered",
         dehydrated)
    return tally.passed, tally.failed


# ---- Monitoring (SPEC 5.7): Nagios plugin output and Prometheus ----

NAGIOS = re.compile(
    r"CAA-PREFLIGHT (OK|WARNING|CRITICAL|UNKNOWN) - ([^|\n]+) \| "
    r"'names'=(\d+) 'ok'=(\d+) 'refused'=(\d+) 'failed'=(\d+) "
    r"'warnings'=(\d+) 'seconds'=(\d+\.\d{3})s")


def prom_samples(text):
    """The samples of a textfile: {(name, frozenset(labels)): value}."""
    out = {}
    for line in text.splitlines():
        if line.startswith("#") or not line:
            continue
        m = re.fullmatch(r'(\w+)(?:\{(.*)\})? (\S+)', line)
        assert m, "not a sample: %r" % line
        labels = frozenset(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"',
                                      m.group(2) or ""))
        key = (m.group(1), labels)
        assert key not in out, "sample twice: %r" % line
        out[key] = float(m.group(3))
    return out


def monitor_tests(binary, u):
    """Returns (passed, failed)."""
    tally = Tally("monitor")
    test = tally.test

    def nagios(conf, *names, status):
        p = subprocess.run(wrap() + [binary, "-c", conf, "--format",
                                     "nagios"] + list(names),
                           capture_output=True, text=True, timeout=120)
        lines = p.stdout.splitlines()
        assert p.returncode == status, (p.returncode, p.stdout, p.stderr)
        m = NAGIOS.fullmatch(lines[0])
        assert m, "not a plugin status line: %r" % lines[0]
        assert p.stderr == "", p.stderr
        return m, lines[1:]

    def states():
        m, rest = nagios(u.conf, "ok.caatest", "www.none.caatest", status=0)
        assert m.group(1, 2) == ("OK", "2 names will pass"), m.groups()
        assert m.group(3, 4, 5, 6, 7) == ("2", "2", "0", "0", "0"), \
            m.groups()
        assert rest == [summary(2, ok=2)], rest
        m, rest = nagios(u.conf, "ok.caatest", "other.caatest", status=2)
        assert m.group(1, 2) == (
            "CRITICAL", '1 of 2 names will fail; other.caatest: CAA issue '
            'at other.caatest allows only "sectigo.com", not '
            '"letsencrypt.org"'), m.groups()
        assert m.group(3, 4, 5, 6) == ("2", "1", "1", "0"), m.groups()
        # The long output is the report.
        assert rest == refused_other("other.caatest", "other.caatest") + \
            [summary(2, ok=1, refused=1)], rest
        m, rest = nagios(u.conf, "expired.caatest", status=2)
        assert m.group(1) == "CRITICAL" and m.group(6) == "1", m.groups()
        # A warning only: WARNING, exit 1 (the text report exits 0).
        m, rest = nagios(u.conf, "serial.caatest", "ok.caatest", status=1)
        assert m.group(1, 2) == ("WARNING", "2 names will pass, 1 warning"), \
            m.groups()
        assert m.group(4, 7) == ("2", "1"), m.groups()
        # A signature that expires within signature_days: WARNING.
        m, rest = nagios(u.conf, "soon.caatest", status=1)
        assert m.group(1, 2) == ("WARNING", "1 name will pass, 2 warnings"), \
            m.groups()
        # No network: UNKNOWN.
        m, rest = nagios(u.deadfwdconf, "--timeout", "2", "ok.caatest",
                         status=3)
        assert m.group(1, 2) == (
            "UNKNOWN", "no lookup got any answer from DNS: 1 name not "
            "checked"), m.groups()

    def prometheus():
        d = os.path.join(u.work, "textfile")
        os.makedirs(d)
        out = os.path.join(d, "caa.prom")
        names = ["ok.caatest", "other.caatest", "expired.caatest",
                 "192.0.2.1"]
        p = subprocess.run(wrap() + [binary, "-c", u.conf, "-q",
                                     "--prometheus", out,
                                     "--format", "json"] + names,
                           capture_output=True, text=True, timeout=120)
        assert p.returncode == 2, (p.returncode, p.stderr)
        doc = json.loads(p.stdout)
        assert os.listdir(d) == ["caa.prom"], os.listdir(d)
        assert os.stat(out).st_mode & 0o444 == 0o444, oct(os.stat(out).st_mode)
        with open(out) as f:
            text = f.read()
        if shutil.which("promtool"):
            c = subprocess.run(["promtool", "check", "metrics"], input=text,
                               capture_output=True, text=True)
            assert c.returncode == 0, (c.stdout, c.stderr, text)
        elif os.environ.get("CI"):
            raise AssertionError("promtool is not installed (make deps)")
        s = prom_samples(text)
        # Parsed back, it says what the JSON report says.
        for n in doc["names"]:
            key = ("caa_preflight_name_verdict", frozenset(
                [("name", n["name"]), ("certificate", ""),
                 ("verdict", n["verdict"]), ("decides", "true")]))
            assert s.get(key) == 1, (key, text)
        for v in ("ok", "refused", "dns-failure", "not-subject",
                  "not-checked"):
            want = sum(1 for n in doc["names"] if n["verdict"] == v)
            assert s[("caa_preflight_names", frozenset(
                [("verdict", v)]))] == want, (v, text)
        assert s[("caa_preflight_exit_status", frozenset())] == doc["exit"]
        assert s[("caa_preflight_signature_expiry_timestamp_seconds",
                  frozenset())] == doc["signatures"]["earliest"], text
        assert s[("caa_preflight_signatures_expiring", frozenset())] == \
            len(doc["signatures"]["expiring"]), text
        assert s[("caa_preflight_nagios_state", frozenset())] == 2
        for z in doc["nameservers"]:
            for sev in ("error", "warning"):
                want = sum(1 for fd in z["findings"]
                           if fd["severity"] == sev)
                assert s[("caa_preflight_nameserver_findings", frozenset(
                    [("zone", z["zone"]), ("severity", sev)]))] == want, \
                    (z["zone"], sev, text)
        assert abs(s[("caa_preflight_last_run_timestamp_seconds",
                      frozenset())] - time.time()) < 120, text

    def never_partial():
        # A reader in a loop while runs replace the file: it sees the
        # whole of one file or the whole of the next, never half.
        out = os.path.join(u.work, "textfile", "loop.prom")
        stop = time.monotonic() + 30
        runs = 0
        while runs < 5 and time.monotonic() < stop:
            w = subprocess.Popen(wrap() + [binary, "-c", u.conf, "-q",
                                           "--prometheus", out,
                                           "ok.caatest"],
                                 stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
            reads = 0
            while w.poll() is None or reads == 0:
                try:
                    with open(out) as f:
                        text = f.read()
                except FileNotFoundError:
                    continue
                reads += 1
                assert text.endswith("\n") and \
                    "caa_preflight_last_run_timestamp_seconds " in \
                    text.splitlines()[-1], "partial: %r" % text[-200:]
            assert w.wait() == 0
            runs += 1
        assert runs == 5, runs
        # A folder that cannot be written: an error, exit 3.
        p = subprocess.run(wrap() + [binary, "-c", u.conf, "-q",
                                     "--prometheus",
                                     "/nonexistent/caa.prom",
                                     "ok.caatest"],
                           capture_output=True, text=True, timeout=120)
        assert p.returncode == 3, (p.returncode, p.stderr)
        assert p.stderr.splitlines() == [
            P + "cannot write the Prometheus metrics to "
            "/nonexistent/caa.prom: No such file or directory"], p.stderr

    test("--format nagios: OK, CRITICAL, WARNING, UNKNOWN", states)
    test("--prometheus: promtool passes, and it says what JSON says",
         prometheus)
    test("--prometheus: never a partial file; an unwritable folder is "
         "exit 3", never_partial)
    return tally.passed, tally.failed


def demo(binary, conf):
    print("A private DNS universe is up: a signed root, the TLD caatest and "
          "its zones.\n")
    for title, names in [
            ("allowed", ["-v", "ok.caatest", "www.none.caatest"]),
            ("refused by CAA", ["*.wild.caatest", "other.caatest"]),
            ("DNS failure", ["expired.caatest", "servfail.caatest"])]:
        cmd = [binary, "-c", conf] + names
        print("$ caa-preflight -c caa-preflight.yaml %s    # %s"
              % (" ".join(names), title))
        p = subprocess.run(cmd, capture_output=True, text=True)
        sys.stdout.write(p.stderr)
        print("exit status %d\n" % p.returncode)


def main(argv):
    demo_mode = False
    if argv and argv[0] == "--demo":
        demo_mode = True
        argv = argv[1:]
    if not argv:
        raise SystemExit(__doc__)
    binary = os.path.abspath(argv[0])
    only = argv[1:]
    work = tempfile.mkdtemp(prefix="caapf-universe-")
    u = Universe(work)
    t0 = time.monotonic()
    failed = 0
    try:
        u.build()
        u.wait()
        print("integration: universe of %d zones up in %.1f s (%s)" % (
            len(ZONES) + 2, time.monotonic() - t0, work))
        if demo_mode:
            demo(binary, u.conf)
            return 0
        if os.environ.get("UNIVERSE_EXEC"):
            env = dict(os.environ, CONF=u.conf, WORK=work)
            return subprocess.call(["sh", "-c",
                                    os.environ["UNIVERSE_EXEC"]], env=env)
        passed, slowest = 0, (0.0, "")
        for s in SCENARIOS:
            if only and s.title not in only:
                continue
            if s.plain_only and instrumented():
                print("skip %s (plain build only)" % s.title)
                continue
            hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
            if s.full_fds and 0 <= hard < FULL_FDS:
                print("skip %s (its counts need a limit on open files of "
                      "%d, this one is %d)" % (s.title, FULL_FDS, hard))
                continue
            errors, secs = run_scenario(binary, u, s)
            if secs > slowest[0] and s.max_seconds is None:
                slowest = (secs, s.title)
            if errors:
                failed += 1
                print("FAIL %s (%s%s)" % (s.title, " ".join(s.names[:8]),
                                          " ..." if len(s.names) > 8 else ""))
                for e in errors:
                    print("  " + e)
            else:
                passed += 1
                print("ok   %s (%.2f s)" % (s.title, secs))
        # Children waited for so far are caa-preflight runs only.
        rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        print("integration: peak RSS of any caa-preflight run: %.1f MiB"
              % (rss / 1024.0))
        # A sanitizer's or valgrind's own memory is not ours to bound.
        if not wrap() and not os.environ.get("CAA_PREFLIGHT_SANITIZED") \
                and rss > 64 * 1024:
            failed += 1
            print("FAIL memory: a run used %d KiB, over 64 MiB" % rss)
        if not only or "acme" in only:
            p_, f_ = acme_tests(binary, u)
            passed += p_
            failed += f_
        if not only or "monitor" in only:
            p_, f_ = monitor_tests(binary, u)
            passed += p_
            failed += f_
        if failed:
            u.dump_logs()
        if not only:
            # Every name of every scenario at once: as long as the slowest.
            names = sorted({n for s in SCENARIOS for n in s.names
                            if "dead" not in n and s.names is not MANY
                            and s.names is not CUT})
            allrun = S("all", names, 2, [], args=["-q"])
            _, secs = invoke(binary, u, allrun, "text")
            print("integration: slowest single scenario but the deadline "
                  "one %.2f s (%s); all "
                  "%d names but the dead zone's in one run: %.2f s" % (
                      slowest[0], slowest[1], len(names), secs))
        print("integration: %d passed, %d failed" % (passed, failed))
    finally:
        u.stop()
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
