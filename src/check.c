/*
 * check: per-name orchestration.
 */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caa.h"
#include "check.h"
#include "conf.h"
#include "name.h"
#include "probe.h"
#include "resolve.h"
#include "servers.h"

#define TYPE_TXT	16
#define TYPE_CAA	257

/* Enough for a 253-character name: at most 127 labels. */
#define MAXLEVELS	128
/* Wait for a direct answer before the one retry. */
#define PROBE_ATTEMPT_MS	1000

struct check {
	const struct conf	 *c;
	struct check_name	 *names;
	size_t			  nnames;
	size_t			  cap;
	struct check_query	**buckets;	/* hash of queries */
	size_t			  nbuckets;
	size_t			  nqueries;
	struct check_query	 *first;	/* creation order */
	struct check_query	 *last;
	struct check_query	 *ready;	/* answered, not taken in */
	int			  nomem;
	struct resolve		 *r;
	struct probe		 *pr;		/* NULL: nameservers: off */
	struct servers		 *srv;
	char			  ta[256];
	char			  settings[160];	/* resolver's, for -v */
	double			  elapsed;
};

struct check *
check_new(const struct conf *c)
{
	struct check	*k;

	if ((k = calloc(1, sizeof(*k))) == NULL)
		return NULL;
	k->c = c;
	k->nbuckets = 256;
	if ((k->buckets = calloc(k->nbuckets, sizeof(*k->buckets))) == NULL) {
		free(k);
		return NULL;
	}
	return k;
}

static void
query_free(struct check_query *q)
{
	size_t	 i;

	for (i = 0; i < q->nrecs; i++)
		caa_record_clear(&q->recs[i]);
	free(q->recs);
	free(q->failure);
	free(q->fix);
	free(q->waiters);
	resolve_answer_free(q->ans);
	free(q->qname);
	free(q);
}

void
check_free(struct check *k)
{
	struct check_query	*q, *next;
	size_t			 i;

	if (k == NULL)
		return;
	servers_free(k->srv);
	probe_free(k->pr);
	resolve_free(k->r);
	for (q = k->first; q != NULL; q = next) {
		next = q->order;
		query_free(q);
	}
	for (i = 0; i < k->nnames; i++) {
		struct check_name *n = &k->names[i];

		free(n->input);
		free(n->nm.ascii);
		free(n->nm.display);
		free(n->levels);
		free(n->acme_reason);
		free(n->acme_fix);
		free(n->dec.reason);
		free(n->dec.fix);
		for (size_t w = 0; w < n->dec.nwarn; w++)
			free(n->dec.warn[w]);
		free(n->dec.warn);
	}
	free(k->names);
	free(k->buckets);
	free(k);
}

