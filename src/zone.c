/*
 * zone: a zone as its servers answered, and the SPEC 5.3 findings.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "zone.h"

#define T_TXT	16

struct zone *
zone_new(const char *apex)
{
	struct zone	*z;

	if ((z = calloc(1, sizeof(*z))) == NULL)
		return NULL;
	if ((z->apex = strdup(apex)) == NULL) {
		free(z);
		return NULL;
	}
	return z;
}

void
zone_seen_clear(struct zone_seen *q)
{
	size_t	 i;

	free(q->qname);
	for (i = 0; i < q->nrecords; i++)
		free(q->records[i]);
	free(q->records);
	free(q->err);
	free(q->sig_why);
	free(q->sig_what);
	for (i = 0; i < q->nrdata; i++)
		free(q->rdata[i]);
	free(q->rdata);
	free(q->rdlen);
}

static char *
dup_or_null(const char *s, int *failed)
{
	char	*d;

	if (s == NULL)
		return NULL;
	if ((d = strdup(s)) == NULL)
		*failed = 1;
	return d;
}

int
zone_seen_copy_answer(struct zone_seen *dst, const struct zone_seen *src)
{
	size_t	 i;
	int	 failed = 0;

	dst->rcode = src->rcode;
	dst->aa = src->aa;
	dst->soa_in_auth = src->soa_in_auth;
	dst->serial = src->serial;
	dst->case_lost = src->case_lost;
	dst->sig_expires = src->sig_expires;
	dst->sig_why = dup_or_null(src->sig_why, &failed);
	dst->sig_what = dup_or_null(src->sig_what, &failed);
	if (src->nrecords > 0 && (dst->records = calloc(src->nrecords,
	    sizeof(*dst->records))) == NULL)
		return -1;
	for (i = 0; i < src->nrecords && !failed; i++, dst->nrecords++)
		dst->records[i] = dup_or_null(src->records[i], &failed);
	if (src->nrdata > 0 && ((dst->rdata = calloc(src->nrdata,
	    sizeof(*dst->rdata))) == NULL || (dst->rdlen = calloc(src->nrdata,
	    sizeof(*dst->rdlen))) == NULL))
		return -1;
	for (i = 0; i < src->nrdata && !failed; i++, dst->nrdata++) {
		dst->rdlen[i] = src->rdlen[i];
		if ((dst->rdata[i] = malloc(src->rdlen[i] > 0 ?
		    src->rdlen[i] : 1)) == NULL)
			failed = 1;
		else
			memcpy(dst->rdata[i], src->rdata[i], src->rdlen[i]);
	}
	return failed ? -1 : 0;
}

static void
strv_free(char **v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void
zone_free(struct zone *z)
{
	size_t	 i, j;

	if (z == NULL)
		return;
	free(z->apex);
	free(z->parent);
	strv_free(z->names, z->nnames);
	free(z->types);
	strv_free(z->child_ns, z->nchild);
	strv_free(z->parent_ns, z->nparent);
	for (i = 0; i < z->nparents; i++) {
		free(z->parents[i].host);
		free(z->parents[i].addr);
		zone_seen_clear(&z->parents[i].ns);
	}
	for (i = 0; i < z->nservers; i++) {
		free(z->servers[i].host);
		free(z->servers[i].addr);
		free(z->servers[i].nsid);
		zone_seen_clear(&z->servers[i].soa);
		for (j = 0; j < z->servers[i].nq; j++)
			zone_seen_clear(&z->servers[i].q[j]);
		free(z->servers[i].q);
	}
	free(z->servers);
	for (i = 0; i < z->nfindings; i++) {
		free(z->findings[i].server);
		free(z->findings[i].addr);
		free(z->findings[i].nsid);
		free(z->findings[i].name);
		free(z->findings[i].msg);
		free(z->findings[i].fix);
	}
	free(z->findings);
	free(z);
}

int
zone_add_name(struct zone *z, const char *qname, int qtype)
{
	char	**v, *d;
	int	 *t;

	if ((t = reallocarray(z->types, z->nnames + 1, sizeof(*t))) == NULL)
		return -1;
	z->types = t;
	if ((v = reallocarray(z->names, z->nnames + 1, sizeof(*v))) == NULL)
		return -1;
	z->names = v;
	if ((d = strdup(qname)) == NULL)
		return -1;
	t[z->nnames] = qtype;
	v[z->nnames++] = d;
	return 0;
}

const char *
zone_rcode_name(int rcode)
{
	static const char *const n[] = { "NOERROR", "FORMERR", "SERVFAIL",
	    "NXDOMAIN", "NOTIMP", "REFUSED" };

	return rcode >= 0 && rcode < 6 ? n[rcode] : "an unknown rcode";
}

/* The analysis of one zone: where findings go, and whether one was lost. */
struct an {
	struct zone	*z;
	int		 nomem;
};

