/*
 * Unit tests for file_read(): what it reads, and each reason it gives
 * for a file it will not read.
 */
#include <sys/stat.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "file.h"

static char	 dir[32];

static void
setup(void)
{
	strcpy(dir, "/tmp/check_file.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void
teardown(void)
{
	char	 p[256];

	snprintf(p, sizeof(p), "%s/f", dir);
	(void)unlink(p);
	snprintf(p, sizeof(p), "%s/fifo", dir);
	(void)unlink(p);
	(void)rmdir(dir);
}

static void
put(const char *name, const char *text)
{
	char	 p[256];
	FILE	*f;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	ck_assert_ptr_nonnull(f = fopen(p, "w"));
	fputs(text, f);
	fclose(f);
}

START_TEST(test_reads)
{
	char	 p[256], why[128], *b;
	size_t	 len = 99;

	put("f", "a: 1\n");
	snprintf(p, sizeof(p), "%s/f", dir);
	ck_assert_ptr_nonnull(b = file_read(p, 5, "a test", &len, why,
	    sizeof(why)));
	ck_assert_uint_eq(len, 5);
	ck_assert_str_eq(b, "a: 1\n");
	free(b);
}
END_TEST

START_TEST(test_refuses)
{
	char	 p[256], why[128];
	size_t	 len;

	put("f", "a: 1\n");
	snprintf(p, sizeof(p), "%s/f", dir);
	ck_assert_ptr_null(file_read(p, 4, "a test", &len, why,
	    sizeof(why)));
	ck_assert_str_eq(why, "file is 5 bytes; a test is at most 4");

	snprintf(p, sizeof(p), "%s/none", dir);
	ck_assert_ptr_null(file_read(p, 4, "a test", &len, why,
	    sizeof(why)));
	ck_assert_str_eq(why, "cannot open: No such file or directory");

	ck_assert_ptr_null(file_read(dir, 4, "a test", &len, why,
	    sizeof(why)));
	ck_assert_str_eq(why, "not a regular file");

	/* A FIFO is refused at once, not waited on. */
	snprintf(p, sizeof(p), "%s/fifo", dir);
	ck_assert_int_eq(mkfifo(p, 0600), 0);
	ck_assert_ptr_null(file_read(p, 4, "a test", &len, why,
	    sizeof(why)));
	ck_assert_str_eq(why, "not a regular file");
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("file");
	TCase	*tc = tcase_create("file");
	SRunner	*sr;
	int	 failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_reads);
	tcase_add_test(tc, test_refuses);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
