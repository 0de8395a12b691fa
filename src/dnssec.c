/*
 * dnssec: the per-server signature check.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ldns/ldns.h>
#include <openssl/evp.h>

#include "dnssec.h"
#include "wire.h"

#define NPROVEN		4096
#define NVERIFIED	256

/* An RRset and its one RRSIG, by digest. */
struct digest {
	uint8_t		 d[LDNS_SHA256_DIGEST_LENGTH];
	ldns_status	 st;		/* verified: the verdict */
	struct digest	*next;
};

/* SHA-256, fetched once: libcrypto's implicit fetch costs more per call. */
struct digester {
	EVP_MD		*md;
	EVP_MD_CTX	*ctx;
};

struct dnssec_proven {
	struct digest	*b[NPROVEN];
	size_t		 n;
	struct digester	 g;
};

struct dnssec_zone {
	char				*apex;
	const struct dnssec_proven	*proven;
	ldns_rr_list			*keys;
	/* Every server of a zone sends the same signed RRsets. */
	struct digest			*verified[NVERIFIED];
	struct digester			 g;
};

static int
digester_init(struct digester *g)
{
	g->md = EVP_MD_fetch(NULL, "SHA256", NULL);
	g->ctx = EVP_MD_CTX_new();
	return g->md != NULL && g->ctx != NULL ? 0 : -1;
}

static void
digester_free(struct digester *g)
{
	EVP_MD_CTX_free(g->ctx);
	EVP_MD_free(g->md);
}

static void
chain_free(struct digest **b, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		for (struct digest *v = b[i], *vn; v != NULL; v = vn) {
			vn = v->next;
			free(v);
		}
}

/* A digest's bucket in a table of n. */
static size_t
bucket(const uint8_t *d, size_t n)
{
	return ((size_t)d[0] << 8 | d[1]) % n;
}

static struct digest *
find(struct digest *const *b, size_t n, const uint8_t *d)
{
	struct digest	*v;

	for (v = b[bucket(d, n)]; v != NULL; v = v->next)
		if (memcmp(v->d, d, LDNS_SHA256_DIGEST_LENGTH) == 0)
			return v;
	return NULL;
}

/* Bytes of one record as a digest reads them: its size, or 0. */
static size_t
rr_canon_size(const ldns_rr *rr)
{
	size_t	 i, rdlen = 0;

	for (i = 0; i < ldns_rr_rd_count(rr); i++)
		rdlen += ldns_rdf_size(ldns_rr_rdf(rr, i));
	return rdlen > 65535 ? 0 : ldns_rdf_size(ldns_rr_owner(rr)) + 6 + rdlen;
}

/*
 * One record without its TTL, at o: owner in lower case, type, class,
 * RDATA length and RDATA.  Each part is sized, so that no two records
 * write the same bytes.
 */
static void
rr_canon(const ldns_rr *rr, uint8_t *o)
{
	const ldns_rdf	*owner = ldns_rr_owner(rr), *f;
	const uint8_t	*d = ldns_rdf_data(owner);
	size_t		 i, n = ldns_rdf_size(owner), len;
	uint8_t		*rdlen;

	for (i = 0; i < n; i++)
		*o++ = (uint8_t)(d[i] >= 'A' && d[i] <= 'Z' ? d[i] + 32 : d[i]);
	*o++ = (uint8_t)(ldns_rr_get_type(rr) >> 8);
	*o++ = (uint8_t)ldns_rr_get_type(rr);
	*o++ = (uint8_t)(ldns_rr_get_class(rr) >> 8);
	*o++ = (uint8_t)ldns_rr_get_class(rr);
	rdlen = o;
	o += 2;
	for (i = 0, len = 0; i < ldns_rr_rd_count(rr); i++) {
		f = ldns_rr_rdf(rr, i);
		memcpy(o, ldns_rdf_data(f), ldns_rdf_size(f));
		o += ldns_rdf_size(f);
		len += ldns_rdf_size(f);
	}
	rdlen[0] = (uint8_t)(len >> 8);
	rdlen[1] = (uint8_t)len;
}

/* A record's bytes within the digest's buffer. */
struct span {
	const uint8_t	*p;
	size_t		 n;
};

static int
cmpspan(const void *a, const void *b)
{
	const struct span	*x = a, *y = b;
	int			 c;

	c = memcmp(x->p, y->p, x->n < y->n ? x->n : y->n);
	if (c != 0)
		return c;
	return x->n < y->n ? -1 : x->n > y->n;
}

