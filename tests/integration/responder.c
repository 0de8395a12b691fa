/*
 * responder: a small authoritative DNS server for the tests, serving one
 * zone file, that can misbehave on demand in the ways real servers and
 * middleboxes do and no real server does on request: drop a type,
 * SERVFAIL/REFUSED/NOTIMP/FORMERR for one type, answer without AA, NODATA
 * without SOA, truncate over UDP with TCP closed, answer late.
 *
 * It can also be hostile, as an attacker on the path or a broken box can:
 * answer with the wrong ID, to another question, from another address,
 * send endless garbage over TCP or hold the connection open, and serve
 * records whose RDATA no zone file parser would accept.
 *
 * usage: responder -z zonefile -o origin -l addr@port [-l ...]
 *                  [-m TYPE:MODE ...] [-r OWNER:TYPE:HEX ...] [-A addr]
 *                  [-T] [-G] [-H] [-p pidfile]
 *   TYPE  a type name (CAA, SOA, TXT, ...) or * for every type
 *   MODE  answer drop servfail refused notimp formerr noaa nosoa tc
 *         slow=MILLISECONDS wrongid wrongq otheraddr flood (64 packets
 *         with the wrong ID before the answer) lower (the question
 *         repeated in lower case, as some middleboxes do: no 0x20)
 *   -r    add a record with these raw RDATA bytes (hex)
 *   -A    the address "otheraddr" answers come from
 *   -T    no TCP listener (connections are refused)
 *   -G    over TCP, answer with endless garbage
 *   -H    over TCP, read the query and hold the connection, silent
 */
#include <sys/socket.h>
#include <sys/time.h>

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

#include <ldns/ldns.h>

#define MAXFD		256
#define MAXRULES	16

enum mode {
	M_ANSWER, M_DROP, M_SERVFAIL, M_REFUSED, M_NOTIMP, M_FORMERR,
	M_NOAA, M_NOSOA, M_TC, M_SLOW, M_WRONGID, M_WRONGQ, M_OTHERADDR,
	M_FLOOD, M_LOWER
};

struct rule {
	int		 type;		/* -1: every type */
	enum mode	 mode;
	int		 ms;		/* M_SLOW */
};

/* A response waiting for its time (slow mode) or a TCP write. */
struct pending {
	int			 fd;
	int			 tcp;
	struct sockaddr_storage	 to;
	socklen_t		 tolen;
	uint8_t			*wire;
	size_t			 len;
	double			 due;
	struct pending		*next;
};

struct conn {
	int	 fd;
	uint8_t	 buf[65537];
	size_t	 have;
	int	 garbage;	/* -G: writing garbage until it breaks */
};

static ldns_zone	*zone;
static ldns_rdf		*origin;
static struct rule	 rules[MAXRULES];
static int		 nrules;
static struct pending	*queue;
static int		 altfd = -1;	/* -A: the other address */
static int		 tcp_garbage, tcp_hold;

static double
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static void
die(const char *msg)
{
	fprintf(stderr, "responder: %s\n", msg);
	exit(1);
}

static const struct rule *
rule_for(int type)
{
	static const struct rule def = { -1, M_ANSWER, 0 };
	int	 i;

	for (i = 0; i < nrules; i++)
		if (rules[i].type == type)
			return &rules[i];
	for (i = 0; i < nrules; i++)
		if (rules[i].type == -1)
			return &rules[i];
	return &def;
}

