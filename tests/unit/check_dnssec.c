/*
 * Unit tests for the per-server signature check: a zone key made at
 * test time signs the records; good, tampered, unsigned and expired
 * answers, and answers the validating resolver already proved.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <ldns/ldns.h>

#include "dnssec.h"

static ldns_key_list	*keys;
static ldns_rr		*dnskey;

/* A key for "example.", its signatures valid from inception to expiry. */
static void
make_key(time_t inception, time_t expiration)
{
	ldns_key	*k;

	k = ldns_key_new_frm_algorithm(LDNS_SIGN_ECDSAP256SHA256, 256);
	ck_assert_ptr_nonnull(k);
	ldns_key_set_pubkey_owner(k, ldns_dname_new_frm_str("example."));
	ldns_key_set_flags(k, 257);
	ldns_key_set_inception(k, (uint32_t)inception);
	ldns_key_set_expiration(k, (uint32_t)expiration);
	dnskey = ldns_key2rr(k);
	ck_assert_ptr_nonnull(dnskey);
	ldns_key_set_keytag(k, ldns_calc_keytag(dnskey));
	keys = ldns_key_list_new();
	ldns_key_list_push_key(keys, k);
}

static void
free_key(void)
{
	ldns_key_list_free(keys);
	ldns_rr_free(dnskey);
}

static ldns_rr *
rr(const char *s)
{
	ldns_rr	*r = NULL;

	ck_assert_int_eq(ldns_rr_new_frm_str(&r, s, 300, NULL, NULL),
	    LDNS_STATUS_OK);
	return r;
}

/*
 * An answer with the record signed (as signed) and then served as
 * served: a server that changed the record after signing sends a
 * signature over other data.  signed_as NULL: no signature at all.
 */
static ldns_pkt *
answer(const char *signed_as, const char *served)
{
	ldns_pkt	*p = ldns_pkt_new();
	ldns_rr_list	*set, *sigs;
	size_t		 i;

	ldns_pkt_set_qr(p, 1);
	ldns_pkt_set_aa(p, 1);
	ldns_pkt_push_rr(p, LDNS_SECTION_ANSWER, rr(served));
	if (signed_as != NULL) {
		set = ldns_rr_list_new();
		ldns_rr_list_push_rr(set, rr(signed_as));
		sigs = ldns_sign_public(set, keys);
		ck_assert_ptr_nonnull(sigs);
		for (i = 0; i < ldns_rr_list_rr_count(sigs); i++)
			ldns_pkt_push_rr(p, LDNS_SECTION_ANSWER,
			    ldns_rr_clone(ldns_rr_list_rr(sigs, i)));
		ldns_rr_list_deep_free(sigs);
		ldns_rr_list_deep_free(set);
	}
	return p;
}

static struct dnssec_zone *
zone(const struct dnssec_proven *proven)
{
	struct dnssec_zone	*z = dnssec_zone_new("example", proven);
	ldns_pkt		*k = ldns_pkt_new();

	ck_assert_ptr_nonnull(z);
	ck_assert_int_eq(dnssec_zone_ready(z), 0);
	ldns_pkt_push_rr(k, LDNS_SECTION_ANSWER, ldns_rr_clone(dnskey));
	ck_assert_int_eq(dnssec_zone_keys(z, k), 0);
	ck_assert_int_eq(dnssec_zone_ready(z), 1);
	ldns_pkt_free(k);
	return z;
}

#define CAA_LE	"example. CAA 0 issue \"letsencrypt.org\""
#define CAA_SE	"example. CAA 0 issue \"sectigo.com\""

struct scase {
	const char	*signed_as;
	const char	*served;
	int		 expired;
	int		 bad;		/* the check fails */
};

static const struct scase scases[] = {
	{ CAA_LE, CAA_LE, 0, 0 },
	{ CAA_LE, CAA_SE, 0, 1 },		/* changed after signing */
	{ NULL, CAA_LE, 0, 1 },			/* not signed */
	{ CAA_LE, CAA_LE, 1, 1 },		/* signature expired */
	/* Records outside the zone are not the zone's to sign. */
	{ NULL, "other. CAA 0 issue \"letsencrypt.org\"", 0, 0 },
};

