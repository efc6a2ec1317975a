/*
 * batch.c - lkey-keygen batch: one key per order, orders read as CSV with
 * a header or as JSON lines, keys printed in input order
 *
 * A bad order is reported on standard error with its line number and
 * issues nothing; the others are still issued. Every key is in the ledger,
 * synced, before it is printed. From a regular file orders are issued in
 * chunks, one ledger write and one fsync per chunk, the keys signed on
 * several threads; from a pipe or a terminal each order is issued and
 * printed as soon as its line is read, so a fulfilment service can keep
 * one batch process open.
 */
#include <sys/stat.h>

#include <errno.h>
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
#include "jsonout.h"
#include "ledger.h"
#include "num.h"
#include "orders.h"

#define CHUNK_MAX 256		/* orders per ledger write, from a file */
/* A JSON output line: the order id escaped, the serial, the key. */
#define ROW_JSON_CAP (ORDERS_ID_MAX * 6 + LKEY_B64_TEXT_MAX + 64)

static const char *const opts[] = {
	"secret", "catalog", "ledger", "no-ledger", "format", "jobs", "help",
};
enum { O_SECRET, O_CATALOG, O_LEDGER, O_NO_LEDGER, O_FORMAT, O_JOBS, O_HELP,
	O_COUNT };

static const char help[] =
    "usage: lkey-keygen batch --secret FILE [--catalog FILE] "
    "[--ledger FILE | --no-ledger]\n                   [--format csv|json] "
    "[--jobs N] ORDERS|-\n\nIssues one key per order; see "
    "lkey-keygen(1).\n";

struct row {
	unsigned long line;
	bool has_order;
	bool serial_auto;
	bool ok;
	bool todo;		/* to be signed in this chunk */
	lkey_issue_status st;
	char order[ORDERS_ID_MAX + 1];
	lkey_license t;
	char text[LKEY_B64_TEXT_MAX];
};

struct batch {
	const lkey_vendor_key *key;
	ledger *lg;
	const char *source;	/* for messages */
	int format;		/* ORDERS_CSV or ORDERS_JSON: output too */
	bool progress;		/* standard error is a terminal */
	unsigned jobs;		/* signing threads, the calling one included */
	unsigned long read, issued, failed;
	struct row rows[CHUNK_MAX];
	size_t n;
};

static void
progress_clear(const struct batch *b)
{
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
row_failed(struct batch *b, unsigned long line, const char *why)
{
	progress_clear(b);
	fprintf(stderr, "lkey-keygen: %s:%lu: %s; no key issued\n", b->source,
	    line, why);
	b->failed++;
}

/* A CSV field: quoted when it holds a comma, a quote or a line end. */
static void
csv_field(const char *s)
{
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, stdout);
		return;
	}
	putchar('"');
	for (; *s != '\0'; s++) {
		if (*s == '"')
			putchar('"');
		putchar(*s);
	}
	putchar('"');
}

/* An output line of JSON: the order id, the serial and the key. */
static int
print_json(const struct row *r)
{
	char line[ROW_JSON_CAP];
	jsonout j;
	size_t n;

	jsonout_init(&j, line, sizeof(line));
	jsonout_object(&j, NULL);
	if (r->has_order)
		jsonout_str(&j, "order", r->order);
	else
		jsonout_null(&j, "order");
	jsonout_uint(&j, "serial", r->t.serial);
	jsonout_str(&j, "key", r->text);
	jsonout_close(&j);
	if ((n = jsonout_finish(&j)) == 0)
		return -1;
	line[n++] = '\n';
	return fwrite(line, 1, n, stdout) == n ? 0 : -1;
}

static int
print_row(const struct batch *b, const struct row *r)
{
	if (b->format == ORDERS_JSON) {
		if (print_json(r) != 0)
			return -1;
	} else {
		if (r->has_order)
			csv_field(r->order);
		printf(",%u,%s\n", r->t.serial, r->text);
	}
	return fflush(stdout) == 0 && !ferror(stdout) ? 0 : -1;
}

