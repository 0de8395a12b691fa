/*
 * Unit tests for the direct queries: the queries to one address share
 * one socket and are told apart by ID and question, whatever order the
 * answers come in; a second answer to a query that ended is not a
 * stray, a flood of packets that are nobody's answer is; an address
 * that refuses tells every query waiting on it.
 *
 * The server is a UDP socket of the test's on 127.0.0.1 port 53, in a
 * network namespace of the test's own (unshare(2), with a user namespace
 * where it is not root, as the integration harness does), so nothing of
 * the machine's is in the way.
 */
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ldns/ldns.h>

#include "probe.h"
#include "resolve.h"

#define SERVER	"127.0.0.1"
#define NOBODY	"127.0.0.2"	/* nothing listens: ICMP port unreachable */
#define T_CAA	257
#define MAXQ	64

/* What the server read: the query and where it came from. */
struct heard {
	uint8_t			 buf[512];
	size_t			 len;
	struct sockaddr_in	 from;
};

/* What the probe handed back for one query. */
struct got {
	int			 done;
	int			 order;		/* of all the results */
	enum probe_state	 state;
	char			 qname[64];
	char			 err[128];
	int			 same;		/* r->same */
	uint8_t			 wire[512];	/* r->wire */
	size_t			 wirelen;
	int			 known;		/* the same hook says 1 */
	size_t			 hooked;	/* the hook saw this many bytes */
};

static struct heard	 heard[MAXQ];
static size_t		 nheard;

static void
cb(void *arg, struct probe_result *r)
{
	static int	 results;
	struct got	*g = arg;
	char		*s;

	g->done++;
	g->order = ++results;
	g->state = r->state;
	g->same = r->same;
	(void)snprintf(g->err, sizeof(g->err), "%s", r->err);
	if (r->wire != NULL && r->wirelen <= sizeof(g->wire)) {
		memcpy(g->wire, r->wire, r->wirelen);
		g->wirelen = r->wirelen;
	}
	if (r->pkt != NULL) {
		s = ldns_rdf2str(ldns_rr_owner(ldns_rr_list_rr(
		    ldns_pkt_question(r->pkt), 0)));
		(void)snprintf(g->qname, sizeof(g->qname), "%s", s);
		free(s);
		ldns_pkt_free(r->pkt);
	}
}

static int
server(void)
{
	struct sockaddr_in	 sin;
	int			 fd;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(53);
	ck_assert_int_eq(inet_pton(AF_INET, SERVER, &sin.sin_addr), 1);
	ck_assert_int_ge(fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0),
	    0);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	return fd;
}

static size_t
open_fds(void)
{
	DIR	*d = opendir("/proc/self/fd");
	size_t	 n = 0;

	ck_assert_ptr_nonnull(d);
	while (readdir(d) != NULL)
		n++;
	closedir(d);
	return n;
}

/* The most descriptors open at once during loop(). */
static size_t	 most_fds;

/*
 * Run the probe's side of the loop, and read what the server hears,
 * until want queries were heard (want > 0) or nothing is pending.
 */
static void
loop(struct probe *p, int fd, size_t want)
{
	struct pollfd	 pfd[MAXQ + 1];
	size_t		 n;
	socklen_t	 sl;
	ssize_t		 r;
	int		 rounds = 0;

	for (;;) {
		n = probe_pollfds(p, pfd + 1, MAXQ);
		if (open_fds() > most_fds)
			most_fds = open_fds();
		if (want > 0 ? nheard >= want : probe_pending(p) == 0)
			return;
		ck_assert_int_lt(rounds++, 200);
		pfd[0].fd = fd;
		pfd[0].events = POLLIN;
		pfd[0].revents = 0;
		(void)poll(pfd, n + 1, 20);
		while (nheard < MAXQ) {
			sl = sizeof(heard[nheard].from);
			r = recvfrom(fd, heard[nheard].buf,
			    sizeof(heard[nheard].buf), 0,
			    (struct sockaddr *)&heard[nheard].from, &sl);
			if (r < 0)
				break;
			heard[nheard++].len = (size_t)r;
		}
		probe_events(p, pfd + 1, n);
	}
}

