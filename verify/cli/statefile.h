/*
 * statefile.h - the clock guard's state file of lkey-verify --state
 * (internal to lkey-verify)
 */
#ifndef LKEY_STATEFILE_H
#define LKEY_STATEFILE_H

#include "lkey.h"
#include "stop.h"

/*
 * --state FILE for ctx->product: the state into st, and the guard into the
 * context (ctx->state, and this program's build day as ctx->build_day). A
 * missing file is a new state, provided one can be created beside it
 * (else exit 1); a file that is not one, is damaged or is another
 * product's is refused, never reset (exit 4). Returns 0, or the exit
 * status with its message in s.
 */
int statefile_load(const char *path, lkey_context *ctx, lkey_state *st,
    stop *s);

/* Writes the state back, atomically; exits 1 if it cannot. */
/* The day this program was built (days since 1970; 0 if the build did not
 * say), the clock guard's floor: no right clock is earlier. */
lkey_day statefile_build_day(void);

void statefile_save(const char *path, const lkey_state *st);

#endif
