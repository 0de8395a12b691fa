#!/usr/bin/env python3
"""make bench: caa-preflight against what operators use today.

Runs inside the integration harness's private namespace.  Builds 200
DNSSEC-signed zones with two nameservers each, puts every server behind a
delay relay of our own (this kernel has no netem), and measures, in one
run over the same names and servers: caa-preflight; a sequential shell
script of dig through a local validating unbound plus dig +norec to every
nameserver; the same script 16 names at a time.  With the nameserver
probe on and off.  Figures are printed, not judged; beside
caa-preflight's CPU time, each of its threads' (a validating thread's
is a floor no wall time can go below), and the CPU time the servers and
the relay (shown apart: it stands for the network) spent meanwhile on
the same cores.

Environment: BENCH_DELAY_MS (one way, default 20), BENCH_SIZES (default
1000,10000), BENCH_BASELINE_NAMES (how many of the first size's names the dig
scripts run over, default all; their figures are then scaled), BENCH_RRL
(0: skip the closing run with NSD's response-rate limiting on),
BENCH_RUNS (caa-preflight runs per size and mode, median shown; default 3),
BENCH_COMPARE (another caa-preflight binary, e.g. a build of an earlier
commit: each size and mode then runs both, alternated, in the same
universe and prints them side by side; the dig scripts and the RRL run
are skipped), BENCH_EXEC (instead of measuring, run this command in
the universe once it is up: $WORK holds its files, root.ds and
root.hints among them, and in $WORK/names the names of the first size).
"""

import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "integration"))
import universe as U  # noqa: E402

DELAY = float(os.environ.get("BENCH_DELAY_MS", "20"))
SIZES = [int(x) for x in os.environ.get("BENCH_SIZES",
                                          "1000,10000").split(",")]
SAMPLE = int(os.environ.get("BENCH_BASELINE_NAMES", "0"))
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
NZONES = 200
RTT = 2 * DELAY / 1000.0
# Sequential round trips a cold, fully parallel lookup of the deepest
# name needs: root priming; the root (referral to the TLD, root DNSKEY);
# the TLD (referral with DS, TLD DNSKEY); the zone (CAA, zone DNSKEY).
# Naming the broken server takes one more: the direct queries.
BOUND_RTTS = {"on": 5, "off": 4}
# Direct queries in flight to one address: the configuration's default.
INFLIGHT = 32


def bench_zones():
    zones = []
    for i in range(NZONES):
        recs = ['@ CAA 0 issue "letsencrypt.org"'] if i % 4 else []
        if i % 10 == 3:
            recs.append('@ CAA 0 issuewild "letsencrypt.org"')
        recs += ["www A 192.0.2.1", "mail A 192.0.2.1", "a.b A 192.0.2.1"]
        recs += ["h%d A 192.0.2.1" % k for k in range(50)]
        zones.append(U.Zone("z%03d" % i, [
            "main:ns1-z%03d:127.55.%d.1" % (i, i),
            "main:ns2-z%03d:127.55.%d.2" % (i, i)], "yes", recs))
    return zones


def bench_names(n):
    per = n // NZONES
    prefixes = ["", "www.", "a.b.", "*.", "mail."] + \
        ["h%d." % k for k in range(per)]
    return [p + "z%03d.%s" % (i, U.TLD) for i in range(NZONES)
            for p in prefixes[:per]]


class Relay:
    def __init__(self, work, addrs):
        self.stats = os.path.join(work, "relay.stats")
        self.proc = subprocess.Popen(
            [os.path.join(HERE, "relay"), "-d", str(DELAY), "-b", "5353",
             "-s", self.stats] + addrs)

    def count(self):
        self.proc.send_signal(signal.SIGUSR1)
        for _ in range(100):
            time.sleep(0.02)
            try:
                with open(self.stats) as f:
                    a, b = f.read().split()
                os.unlink(self.stats)
                return int(a) + int(b)
            except (OSError, ValueError):
                continue
        return -1


