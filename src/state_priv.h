/*
 * state_priv: what the state readers share (state.c, dehydrated.c).
 * Nothing else includes it.
 */
#ifndef STATE_PRIV_H
#define STATE_PRIV_H

#include <stddef.h>
#include <time.h>

struct conf_cert;

/* No state file of a client comes near this. */
#define STATE_MAXSIZE	(256 * 1024)
#define STATE_DAY	86400

/* A path built from parts: 0, or -1 when it does not fit. */
int	 state_pathf(char *, size_t, const char *, ...)
	    __attribute__((format(printf, 3, 4)));
/* Set a certificate's problem to "path: why" (the first one wins). */
int	 state_problem(struct conf_cert *, const char *, const char *);
/*
 * A whole state file (what names its kind in a reason), or NULL with
 * the certificate's problem set, or *nomem.
 */
char	*state_slurp(struct conf_cert *, const char *, const char *,
	    size_t *, int *);
/*
 * A JSON file's string at key (inside object outer, when not NULL),
 * through a real JSON parser (jansson): a copy, or NULL with the
 * certificate's problem set, or *nomem.
 */
char	*state_json_string(struct conf_cert *, const char *, const char *,
	    const char *, const char *, int *);
/* Set a certificate's problem to text, already "path: why". */
int	 state_problem_text(struct conf_cert *, const char *);
/*
 * The PEM certificate at path: its names added to into, its expiry in
 * *not_after.  0; 1 when it cannot be read or parsed (cert's problem
 * says why); -1 when memory ran out.
 */
int	 state_cert_file(struct conf_cert *cert, const char *path,
	    struct conf_cert *into, time_t *not_after);
/* The value of a KEY='value' shell assignment line: 1 found, 0 not. */
int	 state_sh_get(const char *, const char *, char *, size_t);
/* Due at when (the client renews then), as of now. */
void	 state_due(struct conf_cert *, time_t, time_t);
/*
 * The entries of a folder ("." and ".." aside), sorted, NULL-ended, *n
 * of them; NULL with errno set when it cannot be read.
 */
char	**state_entries(const char *, size_t *);
void	 state_entries_free(char **, size_t);

#endif /* STATE_PRIV_H */
