/*
 * Unit tests for the SPEC 5.3 findings (zone_analyse), from hand-built
 * server answers: every kind of finding, each as an error or a warning
 * with its exact message, and a healthy zone with none.
 */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zone.h"

#define SOA	6
#define TXT	16
#define CAA	257

/* How a hand-built server answers: its SOA and its one CAA query. */
struct srv {
	const char	*host;
	const char	*addr;
	enum zone_state	 soa;		/* ANSWER: rcode 0, aa, serial */
	int		 soa_rcode;
	int		 soa_aa;
	long		 serial;
	enum zone_state	 q;
	int		 rcode;
	int		 aa;
	const char	*rec;		/* one CAA record, or NULL */
	int		 soa_in_auth;
	const char	*sig_why;	/* bad signatures */
	const char	*err;		/* not ANSWER: the error text */
};

#define OK(h, a, serial, rec) \
	{ h, a, ZONE_ANSWER, 0, 1, serial, ZONE_ANSWER, 0, 1, rec, 1, NULL, "" }

struct zcase {
	const char	*what;
	struct srv	 s[2];
	size_t		 nsrv;
	const char	*parent_ns[2];	/* the delegation */
	const char	*child_ns[2];	/* the apex NS set */
	struct zone_cut	 cut;
	int		 error;		/* expected: the finding's kind */
	const char	*server;	/* its server, or NULL */
	const char	*msg;		/* its message; NULL: no finding */
	const char	*fix;		/* its fix's start */
};

#define ISSUE	"CAA 0 issue \"letsencrypt.org\""
#define NS2	{ "a.ns.example", "b.ns.example" }

