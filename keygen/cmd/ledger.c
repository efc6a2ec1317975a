/*
 * ledger.c - lkey-keygen ledger: the keys of the issuance ledger, looked
 * up by order, serial, licensee, key id, end of their periods or
 * revocation, as text, JSON lines or key texts; the revocation lists it
 * recorded; `ledger import` (a JSON-lines ledger of lkey 1 and 2) and
 * `ledger export` (the whole ledger as JSON lines or CSV)
 *
 * Queries only read the ledger; a missing one is an error, never created.
 * JSON lines use the names and shapes of `lkey-verify --json` for the
 * terms, so that one reader serves both; CSV text fields go through
 * csv_text, which a spreadsheet never takes for a formula.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "commands.h"
#include "csvout.h"
#include "jsonout.h"
#include "ledger.h"
#include "msg.h"
#include "num.h"
#include "ring.h"
#include "termsjson.h"
#include "utf8.h"

/* A record as one JSON object: the terms, a key, an order id, a licensee
 * escaped six times over at worst; far less in practice. */
#define JSON_LINE_CAP 16384U
/* "2026-11-23T11:22:53Z" and its NUL, with room the compiler can see. */
#define TIME_TEXT_CAP 32U
/* "31=4294967295," 32 times, or catalog names. */
#define MODULES_CAP 1536U

/* What a query prints, and how. */
enum form { FORM_TEXT, FORM_JSON, FORM_KEYS, FORM_CSV };

struct out {
	enum form form;
	const struct catalog *cat;
	bool failed;		/* a record could not be written */
};

/* "2026-11-23T11:22:53Z": a time in UTC. */
static void
time_text(int64_t t, char out[TIME_TEXT_CAP])
{
	char day[11];
	int64_t sod = t % 86400;

	if (sod < 0)
		sod += 86400;
	lkey_day_format(lkey_day_from_unix(t), day);
	(void)snprintf(out, TIME_TEXT_CAP, "%.10sT%02d:%02d:%02dZ", day,
	    (int)(sod / 3600), (int)(sod / 60 % 60), (int)(sod % 60));
}

/* A feature's catalog name, else its bit number, into num's room. */
static const char *
feature_name(const struct catalog *cat, uint32_t bit, char num[12])
{
	const char *name = catalog_name(cat, CATALOG_FEATURE, bit);

	if (name != NULL)
		return name;
	(void)snprintf(num, 12, "%" PRIu32, bit);
	return num;
}

/* "payroll=5,reports=10": each module's own seat count; "" for none. */
static void
modules_text(const struct catalog *cat, const lkey_license *lic,
    char out[MODULES_CAP])
{
	size_t len = 0;
	uint32_t bit;
	char num[12];
	int n;

	out[0] = '\0';
	for (bit = 0; bit < LKEY_FEATURES_MAX; bit++) {
		if (lic->module_seats[bit] == 0)
			continue;
		n = snprintf(out + len, MODULES_CAP - len, "%s%s=%" PRIu32,
		    len > 0 ? "," : "", feature_name(cat, bit, num),
		    lic->module_seats[bit]);
		if (n < 0 || (size_t)n >= MODULES_CAP - len)
			return;
		len += (size_t)n;
	}
}

/* ---- JSON lines --------------------------------------------------------- */

/* One record as one JSON object, the terms named as lkey-verify --json
 * names them. Returns its length, or 0 if it could not be written. */
