/*
 * servers: ask every authoritative server directly and name the broken
 * one (SPEC 5.3).
 */
#include <arpa/inet.h>
#include <netinet/in.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ldns/ldns.h>

#include "probe.h"
#include "resolve.h"
#include "servers.h"

#define T_A	1
#define T_NS	2
#define T_SOA	6
#define T_TXT	16
#define T_AAAA	28
#define T_DNSKEY 48
#define T_CAA	257

#define NBUCKETS	4096

/* A lookup through the validating resolver, made once. */
struct lookup {
	char			*qname;
	int			 qtype;
	int			 done;
	struct resolve_answer	*ans;
	int			 zres;		/* SOA: zone_from_soa() result */
	char			*apex;		/* SOA: the zone, once known */
	struct lookup		*next;
	struct lookup		*onext;		/* in the order started */
};

/* The zone of a name, read off the answer the CA's lookup got. */
struct hint {
	char		*qname;
	char		*apex;
	struct hint	*next;
};

/* A name the CA queries, waiting to learn its zone. */
struct want {
	char		*qname;
	int		 qtype;
	struct srv_zone	*zone;
	int		 unsettled;	/* its zone still looked for */
};

/* Which result a direct probe fills. */
struct ticket {
	struct srv_zone	*zone;
	size_t		 server;
	long		 q;		/* -1: SOA; -2: delegation; else name */
};

/* The delegation NS set, asked of the parent's servers (z->parents). */
struct deleg {
	size_t	 next;		/* next parent server to ask */
	int	 pending;
	int	 failed;
	int	 parent_failed;
};

/* A signature checked once: the digest of the RRset and RRSIG, verdict. */
struct verified {
	uint8_t		 digest[LDNS_SHA256_DIGEST_LENGTH];
	ldns_status	 st;
	struct verified	*next;
};

#define NVERIFIED	256

/*
 * An RRset and its one RRSIG, as the validating resolver proved them
 * (by digest): a server that sends the very same needs no check of its
 * own.
 */
struct proven {
	uint8_t		 digest[LDNS_SHA256_DIGEST_LENGTH];
	struct proven	*next;
};

struct servers;

/* A zone's state that reports do not see. */
struct zpriv {
	struct deleg	 deleg;
	/* Every server of a zone sends the same signed RRsets. */
	struct verified	*verified[NVERIFIED];
	int		 settled;	/* nothing to start until a name comes */
	struct srv_zone	*hnext;		/* hash chain by apex */
	const struct servers *s;	/* for what the resolver proved */
};

struct servers {
	struct resolve	 *r;
	struct probe	 *p;
	struct lookup	 *buckets[NBUCKETS];
	struct want	 *wants;
	size_t		  nwants;
	size_t		 *wanted[NBUCKETS];	/* want indices by hash */
	size_t		  nwanted[NBUCKETS];
	size_t		 *unsettled;		/* wants without a zone yet */
	size_t		  nunsettled;
	size_t		  wcap;
	struct srv_zone	**zones;
	size_t		  nzones;
	size_t		  zcap;
	struct srv_zone	 *zbuckets[NBUCKETS];	/* zones by apex */
	struct hint	 *hints[NBUCKETS];	/* zones by name */
	struct lookup	**early;		/* hinted zones' NS lookups */
	size_t		  nearly;
	struct lookup	 *first;		/* every lookup, in order */
	struct lookup	 *last;
	struct proven	 *proven[NBUCKETS];	/* by digest */
	size_t		  nproven;
	int		  started;
	int		  nomem;
};

static void
norm(const char *in, char *out, size_t size)
{
	size_t	 i, len = strlen(in);

	if (len > 1 && in[len - 1] == '.')
		len--;
	if (len >= size)
		len = size - 1;
	for (i = 0; i < len; i++)
		out[i] = (in[i] >= 'A' && in[i] <= 'Z') ? in[i] + 32 : in[i];
	out[len] = '\0';
}

static const char *
parent_of(const char *name)
{
	const char	*dot = strchr(name, '.');

	return dot != NULL ? dot + 1 : NULL;
}

/* A TLD's servers are not ours to probe, so neither are its keys. */
static int
ours_to_probe(const char *apex)
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
servers_new(struct resolve *r, struct probe *p)
{
	struct servers	*s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	s->r = r;
	s->p = p;
	return s;
}

static void
seen_clear(struct srv_seen *q)
{
	size_t	 i;

	free(q->qname);
	for (i = 0; i < q->nrecords; i++)
		free(q->records[i]);
	free(q->records);
	free(q->wire);
	free(q->sig_what);
}

static void
strv_free(char **v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void
zone_free(struct srv_zone *z)
{
	size_t		 i, j;
	struct zpriv	*zp = z->priv;

	free(z->apex);
	free(z->parent);
	strv_free(z->names, z->nnames);
	free(z->types);
	strv_free(z->child_ns, z->nchild);
	strv_free(z->parent_ns, z->nparent);
	for (i = 0; i < z->nparents; i++) {
		free(z->parents[i].host);
		free(z->parents[i].addr);
	}
	for (i = 0; i < z->nservers; i++) {
		free(z->servers[i].host);
		free(z->servers[i].addr);
		seen_clear(&z->servers[i].soa);
		for (j = 0; j < z->servers[i].nq; j++)
			seen_clear(&z->servers[i].q[j]);
		free(z->servers[i].q);
	}
	free(z->servers);
	ldns_rr_list_deep_free(z->dnskeys);
	for (i = 0; i < z->nfindings; i++) {
		free(z->findings[i].server);
		free(z->findings[i].addr);
		free(z->findings[i].name);
		free(z->findings[i].msg);
		free(z->findings[i].fix);
	}
	free(z->findings);
	if (zp != NULL) {
		for (i = 0; i < NVERIFIED; i++)
			for (struct verified *v = zp->verified[i], *vn;
			    v != NULL; v = vn) {
				vn = v->next;
				free(v);
			}
	}
	free(zp);
	free(z);
}

static void
proven_free(struct servers *s)
{
	size_t	 i;

	for (i = 0; i < NBUCKETS; i++) {
		for (struct proven *v = s->proven[i], *vn; v != NULL;
		    v = vn) {
			vn = v->next;
			free(v);
		}
		s->proven[i] = NULL;
	}
	s->nproven = 0;
}

void
servers_free(struct servers *s)
{
	struct lookup	*l, *next;
	size_t		 i;

	if (s == NULL)
		return;
	for (i = 0; i < NBUCKETS; i++)
		for (l = s->buckets[i]; l != NULL; l = next) {
			next = l->next;
			resolve_answer_free(l->ans);
			free(l->apex);
			free(l->qname);
			free(l);
		}
	for (i = 0; i < NBUCKETS; i++)
		for (struct hint *t = s->hints[i], *tn; t != NULL; t = tn) {
			tn = t->next;
			free(t->qname);
			free(t->apex);
			free(t);
		}
	for (i = 0; i < s->nwants; i++)
		free(s->wants[i].qname);
	free(s->wants);
	free(s->unsettled);
	for (i = 0; i < NBUCKETS; i++)
		free(s->wanted[i]);
	for (i = 0; i < s->nzones; i++)
		zone_free(s->zones[i]);
	free(s->zones);
	proven_free(s);
	free(s->early);
	free(s);
}

static void
lookup_done(void *arg, struct resolve_answer *a)
{
	struct lookup	*l = arg;

	l->ans = a;
	l->done = 1;
}

/*
 * The lookup (name, type); started when absent and start is set.  It
 * goes ahead of the CA's lookups still waiting for a place: a zone's
 * servers are asked only once these are in, and there are a handful per
 * zone, against one CA lookup or more per name.  Queued behind them, a
 * large run probed no server until its last names were resolved.
 */
static struct lookup *
lookup_get(struct servers *s, const char *qname, int qtype, int start)
{
	struct lookup	*l;
	size_t		 h = hash(qname, qtype);

	for (l = s->buckets[h]; l != NULL; l = l->next)
		if (l->qtype == qtype && strcmp(l->qname, qname) == 0)
			return l;
	if (!start)
		return NULL;
	if ((l = calloc(1, sizeof(*l))) == NULL ||
	    (l->qname = strdup(qname)) == NULL) {
		free(l);
		s->nomem = 1;
		return NULL;
	}
	l->qtype = qtype;
	if (resolve_query_ahead(s->r, qname, qtype, lookup_done, l) == -1) {
		l->done = 1;	/* stays without an answer */
	} else
		s->started++;
	l->next = s->buckets[h];
	s->buckets[h] = l;
	if (s->last != NULL)
		s->last->onext = l;
	else
		s->first = l;
	s->last = l;
	return l;
}

int
servers_lookup(const struct servers *s, const void **it, const char **qname,
    int *qtype, const struct resolve_answer **ans)
{
	const struct lookup	*l;

	l = *it == NULL ? s->first : ((const struct lookup *)*it)->onext;
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

static ldns_pkt *
packet_of(const struct lookup *l)
{
	ldns_pkt	*pkt = NULL;

	if (l == NULL || l->ans == NULL || l->ans->packet == NULL)
		return NULL;
	if (ldns_wire2pkt(&pkt, l->ans->packet, l->ans->packetlen) !=
	    LDNS_STATUS_OK)
		return NULL;
	return pkt;
}

/*
 * A hostile answer can carry records with missing RDATA fields: libldns
 * asserts on a NULL field, so every field is fetched through these.
 */
static const ldns_rdf *
field(const ldns_rr *rr, size_t i, ldns_rdf_type type, size_t size)
{
	const ldns_rdf	*f;

	if (ldns_rr_rd_count(rr) <= i || (f = ldns_rr_rdf(rr, i)) == NULL ||
	    ldns_rdf_get_type(f) != type ||
	    (size > 0 && ldns_rdf_size(f) != size))
		return NULL;
	return f;
}

/* The type an RRSIG covers, or 0 when it is malformed. */
static ldns_rr_type
covered(const ldns_rr *sig)
{
	const ldns_rdf	*f = field(sig, 0, LDNS_RDF_TYPE_TYPE, 2);

	return f != NULL ? ldns_rdf2rr_type(f) : 0;
}

static void
rdf_name(const ldns_rdf *rdf, char *out, size_t size)
{
	char	*t = rdf != NULL ? ldns_rdf2str(rdf) : NULL;

	norm(t ? t : "", out, size);
	free(t);
}

enum zres {
	Z_PENDING,
	Z_FAIL,
	Z_ALIAS,
	Z_FOUND
};

/* The zone holding qname, from its SOA lookup (RFC 2308 §3). */
static enum zres
zone_from_soa(const struct lookup *l, const char *qname, char *apex,
    size_t size)
{
	ldns_pkt	*pkt;
	ldns_rr_list	*sec;
	ldns_rr		*rr;
	size_t		 i;
	char		 owner[256];
	enum zres	 res = Z_FAIL;

	if (!l->done)
		return Z_PENDING;
	if (l->ans == NULL || l->ans->state != RESOLVE_DONE ||
	    (l->ans->rcode != 0 && l->ans->rcode != 3))
		return Z_FAIL;
	if ((pkt = packet_of(l)) == NULL)
		return Z_FAIL;
	sec = ldns_pkt_answer(pkt);
	for (i = 0; i < ldns_rr_list_rr_count(sec); i++) {
		rr = ldns_rr_list_rr(sec, i);
		rdf_name(ldns_rr_owner(rr), owner, sizeof(owner));
		if (strcmp(owner, qname) != 0)
			continue;
		if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_SOA) {
			norm(qname, apex, size);
			res = Z_FOUND;
			goto out;
		}
		if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_CNAME) {
			res = Z_ALIAS;
			goto out;
		}
	}
	/* A DNAME above, or a CNAME: the zone is the parent's. */
	if (ldns_rr_list_rr_count(sec) > 0) {
		res = Z_ALIAS;
		goto out;
	}
	sec = ldns_pkt_authority(pkt);
	for (i = 0; i < ldns_rr_list_rr_count(sec); i++) {
		rr = ldns_rr_list_rr(sec, i);
		if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_SOA) {
			rdf_name(ldns_rr_owner(rr), apex, size);
			res = Z_FOUND;
			goto out;
		}
	}