static const struct zcase zcases[] = {
	{ "healthy", { OK("a.ns.example", "192.0.2.1", 7, ISSUE),
	    OK("b.ns.example", "192.0.2.2", 7, ISSUE) }, 2, NS2, NS2,
	    { 0, NULL }, 0, NULL, NULL, NULL },
	{ "silent server", { OK("a.ns.example", "192.0.2.1", 7, ISSUE),
	    { "b.ns.example", "192.0.2.2", ZONE_TIMEOUT, 0, 0, -1,
	    ZONE_TIMEOUT, 0, 0, NULL, 0, NULL, "no answer" } }, 2, NS2, NS2,
	    { 0, NULL }, 1, "b.ns.example",
	    "does not answer at all (SOA and CAA queries: no answer)",
	    "repair b.ns.example or remove it from the NS records of "
	    "example, both at the parent com and in the zone" },
	{ "drops type 257", { OK("a.ns.example", "192.0.2.1", 7, ISSUE),
	    { "b.ns.example", "192.0.2.2", ZONE_ANSWER, 0, 1, 7,
	    ZONE_TIMEOUT, 0, 0, NULL, 0, NULL, "no answer" } }, 2, NS2, NS2,
	    { 0, NULL }, 1, "b.ns.example",
	    "answers SOA but not CAA for example (no answer in time): its "
	    "DNS software or a middlebox drops type 257",
	    "upgrade the DNS software on b.ns.example" },
	{ "SERVFAIL for CAA", { OK("a.ns.example", "192.0.2.1", 7, ISSUE),
	    { "b.ns.example", "192.0.2.2", ZONE_ANSWER, 0, 1, 7,
	    ZONE_ANSWER, 2, 1, NULL, 0, NULL, "" } }, 2, NS2, NS2,
	    { 0, NULL }, 1, "b.ns.example",
	    "answers CAA for example with SERVFAIL",
	    "b.ns.example must answer CAA queries with NOERROR" },
	{ "lame: REFUSED SOA", { OK("a.ns.example", "192.0.2.1", 7, ISSUE),
	    { "b.ns.example", "192.0.2.2", ZONE_ANSWER, 5, 0, -1,
	    ZONE_ANSWER, 5, 0, NULL, 0, NULL, "" } }, 2, NS2, NS2,
	    { 0, NULL }, 1, "b.ns.example",
	    "does not serve the zone example: SOA query answered REFUSED "
	    "(lame)", "load the zone example on b.ns.example" },
	{ "SERVFAIL for SOA: fails the zone", { OK("a.ns.example", "192.0.2.1",
	    7, ISSUE), { "b.ns.example", "192.0.2.2", ZONE_ANSWER, 2, 0, -1,
	    ZONE_ANSWER, 2, 0, NULL, 0, NULL, "" } }, 2, NS2, NS2,
	    { 0, NULL }, 1, "b.ns.example",
	    "fails the zone example: SOA query answered SERVFAIL",
	    "make b.ns.example serve the zone example again (SERVFAIL" },
	{ "lame: no AA", { OK("a.ns.example", "192.0.2.1", 7, ISSUE),
	    { "b.ns.example", "192.0.2.2", ZONE_ANSWER, 0, 0, 7,
	    ZONE_ANSWER, 0, 0, ISSUE, 1, NULL, "" } }, 2, NS2, NS2,
	    { 0, NULL }, 1, "b.ns.example",
	    "answers for example without the AA bit: not authoritative "
	    "(lame)", "load the zone example on b.ns.example" },
	{ "TCP fails", { OK("a.ns.example", "192.0.2.1", 7, ISSUE),
	    { "b.ns.example", "192.0.2.2", ZONE_ANSWER, 0, 1, 7,
	    ZONE_TCP_FAILED, 0, 0, NULL, 0, NULL, "connection refused" } },
	    2, NS2, NS2, { 0, NULL }, 1, "b.ns.example",
	    "truncates the CAA answer for example over UDP and fails over "
	    "TCP (connection refused)", "make DNS over TCP (port 53) work" },
	{ "NODATA without SOA", { OK("a.ns.example", "192.0.2.1", 7, NULL),
	    { "b.ns.example", "192.0.2.2", ZONE_ANSWER, 0, 1, 7,
	    ZONE_ANSWER, 0, 1, NULL, 0, NULL, "" } }, 2, NS2, NS2,
	    { 0, NULL }, 1, "b.ns.example",
	    "answers CAA for example with NODATA but no SOA in the authority "
	    "section", "b.ns.example must put the zone's SOA record" },
	{ "bad signatures", { OK("a.ns.example", "192.0.2.1", 7, ISSUE),
	    { "b.ns.example", "192.0.2.2", ZONE_ANSWER, 0, 1, 7,
	    ZONE_ANSWER, 0, 1, ISSUE, 1, "expired", "" } }, 2, NS2, NS2,
	    { 0, NULL }, 1, "b.ns.example",
	    "serves CAA for example with bad DNSSEC signatures: expired "
	    "(example. CAA)", "re-sign example and make sure b.ns.example" },
	{ "answers differ", { OK("a.ns.example", "192.0.2.1", 8, ISSUE),
	    OK("b.ns.example", "192.0.2.2", 7, "CAA 0 issue \"sectigo.com\"") },
	    2, NS2, NS2, { 0, NULL }, 1, "b.ns.example",
	    "answers CAA for example differently: a.ns.example (192.0.2.1) "
	    "has CAA 0 issue \"letsencrypt.org\"; b.ns.example (192.0.2.2) "
	    "has CAA 0 issue \"sectigo.com\"",
	    "bring b.ns.example up to date: it serves serial 7 of example, "
	    "older than 8 at a.ns.example" },
	{ "serials differ, answers agree (warning)",
	    { OK("a.ns.example", "192.0.2.1", 8, ISSUE),
	    OK("b.ns.example", "192.0.2.2", 7, ISSUE) }, 2, NS2, NS2,
	    { 0, NULL }, 0, NULL,
	    "SOA serials differ between servers while their answers agree: "
	    "a.ns.example (192.0.2.1) 8, b.ns.example (192.0.2.2) 7",
	    "let the zone transfers catch up" },
	{ "parent lists a server the zone does not (warning)",
	    { OK("a.ns.example", "192.0.2.1", 7, ISSUE),
	    OK("b.ns.example", "192.0.2.2", 7, ISSUE) }, 2, NS2,
	    { "a.ns.example", NULL }, { 0, NULL }, 0, NULL,
	    "the parent com lists b.ns.example as a nameserver of example, "
	    "but the zone's own NS set does not",
	    "at the parent com (your registrar), publish the zone's own NS "
	    "set: example. NS a.ns.example." },
	{ "zone lists a server the parent does not (warning)",
	    { OK("a.ns.example", "192.0.2.1", 7, ISSUE),
	    OK("b.ns.example", "192.0.2.2", 7, ISSUE) }, 2,
	    { "a.ns.example", NULL }, NS2, { 0, NULL }, 0, NULL,
	    "the zone lists b.ns.example as a nameserver of example, but the "
	    "parent com does not", "at the parent com (your registrar)" },
	{ "deadline: addresses not found (warning)",
	    { OK("a.ns.example", "192.0.2.1", 7, ISSUE) }, 1,
	    { "a.ns.example", NULL }, { "a.ns.example", NULL },
	    { 2, "b.ns.example" }, 0, NULL,
	    "the run's deadline passed before the addresses of b.ns.example "
	    "were found: the nameserver check of example is incomplete",
	    ZONE_FIX_DEADLINE },
	{ "deadline: a query cancelled (warning)",
	    { OK("a.ns.example", "192.0.2.1", 7, ISSUE),
	    { "b.ns.example", "192.0.2.2", ZONE_ANSWER, 0, 1, 7,
	    ZONE_CANCELLED, 0, 0, NULL, 0, NULL, "" } }, 2, NS2, NS2,
	    { 0, NULL }, 0, NULL,
	    "the run's deadline passed before 1 direct queries were "
	    "answered: the nameserver check of example is incomplete",
	    ZONE_FIX_DEADLINE },
};

