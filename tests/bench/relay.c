/*
 * relay: adds a fixed one-way delay to DNS traffic, because this kernel
 * has no netem.  For each address it listens on port 53 (UDP and TCP)
 * and forwards to the same address on the back port, delaying every
 * datagram and every TCP chunk by the same amount in each direction.
 *
 * UDP: the clients' queries come in on one socket per address family,
 * bound to port 53 of every address, and the address each was sent to
 * (IP_PKTINFO) says which server it is for; the answer leaves the same
 * socket from that address.  A datagram to an address that is not the
 * relay's is dropped: the relay stands only for the servers it was given
 * (a socket bound to one address of its own, as the universe's unbound
 * forwarder's is, still gets that address's datagrams).  Queries go to
 * the servers through one socket per address family, under an ID of the
 * relay's own (so two clients using the same ID cannot be confused), and
 * the client's ID is restored on the answer.  All delayed data waits in
 * one FIFO queue: with a fixed delay, arrival order is departure order.
 *
 * The relay works in ticks of TICK_MS while anything waits: it reads what
 * arrived, several datagrams a call, and sends what is due, the datagrams
 * for one socket in one call.  A datagram therefore waits the delay plus
 * less than a tick.  System calls per datagram, not the delay, were most
 * of the relay's CPU time, and that time is taken from the run measured:
 * hence one socket for all the clients' datagrams, not one per address.
 *
 * usage: relay -d MS -b BACKPORT -s STATSFILE addr [addr ...]
 * SIGUSR1 writes "udp_queries tcp_connections" to STATSFILE.
 */
#include <sys/epoll.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAXFRONT	512
#define NHASH		1024		/* fronts by address; > MAXFRONT */
#define MAXFD		4096
#define NSLOT		65536		/* the relay's IDs: every 16-bit one */
#define BATCH		64		/* datagrams per recvmmsg/sendmmsg */
#define DGRAM		65536
#define TICK_MS		0.5

struct front {
	struct sockaddr_storage	 addr;		/* port 53 */
	struct sockaddr_storage	 back;		/* back port */
	socklen_t		 len;
	int			 tcp;
};

/* A query sent on: whom to answer, and under which ID. */
struct slot {
	struct sockaddr_in6	 from;		/* big enough for IPv4 too */
	socklen_t		 fromlen;
	uint16_t		 id;
	int			 front;		/* -1: free */
};

struct item {
	double			 due;
	int			 fd;		/* where to send; -1: dropped */
	int			 udp;
	int			 src;		/* the front it leaves from, or -1 */
	struct sockaddr_storage	 to;
	socklen_t		 tolen;
	size_t			 len;
	struct item		*next;
	uint8_t			 data[];
};

/* A TCP pair: each side's chunks go to the other, delayed. */
static int		 peer[MAXFD];
static struct front	*fronts[MAXFRONT];
static int		 nfront;
static int		 byaddr[NHASH];	/* front + 1; 0: empty */
static int		 in4 = -1, in6 = -1;	/* the clients' side */
static struct slot	 slots[NSLOT];
static uint16_t		 next_id;
static int		 up4 = -1, up6 = -1;
static struct item	*head, *tail;
static double		 delay_ms;
static unsigned long	 udp_queries, tcp_conns;
static volatile sig_atomic_t want_stats;

static uint8_t		 bufs[BATCH][DGRAM];
static struct mmsghdr	 msgs[BATCH];
static struct iovec	 iovs[BATCH];
static struct sockaddr_storage froms[BATCH];
static union {
	struct cmsghdr	 align;
	uint8_t		 buf[CMSG_SPACE(sizeof(struct in6_pktinfo))];
} ctls[BATCH];

static double
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static void
die(const char *m)
{
	fprintf(stderr, "relay: %s: %s\n", m, strerror(errno));
	exit(1);
}

static void
later(double now, int fd, int udp, int src, const void *to, socklen_t tolen,
    const uint8_t *data, size_t len)
{
	struct item	*it = malloc(sizeof(*it) + len);

	if (it == NULL)
		die("malloc");
	it->due = now + delay_ms;
	it->fd = fd;
	it->udp = udp;
	it->src = src;
	if (to != NULL)
		memcpy(&it->to, to, tolen);
	it->tolen = tolen;
	it->len = len;
	it->next = NULL;
	memcpy(it->data, data, len);
	if (tail != NULL)
		tail->next = it;
	else
		head = it;
	tail = it;
}

