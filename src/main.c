/*
 * caa-preflight: will the CA issue for these names?  Command line,
 * environment, wrapper mode and exit status (SPEC 2, 5.6, 6).
 */
#include <errno.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <getopt.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "caa.h"
#include "check.h"
#include "client.h"
#include "conf.h"
#include "dehydrated.h"
#include "monitor.h"
#include "name.h"
#include "report.h"
#include "result.h"
#include "state.h"

#define DEFAULT_CONF	"/etc/caa-preflight.yaml"

/* SPEC 5.6 */
#define EXIT_OK		0
#define EXIT_REFUSED	1
#define EXIT_DNS	2
#define EXIT_SETUP	3

static void
usage(FILE *f)
{
	fprintf(f,
"usage: caa-preflight [-nqv] [-c file] [--ca name] [--issuer domain]\n"
"                     [--account-uri uri] [--method method] [--timeout s]\n"
"                     [--format text|json|certificates|nagios]\n"
"                     [--output file] [--prometheus file] [--hook]\n"
"                     [name ...]\n"
"       caa-preflight [options] --certbot[=dir] | --acme-sh[=dir] |\n"
"                     --lego[=dir] | --dehydrated[=config]\n"
"                     [--cert-name name] [--all]\n"
"       caa-preflight [options] -- command [argument ...]\n");
}

static void
help(void)
{
	usage(stdout);
	printf(
"\n"
"Check, before an ACME order, that the CA's CAA check will pass for every\n"
"name.  Names come from the arguments, else from the ACME client's state\n"
"(--certbot, --acme-sh, --lego, --dehydrated), else from the wrapped\n"
"command's -d/--domain(s), else from Le_Domain/Le_Alt (acme.sh) or\n"
"LEGO_HOOK_CERT_DOMAINS (lego), else from the configuration file.  What\n"
"the client says of a certificate (CA, method, account) wins over the\n"
"configuration's defaults.\n"
"\n"
"  -c, --config FILE     configuration (default " DEFAULT_CONF ",\n"
"                        if it exists)\n"
"      --ca NAME         letsencrypt, zerossl, buypass, google, sslcom, sectigo\n"
"      --issuer DOMAIN   the CA's CAA issuer domain (instead of --ca)\n"
"      --account-uri URI ACME account URI, for CAA accounturi (RFC 8657)\n"
"      --method METHOD   http-01, dns-01, tls-alpn-01, dns-account-01 or\n"
"                        dns-persist-01 (wildcards: a DNS-based one)\n"
"      --timeout SECONDS deadline for the whole run (default 15)\n"
"      --format FORMAT   text (default, on standard error), json,\n"
"                        certificates (a line each, for scripts; stdout)\n"
"                        or nagios (a plugin's output and exit status)\n"
"      --output FILE     write the JSON report to FILE (replaced whole)\n"
"      --prometheus FILE write Prometheus metrics to FILE (replaced whole;\n"
"                        node_exporter's textfile collector)\n"
"      --certbot[=DIR]   check certbot's certificates (default\n"
"                        /etc/letsencrypt)\n"
"      --acme-sh[=DIR]   check acme.sh's certificates (default\n"
"                        $LE_WORKING_DIR, else ~/.acme.sh)\n"
"      --lego[=DIR]      check lego's certificates (default $LEGO_PATH,\n"
"                        else ./.lego)\n"
"      --dehydrated[=CONFIG] check dehydrated's certificates (default\n"
"                        /etc/dehydrated/config)\n"
"      --cert-name NAME  only the client's certificate NAME\n"
"      --all             every certificate decides, not only those due\n"
"      --hook            the names come from an ACME client's hook: one\n"
"                        that cannot be checked does not block unless\n"
"                        on_unknown: block\n"
"  -n, --check-config    check the configuration and names, then exit\n"
"  -q, --quiet           print only what blocks (refusals, failures, names\n"
"                        not checked), no warnings or summary\n"
"  -v, --verbose         trace every query\n"
"      --help, --version\n"
"\n"
"Exit status: 0 every name will pass, 1 CAA refuses a name, 2 DNS problem,\n"
"3 the check could not be done; in wrapper mode, the command's own status\n"
"(127: not found, 126: cannot be run).\n");
}

/* The names to check, each with the certificate it belongs to. */
struct names {
	const char		**v;
	const struct conf_cert	**cert;
	size_t			  n;
};

