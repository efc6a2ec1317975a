/* test_catalog.c - the catalog file format, lookups and feature lists */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "catalog.h"
#include "support.h"

#define SHIPPED "keys/catalog"

/* A catalog is ~20 KiB: static, not on the stack. */
static catalog cat;
static char err[1024];

static const char example[] =
    "# demo catalog\n"
    "product  timetracker   1\n"
    "edition  basic         1\n"
    "edition  professional  2\n"
    "feature  desktop       0\n"
    "feature  reports       1\n";

static int
parse_n(const char *text, size_t len)
{
	err[0] = '\0';
	return catalog_parse(text, len, &cat, err, sizeof(err));
}

static int
parse(const char *text)
{
	return parse_n(text, strlen(text));
}

/* Parses `text` and expects exactly the error `want` and an empty catalog. */
static void
refuse_n(const char *text, size_t len, const char *want)
{
	/* Fill the catalog first: a failed parse must empty it. */
	assert_int_equal(parse(example), 0);
	assert_int_equal(cat.n, 5);
	assert_int_equal(parse_n(text, len), -1);
	assert_string_equal(err, want);
	assert_int_equal(cat.n, 0);
}

static void
refuse(const char *text, const char *want)
{
	refuse_n(text, strlen(text), want);
}

static void
accept(const char *text, size_t n)
{
	if (parse(text) != 0)
		fail_msg("refused \"%s\": %s", text, err);
	assert_int_equal(cat.n, n);
}

static uint32_t
lookup_ok(const catalog *c, catalog_kind kind, const char *text)
{
	uint32_t v = 12345;

	err[0] = '\0';
	if (catalog_lookup(c, kind, text, &v, err, sizeof(err)) != 0)
		fail_msg("lookup of '%s' failed: %s", text, err);
	return v;
}

static void
lookup_bad(const catalog *c, catalog_kind kind, const char *text,
    const char *want)
{
	const char *at = strstr(want, "%s");
	char full[512];
	uint32_t v = 12345;

	/* "%s" in want stands for the text, as the message shows it. */
	if (at != NULL) {
		snprintf(full, sizeof(full), "%.*s%s%s", (int)(at - want), want,
		    text, at + 2);
		want = full;
	}
	err[0] = '\0';
	assert_int_equal(catalog_lookup(c, kind, text, &v, err, sizeof(err)),
	    -1);
	assert_string_equal(err, want);
	assert_int_equal(v, 0);
}