/*
 * SO_REUSEADDR only on sockets bound by hand: two unbound sockets with it
 * can be given the same ephemeral port, and one then gets the other's
 * answers.
 */
static int
sock(int family, int type, int reuse)
{
	int	 fd = socket(family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int	 one = 1;

	if (fd == -1)
		die("socket");
	if (reuse)
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	return fd;
}

static void
bigbuf(int fd)
{
	int	 big = 4 * 1024 * 1024;

	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &big, sizeof(big));
}

static void
set_port(struct sockaddr_storage *ss, int port)
{
	if (ss->ss_family == AF_INET)
		((struct sockaddr_in *)ss)->sin_port = htons(port);
	else
		((struct sockaddr_in6 *)ss)->sin6_port = htons(port);
}

static struct front *
front_new(const char *addr, int backport)
{
	struct front		*f = calloc(1, sizeof(*f));
	struct sockaddr_in	*s4 = (struct sockaddr_in *)&f->addr;
	struct sockaddr_in6	*s6 = (struct sockaddr_in6 *)&f->addr;

	if (f == NULL)
		die("calloc");
	if (inet_pton(AF_INET, addr, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		f->len = sizeof(*s4);
	} else if (inet_pton(AF_INET6, addr, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		f->len = sizeof(*s6);
	} else {
		errno = EINVAL;
		die(addr);
	}
	memcpy(&f->back, &f->addr, sizeof(f->addr));
	set_port(&f->addr, 53);
	set_port(&f->back, backport);
	f->tcp = sock(f->addr.ss_family, SOCK_STREAM, 1);
	if (bind(f->tcp, (struct sockaddr *)&f->addr, f->len) == -1 ||
	    listen(f->tcp, 256) == -1)
		die(addr);
	return f;
}

/* An address's bytes: 4 or 16 of them. */
static const uint8_t *
addr_bytes(int family, const void *a, size_t *len)
{
	if (family == AF_INET) {
		*len = 4;
		return (const uint8_t *)&((const struct in_addr *)a)->s_addr;
	}
	*len = 16;
	return ((const struct in6_addr *)a)->s6_addr;
}

static unsigned
addr_hash(const uint8_t *b, size_t len)
{
	uint32_t	 h = 2166136261u;

	for (size_t i = 0; i < len; i++)
		h = (h ^ b[i]) * 16777619u;
	return h % NHASH;
}

static const uint8_t *
front_bytes(const struct front *f, size_t *len)
{
	if (f->addr.ss_family == AF_INET)
		return addr_bytes(AF_INET,
		    &((const struct sockaddr_in *)&f->addr)->sin_addr, len);
	return addr_bytes(AF_INET6,
	    &((const struct sockaddr_in6 *)&f->addr)->sin6_addr, len);
}

static void
front_index(int idx)
{
	size_t		 len;
	const uint8_t	*b = front_bytes(fronts[idx], &len);
	unsigned	 h = addr_hash(b, len);

	while (byaddr[h] != 0)
		h = (h + 1) % NHASH;
	byaddr[h] = idx + 1;
}

/* The front whose address a datagram was sent to, or -1. */
static int
front_of(int family, const void *a)
{
	size_t		 len, flen;
	const uint8_t	*b = addr_bytes(family, a, &len);

	for (unsigned h = addr_hash(b, len); byaddr[h] != 0;
	    h = (h + 1) % NHASH) {
		struct front	*f = fronts[byaddr[h] - 1];
		const uint8_t	*fb = front_bytes(f, &flen);

		if (f->addr.ss_family == family && flen == len &&
		    memcmp(fb, b, len) == 0)
			return byaddr[h] - 1;
	}
	return -1;
}

/* Port 53 of every address of a family, telling each datagram's. */
static int
clients_sock(int family)
{
	struct sockaddr_storage	 ss;
	socklen_t		 len;
	int			 fd = sock(family, SOCK_DGRAM, 1), one = 1;

	memset(&ss, 0, sizeof(ss));
	ss.ss_family = (sa_family_t)family;
	set_port(&ss, 53);
	if (family == AF_INET) {
		len = sizeof(struct sockaddr_in);
		if (setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one,
		    sizeof(one)) == -1)
			die("IP_PKTINFO");
	} else {
		len = sizeof(struct sockaddr_in6);
		if (setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one,
		    sizeof(one)) == -1 || setsockopt(fd, IPPROTO_IPV6,
		    IPV6_RECVPKTINFO, &one, sizeof(one)) == -1)
			die("IPV6_RECVPKTINFO");
	}
	bigbuf(fd);
	if (bind(fd, (struct sockaddr *)&ss, len) == -1)
		die("port 53");
	return fd;
}

