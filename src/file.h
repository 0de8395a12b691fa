/*
 * file: read a whole small file (a configuration, an ACME client's
 * state) into memory, refusing what cannot be one.
 */
#ifndef FILE_H
#define FILE_H

#include <stddef.h>

/*
 * Read path, a regular file of at most max bytes, into a buffer ending
 * in NUL (its length in *len); what names such a file in the reason
 * ("a configuration").  NULL with the reason in why ("cannot
 * open: No such file or directory", "not a regular file", ...) when it
 * cannot; with why[0] == '\0' when memory ran out.
 */
char	*file_read(const char *path, size_t max, const char *what,
	    size_t *len, char *why, size_t whylen);

#endif /* FILE_H */
