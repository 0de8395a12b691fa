/*
 * probe: direct queries to authoritative servers, on sockets of our own
 * (which query is where: probe_queue.c).
 */
#include <sys/epoll.h>
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
#include "probe_priv.h"
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
/* Datagrams read off one socket in one round of the event loop. */
#define PROBE_READS	64
/* Ready sockets taken from epoll at a time. */
#define PROBE_EVENTS	64

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

void
probe_set_same(struct probe *p, probe_same_cb same)
{
	p->same = same;
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
	q->list = L_NONE;
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
	probe_enqueue(p, q);
	return 0;
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

/* Hand a query's result over, with what the query knows, and free it. */
static void
deliver(struct query *q, struct probe_result *r)
{
	r->tcp = q->state == Q_TCPREAD || q->state == Q_CONNECT ||
	    q->state == Q_TCPWAIT;
	r->truncated = q->truncated;
	r->late = r->state == PROBE_ANSWER && q->attempt == 3;
	r->ms = resolve_now_ms() - q->start;
	probe_unlink(q->p, q);
	q->cb(q->arg, r);
	query_free(q);
}

/* Finish a query: hand the result over and free it. */
static void
finish(struct query *q, enum probe_state st, ldns_pkt *pkt, const char *err)
{
	struct probe_result	 r;

	memset(&r, 0, sizeof(r));
	r.state = st;
	r.pkt = pkt;
	if (err != NULL)
		(void)snprintf(r.err, sizeof(r.err), "%s", err);
	deliver(q, &r);
}

/* The answer to q, parsed (pkt) or known to the same hook (NULL). */
static void
answered(struct query *q, ldns_pkt *pkt, const uint8_t *wire, size_t len)
{
	struct probe_result	 r;

	memset(&r, 0, sizeof(r));
	r.state = PROBE_ANSWER;
	r.pkt = pkt;
	r.same = pkt == NULL;
	r.wire = wire;
	r.wirelen = len;
	deliver(q, &r);
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
	probe_arm(q, L_UDP, q->p->attempt_ms);
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
	enum qlist	 l;

	if (!p->errs)
		return;
	p->errs = 0;
	/* Each finish() frees its own query only; UDP ones are on two. */
	for (l = L_UDP; l <= L_LONG; l++)
		for (q = p->head[l]; q != NULL; q = next) {
			next = q->next;
			if (q->state == Q_UDP && q->peer->err != 0)
				finish(q, PROBE_ERROR, NULL,
				    strerror(q->peer->err));
		}
}

/* A socket may be opened: one is free, or an idle peer's is closed. */
static int
room(struct probe *p)
{
	make_room(p);
	return p->nopen < p->maxopen;
}

/*
 * A truncated answer: the query again over TCP, on a socket of its own
 * when one may be opened; else it waits for one (dispatch()), without a
 * deadline: its wait is the probe's, not the server's.
 */
static void
start_tcp(struct query *q)
{
	struct probe	*p = q->p;

	if (q->state == Q_UDP)
		probe_leave_socket(q);
	q->truncated = 1;
	if (!room(p)) {
		q->state = Q_TCPWAIT;
		probe_list_add(p, q, L_TCPWAIT);
		return;
	}
	q->state = Q_CONNECT;
	probe_arm(q, L_LONG, 2.0 * p->attempt_ms);
	if ((q->fd = open_socket(q->peer, SOCK_STREAM)) == -1) {
		finish(q, PROBE_TCP_FAILED, NULL, strerror(errno));
		return;
	}
	p->nopen++;
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
	q->id = probe_fresh_id(p, a);
	q->wire[0] = (uint8_t)(q->id >> 8);
	q->wire[1] = (uint8_t)q->id;
	q->strays = a->strays;
	q->unext = a->udp;
	a->udp = q;
	q->state = Q_UDP;
	send_udp(q);
	return 0;
}

/*
 * a's socket is open, or may be: full is set when none may be opened, and
 * then not asked again this round (make_room() looks at every peer).
 */
static int
has_socket(struct probe *p, const struct peer *a, int *full)
{
	if (a->fd != -1)
		return 1;
	if (*full || !room(p)) {
		*full = 1;
		return 0;
	}
	return 1;
}

/*
 * Start queued queries while their servers' slots are free and their
 * sockets open or openable.  The cap is on sockets (PROBE_MAXOPEN, or
 * fewer), not on queries: a query to a server whose socket is open costs
 * none, and 32 of them at a time to each of hundreds of servers keep a
 * large run's direct queries in step with its lookups.  A truncated
 * query waiting for a TCP socket goes first, and until none waits no
 * query opens a socket or takes a slot: a server's queries end within
 * their deadlines, and its idle socket is then free for TCP.
 */
static void
dispatch(struct probe *p)
{
	struct peer	*a, *prev = NULL, *next;
	struct query	*q;
	int		 full = 0;

	while ((q = p->head[L_TCPWAIT]) != NULL && room(p))
		start_tcp(q);
	for (a = p->waiting; a != NULL && p->ntcpwait == 0; a = next) {
		while (a->queued != NULL &&
		    a->n < (size_t)p->per_server && has_socket(p, a, &full)) {
			q = probe_dequeue(p, a);
			probe_link(p, q);
			if (start_udp(p, q) == -1)
				finish(q, PROBE_ERROR, NULL, strerror(errno));
		}
		/* A callback of finish() may have queued more behind. */
		next = a->wnext;
		if (a->queued != NULL) {
			prev = a;
			continue;
		}
		if (prev != NULL)
			prev->wnext = next;
		else
			p->waiting = next;
		if (p->waiting_tail == a)
			p->waiting_tail = prev;
		a->wnext = NULL;
		a->inwait = 0;
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
		q = probe_peer_query(a, id);
	}
	if (q == NULL) {
		/* A second or late answer to a query that ended is not. */
		if (n < 12 || !probe_peer_recent(a, id))
			stray(a);
		return;
	}
	if (q->p->same != NULL && q->p->same(q->arg, buf, n)) {
		answered(q, NULL, buf, n);
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
	answered(q, pkt, buf, n);
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
			answered(q, pkt, q->buf + 2, need);
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
	for (q = p->head[L_LONG]; q != NULL && n < max && n < PROBE_MAXOPEN;
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
	struct query	*q;
	enum qlist	 l;
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
	/*
	 * The expired queries, first on each list: each goes to a list's
	 * end with a later deadline, or ends.
	 */
	now = resolve_now_ms();
	for (l = L_UDP; l <= L_LONG; l++)
		while ((q = p->head[l]) != NULL && q->deadline <= now) {
			if (q->state == Q_UDP && q->attempt == 1) {
				/* One retry, same id: a late first answer
				 * counts. */
				q->attempt = 2;
				send_udp(q);
			} else if (q->state == Q_UDP && q->attempt == 2) {
				/*
				 * Then listen as long again without sending:
				 * a server that answers only now is slow, not
				 * silent, and is reported with the time it
				 * took.
				 */
				q->attempt = 3;
				probe_arm(q, L_LONG, 2.0 * p->attempt_ms);
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
	enum qlist	 l;
	double		 now = resolve_now_ms(), best = 0;
	int		 have = 0;

	/* Each list's first is its earliest. */
	for (l = L_UDP; l <= L_LONG; l++)
		if (p->head[l] != NULL &&
		    (!have || p->head[l]->deadline - now < best)) {
			best = p->head[l]->deadline - now;
			have = 1;
		}
	if (!have)
		return p->nqueued > 0 || p->ntcpwait > 0 ? 0 : -1;
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
	struct peer	*a;
	struct query	*q;
	enum qlist	 l;

	while ((a = p->waiting) != NULL) {
		while (a->queued != NULL) {
			q = probe_dequeue(p, a);
			probe_link(p, q);
			q->start = resolve_now_ms();
		}
		p->waiting = a->wnext;
		a->wnext = NULL;
		a->inwait = 0;
	}
	p->waiting_tail = NULL;
	for (l = L_UDP; l < L_NLISTS; l++)
		while ((q = p->head[l]) != NULL)
			finish(q, PROBE_CANCELLED, NULL,
			    "the run's deadline passed");
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
