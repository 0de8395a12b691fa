/*
 * servers: find every authoritative server of the zones the CA's
 * lookups touch and ask each one directly (SPEC 5.3).  The findings are
 * made by zone_analyse() once every answer is in.
 */
#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <ldns/ldns.h>

#include "dnssec.h"
#include "lookups.h"
#include "probe.h"
#include "resolve.h"
#include "servers.h"
#include "servers_priv.h"
#include "wire.h"
#include "zone.h"

/* The lookup (qname, qtype) of the run, started when absent and start. */
struct lookup *
servers_lookup_get(struct servers *s, const char *qname, int qtype, int start)
{
	struct lookup	*l = lookups_get(s->lk, qname, qtype, start);

	if (l == NULL && lookups_nomem(s->lk))
		s->nomem = 1;
	return l;
}

int
servers_watch(struct servers *s, const char *zone, int qtype)
{
	return servers_lookup_get(s, zone, qtype, 1) == NULL &&
	    lookups_nomem(s->lk) ? -1 : 0;
}

const char *
servers_parent_of(const char *name)
{
	const char	*dot = strchr(name, '.');

	return dot != NULL ? dot + 1 : NULL;
}

/* A TLD's servers are not ours to probe, so neither are its keys. */
int
servers_ours(const char *apex)
{
	return strchr(apex, '.') != NULL;
}

static size_t
hash(const char *s, int type)
{
	size_t	 h = 5381 + (size_t)type;

	for (; *s != '\0'; s++)
		h = h * 33 + (unsigned char)*s;
	return h % NBUCKETS;
}

struct servers *
servers_new(struct resolve *r, struct resolve *plain, struct probe *p)
{
	struct servers	*s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	if ((s->proven = dnssec_proven_new()) == NULL ||
	    (s->lk = lookups_new(r, plain)) == NULL) {
		dnssec_proven_free(s->proven);
		free(s);
		return NULL;
	}
	s->p = p;
	probe_set_same(p, servers_same_answer);
	return s;
}

static void
szone_free(struct szone *sz)
{
	size_t	 i;

	zone_free(sz->z);
	dnssec_zone_free(sz->keys);
	wire_strv_free(sz->ghost, sz->nglue);
	wire_strv_free(sz->gaddr, sz->nglue);
	for (i = 0; i < sz->nunchecked; i++)
		free(sz->unchecked[i].wire);
	free(sz->unchecked);
	servers_same_free(sz);
	free(sz);
}

void
servers_free(struct servers *s)
{
	size_t		 i;

	if (s == NULL)
		return;
	lookups_free(s->lk);
	for (i = 0; i < s->nwants; i++) {
		free(s->wants[i].qname);
		free(s->wants[i].parent);
	}
	free(s->wants);
	free(s->unsettled);
	for (i = 0; i < NBUCKETS; i++)
		free(s->wanted[i]);
	for (i = 0; i < s->nzones; i++)
		szone_free(s->zones[i]);
	free(s->zones);
	dnssec_proven_free(s->proven);
	free(s->early);
	free(s);
}

int
servers_lookup(const struct servers *s, const void **it, const char **qname,
    int *qtype, const struct resolve_answer **ans)
{
	const struct lookup	*l;

	l = *it == NULL ? lookups_first(s->lk) :
	    ((const struct lookup *)*it)->onext;
	if ((*it = l) == NULL)
		return 0;
	*qname = l->qname;
	*qtype = l->qtype;
	*ans = l->ans;
	return 1;
}

/* Thousands of names share levels: a hash, not a scan. */
static struct want *
want_find(const struct servers *s, const char *qname, int qtype)
{
	size_t	 i, h = hash(qname, qtype);

	for (i = 0; i < s->nwanted[h]; i++) {
		struct want *w = &s->wants[s->wanted[h][i]];

		if (w->qtype == qtype && strcmp(w->qname, qname) == 0)
			return w;
	}
	return NULL;
}

int
servers_unsettled(const struct servers *s, const char *qname, int qtype)
{
	const struct want	*w = want_find(s, qname, qtype);

	return w != NULL && w->unsettled;
}

