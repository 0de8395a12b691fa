/*
 * lane: a libunbound context on an event base of ours, on a thread of
 * ours.  Lookups reach the thread through a queue and answers come back
 * through another, each with an eventfd written only when its queue was
 * empty.  libunbound's own threaded mode sends every lookup and every
 * answer through a pipe, with four fcntl() calls each way.
 */
#include <sys/eventfd.h>

#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>
#include <ldns/ldns.h>
#include <unbound.h>
#include <unbound-event.h>

#include "resolve_priv.h"
#include "wire.h"

#define LANE_STACK	(2 * 1024 * 1024)

static void	on_wake(evutil_socket_t, short, void *);

/*
 * libevent exits when it cannot make an event base's descriptors, with
 * status 1, which here says "the CA will refuse".  The run makes sure of
 * its descriptors first (check.c); should libevent give up all the same,
 * the check was not done: status 3, never a verdict.
 */
static void
event_fatal(int err)
{
	static const char m[] = "caa-preflight: cannot start lookups: the "
	    "event library failed\n";

	(void)err;
	(void)!write(STDERR_FILENO, m, sizeof(m) - 1);
	_exit(3);
}

int
lane_init(struct resolve *r, struct lane *l, char *err, size_t errlen)
{
	l->r = r;
	l->wakefd = -1;
	event_set_fatal_callback(event_fatal);
	if (sem_init(&l->go, 0, 0) == -1 || !(l->sem = 1) ||
	    (l->base = event_base_new()) == NULL ||
	    (l->wakefd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) == -1 ||
	    (l->wake = event_new(l->base, l->wakefd, EV_READ | EV_PERSIST,
	    on_wake, l)) == NULL || event_add(l->wake, NULL) == -1) {
		(void)snprintf(err, errlen, "resolver: event base: %s",
		    strerror(errno));
		return -1;
	}
	return 0;
}

static char *
xstrdup(const char *s)
{
	return s == NULL ? NULL : strdup(s);
}

struct resolve_answer *
lane_answer(struct pending *p, enum resolve_state state)
{
	struct resolve_answer	*a;

	if ((a = calloc(1, sizeof(*a))) == NULL)
		return NULL;
	a->qname = p->qname;
	p->qname = NULL;
	a->qtype = p->qtype;
	a->state = state;
	a->sent = p->sent;
	a->ms = p->sent ? resolve_now_ms() - p->start : 0.0;
	return a;
}

struct resolve_answer *
lane_error(struct pending *p, int rc)
{
	struct resolve_answer	*a = lane_answer(p, RESOLVE_ERROR);

	if (a != NULL)
		a->error = xstrdup(ub_strerror(rc));
	return a;
}

/*
 * On a lane's thread: our answer from libunbound's (ub_resolve_event()
 * gives the packet, its rcode only for an error, and the DNSSEC state);
 * NULL when memory ran out.
 */
static struct resolve_answer *
answer_event(struct pending *p, int rcode, const void *packet, int len,
    int sec, const char *why_bogus)
{
	struct resolve_answer	*a;
	struct wire_answer	 w;

	if ((a = lane_answer(p, RESOLVE_DONE)) == NULL)
		return NULL;
	a->rcode = rcode;
	if (!p->r->validate)
		a->dnssec = RESOLVE_UNVALIDATED;
	else if (sec == 2)
		a->dnssec = RESOLVE_SECURE;
	else if (sec == 1) {
		a->dnssec = RESOLVE_BOGUS;
		if ((a->why_bogus = xstrdup(why_bogus ? why_bogus :
		    "validation failed")) == NULL)
			goto nomem;
	} else
		a->dnssec = RESOLVE_INSECURE;
	/* An error comes with no answer of its own. */
	if (rcode != 0 || packet == NULL || len <= 0)
		return a;
	if ((a->packet = malloc((size_t)len)) == NULL)
		goto nomem;
	memcpy(a->packet, packet, (size_t)len);
	a->packetlen = (size_t)len;
	switch (wire_answer(a->packet, a->packetlen, &w)) {
	case -1:
		wire_answer_clear(&w);
		goto nomem;
	case 1:
		/* As libunbound's results: a packet that does not parse. */
		a->rcode = LDNS_RCODE_SERVFAIL;
		return a;
	}
	a->canonname = w.canon;
	a->rdata = w.rdata;
	a->rdlen = w.rdlen;
	a->nrdata = w.n;
	a->rcode = a->packet[3] & 0x0f;
	a->nxdomain = a->rcode == LDNS_RCODE_NXDOMAIN;
	return a;
nomem:
	a->state = RESOLVE_ERROR;
	a->error = xstrdup("out of memory");
	return a;
}

