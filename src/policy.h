/*
 * policy: who may issue and how (the CA's issuer domains, the ACME
 * account, the validation method), and the checks every setting's value
 * gets, whether it comes from the configuration file or the command
 * line.  No I/O.
 */
#ifndef POLICY_H
#define POLICY_H

#include <stddef.h>

/*
 * Who may issue and how: global, or overridden per certificate.  A NULL
 * pointer (or nissuers 0) in a certificate means "inherit the global".
 */
struct policy {
	char	 *ca;		/* known CA short name, or NULL */
	char	**issuers;	/* issuer domain names (from ca: or issuer:) */
	size_t	  nissuers;
	char	 *account_uri;	/* RFC 8657 account URI, or NULL */
	char	 *method;	/* http-01, dns-01, tls-alpn-01 */
};

/* Set a policy's CA by short name (fills issuers); -1: unknown or ENOMEM. */
int		 policy_set_ca(struct policy *, const char *);
/* Replace a policy's issuers with explicit issuers; -1 on ENOMEM. */
int		 policy_set_issuers(struct policy *, const char *const *,
		    size_t);
/*
 * SPEC 3 (rev. 2): the CA short name of a built-in ACME directory URL
 * (a trailing slash and the letter case of scheme and host aside), or
 * NULL for a directory that is not built in.
 */
const char	*policy_directory_ca(const char *);
/*
 * The built-in directory URL on host ("host" or "host:port", any letter
 * case), or NULL: for clients that record the CA's host alone.
 */
const char	*policy_directory_on(const char *);
/* Whether directory URL url is on host. */
int		 policy_directory_host_is(const char *, const char *);
/* Whether two directory URLs are the same one, in that sense. */
int		 policy_same_directory(const char *, const char *);
/* Free what a policy holds and empty it (not the struct itself). */
void		 policy_clear(struct policy *);

/*
 * Validators shared by the file and the command line.  Each returns
 * NULL when the value is good, else a message saying why (static; the
 * issuer's is overwritten by the next call).
 */
const char	*policy_check_method(const char *);
const char	*policy_check_uri(const char *);
const char	*policy_check_issuer(const char *);
const char	*policy_check_forward(const char *);
const char	*policy_check_directory(const char *);

#endif /* POLICY_H */
