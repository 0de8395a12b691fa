/*
 * Unit tests for the DNS-based challenges: the dns-account-01 label and
 * challenge names, and the dns-persist-01 record parsed and checked
 * with Boulder's own cases (va/dns_persist_test.go).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "challenge.h"

#define ACCT	"https://example.com/acme/acct/ExampleAccount"

struct pcase {
	const char	*record;
	const char	*issuer;	/* normalised, "" when not even that */
	const char	*why;		/* NULL: parses */
	const char	*policy;	/* parsed: the policy */
	long long	 until;		/* parsed: persistUntil, or -1 */
};

static const struct pcase pcases[] = {
	{ "letsencrypt.org;accounturi=" ACCT, "letsencrypt.org", NULL, "",
	    -1 },
	{ "LETSENCRYPT.ORG.;accounturi=" ACCT, "letsencrypt.org", NULL, "",
	    -1 },
	{ "other.example;accounturi=" ACCT, "other.example", NULL, "", -1 },
	{ ";accounturi=" ACCT, "", "empty issuer-domain-name", NULL, 0 },
	{ "   letsencrypt.org   ;   accounturi   =   " ACCT "   ;   policy   "
	    "=   wildcard   ;   persistUntil   =   4102444800   ",
	    "letsencrypt.org", NULL, "wildcard", 4102444800LL },
	{ "letsencrypt.org;accounturi=" ACCT ";bad tag=value;\nweird=\\x01337",
	    "letsencrypt.org", NULL, "", -1 },
	{ "letsencrypt.org;accounturi=" ACCT ";foo=bar;foo=baz",
	    "letsencrypt.org", NULL, "", -1 },
	{ "letsencrypt.org;accounturi=" ACCT ";invalidparam", "letsencrypt.org",
	    "malformed parameter \"invalidparam\" should be tag=value pair",
	    NULL, 0 },
	{ "letsencrypt.org;accounturi=" ACCT ";=abc", "letsencrypt.org",
	    "malformed parameter \"=abc\", empty tag", NULL, 0 },
	{ "letsencrypt.org;accounturi=", "letsencrypt.org",
	    "empty value provided for mandatory accounturi", NULL, 0 },
	{ "letsencrypt.org;policy=wildcard", "letsencrypt.org",
	    "missing mandatory accounturi parameter", NULL, 0 },
	{ "letsencrypt.org;accounturi=" ACCT ";policy=wild card",
	    "letsencrypt.org", "malformed value \"wild card\" for tag "
	    "\"policy\"", NULL, 0 },
	{ "letsencrypt.org;accounturi=" ACCT
	    ";persistUntil=not-a-unix-timestamp", "letsencrypt.org",
	    "malformed persistUntil timestamp \"not-a-unix-timestamp\"", NULL,
	    0 },
	{ "letsencrypt.org;accounturi=" ACCT ";", "letsencrypt.org",
	    "empty parameter or trailing semicolon provided", NULL, 0 },
	{ "letsencrypt.org;ACCOUNTURI=" ACCT ";accounturi=other",
	    "letsencrypt.org", "duplicate parameter \"accounturi\"", NULL, 0 },
	{ "letsencrypt.org;accounturi=" ACCT ";persistUntil=",
	    "letsencrypt.org", "malformed persistUntil timestamp \"\"", NULL,
	    0 },
	{ "letsencrypt.org;accounturi=" ACCT ";pOlIcY=wildcard",
	    "letsencrypt.org", NULL, "wildcard", -1 },
	{ "other.example;accounturi=" ACCT ";accounturi=other",
	    "other.example", "duplicate parameter \"accounturi\"", NULL, 0 },
	{ "letsencrypt.org", "letsencrypt.org",
	    "missing mandatory accounturi parameter", NULL, 0 },
	{ "letsencrypt.org;accounturi=" ACCT ";persistUntil=1721952000",
	    "letsencrypt.org", NULL, "", 1721952000LL },
	/* Beyond Boulder's table: bytes it also refuses. */
	{ "letsencrypt.org;accounturi=" ACCT ";persistUntil=+12",
	    "letsencrypt.org", NULL, "", 12 },
	{ "letsencrypt.org;accounturi=" ACCT ";persistUntil=99999999999999999999",
	    "letsencrypt.org", "malformed persistUntil timestamp "
	    "\"99999999999999999999\"", NULL, 0 },
	{ "letsencrypt.org;accounturi=" ACCT ";policy=w\303\251", "letsencrypt.org",
	    "malformed value \"w\\195\\169\" for tag \"policy\"", NULL, 0 },
	{ "lets_encrypt.org;accounturi=" ACCT, "", "malformed "
	    "issuer-domain-name \"lets_encrypt.org\": label \"lets_encrypt\" "
	    "has the character '_'; only letters, digits and hyphens are "
	    "allowed", NULL, 0 },
};

