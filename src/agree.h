/*
 * agree: whether two authoritative servers' different answers for a
 * name lead the CA to the same decision (SPEC 5.3, rev. 2).  A CA that
 * looks from several places reaches either server; when both answers
 * give the same decision for this name, CA, account and method, the
 * difference is a warning, not a reason to block.  Pure.
 */
#ifndef AGREE_H
#define AGREE_H

#include <stddef.h>

#include "answer.h"
#include "caa.h"
#include "zone.h"

/*
 * The CAA decision for a name whose levels are given (as the validating
 * resolver saw them), once with level at replaced by server a's answer
 * and once by server b's.  1 when the two decisions are the same, 0
 * when they differ, -1 when memory ran out.
 */
int	 agree_caa(const struct caa_level *, size_t, size_t at, int wildcard,
	    const struct caa_policy *, const struct zone_seen *a,
	    const struct zone_seen *b);
/* The same for the dns-persist-01 decision over each server's TXT. */
int	 agree_persist(const struct answer_persist *,
	    const struct zone_seen *a, const struct zone_seen *b);

#endif /* AGREE_H */
