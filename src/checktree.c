/*
 * checktree: the run's result tree, pointing into the check's own
 * storage, built once the run is over.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check_priv.h"
#include "name.h"
#include "probe.h"
#include "resolve.h"
#include "result.h"
#include "servers.h"
#include "verdict.h"
#include "wire.h"

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

/* The CA's lookups, then the nameserver check's, as the tree has them. */
static int
result_lookups(struct check *k)
{
	const struct check_query	*q;
	const struct resolve_answer	*a;
	const void			*it = NULL;
	const char			*qname;
	size_t				 i, n = 0;
	int				 qtype;

	if ((k->rqueries = calloc(k->nqueries + 1,
	    sizeof(*k->rqueries))) == NULL)
		return -1;
	for (q = k->first; q != NULL; q = q->order) {
		struct result_query *r = &k->rqueries[q->seq];

		result_lookup_of(q->qname, q->qtype, q->ans, &r->lookup);
		r->sig_expires = q->sig_expires;
		r->signer = q->signer;
		r->state = q->lv.state;
		r->records = q->lv.recs;
		r->nrecords = q->lv.nrecs;
	}
	k->res.queries = k->rqueries;
	k->res.nqueries = k->nqueries;
	while (k->srv != NULL && servers_lookup(k->srv, &it, &qname, &qtype,
	    &a))
		n++;
	if ((k->rlookups = calloc(n + 1, sizeof(*k->rlookups))) == NULL)
		return -1;
	for (it = NULL, i = 0; i < n && servers_lookup(k->srv, &it, &qname,
	    &qtype, &a); i++)
		result_lookup_of(qname, qtype, a, &k->rlookups[i]);
	k->res.lookups = k->rlookups;
	k->res.nlookups = n;
	return 0;
}

/* One name as the tree has it; its levels go at *lv. */
static void
result_name(struct check *k, const struct check_name *n,
    struct result_name *r, const struct result_query **lv,
    struct result_dns01 *d)
{
	size_t	 i;

	r->input = n->input;
	r->display = n->nm.display;
	r->full = n->full;
	r->wildcard = n->nm.wildcard;
	r->cert = n->cert;
	r->issuers = (const char *const *)n->pol.issuers;
	r->nissuers = n->pol.nissuers;
	r->account_uri = n->pol.account_uri;
	r->method = n->method;
	r->verdict = n->verdict;
	r->caa = n->dec.verdict;
	r->caa_cut = n->caa_cut;
	r->local = n->verdict == VERDICT_NOT_CHECKED && ((n->caa_cut &&
	    n->levels[n->dec.level]->lv.local) || (n->dns01.cut &&
	    n->dns01.local));
	r->relevant = n->dec.level;
	r->considered = n->dec.considered;
	r->reason = n->dec.reason;
	r->fix = n->dec.fix;
	r->warnings = (const char *const *)n->dec.warn;
	r->nwarnings = n->dec.nwarn;
	for (i = 0; i < n->nlevels; i++)
		lv[i] = &k->rqueries[n->levels[i]->seq];
	r->levels = lv;
	r->nlevels = n->nlevels;
	if (n->acme != NULL) {
		d->query = &k->rqueries[n->acme->seq];
		d->failed = n->dns01.failed;
		d->reason = n->dns01.failed ? (n->dns01.reason ?
		    n->dns01.reason : "out of memory") : NULL;
		d->fix = n->dns01.failed ? n->dns01.fix : NULL;
		d->refused = n->dns01.refused;
		if (n->dns01.refused) {
			d->reason = n->dns01.reason ? n->dns01.reason :
			    "out of memory";
			d->fix = n->dns01.fix;
		}
	}
	if (n->acme != NULL || n->dns01.note != NULL) {
		d->method = n->challenge == CHALLENGE_DNS01 ? "dns-01" :
		    n->method;
		d->level = check_level(n->acme_level);
		d->note = n->dns01.note;
		r->dns01 = d;
	}
	r->ns_failed = n->ns_failed;
	r->ns_zone = n->ns_zone;
	r->ns_cut = n->ns_cut;
}

/*
 * SPEC 5.5, 8: a certificate as the tree has it, before its names are
 * added up.  Its name's verdicts count (decide) when it is due, when it
 * is not from a client's state, or with --all.
 */
static void
result_cert(const struct check *k, const struct conf_cert *c,
    struct result_cert *r)
{
	struct policy	 pol;

	conf_effective(k->c, c, &pol);
	r->label = c->label != NULL ? c->label : c->ndomains > 0 ?
	    c->domains[0] : "(unnamed)";
	r->client = c->client;
	r->directory = c->directory;
	r->issuers = (const char *const *)pol.issuers;
	r->nissuers = pol.nissuers;
	r->account_uri = pol.account_uri;
	r->method = pol.method;
	r->due = c->due == CONF_DUE_UNKNOWN ? -1 : c->due == CONF_DUE_YES;
	r->due_days = c->due_days;
	r->decides = c->due != CONF_DUE_NO || k->c->all;
	r->problem = c->problem;
	r->verdict = c->problem != NULL ? VERDICT_NOT_CHECKED : VERDICT_OK;
	/* Not read: its names as the client gave them, none checked. */
	if (c->problem != NULL)
		r->nnames = r->nunchecked = c->ndomains;
}

