/*
 * lookups: the nameserver check's own lookups (a zone's SOA, NS and
 * DNSKEY, its servers' addresses), each made once per run and kept until
 * the run ends.  Only DNSKEY and DS go through the validating resolver.
 */
#ifndef LOOKUPS_H
#define LOOKUPS_H

#include <netinet/in.h>

#include <stddef.h>

struct resolve;
struct resolve_answer;

/* One lookup.  Everything in it is the cache's, freed by lookups_free(). */
struct lookup {
	char			*qname;
	int			 qtype;
	int			 done;		/* answered, or never sent */
	struct resolve_answer	*ans;		/* NULL: no answer */
	int			 memo;		/* SOA: the zone found, + 1 */
	char			*apex;		/* SOA: then its apex */
	struct lookup		*next;		/* hash chain */
	struct lookup		*onext;		/* in the order started */
};

struct lookups;

/*
 * A cache over two resolvers (borrowed; they must outlive it), or NULL:
 * the validating one for DNSKEY and DS, plain (NULL: the same) for the
 * rest.
 */
struct lookups	*lookups_new(struct resolve *, struct resolve *plain);
void		 lookups_free(struct lookups *);
/*
 * The lookup (qname, qtype), started when absent and start is set;
 * NULL when absent and not started, or when memory ran out (then
 * lookups_nomem() says so).
 */
struct lookup	*lookups_get(struct lookups *, const char *, int, int start);
/* The first lookup started; lookup->onext is the next. */
const struct lookup *lookups_first(const struct lookups *);
/* Lookups started since the last lookups_reset_started(). */
int		 lookups_started(const struct lookups *);
void		 lookups_reset_started(struct lookups *);
int		 lookups_nomem(const struct lookups *);
/* Lookups libunbound has had for ms or more, unanswered. */
size_t		 lookups_late(const struct lookups *, double ms);
/* A lookup the run's deadline cut short: unanswered, or timed out. */
int		 lookups_cut(const struct lookup *);

/* What the lookups tell of the zone holding a name. */
enum lookups_zone {
	LOOKUPS_PENDING,	/* a lookup it needs is not in */
	LOOKUPS_FAIL,		/* not to be found */
	LOOKUPS_ALIAS,		/* an alias: the zone is a parent's */
	LOOKUPS_FOUND		/* apex filled in */
};

/*
 * Remember that qname is in the zone apex, as the answer to a lookup of
 * the CA's showed.  1 when new, 0 when known, -1 when memory ran out.
 */
int		 lookups_hint(struct lookups *, const char *, const char *);
/*
 * The zone holding qname: its hint, else its SOA lookup's answer (the
 * lookup started when absent), walking up through aliases.
 */
enum lookups_zone lookups_zone(struct lookups *, const char *, char *,
		    size_t);
/*
 * The addresses of a host from its A and AAAA lookups (started when
 * absent), at most max, as text; *pending is set while one is out.
 */
size_t		 lookups_addrs(struct lookups *, const char *,
		    char [][INET6_ADDRSTRLEN], size_t max, int *pending);
/*
 * The NS names for owner in an NS lookup's answer, added to the set
 * *v.  0, or -1 when memory ran out.
 */
int		 lookups_ns(const struct lookup *, const char *, char ***,
		    size_t *);

#endif /* LOOKUPS_H */