static int
names_add(struct names *ns, const char *s, const struct conf_cert *cert)
{
	const char		**v;
	const struct conf_cert	**c;

	if ((v = reallocarray(ns->v, ns->n + 1, sizeof(*v))) == NULL)
		return -1;
	ns->v = v;
	if ((c = reallocarray(ns->cert, ns->n + 1, sizeof(*c))) == NULL)
		return -1;
	ns->cert = c;
	ns->v[ns->n] = s;
	ns->cert[ns->n] = cert;
	ns->n++;
	return 0;
}

struct name_ref {
	const char	*name;
	uintptr_t	 cert;
	size_t		 i;
};

static int
name_ref_cmp(const void *a, const void *b)
{
	const struct name_ref	*x = a, *y = b;
	int			 c;

	if (x->cert != y->cert)
		return x->cert < y->cert ? -1 : 1;
	if ((c = strcmp(x->name, y->name)) != 0)
		return c;
	return x->i < y->i ? -1 : x->i > y->i;
}

/*
 * Which names repeat one given before them for the same certificate (a
 * domain listed as main and alternative name): an array of flags, or
 * NULL when out of memory.  Sorted, not compared pairwise: that grew
 * with the square of the names (10,000 names: 190 ms before any lookup,
 * against 60 ms now).
 */
static char *
names_repeats(const struct names *ns)
{
	struct name_ref	*r;
	char		*rep;
	size_t		 i;

	if ((rep = calloc(ns->n + 1, 1)) == NULL)
		return NULL;
	if ((r = reallocarray(NULL, ns->n + 1, sizeof(*r))) == NULL) {
		free(rep);
		return NULL;
	}
	for (i = 0; i < ns->n; i++) {
		r[i].name = ns->v[i];
		r[i].cert = (uintptr_t)ns->cert[i];
		r[i].i = i;
	}
	qsort(r, ns->n, sizeof(*r), name_ref_cmp);
	for (i = 1; i < ns->n; i++)
		if (r[i].cert == r[i - 1].cert &&
		    strcmp(r[i].name, r[i - 1].name) == 0)
			rep[r[i].i] = 1;
	free(r);
	return rep;
}

static void
names_free(struct names *ns)
{
	free(ns->v);
	free(ns->cert);
}

/* The names of certificates first to c->ncerts, not checked when the
 * certificate could not be read (its report line says why). */
static int
names_from_certs(struct names *ns, const struct conf *c, size_t first)
{
	size_t	 i, j;

	for (i = first; i < c->ncerts; i++)
		for (j = 0; j < c->certs[i].ndomains; j++)
			if (c->certs[i].problem == NULL &&
			    names_add(ns, c->certs[i].domains[j],
			    &c->certs[i]) == -1)
				return -1;
	return 0;
}

enum {
	OPT_CA = 256,
	OPT_ISSUER,
	OPT_ACCOUNT,
	OPT_METHOD,
	OPT_TIMEOUT,
	OPT_FORMAT,
	OPT_OUTPUT,
	OPT_PROMETHEUS,
	OPT_CERTBOT,
	OPT_ACMESH,
	OPT_LEGO,
	OPT_DEHYDRATED,
	OPT_CERT_NAME,
	OPT_ALL,
	OPT_HOOK,
	OPT_HELP,
	OPT_VERSION
};

static const struct option longopts[] = {
	{ "config", required_argument, NULL, 'c' },
	{ "check-config", no_argument, NULL, 'n' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "ca", required_argument, NULL, OPT_CA },
	{ "issuer", required_argument, NULL, OPT_ISSUER },
	{ "account-uri", required_argument, NULL, OPT_ACCOUNT },
	{ "method", required_argument, NULL, OPT_METHOD },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "output", required_argument, NULL, OPT_OUTPUT },
	{ "prometheus", required_argument, NULL, OPT_PROMETHEUS },
	{ "certbot", optional_argument, NULL, OPT_CERTBOT },
	{ "acme-sh", optional_argument, NULL, OPT_ACMESH },
	{ "lego", optional_argument, NULL, OPT_LEGO },
	{ "dehydrated", optional_argument, NULL, OPT_DEHYDRATED },
	{ "cert-name", required_argument, NULL, OPT_CERT_NAME },
	{ "all", no_argument, NULL, OPT_ALL },
	{ "hook", no_argument, NULL, OPT_HOOK },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 }
};

