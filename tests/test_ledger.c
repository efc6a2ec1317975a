/*
 * test_ledger.c - the issuance ledger (keygen/lib/ledger.c)
 *
 * The expected lines are written out by hand from the format in ledger.h,
 * not produced by the code under test. Damaged ledgers are crafted byte by
 * byte and must be reported with their line numbers and left untouched.
 * The lock is proved by processes racing for serials. Every test runs in a
 * fresh directory under $TMPDIR (or /tmp).
 */
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
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
#include <sodium.h>

#include "jsonline.h"
#include "ledger.h"
#include "lkey.h"
#include "lkey_vendor.h"
#include "fixture.h"
#include "proc.h"
#include "support.h"

#define ERRCAP 1024U
#define FILECAP (64U * 1024U)
#define HITS_MAX 8U

/* 2026-11-23T11:22:53Z */
#define T0 INT64_C(1795432973)
#define FAKE_KEY "AWQBfake"

#define KIDS 4
#define ROUNDS 500

#define BIG 100000U
#define BIG_CHUNK 1000U
/* The ledger of the running test: in its directory, not created. */
static char lpath[PATHCAP];

/* What ledger_find delivered. */
struct hits {
	size_t n;
	size_t len[HITS_MAX];
	char line[HITS_MAX][LEDGER_LINE_MAX];
	bool bad;		/* a line with a '\n' or without its NUL */
};

static char err[ERRCAP];

/* ---- files -------------------------------------------------------------- */

/* The shared fixture (files.c), and the ledger's path in its directory. */
static int
setup(void **state)
{
	if (proc_setup(state) != 0)
		return -1;
	path_in(*state, "ledger.jsonl", lpath, sizeof lpath);
	return 0;
}

/* Appends len bytes to the file at path. */
static void
append_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "ab");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* ---- licences and entries ----------------------------------------------- */

/* Terms like the format's example; serial as given. */
static void
example_terms(lkey_license *t, uint32_t serial)
{
	static const char who[] = "Example GmbH";

	lkey_terms_init(t, day("2027-01-01"));
	t->key_id = 0x277e0164U;
	t->serial = serial;
	t->product = 1;
	t->edition = 2;
	t->seats = 25;
	t->expires = day("2027-12-31");
	t->maintenance = day("2027-12-31");
	t->features = 13;	/* bits 0, 2, 3 */
	t->module_seats[2] = 5;
	t->module_seats[3] = 10;
	t->maintenance_features = 9;	/* bits 0, 3 */
	memcpy(t->licensee, who, sizeof who);
	t->licensee_len = sizeof who - 1U;
}

/* Bare terms: no licensee, unlimited, never ends, a trial. */
static void
bare_terms(lkey_license *t, uint32_t serial)
{
	lkey_terms_init(t, day("2027-01-01"));
	t->key_id = 0xabcdef01U;
	t->serial = serial;
	t->product = 65535;
	t->edition = 0;
	t->seats = LKEY_SEATS_UNLIMITED;
	t->expires = LKEY_NEVER;
	t->maintenance = LKEY_NEVER;
	t->grace_days = 7;
	t->notice_days = 0;
	t->trial = true;
}

static int
append1(ledger *l, const lkey_license *t, const char *order, const char *key)
{
	ledger_entry e;

	e.time = T0;
	e.order = order;
	e.lic = t;
	e.key = key;
	err[0] = '\0';
	return ledger_append(l, &e, 1, err, sizeof err);
}

/* Locks, appends one entry with bare terms and `serial`, unlocks. */
static void
add(ledger *l, uint32_t serial, const char *order)
{
	lkey_license t;

	bare_terms(&t, serial);
	assert_int_equal(ledger_lock(l, err, sizeof err), 0);
	if (append1(l, &t, order, FAKE_KEY) != 0)
		fail_msg("append of serial %" PRIu32 ": %s", serial, err);
	assert_int_equal(ledger_unlock(l, err, sizeof err), 0);
}

static ledger *
open_ok(const char *path)
{
	ledger *l = NULL;

	err[0] = '\0';
	if (ledger_open(path, &l, err, sizeof err) != 0)
		fail_msg("ledger_open: %s", err);
	assert_non_null(l);
	return l;
}

/* ledger_open must fail with an error that contains `want`. */
static void
open_fails(const char *path, const char *want)
{
	static char sentinel;
	ledger *l = (ledger *)(void *)&sentinel;

	err[0] = '\0';
	assert_int_equal(ledger_open(path, &l, err, sizeof err), -1);
	assert_null(l);
	assert_contains(err, want);
	assert_null(strchr(err, '\n'));
}

static void
collect(const char *line, size_t len, void *arg)
{
	struct hits *h = arg;

	if (memchr(line, '\n', len) != NULL || line[len] != '\0')
		h->bad = true;
	if (h->n < HITS_MAX && len < LEDGER_LINE_MAX) {
		memcpy(h->line[h->n], line, len);
		h->line[h->n][len] = '\0';
		h->len[h->n] = len;
	}
	h->n++;
}

