/*
 * report: text and JSON output.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <string.h>
#include <time.h>

#include "caa.h"
#include "report.h"
#include "result.h"
#include "verdict.h"
#include "zone.h"

#define PREFIX	"caa-preflight: "

/*
 * One line on f: the prefix, the message with control characters shown
 * as \DDD (nothing from DNS may drive the terminal), a newline.  It goes
 * out in one write: stderr is unbuffered, and a report of 10,000 names
 * written a byte at a time took seconds.
 */
void
report_msg(FILE *f, const char *fmt, ...)
{
	va_list		 ap;
	char		 buf[4096];
	char		 line[sizeof(PREFIX) + 4 * sizeof(buf)];
	const char	*s;
	size_t		 n = sizeof(PREFIX) - 1;

	va_start(ap, fmt);
	(void)vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	memcpy(line, PREFIX, n);
	for (s = buf; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c == 0x7f) {
			line[n++] = '\\';
			line[n++] = (char)('0' + c / 100);
			line[n++] = (char)('0' + c / 10 % 10);
			line[n++] = (char)('0' + c % 10);
		} else
			line[n++] = (char)c;
	}
	line[n++] = '\n';
	(void)fwrite(line, 1, n, f);
}

/* "bücher.example (xn--bcher-kva.example)" when the forms differ. */
static void
label_of(const struct result_name *n, char *buf, size_t size)
{
	if (strcmp(n->full, n->display) != 0)
		(void)snprintf(buf, size, "%s (%s)", n->display, n->full);
	else
		(void)snprintf(buf, size, "%s", n->full);
}

/* SPEC 5.3: per zone, one line per server at fault, with the fix. */
static void
findings_text(FILE *f, const struct result_run *run, int quiet)
{
	const struct zone		*z;
	const struct zone_finding	*fd;
	const char			*warn;
	size_t				 i, j;
	int				 asw = run->nameservers != VERDICT_ERROR;

	for (i = 0; i < run->nzones; i++) {
		z = run->zones[i];
		for (j = 0; j < z->nfindings; j++) {
			fd = &z->findings[j];
			warn = !fd->error || asw ? "warning: " : "";
			if (quiet && *warn != '\0')
				continue;
			if (fd->server != NULL && fd->nsid != NULL)
				report_msg(f, "%s: %snameserver %s (%s, NSID "
				    "\"%s\") %s", z->apex, warn, fd->server,
				    fd->addr, fd->nsid, fd->msg);
			else if (fd->server != NULL)
				report_msg(f, "%s: %snameserver %s (%s) %s",
				    z->apex, warn, fd->server, fd->addr,
				    fd->msg);
			else
				report_msg(f, "%s: %s%s", z->apex, warn,
				    fd->msg);
			if (fd->fix != NULL)
				report_msg(f, "  fix: %s", fd->fix);
		}
	}
}

/*
 * One name's problems and warnings, each with its fix; pre goes before
 * each problem (a certificate not yet due: they are warnings).
 */
static void
name_text(FILE *f, const struct result_run *run, const struct result_name *n,
    const char *label, const char *pre, int quiet)
{
	size_t	 w;

	if (n->caa != CAA_ALLOWED) {
		report_msg(f, "%s: %s%s", label, pre, n->reason);
		if (n->fix != NULL)
			report_msg(f, "  fix: %s", n->fix);
	}
	if (n->dns01 != NULL && (n->dns01->failed || n->dns01->refused) &&
	    n->dns01->level != VERDICT_OFF &&
	    !(quiet && n->dns01->level == VERDICT_WARN)) {
		report_msg(f, "%s: %s%s", label, n->dns01->level ==
		    VERDICT_WARN ? "warning: " : pre, n->dns01->reason);
		if (n->dns01->fix != NULL)
			report_msg(f, "  fix: %s", n->dns01->fix);
	}
	if (n->dns01 != NULL && n->dns01->note != NULL)
		report_msg(f, "%s: warning: %s", label, n->dns01->note);
	if (n->ns_failed && run->nameservers == VERDICT_ERROR)
		report_msg(f, "%s: %sa nameserver of %s is at fault (below): "
		    "the CA can fail or decide differently depending on the "
		    "server it reaches", label, pre, n->ns_zone);
	if (quiet)
		return;
	if (n->ns_cut != NULL) {
		report_msg(f, "%s: warning: the run's deadline passed before "
		    "the zone of %s was found: the nameserver check of %s is "
		    "incomplete", label, n->ns_cut, n->ns_cut);
		report_msg(f, "  fix: %s", ZONE_FIX_DEADLINE);
	}
	for (w = 0; w < n->nwarnings; w++)
		report_msg(f, "%s: warning: %s", label, n->warnings[w]);
}

