/*
 * probe: direct queries to authoritative servers.
 */
#include <sys/epoll.h>
#include <sys/random.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ldns/ldns.h>

#include "probe.h"
#include "resolve.h"
#include "wire.h"

/*
 * Packets a query sees on its server's socket that are no query's
 * answer before it gives up: a peer flooding a socket must not hold a
 * query for the whole run.  Only a packet with the ID of a query in
 * flight is parsed (each malformed one costs a small leak inside
 * libldns's parser), and that is at most this many per query too.
 */
#define PROBE_MAXSTRAY	16
/* No DNS message is larger. */
#define PROBE_MAXMSG	65535
/*
 * IDs a server's socket remembers after their queries ended: a second
 * answer to a retried query, or a late one, is not a stray, and no new
 * query takes such an ID while an answer to it may still arrive.
 */
#define PROBE_RECENT	64
/* Datagrams read off one socket in one round of the event loop. */
#define PROBE_READS	64
/* Ready sockets taken from epoll at a time. */
#define PROBE_EVENTS	64

enum qstate {
	Q_QUEUED,	/* waiting for a slot */
	Q_UDP,		/* datagram sent, waiting */
	Q_CONNECT,	/* TCP connecting */
	Q_TCPREAD	/* TCP query written, reading */
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
	struct query		*next;		/* queued or active */
	struct query		*prev;		/* active only */
	struct query		*unext;		/* on the peer's socket */
};

/*
 * One server address: the queries in flight to it (the politeness cap)
 * and the one UDP socket they share: each query costs a send and a
 * receive, not a socket of its own.  The socket stays open between
 * queries (a zone's names reach its servers a few at a time) unless
 * PROBE_MAXOPEN sockets are open.  Every open one is in the probe's
 * epoll set from its opening to its closing: a round of the event loop
 * costs what is ready, not a poll over hundreds of sockets.
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
	struct query	*active;	/* sent, waiting */
	struct query	*queued;	/* waiting for a slot, in order */
	struct query	*queued_tail;
	struct polled	 polled[PROBE_MAXOPEN];	/* by pollfd index */
	size_t		 npolled;
	int		 ep;		/* epoll: the peers' UDP sockets */
	size_t		 nactive;
	size_t		 nqueued;
	size_t		 nopen;		/* sockets, see PROBE_MAXOPEN */
	size_t		 maxopen;	/* PROBE_MAXOPEN, or fewer */
	int		 errs;		/* a peer has err set */
	size_t		 sent;
	int		 per_server;
	int		 attempt_ms;
	uint16_t	 ids[256];	/* random query IDs not yet used */
	size_t		 nids;
};

struct probe *
probe_new(int per_server, int attempt_ms)
{
	struct probe	*p;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		return NULL;
	if ((p->ep = epoll_create1(EPOLL_CLOEXEC)) == -1) {
		free(p);
		return NULL;
	}
	p->per_server = per_server > 0 ? per_server : 1;
	p->attempt_ms = attempt_ms;
	p->maxopen = PROBE_MAXOPEN;
	return p;
}

static void
query_free(struct query *q)
{
	if (q->fd != -1) {
		close(q->fd);
		q->p->nopen--;
	}
	free(q->wire);
	free(q->buf);
	ldns_rdf_deep_free(q->qname);
	free(q);
}

