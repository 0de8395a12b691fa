/*
 * client: the settings an ACME client gives a hook or a wrapper.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "client.h"
#include "conf.h"
#include "policy.h"
#include "state.h"

struct conf_cert *
client_add_cert(struct conf *c)
{
	struct conf_cert	*v;

	v = reallocarray(c->certs, c->ncerts + 1, sizeof(*v));
	if (v == NULL)
		return NULL;
	c->certs = v;
	memset(&v[c->ncerts], 0, sizeof(*v));
	return &v[c->ncerts++];
}

int
client_set_directory(const struct conf *c, struct conf_cert *cert,
    const char *url)
{
	const char	*ca, *issuer;
	size_t		 i;
	char		*dup;

	if ((dup = strdup(url)) == NULL)
		return -1;
	free(cert->directory);
	cert->directory = dup;
	for (i = 0; i < c->ndirectories; i++)
		if (policy_same_directory(url, c->directories[i].url)) {
			issuer = c->directories[i].issuer;
			return policy_set_issuers(&cert->pol, &issuer, 1);
		}
	if ((ca = policy_directory_ca(url)) != NULL)
		return policy_set_ca(&cert->pol, ca);
	free(cert->problem);
	if (asprintf(&cert->problem, "its ACME directory %s is not a known "
	    "CA; add it to the configuration as directories: {\"%s\": "
	    "<the CA's CAA issuer domain>}", url, url) == -1) {
		cert->problem = NULL;
		return -1;
	}
	return 1;
}

int
client_set_method(struct conf_cert *cert, const char *m)
{
	char	*dup;

	if ((dup = strdup(m)) == NULL)
		return -1;
	free(cert->pol.method);
	cert->pol.method = dup;
	return 0;
}

int
client_add_names(struct conf_cert *cert, const char *list)
{
	const char	*p, *e;
	char		**v, *d;
	size_t		 n;

	for (p = list; *p != '\0'; p = *e ? e + 1 : e) {
		p += strspn(p, " \t");
		e = p + strcspn(p, ",");
		n = (size_t)(e - p);
		while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		if (n == 0)
			continue;
		if ((d = strndup(p, n)) == NULL ||
		    (v = reallocarray(cert->domains, cert->ndomains + 1,
		    sizeof(*v))) == NULL) {
			free(d);
			return -1;
		}
		cert->domains = v;
		v[cert->ndomains++] = d;
	}
	return 0;
}

const char *
client_acmesh_method(const char *webroot)
{
	if (strncmp(webroot, "dns", 3) == 0 &&
	    (webroot[3] == '\0' || webroot[3] == '_'))
		return "dns-01";
	if (strcmp(webroot, "alpn") == 0)
		return "tls-alpn-01";
	return "http-01";
}

/* certbot's --preferred-challenges: its first known one. */
static const char *
preferred(const char *list)
{
	list += strspn(list, " ,");
	if (strncmp(list, "dns", 3) == 0)
		return "dns-01";
	if (strncmp(list, "tls-alpn", 8) == 0)
		return "tls-alpn-01";
	if (strncmp(list, "http", 4) == 0)
		return "http-01";
	return NULL;
}

enum client_kind { CLIENT_OTHER, CLIENT_CERTBOT, CLIENT_LEGO, CLIENT_ACMESH };

/* What a wrapped command said, before it becomes a certificate. */
struct said {
	enum client_kind	 kind;
	const char		*server;	/* --server */
	int			 staging;	/* --staging, --test(-cert) */
	const char		*authenticator;	/* certbot -a, --manual, ... */
	const char		*preferred;	/* --preferred-challenges */
	const char		*method;	/* lego's, acme.sh's */
	const char		*label;		/* --cert-name */
	const char		*config_dir;	/* certbot's --config-dir */
};

/*
 * Option a (at cmd[*i]) named name, as "--name VALUE" or "--name=VALUE":
 * its value, or NULL.
 */
static const char *
value_of(char *const *cmd, size_t *i, const char *name)
{
	size_t	 n = strlen(name);

	if (strncmp(cmd[*i], name, n) != 0)
		return NULL;
	if (cmd[*i][n] == '=')
		return cmd[*i] + n + 1;
	if (cmd[*i][n] != '\0' || cmd[*i + 1] == NULL)
		return NULL;
	return cmd[++*i];
}

