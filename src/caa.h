/*
 * caa: CAA RDATA parsing and the issuance decision (RFC 8659, RFC 8657),
 * made exactly as Let's Encrypt's Boulder makes it.
 *
 * Pure code: no I/O, no resolver, no allocation beyond what the caller
 * frees with the matching _free function.
 */
#ifndef CAA_H
#define CAA_H

#include <stddef.h>
#include <stdint.h>

/* Property tags the CA knows; everything else is CAA_TAG_UNKNOWN. */
enum caa_tag {
	CAA_TAG_ISSUE,
	CAA_TAG_ISSUEWILD,
	CAA_TAG_IODEF,
	CAA_TAG_ISSUEMAIL,
	CAA_TAG_ISSUEVMC,
	CAA_TAG_UNKNOWN
};

/*
 * One CAA resource record.  tag and value are copies of the wire bytes
 * with a NUL appended for convenience; taglen and valuelen are the
 * authoritative lengths (either may contain NUL bytes).
 * Filled by caa_record_parse(), released by caa_record_clear().
 */
struct caa_record {
	uint8_t		 flags;		/* the flags octet */
	enum caa_tag	 kind;		/* tag classified case-insensitively */
	char		*tag;		/* tag bytes */
	size_t		 taglen;	/* length of tag */
	char		*value;		/* value bytes */
	size_t		 valuelen;	/* length of value */
};

/*
 * Parse CAA RDATA from wire bytes.  Returns 0 on success, -1 when the
 * RDATA cannot be parsed (shorter than two octets, or a tag length that
 * runs past the record); then *why points to a static explanation.
 */
int		 caa_record_parse(const uint8_t *, size_t, struct caa_record *,
		    const char **why);
/* Fill a record from parts (tests, configuration). 0 or -1 on ENOMEM. */
int		 caa_record_set(struct caa_record *, uint8_t, const char *,
		    const char *);
/* Free the copies held by a record; the struct itself is the caller's. */
void		 caa_record_clear(struct caa_record *);
/* Classify a tag (case-insensitive ASCII). */
enum caa_tag	 caa_tag_kind(const char *, size_t);
/* Name of a known tag kind ("issue", ...). */
const char	*caa_tag_name(enum caa_tag);

/* One tag=value parameter of an issue/issuewild value: spans into it. */
struct caa_param {
	const char	*tag;		/* trimmed tag, not NUL-terminated */
	size_t		 taglen;
	const char	*val;		/* trimmed value, not NUL-terminated */
	size_t		 vallen;
};

/*
 * An issue/issuewild value parsed by Boulder's grammar (SPEC 4.6).
 * issuer and params point into the value passed to caa_value_parse();
 * params is allocated and freed by caa_value_free().
 */
struct caa_value {
	int			 valid;		/* grammar satisfied */
	const char		*issuer;	/* trimmed issuer domain */
	size_t			 issuerlen;
	struct caa_param	*params;	/* parameters in order */
	size_t			 nparams;
	char			 why[160];	/* when !valid: what is wrong */
};

/* Parse a value.  Returns 0, or -1 on ENOMEM only. */
int		 caa_value_parse(const char *, size_t, struct caa_value *);
void		 caa_value_free(struct caa_value *);

/* Validation methods the CA knows (RFC 8657 §4 and later ones). */
int		 caa_method_known(const char *, size_t);

/* The CA's identity and the order's parameters. */
struct caa_policy {
	const char *const	*issuers;	/* issuer domain names */
	size_t			 nissuers;
	const char		*account_uri;	/* NULL: not configured */
	const char		*method;	/* "http-01", "dns-01", ... */
};

/* What the lookup of one level gave. */
enum caa_level_state {
	CAA_LEVEL_ANSWER,	/* NOERROR, with or without CAA records */
	CAA_LEVEL_NXDOMAIN,	/* the name does not exist */
	CAA_LEVEL_FAILED	/* SERVFAIL, timeout, bogus, malformed ... */
};

/* One level of the climb, from the name (index 0) up to the TLD. */
struct caa_level {
	const char			*name;	/* level domain, no dot */
	enum caa_level_state		 state;
	const struct caa_record		*records;
	size_t				 nrecords;
	const char			*failure; /* FAILED: the CA's words */
	const char			*fix;	/* FAILED: remedy, or NULL */
	const char			*owner;	/* reached through an alias
						   (CNAME, DNAME): its final
						   target, where the records
						   live; else NULL */
};

enum caa_verdict {
	CAA_ALLOWED,
	CAA_REFUSED,
	CAA_FAILED
};

#define CAA_MAXWARN	4
#define CAA_TEXTLEN	1024

/* The decision for one name, with its reason and remedy. */
struct caa_decision {
	enum caa_verdict verdict;
	int		 level;		/* deciding level index, -1: none */
	enum caa_tag	 considered;	/* ISSUE or ISSUEWILD: records used */
	char		 reason[CAA_TEXTLEN];	/* empty when allowed */
	char		 fix[CAA_TEXTLEN];	/* zone-file remedy or "" */
	char		 warn[CAA_MAXWARN][CAA_TEXTLEN]; /* portability notes */
	size_t		 nwarn;
};

/*
 * RFC 8659 §3 and Boulder: decide for a name given its levels, ordered
 * from the name itself (index 0) up to and including the TLD.  For a
 * wildcard name "*.B" the levels are those of B and wildcard is set.
 * When the deciding level was reached through an alias, the fix names
 * the alias target (an alias cannot hold records) and says so.
 */
void		 caa_decide(const struct caa_level *, size_t, int wildcard,
		    const struct caa_policy *, struct caa_decision *);

/* Known CAs: the issuer domain for a CA's short name, or NULL. */
const char	*caa_ca_issuer(const char *);
/* The list of known CA short names, NULL-terminated. */
const char *const *caa_ca_names(void);

/* A span trimmed of spaces and tabs at both ends (RFC 8659 WSP). */
void		 caa_trim(const char **, size_t *);

/*
 * Write bytes for a human: printable ASCII as is, everything else as
 * \DDD (zone-file escapes), '"' and '\\' escaped.  Always NUL-terminates
 * when the buffer is non-empty; returns the length that was needed.
 */
size_t		 caa_escape(char *, size_t, const char *, size_t);

#endif /* CAA_H */
