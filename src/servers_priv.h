/*
 * servers_priv: the nameserver check's own state, shared by its files
 * (servers.c finds and asks each zone's servers; parents.c asks the
 * parent zones for delegations and referrals).  Nothing outside the
 * check includes it.
 */
#ifndef SERVERS_PRIV_H
#define SERVERS_PRIV_H

#include <netinet/in.h>

#include <stddef.h>
#include <stdint.h>

#include "lookups.h"
#include "probe.h"
#include "zone.h"

#define T_A	1
#define T_NS	2
#define T_SOA	6
#define T_AAAA	28
#define T_DNSKEY 48
#define T_CAA	257

#define NBUCKETS	4096

/* A zone's discovery state, around the zone reports see. */
struct szone;

/* A name the CA queries, waiting to learn its zone. */
struct want {
	char		*qname;
	int		 qtype;
	struct szone	*zone;
	int		 unsettled;	/* its zone still looked for */
	/*
	 * SPEC 5.3 (rev. 2): a zone the resolver cannot find (its servers
	 * SERVFAIL, REFUSE or are silent) is found through the referral of
	 * the closest zone above it that resolves.
	 */
	char		*parent;	/* that zone, once known */
	size_t		 tried;		/* its servers asked so far */
	int		 asking;	/* a referral query is out */
	int		 nocut;		/* its servers gave no referral */
};

/* Which result a direct probe fills. */
struct ticket {
	struct servers	*s;
	struct szone	*zone;
	size_t		 server;	/* -3: the want's index */
	long		 q;		/* -1: SOA; -2: delegation; -3: a
					   referral; else name */
};

/* The delegation NS set, asked of the parent's servers (z->parents). */
struct deleg {
	size_t	 next;		/* next parent server to ask */
	int	 pending;
	int	 failed;
	int	 parent_failed;
};

/* An answer whose signatures wait for the zone's keys. */
struct unchecked {
	struct zone_seen	*q;	/* valid once every probe is sent */
	size_t			 server;
	long			 qi;
	uint8_t			*wire;
	size_t			 len;
};

/*
 * The first answer to one of a zone's questions that was taken in
 * whole (its signatures checked, or none to check), in wire form after
 * its ID, while other servers of the zone are still to answer it: what
 * they send byte for byte the same is taken from that server's
 * zone_seen, not parsed again (see probe_set_same()).
 */
struct firstans {
	uint8_t		*wire;		/* NULL: none kept */
	char		*nsid;		/* the answer's NSID, or NULL */
	uint32_t	 len;
	uint32_t	 server;	/* whose zone_seen says what it holds */
	uint32_t	 ended;		/* servers whose query for it ended */
};

struct szone {
	struct zone		*z;
	struct firstans		*first;		/* by question: SOA, names */
	size_t			 nfirst;
	struct deleg		 deleg;
	struct dnssec_zone	*keys;		/* signed zones */
	int			 keyed;		/* its DNSKEY lookup is in
						   (z->secure is known) */
	struct unchecked	*unchecked;
	size_t			 nunchecked;
	int			 settled;	/* nothing to start until a
						   name comes */
	int			 complete;	/* its servers, keys and
						   delegation are all in */
	int			  referred;	/* found through the parent's
						   referral */
	char			**ghost;	/* glue from a referral: */
	char			**gaddr;	/* host and address */
	size_t			  nglue;
	struct szone		*hnext;		/* hash chain by apex */
};

struct servers {
	struct probe		 *p;
	struct lookups		 *lk;
	struct want		 *wants;
	size_t			  nwants;
	size_t			 *wanted[NBUCKETS];	/* want indices */
	size_t			  nwanted[NBUCKETS];
	size_t			 *unsettled;		/* wants without a
							   zone yet */
	size_t			  nunsettled;
	size_t			  wcap;
	struct szone		**zones;
	size_t			  nzones;
	size_t			  zcap;
	struct szone		 *zbuckets[NBUCKETS];	/* zones by apex */
	struct lookup		**early;		/* hinted zones' NS */
	size_t			  nearly;
	struct dnssec_proven	 *proven;
	int			  started;	/* probes since the step */
	int			  hurry;	/* servers_hurry() was called */
	int			  nomem;
};

/* The lookup (qname, qtype) of the run, started when absent and start. */
struct lookup	*servers_lookup_get(struct servers *, const char *, int, int);
/* The name one label up, or NULL at a TLD. */
const char	*servers_parent_of(const char *);
/* A TLD's servers are not ours to probe, so neither are its keys. */
int		 servers_ours(const char *);
/* The zone of apex, made when new; NULL when memory ran out. */
struct szone	*servers_zone_get(struct servers *, const char *);
/* Put a wanted name into the zone apex; NULL when memory ran out. */
struct szone	*servers_place(struct servers *, struct want *, const char *);
/* Send one direct query; its answer comes back to the ticket's owner. */
int		 servers_send(struct servers *, struct szone *, size_t, long,
		    const char *, const char *, int);
/* What every direct query's result records, whatever it was for. */
void		 servers_seen_result(struct zone_seen *,
		    const struct probe_result *);
/* What server's query qi (-1: SOA) saw. */
struct zone_seen *servers_seen_of(struct zone *, size_t, long);

/* same.c: another server's byte-identical answer, taken once. */
/* probe_set_same()'s hook: the bytes of the zone's kept answer? */
int		 servers_same_answer(void *, const uint8_t *, size_t);
/* The kept answer's word, copied to server's query qi. */
void		 servers_same_take(struct servers *, struct szone *, size_t,
		    long);
/* Keep server's answer to qi, taken in whole, if others are to come. */
void		 servers_same_keep(struct servers *, struct szone *, size_t,
		    long, const struct probe_result *);
/* One more server's query for qi ended: once all have, drop the bytes. */
void		 servers_same_ended(struct szone *, long);
void		 servers_same_free(struct szone *);

/* parents.c: the delegation asked of the parent's servers. */
void		 parents_delegation(struct servers *, struct szone *);
void		 parents_delegation_answer(struct servers *, struct szone *,
		    size_t, const struct probe_result *);
/* parents.c: a zone the resolver cannot find, through the referral. */
int		 parents_referral(struct servers *, struct want *, size_t);
void		 parents_referral_answer(struct servers *, size_t,
		    const struct probe_result *);

#endif /* SERVERS_PRIV_H */
