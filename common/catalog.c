/* catalog.c - vendor names for products, editions and features */

#include <stdio.h>
#include <string.h>

#include "catalog.h"
#include "msg.h"
#include "num.h"
#include "textfile.h"

/* Fields on a line: kind, name, number, flag, and one more for extras. */
#define FIELDS 5

/* The one flag, allowed on features only. */
#define FLAG_MAINTENANCE "maintenance"

struct span {
	const char *p;
	size_t len;
};

static const struct {
	const char *name;
	uint32_t min;
	uint32_t max;
} kinds[] = {
	[CATALOG_PRODUCT] = { "product", 1, 65535 },
	[CATALOG_EDITION] = { "edition", 0, 255 },
	[CATALOG_FEATURE] = { "feature", 0, 31 },
};
#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))

static int
valid_kind(catalog_kind kind)
{
	return (size_t)kind < NKINDS;
}

static int
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int
span_is(struct span s, const char *str)
{
	return s.len == strlen(str) && memcmp(s.p, str, s.len) == 0;
}

/* [a-z][a-z0-9_-]{0,31}: never empty, never mistaken for a number. */
static int
valid_name(const char *p, size_t len)
{
	size_t i;

	if (len == 0 || len > CATALOG_NAME_MAX || p[0] < 'a' || p[0] > 'z')
		return 0;
	for (i = 1; i < len; i++) {
		if (!(p[i] >= 'a' && p[i] <= 'z') && !is_digit(p[i]) &&
		    p[i] != '_' && p[i] != '-')
			return 0;
	}
	return 1;
}

static const catalog_entry *
find_name(const catalog *cat, catalog_kind kind, const char *p, size_t len)
{
	size_t i;

	if (cat == NULL)
		return NULL;
	for (i = 0; i < cat->n && i < CATALOG_ENTRIES_MAX; i++) {
		if (cat->entry[i].kind == kind &&
		    strlen(cat->entry[i].name) == len &&
		    memcmp(cat->entry[i].name, p, len) == 0)
			return &cat->entry[i];
	}
	return NULL;
}

static const catalog_entry *
find_value(const catalog *cat, catalog_kind kind, uint32_t value)
{
	size_t i;

	if (cat == NULL)
		return NULL;
	for (i = 0; i < cat->n && i < CATALOG_ENTRIES_MAX; i++) {
		if (cat->entry[i].kind == kind && cat->entry[i].value == value)
			return &cat->entry[i];
	}
	return NULL;
}

/*
 * The fields of a line into f (at most FIELDS of them kept): the number of
 * fields, 0 for a blank line or a comment.
 */
static size_t
split_fields(const char *p, size_t len, struct span f[FIELDS])
{
	size_t i = 0, start, nf = 0;

	while (i < len) {
		while (i < len && is_blank(p[i]))
			i++;
		if (i == len)
			break;
		start = i;
		while (i < len && !is_blank(p[i]))
			i++;
		if (nf == 0 && p[start] == '#')
			return 0;
		if (nf < FIELDS) {
			f[nf].p = p + start;
			f[nf].len = i - start;
		}
		nf++;
	}
	return nf;
}

/*
 * The kind of a line of nf fields, once its fields are the right ones for
 * it: "kind name number", and "maintenance" after a feature's number.
 * Returns the kind, or -1 with the reason in err.
 */
static int
line_kind(const struct span f[FIELDS], size_t nf, size_t line, char *err,
    size_t errcap)
{
	char s[MSG_SHOW_CAP];
	size_t k;

	for (k = 0; k < NKINDS && !span_is(f[0], kinds[k].name); k++)
		continue;
	if (k == NKINDS)
		return msg_fail(err, errcap, "line %zu: unknown kind '%s'",
		    line, msg_show(f[0].p, f[0].len, s));
	if (nf == 1)
		return msg_fail(err, errcap, "line %zu: %s without a name and "
		    "a number", line, kinds[k].name);
	if (nf == 2)
		return msg_fail(err, errcap, "line %zu: %s '%s' without a "
		    "number", line, kinds[k].name,
		    msg_show(f[1].p, f[1].len, s));
	/*
	 * The flag exactly as spelt, and only where it means something: a
	 * misspelt flag ignored would let an add-on keep running after
	 * maintenance ends.
	 */
	if (nf > 3 && k != CATALOG_FEATURE) {
		if (span_is(f[3], FLAG_MAINTENANCE))
			return msg_fail(err, errcap, "line %zu: only a feature "
			    "can need maintenance", line);
		return msg_fail(err, errcap, "line %zu: unexpected '%s' after "
		    "the number", line, msg_show(f[3].p, f[3].len, s));
	}
	if (nf > 3 && !span_is(f[3], FLAG_MAINTENANCE))
		return msg_fail(err, errcap, "line %zu: unknown flag '%s' "
		    "(only 'maintenance')", line,
		    msg_show(f[3].p, f[3].len, s));
	if (nf > 4)
		return msg_fail(err, errcap, "line %zu: unexpected '%s' after "
		    "'maintenance'", line, msg_show(f[4].p, f[4].len, s));
	return (int)k;
}