/* SPEC 8: the clients whose own state is read, and where it is. */
static const struct state_client {
	int		 opt;
	const char	*option;	/* without "--" */
	const char	*name;		/* as reports say it */
	const char	*env;		/* the folder, else */
	const char	*home;		/* this under $HOME, else */
	const char	*dir;		/* this */
	int		(*read)(struct conf *, const char *, const char *,
			    time_t, char *, size_t);
} state_clients[] = {
	{ OPT_CERTBOT, "certbot", "certbot", NULL, NULL, "/etc/letsencrypt",
	    state_certbot },
	{ OPT_ACMESH, "acme-sh", "acme.sh", "LE_WORKING_DIR", ".acme.sh",
	    NULL, state_acmesh },
	{ OPT_LEGO, "lego", "lego", "LEGO_PATH", NULL, "./.lego",
	    state_lego },
	{ OPT_DEHYDRATED, "dehydrated", "dehydrated", NULL, NULL,
	    "/etc/dehydrated/config", dehydrated_state }
};

/* Command-line settings, applied over the configuration file. */
struct cli {
	const char	*conffile;
	const char	*ca;
	const char	**issuers;
	size_t		 nissuers;
	const char	*account;
	const char	*method;
	int		 timeout;
	int		 checkonly;
	const char	*output;	/* --output FILE (JSON) */
	const char	*prometheus;	/* --prometheus FILE */
	const struct state_client *client; /* --certbot, ... */
	const char	*state;		/* its folder */
	const char	*cert_name;	/* --cert-name */
	int		 all;
	int		 hook;
	const char	*nothing;	/* a client's state without any
					   certificate: this folder */
	struct report_opts ro;
	int		 nargs;		/* argv up to the first "--" */
	char		**cmd;		/* the wrapped command, or NULL */
	int		 bad;		/* errors in the input */
};

/* Apply the command line over the file: it wins everywhere. */
static int
apply_cli(struct conf *c, const struct cli *cl)
{
	size_t	 i;

	if (cl->timeout > 0)
		c->timeout = cl->timeout;
	if (cl->ca != NULL && policy_set_ca(&c->pol, cl->ca) == -1)
		return -1;
	if (cl->nissuers > 0 &&
	    policy_set_issuers(&c->pol, cl->issuers, cl->nissuers) == -1)
		return -1;
	if (cl->account != NULL) {
		free(c->pol.account_uri);
		if ((c->pol.account_uri = strdup(cl->account)) == NULL)
			return -1;
	}
	if (cl->method != NULL) {
		free(c->pol.method);
		if ((c->pol.method = strdup(cl->method)) == NULL)
			return -1;
	}
	for (i = 0; i < c->ncerts; i++) {
		struct policy *p = &c->certs[i].pol;

		struct policy keep = *p;

		/* Clear the overridden fields so the global applies. */
		if (cl->ca != NULL || cl->nissuers > 0) {
			keep.ca = NULL;
			keep.issuers = NULL;
			keep.nissuers = 0;
		} else {
			p->ca = NULL;
			p->issuers = NULL;
			p->nissuers = 0;
		}
		if (cl->account != NULL)
			keep.account_uri = NULL;
		else
			p->account_uri = NULL;
		if (cl->method != NULL)
			keep.method = NULL;
		else
			p->method = NULL;
		policy_clear(p);
		*p = keep;
	}
	return 0;
}

/* An option's value that is wrong: say so and count it. */
static void
bad_value(struct cli *cl, const char *opt, const char *val, const char *why)
{
	report_msg(stderr, "%s %s: %s", opt, val, why);
	cl->bad++;
}

