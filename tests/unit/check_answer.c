/*
 * Unit tests for a lookup's answer in the CA's words: every way a CAA
 * level and the dns-01 TXT lookup can end, from hand-built answers.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "answer.h"
#include "resolve.h"

enum kind { NONE, TIMEOUT_LATE, TIMEOUT_EARLY, NOT_SENT, ERROR, BOGUS,
	NXDOMAIN, SERVFAIL, RECORDS, MALFORMED, EMPTY };

/* An answer of that kind for qname, in a 15 s run. */
static struct resolve_answer *
make(enum kind k, const char *canon)
{
	static uint8_t		 good[] = { 0, 5, 'i', 's', 's', 'u', 'e',
	    'c', 'a', '.', 'e', 'x' };
	static uint8_t		 bad[] = { 0, 9, 'i', 's' };
	static uint8_t		*rd[1];
	static size_t		 len[1];
	static struct resolve_answer a;

	if (k == NONE)
		return NULL;
	memset(&a, 0, sizeof(a));
	a.state = RESOLVE_DONE;
	a.sent = 1;
	a.canonname = (char *)canon;
	switch (k) {
	case TIMEOUT_LATE:
		a.state = RESOLVE_TIMEOUT;
		a.ms = 14000;
		break;
	case TIMEOUT_EARLY:
		a.state = RESOLVE_TIMEOUT;
		a.ms = 2500;
		break;
	case NOT_SENT:
		a.state = RESOLVE_TIMEOUT;
		a.sent = 0;
		break;
	case ERROR:
		a.state = RESOLVE_ERROR;
		a.error = (char *)"boom";
		break;
	case BOGUS:
		a.dnssec = RESOLVE_BOGUS;
		a.why_bogus = (char *)"signature expired";
		break;
	case NXDOMAIN:
		a.rcode = 3;
		break;
	case SERVFAIL:
		a.rcode = 2;
		break;
	case RECORDS:
	case MALFORMED:
		rd[0] = k == RECORDS ? good : bad;
		len[0] = k == RECORDS ? sizeof(good) : sizeof(bad);
		a.rdata = rd;
		a.rdlen = len;
		a.nrdata = 1;
		break;
	default:
		break;
	}
	return &a;
}

struct ccase {
	enum kind		 kind;
	enum caa_level_state	 state;
	int			 cut;
	int			 local;		/* our own resolver failed */
	const char		*failure;	/* NULL: none */
	const char		*fix;		/* its start, or NULL */
};

static const struct ccase ccases[] = {
	/* SPEC 5.6: our own failure is not the domain's: not checked. */
	{ NONE, CAA_LEVEL_FAILED, 1, 1, "not checked: caa-preflight's own "
	    "resolver failed looking up CAA for x.example: out of memory",
	    "a failure of this machine, not of DNS" },
	{ TIMEOUT_LATE, CAA_LEVEL_FAILED, 0, 0, "DNS problem: query timed out "
	    "looking up CAA for x.example (no answer within the 15 s "
	    "deadline)", "make sure every nameserver of x.example answers" },
	{ TIMEOUT_EARLY, CAA_LEVEL_FAILED, 1, 0, "not checked: CAA for "
	    "x.example was asked only 2.5 s before the run's 15 s deadline "
	    "passed", "raise timeout" },
	{ NOT_SENT, CAA_LEVEL_FAILED, 1, 0, "not checked: the run's 15 s "
	    "deadline passed before CAA for x.example was looked up",
	    "raise timeout" },
	{ ERROR, CAA_LEVEL_FAILED, 1, 1, "not checked: caa-preflight's own "
	    "resolver failed looking up CAA for x.example: boom",
	    "a failure of this machine, not of DNS" },
	{ BOGUS, CAA_LEVEL_FAILED, 0, 0, "DNS problem: looking up CAA for "
	    "x.example: DNSSEC: Signature Expired: signature expired",
	    "re-sign the zone holding x.example: its signatures have expired" },
	{ NXDOMAIN, CAA_LEVEL_NXDOMAIN, 0, 0, NULL, NULL },
	{ SERVFAIL, CAA_LEVEL_FAILED, 0, 0, "DNS problem: SERVFAIL looking up "
	    "CAA for x.example - the domain's nameservers may be "
	    "malfunctioning",
	    "every nameserver of the zone holding x.example must answer" },
	{ RECORDS, CAA_LEVEL_ANSWER, 0, 0, NULL, NULL },
	{ MALFORMED, CAA_LEVEL_FAILED, 0, 0, "DNS problem: malformed CAA "
	    "record for x.example (CAA tag length runs past the end of the "
	    "record), so the CA rejects the whole answer",
	    "delete and re-create the CAA records of x.example" },
	{ EMPTY, CAA_LEVEL_ANSWER, 0, 0, NULL, NULL },
};

