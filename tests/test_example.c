/*
 * test_example.c - the example application, examples/timeclock, as its
 * users run it: $LKEY_BUILD_DIR/examples/timeclock, built by make against
 * this tree with the demo key and the build day as its release date.
 *
 * DATA is liblkey's licence store (docs/STORE.md) and holds the employees
 * beside it, one empty file each (DATA/employees/NAME,
 * DATA/administrators/NAME).
 *
 * What is checked: registering a valid key adds it to DATA/licence.keys
 * (mode 0600), whatever whitespace the pasted key holds; a key that is not
 * genuine, for another product or expired changes nothing and says why; a
 * renewal that starts later is registered ahead and shown as such; a key
 * with fewer seats than the licence in force is refused unless
 * `register --force`; employees are added up to the seats and then
 * refused with "number of licences exceeded"; with fewer seats than
 * employees administrators log in to admin-only mode and everyone else is
 * refused; the licence screen; a key whose maintenance ended before this
 * release was built is registered with a warning, and then the release
 * runs `licence` and `register` only, until a renewed key is registered;
 * the clock guard; a damaged store is exit status 1 and left as it is; no
 * temporary file is ever left in DATA; and examples/ holds no code that
 * replaces a file atomically: that is liblkey's.
 *
 * Keys are issued by lkey-keygen with the demo vendor key, with dates
 * relative to the real today (UTC): the example checks against the system
 * clock, as a product does. tt_key gives each key a higher serial than the
 * one before, as a vendor's ledger does, so that of two keys issued the
 * same day the later one is the newer (lkey_license_order).
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
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "lkey.h"
#include "proc.h"

#define FILECAP 8192U
#define PROG "examples/timeclock"

/* Exit codes, as documented at the top of examples/timeclock/timeclock.c. */
#define EX_FILE 1
#define EX_USAGE 2
#define EX_REFUSED 3
#define EX_NO_LICENCE 4
#define EX_SEATS 5
#define EX_ADMIN_ONLY 6
#define EX_MAINTENANCE 7
#define EX_NO_USER 8

/* ---- helpers ------------------------------------------------------------ */

static lkey_day
today(void)
{
	return lkey_day_from_unix((int64_t)time(NULL));
}

/* The day `offset` days from today, "YYYY-MM-DD", into out (11 bytes). */
static void
day(int offset, char *out)
{
	lkey_day_format((lkey_day)((int64_t)today() + offset), out);
}

/* The example's release date, from timeclock --version. */
static lkey_day
release_day(const struct fx *fx)
{
	char prog[PATHCAP], date[11];
	const char *p;
	struct result r;
	const char *argv[] = { prog, "--version", NULL };
	lkey_day d;

	bprintf(prog, sizeof(prog), "%s/%s", fx->bindir, PROG);
	run(fx, argv, NULL, 0, &r);
	assert_int_equal(r.code, 0);
	p = strstr(r.out, "(release ");
	if (p == NULL)
		fail_msg("timeclock --version names no release: %s", r.out);
	memcpy(date, p + 9, 10);
	date[10] = '\0';
	assert_true(lkey_day_parse(date, &d));
	return d;
}

/* Runs timeclock --data DATA ARG... (the list ap, NULL-terminated) with
 * stdin_data. */
static void
tc_list(const struct fx *fx, const char *data, const char *stdin_data,
    struct result *r, va_list ap)
{
	char prog[PATHCAP];
	const char *prefix[] = { prog, "--data", data, NULL };
	const char *argv[ARGMAX + 1U];

	bprintf(prog, sizeof(prog), "%s/%s", fx->bindir, PROG);
	prefix_args(prefix, ap, argv);
	run(fx, argv, stdin_data, stdin_data != NULL ? strlen(stdin_data) : 0,
	    r);
}

static void
tc(const struct fx *fx, const char *data, const char *stdin_data,
    struct result *r, ...)
{
	va_list ap;

	va_start(ap, r);
	tc_list(fx, data, stdin_data, r, ap);
	va_end(ap);
}

/*
 * A timetracker key of the demo vendor, with the options that follow, and
 * a serial higher than that of the key made before it.
 */
static void
tt_key(const struct fx *fx, char *key, const char *seats, int starts,
    int expires, int maintenance, ...)
{
	static unsigned serial = 1000;
	char s[11], e[11], m[11], n[16];
	const char *prefix[] = { "--secret", DEMO_SEC, "--catalog", CATALOG,
	    "--product", "timetracker", "--edition", "professional",
	    "--seats", seats, "--starts", s, "--expires", e,
	    "--maintenance", m, "--serial", n, NULL };
	const char *opts[ARGMAX + 1U];
	va_list ap;

	bprintf(n, sizeof(n), "%u", ++serial);
	day(starts, s);
	day(expires, e);
	day(maintenance, m);
	va_start(ap, maintenance);
	prefix_args(prefix, ap, opts);
	va_end(ap);
	issue_argv(fx, NULL, key, KEYCAP, opts);
}

/* A fresh data directory fx->dir/name (not created: timeclock does). */
static void
data_dir(const struct fx *fx, const char *name, char *dir)
{
	path_in(fx, name, dir, PATHCAP);
	assert_int_equal(rm_tree(dir), 0);
}

