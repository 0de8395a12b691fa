/*
 * Fuzz target: a dns-persist-01 TXT record, as text (the parser) and as
 * RDATA in wire form (the strings joined, then the whole decision).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "challenge.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const issuers[] = { "letsencrypt.org" };
	struct challenge_persist p;
	uint8_t		*rd[1];
	size_t		 len[1];
	char		 issuer[256], why[1024], reason[4096];

	if (challenge_persist_parse((const char *)data, size, &p, issuer,
	    sizeof(issuer), why, sizeof(why)) == 0) {
		(void)challenge_persist_check(&p, "https://a.example/acct/1",
		    size & 1, 1765000000, why, sizeof(why));
		challenge_persist_clear(&p);
	}
	/* An exact-size copy: a read past the RDATA is a fault. */
	if ((rd[0] = malloc(size ? size : 1)) == NULL)
		return 0;
	memcpy(rd[0], data, size);
	len[0] = size;
	(void)challenge_persist_decide(rd, len, 1, issuers, 1,
	    size & 2 ? NULL : "https://a.example/acct/1", size & 1, 1765000000,
	    reason, sizeof(reason));
	free(rd[0]);
	return 0;
}
