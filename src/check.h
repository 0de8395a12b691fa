/*
 * check: per-name orchestration.  Builds the set of lookups for every
 * name (each shared level asked once), runs them all at once through
 * resolve, with the nameserver check (servers) in the same event loop,
 * feeds the answers to the caa decision and the verdict, and hands back
 * the run as one result tree.
 */
#ifndef CHECK_H
#define CHECK_H

#include <stddef.h>

struct conf;
struct conf_cert;
struct conf_errors;
struct result_run;

struct check;

/*
 * A run over a configuration (borrowed; it must outlive the check), or
 * NULL when memory ran out.
 */
struct check	*check_new(const struct conf *);
/* Free the check and the result tree it handed out. */
void		 check_free(struct check *);

/*
 * Check the settings the run would fail on only once it starts (the
 * resolver's raw options, its trust anchor and root hints), each error
 * appended to errs as file:line:col.  Returns how many, or -1 when
 * memory ran out.
 */
int		 check_settings(const struct conf *, struct conf_errors *);

/*
 * Room for n names in all, made at once: 10,000 names then take 2.7 MB,
 * not the 4.4 MB that doubling would reach.  0, or -1 (no memory).
 */
int		 check_reserve(struct check *, size_t n);
/*
 * Add a name of a certificate (the certificate may be NULL; borrowed).
 * Returns 0, or -1 with a message in why when the name is invalid (or
 * memory ran out).
 */
int		 check_add(struct check *, const char *, const struct conf_cert *,
		    char *why, size_t);

/*
 * Resolve everything, decide, and return the run's result, owned by
 * the check.  NULL when the check could not be done at all (resolver
 * set-up, memory), with the reason in err.
 */
const struct result_run *check_run(struct check *, char *err, size_t);

#endif /* CHECK_H */