int
servers_want(struct servers *s, const char *qname, int qtype)
{
	struct want	*v;
	size_t		 h = hash(qname, qtype), *b, *u;

	if (want_find(s, qname, qtype) != NULL)
		return 0;
	if ((b = reallocarray(s->wanted[h], s->nwanted[h] + 1,
	    sizeof(*b))) == NULL)
		return -1;
	s->wanted[h] = b;
	if (s->nwants == s->wcap) {
		size_t	 ncap = s->wcap ? s->wcap * 2 : 64;

		if ((v = reallocarray(s->wants, ncap, sizeof(*v))) == NULL)
			return -1;
		s->wants = v;
		if ((u = reallocarray(s->unsettled, ncap, sizeof(*u))) == NULL)
			return -1;
		s->unsettled = u;
		s->wcap = ncap;
	}
	v = s->wants;
	memset(&v[s->nwants], 0, sizeof(*v));
	if ((v[s->nwants].qname = strdup(qname)) == NULL)
		return -1;
	v[s->nwants].qtype = qtype;
	v[s->nwants].unsettled = 1;
	b[s->nwanted[h]++] = s->nwants;
	s->unsettled[s->nunsettled++] = s->nwants;
	s->nwants++;
	return 0;
}

/* Whether the answer can tell anything about the zone. */
static int
answer_tells(const struct resolve_answer *a)
{
	return a != NULL && a->state == RESOLVE_DONE &&
	    a->dnssec != RESOLVE_BOGUS && (a->rcode == 0 || a->rcode == 3);
}

/*
 * What the zone's check will need, asked now: the name itself may wait
 * for other levels' answers before it is decided and its zones are
 * probed.  The servers' addresses follow from the NS answer
 * (servers_step), so that they are known by then too.
 */
int
servers_warm(struct servers *s, const char *apex)
{
	struct lookup	*ns, **e;

	if (servers_lookup_get(s, apex, T_SOA, 1) == NULL)
		return -1;
	if ((ns = servers_lookup_get(s, apex, T_NS, 0)) == NULL) {
		if ((ns = servers_lookup_get(s, apex, T_NS, 1)) == NULL ||
		    (e = reallocarray(s->early, s->nearly + 1,
		    sizeof(*e))) == NULL)
			return -1;
		s->early = e;
		s->early[s->nearly++] = ns;
		return 1;
	}
	return 0;
}

static int
hint_lookups(struct servers *s, const char *apex)
{
	if (servers_warm(s, apex) == -1)
		return -1;
	if (servers_ours(apex) &&
	    servers_lookup_get(s, apex, T_DNSKEY, 1) == NULL)
		return -1;
	return 0;
}

int
servers_hint(struct servers *s, const char *qname, int qtype,
    const struct resolve_answer *a, const ldns_pkt *pkt)
{
	char		 apex[256];
	int		 rc = 0, added;

	if (pkt == NULL || !answer_tells(a))
		return 0;
	if (a->dnssec == RESOLVE_SECURE && dnssec_prove(s->proven, pkt) == -1)
		rc = -1;
	wire_zone_in_pkt(pkt, qname, qtype, apex, sizeof(apex));
	if (apex[0] == '\0')
		return rc;
	if ((added = lookups_hint(s->lk, qname, apex)) == -1 ||
	    (added && hint_lookups(s, apex) == -1))
		return -1;
	return rc;
}

struct szone *
servers_zone_get(struct servers *s, const char *apex)
{
	struct szone	**v, *sz;
	size_t		  h = hash(apex, 0);

	for (sz = s->zbuckets[h]; sz != NULL; sz = sz->hnext)
		if (strcmp(sz->z->apex, apex) == 0)
			return sz;
	if ((sz = calloc(1, sizeof(*sz))) == NULL)
		return NULL;
	if ((sz->z = zone_new(apex)) == NULL) {
		free(sz);
		return NULL;
	}
	if (s->nzones == s->zcap) {
		size_t	 ncap = s->zcap ? s->zcap * 2 : 16;

		if ((v = reallocarray(s->zones, ncap, sizeof(*v))) == NULL) {
			szone_free(sz);
			return NULL;
		}
		s->zones = v;
		s->zcap = ncap;
	}
	s->zones[s->nzones++] = sz;
	sz->hnext = s->zbuckets[h];
	s->zbuckets[h] = sz;
	return sz;
}

