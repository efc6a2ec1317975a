/*
 * bigbatch.c - one lkey-keygen batch of 100 000 orders, timed and checked
 * (section 5 of make bench; docs/PERFORMANCE.md)
 *
 * The orders take serial "auto" from a fresh ledger; the one in the middle
 * asks for 0 seats. Checked, as a fulfilment system would rely on it:
 * exactly that order fails, named by its line; every other order gets one
 * key, in input order, whose serial is the next one and which decodes
 * with the demo public key to that serial; the ledger holds one line per
 * key and finds the last order; lkey-verify accepts the first key. A check
 * that fails is an error (exit 1): the throughput of wrong work means
 * nothing. tests/test_batch.c checks the same on a smaller batch.
 *
 * usage: bigbatch BUILD_DIR TMPDIR [ORDERS]   (from the repository root)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "lkey.h"

#define ORDERS 100000UL
#define SEC "keys/demo-vendor.sec"
#define PUB "keys/demo-vendor.pub"
#define TODAY "2027-06-15"
#define LINE_CAP 1024
#define PATH_CAP 4096

/* The whole of a small file, NUL-terminated. */
static void
slurp(const char *path, char *buf, size_t cap)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (f == NULL)
		die("cannot read %s: %s", path, strerror(errno));
	n = fread(buf, 1, cap - 1, f);
	buf[n] = '\0';
	fclose(f);
}

/* Row `bad` (1-based) asks for 0 seats. */
static void
write_orders(const char *path, unsigned long n, unsigned long bad)
{
	FILE *f = fopen(path, "w");
	unsigned long i;

	if (f == NULL)
		die("cannot create %s: %s", path, strerror(errno));
	fputs("order,product,edition,seats,starts,expires,maintenance,"
	    "serial,features,licensee\n", f);
	for (i = 1; i <= n; i++)
		fprintf(f, "O-%lu,1,2,%s,2027-01-01,2027-12-31,2027-12-31,"
		    "auto,1,\n", i, i == bad ? "0" : "25");
	if (fclose(f) != 0)
		die("cannot write %s", path);
}

static void
load_pub(lkey_pubkey *pub)
{
	char text[4097];

	slurp(PUB, text, sizeof(text));
	if (lkey_pubkey_parse(text, strlen(text), pub) != LKEY_OK)
		die("%s: not a public key file", PUB);
}

/*
 * Every output line is "O-i,SERIAL,KEY": the orders in input order but
 * the bad one, the serials 1, 2, ... with no gap, each key valid for
 * the demo key and carrying its serial. Returns the number of keys; the
 * first key goes to first.
 */
static unsigned long
check_keys(const char *path, unsigned long orders, unsigned long bad,
    char *first)
{
	lkey_pubkey pub;
	lkey_license lic;
	char line[LINE_CAP], want[64], *key, *end;
	unsigned long n = 0, order = 1, serial;
	size_t len;
	FILE *f;

	load_pub(&pub);
	f = fopen(path, "r");
	if (f == NULL)
		die("cannot read %s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f) != NULL) {
		len = strlen(line);
		if (len == 0 || line[len - 1] != '\n')
			die("output line %lu is cut short", n + 1);
		line[--len] = '\0';
		if (order == bad)
			order++;
		snprintf(want, sizeof(want), "O-%lu,", order);
		if (strncmp(line, want, strlen(want)) != 0)
			die("output line %lu is not order O-%lu: %.40s", n + 1,
			    order, line);
		errno = 0;
		serial = strtoul(line + strlen(want), &end, 10);
		if (errno != 0 || *end != ',' || serial != n + 1)
			die("order O-%lu got serial %.12s, not %lu", order,
			    line + strlen(want), n + 1);
		key = end + 1;
		if (lkey_decode(key, strlen(key), &pub, 1, &lic, NULL) !=
		    LKEY_OK || lic.serial != serial)
			die("the key of order O-%lu does not decode to serial "
			    "%lu", order, serial);
		if (n == 0)
			memcpy(first, key, strlen(key) + 1);
		n++;
		order++;
	}
	fclose(f);
	if (order != orders + 1 && !(bad == orders && order == orders))
		die("%lu keys for %lu orders: output ends at order O-%lu", n,
		    orders, order - 1);
	return n;
}