static size_t
json_record(const ledger_rec *r, const struct catalog *cat, char *buf,
    size_t cap)
{
	const lkey_license *lic = &r->lic;
	char hex[CLI_HOST_HEX], when[TIME_TEXT_CAP], num[12], ref[24];
	uint32_t bit;
	jsonout j;

	jsonout_init(&j, buf, cap);
	jsonout_object(&j, NULL);
	terms_json_name(&j, "product", cat, CATALOG_PRODUCT, lic->product);
	terms_json_name(&j, "edition", cat, CATALOG_EDITION, lic->edition);
	if (lic->seats == LKEY_SEATS_UNLIMITED)
		jsonout_str(&j, "seats", "unlimited");
	else
		jsonout_uint(&j, "seats", lic->seats);
	jsonout_day(&j, "starts", lic->starts);
	jsonout_day(&j, "license_expires", lic->expires);
	jsonout_day(&j, "maintenance_expires", lic->maintenance);
	jsonout_uint(&j, "serial", lic->serial);
	terms_json_features(&j, "features", lic->features, cat);
	terms_json_features(&j, "maintenance_features", lic->maintenance_features,
	    cat);
	if (lic->licensee_len > 0)
		jsonout_str(&j, "licensee", lic->licensee);
	else
		jsonout_null(&j, "licensee");
	(void)snprintf(hex, sizeof(hex), "%08" PRIx32, lic->key_id);
	jsonout_str(&j, "key_id", hex);
	if (lic->host_bound) {
		cli_host_format(lic->host, hex);
		jsonout_str(&j, "host", hex);
	} else
		jsonout_null(&j, "host");
	jsonout_day(&j, "issued", lic->issued);
	jsonout_bool(&j, "trial", lic->trial);
	jsonout_uint(&j, "grace_days", lic->grace_days);
	jsonout_uint(&j, "notice_days", lic->notice_days);
	jsonout_object(&j, "module_seats");
	for (bit = 0; bit < LKEY_FEATURES_MAX; bit++)
		if (lic->module_seats[bit] != 0)
			jsonout_uint(&j, feature_name(cat, bit, num),
			    lic->module_seats[bit]);
	jsonout_close(&j);
	if (r->order != NULL)
		jsonout_str(&j, "order", r->order);
	else
		jsonout_null(&j, "order");
	jsonout_str(&j, "key", r->key);
	time_text(r->time, when);
	jsonout_str(&j, "recorded", when);
	if (r->replaces) {
		(void)snprintf(ref, sizeof(ref), "%08" PRIx32 ":%" PRIu32,
		    r->replaces_key_id, r->replaces_serial);
		jsonout_str(&j, "replaces", ref);
	} else
		jsonout_null(&j, "replaces");
	if (r->revoked)
		jsonout_uint(&j, "revoked", r->revoked_sequence);
	else
		jsonout_null(&j, "revoked");
	jsonout_bool(&j, "replaced", r->replaced);
	jsonout_close(&j);
	return jsonout_finish(&j);
}

/* ---- CSV ---------------------------------------------------------------- */

/* The CSV columns: the names of the JSON lines, in their order. */
static const char csv_header[] =
    "product,edition,seats,starts,license_expires,maintenance_expires,"
    "serial,features,maintenance_features,licensee,key_id,host,issued,"
    "trial,grace_days,notice_days,module_seats,order,key,recorded,"
    "replaces,revoked,replaced\n";

/* A catalog name (a text field) or a number, then a comma. */
static int
csv_name(FILE *f, const struct catalog *cat, catalog_kind kind, uint32_t v)
{
	const char *name = catalog_name(cat, kind, v);

	if (name != NULL)
		return csv_text(f, name) != 0 || putc(',', f) == EOF ? -1 : 0;
	return fprintf(f, "%" PRIu32 ",", v) < 0 ? -1 : 0;
}

/* A text field, then a comma (or the line end with `last`). */
static int
csv_field(FILE *f, const char *s, bool last)
{
	if (csv_text(f, s) != 0)
		return -1;
	return putc(last ? '\n' : ',', f) == EOF ? -1 : 0;
}

/*
 * One record as one CSV row; lists as "a,b" in one field, empty for null.
 * Text that comes from people (names, order ids, the licensee, lists of
 * names) goes through csv_text; the key (base64, which never begins with
 * a formula's character: its first byte is the format's version), hex ids,
 * numbers and dates are written as they are. 0, or -1 when a write failed.
 */