static void
finding(struct an *, int, const struct zone_server *, const char *,
    const char *, const char *, ...) __attribute__((format(printf, 6, 7)));

/* Record a finding; a finding lost to memory marks the analysis. */
static void
finding(struct an *an, int error, const struct zone_server *sv,
    const char *name, const char *fix, const char *fmt, ...)
{
	struct zone		*z = an->z;
	struct zone_finding	*v, *f;
	va_list			 ap;

	if ((v = reallocarray(z->findings, z->nfindings + 1,
	    sizeof(*v))) == NULL) {
		an->nomem = 1;
		return;
	}
	z->findings = v;
	f = &v[z->nfindings++];
	memset(f, 0, sizeof(*f));
	f->error = error;
	if (error)
		z->nerrors++;
	if (sv != NULL) {
		f->server = strdup(sv->host);
		f->addr = strdup(sv->addr);
		if (f->server == NULL || f->addr == NULL)
			an->nomem = 1;
		if (sv->nsid != NULL && (f->nsid = strdup(sv->nsid)) == NULL)
			an->nomem = 1;
	}
	if (name != NULL && (f->name = strdup(name)) == NULL)
		an->nomem = 1;
	if (fix != NULL && (f->fix = strdup(fix)) == NULL)
		an->nomem = 1;
	va_start(ap, fmt);
	if (vasprintf(&f->msg, fmt, ap) == -1) {
		f->msg = NULL;
		an->nomem = 1;
	}
	va_end(ap);
}

/* The type of a probed question, for messages. */
static const char *
qtype_name(int qtype)
{
	return qtype == 6 ? "SOA" : qtype == T_TXT ? "TXT" : "CAA";
}

static int
cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
cmpserver(const void *a, const void *b)
{
	const struct zone_server	*x = a, *y = b;
	int				 c = strcmp(x->host, y->host);

	return c != 0 ? c : strcmp(x->addr, y->addr);
}

static int
listed(char **v, size_t n, const char *host)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i], host) == 0)
			return 1;
	return 0;
}

void
zone_order(struct zone *z)
{
	size_t	 i;

	if (z->nservers > 1)
		qsort(z->servers, z->nservers, sizeof(*z->servers), cmpserver);
	if (z->nchild > 1)
		qsort(z->child_ns, z->nchild, sizeof(*z->child_ns), cmpstr);
	if (z->nparent > 1)
		qsort(z->parent_ns, z->nparent, sizeof(*z->parent_ns), cmpstr);
	for (i = 0; i < z->nservers; i++) {
		struct zone_server *sv = &z->servers[i];

		sv->in_parent = listed(z->parent_ns, z->nparent, sv->host);
		sv->in_child = listed(z->child_ns, z->nchild, sv->host);
	}
}

/*
 * A query the deadline cut short says nothing about the server: no
 * finding from it, but say the check is incomplete.  So too when the
 * servers themselves were not all found in time: a server never asked
 * must not pass for one that answered.
 */