/* What every direct query's result records, whatever it was for. */
void
servers_seen_result(struct zone_seen *q, const struct probe_result *r)
{
	switch (r->state) {
	case PROBE_ANSWER:
		q->state = ZONE_ANSWER;
		break;
	case PROBE_TIMEOUT:
		q->state = ZONE_TIMEOUT;
		break;
	case PROBE_TCP_FAILED:
		q->state = ZONE_TCP_FAILED;
		break;
	case PROBE_CANCELLED:
		q->state = ZONE_CANCELLED;
		break;
	default:
		q->state = ZONE_ERROR;
		break;
	}
	q->tcp = r->tcp;
	q->late = r->late;
	q->ms = r->ms;
	/* Most answers have no error: 20,000 buffers would be 2.5 MB. */
	free(q->err);
	q->err = r->err[0] != '\0' ? strdup(r->err) : NULL;
}

/* Keep a signed answer to check once the zone's keys are known. */
static void
keep_unchecked(struct servers *s, struct szone *sz, size_t server, long qi,
    const ldns_pkt *pkt)
{
	struct unchecked	*v, *u;

	if ((v = reallocarray(sz->unchecked, sz->nunchecked + 1,
	    sizeof(*v))) == NULL) {
		s->nomem = 1;
		return;
	}
	sz->unchecked = v;
	u = &v[sz->nunchecked];
	u->server = server;
	u->qi = qi;
	if (probe_pkt2wire(pkt, &u->wire, &u->len) == -1) {
		s->nomem = 1;
		return;
	}
	sz->nunchecked++;
}

/* A signed answer's signatures, checked now: keep the verdict. */
static void
check_sigs(struct servers *s, struct szone *sz, struct zone_seen *q,
    const ldns_pkt *pkt)
{
	const char	*why;
	char		 what[512];

	if ((why = dnssec_check(sz->keys, pkt, what, sizeof(what))) == NULL)
		return;
	if ((q->sig_why = strdup(why)) == NULL ||
	    (q->sig_what = strdup(what)) == NULL)
		s->nomem = 1;
}

/*
 * Keep what the analysis needs from an answer: the records as sorted
 * text (what servers are compared on), the serial, whether the SOA came
 * with a negative answer, and for signed zones the signatures' verdict,
 * or the wire form to check when the zone's keys are known.  Thousands
 * of parsed packets held until the end would cost far more memory.
 */
static int
seen_take(struct servers *s, struct szone *sz, struct zone_seen *q,
    size_t server, long qi, const ldns_pkt *pkt)
{
	struct wire_summary	 w;
	char			 signer[256];
	time_t			 t;

	if (wire_summarise(pkt, q->qtype, &w) == -1)
		s->nomem = 1;
	/* SPEC 5.7: per server, for a signer that stopped. */
	if (wire_rrsig_min(pkt, time(NULL), 0, &t, signer, sizeof(signer)))
		q->sig_expires = (long long)t;
	q->rcode = w.rcode;
	q->aa = w.aa;
	q->soa_in_auth = w.soa_in_auth;
	q->serial = w.serial;
	q->records = w.records;
	q->nrecords = w.nrecords;
	q->rdata = w.rdata;
	q->rdlen = w.rdlen;
	q->nrdata = w.nrdata;
	/* Until the keys are in, whether the zone is signed is not known. */
	if (sz->keyed && !sz->z->secure)
		return 1;
	if (sz->keys != NULL && dnssec_zone_ready(sz->keys)) {
		check_sigs(s, sz, q, pkt);
		return 1;
	}
	keep_unchecked(s, sz, server, qi, pkt);
	return 0;
}

/*
 * 0x20: the name in alternating letter case, as a resolver that
 * randomises it sends it ("eXaMpLe.CoM"), to see that a server repeats
 * it.
 */
