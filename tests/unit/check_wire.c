/*
 * Unit tests for reading messages: zones, NS sets, summaries, and the
 * answer to our question; packets built by hand with libldns.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <ldns/ldns.h>

#include "wire.h"

#define MAXRR	4

/* A response with these records in the answer and authority sections. */
static ldns_pkt *
pkt(int rcode, const char *const *ans, const char *const *auth)
{
	ldns_pkt	*p = ldns_pkt_new();
	ldns_rr		*rr;
	size_t		 i;

	ck_assert_ptr_nonnull(p);
	ldns_pkt_set_qr(p, 1);
	ldns_pkt_set_aa(p, 1);
	ldns_pkt_set_rcode(p, (uint8_t)rcode);
	for (i = 0; ans != NULL && i < MAXRR && ans[i] != NULL; i++) {
		ck_assert_int_eq(ldns_rr_new_frm_str(&rr, ans[i], 300, NULL,
		    NULL), LDNS_STATUS_OK);
		ldns_pkt_push_rr(p, LDNS_SECTION_ANSWER, rr);
	}
	for (i = 0; auth != NULL && i < MAXRR && auth[i] != NULL; i++) {
		ck_assert_int_eq(ldns_rr_new_frm_str(&rr, auth[i], 300, NULL,
		    NULL), LDNS_STATUS_OK);
		ldns_pkt_push_rr(p, LDNS_SECTION_AUTHORITY, rr);
	}
	return p;
}

#define SOA(o)	o " SOA ns.example. h.example. 42 3600 900 604800 300"
#define SIG(o, t, signer) o " RRSIG " t " 13 2 300 20300101000000 " \
	"20200101000000 12345 " signer " AAAA"

struct zcase {
	const char	*qname;
	int		 rcode;
	const char	*ans[MAXRR];
	const char	*auth[MAXRR];
	enum wire_zone	 soa;		/* wire_zone_from_soa() */
	const char	*soa_apex;
	const char	*caa_apex;	/* wire_zone_in_pkt(), CAA */
};

static const struct zcase zcases[] = {
	/* The SOA at the name itself: it is the apex. */
	{ "example", 0, { SOA("example."), NULL }, { NULL }, WIRE_ZONE_FOUND,
	    "example", "" },
	/* NODATA: the SOA in the authority section names the zone. */
	{ "www.example", 0, { NULL }, { SOA("Example."), NULL },
	    WIRE_ZONE_FOUND, "example", "example" },
	{ "www.example", 3, { NULL }, { SOA("example."), NULL },
	    WIRE_ZONE_FOUND, "example", "example" },
	/* An alias: the zone is a parent's. */
	{ "www.example", 0, { "www.example. CNAME other.example.", NULL },
	    { NULL }, WIRE_ZONE_ALIAS, "", "" },
	{ "www.example", 0, { "example. DNAME other.", "www.example. CNAME "
	    "www.other.", NULL }, { NULL }, WIRE_ZONE_ALIAS, "", "" },
	/* A signed CAA answer names its signer. */
	{ "www.example", 0, { "www.example. CAA 0 issue \"ca.example\"",
	    SIG("www.example.", "CAA", "example."), NULL }, { NULL },
	    WIRE_ZONE_ALIAS, "", "example" },
	/* A signer that is not above the name says nothing. */
	{ "www.example", 0, { "www.example. CAA 0 issue \"ca.example\"",
	    SIG("www.example.", "CAA", "elsewhere."), NULL }, { NULL },
	    WIRE_ZONE_ALIAS, "", "" },
	/* Nothing at all. */
	{ "www.example", 2, { NULL }, { NULL }, WIRE_ZONE_FAIL, "", "" },
};

START_TEST(test_zone)
{
	const struct zcase	*c = &zcases[_i];
	ldns_pkt		*p = pkt(c->rcode, c->ans, c->auth);
	char			 apex[256] = "";

	ck_assert_int_eq(wire_zone_from_soa(p, c->qname, apex, sizeof(apex)),
	    c->soa);
	if (c->soa == WIRE_ZONE_FOUND)
		ck_assert_str_eq(apex, c->soa_apex);
	wire_zone_in_pkt(p, c->qname, 257, apex, sizeof(apex));
	ck_assert_str_eq(apex, c->caa_apex);
	ldns_pkt_free(p);
}
END_TEST

