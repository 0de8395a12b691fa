/*
 * Fuzz target: the handling of a direct nameserver response, as probe
 * and servers see it: is it the answer to our question, what zone does a
 * SOA answer name, what a secure resolver answer proves, and the whole
 * analysis (records, serials, rcodes, DNSSEC signatures against a zone
 * key or proven by the resolver) of a zone whose server sent it.
 * The static functions are reached by including the modules.
 */
#include "../../src/probe.c"
#include "../../src/servers.c"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *key_str = "example. 300 IN DNSKEY 257 3 13 "
    "kXKkvWU3vGYfTJGl3qBd4qhiWp5aRs7YtkCJxD2d+t7KXqwahww5IgJtxJT2yFItlggazyf"
    "XqJEVOmMJ3qT0tQ==";

static ldns_pkt *
good(const char *rrs, int rcode)
{
	ldns_pkt	*p = ldns_pkt_new();
	ldns_rr		*rr = NULL;

	ldns_pkt_set_qr(p, 1);
	ldns_pkt_set_aa(p, 1);
	ldns_pkt_set_rcode(p, (uint8_t)rcode);
	if (rrs != NULL && ldns_rr_new_frm_str(&rr, rrs, 300, NULL, NULL) ==
	    LDNS_STATUS_OK)
		ldns_pkt_push_rr(p, LDNS_SECTION_ANSWER, rr);
	return p;
}

static void
seen_from(const struct srv_zone *z, struct srv_seen *q, const char *qname,
    int qtype, ldns_pkt *pkt)
{
	memset(q, 0, sizeof(*q));
	q->qname = strdup(qname);
	q->qtype = qtype;
	q->serial = -1;
	q->done = 1;
	if (pkt == NULL) {
		q->state = PROBE_TIMEOUT;
		return;
	}
	q->state = PROBE_ANSWER;
	seen_take(z, q, pkt);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* No lookups: none of the zone's was cut short by a deadline. */
	static struct servers	 none;
	struct srv_zone		*z;
	struct lookup		 l;
	struct resolve_answer	 a;
	struct query		 qy;
	ldns_pkt		*pkt = NULL, *pkt2 = NULL;
	ldns_rr			*key = NULL;
	char			 apex[256];

	if (ldns_wire2pkt(&pkt, data, size) != LDNS_STATUS_OK)
		return 0;

	/* probe: the answer to our question, or not? */
	memset(&qy, 0, sizeof(qy));
	qy.id = ldns_pkt_id(pkt);
	qy.qtype = 257;
	qy.qname = ldns_dname_new_frm_str("example.");
	(void)is_answer(&qy, pkt);
	ldns_rdf_deep_free(qy.qname);

	/* servers: the zone a SOA answer names. */
	memset(&l, 0, sizeof(l));
	memset(&a, 0, sizeof(a));
	a.state = RESOLVE_DONE;
	a.packet = (uint8_t *)data;
	a.packetlen = size;
	l.done = 1;
	l.ans = &a;
	(void)zone_from_soa(&l, "www.example", apex, sizeof(apex));
	/*
	 * servers: the zone a CAA answer names (SOA or signer), and the
	 * RRsets a secure one proves (kept for the analysis below: the
	 * same bytes from a server then skip the signature check).
	 */
	a.dnssec = RESOLVE_SECURE;
	if ((pkt2 = answer_pkt(&a)) != NULL) {
		prove(&none, pkt2);
		zone_in_pkt(pkt2, "www.example", 257, apex, sizeof(apex));
		ldns_pkt_free(pkt2);
		pkt2 = NULL;
	}

	/* servers: the analysis, one server sending this, one healthy. */
	if (ldns_wire2pkt(&pkt2, data, size) != LDNS_STATUS_OK) {
		ldns_pkt_free(pkt);
		return 0;
	}
	z = calloc(1, sizeof(*z));
	z->apex = strdup("example");
	z->parent = strdup("com");
	z->priv = calloc(1, sizeof(struct zpriv));
	/* Half the inputs with what the resolver proved, half without. */
	if (size & 2)
		((struct zpriv *)z->priv)->s = &none;
	(void)zone_add_name(z, "example", 257);
	(void)push(&z->child_ns, &z->nchild, "ns1.example.net");
	(void)push(&z->parent_ns, &z->nparent, "ns2.example.net");
	z->parent_known = 1;
	z->secure = size & 1;
	if (z->secure && ldns_rr_new_frm_str(&key, key_str, 300, NULL, NULL) ==
	    LDNS_STATUS_OK) {
		z->dnskeys = ldns_rr_list_new();
		ldns_rr_list_push_rr(z->dnskeys, key);
	}
	z->servers = calloc(2, sizeof(*z->servers));
	z->nservers = 2;
	z->servers[0].host = strdup("ns1.example.net");
	z->servers[0].addr = strdup("192.0.2.1");
	z->servers[1].host = strdup("ns2.example.net");
	z->servers[1].addr = strdup("192.0.2.2");
	seen_from(z, &z->servers[0].soa, "example", 6, pkt);
	z->servers[0].q = calloc(1, sizeof(struct srv_seen));
	z->servers[0].nq = 1;
	seen_from(z, &z->servers[0].q[0], "example", 257, pkt2);
	seen_from(z, &z->servers[1].soa, "example", 6, good("example. 300 IN SOA "
	    "ns1.example.net. h.example. 7 3600 900 604800 300", 0));
	z->servers[1].q = calloc(1, sizeof(struct srv_seen));
	z->servers[1].nq = 1;
	seen_from(z, &z->servers[1].q[0], "example", 257, good("example. 300 IN "
	    "CAA 0 issue \"letsencrypt.org\"", 0));
	analyse_zone(&none, z);
	zone_free(z);
	proven_free(&none);
	return 0;
}
