/*
 * batch.c - lkey-keygen batch: one key per order, orders read as CSV with
 * a header or as JSON lines, keys printed in input order
 *
 * A bad order is reported on standard error with its line number and
 * issues nothing; the others are still issued. Every key is in the ledger,
 * committed, before it is printed. An order id the ledger holds gives back
 * its recorded key when its terms are the same and is refused when they
 * differ (unless --reissue), so a batch run again after a bad row was
 * fixed issues only what is missing. Orders are issued in chunks, one
 * ledger transaction per chunk, the keys signed on several threads: from a
 * regular file up to CHUNK_MAX orders; from a pipe or a terminal the orders
 * that have arrived by the time one is read (a group commit), so a
 * fulfilment service can keep one batch process open and feed it one
 * order at a time or many.
 */
#include <sys/stat.h>

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "cli.h"
#include "commands.h"
#include "fulfil.h"
#include "ledger.h"
#include "num.h"
#include "orders.h"

#define CHUNK_MAX 1024		/* orders per ledger transaction */
#define ROW_WHY_MAX 2048	/* the faults of one order */
/* A JSON output line: the order id escaped, the serial, the key. */

static const char *const opts[] = {
	"secret", "catalog", "ledger", "no-ledger", "format", "jobs",
	"reissue", "help",
};
enum { O_SECRET, O_CATALOG, O_LEDGER, O_NO_LEDGER, O_FORMAT, O_JOBS,
	O_REISSUE, O_HELP, O_COUNT };

static const char help[] =
    "usage: lkey-keygen batch --secret FILE [--catalog FILE] "
    "[--ledger WHERE | --no-ledger]\n                   [--format csv|json] "
    "[--jobs N] [--reissue] ORDERS|-\n\nIssues one key per order; see "
    "lkey-keygen(1).\n";

/* What becomes of a row of the chunk. */
enum row_state {
	ROW_FAILED,		/* no key: why says why */
	ROW_NEW,		/* a new key, to be signed and recorded */
	ROW_RECORDED,		/* issued before: its recorded key */
	ROW_SAME_AS		/* the same order as row same_as, same terms */
};

struct row {
	unsigned long line;
	enum row_state state;
	bool has_order;
	bool serial_auto;
	unsigned given;		/* FULFIL_GIVEN_* */
	size_t same_as;
	fulfil_replaces rep;
	lkey_issue_status st;
	char order[ORDERS_ID_MAX + 1];
	lkey_license t;
	char text[LKEY_B64_TEXT_MAX];
	char why[ROW_WHY_MAX];	/* a line per fault, '\n' between */
};

struct batch {
	const lkey_vendor_key *key;
	ledger *lg;
	const char *source;	/* for messages */
	int format;		/* ORDERS_CSV or ORDERS_JSON: output too */
	bool progress;		/* standard error is a terminal */
	bool reissue;		/* --reissue */
	unsigned jobs;		/* signing threads, the calling one included */
	unsigned long read, issued, failed, before;
	fulfil_prior prior;
	struct row rows[CHUNK_MAX];
	size_t n;
};

static void
progress_clear(const struct batch *b)
{
	(void)fflush(stdout);
	if (b->progress)
		fputs("\r\033[K", stderr);
}

static void
progress_show(const struct batch *b)
{
	if (b->progress)
		fprintf(stderr, "\rlkey-keygen: %lu orders, %lu keys issued, "
		    "%lu failed", b->read, b->issued, b->failed);
}

static void
row_fail(struct row *r, const char *why)
{
	r->state = ROW_FAILED;
	snprintf(r->why, sizeof(r->why), "%s", why);
}

/*
 * A refused row on standard error: a line for each of its faults (every
 * bad field of the order), each with the row's line number.
 */
