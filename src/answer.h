/*
 * answer: what the answer to one of the CA's lookups means to the CA —
 * a level of the CAA climb, or the dns-01 TXT lookup — in the CA's own
 * words (Boulder's "DNS problem: ..."), with a remedy.  Pure: it reads
 * a finished resolver answer and writes text.
 */
#ifndef ANSWER_H
#define ANSWER_H

#include <stddef.h>
#include <time.h>

#include "caa.h"

struct resolve_answer;

/* A CAA lookup as a level of the climb (RFC 8659 §3). */
struct answer_level {
	enum caa_level_state	 state;
	struct caa_record	*recs;		/* parsed RDATA */
	size_t			 nrecs;
	char			*failure;	/* FAILED: the CA's words */
	char			*fix;		/* FAILED: the remedy, or NULL */
	int			 cut;		/* the run's deadline, not DNS,
						   kept its answer */
	int			 local;		/* with cut: caa-preflight's
						   own resolver failed, not
						   the deadline */
};

/*
 * The level for the answer to CAA qname (a may be NULL: memory ran
 * out), in a run of timeout seconds.  The level's strings and records
 * are its own, freed by answer_level_clear().
 */
void	 answer_caa(const struct resolve_answer *, const char *, int,
	    struct answer_level *);
void	 answer_level_clear(struct answer_level *);

/*
 * RFC 8914: the Extended DNS Error code of a validation failure, from
 * the resolver's why_bogus text as Unbound derives it; *summary gets
 * Boulder's words for the code ("DNSSEC: Signature Expired").
 */
int	 answer_ede(const char *, const char **);

/*
 * SPEC 4.2, 5.4: the lookup of a DNS-based challenge's TXT record (the
 * _acme-challenge name of dns-01, the account's of dns-account-01), or
 * the dns-persist-01 authorization.
 */
struct answer_dns01 {
	int	 failed;	/* the lookup fails: the CA cannot read it */
	int	 cut;		/* failed: the deadline, not DNS */
	int	 local;		/* with cut: our own resolver failed */
	int	 refused;	/* dns-persist-01: no record authorizes */
	char	*reason;	/* failed or refused: why (NULL: memory) */
	char	*fix;		/* then: the remedy */
	char	*note;		/* a part not checked, or NULL */
};

/*
 * dns-01 and dns-account-01: the lookup must end in NOERROR or
 * NXDOMAIN.  method names the challenge in the reason.
 */
void	 answer_dns01(const struct resolve_answer *, const char *,
	    const char *method, int, struct answer_dns01 *);

/* What the dns-persist-01 decision is made for. */
struct answer_persist {
	const char *const	*issuers;	/* the CA's issuer domains */
	size_t			 nissuers;
	const char		*account;	/* NULL: not configured */
	int			 wildcard;
	time_t			 now;
};

/* dns-persist-01: the standing record must authorize (Boulder's words). */
void	 answer_persist(const struct resolve_answer *, const char *,
	    const struct answer_persist *, int, struct answer_dns01 *);
void	 answer_dns01_clear(struct answer_dns01 *);

#endif /* ANSWER_H */
