/*
 * Unit tests for the verdict: each overlay (dns-01, nameservers), the
 * deadline, and the share of the exit status (SPEC 5.6).
 */
#include <check.h>
#include <stdlib.h>

#include "caa.h"
#include "verdict.h"

#define E	VERDICT_ERROR
#define W	VERDICT_WARN
#define O	VERDICT_OFF

struct vcase {
	struct verdict_in	 in;
	enum verdict		 want;
	int			 exit;
};

static const struct vcase vcases[] = {
	/* ip, caa, caa_cut, dns01, failed, cut, nameservers, ns_failed,
	 * refused, unreachable */
	{ { 1, CAA_FAILED, 0, E, 1, 0, E, 1, 0, 0 }, VERDICT_NOT_SUBJECT, 0 },
	{ { 0, CAA_ALLOWED, 0, O, 0, 0, E, 0, 0, 0 }, VERDICT_OK, 0 },
	{ { 0, CAA_REFUSED, 0, O, 0, 0, E, 0, 0, 0 }, VERDICT_REFUSED, 1 },
	{ { 0, CAA_FAILED, 0, O, 0, 0, E, 0, 0, 0 }, VERDICT_DNS_FAILURE, 2 },
	/* The deadline, not DNS, kept the deciding level. */
	{ { 0, CAA_FAILED, 1, O, 0, 0, E, 0, 0, 0 }, VERDICT_NOT_CHECKED, 3 },
	/* dns-01 at error level fails the name; as a warning it does not. */
	{ { 0, CAA_ALLOWED, 0, E, 1, 0, E, 0, 0, 0 }, VERDICT_DNS_FAILURE, 2 },
	{ { 0, CAA_ALLOWED, 0, W, 1, 0, E, 0, 0, 0 }, VERDICT_OK, 0 },
	{ { 0, CAA_REFUSED, 0, E, 1, 0, E, 0, 0, 0 }, VERDICT_DNS_FAILURE, 2 },
	/* A dns-01 lookup cut short only takes the place of an "ok". */
	{ { 0, CAA_ALLOWED, 0, E, 1, 1, E, 0, 0, 0 }, VERDICT_NOT_CHECKED, 3 },
	{ { 0, CAA_REFUSED, 0, E, 1, 1, E, 0, 0, 0 }, VERDICT_REFUSED, 1 },
	/* A server at fault fails the name at error level only. */
	{ { 0, CAA_ALLOWED, 0, O, 0, 0, E, 1, 0, 0 }, VERDICT_DNS_FAILURE, 2 },
	{ { 0, CAA_ALLOWED, 0, O, 0, 0, W, 1, 0, 0 }, VERDICT_OK, 0 },
	{ { 0, CAA_REFUSED, 0, O, 0, 0, E, 1, 0, 0 }, VERDICT_DNS_FAILURE, 2 },
	{ { 0, CAA_FAILED, 1, O, 0, 0, E, 1, 0, 0 }, VERDICT_DNS_FAILURE, 2 },
	/* No dns-persist-01 record authorizes: refused, as by CAA. */
	{ { 0, CAA_ALLOWED, 0, E, 0, 0, E, 0, 1, 0 }, VERDICT_REFUSED, 1 },
	{ { 0, CAA_ALLOWED, 0, W, 0, 0, E, 0, 1, 0 }, VERDICT_OK, 0 },
	{ { 0, CAA_FAILED, 0, E, 0, 0, E, 0, 1, 0 }, VERDICT_DNS_FAILURE, 2 },
	/* No lookup got an answer: nothing is said against the name. */
	{ { 0, CAA_FAILED, 0, E, 1, 0, E, 0, 0, 1 }, VERDICT_NOT_CHECKED, 3 },
	{ { 1, CAA_FAILED, 0, E, 1, 0, E, 0, 0, 1 }, VERDICT_NOT_SUBJECT, 0 },
};

START_TEST(test_verdict)
{
	const struct vcase	*c = &vcases[_i];
	enum verdict		 v = verdict_of(&c->in);

	ck_assert_msg(v == c->want, "case %d: %s, want %s", _i,
	    verdict_name(v), verdict_name(c->want));
	ck_assert_int_eq(verdict_exit(v), c->exit);
}
END_TEST

START_TEST(test_run_exit)
{
	ck_assert_int_eq(verdict_run_exit(0, 0, 0), 0);
	ck_assert_int_eq(verdict_run_exit(2, 0, 0), 2);
	/* No lookup got any answer: nothing could be checked. */
	ck_assert_int_eq(verdict_run_exit(2, 1, 0), 3);
	ck_assert_int_eq(verdict_run_exit(0, 1, 0), 3);
	/* ... which a hook with on_unknown: allow lets through. */
	ck_assert_int_eq(verdict_run_exit(0, 1, 1), 0);
}
END_TEST

/* SPEC 5.6, 8: what counts for the exit status. */
START_TEST(test_share)
{
	ck_assert_int_eq(verdict_share(VERDICT_REFUSED, 1, 1), 1);
	ck_assert_int_eq(verdict_share(VERDICT_DNS_FAILURE, 1, 0), 2);
	/* A certificate not yet due: its problems are warnings. */
	ck_assert_int_eq(verdict_share(VERDICT_REFUSED, 0, 0), 0);
	ck_assert_int_eq(verdict_share(VERDICT_NOT_CHECKED, 0, 0), 0);
	/* Not checked: blocks unless on_unknown allows it. */
	ck_assert_int_eq(verdict_share(VERDICT_NOT_CHECKED, 1, 0), 3);
	ck_assert_int_eq(verdict_share(VERDICT_NOT_CHECKED, 1, 1), 0);
	ck_assert_int_eq(verdict_share(VERDICT_OK, 1, 0), 0);
}
END_TEST

START_TEST(test_names)
{
	ck_assert_str_eq(verdict_name(VERDICT_OK), "ok");
	ck_assert_str_eq(verdict_name(VERDICT_REFUSED), "refused");
	ck_assert_str_eq(verdict_name(VERDICT_DNS_FAILURE), "dns-failure");
	ck_assert_str_eq(verdict_name(VERDICT_NOT_SUBJECT), "not-subject");
	ck_assert_str_eq(verdict_name(VERDICT_NOT_CHECKED), "not-checked");
	ck_assert_str_eq(verdict_level_name(VERDICT_OFF), "off");
	ck_assert_str_eq(verdict_level_name(VERDICT_WARN), "warn");
	ck_assert_str_eq(verdict_level_name(VERDICT_ERROR), "error");
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("verdict");
	TCase	*tc = tcase_create("verdict");
	SRunner	*sr;
	int	 failed;

	tcase_add_loop_test(tc, test_verdict, 0,
	    sizeof(vcases) / sizeof(vcases[0]));
	tcase_add_test(tc, test_run_exit);
	tcase_add_test(tc, test_share);
	tcase_add_test(tc, test_names);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