static void
parse_rule(const char *arg)
{
	char		 t[32];
	const char	*colon = strchr(arg, ':'), *m;
	struct rule	*r;

	if (colon == NULL || (size_t)(colon - arg) >= sizeof(t) ||
	    nrules == MAXRULES)
		die("bad -m TYPE:MODE");
	memcpy(t, arg, (size_t)(colon - arg));
	t[colon - arg] = '\0';
	r = &rules[nrules++];
	r->type = strcmp(t, "*") == 0 ? -1 : (int)ldns_get_rr_type_by_name(t);
	if (r->type == 0)
		die("unknown type in -m");
	m = colon + 1;
	if (strcmp(m, "answer") == 0) r->mode = M_ANSWER;
	else if (strcmp(m, "drop") == 0) r->mode = M_DROP;
	else if (strcmp(m, "servfail") == 0) r->mode = M_SERVFAIL;
	else if (strcmp(m, "refused") == 0) r->mode = M_REFUSED;
	else if (strcmp(m, "notimp") == 0) r->mode = M_NOTIMP;
	else if (strcmp(m, "formerr") == 0) r->mode = M_FORMERR;
	else if (strcmp(m, "noaa") == 0) r->mode = M_NOAA;
	else if (strcmp(m, "nosoa") == 0) r->mode = M_NOSOA;
	else if (strcmp(m, "tc") == 0) r->mode = M_TC;
	else if (strcmp(m, "wrongid") == 0) r->mode = M_WRONGID;
	else if (strcmp(m, "wrongq") == 0) r->mode = M_WRONGQ;
	else if (strcmp(m, "otheraddr") == 0) r->mode = M_OTHERADDR;
	else if (strcmp(m, "flood") == 0) r->mode = M_FLOOD;
	else if (strcmp(m, "lower") == 0) r->mode = M_LOWER;
	else if (strncmp(m, "slow=", 5) == 0) {
		r->mode = M_SLOW;
		r->ms = atoi(m + 5);
	} else
		die("unknown mode in -m");
}

/* -r OWNER:TYPE:HEX: a record with raw RDATA, whatever it holds. */
static void
add_raw(const char *arg)
{
	char		 owner[256], type[32];
	const char	*c1 = strchr(arg, ':'), *c2, *hex;
	uint8_t		 bytes[4096];
	size_t		 n = 0;
	ldns_rr		*rr;
	unsigned int	 b;

	if (c1 == NULL || (c2 = strchr(c1 + 1, ':')) == NULL ||
	    (size_t)(c1 - arg) >= sizeof(owner) ||
	    (size_t)(c2 - c1 - 1) >= sizeof(type))
		die("bad -r OWNER:TYPE:HEX");
	memcpy(owner, arg, (size_t)(c1 - arg));
	owner[c1 - arg] = '\0';
	memcpy(type, c1 + 1, (size_t)(c2 - c1 - 1));
	type[c2 - c1 - 1] = '\0';
	for (hex = c2 + 1; hex[0] && hex[1] && n < sizeof(bytes); hex += 2) {
		if (sscanf(hex, "%2x", &b) != 1)
			die("bad hex in -r");
		bytes[n++] = (uint8_t)b;
	}
	rr = ldns_rr_new();
	ldns_rr_set_owner(rr, ldns_dname_new_frm_str(owner));
	ldns_rr_set_type(rr, ldns_get_rr_type_by_name(type));
	ldns_rr_set_class(rr, LDNS_RR_CLASS_IN);
	ldns_rr_set_ttl(rr, 300);
	ldns_rr_push_rdf(rr, ldns_rdf_new_frm_data(LDNS_RDF_TYPE_UNKNOWN, n,
	    bytes));
	ldns_zone_push_rr(zone, rr);
}

static void
push_rr(ldns_rr_list *l, const ldns_rr *rr)
{
	ldns_rr_list_push_rr(l, ldns_rr_clone(rr));
}

/* RRSIGs at owner covering type, when the client asked for DNSSEC. */
static void
push_sigs(ldns_rr_list *l, const ldns_rdf *owner, ldns_rr_type type)
{
	ldns_rr_list	*rrs = ldns_zone_rrs(zone);
	size_t		 i;

	for (i = 0; i < ldns_rr_list_rr_count(rrs); i++) {
		ldns_rr *rr = ldns_rr_list_rr(rrs, i);

		if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_RRSIG &&
		    ldns_dname_compare(ldns_rr_owner(rr), owner) == 0 &&
		    ldns_rdf2rr_type(ldns_rr_rrsig_typecovered(rr)) == type)
			push_rr(l, rr);
	}
}

