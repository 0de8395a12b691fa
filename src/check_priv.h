/*
 * check_priv: the check's own state, shared by its files (check.c runs
 * the lookups and decides; checktree.c builds the result tree from what
 * they left; checkns.c feeds the nameserver check; checkfd.c fits the
 * run to its descriptors).  Nothing outside the check includes it.
 */
#ifndef CHECK_PRIV_H
#define CHECK_PRIV_H

#include <stddef.h>
#include <time.h>

#include "answer.h"
#include "caa.h"
#include "challenge.h"
#include "conf.h"
#include "name.h"
#include "resolve.h"
#include "result.h"
#include "verdict.h"

struct probe;
struct servers;
struct zone;

/* One lookup of the run, shared by every name that needs it. */
struct check_query {
	char			*qname;
	int			 qtype;
	struct resolve_answer	*ans;		/* NULL until answered */
	struct answer_level	 lv;		/* CAA: the level */
	char			*target;	/* answered through an alias:
						   its final target, else NULL */
	struct check_query	*next;		/* hash chain */
	struct check_query	*order;		/* creation order */
	/* The run, and the names (indices) waiting for it. */
	struct check		*run;
	size_t			*waiters;
	size_t			 nwaiters;
	int			 settled;	/* its answer was taken in */
	size_t			 seq;		/* creation order */
	size_t			 kids;		/* child levels seen */
	size_t			 rank;		/* its place among siblings */
	struct check_query	*ready;		/* answered, to take in */
	/* SPEC 5.7: a validated answer's earliest signature. */
	time_t			 sig_expires;	/* 0: none */
	char			*signer;	/* the zone that signed it */
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
	char			 *full;		/* A-label form, "*." kept */
	struct check_ident	  nm;
	const char		 *cert;		/* certificate label or NULL */
	const struct conf_cert	 *ccert;	/* its certificate, or NULL */
	struct policy	  pol;		/* effective, borrowed */
	const char		 *method;	/* method used for this name */
	struct check_query	**levels;	/* name up to TLD */
	size_t			  nlevels;
	struct check_query	 *acme;		/* the challenge's TXT, or NULL */
	enum challenge_kind	  challenge;	/* what acme is the name of */
	enum conf_level		  acme_level;	/* severity of acme failures */
	struct answer_dns01	  dns01;	/* what its answer means */
	struct check_decision	  dec;
	int			  caa_cut;	/* failed on a level the
						   deadline cut short */
	int			  ns_failed;	/* a zone's server at fault */
	const char		 *ns_zone;	/* the first such zone */
	const char		 *ns_cut;	/* a level whose zone the
						   deadline kept unknown */
	enum verdict		  verdict;
	size_t			  waiting;	/* its lookups not answered */
	int			  decided;
	int			  late;		/* a lookup of its was late */
};


/* The record types the check asks for. */
#define TYPE_NS		2
#define TYPE_TXT	16
#define TYPE_DS		43
#define TYPE_DNSKEY	48
#define TYPE_CAA	257

/* Enough for a 253-character name: at most 127 labels. */
#define MAXLEVELS	128
/* Wait for a direct answer before the one retry. */
#define PROBE_ATTEMPT_MS	1000

struct check {
	const struct conf	 *c;
	size_t			  probe_fds;	/* 0: PROBE_MAXOPEN */
	struct check_name	 *names;
	size_t			  nnames;
	size_t			  cap;
	struct check_query	**buckets;	/* hash of queries */
	size_t			  nbuckets;
	size_t			  nqueries;
	struct check_query	 *first;	/* creation order */
	struct check_query	 *last;
	struct check_query	 *ready;	/* answered, not taken in */
	int			  nomem;
	struct resolve		 *r;		/* validating: the CA's */
	struct resolve		 *rp;		/* not: the probe's own */
	struct probe		 *pr;		/* NULL: nameservers: off */
	struct servers		 *srv;
	char			  ta[256];
	char			  settings[RESOLVE_NSETTINGS]
					      [RESOLVE_SETTING_LEN];
	const char		 *psettings[RESOLVE_NSETTINGS];
	size_t			  nsettings;	/* the resolver's, for -v */
	double			  elapsed;
	time_t			  now;		/* when the run started */
	int			  unreachable;	/* no lookup got an answer */
	/* The result tree, and the arrays it points into. */
	struct result_run	  res;
	struct result_name	 *rnames;
	struct result_expiry	 *rexpiring;
	char			**rsigners;	/* the probe's, to free */
	size_t			  nrsigners;
	struct result_cert	 *rcerts;
	struct result_query	 *rqueries;
	const struct result_query **rlevels;
	struct result_dns01	 *rdns01;
	struct result_lookup	 *rlookups;
	const struct zone	**rzones;
};

/* How much a configured check counts, as the verdict takes it. */
enum verdict_level check_level(enum conf_level);
/*
 * True when not one lookup of the run got a DNS answer (every one timed
 * out or failed with SERVFAIL): no network, or a broken resolver set-up.
 */
int		 check_unreachable(const struct check *);
/* Fill k->res from the finished run.  0, or -1 when memory ran out. */
int		 check_build_result(struct check *);
/* The alias target of a lookup, when it has one, normalised: 1, else 0. */
int		 check_alias_target(const struct check_query *, char *,
		    size_t);

/* checkfd.c */
/*
 * Fit the resolvers' UDP ports (resolve_set_ports()) and the probe's
 * sockets (k->probe_fds, 0 when the default fits) to the limit on open
 * files.  0, or -1 with err written when even the fewest do not fit.
 */
int		 check_fit_descriptors(struct check *, char *err,
		    size_t errlen);

/* checkns.c */
/*
 * Hand the zones of a decided name to the nameserver check: the levels
 * the CA's decision rests on, alias targets, the challenge's name.  0,
 * or -1 when memory ran out.
 */
int		 check_want(struct check *, struct check_name *);
/* resolve_each_late()'s function for the CA's lookups (ctx: the run). */
void		 check_late(void *ctx, void *arg);
/* Start the lookups that find the zones' servers.  0, or -1. */
int		 check_warm(struct check *);

#endif /* CHECK_PRIV_H */