START_TEST(test_parse)
{
	const struct pcase	*c = &pcases[_i];
	struct challenge_persist p;
	char			 issuer[256], why[512];
	int			 rc;

	rc = challenge_persist_parse(c->record, strlen(c->record), &p, issuer,
	    sizeof(issuer), why, sizeof(why));
	ck_assert_str_eq(issuer, c->issuer);
	if (c->why != NULL) {
		ck_assert_int_eq(rc, -1);
		ck_assert_str_eq(why, c->why);
		return;
	}
	ck_assert_msg(rc == 0, "%s: %s", c->record, why);
	ck_assert_str_eq(p.accounturi, ACCT);
	ck_assert_str_eq(p.policy, c->policy);
	if (c->until < 0)
		ck_assert_int_eq(p.has_until, 0);
	else {
		ck_assert_int_eq(p.has_until, 1);
		ck_assert_int_eq(p.until, c->until);
	}
	challenge_persist_clear(&p);
}
END_TEST

#define NOW	1765000000	/* 2025-12-06T05:46:40Z */

struct kcase {
	const char	*accounturi;
	const char	*policy;
	long long	 until;		/* -1: none */
	const char	*account;	/* ours, or NULL */
	int		 wildcard;
	const char	*why;		/* NULL: authorizes */
};

static const struct kcase kcases[] = {
	{ ACCT, "", -1, ACCT, 0, NULL },
	{ ACCT, "wildcard", -1, ACCT, 1, NULL },
	{ ACCT, "wIlDcArD", -1, ACCT, 1, NULL },
	{ ACCT, "notwildcard", -1, ACCT, 0, NULL },
	{ ACCT, "", NOW + 3600, ACCT, 0, NULL },
	{ ACCT, "", NOW, ACCT, 0, NULL },
	{ "http://other/acme/reg/999", "", -1, ACCT, 0, "accounturi mismatch: "
	    "expected \"" ACCT "\", got \"http://other/acme/reg/999\"" },
	{ ACCT, "", -1, ACCT, 1, "policy mismatch: expected \"wildcard\", "
	    "got \"\"" },
	{ ACCT, "notwildcard", -1, ACCT, 1, "policy mismatch: expected "
	    "\"wildcard\", got \"notwildcard\"" },
	{ ACCT, "", NOW - 1, ACCT, 0, "validation time 2025-12-06T05:46:40Z "
	    "is after persistUntil 2025-12-06T05:46:39Z" },
	/* No account URI configured: any accounturi passes here. */
	{ "http://other/acme/reg/999", "", -1, NULL, 0, NULL },
};

START_TEST(test_check)
{
	const struct kcase	*c = &kcases[_i];
	struct challenge_persist p;
	char			 why[512];

	p.accounturi = (char *)c->accounturi;
	p.policy = (char *)c->policy;
	p.has_until = c->until >= 0;
	p.until = c->until;
	if (c->why == NULL)
		ck_assert_msg(challenge_persist_check(&p, c->account,
		    c->wildcard, NOW, why, sizeof(why)) == 0, "%d: %s", _i, why);
	else {
		ck_assert_int_eq(challenge_persist_check(&p, c->account,
		    c->wildcard, NOW, why, sizeof(why)), -1);
		ck_assert_str_eq(why, c->why);
	}
}
END_TEST

/* TXT RDATA in wire form: one length-prefixed string each. */
static uint8_t *
txt(const char *a, const char *b)
{
	size_t	 la = strlen(a), lb = b ? strlen(b) : 0;
	uint8_t	*r = malloc(la + lb + 2);

	r[0] = (uint8_t)la;
	memcpy(r + 1, a, la);
	if (b != NULL) {
		r[la + 1] = (uint8_t)lb;
		memcpy(r + la + 2, b, lb);
	}
	return r;
}