/* Build the authoritative answer for the question. */
static ldns_pkt *
answer(const ldns_pkt *q, const struct rule *rule)
{
	ldns_rr		*qrr = ldns_rr_list_rr(ldns_pkt_question(q), 0);
	ldns_rdf	*qname = ldns_rr_owner(qrr);
	ldns_rr_type	 qtype = ldns_rr_get_type(qrr);
	ldns_rr_list	*rrs = ldns_zone_rrs(zone), *an, *ns;
	ldns_pkt	*p = ldns_pkt_new();
	ldns_rr		*cname = NULL;
	int		 exists = 0, dnssec = ldns_pkt_edns_do(q);
	size_t		 i;

	ldns_pkt_set_id(p, ldns_pkt_id(q));
	ldns_pkt_set_qr(p, 1);
	ldns_pkt_set_opcode(p, LDNS_PACKET_QUERY);
	ldns_pkt_set_rd(p, ldns_pkt_rd(q));
	ldns_pkt_push_rr(p, LDNS_SECTION_QUESTION, ldns_rr_clone(qrr));
	if (ldns_pkt_edns(q)) {
		ldns_pkt_set_edns_udp_size(p, 4096);
		ldns_pkt_set_edns_do(p, dnssec);
	}
	switch (rule->mode) {
	case M_SERVFAIL:
		ldns_pkt_set_rcode(p, LDNS_RCODE_SERVFAIL);
		return p;
	case M_REFUSED:
		ldns_pkt_set_rcode(p, LDNS_RCODE_REFUSED);
		return p;
	case M_NOTIMP:
		ldns_pkt_set_rcode(p, LDNS_RCODE_NOTIMPL);
		return p;
	case M_FORMERR:
		ldns_pkt_set_rcode(p, LDNS_RCODE_FORMERR);
		return p;
	default:
		break;
	}
	if (!ldns_dname_is_subdomain(qname, origin) &&
	    ldns_dname_compare(qname, origin) != 0) {
		ldns_pkt_set_rcode(p, LDNS_RCODE_REFUSED);
		return p;
	}
	ldns_pkt_set_aa(p, rule->mode != M_NOAA);

	an = ldns_rr_list_new();
	ns = ldns_rr_list_new();
	for (i = 0; i < ldns_rr_list_rr_count(rrs); i++) {
		ldns_rr *rr = ldns_rr_list_rr(rrs, i);

		if (ldns_dname_is_subdomain(ldns_rr_owner(rr), qname))
			exists = 1;	/* empty non-terminal */
		if (ldns_dname_compare(ldns_rr_owner(rr), qname) != 0)
			continue;
		exists = 1;
		if (ldns_rr_get_type(rr) == qtype)
			push_rr(an, rr);
		else if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_CNAME)
			cname = rr;
	}
	if (ldns_dname_compare(ldns_rr_owner(ldns_zone_soa(zone)), qname) ==
	    0 && qtype == LDNS_RR_TYPE_SOA) {
		exists = 1;
		push_rr(an, ldns_zone_soa(zone));
	}
	if (ldns_rr_list_rr_count(an) == 0 && cname != NULL) {
		push_rr(an, cname);
		qtype = LDNS_RR_TYPE_CNAME;
	}
	/* The packet takes the records themselves, not copies. */
	if (ldns_rr_list_rr_count(an) > 0) {
		if (dnssec)
			push_sigs(an, qname, qtype);
		ldns_pkt_push_rr_list(p, LDNS_SECTION_ANSWER, an);
		ldns_rr_list_free(an);
		an = NULL;
	} else {
		ldns_pkt_set_rcode(p, exists ? LDNS_RCODE_NOERROR :
		    LDNS_RCODE_NXDOMAIN);
		if (rule->mode != M_NOSOA) {
			push_rr(ns, ldns_zone_soa(zone));
			if (dnssec)
				push_sigs(ns, origin, LDNS_RR_TYPE_SOA);
			ldns_pkt_push_rr_list(p, LDNS_SECTION_AUTHORITY, ns);
			ldns_rr_list_free(ns);
			ns = NULL;
		}
	}
	ldns_rr_list_deep_free(an);
	ldns_rr_list_deep_free(ns);
	return p;
}

