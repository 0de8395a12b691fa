/*
 * file: whole small files, read once.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "file.h"

char *
file_read(const char *path, size_t max, const char *what, size_t *len,
    char *why, size_t whylen)
{
	struct stat	 st;
	int		 fd;
	char		*buf = NULL;
	ssize_t		 r;
	size_t		 off = 0;

	why[0] = '\0';
	/* O_NONBLOCK: a FIFO in its place must not hang the run. */
	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) == -1) {
		snprintf(why, whylen, "cannot open: %s", strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) == -1) {
		snprintf(why, whylen, "cannot stat: %s", strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(why, whylen, "not a regular file");
		goto out;
	}
	if ((unsigned long long)st.st_size > max) {
		snprintf(why, whylen, "file is %lld bytes; %s is at most %zu",
		    (long long)st.st_size, what, max);
		goto out;
	}
	if ((buf = malloc((size_t)st.st_size + 1)) == NULL)
		goto out;
	while (off < (size_t)st.st_size) {
		r = read(fd, buf + off, (size_t)st.st_size - off);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0) {
			snprintf(why, whylen, "cannot read: %s", r == 0 ?
			    "file shrank while reading" : strerror(errno));
			free(buf);
			buf = NULL;
			goto out;
		}
		off += (size_t)r;
	}
	buf[off] = '\0';
	*len = off;
out:
	close(fd);
	return buf;
}