static void
data_file(const char *dir, const char *name, char *path)
{
	bprintf(path, PATHCAP, "%s/%s", dir, name);
}

/* Fails unless r exited with code and wrote exactly one line to stderr,
 * "timeclock: ..." holding `needle` (NULL: anything). */
static void
expect_error(const char *what, const struct result *r, int code,
    const char *needle)
{
	if (r->code != code || err_lines(r) != 1 ||
	    strncmp(r->err, "timeclock: ", 11) != 0 ||
	    r->err[r->errlen - 1U] != '\n' ||
	    (needle != NULL && strstr(r->err, needle) == NULL)) {
		show(what, r);
		fail_msg("%s: expected exit %d and one line \"timeclock: "
		    "...%s...\" on stderr", what, code,
		    needle != NULL ? needle : "");
	}
}

/* Fails unless r exited 0 with nothing on stderr and `needle` (NULL:
 * anything) on stdout. */
static void
expect_ok(const char *what, const struct result *r, const char *needle)
{
	if (r->code != 0 || r->errlen != 0 ||
	    (needle != NULL && strstr(r->out, needle) == NULL)) {
		show(what, r);
		fail_msg("%s: expected exit 0, nothing on stderr and \"%s\" on "
		    "stdout", what, needle != NULL ? needle : "");
	}
}

/* timeclock --data DATA ARG... (NULL-terminated), no input: as expect_ok
 * wants it. */
static void
tc_ok(const struct fx *fx, const char *data, struct result *r,
    const char *what, const char *needle, ...)
{
	va_list ap;

	va_start(ap, needle);
	tc_list(fx, data, NULL, r, ap);
	va_end(ap);
	expect_ok(what, r, needle);
}

/* The same, as expect_error wants it. */
static void
tc_fails(const struct fx *fx, const char *data, struct result *r,
    const char *what, int code, const char *needle, ...)
{
	va_list ap;

	va_start(ap, needle);
	tc_list(fx, data, NULL, r, ap);
	va_end(ap);
	expect_error(what, r, code, needle);
}

/* alice logs in to the whole program, not to admin-only mode. */
static void
alice_logs_in(const struct fx *fx, const char *data, struct result *r,
    const char *what)
{
	tc_ok(fx, data, r, what, "alice: logged in.", "login", "alice", NULL);
}

static void
expect_out(const char *what, const struct result *r, const char *needle)
{
	if (strstr(r->out, needle) == NULL) {
		show(what, r);
		fail_msg("%s: stdout has no \"%s\"", what, needle);
	}
}

/* Fails if directory dir holds an entry that allowed() refuses. */
static void
only(const char *dir, bool (*allowed)(const char *name))
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (d == NULL && errno == ENOENT)
		return;		/* not created: nothing left either */
	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
		    allowed(e->d_name))
			continue;
		closedir(d);
		fail_msg("%s: stray file %s", dir, e->d_name);
	}
	closedir(d);
}

/* The store's files and the two folders of employees. */
static bool
data_name(const char *name)
{
	return strcmp(name, "licence.keys") == 0 ||
	    strcmp(name, "state") == 0 || strcmp(name, "revocations") == 0 ||
	    strcmp(name, "employees") == 0 ||
	    strcmp(name, "administrators") == 0;
}

/* An employee's file: never a hidden (temporary) one. */
static bool
employee_name(const char *name)
{
	return name[0] != '.';
}

/*
 * DATA holds nothing but the store's and timeclock's own files: no
 * temporary file left behind, nothing else created.
 */
static void
no_strays(const char *dir)
{
	char sub[PATHCAP];

	only(dir, data_name);
	data_file(dir, "employees", sub);
	only(sub, employee_name);
	data_file(dir, "administrators", sub);
	only(sub, employee_name);
}

/* A regular file of mode 0600: a licence is the customer's own. */
static void
expect_mode_0600(const char *path)
{
	struct stat st;

	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	if ((st.st_mode & 07777) != 0600)
		fail_msg("%s: mode %04o, expected 0600", path,
		    (unsigned)(st.st_mode & 07777));
}

/* The lines of DATA/licence.keys after its first: the keys, in order. */
static void
keys_of(const char *dir, char *out, size_t cap)
{
	char path[PATHCAP], text[FILECAP];
	const char *nl;

	data_file(dir, "licence.keys", path);
	read_file(path, text, sizeof(text));
	assert_true(strncmp(text, "# lkey licence store", 20) == 0);
	nl = strchr(text, '\n');
	assert_non_null(nl);
	bprintf(out, cap, "%s", nl + 1);
}

/* Writes DATA/licence.keys as the store writes it, with keys (lines). */
static void
write_keys(const char *dir, const char *keys)
{
	char path[PATHCAP], text[FILECAP], head[FILECAP];
	const char *nl;

	data_file(dir, "licence.keys", path);
	read_file(path, head, sizeof(head));
	nl = strchr(head, '\n');
	assert_non_null(nl);
	bprintf(text, sizeof(text), "%.*s%s", (int)(nl + 1 - head), head, keys);
	write_file(path, text, strlen(text));
}