static void
check_deadline(struct an *an, const struct zone_cut *cut)
{
	struct zone	*z = an->z;
	char		*before = NULL;
	size_t		 i, j, k = 0;
	int		 rc = 0;

	for (i = 0; i < z->nservers; i++) {
		k += z->servers[i].soa.state == ZONE_CANCELLED;
		for (j = 0; j < z->servers[i].nq; j++)
			k += z->servers[i].q[j].state == ZONE_CANCELLED;
	}
	if (cut != NULL && cut->hosts != NULL)
		rc = asprintf(&before, "the addresses of %s were found",
		    cut->hosts);
	else if (cut != NULL && cut->lookups > 0)
		rc = asprintf(&before, "the servers of %s were found", z->apex);
	else if (k > 0)
		rc = asprintf(&before, "%zu direct queries were answered", k);
	if (rc == -1)		/* out of memory: the short form */
		finding(an, 0, NULL, NULL, ZONE_FIX_DEADLINE, "the run's "
		    "deadline passed: the nameserver check of %s is "
		    "incomplete", z->apex);
	else if (before != NULL)
		finding(an, 0, NULL, NULL, ZONE_FIX_DEADLINE, "the run's "
		    "deadline passed before %s: the nameserver check of %s "
		    "is incomplete", before, z->apex);
	free(before);
}

/* " com" when the parent is known: "at the parent com". */
static const char *
sp(const char *s)
{
	return s != NULL ? " " : "";
}

/*
 * A server that answers nothing, or does not serve the zone (its SOA
 * answer is an error or not authoritative).  Returns 1 when the server
 * is at fault as a whole: its single queries are not looked at then.
 */
static int
check_server(struct an *an, const struct zone_server *sv)
{
	struct zone		*z = an->z;
	const struct zone_seen	*soa = &sv->soa;
	char			 fix[512];
	size_t			 j;
	int			 allq = 1;

	for (j = 0; j < sv->nq; j++)
		if (sv->q[j].state == ZONE_ANSWER)
			allq = 0;
	if (soa->state != ZONE_ANSWER && allq) {
		(void)snprintf(fix, sizeof(fix), "repair %s or remove it from "
		    "the NS records of %s, both at the parent%s%s and in the "
		    "zone", sv->host, z->apex, sp(z->parent),
		    z->parent ? z->parent : "");
		finding(an, 1, sv, NULL, fix, "does not answer at all (SOA "
		    "and CAA queries: %s)", soa->err ? soa->err : "");
		return 1;
	}
	if (soa->state != ZONE_ANSWER || (soa->rcode == 0 && soa->aa))
		return 0;
	if (soa->rcode == 2) {
		/* It has the zone configured, but cannot answer from it. */
		(void)snprintf(fix, sizeof(fix), "make %s serve the zone %s "
		    "again (SERVFAIL: a zone file that does not load, expired "
		    "secondary data or a broken backend; its log says which), "
		    "or remove it from the NS records at the parent%s%s and in "
		    "the zone", sv->host, z->apex, sp(z->parent),
		    z->parent ? z->parent : "");
		finding(an, 1, sv, NULL, fix, "fails the zone %s: SOA query "
		    "answered SERVFAIL", z->apex);
		return 1;
	}
	(void)snprintf(fix, sizeof(fix), "load the zone %s on %s, or remove "
	    "%s from its NS records at the parent%s%s and in the zone",
	    z->apex, sv->host, sv->host, sp(z->parent),
	    z->parent ? z->parent : "");
	if (soa->rcode != 0)
		finding(an, 1, sv, NULL, fix, "does not serve the zone %s: "
		    "SOA query answered %s (lame)", z->apex,
		    zone_rcode_name(soa->rcode));
	else
		finding(an, 1, sv, NULL, fix, "answers for %s without the AA "
		    "bit: not authoritative (lame)", z->apex);
	return 1;
}