/* One option of getopt_long(); -1 to go on, else the exit status. */
static int
option(struct cli *cl, int ch)
{
	const char	*msg, **iv;
	char		*end;
	long		 t;
	size_t		 i;

	switch (ch) {
	case 'c':
		cl->conffile = optarg;
		break;
	case 'n':
		cl->checkonly = 1;
		break;
	case 'q':
		cl->ro.quiet = 1;
		break;
	case 'v':
		cl->ro.verbose = 1;
		break;
	case OPT_CA:
		if (caa_ca_issuer(optarg) == NULL)
			bad_value(cl, "--ca", optarg, "unknown CA (known: "
			    "letsencrypt, zerossl, buypass, google, sslcom, "
			    "sectigo; or use --issuer)");
		cl->ca = optarg;
		break;
	case OPT_ISSUER:
		if ((msg = policy_check_issuer(optarg)) != NULL)
			bad_value(cl, "--issuer", optarg, msg);
		if ((iv = reallocarray(cl->issuers, cl->nissuers + 1,
		    sizeof(*iv))) == NULL) {
			report_msg(stderr, "out of memory");
			return EXIT_SETUP;
		}
		cl->issuers = iv;
		cl->issuers[cl->nissuers++] = optarg;
		break;
	case OPT_ACCOUNT:
		if ((msg = policy_check_uri(optarg)) != NULL)
			bad_value(cl, "--account-uri", optarg, msg);
		cl->account = optarg;
		break;
	case OPT_METHOD:
		if ((msg = policy_check_method(optarg)) != NULL)
			bad_value(cl, "--method", optarg, msg);
		cl->method = optarg;
		break;
	case OPT_TIMEOUT:
		errno = 0;
		t = strtol(optarg, &end, 10);
		if (*optarg == '\0' || *end != '\0' || errno != 0 || t < 1 ||
		    t > 3600)
			bad_value(cl, "--timeout", optarg, "must be a whole "
			    "number of seconds from 1 to 3600");
		else
			cl->timeout = (int)t;
		break;
	case OPT_FORMAT:
		if (strcmp(optarg, "text") == 0)
			cl->ro.format = REPORT_TEXT;
		else if (strcmp(optarg, "json") == 0)
			cl->ro.format = REPORT_JSON;
		else if (strcmp(optarg, "certificates") == 0)
			cl->ro.format = REPORT_CERTS;
		else if (strcmp(optarg, "nagios") == 0)
			cl->ro.format = REPORT_NAGIOS;
		else
			bad_value(cl, "--format", optarg, "must be text, json, "
			    "certificates or nagios");
		break;
	case OPT_OUTPUT:
		cl->output = optarg;
		break;
	case OPT_PROMETHEUS:
		cl->prometheus = optarg;
		break;
	case OPT_CERTBOT:
	case OPT_ACMESH:
	case OPT_LEGO:
	case OPT_DEHYDRATED:
		if (cl->client != NULL) {
			report_msg(stderr, "--certbot, --acme-sh, --lego and "
			    "--dehydrated exclude each other");
			cl->bad++;
		}
		for (i = 0; state_clients[i].opt != ch; i++)
			continue;
		cl->client = &state_clients[i];
		cl->state = optarg;
		break;
	case OPT_CERT_NAME:
		cl->cert_name = optarg;
		break;
	case OPT_ALL:
		cl->all = 1;
		break;
	case OPT_HOOK:
		cl->hook = 1;
		break;
	case OPT_HELP:
		help();
		return EXIT_OK;
	case OPT_VERSION:
		printf("caa-preflight %s\n", CAA_PREFLIGHT_VERSION);
		return EXIT_OK;
	default:
		usage(stderr);
		return EXIT_SETUP;
	}
	return -1;
}

/*
 * The command line: options before the first "--", the names after
 * them, and the wrapped command after "--".  -1 to go on, else the exit
 * status (--help, --version, a usage error).
 */
