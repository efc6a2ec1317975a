/*
 * options.h - the options of lkey-verify, as the single check and the
 * --check manifest runner both read them (internal to lkey-verify)
 */
#ifndef LKEY_OPTIONS_H
#define LKEY_OPTIONS_H

#include <stdbool.h>

#include "cli.h"

enum {
	O_PUBKEY, O_PRODUCT, O_CATALOG, O_TODAY, O_RELEASE, O_USERS, O_ADMIN,
	O_OVER_SINCE, O_MODULE_USERS, O_JSON, O_KEYFILE, O_INSTALL, O_FORCE,
	O_STATE, O_REVOCATIONS, O_HOST, O_HOST_ID, O_CHECK, O_HELP, O_VERSION,
	O_STORE, O_REGISTER,
	O_COUNT
};

extern const args_spec options[O_COUNT];

/*
 * --check MANIFEST (check.c): the options whose value is a path, which a
 * manifest gives relative to its own directory, and the options it refuses,
 * on its command line and in its lines, with the reason: each line is a
 * check and nothing more, so nothing may be written and the report is its
 * own.
 */
extern const bool option_is_path[O_COUNT];
extern const char *const option_refused[O_COUNT];

#endif