/*
 * DATA, a fresh fx->dir/name, with a three-seat key registered and the
 * employee alice added, an administrator if admin.
 */
static void
registered(const struct fx *fx, const char *name, bool admin, char *dir)
{
	char key[KEYCAP];
	struct result r;

	data_dir(fx, name, dir);
	tt_key(fx, key, "3", -30, 365, 365, NULL);
	tc_ok(fx, dir, &r, "register", NULL, "register", key, NULL);
	tc_ok(fx, dir, &r, "adduser", NULL, "adduser", "alice",
	    admin ? "--admin" : NULL, NULL);
}

/* The key as a mail program wraps it: lines of 20 with CR LF and spaces. */
static void
wrap(const char *key, char *out, size_t cap)
{
	size_t i, n = 0;

	for (i = 0; key[i] != '\0'; i++) {
		if (i > 0 && i % 20U == 0) {
			assert_true(n + 4U < cap);
			memcpy(out + n, "\r\n  ", 4);
			n += 4;
		}
		assert_true(n + 1U < cap);
		out[n++] = key[i];
	}
	assert_true(n + 2U < cap);
	memcpy(out + n, "\n\n", 3);
}

/* ---- registering -------------------------------------------------------- */

static void
test_register(void **state)
{
	const struct fx *fx = *state;
	char dir[PATHCAP], lic[PATHCAP], key[KEYCAP], key2[KEYCAP],
	    want[2U * KEYCAP + 4U], wrapped[2U * KEYCAP], got[FILECAP];
	struct result r;

	data_dir(fx, "register", dir);
	data_file(dir, "licence.keys", lic);

	tc_ok(fx, dir, &r, "licence, none registered", "none registered",
	    "licence", NULL);
	tc_fails(fx, dir, &r, "login, none registered", EX_NO_LICENCE,
	    "no licence is registered", "login", "alice", NULL);

	tt_key(fx, key, "3", -30, 365, 365, NULL);
	tc_ok(fx, dir, &r, "register", "it is in force", "register", key,
	    NULL);
	expect_out("register", &r, "Status:       valid");
	expect_mode_0600(lic);
	bprintf(want, sizeof(want), "%s\n", key);
	keys_of(dir, got, sizeof(got));
	assert_string_equal(got, want);
	no_strays(dir);

	/* Pasted from a mail: line breaks and spaces anywhere, on stdin. It
	 * is added, and in force: it is the newer. */
	tt_key(fx, key2, "4", -30, 365, 365, NULL);
	wrap(key2, wrapped, sizeof(wrapped));
	tc(fx, dir, wrapped, &r, "register", "-", NULL);
	expect_ok("register - (wrapped key)", &r, "4 valid");
	bprintf(want, sizeof(want), "%s\n%s\n", key, key2);
	keys_of(dir, got, sizeof(got));
	assert_string_equal(got, want);

	/* Quoted in a reply, between a greeting and a signature: the store
	 * finds the key (lkey_key_find). */
	bprintf(wrapped, sizeof(wrapped), "Dear customer,\n\nyour key:\n\n"
	    "> %s\n\n-- \nAcme Licensing\n", key2);
	tc(fx, dir, wrapped, &r, "register", "-", NULL);
	expect_ok("register - (a quoted mail)", &r, "registered already");

	/* The same as an argument: registered already, nothing changes. */
	wrap(key2, wrapped, sizeof(wrapped));
	tc_ok(fx, dir, &r, "register KEY (wrapped key)", "4 valid", "register",
	    wrapped, NULL);
	expect_out("register again", &r, "registered already");
	keys_of(dir, got, sizeof(got));
	assert_string_equal(got, want);
	expect_mode_0600(lic);
	no_strays(dir);
}

static void
test_register_refused(void **state)
{
	const struct fx *fx = *state;
	char dir[PATHCAP], lic[PATHCAP], osec[PATHCAP], opub[PATHCAP];
	char good[KEYCAP], tampered[KEYCAP], other[KEYCAP], expired[KEYCAP],
	    foreign[KEYCAP], before[FILECAP], after[FILECAP];
	struct stat st0, st1;
	struct result r;
	size_t i, n;
	struct {
		const char *what;
		const char *key;	/* NULL: empty standard input */
		const char *needle;
	} cases[] = {
		{ "altered key", tampered, "not genuine" },
		{ "key for another product", other, "for product 2" },
		{ "expired key", expired, "expired on" },
		{ "another vendor's key", foreign, "does not know" },
		{ "not base64", "hello, world!", "',' (comma) at character 6" },
		{ "empty key", NULL, "no licence key in the text" },
	};

	tt_key(fx, good, "3", -30, 365, 365, NULL);
	/* A character of the signature changed: still base64, not genuine. */
	bprintf(tampered, sizeof(tampered), "%s", good);
	n = strlen(tampered);
	tampered[n - 20U] = tampered[n - 20U] == 'A' ? 'B' : 'A';
	issue(fx, NULL, other, KEYCAP, "--secret", DEMO_SEC, "--catalog",
	    CATALOG, "--product", "timelog", "--edition", "basic", "--seats",
	    "5", "--expires", "never", "--maintenance", "never", NULL);
	tt_key(fx, expired, "3", -400, -30, -30, NULL);
	init_plain(fx, "other-vendor", osec, opub);
	issue(fx, NULL, foreign, KEYCAP, "--secret", osec, "--catalog",
	    CATALOG, "--product", "timetracker", "--edition", "basic",
	    "--seats", "3", "--expires", "never", "--maintenance", "never",
	    NULL);

	/* Nothing registered yet: a bad key does not even create DATA. */
	data_dir(fx, "refused", dir);
	tc_fails(fx, dir, &r, "expired key, nothing registered", EX_REFUSED,
	    "expired on", "register", expired, NULL);
	assert_false(file_exists(dir));

	data_file(dir, "licence.keys", lic);
	tc_ok(fx, dir, &r, "register", NULL, "register", good, NULL);
	read_file(lic, before, sizeof(before));
	assert_int_equal(stat(lic, &st0), 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (cases[i].key != NULL)
			tc(fx, dir, NULL, &r, "register", cases[i].key, NULL);
		else
			tc(fx, dir, "", &r, "register", "-", NULL);
		expect_error(cases[i].what, &r, EX_REFUSED, cases[i].needle);
		expect_error(cases[i].what, &r, EX_REFUSED,
		    "the registered licence is unchanged");
		assert_int_equal(r.outlen, 0);
		read_file(lic, after, sizeof(after));
		assert_string_equal(after, before);
		assert_int_equal(stat(lic, &st1), 0);
		assert_true(st1.st_ino == st0.st_ino);
		no_strays(dir);
	}
}