static int
parse_args(int argc, char *argv[], struct cli *cl)
{
	int	 i, ch, rc;

	cl->nargs = argc;
	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--") == 0) {
			cl->nargs = i;
			if (i + 1 == argc) {
				report_msg(stderr, "no command after \"--\"");
				usage(stderr);
				return EXIT_SETUP;
			}
			cl->cmd = &argv[i + 1];
			break;
		}
	while ((ch = getopt_long(cl->nargs, argv, "c:nqv", longopts,
	    NULL)) != -1)
		if ((rc = option(cl, ch)) != -1)
			return rc;
	if (cl->ca != NULL && cl->nissuers > 0) {
		report_msg(stderr, "--ca and --issuer exclude each other");
		cl->bad++;
	}
	if (cl->client != NULL && (optind < cl->nargs || cl->cmd != NULL)) {
		report_msg(stderr, "--%s reads the names from the client's "
		    "state: give no names and no command", cl->client->option);
		cl->bad++;
	}
	if ((cl->cert_name != NULL || cl->all) && cl->client == NULL) {
		report_msg(stderr, "%s needs --certbot, --acme-sh, --lego or "
		    "--dehydrated",
		    cl->all ? "--all" : "--cert-name");
		cl->bad++;
	}
	/* SPEC 5.6: never on the wrapped command's standard output. */
	if (cl->cmd != NULL && cl->ro.format != REPORT_TEXT &&
	    cl->output == NULL) {
		report_msg(stderr, "--format %s writes to standard output, "
		    "which in wrapper mode is the command's: use --output "
		    "FILE (JSON)", cl->ro.format == REPORT_JSON ? "json" :
		    cl->ro.format == REPORT_CERTS ? "certificates" : "nagios");
		cl->bad++;
	}
	if (cl->output != NULL && cl->ro.format != REPORT_TEXT &&
	    cl->ro.format != REPORT_JSON) {
		report_msg(stderr, "--output writes JSON; --format %s goes to "
		    "standard output", cl->ro.format == REPORT_CERTS ?
		    "certificates" : "nagios");
		cl->bad++;
	}
	if (cl->output != NULL)
		cl->ro.format = REPORT_JSON;
	return -1;
}

/*
 * SPEC 3: the configuration file always supplies the settings; every
 * error in it is printed and counted.  0, or -1 when memory ran out.
 */
static int
load_conf(struct cli *cl, struct conf *c)
{
	struct conf_errors	 errs = { NULL, 0 };
	size_t			 j;
	int			 n;

	if (cl->conffile == NULL && access(DEFAULT_CONF, F_OK) == 0)
		cl->conffile = DEFAULT_CONF;
	if (cl->conffile == NULL)
		return 0;
	if ((n = conf_load(c, cl->conffile, &errs)) == -1)
		return -1;
	for (j = 0; j < errs.n; j++)
		fprintf(stderr, "%s\n", errs.msgs[j]);
	conf_errors_free(&errs);
	cl->bad += n;
	return 0;
}

/*
 * The resolver's settings, checked before any query (and by -n): an
 * unknown option or a missing trust anchor is a configuration error at
 * its line, not a failure once the run has started.  -1 to stop.
 */
static int
settings(const struct conf *c, struct cli *cl)
{
	struct conf_errors	 errs = { NULL, 0 };
	size_t			 j;
	int			 n;

	if ((n = check_settings(c, &errs)) == -1)
		report_msg(stderr, "out of memory");
	for (j = 0; j < errs.n; j++)
		fprintf(stderr, "%s\n", errs.msgs[j]);
	conf_errors_free(&errs);
	if (n != 0)
		cl->bad++;
	return n != 0 ? -1 : 0;
}

/*
 * SPEC 8: the certificates of --certbot, --acme-sh or --lego.  How
 * many, or -1 when memory ran out; a state that cannot be read at all
 * is an error.
 */
static int
client_state(struct cli *cl, struct conf *c)
{
	static char	 buf[PATH_MAX];
	const char	*dir = cl->state, *env;
	char		 why[PATH_MAX + 128];
	int		 n;

	if (dir == NULL && cl->client->env != NULL &&
	    (env = getenv(cl->client->env)) != NULL && *env != '\0')
		dir = env;
	if (dir == NULL && cl->client->home != NULL) {
		if ((env = getenv("HOME")) == NULL)
			env = "";
		(void)snprintf(buf, sizeof(buf), "%s/%s", env,
		    cl->client->home);
		dir = buf;
	}
	if (dir == NULL)
		dir = cl->client->dir;
	n = cl->client->read(c, dir, cl->cert_name, time(NULL), why,
	    sizeof(why));
	if (n == -2) {
		report_msg(stderr, "%s", why);
		cl->bad++;
		return 0;
	}
	if (n == 0 && cl->cert_name != NULL) {
		report_msg(stderr, "%s: %s has no certificate named %s", dir,
		    cl->client->name, cl->cert_name);
		cl->bad++;
	} else if (n == 0)
		cl->nothing = dir;
	return n;
}

