/*
 * probe: direct queries to authoritative servers.
 */
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
 * Packets a query reads that are not its answer before it gives up: each
 * malformed one costs a small leak inside libldns's parser, so a peer
 * flooding a socket must not get to feed it without bound.
 */
#define PROBE_MAXSTRAY	16
/* Sockets open at once, whatever the number of servers. */
#define PROBE_MAXOPEN	512
/* No DNS message is larger. */
#define PROBE_MAXMSG	65535

enum qstate {
	Q_QUEUED,	/* waiting for a slot */
	Q_UDP,		/* datagram sent, waiting */
	Q_CONNECT,	/* TCP connecting */
	Q_TCPREAD	/* TCP query written, reading */
};

struct query {
	struct probe		*p;
	char			 addr[INET6_ADDRSTRLEN];
	struct sockaddr_storage	 ss;
	socklen_t		 sslen;
	uint8_t			*wire;		/* the query */
	size_t			 wirelen;
	uint16_t		 id;
	ldns_rdf		*qname;
	int			 qtype;
	enum qstate		 state;
	int			 fd;
	int			 attempt;
	int			 truncated;
	int			 stray;		/* packets that were not ours */
	double			 start;
	double			 deadline;
	uint8_t			*buf;		/* TCP: length + message */
	size_t			 have;
	probe_cb		 cb;
	void			*arg;
	struct query		*next;		/* queued or active */
	struct query		*prev;		/* active only */
};

/* Queries in flight to one address (the politeness cap). */
struct inflight {
	char			 addr[INET6_ADDRSTRLEN];
	size_t			 n;
	struct inflight		*next;
};

#define PROBE_NADDRB	1024

struct probe {
	struct inflight	*addrs[PROBE_NADDRB];
	struct query	*active;	/* sent, waiting */
	struct query	*queued;	/* waiting for a slot, in order */
	struct query	*queued_tail;
	struct query	*polled[PROBE_MAXOPEN];	/* by pollfd index */
	size_t		 npolled;
	size_t		 nactive;
	size_t		 nqueued;
	size_t		 sent;
	int		 per_server;
	int		 attempt_ms;
};

struct probe *
probe_new(int per_server, int attempt_ms)
{
	struct probe	*p;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		return NULL;
	p->per_server = per_server > 0 ? per_server : 1;
	p->attempt_ms = attempt_ms;
	return p;
}

static void
query_free(struct query *q)
{
	if (q->fd != -1)
		close(q->fd);
	free(q->wire);
	free(q->buf);
	ldns_rdf_deep_free(q->qname);
	free(q);
}

