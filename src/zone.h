/*
 * zone: one zone as each of its authoritative servers answered, and
 * what is wrong with it (SPEC 5.3).  servers fills a zone in; the
 * findings are made here, by a pure function over the finished zone,
 * one function per check.  No I/O, no packets.
 */
#ifndef ZONE_H
#define ZONE_H

#include <stddef.h>
#include <stdint.h>

/* How a direct query ended. */
enum zone_state {
	ZONE_NOT_ASKED,		/* never sent */
	ZONE_ANSWER,		/* a response to our question */
	ZONE_TIMEOUT,		/* no response, retry included */
	ZONE_TCP_FAILED,	/* truncated over UDP, TCP failed */
	ZONE_ERROR,		/* could not send (see err) */
	ZONE_CANCELLED		/* the run's deadline came first */
};

/* What one direct query saw.  Strings are the zone's. */
struct zone_seen {
	char		 *qname;
	int		  qtype;
	enum zone_state	  state;
	int		  rcode;
	int		  aa;
	int		  tcp;		/* the answer came over TCP */
	double		  ms;
	long		  serial;	/* SOA answers: the serial, or -1 */
	char		**records;	/* answer records as sorted text */
	size_t		  nrecords;
	char		 *err;		/* not ANSWER: why, or NULL */
	int		  soa_in_auth;	/* the authority section had the SOA */
	char		 *sig_why;	/* signed zones: why signatures fail */
	char		 *sig_what;	/* then: the RRset that fails */
	int		  late;		/* answered only after the retry's
					   wait as well: slow */
	int		  case_lost;	/* SOA: the question came back in
					   other letter case (0x20) */
	uint8_t		**rdata;	/* the records of qtype, RDATA in */
	size_t		 *rdlen;	/* wire form (what the CA would */
	size_t		  nrdata;	/* decide on) */
	long long	  sig_expires;	/* its earliest RRSIG, or 0 */
};

/* One address of one nameserver of the zone. */
struct zone_server {
	char		 *host;		/* NS name */
	char		 *addr;
	char		 *nsid;		/* RFC 5001, when it sent one */
	int		  in_parent;	/* listed in the delegation */
	int		  in_child;	/* listed in the apex NS set */
	struct zone_seen  soa;
	struct zone_seen *q;		/* one per zone name, in order */
	size_t		  nq;
};

/* Parent servers asked, one after another, for the delegation. */
#define ZONE_PARENT_TRIES 3

/* A parent server asked for the delegation, and its NS answer. */
struct zone_parent {
	char		 *host;
	char		 *addr;
	struct zone_seen  ns;
};

/* One finding about one server, or about the zone as a whole. */
struct zone_finding {
	int	 error;		/* 1: the CA can fail; 0: a warning */
	char	*server;	/* NS name, or NULL for the zone */
	char	*addr;		/* its address, or NULL */
	char	*nsid;		/* its NSID (RFC 5001), or NULL */
	char	*name;		/* the name queried, or NULL */
	char	*msg;		/* what was seen */
	char	*fix;		/* what to change, or NULL */
};

struct zone {
	char		  *apex;
	char		  *parent;	/* parent zone apex, when known */
	int		   secure;	/* the resolver validated the SOA */
	char		 **names;	/* names probed in it */
	int		  *types;	/* CAA, or TXT for _acme-challenge */
	size_t		   nnames;
	char		 **child_ns;	/* apex NS set (resolver) */
	size_t		   nchild;
	char		 **parent_ns;	/* delegation NS set (parent) */
	size_t		   nparent;
	int		   parent_known;
	struct zone_parent parents[ZONE_PARENT_TRIES];
	size_t		   nparents;
	struct zone_server *servers;
	size_t		   nservers;
	struct zone_finding *findings;
	size_t		   nfindings;
	int		   nerrors;	/* findings that are errors */
};

/*
 * Whether two servers' answers for a name lead the CA to the same
 * decision for every name, CA, account and method that rests on it:
 * 1 when they do.  Supplied by the caller, who knows the policies.
 */
struct zone_judge {
	int	(*same)(void *, const char *qname, int qtype,
		    const struct zone_seen *, const struct zone_seen *);
	void	*arg;
};

/* What the run's deadline kept from the zone's own lookups. */
struct zone_cut {
	size_t		 lookups;	/* lookups it cut short */
	const char	*hosts;		/* servers whose addresses did not
					   come, comma-separated, or NULL */
};

/* Signatures that expire this much earlier on one server: a finding. */
#define ZONE_SIG_SPREAD	(2 * 86400LL)

/* The remedy when the run's deadline cut a nameserver check short. */
#define ZONE_FIX_DEADLINE "raise timeout so that every server can be asked"

/* A zone for apex, or NULL when memory ran out; freed by zone_free(). */
struct zone	*zone_new(const char *);
void		 zone_free(struct zone *);
/* Free what one seen query holds (not the struct). */
void		 zone_seen_clear(struct zone_seen *);
/*
 * What src's answer said (rcode, flags, serial, records, signatures'
 * verdict), copied into dst, for the same answer from another server.
 * 0, or -1 when memory ran out.
 */
int		 zone_seen_copy_answer(struct zone_seen *,
		    const struct zone_seen *);
/* Add a name probed in the zone.  0, or -1 when memory ran out. */
int		 zone_add_name(struct zone *, const char *, int);

/*
 * Order the servers and NS sets by name, not by arrival, and mark who
 * lists each server.  zone_analyse() does it first; it can be done
 * before, and again.
 */
void		 zone_order(struct zone *);
/*
 * Every SPEC 5.3 check over a zone whose queries are all answered or
 * cancelled: orders it (zone_order()) and fills in the findings.  Two
 * servers' different answers for a name are an error unless judge (may
 * be NULL) says they lead to the same decision; then a warning.  0, or -1 when memory ran out (then a finding may be
 * missing, and the caller must not call the zone healthy).
 */
int		 zone_analyse(struct zone *, const struct zone_cut *,
		    const struct zone_judge *);
/*
 * RFC 1982 serial arithmetic: <0 when serial a is older than b, >0 when
 * newer, 0 when equal (or not comparable).
 */
int		 zone_serial_cmp(long, long);

/* "SERVFAIL" and the like; "an unknown rcode" past REFUSED. */
const char	*zone_rcode_name(int);

#endif /* ZONE_H */
