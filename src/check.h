/*
 * check: per-name orchestration.  Builds the set of lookups for every
 * name (each shared level asked once), runs them all at once through
 * resolve, and feeds the results to the caa decision.
 */
#ifndef CHECK_H
#define CHECK_H

#include <stddef.h>

#include "caa.h"
#include "conf.h"
#include "name.h"

struct resolve_answer;
struct servers;

/* One lookup of the run, shared by every name that needs it. */
struct check_query {
	char			*qname;
	int			 qtype;
	struct resolve_answer	*ans;		/* NULL until answered */
	/* For CAA queries, the level as the decision sees it: */
	enum caa_level_state	 state;
	struct caa_record	*recs;		/* parsed RDATA */
	size_t			 nrecs;
	char			*failure;	/* FAILED: the CA's words */
	char			*fix;		/* FAILED: the remedy */
	struct check_query	*next;		/* hash chain */
	struct check_query	*order;		/* creation order */
	/* Internal: the run, and the names (indices) waiting for it. */
	struct check		*run;
	size_t			*waiters;
	size_t			 nwaiters;
	int			 settled;	/* its answer was taken in */
	int			 cut;		/* the run's deadline, not
						   DNS, kept its answer */
	size_t			 seq;		/* creation order */
	size_t			 kids;		/* child levels seen */
	size_t			 rank;		/* its place among siblings */
	struct check_query	*ready;		/* answered, to take in */
};

enum check_verdict {
	CHECK_OK,
	CHECK_REFUSED,
	CHECK_DNS_FAILURE,
	CHECK_NOT_SUBJECT,	/* IP address: CAs skip CAA */
	CHECK_NOT_CHECKED	/* the run's deadline came first */
};

/*
 * The CA's decision for a name, kept compact: a run can hold many
 * thousands (caa_decide's own buffers are scratch).
 */
struct check_decision {
	enum caa_verdict	 verdict;
	int			 level;		/* deciding level, -1: none */
	enum caa_tag		 considered;
	char			*reason;	/* NULL when allowed */
	char			*fix;		/* NULL: none */
	char			**warn;		/* portability notes */
	size_t			 nwarn;
};

/* A parsed name, kept compact (struct name is a parser's buffer). */
struct check_ident {
	enum name_kind	 kind;
	int		 wildcard;
	char		*ascii;		/* A-label form, no "*." */
	char		*display;	/* as given, normalised */
};

/* One name of one certificate and everything decided about it. */
struct check_name {
	char			 *input;	/* as given */
	struct check_ident	  nm;
	const char		 *cert;		/* certificate label or NULL */
	struct conf_policy	  pol;		/* effective, borrowed */
	const char		 *method;	/* method used for this name */
	struct check_query	**levels;	/* name up to TLD */
	size_t			  nlevels;
	struct check_query	 *acme;		/* _acme-challenge TXT, or NULL */
	enum conf_level		  acme_level;	/* severity of acme failures */
	int			  acme_failed;
	int			  acme_cut;	/* failed: not checked */
	char			 *acme_reason;	/* set when acme_failed */
	char			 *acme_fix;
	struct check_decision	  dec;
	int			  ns_failed;	/* a zone's server at fault */
	const char		 *ns_zone;	/* the first such zone */
	const char		 *ns_cut;	/* a level whose zone the
						   deadline kept unknown */
	enum check_verdict	  verdict;
	size_t			  waiting;	/* its lookups not answered */
	int			  decided;
};

struct check;

/* The remedy for a name the run's deadline left not checked. */
#define CHECK_FIX_DEADLINE "raise timeout so that the whole run fits in " \
	"it, or check fewer names per run"

/* A run over a configuration (borrowed; must outlive the check). */
struct check	*check_new(const struct conf *);
void		 check_free(struct check *);

/*
 * Add a name of a certificate.  Returns 0, or -1 with a message in why
 * when the name is invalid (or memory ran out).
 */
int		 check_add(struct check *, const char *, const struct conf_cert *,
		    char *why, size_t);

/*
 * Resolve everything and decide.  Returns 0, or -1 when the check could
 * not be done at all (resolver set-up), with the reason in err.
 */
int		 check_run(struct check *, char *err, size_t);

size_t		 check_count(const struct check *);
struct check_name *check_get(struct check *, size_t);
/* Queries in the order they were made, for the -v trace. */
const struct check_query *check_queries(const struct check *);
/* The trust anchor the resolver used. */
const char	*check_trust_anchor(const struct check *);
/* How the resolver sends lookups ("qname-minimisation yes, ..."). */
const char	*check_resolver_settings(const struct check *);
size_t		 check_started(const struct check *);
/* Lookups the deadline kept from being sent. */
size_t		 check_not_sent(const struct check *);
/* Direct queries sent to nameservers (retries included). */
size_t		 check_probes_sent(const struct check *);
/* The nameserver check, or NULL when it is off. */
const struct servers *check_servers(const struct check *);
const struct conf *check_conf(const struct check *);
double		 check_elapsed_ms(const struct check *);
/*
 * True when not one lookup of the run got a DNS answer (every one timed
 * out or failed with SERVFAIL): no network, or a broken resolver set-up,
 * rather than a verdict about the names.
 */
int		 check_unreachable(const struct check *);
/* Whether the CAA decision failed on a level the deadline cut short. */
int		 check_caa_cut(const struct check_name *);
/* SPEC 5.6: 0 ok, 1 refused, 2 DNS failure, 3 a name not checked. */
int		 check_exit(const struct check *);

const char	*check_verdict_name(enum check_verdict);
const char	*check_rcode_name(int);

#endif /* CHECK_H */