START_TEST(test_ns)
{
	const char *const	 auth[] = { "example. NS b.ns.net.",
	    "example. NS a.ns.net.", "other. NS c.ns.net.", NULL };
	const char *const	 ans[] = { "example. NS a.ns.net.", NULL };
	ldns_pkt		*p = pkt(0, NULL, auth), *q = pkt(0, ans, NULL);
	char			**v = NULL;
	size_t			 n = 0;

	/* A referral's NS set, each name once, other owners left out. */
	ck_assert_int_eq(wire_ns_names(p, "example", 1, &v, &n), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(v[0], "b.ns.net");
	ck_assert_str_eq(v[1], "a.ns.net");
	ck_assert_int_eq(wire_ns_names(q, "example", 1, &v, &n), 0);
	ck_assert_uint_eq(n, 2);
	wire_strv_free(v, n);
	/* Not a referral: the authority section is not read. */
	v = NULL;
	n = 0;
	ck_assert_int_eq(wire_ns_names(p, "example", 0, &v, &n), 0);
	ck_assert_uint_eq(n, 0);
	wire_strv_free(v, n);
	ldns_pkt_free(p);
	ldns_pkt_free(q);
}
END_TEST

START_TEST(test_summary)
{
	const char *const	 ans[] = {
	    "example. CAA 0 issuewild \"b.example\"",
	    "example. CAA 0 issue \"a.example\"",
	    SIG("example.", "CAA", "example."), SOA("example.") };
	const char *const	 auth[] = { SOA("example."), NULL };
	ldns_pkt		*p = pkt(0, ans, NULL), *q = pkt(3, NULL, auth);
	struct wire_summary	 s;

	ck_assert_int_eq(wire_summarise(p, 257, &s), 0);
	ck_assert_int_eq(s.rcode, 0);
	ck_assert_int_eq(s.aa, 1);
	ck_assert_int_eq(s.soa_in_auth, 0);
	ck_assert_int_eq(s.serial, 42);
	/* Sorted, RRSIG and SOA left out. */
	ck_assert_uint_eq(s.nrecords, 2);
	ck_assert_str_eq(s.records[0], "CAA 0 issue \"a.example\"");
	ck_assert_str_eq(s.records[1], "CAA 0 issuewild \"b.example\"");
	/* The RDATA of the records of the type asked, in wire form. */
	ck_assert_uint_eq(s.nrdata, 2);
	ck_assert_uint_eq(s.rdlen[1], 2 + 5 + 9);
	ck_assert_int_eq(memcmp(s.rdata[1], "\0\5issuea.example", 16), 0);
	wire_summary_clear(&s);
	ck_assert_int_eq(wire_summarise(q, 257, &s), 0);
	ck_assert_int_eq(s.rcode, 3);
	ck_assert_int_eq(s.soa_in_auth, 1);
	ck_assert_int_eq(s.serial, -1);
	ck_assert_uint_eq(s.nrecords, 0);
	wire_summary_clear(&s);
	ldns_pkt_free(p);
	ldns_pkt_free(q);
}
END_TEST

/* A parent's referral: the child's apex, its NS set and their glue. */
START_TEST(test_referral)
{
	const char *const	 auth[] = { "broken.example. NS ns1.broken.example.",
	    "broken.example. NS ns.elsewhere.net.", NULL };
	const char *const	 ans[] = { SOA("example."), NULL };
	ldns_pkt		*p = pkt(0, NULL, auth), *q;
	ldns_rr			*rr = NULL;
	char			 apex[256], **ns = NULL, **gh = NULL, **ga = NULL;
	size_t			 nns = 0, ng = 0;

	ldns_pkt_set_aa(p, 0);
	ck_assert_int_eq(ldns_rr_new_frm_str(&rr, "ns1.broken.example. A "
	    "192.0.2.53", 300, NULL, NULL), LDNS_STATUS_OK);
	ldns_pkt_push_rr(p, LDNS_SECTION_ADDITIONAL, rr);
	ck_assert_int_eq(wire_referral(p, "www.broken.example", "example", apex,
	    sizeof(apex), &ns, &nns, &gh, &ga, &ng), 0);
	ck_assert_str_eq(apex, "broken.example");
	ck_assert_uint_eq(nns, 2);
	ck_assert_str_eq(ns[0], "ns1.broken.example");
	ck_assert_uint_eq(ng, 1);
	ck_assert_str_eq(gh[0], "ns1.broken.example");
	ck_assert_str_eq(ga[0], "192.0.2.53");
	wire_strv_free(ns, nns);
	wire_strv_free(gh, ng);
	wire_strv_free(ga, ng);
	/* Not a referral: not below the parent, or an authoritative answer. */
	ns = gh = ga = NULL;
	nns = ng = 0;
	ck_assert_int_eq(wire_referral(p, "www.broken.example",
	    "broken.example", apex, sizeof(apex), &ns, &nns, &gh, &ga, &ng), 1);
	q = pkt(0, ans, NULL);
	ck_assert_int_eq(wire_referral(q, "www.broken.example", "example", apex,
	    sizeof(apex), &ns, &nns, &gh, &ga, &ng), 1);
	ck_assert_uint_eq(nns, 0);
	ldns_pkt_free(p);
	ldns_pkt_free(q);
}
END_TEST

START_TEST(test_is_answer)
{
	ldns_pkt	*p = NULL;
	ldns_rdf	*name = ldns_dname_new_frm_str("Example.");
	ldns_rdf	*other = ldns_dname_new_frm_str("other.");

	ck_assert_int_eq(ldns_pkt_query_new_frm_str(&p, "example.",
	    LDNS_RR_TYPE_CAA, LDNS_RR_CLASS_IN, 0), LDNS_STATUS_OK);
	ldns_pkt_set_id(p, 4711);
	ck_assert_int_eq(wire_is_answer(p, 4711, name, 257), 0); /* no QR */
	ldns_pkt_set_qr(p, 1);
	ck_assert_int_eq(wire_is_answer(p, 4711, name, 257), 1);
	ck_assert_int_eq(wire_is_answer(p, 4712, name, 257), 0);
	ck_assert_int_eq(wire_is_answer(p, 4711, name, 16), 0);
	ck_assert_int_eq(wire_is_answer(p, 4711, other, 257), 0);
	ldns_rdf_deep_free(name);
	ldns_rdf_deep_free(other);
	ldns_pkt_free(p);
}
END_TEST

/* The query libldns builds with the same settings, in wire form. */
static uint8_t *
ldns_query(const char *name, int qtype, uint16_t id, size_t *len)
{
	ldns_pkt		*p;
	ldns_edns_option_list	*opts = ldns_edns_option_list_new();
	uint8_t			*w = NULL;

	p = ldns_pkt_query_new(ldns_dname_new_frm_str(name),
	    (ldns_rr_type)qtype, LDNS_RR_CLASS_IN, 0);
	ck_assert_ptr_nonnull(p);
	ldns_pkt_set_id(p, id);
	ldns_pkt_set_rd(p, 0);
	ldns_pkt_set_edns_udp_size(p, 4096);
	ldns_pkt_set_edns_do(p, 1);
	ck_assert(ldns_edns_option_list_push(opts,
	    ldns_edns_new_from_data(LDNS_EDNS_NSID, 0, "")));
	ldns_pkt_set_edns_option_list(p, opts);
	ck_assert_int_eq(ldns_pkt2wire(&w, p, len), LDNS_STATUS_OK);
	ldns_pkt_free(p);
	return w;
}

/* Byte for byte what libldns makes of the same query, and it parses. */
START_TEST(test_query)
{
	static const struct {
		const char	*name;
		int		 qtype;
		uint16_t	 id;
	} c[] = {
		{ "Example.COM.", 257, 0 },
		{ "_acme-challenge.www.example.", 16, 4711 },
		{ ".", 48, 65535 },
		{ "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.caatest.", 6, 0x8001 }
	};
	size_t		 i, len, llen;
	uint8_t		*w, *lw;
	ldns_rdf	*name;
	ldns_pkt	*p = NULL;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		name = ldns_dname_new_frm_str(c[i].name);
		w = wire_query(name, c[i].qtype, c[i].id, &len);
		ck_assert_ptr_nonnull(w);
		lw = ldns_query(c[i].name, c[i].qtype, c[i].id, &llen);
		ck_assert_uint_eq(len, llen);
		ck_assert_mem_eq(w, lw, len);
		ck_assert_int_eq(ldns_wire2pkt(&p, w, len), LDNS_STATUS_OK);
		ck_assert_uint_eq(ldns_pkt_id(p), c[i].id);
		ck_assert(!ldns_pkt_rd(p) && ldns_pkt_edns_do(p));
		ck_assert_uint_eq(ldns_pkt_edns_udp_size(p), 4096);
		ldns_pkt_free(p);
		p = NULL;
		free(lw);
		free(w);
		ldns_rdf_deep_free(name);
	}
	ck_assert_ptr_null(wire_query(NULL, 257, 1, &len));
	name = ldns_rdf_new_frm_str(LDNS_RDF_TYPE_A, "192.0.2.1");
	ck_assert_ptr_null(wire_query(name, 257, 1, &len));
	ldns_rdf_deep_free(name);
}
END_TEST