out:
	ldns_pkt_free(pkt);
	return res;
}

static const struct hint *
hint_of(const struct servers *s, const char *qname)
{
	const struct hint	*t;

	for (t = s->hints[hash(qname, 0)]; t != NULL; t = t->next)
		if (strcmp(t->qname, qname) == 0)
			return t;
	return NULL;
}

/* Is name the apex itself or below it? */
static int
under(const char *name, const char *apex)
{
	size_t	 n = strlen(name), a = strlen(apex);

	return strcmp(name, apex) == 0 || (n > a + 1 &&
	    name[n - a - 1] == '.' && strcmp(name + n - a, apex) == 0);
}

/*
 * The zone holding qname, as its answer shows it: the SOA of a negative
 * answer, the signer of a signed positive one.  Empty when the answer
 * does not say (an alias, an unsigned positive answer, a failure).
 */
static void
zone_in_pkt(const ldns_pkt *pkt, const char *qname, int qtype, char *apex,
    size_t size)
{
	ldns_rr_list	*sec;
	ldns_rr		*rr;
	size_t		 i;
	char		 owner[256];

	apex[0] = '\0';
	sec = ldns_pkt_answer(pkt);
	for (i = 0; i < ldns_rr_list_rr_count(sec); i++) {
		rr = ldns_rr_list_rr(sec, i);
		rdf_name(ldns_rr_owner(rr), owner, sizeof(owner));
		if (strcmp(owner, qname) != 0)
			return;		/* an alias's target, or a DNAME */
		if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_RRSIG &&
		    (int)covered(rr) == qtype)
			rdf_name(field(rr, 7, LDNS_RDF_TYPE_DNAME, 0), apex,
			    size);
		else if ((int)ldns_rr_get_type(rr) != qtype) {
			apex[0] = '\0';
			return;
		}
	}
	if (ldns_rr_list_rr_count(sec) == 0) {
		sec = ldns_pkt_authority(pkt);
		for (i = 0; i < ldns_rr_list_rr_count(sec); i++) {
			rr = ldns_rr_list_rr(sec, i);
			if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_SOA) {
				rdf_name(ldns_rr_owner(rr), apex, size);
				break;
			}
		}
	}
	if (apex[0] != '\0' && !under(qname, apex))
		apex[0] = '\0';
}

/* The answer's packet, parsed, when it can tell anything. */
static ldns_pkt *
answer_pkt(const struct resolve_answer *a)
{
	ldns_pkt	*pkt = NULL;

	if (a == NULL || a->state != RESOLVE_DONE || a->packet == NULL ||
	    a->dnssec == RESOLVE_BOGUS || (a->rcode != 0 && a->rcode != 3) ||
	    ldns_wire2pkt(&pkt, a->packet, a->packetlen) != LDNS_STATUS_OK)
		return NULL;
	return pkt;
}

static int	 rrsig_digest(const ldns_rr_list *, const ldns_rr *,
		    uint8_t *);

/* The records of (owner, ty) in a section, or NULL (out of memory). */
static ldns_rr_list *
rrset_of(const ldns_rr_list *sec, const ldns_rdf *owner, ldns_rr_type ty)
{
	ldns_rr_list	*rrset;
	size_t		 j;

	if ((rrset = ldns_rr_list_new()) == NULL)
		return NULL;
	for (j = 0; j < ldns_rr_list_rr_count(sec); j++) {
		ldns_rr *o = ldns_rr_list_rr(sec, j);

		if (ldns_rr_get_type(o) == ty &&
		    ldns_dname_compare(ldns_rr_owner(o), owner) == 0)
			(void)ldns_rr_list_push_rr(rrset, o);
	}
	return rrset;
}

/* Is rr an RRSIG over (owner, ty)? */
static int
signs(const ldns_rr *rr, const ldns_rdf *owner, ldns_rr_type ty)
{
	return ldns_rr_get_type(rr) == LDNS_RR_TYPE_RRSIG &&
	    covered(rr) == ty &&
	    ldns_dname_compare(ldns_rr_owner(rr), owner) == 0;
}

/* A digest's bucket in a table of n. */
static size_t
digest_bucket(const uint8_t *d, size_t n)
{
	return ((size_t)d[0] << 8 | d[1]) % n;
}

static int
is_proven(const struct servers *s, const uint8_t *d)
{
	const struct proven	*v;
	size_t			 h = digest_bucket(d, NBUCKETS);

	for (v = s->proven[h]; v != NULL; v = v->next)
		if (memcmp(v->digest, d, LDNS_SHA256_DIGEST_LENGTH) == 0)
			return 1;
	return 0;
}

/*
 * Remember every RRset of a secure answer that carries exactly one
 * RRSIG: the resolver verified that signature.  With more than one it
 * is not known which verified, and each is checked as it comes.
 */
