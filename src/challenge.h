/*
 * challenge: the DNS-based challenges as the CA looks them up (SPEC
 * 4.2, 5.4): the name each one's TXT record lives at (dns-01,
 * dns-account-01, dns-persist-01), and the whole dns-persist-01
 * authorization, a standing record parsed and decided exactly as
 * Boulder does (va/dns_persist.go).  Pure: no I/O.
 */
#ifndef CHALLENGE_H
#define CHALLENGE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

enum challenge_kind {
	CHALLENGE_NONE,		/* http-01, tls-alpn-01: no DNS record */
	CHALLENGE_DNS01,	/* _acme-challenge.<name> */
	CHALLENGE_ACCOUNT,	/* _<label>._acme-challenge.<name> */
	CHALLENGE_PERSIST	/* _validation-persist.<name> */
};

enum challenge_kind challenge_kind(const char *);

/*
 * draft-ietf-acme-dns-account-label (Boulder va/dns.go): the label of an
 * account, the first 10 octets of the SHA-256 of its URI in lower-case
 * base32, 16 characters.  out must hold 17.
 */
void		 challenge_account_label(const char *, char *);

/*
 * The name whose TXT record the challenge of kind reads for base (no
 * "*.").  -1 when it cannot be known: dns-account-01 without an account
 * URI (account NULL), or a name too long.
 */
int		 challenge_name(enum challenge_kind, const char *base,
		    const char *account, char *, size_t);

/* One dns-persist-01 record's parameters, as Boulder keeps them. */
struct challenge_persist {
	char	*accounturi;
	char	*policy;	/* "" when absent */
	int	 has_until;
	int64_t	 until;		/* persistUntil, seconds since 1970 */
};

/*
 * Parse one TXT record (its strings joined) as Boulder's
 * parseDNSPersistRecord: issuer gets the normalised issuer domain name
 * ("" when even that failed).  0, or -1 with Boulder's reason in why.
 * The parameters are the caller's, freed by challenge_persist_clear().
 */
int		 challenge_persist_parse(const char *, size_t,
		    struct challenge_persist *, char *issuer, size_t,
		    char *why, size_t);
void		 challenge_persist_clear(struct challenge_persist *);
/*
 * Boulder's checkDNSPersistRecord at time now: 0 when the record
 * authorizes this account (NULL: not known, any accounturi passes) and
 * name, else -1 with the reason.
 */
int		 challenge_persist_check(const struct challenge_persist *,
		    const char *account, int wildcard, time_t now, char *why,
		    size_t);

/*
 * The dns-persist-01 decision over a lookup's TXT records (RDATA in
 * wire form), for the CA's issuer domains: 0 when one authorizes, else
 * -1 with Boulder's words in reason.
 */
int		 challenge_persist_decide(uint8_t *const *, const size_t *,
		    size_t, const char *const *issuers, size_t nissuers,
		    const char *account, int wildcard, time_t now,
		    char *reason, size_t);

#endif /* CHALLENGE_H */
