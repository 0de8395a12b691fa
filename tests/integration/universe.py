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

# Server addresses.  Each NSD instance serves all its zones on all its
# addresses, so zones that must differ per server get their own instance.
ROOT_ADDR = "127.53.0.1"
TLD_ADDR = "127.53.1.1"
NSD_ADDRS = ["127.53.2.1", "127.53.2.2"]
KNOT_ADDR = "127.53.3.1"
RESOLVER_ADDR = "127.53.8.1"    # a validating unbound, for forward mode
V6_ADDR = "::1"


class Zone:
    """A zone below the TLD.

    server: "nsd" (two addresses), "knot", "v6" (NSD on ::1 only), or
            "resp:MODE[,MODE]" for our responder on an address of its own.
    sign:   "yes", "no" (insecure: no DS), "expired" (signatures in the
            past), "unsigned-ds" (DS at the parent, zone served unsigned),
            "badds" (DS at the parent does not match the key).
    """

    def __init__(self, name, server, sign, records, parent=TLD):
        self.name = name + "." + TLD
        self.parent = parent
        self.server = server
        self.sign = sign
        self.records = records
        self.ds = []
        self.file = None
        self.ns = []        # (ns name, address)


def big_rrset():
    """1,000 other issuers and Let's Encrypt: an answer that needs TCP."""
    recs = ['@ CAA 0 issue "ca-%04d.example"' % i for i in range(1000)]
    return recs + ['@ CAA 0 issue ' + LE]


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
    Zone("unsigned-ds", "nsd", "unsigned-ds", ['@ CAA 0 issue ' + LE]),
    Zone("badds", "nsd", "badds", ['@ CAA 0 issue ' + LE]),
    Zone("insecure", "nsd", "no", ['@ CAA 0 issue "sectigo.com"']),
    Zone("dead", "resp:*:drop", "no", []),
    Zone("servfail", "resp:*:servfail", "no", []),
    Zone("refused", "resp:*:refused", "no", []),
    Zone("v6", "v6", "yes", ['@ CAA 0 issue ' + LE]),
    Zone("acme-sf", "nsd", "yes", [
        '@ CAA 0 issue ' + LE,
        '_acme-challenge NS ns-acme-sf-challenge.%s.' % TLD,
    ]),
    Zone("_acme-challenge.acme-sf", "resp:*:servfail", "no", [],
         parent="acme-sf." + TLD),
    Zone("acme-cname", "nsd", "yes", [
        '@ CAA 0 issue ' + LE,
        '_acme-challenge CNAME _acme-challenge.validation.%s.' % TLD,
    ]),
    Zone("validation", "knot", "yes", ['_acme-challenge TXT "token"']),
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

    def write_zone(self, origin, lines, sign="yes"):
        """Write a zone file, sign it if asked; returns (file, DS lines)."""
        path = os.path.join(self.work, "zones", origin.rstrip(".") + ".zone"
                            if origin != "." else "root.zone")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        soa = ("@ 3600 IN SOA ns.%s hostmaster.%s 2026112901 3600 900 "
               "604800 300" % (origin if origin != "." else "",
                               origin if origin != "." else ""))
        with open(path, "w") as f:
            f.write("$ORIGIN %s\n$TTL 300\n%s\n" % (origin, soa))
            for line in lines:
                f.write(line + "\n")
        if sign == "no":
            return path, []
        zsk = self.keygen(origin, False)
        ksk = self.keygen(origin, True)
        args = ["ldns-signzone", "-o", origin]
        if sign == "expired":
            args += ["-i", "20200101000000", "-e", "20200201000000"]
        run(args + [path, zsk, ksk])
        ds = [self.ds_of(ksk)]
        if sign == "unsigned-ds":
            return path, ds
        if sign == "badds":
            ds = [self.ds_of(self.keygen(origin, True))]
        return path + ".signed", ds

    def build(self):
        nsd_main, knot, tld_lines = [], [], []
        responders = []
        addr_records = [
            "ns-tld A %s" % TLD_ADDR,
            "ns1 A %s" % NSD_ADDRS[0],
            "ns2 A %s" % NSD_ADDRS[1],
            "ns-knot A %s" % KNOT_ADDR,
            "ns6 AAAA %s" % V6_ADDR,
        ]
        # Children first: their DS goes into the parent.
        for z in reversed(ZONES):
            if z.server == "nsd":
                z.ns = [("ns1.%s." % TLD, NSD_ADDRS[0]),
                        ("ns2.%s." % TLD, NSD_ADDRS[1])]
            elif z.server == "knot":
                z.ns = [("ns-knot.%s." % TLD, KNOT_ADDR)]
            elif z.server == "v6":
                z.ns = [("ns6.%s." % TLD, V6_ADDR)]
            else:
                self.resp_n += 1
                addr = "127.53.4.%d" % self.resp_n
                label = "ns-" + z.name[:-len(TLD) - 1].replace(
                    "_acme-challenge.", "") + ("-challenge" if
                    z.name.startswith("_acme") else "")
                addr_records.append("%s A %s" % (label, addr))
                z.ns = [("%s.%s." % (label, TLD), addr)]
            lines = ["@ NS %s" % n for n, _ in z.ns] + z.records
            for c in ZONES:
                if c.parent == z.name:
                    lines += ["%s. NS %s" % (c.name, n) for n, _ in c.ns]
                    lines += c.ds
            z.file, z.ds = self.write_zone(z.name + ".", lines, z.sign)
            if z.server in ("nsd", "v6"):
                nsd_main.append(z)
            elif z.server == "knot":
                knot.append(z)
            else:
                responders.append(z)
            for _, a in z.ns:
                self.waits.append((a, z.name))
        for z in ZONES:
            if z.parent == TLD:
                tld_lines += ["%s. NS %s" % (z.name, n) for n, _ in z.ns]
                tld_lines += z.ds
        tld_file, tld_ds = self.write_zone(
            TLD + ".", ["@ NS ns-tld.%s." % TLD] + addr_records + tld_lines)
        root_file, root_ds = self.write_zone(".", [
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
        self.conf = os.path.join(self.work, "caa-preflight.yaml")
        with open(self.conf, "w") as f:
            f.write("timeout: 10\nresolver:\n  trust_anchor: %s\n"
                    "  root_hints: %s\n" % (
                        os.path.join(self.work, "root.ds"),
                        os.path.join(self.work, "root.hints")))
        self.fwdconf = os.path.join(self.work, "forward.yaml")
        with open(self.fwdconf, "w") as f:
            f.write("timeout: 10\nresolver:\n  trust_anchor: %s\n"
                    "  forward: [%s]\n" % (
                        os.path.join(self.work, "root.ds"), RESOLVER_ADDR))

        self.nsd("root", [ROOT_ADDR], [(".", root_file)])
        self.nsd("tld", [TLD_ADDR], [(TLD, tld_file)])
        self.nsd("main", NSD_ADDRS + [V6_ADDR],
                 [(z.name, z.file) for z in nsd_main])
        self.knot("knot", KNOT_ADDR, [(z.name, z.file) for z in knot])
        self.unbound(RESOLVER_ADDR)
        for z in responders:
            spec = z.server.split(":", 1)[1]
            args = [self.responder, "-z", z.file, "-o", z.name + ".",
                    "-l", z.ns[0][1] + "@53"]
            for m in spec.split(","):
                args += ["-m", m]
            self.start("responder-" + z.name, args)

    # ---- servers ----

    def start(self, name, args):
        log = os.path.join(self.work, name + ".log")
        out = open(log, "w")
        self.procs.append((name, subprocess.Popen(
            args, stdout=out, stderr=subprocess.STDOUT)))
        self.logs.append(log)

    def nsd(self, name, addrs, zones):
        d = os.path.join(self.work, "nsd-" + name)
        os.makedirs(d)
        conf = os.path.join(d, "nsd.conf")
        with open(conf, "w") as f:
            f.write("server:\n")
            for a in addrs:
                f.write("  ip-address: %s\n" % a)
            f.write('  port: 53\n  database: ""\n  username: ""\n'
                    '  chroot: ""\n  zonesdir: "%s"\n'
                    '  zonelistfile: "%s/zone.list"\n'
                    '  xfrdfile: "%s/xfrd.state"\n  pidfile: "%s/nsd.pid"\n'
                    '  logfile: "%s/nsd.log"\n  server-count: 1\n'
                    '  verbosity: 1\n  rrl-ratelimit: 0\n'
                    '  rrl-whitelist-ratelimit: 0\n'
                    'remote-control:\n  control-enable: no\n'
                    % (d, d, d, d, d))
            for zname, zfile in zones:
                f.write('zone:\n  name: "%s"\n  zonefile: "%s"\n'
                        % (zname, zfile))
        self.logs.append(os.path.join(d, "nsd.log"))
        self.start("nsd-" + name, ["nsd", "-d", "-c", conf])

    def knot(self, name, addr, zones):
        d = os.path.join(self.work, "knot-" + name)
        os.makedirs(os.path.join(d, "db"))
        conf = os.path.join(d, "knot.conf")
        with open(conf, "w") as f:
            f.write('server:\n  rundir: "%s"\n  listen: %s@53\n'
                    'log:\n  - target: stderr\n    any: info\n'
                    'database:\n  storage: "%s/db"\n'
                    'template:\n  - id: default\n    storage: "%s"\n'
                    '    zonefile-sync: -1\n    zonefile-load: whole\n'
                    '    journal-content: none\n' % (d, addr, d, d))
            f.write("zone:\n")
            for zname, zfile in zones:
                f.write('  - domain: "%s"\n    file: "%s"\n' % (zname, zfile))
        self.start("knot-" + name, ["knotd", "-c", conf])

    def unbound(self, addr):
        """A validating recursive resolver over the universe."""
        d = os.path.join(self.work, "unbound")
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
        self.start("unbound", ["unbound", "-d", "-c", conf])
        self.waits.append((addr, TLD))

    def wait(self):
        # Servers that drop everything never answer; that is their job.
        dropped = {z.ns[0][1] for z in ZONES if ":drop" in z.server}
        deadline = time.time() + 20
        pending = [(a, z) for a, z in self.waits if a not in dropped]
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


def summary(n, ok=0, refused=0, fail=0):
    return P + "%d name%s checked: %d ok, %d refused, %d dns-failure" % (
        n, "" if n == 1 else "s", ok, refused, fail)


def refused_other(name, where, issuer='"sectigo.com"', tag="issue"):
    return [P + '%s: CAA %s at %s allows only %s, not "letsencrypt.org"'
            % (name, tag, where, issuer),
            FIX + '%s. CAA 0 %s "letsencrypt.org"' % (where, tag)]


def forbids(name, where):
    return [P + '%s: CAA issue at %s forbids issuance by any CA (empty '
            'issuer, as in ";")' % (name, where),
            FIX + '%s. CAA 0 issue "letsencrypt.org"' % where]


def bogus(name, level):
    return ["re:" + re.escape(P + "%s: DNS problem: DNSSEC validation failed "
                              "looking up CAA for %s: " % (name, level)) +
            r"validation failure <%s\. CAA IN>: .+" % re.escape(level),
            FIX + "re-sign the zone holding %s (signatures expired or "
            "missing?) or correct its DS record at the parent" % level]


def servfail(name, level):
    return [P + "%s: DNS problem: SERVFAIL looking up CAA for %s - the "
            "domain's nameservers may be malfunctioning" % (name, level),
            FIX + "every nameserver of the zone holding %s must answer CAA "
            "queries (type 257) with NOERROR: look for software or a "
            "firewall that rejects unknown types" % level]


class S:
    """A scenario: names, options, exit status, exact report lines."""

    def __init__(self, title, names, status, lines, args=(), check=None,
                 max_seconds=None, conf="conf"):
        self.title = title
        self.names = names
        self.status = status
        self.lines = lines
        self.args = list(args)
        self.check = check
        self.max_seconds = max_seconds
        self.conf = conf


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


def j_acme_sf(doc):
    n = doc["names"][0]
    assert n["caa"] == "allowed" and n["verdict"] == "dns-failure", n
    assert n["dns01"]["status"] == "SERVFAIL", n["dns01"]
    assert n["dns01"]["severity"] == "error", n["dns01"]


def j_shared(doc):
    # CAA: ok, caatest, child.ok, www.ok; TXT: _acme-challenge.ok.
    assert doc["lookups"] == 5, doc["lookups"]


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
      refused_other("www.cname.caatest", "www.cname.caatest") +
      [summary(1, refused=1)], check=j_cname),
    S("CNAME chain into a denying zone", ["chain.cname.caatest"], 1,
      refused_other("chain.cname.caatest", "chain.cname.caatest") +
      [summary(1, refused=1)]),
    S("a name under a CNAME'd parent", ["sub.www.cname.caatest"], 1,
      refused_other("sub.www.cname.caatest", "www.cname.caatest") +
      [summary(1, refused=1)]),
    S("DNAME into a denying name", ["deny.d.dname.caatest"], 1,
      forbids("deny.d.dname.caatest", "deny.d.dname.caatest") +
      [summary(1, refused=1)]),
    S("CNAME to a permissive name under a denying parent",
      ["perm.cname.caatest"], 0, [summary(1, ok=1)]),
    S("signatures expired", ["expired.caatest"], 2,
      bogus("expired.caatest", "expired.caatest") + [summary(1, fail=1)],
      check=j_bogus),
    S("DS at the parent, zone unsigned", ["unsigned-ds.caatest"], 2,
      bogus("unsigned-ds.caatest", "unsigned-ds.caatest") +
      [summary(1, fail=1)], check=j_bogus),
    S("DS not matching the key", ["badds.caatest"], 2,
      bogus("badds.caatest", "badds.caatest") + [summary(1, fail=1)],
      check=j_bogus),
    S("insecure zone still decides", ["insecure.caatest"], 1,
      refused_other("insecure.caatest", "insecure.caatest") +
      [summary(1, refused=1)], check=j_insecure),
    S("servers never answer: the deadline holds", ["www.dead.caatest"], 2, [
        P + "www.dead.caatest: DNS problem: query timed out looking up CAA "
        "for www.dead.caatest (no answer within the 3 s deadline)",
        FIX + "make sure every nameserver of www.dead.caatest answers CAA "
        "queries (type 257); if the network is slow, raise timeout",
        summary(1, fail=1)], args=["--timeout", "3"], max_seconds=4.0),
    S("server answers SERVFAIL", ["servfail.caatest"], 2,
      servfail("servfail.caatest", "servfail.caatest") +
      [summary(1, fail=1)]),
    S("server answers REFUSED", ["refused.caatest"], 2,
      servfail("refused.caatest", "refused.caatest") +
      [summary(1, fail=1)]),
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
        FIX + "every nameserver of the zone holding "
        "_acme-challenge.acme-sf.caatest must answer TXT queries for it "
        "with NOERROR or NXDOMAIN", summary(1, fail=1)], check=j_acme_sf),
    S("delegated _acme-challenge CNAME", ["*.acme-cname.caatest"], 0,
      [summary(1, ok=1)], check=j_acme_cname),
    S("-v traces every query", ["ok.caatest"], 0, [
        "re:" + re.escape(P + "resolver: trust anchor ") + r"/.*/root\.ds "
        r"\(configured\)",
        "re:" + re.escape(P + "query CAA ok.caatest: NOERROR, secure, 1 "
                          "record, ") + r"[0-9.]+ ms",
        "re:" + re.escape(P + "query CAA caatest: NOERROR, secure, 0 "
                          "records, ") + r"[0-9.]+ ms",
        "re:" + re.escape(P + "2 lookups in ") + r"[0-9.]+ ms",
        P + "ok.caatest: ok (relevant CAA at ok.caatest)",
        summary(1, ok=1)], args=["-v"]),
    S("a level shared by names is asked once",
      ["ok.caatest", "child.ok.caatest", "*.ok.caatest", "www.ok.caatest"],
      1, refused_other("child.ok.caatest", "child.ok.caatest") +
      [summary(4, ok=3, refused=1)], check=j_shared),
    S("forwarding to a validating resolver: allowed", ["ok.caatest"], 0,
      [summary(1, ok=1)], conf="fwdconf",
      check=j_allowed_at("ok.caatest", 1)),
    S("forwarding to a validating resolver: refused", ["other.caatest"], 1,
      refused_other("other.caatest", "other.caatest") +
      [summary(1, refused=1)], conf="fwdconf"),
    S("several names, one run", ["ok.caatest", "*.wild.caatest",
                                  "expired.caatest"], 2,
      refused_other("*.wild.caatest", "wild.caatest", tag="issuewild") +
      bogus("expired.caatest", "expired.caatest") +
      [summary(3, ok=1, refused=1, fail=1)]),
]