static int
csv_record(FILE *f, const ledger_rec *r, const struct catalog *cat)
{
	const lkey_license *lic = &r->lic;
	char feats[CATALOG_FEATURES_TEXT_MAX];
	char mfeats[CATALOG_FEATURES_TEXT_MAX];
	char mods[MODULES_CAP], hex[CLI_HOST_HEX], kid[9], when[TIME_TEXT_CAP];
	char day[4][11], ref[24], rev[12];

	(void)catalog_features_format(cat, lic->features, feats,
	    sizeof(feats));
	(void)catalog_features_format(cat, lic->maintenance_features, mfeats,
	    sizeof(mfeats));
	modules_text(cat, lic, mods);
	(void)snprintf(kid, sizeof(kid), "%08" PRIx32, lic->key_id);
	hex[0] = '\0';
	if (lic->host_bound)
		cli_host_format(lic->host, hex);
	lkey_day_format(lic->starts, day[0]);
	lkey_day_format(lic->expires, day[1]);
	lkey_day_format(lic->maintenance, day[2]);
	lkey_day_format(lic->issued, day[3]);
	time_text(r->time, when);
	ref[0] = '\0';
	if (r->replaces)
		(void)snprintf(ref, sizeof(ref), "%08" PRIx32 ":%" PRIu32,
		    r->replaces_key_id, r->replaces_serial);
	rev[0] = '\0';
	if (r->revoked)
		(void)snprintf(rev, sizeof(rev), "%" PRIu32,
		    r->revoked_sequence);
	if (csv_name(f, cat, CATALOG_PRODUCT, lic->product) != 0 ||
	    csv_name(f, cat, CATALOG_EDITION, lic->edition) != 0)
		return -1;
	if (lic->seats == LKEY_SEATS_UNLIMITED ?
	    fputs("unlimited,", f) == EOF :
	    fprintf(f, "%" PRIu32 ",", lic->seats) < 0)
		return -1;
	if (fprintf(f, "%s,%s,%s,%" PRIu32 ",", day[0], day[1], day[2],
	    lic->serial) < 0 ||
	    csv_field(f, feats, false) != 0 ||
	    csv_field(f, mfeats, false) != 0 ||
	    csv_field(f, lic->licensee_len > 0 ? lic->licensee : "",
	    false) != 0 ||
	    fprintf(f, "%s,%s,%s,%s,%" PRIu32 ",%" PRIu32 ",", kid, hex,
	    day[3], lic->trial ? "true" : "false", lic->grace_days,
	    lic->notice_days) < 0 ||
	    csv_field(f, mods, false) != 0 ||
	    csv_field(f, r->order != NULL ? r->order : "", false) != 0 ||
	    fprintf(f, "%s,", r->key) < 0 ||
	    fprintf(f, "%s,%s,%s,%s\n", when, ref, rev,
	    r->replaced ? "true" : "false") < 0)
		return -1;
	return 0;
}

/* ---- text --------------------------------------------------------------- */

/*
 * Text from the ledger (an order id, a licensee) for a terminal: control
 * characters, DEL and the C1 controls as \xNN, so that a recorded text
 * cannot send escape sequences; a character that would change how the
 * text is shown (utf8_shown_check: a right-to-left override, ...) as
 * <U+202E>, as lkey-verify's screen shows it; everything else as it is.
 */
static void
put_shown(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	char one[32];
	size_t n;

	for (; *p != '\0'; p++) {
		if (*p < 0x20U || *p == 0x7fU)
			fprintf(f, "\\x%02x", *p);
		else if (*p == 0xc2U && p[1] >= 0x80U && p[1] <= 0x9fU) {
			fprintf(f, "\\xc2\\x%02x", p[1]);
			p++;
		} else if (*p == '\\')
			fputs("\\\\", f);
		else if (*p >= 0x80U && (n = utf8_len(p, strlen((const char *)
		    p))) > 1) {
			utf8_shown((const char *)p, n, one, sizeof(one));
			fputs(one, f);
			p += n - 1;
		} else
			putc(*p, f);
	}
}

/* A catalog name or the number, after `what` ("product "). */
static void
put_name(FILE *f, const char *what, const struct catalog *cat,
    catalog_kind kind, uint32_t v)
{
	const char *name = catalog_name(cat, kind, v);

	if (name != NULL)
		fprintf(f, "%s%s", what, name);
	else
		fprintf(f, "%s%" PRIu32, what, v);
}

