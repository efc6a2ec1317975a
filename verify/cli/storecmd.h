/*
 * storecmd.h - lkey-verify --store DIR: the licence store of liblkey,
 * evaluated, a key registered in it (--register), a revocation list
 * installed in it (--revocations) (internal to lkey-verify)
 */
#ifndef LKEY_STORECMD_H
#define LKEY_STORECMD_H

#include "cli.h"

/*
 * Runs lkey-verify with --store (or --register) given: checks the
 * options, installs the list and registers the key if asked, evaluates
 * the store and reports the licence in force. Returns the exit status of
 * the verdict (0 for valid, 10 and up), or EXIT_NOT_REGISTERED when a key
 * was refused; ends the program for a usage error (2), a file or a store
 * that cannot be used (1), a refused list (4), a damaged store (7) and an
 * empty one (8).
 */
int store_main(const args *a);

#endif