START_TEST(test_caa)
{
	const struct ccase	*c = &ccases[_i];
	struct answer_level	 lv;

	answer_caa(make(c->kind, NULL), "x.example", 15, &lv);
	ck_assert_int_eq(lv.state, c->state);
	ck_assert_int_eq(lv.cut, c->cut);
	ck_assert_int_eq(lv.local, c->local);
	if (c->failure == NULL)
		ck_assert_ptr_null(lv.failure);
	else
		ck_assert_str_eq(lv.failure, c->failure);
	if (c->fix == NULL)
		ck_assert_ptr_null(lv.fix);
	else
		ck_assert_msg(lv.fix != NULL && strncmp(lv.fix, c->fix,
		    strlen(c->fix)) == 0, "fix \"%s\"", lv.fix);
	if (c->kind == RECORDS) {
		ck_assert_uint_eq(lv.nrecs, 1);
		ck_assert_int_eq(lv.recs[0].kind, CAA_TAG_ISSUE);
		ck_assert_str_eq(lv.recs[0].value, "ca.ex");
	}
	answer_level_clear(&lv);
}
END_TEST

struct dcase {
	enum kind	 kind;
	const char	*canon;
	int		 failed;
	int		 cut;
	int		 local;
	const char	*reason;
	const char	*fix;
};

#define Q	"_acme-challenge.x.example"

static const struct dcase dcases[] = {
	{ NXDOMAIN, NULL, 0, 0, 0, NULL, NULL },
	{ EMPTY, NULL, 0, 0, 0, NULL, NULL },
	{ SERVFAIL, NULL, 1, 0, 0, "dns-01: SERVFAIL looking up TXT for " Q "; "
	    "the CA cannot read the challenge", "every nameserver of the zone "
	    "holding " Q " must answer TXT queries for it with NOERROR or "
	    "NXDOMAIN" },
	/* Delegated validation: the fix names the alias target. */
	{ SERVFAIL, "x.acme.example.", 1, 0, 0, "dns-01: SERVFAIL looking up "
	    "TXT for " Q " (alias of x.acme.example.); the CA cannot read the "
	    "challenge", "every nameserver of the zone holding "
	    "x.acme.example. must answer" },
	{ BOGUS, NULL, 1, 0, 0, "dns-01: DNS problem: looking up TXT for " Q
	    ": DNSSEC: Signature Expired: signature expired",
	    "every nameserver" },
	{ TIMEOUT_LATE, NULL, 1, 0, 0, "dns-01: query timed out looking up TXT "
	    "for " Q " (no answer within the 15 s deadline); the CA cannot "
	    "read the challenge", "every nameserver" },
	{ NOT_SENT, NULL, 1, 1, 0, "not checked: the run's 15 s deadline "
	    "passed before TXT (dns-01) for " Q " was looked up",
	    "raise timeout" },
	{ ERROR, NULL, 1, 1, 1, "not checked: caa-preflight's own resolver "
	    "failed looking up TXT (dns-01) for " Q ": boom",
	    "a failure of this machine, not of DNS" },
	{ NONE, NULL, 1, 1, 1, "not checked: caa-preflight's own resolver "
	    "failed looking up TXT (dns-01) for " Q ": out of memory",
	    "a failure of this machine, not of DNS" },
};

START_TEST(test_dns01)
{
	const struct dcase	*c = &dcases[_i];
	struct answer_dns01	 d;

	answer_dns01(make(c->kind, c->canon), Q, "dns-01", 15, &d);
	ck_assert_int_eq(d.failed, c->failed);
	ck_assert_int_eq(d.cut, c->cut);
	ck_assert_int_eq(d.local, c->local);
	if (c->reason == NULL) {
		ck_assert_ptr_null(d.reason);
		return;
	}
	ck_assert_str_eq(d.reason, c->reason);
	ck_assert_msg(strncmp(d.fix, c->fix, strlen(c->fix)) == 0,
	    "fix \"%s\"", d.fix);
	answer_dns01_clear(&d);
}
END_TEST

/* RFC 8914 codes from Unbound's own reasons, in Boulder's words. */
struct ecase {
	const char	*why;
	int		 code;
	const char	*summary;
};

static const struct ecase ecases[] = {
	{ "validation failure <a.example. CAA IN>: signature expired from "
	    "192.0.2.1 for key a.example. while building chain of trust", 7,
	    "DNSSEC: Signature Expired" },
	{ "signature before inception date", 8,
	    "DNSSEC: Signature Not Yet Valid" },
	{ "validation failure <a.example. CAA IN>: No DNSKEY record from "
	    "192.0.2.1 for key a.example. while building chain of trust", 9,
	    "DNSSEC: DNSKEY Missing" },
	{ "no keys have a DS with algorithm ECDSAP256SHA256 from 192.0.2.1", 9,
	    "DNSSEC: DNSKEY Missing" },
	{ "validation failure <a.example. CAA IN>: no signatures from "
	    "192.0.2.1", 10, "DNSSEC: RRSIGs Missing" },
	{ "signature crypto failed", 6, "DNSSEC: Bogus" },
	{ NULL, 6, "DNSSEC: Bogus" },
};