static long
find(const char *path, const uint32_t *serial, const char *order,
    struct hits *h)
{
	memset(h, 0, sizeof(*h));
	err[0] = '\0';
	return ledger_find(path, serial, order, collect, h, err, sizeof err);
}

/* The serial of a ledger line, parsed with jsonline. */
static uint32_t
line_serial(const char *line, size_t len)
{
	static char buf[LEDGER_LINE_MAX + 1];
	jl_object o;
	const jl_field *f;

	assert_int_equal(jsonline_parse(line, len, buf, sizeof buf, &o, NULL,
	    0), 0);
	assert_non_null(f = jsonline_get(&o, "serial"));
	assert_int_equal(f->type, JL_NUMBER);
	return (uint32_t)strtoul(f->value, NULL, 10);
}

/* ---- tests -------------------------------------------------------------- */

static const char line_example[] =
    "{\"time\":\"2026-11-23T11:22:53Z\",\"key_id\":\"277e0164\","
    "\"serial\":1001,\"order\":\"A-17\",\"product\":1,\"edition\":2,"
    "\"seats\":25,\"starts\":\"2027-01-01\",\"expires\":\"2027-12-31\","
    "\"maintenance\":\"2027-12-31\",\"features\":13,"
    "\"maintenance_features\":9,\"licensee\":\"Example GmbH\",\"issued\":\"2027-01-01\","
    "\"grace_days\":0,\"notice_days\":30,\"trial\":false,"
    "\"module_seats\":\"2=5,3=10\",\"host\":null,"
    "\"key\":\"AWQBfake\"}";

static const char line_bare[] =
    "{\"time\":\"2026-11-23T11:22:53Z\",\"key_id\":\"abcdef01\","
    "\"serial\":1,\"order\":null,\"product\":65535,\"edition\":0,"
    "\"seats\":\"unlimited\",\"starts\":\"2027-01-01\","
    "\"expires\":\"never\",\"maintenance\":\"never\",\"features\":0,"
    "\"maintenance_features\":0,\"licensee\":null,\"issued\":\"2027-01-01\",\"grace_days\":7,"
    "\"notice_days\":0,\"trial\":true,\"module_seats\":\"\","
    "\"host\":null,\"key\":\"AWQBfake\"}";

