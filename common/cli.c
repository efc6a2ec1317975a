/*
 * cli.c - the command line of both programs: options, exits, catalog and
 * host id options
 *
 * Options without surprises:
 * getopt_long accepts abbreviations ("--pub" for "--pubkey") and silently
 * lets a later option override an earlier one; for a licence tool both hide
 * mistakes, so unknown, ambiguous and repeated options are refused here.
 * An option meant to be given several times (--pubkey A --pubkey B) says
 * so in its spec (ARGS_MULTI) and keeps every value, in order.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "catalog.h"
#include "cli.h"
#include "msg.h"
#include "num.h"

static const char *prog = "lkey";

void
cli_init(const char *progname)
{
	prog = progname;
}

void
cli_die(int code, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(code);
}

/* One line, like every other error; the synopsis is one --help away. */
void
cli_usage(const char *why)
{
	fprintf(stderr, "%s: %s (see %s --help)\n", prog, why, prog);
	exit(2);
}

uint64_t
cli_number(const char *opt, const char *value, uint64_t min, uint64_t max)
{
	char why[256 + MSG_SHOW_CAP], sh[MSG_SHOW_CAP];
	uint64_t v;

	if (num_text(value, min, max, &v) != 0) {
		snprintf(why, sizeof(why), "%s: '%s' is not a whole number "
		    "from %llu to %llu%s", opt,
		    msg_show(value, strlen(value), sh),
		    (unsigned long long)min, (unsigned long long)max,
		    value[0] == '0' && value[1] >= '0' && value[1] <= '9' ?
		    " (without leading zeros)" : "");
		cli_usage(why);
	}
	return v;
}

uint32_t
cli_key_id(const char *opt, const char *value)
{
	char why[256 + MSG_SHOW_CAP], sh[MSG_SHOW_CAP];
	uint32_t id;

	if (num_key_id_any_case(value, strlen(value), &id) != 0) {
		snprintf(why, sizeof(why), "%s: '%s' is not a key id: 8 hex "
		    "digits, as lkey-keygen prints it", opt,
		    msg_show(value, strlen(value), sh));
		cli_usage(why);
	}
	return id;
}

const struct catalog *
cli_catalog(const char *path)
{
	static catalog store;
	char err[512];

	if (path == NULL)
		return NULL;
	if (catalog_load(path, &store, err, sizeof(err)) != 0)
		cli_die(1, "%s", err);
	return &store;
}

static int
find(const args_spec *specs, size_t nspecs, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < nspecs; i++)
		if (strlen(specs[i].name) == len &&
		    strncmp(specs[i].name, name, len) == 0)
			return (int)i;
	return -1;
}

int
args_parse(int argc, char **argv, int first, const args_spec *specs,
    size_t nspecs, args *out, char *err, size_t errcap)
{
	bool options = true;
	int i;

	memset(out, 0, sizeof(*out));
	for (i = first; i < argc; i++) {
		const char *a = argv[i], *eq, *name, *v;
		size_t len;
		int k;

		if (!options || a[0] != '-' || strcmp(a, "-") == 0) {
			if (out->npos == ARGS_MAX) {
				snprintf(err, errcap, "too many arguments");
				return -1;
			}
			out->pos[out->npos++] = a;
			continue;
		}
		if (strcmp(a, "--") == 0) {
			options = false;
			continue;
		}
		/* -h is --help, wherever --help is an option. */
		if (strcmp(a, "-h") == 0 &&
		    (k = find(specs, nspecs, "help", 4)) >= 0 &&
		    k < ARGS_MAX) {
			(void)args_add(out, (size_t)k, false, "");
			continue;
		}
		if (a[1] != '-') {
			snprintf(err, errcap, "unknown option %s", a);
			return -1;
		}
		name = a + 2;
		eq = strchr(name, '=');
		len = eq != NULL ? (size_t)(eq - name) : strlen(name);
		k = find(specs, nspecs, name, len);
		if (k < 0 || k >= ARGS_MAX) {
			snprintf(err, errcap, "unknown option --%.*s",
			    (int)(len > 64 ? 64 : len), name);
			return -1;
		}
		if (out->seen[k] && specs[k].has_value != ARGS_MULTI) {
			snprintf(err, errcap, "option --%s given twice",
			    specs[k].name);
			return -1;
		}
		if (specs[k].has_value == ARGS_FLAG) {
			if (eq != NULL) {
				snprintf(err, errcap, "option --%s takes no value",
				    specs[k].name);
				return -1;
			}
			v = "";
		} else if (eq != NULL)
			v = eq + 1;
		else if (i + 1 < argc)
			v = argv[++i];
		else {
			snprintf(err, errcap, "option --%s needs a value",
			    specs[k].name);
			return -1;
		}
		if (args_add(out, (size_t)k, specs[k].has_value == ARGS_MULTI,
		    v) != 0) {
			snprintf(err, errcap, "option --%s given too many "
			    "times", specs[k].name);
			return -1;
		}
	}
	return 0;
}