/*
 * One readable line per key: "serial 1001, key id 277e0164, order A-17,
 * recorded 2026-11-23T11:22:53Z, product 1, edition 2, 25 seats, from
 * 2027-01-01 to 2027-12-31, maintenance to 2027-12-31, licensee ACME,
 * revoked in list 4: KEY". The key is after the last ": ".
 */
static void
text_record(FILE *f, const ledger_rec *r, const struct catalog *cat)
{
	const lkey_license *lic = &r->lic;
	char a[11], b[11], when[TIME_TEXT_CAP], list[MODULES_CAP];
	char hex[CLI_HOST_HEX];

	time_text(r->time, when);
	fprintf(f, "serial %" PRIu32 ", key id %08" PRIx32 ", ", lic->serial,
	    lic->key_id);
	if (r->order != NULL) {
		fputs("order ", f);
		put_shown(f, r->order);
	} else
		fputs("no order", f);
	fprintf(f, ", recorded %s, ", when);
	put_name(f, "product ", cat, CATALOG_PRODUCT, lic->product);
	put_name(f, ", edition ", cat, CATALOG_EDITION, lic->edition);
	if (lic->seats == LKEY_SEATS_UNLIMITED)
		fputs(", unlimited seats", f);
	else
		fprintf(f, ", %" PRIu32 " seat%s", lic->seats,
		    lic->seats == 1 ? "" : "s");
	lkey_day_format(lic->starts, a);
	lkey_day_format(lic->expires, b);
	fprintf(f, ", from %s to %s", a, b);
	lkey_day_format(lic->maintenance, b);
	fprintf(f, ", maintenance to %s", b);
	if (lic->trial)
		fputs(", trial", f);
	if (lic->features != 0 && catalog_features_format(cat,
	    lic->features, list, sizeof(list)) > 0)
		fprintf(f, ", features %s", list);
	modules_text(cat, lic, list);
	if (list[0] != '\0')
		fprintf(f, ", module seats %s", list);
	if (lic->host_bound) {
		cli_host_format(lic->host, hex);
		fprintf(f, ", host %s", hex);
	}
	if (lic->licensee_len > 0) {
		fputs(", licensee ", f);
		put_shown(f, lic->licensee);
	}
	if (r->replaces)
		fprintf(f, ", replaces %08" PRIx32 ":%" PRIu32,
		    r->replaces_key_id, r->replaces_serial);
	if (r->revoked)
		fprintf(f, ", revoked in list %" PRIu32, r->revoked_sequence);
	if (r->replaced)
		fputs(", replaced", f);
	fprintf(f, ": %s\n", r->key);
}

/* ---- queries ------------------------------------------------------------ */

static int
print_record(void *arg, const ledger_rec *r)
{
	static char buf[JSON_LINE_CAP];
	struct out *o = arg;
	size_t len;

	switch (o->form) {
	case FORM_KEYS:
		if (fputs(r->key, stdout) == EOF || putchar('\n') == EOF)
			o->failed = true;
		break;
	case FORM_JSON:
		len = json_record(r, o->cat, buf, sizeof(buf));
		if (len == 0) {
			fprintf(stderr, "lkey-keygen: the key with serial %"
			    PRIu32 " of key id %08" PRIx32 " could not be "
			    "written as JSON (a text in the ledger is not "
			    "UTF-8)\n", r->lic.serial, r->lic.key_id);
			o->failed = true;
			return -1;
		}
		buf[len++] = '\n';
		if (fwrite(buf, 1, len, stdout) != len)
			o->failed = true;
		break;
	case FORM_CSV:
		if (csv_record(stdout, r, o->cat) != 0)
			o->failed = true;
		break;
	case FORM_TEXT:
		text_record(stdout, r, o->cat);
		break;
	}
	if (o->failed || ferror(stdout))
		cli_die(EXIT_TROUBLE, "cannot write to standard output");
	return 0;
}

