/*
 * dnssec: the per-server signature check of SPEC 5.3.  A server whose
 * answer carries expired or missing signatures, while the validating
 * resolver proved the zone's keys, is named; each RRset and signature
 * is checked once per run, and one the resolver itself proved is not
 * checked again.  No I/O.
 */
#ifndef DNSSEC_H
#define DNSSEC_H

#include <stddef.h>

#include <ldns/ldns.h>

/* The RRsets and signatures the validating resolver proved. */
struct dnssec_proven;

struct dnssec_proven *dnssec_proven_new(void);
void		 dnssec_proven_free(struct dnssec_proven *);
/*
 * Remember every RRset of a secure answer that carries exactly one
 * RRSIG: the resolver verified that signature.  0, or -1 when memory
 * ran out.
 */
int		 dnssec_prove(struct dnssec_proven *, const ldns_pkt *);
/* How many RRsets are remembered. */
size_t		 dnssec_proven_count(const struct dnssec_proven *);

/* One signed zone's keys and the verdicts reached for it so far. */
struct dnssec_zone;

/*
 * A zone to check answers of; proven (may be NULL) is borrowed and
 * must outlive it.  NULL when memory ran out.
 */
struct dnssec_zone *dnssec_zone_new(const char *apex,
		    const struct dnssec_proven *);
void		 dnssec_zone_free(struct dnssec_zone *);
/*
 * Take the zone's DNSKEY records from the answer the validating
 * resolver proved.  0, or -1 when memory ran out.
 */
int		 dnssec_zone_keys(struct dnssec_zone *, const ldns_pkt *);
/* Whether the keys are known (dnssec_zone_keys() was called). */
int		 dnssec_zone_ready(const struct dnssec_zone *);
/*
 * RFC 4035 §5.3: every RRset of the zone in the answer and authority
 * sections of pkt must carry a signature that verifies now with the
 * zone's keys.  NULL when they do; else a static description of what
 * fails, with the failing RRset ("owner TYPE") written into what.
 */
const char	*dnssec_check(struct dnssec_zone *, const ldns_pkt *,
		    char *what, size_t);

#endif /* DNSSEC_H */