static char *
temp_file(const char *data, size_t len)
{
	static char path[64];
	int fd;

	snprintf(path, sizeof(path), "/tmp/test_catalog.XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	assert_int_equal(close(fd), 0);
	return path;
}

static void
test_example(void **state)
{
	(void)state;
	accept(example, 5);
	assert_int_equal(cat.entry[0].kind, CATALOG_PRODUCT);
	assert_int_equal(cat.entry[0].value, 1);
	assert_string_equal(cat.entry[0].name, "timetracker");
	assert_int_equal(cat.entry[2].kind, CATALOG_EDITION);
	assert_int_equal(cat.entry[2].value, 2);
	assert_string_equal(cat.entry[2].name, "professional");
	assert_int_equal(cat.entry[4].kind, CATALOG_FEATURE);
	assert_string_equal(cat.entry[4].name, "reports");
}

static void
test_blank_and_comments(void **state)
{
	(void)state;
	accept("", 0);
	accept("\n\n\n", 0);
	accept("   \n\t\n \t \n", 0);
	accept("#\n# comment\n   # indented\n\t#tabbed\n", 0);
	accept("# UTF-8 is fine here: \xc3\xa9\xe2\x82\xac\n", 0);
	accept("#product a 1\n", 0);
	accept("  product a 1\n\tedition b 2\n", 2);
	/* Comments are whole lines only. */
	refuse("product a 1 # the product\n",
	    "line 1: unexpected '#' after the number");
	refuse("product a 1#\n",
	    "line 1: product number '1#' is not a plain decimal number");
}

static void
test_line_ends_and_whitespace(void **state)
{
	(void)state;
	accept("product a 1\r\nedition b 2\r\n", 2);
	accept("product a 1 \t \r\nedition b 2\t\n", 2);
	accept("product\ta\t1\nedition \t b \t 2", 2);	/* no final newline */
	accept("# c\r\n\r\nfeature x 3\r\n", 1);
	accept("feature x 3\r", 1);
	assert_string_equal(cat.entry[0].name, "x");
	assert_int_equal(cat.entry[0].value, 3);
	/* Only one CR before the line end, and none inside a line. */
	refuse("product a 1\r\r\n",
	    "line 1: product number '1\\x0d' is not a plain decimal number");
	refuse("product a 1\redition b 2\n",
	    "line 1: unexpected 'b' after the number");
	refuse("product a\x0b 1\n",
	    "line 1: bad product name 'a\\x0b' (a-z, 0-9, '_', '-'; a letter "
	    "first; at most 32 characters)");
}

static void
test_unknown_kind(void **state)
{
	(void)state;
	refuse("product a 1\n\n# c\n\nedition b 1\n\neditons c 2\n",
	    "line 7: unknown kind 'editons'");
	refuse("Product a 1\n", "line 1: unknown kind 'Product'");
	refuse("products a 1\n", "line 1: unknown kind 'products'");
	refuse("prod a 1\n", "line 1: unknown kind 'prod'");
	refuse("1 a 1\n", "line 1: unknown kind '1'");
	/* Untrusted bytes are escaped and cut short in messages. */
	refuse("\x1b[2Jx a 1\n", "line 1: unknown kind '\\x1b[2Jx'");
	refuse("a\\b a 1\n", "line 1: unknown kind 'a\\x5cb'");
	refuse("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx 1 2\n",
	    "line 1: unknown kind 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...'");
}

static void
test_fields(void **state)
{
	(void)state;
	refuse("product a 1\nedition\n",
	    "line 2: edition without a name and a number");
	refuse("product a 1\nedition  \t \n",
	    "line 2: edition without a name and a number");
	refuse("feature desktop\n", "line 1: feature 'desktop' without a number");
	refuse("product a 1 2\n", "line 1: unexpected '2' after the number");
	refuse("product a 1 2 3 4\n", "line 1: unexpected '2' after the number");
	refuse("product a b\n",
	    "line 1: product number 'b' is not a plain decimal number");
}

static void
test_names(void **state)
{
	static const char *good[] = {
		"a", "z", "a1", "a-b_c9", "x-", "x_", "a0123456789",
		"abcdefghijklmnopqrstuvwxyz012345",	/* 32 */
	};
	static const struct bad_text bad[] = {
		{ "edition A 1", "'A'" },
		{ "edition Pro 1", "'Pro'" },
		{ "edition pRo 1", "'pRo'" },
		{ "edition 1a 1", "'1a'" },
		{ "edition 7 1", "'7'" },
		{ "edition _a 1", "'_a'" },
		{ "edition -a 1", "'-a'" },
		{ "edition a.b 1", "'a.b'" },
		{ "edition a/b 1", "'a/b'" },
		{ "edition a,b 1", "'a,b'" },
		{ "edition caf\xc3\xa9 1", "'caf\\xc3\\xa9'" },
		{ "edition abcdefghijklmnopqrstuvwxyz0123456 1",
		    "'abcdefghijklmnopqrstuvwxyz0123456'" },	/* 33 */
	};
	char line[128], want[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		snprintf(line, sizeof(line), "feature %s 5\n", good[i]);
		accept(line, 1);
		assert_string_equal(cat.entry[0].name, good[i]);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(line, sizeof(line), "# c\n%s\n", bad[i].text);
		snprintf(want, sizeof(want), "line 2: bad edition name %s (a-z, "
		    "0-9, '_', '-'; a letter first; at most 32 characters)",
		    bad[i].want);
		refuse(line, want);
	}
}

static void
test_numbers(void **state)
{
	static const struct {
		const char *kind;
		const char *num;
		uint32_t value;
	} good[] = {
		{ "product", "1", 1 }, { "product", "65535", 65535 },
		{ "product", "4096", 4096 },
		{ "edition", "0", 0 }, { "edition", "255", 255 },
		{ "feature", "0", 0 }, { "feature", "31", 31 },
	};
	static const struct {
		const char *kind;
		const char *num;
		const char *want;
	} bad[] = {
		{ "product", "0", "product number 0 is out of range (1 to 65535)" },
		{ "product", "65536",
		    "product number 65536 is out of range (1 to 65535)" },
		{ "product", "4294967297",	/* 2^32 + 1 must not wrap to 1 */
		    "product number 4294967297 is out of range (1 to 65535)" },
		{ "product", "99999999999999999999",
		    "product number 99999999999999999999 is out of range "
		    "(1 to 65535)" },
		{ "edition", "256",
		    "edition number 256 is out of range (0 to 255)" },
		{ "feature", "32", "feature number 32 is out of range (0 to 31)" },
		{ "feature", "4294967296",
		    "feature number 4294967296 is out of range (0 to 31)" },
		{ "product", "01", "product number '01' has a leading zero" },
		{ "edition", "00", "edition number '00' has a leading zero" },
		{ "feature", "007", "feature number '007' has a leading zero" },
		{ "product", "-1",
		    "product number '-1' is not a plain decimal number" },
		{ "product", "+1",
		    "product number '+1' is not a plain decimal number" },
		{ "product", "1x",
		    "product number '1x' is not a plain decimal number" },
		{ "product", "0x1",
		    "product number '0x1' is not a plain decimal number" },
		{ "edition", "1.0",
		    "edition number '1.0' is not a plain decimal number" },
		{ "edition", "1e2",
		    "edition number '1e2' is not a plain decimal number" },
		{ "edition", "two",
		    "edition number 'two' is not a plain decimal number" },
		{ "edition", "\xef\xbc\x91",	/* fullwidth digit one */
		    "edition number '\\xef\\xbc\\x91' is not a plain decimal "
		    "number" },
	};
	char line[128], want[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		snprintf(line, sizeof(line), "%s n %s\n", good[i].kind,
		    good[i].num);
		accept(line, 1);
		assert_int_equal(cat.entry[0].value, good[i].value);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(line, sizeof(line), "\n\n%s n %s\n", bad[i].kind,
		    bad[i].num);
		snprintf(want, sizeof(want), "line 3: %s", bad[i].want);
		refuse(line, want);
	}
}

static void
test_duplicates(void **state)
{
	(void)state;
	refuse("edition basic 1\nedition pro 2\nedition basic 3\n",
	    "line 3: edition 'basic' is defined twice");
	refuse("edition basic 1\nedition pro 2\nedition gold 1\n",
	    "line 3: edition number 1 is already 'basic'");
	refuse("feature a 0\nfeature a 0\n", "line 2: feature 'a' is defined twice");
	/* Kinds are separate name spaces. */
	accept("product pro 1\nedition pro 1\nfeature pro 1\n", 3);
	assert_int_equal(cat.entry[1].kind, CATALOG_EDITION);
	assert_int_equal(cat.entry[2].kind, CATALOG_FEATURE);
}

static void
test_nul_byte(void **state)
{
	static const char a[] = "product a 1\nedition b\0 2\n";
	static const char b[] = "product a 1\n# comment \0\n";
	static const char c[] = "\0";

	(void)state;
	refuse_n(a, sizeof(a) - 1, "line 2: NUL byte");
	refuse_n(b, sizeof(b) - 1, "line 2: NUL byte");
	refuse_n(c, sizeof(c) - 1, "line 1: NUL byte");
}

static void
test_line_length(void **state)
{
	char text[600];
	size_t n;

	(void)state;
	/* An entry padded with trailing blanks to exactly 256 bytes. */
	n = (size_t)snprintf(text, sizeof(text), "product a 1");
	memset(text + n, ' ', 256 - n);
	text[256] = '\0';
	accept(text, 1);
	strcpy(text + 256, "\n");
	accept(text, 1);
	strcpy(text + 256, "\r\n");
	accept(text, 1);
	strcpy(text + 256, " \n");
	refuse(text, "line 1: longer than 256 bytes");

	/* A comment of 256 and of 257 bytes, on line 2. */
	text[0] = '\n';
	memset(text + 1, '#', 256);
	strcpy(text + 257, "\r\n");
	accept(text, 0);
	strcpy(text + 257, "#");
	refuse(text, "line 2: longer than 256 bytes");
}

static void
test_entries_max(void **state)
{
	static char text[CATALOG_ENTRIES_MAX * 24 + 64];
	size_t i, n = 0;

	(void)state;
	for (i = 1; i <= CATALOG_ENTRIES_MAX; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n,
		    "product p%zu %zu\n", i, i);
	accept(text, CATALOG_ENTRIES_MAX);
	assert_string_equal(cat.entry[CATALOG_ENTRIES_MAX - 1].name, "p512");
	snprintf(text + n, sizeof(text) - n, "feature one-more 0\n");
	refuse(text, "line 513: more than 512 entries");
}

static void
test_parse_size_bound(void **state)
{
	static char text[CATALOG_FILE_MAX + 1];

	(void)state;
	memset(text, '\n', sizeof(text));
	assert_int_equal(parse_n(text, CATALOG_FILE_MAX), 0);
	assert_int_equal(cat.n, 0);
	refuse_n(text, CATALOG_FILE_MAX + 1,
	    "too large (more than 65536 bytes)");
}

static void
test_error_args(void **state)
{
	char small[8];

	(void)state;
	/* err may be NULL, or too small: it is cut, never overrun. */
	assert_int_equal(catalog_parse("bogus a 1\n", 10, &cat, NULL, 0), -1);
	memset(small, 'X', sizeof(small));
	assert_int_equal(catalog_parse("bogus a 1\n", 10, &cat, small,
	    sizeof(small)), -1);
	assert_string_equal(small, "line 1:");
}

static void
test_lookup(void **state)
{
	(void)state;
	accept(example, 5);
	assert_int_equal(lookup_ok(&cat, CATALOG_PRODUCT, "timetracker"), 1);
	assert_int_equal(lookup_ok(&cat, CATALOG_EDITION, "basic"), 1);
	assert_int_equal(lookup_ok(&cat, CATALOG_EDITION, "professional"), 2);
	assert_int_equal(lookup_ok(&cat, CATALOG_FEATURE, "desktop"), 0);
	assert_int_equal(lookup_ok(&cat, CATALOG_FEATURE, "reports"), 1);
	/* Numbers work whether or not the catalog names them. */
	assert_int_equal(lookup_ok(&cat, CATALOG_PRODUCT, "1"), 1);
	assert_int_equal(lookup_ok(&cat, CATALOG_PRODUCT, "77"), 77);
	assert_int_equal(lookup_ok(&cat, CATALOG_EDITION, "9"), 9);
	/* An unknown name: the catalog's names of that kind are listed. */
	lookup_bad(&cat, CATALOG_EDITION, "gold", "unknown edition 'gold' (the "
	    "catalog's editions: basic 1, professional 2)");
	/* A name is only found under its own kind. */
	lookup_bad(&cat, CATALOG_EDITION, "desktop",
	    "unknown edition 'desktop' (the catalog's editions: basic 1, "
	    "professional 2)");
	lookup_bad(&cat, CATALOG_PRODUCT, "basic", "unknown product 'basic' "
	    "(the catalog's products: timetracker 1)");
	lookup_bad(&cat, CATALOG_PRODUCT, "timetrackerx",
	    "unknown product 'timetrackerx' (the catalog's products: "
	    "timetracker 1)");
	lookup_bad(&cat, CATALOG_PRODUCT, "timetracke",
	    "unknown product 'timetracke' (the catalog's products: "
	    "timetracker 1)");
	lookup_bad(&cat, CATALOG_PRODUCT, "TimeTracker",
	    "product '%s' is not a number from 1 to 65535 or a catalog name "
	    "(names are lowercase)");
	lookup_bad(&cat, CATALOG_PRODUCT, " timetracker",
	    "product '%s' is not a number from 1 to 65535 or a catalog name");
	lookup_bad(&cat, CATALOG_PRODUCT, "timetracker ",
	    "product '%s' is not a number from 1 to 65535 or a catalog name");
}

static void
test_lookup_ranges(void **state)
{
	static const char *pmsg =
	    "product '%s' is not a number from 1 to 65535 or a catalog name";
	static const char *emsg =
	    "edition '%s' is not a number from 0 to 255 or a catalog name";
	static const char *fmsg =
	    "feature '%s' is not a number from 0 to 31 or a catalog name";
	static const char *junk[] = {
		"", "01", "00", "-1", "+1", "1x", "1 ", " 1", "0x1", "1.0",
		"99999999999999999999", "4294967296", "4294967297",
	};
	const catalog *cats[2] = { &cat, NULL };
	size_t i, c;

	(void)state;
	accept(example, 5);
	for (c = 0; c < 2; c++) {
		assert_int_equal(lookup_ok(cats[c], CATALOG_PRODUCT, "65535"),
		    65535);
		assert_int_equal(lookup_ok(cats[c], CATALOG_PRODUCT, "1"), 1);
		lookup_bad(cats[c], CATALOG_PRODUCT, "0", pmsg);
		lookup_bad(cats[c], CATALOG_PRODUCT, "65536", pmsg);
		assert_int_equal(lookup_ok(cats[c], CATALOG_EDITION, "0"), 0);
		assert_int_equal(lookup_ok(cats[c], CATALOG_EDITION, "255"), 255);
		lookup_bad(cats[c], CATALOG_EDITION, "256", emsg);
		assert_int_equal(lookup_ok(cats[c], CATALOG_FEATURE, "0"), 0);
		assert_int_equal(lookup_ok(cats[c], CATALOG_FEATURE, "31"), 31);
		lookup_bad(cats[c], CATALOG_FEATURE, "32", fmsg);
		for (i = 0; i < sizeof(junk) / sizeof(junk[0]); i++) {
			lookup_bad(cats[c], CATALOG_PRODUCT, junk[i], pmsg);
			lookup_bad(cats[c], CATALOG_EDITION, junk[i], emsg);
			lookup_bad(cats[c], CATALOG_FEATURE, junk[i], fmsg);
		}
	}
}

static void
test_null_catalog(void **state)
{
	uint32_t bits = 99;
	char out[64];

	(void)state;
	assert_int_equal(lookup_ok(NULL, CATALOG_PRODUCT, "42"), 42);
	assert_int_equal(lookup_ok(NULL, CATALOG_EDITION, "2"), 2);
	lookup_bad(NULL, CATALOG_PRODUCT, "x",
	    "unknown product 'x' (no catalog given)");
	lookup_bad(NULL, CATALOG_EDITION, "professional",
	    "unknown edition 'professional' (no catalog given)");
	assert_null(catalog_name(NULL, CATALOG_PRODUCT, 1));
	assert_int_equal(catalog_features(NULL, "0,7,31", &bits, err,
	    sizeof(err)), 0);
	assert_int_equal(bits, UINT32_C(0x80000081));
	assert_int_equal(catalog_features(NULL, "desktop", &bits, err,
	    sizeof(err)), -1);
	assert_string_equal(err, "unknown feature 'desktop' (no catalog given)");
	assert_int_equal(bits, 0);
	assert_int_equal(catalog_features_format(NULL, UINT32_C(0x80000081),
	    out, sizeof(out)), 6);
	assert_string_equal(out, "0,7,31");
}

/*
 * What lkey-keygen may issue by a catalog: of a kind the catalog lists,
 * only the numbers it names (the message lists them); of a kind it has
 * no line for, and without a catalog, any number.
 */
static void
test_named(void **state)
{
	static char text[CATALOG_ENTRIES_MAX * 24 + 64];
	size_t i, n = 0;

	(void)state;
	assert_int_equal(catalog_named(NULL, CATALOG_EDITION, 0, err,
	    sizeof(err)), 0);
	accept(example, 5);
	assert_int_equal(catalog_named(&cat, CATALOG_EDITION, 2, err,
	    sizeof(err)), 0);
	assert_int_equal(catalog_named(&cat, CATALOG_FEATURE, 0, err,
	    sizeof(err)), 0);
	assert_int_equal(catalog_named(&cat, CATALOG_EDITION, 0, err,
	    sizeof(err)), -1);
	assert_string_equal(err, "the catalog has no edition 0 (its editions: "
	    "basic 1, professional 2)");
	assert_int_equal(catalog_named(&cat, CATALOG_EDITION, 255, err,
	    sizeof(err)), -1);
	assert_string_equal(err, "the catalog has no edition 255 (its "
	    "editions: basic 1, professional 2)");
	assert_int_equal(catalog_named(&cat, CATALOG_FEATURE, 5, err,
	    sizeof(err)), -1);
	assert_string_equal(err, "the catalog has no feature 5 (its features: "
	    "desktop 0, reports 1)");
	assert_int_equal(catalog_named(&cat, CATALOG_PRODUCT, 2, err,
	    sizeof(err)), -1);
	assert_string_equal(err, "the catalog has no product 2 (its products: "
	    "timetracker 1)");
	/* A kind without lines is open. */
	accept("feature desktop 0\n", 1);
	assert_int_equal(catalog_named(&cat, CATALOG_PRODUCT, 7, err,
	    sizeof(err)), 0);
	assert_int_equal(catalog_named(&cat, CATALOG_EDITION, 0, err,
	    sizeof(err)), 0);
	assert_int_equal(catalog_named(&cat, CATALOG_FEATURE, 1, err,
	    sizeof(err)), -1);
	/* A long list is cut, saying how long it is. */
	for (i = 1; i <= CATALOG_ENTRIES_MAX; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n,
		    "product p%zu %zu\n", i, i);
	accept(text, CATALOG_ENTRIES_MAX);
	assert_int_equal(catalog_named(&cat, CATALOG_PRODUCT, 600, err,
	    sizeof(err)), -1);
	{
		static const char head[] = "the catalog has no product 600 "
		    "(its products: p1 1, p2 2, p3 3, ";
		static const char tail[] = ", ... (512 in all))";

		assert_memory_equal(err, head, sizeof(head) - 1);
		n = strlen(err);
		assert_true(n < 300 && n > sizeof(tail));
		assert_string_equal(err + n - (sizeof(tail) - 1), tail);
	}
}

static void
test_name(void **state)
{
	(void)state;
	accept(example, 5);
	assert_string_equal(catalog_name(&cat, CATALOG_PRODUCT, 1),
	    "timetracker");
	assert_string_equal(catalog_name(&cat, CATALOG_EDITION, 1), "basic");
	assert_string_equal(catalog_name(&cat, CATALOG_EDITION, 2),
	    "professional");
	assert_string_equal(catalog_name(&cat, CATALOG_FEATURE, 1), "reports");
	assert_null(catalog_name(&cat, CATALOG_EDITION, 3));
	assert_null(catalog_name(&cat, CATALOG_PRODUCT, 2));
	assert_null(catalog_name(&cat, CATALOG_PRODUCT, 0));
	assert_null(catalog_name(&cat, CATALOG_FEATURE, 2));
	assert_string_equal(catalog_kind_name(CATALOG_PRODUCT), "product");
	assert_string_equal(catalog_kind_name(CATALOG_EDITION), "edition");
	assert_string_equal(catalog_kind_name(CATALOG_FEATURE), "feature");
}

static void
features_bad(const char *list, const char *want)
{
	uint32_t bits = 99;

	err[0] = '\0';
	assert_int_equal(catalog_features(&cat, list, &bits, err, sizeof(err)),
	    -1);
	assert_string_equal(err, want);
	assert_int_equal(bits, 0);
}

static uint32_t
features_ok(const catalog *c, const char *list)
{
	uint32_t bits = 99;

	err[0] = '\0';
	if (catalog_features(c, list, &bits, err, sizeof(err)) != 0)
		fail_msg("features '%s' refused: %s", list, err);
	return bits;
}

static void
test_features(void **state)
{
	(void)state;
	accept(example, 5);
	assert_int_equal(features_ok(&cat, ""), 0);
	assert_int_equal(features_ok(&cat, "desktop"), 1);
	assert_int_equal(features_ok(&cat, "reports"), 2);
	assert_int_equal(features_ok(&cat, "desktop,reports,7"), 0x83);
	assert_int_equal(features_ok(&cat, "7,reports,desktop"), 0x83);
	assert_int_equal(features_ok(&cat, "31"), UINT32_C(0x80000000));
	assert_int_equal(features_ok(&cat, "0,1,2,3,4,5,6,7,8,9,10,11,12,13,"
	    "14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31"),
	    UINT32_C(0xffffffff));
	features_bad("a,,b", "empty item in feature list");
	features_bad(",desktop", "empty item in feature list");
	features_bad("desktop,", "empty item in feature list");
	features_bad(",", "empty item in feature list");
	features_bad("desktop, reports", "spaces in feature list");
	features_bad("desktop ,reports", "spaces in feature list");
	features_bad(" ", "spaces in feature list");
	features_bad("desktop,\treports", "spaces in feature list");
	features_bad("gold,,desktop", "empty item in feature list");
	features_bad("gold, desktop", "spaces in feature list");
	features_bad("desktop,desktop", "feature 'desktop' given twice");
	features_bad("desktop,0", "feature 'desktop' given twice");
	features_bad("7,reports,7", "feature 7 given twice");
	features_bad("desktop,gold", "unknown feature 'gold' (the catalog's "
	    "features: desktop 0, reports 1)");
	features_bad("32", "feature '32' is not a number from 0 to 31 or a "
	    "catalog name");
	features_bad("01", "feature '01' is not a number from 0 to 31 or a "
	    "catalog name");
	features_bad("desktop;reports", "feature 'desktop;reports' is not a "
	    "number from 0 to 31 or a catalog name");
	/* 33 characters: too long to be a name, even if its prefix is one. */
	features_bad("abcdefghijklmnopqrstuvwxyz0123456", "feature "
	    "'abcdefghijklmnopqrstuvwxyz0123456' is not a number from 0 to 31 "
	    "or a catalog name");
	features_bad("abcdefghijklmnopqrstuvwxyz0123456789abcd", "feature "
	    "'abcdefghijklmnopqrstuvwxyz0123456789abcd' is not a number from 0 "
	    "to 31 or a catalog name");
	features_bad("3100000000000000000000000000000000000000", "feature "
	    "'3100000000000000000000000000000000000000' is not a number from 0 "
	    "to 31 or a catalog name");
}

static void
test_features_format(void **state)
{
	char want[CATALOG_FEATURES_TEXT_MAX * 2 + 64];
	char out[CATALOG_FEATURES_TEXT_MAX];
	char text[CATALOG_FEATURES_TEXT_MAX * 2];
	size_t i, n = 0;

	(void)state;
	accept(example, 5);
	memset(out, 'X', sizeof(out));
	assert_int_equal(catalog_features_format(&cat, 0, out, sizeof(out)), 0);
	assert_string_equal(out, "");
	assert_int_equal(catalog_features_format(&cat, 0x83, out, sizeof(out)),
	    17);
	assert_string_equal(out, "desktop,reports,7");
	assert_int_equal(catalog_features_format(&cat, UINT32_C(0x80000400),
	    out, sizeof(out)), 5);
	assert_string_equal(out, "10,31");

	/* Exactly enough room, then one byte short: "" and 0, no overrun. */
	assert_int_equal(catalog_features_format(&cat, 0x83, out, 18), 17);
	assert_string_equal(out, "desktop,reports,7");
	memset(out, 'X', sizeof(out));
	assert_int_equal(catalog_features_format(&cat, 0x83, out, 17), 0);
	assert_string_equal(out, "");
	assert_int_equal(out[17], 'X');
	memset(out, 'X', sizeof(out));
	assert_int_equal(catalog_features_format(&cat, 1, out, 1), 0);
	assert_int_equal(out[0], '\0');
	assert_int_equal(out[1], 'X');
	assert_int_equal(catalog_features_format(&cat, 1, out, 0), 0);
	assert_int_equal(out[1], 'X');

	/* 32 names of 32 characters fill CATALOG_FEATURES_TEXT_MAX exactly. */
	for (i = 0; i < 32; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n,
		    "feature f%030zu%c %zu\n", i, 'z', i);
	accept(text, 32);
	assert_int_equal(strlen(cat.entry[0].name), CATALOG_NAME_MAX);
	assert_int_equal(catalog_features_format(&cat, UINT32_C(0xffffffff),
	    out, sizeof(out)), CATALOG_FEATURES_TEXT_MAX - 1);
	assert_int_equal(features_ok(&cat, out), UINT32_C(0xffffffff));
	/* A known 32-character name with more after it is not that name. */
	snprintf(text, sizeof(text), "%s%s", cat.entry[3].name, "zzzzzzzz");
	snprintf(want, sizeof(want), "feature '%s' is not a number from 0 to "
	    "31 or a catalog name", text);
	features_bad(text, want);
	assert_int_equal(catalog_features_format(&cat, UINT32_C(0xffffffff),
	    out, sizeof(out) - 1), 0);
}

static void
test_features_round_trip(void **state)
{
	static const uint32_t patterns[] = {
		0, 1, 2, 3, 0x83, 0x80000000, 0xffffffff, 0x55555555,
		0xaaaaaaaa, 0x12345678, 0xfffffffc, 0x7ffffffe,
	};
	char out[CATALOG_FEATURES_TEXT_MAX];
	const catalog *cats[2] = { &cat, NULL };
	uint32_t x = 0x2545f491;
	size_t i, c;

	(void)state;
	accept(example, 5);
	for (c = 0; c < 2; c++) {
		for (i = 0; i < sizeof(patterns) / sizeof(patterns[0]); i++) {
			catalog_features_format(cats[c], patterns[i], out,
			    sizeof(out));
			assert_int_equal(features_ok(cats[c], out), patterns[i]);
		}
		for (i = 0; i < 1000; i++) {	/* xorshift32, fixed seed */
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			catalog_features_format(cats[c], x, out, sizeof(out));
			assert_int_equal(features_ok(cats[c], out), x);
		}
	}
	/* And text to bits to text is canonical order, names where known. */
	assert_int_equal(features_ok(&cat, "7,reports,desktop,3"), 0x8b);
	catalog_features_format(&cat, 0x8b, out, sizeof(out));
	assert_string_equal(out, "desktop,reports,3,7");
}

static void
test_load(void **state)
{
	static const char bad[] = "product a 1\nedition b 256\n";
	char want[256];
	char *path;
	int rc;

	(void)state;
	path = temp_file(example, sizeof(example) - 1);
	rc = catalog_load(path, &cat, err, sizeof(err));
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rc, 0);
	assert_int_equal(cat.n, 5);

	path = temp_file(bad, sizeof(bad) - 1);
	rc = catalog_load(path, &cat, err, sizeof(err));
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rc, -1);
	snprintf(want, sizeof(want), "%s: line 2: edition number 256 is out "
	    "of range (0 to 255)", path);
	assert_string_equal(err, want);
	assert_int_equal(cat.n, 0);

	/* Missing file: "PATH: reason". */
	assert_int_equal(catalog_load(path, &cat, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s: cannot open: ", path);
	assert_memory_equal(err, want, strlen(want));
	assert_int_equal(cat.n, 0);
}

static void
test_load_size_bound(void **state)
{
	static char data[CATALOG_FILE_MAX + 1];
	static const char entry[] = "feature last 31\n";
	char want[256];
	char *path;
	size_t i;
	int rc;

	(void)state;
	/* Comment lines of 64 bytes, then an entry ending exactly at the bound. */
	for (i = 0; i < CATALOG_FILE_MAX; i += 64) {
		memset(data + i, '#', 63);
		data[i + 63] = '\n';
	}
	memcpy(data + CATALOG_FILE_MAX - (sizeof(entry) - 1), entry,
	    sizeof(entry) - 1);
	data[CATALOG_FILE_MAX - sizeof(entry)] = '\n';

	path = temp_file(data, CATALOG_FILE_MAX);
	rc = catalog_load(path, &cat, err, sizeof(err));
	assert_int_equal(unlink(path), 0);
	if (rc != 0)
		fail_msg("%s", err);
	assert_int_equal(cat.n, 1);
	assert_string_equal(cat.entry[0].name, "last");

	data[CATALOG_FILE_MAX] = '\n';
	path = temp_file(data, CATALOG_FILE_MAX + 1);
	rc = catalog_load(path, &cat, err, sizeof(err));
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rc, -1);
	snprintf(want, sizeof(want), "%s: too large (more than 65536 bytes)",
	    path);
	assert_string_equal(err, want);
	assert_int_equal(cat.n, 0);
}