/*
 * How many names the deadline, or a failure of our own resolver, left
 * not checked, and what to do.
 */
static void
not_checked_text(FILE *f, const struct result_run *run)
{
	size_t	 ncut = run->count[VERDICT_NOT_CHECKED] - run->local;
	char	 unsent[48] = "";

	/* SPEC 5.6: a failure of this machine blames neither the
	 * deadline nor the domains. */
	if (run->local > 0) {
		report_msg(f, "caa-preflight's own resolver failed before %zu "
		    "name%s could be checked", run->local, run->local == 1 ?
		    "" : "s");
		report_msg(f, "  fix: %s", VERDICT_FIX_LOCAL);
	}
	if (ncut == 0)
		return;
	if (run->not_sent > 0)
		(void)snprintf(unsent, sizeof(unsent), " (%zu lookup%s not yet "
		    "sent)", run->not_sent, run->not_sent == 1 ? "" : "s");
	report_msg(f, "the run's %d s deadline passed before %zu name%s could "
	    "be checked%s", run->timeout, ncut, ncut == 1 ? "" : "s", unsent);
	report_msg(f, "  fix: %s", VERDICT_FIX_DEADLINE);
}

/*
 * SPEC 5.7: signatures the CA's decisions rest on that expire soon; a
 * signer that stopped re-signing is a renewal failure on its way.
 */
static void
horizon_text(FILE *f, const struct result_run *run)
{
	const struct result_expiry	*e;
	struct tm			 tm;
	time_t				 t;
	char				 when[64];
	size_t				 i;

	for (i = 0; i < run->nexpiring; i++) {
		e = &run->expiring[i];
		t = (time_t)e->expires;
		if (gmtime_r(&t, &tm) == NULL ||
		    strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC",
		    &tm) == 0)
			(void)snprintf(when, sizeof(when), "%lld", e->expires);
		report_msg(f, "%s: warning: its signature of %s %s expires at "
		    "%s, in %.1f days: from then the CA's lookup fails "
		    "DNSSEC validation and it refuses", e->signer, e->qname,
		    result_type_name(e->qtype), when,
		    (double)(e->expires - run->started_at) / 86400.0);
		report_msg(f, "  fix: re-sign %s now, and find out why its "
		    "signer has not (signatures are refreshed well before "
		    "they expire)", e->signer);
	}
}

/* "letsencrypt.org" or "a.example, b.example". */
static void
issuers_of(const struct result_cert *c, char *buf, size_t size)
{
	size_t	 i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < c->nissuers && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s",
		    i ? ", " : "", c->issuers[i]);
}

/*
 * SPEC 5.5 rev. 2: a line per certificate, with the CA, method and
 * account assumed; under -q only those that block.
 */
static void
cert_text(FILE *f, const struct result_run *run, int quiet)
{
	const struct result_cert	*c;
	size_t				 i;
	char				 iss[512], due[64], dir[600] = "";
	char				 unchecked[48];

	for (i = 0; i < run->ncerts; i++) {
		c = &run->certs[i];
		if (quiet && (!c->decides || c->verdict == VERDICT_OK))
			continue;
		if (c->problem != NULL) {
			report_msg(f, "certificate %s: not checked: %s",
			    c->label, c->problem);
			continue;
		}
		issuers_of(c, iss, sizeof(iss));
		if (c->directory != NULL)
			(void)snprintf(dir, sizeof(dir), " (%s)", c->directory);
		else
			dir[0] = '\0';
		if (c->due == 1)
			(void)snprintf(due, sizeof(due), "; due");
		else if (c->due == 0)
			(void)snprintf(due, sizeof(due), "; due in %ld day%s",
			    c->due_days, c->due_days == 1 ? "" : "s");
		else
			due[0] = '\0';
		unchecked[0] = '\0';
		if (c->nunchecked > 0)
			(void)snprintf(unchecked, sizeof(unchecked), ", %zu not "
			    "checked", c->nunchecked);
		report_msg(f, "certificate %s: %s, %zu of %zu name%s fail%s%s; "
		    "CA %s%s, method %s, account %s%s", c->label,
		    verdict_name(c->verdict), c->nfailing, c->nnames,
		    c->nnames == 1 ? "" : "s", c->nfailing == 1 ? "s" : "",
		    unchecked, iss, dir, c->method, c->account_uri ?
		    c->account_uri : "none", due);
	}
}

