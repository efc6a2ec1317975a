/*
 * order_terms.c - the licence terms of an order, with exactly the rules of
 * `lkey-keygen issue`
 *
 * Every row of a batch and every `issue` command goes through here, so a
 * batch cannot issue a key the single command would refuse, nor the other
 * way round; only the names in the messages differ (the field, or the
 * option). Each field is checked on its own, so an order with several bad
 * fields hears of every one at once, not of one per attempt.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "catalog.h"
#include "cli.h"
#include "msg.h"
#include "num.h"
#include "order_fields.h"
#include "orders.h"
#include "utf8.h"

/* One order being turned into terms, and where to say what is wrong. */
struct terms {
	const catalog *cat;
	const order_fields *f;
	bool as_options;	/* messages name options, not fields */
	uint32_t bad;		/* fields refused (bit k: field k) */
	uint32_t kept;		/* fields kept from a recorded licence */
	lkey_license *t;
	char *err;
	size_t errcap;
	size_t used;		/* bytes of err written */
};

/* A field as messages name it: its CSV/JSON name, or the issue option. */
#define NAME(k) (c->as_options ? order_field_info[k].option : \
	order_field_info[k].name)
#define BIT(k) (UINT32_C(1) << (k))

/*
 * Field k is refused, for the reason fmt says: one more line of c->err
 * (lines end in '\n' but the last). A reason that no longer fits is left
 * out whole, never cut. Returns -1.
 */
__attribute__((format(printf, 3, 4)))
static int
fault(struct terms *c, size_t k, const char *fmt, ...)
{
	char line[1024];
	size_t len, sep;
	va_list ap;

	c->bad |= BIT(k);
	va_start(ap, fmt);
	(void)vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	len = strlen(line);
	sep = c->used > 0 ? 1 : 0;
	if (c->err == NULL || c->used + sep + len >= c->errcap)
		return -1;
	if (sep)
		c->err[c->used++] = '\n';
	memcpy(c->err + c->used, line, len + 1);
	c->used += len;
	return -1;
}

/* Whether field k is given and not refused yet. */
static bool
has(const struct terms *c, size_t k)
{
	return order_field_value(c->f, k) != NULL && !(c->bad & BIT(k));
}

/*
 * Whether field k holds a recorded licence's term, unchanged (reissue): the
 * rules of issuance that do not decide what a key may hold (names a
 * catalog gives, module seats within the licence's, characters a name may
 * show) are then not applied to it, so that a licence issued before them
 * can be signed again as it was.
 */
static bool
kept(const struct terms *c, size_t k)
{
	return (c->kept & BIT(k)) != 0;
}

/* "YYYY-MM-DD", or "never" where allowed, for field k. */
static int
day(struct terms *c, size_t k, bool never_ok, lkey_day *out)
{
	const char *s = order_field_value(c->f, k);
	char sh[MSG_SHOW_CAP];

	if (never_ok && strcmp(s, "never") == 0) {
		*out = LKEY_NEVER;
		return 0;
	}
	if (!lkey_day_parse(s, out))
		return fault(c, k, "%s: '%s' is not a real date as "
		    "YYYY-MM-DD%s", NAME(k), msg_show(s, strlen(s), sh),
		    never_ok ? " or never" : "");
	if (*out > LKEY_DAY_MAX)
		return fault(c, k, "%s: %s is after 2149-06-05, the last day a "
		    "key can carry%s", NAME(k), s,
		    never_ok ? " (use never)" : "");
	return 0;
}

/* Grace or notice days, field k. */
static int
days(struct terms *c, size_t k, uint32_t *out)
{
	const char *s = order_field_value(c->f, k);
	char sh[MSG_SHOW_CAP];
	uint64_t v;

	if (num_text(s, 0, 365, &v) != 0)
		return fault(c, k, "%s: '%s' is not a whole number of days "
		    "from 0 to 365", NAME(k), msg_show(s, strlen(s), sh));
	*out = (uint32_t)v;
	return 0;
}

static int
boolean(const char *s, bool *out)
{
	static const char *const yes[] = { "true", "1", "yes" };
	static const char *const no[] = { "false", "0", "no" };
	size_t k;

	for (k = 0; k < 3; k++) {
		if (strcasecmp(s, yes[k]) == 0) {
			*out = true;
			return 0;
		}
		if (strcasecmp(s, no[k]) == 0) {
			*out = false;
			return 0;
		}
	}
	return -1;
}