static void
test_maintenance(void **state)
{
	static const char text[] =
	    "product  timetracker  1\n"
	    "edition  basic        1\n"
	    "feature  desktop      0  maintenance\n"
	    "feature  reports      1\n"
	    "feature  payroll      2\tmaintenance \t\n"
	    "\tfeature mobile 3 maintenance\n"
	    "feature  last         31 maintenance";	/* no final newline */
	static const int want[] = { 0, 0, 1, 0, 1, 1, 1 };
	static char all[32 * 32];
	size_t i, n = 0;

	(void)state;
	accept(text, 7);
	for (i = 0; i < 7; i++)
		assert_int_equal(cat.entry[i].needs_maintenance, want[i]);
	assert_string_equal(cat.entry[6].name, "last");
	assert_int_equal(cat.entry[6].value, 31);
	assert_int_equal(catalog_maintenance_features(&cat),
	    UINT32_C(0x8000000d));
	/* The flag changes nothing else: names and numbers map as before. */
	assert_int_equal(lookup_ok(&cat, CATALOG_FEATURE, "payroll"), 2);
	assert_string_equal(catalog_name(&cat, CATALOG_FEATURE, 31), "last");

	accept("feature only 31 maintenance\n", 1);
	assert_int_equal(catalog_maintenance_features(&cat),
	    UINT32_C(0x80000000));
	accept("feature seven 7 maintenance\nfeature zero 0\n", 2);
	assert_int_equal(catalog_maintenance_features(&cat), 0x80);
	/* Every bit. */
	for (i = 0; i < 32; i++)
		n += (size_t)snprintf(all + n, sizeof(all) - n,
		    "feature f%zu %zu maintenance\n", i, i);
	accept(all, 32);
	assert_int_equal(catalog_maintenance_features(&cat),
	    UINT32_C(0xffffffff));
}

