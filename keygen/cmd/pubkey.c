/*
 * pubkey.c - lkey-keygen pubkey: the key ids of public key files, or the
 * ring as a C header to compile into an application
 *
 * The header lets a product verify with no key file on disk, where a user
 * could swap it. A ring that holds a demo key (LKEY_DEMO_KEY_ID, or a file
 * marked "DEMO KEY") makes the header stop the compiler unless the build
 * defines LKEY_ALLOW_DEMO_KEY: the demo secret key is public, so a product
 * built with it would accept licences anyone can make. A key that is no
 * valid Ed25519 point is refused: the customer side does not look.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "lkey.h"
#include "msg.h"
#include "pubfile.h"
#include "ring.h"

/* A C identifier: a letter first, at most this many bytes. */
#define NAME_MAX_LEN 63U
#define DEFAULT_NAME "lkey_vendor_keys"

/* What a demo key file says of itself (keys/demo-vendor.pub). */
#define DEMO_MARK "DEMO KEY"

/* The header of a full ring, with room to spare. */
#define HEADER_CAP 16384U

struct ring {
	lkey_pubkey key[LKEY_RING_MAX];
	const char *from[LKEY_RING_MAX];
	bool demo[LKEY_RING_MAX];
	size_t n;
};

struct buf {
	char text[HEADER_CAP];
	size_t len;
	bool full;
};

static const char help[] =
    "usage: lkey-keygen pubkey FILE...\n"
    "       lkey-keygen pubkey --c-header [--name NAME] FILE...\n\n"
    "Lists the key id of every public key in the files, or, with "
    "--c-header,\nprints them as a C header that defines the key ring "
    "NAME (default\n" DEFAULT_NAME ") and NAME_COUNT, upper case, for "
    "lkey_decode. A ring with\nthe demo key compiles only with "
    "-DLKEY_ALLOW_DEMO_KEY. See lkey-keygen(1).\n";

static void bput(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
bput(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->full)
		return;
	va_start(ap, fmt);
	n = vsnprintf(b->text + b->len, sizeof(b->text) - b->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(b->text) - b->len)
		b->full = true;
	else
		b->len += (size_t)n;
}

static bool
reserved_word(const char *s)
{
	static const char *const words[] = {
		"auto", "break", "case", "char", "const", "continue",
		"default", "do", "double", "else", "enum", "extern", "float",
		"for", "goto", "if", "inline", "int", "long", "register",
		"restrict", "return", "short", "signed", "sizeof", "static",
		"struct", "switch", "typedef", "union", "unsigned", "void",
		"volatile", "while", "_Alignas", "_Alignof", "_Atomic",
		"_Bool", "_Complex", "_Generic", "_Imaginary", "_Noreturn",
		"_Static_assert", "_Thread_local", "bool", "true", "false",
	};
	size_t i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcmp(s, words[i]) == 0)
			return true;
	return false;
}

/* NULL if `s` can name the ring, else why not. */
static const char *
name_problem(const char *s)
{
	size_t i, len = strlen(s);

	if (len == 0)
		return "--name needs a C identifier";
	if (len > NAME_MAX_LEN)
		return "--name: at most 63 characters";
	for (i = 0; i < len; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    c == '_' || (i > 0 && c >= '0' && c <= '9')))
			return "--name must be a C identifier: letters, digits "
			    "and '_', not starting with a digit";
	}
	if (s[0] == '_' && (s[1] == '_' || (s[1] >= 'A' && s[1] <= 'Z')))
		return "--name: names starting with \"__\" or '_' and a "
		    "capital letter are reserved for the C implementation";
	if (reserved_word(s))
		return "--name: a C keyword cannot name the ring";
	return NULL;
}

/* Whether a comment line of the file marks it as a demo key. */
static bool
marked_demo(const char *text, size_t len)
{
	const char *p = text, *end = text + len, *nl;
	size_t mark = strlen(DEMO_MARK), n, i;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		n = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);
		if (n > 0 && p[0] == '#')
			for (i = 1; i + mark <= n; i++)
				if (memcmp(p + i, DEMO_MARK, mark) == 0)
					return true;
		p += n + 1;
	}
	return false;
}

/* The message for a file ring_set_add refused; it ends the program. */
static void
ring_refused(ring_result rc, const ring_where *w)
{
	char show[MSG_SHOW_CAP], show2[MSG_SHOW_CAP];

	if (rc == RING_NO_PATH)
		cli_usage("an empty file name");
	msg_show(w->file, strlen(w->file), show);
	if (w->first != NULL)
		msg_show(w->first, strlen(w->first), show2);
	if (rc == RING_TOO_BIG)
		cli_die(EXIT_TROUBLE, "%s: not a public key file (more than "
		    "%u bytes)", show, RING_FILE_MAX);
	if (rc == RING_UNREADABLE)
		cli_die(EXIT_TROUBLE, "%s: %s", show, w->err);
	if (rc == RING_SAME_FILE)
		cli_die(EXIT_TROUBLE, "%s is given twice", show);
	if (rc == RING_IN_BOTH)
		cli_die(EXIT_TROUBLE, "key id %08x is in both %s and %s",
		    (unsigned)w->id, show2, show);
	if (rc == RING_TOO_MANY)
		cli_die(EXIT_TROUBLE, "more than %d public keys in all the "
		    "files: a ring holds at most %d", LKEY_RING_MAX,
		    LKEY_RING_MAX);
	if (w->parse == PUBKEY_RING_DUPLICATE)
		cli_die(EXIT_TROUBLE, "%s: line %zu: key id %08x is in the "
		    "file twice", show, w->line, (unsigned)w->id);
	if (w->parse == PUBKEY_RING_BAD_LINE)
		cli_die(EXIT_TROUBLE, "%s: line %zu: not an lkey public key",
		    show, w->line);
	if (w->parse == PUBKEY_RING_TOO_MANY)
		cli_die(EXIT_TROUBLE, "%s: more than %d public keys", show,
		    LKEY_RING_MAX);
	cli_die(EXIT_TROUBLE, "%s: %s", show,
	    pubkey_ring_result_text(w->parse));
}

