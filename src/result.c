/*
 * result: the names renderers give the tree's values.
 */
#include <string.h>

#include "resolve.h"
#include "result.h"

const char *
result_rcode_name(int rcode)
{
	static const char *const names[] = {
		"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP",
		"REFUSED", "YXDOMAIN", "YXRRSET", "NXRRSET", "NOTAUTH",
		"NOTZONE"
	};

	if (rcode >= 0 && (size_t)rcode < sizeof(names) / sizeof(names[0]))
		return names[rcode];
	return "RCODE?";
}

const char *
result_type_name(int qtype)
{
	switch (qtype) {
	case 1:
		return "A";
	case 2:
		return "NS";
	case 6:
		return "SOA";
	case 16:
		return "TXT";
	case 28:
		return "AAAA";
	case 43:
		return "DS";
	case 48:
		return "DNSKEY";
	case 257:
		return "CAA";
	default:
		return "?";
	}
}

const char *
result_status_name(const struct result_lookup *l)
{
	switch (l->status) {
	case RESULT_ANSWERED:
		return result_rcode_name(l->rcode);
	case RESULT_TIMEOUT:
		return "timeout";
	case RESULT_NOT_SENT:
		return "not-sent";
	default:
		return "error";
	}
}

const char *
result_dnssec_name(enum result_dnssec d)
{
	switch (d) {
	case RESULT_DNSSEC_INSECURE:
		return "insecure";
	case RESULT_DNSSEC_SECURE:
		return "secure";
	case RESULT_DNSSEC_BOGUS:
		return "bogus";
	case RESULT_DNSSEC_UNVALIDATED:
		return "not validated";
	default:
		return "unknown";
	}
}

const char *
result_seen_name(const struct zone_seen *q)
{
	switch (q->state) {
	case ZONE_NOT_ASKED:
		return "not asked";
	case ZONE_ANSWER:
		return result_rcode_name(q->rcode);
	case ZONE_TIMEOUT:
		return "timeout";
	case ZONE_TCP_FAILED:
		return "tcp-failed";
	case ZONE_CANCELLED:
		return "cancelled";
	default:
		return "error";
	}
}

void
result_lookup_of(const char *qname, int qtype, const struct resolve_answer *a,
    struct result_lookup *l)
{
	memset(l, 0, sizeof(*l));
	l->qname = qname;
	l->qtype = qtype;
	l->status = RESULT_FAILED;
	if (a == NULL)
		return;
	l->ms = a->ms;
	l->nrecords = a->nrdata;
	l->why_bogus = a->why_bogus;
	l->canonical = a->canonname;
	switch (a->state) {
	case RESOLVE_TIMEOUT:
		l->status = a->sent ? RESULT_TIMEOUT : RESULT_NOT_SENT;
		return;
	case RESOLVE_ERROR:
		return;
	case RESOLVE_DONE:
		break;
	}
	l->status = RESULT_ANSWERED;
	l->rcode = a->rcode;
	l->dnssec = a->dnssec == RESOLVE_SECURE ? RESULT_DNSSEC_SECURE :
	    a->dnssec == RESOLVE_BOGUS ? RESULT_DNSSEC_BOGUS :
	    a->dnssec == RESOLVE_UNVALIDATED ? RESULT_DNSSEC_UNVALIDATED :
	    RESULT_DNSSEC_INSECURE;
}