/*
 * The digest of an RRset and one RRSIG over it, as far as the signature
 * check sees them: TTLs (which caches count down), the case of owner
 * names and the order of the records do not count; the RDATA of every
 * record and the RRSIG's, with its signature, do.  One SHA-256 over the
 * records in byte order, then the RRSIG.
 */
static int
rrsig_digest(const struct digester *g, const ldns_rr_list *rrset,
    const ldns_rr *sig, uint8_t *d)
{
	uint8_t		 small[2048], *buf = small, *at;
	struct span	 few[16], *sp = few;
	size_t		 i, n = ldns_rr_list_rr_count(rrset), total, siglen;
	unsigned	 dlen = 0;
	int		 rc = -1;

	if ((siglen = rr_canon_size(sig)) == 0 ||
	    (n > 16 && (sp = calloc(n, sizeof(*sp))) == NULL))
		goto out;
	for (i = 0, total = siglen; i < n; i++) {
		if ((sp[i].n = rr_canon_size(ldns_rr_list_rr(rrset, i))) == 0)
			goto out;
		total += sp[i].n;
	}
	if (total > sizeof(small) && (buf = malloc(total)) == NULL)
		goto out;
	for (i = 0, at = buf; i < n; i++) {
		sp[i].p = at;
		rr_canon(ldns_rr_list_rr(rrset, i), at);
		at += sp[i].n;
	}
	qsort(sp, n, sizeof(*sp), cmpspan);
	rr_canon(sig, at);
	if (EVP_DigestInit_ex(g->ctx, g->md, NULL) != 1)
		goto out;
	for (i = 0; i < n; i++)
		if (EVP_DigestUpdate(g->ctx, sp[i].p, sp[i].n) != 1)
			goto out;
	if (EVP_DigestUpdate(g->ctx, at, siglen) != 1 ||
	    EVP_DigestFinal_ex(g->ctx, d, &dlen) != 1 ||
	    dlen != LDNS_SHA256_DIGEST_LENGTH)
		goto out;
	rc = 0;
out:
	if (sp != few)
		free(sp);
	if (buf != small)
		free(buf);
	return rc;
}

/* The records of (owner, ty) in a section, or NULL (out of memory). */
static ldns_rr_list *
rrset_of(const ldns_rr_list *sec, const ldns_rdf *owner, ldns_rr_type ty)
{
	ldns_rr_list	*rrset;
	size_t		 j;

	if ((rrset = ldns_rr_list_new()) == NULL)
		return NULL;
	for (j = 0; j < ldns_rr_list_rr_count(sec); j++) {
		ldns_rr *o = ldns_rr_list_rr(sec, j);

		if (ldns_rr_get_type(o) == ty &&
		    ldns_dname_compare(ldns_rr_owner(o), owner) == 0)
			(void)ldns_rr_list_push_rr(rrset, o);
	}
	return rrset;
}

/* Is rr an RRSIG over (owner, ty)? */
static int
signs(const ldns_rr *rr, const ldns_rdf *owner, ldns_rr_type ty)
{
	return ldns_rr_get_type(rr) == LDNS_RR_TYPE_RRSIG &&
	    wire_covered(rr) == ty &&
	    ldns_dname_compare(ldns_rr_owner(rr), owner) == 0;
}

struct dnssec_proven *
dnssec_proven_new(void)
{
	struct dnssec_proven	*p;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		return NULL;
	if (digester_init(&p->g) == -1) {
		dnssec_proven_free(p);
		return NULL;
	}
	return p;
}

void
dnssec_proven_free(struct dnssec_proven *p)
{
	if (p == NULL)
		return;
	chain_free(p->b, NPROVEN);
	digester_free(&p->g);
	free(p);
}

size_t
dnssec_proven_count(const struct dnssec_proven *p)
{
	return p->n;
}

/* Is rr the first record of its RRset in the section? */
static int
first_of_rrset(const ldns_rr_list *sec, size_t i)
{
	ldns_rr		*rr = ldns_rr_list_rr(sec, i);
	size_t		 j;

	for (j = 0; j < i; j++) {
		ldns_rr *o = ldns_rr_list_rr(sec, j);

		if (ldns_rr_get_type(o) == ldns_rr_get_type(rr) &&
		    ldns_dname_compare(ldns_rr_owner(o),
		    ldns_rr_owner(rr)) == 0)
			return 0;
	}
	return 1;
}

