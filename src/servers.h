/*
 * servers: the check no CA does (SPEC 5.3).  For every zone holding a
 * name the CA queries, find the delegation NS set at the parent and the
 * apex NS set, resolve every server's addresses, ask every address
 * directly (through probe) and hand what they said to zone_analyse().
 *
 * Driven in steps by the caller's event loop: servers_step() starts
 * whatever lookups and probes it can with what is known so far; the
 * caller runs the loop until nothing is pending and calls it again,
 * until it starts nothing; then servers_analyse() makes the findings.
 */
#ifndef SERVERS_H
#define SERVERS_H

#include <stddef.h>

struct probe;
struct resolve;
struct resolve_answer;
struct ldns_struct_pkt;
struct zone;
struct zone_judge;

struct servers;

/*
 * A check over two resolvers and a prober (all borrowed; they must
 * outlive it): r validates (the zones' keys), plain need not (their
 * servers and addresses; NULL: r).  NULL when memory ran out.
 * Everything it hands out is its own, valid until servers_free().
 */
struct servers	*servers_new(struct resolve *r, struct resolve *plain,
		    struct probe *);
void		 servers_free(struct servers *);
/*
 * Learn the zone of a name the CA queries from the answer it got (the
 * SOA of a negative answer, the signer of a signed one), and start the
 * zone's lookups; a name whose answer does not tell is looked up itself
 * when wanted.  The answer's packet comes parsed (NULL when it could
 * not be): the caller reads it too.  Call it outside the resolver's
 * callbacks.  0, or -1 when memory ran out.
 */
int		 servers_hint(struct servers *, const char *, int,
		    const struct resolve_answer *,
		    const struct ldns_struct_pkt *);
/* A name the CA queries (type CAA or TXT): probe it in its zone. */
int		 servers_want(struct servers *, const char *, int);
/*
 * From now on, a wanted name whose zone the resolver has not found yet
 * is also looked for through the referral of the zone above: the run has
 * gone on long enough that its servers are likely silent.
 */
void		 servers_hurry(struct servers *);
/*
 * Whether one of the check's own lookups has been at libunbound for ms
 * or more, unanswered: its servers may be silent.
 */
int		 servers_late(const struct servers *, double ms);
/* Advance; returns how many lookups and probes it started. */
int		 servers_step(struct servers *);
/*
 * Make every zone's findings (judge, which may be NULL, tells whether
 * two servers' different answers lead to the same decision).  0, or -1
 * when memory ran out.
 */
int		 servers_analyse(struct servers *, const struct zone_judge *);
size_t		 servers_nzones(const struct servers *);
const struct zone *servers_zone(const struct servers *, size_t);
/*
 * SPEC 5.7: look up (zone, qtype) for its signatures alone, through the
 * nameserver check's own lookups, so that it is asked once however many
 * want it.  0, or -1 when memory ran out.
 */
int		 servers_watch(struct servers *, const char *, int);
/*
 * Start the lookups of a likely zone's SOA and NS set (and its servers'
 * addresses once the NS set is in) before any answer shows it.  1 when
 * they are new, 0 when asked already, -1 when memory ran out.
 */
int		 servers_warm(struct servers *, const char *);
/* The lookups made through the resolver, for -v, each in the order
 * started (*it NULL to begin; 0 past the last).  ans is NULL for a
 * lookup without an answer. */
int		 servers_lookup(const struct servers *, const void **,
		    const char **, int *, const struct resolve_answer **);
/* Whether a wanted name's zone was still being looked for at the end
 * (the run's deadline passed first). */
int		 servers_unsettled(const struct servers *, const char *, int);
/* The zone a wanted name was probed in, or NULL. */
const struct zone *servers_zone_of(const struct servers *, const char *);

#endif /* SERVERS_H */
