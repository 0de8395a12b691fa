/*
 * Unit tests for the caa module: RDATA parsing, the value grammar and
 * the decision, including every case of Let's Encrypt's own test table.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caa.h"

#define LE	"letsencrypt.org"
#define ACCT	"https://letsencrypt.org/acct/reg/123"
#define ACCT2	"https://letsencrypt.org/acct/reg/321"

/* ---- RDATA ---- */

struct rdcase {
	const char	*desc;
	const char	*wire;		/* bytes */
	size_t		 len;
	int		 ok;
	unsigned	 flags;
	const char	*tag;
	size_t		 taglen;
	enum caa_tag	 kind;
	size_t		 valuelen;
};

static const struct rdcase rdcases[] = {
	{ "plain issue", "\x00\x05issueletsencrypt.org", 22, 1, 0, "issue", 5,
	    CAA_TAG_ISSUE, 15 },
	{ "critical unknown", "\x80\x03" "foobar", 8, 1, 128, "foo", 3,
	    CAA_TAG_UNKNOWN, 3 },
	{ "mixed case tag", "\x00\x05iSsUeca.com", 13, 1, 0, "iSsUe", 5,
	    CAA_TAG_ISSUE, 6 },
	{ "empty value", "\x00\x09issuewild", 11, 1, 0, "issuewild", 9,
	    CAA_TAG_ISSUEWILD, 0 },
	{ "zero-length tag", "\x00\x00value", 7, 1, 0, "", 0, CAA_TAG_UNKNOWN,
	    5 },
	{ "non-ASCII tag", "\x00\x05iss\xc3\xbcx", 7, 1, 0, "iss\xc3\xbc", 5,
	    CAA_TAG_UNKNOWN, 0 },
	{ "NUL in value", "\x00\x05issuelets\0ncrypt.org", 22, 1, 0, "issue",
	    5, CAA_TAG_ISSUE, 15 },
	{ "empty rdata", "", 0, 0, 0, NULL, 0, 0, 0 },
	{ "flags only", "\x00", 1, 0, 0, NULL, 0, 0, 0 },
	{ "tag length past end", "\x00\x09issue", 7, 0, 0, NULL, 0, 0, 0 },
	{ "tag length 255, short", "\x00\xffissue", 7, 0, 0, NULL, 0, 0, 0 },
};

START_TEST(test_rdata)
{
	const struct rdcase	*c = &rdcases[_i];
	struct caa_record	 r;
	const char		*why = NULL;
	int			 rc;

	rc = caa_record_parse((const uint8_t *)c->wire, c->len, &r, &why);
	if (!c->ok) {
		ck_assert_msg(rc == -1, "%s: parsed", c->desc);
		ck_assert_ptr_nonnull(why);
		return;
	}
	ck_assert_msg(rc == 0, "%s: %s", c->desc, why);
	ck_assert_uint_eq(r.flags, c->flags);
	ck_assert_uint_eq(r.taglen, c->taglen);
	ck_assert(memcmp(r.tag, c->tag, c->taglen) == 0);
	ck_assert_int_eq(r.kind, c->kind);
	ck_assert_uint_eq(r.valuelen, c->valuelen);
	caa_record_clear(&r);
}
END_TEST

/* ---- value grammar ---- */

struct vcase {
	const char	*value;
	int		 valid;
	const char	*issuer;
	size_t		 nparams;
	const char	*why;		/* substring when invalid */
};

static const struct vcase vcases[] = {
	{ "letsencrypt.org", 1, LE, 0, NULL },
	{ "  letsencrypt.org  ;foo=bar;baz=bar", 1, LE, 2, NULL },
	{ "\tletsencrypt.org\t", 1, LE, 0, NULL },
	{ "letsencrypt.org;", 1, LE, 0, NULL },
	{ "letsencrypt.org; \t", 1, LE, 0, NULL },
	{ ";", 1, "", 0, NULL },
	{ "", 1, "", 0, NULL },
	{ "letsencrypt.org;;", 0, LE, 0, "is not tag=value" },
	{ "letsencrypt.org; foo", 0, LE, 0, "\" foo\" is not tag=value" },
	{ "letsencrypt.org;foo=bar;", 0, LE, 0, "is not tag=value" },
	{ "letsencrypt.org; a_b=123", 0, LE, 0, "tag \"a_b\"" },
	{ "letsencrypt.org; a-b=123", 0, LE, 0, "tag \"a-b\"" },
	{ "letsencrypt.org; ab=1 2 3", 0, LE, 0, "value \"1 2 3\"" },
	{ "letsencrypt.org; ab=caf\xc3\xa9", 0, LE, 0, "non-ASCII" },
	{ "letsencrypt.org; =bar", 1, LE, 1, NULL },
	{ "letsencrypt.org; ab=", 1, LE, 1, NULL },
	{ "letsencrypt.org; a=b=c", 1, LE, 1, NULL },
	{ "letsencrypt.org; accounturi=" ACCT "; validationmethods=dns-01",
	    1, LE, 2, NULL },
};

