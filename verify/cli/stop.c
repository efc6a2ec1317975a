/* stop.c - how lkey-verify ends: exit statuses and stopped checks */
#include <stdarg.h>
#include <stdio.h>

#include "cli.h"
#include "stop.h"

/*
 * The exit statuses of the verdicts are documented one by one (10 malformed
 * to 22 revocations_outdated): they follow lkey_status, whose values are
 * part of liblkey's interface and never change.
 */
_Static_assert(LKEY_MALFORMED == 1 && LKEY_CLOCK_ROLLBACK == 12 &&
    LKEY_REVOCATIONS_OUTDATED == 13 && LKEY_STATUS_COUNT == 14,
    "exit statuses 10 to 22 follow lkey_status");

int
halt(stop *s, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->msg, sizeof(s->msg), fmt, ap);
	va_end(ap);
	s->code = code;
	return code;
}

void
stop_exit(const stop *s)
{
	if (s->code == EXIT_USAGE)
		cli_usage(s->msg);
	cli_die(s->code, "%s", s->msg);
}

void
stop_reason(const stop *s, char *out, size_t cap)
{
	snprintf(out, cap, "%s%s", s->msg, s->code == EXIT_USAGE ?
	    " (see lkey-verify --help)" : "");
}

int
stop_verdict_exit(lkey_status status)
{
	return status == LKEY_OK ? 0 : 9 + (int)status;
}
