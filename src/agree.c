/*
 * agree: do two servers' answers lead to the same decision?
 */
#include <stdlib.h>
#include <string.h>

#include "agree.h"
#include "answer.h"
#include "caa.h"
#include "challenge.h"
#include "zone.h"

/*
 * A server's answer as a level of the climb: NXDOMAIN, its records, or
 * a failure when one does not parse (the CA's DNS library rejects the
 * whole answer).  The records are the caller's to clear and free.
 */
static int
level_of(const struct zone_seen *q, struct caa_level *lv,
    struct caa_record **recs)
{
	const char	*why;
	size_t		 i;

	*recs = NULL;
	lv->records = NULL;
	lv->nrecords = 0;
	lv->failure = lv->fix = NULL;
	if (q->rcode == 3) {
		lv->state = CAA_LEVEL_NXDOMAIN;
		return 0;
	}
	lv->state = CAA_LEVEL_ANSWER;
	if (q->nrdata == 0)
		return 0;
	if ((*recs = calloc(q->nrdata, sizeof(**recs))) == NULL)
		return -1;
	for (i = 0; i < q->nrdata; i++)
		if (caa_record_parse(q->rdata[i], q->rdlen[i], &(*recs)[i],
		    &why) == -1) {
			lv->state = CAA_LEVEL_FAILED;
			lv->failure = "malformed CAA record";
			break;
		}
	lv->records = *recs;
	lv->nrecords = lv->state == CAA_LEVEL_ANSWER ? q->nrdata : 0;
	return 0;
}

static void
records_free(struct caa_record *recs, size_t n)
{
	size_t	 i;

	for (i = 0; recs != NULL && i < n; i++)
		caa_record_clear(&recs[i]);
	free(recs);
}

int
agree_caa(const struct caa_level *levels, size_t n, size_t at, int wildcard,
    const struct caa_policy *pol, const struct zone_seen *a,
    const struct zone_seen *b)
{
	struct caa_level	*lv;
	struct caa_record	*ra = NULL, *rb = NULL;
	struct caa_decision	*da, *db;
	int			 rc = -1;

	lv = calloc(n, sizeof(*lv));
	da = calloc(1, sizeof(*da));
	db = calloc(1, sizeof(*db));
	if (lv == NULL || da == NULL || db == NULL || at >= n)
		goto out;
	memcpy(lv, levels, n * sizeof(*lv));
	if (level_of(a, &lv[at], &ra) == -1)
		goto out;
	lv[at].name = levels[at].name;
	caa_decide(lv, n, wildcard, pol, da);
	if (level_of(b, &lv[at], &rb) == -1)
		goto out;
	caa_decide(lv, n, wildcard, pol, db);
	rc = da->verdict == db->verdict && strcmp(da->reason, db->reason) == 0;
out:
	records_free(ra, a->nrdata);
	records_free(rb, b->nrdata);
	free(lv);
	free(da);
	free(db);
	return rc;
}

/* The dns-persist-01 decision over one server's answer. */
static int
persist_of(const struct answer_persist *p, const struct zone_seen *q,
    char *reason, size_t size)
{
	if (q->rcode == 3) {
		(void)strncpy(reason, "NXDOMAIN", size);
		return -1;
	}
	return challenge_persist_decide(q->rdata, q->rdlen, q->nrdata,
	    p->issuers, p->nissuers, p->account, p->wildcard, p->now, reason,
	    size);
}

int
agree_persist(const struct answer_persist *p, const struct zone_seen *a,
    const struct zone_seen *b)
{
	char	 ra[4096] = "", rb[4096] = "";

	return persist_of(p, a, ra, sizeof(ra)) ==
	    persist_of(p, b, rb, sizeof(rb)) && strcmp(ra, rb) == 0;
}
