/*
 * answer: a lookup's answer in the CA's words.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answer.h"
#include "caa.h"
#include "name.h"
#include "resolve.h"
#include "result.h"
#include "verdict.h"

static void
setf(char **dst, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Replace *dst with the formatted text; NULL when memory ran out. */
static void
setf(char **dst, const char *fmt, ...)
{
	va_list	 ap;

	free(*dst);
	va_start(ap, fmt);
	if (vasprintf(dst, fmt, ap) == -1)
		*dst = NULL;
	va_end(ap);
}

/*
 * Whether the run, not DNS, kept a lookup's answer: the deadline passed
 * before it was sent, or when it had had less than half of the run's
 * time.  Such a lookup says nothing about the name's servers, and a
 * name resting on it is not checked rather than failed.  A lookup
 * asked for most of the run and left unanswered timed out as the CA's
 * would.
 */
static int
cut_short(const struct resolve_answer *a, int timeout)
{
	return a != NULL && a->state == RESOLVE_TIMEOUT &&
	    (!a->sent || a->ms < timeout * 500.0);
}

/* Why a lookup cut_short() kept leaves its name not checked. */
static void
not_checked(const struct resolve_answer *a, const char *qname, int timeout,
    const char *what, char *why, size_t whylen)
{
	if (!a->sent)
		(void)snprintf(why, whylen, "not checked: the run's %d s "
		    "deadline passed before %s for %s was looked up",
		    timeout, what, qname);
	else
		(void)snprintf(why, whylen, "not checked: %s for %s was "
		    "asked only %.1f s before the run's %d s deadline "
		    "passed", what, qname, a->ms / 1000.0, timeout);
}

/*
 * Turn a CAA answer into a level of the climb, in the CA's words
 * (Boulder's "DNS problem: ..." messages) with a remedy.
 */
void
answer_caa(const struct resolve_answer *a, const char *qname, int timeout,
    struct answer_level *q)
{
	const char		*why;
	char			 cwhy[CAA_TEXTLEN];
	size_t			 i;

	memset(q, 0, sizeof(*q));
	q->state = CAA_LEVEL_FAILED;
	if (a == NULL) {
		setf(&q->failure, "DNS problem: out of memory looking up CAA "
		    "for %s", qname);
		return;
	}
	if (cut_short(a, timeout)) {
		q->cut = 1;
		not_checked(a, qname, timeout, "CAA", cwhy, sizeof(cwhy));
		setf(&q->failure, "%s", cwhy);
		setf(&q->fix, "%s", VERDICT_FIX_DEADLINE);
		return;
	}
	switch (a->state) {
	case RESOLVE_TIMEOUT:
		setf(&q->failure, "DNS problem: query timed out looking up CAA "
		    "for %s (no answer within the %d s deadline)", qname,
		    timeout);
		setf(&q->fix, "make sure every nameserver of %s answers CAA "
		    "queries (type 257); if the network is slow, raise "
		    "timeout", qname);
		return;
	case RESOLVE_ERROR:
		setf(&q->failure, "DNS problem: resolver error looking up CAA "
		    "for %s: %s", qname, a->error ? a->error : "unknown");
		return;
	case RESOLVE_DONE:
		break;
	}
	if (a->dnssec == RESOLVE_BOGUS) {
		setf(&q->failure, "DNS problem: DNSSEC validation failed "
		    "looking up CAA for %s: %s", qname, a->why_bogus);
		setf(&q->fix, "re-sign the zone holding %s (signatures expired "
		    "or missing?) or correct its DS record at the parent",
		    qname);
		return;
	}
	if (a->rcode == 3) {
		q->state = CAA_LEVEL_NXDOMAIN;
		return;
	}
	if (a->rcode != 0) {
		setf(&q->failure, "DNS problem: %s looking up CAA for %s - the "
		    "domain's nameservers may be malfunctioning",
		    result_rcode_name(a->rcode), qname);
		setf(&q->fix, "every nameserver of the zone holding %s must "
		    "answer CAA queries (type 257) with NOERROR: look for "
		    "software or a firewall that rejects unknown types",
		    qname);
		return;
	}
	if (a->nrdata > 0 &&
	    (q->recs = calloc(a->nrdata, sizeof(*q->recs))) == NULL) {
		setf(&q->failure, "DNS problem: out of memory looking up CAA "
		    "for %s", qname);
		return;
	}
	for (i = 0; i < a->nrdata; i++) {
		if (caa_record_parse(a->rdata[i], a->rdlen[i], &q->recs[i],
		    &why) == -1) {
			setf(&q->failure, "DNS problem: malformed CAA record "
			    "for %s (%s), so the CA rejects the whole answer",
			    qname, why);
			setf(&q->fix, "delete and re-create the CAA records "
			    "of %s; the nameserver sends one corrupt",
			    qname);
			return;
		}
		q->nrecs++;
	}
	q->state = CAA_LEVEL_ANSWER;
}

