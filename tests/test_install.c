/*
 * test_install.c - reading and replacing an installed licence file
 * (common/install.c), as "lkey-verify --install" does.
 *
 * Every test runs in a fresh directory under $TMPDIR (or /tmp) and ends by
 * listing that directory: exactly the expected names, so a temporary file
 * left behind by success or failure is caught.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "install.h"
#include "proc.h"

#define ERRCAP 512U
#define TEXTCAP 4096U
#define LIC "licence.txt"

/* One line, not empty. */
static void
assert_one_line(const char *err)
{
	assert_true(err[0] != '\0');
	assert_null(strchr(err, '\n'));
}

/* The file holds exactly these len bytes. */
static void
assert_file(const char *path, const void *want, size_t len)
{
	char buf[TEXTCAP];

	assert_true(len < sizeof buf - 1);
	assert_int_equal(read_file(path, buf, sizeof buf), len);
	assert_memory_equal(buf, want, len);
}

static bool
is_regular(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/*
 * The directory holds exactly the names given (NULL-terminated), in any
 * order: anything else, a ".licence.txt.tmp-..." above all, fails.
 */
static void
assert_entries(const char *dir, ...)
{
	const char *want[16];
	bool seen[16];
	struct dirent *de;
	va_list ap;
	size_t n = 0, i;
	DIR *d;

	va_start(ap, dir);
	while (n < 16 && (want[n] = va_arg(ap, const char *)) != NULL)
		n++;
	va_end(ap);
	memset(seen, 0, sizeof seen);
	assert_non_null(d = opendir(dir));
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		for (i = 0; i < n; i++)
			if (strcmp(de->d_name, want[i]) == 0)
				break;
		if (i == n) {
			(void)closedir(d);
			fail_msg("%s: unexpected entry \"%s\"", dir,
			    de->d_name);
		}
		seen[i] = true;
	}
	(void)closedir(d);
	for (i = 0; i < n; i++)
		if (!seen[i])
			fail_msg("%s: \"%s\" missing", dir, want[i]);
}

static void
write_ok(const char *path, const char *key, const char *old, size_t oldlen,
    bool had_old)
{
	char err[ERRCAP];

	strcpy(err, "untouched");
	if (install_write(path, key, strlen(key), old, oldlen, had_old, err,
	    sizeof err) != 0)
		fail_msg("install_write %s: %s", path, err);
	assert_string_equal(err, "");
}

/* install_write fails with a one-line message that contains `why`. */
static void
write_fails(const char *path, const char *key, const char *old,
    size_t oldlen, bool had_old, const char *why)
{
	char err[ERRCAP];

	err[0] = '\0';
	assert_int_equal(install_write(path, key, strlen(key), old, oldlen,
	    had_old, err, sizeof err), -1);
	assert_one_line(err);
	if (why != NULL)
		assert_contains(err, why);
}

/* install_read refuses path with `why`: too big (INSTALL_TOO_BIG, when
 * `why` says "more than") or any other reason (-1). */
static void
read_fails(const char *path, size_t cap, const char *why)
{
	int want = strstr(why, "more than") != NULL ? INSTALL_TOO_BIG : -1;
	char text[TEXTCAP], err[ERRCAP];
	size_t len = 99;

	assert_true(cap <= sizeof text);
	memset(text, 'x', sizeof text);
	err[0] = '\0';
	assert_int_equal(install_read(path, text, cap, &len, err, sizeof err),
	    want);
	assert_int_equal(len, 0);
	assert_string_equal(text, "");
	assert_one_line(err);
	assert_contains(err, why);
}

static void
test_read_missing(void **state)
{
	struct fx *fx = *state;
	char path[4200], text[64], err[ERRCAP];
	size_t len = 99;

	path_in(fx, LIC, path, sizeof path);
	memset(text, 'x', sizeof text);
	assert_int_equal(install_read(path, text, sizeof text, &len, err,
	    sizeof err), INSTALL_NONE);
	assert_string_equal(text, "");
	assert_int_equal(len, 0);
	assert_entries(fx->dir, NULL);
}