static void
seen(struct zone_seen *q, const char *qname, int qtype, enum zone_state st,
    int rcode, int aa, long serial, const char *rec, int soa_in_auth,
    const char *sig_why, const char *err)
{
	memset(q, 0, sizeof(*q));
	q->qname = strdup(qname);
	q->qtype = qtype;
	q->state = st;
	q->rcode = rcode;
	q->aa = aa;
	q->serial = serial;
	q->soa_in_auth = soa_in_auth;
	q->err = err != NULL && err[0] != '\0' ? strdup(err) : NULL;
	if (rec != NULL) {
		q->records = calloc(1, sizeof(*q->records));
		q->records[0] = strdup(rec);
		q->nrecords = 1;
	}
	if (sig_why != NULL) {
		q->sig_why = strdup(sig_why);
		q->sig_what = strdup("example. CAA");
	}
}

static struct zone *
build(const struct zcase *c)
{
	struct zone	*z = zone_new("example");
	size_t		 i;

	ck_assert_ptr_nonnull(z);
	z->parent = strdup("com");
	ck_assert_int_eq(zone_add_name(z, "example", CAA), 0);
	for (i = 0; i < 2; i++) {
		if (c->parent_ns[i] != NULL) {
			z->parent_ns = realloc(z->parent_ns,
			    (z->nparent + 1) * sizeof(char *));
			z->parent_ns[z->nparent++] = strdup(c->parent_ns[i]);
		}
		if (c->child_ns[i] != NULL) {
			z->child_ns = realloc(z->child_ns,
			    (z->nchild + 1) * sizeof(char *));
			z->child_ns[z->nchild++] = strdup(c->child_ns[i]);
		}
	}
	z->parent_known = 1;
	z->servers = calloc(c->nsrv, sizeof(*z->servers));
	z->nservers = c->nsrv;
	/* Added in reverse: the analysis orders servers by name. */
	for (i = 0; i < c->nsrv; i++) {
		const struct srv	*s = &c->s[c->nsrv - 1 - i];
		struct zone_server	*sv = &z->servers[i];

		sv->host = strdup(s->host);
		sv->addr = strdup(s->addr);
		seen(&sv->soa, "example", SOA, s->soa, s->soa_rcode, s->soa_aa,
		    s->serial, NULL, 0, NULL, s->err);
		sv->q = calloc(1, sizeof(*sv->q));
		sv->nq = 1;
		seen(&sv->q[0], "example", CAA, s->q, s->rcode, s->aa, -1,
		    s->rec, s->soa_in_auth, s->sig_why, s->err);
	}
	return z;
}