static void
test_maintenance_absent(void **state)
{
	size_t i;

	(void)state;
	accept(example, 5);
	for (i = 0; i < cat.n; i++)
		assert_false(cat.entry[i].needs_maintenance);
	assert_int_equal(catalog_maintenance_features(&cat), 0);
	accept("", 0);
	assert_int_equal(catalog_maintenance_features(&cat), 0);
	assert_int_equal(catalog_maintenance_features(NULL), 0);
	/* A refused catalog is empty, marks included. */
	assert_int_equal(parse("feature a 0 maintenance\nbogus\n"), -1);
	assert_int_equal(catalog_maintenance_features(&cat), 0);
}

static void
test_maintenance_refused(void **state)
{
	static const char *words[] = {
		"foo", "Maintenance", "MAINTENANCE", "maintenanc", "maintenances",
		"maint", "m", "1", "#", "-maintenance", "maintenance,",
		"needs-maintenance",
	};
	char line[128], want[256];
	size_t i;

	(void)state;
	/* Only a feature can carry the flag. */
	refuse("product a 1\n\n# c\n\nedition b 1\n\n"
	    "product c 2 maintenance\n",
	    "line 7: only a feature can need maintenance");
	refuse("edition pro 2  maintenance\n",
	    "line 1: only a feature can need maintenance");
	refuse("edition pro 2 maintenance x\n",
	    "line 1: only a feature can need maintenance");
	/* Any other word there is what it was before. */
	refuse("edition pro 2 foo\n", "line 1: unexpected 'foo' after the number");

	/* On a feature, one word and no other. */
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		snprintf(line, sizeof(line), "feature a 0\nfeature b 1 %s\n",
		    words[i]);
		snprintf(want, sizeof(want), "line 2: unknown flag '%s' (only "
		    "'maintenance')", words[i]);
		refuse(line, want);
	}
	refuse("feature a 0 maint\x1b[2J\n",
	    "line 1: unknown flag 'maint\\x1b[2J' (only 'maintenance')");
	refuse("feature a 0 # comment\n",
	    "line 1: unknown flag '#' (only 'maintenance')");

	/* Five fields or more. */
	refuse("feature a 0 maintenance maintenance\n",
	    "line 1: unexpected 'maintenance' after 'maintenance'");
	refuse("feature a 0\nfeature b 1 maintenance x y\n",
	    "line 2: unexpected 'x' after 'maintenance'");
	refuse("feature a 0 maintenance # comment\n",
	    "line 1: unexpected '#' after 'maintenance'");
	refuse("feature a 0 foo maintenance\n",
	    "line 1: unknown flag 'foo' (only 'maintenance')");

	/* The rest of the line is checked as before. */
	refuse("feature A 0 maintenance\n", "line 1: bad feature name 'A' "
	    "(a-z, 0-9, '_', '-'; a letter first; at most 32 characters)");
	refuse("feature a 32 maintenance\n",
	    "line 1: feature number 32 is out of range (0 to 31)");
	refuse("feature a 0 maintenance\nfeature a 1\n",
	    "line 2: feature 'a' is defined twice");
	refuse("feature a 0\nfeature b 0 maintenance\n",
	    "line 2: feature number 0 is already 'a'");
}

