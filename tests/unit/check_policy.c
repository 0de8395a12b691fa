/*
 * Unit tests for the policy: the value checks the file and the command
 * line share, and setting a CA or issuers.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "policy.h"

enum which { METHOD, URI, ISSUER, FORWARD };

struct vcase {
	enum which	 which;
	const char	*in;
	const char	*why;		/* NULL: accepted */
};

static const struct vcase vcases[] = {
	{ METHOD, "http-01", NULL },
	{ METHOD, "dns-01", NULL },
	{ METHOD, "tls-alpn-01", NULL },
	{ METHOD, "dns-account-01", NULL },
	{ METHOD, "dns-persist-01", NULL },
	{ METHOD, "HTTP-01", "unknown validation method (expected http-01, "
	    "dns-01, tls-alpn-01, dns-account-01 or dns-persist-01)" },
	{ URI, "https://acme-v02.api.letsencrypt.org/acme/acct/123456",
	    NULL },
	{ URI, "ftp://x", "account URI must start with https://" },
	{ URI, "https://", "account URI has no host" },
	{ URI, "https://a/b;c", "account URI has a space, semicolon, "
	    "control or non-ASCII character, which a CAA accounturi cannot "
	    "hold" },
	{ ISSUER, "letsencrypt.org", NULL },
	{ ISSUER, "LetsEncrypt.org", "issuer domain must be written in lower "
	    "case, without a trailing dot (the CA compares it byte for "
	    "byte)" },
	{ ISSUER, "letsencrypt.org.", "issuer domain must be written in "
	    "lower case, without a trailing dot (the CA compares it byte for "
	    "byte)" },
	{ ISSUER, "*.letsencrypt.org", "invalid issuer domain: no wildcard "
	    "allowed" },
	{ ISSUER, "192.0.2.1", "invalid issuer domain: an IP address" },
	{ FORWARD, "192.0.2.53", NULL },
	{ FORWARD, "2001:db8::53@53", NULL },
	{ FORWARD, "@53", "forwarder is not an IP address (addr or "
	    "addr@port)" },
	{ FORWARD, "192.0.2.53@0", "forwarder port must be 1-65535 "
	    "(addr@port)" },
	{ FORWARD, "resolver.example", "forwarder is not an IP address (addr "
	    "or addr@port)" },
};

START_TEST(test_check)
{
	const struct vcase	*c = &vcases[_i];
	const char		*why = NULL;

	switch (c->which) {
	case METHOD:
		why = policy_check_method(c->in);
		break;
	case URI:
		why = policy_check_uri(c->in);
		break;
	case ISSUER:
		why = policy_check_issuer(c->in);
		break;
	case FORWARD:
		why = policy_check_forward(c->in);
		break;
	}
	if (c->why == NULL)
		ck_assert_msg(why == NULL, "\"%s\": %s", c->in, why);
	else {
		ck_assert_ptr_nonnull(why);
		ck_assert_str_eq(why, c->why);
	}
}
END_TEST

START_TEST(test_set)
{
	struct policy	 p;
	const char	*two[] = { "a.example", "b.example" };

	memset(&p, 0, sizeof(p));
	ck_assert_int_eq(policy_set_ca(&p, "letsencrypt"), 0);
	ck_assert_str_eq(p.ca, "letsencrypt");
	ck_assert_uint_eq(p.nissuers, 1);
	ck_assert_str_eq(p.issuers[0], "letsencrypt.org");
	ck_assert_int_eq(policy_set_ca(&p, "nosuchca"), -1);
	ck_assert_str_eq(p.ca, "letsencrypt");
	/* Explicit issuers replace the CA's. */
	ck_assert_int_eq(policy_set_issuers(&p, two, 2), 0);
	ck_assert_ptr_null(p.ca);
	ck_assert_uint_eq(p.nissuers, 2);
	ck_assert_str_eq(p.issuers[1], "b.example");
	policy_clear(&p);
	ck_assert_uint_eq(p.nissuers, 0);
	ck_assert_ptr_null(p.issuers);
	policy_clear(&p);
}
END_TEST

/* SPEC 3 rev. 2: the built-in ACME directories. */
START_TEST(test_directory)
{
	ck_assert_str_eq(policy_directory_ca(
	    "https://acme-v02.api.letsencrypt.org/directory"), "letsencrypt");
	/* A trailing slash and the host's letter case do not matter... */
	ck_assert_str_eq(policy_directory_ca(
	    "https://ACME-staging-v02.api.letsencrypt.org/directory/"),
	    "letsencrypt");
	ck_assert_str_eq(policy_directory_ca(
	    "https://acme.zerossl.com/v2/DV90"), "zerossl");
	ck_assert_str_eq(policy_directory_ca(
	    "https://acme.ssl.com/sslcom-dv-ecc"), "sslcom");
	/* ... the path's does. */
	ck_assert_ptr_null(policy_directory_ca(
	    "https://acme.zerossl.com/v2/dv90"));
	ck_assert_ptr_null(policy_directory_ca("https://127.0.0.1:14000/dir"));
	ck_assert_ptr_null(policy_directory_ca(""));
	ck_assert_ptr_null(policy_check_directory("https://ca.example/d"));
	ck_assert_str_eq(policy_check_directory("ca.example/d"),
	    "ACME directory URL must start with https://");
	ck_assert_str_eq(policy_check_directory("https:///d"),
	    "ACME directory URL has no host");
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("policy");
	TCase	*tc = tcase_create("policy");
	SRunner	*sr;
	int	 failed;

	tcase_add_loop_test(tc, test_check, 0,
	    sizeof(vcases) / sizeof(vcases[0]));
	tcase_add_test(tc, test_set);
	tcase_add_test(tc, test_directory);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
