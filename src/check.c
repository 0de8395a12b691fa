/*
 * check: per-name orchestration.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "agree.h"
#include "answer.h"
#include "caa.h"
#include "challenge.h"
#include "check.h"
#include "check_priv.h"
#include "conf.h"
#include "name.h"
#include "probe.h"
#include "resolve.h"
#include "result.h"
#include "servers.h"
#include "verdict.h"
#include "wire.h"
#include "zone.h"

/* A lookup this long at libunbound has its names' servers probed. */
#define CHECK_WAITING_MS	1000.0
/* How often the late lookups are looked for. */
#define CHECK_LATE_EVERY_MS	250.0

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
	free(q->signer);
	answer_level_clear(&q->lv);
	free(q->target);
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
	/*
	 * What is still out is cancelled first, while the lookups and
	 * probes its callbacks write to are alive: a run that could not
	 * start has lookups of the nameserver check's out already.
	 */
	resolve_free(k->rp);
	resolve_free(k->r);
	probe_free(k->pr);
	servers_free(k->srv);
	for (q = k->first; q != NULL; q = next) {
		next = q->order;
		query_free(q);
	}
	for (i = 0; i < k->nnames; i++) {
		struct check_name *n = &k->names[i];

		free(n->input);
		free(n->full);
		free(n->nm.ascii);
		free(n->nm.display);
		free(n->levels);
		answer_dns01_clear(&n->dns01);
		free(n->dec.reason);
		free(n->dec.fix);
		for (size_t w = 0; w < n->dec.nwarn; w++)
			free(n->dec.warn[w]);
		free(n->dec.warn);
	}
	free(k->names);
	free(k->buckets);
	free(k->rnames);
	free(k->rexpiring);
	while (k->nrsigners > 0)
		free(k->rsigners[--k->nrsigners]);
	free(k->rsigners);
	free(k->rcerts);
	free(k->rqueries);
	free(k->rlevels);
	free(k->rdns01);
	free(k->rlookups);
	free(k->rzones);
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
check_settings(const struct conf *c, struct conf_errors *errs)
{
	return resolve_check(c, errs);
}

int
check_reserve(struct check *k, size_t n)
{
	struct check_name	*v;

	if (n <= k->cap)
		return 0;
	if ((v = reallocarray(k->names, n, sizeof(*v))) == NULL)
		return -1;
	k->names = v;
	k->cap = n;
	return 0;
}

