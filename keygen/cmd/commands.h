/* commands.h - the lkey-keygen commands, one file each (internal) */
#ifndef LKEY_COMMANDS_H
#define LKEY_COMMANDS_H

#include <stdbool.h>
#include <stddef.h>

/* Each takes the command's own argv: argv[0] is the command's name. */
int cmd_init(int argc, char **argv);
int cmd_passwd(int argc, char **argv);
int cmd_issue(int argc, char **argv);
int cmd_batch(int argc, char **argv);
int cmd_ledger(int argc, char **argv);
int cmd_revoke(int argc, char **argv);
int cmd_pubkey(int argc, char **argv);

/* lkey-keygen --help: the usage of every command. Exit status. */
int keygen_help(void);

/*
 * The ledger a command records its keys in: `given` (--ledger), else none
 * with `no_ledger` (--no-ledger), else LEDGER_DEFAULT_NAME in the directory
 * of the secret key file, so that every key is recorded unless the vendor
 * says otherwise. Returns the path (given or buf), or NULL for none. Both
 * options at once, or a path too long for buf, ends the program with a
 * usage error.
 */
#define LEDGER_DEFAULT_NAME "ledger.jsonl"
const char *ledger_path(const char *secret, const char *given,
    bool no_ledger, char *buf, size_t cap);

#endif