/* SPEC 2: the first source that gives any names.  0, or -1 (memory). */
static int
gather_names(struct names *ns, struct cli *cl, char *argv[], struct conf *c)
{
	size_t	 first = c->ncerts;
	int	 i, rc = 0;

	for (i = optind; i < cl->nargs; i++)
		if (names_add(ns, argv[i], NULL) == -1)
			return -1;
	if (ns->n > 0)
		return 0;
	if (cl->client != NULL)
		rc = client_state(cl, c);
	else if (cl->cmd != NULL)
		rc = client_from_command(c, cl->cmd);
	if (rc == 0 && cl->client == NULL)
		rc = client_from_env(c);
	if (rc == -1)
		return -1;
	/* SPEC 5.6: names from an ACME client: not checked is not a no. */
	if (rc > 0 || cl->client != NULL)
		c->gate = 1;
	return names_from_certs(ns, c, rc > 0 || cl->client ? first : 0);
}

/*
 * Every name into the check, the same name twice (main and alternative
 * names) once; each invalid one is printed and counted.  0, or -1.
 */
static int
add_names(struct check *k, const struct names *ns, struct cli *cl)
{
	char	*repeats, why[512];
	size_t	 j;

	if ((repeats = names_repeats(ns)) == NULL ||
	    check_reserve(k, ns->n) == -1) {
		free(repeats);
		return -1;
	}
	for (j = 0; j < ns->n; j++) {
		if (repeats[j])
			continue;
		if (check_add(k, ns->v[j], ns->cert[j], why,
		    sizeof(why)) == -1) {
			report_msg(stderr, "%s: invalid name: %s", ns->v[j],
			    why);
			cl->bad++;
		}
	}
	free(repeats);
	return 0;
}

/* One file, as execvp(3) would take it: 0, 126 (not runnable) or 127. */
static int
runnable(const char *path)
{
	struct stat	 st;

	if (stat(path, &st) == -1)
		return 127;
	if (S_ISDIR(st.st_mode) || access(path, X_OK) == -1)
		return 126;
	return 0;
}

/*
 * SPEC 5.6: the wrapped command is looked for as execvp(3) does, before
 * any query: one that is not found is 127, one that cannot be executed
 * 126, as env(1) and timeout(1) say; nothing is checked for it.
 */
static int
find_command(const char *cmd)
{
	const char	*path = getenv("PATH"), *p, *colon;
	char		 buf[4096];
	int		 rc, best = 127;
	size_t		 n;

	if (strchr(cmd, '/') != NULL)
		rc = runnable(cmd);
	else {
		if (path == NULL)
			path = "/usr/local/bin:/bin:/usr/bin";
		for (p = path, rc = 127; rc != 0; p = colon + 1) {
			colon = strchr(p, ':');
			n = colon != NULL ? (size_t)(colon - p) : strlen(p);
			if (snprintf(buf, sizeof(buf), "%.*s%s%s", (int)n, p,
			    n > 0 ? "/" : "./", cmd) < (int)sizeof(buf) &&
			    (rc = runnable(buf)) == 126)
				best = 126;
			if (colon == NULL)
				break;
		}
		if (rc != 0)
			rc = best;
	}
	if (rc == 127)
		report_msg(stderr, "%s: command not found", cmd);
	else if (rc == 126)
		report_msg(stderr, "%s: cannot run: not an executable file", cmd);
	return rc;
}

/* SPEC 5.5: the trace, the JSON document and the text, as asked. */
static void
report(const struct cli *cl, const struct result_run *run)
{
	if (cl->ro.verbose && !cl->ro.quiet)
		report_trace(stderr, run);
	if (cl->ro.format == REPORT_JSON && cl->output == NULL)
		report_json(stdout, run);
	else if (cl->ro.format == REPORT_CERTS)
		report_certs(stdout, run);
	/* A plugin's output is its standard output: the report follows. */
	if (cl->ro.format == REPORT_NAGIOS) {
		monitor_nagios(stdout, run);
		report_text(stdout, run, &cl->ro);
	} else
		report_text(stderr, run, &cl->ro);
}

/* Standard output's buffer when it is no terminal, and write_file()'s. */
#define OUTBUF	(256 * 1024)
static char	 outbuf[OUTBUF];

/* The writers of write_file(). */
typedef void (*writer)(FILE *, const struct result_run *, time_t);

static void
json_writer(FILE *f, const struct result_run *run, time_t when)
{
	(void)when;
	report_json(f, run);
}

/*
 * --output FILE (JSON) and --prometheus FILE: the report, written whole
 * beside FILE and renamed over it, so that a reader never sees half of
 * one; readable by all, as the umask allows (node_exporter runs as its
 * own user).  0, or -1 said.
 */
