/*
 * files.c - the part of proc.h that runs no program: the test fixture's
 * temporary directory, small file helpers and tallies (proc.c runs the
 * programs). The Windows build (make test-windows) compiles this part.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef _WIN32
#include <direct.h>
#include <io.h>
#endif

#include <cmocka.h>

#include "proc.h"

void
bprintf(char *out, size_t cap, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(out, cap, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= cap)
		fail_msg("test buffer too small (%zu bytes for %d)", cap, n);
}

/* ---- paths and files ---------------------------------------------------- */

void
path_in(const struct fx *fx, const char *name, char *out, size_t cap)
{
	int n = snprintf(out, cap, "%s/%s", fx->dir, name);

	assert_true(n > 0 && (size_t)n < cap);
}

void
write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (f == NULL)
		fail_msg("cannot create %s: %s", path, strerror(errno));
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
#ifndef _WIN32
	/* Owner only, as lkey-keygen wants a secret key file to be. */
	assert_int_equal(chmod(path, 0600), 0);
#endif
}

size_t
read_file(const char *path, char *buf, size_t cap)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	if (f == NULL)
		fail_msg("cannot open %s: %s", path, strerror(errno));
	n = fread(buf, 1, cap - 1U, f);
	assert_true(feof(f));
	assert_int_equal(fclose(f), 0);
	buf[n] = '\0';
	return n;
}

bool
file_exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

int
rm_tree(const char *path)
{
	struct stat st;
	DIR *d;
	struct dirent *e;
	char sub[PATHCAP];
	int rc = 0;

	if (lstat(path, &st) != 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode))
		return unlink(path);
#ifndef _WIN32
	/* A test may have taken away its own right to list or write it. */
	(void)chmod(path, 0700);
#endif
	if ((d = opendir(path)) == NULL)
		return -1;
	while ((e = readdir(d)) != NULL) {
		int n;

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		n = snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
		if (n < 0 || (size_t)n >= sizeof(sub) || rm_tree(sub) != 0)
			rc = -1;
	}
	closedir(d);
	if (rmdir(path) != 0)
		rc = -1;
	return rc;
}

mode_t
mode_of(const char *path)
{
	struct stat st;

	if (lstat(path, &st) != 0)
		fail_msg("%s: %s", path, strerror(errno));
	return st.st_mode & 07777;
}

void
assert_contains(const char *hay, const char *needle)
{
	if (strstr(hay, needle) == NULL)
		fail_msg("\"%s\" does not contain \"%s\"", hay, needle);
}

int
make_dir(const char *path)
{
#ifdef _WIN32
	return _mkdir(path);
#else
	return mkdir(path, 0700);
#endif
}

/*
 * Makes a new directory from tmpl, whose last six characters are XXXXXX,
 * replaced with random ones: mkdtemp, or its equivalent on Windows.
 */
static char *
make_temp_dir(char *tmpl)
{
#ifdef _WIN32
	char copy[PATHCAP];
	size_t n = strlen(tmpl) + 1U;
	int tries;

	if (n > sizeof(copy))
		return NULL;
	memcpy(copy, tmpl, n);
	for (tries = 0; tries < 100; tries++) {
		memcpy(tmpl, copy, n);	/* _mktemp_s fills in the X's */
		if (_mktemp_s(tmpl, n) != 0)
			return NULL;
		if (_mkdir(tmpl) == 0)
			return tmpl;
		if (errno != EEXIST)
			return NULL;
	}
	return NULL;
#else
	return mkdtemp(tmpl);
#endif
}

/* ---- the fixture -------------------------------------------------------- */

int
proc_setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	const char *b = getenv("LKEY_BUILD_DIR"), *tmp = getenv("TMPDIR");
	int n;

	if (fx == NULL)
		return -1;
	if (b == NULL || b[0] == '\0')
		b = "build";
#ifdef _WIN32
	tmp = getenv("TEMP");
	if (tmp == NULL || tmp[0] == '\0')
		tmp = ".";
#else
	if (tmp == NULL || tmp[0] == '\0')
		tmp = "/tmp";
#endif
	n = snprintf(fx->bindir, sizeof(fx->bindir), "%s", b);
	if (n < 0 || (size_t)n >= sizeof(fx->bindir)) {
		free(fx);
		return -1;
	}
	n = snprintf(fx->dir, sizeof(fx->dir), "%s/lkey-test-XXXXXX", tmp);
	if (n < 0 || (size_t)n >= sizeof(fx->dir) || make_temp_dir(fx->dir) == NULL) {
		free(fx);
		return -1;
	}
	*state = fx;
	return 0;
}

int
proc_teardown(void **state)
{
	struct fx *fx = *state;
	int rc = rm_tree(fx->dir);

	free(fx);
	return rc;
}

/* ---- what a run said ---------------------------------------------------- */

size_t
err_lines(const struct result *r)
{
	size_t i, n = 0;

	for (i = 0; i < r->errlen; i++)
		if (r->err[i] == '\n')
			n++;
	if (r->errlen > 0 && r->err[r->errlen - 1U] != '\n')
		n++;
	return n;
}

void
show(const char *what, const struct result *r)
{
	print_error("  %s: exit %d\n  stdout: %.300s\n  stderr: %.600s\n",
	    what, r->code, r->out, r->err);
}

/* ---- tallies for table-driven tests ------------------------------------- */

void
tcheck(struct tally *t, bool ok, const char *what, const struct result *r,
    const char *fmt, ...)
{
	va_list ap;
	char msg[512];

	if (ok)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	print_error("FAIL %s: %s\n", what, msg);
	if (r != NULL)
		show(what, r);
	if (t->failures == 0 || t->last_failed != t->cases) {
		t->failures++;
		t->last_failed = t->cases;
	}
}

void
tally_done(const struct tally *t, const char *name)
{
	if (t->failures > 0)
		fail_msg("%s: %d of %d cases failed (each listed above)",
		    name, t->failures, t->cases);
}
