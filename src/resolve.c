/*
 * resolve: libunbound glue.  Each context runs on a thread of its own,
 * a lane (lane.c); here: their settings, which lane a name goes to, the
 * window of lookups in flight, and delivery to the callbacks.
 */
#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <unbound.h>
#include <unbound-event.h>

#include "conf.h"
#include "resolve.h"
#include "resolve_priv.h"

/* The root KSKs (key tags 20326 and 38696), used when no file is found. */
static const char *const builtin_ta[] = {
	". IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC68345"
	    "7104237C7F8EC8D",
	". IN DS 38696 8 2 683D2D0ACB8C9B712A1948B27F741219298D0A450D612C483"
	    "AF444A4C0FB2B16",
};

#define DEFAULT_TA	"/usr/share/dns/root.key"

double
resolve_now_ms(void)
{
	struct timespec	 ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

/*
 * SPEC 4.1: Let's Encrypt's Unbound settings, as its engineers mirrored
 * them in the public unboundtest configuration ("Bring config more
 * in-line with Let's Encrypt unbound.conf").  Without QNAME
 * minimisation each name costs fewer round trips; 0x20 makes a server
 * that does not echo the question's case cost a retry, as it does the
 * CA; no signature clock skew, so a signature that has just expired is
 * expired here too.
 */
static const struct {
	const char	*name;
	const char	*value;
} ca_settings[] = {
	{ "qname-minimisation", "no" },
	{ "use-caps-for-id", "yes" },
	{ "harden-below-nxdomain", "no" },
	{ "harden-dnssec-stripped", "yes" },
	{ "val-sig-skew-min", "0" },
	{ "val-sig-skew-max", "0" },
	{ "edns-buffer-size", "1232" },
	{ "ede", "yes" },
};

/*
 * UDP ports each context may have open at once (outgoing-range): each
 * is a descriptor.  See resolve_set_ports().
 */
static size_t	 ports = RESOLVE_PORTS;

void
resolve_set_ports(size_t n)
{
	ports = n < RESOLVE_PORTS_MIN ? RESOLVE_PORTS_MIN :
	    n > RESOLVE_PORTS ? RESOLVE_PORTS : n;
}

/* Shown by -v, as libunbound holds them after every option. */
static const char *const shown[] = {
	"qname-minimisation", "use-caps-for-id", "harden-below-nxdomain",
	"harden-dnssec-stripped", "val-sig-skew-min", "val-sig-skew-max",
	"edns-buffer-size", "ede", "prefetch-key", "outgoing-range",
};

static int
setopt(struct ub_ctx *ctx, const char *name, const char *value, char *err,
    size_t errlen)
{
	char	 opt[128];
	int	 rc;

	(void)snprintf(opt, sizeof(opt), "%s:", name);
	if ((rc = ub_ctx_set_option(ctx, opt, value)) != 0) {
		(void)snprintf(err, errlen, "resolver option %s \"%s\": %s",
		    name, value, ub_strerror(rc));
		return -1;
	}
	return 0;
}

/* A file the resolver will read, readable now? */
static int
readable(const char *what, const char *path, const struct conf *c,
    size_t line, size_t col, struct conf_errors *errs)
{
	if (path == NULL || access(path, R_OK) == 0)
		return 0;
	return conf_error(errs, c->file ? c->file : "(command line)", line,
	    col, "%s %s: %s", what, path, strerror(errno)) == -1 ? -1 : 1;
}

int
resolve_check(const struct conf *c, struct conf_errors *errs)
{
	struct ub_ctx	*ctx;
	char		 opt[128];
	size_t		 i;
	int		 n = 0, rc, r;

	if ((r = readable("trust anchor", c->trust_anchor, c, c->ta_line,
	    c->ta_col, errs)) == -1)
		return -1;
	n += r;
	if ((r = readable("root hints", c->root_hints, c, c->hints_line,
	    c->hints_col, errs)) == -1)
		return -1;
	n += r;
	if (c->noptions == 0)
		return n;
	if ((ctx = ub_ctx_create()) == NULL)
		return -1;
	for (i = 0; i < c->noptions; i++) {
		(void)snprintf(opt, sizeof(opt), "%s:", c->options[i].name);
		if ((rc = ub_ctx_set_option(ctx, opt, c->options[i].value)) == 0)
			continue;
		n++;
		if (conf_error(errs, c->file ? c->file : "(command line)",
		    c->options[i].line, c->options[i].col, "resolver option "
		    "%s \"%s\": %s", c->options[i].name, c->options[i].value,
		    ub_strerror(rc)) == -1) {
			n = -1;
			break;
		}
	}
	ub_ctx_delete(ctx);
	return n;
}

/* A thread that does nothing: can one be started at all? */
static void *
idle(void *arg)
{
	return arg;
}

/* 0, or the error pthread_create() gave, after starting and joining one. */
static int
thread_start_error(void)
{
	pthread_t	 t;
	int		 rc;

	if ((rc = pthread_create(&t, NULL, idle, NULL)) != 0)
		return rc;
	(void)pthread_join(t, NULL);
	return 0;
}


/* The trust anchor: the configuration's, Debian's file, or built in. */
static int
trust_anchor(struct ub_ctx *ctx, const struct conf *c, char *err,
    size_t errlen, char *ta_used, size_t ta_len)
{
	size_t	 i;
	int	 rc;

	if (c->trust_anchor != NULL) {
		if (access(c->trust_anchor, R_OK) == -1) {
			(void)snprintf(err, errlen, "trust anchor %s: %s",
			    c->trust_anchor, strerror(errno));
			return -1;
		}
		if ((rc = ub_ctx_add_ta_file(ctx, c->trust_anchor)) != 0) {
			(void)snprintf(err, errlen, "trust anchor %s: %s",
			    c->trust_anchor, ub_strerror(rc));
			return -1;
		}
		(void)snprintf(ta_used, ta_len, "%s (configured)",
		    c->trust_anchor);
	} else if (access(DEFAULT_TA, R_OK) == 0) {
		if ((rc = ub_ctx_add_ta_file(ctx, DEFAULT_TA)) != 0) {
			(void)snprintf(err, errlen, "trust anchor %s: %s",
			    DEFAULT_TA, ub_strerror(rc));
			return -1;
		}
		(void)snprintf(ta_used, ta_len, "%s", DEFAULT_TA);
	} else {
		for (i = 0; i < sizeof(builtin_ta) / sizeof(builtin_ta[0]); i++)
			if ((rc = ub_ctx_add_ta(ctx, builtin_ta[i])) != 0) {
				(void)snprintf(err, errlen, "built-in trust "
				    "anchor: %s", ub_strerror(rc));
				return -1;
			}
		(void)snprintf(ta_used, ta_len, "built-in root DS (key tags "
		    "20326, 38696)");
	}
	return 0;
}

/*
 * One context on the event base, set up; NULL, with err written, when it
 * cannot be.
 */
static struct ub_ctx *
setup(const struct conf *c, int validate, struct event_base *base,
    char *err, size_t errlen, char *ta_used, size_t ta_len)
{
	struct ub_ctx	*ctx;
	char		 range[24];
	size_t		 i;
	int		 rc;

	if ((ctx = ub_ctx_create_event(base)) == NULL) {
		(void)snprintf(err, errlen, "cannot create resolver context");
		return NULL;
	}
	/*
	 * Raw options come after these, so a configuration can still
	 * override them.
	 *
	 * Many lookups at once: libunbound's default of 16 outgoing
	 * queries would serialise a large run.  1,024 ports serve the
	 * 512-lookup window, most lookups with a query or two out at once;
	 * each port costs memory set up before the first query (4,096
	 * added 8 ms to every run).  Fewer where the limit on open files
	 * calls for it (resolve_set_ports()): a query with no port free
	 * waits for one, where one with no descriptor fails.
	 *
	 * prefetch-key asks for a zone's DNSKEYs as soon as its DS is
	 * seen, alongside the query, not after the answer: the same keys,
	 * a round trip sooner (1,000 names on the bench: 0.83 s -> 0.70 s).
	 *
	 * Then the CA's own settings (SPEC 4.1), so that the answers are
	 * the ones its resolver gets.
	 */
	(void)snprintf(range, sizeof(range), "%zu", ports);
	if (setopt(ctx, "outgoing-range", range, err, errlen) == -1 ||
	    setopt(ctx, "num-queries-per-thread", "4096", err, errlen) == -1 ||
	    setopt(ctx, "prefetch-key", "yes", err, errlen) == -1)
		goto fail;
	for (i = 0; i < sizeof(ca_settings) / sizeof(ca_settings[0]); i++)
		if (setopt(ctx, ca_settings[i].name, ca_settings[i].value,
		    err, errlen) == -1)
			goto fail;

	if (c->root_hints != NULL) {
		if (access(c->root_hints, R_OK) == -1) {
			(void)snprintf(err, errlen, "root hints %s: %s",
			    c->root_hints, strerror(errno));
			goto fail;
		}
		if (setopt(ctx, "root-hints", c->root_hints, err,
		    errlen) == -1)
			goto fail;
	}
	for (i = 0; i < c->nforward; i++)
		if ((rc = ub_ctx_set_fwd(ctx, c->forward[i])) != 0) {
			(void)snprintf(err, errlen, "forwarder %s: %s",
			    c->forward[i], ub_strerror(rc));
			goto fail;
		}
	for (i = 0; i < c->noptions; i++)
		if (setopt(ctx, c->options[i].name, c->options[i].value,
		    err, errlen) == -1)
			goto fail;

	/*
	 * Without the validator: the nameserver check's own lookups (its
	 * zones' servers, their addresses, SOA), which the CA never makes
	 * and whose answers decide nothing (see resolve_new_plain()).
	 */
	if (validate) {
		if (trust_anchor(ctx, c, err, errlen, ta_used, ta_len) == -1)
			goto fail;
	} else if (setopt(ctx, "module-config", "iterator", err,
	    errlen) == -1)
		goto fail;
	/*
	 * Each context has a thread of its own (its lane's): the nameserver
	 * check's lookups then cost the CA's validating thread nothing.
	 * The thread starts with the first lookup; start and join one now,
	 * so that a limit that forbids threads (address space, pids, tasks)
	 * is "could not check", at once.
	 */
	if ((rc = thread_start_error()) != 0) {
		(void)snprintf(err, errlen, "cannot start the resolver's "
		    "thread: %s", strerror(rc));
		goto fail;
	}
	return ctx;
fail:
	ub_ctx_delete(ctx);
	return NULL;
}

/* Validating contexts: two when there are two cores to run them. */
size_t
resolve_contexts(int validate)
{
	long	 cpus = sysconf(_SC_NPROCESSORS_ONLN);

	if (!validate || cpus < 2)
		return 1;
	return cpus < RESOLVE_LANES ? (size_t)cpus : RESOLVE_LANES;
}

static struct resolve *
create(const struct conf *c, int validate, char *err, size_t errlen,
    char *ta_used, size_t ta_len)
{
	struct resolve		*r;
	size_t			 i, n = resolve_contexts(validate);
	char			 num[8];

	if ((r = calloc(1, sizeof(*r))) == NULL) {
		(void)snprintf(err, errlen, "out of memory");
		return NULL;
	}
	r->validate = validate;
	/* No more lookups at once than its contexts have ports for. */
	r->window = ports * n < RESOLVE_WINDOW ? ports * n : RESOLVE_WINDOW;
	if (lane_queues_init(r, err, errlen) == -1)
		goto fail;
	for (i = 0; i < n; i++) {
		r->nlanes++;
		if (lane_init(r, &r->lanes[i], err, errlen) == -1 ||
		    (r->lanes[i].ctx = setup(c, validate, r->lanes[i].base,
		    err, errlen, ta_used, ta_len)) == NULL)
			goto fail;
		/* resolver-probe, resolver-ca, or resolver-ca1 and -ca2. */
		num[0] = '\0';
		if (n > 1)
			(void)snprintf(num, sizeof(num), "%zu", i + 1);
		(void)snprintf(r->lanes[i].name, sizeof(r->lanes[i].name),
		    "resolver-%s%s", validate ? "ca" : "probe", num);
	}
	return r;
fail:
	resolve_free(r);
	return NULL;
}

struct resolve *
resolve_new(const struct conf *c, char *err, size_t errlen, char *ta_used,
    size_t ta_len)
{
	return create(c, 1, err, errlen, ta_used, ta_len);
}

struct resolve *
resolve_new_plain(const struct conf *c, char *err, size_t errlen)
{
	char	 ta[8];

	return create(c, 0, err, errlen, ta, sizeof(ta));
}

size_t
resolve_settings(struct resolve *r, char (*out)[RESOLVE_SETTING_LEN],
    size_t max)
{
	size_t	 i, n = 0;
	char	*v;

	for (i = 0; i < sizeof(shown) / sizeof(shown[0]) && n < max; i++) {
		v = NULL;
		if (ub_ctx_get_option(r->lanes[0].ctx, shown[i], &v) != 0 ||
		    v == NULL)
			continue;
		(void)snprintf(out[n++], RESOLVE_SETTING_LEN, "%s %s",
		    shown[i], v);
		free(v);
	}
	return n;
}

static void
unlink_pending(struct resolve *r, struct pending *p)
{
	size_t	 last = r->npend - 1;

	r->pend[p->slot] = r->pend[last];
	r->pend[p->slot]->slot = p->slot;
	r->npend--;
}

void
resolve_answer_free(struct resolve_answer *a)
{
	size_t	 i;

	if (a == NULL)
		return;
	free(a->qname);
	free(a->why_bogus);
	free(a->canonname);
	for (i = 0; i < a->nrdata; i++)
		free(a->rdata[i]);
	free(a->rdata);
	free(a->rdlen);
	free(a->packet);
	free(a->error);
	free(a);
}

static void
deliver(struct pending *p, struct resolve_answer *a)
{
	struct resolve	*r = p->r;

	if (p->sent)
		r->inflight--;
	unlink_pending(r, p);
	p->cb(p->arg, a);
	free(p->qname);
	free(p);
}

/* Hand a waiting lookup over; a failure is its answer. */
static void
send_pending(struct resolve *r, struct pending *p)
{
	int	 rc;

	p->sent = 1;
	p->start = resolve_now_ms();	/* its time, not its wait */
	r->inflight++;
	r->started++;
	if ((rc = lane_hand_over(p)) != 0)
		deliver(p, lane_error(p, rc));
}

static void
enqueue(struct pending **head, struct pending **tail, struct pending *p)
{
	if (*tail != NULL)
		(*tail)->wnext = p;
	else
		*head = p;
	*tail = p;
}

/* The next waiting lookup, those sent ahead first; NULL when none. */
static struct pending *
dequeue(struct resolve *r)
{
	struct pending	**head = r->ahead != NULL ? &r->ahead : &r->waiting;
	struct pending	**tail = r->ahead != NULL ? &r->ahead_tail :
			    &r->waiting_tail;
	struct pending	 *p;

	if ((p = *head) != NULL && (*head = p->wnext) == NULL)
		*tail = NULL;
	return p;
}

/* Start waiting lookups while there is room. */
static void
fill(struct resolve *r)
{
	struct pending	*p;

	while (r->inflight < r->window && (p = dequeue(r)) != NULL)
		send_pending(r, p);
}

/*
 * A name's lane: by its last two labels, so that the names of a zone
 * below a TLD, its keys and its DS all go to one context.  Names of a
 * zone deeper down only share that context with their neighbours.
 * FNV-1a, then mixed (MurmurHash3's finaliser): on its own, FNV-1a's
 * lowest bit depends on the letters' lowest bits alone.
 */
size_t
resolve_lane(const struct resolve *r, const char *name)
{
	const char	*key = name, *end = name + strlen(name), *c;
	size_t		 dots = 0;
	uint64_t	 h = 0xcbf29ce484222325ULL;

	if (r->nlanes == 1)
		return 0;
	if (end > name && end[-1] == '.')
		end--;
	for (c = end; c > name; c--)
		if (c[-1] == '.' && ++dots == 2) {
			key = c;
			break;
		}
	for (c = key; c < end; c++) {
		h ^= (uint64_t)tolower((unsigned char)*c);
		h *= 0x100000001b3ULL;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return (size_t)(h % r->nlanes);
}

size_t
resolve_lanes(const struct resolve *r)
{
	return r->nlanes;
}

static int
query(struct resolve *r, const char *name, int type, int ahead,
    resolve_cb cb, void *arg)
{
	struct pending	*p, **v;

	if (r->cancelling)
		return -1;
	if (r->npend == r->cap) {
		size_t	 ncap = r->cap ? r->cap * 2 : 64;

		if ((v = reallocarray(r->pend, ncap, sizeof(*v))) == NULL)
			return -1;
		r->pend = v;
		r->cap = ncap;
	}
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return -1;
	if ((p->qname = strdup(name)) == NULL) {
		free(p);
		return -1;
	}
	p->r = r;
	p->lane = &r->lanes[resolve_lane(r, name)];
	p->cb = cb;
	p->arg = arg;
	p->qtype = type;
	p->start = resolve_now_ms();
	p->slot = r->npend;
	r->pend[r->npend++] = p;
	if (r->inflight >= r->window || r->waiting != NULL ||
	    r->ahead != NULL) {
		if (ahead)
			enqueue(&r->ahead, &r->ahead_tail, p);
		else
			enqueue(&r->waiting, &r->waiting_tail, p);
		return 0;
	}
	p->sent = 1;
	r->inflight++;
	if (lane_hand_over(p) != 0) {
		r->inflight--;
		unlink_pending(r, p);
		free(p->qname);
		free(p);
		return -1;
	}
	r->started++;
	return 0;
}

int
resolve_query(struct resolve *r, const char *name, int type, resolve_cb cb,
    void *arg)
{
	return query(r, name, type, 0, cb, arg);
}

int
resolve_query_ahead(struct resolve *r, const char *name, int type,
    resolve_cb cb, void *arg)
{
	return query(r, name, type, 1, cb, arg);
}

int
resolve_fd(struct resolve *r)
{
	return r->donefd;
}

int
resolve_process(struct resolve *r)
{
	struct pending	*p, *next;

	p = lane_take_done(r);
	/* A callback that cancels every lookup has delivered the rest. */
	for (; p != NULL && !r->cancelling; p = next) {
		next = p->qnext;
		deliver(p, p->ans);
	}
	if (!r->cancelling)
		fill(r);
	return 0;
}

void
resolve_set_window(struct resolve *r, size_t window)
{
	r->window = window > 0 ? window : 1;
}

size_t
resolve_pending(const struct resolve *r)
{
	return r->npend;
}

size_t
resolve_started(const struct resolve *r)
{
	return r->started;
}

void
resolve_each_late(const struct resolve *r, resolve_cb cb, double ms,
    void (*fn)(void *, void *), void *ctx)
{
	double		 now = resolve_now_ms();
	struct pending	*p;
	size_t		 i;

	for (i = 0; i < r->npend; i++) {
		p = r->pend[i];
		if (p->cb == cb && p->sent && now - p->start >= ms)
			fn(ctx, p->arg);
	}
}

size_t
resolve_unsent(const struct resolve *r)
{
	return r->unsent;
}

void
resolve_cancel_all(struct resolve *r)
{
	struct pending	*p;

	r->cancelling = 1;
	lane_stop_all(r);
	/* Those never handed over first, in the order they would go. */
	while ((p = dequeue(r)) != NULL) {
		r->unsent++;
		deliver(p, lane_answer(p, RESOLVE_TIMEOUT));
	}
	/*
	 * Then those handed over: cancelled in libunbound, so that deleting
	 * its context calls none of them back (one not yet started, or
	 * answered, is not there); an answer already queued is dropped.
	 * Each is delivered as a timeout.
	 */
	while (r->npend > 0) {
		p = r->pend[r->npend - 1];
		if (p->answered && p->ans != NULL) {
			if (p->qname == NULL) {
				p->qname = p->ans->qname;
				p->ans->qname = NULL;
			}
			resolve_answer_free(p->ans);
		} else if (!p->answered)
			(void)ub_cancel(p->lane->ctx, p->id);
		deliver(p, lane_answer(p, RESOLVE_TIMEOUT));
	}
}

void
resolve_free(struct resolve *r)
{
	size_t	 i;

	if (r == NULL)
		return;
	resolve_cancel_all(r);
	for (i = 0; i < r->nlanes; i++)
		lane_free(&r->lanes[i]);
	lane_queues_free(r);
	free(r->pend);
	free(r);
}