/* wire_rdf_name() writes what libldns writes, for any bytes in labels. */
START_TEST(test_rdf_name)
{
	uint8_t		 d[LDNS_MAX_DOMAINLEN + 1];
	char		 fast[1100], slow[1100], small[12], *t;
	ldns_rdf	*rdf;
	size_t		 n, len, i;
	unsigned	 seed = 7, round;

	for (round = 0; round < 20000; round++) {
		/* Labels of 1 to 12 random bytes, any byte from 0 to 255. */
		n = 0;
		do {
			len = 1 + rand_r(&seed) % 12;
			d[n++] = (uint8_t)len;
			for (i = 0; i < len; i++)
				d[n++] = (uint8_t)(round % 3 == 0 ?
				    rand_r(&seed) : 'A' + rand_r(&seed) % 60);
		} while (n < 200 && rand_r(&seed) % 4 != 0);
		d[n++] = 0;
		rdf = ldns_rdf_new_frm_data(LDNS_RDF_TYPE_DNAME, n, d);
		ck_assert_ptr_nonnull(rdf);
		t = ldns_rdf2str(rdf);
		ck_assert_ptr_nonnull(t);
		wire_norm(t, slow, sizeof(slow));
		wire_rdf_name(rdf, fast, sizeof(fast));
		ck_assert_str_eq(fast, slow);
		/* Cut short the same way. */
		wire_norm(t, slow, sizeof(small));
		wire_rdf_name(rdf, small, sizeof(small));
		ck_assert_str_eq(small, slow);
		free(t);
		ldns_rdf_deep_free(rdf);
	}
	/* The root, and a name with an escaped dot and a space. */
	rdf = ldns_dname_new_frm_str(".");
	wire_rdf_name(rdf, fast, sizeof(fast));
	ck_assert_str_eq(fast, ".");
	ldns_rdf_deep_free(rdf);
	rdf = ldns_rdf_new_frm_data(LDNS_RDF_TYPE_DNAME, 10,
	    "\003a.B\004c d\\\000");
	wire_rdf_name(rdf, fast, sizeof(fast));
	ck_assert_str_eq(fast, "a\\.b.c\\032d\\\\");
	ldns_rdf_deep_free(rdf);
	/* Not a name: libldns's own text. */
	rdf = ldns_native2rdf_int16(LDNS_RDF_TYPE_INT16, 257);
	wire_rdf_name(rdf, fast, sizeof(fast));
	ck_assert_str_eq(fast, "257");
	ldns_rdf_deep_free(rdf);
}
END_TEST

