/*
 * Fuzz target: the YAML configuration loader.
 */
#include <stdint.h>
#include <stdlib.h>

#include "conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf		*c;
	struct conf_errors	 e = { NULL, 0 };

	if ((c = conf_new()) == NULL)
		return 0;
	(void)conf_load_buffer(c, "fuzz.yaml", (const char *)data, size, &e);
	conf_errors_free(&e);
	conf_free(c);
	return 0;
}
