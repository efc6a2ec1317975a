/*
 * fulfil.c - lkey-keygen batch and lkey-keygen ledger
 *
 * A batch reads orders (CSV with a header, or JSON lines) and prints one key
 * per order, in input order. A bad order is reported on standard error with
 * its line number and issues nothing; the others are still issued. Every key
 * is in the ledger, synced, before it is printed. From a regular file orders
 * are issued in chunks, one ledger write and one fsync per chunk; from a pipe
 * or a terminal each order is issued and printed as soon as its line is read,
 * so a fulfillment service can keep one batch process open.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "catalog.h"
#include "cli.h"
#include "fulfil.h"
#include "jsonout.h"
#include "keyfile.h"
#include "num.h"
#include "orders.h"


#include "commands.h"

#define EXIT_TROUBLE 1

#define CHUNK_MAX 256		/* orders per ledger write, from a file */
#define JOBS_MAX 64		/* signing threads */
/* A JSON output line: the order id escaped, the serial, the key. */
#define ROW_JSON_CAP (ORDERS_ID_MAX * 6 + LKEY_B64_TEXT_MAX + 64)

/* ---- batch ------------------------------------------------------------ */

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
	char err[512];
	size_t i;
	int got;

	for (i = 0; i < b->n; i++) {
		struct row *r = &b->rows[i];

		r->ok = false;
		r->todo = false;
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
		    r->t.serial)) {
			snprintf(err, sizeof(err), "serial %u was already "
			    "issued", r->t.serial);
			row_failed(b, r->line, err);
			continue;
		} else if (b->lg != NULL && serial_in_chunk(b, i,
		    r->t.serial)) {
			snprintf(err, sizeof(err), "serial %u is taken by an "
			    "earlier order of this batch", r->t.serial);
			row_failed(b, r->line, err);
			continue;
		}
		r->t.key_id = b->key->pub.id;	/* as lkey_issue writes it */
		r->todo = true;
	}
}

struct signer {
	struct batch *b;
	size_t first;		/* rows first, first + step, ... */
	size_t step;
};

static void *
sign_rows(void *arg)
{
	const struct signer *s = arg;
	struct batch *b = s->b;
	size_t i;

	for (i = s->first; i < b->n; i += s->step)
		if (b->rows[i].todo)
			b->rows[i].st = lkey_issue(b->key, &b->rows[i].t,
			    b->rows[i].text, sizeof(b->rows[i].text));
	return NULL;
}

/*
 * Signs (and self-checks) the rows to sign, on b->jobs threads: the calling
 * one and jobs - 1 more. Rows are interleaved, so each thread gets an equal
 * share. If a thread cannot be started, its rows are signed here.
 */
static void
sign_chunk(struct batch *b)
{
	struct signer s[JOBS_MAX];
	pthread_t tid[JOBS_MAX];
	bool started[JOBS_MAX];
	size_t k, jobs = b->jobs;

	if (jobs > b->n)
		jobs = b->n;
	for (k = 0; k < jobs; k++) {
		s[k].b = b;
		s[k].first = k;
		s[k].step = jobs;
		started[k] = k > 0 &&
		    pthread_create(&tid[k], NULL, sign_rows, &s[k]) == 0;
	}
	for (k = 0; k < jobs; k++)
		if (!started[k])
			(void)sign_rows(&s[k]);
	for (k = 1; k < jobs; k++)
		if (started[k])
			(void)pthread_join(tid[k], NULL);
}

/*
 * Issues the rows of the chunk: under the ledger's lock, serials first,
 * then every key (on b->jobs threads), then one ledger write for all; then
 * prints them in input order. A failure of the ledger itself ends the
 * batch: returns -1.
 */