/*
 * The answer to a heard query: its header and question, QR and AA, and
 * TC as well when truncated is set; into b, its length into *len.
 */
static void
answer_bytes(const struct heard *h, int id, int truncated, uint8_t *b,
    size_t *len)
{
	size_t	 i = 12;

	while (i < h->len && h->buf[i] != 0)
		i += (size_t)h->buf[i] + 1;
	i += 5;				/* the root label, type, class */
	ck_assert_uint_le(i, h->len);
	memcpy(b, h->buf, i);
	if (id >= 0) {
		b[0] = (uint8_t)(id >> 8);
		b[1] = (uint8_t)id;
	}
	b[2] |= truncated ? 0x86 : 0x84;	/* QR, AA (, TC) */
	b[10] = b[11] = 0;		/* no OPT record */
	*len = i;
}

/* Sent to the heard query's address and port. */
static void
answer_tc(int fd, const struct heard *h, int id, int truncated)
{
	uint8_t	 b[512];
	size_t	 i;

	answer_bytes(h, id, truncated, b, &i);
	ck_assert_int_eq(sendto(fd, b, i, 0, (const struct sockaddr *)&h->from,
	    sizeof(h->from)), (ssize_t)i);
}

static void
answer(int fd, const struct heard *h, int id)
{
	answer_tc(fd, h, id, 0);
}

static uint16_t
id_of(const struct heard *h)
{
	return (uint16_t)(h->buf[0] << 8 | h->buf[1]);
}

static struct probe *
start(int per_server, const char *const *names, struct got *g, size_t n)
{
	struct probe	*p = probe_new(per_server, 2000);
	size_t		 i;

	ck_assert_ptr_nonnull(p);
	nheard = 0;
	memset(g, 0, n * sizeof(*g));
	for (i = 0; i < n; i++)
		ck_assert_int_eq(probe_query(p, SERVER, names[i], T_CAA, cb,
		    &g[i]), 0);
	return p;
}

static const char *const abc[] = { "a.test.", "b.test.", "c.test." };

/* The query for name was answered, once. */
static void
answered(const struct got *g, const char *name)
{
	ck_assert_int_eq(g->done, 1);
	ck_assert_int_eq(g->state, PROBE_ANSWER);
	ck_assert_str_eq(g->qname, name);
}

/* Three queries, one socket, answers in the reverse order. */
START_TEST(test_shared)
{
	struct got	 g[3];
	struct probe	*p = start(32, abc, g, 3);
	struct pollfd	 pfd[8];
	int		 fd = server();
	size_t		 i;

	loop(p, fd, 3);
	ck_assert_uint_eq(probe_pollfds(p, pfd, 8), 1);
	for (i = 1; i < 3; i++) {
		ck_assert_uint_eq(heard[i].from.sin_port, heard[0].from.sin_port);
		ck_assert_uint_ne(id_of(&heard[i]), id_of(&heard[0]));
	}
	for (i = 3; i-- > 0;)
		answer(fd, &heard[i], -1);
	loop(p, fd, 0);
	for (i = 0; i < 3; i++)
		answered(&g[i], abc[i]);
	ck_assert_uint_eq(probe_sent(p), 3);
	probe_free(p);
	close(fd);
}
END_TEST

/*
 * A packet on a socket no query waits on (a second copy of an answer):
 * the socket is closed, so epoll does not tell of it round after round,
 * and the next query to the server opens a fresh one.
 */
