/*
 * servers: the check no CA does (SPEC 5.3).  For every zone holding a
 * name the CA queries, find the delegation NS set at the parent and the
 * apex NS set, resolve every server's addresses, ask every address
 * directly (through probe) and compare what they say.
 *
 * Driven in steps by the caller's event loop: servers_step() starts
 * whatever lookups and probes it can with what is known so far; the
 * caller runs the loop until nothing is pending and calls it again,
 * until it starts nothing; then servers_analyse() makes the findings.
 */
#ifndef SERVERS_H
#define SERVERS_H

#include <stddef.h>
#include <stdint.h>

struct conf;
struct probe;
struct resolve;
struct resolve_answer;

/* One finding about one server (or about the zone as a whole). */
struct srv_finding {
	int	 error;		/* 1: the CA can fail; 0: a warning */
	char	*server;	/* NS name, or NULL for the zone */
	char	*addr;		/* its address, or NULL */
	char	*name;		/* the name queried, or NULL */
	char	*msg;		/* what was seen */
	char	*fix;		/* what to change */
};

/* What one direct query saw, for reports. */
struct srv_seen {
	char	*qname;
	int	 qtype;
	int	 done;		/* a result came back */
	int	 state;		/* enum probe_state */
	int	 rcode;
	int	 aa;
	int	 tcp;
	double	 ms;
	long	 serial;	/* SOA queries: the serial, or -1 */
	char	**records;	/* answer records as text */
	size_t	 nrecords;
	char	 err[128];
	int	 soa_in_auth;	/* the authority section had the SOA */
	uint8_t	*wire;		/* signed zones: the answer, until analysis */
	size_t	 wirelen;
	int	 sig_checked;	/* signatures checked on arrival */
	const char *sig_why;	/* then: NULL, or why they fail */
	char	*sig_what;	/* the RRset that fails */
};

/* One address of one nameserver of a zone. */
struct srv_server {
	char		*host;		/* NS name */
	char		*addr;
	int		 in_parent;	/* listed in the delegation */
	int		 in_child;	/* listed in the apex NS set */
	struct srv_seen	 soa;
	struct srv_seen	*q;		/* one per zone probe name */
	size_t		 nq;
};

/* The remedy when the run's deadline cut a nameserver check short. */
#define SRV_FIX_DEADLINE "raise timeout so that every server can be asked"

/* Parent servers asked, one after another, for a zone's delegation. */
#define SRV_PARENT_TRIES 3

/* A parent server asked for the delegation, and what its NS answer was. */
struct srv_parent {
	char		*host;
	char		*addr;
	struct srv_seen	 ns;
};

struct srv_zone {
	char		 *apex;
	char		 *parent;	/* parent zone apex, when known */
	int		  secure;	/* the resolver validated the SOA */
	char		**names;	/* names probed in it */
	int		 *types;	/* CAA, or TXT for _acme-challenge */
	size_t		  nnames;
	char		**child_ns;	/* apex NS set (resolver) */
	size_t		  nchild;
	char		**parent_ns;	/* delegation NS set (parent server) */
	size_t		  nparent;
	int		  parent_known;
	struct srv_parent parents[SRV_PARENT_TRIES];
	size_t		  nparents;
	struct srv_server *servers;
	size_t		  nservers;
	void		 *dnskeys;	/* ldns_rr_list * */
	struct srv_finding *findings;
	size_t		  nfindings;
	int		  nerrors;
	void		 *priv;		/* internal state */
};

struct servers;

struct servers	*servers_new(struct resolve *, struct probe *);
void		 servers_free(struct servers *);
/*
 * Learn the zone of a name the CA queries from the answer it got (the
 * SOA of a negative answer, the signer of a signed one), and start the
 * zone's lookups; a name whose answer does not tell is looked up itself
 * when wanted.
 */
int		 servers_hint(struct servers *, const char *, int,
		    const struct resolve_answer *);
/* A name the CA queries (type CAA or TXT): probe it in its zone. */
int		 servers_want(struct servers *, const char *, int);
/* Advance; returns how many lookups and probes it started. */
int		 servers_step(struct servers *);
void		 servers_analyse(struct servers *);
size_t		 servers_nzones(const struct servers *);
const struct srv_zone *servers_zone(const struct servers *, size_t);
/* The lookups made through the resolver, for -v, each in the order
 * started (*it NULL to begin; 0 past the last).  ans is NULL for a
 * lookup without an answer. */
int		 servers_lookup(const struct servers *, const void **,
		    const char **, int *, const struct resolve_answer **);
/* Whether a wanted name's zone was still being looked for at the end
 * (the run's deadline passed first). */
int		 servers_unsettled(const struct servers *, const char *, int);
/* The zone a wanted name was probed in, or NULL. */
const struct srv_zone *servers_zone_of(const struct servers *, const char *);

#endif /* SERVERS_H */