/* The number of a line of kind k, in its kind's range. */
static int
line_number(struct span num, size_t k, size_t line, uint32_t *value,
    char *err, size_t errcap)
{
	const char *kname = kinds[k].name;
	char s[MSG_SHOW_CAP];
	uint64_t v;

	switch (num_parse(num.p, num.len, kinds[k].min, kinds[k].max, &v)) {
	case NUM_OK:
		*value = (uint32_t)v;
		return 0;
	case NUM_ZERO:
		return msg_fail(err, errcap, "line %zu: %s number '%s' has a "
		    "leading zero", line, kname, msg_show(num.p, num.len, s));
	case NUM_RANGE:
		return msg_fail(err, errcap, "line %zu: %s number %s is out "
		    "of range (%lu to %lu)", line, kname,
		    msg_show(num.p, num.len, s), (unsigned long)kinds[k].min,
		    (unsigned long)kinds[k].max);
	default:
		return msg_fail(err, errcap, "line %zu: %s number '%s' is not "
		    "a plain decimal number", line, kname,
		    msg_show(num.p, num.len, s));
	}
}

/* One line without its end. Adds at most one entry to cat. */
static int
parse_line(catalog *cat, const char *p, size_t len, size_t line, char *err,
    size_t errcap)
{
	struct span f[FIELDS];
	const catalog_entry *dup;
	catalog_entry *e;
	char s[MSG_SHOW_CAP];
	const char *kname;
	size_t nf;
	uint32_t value = 0;
	int k;

	if ((nf = split_fields(p, len, f)) == 0)
		return 0;
	if ((k = line_kind(f, nf, line, err, errcap)) < 0)
		return -1;
	kname = kinds[k].name;
	if (!valid_name(f[1].p, f[1].len))
		return msg_fail(err, errcap, "line %zu: bad %s name '%s' (a-z, "
		    "0-9, '_', '-'; a letter first; at most %d characters)",
		    line, kname, msg_show(f[1].p, f[1].len, s),
		    CATALOG_NAME_MAX);
	if (line_number(f[2], (size_t)k, line, &value, err, errcap) != 0)
		return -1;
	if (find_name(cat, (catalog_kind)k, f[1].p, f[1].len) != NULL)
		return msg_fail(err, errcap, "line %zu: %s '%s' is defined "
		    "twice", line, kname, msg_show(f[1].p, f[1].len, s));
	if ((dup = find_value(cat, (catalog_kind)k, value)) != NULL)
		return msg_fail(err, errcap, "line %zu: %s number %lu is "
		    "already '%s'", line, kname, (unsigned long)value,
		    dup->name);
	if (cat->n >= CATALOG_ENTRIES_MAX)
		return msg_fail(err, errcap, "line %zu: more than %d entries",
		    line, CATALOG_ENTRIES_MAX);

	e = &cat->entry[cat->n++];
	e->kind = (catalog_kind)k;
	e->value = value;
	memcpy(e->name, f[1].p, f[1].len);
	e->name[f[1].len] = '\0';
	e->needs_maintenance = nf > 3;
	return 0;
}

/*
 * The text comes from a file the vendor edits by hand, so every deviation is
 * an error naming its line rather than a guess: a mistyped kind or a
 * duplicate silently ignored would put the wrong number into keys.
 */
int
catalog_parse(const char *text, size_t len, catalog *out, char *err,
    size_t errcap)
{
	const char *p, *end, *nl, *next;
	size_t line = 0, linelen;

	memset(out, 0, sizeof(*out));
	if (len > CATALOG_FILE_MAX)
		return msg_fail(err, errcap, "too large (more than %d bytes)",
		    CATALOG_FILE_MAX);
	if (len == 0)
		return 0;
	p = text;
	end = text + len;
	while (p < end) {
		line++;
		nl = memchr(p, '\n', (size_t)(end - p));
		next = nl != NULL ? nl + 1 : end;
		linelen = (size_t)((nl != NULL ? nl : end) - p);
		if (memchr(p, '\0', linelen) != NULL) {
			msg_fail(err, errcap, "line %zu: NUL byte", line);
			goto bad;
		}
		if (linelen > 0 && p[linelen - 1] == '\r')
			linelen--;
		if (linelen > CATALOG_LINE_MAX) {
			msg_fail(err, errcap, "line %zu: longer than %d bytes",
			    line, CATALOG_LINE_MAX);
			goto bad;
		}
		if (parse_line(out, p, linelen, line, err, errcap) != 0)
			goto bad;
		p = next;
	}
	return 0;
bad:
	memset(out, 0, sizeof(*out));
	return -1;
}

