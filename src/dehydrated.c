/*
 * dehydrated: its configuration is a shell script; only plain
 * assignments (KEY=value, KEY="value", KEY='value', with ${VAR} and
 * $VAR of the variables read before) are understood, which is how its
 * example configuration and Debian's are written.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "client.h"
#include "conf.h"
#include "dehydrated.h"
#include "file.h"
#include "state.h"
#include "state_priv.h"

/* The variables read, and their defaults (dehydrated 0.7's). */
enum dh_var {
	DH_BASEDIR, DH_CA, DH_CERTDIR, DH_DOMAINS_TXT, DH_DOMAINS_D,
	DH_ACCOUNTDIR, DH_CHALLENGETYPE, DH_RENEW_DAYS, DH_CONFIG_D, DH_NVARS
};

static const char *const dh_names[DH_NVARS] = {
	"BASEDIR", "CA", "CERTDIR", "DOMAINS_TXT", "DOMAINS_D", "ACCOUNTDIR",
	"CHALLENGETYPE", "RENEW_DAYS", "CONFIG_D"
};

struct dh {
	char	 v[DH_NVARS][PATH_MAX];
	char	 why[PATH_MAX + 128];	/* what could not be read */
};

/* ${NAME} or $NAME in a double-quoted or bare value. */
static int
expand(const struct dh *d, const char **pp, char *out, size_t *o, size_t size)
{
	const char	*p = *pp + 1, *val;
	char		 name[64];
	size_t		 n = 0, i;
	int		 brace = *p == '{';

	p += brace;
	while ((isalnum((unsigned char)p[n]) || p[n] == '_') && n < 63)
		n++;
	if (n == 0 || (brace && p[n] != '}'))
		return -1;
	(void)snprintf(name, sizeof(name), "%.*s", (int)n, p);
	val = getenv(name);
	for (i = 0; i < DH_NVARS; i++)
		if (strcmp(dh_names[i], name) == 0)
			val = d->v[i];
	for (; val != NULL && *val != '\0' && *o + 1 < size; val++)
		out[(*o)++] = *val;
	*pp = p + n + brace;
	return 0;
}

/*
 * The value after "KEY=": copied to out with its quotes removed and its
 * variables expanded.  -1 when the shell would compute it ($(...), `...`,
 * ${VAR:-...}).
 */
static int
value(const struct dh *d, const char *p, char *out, size_t size)
{
	size_t	 o = 0;
	char	 q = 0;

	for (; *p != '\0' && *p != '\n'; ) {
		if (q == 0 && (*p == '"' || *p == '\'')) {
			q = *p++;
			continue;
		}
		if (q != 0 && *p == q) {
			q = 0;
			p++;
			continue;
		}
		if (q == 0 && (*p == ' ' || *p == '\t' || *p == '#' ||
		    *p == ';'))
			break;
		if (q != '\'' && (*p == '`' || (*p == '$' && p[1] == '(')))
			return -1;
		if (q != '\'' && *p == '$') {
			if (expand(d, &p, out, &o, size) == -1)
				return -1;
			continue;
		}
		if (q != '\'' && *p == '\\' && p[1] != '\0' && p[1] != '\n')
			p++;
		if (o + 1 < size)
			out[o++] = *p;
		p++;
	}
	out[o] = '\0';
	return q != 0 ? -1 : 0;
}

/*
 * The assignments of a configuration text, in order.  0, or -1 with
 * the reason in d->why (file:line) for a setting the shell computes.
 */
static int
assignments(struct dh *d, const char *path, const char *text)
{
	const char	*p, *e;
	size_t		 line = 0, i, n;

	for (p = text; *p != '\0'; p = *e ? e + 1 : e) {
		line++;
		e = p + strcspn(p, "\n");
		p += strspn(p, " \t");
		if (strncmp(p, "export ", 7) == 0)
			p += 7 + strspn(p + 7, " \t");
		for (i = 0; i < DH_NVARS; i++) {
			n = strlen(dh_names[i]);
			if (strncmp(p, dh_names[i], n) == 0 && p[n] == '=')
				break;
		}
		if (i == DH_NVARS)
			continue;
		if (value(d, p + n + 1, d->v[i], sizeof(d->v[i])) == -1) {
			(void)snprintf(d->why, sizeof(d->why), "%s:%zu: %s is "
			    "computed by the shell; write its value out for "
			    "caa-preflight to read it", path, line,
			    dh_names[i]);
			return -1;
		}
	}
	return 0;
}

