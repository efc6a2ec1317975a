/*
 * bench.c - the measured figures of docs/PERFORMANCE.md: signing against
 * lkey-keygen batch, raw verification against lkey_decode + lkey_check, and
 * lkey-verify as a whole process against the least a program can do
 * (bench/minimal.c); with "typo", only the time of typo location
 * (lkey_suggest) on a 160-character key. bench/run.sh adds the sizes.
 *
 * It reports; it asserts nothing about speed. Each pair is measured in the
 * same run, repetitions interleaved (A B A B ...), so a busy machine slows
 * both sides alike; each figure is the mean and sample standard deviation
 * of its repetitions. A setup step that goes wrong (a key that does not
 * verify, a program that gives the wrong verdict) is an error, exit 1:
 * figures for work that was not done would be wrong.
 *
 * usage: bench BUILD_DIR TMPDIR [typo]   (from the repository root; TMPDIR
 *        empty)
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "codec.h"
#include "harness.h"
#include "lkey.h"
#include "lkey_vendor.h"
#include "seal.h"
#include "wire.h"

#define REPS 5			/* repetitions of each in-process figure */
#define PAIR_REPS 10		/* of verify vs decode + check: a 5% test */
#define REP_NS 500000000.0	/* about 0.5 s per repetition */
#define CALIB_NS 50000000.0	/* calibrate until a loop takes 50 ms */
#define ORDERS 20000UL		/* orders per lkey-keygen batch run */
#define BATCH_REPS 3		/* batch runs, each with a fresh ledger */
#define PROC_RUNS 300		/* process starts per repetition */
#define PROC_REPS 5

#define MSG_MAX (WIRE_TAG_BYTES + LKEY_KEY_MAX)

#define SEC "keys/demo-vendor.sec"
#define PUB "keys/demo-vendor.pub"
#define CATALOG "keys/catalog"
#define TODAY "2027-06-15"

/* Targets (the brief of make bench; docs/PERFORMANCE.md). */
#define T_BATCH 0.80		/* batch keys/s >= 0.80 x raw signs/s */
#define T_CHECK 1.05		/* decode + check <= 1.05 x raw verify */
#define T_PROC 1.20		/* lkey-verify <= 1.20 x minimal */
#define T_TYPO_MS 1000.0	/* lkey_suggest, 160 characters, < 1 s */
#define TYPO_REPS 5

static const char *build_dir;
static const char *tmp_dir;
static volatile int sink;	/* keeps results alive */



typedef struct stats {
	double mean;
	double sd;		/* sample standard deviation */
} stats;

static stats
stats_of(const double *v, size_t n)
{
	stats s = { 0.0, 0.0 };
	size_t i;

	for (i = 0; i < n; i++)
		s.mean += v[i];
	s.mean /= (double)n;
	if (n > 1) {
		for (i = 0; i < n; i++)
			s.sd += (v[i] - s.mean) * (v[i] - s.mean);
		s.sd = sqrt(s.sd / (double)(n - 1));
	}
	return s;
}


/* ---- in-process loops ------------------------------------------------- */

/* What the loops work on: one message, one key, one licence. */
struct work {
	lkey_vendor_key vk;
	uint8_t sign_msg[MSG_MAX];	/* tag || payload of a batch-like key */
	size_t sign_len;
	uint8_t verify_msg[MSG_MAX];	/* tag || 25-byte payload */
	size_t verify_len;
	uint8_t sig[LKEY_SIGNATUREBYTES];	/* over verify_msg */
	char text[LKEY_B64_TEXT_MAX];	/* the key of verify_msg */
	size_t text_len;
	lkey_license batch_terms;
	lkey_context ctx;
};

typedef void (*loop_fn)(const struct work *w, unsigned long n);

