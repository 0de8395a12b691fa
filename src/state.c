/*
 * state: certbot's and acme.sh's own files, read-only.
 */
#include <sys/types.h>

#include <arpa/inet.h>

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "client.h"
#include "conf.h"
#include "file.h"
#include "policy.h"
#include "state.h"
#include "state_priv.h"

#define DAY		STATE_DAY

int
state_pathf(char *buf, size_t size, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

/* Set a certificate's problem to "path: why" (first one wins). */
int
state_problem(struct conf_cert *cert, const char *path, const char *why)
{
	if (cert->problem != NULL)
		return 0;
	if (asprintf(&cert->problem, "%s: %s", path, why) == -1) {
		cert->problem = NULL;
		return -1;
	}
	return 0;
}

int
state_problem_text(struct conf_cert *cert, const char *text)
{
	if (cert->problem != NULL)
		return 0;
	return (cert->problem = strdup(text)) == NULL ? -1 : 0;
}

/* A whole state file, or NULL with the certificate's problem set. */
char *
state_slurp(struct conf_cert *cert, const char *path, const char *what,
    size_t *len, int *nomem)
{
	char	*buf, why[256];

	if ((buf = file_read(path, STATE_MAXSIZE, what, len, why,
	    sizeof(why))) == NULL && (why[0] == '\0' ||
	    state_problem(cert, path, why) == -1))
		*nomem = 1;
	return buf;
}

/*
 * A value of n bytes at v, trailing blanks and CR dropped and one pair of
 * matching quotes removed, copied to out.
 */
static void
value(const char *v, size_t n, char *out, size_t size)
{
	while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t' ||
	    v[n - 1] == '\r'))
		n--;
	if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0]) {
		v++;
		n -= 2;
	}
	(void)snprintf(out, size, "%.*s", (int)n, v);
}

/*
 * The value of key in an INI text (configobj, as certbot writes it),
 * at the top level (section NULL) or in [section]: copied to out,
 * surrounding quotes removed.  1 found, 0 not.
 */
static int
ini_get(const char *text, const char *section, const char *key, char *out,
    size_t size)
{
	const char	*p, *e, *v;
	size_t		 klen = strlen(key), n;
	int		 in = section == NULL;

	for (p = text; *p != '\0'; p = *e ? e + 1 : e) {
		e = p + strcspn(p, "\n");
		p += strspn(p, " \t");
		if (*p == '[') {
			n = section ? strlen(section) : 0;
			in = section != NULL && strncmp(p + 1, section, n) == 0 &&
			    p[1 + n] == ']';
			continue;
		}
		if (!in || strncmp(p, key, klen) != 0)
			continue;
		v = p + klen + strspn(p + klen, " \t");
		if (*v != '=')
			continue;
		v++;
		v += strspn(v, " \t");
		value(v, (size_t)(e - v), out, size);
		return 1;
	}
	return 0;
}

/*
 * acme.sh's KEY='value' lines, as _save_conf writes them: 1 found,
 * 0 not.
 */
int
state_sh_get(const char *text, const char *key, char *out, size_t size)
{
	const char	*p, *e, *v;
	size_t		 klen = strlen(key);

	for (p = text; *p != '\0'; p = *e ? e + 1 : e) {
		e = p + strcspn(p, "\n");
		if (strncmp(p, key, klen) != 0 || p[klen] != '=')
			continue;
		v = p + klen + 1;
		value(v, (size_t)(e - v), out, size);
		return 1;
	}
	return 0;
}

