/*
 * evaluate.c - one key checked with lkey-verify's options, as far as its
 * verdict
 *
 * The single check and every line of --check go through here alone, so
 * that a manifest can never judge a key otherwise than
 * "lkey-verify ... --key-file FILE" does.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "context.h"
#include "evaluate.h"
#include "msg.h"
#include "options.h"
#include "revlist.h"
#include "statefile.h"
#include "textfile.h"
#include "utf8.h"

/* The options that go together, and the key given once. */
int
evaluate_required(const args *a, stop *s)
{
	if (!a->seen[O_PUBKEY])
		return halt(s, EXIT_USAGE, "--pubkey is required");
	if (!a->seen[O_PRODUCT])
		return halt(s, EXIT_USAGE, "--product is required");
	if (a->seen[O_ADMIN] && !a->seen[O_USERS])
		return halt(s, EXIT_USAGE, "--admin goes with --users");
	if (a->seen[O_OVER_SINCE] && !a->seen[O_USERS])
		return halt(s, EXIT_USAGE, "--over-since goes with --users");
	return 0;
}

static int
options_fit(const args *a, stop *s)
{
	if (evaluate_required(a, s) != 0)
		return s->code;
	if (a->seen[O_FORCE] && !a->seen[O_INSTALL])
		return halt(s, EXIT_USAGE, "--force goes with --install");
	if (a->seen[O_INSTALL] && a->value[O_INSTALL][0] == '\0')
		return halt(s, EXIT_USAGE, "--install needs the path of the "
		    "licence file");
	/* Refused before the licence is installed, not after. */
	if (a->seen[O_INSTALL] && a->seen[O_JSON] &&
	    !utf8_valid((const unsigned char *)a->value[O_INSTALL],
	    strlen(a->value[O_INSTALL])))
		return halt(s, EXIT_USAGE, "--json: the --install path is not "
		    "UTF-8 text, which JSON cannot hold");
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
		return halt(s, EXIT_TROUBLE, "%s: line %zu: more than %d "
		    "public keys in one file", w->file, w->line,
		    LKEY_RING_MAX);
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
int
evaluate_ring(const args *a, ring_set *ring, stop *s)
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
			return halt(s, EXIT_USAGE, "--pubkey: %.200s given "
			    "twice", w.file);
		case RING_IN_BOTH:
			return halt(s, EXIT_USAGE, "--pubkey: key id %08x is "
			    "in both %.200s and %.200s", (unsigned)w.id,
			    w.first, w.file);
		default:
			return halt(s, EXIT_USAGE, "too many public keys: at "
			    "most 16 in all the --pubkey files");
		}
	}
	return 0;
}

/*
 * The revocation list and the clock guard's state. The rule between them
 * (a list older than one seen here, or none where one was seen, must not
 * undo a revocation) is liblkey's: lkey_check gives revocations_outdated,
 * a verdict like any other, never valid.
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
	if (a->seen[O_STATE] &&
	    statefile_load(a->value[O_STATE], ctx, &j->state, s) != 0)
		return s->code;
	return 0;
}

void
evaluate_prompt(const char *src)
{
	/* Someone at a terminal is told what the silence is waiting for. */
	if (strcmp(src, "-") == 0 && isatty(STDIN_FILENO))
		fprintf(stderr, "lkey-verify: paste the licence key, then press "
		    "Enter and Ctrl-D\n");
}

int
evaluate_host(const args *a, lkey_context *ctx, stop *s)
{
	char sh[MSG_SHOW_CAP];
	const char *v;

	if (!a->seen[O_HOST])
		return 0;
	v = a->value[O_HOST];
	if (cli_host_parse(v, ctx->host) != 0)
		return halt(s, EXIT_USAGE, "--host '%s' is not a host id: 16 "
		    "hex digits, as lkey-verify --host-id prints it",
		    msg_show(v, strlen(v), sh));
	ctx->has_host = true;
	return 0;
}

int
evaluate_key_text(const args *a, char *buf, size_t cap, const char **text,
    size_t *len, const char **name, stop *s)
{
	const char *src = a->seen[O_KEYFILE] ? a->value[O_KEYFILE] :
	    a->pos[0];
	char err[512];
	int rc;

	if (!a->seen[O_KEYFILE] && strcmp(src, "-") != 0) {
		*name = "key";
		*text = src;
		*len = strlen(src);
		return 0;
	}
	*name = strcmp(src, "-") == 0 ? "standard input" : src;
	evaluate_prompt(src);
	rc = textfile_read(src, 0, buf, cap, len, err, sizeof(err));
	if (rc == TEXTFILE_ERROR)
		return halt(s, EXIT_TROUBLE, "%s: %s", *name, err);
	/* Over the bound: lkey_decode refuses it as too long. */
	if (rc == TEXTFILE_TOO_BIG)
		*len = cap;
	*text = buf;
	return 0;
}

/*
 * The key in the text, decoded: pasted text is forgiven around the key
 * (quote marks, a greeting, a signature, no-break spaces), the key itself
 * held to its one text form. The detail's offset is in the text as given.
 */
static lkey_status
find_key(job *j)
{
	verdict *v = &j->v;

	v->status = lkey_key_find(j->keytext, j->keylen, j->key,
	    sizeof(j->key), &j->key_len, j->where, &v->det);
	if (v->status != LKEY_OK)
		return v->status;
	v->status = lkey_decode(j->key, j->key_len, j->ring.key, j->ring.n,
	    &v->lic, &v->det);
	if (v->status != LKEY_OK && j->key_len > 0)
		v->det.offset = j->where[v->det.offset < j->key_len ?
		    v->det.offset : j->key_len - 1U];
	return v->status;
}

int
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
	if (evaluate_ring(a, &j->ring, s) != 0)
		return s->code;
	if (evaluate_host(a, &v->ctx, s) != 0 || load_guard(a, j, s) != 0 ||
	    evaluate_key_text(a, j->text, sizeof(j->text), &j->keytext,
	    &j->keylen, &j->keyname, s) != 0)
		return s->code;
	v->text = j->keytext;
	v->text_len = j->keylen;
	if (find_key(j) != LKEY_OK)
		return 0;
	v->decoded = true;
	/* The machine id is read only for a node-locked key. */
	if (v->lic.host_bound && !v->ctx.has_host) {
		v->ctx.has_host = lkey_host_id_here(v->ctx.product,
		    v->ctx.host, err, sizeof(err)) == 0;
		if (!v->ctx.has_host)
			fprintf(stderr, "lkey-verify: this computer's machine "
			    "id cannot be read (%s): the node-locked key cannot "
			    "be checked here (--host HOSTID checks it as on "
			    "that computer)\n", err);
	}
	v->status = lkey_check(&v->lic, &v->ctx, &v->rep);
	return 0;
}
