/*
 * same: a zone's servers mostly send the same answer, byte for byte but
 * the ID.  The first one taken in whole is kept, in wire form, while
 * other servers are still to answer the question; an answer that is the
 * same bytes is not parsed or checked again (probe_set_same()), it takes
 * that server's word: a copy of what its zone_seen holds.  Anything a
 * server does on its own (its NSID, lost letter case, a stale record, a
 * bad signature) is in the bytes, so it is never taken from another.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <ldns/ldns.h>

#include "probe.h"
#include "servers_priv.h"
#include "wire.h"
#include "zone.h"

/* A zone's first answer to question qi (-1: SOA), NULL for none. */
static struct firstans *
first_of(struct szone *sz, long qi, int make)
{
	struct firstans	*v;
	size_t		 i = (size_t)(qi + 1), n;

	if (qi < -1)
		return NULL;
	if (i < sz->nfirst)
		return &sz->first[i];
	if (!make)
		return NULL;
	n = sz->nfirst == 0 ? 16 : sz->nfirst;
	while (n <= i)
		n *= 2;
	if ((v = reallocarray(sz->first, n, sizeof(*v))) == NULL)
		return NULL;
	memset(v + sz->nfirst, 0, (n - sz->nfirst) * sizeof(*v));
	sz->first = v;
	sz->nfirst = n;
	return &v[i];
}

int
servers_same_answer(void *arg, const uint8_t *wire, size_t len)
{
	struct ticket	*t = arg;
	struct firstans	*f;

	if (t->zone == NULL || (f = first_of(t->zone, t->q, 0)) == NULL ||
	    f->wire == NULL)
		return 0;
	return len > 2 && f->len == len - 2 &&
	    memcmp(f->wire, wire + 2, len - 2) == 0;
}

void
servers_same_take(struct servers *s, struct szone *sz, size_t server, long qi)
{
	struct zone_server	*sv = &sz->z->servers[server];
	struct firstans		*f = first_of(sz, qi, 0);

	if (f == NULL || f->wire == NULL ||
	    zone_seen_copy_answer(servers_seen_of(sz->z, server, qi),
	    servers_seen_of(sz->z, f->server, qi)) == -1 ||
	    (sv->nsid == NULL && f->nsid != NULL &&
	    (sv->nsid = strdup(f->nsid)) == NULL))
		s->nomem = 1;
}

void
servers_same_keep(struct servers *s, struct szone *sz, size_t server, long qi,
    const struct probe_result *r)
{
	struct firstans	*f = first_of(sz, qi, 1);
	char		 buf[128];

	if (f == NULL) {
		s->nomem = 1;
		return;
	}
	if (f->wire != NULL || f->ended + 1 >= sz->z->nservers ||
	    r->wire == NULL || r->wirelen <= 2 || r->wirelen > UINT32_MAX)
		return;
	if ((f->wire = malloc(r->wirelen - 2)) == NULL ||
	    (wire_nsid(r->pkt, buf, sizeof(buf)) &&
	    (f->nsid = strdup(buf)) == NULL)) {
		s->nomem = 1;
		return;
	}
	memcpy(f->wire, r->wire + 2, r->wirelen - 2);
	f->len = (uint32_t)(r->wirelen - 2);
	f->server = (uint32_t)server;
}

void
servers_same_ended(struct szone *sz, long qi)
{
	struct firstans	*f = first_of(sz, qi, 1);

	/* Counted for every question, answers kept or not. */
	if (f == NULL || ++f->ended < sz->z->nservers)
		return;
	free(f->wire);
	free(f->nsid);
	f->wire = NULL;
	f->nsid = NULL;
}

void
servers_same_free(struct szone *sz)
{
	size_t	 i;

	for (i = 0; i < sz->nfirst; i++) {
		free(sz->first[i].wire);
		free(sz->first[i].nsid);
	}
	free(sz->first);
}
