/*
 * ubfail: an LD_PRELOAD library for the integration tests that makes
 * libunbound itself fail one lookup, as it does when memory runs out on
 * the machine.  CAA_TEST_UBFAIL holds "NAME TYPE" ("ok.caatest 257"):
 * starting that lookup returns UB_NOMEM.  Every other lookup is
 * libunbound's own.  No real server can make libunbound fail this way.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <unbound.h>
#include <unbound-event.h>

typedef int (*resolve_fn)(struct ub_ctx *, const char *, int, int, void *,
    ub_event_callback_type, int *);

/* Whether name and type are the ones CAA_TEST_UBFAIL names. */
static int
wanted(const char *name, int type)
{
	const char	*want = getenv("CAA_TEST_UBFAIL");
	char		 wname[256];
	int		 wtype;
	size_t		 n;

	if (want == NULL || sscanf(want, "%255s %d", wname, &wtype) != 2 ||
	    wtype != type)
		return 0;
	n = strlen(name);
	if (n > 0 && name[n - 1] == '.')
		n--;
	return strlen(wname) == n && strncasecmp(wname, name, n) == 0;
}

int
ub_resolve_event(struct ub_ctx *ctx, const char *name, int rrtype,
    int rrclass, void *mydata, ub_event_callback_type cb, int *async_id)
{
	resolve_fn	 real;

	if (wanted(name, rrtype))
		return UB_NOMEM;
	*(void **)&real = dlsym(RTLD_NEXT, "ub_resolve_event");
	if (real == NULL)
		return UB_NOMEM;
	return real(ctx, name, rrtype, rrclass, mydata, cb, async_id);
}