/* One argument's setting, as the client at hand reads it. */
static void
setting(struct said *s, char *const *cmd, size_t *i)
{
	const char	*a = cmd[*i], *v;

	if ((v = value_of(cmd, i, "--server")) != NULL ||
	    (s->kind == CLIENT_LEGO && (v = value_of(cmd, i, "-s")) != NULL))
		s->server = v;
	else if (strcmp(a, "--staging") == 0 || strcmp(a, "--test-cert") == 0 ||
	    (s->kind == CLIENT_ACMESH && strcmp(a, "--test") == 0))
		s->staging = 1;
	else if (s->kind == CLIENT_CERTBOT) {
		if ((v = value_of(cmd, i, "--preferred-challenges")) != NULL)
			s->preferred = v;
		else if ((v = value_of(cmd, i, "--cert-name")) != NULL)
			s->label = v;
		else if ((v = value_of(cmd, i, "--config-dir")) != NULL)
			s->config_dir = v;
		else if ((v = value_of(cmd, i, "--authenticator")) != NULL ||
		    (v = value_of(cmd, i, "-a")) != NULL)
			s->authenticator = v;
		else if (strncmp(a, "--dns-", 6) == 0)
			s->authenticator = "dns";
		else if (strcmp(a, "--manual") == 0 ||
		    strcmp(a, "--webroot") == 0 || strcmp(a, "-w") == 0 ||
		    strcmp(a, "--standalone") == 0 ||
		    strcmp(a, "--nginx") == 0 || strcmp(a, "--apache") == 0)
			s->authenticator = a + (a[1] == '-' ? 2 : 1);
	} else if (s->kind == CLIENT_LEGO) {
		if (strcmp(a, "--dns") == 0 || strncmp(a, "--dns=", 6) == 0)
			s->method = "dns-01";
		else if (strcmp(a, "--http") == 0)
			s->method = "http-01";
		else if (strcmp(a, "--tls") == 0)
			s->method = "tls-alpn-01";
	} else if (s->kind == CLIENT_ACMESH) {
		if (strcmp(a, "--dns") == 0 || strncmp(a, "--dns=", 6) == 0)
			s->method = "dns-01";
		else if (strcmp(a, "--alpn") == 0)
			s->method = "tls-alpn-01";
		else if (strcmp(a, "-w") == 0 || strcmp(a, "--webroot") == 0 ||
		    strcmp(a, "--standalone") == 0 ||
		    strcmp(a, "--nginx") == 0 || strcmp(a, "--apache") == 0)
			s->method = "http-01";
	}
}

const char *
client_certbot_method(const char *a, const char *pref)
{
	if (a != NULL && *a == '\0')
		a = NULL;
	if (a != NULL && (strncmp(a, "dns", 3) == 0))
		return "dns-01";
	if (a != NULL && strcmp(a, "manual") != 0)
		return "http-01";
	if (pref != NULL && preferred(pref) != NULL)
		return preferred(pref);
	return a != NULL ? "http-01" : NULL;
}

/* acme.sh's --server: a URL, or one of its short names. */
static const char *
acmesh_server(const char *v)
{
	static const struct {
		const char	*name;
		const char	*url;
	} names[] = {
		{ "letsencrypt", CLIENT_LE },
		{ "letsencrypt_test", CLIENT_LE_STAGING },
		{ "zerossl", CLIENT_ZEROSSL },
		{ "google", "https://dv.acme-v02.api.pki.goog/directory" },
		{ "googletest", "https://dv.acme-v02.test-api.pki.goog/"
		    "directory" },
		{ "sslcom", "https://acme.ssl.com/sslcom-dv-rsa" },
		{ "buypass", "https://api.buypass.com/acme/directory" }
	};
	size_t	 i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcasecmp(v, names[i].name) == 0)
			return names[i].url;
	return v;
}