START_TEST(test_value)
{
	const struct vcase	*c = &vcases[_i];
	struct caa_value	 v;

	ck_assert_int_eq(caa_value_parse(c->value, strlen(c->value), &v), 0);
	ck_assert_msg(v.valid == c->valid, "\"%s\": valid %d", c->value,
	    v.valid);
	ck_assert_uint_eq(v.issuerlen, strlen(c->issuer));
	ck_assert(memcmp(v.issuer, c->issuer, v.issuerlen) == 0);
	if (c->valid)
		ck_assert_uint_eq(v.nparams, c->nparams);
	else
		ck_assert_msg(strstr(v.why, c->why) != NULL, "\"%s\": why %s",
		    c->value, v.why);
	caa_value_free(&v);
}
END_TEST

/* ---- the decision ---- */

#define A	CAA_LEVEL_ANSWER
#define NX	CAA_LEVEL_NXDOMAIN
#define FAIL	CAA_LEVEL_FAILED

struct rr {
	unsigned	 flags;
	const char	*tag;
	const char	*value;
};

struct lvl {
	const char		*name;
	enum caa_level_state	 state;
	struct rr		 rrs[3];
};

struct dcase {
	const char		*desc;
	int			 wildcard;
	const char		*method;	/* NULL: http-01 */
	const char		*account;	/* NULL: ACCT */
	struct lvl		 lv[4];
	enum caa_verdict	 want;
	int			 level;
	const char		*reason;	/* exact; NULL: empty */
	const char		*fix;		/* exact; NULL: don't check */
};

#define REFUSED_OTHER(x) "CAA issue at " x " allows only \"ca.com\", not " \
	"\"letsencrypt.org\""