static int
write_file(const char *path, const char *what, writer fn,
    const struct result_run *run)
{
	char	 tmp[PATH_MAX], *buf = NULL;
	FILE	*f = NULL;
	int	 fd = -1, saved, made = 0;
	mode_t	 mask;

	if (snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= (int)sizeof(tmp)) {
		errno = ENAMETOOLONG;
		goto fail;
	}
	if ((fd = mkstemp(tmp)) == -1)
		goto fail;
	made = 1;
	mask = umask(0);
	(void)umask(mask);
	if (fchmod(fd, 0644 & ~mask) == -1 || (f = fdopen(fd, "w")) == NULL)
		goto fail;
	fd = -1;
	/* Large writes, as standard output's; stdio's own when no memory. */
	if ((buf = malloc(OUTBUF)) != NULL)
		(void)setvbuf(f, buf, _IOFBF, OUTBUF);
	fn(f, run, time(NULL));
	if (fflush(f) == EOF || ferror(f) || fsync(fileno(f)) == -1)
		goto fail;
	if (fclose(f) == EOF) {
		f = NULL;
		goto fail;
	}
	f = NULL;
	free(buf);
	buf = NULL;
	if (rename(tmp, path) == -1)
		goto fail;
	return 0;
fail:
	saved = errno;
	if (f != NULL)
		fclose(f);
	free(buf);
	if (fd != -1)
		close(fd);
	if (made)
		(void)unlink(tmp);
	report_msg(stderr, "cannot write the %s to %s: %s", what, path,
	    strerror(saved));
	return -1;
}

/*
 * The run's reports, each where it was asked for, and the exit status:
 * the run's, or the plugin's state (SPEC 5.7); -1 when a report could
 * not be written (said on standard error: it is not a result).
 */
static int
deliver(const struct cli *cl, const struct result_run *run)
{
	report(cl, run);
	if ((cl->output != NULL && write_file(cl->output, "JSON report",
	    json_writer, run) == -1) || (cl->prometheus != NULL &&
	    write_file(cl->prometheus, "Prometheus metrics",
	    monitor_prometheus, run) == -1))
		return -1;
	if (cl->ro.format != REPORT_TEXT && cl->output == NULL &&
	    (fflush(stdout) == EOF || ferror(stdout))) {
		report_msg(stderr, "cannot write the %s report to standard "
		    "output: %s", cl->ro.format == REPORT_JSON ? "JSON" :
		    cl->ro.format == REPORT_CERTS ? "certificates" : "nagios",
		    strerror(errno));
		return -1;
	}
	return cl->ro.format == REPORT_NAGIOS ? (int)monitor_state(run) :
	    run->exit;
}

/* The limit on open files as given: the wrapped command gets it back. */
static struct rlimit	 nofile;
static int		 nofile_raised;

/*
 * As high as the hard limit lets (65,536 at most): a large run keeps a
 * descriptor for each UDP port of its resolvers and each socket of its
 * nameserver check (see check.c), and the common soft limit of 1,024
 * is less than that.
 */
static void
raise_nofile(void)
{
	struct rlimit	 up;

	if (getrlimit(RLIMIT_NOFILE, &nofile) == -1)
		return;
	up = nofile;
	up.rlim_cur = nofile.rlim_max == RLIM_INFINITY ||
	    nofile.rlim_max > 65536 ? 65536 : nofile.rlim_max;
	if (up.rlim_cur > nofile.rlim_cur && setrlimit(RLIMIT_NOFILE, &up) == 0)
		nofile_raised = 1;
}

