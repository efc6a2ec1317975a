/*
 * bigledger.c - the ledger at 1 000 000 keys: each lookup of `lkey-keygen
 * ledger`, and `lkey-keygen issue` against an empty ledger; then a batch
 * fed on a pipe against the same batch from a file (section 8 of make
 * bench; docs/PERFORMANCE.md)
 *
 * The big ledger has the schema ledger_open makes, filled by one SQL
 * statement (fill_sql) with terms that vary as a vendor's do, and ten keys
 * of a second vendor key. Their key texts are made up: lookups never
 * decode them, and signing a million keys would take the benchmark
 * minutes.
 * Every timed command is also checked: a lookup must find what the fill
 * put there, an issue must print a key and exit 0.
 *
 * usage: bigledger BUILD_DIR TMPDIR [KEYS]   (from the repository root)
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "db.h"
#include "harness.h"
#include "ledger.h"
#include "lkey.h"

#define KEYS 1000000UL
#define SEC "keys/demo-vendor.sec"
#define DEMO_ID UINT32_C(0x277e0164)
#define OTHER_ID UINT32_C(0x0badcafe)
#define OTHER_KEYS 10UL
#define REPS 10
#define PATH_CAP 4096
#define BATCH_ORDERS 5000UL
#define BATCH_REPS 3

/*
 * The fill: one INSERT ... SELECT over a recursive count, in one
 * transaction of the ledger's own database handle, after ledger_open made
 * the schema. Terms vary with the serial s: editions, seats, periods
 * ending on every day of ten years from 2027-01-01, a licensee and an order
 * id each. The key texts are base64 of the right length, made up.
 */
static const char fill_sql[] =
	"WITH RECURSIVE n(s) AS (SELECT 1 UNION ALL SELECT s + 1 FROM n "
	"WHERE s < CAST(? AS BIGINT)) "
	"INSERT INTO keys (recorded_at, key_id, serial, order_id, product, "
	"edition, seats, starts, expires, maintenance, issued, features, "
	"maintenance_features, module_seats, licensee, host, trial, "
	"grace_days, notice_days, version, key_text) "
	"SELECT '2026-11-23T11:22:53Z', CAST(? AS BIGINT), "
	"s + CAST(? AS BIGINT), 'O-' || (s + CAST(? AS BIGINT)), 1, "
	"1 + s % 3, 1 + s % 250, date('2026-01-01', '+' || (s % 3650) || "
	"' days'), date('2027-01-01', '+' || (s % 3650) || ' days'), "
	"date('2026-07-05', '+' || (s % 3650) || ' days'), "
	"date('2026-01-01', '+' || (s % 3650) || ' days'), s % 16, 0, '', "
	"'Customer ' || (s + CAST(? AS BIGINT)) || ' Ltd', NULL, 0, 0, 30, "
	"1, 'AWQBficBAAIZAABTUb9Sv1LpAwAAAwAAAAEaRXhhbXBsZSBNYW51ZmFjdHVyaW5n"
	"IEdtYkiIBAEAAAAJaMO+a1xe0pkM3WikSqPC9aIXwi/uKBPYb1mHcrti4Cf+d+oe7C0K"
	"' || s FROM n";

/* Adds n keys of key_id with serials and order ids first+1 .. first+n. */
static void
fill_some(db *d, unsigned long n, uint32_t key_id, unsigned long first)
{
	char count[24], id[24], base[24], err[512];
	const char *p[5];

	snprintf(count, sizeof(count), "%lu", n);
	snprintf(id, sizeof(id), "%" PRIu32, key_id);
	snprintf(base, sizeof(base), "%lu", first);
	p[0] = count;
	p[1] = id;
	p[2] = base;
	p[3] = base;
	p[4] = base;
	if (db_query(d, fill_sql, p, 5, NULL, NULL, err, sizeof(err)) < 0)
		die("%s", err);
}