START_TEST(test_decide)
{
	const char	*issuers[] = { "letsencrypt.org" };
	uint8_t		*rd[3] = { NULL, NULL, NULL };
	size_t		 len[3] = { 0, 0, 0 };
	char		 reason[1024];

	ck_assert_int_eq(challenge_persist_decide(rd, len, 0, issuers, 1, ACCT,
	    0, NOW, reason, sizeof(reason)), -1);
	ck_assert_str_eq(reason, "No TXT record found for DNS-PERSIST-01 "
	    "challenge");
	/* Another CA's record, and one split over two strings. */
	rd[0] = txt("sectigo.com;accounturi=" ACCT, NULL);
	len[0] = strlen("sectigo.com;accounturi=" ACCT) + 1;
	ck_assert_int_eq(challenge_persist_decide(rd, len, 1, issuers, 1, ACCT,
	    0, NOW, reason, sizeof(reason)), -1);
	ck_assert_str_eq(reason, "No valid TXT record found for "
	    "DNS-PERSIST-01 challenge");
	rd[1] = txt("letsencrypt.org;accou", "nturi=" ACCT);
	len[1] = strlen("letsencrypt.org;accou") + strlen("nturi=" ACCT) + 2;
	ck_assert_int_eq(challenge_persist_decide(rd, len, 2, issuers, 1, ACCT,
	    0, NOW, reason, sizeof(reason)), 0);
	/* A syntax error in our CA's record wins over an account mismatch. */
	rd[2] = txt("letsencrypt.org;accounturi=" ACCT ";", NULL);
	len[2] = strlen("letsencrypt.org;accounturi=" ACCT ";") + 1;
	ck_assert_int_eq(challenge_persist_decide(rd + 1, len + 1, 2, issuers,
	    1, "https://other/acct/1", 0, NOW, reason, sizeof(reason)), -1);
	ck_assert_str_eq(reason, "Parsing DNS-PERSIST-01 challenge TXT record "
	    "with issuer-domain-name \"letsencrypt.org\": empty parameter or "
	    "trailing semicolon provided");
	ck_assert_int_eq(challenge_persist_decide(rd + 1, len + 1, 1, issuers,
	    1, "https://other/acct/1", 0, NOW, reason, sizeof(reason)), -1);
	ck_assert_str_eq(reason, "Checking DNS-PERSIST-01 challenge TXT record "
	    "with issuer-domain-name \"letsencrypt.org\": accounturi "
	    "mismatch: expected \"https://other/acct/1\", got \"" ACCT "\"");
	/* A string running past its RDATA is cut there, not read beyond. */
	len[1] = 5;
	ck_assert_int_eq(challenge_persist_decide(rd + 1, len + 1, 1, issuers,
	    1, ACCT, 0, NOW, reason, sizeof(reason)), -1);
	free(rd[0]);
	free(rd[1]);
	free(rd[2]);
}
END_TEST

START_TEST(test_names)
{
	char	 label[17], name[300];

	/* Base32 of the first 10 octets of SHA-256(account URI). */
	challenge_account_label("https://acme-v02.api.letsencrypt.org/acme/"
	    "acct/123456", label);
	ck_assert_str_eq(label, "bnxkrtp5hx67nw4s");
	ck_assert_int_eq(challenge_name(CHALLENGE_ACCOUNT, "example.com",
	    "https://acme-v02.api.letsencrypt.org/acme/acct/123456", name,
	    sizeof(name)), 0);
	ck_assert_str_eq(name, "_bnxkrtp5hx67nw4s._acme-challenge.example.com");
	ck_assert_int_eq(challenge_name(CHALLENGE_ACCOUNT, "example.com", NULL,
	    name, sizeof(name)), -1);
	ck_assert_int_eq(challenge_name(CHALLENGE_DNS01, "example.com", NULL,
	    name, sizeof(name)), 0);
	ck_assert_str_eq(name, "_acme-challenge.example.com");
	ck_assert_int_eq(challenge_name(CHALLENGE_PERSIST, "example.com", NULL,
	    name, sizeof(name)), 0);
	ck_assert_str_eq(name, "_validation-persist.example.com");
	ck_assert_int_eq(challenge_kind("dns-persist-01"), CHALLENGE_PERSIST);
	ck_assert_int_eq(challenge_kind("dns-account-01"), CHALLENGE_ACCOUNT);
	ck_assert_int_eq(challenge_kind("dns-01"), CHALLENGE_DNS01);
	ck_assert_int_eq(challenge_kind("http-01"), CHALLENGE_NONE);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("challenge");
	TCase	*tc = tcase_create("challenge");
	SRunner	*sr;
	int	 failed;

	tcase_add_loop_test(tc, test_parse, 0,
	    sizeof(pcases) / sizeof(pcases[0]));
	tcase_add_loop_test(tc, test_check, 0,
	    sizeof(kcases) / sizeof(kcases[0]));
	tcase_add_test(tc, test_decide);
	tcase_add_test(tc, test_names);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