START_TEST(test_finding)
{
	const struct zcase	*c = &zcases[_i];
	struct zone		*z = build(c);
	const struct zone_finding *f;

	ck_assert_int_eq(zone_analyse(z, &c->cut, NULL), 0);
	if (c->msg == NULL) {
		ck_assert_msg(z->nfindings == 0, "%s: %zu findings, first: %s",
		    c->what, z->nfindings, z->nfindings ?
		    z->findings[0].msg : "");
		ck_assert_int_eq(z->nerrors, 0);
		zone_free(z);
		return;
	}
	ck_assert_msg(z->nfindings == 1, "%s: %zu findings", c->what,
	    z->nfindings);
	f = &z->findings[0];
	ck_assert_str_eq(f->msg, c->msg);
	ck_assert_int_eq(f->error, c->error);
	ck_assert_int_eq(z->nerrors, c->error);
	if (c->server != NULL)
		ck_assert_str_eq(f->server, c->server);
	else
		ck_assert_ptr_null(f->server);
	ck_assert_msg(f->fix != NULL && strncmp(f->fix, c->fix,
	    strlen(c->fix)) == 0, "%s: fix \"%s\"", c->what, f->fix);
	zone_free(z);
}
END_TEST

/* Servers and NS sets come out ordered, each marked with who lists it. */
START_TEST(test_order)
{
	struct zone	*z = build(&zcases[12]);

	ck_assert_int_eq(zone_analyse(z, NULL, NULL), 0);
	ck_assert_str_eq(z->servers[0].host, "a.ns.example");
	ck_assert_str_eq(z->servers[1].host, "b.ns.example");
	ck_assert_int_eq(z->servers[0].in_child, 1);
	ck_assert_int_eq(z->servers[1].in_child, 0);
	ck_assert_int_eq(z->servers[1].in_parent, 1);
	zone_free(z);
}
END_TEST

/* RFC 1982: the serial that is older, across the wrap. */
START_TEST(test_serials)
{
	ck_assert_int_lt(zone_serial_cmp(1, 2), 0);
	ck_assert_int_gt(zone_serial_cmp(2, 1), 0);
	ck_assert_int_eq(zone_serial_cmp(7, 7), 0);
	ck_assert_int_lt(zone_serial_cmp(4294967295L, 3), 0);
	ck_assert_int_gt(zone_serial_cmp(3, 4294967295L), 0);
	ck_assert_int_eq(zone_serial_cmp(0, 2147483648L), 0);
}
END_TEST

static int
always(void *arg, const char *qname, int qtype, const struct zone_seen *a,
    const struct zone_seen *b)
{
	(void)qname;
	(void)qtype;
	(void)a;
	(void)b;
	return *(int *)arg;
}

/* A difference the judge calls harmless is a warning naming the stale. */
START_TEST(test_judged)
{
	int			 same = 1;
	struct zone_judge	 judge = { always, &same };
	struct zone		*z = build(&zcases[10]);

	ck_assert_int_eq(zone_analyse(z, NULL, &judge), 0);
	ck_assert_uint_eq(z->nfindings, 1);
	ck_assert_int_eq(z->findings[0].error, 0);
	ck_assert_int_eq(z->nerrors, 0);
	/* b.ns.example serves serial 7, a.ns.example 8: b is stale. */
	ck_assert_str_eq(z->findings[0].server, "b.ns.example");
	ck_assert_str_eq(z->findings[0].fix, "bring b.ns.example up to date: "
	    "it serves serial 7 of example, older than 8 at a.ns.example; "
	    "check the zone transfers (NOTIFY, IXFR/AXFR) from the primary "
	    "to b.ns.example");
	zone_free(z);
	same = 0;
	z = build(&zcases[10]);
	ck_assert_int_eq(zone_analyse(z, NULL, &judge), 0);
	ck_assert_int_eq(z->findings[0].error, 1);
	zone_free(z);
}
END_TEST

