/*
 * Unit tests for the lookup queue: lookups beyond the window wait in
 * order, and those started with resolve_query_ahead() go first.  The
 * answers come from libunbound's local data: no network.
 */
#include <check.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "resolve.h"
#include "uboption.h"

static const char	*order[8];
static size_t		 norder;

static void
answered(void *arg, struct resolve_answer *a)
{
	ck_assert_int_eq(a->state, RESOLVE_DONE);
	ck_assert_int_eq(a->rcode, 0);
	ck_assert_uint_eq(a->nrdata, 1);
	if (norder < 8)
		order[norder++] = arg;
	resolve_answer_free(a);
}

static struct resolve *
local_resolver(struct conf *c)
{
	static const char *const names[] = { "a", "b", "c", "d", "e" };
	struct resolve	*r;
	char		 err[256], ta[256], rr[64];
	size_t		 i;

	option(c, "local-zone", "test. static");
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		(void)snprintf(rr, sizeof(rr), "%s.test. A 192.0.2.%zu",
		    names[i], i + 1);
		option(c, "local-data", rr);
	}
	r = resolve_new(c, err, sizeof(err), ta, sizeof(ta));
	ck_assert_msg(r != NULL, "resolve_new: %s", err);
	return r;
}

static void
run(struct resolve *r)
{
	struct pollfd	 pfd;

	while (resolve_pending(r) > 0) {
		pfd.fd = resolve_fd(r);
		pfd.events = POLLIN;
		ck_assert_int_gt(poll(&pfd, 1, 5000), 0);
		ck_assert_int_eq(resolve_process(r), 0);
	}
}

START_TEST(test_window_order)
{
	struct conf	*c = conf_new();
	struct resolve	*r = local_resolver(c);

	norder = 0;
	resolve_set_window(r, 1);
	ck_assert_int_eq(resolve_query(r, "a.test", 1, answered, "a"), 0);
	ck_assert_int_eq(resolve_query(r, "b.test", 1, answered, "b"), 0);
	ck_assert_int_eq(resolve_query(r, "c.test", 1, answered, "c"), 0);
	ck_assert_uint_eq(resolve_started(r), 1);
	run(r);
	ck_assert_uint_eq(norder, 3);
	ck_assert_str_eq(order[0], "a");
	ck_assert_str_eq(order[1], "b");
	ck_assert_str_eq(order[2], "c");
	ck_assert_uint_eq(resolve_started(r), 3);
	resolve_free(r);
	conf_free(c);
}
END_TEST

START_TEST(test_ahead_goes_first)
{
	struct conf	*c = conf_new();
	struct resolve	*r = local_resolver(c);

	norder = 0;
	resolve_set_window(r, 1);
	/* a takes the one place; b and c wait; d and e jump the queue. */
	ck_assert_int_eq(resolve_query(r, "a.test", 1, answered, "a"), 0);
	ck_assert_int_eq(resolve_query(r, "b.test", 1, answered, "b"), 0);
	ck_assert_int_eq(resolve_query(r, "c.test", 1, answered, "c"), 0);
	ck_assert_int_eq(resolve_query_ahead(r, "d.test", 1, answered, "d"),
	    0);
	ck_assert_int_eq(resolve_query_ahead(r, "e.test", 1, answered, "e"),
	    0);
	run(r);
	ck_assert_uint_eq(norder, 5);
	ck_assert_str_eq(order[0], "a");
	ck_assert_str_eq(order[1], "d");
	ck_assert_str_eq(order[2], "e");
	ck_assert_str_eq(order[3], "b");
	ck_assert_str_eq(order[4], "c");
	resolve_free(r);
	conf_free(c);
}
END_TEST

static const char	*late[8];
static size_t		 nlate;

static void
each_late(void *ctx, void *arg)
{
	ck_assert_ptr_eq(ctx, &nlate);
	if (nlate < 8)
		late[nlate++] = arg;
}

static void
cancelled_cb(void *arg, struct resolve_answer *a)
{
	(void)arg;
	resolve_answer_free(a);
}

/* A lookup waiting for a place is not late, however long it waits. */
START_TEST(test_late_are_sent_only)
{
	struct conf	*c = conf_new();
	struct resolve	*r = local_resolver(c);

	norder = 0;
	resolve_set_window(r, 1);
	ck_assert_int_eq(resolve_query(r, "a.test", 1, answered, "a"), 0);
	ck_assert_int_eq(resolve_query(r, "b.test", 1, answered, "b"), 0);
	ck_assert_int_eq(resolve_query_ahead(r, "c.test", 1, answered, "c"),
	    0);
	nlate = 0;
	/* Only the lookups of that callback. */
	resolve_each_late(r, cancelled_cb, 0.0, each_late, &nlate);
	ck_assert_uint_eq(nlate, 0);
	resolve_each_late(r, answered, 0.0, each_late, &nlate);
	ck_assert_uint_eq(nlate, 1);
	ck_assert_str_eq(late[0], "a");
	/* Not late yet: sent less than a minute ago. */
	nlate = 0;
	resolve_each_late(r, answered, 60000.0, each_late, &nlate);
	ck_assert_uint_eq(nlate, 0);
	run(r);
	nlate = 0;
	resolve_each_late(r, answered, 0.0, each_late, &nlate);
	ck_assert_uint_eq(nlate, 0);
	ck_assert_uint_eq(norder, 3);
	resolve_free(r);
	conf_free(c);
}
END_TEST

static size_t	 ntimeouts, nunsent;

static void
cancelled(void *arg, struct resolve_answer *a)
{
	(void)arg;
	ck_assert_int_eq(a->state, RESOLVE_TIMEOUT);
	ntimeouts++;
	if (!a->sent)
		nunsent++;
	resolve_answer_free(a);
}

START_TEST(test_cancel_counts_both_queues)
{
	struct conf	*c = conf_new();
	struct resolve	*r = local_resolver(c);

	ntimeouts = nunsent = 0;
	resolve_set_window(r, 1);
	ck_assert_int_eq(resolve_query(r, "a.test", 1, cancelled, NULL), 0);
	ck_assert_int_eq(resolve_query(r, "b.test", 1, cancelled, NULL), 0);
	ck_assert_int_eq(resolve_query_ahead(r, "d.test", 1, cancelled,
	    NULL), 0);
	resolve_cancel_all(r);
	ck_assert_uint_eq(ntimeouts, 3);
	ck_assert_uint_eq(nunsent, 2);
	ck_assert_uint_eq(resolve_unsent(r), 2);
	ck_assert_uint_eq(resolve_pending(r), 0);
	resolve_free(r);
	conf_free(c);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("resolve");
	TCase	*tc = tcase_create("queue");
	SRunner	*sr;
	int	 failed;

	tcase_add_test(tc, test_window_order);
	tcase_add_test(tc, test_ahead_goes_first);
	tcase_add_test(tc, test_cancel_counts_both_queues);
	tcase_add_test(tc, test_late_are_sent_only);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