START_TEST(test_idle)
{
	struct got	 g[2];
	struct probe	*p = start(32, abc, g, 1);
	struct pollfd	 pfd[8];
	int		 fd = server();
	size_t		 base, n;
	in_port_t	 first;

	loop(p, fd, 1);
	answer(fd, &heard[0], -1);
	loop(p, fd, 0);
	answered(&g[0], abc[0]);
	first = heard[0].from.sin_port;
	base = open_fds();
	answer(fd, &heard[0], -1);
	n = probe_pollfds(p, pfd, 8);
	ck_assert_int_eq(poll(pfd, n, 1000), 1);
	probe_events(p, pfd, n);
	ck_assert_uint_eq(open_fds(), base - 1);
	n = probe_pollfds(p, pfd, 8);
	ck_assert_int_eq(poll(pfd, n, 0), 0);
	memset(&g[1], 0, sizeof(g[1]));
	ck_assert_int_eq(probe_query(p, SERVER, abc[1], T_CAA, cb, &g[1]), 0);
	nheard = 0;
	loop(p, fd, 1);
	ck_assert_uint_ne(heard[0].from.sin_port, first);
	answer(fd, &heard[0], -1);
	loop(p, fd, 0);
	answered(&g[1], abc[1]);
	probe_free(p);
	close(fd);
}
END_TEST

/*
 * a's answer, then more copies of it than a query takes strays, then
 * b's: b is answered.  The same number of packets with an ID nobody
 * used: b gives up, flooded.
 */
START_TEST(test_strays)
{
	struct got	 g[2];
	struct probe	*p;
	int		 fd = server(), flood = _i;
	size_t		 i;
	uint16_t	 other;

	p = start(1, abc, g, 2);	/* one at a time: b after a */
	loop(p, fd, 1);
	answer(fd, &heard[0], -1);
	loop(p, fd, 2);
	answered(&g[0], abc[0]);
	ck_assert_uint_eq(heard[1].from.sin_port, heard[0].from.sin_port);
	other = (uint16_t)(id_of(&heard[0]) ^ id_of(&heard[1]) ^ 0x5a5a);
	for (i = 0; i < 20; i++)
		answer(fd, &heard[0], flood ? other : -1);
	answer(fd, &heard[1], -1);
	loop(p, fd, 0);
	if (flood) {
		ck_assert_int_eq(g[1].done, 1);
		ck_assert_int_eq(g[1].state, PROBE_ERROR);
		ck_assert_str_eq(g[1].err, "flooded with packets that are not "
		    "the answer");
	} else
		answered(&g[1], abc[1]);
	probe_free(p);
	close(fd);
}
END_TEST

/*
 * Nothing listens: every query on the socket is told, none waits.  The
 * ICMP error the first datagram brings is taken by the next send (two
 * queries), or shows on the socket when none follows (one, three).
 */
START_TEST(test_refused)
{
	struct got	 g[3];
	struct probe	*p = probe_new(32, 2000);
	size_t		 i, n = (size_t)_i;

	memset(g, 0, sizeof(g));
	for (i = 0; i < n; i++)
		ck_assert_int_eq(probe_query(p, NOBODY, abc[i], T_CAA, cb,
		    &g[i]), 0);
	nheard = 0;
	loop(p, -1, 0);
	for (i = 0; i < n; i++) {
		ck_assert_int_eq(g[i].done, 1);
		ck_assert_int_eq(g[i].state, PROBE_ERROR);
		ck_assert_str_eq(g[i].err, strerror(ECONNREFUSED));
	}
	probe_free(p);
}
END_TEST

/* n names, n0.test. to n<n-1>.test., and v pointing at them. */
static void
numbered(char names[][32], const char **v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		(void)snprintf(names[i], sizeof(names[i]), "n%zu.test.", i);
		v[i] = names[i];
	}
}

/* The cap holds, and the IDs of queries in flight differ. */
START_TEST(test_cap)
{
	static char	 names[40][32];
	const char	*v[40];
	struct got	 g[40];
	struct probe	*p;
	int		 fd = server();
	size_t		 i, k;

	numbered(names, v, 40);
	p = start(32, v, g, 40);
	loop(p, fd, 32);
	ck_assert_uint_eq(nheard, 32);
	ck_assert_uint_eq(probe_pending(p), 40);
	for (i = 0; i < 32; i++)
		for (k = 0; k < i; k++)
			ck_assert_uint_ne(id_of(&heard[i]), id_of(&heard[k]));
	for (i = 0; i < 32; i++)
		answer(fd, &heard[i], -1);
	loop(p, fd, 40);
	for (i = 32; i < 40; i++)
		answer(fd, &heard[i], -1);
	loop(p, fd, 0);
	for (i = 0; i < 40; i++)
		answered(&g[i], names[i]);
	probe_free(p);
	close(fd);
}
END_TEST

