/*
 * checkfd: the run's file descriptors, fitted to the limit on open files
 * (which main() raises to the hard limit first).
 */
#include <sys/resource.h>

#include <stdio.h>

#include "check_priv.h"
#include "conf.h"
#include "probe.h"
#include "resolve.h"

/* Descriptors the run opens besides ports and probe sockets. */
#define CHECK_FD_RESERVE	128
/* The probe's sockets when descriptors are short: a few servers at once. */
#define CHECK_PROBE_FDS_MIN	8

/*
 * The limit on open files must hold every UDP port the resolvers may
 * open and every socket of the probe, with room for the rest: where a
 * port has no descriptor, libunbound fails the query, and the CA's
 * lookup would read as a server's SERVFAIL, a false block.  Below what
 * the defaults need, the ports and the probe's sockets shrink to fit,
 * and so does the window of lookups handed to libunbound (resolve.c: a
 * lookup mostly has one query out); below what the fewest need, the
 * check cannot be done.
 */
int
check_fit_descriptors(struct check *k, char *err, size_t errlen)
{
	struct rlimit	 rl;
	size_t		 ctxs, avail, probe = 0, least;
	int		 ns = k->c->nameservers != CONF_OFF;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1 ||
	    rl.rlim_cur == RLIM_INFINITY)
		return 0;
	ctxs = resolve_contexts(1) + (ns ? resolve_contexts(0) : 0);
	avail = rl.rlim_cur > CHECK_FD_RESERVE ?
	    (size_t)rl.rlim_cur - CHECK_FD_RESERVE : 0;
	if (avail >= ctxs * RESOLVE_PORTS + (ns ? PROBE_MAXOPEN : 0))
		return 0;
	least = ctxs * RESOLVE_PORTS_MIN + (ns ? CHECK_PROBE_FDS_MIN : 0);
	if (avail < least) {
		(void)snprintf(err, errlen, "too few file descriptors: the limit "
		    "on open files is %llu, a run needs %zu: raise it "
		    "(ulimit -n)", (unsigned long long)rl.rlim_cur,
		    least + CHECK_FD_RESERVE);
		return -1;
	}
	if (ns) {
		probe = avail / 4 < CHECK_PROBE_FDS_MIN ? CHECK_PROBE_FDS_MIN :
		    avail / 4 > PROBE_MAXOPEN ? PROBE_MAXOPEN : avail / 4;
		k->probe_fds = probe;
	}
	resolve_set_ports((avail - probe) / ctxs);
	return 0;
}