/* Whether a row of the chunk before `upto` is to be signed with `serial`. */
static bool
serial_in_chunk(const struct batch *b, size_t upto, uint32_t serial)
{
	size_t j;

	for (j = 0; j < upto; j++)
		if (b->rows[j].todo && b->rows[j].t.serial == serial)
			return true;
	return false;
}

/*
 * Serials for the rows of the chunk, under the ledger's lock: the next free
 * one for "auto" (past any explicit serial earlier in the chunk), and an
 * explicit serial only if neither the ledger nor an earlier row holds it.
 * Marks the rows that are to be signed.
 */
static void
assign_serials(struct batch *b)
{
	const char *taken;
	char err[512];
	size_t i;
	int got;

	for (i = 0; i < b->n; i++) {
		struct row *r = &b->rows[i];

		r->ok = false;
		r->todo = false;
		taken = NULL;
		if (r->serial_auto) {
			do
				got = ledger_next_serial(b->lg, &r->t.serial,
				    err, sizeof(err));
			while (got == 0 && serial_in_chunk(b, i, r->t.serial));
			if (got != 0) {
				row_failed(b, r->line, err);
				continue;
			}
		} else if (b->lg != NULL && ledger_has_serial(b->lg,
		    r->t.serial))
			taken = "was already issued";
		else if (b->lg != NULL && serial_in_chunk(b, i, r->t.serial))
			taken = "is taken by an earlier order of this batch";
		if (taken != NULL) {
			snprintf(err, sizeof(err), "serial %u %s", r->t.serial,
			    taken);
			row_failed(b, r->line, err);
			continue;
		}
		r->t.key_id = b->key->pub.id;	/* as lkey_issue writes it */
		r->todo = true;
	}
}

/* Signs (and self-checks) row i of the chunk, if it is to be signed. */
static void
sign_row(void *arg, size_t i)
{
	struct batch *b = arg;
	struct row *r = &b->rows[i];

	if (r->todo)
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
 * Under the ledger's lock: serials first, then every key (on b->jobs
 * threads), then one ledger write for all that were signed, which are
 * marked to print. -1 with err when the ledger itself fails; *lost then
 * says how many orders of the chunk were not issued.
 */
static int
sign_and_record(struct batch *b, size_t *lost, char *err, size_t errcap)
{
	ledger_entry e[CHUNK_MAX];
	char scratch[512];
	int64_t now = (int64_t)time(NULL);
	size_t i, ne = 0;

	*lost = b->n;
	if (b->lg != NULL && ledger_lock(b->lg, err, errcap) != 0)
		return -1;
	assign_serials(b);
	fulfil_each(b->n, b->jobs, sign_row, b);
	for (i = 0; i < b->n; i++) {
		struct row *r = &b->rows[i];

		if (!r->todo)
			continue;
		if (r->st != LKEY_ISSUE_OK) {
			row_failed(b, r->line, lkey_issue_status_text(r->st));
			continue;
		}
		r->ok = true;
		e[ne].time = now;
		e[ne].order = r->has_order ? r->order : NULL;
		e[ne].lic = &r->t;
		e[ne].key = r->text;
		ne++;
	}
	*lost = ne;
	if (b->lg == NULL)
		return 0;
	if (ne > 0 && ledger_append(b->lg, e, ne, err, errcap) != 0) {
		(void)ledger_unlock(b->lg, scratch, sizeof(scratch));
		return -1;
	}
	return ledger_unlock(b->lg, err, errcap);
}

/*
 * Issues the rows of the chunk, then prints them in input order. A failure
 * of the ledger itself ends the batch: returns -1.
 */