static const struct dcase dcases[] = {
	/* Let's Encrypt's table (va/caa_test.go). */
	{ "reserved.com", 0, NULL, NULL,
	    { { "reserved.com", A, { { 0, "issue", "ca.com" } } },
	      { "com", A, { { 0 } } } },
	    CAA_REFUSED, 0, REFUSED_OTHER("reserved.com"),
	    "reserved.com. CAA 0 issue \"letsencrypt.org\"" },
	{ "mixedcase.com", 0, NULL, NULL,
	    { { "mixedcase.com", A, { { 0, "iSsUe", "ca.com" } } },
	      { "com", A, { { 0 } } } },
	    CAA_REFUSED, 0, REFUSED_OTHER("mixedcase.com"), NULL },
	{ "critical.com", 0, NULL, NULL,
	    { { "critical.com", A, { { 1, "issue", "ca.com" } } },
	      { "com", A, { { 0 } } } },
	    CAA_REFUSED, 0, REFUSED_OTHER("critical.com"), NULL },
	{ "nx.critical.com", 0, NULL, NULL,
	    { { "nx.critical.com", NX, { { 0 } } },
	      { "critical.com", A, { { 1, "issue", "ca.com" } } },
	      { "com", A, { { 0 } } } },
	    CAA_REFUSED, 1, REFUSED_OTHER("critical.com"), NULL },
	{ "absent.com", 0, NULL, NULL,
	    { { "absent.com", A, { { 0 } } }, { "com", A, { { 0 } } } },
	    CAA_ALLOWED, -1, NULL, NULL },
	{ "child.present.com", 0, NULL, NULL,
	    { { "child.present.com", A, { { 0 } } },
	      { "present.com", A, { { 0, "issue", LE } } },
	      { "com", A, { { 0 } } } },
	    CAA_ALLOWED, 1, NULL, NULL },
	{ "present.servfail.com", 0, NULL, NULL,
	    { { "present.servfail.com", A, { { 0, "issue", LE } } },
	      { "servfail.com", FAIL, { { 0 } } },
	      { "com", A, { { 0 } } } },
	    CAA_ALLOWED, 0, NULL, NULL },
	{ "multi-crit-present.com", 0, NULL, NULL,
	    { { "multi-crit-present.com", A, { { 1, "issue", "ca.com" },
	      { 1, "issue", LE } } }, { "com", A, { { 0 } } } },
	    CAA_ALLOWED, 0, NULL, NULL },
	{ "unknown-critical.com", 0, NULL, NULL,
	    { { "unknown-critical.com", A, { { 128, "foo", "bar" } } },
	      { "com", A, { { 0 } } } },
	    CAA_REFUSED, 0, "CAA at unknown-critical.com has tag \"foo\" "
	    "marked critical (flags 128), which the CA does not know, so it "
	    "must refuse", "remove the record or clear its flags: "
	    "unknown-critical.com. CAA 0 foo \"bar\"" },
	{ "unknown-critical2.com", 0, NULL, NULL,
	    { { "unknown-critical2.com", A, { { 1, "foo", "bar" } } },
	      { "com", A, { { 0 } } } },
	    CAA_REFUSED, 0, "CAA at unknown-critical2.com has tag \"foo\" with "
	    "flags 1; Let's Encrypt reads bit 1 as critical (RFC 8659 defines "
	    "only bit 128) and refuses for a tag it does not know", NULL },
	{ "unknown-critical 130", 0, NULL, NULL,
	    { { "u.com", A, { { 130, "foo", "bar" } } },
	      { "com", A, { { 0 } } } },
	    CAA_REFUSED, 0, "CAA at u.com has tag \"foo\" marked critical "
	    "(flags 130), which the CA does not know, so it must refuse",
	    NULL },
	{ "unknown-noncritical.com", 0, NULL, NULL,
	    { { "unknown-noncritical.com", A, { { 126, "foo", "bar" } } },
	      { "com", A, { { 0 } } } },
	    CAA_ALLOWED, 0, NULL, NULL },
	{ "*.unknown-noncritical.com", 1, NULL, NULL,
	    { { "unknown-noncritical.com", A, { { 126, "foo", "bar" } } },
	      { "com", A, { { 0 } } } },
	    CAA_ALLOWED, 0, NULL, NULL },
	{ "whitespace and parameters", 0, NULL, NULL,
	    { { "p.com", A, { { 0, "issue",
	      "  letsencrypt.org  ;foo=bar;baz=bar" } } },
	      { "com", A, { { 0 } } } },
	    CAA_ALLOWED, 0, NULL, NULL },
	{ "underscore in parameter tag", 0, NULL, NULL,
	    { { "p.com", A, { { 0, "issue", "letsencrypt.org; a_b=123" } } },
	      { "com", A, { { 0 } } } },
	    CAA_REFUSED, 0, "CAA issue at p.com names \"letsencrypt.org\" but "
	    "its value \"letsencrypt.org; a_b=123\" is malformed (parameter "
	    "tag \"a_b\" has a character other than a letter or digit), so "
	    "the CA ignores it", "p.com. CAA 0 issue \"letsencrypt.org\"" },
	{ "space in parameter value", 0, NULL, NULL,
	    { { "p.com", A, { { 0, "issue", "letsencrypt.org; ab=1 2 3" } } },
	      { "com", A, { { 0 } } } },
	    CAA_REFUSED, 0, "CAA issue at p.com names \"letsencrypt.org\" but "
	    "its value \"letsencrypt.org; ab=1 2 3\" is malformed (parameter "
	    "value \"1 2 3\" has a space, control or non-ASCII character), so "
	    "the CA ignores it", NULL },
	{ "validationmethods=dns-01, http-01 used", 0, NULL, NULL,
	    { { "v.com", A, { { 0, "issue",
	      "letsencrypt.org; validationmethods=dns-01" } } },
	      { "com", A, { { 0 } } } },
	    CAA_REFUSED, 0, "CAA issue at v.com allows \"letsencrypt.org\" "
	    "only with validationmethods=dns-01, not http-01",
	    "validate with one of dns-01, or v.com. CAA 0 issue "
	    "\"letsencrypt.org; validationmethods=http-01\"" },
	{ "validationmethods=http-01", 0, NULL, NULL,
	    { { "v.com", A, { { 0, "issue",
	      "letsencrypt.org; validationmethods=http-01" } } },
	      { "com", A, { { 0 } } } },
	    CAA_ALLOWED, 0, NULL, NULL },
	{ "validationmethods=http-01,dns-01", 0, NULL, NULL,
	    { { "v.com", A, { { 0, "issue",
	      "letsencrypt.org; validationmethods=http-01,dns-01" } } },
	      { "com", A, { { 0 } } } },
	    CAA_ALLOWED, 0, NULL, NULL },
	{ "accounturi matches", 0, NULL, NULL,
	    { { "a.com", A, { { 0, "issue",
	      "letsencrypt.org; accounturi=" ACCT } } },
	      { "com", A, { { 0 } } } },
	    CAA_ALLOWED, 0, NULL, NULL },
	{ "accounturi differs", 0, NULL, NULL,
	    { { "a.com", A, { { 0, "issue",
	      "letsencrypt.org; accounturi=" ACCT2 } } },
	      { "com", A, { { 0 } } } },
	    CAA_REFUSED, 0, "CAA issue at a.com allows \"letsencrypt.org\" "
	    "only for account " ACCT2 ", not " ACCT,
	    "a.com. CAA 0 issue \"letsencrypt.org; accounturi=" ACCT "\"" },
	{ "two accounturi records, one matches", 0, NULL, NULL,
	    { { "a.com", A, { { 0, "issue",
	      "letsencrypt.org; accounturi=" ACCT2 },
	      { 0, "issue", "letsencrypt.org; accounturi=" ACCT } } },
	      { "com", A, { { 0 } } } },
	    CAA_ALLOWED, 0, NULL, NULL },
	{ "accounturi ok, validationmethods=dns-01", 0, NULL, NULL,
	    { { "a.com", A, { { 0, "issue", "letsencrypt.org; accounturi="
	      ACCT "; validationmethods=dns-01" } } },
	      { "com", A, { { 0 } } } },
	    CAA_REFUSED, 0, "CAA issue at a.com allows \"letsencrypt.org\" "
	    "only with validationmethods=dns-01, not http-01", NULL },
	{ "accounturi ok, validationmethods=http-01", 0, NULL, NULL,
	    { { "a.com", A, { { 0, "issue", "letsencrypt.org; accounturi="
	      ACCT "; validationmethods=http-01" } } },
	      { "com", A, { { 0 } } } },
	    CAA_ALLOWED, 0, NULL, NULL },
	{ "accounturi differs, validationmethods=http-01", 0, NULL, NULL,
	    { { "a.com", A, { { 0, "issue", "letsencrypt.org; accounturi="
	      ACCT2 "; validationmethods=http-01" } } },
	      { "com", A, { { 0 } } } },
	    CAA_REFUSED, 0, "CAA issue at a.com allows \"letsencrypt.org\" "
	    "only for account " ACCT2 ", not " ACCT, NULL },
	{ "issue \";\"", 0, NULL, NULL,
	    { { "e.com", A, { { 0, "issue", ";" } } },
	      { "com", A, { { 0 } } } },
	    CAA_REFUSED, 0, "CAA issue at e.com forbids issuance by any CA "
	    "(empty issuer, as in \";\")", "e.com. CAA 0 issue "
	    "\"letsencrypt.org\"" },
	{ "*. with issue \";\"", 1, NULL, NULL,
	    { { "e.com", A, { { 0, "issue", ";" } } },
	      { "com", A, { { 0 } } } },
	    CAA_REFUSED, 0, "CAA issue at e.com forbids issuance by any CA "
	    "(empty issuer, as in \";\")", NULL },
	{ "*. with issuewild \";\"", 1, NULL, NULL,
	    { { "e.com", A, { { 0, "issuewild", ";" } } },
	      { "com", A, { { 0 } } } },
	    CAA_REFUSED, 0, "CAA issuewild at e.com forbids issuance by any CA "
	    "(empty issuer, as in \";\")", "e.com. CAA 0 issuewild "
	    "\"letsencrypt.org\"" },
	{ "*. with issue LE, issuewild ca.com", 1, NULL, NULL,
	    { { "w.com", A, { { 0, "issue", LE },
	      { 0, "issuewild", "ca.com" } } }, { "com", A, { { 0 } } } },
	    CAA_REFUSED, 0, "CAA issuewild at w.com allows only \"ca.com\", "
	    "not \"letsencrypt.org\"", NULL },
	{ "*. with issue ca.com, issuewild LE", 1, NULL, NULL,
	    { { "w.com", A, { { 0, "issue", "ca.com" },
	      { 0, "issuewild", LE } } }, { "com", A, { { 0 } } } },
	    CAA_ALLOWED, 0, NULL, NULL },
	{ "*. with issuewild ca.com and LE", 1, NULL, NULL,
	    { { "w.com", A, { { 0, "issuewild", "ca.com" },
	      { 0, "issuewild", LE } } }, { "com", A, { { 0 } } } },
	    CAA_ALLOWED, 0, NULL, NULL },
	{ "*. with issuewild LE only", 1, NULL, NULL,
	    { { "w.com", A, { { 0, "issuewild", LE } } },
	      { "com", A, { { 0 } } } },
	    CAA_ALLOWED, 0, NULL, NULL },
	{ "non-wildcard with issue ca.com, issuewild LE", 0, NULL, NULL,
	    { { "w.com", A, { { 0, "issue", "ca.com" },
	      { 0, "issuewild", LE } } }, { "com", A, { { 0 } } } },
	    CAA_REFUSED, 0, REFUSED_OTHER("w.com"), NULL },
	{ "non-wildcard with issuewild only", 0, NULL, NULL,
	    { { "w.com", A, { { 0, "issuewild", "ca.com" } } },
	      { "com", A, { { 0 } } } },
	    CAA_ALLOWED, 0, NULL, NULL },
	{ "*. with malformed issuewild still counts", 1, NULL, NULL,
	    { { "w.com", A, { { 0, "issue", LE },
	      { 0, "issuewild", "ca.com; x" } } }, { "com", A, { { 0 } } } },
	    CAA_REFUSED, 0, "CAA issuewild at w.com allows only \"ca.com\", "
	    "not \"letsencrypt.org\"", NULL },
	/* The climb. */
	{ "failure below the relevant level", 0, NULL, NULL,
	    { { "a.b.com", FAIL, { { 0 } } },
	      { "b.com", A, { { 0, "issue", LE } } },
	      { "com", A, { { 0 } } } },
	    CAA_FAILED, 0, "DNS problem: SERVFAIL looking up CAA for a.b.com",
	    "fix it" },
	{ "failure above the relevant level", 0, NULL, NULL,
	    { { "a.b.com", A, { { 0, "issue", LE } } },
	      { "b.com", FAIL, { { 0 } } },
	      { "com", FAIL, { { 0 } } } },
	    CAA_ALLOWED, 0, NULL, NULL },
	{ "failure at the TLD with nothing below", 0, NULL, NULL,
	    { { "a.com", A, { { 0 } } }, { "com", FAIL, { { 0 } } } },
	    CAA_FAILED, 1, "DNS problem: SERVFAIL looking up CAA for com",
	    NULL },
	{ "NXDOMAIN at the TLD", 0, NULL, NULL,
	    { { "a.nope", NX, { { 0 } } }, { "nope", NX, { { 0 } } } },
	    CAA_FAILED, 1, "DNS problem: NXDOMAIN looking up CAA for nope - "
	    "the top-level domain does not exist", NULL },
	{ "NXDOMAIN below, empty above", 0, NULL, NULL,
	    { { "x.a.com", NX, { { 0 } } }, { "a.com", NX, { { 0 } } },
	      { "com", A, { { 0 } } } },
	    CAA_ALLOWED, -1, NULL, NULL },
	{ "permissive parent does not override denying child", 0, NULL, NULL,
	    { { "c.p.com", A, { { 0, "issue", "ca.com" } } },
	      { "p.com", A, { { 0, "issue", LE } } },
	      { "com", A, { { 0 } } } },
	    CAA_REFUSED, 0, REFUSED_OTHER("c.p.com"), NULL },
	/* Spelling that other readings accept. */
	{ "issuer in mixed case", 0, NULL, NULL,
	    { { "s.com", A, { { 0, "issue", "LetsEncrypt.org" } } },
	      { "com", A, { { 0 } } } },
	    CAA_REFUSED, 0, "CAA issue at s.com names \"LetsEncrypt.org\", but "
	    "Let's Encrypt compares the issuer byte for byte (no case "
	    "folding, no trailing dot): it must be exactly "
	    "\"letsencrypt.org\"", "s.com. CAA 0 issue \"letsencrypt.org\"" },
	{ "issuer with trailing dot", 0, NULL, NULL,
	    { { "s.com", A, { { 0, "issue", "letsencrypt.org." } } },
	      { "com", A, { { 0 } } } },
	    CAA_REFUSED, 0, "CAA issue at s.com names \"letsencrypt.org.\", but "
	    "Let's Encrypt compares the issuer byte for byte (no case "
	    "folding, no trailing dot): it must be exactly "
	    "\"letsencrypt.org\"", NULL },
	{ "misspelt issuer", 0, NULL, NULL,
	    { { "s.com", A, { { 0, "issue", "Let's Encrypt" } } },
	      { "com", A, { { 0 } } } },
	    CAA_REFUSED, 0, "CAA issue at s.com allows only \"Let's Encrypt\", "
	    "not \"letsencrypt.org\"", NULL },
	/* Parameters. */
	{ "accounturi twice", 0, NULL, NULL,
	    { { "a.com", A, { { 0, "issue", "letsencrypt.org; accounturi="
	      ACCT "; accounturi=" ACCT } } }, { "com", A, { { 0 } } } },
	    CAA_REFUSED, 0, "CAA issue at a.com names \"letsencrypt.org\" with "
	    "accounturi twice, which no account can satisfy", NULL },
	{ "validationmethods twice", 0, NULL, NULL,
	    { { "a.com", A, { { 0, "issue", "letsencrypt.org; "
	      "validationmethods=http-01; validationmethods=http-01" } } },
	      { "com", A, { { 0 } } } },
	    CAA_REFUSED, 0, "CAA issue at a.com names \"letsencrypt.org\" with "
	    "validationmethods twice, which no order can satisfy", NULL },
	{ "validationmethods with a bad label first", 0, NULL, NULL,
	    { { "a.com", A, { { 0, "issue", "letsencrypt.org; "
	      "validationmethods=http_01,http-01" } } },
	      { "com", A, { { 0 } } } },
	    CAA_REFUSED, 0, "CAA issue at a.com has validationmethods="
	    "http_01,http-01, whose label \"http_01\" is not a method name, so "
	    "the CA stops reading there and http-01 is not allowed", NULL },
	{ "validationmethods unknown method skipped", 0, NULL, NULL,
	    { { "a.com", A, { { 0, "issue", "letsencrypt.org; "
	      "validationmethods=foo-01,http-01" } } },
	      { "com", A, { { 0 } } } },
	    CAA_ALLOWED, 0, NULL, NULL },
	{ "validationmethods case-sensitive", 0, NULL, NULL,
	    { { "a.com", A, { { 0, "issue", "letsencrypt.org; "
	      "validationmethods=HTTP-01" } } },
	      { "com", A, { { 0 } } } },
	    CAA_REFUSED, 0, "CAA issue at a.com allows \"letsencrypt.org\" "
	    "only with validationmethods=HTTP-01, not http-01", NULL },
	{ "wildcard uses dns-01", 1, "dns-01", NULL,
	    { { "a.com", A, { { 0, "issue", "letsencrypt.org; "
	      "validationmethods=dns-01" } } },
	      { "com", A, { { 0 } } } },
	    CAA_ALLOWED, 0, NULL, NULL },
	{ "AccountURI is an unknown parameter", 0, NULL, NULL,
	    { { "a.com", A, { { 0, "issue", "letsencrypt.org; AccountURI="
	      ACCT2 } } }, { "com", A, { { 0 } } } },
	    CAA_ALLOWED, 0, NULL, NULL },
	{ "accounturi with no account configured", 0, NULL, "",
	    { { "a.com", A, { { 0, "issue", "letsencrypt.org; accounturi="
	      ACCT } } }, { "com", A, { { 0 } } } },
	    CAA_REFUSED, 0, "CAA issue at a.com allows \"letsencrypt.org\" "
	    "only for account " ACCT ", and no account_uri is configured to "
	    "compare with", NULL },
	{ "trailing semicolon, no parameters", 0, NULL, NULL,
	    { { "a.com", A, { { 0, "issue", "letsencrypt.org;" } } },
	      { "com", A, { { 0 } } } },
	    CAA_ALLOWED, 0, NULL, NULL },
	{ "two semicolons", 0, NULL, NULL,
	    { { "a.com", A, { { 0, "issue", "letsencrypt.org;;" } } },
	      { "com", A, { { 0 } } } },
	    CAA_REFUSED, 0, "CAA issue at a.com names \"letsencrypt.org\" but "
	    "its value \"letsencrypt.org;;\" is malformed (parameter \"\" is "
	    "not tag=value), so the CA ignores it", NULL },
	{ "only iodef", 0, NULL, NULL,
	    { { "a.com", A, { { 0, "iodef", "mailto:x@a.com" } } },
	      { "com", A, { { 0 } } } },
	    CAA_ALLOWED, 0, NULL, NULL },
	{ "control characters escaped in reason", 0, NULL, NULL,
	    { { "a.com", A, { { 0, "issue", "evil\x1b[31m.com" } } },
	      { "com", A, { { 0 } } } },
	    CAA_REFUSED, 0, "CAA issue at a.com allows only "
	    "\"evil\\027[31m.com\", not \"letsencrypt.org\"", NULL },
};

