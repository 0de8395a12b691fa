/*
 * Unit tests for the nameserver check's lookups: each is made once, on
 * the right resolver (a zone's keys on the validating one, its servers
 * and their addresses on the one without the validator), and a lookup
 * out long enough is late.  The answers come from libunbound's local
 * data: no network.
 */
#include <check.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "lookups.h"
#include "resolve.h"
#include "uboption.h"

#define T_A	1
#define T_NS	2
#define T_SOA	6
#define T_DS	43
#define T_DNSKEY 48

/* A configuration whose answers are local: z.test and its server. */
static struct conf *
local_conf(void)
{
	struct conf	*c = conf_new();

	option(c, "local-zone", "test. static");
	option(c, "local-data", "z.test. SOA ns.z.test. h.z.test. 1 3600 "
	    "600 86400 300");
	option(c, "local-data", "z.test. NS ns.z.test.");
	option(c, "local-data", "ns.z.test. A 192.0.2.53");
	return c;
}

/* Poll both resolvers until neither has a lookup out. */
static void
run(struct resolve *r, struct resolve *p)
{
	struct pollfd	 pfd[2];

	while (resolve_pending(r) > 0 || resolve_pending(p) > 0) {
		pfd[0].fd = resolve_fd(r);
		pfd[1].fd = resolve_fd(p);
		pfd[0].events = pfd[1].events = POLLIN;
		pfd[0].revents = pfd[1].revents = 0;
		ck_assert_int_gt(poll(pfd, 2, 5000), 0);
		if (pfd[0].revents & POLLIN)
			ck_assert_int_eq(resolve_process(r), 0);
		if (pfd[1].revents & POLLIN)
			ck_assert_int_eq(resolve_process(p), 0);
	}
}

static const struct lookup *
answered(struct lookups *lk, const char *qname, int qtype)
{
	struct lookup	*l = lookups_get(lk, qname, qtype, 0);

	ck_assert_ptr_nonnull(l);
	ck_assert_int_eq(l->done, 1);
	ck_assert_ptr_nonnull(l->ans);
	ck_assert_int_eq(l->ans->state, RESOLVE_DONE);
	ck_assert_int_eq(l->ans->rcode, 0);
	return l;
}

/*
 * Local data is never validated, but the validating resolver calls it
 * insecure and the plain one says it was not validated at all: which
 * one answered shows.
 */
START_TEST(test_keys_validated_servers_not)
{
	struct conf	*c = local_conf();
	struct resolve	*r, *p;
	struct lookups	*lk;
	char		 err[256], ta[256];

	r = resolve_new(c, err, sizeof(err), ta, sizeof(ta));
	ck_assert_msg(r != NULL, "resolve_new: %s", err);
	p = resolve_new_plain(c, err, sizeof(err));
	ck_assert_msg(p != NULL, "resolve_new_plain: %s", err);
	lk = lookups_new(r, p);
	ck_assert_ptr_nonnull(lk);
	ck_assert_ptr_nonnull(lookups_get(lk, "z.test", T_SOA, 1));
	ck_assert_ptr_nonnull(lookups_get(lk, "z.test", T_NS, 1));
	ck_assert_ptr_nonnull(lookups_get(lk, "ns.z.test", T_A, 1));
	ck_assert_ptr_nonnull(lookups_get(lk, "z.test", T_DNSKEY, 1));
	ck_assert_ptr_nonnull(lookups_get(lk, "z.test", T_DS, 1));
	/* Asked once: the same lookup again is the one already out. */
	ck_assert_ptr_eq(lookups_get(lk, "z.test", T_SOA, 1),
	    lookups_get(lk, "z.test", T_SOA, 0));
	ck_assert_int_eq(lookups_started(lk), 5);
	ck_assert_uint_eq(resolve_started(r), 2);
	ck_assert_uint_eq(resolve_started(p), 3);
	run(r, p);
	ck_assert_int_eq(answered(lk, "z.test", T_SOA)->ans->dnssec,
	    RESOLVE_UNVALIDATED);
	ck_assert_uint_eq(answered(lk, "z.test", T_SOA)->ans->nrdata, 1);
	ck_assert_int_eq(answered(lk, "z.test", T_NS)->ans->dnssec,
	    RESOLVE_UNVALIDATED);
	ck_assert_int_eq(answered(lk, "ns.z.test", T_A)->ans->dnssec,
	    RESOLVE_UNVALIDATED);
	ck_assert_int_eq(answered(lk, "z.test", T_DNSKEY)->ans->dnssec,
	    RESOLVE_INSECURE);
	ck_assert_int_eq(answered(lk, "z.test", T_DS)->ans->dnssec,
	    RESOLVE_INSECURE);
	ck_assert_uint_eq(lookups_late(lk, 0.0), 0);
	lookups_free(lk);
	resolve_free(p);
	resolve_free(r);
	conf_free(c);
}
END_TEST

/* Without a plain resolver, everything goes to the validating one. */
START_TEST(test_one_resolver)
{
	struct conf	*c = local_conf();
	struct resolve	*r;
	struct lookups	*lk;
	char		 err[256], ta[256];

	r = resolve_new(c, err, sizeof(err), ta, sizeof(ta));
	ck_assert_msg(r != NULL, "resolve_new: %s", err);
	lk = lookups_new(r, NULL);
	ck_assert_ptr_nonnull(lk);
	ck_assert_ptr_nonnull(lookups_get(lk, "z.test", T_SOA, 1));
	ck_assert_ptr_nonnull(lookups_get(lk, "z.test", T_DNSKEY, 1));
	/* Out, and not yet a second: not late. */
	ck_assert_uint_eq(lookups_late(lk, 60000.0), 0);
	ck_assert_uint_eq(resolve_started(r), 2);
	run(r, r);
	ck_assert_int_eq(answered(lk, "z.test", T_SOA)->ans->dnssec,
	    RESOLVE_INSECURE);
	lookups_free(lk);
	resolve_free(r);
	conf_free(c);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("lookups");
	TCase	*tc = tcase_create("resolvers");
	SRunner	*sr;
	int	 failed;

	tcase_add_test(tc, test_keys_validated_servers_not);
	tcase_add_test(tc, test_one_resolver);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