/*
 * SPEC 5.6 rev. 2: names and certificates not checked that do not stop
 * the order are said loudly, -q or not.
 */
static void
allowed_text(FILE *f, const struct result_run *run)
{
	size_t		 i, n = 0;
	const char	*what = "certificate";

	for (i = 0; i < run->ncerts; i++)
		if (run->certs[i].decides &&
		    run->certs[i].verdict == VERDICT_NOT_CHECKED)
			n++;
	if (run->ncerts == 0) {
		n = run->count[VERDICT_NOT_CHECKED];
		what = "name";
	}
	if (!run->unknown_allowed || n == 0)
		return;
	report_msg(f, "%zu %s%s not checked: on_unknown: allow lets the "
	    "order go on", n, what, n == 1 ? "" : "s");
	report_msg(f, "  fix: set on_unknown: block to stop an order that "
	    "could not be checked");
}

/* The names not checked, and the one-line summary. */
static void
summary_text(FILE *f, const struct result_run *run)
{
	size_t	 ncut = run->count[VERDICT_NOT_CHECKED];
	char	 cut[48] = "";

	if (ncut > 0) {
		not_checked_text(f, run);
		(void)snprintf(cut, sizeof(cut), ", %zu not checked", ncut);
	}
	report_msg(f, "%zu name%s checked: %zu ok, %zu refused, %zu "
	    "dns-failure%s%s", run->nnames, run->nnames == 1 ? "" : "s",
	    run->count[VERDICT_OK], run->count[VERDICT_REFUSED],
	    run->count[VERDICT_DNS_FAILURE], cut,
	    run->count[VERDICT_NOT_SUBJECT] ? ", some not subject to CAA" :
	    "");
}

void
report_text(FILE *f, const struct result_run *run, const struct report_opts *o)
{
	const struct result_name	*n;
	size_t				 i;
	char				 label[2048], pre[64];

	/*
	 * SPEC 5.5: no lookup got any answer: one message about the
	 * network, never hidden, and no line that blames the domains.
	 */
	if (run->unreachable) {
		report_msg(f, "no lookup got any answer from DNS: check the "
		    "network and the resolver settings (forward, root_hints, "
		    "trust_anchor): %zu name%s not checked", run->nnames,
		    run->nnames == 1 ? "" : "s");
		cert_text(f, run, o->quiet);
		allowed_text(f, run);
		return;
	}
	for (i = 0; i < run->nnames; i++) {
		n = &run->names[i];
		label_of(n, label, sizeof(label));
		/* SPEC 8: a certificate not yet due: warnings only. */
		pre[0] = '\0';
		if (n->certificate != NULL && !n->certificate->decides) {
			if (o->quiet)
				continue;
			(void)snprintf(pre, sizeof(pre), "warning: renewal in "
			    "%ld day%s will fail: ", n->certificate->due_days,
			    n->certificate->due_days == 1 ? "" : "s");
		}
		/*
		 * SPEC 5.5: -q drops "ok" lines, warnings and the summary,
		 * never a refusal, a failure or a "not checked": a run that
		 * blocks says why, because in cron nobody else will.
		 */
		if (o->quiet && (n->verdict == VERDICT_OK ||
		    n->verdict == VERDICT_NOT_SUBJECT))
			continue;
		if (n->verdict == VERDICT_NOT_SUBJECT) {
			report_msg(f, "%s: not subject to CAA (IP address); CAs "
			    "skip CAA for IP identifiers", label);
			continue;
		}
		if (n->verdict == VERDICT_OK && o->verbose) {
			if (n->relevant >= 0)
				report_msg(f, "%s: ok (relevant CAA at %s)",
				    label, n->levels[n->relevant]->lookup.qname);
			else
				report_msg(f, "%s: ok (no CAA record at any "
				    "level)", label);
		}
		name_text(f, run, n, label, pre, o->quiet);
	}
	findings_text(f, run, o->quiet);
	if (!o->quiet)
		horizon_text(f, run);
	cert_text(f, run, o->quiet);
	allowed_text(f, run);
	if (o->quiet && run->count[VERDICT_NOT_CHECKED] > 0)
		not_checked_text(f, run);
	else if (!o->quiet)
		summary_text(f, run);
}

