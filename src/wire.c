/*
 * wire: reading DNS messages safely.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ldns/ldns.h>

#include "wire.h"

void
wire_norm(const char *in, char *out, size_t size)
{
	size_t	 i, len = strlen(in);

	if (len > 1 && in[len - 1] == '.')
		len--;
	if (len >= size)
		len = size - 1;
	for (i = 0; i < len; i++)
		out[i] = (in[i] >= 'A' && in[i] <= 'Z') ? in[i] + 32 : in[i];
	out[len] = '\0';
}

/*
 * A name in presentation form, as libldns writes it (the same escapes),
 * without its allocations: this runs for most records of every answer.
 * Anything but a well-formed uncompressed name, and -1.
 */
static int
dname_text(const ldns_rdf *rdf, char *t, size_t size)
{
	const uint8_t	*d = ldns_rdf_data(rdf);
	size_t		 n = ldns_rdf_size(rdf), pos = 0, o = 0, i, len;
	uint8_t		 c;

	if (ldns_rdf_get_type(rdf) != LDNS_RDF_TYPE_DNAME || n == 0 ||
	    n > LDNS_MAX_DOMAINLEN + 1)
		return -1;
	if (n == 1 && d[0] == 0) {
		(void)snprintf(t, size, ".");
		return 0;
	}
	while (pos < n && (len = d[pos]) != 0) {
		if (len > 63 || pos + 1 + len >= n)
			return -1;
		for (i = pos + 1; i <= pos + len; i++) {
			/* Four bytes at most, a dot and the NUL: room left. */
			if (o + 6 > size)
				return -1;
			c = d[i];
			if (c == '.' || c == ';' || c == '(' || c == ')' ||
			    c == '\\') {
				t[o++] = '\\';
				t[o++] = (char)c;
			} else if (c < 0x21 || c > 0x7e)
				o += (size_t)snprintf(t + o, size - o, "\\%03u",
				    c);
			else
				t[o++] = (char)c;
		}
		t[o++] = '.';
		pos += 1 + len;
	}
	if (pos != n - 1)
		return -1;
	t[o] = '\0';
	return 0;
}

void
wire_rdf_name(const ldns_rdf *rdf, char *out, size_t size)
{
	char	 buf[4 * LDNS_MAX_DOMAINLEN + 8], *t;

	if (rdf != NULL && dname_text(rdf, buf, sizeof(buf)) == 0) {
		wire_norm(buf, out, size);
		return;
	}
	t = rdf != NULL ? ldns_rdf2str(rdf) : NULL;
	wire_norm(t ? t : "", out, size);
	free(t);
}

const ldns_rdf *
wire_field(const ldns_rr *rr, size_t i, ldns_rdf_type type, size_t size)
{
	const ldns_rdf	*f;

	if (ldns_rr_rd_count(rr) <= i || (f = ldns_rr_rdf(rr, i)) == NULL ||
	    ldns_rdf_get_type(f) != type ||
	    (size > 0 && ldns_rdf_size(f) != size))
		return NULL;
	return f;
}

ldns_rr_type
wire_covered(const ldns_rr *sig)
{
	const ldns_rdf	*f = wire_field(sig, 0, LDNS_RDF_TYPE_TYPE, 2);

	return f != NULL ? ldns_rdf2rr_type(f) : 0;
}

int
wire_rrsig_expiry(const uint8_t *wire, size_t len, time_t now,
    time_t *expires, char *signer, size_t size)
{
	ldns_pkt	*pkt;
	int		 found;

	if ((pkt = wire_parse(wire, len)) == NULL)
		return 0;
	found = wire_rrsig_min(pkt, now, 0, expires, signer, size);
	ldns_pkt_free(pkt);
	return found;
}

