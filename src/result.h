/*
 * result: what a run found, as one tree in the project's own types.
 *
 *   run -> names -> levels (the CAA lookups) and records, dns-01
 *       -> zones -> servers -> what each answered, findings
 *       -> the lookups the run made, counts and timing
 *
 * check_run() hands it back, const; every renderer reads only this (and
 * the pure caa, zone and verdict headers it names), never a resolver,
 * probe or packet.  The tree and everything it points to belong to the
 * check that made it and live until check_free().
 */
#ifndef RESULT_H
#define RESULT_H

#include <stddef.h>

#include "caa.h"
#include "verdict.h"
#include "zone.h"

/* How a lookup through the validating resolver ended. */
enum result_status {
	RESULT_ANSWERED,	/* a DNS answer, rcode in rcode */
	RESULT_TIMEOUT,		/* sent; the run's deadline came first */
	RESULT_NOT_SENT,	/* the deadline came before it was sent */
	RESULT_FAILED		/* the resolver failed, or memory ran out */
};

enum result_dnssec {
	RESULT_DNSSEC_UNKNOWN,	/* no answer */
	RESULT_DNSSEC_INSECURE,
	RESULT_DNSSEC_SECURE,
	RESULT_DNSSEC_BOGUS,	/* see why_bogus */
	RESULT_DNSSEC_UNVALIDATED /* a nameserver check's own lookup */
};

/* One lookup through the resolver. */
struct result_lookup {
	const char		*qname;
	int			 qtype;
	enum result_status	 status;
	int			 rcode;		/* ANSWERED */
	enum result_dnssec	 dnssec;
	const char		*why_bogus;	/* BOGUS: the resolver's words */
	const char		*canonical;	/* after aliases, or NULL */
	size_t			 nrecords;	/* of qtype */
	double			 ms;
};

/* SPEC 5.7: a validated RRset's earliest signature. */
struct result_expiry {
	const char	*qname;
	int		 qtype;
	const char	*signer;	/* the zone that signed it */
	long long	 expires;	/* seconds since the epoch */
};

/* One lookup of the CA's: a CAA level, or a dns-01 TXT name. */
struct result_query {
	struct result_lookup	  lookup;
	/* CAA: the level as the decision saw it. */
	enum caa_level_state	  state;
	const struct caa_record	 *records;
	size_t			  nrecords;
	/* SPEC 5.7: validated: its earliest signature, and who made it. */
	long long		  sig_expires;	/* seconds since the epoch;
						   0: none */
	const char		 *signer;
};

/*
 * SPEC 4.2, 5.4: the lookup of a name's DNS-based challenge (dns-01,
 * dns-account-01) or its dns-persist-01 authorization.
 */
struct result_dns01 {
	const char		 *method;	/* the challenge checked */
	const struct result_query *query;	/* NULL: not looked up */
	enum verdict_level	  level;	/* how much it counts */
	int			  failed;	/* the lookup fails */
	int			  refused;	/* no record authorizes */
	const char		 *reason;	/* failed or refused: why */
	const char		 *fix;		/* then: the remedy */
	const char		 *note;		/* a part not checked */
};

/*
 * One certificate (from the configuration, a wrapped command, a hook's
 * environment or a client's state), and what its names add up to.
 */
struct result_cert {
	const char		 *label;	/* or its first name */
	const char		 *client;	/* "certbot", ...; or NULL */
	const char		 *directory;	/* the client's, or NULL */
	const char *const	 *issuers;	/* the CA's issuer domains */
	size_t			  nissuers;
	const char		 *account_uri;	/* or NULL */
	const char		 *method;
	int			  due;		/* -1 not from a client's
						   state, 1 due, 0 not yet */
	long			  due_days;	/* not yet: in so many days */
	int			  decides;	/* counts for the exit */
	int			  share;	/* of the exit status: its
						   order would fail (> 0) */
	const char		 *problem;	/* not checked: why */
	enum verdict		  verdict;	/* the worst of its names */
	size_t			  nnames;
	size_t			  nfailing;	/* refused or dns-failure */
	size_t			  nunchecked;
};