START_TEST(test_decide)
{
	const struct dcase	*c = &dcases[_i];
	struct caa_level	 lv[4];
	struct caa_record	 recs[4][3];
	struct caa_policy	 pol;
	struct caa_decision	 d;
	const char		*issuers[] = { LE };
	size_t			 n, i, j, nr;

	memset(lv, 0, sizeof(lv));
	for (n = 0; n < 4 && c->lv[n].name != NULL; n++) {
		lv[n].name = c->lv[n].name;
		lv[n].state = c->lv[n].state;
		if (lv[n].state == FAIL) {
			static char fail[4][128];

			snprintf(fail[n], sizeof(fail[n]), "DNS problem: "
			    "SERVFAIL looking up CAA for %s", lv[n].name);
			lv[n].failure = fail[n];
			lv[n].fix = "fix it";
		}
		for (nr = 0; nr < 3 && c->lv[n].rrs[nr].tag != NULL; nr++)
			ck_assert_int_eq(caa_record_set(&recs[n][nr],
			    (uint8_t)c->lv[n].rrs[nr].flags,
			    c->lv[n].rrs[nr].tag, c->lv[n].rrs[nr].value), 0);
		lv[n].records = recs[n];
		lv[n].nrecords = nr;
	}
	pol.issuers = issuers;
	pol.nissuers = 1;
	pol.account_uri = c->account == NULL ? ACCT :
	    *c->account == '\0' ? NULL : c->account;
	pol.method = c->method ? c->method : "http-01";

	caa_decide(lv, n, c->wildcard, &pol, &d);
	ck_assert_msg(d.verdict == c->want, "%s: verdict %d, want %d (%s)",
	    c->desc, d.verdict, c->want, d.reason);
	ck_assert_msg(d.level == c->level, "%s: level %d, want %d", c->desc,
	    d.level, c->level);
	ck_assert_msg(strcmp(d.reason, c->reason ? c->reason : "") == 0,
	    "%s: reason\n  got  \"%s\"\n  want \"%s\"", c->desc, d.reason,
	    c->reason ? c->reason : "");
	if (c->fix != NULL)
		ck_assert_msg(strcmp(d.fix, c->fix) == 0, "%s: fix\n  got  "
		    "\"%s\"\n  want \"%s\"", c->desc, d.fix, c->fix);
	for (i = 0; i < n; i++)
		for (j = 0; j < lv[i].nrecords; j++)
			caa_record_clear(&recs[i][j]);
}
END_TEST