/*
 * A name's verdict into its certificate's: a failure over the rest.  A
 * name given twice for one certificate is checked, and counted, once.
 */
static void
cert_add(struct result_cert *r, enum verdict v)
{
	static const int rank[] = {
		[VERDICT_OK] = 0, [VERDICT_NOT_SUBJECT] = 0,
		[VERDICT_NOT_CHECKED] = 1, [VERDICT_REFUSED] = 2,
		[VERDICT_DNS_FAILURE] = 3
	};

	r->nnames++;
	if (v == VERDICT_REFUSED || v == VERDICT_DNS_FAILURE)
		r->nfailing++;
	else if (v == VERDICT_NOT_CHECKED)
		r->nunchecked++;
	if (rank[v] > rank[r->verdict])
		r->verdict = v;
}

/*
 * The certificates the run has names of, or could not check at all, in
 * the configuration's order; each name pointed at its own.  Returns the
 * highest share of the exit status among certificates without names.
 */
static int
result_certs(struct check *k)
{
	const struct conf	*c = k->c;
	size_t			*at, i, j, n = 0;
	int			 highest = 0, s;

	if ((at = calloc(c->ncerts + 1, sizeof(*at))) == NULL ||
	    (k->rcerts = calloc(c->ncerts + 1, sizeof(*k->rcerts))) == NULL) {
		free(at);
		return -1;
	}
	for (i = 0; i < k->nnames; i++)
		if (k->names[i].ccert != NULL)
			at[k->names[i].ccert - c->certs] = 1;
	for (j = 0; j < c->ncerts; j++) {
		if (!at[j] && c->certs[j].problem == NULL)
			continue;
		result_cert(k, &c->certs[j], &k->rcerts[n]);
		at[j] = n + 1;
		if (c->certs[j].problem != NULL) {
			s = verdict_share(VERDICT_NOT_CHECKED,
			    k->rcerts[n].decides, k->res.unknown_allowed);
			k->rcerts[n].share = s;
			if (s > highest)
				highest = s;
		}
		n++;
	}
	for (i = 0; i < k->nnames; i++)
		if (k->names[i].ccert != NULL) {
			j = at[k->names[i].ccert - c->certs] - 1;
			k->rnames[i].certificate = &k->rcerts[j];
			cert_add(&k->rcerts[j], k->names[i].verdict);
			s = verdict_share(k->names[i].verdict,
			    k->rcerts[j].decides, k->res.unknown_allowed);
			if (s > k->rcerts[j].share)
				k->rcerts[j].share = s;
		}
	free(at);
	k->res.certs = k->rcerts;
	k->res.ncerts = n;
	return highest;
}

static int
cmp_expiry(const void *a, const void *b)
{
	const struct result_expiry	*x = a, *y = b;
	int				 c;

	if (x->expires != y->expires)
		return x->expires < y->expires ? -1 : 1;
	if ((c = strcmp(x->qname, y->qname)) != 0)
		return c;
	return x->qtype - y->qtype;
}

/* One signature's expiry into the horizon (when within its days). */
static void
horizon_add(struct check *k, size_t *n, const char *qname, int qtype,
    const char *signer, long long expires)
{
	struct result_run	*res = &k->res;

	if (res->sig_earliest == 0 || expires < res->sig_earliest)
		res->sig_earliest = expires;
	if (expires >= (long long)k->now + (long long)res->signature_days *
	    86400)
		return;
	k->rexpiring[*n].qname = qname;
	k->rexpiring[*n].qtype = qtype;
	k->rexpiring[*n].signer = signer;
	k->rexpiring[*n].expires = expires;
	(*n)++;
}

/*
 * The parent's signature over a probed zone's DS (the earliest of its
 * servers' referrals) into the horizon.
 */
static void
horizon_ds(struct check *k, size_t *n, const struct zone *z)
{
	long long	 t = 0;
	size_t		 j;

	for (j = 0; j < z->nparents; j++)
		if (z->parents[j].ns.sig_expires > 0 &&
		    (t == 0 || z->parents[j].ns.sig_expires < t))
			t = z->parents[j].ns.sig_expires;
	if (t != 0 && z->parent != NULL)
		horizon_add(k, n, z->apex, TYPE_DS, z->parent, t);
}

/*
 * SPEC 5.7: the signatures the CA's decisions rest on that expire
 * within checks.signature_days, earliest first: its own answers', and
 * for the zones the nameserver check probed, their DNSKEY sets and the
 * parents' signatures over their DS.
 */
