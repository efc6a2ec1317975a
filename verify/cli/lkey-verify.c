/*
 * lkey-verify - check a licence key and show it the way a licence screen does
 *
 * Exit status: 0 valid; 1 a file could not be used; 2 usage; 3 --install
 * kept the stored licence; 4 a revocation list or state file was refused;
 * 5 a --check manifest had a line that did not pass (check.c); 10 and up
 * one per verdict (see exit_codes below, the man page and the README).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "cli.h"
#include "catalog.h"
#include "install.h"
#include "lkey.h"
#include "num.h"
#include "ring.h"
#include "report.h"
#include "textfile.h"

#define EXIT_TROUBLE 1
#define EXIT_USAGE 2
#define EXIT_KEPT 3
#define EXIT_REFUSED 4

/* The day this program was built (days since 1970), for the clock guard. */
#ifndef LKEY_BUILD_DAY
#define LKEY_BUILD_DAY 0
#endif

/* Where systemd and D-Bus keep the machine id (machine-id(5)). */
static const char *const machine_id_files[] = {
	"/etc/machine-id", "/var/lib/dbus/machine-id"
};
#define MACHINE_ID_LEN 32U

static const int exit_codes[LKEY_STATUS_COUNT] = {
	[LKEY_OK] = 0,
	[LKEY_MALFORMED] = 10,
	[LKEY_UNKNOWN_KEY] = 11,
	[LKEY_BAD_SIGNATURE] = 12,
	[LKEY_WRONG_PRODUCT] = 13,
	[LKEY_NOT_YET_VALID] = 14,
	[LKEY_EXPIRED] = 15,
	[LKEY_MAINTENANCE_LAPSED] = 16,
	[LKEY_SEATS_EXCEEDED] = 17,
	[LKEY_ADMIN_ONLY] = 18,
	[LKEY_HOST_MISMATCH] = 19,
	[LKEY_REVOKED] = 20,
	[LKEY_CLOCK_ROLLBACK] = 21,
};

enum {
	O_PUBKEY, O_PRODUCT, O_CATALOG, O_TODAY, O_RELEASE, O_USERS, O_ADMIN,
	O_OVER_SINCE, O_MODULE_USERS, O_JSON, O_KEYFILE, O_INSTALL, O_FORCE,
	O_STATE, O_REVOCATIONS, O_HOST, O_HOST_ID, O_CHECK, O_HELP, O_VERSION,
	O_COUNT
};

static const args_spec specs[O_COUNT] = {
	[O_PUBKEY] = { "pubkey", ARGS_MULTI },
	[O_PRODUCT] = { "product", true },
	[O_CATALOG] = { "catalog", true },
	[O_TODAY] = { "today", true },
	[O_RELEASE] = { "release", true },
	[O_USERS] = { "users", true },
	[O_ADMIN] = { "admin", false },
	[O_OVER_SINCE] = { "over-since", true },
	[O_MODULE_USERS] = { "module-users", true },
	[O_JSON] = { "json", false },
	[O_KEYFILE] = { "key-file", true },
	[O_INSTALL] = { "install", true },
	[O_FORCE] = { "force", false },
	[O_STATE] = { "state", true },
	[O_REVOCATIONS] = { "revocations", true },
	[O_HOST] = { "host", true },
	[O_HOST_ID] = { "host-id", false },
	[O_CHECK] = { "check", true },
	[O_HELP] = { "help", false },
	[O_VERSION] = { "version", false },
};

/*
 * --check MANIFEST (check.c): the options whose value is a path, which a
 * manifest gives relative to its own directory, and the options it refuses,
 * on its command line and in its lines, with the reason: each line is a
 * check and nothing more, so nothing may be written and the report is its
 * own.
 */
static const bool path_option[O_COUNT] = {
	[O_PUBKEY] = true, [O_CATALOG] = true, [O_REVOCATIONS] = true,
	[O_KEYFILE] = true, [O_INSTALL] = true, [O_STATE] = true,
};

