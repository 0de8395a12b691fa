/*
 * name: validation of certificate names (SPEC 2).
 */
#include <arpa/inet.h>
#include <netinet/in.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <idn2.h>

#include "name.h"

static int
is_ascii(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s > 0x7e || (unsigned char)*s < 0x20)
			return 0;
	return 1;
}

static enum name_kind
invalid(struct name *n, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static enum name_kind
invalid(struct name *n, const char *fmt, ...)
{
	va_list	 ap;

	n->kind = NAME_INVALID;
	va_start(ap, fmt);
	(void)vsnprintf(n->why, sizeof(n->why), fmt, ap);
	va_end(ap);
	return NAME_INVALID;
}

/* Copy a string known to fit; 0, or -1 when it does not. */
static int
copy(char *dst, size_t size, const char *src)
{
	size_t	 len = strlen(src);

	if (len >= size)
		return -1;
	memcpy(dst, src, len + 1);
	return 0;
}

/* RFC 1123 §2.1 host names: letters, digits, hyphens not at the ends. */
static enum name_kind
check_ldh(struct name *n)
{
	const char	*p = n->ascii, *label;
	size_t		 len, total = strlen(n->ascii);
	char		 lab[64];

	if (total == 0)
		return invalid(n, "empty name");
	/* 253 octets in text form is 255 on the wire; "*." counts too. */
	if (total + (n->wildcard ? 2 : 0) > 253)
		return invalid(n, "name is %zu characters long; the limit is "
		    "253", total + (n->wildcard ? 2 : 0));
	for (label = p;; p++) {
		if (*p != '.' && *p != '\0')
			continue;
		len = (size_t)(p - label);
		if (len == 0)
			return invalid(n, "empty label (two dots in a row, "
			    "or a leading dot)");
		if (len > 63) {
			return invalid(n, "label \"%.20s...\" is %zu "
			    "characters long; the limit is 63", label, len);
		}
		memcpy(lab, label, len);
		lab[len] = '\0';
		for (size_t i = 0; i < len; i++) {
			unsigned char c = (unsigned char)label[i];

			if (c == '*')
				return invalid(n, "label \"%s\": \"*\" is only "
				    "allowed as the whole leftmost label", lab);
			if (!((c >= 'a' && c <= 'z') || (c >= '0' &&
			    c <= '9') || c == '-'))
				return invalid(n, "label \"%s\" has the "
				    "character '%c'; only letters, digits and "
				    "hyphens are allowed", lab,
				    c >= 0x21 && c <= 0x7e ? c : '?');
		}
		if (label[0] == '-' || label[len - 1] == '-')
			return invalid(n, "label \"%s\" starts or ends with a "
			    "hyphen", lab);
		if (*p == '\0')
			break;
		label = p + 1;
	}
	return NAME_DNS;
}

enum name_kind
name_parse(const char *in, struct name *n)
{
	char		 buf[4 * NAME_MAX_TEXT];
	const char	*base;
	char		*alabel = NULL;
	size_t		 len;
	int		 rc;
	struct in6_addr	 a6;
	struct in_addr	 a4;

	memset(n, 0, sizeof(*n));
	len = strlen(in);
	if (len == 0)
		return invalid(n, "empty name");
	if (len >= sizeof(buf))
		return invalid(n, "name is far too long (%zu characters)",
		    len);
	memcpy(buf, in, len + 1);

	/* SPEC 2: IP identifiers are not subject to CAA. */
	if (inet_pton(AF_INET, buf, &a4) == 1 ||
	    inet_pton(AF_INET6, buf, &a6) == 1) {
		(void)copy(n->display, sizeof(n->display), buf);
		(void)copy(n->ascii, sizeof(n->ascii), buf);
		return n->kind = NAME_IP;
	}

	/* A trailing dot is accepted and removed (but not a lone dot). */
	if (len > 1 && buf[len - 1] == '.')
		buf[--len] = '\0';
	for (size_t i = 0; i < len; i++)
		if (buf[i] >= 'A' && buf[i] <= 'Z')
			buf[i] += 'a' - 'A';
	(void)copy(n->display, sizeof(n->display), buf);

	base = buf;
	if (strncmp(buf, "*.", 2) == 0) {
		n->wildcard = 1;
		base = buf + 2;
	} else if (strcmp(buf, "*") == 0)
		return invalid(n, "\"*\" alone is not a name; write "
		    "\"*.example.com\"");

	if (is_ascii(base)) {
		if (copy(n->ascii, sizeof(n->ascii), base) == -1)
			return invalid(n, "name is %zu characters long; the "
			    "limit is 253", len);
		return n->kind = check_ldh(n);
	}

	/* SPEC 2: IDNA2008 A-label, the form the CA sees. */
	rc = idn2_lookup_u8((const uint8_t *)base, (uint8_t **)&alabel,
	    IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL);
	if (rc != IDN2_OK)
		return invalid(n, "cannot convert to an A-label (IDNA2008): "
		    "%s", idn2_strerror(rc));
	if (copy(n->ascii, sizeof(n->ascii), alabel) == -1) {
		idn2_free(alabel);
		return invalid(n, "A-label form is longer than 253 "
		    "characters");
	}
	idn2_free(alabel);
	return n->kind = check_ldh(n);
}

void
name_full(int wildcard, const char *ascii, char *buf, size_t size)
{
	(void)snprintf(buf, size, "%s%s", wildcard ? "*." : "", ascii);
}

size_t
name_levels(const char *s, const char **out, size_t max)
{
	size_t	 n = 0;

	while (*s != '\0' && n < max) {
		out[n++] = s;
		if ((s = strchr(s, '.')) == NULL)
			break;
		s++;
	}
	return n;
}