int
wire_rrsig_min(const ldns_pkt *pkt, time_t now, int covered,
    time_t *expires, char *signer, size_t size)
{
	const ldns_rr_list	*secs[2];
	const ldns_rr		*rr;
	const ldns_rdf		*f, *by;
	time_t			 t;
	size_t			 s, i;
	int			 found = 0;

	secs[0] = ldns_pkt_answer(pkt);
	secs[1] = ldns_pkt_authority(pkt);
	for (s = 0; s < 2; s++)
		for (i = 0; secs[s] != NULL && i < ldns_rr_list_rr_count(
		    secs[s]); i++) {
			rr = ldns_rr_list_rr(secs[s], i);
			if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_RRSIG ||
			    (covered != 0 && (int)wire_covered(rr) != covered) ||
			    (f = wire_field(rr, 4, LDNS_RDF_TYPE_TIME, 4)) ==
			    NULL || (by = wire_field(rr, 7, LDNS_RDF_TYPE_DNAME,
			    0)) == NULL)
				continue;
			/* Serial number arithmetic, around now. */
			t = now + (int32_t)(ldns_rdf2native_int32(f) -
			    (uint32_t)now);
			if (!found || t < *expires) {
				*expires = t;
				wire_rdf_name(by, signer, size);
			}
			found = 1;
		}
	return found;
}

ldns_pkt *
wire_parse(const uint8_t *wire, size_t len)
{
	ldns_pkt	*pkt = NULL;

	if (wire == NULL || ldns_wire2pkt(&pkt, wire, len) != LDNS_STATUS_OK)
		return NULL;
	return pkt;
}

int
wire_is_answer(const ldns_pkt *pkt, uint16_t id, const ldns_rdf *qname,
    int qtype)
{
	const ldns_rr	*qrr;

	if (ldns_pkt_id(pkt) != id || !ldns_pkt_qr(pkt) ||
	    ldns_pkt_qdcount(pkt) != 1)
		return 0;
	qrr = ldns_rr_list_rr(ldns_pkt_question(pkt), 0);
	return qrr != NULL && (int)ldns_rr_get_type(qrr) == qtype &&
	    ldns_dname_compare(ldns_rr_owner(qrr), qname) == 0;
}

/* The OPT record of wire_query(): root owner, type 41, its fields. */
static const uint8_t query_opt[] = {
	0,			/* owner: the root */
	0, 41,			/* OPT */
	0x10, 0x00,		/* UDP payload size: 4096 */
	0, 0, 0x80, 0,		/* extended RCODE, version, flags: DO */
	0, 4,			/* RDLENGTH */
	0, 3, 0, 0		/* NSID, empty */
};

uint8_t *
wire_query(const ldns_rdf *qname, int qtype, uint16_t id, size_t *len)
{
	uint8_t	*w;
	size_t	 n, q;

	if (qname == NULL || ldns_rdf_get_type(qname) != LDNS_RDF_TYPE_DNAME ||
	    (q = ldns_rdf_size(qname)) == 0 || q > LDNS_MAX_DOMAINLEN + 1)
		return NULL;
	n = 12 + q + 4 + sizeof(query_opt);
	if ((w = calloc(1, n)) == NULL)
		return NULL;
	w[0] = (uint8_t)(id >> 8);
	w[1] = (uint8_t)id;
	w[5] = 1;		/* QDCOUNT */
	w[11] = 1;		/* ARCOUNT: the OPT record */
	memcpy(w + 12, ldns_rdf_data(qname), q);
	w[12 + q] = (uint8_t)(qtype >> 8);
	w[13 + q] = (uint8_t)qtype;
	w[15 + q] = LDNS_RR_CLASS_IN;
	memcpy(w + 16 + q, query_opt, sizeof(query_opt));
	*len = n;
	return w;
}

