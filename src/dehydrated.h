/*
 * dehydrated: dehydrated's own state (SPEC 8), read and never written:
 * its configuration (shell assignments, and CONFIG_D's *.sh), the
 * certificates domains.txt orders, each certificate's own config and
 * cert.pem, and the account of its CA.
 */
#ifndef DEHYDRATED_H
#define DEHYDRATED_H

#include <stddef.h>
#include <time.h>

struct conf;

/*
 * Add every certificate of dehydrated's configuration file config (or
 * only the one named only), as of now.  Returns how many; -1 when
 * memory ran out; -2 when the configuration or domains.txt cannot be
 * read, or a setting the run needs is computed by the shell, with the
 * reason in why.
 */
int	 dehydrated_state(struct conf *, const char *config, const char *only,
	    time_t now, char *why, size_t);

/*
 * dehydrated's name for its CA's account folder: the CA's URL and a
 * newline, base64url without padding (as "echo $CA | urlbase64").
 */
void	 dehydrated_cahash(const char *, char *, size_t);

#endif /* DEHYDRATED_H */
