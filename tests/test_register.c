/*
 * test_register.c - "lkey-verify --install FILE": registering a licence key
 * the way a product's "Register licence" button does, through the built
 * program (started by proc.c from the repository root).
 *
 * What is checked: only a valid key touches FILE; a missing FILE is
 * created with the key on one line; an older key is replaced and kept
 * byte for byte as FILE.prev; the same key, a newer key and something that
 * is not a key of this vendor are kept (the last two unless --force); a
 * key for another product is replaced; files that cannot be used are
 * refused without a change; the mode of FILE is kept.
 *
 * And that registering is crash-safe: strace's fault injection kills the
 * program at every call of each system call that creates, writes, syncs,
 * renames or removes files (and at getrandom), one run per kill point;
 * each run must leave FILE holding the old or the new licence, whole (and
 * where there was no FILE, none or the new one).
 * strace is required: without it the test fails (tools/deps.sh installs
 * it for `make test`).
 *
 * All keys are for timetracker (demo vendor key, keys/catalog), checked
 * with --today 2027-06-15. Each test works in its own directory below the
 * group's temporary directory.
 */
#include <sys/stat.h>
#include <sys/types.h>

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

#include "json.h"
#include "proc.h"

#define TODAY "2027-06-15"
#define FILECAP 8192U
#define WRAP_COLUMNS 30U
/* Runs of one system call at the most: more means the count never ends. */
#define KILL_RUNS_MAX 400

/* The keys the tests register and store, issued once per run. */
static struct {
	bool ready;
	char old[KEYCAP];	/* issued 2027-01-01, serial 5 */
	char newer[KEYCAP];	/* issued 2027-01-01, serial 6 */
	char later[KEYCAP];	/* issued 2027-02-01 (its start), serial 1 */
	char issued[KEYCAP];	/* starts 2027-01-01, --issued 2027-03-01,
				   serial 1 */
	char expired[KEYCAP];	/* expired 2027-03-31 */
	char other_product[KEYCAP];	/* timelog, issued 2027-05-01 */
	char foreign[KEYCAP];	/* timetracker, another vendor's key */
	char grace[KEYCAP];	/* 25 seats, 7 days of grace */
	char expiring[KEYCAP];	/* expires 2027-06-30: a warning today */
} K;

/* A timetracker key, professional, 25 seats, maintenance = expiry. */
static void
tt_key(const struct fx *fx, char *key, const char *serial, const char *starts,
    const char *expires, const char *opt, const char *val)
{
	issue(fx, NULL, key, KEYCAP, "--secret", DEMO_SEC, "--catalog", CATALOG,
	    "--product", "timetracker", "--edition", "professional", "--seats",
	    "25", "--starts", starts, "--expires", expires, "--maintenance",
	    expires, "--serial", serial, opt, val, NULL);
}

static void
keys(const struct fx *fx)
{
	char osec[PATHCAP], opub[PATHCAP];

	if (K.ready)
		return;
	tt_key(fx, K.old, "5", "2027-01-01", "2027-12-31", NULL, NULL);
	tt_key(fx, K.newer, "6", "2027-01-01", "2027-12-31", NULL, NULL);
	tt_key(fx, K.later, "1", "2027-02-01", "2027-12-31", NULL, NULL);
	tt_key(fx, K.issued, "1", "2027-01-01", "2027-12-31", "--issued",
	    "2027-03-01");
	tt_key(fx, K.expired, "8", "2027-01-01", "2027-03-31", NULL, NULL);
	tt_key(fx, K.grace, "9", "2027-01-01", "2027-12-31", "--grace-days",
	    "7");
	tt_key(fx, K.expiring, "10", "2027-01-01", "2027-06-30", NULL, NULL);
	issue(fx, NULL, K.other_product, KEYCAP, "--secret", DEMO_SEC,
	    "--catalog", CATALOG, "--product", "timelog", "--edition", "basic",
	    "--seats", "5", "--starts", "2027-05-01", "--expires", "never",
	    "--maintenance", "never", "--serial", "99", NULL);
	init_plain(fx, "other-vendor", osec, opub);
	issue(fx, NULL, K.foreign, KEYCAP, "--secret", osec, "--catalog",
	    CATALOG, "--product", "timetracker", "--edition", "professional",
	    "--seats", "25", "--starts", "2027-01-01", "--expires",
	    "2027-12-31", "--maintenance", "2027-12-31", "--serial", "77",
	    NULL);
	K.ready = true;
}

/* ---- helpers ------------------------------------------------------------ */

/*
 * A fresh, empty directory fx->dir/name, the licence file's path in it and
 * (if prev is not NULL) the path of FILE.prev; PATHCAP bytes each.
 */
static void
fresh_dir(const struct fx *fx, const char *name, char *dir, char *file,
    char *prev)
{
	path_in(fx, name, dir, PATHCAP);
	assert_int_equal(rm_tree(dir), 0);
	assert_int_equal(mkdir(dir, 0700), 0);
	bprintf(file, PATHCAP, "%s/licence.txt", dir);
	if (prev != NULL)
		bprintf(prev, PATHCAP, "%s.prev", file);
}

static void
put(const char *path, const char *text)
{
	write_file(path, text, strlen(text));
}

/* The key and a newline: what --install writes. */
static void
key_line(const char *key, char *out, size_t cap)
{
	bprintf(out, cap, "%s\n", key);
}

