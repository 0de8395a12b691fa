/*
 * answer: a lookup's answer in the CA's words.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answer.h"
#include "caa.h"
#include "challenge.h"
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
 * RFC 8914: the Extended DNS Error Unbound attaches to a validation
 * failure, derived as Unbound derives it (validator/val_sigcrypt.c,
 * val_utils.c, validator.c) from the reason it also gives as text: the
 * text is what libunbound 1.17 hands back, the code is not.  Most
 * specific first; anything else is "DNSSEC Bogus".
 */
static const struct {
	const char	*text;		/* in the why_bogus text */
	int		 code;
} ede_texts[] = {
	{ "signature expired", 7 },
	{ "signature before inception date", 8 },
	{ "signature inception after expiration", 8 },
	{ "No DNSKEY record", 9 },
	{ "no DNSKEY rrset", 9 },
	{ "signatures from unknown keys", 9 },
	{ "did not match DS RRset", 9 },
	{ "did not match anchor RRset", 9 },
	{ "no keys have a DS", 9 },
	{ "dnskey revoked", 9 },
	{ "no signatures", 10 },
	{ "dnskey without ZSK flag", 11 },
	{ "unsupported algorithm", 1 },
	{ "no NSEC", 12 },
};

/* Boulder's summaries (bdns/problem.go), by EDE code. */
static const char *const ede_summaries[] = {
	"Other", "DNSSEC: Unsupported DNSKEY Algorithm",
	"DNSSEC: Unsupported DS Digest Type", "Stale Answer", "Forged Answer",
	"DNSSEC: Indeterminate", "DNSSEC: Bogus", "DNSSEC: Signature Expired",
	"DNSSEC: Signature Not Yet Valid", "DNSSEC: DNSKEY Missing",
	"DNSSEC: RRSIGs Missing", "DNSSEC: No Zone Key Bit Set",
	"DNSSEC: NSEC Missing",
};

int
answer_ede(const char *why_bogus, const char **summary)
{
	size_t	 i;
	int	 code = 6;

	for (i = 0; why_bogus != NULL &&
	    i < sizeof(ede_texts) / sizeof(ede_texts[0]); i++)
		if (strstr(why_bogus, ede_texts[i].text) != NULL) {
			code = ede_texts[i].code;
			break;
		}
	*summary = ede_summaries[code];
	return code;
}