/*
 * More servers than sockets may be open: sockets kept open between
 * queries are closed for new ones, and never more than 512 are open.
 */
START_TEST(test_open_bound)
{
	static char	 addrs[600][20];
	static struct got g[600];
	size_t		 i, base = open_fds();
	/* Its epoll descriptor is the probe's one more. */
	struct probe	*p = probe_new(32, 2000);

	for (i = 0; i < 600; i++) {
		(void)snprintf(addrs[i], sizeof(addrs[i]), "127.0.%zu.%zu",
		    2 + i / 200, 1 + i % 200);
		ck_assert_int_eq(probe_query(p, addrs[i], abc[0], T_CAA, cb,
		    &g[i]), 0);
	}
	most_fds = base;
	loop(p, -1, 0);
	ck_assert_uint_le(most_fds - base, 512 + 1);
	for (i = 0; i < 600; i++) {
		ck_assert_int_eq(g[i].done, 1);
		ck_assert_str_eq(g[i].err, strerror(ECONNREFUSED));
	}
	probe_free(p);
	ck_assert_uint_eq(open_fds(), base);
}
END_TEST

/*
 * The cap is on sockets, not on queries: with one socket allowed, 40
 * queries to one server are all in flight on it at once.
 */
START_TEST(test_sockets_not_queries)
{
	static char	 names[40][32];
	const char	*v[40];
	struct got	 g[40];
	struct probe	*p;
	int		 fd = server();
	size_t		 i, base = open_fds();

	numbered(names, v, 40);
	p = start(64, v, g, 40);
	probe_set_maxopen(p, 1);
	most_fds = base;
	loop(p, fd, 40);
	ck_assert_uint_eq(nheard, 40);
	ck_assert_uint_eq(probe_pending(p), 40);
	for (i = 1; i < 40; i++)
		ck_assert_uint_eq(heard[i].from.sin_port, heard[0].from.sin_port);
	for (i = 0; i < 40; i++)
		answer(fd, &heard[i], -1);
	loop(p, fd, 0);
	for (i = 0; i < 40; i++)
		answered(&g[i], names[i]);
	/* The probe's epoll descriptor and the one socket. */
	ck_assert_uint_le(most_fds - base, 2);
	probe_free(p);
	close(fd);
}
END_TEST

/*
 * A truncated answer when no socket may be opened for TCP: the query
 * waits, with no deadline, until the server's UDP socket is idle and
 * closed, and goes first: a query to another server, queued all along,
 * is sent after it.  (Nothing listens on TCP, nor at NOBODY: both are
 * refused.)  Never more sockets than allowed.
 */
/* The same hook: what it knows ends unparsed, what it does not is parsed. */
static int
same_hook(void *arg, const uint8_t *wire, size_t len)
{
	struct got	*g = arg;

	ck_assert_ptr_nonnull(wire);
	g->hooked = len;
	return g->known;
}

START_TEST(test_same)
{
	struct got	 g[3];
	struct probe	*p;
	uint8_t		 b[512];
	int		 fd = server();
	size_t		 i, len;

	p = start(32, abc, g, 3);
	probe_set_same(p, same_hook);
	g[1].known = 1;
	loop(p, fd, 3);
	answer_tc(fd, &heard[2], -1, 1);	/* TC: over TCP, no one listens */
	for (i = 0; i < 2; i++)
		answer(fd, &heard[i], -1);
	loop(p, fd, 0);
	/* Not known: parsed, and the bytes are handed over as well. */
	answered(&g[0], abc[0]);
	ck_assert_int_eq(g[0].same, 0);
	answer_bytes(&heard[0], -1, 0, b, &len);
	ck_assert_uint_eq(g[0].hooked, len);
	ck_assert_uint_eq(g[0].wirelen, len);
	ck_assert_mem_eq(g[0].wire, b, len);
	/* Known: an answer, same set, nothing parsed. */
	ck_assert_int_eq(g[1].done, 1);
	ck_assert_int_eq(g[1].state, PROBE_ANSWER);
	ck_assert_int_eq(g[1].same, 1);
	ck_assert_str_eq(g[1].qname, "");
	answer_bytes(&heard[1], -1, 0, b, &len);
	ck_assert_uint_eq(g[1].hooked, len);
	ck_assert_mem_eq(g[1].wire, b, len);
	/* A truncated answer the hook does not know goes on to TCP. */
	ck_assert_int_eq(g[2].done, 1);
	ck_assert_int_eq(g[2].same, 0);
	ck_assert_int_eq(g[2].state, PROBE_TCP_FAILED);
	probe_free(p);
	close(fd);
}
END_TEST