static const char *const check_refused[O_COUNT] = {
	[O_JSON] = "it prints one line per key",
	[O_KEYFILE] = "each manifest line names its key file first",
	[O_INSTALL] = "it writes a licence file",
	[O_FORCE] = "it goes with --install",
	[O_STATE] = "it writes a state file (fix the day with --today instead)",
	[O_HOST_ID] = "it checks no key",
	[O_CHECK] = "manifests do not nest",
	[O_HELP] = "it checks no key",
	[O_VERSION] = "it checks no key",
};

static int check_one(int argc, char **argv, char *why, size_t cap);

static const check_spec check_options = {
	.prog = "lkey-verify",
	.specs = specs,
	.nspecs = O_COUNT,
	.check = O_CHECK,
	.key_file = O_KEYFILE,
	.path = path_option,
	.refused = check_refused,
	.single = check_one,
};

/*
 * Why a check ended before its verdict: the exit status and the one line
 * for standard error, without "lkey-verify: " (a usage error, exit 2, is
 * followed there by "(see lkey-verify --help)"). The single check prints it
 * and exits (quit); --check reports it as the reason of a manifest line.
 */
typedef struct stop {
	int code;
	char msg[1024];
} stop;

static int halt(stop *s, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Records why the check ends; returns code, for "return halt(...)". */
static int
halt(stop *s, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->msg, sizeof(s->msg), fmt, ap);
	va_end(ap);
	s->code = code;
	return code;
}

static void quit(const stop *s) __attribute__((noreturn));

/* The single check ends: the message on standard error, and its status. */
static void
quit(const stop *s)
{
	if (s->code == EXIT_USAGE)
		cli_usage(s->msg);
	cli_die(s->code, "%s", s->msg);
}

static const char usage_text[] =
    "usage: lkey-verify --pubkey FILE [--pubkey FILE]... --product P\n"
    "                   [--catalog FILE] [--today YYYY-MM-DD]\n"
    "                   [--release YYYY-MM-DD]\n"
    "                   [--users N [--admin] [--over-since YYYY-MM-DD]]\n"
    "                   [--module-users F=N,...] [--json]\n"
    "                   [--install FILE [--force]] [--state FILE]\n"
    "                   [--revocations FILE] [--host HOSTID]\n"
    "                   (KEY | --key-file FILE | -)\n"
    "       lkey-verify --host-id --product P [--catalog FILE]\n"
    "       lkey-verify --check MANIFEST [OPTIONS...]\n";

static int
parse_day(const char *opt, const char *text, lkey_day *d, stop *s)
{
	if (!lkey_day_parse(text, d))
		return halt(s, EXIT_USAGE, "--%s needs a real date as "
		    "YYYY-MM-DD", opt);
	return 0;
}

/* The catalog of --catalog, or NULL without it (numbers only). */
static int
load_catalog(const char *path, const catalog **out, stop *s)
{
	static catalog store;
	char err[512];

	*out = NULL;
	if (path == NULL)
		return 0;
	if (catalog_load(path, &store, err, sizeof(err)) != 0)
		return halt(s, EXIT_TROUBLE, "%s", err);
	*out = &store;
	return 0;
}

