/*
 * monitor: Nagios/Icinga and Prometheus renderings of the result tree.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "monitor.h"
#include "result.h"
#include "verdict.h"
#include "zone.h"

/* A name's problem that counts for nothing yet (not due): a warning. */
static int
later(const struct result_name *n)
{
	return n->certificate != NULL && !n->certificate->decides &&
	    (n->verdict == VERDICT_REFUSED || n->verdict == VERDICT_DNS_FAILURE);
}

size_t
monitor_warnings(const struct result_run *run)
{
	const struct result_name	*n;
	const struct zone		*z;
	size_t				 i, j, w = 0;

	for (i = 0; i < run->nnames; i++) {
		n = &run->names[i];
		if (n->verdict == VERDICT_NOT_SUBJECT)
			continue;
		w += n->nwarnings + (n->ns_cut != NULL) + later(n);
		if (n->dns01 != NULL && n->dns01->level == VERDICT_WARN &&
		    (n->dns01->failed || n->dns01->refused))
			w++;
		if (n->dns01 != NULL && n->dns01->note != NULL)
			w++;
	}
	for (i = 0; i < run->nzones; i++) {
		z = run->zones[i];
		for (j = 0; j < z->nfindings; j++)
			if (!z->findings[j].error ||
			    run->nameservers != VERDICT_ERROR)
				w++;
	}
	return w + run->nexpiring;
}

/* A name that decides: not of a certificate that is not yet due. */
static int
decides(const struct result_name *n)
{
	return n->certificate == NULL || n->certificate->decides;
}

enum monitor_state
monitor_state(const struct result_run *run)
{
	size_t	 i;
	int	 unknown = run->unreachable;

	for (i = 0; i < run->nnames; i++) {
		if (!decides(&run->names[i]))
			continue;
		if (run->names[i].verdict == VERDICT_REFUSED ||
		    run->names[i].verdict == VERDICT_DNS_FAILURE)
			return MONITOR_CRITICAL;
		/*
		 * Monitoring is not an order: on_unknown does not make a
		 * name not checked look checked.
		 */
		if (run->names[i].verdict == VERDICT_NOT_CHECKED)
			unknown = 1;
	}
	for (i = 0; i < run->ncerts; i++)
		if (run->certs[i].problem != NULL && run->certs[i].decides)
			unknown = 1;
	if (unknown)
		return MONITOR_UNKNOWN;
	return monitor_warnings(run) > 0 ? MONITOR_WARNING : MONITOR_OK;
}

/* Text for the status line: no "|" (perfdata) and no control bytes. */
static void
plain(FILE *f, const char *s)
{
	for (; s != NULL && *s != '\0'; s++)
		fputc(*s == '|' ? '/' : (unsigned char)*s < 0x20 ? ' ' : *s, f);
}

/* The first name that makes the state, for the status line. */
static const struct result_name *
first(const struct result_run *run, enum monitor_state st)
{
	const struct result_name	*n;
	size_t				 i;

	for (i = 0; i < run->nnames; i++) {
		n = &run->names[i];
		if (st == MONITOR_CRITICAL && decides(n) &&
		    (n->verdict == VERDICT_REFUSED ||
		    n->verdict == VERDICT_DNS_FAILURE))
			return n;
		if (st == MONITOR_WARNING && later(n))
			return n;
	}
	return NULL;
}

/* Why a name fails, in one phrase. */
static const char *
why(const struct result_name *n)
{
	if (n->caa != CAA_ALLOWED && n->reason != NULL)
		return n->reason;
	if (n->dns01 != NULL && n->dns01->reason != NULL)
		return n->dns01->reason;
	if (n->ns_failed)
		return "a nameserver of its zone is at fault";
	return "the CA will fail it";
}

void
monitor_nagios(FILE *f, const struct result_run *run)
{
	static const char *const names[] = {
		"OK", "WARNING", "CRITICAL", "UNKNOWN"
	};
	enum monitor_state		 st = monitor_state(run);
	const struct result_name	*n = first(run, st);
	size_t				 w = monitor_warnings(run);
	size_t				 bad = run->count[VERDICT_REFUSED] +
					    run->count[VERDICT_DNS_FAILURE];

	fprintf(f, "CAA-PREFLIGHT %s - ", names[st]);
	if (st == MONITOR_CRITICAL) {
		fprintf(f, "%zu of %zu names will fail; ", bad, run->nnames);
		plain(f, n->full);
		fputs(": ", f);
		plain(f, why(n));
	} else if (st == MONITOR_UNKNOWN && run->unreachable)
		fprintf(f, "no lookup got any answer from DNS: %zu name%s not "
		    "checked", run->nnames, run->nnames == 1 ? "" : "s");
	else if (st == MONITOR_UNKNOWN)
		fprintf(f, "%zu of %zu names not checked",
		    run->count[VERDICT_NOT_CHECKED], run->nnames);
	else if (st == MONITOR_WARNING && n != NULL) {
		fprintf(f, "renewal of %s in %ld days will fail; ",
		    n->certificate->label, n->certificate->due_days);
		plain(f, n->full);
		fputs(": ", f);
		plain(f, why(n));
	} else if (st == MONITOR_WARNING)
		fprintf(f, "%zu name%s will pass, %zu warning%s", run->nnames,
		    run->nnames == 1 ? "" : "s", w, w == 1 ? "" : "s");
	else
		fprintf(f, "%zu name%s will pass", run->nnames,
		    run->nnames == 1 ? "" : "s");
	fprintf(f, " | 'names'=%zu 'ok'=%zu 'refused'=%zu 'failed'=%zu "
	    "'warnings'=%zu 'seconds'=%.3fs\n", run->nnames,
	    run->count[VERDICT_OK], run->count[VERDICT_REFUSED],
	    run->count[VERDICT_DNS_FAILURE], w, run->elapsed_ms / 1000.0);
}

