/*
 * ubfail: an LD_PRELOAD library for the integration tests that makes
 * libunbound itself fail one lookup, as it does when memory or its
 * internal pipes fail on the machine.  CAA_TEST_UBFAIL holds "NAME
 * TYPE" ("ok.caatest 257"): that lookup still goes to the real servers,
 * but its callback gets UB_NOMEM and no result.  Every other lookup is
 * libunbound's own.  No real server can make libunbound fail this way.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <unbound.h>

typedef int (*resolve_fn)(struct ub_ctx *, const char *, int, int, void *,
    ub_callback_type, int *);

struct held {
	void			*mydata;
	ub_callback_type	 cb;
};

static void
fail(void *arg, int err, struct ub_result *res)
{
	struct held	 h = *(struct held *)arg;

	(void)err;
	free(arg);
	ub_resolve_free(res);
	h.cb(h.mydata, UB_NOMEM, NULL);
}

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
ub_resolve_async(struct ub_ctx *ctx, const char *name, int rrtype,
    int rrclass, void *mydata, ub_callback_type cb, int *async_id)
{
	resolve_fn	 real;
	struct held	*h;
	int		 rc;

	*(void **)&real = dlsym(RTLD_NEXT, "ub_resolve_async");
	if (real == NULL)
		return UB_NOMEM;
	if (!wanted(name, rrtype) || (h = malloc(sizeof(*h))) == NULL)
		return real(ctx, name, rrtype, rrclass, mydata, cb, async_id);
	h->mydata = mydata;
	h->cb = cb;
	if ((rc = real(ctx, name, rrtype, rrclass, h, fail, async_id)) != 0)
		free(h);
	return rc;
}