static void
fill(const char *path, unsigned long n)
{
	char err[512], next[24];
	const char *p[1];
	ledger *l;
	db *d;
	double t0 = now_ns();

	if (ledger_open(path, true, &l, err, sizeof(err)) != 0)
		die("%s", err);
	ledger_close(l);
	if (db_open(path, false, &d, err, sizeof(err)) != 0 ||
	    db_begin(d, err, sizeof(err)) != 0)
		die("%s", err);
	fill_some(d, n, DEMO_ID, 0);
	/* The last ten: a second vendor key, serials n+1 .. n+10. */
	fill_some(d, OTHER_KEYS, OTHER_ID, n);
	/* The licensee index, as ledger_insert fills it. */
	if (db_exec(d, "INSERT INTO keys_licensee (rowid, licensee) SELECT "
	    "id, licensee FROM keys WHERE licensee IS NOT NULL", err,
	    sizeof(err)) != 0)
		die("%s", err);
	snprintf(next, sizeof(next), "%lu", n + OTHER_KEYS + 1U);
	p[0] = next;
	if (db_query(d, "UPDATE meta SET next_serial = CAST(? AS BIGINT)", p,
	    1, NULL, NULL, err, sizeof(err)) < 0 ||
	    db_commit(d, err, sizeof(err)) != 0)
		die("%s", err);
	db_close(d);
	printf("   filled with %lu keys (and %lu of a second vendor key) in "
	    "%.1f s: one INSERT ... SELECT in the ledger's schema\n", n,
	    OTHER_KEYS, (now_ns() - t0) / 1e9);
}

/* Mean wall time of REPS runs in ms; each must exit 0 and print `want`. */
static double
timed(char *const argv[], const char *tmp, const char *want, double *sd)
{
	char out[PATH_CAP], err[PATH_CAP], buf[8192];
	double t[REPS], sum = 0, sq = 0, mean;
	FILE *f;
	size_t got;
	int status, r;

	path_in(out, sizeof(out), tmp, "cmd.out");
	path_in(err, sizeof(err), tmp, "cmd.err");
	for (r = 0; r < REPS; r++) {
		t[r] = run_proc(argv, out, err, &status) / 1e6;
		if (exit_code(status) != 0)
			die("%s %s: exit %d", argv[0], argv[1],
			    exit_code(status));
		if ((f = fopen(out, "r")) == NULL)
			die("%s: %s", out, strerror(errno));
		got = fread(buf, 1, sizeof(buf) - 1, f);
		buf[got] = '\0';
		fclose(f);
		if (want != NULL && strstr(buf, want) == NULL)
			die("%s %s %s: output lacks \"%s\": %.200s", argv[0],
			    argv[1], argv[2], want, buf);
		sum += t[r];
	}
	mean = sum / REPS;
	for (r = 0; r < REPS; r++)
		sq += (t[r] - mean) * (t[r] - mean);
	*sd = sqrt(sq / (REPS - 1));
	return mean;
}

static const char *
verdict(int met)
{
	return met ? "met" : "NOT met";
}

/* One lookup: `lkey-keygen ledger --ledger L OPT VALUE...`. */
static double
lookup(const char *keygen, const char *path, const char *tmp,
    const char *label, const char *o1, const char *v1, const char *o2,
    const char *v2, const char *want)
{
	char *av[10];
	double ms, sd;
	int k = 0;

	av[k++] = (char *)keygen;
	av[k++] = (char *)"ledger";
	av[k++] = (char *)"--ledger";
	av[k++] = (char *)path;
	av[k++] = (char *)o1;
	if (v1 != NULL)
		av[k++] = (char *)v1;
	if (o2 != NULL) {
		av[k++] = (char *)o2;
		av[k++] = (char *)v2;
	}
	av[k] = NULL;
	ms = timed(av, tmp, want, &sd);
	printf("   %-50s %7.2f +/- %5.2f ms : %s\n", label, ms, sd,
	    verdict(ms <= 20.0));
	return ms;
}

