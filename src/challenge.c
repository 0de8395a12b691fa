/*
 * challenge: the DNS-based challenges as the CA looks them up.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <ldns/sha2.h>

#include "caa.h"
#include "challenge.h"
#include "name.h"

enum challenge_kind
challenge_kind(const char *method)
{
	if (method == NULL)
		return CHALLENGE_NONE;
	if (strcmp(method, "dns-01") == 0)
		return CHALLENGE_DNS01;
	if (strcmp(method, "dns-account-01") == 0)
		return CHALLENGE_ACCOUNT;
	if (strcmp(method, "dns-persist-01") == 0)
		return CHALLENGE_PERSIST;
	return CHALLENGE_NONE;
}

void
challenge_account_label(const char *account, char *out)
{
	static const char	 b32[] = "abcdefghijklmnopqrstuvwxyz234567";
	unsigned char		 d[LDNS_SHA256_DIGEST_LENGTH];
	size_t			 i, bit;

	(void)ldns_sha256((const unsigned char *)account,
	    (unsigned int)strlen(account), d);
	/* 10 octets are 80 bits: 16 characters of 5 bits, no padding. */
	for (i = 0; i < 16; i++) {
		bit = i * 5;
		out[i] = b32[((d[bit / 8] << 8 | d[bit / 8 + 1]) >>
		    (11 - bit % 8)) & 31];
	}
	out[16] = '\0';
}

int
challenge_name(enum challenge_kind k, const char *base, const char *account,
    char *out, size_t size)
{
	char	 label[17];
	int	 n;

	switch (k) {
	case CHALLENGE_DNS01:
		n = snprintf(out, size, "_acme-challenge.%s", base);
		break;
	case CHALLENGE_ACCOUNT:
		if (account == NULL)
			return -1;
		challenge_account_label(account, label);
		n = snprintf(out, size, "_%s._acme-challenge.%s", label, base);
		break;
	case CHALLENGE_PERSIST:
		n = snprintf(out, size, "_validation-persist.%s", base);
		break;
	default:
		return -1;
	}
	/* RFC 1035 §2.3.4: no name over 253 characters can be asked. */
	return n < 0 || (size_t)n >= size || n > 253 ? -1 : 0;
}

