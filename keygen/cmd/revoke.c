/*
 * revoke.c - lkey-keygen revoke: a revocation list signed with the secret
 * key, recorded in the issuance ledger and printed on standard output
 *
 * Every serial is checked before the key is loaded: each given once, and
 * each of this key's serials found in the ledger as issued with this key,
 * so that a typo revokes nobody's licence and the list names no licence
 * that never was. The list is checked with the customer-side code before
 * it is printed (lkey_revocations_issue).
 *
 * With a ledger, the ledger keeps the books: the sequence is the next one
 * unless given, and one at or below the last recorded, or far above it,
 * is refused (installations keep the highest sequence they have seen, so
 * a list of 4294967295 would be the last any of them ever takes); each
 * list holds every licence revoked so far as well as the new ones; and
 * the list is recorded, committed, before it is printed, so a list printed
 * is always one the ledger knows.
 */
#include <sys/stat.h>

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "commands.h"
#include "fulfil.h"
#include "keyfile.h"
#include "ledger.h"
#include "msg.h"
#include "num.h"

/*
 * How far above the last list recorded --sequence may go: room for lists
 * signed without the ledger, never the jump of a typo that leaves no
 * sequence for later lists.
 */
#define SEQUENCE_GAP_MAX 1000U

/* "1a2b3c4d:4294967295" and its NUL. */
#define ITEM_MAX 20U

/* A licence of --serials; `own` (a plain serial) is the --secret key's. */
struct item {
	uint32_t key_id;	/* 0 for own ones until the key id is known */
	uint32_t serial;
	bool own;
};

/* As given: KEYID:SERIAL ones, then plain serials; each by value. */
static int
cmp_given(const void *a, const void *b)
{
	const struct item *x = a, *y = b;

	if (x->own != y->own)
		return x->own ? 1 : -1;
	if (x->key_id != y->key_id)
		return x->key_id < y->key_id ? -1 : 1;
	return (x->serial > y->serial) - (x->serial < y->serial);
}

/* As the wire orders them: key id, then serial. */
static int
cmp_wire(const void *a, const void *b)
{
	const struct item *x = a, *y = b;

	if (x->key_id != y->key_id)
		return x->key_id < y->key_id ? -1 : 1;
	return (x->serial > y->serial) - (x->serial < y->serial);
}

/*
 * --serials: "1001,1002,1a2b3c4d:17" (or "none") into items, at most
 * LKEY_REVOKED_MAX. 0, or -1 with one line in err.
 */
static int
parse_serials(const char *s, struct item *items, size_t *n, char *err,
    size_t errcap)
{
	char one[ITEM_MAX], sh[MSG_SHOW_CAP];
	const char *p = s, *end, *colon;
	size_t len, k = 0;
	uint64_t v;

	*n = 0;
	if (strcmp(s, "none") == 0)
		return 0;
	if (*s == '\0') {
		snprintf(err, errcap, "--serials is empty; give none for a "
		    "list that revokes nothing");
		return -1;
	}
	for (;;) {
		end = strchr(p, ',');
		if (end == NULL)
			end = p + strlen(p);
		len = (size_t)(end - p);
		if (len == 0) {
			snprintf(err, errcap, "--serials: empty item in the "
			    "list");
			return -1;
		}
		if (k == LKEY_REVOKED_MAX) {
			snprintf(err, errcap, "--serials: more than %u "
			    "licences; a list holds at most %u",
			    LKEY_REVOKED_MAX, LKEY_REVOKED_MAX);
			return -1;
		}
		if (len >= sizeof(one))
			goto bad;
		memcpy(one, p, len);
		one[len] = '\0';
		colon = strchr(one, ':');
		items[k].own = colon == NULL;
		items[k].key_id = 0;
		if (colon != NULL && num_key_id_any_case(one,
		    (size_t)(colon - one), &items[k].key_id) != 0)
			goto bad;
		if (num_text(colon != NULL ? colon + 1 : one, 0, UINT32_MAX,
		    &v) != 0)
			goto bad;
		items[k].serial = (uint32_t)v;
		k++;
		if (*end == '\0')
			break;
		p = end + 1;
	}
	*n = k;
	return 0;
bad:
	snprintf(err, errcap, "--serials: '%s' is not a serial (a whole number "
	    "from 0 to 4294967295) or KEYID:SERIAL (8 hex digits, a colon, a "
	    "serial)", msg_show(p, len, sh));
	return -1;
}

/* What the ledger says of one serial of this key. */
enum { NOT_SEEN = 0, ISSUED, OTHER_KEY };