/* ---- a renewal registered ahead ----------------------------------------- */

/*
 * A renewal that starts after the licence in force ends is registered at
 * once and kept until its start day, when the store puts it in force with
 * no one acting (tests/test_store.c checks the day itself). Before the
 * licence store, timeclock refused such a key ("starts on") and the
 * customer had to come back on the day.
 */
static void
test_register_ahead(void **state)
{
	const struct fx *fx = *state;
	char dir[PATHCAP], now[KEYCAP], next[KEYCAP], want[2U * KEYCAP + 4U],
	    got[FILECAP], line[128], starts[11], t[11];
	struct result r;

	data_dir(fx, "ahead", dir);
	day(0, t);
	day(21, starts);
	tt_key(fx, now, "3", -30, 20, 20, NULL);
	/* Issued today, starting later (a key issued in the future would be
	 * a clock set back, for the clock guard). */
	tt_key(fx, next, "3", 21, 385, 385, "--issued", t, NULL);

	/* Only the renewal: registered, but nothing runs before its day. */
	tc_ok(fx, dir, &r, "register ahead, nothing in force", "takes over on",
	    "register", next, NULL);
	expect_out("register ahead, nothing in force", &r,
	    "Status:       not_yet_valid");
	tc_fails(fx, dir, &r, "login before the start", EX_NO_LICENCE,
	    "starts on", "login", "alice", NULL);

	/* The licence in force, then its renewal registered ahead. */
	data_dir(fx, "ahead", dir);
	tc_ok(fx, dir, &r, "register", "it is in force", "register", now,
	    NULL);
	tc_ok(fx, dir, &r, "adduser", NULL, "adduser", "alice", NULL);
	tc_ok(fx, dir, &r, "licence, ending soon",
	    "Warning:      The licence expires on", "licence", NULL);
	bprintf(line, sizeof(line), "it takes over on %s", starts);
	tc_ok(fx, dir, &r, "register the renewal ahead", line, "register",
	    next, NULL);
	expect_out("register the renewal ahead", &r, "Status:       valid");
	bprintf(line, sizeof(line), "in force from %s\n", starts);
	expect_out("register the renewal ahead", &r, line);
	bprintf(want, sizeof(want), "%s\n%s\n", now, next);
	keys_of(dir, got, sizeof(got));
	assert_string_equal(got, want);

	/* The licence in force runs on; the screen shows what comes, and no
	 * longer asks for a renewal. */
	alice_logs_in(fx, dir, &r, "login, renewal registered ahead");
	if (strstr(r.out, "warning: The licence expires on") != NULL)
		fail_msg("login asks for the renewal registered ahead: %s",
		    r.out);
	tc_ok(fx, dir, &r, "licence, renewal registered ahead", line,
	    "licence", NULL);
	expect_out("licence, renewal registered ahead", &r,
	    "Status:       valid");
	if (strstr(r.out, "The licence expires on") != NULL)
		fail_msg("the screen asks for the renewal registered ahead: "
		    "%s", r.out);
	no_strays(dir);
}

/* ---- seats -------------------------------------------------------------- */

