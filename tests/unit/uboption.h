/*
 * uboption.h: for the unit tests that resolve from libunbound's local
 * data, one raw libunbound option added to a configuration, as the
 * resolver section's "options" map holds it.
 */
#ifndef UBOPTION_H
#define UBOPTION_H

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"

static void
option(struct conf *c, const char *name, const char *value)
{
	struct conf_option	*v;

	v = reallocarray(c->options, c->noptions + 1, sizeof(*v));
	ck_assert_ptr_nonnull(v);
	c->options = v;
	v[c->noptions].name = strdup(name);
	v[c->noptions++].value = strdup(value);
}

#endif /* UBOPTION_H */