/* A revoked licence, as --revoked alone prints it. */
static int
print_revocation(void *arg, const ledger_revocation *r)
{
	static char buf[512];
	const struct out *o = arg;
	char when[TIME_TEXT_CAP], kid[9];
	size_t len;
	jsonout j;

	time_text(r->time, when);
	if (o->form == FORM_JSON) {
		(void)snprintf(kid, sizeof(kid), "%08" PRIx32, r->key_id);
		jsonout_init(&j, buf, sizeof(buf));
		jsonout_object(&j, NULL);
		jsonout_str(&j, "key_id", kid);
		jsonout_uint(&j, "serial", r->serial);
		jsonout_uint(&j, "revoked", r->sequence);
		jsonout_str(&j, "recorded", when);
		jsonout_bool(&j, "issued", r->issued);
		jsonout_close(&j);
		len = jsonout_finish(&j);
		if (len > 0)
			printf("%s\n", buf);
	} else
		printf("%08" PRIx32 ":%" PRIu32 " revoked in list %" PRIu32
		    ", recorded %s, %s\n", r->key_id, r->serial, r->sequence,
		    when, r->issued ? "issued by this ledger" :
		    "not issued by this ledger");
	if (ferror(stdout))
		cli_die(EXIT_TROUBLE, "cannot write to standard output");
	return 0;
}

/* --ends-after, --ends-before: a real day, not never. */
static lkey_day
day_option(const char *name, const char *s)
{
	char msg[256], sh[MSG_SHOW_CAP];
	lkey_day d;

	if (!lkey_day_parse(s, &d) || d > LKEY_DAY_MAX) {
		(void)snprintf(msg, sizeof(msg), "--%s: '%s' is not a date as "
		    "YYYY-MM-DD", name, msg_show(s, strlen(s), sh));
		cli_usage(msg);
	}
	return d;
}

/* The ledger --ledger or --secret names, opened; a missing one is an
 * error unless `create`. */
static ledger *
open_ledger(const char *given, const char *secret, bool create)
{
	static char buf[4096];
	char err[1024];
	const char *where;
	ledger *l;

	if (given != NULL && secret != NULL)
		cli_usage("give --ledger WHERE or --secret FILE (the ledger "
		    "beside it), not both");
	if (given == NULL && secret == NULL)
		cli_usage("which ledger? give --ledger WHERE, or --secret FILE "
		    "for the ledger beside it");
	if ((given != NULL && given[0] == '\0') ||
	    (secret != NULL && secret[0] == '\0'))
		cli_usage("--ledger and --secret need a file");
	where = ledger_path(secret != NULL ? secret : "", given, false, buf,
	    sizeof(buf));
	if (ledger_open(where, create, &l, err, sizeof(err)) != 0)
		cli_die(EXIT_TROUBLE, "%s", err);
	return l;
}

static void
finish_output(ledger *l)
{
	ledger_close(l);
	if (fflush(stdout) != 0 || ferror(stdout))
		cli_die(EXIT_TROUBLE, "cannot write to standard output");
}

/* ---- import and export -------------------------------------------------- */

static const char import_help[] =
    "usage: lkey-keygen ledger import FILE --pubkey FILE [--pubkey FILE]...\n"
    "                   [--ledger WHERE | --secret FILE]\n\nRecords the keys "
    "of a ledger in JSON lines, what `ledger export` writes or the\nledger "
    "of lkey 1 and 2 (- for standard input), in the ledger, all or none; a\n"
    "key recorded already is left as it is. Every key must verify with one "
    "of the\npublic keys given. See lkey-keygen(1).\n";

/*
 * The public keys of every --pubkey file (key rings too), each key id
 * once; any problem ends the program.
 */
static size_t
import_keys(const args *a, size_t opt, const lkey_pubkey **keys)
{
	static ring_set set;
	ring_where where;
	ring_result rc;
	size_t i;

	ring_set_init(&set);
	for (i = 0; i < a->nmulti; i++) {
		if (a->multi_spec[i] != opt)
			continue;
		if ((rc = ring_set_add(&set, a->multi[i], &where)) == RING_OK)
			continue;
		if (rc == RING_UNREADABLE || rc == RING_TOO_BIG)
			cli_die(EXIT_TROUBLE, "--pubkey %s: %s", where.file,
			    where.err);
		if (rc == RING_BAD_FILE)
			cli_die(EXIT_TROUBLE, "--pubkey %s: %s", where.file,
			    pubkey_ring_result_text(where.parse));
		if (rc == RING_SAME_FILE || rc == RING_IN_BOTH)
			cli_usage("--pubkey: a file or a key id given twice");
		cli_usage("--pubkey: too many public keys");
	}
	*keys = set.key;
	return set.n;
}

