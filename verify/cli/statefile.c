/*
 * statefile.c - the clock guard's state file: read before the check,
 * written after it (lkey_state_parse, lkey_state_format), replaced whole
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "install.h"
#include "statefile.h"

/* The day this program was built (days since 1970), for the clock guard. */
#ifndef LKEY_BUILD_DAY
#define LKEY_BUILD_DAY 0
#endif

/*
 * A new state file will be created beside `path`: its directory must be
 * there and writable, or the check stops now, before the key (exit 1).
 */
static int
state_dir_check(const char *path, stop *s)
{
	char dir[INSTALL_PATH_MAX];
	const char *slash = strrchr(path, '/');
	size_t n;

	if (slash == NULL) {
		snprintf(dir, sizeof(dir), ".");
	} else {
		n = slash == path ? 1U : (size_t)(slash - path);
		if (n >= sizeof(dir))
			return halt(s, EXIT_TROUBLE, "%s: path too long", path);
		memcpy(dir, path, n);
		dir[n] = '\0';
	}
	if (access(dir, W_OK | X_OK) != 0)
		return halt(s, EXIT_TROUBLE, "%s: cannot create the state "
		    "file: directory %s: %s", path, dir, strerror(errno));
	return 0;
}

/* The state in `path`, or a new one: 0, or the exit status. */
static int
read_state(const char *path, uint32_t product, lkey_state *st, stop *s)
{
	char text[LKEY_STATE_TEXT_MAX + 1U], err[600];
	size_t len;
	int rc;

	rc = install_read(path, text, sizeof(text), &len, err, sizeof(err));
	if (rc == INSTALL_NONE) {
		if (state_dir_check(path, s) != 0)
			return s->code;
		lkey_state_init(st, product);
		return 0;
	}
	if (rc == INSTALL_TOO_BIG)
		return halt(s, EXIT_REFUSED, "%s: not an lkey state file; "
		    "refused", path);
	if (rc != 0)
		return halt(s, EXIT_TROUBLE, "%s", err);
	switch (lkey_state_parse(text, len, product, st)) {
	case LKEY_STATE_OK:
		return 0;
	case LKEY_STATE_NOT_STATE:
		return halt(s, EXIT_REFUSED, "%s: not an lkey state file; "
		    "refused", path);
	case LKEY_STATE_FOREIGN:
		return halt(s, EXIT_REFUSED, "%s: the state of another "
		    "product, not of product %u; refused", path, product);
	default:
		return halt(s, EXIT_REFUSED, "%s: state file damaged or "
		    "edited; refused (restore it from a backup; removing it "
		    "also removes the clock guard's memory)", path);
	}
}

int
statefile_load(const char *path, lkey_context *ctx, lkey_state *st,
    stop *s)
{
	if (path[0] == '\0')
		return halt(s, EXIT_USAGE, "--state needs the path of a state "
		    "file");
	if (read_state(path, ctx->product, st, s) != 0)
		return s->code;
	ctx->state = st;
	ctx->build_day = statefile_build_day();
	return 0;
}

lkey_day
statefile_build_day(void)
{
	return LKEY_BUILD_DAY;
}

void
statefile_save(const char *path, const lkey_state *st)
{
	char text[LKEY_STATE_TEXT_MAX], err[600];
	size_t n;

	n = lkey_state_format(st, text, sizeof(text));
	if (n == 0 || install_write(path, text, n - 1U, NULL, 0, false, err,
	    sizeof(err)) != 0)
		cli_die(EXIT_TROUBLE, "%s; the state was not updated",
		    n == 0 ? "cannot format the state" : err);
}