int
wire_nsid(const ldns_pkt *pkt, char *out, size_t size)
{
	ldns_edns_option_list	*l;
	const ldns_edns_option	*o;
	const uint8_t		*d;
	size_t			 i, k, n, len = 0;
	int			 text = 1;

	/* libldns takes no const here, and changes nothing. */
	if ((l = ldns_pkt_edns_get_option_list((ldns_pkt *)pkt)) == NULL)
		return 0;
	for (i = 0; i < ldns_edns_option_list_get_count(l); i++) {
		o = ldns_edns_option_list_get_option(l, i);
		if (o == NULL || ldns_edns_get_code(o) != LDNS_EDNS_NSID)
			continue;
		d = ldns_edns_get_data(o);
		n = ldns_edns_get_size(o);
		if (n == 0 || d == NULL || size == 0)
			return 0;
		for (k = 0; k < n; k++)
			if (d[k] < 0x20 || d[k] > 0x7e || d[k] == '"')
				text = 0;
		for (k = 0; k < n && len + 3 < size; k++)
			len += (size_t)snprintf(out + len, size - len,
			    text ? "%c" : "%02x", d[k]);
		out[len] = '\0';
		return 1;
	}
	return 0;
}

int
wire_same_case(const ldns_pkt *pkt, const char *sent)
{
	const ldns_rr	*qrr = ldns_rr_list_rr(ldns_pkt_question(pkt), 0);
	char		*t;
	size_t		 n = strlen(sent);
	int		 same;

	if (qrr == NULL || (t = ldns_rdf2str(ldns_rr_owner(qrr))) == NULL)
		return 1;
	same = strncmp(t, sent, n) == 0 && (t[n] == '\0' ||
	    (t[n] == '.' && t[n + 1] == '\0'));
	free(t);
	return same;
}

enum wire_zone
wire_zone_from_soa(const ldns_pkt *pkt, const char *qname, char *apex,
    size_t size)
{
	ldns_rr_list	*sec;
	ldns_rr		*rr;
	size_t		 i;
	char		 owner[256];

	sec = ldns_pkt_answer(pkt);
	for (i = 0; i < ldns_rr_list_rr_count(sec); i++) {
		rr = ldns_rr_list_rr(sec, i);
		wire_rdf_name(ldns_rr_owner(rr), owner, sizeof(owner));
		if (strcmp(owner, qname) != 0)
			continue;
		if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_SOA) {
			wire_norm(qname, apex, size);
			return WIRE_ZONE_FOUND;
		}
		if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_CNAME)
			return WIRE_ZONE_ALIAS;
	}
	/* A DNAME above, or a CNAME: the zone is the parent's. */
	if (ldns_rr_list_rr_count(sec) > 0)
		return WIRE_ZONE_ALIAS;
	sec = ldns_pkt_authority(pkt);
	for (i = 0; i < ldns_rr_list_rr_count(sec); i++) {
		rr = ldns_rr_list_rr(sec, i);
		if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_SOA) {
			wire_rdf_name(ldns_rr_owner(rr), apex, size);
			return WIRE_ZONE_FOUND;
		}
	}
	return WIRE_ZONE_FAIL;
}

/* Is name the apex itself or below it? */
static int
under(const char *name, const char *apex)
{
	size_t	 n = strlen(name), a = strlen(apex);

	return strcmp(name, apex) == 0 || (n > a + 1 &&
	    name[n - a - 1] == '.' && strcmp(name + n - a, apex) == 0);
}

void
wire_zone_in_pkt(const ldns_pkt *pkt, const char *qname, int qtype,
    char *apex, size_t size)
{
	ldns_rr_list	*sec;
	ldns_rr		*rr;
	size_t		 i;
	char		 owner[256];

	apex[0] = '\0';
	sec = ldns_pkt_answer(pkt);
	for (i = 0; i < ldns_rr_list_rr_count(sec); i++) {
		rr = ldns_rr_list_rr(sec, i);
		wire_rdf_name(ldns_rr_owner(rr), owner, sizeof(owner));
		if (strcmp(owner, qname) != 0)
			return;		/* an alias's target, or a DNAME */
		if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_RRSIG &&
		    (int)wire_covered(rr) == qtype)
			wire_rdf_name(wire_field(rr, 7, LDNS_RDF_TYPE_DNAME, 0),
			    apex, size);
		else if ((int)ldns_rr_get_type(rr) != qtype) {
			apex[0] = '\0';
			return;
		}
	}
	if (ldns_rr_list_rr_count(sec) == 0) {
		sec = ldns_pkt_authority(pkt);
		for (i = 0; i < ldns_rr_list_rr_count(sec); i++) {
			rr = ldns_rr_list_rr(sec, i);
			if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_SOA) {
				wire_rdf_name(ldns_rr_owner(rr), apex, size);
				break;
			}
		}
	}
	if (apex[0] != '\0' && !under(qname, apex))
		apex[0] = '\0';
}