/* Every key of every file, in order; any problem ends the program. */
static void
load_ring(const args *a, struct ring *r)
{
	static ring_set set;
	char err[512], show[MSG_SHOW_CAP];
	ring_where where;
	ring_result rc;
	size_t i, j, first;
	bool demo;

	memset(r, 0, sizeof(*r));
	ring_set_init(&set);
	for (i = 0; i < a->npos; i++) {
		first = set.n;
		if ((rc = ring_set_add(&set, a->pos[i], &where)) != RING_OK)
			ring_refused(rc, &where);
		msg_show(a->pos[i], strlen(a->pos[i]), show);
		demo = marked_demo(set.text, set.len);
		for (j = first; j < set.n; j++) {
			/* lkey-verify and liblkey take the key as it is. */
			if (!pubkey_point_ok(set.key[j].pk, show, err,
			    sizeof(err)))
				cli_die(EXIT_TROUBLE, "%s", err);
			r->from[j] = set.from[j];
			r->demo[j] = demo || set.key[j].id == LKEY_DEMO_KEY_ID;
			r->key[j] = set.key[j];
		}
		r->n = set.n;
	}
}

static void
upper(const char *s, char *out)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		out[i] = s[i] >= 'a' && s[i] <= 'z' ? (char)(s[i] - 32) :
		    s[i];
	out[i] = '\0';
}

static void
c_header(const struct ring *r, const char *name, struct buf *b)
{
	char up[NAME_MAX_LEN + 1U];
	size_t i, j, ndemo = 0;

	upper(name, up);
	for (i = 0; i < r->n; i++)
		ndemo += r->demo[i] ? 1U : 0U;
	bput(b, "/*\n * The vendor public key ring %s, for lkey_decode: "
	    "generated by\n * lkey-keygen pubkey --c-header. Do not edit; "
	    "generate it again.\n */\n", name);
	bput(b, "#ifndef %s_H\n#define %s_H\n\n#include <lkey.h>\n\n", up, up);
	if (ndemo > 0) {
		bput(b, "#if !defined(LKEY_ALLOW_DEMO_KEY)\n#error \"%s holds "
		    "the lkey demo key", name);
		for (i = 0; i < r->n; i++)
			if (r->demo[i])
				bput(b, " %08x", (unsigned)r->key[i].id);
		bput(b, ", whose secret key is public: a product built with "
		    "it accepts licences anyone can make. Define "
		    "LKEY_ALLOW_DEMO_KEY only in test builds.\"\n#endif\n\n");
	}
	bput(b, "static const lkey_pubkey %s[] = {\n", name);
	for (i = 0; i < r->n; i++) {
		bput(b, "\t/* key id %08x%s */\n\t{ 0x%08xU, {",
		    (unsigned)r->key[i].id, r->demo[i] ? ", the DEMO key" : "",
		    (unsigned)r->key[i].id);
		for (j = 0; j < LKEY_PUBLICKEYBYTES; j++)
			bput(b, "%s0x%02x%s", j % 8 == 0 ? "\n\t\t" : " ",
			    r->key[i].pk[j],
			    j + 1 < LKEY_PUBLICKEYBYTES ? "," : "");
		bput(b, "\n\t} },\n");
	}
	bput(b, "};\n\n#define %s_COUNT \\\n\t(sizeof(%s) / sizeof(%s[0]))"
	    "\n\n#endif\n", up, name, name);
}

static void
listing(const struct ring *r, struct buf *b)
{
	char show[MSG_SHOW_CAP];
	size_t i;

	for (i = 0; i < r->n; i++) {
		msg_show(r->from[i], strlen(r->from[i]), show);
		bput(b, "%08x  %s%s\n", (unsigned)r->key[i].id, show,
		    r->demo[i] ? "  (DEMO key: never ship it)" : "");
	}
}

int
cmd_pubkey(int argc, char **argv)
{
	enum { O_C_HEADER, O_NAME, O_HELP, O_COUNT };
	static const char *const opts[O_COUNT] = { "c-header", "name", "help" };
	static struct ring ring;
	static struct buf out;
	const char *name = DEFAULT_NAME, *why;
	args a;

	if (cmd_args(argc, argv, opts, O_COUNT, true, &a))
		return cmd_help(help);
	if (a.seen[O_NAME] && !a.seen[O_C_HEADER])
		cli_usage("--name goes with --c-header");
	if (a.seen[O_NAME])
		name = a.value[O_NAME];
	if ((why = name_problem(name)) != NULL)
		cli_usage(why);
	if (a.npos == 0)
		cli_usage("pubkey needs one or more public key files");
	if (a.npos > LKEY_RING_MAX)
		cli_usage("too many files: a ring holds at most 16 keys");

	load_ring(&a, &ring);
	if (a.seen[O_C_HEADER])
		c_header(&ring, name, &out);
	else
		listing(&ring, &out);
	if (out.full)
		cli_die(EXIT_TROUBLE, "the output is too long");
	/* All of it or nothing: one write of the whole text. */
	if (fwrite(out.text, 1, out.len, stdout) != out.len ||
	    fflush(stdout) != 0)
		cli_die(EXIT_TROUBLE, "cannot write to standard output");
	return 0;
}