int
catalog_load(const char *path, catalog *out, char *err, size_t errcap)
{
	/* No heap: 64 KiB of stack, once, in a command-line tool. */
	char buf[CATALOG_FILE_MAX + 1];
	char why[512];
	size_t len = 0;

	memset(out, 0, sizeof(*out));
	why[0] = '\0';
	/* Past the bound, the reason is "too large (more than 65536 bytes)". */
	if (textfile_read(path, 0, buf, sizeof(buf), &len, why,
	    sizeof(why)) != TEXTFILE_OK)
		return msg_fail(err, errcap, "%s: %s", path, why);
	if (catalog_parse(buf, len, out, why, sizeof(why)) != 0)
		return msg_fail(err, errcap, "%s: %s", path, why);
	return 0;
}

/* Whether text in lowercase is a name of the kind in cat. */
static bool
lower_known(const catalog *cat, catalog_kind kind, const char *text,
    size_t len)
{
	char low[CATALOG_NAME_MAX + 1];
	size_t i;

	if (cat == NULL || len == 0 || len > CATALOG_NAME_MAX)
		return false;
	for (i = 0; i < len; i++)
		low[i] = text[i] >= 'A' && text[i] <= 'Z' ?
		    (char)(text[i] - 'A' + 'a') : text[i];
	low[len] = '\0';
	return valid_name(low, len) && find_name(cat, kind, low, len) != NULL;
}

/* Room for the entries a message lists, before "... (N in all)". */
#define LIST_MAX 200

/*
 * The catalog's entries of `kind` for a message, "basic 1, professional
 * 2, ..." (cut after about LIST_MAX bytes: ", ... (N in all)"), in list;
 * returns how many it has (0: the kind is not listed, list "").
 */
static size_t
kind_list(const catalog *cat, catalog_kind kind, char list[LIST_MAX + 32])
{
	size_t i, len = 0, all = 0, shown = 0;
	int w;

	list[0] = '\0';
	for (i = 0; cat != NULL && i < cat->n && i < CATALOG_ENTRIES_MAX;
	    i++) {
		if (cat->entry[i].kind != kind)
			continue;
		all++;
		if (len >= LIST_MAX)
			continue;
		w = snprintf(list + len, LIST_MAX + 32 - len, "%s%s %lu",
		    len > 0 ? ", " : "", cat->entry[i].name,
		    (unsigned long)cat->entry[i].value);
		if (w < 0 || len + (size_t)w > LIST_MAX) {
			list[len] = '\0';
			len = LIST_MAX;
			continue;
		}
		len += (size_t)w;
		shown++;
	}
	if (shown < all)
		(void)snprintf(list + strlen(list),
		    LIST_MAX + 32 - strlen(list),
		    ", ... (%zu in all)", all);
	return all;
}

int
catalog_lookup(const catalog *cat, catalog_kind kind, const char *text,
    uint32_t *value, char *err, size_t errcap)
{
	const catalog_entry *e;
	char s[MSG_SHOW_CAP], list[LIST_MAX + 32];
	size_t len;
	uint64_t v;

	*value = 0;
	if (!valid_kind(kind))
		return msg_fail(err, errcap, "unknown kind %d", (int)kind);
	len = strlen(text);
	if (len > 0 && is_digit(text[0])) {
		if (num_parse(text, len, kinds[kind].min, kinds[kind].max,
		    &v) == NUM_OK) {
			*value = (uint32_t)v;
			return 0;
		}
	} else if (valid_name(text, len)) {
		if ((e = find_name(cat, kind, text, len)) != NULL) {
			*value = e->value;
			return 0;
		}
		if (kind_list(cat, kind, list) > 0)
			return msg_fail(err, errcap, "unknown %s '%s' (the "
			    "catalog's %ss: %s)", kinds[kind].name,
			    msg_show(text, len, s), kinds[kind].name, list);
		return msg_fail(err, errcap, "unknown %s '%s'%s",
		    kinds[kind].name, msg_show(text, len, s),
		    cat == NULL ? " (no catalog given)" : "");
	}
	return msg_fail(err, errcap, "%s '%s' is not a number from %lu to %lu "
	    "or a catalog name%s", kinds[kind].name, msg_show(text, len, s),
	    (unsigned long)kinds[kind].min, (unsigned long)kinds[kind].max,
	    lower_known(cat, kind, text, len) ? " (names are lowercase)" :
	    "");
}