int
wire_strv_push(char ***v, size_t *n, const char *str)
{
	char	**nv, *d;
	size_t	  i;

	for (i = 0; i < *n; i++)
		if (strcmp((*v)[i], str) == 0)
			return 0;
	if ((d = strdup(str)) == NULL ||
	    (nv = reallocarray(*v, *n + 1, sizeof(*nv))) == NULL) {
		free(d);
		return -1;
	}
	nv[(*n)++] = d;
	*v = nv;
	return 0;
}

void
wire_strv_free(char **v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* The NS names for owner in one section. */
static int
ns_in(const ldns_rr_list *sec, const char *owner, char ***v, size_t *n)
{
	size_t	 i;
	char	 o[256], t[256];
	int	 rc = 0;

	for (i = 0; i < ldns_rr_list_rr_count(sec); i++) {
		ldns_rr *rr = ldns_rr_list_rr(sec, i);

		if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_NS)
			continue;
		wire_rdf_name(ldns_rr_owner(rr), o, sizeof(o));
		if (strcmp(o, owner) != 0)
			continue;
		wire_rdf_name(wire_field(rr, 0, LDNS_RDF_TYPE_DNAME, 0), t,
		    sizeof(t));
		if (t[0] != '\0' && wire_strv_push(v, n, t) == -1)
			rc = -1;
	}
	return rc;
}

int
wire_ns_names(const ldns_pkt *pkt, const char *owner, int referral,
    char ***v, size_t *n)
{
	size_t	 before = *n;

	/* A referral's NS set is in the authority section. */
	if (referral && ns_in(ldns_pkt_authority(pkt), owner, v, n) == -1)
		return -1;
	if (referral && *n > before)
		return 0;
	return ns_in(ldns_pkt_answer(pkt), owner, v, n);
}

/* Is name the apex itself or below it, and apex strictly below top? */
static int
cut_between(const char *name, const char *apex, const char *top)
{
	return under(name, apex) && under(apex, top) && strcmp(apex, top) != 0;
}

/* Append one string to a vector (duplicates kept). */
static int
strv_add(char ***v, size_t *n, const char *s)
{
	char	**nv, *d;

	if ((d = strdup(s)) == NULL ||
	    (nv = reallocarray(*v, *n + 1, sizeof(*nv))) == NULL) {
		free(d);
		return -1;
	}
	nv[(*n)++] = d;
	*v = nv;
	return 0;
}

/* The glue in the additional section for the NS names found. */
static int
glue(const ldns_pkt *pkt, char **ns, size_t nns, char ***ghost,
    char ***gaddr, size_t *nglue)
{
	ldns_rr_list	*sec = ldns_pkt_additional(pkt);
	const ldns_rdf	*f;
	char		 owner[256], addr[64], *t;
	size_t		 i, k, n;

	for (i = 0; i < ldns_rr_list_rr_count(sec); i++) {
		ldns_rr *rr = ldns_rr_list_rr(sec, i);

		f = ldns_rr_get_type(rr) == LDNS_RR_TYPE_A ?
		    wire_field(rr, 0, LDNS_RDF_TYPE_A, 4) :
		    ldns_rr_get_type(rr) == LDNS_RR_TYPE_AAAA ?
		    wire_field(rr, 0, LDNS_RDF_TYPE_AAAA, 16) : NULL;
		if (f == NULL)
			continue;
		wire_rdf_name(ldns_rr_owner(rr), owner, sizeof(owner));
		for (k = 0; k < nns && strcmp(ns[k], owner) != 0; k++)
			;
		if (k == nns || (t = ldns_rdf2str(f)) == NULL)
			continue;
		(void)snprintf(addr, sizeof(addr), "%s", t);
		free(t);
		n = *nglue;
		if (strv_add(ghost, &n, owner) == -1 ||
		    strv_add(gaddr, nglue, addr) == -1)
			return -1;
	}
	return 0;
}