int
args_add(args *a, size_t k, bool multi, const char *v)
{
	if (multi) {
		if (a->nmulti == ARGS_MULTI_MAX)
			return -1;
		a->multi[a->nmulti] = v;
		a->multi_spec[a->nmulti++] = k;
	}
	if (!a->seen[k])
		a->value[k] = v;
	a->seen[k] = true;
	a->count[k]++;
	return 0;
}

const char *
args_nth(const args *a, size_t k, size_t i)
{
	size_t j;

	if (k >= ARGS_MAX || i >= a->count[k])
		return NULL;
	if (i == 0)
		return a->value[k];
	for (j = 0; j < a->nmulti; j++)
		if (a->multi_spec[j] == k && i-- == 0)
			return a->multi[j];
	return NULL;
}

int
cli_feature_counts(const catalog *cat, const char *name, const char *list,
    uint64_t min, uint64_t max, uint32_t *set, uint32_t counts[32],
    char *err, size_t errcap)
{
	char item[CATALOG_LINE_MAX], why[512], sh[MSG_SHOW_CAP],
	    sv[MSG_SHOW_CAP];
	const char *p = list, *end, *eq;
	uint32_t bit;
	uint64_t v;
	size_t n;

	for (;;) {
		end = strchr(p, ',');
		n = end != NULL ? (size_t)(end - p) : strlen(p);
		eq = memchr(p, '=', n);
		if (n == 0) {
			snprintf(err, errcap, "%s: empty item in '%s' "
			    "(NAME=NUMBER items separated by commas, e.g. "
			    "payroll=5)", name,
			    msg_show(list, strlen(list), sh));
			return -1;
		}
		if (n >= sizeof(item) || eq == NULL) {
			snprintf(err, errcap, "%s: '%s' is not NAME=NUMBER "
			    "(items separated by commas, e.g. payroll=5)", name,
			    msg_show(p, n, sh));
			return -1;
		}
		memcpy(item, p, n);
		item[n] = '\0';
		item[eq - p] = '\0';
		if (catalog_lookup(cat, CATALOG_FEATURE, item, &bit, why,
		    sizeof(why)) != 0) {
			snprintf(err, errcap, "%s: %s", name, why);
			return -1;
		}
		if (*set & (1U << bit)) {
			snprintf(err, errcap, "%s: '%s' given twice", name,
			    msg_show(item, strlen(item), sh));
			return -1;
		}
		if (num_text(item + (eq - p) + 1, min, max, &v) != 0) {
			snprintf(err, errcap, "%s: '%s' for '%s' is not a "
			    "whole number from %llu to %llu", name,
			    msg_show(item + (eq - p) + 1,
			    strlen(item + (eq - p) + 1), sv),
			    msg_show(item, strlen(item), sh),
			    (unsigned long long)min, (unsigned long long)max);
			return -1;
		}
		*set |= 1U << bit;
		counts[bit] = (uint32_t)v;
		if (end == NULL)
			return 0;
		p = end + 1;
	}
}

int
cli_host_parse(const char *s, uint8_t out[LKEY_HOST_ID_BYTES])
{
	return num_hex_any_case(s, strlen(s), out, LKEY_HOST_ID_BYTES);
}

int
cli_host_parse_exact(const char *s, uint8_t out[LKEY_HOST_ID_BYTES])
{
	return num_hex(s, strlen(s), out, LKEY_HOST_ID_BYTES);
}

void
cli_host_format(const uint8_t host[LKEY_HOST_ID_BYTES],
    char out[CLI_HOST_HEX])
{
	(void)sodium_bin2hex(out, CLI_HOST_HEX, host, LKEY_HOST_ID_BYTES);
}
