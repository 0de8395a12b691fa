/*
 * conf: YAML configuration loader.
 *
 * The document is walked through tables of {key, handler}; every error
 * is collected with its line and column so one run of -n shows them all.
 */

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "caa.h"
#include "conf.h"
#include "file.h"
#include "name.h"

/* A configuration file larger than this is not a configuration file. */
#define CONF_MAXSIZE	(1024 * 1024)
#define CONF_MAXDEPTH	64	/* a real file nests 4 deep */

struct ctx {
	yaml_document_t		*doc;
	const char		*file;
	struct conf		*c;
	struct conf_errors	*errs;
	int			 nomem;
};

typedef void (*handler)(struct ctx *, yaml_node_t *, void *);

struct key {
	const char	*name;
	handler		 fn;
};

struct conf *
conf_new(void)
{
	struct conf	*c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->timeout = 15;
	c->nameservers = CONF_ERROR;
	c->dns01 = CONF_AUTO;
	c->max_inflight = 32;
	c->signature_days = 7;
	if (policy_set_ca(&c->pol, "letsencrypt") == -1 ||
	    (c->pol.method = strdup("http-01")) == NULL) {
		conf_free(c);
		return NULL;
	}
	return c;
}

static void
strv_free(char **v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void
conf_free(struct conf *c)
{
	size_t	 i;

	if (c == NULL)
		return;
	free(c->file);
	policy_clear(&c->pol);
	free(c->trust_anchor);
	free(c->root_hints);
	strv_free(c->forward, c->nforward);
	for (i = 0; i < c->noptions; i++) {
		free(c->options[i].name);
		free(c->options[i].value);
	}
	free(c->options);
	for (i = 0; i < c->ncerts; i++) {
		free(c->certs[i].label);
		strv_free(c->certs[i].domains, c->certs[i].ndomains);
		policy_clear(&c->certs[i].pol);
		free(c->certs[i].directory);
		free(c->certs[i].problem);
	}
	free(c->certs);
	for (i = 0; i < c->ndirectories; i++) {
		free(c->directories[i].url);
		free(c->directories[i].issuer);
	}
	free(c->directories);
	free(c);
}

void
conf_errors_free(struct conf_errors *e)
{
	if (e == NULL)
		return;
	strv_free(e->msgs, e->n);
	e->msgs = NULL;
	e->n = 0;
}

void
conf_effective(const struct conf *c, const struct conf_cert *cert,
    struct policy *out)
{
	*out = c->pol;
	if (cert == NULL)
		return;
	if (cert->pol.nissuers > 0) {
		out->ca = cert->pol.ca;
		out->issuers = cert->pol.issuers;
		out->nissuers = cert->pol.nissuers;
	}
	if (cert->pol.account_uri != NULL)
		out->account_uri = cert->pol.account_uri;
	if (cert->pol.method != NULL)
		out->method = cert->pol.method;
}

static void
err(struct ctx *x, const yaml_node_t *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
err(struct ctx *x, const yaml_node_t *n, const char *fmt, ...)
{
	va_list	  ap;
	char	  msg[512];

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (conf_error(x->errs, x->file, n ? n->start_mark.line + 1 : 1,
	    n ? n->start_mark.column + 1 : 1, "%s", msg) == -1)
		x->nomem = 1;
}

int
conf_error(struct conf_errors *e, const char *file, size_t line, size_t col,
    const char *fmt, ...)
{
	va_list	  ap;
	char	  msg[512], *s, **v;

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (asprintf(&s, "%s:%zu:%zu: %s", file, line, col, msg) == -1)
		return -1;
	if ((v = reallocarray(e->msgs, e->n + 1, sizeof(*v))) == NULL) {
		free(s);
		return -1;
	}
	v[e->n++] = s;
	e->msgs = v;
	return 0;
}

static const char *
node_type(const yaml_node_t *n)
{
	switch (n->type) {
	case YAML_SCALAR_NODE:
		return "a scalar";
	case YAML_SEQUENCE_NODE:
		return "a list";
	case YAML_MAPPING_NODE:
		return "a mapping";
	default:
		return "nothing";
	}
}

/* A scalar's text; NULL (with an error) when the node is not a scalar. */
static const char *
scalar(struct ctx *x, yaml_node_t *n, const char *what)
{
	if (n->type != YAML_SCALAR_NODE) {
		err(x, n, "%s must be a string, not %s", what, node_type(n));
		return NULL;
	}
	if (strlen((char *)n->data.scalar.value) != n->data.scalar.length) {
		err(x, n, "%s contains a NUL byte", what);
		return NULL;
	}
	return (const char *)n->data.scalar.value;
}

static void
set_str(struct ctx *x, char **dst, const char *s)
{
	char	*d;

	if ((d = strdup(s)) == NULL) {
		x->nomem = 1;
		return;
	}
	free(*dst);
	*dst = d;
}

static int
push_str(struct ctx *x, char ***v, size_t *n, const char *s)
{
	char	**nv, *d;

	if ((d = strdup(s)) == NULL ||
	    (nv = reallocarray(*v, *n + 1, sizeof(*nv))) == NULL) {
		free(d);
		x->nomem = 1;
		return -1;
	}
	nv[(*n)++] = d;
	*v = nv;
	return 0;
}

/* Walk a mapping through a key table; unknown and duplicate keys fail. */
static void
walk(struct ctx *x, yaml_node_t *map, const struct key *keys, void *arg,
    const char *where)
{
	yaml_node_pair_t	*p, *q;
	yaml_node_t		*k, *v, *k2;
	const struct key	*kt;
	char			 known[256];
	size_t			 len = 0;

	if (map->type != YAML_MAPPING_NODE) {
		err(x, map, "%s must be a mapping, not %s", where,
		    node_type(map));
		return;
	}
	for (p = map->data.mapping.pairs.start;
	    p < map->data.mapping.pairs.top; p++) {
		k = yaml_document_get_node(x->doc, p->key);
		v = yaml_document_get_node(x->doc, p->value);
		if (k == NULL || v == NULL)
			continue;
		if (k->type != YAML_SCALAR_NODE) {
			err(x, k, "keys in %s must be strings", where);
			continue;
		}
		for (q = map->data.mapping.pairs.start; q < p; q++) {
			k2 = yaml_document_get_node(x->doc, q->key);
			if (k2 != NULL && k2->type == YAML_SCALAR_NODE &&
			    strcmp((char *)k2->data.scalar.value,
			    (char *)k->data.scalar.value) == 0)
				break;
		}
		if (q < p) {
			err(x, k, "duplicate key \"%s\" in %s (first at line "
			    "%zu)", (char *)k->data.scalar.value, where,
			    yaml_document_get_node(x->doc, q->key)->
			    start_mark.line + 1);
			continue;
		}
		for (kt = keys; kt->name != NULL; kt++)
			if (strcmp(kt->name, (char *)k->data.scalar.value) == 0)
				break;
		if (kt->name == NULL) {
			len = 0;
			known[0] = '\0';
			for (kt = keys; kt->name != NULL; kt++)
				len += (size_t)snprintf(known + len,
				    len < sizeof(known) ? sizeof(known) - len :
				    0, "%s%s", len ? ", " : "", kt->name);
			err(x, k, "unknown key \"%.64s\" in %s (known: %s)",
			    (char *)k->data.scalar.value, where, known);
			continue;
		}
		kt->fn(x, v, arg);
	}
}

/* Policy keys, shared by the top level and certificates. */

static void
h_ca(struct ctx *x, yaml_node_t *n, void *arg)
{
	struct policy	*p = arg;
	const char		*s, *const *names;
	char			 list[128];
	size_t			 len = 0;

	if ((s = scalar(x, n, "ca")) == NULL)
		return;
	if (caa_ca_issuer(s) != NULL) {
		if (policy_set_ca(p, s) == -1)
			x->nomem = 1;
		return;
	}
	list[0] = '\0';
	for (names = caa_ca_names(); *names != NULL; names++)
		len += (size_t)snprintf(list + len, len < sizeof(list) ?
		    sizeof(list) - len : 0, "%s%s", len ? ", " : "", *names);
	err(x, n, "unknown CA \"%.64s\" (known: %s; or give issuer: with the "
	    "CA's issuer domain)", s, list);
}

static void
issuer_one(struct ctx *x, yaml_node_t *n, char ***v, size_t *nv)
{
	const char	*s, *why;

	if ((s = scalar(x, n, "issuer")) == NULL)
		return;
	if ((why = policy_check_issuer(s)) != NULL) {
		err(x, n, "issuer \"%.64s\": %s", s, why);
		return;
	}
	(void)push_str(x, v, nv, s);
}

static void
h_issuer(struct ctx *x, yaml_node_t *n, void *arg)
{
	struct policy	*p = arg;
	yaml_node_item_t	*i;
	char			**v = NULL;
	size_t			  nv = 0;

	if (n->type == YAML_SEQUENCE_NODE) {
		if (n->data.sequence.items.start == n->data.sequence.items.top)
			err(x, n, "issuer list is empty");
		for (i = n->data.sequence.items.start;
		    i < n->data.sequence.items.top; i++)
			issuer_one(x, yaml_document_get_node(x->doc, *i), &v,
			    &nv);
	} else
		issuer_one(x, n, &v, &nv);
	if (nv == 0) {
		strv_free(v, nv);
		return;
	}
	strv_free(p->issuers, p->nissuers);
	free(p->ca);
	p->ca = NULL;
	p->issuers = v;
	p->nissuers = nv;
}

static void
h_account(struct ctx *x, yaml_node_t *n, void *arg)
{
	struct policy	*p = arg;
	const char		*s, *why;

	if ((s = scalar(x, n, "account_uri")) == NULL)
		return;
	if ((why = policy_check_uri(s)) != NULL) {
		err(x, n, "account_uri \"%.128s\": %s", s, why);
		return;
	}
	set_str(x, &p->account_uri, s);
}

static void
h_method(struct ctx *x, yaml_node_t *n, void *arg)
{
	struct policy	*p = arg;
	const char		*s, *why;

	if ((s = scalar(x, n, "method")) == NULL)
		return;
	if ((why = policy_check_method(s)) != NULL) {
		err(x, n, "method \"%.32s\": %s", s, why);
		return;
	}
	set_str(x, &p->method, s);
}

/*
 * A whole number from min to max for key what; unit goes
 * into the message ("of seconds ").  Returns 0 and sets *out, or -1 after an error.
 */
static int
integer(struct ctx *x, yaml_node_t *n, const char *what, const char *unit,
    long min, long max, int *out)
{
	const char	*s;
	char		*end;
	long		 v;

	if ((s = scalar(x, n, what)) == NULL)
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || v < min || v > max) {
		err(x, n, "%s must be a whole number %sfrom %ld to %ld, not "
		    "\"%.32s\"", what, unit, min, max, s);
		return -1;
	}
	*out = (int)v;
	return 0;
}

static void
h_timeout(struct ctx *x, yaml_node_t *n, void *arg)
{
	(void)arg;
	(void)integer(x, n, "timeout", "of seconds ", 1, 3600, &x->c->timeout);
}

static void
level(struct ctx *x, yaml_node_t *n, enum conf_level *dst, int allow_auto,
    const char *what)
{
	const char	*s;

	if ((s = scalar(x, n, what)) == NULL)
		return;
	if (strcmp(s, "error") == 0)
		*dst = CONF_ERROR;
	else if (strcmp(s, "warn") == 0)
		*dst = CONF_WARN;
	else if (strcmp(s, "off") == 0)
		*dst = CONF_OFF;
	else if (allow_auto && strcmp(s, "auto") == 0)
		*dst = CONF_AUTO;
	else
		err(x, n, "%s must be %serror, warn or off, not \"%.32s\"",
		    what, allow_auto ? "auto, " : "", s);
}

static void
h_nameservers(struct ctx *x, yaml_node_t *n, void *arg)
{
	(void)arg;
	level(x, n, &x->c->nameservers, 0, "checks.nameservers");
}

static void
h_dns01(struct ctx *x, yaml_node_t *n, void *arg)
{
	(void)arg;
	level(x, n, &x->c->dns01, 1, "checks.dns01");
}

static void
h_inflight(struct ctx *x, yaml_node_t *n, void *arg)
{
	(void)arg;
	(void)integer(x, n, "checks.max_inflight", "", 1, 1024,
	    &x->c->max_inflight);
}

static void
h_sigdays(struct ctx *x, yaml_node_t *n, void *arg)
{
	(void)arg;
	(void)integer(x, n, "checks.signature_days", "of days ", 0, 365,
	    &x->c->signature_days);
}

static const struct key checks_keys[] = {
	{ "nameservers", h_nameservers },
	{ "dns01", h_dns01 },
	{ "max_inflight", h_inflight },
	{ "signature_days", h_sigdays },
	{ NULL, NULL }
};

static void
h_checks(struct ctx *x, yaml_node_t *n, void *arg)
{
	walk(x, n, checks_keys, arg, "checks");
}

static void
h_trust_anchor(struct ctx *x, yaml_node_t *n, void *arg)
{
	const char	*s;

	(void)arg;
	if ((s = scalar(x, n, "resolver.trust_anchor")) != NULL && *s != '\0') {
		set_str(x, &x->c->trust_anchor, s);
		x->c->ta_line = n->start_mark.line + 1;
		x->c->ta_col = n->start_mark.column + 1;
	}
}

static void
h_root_hints(struct ctx *x, yaml_node_t *n, void *arg)
{
	const char	*s;

	(void)arg;
	if ((s = scalar(x, n, "resolver.root_hints")) != NULL && *s != '\0') {
		set_str(x, &x->c->root_hints, s);
		x->c->hints_line = n->start_mark.line + 1;
		x->c->hints_col = n->start_mark.column + 1;
	}
}

static void
h_forward(struct ctx *x, yaml_node_t *n, void *arg)
{
	yaml_node_item_t	*i;
	yaml_node_t		*e;
	const char		*s, *why;

	(void)arg;
	if (n->type != YAML_SEQUENCE_NODE) {
		err(x, n, "resolver.forward must be a list of addresses, not "
		    "%s", node_type(n));
		return;
	}
	for (i = n->data.sequence.items.start; i < n->data.sequence.items.top;
	    i++) {
		e = yaml_document_get_node(x->doc, *i);
		if ((s = scalar(x, e, "resolver.forward entry")) == NULL)
			continue;
		if ((why = policy_check_forward(s)) != NULL) {
			err(x, e, "\"%.64s\": %s", s, why);
			continue;
		}
		(void)push_str(x, &x->c->forward, &x->c->nforward, s);
	}
}

static void
h_options(struct ctx *x, yaml_node_t *n, void *arg)
{
	yaml_node_pair_t	*p;
	yaml_node_t		*k, *v;
	const char		*ks, *vs;
	struct conf_option	*o;

	(void)arg;
	if (n->type != YAML_MAPPING_NODE) {
		err(x, n, "resolver.options must be a mapping of libunbound "
		    "options, not %s", node_type(n));
		return;
	}
	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top;
	    p++) {
		k = yaml_document_get_node(x->doc, p->key);
		v = yaml_document_get_node(x->doc, p->value);
		if ((ks = scalar(x, k, "resolver.options key")) == NULL ||
		    (vs = scalar(x, v, "resolver.options value")) == NULL)
			continue;
		if (*ks == '\0' || strchr(ks, ':') != NULL) {
			err(x, k, "resolver.options key \"%.64s\" must be a "
			    "libunbound option name without a colon", ks);
			continue;
		}
		o = reallocarray(x->c->options, x->c->noptions + 1,
		    sizeof(*o));
		if (o == NULL) {
			x->nomem = 1;
			return;
		}
		x->c->options = o;
		o = &o[x->c->noptions];
		o->name = strdup(ks);
		o->value = strdup(vs);
		o->line = k->start_mark.line + 1;
		o->col = k->start_mark.column + 1;
		x->c->noptions++;
		if (o->name == NULL || o->value == NULL)
			x->nomem = 1;
	}
}