static void
loop_sign(const struct work *w, unsigned long n)
{
	uint8_t sig[LKEY_SIGNATUREBYTES];
	unsigned long i;

	for (i = 0; i < n; i++) {
		crypto_sign_detached(sig, NULL, w->sign_msg, w->sign_len,
		    w->vk.sk);
		sink += sig[0];
	}
}

static void
loop_issue(const struct work *w, unsigned long n)
{
	char text[LKEY_B64_TEXT_MAX];
	lkey_license t = w->batch_terms;
	unsigned long i;

	for (i = 0; i < n; i++) {
		t.serial = (uint32_t)i;
		if (lkey_issue(&w->vk, &t, text, sizeof(text)) != LKEY_ISSUE_OK)
			die("lkey_issue failed");
		sink += text[0];
	}
}

static void
loop_verify(const struct work *w, unsigned long n)
{
	unsigned long i;

	for (i = 0; i < n; i++) {
		if (crypto_sign_verify_detached(w->sig, w->verify_msg,
		    w->verify_len, w->vk.pub.pk) != 0)
			die("raw verification failed");
	}
}

static void
loop_decode_check(const struct work *w, unsigned long n)
{
	lkey_license lic;
	lkey_report rep;
	unsigned long i;

	for (i = 0; i < n; i++) {
		if (lkey_decode(w->text, w->text_len, &w->vk.pub, 1, &lic,
		    NULL) != LKEY_OK)
			die("lkey_decode rejected the key");
		if (lkey_check(&lic, &w->ctx, &rep) != LKEY_OK)
			die("lkey_check rejected the key");
		sink += (int)rep.nproblems;
	}
}

/* Everything lkey_decode + lkey_check do but the signature check. */
static void
loop_rest(const struct work *w, unsigned long n)
{
	uint8_t raw[LKEY_KEY_MAX];
	lkey_license lic;
	lkey_report rep;
	unsigned long i;
	size_t len;

	for (i = 0; i < n; i++) {
		if (lkey__b64_decode(w->text, w->text_len, raw, sizeof(raw),
		    &len, NULL) != LKEY_OK || len <= LKEY_SIGNATUREBYTES ||
		    lkey__wire_parse(raw, len - LKEY_SIGNATUREBYTES, &lic, NULL) !=
		    LKEY_OK)
			die("the key does not decode");
		lkey__seal_set(&lic);
		if (lkey_check(&lic, &w->ctx, &rep) != LKEY_OK)
			die("lkey_check rejected the key");
		sink += (int)rep.nproblems;
	}
}

static double
time_loop(loop_fn fn, const struct work *w, unsigned long n)
{
	double t0 = now_ns();

	fn(w, n);
	return now_ns() - t0;
}

/* Iterations for about REP_NS per repetition. */
static unsigned long
calibrate(loop_fn fn, const struct work *w)
{
	unsigned long n = 1;
	double t;

	for (;;) {
		t = time_loop(fn, w, n);
		if (t >= CALIB_NS || n > (1UL << 30))
			break;
		n *= 2;
	}
	t = (double)n * REP_NS / (t > 1.0 ? t : 1.0);
	return t < 1.0 ? 1UL : (unsigned long)t;
}

/*
 * Nanoseconds per operation of a and b, PAIR_REPS repetitions each,
 * interleaved, and the ratio b / a of each pair: two neighbours in time
 * share the machine's load, so the ratios scatter less than the times.
 */
static void
measure_pair(loop_fn a, loop_fn b, const struct work *w, stats *sa,
    stats *sb, stats *ratio, unsigned long *na, unsigned long *nb)
{
	double va[PAIR_REPS], vb[PAIR_REPS], vr[PAIR_REPS];
	size_t r;

	*na = calibrate(a, w);
	*nb = calibrate(b, w);
	for (r = 0; r < PAIR_REPS; r++) {
		va[r] = time_loop(a, w, *na) / (double)*na;
		vb[r] = time_loop(b, w, *nb) / (double)*nb;
		vr[r] = vb[r] / va[r];
	}
	*sa = stats_of(va, PAIR_REPS);
	*sb = stats_of(vb, PAIR_REPS);
	*ratio = stats_of(vr, PAIR_REPS);
}