static void
prove(struct servers *s, const ldns_pkt *pkt)
{
	ldns_rr_list	*secs[2], *rrset;
	struct proven	*v;
	size_t		 k, i, j, h, nsig;
	const ldns_rr	*sig;

	secs[0] = ldns_pkt_answer(pkt);
	secs[1] = ldns_pkt_authority(pkt);
	for (k = 0; k < 2; k++)
		for (i = 0; i < ldns_rr_list_rr_count(secs[k]); i++) {
			ldns_rr *rr = ldns_rr_list_rr(secs[k], i);
			ldns_rr_type ty = ldns_rr_get_type(rr);

			if (ty == LDNS_RR_TYPE_RRSIG)
				continue;
			/* Each RRset once: from its first record. */
			for (j = 0; j < i; j++) {
				ldns_rr *o = ldns_rr_list_rr(secs[k], j);

				if (ldns_rr_get_type(o) == ty &&
				    ldns_dname_compare(ldns_rr_owner(o),
				    ldns_rr_owner(rr)) == 0)
					break;
			}
			if (j < i)
				continue;
			if ((rrset = rrset_of(secs[k], ldns_rr_owner(rr),
			    ty)) == NULL) {
				s->nomem = 1;
				return;
			}
			sig = NULL;
			for (j = 0, nsig = 0; j < ldns_rr_list_rr_count(
			    secs[k]); j++)
				if (signs(ldns_rr_list_rr(secs[k], j),
				    ldns_rr_owner(rr), ty)) {
					sig = ldns_rr_list_rr(secs[k], j);
					nsig++;
				}
			/* A zone's SOA comes with every negative answer. */
			if (nsig == 1 && (v = calloc(1, sizeof(*v))) != NULL) {
				if (rrsig_digest(rrset, sig, v->digest) == -1 ||
				    is_proven(s, v->digest))
					free(v);
				else {
					h = digest_bucket(v->digest, NBUCKETS);
					v->next = s->proven[h];
					s->proven[h] = v;
					s->nproven++;
				}
			}
			ldns_rr_list_free(rrset);
		}
}

int
servers_hint(struct servers *s, const char *qname, int qtype,
    const struct resolve_answer *a)
{
	struct hint	*t;
	struct lookup	*ns, **e;
	char		 apex[256];
	size_t		 h;
	ldns_pkt	*pkt;

	if ((pkt = answer_pkt(a)) == NULL)
		return 0;
	if (a->dnssec == RESOLVE_SECURE)
		prove(s, pkt);
	zone_in_pkt(pkt, qname, qtype, apex, sizeof(apex));
	ldns_pkt_free(pkt);
	if (apex[0] == '\0' || hint_of(s, qname) != NULL)
		return 0;
	if ((t = calloc(1, sizeof(*t))) == NULL ||
	    (t->qname = strdup(qname)) == NULL ||
	    (t->apex = strdup(apex)) == NULL) {
		if (t != NULL)
			free(t->qname);
		free(t);
		return -1;
	}
	h = hash(qname, 0);
	t->next = s->hints[h];
	s->hints[h] = t;
	/*
	 * What the zone's check will need, asked now: the name itself may
	 * wait for other levels' answers before it is decided and its
	 * zones are probed.  The servers' addresses follow from the NS
	 * answer (servers_step), so that they are known by then too.
	 */
	if (lookup_get(s, apex, T_SOA, 1) == NULL)
		return -1;
	if ((ns = lookup_get(s, apex, T_NS, 0)) == NULL) {
		if ((ns = lookup_get(s, apex, T_NS, 1)) == NULL ||
		    (e = reallocarray(s->early, s->nearly + 1,
		    sizeof(*e))) == NULL)
			return -1;
		s->early = e;
		s->early[s->nearly++] = ns;
	}
	if (a != NULL && a->dnssec == RESOLVE_SECURE && ours_to_probe(apex) &&
	    lookup_get(s, apex, T_DNSKEY, 1) == NULL)
		return -1;
	return 0;
}

/* Walk up from qname through aliases to the zone holding it. */
static enum zres
find_zone(struct servers *s, const char *qname, char *apex, size_t size)
{
	const char	*name = qname;
	struct lookup	*l;
	enum zres	 r;

	while (name != NULL) {
		const struct hint *t = hint_of(s, name);

		if (t != NULL) {
			(void)snprintf(apex, size, "%s", t->apex);
			return Z_FOUND;
		}
		if ((l = lookup_get(s, name, T_SOA, 1)) == NULL)
			return Z_FAIL;
		if (l->zres == 0 && l->done) {
			/* Parse the answer once; keep only the verdict. */
			r = zone_from_soa(l, name, apex, size);
			l->zres = (int)r + 1;
			if (r == Z_FOUND)
				l->apex = strdup(apex);
		}
		r = l->zres ? (enum zres)(l->zres - 1) : Z_PENDING;
		if (r == Z_FOUND && l->apex != NULL) {
			(void)snprintf(apex, size, "%s", l->apex);
			return r;
		}
		if (r == Z_FOUND)
			return Z_FAIL;	/* out of memory */
		if (r != Z_ALIAS)
			return r;
		name = parent_of(name);
	}
	return Z_FAIL;
}

static struct srv_zone *
zone_get(struct servers *s, const char *apex)
{
	struct srv_zone	**v, *z;
	struct zpriv	 *zp;
	size_t		  h = hash(apex, 0);

	for (z = s->zbuckets[h]; z != NULL; z = zp->hnext) {
		zp = z->priv;
		if (strcmp(z->apex, apex) == 0)
			return z;
	}
	if ((z = calloc(1, sizeof(*z))) == NULL ||
	    (z->apex = strdup(apex)) == NULL ||
	    (z->priv = calloc(1, sizeof(struct zpriv))) == NULL) {
		if (z != NULL)
			free(z->apex);
		free(z);
		return NULL;
	}
	if (s->nzones == s->zcap) {
		size_t	 ncap = s->zcap ? s->zcap * 2 : 16;

		if ((v = reallocarray(s->zones, ncap, sizeof(*v))) == NULL) {
			zone_free(z);
			return NULL;
		}
		s->zones = v;
		s->zcap = ncap;
	}
	s->zones[s->nzones++] = z;
	zp = z->priv;
	zp->s = s;
	zp->hnext = s->zbuckets[h];
	s->zbuckets[h] = z;
	return z;
}

static int
push(char ***v, size_t *n, const char *str)
{
	char	**nv, *d;
	size_t	  i;

	for (i = 0; i < *n; i++)
		if (strcmp((*v)[i], str) == 0)
			return 0;
	if ((d = strdup(str)) == NULL ||
	    (nv = reallocarray(*v, *n + 1, sizeof(*nv))) == NULL) {
		free(d);
		return -1;
	}
	nv[(*n)++] = d;
	*v = nv;
	return 0;
}

/* A wanted name into its zone; each want settles once, so no scan. */
static int
zone_add_name(struct srv_zone *z, const char *qname, int qtype)
{
	char	**v, *d;
	int	 *t;

	if ((t = reallocarray(z->types, z->nnames + 1, sizeof(*t))) == NULL)
		return -1;
	z->types = t;
	if ((v = reallocarray(z->names, z->nnames + 1, sizeof(*v))) == NULL)
		return -1;
	z->names = v;
	if ((d = strdup(qname)) == NULL)
		return -1;
	t[z->nnames] = qtype;
	v[z->nnames++] = d;
	/* Every server of the zone has a new name to be asked. */
	((struct zpriv *)z->priv)->settled = 0;
	return 0;
}

/* NS names from an NS lookup's answer for owner. */
static int
ns_names(const struct lookup *l, const char *owner, char ***v, size_t *n)
{
	ldns_pkt	*pkt;
	ldns_rr_list	*sec;
	size_t		 i;
	char		 o[256], t[256];
	int		 rc = 0;

	if ((pkt = packet_of(l)) == NULL)
		return 0;
	sec = ldns_pkt_answer(pkt);
	for (i = 0; i < ldns_rr_list_rr_count(sec); i++) {
		ldns_rr *rr = ldns_rr_list_rr(sec, i);

		if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_NS)
			continue;
		rdf_name(ldns_rr_owner(rr), o, sizeof(o));
		if (strcmp(o, owner) != 0)
			continue;
		rdf_name(field(rr, 0, LDNS_RDF_TYPE_DNAME, 0), t, sizeof(t));
		if (t[0] != '\0' && push(v, n, t) == -1)
			rc = -1;
	}
	ldns_pkt_free(pkt);
	return rc;
}