/* The context of the check: what the application knows about itself. */
static int
context_from_args(const args *a, const catalog *cat, lkey_context *ctx,
    stop *s)
{
	char err[512];
	uint64_t n;

	memset(ctx, 0, sizeof(*ctx));
	if (catalog_lookup(cat, CATALOG_PRODUCT, a->value[O_PRODUCT],
	    &ctx->product, err, sizeof(err)) != 0)
		return halt(s, EXIT_USAGE, "%s", err);
	if (!a->seen[O_TODAY])
		ctx->today = lkey_day_from_unix((int64_t)time(NULL));
	else if (parse_day("today", a->value[O_TODAY], &ctx->today, s) != 0)
		return s->code;
	if (a->seen[O_RELEASE]) {
		ctx->has_release = true;
		if (parse_day("release", a->value[O_RELEASE], &ctx->release,
		    s) != 0)
			return s->code;
	}
	if (a->seen[O_USERS]) {
		ctx->has_users = true;
		if (num_text(a->value[O_USERS], 0, UINT32_MAX - 1U, &n) != 0)
			return halt(s, EXIT_USAGE, "--users needs a whole "
			    "number of active users");
		ctx->users = (uint32_t)n;
	}
	ctx->admin = a->seen[O_ADMIN];
	if (a->seen[O_OVER_SINCE]) {
		ctx->has_over_since = true;
		if (parse_day("over-since", a->value[O_OVER_SINCE],
		    &ctx->over_since, s) != 0)
			return s->code;
		if (ctx->over_since > ctx->today)
			return halt(s, EXIT_USAGE, "--over-since is after "
			    "today: give the first day users were over the "
			    "limit");
	}
	if (a->seen[O_MODULE_USERS] && cli_feature_counts(cat,
	    "--module-users", a->value[O_MODULE_USERS], 0, UINT32_MAX - 1U,
	    &ctx->module_users_set, ctx->module_users, err, sizeof(err)) != 0)
		return halt(s, EXIT_USAGE, "%s", err);
	ctx->maintenance_features = catalog_maintenance_features(cat);
	return 0;
}

/*
 * This computer's host id for `product`, from the machine id. Returns 0, or
 * -1 with the reason in err when no machine id can be read.
 */
static int
machine_host(uint32_t product, uint8_t out[LKEY_HOST_ID_BYTES], char *err,
    size_t cap)
{
	char text[64], why[256];
	size_t len, i, k;
	int rc;

	snprintf(err, cap, "no machine id");
	for (k = 0; k < sizeof(machine_id_files) / sizeof(*machine_id_files);
	    k++) {
		rc = textfile_read(machine_id_files[k], 0, text, sizeof(text),
		    &len, why, sizeof(why));
		if (rc != TEXTFILE_OK) {
			snprintf(err, cap, "%s: %s", machine_id_files[k],
			    rc == TEXTFILE_TOO_BIG ? "not a machine id" : why);
			continue;
		}
		if (len > 0 && text[len - 1] == '\n')
			len--;
		for (i = 0; i < len; i++)
			if (strchr("0123456789abcdef", text[i]) == NULL ||
			    text[i] == '\0')
				break;
		if (len != MACHINE_ID_LEN || i != len ||
		    strspn(text, "0") == len) {
			snprintf(err, cap, "%s: not a machine id (32 hex "
			    "digits)", machine_id_files[k]);
			continue;
		}
		lkey_host_id(text, len, product, out);
		return 0;
	}
	return -1;
}

/* Why a revocation list was refused, after "FILE: ". */
static void
list_refusal(lkey_status st, const lkey_detail *d, char *out, size_t cap)
{
	if (st == LKEY_UNKNOWN_KEY) {
		snprintf(out, cap, "revocation list signed by key id %08x, "
		    "which is in no --pubkey file (another vendor's list?); "
		    "refused", (unsigned)d->value);
		return;
	}
	if (st == LKEY_BAD_SIGNATURE) {
		snprintf(out, cap, "revocation list signature does not verify "
		    "(the list was altered or damaged); refused");
		return;
	}
	switch (d->reason) {
	case LKEY_R_WRONG_KIND:
	case LKEY_R_EMPTY:
		snprintf(out, cap, "not a revocation list; refused");
		break;
	case LKEY_R_BAD_CHAR:
		snprintf(out, cap, "not a revocation list: byte %zu is not "
		    "base64; refused", d->offset);
		break;
	case LKEY_R_TOO_LONG:
		snprintf(out, cap, "revocation list too long (more than %u "
		    "bytes or %u serials); refused", LKEY_REVOCATIONS_TEXT_MAX,
		    LKEY_REVOKED_MAX);
		break;
	case LKEY_R_BAD_VERSION:
		snprintf(out, cap, "revocation list of unknown version %u "
		    "(it needs a newer verifier); refused",
		    (unsigned)d->value);
		break;
	default:
		snprintf(out, cap, "revocation list damaged (%s); refused",
		    d->reason == LKEY_R_BAD_FIELD ? "impossible content" :
		    d->reason == LKEY_R_TOO_SHORT ? "truncated" :
		    "not canonical base64");
		break;
	}
}

