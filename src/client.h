/*
 * client: what an ACME client tells about the certificate it orders
 * (SPEC 2 rev. 2): its names, ACME directory (and so its CA), method,
 * account and label, from the wrapped command's arguments or a hook's
 * environment.  Each becomes a certificate of the configuration, whose
 * settings win over the file's defaults.
 */
#ifndef CLIENT_H
#define CLIENT_H

#include <stddef.h>

struct conf;
struct conf_cert;

/* The default ACME directories of the clients. */
#define CLIENT_LE	"https://acme-v02.api.letsencrypt.org/directory"
#define CLIENT_LE_STAGING \
	"https://acme-staging-v02.api.letsencrypt.org/directory"
#define CLIENT_ZEROSSL	"https://acme.zerossl.com/v2/DV90"

/*
 * A new certificate at the end of c->certs, zeroed, or NULL when memory
 * ran out.  Pointers to the certificates before it may move.
 */
struct conf_cert *client_add_cert(struct conf *);

/*
 * Set a certificate's CA from its client's ACME directory URL: the
 * configuration's directories first, then the built-in ones.  0 when
 * known; 1 when not (the certificate's problem then says how to add
 * it); -1 when memory ran out.
 */
int		 client_set_directory(const struct conf *, struct conf_cert *,
		    const char *);

/* Set a certificate's method (a static or borrowed string is copied). */
int		 client_set_method(struct conf_cert *, const char *);

/* Add every element of a comma-separated list to a certificate's names. */
int		 client_add_names(struct conf_cert *, const char *);

/*
 * SPEC 2.2: the wrapped command's names (-d, --domain(s), =VALUE and
 * attached forms) and, for certbot, lego and acme.sh, its CA, method and
 * label, as one new certificate.  Returns 1 when it gave names, 0 when
 * not (no certificate is added), -1 when memory ran out.
 */
int		 client_from_command(struct conf *, char *const *);

/*
 * SPEC 2.3: an ACME client's hook environment: acme.sh's Le_Domain and
 * Le_Alt (with ./<Le_Domain>.conf, where acme.sh runs its hook), else
 * lego v5's LEGO_HOOK_CERT_DOMAINS and LEGO_HOOK_ACCOUNT_SERVER.  Returns
 * as client_from_command().
 */
int		 client_from_env(struct conf *);

/*
 * The method a client's setting means: "dns_cf", "dns" -> dns-01,
 * "alpn" -> tls-alpn-01 (acme.sh's Le_Webroot), anything else http-01.
 */
const char	*client_acmesh_method(const char *);

/*
 * certbot's method from its authenticator ("manual", "webroot",
 * "dns-cloudflare"; NULL or "" when not known) and its preferred
 * challenges ("dns-01,http-01"); NULL when neither tells.  A DNS plugin
 * means dns-01; manual, the first preferred challenge.
 */
const char	*client_certbot_method(const char *, const char *);

#endif /* CLIENT_H */