static void
test_maintenance_line_ends(void **state)
{
	(void)state;
	accept("feature desktop 0 maintenance\r\nfeature reports 1\r\n"
	    "feature mobile 3  maintenance \t\r\n", 3);
	assert_int_equal(catalog_maintenance_features(&cat), 0x9);
	accept("feature x 5 maintenance\r", 1);
	assert_true(cat.entry[0].needs_maintenance);
	assert_int_equal(catalog_maintenance_features(&cat), 0x20);
	/* Only one CR before the line end, as for any other field. */
	refuse("feature x 5 maintenance\r\r\n",
	    "line 1: unknown flag 'maintenance\\x0d' (only 'maintenance')");
	refuse("feature x 5 maintenance\rfeature y 6\n",
	    "line 1: unknown flag 'maintenance\\x0dfeature' (only "
	    "'maintenance')");
}

/* Loads the demo catalog in keys/ into cat, or skips the test. */
static void
load_shipped(void)
{
	if (access(SHIPPED, F_OK) != 0) {
		print_message("%s is absent: skipped\n", SHIPPED);
		skip();
	}
	if (catalog_load(SHIPPED, &cat, err, sizeof(err)) != 0)
		fail_msg("%s", err);
}

/* The demo catalog in keys/: desktop (0) and mobile (3) need maintenance. */
static void
test_shipped_maintenance(void **state)
{
	uint32_t v;

	(void)state;
	load_shipped();
	assert_int_equal(catalog_maintenance_features(&cat), 0x9);
	assert_int_equal(catalog_features(&cat, "desktop,mobile", &v, err,
	    sizeof(err)), 0);
	assert_int_equal(v, 0x9);
}