/* The addresses of a host from its A and AAAA lookups. */
static size_t
host_addrs(struct servers *s, const char *host, char out[][INET6_ADDRSTRLEN],
    size_t max, int *pending)
{
	struct lookup	*l[2];
	size_t		 n = 0, i, k;

	l[0] = lookup_get(s, host, T_A, 1);
	l[1] = lookup_get(s, host, T_AAAA, 1);
	for (k = 0; k < 2; k++) {
		if (l[k] == NULL)
			continue;
		if (!l[k]->done) {
			*pending = 1;
			continue;
		}
		if (l[k]->ans == NULL || l[k]->ans->state != RESOLVE_DONE)
			continue;
		for (i = 0; i < l[k]->ans->nrdata && n < max; i++) {
			if (k == 0 && l[k]->ans->rdlen[i] == 4)
				inet_ntop(AF_INET, l[k]->ans->rdata[i], out[n++],
				    INET6_ADDRSTRLEN);
			else if (k == 1 && l[k]->ans->rdlen[i] == 16)
				inet_ntop(AF_INET6, l[k]->ans->rdata[i],
				    out[n++], INET6_ADDRSTRLEN);
		}
	}
	return n;
}

static void	seen_take(const struct srv_zone *, struct srv_seen *,
		    ldns_pkt *);

/* What every direct query's result records, whatever it was for. */
static void
seen_result(struct srv_seen *q, const struct probe_result *r)
{
	q->done = 1;
	q->state = r->state;
	q->tcp = r->tcp;
	q->ms = r->ms;
	(void)snprintf(q->err, sizeof(q->err), "%s", r->err);
}

static void
probed(void *arg, struct probe_result *r)
{
	struct ticket		*t = arg;
	struct srv_zone		*z = t->zone;
	struct srv_seen		*q;
	struct deleg		*d = &((struct zpriv *)z->priv)->deleg;

	if (t->q == -2) {
		/* The delegation, as a parent server gives it. */
		struct srv_seen	*ns = &z->parents[t->server].ns;
		ldns_rr_list	*sec;
		size_t		 i, k;
		char		 o[256], n[256];

		d->pending = 0;
		seen_result(ns, r);
		if (r->pkt != NULL) {
			ns->rcode = ldns_pkt_get_rcode(r->pkt);
			ns->aa = ldns_pkt_aa(r->pkt);
		}
		if (r->state == PROBE_ANSWER) {
			for (k = 0; k < 2 && !z->parent_known; k++) {
				sec = k == 0 ? ldns_pkt_authority(r->pkt) :
				    ldns_pkt_answer(r->pkt);
				for (i = 0; i < ldns_rr_list_rr_count(sec);
				    i++) {
					ldns_rr *rr = ldns_rr_list_rr(sec, i);

					if (ldns_rr_get_type(rr) !=
					    LDNS_RR_TYPE_NS)
						continue;
					rdf_name(ldns_rr_owner(rr), o,
					    sizeof(o));
					if (strcmp(o, z->apex) != 0)
						continue;
					rdf_name(field(rr, 0,
					    LDNS_RDF_TYPE_DNAME, 0), n,
					    sizeof(n));
					if (n[0] == '\0')
						continue;
					(void)push(&z->parent_ns, &z->nparent,
					    n);
					z->parent_known = 1;
				}
			}
		}
		ldns_pkt_free(r->pkt);
		if (!z->parent_known && d->next >= z->nparents)
			d->failed = 1;
		free(t);
		return;
	}
	if (t->server >= z->nservers) {
		ldns_pkt_free(r->pkt);
		free(t);
		return;
	}
	q = t->q == -1 ? &z->servers[t->server].soa :
	    &z->servers[t->server].q[t->q];
	seen_result(q, r);
	if (r->state == PROBE_ANSWER)
		seen_take(z, q, r->pkt);
	free(t);
}

static int
send_probe(struct servers *s, struct srv_zone *z, size_t server, long qi,
    const char *addr, const char *qname, int qtype)
{
	struct ticket	*t;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return -1;
	t->zone = z;
	t->server = server;
	t->q = qi;
	if (probe_query(s->p, addr, qname, qtype, probed, t) == -1) {
		free(t);
		return -1;
	}
	s->started++;
	return 0;
}

/* The server (host, addr) of a zone, with every probe it needs sent. */
static int
server_ensure(struct servers *s, struct srv_zone *z, const char *host,
    const char *addr)
{
	struct srv_server	*v, *sv = NULL;
	struct srv_seen		*q;
	size_t			 i;

	for (i = 0; i < z->nservers; i++)
		if (strcmp(z->servers[i].host, host) == 0 &&
		    strcmp(z->servers[i].addr, addr) == 0) {
			sv = &z->servers[i];
			break;
		}
	if (sv == NULL) {
		v = reallocarray(z->servers, z->nservers + 1, sizeof(*v));
		if (v == NULL)
			return -1;
		z->servers = v;
		sv = &v[z->nservers];
		memset(sv, 0, sizeof(*sv));
		if ((sv->host = strdup(host)) == NULL ||
		    (sv->addr = strdup(addr)) == NULL ||
		    (sv->soa.qname = strdup(z->apex)) == NULL)
			return -1;
		sv->soa.qtype = T_SOA;
		sv->soa.serial = -1;
		i = z->nservers++;
		if (send_probe(s, z, i, -1, addr, z->apex, T_SOA) == -1)
			return -1;
	}
	/* Names added to the zone since: probe them too. */
	while (sv->nq < z->nnames) {
		q = reallocarray(sv->q, sv->nq + 1, sizeof(*q));
		if (q == NULL)
			return -1;
		sv->q = q;
		q = &sv->q[sv->nq];
		memset(q, 0, sizeof(*q));
		q->serial = -1;
		q->qtype = z->types[sv->nq];
		if ((q->qname = strdup(z->names[sv->nq])) == NULL)
			return -1;
		if (send_probe(s, z, i, (long)sv->nq, addr, q->qname,
		    q->qtype) == -1)
			return -1;
		sv->nq++;
	}
	return 0;
}

/* Returns whether an address lookup is still pending. */
static int
ensure_hosts(struct servers *s, struct srv_zone *z, char **hosts, size_t n)
{
	char	 addrs[16][INET6_ADDRSTRLEN];
	size_t	 i, j, na;
	int	 pending = 0;

	for (i = 0; i < n; i++) {
		na = host_addrs(s, hosts[i], addrs, 16, &pending);
		for (j = 0; j < na; j++)
			if (server_ensure(s, z, hosts[i], addrs[j]) == -1)
				s->nomem = 1;
	}
	return pending;
}

/* Ask the parent's servers, one at a time, for the delegation. */
static void
delegation(struct servers *s, struct srv_zone *z)
{
	struct deleg	*d = &((struct zpriv *)z->priv)->deleg;
	char		 apex[256], **hosts = NULL;
	char		 addrs[4][INET6_ADDRSTRLEN];
	size_t		 nhosts = 0, i, j, na;
	struct lookup	*l;
	enum zres	 r;
	int		 pending = 0;

	if (z->parent_known || d->failed || d->parent_failed || d->pending)
		return;
	if (z->parent == NULL) {
		r = find_zone(s, parent_of(z->apex), apex, sizeof(apex));
		if (r == Z_FAIL) {
			d->parent_failed = 1;
			return;
		}
		if (r != Z_FOUND || (z->parent = strdup(apex)) == NULL)
			return;
	}
	if ((l = lookup_get(s, z->parent, T_NS, 1)) == NULL || !l->done)
		return;
	if (ns_names(l, z->parent, &hosts, &nhosts) == -1)
		s->nomem = 1;
	for (i = 0; i < nhosts && z->nparents < SRV_PARENT_TRIES; i++) {
		na = host_addrs(s, hosts[i], addrs, 4, &pending);
		for (j = 0; j < na && z->nparents < SRV_PARENT_TRIES; j++) {
			struct srv_parent *pa = &z->parents[z->nparents];
			size_t k;

			for (k = 0; k < z->nparents; k++)
				if (strcmp(z->parents[k].addr, addrs[j]) == 0)
					break;
			if (k < z->nparents)
				continue;
			pa->host = strdup(hosts[i]);
			pa->addr = strdup(addrs[j]);
			if (pa->host == NULL || pa->addr == NULL) {
				free(pa->host);
				free(pa->addr);
				pa->host = pa->addr = NULL;
				s->nomem = 1;
				continue;
			}
			z->nparents++;
		}
	}
	strv_free(hosts, nhosts);
	if (d->next < z->nparents) {
		if (send_probe(s, z, d->next, -2, z->parents[d->next].addr,
		    z->apex, T_NS) == 0)
			d->pending = 1;
		d->next++;
	} else if (!pending && nhosts > 0)
		d->failed = 1;
	else if (nhosts == 0 && l->done)
		d->failed = 1;
}

