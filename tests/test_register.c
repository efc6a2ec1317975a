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
 * with --today 2027-06-15. The cases are golden (golden.h): each starts
 * from a fresh directory with what FILE and FILE.prev hold, and checks
 * the exit status, the one line on stderr, and what they hold after.
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
#include <sodium.h>

#include "fixture.h"
#include "golden.h"
#include "json.h"
#include "keyfile.h"
#include "lkey_vendor.h"
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
	char list[LKEY_REVOCATIONS_TEXT_CAP];	/* list 1: serial 77 */
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

/* A revocation list of the demo key, sequence 1: serial 77. */
static void
demo_list(void)
{
	lkey_vendor_key *demo;
	lkey_revoked r;
	char err[512];

	assert_int_equal(lkey_init(), 0);
	demo = sodium_malloc(sizeof(*demo));
	assert_non_null(demo);
	if (keyfile_load_secret(DEMO_SEC, demo, err, sizeof(err)) != 0)
		fail_msg("%s: %s", DEMO_SEC, err);
	r.key_id = demo->pub.id;
	r.serial = 77;
	assert_int_equal(lkey_revocations_issue(demo, 1, day("2027-01-01"),
	    &r, 1, K.list, sizeof(K.list)), LKEY_ISSUE_OK);
	sodium_free(demo);
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
	demo_list();
	K.ready = true;
}

/* ---- helpers ------------------------------------------------------------ */

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
 * A fresh, empty directory fx->dir/name, the licence file's path in it and
 * the path of FILE.prev; PATHCAP bytes each.
 */
static void
fresh_dir(const struct fx *fx, const char *name, char *dir, char *file,
    char *prev)
{
	path_in(fx, name, dir, PATHCAP);
	assert_int_equal(rm_tree(dir), 0);
	assert_int_equal(mkdir(dir, 0700), 0);
	bprintf(file, PATHCAP, "%s/licence.txt", dir);
	bprintf(prev, PATHCAP, "%s.prev", file);
}