/* A label value in the exposition format: \\, \" and \n escaped. */
static void
lv(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s != NULL && *s != '\0'; s++) {
		if (*s == '\\' || *s == '"')
			fputc('\\', f);
		if (*s == '\n')
			fputs("\\n", f);
		else
			fputc((unsigned char)*s < 0x20 ? '?' : *s, f);
	}
	fputc('"', f);
}

static void
head(FILE *f, const char *name, const char *help)
{
	fprintf(f, "# HELP caa_preflight_%s %s\n# TYPE caa_preflight_%s "
	    "gauge\n", name, help, name);
}

static void
prom_names(FILE *f, const struct result_run *run)
{
	const struct result_name	*n;
	size_t				 i;
	int				 v;

	head(f, "name_verdict", "One per name checked, its verdict as a "
	    "label; decides is false for a certificate not yet due.");
	for (i = 0; i < run->nnames; i++) {
		n = &run->names[i];
		fputs("caa_preflight_name_verdict{name=", f);
		lv(f, n->full);
		fputs(",certificate=", f);
		lv(f, n->certificate ? n->certificate->label : "");
		fprintf(f, ",verdict=\"%s\",decides=\"%s\"} 1\n",
		    verdict_name(n->verdict), decides(n) ? "true" : "false");
	}
	head(f, "names", "Names checked, per verdict.");
	for (v = VERDICT_OK; v <= VERDICT_NOT_CHECKED; v++)
		fprintf(f, "caa_preflight_names{verdict=\"%s\"} %zu\n",
		    verdict_name(v), run->count[v]);
}

static void
prom_certs(FILE *f, const struct result_run *run)
{
	const struct result_cert	*c;
	size_t				 i;

	head(f, "certificate_verdict", "One per certificate, its verdict, "
	    "client and whether it is due as labels.");
	for (i = 0; i < run->ncerts; i++) {
		c = &run->certs[i];
		fputs("caa_preflight_certificate_verdict{certificate=", f);
		lv(f, c->label);
		fputs(",client=", f);
		lv(f, c->client ? c->client : "");
		fprintf(f, ",verdict=\"%s\",due=\"%s\"} 1\n",
		    verdict_name(c->verdict), c->due < 0 ? "unknown" : c->due ?
		    "true" : "false");
	}
	head(f, "certificate_failing_names", "Names of the certificate the "
	    "CA will refuse or fail.");
	for (i = 0; i < run->ncerts; i++) {
		fputs("caa_preflight_certificate_failing_names{certificate=",
		    f);
		lv(f, run->certs[i].label);
		fprintf(f, "} %zu\n", run->certs[i].nfailing);
	}
}

static void
prom_zones(FILE *f, const struct result_run *run)
{
	const struct zone	*z;
	size_t			 i, j, err, warn;

	head(f, "nameserver_findings", "Nameserver findings per zone and "
	    "severity (error: the CA can fail or decide differently).");
	for (i = 0; i < run->nzones; i++) {
		z = run->zones[i];
		for (j = err = warn = 0; j < z->nfindings; j++)
			if (z->findings[j].error &&
			    run->nameservers == VERDICT_ERROR)
				err++;
			else
				warn++;
		fputs("caa_preflight_nameserver_findings{zone=", f);
		lv(f, z->apex);
		fprintf(f, ",severity=\"error\"} %zu\n", err);
		fputs("caa_preflight_nameserver_findings{zone=", f);
		lv(f, z->apex);
		fprintf(f, ",severity=\"warning\"} %zu\n", warn);
	}
}

void
monitor_prometheus(FILE *f, const struct result_run *run, time_t when)
{
	prom_names(f, run);
	prom_certs(f, run);
	prom_zones(f, run);
	head(f, "signatures_expiring", "Signatures the CA's decisions rest "
	    "on that expire within checks.signature_days.");
	fprintf(f, "caa_preflight_signatures_expiring %zu\n", run->nexpiring);
	if (run->sig_earliest != 0) {
		head(f, "signature_expiry_timestamp_seconds", "The earliest "
		    "expiry of those signatures, in seconds since the epoch.");
		fprintf(f, "caa_preflight_signature_expiry_timestamp_seconds "
		    "%lld\n", run->sig_earliest);
	}
	head(f, "warnings", "Warnings of the run; a warning never blocks.");
	fprintf(f, "caa_preflight_warnings %zu\n", monitor_warnings(run));
	head(f, "nagios_state", "0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN, as "
	    "--format nagios says.");
	fprintf(f, "caa_preflight_nagios_state %d\n", monitor_state(run));
	head(f, "exit_status", "The run's exit status.");
	fprintf(f, "caa_preflight_exit_status %d\n", run->exit);
	head(f, "lookups", "Lookups sent through the validating resolver.");
	fprintf(f, "caa_preflight_lookups %zu\n", run->started);
	head(f, "run_duration_seconds", "Wall time of the run.");
	fprintf(f, "caa_preflight_run_duration_seconds %.3f\n",
	    run->elapsed_ms / 1000.0);
	head(f, "last_run_timestamp_seconds", "When the run finished, in "
	    "seconds since the epoch.");
	fprintf(f, "caa_preflight_last_run_timestamp_seconds %lld\n",
	    (long long)when);
}
