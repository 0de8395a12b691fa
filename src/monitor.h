/*
 * monitor: the run for monitoring (SPEC 5.7): a Nagios/Icinga plugin's
 * status line and exit status, and a node_exporter textfile of
 * Prometheus metrics.  Like report, it reads the result tree alone.
 */
#ifndef MONITOR_H
#define MONITOR_H

#include <stdio.h>
#include <time.h>

struct result_run;

/* The monitoring-plugins states, which are also their exit statuses. */
enum monitor_state {
	MONITOR_OK,
	MONITOR_WARNING,	/* warnings, or problems not yet due */
	MONITOR_CRITICAL,	/* the CA will refuse or fail a name that
				   decides */
	MONITOR_UNKNOWN		/* could not check */
};

/* What the run's warnings are: every line the text report calls one. */
size_t		 monitor_warnings(const struct result_run *);

/* SPEC 5.7: the plugin's state for a run. */
enum monitor_state monitor_state(const struct result_run *);

/*
 * "CAA-PREFLIGHT STATE - summary | 'names'=N 'ok'=N 'refused'=N
 * 'failed'=N 'warnings'=N 'seconds'=Ns", one line.
 */
void		 monitor_nagios(FILE *, const struct result_run *);

/*
 * The node_exporter textfile: caa_preflight_* gauges with HELP and
 * TYPE, the run finished at when.
 */
void		 monitor_prometheus(FILE *, const struct result_run *, time_t);

#endif /* MONITOR_H */
