/*
 * Unit tests for the renderers, from a hand-built result tree: the text
 * report line by line, the -v trace, and the JSON document parsed back.
 */
#include <check.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "result.h"

static struct caa_record	 rec = { 0, CAA_TAG_ISSUE, (char *)"issue", 5,
    (char *)"sectigo.com", 11 };
static struct result_query	 q_www = { { "www.example", 257,
    RESULT_ANSWERED, 0, RESULT_DNSSEC_INSECURE, NULL, NULL, 0, 1.5 },
    CAA_LEVEL_ANSWER, NULL, 0, 0, NULL };
static struct result_query	 q_ex = { { "example", 257, RESULT_ANSWERED,
    0, RESULT_DNSSEC_SECURE, NULL, NULL, 1, 2.0 }, CAA_LEVEL_ANSWER,
    &rec, 1, 0, NULL };
static struct result_query	 q_txt = { { "_acme-challenge.ok.example", 16,
    RESULT_ANSWERED, 2, RESULT_DNSSEC_INSECURE, NULL, NULL, 0, 3.0 },
    CAA_LEVEL_ANSWER, NULL, 0, 0, NULL };
static const struct result_query *lv_www[] = { &q_www, &q_ex };
static const struct result_query *lv_ok[] = { &q_ex };
static const char *issuers[] = { "letsencrypt.org" };
static const char *warns[] = { "a \"quoted\"\nnote \xc3\xbc\x7f\\" };
static struct result_dns01	 dns01 = { "dns-01", &q_txt, VERDICT_WARN, 1,
    0, "dns-01: SERVFAIL looking up TXT", "fix the TXT", NULL };

static struct result_name	 names[3];
static struct zone_finding	 finding = { 1, (char *)"ns2.example",
    (char *)"192.0.2.2", (char *)"ns2-frankfurt", (char *)"example",
    (char *)"answers CAA for example with SERVFAIL", (char *)"upgrade it" };
static struct zone		 zone;
static const struct zone	*zones[] = { &zone };
static struct result_run	 run;
static const char *settings[] = { "qname-minimisation no", "ede yes" };

static void
build(void)
{
	memset(names, 0, sizeof(names));
	names[0].input = names[0].display = names[0].full = "www.example";
	names[0].issuers = issuers;
	names[0].nissuers = 1;
	names[0].method = "http-01";
	names[0].verdict = VERDICT_REFUSED;
	names[0].caa = CAA_REFUSED;
	names[0].relevant = 1;
	names[0].reason = "CAA issue at example allows only \"sectigo.com\", "
	    "not \"letsencrypt.org\"";
	names[0].fix = "example. CAA 0 issue \"letsencrypt.org\"";
	names[0].levels = lv_www;
	names[0].nlevels = 2;
	names[1].input = "*.Ok.example";
	names[1].display = "*.ok.example";
	names[1].full = "*.ok.example";
	names[1].wildcard = 1;
	names[1].cert = "main";
	names[1].issuers = issuers;
	names[1].nissuers = 1;
	names[1].method = "dns-01";
	names[1].verdict = VERDICT_DNS_FAILURE;
	names[1].caa = CAA_ALLOWED;
	names[1].relevant = 0;
	names[1].levels = lv_ok;
	names[1].nlevels = 1;
	names[1].warnings = warns;
	names[1].nwarnings = 1;
	names[1].dns01 = &dns01;
	names[1].ns_failed = 1;
	names[1].ns_zone = "example";
	names[2].input = names[2].display = names[2].full = "192.0.2.1";
	names[2].verdict = VERDICT_NOT_SUBJECT;
	names[2].relevant = -1;
	memset(&zone, 0, sizeof(zone));
	zone.apex = (char *)"example";
	zone.findings = &finding;
	zone.nfindings = 1;
	zone.nerrors = 1;
	memset(&run, 0, sizeof(run));
	run.names = names;
	run.nnames = 3;
	run.count[VERDICT_REFUSED] = 1;
	run.count[VERDICT_DNS_FAILURE] = 1;
	run.count[VERDICT_NOT_SUBJECT] = 1;
	run.queries = &q_www;
	run.nqueries = 1;
	run.nameservers = VERDICT_ERROR;
	run.zones = zones;
	run.nzones = 1;
	run.trust_anchor = "/tmp/root.key";
	run.resolver = settings;
	run.nresolver = 2;
	run.timeout = 15;
	run.started = 3;
	run.direct = 4;
	run.elapsed_ms = 12.5;
	run.exit = 2;
}