/* Rates from nanoseconds per operation: mean of the per-repetition rates. */
static stats
rate_of(const double *ns, size_t n)
{
	double v[REPS > BATCH_REPS ? REPS : BATCH_REPS];
	size_t i;

	for (i = 0; i < n; i++)
		v[i] = 1e9 / ns[i];
	return stats_of(v, n);
}

/* ---- processes -------------------------------------------------------- */




/* The first line of a file, for an error message. */
static void
first_line(const char *path, char *out, size_t cap)
{
	FILE *f = fopen(path, "r");

	out[0] = '\0';
	if (f == NULL)
		return;
	if (fgets(out, (int)cap, f) == NULL)
		out[0] = '\0';
	out[strcspn(out, "\n")] = '\0';
	fclose(f);
}


/* ---- setup ------------------------------------------------------------ */

static void
decode_key(const char *text, uint8_t *msg, size_t *msg_len,
    uint8_t sig[LKEY_SIGNATUREBYTES])
{
	uint8_t raw[LKEY_KEY_MAX];
	size_t n;

	if (sodium_base642bin(raw, sizeof(raw), text, strlen(text), NULL, &n,
	    NULL, sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    n <= LKEY_SIGNATUREBYTES)
		die("cannot decode a key the library issued");
	memcpy(msg, WIRE_TAG, WIRE_TAG_BYTES);
	memcpy(msg + WIRE_TAG_BYTES, raw, n - LKEY_SIGNATUREBYTES);
	*msg_len = WIRE_TAG_BYTES + n - LKEY_SIGNATUREBYTES;
	if (sig != NULL)
		memcpy(sig, raw + n - LKEY_SIGNATUREBYTES, LKEY_SIGNATUREBYTES);
}

static lkey_day
day(const char *s)
{
	lkey_day d;

	if (!lkey_day_parse(s, &d))
		die("bad date %s", s);
	return d;
}

static void
work_init(struct work *w)
{
	uint8_t seed[LKEY_SEEDBYTES];
	char text[LKEY_B64_TEXT_MAX];
	lkey_license t;
	size_t i;

	for (i = 0; i < sizeof(seed); i++)
		seed[i] = (uint8_t)(i + 1);
	lkey_vendor_key_from_seed(seed, &w->vk);

	/* A key like a batch order's: 57 signed bytes with the licensee. */
	lkey_terms_init(&t, day("2026-01-01"));
	t.product = 1;
	t.edition = 2;
	t.seats = 10;
	t.expires = day("2027-12-31");
	t.maintenance = day("2027-12-31");
	t.features = 1U << 1;	/* reports */
	t.serial = 1;
	memcpy(t.licensee, "Customer 00001", 14);
	t.licensee_len = 14;
	w->batch_terms = t;
	if (lkey_issue(&w->vk, &t, text, sizeof(text)) != LKEY_ISSUE_OK)
		die("lkey_issue failed for the signing message");
	decode_key(text, w->sign_msg, &w->sign_len, NULL);

	/* The verified key: fixed fields only, 16 + 25 signed bytes. */
	lkey_terms_init(&t, day("2026-01-01"));
	t.product = 1;
	t.edition = 2;
	t.seats = 10;
	t.expires = day("2028-12-31");
	t.maintenance = day("2028-12-31");
	t.serial = 1;
	if (lkey_issue(&w->vk, &t, w->text, sizeof(w->text)) != LKEY_ISSUE_OK)
		die("lkey_issue failed for the verified key");
	w->text_len = strlen(w->text);
	decode_key(w->text, w->verify_msg, &w->verify_len, w->sig);
	if (w->verify_len != WIRE_TAG_BYTES + 25U)
		die("the verified key signs %zu bytes, not 41", w->verify_len);

	memset(&w->ctx, 0, sizeof(w->ctx));
	w->ctx.product = 1;
	w->ctx.today = day(TODAY);
}

static const char *
verdict(int met)
{
	return met ? "met" : "NOT met";
}

/* ---- 1. signing ------------------------------------------------------- */

static void
write_orders(const char *path)
{
	FILE *f = fopen(path, "w");
	unsigned long i;

	if (f == NULL)
		die("cannot create %s: %s", path, strerror(errno));
	fputs("order,product,edition,seats,starts,expires,maintenance,"
	    "serial,features,licensee\n", f);
	for (i = 1; i <= ORDERS; i++)
		fprintf(f, "A%05lu,timetracker,professional,10,2026-01-01,"
		    "2027-12-31,2027-12-31,auto,reports,Customer %05lu\n", i,
		    i % 100000);
	if (fclose(f) != 0)
		die("cannot write %s", path);
}

/*
 * One batch run in a fresh directory (so a fresh ledger). Returns the wall
 * time in ns, or a negative value with why filled in.
 */
static double
batch_run(int rep, const char *jobs, char *why, size_t whycap,
    int *unavailable, double *cpu)
{
	char dir[4096], orders[4096], lpath[4096], out[4096], err[4096];
	char keygen[4096], line[512];
	char *argv[12];
	unsigned long lines;
	int status, code;
	double t;

	snprintf(line, sizeof(line), "batch%s-%d", jobs, rep);
	path_in(dir, sizeof(dir), tmp_dir, line);
	if (mkdir(dir, 0700) != 0)
		die("cannot create %s: %s", dir, strerror(errno));
	path_in(orders, sizeof(orders), tmp_dir, "orders.csv");
	path_in(lpath, sizeof(lpath), dir, "ledger.sqlite");
	path_in(out, sizeof(out), dir, "keys.csv");
	path_in(err, sizeof(err), dir, "stderr");
	path_in(keygen, sizeof(keygen), build_dir, "lkey-keygen");

	argv[0] = keygen;
	argv[1] = (char *)"batch";
	argv[2] = (char *)"--secret";
	argv[3] = (char *)SEC;
	argv[4] = (char *)"--catalog";
	argv[5] = (char *)CATALOG;
	argv[6] = (char *)"--ledger";
	argv[7] = lpath;
	argv[8] = (char *)"--jobs";
	argv[9] = (char *)jobs;
	argv[10] = orders;
	argv[11] = NULL;
	*cpu = children_cpu_ns();
	t = run_proc(argv, out, err, &status);
	*cpu = children_cpu_ns() - *cpu;
	code = exit_code(status);
	*unavailable = 0;
	if (code != 0) {
		first_line(err, line, sizeof(line));
		if (code == 2 && strstr(line, "unknown command") != NULL)
			*unavailable = 1;
		snprintf(why, whycap, "exit %d: %s", code, line);
		return -1.0;
	}
	lines = count_lines(out);
	if (lines != ORDERS && lines != ORDERS + 1) {
		snprintf(why, whycap, "%lu lines of output for %lu orders",
		    lines, ORDERS);
		return -1.0;
	}
	if (ledger_keys(lpath) != (long)ORDERS) {
		snprintf(why, whycap, "%ld keys in the ledger for %lu orders",
		    ledger_keys(lpath), ORDERS);
		return -1.0;
	}
	return t;
}

/* BATCH_REPS runs with --jobs `jobs`: prints the rate, returns 0 if none. */
static int
batch_series(const char *jobs, const char *label, double *rate)
{
	double ns[BATCH_REPS], cpu[BATCH_REPS], cpu_sum = 0.0, wall_sum = 0.0;
	char why[600];
	stats sb;
	int r, unavailable = 0;

	for (r = 0; r < BATCH_REPS; r++) {
		ns[r] = batch_run(r, jobs, why, sizeof(why), &unavailable,
		    &cpu[r]);
		if (ns[r] < 0.0) {
			printf("   batch: %s (%s)\n", unavailable ?
			    "not available" : "failed", why);
			return 0;
		}
		cpu_sum += cpu[r];
		wall_sum += ns[r];
		ns[r] /= (double)ORDERS;
	}
	sb = rate_of(ns, BATCH_REPS);
	printf("   %-50s %9.0f +/- %5.0f /s %8.2f us\n", label, sb.mean,
	    sb.sd, 1e6 / sb.mean);
	printf("     CPU time %.2f us per key (user + system), %.2f cores "
	    "busy on average\n", cpu_sum / BATCH_REPS / (double)ORDERS / 1e3,
	    cpu_sum / wall_sum);
	*rate = sb.mean;
	return 1;
}

static void
bench_signing(const struct work *w)
{
	double sign_ns[REPS], issue_ns[REPS], rb1 = 0.0, rbn = 0.0, verify_ns;
	char orders[4096], jobs[32], label[80];
	unsigned long nsig, ni, nv;
	stats ss, si, rs, ri;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int r, b1, bn;

	if (cpus < 1)
		cpus = 1;
	if (cpus > 64)
		cpus = 64;
	printf("\n1. Issuing: signatures per second (raw: one core; batch: "
	    "%ld processor%s)\n", cpus, cpus == 1 ? "" : "s");
	nsig = calibrate(loop_sign, w);
	ni = calibrate(loop_issue, w);
	nv = calibrate(loop_verify, w);
	verify_ns = time_loop(loop_verify, w, nv) / (double)nv;
	for (r = 0; r < REPS; r++) {
		sign_ns[r] = time_loop(loop_sign, w, nsig) / (double)nsig;
		issue_ns[r] = time_loop(loop_issue, w, ni) / (double)ni;
	}
	ss = stats_of(sign_ns, REPS);
	si = stats_of(issue_ns, REPS);
	rs = rate_of(sign_ns, REPS);
	ri = rate_of(issue_ns, REPS);
	printf("   %-50s %9.0f +/- %5.0f /s %8.2f us\n",
	    "crypto_sign_detached (raw libsodium)", rs.mean, rs.sd, ss.mean /
	    1e3);
	printf("     message: %zu bytes (tag + payload of a key with a "
	    "14-byte licensee); %lu signs x %d reps\n", w->sign_len, nsig,
	    REPS);
	printf("   %-50s %9.0f +/- %5.0f /s %8.2f us\n",
	    "lkey_issue in process (sign + self-check)", ri.mean, ri.sd,
	    si.mean / 1e3);

	path_in(orders, sizeof(orders), tmp_dir, "orders.csv");
	write_orders(orders);
	printf("     %lu orders from a CSV file, serial auto, keys and "
	    "ledger written to files; %d runs each\n", ORDERS, BATCH_REPS);
	b1 = batch_series("1", "lkey-keygen batch --jobs 1, ledger on", &rb1);
	snprintf(jobs, sizeof(jobs), "%ld", cpus);
	snprintf(label, sizeof(label), "lkey-keygen batch --jobs %ld "
	    "(default), ledger on", cpus);
	bn = cpus > 1 ? batch_series(jobs, label, &rbn) : b1;
	if (cpus <= 1)
		rbn = rb1;
	if (!b1 || !bn) {
		printf("   target batch >= %.2f x raw signing rate : not "
		    "measured\n", T_BATCH);
		return;
	}
	printf("   target batch >= %.2f x raw signing rate : %.2f x : %s\n",
	    T_BATCH, rbn / rs.mean, verdict(rbn >= T_BATCH * rs.mean));
	printf("     one signing thread: %.2f x; lkey_issue in process: "
	    "%.2f x\n", rb1 / rs.mean, ri.mean / rs.mean);
	/* The ledger's cost: one thread of batch against lkey_issue alone. */
	printf("   target batch --jobs 1 >= 0.80 x lkey_issue in process (sign "
	    "+ self-check) : %.2f x : %s\n", rb1 / ri.mean,
	    verdict(rb1 >= 0.80 * ri.mean));
	/* Each key is signed and then verified before it is printed. */
	printf("     with a verify per key, %ld core%s can give at most "
	    "%.2f x (%ld x %.1f / (%.1f + %.1f) us)\n", cpus,
	    cpus == 1 ? "" : "s", (double)cpus * ss.mean / (ss.mean +
	    verify_ns), cpus, ss.mean / 1e3, ss.mean / 1e3,
	    verify_ns / 1e3);
}

/* ---- 2. verification in the library ---------------------------------- */

static void
bench_verify(const struct work *w)
{
	double rest[REPS];
	char label[64];
	unsigned long nv, nd, nr;
	stats sv, sd, ratio, srest;
	int r;

	printf("\n2. Checking a key in the library, one core\n");
	measure_pair(loop_verify, loop_decode_check, w, &sv, &sd, &ratio, &nv,
	    &nd);
	nr = calibrate(loop_rest, w);
	for (r = 0; r < REPS; r++)
		rest[r] = time_loop(loop_rest, w, nr) / (double)nr;
	srest = stats_of(rest, REPS);
	printf("   %-50s %8.2f +/- %5.2f us %9.0f /s\n",
	    "crypto_sign_verify_detached (raw, 41 bytes)", sv.mean / 1e3,
	    sv.sd / 1e3, 1e9 / sv.mean);
	snprintf(label, sizeof(label), "lkey_decode + lkey_check (%zu-char "
	    "key text)", w->text_len);
	printf("   %-50s %8.2f +/- %5.2f us %9.0f /s\n", label, sd.mean / 1e3,
	    sd.sd / 1e3, 1e9 / sd.mean);
	printf("     %lu verifies, %lu decode+check x %d reps, interleaved\n",
	    nv, nd, PAIR_REPS);
	printf("   %-50s %8.3f +/- %5.3f x\n",
	    "ratio decode+check / raw verify, pair by pair", ratio.mean,
	    ratio.sd);
	printf("   %-50s %8.2f +/- %5.2f us (%.1f%% of a verify)\n",
	    "  of which not the signature: base64+parse+check", srest.mean /
	    1e3, srest.sd / 1e3, 100.0 * srest.mean / sv.mean);
	printf("   target decode+check <= %.2f x raw verify : %.3f x : %s\n",
	    T_CHECK, ratio.mean, verdict(ratio.mean <= T_CHECK));
}

/* ---- 3. lkey-verify as a process ------------------------------------- */

/* The key lkey-verify checks, from lkey-keygen issue with the demo key. */
static void
demo_key(char *out, size_t cap)
{
	char keygen[4096], path[4096], err[4096], line[512];
	char *argv[24];
	FILE *f;
	int status;

	path_in(keygen, sizeof(keygen), build_dir, "lkey-keygen");
	path_in(path, sizeof(path), tmp_dir, "demo.key");
	path_in(err, sizeof(err), tmp_dir, "demo.err");
	argv[0] = keygen;
	argv[1] = (char *)"issue";
	argv[2] = (char *)"--secret";
	argv[3] = (char *)SEC;
	argv[4] = (char *)"--product";
	argv[5] = (char *)"1";
	argv[6] = (char *)"--edition";
	argv[7] = (char *)"2";
	argv[8] = (char *)"--seats";
	argv[9] = (char *)"10";
	argv[10] = (char *)"--starts";
	argv[11] = (char *)"2026-01-01";
	argv[12] = (char *)"--expires";
	argv[13] = (char *)"2028-12-31";
	argv[14] = (char *)"--maintenance";
	argv[15] = (char *)"2028-12-31";
	argv[16] = (char *)"--serial";
	argv[17] = (char *)"1";
	argv[18] = (char *)"--no-ledger";	/* the same serial each run */
	argv[19] = NULL;
	(void)run_proc(argv, path, err, &status);
	if (exit_code(status) != 0) {
		first_line(err, line, sizeof(line));
		die("lkey-keygen issue failed (exit %d): %s",
		    exit_code(status), line);
	}
	f = fopen(path, "r");
	if (f == NULL || fgets(out, (int)cap, f) == NULL)
		die("no key from lkey-keygen issue");
	fclose(f);
	out[strcspn(out, "\n")] = '\0';
}

/* Mean ns per run of PROC_RUNS runs; each run's time goes to runs[]. */
static double
time_runs(char *const argv[], const char *name, double *runs)
{
	double t = 0.0;
	int i, status;

	for (i = 0; i < PROC_RUNS; i++) {
		runs[i] = run_proc(argv, NULL, NULL, &status);
		t += runs[i];
		if (exit_code(status) != 0)
			die("%s exited %d, not 0", name, exit_code(status));
	}
	return t / PROC_RUNS;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double
median(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

static void
bench_process(void)
{
	char verify[4096], minimal[4096], key[LKEY_B64_TEXT_MAX + 2];
	char *vargv[12], *margv[2];
	static double rv[PROC_REPS * PROC_RUNS], rm[PROC_REPS * PROC_RUNS];
	double tv[PROC_REPS], tm[PROC_REPS], medv, medm;
	stats sv, sm;
	int r;

	printf("\n3. One key checked by a whole process (fork, exec, wait)\n");
	demo_key(key, sizeof(key));
	path_in(verify, sizeof(verify), build_dir, "lkey-verify");
	path_in(minimal, sizeof(minimal), build_dir, "bench/minimal");
	vargv[0] = verify;
	vargv[1] = (char *)"--pubkey";
	vargv[2] = (char *)PUB;
	vargv[3] = (char *)"--product";
	vargv[4] = (char *)"1";
	vargv[5] = (char *)"--today";
	vargv[6] = (char *)TODAY;
	vargv[7] = key;
	vargv[8] = NULL;
	margv[0] = minimal;
	margv[1] = NULL;
	/* One of each first: page cache, dynamic loader cache. */
	(void)time_runs(margv, "minimal", rm);
	(void)time_runs(vargv, "lkey-verify", rv);
	for (r = 0; r < PROC_REPS; r++) {
		tm[r] = time_runs(margv, "minimal", rm + r * PROC_RUNS);
		tv[r] = time_runs(vargv, "lkey-verify", rv + r * PROC_RUNS);
	}
	sm = stats_of(tm, PROC_REPS);
	sv = stats_of(tv, PROC_REPS);
	medm = median(rm, PROC_REPS * PROC_RUNS);
	medv = median(rv, PROC_REPS * PROC_RUNS);
	printf("   %-50s %8.1f +/- %5.1f us per run (median %.1f)\n",
	    "bench/minimal (sodium_init + one verify)", sm.mean / 1e3,
	    sm.sd / 1e3, medm / 1e3);
	printf("   %-50s %8.1f +/- %5.1f us per run (median %.1f)\n",
	    "lkey-verify --pubkey --product --today KEY", sv.mean / 1e3,
	    sv.sd / 1e3, medv / 1e3);
	printf("     %d runs x %d reps each, after %d warm-up runs; output to "
	    "/dev/null\n", PROC_RUNS, PROC_REPS, PROC_RUNS);
	printf("   target lkey-verify <= %.2f x minimal : %.2f x : %s"
	    " (medians: %.2f x)\n", T_PROC, sv.mean / sm.mean,
	    verdict(sv.mean <= T_PROC * sm.mean), medv / medm);
}

/* ---- 7. typo location ------------------------------------------------ */

/*
 * The 160-character key: the terms of section 1's key with a 29-byte
 * licensee, 120 bytes with the signature.
 */
static void
typo_key(const struct work *w, char *out, size_t cap)
{
	static const char name[] = "Customer 00001 of Example Ltd";
	lkey_license t = w->batch_terms;

	memcpy(t.licensee, name, sizeof(name));
	t.licensee_len = sizeof(name) - 1U;
	t.features = 0;
	if (lkey_issue(&w->vk, &t, out, cap) != LKEY_ISSUE_OK)
		die("lkey_issue failed for the typo key");
	if (strlen(out) != 160U)
		die("the typo key has %zu characters, not 160", strlen(out));
}

/* One character of text changed to another base64 character. */
static void
retype(char *text, size_t i)
{
	text[i] = text[i] == 'A' ? 'B' : 'A';
}

/*
 * TYPO_REPS runs of lkey_suggest on text, which must find `key` (or
 * nothing, for NULL): prints the mean, the spread and the slowest run;
 * returns the slowest, in ms.
 */
static double
typo_case(const char *label, const char *text, const lkey_pubkey *pub,
    const char *key)
{
	double ms[TYPO_REPS], slowest = 0.0, t;
	lkey_suggestion s;
	stats st;
	bool found;
	int r;

	for (r = 0; r < TYPO_REPS; r++) {
		t = now_ns();
		found = lkey_suggest(text, strlen(text), pub, 1, &s);
		ms[r] = (now_ns() - t) / 1e6;
		if (found != (key != NULL) || (found && strcmp(s.key, key) != 0))
			die("lkey_suggest: %s: %s", label, found ?
			    "a wrong key" : "nothing found");
		if (ms[r] > slowest)
			slowest = ms[r];
	}
	st = stats_of(ms, TYPO_REPS);
	printf("   %-50s %8.1f +/- %5.1f ms (slowest %.1f)\n", label, st.mean,
	    st.sd, slowest);
	return slowest;
}

static void
bench_typo(const struct work *w)
{
	char key[LKEY_B64_TEXT_MAX], text[LKEY_B64_TEXT_MAX + 1U];
	double worst;
	size_t n;

	printf("\n7. Typo location (lkey_suggest), 160-character key, one "
	    "core\n");
	typo_key(w, key, sizeof(key));
	n = strlen(key);
	/* Two characters of the signature: the payload still reads, so
	 * every candidate the reader lets through costs a signature. */
	memcpy(text, key, n + 1U);
	retype(text, 120);
	retype(text, 140);
	worst = typo_case("two characters wrong (none found: worst case)",
	    text, &w->vk.pub, NULL);
	memcpy(text, key, n + 1U);
	retype(text, 120);
	(void)typo_case("one character wrong (found)", text, &w->vk.pub, key);
	memcpy(text, key, 120);
	memcpy(text + 120, key + 121, n - 120);
	(void)typo_case("one character missing (found)", text, &w->vk.pub,
	    key);
	printf("     %d runs each; every change of one character tried, "
	    "each that passes the\n     cheap checks costs one signature "
	    "check (section 2)\n", TYPO_REPS);
	printf("   target typo location, worst case < %.0f ms : %.1f ms "
	    "(slowest run) : %s\n", T_TYPO_MS, worst,
	    verdict(worst < T_TYPO_MS));
}

int
main(int argc, char **argv)
{
	struct work *w;

	harness_init("bench");
	if (argc != 3 && (argc != 4 || strcmp(argv[3], "typo") != 0))
		die("usage: bench BUILD_DIR TMPDIR [typo]");
	build_dir = argv[1];
	tmp_dir = argv[2];
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (lkey_init() != 0)
		die("cannot initialise libsodium");
	w = sodium_malloc(sizeof(*w));
	if (w == NULL)
		die("out of secure memory");
	work_init(w);
	if (argc == 4) {
		bench_typo(w);
		sodium_free(w);
		return 0;
	}
	bench_signing(w);
	bench_verify(w);
	bench_process();
	sodium_free(w);
	return 0;
}