static void
test_seats(void **state)
{
	const struct fx *fx = *state;
	char dir[PATHCAP], path[PATHCAP], key[KEYCAP], fewer[KEYCAP],
	    before[FILECAP], after[FILECAP];
	struct result r;
	size_t i;
	static const char *const files[] = { "administrators/alice",
	    "employees/Bob Builder", "employees/carol" };

	data_dir(fx, "seats", dir);
	tt_key(fx, key, "3", -30, 365, 365, NULL);
	tc_ok(fx, dir, &r, "register 3 seats", "3 remaining", "register", key,
	    NULL);

	tc_ok(fx, dir, &r, "adduser alice", "you can add 2 more employees",
	    "adduser", "alice", "--admin", NULL);
	tc_ok(fx, dir, &r, "adduser bob", "you can add 1 more employee",
	    "adduser", "Bob Builder", NULL);
	tc_ok(fx, dir, &r, "adduser carol", "all 3 seats are in use", "adduser",
	    "carol", NULL);
	tc_fails(fx, dir, &r, "adduser beyond the seats", EX_SEATS,
	    "number of licences exceeded", "adduser", "dave", NULL);
	tc_fails(fx, dir, &r, "adduser twice", EX_NO_USER, "already", "adduser",
	    "carol", NULL);
	/* An empty file each, named after them. */
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		data_file(dir, files[i], path);
		assert_int_equal(read_file(path, after, sizeof(after)), 0);
	}
	data_file(dir, "employees/dave", path);
	assert_false(file_exists(path));
	data_file(dir, "administrators/carol", path);
	assert_false(file_exists(path));

	tc_ok(fx, dir, &r, "users",
	    "alice (administrator)\nBob Builder\ncarol\n3 employees",
	    "users", NULL);
	tc_ok(fx, dir, &r, "licence, full",
	    "Seats:        3 valid, 3 in use, 0 remaining", "licence", NULL);
	tc_ok(fx, dir, &r, "login, full", "Bob Builder: logged in.", "login",
	    "Bob Builder", NULL);
	tc_fails(fx, dir, &r, "login, no such employee", EX_NO_USER,
	    "not an employee", "login", "dave", NULL);
	tc_fails(fx, dir, &r, "deluser, no such employee", EX_NO_USER,
	    "not an employee", "deluser", "dave", NULL);

	/*
	 * A key with fewer seats than the licence in force is refused: it
	 * gives less. Before the licence store, timeclock registered it at
	 * once; now it takes --force, as a customer who reduced their seats
	 * on purpose gives it.
	 */
	tt_key(fx, fewer, "2", -30, 365, 365, NULL);
	keys_of(dir, before, sizeof(before));
	tc_fails(fx, dir, &r, "register 2 seats in place of 3", EX_REFUSED,
	    "2 seats instead of 3", "register", fewer, NULL);
	expect_error("register 2 seats in place of 3", &r, EX_REFUSED,
	    "timeclock register --force KEY");
	assert_int_equal(r.outlen, 0);
	keys_of(dir, after, sizeof(after));
	assert_string_equal(after, before);

	/* Forced: more employees than seats, admin-only mode. */
	tc_ok(fx, dir, &r, "register --force 2 seats for 3 employees",
	    "2 valid, 3 in use, 1 too many", "register", "--force", fewer,
	    NULL);
	tc_fails(fx, dir, &r, "admin login, over the limit", EX_ADMIN_ONLY,
	    "admin-only mode", "login", "alice", NULL);
	expect_error("admin login, what to do", &r, EX_ADMIN_ONLY,
	    "deactivate 1 user");
	expect_out("admin login, over the limit", &r,
	    "alice: logged in to admin-only mode");
	tc_fails(fx, dir, &r, "user login, over the limit", EX_SEATS,
	    "number of licences exceeded", "login", "carol", NULL);
	assert_int_equal(r.outlen, 0);
	tc_fails(fx, dir, &r, "adduser, over the limit", EX_SEATS,
	    "number of licences exceeded", "adduser", "erin", "--admin", NULL);
	tc_ok(fx, dir, &r, "licence, over the limit",
	    "Status:       seats_exceeded", "licence", NULL);

	/* The administrator fixes it. */
	tc_ok(fx, dir, &r, "deluser carol", "all 2 seats are in use", "deluser",
	    "carol", NULL);
	tc_ok(fx, dir, &r, "user login, fixed", "logged in.", "login",
	    "Bob Builder", NULL);
	alice_logs_in(fx, dir, &r, "admin login, fixed");
	no_strays(dir);
}

/* ---- the licence screen ------------------------------------------------- */

static void
test_screen(void **state)
{
	const struct fx *fx = *state;
	char dir[PATHCAP], key[KEYCAP], line[256], s[11], e[11], m[11],
	    rel[11];
	struct result r;

	data_dir(fx, "screen", dir);
	lkey_day_format(release_day(fx), rel);
	day(-10, s);
	day(100, e);
	day(20, m);
	issue(fx, NULL, key, KEYCAP, "--secret", DEMO_SEC, "--catalog",
	    CATALOG, "--product", "timetracker", "--edition", "enterprise",
	    "--seats", "5", "--starts", s, "--expires", e, "--maintenance", m,
	    "--serial", "4242", "--licensee", "Muster AG", "--features",
	    "desktop,payroll", NULL);
	tc_ok(fx, dir, &r, "register", NULL, "register", key, NULL);
	tc_ok(fx, dir, &r, "adduser", NULL, "adduser", "alice", "--admin",
	    NULL);
	tc_ok(fx, dir, &r, "adduser", "you can add 3 more employees", "adduser",
	    "bob", NULL);

	tc_ok(fx, dir, &r, "licence", "Licensee:     Muster AG\n", "licence",
	    NULL);
	expect_out("licence", &r, "Edition:      Enterprise\n");
	expect_out("licence", &r, "Serial:       4242\n");
	expect_out("licence", &r, "Status:       valid\n");
	expect_out("licence", &r, "Seats:        5 valid, 2 in use, "
	    "3 remaining: you can add 3 more employees\n");
	bprintf(line, sizeof(line), "Licence:      starts %s, expires %s, "
	    "101 days left\n", s, e);
	expect_out("licence", &r, line);
	bprintf(line, sizeof(line), "Maintenance:  until %s, 21 days left\n",
	    m);
	expect_out("licence", &r, line);
	expect_out("licence", &r, "Add-ons:      Desktop companion, Payroll\n");
	bprintf(line, sizeof(line), "Release:      %s\n", rel);
	expect_out("licence", &r, line);
	/* Maintenance ends within the notice period (30 days). */
	expect_out("licence", &r, "Warning:      Maintenance ends on");
	tc_ok(fx, dir, &r, "login", "warning: Maintenance ends on", "login",
	    "bob", NULL);
}

