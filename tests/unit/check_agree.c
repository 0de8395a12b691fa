/*
 * Unit tests for agree: two servers' CAA or dns-persist-01 answers, the
 * same decision or not, from hand-built answers.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "agree.h"

/* A server's answer holding the given CAA value (an "issue" record). */
static void
seen(struct zone_seen *q, int rcode, const char *issue, const char *tag)
{
	size_t	 t = strlen(tag), v = issue ? strlen(issue) : 0;

	memset(q, 0, sizeof(*q));
	q->rcode = rcode;
	if (issue == NULL)
		return;
	q->rdata = calloc(1, sizeof(*q->rdata));
	q->rdlen = calloc(1, sizeof(*q->rdlen));
	q->rdata[0] = malloc(2 + t + v);
	q->rdata[0][0] = 0;
	q->rdata[0][1] = (uint8_t)t;
	memcpy(q->rdata[0] + 2, tag, t);
	memcpy(q->rdata[0] + 2 + t, issue, v);
	q->rdlen[0] = 2 + t + v;
	q->nrdata = 1;
}

static void
unseen(struct zone_seen *q)
{
	if (q->nrdata > 0)
		free(q->rdata[0]);
	free(q->rdata);
	free(q->rdlen);
}

struct acase {
	int		 rcode_a;
	const char	*a;
	const char	*tag_a;
	int		 rcode_b;
	const char	*b;
	const char	*tag_b;
	int		 wildcard;
	int		 same;
};

static const struct acase acases[] = {
	/* Both allow, one with an extra iodef-like difference. */
	{ 0, "letsencrypt.org", "issue", 0, "letsencrypt.org; x=y", "issue",
	    0, 1 },
	/* One allows, one forbids. */
	{ 0, "letsencrypt.org", "issue", 0, "sectigo.com", "issue", 0, 0 },
	/* Both refuse, naming different CAs: different reasons. */
	{ 0, "sectigo.com", "issue", 0, "pki.goog", "issue", 0, 0 },
	/* Nothing at one level: the parent's record decides, which allows. */
	{ 3, NULL, "issue", 0, NULL, "issue", 0, 1 },
	{ 0, NULL, "issue", 0, "letsencrypt.org", "issue", 0, 1 },
	/* issuewild matters only to a wildcard. */
	{ 0, "letsencrypt.org", "issue", 0, "sectigo.com", "issuewild", 0, 1 },
	{ 0, "letsencrypt.org", "issue", 0, "sectigo.com", "issuewild", 1, 0 },
	{ 0, "letsencrypt.org", "issuewild", 0, "letsencrypt.org", "issue",
	    1, 1 },
	/* A record that does not parse (cut below) fails: never the same. */
	{ 0, "letsencrypt.org", "issue", 0, "letsencrypt.org", "cut", 0, 0 },
};

START_TEST(test_caa)
{
	const struct acase	*c = &acases[_i];
	static const char	*issuers[] = { "letsencrypt.org" };
	struct caa_record	 parent;
	struct caa_level	 lv[2];
	struct caa_policy	 pol = { issuers, 1, NULL, "http-01" };
	struct zone_seen	 a, b;

	ck_assert_int_eq(caa_record_set(&parent, 0, "issue",
	    "letsencrypt.org"), 0);
	memset(lv, 0, sizeof(lv));
	lv[0].name = "www.example";
	lv[0].state = CAA_LEVEL_ANSWER;
	lv[1].name = "example";
	lv[1].state = CAA_LEVEL_ANSWER;
	lv[1].records = &parent;
	lv[1].nrecords = 1;
	seen(&a, c->rcode_a, c->a, c->tag_a);
	seen(&b, c->rcode_b, c->b, c->tag_b);
	if (strcmp(c->tag_b, "cut") == 0)
		b.rdlen[0] = 3;		/* the tag runs past the record */
	ck_assert_msg(agree_caa(lv, 2, 0, c->wildcard, &pol, &a, &b) == c->same,
	    "case %d", _i);
	/* The check is symmetric. */
	ck_assert_int_eq(agree_caa(lv, 2, 0, c->wildcard, &pol, &b, &a),
	    c->same);
	unseen(&a);
	unseen(&b);
	caa_record_clear(&parent);
}
END_TEST

/* A TXT answer with one string. */
static void
txt(struct zone_seen *q, int rcode, const char *s)
{
	size_t	 n = s ? strlen(s) : 0;

	memset(q, 0, sizeof(*q));
	q->rcode = rcode;
	if (s == NULL)
		return;
	q->rdata = calloc(1, sizeof(*q->rdata));
	q->rdlen = calloc(1, sizeof(*q->rdlen));
	q->rdata[0] = malloc(n + 1);
	q->rdata[0][0] = (uint8_t)n;
	memcpy(q->rdata[0] + 1, s, n);
	q->rdlen[0] = n + 1;
	q->nrdata = 1;
}

START_TEST(test_persist)
{
	static const char	*issuers[] = { "letsencrypt.org" };
	struct answer_persist	 p = { issuers, 1, "https://a/acct/1", 0,
	    1765000000 };
	struct zone_seen	 a, b;

	txt(&a, 0, "letsencrypt.org; accounturi=https://a/acct/1");
	txt(&b, 0, "letsencrypt.org;accounturi=https://a/acct/1; x=1");
	ck_assert_int_eq(agree_persist(&p, &a, &b), 1);
	unseen(&b);
	txt(&b, 3, NULL);
	ck_assert_int_eq(agree_persist(&p, &a, &b), 0);
	unseen(&b);
	txt(&b, 0, "letsencrypt.org; accounturi=https://a/acct/2");
	ck_assert_int_eq(agree_persist(&p, &a, &b), 0);
	unseen(&a);
	unseen(&b);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("agree");
	TCase	*tc = tcase_create("agree");
	SRunner	*sr;
	int	 failed;

	tcase_add_loop_test(tc, test_caa, 0,
	    sizeof(acases) / sizeof(acases[0]));
	tcase_add_test(tc, test_persist);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