int
state_cert_names(const char *text, size_t len, struct conf_cert *cert,
    time_t *not_after, char *why, size_t whylen)
{
	BIO			*bio;
	X509			*x = NULL;
	GENERAL_NAMES		*sans = NULL;
	const GENERAL_NAME	*g;
	struct tm		 tm;
	char			 name[256];
	int			 i, rc = -1;

	why[0] = '\0';
	if (len > INT_MAX || (bio = BIO_new_mem_buf(text, (int)len)) == NULL)
		return -1;
	if ((x = PEM_read_bio_X509(bio, NULL, NULL, NULL)) == NULL) {
		(void)snprintf(why, whylen, "not a PEM certificate");
		goto out;
	}
	if (ASN1_TIME_to_tm(X509_get0_notAfter(x), &tm) != 1) {
		(void)snprintf(why, whylen, "the certificate's expiry cannot "
		    "be read");
		goto out;
	}
	*not_after = timegm(&tm);
	sans = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
	for (i = 0; sans != NULL && i < sk_GENERAL_NAME_num(sans); i++) {
		g = sk_GENERAL_NAME_value(sans, i);
		name[0] = '\0';
		if (g->type == GEN_DNS && ASN1_STRING_length(g->d.dNSName) <
		    (int)sizeof(name))
			(void)snprintf(name, sizeof(name), "%.*s",
			    ASN1_STRING_length(g->d.dNSName),
			    (const char *)ASN1_STRING_get0_data(g->d.dNSName));
		else if (g->type == GEN_IPADD)
			(void)inet_ntop(ASN1_STRING_length(g->d.iPAddress) ==
			    16 ? AF_INET6 : AF_INET,
			    ASN1_STRING_get0_data(g->d.iPAddress), name,
			    sizeof(name));
		/* A NUL inside a SAN is not a name: leave it out. */
		if (name[0] != '\0' && client_add_names(cert, name) == -1)
			goto out;
	}
	if (cert->ndomains == 0) {
		(void)snprintf(why, whylen, "the certificate has no subject "
		    "alternative name");
		goto out;
	}
	rc = 0;
out:
	GENERAL_NAMES_free(sans);
	X509_free(x);
	BIO_free(bio);
	return rc;
}

int
state_cert_file(struct conf_cert *cert, const char *path,
    struct conf_cert *into, time_t *not_after)
{
	char	 why[256], *buf;
	size_t	 len;
	int	 nomem = 0, rc;

	if ((buf = state_slurp(cert, path, "a certificate", &len,
	    &nomem)) == NULL)
		return nomem ? -1 : 1;
	rc = state_cert_names(buf, len, into, not_after, why, sizeof(why));
	free(buf);
	if (rc == 0)
		return 0;
	if (why[0] == '\0' || state_problem(cert, path, why) == -1)
		return -1;
	return 1;
}

/* certbot's renew_before_expiry ("30 days", "2 weeks"), in seconds. */
static long
interval_of(const char *s)
{
	char	*end;
	long	 n;

	n = strtol(s, &end, 10);
	if (end == s || n < 0 || n > 3650)
		return -1;
	end += strspn(end, " ");
	if (strncmp(end, "week", 4) == 0)
		return n * 7 * DAY;
	if (strncmp(end, "day", 3) == 0 || *end == '\0')
		return n * DAY;
	if (strncmp(end, "hour", 4) == 0)
		return n * 3600;
	return -1;
}

/* Due at when, as of now: the certificate's due fields. */
void
state_due(struct conf_cert *cert, time_t when, time_t now)
{
	if (when <= now) {
		cert->due = CONF_DUE_YES;
		return;
	}
	cert->due = CONF_DUE_NO;
	/* Whole days ahead; under one counts as one. */
	cert->due_days = (long)((when - now) / DAY);
	if (cert->due_days == 0)
		cert->due_days = 1;
}

/*
 * A JSON file's string at key (inside object outer, when not NULL),
 * through a real JSON parser (jansson): a copy, or NULL with the
 * certificate's problem set (or *nomem).
 */
char *
state_json_string(struct conf_cert *cert, const char *path, const char *what,
    const char *outer, const char *key, int *nomem)
{
	char		*buf, *s = NULL, why[256];
	json_t		*root, *v;
	json_error_t	 jerr;
	size_t		 len;

	if ((buf = state_slurp(cert, path, what, &len, nomem)) == NULL)
		return NULL;
	root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
	free(buf);
	if (root == NULL) {
		(void)snprintf(why, sizeof(why), "not JSON: %s (line %d)",
		    jerr.text, jerr.line);
		if (state_problem(cert, path, why) == -1)
			*nomem = 1;
		return NULL;
	}
	v = outer != NULL ? json_object_get(root, outer) : root;
	v = json_object_get(v, key);
	if (!json_is_string(v)) {
		(void)snprintf(why, sizeof(why), "no \"%s%s%s\" string",
		    outer ? outer : "", outer ? "." : "", key);
		if (state_problem(cert, path, why) == -1)
			*nomem = 1;
	} else if ((s = strdup(json_string_value(v))) == NULL)
		*nomem = 1;
	json_decref(root);
	return s;
}

