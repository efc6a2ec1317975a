/*
 * revoke.c - lkey-keygen revoke: a revocation list signed with the secret
 * key, printed on standard output
 *
 * Every serial is checked before the key is loaded: each given once, and
 * each of this key's serials found in the ledger as issued with this key,
 * so that a typo revokes nobody's licence and the list names no licence
 * that never was. The list is checked with the customer-side code before
 * it is printed (lkey_revocations_issue).
 */
#include <sys/stat.h>

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "commands.h"
#include "keyfile.h"
#include "ledger.h"
#include "msg.h"
#include "num.h"

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

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
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
		if (colon != NULL && num_key_id(one, (size_t)(colon - one),
		    &items[k].key_id) != 0)
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
	    "from 0 to 4294967295) or KEYID:SERIAL (8 lowercase hex digits, a "
	    "colon, a serial)", msg_show(p, len, sh));
	return -1;
}

/* What the ledger says of the list's serials of this key. */
enum { NOT_SEEN = 0, ISSUED, OTHER_KEY };

struct seen {
	uint32_t key_id;	/* of --secret */
	const uint32_t *serial;	/* the list's serials of it, sorted */
	size_t n;
	unsigned char *state;	/* per serial */
	uint32_t *other;	/* OTHER_KEY: the key id the line names */
	bool *other_known;	/* the line names one */
};

static void
ledger_line(uint32_t serial, bool has_id, uint32_t key_id, void *arg)
{
	struct seen *s = arg;
	const uint32_t *hit;
	size_t i;

	hit = bsearch(&serial, s->serial, s->n, sizeof(*s->serial), cmp_u32);
	if (hit == NULL)
		return;
	i = (size_t)(hit - s->serial);
	if (has_id && key_id == s->key_id)
		s->state[i] = ISSUED;
	else if (s->state[i] == NOT_SEEN) {
		s->state[i] = OTHER_KEY;
		s->other[i] = key_id;
		s->other_known[i] = has_id;
	}
}

/*
 * Every serial of the list signed by this key must be in the ledger, as
 * issued with this key: one that is not is a typo. 0, or -1 with one line
 * in err (the first such serial, and how many more).
 */
static int
check_ledger(const char *path, struct seen *s, char *err, size_t errcap)
{
	char why[512], more[64];
	size_t i, bad = 0, first = 0;

	if (ledger_each(path, ledger_line, s, why, sizeof(why)) != 0) {
		snprintf(err, errcap, "%s; nothing signed", why);
		return -1;
	}
	for (i = s->n; i-- > 0;)
		if (s->state[i] != ISSUED) {
			first = i;
			bad++;
		}
	if (bad == 0)
		return 0;
	more[0] = '\0';
	if (bad > 1)
		snprintf(more, sizeof(more), "; nor %s %zu more of --serials",
		    bad == 2 ? "was" : "were", bad - 1U);
	if (s->state[first] == NOT_SEEN)
		snprintf(err, errcap, "serial %" PRIu32 " was never issued "
		    "(not in %s)%s", s->serial[first], path, more);
	else if (s->other_known[first])
		snprintf(err, errcap, "serial %" PRIu32 " was not issued with "
		    "this key, %08" PRIx32 " (%s records key id %08" PRIx32
		    ": give %08" PRIx32 ":%" PRIu32 ")%s", s->serial[first],
		    s->key_id, path, s->other[first], s->other[first],
		    s->serial[first], more);
	else
		snprintf(err, errcap, "serial %" PRIu32 " was not issued with "
		    "this key, %08" PRIx32 " (%s records it without a key "
		    "id)%s", s->serial[first], s->key_id, path, more);
	return -1;
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

static const char help[] =
    "usage: lkey-keygen revoke --secret FILE --serials LIST --sequence N\n"
    "                   [--issued YYYY-MM-DD] [--ledger FILE | --no-ledger]"
    "\n\nPrints a signed revocation list of the licences in LIST: serials "
    "of keys\nsigned by the --secret key, or KEYID:SERIAL for an earlier "
    "key, comma-\nseparated (none: a list that revokes nothing); see "
    "lkey-keygen(1).\n";

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

/* The serials of key `id` must be in the ledger at path, as issued. */
static void
check_issued(const char *path, const struct item *items, size_t n,
    uint32_t id)
{
	static uint32_t own[LKEY_REVOKED_MAX], other[LKEY_REVOKED_MAX];
	static unsigned char state[LKEY_REVOKED_MAX];
	static bool other_known[LKEY_REVOKED_MAX];
	char err[1024];
	struct seen seen;
	size_t i, nown = 0;

	for (i = 0; i < n; i++)
		if (items[i].key_id == id)
			own[nown++] = items[i].serial;
	memset(state, NOT_SEEN, nown);
	seen.key_id = id;
	seen.serial = own;
	seen.n = nown;
	seen.state = state;
	seen.other = other;
	seen.other_known = other_known;
	if (check_ledger(path, &seen, err, sizeof(err)) != 0)
		cli_die(EXIT_TROUBLE, "%s", err);
}

/*
 * Signs the list with the key of `secret`, which must still be key `id`,
 * checks it and prints it. The exit status.
 */
static int
sign_list(const char *secret, uint32_t id, uint32_t sequence,
    lkey_day issued, const struct item *items, size_t n)
{
	static lkey_revoked list[LKEY_REVOKED_MAX];
	static char text[LKEY_REVOCATIONS_TEXT_CAP];
	lkey_vendor_key *key;
	lkey_issue_status st;
	size_t i, len;
	int rc = EXIT_TROUBLE;

	for (i = 0; i < n; i++) {
		list[i].key_id = items[i].key_id;
		list[i].serial = items[i].serial;
	}
	/* Only now, with every input known good, touch the secret key. */
	if ((key = cmd_secret_key(secret, "; nothing signed")) == NULL)
		return EXIT_TROUBLE;
	if (key->pub.id != id) {
		fprintf(stderr, "lkey-keygen: %s: the file changed while it "
		    "was read (key id %08" PRIx32 ", then %08" PRIx32 "); "
		    "nothing signed\n", secret, id, key->pub.id);
		goto out;
	}
	st = lkey_revocations_issue(key, sequence, issued, list, n, text,
	    sizeof(text));
	if (st != LKEY_ISSUE_OK) {
		fprintf(stderr, "lkey-keygen: %s\n",
		    st == LKEY_ISSUE_SELF_CHECK ? "the signed list failed its "
		    "check with the customer-side code (not printed)" :
		    lkey_issue_status_text(st));
		goto out;
	}
	len = strlen(text);
	if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0) {
		fprintf(stderr, "lkey-keygen: cannot write the list to "
		    "standard output\n");
		goto out;
	}
	rc = 0;
out:
	sodium_free(key);
	return rc;
}