/* 0x20: a server that does not repeat the question's case: a warning. */
START_TEST(test_case)
{
	struct zone	*z = build(&zcases[0]);

	z->servers[1].soa.case_lost = 1;
	z->servers[1].nsid = strdup("pop-7");
	ck_assert_int_eq(zone_analyse(z, NULL, NULL), 0);
	ck_assert_uint_eq(z->nfindings, 1);
	ck_assert_int_eq(z->findings[0].error, 0);
	ck_assert_str_eq(z->findings[0].msg, "does not repeat the letter case "
	    "of the question (0x20): the CA's resolver, which randomises it, "
	    "retries such a server and can time out under load");
	/* Servers are ordered first: the one marked is a.ns.example. */
	ck_assert_str_eq(z->findings[0].server, "a.ns.example");
	ck_assert_str_eq(z->findings[0].nsid, "pop-7");
	zone_free(z);
}
END_TEST

/* Slow is not silent: the server is named with the time it took. */
START_TEST(test_slow)
{
	struct zone	*z = build(&zcases[0]);

	z->servers[1].soa.late = 1;
	z->servers[1].soa.ms = 3041.0;
	ck_assert_int_eq(zone_analyse(z, NULL, NULL), 0);
	ck_assert_uint_eq(z->nfindings, 1);
	ck_assert_int_eq(z->findings[0].error, 1);
	ck_assert_str_eq(z->findings[0].msg, "answers only after 3.0 s (SOA "
	    "query for example): the CA's resolver gives up on it sooner");
	zone_free(z);
}
END_TEST

/*
 * SPEC 5.7: a server whose signatures expire days before the others'
 * serves a copy nobody re-signs; a day apart is a signer's rhythm.
 */
START_TEST(test_sig_spread)
{
	struct zone	*z = build(&zcases[0]);

	z->servers[0].soa.sig_expires = 1767225600;	/* 2026-01-01 */
	z->servers[1].soa.sig_expires = 1767225600 - 86400;
	ck_assert_int_eq(zone_analyse(z, NULL, NULL), 0);
	ck_assert_uint_eq(z->nfindings, 0);
	zone_free(z);

	z = build(&zcases[0]);
	z->servers[0].soa.sig_expires = 1767225600;
	z->servers[1].soa.sig_expires = 1767225600 - 3 * 86400 - 43200;
	ck_assert_int_eq(zone_analyse(z, NULL, NULL), 0);
	ck_assert_uint_eq(z->nfindings, 1);
	ck_assert_int_eq(z->findings[0].error, 0);
	ck_assert_int_eq(z->nerrors, 0);
	/* Ordered first: the early one added second is a.ns.example. */
	ck_assert_str_eq(z->findings[0].server, "a.ns.example");
	ck_assert_str_eq(z->findings[0].msg, "serves signatures that expire "
	    "at 2025-12-28 12:00 UTC, 3.5 days before those of b.ns.example "
	    "(192.0.2.2, 2026-01-01 00:00 UTC): its copy of example is no "
	    "longer re-signed");
	zone_free(z);

	/* Signatures that already fail: that error says it, not this. */
	z = build(&zcases[0]);
	z->servers[0].soa.sig_expires = 1767225600;
	z->servers[1].soa.sig_expires = 1577836800;	/* 2020 */
	z->servers[1].q[0].sig_why = strdup("DNSSEC signature has expired");
	ck_assert_int_eq(zone_analyse(z, NULL, NULL), 0);
	ck_assert_ptr_null(strstr(z->nfindings ? z->findings[0].msg : "",
	    "re-signed"));
	zone_free(z);
}
END_TEST