/* ---- maintenance -------------------------------------------------------- */

static void
test_maintenance(void **state)
{
	const struct fx *fx = *state;
	char dir[PATHCAP], lapsed[KEYCAP], renewed[KEYCAP], text[KEYCAP + 2U],
	    got[FILECAP], s[11], m[11], rel[11], next[11];
	lkey_day release = release_day(fx);
	struct result r;
	size_t i;
	static const char *const commands[][3] = {
		{ "login", "alice", NULL },
		{ "adduser", "bob", NULL },
		{ "deluser", "alice", NULL },
		{ "users", NULL, NULL },
	};

	data_dir(fx, "maintenance", dir);

	/*
	 * A perpetual licence whose maintenance ended the day before this
	 * release was built: registered (older releases run with it), with a
	 * warning that names both dates and what to do. (Before the licence
	 * store this key replaced a licence in force; now a key with an
	 * earlier end of maintenance than the licence in force is refused
	 * unless forced, test_seats, so it comes first here.)
	 */
	lkey_day_format(release - 1U, m);
	lkey_day_format(release, rel);
	issue(fx, NULL, lapsed, KEYCAP, "--secret", DEMO_SEC, "--catalog",
	    CATALOG, "--product", "timetracker", "--edition", "professional",
	    "--seats", "3", "--starts", "2020-01-01", "--expires", "never",
	    "--maintenance", m, NULL);
	tc_fails(fx, dir, &r, "register, maintenance lapsed", 0, "warning: ",
	    "register", lapsed, NULL);
	expect_error("register, maintenance lapsed", &r, 0, m);
	expect_error("register, maintenance lapsed", &r, 0, rel);
	expect_error("register, maintenance lapsed", &r, 0,
	    "Renew maintenance");
	expect_out("register, maintenance lapsed", &r,
	    "Status:       maintenance_lapsed\n");
	bprintf(text, sizeof(text), "%s\n", lapsed);
	keys_of(dir, got, sizeof(got));
	assert_string_equal(got, text);

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		tc(fx, dir, NULL, &r, commands[i][0], commands[i][1],
		    commands[i][2]);
		expect_error(commands[i][0], &r, EX_MAINTENANCE,
		    "Maintenance ended on");
		expect_error(commands[i][0], &r, EX_MAINTENANCE, m);
		expect_error(commands[i][0], &r, EX_MAINTENANCE, rel);
		expect_error(commands[i][0], &r, EX_MAINTENANCE,
		    "Renew maintenance, or use a release built on or before");
		assert_int_equal(r.outlen, 0);
	}
	tc_ok(fx, dir, &r, "licence, maintenance lapsed",
	    "Status:       maintenance_lapsed\n", "licence", NULL);
	expect_out("licence, maintenance lapsed", &r, "Maintenance ended on");

	/* register still runs, and the licence with maintenance renewed
	 * fixes it. */
	day(-30, s);
	day(365, next);
	issue(fx, NULL, renewed, KEYCAP, "--secret", DEMO_SEC, "--catalog",
	    CATALOG, "--product", "timetracker", "--edition", "professional",
	    "--seats", "3", "--starts", s, "--expires", "never",
	    "--maintenance", next, NULL);
	tc_ok(fx, dir, &r, "register renewed key", "Status:       valid",
	    "register", renewed, NULL);
	tc_ok(fx, dir, &r, "adduser after renewal", NULL, "adduser", "alice",
	    "--admin", NULL);
	alice_logs_in(fx, dir, &r, "login after renewal");
	no_strays(dir);
}

/* ---- a licence that does not let timeclock run -------------------------- */