/* What a renderer wrote, as one string (the caller frees it). */
static char *
render(int which, const struct report_opts *o)
{
	char	*buf = NULL;
	size_t	 len = 0;
	FILE	*f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	if (which == 0)
		report_text(f, &run, o);
	else if (which == 1)
		report_trace(f, &run);
	else if (which == 2)
		report_json(f, &run);
	else
		report_certs(f, &run);
	fclose(f);
	return buf;
}

static const char *const text_lines[] = {
	"caa-preflight: www.example: CAA issue at example allows only "
	    "\"sectigo.com\", not \"letsencrypt.org\"",
	"caa-preflight:   fix: example. CAA 0 issue \"letsencrypt.org\"",
	"caa-preflight: *.ok.example: warning: dns-01: SERVFAIL looking up TXT",
	"caa-preflight:   fix: fix the TXT",
	"caa-preflight: *.ok.example: a nameserver of example is at fault "
	    "(below): the CA can fail or decide differently depending on the "
	    "server it reaches",
	"caa-preflight: *.ok.example: warning: a \"quoted\"\\010note "
	"\xc3\xbc\\127\\",
	"caa-preflight: 192.0.2.1: not subject to CAA (IP address); CAs skip "
	    "CAA for IP identifiers",
	"caa-preflight: example: nameserver ns2.example (192.0.2.2, NSID "
	    "\"ns2-frankfurt\") answers CAA for example with SERVFAIL",
	"caa-preflight:   fix: upgrade it",
	"caa-preflight: 3 names checked: 0 ok, 1 refused, 1 dns-failure, some "
	    "not subject to CAA",
	NULL
};

START_TEST(test_text)
{
	struct report_opts	 o = { REPORT_TEXT, 0, 0 };
	char			*out, *line, *p;
	size_t			 i = 0;

	build();
	out = render(0, &o);
	for (p = out; (line = strsep(&p, "\n")) != NULL && *line != '\0';
	    i++) {
		ck_assert_msg(text_lines[i] != NULL, "extra line: %s", line);
		ck_assert_str_eq(line, text_lines[i]);
	}
	ck_assert_msg(text_lines[i] == NULL, "missing: %s", text_lines[i]);
	free(out);
	/*
	 * -q: what blocks, with its fixes and the server at fault; no
	 * warning, no line for an IP address, no summary.
	 */
	o.quiet = 1;
	out = render(0, &o);
	ck_assert_str_eq(out, "caa-preflight: www.example: CAA issue at "
	    "example allows only \"sectigo.com\", not \"letsencrypt.org\"\n"
	    "caa-preflight:   fix: example. CAA 0 issue \"letsencrypt.org\"\n"
	    "caa-preflight: *.ok.example: a nameserver of example is at fault "
	    "(below): the CA can fail or decide differently depending on the "
	    "server it reaches\n"
	    "caa-preflight: example: nameserver ns2.example (192.0.2.2, NSID "
	    "\"ns2-frankfurt\") answers CAA for example with SERVFAIL\n"
	    "caa-preflight:   fix: upgrade it\n");
	free(out);
}
END_TEST

START_TEST(test_text_warn_level)
{
	struct report_opts	 o = { REPORT_TEXT, 0, 1 };
	char			*out;

	build();
	run.nameservers = VERDICT_WARN;
	names[1].verdict = VERDICT_OK;
	out = render(0, &o);
	/* At warn level a server at fault is a warning, not a failure. */
	ck_assert_ptr_nonnull(strstr(out, "caa-preflight: example: warning: "
	    "nameserver ns2.example (192.0.2.2, NSID \"ns2-frankfurt\") "
	    "answers"));
	ck_assert_ptr_null(strstr(out, "is at fault"));
	/* -v names where the CAA of an "ok" name was found. */
	ck_assert_ptr_nonnull(strstr(out, "caa-preflight: *.ok.example: ok "
	    "(relevant CAA at example)\n"));
	free(out);
}
END_TEST

