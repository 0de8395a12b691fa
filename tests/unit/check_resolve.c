/*
 * Unit tests for the lookup queue: lookups beyond the window wait in
 * order, and those started with resolve_query_ahead() go first; and for
 * the validating lanes: a zone's names go to one, zones spread over
 * both.  The answers come from libunbound's local data: no network.
 */
#include <sys/resource.h>

#include <check.h>
#include <dirent.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
		(void)snprintf(rr, sizeof(rr), "%s.q.test. A 192.0.2.%zu",
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
	ck_assert_int_eq(resolve_query(r, "a.q.test", 1, answered, "a"), 0);
	ck_assert_int_eq(resolve_query(r, "b.q.test", 1, answered, "b"), 0);
	ck_assert_int_eq(resolve_query(r, "c.q.test", 1, answered, "c"), 0);
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
	ck_assert_int_eq(resolve_query(r, "a.q.test", 1, answered, "a"), 0);
	ck_assert_int_eq(resolve_query(r, "b.q.test", 1, answered, "b"), 0);
	ck_assert_int_eq(resolve_query(r, "c.q.test", 1, answered, "c"), 0);
	ck_assert_int_eq(resolve_query_ahead(r, "d.q.test", 1, answered, "d"),
	    0);
	ck_assert_int_eq(resolve_query_ahead(r, "e.q.test", 1, answered, "e"),
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
	ck_assert_int_eq(resolve_query(r, "a.q.test", 1, answered, "a"), 0);
	ck_assert_int_eq(resolve_query(r, "b.q.test", 1, answered, "b"), 0);
	ck_assert_int_eq(resolve_query_ahead(r, "c.q.test", 1, answered, "c"),
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
	ck_assert_int_eq(resolve_query(r, "a.q.test", 1, cancelled, NULL), 0);
	ck_assert_int_eq(resolve_query(r, "b.q.test", 1, cancelled, NULL), 0);
	ck_assert_int_eq(resolve_query_ahead(r, "d.q.test", 1, cancelled,
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

/* Threads of this process with that name (/proc/self/task/N/comm). */
static int
threads_named(const char *name)
{
	char	 path[64], comm[32];
	FILE	*f;
	int	 n = 0, tid;
	DIR	*d = opendir("/proc/self/task");
	struct dirent *e;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)) != NULL) {
		if ((tid = atoi(e->d_name)) <= 0)
			continue;
		(void)snprintf(path, sizeof(path), "/proc/self/task/%d/comm",
		    tid);
		if ((f = fopen(path, "r")) == NULL)
			continue;
		if (fgets(comm, sizeof(comm), f) != NULL) {
			comm[strcspn(comm, "\n")] = '\0';
			n += strcmp(comm, name) == 0;
		}
		(void)fclose(f);
	}
	(void)closedir(d);
	return n;
}

static size_t	 nanswered;

static void
counted(void *arg, struct resolve_answer *a)
{
	(void)arg;
	ck_assert_int_eq(a->state, RESOLVE_DONE);
	ck_assert_int_eq(a->rcode, 0);
	nanswered++;
	resolve_answer_free(a);
}

/*
 * A validating resolver over eight local zones pN.test, each with the
 * names a.pN.test and b.a.pN.test.
 */
static struct resolve *
zones_resolver(struct conf *c)
{
	struct resolve	*r;
	char		 err[256], ta[256], rr[64];
	size_t		 i;

	option(c, "local-zone", "test. static");
	for (i = 0; i < 8; i++) {
		(void)snprintf(rr, sizeof(rr), "p%zu.test. A 192.0.2.1", i);
		option(c, "local-data", rr);
		(void)snprintf(rr, sizeof(rr), "a.p%zu.test. A 192.0.2.2", i);
		option(c, "local-data", rr);
		(void)snprintf(rr, sizeof(rr), "b.a.p%zu.test. A 192.0.2.3",
		    i);
		option(c, "local-data", rr);
	}
	r = resolve_new(c, err, sizeof(err), ta, sizeof(ta));
	ck_assert_msg(r != NULL, "resolve_new: %s", err);
	return r;
}

/*
 * A zone's names, in any letter case, with or without the final dot,
 * and the zone itself go to one lane; eight zones use both lanes, and
 * each lane's thread has its name, the second's too, although its first
 * lookup waits for a place (the window is shared by the lanes).
 */
START_TEST(test_lanes)
{
	struct conf	*c = conf_new();
	struct resolve	*r = zones_resolver(c);
	char		 name[32], alt[32];
	size_t		 i, lane, used[2] = { 0, 0 };
	long		 cpus = sysconf(_SC_NPROCESSORS_ONLN);

	ck_assert_uint_eq(resolve_lanes(r), cpus >= 2 ? 2 : 1);
	resolve_set_window(r, 1);
	nanswered = 0;
	for (i = 0; i < 8; i++) {
		(void)snprintf(name, sizeof(name), "p%zu.test", i);
		lane = resolve_lane(r, name);
		ck_assert_uint_lt(lane, resolve_lanes(r));
		used[lane]++;
		(void)snprintf(alt, sizeof(alt), "A.P%zu.TEST.", i);
		ck_assert_uint_eq(resolve_lane(r, alt), lane);
		(void)snprintf(alt, sizeof(alt), "b.a.p%zu.test", i);
		ck_assert_uint_eq(resolve_lane(r, alt), lane);
		ck_assert_int_eq(resolve_query(r, name, 1, counted, NULL), 0);
		ck_assert_int_eq(resolve_query(r, alt, 1, counted, NULL), 0);
		(void)snprintf(alt, sizeof(alt), "a.p%zu.test", i);
		ck_assert_int_eq(resolve_query_ahead(r, alt, 1, counted, NULL),
		    0);
	}
	run(r);
	ck_assert_uint_eq(nanswered, 24);
	ck_assert_uint_eq(resolve_started(r), 24);
	if (resolve_lanes(r) == 2) {
		ck_assert_uint_gt(used[0], 0);
		ck_assert_uint_gt(used[1], 0);
		ck_assert_int_eq(threads_named("resolver-ca1"), 1);
		ck_assert_int_eq(threads_named("resolver-ca2"), 1);
	} else
		ck_assert_int_eq(threads_named("resolver-ca"), 1);
	resolve_free(r);
	conf_free(c);
}
END_TEST

/* The address space this process has mapped, in bytes. */
static rlim_t
mapped(void)
{
	unsigned long	 pages = 0;
	FILE		*f = fopen("/proc/self/statm", "r");

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fscanf(f, "%lu", &pages), 1);
	(void)fclose(f);
	return (rlim_t)pages * (rlim_t)sysconf(_SC_PAGESIZE);
}

/*
 * When the second lane's thread cannot start (here: no address space
 * left for its stack), its lookups go to the first lane and are
 * answered, not failed.  ASan's shadow memory takes address space of
 * its own: the limit is not set under it.
 */
START_TEST(test_second_lane_without_thread)
{
	struct conf	*c;
	struct resolve	*r;
	struct rlimit	 was, rl;
	char		 rr[64], name[2][64];
	size_t		 i, lane;
	int		 have[2] = { 0, 0 };

	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		return;		/* one lane: nothing to fall back from */
	c = conf_new();
	r = zones_resolver(c);
	ck_assert_uint_eq(resolve_lanes(r), 2);
	for (i = 0; i < 8; i++) {
		(void)snprintf(rr, sizeof(rr), "p%zu.test", i);
		lane = resolve_lane(r, rr);
		if (!have[lane]) {
			(void)snprintf(name[lane], sizeof(name[lane]), "%s", rr);
			have[lane] = 1;
		}
	}
	ck_assert(have[0] && have[1]);
	nanswered = 0;
	ck_assert_int_eq(resolve_query(r, name[0], 1, counted, NULL), 0);
	run(r);
	ck_assert_int_eq(threads_named("resolver-ca1"), 1);
#ifndef __SANITIZE_ADDRESS__
	ck_assert_int_eq(getrlimit(RLIMIT_AS, &was), 0);
	rl = was;
	/* Less than a lane thread's 2 MiB stack. */
	rl.rlim_cur = mapped() + 1024 * 1024;
	ck_assert_int_eq(setrlimit(RLIMIT_AS, &rl), 0);
	ck_assert_int_eq(resolve_query(r, name[1], 1, counted, NULL), 0);
	run(r);
	ck_assert_int_eq(setrlimit(RLIMIT_AS, &was), 0);
	ck_assert_uint_eq(nanswered, 2);
	ck_assert_int_eq(threads_named("resolver-ca2"), 0);
#else
	(void)was;
	(void)rl;
#endif
	resolve_free(r);
	conf_free(c);
}
END_TEST

/* The probe's context has one lane, whatever the machine. */
START_TEST(test_plain_one_lane)
{
	struct conf	*c = conf_new();
	struct resolve	*r;
	char		 err[256];

	r = resolve_new_plain(c, err, sizeof(err));
	ck_assert_msg(r != NULL, "resolve_new_plain: %s", err);
	ck_assert_uint_eq(resolve_lanes(r), 1);
	ck_assert_uint_eq(resolve_lane(r, "a.p1.test"), 0);
	ck_assert_uint_eq(resolve_lane(r, "a.p2.test"), 0);
	resolve_free(r);
	conf_free(c);
}
END_TEST

/*
 * Cancelling reaches the lookups of every lane, sent or waiting; the
 * window counts the lookups of every lane.
 */
START_TEST(test_cancel_every_lane)
{
	struct conf	*c = conf_new();
	struct resolve	*r;
	char		 err[256], ta[256], name[32];
	size_t		 i;

	r = resolve_new(c, err, sizeof(err), ta, sizeof(ta));
	ck_assert_msg(r != NULL, "resolve_new: %s", err);
	ntimeouts = nunsent = 0;
	resolve_set_window(r, 2);
	/* Two names of each of eight zones: two sent, the rest waiting. */
	for (i = 0; i < 16; i++) {
		(void)snprintf(name, sizeof(name), "n%zu.p%zu.test", i / 8,
		    i % 8);
		ck_assert_int_eq(resolve_query(r, name, 1, cancelled, NULL), 0);
	}
	ck_assert_uint_eq(resolve_started(r), 2);
	resolve_cancel_all(r);
	ck_assert_uint_eq(ntimeouts, 16);
	ck_assert_uint_eq(nunsent, 14);
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
	tc = tcase_create("lanes");
	tcase_add_test(tc, test_lanes);
	tcase_add_test(tc, test_plain_one_lane);
	tcase_add_test(tc, test_cancel_every_lane);
	tcase_add_test(tc, test_second_lane_without_thread);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
