/*
 * check.h - lkey-verify --check MANIFEST: every sample key of a manifest
 * checked against the status it expects, one line each (internal to
 * lkey-verify)
 */
#ifndef LKEY_CHECK_H
#define LKEY_CHECK_H

#include "cli.h"

/* Bounds of a manifest: its size, a line's bytes, a line's words. */
#define CHECK_FILE_MAX (1024U * 1024U)
#define CHECK_LINE_MAX 4096U
#define CHECK_WORDS_MAX 32U

/*
 * Runs the manifest named by cmd's --check, cmd's other options applying
 * to every line. Each key line is evaluated (evaluate.c) with the line's
 * options and --key-file FILE. Prints "pass" or "FAIL" per key line and
 * "N passed, N failed" on standard output. Returns 0 if every line passed
 * and there was at least one key line; ends the program otherwise:
 * EXIT_CHECK_FAILED (5) when a line did not pass or there was none, 1 when
 * the manifest cannot be read, 2 when the command line is wrong.
 */
int check_run(const args *cmd);

#endif
