/*
 * test_example.c - the example application, examples/timeclock, as its
 * users run it: $LKEY_BUILD_DIR/examples/timeclock, built by make against
 * this tree with the demo key and the build day as its release date.
 *
 * What is checked: registering a valid key writes DATA/licence (the key on
 * one line, mode 0644), whatever whitespace the pasted key holds; a key
 * that is not genuine, for another product, expired or not yet valid
 * changes nothing and says why; employees are added up to the seats and then refused with "number
 * of licences exceeded"; with fewer seats than employees administrators
 * log in to admin-only mode and everyone else is refused; the licence
 * screen; a key whose maintenance ended before this release was built is
 * registered with a warning, and then the release runs `licence` and
 * `register` only, until a renewed key is registered; the clock guard; no
 * temporary file is ever left in DATA.
 *
 * Keys are issued by lkey-keygen with the demo vendor key, with dates
 * relative to the real today (UTC): the example checks against the system
 * clock, as a product does.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
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

/* A timetracker key of the demo vendor, with the options that follow. */
static void
tt_key(const struct fx *fx, char *key, const char *seats, int starts,
    int expires, int maintenance, ...)
{
	char s[11], e[11], m[11];
	const char *prefix[] = { "--secret", DEMO_SEC, "--catalog", CATALOG,
	    "--product", "timetracker", "--edition", "professional",
	    "--seats", seats, "--starts", s, "--expires", e,
	    "--maintenance", m, NULL };
	const char *opts[ARGMAX + 1U];
	va_list ap;

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

/*
 * DATA holds nothing but timeclock's own files: no temporary file left
 * behind, nothing else created.
 */
static void
no_strays(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (d == NULL)
		return;		/* not created: nothing left either */
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
		    strcmp(e->d_name, "licence") == 0 ||
		    strcmp(e->d_name, "users") == 0 ||
		    strcmp(e->d_name, "state") == 0)
			continue;
		closedir(d);
		fail_msg("%s: stray file %s", dir, e->d_name);
	}
	closedir(d);
}

/* A regular file of mode 0644. */
static void
expect_mode_0644(const char *path)
{
	struct stat st;

	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	if ((st.st_mode & 07777) != 0644)
		fail_msg("%s: mode %04o, expected 0644", path,
		    (unsigned)(st.st_mode & 07777));
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
	    want[KEYCAP + 2U], wrapped[2U * KEYCAP], got[FILECAP];
	struct result r;

	data_dir(fx, "register", dir);
	data_file(dir, "licence", lic);

	tc_ok(fx, dir, &r, "licence, none registered", "none registered",
	    "licence", NULL);
	tc_fails(fx, dir, &r, "login, none registered", EX_NO_LICENCE,
	    "no licence is registered", "login", "alice", NULL);

	tt_key(fx, key, "3", -30, 365, 365, NULL);
	tc_ok(fx, dir, &r, "register", "Licence registered", "register", key,
	    NULL);
	expect_out("register", &r, "Status:       valid");
	expect_mode_0644(lic);
	bprintf(want, sizeof(want), "%s\n", key);
	read_file(lic, got, sizeof(got));
	assert_string_equal(got, want);
	no_strays(dir);

	/* Pasted from a mail: line breaks and spaces anywhere, on stdin. */
	tt_key(fx, key2, "4", -30, 365, 365, NULL);
	wrap(key2, wrapped, sizeof(wrapped));
	tc(fx, dir, wrapped, &r, "register", "-", NULL);
	expect_ok("register - (wrapped key)", &r, "4 valid");
	bprintf(want, sizeof(want), "%s\n", key2);
	read_file(lic, got, sizeof(got));
	assert_string_equal(got, want);

	/* The same as an argument. */
	tc_ok(fx, dir, &r, "register KEY (wrapped key)", "4 valid", "register",
	    wrapped, NULL);
	read_file(lic, got, sizeof(got));
	assert_string_equal(got, want);
	expect_mode_0644(lic);
	no_strays(dir);
}