static int
result_horizon(struct check *k)
{
	const struct resolve_answer	*a;
	const void			*it = NULL;
	const char			*qname;
	char				 signer[NAME_MAX_TEXT], **v;
	time_t				 t;
	size_t				 i, n = 0, cap;
	int				 qtype;

	k->res.signature_days = k->c->signature_days;
	k->res.started_at = (long long)k->now;
	if (k->c->signature_days == 0)
		return 0;
	cap = k->nqueries + k->res.nlookups + 1 +
	    (k->srv != NULL ? servers_nzones(k->srv) : 0);
	if ((k->rexpiring = calloc(cap, sizeof(*k->rexpiring))) == NULL ||
	    (k->rsigners = calloc(cap, sizeof(*k->rsigners))) == NULL)
		return -1;
	for (i = 0; i < k->nqueries; i++)
		if (k->rqueries[i].sig_expires != 0)
			horizon_add(k, &n, k->rqueries[i].lookup.qname,
			    k->rqueries[i].lookup.qtype,
			    k->rqueries[i].signer,
			    k->rqueries[i].sig_expires);
	while (k->srv != NULL && servers_lookup(k->srv, &it, &qname, &qtype,
	    &a)) {
		if ((qtype != TYPE_DNSKEY && qtype != TYPE_DS) || a == NULL ||
		    a->dnssec != RESOLVE_SECURE || !wire_rrsig_expiry(
		    a->packet, a->packetlen, k->now, &t, signer,
		    sizeof(signer)))
			continue;
		v = k->rsigners + k->nrsigners;
		if ((*v = strdup(signer)) == NULL)
			return -1;
		k->nrsigners++;
		horizon_add(k, &n, qname, qtype, *v, (long long)t);
	}
	for (i = 0; k->srv != NULL && i < servers_nzones(k->srv); i++)
		horizon_ds(k, &n, servers_zone(k->srv, i));
	qsort(k->rexpiring, n, sizeof(*k->rexpiring), cmp_expiry);
	k->res.expiring = k->rexpiring;
	k->res.nexpiring = n;
	return 0;
}

int
check_build_result(struct check *k)
{
	struct result_run	*res = &k->res;
	size_t			 i, nlv = 0;
	int			 highest;
	struct result_name	*r;

	if (result_lookups(k) == -1 || result_horizon(k) == -1)
		return -1;
	for (i = 0; i < k->nnames; i++)
		nlv += k->names[i].nlevels;
	k->rnames = calloc(k->nnames + 1, sizeof(*k->rnames));
	k->rlevels = calloc(nlv + 1, sizeof(*k->rlevels));
	k->rdns01 = calloc(k->nnames + 1, sizeof(*k->rdns01));
	if (k->rnames == NULL || k->rlevels == NULL || k->rdns01 == NULL)
		return -1;
	res->unknown_allowed = k->c->gate &&
	    k->c->on_unknown == CONF_UNKNOWN_ALLOW;
	for (i = 0, nlv = 0; i < k->nnames; i++) {
		result_name(k, &k->names[i], &k->rnames[i], k->rlevels + nlv,
		    &k->rdns01[i]);
		nlv += k->names[i].nlevels;
		res->count[k->names[i].verdict]++;
		res->local += k->rnames[i].local ? 1 : 0;
	}
	if ((highest = result_certs(k)) == -1)
		return -1;
	for (i = 0; i < k->nnames; i++) {
		r = &k->rnames[i];
		r->share = verdict_share(r->verdict, r->certificate == NULL ||
		    r->certificate->decides, res->unknown_allowed);
		if (r->share > highest)
			highest = r->share;
	}
	res->names = k->rnames;
	res->nnames = k->nnames;
	res->nameservers = check_level(k->c->nameservers);
	if (k->srv != NULL) {
		res->nzones = servers_nzones(k->srv);
		if ((k->rzones = calloc(res->nzones + 1,
		    sizeof(*k->rzones))) == NULL)
			return -1;
		for (i = 0; i < res->nzones; i++)
			k->rzones[i] = servers_zone(k->srv, i);
		res->zones = k->rzones;
	}
	res->trust_anchor = k->ta;
	for (i = 0; i < k->nsettings; i++)
		k->psettings[i] = k->settings[i];
	res->resolver = k->psettings;
	res->nresolver = k->nsettings;
	res->timeout = k->c->timeout;
	res->started = (k->r ? resolve_started(k->r) : 0) +
	    (k->rp ? resolve_started(k->rp) : 0);
	res->not_sent = (k->r ? resolve_unsent(k->r) : 0) +
	    (k->rp ? resolve_unsent(k->rp) : 0);
	res->direct = k->pr ? probe_sent(k->pr) : 0;
	res->elapsed_ms = k->elapsed;
	res->unreachable = k->unreachable;
	res->exit = verdict_run_exit(highest, res->unreachable,
	    res->unknown_allowed);
	return 0;
}
