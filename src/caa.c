/*
 * caa: CAA RDATA parsing and the issuance decision.
 *
 * The decision follows Let's Encrypt's Boulder (va/caa.go) rather than a
 * looser reading of RFC 8659, because the point of the tool is to predict
 * what that CA will do.  Where the readings differ, the reason says so.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caa.h"

static const struct {
	const char	*name;
	const char	*issuer;
} known_cas[] = {
	{ "letsencrypt", "letsencrypt.org" },
	{ "zerossl", "sectigo.com" },
	{ "buypass", "buypass.com" },
	{ "google", "pki.goog" },
	{ "sslcom", "ssl.com" },
	{ "sectigo", "sectigo.com" },
};

static const char *const ca_names[] = {
	"letsencrypt", "zerossl", "buypass", "google", "sslcom", "sectigo",
	NULL
};

/* RFC 8657 §4, plus the methods Boulder knows since. */
static const char *const known_methods[] = {
	"http-01", "dns-01", "tls-alpn-01", "dns-account-01", "dns-persist-01",
	NULL
};

const char *
caa_ca_issuer(const char *name)
{
	size_t	 i;

	for (i = 0; i < sizeof(known_cas) / sizeof(known_cas[0]); i++)
		if (strcmp(known_cas[i].name, name) == 0)
			return known_cas[i].issuer;
	return NULL;
}

const char *const *
caa_ca_names(void)
{
	return ca_names;
}

int
caa_method_known(const char *m, size_t len)
{
	size_t	 i;

	for (i = 0; known_methods[i] != NULL; i++)
		if (strlen(known_methods[i]) == len &&
		    memcmp(known_methods[i], m, len) == 0)
			return 1;
	return 0;
}

static int
ascii_casecmp_n(const char *a, size_t alen, const char *b)
{
	size_t	 i, blen = strlen(b);
	int	 ca, cb;

	if (alen != blen)
		return 1;
	for (i = 0; i < alen; i++) {
		ca = (unsigned char)a[i];
		cb = (unsigned char)b[i];
		if (ca >= 'A' && ca <= 'Z')
			ca += 'a' - 'A';
		if (cb >= 'A' && cb <= 'Z')
			cb += 'a' - 'A';
		if (ca != cb)
			return 1;
	}
	return 0;
}

enum caa_tag
caa_tag_kind(const char *tag, size_t len)
{
	static const char *const names[] = {
		"issue", "issuewild", "iodef", "issuemail", "issuevmc"
	};
	size_t	 i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (ascii_casecmp_n(tag, len, names[i]) == 0)
			return (enum caa_tag)i;
	return CAA_TAG_UNKNOWN;
}

const char *
caa_tag_name(enum caa_tag t)
{
	switch (t) {
	case CAA_TAG_ISSUE:
		return "issue";
	case CAA_TAG_ISSUEWILD:
		return "issuewild";
	case CAA_TAG_IODEF:
		return "iodef";
	case CAA_TAG_ISSUEMAIL:
		return "issuemail";
	case CAA_TAG_ISSUEVMC:
		return "issuevmc";
	default:
		return "unknown";
	}
}

static char *
dupbytes(const void *p, size_t len)
{
	char	*s;

	if ((s = malloc(len + 1)) == NULL)
		return NULL;
	if (len > 0)
		memcpy(s, p, len);
	s[len] = '\0';
	return s;
}

/* RFC 8659 §4.1: flags (1), tag length (1), tag, value (the rest). */
int
caa_record_parse(const uint8_t *rd, size_t len, struct caa_record *r,
    const char **why)
{
	size_t	 taglen;

	memset(r, 0, sizeof(*r));
	if (len < 2) {
		*why = "CAA RDATA shorter than its flags and tag length";
		return -1;
	}
	taglen = rd[1];
	if (2 + taglen > len) {
		*why = "CAA tag length runs past the end of the record";
		return -1;
	}
	r->flags = rd[0];
	r->taglen = taglen;
	r->valuelen = len - 2 - taglen;
	if ((r->tag = dupbytes(rd + 2, taglen)) == NULL ||
	    (r->value = dupbytes(rd + 2 + taglen, r->valuelen)) == NULL) {
		caa_record_clear(r);
		*why = "out of memory";
		return -1;
	}
	r->kind = caa_tag_kind(r->tag, r->taglen);
	return 0;
}