static void
report_row(const struct batch *b, const struct row *r)
{
	const char *p, *nl;

	for (p = r->why;; p = nl + 1) {
		nl = strchr(p, '\n');
		fprintf(stderr, "lkey-keygen: %s:%lu: %.*s; no key issued\n",
		    b->source, r->line, nl != NULL ? (int)(nl - p) :
		    (int)strlen(p), p);
		if (nl == NULL)
			break;
	}
}

/* The output line of a key (cmd_print_key_row). */
static int
print_row(const struct batch *b, const struct row *r)
{
	return cmd_print_key_row(b->format == ORDERS_JSON,
	    r->has_order ? r->order : NULL, r->t.serial, NULL, r->text);
}

/* Whether a new key of the chunk before `upto` has `serial`. */
static bool
serial_in_chunk(const struct batch *b, size_t upto, uint32_t serial)
{
	size_t j;

	for (j = 0; j < upto; j++)
		if (b->rows[j].state == ROW_NEW &&
		    b->rows[j].t.serial == serial)
			return true;
	return false;
}

/*
 * In the transaction: an order id the chunk or the ledger holds already.
 * A row with the same order as an earlier row of the chunk is that row's
 * key again (same terms) or refused; else fulfil_check decides.
 */
static void
check_order(struct batch *b, size_t i)
{
	struct row *r = &b->rows[i], *e;
	char why[768], err[1024];
	bool recorded;
	size_t j;

	for (j = 0; j < i; j++) {
		e = &b->rows[j];
		if ((e->state != ROW_NEW && e->state != ROW_RECORDED) ||
		    !e->has_order || strcmp(e->order, r->order) != 0)
			continue;
		if (fulfil_differs(&r->t, r->given, &e->t, why,
		    sizeof(why))) {
			snprintf(err, sizeof(err), "order %s is also at line "
			    "%lu of this batch, with other terms (%s)",
			    r->order, e->line, why);
			row_fail(r, err);
		} else {
			r->state = ROW_SAME_AS;
			r->same_as = j;
		}
		return;
	}
	if (fulfil_check(b->lg, r->order, &r->t, r->given, b->reissue,
	    &recorded, &b->prior, &r->rep, r->text, err, sizeof(err)) != 0)
		row_fail(r, err);
	else if (recorded)
		r->state = ROW_RECORDED;
}

/*
 * In the transaction, row by row: the order id first (check_order), then
 * the serial of a new key: the next free one for "auto" (past any serial
 * of an earlier row of the chunk), and an explicit serial only if neither
 * the ledger nor an earlier row holds it.
 */
static void
prepare_rows(struct batch *b)
{
	const char *taken;
	char err[512];
	size_t i;
	bool held;
	int got;

	for (i = 0; i < b->n; i++) {
		struct row *r = &b->rows[i];

		if (r->state != ROW_NEW)
			continue;
		if (b->lg != NULL && r->has_order) {
			check_order(b, i);
			if (r->state != ROW_NEW)
				continue;
		}
		taken = NULL;
		if (r->serial_auto) {
			do
				got = ledger_next_serial(b->lg, &r->t.serial,
				    err, sizeof(err));
			while (got == 0 && serial_in_chunk(b, i, r->t.serial));
			if (got != 0) {
				row_fail(r, err);
				continue;
			}
		} else if (b->lg != NULL) {
			if (ledger_serial_taken(b->lg, r->t.serial, &held,
			    err, sizeof(err)) != 0) {
				row_fail(r, err);
				continue;
			}
			if (held)
				taken = "was already issued";
			else if (serial_in_chunk(b, i, r->t.serial))
				taken = "is taken by an earlier order of this "
				    "batch";
		}
		if (taken != NULL) {
			snprintf(err, sizeof(err), "serial %" PRIu32 " %s",
			    r->t.serial, taken);
			row_fail(r, err);
			continue;
		}
		r->t.key_id = b->key->pub.id;	/* as lkey_issue writes it */
	}
}