static size_t
hash(const char *s, int type)
{
	size_t	 h = 2166136261u ^ (size_t)type;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static int
grow(struct check *k)
{
	struct check_query	**nb, *q;
	size_t			  n = k->nbuckets * 4, h;

	if ((nb = calloc(n, sizeof(*nb))) == NULL)
		return -1;
	for (q = k->first; q != NULL; q = q->order) {
		h = hash(q->qname, q->qtype) & (n - 1);
		q->next = nb[h];
		nb[h] = q;
	}
	free(k->buckets);
	k->buckets = nb;
	k->nbuckets = n;
	return 0;
}

/* Name number i waits for q's answer before it can be decided. */
static int
wait_for(struct check_query *q, size_t i)
{
	size_t	*v, n = q->nwaiters;

	/* Doubling: a TLD's level can have every name of the run waiting. */
	if ((n & (n - 1)) == 0) {
		if ((v = reallocarray(q->waiters, n ? n * 2 : 1,
		    sizeof(*v))) == NULL)
			return -1;
		q->waiters = v;
	}
	q->waiters[q->nwaiters++] = i;
	return 0;
}

/* The query for (name, type), made once per run. */
static struct check_query *
query_get(struct check *k, const char *name, int type)
{
	struct check_query	*q;
	size_t			 h;

	h = hash(name, type) & (k->nbuckets - 1);
	for (q = k->buckets[h]; q != NULL; q = q->next)
		if (q->qtype == type && strcmp(q->qname, name) == 0)
			return q;
	if (k->nqueries >= k->nbuckets && grow(k) == 0)
		h = hash(name, type) & (k->nbuckets - 1);
	if ((q = calloc(1, sizeof(*q))) == NULL)
		return NULL;
	if ((q->qname = strdup(name)) == NULL) {
		free(q);
		return NULL;
	}
	q->qtype = type;
	q->run = k;
	q->seq = k->nqueries;
	q->next = k->buckets[h];
	k->buckets[h] = q;
	if (k->last != NULL)
		k->last->order = q;
	else
		k->first = q;
	k->last = q;
	k->nqueries++;
	return q;
}

int
check_add(struct check *k, const char *input, const struct conf_cert *cert,
    char *why, size_t whylen)
{
	struct check_name	*n, *v;
	const char		*lv[MAXLEVELS];
	size_t			 i, nl;
	char			 acme[NAME_MAX_TEXT + 32];
	struct name		 nm;
	size_t			 before;
	int			 fresh[MAXLEVELS], dns01;

	if (k->nnames == k->cap) {
		size_t	 ncap = k->cap ? k->cap * 2 : 16;

		if ((v = reallocarray(k->names, ncap, sizeof(*v))) == NULL)
			goto nomem;
		k->names = v;
		k->cap = ncap;
	}
	n = &k->names[k->nnames];
	memset(n, 0, sizeof(*n));
	if (name_parse(input, &nm) == NAME_INVALID) {
		(void)snprintf(why, whylen, "%s", nm.why);
		return -1;
	}
	n->nm.kind = nm.kind;
	n->nm.wildcard = nm.wildcard;
	n->input = strdup(input);
	n->nm.ascii = strdup(nm.ascii);
	n->nm.display = strdup(nm.display);
	if (n->input == NULL || n->nm.ascii == NULL || n->nm.display == NULL) {
		free(n->input);
		free(n->nm.ascii);
		free(n->nm.display);
		goto nomem;
	}
	n->cert = cert ? cert->label : NULL;
	conf_effective(k->c, cert, &n->pol);
	/* SPEC 3: a wildcard can only be validated with dns-01. */
	n->method = n->nm.wildcard ? "dns-01" : n->pol.method;
	k->nnames++;
	if (n->nm.kind == NAME_IP) {
		n->verdict = CHECK_NOT_SUBJECT;
		return 0;
	}

	/* RFC 8659 §3: the name and each parent up to the TLD. */
	nl = name_levels(n->nm.ascii, lv, MAXLEVELS);
	if ((n->levels = calloc(nl, sizeof(*n->levels))) == NULL)
		goto nomem;
	for (i = 0; i < nl; i++) {
		before = k->nqueries;
		if ((n->levels[i] = query_get(k, lv[i], TYPE_CAA)) == NULL ||
		    wait_for(n->levels[i], k->nnames - 1) == -1)
			goto nomem;
		fresh[i] = k->nqueries > before;
	}
	/* From the TLD down: a new level is its parent's next child. */
	for (i = nl > 0 ? nl - 1 : 0; i-- > 0;)
		if (fresh[i])
			n->levels[i]->rank = ++n->levels[i + 1]->kids;
	n->nlevels = nl;
	n->waiting = nl;

	/* SPEC 5.4: _acme-challenge must resolve for dns-01. */
	dns01 = strcmp(n->method, "dns-01") == 0;
	n->acme_level = k->c->dns01;
	if (n->acme_level == CONF_AUTO)
		n->acme_level = dns01 ? CONF_ERROR : CONF_OFF;
	if (n->acme_level != CONF_OFF) {
		(void)snprintf(acme, sizeof(acme), "_acme-challenge.%s",
		    n->nm.ascii);
		before = k->nqueries;
		if ((n->acme = query_get(k, acme, TYPE_TXT)) == NULL ||
		    wait_for(n->acme, k->nnames - 1) == -1)
			goto nomem;
		if (k->nqueries > before)
			n->acme->rank = ++n->levels[0]->kids;
		n->waiting++;
	}
	return 0;
nomem:
	(void)snprintf(why, whylen, "out of memory");
	return -1;
}

const char *
check_rcode_name(int rcode)
{
	static const char *const names[] = {
		"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP",
		"REFUSED", "YXDOMAIN", "YXRRSET", "NXRRSET", "NOTAUTH",
		"NOTZONE"
	};

	if (rcode >= 0 && (size_t)rcode < sizeof(names) / sizeof(names[0]))
		return names[rcode];
	return "RCODE?";
}

const char *
check_verdict_name(enum check_verdict v)
{
	switch (v) {
	case CHECK_OK:
		return "ok";
	case CHECK_REFUSED:
		return "refused";
	case CHECK_DNS_FAILURE:
		return "dns-failure";
	case CHECK_NOT_CHECKED:
		return "not-checked";
	default:
		return "not-subject";
	}
}

static void
setf(char **dst, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
setf(char **dst, const char *fmt, ...)
{
	va_list	 ap;

	free(*dst);
	va_start(ap, fmt);
	if (vasprintf(dst, fmt, ap) == -1)
		*dst = NULL;
	va_end(ap);
}

/*
 * Whether the run, not DNS, kept a lookup's answer: the deadline passed
 * before it was sent, or when it had had less than half of the run's
 * time.  Such a lookup says nothing about the name's servers, and a
 * name resting on it is not checked rather than failed.  A lookup
 * asked for most of the run and left unanswered timed out as the CA's
 * would.
 */
static int
cut_short(const struct check *k, const struct resolve_answer *a)
{
	return a != NULL && a->state == RESOLVE_TIMEOUT &&
	    (!a->sent || a->ms < k->c->timeout * 500.0);
}

/* Why a lookup cut_short() kept leaves its name not checked. */
static void
not_checked(const struct check *k, const struct check_query *q,
    const char *what, char *why, size_t whylen)
{
	if (!q->ans->sent)
		(void)snprintf(why, whylen, "not checked: the run's %d s "
		    "deadline passed before %s for %s was looked up",
		    k->c->timeout, what, q->qname);
	else
		(void)snprintf(why, whylen, "not checked: %s for %s was "
		    "asked only %.1f s before the run's %d s deadline "
		    "passed", what, q->qname, q->ans->ms / 1000.0,
		    k->c->timeout);
}

/*
 * Turn a CAA answer into a level of the climb, in the CA's words
 * (Boulder's "DNS problem: ..." messages) with a remedy.
 */
static void
caa_level(const struct check *k, struct check_query *q)
{
	struct resolve_answer	*a = q->ans;
	const char		*why;
	char			 cwhy[CAA_TEXTLEN];
	size_t			 i;
	int			 timeout = k->c->timeout;

	q->state = CAA_LEVEL_FAILED;
	if (a == NULL) {
		setf(&q->failure, "DNS problem: out of memory looking up CAA "
		    "for %s", q->qname);
		return;
	}
	if (cut_short(k, a)) {
		q->cut = 1;
		not_checked(k, q, "CAA", cwhy, sizeof(cwhy));
		setf(&q->failure, "%s", cwhy);
		setf(&q->fix, "%s", CHECK_FIX_DEADLINE);
		return;
	}
	switch (a->state) {
	case RESOLVE_TIMEOUT:
		setf(&q->failure, "DNS problem: query timed out looking up CAA "
		    "for %s (no answer within the %d s deadline)", q->qname,
		    timeout);
		setf(&q->fix, "make sure every nameserver of %s answers CAA "
		    "queries (type 257); if the network is slow, raise "
		    "timeout", q->qname);
		return;
	case RESOLVE_ERROR:
		setf(&q->failure, "DNS problem: resolver error looking up CAA "
		    "for %s: %s", q->qname, a->error ? a->error : "unknown");
		return;
	case RESOLVE_DONE:
		break;
	}
	if (a->dnssec == RESOLVE_BOGUS) {
		setf(&q->failure, "DNS problem: DNSSEC validation failed "
		    "looking up CAA for %s: %s", q->qname, a->why_bogus);
		setf(&q->fix, "re-sign the zone holding %s (signatures expired "
		    "or missing?) or correct its DS record at the parent",
		    q->qname);
		return;
	}
	if (a->rcode == 3) {
		q->state = CAA_LEVEL_NXDOMAIN;
		return;
	}
	if (a->rcode != 0) {
		setf(&q->failure, "DNS problem: %s looking up CAA for %s - the "
		    "domain's nameservers may be malfunctioning",
		    check_rcode_name(a->rcode), q->qname);
		setf(&q->fix, "every nameserver of the zone holding %s must "
		    "answer CAA queries (type 257) with NOERROR: look for "
		    "software or a firewall that rejects unknown types",
		    q->qname);
		return;
	}
	if (a->nrdata > 0 &&
	    (q->recs = calloc(a->nrdata, sizeof(*q->recs))) == NULL) {
		setf(&q->failure, "DNS problem: out of memory looking up CAA "
		    "for %s", q->qname);
		return;
	}
	for (i = 0; i < a->nrdata; i++) {
		if (caa_record_parse(a->rdata[i], a->rdlen[i], &q->recs[i],
		    &why) == -1) {
			setf(&q->failure, "DNS problem: malformed CAA record "
			    "for %s (%s), so the CA rejects the whole answer",
			    q->qname, why);
			setf(&q->fix, "delete and re-create the CAA records "
			    "of %s; the nameserver sends one corrupt",
			    q->qname);
			return;
		}
		q->nrecs++;
	}
	q->state = CAA_LEVEL_ANSWER;
}

/* SPEC 5.4: the _acme-challenge lookup must end in NOERROR/NXDOMAIN. */
static void
acme_check(const struct check *k, struct check_name *n)
{
	struct check_query	*q = n->acme;
	struct resolve_answer	*a = q->ans;
	char			 via[NAME_MAX_TEXT + 32] = "";
	char			 why[CAA_TEXTLEN], fix[CAA_TEXTLEN];
	int			 timeout = k->c->timeout;

	if (cut_short(k, a)) {
		not_checked(k, q, "TXT (dns-01)", why, sizeof(why));
		n->acme_failed = 1;
		n->acme_cut = 1;
		n->acme_reason = strdup(why);
		n->acme_fix = strdup(CHECK_FIX_DEADLINE);
		return;
	}

	if (a != NULL && a->canonname != NULL &&
	    strcmp(a->canonname, q->qname) != 0 &&
	    !(strncmp(a->canonname, q->qname, strlen(q->qname)) == 0 &&
	    strcmp(a->canonname + strlen(q->qname), ".") == 0))
		(void)snprintf(via, sizeof(via), " (alias of %s)",
		    a->canonname);
	if (a == NULL || a->state == RESOLVE_ERROR)
		(void)snprintf(why, sizeof(why),
		    "dns-01: resolver error looking up TXT for %s: %s",
		    q->qname, a && a->error ? a->error : "out of memory");
	else if (a->state == RESOLVE_TIMEOUT)
		(void)snprintf(why, sizeof(why),
		    "dns-01: query timed out looking up TXT for %s (no "
		    "answer within the %d s deadline); the CA cannot read the "
		    "challenge", q->qname, timeout);
	else if (a->dnssec == RESOLVE_BOGUS)
		(void)snprintf(why, sizeof(why),
		    "dns-01: DNSSEC validation failed looking up TXT for "
		    "%s%s: %s", q->qname, via, a->why_bogus);
	else if (a->rcode != 0 && a->rcode != 3)
		(void)snprintf(why, sizeof(why),
		    "dns-01: %s looking up TXT for %s%s; the CA cannot read "
		    "the challenge", check_rcode_name(a->rcode), q->qname,
		    via);
	else
		return;
	(void)snprintf(fix, sizeof(fix), "every nameserver of the zone "
	    "holding %s must answer TXT queries for it with NOERROR or "
	    "NXDOMAIN", via[0] ? a->canonname : q->qname);
	n->acme_failed = 1;
	n->acme_reason = strdup(why);
	n->acme_fix = strdup(fix);
}

static void
answered(void *arg, struct resolve_answer *a)
{
	struct check_query	*q = arg;

	/* The zone that answered, for the nameserver check. */
	if (q->run->srv != NULL &&
	    servers_hint(q->run->srv, q->qname, q->qtype, a) == -1)
		q->run->nomem = 1;
	/* The decision needs the RDATA, not the whole packet. */
	if (a != NULL) {
		free(a->packet);
		a->packet = NULL;
		a->packetlen = 0;
	}
	q->ans = a;
	/* Taken in by the loop, outside libunbound's callback. */
	q->ready = q->run->ready;
	q->run->ready = q;
}

static size_t
labels(const char *name)
{
	size_t	 n = 1;

	for (; *name != '\0'; name++)
		n += *name == '.';
	return n;
}

/* Shallowest first; among equals, first children before second ones. */
static int
cmpstart(const void *a, const void *b)
{
	const struct check_query *x = *(struct check_query *const *)a;
	const struct check_query *y = *(struct check_query *const *)b;
	size_t	 lx = labels(x->qname), ly = labels(y->qname);

	if (lx != ly)
		return lx < ly ? -1 : 1;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/*
 * Every lookup, in an order that spreads a zone's names out: only so
 * many are in libunbound at once, and a zone's later names then find its
 * SOA and keys validated already instead of each checking the same
 * signatures again (the first of its parent's children goes first).
 */
static int
start_all(struct check *k)
{
	struct check_query	*q, **v;
	size_t			 i = 0;
	int			 rc = 0;

	if ((v = calloc(k->nqueries, sizeof(*v))) == NULL)
		return -1;
	for (q = k->first; q != NULL; q = q->order)
		v[i++] = q;
	qsort(v, i, sizeof(*v), cmpstart);
	for (i = 0; i < k->nqueries && rc == 0; i++)
		rc = resolve_query(k->r, v[i]->qname, v[i]->qtype, answered,
		    v[i]);
	free(v);
	return rc;
}

/* Only the text that was written is kept. */
static void
keep_decision(struct check_decision *d, const struct caa_decision *c)
{
	size_t	 i;

	d->verdict = c->verdict;
	d->level = c->level;
	d->considered = c->considered;
	d->reason = c->reason[0] != '\0' ? strdup(c->reason) : NULL;
	d->fix = c->fix[0] != '\0' ? strdup(c->fix) : NULL;
	if (c->verdict != CAA_ALLOWED && d->reason == NULL)
		d->reason = strdup("out of memory");
	if (c->nwarn > 0 &&
	    (d->warn = calloc(c->nwarn, sizeof(*d->warn))) != NULL)
		for (i = 0; i < c->nwarn; i++)
			if ((d->warn[d->nwarn] = strdup(c->warn[i])) != NULL)
				d->nwarn++;
}

int
check_caa_cut(const struct check_name *n)
{
	return n->dec.verdict == CAA_FAILED && n->dec.level >= 0 &&
	    n->levels[n->dec.level]->cut;
}

static void
decide(struct check *k, struct check_name *n)
{
	struct caa_level	 lv[MAXLEVELS];
	struct caa_policy	 pol;
	struct caa_decision	 dec;
	size_t			 i;

	for (i = 0; i < n->nlevels; i++) {
		struct check_query *q = n->levels[i];

		lv[i].name = q->qname;
		lv[i].state = q->state;
		lv[i].records = q->recs;
		lv[i].nrecords = q->nrecs;
		lv[i].failure = q->failure;
		lv[i].fix = q->fix;
	}
	pol.issuers = (const char *const *)n->pol.issuers;
	pol.nissuers = n->pol.nissuers;
	pol.account_uri = n->pol.account_uri;
	pol.method = n->method;
	caa_decide(lv, n->nlevels, n->nm.wildcard, &pol, &dec);
	keep_decision(&n->dec, &dec);
	switch (n->dec.verdict) {
	case CAA_ALLOWED:
		n->verdict = CHECK_OK;
		break;
	case CAA_REFUSED:
		n->verdict = CHECK_REFUSED;
		break;
	case CAA_FAILED:
		n->verdict = check_caa_cut(n) ? CHECK_NOT_CHECKED :
		    CHECK_DNS_FAILURE;
		break;
	}
	if (n->acme != NULL) {
		acme_check(k, n);
		/* A refusal or a failure found stands; "not checked" only
		 * takes the place of an "ok". */
		if (n->acme_failed && n->acme_level == CONF_ERROR) {
			if (!n->acme_cut)
				n->verdict = CHECK_DNS_FAILURE;
			else if (n->verdict == CHECK_OK)
				n->verdict = CHECK_NOT_CHECKED;
		}
	}
}

/* The alias target of a lookup, when it has one, normalised. */
static int
alias_target(const struct check_query *q, char *out, size_t size)
{
	const char	*c;
	size_t		 len;

	if (q->ans == NULL || (c = q->ans->canonname) == NULL)
		return 0;
	len = strlen(c);
	if (len > 1 && c[len - 1] == '.')
		len--;
	if (len >= size || (len == strlen(q->qname) &&
	    strncasecmp(c, q->qname, len) == 0))
		return 0;
	for (size_t i = 0; i < len; i++)
		out[i] = (c[i] >= 'A' && c[i] <= 'Z') ? c[i] + 32 : c[i];
	out[len] = '\0';
	return 1;
}

/* The names whose zones are probed for a name: the levels the CA's
 * decision rests on, alias targets, and the _acme-challenge name. */
static int
want_name(struct check *k, struct check_name *n)
{
	size_t	 i, last;
	char	 target[NAME_MAX_TEXT];

	last = n->dec.level >= 0 ? (size_t)n->dec.level : n->nlevels - 1;
	for (i = 0; i <= last && i < n->nlevels; i++) {
		if (servers_want(k->srv, n->levels[i]->qname, TYPE_CAA) == -1)
			return -1;
		if (alias_target(n->levels[i], target, sizeof(target)) &&
		    servers_want(k->srv, target, TYPE_CAA) == -1)
			return -1;
	}
	if (n->acme != NULL) {
		if (servers_want(k->srv, n->acme->qname, TYPE_TXT) == -1)
			return -1;
		if (alias_target(n->acme, target, sizeof(target)) &&
		    servers_want(k->srv, target, TYPE_TXT) == -1)
			return -1;
	}
	return 0;
}

/* A name fails when a zone its answer rests on has a server at fault. */
static void
zone_failed(const struct check *k, struct check_name *n, const char *qname)
{
	const struct srv_zone	*z = servers_zone_of(k->srv, qname);

	if (z == NULL || z->nerrors == 0 || n->ns_failed)
		return;
	n->ns_failed = 1;
	n->ns_zone = z->apex;
}

/*
 * A name whose zone the deadline kept unknown was never probed.  One
 * that fails already (its own lookup timed out, most often) has its
 * reason; the note would only repeat that the run was cut short.
 */
static void
zone_unknown(const struct check *k, struct check_name *n, const char *qname,
    int qtype)
{
	if (n->ns_cut == NULL && n->verdict != CHECK_DNS_FAILURE &&
	    n->verdict != CHECK_NOT_CHECKED &&
	    servers_unsettled(k->srv, qname, qtype))
		n->ns_cut = qname;
}

static void
mark_name(struct check *k, struct check_name *n)
{
	size_t	 i, last;

	last = n->dec.level >= 0 ? (size_t)n->dec.level : n->nlevels - 1;
	for (i = 0; i <= last && i < n->nlevels; i++) {
		zone_failed(k, n, n->levels[i]->qname);
		zone_unknown(k, n, n->levels[i]->qname, TYPE_CAA);
	}
	if (n->acme != NULL) {
		zone_failed(k, n, n->acme->qname);
		zone_unknown(k, n, n->acme->qname, TYPE_TXT);
	}
	if (n->ns_failed && k->c->nameservers == CONF_ERROR)
		n->verdict = CHECK_DNS_FAILURE;
}

/*
 * Take in the answers that came: a name is decided as soon as every
 * lookup it needs is answered, and the zones its decision rests on are
 * handed to the nameserver check at once, while other names still
 * resolve.
 */
static int
take_in(struct check *k)
{
	struct check_query	*q;
	struct check_name	*n;
	size_t			 i;
	int			 rc = 0;

	if (k->nomem)
		rc = -1;
	while ((q = k->ready) != NULL) {
		k->ready = q->ready;
		q->ready = NULL;
		if (q->settled)
			continue;
		q->settled = 1;
		if (q->qtype == TYPE_CAA)
			caa_level(k, q);
		for (i = 0; i < q->nwaiters; i++) {
			n = &k->names[q->waiters[i]];
			if (n->waiting > 0 && --n->waiting > 0)
				continue;
			decide(k, n);
			n->decided = 1;
			/* SPEC 5.3: ask every server of those zones. */
			if (k->srv != NULL && want_name(k, n) == -1)
				rc = -1;
		}
	}
	return rc;
}

static int
pending(const struct check *k)
{
	return resolve_pending(k->r) > 0 ||
	    (k->pr != NULL && probe_pending(k->pr) > 0);
}

/*
 * One poll loop for libunbound and the direct queries, until nothing is
 * left to ask or the deadline passes; then cancel what is left.
 */
static int
loop(struct check *k, double deadline)
{
	struct pollfd	 pfd[1 + 512];
	size_t		 n;
	double		 left;
	int		 t, pt, rc = 0;

	for (;;) {
		if (take_in(k) == -1)
			rc = -1;
		if (k->srv != NULL) {
			if (servers_step(k->srv) == 0 && !pending(k))
				break;
		} else if (!pending(k))
			break;
		left = deadline - resolve_now_ms();
		if (left <= 0)
			break;
		pfd[0].fd = resolve_fd(k->r);
		pfd[0].events = POLLIN;
		pfd[0].revents = 0;
		n = 1;
		t = left > 1000 ? 1000 : (int)left + 1;
		if (k->pr != NULL) {
			n += probe_pollfds(k->pr, pfd + 1, 512);
			pt = probe_next_ms(k->pr);
			if (pt >= 0 && pt < t)
				t = pt;
		}
		if (poll(pfd, (nfds_t)n, t) == -1 && errno != EINTR)
			break;
		if (pfd[0].revents & POLLIN)
			(void)resolve_process(k->r);
		if (k->pr != NULL)
			probe_events(k->pr, pfd + 1, n - 1);
	}
	if (pending(k)) {
		resolve_cancel_all(k->r);
		if (k->pr != NULL)
			probe_cancel_all(k->pr);
		if (take_in(k) == -1)
			rc = -1;
	}
	return rc;
}

int
check_run(struct check *k, char *err, size_t errlen)
{
	double	 start = resolve_now_ms();
	double	 deadline = start + k->c->timeout * 1000.0;
	size_t	 i;

	if (k->nqueries > 0) {
		k->r = resolve_new(k->c, err, errlen, k->ta, sizeof(k->ta));
		if (k->r == NULL)
			return -1;
		resolve_settings(k->r, k->settings, sizeof(k->settings));
		if (k->c->nameservers != CONF_OFF &&
		    ((k->pr = probe_new(k->c->max_inflight,
		    PROBE_ATTEMPT_MS)) == NULL ||
		    (k->srv = servers_new(k->r, k->pr)) == NULL)) {
			(void)snprintf(err, errlen, "out of memory");
			return -1;
		}
		if (start_all(k) == -1) {
			(void)snprintf(err, errlen, "cannot start lookups");
			return -1;
		}
		if (loop(k, deadline) == -1) {
			(void)snprintf(err, errlen, "out of memory");
			return -1;
		}
	}
	/* Every lookup was answered or cancelled; this is belt and braces. */
	for (i = 0; i < k->nnames; i++)
		if (k->names[i].nm.kind == NAME_DNS && !k->names[i].decided) {
			for (size_t j = 0; j < k->names[i].nlevels; j++)
				if (!k->names[i].levels[j]->settled) {
					k->names[i].levels[j]->settled = 1;
					caa_level(k, k->names[i].levels[j]);
				}
			decide(k, &k->names[i]);
			k->names[i].decided = 1;
		}
	if (k->srv != NULL) {
		servers_analyse(k->srv);
		for (i = 0; i < k->nnames; i++)
			if (k->names[i].nm.kind == NAME_DNS)
				mark_name(k, &k->names[i]);
	}
	k->elapsed = resolve_now_ms() - start;
	return 0;
}

int
check_unreachable(const struct check *k)
{
	const struct check_query	*q;

	if (k->first == NULL)
		return 0;
	for (q = k->first; q != NULL; q = q->order)
		if (q->ans != NULL && q->ans->state == RESOLVE_DONE &&
		    (q->ans->rcode != 2 || q->ans->dnssec == RESOLVE_BOGUS))
			return 0;
	return 1;
}

size_t
check_count(const struct check *k)
{
	return k->nnames;
}

struct check_name *
check_get(struct check *k, size_t i)
{
	return i < k->nnames ? &k->names[i] : NULL;
}

const struct check_query *
check_queries(const struct check *k)
{
	return k->first;
}

const char *
check_trust_anchor(const struct check *k)
{
	return k->ta;
}

const char *
check_resolver_settings(const struct check *k)
{
	return k->settings;
}

size_t
check_not_sent(const struct check *k)
{
	return k->r ? resolve_unsent(k->r) : 0;
}

size_t
check_started(const struct check *k)
{
	return k->r ? resolve_started(k->r) : 0;
}

size_t
check_probes_sent(const struct check *k)
{
	return k->pr ? probe_sent(k->pr) : 0;
}

const struct servers *
check_servers(const struct check *k)
{
	return k->srv;
}

const struct conf *
check_conf(const struct check *k)
{
	return k->c;
}

double
check_elapsed_ms(const struct check *k)
{
	return k->elapsed;
}

int
check_exit(const struct check *k)
{
	size_t	 i;
	int	 ex = 0;

	for (i = 0; i < k->nnames; i++) {
		if (k->names[i].verdict == CHECK_REFUSED && ex < 1)
			ex = 1;
		if (k->names[i].verdict == CHECK_DNS_FAILURE && ex < 2)
			ex = 2;
		if (k->names[i].verdict == CHECK_NOT_CHECKED)
			ex = 3;
	}
	return ex;
}
