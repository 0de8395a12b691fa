/*
 * probe's own: where each direct query is (queued at its server, in
 * flight on a deadline list, waiting on its server's socket), shared by
 * probe.c (the sockets) and probe_queue.c (the bookkeeping).
 */
#ifndef PROBE_PRIV_H
#define PROBE_PRIV_H

#include <sys/socket.h>

#include <netinet/in.h>

#include <stddef.h>
#include <stdint.h>

#include <ldns/ldns.h>

#include "probe.h"

/*
 * IDs a server's socket remembers after their queries ended: a second
 * answer to a retried query, or a late one, is not a stray, and no new
 * query takes such an ID while an answer to it may still arrive.
 */
#define PROBE_RECENT	64

enum qstate {
	Q_QUEUED,	/* waiting for a slot */
	Q_UDP,		/* datagram sent, waiting */
	Q_TCPWAIT,	/* truncated, waiting for a socket for TCP */
	Q_CONNECT,	/* TCP connecting */
	Q_TCPREAD	/* TCP query written, reading */
};

/*
 * The lists a query in flight is on, each in the order of its queries'
 * deadlines: a deadline is always now plus the same wait for the list,
 * and a query whose deadline moves goes to the list's end.  A round of
 * the event loop then looks at the expired queries and the first that
 * is not, not at every query in flight.
 */
enum qlist {
	L_UDP,		/* first send and retry: the attempt's wait */
	L_LONG,		/* listening late, and TCP: twice that */
	L_TCPWAIT,	/* no deadline until a socket is free */
	L_NLISTS,
	L_NONE = L_NLISTS	/* queued, or done */
};

struct peer;

struct query {
	struct probe		*p;
	struct peer		*peer;		/* the address asked */
	uint8_t			*wire;		/* the query */
	size_t			 wirelen;
	uint16_t		 id;
	ldns_rdf		*qname;
	int			 qtype;
	enum qstate		 state;
	int			 fd;		/* TCP only */
	int			 attempt;
	int			 truncated;
	size_t			 strays;	/* the peer's, when sent */
	double			 start;
	double			 deadline;
	uint8_t			*buf;		/* TCP: length + message */
	size_t			 have;
	probe_cb		 cb;
	void			*arg;
	enum qlist		 list;		/* L_NONE when not in flight */
	struct query		*next;		/* queued or on a list */
	struct query		*prev;		/* on a list only */
	struct query		*unext;		/* on the peer's socket */
};

/*
 * One server address: the queries in flight to it (the politeness cap),
 * those waiting for a slot, and the one UDP socket they share: each
 * query costs a send and a receive, not a socket of its own.  The socket
 * stays open between queries (a zone's names reach its servers a few at
 * a time) unless PROBE_MAXOPEN sockets are open.  Every open one is in
 * the probe's epoll set from its opening to its closing: a round of the
 * event loop costs what is ready, not a poll over hundreds of sockets.
 */
struct peer {
	char			 addr[INET6_ADDRSTRLEN];
	struct sockaddr_storage	 ss;
	socklen_t		 sslen;
	size_t			 n;		/* in flight, TCP included */
	int			 fd;		/* or -1 */
	struct query		*udp;		/* waiting on fd */
	size_t			 strays;	/* packets no query's answer */
	int			 err;		/* a send's, not yet told */
	uint16_t		 recent[PROBE_RECENT];
	size_t			 nrecent;
	struct query		*queued;	/* waiting for a slot, in order */
	struct query		*queued_tail;
	int			 inwait;	/* on the probe's waiting list */
	struct peer		*wnext;
	struct peer		*next;		/* in the hash chain */
};

#define PROBE_NPEERB	1024

/* What one pollfd stands for: the UDP sockets' epoll, or a TCP query. */
struct polled {
	int		 ep;
	struct query	*q;
};

struct probe {
	struct peer	*peers[PROBE_NPEERB];
	struct query	*head[L_NLISTS];	/* in flight, see enum qlist */
	struct query	*tail[L_NLISTS];
	struct peer	*waiting;	/* peers with queries queued, in order */
	struct peer	*waiting_tail;
	struct polled	 polled[PROBE_MAXOPEN];	/* by pollfd index */
	size_t		 npolled;
	int		 ep;		/* epoll: the peers' UDP sockets */
	size_t		 nactive;
	size_t		 nqueued;
	size_t		 nopen;		/* sockets, see PROBE_MAXOPEN */
	size_t		 maxopen;	/* PROBE_MAXOPEN, or fewer */
	size_t		 ntcpwait;	/* queries on L_TCPWAIT */
	int		 errs;		/* a peer has err set */
	size_t		 sent;
	int		 per_server;
	int		 attempt_ms;
	probe_same_cb	 same;		/* see probe_set_same() */
	uint16_t	 ids[256];	/* random query IDs not yet used */
	size_t		 nids;
};

uint16_t	 probe_fresh_id(struct probe *, const struct peer *);
struct query	*probe_peer_query(const struct peer *, uint16_t);
int		 probe_peer_recent(const struct peer *, uint16_t);
void		 probe_leave_socket(struct query *);
void		 probe_list_del(struct probe *, struct query *);
void		 probe_list_add(struct probe *, struct query *, enum qlist);
void		 probe_arm(struct query *, enum qlist, double);
void		 probe_enqueue(struct probe *, struct query *);
struct query	*probe_dequeue(struct probe *, struct peer *);
void		 probe_link(struct probe *, struct query *);
void		 probe_unlink(struct probe *, struct query *);

#endif
