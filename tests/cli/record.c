/*
 * A stand-in for a wrapped ACME client: records that it ran, with its
 * arguments, in $RECORD_FILE and exits with $RECORD_STATUS.
 */
#include <stdio.h>
#include <stdlib.h>

int
main(int argc, char *argv[])
{
	const char	*path = getenv("RECORD_FILE");
	const char	*status = getenv("RECORD_STATUS");
	FILE		*f;
	int		 i;

	if (path != NULL && (f = fopen(path, "w")) != NULL) {
		for (i = 1; i < argc; i++)
			fprintf(f, "%s%s", i > 1 ? " " : "", argv[i]);
		fputc('\n', f);
		fclose(f);
	}
	return status != NULL ? atoi(status) : 0;
}
