/*
 * Fuzz target: CAA RDATA parsing, the value grammar and the decision.
 * Input: one control byte (wildcard, method, account), then records as
 * [level byte][length byte][RDATA]; level's high bits mark a level as
 * NXDOMAIN or failed.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "caa.h"

#define NLEVELS	4
#define MAXRECS	64

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const methods[] = { "http-01", "dns-01",
	    "tls-alpn-01", "dns-account-01" };
	static const char *const names[NLEVELS] = { "a.b.example", "b.example",
	    "example", "x" };
	const char		*issuers[] = { "letsencrypt.org", "pki.goog" };
	struct caa_record	 recs[NLEVELS][MAXRECS];
	struct caa_level	 lv[NLEVELS];
	struct caa_policy	 pol;
	struct caa_decision	 d;
	struct caa_value	 v;
	const char		*why;
	char			 esc[64];
	size_t			 i, j, len;
	uint8_t			 ctl;

	if (size < 1)
		return 0;
	ctl = data[0];
	data++;
	size--;
	memset(lv, 0, sizeof(lv));
	for (i = 0; i < NLEVELS; i++) {
		lv[i].name = names[i];
		lv[i].records = recs[i];
		lv[i].failure = "failed";
	}
	while (size >= 2) {
		struct caa_level *l = &lv[data[0] % NLEVELS];

		if (data[0] & 0x80)
			l->state = CAA_LEVEL_FAILED;
		else if (data[0] & 0x40)
			l->state = CAA_LEVEL_NXDOMAIN;
		len = data[1];
		if (len > size - 2)
			len = size - 2;
		if (l->nrecords < MAXRECS && caa_record_parse(data + 2, len,
		    &recs[l - lv][l->nrecords], &why) == 0) {
			struct caa_record *r = &recs[l - lv][l->nrecords++];

			if (caa_value_parse(r->value, r->valuelen, &v) == 0)
				caa_value_free(&v);
			(void)caa_escape(esc, sizeof(esc), r->value,
			    r->valuelen);
		}
		data += 2 + len;
		size -= 2 + len;
	}
	pol.issuers = issuers;
	pol.nissuers = 1 + ((ctl >> 4) & 1);
	pol.method = methods[(ctl >> 1) & 3];
	pol.account_uri = (ctl & 8) ? "https://ca.example/acct/1" : NULL;
	caa_decide(lv, NLEVELS, ctl & 1, &pol, &d);
	if (d.verdict != CAA_ALLOWED && d.reason[0] == '\0')
		abort();	/* every refusal and failure says why */
	for (i = 0; i < NLEVELS; i++)
		for (j = 0; j < lv[i].nrecords; j++)
			caa_record_clear(&recs[i][j]);
	return 0;
}