static void
trace_one(FILE *f, const char *zone, const char *host, const char *addr,
    const struct zone_seen *q)
{
	report_msg(f, "probe %s %s @ %s (%s) for %s: %s%s%s, %.1f ms",
	    result_type_name(q->qtype), q->qname, host, addr, zone,
	    result_seen_name(q), q->state == ZONE_ANSWER && q->aa ? " aa" :
	    "", q->tcp ? " tcp" : "", q->ms);
}

static void
trace_probes(FILE *f, const struct result_run *run)
{
	const struct zone	*z;
	size_t			 i, j, n;

	for (i = 0; i < run->nzones; i++) {
		z = run->zones[i];
		/* The delegation, asked of a parent's server until one
		 * answers: the others were never asked. */
		for (j = 0; j < z->nparents; j++)
			if (z->parents[j].ns.state != ZONE_NOT_ASKED)
				trace_one(f, z->parent, z->parents[j].host,
				    z->parents[j].addr, &z->parents[j].ns);
		for (j = 0; j < z->nservers; j++) {
			const struct zone_server *sv = &z->servers[j];

			trace_one(f, z->apex, sv->host, sv->addr, &sv->soa);
			for (n = 0; n < sv->nq; n++)
				trace_one(f, z->apex, sv->host, sv->addr,
				    &sv->q[n]);
		}
	}
}

static void
trace_lookup(FILE *f, const struct result_lookup *l)
{
	report_msg(f, "query %s %s: %s, %s, %zu record%s, %.1f ms%s%s",
	    result_type_name(l->qtype), l->qname, result_status_name(l),
	    result_dnssec_name(l->dnssec), l->nrecords,
	    l->nrecords == 1 ? "" : "s", l->ms, l->why_bogus ? ": " : "",
	    l->why_bogus ? l->why_bogus : "");
}

void
report_trace(FILE *f, const struct result_run *run)
{
	size_t	 i;

	if (*run->trust_anchor != '\0')
		report_msg(f, "resolver: trust anchor %s", run->trust_anchor);
	else
		report_msg(f, "resolver: not started: no name needs a lookup");
	for (i = 0; i < run->nresolver; i++)
		report_msg(f, "resolver: %s", run->resolver[i]);
	/* The CA's lookups, then those that find the zones' servers. */
	for (i = 0; i < run->nqueries; i++)
		trace_lookup(f, &run->queries[i].lookup);
	for (i = 0; i < run->nlookups; i++)
		trace_lookup(f, &run->lookups[i]);
	trace_probes(f, run);
	report_msg(f, "%zu lookups and %zu direct queries in %.1f ms",
	    run->started, run->direct, run->elapsed_ms);
}

/*
 * A JSON string: quotes, backslashes and controls escaped, and bytes
 * from 0x80 up too (as \u00XX) unless utf8 says they are valid UTF-8.
 * Runs between escapes go out whole: 10,000 names make 12 MB of JSON,
 * and a stdio call per byte took a tenth of a second of it.
 */
static void
jescape(FILE *f, const char *s, size_t len, int utf8)
{
	size_t	 i, from = 0;

	fputc('"', f);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c != '"' && c != '\\' && c >= 0x20 && c != 0x7f &&
		    (c < 0x80 || utf8))
			continue;
		(void)fwrite(s + from, 1, i - from, f);
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else
			fprintf(f, "\\u%04x", c);
		from = i + 1;
	}
	(void)fwrite(s + from, 1, len - from, f);
	fputc('"', f);
}

/* Arbitrary DNS bytes, still valid UTF-8 JSON. */
static void
jstr(FILE *f, const char *s, size_t len)
{
	jescape(f, s, len, 0);
}

static void
js(FILE *f, const char *s)
{
	if (s == NULL)
		fputs("null", f);
	else
		jstr(f, s, strlen(s));
}

/* A UTF-8 string known valid (names the user typed, converted by idn2). */
static void
jutf8(FILE *f, const char *s)
{
	jescape(f, s, strlen(s), 1);
}

static void
jrecords(FILE *f, const struct caa_record *r, size_t n)
{
	size_t	 i;

	fputc('[', f);
	for (i = 0; i < n; i++) {
		fprintf(f, "%s{\"flags\":%u,\"tag\":", i ? "," : "",
		    r[i].flags);
		jstr(f, r[i].tag, r[i].taglen);
		fputs(",\"value\":", f);
		jstr(f, r[i].value, r[i].valuelen);
		fputc('}', f);
	}
	fputc(']', f);
}

