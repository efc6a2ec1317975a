/* msg.c - untrusted text in messages, and the reason a function failed */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "msg.h"

const char *
msg_show(const char *p, size_t len, char out[MSG_SHOW_CAP])
{
	static const char hex[] = "0123456789abcdef";
	size_t i, n = 0;
	unsigned char c;

	for (i = 0; i < len && i < MSG_SHOW_MAX; i++) {
		c = (unsigned char)p[i];
		if (c >= 0x20 && c < 0x7f && c != '\\') {
			out[n++] = (char)c;
		} else {
			out[n++] = '\\';
			out[n++] = 'x';
			out[n++] = hex[c >> 4];
			out[n++] = hex[c & 0xf];
		}
	}
	if (len > MSG_SHOW_MAX) {
		memcpy(out + n, "...", 3);
		n += 3;
	}
	out[n] = '\0';
	return out;
}

int
msg_fail(char *err, size_t errcap, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL && errcap > 0) {
		va_start(ap, fmt);
		(void)vsnprintf(err, errcap, fmt, ap);
		va_end(ap);
	}
	return -1;
}
