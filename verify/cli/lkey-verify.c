/*
 * lkey-verify - check a licence key and show it the way a licence screen does
 *
 * This file is the program's course: the options, then one key checked
 * (evaluate), the clock guard's state written back, the key registered
 * (register.c) and the report (report.c); or this computer's host id
 * (machine.c), or a manifest of checks (check.c). Exit statuses: stop.h.
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "cli.h"
#include "context.h"
#include "lkey.h"
#include "machine.h"
#include "options.h"
#include "register.h"
#include "report.h"
#include "revlist.h"
#include "ring.h"
#include "statefile.h"
#include "stop.h"
#include "textfile.h"

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

static const char help_text[] =
    "\nChecks a licence key against the vendor's public key and enforces "
    "its terms;\nwith --install, registers a valid key in FILE. A key "
    "signed by any key of\nany --pubkey file is accepted: a file may hold "
    "several keys (a key ring),\nat most 16 keys in all. With --check, "
    "checks each key of a manifest\nagainst the verdict it must give. See "
    "lkey-verify(1).\n";

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



static int check_one(int argc, char **argv, char *why, size_t cap);

static const check_spec check_options = {
	.prog = "lkey-verify",
	.specs = options,
	.nspecs = O_COUNT,
	.check = O_CHECK,
	.key_file = O_KEYFILE,
	.path = option_is_path,
	.refused = option_refused,
	.single = check_one,
};

/* The options that go together, and the key given once. */
static int
options_fit(const args *a, stop *s)
{
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

/*
 * The revocation list and the clock guard's state, and the rule between
 * them: a list older than one seen here, or none where one was seen, is
 * refused (exit 4), so that a revocation cannot be undone by putting back
 * an old list.
 */
static int
load_guard(const args *a, job *j, stop *s)
{
	lkey_context *ctx = &j->v.ctx;

	if (a->seen[O_REVOCATIONS]) {
		if (revlist_load(a->value[O_REVOCATIONS], j->ring.key,
		    j->ring.n, &j->revocations, s) != 0)
			return s->code;
		ctx->revocations = &j->revocations;
	}
	if (!a->seen[O_STATE])
		return 0;
	if (statefile_load(a->value[O_STATE], ctx, &j->state, s) != 0)
		return s->code;
	if (ctx->revocations != NULL &&
	    lkey_state_list_is_old(&j->state, &j->revocations))
		return halt(s, EXIT_REFUSED, "%s: revocation list %u is older "
		    "than list %u, already seen here; refused (give the newest "
		    "list)", a->value[O_REVOCATIONS], j->revocations.sequence,
		    j->state.revocation_sequence);
	if (ctx->revocations == NULL && j->state.revocation_sequence > 0)
		return halt(s, EXIT_REFUSED, "revocation list %u was seen here "
		    "before; give it, or a newer one, with --revocations",
		    j->state.revocation_sequence);
	return 0;
}

/* The key: an argument, a file, or standard input ("-"). */
static int
read_key(const args *a, job *j, stop *s)
{
	const char *src = a->seen[O_KEYFILE] ? a->value[O_KEYFILE] :
	    a->pos[0];
	char err[512];
	int rc;

	if (!a->seen[O_KEYFILE] && strcmp(src, "-") != 0) {
		j->keyname = "key";
		j->keytext = src;
		j->keylen = strlen(src);
		return 0;
	}
	j->keyname = strcmp(src, "-") == 0 ? "standard input" : src;
	rc = textfile_read(src, 0, j->text, sizeof(j->text), &j->keylen, err,
	    sizeof(err));
	if (rc == TEXTFILE_ERROR)
		return halt(s, EXIT_TROUBLE, "%s: %s", j->keyname, err);
	if (rc == TEXTFILE_TOO_BIG)
		j->keylen = sizeof(j->text);	/* over the bound: refused */
	j->keytext = j->text;
	return 0;
}

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
	char err[512];

	memset(j, 0, sizeof(*j));
	if (options_fit(a, s) != 0)
		return s->code;
	if (lkey_init() != 0)
		return halt(s, EXIT_TROUBLE, "cannot initialise libsodium");
	if (context_from_args(a, &v->cat, &v->ctx, s) != 0)
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
	if (load_guard(a, j, s) != 0 || read_key(a, j, s) != 0)
		return s->code;
	v->status = lkey_decode(j->keytext, j->keylen, j->ring.key, j->ring.n,
	    &v->lic, &v->det);
	if (v->status != LKEY_OK)
		return 0;
	v->decoded = true;
	/* The machine id is read only for a node-locked key. */
	if (v->lic.host_bound && !v->ctx.has_host)
		v->ctx.has_host = machine_host_id(v->ctx.product, v->ctx.host,
		    err, sizeof(err)) == 0;
	v->status = lkey_check(&v->lic, &v->ctx, &v->rep);
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

	if (args_parse(argc, argv, 1, options, O_COUNT, &a, err,
	    sizeof(err)) != 0)
		halt(&s, EXIT_USAGE, "%s", err);
	else if (evaluate(&a, &j, &s) == 0)
		return (int)j.v.status;
	stop_reason(&s, why, cap);
	return -1;
}