/*
 * SPEC 5.6: a name our own resolver failed is not checked, and the
 * closing lines blame this machine, not the deadline, for it.
 */
START_TEST(test_text_not_checked)
{
	struct report_opts	 o = { REPORT_TEXT, 1, 0 };
	char			*out;

	build();
	names[0].verdict = VERDICT_NOT_CHECKED;
	names[0].caa = CAA_FAILED;
	names[0].caa_cut = 1;
	names[0].local = 1;
	names[0].reason = "not checked: caa-preflight's own resolver failed "
	    "looking up CAA for www.example: out of memory";
	names[0].fix = VERDICT_FIX_LOCAL;
	names[1].verdict = VERDICT_NOT_CHECKED;
	names[1].caa = CAA_FAILED;
	names[1].caa_cut = 1;
	names[1].reason = "not checked: the run's 15 s deadline passed "
	    "before CAA for ok.example was looked up";
	names[1].fix = VERDICT_FIX_DEADLINE;
	names[1].ns_failed = 0;
	names[1].dns01 = NULL;
	names[1].nwarnings = 0;
	run.count[VERDICT_REFUSED] = 0;
	run.count[VERDICT_DNS_FAILURE] = 0;
	run.count[VERDICT_NOT_CHECKED] = 2;
	run.local = 1;
	run.nzones = 0;
	out = render(0, &o);
	ck_assert_str_eq(out, "caa-preflight: www.example: not checked: "
	    "caa-preflight's own resolver failed looking up CAA for "
	    "www.example: out of memory\n"
	    "caa-preflight:   fix: " VERDICT_FIX_LOCAL "\n"
	    "caa-preflight: *.ok.example: not checked: the run's 15 s "
	    "deadline passed before CAA for ok.example was looked up\n"
	    "caa-preflight:   fix: " VERDICT_FIX_DEADLINE "\n"
	    "caa-preflight: caa-preflight's own resolver failed before 1 name "
	    "could be checked\n"
	    "caa-preflight:   fix: " VERDICT_FIX_LOCAL "\n"
	    "caa-preflight: the run's 15 s deadline passed before 1 name could "
	    "be checked\n"
	    "caa-preflight:   fix: " VERDICT_FIX_DEADLINE "\n");
	free(out);
	/* Only our own failure: no word of the deadline. */
	names[1].verdict = VERDICT_OK;
	run.count[VERDICT_NOT_CHECKED] = 1;
	out = render(0, &o);
	ck_assert_ptr_null(strstr(out, "deadline"));
	ck_assert_ptr_nonnull(strstr(out, "caa-preflight: caa-preflight's own "
	    "resolver failed before 1 name could be checked\n"));
	free(out);
}
END_TEST

START_TEST(test_trace)
{
	char	*out;

	build();
	out = render(1, NULL);
	ck_assert_ptr_nonnull(strstr(out, "caa-preflight: resolver: trust "
	    "anchor /tmp/root.key\ncaa-preflight: resolver: "
	    "qname-minimisation no\ncaa-preflight: resolver: ede yes\n"
	    "caa-preflight: query CAA www.example: "
	    "NOERROR, insecure, 0 records, 1.5 ms\n"));
	ck_assert_ptr_nonnull(strstr(out, "caa-preflight: 3 lookups and 4 "
	    "direct queries in 12.5 ms\n"));
	free(out);
}
END_TEST

/* A JSON value, parsed: returns past it, or NULL when it is not JSON. */
static const char *value(const char *);