/*
 * Another server's byte-identical answer takes the first one's word: a
 * deep copy of what it said, the query's own fields (name, state, time)
 * left as they are, and each freed on its own.
 */
START_TEST(test_copy_answer)
{
	static const uint8_t	 rd[] = { 0, 5, 'i', 's', 's', 'u', 'e' };
	struct zone_seen	 a, b;
	size_t			 i;

	seen(&a, "example", CAA, ZONE_ANSWER, 0, 1, 7,
	    "example. 300 IN CAA 0 issue \"ca.example\"", 1, "expired",
	    NULL);
	a.case_lost = 1;
	a.sig_expires = 12345;
	a.nrdata = 2;
	a.rdata = calloc(2, sizeof(*a.rdata));
	a.rdlen = calloc(2, sizeof(*a.rdlen));
	a.rdata[0] = malloc(sizeof(rd));
	memcpy(a.rdata[0], rd, sizeof(rd));
	a.rdlen[0] = sizeof(rd);
	a.rdata[1] = malloc(1);
	a.rdlen[1] = 0;
	seen(&b, "example", CAA, ZONE_ANSWER, 2, 0, -1, NULL, 0, NULL, NULL);
	b.ms = 41.5;
	b.tcp = 1;
	ck_assert_int_eq(zone_seen_copy_answer(&b, &a), 0);
	ck_assert_int_eq(b.rcode, 0);
	ck_assert_int_eq(b.aa, 1);
	ck_assert_int_eq(b.serial, 7);
	ck_assert_int_eq(b.soa_in_auth, 1);
	ck_assert_int_eq(b.case_lost, 1);
	ck_assert_int_eq(b.sig_expires, 12345);
	ck_assert_str_eq(b.sig_why, "expired");
	ck_assert_str_eq(b.sig_what, "example. CAA");
	ck_assert_ptr_ne(b.sig_why, a.sig_why);
	ck_assert_uint_eq(b.nrecords, 1);
	ck_assert_str_eq(b.records[0], a.records[0]);
	ck_assert_ptr_ne(b.records[0], a.records[0]);
	ck_assert_uint_eq(b.nrdata, 2);
	for (i = 0; i < 2; i++) {
		ck_assert_uint_eq(b.rdlen[i], a.rdlen[i]);
		ck_assert_ptr_ne(b.rdata[i], a.rdata[i]);
	}
	ck_assert_mem_eq(b.rdata[0], rd, sizeof(rd));
	/* The query's own: untouched. */
	ck_assert_str_eq(b.qname, "example");
	ck_assert_int_eq(b.state, ZONE_ANSWER);
	ck_assert_int_eq(b.tcp, 1);
	ck_assert_double_eq(b.ms, 41.5);
	zone_seen_clear(&a);
	ck_assert_str_eq(b.records[0], "example. 300 IN CAA 0 issue "
	    "\"ca.example\"");
	zone_seen_clear(&b);
}
END_TEST

START_TEST(test_rcode_name)
{
	ck_assert_str_eq(zone_rcode_name(2), "SERVFAIL");
	ck_assert_str_eq(zone_rcode_name(5), "REFUSED");
	ck_assert_str_eq(zone_rcode_name(9), "an unknown rcode");
	ck_assert_str_eq(zone_rcode_name(-1), "an unknown rcode");
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("zone");
	TCase	*tc = tcase_create("findings");
	SRunner	*sr;
	int	 failed;

	tcase_add_loop_test(tc, test_finding, 0,
	    sizeof(zcases) / sizeof(zcases[0]));
	tcase_add_test(tc, test_order);
	tcase_add_test(tc, test_rcode_name);
	tcase_add_test(tc, test_serials);
	tcase_add_test(tc, test_case);
	tcase_add_test(tc, test_slow);
	tcase_add_test(tc, test_sig_spread);
	tcase_add_test(tc, test_judged);
	tcase_add_test(tc, test_copy_answer);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
