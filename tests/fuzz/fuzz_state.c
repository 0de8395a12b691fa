/*
 * Fuzz target: the ACME clients' state files.  The input is cut at
 * "\n--\n" into certbot's renewal configuration, its regr.json, the
 * lineage's cert.pem, acme.sh's <domain>.conf and its ca.conf, lego's
 * certificate resource, account.json and certificate, dehydrated's
 * config, domains.txt and a cert.pem, each
 * written into a folder laid out as the client lays it out; then both
 * readers run over it, and the PEM reader over the whole input.
 */
#include <sys/stat.h>

#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "conf.h"
#include "dehydrated.h"
#include "state.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char	 root[64];

static const char *const files[] = {
	"cb/renewal/x.conf",
	"cb/accounts/h/d/id/regr.json",
	"cb/live/x/cert.pem",
	"acme/x.example/x.example.conf",
	"acme/ca/acme.zerossl.com/v2/DV90/ca.conf",
	"lego/certificates/x.json",
	"lego/accounts/acme-v02.api.letsencrypt.org/e/account.json",
	"lego/certificates/x.crt",
	"dh/config",
	"dh/domains.txt",
	"dh/certs/x.example/cert.pem"
};

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* The folder and all the runs wrote in it, gone when the fuzzer ends. */
static void
cleanup(void)
{
	(void)nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void
mkdirs(const char *path)
{
	char	 p[256], *s;

	snprintf(p, sizeof(p), "%s", path);
	for (s = p + strlen(root) + 1; (s = strchr(s, '/')) != NULL; s++) {
		*s = '\0';
		(void)mkdir(p, 0700);
		*s = '/';
	}
}

static void
put(const char *rel, const uint8_t *data, size_t len)
{
	char	 p[256];
	FILE	*f;

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	mkdirs(p);
	if ((f = fopen(p, "w")) == NULL)
		abort();
	fwrite(data, 1, len, f);
	fclose(f);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf		*c;
	struct conf_cert	 cert;
	const uint8_t		*p = data, *end = data + size, *cut;
	char			 dir[128], why[512];
	time_t			 na;
	size_t			 i;

	if (root[0] == '\0') {
		strcpy(root, "/tmp/fuzz_state.XXXXXX");
		if (mkdtemp(root) == NULL)
			abort();
		(void)atexit(cleanup);
	}
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		cut = p < end ? memmem(p, (size_t)(end - p), "\n--\n", 4) :
		    NULL;
		if (cut == NULL)
			cut = end;
		put(files[i], p, (size_t)(cut - p));
		p = cut < end ? cut + 4 : end;
	}
	if ((c = conf_new()) == NULL)
		return 0;
	snprintf(dir, sizeof(dir), "%s/cb", root);
	(void)state_certbot(c, dir, NULL, 1765000000, why, sizeof(why));
	snprintf(dir, sizeof(dir), "%s/acme", root);
	(void)state_acmesh(c, dir, NULL, 1765000000, why, sizeof(why));
	snprintf(dir, sizeof(dir), "%s/lego", root);
	(void)state_lego(c, dir, NULL, 1765000000, why, sizeof(why));
	snprintf(dir, sizeof(dir), "%s/dh/config", root);
	(void)dehydrated_state(c, dir, NULL, 1765000000, why, sizeof(why));
	conf_free(c);
	memset(&cert, 0, sizeof(cert));
	(void)state_cert_names((const char *)data, size, &cert, &na, why,
	    sizeof(why));
	for (i = 0; i < cert.ndomains; i++)
		free(cert.domains[i]);
	free(cert.domains);
	return 0;
}