static const char *
ws(const char *s)
{
	while (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r')
		s++;
	return s;
}

static const char *
string(const char *s)
{
	if (*s++ != '"')
		return NULL;
	for (; *s != '"'; s++) {
		if (*s == '\0' || (unsigned char)*s < 0x20)
			return NULL;
		if (*s == '\\') {
			s++;
			if (*s == 'u') {
				for (int i = 1; i <= 4; i++)
					if (!isxdigit((unsigned char)s[i]))
						return NULL;
				s += 4;
			} else if (strchr("\"\\/bfnrt", *s) == NULL)
				return NULL;
		}
	}
	return s + 1;
}

static const char *
list(const char *s, char close, int keyed)
{
	s = ws(s + 1);
	if (*s == close)
		return s + 1;
	for (;;) {
		if (keyed) {
			if ((s = string(ws(s))) == NULL)
				return NULL;
			if (*(s = ws(s)) != ':')
				return NULL;
			s++;
		}
		if ((s = value(s)) == NULL)
			return NULL;
		s = ws(s);
		if (*s == close)
			return s + 1;
		if (*s++ != ',')
			return NULL;
	}
}

static const char *
value(const char *s)
{
	char	*end;

	s = ws(s);
	if (*s == '{')
		return list(s, '}', 1);
	if (*s == '[')
		return list(s, ']', 0);
	if (*s == '"')
		return string(s);
	if (strncmp(s, "true", 4) == 0 || strncmp(s, "null", 4) == 0)
		return s + 4;
	if (strncmp(s, "false", 5) == 0)
		return s + 5;
	(void)strtod(s, &end);
	return end == s ? NULL : end;
}

START_TEST(test_json)
{
	char		*out;
	const char	*end;

	build();
	out = render(2, NULL);
	end = value(out);
	ck_assert_msg(end != NULL && *ws(end) == '\0', "not one JSON "
	    "document: %s", out);
	ck_assert_ptr_nonnull(strstr(out, "\"exit\":2,\"lookups\":3,"));
	ck_assert_ptr_nonnull(strstr(out, "{\"name\":\"www.example\",\"input\":"
	    "\"www.example\",\"certificate\":null,\"wildcard\":false,"
	    "\"verdict\":\"refused\""));
	ck_assert_ptr_nonnull(strstr(out, "\"relevant\":\"example\","
	    "\"considered\":\"issue\",\"records\":[{\"flags\":0,\"tag\":"
	    "\"issue\",\"value\":\"sectigo.com\"}]"));
	ck_assert_ptr_nonnull(strstr(out, "\"warnings\":[\"a \\\"quoted\\\""
	    "\\u000anote \\u00c3\\u00bc\\u007f\\\\\"]"));
	ck_assert_ptr_nonnull(strstr(out, "\"dns01\":{\"name\":"
	    "\"_acme-challenge.ok.example\",\"status\":\"SERVFAIL\""));
	ck_assert_ptr_nonnull(strstr(out, "\"method\":\"dns-01\",\"severity\":"
	    "\"warn\",\"ok\":false,\"refused\":false,"));
	ck_assert_ptr_nonnull(strstr(out, "{\"name\":\"192.0.2.1\",\"input\":"
	    "\"192.0.2.1\",\"certificate\":null,\"wildcard\":false,\"verdict\":"
	    "\"not-subject\",\"exit_share\":0,\"nameservers_failed\":false,"
	    "\"nameservers_incomplete\":false,\"reason\":\"IP address: not "
	    "subject to CAA\"}"));
	ck_assert_ptr_nonnull(strstr(out, "\"findings\":[{\"severity\":"
	    "\"error\",\"server\":\"ns2.example\",\"address\":"
	    "\"192.0.2.2\",\"nsid\":\"ns2-frankfurt\""));
	free(out);
	/* The nameserver check off: null, still one document. */
	run.zones = NULL;
	run.nzones = 0;
	out = render(2, NULL);
	end = value(out);
	ck_assert(end != NULL && *ws(end) == '\0');
	ck_assert_ptr_nonnull(strstr(out, "\"nameservers\":null}"));
	free(out);
}
END_TEST

/*
 * SPEC 5.5, 5.6, 8 rev. 2: a line per certificate with what was
 * assumed; a certificate not yet due warns; one that could not be read
 * is named; what on_unknown lets through is said, -q or not.
 */
static struct result_cert	 certs[3];

static void
build_certs(void)
{
	build();
	memset(certs, 0, sizeof(certs));
	certs[0].label = "web";
	certs[0].client = "certbot";
	certs[0].directory = "https://acme-v02.api.letsencrypt.org/directory";
	certs[0].issuers = issuers;
	certs[0].nissuers = 1;
	certs[0].account_uri = "https://acme-v02.api.letsencrypt.org/acme/"
	    "acct/42";
	certs[0].method = "http-01";
	certs[0].due = 1;
	certs[0].decides = 1;
	certs[0].verdict = VERDICT_REFUSED;
	certs[0].nnames = 1;
	certs[0].nfailing = 1;
	certs[0].share = 1;
	certs[1] = certs[0];
	certs[1].label = "main";
	certs[1].account_uri = NULL;
	certs[1].method = "dns-01";
	certs[1].due = 0;
	certs[1].due_days = 12;
	certs[1].decides = 0;
	certs[1].share = 0;
	certs[1].verdict = VERDICT_DNS_FAILURE;
	certs[2].label = "broken";
	certs[2].decides = 1;
	certs[2].due = -1;
	certs[2].verdict = VERDICT_NOT_CHECKED;
	certs[2].problem = "/etc/letsencrypt/renewal/broken.conf: no server "
	    "in [renewalparams]: the CA of its next order is not known";
	names[0].certificate = &certs[0];
	names[0].cert = "web";
	names[0].share = 1;
	names[1].certificate = &certs[1];
	run.certs = certs;
	run.ncerts = 3;
	run.unknown_allowed = 1;
	run.exit = 1;
}

START_TEST(test_certs)
{
	struct report_opts	 o = { REPORT_TEXT, 0, 0 };
	char			*out;
	const char		*end;

	build_certs();
	out = render(0, &o);
	/* Not yet due: its problems are warnings. */
	ck_assert_ptr_nonnull(strstr(out, "caa-preflight: *.ok.example: "
	    "warning: renewal in 12 days will fail: a nameserver of example "
	    "is at fault (below)"));
	ck_assert_ptr_nonnull(strstr(out, "caa-preflight: certificate web: "
	    "refused, 1 of 1 name fails; CA letsencrypt.org "
	    "(https://acme-v02.api.letsencrypt.org/directory), method "
	    "http-01, account https://acme-v02.api.letsencrypt.org/acme/"
	    "acct/42; due\n"
	    "caa-preflight: certificate main: dns-failure, 1 of 1 name fails; "
	    "CA letsencrypt.org (https://acme-v02.api.letsencrypt.org/"
	    "directory), method dns-01, account none; due in 12 days\n"
	    "caa-preflight: certificate broken: not checked: "
	    "/etc/letsencrypt/renewal/broken.conf: no server in "
	    "[renewalparams]: the CA of its next order is not known\n"
	    "caa-preflight: 1 certificate not checked: on_unknown: allow lets "
	    "the order go on\n"
	    "caa-preflight:   fix: set on_unknown: block to stop an order that "
	    "could not be checked\n"));
	free(out);
	/* -q: what blocks, and what was not checked; nothing not due. */
	o.quiet = 1;
	out = render(0, &o);
	ck_assert_ptr_null(strstr(out, "*.ok.example"));
	ck_assert_ptr_null(strstr(out, "certificate main"));
	ck_assert_ptr_nonnull(strstr(out, "caa-preflight: certificate web: "
	    "refused"));
	ck_assert_ptr_nonnull(strstr(out, "caa-preflight: certificate "
	    "broken: not checked: "));
	ck_assert_ptr_nonnull(strstr(out, "caa-preflight: 1 certificate not "
	    "checked: on_unknown: allow lets the order go on\n"));
	free(out);
	/* JSON: each certificate, and each name's share of the exit. */
	out = render(2, NULL);
	end = value(out);
	ck_assert_msg(end != NULL && *ws(end) == '\0', "not one JSON "
	    "document: %s", out);
	ck_assert_ptr_nonnull(strstr(out, "\"certificates\":[{\"label\":"
	    "\"web\",\"client\":\"certbot\",\"directory\":\"https://"
	    "acme-v02.api.letsencrypt.org/directory\",\"issuers\":"
	    "[\"letsencrypt.org\"],\"account_uri\":\"https://acme-v02.api."
	    "letsencrypt.org/acme/acct/42\",\"method\":\"http-01\","
	    "\"due\":true,\"decides\":true,\"verdict\":\"refused\","
	    "\"exit_share\":1,\"names\":1,\"failing\":1,\"not_checked\":0,"
	    "\"problem\":null}"));
	ck_assert_ptr_nonnull(strstr(out, "\"due\":false,\"due_in_days\":12,"
	    "\"decides\":false,"));
	ck_assert_ptr_nonnull(strstr(out, "\"verdict\":\"refused\","
	    "\"exit_share\":1,"));
	ck_assert_ptr_nonnull(strstr(out, "],\"on_unknown_allows\":true,"));
	free(out);
	/*
	 * --format certificates: hold only what would fail; a control
	 * character in a label cannot start a line of its own.
	 */
	certs[2].label = "bro\nken";
	out = render(3, NULL);
	ck_assert_str_eq(out, "web\trefused\thold\tdue\n"
	    "main\tdns-failure\tgo\tlater\n"
	    "bro\\012ken\tnot-checked\tgo\t-\n");
	free(out);
}
END_TEST

/* SPEC 5.7: a signature that expires soon is a warning, with a fix. */
START_TEST(test_horizon)
{
	/* 2025-12-08 08:00:00 UTC */
	static const struct result_expiry exp[] = {
		{ "example", 257, "example", 1765180800 }
	};
	struct report_opts	 o = { REPORT_TEXT, 0, 0 };
	char			*out;

	build();
	run.started_at = 1765000800;	/* 50 hours before */
	run.signature_days = 7;
	run.expiring = exp;
	run.nexpiring = 1;
	run.sig_earliest = exp[0].expires;
	out = render(0, &o);
	ck_assert_ptr_nonnull(strstr(out, "caa-preflight: example: warning: "
	    "its signature of example CAA expires at 2025-12-08 08:00:00 UTC, "
	    "in 2.1 days: from then the CA's lookup fails DNSSEC validation "
	    "and it refuses\ncaa-preflight:   fix: re-sign example now, and "
	    "find out why its signer has not (signatures are refreshed well "
	    "before they expire)\n"));
	free(out);
	o.quiet = 1;
	out = render(0, &o);
	ck_assert_ptr_null(strstr(out, "its signature"));
	free(out);
	out = render(2, NULL);
	ck_assert_ptr_nonnull(strstr(out, ",\"signatures\":{\"days\":7,"
	    "\"earliest\":1765180800,\"expiring\":[{\"name\":\"example\","
	    "\"type\":\"CAA\",\"signer\":\"example\",\"expires\":"
	    "1765180800}]}"));
	free(out);
}
END_TEST

START_TEST(test_msg_escapes)
{
	char	*buf = NULL;
	size_t	 len = 0;
	FILE	*f = open_memstream(&buf, &len);

	report_msg(f, "%s", "a\033[2Jb\177");
	fclose(f);
	ck_assert_str_eq(buf, "caa-preflight: a\\027[2Jb\\127\n");
	free(buf);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("report");
	TCase	*tc = tcase_create("report");
	SRunner	*sr;
	int	 failed;

	tcase_add_test(tc, test_text);
	tcase_add_test(tc, test_text_warn_level);
	tcase_add_test(tc, test_text_not_checked);
	tcase_add_test(tc, test_trace);
	tcase_add_test(tc, test_json);
	tcase_add_test(tc, test_msg_escapes);
	tcase_add_test(tc, test_certs);
	tcase_add_test(tc, test_horizon);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