/* Signs (and self-checks) row i of the chunk, if it is a new key. */
static void
sign_row(void *arg, size_t i)
{
	struct batch *b = arg;
	struct row *r = &b->rows[i];

	if (r->state == ROW_NEW)
		r->st = lkey_issue(b->key, &r->t, r->text, sizeof(r->text));
}

/* The keys of the chunk are wiped once printed or lost. */
static void
chunk_done(struct batch *b)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		sodium_memzero(b->rows[i].text, sizeof(b->rows[i].text));
	b->n = 0;
}

/*
 * One ledger transaction for the chunk: the orders and serials
 * (prepare_rows), every new key signed (on b->jobs threads), all of them
 * recorded at once, committed. -1 with err when the ledger itself fails:
 * then nothing of the chunk is recorded, and *lost says how many new keys
 * that was.
 */
static int
sign_and_record(struct batch *b, size_t *lost, char *err, size_t errcap)
{
	static ledger_rec rec[CHUNK_MAX];
	int64_t now = (int64_t)time(NULL);
	size_t i, ne = 0;

	*lost = 0;
	for (i = 0; i < b->n; i++)
		if (b->rows[i].state == ROW_NEW)
			(*lost)++;
	if (b->lg != NULL && ledger_begin(b->lg, err, errcap) != 0)
		return -1;
	prepare_rows(b);
	fulfil_each(b->n, b->jobs, sign_row, b);
	for (i = 0; i < b->n; i++) {
		struct row *r = &b->rows[i];

		if (r->state != ROW_NEW)
			continue;
		if (r->st != LKEY_ISSUE_OK) {
			row_fail(r, lkey_issue_status_text(r->st));
			continue;
		}
		memset(&rec[ne], 0, sizeof(rec[ne]));
		rec[ne].time = now;
		rec[ne].order = r->has_order ? r->order : NULL;
		rec[ne].key = r->text;
		rec[ne].lic = r->t;
		rec[ne].replaces = r->rep.any;
		rec[ne].replaces_key_id = r->rep.key_id;
		rec[ne].replaces_serial = r->rep.serial;
		ne++;
	}
	*lost = ne;
	if (b->lg == NULL)
		return 0;
	if ((ne > 0 && ledger_insert(b->lg, rec, ne, err, errcap) != 0) ||
	    ledger_commit(b->lg, err, errcap) != 0) {
		ledger_rollback(b->lg);
		return -1;
	}
	return 0;
}

/* The row whose key row i prints: itself, or the row it repeats. */
static const struct row *
key_row(const struct batch *b, size_t i)
{
	const struct row *r = &b->rows[i];

	return r->state == ROW_SAME_AS ? &b->rows[r->same_as] : r;
}

/*
 * After the keys from row i on could not be printed: they are recorded,
 * and this says so, with the command that prints each.
 */
static void
report_unprinted(const struct batch *b, size_t from)
{
	static serial_list sl;
	size_t i;

	memset(&sl, 0, sizeof(sl));
	for (i = from; i < b->n; i++)
		if (b->rows[i].state != ROW_FAILED)
			serial_list_add(&sl, key_row(b, i)->t.serial);
	if (b->lg == NULL || sl.n == 0) {
		fprintf(stderr, "lkey-keygen: cannot write the keys to "
		    "standard output\n");
		return;
	}
	cmd_report_unprinted(ledger_name(b->lg), &sl);
}

/*
 * The connection to the ledger's server was lost during the commit of the
 * chunk: its new keys may be recorded. Says which, and how to look each
 * up, not that they were not issued.
 */