/* The "uri" of certbot's regr.json. */
static int
certbot_account(struct conf_cert *cert, const char *dir, const char *server,
    const char *id)
{
	char		 path[PATH_MAX], *uri;
	const char	*host;
	int		 nomem = 0;

	/* accounts/<netloc><path>/<id>/regr.json, as certbot names it. */
	host = strstr(server, "://");
	host = host != NULL ? host + 3 : server;
	if (state_pathf(path, sizeof(path), "%s/accounts/%s/%s/regr.json", dir,
	    host, id) == -1)
		return state_problem(cert, dir, "the account's path is too long");
	if ((uri = state_json_string(cert, path, "an account", NULL, "uri",
	    &nomem)) == NULL)
		return nomem ? -1 : 0;
	free(cert->pol.account_uri);
	cert->pol.account_uri = uri;
	return 0;
}

/* The certificate file: its names and when it is due. */
static int
certbot_cert(struct conf_cert *cert, const char *path, const char *text,
    time_t now)
{
	char	 before[64] = "30 days", why[256];
	time_t	 not_after;
	long	 ahead;
	int	 rc;

	(void)ini_get(text, NULL, "renew_before_expiry", before,
	    sizeof(before));
	if ((ahead = interval_of(before)) == -1) {
		(void)snprintf(why, sizeof(why), "renew_before_expiry \"%s\" "
		    "is not a number of days, weeks or hours", before);
		return state_problem(cert, path, why);
	}
	if ((rc = state_cert_file(cert, path, cert, &not_after)) != 0)
		return rc == -1 ? -1 : 0;
	state_due(cert, not_after - ahead, now);
	return 0;
}

/* One lineage: renewal/<label>.conf. */
static int
certbot_lineage(struct conf *c, const char *dir, const char *file,
    time_t now)
{
	struct conf_cert	*cert;
	char			 path[PATH_MAX], val[1024], auth[128] = "";
	char			 pref[128] = "", server[1024], *text;
	size_t			 len;
	int			 nomem = 0, rc;

	if ((cert = client_add_cert(c)) == NULL)
		return -1;
	cert->client = "certbot";
	if ((cert->label = strndup(file, strlen(file) - 5)) == NULL)
		return -1;
	if (state_pathf(path, sizeof(path), "%s/renewal/%s", dir, file) == -1)
		return state_problem(cert, dir, "a renewal path is too long");
	if ((text = state_slurp(cert, path, "a renewal configuration", &len,
	    &nomem)) == NULL)
		return nomem ? -1 : 0;
	if (!ini_get(text, "renewalparams", "server", server, sizeof(server))) {
		free(text);
		return state_problem(cert, path, "no server in [renewalparams]: "
		    "the CA of its next order is not known");
	}
	rc = client_set_directory(c, cert, server);
	(void)ini_get(text, "renewalparams", "authenticator", auth,
	    sizeof(auth));
	(void)ini_get(text, "renewalparams", "pref_challs", pref,
	    sizeof(pref));
	if (rc != -1 && client_certbot_method(auth, pref) != NULL)
		rc = client_set_method(cert,
		    client_certbot_method(auth, pref));
	if (rc != -1 && ini_get(text, "renewalparams", "account", val,
	    sizeof(val)))
		rc = certbot_account(cert, dir, server, val);
	if (rc != -1) {
		if (!ini_get(text, NULL, "cert", val, sizeof(val)) &&
		    state_pathf(val, sizeof(val), "%s/live/%s/cert.pem", dir,
		    cert->label) == -1)
			rc = state_problem(cert, path, "the certificate's path is "
			    "too long");
		else
			rc = certbot_cert(cert, val, text, now);
	}
	free(text);
	return rc == -1 ? -1 : 0;
}