/* --revocations FILE: authenticated, or refused (exit 1 or 4). */
static int
load_revocations(const char *path, const lkey_pubkey *ring, size_t nring,
    lkey_revocations *list, stop *s)
{
	static char text[LKEY_REVOCATIONS_TEXT_MAX + 1U];
	char err[512];
	lkey_detail d;
	lkey_status st;
	size_t len;
	int rc;

	if (path[0] == '\0')
		return halt(s, EXIT_USAGE, "--revocations needs the path of a "
		    "revocation list");
	rc = textfile_read(path, 0, text, sizeof(text), &len, err,
	    sizeof(err));
	if (rc == TEXTFILE_ERROR)
		return halt(s, EXIT_TROUBLE, "%s: %s", path, err);
	if (rc == TEXTFILE_TOO_BIG)
		len = sizeof(text);	/* over the bound: refused */
	st = lkey_revocations_decode(text, len, ring, nring, list, &d);
	if (st != LKEY_OK) {
		list_refusal(st, &d, err, sizeof(err));
		return halt(s, EXIT_REFUSED, "%s: %s", path, err);
	}
	return 0;
}

/*
 * A new state file will be created beside `path`: its directory must be
 * there and writable, or the check stops now, before the key (exit 1).
 */
static int
state_dir_check(const char *path, stop *s)
{
	char dir[INSTALL_PATH_MAX];
	const char *slash = strrchr(path, '/');
	size_t n;

	if (slash == NULL) {
		snprintf(dir, sizeof(dir), ".");
	} else {
		n = slash == path ? 1U : (size_t)(slash - path);
		if (n >= sizeof(dir))
			return halt(s, EXIT_TROUBLE, "%s: path too long", path);
		memcpy(dir, path, n);
		dir[n] = '\0';
	}
	if (access(dir, W_OK | X_OK) != 0)
		return halt(s, EXIT_TROUBLE, "%s: cannot create the state "
		    "file: directory %s: %s", path, dir, strerror(errno));
	return 0;
}

/*
 * --state FILE: the clock guard's memory. A missing file is a new state; a
 * file that is not one, is damaged or is another product's is refused, never
 * reset (exit 4).
 */
static int
load_state(const char *path, uint32_t product, lkey_state *st, stop *s)
{
	char text[LKEY_STATE_TEXT_MAX + 1U], err[600];
	size_t len;
	int rc;

	if (path[0] == '\0')
		return halt(s, EXIT_USAGE, "--state needs the path of a state "
		    "file");
	rc = install_read(path, text, sizeof(text), &len, err, sizeof(err));
	if (rc == INSTALL_NONE) {
		if (state_dir_check(path, s) != 0)
			return s->code;
		lkey_state_init(st, product);
		return 0;
	}
	if (rc != 0) {
		if (strstr(err, "too big") == NULL)
			return halt(s, EXIT_TROUBLE, "%s", err);
		return halt(s, EXIT_REFUSED, "%s: not an lkey state file; "
		    "refused", path);
	}
	switch (lkey_state_parse(text, len, product, st)) {
	case LKEY_STATE_OK:
		return 0;
	case LKEY_STATE_NOT_STATE:
		return halt(s, EXIT_REFUSED, "%s: not an lkey state file; "
		    "refused", path);
	case LKEY_STATE_FOREIGN:
		return halt(s, EXIT_REFUSED, "%s: the state of another "
		    "product, not of product %u; refused", path, product);
	default:
		return halt(s, EXIT_REFUSED, "%s: state file damaged or "
		    "edited; refused (restore it from a backup; removing it "
		    "also removes the clock guard's memory)", path);
	}
}