/* Create, append, reopen, find by serial and by order; exact lines. */
static void
test_roundtrip(void **state)
{
	const struct fx *fx = *state;
	static char file[FILECAP], want[FILECAP];
	static struct hits h;
	static const uint8_t seed[LKEY_SEEDBYTES] = { 7 };
	lkey_vendor_key vk;
	lkey_license t, u;
	char key[LKEY_B64_TEXT_MAX];
	struct stat st;
	uint32_t serial;
	ledger *l;

	l = open_ok(lpath);
	assert_int_equal(stat(lpath, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(st.st_size, 0);

	assert_int_equal(ledger_lock(l, err, sizeof err), 0);
	assert_int_equal(ledger_next_serial(l, &serial, err, sizeof err), 0);
	assert_int_equal(serial, 1);
	bare_terms(&t, serial);
	assert_int_equal(append1(l, &t, NULL, FAKE_KEY), 0);
	example_terms(&t, 1001);
	assert_int_equal(append1(l, &t, "A-17", FAKE_KEY), 0);
	assert_int_equal(ledger_unlock(l, err, sizeof err), 0);
	ledger_close(l);

	bprintf(want, sizeof want, "%s\n%s\n", line_bare,
	    line_example);
	(void)read_file(lpath, file, sizeof file);
	assert_string_equal(file, want);

	/* A real key, signed and verified, under a second order. */
	lkey_vendor_key_from_seed(seed, &vk);
	l = open_ok(lpath);
	assert_true(ledger_has_serial(l, 1));
	assert_true(ledger_has_serial(l, 1001));
	assert_false(ledger_has_serial(l, 2));
	assert_false(ledger_has_serial(l, 0));
	assert_int_equal(ledger_lock(l, err, sizeof err), 0);
	assert_int_equal(ledger_next_serial(l, &serial, err, sizeof err), 0);
	assert_int_equal(serial, 1002);
	example_terms(&t, serial);
	assert_int_equal(lkey_issue(&vk, &t, key, sizeof key), LKEY_ISSUE_OK);
	assert_int_equal(append1(l, &t, "B-1", key), 0);
	example_terms(&u, 7);
	assert_int_equal(append1(l, &u, "A-17", FAKE_KEY), 0);
	assert_int_equal(ledger_unlock(l, err, sizeof err), 0);
	assert_true(ledger_has_serial(l, 1002));
	assert_true(ledger_has_serial(l, 7));
	ledger_close(l);

	/* Everything, in file order. */
	assert_int_equal(find(lpath, NULL, NULL, &h), 4);
	assert_false(h.bad);
	assert_string_equal(h.line[0], line_bare);
	assert_string_equal(h.line[1], line_example);
	assert_int_equal(line_serial(h.line[2], h.len[2]), 1002);
	assert_int_equal(line_serial(h.line[3], h.len[3]), 7);

	serial = 1001;
	assert_int_equal(find(lpath, &serial, NULL, &h), 1);
	assert_string_equal(h.line[0], line_example);
	assert_int_equal(h.len[0], strlen(line_example));

	assert_int_equal(find(lpath, NULL, "A-17", &h), 2);
	assert_int_equal(line_serial(h.line[0], h.len[0]), 1001);
	assert_int_equal(line_serial(h.line[1], h.len[1]), 7);

	/* Both filters; no match; an order that is only a prefix. */
	assert_int_equal(find(lpath, &serial, "A-17", &h), 1);
	assert_int_equal(find(lpath, &serial, "B-1", &h), 0);
	assert_int_equal(find(lpath, NULL, "A-1", &h), 0);
	serial = 5;
	assert_int_equal(find(lpath, &serial, NULL, &h), 0);
	assert_int_equal(h.n, 0);

	/* The real key is in the ledger as issued, and still verifies. */
	serial = 1002;
	assert_int_equal(find(lpath, &serial, NULL, &h), 1);
	{
		static char buf[LEDGER_LINE_MAX + 1];
		jl_object o;
		const jl_field *f;
		lkey_license back;

		assert_int_equal(jsonline_parse(h.line[0], h.len[0], buf,
		    sizeof buf, &o, NULL, 0), 0);
		assert_non_null(f = jsonline_get(&o, "key"));
		assert_int_equal(f->type, JL_STRING);
		assert_string_equal(f->value, key);
		assert_int_equal(lkey_decode(f->value, f->len, &vk.pub, 1,
		    &back, NULL), LKEY_OK);
		assert_int_equal(back.serial, 1002);
		assert_non_null(f = jsonline_get(&o, "order"));
		assert_string_equal(f->value, "B-1");
	}
	lkey_vendor_key_wipe(&vk);

	/* A ledger that does not exist is an error for find. */
	path_in(fx, "missing.jsonl", want, sizeof want);
	assert_int_equal(find(want, NULL, NULL, &h), -1);
	assert_contains(err, "missing.jsonl");
}

/* 1 for an empty ledger; above everything held and handed out. */
static void
test_next_serial(void **state)
{
	lkey_license t;
	uint32_t s;
	ledger *l = open_ok(lpath);

	(void)state;
	/* Without the lock: refused. */
	assert_int_equal(ledger_next_serial(l, &s, err, sizeof err), -1);
	bare_terms(&t, 1);
	assert_int_equal(append1(l, &t, NULL, FAKE_KEY), -1);
	assert_int_equal(ledger_unlock(l, err, sizeof err), -1);

	assert_int_equal(ledger_lock(l, err, sizeof err), 0);
	assert_int_equal(ledger_lock(l, err, sizeof err), -1);
	assert_int_equal(ledger_next_serial(l, &s, err, sizeof err), 0);
	assert_int_equal(s, 1);
	/* Reserved, not yet appended: the next one is above it. */
	assert_int_equal(ledger_next_serial(l, &s, err, sizeof err), 0);
	assert_int_equal(s, 2);
	assert_false(ledger_has_serial(l, 1));
	bare_terms(&t, 2);
	assert_int_equal(append1(l, &t, NULL, FAKE_KEY), 0);
	bare_terms(&t, 50);
	assert_int_equal(append1(l, &t, NULL, FAKE_KEY), 0);
	assert_int_equal(ledger_next_serial(l, &s, err, sizeof err), 0);
	assert_int_equal(s, 51);
	assert_int_equal(ledger_unlock(l, err, sizeof err), 0);

	/* A new lock forgets what was handed out and not used. */
	assert_int_equal(ledger_lock(l, err, sizeof err), 0);
	assert_int_equal(ledger_next_serial(l, &s, err, sizeof err), 0);
	assert_int_equal(s, 51);
	/* Serial 1 was never appended: it can still be issued explicitly. */
	bare_terms(&t, 1);
	assert_int_equal(append1(l, &t, NULL, FAKE_KEY), 0);
	bare_terms(&t, 0);
	assert_int_equal(append1(l, &t, NULL, FAKE_KEY), 0);
	assert_int_equal(ledger_unlock(l, err, sizeof err), 0);
	ledger_close(l);

	/* After reopening: the same answer. */
	l = open_ok(lpath);
	assert_true(ledger_has_serial(l, 0));
	assert_int_equal(ledger_lock(l, err, sizeof err), 0);
	assert_int_equal(ledger_next_serial(l, &s, err, sizeof err), 0);
	assert_int_equal(s, 51);
	/* The last serial can be issued once; then there are none left. */
	bare_terms(&t, UINT32_MAX - 1U);
	assert_int_equal(append1(l, &t, NULL, FAKE_KEY), 0);
	assert_int_equal(ledger_next_serial(l, &s, err, sizeof err), 0);
	assert_int_equal(s, UINT32_MAX);
	bare_terms(&t, s);
	assert_int_equal(append1(l, &t, NULL, FAKE_KEY), 0);
	err[0] = '\0';
	assert_int_equal(ledger_next_serial(l, &s, err, sizeof err), -1);
	assert_contains(err, "4294967295");
	assert_int_equal(ledger_unlock(l, err, sizeof err), 0);
	ledger_close(l);
	l = open_ok(lpath);
	assert_true(ledger_has_serial(l, UINT32_MAX));
	assert_int_equal(ledger_lock(l, err, sizeof err), 0);
	assert_int_equal(ledger_next_serial(l, &s, err, sizeof err), -1);
	assert_int_equal(ledger_unlock(l, err, sizeof err), 0);
	ledger_close(l);
}

/* An explicit serial the ledger holds is refused with its line. */
static void
test_duplicate_refused(void **state)
{
	static char before[FILECAP], after[FILECAP];
	lkey_license t[3];
	ledger_entry e[3];
	size_t i;
	ledger *l = open_ok(lpath);

	(void)state;
	add(l, 1000, "A");
	add(l, 1001, "B");
	add(l, 1002, NULL);
	(void)read_file(lpath, before, sizeof before);

	assert_int_equal(ledger_lock(l, err, sizeof err), 0);
	bare_terms(&t[0], 1001);
	assert_int_equal(append1(l, &t[0], NULL, FAKE_KEY), -1);
	assert_string_equal(err, "serial 1001 was already issued "
	    "(ledger line 2)");

	/* One bad entry in a batch: nothing of the batch is written. */
	for (i = 0; i < 3; i++) {
		bare_terms(&t[i], (uint32_t)(2000U + i));
		e[i].time = T0;
		e[i].order = NULL;
		e[i].lic = &t[i];
		e[i].key = FAKE_KEY;
	}
	t[2].serial = 1002;
	assert_int_equal(ledger_append(l, e, 3, err, sizeof err), -1);
	assert_string_equal(err, "serial 1002 was already issued "
	    "(ledger line 3)");
	/* Twice in the same batch. */
	t[2].serial = 2000;
	assert_int_equal(ledger_append(l, e, 3, err, sizeof err), -1);
	assert_contains(err, "serial 2000");
	assert_int_equal(ledger_unlock(l, err, sizeof err), 0);
	assert_false(ledger_has_serial(l, 2000));
	(void)read_file(lpath, after, sizeof after);
	assert_string_equal(after, before);
	ledger_close(l);

	/* What another handle appended is seen once the lock is taken. */
	l = open_ok(lpath);
	{
		ledger *other = open_ok(lpath);

		/* Locks are per process: one handle at a time here. */
		add(other, 3000, NULL);
		ledger_close(other);
	}
	assert_false(ledger_has_serial(l, 3000));
	assert_int_equal(ledger_lock(l, err, sizeof err), 0);
	assert_true(ledger_has_serial(l, 3000));
	bare_terms(&t[0], 3000);
	assert_int_equal(append1(l, &t[0], NULL, FAKE_KEY), -1);
	assert_string_equal(err, "serial 3000 was already issued "
	    "(ledger line 4)");
	assert_int_equal(ledger_unlock(l, err, sizeof err), 0);
	ledger_close(l);
}

/* A last line without '\n' is reported with its place and not touched. */
static void
test_torn_last_line(void **state)
{
	static char before[FILECAP], after[FILECAP], want[512];
	static struct hits h;
	static const char torn[] = "{\"time\":\"2026-11-23T11:22:53Z\",\"ke";
	size_t size;
	ledger *l = open_ok(lpath);

	(void)state;
	add(l, 1, NULL);
	add(l, 2, NULL);
	size = read_file(lpath, before, sizeof before);
	append_file(lpath, torn, sizeof torn - 1U);
	(void)read_file(lpath, before, sizeof before);

	/* Seen by a process that has the ledger open, when it locks. */
	assert_int_equal(ledger_lock(l, err, sizeof err), -1);
	bprintf(want, sizeof want, "%s: the last line (line 3, byte "
	    "offset %zu) is incomplete: a write was interrupted; check it "
	    "and remove it by hand", lpath, size);
	assert_string_equal(err, want);
	/* The failed lock was not kept: ledger_next_serial is refused. */
	{
		uint32_t s;

		assert_int_equal(ledger_next_serial(l, &s, err, sizeof err),
		    -1);
	}
	ledger_close(l);

	open_fails(lpath, want);
	assert_string_equal(err, want);

	/* ledger_find delivers the complete lines, then the error. */
	assert_int_equal(find(lpath, NULL, NULL, &h), -1);
	assert_string_equal(err, want);
	assert_int_equal(h.n, 2);
	assert_int_equal(line_serial(h.line[1], h.len[1]), 2);

	(void)read_file(lpath, after, sizeof after);
	assert_string_equal(after, before);

	/* A single torn line in an otherwise empty ledger. */
	write_file(lpath, "{", 1);
	bprintf(want, sizeof want, "%s: the last line (line 1, byte "
	    "offset 0) is incomplete", lpath);
	open_fails(lpath, want);
	(void)read_file(lpath, after, sizeof after);
	assert_string_equal(after, "{");
}

/* Every other bad line: "PATH: line N: ...", nothing changed. */
static void
test_corrupt_lines(void **state)
{
	static const struct bad_text bad[] = {
		{ "not json", "line 2: " },
		{ "", "line 2: " },
		{ "{\"key\":\"AAAA\"}", "line 2: no serial" },
		{ "{\"serial\":5}", "line 2: no key" },
		{ "{\"serial\":5,\"key\":\"\"}", "line 2: the key" },
		{ "{\"serial\":5,\"key\":7}", "line 2: the key" },
		{ "{\"serial\":\"5\",\"key\":\"A\"}", "line 2: the serial" },
		{ "{\"serial\":-5,\"key\":\"A\"}", "line 2: the serial" },
		{ "{\"serial\":5.0,\"key\":\"A\"}", "line 2: the serial" },
		{ "{\"serial\":5e2,\"key\":\"A\"}", "line 2: the serial" },
		{ "{\"serial\":4294967296,\"key\":\"A\"}", "line 2: the serial" },
		{ "{\"serial\":null,\"key\":\"A\"}", "line 2: the serial" },
		{ "{\"serial\":5,\"key\":\"A\",\"order\":5}", "line 2: the order" },
		{ "{\"serial\":1,\"key\":\"A\"}",
		    "line 2: serial 1 was already issued (ledger line 1)" },
		{ "{\"serial\":5,\"key\":\"A\"}\r", "line 2: " },
		{ "[1]", "line 2: " },
	};
	static char text[FILECAP], after[FILECAP], want[256];
	static char longline[LEDGER_LINE_MAX + 64];
	static struct hits h;
	static const char good1[] = "{\"serial\":1,\"key\":\"A\"}\n";
	static const char good3[] = "{\"serial\":3,\"key\":\"A\"}\n";
	size_t i, len;
	int n;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		n = snprintf(text, sizeof text, "%s%s\n%s", good1, bad[i].text,
		    good3);
		assert_true(n > 0);
		write_file(lpath, text, (size_t)n);
		bprintf(want, sizeof want, "%s: %s", lpath,
		    bad[i].want);
		open_fails(lpath, want);
		assert_int_equal(strncmp(err, want, strlen(want)), 0);
		assert_int_equal(find(lpath, NULL, NULL, &h), -1);
		assert_int_equal(strncmp(err, want, strlen(want)), 0);
		assert_int_equal(h.n, 1);
		(void)read_file(lpath, after, sizeof after);
		assert_string_equal(after, text);
	}

	/* A line of exactly LEDGER_LINE_MAX bytes with its '\n' is read... */
	len = LEDGER_LINE_MAX - 1U;
	n = snprintf(longline, sizeof longline, "{\"serial\":2,\"key\":\"");
	memset(longline + n, 'A', len - (size_t)n - 2U);
	memcpy(longline + len - 2U, "\"}\n", 4);
	assert_int_equal(strlen(longline), LEDGER_LINE_MAX);
	write_file(lpath, good1, sizeof good1 - 1U);
	append_file(lpath, longline, LEDGER_LINE_MAX);
	append_file(lpath, good3, sizeof good3 - 1U);
	ledger_close(open_ok(lpath));
	/* ...one byte more is not. */
	memmove(longline + 20, longline + 19, LEDGER_LINE_MAX - 19U + 1U);
	assert_int_equal(strlen(longline), LEDGER_LINE_MAX + 1U);
	write_file(lpath, good1, sizeof good1 - 1U);
	append_file(lpath, longline, LEDGER_LINE_MAX + 1U);
	append_file(lpath, good3, sizeof good3 - 1U);
	bprintf(want, sizeof want, "%s: line 2: longer than %u bytes",
	    lpath, LEDGER_LINE_MAX);
	open_fails(lpath, want);
	assert_string_equal(err, want);

	/* A NUL byte inside a line. */
	write_file(lpath, good1, sizeof good1 - 1U);
	append_file(lpath, "{\"serial\":2,\"key\":\"A\0\"}\n", 24);
	bprintf(want, sizeof want, "%s: line 2: ", lpath);
	open_fails(lpath, want);
}

/* A ledger that cannot be written is an error when it is opened. */
static void
test_not_writable(void **state)
{
	const struct fx *fx = *state;
	char path[4096], link[4096];
	ledger *l;

	/* A directory. */
	path_in(fx, "dir", path, sizeof path);
	assert_int_equal(mkdir(path, 0700), 0);
	open_fails(path, path);

	/* Where no file can be made. */
	open_fails("/proc/self/ledger", "/proc/self/ledger: cannot open");
	path_in(fx, "no/such/dir/ledger", path, sizeof path);
	open_fails(path, "cannot open");

	/* Read-only: for root, permissions do not apply. */
	l = open_ok(lpath);
	add(l, 1, NULL);
	ledger_close(l);
	assert_int_equal(chmod(lpath, 0400), 0);
	if (geteuid() != 0)
		open_fails(lpath, "cannot open for writing");
	assert_int_equal(chmod(lpath, 0600), 0);

	/* A symbolic link, to a good ledger or to nothing. */
	path_in(fx, "link.jsonl", link, sizeof link);
	assert_int_equal(symlink(lpath, link), 0);
	open_fails(link, "symbolic link");
	{
		static struct hits h;

		assert_int_equal(find(link, NULL, NULL, &h), -1);
		assert_contains(err, "symbolic link");
	}
	path_in(fx, "dangling.jsonl", link, sizeof link);
	assert_int_equal(symlink("nowhere", link), 0);
	open_fails(link, "symbolic link");
	path_in(fx, "nowhere", path, sizeof path);
	assert_int_equal(access(path, F_OK), -1);

	/* A FIFO is not a regular file. */
	path_in(fx, "fifo", path, sizeof path);
	assert_int_equal(mkfifo(path, 0600), 0);
	open_fails(path, "not a regular file");
}

/* A child of test_concurrent: 0 if every round went well. */
static int
racer(const char *path, int id)
{
	char e[ERRCAP];
	lkey_license t;
	ledger_entry en;
	uint32_t s;
	ledger *l;
	int i;

	if (ledger_open(path, &l, e, sizeof e) != 0) {
		fprintf(stderr, "child %d: %s\n", id, e);
		return 1;
	}
	for (i = 0; i < ROUNDS; i++) {
		if (ledger_lock(l, e, sizeof e) != 0 ||
		    ledger_next_serial(l, &s, e, sizeof e) != 0) {
			fprintf(stderr, "child %d: %s\n", id, e);
			return 1;
		}
		bare_terms(&t, s);
		t.edition = (uint32_t)id;
		en.time = T0 + i;
		en.order = NULL;
		en.lic = &t;
		en.key = FAKE_KEY;
		if (ledger_append(l, &en, 1, e, sizeof e) != 0 ||
		    ledger_unlock(l, e, sizeof e) != 0) {
			fprintf(stderr, "child %d: %s\n", id, e);
			return 1;
		}
	}
	ledger_close(l);
	return 0;
}

static void
count_serial(const char *line, size_t len, void *arg)
{
	uint8_t *seen = arg;
	static char buf[LEDGER_LINE_MAX + 1];
	jl_object o;
	const jl_field *f;
	unsigned long v;

	if (jsonline_parse(line, len, buf, sizeof buf, &o, NULL, 0) != 0 ||
	    (f = jsonline_get(&o, "serial")) == NULL)
		return;
	v = strtoul(f->value, NULL, 10);
	if (v >= 1 && v <= KIDS * ROUNDS && seen[v] < 255)
		seen[v]++;
}

/* Four processes take serials at once: all distinct, 1..2000. */
static void
test_concurrent(void **state)
{
	static uint8_t seen[KIDS * ROUNDS + 1];
	pid_t pid[KIDS];
	int i, status[KIDS];
	long n;

	(void)state;
	/* Created by the first child to get there. */
	for (i = 0; i < KIDS; i++) {
		pid[i] = fork();
		assert_true(pid[i] != -1);
		if (pid[i] == 0)
			_exit(racer(lpath, i));
	}
	/* Wait for all before failing: teardown removes their directory. */
	for (i = 0; i < KIDS; i++) {
		if (waitpid(pid[i], &status[i], 0) != pid[i])
			status[i] = -1;
	}
	for (i = 0; i < KIDS; i++) {
		assert_true(WIFEXITED(status[i]));
		assert_int_equal(WEXITSTATUS(status[i]), 0);
	}
	/* ledger_find checks every line and refuses a serial seen twice. */
	memset(seen, 0, sizeof seen);
	n = ledger_find(lpath, NULL, NULL, count_serial, seen, err,
	    sizeof err);
	if (n == -1)
		fail_msg("%s", err);
	assert_int_equal(n, KIDS * ROUNDS);
	for (i = 1; i <= KIDS * ROUNDS; i++)
		if (seen[i] != 1)
			fail_msg("serial %d seen %u times", i, seen[i]);
	{
		ledger *l = open_ok(lpath);
		uint32_t s;

		assert_int_equal(ledger_lock(l, err, sizeof err), 0);
		assert_int_equal(ledger_next_serial(l, &s, err, sizeof err),
		    0);
		assert_int_equal(s, KIDS * ROUNDS + 1);
		assert_int_equal(ledger_unlock(l, err, sizeof err), 0);
		ledger_close(l);
	}
}

static double
now_seconds(void)
{
	struct timespec ts;

	assert_int_equal(clock_gettime(CLOCK_MONOTONIC, &ts), 0);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * A ledger of 100 000 entries opens, and knows every serial. The time it
 * took is printed, not judged: speed is for make bench, not for a test.
 */
static void
test_large(void **state)
{
	/* Long enough to be like a real key (about 170 characters). */
	static const char key[] =
	    "AWQBAAAAdwFkAQIAGQAAAKJPAAChUAAAoVAAAOkDAAANAAAAB0V4YW1wbGUgR21i"
	    "SAEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
	lkey_license *t;
	ledger_entry *e;
	ledger *l;
	uint32_t s, i, j;
	double t0, took;
	struct stat st;

	(void)state;
	t = calloc(BIG_CHUNK, sizeof(*t));
	e = calloc(BIG_CHUNK, sizeof(*e));
	assert_non_null(t);
	assert_non_null(e);
	l = open_ok(lpath);
	for (i = 0; i < BIG; i += BIG_CHUNK) {
		assert_int_equal(ledger_lock(l, err, sizeof err), 0);
		for (j = 0; j < BIG_CHUNK; j++) {
			assert_int_equal(ledger_next_serial(l, &s, err,
			    sizeof err), 0);
			example_terms(&t[j], s);
			e[j].time = T0 + (int64_t)s;
			e[j].order = "ORDER-2026-11-23";
			e[j].lic = &t[j];
			e[j].key = key;
		}
		if (ledger_append(l, e, BIG_CHUNK, err, sizeof err) != 0)
			fail_msg("%s", err);
		assert_int_equal(ledger_unlock(l, err, sizeof err), 0);
	}
	ledger_close(l);
	free(t);
	free(e);
	assert_int_equal(stat(lpath, &st), 0);

	t0 = now_seconds();
	l = open_ok(lpath);
	took = now_seconds() - t0;
	print_message("ledger of %u entries (%jd bytes) opened in %.3f s\n",
	    BIG, (intmax_t)st.st_size, took);
	for (i = 1; i <= BIG; i++)
		assert_true(ledger_has_serial(l, i));
	assert_false(ledger_has_serial(l, 0));
	assert_false(ledger_has_serial(l, BIG + 1U));
	assert_int_equal(ledger_lock(l, err, sizeof err), 0);
	assert_int_equal(ledger_next_serial(l, &s, err, sizeof err), 0);
	assert_int_equal(s, BIG + 1U);
	assert_int_equal(ledger_unlock(l, err, sizeof err), 0);
	ledger_close(l);
}

/* Order ids up to 128 bytes; longer ones, or not UTF-8, are refused. */
static void
test_order_limits(void **state)
{
	static char before[FILECAP], after[FILECAP];
	char order[LEDGER_ORDER_MAX + 2];
	lkey_license t;
	ledger *l = open_ok(lpath);

	(void)state;
	memset(order, 'x', sizeof order);
	order[LEDGER_ORDER_MAX + 1] = '\0';
	assert_int_equal(strlen(order), 129);
	assert_int_equal(ledger_lock(l, err, sizeof err), 0);
	bare_terms(&t, 1);
	assert_int_equal(append1(l, &t, order, FAKE_KEY), -1);
	assert_contains(err, "longer than 128 bytes");
	assert_int_equal(append1(l, &t, "\xff", FAKE_KEY), -1);
	assert_contains(err, "UTF-8");
	/* A licensee with a NUL byte would give a line no one can read. */
	bare_terms(&t, 1);
	memcpy(t.licensee, "a\0b", 4);
	t.licensee_len = 3;
	assert_int_equal(append1(l, &t, NULL, FAKE_KEY), -1);
	assert_contains(err, "licensee");
	bare_terms(&t, 1);
	assert_int_equal(append1(l, &t, NULL, ""), -1);
	{
		ledger_entry e = { -1, NULL, &t, FAKE_KEY };

		assert_int_equal(ledger_append(l, &e, 1, err, sizeof err), -1);
		assert_contains(err, "time");
	}
	assert_int_equal(ledger_unlock(l, err, sizeof err), 0);
	(void)read_file(lpath, before, sizeof before);
	assert_string_equal(before, "");

	order[LEDGER_ORDER_MAX] = '\0';
	add(l, 1, order);
	ledger_close(l);
	{
		static struct hits h;

		assert_int_equal(find(lpath, NULL, order, &h), 1);
	}
	(void)read_file(lpath, after, sizeof after);
	assert_non_null(strstr(after, order));
}

/* Quotes, backslashes, control characters and UTF-8 round-trip. */
static void
test_escaping(void **state)
{
	static const char order[] = "Q\"uote\\back\tslash \xc3\xbc \xe2\x82\xac"
	    "\n{\"serial\":5,\"key\":\"x\"}";
	static const char who[] = "M\xc3\xbcller \"GmbH\" \\ \xe6\x9d\xb1"
	    "\xe4\xba\xac \xf0\x9f\x94\x91";
	static char file[FILECAP], buf[LEDGER_LINE_MAX + 1];
	static struct hits h;
	lkey_license t;
	jl_object o;
	const jl_field *f;
	ledger *l = open_ok(lpath);

	(void)state;
	bare_terms(&t, 42);
	memcpy(t.licensee, who, sizeof who);
	t.licensee_len = sizeof who - 1U;
	assert_int_equal(ledger_lock(l, err, sizeof err), 0);
	assert_int_equal(append1(l, &t, order, FAKE_KEY), 0);
	assert_int_equal(ledger_unlock(l, err, sizeof err), 0);
	ledger_close(l);

	/* One line: the newline in the order did not split it. */
	(void)read_file(lpath, file, sizeof file);
	assert_non_null(strchr(file, '\n'));
	assert_ptr_equal(strchr(file, '\n') + 1, file + strlen(file));
	assert_non_null(strstr(file, "\\\"uote\\\\back\\tslash"));

	assert_int_equal(find(lpath, NULL, order, &h), 1);
	assert_false(h.bad);
	assert_int_equal(jsonline_parse(h.line[0], h.len[0], buf, sizeof buf,
	    &o, NULL, 0), 0);
	assert_non_null(f = jsonline_get(&o, "order"));
	assert_int_equal(f->type, JL_STRING);
	assert_int_equal(f->len, sizeof order - 1U);
	assert_memory_equal(f->value, order, sizeof order);
	assert_non_null(f = jsonline_get(&o, "licensee"));
	assert_int_equal(f->type, JL_STRING);
	assert_int_equal(f->len, sizeof who - 1U);
	assert_memory_equal(f->value, who, sizeof who);
	assert_int_equal(line_serial(h.line[0], h.len[0]), 42);
	/* The "serial" inside the order is only text. */
	assert_int_equal(find(lpath, NULL, NULL, &h), 1);
	{
		uint32_t five = 5;

		assert_int_equal(find(lpath, &five, NULL, &h), 0);
	}
}

/* A failed write leaves the ledger as it was (RLIMIT_FSIZE in a child). */
static void
test_short_write(void **state)
{
	static char before[FILECAP], after[FILECAP];
	struct rlimit rl;
	size_t size;
	pid_t pid;
	int status;
	ledger *l = open_ok(lpath);

	(void)state;
	add(l, 1, NULL);
	ledger_close(l);
	size = read_file(lpath, before, sizeof before);

	pid = fork();
	assert_true(pid != -1);
	if (pid == 0) {
		char e[ERRCAP];
		lkey_license t;
		ledger_entry en = { T0, "A-17", &t, FAKE_KEY };
		int rc;

		(void)signal(SIGXFSZ, SIG_IGN);
		if (ledger_open(lpath, &l, e, sizeof e) != 0)
			_exit(10);
		rl.rlim_cur = rl.rlim_max = (rlim_t)size + 100U;
		if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
			_exit(11);
		example_terms(&t, 2);
		if (ledger_lock(l, e, sizeof e) != 0)
			_exit(12);
		rc = ledger_append(l, &en, 1, e, sizeof e);
		if (rc != -1 || strstr(e, "cannot write") == NULL ||
		    ledger_has_serial(l, 2)) {
			fprintf(stderr, "append: %d: %s\n", rc, e);
			_exit(13);
		}
		/* Nothing was recorded: the ledger still works. */
		if (ledger_unlock(l, e, sizeof e) != 0)
			_exit(14);
		ledger_close(l);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	(void)read_file(lpath, after, sizeof after);
	assert_string_equal(after, before);
	l = open_ok(lpath);
	assert_false(ledger_has_serial(l, 2));
	ledger_close(l);
}

/* A ledger renamed over the open one is noticed when locking. */
static void
test_replaced(void **state)
{
	const struct fx *fx = *state;
	char other[4096];
	ledger *l = open_ok(lpath);

	add(l, 1, NULL);
	path_in(fx, "other.jsonl", other, sizeof other);
	write_file(other, "{\"serial\":1,\"key\":\"A\"}\n", 23);
	assert_int_equal(rename(other, lpath), 0);
	assert_int_equal(ledger_lock(l, err, sizeof err), -1);
	assert_contains(err, "replaced");
	ledger_close(l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, proc_teardown)
		T(test_roundtrip),
		T(test_next_serial),
		T(test_duplicate_refused),
		T(test_torn_last_line),
		T(test_corrupt_lines),
		T(test_not_writable),
		T(test_concurrent),
		T(test_large),
		T(test_order_limits),
		T(test_escaping),
		T(test_short_write),
		T(test_replaced),
#undef T
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