/*
 * Append a lookup to one of the queues between the threads; the eventfd
 * that wakes its reader is written only when the queue was empty.
 */
static void
push(struct pending *p, struct pending **head, struct pending **tail,
    int fd)
{
	uint64_t	 one = 1;
	int		 wake;

	p->qnext = NULL;
	(void)pthread_mutex_lock(&p->r->lock);
	wake = *head == NULL;
	if (*tail != NULL)
		(*tail)->qnext = p;
	else
		*head = p;
	*tail = p;
	(void)pthread_mutex_unlock(&p->r->lock);
	if (wake)
		(void)!write(fd, &one, sizeof(one));
}

/* On a lane's thread: queue a lookup's answer for the caller's thread. */
static void
finish(struct pending *p, struct resolve_answer *a)
{
	struct resolve	*r = p->r;

	p->ans = a;
	p->answered = 1;
	push(p, &r->done, &r->done_tail, r->donefd);
}

static void
on_answer(void *arg, int rcode, void *packet, int len, int sec,
    char *why_bogus, int ratelimited)
{
	struct pending	*p = arg;

	(void)ratelimited;
	finish(p, answer_event(p, rcode, packet, len, sec, why_bogus));
}

/* On a lane's thread: start the lookups handed over, or stop. */
static void
on_wake(evutil_socket_t fd, short what, void *arg)
{
	struct lane	*l = arg;
	struct pending	*p, *next;
	uint64_t	 n;
	int		 rc, stop;

	(void)what;
	(void)!read(fd, &n, sizeof(n));
	(void)pthread_mutex_lock(&l->r->lock);
	stop = l->stop;
	p = stop ? NULL : l->in;
	if (!stop)
		l->in = l->in_tail = NULL;
	(void)pthread_mutex_unlock(&l->r->lock);
	if (stop) {
		(void)event_base_loopbreak(l->base);
		return;
	}
	for (; p != NULL; p = next) {
		next = p->qnext;
		/*
		 * An answer from the cache is called back before this
		 * returns, and the caller's thread may free p at once:
		 * p is not touched after.
		 */
		if ((rc = ub_resolve_event(l->ctx, p->qname, p->qtype, 1, p,
		    on_answer, &p->id)) != 0)
			finish(p, lane_error(p, rc));
	}
}

static void *
lane_main(void *arg)
{
	struct lane	*l = arg;

	/* The base is the caller's until its first lookup is started. */
	while (sem_wait(&l->go) == -1 && errno == EINTR)
		continue;
	(void)event_base_dispatch(l->base);
	return NULL;
}

/*
 * A lane's first lookup, started on the caller's thread while the
 * lane's waits: libunbound then reads its settings and files and sets
 * its worker up here, where a failure (memory running out, most often)
 * is an error returned at once, not a crash on the lane's thread.  0,
 * or libunbound's error.
 */
static int
lane_first(struct lane *l, struct pending *p)
{
	int	 rc;

	rc = ub_resolve_event(l->ctx, p->qname, p->qtype, 1, p, on_answer,
	    &p->id);
	/* A name libunbound refuses is that lookup's failure alone. */
	l->error = rc != UB_SYNTAX ? rc : 0;
	(void)sem_post(&l->go);
	return rc;
}

/*
 * Start a lane's thread, with its first lookup: 1 when it started now, 0
 * when it ran already, -1 when it cannot start.  A lane whose lookups
 * another can take (fallback) is not tried again.
 */