static const struct key resolver_keys[] = {
	{ "trust_anchor", h_trust_anchor },
	{ "root_hints", h_root_hints },
	{ "forward", h_forward },
	{ "options", h_options },
	{ NULL, NULL }
};

static void
h_resolver(struct ctx *x, yaml_node_t *n, void *arg)
{
	walk(x, n, resolver_keys, arg, "resolver");
}

/* A list of names for a certificate. */
static void
domains(struct ctx *x, yaml_node_t *n, struct conf_cert *cert,
    const char *what)
{
	yaml_node_item_t	*i;
	yaml_node_t		*e;
	const char		*s;
	struct name		 nm;

	if (n->type != YAML_SEQUENCE_NODE) {
		err(x, n, "%s must be a list of names, not %s", what,
		    node_type(n));
		return;
	}
	if (n->data.sequence.items.start == n->data.sequence.items.top)
		err(x, n, "%s is empty", what);
	for (i = n->data.sequence.items.start; i < n->data.sequence.items.top;
	    i++) {
		e = yaml_document_get_node(x->doc, *i);
		if ((s = scalar(x, e, "a name")) == NULL)
			continue;
		if (name_parse(s, &nm) == NAME_INVALID) {
			err(x, e, "invalid name \"%.64s\": %s", s, nm.why);
			continue;
		}
		(void)push_str(x, &cert->domains, &cert->ndomains, s);
	}
}

