/*
 * termsjson.h - licence terms in JSON as lkey-verify --json writes them
 * and lkey-keygen ledger --json too: a product, edition or feature by its
 * catalog name where the catalog has one, else by its number (internal;
 * not part of liblkey)
 */
#ifndef LKEY_TERMSJSON_H
#define LKEY_TERMSJSON_H

#include <stdint.h>

#include "catalog.h"
#include "jsonout.h"

/* Member `field` (NULL: an array element): v's name in cat, or v. */
void terms_json_name(jsonout *j, const char *field, const catalog *cat,
    catalog_kind kind, uint32_t v);

/* Member `field`: an array of the features set in `bits`, by name or
 * number, in rising order. */
void terms_json_features(jsonout *j, const char *field, uint32_t bits,
    const catalog *cat);

#endif