static void
save_state(const char *path, const lkey_state *st)
{
	char text[LKEY_STATE_TEXT_MAX], err[600];
	size_t n;

	n = lkey_state_format(st, text, sizeof(text));
	if (n == 0 || install_write(path, text, n - 1U, NULL, 0, false, err,
	    sizeof(err)) != 0)
		cli_die(EXIT_TROUBLE, "%s; the state was not updated",
		    n == 0 ? "cannot format the state" : err);
}

/* The key without whitespace: its canonical one-line form. */
static size_t
compact(const char *in, size_t len, char *out)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		if (strchr(" \t\n\v\f\r", in[i]) == NULL || in[i] == '\0')
			out[n++] = in[i];
	out[n] = '\0';
	return n;
}

/*
 * Registers a valid key in v->install, as a product's "Register licence"
 * button does: the stored key is kept if it is newer (issued later, or the
 * same day with a higher serial) or if it is not a key this program can
 * authenticate, unless --force. Returns 0, or EXIT_KEPT or EXIT_TROUBLE
 * with the line for standard error in msg.
 */
static int
install(verdict *v, const char *text, size_t len, const lkey_pubkey *keys,
    size_t nkeys, bool force, char *msg, size_t cap)
{
	static char old[LKEY_TEXT_MAX + 1U], canon[LKEY_TEXT_MAX + 1U],
	    stored[LKEY_TEXT_MAX + 1U];
	char err[600], a[11], b[11];
	lkey_license prev;
	lkey_status st;
	size_t oldlen, n, slen;
	int rc;

	rc = install_read(v->install, old, sizeof(old), &oldlen, err,
	    sizeof(err));
	if (rc < 0) {
		snprintf(msg, cap, "%s; nothing changed", err);
		return EXIT_TROUBLE;
	}
	n = compact(text, len, canon);
	slen = rc == INSTALL_NONE ? 0 : compact(old, oldlen, stored);
	if (slen > 0 && slen == n && memcmp(stored, canon, n) == 0) {
		v->installed = v->already = true;
		return 0;
	}
	if (slen > 0 && !force) {
		st = lkey_decode(old, oldlen, keys, nkeys, &prev, NULL);
		if (st != LKEY_OK) {
			snprintf(msg, cap, "%s: holds no licence key this "
			    "program can authenticate (%s); not replaced "
			    "(--force replaces it)", v->install,
			    lkey_status_name(st));
			return EXIT_KEPT;
		}
		if (prev.product == v->lic.product &&
		    lkey_license_order(&v->lic, &prev) < 0) {
			lkey_day_format(prev.issued, a);
			lkey_day_format(v->lic.issued, b);
			snprintf(msg, cap, "%s: holds a newer licence key "
			    "(issued %s, serial %u) than this one (issued %s, "
			    "serial %u); not replaced (--force replaces it)",
			    v->install, a, prev.serial, b, v->lic.serial);
			return EXIT_KEPT;
		}
	}
	if (install_write(v->install, canon, n, old, oldlen, rc == 0, err,
	    sizeof(err)) != 0) {
		snprintf(msg, cap, "%s", err);
		return EXIT_TROUBLE;
	}
	v->installed = true;
	return 0;
}

/* A --pubkey file that is not a key ring (exit 1). */
static int
bad_ring(const ring_where *w, stop *s)
{
	switch (w->parse) {
	case PUBKEY_RING_DUPLICATE:
		return halt(s, EXIT_TROUBLE, "%s: line %zu: key id %08x is in "
		    "the file twice", w->file, w->line, (unsigned)w->id);
	case PUBKEY_RING_TOO_MANY:
		return halt(s, EXIT_TROUBLE, "%s: line %zu: more than %d public "
		    "keys in one file", w->file, w->line, LKEY_RING_MAX);
	case PUBKEY_RING_BAD_LINE:
		return halt(s, EXIT_TROUBLE, "%s: line %zu: not an lkey public "
		    "key", w->file, w->line);
	default:
		return halt(s, EXIT_TROUBLE, "%s: %s", w->file,
		    pubkey_ring_result_text(w->parse));
	}
}