static int
strcmp_p(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The entries of dir (not "." or ".."), sorted; *n of them.  NULL with
 * errno set when it cannot be read.
 */
char **
state_entries(const char *dir, size_t *n)
{
	DIR		*d;
	struct dirent	*de;
	char		**v = NULL, **nv;

	*n = 0;
	if ((d = opendir(dir)) == NULL)
		return NULL;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if ((nv = reallocarray(v, *n + 2, sizeof(*v))) == NULL)
			goto nomem;
		v = nv;
		if ((v[*n] = strdup(de->d_name)) == NULL)
			goto nomem;
		v[++*n] = NULL;
	}
	closedir(d);
	if (v == NULL && (v = calloc(1, sizeof(*v))) == NULL)
		return NULL;
	qsort(v, *n, sizeof(*v), strcmp_p);
	return v;
nomem:
	closedir(d);
	while (*n > 0)
		free(v[--*n]);
	free(v);
	errno = ENOMEM;
	return NULL;
}

void
state_entries_free(char **v, size_t n)
{
	while (n > 0)
		free(v[--n]);
	free(v);
}

int
state_certbot_only_account(struct conf_cert *cert, const char *dir,
    const char *server)
{
	char		 path[PATH_MAX], **v;
	const char	*host;
	size_t		 n;
	int		 rc = 0;

	host = strstr(server, "://");
	host = host != NULL ? host + 3 : server;
	if (state_pathf(path, sizeof(path), "%s/accounts/%s", dir, host) == -1)
		return 0;
	if ((v = state_entries(path, &n)) == NULL)
		return errno == ENOMEM ? -1 : 0;
	if (n == 1)
		rc = certbot_account(cert, dir, server, v[0]);
	state_entries_free(v, n);
	return rc;
}

/* Whether file (a label and its suffix) is one to read. */
static int
wanted(const char *file, const char *suffix, const char *skip,
    const char *only)
{
	size_t	 len = strlen(file), sl = strlen(suffix);

	if (len <= sl || strcmp(file + len - sl, suffix) != 0)
		return 0;
	if (skip != NULL && len > strlen(skip) &&
	    strcmp(file + len - strlen(skip), skip) == 0)
		return 0;
	return only == NULL || (strlen(only) == len - sl &&
	    strncmp(file, only, len - sl) == 0);
}

/*
 * Each file of dir/sub named <label><suffix> (not <label><skip>; only
 * the label only, when not NULL) through one, a certificate each.
 * Returns how many; -1 when memory ran out; -2 when the folder cannot
 * be read (why says so, with what it should hold).
 */
static int
each_file(struct conf *c, const char *dir, const char *sub,
    const char *suffix, const char *skip, const char *only, const char *what,
    int (*one)(struct conf *, const char *, const char *, time_t),
    time_t now, char *why, size_t whylen)
{
	char	 path[PATH_MAX], **v = NULL;
	size_t	 n, i;
	int	 added = 0;

	if (state_pathf(path, sizeof(path), "%s/%s", dir, sub) == -1)
		errno = ENAMETOOLONG;
	else
		v = state_entries(path, &n);
	if (v == NULL) {
		if (errno == ENOMEM)
			return -1;
		(void)snprintf(why, whylen, "%s: cannot read %s: %s", path,
		    what, strerror(errno));
		return -2;
	}
	for (i = 0; i < n; i++) {
		if (!wanted(v[i], suffix, skip, only))
			continue;
		if (one(c, dir, v[i], now) == -1) {
			state_entries_free(v, n);
			return -1;
		}
		added++;
	}
	state_entries_free(v, n);
	return added;
}

int
state_certbot(struct conf *c, const char *dir, const char *only,
    time_t now, char *why, size_t whylen)
{
	return each_file(c, dir, "renewal", ".conf", NULL, only,
	    "certbot's renewal configurations", certbot_lineage, now, why,
	    whylen);
}

/*
 * lego's CA from its host: one of the configuration's directories on
 * it, else a built-in one; NULL when neither.
 */
static const char *
lego_directory(const struct conf *c, const char *host)
{
	size_t	 i;

	for (i = 0; i < c->ndirectories; i++)
		if (policy_directory_host_is(c->directories[i].url, host))
			return c->directories[i].url;
	return policy_directory_on(host);
}

/*
 * lego's account on host, accounts/<host, ':' as '_'>/<email>/
 * account.json's registration.uri, when there is exactly one.
 */