def wrap():
    """A command prefix for every caa-preflight run (valgrind)."""
    return shlex.split(os.environ.get("CAA_PREFLIGHT_WRAP", ""))


def invoke(binary, u, s, fmt):
    cmd = wrap() + [binary, "-c", getattr(u, s.conf)] + s.args
    if fmt == "json":
        cmd += ["--format", "json"]
    cmd += s.names
    t0 = time.monotonic()
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    return p, time.monotonic() - t0


def match(want, got):
    if want.startswith("re:"):
        return re.fullmatch(want[3:], got) is not None
    return want == got


def run_scenario(binary, u, s):
    errors = []
    p, secs = invoke(binary, u, s, "text")
    got = p.stderr.splitlines()
    if p.returncode != s.status:
        errors.append("exit %d, want %d" % (p.returncode, s.status))
    if len(got) != len(s.lines) or not all(
            match(w, g) for w, g in zip(s.lines, got)):
        errors.append("report differs:\n  want:\n%s\n  got:\n%s" % (
            "\n".join("    " + w for w in s.lines),
            "\n".join("    " + g for g in got)))
    if s.max_seconds is not None and secs > s.max_seconds:
        errors.append("took %.2f s, deadline allows %.1f" % (
            secs, s.max_seconds))
    if s.check is not None:
        pj, _ = invoke(binary, u, s, "json")
        try:
            doc = json.loads(pj.stdout)
            assert doc["exit"] == s.status, "JSON exit %r" % doc["exit"]
            s.check(doc)
        except (AssertionError, ValueError, KeyError, TypeError) as e:
            errors.append("JSON: %r\n%s" % (e, pj.stdout[:3000]))
    return errors, secs


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
        passed, slowest = 0, (0.0, "")
        for s in SCENARIOS:
            if only and s.title not in only:
                continue
            errors, secs = run_scenario(binary, u, s)
            if secs > slowest[0] and s.max_seconds is None:
                slowest = (secs, s.title)
            if errors:
                failed += 1
                print("FAIL %s (%s)" % (s.title, " ".join(s.names)))
                for e in errors:
                    print("  " + e)
            else:
                passed += 1
                print("ok   %s (%.2f s)" % (s.title, secs))
        if failed:
            u.dump_logs()
        if not only:
            # Every name of every scenario at once: as long as the slowest.
            names = sorted({n for s in SCENARIOS for n in s.names
                            if "dead" not in n})
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
