/*
 * statefix: the fixtures the state readers' unit tests share: a fresh
 * folder per test, files written into it, and certificates made with
 * libcrypto.  Included by one test file each; its functions are
 * static.
 */
#ifndef STATEFIX_H
#define STATEFIX_H

#include <sys/stat.h>
#include <sys/wait.h>

#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "conf.h"

#define DAY	86400

static char	 dir[64];
static time_t	 now;

static void
setup(void)
{
	strcpy(dir, "/tmp/check_state.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	now = time(NULL);
}

static void
teardown(void)
{
	char	*argv[] = { "rm", "-rf", dir, NULL };
	pid_t	 pid;

	/* No shell: rm(1) by execvp. */
	if ((pid = fork()) == 0) {
		execvp(argv[0], argv);
		_exit(127);
	}
	(void)waitpid(pid, NULL, 0);
}

/* Write text to dir/rel, making its folders. */
static void
put(const char *rel, const char *text)
{
	char	 p[PATH_MAX], *s;
	FILE	*f;

	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	for (s = p + strlen(dir) + 1; (s = strchr(s, '/')) != NULL; s++) {
		*s = '\0';
		(void)mkdir(p, 0700);
		*s = '/';
	}
	ck_assert_ptr_nonnull(f = fopen(p, "w"));
	fputs(text, f);
	fclose(f);
}

/* A self-signed certificate for sans, expiring in days. */
static void
put_cert(const char *rel, const char *sans, long days)
{
	EVP_PKEY	*key;
	X509		*x;
	X509V3_CTX	 ctx;
	X509_EXTENSION	*ext;
	BIO		*b;
	char		 p[PATH_MAX];

	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	put(rel, "");
	ck_assert_ptr_nonnull(key = EVP_EC_gen("P-256"));
	ck_assert_ptr_nonnull(x = X509_new());
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
	X509_gmtime_adj(X509_getm_notBefore(x), -DAY);
	X509_gmtime_adj(X509_getm_notAfter(x), days * DAY);
	X509_set_pubkey(x, key);
	X509_set_issuer_name(x, X509_get_subject_name(x));
	X509V3_set_ctx(&ctx, x, x, NULL, NULL, 0);
	ck_assert_ptr_nonnull(ext = X509V3_EXT_conf_nid(NULL, &ctx,
	    NID_subject_alt_name, sans));
	X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
	ck_assert_int_gt(X509_sign(x, key, EVP_sha256()), 0);
	ck_assert_ptr_nonnull(b = BIO_new_file(p, "w"));
	PEM_write_bio_X509(b, x);
	BIO_free(b);
	X509_free(x);
	EVP_PKEY_free(key);
}

static const struct conf_cert *
cert_named(const struct conf *c, const char *label)
{
	size_t	 i;

	for (i = 0; i < c->ncerts; i++)
		if (strcmp(c->certs[i].label, label) == 0)
			return &c->certs[i];
	ck_abort_msg("no certificate %s", label);
	return NULL;
}

#endif /* STATEFIX_H */
