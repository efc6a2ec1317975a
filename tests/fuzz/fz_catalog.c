/*
 * fz_catalog.c - catalog files (common/catalog.c)
 *
 * Checked: a refusal empties the catalog and says why; every accepted
 * entry has a valid name and a number in its kind's range, is found again
 * by name and by number, and the maintenance flag is on features only; a
 * feature list formatted from the catalog parses back to the same bits; the
 * catalog written out again in its own format parses to the same entries.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "targets.h"

#define ERR_CAP 256U
/* "feature NAME 31 maintenance\n": well under 64 bytes a line. */
#define LINE_ROOM 64U

static const uint32_t kind_max[] = {
	[CATALOG_PRODUCT] = 65535, [CATALOG_EDITION] = 255,
	[CATALOG_FEATURE] = 31
};

static void
check_entry(const catalog *cat, const catalog_entry *e)
{
	char err[ERR_CAP];
	const char *name;
	uint32_t v;
	size_t len;

	FUZZ_CHECK(e->kind == CATALOG_PRODUCT || e->kind == CATALOG_EDITION ||
	    e->kind == CATALOG_FEATURE);
	FUZZ_CHECK(e->value <= kind_max[e->kind]);
	FUZZ_CHECK(e->kind != CATALOG_PRODUCT || e->value >= 1U);
	FUZZ_CHECK(!e->needs_maintenance || e->kind == CATALOG_FEATURE);
	len = strnlen(e->name, sizeof(e->name));
	FUZZ_CHECK(len >= 1 && len <= CATALOG_NAME_MAX);
	FUZZ_CHECK(e->name[0] >= 'a' && e->name[0] <= 'z');
	FUZZ_CHECK(catalog_lookup(cat, e->kind, e->name, &v, err,
	    sizeof(err)) == 0 && v == e->value);
	name = catalog_name(cat, e->kind, e->value);
	FUZZ_CHECK(name != NULL && strcmp(name, e->name) == 0);
	FUZZ_CHECK(strcmp(catalog_kind_name(e->kind), "unknown") != 0);
}

/* Formats bits and parses the list back. */
static void
check_features(const catalog *cat, uint32_t bits)
{
	char list[CATALOG_FEATURES_TEXT_MAX], cut[4], err[ERR_CAP];
	uint32_t back;
	size_t n;

	n = catalog_features_format(cat, bits, list, sizeof(list));
	FUZZ_CHECK(n == strlen(list));
	FUZZ_CHECK((n == 0) == (bits == 0));
	FUZZ_CHECK(catalog_features(cat, list, &back, err, sizeof(err)) == 0);
	FUZZ_CHECK(back == bits);
	n = catalog_features_format(cat, bits, cut, sizeof(cut));
	FUZZ_CHECK(n == strlen(cut) && n < sizeof(cut));
}

/* Writes the catalog in its own format; the length. */
static size_t
render(const catalog *cat, char *out, size_t cap)
{
	size_t i, len = 0;
	int n;

	for (i = 0; i < cat->n; i++) {
		const catalog_entry *e = &cat->entry[i];

		n = snprintf(out + len, cap - len, "%s %s %lu%s\n",
		    catalog_kind_name(e->kind), e->name,
		    (unsigned long)e->value,
		    e->needs_maintenance ? " maintenance" : "");
		FUZZ_CHECK(n > 0 && (size_t)n < cap - len);
		len += (size_t)n;
	}
	return len;
}

int
fuzz_catalog(const uint8_t *data, size_t size)
{
	catalog *cat, *again;
	char err[ERR_CAP], *text;
	uint32_t named = 0, maint = 0;
	size_t i, len;
	int r;

	cat = malloc(sizeof(*cat));
	again = malloc(sizeof(*again));
	text = malloc(CATALOG_ENTRIES_MAX * LINE_ROOM);
	FUZZ_CHECK(cat != NULL && again != NULL && text != NULL);

	err[0] = '\0';
	r = catalog_parse((const char *)data, size, cat, err, sizeof(err));
	if (r != 0) {
		FUZZ_CHECK(r == -1);
		FUZZ_CHECK(fuzz_all_zero(cat, sizeof(*cat)));
		FUZZ_CHECK(err[0] != '\0' && strnlen(err, sizeof(err)) <
		    sizeof(err));
		goto out;
	}
	FUZZ_CHECK(cat->n <= CATALOG_ENTRIES_MAX);
	for (i = 0; i < cat->n; i++) {
		const catalog_entry *e = &cat->entry[i];

		check_entry(cat, e);
		if (e->kind != CATALOG_FEATURE)
			continue;
		named |= UINT32_C(1) << e->value;
		if (e->needs_maintenance)
			maint |= UINT32_C(1) << e->value;
	}
	FUZZ_CHECK(catalog_maintenance_features(cat) == maint);
	check_features(cat, named);
	check_features(cat, named | UINT32_C(0x80000001));
	check_features(cat, ~named);

	len = render(cat, text, CATALOG_ENTRIES_MAX * LINE_ROOM);
	FUZZ_CHECK(catalog_parse(text, len, again, err, sizeof(err)) == 0);
	FUZZ_CHECK(again->n == cat->n);
	for (i = 0; i < cat->n; i++) {
		FUZZ_CHECK(again->entry[i].kind == cat->entry[i].kind);
		FUZZ_CHECK(again->entry[i].value == cat->entry[i].value);
		FUZZ_CHECK(again->entry[i].needs_maintenance ==
		    cat->entry[i].needs_maintenance);
		FUZZ_CHECK(strcmp(again->entry[i].name,
		    cat->entry[i].name) == 0);
	}
out:
	free(text);
	free(again);
	free(cat);
	return 0;
}