static struct conf_cert *
new_cert(struct ctx *x)
{
	struct conf_cert	*v;

	v = reallocarray(x->c->certs, x->c->ncerts + 1, sizeof(*v));
	if (v == NULL) {
		x->nomem = 1;
		return NULL;
	}
	x->c->certs = v;
	memset(&v[x->c->ncerts], 0, sizeof(*v));
	return &v[x->c->ncerts++];
}

static void
h_domains(struct ctx *x, yaml_node_t *n, void *arg)
{
	struct conf_cert	*cert;

	(void)arg;
	if ((cert = new_cert(x)) != NULL)
		domains(x, n, cert, "domains");
}

static void
h_cert_name(struct ctx *x, yaml_node_t *n, void *arg)
{
	struct conf_cert	*cert = arg;
	const char		*s;

	if ((s = scalar(x, n, "certificate name")) != NULL)
		set_str(x, &cert->label, s);
}

static void
h_cert_domains(struct ctx *x, yaml_node_t *n, void *arg)
{
	domains(x, n, arg, "certificate domains");
}

static void
h_cert_ca(struct ctx *x, yaml_node_t *n, void *arg)
{
	h_ca(x, n, &((struct conf_cert *)arg)->pol);
}

static void
h_cert_issuer(struct ctx *x, yaml_node_t *n, void *arg)
{
	h_issuer(x, n, &((struct conf_cert *)arg)->pol);
}