def stat_cpu(st):
    """CPU seconds in a /proc stat line: utime and stime, fields 14 and
    15, after "(comm)"."""
    v = st[st.rindex(")") + 2:].split()
    return (int(v[11]) + int(v[12])) / os.sysconf("SC_CLK_TCK")


class Threads:
    """The CPU seconds of each of a process's threads, by name.

    caa-preflight's own thread runs the event loop, the decision and the
    direct queries; libunbound resolves on a thread per context, which
    caa-preflight names: "resolver-ca1" and "resolver-ca2" validate the
    CA's lookups, a zone's on one of them ("resolver-ca" on a machine
    with one core), "resolver-probe" (with the nameserver check) makes
    the check's own lookups, without the validator.  An older build's threads keep the
    process's name and are shown as "libunbound".  The process runs
    under /usr/bin/time, whose child it is; its threads are read off
    /proc every 20 ms until it ends, so a thread's last 20 ms can be
    missed.
    """

    def __init__(self, parent):
        self.parent = parent
        self.pid = None
        self.cpu = {}
        self.names = {}
        self.done = threading.Event()
        self.thread = threading.Thread(target=self.watch)
        self.thread.start()

    def watch(self):
        while not self.done.is_set():
            if self.pid is None:
                try:
                    with open("/proc/%d/task/%d/children" % (
                            self.parent, self.parent)) as f:
                        self.pid = int(f.read().split()[0])
                except (OSError, ValueError, IndexError):
                    pass
            if self.pid is not None:
                self.read()
            self.done.wait(0.02)

    def read(self):
        try:
            tids = os.listdir("/proc/%d/task" % self.pid)
        except OSError:
            return
        for tid in tids:
            try:
                with open("/proc/%d/task/%s/stat" % (self.pid, tid)) as f:
                    st = f.read()
            except OSError:
                continue
            self.cpu[int(tid)] = stat_cpu(st)
            self.names[int(tid)] = st[st.index("(") + 1:st.rindex(")")]

    def stop(self):
        """{thread name: CPU seconds}, the process's own as "main"."""
        self.done.set()
        self.thread.join()
        main = self.names.get(self.pid)
        out = {}
        for t, c in self.cpu.items():
            name = self.names[t]
            if t == self.pid:
                name = "main"
            elif c == 0:
                continue  # a thread started only to see that one can be
            elif name == main:
                name = "libunbound"
            out[name] = out.get(name, 0.0) + c
        return out


def timed(cmd, env=None):
    """wall, cpu (children), peak RSS KiB, each thread's cpu, the
    process.  Peak RSS comes from /usr/bin/time: a child of this
    process would inherit its high-water mark across exec."""
    before = os.times()
    t0 = time.monotonic()
    p = subprocess.Popen(["/usr/bin/time", "-f", "%M"] + cmd, env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True)
    threads = Threads(p.pid)
    out, err = p.communicate()
    wall = time.monotonic() - t0
    others = threads.stop()  # {name: cpu}
    p = subprocess.CompletedProcess(cmd, p.returncode, out, err)
    after = os.times()
    cpu = (after.children_user - before.children_user +
           after.children_system - before.children_system)
    try:
        rss = int(p.stderr.strip().splitlines()[-1])
    except (ValueError, IndexError):
        rss = -1
    return wall, cpu, rss, others, p


def row(label, wall, cpu, rss, queries, n, bound):
    print("  %-34s wall %7.2f s  cpu %7.2f s  rss %6.1f MiB  queries %7s"
          "  (%5.1f/name)  wall/bound %6.1f" % (
              label, wall, cpu, rss / 1024.0 if rss >= 0 else -1,
              queries, (queries / n) if isinstance(queries, int) else 0,
              wall / bound))


THREAD_ORDER = ["main", "resolver-ca", "resolver-ca1", "resolver-ca2",
                "resolver-probe", "libunbound"]
OTHERS_KEY = " servers and relay"
RELAY_KEY = " relay"