/*
 * Every key of every --pubkey file, in order (ring_set_add). A file that
 * cannot be read or is not a key ring stops the check (exit 1); more than
 * LKEY_RING_MAX keys in all, or a key in two files, is a usage error.
 */
static int
load_keys(const args *a, ring_set *ring, stop *s)
{
	ring_where w;
	size_t i;

	ring_set_init(ring);
	if (a->count[O_PUBKEY] > LKEY_RING_MAX)
		return halt(s, EXIT_USAGE, "too many public keys: at most 16 "
		    "in all the --pubkey files");
	for (i = 0; i < a->count[O_PUBKEY]; i++) {
		switch (ring_set_add(ring, args_nth(a, O_PUBKEY, i), &w)) {
		case RING_OK:
			break;
		case RING_NO_PATH:
			return halt(s, EXIT_USAGE, "--pubkey needs the path of "
			    "a public key file");
		case RING_UNREADABLE:
		case RING_TOO_BIG:
			return halt(s, EXIT_TROUBLE, "%s: %s", w.file, w.err);
		case RING_BAD_FILE:
			return bad_ring(&w, s);
		case RING_SAME_FILE:
			return halt(s, EXIT_USAGE, "--pubkey: %.200s given twice",
			    w.file);
		case RING_IN_BOTH:
			return halt(s, EXIT_USAGE, "--pubkey: key id %08x is in "
			    "both %.200s and %.200s", (unsigned)w.id, w.first,
			    w.file);
		default:
			return halt(s, EXIT_USAGE, "too many public keys: at "
			    "most 16 in all the --pubkey files");
		}
	}
	return 0;
}

/* One check of one key: what it was given, and its verdict. */
typedef struct job {
	verdict v;
	ring_set ring;
	lkey_revocations revocations;
	lkey_state state;
	const char *keyname;	/* for messages */
	const char *keytext;
	size_t keylen;
	char text[LKEY_TEXT_MAX + 1U];	/* a key read from a file */
} job;

/*
 * A key checked with the options of `a`, as far as its verdict (j->v):
 * the options, the catalog, the public keys, the revocation list, the state
 * file and the key, in that order. Returns 0, or the exit status with its
 * message in s when something stops the check before the verdict. Prints
 * nothing and writes nothing: the single check and --check share it.
 */