/* The demo catalog in keys/: loads, and every entry maps both ways. */
static void
test_shipped(void **state)
{
	const catalog_entry *e;
	uint32_t v;
	size_t i;

	(void)state;
	load_shipped();
	assert_true(cat.n > 0);
	for (i = 0; i < cat.n; i++) {
		e = &cat.entry[i];
		assert_int_equal(catalog_lookup(&cat, e->kind, e->name, &v, err,
		    sizeof(err)), 0);
		assert_int_equal(v, e->value);
		assert_ptr_equal(catalog_name(&cat, e->kind, e->value), e->name);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_example),
		cmocka_unit_test(test_blank_and_comments),
		cmocka_unit_test(test_line_ends_and_whitespace),
		cmocka_unit_test(test_unknown_kind),
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_duplicates),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_line_length),
		cmocka_unit_test(test_entries_max),
		cmocka_unit_test(test_parse_size_bound),
		cmocka_unit_test(test_error_args),
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_lookup_ranges),
		cmocka_unit_test(test_null_catalog),
		cmocka_unit_test(test_named),
		cmocka_unit_test(test_name),
		cmocka_unit_test(test_features),
		cmocka_unit_test(test_features_format),
		cmocka_unit_test(test_features_round_trip),
		cmocka_unit_test(test_load),
		cmocka_unit_test(test_load_size_bound),
		cmocka_unit_test(test_shipped),
		cmocka_unit_test(test_maintenance),
		cmocka_unit_test(test_maintenance_absent),
		cmocka_unit_test(test_maintenance_refused),
		cmocka_unit_test(test_maintenance_line_ends),
		cmocka_unit_test(test_shipped_maintenance),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