int
main(int argc, char **argv)
{
	char keygen[PATH_CAP], verify[PATH_CAP], orders[PATH_CAP];
	char lpath[PATH_CAP], out[PATH_CAP], err[PATH_CAP], lout[PATH_CAP];
	char text[LINE_CAP * 4], want[128], last[64], first[LINE_CAP];
	char *av[12];
	unsigned long n = ORDERS, bad, keys;
	double t0, wall, cpu;
	int code, status;

	harness_init("bigbatch");
	if (argc != 3 && argc != 4)
		die("usage: bigbatch BUILD_DIR TMPDIR [ORDERS]");
	if (argc == 4 && ((n = strtoul(argv[3], NULL, 10)) < 2 ||
	    n > 10000000UL))
		die("ORDERS must be 2 to 10000000");
	if (lkey_init() != 0)
		die("cannot initialise libsodium");
	setvbuf(stdout, NULL, _IOLBF, 0);
	bad = n / 2 + 1;
	path_in(keygen, sizeof(keygen), argv[1], "lkey-keygen");
	path_in(verify, sizeof(verify), argv[1], "lkey-verify");
	path_in(orders, sizeof(orders), argv[2], "big.csv");
	path_in(lpath, sizeof(lpath), argv[2], "big.sqlite");
	path_in(out, sizeof(out), argv[2], "big.out");
	path_in(err, sizeof(err), argv[2], "big.err");
	path_in(lout, sizeof(lout), argv[2], "ledger.out");
	write_orders(orders, n, bad);

	printf("\n5. One batch of %lu orders, one of them bad "
	    "(lkey-keygen batch, default --jobs, ledger on)\n", n);
	av[0] = keygen;
	av[1] = (char *)"batch";
	av[2] = (char *)"--secret";
	av[3] = (char *)SEC;
	av[4] = (char *)"--ledger";
	av[5] = lpath;
	av[6] = orders;
	av[7] = NULL;
	cpu = children_cpu_ns() / 1e9;
	t0 = now_ns() / 1e9;
	(void)run_proc(av, out, err, &status);
	code = exit_code(status);
	wall = now_ns() / 1e9 - t0;
	cpu = children_cpu_ns() / 1e9 - cpu;

	/* Exactly the bad order fails, by its line (the header is line 1). */
	slurp(err, text, sizeof(text));
	snprintf(want, sizeof(want), "big.csv:%lu: seats", bad + 1);
	if (code != 1 || strstr(text, want) == NULL)
		die("batch: exit %d, expected 1 and \"%s\"; stderr: %.300s",
		    code, want, text);
	snprintf(want, sizeof(want), "1 of %lu orders failed", n);
	if (strstr(text, want) == NULL)
		die("batch: stderr does not say \"%s\": %.300s", want, text);
	keys = check_keys(out, n, bad, first);
	if (keys != n - 1)
		die("%lu keys for %lu good orders", keys, n - 1);
	if (ledger_keys(lpath) != (long)(n - 1))
		die("%ld keys in the ledger for %lu keys", ledger_keys(lpath),
		    n - 1);

	printf("   %-50s %9.2f s  %9.0f keys/s\n", "wall time, start to exit",
	    wall, (double)keys / wall);
	printf("     CPU time %.2f us per key (user + system), %.2f cores "
	    "busy on average\n", cpu / (double)keys * 1e6, cpu / wall);

	/* The ledger finds the last order; lkey-verify takes the first key. */
	snprintf(last, sizeof(last), "O-%lu", n);
	av[1] = (char *)"ledger";
	av[2] = (char *)"--ledger";
	av[3] = lpath;
	av[4] = (char *)"--order";
	av[5] = last;
	av[6] = NULL;
	(void)run_proc(av, lout, err, &status);
	code = exit_code(status);
	slurp(lout, text, sizeof(text));
	snprintf(want, sizeof(want), "serial %lu,", n - 1);
	if (code != 0 || strstr(text, want) == NULL)
		die("ledger --order %s: exit %d, no %s: %.300s", last, code,
		    want, text);
	av[0] = verify;
	av[1] = (char *)"--pubkey";
	av[2] = (char *)PUB;
	av[3] = (char *)"--product";
	av[4] = (char *)"1";
	av[5] = (char *)"--today";
	av[6] = (char *)TODAY;
	av[7] = first;
	av[8] = NULL;
	(void)run_proc(av, lout, err, &status);
	code = exit_code(status);
	if (code != 0)
		die("lkey-verify: the first key: exit %d", code);
	printf("   checked: order %lu alone failed; %lu keys in order, serials "
	    "1 to %lu, each decoded; %lu keys in the ledger; ledger --order %s "
	    "gives serial %lu; lkey-verify takes the first key: ok\n", bad,
	    keys, keys, keys, last, n - 1);
	return 0;
}