static void
say(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
say(char *buf, size_t size, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	(void)vsnprintf(buf, size, fmt, ap);
	va_end(ap);
}

/* Go's %q for a span, as the reasons quote values. */
static void
quote(char *out, size_t size, const char *s, size_t len)
{
	char	 e[512];

	(void)caa_escape(e, sizeof(e), s, len);
	say(out, size, "\"%s\"", e);
}

/*
 * core.NormalizeIssuerDomainName: lower case, A-label form, no trailing
 * dot, at most 253 octets.  0, or -1 with the reason.
 */
static int
normalise(const char *s, size_t len, char *out, size_t size, char *why,
    size_t whylen)
{
	struct name	 n;
	char		 in[4 * NAME_MAX_TEXT], q[600];

	quote(q, sizeof(q), s, len);
	if (len >= sizeof(in) || memchr(s, '\0', len) != NULL) {
		say(why, whylen, "malformed issuer-domain-name %s", q);
		return -1;
	}
	memcpy(in, s, len);
	in[len] = '\0';
	switch (name_parse(in, &n)) {
	case NAME_DNS:
		if (!n.wildcard)
			break;
		/* FALLTHROUGH */
	case NAME_INVALID:
		say(why, whylen, "malformed issuer-domain-name %s: %s", q,
		    n.kind == NAME_INVALID ? n.why : "a wildcard");
		return -1;
	case NAME_IP:
		break;
	}
	say(out, size, "%s", n.ascii);
	return 0;
}

static int
set_span(char **dst, const char *s, size_t len)
{
	free(*dst);
	if ((*dst = malloc(len + 1)) == NULL)
		return -1;
	memcpy(*dst, s, len);
	(*dst)[len] = '\0';
	return 0;
}

/* The known parameters: each at most once (case-insensitive tags). */
static int
param(struct challenge_persist *p, int seen[3], const char *tag,
    size_t taglen, const char *val, size_t vallen, char *why, size_t whylen)
{
	static const char *const known[] = { "accounturi", "policy",
	    "persistuntil" };
	char	 q[600], num[32], *end;
	size_t	 k;

	for (k = 0; k < 3; k++)
		if (strlen(known[k]) == taglen &&
		    strncasecmp(known[k], tag, taglen) == 0)
			break;
	if (k == 3)
		return 0;	/* unrecognized: ignored */
	quote(q, sizeof(q), tag, taglen);
	if (seen[k]++) {
		say(why, whylen, "duplicate parameter %s", q);
		return -1;
	}
	if (k == 0 && vallen == 0) {
		say(why, whylen, "empty value provided for mandatory "
		    "accounturi");
		return -1;
	}
	if (k == 0 || k == 1)
		return set_span(k == 0 ? &p->accounturi : &p->policy, val,
		    vallen) == -1 ? (say(why, whylen, "out of memory"), -1) : 0;
	/* strconv.ParseInt(value, 10, 64) */
	quote(q, sizeof(q), val, vallen);
	if (vallen == 0 || vallen >= sizeof(num)) {
		say(why, whylen, "malformed persistUntil timestamp %s", q);
		return -1;
	}
	memcpy(num, val, vallen);
	num[vallen] = '\0';
	errno = 0;
	p->until = strtoll(num, &end, 10);
	if (*end != '\0' || errno != 0 || !(num[0] == '+' || num[0] == '-' ||
	    (num[0] >= '0' && num[0] <= '9')) || ((num[0] == '+' ||
	    num[0] == '-') && (num[1] < '0' || num[1] > '9'))) {
		say(why, whylen, "malformed persistUntil timestamp %s", q);
		return -1;
	}
	p->has_until = 1;
	return 0;
}

/* One ";"-separated part after the issuer. */
static int
part(struct challenge_persist *p, int seen[3], const char *s, size_t len,
    char *why, size_t whylen)
{
	const char	*eq, *tag, *val;
	size_t		 taglen, vallen, i;
	char		 q[600], t[600];

	caa_trim(&s, &len);
	if (len == 0) {
		say(why, whylen, "empty parameter or trailing semicolon "
		    "provided");
		return -1;
	}
	quote(q, sizeof(q), s, len);
	if ((eq = memchr(s, '=', len)) == NULL) {
		say(why, whylen, "malformed parameter %s should be tag=value "
		    "pair", q);
		return -1;
	}
	tag = s;
	taglen = (size_t)(eq - s);
	val = eq + 1;
	vallen = len - taglen - 1;
	caa_trim(&tag, &taglen);
	caa_trim(&val, &vallen);
	if (taglen == 0) {
		say(why, whylen, "malformed parameter %s, empty tag", q);
		return -1;
	}
	/* No whitespace, control or non-ASCII byte in a value. */
	for (i = 0; i < vallen; i++) {
		unsigned char c = (unsigned char)val[i];

		if ((c >= 0x21 && c <= 0x3a) || (c >= 0x3c && c <= 0x7e))
			continue;
		quote(q, sizeof(q), val, vallen);
		quote(t, sizeof(t), tag, taglen);
		say(why, whylen, "malformed value %s for tag %s", q, t);
		return -1;
	}
	return param(p, seen, tag, taglen, val, vallen, why, whylen);
}

int
challenge_persist_parse(const char *rec, size_t len,
    struct challenge_persist *p, char *issuer, size_t isize, char *why,
    size_t whylen)
{
	const char	*s, *semi, *end = rec + len;
	size_t		 n;
	int		 seen[3] = { 0, 0, 0 };

	memset(p, 0, sizeof(*p));
	issuer[0] = '\0';
	semi = memchr(rec, ';', len);
	n = semi != NULL ? (size_t)(semi - rec) : len;
	s = rec;
	caa_trim(&s, &n);
	if (n == 0) {
		say(why, whylen, "empty issuer-domain-name");
		return -1;
	}
	if (normalise(s, n, issuer, isize, why, whylen) == -1) {
		issuer[0] = '\0';
		return -1;
	}
	while (semi != NULL) {
		s = semi + 1;
		semi = memchr(s, ';', (size_t)(end - s));
		n = semi != NULL ? (size_t)(semi - s) : (size_t)(end - s);
		if (part(p, seen, s, n, why, whylen) == -1) {
			challenge_persist_clear(p);
			return -1;
		}
	}
	if (p->accounturi == NULL) {
		say(why, whylen, "missing mandatory accounturi parameter");
		challenge_persist_clear(p);
		return -1;
	}
	if (p->policy == NULL && set_span(&p->policy, "", 0) == -1) {
		say(why, whylen, "out of memory");
		challenge_persist_clear(p);
		return -1;
	}
	return 0;
}

void
challenge_persist_clear(struct challenge_persist *p)
{
	free(p->accounturi);
	free(p->policy);
	memset(p, 0, sizeof(*p));
}

/* RFC 3339 in UTC, as Go's time.RFC3339 writes it. */
static void
rfc3339(int64_t t, char *out, size_t size)
{
	time_t		 tt = (time_t)t;
	struct tm	 tm;

	if (gmtime_r(&tt, &tm) == NULL ||
	    strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		say(out, size, "%" PRId64, t);
}

int
challenge_persist_check(const struct challenge_persist *p,
    const char *account, int wildcard, time_t now, char *why, size_t whylen)
{
	char	 a[600], b[600];

	/* Simple String Comparison (RFC 3986 §6.2.1), no folding. */
	if (account != NULL && strcmp(p->accounturi, account) != 0) {
		quote(a, sizeof(a), account, strlen(account));
		quote(b, sizeof(b), p->accounturi, strlen(p->accounturi));
		say(why, whylen, "accounturi mismatch: expected %s, got %s", a,
		    b);
		return -1;
	}
	if (wildcard && strcasecmp(p->policy, "wildcard") != 0) {
		quote(b, sizeof(b), p->policy, strlen(p->policy));
		say(why, whylen, "policy mismatch: expected \"wildcard\", got %s",
		    b);
		return -1;
	}
	if (p->has_until && (int64_t)now > p->until) {
		rfc3339((int64_t)now, a, sizeof(a));
		rfc3339(p->until, b, sizeof(b));
		say(why, whylen, "validation time %s is after persistUntil %s",
		    a, b);
		return -1;
	}
	return 0;
}

/*
 * A TXT RDATA's strings, joined (strings.Join(rr.Txt, "")), into out,
 * which holds len + 1.  A string running past the RDATA is cut there.
 */
static size_t
txt_join(const uint8_t *rd, size_t len, char *out)
{
	size_t	 i = 0, n = 0, l;

	while (i < len) {
		l = rd[i++];
		if (l > len - i)
			l = len - i;
		memcpy(out + n, rd + i, l);
		n += l;
		i += l;
	}
	out[n] = '\0';
	return n;
}

static int
issuer_of(const char *issuer, const char *const *issuers, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (strcmp(issuer, issuers[i]) == 0)
			return 1;
	return 0;
}

/* Append "; " and a reason to a list of them. */
static void
append(char *list, size_t size, const char *what)
{
	size_t	 len = strlen(list);

	if (len < size)
		say(list + len, size - len, "%s%s", len ? "; " : "", what);
}

int
challenge_persist_decide(uint8_t *const *rdata, const size_t *rdlen,
    size_t n, const char *const *issuers, size_t nissuers,
    const char *account, int wildcard, time_t now, char *reason,
    size_t size)
{
	struct challenge_persist p;
	char			*rec;
	char			 issuer[NAME_MAX_TEXT], why[1024], line[1400];
	char			 syntax[2048] = "", auth[2048] = "";
	size_t			 i, len;
	int			 rc;

	if (n == 0) {
		say(reason, size, "No TXT record found for DNS-PERSIST-01 "
		    "challenge");
		return -1;
	}
	for (i = 0; i < n; i++) {
		if ((rec = malloc(rdlen[i] + 1)) == NULL) {
			say(reason, size, "out of memory");
			return -1;
		}
		len = txt_join(rdata[i], rdlen[i], rec);
		rc = challenge_persist_parse(rec, len, &p, issuer,
		    sizeof(issuer), why, sizeof(why));
		free(rec);
		if (rc == -1) {
			if (issuer_of(issuer, issuers, nissuers)) {
				say(line, sizeof(line), "Parsing DNS-PERSIST-01 "
				    "challenge TXT record with "
				    "issuer-domain-name \"%s\": %s", issuer, why);
				append(syntax, sizeof(syntax), line);
			}
			continue;
		}
		if (!issuer_of(issuer, issuers, nissuers)) {
			challenge_persist_clear(&p);
			continue;
		}
		if (challenge_persist_check(&p, account, wildcard, now, why,
		    sizeof(why)) == 0) {
			challenge_persist_clear(&p);
			return 0;
		}
		challenge_persist_clear(&p);
		say(line, sizeof(line), "Checking DNS-PERSIST-01 challenge TXT "
		    "record with issuer-domain-name \"%s\": %s", issuer, why);
		append(auth, sizeof(auth), line);
	}
	if (syntax[0] != '\0')
		say(reason, size, "%s", syntax);
	else if (auth[0] != '\0')
		say(reason, size, "%s", auth);
	else
		say(reason, size, "No valid TXT record found for "
		    "DNS-PERSIST-01 challenge");
	return -1;
}
