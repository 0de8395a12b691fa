/*
 * report: text and JSON output.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "caa.h"
#include "check.h"
#include "report.h"
#include "resolve.h"

/* Write s with control characters shown as \DDD: nothing from DNS may
 * drive the terminal. */
static void
put_safe(FILE *f, const char *s)
{
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\%03u", c);
		else
			fputc(c, f);
	}
}

void
report_msg(FILE *f, const char *fmt, ...)
{
	va_list	 ap;
	char	 buf[4096];

	va_start(ap, fmt);
	(void)vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fputs("caa-preflight: ", f);
	put_safe(f, buf);
	fputc('\n', f);
}

/* "bücher.example (xn--bcher-kva.example)" when the forms differ. */
static void
label_of(const struct check_name *n, char *buf, size_t size)
{
	char	 full[NAME_MAX_TEXT + 4];

	name_full(&n->nm, full, sizeof(full));
	if (strcmp(full, n->nm.display) != 0)
		(void)snprintf(buf, size, "%s (%s)", n->nm.display, full);
	else
		(void)snprintf(buf, size, "%s", full);
}

void
report_text(FILE *f, struct check *k, const struct report_opts *o)
{
	size_t	 i, w, nok = 0, nref = 0, nfail = 0, nip = 0;
	char	 label[5 * NAME_MAX_TEXT + 16];

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
		case CHECK_NOT_SUBJECT:
			nip++;
			report_msg(f, "%s: not subject to CAA (IP address); CAs "
			    "skip CAA for IP identifiers", label);
			continue;
		}
		if (n->dec.verdict != CAA_ALLOWED) {
			report_msg(f, "%s: %s", label, n->dec.reason);
			if (n->dec.fix[0] != '\0')
				report_msg(f, "  fix: %s", n->dec.fix);
		}
		if (n->acme_failed && n->acme_level != CONF_OFF) {
			report_msg(f, "%s: %s%s", label, n->acme_level ==
			    CONF_WARN ? "warning: " : "", n->acme_reason);
			report_msg(f, "  fix: %s", n->acme_fix);
		}
		for (w = 0; w < n->dec.nwarn; w++)
			report_msg(f, "%s: warning: %s", label, n->dec.warn[w]);
	}
	report_msg(f, "%zu name%s checked: %zu ok, %zu refused, %zu "
	    "dns-failure%s", check_count(k), check_count(k) == 1 ? "" : "s",
	    nok, nref, nfail, nip ? ", some not subject to CAA" : "");
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
		return "timeout";
	case RESOLVE_ERROR:
		return "error";
	default:
		return check_rcode_name(a->rcode);
	}
}

void
report_trace(FILE *f, struct check *k)
{
	const struct check_query	*q;

	report_msg(f, "resolver: trust anchor %s", check_trust_anchor(k));
	for (q = check_queries(k); q != NULL; q = q->order) {
		const struct resolve_answer *a = q->ans;

		report_msg(f, "query %s %s: %s, %s, %zu record%s, %.1f ms%s%s",
		    q->qtype == 257 ? "CAA" : "TXT", q->qname, status_name(a),
		    dnssec_name(a), a ? a->nrdata : 0,
		    a && a->nrdata == 1 ? "" : "s", a ? a->ms : 0.0,
		    a && a->why_bogus ? ": " : "",
		    a && a->why_bogus ? a->why_bogus : "");
	}
	report_msg(f, "%zu lookups in %.1f ms", check_started(k),
	    check_elapsed_ms(k));
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

void
report_json(FILE *f, struct check *k, int exitcode)
{
	size_t	 i, j;
	char	 full[NAME_MAX_TEXT + 4];

	fprintf(f, "{\"version\":\"%s\",\"exit\":%d,\"lookups\":%zu,"
	    "\"elapsed_ms\":%.1f,\"trust_anchor\":", CAA_PREFLIGHT_VERSION, exitcode,
	    check_started(k), check_elapsed_ms(k));
	js(f, check_trust_anchor(k)[0] ? check_trust_anchor(k) : NULL);
	fputs(",\"names\":[", f);
	for (i = 0; i < check_count(k); i++) {
		struct check_name *n = check_get(k, i);

		name_full(&n->nm, full, sizeof(full));
		fputs(i ? ",{" : "{", f);
		fputs("\"name\":", f);
		js(f, full);
		fputs(",\"input\":", f);
		jutf8(f, n->nm.display);
		fputs(",\"certificate\":", f);
		js(f, n->cert);
		fprintf(f, ",\"wildcard\":%s,\"verdict\":\"%s\"",
		    n->nm.wildcard ? "true" : "false",
		    check_verdict_name(n->verdict));
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
		    n->dec.verdict == CAA_REFUSED ? "refused" : "dns-failure");
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
		js(f, n->dec.reason[0] ? n->dec.reason : NULL);
		fputs(",\"fix\":", f);
		js(f, n->dec.fix[0] ? n->dec.fix : NULL);
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
	fputs("]}\n", f);
}