static int
lego_account(struct conf_cert *cert, const char *dir, const char *host)
{
	char	 path[PATH_MAX], folder[256], **v, *uri, *p;
	size_t	 n;
	int	 nomem = 0;

	(void)snprintf(folder, sizeof(folder), "%s", host);
	for (p = folder; (p = strchr(p, ':')) != NULL; p++)
		*p = '_';
	if (state_pathf(path, sizeof(path), "%s/accounts/%s", dir, folder) == -1)
		return 0;
	if ((v = state_entries(path, &n)) == NULL)
		return errno == ENOMEM ? -1 : 0;
	if (n == 1 && state_pathf(path, sizeof(path), "%s/accounts/%s/%s/"
	    "account.json", dir, folder, v[0]) == 0 &&
	    (uri = state_json_string(cert, path, "an account", "registration",
	    "uri", &nomem)) != NULL) {
		free(cert->pol.account_uri);
		cert->pol.account_uri = uri;
	}
	state_entries_free(v, n);
	return nomem ? -1 : 0;
}

/* One lego certificate: certificates/<label>.crt and <label>.json. */
static int
lego_cert(struct conf *c, const char *dir, const char *file, time_t now)
{
	struct conf_cert	*cert;
	char			 path[PATH_MAX], host[256], why[512], *url;
	const char		*h, *directory;
	time_t			 not_after;
	int			 nomem = 0, rc;

	if ((cert = client_add_cert(c)) == NULL)
		return -1;
	cert->client = "lego";
	if ((cert->label = strndup(file, strlen(file) - 4)) == NULL)
		return -1;
	if (state_pathf(path, sizeof(path), "%s/certificates/%s.json", dir,
	    cert->label) == -1)
		return state_problem(cert, dir, "a certificate's path is too long");
	/* lego 4 keeps no directory: the CA is the host of certUrl. */
	if ((url = state_json_string(cert, path, "a certificate resource", NULL,
	    "certUrl", &nomem)) == NULL)
		return nomem ? -1 : 0;
	h = strstr(url, "://");
	(void)snprintf(host, sizeof(host), "%.*s", h ? (int)strcspn(h + 3,
	    "/") : 0, h ? h + 3 : "");
	free(url);
	if (host[0] == '\0')
		return state_problem(cert, path, "certUrl is not a URL");
	if ((directory = lego_directory(c, host)) == NULL) {
		(void)snprintf(why, sizeof(why), "its CA at %s is not known; "
		    "add its ACME directory URL to the configuration's "
		    "directories:", host);
		return state_problem(cert, path, why);
	}
	if ((rc = client_set_directory(c, cert, directory)) != 0 ||
	    (rc = lego_account(cert, dir, host)) != 0)
		return rc == -1 ? -1 : 0;
	if (state_pathf(path, sizeof(path), "%s/certificates/%s", dir, file) == -1)
		return state_problem(cert, dir, "a certificate's path is too long");
	if ((rc = state_cert_file(cert, path, cert, &not_after)) != 0)
		return rc == -1 ? -1 : 0;
	/* lego renew's --days: 30 by default. */
	state_due(cert, not_after - 30 * DAY, now);
	return 0;
}

int
state_lego(struct conf *c, const char *dir, const char *only, time_t now,
    char *why, size_t whylen)
{
	/* <label>.crt; not the issuer's <label>.issuer.crt. */
	return each_file(c, dir, "certificates", ".crt", ".issuer.crt", only,
	    "lego's certificates", lego_cert, now, why, whylen);
}

/* acme.sh's account: <home>/ca/<host>/<path>/ca.conf's ACCOUNT_URL. */
static int
acmesh_account(struct conf_cert *cert, const char *home, const char *api)
{
	char		 path[PATH_MAX], url[1024], *text;
	const char	*host;
	size_t		 len;
	int		 nomem = 0;

	host = strstr(api, "://");
	host = host != NULL ? host + 3 : api;
	if (state_pathf(path, sizeof(path), "%s/ca/%s/ca.conf", home, host) == -1)
		return state_problem(cert, home, "the account's path is too long");
	/* No account yet: acme.sh registers one at its order. */
	if (access(path, F_OK) == -1)
		return 0;
	if ((text = state_slurp(cert, path, "a CA configuration", &len,
	    &nomem)) == NULL)
		return nomem ? -1 : 0;
	if (state_sh_get(text, "ACCOUNT_URL", url, sizeof(url)) && url[0] != '\0') {
		free(cert->pol.account_uri);
		if ((cert->pol.account_uri = strdup(url)) == NULL) {
			free(text);
			return -1;
		}
	}
	free(text);
	return 0;
}