def threads_row(threads, wall, bound):
    """Each thread's CPU time; a resolver thread's against the bound."""
    parts = []
    for name in sorted(threads, key=lambda n: (
            THREAD_ORDER.index(n) if n in THREAD_ORDER else 9, n)):
        cpu = threads[name]
        if name in (OTHERS_KEY, RELAY_KEY):
            continue
        if name == "main":
            parts.append("main %.2f s" % cpu)
        else:
            parts.append("%s %.2f s (%.1f x the bound, %.0f%% of the "
                         "wall)" % (name, cpu, cpu / bound,
                                    100.0 * cpu / wall))
    print("  %-34s cpu per thread: %s" % ("", ", ".join(parts)))
    if OTHERS_KEY in threads:
        relay = threads.get(RELAY_KEY, 0.0)
        print("  %-34s cpu of the servers and the relay meanwhile: %.2f s "
              "(servers %.2f s, relay %.2f s; the machine's cores: %.0f%% "
              "busy with both)" % (
                  "", threads[OTHERS_KEY], threads[OTHERS_KEY] - relay,
                  relay, 100.0 * sum(v for k, v in threads.items()
                                     if k != RELAY_KEY) /
                  ((os.cpu_count() or 1) * wall)))


def up(work):
    """The universe and its relay, up."""
    u = U.Universe(work)
    u.build()
    relay = Relay(work, [U.ROOT_ADDR, U.TLD_ADDR] +
                  [a for a in u.main_addrs if a.startswith("127.55.")])
    u.procs.append(("relay", relay.proc))
    u.wait()
    OTHERS[:] = [p.pid for _, p in u.procs]
    RELAY[:] = [relay.proc.pid]
    return u, relay


def write_confs(work):
    confs = {}
    for mode in ("on", "off"):
        confs[mode] = os.path.join(work, "bench-%s.yaml" % mode)
        with open(confs[mode], "w") as f:
            f.write("timeout: 120\nchecks:\n  nameservers: %s\n"
                    "  max_inflight: %d\n"
                    "resolver:\n  trust_anchor: %s/root.ds\n"
                    "  root_hints: %s/root.hints\n" % (
                        "error" if mode == "on" else "off", INFLIGHT, work,
                        work))
    return confs


# The universe's servers and the relay, whose CPU time each run adds to:
# they share the machine's cores with caa-preflight.  The relay stands
# for the network, and is shown apart.
OTHERS = []
RELAY = []


def cpu_of(pid):
    """A process's CPU seconds with those of its live children (NSD's
    workers are children of the process the universe started)."""
    total = 0.0
    try:
        with open("/proc/%d/stat" % pid) as f:
            total = stat_cpu(f.read())
        with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
            kids = [int(k) for k in f.read().split()]
    except (OSError, ValueError):
        return total
    return total + sum(cpu_of(k) for k in kids)


def others_cpu():
    return sum(cpu_of(pid) for pid in OTHERS)


def run_tool(binary, conf, names, relay):
    c0 = relay.count()
    o0 = others_cpu()
    r0 = sum(cpu_of(pid) for pid in RELAY)
    wall, cpu, rss, threads, p = timed([binary, "-q", "--format", "json",
                                        "-c", conf] + names)
    # Under the names threads_row() prints apart.
    threads[OTHERS_KEY] = others_cpu() - o0
    threads[RELAY_KEY] = sum(cpu_of(pid) for pid in RELAY) - r0
    sent = relay.count() - c0
    try:
        doc = json.loads(p.stdout)
    except ValueError:
        print("  caa-preflight: no JSON (exit %d): %s" % (
            p.returncode, p.stderr[-500:]))
        return None
    return wall, cpu, rss, sent, p.returncode, doc, threads


def target(size, mode, wall, rss, one):
    """The speed targets, printed beside the figures (not a test): with
    the probe, 1,000 names within twice one name's wall time plus half a
    second; 10,000 names within 2.5 s and 64 MiB."""
    if mode != "on":
        return
    if size == 1000 and one.get("on"):
        limit = 2 * one["on"] + 0.5
        print("  %-34s target: wall <= 2 x one name (%.0f ms) + 0.5 s = "
              "%.2f s: %s" % ("", one["on"] * 1000, limit,
                              "met" if wall <= limit else "NOT met"))
    elif size == 10000:
        print("  %-34s target: wall <= 2.5 s and peak RSS <= 64 MiB: %s" % (
            "", "met" if wall <= 2.5 and rss <= 64 * 1024 else "NOT met"))