/* What the wrapped command said into a new certificate. */
static int
said_cert(struct conf *c, struct conf_cert *cert, const struct said *s)
{
	const char	*dir, *m;

	static const char *const names[] = {
		[CLIENT_CERTBOT] = "certbot", [CLIENT_LEGO] = "lego",
		[CLIENT_ACMESH] = "acme.sh"
	};

	cert->client = names[s->kind];
	if (s->label != NULL && (cert->label = strdup(s->label)) == NULL)
		return -1;
	if (s->server != NULL)
		dir = s->kind == CLIENT_ACMESH ? acmesh_server(s->server) :
		    s->server;
	else if (s->staging)
		dir = CLIENT_LE_STAGING;
	else
		dir = s->kind == CLIENT_ACMESH ? CLIENT_ZEROSSL : CLIENT_LE;
	if (client_set_directory(c, cert, dir) == -1)
		return -1;
	m = s->kind == CLIENT_CERTBOT ? client_certbot_method(s->authenticator,
	    s->preferred) : s->method;
	if (m != NULL && client_set_method(cert, m) == -1)
		return -1;
	/* The account certbot will use, when it has only one for the CA. */
	if (s->kind == CLIENT_CERTBOT)
		return state_certbot_only_account(cert, s->config_dir ?
		    s->config_dir : "/etc/letsencrypt", dir);
	return 0;
}

/* The last part of a path: "/usr/bin/certbot" -> "certbot". */
static const char *
base_of(const char *path)
{
	const char	*b = strrchr(path, '/');

	return b != NULL ? b + 1 : path;
}

int
client_from_command(struct conf *c, char *const *cmd)
{
	struct conf_cert	*cert;
	struct said		 s;
	const char		*b = base_of(cmd[0]), *v, *a;
	size_t			 i;

	memset(&s, 0, sizeof(s));
	if (strcmp(b, "certbot") == 0 || strcmp(b, "certbot-auto") == 0)
		s.kind = CLIENT_CERTBOT;
	else if (strcmp(b, "lego") == 0)
		s.kind = CLIENT_LEGO;
	else if (strcmp(b, "acme.sh") == 0)
		s.kind = CLIENT_ACMESH;
	if ((cert = client_add_cert(c)) == NULL)
		return -1;
	for (i = 1; cmd[i] != NULL; i++) {
		a = cmd[i];
		if (strcmp(a, "--") == 0)
			break;
		if ((v = value_of(cmd, &i, "-d")) != NULL ||
		    (v = value_of(cmd, &i, "--domain")) != NULL ||
		    (v = value_of(cmd, &i, "--domains")) != NULL ||
		    (strncmp(a, "-d", 2) == 0 && a[2] != '\0' && a[1] != '-' &&
		    (v = a + 2)))
		{
			if (client_add_names(cert, v) == -1)
				return -1;
		} else if (s.kind != CLIENT_OTHER)
			setting(&s, cmd, &i);
	}
	if (cert->ndomains == 0) {
		c->ncerts--;
		return 0;
	}
	if (s.kind == CLIENT_OTHER)
		return 1;
	return said_cert(c, cert, &s) == -1 ? -1 : 1;
}

int
client_from_env(struct conf *c)
{
	struct conf_cert	*cert;
	const char		*main_name, *alt, *lego, *server, *label;

	main_name = getenv("Le_Domain");
	lego = getenv("LEGO_HOOK_CERT_DOMAINS");
	if ((main_name == NULL || *main_name == '\0') &&
	    (lego == NULL || *lego == '\0'))
		return 0;
	if ((cert = client_add_cert(c)) == NULL)
		return -1;
	if (main_name != NULL && *main_name != '\0') {
		cert->client = "acme.sh";
		if (client_add_names(cert, main_name) == -1)
			return -1;
		/* acme.sh writes "no" for "no alternative names". */
		alt = getenv("Le_Alt");
		if (alt != NULL && strcmp(alt, "no") != 0 &&
		    client_add_names(cert, alt) == -1)
			return -1;
		/* acme.sh runs the hook in the certificate's folder. */
		return state_acmesh_here(c, cert, main_name) == -1 ? -1 : 1;
	}
	cert->client = "lego";
	if (client_add_names(cert, lego) == -1)
		return -1;
	label = getenv("LEGO_HOOK_CERT_NAME");
	if (label != NULL && *label != '\0' &&
	    (cert->label = strdup(label)) == NULL)
		return -1;
	server = getenv("LEGO_HOOK_ACCOUNT_SERVER");
	if (server != NULL && *server != '\0' &&
	    client_set_directory(c, cert, server) == -1)
		return -1;
	return 1;
}