static void
dnskeys(struct servers *s, struct srv_zone *z)
{
	struct lookup	*l;
	ldns_pkt	*pkt;
	ldns_rr_list	*ans;
	size_t		 i;

	if (!z->secure || z->dnskeys != NULL)
		return;
	if ((l = lookup_get(s, z->apex, T_DNSKEY, 1)) == NULL || !l->done)
		return;
	if (l->ans == NULL || l->ans->dnssec != RESOLVE_SECURE ||
	    (pkt = packet_of(l)) == NULL) {
		z->secure = 0;	/* cannot check what we cannot trust */
		return;
	}
	z->dnskeys = ldns_rr_list_new();
	ans = ldns_pkt_answer(pkt);
	for (i = 0; i < ldns_rr_list_rr_count(ans); i++)
		if (ldns_rr_get_type(ldns_rr_list_rr(ans, i)) ==
		    LDNS_RR_TYPE_DNSKEY)
			ldns_rr_list_push_rr(z->dnskeys,
			    ldns_rr_clone(ldns_rr_list_rr(ans, i)));
	ldns_pkt_free(pkt);
}

/* Everything a zone needs started; returns 1 when nothing is left. */
static int
zone_step(struct servers *s, struct srv_zone *z)
{
	struct deleg	*d = &((struct zpriv *)z->priv)->deleg;
	struct lookup	*soa, *ns;
	int		 pending;

	soa = lookup_get(s, z->apex, T_SOA, 1);
	if (soa != NULL && soa->done && soa->ans != NULL &&
	    soa->ans->dnssec == RESOLVE_SECURE && z->dnskeys == NULL)
		z->secure = 1;
	dnskeys(s, z);
	ns = lookup_get(s, z->apex, T_NS, 1);
	if (ns != NULL && ns->done && z->nchild == 0 &&
	    ns_names(ns, z->apex, &z->child_ns, &z->nchild) == -1)
		s->nomem = 1;
	delegation(s, z);
	pending = ensure_hosts(s, z, z->child_ns, z->nchild);
	pending |= ensure_hosts(s, z, z->parent_ns, z->nparent);
	if (s->nomem)
		return 1;
	return !pending && (soa == NULL || soa->done) &&
	    (ns == NULL || ns->done) && (!z->secure || z->dnskeys != NULL) &&
	    !d->pending && (z->parent_known || d->failed || d->parent_failed);
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
		if (ns_names(ns, ns->qname, &hosts, &nhosts) == -1)
			s->nomem = 1;
		for (j = 0; j < nhosts; j++)
			if (lookup_get(s, hosts[j], T_A, 1) == NULL ||
			    lookup_get(s, hosts[j], T_AAAA, 1) == NULL)
				s->nomem = 1;
		strv_free(hosts, nhosts);
	}
	s->nearly = keep;
}

int
servers_step(struct servers *s)
{
	struct srv_zone	*z;
	struct zpriv	*zp;
	char		 apex[256];
	size_t		 i, keep = 0;

	s->started = 0;
	early_step(s);
	/* Only what can still change is looked at: steps come often. */
	for (i = 0; i < s->nunsettled; i++) {
		struct want *w = &s->wants[s->unsettled[i]];

		switch (find_zone(s, w->qname, apex, sizeof(apex))) {
		case Z_PENDING:
		case Z_ALIAS:
			s->unsettled[keep++] = s->unsettled[i];
			continue;
		case Z_FAIL:
			break;
		case Z_FOUND:
			if (!ours_to_probe(apex))
				break;
			if ((z = zone_get(s, apex)) == NULL ||
			    zone_add_name(z, w->qname, w->qtype) == -1) {
				s->nomem = 1;
				break;
			}
			w->zone = z;
			break;
		}
		w->unsettled = 0;
	}
	s->nunsettled = keep;
	for (i = 0; i < s->nzones; i++) {
		z = s->zones[i];
		zp = z->priv;
		if (!zp->settled)
			zp->settled = zone_step(s, z);
	}
	return s->started;
}

/* ---- analysis ---- */

static void
finding(struct srv_zone *z, int error, const struct srv_server *sv,
    const char *name, const char *fix, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static void
finding(struct srv_zone *z, int error, const struct srv_server *sv,
    const char *name, const char *fix, const char *fmt, ...)
{
	struct srv_finding	*v, *f;
	va_list			 ap;

	if ((v = reallocarray(z->findings, z->nfindings + 1,
	    sizeof(*v))) == NULL)
		return;
	z->findings = v;
	f = &v[z->nfindings++];
	memset(f, 0, sizeof(*f));
	f->error = error;
	if (sv != NULL) {
		f->server = strdup(sv->host);
		f->addr = strdup(sv->addr);
	}
	f->name = name ? strdup(name) : NULL;
	f->fix = fix ? strdup(fix) : NULL;
	va_start(ap, fmt);
	if (vasprintf(&f->msg, fmt, ap) == -1)
		f->msg = NULL;
	va_end(ap);
	if (error)
		z->nerrors++;
}

static const char *
rcode_str(int rcode)
{
	static const char *const n[] = { "NOERROR", "FORMERR", "SERVFAIL",
	    "NXDOMAIN", "NOTIMP", "REFUSED" };

	return rcode >= 0 && rcode < 6 ? n[rcode] : "an unknown rcode";
}

static int
cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static const char *signatures_bad(const struct srv_zone *, ldns_pkt *,
		    char *, size_t);

/*
 * Keep what the analysis needs from an answer, and free it: the answer
 * records as sorted text (what servers are compared on), the serial,
 * whether the SOA came with a negative answer, and for signed zones the
 * signature check's verdict, or the wire form to check later when the
 * zone's keys are not known yet.  Thousands of parsed packets held until
 * the end would cost far more memory than this.
 */
static void
seen_take(const struct srv_zone *z, struct srv_seen *q, ldns_pkt *pkt)
{
	ldns_rr_list	*ans;
	size_t		 i, j;
	char		*t, **v;

	if (pkt == NULL)
		return;
	q->rcode = ldns_pkt_get_rcode(pkt);
	q->aa = ldns_pkt_aa(pkt);
	for (i = 0; i < ldns_rr_list_rr_count(ldns_pkt_authority(pkt)); i++)
		if (ldns_rr_get_type(ldns_rr_list_rr(ldns_pkt_authority(pkt),
		    i)) == LDNS_RR_TYPE_SOA)
			q->soa_in_auth = 1;
	if (z->secure && z->dnskeys != NULL) {
		/* The zone's keys are known: check now, keep the verdict. */
		char	 what[512];

		q->sig_checked = 1;
		if ((q->sig_why = signatures_bad(z, pkt, what,
		    sizeof(what))) != NULL &&
		    (q->sig_what = strdup(what)) == NULL)
			q->sig_checked = 0;
	}
	if (z->secure && !q->sig_checked)
		(void)probe_pkt2wire(pkt, &q->wire, &q->wirelen);
	ans = ldns_pkt_answer(pkt);
	for (i = 0; i < ldns_rr_list_rr_count(ans); i++) {
		ldns_rr		*rr = ldns_rr_list_rr(ans, i);
		ldns_rr_type	 ty = ldns_rr_get_type(rr);
		char		 line[2048], *tn;
		size_t		 len;

		if (ty == LDNS_RR_TYPE_RRSIG)
			continue;
		if (ty == LDNS_RR_TYPE_SOA) {
			const ldns_rdf *f = field(rr, 2, LDNS_RDF_TYPE_INT32,
			    4);

			if (f != NULL)
				q->serial = (long)ldns_rdf2native_int32(f);
			continue;
		}
		tn = ldns_rr_type2str(ty);
		len = (size_t)snprintf(line, sizeof(line), "%s", tn ? tn : "?");
		free(tn);
		for (j = 0; j < ldns_rr_rd_count(rr) && len < sizeof(line);
		    j++) {
			t = ldns_rr_rdf(rr, j) != NULL ?
			    ldns_rdf2str(ldns_rr_rdf(rr, j)) : NULL;
			len += (size_t)snprintf(line + len, sizeof(line) - len,
			    " %s", t ? t : "?");
			free(t);
		}
		if ((v = reallocarray(q->records, q->nrecords + 1,
		    sizeof(*v))) == NULL)
			break;
		q->records = v;
		if ((v[q->nrecords] = strdup(line)) != NULL)
			q->nrecords++;
	}
	if (q->nrecords > 1)
		qsort(q->records, q->nrecords, sizeof(*q->records), cmpstr);
	ldns_pkt_free(pkt);
}

/* An answer usable for comparison: authoritative NOERROR/NXDOMAIN. */
static int
usable(const struct srv_seen *q)
{
	return q->done && q->state == PROBE_ANSWER && q->aa &&
	    (q->rcode == 0 || q->rcode == 3);
}

/* Room kept for "; and N more records". */
#define RRSET_MORE	40

static void
rrset_text(const struct srv_seen *q, char *buf, size_t size)
{
	size_t	 i, len = 0;

	if (q->rcode == 3) {
		(void)snprintf(buf, size, "NXDOMAIN");
		return;
	}
	if (q->nrecords == 0) {
		(void)snprintf(buf, size, "no records");
		return;
	}
	/* Records that do not fit whole are counted, not cut. */
	buf[0] = '\0';
	for (i = 0; i < q->nrecords; i++) {
		if (len + strlen(q->records[i]) + 2 + RRSET_MORE >= size)
			break;
		len += (size_t)snprintf(buf + len, size - len, "%s%s",
		    i ? "; " : "", q->records[i]);
	}
	if (i < q->nrecords)
		(void)snprintf(buf + len, size - len, "%s%zu more record%s",
		    i ? "; and " : "", q->nrecords - i,
		    q->nrecords - i == 1 ? "" : "s");
}

static int
same_records(const struct srv_seen *a, const struct srv_seen *b)
{
	size_t	 i;

	if (a->rcode != b->rcode || a->nrecords != b->nrecords)
		return 0;
	for (i = 0; i < a->nrecords; i++)
		if (strcmp(a->records[i], b->records[i]) != 0)
			return 0;
	return 1;
}

/* Is owner in the zone (at or below the apex)? */
static int
in_zone(const ldns_rdf *owner, const ldns_rdf *apex)
{
	return ldns_dname_compare(owner, apex) == 0 ||
	    ldns_dname_is_subdomain(owner, apex);
}

/* A CNAME synthesised from a DNAME above it is never signed (RFC 6672). */
static int
synthesised(const ldns_rr_list *sec, const ldns_rr *cname)
{
	size_t	 i;

	for (i = 0; i < ldns_rr_list_rr_count(sec); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(sec, i);

		if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_DNAME &&
		    ldns_dname_is_subdomain(ldns_rr_owner(cname),
		    ldns_rr_owner(rr)))
			return 1;
	}
	return 0;
}

