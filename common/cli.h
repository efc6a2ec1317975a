/* cli.h - the command line of both programs: options, exits, options that
 * name catalog entries and host ids (internal) */
#ifndef LKEY_CLI_H
#define LKEY_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lkey.h"

#define ARGS_MAX 32
/* Values of ARGS_MULTI options, all of them together. */
#define ARGS_MULTI_MAX 32

/*
 * args_spec.has_value: a flag (false), one value (true), or a value per
 * use of an option that may be given more than once. A number rather than
 * another field, so that the { "name", true } tables stay complete.
 */
#define ARGS_FLAG 0U
#define ARGS_ONE 1U
#define ARGS_MULTI 2U

typedef struct args_spec {
	const char *name;	/* without the leading "--" */
	unsigned char has_value;	/* ARGS_FLAG, ARGS_ONE or ARGS_MULTI */
} args_spec;

typedef struct args {
	const char *value[ARGS_MAX];	/* per spec; "" for a flag given;
					 * the first value of ARGS_MULTI */
	bool seen[ARGS_MAX];
	size_t count[ARGS_MAX];		/* times given: 0 or 1, more for
					 * ARGS_MULTI */
	const char *pos[ARGS_MAX];	/* positional arguments */
	size_t npos;
	const char *multi[ARGS_MULTI_MAX];	/* ARGS_MULTI values in order */
	size_t multi_spec[ARGS_MULTI_MAX];	/* the spec of each */
	size_t nmulti;
} args;

/*
 * Parses argv[first..argc) against `specs`: "--name VALUE", "--name=VALUE"
 * or "--name" for a flag; "-" and anything not starting with "-" are
 * positional; "--" ends the options. Unknown, repeated and malformed options
 * are refused: returns -1 with one line in err ("unknown option --foo").
 * Only an ARGS_MULTI option may be repeated, up to ARGS_MULTI_MAX values
 * of such options in all; args_nth gives its values.
 */
int args_parse(int argc, char **argv, int first, const args_spec *specs,
    size_t nspecs, args *out, char *err, size_t errcap);

/* Value i (from 0, in command-line order) of option k, or NULL. */
const char *args_nth(const args *a, size_t k, size_t i);

/*
 * Records option k (k < ARGS_MAX) as given with value v ("" for a flag), as
 * args_parse does for each option it reads; `multi` when its spec is
 * ARGS_MULTI. -1 when the values of such options are ARGS_MULTI_MAX
 * already. The caller refuses an option given twice that is not multi.
 */
int args_add(args *a, size_t k, bool multi, const char *v);

/* Names the program in messages; call first. */
void cli_init(const char *progname);

/* "PROG: message" on stderr, then exit(code). */
void cli_die(int code, const char *fmt, ...)
    __attribute__((format(printf, 2, 3), noreturn));

/* "PROG: why (see PROG --help)" on stderr, exit 2. */
void cli_usage(const char *why) __attribute__((noreturn));

/*
 * The whole number `value` of option `opt` ("--serial"), from min to max;
 * anything else is a usage error that shows the value: "--serial: 'x' is
 * not a whole number from 0 to 4294967295".
 */
uint64_t cli_number(const char *opt, const char *value, uint64_t min,
    uint64_t max);

/*
 * The key id `value` of option `opt` ("--key-id"): 8 hex digits in any
 * case; anything else is a usage error that shows the value.
 */
uint32_t cli_key_id(const char *opt, const char *value);

/*
 * The catalog at `path`, or NULL when path is NULL (numbers only). A file
 * that cannot be read or parsed ends the program: exit 1, one line.
 */
struct catalog;
const struct catalog *cli_catalog(const char *path);

/*
 * "payroll=5,reports=10": a count per feature (catalog name or bit number),
 * each from min to max, each feature once. Sets bit n of *set and
 * counts[n]. 0, or -1 with "NAME: reason" in err (NAME is the option or
 * field, e.g. "--module-users").
 */
int cli_feature_counts(const struct catalog *cat, const char *name,
    const char *list, uint64_t min, uint64_t max, uint32_t *set,
    uint32_t counts[32], char *err, size_t errcap);

/*
 * A host id as text: 16 hex digits (lkey-verify --host-id, lkey-keygen
 * issue --host). Format: lowercase, as lkey-verify --host-id prints it.
 * Parse, what people give (options, orders): upper and mixed case too,
 * since customers send what they copy, meaning the same id. Parse exact,
 * what the programs wrote (the ledger): lowercase only, its one spelling.
 * Both: 0, or -1 if it is not one.
 */
#define CLI_HOST_HEX (2U * LKEY_HOST_ID_BYTES + 1U)
int cli_host_parse(const char *s, uint8_t out[LKEY_HOST_ID_BYTES]);
int cli_host_parse_exact(const char *s, uint8_t out[LKEY_HOST_ID_BYTES]);
void cli_host_format(const uint8_t host[LKEY_HOST_ID_BYTES],
    char out[CLI_HOST_HEX]);

#endif