int
wire_referral(const ldns_pkt *pkt, const char *qname, const char *parent,
    char *apex, size_t size, char ***ns, size_t *nns, char ***ghost,
    char ***gaddr, size_t *nglue)
{
	ldns_rr_list	*sec = ldns_pkt_authority(pkt);
	char		 owner[256];
	size_t		 i;

	apex[0] = '\0';
	if (ldns_pkt_get_rcode(pkt) != 0 || ldns_pkt_aa(pkt))
		return 1;
	for (i = 0; i < ldns_rr_list_rr_count(sec); i++) {
		ldns_rr *rr = ldns_rr_list_rr(sec, i);

		if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_NS)
			continue;
		wire_rdf_name(ldns_rr_owner(rr), owner, sizeof(owner));
		if (cut_between(qname, owner, parent)) {
			(void)snprintf(apex, size, "%s", owner);
			break;
		}
	}
	if (apex[0] == '\0')
		return 1;
	if (wire_ns_names(pkt, apex, 1, ns, nns) == -1 ||
	    glue(pkt, *ns, *nns, ghost, gaddr, nglue) == -1)
		return -1;
	return *nns > 0 ? 0 : 1;
}

static int
cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* One record as text: its type, then every RDATA field. */
static void
rr_text(const ldns_rr *rr, char *line, size_t size)
{
	char	*t, *tn = ldns_rr_type2str(ldns_rr_get_type(rr));
	size_t	 j, len;

	len = (size_t)snprintf(line, size, "%s", tn ? tn : "?");
	free(tn);
	for (j = 0; j < ldns_rr_rd_count(rr) && len < size; j++) {
		t = ldns_rr_rdf(rr, j) != NULL ?
		    ldns_rdf2str(ldns_rr_rdf(rr, j)) : NULL;
		len += (size_t)snprintf(line + len, size - len, " %s",
		    t ? t : "?");
		free(t);
	}
}

/* Keep the RDATA of one record of the type asked, in wire form. */
static int
keep_rdata(const ldns_rr *rr, struct wire_summary *s)
{
	ldns_buffer	*b;
	uint8_t		**v, *d;
	size_t		*l, n;

	if ((b = ldns_buffer_new(256)) == NULL)
		return -1;
	if (ldns_rr_rdata2buffer_wire(b, rr) != LDNS_STATUS_OK ||
	    (d = malloc((n = ldns_buffer_position(b)) + 1)) == NULL) {
		ldns_buffer_free(b);
		return -1;
	}
	memcpy(d, ldns_buffer_begin(b), n);
	ldns_buffer_free(b);
	if ((v = reallocarray(s->rdata, s->nrdata + 1, sizeof(*v))) == NULL) {
		free(d);
		return -1;
	}
	s->rdata = v;
	if ((l = reallocarray(s->rdlen, s->nrdata + 1, sizeof(*l))) == NULL) {
		free(d);
		return -1;
	}
	s->rdlen = l;
	v[s->nrdata] = d;
	l[s->nrdata++] = n;
	return 0;
}