int
cmd_revoke(int argc, char **argv)
{
	enum {
		O_SECRET, O_SERIALS, O_SEQUENCE, O_ISSUED, O_LEDGER,
		O_NO_LEDGER, O_HELP, O_COUNT
	};
	static const char *const opts[O_COUNT] = {
		"secret", "serials", "sequence", "issued", "ledger",
		"no-ledger", "help",
	};
	static struct item items[LKEY_REVOKED_MAX];
	char err[1024], lbuf[4096];
	const char *lpath;
	struct stat sb;
	lkey_day issued;
	uint32_t id;
	uint64_t v;
	size_t n;
	args a;

	if (cmd_args(argc, argv, opts, O_COUNT, false, &a))
		return cmd_help(help);
	if (!a.seen[O_SECRET] || a.value[O_SECRET][0] == '\0')
		cli_usage("revoke needs --secret FILE");
	if (!a.seen[O_SERIALS])
		cli_usage("revoke needs --serials: the serials of the licences "
		    "to revoke, comma-separated");
	if (!a.seen[O_SEQUENCE])
		cli_usage("revoke needs --sequence N, higher than that of the "
		    "last list");
	if (num_text(a.value[O_SEQUENCE], 1, UINT32_MAX, &v) != 0)
		cli_usage("--sequence must be a whole number from 1 to "
		    "4294967295");
	issued = issued_day(a.value[O_ISSUED],
	    lkey_day_from_unix((int64_t)time(NULL)));
	lpath = ledger_path(a.value[O_SECRET], a.value[O_LEDGER],
	    a.seen[O_NO_LEDGER], lbuf, sizeof(lbuf));
	if (parse_serials(a.value[O_SERIALS], items, &n, err,
	    sizeof(err)) != 0)
		cli_usage(err);
	check_given(items, n);

	/* The key id, from the file's header: no passphrase yet. */
	if (keyfile_key_id(a.value[O_SECRET], &id, err, sizeof(err)) != 0)
		cli_die(EXIT_TROUBLE, "%s; nothing signed", err);
	check_own(items, n, id);
	/*
	 * The ledger beside the key, unless there is none (keys issued
	 * without a ledger); one named with --ledger must be there.
	 */
	if (lpath != NULL && a.value[O_LEDGER] == NULL &&
	    lstat(lpath, &sb) != 0 && errno == ENOENT)
		lpath = NULL;
	if (lpath != NULL)
		check_issued(lpath, items, n, id);
	return sign_list(a.value[O_SECRET], id, (uint32_t)v, issued, items,
	    n);
}