static int
cmd_import(int argc, char **argv)
{
	enum { O_LEDGER, O_SECRET, O_PUBKEY, O_HELP, O_COUNT };
	static const char *const opts[O_COUNT] = { "ledger", "secret",
		"pubkey", "help" };
	char err[1024], sh[MSG_SHOW_CAP];
	unsigned long added = 0, same = 0;
	const lkey_pubkey *keys;
	const char *name;
	size_t nkeys;
	ledger *l;
	FILE *in;
	args a;

	if (cmd_args(argc, argv, opts, O_COUNT, true, &a))
		return cmd_help(import_help);
	if (a.npos != 1)
		cli_usage("ledger import takes one file: a JSON-lines ledger, "
		    "or - for standard input");
	if (!a.seen[O_PUBKEY])
		cli_usage("ledger import needs --pubkey FILE: the public key "
		    "(or key ring) of the vendor keys that signed the keys, "
		    "each checked before it is recorded");
	nkeys = import_keys(&a, O_PUBKEY, &keys);
	name = a.pos[0];
	if (strcmp(name, "-") == 0) {
		in = stdin;
		name = "standard input";
	} else if ((in = fopen(name, "r")) == NULL)
		cli_die(EXIT_TROUBLE, "%s: cannot open it to import",
		    msg_show(name, strlen(name), sh));
	l = open_ledger(a.value[O_LEDGER], a.value[O_SECRET], true);
	if (ledger_import(l, in, name, keys, nkeys, &added, &same, err,
	    sizeof(err)) != 0) {
		ledger_close(l);
		cli_die(EXIT_TROUBLE, "%s%s", err, strstr(err,
		    "nothing imported") != NULL ? "" : "; nothing imported");
	}
	fprintf(stderr, "lkey-keygen: imported %lu key%s into %s (%lu %s "
	    "there already)\n", added, added == 1 ? "" : "s", ledger_name(l),
	    same, same == 1 ? "was" : "were");
	ledger_close(l);
	if (in != stdin)
		(void)fclose(in);
	return 0;
}

static const char export_help[] =
    "usage: lkey-keygen ledger export [--format jsonl|csv] [--catalog FILE]"
    "\n                   [--ledger WHERE | --secret FILE]\n\nPrints every "
    "key of the ledger as JSON lines (the names of lkey-verify\n--json) or "
    "as CSV with a header; see lkey-keygen(1).\n";

static int
cmd_export(int argc, char **argv)
{
	enum { O_LEDGER, O_SECRET, O_FORMAT, O_CATALOG, O_HELP, O_COUNT };
	static const char *const opts[O_COUNT] = {
		"ledger", "secret", "format", "catalog", "help"
	};
	char err[1024];
	ledger_query q;
	struct out o;
	ledger *l;
	args a;

	if (cmd_args(argc, argv, opts, O_COUNT, false, &a))
		return cmd_help(export_help);
	memset(&o, 0, sizeof(o));
	o.form = FORM_JSON;
	if (a.seen[O_FORMAT]) {
		if (strcmp(a.value[O_FORMAT], "csv") == 0)
			o.form = FORM_CSV;
		else if (strcmp(a.value[O_FORMAT], "jsonl") != 0)
			cli_usage("--format must be jsonl or csv");
	}
	o.cat = cli_catalog(a.value[O_CATALOG]);
	l = open_ledger(a.value[O_LEDGER], a.value[O_SECRET], false);
	if (o.form == FORM_CSV && fputs(csv_header, stdout) == EOF)
		cli_die(EXIT_TROUBLE, "cannot write to standard output");
	memset(&q, 0, sizeof(q));
	if (ledger_find(l, &q, print_record, &o, err, sizeof(err)) < 0) {
		ledger_close(l);
		cli_die(EXIT_TROUBLE, "%s", err);
	}
	finish_output(l);
	return 0;
}

