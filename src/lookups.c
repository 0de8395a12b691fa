/*
 * lookups: the nameserver check's lookups, each made once.
 */
#include <arpa/inet.h>
#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ldns/ldns.h>

#include "lookups.h"
#include "resolve.h"
#include "wire.h"

#define T_A	1
#define T_SOA	6
#define T_AAAA	28
#define T_DS	43
#define T_DNSKEY 48

#define NBUCKETS	4096

/* The zone of a name, read off the answer the CA's lookup got. */
struct hint {
	char		*qname;
	char		*apex;
	struct hint	*next;
};

struct lookups {
	struct resolve	*r;			/* validating */
	struct resolve	*plain;			/* not validating, or r */
	struct hint	*hints[NBUCKETS];	/* zones by name */
	struct lookup	*buckets[NBUCKETS];
	struct lookup	*first;
	struct lookup	*last;
	int		 started;
	int		 nomem;
};

static size_t
hash(const char *s, int type)
{
	size_t	 h = 5381 + (size_t)type;

	for (; *s != '\0'; s++)
		h = h * 33 + (unsigned char)*s;
	return h % NBUCKETS;
}

struct lookups *
lookups_new(struct resolve *r, struct resolve *plain)
{
	struct lookups	*c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->r = r;
	c->plain = plain != NULL ? plain : r;
	return c;
}

/*
 * A zone's keys and their DS are validated: the per-server signature
 * check trusts those keys, and the signature horizon reads them.  The
 * rest (SOA, NS, addresses) only says which servers to ask.
 */
static struct resolve *
resolver_for(const struct lookups *c, int qtype)
{
	return qtype == T_DNSKEY || qtype == T_DS ? c->r : c->plain;
}

void
lookups_free(struct lookups *c)
{
	struct lookup	*l, *next;
	size_t		 i;

	if (c == NULL)
		return;
	for (i = 0; i < NBUCKETS; i++)
		for (struct hint *t = c->hints[i], *tn; t != NULL; t = tn) {
			tn = t->next;
			free(t->qname);
			free(t->apex);
			free(t);
		}
	for (l = c->first; l != NULL; l = next) {
		next = l->onext;
		resolve_answer_free(l->ans);
		free(l->apex);
		free(l->qname);
		free(l);
	}
	free(c);
}

static void
done(void *arg, struct resolve_answer *a)
{
	struct lookup	*l = arg;

	l->ans = a;
	l->done = 1;
}

/*
 * Started ahead of the CA's lookups still waiting for a place: a zone's
 * servers are asked only once these are in, and there are a handful per
 * zone, against one CA lookup or more per name.  Queued behind them, a
 * large run probed no server until its last names were resolved.
 */
struct lookup *
lookups_get(struct lookups *c, const char *qname, int qtype, int start)
{
	struct lookup	*l;
	size_t		 h = hash(qname, qtype);

	for (l = c->buckets[h]; l != NULL; l = l->next)
		if (l->qtype == qtype && strcmp(l->qname, qname) == 0)
			return l;
	if (!start)
		return NULL;
	if ((l = calloc(1, sizeof(*l))) == NULL ||
	    (l->qname = strdup(qname)) == NULL) {
		free(l);
		c->nomem = 1;
		return NULL;
	}
	l->qtype = qtype;
	if (resolve_query_ahead(resolver_for(c, qtype), qname, qtype, done,
	    l) == -1)
		l->done = 1;	/* stays without an answer */
	else
		c->started++;
	l->next = c->buckets[h];
	c->buckets[h] = l;
	if (c->last != NULL)
		c->last->onext = l;
	else
		c->first = l;
	c->last = l;
	return l;
}

static void
count_late(void *ctx, void *arg)
{
	(void)arg;
	(*(size_t *)ctx)++;
}

size_t
lookups_late(const struct lookups *c, double ms)
{
	size_t	 n = 0;

	resolve_each_late(c->r, done, ms, count_late, &n);
	if (c->plain != c->r)
		resolve_each_late(c->plain, done, ms, count_late, &n);
	return n;
}

const struct lookup *
lookups_first(const struct lookups *c)
{
	return c->first;
}