/* One configuration file into d.  0, -1 (d->why), -2 (memory). */
static int
config_file(struct dh *d, const char *path)
{
	char	*text, why[256];
	size_t	 len;
	int	 rc;

	if ((text = file_read(path, STATE_MAXSIZE, "a configuration", &len,
	    why, sizeof(why))) == NULL) {
		if (why[0] == '\0')
			return -2;
		(void)snprintf(d->why, sizeof(d->why), "%s: %s", path, why);
		return -1;
	}
	rc = assignments(d, path, text);
	free(text);
	return rc;
}

/* The configuration, then CONFIG_D's *.sh, then the derived defaults. */
static int
config(struct dh *d, const char *path)
{
	char	 p[PATH_MAX], **v;
	size_t	 n, i, len;
	int	 rc;
	const char *slash;

	memset(d, 0, sizeof(*d));
	slash = strrchr(path, '/');
	(void)snprintf(d->v[DH_BASEDIR], sizeof(d->v[0]), "%.*s",
	    slash ? (int)(slash - path) : 1, slash ? path : ".");
	strcpy(d->v[DH_CA], "letsencrypt");
	strcpy(d->v[DH_CHALLENGETYPE], "http-01");
	strcpy(d->v[DH_RENEW_DAYS], "30");
	if ((rc = config_file(d, path)) != 0)
		return rc;
	if (d->v[DH_CONFIG_D][0] != '\0') {
		if ((v = state_entries(d->v[DH_CONFIG_D], &n)) == NULL) {
			if (errno == ENOMEM)
				return -2;
			(void)snprintf(d->why, sizeof(d->why), "%s: cannot "
			    "read CONFIG_D: %s", d->v[DH_CONFIG_D],
			    strerror(errno));
			return -1;
		}
		for (i = 0, rc = 0; i < n && rc == 0; i++) {
			len = strlen(v[i]);
			if (len > 3 && strcmp(v[i] + len - 3, ".sh") == 0 &&
			    state_pathf(p, sizeof(p), "%s/%s",
			    d->v[DH_CONFIG_D], v[i]) == 0)
				rc = config_file(d, p);
		}
		state_entries_free(v, n);
		if (rc != 0)
			return rc;
	}
	if (d->v[DH_CERTDIR][0] == '\0')
		(void)snprintf(d->v[DH_CERTDIR], sizeof(d->v[0]), "%.*s/certs",
		    PATH_MAX - 8, d->v[DH_BASEDIR]);
	if (d->v[DH_DOMAINS_TXT][0] == '\0')
		(void)snprintf(d->v[DH_DOMAINS_TXT], sizeof(d->v[0]),
		    "%.*s/domains.txt", PATH_MAX - 16, d->v[DH_BASEDIR]);
	if (d->v[DH_ACCOUNTDIR][0] == '\0')
		(void)snprintf(d->v[DH_ACCOUNTDIR], sizeof(d->v[0]),
		    "%.*s/accounts", PATH_MAX - 16, d->v[DH_BASEDIR]);
	return 0;
}

/* dehydrated's CA short names. */
static const char *
ca_url(const char *ca)
{
	static const struct {
		const char	*name;
		const char	*url;
	} names[] = {
		{ "letsencrypt", CLIENT_LE },
		{ "letsencrypt-test", CLIENT_LE_STAGING },
		{ "zerossl", CLIENT_ZEROSSL },
		{ "buypass", "https://api.buypass.com/acme/directory" },
		{ "buypass-test", "https://api.test4.buypass.no/acme/directory" },
		{ "google", "https://dv.acme-v02.api.pki.goog/directory" },
		{ "google-test", "https://dv.acme-v02.test-api.pki.goog/"
		    "directory" }
	};
	size_t	 i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(ca, names[i].name) == 0)
			return names[i].url;
	return ca;
}