static int
evaluate(const args *a, job *j, stop *s)
{
	verdict *v = &j->v;
	const char *keysrc;
	char err[512];
	int rc;

	memset(j, 0, sizeof(*j));
	if (!a->seen[O_PUBKEY])
		return halt(s, EXIT_USAGE, "--pubkey is required");
	if (!a->seen[O_PRODUCT])
		return halt(s, EXIT_USAGE, "--product is required");
	if (a->seen[O_ADMIN] && !a->seen[O_USERS])
		return halt(s, EXIT_USAGE, "--admin goes with --users");
	if (a->seen[O_OVER_SINCE] && !a->seen[O_USERS])
		return halt(s, EXIT_USAGE, "--over-since goes with --users");
	if (a->seen[O_FORCE] && !a->seen[O_INSTALL])
		return halt(s, EXIT_USAGE, "--force goes with --install");
	if (a->seen[O_INSTALL] && a->value[O_INSTALL][0] == '\0')
		return halt(s, EXIT_USAGE, "--install needs the path of the "
		    "licence file");
	if (a->npos + (a->seen[O_KEYFILE] ? 1U : 0U) != 1)
		return halt(s, EXIT_USAGE, "give the key once: KEY, --key-file "
		    "FILE or - for standard input");
	if (lkey_init() != 0)
		return halt(s, EXIT_TROUBLE, "cannot initialise libsodium");

	if (load_catalog(a->value[O_CATALOG], &v->cat, s) != 0 ||
	    context_from_args(a, v->cat, &v->ctx, s) != 0)
		return s->code;
	v->install = a->seen[O_INSTALL] ? a->value[O_INSTALL] : NULL;

	if (load_keys(a, &j->ring, s) != 0)
		return s->code;
	if (a->seen[O_HOST]) {
		if (cli_host_parse(a->value[O_HOST], v->ctx.host) != 0)
			return halt(s, EXIT_USAGE, "--host needs a host id: 16 "
			    "hex digits, as lkey-verify --host-id prints it");
		v->ctx.has_host = true;
	}
	if (a->seen[O_REVOCATIONS]) {
		if (load_revocations(a->value[O_REVOCATIONS], j->ring.key,
		    j->ring.n, &j->revocations, s) != 0)
			return s->code;
		v->ctx.revocations = &j->revocations;
	}
	if (a->seen[O_STATE]) {
		if (load_state(a->value[O_STATE], v->ctx.product, &j->state,
		    s) != 0)
			return s->code;
		if (v->ctx.revocations != NULL &&
		    lkey_state_list_is_old(&j->state, &j->revocations))
			return halt(s, EXIT_REFUSED, "%s: revocation list %u is "
			    "older than list %u, already seen here; refused "
			    "(give the newest list)", a->value[O_REVOCATIONS],
			    j->revocations.sequence,
			    j->state.revocation_sequence);
		if (v->ctx.revocations == NULL &&
		    j->state.revocation_sequence > 0)
			return halt(s, EXIT_REFUSED, "revocation list %u was "
			    "seen here before; give it, or a newer one, with "
			    "--revocations", j->state.revocation_sequence);
		v->ctx.state = &j->state;
		v->ctx.build_day = LKEY_BUILD_DAY;
	}

	/* The key: an argument, a file, or standard input ("-"). */
	keysrc = a->seen[O_KEYFILE] ? a->value[O_KEYFILE] : a->pos[0];
	if (a->seen[O_KEYFILE] || strcmp(keysrc, "-") == 0) {
		j->keyname = strcmp(keysrc, "-") == 0 ? "standard input" :
		    keysrc;
		rc = textfile_read(keysrc, 0, j->text, sizeof(j->text),
		    &j->keylen, err, sizeof(err));
		if (rc == TEXTFILE_ERROR)
			return halt(s, EXIT_TROUBLE, "%s: %s", j->keyname, err);
		if (rc == TEXTFILE_TOO_BIG)
			j->keylen = sizeof(j->text);	/* over the bound:
							 * refused */
		j->keytext = j->text;
	} else {
		j->keyname = "key";
		j->keytext = keysrc;
		j->keylen = strlen(keysrc);
	}
	v->status = lkey_decode(j->keytext, j->keylen, j->ring.key, j->ring.n,
	    &v->lic, &v->det);
	if (v->status == LKEY_OK) {
		v->decoded = true;
		/* The machine id is read only for a node-locked key. */
		if (v->lic.host_bound && !v->ctx.has_host)
			v->ctx.has_host = machine_host(v->ctx.product,
			    v->ctx.host, err, sizeof(err)) == 0;
		v->status = lkey_check(&v->lic, &v->ctx, &v->rep);
	}
	return 0;
}

/*
 * --check (check.c): the verdict of the single check with these arguments,
 * or -1 with the line it would have written to standard error, without
 * "lkey-verify: ".
 */
static int
check_one(int argc, char **argv, char *why, size_t cap)
{
	static job j;
	char err[512];
	stop s;
	args a;

	if (args_parse(argc, argv, 1, specs, O_COUNT, &a, err,
	    sizeof(err)) != 0)
		halt(&s, EXIT_USAGE, "%s", err);
	else if (evaluate(&a, &j, &s) == 0)
		return (int)j.v.status;
	if (s.code == EXIT_USAGE)
		snprintf(why, cap, "%s (see lkey-verify --help)", s.msg);
	else
		snprintf(why, cap, "%s", s.msg);
	return -1;
}