START_TEST(test_check)
{
	const struct scase	*c = &scases[_i];
	time_t			 now = time(NULL);
	struct dnssec_zone	*z;
	ldns_pkt		*p;
	const char		*why;
	char			 what[128] = "";

	if (c->expired)
		make_key(now - 20 * 86400, now - 10 * 86400);
	else
		make_key(now - 86400, now + 86400);
	z = zone(NULL);
	p = answer(c->signed_as, c->served);
	why = dnssec_check(z, p, what, sizeof(what));
	if (!c->bad)
		ck_assert_msg(why == NULL, "case %d: %s", _i, why);
	else {
		ck_assert_msg(why != NULL, "case %d passed", _i);
		ck_assert_str_eq(what, "example. CAA");
	}
	/* A second server sending the same: the same verdict, remembered. */
	ck_assert_int_eq(dnssec_check(z, p, what, sizeof(what)) == NULL,
	    why == NULL);
	ldns_pkt_free(p);
	dnssec_zone_free(z);
	free_key();
}
END_TEST

/*
 * What the resolver proved is not checked again: the same RRset and
 * RRSIG from a server pass even though (here) no key of the zone can
 * verify them.  A different RRset is still checked.
 */
START_TEST(test_proven)
{
	time_t			 now = time(NULL);
	struct dnssec_proven	*pv = dnssec_proven_new();
	struct dnssec_zone	*z;
	ldns_pkt		*good, *other;
	char			 what[128];

	make_key(now - 86400, now + 86400);
	good = answer(CAA_LE, CAA_LE);
	ck_assert_int_eq(dnssec_prove(pv, good), 0);
	ck_assert_uint_eq(dnssec_proven_count(pv), 1);
	ck_assert_int_eq(dnssec_prove(pv, good), 0);
	ck_assert_uint_eq(dnssec_proven_count(pv), 1);
	free_key();
	/* The zone now holds another key: only the proof passes it. */
	make_key(now - 86400, now + 86400);
	z = zone(pv);
	ck_assert_ptr_null(dnssec_check(z, good, what, sizeof(what)));
	other = answer(CAA_SE, CAA_SE);
	ck_assert_ptr_null(dnssec_check(z, other, what, sizeof(what)));
	ldns_pkt_free(other);
	dnssec_zone_free(z);
	z = dnssec_zone_new("example", NULL);
	/* No keys yet: nothing can be said. */
	ck_assert_ptr_null(dnssec_check(z, good, what, sizeof(what)));
	dnssec_zone_free(z);
	z = zone(NULL);
	ck_assert_ptr_nonnull(dnssec_check(z, good, what, sizeof(what)));
	dnssec_zone_free(z);
	ldns_pkt_free(good);
	dnssec_proven_free(pv);
	free_key();
}
END_TEST

/*
 * A packet of the given records (ttl each) and one RRSIG, the signature
 * field's last byte changed by flip.
 */
static ldns_pkt *
served(const char *const *recs, size_t n, uint32_t ttl, const ldns_rr *sig,
    int flip)
{
	ldns_pkt	*p = ldns_pkt_new();
	ldns_rr		*r, *s = ldns_rr_clone(sig);
	ldns_rdf	*f = ldns_rr_rdf(s, 8);
	size_t		 i;

	ldns_pkt_set_qr(p, 1);
	ldns_pkt_set_aa(p, 1);
	for (i = 0; i < n; i++) {
		r = rr(recs[i]);
		ldns_rr_set_ttl(r, ttl);
		ldns_pkt_push_rr(p, LDNS_SECTION_ANSWER, r);
	}
	ldns_rdf_data(f)[ldns_rdf_size(f) - 1] ^= (uint8_t)flip;
	ldns_pkt_push_rr(p, LDNS_SECTION_ANSWER, s);
	return p;
}

/*
 * The records signed with one key and proved as the resolver's answer;
 * then the zone holds another key, so that only the proof can pass
 * them.  Returns the RRSIG (with its list, for the caller to free).
 */