/* Every required field that is missing (and not refused already). */
static void
required(struct terms *c)
{
	size_t k;

	for (k = 0; k < ORDERS_FIELDS; k++) {
		if (!order_field_info[k].required ||
		    order_field_value(c->f, k) != NULL || (c->bad & BIT(k)))
			continue;
		if (c->as_options)
			(void)fault(c, k, "issue needs %s", NAME(k));
		else
			(void)fault(c, k, "missing field '%s'", NAME(k));
	}
}

/*
 * A product or an edition: a catalog name or a number, and with a
 * catalog that lists the kind, one it names.
 */
static void
catalog_term(struct terms *c, size_t k, catalog_kind kind, uint32_t *out)
{
	char why[512];

	if (!has(c, k))
		return;
	if (catalog_lookup(c->cat, kind, order_field_value(c->f, k), out, why,
	    sizeof(why)) != 0 || (!kept(c, k) && catalog_named(c->cat, kind,
	    *out, why, sizeof(why)) != 0))
		(void)fault(c, k, "%s: %s", NAME(k), why);
}

/*
 * Feature bits from the list of field k, each one the catalog names when
 * it lists features.
 */
static int
feature_list(struct terms *c, size_t k, const char *list, uint32_t *bits)
{
	char why[512];
	uint32_t b;

	if (catalog_features(c->cat, list, bits, why, sizeof(why)) != 0)
		return fault(c, k, "%s: %s", NAME(k), why);
	for (b = 0; b < LKEY_FEATURES_MAX && !kept(c, k); b++)
		if ((*bits & BIT(b)) && catalog_named(c->cat, CATALOG_FEATURE,
		    b, why, sizeof(why)) != 0)
			return fault(c, k, "%s: %s", NAME(k), why);
	return 0;
}

/* Product, edition and features: catalog names or numbers. */
static void
catalog_terms(struct terms *c)
{
	catalog_term(c, F_PRODUCT, CATALOG_PRODUCT, &c->t->product);
	catalog_term(c, F_EDITION, CATALOG_EDITION, &c->t->edition);
	if (has(c, F_FEATURES))
		(void)feature_list(c, F_FEATURES, c->f->features,
		    &c->t->features);
}

/* A whole number from min to max, or `word` (then *out = special). */
static bool
number_or(const char *s, const char *word, uint32_t special, uint64_t min,
    uint64_t max, uint32_t *out)
{
	uint64_t v;

	if (strcmp(s, word) == 0) {
		*out = special;
		return true;
	}
	if (num_text(s, min, max, &v) != 0)
		return false;
	*out = (uint32_t)v;
	return true;
}

static void
seats(struct terms *c)
{
	char sh[MSG_SHOW_CAP];

	if (!has(c, F_SEATS))
		return;
	if (!number_or(c->f->seats, "unlimited", LKEY_SEATS_UNLIMITED, 1,
	    LKEY_SEATS_MAX, &c->t->seats))
		(void)fault(c, F_SEATS, "%s: '%s' is not a whole number from 1 "
		    "to 16777214%s, or unlimited", NAME(F_SEATS),
		    msg_show(c->f->seats, strlen(c->f->seats), sh),
		    c->f->seats[0] == '0' && c->f->seats[1] != '\0' ?
		    " (without leading zeros)" : "");
}

static void
dates(struct terms *c)
{
	lkey_license *t = c->t;

	if (has(c, F_EXPIRES))
		(void)day(c, F_EXPIRES, true, &t->expires);
	if (has(c, F_MAINTENANCE))
		(void)day(c, F_MAINTENANCE, true, &t->maintenance);
	if (has(c, F_STARTS))
		(void)day(c, F_STARTS, false, &t->starts);
	/*
	 * The issue date is the start date unless the order records another
	 * (4 more bytes): then it orders keys with the same start by when
	 * they were issued.
	 */
	if (c->f->issued == NULL)
		t->issued = t->starts;
	else if (has(c, F_ISSUED))
		(void)day(c, F_ISSUED, false, &t->issued);
}

/*
 * The modules of `bits` for a message, by catalog name where there is one,
 * with their seats when `seats` ("payroll=50, 3=7"), in list; returns how
 * many.
 */
static size_t
module_list(const struct terms *c, uint32_t bits, bool seats, char *list,
    size_t cap)
{
	char num[16];
	const char *name;
	size_t len = 0, n = 0;
	unsigned k;

	list[0] = '\0';
	for (k = 0; k < LKEY_FEATURES_MAX; k++) {
		if (!(bits & BIT(k)))
			continue;
		if ((name = catalog_name(c->cat, CATALOG_FEATURE, k)) == NULL) {
			snprintf(num, sizeof(num), "%u", k);
			name = num;
		}
		if (len < cap)
			len += (size_t)snprintf(list + len, cap - len, "%s%s",
			    n > 0 ? ", " : "", name);
		if (seats && len < cap)
			len += (size_t)snprintf(list + len, cap - len,
			    "=%" PRIu32, c->t->module_seats[k]);
		n++;
	}
	return n;
}

