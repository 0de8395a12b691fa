/*
 * Unit tests for state: certbot's, acme.sh's and lego's files, as each
 * client writes them, read into certificates; every bad file named,
 * nothing else affected.  The certificates are made with libcrypto
 * (statefix.h).
 */
#include "conf.h"
#include "state.h"

#include "statefix.h"

/* certbot's renewal/<label>.conf, as certbot 2.1 writes it. */
static void
put_renewal(const char *label, const char *top, const char *params)
{
	char	 rel[128], text[2048];

	snprintf(rel, sizeof(rel), "renewal/%s.conf", label);
	snprintf(text, sizeof(text),
	    "# renew_before_expiry = 30 days\n"
	    "version = 2.1.0\n"
	    "archive_dir = %s/archive/%s\n"
	    "cert = %s/live/%s/cert.pem\n"
	    "%s\n"
	    "# Options used in the renewal process\n"
	    "[renewalparams]\n"
	    "%s", dir, label, dir, label, top, params);
	put(rel, text);
}

#define LE	"https://acme-v02.api.letsencrypt.org/directory"

static void
certbot_state(void)
{
	put("accounts/acme-v02.api.letsencrypt.org/directory/f00d/regr.json",
	    "{\"body\": {}, \"uri\": \"https://acme-v02.api.letsencrypt.org/"
	    "acme/acct/42\"}");
	put("accounts/acme-v02.api.letsencrypt.org/directory/bad/regr.json",
	    "{\"body\": {}, \"uri\": ");
	/* Due: expires in 10 days, renewed 30 days before. */
	put_cert("live/due/cert.pem", "DNS:a.example,DNS:*.a.example", 10);
	put_renewal("due", "", "account = f00d\nserver = " LE "\n"
	    "authenticator = manual\npref_challs = dns-01,\n"
	    "manual_auth_hook = /bin/true\n");
	/* Not due: 90 days, 60 of them before renewal. */
	put_cert("live/later/cert.pem", "DNS:b.example,IP:192.0.2.1", 90);
	put_renewal("later", "", "server = " LE "\nauthenticator = webroot\n");
	/* Due through its own renew_before_expiry. */
	put_cert("live/soon/cert.pem", "DNS:c.example", 90);
	put_renewal("soon", "renew_before_expiry = 100 days",
	    "server = " LE "\nauthenticator = standalone\n");
	put_renewal("noserver", "", "authenticator = webroot\n");
	put("live/badpem/cert.pem", "not a certificate\n");
	put_renewal("badpem", "", "server = " LE "\n");
	put_cert("live/badjson/cert.pem", "DNS:d.example", 10);
	put_renewal("badjson", "", "account = bad\nserver = " LE "\n");
	put_cert("live/pebble/cert.pem", "DNS:e.example", 10);
	put_renewal("pebble", "", "server = https://127.0.0.1:14000/dir\n");
	put("renewal/README", "not a lineage\n");
	put("renewal/folder.conf/x", "");
}