START_TEST(test_fields)
{
	ldns_rr		*rr = ldns_rr_new_frm_type(LDNS_RR_TYPE_RRSIG);
	char		 out[8];

	/* An RRSIG without fields: no covered type, no signer. */
	ck_assert_ptr_nonnull(rr);
	ck_assert_int_eq(wire_covered(rr), 0);
	ck_assert_ptr_null(wire_field(rr, 7, LDNS_RDF_TYPE_DNAME, 0));
	wire_rdf_name(NULL, out, sizeof(out));
	ck_assert_str_eq(out, "");
	wire_norm("WWW.Example.", out, sizeof(out));
	ck_assert_str_eq(out, "www.exa");
	ck_assert_ptr_null(wire_parse((const uint8_t *)"\1\2\3", 3));
	ldns_rr_free(rr);
}
END_TEST

/* SPEC 5.7: the earliest signature of an answer, or of its denial. */
START_TEST(test_rrsig_expiry)
{
	static const char *const ans[] = {
	    "www.example. CAA 0 issue \"ca.example\"",
	    "www.example. RRSIG CAA 13 2 300 20301231000000 20200101000000 "
	    "1 Example. AAAA",
	    NULL };
	static const char *const auth[] = {
	    "example. NSEC z.example. CAA RRSIG NSEC",
	    "example. RRSIG NSEC 13 1 300 20300601000000 20200101000000 1 "
	    "example. AAAA",
	    NULL };
	ldns_pkt	*p;
	uint8_t		*w;
	size_t		 len;
	time_t		 t, now = 1893456000;	/* 2030-01-01 */
	char		 signer[64];

	p = pkt(0, ans, auth);
	ck_assert_int_eq(ldns_pkt2wire(&w, p, &len), LDNS_STATUS_OK);
	ck_assert_int_eq(wire_rrsig_expiry(w, len, now, &t, signer,
	    sizeof(signer)), 1);
	ck_assert_int_eq((long long)t, 1906502400LL);	/* 2030-06-01 */
	ck_assert_str_eq(signer, "example");
	/* Read as serial arithmetic near now: past 2106 too. */
	ck_assert_int_eq(wire_rrsig_expiry(w, len, now + 4294967296LL, &t,
	    signer, sizeof(signer)), 1);
	ck_assert_int_eq((long long)t, 1906502400LL + 4294967296LL);
	free(w);
	/* Only the RRSIGs over one type: the CAA set's. */
	ck_assert_int_eq(wire_rrsig_min(p, now, LDNS_RR_TYPE_CAA, &t, signer,
	    sizeof(signer)), 1);
	ck_assert_int_eq((long long)t, 1924905600LL);	/* 2030-12-31 */
	ck_assert_int_eq(wire_rrsig_min(p, now, LDNS_RR_TYPE_DS, &t, signer,
	    sizeof(signer)), 0);
	ldns_pkt_free(p);
	/* Unsigned, or not a message: none. */
	p = pkt(0, ans, NULL);
	ldns_rr_free(ldns_rr_list_pop_rr(ldns_pkt_answer(p)));
	ldns_pkt_set_ancount(p, 1);
	ck_assert_int_eq(ldns_pkt2wire(&w, p, &len), LDNS_STATUS_OK);
	ck_assert_int_eq(wire_rrsig_expiry(w, len, now, &t, signer,
	    sizeof(signer)), 0);
	free(w);
	ldns_pkt_free(p);
	ck_assert_int_eq(wire_rrsig_expiry((const uint8_t *)"\1", 1, now, &t,
	    signer, sizeof(signer)), 0);
}
END_TEST