/* Module seats, each module also among the features. */
static void
modules(struct terms *c)
{
	char why[512], list[512];
	uint32_t mods = 0;
	size_t over;

	if (!has(c, F_MODULE_SEATS) || strcmp(c->f->module_seats, "none") == 0)
		return;
	if (cli_feature_counts(c->cat, NAME(F_MODULE_SEATS),
	    c->f->module_seats, 1, LKEY_SEATS_MAX, &mods, c->t->module_seats,
	    why, sizeof(why)) != 0) {
		(void)fault(c, F_MODULE_SEATS, "%s", why);
		return;
	}
	if ((c->bad & BIT(F_FEATURES)) != 0 || (mods & c->t->features) == mods)
		return;
	over = module_list(c, mods & ~c->t->features, false, list,
	    sizeof(list));
	if (kept(c, F_MODULE_SEATS))
		(void)fault(c, F_FEATURES, "%s: the recorded module seats of "
		    "%s need %s among the features; give %s without %s, or %s "
		    "none", NAME(F_FEATURES), list, over == 1 ? "it" : "them",
		    NAME(F_MODULE_SEATS), over == 1 ? "it" : "them",
		    NAME(F_MODULE_SEATS));
	else
		(void)fault(c, F_MODULE_SEATS, "%s: %s %s not in %s; every "
		    "module must also be a feature", NAME(F_MODULE_SEATS), list,
		    over == 1 ? "is" : "are", NAME(F_FEATURES));
}

/*
 * A module cannot have more seats than the licence it is part of
 * (unlimited seats: any number): "payroll=50 exceeds the licence's 5
 * seats", every module that does, by catalog name where it has one.
 */
static void
module_limits(struct terms *c)
{
	const lkey_license *t = c->t;
	char list[512];
	uint32_t bits = 0;
	size_t over;
	unsigned k;

	if (t->seats == LKEY_SEATS_UNLIMITED ||
	    (c->bad & (BIT(F_SEATS) | BIT(F_MODULE_SEATS))) ||
	    (kept(c, F_SEATS) && kept(c, F_MODULE_SEATS)))
		return;
	for (k = 0; k < LKEY_FEATURES_MAX; k++)
		if (t->module_seats[k] > t->seats)
			bits |= BIT(k);
	over = module_list(c, bits, true, list, sizeof(list));
	if (over > 0 && kept(c, F_MODULE_SEATS))
		(void)fault(c, F_SEATS, "%s: %" PRIu32 " is below the recorded "
		    "module seats %s; give %s too", NAME(F_SEATS), t->seats,
		    list, NAME(F_MODULE_SEATS));
	else if (over > 0)
		(void)fault(c, F_MODULE_SEATS, "%s: %s exceed%s the licence's "
		    "%" PRIu32 " seat%s", NAME(F_MODULE_SEATS), list,
		    over == 1 ? "s" : "", t->seats, t->seats == 1 ? "" : "s");
}

/*
 * The features that run only while maintenance is active, signed into the
 * key (extension 0x88): those given, each also licensed ("none" or "": no
 * feature); else the catalog's `maintenance` marks among the licensed
 * features. The catalog is the vendor's, so its marks are what the vendor
 * means unless the order says otherwise.
 */
static void
maintenance_marks(struct terms *c)
{
	const char *list = c->f->maintenance_features;
	uint32_t *marks = &c->t->maintenance_features;

	if (list == NULL) {
		*marks = catalog_maintenance_features(c->cat) &
		    c->t->features;
		return;
	}
	if (!has(c, F_MAINT_FEATURES))
		return;
	if (strcmp(list, "none") == 0)
		list = "";
	if (feature_list(c, F_MAINT_FEATURES, list, marks) != 0)
		return;
	if ((c->bad & BIT(F_FEATURES)) == 0 &&
	    (*marks & c->t->features) != *marks)
		(void)fault(c, F_MAINT_FEATURES, "%s: every feature must also "
		    "be in %s", NAME(F_MAINT_FEATURES), NAME(F_FEATURES));
}