START_TEST(test_certbot)
{
	struct conf		*c = conf_new();
	const struct conf_cert	*t;
	char			 why[256], want[512];

	certbot_state();
	ck_assert_int_eq(state_certbot(c, dir, NULL, now, why, sizeof(why)),
	    8);
	t = cert_named(c, "due");
	ck_assert_ptr_null(t->problem);
	ck_assert_str_eq(t->client, "certbot");
	ck_assert_uint_eq(t->ndomains, 2);
	ck_assert_str_eq(t->domains[1], "*.a.example");
	ck_assert_str_eq(t->directory, LE);
	ck_assert_str_eq(t->pol.issuers[0], "letsencrypt.org");
	ck_assert_str_eq(t->pol.method, "dns-01");
	ck_assert_str_eq(t->pol.account_uri,
	    "https://acme-v02.api.letsencrypt.org/acme/acct/42");
	ck_assert_int_eq(t->due, CONF_DUE_YES);

	t = cert_named(c, "later");
	ck_assert_ptr_null(t->problem);
	ck_assert_str_eq(t->domains[1], "192.0.2.1");
	ck_assert_str_eq(t->pol.method, "http-01");
	ck_assert_ptr_null(t->pol.account_uri);
	ck_assert_int_eq(t->due, CONF_DUE_NO);
	ck_assert_int_eq(t->due_days, 60);

	t = cert_named(c, "soon");
	ck_assert_int_eq(t->due, CONF_DUE_YES);

	/* Each bad file named; only its certificate affected. */
	snprintf(want, sizeof(want), "%s/renewal/noserver.conf: no server "
	    "in [renewalparams]: the CA of its next order is not known", dir);
	ck_assert_str_eq(cert_named(c, "noserver")->problem, want);
	snprintf(want, sizeof(want), "%s/live/badpem/cert.pem: not a PEM "
	    "certificate", dir);
	ck_assert_str_eq(cert_named(c, "badpem")->problem, want);
	snprintf(want, sizeof(want), "%s/accounts/acme-v02.api.letsencrypt."
	    "org/directory/bad/regr.json: not JSON: unexpected token near "
	    "end of file (line 1)", dir);
	ck_assert_str_eq(cert_named(c, "badjson")->problem, want);
	ck_assert_str_eq(cert_named(c, "pebble")->problem, "its ACME "
	    "directory https://127.0.0.1:14000/dir is not a known CA; add it "
	    "to the configuration as directories: "
	    "{\"https://127.0.0.1:14000/dir\": <the CA's CAA issuer domain>}");
	snprintf(want, sizeof(want), "%s/renewal/folder.conf: not a regular "
	    "file", dir);
	ck_assert_str_eq(cert_named(c, "folder")->problem, want);
	conf_free(c);

	/* One lineage by name. */
	c = conf_new();
	ck_assert_int_eq(state_certbot(c, dir, "later", now, why,
	    sizeof(why)), 1);
	ck_assert_str_eq(c->certs[0].label, "later");
	conf_free(c);
}
END_TEST

/* The wrapper: certbot's only account for the CA, else none. */
START_TEST(test_certbot_only_account)
{
	struct conf_cert	 cert;
	char			 p[PATH_MAX];

	certbot_state();
	memset(&cert, 0, sizeof(cert));
	/* Two accounts: certbot would ask which; none is assumed. */
	ck_assert_int_eq(state_certbot_only_account(&cert, dir, LE), 0);
	ck_assert_ptr_null(cert.pol.account_uri);
	ck_assert_ptr_null(cert.problem);
	snprintf(p, sizeof(p), "%s/accounts/acme-v02.api.letsencrypt.org/"
	    "directory/bad/regr.json", dir);
	ck_assert_int_eq(unlink(p), 0);
	*strrchr(p, '/') = '\0';
	ck_assert_int_eq(rmdir(p), 0);
	ck_assert_int_eq(state_certbot_only_account(&cert, dir, LE), 0);
	ck_assert_str_eq(cert.pol.account_uri,
	    "https://acme-v02.api.letsencrypt.org/acme/acct/42");
	free(cert.pol.account_uri);
	/* No account for that CA yet. */
	memset(&cert, 0, sizeof(cert));
	ck_assert_int_eq(state_certbot_only_account(&cert, dir,
	    "https://127.0.0.1:14000/dir"), 0);
	ck_assert_ptr_null(cert.pol.account_uri);
}
END_TEST

START_TEST(test_certbot_missing)
{
	struct conf	*c = conf_new();
	char		 why[256], want[256];

	ck_assert_int_eq(state_certbot(c, dir, NULL, now, why, sizeof(why)),
	    -2);
	snprintf(want, sizeof(want), "%s/renewal: cannot read certbot's "
	    "renewal configurations: No such file or directory", dir);
	ck_assert_str_eq(why, want);
	ck_assert_uint_eq(c->ncerts, 0);
	conf_free(c);
}
END_TEST

