/*
 * checktree: the run's result tree, pointing into the check's own
 * storage, built once the run is over.
 */
#include <stdlib.h>
#include <string.h>

#include "check_priv.h"
#include "probe.h"
#include "resolve.h"
#include "result.h"
#include "servers.h"
#include "verdict.h"

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

int
check_build_result(struct check *k)
{
	struct result_run	*res = &k->res;
	size_t			 i, nlv = 0, highest = 0;

	if (result_lookups(k) == -1)
		return -1;
	for (i = 0; i < k->nnames; i++)
		nlv += k->names[i].nlevels;
	k->rnames = calloc(k->nnames + 1, sizeof(*k->rnames));
	k->rlevels = calloc(nlv + 1, sizeof(*k->rlevels));
	k->rdns01 = calloc(k->nnames + 1, sizeof(*k->rdns01));
	if (k->rnames == NULL || k->rlevels == NULL || k->rdns01 == NULL)
		return -1;
	for (i = 0, nlv = 0; i < k->nnames; i++) {
		result_name(k, &k->names[i], &k->rnames[i], k->rlevels + nlv,
		    &k->rdns01[i]);
		nlv += k->names[i].nlevels;
		res->count[k->names[i].verdict]++;
		if ((size_t)verdict_exit(k->names[i].verdict) > highest)
			highest = (size_t)verdict_exit(k->names[i].verdict);
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
	res->started = k->r ? resolve_started(k->r) : 0;
	res->not_sent = k->r ? resolve_unsent(k->r) : 0;
	res->direct = k->pr ? probe_sent(k->pr) : 0;
	res->elapsed_ms = k->elapsed;
	res->unreachable = k->unreachable;
	res->exit = verdict_run_exit((int)highest, res->unreachable);
	return 0;
}