static void
on_stats(int sig)
{
	(void)sig;
	want_stats = 1;
}

/* epoll data: kind in the top bits, front index or fd below. */
#define K_UDP	(1ULL << 32)
#define K_UP	(2ULL << 32)
#define K_LISTEN (3ULL << 32)
#define K_TCP	(4ULL << 32)

static int	 ep;

static void
watch(int fd, uint64_t data)
{
	struct epoll_event ev;

	ev.events = EPOLLIN;
	ev.data.u64 = data;
	if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) == -1)
		die("epoll_ctl");
}

/* msgs[i]: one datagram at data, from or to the address at name. */
static void
set_msg(int i, void *data, size_t len, void *name, socklen_t namelen)
{
	iovs[i].iov_base = data;
	iovs[i].iov_len = len;
	memset(&msgs[i].msg_hdr, 0, sizeof(msgs[i].msg_hdr));
	msgs[i].msg_hdr.msg_iov = &iovs[i];
	msgs[i].msg_hdr.msg_iovlen = 1;
	msgs[i].msg_hdr.msg_name = name;
	msgs[i].msg_hdr.msg_namelen = namelen;
}

/*
 * Up to BATCH datagrams from fd into bufs/froms, and the addresses they
 * were sent to into ctls if ctl; how many.
 */
static int
take(int fd, int ctl)
{
	int	 n;

	for (int i = 0; i < BATCH; i++) {
		set_msg(i, bufs[i], DGRAM, &froms[i], sizeof(froms[i]));
		if (ctl) {
			msgs[i].msg_hdr.msg_control = ctls[i].buf;
			msgs[i].msg_hdr.msg_controllen = sizeof(ctls[i].buf);
		}
	}
	n = recvmmsg(fd, msgs, BATCH, MSG_DONTWAIT, NULL);
	return n < 0 ? 0 : n;
}

/* The front a datagram just taken was sent to, or -1. */
static int
dest_front(int i)
{
	struct msghdr	*h = &msgs[i].msg_hdr;

	for (struct cmsghdr *c = CMSG_FIRSTHDR(h); c != NULL;
	    c = CMSG_NXTHDR(h, c)) {
		if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
			struct in_pktinfo pi;

			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			return front_of(AF_INET, &pi.ipi_addr);
		}
		if (c->cmsg_level == IPPROTO_IPV6 &&
		    c->cmsg_type == IPV6_PKTINFO) {
			struct in6_pktinfo pi;

			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			return front_of(AF_INET6, &pi.ipi6_addr);
		}
	}
	return -1;
}

/* Queries from clients: on to the server under an ID of ours. */
static void
from_clients(double now, int fd)
{
	int	 n;

	do {
		n = take(fd, 1);
		for (int i = 0; i < n; i++) {
			uint8_t		*b = bufs[i];
			socklen_t	 fl = msgs[i].msg_hdr.msg_namelen;
			struct slot	*s;
			struct front	*f;
			int		 idx = dest_front(i);
			uint16_t	 id;

			if (msgs[i].msg_len < 12 || fl > sizeof(s->from) ||
			    idx < 0)
				continue;
			f = fronts[idx];
			udp_queries++;
			id = next_id++;
			s = &slots[id];
			s->id = (uint16_t)(b[0] << 8 | b[1]);
			memcpy(&s->from, &froms[i], fl);
			s->fromlen = fl;
			s->front = idx;
			b[0] = (uint8_t)(id >> 8);
			b[1] = (uint8_t)id;
			later(now, f->addr.ss_family == AF_INET ? up4 : up6, 1,
			    -1, &f->back, f->len, b, msgs[i].msg_len);
		}
	} while (n == BATCH);
}