static int
issue_chunk(struct batch *b)
{
	char err[512];
	size_t i, lost;
	int rc = 0;

	if (b->n == 0)
		return 0;
	if (sign_and_record(b, &lost, err, sizeof(err)) != 0) {
		chunk_done(b);
		progress_clear(b);
		fprintf(stderr, "lkey-keygen: %s; the %zu order%s of this "
		    "chunk were not issued, and the batch stops\n", err, lost,
		    lost == 1 ? "" : "s");
		b->failed += lost;
		return -1;
	}
	for (i = 0; i < b->n; i++) {
		if (!b->rows[i].ok)
			continue;
		if (print_row(b, &b->rows[i]) != 0) {
			progress_clear(b);
			fprintf(stderr, "lkey-keygen: cannot write the keys to "
			    "standard output\n");
			rc = -1;
			break;
		}
		b->issued++;
	}
	chunk_done(b);
	progress_show(b);
	return rc;
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

/* Copies a validated order into the chunk; -1 (reported) if it is bad. */
static int
add_row(struct batch *b, const struct catalog *cat, const order_fields *f,
    unsigned long line, lkey_day today)
{
	struct row *r = &b->rows[b->n];
	char err[512];

	memset(r, 0, sizeof(*r));
	r->line = line;
	if (order_terms(cat, f, today, &r->t, &r->serial_auto, err,
	    sizeof(err)) != 0) {
		row_failed(b, line, err);
		return -1;
	}
	if (r->serial_auto && b->lg == NULL) {
		if (f->serial != NULL) {
			row_failed(b, line, "serial auto needs a ledger, not "
			    "--no-ledger");
			return -1;
		}
		/* No serial and no ledger: a random one, as issue does. */
		r->serial_auto = false;
		r->t.serial = randombytes_random();
	}
	if (f->order != NULL) {
		if (order_id_check(f->order, "order", err,
		    sizeof(err)) != 0) {
			row_failed(b, line, err);
			return -1;
		}
		memcpy(r->order, f->order, strlen(f->order) + 1);
		r->has_order = true;
	}
	b->n++;
	return 0;
}

/* --jobs, or by default one signing thread per processor. */
static unsigned
jobs(const char *s)
{
	uint64_t v;

	if (s == NULL)
		return fulfil_jobs();
	if (num_text(s, 1, FULFIL_JOBS_MAX, &v) != 0)
		cli_usage("--jobs must be a whole number from 1 to 64");
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

/* Reads, issues and prints every order; the exit status. */
static int
run(struct batch *b, orders_reader *rd, const struct catalog *cat,
    bool stream)
{
	order_fields f;
	char err[512];
	unsigned long line;
	size_t chunk = stream ? 1 : CHUNK_MAX;
	int got, rc = EXIT_TROUBLE;

	for (;;) {
		got = orders_next(rd, &f, &line, err, sizeof(err));
		if (got == 0)
			break;
		if (got == -2) {
			progress_clear(b);
			fprintf(stderr, "lkey-keygen: %s: %s\n", b->source,
			    err);
			goto done;
		}
		b->read++;
		if (got < 0)
			row_failed(b, line, err);
		else	/* Per order: a batch may stay open across midnight. */
			(void)add_row(b, cat, &f, line,
			    lkey_day_from_unix((int64_t)time(NULL)));
		if (b->n >= chunk && issue_chunk(b) != 0)
			goto done;
		if (stream || b->read % 1000 == 0)
			progress_show(b);
	}
	if (issue_chunk(b) != 0)
		goto done;
	rc = b->failed == 0 ? 0 : EXIT_TROUBLE;
done:
	if (b->progress)
		fputc('\n', stderr);
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
	if (a.npos != 1)
		cli_usage("batch needs the orders: a file, or - for standard "
		    "input");
	format = parse_format(a.value[O_FORMAT]);
	memset(&b, 0, sizeof(b));
	b.jobs = jobs(a.value[O_JOBS]);
	cat = cli_catalog(a.value[O_CATALOG]);
	in = open_orders(a.pos[0], &b, &stream);
	b.progress = isatty(STDERR_FILENO) != 0;

	/* Everything that can fail before signing is checked first. */
	lpath = ledger_path(a.value[O_SECRET], a.value[O_LEDGER],
	    a.seen[O_NO_LEDGER], lbuf, sizeof(lbuf));
	if (lpath != NULL && ledger_open(lpath, &b.lg, err, sizeof(err)) != 0)
		cli_die(EXIT_TROUBLE, "%s; nothing issued", err);
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