/* Grace and notice days, and whether it is a trial. */
static void
periods(struct terms *c)
{
	lkey_license *t = c->t;

	if (has(c, F_GRACE_DAYS))
		(void)days(c, F_GRACE_DAYS, &t->grace_days);
	if (has(c, F_NOTICE_DAYS))
		(void)days(c, F_NOTICE_DAYS, &t->notice_days);
	if (has(c, F_TRIAL) && boolean(c->f->trial, &t->trial) != 0) {
		(void)fault(c, F_TRIAL, "%s: must be true or false (or 1 or 0, "
		    "yes or no)", NAME(F_TRIAL));
		return;
	}
	if (t->trial && t->expires == LKEY_NEVER &&
	    (c->bad & BIT(F_EXPIRES)) == 0)
		(void)fault(c, F_TRIAL, "%s: a trial licence needs an expiry "
		    "date, not %s never", NAME(F_TRIAL), NAME(F_EXPIRES));
}

/* A serial, or "auto" (or none): then *serial_auto, for the caller. */
static void
serial(struct terms *c, bool *serial_auto)
{
	const char *s = c->f->serial != NULL ? c->f->serial : "auto";
	char sh[MSG_SHOW_CAP];

	if (c->bad & BIT(F_SERIAL))
		return;
	if (!number_or(s, "auto", 0, 0, UINT32_MAX, &c->t->serial)) {
		(void)fault(c, F_SERIAL, "%s: '%s' is not a whole number "
		    "from 0 to 4294967295, or auto", NAME(F_SERIAL),
		    msg_show(s, strlen(s), sh));
		return;
	}
	*serial_auto = strcmp(s, "auto") == 0;
}

/*
 * Why utf8_shown_check refused field `name`, a `what` ("name", "id"):
 * "licensee holds U+202E (right-to-left override) at character 9, which
 * would change how the name is shown", or "order: byte 3 is not UTF-8".
 */
static const char *
shown_fault(const char *name, const char *why, const char *what,
    char *out, size_t cap)
{
	if (strncmp(why, "holds ", 6) == 0)
		snprintf(out, cap, "%s %s, which would change how the %s is "
		    "shown", name, why, what);
	else
		snprintf(out, cap, "%s: %s", name, why);
	return out;
}

/*
 * The licensee, shown on the licence screen as it is: no character that
 * would change how the name is shown without being seen (a right-to-left
 * override turns "Acme\u202Eexe.cod" into "Acmedoc.exe"), no control
 * character (utf8_shown_check).
 */
static void
licensee(struct terms *c)
{
	char why[256], line[512];
	size_t len;

	if (!has(c, F_LICENSEE))
		return;
	len = strlen(c->f->licensee);
	if (len == 0 || len > LKEY_LICENSEE_MAX) {
		(void)fault(c, F_LICENSEE, "%s: must be 1 to 128 bytes of "
		    "text", NAME(F_LICENSEE));
		return;
	}
	if (!kept(c, F_LICENSEE) &&
	    utf8_shown_check(c->f->licensee, len, why, sizeof(why)) != 0) {
		(void)fault(c, F_LICENSEE, "%s", shown_fault(NAME(F_LICENSEE),
		    why, "name", line, sizeof(line)));
		return;
	}
	if (!kept(c, F_LICENSEE) &&
	    strspn(c->f->licensee, " ") == len) {
		(void)fault(c, F_LICENSEE, "%s: '%s' is only spaces: no name "
		    "to show", NAME(F_LICENSEE), c->f->licensee);
		return;
	}
	memcpy(c->t->licensee, c->f->licensee, len);
	c->t->licensee[len] = '\0';
	c->t->licensee_len = len;
}

/*
 * The host of a node-locked key: it runs only where lkey-verify --host-id
 * (for this product) prints this id, which a customer may send in capitals.
 */
static void
host(struct terms *c)
{
	char sh[MSG_SHOW_CAP];

	if (!has(c, F_HOST))
		return;
	if (cli_host_parse(c->f->host, c->t->host) != 0) {
		(void)fault(c, F_HOST, "%s: '%s' is not a host id: 16 hex "
		    "digits, as lkey-verify --host-id prints it", NAME(F_HOST),
		    msg_show(c->f->host, strlen(c->f->host), sh));
		return;
	}
	c->t->host_bound = true;
}

/* The order id of a row (batch; issue takes --order on its own). */
static void
order_id(struct terms *c)
{
	char why[512];

	if (has(c, F_ORDER) && order_id_check(c->f->order, NAME(F_ORDER), why,
	    sizeof(why)) != 0)
		(void)fault(c, F_ORDER, "%s", why);
}

#undef NAME
#undef BIT