static void
report_maybe(const struct batch *b, const char *err)
{
	static char word[SHELL_WORD_CAP];
	static serial_list sl;
	size_t i;

	memset(&sl, 0, sizeof(sl));
	for (i = 0; i < b->n; i++)
		if (b->rows[i].state == ROW_NEW)
			serial_list_add(&sl, b->rows[i].t.serial);
	if (sl.n == 0) {
		fprintf(stderr, "lkey-keygen: %s; the batch stops\n", err);
		return;
	}
	fprintf(stderr, "lkey-keygen: %s; the %zu new key%s of this chunk "
	    "(serial%s %s) may be recorded: look each up with lkey-keygen "
	    "ledger --ledger %s --serial %" PRIu32 " (or its order with "
	    "--order ID) before issuing it again; the batch stops\n", err,
	    sl.n, sl.n == 1 ? "" : "s", sl.n == 1 ? "" : "s", sl.text,
	    cmd_shell_word(ledger_name(b->lg), word), sl.first);
}

/*
 * Issues the rows of the chunk, then prints them in input order: the keys
 * on standard output, the refused rows on standard error. A failure of
 * the ledger itself, or of standard output, ends the batch: returns -1.
 */
static int
issue_chunk(struct batch *b)
{
	char err[1024];
	struct row *r;
	size_t i, lost, flushed = 0;

	if (b->n == 0)
		return 0;
	if (sign_and_record(b, &lost, err, sizeof(err)) != 0) {
		progress_clear(b);
		for (i = 0; i < b->n; i++)
			if (b->rows[i].state == ROW_FAILED) {
				report_row(b, &b->rows[i]);
				b->failed++;
			}
		if (fulfil_commit_lost(err))
			report_maybe(b, err);
		else
			fprintf(stderr, "lkey-keygen: %s; the %zu order%s of "
			    "this chunk were not issued, and the batch stops\n",
			    err, lost, lost == 1 ? "" : "s");
		chunk_done(b);
		b->failed += lost;
		return -1;
	}
	/* Rows before `flushed` are known to be out: standard output was
	 * flushed after them. */
	for (i = 0; i < b->n; i++) {
		r = &b->rows[i];
		if (r->state == ROW_SAME_AS &&
		    b->rows[r->same_as].state == ROW_FAILED)
			row_fail(r, b->rows[r->same_as].why);
		if (r->state == ROW_FAILED) {
			if (fflush(stdout) != 0)
				break;
			flushed = i;
			progress_clear(b);
			report_row(b, r);
			b->failed++;
			continue;
		}
		if (print_row(b, key_row(b, i)) != 0)
			break;
		if (r->state == ROW_NEW)
			b->issued++;
		else
			b->before++;
	}
	if (i < b->n || fflush(stdout) != 0 || ferror(stdout)) {
		progress_clear(b);
		report_unprinted(b, flushed);
		chunk_done(b);
		return -1;
	}
	chunk_done(b);
	progress_show(b);
	return 0;
}

static int
parse_format(const char *s)
{
	if (s == NULL)
		return ORDERS_AUTO;
	if (strcmp(s, "csv") == 0)
		return ORDERS_CSV;
	if (strcmp(s, "json") == 0)
		return ORDERS_JSON;
	cli_usage("--format must be csv or json");
}

/*
 * An order whose terms today makes impossible (starts today, past its
 * expiry) may be one retried after its licence ended (a trial): if the
 * ledger holds it, its start and issue days, when not given, are those
 * recorded (check_order then decides, in the transaction). Whether that
 * gave terms, in r; else err says why not (the first reason, or the
 * ledger's).
 */
static bool
retried(struct batch *b, const struct catalog *cat, const order_fields *f,
    struct row *r, char *err, size_t errcap)
{
	char why[512];
	lkey_day since;
	bool found;

	if (b->lg == NULL || f->order == NULL ||
	    order_id_check(f->order, "order", why, sizeof(why)) != 0)
		return false;
	if (fulfil_recorded_starts(b->lg, f->order, &found, &since, why,
	    sizeof(why)) != 0) {
		snprintf(err, errcap, "%s", why);
		return false;
	}
	return found && order_terms(cat, f, since, &r->t, &r->serial_auto,
	    why, sizeof(why)) == 0;
}