static void
h_cert_account(struct ctx *x, yaml_node_t *n, void *arg)
{
	h_account(x, n, &((struct conf_cert *)arg)->pol);
}

static void
h_cert_method(struct ctx *x, yaml_node_t *n, void *arg)
{
	h_method(x, n, &((struct conf_cert *)arg)->pol);
}

static const struct key cert_keys[] = {
	{ "name", h_cert_name },
	{ "domains", h_cert_domains },
	{ "ca", h_cert_ca },
	{ "issuer", h_cert_issuer },
	{ "account_uri", h_cert_account },
	{ "method", h_cert_method },
	{ NULL, NULL }
};

/* Both ca: and issuer: in one mapping is a contradiction. */
static void
exclusive(struct ctx *x, yaml_node_t *map, const char *where)
{
	yaml_node_pair_t	*p;
	yaml_node_t		*k, *ca = NULL, *is = NULL;

	if (map->type != YAML_MAPPING_NODE)
		return;
	for (p = map->data.mapping.pairs.start;
	    p < map->data.mapping.pairs.top; p++) {
		k = yaml_document_get_node(x->doc, p->key);
		if (k == NULL || k->type != YAML_SCALAR_NODE)
			continue;
		if (strcmp((char *)k->data.scalar.value, "ca") == 0)
			ca = k;
		else if (strcmp((char *)k->data.scalar.value, "issuer") == 0)
			is = k;
	}
	if (ca != NULL && is != NULL)
		err(x, is, "%s has both ca and issuer; give one", where);
}