static int
cmpdigest(const void *a, const void *b)
{
	return memcmp(a, b, LDNS_SHA256_DIGEST_LENGTH);
}

/* One record without its TTL: owner in lower case, type, class, RDATA. */
static int
rr_digest(ldns_buffer *b, const ldns_rr *rr, uint8_t *d)
{
	size_t		 at;
	ldns_sha256_CTX	 ctx;

	ldns_buffer_clear(b);
	if (ldns_rdf2buffer_wire_canonical(b, ldns_rr_owner(rr)) !=
	    LDNS_STATUS_OK)
		return -1;
	ldns_buffer_write_u16(b, (uint16_t)ldns_rr_get_type(rr));
	ldns_buffer_write_u16(b, (uint16_t)ldns_rr_get_class(rr));
	at = ldns_buffer_position(b);
	ldns_buffer_write_u16(b, 0);
	if (ldns_rr_rdata2buffer_wire(b, rr) != LDNS_STATUS_OK ||
	    !ldns_buffer_status_ok(b))
		return -1;
	ldns_buffer_write_u16_at(b, at,
	    (uint16_t)(ldns_buffer_position(b) - at - 2));
	ldns_sha256_init(&ctx);
	ldns_sha256_update(&ctx, ldns_buffer_begin(b), ldns_buffer_position(b));
	ldns_sha256_final(d, &ctx);
	return 0;
}

/*
 * The digest of an RRset and one RRSIG over it, as far as the signature
 * check sees them: TTLs (which caches count down), the case of owner
 * names and the order of the records do not count; the RDATA of every
 * record and the RRSIG's, with its signature, do.
 */
static int
rrsig_digest(const ldns_rr_list *rrset, const ldns_rr *sig, uint8_t *d)
{
	uint8_t		 one[LDNS_SHA256_DIGEST_LENGTH], *all;
	ldns_buffer	*b;
	ldns_sha256_CTX	 ctx;
	size_t		 i, n = ldns_rr_list_rr_count(rrset);
	int		 rc = -1;

	if ((b = ldns_buffer_new(512)) == NULL)
		return -1;
	if ((all = calloc(n + 1, LDNS_SHA256_DIGEST_LENGTH)) == NULL)
		goto out;
	for (i = 0; i < n; i++)
		if (rr_digest(b, ldns_rr_list_rr(rrset, i),
		    all + i * LDNS_SHA256_DIGEST_LENGTH) == -1)
			goto out;
	qsort(all, n, LDNS_SHA256_DIGEST_LENGTH, cmpdigest);
	if (rr_digest(b, sig, one) == -1)
		goto out;
	ldns_sha256_init(&ctx);
	ldns_sha256_update(&ctx, all, n * LDNS_SHA256_DIGEST_LENGTH);
	ldns_sha256_update(&ctx, one, sizeof(one));
	ldns_sha256_final(d, &ctx);
	rc = 0;
out:
	free(all);
	ldns_buffer_free(b);
	return rc;
}

/*
 * Check one RRSIG over an RRset, once per run.  The same records and
 * signature as a secure answer of the resolver's carried, made by this
 * zone's keys, verify as they did there: no check of our own.
 */
static ldns_status
verify_once(const struct srv_zone *z, ldns_rr_list *rrset, ldns_rr *sig)
{
	struct zpriv		*zp = z->priv;
	struct verified		*v;
	ldns_rr_list		*good;
	uint8_t			 d[LDNS_SHA256_DIGEST_LENGTH];
	char			 signer[256];
	ldns_status		 st;
	size_t			 h;
	int			 proven = 0;

	if (rrsig_digest(rrset, sig, d) == -1)
		return LDNS_STATUS_MEM_ERR;
	h = digest_bucket(d, NVERIFIED);
	for (v = zp->verified[h]; v != NULL; v = v->next)
		if (memcmp(v->digest, d, sizeof(d)) == 0)
			return v->st;
	if (zp->s != NULL && is_proven(zp->s, d)) {
		rdf_name(field(sig, 7, LDNS_RDF_TYPE_DNAME, 0), signer,
		    sizeof(signer));
		proven = strcmp(signer, z->apex) == 0;
	}
	if (proven)
		st = LDNS_STATUS_OK;
	else {
		good = ldns_rr_list_new();
		st = ldns_verify_rrsig_keylist(rrset, sig, z->dnskeys, good);
		ldns_rr_list_free(good);
	}
	if ((v = calloc(1, sizeof(*v))) != NULL) {
		memcpy(v->digest, d, sizeof(d));
		v->st = st;
		v->next = zp->verified[h];
		zp->verified[h] = v;
	}
	return st;
}

/* NULL when an RRSIG over (owner, ty) verifies, else why not. */
static const char *
verify_rrset(const struct srv_zone *z, const ldns_rr_list *sec,
    const ldns_rdf *owner, ldns_rr_type ty)
{
	ldns_rr_list	*rrset;
	ldns_status	 st = LDNS_STATUS_CRYPTO_NO_RRSIG;
	size_t		 j;
	int		 ok = 0;

	if ((rrset = rrset_of(sec, owner, ty)) == NULL)
		return ldns_get_errorstr_by_id(LDNS_STATUS_MEM_ERR);
	for (j = 0; j < ldns_rr_list_rr_count(sec) && !ok; j++) {
		ldns_rr *sig = ldns_rr_list_rr(sec, j);

		if (!signs(sig, owner, ty))
			continue;
		st = verify_once(z, rrset, sig);
		ok = st == LDNS_STATUS_OK;
	}
	ldns_rr_list_free(rrset);
	if (ok)
		return NULL;
	return ldns_get_errorstr_by_id(st) ? ldns_get_errorstr_by_id(st) :
	    "signature does not verify";
}

