/*
 * msg.h - the pieces of every error message: untrusted text shown safely,
 * and the one way a function reports why it failed (internal)
 */
#ifndef LKEY_MSG_H
#define LKEY_MSG_H

#include <stddef.h>

/*
 * len bytes of an untrusted value for a message: at most MSG_SHOW_MAX, with
 * anything but printable ASCII as \xNN, so a file or an argument cannot send
 * escape sequences to a terminal. Returns out.
 */
#define MSG_SHOW_MAX 40
#define MSG_SHOW_CAP (MSG_SHOW_MAX * 4 + 4)
const char *msg_show(const char *p, size_t len, char out[MSG_SHOW_CAP]);

/*
 * The reason a function failed, as one line into err (which may be NULL,
 * or have errcap 0, when the caller wants none). Returns -1, the failure
 * every such function returns, so that "return msg_fail(...);" ends it.
 */
int msg_fail(char *err, size_t errcap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