static ldns_rr_list *
proved(struct dnssec_proven *pv, const char *const *recs, size_t n)
{
	time_t		 now = time(NULL);
	ldns_rr_list	*set = ldns_rr_list_new(), *sigs;
	ldns_pkt	*p;
	size_t		 i;

	make_key(now - 86400, now + 86400);
	for (i = 0; i < n; i++)
		ldns_rr_list_push_rr(set, rr(recs[i]));
	sigs = ldns_sign_public(set, keys);
	ck_assert_ptr_nonnull(sigs);
	ldns_rr_list_deep_free(set);
	p = served(recs, n, 300, ldns_rr_list_rr(sigs, 0), 0);
	ck_assert_int_eq(dnssec_prove(pv, p), 0);
	ck_assert_uint_eq(dnssec_proven_count(pv), 1);
	ldns_pkt_free(p);
	free_key();
	make_key(now - 86400, now + 86400);
	return sigs;
}

/* Does a server's answer of these records pass?  what says if not. */
static int
passes(struct dnssec_zone *z, const char *const *recs, size_t n,
    uint32_t ttl, const ldns_rr_list *sigs, int flip, char *what,
    size_t size)
{
	ldns_pkt	*p = served(recs, n, ttl, ldns_rr_list_rr(sigs, 0), flip);
	int		 ok = dnssec_check(z, p, what, size) == NULL;

	ldns_pkt_free(p);
	return ok;
}

/*
 * What counts in a proof: a second server's RRset passes as proven with
 * other TTLs, its owner in other case and its records in another order;
 * not with one record changed or missing, nor with another signature.
 */
START_TEST(test_proven_same)
{
	static const char *const set2[] = {
		"example. CAA 0 issue \"letsencrypt.org\"",
		"example. CAA 0 issuewild \";\"",
	}, *reordered[] = {
		"EXAMPLE. CAA 0 issuewild \";\"",
		"Example. CAA 0 issue \"letsencrypt.org\"",
	}, *changed[] = {
		"example. CAA 0 issue \"letsencrypt.org\"",
		"example. CAA 0 issuewild \"sectigo.com\"",
	};
	struct dnssec_proven	*pv = dnssec_proven_new();
	ldns_rr_list		*sigs = proved(pv, set2, 2);
	struct dnssec_zone	*z = zone(pv);
	char			 what[128];

	ck_assert(passes(z, reordered, 2, 60, sigs, 0, what, sizeof(what)));
	ck_assert(!passes(z, changed, 2, 300, sigs, 0, what, sizeof(what)));
	ck_assert(!passes(z, set2, 1, 300, sigs, 0, what, sizeof(what)));
	ck_assert(!passes(z, set2, 2, 300, sigs, 1, what, sizeof(what)));
	dnssec_zone_free(z);
	ldns_rr_list_deep_free(sigs);
	dnssec_proven_free(pv);
	free_key();
}
END_TEST

/* An RRset of 20 long records: the same rules past the small buffers. */
START_TEST(test_proven_large)
{
	char			 text[20][200], what[128];
	const char		*recs[20], *rev[20];
	struct dnssec_proven	*pv = dnssec_proven_new();
	struct dnssec_zone	*z;
	ldns_rr_list		*sigs;
	size_t			 i;

	for (i = 0; i < 20; i++) {
		(void)snprintf(text[i], sizeof(text[i]), "example. TXT \"%02zu "
		    "%0150d\"", i, 0);
		recs[i] = text[i];
		rev[19 - i] = text[i];
	}
	sigs = proved(pv, recs, 20);
	z = zone(pv);
	ck_assert(passes(z, rev, 20, 60, sigs, 0, what, sizeof(what)));
	text[7][20] = '1';
	ck_assert(!passes(z, recs, 20, 300, sigs, 0, what, sizeof(what)));
	ck_assert_str_eq(what, "example. TXT");
	dnssec_zone_free(z);
	ldns_rr_list_deep_free(sigs);
	dnssec_proven_free(pv);
	free_key();
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("dnssec");
	TCase	*tc = tcase_create("dnssec");
	SRunner	*sr;
	int	 failed;

	tcase_add_loop_test(tc, test_check, 0,
	    sizeof(scases) / sizeof(scases[0]));
	tcase_add_test(tc, test_proven);
	tcase_add_test(tc, test_proven_same);
	tcase_add_test(tc, test_proven_large);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
