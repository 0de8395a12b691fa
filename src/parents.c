/*
 * parents: what the parent zones say of a zone: its delegation NS set,
 * asked of the parent's servers one after another, and, for a zone the
 * resolver cannot find at all, the referral that names its servers.
 */
#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <ldns/ldns.h>

#include "lookups.h"
#include "probe.h"
#include "servers.h"
#include "servers_priv.h"
#include "wire.h"
#include "zone.h"

/* The delegation, as a parent server gives it. */
void
parents_delegation_answer(struct servers *s, struct szone *sz, size_t i,
    const struct probe_result *r)
{
	struct zone	*z = sz->z;
	struct zone_seen *ns = &z->parents[i].ns;
	char		 signer[256];
	time_t		 t;

	sz->deleg.pending = 0;
	servers_seen_result(ns, r);
	if (r->pkt != NULL) {
		ns->rcode = ldns_pkt_get_rcode(r->pkt);
		ns->aa = ldns_pkt_aa(r->pkt);
	}
	if (r->state == PROBE_ANSWER) {
		if (wire_ns_names(r->pkt, z->apex, 1, &z->parent_ns,
		    &z->nparent) == -1)
			s->nomem = 1;
		/* SPEC 5.7: the parent's signature over the zone's DS. */
		if (wire_rrsig_min(r->pkt, time(NULL), LDNS_RR_TYPE_DS, &t,
		    signer, sizeof(signer)))
			ns->sig_expires = (long long)t;
		if (z->nparent > 0)
			z->parent_known = 1;
	}
	if (!z->parent_known && sz->deleg.next >= z->nparents)
		sz->deleg.failed = 1;
}

/* The parent's servers to ask for the delegation, up to the tries. */
static void
parent_servers(struct servers *s, struct zone *z, char **hosts, size_t nhosts,
    int *pending)
{
	char	 addrs[4][INET6_ADDRSTRLEN];
	size_t	 i, j, k, na;

	for (i = 0; i < nhosts && z->nparents < ZONE_PARENT_TRIES; i++) {
		na = lookups_addrs(s->lk, hosts[i], addrs, 4, pending);
		for (j = 0; j < na && z->nparents < ZONE_PARENT_TRIES; j++) {
			struct zone_parent *pa = &z->parents[z->nparents];

			for (k = 0; k < z->nparents; k++)
				if (strcmp(z->parents[k].addr, addrs[j]) == 0)
					break;
			if (k < z->nparents)
				continue;
			memset(pa, 0, sizeof(*pa));
			pa->host = strdup(hosts[i]);
			pa->addr = strdup(addrs[j]);
			pa->ns.qtype = T_NS;
			pa->ns.serial = -1;
			pa->ns.qname = strdup(z->apex);
			if (pa->host == NULL || pa->addr == NULL ||
			    pa->ns.qname == NULL) {
				free(pa->host);
				free(pa->addr);
				free(pa->ns.qname);
				memset(pa, 0, sizeof(*pa));
				s->nomem = 1;
				continue;
			}
			z->nparents++;
		}
	}
}

/* Ask the parent's servers, one at a time, for the delegation. */
void
parents_delegation(struct servers *s, struct szone *sz)
{
	struct zone	*z = sz->z;
	struct deleg	*d = &sz->deleg;
	char		 apex[256], **hosts = NULL;
	size_t		 nhosts = 0;
	struct lookup	*l;
	enum lookups_zone	 r;
	int		 pending = 0;

	if (z->parent_known || d->failed || d->parent_failed || d->pending)
		return;
	if (z->parent == NULL) {
		r = lookups_zone(s->lk, servers_parent_of(z->apex), apex, sizeof(apex));
		if (r == LOOKUPS_FAIL) {
			d->parent_failed = 1;
			return;
		}
		if (r != LOOKUPS_FOUND || (z->parent = strdup(apex)) == NULL)
			return;
	}
	if ((l = servers_lookup_get(s, z->parent, T_NS, 1)) == NULL || !l->done)
		return;
	if (lookups_ns(l, z->parent, &hosts, &nhosts) == -1)
		s->nomem = 1;
	parent_servers(s, z, hosts, nhosts, &pending);
	wire_strv_free(hosts, nhosts);
	if (d->next < z->nparents) {
		if (servers_send(s, sz, d->next, -2, z->parents[d->next].addr,
		    z->apex, T_NS) == 0)
			d->pending = 1;
		d->next++;
	} else if (!pending && nhosts > 0)
		d->failed = 1;
	else if (nhosts == 0 && l->done)
		d->failed = 1;
}

