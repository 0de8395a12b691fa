/*
 * Unit tests for the configuration loader (SPEC 3): good files, and one
 * case per kind of error with its line and column.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"

struct ccase {
	const char	*desc;
	const char	*yaml;
	const char	*errs[4];	/* expected, "LINE:COL: message" */
};

static const struct ccase ccases[] = {
	{ "empty file", "", { NULL } },
	{ "unknown key", "ca: letsencrypt\nfoo: 1\n",
	    { "2:1: unknown key \"foo\" in the configuration (known: ca, "
	    "issuer, account_uri, method, timeout, checks, resolver, "
	    "certificates, domains, directories, on_unknown)" } },
	{ "bad on_unknown", "on_unknown: maybe\n",
	    { "1:13: on_unknown must be allow or block, not \"maybe\"" } },
	{ "bad directories",
	    "directories:\n  \"http://ca.example/dir\": ca.example\n"
	    "  \"https://ca.example/dir\": CA.example\n"
	    "  \"https://ok.example/dir\": ok.example\n",
	    { "2:3: ACME directory URL must start with https://",
	      "3:29: issuer domain must be written in lower case, without a "
	    "trailing dot (the CA compares it byte for byte)" } },
	{ "directories not a mapping", "directories: [a]\n",
	    { "1:14: directories must be a mapping of ACME directory URL to "
	    "issuer domain, not a list" } },
	{ "duplicate key", "timeout: 5\nmethod: dns-01\ntimeout: 6\n",
	    { "3:1: duplicate key \"timeout\" in the configuration (first at "
	    "line 1)" } },
	{ "wrong type", "ca: [letsencrypt]\n",
	    { "1:5: ca must be a string, not a list" } },
	{ "unknown CA", "ca: letsencrytp\n",
	    { "1:5: unknown CA \"letsencrytp\" (known: letsencrypt, zerossl, "
	    "buypass, google, sslcom, sectigo; or give issuer: with the CA's "
	    "issuer domain)" } },
	{ "bad URI", "account_uri: acme-v02.api.letsencrypt.org/acct/1\n",
	    { "1:14: account_uri \"acme-v02.api.letsencrypt.org/acct/1\": "
	    "account URI must start with https://" } },
	{ "URI with a space",
	    "account_uri: \"https://ca.example/acct/1 2\"\n",
	    { "1:14: account_uri \"https://ca.example/acct/1 2\": account URI "
	    "has a space, semicolon, control or non-ASCII character, which a "
	    "CAA accounturi cannot hold" } },
	{ "bad method", "method: http01\n",
	    { "1:9: method \"http01\": unknown validation method (expected "
	    "http-01, dns-01, tls-alpn-01, dns-account-01 or dns-persist-01)" } },
	{ "bad timeout", "timeout: 0\n",
	    { "1:10: timeout must be a whole number of seconds from 1 to 3600, "
	    "not \"0\"" } },
	{ "bad checks level", "checks:\n  nameservers: maybe\n  dns01: auto\n",
	    { "2:16: checks.nameservers must be error, warn or off, not "
	    "\"maybe\"" } },
	{ "bad signature_days", "checks:\n  signature_days: -1\n",
	    { "2:19: checks.signature_days must be a whole number of days "
	    "from 0 to 365, not \"-1\"" } },
	{ "bad max_inflight", "checks:\n  max_inflight: 0\n",
	    { "2:17: checks.max_inflight must be a whole number from 1 to "
	    "1024, not \"0\"" } },
	{ "invalid names, all reported",
	    "domains: [example.com, \"a..b\", \"*.ok.example\", \"x.*.y\"]\n",
	    { "1:24: invalid name \"a..b\": empty label (two dots in a row, or "
	    "a leading dot)",
	      "1:48: invalid name \"x.*.y\": label \"*\": \"*\" is only allowed "
	    "as the whole leftmost label" } },
	{ "errors in several places",
	    "ca: nope\nmethod: dns01\ncertificates:\n  - name: a\n"
	    "    domains: [a.example]\n    colour: blue\n",
	    { "1:5: unknown CA \"nope\" (known: letsencrypt, zerossl, buypass, "
	    "google, sslcom, sectigo; or give issuer: with the CA's issuer "
	    "domain)",
	      "2:9: method \"dns01\": unknown validation method (expected "
	    "http-01, dns-01, tls-alpn-01, dns-account-01 or dns-persist-01)",
	      "6:5: unknown key \"colour\" in certificates[0] (known: name, "
	    "domains, ca, issuer, account_uri, method)" } },
	{ "certificate without domains", "certificates:\n  - name: a\n",
	    { "2:5: certificates[0] has no domains" } },
	{ "ca and issuer", "ca: letsencrypt\nissuer: letsencrypt.org\n",
	    { "2:1: the configuration has both ca and issuer; give one" } },
	{ "issuer spelling", "issuer: [LetsEncrypt.org]\n",
	    { "1:10: issuer \"LetsEncrypt.org\": issuer domain must be written "
	    "in lower case, without a trailing dot (the CA compares it byte "
	    "for byte)" } },
	{ "bad forwarder", "resolver:\n  forward: [\"1.2.3.4@99999\", "
	    "dns.example]\n",
	    { "2:13: \"1.2.3.4@99999\": forwarder port must be 1-65535 "
	    "(addr@port)",
	      "2:30: \"dns.example\": forwarder is not an IP address (addr or "
	    "addr@port)" } },
	{ "YAML syntax", "ca: letsencrypt\n  method: [\n",
	    { "2:9: YAML syntax: mapping values are not allowed in this "
	    "context" } },
	{ "root not a mapping", "- a\n- b\n",
	    { "1:1: the configuration must be a mapping, not a list" } },
	/* The top mapping and 63 lists: 64 levels, read. */
	{ "64 levels", "domains: "
	    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
	    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
	    "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"
	    "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n",
	    { "1:11: a name must be a string, not a list" } },
	/* One more: refused before libyaml builds the document. */
	{ "65 levels", "domains: ["
	    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
	    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
	    "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"
	    "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n",
	    { "1:73: nested deeper than 64 levels" } },
};