/* Answers from the servers: back to the client, under its own ID. */
static void
from_servers(double now, int fd)
{
	int	 n;

	do {
		n = take(fd, 0);
		for (int i = 0; i < n; i++) {
			uint8_t		*b = bufs[i];
			struct slot	*s;
			int		 cfd;

			if (msgs[i].msg_len < 12)
				continue;
			s = &slots[b[0] << 8 | b[1]];
			if (s->front < 0)
				continue;
			b[0] = (uint8_t)(s->id >> 8);
			b[1] = (uint8_t)s->id;
			cfd = fronts[s->front]->addr.ss_family == AF_INET ?
			    in4 : in6;
			later(now, cfd, 1, s->front, &s->from, s->fromlen, b,
			    msgs[i].msg_len);
			s->front = -1;
		}
	} while (n == BATCH);
}

/* A due datagram, and its place in the queue. */
struct due {
	struct item	*it;
	int		 seq;
};

/* msgs[q] to leave from the front's address: its one control message. */
static void
from_front(int q, const struct front *f)
{
	struct msghdr		*h = &msgs[q].msg_hdr;
	struct cmsghdr		*c;
	struct in_pktinfo	 pi4;
	struct in6_pktinfo	 pi6;
	const void		*pi = &pi4;
	size_t			 len = sizeof(pi4);

	memset(&ctls[q], 0, sizeof(ctls[q]));
	memset(&pi4, 0, sizeof(pi4));
	memset(&pi6, 0, sizeof(pi6));
	h->msg_control = ctls[q].buf;
	c = (struct cmsghdr *)ctls[q].buf;
	if (f->addr.ss_family == AF_INET) {
		pi4.ipi_spec_dst =
		    ((const struct sockaddr_in *)&f->addr)->sin_addr;
		c->cmsg_level = IPPROTO_IP;
		c->cmsg_type = IP_PKTINFO;
	} else {
		pi6.ipi6_addr =
		    ((const struct sockaddr_in6 *)&f->addr)->sin6_addr;
		pi = &pi6;
		len = sizeof(pi6);
		c->cmsg_level = IPPROTO_IPV6;
		c->cmsg_type = IPV6_PKTINFO;
	}
	c->cmsg_len = CMSG_LEN(len);
	memcpy(CMSG_DATA(c), pi, len);
	h->msg_controllen = CMSG_SPACE(len);
}

