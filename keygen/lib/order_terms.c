/*
 * order_terms.c - the licence terms of an order, with exactly the rules of
 * `lkey-keygen issue`
 *
 * Every row of a batch and every `issue` command goes through here, so a
 * batch cannot issue a key the single command would refuse, nor the other
 * way round; only the names in the messages differ (the field, or the
 * option).
 */
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
#include "wire.h"

/* One order being turned into terms, and where to say what is wrong. */
struct terms {
	const catalog *cat;
	const order_fields *f;
	bool as_options;	/* messages name options, not fields */
	lkey_license *t;
	char *err;
	size_t errcap;
};

/* A field as messages name it: its CSV/JSON name, or the issue option. */
#define NAME(k) (c->as_options ? order_field_info[k].option : \
	order_field_info[k].name)


/* "YYYY-MM-DD", or "never" where allowed. */
static int
day(const char *name, const char *s, bool never_ok, lkey_day *out, char *err,
    size_t errcap)
{
	char sh[MSG_SHOW_CAP];

	if (never_ok && strcmp(s, "never") == 0) {
		*out = LKEY_NEVER;
		return 0;
	}
	if (!lkey_day_parse(s, out))
		return msg_fail(err, errcap, "%s: '%s' is not a real date as "
		    "YYYY-MM-DD%s", name, msg_show(s, strlen(s), sh),
		    never_ok ? " or never" : "");
	if (*out > LKEY_DAY_MAX)
		return msg_fail(err, errcap, "%s: %s is after 2149-06-05, the "
		    "last day a key can carry%s", name, s,
		    never_ok ? " (use never)" : "");
	return 0;
}

