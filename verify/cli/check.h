/*
 * check.h - lkey-verify --check MANIFEST: every sample key of a manifest
 * checked against the status it expects, one line each (internal to
 * lkey-verify)
 */
#ifndef LKEY_CHECK_H
#define LKEY_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "cli.h"

/* Exit status when a line did not pass, or there was no key line. */
#define CHECK_EXIT_FAILED 5

/* Bounds of a manifest: its size, a line's bytes, a line's words. */
#define CHECK_FILE_MAX (1024U * 1024U)
#define CHECK_LINE_MAX 4096U
#define CHECK_WORDS_MAX 32U

/* What check_run needs to know of the program it is part of. */
typedef struct check_spec {
	const char *prog;		/* its name, argv[0] of each check */
	const args_spec *specs;		/* its options */
	size_t nspecs;
	size_t check;			/* the index of --check in specs */
	size_t key_file;		/* the index of --key-file */
	const bool *path;		/* per option: its value is a path */
	const char *const *refused;	/* per option: why --check refuses
					 * it ("it writes a licence file"),
					 * or NULL */
	/*
	 * The single check with argv, as far as its verdict: returns the
	 * lkey_status, or -1 with the one line the program would have
	 * written to standard error (without its name) in why. Prints
	 * nothing, writes no file, and never ends the process.
	 */
	int (*single)(int argc, char **argv, char *why, size_t cap);
} check_spec;

/*
 * Runs the manifest named by cmd's --check, cmd's other options applying
 * to every line. Each key line runs spec->single with the line's options
 * and --key-file FILE. Prints "pass" or "FAIL" per key line and
 * "N passed, N failed" on standard output. Returns 0 if every line passed
 * and there was at least one key line, else CHECK_EXIT_FAILED; ends the
 * program (cli_die, cli_usage) when the manifest cannot be read (1) or
 * the command line is wrong (2).
 */
int check_run(const args *cmd, const check_spec *spec);

#endif
