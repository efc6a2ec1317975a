/*
 * proc.h - running the built programs the way users and CI pipelines run
 * them, for the CLI tests (test_cli.c, test_register.c, test_cli_terms.c).
 *
 * lkey-keygen and lkey-verify come from $LKEY_BUILD_DIR (default "build");
 * the tests run from the repository root, so keys/ and tests/ are relative
 * paths. Programs are started with fork/exec and pipes, no shell. Every
 * child runs in a new session (setsid), so it has no controlling terminal:
 * a passphrase prompt fails at once instead of hanging the suite. Its
 * environment is ours with LKEY_PWHASH_INTERACTIVE=1 (fast Argon2) and
 * LKEY_PASSPHRASE only where a test sets it.
 *
 * A test group, or a single test, gets a fresh temporary directory
 * (proc_setup, made with mkdtemp, removed by proc_teardown); its state is
 * a struct fx. The unit tests that work on files use the same fixture.
 *
 * Test code only: a failure ends the running cmocka test (fail_msg)
 * rather than returning an error. Table-driven tests count failed cases in
 * a struct tally and fail at the end, so one run lists every case that
 * goes wrong, not only the first.
 */
#ifndef LKEY_TEST_PROC_H
#define LKEY_TEST_PROC_H

#include <sys/types.h>

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "json.h"
#include "lkey.h"

#ifdef _WIN32
/*
 * Windows (make test-windows builds the unit tests that need no program):
 * a test makes no symbolic link there, so there is none to tell apart.
 */
#define lstat stat
#define S_ISLNK(m) 0
#define readlink(path, buf, cap) ((void)(path), (void)(buf), (ssize_t)-1)
#define symlink(target, path) ((void)(target), (void)(path), -1)
#define CAN_SYMLINK 0
#else
#define CAN_SYMLINK 1
#endif

/* Whether this is the AddressSanitizer build (make test builds both). */
#if defined(__SANITIZE_ADDRESS__)
#define ASAN_BUILD 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ASAN_BUILD 1
#endif
#endif
#ifndef ASAN_BUILD
#define ASAN_BUILD 0
#endif

#define OUTCAP 32768U		/* bytes of stdout / stderr kept per run */
#define PATHCAP 4096U
#define ARGMAX 48U		/* arguments of one run, argv[0] included */
/*
 * A hung child fails the test, not the suite. $LKEY_TEST_TIMEOUT_SCALE (a
 * whole number, 1 to 1000; default 1) multiplies it for slow runs: under
 * valgrind a program runs some 30 to 50 times slower.
 */
#define RUN_TIMEOUT_MS 60000
#define KEYCAP 1024U		/* a licence key as lkey-keygen prints it */

/* The demo vendor key pair and catalog, relative to the repository root. */
#define DEMO_SEC "keys/demo-vendor.sec"
#define DEMO_PUB "keys/demo-vendor.pub"
#define CATALOG "keys/catalog"

/* What one run of a program did. */
struct result {
	int code;		/* exit status; 128 + signal; -1 not run */
	bool timed_out;
	char out[OUTCAP + 1U];	/* stdout, NUL-terminated */
	size_t outlen;
	bool out_trunc;		/* more than OUTCAP bytes were written */
	char err[OUTCAP + 1U];	/* stderr, NUL-terminated */
	size_t errlen;
	bool err_trunc;
};

/* The state of a test group (cmocka's *state). */
struct fx {
	char dir[PATHCAP];	/* the group's temporary directory */
	char bindir[PATHCAP];	/* $LKEY_BUILD_DIR */
};

/* Collects failures of a table-driven test; the test fails at its end. */
struct tally {
	int failures;		/* cases with at least one failed check */
	int cases;		/* the caller counts each case it starts */
	int last_failed;	/* the case last counted in failures */
};

/*
 * Group setup and teardown for cmocka_run_group_tests: a struct fx with
 * the build directory and a new directory $TMPDIR/lkey-test-XXXXXX, which
 * teardown removes with all it holds.
 */
int proc_setup(void **state);
int proc_teardown(void **state);

