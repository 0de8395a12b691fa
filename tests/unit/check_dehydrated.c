/*
 * Unit tests for dehydrated: its configuration (with CONFIG_D and a
 * certificate's own config), domains.txt, each certificate's cert.pem
 * deciding whether it is due, and its CA's account; what cannot be read
 * is named.
 */
#include "conf.h"
#include "dehydrated.h"

#include "statefix.h"

START_TEST(test_cahash)
{
	char	 h[128];

	/* As "echo $CA | urlbase64" names the account folder. */
	dehydrated_cahash("https://acme-v02.api.letsencrypt.org/directory", h,
	    sizeof(h));
	ck_assert_str_eq(h, "aHR0cHM6Ly9hY21lLXYwMi5hcGkubGV0c2VuY3J5cHQub3Jn"
	    "L2RpcmVjdG9yeQo");
	dehydrated_cahash("https://acme.zerossl.com/v2/DV90", h, sizeof(h));
	ck_assert_str_eq(h, "aHR0cHM6Ly9hY21lLnplcm9zc2wuY29tL3YyL0RWOTAK");
}
END_TEST

static void
dehydrated_files(void)
{
	char	 text[1024];

	/* As Debian's /etc/dehydrated/config writes it. */
	snprintf(text, sizeof(text),
	    "# dehydrated's configuration\n"
	    "CONFIG_D=%s/conf.d\n"
	    "BASEDIR=%s\n"
	    "WELLKNOWN=\"${BASEDIR}/acme-challenges\"\n"
	    "DOMAINS_TXT=\"${BASEDIR}/domains.txt\"\n"
	    "CHALLENGETYPE=\"dns-01\"\n"
	    "export RENEW_DAYS=20\n", dir, dir);
	put("config", text);
	put("conf.d/ca.sh", "CA='zerossl'  # ZeroSSL\n");
	put("conf.d/ignored.txt", "CA=buypass\n");
	put("domains.txt",
	    "# one certificate a line\n"
	    "A.example www.a.example\n"
	    "\n"
	    "*.b.example b.example > b-wild\n"
	    "c.example\r\n"
	    "  d.example\n");
	put_cert("certs/a.example/cert.pem", "DNS:a.example,DNS:www.a.example",
	    10);
	put_cert("certs/b-wild/cert.pem", "DNS:b.example,DNS:*.b.example", 90);
	/* Its names changed: dehydrated orders it again now. */
	put_cert("certs/c.example/cert.pem", "DNS:c.example,DNS:old.c.example",
	    90);
	put("certs/d.example/config", "CHALLENGETYPE=\"http-01\"\n");
	put("accounts/aHR0cHM6Ly9hY21lLnplcm9zc2wuY29tL3YyL0RWOTAK/"
	    "account_id.json",
	    "{\"url\":\"https://acme.zerossl.com/v2/DV90/account/9\"}");
}

START_TEST(test_state)
{
	struct conf		*c = conf_new();
	const struct conf_cert	*t;
	char			 path[128], why[256];

	dehydrated_files();
	snprintf(path, sizeof(path), "%s/config", dir);
	ck_assert_int_eq(dehydrated_state(c, path, NULL, now, why,
	    sizeof(why)), 4);
	t = cert_named(c, "a.example");
	ck_assert_ptr_null(t->problem);
	ck_assert_str_eq(t->client, "dehydrated");
	ck_assert_uint_eq(t->ndomains, 2);
	ck_assert_str_eq(t->domains[1], "www.a.example");
	ck_assert_str_eq(t->directory, "https://acme.zerossl.com/v2/DV90");
	ck_assert_str_eq(t->pol.issuers[0], "sectigo.com");
	ck_assert_str_eq(t->pol.method, "dns-01");
	ck_assert_str_eq(t->pol.account_uri,
	    "https://acme.zerossl.com/v2/DV90/account/9");
	ck_assert_int_eq(t->due, CONF_DUE_YES);
	t = cert_named(c, "b-wild");
	ck_assert_ptr_null(t->problem);
	ck_assert_str_eq(t->domains[0], "*.b.example");
	ck_assert_int_eq(t->due, CONF_DUE_NO);
	ck_assert_int_eq(t->due_days, 70);
	ck_assert_int_eq(cert_named(c, "c.example")->due, CONF_DUE_YES);
	t = cert_named(c, "d.example");
	ck_assert_int_eq(t->due, CONF_DUE_YES);
	ck_assert_str_eq(t->pol.method, "http-01");
	conf_free(c);

	c = conf_new();
	ck_assert_int_eq(dehydrated_state(c, path, "b-wild", now, why,
	    sizeof(why)), 1);
	ck_assert_str_eq(c->certs[0].label, "b-wild");
	conf_free(c);
}
END_TEST

START_TEST(test_unreadable)
{
	struct conf	*c = conf_new();
	char		 path[128], why[512], want[512];

	snprintf(path, sizeof(path), "%s/config", dir);
	ck_assert_int_eq(dehydrated_state(c, path, NULL, now, why,
	    sizeof(why)), -2);
	snprintf(want, sizeof(want), "%s: cannot open: No such file or "
	    "directory", path);
	ck_assert_str_eq(why, want);

	/* A value the shell computes is not guessed at. */
	put("config", "BASEDIR=/var/lib/dehydrated\nCA=\"$(cat /etc/ca)\"\n");
	ck_assert_int_eq(dehydrated_state(c, path, NULL, now, why,
	    sizeof(why)), -2);
	snprintf(want, sizeof(want), "%s:2: CA is computed by the shell; "
	    "write its value out for caa-preflight to read it", path);
	ck_assert_str_eq(why, want);

	put("config", "BASEDIR=/nonexistent\n");
	ck_assert_int_eq(dehydrated_state(c, path, NULL, now, why,
	    sizeof(why)), -2);
	ck_assert_str_eq(why, "/nonexistent/domains.txt: cannot open: No such "
	    "file or directory");
	ck_assert_uint_eq(c->ncerts, 0);
	conf_free(c);

	/* A bad cert.pem or account file: named, on its certificates. */
	c = conf_new();
	dehydrated_files();
	put("certs/a.example/cert.pem", "not PEM\n");
	put("accounts/aHR0cHM6Ly9hY21lLnplcm9zc2wuY29tL3YyL0RWOTAK/"
	    "account_id.json", "{\"url\": 9}");
	ck_assert_int_eq(dehydrated_state(c, path, NULL, now, why,
	    sizeof(why)), 4);
	snprintf(want, sizeof(want), "%s/accounts/aHR0cHM6Ly9hY21lLnplcm9zc2wu"
	    "Y29tL3YyL0RWOTAK/account_id.json: no \"url\" string", dir);
	ck_assert_str_eq(cert_named(c, "a.example")->problem, want);
	ck_assert_str_eq(cert_named(c, "d.example")->problem, want);
	conf_free(c);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("dehydrated");
	TCase	*tc = tcase_create("dehydrated");
	SRunner	*sr;
	int	 failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_cahash);
	tcase_add_test(tc, test_state);
	tcase_add_test(tc, test_unreadable);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