/* ---- ledger ------------------------------------------------------------- */

static const char help[] =
    "usage: lkey-keygen ledger [--ledger WHERE | --secret FILE]\n"
    "                   [--order ID] [--serial N] [--licensee TEXT]\n"
    "                   [--key-id ID] [--ends-after YYYY-MM-DD]\n"
    "                   [--ends-before YYYY-MM-DD] [--revoked]\n"
    "                   [--json | --keys] [--catalog FILE]\n"
    "       lkey-keygen ledger --list N [--ledger WHERE | --secret FILE]\n"
    "\nPrints the keys of the issuance ledger that match every lookup "
    "given (all\nwithout one), or recorded revocation list N. "
    "`lkey-keygen ledger import`\ntakes in a JSON-lines ledger of lkey 1 "
    "and 2, `lkey-keygen ledger export`\nwrites the whole ledger out (see "
    "their --help); see lkey-keygen(1).\n";

/*
 * The one line of a lookup that matched nothing: "LEDGER: no key with
 * order A-17", or "... matches every lookup given" for several.
 */
static void
no_match(const ledger *l, const ledger_query *q)
{
	char what[256], sh[MSG_SHOW_CAP];
	int k = (q->order != NULL) + q->has_serial + (q->licensee != NULL) +
	    q->has_key_id + q->has_ends + q->revoked;

	if (k > 1)
		(void)snprintf(what, sizeof(what), "matches every lookup "
		    "given");
	else if (q->order != NULL)
		(void)snprintf(what, sizeof(what), "with order %s",
		    msg_show(q->order, strlen(q->order), sh));
	else if (q->has_serial)
		(void)snprintf(what, sizeof(what), "with serial %" PRIu32,
		    q->serial);
	else if (q->has_key_id)
		(void)snprintf(what, sizeof(what), "with key id %08" PRIx32,
		    q->key_id);
	else if (q->licensee != NULL)
		(void)snprintf(what, sizeof(what), "with a licensee holding "
		    "'%s'", msg_show(q->licensee, strlen(q->licensee), sh));
	else if (q->has_ends)
		(void)snprintf(what, sizeof(what), "has a period ending in "
		    "that range");
	else
		(void)snprintf(what, sizeof(what), "is revoked");
	fprintf(stderr, "lkey-keygen: %s: no key %s\n", ledger_name(l), what);
}

/* --list N: the recorded revocation list N, as it was signed. */
static int
print_list(ledger *l, const char *value)
{
	static char text[LKEY_REVOCATIONS_TEXT_CAP];
	char err[1024];
	uint32_t key_id;
	uint64_t v;
	bool found;

	v = cli_number("--list", value, 1, UINT32_MAX);
	if (ledger_list_text(l, (uint32_t)v, &found, &key_id, text,
	    sizeof(text), err, sizeof(err)) != 0) {
		ledger_close(l);
		cli_die(EXIT_TROUBLE, "%s", err);
	}
	if (!found) {
		fprintf(stderr, "lkey-keygen: %s: no revocation list %" PRIu64
		    " recorded\n", ledger_name(l), v);
		ledger_close(l);
		return EXIT_TROUBLE;
	}
	if (fputs(text, stdout) == EOF)
		cli_die(EXIT_TROUBLE, "cannot write to standard output");
	finish_output(l);
	return 0;
}

