/*
 * verdict: a name's checks, added up.
 */
#include "caa.h"
#include "verdict.h"

enum verdict
verdict_of(const struct verdict_in *in)
{
	enum verdict	 v;

	if (in->ip)
		return VERDICT_NOT_SUBJECT;
	/*
	 * SPEC 5.5: no network, or no working resolver: nothing was learnt
	 * about the names, so nothing is said against them either.
	 */
	if (in->unreachable)
		return VERDICT_NOT_CHECKED;
	switch (in->caa) {
	case CAA_ALLOWED:
		v = VERDICT_OK;
		break;
	case CAA_REFUSED:
		v = VERDICT_REFUSED;
		break;
	default:
		v = in->caa_cut ? VERDICT_NOT_CHECKED : VERDICT_DNS_FAILURE;
		break;
	}
	/*
	 * SPEC 5.4: a dns-01 lookup that fails fails the name; one the
	 * deadline cut short only takes the place of an "ok": a refusal
	 * or a failure found stands.
	 */
	if (in->dns01 == VERDICT_ERROR && in->dns01_failed) {
		if (!in->dns01_cut)
			v = VERDICT_DNS_FAILURE;
		else if (v == VERDICT_OK)
			v = VERDICT_NOT_CHECKED;
	}
	/* SPEC 4.2: no dns-persist-01 record authorizes: a refusal. */
	if (in->dns01 == VERDICT_ERROR && in->dns01_refused &&
	    v == VERDICT_OK)
		v = VERDICT_REFUSED;
	/* SPEC 5.3: a server at fault, at error level. */
	if (in->ns_failed && in->nameservers == VERDICT_ERROR)
		v = VERDICT_DNS_FAILURE;
	return v;
}

int
verdict_exit(enum verdict v)
{
	switch (v) {
	case VERDICT_REFUSED:
		return 1;
	case VERDICT_DNS_FAILURE:
		return 2;
	case VERDICT_NOT_CHECKED:
		return 3;
	default:
		return 0;
	}
}

int
verdict_share(enum verdict v, int decides, int unknown_allowed)
{
	if (!decides)
		return 0;
	if (v == VERDICT_NOT_CHECKED && unknown_allowed)
		return 0;
	return verdict_exit(v);
}

int
verdict_run_exit(int highest, int unreachable, int unknown_allowed)
{
	return unreachable && !unknown_allowed ? 3 : highest;
}

const char *
verdict_name(enum verdict v)
{
	switch (v) {
	case VERDICT_OK:
		return "ok";
	case VERDICT_REFUSED:
		return "refused";
	case VERDICT_DNS_FAILURE:
		return "dns-failure";
	case VERDICT_NOT_CHECKED:
		return "not-checked";
	default:
		return "not-subject";
	}
}

const char *
verdict_level_name(enum verdict_level l)
{
	switch (l) {
	case VERDICT_OFF:
		return "off";
	case VERDICT_WARN:
		return "warn";
	default:
		return "error";
	}
}