int
caa_record_set(struct caa_record *r, uint8_t flags, const char *tag,
    const char *value)
{
	memset(r, 0, sizeof(*r));
	r->flags = flags;
	r->taglen = strlen(tag);
	r->valuelen = strlen(value);
	if ((r->tag = dupbytes(tag, r->taglen)) == NULL ||
	    (r->value = dupbytes(value, r->valuelen)) == NULL) {
		caa_record_clear(r);
		return -1;
	}
	r->kind = caa_tag_kind(r->tag, r->taglen);
	return 0;
}

void
caa_record_clear(struct caa_record *r)
{
	if (r == NULL)
		return;
	free(r->tag);
	free(r->value);
	r->tag = r->value = NULL;
	r->taglen = r->valuelen = 0;
}

/* RFC 8659 §4.1.1: WSP is a space or a horizontal tab. */
static int
is_wsp(char c)
{
	return c == ' ' || c == '\t';
}

void
caa_trim(const char **p, size_t *len)
{
	while (*len > 0 && is_wsp(**p)) {
		(*p)++;
		(*len)--;
	}
	while (*len > 0 && is_wsp((*p)[*len - 1]))
		(*len)--;
}

static int
is_alnum(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
	    (c >= 'a' && c <= 'z');
}

size_t
caa_escape(char *buf, size_t size, const char *s, size_t len)
{
	size_t		 i, o = 0, w = 0, addlen;
	unsigned char	 c;
	char		 add[5];
	int		 full = 0;

	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			(void)snprintf(add, sizeof(add), "\\%c", c);
		else if (c < 0x20 || c > 0x7e)
			(void)snprintf(add, sizeof(add), "\\%03u", c);
		else
			(void)snprintf(add, sizeof(add), "%c", c);
		addlen = strlen(add);
		/* Never split an escape: stop at the first that does not fit. */
		if (!full && w + addlen < size) {
			memcpy(buf + w, add, addlen);
			w += addlen;
		} else
			full = 1;
		o += addlen;
	}
	if (size > 0)
		buf[w] = '\0';
	return o;
}

/* Escape for a message, marking truncation with "...". */
static void
esc(char *buf, size_t size, const char *s, size_t len)
{
	if (caa_escape(buf, size, s, len) >= size && size > 4)
		memcpy(buf + size - 4, "...", 4);
}