static void
test_read_ok(void **state)
{
	struct fx *fx = *state;
	char path[4200], text[64], err[ERRCAP];
	static const char bytes[] = "KEY-1\r\nwith\0a NUL, no final newline";
	size_t len = 99;

	path_in(fx, LIC, path, sizeof path);
	write_file(path, bytes, sizeof bytes - 1);
	memset(text, 'x', sizeof text);
	err[0] = 'x';
	assert_int_equal(install_read(path, text, sizeof text, &len, err,
	    sizeof err), 0);
	assert_int_equal(len, sizeof bytes - 1);
	assert_memory_equal(text, bytes, sizeof bytes - 1);
	assert_int_equal(text[len], '\0');
	assert_string_equal(err, "");

	/* An empty file exists: 0, not INSTALL_NONE. */
	write_file(path, "", 0);
	len = 99;
	assert_int_equal(install_read(path, text, sizeof text, &len, err,
	    sizeof err), 0);
	assert_int_equal(len, 0);
	assert_string_equal(text, "");
	assert_entries(fx->dir, LIC, NULL);
}

static void
test_read_too_big(void **state)
{
	struct fx *fx = *state;
	char path[4200], text[16], err[ERRCAP], *big;
	size_t len;

	path_in(fx, LIC, path, sizeof path);
	/* cap - 1 bytes fit... */
	write_file(path, "0123456789abcde", 15);
	assert_int_equal(install_read(path, text, sizeof text, &len, err,
	    sizeof err), 0);
	assert_int_equal(len, 15);
	assert_string_equal(text, "0123456789abcde");
	/* ...cap bytes do not. */
	write_file(path, "0123456789abcdef", 16);
	read_fails(path, 16, "too big to be a licence file (more than 15 "
	    "bytes)");

	/* A large file costs no more. */
	assert_non_null(big = malloc(1U << 20));
	memset(big, 'k', 1U << 20);
	write_file(path, big, 1U << 20);
	free(big);
	read_fails(path, 16, "too big to be a licence file (more than");
	read_fails(path, 1, "(more than 0 bytes)");
	assert_entries(fx->dir, LIC, NULL);
}

static void
test_read_not_regular(void **state)
{
	struct fx *fx = *state;
	char path[4200], fifo[4200], want[4300];

	path_in(fx, "sub", path, sizeof path);
	assert_int_equal(mkdir(path, 0700), 0);
	(void)snprintf(want, sizeof want, "%s: not a regular file", path);
	read_fails(path, 64, want);
	/* A FIFO is refused without blocking on it. */
	path_in(fx, "fifo", fifo, sizeof fifo);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	read_fails(fifo, 64, "not a regular file");
	assert_entries(fx->dir, "sub", "fifo", NULL);
}

/*
 * LIC as a symbolic link to real.txt, which holds text: the paths of both
 * into path and target (PATHCAP), the error a use of LIC gives into want.
 */
static void
link_lic(const struct fx *fx, const char *text, char *path, char *target,
    char *want)
{
	path_in(fx, LIC, path, PATHCAP);
	path_in(fx, "real.txt", target, PATHCAP);
	write_file(target, text, strlen(text));
	assert_int_equal(symlink("real.txt", path), 0);
	bprintf(want, PATHCAP + 64U, "%s: is a symbolic link; give the path "
	    "of the file itself", path);
}

static void
test_read_symlink_refused(void **state)
{
	struct fx *fx = *state;
	char path[PATHCAP], target[PATHCAP], want[PATHCAP + 64U];

	link_lic(fx, "KEY\n", path, target, want);
	read_fails(path, 64, want);
	/* Dangling: refused too, not taken for a missing file. */
	assert_int_equal(unlink(target), 0);
	read_fails(path, 64, "is a symbolic link");
	assert_entries(fx->dir, LIC, NULL);
}

static void
test_bad_paths(void **state)
{
	struct fx *fx = *state;
	char path[4200], text[64], err[ERRCAP], *longp;
	size_t len, n = 5000;

	/* Refused alike by both, so a caller stops before any work. */
	read_fails("", 64, "no licence file given");
	write_fails("", "KEY", NULL, 0, false, "no licence file given");
	path_in(fx, "sub/", path, sizeof path);
	read_fails(path, 64, "not the name of a file");
	write_fails(path, "KEY", NULL, 0, false, "not the name of a file");
	path_in(fx, "..", path, sizeof path);
	write_fails(path, "KEY", NULL, 0, false, "not the name of a file");

	assert_non_null(longp = malloc(n + 1));
	memset(longp, 'a', n);
	memcpy(longp, fx->dir, strlen(fx->dir));
	longp[strlen(fx->dir)] = '/';
	longp[n] = '\0';
	read_fails(longp, 64, "path too long");
	write_fails(longp, "KEY", "OLD\n", 4, true, "path too long");
	free(longp);

	/* No room even for the NUL. */
	path_in(fx, LIC, path, sizeof path);
	write_file(path, "", 0);
	assert_int_equal(install_read(path, text, 0, &len, err, sizeof err),
	    -1);
	assert_one_line(err);
	assert_entries(fx->dir, LIC, NULL);
}

