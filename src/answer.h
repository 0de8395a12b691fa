/*
 * answer: what the answer to one of the CA's lookups means to the CA —
 * a level of the CAA climb, or the dns-01 TXT lookup — in the CA's own
 * words (Boulder's "DNS problem: ..."), with a remedy.  Pure: it reads
 * a finished resolver answer and writes text.
 */
#ifndef ANSWER_H
#define ANSWER_H

#include <stddef.h>

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
};

/*
 * The level for the answer to CAA qname (a may be NULL: memory ran
 * out), in a run of timeout seconds.  The level's strings and records
 * are its own, freed by answer_level_clear().
 */
void	 answer_caa(const struct resolve_answer *, const char *, int,
	    struct answer_level *);
void	 answer_level_clear(struct answer_level *);

/* SPEC 5.4: the _acme-challenge TXT lookup. */
struct answer_dns01 {
	int	 failed;	/* the CA cannot read the challenge */
	int	 cut;		/* failed: the deadline, not DNS */
	char	*reason;	/* failed: why (NULL: memory ran out) */
	char	*fix;		/* failed: the remedy */
};

/*
 * RFC 8914: the Extended DNS Error code of a validation failure, from
 * the resolver's why_bogus text as Unbound derives it; *summary gets
 * Boulder's words for the code ("DNSSEC: Signature Expired").
 */
int	 answer_ede(const char *, const char **);

void	 answer_dns01(const struct resolve_answer *, const char *, int,
	    struct answer_dns01 *);
void	 answer_dns01_clear(struct answer_dns01 *);

#endif /* ANSWER_H */