/* Remember one RRset when exactly one RRSIG covers it. */
static int
prove_rrset(struct dnssec_proven *p, const ldns_rr_list *sec,
    const ldns_rr *rr)
{
	ldns_rr_list	*rrset;
	const ldns_rr	*sig = NULL;
	struct digest	*v;
	size_t		 j, nsig = 0, h;
	int		 rc = 0;

	if ((rrset = rrset_of(sec, ldns_rr_owner(rr),
	    ldns_rr_get_type(rr))) == NULL)
		return -1;
	for (j = 0; j < ldns_rr_list_rr_count(sec); j++)
		if (signs(ldns_rr_list_rr(sec, j), ldns_rr_owner(rr),
		    ldns_rr_get_type(rr))) {
			sig = ldns_rr_list_rr(sec, j);
			nsig++;
		}
	/* With more than one it is not known which verified. */
	if (nsig == 1) {
		if ((v = calloc(1, sizeof(*v))) == NULL)
			rc = -1;
		else if (rrsig_digest(&p->g, rrset, sig, v->d) == -1 ||
		    find(p->b, NPROVEN, v->d) != NULL)
			free(v);
		else {
			h = bucket(v->d, NPROVEN);
			v->next = p->b[h];
			p->b[h] = v;
			p->n++;
		}
	}
	ldns_rr_list_free(rrset);
	return rc;
}

int
dnssec_prove(struct dnssec_proven *p, const ldns_pkt *pkt)
{
	ldns_rr_list	*secs[2];
	size_t		 k, i;

	secs[0] = ldns_pkt_answer(pkt);
	secs[1] = ldns_pkt_authority(pkt);
	for (k = 0; k < 2; k++)
		for (i = 0; i < ldns_rr_list_rr_count(secs[k]); i++) {
			ldns_rr *rr = ldns_rr_list_rr(secs[k], i);

			if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_RRSIG ||
			    !first_of_rrset(secs[k], i))
				continue;
			if (prove_rrset(p, secs[k], rr) == -1)
				return -1;
		}
	return 0;
}

struct dnssec_zone *
dnssec_zone_new(const char *apex, const struct dnssec_proven *proven)
{
	struct dnssec_zone	*z;

	if ((z = calloc(1, sizeof(*z))) == NULL)
		return NULL;
	z->proven = proven;
	if ((z->apex = strdup(apex)) == NULL || digester_init(&z->g) == -1) {
		dnssec_zone_free(z);
		return NULL;
	}
	return z;
}

void
dnssec_zone_free(struct dnssec_zone *z)
{
	if (z == NULL)
		return;
	chain_free(z->verified, NVERIFIED);
	ldns_rr_list_deep_free(z->keys);
	digester_free(&z->g);
	free(z->apex);
	free(z);
}

int
dnssec_zone_keys(struct dnssec_zone *z, const ldns_pkt *pkt)
{
	ldns_rr_list	*ans = ldns_pkt_answer(pkt);
	ldns_rr		*rr;
	size_t		 i;

	if (z->keys == NULL && (z->keys = ldns_rr_list_new()) == NULL)
		return -1;
	for (i = 0; i < ldns_rr_list_rr_count(ans); i++) {
		if (ldns_rr_get_type(ldns_rr_list_rr(ans, i)) !=
		    LDNS_RR_TYPE_DNSKEY)
			continue;
		if ((rr = ldns_rr_clone(ldns_rr_list_rr(ans, i))) == NULL ||
		    !ldns_rr_list_push_rr(z->keys, rr)) {
			ldns_rr_free(rr);
			return -1;
		}
	}
	return 0;
}

int
dnssec_zone_ready(const struct dnssec_zone *z)
{
	return z->keys != NULL;
}

/*
 * Check one RRSIG over an RRset, once per run.  The same records and
 * signature as a secure answer of the resolver's carried, made by this
 * zone's keys, verify as they did there: no check of our own.
 */
static ldns_status
verify_once(struct dnssec_zone *z, ldns_rr_list *rrset, ldns_rr *sig)
{
	struct digest	*v;
	ldns_rr_list	*good;
	uint8_t		 d[LDNS_SHA256_DIGEST_LENGTH];
	char		 signer[256];
	ldns_status	 st;
	size_t		 h;
	int		 proven = 0;

	if (rrsig_digest(&z->g, rrset, sig, d) == -1)
		return LDNS_STATUS_MEM_ERR;
	if ((v = find(z->verified, NVERIFIED, d)) != NULL)
		return v->st;
	if (z->proven != NULL && find(z->proven->b, NPROVEN, d) != NULL) {
		wire_rdf_name(wire_field(sig, 7, LDNS_RDF_TYPE_DNAME, 0),
		    signer, sizeof(signer));
		proven = strcmp(signer, z->apex) == 0;
	}
	if (proven)
		st = LDNS_STATUS_OK;
	else {
		good = ldns_rr_list_new();
		st = ldns_verify_rrsig_keylist(rrset, sig, z->keys, good);
		ldns_rr_list_free(good);
	}
	if ((v = calloc(1, sizeof(*v))) != NULL) {
		memcpy(v->d, d, sizeof(d));
		v->st = st;
		h = bucket(d, NVERIFIED);
		v->next = z->verified[h];
		z->verified[h] = v;
	}
	return st;
}