/* A new licence: no .prev, "KEY\n", 0644 less the umask. */
static void
test_write_new(void **state)
{
	struct fx *fx = *state;
	char path[4200], prev[4200];
	mode_t old;

	path_in(fx, LIC, path, sizeof path);
	path_in(fx, LIC ".prev", prev, sizeof prev);

	old = umask(022);
	write_ok(path, "KEY", NULL, 0, false);
	(void)umask(old);
	assert_file(path, "KEY\n", 4);
	assert_int_equal(mode_of(path), 0644);
	assert_int_equal(access(prev, F_OK), -1);
	assert_entries(fx->dir, LIC, NULL);

	assert_int_equal(unlink(path), 0);
	old = umask(027);
	write_ok(path, "KEY-2", NULL, 0, false);
	(void)umask(old);
	assert_file(path, "KEY-2\n", 6);
	assert_int_equal(mode_of(path), 0640);
	assert_entries(fx->dir, LIC, NULL);

	/* The umask is the caller's, untouched. */
	old = umask(077);
	assert_int_equal(unlink(path), 0);
	write_ok(path, "KEY-3", NULL, 0, false);
	assert_int_equal(umask(old), 077);
	assert_int_equal(mode_of(path), 0600);
	assert_entries(fx->dir, LIC, NULL);
}

/* Read the old one as the caller does, then replace it. */
static void
test_write_replace(void **state)
{
	struct fx *fx = *state;
	char path[4200], prev[4200], text[TEXTCAP], err[ERRCAP];
	size_t len;
	mode_t old;

	path_in(fx, LIC, path, sizeof path);
	path_in(fx, LIC ".prev", prev, sizeof prev);
	write_file(path, "OLD-KEY\n", 8);
	assert_int_equal(chmod(path, 0600), 0);

	assert_int_equal(install_read(path, text, sizeof text, &len, err,
	    sizeof err), 0);
	/* The mode comes from the old file, not from the umask. */
	old = umask(077);
	write_ok(path, "NEW-KEY", text, len, true);
	(void)umask(old);
	assert_file(path, "NEW-KEY\n", 8);
	assert_file(prev, "OLD-KEY\n", 8);
	assert_int_equal(mode_of(path), 0600);
	assert_int_equal(mode_of(prev), 0600);
	assert_entries(fx->dir, LIC, LIC ".prev", NULL);

	/* A wider mode is kept as well, even against a tight umask. */
	assert_int_equal(chmod(path, 0664), 0);
	old = umask(077);
	write_ok(path, "THIRD", "NEW-KEY\n", 8, true);
	(void)umask(old);
	assert_int_equal(mode_of(path), 0664);
	assert_int_equal(mode_of(prev), 0664);
	assert_file(path, "THIRD\n", 6);
	assert_file(prev, "NEW-KEY\n", 8);
	assert_entries(fx->dir, LIC, LIC ".prev", NULL);
}

/* `old` is stored byte for byte, whatever it holds. */
static void
test_write_old_as_is(void **state)
{
	struct fx *fx = *state;
	char path[4200], prev[4200];
	static const char odd[] = "no newline\0 NUL\r\n\xff";

	path_in(fx, LIC, path, sizeof path);
	path_in(fx, LIC ".prev", prev, sizeof prev);
	write_file(path, "whatever", 8);
	write_ok(path, "KEY", odd, sizeof odd - 1, true);
	assert_file(prev, odd, sizeof odd - 1);
	assert_file(path, "KEY\n", 4);
	/* An empty old licence gives an empty .prev. */
	write_ok(path, "KEY2", "", 0, true);
	assert_file(prev, "", 0);
	assert_file(path, "KEY2\n", 5);
	/* Without had_old, .prev is left alone and the mode still kept. */
	assert_int_equal(chmod(path, 0640), 0);
	write_ok(path, "KEY3", "ignored", 7, false);
	assert_file(prev, "", 0);
	assert_file(path, "KEY3\n", 5);
	assert_int_equal(mode_of(path), 0640);
	assert_entries(fx->dir, LIC, LIC ".prev", NULL);
}