/* The key broken into lines of WRAP_COLUMNS characters, CRLF after each. */
static void
wrap(const char *key, char *out, size_t cap)
{
	size_t len = strlen(key), i, n = 0;

	for (i = 0; i < len; i += WRAP_COLUMNS) {
		size_t k = len - i < WRAP_COLUMNS ? len - i : WRAP_COLUMNS;

		assert_true(n + k + 3U <= cap);
		memcpy(out + n, key + i, k);
		n += k;
		out[n++] = '\r';
		out[n++] = '\n';
	}
	out[n] = '\0';
}

/*
 * lkey-verify --pubkey DEMO_PUB --catalog CATALOG --product timetracker
 * --today TODAY, then the arguments (NULL-terminated), with `in` on
 * standard input.
 */
static void reg(const struct fx *fx, struct result *r, const char *in, ...);

static void
reg(const struct fx *fx, struct result *r, const char *in, ...)
{
	static const char *const prefix[] = { "lkey-verify", "--pubkey",
	    DEMO_PUB, "--catalog", CATALOG, "--product", "timetracker",
	    "--today", TODAY, NULL };
	const char *argv[ARGMAX + 1U];
	va_list ap;

	va_start(ap, in);
	prefix_args(prefix, ap, argv);
	va_end(ap);
	run(fx, argv, in, in != NULL ? strlen(in) : 0, r);
}

/* Whether the file at path holds exactly `want`. */
static bool
holds(const char *path, const char *want)
{
	static char buf[FILECAP];
	size_t n;

	if (!file_exists(path))
		return false;
	n = read_file(path, buf, sizeof(buf));
	return n == strlen(want) && memcmp(buf, want, n) == 0;
}

/* What is at path, for messages (static; until the next call). */
static const char *
content(const char *path)
{
	static char buf[FILECAP];
	struct stat st;

	if (lstat(path, &st) != 0)
		return "(nothing: no such file)";
	if (!S_ISREG(st.st_mode))
		return "(not a regular file)";
	read_file(path, buf, sizeof(buf));
	return buf;
}

static void
check_file(struct tally *t, const char *what, const struct result *r,
    const char *path, const char *want)
{
	tcheck(t, holds(path, want), what, r, "%s holds \"%.300s\", expected "
	    "\"%.300s\"", path, content(path), want);
}

static void
check_absent(struct tally *t, const char *what, const struct result *r,
    const char *path)
{
	tcheck(t, !file_exists(path), what, r, "%s exists; it should not",
	    path);
}

/* Whether s ends with tail. */
static bool
ends_with(const char *s, size_t len, const char *tail)
{
	size_t n = strlen(tail);

	return len >= n && memcmp(s + len - n, tail, n) == 0;
}

/* A successful registration: exit 0, nothing on stderr, the screen ends
 * "Registered in FILE[ (it held this key already)]." */
static void
check_registered(struct tally *t, const char *what, const struct result *r,
    const char *file, bool already)
{
	char tail[PATHCAP + 64];

	bprintf(tail, sizeof(tail), "\nRegistered in %s%s.\n", file,
	    already ? " (it held this key already)" : "");
	tcheck(t, r->code == 0, what, r, "exit %d, expected 0", r->code);
	tcheck(t, r->errlen == 0, what, r, "stderr is not empty");
	tcheck(t, ends_with(r->out, r->outlen, tail), what, r,
	    "stdout does not end with \"%s\"", tail + 1);
}

/* An error: the exit code, one stderr line "lkey-verify: ..." that holds
 * every needle given (NULL-terminated), and nothing registered. */
static void check_refused(struct tally *t, const char *what,
    const struct result *r, int code, ...);

static void
check_refused(struct tally *t, const char *what, const struct result *r,
    int code, ...)
{
	const char *needle;
	va_list ap;

	tcheck(t, r->code == code, what, r, "exit %d, expected %d", r->code,
	    code);
	tcheck(t, err_lines(r) == 1 && r->err[r->errlen - 1U] == '\n' &&
	    strncmp(r->err, "lkey-verify: ", 13) == 0, what, r,
	    "stderr is not one line \"lkey-verify: ...\"");
	tcheck(t, strstr(r->out, "Registered") == NULL, what, r,
	    "stdout says the key was registered");
	va_start(ap, code);
	while ((needle = va_arg(ap, const char *)) != NULL)
		tcheck(t, strstr(r->err, needle) != NULL, what, r,
		    "stderr does not mention \"%s\"", needle);
	va_end(ap);
}

/* ---- 1. a new file ------------------------------------------------------ */

