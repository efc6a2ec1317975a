/*
 * commands.h - the lkey-keygen commands, one file each, and the steps
 * they share: options, the ledger's path, the secret key (internal)
 */
#ifndef LKEY_COMMANDS_H
#define LKEY_COMMANDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cli.h"
#include "ledger.h"
#include "lkey_vendor.h"

/* Exit statuses besides 0: a file or the secret key could not be used,
 * and a usage error (bad option values included). */
#define EXIT_TROUBLE 1
#define EXIT_USAGE 2

/* Each takes main's argv: argv[1] is the command's name. */
int cmd_init(int argc, char **argv);
int cmd_passwd(int argc, char **argv);
int cmd_issue(int argc, char **argv);
int cmd_batch(int argc, char **argv);
int cmd_reissue(int argc, char **argv);
int cmd_ledger(int argc, char **argv);
int cmd_revoke(int argc, char **argv);
int cmd_pubkey(int argc, char **argv);

/* lkey-keygen --help: the usage of every command. Exit status. */
int keygen_help(void);

/* A command's own help text on standard output. Exit status. */
int cmd_help(const char *text);

/*
 * Parses the options of the command argv[1] (argv[2..argc)): names[k]
 * (without "--") is option k of *a; whether it takes a value is the same
 * in every command (options.c). A usage error ends the program (exit 2).
 * Returns true when --help was given: the caller prints its help.
 * Otherwise, unless `positional`, any argument besides the options is a
 * usage error ("NAME takes no arguments besides its options").
 */
bool cmd_args(int argc, char **argv, const char *const *names, size_t n,
    bool positional, args *a);

/*
 * The ledger a command records its keys in: `given` (--ledger), else none
 * with `no_ledger` (--no-ledger), else LEDGER_DEFAULT_NAME in the directory
 * of the secret key file, so that every key is recorded unless the vendor
 * says otherwise. Returns the path (given or buf), or NULL for none. Both
 * options at once, or a path too long for buf, ends the program with a
 * usage error. A JSON-lines ledger (LEDGER_JSONL_NAME) beside the key
 * where the default database is not yet ends the program (exit 1) with
 * the `lkey-keygen ledger import` command that moves it into one.
 */
const char *ledger_path(const char *secret, const char *given,
    bool no_ledger, char *buf, size_t cap);

/*
 * The ledger at `path` (ledger_path) opened for issuing, created if it
 * does not exist and `create`; NULL for a NULL path. A ledger that cannot
 * be opened ends the program (exit 1, "...; nothing issued"). With a
 * ledger, SIGPIPE is ignored from then on: a key committed but not printed
 * is reported, not lost with the process.
 */
ledger *cmd_ledger_open(const char *path, bool create);

/*
 * The secret key of the file at `path`, loaded into secure memory, for
 * the caller to sodium_free; or NULL after one line on standard error,
 * "lkey-keygen: WHY" and then `tail` ("; nothing issued", or ""). No
 * secure memory left ends the program (exit 1).
 */
lkey_vendor_key *cmd_secret_key(const char *path, const char *tail);

/*
 * `s` as one word of a shell command a message tells the user to run: as
 * it is when it holds only letters, digits and _./:@%+=,- (and is not
 * empty), else in single quotes, a quote inside written '\''. A PostgreSQL
 * URI (?, &) or a path with spaces can then be pasted as printed. Returns
 * s or out; s itself when out (SHELL_WORD_CAP) would be too short.
 */
#define SHELL_WORD_CAP 8200U
const char *cmd_shell_word(const char *s, char out[SHELL_WORD_CAP]);

/*
 * The serials of the keys a message names ("1001, 1002"), the first of
 * them and how many: for keys recorded but not printed, or perhaps
 * recorded. Zero it, then add each serial.
 */
#define SERIAL_LIST_MAX 1024U
typedef struct serial_list {
	char text[SERIAL_LIST_MAX * 12U + 1U];
	size_t len, n;
	uint32_t first;
} serial_list;
void serial_list_add(serial_list *sl, uint32_t serial);

/*
 * One line on standard error: the keys of sl are recorded in the ledger
 * `name` but could not be written to standard output, and the command
 * that prints each.
 */
void cmd_report_unprinted(const char *name, const serial_list *sl);

/*
 * The output line of one key, on standard output, as batch and reissue
 * --all print it: `order,serial,key` (the order id through csv_text, which
 * no spreadsheet takes for a formula; empty without one), or with `json`
 * {"order":...,"serial":N[,"replaces":N],"key":"..."}. `order` may be
 * NULL; `replaces` NULL leaves its member out. Returns 0, or -1 when the
 * line cannot be written.
 */
int cmd_print_key_row(bool json, const char *order, uint32_t serial,
    const uint32_t *replaces, const char *key);

#endif