static int
days(const char *name, const char *s, uint32_t *out, char *err, size_t errcap)
{
	uint64_t v;

	if (num_text(s, 0, 365, &v) != 0)
		return msg_fail(err, errcap, "%s: must be a whole number of "
		    "days from 0 to 365", name);
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

static int
required(const struct terms *c)
{
	size_t k;

	for (k = 0; k < ORDERS_FIELDS; k++) {
		if (!order_field_info[k].required ||
		    order_field_value(c->f, k) != NULL)
			continue;
		if (c->as_options)
			return msg_fail(c->err, c->errcap, "issue needs %s",
			    NAME(k));
		return msg_fail(c->err, c->errcap, "missing field '%s'",
		    NAME(k));
	}
	return 0;
}

/* Product, edition and features: catalog names or numbers. */
static int
catalog_terms(const struct terms *c)
{
	char why[512];

	if (catalog_lookup(c->cat, CATALOG_PRODUCT, c->f->product,
	    &c->t->product, why, sizeof(why)) != 0)
		return msg_fail(c->err, c->errcap, "%s: %s", NAME(F_PRODUCT),
		    why);
	if (catalog_lookup(c->cat, CATALOG_EDITION, c->f->edition,
	    &c->t->edition, why, sizeof(why)) != 0)
		return msg_fail(c->err, c->errcap, "%s: %s", NAME(F_EDITION),
		    why);
	if (c->f->features != NULL && catalog_features(c->cat, c->f->features,
	    &c->t->features, why, sizeof(why)) != 0)
		return msg_fail(c->err, c->errcap, "%s: %s", NAME(F_FEATURES),
		    why);
	return 0;
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

static int
seats(const struct terms *c)
{
	char sh[MSG_SHOW_CAP];

	if (!number_or(c->f->seats, "unlimited", LKEY_SEATS_UNLIMITED, 1,
	    LKEY_SEATS_MAX, &c->t->seats))
		return msg_fail(c->err, c->errcap, "%s: '%s' is not a whole "
		    "number from 1 to 16777214%s, or unlimited", NAME(F_SEATS),
		    msg_show(c->f->seats, strlen(c->f->seats), sh),
		    c->f->seats[0] == '0' && c->f->seats[1] != '\0' ?
		    " (without leading zeros)" : "");
	return 0;
}

static int
dates(const struct terms *c)
{
	const order_fields *f = c->f;
	lkey_license *t = c->t;

	if (day(NAME(F_EXPIRES), f->expires, true, &t->expires, c->err,
	    c->errcap) != 0 || day(NAME(F_MAINTENANCE), f->maintenance, true,
	    &t->maintenance, c->err, c->errcap) != 0)
		return -1;
	if (f->starts != NULL && day(NAME(F_STARTS), f->starts, false,
	    &t->starts, c->err, c->errcap) != 0)
		return -1;
	/*
	 * The issue date is the start date unless the order records another
	 * (4 more bytes): then it orders keys with the same start by when
	 * they were issued.
	 */
	if (f->issued == NULL) {
		t->issued = t->starts;
		return 0;
	}
	return day(NAME(F_ISSUED), f->issued, false, &t->issued, c->err,
	    c->errcap);
}

/* Module seats, each module also among the features. */
static int
modules(const struct terms *c)
{
	uint32_t mods = 0;

	if (c->f->module_seats == NULL)
		return 0;
	if (cli_feature_counts(c->cat, NAME(F_MODULE_SEATS),
	    c->f->module_seats, 1, LKEY_SEATS_MAX, &mods, c->t->module_seats,
	    c->err, c->errcap) != 0)
		return -1;
	if ((mods & c->t->features) != mods)
		return msg_fail(c->err, c->errcap, "%s: every module must also "
		    "be in %s", NAME(F_MODULE_SEATS), NAME(F_FEATURES));
	return 0;
}

/*
 * The features that run only while maintenance is active, signed into the
 * key (extension 0x88): those given, each also licensed ("none" or "": no
 * feature); else the catalog's `maintenance` marks among the licensed
 * features. The catalog is the vendor's, so its marks are what the vendor
 * means unless the order says otherwise.
 */
static int
maintenance_marks(const struct terms *c)
{
	const char *list = c->f->maintenance_features;
	uint32_t *marks = &c->t->maintenance_features;
	char why[512];

	if (list == NULL) {
		*marks = catalog_maintenance_features(c->cat) &
		    c->t->features;
		return 0;
	}
	if (strcmp(list, "none") == 0)
		list = "";
	if (catalog_features(c->cat, list, marks, why, sizeof(why)) != 0)
		return msg_fail(c->err, c->errcap, "%s: %s",
		    NAME(F_MAINT_FEATURES), why);
	if ((*marks & c->t->features) != *marks)
		return msg_fail(c->err, c->errcap, "%s: every feature must "
		    "also be in %s", NAME(F_MAINT_FEATURES), NAME(F_FEATURES));
	return 0;
}

/* Grace and notice days, and whether it is a trial. */
static int
periods(const struct terms *c)
{
	const order_fields *f = c->f;
	lkey_license *t = c->t;

	if (f->grace_days != NULL && days(NAME(F_GRACE_DAYS), f->grace_days,
	    &t->grace_days, c->err, c->errcap) != 0)
		return -1;
	if (f->notice_days != NULL && days(NAME(F_NOTICE_DAYS),
	    f->notice_days, &t->notice_days, c->err, c->errcap) != 0)
		return -1;
	if (f->trial != NULL && boolean(f->trial, &t->trial) != 0)
		return msg_fail(c->err, c->errcap, "%s: must be true or false "
		    "(or 1 or 0, yes or no)", NAME(F_TRIAL));
	if (t->trial && t->expires == LKEY_NEVER)
		return msg_fail(c->err, c->errcap, "%s: a trial licence needs "
		    "an expiry date, not %s never", NAME(F_TRIAL),
		    NAME(F_EXPIRES));
	return 0;
}

/* A serial, or "auto" (or none): then *serial_auto, for the caller. */
static int
serial(const struct terms *c, bool *serial_auto)
{
	const char *s = c->f->serial != NULL ? c->f->serial : "auto";

	if (!number_or(s, "auto", 0, 0, UINT32_MAX, &c->t->serial))
		return msg_fail(c->err, c->errcap, "%s: must be a whole number "
		    "from 0 to 4294967295, or auto", NAME(F_SERIAL));
	*serial_auto = strcmp(s, "auto") == 0;
	return 0;
}

/*
 * The licensee, and the host of a node-locked key: it runs only where
 * lkey-verify --host-id (for this product) prints this id, which a
 * customer may send in capitals.
 */
static int
licensee_and_host(const struct terms *c)
{
	char sh[MSG_SHOW_CAP];
	size_t len;

	if (c->f->licensee != NULL) {
		len = strlen(c->f->licensee);
		if (len == 0 || len > LKEY_LICENSEE_MAX)
			return msg_fail(c->err, c->errcap, "%s: must be 1 to "
			    "128 bytes of text", NAME(F_LICENSEE));
		memcpy(c->t->licensee, c->f->licensee, len);
		c->t->licensee[len] = '\0';
		c->t->licensee_len = len;
	}
	if (c->f->host != NULL) {
		if (cli_host_parse(c->f->host, c->t->host) != 0)
			return msg_fail(c->err, c->errcap, "%s: '%s' is not a "
			    "host id: 16 hex digits, as lkey-verify --host-id "
			    "prints it", NAME(F_HOST), msg_show(c->f->host,
			    strlen(c->f->host), sh));
		c->t->host_bound = true;
	}
	return 0;
}

#undef NAME

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

int
order_terms_as(const catalog *cat, const order_fields *f, lkey_day today,
    bool as_options, lkey_license *t, bool *serial_auto, char *err,
    size_t errcap)
{
	struct terms c = { cat, f, as_options, t, err, errcap };
	const char *why;

	*serial_auto = false;
	lkey_terms_init(t, today);
	if (required(&c) != 0 || catalog_terms(&c) != 0 || seats(&c) != 0 ||
	    dates(&c) != 0 || modules(&c) != 0 ||
	    maintenance_marks(&c) != 0 || periods(&c) != 0 ||
	    serial(&c, serial_auto) != 0 || licensee_and_host(&c) != 0)
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
order_terms(const catalog *cat, const order_fields *f, lkey_day today,
    lkey_license *t, bool *serial_auto, char *err, size_t errcap)
{
	return order_terms_as(cat, f, today, false, t, serial_auto, err,
	    errcap);
}

int
order_id_check(const char *id, const char *name, char *err, size_t errcap)
{
	size_t len = strlen(id);

	if (len == 0 || len > ORDERS_ID_MAX)
		return msg_fail(err, errcap, "%s: must be 1 to %d bytes", name,
		    ORDERS_ID_MAX);
	if (!lkey__wire_text_ok(id, len))
		return msg_fail(err, errcap, "%s: must be UTF-8 text without "
		    "control characters", name);
	return 0;
}