/* Standard output written in full, or exit 1. */
static int
flushed(const char *what)
{
	if (fflush(stdout) != 0 || ferror(stdout))
		cli_die(EXIT_TROUBLE, "%s", what);
	return 0;
}

/* --host-id: this computer's id, to send to the vendor for a node-locked
 * key. */
static int
host_id_main(const args *a)
{
	char err[512], hex[CLI_HOST_HEX];
	const catalog *cat;
	lkey_context ctx;
	size_t i;
	stop s;

	if (!a->seen[O_PRODUCT])
		cli_usage("--host-id needs --product: the id differs between "
		    "products");
	for (i = 0; i < O_COUNT; i++)
		if (a->seen[i] && i != O_HOST_ID && i != O_PRODUCT &&
		    i != O_CATALOG)
			cli_usage("--host-id goes with --product and --catalog "
			    "only");
	if (a->npos != 0)
		cli_usage("--host-id takes no key");
	if (lkey_init() != 0)
		cli_die(EXIT_TROUBLE, "cannot initialise libsodium");
	if (context_from_args(a, &cat, &ctx, &s) != 0)
		stop_exit(&s);
	if (machine_host_id(ctx.product, ctx.host, err, sizeof(err)) != 0)
		cli_die(EXIT_TROUBLE, "cannot read this computer's machine id: "
		    "%s", err);
	cli_host_format(ctx.host, hex);
	printf("%s\n", hex);
	return fflush(stdout) != 0 || ferror(stdout) ? EXIT_TROUBLE : 0;
}

/*
 * One key: its verdict, then what follows from it, in this order: the
 * clock guard's state, the registration, the report, the line on standard
 * error.
 */
static int
check_main(const args *a)
{
	static job j;
	verdict *v = &j.v;
	char tail[600], msg[800];
	stop s;
	int code;

	if (evaluate(a, &j, &s) != 0)
		stop_exit(&s);
	/*
	 * The clock guard remembers the day of a valid check only, and an
	 * authenticated revocation list whatever the verdict (a list that
	 * revoked this key must not give way to an older one).
	 */
	if (v->ctx.state != NULL && lkey_state_update(&j.state, &v->ctx,
	    v->status))
		statefile_save(a->value[O_STATE], &j.state);

	/* Only a key valid here and now is registered. */
	code = stop_verdict_exit(v->status);
	if (v->install != NULL && v->status == LKEY_OK)
		code = register_key(v, j.keytext, j.keylen, j.ring.key,
		    j.ring.n, a->seen[O_FORCE], msg, sizeof(msg));

	if (a->seen[O_JSON])
		report_json(v);
	else
		report_screen(v);
	flushed("cannot write the report");
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
	char err[512];
	args a;

	cli_init("lkey-verify");
	if (args_parse(argc, argv, 1, options, O_COUNT, &a, err,
	    sizeof(err)) != 0)
		cli_usage(err);
	if (a.seen[O_HELP]) {
		fputs(usage_text, stdout);
		fputs(help_text, stdout);
		return 0;
	}
	if (a.seen[O_VERSION]) {
		printf("lkey-verify %s\n", LKEY_VERSION_STRING);
		return 0;
	}
	if (a.seen[O_CHECK])
		return check_run(&a, &check_options);
	if (a.seen[O_HOST_ID])
		return host_id_main(&a);
	return check_main(&a);
}