static void
h_certificates(struct ctx *x, yaml_node_t *n, void *arg)
{
	yaml_node_item_t	*i;
	yaml_node_t		*e;
	struct conf_cert	*cert;
	char			 where[64];

	(void)arg;
	if (n->type != YAML_SEQUENCE_NODE) {
		err(x, n, "certificates must be a list, not %s", node_type(n));
		return;
	}
	for (i = n->data.sequence.items.start; i < n->data.sequence.items.top;
	    i++) {
		e = yaml_document_get_node(x->doc, *i);
		(void)snprintf(where, sizeof(where), "certificates[%zu]",
		    (size_t)(i - n->data.sequence.items.start));
		if ((cert = new_cert(x)) == NULL)
			return;
		walk(x, e, cert_keys, cert, where);
		exclusive(x, e, where);
		if (e->type == YAML_MAPPING_NODE && cert->domains == NULL &&
		    !x->nomem)
			err(x, e, "%s has no domains", where);
	}
}

/* SPEC 3 rev. 2: "URL: issuer" for each CA that is not built in. */
static void
h_directories(struct ctx *x, yaml_node_t *n, void *arg)
{
	yaml_node_pair_t	*p;
	yaml_node_t		*k, *v;
	struct conf_directory	*d;
	const char		*url, *issuer, *msg;

	(void)arg;
	if (n->type != YAML_MAPPING_NODE) {
		err(x, n, "directories must be a mapping of ACME directory "
		    "URL to issuer domain, not %s", node_type(n));
		return;
	}
	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top;
	    p++) {
		k = yaml_document_get_node(x->doc, p->key);
		v = yaml_document_get_node(x->doc, p->value);
		if (k == NULL || v == NULL ||
		    (url = scalar(x, k, "a directory URL")) == NULL ||
		    (issuer = scalar(x, v, "a directory's issuer")) == NULL)
			continue;
		if ((msg = policy_check_directory(url)) != NULL) {
			err(x, k, "%s", msg);
			continue;
		}
		if ((msg = policy_check_issuer(issuer)) != NULL) {
			err(x, v, "%s", msg);
			continue;
		}
		d = reallocarray(x->c->directories, x->c->ndirectories + 1,
		    sizeof(*d));
		if (d == NULL) {
			x->nomem = 1;
			return;
		}
		x->c->directories = d;
		d += x->c->ndirectories;
		memset(d, 0, sizeof(*d));
		x->c->ndirectories++;
		set_str(x, &d->url, url);
		set_str(x, &d->issuer, issuer);
	}
}