static void
mixed_case(const char *name, char *out, size_t size)
{
	size_t	 i, k = 0;

	for (i = 0; name[i] != '\0' && i + 1 < size; i++) {
		char c = name[i];

		if (c >= 'a' && c <= 'z' && k++ % 2 == 1)
			c = (char)(c - 32);
		out[i] = c;
	}
	out[i] = '\0';
}

/* What any answer of a server tells of it: its NSID, its letter case. */
static void
server_answered(struct servers *s, struct zone *z, size_t i, long qi,
    const ldns_pkt *pkt)
{
	struct zone_server	*sv = &z->servers[i];
	char			 buf[128];

	if (sv->nsid == NULL && wire_nsid(pkt, buf, sizeof(buf)) &&
	    (sv->nsid = strdup(buf)) == NULL)
		s->nomem = 1;
	if (qi == -1) {
		mixed_case(z->apex, buf, sizeof(buf));
		sv->soa.case_lost = !wire_same_case(pkt, buf);
	}
}

struct zone_seen *
servers_seen_of(struct zone *z, size_t server, long qi)
{
	return qi == -1 ? &z->servers[server].soa : &z->servers[server].q[qi];
}

static void
probed(void *arg, struct probe_result *r)
{
	struct ticket	*t = arg;
	struct szone	*sz = t->zone;
	struct zone	*z = sz != NULL ? sz->z : NULL;
	struct zone_seen *q;

	if (t->q == -3)
		parents_referral_answer(t->s, t->server, r);
	else if (t->q == -2)
		parents_delegation_answer(t->s, sz, t->server, r);
	else if (t->server < z->nservers) {
		q = servers_seen_of(z, t->server, t->q);
		servers_seen_result(q, r);
		if (r->state == PROBE_ANSWER && r->same)
			servers_same_take(t->s, sz, t->server, t->q);
		else if (r->state == PROBE_ANSWER) {
			server_answered(t->s, z, t->server, t->q, r->pkt);
			if (seen_take(t->s, sz, q, t->server, t->q, r->pkt))
				servers_same_keep(t->s, sz, t->server, t->q, r);
		}
		servers_same_ended(sz, t->q);
	}
	ldns_pkt_free(r->pkt);
	free(t);
}

int
servers_send(struct servers *s, struct szone *sz, size_t server, long qi,
    const char *addr, const char *qname, int qtype)
{
	struct ticket	*t;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return -1;
	t->s = s;
	t->zone = sz;
	t->server = server;
	t->q = qi;
	if (probe_query(s->p, addr, qname, qtype, probed, t) == -1) {
		free(t);
		return -1;
	}
	s->started++;
	return 0;
}

/* A new server (host, addr) of a zone, its SOA probe sent. */
static struct zone_server *
server_add(struct servers *s, struct szone *sz, const char *host,
    const char *addr)
{
	struct zone		*z = sz->z;
	struct zone_server	*v, *sv;
	char			 mixed[256];

	if ((v = reallocarray(z->servers, z->nservers + 1,
	    sizeof(*v))) == NULL)
		return NULL;
	z->servers = v;
	sv = &v[z->nservers];
	memset(sv, 0, sizeof(*sv));
	sv->soa.qtype = T_SOA;
	sv->soa.serial = -1;
	if ((sv->host = strdup(host)) == NULL ||
	    (sv->addr = strdup(addr)) == NULL ||
	    (sv->soa.qname = strdup(z->apex)) == NULL) {
		free(sv->host);
		free(sv->addr);
		return NULL;
	}
	z->nservers++;
	mixed_case(z->apex, mixed, sizeof(mixed));
	if (servers_send(s, sz, z->nservers - 1, -1, addr, mixed, T_SOA) == -1)
		return NULL;
	return sv;
}