int
wire_summarise(const ldns_pkt *pkt, int qtype, struct wire_summary *s)
{
	ldns_rr_list	*sec;
	size_t		 i;
	char		 line[2048], **v;
	int		 rc = 0;

	memset(s, 0, sizeof(*s));
	s->serial = -1;
	s->rcode = ldns_pkt_get_rcode(pkt);
	s->aa = ldns_pkt_aa(pkt);
	sec = ldns_pkt_authority(pkt);
	for (i = 0; i < ldns_rr_list_rr_count(sec); i++)
		if (ldns_rr_get_type(ldns_rr_list_rr(sec, i)) ==
		    LDNS_RR_TYPE_SOA)
			s->soa_in_auth = 1;
	sec = ldns_pkt_answer(pkt);
	for (i = 0; i < ldns_rr_list_rr_count(sec); i++) {
		ldns_rr		*rr = ldns_rr_list_rr(sec, i);
		ldns_rr_type	 ty = ldns_rr_get_type(rr);

		if (ty == LDNS_RR_TYPE_RRSIG)
			continue;
		if (ty == LDNS_RR_TYPE_SOA) {
			const ldns_rdf *f = wire_field(rr, 2,
			    LDNS_RDF_TYPE_INT32, 4);

			if (f != NULL)
				s->serial = (long)ldns_rdf2native_int32(f);
			continue;
		}
		if ((int)ty == qtype && keep_rdata(rr, s) == -1)
			rc = -1;
		rr_text(rr, line, sizeof(line));
		if ((v = reallocarray(s->records, s->nrecords + 1,
		    sizeof(*v))) == NULL) {
			rc = -1;
			break;
		}
		s->records = v;
		if ((v[s->nrecords] = strdup(line)) == NULL) {
			rc = -1;
			break;
		}
		s->nrecords++;
	}
	if (s->nrecords > 1)
		qsort(s->records, s->nrecords, sizeof(*s->records), cmpstr);
	return rc;
}

void
wire_summary_clear(struct wire_summary *s)
{
	size_t	 i;

	wire_strv_free(s->records, s->nrecords);
	for (i = 0; i < s->nrdata; i++)
		free(s->rdata[i]);
	free(s->rdata);
	free(s->rdlen);
	memset(s, 0, sizeof(*s));
}

/*
 * A name as libunbound's own results give it (its dname_str()): the
 * labels' letters, digits, '-', '_' and '*' kept, anything else '?'.
 */
static char *
name_text(const ldns_rdf *name)
{
	const uint8_t	*d = ldns_rdf_data(name);
	size_t		 len = ldns_rdf_size(name), i = 0, lab;
	char		 buf[LDNS_MAX_DOMAINLEN + 2], *s = buf;

	if (len == 0 || d[0] == 0)
		return strdup(".");
	while (i < len && (lab = d[i++]) != 0 && i + lab <= len &&
	    s + lab + 1 < buf + sizeof(buf)) {
		for (; lab > 0; lab--, i++)
			*s++ = isalnum(d[i]) || d[i] == '-' || d[i] == '_' ||
			    d[i] == '*' ? (char)d[i] : '?';
		*s++ = '.';
	}
	*s = '\0';
	return strdup(buf);
}

/* One record of the answer section, where it lies in the message. */
struct rec {
	ldns_rdf	*owner;
	uint16_t	 type;
	uint16_t	 class;
	size_t		 rdata;		/* offset */
	size_t		 rdlen;
};

static uint16_t
u16(const uint8_t *w)
{
	return (uint16_t)(w[0] << 8 | w[1]);
}

/*
 * The question and the answer section's records, read as they lie: the
 * RDATA is not parsed by type, so a record libldns would refuse (a CAA
 * whose tag runs past its end) reaches the caller as libunbound's own
 * results give it.  0, or -1 when the message is malformed or memory
 * ran out; *out (*nout records) is the caller's to free either way.
 */
static int
records(const uint8_t *w, size_t len, ldns_rdf **qname, uint16_t *qtype,
    struct rec **out, size_t *nout)
{
	size_t		 pos = 12, i, n, nq;
	struct rec	*v;