/* The closest zone above qname that the resolver finds. */
static enum lookups_zone
zone_above(struct servers *s, const char *qname, char *apex, size_t size)
{
	const char		*name;

	for (name = servers_parent_of(qname); name != NULL; name = servers_parent_of(name))
		switch (lookups_zone(s->lk, name, apex, size)) {
		case LOOKUPS_PENDING:
			/* In a hurry, a zone not found yet is passed over. */
			if (s->hurry)
				break;
			return LOOKUPS_PENDING;
		case LOOKUPS_FOUND:
			return LOOKUPS_FOUND;
		default:
			break;
		}
	return LOOKUPS_FAIL;
}

/* The addresses of a zone's servers, from its NS lookup, at most max. */
static size_t
zone_addrs(struct servers *s, const char *apex, char out[][INET6_ADDRSTRLEN],
    size_t max, int *pending)
{
	struct lookup	*l;
	char		**hosts = NULL;
	size_t		  nhosts = 0, i, n = 0;

	if ((l = servers_lookup_get(s, apex, T_NS, 1)) == NULL || !l->done) {
		*pending = 1;
		return 0;
	}
	if (lookups_ns(l, apex, &hosts, &nhosts) == -1)
		s->nomem = 1;
	for (i = 0; i < nhosts && n < max; i++)
		n += lookups_addrs(s->lk, hosts[i], out + n, max - n, pending);
	wire_strv_free(hosts, nhosts);
	return n;
}

/*
 * SPEC 5.3 (rev. 2): the resolver cannot find the zone of a wanted name
 * (every server SERVFAILs, REFUSEs or is silent, so even SOA fails):
 * ask the servers of the closest zone above that resolves, one after
 * another, for their referral.  Returns 1 when there is nothing more to
 * try (the name stays without a zone).
 */
int
parents_referral(struct servers *s, struct want *w, size_t wi)
{
	char		 apex[256], addrs[ZONE_PARENT_TRIES][INET6_ADDRSTRLEN];
	size_t		 n;
	int		 pending = 0;

	if (w->asking)
		return 0;
	if (w->nocut || w->tried >= ZONE_PARENT_TRIES)
		return 1;
	if (w->parent == NULL) {
		switch (zone_above(s, w->qname, apex, sizeof(apex))) {
		case LOOKUPS_PENDING:
			return 0;
		case LOOKUPS_FOUND:
			if ((w->parent = strdup(apex)) != NULL)
				break;
			s->nomem = 1;
			return 1;
		default:
			return 1;
		}
	}
	n = zone_addrs(s, w->parent, addrs, ZONE_PARENT_TRIES, &pending);
	if (w->tried >= n)
		return !pending;
	if (servers_send(s, NULL, wi, -3, addrs[w->tried++], w->qname,
	    T_SOA) == -1)
		return 0;
	w->asking = 1;
	return 0;
}

/* A parent server's answer to a referral query. */
void
parents_referral_answer(struct servers *s, size_t wi, const struct probe_result *r)
{
	struct want	*w = &s->wants[wi];
	struct szone	*sz;
	char		 apex[256], **ns = NULL, **gh = NULL, **ga = NULL;
	size_t		 nns = 0, ng = 0;
	int		 rc;

	w->asking = 0;
	if (r->state != PROBE_ANSWER || w->zone != NULL)
		return;
	rc = wire_referral(r->pkt, w->qname, w->parent, apex, sizeof(apex),
	    &ns, &nns, &gh, &ga, &ng);
	if (rc == -1)
		s->nomem = 1;
	/*
	 * No referral but an authoritative answer: the name is in the zone
	 * above itself (a CNAME loop inside it, say), and is probed there.
	 */
	if (rc == 1 && ldns_pkt_aa(r->pkt) &&
	    (ldns_pkt_get_rcode(r->pkt) == 0 ||
	    ldns_pkt_get_rcode(r->pkt) == 3)) {
		if (servers_ours(w->parent))
			(void)servers_place(s, w, w->parent);
		w->nocut = 1;
		goto out;
	}
	if (rc != 0 || !servers_ours(apex) ||
	    (sz = servers_place(s, w, apex)) == NULL) {
		w->nocut = rc == 1;
		goto out;
	}
	/* What the parent says is all there is: its NS set and glue. */
	if (sz->z->parent == NULL) {
		sz->referred = 1;
		sz->z->parent = strdup(w->parent);
		sz->z->parent_ns = ns;
		sz->z->nparent = nns;
		sz->z->parent_known = 1;
		sz->ghost = gh;
		sz->gaddr = ga;
		sz->nglue = ng;
		ns = gh = ga = NULL;
		nns = ng = 0;
	}
out:
	wire_strv_free(ns, nns);
	wire_strv_free(gh, ng);
	wire_strv_free(ga, ng);
}