static void
enqueue(int fd, int tcp, const struct sockaddr_storage *to, socklen_t tolen,
    uint8_t *wire, size_t len, double due)
{
	struct pending	*p = calloc(1, sizeof(*p)), **pp;

	if (p == NULL)
		die("out of memory");
	p->fd = fd;
	p->tcp = tcp;
	if (to != NULL)
		memcpy(&p->to, to, tolen);
	p->tolen = tolen;
	p->wire = wire;
	p->len = len;
	p->due = due;
	for (pp = &queue; *pp != NULL; pp = &(*pp)->next)
		;
	*pp = p;
}

static void
send_one(struct pending *p)
{
	if (p->tcp) {
		uint8_t	 hdr[2] = { (uint8_t)(p->len >> 8), (uint8_t)p->len };

		(void)!write(p->fd, hdr, 2);
		(void)!write(p->fd, p->wire, p->len);
	} else
		(void)sendto(p->fd, p->wire, p->len, 0,
		    (struct sockaddr *)&p->to, p->tolen);
}

/* Handle one query; queue the response (or nothing, when dropped). */
static void
handle(int fd, int tcp, const uint8_t *buf, size_t len,
    const struct sockaddr_storage *from, socklen_t fromlen)
{
	ldns_pkt		*q = NULL, *p = NULL;
	const struct rule	*rule;
	uint8_t			*wire = NULL;
	size_t			 wlen, limit;
	ldns_rr			*qrr;

	if (ldns_wire2pkt(&q, buf, len) != LDNS_STATUS_OK)
		return;
	if (ldns_pkt_qr(q) || ldns_rr_list_rr_count(ldns_pkt_question(q)) !=
	    1) {
		ldns_pkt_free(q);
		return;
	}
	qrr = ldns_rr_list_rr(ldns_pkt_question(q), 0);
	rule = rule_for(ldns_rr_get_type(qrr));
	if (rule->mode == M_DROP) {
		ldns_pkt_free(q);
		return;
	}
	if (tcp && tcp_hold)
		goto out_q;
	p = answer(q, rule);
	if (rule->mode == M_WRONGID)
		ldns_pkt_set_id(p, (uint16_t)(ldns_pkt_id(q) ^ 0x5a5a));
	if (rule->mode == M_LOWER)
		ldns_dname2canonical(ldns_rr_owner(ldns_rr_list_rr(
		    ldns_pkt_question(p), 0)));
	if (rule->mode == M_WRONGQ) {
		ldns_rr *qq = ldns_rr_list_rr(ldns_pkt_question(p), 0);
		ldns_rdf *wrong = ldns_dname_new_frm_str("wrong.question.");

		ldns_rdf_deep_free(ldns_rr_owner(qq));
		ldns_rr_set_owner(qq, wrong);
	}
	if (ldns_pkt2wire(&wire, p, &wlen) != LDNS_STATUS_OK)
		goto out;
	limit = ldns_pkt_edns(q) ? ldns_pkt_edns_udp_size(q) : 512;
	if (limit < 512)
		limit = 512;
	if (!tcp && (wlen > limit || rule->mode == M_TC)) {
		/* Truncated: header and question only, TC set. */
		free(wire);
		wire = NULL;
		ldns_rr_list_deep_free(ldns_pkt_answer(p));
		ldns_rr_list_deep_free(ldns_pkt_authority(p));
		ldns_rr_list_deep_free(ldns_pkt_additional(p));
		ldns_pkt_set_answer(p, ldns_rr_list_new());
		ldns_pkt_set_authority(p, ldns_rr_list_new());
		ldns_pkt_set_additional(p, ldns_rr_list_new());
		ldns_pkt_set_ancount(p, 0);
		ldns_pkt_set_nscount(p, 0);
		ldns_pkt_set_arcount(p, 0);
		ldns_pkt_set_tc(p, 1);
		if (ldns_pkt2wire(&wire, p, &wlen) != LDNS_STATUS_OK)
			goto out;
	}
	if (rule->mode == M_OTHERADDR && !tcp && altfd != -1)
		fd = altfd;
	if (rule->mode == M_FLOOD && !tcp) {
		for (int k = 0; k < 64; k++) {
			uint8_t *junk = malloc(wlen);

			memcpy(junk, wire, wlen);
			junk[0] ^= 0xa5;	/* not our ID */
			junk[1] ^= (uint8_t)k;
			enqueue(fd, tcp, from, fromlen, junk, wlen, now_ms());
		}
	}
	enqueue(fd, tcp, from, fromlen, wire, wlen,
	    now_ms() + (rule->mode == M_SLOW ? rule->ms : 0));
	wire = NULL;
out:
	free(wire);
	ldns_pkt_free(p);
out_q:
	ldns_pkt_free(q);
}

