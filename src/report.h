/*
 * report: what the operator reads.  Text on standard error (SPEC 5.5)
 * and one JSON document for pipelines, both read from the result tree
 * alone (result.h): no renderer sees a resolver, probe or packet.
 */
#ifndef REPORT_H
#define REPORT_H

#include <stdio.h>

struct result_run;

enum report_format {
	REPORT_TEXT,
	REPORT_JSON,
	REPORT_CERTS,	/* a line per certificate, for scripts */
	REPORT_NAGIOS	/* a plugin's status line, then the text */
};

struct report_opts {
	enum report_format	 format;
	int			 quiet;		/* -q: no text at all */
	int			 verbose;	/* -v: query trace */
};

/* Problems, warnings and a summary as "caa-preflight: NAME: ..." lines. */
void	 report_text(FILE *, const struct result_run *,
	    const struct report_opts *);
/* The -v trace of every lookup and direct query. */
void	 report_trace(FILE *, const struct result_run *);
/* The JSON document (schema in caa-preflight(1)). */
void	 report_json(FILE *, const struct result_run *);
/*
 * --format certificates: a line per certificate, "LABEL<TAB>VERDICT<TAB>
 * hold|go<TAB>due|later|-", control characters in the label escaped as
 * \ooo: hold when its order would fail (or could not be checked, with
 * on_unknown: block), for scripts such as hooks/certbot-renew.
 */
void	 report_certs(FILE *, const struct result_run *);
/* One "caa-preflight: message" line, control characters escaped. */
void	 report_msg(FILE *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));

#endif /* REPORT_H */