int
catalog_named(const catalog *cat, catalog_kind kind, uint32_t value,
    char *err, size_t errcap)
{
	char list[LIST_MAX + 32];

	if (cat == NULL || !valid_kind(kind) ||
	    find_value(cat, kind, value) != NULL ||
	    kind_list(cat, kind, list) == 0)
		return 0;
	return msg_fail(err, errcap, "the catalog has no %s %lu (its %ss: %s)",
	    kinds[kind].name, (unsigned long)value, kinds[kind].name, list);
}

const char *
catalog_name(const catalog *cat, catalog_kind kind, uint32_t value)
{
	const catalog_entry *e;

	if ((e = find_value(cat, kind, value)) == NULL)
		return NULL;
	return e->name;
}

int
catalog_features(const catalog *cat, const char *list, uint32_t *bits,
    char *err, size_t errcap)
{
	char item[CATALOG_NAME_MAX + 2], shown[MSG_SHOW_CAP];
	const char *p = list, *comma, *name;
	uint32_t v, acc = 0;
	size_t len;

	*bits = 0;
	if (*p == '\0')
		return 0;
	/* The shape of the whole list first, then the items. */
	len = strlen(list);
	if (list[0] == ',' || list[len - 1] == ',' ||
	    strstr(list, ",,") != NULL)
		return msg_fail(err, errcap, "empty item in feature list");
	if (strpbrk(list, " \t") != NULL)
		return msg_fail(err, errcap, "spaces in feature list");
	for (;;) {
		comma = strchr(p, ',');
		len = comma != NULL ? (size_t)(comma - p) : strlen(p);
		/* Longer than any name, and than any number: shown whole. */
		if (len > sizeof(item) - 1)
			return msg_fail(err, errcap, "feature '%s' is not a "
			    "number from 0 to 31 or a catalog name",
			    msg_show(p, len, shown));
		memcpy(item, p, len);
		item[len] = '\0';
		if (catalog_lookup(cat, CATALOG_FEATURE, item, &v, err,
		    errcap) != 0)
			return -1;
		if (acc & UINT32_C(1) << v) {
			name = catalog_name(cat, CATALOG_FEATURE, v);
			if (name != NULL)
				return msg_fail(err, errcap, "feature '%s' "
				    "given twice", name);
			return msg_fail(err, errcap, "feature %lu given twice",
			    (unsigned long)v);
		}
		acc |= UINT32_C(1) << v;
		if (comma == NULL)
			break;
		p = comma + 1;
	}
	*bits = acc;
	return 0;
}

size_t
catalog_features_format(const catalog *cat, uint32_t bits, char *out,
    size_t cap)
{
	char num[3];
	const char *s;
	size_t n = 0, len;
	uint32_t b;

	if (cap == 0)
		return 0;
	out[0] = '\0';
	for (b = 0; b < 32; b++) {
		if ((bits >> b & 1) == 0)
			continue;
		if ((s = catalog_name(cat, CATALOG_FEATURE, b)) == NULL) {
			num[0] = (char)('0' + b / 10);
			num[1] = (char)('0' + b % 10);
			num[2] = '\0';
			s = b < 10 ? num + 1 : num;
		}
		len = strlen(s);
		if (n + (n > 0) + len >= cap) {
			out[0] = '\0';
			return 0;
		}
		if (n > 0)
			out[n++] = ',';
		memcpy(out + n, s, len);
		n += len;
	}
	out[n] = '\0';
	return n;
}

uint32_t
catalog_maintenance_features(const catalog *cat)
{
	uint32_t bits = 0;
	size_t i;

	if (cat == NULL)
		return 0;
	for (i = 0; i < cat->n && i < CATALOG_ENTRIES_MAX; i++) {
		if (cat->entry[i].kind == CATALOG_FEATURE &&
		    cat->entry[i].needs_maintenance && cat->entry[i].value < 32)
			bits |= UINT32_C(1) << cat->entry[i].value;
	}
	return bits;
}

const char *
catalog_kind_name(catalog_kind kind)
{
	if (!valid_kind(kind))
		return "unknown";
	return kinds[kind].name;
}