static int
listen_on(const char *spec, int tcp)
{
	char			 addr[64], *at;
	struct sockaddr_storage	 ss;
	socklen_t		 sl;
	int			 fd, one = 1, port = 53;

	snprintf(addr, sizeof(addr), "%s", spec);
	if ((at = strrchr(addr, '@')) != NULL) {
		*at = '\0';
		port = atoi(at + 1);
	}
	memset(&ss, 0, sizeof(ss));
	if (strchr(addr, ':') != NULL) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		if (inet_pton(AF_INET6, addr, &s6->sin6_addr) != 1)
			die("bad address");
		sl = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		if (inet_pton(AF_INET, addr, &s4->sin_addr) != 1)
			die("bad address");
		sl = sizeof(*s4);
	}
	fd = socket(ss.ss_family, tcp ? SOCK_STREAM : SOCK_DGRAM, 0);
	if (fd == -1)
		die("socket");
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, sl) == -1) {
		fprintf(stderr, "responder: bind %s: %s\n", spec,
		    strerror(errno));
		exit(1);
	}
	if (tcp && listen(fd, 64) == -1)
		die("listen");
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	return fd;
}

int
main(int argc, char *argv[])
{
	struct pollfd		 pfd[MAXFD];
	struct conn		*conns[MAXFD];
	int			 kind[MAXFD];	/* 0 udp, 1 listen, 2 conn */
	int			 nfd = 0, ch, notcp = 0, i, timeout;
	const char		*zfile = NULL, *oname = NULL, *pidfile = NULL;
	const char		*listens[16];
	int			 nlisten = 0;
	FILE			*f;
	uint8_t			 buf[65535];
	ssize_t			 r;
	struct pending		*p;

	signal(SIGPIPE, SIG_IGN);
	const char		*raws[16], *alt = NULL;
	int			 nraw = 0;

	while ((ch = getopt(argc, argv, "z:o:l:m:Tp:r:A:GH")) != -1) {
		switch (ch) {
		case 'r':
			if (nraw == 16)
				die("too many -r");
			raws[nraw++] = optarg;
			break;
		case 'A': alt = optarg; break;
		case 'G': tcp_garbage = 1; break;
		case 'H': tcp_hold = 1; break;
		case 'z': zfile = optarg; break;
		case 'o': oname = optarg; break;
		case 'l':
			if (nlisten == 16)
				die("too many -l");
			listens[nlisten++] = optarg;
			break;
		case 'm': parse_rule(optarg); break;
		case 'T': notcp = 1; break;
		case 'p': pidfile = optarg; break;
		default: die("usage: see the source");
		}
	}
	if (zfile == NULL || oname == NULL || nlisten == 0)
		die("need -z, -o and -l");
	if ((origin = ldns_dname_new_frm_str(oname)) == NULL)
		die("bad origin");
	if ((f = fopen(zfile, "r")) == NULL)
		die("cannot open zone file");
	if (ldns_zone_new_frm_fp(&zone, f, origin, 3600, LDNS_RR_CLASS_IN) !=
	    LDNS_STATUS_OK || ldns_zone_soa(zone) == NULL)
		die("cannot parse zone file (or no SOA)");
	fclose(f);
	for (i = 0; i < nraw; i++)
		add_raw(raws[i]);
	if (alt != NULL) {
		char spec[80];

		snprintf(spec, sizeof(spec), "%s@0", alt);
		altfd = listen_on(spec, 0);
	}

	for (i = 0; i < nlisten; i++) {
		pfd[nfd].fd = listen_on(listens[i], 0);
		kind[nfd++] = 0;
		if (!notcp) {
			pfd[nfd].fd = listen_on(listens[i], 1);
			kind[nfd++] = 1;
		}
	}
	if (pidfile != NULL && (f = fopen(pidfile, "w")) != NULL) {
		fprintf(f, "%d\n", (int)getpid());
		fclose(f);
	}
	memset(conns, 0, sizeof(conns));

	for (;;) {
		for (i = 0; i < nfd; i++)
			pfd[i].events = POLLIN |
			    (kind[i] == 2 && conns[i]->garbage ? POLLOUT : 0);
		timeout = -1;
		if (queue != NULL) {
			double d = queue->due - now_ms();

			timeout = d < 0 ? 0 : (int)d + 1;
			for (p = queue; p != NULL; p = p->next) {
				d = p->due - now_ms();
				if (d < 0)
					d = 0;
				if ((int)d + 1 < timeout || timeout < 0)
					timeout = (int)d + 1;
			}
		}
		if (poll(pfd, (nfds_t)nfd, timeout) == -1 && errno != EINTR)
			die("poll");
		/* Send what is due. */
		for (struct pending **pp = &queue; *pp != NULL;) {
			p = *pp;
			if (p->due <= now_ms()) {
				send_one(p);
				*pp = p->next;
				free(p->wire);
				free(p);
			} else
				pp = &p->next;
		}
		for (i = 0; i < nfd; i++) {
			struct sockaddr_storage	 from;
			socklen_t		 fl = sizeof(from);

			if (kind[i] == 2 && conns[i]->garbage &&
			    (pfd[i].revents & POLLOUT)) {
				/* Endless: whatever the peer does with it. */
				memset(buf, 0xa5, 4096);
				if (write(pfd[i].fd, buf, 4096) < 0)
					pfd[i].revents |= POLLHUP;
			}
			if (!(pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			if (kind[i] == 0) {
				r = recvfrom(pfd[i].fd, buf, sizeof(buf), 0,
				    (struct sockaddr *)&from, &fl);
				if (r > 0)
					handle(pfd[i].fd, 0, buf, (size_t)r,
					    &from, fl);
			} else if (kind[i] == 1) {
				int c = accept(pfd[i].fd, NULL, NULL);

				if (c == -1)
					continue;
				if (nfd == MAXFD) {
					close(c);
					continue;
				}
				conns[nfd] = calloc(1, sizeof(struct conn));
				conns[nfd]->fd = c;
				pfd[nfd].fd = c;
				pfd[nfd].revents = 0;
				kind[nfd++] = 2;
			} else {
				struct conn *cn = conns[i];
				size_t need;

				r = read(cn->fd, cn->buf + cn->have,
				    sizeof(cn->buf) - cn->have);
				if (r <= 0) {
					/* Forget queued answers for it. */
					for (p = queue; p != NULL; p = p->next)
						if (p->tcp && p->fd == cn->fd)
							p->fd = -1;
					close(cn->fd);
					free(cn);
					pfd[i] = pfd[nfd - 1];
					kind[i] = kind[nfd - 1];
					conns[i] = conns[nfd - 1];
					conns[nfd - 1] = NULL;
					nfd--;
					i--;
					continue;
				}
				cn->have += (size_t)r;
				if (tcp_garbage) {
					cn->garbage = 1;
					cn->have = 0;
					continue;
				}
				while (cn->have >= 2 && cn->have >=
				    2 + (need = (size_t)(cn->buf[0] << 8 |
				    cn->buf[1]))) {
					handle(cn->fd, 1, cn->buf + 2, need,
					    NULL, 0);
					memmove(cn->buf, cn->buf + 2 + need,
					    cn->have - 2 - need);
					cn->have -= 2 + need;
				}
			}
		}
	}
}