static void
h_on_unknown(struct ctx *x, yaml_node_t *n, void *arg)
{
	const char	*s;

	(void)arg;
	if ((s = scalar(x, n, "on_unknown")) == NULL)
		return;
	if (strcmp(s, "allow") == 0)
		x->c->on_unknown = CONF_UNKNOWN_ALLOW;
	else if (strcmp(s, "block") == 0)
		x->c->on_unknown = CONF_UNKNOWN_BLOCK;
	else
		err(x, n, "on_unknown must be allow or block, not \"%.32s\"",
		    s);
}

static const struct key top_keys[] = {
	/* walk() hands them the global policy. */
	{ "ca", h_ca },
	{ "issuer", h_issuer },
	{ "account_uri", h_account },
	{ "method", h_method },
	{ "timeout", h_timeout },
	{ "checks", h_checks },
	{ "resolver", h_resolver },
	{ "certificates", h_certificates },
	{ "domains", h_domains },
	{ "directories", h_directories },
	{ "on_unknown", h_on_unknown },
	{ NULL, NULL }
};

/* The line and column (in characters, as libyaml counts) of byte off. */
static void
mark_at(yaml_mark_t *m, const char *buf, size_t off)
{
	size_t	 i;

	m->index = off;
	m->line = m->column = 0;
	for (i = 0; i < off; i++) {
		if (buf[i] == '\n') {
			m->line++;
			m->column = 0;
		} else if (((unsigned char)buf[i] & 0xc0) != 0x80)
			m->column++;
	}
}