/* snprintf that fails the test instead of truncating. */
void bprintf(char *out, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ---- paths and files ---------------------------------------------------- */

/* fx->dir/name into out. */
void path_in(const struct fx *fx, const char *name, char *out, size_t cap);
/* Creates or truncates path with len bytes of data; mode 0600. */
void write_file(const char *path, const void *data, size_t len);
/* Reads a whole small file into buf (NUL-terminated); returns its length.
 * Fails the test if it cannot be opened or holds cap bytes or more. */
size_t read_file(const char *path, char *buf, size_t cap);
/* Creates the directory path (mode 0700); 0 or -1 (errno). */
int make_dir(const char *path);
/* Whether anything (a link too) is at path. */
bool file_exists(const char *path);
/* Removes path and, for a directory, all below it (made accessible
 * first); 0 or -1. */
int rm_tree(const char *path);
/* The permission bits of what is at path (lstat); fails the test if
 * there is nothing. */
mode_t mode_of(const char *path);
/* Fails the test unless needle is in hay. */
void assert_contains(const char *hay, const char *needle);

/* ---- running a program -------------------------------------------------- */

/*
 * Runs argv (argv[0] without a '/' is a program in fx->bindir; at most
 * ARGMAX arguments) with stdin_data on standard input (NULL: empty input)
 * and captures its exit status, stdout and stderr. passphrase, if not
 * NULL, is passed as LKEY_PASSPHRASE. Both output pipes are read as they
 * fill and the input is written non-blocking, all under one poll, so
 * nothing deadlocks however much either side writes; a child that stops
 * reading its input just ends it (EPIPE, SIGPIPE ignored here). A child
 * still running after RUN_TIMEOUT_MS (times $LKEY_TEST_TIMEOUT_SCALE) is
 * killed and fails the test.
 */
void run_env(const struct fx *fx, const char *const argv[],
    const char *passphrase, const char *stdin_data, size_t stdin_len,
    struct result *r);

/* run_env without a passphrase. */
void run(const struct fx *fx, const char *const argv[],
    const char *stdin_data, size_t stdin_len, struct result *r);

/*
 * Runs a tool found on PATH (argv[0] as execvp looks it up, e.g. "strace")
 * like run_env. extra_env (NULL-terminated "NAME=value" strings, or NULL)
 * is added to the child's environment, replacing our values of those
 * names. A tool that cannot be started exits 127 with "proc: cannot run
 * TOOL: ..." on stderr.
 */
void run_tool(const char *const argv[], const char *const extra_env[],
    const char *stdin_data, size_t stdin_len, struct result *r);

/* run_tool without input, which must exit 0: otherwise the test fails,
 * showing `what` and the run. */
void run_tool_ok(const char *what, const char *const argv[],
    const char *const extra_env[], struct result *r);

/* Collects a NULL-terminated list of arguments into argv (for helpers). */
void collect_args(const char *first, va_list ap, const char *argv[]);

/*
 * argv (ARGMAX + 1 entries) = the NULL-terminated prefix followed by the
 * NULL-terminated list of arguments in ap: for helpers that add options
 * every call of theirs needs.
 */
void prefix_args(const char *const prefix[], va_list ap, const char *argv[]);

/*
 * Runs the program of the NULL-terminated prefix (its first entry, with
 * its options) followed by the NULL-terminated arguments in ap, no input:
 * for helpers that run one program with options every call needs.
 */
void run_prefixed(const struct fx *fx, struct result *r,
    const char *const prefix[], va_list ap);

/* Runs lkey-keygen with the NULL-terminated arguments after r, no input. */
void keygen_run(const struct fx *fx, struct result *r, ...);

/* A run that failed with `code`, nothing on stdout and one line on stderr
 * holding `want`; otherwise the test fails, showing `what` and the run. */
void expect_refusal(const char *what, const struct result *r, int code,
    const char *want);

/* The (first) public key of the public key file at path, which must
 * parse. */
void load_pub(const char *path, lkey_pubkey *pub);

/* Lines on stderr; a last line without '\n' counts too. */
size_t err_lines(const struct result *r);

/* Prints a run's exit status, stdout and stderr (shortened) as an error. */
void show(const char *what, const struct result *r);

/* ---- tallies for table-driven tests ------------------------------------- */

/*
 * A check of the current case (t->cases): if !ok, prints "FAIL what: ..."
 * and the run r (if not NULL) and counts the case as failed, once.
 */
void tcheck(struct tally *t, bool ok, const char *what,
    const struct result *r, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Fails the test if any case failed. */
void tally_done(const struct tally *t, const char *name);

/* ---- the programs ------------------------------------------------------- */

/* A character of standard base64 ('=' included). */
bool is_b64(char c);

/*
 * Runs lkey-keygen issue with the options that follow cap (NULL-
 * terminated); it must succeed and print exactly one line of base64 and
 * nothing on stderr. The key (without its newline) goes to key.
 */
void issue(const struct fx *fx, const char *passphrase, char *key,
    size_t cap, ...);

/* issue with the options in opts (NULL-terminated). */
void issue_argv(const struct fx *fx, const char *passphrase, char *key,
    size_t cap, const char *const opts[]);

/*
 * lkey-keygen init --out fx->dir/name --no-passphrase; must succeed. The
 * paths of the key pair go to sec and pub (PATHCAP bytes each).
 */
void init_plain(const struct fx *fx, const char *name, char *sec, char *pub);

/* lkey-verify with the arguments that follow r (NULL-terminated). */
void verify(const struct fx *fx, const char *stdin_data, size_t stdin_len,
    struct result *r, ...);

/* ---- lkey-verify's verdicts and JSON report ----------------------------- */

/* The stderr line of a verdict: "lkey-verify: SOURCE: STATUS: detail\n". */
bool verdict_line_ok(const struct result *r, const char *source,
    const char *status);

/* Whether stdout holds "status":"STATUS". */
bool json_status_is(const struct result *r, const char *status);

/*
 * Checks one lkey-verify run with --json against its expected verdict as a
 * case of t: exit code, JSON status, and for a non-valid verdict exactly
 * one stderr line "lkey-verify: SOURCE: STATUS: ...", for valid none.
 */
void expect_verdict(struct tally *t, const char *what,
    const struct result *r, const char *source, const char *status,
    int code);

/* The JSON report of a run; fails the test if stdout is not one object on
 * one line. Free with json_free. */
json_doc *report(const struct result *r);

/* A string or integer member of the report's top level, else the test
 * fails naming the member, what it holds and what was expected. */
void assert_json_str(const json_doc *d, const char *name, const char *want);
void assert_json_int(const json_doc *d, const char *name, int64_t want);

/*
 * Appends value v to out (cap bytes, *len used so far) as text: a ','
 * first unless *len is 0, then a string in quotes or a number bare; "-"
 * for JSON_NONE. Other types fail the test.
 */
void json_value_append(const json_doc *d, size_t v, char *out, size_t cap,
    size_t *len);

/*
 * The array member `name` of object obj as text: strings in quotes,
 * numbers bare, comma-joined ("" when empty): "\"desktop\",3".
 */
void json_array_text(const json_doc *d, size_t obj, const char *name,
    char *out, size_t cap);

/* json_array_text of the report's "features". */
void json_features(const json_doc *d, char *out, size_t cap);

#endif