static void
test_install_new_file(void **state)
{
	const struct fx *fx = *state;
	char dir[PATHCAP], file[PATHCAP], prev[PATHCAP], kf[PATHCAP];
	char line[KEYCAP + 2U], wrapped[2U * KEYCAP], what[64];
	struct tally t = { 0, 0, 0 };
	struct result r;
	struct stat st;
	json_doc *d;
	mode_t mask;

	keys(fx);
	key_line(K.old, line, sizeof(line));

	/* The key as an argument. */
	fresh_dir(fx, "new", dir, file, prev);
	reg(fx, &r, NULL, "--install", file, K.old, NULL);
	t.cases++;
	check_registered(&t, "new file", &r, file, false);
	check_file(&t, "new file", &r, file, line);
	check_absent(&t, "new file: no .prev", &r, prev);
	mask = umask(022);
	(void)umask(mask);
	tcheck(&t, lstat(file, &st) == 0 && S_ISREG(st.st_mode) &&
	    (st.st_mode & 0777) == (0644 & ~mask), "new file mode", &r,
	    "mode %o, expected %o (0644 less the umask)",
	    (unsigned)(st.st_mode & 0777), (unsigned)(0644 & ~mask));

	/* --json says where it went. */
	fresh_dir(fx, "new-json", dir, file, NULL);
	reg(fx, &r, NULL, "--json", "--install", file, K.old, NULL);
	t.cases++;
	tcheck(&t, r.code == 0 && r.errlen == 0, "new file --json", &r,
	    "expected exit 0 and nothing on stderr");
	check_file(&t, "new file --json", &r, file, line);
	d = report(&r);
	assert_json_str(d, "status", "valid");
	assert_json_str(d, "install", file);
	tcheck(&t, json_get_bool(d, json_root(d), "installed"),
	    "new file --json", &r, "\"installed\" is not true");
	json_free(d);

	/* A key wrapped at 30 columns (file, standard input): one line. */
	wrap(K.old, wrapped, sizeof(wrapped));
	fresh_dir(fx, "new-wrapped", dir, file, NULL);
	path_in(fx, "wrapped-key.txt", kf, sizeof(kf));
	put(kf, wrapped);
	reg(fx, &r, NULL, "--install", file, "--key-file", kf, NULL);
	bprintf(what, sizeof(what), "key wrapped at %u columns (--key-file)",
	    WRAP_COLUMNS);
	t.cases++;
	check_registered(&t, what, &r, file, false);
	check_file(&t, what, &r, file, line);
	fresh_dir(fx, "new-stdin", dir, file, NULL);
	reg(fx, &r, wrapped, "--install", file, "-", NULL);
	t.cases++;
	check_registered(&t, "wrapped key on standard input", &r, file, false);
	check_file(&t, "wrapped key on standard input", &r, file, line);
	tally_done(&t, "install to a new file");
}

/* ---- 2. replacing an older key ------------------------------------------ */

static void
test_install_replaces_older(void **state)
{
	const struct fx *fx = *state;
	char dir[PATHCAP], file[PATHCAP], prev[PATHCAP], target[PATHCAP];
	char line[KEYCAP + 2U], old[2U * KEYCAP];
	struct tally t = { 0, 0, 0 };
	struct result r;
	struct stat st;
	json_doc *d;

	keys(fx);

	/* Same issue day, higher serial; the old file kept byte for byte. */
	fresh_dir(fx, "older", dir, file, prev);
	wrap(K.old, old, sizeof(old));
	put(file, old);
	key_line(K.newer, line, sizeof(line));
	reg(fx, &r, NULL, "--install", file, K.newer, NULL);
	t.cases++;
	check_registered(&t, "older key (serial)", &r, file, false);
	check_file(&t, "older key (serial)", &r, file, line);
	check_file(&t, "older key (serial): .prev", &r, prev, old);

	/* A later issue day wins over a higher serial; --json. */
	fresh_dir(fx, "older-day", dir, file, prev);
	key_line(K.old, old, sizeof(old));
	put(file, old);
	key_line(K.later, line, sizeof(line));
	reg(fx, &r, NULL, "--json", "--install", file, K.later, NULL);
	t.cases++;
	tcheck(&t, r.code == 0 && r.errlen == 0, "older key (day)", &r,
	    "expected exit 0 and nothing on stderr");
	check_file(&t, "older key (day)", &r, file, line);
	check_file(&t, "older key (day): .prev", &r, prev, old);
	d = report(&r);
	assert_json_str(d, "install", file);
	tcheck(&t, json_get_bool(d, json_root(d), "installed"),
	    "older key (day)", &r, "\"installed\" is not true");
	json_free(d);

	/* The mode of FILE is kept, for FILE.prev too; an old .prev goes. */
	fresh_dir(fx, "older-mode", dir, file, prev);
	put(file, old);
	assert_int_equal(chmod(file, 0600), 0);
	put(prev, "an older .prev\n");
	reg(fx, &r, NULL, "--install", file, K.later, NULL);
	t.cases++;
	check_registered(&t, "mode 0600 kept", &r, file, false);
	check_file(&t, "mode 0600 kept", &r, file, line);
	check_file(&t, "mode 0600 kept: .prev", &r, prev, old);
	tcheck(&t, lstat(file, &st) == 0 && (st.st_mode & 0777) == 0600,
	    "mode 0600 kept", &r, "FILE has mode %o",
	    (unsigned)(st.st_mode & 0777));
	tcheck(&t, lstat(prev, &st) == 0 && (st.st_mode & 0777) == 0600,
	    "mode 0600 kept", &r, "FILE.prev has mode %o",
	    (unsigned)(st.st_mode & 0777));

	/* A link planted at FILE.prev is replaced, not written through. */
	fresh_dir(fx, "older-prevlink", dir, file, prev);
	put(file, old);
	bprintf(target, sizeof(target), "%s/target", dir);
	put(target, "target\n");
	assert_int_equal(symlink("target", prev), 0);
	reg(fx, &r, NULL, "--install", file, K.later, NULL);
	t.cases++;
	check_registered(&t, "symlink at .prev", &r, file, false);
	check_file(&t, "symlink at .prev", &r, file, line);
	check_file(&t, "symlink at .prev: target", &r, target, "target\n");
	tcheck(&t, lstat(prev, &st) == 0 && S_ISREG(st.st_mode) &&
	    holds(prev, old), "symlink at .prev", &r,
	    ".prev is not a regular file holding the old key");
	tally_done(&t, "replacing an older key");
}

