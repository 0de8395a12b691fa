/*
 * resolve: DNSSEC-validating recursive lookups with libunbound, all in
 * flight at once.  The caller owns the event loop: it polls resolve_fd()
 * and calls resolve_process(); answers arrive through callbacks.
 */
#ifndef RESOLVE_H
#define RESOLVE_H

#include <stddef.h>
#include <stdint.h>

struct conf;
struct conf_errors;
struct resolve;

enum resolve_state {
	RESOLVE_DONE,		/* an answer (any rcode) came back */
	RESOLVE_TIMEOUT,	/* the run's deadline passed first */
	RESOLVE_ERROR		/* libunbound failed; see error */
};

enum resolve_dnssec {
	RESOLVE_INSECURE,	/* no DNSSEC for this name */
	RESOLVE_SECURE,		/* validated */
	RESOLVE_BOGUS,		/* validation failed; see why_bogus */
	RESOLVE_UNVALIDATED	/* from resolve_new_plain() */
};

/*
 * One finished lookup, handed to the callback, which owns it and frees
 * it with resolve_answer_free().  The callback gets NULL when memory ran
 * out building it.
 */
struct resolve_answer {
	char			*qname;		/* as asked */
	int			 qtype;
	enum resolve_state	 state;
	int			 rcode;		/* DNS rcode (DONE) */
	int			 nxdomain;
	enum resolve_dnssec	 dnssec;
	char			*why_bogus;	/* BOGUS: libunbound's words */
	char			*canonname;	/* after aliases, or NULL */
	uint8_t		       **rdata;		/* RDATA of qtype at canonname */
	size_t			*rdlen;
	size_t			 nrdata;
	uint8_t			*packet;	/* the whole answer, wire */
	size_t			 packetlen;
	char			*error;		/* ERROR: what failed */
	double			 ms;		/* from sent to answer, or 0 */
	int			 sent;		/* 0: the deadline passed while
						   it waited for a place */
};

typedef void (*resolve_cb)(void *, struct resolve_answer *);

/*
 * Create a context from the configuration's resolver section.  On
 * failure returns NULL and writes why into err.  ta_used receives a
 * description of the trust anchor in use (for -v).
 */
struct resolve	*resolve_new(const struct conf *, char *err, size_t errlen,
		    char *ta_used, size_t ta_len);
/*
 * The same, without the validator (no trust anchor; libunbound's
 * iterator alone), on a thread of its own: for lookups whose answers
 * decide nothing, so that they cost the validating thread nothing.
 */
struct resolve	*resolve_new_plain(const struct conf *, char *err,
		    size_t errlen);
void		 resolve_free(struct resolve *);
/*
 * Check the configuration's resolver section before any query: every
 * raw option as libunbound takes it, the trust anchor and the root
 * hints readable.  Each problem is appended to errs at the place the
 * file sets it.  Returns how many, or -1 when memory ran out.
 */
int		 resolve_check(const struct conf *, struct conf_errors *);
/* Room for one "name value" setting. */
#define RESOLVE_SETTING_LEN	96
#define RESOLVE_NSETTINGS	16

/*
 * The settings that shape how lookups go out, as libunbound holds them
 * after the configuration's own options, one "name value" each, for -v.
 * Returns how many were written (at most max).
 */
size_t		 resolve_settings(struct resolve *,
		    char (*)[RESOLVE_SETTING_LEN], size_t);

/* Start a lookup; cb is called exactly once.  0, or -1 (cb not called). */
int		 resolve_query(struct resolve *, const char *, int,
		    resolve_cb, void *);
/*
 * The same, but sent before every lookup still waiting for a place: for
 * the few lookups that other work waits on (a zone's servers and keys).
 */
int		 resolve_query_ahead(struct resolve *, const char *, int,
		    resolve_cb, void *);
/*
 * Lookups handed to libunbound at once, over all its lanes (512 unless
 * set); the others wait, in order, whatever their lane.
 */
void		 resolve_set_window(struct resolve *, size_t);
/*
 * UDP ports, so descriptors, each context made from now on may have
 * open at once: RESOLVE_PORTS unless fewer are set (RESOLVE_PORTS_MIN
 * at least), so that the run fits a limit on open files.  The window of
 * a resolver made then is no larger than its contexts' ports.
 */
void		 resolve_set_ports(size_t);
#define RESOLVE_PORTS		1024
#define RESOLVE_PORTS_MIN	16
/* The contexts resolve_new() (validate) or resolve_new_plain() makes. */
size_t		 resolve_contexts(int validate);
/*
 * Its libunbound contexts, each on a thread of its own: two for the
 * validating context on a machine with two cores or more, else one.
 */
size_t		 resolve_lanes(const struct resolve *);
/*
 * The lane a name's lookups go to: the same for every name that ends in
 * the same two labels (a zone below a TLD and its keys).
 */
size_t		 resolve_lane(const struct resolve *, const char *);
int		 resolve_fd(struct resolve *);
/* Deliver finished lookups to their callbacks. */
int		 resolve_process(struct resolve *);
/*
 * Call fn(ctx, arg) with the argument of every lookup started with the
 * callback cb, handed to libunbound at least ms ago and not answered
 * yet: lookups waiting for a place are not late, however long they
 * wait.  fn starts no lookup.
 */
void		 resolve_each_late(const struct resolve *, resolve_cb cb,
		    double ms, void (*fn)(void *, void *), void *ctx);
/* Lookups not yet answered. */
size_t		 resolve_pending(const struct resolve *);
/* Lookups started so far. */
size_t		 resolve_started(const struct resolve *);
/* Lookups resolve_cancel_all() found still waiting to be sent. */
size_t		 resolve_unsent(const struct resolve *);
/*
 * Cancel every outstanding lookup; each callback gets RESOLVE_TIMEOUT.
 * Call resolve_process() no more after this: only resolve_free().
 */
void		 resolve_cancel_all(struct resolve *);

void		 resolve_answer_free(struct resolve_answer *);

/* Milliseconds on a monotonic clock. */
double		 resolve_now_ms(void);

#endif /* RESOLVE_H */