static void
jlookup(FILE *f, const struct result_lookup *l)
{
	fputs("{\"name\":", f);
	js(f, l->qname);
	fputs(",\"status\":", f);
	js(f, result_status_name(l));
	fputs(",\"dnssec\":", f);
	js(f, result_dnssec_name(l->dnssec));
	fputs(",\"why_bogus\":", f);
	js(f, l->why_bogus);
	fputs(",\"canonical\":", f);
	js(f, l->canonical);
	fprintf(f, ",\"ms\":%.1f", l->ms);
}

static void
jstrv(FILE *f, char *const *v, size_t n)
{
	size_t	 i;

	fputc('[', f);
	for (i = 0; i < n; i++) {
		fputs(i ? "," : "", f);
		js(f, v[i]);
	}
	fputc(']', f);
}

static void
jseen(FILE *f, const struct zone_seen *q)
{
	fputs("{\"name\":", f);
	js(f, q->qname);
	fprintf(f, ",\"type\":\"%s\",\"status\":",
	    result_type_name(q->qtype));
	js(f, result_seen_name(q));
	fprintf(f, ",\"aa\":%s,\"tcp\":%s,\"ms\":%.1f",
	    q->state == ZONE_ANSWER && q->aa ? "true" : "false",
	    q->tcp ? "true" : "false", q->ms);
	if (q->serial >= 0)
		fprintf(f, ",\"serial\":%ld", q->serial);
	fputs(",\"records\":", f);
	jstrv(f, q->records, q->nrecords);
	fputs(",\"error\":", f);
	js(f, q->state != ZONE_NOT_ASKED && q->state != ZONE_ANSWER ?
	    (q->err ? q->err : "") : NULL);
	fputc('}', f);
}

static void
jserver(FILE *f, const struct zone_server *sv)
{
	size_t	 n;

	fputs("{\"host\":", f);
	js(f, sv->host);
	fputs(",\"address\":", f);
	js(f, sv->addr);
	fputs(",\"nsid\":", f);
	js(f, sv->nsid);
	fprintf(f, ",\"in_parent\":%s,\"in_child\":%s,\"soa\":",
	    sv->in_parent ? "true" : "false", sv->in_child ? "true" : "false");
	jseen(f, &sv->soa);
	fputs(",\"queries\":[", f);
	for (n = 0; n < sv->nq; n++) {
		fputs(n ? "," : "", f);
		jseen(f, &sv->q[n]);
	}
	fputs("]}", f);
}

static void
jfinding(FILE *f, const struct zone_finding *fd, int asw)
{
	fprintf(f, "{\"severity\":\"%s\",\"server\":", fd->error && !asw ?
	    "error" : "warning");
	js(f, fd->server);
	fputs(",\"address\":", f);
	js(f, fd->addr);
	fputs(",\"nsid\":", f);
	js(f, fd->nsid);
	fputs(",\"name\":", f);
	js(f, fd->name);
	fputs(",\"message\":", f);
	js(f, fd->msg);
	fputs(",\"fix\":", f);
	js(f, fd->fix);
	fputc('}', f);
}

static void
jzone(FILE *f, const struct zone *z, int asw)
{
	size_t	 j;

	fputs("{\"zone\":", f);
	js(f, z->apex);
	fputs(",\"parent\":", f);
	js(f, z->parent);
	fprintf(f, ",\"secure\":%s,\"names\":", z->secure ? "true" : "false");
	jstrv(f, z->names, z->nnames);
	fputs(",\"delegation\":", f);
	if (z->parent_known)
		jstrv(f, z->parent_ns, z->nparent);
	else
		fputs("null", f);
	fputs(",\"apex\":", f);
	jstrv(f, z->child_ns, z->nchild);
	fputs(",\"servers\":[", f);
	for (j = 0; j < z->nservers; j++) {
		fputs(j ? "," : "", f);
		jserver(f, &z->servers[j]);
	}
	fputs("],\"findings\":[", f);
	for (j = 0; j < z->nfindings; j++) {
		fputs(j ? "," : "", f);
		jfinding(f, &z->findings[j], asw);
	}
	fputs("]}", f);
}