/* By socket, and in arrival order for each socket. */
static int
by_fd(const void *a, const void *b)
{
	const struct due *x = a, *y = b;

	if (x->it->fd != y->it->fd)
		return x->it->fd < y->it->fd ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Everything due: TCP in order, UDP for one socket in one call. */
static void
send_due(double now)
{
	static struct due	 ready[4096];
	int			 n = 0;

	while (head != NULL && head->due <= now && n < 4096) {
		struct item *it = head;

		head = it->next;
		if (head == NULL)
			tail = NULL;
		if (it->udp) {
			ready[n].it = it;
			ready[n].seq = n;
			n++;
			continue;
		}
		if (it->fd >= 0)
			(void)!write(it->fd, it->data, it->len);
		free(it);
	}
	qsort(ready, (size_t)n, sizeof(ready[0]), by_fd);
	for (int i = 0; i < n; ) {
		int	 j = i, m = 0;

		while (j < n && ready[j].it->fd == ready[i].it->fd)
			j++;
		for (int k = i; k < j; k += m) {
			m = j - k < BATCH ? j - k : BATCH;
			for (int q = 0; q < m; q++) {
				struct item *it = ready[k + q].it;

				set_msg(q, it->data, it->len, &it->to,
				    it->tolen);
				if (it->src >= 0)
					from_front(q, fronts[it->src]);
			}
			(void)sendmmsg(ready[k].it->fd, msgs, (unsigned)m, 0);
		}
		for (int k = i; k < j; k++)
			free(ready[k].it);
		i = j;
	}
}

static void
accept_one(struct front *f)
{
	int	 c, s;

	if ((c = accept4(f->tcp, NULL, NULL, SOCK_CLOEXEC)) == -1)
		return;
	s = sock(f->addr.ss_family, SOCK_STREAM, 0);
	if ((connect(s, (struct sockaddr *)&f->back, f->len) == -1 &&
	    errno != EINPROGRESS) || c >= MAXFD || s >= MAXFD) {
		close(c);
		close(s);
		return;
	}
	/* A blocking server side keeps order simple. */
	fcntl(s, F_SETFL, fcntl(s, F_GETFL) & ~O_NONBLOCK);
	tcp_conns++;
	peer[c] = s;
	peer[s] = c;
	watch(c, K_TCP | (uint64_t)c);
	watch(s, K_TCP | (uint64_t)s);
}

static void
tcp_chunk(double now, int fd)
{
	static uint8_t	 buf[DGRAM];
	int		 o = peer[fd];
	ssize_t		 r;

	if (o < 0)
		return;
	r = read(fd, buf, sizeof(buf));
	if (r <= 0) {
		close(fd);
		close(o);
		peer[fd] = peer[o] = -1;
		for (struct item *it = head; it; it = it->next)
			if (!it->udp && (it->fd == o || it->fd == fd))
				it->fd = -1;
		return;
	}
	later(now, o, 0, -1, NULL, 0, buf, (size_t)r);
}

static void
write_stats(const char *stats)
{
	FILE	*f;

	want_stats = 0;
	if (stats == NULL || (f = fopen(stats, "w")) == NULL)
		return;
	fprintf(f, "%lu %lu\n", udp_queries, tcp_conns);
	fclose(f);
}

int
main(int argc, char *argv[])
{
	static struct epoll_event evs[1024];
	const char		*stats = NULL;
	int			 ch, backport = 5353, i, n;
	double			 tick = 0;

	signal(SIGPIPE, SIG_IGN);
	signal(SIGUSR1, on_stats);
	while ((ch = getopt(argc, argv, "d:b:s:")) != -1) {
		switch (ch) {
		case 'd': delay_ms = atof(optarg); break;
		case 'b': backport = atoi(optarg); break;
		case 's': stats = optarg; break;
		default: exit(2);
		}
	}
	if ((ep = epoll_create1(EPOLL_CLOEXEC)) == -1)
		die("epoll_create1");
	for (i = 0; i < NSLOT; i++)
		slots[i].front = -1;
	for (i = optind; i < argc && nfront < MAXFRONT; i++) {
		struct front *f = front_new(argv[i], backport);
		int v4 = f->addr.ss_family == AF_INET;
		int *up = v4 ? &up4 : &up6, *in = v4 ? &in4 : &in6;

		if (*up == -1) {
			*up = sock(f->addr.ss_family, SOCK_DGRAM, 0);
			bigbuf(*up);
			watch(*up, K_UP | (uint64_t)*up);
			*in = clients_sock(f->addr.ss_family);
			watch(*in, K_UDP | (uint64_t)*in);
		}
		watch(f->tcp, K_LISTEN | (uint64_t)nfront);
		fronts[nfront] = f;
		front_index(nfront++);
	}
	for (i = 0; i < MAXFD; i++)
		peer[i] = -1;

	for (;;) {
		double	 now;

		if (want_stats)
			write_stats(stats);
		/*
		 * Nothing waiting: sleep until something comes.  Otherwise
		 * sleep to the next tick and take what came meanwhile.
		 */
		if (head == NULL) {
			n = epoll_wait(ep, evs, 1024, -1);
			tick = now_ms();
		} else {
			struct timespec	 ts;
			double		 t;

			tick += TICK_MS;
			if (tick < now_ms())
				tick = now_ms();
			t = tick / 1000.0;
			ts.tv_sec = (time_t)t;
			ts.tv_nsec = (long)((t - (double)ts.tv_sec) * 1e9);
			while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME,
			    &ts, NULL) == EINTR)
				;
			n = epoll_wait(ep, evs, 1024, 0);
		}
		if (n == -1 && errno != EINTR)
			die("epoll_wait");
		now = now_ms();
		for (int k = 0; k < n; k++) {
			uint64_t kind = evs[k].data.u64 & ~0xffffffffULL;
			int	 idx = (int)(evs[k].data.u64 & 0xffffffffULL);

			if (kind == K_UDP)
				from_clients(now, idx);
			else if (kind == K_UP)
				from_servers(now, idx);
			else if (kind == K_LISTEN)
				accept_one(fronts[idx]);
			else
				tcp_chunk(now, idx);
		}
		send_due(now);
	}
}