/*
 * Copies an order into the chunk: a row to issue, or (a bad order) a row
 * that reports it in its turn. `bad`: why the reader refused the row, or
 * NULL; when `partial`, those were faults of the fields in `refused` and
 * the other fields are checked too, so every bad field is reported.
 */
static void
add_row(struct batch *b, const struct catalog *cat, const order_fields *f,
    unsigned long line, const char *bad, bool partial, uint32_t refused,
    lkey_day today)
{
	struct row *r = &b->rows[b->n++];
	char err[ROW_WHY_MAX];

	memset(r, 0, sizeof(*r));
	r->line = line;
	r->state = ROW_NEW;
	if (bad != NULL) {
		row_fail(r, bad);
		if (partial && order_terms_but(cat, f, refused, today, false,
		    &r->t, &r->serial_auto, err, sizeof(err)) != 0 &&
		    err[0] != '\0' &&
		    strlen(r->why) + 1 + strlen(err) < sizeof(r->why)) {
			strcat(r->why, "\n");
			strcat(r->why, err);
		}
		return;
	}
	if (order_terms(cat, f, today, &r->t, &r->serial_auto, err,
	    sizeof(err)) != 0 && !retried(b, cat, f, r, err,
	    sizeof(err))) {
		row_fail(r, err);
		return;
	}
	r->given = (f->starts != NULL ? FULFIL_GIVEN_STARTS : 0U) |
	    (f->issued != NULL ? FULFIL_GIVEN_ISSUED : 0U) |
	    (!r->serial_auto ? FULFIL_GIVEN_SERIAL : 0U);
	if (r->serial_auto && b->lg == NULL) {
		if (f->serial != NULL) {
			row_fail(r, "serial auto needs a ledger, not "
			    "--no-ledger");
			return;
		}
		/* No serial and no ledger: a random one, as issue does. */
		r->serial_auto = false;
		r->t.serial = randombytes_random();
	}
	/* The order id was checked with the terms (order_id_check). */
	if (f->order != NULL) {
		memcpy(r->order, f->order, strlen(f->order) + 1);
		r->has_order = true;
	}
}

/* --jobs, or by default one signing thread per processor. */
static unsigned
jobs(const char *s)
{
	uint64_t v;

	if (s == NULL)
		return fulfil_jobs();
	v = cli_number("--jobs", s, 1, FULFIL_JOBS_MAX);
	return (unsigned)v;
}

/*
 * The orders named by `arg` ("-" for standard input), or the end of the
 * program. *stream: not a regular file, so each order is issued at once.
 */
static FILE *
open_orders(const char *arg, struct batch *b, bool *stream)
{
	struct stat sb;
	FILE *in;

	b->source = strcmp(arg, "-") == 0 ? "standard input" : arg;
	in = strcmp(arg, "-") == 0 ? stdin : fopen(arg, "r");
	if (in == NULL)
		cli_die(EXIT_TROUBLE, "%s: cannot open: %s", arg,
		    strerror(errno));
	*stream = fstat(fileno(in), &sb) != 0 || !S_ISREG(sb.st_mode);
	return in;
}

/*
 * Reads, issues and prints every order; the exit status. From a stream a
 * chunk is issued as soon as no further order has arrived (orders_ready):
 * what came in while the last chunk was signed and committed goes into
 * the next one, so a busy pipe is committed in groups and a quiet one
 * answers each order at once.
 */