static void
jnameservers(FILE *f, const struct result_run *run)
{
	size_t	 i;

	fputs(",\"nameservers\":", f);
	if (run->zones == NULL) {
		fputs("null", f);
		return;
	}
	fputc('[', f);
	for (i = 0; i < run->nzones; i++) {
		fputs(i ? "," : "", f);
		jzone(f, run->zones[i], run->nameservers != VERDICT_ERROR);
	}
	fputc(']', f);
}

static void
jlevels(FILE *f, const struct result_name *n)
{
	size_t	 j;

	fputs(",\"levels\":[", f);
	for (j = 0; j < n->nlevels; j++) {
		const struct result_query *q = n->levels[j];

		fputs(j ? "," : "", f);
		jlookup(f, &q->lookup);
		fputs(",\"state\":", f);
		js(f, q->state == CAA_LEVEL_FAILED ? "failed" :
		    q->state == CAA_LEVEL_NXDOMAIN ? "nxdomain" :
		    q->nrecords > 0 ? "records" : "empty");
		fputs(",\"records\":", f);
		jrecords(f, q->records, q->nrecords);
		fputc('}', f);
	}
	fputc(']', f);
}

static void
jdns01(FILE *f, const struct result_dns01 *d)
{
	fputs(",\"dns01\":", f);
	if (d == NULL) {
		fputs("null", f);
		return;
	}
	if (d->query != NULL)
		jlookup(f, &d->query->lookup);
	else
		fputs("{\"name\":null,\"status\":\"not-asked\"", f);
	fputs(",\"method\":", f);
	js(f, d->method);
	fprintf(f, ",\"severity\":\"%s\",\"ok\":%s,\"refused\":%s,"
	    "\"reason\":", verdict_level_name(d->level), d->failed ||
	    d->refused ? "false" : "true", d->refused ? "true" : "false");
	js(f, d->reason);
	fputs(",\"fix\":", f);
	js(f, d->fix);
	fputs(",\"note\":", f);
	js(f, d->note);
	fputc('}', f);
}

/* The CA's decision: what it found, where, and why. */
static void
jdecision(FILE *f, const struct result_name *n)
{
	size_t	 j;
	int	 found = n->relevant >= 0 && n->caa != CAA_FAILED;

	fputs(",\"issuers\":[", f);
	for (j = 0; j < n->nissuers; j++) {
		fputs(j ? "," : "", f);
		js(f, n->issuers[j]);
	}
	fputs("],\"account_uri\":", f);
	js(f, n->account_uri);
	fputs(",\"method\":", f);
	js(f, n->method);
	fputs(",\"caa\":", f);
	js(f, n->caa == CAA_ALLOWED ? "allowed" : n->caa == CAA_REFUSED ?
	    "refused" : n->caa_cut ? "not-checked" : "dns-failure");
	fputs(",\"relevant\":", f);
	js(f, found ? n->levels[n->relevant]->lookup.qname : NULL);
	fputs(",\"considered\":", f);
	js(f, caa_tag_name(n->considered));
	fputs(",\"records\":", f);
	if (found)
		jrecords(f, n->levels[n->relevant]->records,
		    n->levels[n->relevant]->nrecords);
	else
		fputs("[]", f);
	jlevels(f, n);
	fputs(",\"reason\":", f);
	js(f, n->reason);
	fputs(",\"fix\":", f);
	js(f, n->fix);
	fputs(",\"warnings\":[", f);
	for (j = 0; j < n->nwarnings; j++) {
		fputs(j ? "," : "", f);
		js(f, n->warnings[j]);
	}
	fputc(']', f);
	jdns01(f, n->dns01);
}

static void
jname(FILE *f, const struct result_name *n)
{
	fputs("{\"name\":", f);
	js(f, n->full);
	fputs(",\"input\":", f);
	jutf8(f, n->display);
	fputs(",\"certificate\":", f);
	js(f, n->cert);
	fprintf(f, ",\"wildcard\":%s,\"verdict\":\"%s\",\"exit_share\":%d,"
	    "\"nameservers_failed\":%s,\"nameservers_incomplete\":%s",
	    n->wildcard ? "true" : "false", verdict_name(n->verdict), n->share,
	    n->ns_failed ? "true" : "false", n->ns_cut ? "true" : "false");
	if (n->verdict == VERDICT_NOT_SUBJECT)
		fputs(",\"reason\":\"IP address: not subject to CAA\"", f);
	else
		jdecision(f, n);
	fputc('}', f);
}