int
lookups_started(const struct lookups *c)
{
	return c->started;
}

void
lookups_reset_started(struct lookups *c)
{
	c->started = 0;
}

int
lookups_nomem(const struct lookups *c)
{
	return c->nomem;
}

int
lookups_cut(const struct lookup *l)
{
	return l != NULL && (!l->done ||
	    (l->ans != NULL && l->ans->state == RESOLVE_TIMEOUT));
}

/* A lookup's answer, parsed, when it came. */
static ldns_pkt *
packet_of(const struct lookup *l)
{
	if (l == NULL || l->ans == NULL)
		return NULL;
	return wire_parse(l->ans->packet, l->ans->packetlen);
}

static const struct hint *
hint_of(const struct lookups *c, const char *qname)
{
	const struct hint	*t;

	for (t = c->hints[hash(qname, 0)]; t != NULL; t = t->next)
		if (strcmp(t->qname, qname) == 0)
			return t;
	return NULL;
}

int
lookups_hint(struct lookups *c, const char *qname, const char *apex)
{
	struct hint	*t;
	size_t		 h;

	if (hint_of(c, qname) != NULL)
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
	t->next = c->hints[h];
	c->hints[h] = t;
	return 1;
}

/* The zone holding name from its SOA lookup, parsed once. */
static enum lookups_zone
soa_zone(struct lookup *l, const char *name, char *apex, size_t size)
{
	ldns_pkt		*pkt;
	enum lookups_zone	 r = LOOKUPS_FAIL;

	if (!l->done)
		return LOOKUPS_PENDING;
	if (l->memo == 0) {
		/* Parse the answer once; keep only the verdict. */
		if (l->ans != NULL && l->ans->state == RESOLVE_DONE &&
		    (l->ans->rcode == 0 || l->ans->rcode == 3) &&
		    (pkt = packet_of(l)) != NULL) {
			switch (wire_zone_from_soa(pkt, name, apex, size)) {
			case WIRE_ZONE_FOUND:
				r = LOOKUPS_FOUND;
				l->apex = strdup(apex);
				break;
			case WIRE_ZONE_ALIAS:
				r = LOOKUPS_ALIAS;
				break;
			default:
				break;
			}
			ldns_pkt_free(pkt);
		}
		l->memo = (int)r + 1;
	}
	r = (enum lookups_zone)(l->memo - 1);
	if (r == LOOKUPS_FOUND && l->apex == NULL)
		return LOOKUPS_FAIL;	/* out of memory */
	if (r == LOOKUPS_FOUND)
		(void)snprintf(apex, size, "%s", l->apex);
	return r;
}

enum lookups_zone
lookups_zone(struct lookups *c, const char *qname, char *apex, size_t size)
{
	const char		*name = qname, *dot;
	struct lookup		*l;
	enum lookups_zone	 r;

	while (name != NULL) {
		const struct hint *t = hint_of(c, name);

		if (t != NULL) {
			(void)snprintf(apex, size, "%s", t->apex);
			return LOOKUPS_FOUND;
		}
		if ((l = lookups_get(c, name, T_SOA, 1)) == NULL)
			return LOOKUPS_FAIL;
		if ((r = soa_zone(l, name, apex, size)) != LOOKUPS_ALIAS)
			return r;
		dot = strchr(name, '.');
		name = dot != NULL ? dot + 1 : NULL;
	}
	return LOOKUPS_FAIL;
}

size_t
lookups_addrs(struct lookups *c, const char *host,
    char out[][INET6_ADDRSTRLEN], size_t max, int *pending)
{
	struct lookup	*l[2];
	size_t		 n = 0, i, k;

	l[0] = lookups_get(c, host, T_A, 1);
	l[1] = lookups_get(c, host, T_AAAA, 1);
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

int
lookups_ns(const struct lookup *l, const char *owner, char ***v, size_t *n)
{
	ldns_pkt	*pkt;
	int		 rc;

	if ((pkt = packet_of(l)) == NULL)
		return 0;
	rc = wire_ns_names(pkt, owner, 0, v, n);
	ldns_pkt_free(pkt);
	return rc;
}