/* A query that got no usable answer: silent, TCP, send error, rcode. */
static int
check_failed(struct an *an, const struct zone_server *sv,
    const struct zone_seen *q, const char *ty)
{
	char	 fix[512];

	if (q->state == ZONE_TIMEOUT && sv->soa.state == ZONE_ANSWER) {
		(void)snprintf(fix, sizeof(fix), "upgrade the DNS software on "
		    "%s, or the firewall or load balancer in front of it, so "
		    "that it answers %s queries (type %d); or move the zone "
		    "to another DNS provider", sv->host, ty, q->qtype);
		finding(an, 1, sv, q->qname, fix, "answers SOA but not %s for "
		    "%s (no answer in time): its DNS software or a middlebox "
		    "drops type %d", ty, q->qname, q->qtype);
	} else if (q->state == ZONE_TCP_FAILED) {
		(void)snprintf(fix, sizeof(fix), "make DNS over TCP (port 53) "
		    "work on %s: answers too large for UDP need it",
		    sv->host);
		finding(an, 1, sv, q->qname, fix, "truncates the %s answer for "
		    "%s over UDP and fails over TCP (%s)", ty, q->qname,
		    q->err ? q->err : "");
	} else if (q->state != ZONE_ANSWER) {
		(void)snprintf(fix, sizeof(fix), "repair %s or remove it from "
		    "the NS records of %s", sv->host, an->z->apex);
		finding(an, 1, sv, q->qname, fix, "does not answer %s for %s "
		    "(%s)", ty, q->qname, q->err ? q->err : "");
	} else if (q->rcode != 0 && q->rcode != 3) {
		(void)snprintf(fix, sizeof(fix), "%s must answer %s queries "
		    "with NOERROR (an empty answer when there are none) or "
		    "NXDOMAIN: upgrade its DNS software or fix its "
		    "configuration", sv->host, ty);
		finding(an, 1, sv, q->qname, fix, "answers %s for %s with %s",
		    ty, q->qname, zone_rcode_name(q->rcode));
	} else
		return 0;
	return 1;
}

/* An answer that is there but wrong: lame, no SOA, bad signatures. */
static void
check_answer(struct an *an, const struct zone_server *sv,
    const struct zone_seen *q, const char *ty)
{
	char	 fix[512];

	if (!q->aa) {
		(void)snprintf(fix, sizeof(fix), "load the zone %s on %s, or "
		    "remove it from the zone's NS records", an->z->apex,
		    sv->host);
		finding(an, 1, sv, q->qname, fix, "answers %s for %s without "
		    "the AA bit: not authoritative (lame)", ty, q->qname);
	} else if (q->nrecords == 0 && !q->soa_in_auth) {
		(void)snprintf(fix, sizeof(fix), "%s must put the zone's SOA "
		    "record in the authority section of negative answers "
		    "(RFC 2308 §2.2): upgrade its DNS software", sv->host);
		finding(an, 1, sv, q->qname, fix, "answers %s for %s with %s "
		    "but no SOA in the authority section", ty, q->qname,
		    q->rcode == 3 ? "NXDOMAIN" : "NODATA");
	} else if (q->sig_why != NULL) {
		(void)snprintf(fix, sizeof(fix), "re-sign %s and make sure %s "
		    "serves the fresh copy (zone transfer from the signer, or "
		    "its own signing)", an->z->apex, sv->host);
		finding(an, 1, sv, q->qname, fix, "serves %s for %s with bad "
		    "DNSSEC signatures: %s (%s)", ty, q->qname, q->sig_why,
		    q->sig_what ? q->sig_what : "");
	}
}

/*
 * Letter case (0x20): Let's Encrypt's resolver randomises the case of
 * every question and retries when a server does not repeat it, which
 * costs time and can time out under load.  A warning: it still works.
 */
static void
check_case(struct an *an, const struct zone_server *sv)
{
	char	 fix[512];

	if (sv->soa.state != ZONE_ANSWER || !sv->soa.case_lost)
		return;
	(void)snprintf(fix, sizeof(fix), "upgrade the DNS software on %s, or "
	    "the load balancer or firewall in front of it, so that answers "
	    "repeat the question's name exactly", sv->host);
	finding(an, 0, sv, NULL, fix, "does not repeat the letter case of the "
	    "question (0x20): the CA's resolver, which randomises it, retries "
	    "such a server and can time out under load");
}

/*
 * A server that answers, but only after the probe's retry had waited
 * too: the CA's resolver gives up on such a server much sooner and
 * tries another, or fails when there is none.
 */
static void
check_slow(struct an *an, const struct zone_server *sv)
{
	const struct zone_seen	*slow = NULL;
	char			 fix[512];
	size_t			 j;

	if (sv->soa.state == ZONE_ANSWER && sv->soa.late)
		slow = &sv->soa;
	for (j = 0; j < sv->nq; j++)
		if (sv->q[j].state == ZONE_ANSWER && sv->q[j].late &&
		    (slow == NULL || sv->q[j].ms > slow->ms))
			slow = &sv->q[j];
	if (slow == NULL)
		return;
	(void)snprintf(fix, sizeof(fix), "find out why %s answers so late "
	    "(overload, rate limiting, a slow backend, a lossy path) and "
	    "repair it, or remove it from the NS records of %s", sv->host,
	    an->z->apex);
	finding(an, 1, sv, slow->qname, fix, "answers only after %.1f s (%s "
	    "query for %s): the CA's resolver gives up on it sooner", slow->ms /
	    1000.0, qtype_name(slow->qtype), slow->qname);
}