static int
issue_chunk(struct batch *b)
{
	ledger_entry e[CHUNK_MAX];
	char err[512], scratch[512];
	size_t i, ne = 0, lost;
	int64_t now = (int64_t)time(NULL);
	int rc = 0;

	if (b->n == 0)
		return 0;
	lost = b->n;
	if (b->lg != NULL && ledger_lock(b->lg, err, sizeof(err)) != 0)
		goto fatal;
	assign_serials(b);
	sign_chunk(b);
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
	lost = ne;
	if (b->lg != NULL) {
		if (ne > 0 && ledger_append(b->lg, e, ne, err,
		    sizeof(err)) != 0) {
			(void)ledger_unlock(b->lg, scratch, sizeof(scratch));
			goto fatal;
		}
		if (ledger_unlock(b->lg, err, sizeof(err)) != 0)
			goto fatal;
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
	for (i = 0; i < b->n; i++)
		sodium_memzero(b->rows[i].text, sizeof(b->rows[i].text));
	b->n = 0;
	progress_show(b);
	return rc;

fatal:
	for (i = 0; i < b->n; i++)
		sodium_memzero(b->rows[i].text, sizeof(b->rows[i].text));
	progress_clear(b);
	fprintf(stderr, "lkey-keygen: %s; the %zu order%s of this chunk were "
	    "not issued, and the batch stops\n", err, lost,
	    lost == 1 ? "" : "s");
	b->failed += lost;
	b->n = 0;
	return -1;
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
add_row(struct batch *b, const catalog *cat, const order_fields *f,
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

int
cmd_batch(int argc, char **argv)
{
	enum {
		O_SECRET, O_CATALOG, O_LEDGER, O_NO_LEDGER, O_FORMAT, O_JOBS,
		O_HELP, O_COUNT
	};
	static const args_spec specs[O_COUNT] = {
		[O_SECRET] = { "secret", true },
		[O_CATALOG] = { "catalog", true },
		[O_LEDGER] = { "ledger", true },
		[O_NO_LEDGER] = { "no-ledger", false },
		[O_FORMAT] = { "format", true },
		[O_JOBS] = { "jobs", true },
		[O_HELP] = { "help", false },
	};
	static orders_reader rd;
	static struct batch b;
	const catalog *cat;
	lkey_vendor_key *key = NULL;
	order_fields f;
	struct stat sb;
	char err[512];
	unsigned long line;
	lkey_day today;
	size_t chunk;
	uint64_t v;
	long cpus;
	char lbuf[4096];
	const char *lpath;
	FILE *in;
	args a;
	bool stream;
	int rc = EXIT_TROUBLE, got, format;

	if (args_parse(argc, argv, 2, specs, O_COUNT, &a, err,
	    sizeof(err)) != 0)
		cli_usage(err);
	if (a.seen[O_HELP]) {
		printf("usage: lkey-keygen batch --secret FILE [--catalog FILE] "
		    "[--ledger FILE | --no-ledger]\n                   [--format csv|json] "
		    "[--jobs N] ORDERS|-\n\nIssues one key per order; see "
		    "lkey-keygen(1).\n");
		return 0;
	}
	if (!a.seen[O_SECRET])
		cli_usage("batch needs --secret");
	if (a.npos != 1)
		cli_usage("batch needs the orders: a file, or - for standard "
		    "input");
	format = parse_format(a.value[O_FORMAT]);
	if (a.seen[O_JOBS] && num_text(a.value[O_JOBS], 1, JOBS_MAX,
	    &v) != 0)
		cli_usage("--jobs must be a whole number from 1 to 64");
	cat = cli_catalog(a.value[O_CATALOG]);

	memset(&b, 0, sizeof(b));
	/* By default one signing thread per processor. */
	cpus = sysconf(_SC_NPROCESSORS_ONLN);
	b.jobs = a.seen[O_JOBS] ? (unsigned)v :
	    cpus < 1 ? 1U : cpus > JOBS_MAX ? JOBS_MAX : (unsigned)cpus;
	b.source = strcmp(a.pos[0], "-") == 0 ? "standard input" : a.pos[0];
	in = strcmp(a.pos[0], "-") == 0 ? stdin : fopen(a.pos[0], "r");
	if (in == NULL)
		cli_die(EXIT_TROUBLE, "%s: cannot open: %s", a.pos[0],
		    strerror(errno));
	/* From a file, chunks; from a pipe or terminal, each order at once. */
	stream = fstat(fileno(in), &sb) != 0 || !S_ISREG(sb.st_mode);
	chunk = stream ? 1 : CHUNK_MAX;
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
	key = sodium_malloc(sizeof(*key));
	if (key == NULL) {
		fprintf(stderr, "lkey-keygen: out of secure memory\n");
		goto out;
	}
	if (keyfile_load_secret(a.value[O_SECRET], key, err,
	    sizeof(err)) != 0) {
		fprintf(stderr, "lkey-keygen: %s; nothing issued\n", err);
		goto out;
	}
	b.key = key;

	for (;;) {
		got = orders_next(&rd, &f, &line, err, sizeof(err));
		/* Per order: a batch may stay open across midnight. */
		today = lkey_day_from_unix((int64_t)time(NULL));
		if (got == 0)
			break;
		if (got == -2) {
			progress_clear(&b);
			fprintf(stderr, "lkey-keygen: %s: %s\n", b.source, err);
			goto done;
		}
		b.read++;
		if (got < 0)
			row_failed(&b, line, err);
		else
			(void)add_row(&b, cat, &f, line, today);
		if (b.n >= chunk && issue_chunk(&b) != 0)
			goto done;
		if (stream || b.read % 1000 == 0)
			progress_show(&b);
	}
	if (issue_chunk(&b) != 0)
		goto done;
	rc = b.failed == 0 ? 0 : EXIT_TROUBLE;
done:
	if (b.progress)
		fputc('\n', stderr);
	if (b.failed > 0)
		fprintf(stderr, "lkey-keygen: %lu of %lu order%s failed; %lu "
		    "key%s issued\n", b.failed, b.read, b.read == 1 ? "" : "s",
		    b.issued, b.issued == 1 ? "" : "s");
out:
	if (key != NULL)
		sodium_free(key);
	if (b.lg != NULL)
		ledger_close(b.lg);
	if (in != stdin)
		fclose(in);
	return rc;
}