/* `lkey-keygen issue` with its ledger at path; mean ms of REPS. */
static double
issue_time(const char *keygen, const char *path, const char *tmp,
    double *sd)
{
	char *av[20];
	int k = 0;

	av[k++] = (char *)keygen;
	av[k++] = (char *)"issue";
	av[k++] = (char *)"--secret";
	av[k++] = (char *)SEC;
	av[k++] = (char *)"--ledger";
	av[k++] = (char *)path;
	av[k++] = (char *)"--product";
	av[k++] = (char *)"1";
	av[k++] = (char *)"--edition";
	av[k++] = (char *)"2";
	av[k++] = (char *)"--seats";
	av[k++] = (char *)"25";
	av[k++] = (char *)"--expires";
	av[k++] = (char *)"2028-12-31";
	av[k++] = (char *)"--maintenance";
	av[k++] = (char *)"2028-12-31";
	av[k] = NULL;
	return timed(av, tmp, "A", sd);
}

/* Orders for the pipe-against-file batch: serial auto, one per line. */
static void
write_orders(const char *path, unsigned long n)
{
	FILE *f = fopen(path, "w");
	unsigned long i;

	if (f == NULL)
		die("cannot create %s: %s", path, strerror(errno));
	fputs("order,product,edition,seats,expires,maintenance\n", f);
	for (i = 1; i <= n; i++)
		fprintf(f, "P-%lu,1,2,%lu,2028-12-31,2028-06-30\n", i,
		    1 + i % 100);
	if (fclose(f) != 0)
		die("cannot write %s", path);
}

/*
 * Keys per second of one batch of `orders` into a fresh ledger, from the
 * file itself or (pipe) through `cat FILE |`. Checks the key count.
 */
static double
batch_rate(const char *keygen, const char *tmp, const char *orders,
    int run, int pipe)
{
	char lpath[PATH_CAP], out[PATH_CAP], name[64], cmd[3 * PATH_CAP];
	char *av[8];
	double ns;
	int status;

	snprintf(name, sizeof(name), "batch-%s-%d.sqlite",
	    pipe ? "pipe" : "file", run);
	path_in(lpath, sizeof(lpath), tmp, name);
	path_in(out, sizeof(out), tmp, "batch.out");
	if (pipe) {
		snprintf(cmd, sizeof(cmd), "cat '%s' | '%s' batch --secret "
		    "'%s' --ledger '%s' -", orders, keygen, SEC, lpath);
		av[0] = (char *)"/bin/sh";
		av[1] = (char *)"-c";
		av[2] = cmd;
		av[3] = NULL;
	} else {
		av[0] = (char *)keygen;
		av[1] = (char *)"batch";
		av[2] = (char *)"--secret";
		av[3] = (char *)SEC;
		av[4] = (char *)"--ledger";
		av[5] = lpath;
		av[6] = (char *)orders;
		av[7] = NULL;
	}
	ns = run_proc(av, out, NULL, &status);
	if (exit_code(status) != 0)
		die("batch from a %s: exit %d", pipe ? "pipe" : "file",
		    exit_code(status));
	if (count_lines(out) != BATCH_ORDERS)
		die("batch from a %s: %lu keys for %lu orders",
		    pipe ? "pipe" : "file", count_lines(out), BATCH_ORDERS);
	return (double)BATCH_ORDERS / (ns / 1e9);
}

