/*
 * relay: adds a fixed one-way delay to DNS traffic, because this kernel
 * has no netem.  For each address it listens on port 53 (UDP and TCP)
 * and forwards to the same address on the back port, delaying every
 * datagram and every TCP chunk by the same amount in each direction.
 *
 * UDP: the query ID is rewritten per front socket (so two clients using
 * the same ID cannot be confused) and restored on the answer.  All
 * delayed data waits in one FIFO queue with one timer: with a fixed
 * delay, arrival order is departure order.
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
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAXFRONT	512
#define MAXFD		4096
/* IDs in flight per front address: plenty, and 400 fronts fit in RAM. */
#define NSLOT		4096

struct front {
	struct sockaddr_storage	 addr;		/* port 53 */
	struct sockaddr_storage	 back;		/* back port */
	socklen_t		 len;
	int			 udp, tcp, up;	/* up: socket to the back */
	uint16_t		 next;
	struct {
		struct sockaddr_in6	 from;	/* big enough for IPv4 too */
		socklen_t		 fromlen;
		uint16_t		 id;
		int			 used;
	}			 slot[NSLOT];
};

struct item {
	double			 due;
	int			 fd;		/* where to send */
	int			 udp;
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
static struct item	*head, *tail;
static double		 delay_ms;
static unsigned long	 udp_queries, tcp_conns;
static volatile sig_atomic_t want_stats;

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
later(int fd, int udp, const struct sockaddr_storage *to, socklen_t tolen,
    const uint8_t *data, size_t len)
{
	struct item	*it = malloc(sizeof(*it) + len);

	if (it == NULL)
		die("malloc");
	it->due = now_ms() + delay_ms;
	it->fd = fd;
	it->udp = udp;
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
	f->udp = sock(f->addr.ss_family, SOCK_DGRAM, 1);
	{
		int big = 4 * 1024 * 1024;

		setsockopt(f->udp, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
	}
	f->tcp = sock(f->addr.ss_family, SOCK_STREAM, 1);
	f->up = sock(f->addr.ss_family, SOCK_DGRAM, 0);
	if (bind(f->udp, (struct sockaddr *)&f->addr, f->len) == -1 ||
	    bind(f->tcp, (struct sockaddr *)&f->addr, f->len) == -1 ||
	    listen(f->tcp, 256) == -1)
		die(addr);
	return f;
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

int
main(int argc, char *argv[])
{
	static struct epoll_event evs[256];
	const char		*stats = NULL;
	uint8_t			 buf[65536];
	int			 ch, backport = 5353, i, n, timeout;
	ssize_t			 r;

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
	for (i = optind; i < argc && nfront < MAXFRONT; i++) {
		struct front *f = front_new(argv[i], backport);

		watch(f->udp, K_UDP | (uint64_t)nfront);
		watch(f->up, K_UP | (uint64_t)nfront);
		watch(f->tcp, K_LISTEN | (uint64_t)nfront);
		fronts[nfront++] = f;
	}
	for (i = 0; i < MAXFD; i++)
		peer[i] = -1;

	for (;;) {
		if (want_stats && stats != NULL) {
			FILE *f = fopen(stats, "w");

			if (f != NULL) {
				fprintf(f, "%lu %lu\n", udp_queries, tcp_conns);
				fclose(f);
			}
			want_stats = 0;
		}
		timeout = -1;
		if (head != NULL) {
			double d = head->due - now_ms();

			timeout = d <= 0 ? 0 : (int)d + 1;
		}
		n = epoll_wait(ep, evs, 256, timeout);
		if (n == -1 && errno != EINTR)
			die("epoll_wait");
		while (head != NULL && head->due <= now_ms()) {
			struct item *it = head;

			if (it->udp)
				(void)sendto(it->fd, it->data, it->len, 0,
				    (struct sockaddr *)&it->to, it->tolen);
			else if (it->fd >= 0)
				(void)!write(it->fd, it->data, it->len);
			head = it->next;
			if (head == NULL)
				tail = NULL;
			free(it);
		}
		for (int k = 0; k < n; k++) {
			uint64_t		 kind = evs[k].data.u64 &
			    ~0xffffffffULL;
			int			 idx = (int)(evs[k].data.u64 &
			    0xffffffffULL);
			struct sockaddr_storage	 from;
			socklen_t		 fl = sizeof(from);
			struct front		*f = kind != K_TCP ?
			    fronts[idx] : NULL;

			if (kind == K_UDP) {
				/* Queries from clients: drain the socket. */
				while ((r = recvfrom(f->udp, buf, sizeof(buf),
				    0, (struct sockaddr *)&from, &fl)) >= 0) {
					uint16_t id;

					if (r < 12 || fl > sizeof(f->slot[0].from)) {
						fl = sizeof(from);
						continue;
					}
					udp_queries++;
					id = f->next++ % NSLOT;
					f->next %= NSLOT;
					f->slot[id].id = (uint16_t)(buf[0] << 8 |
					    buf[1]);
					memcpy(&f->slot[id].from, &from, fl);
					f->slot[id].fromlen = fl;
					f->slot[id].used = 1;
					buf[0] = (uint8_t)(id >> 8);
					buf[1] = (uint8_t)id;
					later(f->up, 1, &f->back, f->len, buf,
					    (size_t)r);
					fl = sizeof(from);
				}
			} else if (kind == K_UP) {
				while ((r = recv(f->up, buf, sizeof(buf),
				    0)) >= 0) {
					uint16_t id;

					if (r < 12)
						continue;
					id = (uint16_t)(buf[0] << 8 | buf[1]);
					if (id >= NSLOT || !f->slot[id].used)
						continue;
					f->slot[id].used = 0;
					buf[0] = (uint8_t)(f->slot[id].id >> 8);
					buf[1] = (uint8_t)f->slot[id].id;
					later(f->udp, 1, (struct
					    sockaddr_storage *)&f->slot[id].from,
					    f->slot[id].fromlen, buf, (size_t)r);
				}
			} else if (kind == K_LISTEN) {
				int c, s;

				if ((c = accept4(f->tcp, NULL, NULL,
				    SOCK_CLOEXEC)) == -1)
					continue;
				s = sock(f->addr.ss_family, SOCK_STREAM, 0);
				if ((connect(s, (struct sockaddr *)&f->back,
				    f->len) == -1 && errno != EINPROGRESS) ||
				    c >= MAXFD || s >= MAXFD) {
					close(c);
					close(s);
					continue;
				}
				/* A blocking server side keeps order simple. */
				fcntl(s, F_SETFL, fcntl(s, F_GETFL) &
				    ~O_NONBLOCK);
				tcp_conns++;
				peer[c] = s;
				peer[s] = c;
				watch(c, K_TCP | (uint64_t)c);
				watch(s, K_TCP | (uint64_t)s);
			} else {
				int fd = idx, o = peer[fd];

				if (o < 0)
					continue;
				r = read(fd, buf, sizeof(buf));
				if (r <= 0) {
					close(fd);
					close(o);
					peer[fd] = peer[o] = -1;
					for (struct item *it = head; it;
					    it = it->next)
						if (!it->udp && (it->fd == o ||
						    it->fd == fd))
							it->fd = -1;
					continue;
				}
				later(o, 0, NULL, 0, buf, (size_t)r);
			}
		}
	}
}
