/* args.h - strict command-line options for the CLIs (internal) */
#ifndef LKEY_ARGS_H
#define LKEY_ARGS_H

#include <stdbool.h>
#include <stddef.h>

#define ARGS_MAX 32

typedef struct args_spec {
	const char *name;	/* without the leading "--" */
	bool has_value;
} args_spec;

typedef struct args {
	const char *value[ARGS_MAX];	/* per spec; "" for a flag given */
	bool seen[ARGS_MAX];
	const char *pos[ARGS_MAX];	/* positional arguments */
	size_t npos;
} args;

/*
 * Parses argv[first..argc) against `specs`: "--name VALUE", "--name=VALUE"
 * or "--name" for a flag; "-" and anything not starting with "-" are
 * positional; "--" ends the options. Unknown, repeated and malformed options
 * are refused: returns -1 with one line in err ("unknown option --foo").
 */
int args_parse(int argc, char **argv, int first, const args_spec *specs,
    size_t nspecs, args *out, char *err, size_t errcap);

#endif