/* The remedy for a validation failure, by its EDE code. */
static void
ede_fix(char **fix, int code, const char *qname)
{
	switch (code) {
	case 7:
		setf(fix, "re-sign the zone holding %s: its signatures have "
		    "expired (is the signer still running?)", qname);
		break;
	case 8:
		setf(fix, "check the signer's clock: the signatures of the "
		    "zone holding %s are not valid yet", qname);
		break;
	case 9:
		setf(fix, "the DS record at the parent names no key the zone "
		    "holding %s is signed with: publish the DS of its current "
		    "key at the registrar, or remove the DS if the zone is no "
		    "longer signed", qname);
		break;
	case 10:
		setf(fix, "sign the zone holding %s (its answers carry no "
		    "signatures although its parent says it is signed), or "
		    "remove its DS record at the parent", qname);
		break;
	default:
		setf(fix, "re-sign the zone holding %s (signatures expired or "
		    "missing?) or correct its DS record at the parent", qname);
		break;
	}
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

/*
 * SPEC 5.6: a lookup libunbound itself failed (its error, or memory
 * running out here) says nothing about DNS, and the CA would not have
 * met it: the name is not checked, never failed.  Writes why.
 */
static int
local_failure(const struct resolve_answer *a, const char *qname,
    const char *what, char *why, size_t whylen)
{
	if (a != NULL && a->state != RESOLVE_ERROR)
		return 0;
	(void)snprintf(why, whylen, "not checked: caa-preflight's own "
	    "resolver failed looking up %s for %s: %s", what, qname,
	    a == NULL ? "out of memory" : a->error != NULL ? a->error :
	    "unknown error");
	return 1;
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
	if (local_failure(a, qname, "CAA", cwhy, sizeof(cwhy))) {
		q->cut = 1;
		q->local = 1;
		setf(&q->failure, "%s", cwhy);
		setf(&q->fix, "%s", VERDICT_FIX_LOCAL);
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
	case RESOLVE_ERROR:	/* local_failure() took it */
	case RESOLVE_DONE:
		break;
	}
	/* SPEC 4.1: Boulder quotes the resolver's Extended DNS Error. */
	if (a->dnssec == RESOLVE_BOGUS) {
		const char	*summary;
		int		 code = answer_ede(a->why_bogus, &summary);

		setf(&q->failure, "DNS problem: looking up CAA for %s: %s: %s",
		    qname, summary, a->why_bogus);
		ede_fix(&q->fix, code, qname);
		return;
	}
	if (a->rcode == 3) {
		q->state = CAA_LEVEL_NXDOMAIN;
		return;
	}
	if (a->rcode != 0) {
		/* Boulder explains SERVFAIL, and no other rcode. */
		setf(&q->failure, "DNS problem: %s looking up CAA for %s%s",
		    result_rcode_name(a->rcode), qname, a->rcode == 2 ?
		    " - the domain's nameservers may be malfunctioning" : "");
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
/* " (alias of T)" when the lookup was answered at another name. */
static void
alias_note(const struct resolve_answer *a, const char *qname, char *via,
    size_t size)
{
	size_t	 n = strlen(qname);

	via[0] = '\0';
	if (a != NULL && a->canonname != NULL &&
	    strcmp(a->canonname, qname) != 0 &&
	    !(strncmp(a->canonname, qname, n) == 0 &&
	    strcmp(a->canonname + n, ".") == 0))
		(void)snprintf(via, size, " (alias of %s)", a->canonname);
}

/*
 * Whether the run, not DNS, kept the lookup (the deadline, or our own
 * resolver failed it); then n says so.
 */
static int
not_checked_run(const struct resolve_answer *a, const char *qname, int timeout,
    const char *method, struct answer_dns01 *n)
{
	char	 what[64], why[CAA_TEXTLEN];

	(void)snprintf(what, sizeof(what), "TXT (%s)", method);
	if (local_failure(a, qname, what, why, sizeof(why))) {
		n->local = 1;
		setf(&n->fix, "%s", VERDICT_FIX_LOCAL);
	} else if (cut_short(a, timeout)) {
		not_checked(a, qname, timeout, what, why, sizeof(why));
		setf(&n->fix, "%s", VERDICT_FIX_DEADLINE);
	} else
		return 0;
	n->failed = 1;
	n->cut = 1;
	setf(&n->reason, "%s", why);
	return 1;
}

void
answer_dns01(const struct resolve_answer *a, const char *qname,
    const char *method, int timeout, struct answer_dns01 *n)
{
	char			 via[NAME_MAX_TEXT + 32];
	const char		*summary;

	memset(n, 0, sizeof(*n));
	if (not_checked_run(a, qname, timeout, method, n))
		return;
	alias_note(a, qname, via, sizeof(via));
	/* not_checked_run() took a lookup the resolver failed. */
	if (a->state == RESOLVE_TIMEOUT)
		setf(&n->reason, "%s: query timed out looking up TXT for %s (no "
		    "answer within the %d s deadline); the CA cannot read the "
		    "challenge", method, qname, timeout);
	else if (a->dnssec == RESOLVE_BOGUS) {
		(void)answer_ede(a->why_bogus, &summary);
		setf(&n->reason, "%s: DNS problem: looking up TXT for %s%s: %s: "
		    "%s", method, qname, via, summary, a->why_bogus);
	} else if (a->rcode != 0 && a->rcode != 3)
		setf(&n->reason, "%s: %s looking up TXT for %s%s; the CA cannot "
		    "read the challenge", method, result_rcode_name(a->rcode),
		    qname, via);
	else
		return;
	setf(&n->fix, "every nameserver of the zone holding %s must answer "
	    "TXT queries for it with NOERROR or NXDOMAIN", via[0] ?
	    a->canonname : qname);
	n->failed = 1;
}

/* The record that authorizes the account, in zone-file syntax. */
static void
persist_fix(struct answer_dns01 *n, const char *qname,
    const struct answer_persist *p)
{
	setf(&n->fix, "%s. TXT \"%s; accounturi=%s%s\"", qname,
	    p->nissuers > 0 ? p->issuers[0] : "", p->account ? p->account :
	    "<your ACME account URI>", p->wildcard ? "; policy=wildcard" : "");
}

void
answer_persist(const struct resolve_answer *a, const char *qname,
    const struct answer_persist *p, int timeout, struct answer_dns01 *n)
{
	char		 reason[4096];
	const char	*why;

	memset(n, 0, sizeof(*n));
	if (not_checked_run(a, qname, timeout, "dns-persist-01", n))
		return;
	/*
	 * Boulder: a lookup that fails fails the challenge, in its words
	 * (not_checked_run() took a lookup the resolver failed, or none).
	 */
	if (a->state != RESOLVE_DONE ||
	    a->dnssec == RESOLVE_BOGUS || (a->rcode != 0 && a->rcode != 3)) {
		answer_dns01(a, qname, "dns-persist-01", timeout, n);
		return;
	}
	if (a->rcode == 3) {
		why = "Retrieving TXT records for DNS-PERSIST-01 challenge: DNS "
		    "problem: NXDOMAIN looking up TXT for";
		setf(&n->reason, "dns-persist-01: %s %s - check that a DNS "
		    "record exists for this domain", why, qname);
		n->refused = 1;
		persist_fix(n, qname, p);
		return;
	}
	if (challenge_persist_decide(a->rdata, a->rdlen, a->nrdata,
	    p->issuers, p->nissuers, p->account, p->wildcard, p->now, reason,
	    sizeof(reason)) == -1) {
		setf(&n->reason, "dns-persist-01: %s", reason);
		n->refused = 1;
		persist_fix(n, qname, p);
		return;
	}
	if (p->account == NULL)
		setf(&n->note, "dns-persist-01: the record at %s names the CA, "
		    "but its accounturi was not checked: no account URI is "
		    "configured (account_uri)", qname);
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
	free(n->note);
	memset(n, 0, sizeof(*n));
}