/*
 * RFC 4035 §5.3: every RRset of the zone in the answer and in the denial
 * must carry a signature that verifies, now, with the zone's DNSKEYs as
 * the validating resolver proved them.  Each RRset is checked once.
 */
static const char *
signatures_bad(const struct srv_zone *z, ldns_pkt *pkt, char *what,
    size_t size)
{
	ldns_rr_list	*secs[2], *sec;
	ldns_rdf	*apex, *done_owner[32];
	ldns_rr_type	 done_type[32];
	size_t		 k, i, d, ndone = 0;
	const char	*why = NULL;

	if ((apex = ldns_dname_new_frm_str(z->apex)) == NULL)
		return NULL;
	secs[0] = ldns_pkt_answer(pkt);
	secs[1] = ldns_pkt_authority(pkt);
	for (k = 0; k < 2 && why == NULL; k++) {
		sec = secs[k];
		for (i = 0; i < ldns_rr_list_rr_count(sec) && why == NULL;
		    i++) {
			ldns_rr		*rr = ldns_rr_list_rr(sec, i);
			ldns_rr_type	 ty = ldns_rr_get_type(rr);
			ldns_rdf	*owner = ldns_rr_owner(rr);

			if (ty == LDNS_RR_TYPE_RRSIG ||
			    (k == 1 && ty == LDNS_RR_TYPE_NS) ||
			    !in_zone(owner, apex) ||
			    (ty == LDNS_RR_TYPE_CNAME && synthesised(sec, rr)))
				continue;
			for (d = 0; d < ndone; d++)
				if (done_type[d] == ty && ldns_dname_compare(
				    done_owner[d], owner) == 0)
					break;
			if (d < ndone)
				continue;
			if (ndone < 32) {
				done_owner[ndone] = owner;
				done_type[ndone++] = ty;
			}
			if ((why = verify_rrset(z, sec, owner, ty)) != NULL) {
				char *o = ldns_rdf2str(owner);
				char *t = ldns_rr_type2str(ty);

				(void)snprintf(what, size, "%s %s", o ? o : "?",
				    t ? t : "?");
				free(o);
				free(t);
			}
		}
	}
	ldns_rdf_deep_free(apex);
	return why;
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

static int
cmpserver(const void *a, const void *b)
{
	const struct srv_server	*x = a, *y = b;
	int			 c = strcmp(x->host, y->host);

	return c != 0 ? c : strcmp(x->addr, y->addr);
}

/* A lookup the run's deadline cut short. */
static int
cut(const struct lookup *l)
{
	return l != NULL && (!l->done ||
	    (l->ans != NULL && l->ans->state == RESOLVE_TIMEOUT));
}

/*
 * How many of the lookups a zone's check needed the deadline cut short:
 * its own SOA, NS and DNSKEY, its parent's NS set, its servers'
 * addresses.  The servers whose addresses did not come go into hosts.
 */
static size_t
cut_lookups(struct servers *s, const struct srv_zone *z, char **hosts)
{
	static const int	 own[] = { T_SOA, T_NS, T_DNSKEY };
	size_t			 i, k, n = 0;
	char			**v, *more;
	size_t			 nv;

	*hosts = NULL;
	for (i = 0; i < sizeof(own) / sizeof(own[0]); i++)
		n += cut(lookup_get(s, z->apex, own[i], 0));
	if (z->parent != NULL)
		n += cut(lookup_get(s, z->parent, T_NS, 0));
	for (k = 0; k < 2; k++) {
		v = k == 0 ? z->child_ns : z->parent_ns;
		nv = k == 0 ? z->nchild : z->nparent;
		for (i = 0; i < nv; i++) {
			int c = cut(lookup_get(s, v[i], T_A, 0)) +
			    cut(lookup_get(s, v[i], T_AAAA, 0));

			if (c == 0)
				continue;
			n += c;
			/* Listed by both parent and child: named once. */
			if (k == 1 && listed(z->child_ns, z->nchild, v[i]))
				continue;
			if (asprintf(&more, "%s%s%s", *hosts ? *hosts : "",
			    *hosts ? ", " : "", v[i]) == -1)
				continue;
			free(*hosts);
			*hosts = more;
		}
	}
	return n;
}

static void
analyse_zone(struct servers *s, struct srv_zone *z)
{
	char		 fix[512], a[1024], b[1024], *hosts;
	char		*before = NULL, *list = NULL;
	FILE		*f;
	size_t		 i, j, k, len, ncut;
	int		 differs = 0, rc;
	long		 serial = -1;

	/* Every probe is answered: order the report, not the arrival. */
	if (z->nservers > 1)
		qsort(z->servers, z->nservers, sizeof(*z->servers), cmpserver);
	if (z->nchild > 1)
		qsort(z->child_ns, z->nchild, sizeof(*z->child_ns), cmpstr);
	if (z->nparent > 1)
		qsort(z->parent_ns, z->nparent, sizeof(*z->parent_ns), cmpstr);

	for (i = 0; i < z->nservers; i++) {
		struct srv_server *sv = &z->servers[i];

		sv->in_parent = listed(z->parent_ns, z->nparent, sv->host);
		sv->in_child = listed(z->child_ns, z->nchild, sv->host);
	}

	/*
	 * A query the deadline cut short says nothing about the server:
	 * no finding from it, but say the check is incomplete.  So too
	 * when the servers themselves were not all found in time: a
	 * server never asked must not pass for one that answered.
	 */
	for (i = 0, k = 0; i < z->nservers; i++) {
		if (z->servers[i].soa.state == PROBE_CANCELLED)
			k++;
		for (j = 0; j < z->servers[i].nq; j++)
			if (z->servers[i].q[j].state == PROBE_CANCELLED)
				k++;
	}
	ncut = cut_lookups(s, z, &hosts);
	rc = 0;
	if (hosts != NULL)
		rc = asprintf(&before, "the addresses of %s were found", hosts);
	else if (ncut > 0)
		rc = asprintf(&before, "the servers of %s were found", z->apex);
	else if (k > 0)
		rc = asprintf(&before, "%zu direct queries were answered", k);
	if (rc == -1) {		/* out of memory: the short form */
		before = NULL;
		finding(z, 0, NULL, NULL, SRV_FIX_DEADLINE, "the run's "
		    "deadline passed: the nameserver check of %s is "
		    "incomplete", z->apex);
	} else if (before != NULL)
		finding(z, 0, NULL, NULL, SRV_FIX_DEADLINE, "the run's "
		    "deadline passed before %s: the nameserver check of %s "
		    "is incomplete", before, z->apex);
	free(before);
	free(hosts);

	for (i = 0; i < z->nservers; i++) {
		struct srv_server	*sv = &z->servers[i];
		struct srv_seen		*soa = &sv->soa;
		int			 lame = 0, allq = 1;

		if (!soa->done || soa->state == PROBE_CANCELLED)
			continue;

		for (j = 0; j < sv->nq; j++)
			if (sv->q[j].done && sv->q[j].state == PROBE_ANSWER)
				allq = 0;
		if (soa->state != PROBE_ANSWER && allq) {
			(void)snprintf(fix, sizeof(fix), "repair %s or remove it "
			    "from the NS records of %s, both at the parent%s%s "
			    "and in the zone", sv->host, z->apex,
			    z->parent ? " " : "", z->parent ? z->parent : "");
			finding(z, 1, sv, NULL, fix, "does not answer at all "
			    "(SOA and CAA queries: %s)", soa->err);
			continue;
		}
		if (soa->state == PROBE_ANSWER && (soa->rcode != 0 ||
		    !soa->aa)) {
			lame = 1;
			(void)snprintf(fix, sizeof(fix), "load the zone %s on %s, "
			    "or remove %s from its NS records at the parent%s%s "
			    "and in the zone", z->apex, sv->host, sv->host,
			    z->parent ? " " : "", z->parent ? z->parent : "");
			if (soa->rcode != 0)
				finding(z, 1, sv, NULL, fix, "does not serve "
				    "the zone %s: SOA query answered %s (lame)",
				    z->apex, rcode_str(soa->rcode));
			else
				finding(z, 1, sv, NULL, fix, "answers for %s "
				    "without the AA bit: not authoritative "
				    "(lame)", z->apex);
		}
		if (soa->state == PROBE_ANSWER && soa->rcode == 0 &&
		    soa->serial >= 0) {
			if (serial >= 0 && soa->serial != serial)
				differs |= 2;
			serial = soa->serial;
		}
		for (j = 0; j < sv->nq && !lame; j++) {
			struct srv_seen	*q = &sv->q[j];
			const char	*ty = q->qtype == T_TXT ? "TXT" : "CAA";
			const char	*why;
			ldns_pkt	*pkt = NULL;

			if (!q->done || q->state == PROBE_CANCELLED)
				continue;
			if (q->state == PROBE_TIMEOUT &&
			    soa->state == PROBE_ANSWER) {
				(void)snprintf(fix, sizeof(fix), "upgrade the "
				    "DNS software on %s, or the firewall or "
				    "load balancer in front of it, so that it "
				    "answers %s queries (type %d); or move the "
				    "zone to another DNS provider", sv->host,
				    ty, q->qtype);
				finding(z, 1, sv, q->qname, fix, "answers SOA "
				    "but not %s for %s (no answer in time): "
				    "its DNS software or a middlebox drops "
				    "type %d", ty, q->qname, q->qtype);
				continue;
			}
			if (q->state == PROBE_TCP_FAILED) {
				(void)snprintf(fix, sizeof(fix), "make DNS "
				    "over TCP (port 53) work on %s: answers "
				    "too large for UDP need it", sv->host);
				finding(z, 1, sv, q->qname, fix, "truncates the "
				    "%s answer for %s over UDP and fails over "
				    "TCP (%s)", ty, q->qname, q->err);
				continue;
			}
			if (q->state != PROBE_ANSWER) {
				(void)snprintf(fix, sizeof(fix), "repair %s or "
				    "remove it from the NS records of %s",
				    sv->host, z->apex);
				finding(z, 1, sv, q->qname, fix, "does not "
				    "answer %s for %s (%s)", ty, q->qname,
				    q->err);
				continue;
			}
			if (q->rcode != 0 && q->rcode != 3) {
				(void)snprintf(fix, sizeof(fix), "%s must answer "
				    "%s queries with NOERROR (an empty answer "
				    "when there are none) or NXDOMAIN: upgrade "
				    "its DNS software or fix its configuration",
				    sv->host, ty);
				finding(z, 1, sv, q->qname, fix, "answers %s "
				    "for %s with %s", ty, q->qname,
				    rcode_str(q->rcode));
				continue;
			}
			if (!q->aa) {
				(void)snprintf(fix, sizeof(fix), "load the zone "
				    "%s on %s, or remove it from the zone's NS "
				    "records", z->apex, sv->host);
				finding(z, 1, sv, q->qname, fix, "answers %s "
				    "for %s without the AA bit: not "
				    "authoritative (lame)", ty, q->qname);
				continue;
			}
			if (q->nrecords == 0 && !q->soa_in_auth) {
				(void)snprintf(fix, sizeof(fix), "%s must put "
				    "the zone's SOA record in the authority "
				    "section of negative answers (RFC 2308 "
				    "§2.2): upgrade its DNS software",
				    sv->host);
				finding(z, 1, sv, q->qname, fix, "answers %s "
				    "for %s with %s but no SOA in the authority "
				    "section", ty, q->qname, q->rcode == 3 ?
				    "NXDOMAIN" : "NODATA");
				continue;
			}
			why = NULL;
			pkt = NULL;
			if (q->sig_checked) {
				why = q->sig_why;
				(void)snprintf(a, sizeof(a), "%s",
				    q->sig_what ? q->sig_what : "");
			} else if (z->secure && z->dnskeys != NULL &&
			    q->wire != NULL && ldns_wire2pkt(&pkt, q->wire,
			    q->wirelen) == LDNS_STATUS_OK)
				why = signatures_bad(z, pkt, a, sizeof(a));
			if (why != NULL) {
				(void)snprintf(fix, sizeof(fix), "re-sign %s and "
				    "make sure %s serves the fresh copy (zone "
				    "transfer from the signer, or its own "
				    "signing)", z->apex, sv->host);
				finding(z, 1, sv, q->qname, fix, "serves %s "
				    "for %s with bad DNSSEC signatures: %s "
				    "(%s)", ty, q->qname, why, a);
			}
			ldns_pkt_free(pkt);
		}
	}

	/* Servers must agree on each name's answer. */
	for (j = 0; j < z->nnames; j++) {
		const struct srv_server	*first = NULL;
		const struct srv_seen	*fq = NULL;

		for (i = 0; i < z->nservers; i++) {
			const struct srv_server	*sv = &z->servers[i];
			const struct srv_seen	*q;

			if (j >= sv->nq || !usable(&sv->q[j]) ||
			    !usable(&sv->soa))
				continue;
			q = &sv->q[j];
			if (first == NULL) {
				first = sv;
				fq = q;
				continue;
			}
			if (same_records(fq, q))
				continue;
			rrset_text(fq, a, sizeof(a));
			rrset_text(q, b, sizeof(b));
			(void)snprintf(fix, sizeof(fix), "make every server of "
			    "%s serve the same version of the zone: check the "
			    "zone transfers (NOTIFY, IXFR/AXFR) from the "
			    "primary to %s", z->apex, sv->host);
			finding(z, 1, sv, q->qname, fix, "answers %s for %s "
			    "differently: %s (%s) has %s; %s (%s) has %s",
			    q->qtype == T_TXT ? "TXT" : "CAA", q->qname,
			    first->host, first->addr, a, sv->host, sv->addr,
			    b);
			differs |= 1;
			break;
		}
	}
	/*
	 * Lists an operator acts on are written out whole: a server list
	 * or an NS set cut mid-name would name a host that is not there.
	 */
	if (differs == 2 && (f = open_memstream(&list, &len)) != NULL) {
		for (i = 0, k = 0; i < z->nservers; i++)
			if (z->servers[i].soa.serial >= 0)
				(void)fprintf(f, "%s%s (%s) %ld", k++ ? ", " :
				    "", z->servers[i].host, z->servers[i].addr,
				    z->servers[i].soa.serial);
		if (fclose(f) == 0)
			finding(z, 0, NULL, NULL, "let the zone transfers "
			    "catch up, or check that every server gets NOTIFY "
			    "from the primary", "SOA serials differ between "
			    "servers while their answers agree: %s", list);
		free(list);
		list = NULL;
	}

	/* The delegation and the apex NS set should be the same. */
	if (z->parent_known && z->nchild > 0 &&
	    (f = open_memstream(&list, &len)) != NULL) {
		(void)fprintf(f, "at the parent %s (your registrar), publish "
		    "the zone's own NS set: ", z->parent);
		for (i = 0; i < z->nchild; i++)
			(void)fprintf(f, "%s%s. NS %s.", i ? " / " : "",
			    z->apex, z->child_ns[i]);
		if (fclose(f) == 0) {
			for (i = 0; i < z->nparent; i++)
				if (!listed(z->child_ns, z->nchild,
				    z->parent_ns[i]))
					finding(z, 0, NULL, NULL, list, "the "
					    "parent %s lists %s as a nameserver "
					    "of %s, but the zone's own NS set "
					    "does not", z->parent,
					    z->parent_ns[i], z->apex);
			for (i = 0; i < z->nchild; i++)
				if (!listed(z->parent_ns, z->nparent,
				    z->child_ns[i]))
					finding(z, 0, NULL, NULL, list, "the "
					    "zone lists %s as a nameserver of "
					    "%s, but the parent %s does not",
					    z->child_ns[i], z->apex, z->parent);
		}
		free(list);
	}
	for (i = 0; i < z->nservers; i++) {
		free(z->servers[i].soa.wire);
		z->servers[i].soa.wire = NULL;
		for (j = 0; j < z->servers[i].nq; j++) {
			free(z->servers[i].q[j].wire);
			z->servers[i].q[j].wire = NULL;
		}
	}
}

void
servers_analyse(struct servers *s)
{
	size_t	 i;

	for (i = 0; i < s->nzones; i++)
		analyse_zone(s, s->zones[i]);
}

size_t
servers_nzones(const struct servers *s)
{
	return s->nzones;
}

const struct srv_zone *
servers_zone(const struct servers *s, size_t i)
{
	return i < s->nzones ? s->zones[i] : NULL;
}

const struct srv_zone *
servers_zone_of(const struct servers *s, const char *qname)
{
	static const int types[] = { T_CAA, T_TXT };
	size_t		 i, k, h;

	for (k = 0; k < 2; k++) {
		h = hash(qname, types[k]);
		for (i = 0; i < s->nwanted[h]; i++) {
			const struct want *w = &s->wants[s->wanted[h][i]];

			if (strcmp(w->qname, qname) == 0 && w->zone != NULL)
				return w->zone;
		}
	}
	return NULL;
}