/* Reserved flag bits on an accepted set give a portability warning. */
START_TEST(test_warning)
{
	struct caa_record	 r[2];
	struct caa_level	 lv[1];
	struct caa_policy	 pol = { NULL, 1, NULL, "http-01" };
	const char		*issuers[] = { LE };
	struct caa_decision	 d;

	pol.issuers = issuers;
	ck_assert_int_eq(caa_record_set(&r[0], 1, "issue", LE), 0);
	ck_assert_int_eq(caa_record_set(&r[1], 0, "iodef", "mailto:a@b.c"), 0);
	lv[0].name = "w.com";
	lv[0].state = CAA_LEVEL_ANSWER;
	lv[0].records = r;
	lv[0].nrecords = 2;
	caa_decide(lv, 1, 0, &pol, &d);
	ck_assert_int_eq(d.verdict, CAA_ALLOWED);
	ck_assert_uint_eq(d.nwarn, 1);
	ck_assert_str_eq(d.warn[0], "CAA issue at w.com has flags 1: only bit "
	    "128 is defined (RFC 8659 §4.1) and CAs read the others "
	    "differently; portable spelling: w.com. CAA 0 issue "
	    "\"letsencrypt.org\"");
	caa_record_clear(&r[0]);
	caa_record_clear(&r[1]);
}
END_TEST