static int
parse_addr(struct peer *a, const char *addr)
{
	struct sockaddr_in	*s4 = (struct sockaddr_in *)&a->ss;
	struct sockaddr_in6	*s6 = (struct sockaddr_in6 *)&a->ss;

	memset(&a->ss, 0, sizeof(a->ss));
	if (inet_pton(AF_INET, addr, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(53);
		a->sslen = sizeof(*s4);
		return 0;
	}
	if (inet_pton(AF_INET6, addr, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(53);
		a->sslen = sizeof(*s6);
		return 0;
	}
	return -1;
}

/* The peer for an address, made on first use; NULL when it is none. */
static struct peer *
peer_of(struct probe *p, const char *addr)
{
	struct peer	*a;
	size_t		 h = 5381;
	const char	*c;

	if (strlen(addr) >= sizeof(a->addr))
		return NULL;
	for (c = addr; *c != '\0'; c++)
		h = h * 33 + (unsigned char)*c;
	h %= PROBE_NPEERB;
	for (a = p->peers[h]; a != NULL; a = a->next)
		if (strcmp(a->addr, addr) == 0)
			return a;
	if ((a = calloc(1, sizeof(*a))) == NULL)
		return NULL;
	if (parse_addr(a, addr) == -1) {
		free(a);
		return NULL;
	}
	memcpy(a->addr, addr, strlen(addr) + 1);
	a->fd = -1;
	a->next = p->peers[h];
	p->peers[h] = a;
	return a;
}

int
probe_pkt2wire(const ldns_pkt *pkt, uint8_t **wire, size_t *len)
{
	uint8_t	*w = NULL, *small;

	if (ldns_pkt2wire(&w, pkt, len) != LDNS_STATUS_OK) {
		free(w);
		*wire = NULL;
		*len = 0;
		return -1;
	}
	/* libldns's buffer is 64 KiB whatever the packet's size. */
	if ((small = realloc(w, *len > 0 ? *len : 1)) != NULL)
		w = small;
	*wire = w;
	return 0;
}

int
probe_query(struct probe *p, const char *addr, const char *qname, int qtype,
    probe_cb cb, void *arg)
{
	struct query	*q;

	if ((q = calloc(1, sizeof(*q))) == NULL)
		return -1;
	q->fd = -1;
	q->p = p;
	q->cb = cb;
	q->arg = arg;
	q->qtype = qtype;
	/* The ID is set when the query is sent (see dispatch()). */
	if ((q->peer = peer_of(p, addr)) == NULL ||
	    (q->qname = ldns_dname_new_frm_str(qname)) == NULL ||
	    (q->wire = wire_query(q->qname, qtype, 0, &q->wirelen)) == NULL) {
		query_free(q);
		return -1;
	}
	q->state = Q_QUEUED;
	if (p->queued_tail != NULL)
		p->queued_tail->next = q;
	else
		p->queued = q;
	p->queued_tail = q;
	p->nqueued++;
	return 0;
}

/*
 * RFC 5452 §9.2: an unpredictable ID.  Drawn from the kernel 256 at a
 * time, one system call where libldns's took one (getpid()) per query.
 */
static uint16_t
random_id(struct probe *p)
{
	size_t	 i;

	if (p->nids == 0) {
		if (getrandom(p->ids, sizeof(p->ids), 0) !=
		    (ssize_t)sizeof(p->ids))
			for (i = 0; i < sizeof(p->ids) / sizeof(p->ids[0]); i++)
				p->ids[i] = (uint16_t)ldns_get_random();
		p->nids = sizeof(p->ids) / sizeof(p->ids[0]);
	}
	return p->ids[--p->nids];
}

/* The query on a's socket with this ID, or NULL. */
static struct query *
peer_query(const struct peer *a, uint16_t id)
{
	struct query	*q;

	for (q = a->udp; q != NULL; q = q->unext)
		if (q->id == id)
			return q;
	return NULL;
}

static int
peer_recent(const struct peer *a, uint16_t id)
{
	size_t	 i, n = a->nrecent < PROBE_RECENT ? a->nrecent : PROBE_RECENT;

	for (i = 0; i < n; i++)
		if (a->recent[i] == id)
			return 1;
	return 0;
}

/* An ID no query of a's socket has now or had lately. */
static uint16_t
fresh_id(struct probe *p, const struct peer *a)
{
	uint16_t	 id;

	do
		id = random_id(p);
	while (peer_query(a, id) != NULL || peer_recent(a, id));
	return id;
}

/* The query no longer waits on its peer's socket. */
static void
leave_socket(struct query *q)
{
	struct peer	*a = q->peer;
	struct query	**pp;

	for (pp = &a->udp; *pp != NULL; pp = &(*pp)->unext)
		if (*pp == q) {
			*pp = q->unext;
			q->unext = NULL;
			a->recent[a->nrecent++ % PROBE_RECENT] = q->id;
			break;
		}
}

static void
peer_close(struct probe *p, struct peer *a)
{
	if (a->fd == -1)
		return;
	close(a->fd);
	a->fd = -1;
	p->nopen--;
}

/* Room for one more socket: an idle peer's closed when none is left. */
static void
make_room(struct probe *p)
{
	struct peer	*a;
	size_t		 i;

	for (i = 0; i < PROBE_NPEERB && p->nopen >= p->maxopen; i++)
		for (a = p->peers[i]; a != NULL; a = a->next)
			if (a->fd != -1 && a->udp == NULL) {
				peer_close(p, a);
				break;
			}
}

/* The active list is linked both ways: a query leaves it at once. */
static void
link_active(struct probe *p, struct query *q)
{
	q->prev = NULL;
	q->next = p->active;
	if (p->active != NULL)
		p->active->prev = q;
	p->active = q;
	p->nactive++;
}

static void
unlink_active(struct probe *p, struct query *q)
{
	if (q->prev == NULL && p->active != q)
		return;		/* not in flight */
	if (q->prev != NULL)
		q->prev->next = q->next;
	else
		p->active = q->next;
	if (q->next != NULL)
		q->next->prev = q->prev;
	q->next = q->prev = NULL;
	p->nactive--;
	if (q->peer->n > 0)
		q->peer->n--;
	if (q->state == Q_UDP)
		leave_socket(q);
}

/* Finish a query: hand the result over and free it. */
static void
finish(struct query *q, enum probe_state st, ldns_pkt *pkt, const char *err)
{
	struct probe_result	 r;

	memset(&r, 0, sizeof(r));
	r.state = st;
	r.pkt = pkt;
	r.tcp = q->state == Q_TCPREAD || q->state == Q_CONNECT;
	r.truncated = q->truncated;
	r.late = st == PROBE_ANSWER && q->attempt == 3;
	r.ms = resolve_now_ms() - q->start;
	if (err != NULL)
		(void)snprintf(r.err, sizeof(r.err), "%s", err);
	unlink_active(q->p, q);
	q->cb(q->arg, &r);
	query_free(q);
}

/* A socket connected to the address: only its datagrams reach us. */
static int
open_socket(const struct peer *a, int type)
{
	int	 fd;

	/* Flags given at creation: two system calls fewer per socket. */
	if ((fd = socket(a->ss.ss_family, type | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    0)) == -1)
		return -1;
	if (connect(fd, (const struct sockaddr *)&a->ss, a->sslen) == -1 &&
	    errno != EINPROGRESS) {
		close(fd);
		return -1;
	}
	return fd;
}

static void
send_udp(struct query *q)
{
	q->p->sent++;
	q->deadline = resolve_now_ms() + q->p->attempt_ms;
	if (send(q->peer->fd, q->wire, q->wirelen, 0) != -1 ||
	    errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS)
		return;
	/*
	 * The error an earlier datagram left on the shared socket (an ICMP
	 * "port unreachable"), which this send took in its stead: epoll will
	 * not tell of it, so every query on the socket is told it, as soon as
	 * none of the loops over them is running (fail_errors()).
	 */
	q->peer->err = errno;
	q->p->errs = 1;
}

/* Queries on a socket a send found an error on end with it. */
static void
fail_errors(struct probe *p)
{
	struct query	*q, *next;

	if (!p->errs)
		return;
	p->errs = 0;
	/* Each finish() frees its own query only. */
	for (q = p->active; q != NULL; q = next) {
		next = q->next;
		if (q->state == Q_UDP && q->peer->err != 0)
			finish(q, PROBE_ERROR, NULL, strerror(q->peer->err));
	}
}

static void
start_tcp(struct query *q)
{
	leave_socket(q);
	q->truncated = 1;
	q->state = Q_CONNECT;
	q->deadline = resolve_now_ms() + 2.0 * q->p->attempt_ms;
	make_room(q->p);
	if ((q->fd = open_socket(q->peer, SOCK_STREAM)) == -1) {
		finish(q, PROBE_TCP_FAILED, NULL, strerror(errno));
		return;
	}
	q->p->nopen++;
}

/* Send q over UDP on its peer's socket, opened if need be. */
static int
start_udp(struct probe *p, struct query *q)
{
	struct peer		*a = q->peer;
	struct epoll_event	 ev;

	q->start = resolve_now_ms();
	q->attempt = 1;
	if (a->fd == -1) {
		make_room(p);
		if ((a->fd = open_socket(a, SOCK_DGRAM)) == -1)
			return -1;
		p->nopen++;
		ev.events = EPOLLIN;
		ev.data.ptr = a;
		if (epoll_ctl(p->ep, EPOLL_CTL_ADD, a->fd, &ev) == -1) {
			peer_close(p, a);
			return -1;
		}
	}
	/* An error told to the queries before is not this one's. */
	if (a->udp == NULL)
		a->err = 0;
	q->id = fresh_id(p, a);
	q->wire[0] = (uint8_t)(q->id >> 8);
	q->wire[1] = (uint8_t)q->id;
	q->strays = a->strays;
	q->unext = a->udp;
	a->udp = q;
	q->state = Q_UDP;
	send_udp(q);
	return 0;
}

/* Start queued queries while slots are free. */
static void
dispatch(struct probe *p)
{
	struct query	**pp, *q, *prev = NULL;

	for (pp = &p->queued; *pp != NULL && p->nactive < p->maxopen;) {
		q = *pp;
		if (q->peer->n >= (size_t)p->per_server) {
			prev = q;
			pp = &q->next;
			continue;
		}
		q->peer->n++;
		*pp = q->next;
		if (p->queued_tail == q)
			p->queued_tail = prev;
		p->nqueued--;
		link_active(p, q);
		if (start_udp(p, q) == -1) {
			finish(q, PROBE_ERROR, NULL, strerror(errno));
			pp = &p->queued;
			prev = NULL;
		}
	}
	fail_errors(p);
}

/* Every query waiting on a's socket ends with this error. */
static void
peer_fail(struct peer *a, const char *why)
{
	while (a->udp != NULL)
		finish(a->udp, PROBE_ERROR, NULL, why);
}

/* A packet that was no query's answer: queries it floods give up. */
static void
stray(struct peer *a)
{
	struct query	*q, *next;

	a->strays++;
	for (q = a->udp; q != NULL; q = next) {
		next = q->unext;
		if (a->strays - q->strays >= PROBE_MAXSTRAY)
			finish(q, PROBE_ERROR, NULL, "flooded with packets "
			    "that are not the answer");
	}
}

/* One datagram from a's address. */
static void
on_datagram(struct peer *a, const uint8_t *buf, size_t n)
{
	struct query	*q = NULL;
	ldns_pkt	*pkt = NULL;
	ldns_status	 st;
	uint16_t	 id = 0;
	char		 why[96];

	if (n >= 12) {
		id = (uint16_t)(buf[0] << 8 | buf[1]);
		q = peer_query(a, id);
	}
	if (q == NULL) {
		/* A second or late answer to a query that ended is not. */
		if (n < 12 || !peer_recent(a, id))
			stray(a);
		return;
	}
	if ((st = ldns_wire2pkt(&pkt, buf, n)) != LDNS_STATUS_OK) {
		/* Ours (ID, QR) but unparseable: say so, not "silent". */
		if (buf[2] & 0x80) {
			(void)snprintf(why, sizeof(why), "malformed answer: %s",
			    ldns_get_errorstr_by_id(st));
			finish(q, PROBE_ERROR, NULL, why);
		} else
			stray(a);
		return;
	}
	/* Anything but the answer to q is ignored, not trusted. */
	if (!wire_is_answer(pkt, q->id, q->qname, q->qtype)) {
		ldns_pkt_free(pkt);
		stray(a);
		return;
	}
	if (ldns_pkt_tc(pkt)) {
		ldns_pkt_free(pkt);
		start_tcp(q);
		return;
	}
	finish(q, PROBE_ANSWER, pkt, NULL);
}

static void
on_udp(struct probe *p, struct peer *a, uint32_t events)
{
	static uint8_t	 buf[PROBE_MAXMSG];
	ssize_t		 n;
	size_t		 k;
	int		 e = 0;
	socklen_t	 el = sizeof(e);

	/*
	 * No query waits on the socket: what came (a late second answer,
	 * an ICMP error, a stray) is no query's.  The socket is closed, and
	 * the next query to the address opens a fresh one.
	 */
	if (a->udp == NULL) {
		peer_close(p, a);
		return;
	}
	if (events & EPOLLERR) {
		(void)getsockopt(a->fd, SOL_SOCKET, SO_ERROR, &e, &el);
		peer_fail(a, e ? strerror(e) : "socket error");
		return;
	}
	/*
	 * Until no query waits, and a round's share at most: epoll tells of
	 * the rest in the next round, so a flood cannot hold the loop.
	 */
	for (k = 0; a->udp != NULL && k < PROBE_READS; k++) {
		if ((n = recv(a->fd, buf, sizeof(buf), 0)) >= 0) {
			on_datagram(a, buf, (size_t)n);
			continue;
		}
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			peer_fail(a, strerror(errno));
		return;
	}
}

static void
tcp_fail(struct query *q, const char *why)
{
	finish(q, PROBE_TCP_FAILED, NULL, why);
}

static void
on_tcp(struct query *q, short revents)
{
	ssize_t		 n;
	size_t		 need;
	ldns_pkt	*pkt = NULL;
	uint8_t		 hdr[2];
	int		 e = 0;
	socklen_t	 el = sizeof(e);

	if (q->state == Q_CONNECT) {
		(void)getsockopt(q->fd, SOL_SOCKET, SO_ERROR, &e, &el);
		if (e != 0 || (revents & (POLLERR | POLLHUP))) {
			tcp_fail(q, e ? strerror(e) : "connection failed");
			return;
		}
		if (!(revents & POLLOUT))
			return;
		hdr[0] = (uint8_t)(q->wirelen >> 8);
		hdr[1] = (uint8_t)q->wirelen;
		q->p->sent++;
		/* Two small writes to a fresh socket do not block. */
		if (write(q->fd, hdr, 2) != 2 ||
		    write(q->fd, q->wire, q->wirelen) != (ssize_t)q->wirelen) {
			tcp_fail(q, "cannot send over TCP");
			return;
		}
		if ((q->buf = malloc(2 + PROBE_MAXMSG)) == NULL) {
			tcp_fail(q, "out of memory");
			return;
		}
		q->state = Q_TCPREAD;
		return;
	}
	for (;;) {
		n = read(q->fd, q->buf + q->have, 2 + PROBE_MAXMSG - q->have);
		if (n == 0) {
			tcp_fail(q, "connection closed before the answer");
			return;
		}
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return;
			tcp_fail(q, strerror(errno));
			return;
		}
		q->have += (size_t)n;
		if (q->have < 2)
			continue;
		need = (size_t)q->buf[0] << 8 | q->buf[1];
		if (q->have < 2 + need) {
			if (q->have == 2 + PROBE_MAXMSG)
				break;
			continue;
		}
		if (ldns_wire2pkt(&pkt, q->buf + 2, need) == LDNS_STATUS_OK &&
		    wire_is_answer(pkt, q->id, q->qname, q->qtype)) {
			finish(q, PROBE_ANSWER, pkt, NULL);
			return;
		}
		ldns_pkt_free(pkt);
		break;
	}
	tcp_fail(q, "garbage over TCP");
}

/* The UDP sockets that are ready, each read (or closed) in turn. */
static void
udp_ready(struct probe *p)
{
	struct epoll_event	 evs[PROBE_EVENTS];
	struct peer		*a;
	int			 i, n, calls;

	/* Each open socket once, or a few times over at most. */
	for (calls = 0; calls <= PROBE_MAXOPEN / PROBE_EVENTS; calls++) {
		if ((n = epoll_wait(p->ep, evs, PROBE_EVENTS, 0)) <= 0)
			return;
		for (i = 0; i < n; i++) {
			/*
			 * Closed by an earlier event of this call (to make
			 * room for TCP): its event is stale.  Sockets are
			 * only opened by dispatch(), never in between.
			 */
			a = evs[i].data.ptr;
			if (a->fd != -1)
				on_udp(p, a, evs[i].events);
		}
		if (n < PROBE_EVENTS)
			return;
	}
}

size_t
probe_pollfds(struct probe *p, struct pollfd *pfd, size_t max)
{
	struct query	*q;
	size_t		 n = 0;

	dispatch(p);
	if (max == 0)
		return 0;
	/* Every UDP socket at once, then each TCP query's own. */
	pfd[n].fd = p->ep;
	pfd[n].events = POLLIN;
	pfd[n].revents = 0;
	p->polled[n].ep = 1;
	p->polled[n++].q = NULL;
	for (q = p->active; q != NULL && n < max && n < PROBE_MAXOPEN;
	    q = q->next) {
		if (q->state != Q_CONNECT && q->state != Q_TCPREAD)
			continue;
		pfd[n].fd = q->fd;
		pfd[n].events = q->state == Q_CONNECT ? POLLOUT : POLLIN;
		pfd[n].revents = 0;
		p->polled[n].ep = 0;
		p->polled[n++].q = q;
	}
	p->npolled = n;
	return n;
}

void
probe_events(struct probe *p, const struct pollfd *pfd, size_t n)
{
	struct query	*q, *next;
	size_t		 i;
	double		 now;

	/*
	 * A TCP query's event finishes at most that query, and a UDP
	 * socket's only queries waiting on it: the map holds.  A socket
	 * closed meanwhile is not looked at.
	 */
	for (i = 0; i < n && i < p->npolled; i++) {
		if (pfd[i].revents == 0)
			continue;
		if (p->polled[i].ep)
			udp_ready(p);
		else if ((q = p->polled[i].q)->fd == pfd[i].fd)
			on_tcp(q, pfd[i].revents);
	}
	now = resolve_now_ms();
	for (q = p->active; q != NULL; q = next) {
		next = q->next;
		if (q->deadline > now)
			continue;
		if (q->state == Q_UDP && q->attempt == 1) {
			/* One retry, same id: a late first answer counts. */
			q->attempt = 2;
			send_udp(q);
		} else if (q->state == Q_UDP && q->attempt == 2) {
			/*
			 * Then listen as long again without sending: a server
			 * that answers only now is slow, not silent, and is
			 * reported with the time it took.
			 */
			q->attempt = 3;
			q->deadline = now + 2.0 * q->p->attempt_ms;
		} else if (q->state == Q_UDP)
			finish(q, PROBE_TIMEOUT, NULL, "no answer");
		else
			tcp_fail(q, "TCP timed out");
	}
	dispatch(p);
}

int
probe_next_ms(struct probe *p)
{
	struct query	*q;
	double		 now = resolve_now_ms(), best = 0;
	int		 have = 0;

	for (q = p->active; q != NULL; q = q->next)
		if (!have || q->deadline - now < best) {
			best = q->deadline - now;
			have = 1;
		}
	if (!have)
		return p->queued != NULL ? 0 : -1;
	return best < 0 ? 0 : (int)best + 1;
}

size_t
probe_pending(const struct probe *p)
{
	return p->nactive + p->nqueued;
}

size_t
probe_sent(const struct probe *p)
{
	return p->sent;
}

void
probe_cancel_all(struct probe *p)
{
	struct query	*q;

	while (p->queued != NULL) {
		q = p->queued;
		p->queued = q->next;
		p->nqueued--;
		link_active(p, q);
		q->start = resolve_now_ms();
	}
	p->queued_tail = NULL;
	while ((q = p->active) != NULL)
		finish(q, PROBE_CANCELLED, NULL, "the run's deadline passed");
}

void
probe_set_maxopen(struct probe *p, size_t n)
{
	p->maxopen = n < 1 ? 1 : n > PROBE_MAXOPEN ? PROBE_MAXOPEN : n;
}

void
probe_free(struct probe *p)
{
	struct peer	*a, *next;
	size_t		 i;

	if (p == NULL)
		return;
	probe_cancel_all(p);
	for (i = 0; i < PROBE_NPEERB; i++)
		for (a = p->peers[i]; a != NULL; a = next) {
			next = a->next;
			peer_close(p, a);
			free(a);
		}
	close(p->ep);
	free(p);
}