/*
 * Whether the text nests collections deeper than CONF_MAXDEPTH, and if
 * so say where.  libyaml's scanner takes time in the square of the
 * depth (300,000 nested "[" kept it busy for minutes); read event by
 * event, it stops at the first level too many.  A syntax error ends
 * this early: the load that follows reports it.
 */
static int
too_deep(struct ctx *x, const char *buf, size_t len)
{
	yaml_parser_t	 parser;
	yaml_event_t	 ev;
	yaml_node_t	 at;
	int		 depth = 0, deep = 0, end = 0;

	if (!yaml_parser_initialize(&parser)) {
		x->nomem = 1;
		return 1;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
	while (!end && !deep && yaml_parser_parse(&parser, &ev)) {
		switch (ev.type) {
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			if (++depth > CONF_MAXDEPTH) {
				memset(&at, 0, sizeof(at));
				at.start_mark = ev.start_mark;
				err(x, &at, "nested deeper than %d levels",
				    CONF_MAXDEPTH);
				deep = 1;
			}
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			depth--;
			break;
		case YAML_STREAM_END_EVENT:
			end = 1;
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	return deep;
}

/* Parse a YAML text into c; errors are named after file. */
static void
load_text(struct ctx *x, const char *buf, size_t len)
{
	yaml_parser_t	 parser;
	yaml_document_t	 doc;
	yaml_node_t	*root;

	if (memchr(buf, '\0', len) != NULL) {
		err(x, NULL, "file contains NUL bytes; not a YAML text");
		return;
	}
	if (too_deep(x, buf, len))
		return;
	if (!yaml_parser_initialize(&parser)) {
		x->nomem = 1;
		return;
	}
	x->doc = &doc;
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
	if (!yaml_parser_load(&parser, &doc)) {
		yaml_node_t	 at;

		memset(&at, 0, sizeof(at));
		at.start_mark = parser.problem_mark;
		/* libyaml marks a bad byte by offset alone. */
		if (parser.error == YAML_READER_ERROR)
			mark_at(&at.start_mark, buf,
			    parser.problem_offset < len ?
			    parser.problem_offset : len);
		err(x, &at, "YAML syntax: %s%s%s", parser.problem ?
		    parser.problem : "error", parser.context ? " " : "",
		    parser.context ? parser.context : "");
		yaml_parser_delete(&parser);
		return;
	}
	/* An empty file is all defaults. */
	if ((root = yaml_document_get_root_node(&doc)) != NULL) {
		walk(x, root, top_keys, &x->c->pol, "the configuration");
		exclusive(x, root, "the configuration");
	}
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
}

int
conf_load_buffer(struct conf *c, const char *name, const char *buf,
    size_t len, struct conf_errors *errs)
{
	struct ctx	 x;
	size_t		 before = errs->n;

	memset(&x, 0, sizeof(x));
	x.file = name;
	x.c = c;
	x.errs = errs;
	free(c->file);
	if ((c->file = strdup(name)) == NULL)
		return -1;
	if (len > CONF_MAXSIZE)
		err(&x, NULL, "file is %zu bytes; a configuration is at most %d",
		    len, CONF_MAXSIZE);
	else
		load_text(&x, buf, len);
	return x.nomem ? -1 : (int)(errs->n - before);
}

int
conf_load(struct conf *c, const char *path, struct conf_errors *errs)
{
	struct ctx	 x;
	char		*buf, why[256];
	size_t		 len = 0, before = errs->n;
	int		 rc;

	memset(&x, 0, sizeof(x));
	x.file = path;
	x.c = c;
	x.errs = errs;
	if ((buf = file_read(path, CONF_MAXSIZE, "a configuration", &len,
	    why, sizeof(why))) == NULL) {
		if (why[0] == '\0')
			return -1;
		err(&x, NULL, "%s", why);
		return (int)(errs->n - before);
	}
	rc = conf_load_buffer(c, path, buf, len, errs);
	free(buf);
	return rc;
}