/* Each server's own answers, one query at a time. */
static void
check_queries(struct an *an, const struct zone_server *sv)
{
	size_t	 j;

	for (j = 0; j < sv->nq; j++) {
		const struct zone_seen	*q = &sv->q[j];
		const char		*ty = q->qtype == T_TXT ? "TXT" : "CAA";

		if (q->state == ZONE_NOT_ASKED || q->state == ZONE_CANCELLED)
			continue;
		if (!check_failed(an, sv, q, ty))
			check_answer(an, sv, q, ty);
	}
}

/* An answer usable for comparison: authoritative NOERROR/NXDOMAIN. */
static int
usable(const struct zone_seen *q)
{
	return q->state == ZONE_ANSWER && q->aa &&
	    (q->rcode == 0 || q->rcode == 3);
}

/* Room kept for "; and N more records". */
#define RRSET_MORE	40

static void
rrset_text(const struct zone_seen *q, char *buf, size_t size)
{
	size_t	 i, len = 0;

	if (q->rcode == 3) {
		(void)snprintf(buf, size, "NXDOMAIN");
		return;
	}
	if (q->nrecords == 0) {
		(void)snprintf(buf, size, "no records");
		return;
	}
	/* Records that do not fit whole are counted, not cut. */
	buf[0] = '\0';
	for (i = 0; i < q->nrecords; i++) {
		if (len + strlen(q->records[i]) + 2 + RRSET_MORE >= size)
			break;
		len += (size_t)snprintf(buf + len, size - len, "%s%s",
		    i ? "; " : "", q->records[i]);
	}
	if (i < q->nrecords)
		(void)snprintf(buf + len, size - len, "%s%zu more record%s",
		    i ? "; and " : "", q->nrecords - i,
		    q->nrecords - i == 1 ? "" : "s");
}

static int
same_records(const struct zone_seen *a, const struct zone_seen *b)
{
	size_t	 i;

	if (a->rcode != b->rcode || a->nrecords != b->nrecords)
		return 0;
	for (i = 0; i < a->nrecords; i++)
		if (strcmp(a->records[i], b->records[i]) != 0)
			return 0;
	return 1;
}

int
zone_serial_cmp(long a, long b)
{
	uint32_t	 x = (uint32_t)a, y = (uint32_t)b;

	/* RFC 1982 §3.2: the difference taken modulo 2^32. */
	if (x == y || (x - y) == 0x80000000u)
		return 0;
	return (uint32_t)(y - x) < 0x80000000u ? -1 : 1;
}

/*
 * The remedy for two servers that answer differently: bring the one
 * with the older serial up to date (RFC 1982); with equal serials, the
 * zone was changed without a serial increase.  *stale gets the server
 * to name.
 */
static void
stale_fix(const struct zone *z, const struct zone_server *a,
    const struct zone_server *b, const struct zone_server **stale,
    char *fix, size_t size)
{
	const struct zone_server	*old, *new;
	int				 c;

	c = zone_serial_cmp(a->soa.serial, b->soa.serial);
	if (c == 0) {
		*stale = b;
		(void)snprintf(fix, size, "the zone %s was changed without "
		    "increasing its SOA serial (%ld on both servers): increase "
		    "the serial on the primary so that every server loads the "
		    "change", z->apex, a->soa.serial);
		return;
	}
	old = c < 0 ? a : b;
	new = c < 0 ? b : a;
	*stale = old;
	(void)snprintf(fix, size, "bring %s up to date: it serves serial %ld "
	    "of %s, older than %ld at %s; check the zone transfers (NOTIFY, "
	    "IXFR/AXFR) from the primary to %s", old->host, old->soa.serial,
	    z->apex, new->soa.serial, new->host, old->host);
}

