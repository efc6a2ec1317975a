/*
 * context.h - what the application asking knows about itself and today,
 * from lkey-verify's options (internal to lkey-verify)
 */
#ifndef LKEY_CONTEXT_H
#define LKEY_CONTEXT_H

#include "catalog.h"
#include "cli.h"
#include "lkey.h"
#include "stop.h"

/*
 * The catalog of --catalog (NULL without one: numbers only) into *cat, and
 * the context of the check into ctx: the product, today (the system clock
 * unless --today), --release, --users, --admin, --over-since,
 * --module-users and the features that need maintenance. Returns 0, or the
 * exit status with its message in s.
 */
int context_from_args(const args *a, const catalog **cat, lkey_context *ctx,
    stop *s);

#endif