/* Boulder parseCAARecord(): SPEC 4.6. */
int
caa_value_parse(const char *v, size_t len, struct caa_value *out)
{
	const char	*p, *semi, *end = v + len, *eq, *t, *val;
	size_t		 plen, tlen, vlen, nparts, i;
	struct caa_param *params = NULL;

	memset(out, 0, sizeof(*out));
	out->valid = 1;

	semi = memchr(v, ';', len);
	out->issuer = v;
	out->issuerlen = semi ? (size_t)(semi - v) : len;
	caa_trim(&out->issuer, &out->issuerlen);
	if (semi == NULL)
		return 0;

	/* Count the parts after the first semicolon. */
	nparts = 1;
	for (p = semi + 1; p < end; p++)
		if (*p == ';')
			nparts++;

	/* "x;" with only blanks after the one semicolon: no parameters. */
	if (nparts == 1) {
		p = semi + 1;
		plen = (size_t)(end - p);
		caa_trim(&p, &plen);
		if (plen == 0)
			return 0;
	}

	if ((params = calloc(nparts, sizeof(*params))) == NULL)
		return -1;
	p = semi + 1;
	for (i = 0; i < nparts; i++) {
		semi = memchr(p, ';', (size_t)(end - p));
		plen = semi ? (size_t)(semi - p) : (size_t)(end - p);
		eq = memchr(p, '=', plen);
		if (eq == NULL) {
			char	 e[64];

			esc(e, sizeof(e), p, plen);
			(void)snprintf(out->why, sizeof(out->why),
			    "parameter \"%s\" is not tag=value", e);
			goto invalid;
		}
		t = p;
		tlen = (size_t)(eq - p);
		caa_trim(&t, &tlen);
		val = eq + 1;
		vlen = (size_t)(p + plen - val);
		caa_trim(&val, &vlen);
		for (size_t k = 0; k < tlen; k++)
			if (!is_alnum((unsigned char)t[k])) {
				char	 e[64];

				esc(e, sizeof(e), t, tlen);
				(void)snprintf(out->why, sizeof(out->why),
				    "parameter tag \"%s\" has a character other "
				    "than a letter or digit", e);
				goto invalid;
			}
		for (size_t k = 0; k < vlen; k++) {
			unsigned char c = (unsigned char)val[k];

			if (c < 0x21 || c == 0x3b || c > 0x7e) {
				char	 e[64];

				esc(e, sizeof(e), val, vlen);
				(void)snprintf(out->why, sizeof(out->why),
				    "parameter value \"%s\" has a space, control "
				    "or non-ASCII character", e);
				goto invalid;
			}
		}
		params[i].tag = t;
		params[i].taglen = tlen;
		params[i].val = val;
		params[i].vallen = vlen;
		p = semi ? semi + 1 : end;
	}
	out->params = params;
	out->nparams = nparts;
	return 0;
invalid:
	free(params);
	out->valid = 0;
	return 0;
}

void
caa_value_free(struct caa_value *v)
{
	if (v == NULL)
		return;
	free(v->params);
	v->params = NULL;
	v->nparams = 0;
}

static int
span_eq(const char *s, size_t len, const char *lit)
{
	return strlen(lit) == len && memcmp(s, lit, len) == 0;
}

/* Byte-for-byte issuer match against any configured issuer. */
static int
issuer_matches(const struct caa_value *v, const struct caa_policy *pol)
{
	size_t	 i;

	if (v->issuerlen == 0)
		return 0;
	for (i = 0; i < pol->nissuers; i++)
		if (span_eq(v->issuer, v->issuerlen, pol->issuers[i]))
			return 1;
	return 0;
}

/*
 * The issuer as another CA might read it: case-insensitive, trailing dot
 * removed.  Returns the configured issuer it would match, or NULL.
 */
static const char *
issuer_loosely_matches(const char *s, size_t len, const struct caa_policy *pol)
{
	size_t	 i;

	if (len > 0 && s[len - 1] == '.')
		len--;
	if (len == 0)
		return NULL;
	for (i = 0; i < pol->nissuers; i++)
		if (ascii_casecmp_n(s, len, pol->issuers[i]) == 0)
			return pol->issuers[i];
	return NULL;
}

/* Find a parameter; returns how many times it occurs, *p the first. */
static size_t
param_find(const struct caa_value *v, const char *tag,
    const struct caa_param **p)
{
	size_t	 i, n = 0;

	*p = NULL;
	for (i = 0; i < v->nparams; i++)
		if (span_eq(v->params[i].tag, v->params[i].taglen, tag)) {
			if (n++ == 0)
				*p = &v->params[i];
		}
	return n;
}

enum methods_result {
	METHODS_MATCH,
	METHODS_NOMATCH,
	METHODS_BADLABEL
};

/* RFC 8657 §4 as Boulder reads it: scan in order. */
static enum methods_result
methods_scan(const char *s, size_t len, const char *method,
    const char **bad, size_t *badlen)
{
	const char	*p = s, *end = s + len, *comma;
	size_t		 l, k;

	for (;;) {
		comma = memchr(p, ',', (size_t)(end - p));
		l = comma ? (size_t)(comma - p) : (size_t)(end - p);
		if (l == 0)
			goto badlabel;
		for (k = 0; k < l; k++)
			if (!is_alnum((unsigned char)p[k]) && p[k] != '-')
				goto badlabel;
		if (caa_method_known(p, l) && span_eq(p, l, method))
			return METHODS_MATCH;
		if (comma == NULL)
			return METHODS_NOMATCH;
		p = comma + 1;
	}
badlabel:
	*bad = p;
	*badlen = l;
	return METHODS_BADLABEL;
}

