/*
 * probe: direct, non-recursive queries to one authoritative server
 * address, on our own non-blocking sockets, driven by the caller's event
 * loop.  EDNS0 with a 4096-byte buffer and the DO bit, UDP first, TCP
 * when truncated, one retry on timeout, then as long again listening for
 * a late answer; answers are parsed with libldns.  At most a fixed
 * number of queries are in flight to any one address, so a large run
 * does not trip rate limiting; over UDP they share one connected socket
 * per address, each with an ID none of the others has.
 */
#ifndef PROBE_H
#define PROBE_H

#include <poll.h>
#include <stddef.h>
#include <stdint.h>

#include <ldns/ldns.h>

struct probe;

enum probe_state {
	PROBE_ANSWER,		/* a response to our question */
	PROBE_TIMEOUT,		/* no response, retry included */
	PROBE_TCP_FAILED,	/* truncated over UDP, TCP failed */
	PROBE_ERROR,		/* could not send (see err) */
	PROBE_CANCELLED		/* the run's deadline came first */
};

/*
 * The outcome of one query, handed to the callback.  The callback owns
 * pkt (free it with ldns_pkt_free()); everything else is the caller's
 * for the duration of the callback only.
 */
struct probe_result {
	enum probe_state	 state;
	ldns_pkt		*pkt;		/* PROBE_ANSWER: the response,
						   NULL when same */
	const uint8_t		*wire;		/* PROBE_ANSWER: as received */
	size_t			 wirelen;
	int			 same;		/* the same hook knew it */
	int			 tcp;		/* the answer came over TCP */
	int			 truncated;	/* the UDP answer had TC set */
	int			 late;		/* answered only after the
						   retry's wait as well */
	double			 ms;		/* first send to answer */
	char			 err[128];	/* why, when not ANSWER */
};

typedef void (*probe_cb)(void *, struct probe_result *);

/*
 * A hook that sees each UDP answer to a query, whole, before it is
 * parsed, with the query's callback argument: 1 when the caller has had
 * the very same bytes after the ID for this question already (another
 * server's answer, say).  The query then ends PROBE_ANSWER with same
 * set, pkt NULL and nothing parsed: a zone's servers mostly send
 * identical answers, and parsing one costs dozens of allocations.
 */
typedef int (*probe_same_cb)(void *, const uint8_t *, size_t);

/*
 * per_server: queries in flight to one address at most; attempt_ms: UDP
 * wait before the one retry (TCP gets twice that).
 */
struct probe	*probe_new(int per_server, int attempt_ms);
/*
 * Sockets open at once (the peers' UDP ones, idle ones among them, and
 * the TCP queries'), whatever the number of servers: PROBE_MAXOPEN
 * unless fewer are set, to fit a limit on open files.
 */
#define PROBE_MAXOPEN	512
void		 probe_set_maxopen(struct probe *, size_t);
void		 probe_set_same(struct probe *, probe_same_cb);
void		 probe_free(struct probe *);

/* Queue a query for qname/qtype to address (IPv4 or IPv6 text). */
int		 probe_query(struct probe *, const char *, const char *, int,
		    probe_cb, void *);
/*
 * A packet in wire form, in an allocation of its own size (libldns hands
 * back a 64 KiB buffer: thousands kept would cost a page of memory each).
 */
int		 probe_pkt2wire(const ldns_pkt *, uint8_t **, size_t *);
/* Fill pfd with the sockets to poll; returns how many (at most max). */
size_t		 probe_pollfds(struct probe *, struct pollfd *, size_t);
/* Handle poll results for those sockets, then expired attempts. */
void		 probe_events(struct probe *, const struct pollfd *, size_t);
/* Milliseconds until the next attempt expires; -1 when none. */
int		 probe_next_ms(struct probe *);
size_t		 probe_pending(const struct probe *);
/* Packets sent (UDP datagrams and TCP queries), retries included. */
size_t		 probe_sent(const struct probe *);
/* Give up on everything: each callback gets PROBE_CANCELLED. */
void		 probe_cancel_all(struct probe *);

#endif /* PROBE_H */