static void
test_not_valid(void **state)
{
	const struct fx *fx = *state;
	char dir[PATHCAP], lic[PATHCAP], other[PATHCAP], key[KEYCAP],
	    text[KEYCAP + 2U], t[11], big[16U * 1024U], before[FILECAP],
	    after[FILECAP];
	struct result r;
	size_t i;
	struct {
		const char *what;
		int starts, expires;
		const char *status, *needle;
	} cases[] = {
		{ "expired", -400, -1, "expired", "expired on" },
		{ "not yet valid", 5, 365, "not_yet_valid", "starts on" },
	};

	registered(fx, "not-valid", true, dir);
	data_file(dir, "licence.keys", lic);

	/* What the store holds once time has passed (or not yet). */
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char status[64];

		/* Issued by today: a key issued later would be a clock set
		 * back, for the clock guard. */
		day(cases[i].starts < 0 ? cases[i].starts : 0, t);
		tt_key(fx, key, "3", cases[i].starts, cases[i].expires,
		    cases[i].expires, "--issued", t, NULL);
		bprintf(text, sizeof(text), "%s\n", key);
		write_keys(dir, text);
		tc(fx, dir, NULL, &r, "login", "alice", NULL);
		expect_error(cases[i].what, &r, EX_NO_LICENCE,
		    cases[i].needle);
		tc(fx, dir, NULL, &r, "adduser", "bob", NULL);
		expect_error(cases[i].what, &r, EX_NO_LICENCE,
		    cases[i].needle);
		tc(fx, dir, NULL, &r, "licence", NULL);
		bprintf(status, sizeof(status), "Status:       %s\n",
		    cases[i].status);
		expect_ok(cases[i].what, &r, status);
	}
	/*
	 * A damaged store: exit 1, the file named, nothing changed. (Before
	 * the licence store a damaged key file was a malformed key, exit 4,
	 * and the screen showed it; now it is damage to be restored from a
	 * backup, never a licence, and the store is never reset.)
	 */
	write_keys(dir, "not a key\n");
	read_file(lic, before, sizeof(before));
	tc_fails(fx, dir, &r, "damaged licence file", EX_FILE, "damaged",
	    "login", "alice", NULL);
	expect_error("damaged licence file", &r, EX_FILE, "licence.keys");
	tc_fails(fx, dir, &r, "licence, damaged file", EX_FILE, "damaged",
	    "licence", NULL);
	tc_fails(fx, dir, &r, "register, damaged file", EX_FILE, "damaged",
	    "register", key, NULL);
	read_file(lic, after, sizeof(after));
	assert_string_equal(after, before);

	/* Files that cannot be used: one line, exit 1. */
	memset(big, 'A', sizeof(big));
	write_file(lic, big, sizeof(big));
	tc_fails(fx, dir, &r, "huge licence file", EX_FILE, "larger than",
	    "login", "alice", NULL);
	assert_int_equal(unlink(lic), 0);
	bprintf(other, sizeof(other), "%s/elsewhere", dir);
	write_file(other, text, strlen(text));
	assert_int_equal(symlink("elsewhere", lic), 0);
	tc_fails(fx, dir, &r, "licence file is a link", EX_FILE,
	    "licence.keys: not a regular file", "login", "alice", NULL);
	assert_int_equal(unlink(lic), 0);
	assert_int_equal(unlink(other), 0);
	no_strays(dir);
}

/* ---- the clock guard ---------------------------------------------------- */

static void
test_clock_guard(void **state)
{
	const struct fx *fx = *state;
	char dir[PATHCAP], st[PATHCAP], perpetual[KEYCAP],
	    text[LKEY_STATE_TEXT_MAX], t[11];
	lkey_state s;
	struct result r;
	size_t n;

	registered(fx, "clock", false, dir);
	data_file(dir, "state", st);
	/* Written after valid checks, with today as the last day seen. */
	expect_mode_0600(st);
	read_file(st, text, sizeof(text));
	assert_int_equal(lkey_state_parse(text, strlen(text), 1, &s),
	    LKEY_STATE_OK);
	assert_int_equal(s.last_seen, today());

	/* A day seen ten days from now: the clock is set back. */
	s.last_seen = s.latest = today() + 10U;
	n = lkey_state_format(&s, text, sizeof(text));
	assert_true(n > 0);
	write_file(st, text, n);
	tc_fails(fx, dir, &r, "clock set back", EX_NO_LICENCE,
	    "clock is set back", "login", "alice", NULL);

	/* A perpetual licence is never refused for the clock. (Issued
	 * today, with the same edition and seats: else the store would keep
	 * the licence in force, the newer one, or refuse one that gives
	 * less.) */
	day(0, t);
	issue(fx, NULL, perpetual, KEYCAP, "--secret", DEMO_SEC, "--catalog",
	    CATALOG, "--product", "timetracker", "--edition", "professional",
	    "--seats", "3", "--starts", "2020-01-01", "--issued", t,
	    "--expires", "never", "--maintenance", "never", NULL);
	tc_ok(fx, dir, &r, "register perpetual", NULL, "register", perpetual,
	    NULL);
	alice_logs_in(fx, dir, &r, "login, perpetual");

	/* A damaged state is refused, never reset. */
	write_file(st, "garbage\n", 8);
	tc_fails(fx, dir, &r, "damaged state", EX_FILE, "damaged", "login",
	    "alice", NULL);
	read_file(st, text, sizeof(text));
	assert_string_equal(text, "garbage\n");
	no_strays(dir);
}

/* ---- the employees ------------------------------------------------------ */

