/*
 * checkns: the check's side of the nameserver check (SPEC 5.3): which
 * names a decided name hands to it, the late lookups that hurry it, and
 * the lookups that find the zones' servers, started with the run.
 */
#include <stddef.h>

#include "check_priv.h"
#include "name.h"
#include "servers.h"

/* Registered domains whose servers are looked for from the start. */
#define CHECK_WARM_ZONES	32

/* The names whose zones are probed for a name: the levels the CA's
 * decision rests on, alias targets, and the _acme-challenge name. */
int
check_want(struct check *k, struct check_name *n)
{
	size_t	 i, last;
	char	 target[NAME_MAX_TEXT];

	last = n->dec.level >= 0 ? (size_t)n->dec.level : n->nlevels - 1;
	for (i = 0; i <= last && i < n->nlevels; i++) {
		if (servers_want(k->srv, n->levels[i]->qname, TYPE_CAA) == -1)
			return -1;
		if (check_alias_target(n->levels[i], target, sizeof(target)) &&
		    servers_want(k->srv, target, TYPE_CAA) == -1)
			return -1;
	}
	if (n->acme != NULL) {
		if (servers_want(k->srv, n->acme->qname, TYPE_TXT) == -1)
			return -1;
		if (check_alias_target(n->acme, target, sizeof(target)) &&
		    servers_want(k->srv, target, TYPE_TXT) == -1)
			return -1;
	}
	return 0;
}

/*
 * A lookup libunbound has had for a while: the servers of its zone may
 * be silent, keeping the resolver waiting until the run's deadline.  The
 * names waiting for it have their zones handed to the nameserver check
 * now, and the check looks for zones through their parents' referrals
 * from then on (so it does too when one of its own lookups is late), so
 * that the silent servers are found and named before the deadline.  A
 * lookup still waiting for a place in the window is not late: a large
 * run is slow, not silent.
 */
void
check_late(void *ctx, void *arg)
{
	struct check		*k = ctx;
	struct check_query	*q = arg;
	struct check_name	*n;
	size_t			 i;

	for (i = 0; i < q->nwaiters; i++) {
		n = &k->names[q->waiters[i]];
		if (n->nm.kind != NAME_DNS || n->decided || n->late)
			continue;
		n->late = 1;
		servers_hurry(k->srv);
		if (check_want(k, n) == -1)
			k->nomem = 1;
	}
}

/*
 * The probe's resolver keeps a cache of its own, so the lookups that
 * find a zone's servers start now, beside the CA's, rather than once a
 * CA answer shows the zone: the TLD's NS set, and the SOA and NS set of
 * the name below it (the registered domain, nearly always a zone: its
 * CA answer would ask them then).  For the first CHECK_WARM_ZONES such
 * domains only: a large run's own answers show its zones soon enough,
 * and thousands of lookups started at once cost libunbound memory for
 * each (10,000 names on the bench: 71 MiB peak against 59).
 */
int
check_warm(struct check *k)
{
	size_t	 i, warmed = 0;
	int	 rc;

	for (i = 0; i < k->nnames; i++) {
		struct check_name *n = &k->names[i];

		if (n->nm.kind != NAME_DNS || n->nlevels == 0)
			continue;
		if (servers_watch(k->srv, n->levels[n->nlevels - 1]->qname,
		    TYPE_NS) == -1)
			return -1;
		if (n->nlevels < 2 || warmed >= CHECK_WARM_ZONES)
			continue;
		if ((rc = servers_warm(k->srv,
		    n->levels[n->nlevels - 2]->qname)) == -1)
			return -1;
		warmed += (size_t)rc;
	}
	return 0;
}