static void
acmesh_state(void)
{
	char	 text[1024];

	/* As _savedomainconf writes: KEY='value'. */
	snprintf(text, sizeof(text),
	    "Le_Domain='a.example'\nLe_Alt='www.a.example'\n"
	    "Le_Webroot='dns_cf'\nLe_PreHook=''\n"
	    "Le_API='https://acme.zerossl.com/v2/DV90'\n"
	    "Le_NextRenewTime='%lld'\n", (long long)(now - 100));
	put("a.example/a.example.conf", text);
	put("ca/acme.zerossl.com/v2/DV90/ca.conf",
	    "ACCOUNT_URL='https://acme.zerossl.com/v2/DV90/account/xyz'\n"
	    "CA_EAB_KEY_ID='k'\n");
	snprintf(text, sizeof(text),
	    "Le_Domain='b.example'\nLe_Alt='no'\nLe_Webroot='/var/www'\n"
	    "Le_API='" LE "'\nLe_NextRenewTime='%lld'\n",
	    (long long)(now + 10 * DAY));
	put("b.example_ecc/b.example.conf", text);
	put("c.example/c.example.conf", "Le_Domain='c.example'\n"
	    "Le_API='" LE "'\nLe_NextRenewTime='soon'\n");
	put("account.conf", "AUTO_UPGRADE='1'\n");
	put("http.header", "");
}

START_TEST(test_acmesh)
{
	struct conf		*c = conf_new();
	const struct conf_cert	*t;
	char			 why[256], want[512];

	acmesh_state();
	ck_assert_int_eq(state_acmesh(c, dir, NULL, now, why, sizeof(why)),
	    3);
	t = cert_named(c, "a.example");
	ck_assert_ptr_null(t->problem);
	ck_assert_str_eq(t->client, "acme.sh");
	ck_assert_uint_eq(t->ndomains, 2);
	ck_assert_str_eq(t->domains[1], "www.a.example");
	ck_assert_str_eq(t->pol.issuers[0], "sectigo.com");
	ck_assert_str_eq(t->pol.method, "dns-01");
	ck_assert_str_eq(t->pol.account_uri,
	    "https://acme.zerossl.com/v2/DV90/account/xyz");
	ck_assert_int_eq(t->due, CONF_DUE_YES);

	t = cert_named(c, "b.example_ecc");
	ck_assert_ptr_null(t->problem);
	ck_assert_uint_eq(t->ndomains, 1);
	ck_assert_str_eq(t->pol.issuers[0], "letsencrypt.org");
	ck_assert_str_eq(t->pol.method, "http-01");
	ck_assert_ptr_null(t->pol.account_uri);
	ck_assert_int_eq(t->due, CONF_DUE_NO);
	ck_assert_int_eq(t->due_days, 10);

	snprintf(want, sizeof(want), "%s/c.example/c.example.conf: "
	    "Le_NextRenewTime is not a time", dir);
	ck_assert_str_eq(cert_named(c, "c.example")->problem, want);
	conf_free(c);
}
END_TEST

