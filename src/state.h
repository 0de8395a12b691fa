/*
 * state: what an ACME client keeps about the certificates it manages
 * (SPEC 8), read and never written: certbot's renewal configurations,
 * certificates and accounts, acme.sh's certificate folders, lego's
 * certificates and accounts.  Each
 * certificate becomes a certificate of the configuration with its
 * names, CA, method, account and whether it is due; one whose files
 * cannot be read or parsed gets a problem naming the file, and nothing
 * else is affected.
 */
#ifndef STATE_H
#define STATE_H

#include <stddef.h>
#include <time.h>

struct conf;
struct conf_cert;

/*
 * Add every certificate certbot keeps under dir (its --config-dir), or
 * only the one labelled only (when not NULL), as of now.  Returns how
 * many were added; -1 when memory ran out; -2 when dir holds no
 * certbot state at all, with the reason in why.
 */
int	 state_certbot(struct conf *, const char *dir, const char *only,
	    time_t now, char *why, size_t);

/* The same for acme.sh's home (LE_WORKING_DIR). */
int	 state_acmesh(struct conf *, const char *home, const char *only,
	    time_t now, char *why, size_t);

/*
 * The same for lego's --path (4.x: certificates/<name>.crt and .json,
 * accounts/<host>/<email>/account.json).  lego keeps the CA's host, not
 * its directory: a built-in directory on that host, else one of the
 * configuration's directories on it.
 */
int	 state_lego(struct conf *, const char *dir, const char *only,
	    time_t now, char *why, size_t);

/*
 * certbot's wrapper: the account certbot will use for server, when its
 * --config-dir dir holds exactly one (as certbot then picks it).  0 (no
 * account, or several: none is assumed), or -1 when memory ran out.
 */
int	 state_certbot_only_account(struct conf_cert *, const char *dir,
	    const char *server);

/*
 * acme.sh's pre-hook: the certificate folder acme.sh runs it in (the
 * working directory) gives ./<domain>.conf's CA and method and its
 * account.  0 (a missing file leaves the configuration's settings), or
 * -1 when memory ran out.
 */
int	 state_acmesh_here(const struct conf *, struct conf_cert *,
	    const char *domain);

/*
 * The subject alternative names (DNS and IP) of the PEM certificate in
 * text, and its expiry.  0, or -1 with the reason in why (why[0] ==
 * '\0': memory).
 */
int	 state_cert_names(const char *text, size_t len, struct conf_cert *,
	    time_t *not_after, char *why, size_t);

#endif /* STATE_H */