START_TEST(test_known_cas)
{
	ck_assert_str_eq(caa_ca_issuer("letsencrypt"), "letsencrypt.org");
	ck_assert_str_eq(caa_ca_issuer("zerossl"), "sectigo.com");
	ck_assert_str_eq(caa_ca_issuer("buypass"), "buypass.com");
	ck_assert_str_eq(caa_ca_issuer("google"), "pki.goog");
	ck_assert_str_eq(caa_ca_issuer("sslcom"), "ssl.com");
	ck_assert_str_eq(caa_ca_issuer("sectigo"), "sectigo.com");
	ck_assert_ptr_null(caa_ca_issuer("LetsEncrypt"));
	ck_assert_ptr_null(caa_ca_issuer(""));
}
END_TEST

START_TEST(test_escape)
{
	char	 buf[16];

	ck_assert_uint_eq(caa_escape(buf, sizeof(buf), "a\"b\\c\x01", 6), 11);
	ck_assert_str_eq(buf, "a\\\"b\\\\c\\001");
	/* Truncation never splits an escape. */
	ck_assert_uint_eq(caa_escape(buf, 6, "abcd\x01", 5), 8);
	ck_assert_str_eq(buf, "abcd");
}
END_TEST

#define NELEM(a)	((int)(sizeof(a) / sizeof((a)[0])))