START_TEST(test_ede)
{
	const char	*summary = NULL;

	ck_assert_int_eq(answer_ede(ecases[_i].why, &summary),
	    ecases[_i].code);
	ck_assert_str_eq(summary, ecases[_i].summary);
}
END_TEST

#define ACCT	"https://a.example/acct/1"
#define PQ	"_validation-persist.x.example"

/* dns-persist-01 over a hand-built answer. */
START_TEST(test_persist)
{
	static const char	*issuers[] = { "letsencrypt.org" };
	static uint8_t		 rec[] = "\043letsencrypt.org; accounturi="
	    "https://a.example/acct/1";
	uint8_t			*rd[1] = { rec };
	size_t			 len[1] = { sizeof(rec) - 1 };
	struct answer_persist	 p = { issuers, 1, ACCT, 0, 1765000000 };
	struct resolve_answer	*a;
	struct answer_dns01	 d;

	rec[0] = (uint8_t)(sizeof(rec) - 2);
	/* NXDOMAIN: Boulder's DNS error, a refusal, the record to publish. */
	answer_persist(make(NXDOMAIN, NULL), PQ, &p, 15, &d);
	ck_assert_int_eq(d.refused, 1);
	ck_assert_int_eq(d.failed, 0);
	ck_assert_str_eq(d.reason, "dns-persist-01: Retrieving TXT records for "
	    "DNS-PERSIST-01 challenge: DNS problem: NXDOMAIN looking up TXT "
	    "for " PQ " - check that a DNS record exists for this domain");
	ck_assert_str_eq(d.fix, PQ ". TXT \"letsencrypt.org; accounturi="
	    ACCT "\"");
	answer_dns01_clear(&d);
	/* SERVFAIL: not a refusal but a failure of the lookup. */
	answer_persist(make(SERVFAIL, NULL), PQ, &p, 15, &d);
	ck_assert_int_eq(d.refused, 0);
	ck_assert_int_eq(d.failed, 1);
	ck_assert_str_eq(d.reason, "dns-persist-01: SERVFAIL looking up TXT "
	    "for " PQ "; the CA cannot read the challenge");
	answer_dns01_clear(&d);
	/* Our own resolver failed: not checked, neither refused nor failed
	 * on DNS. */
	answer_persist(make(ERROR, NULL), PQ, &p, 15, &d);
	ck_assert_int_eq(d.refused, 0);
	ck_assert_int_eq(d.cut, 1);
	ck_assert_int_eq(d.local, 1);
	ck_assert_str_eq(d.reason, "not checked: caa-preflight's own resolver "
	    "failed looking up TXT (dns-persist-01) for " PQ ": boom");
	answer_dns01_clear(&d);
	/* A good record, then the same for a wildcard without its policy. */
	a = make(EMPTY, NULL);
	a->rdata = rd;
	a->rdlen = len;
	a->nrdata = 1;
	answer_persist(a, PQ, &p, 15, &d);
	ck_assert_int_eq(d.refused, 0);
	ck_assert_int_eq(d.failed, 0);
	ck_assert_ptr_null(d.reason);
	ck_assert_ptr_null(d.note);
	answer_dns01_clear(&d);
	p.wildcard = 1;
	answer_persist(a, PQ, &p, 15, &d);
	ck_assert_int_eq(d.refused, 1);
	ck_assert_str_eq(d.reason, "dns-persist-01: Checking DNS-PERSIST-01 "
	    "challenge TXT record with issuer-domain-name \"letsencrypt.org\": "
	    "policy mismatch: expected \"wildcard\", got \"\"");
	ck_assert_str_eq(d.fix, PQ ". TXT \"letsencrypt.org; accounturi="
	    ACCT "; policy=wildcard\"");
	answer_dns01_clear(&d);
	/* No account URI: authorized as far as known, and said so. */
	p.wildcard = 0;
	p.account = NULL;
	answer_persist(a, PQ, &p, 15, &d);
	ck_assert_int_eq(d.refused, 0);
	ck_assert_str_eq(d.note, "dns-persist-01: the record at " PQ " names "
	    "the CA, but its accounturi was not checked: no account URI is "
	    "configured (account_uri)");
	answer_dns01_clear(&d);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("answer");
	TCase	*tc = tcase_create("answer");
	SRunner	*sr;
	int	 failed;

	tcase_add_loop_test(tc, test_caa, 0,
	    sizeof(ccases) / sizeof(ccases[0]));
	tcase_add_loop_test(tc, test_dns01, 0,
	    sizeof(dcases) / sizeof(dcases[0]));
	tcase_add_loop_test(tc, test_ede, 0,
	    sizeof(ecases) / sizeof(ecases[0]));
	tcase_add_test(tc, test_persist);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
