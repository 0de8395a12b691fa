/*
 * Unit tests for client: what a wrapped certbot, lego or acme.sh
 * command and a hook's environment say about the certificate.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client.h"
#include "conf.h"

struct ccase {
	const char	*argv[12];
	const char	*names;		/* space-separated; NULL: none */
	const char	*client;
	const char	*directory;
	const char	*issuer;	/* NULL: a problem */
	const char	*method;	/* NULL: the configuration's */
	const char	*label;
};

static const struct ccase ccases[] = {
	/* certbot: LE by default; the manual plugin and its challenge. */
	{ { "certbot", "certonly", "--manual", "--preferred-challenges",
	    "dns", "-d", "a.example", "-d", "*.a.example", NULL },
	  "a.example *.a.example", "certbot", CLIENT_LE, "letsencrypt.org",
	  "dns-01", NULL },
	{ { "/usr/bin/certbot", "certonly", "--manual",
	    "--preferred-challenges=http", "--domains", "a.example,b.example",
	    "--cert-name", "web", NULL },
	  "a.example b.example", "certbot", CLIENT_LE, "letsencrypt.org",
	  "http-01", "web" },
	{ { "certbot", "certonly", "--dns-cloudflare",
	    "--dns-cloudflare-credentials", "/etc/cf.ini", "-d", "a.example",
	    "--server", "https://acme.zerossl.com/v2/DV90", NULL },
	  "a.example", "certbot", CLIENT_ZEROSSL, "sectigo.com", "dns-01",
	  NULL },
	{ { "certbot", "certonly", "--webroot", "-w", "/var/www",
	    "--staging", "-d", "a.example", NULL },
	  "a.example", "certbot", CLIENT_LE_STAGING, "letsencrypt.org",
	  "http-01", NULL },
	{ { "certbot", "certonly", "-a", "dns-rfc2136", "-da.example", NULL },
	  "a.example", "certbot", CLIENT_LE, "letsencrypt.org", "dns-01",
	  NULL },
	/* An unknown directory: not checked, with the way to add it. */
	{ { "certbot", "--server", "https://ca.example.net/dir", "certonly",
	    "-d", "a.example", NULL },
	  "a.example", "certbot", "https://ca.example.net/dir", NULL, NULL,
	  NULL },
	/* A directory the configuration names. */
	{ { "certbot", "--server", "https://ca.example.org/acme/", "-d",
	    "a.example", NULL },
	  "a.example", "certbot", "https://ca.example.org/acme/",
	  "ca.example.org", NULL, NULL },
	/* lego: flags before the command. */
	{ { "lego", "--email", "x@a.example", "--dns", "cloudflare", "-d",
	    "a.example", "--domains=b.example", "run", NULL },
	  "a.example b.example", "lego", CLIENT_LE, "letsencrypt.org",
	  "dns-01", NULL },
	{ { "lego", "-s", CLIENT_LE_STAGING, "--tls", "-d", "a.example",
	    "run", NULL },
	  "a.example", "lego", CLIENT_LE_STAGING, "letsencrypt.org",
	  "tls-alpn-01", NULL },
	/* acme.sh: ZeroSSL by default, short server names. */
	{ { "acme.sh", "--issue", "-d", "a.example", "--dns", "dns_cf",
	    NULL },
	  "a.example", "acme.sh", CLIENT_ZEROSSL, "sectigo.com", "dns-01",
	  NULL },
	{ { "acme.sh", "--issue", "--server", "letsencrypt", "-d",
	    "a.example", "-w", "/var/www", NULL },
	  "a.example", "acme.sh", CLIENT_LE, "letsencrypt.org", "http-01",
	  NULL },
	{ { "acme.sh", "--issue", "--alpn", "--staging", "-d", "a.example",
	    NULL },
	  "a.example", "acme.sh", CLIENT_LE_STAGING, "letsencrypt.org",
	  "tls-alpn-01", NULL },
	/* Another command: names only, the configuration's settings. */
	{ { "my-renew", "--server", "https://ca.example.net/dir", "-d",
	    "a.example", NULL },
	  "a.example", NULL, NULL, "letsencrypt.org", NULL, NULL },
	/* No names: no certificate. */
	{ { "certbot", "renew", NULL }, NULL, NULL, NULL, NULL, NULL, NULL },
	/* "--" ends the client's options. */
	{ { "certbot", "--", "-d", "a.example", NULL }, NULL, NULL, NULL,
	  NULL, NULL, NULL },
};

/* A configuration with one directory of its own. */
static struct conf *
conf_with_directory(void)
{
	struct conf	*c;

	ck_assert_ptr_nonnull(c = conf_new());
	ck_assert_ptr_nonnull(c->directories = calloc(1,
	    sizeof(*c->directories)));
	c->directories[0].url = strdup("https://ca.example.org/acme");
	c->directories[0].issuer = strdup("ca.example.org");
	c->ndirectories = 1;
	return c;
}

static void
names_are(const struct conf_cert *cert, const char *want)
{
	char	 got[512] = "";
	size_t	 i;

	for (i = 0; i < cert->ndomains; i++) {
		strcat(got, i ? " " : "");
		strcat(got, cert->domains[i]);
	}
	ck_assert_str_eq(got, want);
}