/* Server i of a zone: the names added to the zone since, probed too. */
static int
server_names(struct servers *s, struct szone *sz, size_t i)
{
	struct zone		*z = sz->z;
	struct zone_server	*sv = &z->servers[i];
	struct zone_seen	*q;

	while (sv->nq < z->nnames) {
		/*
		 * Room for 4, then twice as much when full (4, 8, 16...):
		 * a zone's names come a few at a time.
		 */
		if (sv->nq == 0 ||
		    (sv->nq >= 4 && (sv->nq & (sv->nq - 1)) == 0)) {
			q = reallocarray(sv->q, sv->nq == 0 ? 4 : sv->nq * 2,
			    sizeof(*q));
			if (q == NULL)
				return -1;
			sv->q = q;
		}
		q = &sv->q[sv->nq];
		memset(q, 0, sizeof(*q));
		q->serial = -1;
		q->qtype = z->types[sv->nq];
		if ((q->qname = strdup(z->names[sv->nq])) == NULL)
			return -1;
		if (servers_send(s, sz, i, (long)sv->nq, sv->addr, q->qname,
		    q->qtype) == -1)
			return -1;
		sv->nq++;
	}
	return 0;
}

/* The server (host, addr) of a zone, with every probe it needs sent. */
static int
server_ensure(struct servers *s, struct szone *sz, const char *host,
    const char *addr)
{
	struct zone		*z = sz->z;
	struct zone_server	*sv = NULL;
	size_t			 i;

	for (i = 0; i < z->nservers; i++)
		if (strcmp(z->servers[i].host, host) == 0 &&
		    strcmp(z->servers[i].addr, addr) == 0) {
			sv = &z->servers[i];
			break;
		}
	if (sv == NULL && (sv = server_add(s, sz, host, addr)) == NULL)
		return -1;
	return server_names(s, sz, (size_t)(sv - z->servers));
}

/* Returns whether an address lookup is still pending. */
static int
ensure_hosts(struct servers *s, struct szone *sz, char **hosts, size_t n)
{
	char	 addrs[16][INET6_ADDRSTRLEN];
	size_t	 i, j, na;
	int	 pending = 0;

	for (i = 0; i < n; i++) {
		/* A referral's glue first: the zone itself may not resolve. */
		for (j = 0, na = 0; j < sz->nglue && na < 16; j++)
			if (strcmp(sz->ghost[j], hosts[i]) == 0)
				(void)snprintf(addrs[na++], INET6_ADDRSTRLEN, "%s",
				    sz->gaddr[j]);
		if (na == 0)
			na = lookups_addrs(s->lk, hosts[i], addrs, 16,
			    &pending);
		for (j = 0; j < na; j++)
			if (server_ensure(s, sz, hosts[i], addrs[j]) == -1)
				s->nomem = 1;
	}
	return pending;
}

/*
 * The zone's keys, as the validating resolver proved them; whether the
 * zone is signed at all is read off the same lookup (the check's other
 * lookups are not validated).  A zone found through its parent's
 * referral is not asked for them: its own servers do not answer the
 * resolver.
 */
static void
dnskeys(struct servers *s, struct szone *sz)
{
	struct zone	*z = sz->z;
	struct lookup	*l;
	ldns_pkt	*pkt;

	if (sz->keyed)
		return;
	/* Unless a CA answer from the zone had its keys asked already. */
	if (sz->referred &&
	    servers_lookup_get(s, z->apex, T_DNSKEY, 0) == NULL) {
		sz->keyed = 1;
		return;
	}
	if ((l = servers_lookup_get(s, z->apex, T_DNSKEY, 1)) == NULL || !l->done)
		return;
	sz->keyed = 1;
	/* Unsigned, or cannot check what we cannot trust. */
	if (l->ans == NULL || l->ans->dnssec != RESOLVE_SECURE ||
	    l->ans->nrdata == 0 || (pkt = wire_parse(l->ans->packet,
	    l->ans->packetlen)) == NULL)
		return;
	z->secure = 1;
	if ((sz->keys = dnssec_zone_new(z->apex, s->proven)) == NULL ||
	    dnssec_zone_keys(sz->keys, pkt) == -1)
		s->nomem = 1;
	ldns_pkt_free(pkt);
}

/*
 * Everything a zone needs started; returns 1 when nothing is left.  Once
 * its servers, keys and delegation are all in, a name added to the zone
 * only needs asking of the servers it has.
 */