/* SPEC 5.4: the _acme-challenge lookup must end in NOERROR/NXDOMAIN. */
void
answer_dns01(const struct resolve_answer *a, const char *qname, int timeout,
    struct answer_dns01 *n)
{
	char			 via[NAME_MAX_TEXT + 32] = "";
	char			 why[CAA_TEXTLEN], fix[CAA_TEXTLEN];

	memset(n, 0, sizeof(*n));
	if (cut_short(a, timeout)) {
		not_checked(a, qname, timeout, "TXT (dns-01)", why,
		    sizeof(why));
		n->failed = 1;
		n->cut = 1;
		n->reason = strdup(why);
		n->fix = strdup(VERDICT_FIX_DEADLINE);
		return;
	}

	if (a != NULL && a->canonname != NULL &&
	    strcmp(a->canonname, qname) != 0 &&
	    !(strncmp(a->canonname, qname, strlen(qname)) == 0 &&
	    strcmp(a->canonname + strlen(qname), ".") == 0))
		(void)snprintf(via, sizeof(via), " (alias of %s)",
		    a->canonname);
	if (a == NULL || a->state == RESOLVE_ERROR)
		(void)snprintf(why, sizeof(why),
		    "dns-01: resolver error looking up TXT for %s: %s",
		    qname, a && a->error ? a->error : "out of memory");
	else if (a->state == RESOLVE_TIMEOUT)
		(void)snprintf(why, sizeof(why),
		    "dns-01: query timed out looking up TXT for %s (no "
		    "answer within the %d s deadline); the CA cannot read the "
		    "challenge", qname, timeout);
	else if (a->dnssec == RESOLVE_BOGUS)
		(void)snprintf(why, sizeof(why),
		    "dns-01: DNSSEC validation failed looking up TXT for "
		    "%s%s: %s", qname, via, a->why_bogus);
	else if (a->rcode != 0 && a->rcode != 3)
		(void)snprintf(why, sizeof(why),
		    "dns-01: %s looking up TXT for %s%s; the CA cannot read "
		    "the challenge", result_rcode_name(a->rcode), qname,
		    via);
	else
		return;
	(void)snprintf(fix, sizeof(fix), "every nameserver of the zone "
	    "holding %s must answer TXT queries for it with NOERROR or "
	    "NXDOMAIN", via[0] ? a->canonname : qname);
	n->failed = 1;
	n->reason = strdup(why);
	n->fix = strdup(fix);
}


void
answer_level_clear(struct answer_level *q)
{
	size_t	 i;

	for (i = 0; i < q->nrecs; i++)
		caa_record_clear(&q->recs[i]);
	free(q->recs);
	free(q->failure);
	free(q->fix);
	memset(q, 0, sizeof(*q));
}

void
answer_dns01_clear(struct answer_dns01 *n)
{
	free(n->reason);
	free(n->fix);
	memset(n, 0, sizeof(*n));
}