/* ---- 3. the same key ---------------------------------------------------- */

static void
test_install_same_key(void **state)
{
	const struct fx *fx = *state;
	char dir[PATHCAP], file[PATHCAP], prev[PATHCAP];
	char stored[2U * KEYCAP];
	struct tally t = { 0, 0, 0 };
	struct result r;
	struct stat st0, st1;
	size_t i;

	keys(fx);
	for (i = 0; i < 2; i++) {
		const char *what = i == 0 ? "same key" :
		    "same key, stored wrapped";

		fresh_dir(fx, "same", dir, file, prev);
		if (i == 0)
			key_line(K.old, stored, sizeof(stored));
		else
			wrap(K.old, stored, sizeof(stored));
		put(file, stored);
		assert_int_equal(lstat(file, &st0), 0);
		reg(fx, &r, NULL, "--install", file, K.old, NULL);
		t.cases++;
		check_registered(&t, what, &r, file, true);
		check_file(&t, what, &r, file, stored);
		check_absent(&t, what, &r, prev);
		tcheck(&t, lstat(file, &st1) == 0 && st1.st_ino == st0.st_ino,
		    what, &r, "FILE was replaced (new inode)");
	}
	tally_done(&t, "the same key");
}

/* ---- 4. a newer key is kept --------------------------------------------- */

static void
test_install_keeps_newer(void **state)
{
	const struct fx *fx = *state;
	char dir[PATHCAP], file[PATHCAP], prev[PATHCAP];
	char stored[KEYCAP + 2U], line[KEYCAP + 2U], want[PATHCAP + 256];
	struct tally t = { 0, 0, 0 };
	struct result r;
	json_doc *d;

	keys(fx);

	/* Same day, higher serial stored. */
	fresh_dir(fx, "newer", dir, file, prev);
	key_line(K.newer, stored, sizeof(stored));
	put(file, stored);
	reg(fx, &r, NULL, "--install", file, K.old, NULL);
	bprintf(want, sizeof(want), "lkey-verify: %s: holds a newer licence "
	    "key (issued 2027-01-01, serial 6) than this one (issued "
	    "2027-01-01, serial 5); not replaced (--force replaces it)\n",
	    file);
	t.cases++;
	tcheck(&t, r.code == 3, "newer key stored (serial)", &r,
	    "exit %d, expected 3", r.code);
	tcheck(&t, strcmp(r.err, want) == 0, "newer key stored (serial)", &r,
	    "stderr is not \"%s\"", want);
	tcheck(&t, strstr(r.out, "Registered") == NULL,
	    "newer key stored (serial)", &r, "stdout says registered");
	check_file(&t, "newer key stored (serial)", &r, file, stored);
	check_absent(&t, "newer key stored (serial)", &r, prev);

	/* --json: valid, but not installed. */
	reg(fx, &r, NULL, "--json", "--install", file, K.old, NULL);
	t.cases++;
	tcheck(&t, r.code == 3 && strcmp(r.err, want) == 0,
	    "newer key stored, --json", &r, "expected exit 3 and \"%s\"",
	    want);
	d = report(&r);
	assert_json_str(d, "status", "valid");
	assert_json_str(d, "install", file);
	tcheck(&t, !json_get_bool(d, json_root(d), "installed"),
	    "newer key stored, --json", &r, "\"installed\" is not false");
	json_free(d);
	check_file(&t, "newer key stored, --json", &r, file, stored);

	/* --force replaces it; .prev keeps it. */
	key_line(K.old, line, sizeof(line));
	reg(fx, &r, NULL, "--install", file, "--force", K.old, NULL);
	t.cases++;
	check_registered(&t, "newer key stored, --force", &r, file, false);
	check_file(&t, "newer key stored, --force", &r, file, line);
	check_file(&t, "newer key stored, --force: .prev", &r, prev, stored);

	/* A later issue day (--issued) wins over a later start. */
	fresh_dir(fx, "newer-issued", dir, file, prev);
	key_line(K.issued, stored, sizeof(stored));
	put(file, stored);
	reg(fx, &r, NULL, "--install", file, K.later, NULL);
	bprintf(want, sizeof(want), "lkey-verify: %s: holds a newer licence "
	    "key (issued 2027-03-01, serial 1) than this one (issued "
	    "2027-02-01, serial 1); not replaced (--force replaces it)\n",
	    file);
	t.cases++;
	tcheck(&t, r.code == 3 && strcmp(r.err, want) == 0,
	    "newer key stored (--issued)", &r, "expected exit 3 and \"%s\"",
	    want);
	check_file(&t, "newer key stored (--issued)", &r, file, stored);
	check_absent(&t, "newer key stored (--issued)", &r, prev);

	/* ... and the other way round it is older. */
	fresh_dir(fx, "older-issued", dir, file, prev);
	key_line(K.old, stored, sizeof(stored));
	put(file, stored);
	key_line(K.issued, line, sizeof(line));
	reg(fx, &r, NULL, "--install", file, K.issued, NULL);
	t.cases++;
	check_registered(&t, "key with --issued over an older one", &r, file,
	    false);
	check_file(&t, "key with --issued over an older one", &r, file, line);
	check_file(&t, "key with --issued over an older one: .prev", &r, prev,
	    stored);

	/* A key for another product, however new, is replaced. */
	fresh_dir(fx, "other-product", dir, file, prev);
	key_line(K.other_product, stored, sizeof(stored));
	put(file, stored);
	key_line(K.old, line, sizeof(line));
	reg(fx, &r, NULL, "--install", file, K.old, NULL);
	t.cases++;
	check_registered(&t, "key for another product stored", &r, file,
	    false);
	check_file(&t, "key for another product stored", &r, file, line);
	check_file(&t, "key for another product stored: .prev", &r, prev,
	    stored);
	tally_done(&t, "a newer key is kept");
}