struct seen {
	uint32_t key_id;	/* of --secret */
	unsigned char state;
	uint32_t other;		/* OTHER_KEY: the key id recorded */
};

static int
seen_rec(void *arg, const ledger_rec *r)
{
	struct seen *s = arg;

	if (r->lic.key_id == s->key_id)
		s->state = ISSUED;
	else if (s->state == NOT_SEEN) {
		s->state = OTHER_KEY;
		s->other = r->lic.key_id;
	}
	return 0;
}

/*
 * Every serial of the list signed by this key (id) must be in the ledger,
 * as issued with this key: one that is not is a typo. Ends the program
 * (exit 1) naming the first such serial, and how many more.
 */
static void
check_issued(ledger *l, const struct item *items, size_t n, uint32_t id)
{
	char err[1024], more[64];
	struct seen s, first;
	ledger_query q;
	size_t i, bad = 0;
	uint32_t fserial = 0;

	memset(&q, 0, sizeof(q));
	memset(&first, 0, sizeof(first));
	q.has_serial = true;
	for (i = 0; i < n; i++) {
		if (items[i].key_id != id)
			continue;
		memset(&s, 0, sizeof(s));
		s.key_id = id;
		q.serial = items[i].serial;
		if (ledger_find(l, &q, seen_rec, &s, err, sizeof(err)) < 0)
			cli_die(EXIT_TROUBLE, "%s; nothing signed", err);
		if (s.state == ISSUED)
			continue;
		if (bad++ == 0) {
			first = s;
			fserial = items[i].serial;
		}
	}
	if (bad == 0)
		return;
	more[0] = '\0';
	if (bad > 1)
		snprintf(more, sizeof(more), "; nor %s %zu more of --serials",
		    bad == 2 ? "was" : "were", bad - 1U);
	if (first.state == NOT_SEEN)
		cli_die(EXIT_TROUBLE, "serial %" PRIu32 " was never issued "
		    "(not in %s)%s", fserial, ledger_name(l), more);
	cli_die(EXIT_TROUBLE, "serial %" PRIu32 " was not issued with this "
	    "key, %08" PRIx32 " (%s records key id %08" PRIx32 ": give %08"
	    PRIx32 ":%" PRIu32 ")%s", fserial, id, ledger_name(l),
	    first.other, first.other, fserial, more);
}

/*
 * The sequence of the new list into *seq, given `last` (that of the last
 * list the ledger recorded): `given` if not 0, else last + 1. Refuses (-1,
 * one line in err) a given one at or below last, or more than
 * SEQUENCE_GAP_MAX above it.
 */
static int
sequence_after(const ledger *l, uint32_t last, uint32_t given,
    uint32_t *seq, char *err, size_t errcap)
{
	*seq = 0;
	if (given == 0 && last == UINT32_MAX) {
		snprintf(err, errcap, "%s: the last list recorded has sequence "
		    "4294967295: no list can follow it; nothing signed",
		    ledger_name(l));
		return -1;
	}
	if (given == 0) {
		*seq = last + 1U;
		return 0;
	}
	if (given <= last) {
		snprintf(err, errcap, "--sequence %" PRIu32 " is not above "
		    "that of the last list recorded in %s, %" PRIu32 ": "
		    "installations ignore a list that is not newer; leave out "
		    "--sequence for %" PRIu32 "; nothing signed", given,
		    ledger_name(l), last, last + 1U);
		return -1;
	}
	if (given - last > SEQUENCE_GAP_MAX) {
		snprintf(err, errcap, "--sequence %" PRIu32 " is more than %u "
		    "above that of the last list recorded in %s, %" PRIu32
		    ": installations keep the highest sequence they saw, and "
		    "later lists could not go past it; leave out --sequence "
		    "for %" PRIu32 "; nothing signed", given, SEQUENCE_GAP_MAX,
		    ledger_name(l), last, last + 1U);
		return -1;
	}
	*seq = given;
	return 0;
}

/* The licences of the new list: those revoked so far, then those given. */
struct list {
	lkey_revoked *e;
	size_t n;
	size_t before;		/* of them revoked so far */
	bool over;		/* more than LKEY_REVOKED_MAX */
};

static int
add_revoked(void *arg, const ledger_revocation *r)
{
	struct list *li = arg;

	if (li->n == LKEY_REVOKED_MAX) {
		li->over = true;
		li->before++;
		return 0;
	}
	li->e[li->n].key_id = r->key_id;
	li->e[li->n].serial = r->serial;
	li->n++;
	li->before++;
	return 0;
}

