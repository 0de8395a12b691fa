/*
 * Unit tests for name validation (SPEC 2).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "name.h"

struct ncase {
	const char	*in;
	enum name_kind	 kind;
	int		 wildcard;
	const char	*ascii;		/* NAME_DNS/IP: expected A-label form */
	const char	*why;		/* NAME_INVALID: exact reason */
};

#define L63 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define L64 L63 "a"

static const struct ncase ncases[] = {
	{ "example.com", NAME_DNS, 0, "example.com", NULL },
	{ "Example.COM.", NAME_DNS, 0, "example.com", NULL },
	{ "*.example.com", NAME_DNS, 1, "example.com", NULL },
	{ "a-b.example", NAME_DNS, 0, "a-b.example", NULL },
	{ L63 ".com", NAME_DNS, 0, L63 ".com", NULL },
	{ "bücher.example", NAME_DNS, 0, "xn--bcher-kva.example", NULL },
	{ "*.bücher.example", NAME_DNS, 1, "xn--bcher-kva.example", NULL },
	{ "192.0.2.1", NAME_IP, 0, "192.0.2.1", NULL },
	{ "2001:db8::1", NAME_IP, 0, "2001:db8::1", NULL },
	{ "", NAME_INVALID, 0, NULL, "empty name" },
	{ "a..b", NAME_INVALID, 0, NULL,
	    "empty label (two dots in a row, or a leading dot)" },
	{ ".a", NAME_INVALID, 0, NULL,
	    "empty label (two dots in a row, or a leading dot)" },
	{ L64 ".com", NAME_INVALID, 0, NULL,
	    "label \"aaaaaaaaaaaaaaaaaaaa...\" is 64 characters long; the "
	    "limit is 63" },
	{ L63 "." L63 "." L63 "." L63 ".com", NAME_INVALID, 0, NULL,
	    "name is 259 characters long; the limit is 253" },
	{ "a.*.example.com", NAME_INVALID, 0, NULL,
	    "label \"*\": \"*\" is only allowed as the whole leftmost label" },
	{ "*a.example.com", NAME_INVALID, 0, NULL,
	    "label \"*a\": \"*\" is only allowed as the whole leftmost label" },
	{ "*", NAME_INVALID, 0, NULL,
	    "\"*\" alone is not a name; write \"*.example.com\"" },
	{ "-a.example", NAME_INVALID, 0, NULL,
	    "label \"-a\" starts or ends with a hyphen" },
	{ "a_b.example", NAME_INVALID, 0, NULL,
	    "label \"a_b\" has the character '_'; only letters, digits and "
	    "hyphens are allowed" },
	{ "a b.example", NAME_INVALID, 0, NULL,
	    "label \"a b\" has the character '?'; only letters, digits and "
	    "hyphens are allowed" },
	{ "\xff\xfe.example", NAME_INVALID, 0, NULL,
	    "cannot convert to an A-label (IDNA2008): string encoding error" },
	{ "xn--a.example", NAME_DNS, 0, "xn--a.example", NULL },
};

START_TEST(test_name)
{
	const struct ncase	*c = &ncases[_i];
	struct name		 n;

	ck_assert_msg(name_parse(c->in, &n) == c->kind, "\"%s\": kind %d "
	    "(%s)", c->in, n.kind, n.why);
	if (c->kind == NAME_INVALID) {
		ck_assert_str_eq(n.why, c->why);
		return;
	}
	ck_assert_int_eq(n.wildcard, c->wildcard);
	ck_assert_str_eq(n.ascii, c->ascii);
}
END_TEST

START_TEST(test_levels)
{
	const char	*lv[8];

	ck_assert_uint_eq(name_levels("a.b.example.com", lv, 8), 4);
	ck_assert_str_eq(lv[0], "a.b.example.com");
	ck_assert_str_eq(lv[1], "b.example.com");
	ck_assert_str_eq(lv[2], "example.com");
	ck_assert_str_eq(lv[3], "com");
	ck_assert_uint_eq(name_levels("com", lv, 8), 1);
}
END_TEST

START_TEST(test_display)
{
	struct name	 n;
	char		 full[300];

	ck_assert_int_eq(name_parse("*.Bücher.example.", &n), NAME_DNS);
	ck_assert_str_eq(n.display, "*.bücher.example");
	name_full(n.wildcard, n.ascii, full, sizeof(full));
	ck_assert_str_eq(full, "*.xn--bcher-kva.example");
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("name");
	TCase	*tc = tcase_create("name");
	SRunner	*sr;
	int	 failed;

	tcase_add_loop_test(tc, test_name, 0,
	    (int)(sizeof(ncases) / sizeof(ncases[0])));
	tcase_add_test(tc, test_levels);
	tcase_add_test(tc, test_display);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