START_TEST(test_command)
{
	const struct ccase	*t = &ccases[_i];
	struct conf		*c = conf_with_directory();
	struct conf_cert	*cert;
	struct policy		 p;

	ck_assert_int_eq(client_from_command(c, (char *const *)t->argv),
	    t->names != NULL);
	if (t->names == NULL) {
		ck_assert_uint_eq(c->ncerts, 0);
		conf_free(c);
		return;
	}
	ck_assert_uint_eq(c->ncerts, 1);
	cert = &c->certs[0];
	names_are(cert, t->names);
	if (t->client == NULL)
		ck_assert_ptr_null(cert->client);
	else
		ck_assert_str_eq(cert->client, t->client);
	if (t->directory == NULL)
		ck_assert_ptr_null(cert->directory);
	else
		ck_assert_str_eq(cert->directory, t->directory);
	conf_effective(c, cert, &p);
	if (t->issuer == NULL) {
		ck_assert_str_eq(cert->problem, "its ACME directory "
		    "https://ca.example.net/dir is not a known CA; add it to "
		    "the configuration as directories: "
		    "{\"https://ca.example.net/dir\": <the CA's CAA issuer "
		    "domain>}");
	} else {
		ck_assert_ptr_null(cert->problem);
		ck_assert_uint_eq(p.nissuers, 1);
		ck_assert_str_eq(p.issuers[0], t->issuer);
	}
	ck_assert_str_eq(p.method, t->method ? t->method : "http-01");
	if (t->method == NULL)
		ck_assert_ptr_null(cert->pol.method);
	if (t->label == NULL)
		ck_assert_ptr_null(cert->label);
	else
		ck_assert_str_eq(cert->label, t->label);
	conf_free(c);
}
END_TEST

START_TEST(test_env_lego)
{
	struct conf	*c = conf_with_directory();

	unsetenv("Le_Domain");
	setenv("LEGO_HOOK_CERT_DOMAINS", "a.example, b.example,", 1);
	setenv("LEGO_HOOK_CERT_NAME", "a.example", 1);
	setenv("LEGO_HOOK_ACCOUNT_SERVER", CLIENT_LE_STAGING, 1);
	ck_assert_int_eq(client_from_env(c), 1);
	ck_assert_uint_eq(c->ncerts, 1);
	names_are(&c->certs[0], "a.example b.example");
	ck_assert_str_eq(c->certs[0].client, "lego");
	ck_assert_str_eq(c->certs[0].label, "a.example");
	ck_assert_str_eq(c->certs[0].directory, CLIENT_LE_STAGING);
	ck_assert_str_eq(c->certs[0].pol.issuers[0], "letsencrypt.org");
	conf_free(c);

	/* No names in the environment: nothing. */
	unsetenv("LEGO_HOOK_CERT_DOMAINS");
	c = conf_new();
	ck_assert_int_eq(client_from_env(c), 0);
	ck_assert_uint_eq(c->ncerts, 0);
	conf_free(c);
}
END_TEST

START_TEST(test_env_acmesh_no_conf)
{
	struct conf	*c = conf_new();

	/* Run outside a certificate folder: the configuration's CA. */
	ck_assert_int_eq(chdir("/"), 0);
	unsetenv("LEGO_HOOK_CERT_DOMAINS");
	setenv("Le_Domain", "a.example", 1);
	setenv("Le_Alt", "no", 1);
	ck_assert_int_eq(client_from_env(c), 1);
	names_are(&c->certs[0], "a.example");
	ck_assert_str_eq(c->certs[0].client, "acme.sh");
	ck_assert_ptr_null(c->certs[0].directory);
	ck_assert_ptr_null(c->certs[0].problem);
	conf_free(c);
}
END_TEST

START_TEST(test_methods)
{
	ck_assert_str_eq(client_acmesh_method("dns_cf"), "dns-01");
	ck_assert_str_eq(client_acmesh_method("dns"), "dns-01");
	ck_assert_str_eq(client_acmesh_method("alpn"), "tls-alpn-01");
	ck_assert_str_eq(client_acmesh_method("/var/www/dnsroot"),
	    "http-01");
	ck_assert_str_eq(client_acmesh_method("dnsroot"), "http-01");
	ck_assert_str_eq(client_acmesh_method("no"), "http-01");
	ck_assert_str_eq(client_certbot_method("manual", "dns-01,"),
	    "dns-01");
	ck_assert_str_eq(client_certbot_method("manual", ""), "http-01");
	ck_assert_str_eq(client_certbot_method("webroot", "dns-01"),
	    "http-01");
	ck_assert_str_eq(client_certbot_method("dns-cloudflare", NULL),
	    "dns-01");
	ck_assert_str_eq(client_certbot_method("", "http-01"), "http-01");
	ck_assert_ptr_null(client_certbot_method("", ""));
	ck_assert_ptr_null(client_certbot_method(NULL, NULL));
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("client");
	TCase	*tc = tcase_create("client");
	SRunner	*sr;
	int	 failed;

	tcase_add_loop_test(tc, test_command, 0,
	    sizeof(ccases) / sizeof(ccases[0]));
	tcase_add_test(tc, test_env_lego);
	tcase_add_test(tc, test_env_acmesh_no_conf);
	tcase_add_test(tc, test_methods);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