int
cmd_ledger(int argc, char **argv)
{
	enum {
		O_LEDGER, O_SECRET, O_ORDER, O_SERIAL, O_LICENSEE, O_KEY_ID,
		O_ENDS_AFTER, O_ENDS_BEFORE, O_REVOKED, O_JSON, O_KEYS,
		O_LIST, O_CATALOG, O_HELP, O_COUNT
	};
	static const char *const opts[O_COUNT] = {
		"ledger", "secret", "order", "serial", "licensee", "key-id",
		"ends-after", "ends-before", "revoked", "json", "keys", "list",
		"catalog", "help"
	};
	static char import_name[] = "ledger import";
	static char export_name[] = "ledger export";
	char err[1024];
	bool lookup;
	ledger_query q;
	struct out o;
	uint64_t v;
	ledger *l;
	size_t k;
	long n;
	args a;

	/* Messages name them "ledger import" and "ledger export". */
	if (argc > 2 && strcmp(argv[2], "import") == 0) {
		argv[2] = import_name;
		return cmd_import(argc - 1, argv + 1);
	}
	if (argc > 2 && strcmp(argv[2], "export") == 0) {
		argv[2] = export_name;
		return cmd_export(argc - 1, argv + 1);
	}
	if (cmd_args(argc, argv, opts, O_COUNT, false, &a))
		return cmd_help(help);
	memset(&q, 0, sizeof(q));
	memset(&o, 0, sizeof(o));
	if (a.seen[O_JSON] && a.seen[O_KEYS])
		cli_usage("give --json or --keys, not both");
	o.form = a.seen[O_JSON] ? FORM_JSON : a.seen[O_KEYS] ? FORM_KEYS :
	    FORM_TEXT;
	if (a.seen[O_LIST]) {
		for (k = 0; k < O_COUNT; k++)
			if (a.seen[k] && k != O_LIST && k != O_LEDGER &&
			    k != O_SECRET)
				cli_usage("--list prints a revocation list: "
				    "give it with --ledger or --secret only");
		return print_list(open_ledger(a.value[O_LEDGER],
		    a.value[O_SECRET], false), a.value[O_LIST]);
	}
	if (a.seen[O_ORDER]) {
		if (a.value[O_ORDER][0] == '\0')
			cli_usage("--order: an order id is not empty");
		q.order = a.value[O_ORDER];
	}
	if (a.seen[O_SERIAL]) {
		v = cli_number("--serial", a.value[O_SERIAL], 0, UINT32_MAX);
		q.has_serial = true;
		q.serial = (uint32_t)v;
	}
	if (a.seen[O_LICENSEE]) {
		if (a.value[O_LICENSEE][0] == '\0')
			cli_usage("--licensee: give some of the licensee's "
			    "name");
		q.licensee = a.value[O_LICENSEE];
	}
	if (a.seen[O_KEY_ID]) {
		q.key_id = cli_key_id("--key-id", a.value[O_KEY_ID]);
		q.has_key_id = true;
	}
	if (a.seen[O_ENDS_AFTER] || a.seen[O_ENDS_BEFORE]) {
		q.has_ends = true;
		q.ends_after = a.seen[O_ENDS_AFTER] ?
		    day_option("ends-after", a.value[O_ENDS_AFTER]) : 0;
		q.ends_before = a.seen[O_ENDS_BEFORE] ?
		    day_option("ends-before", a.value[O_ENDS_BEFORE]) :
		    LKEY_DAY_MAX;
		if (q.ends_after > q.ends_before)
			cli_usage("--ends-after is after --ends-before: no day "
			    "is in that range");
	}
	lookup = q.order != NULL || q.has_serial || q.licensee != NULL ||
	    q.has_key_id || q.has_ends;
	o.cat = cli_catalog(a.value[O_CATALOG]);
	l = open_ledger(a.value[O_LEDGER], a.value[O_SECRET], false);

	/* --revoked alone: every licence revoked, issued here or not. */
	if (a.seen[O_REVOKED] && !lookup && o.form != FORM_KEYS) {
		n = ledger_revocations(l, print_revocation, &o, err,
		    sizeof(err));
		if (n < 0) {
			ledger_close(l);
			cli_die(EXIT_TROUBLE, "%s", err);
		}
		if (n == 0)
			fprintf(stderr, "lkey-keygen: %s: no licence revoked\n",
			    ledger_name(l));
		finish_output(l);
		return n == 0 ? EXIT_TROUBLE : 0;
	}
	q.revoked = a.seen[O_REVOKED];
	n = ledger_find(l, &q, print_record, &o, err, sizeof(err));
	if (n < 0) {
		ledger_close(l);
		cli_die(EXIT_TROUBLE, "%s", err);
	}
	if (n == 0 && (lookup || q.revoked)) {
		no_match(l, &q);
		finish_output(l);
		return EXIT_TROUBLE;
	}
	finish_output(l);
	return 0;
}
