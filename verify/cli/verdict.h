/*
 * verdict.h - everything lkey-verify knows about one check of one key: what
 * the check evaluated, what the report shows and what registration did
 * (internal to lkey-verify)
 */
#ifndef LKEY_VERDICT_H
#define LKEY_VERDICT_H

#include <stdbool.h>

#include "catalog.h"
#include "lkey.h"

typedef struct verdict {
	lkey_status status;
	bool decoded;		/* lic holds an authenticated licence */
	lkey_license lic;
	lkey_context ctx;
	lkey_report rep;	/* filled when decoded */
	lkey_detail det;	/* why decoding failed */
	const char *text;	/* the key text as given, for det's place */
	size_t text_len;
	const catalog *cat;	/* names for numbers, or NULL */
	const char *install;	/* --install FILE, or NULL */
	bool installed;		/* the key was written to it */
	bool already;		/* it held this key already */
	/* --store: the store the licence is from, or NULL; whether a key
	 * was given to register in it (storecmd.c). */
	const lkey_store *store;
	bool registering;
	const lkey_suggestion *suggestion;	/* a likely typo (typo.c), or
						   NULL */
} verdict;

#endif