static int
lane_start(struct lane *l, int fallback)
{
	pthread_attr_t	 attr;
	int		 rc;

	if (l->threaded)
		return 0;
	if (l->nothread || pthread_attr_init(&attr) != 0) {
		l->nothread = fallback;
		return -1;
	}
	/*
	 * The stack Unbound gives its own threads (PTHREADSTACKSIZE), not
	 * glibc's 8 MiB: under a limit on address space that is room for
	 * libunbound's caches.
	 */
	(void)pthread_attr_setstacksize(&attr, LANE_STACK);
	rc = pthread_create(&l->thread, &attr, lane_main, l);
	(void)pthread_attr_destroy(&attr);
	if (rc != 0) {
		l->nothread = fallback;
		return -1;
	}
	l->threaded = 1;
	/* For top -H and the bench; best effort. */
	(void)pthread_setname_np(l->thread, l->name);
	return 1;
}

void
lane_stop_all(struct resolve *r)
{
	struct lane	*l;
	uint64_t	 one = 1;
	size_t		 i;

	for (i = 0; i < r->nlanes; i++) {
		l = &r->lanes[i];
		if (!l->threaded)
			continue;
		(void)pthread_mutex_lock(&r->lock);
		l->stop = 1;
		(void)pthread_mutex_unlock(&r->lock);
		(void)!write(l->wakefd, &one, sizeof(one));
		(void)pthread_join(l->thread, NULL);
		l->threaded = 0;
	}
	for (i = 0; i < r->nlanes; i++)
		r->lanes[i].in = r->lanes[i].in_tail = NULL;
	r->done = r->done_tail = NULL;
}

/*
 * A second lane whose thread cannot start (a limit on threads or
 * memory) leaves its lookups to the first, which validates them as
 * well: such a limit is no reason to fail a name.
 */
int
lane_hand_over(struct pending *p)
{
	struct resolve	*r = p->r;
	struct lane	*l = p->lane;
	int		 rc;

	if ((rc = lane_start(l, l != &r->lanes[0])) == -1) {
		p->lane = l = &r->lanes[0];
		if ((rc = lane_start(l, 0)) == -1)
			return UB_NOMEM;
	}
	if (rc == 1)
		return lane_first(l, p);
	/* Its first lookup failed: so would the others. */
	if (l->error != 0)
		return l->error;
	push(p, &l->in, &l->in_tail, l->wakefd);
	return 0;
}

int
lane_queues_init(struct resolve *r, char *err, size_t errlen)
{
	r->donefd = -1;
	if (pthread_mutex_init(&r->lock, NULL) != 0 || !(r->locked = 1) ||
	    (r->donefd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) == -1) {
		(void)snprintf(err, errlen, "resolver: %s", strerror(errno));
		return -1;
	}
	return 0;
}

void
lane_queues_free(struct resolve *r)
{
	if (r->donefd != -1)
		(void)close(r->donefd);
	if (r->locked)
		(void)pthread_mutex_destroy(&r->lock);
}

struct pending *
lane_take_done(struct resolve *r)
{
	struct pending	*p;
	uint64_t	 n;

	(void)!read(r->donefd, &n, sizeof(n));
	(void)pthread_mutex_lock(&r->lock);
	p = r->done;
	r->done = r->done_tail = NULL;
	(void)pthread_mutex_unlock(&r->lock);
	return p;
}

/* Its context's events leave the base before the base goes. */
void
lane_free(struct lane *l)
{
	/*
	 * When libunbound cannot set its worker up (UB_INITFAIL, memory
	 * running out), it frees the event base it was given, and deleting
	 * the context frees it again: the context and its base are then
	 * left to the process's exit.
	 */
	if (l->error != UB_INITFAIL) {
		ub_ctx_delete(l->ctx);
		if (l->wake != NULL)
			event_free(l->wake);
		if (l->base != NULL)
			event_base_free(l->base);
	}
	if (l->wakefd != -1)
		(void)close(l->wakefd);
	if (l->sem)
		(void)sem_destroy(&l->go);
}