static char *
write_tmp(const char *text)
{
	char	*path = strdup("/tmp/caapf-conf-XXXXXX");
	int	 fd;

	ck_assert_ptr_nonnull(path);
	ck_assert_int_ne(fd = mkstemp(path), -1);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

START_TEST(test_errors)
{
	const struct ccase	*c = &ccases[_i];
	struct conf		*cf = conf_new();
	struct conf_errors	 e = { NULL, 0 };
	char			*path = write_tmp(c->yaml);
	size_t			 n, i, plen = strlen(path) + 1;
	int			 rc;

	for (n = 0; n < 4 && c->errs[n] != NULL; n++)
		;
	rc = conf_load(cf, path, &e);
	ck_assert_msg(rc == (int)n, "%s: %d errors, want %zu", c->desc, rc, n);
	ck_assert_uint_eq(e.n, n);
	for (i = 0; i < n; i++) {
		ck_assert(strncmp(e.msgs[i], path, plen - 1) == 0);
		ck_assert_str_eq(e.msgs[i] + plen, c->errs[i]);
	}
	conf_errors_free(&e);
	conf_free(cf);
	unlink(path);
	free(path);
}
END_TEST

START_TEST(test_full)
{
	struct conf		*cf = conf_new();
	struct conf_errors	 e = { NULL, 0 };
	struct policy	 p;
	char			*path;

	path = write_tmp(
	    "ca: zerossl\n"
	    "account_uri: https://acme.example/acct/7\n"
	    "method: dns-01\n"
	    "timeout: 30\n"
	    "checks:\n  nameservers: warn\n  dns01: off\n  max_inflight: 4\n"
	    "  signature_days: 14\n"
	    "resolver:\n"
	    "  trust_anchor: /tmp/ta.key\n"
	    "  root_hints: /tmp/hints\n"
	    "  forward: [127.0.0.1, \"::1@5353\"]\n"
	    "  options: {do-not-query-localhost: \"no\", verbosity: 0}\n"
	    "certificates:\n"
	    "  - name: web\n"
	    "    domains: [example.com, \"*.example.com\"]\n"
	    "    issuer: [pki.goog, letsencrypt.org]\n"
	    "    method: http-01\n"
	    "domains: [other.example]\n"
	    "on_unknown: block\n"
	    "directories:\n  \"https://ca.example.net/acme/dir\": "
	    "ca.example.net\n");
	ck_assert_int_eq(conf_load(cf, path, &e), 0);
	ck_assert_str_eq(cf->pol.ca, "zerossl");
	ck_assert_str_eq(cf->pol.issuers[0], "sectigo.com");
	ck_assert_str_eq(cf->pol.account_uri, "https://acme.example/acct/7");
	ck_assert_int_eq(cf->timeout, 30);
	ck_assert_int_eq(cf->nameservers, CONF_WARN);
	ck_assert_int_eq(cf->dns01, CONF_OFF);
	ck_assert_int_eq(cf->max_inflight, 4);
	ck_assert_int_eq(cf->signature_days, 14);
	ck_assert_str_eq(cf->trust_anchor, "/tmp/ta.key");
	ck_assert_str_eq(cf->root_hints, "/tmp/hints");
	ck_assert_uint_eq(cf->nforward, 2);
	ck_assert_str_eq(cf->forward[1], "::1@5353");
	ck_assert_uint_eq(cf->noptions, 2);
	ck_assert_str_eq(cf->options[0].name, "do-not-query-localhost");
	ck_assert_str_eq(cf->options[1].value, "0");
	ck_assert_uint_eq(cf->ncerts, 2);
	ck_assert_str_eq(cf->certs[0].label, "web");
	ck_assert_uint_eq(cf->certs[0].ndomains, 2);
	ck_assert_str_eq(cf->certs[0].domains[1], "*.example.com");
	ck_assert_ptr_null(cf->certs[1].label);
	ck_assert_str_eq(cf->certs[1].domains[0], "other.example");
	ck_assert_int_eq(cf->on_unknown, CONF_UNKNOWN_BLOCK);
	ck_assert_uint_eq(cf->ndirectories, 1);
	ck_assert_str_eq(cf->directories[0].url,
	    "https://ca.example.net/acme/dir");
	ck_assert_str_eq(cf->directories[0].issuer, "ca.example.net");

	conf_effective(cf, &cf->certs[0], &p);
	ck_assert_uint_eq(p.nissuers, 2);
	ck_assert_str_eq(p.issuers[1], "letsencrypt.org");
	ck_assert_str_eq(p.method, "http-01");
	ck_assert_str_eq(p.account_uri, "https://acme.example/acct/7");
	conf_effective(cf, &cf->certs[1], &p);
	ck_assert_str_eq(p.issuers[0], "sectigo.com");
	ck_assert_str_eq(p.method, "dns-01");

	conf_free(cf);
	unlink(path);
	free(path);
}
END_TEST

START_TEST(test_defaults)
{
	struct conf	*cf = conf_new();

	ck_assert_str_eq(cf->pol.issuers[0], "letsencrypt.org");
	ck_assert_str_eq(cf->pol.method, "http-01");
	ck_assert_int_eq(cf->timeout, 15);
	ck_assert_int_eq(cf->nameservers, CONF_ERROR);
	ck_assert_int_eq(cf->dns01, CONF_AUTO);
	ck_assert_int_eq(cf->max_inflight, 32);
	conf_free(cf);
}
END_TEST

START_TEST(test_not_a_file)
{
	struct conf		*cf = conf_new();
	struct conf_errors	 e = { NULL, 0 };

	ck_assert_int_eq(conf_load(cf, "/tmp", &e), 1);
	ck_assert_str_eq(e.msgs[0], "/tmp:1:1: not a regular file");
	conf_errors_free(&e);
	ck_assert_int_eq(conf_load(cf, "/nonexistent/x.yaml", &e), 1);
	ck_assert_str_eq(e.msgs[0], "/nonexistent/x.yaml:1:1: cannot open: "
	    "No such file or directory");
	conf_errors_free(&e);
	conf_free(cf);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("conf");
	TCase	*tc = tcase_create("conf");
	SRunner	*sr;
	int	 failed;

	tcase_add_loop_test(tc, test_errors, 0,
	    (int)(sizeof(ccases) / sizeof(ccases[0])));
	tcase_add_test(tc, test_full);
	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_not_a_file);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