def compare(binary, other, conf, names, relay, bound, size, mode, one):
    """The same names with two binaries, runs alternated, medians shown."""
    got = {binary: [], other: []}
    for _ in range(RUNS):
        for b in (other, binary):
            r = run_tool(b, conf, names, relay)
            if r is not None:
                got[b].append(r)
    for label, b in (("before (BENCH_COMPARE)", other),
                     ("after (this build)", binary)):
        runs = sorted(got[b], key=lambda x: x[0])
        if not runs:
            continue
        wall, cpu, rss, sent, status, doc, threads = runs[len(runs) // 2]
        row(label, wall, cpu, rss, sent, len(names), bound)
        threads_row(threads, wall, bound)
        if b == binary:
            target(size, mode, wall, rss, one)
        print("  %-34s median of %d runs: %.2f s to %.2f s; exit %d, "
              "%d lookups, %d direct queries, %d findings" % (
                  "", len(runs), runs[0][0], runs[-1][0], status,
                  doc["lookups"], doc["direct_queries"],
                  len(findings_of(doc))))


def findings_of(doc):
    return [(z["zone"], f) for z in doc["nameservers"] or []
            for f in z["findings"]]


def main(argv):
    binary = os.path.abspath(argv[0])
    U.SERVER_PORT = 5353
    U.ZONES = bench_zones()
    work = tempfile.mkdtemp(prefix="caapf-bench-")
    t0 = time.monotonic()
    u = None
    try:
        u, relay = up(work)
        print("bench: %d zones, 2 nameservers (addresses) each, every "
              "query through a "
              "relay adding %.0f ms each way (RTT %.0f ms); up in %.1f s" % (
                  NZONES, DELAY, RTT * 1000, time.monotonic() - t0))
        if os.environ.get("BENCH_EXEC"):
            names = bench_names(SIZES[0])
            with open(os.path.join(work, "names"), "w") as f:
                f.write("\n".join(names))
            return subprocess.call(["sh", "-c", os.environ["BENCH_EXEC"]],
                                   env=dict(os.environ, WORK=work))
        confs = write_confs(work)
        # The servers' and the relay's first answers are slower (pages
        # touched for the first time); caa-preflight keeps no cache.
        w = run_tool(binary, confs["off"], bench_names(SIZES[0]), relay)
        if w is not None:
            print("warm-up run of the servers (not counted): %.2f s" % w[0])
        # What libunbound's own chain of round trips costs: the deepest
        # name alone, cold (a fresh process has an empty cache).
        deepest = "a.b.z%03d.%s" % (NZONES - 1, U.TLD)
        one = {}
        for mode in ("off", "on"):
            walls = sorted(r[0] for r in (
                run_tool(binary, confs[mode], [deepest], relay)
                for _ in range(RUNS)) if r is not None)
            if walls:
                w = one[mode] = walls[len(walls) // 2]
                print("one name alone (%s), probe %s: %.0f ms = %.1f RTT "
                      "(median of %d)" % (deepest, mode, w * 1000, w / RTT,
                                          len(walls)))
        resolvers = iter("127.53.8.%d" % i for i in range(2, 250))
        for size in SIZES:
            names = bench_names(size)
            for mode in ("on", "off"):
                bound = BOUND_RTTS[mode] * RTT
                print("\n%d names, nameserver probe %s; critical-path lower "
                      "bound %d RTT = %.0f ms" % (len(names), mode,
                                                  BOUND_RTTS[mode],
                                                  bound * 1000))
                if os.environ.get("BENCH_COMPARE"):
                    compare(binary, os.path.abspath(
                        os.environ["BENCH_COMPARE"]), confs[mode], names,
                        relay, bound, size, mode, one)
                    continue
                # This machine's timings vary from run to run: the
                # median of RUNS, with the fastest and slowest shown.
                runs = [run_tool(binary, confs[mode], names, relay)
                        for _ in range(RUNS)]
                if None in runs:
                    continue
                runs.sort(key=lambda x: x[0])
                wall, cpu, rss, sent, status, doc, threads = \
                    runs[len(runs) // 2]
                found = [f for x in runs for f in findings_of(x[5])]
                row("caa-preflight", wall, cpu, rss, sent, len(names),
                    bound)
                threads_row(threads, wall, bound)
                target(size, mode, wall, rss, one)
                if RUNS > 1:
                    print("  %-34s median of %d runs: %.2f s to %.2f s" % (
                        "", RUNS, runs[0][0], runs[-1][0]))
                # The relay counts every query; the probe's are known.
                print("  %-34s exit %d, %d lookups (%d resolver queries), "
                      "%d direct queries, %d nameserver findings in %d "
                      "run%s (0 expected)" % (
                          "", status, doc["lookups"],
                          sent - doc["direct_queries"],
                          doc["direct_queries"], len(found), RUNS,
                          "" if RUNS == 1 else "s"))
                for zone, f in found[:3]:
                    print("  %-34s finding: %s: %s %s" % (
                        "", zone, f["server"], f["message"]))
                if size != SIZES[0]:
                    continue
                sample = names
                if 0 < SAMPLE < len(names):
                    step = len(names) // SAMPLE
                    sample = names[::step][:SAMPLE]
                scale = len(names) / len(sample)
                env = dict(os.environ, BASELINE_PROBE="1" if mode == "on"
                           else "0")
                for label, par in (("dig, sequential", 1),
                                   ("dig, 16 at a time", 16)):
                    res = next(resolvers)
                    u.unbound(res)
                    u.waits = [(res, U.TLD)]
                    u.wait()
                    c0 = relay.count()
                    cmd = ["xargs", "-P", str(par), "-n", "1",
                           os.path.join(HERE, "baseline.sh"), res]
                    t1 = time.monotonic()
                    b0 = os.times()
                    subprocess.run(cmd, input="\n".join(sample), text=True,
                                   env=env, capture_output=True)
                    bw = time.monotonic() - t1
                    b1 = os.times()
                    bcpu = (b1.children_user - b0.children_user +
                            b1.children_system - b0.children_system)
                    bsent = relay.count() - c0
                    if scale != 1:
                        label += " (%d names, x%.0f)" % (len(sample), scale)
                    row(label, bw * scale, bcpu * scale, -1,
                        int(bsent * scale), len(names), bound)
                    print("  %-34s caa-preflight is %.1f x faster" % (
                        "", bw * scale / wall))
        if os.environ.get("BENCH_RRL", "1") != "0" and \
                not os.environ.get("BENCH_COMPARE"):
            rrl(binary, work, u)
            u = None
    finally:
        if u is not None:
            u.stop()
        import shutil
        shutil.rmtree(work, ignore_errors=True)
    return 0


def rrl(binary, work, u):
    """The largest run again with NSD's response-rate limiting on."""
    u.stop()
    U.RRL = True
    rwork = os.path.join(work, "rrl")
    os.mkdir(rwork)
    u, relay = up(rwork)
    try:
        names = bench_names(max(SIZES))
        confs = write_confs(rwork)
        r = run_tool(binary, confs["on"], names, relay)
        print("\nNSD response-rate limiting on (Debian's defaults), %d "
              "names, probe on, at most %d direct queries in flight per "
              "address:" % (len(names), INFLIGHT))
        if r is None:
            return
        wall, cpu, rss, sent, status, doc, _ = r
        found = findings_of(doc)
        print("  wall %.2f s, exit %d, %d direct queries, %d nameserver "
              "findings (0 expected)" % (wall, status, doc["direct_queries"],
                                         len(found)))
        for zone, f in found[:3]:
            print("  finding: %s: %s %s" % (zone, f["server"], f["message"]))
    finally:
        u.stop()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
