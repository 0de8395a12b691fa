/*
 * Fuzz target: a nameserver's response, through the modules that read
 * it: what a resolver's answer holds, is it the answer to our question,
 * what zone does a SOA or CAA answer name, what a secure resolver
 * answer proves (wire, dnssec), and
 * the whole SPEC 5.3 analysis (records, serials, rcodes, DNSSEC
 * signatures against a zone key or proven by the resolver) of a zone
 * whose server sent it (zone).  Only the modules' headers are used.
 */
#include <stdlib.h>
#include <string.h>

#include <ldns/ldns.h>

#include "caa.h"
#include "dnssec.h"
#include "wire.h"
#include "zone.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *key_str = "example. 300 IN DNSKEY 257 3 13 "
    "kXKkvWU3vGYfTJGl3qBd4qhiWp5aRs7YtkCJxD2d+t7KXqwahww5IgJtxJT2yFItlggazyf"
    "XqJEVOmMJ3qT0tQ==";

static ldns_pkt *
good(const char *rrs)
{
	ldns_pkt	*p = ldns_pkt_new();
	ldns_rr		*rr = NULL;

	ldns_pkt_set_qr(p, 1);
	ldns_pkt_set_aa(p, 1);
	if (ldns_rr_new_frm_str(&rr, rrs, 300, NULL, NULL) == LDNS_STATUS_OK)
		ldns_pkt_push_rr(p, LDNS_SECTION_ANSWER, rr);
	return p;
}

/* What servers keeps of an answer, as it keeps it. */
static void
seen_from(struct dnssec_zone *dz, struct zone_seen *q, const char *qname,
    int qtype, const ldns_pkt *pkt)
{
	struct wire_summary	 w;
	const char		*why;
	char			 what[512];

	memset(q, 0, sizeof(*q));
	q->qname = strdup(qname);
	q->qtype = qtype;
	q->serial = -1;
	if (pkt == NULL) {
		q->state = ZONE_TIMEOUT;
		return;
	}
	q->state = ZONE_ANSWER;
	(void)wire_summarise(pkt, qtype, &w);
	q->rcode = w.rcode;
	q->aa = w.aa;
	q->soa_in_auth = w.soa_in_auth;
	q->serial = w.serial;
	q->records = w.records;
	q->nrecords = w.nrecords;
	q->rdata = w.rdata;
	q->rdlen = w.rdlen;
	q->nrdata = w.nrdata;
	if (dz != NULL && (why = dnssec_check(dz, pkt, what,
	    sizeof(what))) != NULL) {
		q->sig_why = strdup(why);
		q->sig_what = strdup(what);
	}
}

static void
server(struct zone *z, size_t i, const char *host, const char *addr,
    struct dnssec_zone *dz, const ldns_pkt *soa, const ldns_pkt *caa)
{
	struct zone_server *sv = &z->servers[i];

	sv->host = strdup(host);
	sv->addr = strdup(addr);
	seen_from(dz, &sv->soa, "example", 6, soa);
	sv->q = calloc(1, sizeof(struct zone_seen));
	sv->nq = 1;
	seen_from(dz, &sv->q[0], "example", 257, caa);
}

/* A judge that parses each server's CAA records, as the check's does. */
static int
same(void *arg, const char *qname, int qtype, const struct zone_seen *a,
    const struct zone_seen *b)
{
	struct caa_record	 r;
	const char		*why;
	size_t			 i;
	int			 bad = 0;

	(void)arg;
	(void)qname;
	for (i = 0; qtype == 257 && i < a->nrdata + b->nrdata; i++) {
		const struct zone_seen *q = i < a->nrdata ? a : b;
		size_t k = i < a->nrdata ? i : i - a->nrdata;

		if (caa_record_parse(q->rdata[k], q->rdlen[k], &r, &why) == -1)
			bad = 1;
		else
			caa_record_clear(&r);
	}
	return !bad;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct zone_judge judge = { same, NULL };
	struct dnssec_proven	*proven;
	struct dnssec_zone	*dz = NULL;
	struct zone		*z;
	struct zone_cut		 cut = { 0, NULL };
	ldns_pkt		*pkt, *keys, *soa, *caa;
	ldns_rdf		*qname;
	char			 apex[256], **ns = NULL;
	size_t			 nns = 0;
	struct wire_answer	 wa;

	/* resolve: a lookup's answer as libunbound's results hold it (read
	 * as it lies, before and whatever libldns makes of it). */
	(void)wire_answer(data, size, &wa);
	wire_answer_clear(&wa);
	if ((pkt = wire_parse(data, size)) == NULL)
		return 0;

	/* probe: the answer to our question, or not? */
	qname = ldns_dname_new_frm_str("example.");
	(void)wire_is_answer(pkt, ldns_pkt_id(pkt), qname, 257);
	ldns_rdf_deep_free(qname);

	/* servers: the zone a SOA or CAA answer names, a referral's NS. */
	(void)wire_zone_from_soa(pkt, "www.example", apex, sizeof(apex));
	wire_zone_in_pkt(pkt, "www.example", 257, apex, sizeof(apex));
	(void)wire_ns_names(pkt, "example", 1, &ns, &nns);
	wire_strv_free(ns, nns);

	/*
	 * dnssec: what a secure resolver answer proves; half the inputs
	 * then meet their own bytes from a server and skip the check.
	 */
	proven = dnssec_proven_new();
	if (size & 2)
		(void)dnssec_prove(proven, pkt);
	if (size & 1) {
		keys = good(key_str);
		dz = dnssec_zone_new("example", proven);
		(void)dnssec_zone_keys(dz, keys);
		ldns_pkt_free(keys);
	}

	/* zone: the analysis, one server sending this, one healthy. */
	z = zone_new("example");
	z->parent = strdup("com");
	z->secure = dz != NULL;
	(void)zone_add_name(z, "example", 257);
	(void)wire_strv_push(&z->child_ns, &z->nchild, "ns1.example.net");
	(void)wire_strv_push(&z->parent_ns, &z->nparent, "ns2.example.net");
	z->parent_known = 1;
	z->servers = calloc(2, sizeof(*z->servers));
	z->nservers = 2;
	server(z, 0, "ns1.example.net", "192.0.2.1", dz, pkt, pkt);
	soa = good("example. 300 IN SOA ns1.example.net. h.example. 7 3600 "
	    "900 604800 300");
	caa = good("example. 300 IN CAA 0 issue \"letsencrypt.org\"");
	server(z, 1, "ns2.example.net", "192.0.2.2", dz, soa, caa);
	(void)zone_analyse(z, &cut, size & 4 ? &judge : NULL);
	zone_free(z);
	ldns_pkt_free(soa);
	ldns_pkt_free(caa);
	ldns_pkt_free(pkt);
	dnssec_zone_free(dz);
	dnssec_proven_free(proven);
	return 0;
}