int
main(int argc, char *argv[])
{
	struct cli		 cl;
	struct conf		*c = NULL;
	struct check		*k = NULL;
	struct names		 ns;
	const struct result_run	*run = NULL;
	char			 why[512];
	int			 rc;

	/*
	 * One malloc arena for every thread (ours and libunbound's): with
	 * glibc's default each resolver's thread gets its own, and memory
	 * freed in one arena is not reused by the others.  10,000 names
	 * with the nameserver check: peak RSS 71-87 MiB with two arenas,
	 * 52-53 MiB with one, and the same wall time (4.60-5.50 s against
	 * 4.66-5.24 s, three runs each, alternated); with four threads,
	 * 58 MiB against 60-63 MiB, and no faster.  Set before the
	 * resolvers' threads' first malloc.
	 */
#ifdef M_ARENA_MAX
	(void)mallopt(M_ARENA_MAX, 1);
#endif
	/*
	 * A report to a file or a pipe in large writes: stdio's 4 KiB
	 * made 2,800 write()s of the 12 MB of JSON of 10,000 names.  A
	 * terminal keeps its line buffering.  Before anything is written.
	 */
	if (!isatty(STDOUT_FILENO))
		(void)setvbuf(stdout, outbuf, _IOFBF, sizeof(outbuf));
	raise_nofile();
	memset(&cl, 0, sizeof(cl));
	memset(&ns, 0, sizeof(ns));
	if ((rc = parse_args(argc, argv, &cl)) != -1)
		goto done;
	rc = EXIT_SETUP;
	if ((c = conf_new()) == NULL || load_conf(&cl, c) == -1)
		goto nomem;
	if (cl.bad > 0 || settings(c, &cl) == -1)
		goto out;
	if (cl.cmd != NULL && !cl.checkonly &&
	    (rc = find_command(cl.cmd[0])) != 0)
		goto out;
	rc = EXIT_SETUP;
	c->all = cl.all;
	/* SPEC 5.6: so is wrapper mode, whatever gave the names. */
	c->gate = cl.hook || cl.cmd != NULL;
	if (apply_cli(c, &cl) == -1 || gather_names(&ns, &cl, argv, c) == -1 ||
	    (k = check_new(c)) == NULL || add_names(k, &ns, &cl) == -1)
		goto nomem;
	if (cl.bad > 0)
		goto out;
	if (cl.checkonly) {
		if (!cl.ro.quiet)
			report_msg(stderr, "%s: configuration ok, %zu name%s",
			    cl.conffile ? cl.conffile : "(no file)", ns.n,
			    ns.n == 1 ? "" : "s");
		rc = EXIT_OK;
		goto out;
	}
	if (ns.n == 0 && cl.nothing != NULL) {
		/* Nothing will be ordered, so nothing can be blocked. */
		report_msg(stderr, "%s: %s manages no certificate: nothing to "
		    "check", cl.nothing, cl.client->name);
		rc = EXIT_OK;
		goto out;
	}
	if (ns.n == 0 && c->ncerts == 0) {
		report_msg(stderr, "no names to check: give them as arguments, "
		    "with --certbot, --acme-sh, --lego or --dehydrated, as "
		    "-d/--domain(s) of a command after --, in Le_Domain/Le_Alt "
		    "(acme.sh) or LEGO_HOOK_CERT_DOMAINS (lego), or in the "
		    "configuration's certificates or domains");
		goto out;
	}
	if ((run = check_run(k, why, sizeof(why))) == NULL) {
		report_msg(stderr, "%s", why);
		goto out;
	}
	if ((rc = deliver(&cl, run)) == -1) {
		rc = EXIT_SETUP;
		goto out;
	}
	if (cl.cmd != NULL && rc == EXIT_OK) {
		fflush(stdout);
		fflush(stderr);
		check_free(k);
		conf_free(c);
		names_free(&ns);
		free(cl.issuers);
		if (nofile_raised)
			(void)setrlimit(RLIMIT_NOFILE, &nofile);
		/* SPEC 2.2: no shell, ever. */
		execvp(cl.cmd[0], cl.cmd);
		report_msg(stderr, "%s: cannot run: %s", cl.cmd[0],
		    strerror(errno));
		return errno == ENOENT ? 127 : 126;
	}
	/* Never silent: the block is said, -q or not. */
	if (cl.cmd != NULL)
		report_msg(stderr, "not running %s: the check failed",
		    cl.cmd[0]);
	goto out;
nomem:
	report_msg(stderr, "out of memory");
	rc = EXIT_SETUP;
out:
	/* A plugin that could not check says so where Nagios reads. */
	if (cl.ro.format == REPORT_NAGIOS && rc == EXIT_SETUP && run == NULL)
		printf("CAA-PREFLIGHT UNKNOWN - the check could not be done: "
		    "the reason is on standard error\n");
	check_free(k);
	conf_free(c);
	names_free(&ns);
done:
	free(cl.issuers);
	fflush(stdout);
	return rc;
}