/* NULL when an RRSIG over (owner, ty) verifies, else why not. */
static const char *
verify_rrset(struct dnssec_zone *z, const ldns_rr_list *sec,
    const ldns_rdf *owner, ldns_rr_type ty)
{
	ldns_rr_list	*rrset;
	ldns_status	 st = LDNS_STATUS_CRYPTO_NO_RRSIG;
	size_t		 j;
	int		 ok = 0;

	if ((rrset = rrset_of(sec, owner, ty)) == NULL)
		return ldns_get_errorstr_by_id(LDNS_STATUS_MEM_ERR);
	for (j = 0; j < ldns_rr_list_rr_count(sec) && !ok; j++) {
		ldns_rr *sig = ldns_rr_list_rr(sec, j);

		if (!signs(sig, owner, ty))
			continue;
		st = verify_once(z, rrset, sig);
		ok = st == LDNS_STATUS_OK;
	}
	ldns_rr_list_free(rrset);
	if (ok)
		return NULL;
	return ldns_get_errorstr_by_id(st) ? ldns_get_errorstr_by_id(st) :
	    "signature does not verify";
}

/* Is owner in the zone (at or below the apex)? */
static int
in_zone(const ldns_rdf *owner, const ldns_rdf *apex)
{
	return ldns_dname_compare(owner, apex) == 0 ||
	    ldns_dname_is_subdomain(owner, apex);
}

/* A CNAME synthesised from a DNAME above it is never signed (RFC 6672). */
static int
synthesised(const ldns_rr_list *sec, const ldns_rr *cname)
{
	size_t	 i;

	for (i = 0; i < ldns_rr_list_rr_count(sec); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(sec, i);

		if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_DNAME &&
		    ldns_dname_is_subdomain(ldns_rr_owner(cname),
		    ldns_rr_owner(rr)))
			return 1;
	}
	return 0;
}

/* Whether the record's RRset is one the zone must have signed. */
static int
must_be_signed(const ldns_rr_list *sec, size_t k, const ldns_rr *rr,
    const ldns_rdf *apex)
{
	ldns_rr_type	 ty = ldns_rr_get_type(rr);

	/* Delegation NS sets in the authority section are not signed. */
	return ty != LDNS_RR_TYPE_RRSIG &&
	    !(k == 1 && ty == LDNS_RR_TYPE_NS) &&
	    in_zone(ldns_rr_owner(rr), apex) &&
	    !(ty == LDNS_RR_TYPE_CNAME && synthesised(sec, rr));
}

const char *
dnssec_check(struct dnssec_zone *z, const ldns_pkt *pkt, char *what,
    size_t size)
{
	ldns_rr_list	*secs[2], *sec;
	ldns_rdf	*apex;
	size_t		 k, i;
	const char	*why = NULL;

	if (z->keys == NULL ||
	    (apex = ldns_dname_new_frm_str(z->apex)) == NULL)
		return NULL;
	secs[0] = ldns_pkt_answer(pkt);
	secs[1] = ldns_pkt_authority(pkt);
	for (k = 0; k < 2 && why == NULL; k++) {
		sec = secs[k];
		for (i = 0; i < ldns_rr_list_rr_count(sec) && why == NULL;
		    i++) {
			ldns_rr		*rr = ldns_rr_list_rr(sec, i);

			/* Each RRset once, from its first record. */
			if (!must_be_signed(sec, k, rr, apex) ||
			    !first_of_rrset(sec, i))
				continue;
			if ((why = verify_rrset(z, sec, ldns_rr_owner(rr),
			    ldns_rr_get_type(rr))) != NULL) {
				char *o = ldns_rdf2str(ldns_rr_owner(rr));
				char *t = ldns_rr_type2str(ldns_rr_get_type(rr));

				(void)snprintf(what, size, "%s %s", o ? o : "?",
				    t ? t : "?");
				free(o);
				free(t);
			}
		}
	}
	ldns_rdf_deep_free(apex);
	return why;
}