static int
zone_step(struct servers *s, struct szone *sz)
{
	struct zone	*z = sz->z;
	struct deleg	*d = &sz->deleg;
	struct lookup	*soa, *ns;
	size_t		 i;
	int		 pending;

	if (sz->complete) {
		for (i = 0; i < z->nservers; i++)
			if (server_names(s, sz, i) == -1)
				s->nomem = 1;
		return 1;
	}
	soa = servers_lookup_get(s, z->apex, T_SOA, 1);
	dnskeys(s, sz);
	ns = servers_lookup_get(s, z->apex, T_NS, 1);
	if (ns != NULL && ns->done && z->nchild == 0 &&
	    lookups_ns(ns, z->apex, &z->child_ns, &z->nchild) == -1)
		s->nomem = 1;
	parents_delegation(s, sz);
	pending = ensure_hosts(s, sz, z->child_ns, z->nchild);
	pending |= ensure_hosts(s, sz, z->parent_ns, z->nparent);
	if (s->nomem)
		return 1;
	sz->complete = !pending && (soa == NULL || soa->done) &&
	    (ns == NULL || ns->done) && sz->keyed &&
	    !d->pending && (z->parent_known || d->failed || d->parent_failed);
	return sz->complete;
}

/* The addresses of a hinted zone's servers, asked once its NS is in. */
static void
early_step(struct servers *s)
{
	char	**hosts;
	size_t	  i, j, nhosts, keep = 0;

	for (i = 0; i < s->nearly; i++) {
		struct lookup *ns = s->early[i];

		if (!ns->done) {
			s->early[keep++] = ns;
			continue;
		}
		hosts = NULL;
		nhosts = 0;
		if (lookups_ns(ns, ns->qname, &hosts, &nhosts) == -1)
			s->nomem = 1;
		for (j = 0; j < nhosts; j++)
			if (servers_lookup_get(s, hosts[j], T_A, 1) == NULL ||
			    servers_lookup_get(s, hosts[j], T_AAAA, 1) == NULL)
				s->nomem = 1;
		wire_strv_free(hosts, nhosts);
	}
	s->nearly = keep;
}

/* Put a wanted name into its zone; the zone is new when needed. */
struct szone *
servers_place(struct servers *s, struct want *w, const char *apex)
{
	struct szone	*sz;

	if ((sz = servers_zone_get(s, apex)) == NULL ||
	    zone_add_name(sz->z, w->qname, w->qtype) == -1) {
		s->nomem = 1;
		return NULL;
	}
	/* Every server of the zone has a new name to be asked. */
	sz->settled = 0;
	w->zone = sz;
	return sz;
}

/* A wanted name whose zone is found goes into it. */
static int
settle(struct servers *s, struct want *w)
{
	char		 apex[256];

	if (w->zone != NULL)
		goto settled;
	switch (lookups_zone(s->lk, w->qname, apex, sizeof(apex))) {
	case LOOKUPS_PENDING:
		/* Silent servers: ask the parent meanwhile, keep waiting. */
		if (s->hurry)
			(void)parents_referral(s, w, (size_t)(w - s->wants));
		return 0;
	case LOOKUPS_ALIAS:
		return 0;
	case LOOKUPS_FAIL:
		if (!parents_referral(s, w, (size_t)(w - s->wants)))
			return 0;
		break;
	case LOOKUPS_FOUND:
		if (servers_ours(apex))
			(void)servers_place(s, w, apex);
		break;
	}
settled:
	w->unsettled = 0;
	return 1;
}

int
servers_step(struct servers *s)
{
	struct szone	*sz;
	size_t		 i, keep = 0;

	s->started = 0;
	lookups_reset_started(s->lk);
	early_step(s);
	/* Only what can still change is looked at: steps come often. */
	for (i = 0; i < s->nunsettled; i++)
		if (!settle(s, &s->wants[s->unsettled[i]]))
			s->unsettled[keep++] = s->unsettled[i];
	s->nunsettled = keep;
	for (i = 0; i < s->nzones; i++) {
		sz = s->zones[i];
		if (!sz->settled)
			sz->settled = zone_step(s, sz);
	}
	return s->started + lookups_started(s->lk);
}

static int
listed(char **v, size_t n, const char *host)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i], host) == 0)
			return 1;
	return 0;
}

