/*
 * policy: who may issue and how, and the checks every setting's value
 * gets, whether it comes from the configuration file or the command
 * line.
 */
#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "caa.h"
#include "name.h"
#include "policy.h"

static void
strv_free(char **v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static const struct {
	const char	*url;
	const char	*ca;
} directories[] = {
	{ "https://acme-v02.api.letsencrypt.org/directory", "letsencrypt" },
	{ "https://acme-staging-v02.api.letsencrypt.org/directory",
	    "letsencrypt" },
	{ "https://acme.zerossl.com/v2/DV90", "zerossl" },
	{ "https://api.buypass.com/acme/directory", "buypass" },
	{ "https://api.test4.buypass.no/acme/directory", "buypass" },
	{ "https://dv.acme-v02.api.pki.goog/directory", "google" },
	{ "https://dv.acme-v02.test-api.pki.goog/directory", "google" },
	{ "https://acme.ssl.com/sslcom-dv-rsa", "sslcom" },
	{ "https://acme.ssl.com/sslcom-dv-ecc", "sslcom" }
};

int
policy_same_directory(const char *a, const char *b)
{
	size_t	 la = strlen(a), lb = strlen(b), host;

	if (la > 0 && a[la - 1] == '/')
		la--;
	if (lb > 0 && b[lb - 1] == '/')
		lb--;
	if (la != lb || la < 8)
		return 0;
	host = 8 + strcspn(b + 8, "/");
	return strncasecmp(a, b, host) == 0 &&
	    memcmp(a + host, b + host, la - host) == 0;
}

const char *
policy_directory_ca(const char *url)
{
	size_t	 i;

	for (i = 0; i < sizeof(directories) / sizeof(directories[0]); i++)
		if (policy_same_directory(url, directories[i].url))
			return directories[i].ca;
	return NULL;
}

int
policy_directory_host_is(const char *url, const char *host)
{
	size_t	 n;

	if (strncasecmp(url, "https://", 8) != 0)
		return 0;
	url += 8;
	n = strcspn(url, "/");
	return strlen(host) == n && strncasecmp(url, host, n) == 0;
}

const char *
policy_directory_on(const char *host)
{
	size_t	 i;

	for (i = 0; i < sizeof(directories) / sizeof(directories[0]); i++)
		if (policy_directory_host_is(directories[i].url, host))
			return directories[i].url;
	return NULL;
}

const char *
policy_check_directory(const char *url)
{
	const char	*p;

	if (strncmp(url, "https://", 8) != 0)
		return "ACME directory URL must start with https://";
	if (url[8] == '\0' || url[8] == '/')
		return "ACME directory URL has no host";
	for (p = url; *p != '\0'; p++)
		if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f)
			return "ACME directory URL has a space, control or "
			    "non-ASCII character";
	return NULL;
}

void
policy_clear(struct policy *p)
{
	free(p->ca);
	strv_free(p->issuers, p->nissuers);
	free(p->account_uri);
	free(p->method);
	memset(p, 0, sizeof(*p));
}

int
policy_set_ca(struct policy *p, const char *ca)
{
	const char	*issuer;
	char		*dup;

	if ((issuer = caa_ca_issuer(ca)) == NULL)
		return -1;
	if ((dup = strdup(ca)) == NULL ||
	    policy_set_issuers(p, &issuer, 1) == -1) {
		free(dup);
		return -1;
	}
	free(p->ca);
	p->ca = dup;
	return 0;
}

int
policy_set_issuers(struct policy *p, const char *const *issuers,
    size_t n)
{
	char	**v;
	size_t	  i;

	if ((v = calloc(n, sizeof(*v))) == NULL)
		return -1;
	for (i = 0; i < n; i++)
		if ((v[i] = strdup(issuers[i])) == NULL) {
			strv_free(v, i);
			return -1;
		}
	strv_free(p->issuers, p->nissuers);
	p->issuers = v;
	p->nissuers = n;
	free(p->ca);
	p->ca = NULL;
	return 0;
}

const char *
policy_check_method(const char *m)
{
	/* Boulder core/objects.go: the challenge types it knows. */
	if (strcmp(m, "http-01") == 0 || strcmp(m, "dns-01") == 0 ||
	    strcmp(m, "tls-alpn-01") == 0 || strcmp(m, "dns-account-01") == 0 ||
	    strcmp(m, "dns-persist-01") == 0)
		return NULL;
	return "unknown validation method (expected http-01, dns-01, "
	    "tls-alpn-01, dns-account-01 or dns-persist-01)";
}

/*
 * RFC 8657 §3: the accounturi value must fit a CAA parameter value
 * (%x21-3A / %x3C-7E), so no space, no semicolon, ASCII only; and the
 * CA compares it to an https URI of the ACME server.
 */
const char *
policy_check_uri(const char *u)
{
	const char	*host;
	size_t		 i;

	if (strncmp(u, "https://", 8) == 0)
		host = u + 8;
	else if (strncmp(u, "http://", 7) == 0)
		host = u + 7;
	else
		return "account URI must start with https://";
	if (*host == '\0' || *host == '/')
		return "account URI has no host";
	for (i = 0; u[i] != '\0'; i++) {
		unsigned char c = (unsigned char)u[i];

		if (c < 0x21 || c > 0x7e || c == ';')
			return "account URI has a space, semicolon, control "
			    "or non-ASCII character, which a CAA accounturi "
			    "cannot hold";
	}
	return NULL;
}

const char *
policy_check_issuer(const char *s)
{
	static char	 why[NAME_WHYLEN + 32];
	struct name	 n;

	if (name_parse(s, &n) != NAME_DNS) {
		(void)snprintf(why, sizeof(why), "invalid issuer domain: %s",
		    n.kind == NAME_IP ? "an IP address" : n.why);
		return why;
	}
	if (n.wildcard)
		return "invalid issuer domain: no wildcard allowed";
	if (strcmp(n.ascii, s) != 0)
		return "issuer domain must be written in lower case, without "
		    "a trailing dot (the CA compares it byte for byte)";
	return NULL;
}

const char *
policy_check_forward(const char *s)
{
	char		 buf[INET6_ADDRSTRLEN + 8], *at, *end;
	unsigned char	 a[sizeof(struct in6_addr)];
	long		 port;

	if (strlen(s) >= sizeof(buf))
		return "forwarder is not an IP address";
	memcpy(buf, s, strlen(s) + 1);
	if ((at = strchr(buf, '@')) != NULL) {
		*at++ = '\0';
		errno = 0;
		port = strtol(at, &end, 10);
		if (*at == '\0' || *end != '\0' || errno || port < 1 ||
		    port > 65535)
			return "forwarder port must be 1-65535 (addr@port)";
	}
	if (inet_pton(AF_INET, buf, a) != 1 && inet_pton(AF_INET6, buf, a) != 1)
		return "forwarder is not an IP address (addr or addr@port)";
	return NULL;
}