/* The wire of a response to qname/qtype with these answer records. */
static uint8_t *
answer_wire(const char *qname, ldns_rr_type qtype, const char *const *ans,
    size_t *len)
{
	ldns_pkt	*p = pkt(0, ans, NULL);
	ldns_rr		*q = ldns_rr_new();
	ldns_rdf	*d = ldns_dname_new_frm_str(qname);
	uint8_t		*w = NULL;

	ck_assert_ptr_nonnull(q);
	ck_assert_ptr_nonnull(d);
	ldns_rr_set_owner(q, d);
	ldns_rr_set_type(q, qtype);
	ldns_rr_set_class(q, LDNS_RR_CLASS_IN);
	ldns_rr_set_question(q, true);
	ldns_pkt_push_rr(p, LDNS_SECTION_QUESTION, q);
	ck_assert_int_eq(ldns_pkt2wire(&w, p, len), LDNS_STATUS_OK);
	ldns_pkt_free(p);
	return w;
}

struct acase {
	const char	*qname;
	ldns_rr_type	 qtype;
	const char	*ans[MAXRR];
	int		 rc;
	const char	*canon;		/* NULL: none */
	size_t		 n;
	size_t		 rdlen0;	/* of the first RDATA */
};

/*
 * What libunbound's results hold, from its answer: the RDATA at the end
 * of the question's CNAME chain, the chain's end when it is not the
 * question (written as libunbound writes names), nothing of another
 * name, type or class.
 */