static void
set_reason(char *buf, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
set_reason(char *buf, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(buf, CAA_TEXTLEN, fmt, ap);
	va_end(ap);
	if (n >= CAA_TEXTLEN)
		memcpy(buf + CAA_TEXTLEN - 4, "...", 4);
}

/*
 * Why an issuer-matching, valid value is not satisfied: 0 when it is.
 * Fills reason/fix in d.
 */
static int
params_unsatisfied(const struct caa_value *v, const struct caa_policy *pol,
    const char *where, const char *tag, const char *issuer,
    struct caa_decision *d)
{
	const struct caa_param	*p;
	const char		*bad;
	size_t			 n, badlen;
	char			 e[256], e2[256];

	n = param_find(v, "accounturi", &p);
	if (n > 1) {
		set_reason(d->reason, "CAA %s at %s names \"%s\" with "
		    "accounturi twice, which no account can satisfy",
		    tag, where, issuer);
		set_reason(d->fix, "%s. CAA 0 %s \"%s; accounturi=%s\"", where,
		    tag, issuer, pol->account_uri ? pol->account_uri :
		    "<your account URI>");
		return 1;
	}
	if (n == 1 && (pol->account_uri == NULL ||
	    !span_eq(p->val, p->vallen, pol->account_uri))) {
		esc(e, sizeof(e), p->val, p->vallen);
		if (pol->account_uri == NULL) {
			set_reason(d->reason, "CAA %s at %s allows \"%s\" "
			    "only for account %s, and no account_uri is "
			    "configured to compare with", tag, where, issuer,
			    e);
			set_reason(d->fix, "set account_uri (or --account-uri) "
			    "to your ACME account URI, or %s. CAA 0 %s "
			    "\"%s; accounturi=<your account URI>\"", where,
			    tag, issuer);
		} else {
			set_reason(d->reason, "CAA %s at %s allows \"%s\" "
			    "only for account %s, not %s", tag, where, issuer,
			    e, pol->account_uri);
			set_reason(d->fix, "%s. CAA 0 %s \"%s; accounturi=%s\"",
			    where, tag, issuer, pol->account_uri);
		}
		return 1;
	}
	n = param_find(v, "validationmethods", &p);
	if (n > 1) {
		set_reason(d->reason, "CAA %s at %s names \"%s\" with "
		    "validationmethods twice, which no order can satisfy",
		    tag, where, issuer);
		set_reason(d->fix, "%s. CAA 0 %s \"%s; validationmethods=%s\"",
		    where, tag, issuer, pol->method);
		return 1;
	}
	if (n == 1) {
		switch (methods_scan(p->val, p->vallen, pol->method, &bad,
		    &badlen)) {
		case METHODS_MATCH:
			break;
		case METHODS_NOMATCH:
			esc(e, sizeof(e), p->val, p->vallen);
			set_reason(d->reason, "CAA %s at %s allows \"%s\" only "
			    "with validationmethods=%s, not %s", tag, where,
			    issuer, e, pol->method);
			set_reason(d->fix, "validate with one of %s, or %s. CAA "
			    "0 %s \"%s; validationmethods=%s\"", e, where, tag,
			    issuer, pol->method);
			return 1;
		case METHODS_BADLABEL:
			esc(e, sizeof(e), p->val, p->vallen);
			esc(e2, sizeof(e2), bad, badlen);
			set_reason(d->reason, "CAA %s at %s has validationmethods"
			    "=%s, whose label \"%s\" is not a method name, so "
			    "the CA stops reading there and %s is not allowed",
			    tag, where, e, e2, pol->method);
			set_reason(d->fix, "%s. CAA 0 %s \"%s; "
			    "validationmethods=%s\"", where, tag, issuer,
			    pol->method);
			return 1;
		}
	}
	return 0;
}

static void
add_warn(struct caa_decision *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
add_warn(struct caa_decision *d, const char *fmt, ...)
{
	va_list	 ap;

	if (d->nwarn >= CAA_MAXWARN)
		return;
	va_start(ap, fmt);
	(void)vsnprintf(d->warn[d->nwarn], CAA_TEXTLEN, fmt, ap);
	va_end(ap);
	d->nwarn++;
}

/* Portability notes for a relevant RRset the CA accepted. */
static void
portability_warnings(const struct caa_level *l, struct caa_decision *d)
{
	size_t	 i;
	char	 t[128], v[256];

	for (i = 0; i < l->nrecords; i++) {
		const struct caa_record *r = &l->records[i];

		if ((r->flags & 0x7f) == 0)
			continue;
		esc(t, sizeof(t), r->tag, r->taglen);
		esc(v, sizeof(v), r->value, r->valuelen);
		add_warn(d, "CAA %s at %s has flags %u: only bit 128 is "
		    "defined (RFC 8659 §4.1) and CAs read the others "
		    "differently; portable spelling: %s. CAA %u %s \"%s\"",
		    t, l->name, r->flags, l->name, r->flags & 0x80, t, v);
	}
}

/*
 * RFC 8659 §3: the first level with records is relevant; a failure
 * below it decides.  Returns the relevant level, or NULL with d filled
 * in (allowed: no records anywhere; failed: the level that failed).
 */
static const struct caa_level *
climb(const struct caa_level *levels, size_t nlevels, struct caa_decision *d)
{
	size_t	 i;

	for (i = 0; i < nlevels; i++) {
		if (levels[i].state == CAA_LEVEL_FAILED) {
			d->verdict = CAA_FAILED;
			d->level = (int)i;
			set_reason(d->reason, "%s", levels[i].failure ?
			    levels[i].failure : "DNS problem looking up CAA");
			if (levels[i].fix != NULL)
				set_reason(d->fix, "%s", levels[i].fix);
			return NULL;
		}
		if (levels[i].state == CAA_LEVEL_NXDOMAIN) {
			/* Boulder: NXDOMAIN for a TLD is an error. */
			if (strchr(levels[i].name, '.') == NULL) {
				d->verdict = CAA_FAILED;
				d->level = (int)i;
				set_reason(d->reason, "DNS problem: NXDOMAIN "
				    "looking up CAA for %s - the top-level "
				    "domain does not exist", levels[i].name);
				set_reason(d->fix, "check the spelling of the "
				    "name; the TLD %s is not in the root zone",
				    levels[i].name);
				return NULL;
			}
			continue;
		}
		if (levels[i].nrecords > 0) {
			d->level = (int)i;
			return &levels[i];
		}
	}
	d->verdict = CAA_ALLOWED;
	return NULL;
}

/* Boulder criticalUnknown(): bit 128, and bit 1 as its alias. */
static int
critical_unknown(const struct caa_level *l, struct caa_decision *d)
{
	char	 e[256], t[128];
	size_t	 i;

	for (i = 0; i < l->nrecords; i++) {
		const struct caa_record *r = &l->records[i];

		if (r->kind != CAA_TAG_UNKNOWN || (r->flags & 0x81) == 0)
			continue;
		d->verdict = CAA_REFUSED;
		esc(t, sizeof(t), r->tag, r->taglen);
		esc(e, sizeof(e), r->value, r->valuelen);
		if (r->flags & 0x80)
			set_reason(d->reason, "CAA at %s has tag \"%s\" marked "
			    "critical (flags %u), which the CA does not know, "
			    "so it must refuse", l->name, t, r->flags);
		else
			set_reason(d->reason, "CAA at %s has tag \"%s\" with "
			    "flags %u; Let's Encrypt reads bit 1 as critical "
			    "(RFC 8659 defines only bit 128) and refuses for "
			    "a tag it does not know", l->name, t, r->flags);
		if (r->taglen == 0)
			set_reason(d->fix, "remove the record from %s: it has "
			    "no tag", l->name);
		else
			set_reason(d->fix, "remove the record or clear its "
			    "flags: %s. CAA 0 %s \"%s\"", l->name, t, e);
		return 1;
	}
	return 0;
}

/*
 * The considered records that do not authorize, weighed for the reason
 * a refusal gives: the nearest miss wins (a matching issuer whose
 * parameters fail, over a malformed value naming the CA, over an issuer
 * that differs only in case or a dot, over other CAs).
 */
struct weigh {
	const struct caa_level	*l;
	const char		*tag;
	const char		*issuer0;	/* the CA's first issuer */
	size_t			 nconsidered;
	int			 best;		/* 0: no near miss yet */
	char			 breason[CAA_TEXTLEN];
	char			 bfix[CAA_TEXTLEN];
	char			 others[512];	/* other CAs named */
	size_t			 olen;
	int			 nothers;
	int			 any_empty;
};

/* A near miss of rank best, if it beats what was kept. */
static int
miss(struct weigh *w, int best)
{
	if (w->best >= best)
		return 0;
	w->best = best;
	return 1;
}

/* One considered record's value.  1: it authorizes. */
static int
weigh_value(struct weigh *w, const struct caa_record *r,
    const struct caa_value *v, const struct caa_policy *pol)
{
	const struct caa_level	*l = w->l;
	struct caa_decision	 tmp;
	const char		*loose;
	char			 e[256];

	if (v->valid && issuer_matches(v, pol)) {
		memset(&tmp, 0, sizeof(tmp));
		esc(e, sizeof(e), v->issuer, v->issuerlen);
		if (!params_unsatisfied(v, pol, l->name, w->tag, e, &tmp))
			return 1;
		if (miss(w, 4)) {
			memcpy(w->breason, tmp.reason, sizeof(w->breason));
			memcpy(w->bfix, tmp.fix, sizeof(w->bfix));
		}
	} else if (!v->valid && issuer_matches(v, pol)) {
		if (miss(w, 3)) {
			esc(e, sizeof(e), r->value, r->valuelen);
			set_reason(w->breason, "CAA %s at %s names \"%.*s\" but "
			    "its value \"%s\" is malformed (%s), so the CA "
			    "ignores it", w->tag, l->name, (int)v->issuerlen,
			    v->issuer, e, v->why);
			set_reason(w->bfix, "%s. CAA 0 %s \"%s\"", l->name,
			    w->tag, w->issuer0);
		}
	} else if ((loose = issuer_loosely_matches(v->issuer, v->issuerlen,
	    pol)) != NULL) {
		if (miss(w, 2)) {
			esc(e, sizeof(e), v->issuer, v->issuerlen);
			set_reason(w->breason, "CAA %s at %s names \"%s\", but "
			    "Let's Encrypt compares the issuer byte for byte "
			    "(no case folding, no trailing dot): it must be "
			    "exactly \"%s\"", w->tag, l->name, e, loose);
			set_reason(w->bfix, "%s. CAA 0 %s \"%s\"", l->name,
			    w->tag, loose);
		}
	} else if (v->issuerlen == 0) {
		w->any_empty = 1;
	} else if (w->olen < sizeof(w->others) - 1) {
		esc(e, sizeof(e), v->issuer, v->issuerlen);
		w->olen += (size_t)snprintf(w->others + w->olen,
		    sizeof(w->others) - w->olen, "%s\"%s\"",
		    w->nothers ? ", " : "", e);
		if (w->olen >= sizeof(w->others))
			w->olen = sizeof(w->others) - 1;
		w->nothers++;
	}
	return 0;
}

/* The refusal's words, from the nearest miss. */
static void
refuse(const struct weigh *w, struct caa_decision *d)
{
	const struct caa_level	*l = w->l;

	d->verdict = CAA_REFUSED;
	if (w->best > 0) {
		memcpy(d->reason, w->breason, sizeof(d->reason));
		memcpy(d->fix, w->bfix, sizeof(d->fix));
		return;
	}
	if (w->nothers > 0)
		set_reason(d->reason, "CAA %s at %s allows only %s, not \"%s\"",
		    w->tag, l->name, w->others, w->issuer0);
	else if (w->any_empty)
		set_reason(d->reason, "CAA %s at %s forbids issuance by any "
		    "CA (empty issuer, as in \";\")", w->tag, l->name);
	else
		set_reason(d->reason, "CAA %s at %s does not allow \"%s\"",
		    w->tag, l->name, w->issuer0);
	set_reason(d->fix, "%s. CAA 0 %s \"%s\"", l->name, w->tag,
	    w->issuer0);
}

/*
 * Write name's fix for the alias target owner, where the records live:
 * every "name." of a record and every "from name:" names owner, after a
 * sentence that says why.
 */
static void
retarget(struct caa_decision *d, const char *name, const char *owner)
{
	char		 out[CAA_TEXTLEN];
	const char	*s = d->fix, *hit;
	size_t		 len = 0, nlen = strlen(name);
	int		 n;

	n = snprintf(out, sizeof(out), "%s is an alias of %s, where its CAA "
	    "records live (an alias cannot hold them): ", name, owner);
	if (n < 0 || (size_t)n >= sizeof(out))
		return;
	len = (size_t)n;
	while ((hit = strstr(s, name)) != NULL && len < sizeof(out)) {
		int whole = (hit == d->fix || hit[-1] == ' ') &&
		    (hit[nlen] == '.' || hit[nlen] == ':');

		n = snprintf(out + len, sizeof(out) - len, "%.*s%s",
		    (int)(hit - s), s, whole ? owner : name);
		if (n < 0)
			return;
		len += (size_t)n;
		s = hit + nlen;
	}
	if (len < sizeof(out))
		(void)snprintf(out + len, sizeof(out) - len, "%s", s);
	memcpy(d->fix, out, sizeof(d->fix));
}

static void
decide(const struct caa_level *levels, size_t nlevels, int wildcard,
    const struct caa_policy *pol, struct caa_decision *d)
{
	const struct caa_level	*l;
	struct weigh		 w;
	struct caa_value	 v;
	size_t			 i, nwild = 0;
	int			 ok;

	memset(d, 0, sizeof(*d));
	d->level = -1;
	d->considered = CAA_TAG_ISSUE;
	if ((l = climb(levels, nlevels, d)) == NULL ||
	    critical_unknown(l, d))
		return;
	for (i = 0; i < l->nrecords; i++)
		if (l->records[i].kind == CAA_TAG_ISSUEWILD)
			nwild++;
	/* RFC 8659 §5.3: issuewild replaces issue for a wildcard. */
	d->considered = wildcard && nwild > 0 ? CAA_TAG_ISSUEWILD :
	    CAA_TAG_ISSUE;
	memset(&w, 0, sizeof(w));
	w.l = l;
	w.tag = caa_tag_name(d->considered);
	w.issuer0 = pol->nissuers > 0 ? pol->issuers[0] : "";
	for (i = 0; i < l->nrecords; i++) {
		const struct caa_record *r = &l->records[i];

		if (r->kind != d->considered)
			continue;
		w.nconsidered++;
		if (caa_value_parse(r->value, r->valuelen, &v) == -1) {
			d->verdict = CAA_FAILED;
			set_reason(d->reason, "out of memory");
			return;
		}
		ok = weigh_value(&w, r, &v, pol);
		caa_value_free(&v);
		if (ok) {
			d->verdict = CAA_ALLOWED;
			portability_warnings(l, d);
			return;
		}
	}
	/* Only iodef or other tags: nothing restricts issuance. */
	if (w.nconsidered == 0) {
		d->verdict = CAA_ALLOWED;
		portability_warnings(l, d);
		return;
	}
	refuse(&w, d);
}

void
caa_decide(const struct caa_level *levels, size_t nlevels, int wildcard,
    const struct caa_policy *pol, struct caa_decision *d)
{
	const char	*owner;

	decide(levels, nlevels, wildcard, pol, d);
	/* SPEC 5.2 (rev. 2): the records live at the alias target. */
	if (d->verdict == CAA_REFUSED && d->level >= 0 &&
	    (owner = levels[d->level].owner) != NULL && d->fix[0] != '\0')
		retarget(d, levels[d->level].name, owner);
}