/* SPEC 5.2 rev. 2: a level reached through an alias is fixed there. */
START_TEST(test_alias_fix)
{
	struct caa_record	 r;
	struct caa_level	 lv[2];
	struct caa_policy	 pol = { NULL, 1, NULL, "http-01" };
	const char		*issuers[] = { LE };
	struct caa_decision	 d;

	pol.issuers = issuers;
	ck_assert_int_eq(caa_record_set(&r, 0, "issue", "sectigo.com"), 0);
	memset(lv, 0, sizeof(lv));
	lv[0].name = "www.example.com";
	lv[0].state = CAA_LEVEL_ANSWER;
	lv[0].records = &r;
	lv[0].nrecords = 1;
	lv[0].owner = "cdn.example.net";
	lv[1].name = "example.com";
	lv[1].state = CAA_LEVEL_ANSWER;
	caa_decide(lv, 2, 0, &pol, &d);
	ck_assert_int_eq(d.verdict, CAA_REFUSED);
	ck_assert_str_eq(d.reason, "CAA issue at www.example.com allows only "
	    "\"sectigo.com\", not \"letsencrypt.org\"");
	ck_assert_str_eq(d.fix, "www.example.com is an alias of "
	    "cdn.example.net, where its CAA records live (an alias cannot hold "
	    "them): cdn.example.net. CAA 0 issue \"letsencrypt.org\"");
	/* Without an alias the fix stays at the name. */
	lv[0].owner = NULL;
	caa_decide(lv, 2, 0, &pol, &d);
	ck_assert_str_eq(d.fix, "www.example.com. CAA 0 issue "
	    "\"letsencrypt.org\"");
	caa_record_clear(&r);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("caa");
	TCase	*tc = tcase_create("caa");
	SRunner	*sr;
	int	 failed;

	tcase_add_loop_test(tc, test_rdata, 0, NELEM(rdcases));
	tcase_add_loop_test(tc, test_value, 0, NELEM(vcases));
	tcase_add_loop_test(tc, test_decide, 0, NELEM(dcases));
	tcase_add_test(tc, test_warning);
	tcase_add_test(tc, test_alias_fix);
	tcase_add_test(tc, test_known_cas);
	tcase_add_test(tc, test_escape);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