void
dehydrated_cahash(const char *url, char *out, size_t size)
{
	unsigned char	*in, *b64;
	size_t		 n = strlen(url), i, o = 0;
	int		 len;

	out[0] = '\0';
	if (n > 4096 || (in = malloc(n + 1)) == NULL)
		return;
	if ((b64 = malloc(4 * (n + 3) / 3 + 4)) == NULL) {
		free(in);
		return;
	}
	memcpy(in, url, n);
	in[n] = '\n';		/* echo's */
	len = EVP_EncodeBlock(b64, in, (int)n + 1);
	for (i = 0; len > 0 && i < (size_t)len && o + 1 < size; i++) {
		if (b64[i] == '=')
			break;
		out[o++] = b64[i] == '+' ? '-' : b64[i] == '/' ? '_' :
		    (char)b64[i];
	}
	out[o] = '\0';
	free(in);
	free(b64);
}

/* Whether a certificate's names are the names of the line (any order). */
static int
same_names(const struct conf_cert *have, char **want, size_t nwant)
{
	size_t	 i, j;

	if (have->ndomains != nwant)
		return 0;
	for (i = 0; i < nwant; i++) {
		for (j = 0; j < have->ndomains; j++)
			if (strcasecmp(want[i], have->domains[j]) == 0)
				break;
		if (j == have->ndomains)
			return 0;
	}
	return 1;
}

/*
 * When dehydrated orders the certificate: now when it has none, or when
 * its names are not the line's; else RENEW_DAYS before it expires.
 */
static int
due(struct conf_cert *cert, const char *certdir, long days, time_t now)
{
	struct conf_cert	 have;
	char			 path[PATH_MAX];
	size_t			 i;
	time_t			 not_after;
	int			 rc;

	if (state_pathf(path, sizeof(path), "%s/%s/cert.pem", certdir,
	    cert->label) == -1)
		return state_problem(cert, certdir, "a certificate's path is "
		    "too long");
	if (access(path, F_OK) == -1) {
		cert->due = CONF_DUE_YES;
		return 0;
	}
	memset(&have, 0, sizeof(have));
	rc = state_cert_file(cert, path, &have, &not_after);
	if (rc == 0 && same_names(&have, cert->domains, cert->ndomains))
		state_due(cert, not_after - days * STATE_DAY, now);
	else if (rc == 0)
		cert->due = CONF_DUE_YES;
	for (i = 0; i < have.ndomains; i++)
		free(have.domains[i]);
	free(have.domains);
	return rc == -1 ? -1 : 0;
}

/* Its own config (DOMAINS_D/<alias>, else CERTDIR/<alias>/config). */
static int
cert_config(const struct dh *d, struct dh *own, struct conf_cert *cert)
{
	char	 path[PATH_MAX];
	int	 rc;

	*own = *d;
	if (d->v[DH_DOMAINS_D][0] != '\0')
		rc = state_pathf(path, sizeof(path), "%s/%s",
		    d->v[DH_DOMAINS_D], cert->label);
	else
		rc = state_pathf(path, sizeof(path), "%s/%s/config",
		    d->v[DH_CERTDIR], cert->label);
	if (rc == -1 || access(path, F_OK) == -1)
		return 0;
	if ((rc = config_file(own, path)) == -1)
		return state_problem_text(cert, own->why);
	return rc == -2 ? -1 : 0;
}

/*
 * One line of domains.txt: "name [name ...] [>alias]", lower-cased, as
 * dehydrated reads it.  1 when it became a certificate, 0 when not (no
 * name, or not the one asked for), -1 when memory ran out.
 */