static void
put(const char *path, const char *text)
{
	write_file(path, text, strlen(text));
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

/*
 * The variables of the cases: D, a directory of the group's; F, the
 * licence file in it, and P, its .prev; the keys, and L... each key's
 * line as --install writes it; WOLD, the old key wrapped at WRAP_COLUMNS;
 * KF, a key file holding that; MODE, 0644 less the umask; LATIN, a
 * licence file in D whose name is not UTF-8.
 */
enum {
	V_D, V_F, V_P, V_KF, V_MODE, V_WOLD, V_TAMPERED, V_LTAMPERED, V_LATIN,
	V_BIG, V_KEYS		/* then each key, then each key's line */
};

#define NKEYS 9U
#define NVARS (V_KEYS + 2U * NKEYS + 1U)

static const char *const key_names[NKEYS] = { "OLD", "NEWER", "LATER",
    "ISSUED", "EXPIRED", "OTHERP", "FOREIGN", "GRACE", "EXPIRING" };

static struct var vars[NVARS];

static void
make_vars(const struct fx *fx)
{
	static char d[PATHCAP], f[PATHCAP], p[PATHCAP], kf[PATHCAP], mode[8],
	    latin[PATHCAP], big[LKEY_TEXT_MAX + 100U],
	    wold[2U * KEYCAP], tampered[KEYCAP], ltampered[KEYCAP + 2U],
	    names[NKEYS][16], lines[NKEYS][KEYCAP + 2U];
	const char *const keys[NKEYS] = { K.old, K.newer, K.later, K.issued,
	    K.expired, K.other_product, K.foreign, K.grace, K.expiring };
	mode_t mask = umask(022);
	size_t i;

	(void)umask(mask);
	path_in(fx, "reg", d, sizeof(d));
	bprintf(f, sizeof(f), "%s/licence.txt", d);
	bprintf(p, sizeof(p), "%s.prev", f);
	bprintf(latin, sizeof(latin), "%s/latin\xe9.txt", d);
	path_in(fx, "wrapped-key.txt", kf, sizeof(kf));
	bprintf(mode, sizeof(mode), "%04o", (unsigned)(0644 & ~mask));
	wrap(K.old, wold, sizeof(wold));
	bprintf(tampered, sizeof(tampered), "%s", K.newer);
	tampered[12] = tampered[12] == 'A' ? 'B' : 'A';
	bprintf(ltampered, sizeof(ltampered), "%s\n", tampered);
	vars[V_D] = (struct var){ "D", d };
	vars[V_F] = (struct var){ "F", f };
	vars[V_P] = (struct var){ "P", p };
	vars[V_KF] = (struct var){ "KF", kf };
	vars[V_MODE] = (struct var){ "MODE", mode };
	vars[V_WOLD] = (struct var){ "WOLD", wold };
	vars[V_TAMPERED] = (struct var){ "TAMPERED", tampered };
	vars[V_LTAMPERED] = (struct var){ "LTAMPERED", ltampered };
	vars[V_LATIN] = (struct var){ "LATIN", latin };
	/* A file larger than any key text: junk, or notes kept with it. */
	memset(big, 'x', sizeof(big) - 2U);
	big[sizeof(big) - 2U] = '\n';
	big[sizeof(big) - 1U] = '\0';
	vars[V_BIG] = (struct var){ "BIG", big };
	for (i = 0; i < NKEYS; i++) {
		bprintf(names[i], sizeof(names[i]), "L%s", key_names[i]);
		bprintf(lines[i], sizeof(lines[i]), "%s\n", keys[i]);
		vars[V_KEYS + i] = (struct var){ key_names[i], keys[i] };
		vars[V_KEYS + NKEYS + i] = (struct var){ names[i], lines[i] };
	}
	vars[NVARS - 1U] = (struct var){ NULL, NULL };
}

static int
setup(void **state)
{
	if (proc_setup(state) != 0)
		return -1;
	keys(*state);
	make_vars(*state);
	return 0;
}

#define REG "lkey-verify --pubkey " DEMO_PUB " --catalog " CATALOG \
	" --product timetracker --today " TODAY " "
/* A successful registration: exit 0, nothing on stderr, the screen ends
 * "Registered in FILE[ (it held this key already)]." */
#define REGISTERED "err=", "out$=\nRegistered in $F.\n"
#define FRESH "+fresh:$D"

/* ---- 1. a new file ------------------------------------------------------ */

static const struct golden new_file[] = {
	{ "new file", REG "--install $F $OLD", 0,
	  { FRESH, REGISTERED, "file:$F=$LOLD", "nofile:$P", "type:$F=file",
	    "mode:$F=$MODE" } },
	{ "new file --json: it says where", REG "--json --install $F $OLD", 0,
	  { FRESH, "err=", "file:$F=$LOLD", "status='valid'", "install='$F'",
	    "installed=true" } },
	{ "key wrapped at 30 columns (--key-file)",
	  REG "--install $F --key-file $KF", 0,
	  { FRESH, "+put:$KF=$WOLD", REGISTERED, "file:$F=$LOLD" } },
	{ "wrapped key on standard input", REG "--install $F - <$WOLD", 0,
	  { FRESH, REGISTERED, "file:$F=$LOLD" } },
	{ "a name JSON cannot hold, --json: refused before anything is written",
	  REG "--json --install $LATIN $OLD", 2,
	  { FRESH, "usage~--install path is not UTF-8", "nofile:$LATIN",
	    "dir:$D=" } },
	{ "a name JSON cannot hold, without --json: registered",
	  REG "--install $LATIN $OLD", 0,
	  { FRESH, "err=", "file:$LATIN=$LOLD" } },
};

static void
test_install_new_file(void **state)
{
	GOLDEN_TABLE(*state, new_file, vars);
}

/* ---- 2. replacing an older key, keeping a newer one --------------------- */

/* FILE holds `stored`, newer than key (each "issued DAY, serial N"): kept
 * as it is, nothing registered, --force named. */
#define NEWER_KEPT(what, key, stored, newer, older) \
	{ what, REG "--install $F " key, 3, \
	  { FRESH, "+put:$F=" stored, "line~$F: holds a newer licence key (" \
	    newer ") than this one (" older ")", "err~--force", \
	    "out!~Registered", "file:$F=" stored, "nofile:$P" } }

static const struct golden older[] = {
	/* Same issue day, higher serial; the old file kept byte for byte. */
	{ "older key (serial)", REG "--install $F $NEWER", 0,
	  { FRESH, "+put:$F=$WOLD", REGISTERED, "file:$F=$LNEWER",
	    "file:$P=$WOLD" } },
	/* A later issue day wins over a higher serial. */
	{ "older key (day), --json", REG "--json --install $F $LATER", 0,
	  { FRESH, "+put:$F=$LOLD", "err=", "file:$F=$LLATER",
	    "file:$P=$LOLD", "install='$F'", "installed=true" } },
	/* The mode of FILE is kept, for FILE.prev too; an old .prev goes. */
	{ "mode 0600 kept", REG "--install $F $LATER", 0,
	  { FRESH, "+put:$F=$LOLD", "+chmod:$F=0600",
	    "+put:$P=an older .prev\n", REGISTERED, "file:$F=$LLATER",
	    "file:$P=$LOLD", "mode:$F=0600", "mode:$P=0600" } },
	/* A link planted at FILE.prev is replaced, not written through. */
	{ "symlink at .prev", REG "--install $F $LATER", 0,
	  { FRESH, "+put:$F=$LOLD", "+put:$D/target=target\n",
	    "+symlink:$P=target", REGISTERED, "file:$F=$LLATER",
	    "file:$D/target=target\n", "type:$P=file", "file:$P=$LOLD" } },
	/* A key for another product, however new, is replaced. */
	{ "key for another product stored", REG "--install $F $OLD", 0,
	  { FRESH, "+put:$F=$LOTHERP", REGISTERED, "file:$F=$LOLD",
	    "file:$P=$LOTHERP" } },
	/* A later issue day (--issued) wins over a later start... */
	NEWER_KEPT("newer key stored (--issued)", "$LATER", "$LISSUED",
	    "issued 2027-03-01, serial 1", "issued 2027-02-01, serial 1"),
	/* ... and the other way round it is older. */
	{ "key with --issued over an older one", REG "--install $F $ISSUED", 0,
	  { FRESH, "+put:$F=$LOLD", REGISTERED, "file:$F=$LISSUED",
	    "file:$P=$LOLD" } },
	/* Same day, higher serial stored: kept, unless --force. */
	NEWER_KEPT("newer key stored (serial)", "$OLD", "$LNEWER",
	    "issued 2027-01-01, serial 6", "issued 2027-01-01, serial 5"),
	{ "newer key stored, --json: valid, not installed",
	  REG "--json --install $F $OLD", 3,
	  { "line~holds a newer licence key", "status='valid'",
	    "install='$F'", "installed=false", "file:$F=$LNEWER" } },
	{ "newer key stored, --force", REG "--install $F --force $OLD", 0,
	  { REGISTERED, "file:$F=$LOLD", "file:$P=$LNEWER" } },
};

static void
test_install_older_newer(void **state)
{
	GOLDEN_TABLE(*state, older, vars);
}

/* The same key: nothing written, FILE not even replaced (its inode). */
static void
test_install_same_key(void **state)
{
	static const struct golden same[] = {
		{ "same key", REG "--install $F $OLD", 0,
		  { "err=", "out$=\nRegistered in $F (it held this key "
		    "already).\n", "file:$F=$STORED", "nofile:$P" } },
	};
	const char *stored[2] = { vars[V_KEYS + NKEYS].value,
	    vars[V_WOLD].value };
	const char *f = vars[V_F].value;
	struct var v[NVARS + 1U];
	struct stat st0, st1;
	size_t i;

	memcpy(v, vars, sizeof(vars));
	v[NVARS - 1U] = (struct var){ "STORED", NULL };
	v[NVARS] = (struct var){ NULL, NULL };
	for (i = 0; i < 2; i++) {
		assert_int_equal(rm_tree(vars[V_D].value), 0);
		assert_int_equal(mkdir(vars[V_D].value, 0700), 0);
		put(f, stored[i]);
		v[NVARS - 1U].value = stored[i];
		assert_int_equal(lstat(f, &st0), 0);
		GOLDEN_TABLE(*state, same, v);
		assert_int_equal(lstat(f, &st1), 0);
		if (st1.st_ino != st0.st_ino)
			fail_msg("%s: FILE was replaced (new inode)",
			    i == 0 ? "same key" : "same key, stored wrapped");
	}
}

/* ---- 3. what is not a key of this vendor -------------------------------- */

#define KEPT(what, text, status) \
	{ "FILE holds " what, REG "--install $F $OLD", 3, \
	  { FRESH, "+put:$F=" text, "line~$F: holds no licence key this " \
	    "program can authenticate (" status ")", "err~--force", \
	    "file:$F=" text, "nofile:$P" } }, \
	{ "FILE holds " what ", --force", REG "--install $F --force $OLD", 0, \
	  { REGISTERED, "file:$F=$LOLD", "file:$P=" text } }

static const struct golden not_a_key[] = {
	KEPT("junk", "hello, world\n", "malformed"),
	KEPT("a binary byte", "\x01\xff\n", "malformed"),
	KEPT("another vendor's key", "$LFOREIGN", "unknown_key"),
	KEPT("a tampered key", "$LTAMPERED", "bad_signature"),
	/* Too big to read: kept, named; --force keeps it whole as FILE.prev. */
	{ "FILE is too big to hold a key", REG "--install $F $OLD", 3,
	  { FRESH, "+put:$F=$BIG", "line~$F: too big to be a licence file",
	    "err~--force", "file:$F=$BIG", "nofile:$P" } },
	{ "FILE is too big to hold a key, --force",
	  REG "--install $F --force $OLD", 0,
	  { REGISTERED, "file:$F=$LOLD", "file:$P=$BIG" } },
	/* No key at all: replaced. */
	{ "FILE holds an empty file", REG "--install $F $OLD", 0,
	  { FRESH, "+put:$F=", REGISTERED, "file:$F=$LOLD", "file:$P=" } },
	{ "FILE holds only whitespace", REG "--install $F $OLD", 0,
	  { FRESH, "+put:$F= \n\t\r\n", REGISTERED, "file:$F=$LOLD",
	    "file:$P= \n\t\r\n" } },
};

static void
test_install_not_a_key(void **state)
{
	GOLDEN_TABLE(*state, not_a_key, vars);
}

/* ---- 4. only a valid key is registered, with or without warnings -------- */

#define NOT_REGISTERED "err$= Not registered: $F is unchanged.\n", \
	"out!~Registered", "nofile:$P"
#define INVALID(what, key, code, status) \
	{ what " key, FILE holds an older key", REG "--install $F " key, \
	  code, { FRESH, "+put:$F=$LOLD", "verdict=" status, NOT_REGISTERED, \
	  "file:$F=$LOLD" } }, \
	{ what " key, no FILE", REG "--install $F " key, code, \
	  { FRESH, "verdict=" status, NOT_REGISTERED, "nofile:$F" } }

static const struct golden invalid[] = {
	INVALID("expired", "$EXPIRED", 15, "expired"),
	INVALID("tampered", "$TAMPERED", 12, "bad_signature"),
	INVALID("for another product", "$OTHERP", 13, "wrong_product"),
	INVALID("malformed", "AAAA", 10, "malformed"),
	INVALID("expired, --force", "--force $EXPIRED", 15, "expired"),
	{ "valid in the grace period", REG "--json --users 26 --over-since "
	  "2027-06-10 --install $F $GRACE", 0,
	  { FRESH, "verdict=valid", "warnings[].code=['seats_grace']",
	    "installed=true", "file:$F=$LGRACE" } },
	{ "valid, expiring soon", REG "--install $F $EXPIRING", 0,
	  { FRESH, REGISTERED, "out~\nWarnings:\n",
	    "file:$F=$LEXPIRING" } },
};

static void
test_install_invalid_key(void **state)
{
	GOLDEN_TABLE(*state, invalid, vars);
}

/* ---- 5. files that cannot be used, and usage ---------------------------- */

static const struct golden file_errors[] = {
	{ "missing directory", REG "--install $D/no-such-dir/licence.txt "
	  "$NEWER", 1, { FRESH, "line~$D/no-such-dir/licence.txt",
	    "out!~Registered", "nofile:$D/no-such-dir" } },
	{ "directory at FILE", REG "--install $F $NEWER", 1,
	  { FRESH, "+mkdir:$F", "line~$F", "err~not a regular file",
	    "out!~Registered", "type:$F=dir" } },
	{ "symbolic link at FILE", REG "--install $F $NEWER", 1,
	  { FRESH, "+put:$D/real.txt=$LOLD", "+symlink:$F=real.txt",
	    "line~$F", "err~symbolic link", "out!~Registered", "type:$F=link",
	    "file:$D/real.txt=$LOLD", "nofile:$P" } },
	{ "dangling symbolic link at FILE", REG "--install $F $NEWER", 1,
	  { FRESH, "+symlink:$F=nowhere.txt", "line~$F",
	    "err~symbolic link", "out!~Registered",
	    "nofile:$D/nowhere.txt" } },
	{ "plain file after the errors", REG "--install $F $NEWER", 0,
	  { FRESH, REGISTERED, "file:$F=$LNEWER" } },
	{ "--force without --install", REG "--force $OLD", 2,
	  { FRESH, "usage~", "nofile:$F" } },
	{ "--install ''", REG "--install $EMPTY $OLD", 2,
	  { "usage~", "nofile:$F" } },
	{ "--install=", REG "--install= $OLD", 2, { "usage~", "nofile:$F" } },
	{ "--install twice", REG "--install $F --install $F $OLD", 2,
	  { "usage~", "nofile:$F" } },
};

static void
test_install_file_errors(void **state)
{
	const struct fx *fx = *state;
	const char *f = vars[V_F].value, *stored = vars[V_KEYS + NKEYS].value;
	const char *argv[] = { "lkey-verify", "--pubkey", DEMO_PUB,
	    "--catalog", CATALOG, "--product", "timetracker", "--today", TODAY,
	    "--install", f, K.newer, NULL };
	struct var v[NVARS + 1U];
	struct tally t = { 0, 0, 0 };
	struct result r;

	memcpy(v, vars, sizeof(vars));
	v[NVARS - 1U] = (struct var){ "EMPTY", "" };
	v[NVARS] = (struct var){ NULL, NULL };
	GOLDEN(fx, &t, file_errors, v);

	/* Unreadable: root reads anything, so only as another user. */
	if (geteuid() != 0) {
		assert_int_equal(rm_tree(vars[V_D].value), 0);
		assert_int_equal(mkdir(vars[V_D].value, 0700), 0);
		put(f, stored);
		assert_int_equal(chmod(f, 0), 0);
		run(fx, argv, NULL, 0, &r);
		assert_int_equal(chmod(f, 0600), 0);
		t.cases++;
		tcheck(&t, r.code == 1, "unreadable FILE", &r,
		    "exit %d, expected 1", r.code);
		golden_check(&t, "unreadable FILE", &r, argv, "line~$F", v);
		check_file(&t, "unreadable FILE", &r, f, stored);
	} else
		print_message("running as root: the unreadable-file case is "
		    "covered by the directory case\n");
	tally_done(&t, "files that cannot be used");
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
	bprintf(old, sizeof(old), "%s\n", K.old);
	bprintf(new, sizeof(new), "%s\n", K.newer);
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

/* ---- 11. crash safety of the licence store (--store) --------------------- */

/*
 * The same kills, and errors, at every system call of a registration in a
 * licence store (lkey-verify --store DIR --register KEY, liblkey's
 * lkey_store_register) and of installing a revocation list in one. After
 * each run every file of the store is what it held before or what it
 * holds after an uninterrupted run, whole (or absent where it was), and
 * the store can be evaluated: never "damaged" (exit 7) or unreadable.
 */
#define STORE_FILES 3
static const char *const store_files[STORE_FILES] = { "licence.keys",
    "state", "revocations" };
static const char *const store_calls[] = {
	"openat", "write", "fsync", "rename", "renameat", "renameat2",
	"close", "unlink", "unlinkat", "getrandom", "mkdir", "mkdirat",
};

/* What the files of a store hold; absent: NULL. */
struct store_files {
	bool has[STORE_FILES];
	char text[STORE_FILES][FILECAP];
};

struct store_crash {
	const struct fx *fx;
	struct tally *t;
	const char *what;
	char dir[PATHCAP];
	const char *args[8];		/* after --store DIR */
	bool had_dir;			/* the store existed before */
	struct store_files before, after;
	const char *const *extra_env;
	char counts[512];
};

static void
store_read(const char *dir, struct store_files *f)
{
	char p[PATHCAP];
	size_t i;

	for (i = 0; i < STORE_FILES; i++) {
		bprintf(p, sizeof(p), "%s/%s", dir, store_files[i]);
		f->has[i] = file_exists(p);
		f->text[i][0] = '\0';
		if (f->has[i])
			(void)read_file(p, f->text[i], FILECAP);
	}
}

static bool
same_files(const struct store_files *a, const struct store_files *b)
{
	size_t i;

	for (i = 0; i < STORE_FILES; i++)
		if (a->has[i] != b->has[i] || strcmp(a->text[i],
		    b->text[i]) != 0)
			return false;
	return true;
}

/* The store as it was before: the directory and its files, 0600. */
static void
store_restore(const struct store_crash *c)
{
	char p[PATHCAP];
	size_t i;

	assert_int_equal(rm_tree(c->dir), 0);
	if (!c->had_dir)
		return;
	assert_int_equal(mkdir(c->dir, 0700), 0);
	for (i = 0; i < STORE_FILES; i++) {
		if (!c->before.has[i])
			continue;
		bprintf(p, sizeof(p), "%s/%s", c->dir, store_files[i]);
		put(p, c->before.text[i]);
		assert_int_equal(chmod(p, 0600), 0);
	}
}

/* Runs lkey-verify --store DIR ARGS..., under strace with `inject`
 * (NULL: plainly). */
static void
store_run(const struct store_crash *c, const char *sc, const char *inject,
    struct result *r)
{
	char prog[PATHCAP], trace[64];
	const char *argv[32];
	size_t n = 0, i;

	bprintf(prog, sizeof(prog), "%s/lkey-verify", c->fx->bindir);
	bprintf(trace, sizeof(trace), "trace=%s", sc != NULL ? sc : "none");
	if (inject != NULL) {
		argv[n++] = "strace";
		argv[n++] = "-f";
		argv[n++] = "-o";
		argv[n++] = "/dev/null";
		argv[n++] = "-e";
		argv[n++] = trace;
		argv[n++] = "-e";
		argv[n++] = inject;
	}
	argv[n++] = prog;
	argv[n++] = "--pubkey";
	argv[n++] = DEMO_PUB;
	argv[n++] = "--catalog";
	argv[n++] = CATALOG;
	argv[n++] = "--product";
	argv[n++] = "timetracker";
	argv[n++] = "--store";
	argv[n++] = c->dir;
	for (i = 0; c->args[i] != NULL; i++)
		argv[n++] = c->args[i];
	argv[n] = NULL;
	run_tool(argv, c->extra_env, NULL, 0, r);
}

/* Each file of the store is as before or as after, whole, and the
 * store can be evaluated. */
static void
store_whole(struct store_crash *c, const char *what, const struct result *r)
{
	static struct store_files now;
	const char *argv[] = { "lkey-verify", "--pubkey", DEMO_PUB,
	    "--catalog", CATALOG, "--product", "timetracker", "--today",
	    "2027-06-20", "--store", c->dir, NULL };
	struct result e;
	size_t i;

	store_read(c->dir, &now);
	for (i = 0; i < STORE_FILES; i++) {
		bool old = now.has[i] == c->before.has[i] && (!now.has[i] ||
		    strcmp(now.text[i], c->before.text[i]) == 0);
		bool new = now.has[i] == c->after.has[i] && (!now.has[i] ||
		    strcmp(now.text[i], c->after.text[i]) == 0);
		lkey_state mid;

		/*
		 * The state is written more than once in a run (installing a
		 * list raises its sequence, the check after it moves its
		 * days): between the two it is a third state, whole.
		 */
		if (i == 1 && now.has[i] && lkey_state_parse(now.text[i],
		    strlen(now.text[i]), 1, &mid) == LKEY_STATE_OK)
			new = true;
		tcheck(c->t, old || new, what, r, "%s holds \"%.300s\"%s, "
		    "neither what it held before nor after", store_files[i],
		    now.text[i], now.has[i] ? "" : " (no file)");
	}
	run(c->fx, argv, NULL, 0, &e);
	tcheck(c->t, e.code == 0 || e.code == 8, what, &e, "evaluating "
	    "the store afterwards: exit %d, expected 0 or 8", e.code);
}

/*
 * Kills the run at call 1, 2, ... of system call sc until a run is not
 * killed, then makes the same calls fail (EIO) one by one. Returns the
 * number of kill points.
 */
static int
store_each_call(struct store_crash *c, const char *sc)
{
	char inject[96], what[192];
	struct result r;
	int k, calls;

	for (k = 1; k <= KILL_RUNS_MAX; k++) {
		store_restore(c);
		bprintf(inject, sizeof(inject), "inject=%s:signal=KILL:when=%d",
		    sc, k);
		store_run(c, sc, inject, &r);
		if (r.code != 128 + 9)
			break;
		bprintf(what, sizeof(what), "%s: killed at %s call %d",
		    c->what, sc, k);
		c->t->cases++;
		store_whole(c, what, &r);
	}
	if (k > KILL_RUNS_MAX)
		fail_msg("%s: still killed after %d calls", sc, KILL_RUNS_MAX);
	if (k == 1 && r.code != 0 && strstr(r.err, "invalid system call") !=
	    NULL)
		return 0;	/* no such system call here */
	bprintf(what, sizeof(what), "%s: uninterrupted run with %s traced",
	    c->what, sc);
	c->t->cases++;
	tcheck(c->t, r.code == 0, what, &r, "exit %d, expected 0", r.code);
	calls = k - 1;
	for (k = 1; k <= calls; k++) {
		store_restore(c);
		bprintf(inject, sizeof(inject), "inject=%s:error=EIO:when=%d",
		    sc, k);
		store_run(c, sc, inject, &r);
		bprintf(what, sizeof(what), "%s: %s call %d failed", c->what,
		    sc, k);
		c->t->cases++;
		/* Done, or not done and said so: never a quiet half. */
		if (r.code == 0) {
			static struct store_files now;

			store_read(c->dir, &now);
			tcheck(c->t, same_files(&now, &c->after), what, &r,
			    "exit 0, but the store is not what an "
			    "uninterrupted run leaves");
		}
		store_whole(c, what, &r);
	}
	return calls;
}

static int
store_everywhere(struct store_crash *c, int *renames)
{
	size_t i, len = 0;
	int kills = 0, k, n;

	*renames = 0;
	c->counts[0] = '\0';
	/* What an uninterrupted run leaves. */
	store_restore(c);
	{
		struct result r;

		store_run(c, NULL, NULL, &r);
		if (r.code != 0) {
			show(c->what, &r);
			fail_msg("%s: the run itself fails", c->what);
		}
	}
	store_read(c->dir, &c->after);
	for (i = 0; i < sizeof(store_calls) / sizeof(store_calls[0]); i++) {
		k = store_each_call(c, store_calls[i]);
		kills += k;
		if (strncmp(store_calls[i], "rename", 6) == 0)
			*renames += k;
		n = snprintf(c->counts + len, sizeof(c->counts) - len,
		    "%s%s %d", len > 0 ? ", " : "", store_calls[i], k);
		assert_true(n > 0 && (size_t)n < sizeof(c->counts) - len);
		len += (size_t)n;
	}
	print_message("store crash test, %s: %d kill points, each also an "
	    "error, %s\n", c->what, kills, c->t->failures == 0 ?
	    "all left a whole store" : "SOME DID NOT (listed above)");
	print_message("  calls: %s\n", c->counts);
	return kills;
}

static void
test_store_crash_safety(void **state)
{
	const struct fx *fx = *state;
	static struct store_crash c;
	char asan[1024], listpath[PATHCAP];
	const char *const extra[] = { asan, NULL };
	const char *a = getenv("ASAN_OPTIONS");
	const char *reg_old[] = { "--today", "2027-06-15", "--register",
	    K.old, NULL };
	struct tally t = { 0, 0, 0 };
	struct result r;
	int renames;

	need_strace();
	bprintf(asan, sizeof(asan), "ASAN_OPTIONS=%s%sdetect_leaks=0",
	    a != NULL ? a : "", a != NULL && a[0] != '\0' ? ":" : "");
	memset(&c, 0, sizeof(c));
	c.fx = fx;
	c.t = &t;
	c.extra_env = extra;
	path_in(fx, "store-crash", c.dir, sizeof(c.dir));

	/* A new store: the directory, licence.keys and the state made. */
	c.what = "registering in a new store";
	c.had_dir = false;
	c.args[0] = "--today";
	c.args[1] = "2027-06-15";
	c.args[2] = "--register";
	c.args[3] = K.old;
	c.args[4] = NULL;
	(void)store_everywhere(&c, &renames);
	if (renames < 2)
		fail_msg("%s: %d rename calls killed; expected 2 or more",
		    c.what, renames);

	/* A store that holds the old key: the newer one registered a day
	 * later, so licence.keys and the state both change. */
	memcpy(c.args, reg_old, sizeof(reg_old));
	c.had_dir = false;
	store_restore(&c);
	store_run(&c, NULL, NULL, &r);
	assert_int_equal(r.code, 0);
	store_read(c.dir, &c.before);
	c.had_dir = true;
	c.what = "registering a newer key";
	c.args[1] = "2027-06-16";
	c.args[3] = K.newer;
	(void)store_everywhere(&c, &renames);
	if (renames < 2)
		fail_msg("%s: %d rename calls killed; expected 2 or more",
		    c.what, renames);

	/* A revocation list installed: the list, then the state. */
	path_in(fx, "store-crash.lkr", listpath, sizeof(listpath));
	put(listpath, K.list);
	c.what = "installing a revocation list";
	c.args[0] = "--today";
	c.args[1] = "2027-06-15";
	c.args[2] = "--revocations";
	c.args[3] = listpath;
	c.args[4] = NULL;
	(void)store_everywhere(&c, &renames);
	if (renames < 2)
		fail_msg("%s: %d rename calls killed; expected 2 or more",
		    c.what, renames);
	tally_done(&t, "crash safety of the licence store");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_install_new_file),
		cmocka_unit_test(test_install_older_newer),
		cmocka_unit_test(test_install_same_key),
		cmocka_unit_test(test_install_not_a_key),
		cmocka_unit_test(test_install_invalid_key),
		cmocka_unit_test(test_install_file_errors),
		cmocka_unit_test(test_install_crash_safety),
		cmocka_unit_test(test_store_crash_safety),
	};

	return cmocka_run_group_tests_name("register", tests, setup,
	    proc_teardown);
}