/* lego 4's --path, as lego run writes it. */
START_TEST(test_lego)
{
	struct conf		*c = conf_new();
	const struct conf_cert	*t;
	char			 why[256], want[512];

	put_cert("certificates/a.example.crt", "DNS:a.example", 20);
	put("certificates/a.example.json", "{\n\t\"domain\": \"a.example\",\n"
	    "\t\"certUrl\": \"https://acme-v02.api.letsencrypt.org/acme/cert/"
	    "fa\",\n\t\"certStableUrl\": \"\"\n}");
	put("certificates/a.example.issuer.crt", "not read\n");
	put("certificates/a.example.key", "not read\n");
	put("accounts/acme-v02.api.letsencrypt.org/me@a.example/account.json",
	    "{\"email\": \"me@a.example\", \"registration\": {\"body\": {}, "
	    "\"uri\": \"https://acme-v02.api.letsencrypt.org/acme/acct/7\"}}");
	put_cert("certificates/_.b.example.crt", "DNS:*.b.example", 90);
	put("certificates/_.b.example.json", "{\"domain\": \"*.b.example\", "
	    "\"certUrl\": \"https://127.0.0.1:14000/certZ/1\"}");
	put_cert("certificates/c.example.crt", "DNS:c.example", 90);
	put("certificates/c.example.json", "{\"domain\": ");
	ck_assert_int_eq(state_lego(c, dir, NULL, now, why, sizeof(why)), 3);
	t = cert_named(c, "a.example");
	ck_assert_ptr_null(t->problem);
	ck_assert_str_eq(t->client, "lego");
	ck_assert_str_eq(t->domains[0], "a.example");
	ck_assert_str_eq(t->directory, LE);
	ck_assert_str_eq(t->pol.account_uri,
	    "https://acme-v02.api.letsencrypt.org/acme/acct/7");
	ck_assert_ptr_null(t->pol.method);
	ck_assert_int_eq(t->due, CONF_DUE_YES);
	snprintf(want, sizeof(want), "%s/certificates/_.b.example.json: its "
	    "CA at 127.0.0.1:14000 is not known; add its ACME directory URL "
	    "to the configuration's directories:", dir);
	ck_assert_str_eq(cert_named(c, "_.b.example")->problem, want);
	snprintf(want, sizeof(want), "%s/certificates/c.example.json: not "
	    "JSON: unexpected token near end of file (line 1)", dir);
	ck_assert_str_eq(cert_named(c, "c.example")->problem, want);
	conf_free(c);

	/* The CA's directory in the configuration: known by its host. */
	c = conf_new();
	c->directories = calloc(1, sizeof(*c->directories));
	c->directories[0].url = strdup("https://127.0.0.1:14000/dir");
	c->directories[0].issuer = strdup("ca.example.net");
	c->ndirectories = 1;
	ck_assert_int_eq(state_lego(c, dir, "_.b.example", now, why,
	    sizeof(why)), 1);
	t = &c->certs[0];
	ck_assert_ptr_null(t->problem);
	ck_assert_str_eq(t->domains[0], "*.b.example");
	ck_assert_str_eq(t->pol.issuers[0], "ca.example.net");
	ck_assert_ptr_null(t->pol.account_uri);
	ck_assert_int_eq(t->due, CONF_DUE_NO);
	ck_assert_int_eq(t->due_days, 60);
	conf_free(c);
}
END_TEST

/* The pre-hook, run in the certificate's folder. */
START_TEST(test_acmesh_here)
{
	struct conf		*c = conf_new();
	struct conf_cert	*cert;
	char			 p[PATH_MAX];

	acmesh_state();
	snprintf(p, sizeof(p), "%s/a.example", dir);
	ck_assert_int_eq(chdir(p), 0);
	ck_assert_ptr_nonnull(cert = calloc(1, sizeof(*cert)));
	c->certs = cert;
	c->ncerts = 1;
	ck_assert_int_eq(state_acmesh_here(c, cert, "a.example"), 0);
	ck_assert_ptr_null(cert->problem);
	ck_assert_uint_eq(cert->ndomains, 0);
	ck_assert_str_eq(cert->directory, "https://acme.zerossl.com/v2/DV90");
	ck_assert_str_eq(cert->pol.method, "dns-01");
	ck_assert_str_eq(cert->pol.account_uri,
	    "https://acme.zerossl.com/v2/DV90/account/xyz");
	ck_assert_int_eq(chdir("/"), 0);
	conf_free(c);
}
END_TEST

START_TEST(test_cert_names)
{
	struct conf_cert	 cert;
	time_t			 na;
	char			 why[128];

	memset(&cert, 0, sizeof(cert));
	ck_assert_int_eq(state_cert_names("-----BEGIN CERTIFICATE-----\n"
	    "AAAA\n-----END CERTIFICATE-----\n", 55, &cert, &na, why,
	    sizeof(why)), -1);
	ck_assert_str_eq(why, "not a PEM certificate");
	ck_assert_int_eq(state_cert_names("", 0, &cert, &na, why,
	    sizeof(why)), -1);
	ck_assert_str_eq(why, "not a PEM certificate");
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("state");
	TCase	*tc = tcase_create("state");
	SRunner	*sr;
	int	 failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_certbot);
	tcase_add_test(tc, test_certbot_missing);
	tcase_add_test(tc, test_certbot_only_account);
	tcase_add_test(tc, test_acmesh);
	tcase_add_test(tc, test_acmesh_here);
	tcase_add_test(tc, test_lego);
	tcase_add_test(tc, test_cert_names);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