/* ---- 5. what is not a key of this vendor -------------------------------- */

static void
test_install_not_a_key(void **state)
{
	const struct fx *fx = *state;
	static const struct {
		const char *what;
		int which;		/* 0 text, 1 foreign key, 2 tampered */
		const char *text;
		const char *status;	/* NULL: no key at all, replaced */
	} cases[] = {
		{ "junk", 0, "hello, world\n", "malformed" },
		{ "a binary byte", 0, "\x01\xff\n", "malformed" },
		{ "another vendor's key", 1, NULL, "unknown_key" },
		{ "a tampered key", 2, NULL, "bad_signature" },
		{ "an empty file", 0, "", NULL },
		{ "only whitespace", 0, " \n\t\r\n", NULL },
	};
	char dir[PATHCAP], file[PATHCAP], prev[PATHCAP];
	char stored[KEYCAP + 2U], line[KEYCAP + 2U], what[128];
	char want[PATHCAP + 256];
	struct tally t = { 0, 0, 0 };
	struct result r;
	size_t i;

	keys(fx);
	key_line(K.old, line, sizeof(line));
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fresh_dir(fx, "not-a-key", dir, file, prev);
		if (cases[i].which == 0)
			bprintf(stored, sizeof(stored), "%s", cases[i].text);
		else if (cases[i].which == 1)
			key_line(K.foreign, stored, sizeof(stored));
		else {
			key_line(K.newer, stored, sizeof(stored));
			stored[12] = stored[12] == 'A' ? 'B' : 'A';
		}
		put(file, stored);
		reg(fx, &r, NULL, "--install", file, K.old, NULL);
		t.cases++;
		if (cases[i].status == NULL) {
			bprintf(what, sizeof(what), "FILE holds %s",
			    cases[i].what);
			check_registered(&t, what, &r, file, false);
			check_file(&t, what, &r, file, line);
			check_file(&t, what, &r, prev, stored);
			continue;
		}
		bprintf(what, sizeof(what), "FILE holds %s", cases[i].what);
		bprintf(want, sizeof(want), "lkey-verify: %s: holds no licence "
		    "key this program can authenticate (%s); not replaced "
		    "(--force replaces it)\n", file, cases[i].status);
		tcheck(&t, r.code == 3, what, &r, "exit %d, expected 3",
		    r.code);
		tcheck(&t, strcmp(r.err, want) == 0, what, &r,
		    "stderr is not \"%s\"", want);
		check_file(&t, what, &r, file, stored);
		check_absent(&t, what, &r, prev);

		bprintf(what, sizeof(what), "FILE holds %s, --force",
		    cases[i].what);
		reg(fx, &r, NULL, "--install", file, "--force", K.old, NULL);
		t.cases++;
		check_registered(&t, what, &r, file, false);
		check_file(&t, what, &r, file, line);
		check_file(&t, what, &r, prev, stored);
	}
	tally_done(&t, "FILE holds no key of this vendor");
}

/* ---- 6. only a valid key is registered ---------------------------------- */

static void
test_install_invalid_key(void **state)
{
	const struct fx *fx = *state;
	char dir[PATHCAP], file[PATHCAP], prev[PATHCAP];
	char stored[KEYCAP + 2U], tampered[KEYCAP], tail[PATHCAP + 64];
	char what[96];
	struct tally t = { 0, 0, 0 };
	struct result r;
	size_t i, j;

	keys(fx);
	memcpy(tampered, K.newer, strlen(K.newer) + 1U);
	tampered[12] = tampered[12] == 'A' ? 'B' : 'A';
	key_line(K.old, stored, sizeof(stored));
	for (i = 0; i < 5; i++) {
		static const char *const names[] = { "expired", "tampered",
		    "for another product", "malformed", "expired, --force" };
		static const char *const statuses[] = { "expired",
		    "bad_signature", "wrong_product", "malformed", "expired" };
		static const int codes[] = { 15, 12, 13, 10, 15 };

		for (j = 0; j < 2; j++) {
			bool exists = j == 0;

			fresh_dir(fx, "invalid", dir, file, prev);
			if (exists)
				put(file, stored);
			bprintf(what, sizeof(what), "%s key, %s", names[i],
			    exists ? "FILE holds an older key" :
			    "no FILE");
			switch (i) {
			case 0:
				reg(fx, &r, NULL, "--install", file,
				    K.expired, NULL);
				break;
			case 1:
				reg(fx, &r, NULL, "--install", file, tampered,
				    NULL);
				break;
			case 2:
				reg(fx, &r, NULL, "--install", file,
				    K.other_product, NULL);
				break;
			case 3:
				reg(fx, &r, NULL, "--install", file, "AAAA",
				    NULL);
				break;
			default:
				reg(fx, &r, NULL, "--install", file,
				    "--force", K.expired, NULL);
				break;
			}
			bprintf(tail, sizeof(tail), " Not registered: %s is "
			    "unchanged.\n", file);
			t.cases++;
			tcheck(&t, r.code == codes[i], what, &r,
			    "exit %d, expected %d", r.code, codes[i]);
			tcheck(&t, verdict_line_ok(&r, "key", statuses[i]) &&
			    ends_with(r.err, r.errlen, tail), what, &r,
			    "stderr is not one line \"lkey-verify: key: %s: "
			    "...%s\"", statuses[i], tail);
			tcheck(&t, strstr(r.out, "Registered") == NULL, what,
			    &r, "stdout says registered");
			if (exists)
				check_file(&t, what, &r, file, stored);
			else
				check_absent(&t, what, &r, file);
			check_absent(&t, what, &r, prev);
		}
	}
	tally_done(&t, "invalid keys are not registered");
}