static int
parse_addr(struct query *q, const char *addr)
{
	struct sockaddr_in	*s4 = (struct sockaddr_in *)&q->ss;
	struct sockaddr_in6	*s6 = (struct sockaddr_in6 *)&q->ss;

	memset(&q->ss, 0, sizeof(q->ss));
	if (inet_pton(AF_INET, addr, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(53);
		q->sslen = sizeof(*s4);
		return 0;
	}
	if (inet_pton(AF_INET6, addr, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(53);
		q->sslen = sizeof(*s6);
		return 0;
	}
	return -1;
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
	struct query		*q;
	ldns_pkt		*pkt = NULL;
	ldns_edns_option_list	*opts = NULL;
	ldns_edns_option	*nsid = NULL;

	if ((q = calloc(1, sizeof(*q))) == NULL)
		return -1;
	q->fd = -1;
	q->p = p;
	q->cb = cb;
	q->arg = arg;
	q->qtype = qtype;
	if (strlen(addr) >= sizeof(q->addr) || parse_addr(q, addr) == -1)
		goto fail;
	memcpy(q->addr, addr, strlen(addr) + 1);
	if ((q->qname = ldns_dname_new_frm_str(qname)) == NULL)
		goto fail;
	pkt = ldns_pkt_query_new(ldns_rdf_clone(q->qname), (ldns_rr_type)qtype,
	    LDNS_RR_CLASS_IN, 0);
	if (pkt == NULL)
		goto fail;
	/* RFC 1035 §4.1.1 id; arc4random is not in glibc 2.36. */
	q->id = (uint16_t)(ldns_get_random() & 0xffff);
	ldns_pkt_set_id(pkt, q->id);
	ldns_pkt_set_rd(pkt, 0);
	ldns_pkt_set_edns_udp_size(pkt, 4096);
	ldns_pkt_set_edns_do(pkt, 1);
	/* RFC 5001: ask every server for its NSID (an empty option). */
	if ((opts = ldns_edns_option_list_new()) == NULL ||
	    (nsid = ldns_edns_new_from_data(LDNS_EDNS_NSID, 0, "")) == NULL ||
	    !ldns_edns_option_list_push(opts, nsid)) {
		ldns_edns_deep_free(nsid);
		ldns_edns_option_list_deep_free(opts);
		goto fail;
	}
	ldns_pkt_set_edns_option_list(pkt, opts);
	if (probe_pkt2wire(pkt, &q->wire, &q->wirelen) == -1)
		goto fail;
	ldns_pkt_free(pkt);
	q->state = Q_QUEUED;
	if (p->queued_tail != NULL)
		p->queued_tail->next = q;
	else
		p->queued = q;
	p->queued_tail = q;
	p->nqueued++;
	return 0;
fail:
	ldns_pkt_free(pkt);
	query_free(q);
	return -1;
}

static struct inflight *
inflight_of(struct probe *p, const char *addr)
{
	struct inflight	*a;
	size_t		 h = 5381;
	const char	*c;

	for (c = addr; *c != '\0'; c++)
		h = h * 33 + (unsigned char)*c;
	h %= PROBE_NADDRB;
	for (a = p->addrs[h]; a != NULL; a = a->next)
		if (strcmp(a->addr, addr) == 0)
			return a;
	if ((a = calloc(1, sizeof(*a))) == NULL)
		return NULL;
	memcpy(a->addr, addr, strlen(addr) + 1);
	a->next = p->addrs[h];
	p->addrs[h] = a;
	return a;
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
	struct inflight	*a;

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
	if ((a = inflight_of(p, q->addr)) != NULL && a->n > 0)
		a->n--;
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

static int
open_socket(struct query *q, int type)
{
	int	 fd;

	/* Flags given at creation: two system calls fewer per query. */
	if ((fd = socket(q->ss.ss_family, type | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    0)) == -1)
		return -1;
	/*
	 * A connected socket takes datagrams from that address only: an
	 * answer from anywhere else never reaches us.
	 */
	if (connect(fd, (struct sockaddr *)&q->ss, q->sslen) == -1 &&
	    errno != EINPROGRESS) {
		close(fd);
		return -1;
	}
	q->fd = fd;
	return 0;
}

static void
send_udp(struct query *q)
{
	q->p->sent++;
	/* A send error shows up as an error on the socket: poll sees it. */
	(void)send(q->fd, q->wire, q->wirelen, 0);
	q->deadline = resolve_now_ms() + q->p->attempt_ms;
}

static void
start_tcp(struct query *q)
{
	close(q->fd);
	q->fd = -1;
	q->truncated = 1;
	q->state = Q_CONNECT;
	q->deadline = resolve_now_ms() + 2.0 * q->p->attempt_ms;
	if (open_socket(q, SOCK_STREAM) == -1)
		finish(q, PROBE_TCP_FAILED, NULL, strerror(errno));
}

/* Start queued queries while slots are free. */
static void
dispatch(struct probe *p)
{
	struct query	**pp, *q, *prev = NULL;

	for (pp = &p->queued; *pp != NULL && p->nactive < PROBE_MAXOPEN;) {
		struct inflight *a;

		q = *pp;
		a = inflight_of(p, q->addr);
		if (a == NULL || a->n >= (size_t)p->per_server) {
			prev = q;
			pp = &q->next;
			continue;
		}
		a->n++;
		*pp = q->next;
		if (p->queued_tail == q)
			p->queued_tail = prev;
		p->nqueued--;
		link_active(p, q);
		q->start = resolve_now_ms();
		q->state = Q_UDP;
		q->attempt = 1;
		if (open_socket(q, SOCK_DGRAM) == -1) {
			finish(q, PROBE_ERROR, NULL, strerror(errno));
			pp = &p->queued;
			prev = NULL;
			continue;
		}
		send_udp(q);
	}
}

static void
on_udp(struct query *q, short revents)
{
	uint8_t		 buf[PROBE_MAXMSG];
	ssize_t		 n;
	ldns_pkt	*pkt = NULL;

	if (revents & POLLERR) {
		int	 e = 0;
		socklen_t el = sizeof(e);

		(void)getsockopt(q->fd, SOL_SOCKET, SO_ERROR, &e, &el);
		finish(q, PROBE_ERROR, NULL, e ? strerror(e) : "socket error");
		return;
	}
	while ((n = recv(q->fd, buf, sizeof(buf), 0)) >= 0) {
		ldns_status st;

		if (q->stray++ >= PROBE_MAXSTRAY) {
			finish(q, PROBE_ERROR, NULL, "flooded with packets that "
			    "are not the answer");
			return;
		}
		st = ldns_wire2pkt(&pkt, buf, (size_t)n);

		if (st != LDNS_STATUS_OK) {
			/* Ours (ID, QR) but unparseable: say so, not "silent". */
			if (n >= 12 && (buf[0] << 8 | buf[1]) == q->id &&
			    (buf[2] & 0x80)) {
				char	 why[96];

				(void)snprintf(why, sizeof(why), "malformed "
				    "answer: %s", ldns_get_errorstr_by_id(st));
				finish(q, PROBE_ERROR, NULL, why);
				return;
			}
			continue;
		}
		/* Anything but the answer to q is ignored, not trusted. */
		if (!wire_is_answer(pkt, q->id, q->qname, q->qtype)) {
			ldns_pkt_free(pkt);
			pkt = NULL;
			continue;
		}
		if (ldns_pkt_tc(pkt)) {
			ldns_pkt_free(pkt);
			start_tcp(q);
			return;
		}
		finish(q, PROBE_ANSWER, pkt, NULL);
		return;
	}
	if (errno != EAGAIN && errno != EWOULDBLOCK)
		finish(q, PROBE_ERROR, NULL, strerror(errno));
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

size_t
probe_pollfds(struct probe *p, struct pollfd *pfd, size_t max)
{
	struct query	*q;
	size_t		 n = 0;

	dispatch(p);
	for (q = p->active; q != NULL && n < max && n < PROBE_MAXOPEN;
	    q = q->next) {
		pfd[n].fd = q->fd;
		pfd[n].events = q->state == Q_CONNECT ? POLLOUT : POLLIN;
		pfd[n].revents = 0;
		p->polled[n++] = q;
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

	/* Each event finishes at most its own query: the map holds. */
	for (i = 0; i < n && i < p->npolled; i++) {
		if (pfd[i].revents == 0)
			continue;
		q = p->polled[i];
		if (q->fd != pfd[i].fd)
			continue;
		if (q->state == Q_UDP)
			on_udp(q, pfd[i].revents);
		else
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
probe_free(struct probe *p)
{
	struct inflight	*a, *next;
	size_t		 i;

	if (p == NULL)
		return;
	probe_cancel_all(p);
	for (i = 0; i < PROBE_NADDRB; i++)
		for (a = p->addrs[i]; a != NULL; a = next) {
			next = a->next;
			free(a);
		}
	free(p);
}
