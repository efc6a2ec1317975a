/*
 * stop.h - how lkey-verify ends: its exit statuses, and a check stopped
 * before its verdict (internal to lkey-verify)
 */
#ifndef LKEY_STOP_H
#define LKEY_STOP_H

#include <stddef.h>

#include "lkey.h"

/*
 * 0 valid; 1 a file could not be used; 2 usage; 3 --install kept the
 * stored licence; 4 a revocation list or state file was refused; 5 a
 * --check manifest had a line that did not pass (check.c); 6 --store
 * --register refused the key; 7 the --store is damaged; 8 the --store
 * holds no licence (storecmd.c); 10 and up one per verdict
 * (stop_verdict_exit, the man page and the README).
 */
#define EXIT_TROUBLE 1
#define EXIT_USAGE 2
#define EXIT_KEPT 3
#define EXIT_REFUSED 4
#define EXIT_CHECK_FAILED 5
#define EXIT_NOT_REGISTERED 6
#define EXIT_STORE_DAMAGED 7
#define EXIT_NO_LICENCE 8

/*
 * Why a check ended before its verdict: the exit status and the one line
 * for standard error, without "lkey-verify: " (a usage error, exit 2, is
 * followed there by "(see lkey-verify --help)"). The single check prints it
 * and exits (stop_exit); --check reports it as the reason of a manifest
 * line (stop_reason).
 */
typedef struct stop {
	int code;
	char msg[1024];
} stop;

/* Records why the check ends; returns code, for "return halt(...)". */
int halt(stop *s, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The single check ends: the message on standard error, and its status. */
void stop_exit(const stop *s) __attribute__((noreturn));

/* The line stop_exit would write, without "lkey-verify: ", into out. */
void stop_reason(const stop *s, char *out, size_t cap);

/* The exit status of a verdict: 0 for valid, 10 and up for the others. */
int stop_verdict_exit(lkey_status status);

#endif