static void
test_write_replaces_prev(void **state)
{
	struct fx *fx = *state;
	char path[4200], prev[4200], outside[4200], nowhere[4200], got[64];
	ssize_t n;

	path_in(fx, LIC, path, sizeof path);
	path_in(fx, LIC ".prev", prev, sizeof prev);
	path_in(fx, "outside", outside, sizeof outside);
	path_in(fx, "nowhere", nowhere, sizeof nowhere);
	write_file(path, "OLD\n", 4);
	write_file(prev, "ANCIENT, and longer than the rest\n", 34);
	write_ok(path, "NEW", "OLD\n", 4, true);
	assert_file(prev, "OLD\n", 4);
	assert_file(path, "NEW\n", 4);
	assert_entries(fx->dir, LIC, LIC ".prev", NULL);

	/* A link at .prev is replaced, never written through. */
	assert_int_equal(unlink(prev), 0);
	write_file(outside, "precious\n", 9);
	assert_int_equal(symlink("outside", prev), 0);
	write_ok(path, "NEWER", "NEW\n", 4, true);
	assert_true(is_regular(prev));
	assert_file(prev, "NEW\n", 4);
	assert_file(outside, "precious\n", 9);
	assert_file(path, "NEWER\n", 6);
	assert_entries(fx->dir, LIC, LIC ".prev", "outside", NULL);

	/* A dangling one too. */
	assert_int_equal(unlink(prev), 0);
	assert_int_equal(symlink("nowhere", prev), 0);
	write_ok(path, "NEWEST", "NEWER\n", 6, true);
	assert_true(is_regular(prev));
	assert_file(prev, "NEWER\n", 6);
	assert_int_equal(access(nowhere, F_OK), -1);
	n = readlink(prev, got, sizeof got);
	assert_int_equal(n, -1);
	assert_entries(fx->dir, LIC, LIC ".prev", "outside", NULL);
}

/* The directory does not exist: the path is named, nothing is created. */
static void
test_write_missing_dir(void **state)
{
	struct fx *fx = *state;
	char path[4200];

	path_in(fx, "no/such/" LIC, path, sizeof path);
	write_fails(path, "KEY", NULL, 0, false, path);
	write_fails(path, "KEY", "OLD\n", 4, true,
	    "No such file or directory");
	assert_entries(fx->dir, NULL);
}

static void
test_write_parent_is_file(void **state)
{
	struct fx *fx = *state;
	char plain[4200], path[4200];

	path_in(fx, "plain", plain, sizeof plain);
	path_in(fx, "plain/" LIC, path, sizeof path);
	write_file(plain, "data\n", 5);
	write_fails(path, "KEY", "OLD\n", 4, true, "Not a directory");
	write_fails(path, "KEY", NULL, 0, false, path);
	assert_file(plain, "data\n", 5);
	assert_entries(fx->dir, "plain", NULL);
}

/*
 * A directory we may not create files in. chmod does not stop root, but
 * /proc/self refuses new files to everyone, so the case always runs.
 */
static void
test_write_dir_not_writable(void **state)
{
	struct fx *fx = *state;
	char dir[4200], path[4200], want[4300];
	struct stat st;

	if (geteuid() == 0) {
		if (lstat("/proc/self", &st) == -1)
			skip();	/* no /proc: nothing root cannot write */
		write_fails("/proc/self/lkey-licence", "KEY", "OLD\n", 4, true,
		    "/proc/self: cannot create a file there");
		write_fails("/proc/self/lkey-licence", "KEY", NULL, 0, false,
		    "/proc/self: cannot create a file there");
		assert_int_equal(lstat("/proc/self/lkey-licence", &st), -1);
		assert_int_equal(lstat("/proc/self/lkey-licence.prev", &st),
		    -1);
		assert_entries(fx->dir, NULL);
		return;
	}
	path_in(fx, "ro", dir, sizeof dir);
	path_in(fx, "ro/" LIC, path, sizeof path);
	assert_int_equal(mkdir(dir, 0700), 0);
	write_file(path, "OLD\n", 4);
	assert_int_equal(chmod(path, 0600), 0);
	assert_int_equal(chmod(dir, 0500), 0);
	(void)snprintf(want, sizeof want, "%s: cannot create a file there: "
	    "Permission denied", dir);
	write_fails(path, "NEW", "OLD\n", 4, true, want);
	write_fails(path, "NEW", NULL, 0, false, want);
	assert_int_equal(chmod(dir, 0700), 0);
	assert_file(path, "OLD\n", 4);
	assert_int_equal(mode_of(path), 0600);
	assert_entries(dir, LIC, NULL);
}