/*
 * The whole program but cli_init: one key checked (or the host id, --help,
 * --version), or with --check a manifest of them (check.c).
 */
static int
verify_main(int argc, char **argv)
{
	static job j;
	verdict *v = &j.v;
	char err[512], tail[600], msg[800], hex[CLI_HOST_HEX];
	size_t i;
	args a;
	stop s;
	int code;

	if (args_parse(argc, argv, 1, specs, O_COUNT, &a, err,
	    sizeof(err)) != 0)
		cli_usage(err);
	if (a.seen[O_HELP]) {
		fputs(usage_text, stdout);
		fputs("\nChecks a licence key against the vendor's public key "
		    "and enforces its terms;\nwith --install, registers a valid "
		    "key in FILE. A key signed by any key of\nany --pubkey file "
		    "is accepted: a file may hold several keys (a key ring),\n"
		    "at most 16 keys in all. With --check, checks each key of "
		    "a manifest\nagainst the verdict it must give. See "
		    "lkey-verify(1).\n", stdout);
		return 0;
	}
	if (a.seen[O_VERSION]) {
		printf("lkey-verify %s\n", LKEY_VERSION_STRING);
		return 0;
	}
	if (a.seen[O_CHECK])
		return check_run(&a, &check_options);
	if (a.seen[O_HOST_ID]) {
		/* This computer's id, to send to the vendor for a
		 * node-locked key. */
		if (!a.seen[O_PRODUCT])
			cli_usage("--host-id needs --product: the id differs "
			    "between products");
		for (i = 0; i < O_COUNT; i++)
			if (a.seen[i] && i != O_HOST_ID && i != O_PRODUCT &&
			    i != O_CATALOG)
				cli_usage("--host-id goes with --product and "
				    "--catalog only");
		if (a.npos != 0)
			cli_usage("--host-id takes no key");
		if (lkey_init() != 0)
			cli_die(EXIT_TROUBLE, "cannot initialise libsodium");
		if (load_catalog(a.value[O_CATALOG], &v->cat, &s) != 0 ||
		    context_from_args(&a, v->cat, &v->ctx, &s) != 0)
			quit(&s);
		if (machine_host(v->ctx.product, v->ctx.host, err,
		    sizeof(err)) != 0)
			cli_die(EXIT_TROUBLE, "cannot read this computer's "
			    "machine id: %s", err);
		cli_host_format(v->ctx.host, hex);
		printf("%s\n", hex);
		return fflush(stdout) != 0 || ferror(stdout) ? EXIT_TROUBLE :
		    0;
	}
	if (evaluate(&a, &j, &s) != 0)
		quit(&s);

	/*
	 * The clock guard remembers the day of a valid check only, and an
	 * authenticated revocation list whatever the verdict (a list that
	 * revoked this key must not give way to an older one).
	 */
	if (v->ctx.state != NULL && lkey_state_update(&j.state, &v->ctx,
	    v->status))
		save_state(a.value[O_STATE], &j.state);

	/* Only a key valid here and now is registered. */
	code = exit_codes[v->status];
	if (v->install != NULL && v->status == LKEY_OK)
		code = install(v, j.keytext, j.keylen, j.ring.key, j.ring.n,
		    a.seen[O_FORCE], msg, sizeof(msg));

	if (a.seen[O_JSON])
		report_json(v);
	else
		report_screen(v);
	if (fflush(stdout) != 0 || ferror(stdout))
		cli_die(EXIT_TROUBLE, "cannot write the report");
	if (v->status != LKEY_OK) {
		tail[0] = '\0';
		if (v->install != NULL)
			snprintf(tail, sizeof(tail), " Not registered: %s is "
			    "unchanged.", v->install);
		report_stderr(v, j.keyname, tail);
	} else if (code != 0)
		fprintf(stderr, "lkey-verify: %s\n", msg);
	return code;
}

int
main(int argc, char **argv)
{
	cli_init("lkey-verify");
	return verify_main(argc, argv);
}