int
main(int argc, char **argv)
{
	char keygen[PATH_CAP], big[PATH_CAP], empty[PATH_CAP];
	char orders[PATH_CAP], serial[32], order[32], last[32], label[64];
	double e_ms, e_sd, b_ms, b_sd, worst = 0, ms, file = 0, pipe = 0;
	unsigned long n = KEYS;
	int r;

	harness_init("bigledger");
	if (argc != 3 && argc != 4)
		die("usage: bigledger BUILD_DIR TMPDIR [KEYS]");
	if (argc == 4 && ((n = strtoul(argv[3], NULL, 10)) < 1000 ||
	    n > 10000000UL))
		die("KEYS must be 1000 to 10000000");
	if (lkey_init() != 0)
		die("cannot initialise libsodium");
	setvbuf(stdout, NULL, _IOLBF, 0);
	path_in(keygen, sizeof(keygen), argv[1], "lkey-keygen");
	path_in(big, sizeof(big), argv[2], "million.sqlite");
	path_in(empty, sizeof(empty), argv[2], "empty.sqlite");
	path_in(orders, sizeof(orders), argv[2], "pipe.csv");

	printf("\n8. The ledger at %lu keys (SQLite, a file in the temp "
	    "dir); each command %d times, as a process\n", n, REPS);
	fill(big, n);
	snprintf(serial, sizeof(serial), "%lu", n / 2);
	snprintf(order, sizeof(order), "O-%lu", n - 7);
	snprintf(last, sizeof(last), "Customer %lu Ltd", n - 3);
#define WORST(x) do { ms = (x); if (ms > worst) worst = ms; } while (0)
	WORST(lookup(keygen, big, argv[2], "ledger --serial (one key)",
	    "--serial", serial, NULL, NULL, "O-"));
	WORST(lookup(keygen, big, argv[2], "ledger --order (one key)",
	    "--order", order, NULL, NULL, order));
	WORST(lookup(keygen, big, argv[2], "ledger --licensee (substring, "
	    "one key)", "--licensee", last + 1, NULL, NULL, last));
	WORST(lookup(keygen, big, argv[2], "ledger --key-id (the 10 keys "
	    "of a second key)", "--key-id", "0badcafe", NULL, NULL, "O-"));
	WORST(lookup(keygen, big, argv[2], "ledger --ends-after --ends-before "
	    "(one day)", "--ends-after", "2031-06-01", "--ends-before",
	    "2031-06-01", "O-"));
	printf("   target each lookup <= 20 ms : slowest %.2f ms : %s\n",
	    worst, verdict(worst <= 20.0));

	/* One issue first on each: the ledger created, its pages read. */
	(void)issue_time(keygen, empty, argv[2], &e_sd);
	(void)issue_time(keygen, big, argv[2], &b_sd);
	e_ms = issue_time(keygen, empty, argv[2], &e_sd);
	b_ms = issue_time(keygen, big, argv[2], &b_sd);
	printf("   %-50s %7.2f +/- %5.2f ms\n", "lkey-keygen issue, ledger "
	    "nearly empty", e_ms, e_sd);
	snprintf(label, sizeof(label), "lkey-keygen issue, ledger at %lu", n);
	printf("   %-50s %7.2f +/- %5.2f ms\n", label, b_ms, b_sd);
	printf("   target issue at %lu <= 1.5 x nearly empty : %.2f x : %s\n",
	    n, b_ms / e_ms, verdict(b_ms <= 1.5 * e_ms));

	printf("\n9. A batch of %lu orders fed on a pipe against the same from "
	    "a file (fresh ledger each, default --jobs, %d runs each)\n",
	    BATCH_ORDERS, BATCH_REPS);
	write_orders(orders, BATCH_ORDERS);
	for (r = 0; r < BATCH_REPS; r++) {
		file += batch_rate(keygen, argv[2], orders, r, 0);
		pipe += batch_rate(keygen, argv[2], orders, r, 1);
	}
	file /= BATCH_REPS;
	pipe /= BATCH_REPS;
	printf("   %-50s %9.0f keys/s\n", "batch from a file", file);
	printf("   %-50s %9.0f keys/s\n", "batch from a pipe (cat FILE |)",
	    pipe);
	printf("   target pipe >= 0.8 x file : %.2f x : %s\n", pipe / file,
	    verdict(pipe >= 0.8 * file));
	return 0;
}
