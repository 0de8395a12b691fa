/*
 * verdict: what a name's checks add up to, made in this one place.
 * The CA's CAA decision, the dns-01 lookup, the nameserver findings and
 * the run's deadline go in; the name's verdict and its share of the
 * exit status (SPEC 5.6) come out.  Pure: nothing downstream works any
 * of it out again.
 */
#ifndef VERDICT_H
#define VERDICT_H

#include "caa.h"

/* The remedy for a name the run's deadline left not checked. */
#define VERDICT_FIX_DEADLINE "raise timeout so that the whole run fits " \
	"in it, or check fewer names per run"

/* The remedy for a name our own resolver failed (SPEC 5.6: not checked). */
#define VERDICT_FIX_LOCAL "a failure of this machine, not of DNS: check " \
	"its free memory and its limit on open files (ulimit -n), then run " \
	"again"

enum verdict {
	VERDICT_OK,		/* the CA will issue */
	VERDICT_REFUSED,	/* CAA forbids it */
	VERDICT_DNS_FAILURE,	/* a lookup or a server will fail */
	VERDICT_NOT_SUBJECT,	/* an IP address: CAs skip CAA */
	VERDICT_NOT_CHECKED	/* the run's deadline came first */
};

/* How much a check counts: configured per check (SPEC 3). */
enum verdict_level {
	VERDICT_OFF,		/* not made */
	VERDICT_WARN,		/* printed, never a reason to block */
	VERDICT_ERROR		/* fails the name */
};

/* Everything a name's verdict rests on. */
struct verdict_in {
	int			 ip;		/* an IP address */
	enum caa_verdict	 caa;		/* the CA's CAA decision */
	int			 caa_cut;	/* it failed on a level the
						   deadline cut short */
	enum verdict_level	 dns01;		/* _acme-challenge check */
	int			 dns01_failed;
	int			 dns01_cut;	/* failed: the deadline */
	enum verdict_level	 nameservers;	/* SPEC 5.3 check */
	int			 ns_failed;	/* a server at fault (error) */
	int			 dns01_refused;	/* dns-persist-01: no record
						   authorizes */
	int			 unreachable;	/* not one lookup of the run
						   got a DNS answer */
};

/* The name's verdict. */
enum verdict	 verdict_of(const struct verdict_in *);
/* SPEC 5.6: 0 ok, 1 refused, 2 DNS failure, 3 not checked. */
int		 verdict_exit(enum verdict);
/*
 * SPEC 5.6, 8 (rev. 2): a name's share of the run's exit status.  A
 * name of a certificate that is not yet due counts only when decides
 * (--all); one not checked counts only unless unknown_allowed (a hook,
 * wrapper or client-state run with on_unknown: allow).
 */
int		 verdict_share(enum verdict, int decides, int unknown_allowed);
/*
 * The run's exit status from its names' highest share: a run where not
 * one lookup got an answer (no network) could not check anything, 3,
 * unless unknown_allowed.
 */
int		 verdict_run_exit(int highest, int unreachable,
		    int unknown_allowed);
/* "ok", "refused", "dns-failure", "not-subject", "not-checked". */
const char	*verdict_name(enum verdict);
/* "off", "warn", "error". */
const char	*verdict_level_name(enum verdict_level);

#endif /* VERDICT_H */