/*
 * How many of the lookups a zone's check needed the deadline cut short:
 * its own SOA, NS and DNSKEY, its parent's NS set, its servers'
 * addresses.  The servers whose addresses did not come go into hosts.
 */
static size_t
cut_lookups(struct servers *s, const struct szone *sz, char **hosts)
{
	static const int	 own[] = { T_SOA, T_NS, T_DNSKEY };
	const struct zone	*z = sz->z;
	size_t			 i, k, n = 0;
	char			**v, *more;
	size_t			 nv;

	*hosts = NULL;
	/* A zone its parent's referral gave needs none of its own. */
	for (i = 0; !sz->referred && i < sizeof(own) / sizeof(own[0]); i++)
		n += lookups_cut(servers_lookup_get(s, z->apex, own[i], 0));
	if (z->parent != NULL)
		n += lookups_cut(servers_lookup_get(s, z->parent, T_NS, 0));
	for (k = 0; k < 2; k++) {
		v = k == 0 ? z->child_ns : z->parent_ns;
		nv = k == 0 ? z->nchild : z->nparent;
		for (i = 0; i < nv; i++) {
			int c = lookups_cut(servers_lookup_get(s, v[i], T_A, 0)) +
			    lookups_cut(servers_lookup_get(s, v[i], T_AAAA, 0));

			if (c == 0)
				continue;
			n += c;
			/* Listed by both parent and child: named once. */
			if (k == 1 && listed(z->child_ns, z->nchild, v[i]))
				continue;
			if (asprintf(&more, "%s%s%s", *hosts ? *hosts : "",
			    *hosts ? ", " : "", v[i]) == -1) {
				s->nomem = 1;
				continue;
			}
			free(*hosts);
			*hosts = more;
		}
	}
	return n;
}

/* Answers that came before the zone's keys, checked now. */
static void
check_unchecked(struct servers *s, struct szone *sz)
{
	struct zone	*z = sz->z;
	ldns_pkt	*pkt;
	size_t		 i;

	for (i = 0; i < sz->nunchecked; i++) {
		struct unchecked	*u = &sz->unchecked[i];
		struct zone_server	*sv = &z->servers[u->server];

		if (z->secure && sz->keys != NULL &&
		    (pkt = wire_parse(u->wire, u->len)) != NULL) {
			check_sigs(s, sz, u->qi == -1 ? &sv->soa :
			    &sv->q[u->qi], pkt);
			ldns_pkt_free(pkt);
		}
		free(u->wire);
	}
	free(sz->unchecked);
	sz->unchecked = NULL;
	sz->nunchecked = 0;
}

int
servers_analyse(struct servers *s, const struct zone_judge *judge)
{
	struct zone_cut	 c;
	char		*hosts;
	size_t		 i;
	int		 rc = 0;

	for (i = 0; i < s->nzones; i++) {
		check_unchecked(s, s->zones[i]);
		/* The hosts cut short are named in the order reports use. */
		zone_order(s->zones[i]->z);
		c.lookups = cut_lookups(s, s->zones[i], &hosts);
		c.hosts = hosts;
		if (zone_analyse(s->zones[i]->z, &c, judge) == -1)
			rc = -1;
		free(hosts);
	}
	return s->nomem ? -1 : rc;
}

void
servers_hurry(struct servers *s)
{
	s->hurry = 1;
}

int
servers_late(const struct servers *s, double ms)
{
	return lookups_late(s->lk, ms) > 0;
}

size_t
servers_nzones(const struct servers *s)
{
	return s->nzones;
}

const struct zone *
servers_zone(const struct servers *s, size_t i)
{
	return i < s->nzones ? s->zones[i]->z : NULL;
}

const struct zone *
servers_zone_of(const struct servers *s, const char *qname)
{
	static const int types[] = { T_CAA, 16 };
	size_t		 i, k, h;

	for (k = 0; k < 2; k++) {
		h = hash(qname, types[k]);
		for (i = 0; i < s->nwanted[h]; i++) {
			const struct want *w = &s->wants[s->wanted[h][i]];

			if (strcmp(w->qname, qname) == 0 && w->zone != NULL)
				return w->zone->z;
		}
	}
	return NULL;
}
