/*
 * report: text and JSON output.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "caa.h"
#include "check.h"
#include "probe.h"
#include "report.h"
#include "resolve.h"
#include "servers.h"

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
label_of(const struct check_name *n, char *buf, size_t size)
{
	char	 full[NAME_MAX_TEXT + 4];

	name_full(n->nm.wildcard, n->nm.ascii, full, sizeof(full));
	if (strcmp(full, n->nm.display) != 0)
		(void)snprintf(buf, size, "%s (%s)", n->nm.display, full);
	else
		(void)snprintf(buf, size, "%s", full);
}

/* SPEC 5.3: per zone, one line per server at fault, with the fix. */
static void
findings_text(FILE *f, struct check *k)
{
	const struct servers	*s = check_servers(k);
	const struct srv_zone	*z;
	const struct srv_finding *fd;
	const char		*warn;
	size_t			 i, j;
	int			 asw = check_conf(k)->nameservers != CONF_ERROR;

	if (s == NULL)
		return;
	for (i = 0; i < servers_nzones(s); i++) {
		z = servers_zone(s, i);
		for (j = 0; j < z->nfindings; j++) {
			fd = &z->findings[j];
			warn = !fd->error || asw ? "warning: " : "";
			if (fd->server != NULL)
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

void
report_text(FILE *f, struct check *k, const struct report_opts *o)
{
	size_t	 i, w, nok = 0, nref = 0, nfail = 0, nip = 0, ncut = 0;
	char	 label[5 * NAME_MAX_TEXT + 16];
	char	 cut[48] = "";

	if (o->quiet)
		return;
	for (i = 0; i < check_count(k); i++) {
		struct check_name *n = check_get(k, i);

		label_of(n, label, sizeof(label));
		switch (n->verdict) {
		case CHECK_OK:
			nok++;
			if (!o->verbose)
				break;
			if (n->dec.level >= 0)
				report_msg(f, "%s: ok (relevant CAA at %s)",
				    label, n->levels[n->dec.level]->qname);
			else
				report_msg(f, "%s: ok (no CAA record at any "
				    "level)", label);
			break;
		case CHECK_REFUSED:
			nref++;
			break;
		case CHECK_DNS_FAILURE:
			nfail++;
			break;
		case CHECK_NOT_CHECKED:
			ncut++;
			break;
		case CHECK_NOT_SUBJECT:
			nip++;
			report_msg(f, "%s: not subject to CAA (IP address); CAs "
			    "skip CAA for IP identifiers", label);
			continue;
		}
		if (n->dec.verdict != CAA_ALLOWED) {
			report_msg(f, "%s: %s", label, n->dec.reason);
			if (n->dec.fix != NULL)
				report_msg(f, "  fix: %s", n->dec.fix);
		}
		if (n->acme_failed && n->acme_level != CONF_OFF) {
			report_msg(f, "%s: %s%s", label, n->acme_level ==
			    CONF_WARN ? "warning: " : "", n->acme_reason ?
			    n->acme_reason : "out of memory");
			if (n->acme_fix != NULL)
				report_msg(f, "  fix: %s", n->acme_fix);
		}
		if (n->ns_failed && check_conf(k)->nameservers == CONF_ERROR)
			report_msg(f, "%s: a nameserver of %s is at fault (below): "
			    "the CA can fail or decide differently depending "
			    "on the server it reaches", label, n->ns_zone);
		if (n->ns_cut != NULL) {
			report_msg(f, "%s: warning: the run's deadline passed "
			    "before the zone of %s was found: the nameserver "
			    "check of %s is incomplete", label, n->ns_cut,
			    n->ns_cut);
			report_msg(f, "  fix: %s", SRV_FIX_DEADLINE);
		}
		for (w = 0; w < n->dec.nwarn; w++)
			report_msg(f, "%s: warning: %s", label, n->dec.warn[w]);
	}
	findings_text(f, k);
	if (ncut > 0) {
		size_t	 ns = check_not_sent(k);
		char	 unsent[48] = "";

		if (ns > 0)
			(void)snprintf(unsent, sizeof(unsent), " (%zu lookup%s "
			    "not yet sent)", ns, ns == 1 ? "" : "s");
		report_msg(f, "the run's %d s deadline passed before %zu "
		    "name%s could be checked%s", check_conf(k)->timeout,
		    ncut, ncut == 1 ? "" : "s", unsent);
		report_msg(f, "  fix: %s", CHECK_FIX_DEADLINE);
		(void)snprintf(cut, sizeof(cut), ", %zu not checked", ncut);
	}
	report_msg(f, "%zu name%s checked: %zu ok, %zu refused, %zu "
	    "dns-failure%s%s", check_count(k), check_count(k) == 1 ? "" : "s",
	    nok, nref, nfail, cut, nip ? ", some not subject to CAA" : "");
}

static const char *
dnssec_name(const struct resolve_answer *a)
{
	if (a == NULL || a->state != RESOLVE_DONE)
		return "unknown";
	switch (a->dnssec) {
	case RESOLVE_SECURE:
		return "secure";
	case RESOLVE_BOGUS:
		return "bogus";
	default:
		return "insecure";
	}
}

static const char *
status_name(const struct resolve_answer *a)
{
	if (a == NULL)
		return "error";
	switch (a->state) {
	case RESOLVE_TIMEOUT:
		return a->sent ? "timeout" : "not-sent";
	case RESOLVE_ERROR:
		return "error";
	default:
		return check_rcode_name(a->rcode);
	}
}

static const char *
seen_status(const struct srv_seen *q)
{
	if (!q->done)
		return "not asked";
	switch (q->state) {
	case PROBE_ANSWER:
		return check_rcode_name(q->rcode);
	case PROBE_TIMEOUT:
		return "timeout";
	case PROBE_TCP_FAILED:
		return "tcp-failed";
	case PROBE_CANCELLED:
		return "cancelled";
	default:
		return "error";
	}
}

static const char *
type_name(int qtype)
{
	switch (qtype) {
	case 1:
		return "A";
	case 2:
		return "NS";
	case 6:
		return "SOA";
	case 16:
		return "TXT";
	case 28:
		return "AAAA";
	case 48:
		return "DNSKEY";
	case 257:
		return "CAA";
	default:
		return "?";
	}
}

static void
trace_one(FILE *f, const char *zone, const char *host, const char *addr,
    int qtype, const char *qname, const struct srv_seen *q)
{
	report_msg(f, "probe %s %s @ %s (%s) for %s: %s%s%s, %.1f ms",
	    type_name(qtype), qname, host, addr, zone, seen_status(q),
	    q->done && q->state == PROBE_ANSWER && q->aa ? " aa" : "",
	    q->tcp ? " tcp" : "", q->ms);
}

static void
trace_probes(FILE *f, struct check *k)
{
	const struct servers	*s = check_servers(k);
	const struct srv_zone	*z;
	size_t			 i, j, n;

	if (s == NULL)
		return;
	for (i = 0; i < servers_nzones(s); i++) {
		z = servers_zone(s, i);
		/* The delegation, asked of a parent's server until one
		 * answers: the others were never asked. */
		for (j = 0; j < z->nparents; j++)
			if (z->parents[j].ns.done)
				trace_one(f, z->parent, z->parents[j].host,
				    z->parents[j].addr, 2, z->apex,
				    &z->parents[j].ns);
		for (j = 0; j < z->nservers; j++) {
			const struct srv_server *sv = &z->servers[j];

			trace_one(f, z->apex, sv->host, sv->addr,
			    sv->soa.qtype, sv->soa.qname, &sv->soa);
			for (n = 0; n < sv->nq; n++)
				trace_one(f, z->apex, sv->host, sv->addr,
				    sv->q[n].qtype, sv->q[n].qname,
				    &sv->q[n]);
		}
	}
}

static void
trace_lookup(FILE *f, const char *qname, int qtype,
    const struct resolve_answer *a)
{
	report_msg(f, "query %s %s: %s, %s, %zu record%s, %.1f ms%s%s",
	    type_name(qtype), qname, status_name(a), dnssec_name(a),
	    a ? a->nrdata : 0, a && a->nrdata == 1 ? "" : "s",
	    a ? a->ms : 0.0, a && a->why_bogus ? ": " : "",
	    a && a->why_bogus ? a->why_bogus : "");
}

void
report_trace(FILE *f, struct check *k)
{
	const struct check_query	*q;
	const struct servers		*s = check_servers(k);
	const struct resolve_answer	*a;
	const void			*it = NULL;
	const char			*qname;
	int				 qtype;

	if (*check_trust_anchor(k) != '\0')
		report_msg(f, "resolver: trust anchor %s",
		    check_trust_anchor(k));
	else
		report_msg(f, "resolver: not started: no name needs a lookup");
	if (*check_resolver_settings(k) != '\0')
		report_msg(f, "resolver: %s", check_resolver_settings(k));
	/* The CA's lookups, then those that find the zones' servers. */
	for (q = check_queries(k); q != NULL; q = q->order)
		trace_lookup(f, q->qname, q->qtype, q->ans);
	while (s != NULL && servers_lookup(s, &it, &qname, &qtype, &a))
		trace_lookup(f, qname, qtype, a);
	trace_probes(f, k);
	report_msg(f, "%zu lookups and %zu direct queries in %.1f ms",
	    check_started(k), check_probes_sent(k), check_elapsed_ms(k));
}

/* JSON string: escapes quotes, backslashes, controls and non-ASCII bytes
 * (as \u00XX, so arbitrary DNS bytes still make valid UTF-8 JSON). */
static void
jstr(FILE *f, const char *s, size_t len)
{
	size_t	 i;

	fputc('"', f);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
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
	fputc('"', f);
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
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
jquery(FILE *f, const struct check_query *q)
{
	const struct resolve_answer *a = q->ans;

	fputs("{\"name\":", f);
	js(f, q->qname);
	fputs(",\"status\":", f);
	js(f, status_name(a));
	fputs(",\"dnssec\":", f);
	js(f, dnssec_name(a));
	fputs(",\"why_bogus\":", f);
	js(f, a ? a->why_bogus : NULL);
	fputs(",\"canonical\":", f);
	js(f, a ? a->canonname : NULL);
	fprintf(f, ",\"ms\":%.1f", a ? a->ms : 0.0);
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
jseen(FILE *f, const struct srv_seen *q)
{
	fputs("{\"name\":", f);
	js(f, q->qname);
	fprintf(f, ",\"type\":\"%s\",\"status\":", q->qtype == 6 ? "SOA" :
	    q->qtype == 16 ? "TXT" : "CAA");
	js(f, seen_status(q));
	fprintf(f, ",\"aa\":%s,\"tcp\":%s,\"ms\":%.1f",
	    q->done && q->state == PROBE_ANSWER && q->aa ? "true" : "false",
	    q->tcp ? "true" : "false", q->ms);
	if (q->serial >= 0)
		fprintf(f, ",\"serial\":%ld", q->serial);
	fputs(",\"records\":", f);
	jstrv(f, q->records, q->nrecords);
	fputs(",\"error\":", f);
	js(f, q->done && q->state != PROBE_ANSWER ? q->err : NULL);
	fputc('}', f);
}

static void
jnameservers(FILE *f, struct check *k)
{
	const struct servers	*s = check_servers(k);
	const struct srv_zone	*z;
	size_t			 i, j, n;
	int			 asw = check_conf(k)->nameservers != CONF_ERROR;

	fputs(",\"nameservers\":", f);
	if (s == NULL) {
		fputs("null", f);
		return;
	}
	fputc('[', f);
	for (i = 0; i < servers_nzones(s); i++) {
		z = servers_zone(s, i);
		fputs(i ? ",{\"zone\":" : "{\"zone\":", f);
		js(f, z->apex);
		fputs(",\"parent\":", f);
		js(f, z->parent);
		fprintf(f, ",\"secure\":%s,\"names\":",
		    z->secure ? "true" : "false");
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
			const struct srv_server *sv = &z->servers[j];

			fputs(j ? ",{\"host\":" : "{\"host\":", f);
			js(f, sv->host);
			fputs(",\"address\":", f);
			js(f, sv->addr);
			fprintf(f, ",\"in_parent\":%s,\"in_child\":%s,"
			    "\"soa\":", sv->in_parent ? "true" : "false",
			    sv->in_child ? "true" : "false");
			jseen(f, &sv->soa);
			fputs(",\"queries\":[", f);
			for (n = 0; n < sv->nq; n++) {
				fputs(n ? "," : "", f);
				jseen(f, &sv->q[n]);
			}
			fputs("]}", f);
		}
		fputs("],\"findings\":[", f);
		for (j = 0; j < z->nfindings; j++) {
			const struct srv_finding *fd = &z->findings[j];

			fprintf(f, "%s{\"severity\":\"%s\",\"server\":",
			    j ? "," : "", fd->error && !asw ? "error" :
			    "warning");
			js(f, fd->server);
			fputs(",\"address\":", f);
			js(f, fd->addr);
			fputs(",\"name\":", f);
			js(f, fd->name);
			fputs(",\"message\":", f);
			js(f, fd->msg);
			fputs(",\"fix\":", f);
			js(f, fd->fix);
			fputc('}', f);
		}
		fputs("]}", f);
	}
	fputc(']', f);
}

void
report_json(FILE *f, struct check *k, int exitcode)
{
	size_t	 i, j;
	char	 full[NAME_MAX_TEXT + 4];

	fprintf(f, "{\"version\":\"%s\",\"exit\":%d,\"lookups\":%zu,"
	    "\"lookups_not_sent\":%zu,\"direct_queries\":%zu,"
	    "\"elapsed_ms\":%.1f,\"trust_anchor\":",
	    CAA_PREFLIGHT_VERSION, exitcode, check_started(k),
	    check_not_sent(k), check_probes_sent(k), check_elapsed_ms(k));
	js(f, check_trust_anchor(k)[0] ? check_trust_anchor(k) : NULL);
	fputs(",\"names\":[", f);
	for (i = 0; i < check_count(k); i++) {
		struct check_name *n = check_get(k, i);

		name_full(n->nm.wildcard, n->nm.ascii, full, sizeof(full));
		fputs(i ? ",{" : "{", f);
		fputs("\"name\":", f);
		js(f, full);
		fputs(",\"input\":", f);
		jutf8(f, n->nm.display);
		fputs(",\"certificate\":", f);
		js(f, n->cert);
		fprintf(f, ",\"wildcard\":%s,\"verdict\":\"%s\","
		    "\"nameservers_failed\":%s,\"nameservers_incomplete\":%s",
		    n->nm.wildcard ? "true" : "false",
		    check_verdict_name(n->verdict),
		    n->ns_failed ? "true" : "false",
		    n->ns_cut != NULL ? "true" : "false");
		if (n->verdict == CHECK_NOT_SUBJECT) {
			fputs(",\"reason\":\"IP address: not subject to "
			    "CAA\"}", f);
			continue;
		}
		fputs(",\"issuers\":[", f);
		for (j = 0; j < n->pol.nissuers; j++) {
			fputs(j ? "," : "", f);
			js(f, n->pol.issuers[j]);
		}
		fputs("],\"account_uri\":", f);
		js(f, n->pol.account_uri);
		fputs(",\"method\":", f);
		js(f, n->method);
		fputs(",\"caa\":", f);
		js(f, n->dec.verdict == CAA_ALLOWED ? "allowed" :
		    n->dec.verdict == CAA_REFUSED ? "refused" :
		    check_caa_cut(n) ? "not-checked" : "dns-failure");
		fputs(",\"relevant\":", f);
		js(f, n->dec.level >= 0 && n->dec.verdict != CAA_FAILED ?
		    n->levels[n->dec.level]->qname : NULL);
		fputs(",\"considered\":", f);
		js(f, caa_tag_name(n->dec.considered));
		fputs(",\"records\":", f);
		if (n->dec.level >= 0 && n->dec.verdict != CAA_FAILED)
			jrecords(f, n->levels[n->dec.level]->recs,
			    n->levels[n->dec.level]->nrecs);
		else
			fputs("[]", f);
		fputs(",\"levels\":[", f);
		for (j = 0; j < n->nlevels; j++) {
			const struct check_query *q = n->levels[j];

			fputs(j ? "," : "", f);
			jquery(f, q);
			fputs(",\"state\":", f);
			js(f, q->state == CAA_LEVEL_FAILED ? "failed" :
			    q->state == CAA_LEVEL_NXDOMAIN ? "nxdomain" :
			    q->nrecs > 0 ? "records" : "empty");
			fputs(",\"records\":", f);
			jrecords(f, q->recs, q->nrecs);
			fputc('}', f);
		}
		fputs("],\"reason\":", f);
		js(f, n->dec.reason);
		fputs(",\"fix\":", f);
		js(f, n->dec.fix);
		fputs(",\"warnings\":[", f);
		for (j = 0; j < n->dec.nwarn; j++) {
			fputs(j ? "," : "", f);
			js(f, n->dec.warn[j]);
		}
		fputs("],\"dns01\":", f);
		if (n->acme == NULL)
			fputs("null", f);
		else {
			jquery(f, n->acme);
			fprintf(f, ",\"severity\":\"%s\",\"ok\":%s,\"reason\":",
			    conf_level_name(n->acme_level),
			    n->acme_failed ? "false" : "true");
			js(f, n->acme_failed ? n->acme_reason : NULL);
			fputs(",\"fix\":", f);
			js(f, n->acme_failed ? n->acme_fix : NULL);
			fputc('}', f);
		}
		fputc('}', f);
	}
	fputc(']', f);
	jnameservers(f, k);
	fputs("}\n", f);
}
