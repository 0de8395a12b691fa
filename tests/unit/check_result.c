/*
 * Unit tests for the names the result tree's values are shown by.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "resolve.h"
#include "result.h"

struct lcase {
	enum result_status	 status;
	int			 rcode;
	const char		*want;
};

static const struct lcase lcases[] = {
	{ RESULT_ANSWERED, 0, "NOERROR" },
	{ RESULT_ANSWERED, 2, "SERVFAIL" },
	{ RESULT_ANSWERED, 3, "NXDOMAIN" },
	{ RESULT_ANSWERED, 10, "NOTZONE" },
	{ RESULT_ANSWERED, 11, "RCODE?" },
	{ RESULT_TIMEOUT, 0, "timeout" },
	{ RESULT_NOT_SENT, 0, "not-sent" },
	{ RESULT_FAILED, 0, "error" },
};

START_TEST(test_status)
{
	struct result_lookup	 l;

	memset(&l, 0, sizeof(l));
	l.status = lcases[_i].status;
	l.rcode = lcases[_i].rcode;
	ck_assert_str_eq(result_status_name(&l), lcases[_i].want);
}
END_TEST

struct scase {
	enum zone_state	 state;
	int		 rcode;
	const char	*want;
};

static const struct scase scases[] = {
	{ ZONE_NOT_ASKED, 0, "not asked" },
	{ ZONE_ANSWER, 5, "REFUSED" },
	{ ZONE_TIMEOUT, 0, "timeout" },
	{ ZONE_TCP_FAILED, 0, "tcp-failed" },
	{ ZONE_ERROR, 0, "error" },
	{ ZONE_CANCELLED, 0, "cancelled" },
};

START_TEST(test_seen)
{
	struct zone_seen	 q;

	memset(&q, 0, sizeof(q));
	q.state = scases[_i].state;
	q.rcode = scases[_i].rcode;
	ck_assert_str_eq(result_seen_name(&q), scases[_i].want);
}
END_TEST

START_TEST(test_types)
{
	ck_assert_str_eq(result_type_name(257), "CAA");
	ck_assert_str_eq(result_type_name(16), "TXT");
	ck_assert_str_eq(result_type_name(48), "DNSKEY");
	ck_assert_str_eq(result_type_name(99), "?");
	ck_assert_str_eq(result_dnssec_name(RESULT_DNSSEC_SECURE), "secure");
	ck_assert_str_eq(result_dnssec_name(RESULT_DNSSEC_BOGUS), "bogus");
	ck_assert_str_eq(result_dnssec_name(RESULT_DNSSEC_INSECURE),
	    "insecure");
	ck_assert_str_eq(result_dnssec_name(RESULT_DNSSEC_UNKNOWN),
	    "unknown");
}
END_TEST

/* A resolver answer, as the tree has it. */
START_TEST(test_lookup_of)
{
	struct resolve_answer	 a;
	struct result_lookup	 l;

	result_lookup_of("x.example", 257, NULL, &l);
	ck_assert_int_eq(l.status, RESULT_FAILED);
	ck_assert_str_eq(l.qname, "x.example");
	memset(&a, 0, sizeof(a));
	a.state = RESOLVE_TIMEOUT;
	result_lookup_of("x.example", 257, &a, &l);
	ck_assert_int_eq(l.status, RESULT_NOT_SENT);
	a.sent = 1;
	a.ms = 2.5;
	result_lookup_of("x.example", 257, &a, &l);
	ck_assert_int_eq(l.status, RESULT_TIMEOUT);
	ck_assert(l.ms == 2.5);
	a.state = RESOLVE_DONE;
	a.rcode = 2;
	a.dnssec = RESOLVE_BOGUS;
	a.why_bogus = (char *)"signature expired";
	a.nrdata = 3;
	result_lookup_of("x.example", 257, &a, &l);
	ck_assert_int_eq(l.status, RESULT_ANSWERED);
	ck_assert_int_eq(l.rcode, 2);
	ck_assert_int_eq(l.dnssec, RESULT_DNSSEC_BOGUS);
	ck_assert_str_eq(l.why_bogus, "signature expired");
	ck_assert_uint_eq(l.nrecords, 3);
	a.dnssec = RESOLVE_SECURE;
	result_lookup_of("x.example", 257, &a, &l);
	ck_assert_int_eq(l.dnssec, RESULT_DNSSEC_SECURE);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("result");
	TCase	*tc = tcase_create("names");
	SRunner	*sr;
	int	 failed;

	tcase_add_loop_test(tc, test_status, 0,
	    sizeof(lcases) / sizeof(lcases[0]));
	tcase_add_loop_test(tc, test_seen, 0,
	    sizeof(scases) / sizeof(scases[0]));
	tcase_add_test(tc, test_types);
	tcase_add_test(tc, test_lookup_of);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