START_TEST(test_tcp_waits)
{
	struct got	 g[3];
	struct probe	*p;
	struct pollfd	 pfd[8];
	int		 fd = server();
	size_t		 i, n, base = open_fds();

	p = start(32, abc, g, 2);
	memset(&g[2], 0, sizeof(g[2]));
	ck_assert_int_eq(probe_query(p, NOBODY, abc[2], T_CAA, cb, &g[2]), 0);
	probe_set_maxopen(p, 1);
	most_fds = base;
	loop(p, fd, 2);
	answer_tc(fd, &heard[0], -1, 1);
	for (i = 0; i < 5; i++) {
		n = probe_pollfds(p, pfd, 8);
		(void)poll(pfd, n, 20);
		probe_events(p, pfd, n);
	}
	ck_assert_int_eq(g[0].done + g[1].done + g[2].done, 0);
	answer(fd, &heard[1], -1);
	loop(p, fd, 0);
	answered(&g[1], abc[1]);
	ck_assert_int_eq(g[0].done, 1);
	ck_assert_int_eq(g[0].state, PROBE_TCP_FAILED);
	ck_assert_str_eq(g[0].err, strerror(ECONNREFUSED));
	ck_assert_int_eq(g[2].done, 1);
	ck_assert_str_eq(g[2].err, strerror(ECONNREFUSED));
	ck_assert_int_lt(g[1].order, g[0].order);
	ck_assert_int_lt(g[0].order, g[2].order);
	ck_assert_uint_le(most_fds - base, 2);
	probe_free(p);
	close(fd);
}
END_TEST

/* A network namespace of our own, with its loopback up. */
static int
own_network(void)
{
	struct ifreq	 ifr;
	int		 s;

	if (unshare(CLONE_NEWNET) == -1 &&
	    unshare(CLONE_NEWUSER | CLONE_NEWNET) == -1) {
		fprintf(stderr, "check_probe: cannot make a network namespace: "
		    "%s\n", strerror(errno));
		return -1;
	}
	if ((s = socket(AF_INET, SOCK_DGRAM, 0)) == -1)
		return -1;
	memset(&ifr, 0, sizeof(ifr));
	(void)snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	if (ioctl(s, SIOCGIFFLAGS, &ifr) == -1)
		return close(s), -1;
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(s, SIOCSIFFLAGS, &ifr) == -1)
		return close(s), -1;
	close(s);
	return 0;
}

int
main(void)
{
	Suite	*s = suite_create("probe");
	TCase	*tc = tcase_create("probe");
	SRunner	*sr;
	int	 failed;

	/* As the integration suite: skipped, and said, but not under CI. */
	if (own_network() == -1) {
		if (getenv("CI") != NULL && *getenv("CI") != '\0')
			return EXIT_FAILURE;
		fprintf(stderr, "check_probe: SKIPPED: nothing was tested\n");
		return EXIT_SUCCESS;
	}
	tcase_add_test(tc, test_shared);
	tcase_add_test(tc, test_idle);
	tcase_add_loop_test(tc, test_strays, 0, 2);
	tcase_add_loop_test(tc, test_refused, 1, 4);
	tcase_add_test(tc, test_cap);
	tcase_add_test(tc, test_open_bound);
	tcase_add_test(tc, test_sockets_not_queries);
	tcase_add_test(tc, test_tcp_waits);
	tcase_add_test(tc, test_same);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
