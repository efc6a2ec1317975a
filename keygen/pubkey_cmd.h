/* pubkey_cmd.h - lkey-keygen pubkey (internal) */
#ifndef LKEY_PUBKEY_CMD_H
#define LKEY_PUBKEY_CMD_H

/*
 * lkey-keygen pubkey; argv[1] is the command. Lists the key ids of the
 * public key files given, or with --c-header prints their ring as a C
 * header, on standard output; or nothing and one line on standard error.
 * Returns the exit status (errors end the program: 1, or 2 for usage).
 */
int cmd_pubkey(int argc, char **argv);

#endif