/* ---- 7. a valid key with warnings is registered ------------------------- */

static void
test_install_with_warnings(void **state)
{
	const struct fx *fx = *state;
	char dir[PATHCAP], file[PATHCAP], line[KEYCAP + 2U];
	struct tally t = { 0, 0, 0 };
	struct result r;

	keys(fx);

	/* Over the seats, within the grace period. */
	fresh_dir(fx, "warn-grace", dir, file, NULL);
	reg(fx, &r, NULL, "--json", "--users", "26", "--over-since",
	    "2027-06-10", "--install", file, K.grace, NULL);
	key_line(K.grace, line, sizeof(line));
	t.cases++;
	tcheck(&t, r.code == 0 && r.errlen == 0 && json_status_is(&r,
	    "valid") && strstr(r.out, "\"code\":\"seats_grace\"") != NULL &&
	    strstr(r.out, "\"installed\":true") != NULL,
	    "valid in the grace period", &r, "expected exit 0, valid, "
	    "warning seats_grace, installed");
	check_file(&t, "valid in the grace period", &r, file, line);

	/* Expiring within the notice period. */
	fresh_dir(fx, "warn-expiring", dir, file, NULL);
	reg(fx, &r, NULL, "--install", file, K.expiring, NULL);
	key_line(K.expiring, line, sizeof(line));
	t.cases++;
	check_registered(&t, "valid, expiring soon", &r, file, false);
	tcheck(&t, strstr(r.out, "\nWarnings:\n") != NULL,
	    "valid, expiring soon", &r, "no Warnings: section");
	check_file(&t, "valid, expiring soon", &r, file, line);
	tally_done(&t, "valid keys with warnings");
}

/* ---- 8. files that cannot be used --------------------------------------- */

static void
test_install_file_errors(void **state)
{
	const struct fx *fx = *state;
	char dir[PATHCAP], file[PATHCAP], path[PATHCAP], target[PATHCAP];
	char line[KEYCAP + 2U], stored[KEYCAP + 2U];
	struct tally t = { 0, 0, 0 };
	struct result r;
	struct stat st;

	keys(fx);
	key_line(K.old, stored, sizeof(stored));

	/* The directory does not exist. */
	fresh_dir(fx, "errors", dir, file, NULL);
	bprintf(path, sizeof(path), "%s/no-such-dir/licence.txt", dir);
	reg(fx, &r, NULL, "--install", path, K.newer, NULL);
	t.cases++;
	check_refused(&t, "missing directory", &r, 1, path, NULL);
	bprintf(path, sizeof(path), "%s/no-such-dir", dir);
	check_absent(&t, "missing directory", &r, path);

	/* A directory where FILE should be: not a regular file. */
	fresh_dir(fx, "errors", dir, file, NULL);
	assert_int_equal(mkdir(file, 0700), 0);
	reg(fx, &r, NULL, "--install", file, K.newer, NULL);
	t.cases++;
	check_refused(&t, "directory at FILE", &r, 1, file,
	    "not a regular file", NULL);
	tcheck(&t, lstat(file, &st) == 0 && S_ISDIR(st.st_mode),
	    "directory at FILE", &r, "the directory is gone");

	/* Unreadable: root reads anything, so only as another user. */
	if (geteuid() != 0) {
		fresh_dir(fx, "errors", dir, file, NULL);
		put(file, stored);
		assert_int_equal(chmod(file, 0), 0);
		reg(fx, &r, NULL, "--install", file, K.newer, NULL);
		assert_int_equal(chmod(file, 0600), 0);
		t.cases++;
		check_refused(&t, "unreadable FILE", &r, 1, file, NULL);
		check_file(&t, "unreadable FILE", &r, file, stored);
	} else
		print_message("running as root: the unreadable-file case is "
		    "covered by the directory case\n");

	/* A symbolic link at FILE: refused, link and target unchanged. */
	fresh_dir(fx, "errors", dir, file, NULL);
	bprintf(target, sizeof(target), "%s/real.txt", dir);
	put(target, stored);
	assert_int_equal(symlink("real.txt", file), 0);
	reg(fx, &r, NULL, "--install", file, K.newer, NULL);
	t.cases++;
	check_refused(&t, "symbolic link at FILE", &r, 1, file,
	    "symbolic link", NULL);
	tcheck(&t, lstat(file, &st) == 0 && S_ISLNK(st.st_mode),
	    "symbolic link at FILE", &r, "the link is gone");
	check_file(&t, "symbolic link at FILE: target", &r, target, stored);
	bprintf(path, sizeof(path), "%s.prev", file);
	check_absent(&t, "symbolic link at FILE", &r, path);

	/* Dangling link: refused as well, nothing created behind it. */
	fresh_dir(fx, "errors", dir, file, NULL);
	assert_int_equal(symlink("nowhere.txt", file), 0);
	reg(fx, &r, NULL, "--install", file, K.newer, NULL);
	t.cases++;
	check_refused(&t, "dangling symbolic link at FILE", &r, 1, file,
	    "symbolic link", NULL);
	bprintf(path, sizeof(path), "%s/nowhere.txt", dir);
	check_absent(&t, "dangling symbolic link at FILE", &r, path);

	/* After all that, the same directory still takes the key. */
	fresh_dir(fx, "errors", dir, file, NULL);
	key_line(K.newer, line, sizeof(line));
	reg(fx, &r, NULL, "--install", file, K.newer, NULL);
	t.cases++;
	check_registered(&t, "plain file after the errors", &r, file, false);
	check_file(&t, "plain file after the errors", &r, file, line);
	tally_done(&t, "files that cannot be used");
}