static int
cmp_revoked(const void *a, const void *b)
{
	const lkey_revoked *x = a, *y = b;

	if (x->key_id != y->key_id)
		return x->key_id < y->key_id ? -1 : 1;
	return (x->serial > y->serial) - (x->serial < y->serial);
}

/*
 * In the transaction: the list to sign, every licence revoked so far
 * (unless `only`) and the n given, each once. 0, or -1 with one line in
 * err (more than LKEY_REVOKED_MAX, or the ledger failed).
 */
static int
build_list(ledger *l, bool only, const struct item *items, size_t n,
    struct list *li, char *err, size_t errcap)
{
	size_t i, k, added = 0;

	li->n = li->before = 0;
	li->over = false;
	if (!only && ledger_revocations(l, add_revoked, li, err,
	    errcap) < 0)
		return -1;
	k = li->n;
	qsort(li->e, k, sizeof(*li->e), cmp_revoked);
	for (i = 0; i < n; i++) {
		lkey_revoked want = { items[i].key_id, items[i].serial };

		if (k > 0 && bsearch(&want, li->e, k, sizeof(*li->e),
		    cmp_revoked) != NULL)
			continue;
		added++;
		if (li->n == LKEY_REVOKED_MAX) {
			li->over = true;
			continue;
		}
		li->e[li->n++] = want;
	}
	if (li->over) {
		snprintf(err, errcap, "the list would hold %zu licences (%zu "
		    "revoked so far, %zu more), more than the %u a list can "
		    "hold; give --only with the licences still to be revoked; "
		    "nothing signed", li->before + added, li->before, added,
		    LKEY_REVOKED_MAX);
		return -1;
	}
	return 0;
}

/* --issued: a day up to tomorrow (UTC), for a clock a little ahead. */
static lkey_day
issued_day(const char *s, lkey_day today)
{
	char msg[256], sh[MSG_SHOW_CAP], day[11];
	lkey_day d;

	if (s == NULL)
		return today;
	if (!lkey_day_parse(s, &d)) {
		snprintf(msg, sizeof(msg), "--issued: '%s' is not a real date "
		    "as YYYY-MM-DD", msg_show(s, strlen(s), sh));
		cli_usage(msg);
	}
	/* A verifier whose clock is before the list's day takes its clock
	 * for set back: a list from the future stops time-limited licences. */
	if (d > today + 1U) {
		lkey_day_format(today, day);
		snprintf(msg, sizeof(msg), "--issued: %s is after today (%s, "
		    "UTC): verifiers would take their clocks for set back", s,
		    day);
		cli_usage(msg);
	}
	if (d > LKEY_DAY_MAX) {
		snprintf(msg, sizeof(msg), "--issued: %s is after 2149-06-05, "
		    "the last day a list can carry", s);
		cli_usage(msg);
	}
	return d;
}

/* No licence twice among those given: KEYID:SERIAL ones, plain serials. */
static void
check_given(struct item *items, size_t n)
{
	char err[128];
	size_t i;

	qsort(items, n, sizeof(*items), cmp_given);
	for (i = 1; i < n; i++) {
		if (cmp_given(&items[i - 1U], &items[i]) != 0)
			continue;
		if (items[i].own)
			snprintf(err, sizeof(err), "--serials: serial %" PRIu32
			    " is given twice", items[i].serial);
		else
			snprintf(err, sizeof(err), "--serials: %08" PRIx32
			    ":%" PRIu32 " is given twice", items[i].key_id,
			    items[i].serial);
		cli_usage(err);
	}
}

/*
 * The plain serials are those of key `id`: none may also be given as
 * id:SERIAL. Leaves the items in the order of the wire.
 */
static void
check_own(struct item *items, size_t n, uint32_t id)
{
	char err[160];
	size_t i;

	for (i = 0; i < n; i++)
		if (items[i].own)
			items[i].key_id = id;
	qsort(items, n, sizeof(*items), cmp_wire);
	for (i = 1; i < n; i++) {
		if (cmp_wire(&items[i - 1U], &items[i]) != 0)
			continue;
		snprintf(err, sizeof(err), "--serials: serial %" PRIu32 " is "
		    "given twice (also as %08" PRIx32 ":%" PRIu32 ", this "
		    "key's id)", items[i].serial, id, items[i].serial);
		cli_usage(err);
	}
}

static const char help[] =
    "usage: lkey-keygen revoke --secret FILE [--serials LIST] [--sequence N]"
    "\n                   [--only] [--issued YYYY-MM-DD]\n"
    "                   [--ledger WHERE | --no-ledger]\n\n"
    "Signs a revocation list, records it in the ledger and prints it: "
    "every\nlicence revoked so far and those of LIST (only those with "
    "--only), serials\nof keys signed by the --secret key or KEYID:SERIAL "
    "for an earlier key,\ncomma-separated (none: nothing new). Without a "
    "ledger, --serials and\n--sequence are needed. See lkey-keygen(1).\n";

