/*
 * termsjson.c - licence terms in JSON, by catalog name or number, for both
 * programs' JSON output
 */
#include <stdint.h>

#include "lkey.h"
#include "termsjson.h"

void
terms_json_name(jsonout *j, const char *field, const catalog *cat,
    catalog_kind kind, uint32_t v)
{
	const char *name = catalog_name(cat, kind, v);

	if (name != NULL)
		jsonout_str(j, field, name);
	else
		jsonout_uint(j, field, v);
}

void
terms_json_features(jsonout *j, const char *field, uint32_t bits,
    const catalog *cat)
{
	uint32_t bit;

	jsonout_array(j, field);
	for (bit = 0; bit < LKEY_FEATURES_MAX; bit++)
		if (bits & (1U << bit))
			terms_json_name(j, NULL, cat, CATALOG_FEATURE, bit);
	jsonout_close(j);
}