/* ---- 9. usage ----------------------------------------------------------- */

static void
test_install_usage(void **state)
{
	const struct fx *fx = *state;
	char dir[PATHCAP], file[PATHCAP];
	struct tally t = { 0, 0, 0 };
	struct result r;
	size_t i;

	keys(fx);
	fresh_dir(fx, "usage", dir, file, NULL);
	for (i = 0; i < 4; i++) {
		static const char *const names[] = {
			"--force without --install", "--install ''",
			"--install=", "--install twice" };

		switch (i) {
		case 0:
			reg(fx, &r, NULL, "--force", K.old, NULL);
			break;
		case 1:
			reg(fx, &r, NULL, "--install", "", K.old, NULL);
			break;
		case 2:
			reg(fx, &r, NULL, "--install=", K.old, NULL);
			break;
		default:
			reg(fx, &r, NULL, "--install", file, "--install", file,
			    K.old, NULL);
			break;
		}
		t.cases++;
		check_refused(&t, names[i], &r, 2, "(see lkey-verify --help)",
		    NULL);
		tcheck(&t, r.outlen == 0, names[i], &r, "stdout not empty");
		check_absent(&t, names[i], &r, file);
	}
	tally_done(&t, "--install usage");
}

/* ---- 10. crash safety --------------------------------------------------- */

/* The system calls at which the program is killed, one kill per call. */
static const char *const kill_calls[] = {
	"openat", "write", "fsync", "rename", "renameat", "renameat2",
	"fchmod", "close", "unlink", "unlinkat", "linkat", "getrandom",
};

/* Fails the test with a clear message unless strace can trace here. */
static void
need_strace(void)
{
	const char *argv[] = { "strace", "-o", "/dev/null", "true", NULL };
	struct result r;

	run_tool(argv, NULL, NULL, 0, &r);
	if (r.code == 127)
		fail_msg("strace is not installed: the crash-safety test of "
		    "--install needs it (run tools/deps.sh, or apt-get install "
		    "strace)");
	if (r.code != 0) {
		show("strace true", &r);
		fail_msg("strace cannot trace here (ptrace refused?): the "
		    "crash-safety test of --install needs it");
	}
}

/*
 * Whether what the directory holds after a run is whole: FILE exactly the
 * old or the new licence (with no old licence: no FILE, or the new one),
 * FILE.prev (if there) exactly one of them too.
 */
static void
check_whole(struct tally *t, const char *what, const struct result *r,
    const char *file, const char *prev, const char *old, const char *new)
{
	if (old != NULL)
		tcheck(t, holds(file, old) || holds(file, new), what, r,
		    "FILE holds \"%.300s\", neither the old nor the new "
		    "licence", content(file));
	else
		tcheck(t, !file_exists(file) || holds(file, new), what, r,
		    "FILE holds \"%.300s\", not the new licence",
		    content(file));
	tcheck(t, !file_exists(prev) || (old != NULL && holds(prev, old)) ||
	    holds(prev, new), what, r, "FILE.prev holds \"%.300s\", neither "
	    "the old nor the new licence", content(prev));
}

/* One kill scenario: what FILE holds before (NULL: no FILE) and after. */
struct crash {
	const struct fx *fx;
	struct tally *t;
	const char *key;		/* the key to register */
	const char *old, *new;		/* FILE before (or NULL) and after */
	const char *const *extra_env;	/* for the program under strace */
	char counts[512];		/* "openat 10, write 4, ..." */
};

/*
 * Kills lkey-verify --install at call 1, 2, ... of system call sc until a
 * run is not killed (the call count is then known), checking after each
 * run that FILE is whole, and that the run that was not killed installed
 * the new licence. Returns the number of kill points.
 */