	if (len < 12 || (nq = u16(w + 4)) < 1 ||
	    ldns_wire2dname(qname, w, len, &pos) != LDNS_STATUS_OK ||
	    pos + 4 > len)
		return -1;
	*qtype = u16(w + pos);
	pos += 4;
	for (i = 1; i < nq; i++) {
		ldns_rdf	*d = NULL;

		if (ldns_wire2dname(&d, w, len, &pos) != LDNS_STATUS_OK ||
		    (pos += 4) > len) {
			ldns_rdf_deep_free(d);
			return -1;
		}
		ldns_rdf_deep_free(d);
	}
	n = u16(w + 6);
	if ((v = calloc(n ? n : 1, sizeof(*v))) == NULL)
		return -1;
	*out = v;
	*nout = n;
	for (i = 0; i < n; i++) {
		if (ldns_wire2dname(&v[i].owner, w, len, &pos) !=
		    LDNS_STATUS_OK || pos + 10 > len)
			return -1;
		v[i].type = u16(w + pos);
		v[i].class = u16(w + pos + 2);
		v[i].rdlen = u16(w + pos + 8);
		v[i].rdata = pos + 10;
		if ((pos += 10 + v[i].rdlen) > len)
			return -1;
	}
	return 0;
}

/* Whether a record is of the answer: its type, class IN, at owner. */
static int
of_answer(const struct rec *r, uint16_t qtype, const ldns_rdf *owner)
{
	return r->type == qtype && r->class == LDNS_RR_CLASS_IN &&
	    ldns_dname_compare(r->owner, owner) == 0;
}

static void
records_free(struct rec *v, size_t n)
{
	size_t	 i;

	for (i = 0; v != NULL && i < n; i++)
		ldns_rdf_deep_free(v[i].owner);
	free(v);
}

int
wire_answer(const uint8_t *w, size_t len, struct wire_answer *a)
{
	struct rec	*v = NULL;
	ldns_rdf	*qname = NULL, *target = NULL;
	const ldns_rdf	*sname, *owner = NULL;
	size_t		 i, n = 0, k = 0, pos;
	uint16_t	 qtype = 0;
	int		 rc = 1;

	memset(a, 0, sizeof(*a));
	if (records(w, len, &qname, &qtype, &v, &n) == -1)
		goto out;
	sname = qname;
	for (i = 0; owner == NULL && i < n; i++) {
		if (v[i].class != LDNS_RR_CLASS_IN ||
		    ldns_dname_compare(v[i].owner, sname) != 0)
			continue;
		if (v[i].type == qtype)
			owner = v[i].owner;
		else if (v[i].type == LDNS_RR_TYPE_CNAME) {
			pos = v[i].rdata;
			ldns_rdf_deep_free(target);
			target = NULL;
			if (ldns_wire2dname(&target, w, len, &pos) !=
			    LDNS_STATUS_OK)
				goto out;
			sname = target;
		}
	}
	rc = -1;
	if ((owner != NULL ? ldns_dname_compare(owner, qname) != 0 :
	    sname != qname) &&
	    (a->canon = name_text(owner ? owner : sname)) == NULL)
		goto out;
	for (i = 0; owner != NULL && i < n; i++)
		k += of_answer(&v[i], qtype, owner);
	if (k > 0 && ((a->rdata = calloc(k, sizeof(*a->rdata))) == NULL ||
	    (a->rdlen = calloc(k, sizeof(*a->rdlen))) == NULL))
		goto out;
	for (i = 0; k > 0 && i < n; i++) {
		if (!of_answer(&v[i], qtype, owner))
			continue;
		if ((a->rdata[a->n] = malloc(v[i].rdlen ? v[i].rdlen :
		    1)) == NULL)
			goto out;
		memcpy(a->rdata[a->n], w + v[i].rdata, v[i].rdlen);
		a->rdlen[a->n++] = v[i].rdlen;
	}
	rc = 0;
out:
	records_free(v, n);
	ldns_rdf_deep_free(qname);
	ldns_rdf_deep_free(target);
	return rc;
}

void
wire_answer_clear(struct wire_answer *a)
{
	size_t	 i;

	for (i = 0; i < a->n; i++)
		free(a->rdata[i]);
	free(a->rdata);
	free(a->rdlen);
	free(a->canon);
	memset(a, 0, sizeof(*a));
}
