/*
 * name: the names of a certificate, checked before any query (SPEC 2).
 */
#ifndef NAME_H
#define NAME_H

#include <stddef.h>

enum name_kind {
	NAME_DNS,	/* a domain name subject to CAA */
	NAME_IP,	/* an IP address: CAs skip CAA for it */
	NAME_INVALID	/* not a name we can check; see why */
};

#define NAME_MAX_TEXT	256
#define NAME_WHYLEN	256

/*
 * A parsed name.  For "*.example.com" ascii is "example.com" and
 * wildcard is set; display is what the user wrote (lower-cased, no
 * trailing dot) and is what reports print, with the A-label beside it
 * when the two differ.
 */
struct name {
	enum name_kind	 kind;
	int		 wildcard;		/* leftmost label was "*" */
	char		 ascii[NAME_MAX_TEXT];	/* A-label form, no "*." */
	char		 display[4 * NAME_MAX_TEXT]; /* as given, normalised */
	char		 why[NAME_WHYLEN];	/* NAME_INVALID: the reason */
};

/* Parse and validate one name as given by the user (UTF-8). */
enum name_kind	 name_parse(const char *, struct name *);

/*
 * The full name as the CA sees it ("*.xn--bcher-kva.example"), from the
 * wildcard flag and the A-label form of struct name.
 */
void		 name_full(int, const char *, char *, size_t);

/*
 * The levels of the RFC 8659 §3 climb for a domain: the name, then each
 * parent up to and including the TLD.  Returns pointers into s (suffixes
 * of it); at most max are stored; returns the number of levels.
 */
size_t		 name_levels(const char *, const char **, size_t);

#endif /* NAME_H */