static int
line_cert(struct conf *c, const struct dh *d, char *line, const char *only,
    const char *account, const char *account_problem, time_t now)
{
	struct conf_cert	*cert;
	struct dh		*own;
	char			*p, *end, *first, *alias, *tok;
	size_t			 n;
	long			 days;
	int			 rc;

	for (p = line; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	/* Its label: the alias, else the first name. */
	alias = strchr(line, '>');
	first = line + strspn(line, " \t>");
	if (alias != NULL) {
		*alias++ = '\0';
		alias += strspn(alias, " \t");
		alias[strcspn(alias, " \t")] = '\0';
	}
	n = strcspn(first, " \t");
	if (n == 0)
		return 0;
	if (alias == NULL || *alias == '\0')
		alias = strndup(first, n);
	else
		alias = strdup(alias);
	if (alias == NULL)
		return -1;
	if (only != NULL && strcmp(only, alias) != 0) {
		free(alias);
		return 0;
	}
	if ((cert = client_add_cert(c)) == NULL) {
		free(alias);
		return -1;
	}
	cert->client = "dehydrated";
	cert->label = alias;
	for (p = line; (tok = strsep(&p, " \t")) != NULL;)
		if (*tok != '\0' && client_add_names(cert, tok) == -1)
			return -1;
	if (account_problem != NULL &&
	    state_problem_text(cert, account_problem) == -1)
		return -1;
	if ((own = malloc(sizeof(*own))) == NULL)
		return -1;
	if ((rc = cert_config(d, own, cert)) == 0 &&
	    (rc = client_set_directory(c, cert, ca_url(own->v[DH_CA]))) == 0 &&
	    (rc = client_set_method(cert, own->v[DH_CHALLENGETYPE])) == 0 &&
	    account != NULL &&
	    (cert->pol.account_uri = strdup(account)) == NULL)
		rc = -1;
	days = strtol(own->v[DH_RENEW_DAYS], &end, 10);
	if (rc == 0 && (*end != '\0' || days < 0 || days > 3650))
		rc = state_problem(cert, d->v[DH_DOMAINS_TXT], "RENEW_DAYS is "
		    "not a number of days");
	if (rc == 0)
		rc = due(cert, own->v[DH_CERTDIR], days, now);
	free(own);
	return rc == -1 ? -1 : 1;
}

/*
 * The account URL dehydrated keeps for its CA, account_id.json's "url";
 * NULL when it has none (or it cannot be read: scratch's problem says
 * why; *rc -1 when memory ran out, else 0).
 */
static char *
account(const struct dh *d, struct conf_cert *scratch, int *rc)
{
	char	 hash[1024], path[PATH_MAX], *url;
	int	 nomem = 0;

	*rc = 0;
	dehydrated_cahash(ca_url(d->v[DH_CA]), hash, sizeof(hash));
	if (state_pathf(path, sizeof(path), "%s/%s/account_id.json",
	    d->v[DH_ACCOUNTDIR], hash) == -1 || access(path, F_OK) == -1)
		return NULL;
	url = state_json_string(scratch, path, "an account", NULL, "url",
	    &nomem);
	*rc = nomem ? -1 : 0;
	return url;
}

int
dehydrated_state(struct conf *c, const char *path, const char *only,
    time_t now, char *why, size_t whylen)
{
	struct dh		*d;
	struct conf_cert	 scratch;
	char			*text = NULL, *acct = NULL, *line, *p;
	char			 rwhy[256];
	size_t			 len;
	int			 rc, added = 0;

	if ((d = malloc(sizeof(*d))) == NULL)
		return -1;
	memset(&scratch, 0, sizeof(scratch));
	if ((rc = config(d, path)) != 0) {
		(void)snprintf(why, whylen, "%s", d->why);
		free(d);
		return rc == -2 ? -1 : -2;
	}
	if ((text = file_read(d->v[DH_DOMAINS_TXT], STATE_MAXSIZE,
	    "a domains.txt", &len, rwhy, sizeof(rwhy))) == NULL) {
		(void)snprintf(why, whylen, "%s: %s", d->v[DH_DOMAINS_TXT],
		    rwhy);
		free(d);
		return rwhy[0] == '\0' ? -1 : -2;
	}
	/* An account file that cannot be read: said on each certificate. */
	acct = account(d, &scratch, &rc);
	for (p = text; rc != -1 && (line = strsep(&p, "\n")) != NULL;) {
		line[strcspn(line, "\r")] = '\0';
		line += strspn(line, " \t");
		if (*line == '#' || *line == '\0')
			continue;
		if ((rc = line_cert(c, d, line, only, acct, scratch.problem,
		    now)) == 1)
			added++;
	}
	free(acct);
	free(scratch.problem);
	free(text);
	free(d);
	return rc == -1 ? -1 : added;
}