static void
test_register_refused(void **state)
{
	const struct fx *fx = *state;
	char dir[PATHCAP], lic[PATHCAP], osec[PATHCAP], opub[PATHCAP];
	char good[KEYCAP], tampered[KEYCAP], other[KEYCAP], expired[KEYCAP],
	    future[KEYCAP], foreign[KEYCAP], before[FILECAP], after[FILECAP],
	    t[11];
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
		{ "key not yet valid", future, "starts on" },
		{ "another vendor's key", foreign, "does not know" },
		{ "not base64", "hello, world!", "damaged" },
		{ "empty key", NULL, "damaged" },
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
	/* Issued today, starting later (a key issued in the future would be
	 * a clock set back, for the clock guard). */
	day(0, t);
	tt_key(fx, future, "3", 10, 365, 365, "--issued", t, NULL);
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

	data_file(dir, "licence", lic);
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

/* ---- seats -------------------------------------------------------------- */

static void
test_seats(void **state)
{
	const struct fx *fx = *state;
	char dir[PATHCAP], users[PATHCAP], key[KEYCAP], fewer[KEYCAP],
	    got[FILECAP];
	struct result r;

	data_dir(fx, "seats", dir);
	data_file(dir, "users", users);
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
	expect_mode_0644(users);
	read_file(users, got, sizeof(got));
	assert_non_null(strstr(got, "\nadmin alice\nuser Bob Builder\n"
	    "user carol\n"));
	assert_null(strstr(got, "dave"));

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

	/* A key with fewer seats than employees: admin-only mode. */
	tt_key(fx, fewer, "2", -30, 365, 365, NULL);
	tc_ok(fx, dir, &r, "register 2 seats for 3 employees",
	    "2 valid, 3 in use, 1 too many", "register", fewer, NULL);
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
	char dir[PATHCAP], lic[PATHCAP], lapsed[KEYCAP], renewed[KEYCAP],
	    text[KEYCAP + 2U], got[FILECAP], m[11], rel[11];
	lkey_day release = release_day(fx);
	struct result r;
	size_t i;
	static const char *const commands[][3] = {
		{ "login", "alice", NULL },
		{ "adduser", "bob", NULL },
		{ "deluser", "alice", NULL },
		{ "users", NULL, NULL },
	};

	registered(fx, "maintenance", true, dir);
	data_file(dir, "licence", lic);

	/*
	 * A licence whose maintenance ended the day before this release was
	 * built: registered (older releases run with it), with a warning
	 * that names both dates and what to do.
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
	read_file(lic, got, sizeof(got));
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

	/* register still runs, and a renewed key fixes it. */
	tt_key(fx, renewed, "3", -30, 365, 365, NULL);
	tc_ok(fx, dir, &r, "register renewed key", "Status:       valid",
	    "register", renewed, NULL);
	alice_logs_in(fx, dir, &r, "login after renewal");
	no_strays(dir);
}

/* ---- a licence that does not let timeclock run -------------------------- */

static void
test_not_valid(void **state)
{
	const struct fx *fx = *state;
	char dir[PATHCAP], lic[PATHCAP], other[PATHCAP], key[KEYCAP],
	    text[KEYCAP + 2U], t[11], big[LKEY_TEXT_MAX + 1U];
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
	data_file(dir, "licence", lic);

	/* What DATA/licence holds once time has passed (or not yet). */
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char status[64];

		/* Issued by today: a key issued later would be a clock set
		 * back, for the clock guard. */
		day(cases[i].starts < 0 ? cases[i].starts : 0, t);
		tt_key(fx, key, "3", cases[i].starts, cases[i].expires,
		    cases[i].expires, "--issued", t, NULL);
		bprintf(text, sizeof(text), "%s\n", key);
		write_file(lic, text, strlen(text));
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
	/* A damaged licence file. */
	write_file(lic, "not a key\n", 10);
	tc_fails(fx, dir, &r, "damaged licence file", EX_NO_LICENCE, "damaged",
	    "login", "alice", NULL);
	tc_ok(fx, dir, &r, "licence, damaged file", "Status:       malformed\n",
	    "licence", NULL);

	/* Files that cannot be used: one line, exit 1. */
	memset(big, 'A', sizeof(big));
	write_file(lic, big, sizeof(big));
	tc_fails(fx, dir, &r, "huge licence file", EX_FILE, "too big", "login",
	    "alice", NULL);
	assert_int_equal(unlink(lic), 0);
	bprintf(other, sizeof(other), "%s/elsewhere", dir);
	write_file(other, text, strlen(text));
	assert_int_equal(symlink("elsewhere", lic), 0);
	tc_fails(fx, dir, &r, "licence file is a link", EX_FILE, "licence",
	    "login", "alice", NULL);
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
	    text[LKEY_STATE_TEXT_MAX];
	lkey_state s;
	struct result r;
	size_t n;

	registered(fx, "clock", false, dir);
	data_file(dir, "state", st);
	/* Written after a valid check, with today as the last day seen. */
	expect_mode_0644(st);
	read_file(st, text, sizeof(text));
	assert_int_equal(lkey_state_parse(text, strlen(text), 1, &s),
	    LKEY_STATE_OK);
	assert_int_equal(s.last_seen, today());

	/* A day seen ten days from now: the clock is set back. */
	s.last_seen = today() + 10U;
	n = lkey_state_format(&s, text, sizeof(text));
	assert_true(n > 0);
	write_file(st, text, n);
	tc_fails(fx, dir, &r, "clock set back", EX_NO_LICENCE,
	    "clock is set back", "login", "alice", NULL);

	/* A perpetual licence is never refused for the clock. */
	issue(fx, NULL, perpetual, KEYCAP, "--secret", DEMO_SEC, "--catalog",
	    CATALOG, "--product", "timetracker", "--edition", "basic",
	    "--seats", "3", "--starts", "2020-01-01", "--expires", "never",
	    "--maintenance", "never", NULL);
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
		cmocka_unit_test(test_seats),
		cmocka_unit_test(test_screen),
		cmocka_unit_test(test_maintenance),
		cmocka_unit_test(test_not_valid),
		cmocka_unit_test(test_clock_guard),
		cmocka_unit_test(test_usage),
	};

	/* The data directory is always given with --data. */
	(void)unsetenv("TIMECLOCK_DATA");
	return cmocka_run_group_tests_name("example", tests, proc_setup,
	    proc_teardown);
}