static const struct acase acases[] = {
	{ "x.example.", LDNS_RR_TYPE_CAA, { "x.example. CAA 0 issue \"ca.ex\"",
	    "x.example. CAA 0 iodef \"mailto:a@b.ex\"" }, 0, NULL, 2, 12 },
	/* Letter case is not a different name. */
	{ "X.Example.", LDNS_RR_TYPE_CAA, { "x.EXAMPLE. CAA 0 issue \"ca\"" },
	    0, NULL, 1, 9 },
	{ "www.example.", LDNS_RR_TYPE_CAA, { "www.example. CNAME a.Example.",
	    "a.example. CAA 0 issue \"ca\"" }, 0, "a.example.", 1, 9 },
	/* The chain's end without the type: the name, no data. */
	{ "www.example.", LDNS_RR_TYPE_CAA, { "www.example. CNAME a.example.",
	    "a.example. CNAME b.example." }, 0, "b.example.", 0, 0 },
	/* Records of another name or type are not the answer. */
	{ "x.example.", LDNS_RR_TYPE_TXT, { "y.example. TXT \"a\"",
	    "x.example. A 192.0.2.1" }, 0, NULL, 0, 0 },
	{ "x.example.", LDNS_RR_TYPE_A, { "x.example. A 192.0.2.1" }, 0, NULL,
	    1, 4 },
	/* libunbound writes a name's other bytes as '?'. */
	{ "www.example.", LDNS_RR_TYPE_TXT, { "www.example. CNAME a\\.b.ex.",
	    "a\\.b.ex. TXT \"t\"" }, 0, "a?b.ex.", 1, 2 },
};

START_TEST(test_answer)
{
	const struct acase	*c = &acases[_i];
	struct wire_answer	 a;
	uint8_t			*w;
	size_t			 len;

	w = answer_wire(c->qname, c->qtype, c->ans, &len);
	ck_assert_int_eq(wire_answer(w, len, &a), c->rc);
	ck_assert_uint_eq(a.n, c->n);
	if (c->canon == NULL)
		ck_assert_ptr_null(a.canon);
	else
		ck_assert_str_eq(a.canon, c->canon);
	if (c->n > 0)
		ck_assert_uint_eq(a.rdlen[0], c->rdlen0);
	wire_answer_clear(&a);
	/* Cut anywhere, it does not parse: SERVFAIL, as libunbound's. */
	ck_assert_int_eq(wire_answer(w, len - 1, &a), 1);
	ck_assert_uint_eq(a.n, 0);
	wire_answer_clear(&a);
	free(w);
}
END_TEST

/*
 * A record libldns refuses to parse (a CAA whose tag runs past its end)
 * is passed on as it lies, as libunbound passes it on: the CA's parser
 * then rejects it in the CA's words.
 */
START_TEST(test_answer_unparsed)
{
	static const uint8_t	 w[] = {
		0, 0, 0x84, 0, 0, 1, 0, 1, 0, 0, 0, 0,
		1, 'x', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0, 1, 1, 0, 1,
		0xc0, 12, 1, 1, 0, 1, 0, 0, 1, 44, 0, 4, 0, 9, 'i', 's' };
	struct wire_answer	 a;

	ck_assert_int_eq(wire_answer(w, sizeof(w), &a), 0);
	ck_assert_uint_eq(a.n, 1);
	ck_assert_uint_eq(a.rdlen[0], 4);
	ck_assert_int_eq(memcmp(a.rdata[0], "\0\x09is", 4), 0);
	ck_assert_ptr_null(a.canon);
	wire_answer_clear(&a);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("wire");
	TCase	*tc = tcase_create("wire");
	SRunner	*sr;
	int	 failed;

	tcase_add_loop_test(tc, test_zone, 0,
	    sizeof(zcases) / sizeof(zcases[0]));
	tcase_add_test(tc, test_ns);
	tcase_add_test(tc, test_summary);
	tcase_add_test(tc, test_is_answer);
	tcase_add_test(tc, test_query);
	tcase_add_test(tc, test_referral);
	tcase_add_test(tc, test_fields);
	tcase_add_test(tc, test_rdf_name);
	tcase_add_test(tc, test_rrsig_expiry);
	tcase_add_loop_test(tc, test_answer, 0,
	    sizeof(acases) / sizeof(acases[0]));
	tcase_add_test(tc, test_answer_unparsed);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