/* Something in DATA/employees that is not an employee stops timeclock. */
static void
test_employees_damaged(void **state)
{
	const struct fx *fx = *state;
	char dir[PATHCAP], path[PATHCAP];
	struct result r;

	registered(fx, "employees", true, dir);
	data_file(dir, "employees", path);
	assert_int_equal(mkdir(path, 0700), 0);
	data_file(dir, "employees/.stray", path);
	write_file(path, "", 0);
	tc_fails(fx, dir, &r, "a hidden file among the employees", EX_FILE,
	    "not an employee", "users", NULL);
	assert_int_equal(unlink(path), 0);
	data_file(dir, "employees/bob", path);
	assert_int_equal(mkdir(path, 0700), 0);
	tc_fails(fx, dir, &r, "a folder among the employees", EX_FILE,
	    "employees/bob: not an employee", "login", "alice", NULL);
	assert_int_equal(rmdir(path), 0);
	/* The same name as employee and administrator. */
	data_file(dir, "employees/alice", path);
	write_file(path, "", 0);
	tc_fails(fx, dir, &r, "an employee twice", EX_FILE, "not an employee",
	    "users", NULL);
	assert_int_equal(unlink(path), 0);
	alice_logs_in(fx, dir, &r, "login, employees fixed");
	tc_ok(fx, dir, &r, "deluser alice", "Removed alice", "deluser",
	    "alice", NULL);
	data_file(dir, "administrators/alice", path);
	assert_false(file_exists(path));
	no_strays(dir);
}

/*
 * The licence is liblkey's to write: no file of examples/ syncs, replaces
 * by name or makes a temporary file. (The employees are an empty file
 * each, created or removed in one call: users.h.)
 */
static void
scan(const char *dir, size_t *files)
{
	static const char *const banned[] = { "fsync", "rename", "mkstemp",
	    "fdatasync" };
	static char text[64U * 1024U];
	char path[PATHCAP];
	struct dirent *e;
	struct stat st;
	size_t i;
	DIR *d = opendir(dir);

	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' || strcmp(e->d_name, "vendor_keys.h") == 0)
			continue;
		bprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		assert_int_equal(lstat(path, &st), 0);
		if (S_ISDIR(st.st_mode)) {
			scan(path, files);
			continue;
		}
		/* What a build in the source folder made is not source. */
		if (!S_ISREG(st.st_mode) || (st.st_mode & 0111) != 0)
			continue;
		(void)read_file(path, text, sizeof(text));
		for (i = 0; i < sizeof(banned) / sizeof(banned[0]); i++)
			if (strstr(text, banned[i]) != NULL)
				fail_msg("%s: has \"%s\": the licence store "
				    "writes the licence, not the example",
				    path, banned[i]);
		(*files)++;
	}
	closedir(d);
}

static void
test_no_atomic_writes(void **state)
{
	size_t files = 0;

	(void)state;
	scan("examples", &files);
	assert_true(files >= 8U);
}

/* ---- usage -------------------------------------------------------------- */

static void
test_usage(void **state)
{
	const struct fx *fx = *state;
	char prog[PATHCAP], dir[PATHCAP];
	struct result r;
	size_t i;
	const char *const cases[][5] = {
		{ prog, NULL },
		{ prog, "--data", dir, NULL },
		{ prog, "licence", NULL },
		{ prog, "--data", dir, "frobnicate", NULL },
		{ prog, "--data", dir, "--data", dir },
		{ prog, "--bogus", NULL },
		{ prog, "--data", dir, "register", NULL },
		{ prog, "--data", dir, "register", "--force" },
		{ prog, "--data", dir, "register", "--bogus" },
		{ prog, "--data", dir, "adduser", "a/b" },
		{ prog, "--data", dir, "adduser", ".hidden" },
		{ prog, "--data", dir, "adduser", NULL },
		{ prog, "--data", dir, "adduser", " lead" },
		{ prog, "--data", dir, "adduser", "--bogus" },
		{ prog, "--data", dir, "login", NULL },
		{ prog, "--data", dir, "licence", "extra" },
	};

	bprintf(prog, sizeof(prog), "%s/%s", fx->bindir, PROG);
	data_dir(fx, "usage", dir);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *argv[6] = { NULL };

		memcpy(argv, cases[i], sizeof(cases[i]));
		run(fx, argv, NULL, 0, &r);
		expect_error("usage", &r, EX_USAGE, "(see timeclock --help)");
	}
	{
		const char *argv[] = { prog, "--help", NULL };

		run(fx, argv, NULL, 0, &r);
		expect_ok("--help", &r, "usage: timeclock");
	}
	assert_false(file_exists(dir));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_register),
		cmocka_unit_test(test_register_refused),
		cmocka_unit_test(test_register_ahead),
		cmocka_unit_test(test_seats),
		cmocka_unit_test(test_screen),
		cmocka_unit_test(test_maintenance),
		cmocka_unit_test(test_not_valid),
		cmocka_unit_test(test_clock_guard),
		cmocka_unit_test(test_employees_damaged),
		cmocka_unit_test(test_no_atomic_writes),
		cmocka_unit_test(test_usage),
	};

	/* The data directory is always given with --data. */
	(void)unsetenv("TIMECLOCK_DATA");
	return cmocka_run_group_tests_name("example", tests, proc_setup,
	    proc_teardown);
}
