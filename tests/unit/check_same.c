/*
 * Unit tests for the answers a zone's servers send byte for byte the
 * same: the first one taken in whole is kept while other servers are
 * still to answer; the same bytes under another ID are known, any other
 * byte is not; a server that sends them takes the first one's word and
 * its NSID; once every server has answered the bytes are dropped, and an
 * answer no other server is still to send is not kept at all.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <ldns/ldns.h>

#include "probe.h"
#include "servers_priv.h"
#include "zone.h"

#define T_SOA	6
#define T_CAA	257

/*
 * The answer to "CAA example." (ID 0x1234, QR AA), no record, with an
 * OPT record whose NSID is "ns-a".
 */
static const uint8_t answer_a[] = {
	0x12, 0x34, 0x84, 0x00, 0x00, 0x01, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x01,
	7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0, 0x01, 0x01, 0x00, 0x01,
	0, 0x00, 0x29, 0x10, 0x00, 0x00, 0x00, 0x80, 0x00, 0x00, 0x08,
	0x00, 0x03, 0x00, 0x04, 'n', 's', '-', 'a'
};

static struct servers	 s;
static struct szone	 sz;

/* A zone "example." with one name and two servers, nothing seen yet. */
static void
setup(void)
{
	size_t	 i;

	memset(&s, 0, sizeof(s));
	memset(&sz, 0, sizeof(sz));
	ck_assert_ptr_nonnull(sz.z = zone_new("example."));
	ck_assert_int_eq(zone_add_name(sz.z, "example.", T_CAA), 0);
	ck_assert_ptr_nonnull(sz.z->servers = calloc(2,
	    sizeof(*sz.z->servers)));
	sz.z->nservers = 2;
	for (i = 0; i < 2; i++) {
		struct zone_server *sv = &sz.z->servers[i];

		sv->host = strdup(i == 0 ? "ns-a.example." : "ns-b.example.");
		sv->addr = strdup(i == 0 ? "192.0.2.1" : "192.0.2.2");
		sv->soa.qname = strdup("example.");
		sv->soa.qtype = T_SOA;
		ck_assert_ptr_nonnull(sv->q = calloc(1, sizeof(*sv->q)));
		sv->nq = 1;
		sv->q[0].qname = strdup("example.");
		sv->q[0].qtype = T_CAA;
	}
}

static void
teardown(void)
{
	servers_same_free(&sz);
	zone_free(sz.z);
}

/* server's answer to qi: taken in whole (its records set), then kept. */
static void
take(size_t server, long qi, const uint8_t *wire, size_t len)
{
	struct probe_result	 r;
	struct zone_seen	*q = servers_seen_of(sz.z, server, qi);

	memset(&r, 0, sizeof(r));
	r.state = PROBE_ANSWER;
	ck_assert_int_eq(ldns_wire2pkt(&r.pkt, wire, len), LDNS_STATUS_OK);
	r.wire = wire;
	r.wirelen = len;
	q->state = ZONE_ANSWER;
	q->aa = 1;
	q->soa_in_auth = 1;
	q->sig_why = strdup("the RRSIG has expired");
	q->records = calloc(1, sizeof(*q->records));
	q->records[0] = strdup("example. 300 IN CAA 0 issue \"ca.example\"");
	q->nrecords = 1;
	servers_same_keep(&s, &sz, server, qi, &r);
	ldns_pkt_free(r.pkt);
}

/* Whether server's answer to qi, these bytes, is known. */
static int
known(size_t server, long qi, const uint8_t *wire, size_t len)
{
	struct ticket	 t = { &s, &sz, server, qi };

	return servers_same_answer(&t, wire, len);
}

START_TEST(test_known)
{
	uint8_t			 b[sizeof(answer_a)];
	struct zone_seen	*q;

	take(0, 0, answer_a, sizeof(answer_a));
	memcpy(b, answer_a, sizeof(b));
	b[0] = 0x56;				/* another ID */
	b[1] = 0x78;
	ck_assert_int_eq(known(1, 0, b, sizeof(b)), 1);
	/* One byte more, one less, or one other: not the same. */
	ck_assert_int_eq(known(1, 0, b, sizeof(b) - 1), 0);
	b[sizeof(b) - 1] = 'b';			/* NSID "ns-b" */
	ck_assert_int_eq(known(1, 0, b, sizeof(b)), 0);
	b[sizeof(b) - 1] = 'a';
	b[2] = 0x80;				/* no AA */
	ck_assert_int_eq(known(1, 0, b, sizeof(b)), 0);
	/* Another question, and the parents' queries, are never known. */
	ck_assert_int_eq(known(1, -1, answer_a, sizeof(answer_a)), 0);
	ck_assert_int_eq(known(1, -2, answer_a, sizeof(answer_a)), 0);
	/* The second server takes the first one's word, and its NSID. */
	servers_same_take(&s, &sz, 1, 0);
	ck_assert_int_eq(s.nomem, 0);
	q = servers_seen_of(sz.z, 1, 0);
	ck_assert_int_eq(q->aa, 1);
	ck_assert_int_eq(q->soa_in_auth, 1);
	ck_assert_uint_eq(q->nrecords, 1);
	ck_assert_str_eq(q->records[0],
	    "example. 300 IN CAA 0 issue \"ca.example\"");
	ck_assert_str_eq(q->sig_why, "the RRSIG has expired");
	ck_assert_str_eq(sz.z->servers[1].nsid, "ns-a");
	/* Both ended: the bytes are dropped. */
	servers_same_ended(&sz, 0);
	ck_assert_int_eq(known(1, 0, answer_a, sizeof(answer_a)), 1);
	servers_same_ended(&sz, 0);
	ck_assert_int_eq(known(1, 0, answer_a, sizeof(answer_a)), 0);
}
END_TEST

/* The other server's query ended first (no answer): nothing is kept. */
START_TEST(test_last)
{
	servers_same_ended(&sz, 0);
	take(1, 0, answer_a, sizeof(answer_a));
	ck_assert_int_eq(known(0, 0, answer_a, sizeof(answer_a)), 0);
	ck_assert_int_eq(s.nomem, 0);
}
END_TEST

int
main(void)
{
	Suite	*su = suite_create("same");
	TCase	*tc = tcase_create("same");
	SRunner	*sr;
	int	 failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_known);
	tcase_add_test(tc, test_last);
	suite_add_tcase(su, tc);
	sr = srunner_create(su);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