/* The first server whose usable answer for name j differs from another's. */
static int
differing(const struct zone *z, size_t j, const struct zone_server **a,
    const struct zone_server **b)
{
	size_t	 i;

	*a = NULL;
	for (i = 0; i < z->nservers; i++) {
		const struct zone_server *sv = &z->servers[i];

		if (j >= sv->nq || !usable(&sv->q[j]) || !usable(&sv->soa))
			continue;
		if (*a == NULL)
			*a = sv;
		else if (!same_records(&(*a)->q[j], &sv->q[j])) {
			*b = sv;
			return 1;
		}
	}
	return 0;
}

/*
 * SPEC 5.3: servers must agree on name j's answer.  A difference that
 * leads the CA to the same decision wherever it looks is a warning;
 * one that does not is an error.  Returns 1 when they differ.
 */
static int
check_agree(struct an *an, size_t j, const struct zone_judge *judge)
{
	struct zone			*z = an->z;
	const struct zone_server	*a, *b, *stale;
	const struct zone_seen		*qa, *qb;
	char				 ta[1024], tb[1024], fix[512];
	int				 same;

	if (!differing(z, j, &a, &b))
		return 0;
	qa = &a->q[j];
	qb = &b->q[j];
	same = judge != NULL && judge->same(judge->arg, z->names[j],
	    z->types[j], qa, qb);
	rrset_text(qa, ta, sizeof(ta));
	rrset_text(qb, tb, sizeof(tb));
	stale_fix(z, a, b, &stale, fix, sizeof(fix));
	finding(an, !same, stale, qb->qname, fix, "answers %s for %s "
	    "differently: %s (%s) has %s; %s (%s) has %s%s",
	    qb->qtype == T_TXT ? "TXT" : "CAA", qb->qname, a->host, a->addr,
	    ta, b->host, b->addr, tb, same ? "; the CA decides the same with "
	    "either" : "");
	return 1;
}

/* Whether the servers' SOA serials differ. */
static int
serials_differ(const struct zone *z)
{
	long	 serial = -1;
	size_t	 i;

	for (i = 0; i < z->nservers; i++) {
		const struct zone_seen *soa = &z->servers[i].soa;

		if (soa->state != ZONE_ANSWER || soa->rcode != 0 ||
		    soa->serial < 0)
			continue;
		if (serial >= 0 && soa->serial != serial)
			return 1;
		serial = soa->serial;
	}
	return 0;
}

/*
 * Serials that differ while every answer agrees: a warning.  Lists an
 * operator acts on are written out whole: a server list or an NS set
 * cut mid-name would name a host that is not there.
 */
static void
check_serials(struct an *an)
{
	struct zone	*z = an->z;
	char		*list = NULL;
	size_t		 i, k = 0, len;
	FILE		*f;

	if ((f = open_memstream(&list, &len)) == NULL) {
		an->nomem = 1;
		return;
	}
	for (i = 0; i < z->nservers; i++)
		if (z->servers[i].soa.serial >= 0)
			(void)fprintf(f, "%s%s (%s) %ld", k++ ? ", " : "",
			    z->servers[i].host, z->servers[i].addr,
			    z->servers[i].soa.serial);
	if (fclose(f) == 0)
		finding(an, 0, NULL, NULL, "let the zone transfers catch up, "
		    "or check that every server gets NOTIFY from the primary",
		    "SOA serials differ between servers while their answers "
		    "agree: %s", list);
	else
		an->nomem = 1;
	free(list);
}

/* A time as the reports write it. */
static void
utc(long long t, char *buf, size_t size)
{
	struct tm	 tm;
	time_t		 tt = (time_t)t;

	if (gmtime_r(&tt, &tm) == NULL || strftime(buf, size,
	    "%Y-%m-%d %H:%M UTC", &tm) == 0)
		(void)snprintf(buf, size, "%lld", t);
}

/* Whether a server's signatures already failed to verify (expired). */
static int
sig_failed(const struct zone_server *sv)
{
	size_t	 i;

	if (sv->soa.sig_why != NULL)
		return 1;
	for (i = 0; i < sv->nq; i++)
		if (sv->q[i].sig_why != NULL)
			return 1;
	return 0;
}