/*
 * Why lkey_terms_check refused t, into err: for periods that clash, with
 * the days that clash, which may have come from defaults ("licence would
 * expire before it starts (starts 2027-02-01, expires 2027-01-31)").
 */
static void
periods_refused(const lkey_license *t, const char *why, char *err,
    size_t errcap)
{
	char a[11], b[11];

	if (t->expires != LKEY_NEVER && t->expires < t->starts &&
	    t->starts <= LKEY_DAY_MAX && strstr(why, "expire") != NULL) {
		lkey_day_format(t->starts, a);
		lkey_day_format(t->expires, b);
		(void)msg_fail(err, errcap, "%s (starts %s, expires %s)", why,
		    a, b);
	} else if (t->maintenance != LKEY_NEVER && t->maintenance < t->starts &&
	    t->starts <= LKEY_DAY_MAX && strstr(why, "maintenance") != NULL) {
		lkey_day_format(t->starts, a);
		lkey_day_format(t->maintenance, b);
		(void)msg_fail(err, errcap, "%s (starts %s, maintenance ends "
		    "%s)", why, a, b);
	} else if (t->expires != LKEY_NEVER && t->issued > t->expires &&
	    t->issued <= LKEY_DAY_MAX && strstr(why, "issued") != NULL) {
		lkey_day_format(t->issued, a);
		lkey_day_format(t->expires, b);
		(void)msg_fail(err, errcap, "%s (issued %s, expires %s)", why,
		    a, b);
	} else
		(void)msg_fail(err, errcap, "%s", why);
}

/* Every check, each field on its own; c->bad says which were refused. */
static void
check_all(struct terms *c, bool *serial_auto)
{
	order_id(c);
	required(c);
	catalog_terms(c);
	seats(c);
	dates(c);
	modules(c);
	maintenance_marks(c);
	periods(c);
	serial(c, serial_auto);
	licensee(c);
	host(c);
	module_limits(c);
}

/* Every order_terms function: fields refused already, fields kept. */
static int
terms_of(const catalog *cat, const order_fields *f, uint32_t skip,
    uint32_t kept_fields, lkey_day today, bool as_options, lkey_license *t,
    bool *serial_auto, char *err, size_t errcap)
{
	struct terms c = { cat, f, as_options, skip, kept_fields, t, err,
	    errcap, 0 };
	const char *why;

	*serial_auto = false;
	if (errcap > 0)
		err[0] = '\0';
	lkey_terms_init(t, today);
	check_all(&c, serial_auto);
	if (c.bad != 0)
		goto bad;
	if (lkey_terms_check(t, &why) != LKEY_ISSUE_OK) {
		periods_refused(t, why, err, errcap);
		goto bad;
	}
	return 0;
bad:
	memset(t, 0, sizeof(*t));
	*serial_auto = false;
	return -1;
}

int
order_terms_but(const catalog *cat, const order_fields *f, uint32_t skip,
    lkey_day today, bool as_options, lkey_license *t, bool *serial_auto,
    char *err, size_t errcap)
{
	return terms_of(cat, f, skip, 0, today, as_options, t, serial_auto,
	    err, errcap);
}

int
order_terms_kept(const catalog *cat, const order_fields *f,
    uint32_t kept_fields, lkey_day today, lkey_license *t, bool *serial_auto,
    char *err, size_t errcap)
{
	return terms_of(cat, f, 0, kept_fields, today, true, t, serial_auto,
	    err, errcap);
}

int
order_terms_as(const catalog *cat, const order_fields *f, lkey_day today,
    bool as_options, lkey_license *t, bool *serial_auto, char *err,
    size_t errcap)
{
	return terms_of(cat, f, 0, 0, today, as_options, t, serial_auto, err,
	    errcap);
}

int
order_terms(const catalog *cat, const order_fields *f, lkey_day today,
    lkey_license *t, bool *serial_auto, char *err, size_t errcap)
{
	return terms_of(cat, f, 0, 0, today, false, t, serial_auto, err,
	    errcap);
}

int
order_id_check(const char *id, const char *name, char *err, size_t errcap)
{
	char why[256], line[512];
	size_t len = strlen(id);

	if (len == 0 || len > ORDERS_ID_MAX)
		return msg_fail(err, errcap, "%s: must be 1 to %d bytes", name,
		    ORDERS_ID_MAX);
	if (utf8_shown_check(id, len, why, sizeof(why)) != 0)
		return msg_fail(err, errcap, "%s", shown_fault(name, why, "id",
		    line, sizeof(line)));
	return 0;
}