/*
 * One acme.sh certificate folder: <folder>/<domain>.conf.  With names,
 * its names and due date too.  The home is the folder's parent.
 */
static int
acmesh_folder(const struct conf *c, struct conf_cert *cert,
    const char *home, const char *folder, const char *domain, int names,
    time_t now)
{
	char	 path[PATH_MAX], val[4096], *text, *end;
	size_t	 len;
	long long next;
	int	 nomem = 0, rc = 0;

	if (state_pathf(path, sizeof(path), "%s/%s.conf", folder, domain) == -1)
		return state_problem(cert, folder, "its path is too long");
	if ((text = state_slurp(cert, path, "a certificate configuration", &len,
	    &nomem)) == NULL)
		return nomem ? -1 : 0;
	if (names) {
		if (!state_sh_get(text, "Le_Domain", val, sizeof(val)) ||
		    val[0] == '\0')
			rc = state_problem(cert, path, "no Le_Domain");
		else if ((rc = client_add_names(cert, val)) != -1 &&
		    state_sh_get(text, "Le_Alt", val, sizeof(val)) &&
		    strcmp(val, "no") != 0)
			rc = client_add_names(cert, val);
		if (rc != -1 && state_sh_get(text, "Le_NextRenewTime", val,
		    sizeof(val))) {
			next = strtoll(val, &end, 10);
			if (end == val || *end != '\0')
				rc = state_problem(cert, path, "Le_NextRenewTime is "
				    "not a time");
			else
				state_due(cert, (time_t)next, now);
		}
	}
	if (rc != -1 && state_sh_get(text, "Le_Webroot", val, sizeof(val)) &&
	    val[0] != '\0')
		rc = client_set_method(cert, client_acmesh_method(val));
	if (rc != -1 && state_sh_get(text, "Le_API", val, sizeof(val)) &&
	    val[0] != '\0' && (rc = client_set_directory(c, cert, val)) == 0)
		rc = acmesh_account(cert, home, val);
	free(text);
	return rc == -1 ? -1 : 0;
}

int
state_acmesh_here(const struct conf *c, struct conf_cert *cert,
    const char *domain)
{
	char	 path[PATH_MAX];

	if (state_pathf(path, sizeof(path), "./%s.conf", domain) == -1 ||
	    access(path, F_OK) == -1)
		return 0;
	return acmesh_folder(c, cert, "..", ".", domain, 0, 0);
}

int
state_acmesh(struct conf *c, const char *home, const char *only,
    time_t now, char *why, size_t whylen)
{
	struct conf_cert	*cert;
	char			 folder[PATH_MAX], conf[PATH_MAX], **v;
	char			 domain[256];
	size_t			 n, i, len;
	int			 added = 0;

	if ((v = state_entries(home, &n)) == NULL) {
		if (errno == ENOMEM)
			return -1;
		(void)snprintf(why, whylen, "%s: cannot read acme.sh's home: "
		    "%s", home, strerror(errno));
		return -2;
	}
	for (i = 0; i < n; i++) {
		/* <domain> or <domain>_ecc, holding <domain>.conf. */
		len = strlen(v[i]);
		if (len > 4 && strcmp(v[i] + len - 4, "_ecc") == 0)
			len -= 4;
		if (len >= sizeof(domain) ||
		    (only != NULL && strcmp(only, v[i]) != 0))
			continue;
		(void)snprintf(domain, sizeof(domain), "%.*s", (int)len, v[i]);
		if (state_pathf(folder, sizeof(folder), "%s/%s", home, v[i]) == -1 ||
		    state_pathf(conf, sizeof(conf), "%s/%s.conf", folder,
		    domain) == -1 || access(conf, F_OK) == -1)
			continue;
		if ((cert = client_add_cert(c)) == NULL ||
		    (cert->label = strdup(v[i])) == NULL ||
		    acmesh_folder(c, cert, home, folder, domain, 1,
		    now) == -1) {
			state_entries_free(v, n);
			return -1;
		}
		cert->client = "acme.sh";
		added++;
	}
	state_entries_free(v, n);
	return added;
}