/* Writes the list; 0, or -1 when standard output failed. */
static int
print_list(const char *text)
{
	size_t len = strlen(text);

	if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0)
		return -1;
	return 0;
}

/* Signs the list; 0, or -1 after one line on standard error. */
static int
sign_list(const lkey_vendor_key *key, uint32_t sequence, lkey_day issued,
    const lkey_revoked *list, size_t n, char *text, size_t cap)
{
	lkey_issue_status st;

	st = lkey_revocations_issue(key, sequence, issued, list, n, text,
	    cap);
	if (st == LKEY_ISSUE_OK)
		return 0;
	fprintf(stderr, "lkey-keygen: %s; nothing signed\n",
	    st == LKEY_ISSUE_SELF_CHECK ? "the signed list failed its check "
	    "with the customer-side code (not printed)" :
	    lkey_issue_status_text(st));
	return -1;
}

/*
 * With the ledger l: in one transaction, the sequence and the list from
 * what the ledger holds now (another process may have recorded a list
 * while the passphrase was asked for), signed, recorded and committed;
 * then printed. The exit status.
 */
static int
revoke_with_ledger(ledger *l, const lkey_vendor_key *key, uint32_t given,
    lkey_day issued, bool only, const struct item *items, size_t n)
{
	static char word[SHELL_WORD_CAP];
	static lkey_revoked entries[LKEY_REVOKED_MAX];
	static char text[LKEY_REVOCATIONS_TEXT_CAP];
	struct list li = { entries, 0, 0, false };
	char err[1024];
	uint32_t last, seq;

	if (ledger_begin(l, err, sizeof(err)) != 0) {
		fprintf(stderr, "lkey-keygen: %s; nothing signed\n", err);
		return EXIT_TROUBLE;
	}
	if (ledger_last_list(l, &last, err, sizeof(err)) != 0 ||
	    build_list(l, only, items, n, &li, err, sizeof(err)) != 0) {
		fprintf(stderr, "lkey-keygen: %s; nothing signed\n", err);
		goto fail;
	}
	if (sequence_after(l, last, given, &seq, err, sizeof(err)) != 0) {
		fprintf(stderr, "lkey-keygen: %s\n", err);
		goto fail;
	}
	if (sign_list(key, seq, issued, li.e, li.n, text, sizeof(text)) != 0)
		goto fail;
	if (ledger_record_list(l, seq, key->pub.id, issued, li.e, li.n, text,
	    (int64_t)time(NULL), err, sizeof(err)) != 0 ||
	    ledger_commit(l, err, sizeof(err)) != 0) {
		if (fulfil_commit_lost(err))
			fprintf(stderr, "lkey-keygen: %s; list %" PRIu32 " may "
			    "be recorded, nothing printed: look it up with "
			    "lkey-keygen ledger --ledger %s --list %" PRIu32
			    " before revoking again\n", err, seq,
			    cmd_shell_word(ledger_name(l), word), seq);
		else
			fprintf(stderr, "lkey-keygen: %s; list %" PRIu32 " was "
			    "not recorded, nothing printed\n", err, seq);
		goto fail;
	}
	if (print_list(text) != 0) {
		fprintf(stderr, "lkey-keygen: cannot write the list to "
		    "standard output; list %" PRIu32 " is recorded in %s: "
		    "print it with lkey-keygen ledger --ledger %s --list %"
		    PRIu32 "\n", seq, ledger_name(l),
		    cmd_shell_word(ledger_name(l), word), seq);
		return EXIT_TROUBLE;
	}
	return 0;
fail:
	ledger_rollback(l);
	return EXIT_TROUBLE;
}

/* Without a ledger: exactly the licences given, signed and printed. */
static int
revoke_plain(const lkey_vendor_key *key, uint32_t sequence, lkey_day issued,
    const struct item *items, size_t n)
{
	static lkey_revoked list[LKEY_REVOKED_MAX];
	static char text[LKEY_REVOCATIONS_TEXT_CAP];
	size_t i;

	for (i = 0; i < n; i++) {
		list[i].key_id = items[i].key_id;
		list[i].serial = items[i].serial;
	}
	if (sign_list(key, sequence, issued, list, n, text, sizeof(text)) != 0)
		return EXIT_TROUBLE;
	if (print_list(text) != 0) {
		fprintf(stderr, "lkey-keygen: cannot write the list to "
		    "standard output\n");
		return EXIT_TROUBLE;
	}
	return 0;
}