/* rename would replace the link, not the licence it points to. */
static void
test_write_symlink_refused(void **state)
{
	struct fx *fx = *state;
	char path[PATHCAP], target[PATHCAP], want[PATHCAP + 64U], got[64];
	ssize_t n;

	link_lic(fx, "OLD\n", path, target, want);
	write_fails(path, "NEW", "OLD\n", 4, true, want);
	write_fails(path, "NEW", NULL, 0, false, want);
	assert_file(target, "OLD\n", 4);
	n = readlink(path, got, sizeof got - 1);
	assert_int_equal(n, 8);
	got[n] = '\0';
	assert_string_equal(got, "real.txt");
	assert_entries(fx->dir, LIC, "real.txt", NULL);

	/* The file itself is fine. */
	write_ok(target, "NEW", "OLD\n", 4, true);
	assert_file(target, "NEW\n", 4);
	assert_file(path, "NEW\n", 4);
	assert_entries(fx->dir, LIC, "real.txt", "real.txt.prev", NULL);
}

static void
test_write_not_regular(void **state)
{
	struct fx *fx = *state;
	char path[4200], want[4300];

	path_in(fx, LIC, path, sizeof path);
	assert_int_equal(mkdir(path, 0700), 0);
	(void)snprintf(want, sizeof want, "%s: not a regular file", path);
	write_fails(path, "KEY", "OLD\n", 4, true, want);
	assert_entries(fx->dir, LIC, NULL);
	assert_entries(path, NULL);
}

/*
 * Failing after the temporary file was written (PATH.prev is a non-empty
 * directory, so the rename fails): the temporary file is gone, PATH kept.
 */
static void
test_write_fails_late(void **state)
{
	struct fx *fx = *state;
	char path[4200], prev[4200], inner[4200];

	path_in(fx, LIC, path, sizeof path);
	path_in(fx, LIC ".prev", prev, sizeof prev);
	path_in(fx, LIC ".prev/x", inner, sizeof inner);
	write_file(path, "OLD\n", 4);
	assert_int_equal(mkdir(prev, 0700), 0);
	write_file(inner, "x", 1);
	write_fails(path, "NEW", "OLD\n", 4, true, prev);
	assert_file(path, "OLD\n", 4);
	assert_entries(fx->dir, LIC, LIC ".prev", NULL);
	assert_entries(prev, "x", NULL);
}

/* A bare file name: the directory is ".". */
static void
test_relative_path(void **state)
{
	struct fx *fx = *state;
	char text[64], err[ERRCAP], sub[4200];
	size_t len;
	int cwd;

	assert_true((cwd = open(".", O_RDONLY | O_DIRECTORY)) != -1);
	assert_int_equal(chdir(fx->dir), 0);
	assert_int_equal(install_read(LIC, text, sizeof text, &len, err,
	    sizeof err), INSTALL_NONE);
	write_ok(LIC, "KEY", NULL, 0, false);
	assert_int_equal(install_read(LIC, text, sizeof text, &len, err,
	    sizeof err), 0);
	write_ok(LIC, "KEY2", text, len, true);
	assert_int_equal(mkdir("sub", 0700), 0);
	write_ok("sub//" LIC, "KEY3", NULL, 0, false);
	assert_int_equal(fchdir(cwd), 0);
	(void)close(cwd);

	path_in(fx, "", sub, sizeof sub);
	assert_entries(fx->dir, LIC, LIC ".prev", "sub", NULL);
	path_in(fx, LIC, sub, sizeof sub);
	assert_file(sub, "KEY2\n", 5);
	path_in(fx, LIC ".prev", sub, sizeof sub);
	assert_file(sub, "KEY\n", 4);
	path_in(fx, "sub/" LIC, sub, sizeof sub);
	assert_file(sub, "KEY3\n", 5);
	path_in(fx, "sub", sub, sizeof sub);
	assert_entries(sub, LIC, NULL);
}

/* A long file name: the temporary name is cut to fit, still unique. */
static void
test_long_name(void **state)
{
	struct fx *fx = *state;
	char name[256], path[4400];

	memset(name, 'n', 240);
	name[240] = '\0';
	path_in(fx, name, path, sizeof path);
	write_ok(path, "KEY", NULL, 0, false);
	write_ok(path, "KEY2", NULL, 0, false);
	assert_file(path, "KEY2\n", 5);
	assert_entries(fx->dir, name, NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, proc_setup, proc_teardown)
		T(test_read_missing),
		T(test_read_ok),
		T(test_read_too_big),
		T(test_read_not_regular),
		T(test_read_symlink_refused),
		T(test_bad_paths),
		T(test_write_new),
		T(test_write_replace),
		T(test_write_old_as_is),
		T(test_write_replaces_prev),
		T(test_write_missing_dir),
		T(test_write_parent_is_file),
		T(test_write_dir_not_writable),
		T(test_write_symlink_refused),
		T(test_write_not_regular),
		T(test_write_fails_late),
		T(test_relative_path),
		T(test_long_name),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
