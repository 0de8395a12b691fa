/*
 * report: what the operator reads.  Text on standard error (SPEC 5.5)
 * and one JSON document for pipelines, both from the check's results.
 */
#ifndef REPORT_H
#define REPORT_H

#include <stdio.h>

struct check;

enum report_format {
	REPORT_TEXT,
	REPORT_JSON
};

struct report_opts {
	enum report_format	 format;
	int			 quiet;		/* -q: no text at all */
	int			 verbose;	/* -v: query trace */
};

/* Problems, warnings and a summary as "caa-preflight: NAME: ..." lines. */
void	 report_text(FILE *, struct check *, const struct report_opts *);
/* The -v trace of every query. */
void	 report_trace(FILE *, struct check *);
/* The JSON document (schema in caa-preflight(1)). */
void	 report_json(FILE *, struct check *, int exitcode);
/* One "caa-preflight: message" line, control characters escaped. */
void	 report_msg(FILE *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));

#endif /* REPORT_H */