/* One name of one certificate, and everything decided about it. */
struct result_name {
	const char		 *input;	/* as given */
	const char		 *display;	/* normalised, Unicode */
	const char		 *full;		/* A-label form, "*." kept */
	int			  wildcard;
	const char		 *cert;		/* certificate label or NULL */
	const struct result_cert *certificate;	/* or NULL */
	int			  share;	/* of the exit status: 0 when
						   it does not count */
	const char *const	 *issuers;	/* the CA's issuer domains */
	size_t			  nissuers;
	const char		 *account_uri;	/* or NULL */
	const char		 *method;	/* the method checked */
	enum verdict		  verdict;	/* from verdict_of() */
	/* The CA's CAA decision. */
	enum caa_verdict	  caa;
	int			  caa_cut;	/* failed: the deadline */
	int			  local;	/* not checked: our own
						   resolver failed a lookup */
	int			  relevant;	/* deciding level, -1: none */
	enum caa_tag		  considered;
	const char		 *reason;	/* NULL when allowed */
	const char		 *fix;		/* NULL: none */
	const char *const	 *warnings;	/* portability notes */
	size_t			  nwarnings;
	const struct result_query *const *levels; /* name up to the TLD */
	size_t			  nlevels;
	const struct result_dns01 *dns01;	/* NULL: not checked */
	/* SPEC 5.3 */
	int			  ns_failed;	/* a zone's server at fault */
	const char		 *ns_zone;	/* then: the first such zone */
	const char		 *ns_cut;	/* a level whose zone the
						   deadline kept unknown */
};

/* The whole run. */
struct result_run {
	const struct result_name	 *names;
	size_t				  nnames;
	const struct result_cert	 *certs;
	size_t				  ncerts;
	int				  unknown_allowed; /* SPEC 5.6:
						   not checked goes on */
	size_t				  count[VERDICT_NOT_CHECKED + 1];
						/* names per verdict */
	size_t				  local;	/* of those not
						   checked: because our own
						   resolver failed */
	const struct result_query	 *queries;	/* the CA's lookups */
	size_t				  nqueries;
	/*
	 * SPEC 5.7: the signatures that expire within signature_days of
	 * the run (earliest first): the CA's answers, and the zones' keys
	 * (DNSKEY) that the nameserver check looked up; and the earliest
	 * of all (0: none).
	 */
	int				  signature_days;
	const struct result_expiry	 *expiring;
	size_t				  nexpiring;
	long long			  sig_earliest;
	long long			  started_at;	/* the run's start */
	const struct result_lookup	 *lookups;	/* the probe's */
	size_t				  nlookups;
	enum verdict_level		  nameservers;
	const struct zone *const	 *zones;	/* NULL: check off */
	size_t				  nzones;
	const char			 *trust_anchor;	/* "" : no resolver */
	const char *const		 *resolver;	/* its settings,
							   "name value" */
	size_t				  nresolver;
	int				  timeout;	/* seconds */
	size_t				  started;	/* lookups */
	size_t				  not_sent;	/* of them */
	size_t				  direct;	/* direct queries */
	double				  elapsed_ms;
	int				  unreachable;	/* no answer at all */
	int				  exit;		/* SPEC 5.6 */
};

struct resolve_answer;

/*
 * A resolver answer (NULL: memory ran out) as the tree has it, for the
 * lookup (qname, qtype).  The strings stay the answer's own.
 */
void		 result_lookup_of(const char *, int,
		    const struct resolve_answer *, struct result_lookup *);

/* "NOERROR", "SERVFAIL", ...; "RCODE?" for others. */
const char	*result_rcode_name(int);
/* "CAA", "TXT", ...; "?" for types the run does not ask. */
const char	*result_type_name(int);
/* "timeout", "not-sent", "error", or the rcode's name. */
const char	*result_status_name(const struct result_lookup *);
/* "unknown", "insecure", "secure", "bogus". */
const char	*result_dnssec_name(enum result_dnssec);
/* "not asked", "timeout", ..., or the rcode's name. */
const char	*result_seen_name(const struct zone_seen *);

#endif /* RESULT_H */
