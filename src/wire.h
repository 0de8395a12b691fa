/*
 * wire: reading DNS messages safely.  Every record of a hostile answer
 * may lack RDATA fields or carry names of any shape; libldns asserts on
 * a missing field, so nothing outside this module reaches into a record
 * directly.  Pure: no I/O, no resolver.
 */
#ifndef WIRE_H
#define WIRE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <ldns/ldns.h>

/* A name as the project writes it: lower case, no trailing dot. */
void		 wire_norm(const char *, char *, size_t);
/* The text of a name field ("" for NULL), normalised as wire_norm(). */
void		 wire_rdf_name(const ldns_rdf *, char *, size_t);
/*
 * Field i of a record when it is there and of the type (and, unless
 * size is 0, the size) expected; NULL otherwise.
 */
const ldns_rdf	*wire_field(const ldns_rr *, size_t, ldns_rdf_type, size_t);
/* The type an RRSIG covers, or 0 when it is malformed. */
ldns_rr_type	 wire_covered(const ldns_rr *);
/* A message from wire bytes, or NULL; freed with ldns_pkt_free(). */
ldns_pkt	*wire_parse(const uint8_t *, size_t);
/*
 * SPEC 5.7: the earliest expiry of the RRSIGs in a message's answer and
 * authority sections (the records or the denial the answer rests on),
 * read as RFC 4034 3.1.5 says, near now; and the zone that signed it.
 * 1 when there is one, else 0 (none, or not a message).
 */
int		 wire_rrsig_expiry(const uint8_t *, size_t, time_t, time_t *,
		    char *, size_t);
/* The same from a parsed message; only RRSIGs over covered, unless 0. */
int		 wire_rrsig_min(const ldns_pkt *, time_t, int, time_t *,
		    char *, size_t);
/*
 * Whether pkt answers the one question (id, qname, qtype): a response
 * with that ID and exactly that question.
 */
int		 wire_is_answer(const ldns_pkt *, uint16_t, const ldns_rdf *,
		    int);

/*
 * A query as the nameserver check sends it: the ID, no flags (RD
 * clear), one question of class IN, and an OPT record (RFC 6891) with a
 * 4096-byte buffer, the DO bit and an empty NSID option (RFC 5001).
 * The bytes are the caller's to free; NULL when memory ran out or qname
 * is not a name.
 */
uint8_t		*wire_query(const ldns_rdf *qname, int qtype, uint16_t id,
		    size_t *len);

/*
 * RFC 5001: the server's NSID, when the answer carries one, as text
 * (printable ASCII as is, else hex) in out.  1 when there is one.
 */
int		 wire_nsid(const ldns_pkt *, char *, size_t);
/*
 * 0x20: whether the answer's question repeats the name asked, sent
 * (text, with its letter case), byte for byte.
 */
int		 wire_same_case(const ldns_pkt *, const char *sent);

/* What a SOA lookup's answer says of the zone holding its name. */
enum wire_zone {
	WIRE_ZONE_FAIL,		/* nothing usable */
	WIRE_ZONE_ALIAS,	/* an alias: the zone is a parent's */
	WIRE_ZONE_FOUND		/* apex filled in */
};

/* RFC 2308 §3: the zone holding qname, from its SOA lookup's answer. */
enum wire_zone	 wire_zone_from_soa(const ldns_pkt *, const char *, char *,
		    size_t);
/*
 * The zone holding qname as an answer of type qtype shows it: the SOA
 * of a negative answer, the signer of a signed positive one.  apex is
 * left empty when the answer does not say.
 */
void		 wire_zone_in_pkt(const ldns_pkt *, const char *, int, char *,
		    size_t);

/*
 * Add a copy of a string to a set held as a vector (nothing when it is
 * there already).  0, or -1 when memory ran out.  The vector and its
 * strings are the caller's, freed with wire_strv_free().
 */
int		 wire_strv_push(char ***, size_t *, const char *);
void		 wire_strv_free(char **, size_t);
/*
 * The NS names for owner in the answer section (and, with referral
 * set, first in the authority section, as a parent's referral has
 * them), added to the set *v.  0, or -1 when memory ran out.
 */
int		 wire_ns_names(const ldns_pkt *, const char *, int referral,
		    char ***, size_t *);

/*
 * A parent's referral for qname: the child zone's apex (the owner of
 * the NS set in the authority section, below parent, at or above qname),
 * its NS names, and the glue for them (addresses as text, each with its
 * host).  0 when pkt is one, 1 when it is not, -1 when memory ran out.
 * The vectors are the caller's, freed with wire_strv_free().
 */
int		 wire_referral(const ldns_pkt *, const char *qname,
		    const char *parent, char *apex, size_t, char ***ns,
		    size_t *nns, char ***ghost, char ***gaddr, size_t *nglue);

/*
 * What the nameserver check keeps of a direct answer.  records are the
 * answer's records but RRSIGs and SOAs, as sorted text (servers are
 * compared on them); serial is the SOA's, or -1.  The strings are the
 * summary's, freed with wire_summary_clear().
 */
struct wire_summary {
	int	  rcode;
	int	  aa;
	int	  soa_in_auth;	/* the authority section has the SOA */
	long	  serial;
	char	**records;
	size_t	  nrecords;
	uint8_t	**rdata;	/* the RDATA of the records of the type */
	size_t	 *rdlen;	/* asked, in wire form */
	size_t	  nrdata;
};

/*
 * Summarise an answer to a question of type qtype.  0, or -1 when
 * memory ran out (the summary then holds what fitted).
 */
int		 wire_summarise(const ldns_pkt *, int qtype,
		    struct wire_summary *);
void		 wire_summary_clear(struct wire_summary *);

/*
 * What libunbound's own results (ub_result, its fill_res()) hold for a
 * message it encoded: the RDATA of the question's type at the end of
 * the question's CNAME chain in the answer section, as it lies (not
 * parsed by type), and that name, as libunbound writes it, when it is
 * not the question's.  0; 1 when the message does not parse
 * (libunbound's results then say SERVFAIL); -1 when memory ran out.
 * Either way a is the caller's to clear.
 */
struct wire_answer {
	char		 *canon;	/* or NULL */
	uint8_t		**rdata;
	size_t		 *rdlen;
	size_t		  n;
};
int		 wire_answer(const uint8_t *, size_t, struct wire_answer *);
void		 wire_answer_clear(struct wire_answer *);

#endif /* WIRE_H */
