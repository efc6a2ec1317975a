/* revoke.h - lkey-keygen revoke: signed revocation lists (internal) */
#ifndef LKEY_REVOKE_H
#define LKEY_REVOKE_H

/*
 * lkey-keygen revoke; argv[1] is the command. Prints a signed revocation
 * list of the licences given with --serials on standard output, or nothing
 * and one line on standard error. Returns the exit status (usage errors end
 * the program with status 2).
 */
int cmd_revoke(int argc, char **argv);

#endif