int
check_add(struct check *k, const char *input, const struct conf_cert *cert,
    char *why, size_t whylen)
{
	struct check_name	*n, *v;
	const char		*lv[MAXLEVELS];
	size_t			 i, nl;
	char			 acme[NAME_MAX_TEXT + 32];
	char			 full[NAME_MAX_TEXT + 4];
	struct name		 nm;
	size_t			 before;
	int			 fresh[MAXLEVELS];

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
	name_full(nm.wildcard, nm.ascii, full, sizeof(full));
	n->input = strdup(input);
	n->full = strdup(full);
	n->nm.ascii = strdup(nm.ascii);
	n->nm.display = strdup(nm.display);
	if (n->input == NULL || n->full == NULL || n->nm.ascii == NULL ||
	    n->nm.display == NULL) {
		free(n->input);
		free(n->full);
		free(n->nm.ascii);
		free(n->nm.display);
		goto nomem;
	}
	n->cert = cert ? cert->label : NULL;
	n->ccert = cert;
	conf_effective(k->c, cert, &n->pol);
	/*
	 * A wildcard can be validated only by a DNS-based method (Boulder
	 * policy/pa.go): dns-01 unless one of those is configured.
	 */
	n->method = n->nm.wildcard && challenge_kind(n->pol.method) ==
	    CHALLENGE_NONE ? "dns-01" : n->pol.method;
	k->nnames++;
	if (n->nm.kind == NAME_IP) {
		n->verdict = VERDICT_NOT_SUBJECT;
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

	/*
	 * SPEC 4.2, 5.4: the DNS-based challenge's own TXT lookup; with
	 * dns01 set explicitly, _acme-challenge for any method.
	 */
	n->challenge = challenge_kind(n->method);
	n->acme_level = k->c->dns01;
	if (n->acme_level == CONF_AUTO)
		n->acme_level = n->challenge != CHALLENGE_NONE ? CONF_ERROR :
		    CONF_OFF;
	if (n->challenge == CHALLENGE_NONE)
		n->challenge = CHALLENGE_DNS01;
	if (n->acme_level != CONF_OFF &&
	    challenge_name(n->challenge, n->nm.ascii, n->pol.account_uri,
	    acme, sizeof(acme)) == -1) {
		/* dns-account-01 without an account: say it, never guess. */
		if (asprintf(&n->dns01.note, "%s: the challenge's name depends "
		    "on the account URI, which is not configured: its lookup "
		    "was not checked (set account_uri)", n->method) == -1) {
			n->dns01.note = NULL;
			goto nomem;
		}
	} else if (n->acme_level != CONF_OFF) {
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

static void
answered(void *arg, struct resolve_answer *a)
{
	struct check_query	*q = arg;

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

enum verdict_level
check_level(enum conf_level l)
{
	switch (l) {
	case CONF_OFF:
		return VERDICT_OFF;
	case CONF_WARN:
		return VERDICT_WARN;
	default:
		return VERDICT_ERROR;
	}
}

/* The name's verdict from what is known of it so far. */
static void
judge(const struct check *k, struct check_name *n)
{
	struct verdict_in	 in;

	memset(&in, 0, sizeof(in));
	in.caa = n->dec.verdict;
	in.caa_cut = n->caa_cut;
	in.dns01 = n->acme != NULL ? check_level(n->acme_level) : VERDICT_OFF;
	in.dns01_failed = n->dns01.failed;
	in.dns01_refused = n->dns01.refused;
	in.dns01_cut = n->dns01.cut;
	in.nameservers = check_level(k->c->nameservers);
	in.unreachable = k->unreachable;
	in.ns_failed = n->ns_failed;
	n->verdict = verdict_of(&in);
}

/* What the challenge's lookup means to the CA. */
static void
challenge_answer(const struct check *k, struct check_name *n)
{
	struct answer_persist	 p;

	if (n->challenge != CHALLENGE_PERSIST) {
		answer_dns01(n->acme->ans, n->acme->qname, n->challenge ==
		    CHALLENGE_DNS01 ? "dns-01" : n->method, k->c->timeout,
		    &n->dns01);
		return;
	}
	p.issuers = (const char *const *)n->pol.issuers;
	p.nissuers = n->pol.nissuers;
	p.account = n->pol.account_uri;
	p.wildcard = n->nm.wildcard;
	p.now = k->now;
	answer_persist(n->acme->ans, n->acme->qname, &p, k->c->timeout,
	    &n->dns01);
}

/* A name's levels and policy as the CAA decision takes them. */
static void
decision_input(const struct check_name *n, struct caa_level *lv,
    struct caa_policy *pol)
{
	size_t	 i;

	for (i = 0; i < n->nlevels; i++) {
		struct check_query *q = n->levels[i];

		lv[i].name = q->qname;
		lv[i].state = q->lv.state;
		lv[i].records = q->lv.recs;
		lv[i].nrecords = q->lv.nrecs;
		lv[i].failure = q->lv.failure;
		lv[i].fix = q->lv.fix;
		lv[i].owner = q->target;
	}
	pol->issuers = (const char *const *)n->pol.issuers;
	pol->nissuers = n->pol.nissuers;
	pol->account_uri = n->pol.account_uri;
	pol->method = n->method;
}

static void
decide(struct check *k, struct check_name *n)
{
	struct caa_level	 lv[MAXLEVELS];
	struct caa_policy	 pol;
	struct caa_decision	 dec;

	decision_input(n, lv, &pol);
	caa_decide(lv, n->nlevels, n->nm.wildcard, &pol, &dec);
	keep_decision(&n->dec, &dec);
	n->caa_cut = n->dec.verdict == CAA_FAILED && n->dec.level >= 0 &&
	    n->levels[n->dec.level]->lv.cut;
	if (n->acme != NULL)
		challenge_answer(k, n);
	judge(k, n);
}

int
check_alias_target(const struct check_query *q, char *out, size_t size)
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

/* Whether the lookup q was asked, or answered through an alias, at qname. */
static int
asked_at(const struct check_query *q, const char *qname)
{
	char	 target[NAME_MAX_TEXT];

	return strcmp(q->qname, qname) == 0 || (check_alias_target(q, target,
	    sizeof(target)) && strcmp(target, qname) == 0);
}

/*
 * SPEC 5.3 (rev. 2), for zone_analyse(): do two servers' different
 * answers at qname lead to the same decision for every name resting on
 * them?  1 only when some name rests on them and every one decides
 * alike; else 0, and the difference stays an error.
 */
static int
same_decision(void *arg, const char *qname, int qtype,
    const struct zone_seen *a, const struct zone_seen *b)
{
	struct check		*k = arg;
	struct caa_level	 lv[MAXLEVELS];
	struct caa_policy	 pol;
	struct answer_persist	 p;
	size_t			 i, j;
	int			 seen = 0;

	for (i = 0; i < k->nnames; i++) {
		struct check_name *n = &k->names[i];

		for (j = 0; qtype == TYPE_CAA && j < n->nlevels; j++) {
			if (!asked_at(n->levels[j], qname))
				continue;
			decision_input(n, lv, &pol);
			if (agree_caa(lv, n->nlevels, j, n->nm.wildcard, &pol,
			    a, b) != 1)
				return 0;
			seen = 1;
		}
		if (qtype != TYPE_TXT || n->acme == NULL ||
		    !asked_at(n->acme, qname))
			continue;
		/* dns-01 and dns-account-01 read nothing there yet. */
		seen = 1;
		if (n->challenge != CHALLENGE_PERSIST)
			continue;
		p.issuers = (const char *const *)n->pol.issuers;
		p.nissuers = n->pol.nissuers;
		p.account = n->pol.account_uri;
		p.wildcard = n->nm.wildcard;
		p.now = k->now;
		if (agree_persist(&p, a, b) != 1)
			return 0;
	}
	return seen;
}

/* A name fails when a zone its answer rests on has a server at fault. */
static void
zone_failed(const struct check *k, struct check_name *n, const char *qname)
{
	const struct zone	*z = servers_zone_of(k->srv, qname);

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
	if (n->ns_cut == NULL && n->verdict != VERDICT_DNS_FAILURE &&
	    n->verdict != VERDICT_NOT_CHECKED &&
	    servers_unsettled(k->srv, qname, qtype))
		n->ns_cut = qname;
}

/*
 * A lookup that failed in a zone with a server at fault: the generic
 * remedy gives way to the first server's own (a REFUSED server is lame,
 * a SERVFAIL one cannot serve the zone, a silent one must be repaired).
 */
static void
fix_from_zone(const struct check *k, const struct check_query *q, char **fix)
{
	const struct zone		*z;
	const struct resolve_answer	*a = q->ans;
	char				*f;
	size_t				 i;

	/* Only the failures that name no cause of their own: an rcode,
	 * or a lookup that timed out. */
	if (a == NULL || (a->state == RESOLVE_DONE &&
	    (a->dnssec == RESOLVE_BOGUS || a->rcode == 0 || a->rcode == 3)) ||
	    a->state == RESOLVE_ERROR)
		return;
	z = servers_zone_of(k->srv, q->qname);
	for (i = 0; z != NULL && i < z->nfindings; i++)
		if (z->findings[i].error && z->findings[i].fix != NULL) {
			if ((f = strdup(z->findings[i].fix)) != NULL) {
				free(*fix);
				*fix = f;
			}
			return;
		}
}

/*
 * A lookup that failed because the name is an alias that leads back to
 * itself: a server of its zone answers with a CNAME whose target is the
 * name asked.  The fix says so, instead of blaming the servers.
 */
static void
fix_loop(const struct check *k, const struct check_query *q, char **fix)
{
	const struct zone	*z = servers_zone_of(k->srv, q->qname);
	char			 loop[NAME_MAX_TEXT + 16];
	size_t			 i, j, r;

	if (z == NULL || q->ans == NULL || q->ans->state != RESOLVE_DONE ||
	    q->ans->rcode != 2)
		return;
	(void)snprintf(loop, sizeof(loop), "CNAME %s.", q->qname);
	for (j = 0; j < z->nnames; j++) {
		if (strcmp(z->names[j], q->qname) != 0)
			continue;
		for (i = 0; i < z->nservers; i++)
			for (r = 0; j < z->servers[i].nq &&
			    r < z->servers[i].q[j].nrecords; r++)
				if (strcasecmp(z->servers[i].q[j].records[r],
				    loop) == 0)
					goto found;
	}
	return;
found:
	free(*fix);
	if (asprintf(fix, "%s is a CNAME that leads back to itself (a loop): "
	    "the CA's resolver gives up on it; point the CNAME at a name that "
	    "exists, or remove it", q->qname) == -1)
		*fix = NULL;
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
	if (n->dec.verdict == CAA_FAILED && !n->caa_cut && n->dec.level >= 0) {
		fix_from_zone(k, n->levels[n->dec.level], &n->dec.fix);
		fix_loop(k, n->levels[n->dec.level], &n->dec.fix);
	}
	if (n->acme != NULL && n->dns01.failed && !n->dns01.cut)
		fix_from_zone(k, n->acme, &n->dns01.fix);
	judge(k, n);
}

/* Does the answer's earliest signature expiry count (see horizon())? */
static int
wants_horizon(const struct check *k, const struct check_query *q)
{
	return k->c->signature_days != 0 && q->ans != NULL &&
	    q->ans->dnssec == RESOLVE_SECURE;
}

/*
 * SPEC 5.7: when the signatures a validated answer of the CA's rests on
 * (its records, or its denial) expire, and which zone made them.  The
 * nameserver check watches the DNSKEY and DS of the zones it probes;
 * the top-level domain's and the root's keys, which it never probes,
 * are watched through its lookups too (each asked once; the resolver
 * has them cached from validating).
 */
static int
horizon(struct check *k, struct check_query *q, const ldns_pkt *pkt)
{
	char	 signer[NAME_MAX_TEXT];

	if (!wants_horizon(k, q) || pkt == NULL ||
	    !wire_rrsig_min(pkt, k->now, 0, &q->sig_expires, signer,
	    sizeof(signer)))
		return 0;
	if ((q->signer = strdup(signer)) == NULL)
		return -1;
	/* A zone's DNSKEY set is signed by itself. */
	if (q->qtype == TYPE_DNSKEY && strcmp(q->qname, signer) == 0)
		return 0;
	/* The top-level domain's keys and the root's, once each. */
	if (k->srv == NULL || (strchr(signer, '.') != NULL &&
	    strcmp(signer, ".") != 0))
		return 0;
	if (servers_watch(k->srv, signer, TYPE_DNSKEY) == -1 ||
	    servers_watch(k->srv, ".", TYPE_DNSKEY) == -1 ||
	    (strcmp(signer, ".") != 0 &&
	    servers_watch(k->srv, signer, TYPE_DS) == -1))
		return -1;
	return 0;
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
	ldns_pkt		*pkt;
	char			 target[NAME_MAX_TEXT];
	size_t			 i;
	int			 rc = 0, hint;

	if (k->nomem)
		rc = -1;
	while ((q = k->ready) != NULL) {
		k->ready = q->ready;
		q->ready = NULL;
		if (q->settled)
			continue;
		q->settled = 1;
		if (check_alias_target(q, target, sizeof(target)) &&
		    (q->target = strdup(target)) == NULL)
			rc = -1;
		/* The packet, parsed once for the two that read it. */
		hint = k->srv != NULL && q->nwaiters > 0;
		pkt = q->ans != NULL && (hint || wants_horizon(k, q)) ?
		    wire_parse(q->ans->packet, q->ans->packetlen) : NULL;
		/* The zone that answered, for the nameserver check. */
		if (hint && servers_hint(k->srv, q->qname, q->qtype, q->ans,
		    pkt) == -1)
			rc = -1;
		if (horizon(k, q, pkt) == -1)
			rc = -1;
		ldns_pkt_free(pkt);
		/* The decision needs the RDATA, not the whole packet. */
		if (q->ans != NULL) {
			free(q->ans->packet);
			q->ans->packet = NULL;
			q->ans->packetlen = 0;
		}
		if (q->qtype == TYPE_CAA)
			answer_caa(q->ans, q->qname, k->c->timeout, &q->lv);
		for (i = 0; i < q->nwaiters; i++) {
			n = &k->names[q->waiters[i]];
			if (n->waiting > 0 && --n->waiting > 0)
				continue;
			decide(k, n);
			n->decided = 1;
			/* SPEC 5.3: ask every server of those zones. */
			if (k->srv != NULL && check_want(k, n) == -1)
				rc = -1;
		}
	}
	return rc;
}

static int
pending(const struct check *k)
{
	return resolve_pending(k->r) > 0 ||
	    (k->rp != NULL && resolve_pending(k->rp) > 0) ||
	    (k->pr != NULL && probe_pending(k->pr) > 0);
}

/*
 * One poll loop for libunbound and the direct queries, until nothing is
 * left to ask or the deadline passes; then cancel what is left.
 */
static int
loop(struct check *k, double deadline)
{
	struct pollfd	 pfd[2 + 512];
	size_t		 n;
	double		 left, next_late = resolve_now_ms() + CHECK_WAITING_MS;
	int		 t, pt, rc = 0;

	for (;;) {
		if (take_in(k) == -1)
			rc = -1;
		if (k->srv != NULL && resolve_now_ms() >= next_late) {
			next_late = resolve_now_ms() + CHECK_LATE_EVERY_MS;
			resolve_each_late(k->r, answered, CHECK_WAITING_MS,
			    check_late, k);
			if (servers_late(k->srv, CHECK_WAITING_MS))
				servers_hurry(k->srv);
			if (k->nomem)
				rc = -1;
		}
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
		pfd[1].fd = k->rp != NULL ? resolve_fd(k->rp) : -1;
		pfd[1].events = POLLIN;
		pfd[1].revents = 0;
		n = 2;
		t = left > 1000 ? 1000 : (int)left + 1;
		if (k->srv != NULL && next_late - resolve_now_ms() < t)
			t = (int)(next_late - resolve_now_ms()) + 1;
		if (k->pr != NULL) {
			n += probe_pollfds(k->pr, pfd + 2, 512);
			pt = probe_next_ms(k->pr);
			if (pt >= 0 && pt < t)
				t = pt;
		}
		if (poll(pfd, (nfds_t)n, t) == -1 && errno != EINTR)
			break;
		if (pfd[0].revents & POLLIN)
			(void)resolve_process(k->r);
		if (pfd[1].revents & POLLIN)
			(void)resolve_process(k->rp);
		if (k->pr != NULL)
			probe_events(k->pr, pfd + 2, n - 2);
	}
	if (pending(k)) {
		resolve_cancel_all(k->r);
		if (k->rp != NULL)
			resolve_cancel_all(k->rp);
		if (k->pr != NULL)
			probe_cancel_all(k->pr);
		if (take_in(k) == -1)
			rc = -1;
	}
	return rc;
}

/* Start the resolver and the nameserver check, then run them. */
static int
run_lookups(struct check *k, double deadline, char *err, size_t errlen)
{
	if (check_fit_descriptors(k, err, errlen) == -1)
		return -1;
	k->r = resolve_new(k->c, err, errlen, k->ta, sizeof(k->ta));
	if (k->r == NULL)
		return -1;
	k->nsettings = resolve_settings(k->r, k->settings, RESOLVE_NSETTINGS);
	if (k->c->nameservers != CONF_OFF) {
		/* The probe's own lookups: see resolve_new_plain(). */
		if ((k->rp = resolve_new_plain(k->c, err, errlen)) == NULL)
			return -1;
		if ((k->pr = probe_new(k->c->max_inflight,
		    PROBE_ATTEMPT_MS)) == NULL && errno != ENOMEM) {
			/* Its epoll descriptor: out of descriptors, say. */
			(void)snprintf(err, errlen, "cannot start the "
			    "nameserver check: %s", strerror(errno));
			return -1;
		}
		if (k->pr == NULL ||
		    (k->srv = servers_new(k->r, k->rp, k->pr)) == NULL) {
			(void)snprintf(err, errlen, "out of memory");
			return -1;
		}
		if (k->probe_fds > 0)
			probe_set_maxopen(k->pr, k->probe_fds);
	}
	/*
	 * The CA's context starts first: where memory is short (ulimit -v),
	 * the nameserver check's context is the one that cannot start, and
	 * the run goes on without its lookups.
	 */
	if (start_all(k) == -1 || (k->srv != NULL && check_warm(k) == -1)) {
		(void)snprintf(err, errlen, "cannot start lookups");
		return -1;
	}
	if (loop(k, deadline) == -1) {
		(void)snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

/* Every lookup was answered or cancelled; this is belt and braces. */
static void
decide_rest(struct check *k)
{
	size_t	 i, j;

	for (i = 0; i < k->nnames; i++) {
		struct check_name *n = &k->names[i];

		if (n->nm.kind != NAME_DNS || n->decided)
			continue;
		for (j = 0; j < n->nlevels; j++)
			if (!n->levels[j]->settled) {
				n->levels[j]->settled = 1;
				answer_caa(n->levels[j]->ans,
				    n->levels[j]->qname, k->c->timeout,
				    &n->levels[j]->lv);
			}
		decide(k, n);
		n->decided = 1;
	}
}

const struct result_run *
check_run(struct check *k, char *err, size_t errlen)
{
	double	 start = resolve_now_ms();
	double	 deadline = start + k->c->timeout * 1000.0;
	size_t	 i;

	k->now = time(NULL);
	if (k->nqueries > 0 && run_lookups(k, deadline, err, errlen) == -1)
		return NULL;
	decide_rest(k);
	if (k->srv != NULL) {
		/* A finding lost to memory must not pass for a healthy zone. */
		struct zone_judge judge = { same_decision, k };

		if (servers_analyse(k->srv, &judge) == -1) {
			(void)snprintf(err, errlen, "out of memory");
			return NULL;
		}
		for (i = 0; i < k->nnames; i++)
			if (k->names[i].nm.kind == NAME_DNS)
				mark_name(k, &k->names[i]);
	}
	if ((k->unreachable = check_unreachable(k)))
		for (i = 0; i < k->nnames; i++)
			if (k->names[i].nm.kind == NAME_DNS)
				judge(k, &k->names[i]);
	k->elapsed = resolve_now_ms() - start;
	if (check_build_result(k) == -1) {
		(void)snprintf(err, errlen, "out of memory");
		return NULL;
	}
	return &k->res;
}