int
cmd_revoke(int argc, char **argv)
{
	enum {
		O_SECRET, O_SERIALS, O_SEQUENCE, O_ISSUED, O_ONLY, O_LEDGER,
		O_NO_LEDGER, O_HELP, O_COUNT
	};
	static const char *const opts[O_COUNT] = {
		"secret", "serials", "sequence", "issued", "only", "ledger",
		"no-ledger", "help",
	};
	static struct item items[LKEY_REVOKED_MAX];
	char err[1024], lbuf[4096];
	const char *lpath;
	lkey_vendor_key *key;
	struct stat sb;
	lkey_day issued;
	ledger *l = NULL;
	uint32_t id, last, seq, given = 0;
	uint64_t v;
	size_t n = 0;
	int rc;
	args a;

	if (cmd_args(argc, argv, opts, O_COUNT, false, &a))
		return cmd_help(help);
	if (!a.seen[O_SECRET] || a.value[O_SECRET][0] == '\0')
		cli_usage("revoke needs --secret FILE");
	if (a.seen[O_SEQUENCE]) {
		v = cli_number("--sequence", a.value[O_SEQUENCE], 1,
		    UINT32_MAX);
		given = (uint32_t)v;
	}
	if (a.seen[O_ONLY] && !a.seen[O_SERIALS])
		cli_usage("--only needs --serials: the licences the list is "
		    "to hold");
	issued = issued_day(a.value[O_ISSUED],
	    lkey_day_from_unix((int64_t)time(NULL)));
	lpath = ledger_path(a.value[O_SECRET], a.value[O_LEDGER],
	    a.seen[O_NO_LEDGER], lbuf, sizeof(lbuf));
	/*
	 * The ledger beside the key, unless there is none (keys issued
	 * without a ledger); one named with --ledger must be there.
	 */
	if (lpath != NULL && a.value[O_LEDGER] == NULL &&
	    lstat(lpath, &sb) != 0 && errno == ENOENT)
		lpath = NULL;
	if (lpath == NULL && !a.seen[O_SERIALS])
		cli_usage("revoke needs --serials: the serials of the licences "
		    "to revoke, comma-separated (without a ledger, a list "
		    "holds only those)");
	if (lpath == NULL && !a.seen[O_SEQUENCE])
		cli_usage("revoke needs --sequence N, higher than that of the "
		    "last list (without a ledger nothing records it)");
	if (a.seen[O_SERIALS] && parse_serials(a.value[O_SERIALS], items, &n,
	    err, sizeof(err)) != 0)
		cli_usage(err);
	check_given(items, n);

	/* The key id, from the file's header: no passphrase yet. */
	if (keyfile_key_id(a.value[O_SECRET], &id, err, sizeof(err)) != 0)
		cli_die(EXIT_TROUBLE, "%s; nothing signed", err);
	check_own(items, n, id);
	if (lpath != NULL) {
		if (ledger_open(lpath, false, &l, err, sizeof(err)) != 0)
			cli_die(EXIT_TROUBLE, "%s; nothing signed", err);
		/*
		 * As cmd_ledger_open does: a reader that goes away must not
		 * end the program between the commit and the print, unseen;
		 * the write fails and the list is said to be recorded.
		 */
		(void)signal(SIGPIPE, SIG_IGN);
		check_issued(l, items, n, id);
		/* Refused now, before the passphrase; checked again below. */
		if (ledger_last_list(l, &last, err, sizeof(err)) != 0)
			cli_die(EXIT_TROUBLE, "%s; nothing signed", err);
		if (sequence_after(l, last, given, &seq, err,
		    sizeof(err)) != 0)
			cli_die(EXIT_TROUBLE, "%s", err);
	}

	/* Only now, with every input known good, touch the secret key. */
	if ((key = cmd_secret_key(a.value[O_SECRET], "; nothing signed")) ==
	    NULL) {
		ledger_close(l);
		return EXIT_TROUBLE;
	}
	if (key->pub.id != id) {
		fprintf(stderr, "lkey-keygen: %s: the file changed while it "
		    "was read (key id %08" PRIx32 ", then %08" PRIx32 "); "
		    "nothing signed\n", a.value[O_SECRET], id, key->pub.id);
		rc = EXIT_TROUBLE;
	} else if (l != NULL)
		rc = revoke_with_ledger(l, key, given, issued, a.seen[O_ONLY],
		    items, n);
	else
		rc = revoke_plain(key, given, issued, items, n);
	sodium_free(key);
	ledger_close(l);
	return rc;
}