void
report_certs(FILE *f, const struct result_run *run)
{
	const struct result_cert	*c;
	const unsigned char		*p;
	size_t				 i;

	for (i = 0; i < run->ncerts; i++) {
		c = &run->certs[i];
		for (p = (const unsigned char *)c->label; *p != '\0'; p++)
			if (*p < 0x20 || *p == 0x7f || *p == '\\')
				fprintf(f, "\\%03o", *p);
			else
				fputc(*p, f);
		fprintf(f, "\t%s\t%s\t%s\n", verdict_name(c->verdict),
		    c->share > 0 ? "hold" : "go", c->due < 0 ? "-" : c->due ?
		    "due" : "later");
	}
}

/* SPEC 5.7: the signature horizon. */
static void
jhorizon(FILE *f, const struct result_run *run)
{
	const struct result_expiry	*e;
	size_t				 i;

	fprintf(f, ",\"signatures\":{\"days\":%d,\"earliest\":",
	    run->signature_days);
	if (run->sig_earliest != 0)
		fprintf(f, "%lld", run->sig_earliest);
	else
		fputs("null", f);
	fputs(",\"expiring\":[", f);
	for (i = 0; i < run->nexpiring; i++) {
		e = &run->expiring[i];
		fputs(i ? ",{\"name\":" : "{\"name\":", f);
		js(f, e->qname);
		fprintf(f, ",\"type\":\"%s\",\"signer\":",
		    result_type_name(e->qtype));
		js(f, e->signer);
		fprintf(f, ",\"expires\":%lld}", e->expires);
	}
	fputs("]}", f);
}

/* SPEC 5.5 rev. 2: a certificate and what was assumed for it. */
static void
jcert(FILE *f, const struct result_cert *c)
{
	size_t	 i;

	fputs("{\"label\":", f);
	js(f, c->label);
	fputs(",\"client\":", f);
	js(f, c->client);
	fputs(",\"directory\":", f);
	js(f, c->directory);
	fputs(",\"issuers\":[", f);
	for (i = 0; i < c->nissuers; i++) {
		fputs(i ? "," : "", f);
		js(f, c->issuers[i]);
	}
	fputs("],\"account_uri\":", f);
	js(f, c->account_uri);
	fputs(",\"method\":", f);
	js(f, c->method);
	fputs(",\"due\":", f);
	fputs(c->due < 0 ? "null" : c->due ? "true" : "false", f);
	if (c->due == 0)
		fprintf(f, ",\"due_in_days\":%ld", c->due_days);
	fprintf(f, ",\"decides\":%s,\"verdict\":\"%s\",\"exit_share\":%d,"
	    "\"names\":%zu,\"failing\":%zu,\"not_checked\":%zu,\"problem\":",
	    c->decides ? "true" : "false", verdict_name(c->verdict), c->share,
	    c->nnames, c->nfailing, c->nunchecked);
	js(f, c->problem);
	fputc('}', f);
}

void
report_json(FILE *f, const struct result_run *run)
{
	size_t	 i;
	int	 locking;

	/*
	 * No other thread writes to f (the resolver's never write to a
	 * stream): the stream's lock, taken by each of the 12 MB's stdio
	 * calls, is not (10,000 names: 60 ms -> 37 ms of writing).
	 */
	locking = __fsetlocking(f, FSETLOCKING_BYCALLER);
	fprintf(f, "{\"version\":\"%s\",\"exit\":%d,\"lookups\":%zu,"
	    "\"lookups_not_sent\":%zu,\"direct_queries\":%zu,"
	    "\"elapsed_ms\":%.1f,\"trust_anchor\":", CAA_PREFLIGHT_VERSION,
	    run->exit, run->started, run->not_sent, run->direct,
	    run->elapsed_ms);
	js(f, run->trust_anchor[0] ? run->trust_anchor : NULL);
	fputs(",\"names\":[", f);
	for (i = 0; i < run->nnames; i++) {
		fputs(i ? "," : "", f);
		jname(f, &run->names[i]);
	}
	fputs("],\"certificates\":[", f);
	for (i = 0; i < run->ncerts; i++) {
		fputs(i ? "," : "", f);
		jcert(f, &run->certs[i]);
	}
	fprintf(f, "],\"on_unknown_allows\":%s",
	    run->unknown_allowed ? "true" : "false");
	jhorizon(f, run);
	jnameservers(f, run);
	fputs("}\n", f);
	(void)__fsetlocking(f, locking);
}
