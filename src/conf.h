/*
 * conf: the configuration file (SPEC 3), read with libyaml into plain
 * structures.  Only conf.c includes yaml.h.
 */
#ifndef CONF_H
#define CONF_H

#include <stddef.h>

#include "policy.h"

/* Severity of an optional check (SPEC 5.3, 5.4). */
enum conf_level {
	CONF_OFF,
	CONF_WARN,
	CONF_ERROR,
	CONF_AUTO	/* dns01 only: check when the name needs dns-01 */
};

/* SPEC 8: whether a certificate from a client's state is due. */
enum conf_due {
	CONF_DUE_UNKNOWN,	/* not from a client's state */
	CONF_DUE_YES,		/* the client renews it on its next run */
	CONF_DUE_NO		/* in due_days days */
};

/*
 * One certificate: a label for reports and its names as written, and
 * what an ACME client told about it (SPEC 2 rev. 2, 8).
 */
struct conf_cert {
	char			 *label;	/* may be NULL (unnamed) */
	char			**domains;	/* validated by name_parse() */
	size_t			  ndomains;
	struct policy	  pol;		/* overrides, or empty */
	const char		 *client;	/* "certbot", ...; or NULL */
	char			 *directory;	/* the client's ACME directory,
						   or NULL */
	enum conf_due		  due;
	long			  due_days;	/* CONF_DUE_NO */
	char			 *problem;	/* why it cannot be checked
						   (unreadable state, unknown
						   directory), or NULL */
};

/* SPEC 3 rev. 2: an ACME directory that is not built in. */
struct conf_directory {
	char	*url;
	char	*issuer;
};

/* SPEC 5.6 rev. 2: what a name that could not be checked does. */
enum conf_unknown {
	CONF_UNKNOWN_ALLOW,	/* said loudly; the order goes on */
	CONF_UNKNOWN_BLOCK
};

/* A raw libunbound option "name: value". */
struct conf_option {
	char	*name;		/* without the trailing colon */
	char	*value;
	size_t	 line;		/* where the file sets it */
	size_t	 col;
};

/* The whole configuration.  Allocated by conf_new(), freed by conf_free(). */
struct conf {
	char			*file;		/* loaded from, or NULL */
	struct policy	 pol;		/* global policy */
	int			 timeout;	/* whole-run deadline, seconds */
	enum conf_level		 nameservers;	/* SPEC 5.3 severity */
	enum conf_level		 dns01;		/* SPEC 5.4 severity */
	int			 max_inflight;	/* direct queries per address */
	int			 signature_days; /* SPEC 5.7: warn when a
						   signature expires sooner;
						   0: off */
	char			*trust_anchor;	/* NULL: default search */
	size_t			 ta_line, ta_col; /* where it is set */
	char			*root_hints;	/* NULL: libunbound's own */
	size_t			 hints_line, hints_col;
	char		       **forward;	/* forwarders, "addr[@port]" */
	size_t			 nforward;
	struct conf_option	*options;
	size_t			 noptions;
	struct conf_cert	*certs;
	size_t			 ncerts;
	struct conf_directory	*directories;
	size_t			 ndirectories;
	enum conf_unknown	 on_unknown;
	/* Set by the command line, not the file. */
	int			 gate;		/* names from a client: hook,
						   wrapper or state (SPEC 5.6) */
	int			 all;		/* --all: every certificate
						   decides, due or not */
};

/* Error messages, "file:line:col: message", in file order. */
struct conf_errors {
	char	**msgs;
	size_t	  n;
};

struct conf	*conf_new(void);
void		 conf_free(struct conf *);

/*
 * Read path into c (which holds the defaults).  Every error found is
 * appended to errs; returns the number of errors (0: loaded), or -1 when
 * memory ran out.
 */
int		 conf_load(struct conf *, const char *, struct conf_errors *);
/* The same from a text in memory, its errors named after name. */
int		 conf_load_buffer(struct conf *, const char *, const char *,
		    size_t, struct conf_errors *);
void		 conf_errors_free(struct conf_errors *);
/*
 * Append "file:line:col: message" to errs, for checks made after
 * loading (the resolver's options).  0, or -1 when memory ran out.
 */
int		 conf_error(struct conf_errors *, const char *, size_t, size_t,
		    const char *, ...) __attribute__((format(printf, 5, 6)));

/* The effective policy of a certificate: its overrides, else global. */
void		 conf_effective(const struct conf *, const struct conf_cert *,
		    struct policy *);

#endif /* CONF_H */
