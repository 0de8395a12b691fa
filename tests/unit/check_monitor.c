/*
 * Unit tests for monitor: the plugin's state and status line for each
 * kind of run, and the Prometheus textfile's samples and escaping, from
 * hand-built result trees.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "monitor.h"
#include "result.h"

static const char *issuers[] = { "letsencrypt.org" };
static struct result_name	 names[2];
static struct result_cert	 cert;
static struct result_run	 run;

static void
build(enum verdict v0, enum verdict v1)
{
	memset(names, 0, sizeof(names));
	memset(&cert, 0, sizeof(cert));
	memset(&run, 0, sizeof(run));
	names[0].full = names[0].display = names[0].input = "a.example";
	names[0].issuers = issuers;
	names[0].nissuers = 1;
	names[0].verdict = v0;
	names[0].caa = v0 == VERDICT_REFUSED ? CAA_REFUSED : CAA_ALLOWED;
	names[0].reason = v0 == VERDICT_REFUSED ? "CAA issue at a.example "
	    "allows only \"sectigo.com\" | not \"letsencrypt.org\"" : NULL;
	names[1].full = names[1].display = names[1].input = "b.example";
	names[1].verdict = v1;
	names[1].caa = CAA_ALLOWED;
	run.names = names;
	run.nnames = 2;
	run.count[v0]++;
	run.count[v1]++;
	run.elapsed_ms = 1234.5;
	run.nameservers = VERDICT_ERROR;
}

static char *
render(int prom)
{
	char	*buf = NULL;
	size_t	 len = 0;
	FILE	*f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	if (prom)
		monitor_prometheus(f, &run, 1765000000);
	else
		monitor_nagios(f, &run);
	fclose(f);
	return buf;
}

START_TEST(test_states)
{
	char	*out;

	build(VERDICT_OK, VERDICT_OK);
	ck_assert_int_eq(monitor_state(&run), MONITOR_OK);
	out = render(0);
	ck_assert_str_eq(out, "CAA-PREFLIGHT OK - 2 names will pass | "
	    "'names'=2 'ok'=2 'refused'=0 'failed'=0 'warnings'=0 "
	    "'seconds'=1.234s\n");
	free(out);

	/* A refusal: CRITICAL, naming it; no "|" from the reason. */
	build(VERDICT_REFUSED, VERDICT_OK);
	ck_assert_int_eq(monitor_state(&run), MONITOR_CRITICAL);
	out = render(0);
	ck_assert_str_eq(out, "CAA-PREFLIGHT CRITICAL - 1 of 2 names will "
	    "fail; a.example: CAA issue at a.example allows only "
	    "\"sectigo.com\" / not \"letsencrypt.org\" | 'names'=2 'ok'=1 "
	    "'refused'=1 'failed'=0 'warnings'=0 'seconds'=1.234s\n");
	free(out);

	/* ... of a certificate not yet due: WARNING. */
	cert.label = "web";
	cert.due = 0;
	cert.due_days = 12;
	names[0].certificate = &cert;
	ck_assert_int_eq(monitor_state(&run), MONITOR_WARNING);
	ck_assert_uint_eq(monitor_warnings(&run), 1);
	out = render(0);
	ck_assert_ptr_nonnull(strstr(out, "CAA-PREFLIGHT WARNING - renewal "
	    "of web in 12 days will fail; a.example: CAA issue"));
	free(out);
	/* ... or with --all, or due: CRITICAL again. */
	cert.decides = 1;
	ck_assert_int_eq(monitor_state(&run), MONITOR_CRITICAL);

	/* Not checked: UNKNOWN, whatever on_unknown lets through. */
	build(VERDICT_OK, VERDICT_NOT_CHECKED);
	run.unknown_allowed = 1;
	ck_assert_int_eq(monitor_state(&run), MONITOR_UNKNOWN);
	out = render(0);
	ck_assert_ptr_nonnull(strstr(out, "CAA-PREFLIGHT UNKNOWN - 1 of 2 "
	    "names not checked | "));
	free(out);
	/* A refusal outweighs it. */
	names[0].verdict = VERDICT_REFUSED;
	ck_assert_int_eq(monitor_state(&run), MONITOR_CRITICAL);
}
END_TEST

START_TEST(test_warnings)
{
	static const char *warns[] = { "w1", "w2" };
	static struct zone_finding fds[2] = {
		{ 1, NULL, NULL, NULL, NULL, (char *)"e", NULL },
		{ 0, NULL, NULL, NULL, NULL, (char *)"w", NULL }
	};
	static struct zone	 z;
	static const struct zone *zs[] = { &z };

	build(VERDICT_OK, VERDICT_DNS_FAILURE);
	names[0].warnings = warns;
	names[0].nwarnings = 2;
	memset(&z, 0, sizeof(z));
	z.apex = (char *)"a.example";
	z.findings = fds;
	z.nfindings = 2;
	run.zones = zs;
	run.nzones = 1;
	/* Two of the name's, one finding's (the error is not one). */
	ck_assert_uint_eq(monitor_warnings(&run), 3);
	/* At warn level, every finding is a warning. */
	run.nameservers = VERDICT_WARN;
	ck_assert_uint_eq(monitor_warnings(&run), 4);
}
END_TEST

START_TEST(test_prometheus)
{
	const char	*tail = "\ncaa_preflight_last_run_timestamp_seconds "
			    "1765000000\n";
	char		*out;

	build(VERDICT_REFUSED, VERDICT_OK);
	cert.label = "we\"b\\\n";
	cert.client = "certbot";
	cert.due = 1;
	cert.decides = 1;
	cert.verdict = VERDICT_REFUSED;
	cert.nfailing = 1;
	names[0].certificate = &cert;
	run.certs = &cert;
	run.ncerts = 1;
	run.exit = 1;
	out = render(1);
	ck_assert_ptr_nonnull(strstr(out, "# HELP caa_preflight_name_verdict "));
	ck_assert_ptr_nonnull(strstr(out, "# TYPE caa_preflight_name_verdict "
	    "gauge\n"));
	/* Label values escaped as the exposition format says. */
	ck_assert_ptr_nonnull(strstr(out, "caa_preflight_name_verdict{name="
	    "\"a.example\",certificate=\"we\\\"b\\\\\\n\",verdict=\"refused\","
	    "decides=\"true\"} 1\n"));
	ck_assert_ptr_nonnull(strstr(out, "caa_preflight_name_verdict{name="
	    "\"b.example\",certificate=\"\",verdict=\"ok\",decides=\"true\"} "
	    "1\n"));
	ck_assert_ptr_nonnull(strstr(out, "caa_preflight_names{verdict="
	    "\"refused\"} 1\n"));
	ck_assert_ptr_nonnull(strstr(out, "caa_preflight_certificate_verdict{"
	    "certificate=\"we\\\"b\\\\\\n\",client=\"certbot\",verdict="
	    "\"refused\",due=\"true\"} 1\n"));
	ck_assert_ptr_nonnull(strstr(out, "caa_preflight_nagios_state 2\n"));
	ck_assert_ptr_nonnull(strstr(out, "caa_preflight_exit_status 1\n"));
	ck_assert_ptr_nonnull(strstr(out, "caa_preflight_run_duration_seconds "
	    "1.234\n"));
	/* The completion time last: a reader can tell a whole file. */
	ck_assert_str_eq(out + strlen(out) - strlen(tail), tail);
	free(out);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("monitor");
	TCase	*tc = tcase_create("monitor");
	SRunner	*sr;
	int	 failed;

	tcase_add_test(tc, test_states);
	tcase_add_test(tc, test_warnings);
	tcase_add_test(tc, test_prometheus);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