/*
 * SPEC 5.7, per server: one whose signatures (on its SOA answer) expire
 * more than ZONE_SIG_SPREAD before the latest server's serves a copy of
 * the zone nobody re-signs any more, or that no longer transfers: when
 * they expire, the CA fails whenever it asks that server.  A warning;
 * signatures that no longer verify are an error of their own already.
 */
static void
check_sig_spread(struct an *an)
{
	struct zone			*z = an->z;
	const struct zone_server	*late = NULL, *sv;
	char				 t1[40], t2[40];
	size_t				 i;

	for (i = 0; i < z->nservers; i++) {
		sv = &z->servers[i];
		if (sv->soa.state == ZONE_ANSWER && sv->soa.sig_expires > 0 &&
		    (late == NULL ||
		    sv->soa.sig_expires > late->soa.sig_expires))
			late = sv;
	}
	for (i = 0; late != NULL && i < z->nservers; i++) {
		sv = &z->servers[i];
		if (sv->soa.state != ZONE_ANSWER || sv->soa.sig_expires == 0 ||
		    sv->soa.sig_expires + ZONE_SIG_SPREAD >=
		    late->soa.sig_expires || sig_failed(sv))
			continue;
		utc(sv->soa.sig_expires, t1, sizeof(t1));
		utc(late->soa.sig_expires, t2, sizeof(t2));
		finding(an, 0, sv, NULL, "check that the zone's signer still "
		    "re-signs the copy this server gets, and its zone "
		    "transfers; once those signatures expire the CA fails "
		    "whenever it asks this server", "serves signatures that "
		    "expire at %s, %.1f days before those of %s (%s, %s): its "
		    "copy of %s is no longer re-signed", t1,
		    (double)(late->soa.sig_expires - sv->soa.sig_expires) /
		    86400.0, late->host, late->addr, t2, z->apex);
	}
}

/* The delegation and the apex NS set should be the same. */
static void
check_ns_sets(struct an *an)
{
	struct zone	*z = an->z;
	char		*fix = NULL;
	size_t		 i, len;
	FILE		*f;

	if (!z->parent_known || z->nchild == 0)
		return;
	if ((f = open_memstream(&fix, &len)) == NULL) {
		an->nomem = 1;
		return;
	}
	(void)fprintf(f, "at the parent %s (your registrar), publish the "
	    "zone's own NS set: ", z->parent);
	for (i = 0; i < z->nchild; i++)
		(void)fprintf(f, "%s%s. NS %s.", i ? " / " : "", z->apex,
		    z->child_ns[i]);
	if (fclose(f) != 0) {
		an->nomem = 1;
		free(fix);
		return;
	}
	for (i = 0; i < z->nparent; i++)
		if (!listed(z->child_ns, z->nchild, z->parent_ns[i]))
			finding(an, 0, NULL, NULL, fix, "the parent %s lists "
			    "%s as a nameserver of %s, but the zone's own NS "
			    "set does not", z->parent, z->parent_ns[i],
			    z->apex);
	for (i = 0; i < z->nchild; i++)
		if (!listed(z->parent_ns, z->nparent, z->child_ns[i]))
			finding(an, 0, NULL, NULL, fix, "the zone lists %s as a "
			    "nameserver of %s, but the parent %s does not",
			    z->child_ns[i], z->apex, z->parent);
	free(fix);
}

int
zone_analyse(struct zone *z, const struct zone_cut *cut,
    const struct zone_judge *judge)
{
	struct an	 an = { z, 0 };
	size_t		 i, j;
	int		 differs = 0;

	zone_order(z);
	check_deadline(&an, cut);
	for (i = 0; i < z->nservers; i++) {
		const struct zone_server *sv = &z->servers[i];

		if (sv->soa.state == ZONE_NOT_ASKED ||
		    sv->soa.state == ZONE_CANCELLED)
			continue;
		check_slow(&an, sv);
		if (!check_server(&an, sv))
			check_queries(&an, sv);
		check_case(&an, sv);
	}
	for (j = 0; j < z->nnames; j++)
		differs |= check_agree(&an, j, judge);
	if (!differs && serials_differ(z))
		check_serials(&an);
	check_sig_spread(&an);
	check_ns_sets(&an);
	return an.nomem ? -1 : 0;
}
