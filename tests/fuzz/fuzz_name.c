/*
 * Fuzz target: name validation and IDNA conversion (SPEC 2).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "name.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct name	 n;
	char		*s, full[NAME_MAX_TEXT + 4];
	const char	*lv[128];

	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	switch (name_parse(s, &n)) {
	case NAME_DNS:
		/* What passed must be a name the CA can be asked about. */
		if (strlen(n.ascii) == 0 || strlen(n.ascii) > 253)
			abort();
		name_full(n.wildcard, n.ascii, full, sizeof(full));
		(void)name_levels(n.ascii, lv, 128);
		break;
	case NAME_INVALID:
		if (n.why[0] == '\0')
			abort();
		break;
	default:
		break;
	}
	free(s);
	return 0;
}