static int
run(struct batch *b, orders_reader *rd, const struct catalog *cat,
    bool stream)
{
	static char err[ROW_WHY_MAX];
	order_fields f;
	unsigned long line;
	uint32_t refused = 0;
	bool partial;
	int got, rc = EXIT_TROUBLE;

	for (;;) {
		got = orders_next(rd, &f, &line, err, sizeof(err));
		if (got == 0)
			break;
		if (got == -2) {
			if (issue_chunk(b) != 0)
				goto done;
			progress_clear(b);
			fprintf(stderr, "lkey-keygen: %s: %s\n", b->source,
			    err);
			goto done;
		}
		b->read++;
		partial = got < 0 && orders_partial(rd, &refused);
		/* Per order: a batch may stay open across midnight. */
		add_row(b, cat, &f, line, got < 0 ? err : NULL, partial,
		    refused, lkey_day_from_unix((int64_t)time(NULL)));
		if ((b->n >= CHUNK_MAX || (stream && !orders_ready(rd))) &&
		    issue_chunk(b) != 0)
			goto done;
		if (stream || b->read % 1000 == 0)
			progress_show(b);
	}
	if (issue_chunk(b) != 0)
		goto done;
	if (b->read == 0) {
		progress_clear(b);
		fprintf(stderr, "lkey-keygen: no orders in %s\n", b->source);
		goto done;
	}
	rc = b->failed == 0 ? 0 : EXIT_TROUBLE;
done:
	if (b->progress)
		fputc('\n', stderr);
	if (b->before > 0)
		fprintf(stderr, "lkey-keygen: %lu order%s issued before: "
		    "%s recorded key%s printed\n", b->before,
		    b->before == 1 ? " was" : "s were",
		    b->before == 1 ? "its" : "their",
		    b->before == 1 ? " is" : "s are");
	if (b->failed > 0)
		fprintf(stderr, "lkey-keygen: %lu of %lu order%s failed; %lu "
		    "key%s issued\n", b->failed, b->read,
		    b->read == 1 ? "" : "s", b->issued,
		    b->issued == 1 ? "" : "s");
	return rc;
}

int
cmd_batch(int argc, char **argv)
{
	static orders_reader rd;
	static struct batch b;
	const struct catalog *cat;
	lkey_vendor_key *key = NULL;
	char err[512], lbuf[4096];
	const char *lpath;
	FILE *in;
	args a;
	bool stream;
	int rc = EXIT_TROUBLE, format;

	if (cmd_args(argc, argv, opts, O_COUNT, true, &a)) {
		(void)cmd_help(help);
		return 0;
	}
	if (!a.seen[O_SECRET])
		cli_usage("batch needs --secret");
	if (a.npos == 0)
		cli_usage("batch needs the orders: a file, or - for standard "
		    "input");
	if (a.npos > 1) {
		char why[160];

		(void)snprintf(why, sizeof(why), "batch takes one file of "
		    "orders (or - for standard input), not %zu; join them "
		    "first", a.npos);
		cli_usage(why);
	}
	format = parse_format(a.value[O_FORMAT]);
	memset(&b, 0, sizeof(b));
	b.jobs = jobs(a.value[O_JOBS]);
	cat = cli_catalog(a.value[O_CATALOG]);
	in = open_orders(a.pos[0], &b, &stream);
	b.progress = isatty(STDERR_FILENO) != 0;

	/* Everything that can fail before signing is checked first. */
	lpath = ledger_path(a.value[O_SECRET], a.value[O_LEDGER],
	    a.seen[O_NO_LEDGER], lbuf, sizeof(lbuf));
	if (a.seen[O_REISSUE] && lpath == NULL)
		cli_usage("--reissue needs a ledger, not --no-ledger: it "
		    "replaces the keys the ledger holds");
	b.reissue = a.seen[O_REISSUE];
	b.lg = cmd_ledger_open(lpath, true);
	if (orders_open(&rd, in, format, err, sizeof(err)) != 0) {
		fprintf(stderr, "lkey-keygen: %s: %s; nothing issued\n",
		    b.source, err);
		goto out;
	}
	b.format = rd.format;
	if ((key = cmd_secret_key(a.value[O_SECRET], "; nothing issued")) ==
	    NULL)
		goto out;
	b.key = key;
	rc = run(&b, &rd, cat, stream);
out:
	sodium_free(key);
	ledger_close(b.lg);
	if (in != stdin)
		fclose(in);
	return rc;
}