static int
kill_each_call(struct crash *c, const char *sc)
{
	char dir[PATHCAP], file[PATHCAP], prev[PATHCAP], prog[PATHCAP];
	char trace[64], inject[96], what[128];
	const char *argv[] = { "strace", "-f", "-o", "/dev/null", "-e", trace,
	    "-e", inject, prog, "--pubkey", DEMO_PUB, "--catalog", CATALOG,
	    "--product", "timetracker", "--today", TODAY, "--install", file,
	    c->key, NULL };
	struct result r;
	int k;

	bprintf(prog, sizeof(prog), "%s/lkey-verify", c->fx->bindir);
	bprintf(trace, sizeof(trace), "trace=%s", sc);
	for (k = 1; k <= KILL_RUNS_MAX; k++) {
		fresh_dir(c->fx, "crash", dir, file, prev);
		if (c->old != NULL)
			put(file, c->old);
		bprintf(inject, sizeof(inject), "inject=%s:signal=KILL:when=%d",
		    sc, k);
		run_tool(argv, c->extra_env, NULL, 0, &r);
		if (r.code == 128 + 9) {
			bprintf(what, sizeof(what), "%s: killed at %s call %d",
			    c->old != NULL ? "replacing" : "creating", sc, k);
			c->t->cases++;
			check_whole(c->t, what, &r, file, prev, c->old, c->new);
			continue;
		}
		/* Not killed: the program made fewer calls. */
		if (k == 1 && r.code != 0 &&
		    strstr(r.err, "invalid system call") != NULL)
			return 0;	/* no such system call here */
		bprintf(what, sizeof(what), "%s: uninterrupted run with %s "
		    "traced", c->old != NULL ? "replacing" : "creating", sc);
		c->t->cases++;
		tcheck(c->t, r.code == 0, what, &r, "exit %d, expected 0",
		    r.code);
		check_file(c->t, what, &r, file, c->new);
		if (c->old != NULL)
			check_file(c->t, what, &r, prev, c->old);
		else
			check_absent(c->t, what, &r, prev);
		return k - 1;
	}
	fail_msg("%s: still killed after %d calls", sc, KILL_RUNS_MAX);
	return 0;
}

/* Runs every kill point of a scenario; returns their number. */
static int
kill_everywhere(struct crash *c, int *renames)
{
	size_t i, len = 0;
	int kills = 0, n;

	c->counts[0] = '\0';
	*renames = 0;
	for (i = 0; i < sizeof(kill_calls) / sizeof(kill_calls[0]); i++) {
		int k = kill_each_call(c, kill_calls[i]);

		kills += k;
		if (strncmp(kill_calls[i], "rename", 6) == 0)
			*renames += k;
		n = snprintf(c->counts + len, sizeof(c->counts) - len,
		    "%s%s %d", len > 0 ? ", " : "", kill_calls[i], k);
		assert_true(n > 0 && (size_t)n < sizeof(c->counts) - len);
		len += (size_t)n;
	}
	return kills;
}

static void
test_install_crash_safety(void **state)
{
	const struct fx *fx = *state;
	char old[KEYCAP + 2U], new[KEYCAP + 2U], asan[1024];
	const char *const extra[] = { asan, NULL };
	const char *a = getenv("ASAN_OPTIONS");
	struct tally t = { 0, 0, 0 };
	struct crash c;
	int kills, renames, failed;

	need_strace();
	keys(fx);
	key_line(K.old, old, sizeof(old));
	key_line(K.newer, new, sizeof(new));
	/* LeakSanitizer cannot run under ptrace; the rest of ASan can. */
	bprintf(asan, sizeof(asan), "ASAN_OPTIONS=%s%sdetect_leaks=0",
	    a != NULL ? a : "", a != NULL && a[0] != '\0' ? ":" : "");
	memset(&c, 0, sizeof(c));
	c.fx = fx;
	c.t = &t;
	c.key = K.newer;
	c.new = new;
	c.extra_env = extra;

	/* FILE holds an older licence: replaced, kept as FILE.prev. */
	c.old = old;
	kills = kill_everywhere(&c, &renames);
	print_message("install crash test: %d kill points, %s\n", kills,
	    t.failures == 0 ? "all left old or new" :
	    "SOME LEFT NEITHER (listed above)");
	print_message("  kills per call: %s\n", c.counts);
	/* Two renames (FILE.prev, FILE) or the test tested nothing. */
	if (renames < 2)
		fail_msg("only %d rename calls were killed; expected 2 or more",
		    renames);

	/* No FILE yet: created whole or not at all. */
	failed = t.failures;
	c.old = NULL;
	kills = kill_everywhere(&c, &renames);
	print_message("install crash test, no FILE before: %d kill points, "
	    "%s\n", kills, t.failures == failed ? "all left none or new" :
	    "SOME LEFT A TORN FILE (listed above)");
	print_message("  kills per call: %s\n", c.counts);
	if (renames < 1)
		fail_msg("no rename call was killed creating FILE");
	tally_done(&t, "crash safety of --install");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_install_new_file),
		cmocka_unit_test(test_install_replaces_older),
		cmocka_unit_test(test_install_same_key),
		cmocka_unit_test(test_install_keeps_newer),
		cmocka_unit_test(test_install_not_a_key),
		cmocka_unit_test(test_install_invalid_key),
		cmocka_unit_test(test_install_with_warnings),
		cmocka_unit_test(test_install_file_errors),
		cmocka_unit_test(test_install_usage),
		cmocka_unit_test(test_install_crash_safety),
	};

	return cmocka_run_group_tests_name("register", tests, proc_setup,
	    proc_teardown);
}
