/*
 * jsonline.c - one flat JSON object per line (orders, the ledger), read by
 * jsonline_read (jsonread.c), with the messages the programs print for a
 * bad line; and a JSON string of untrusted text (jsonout's escaping)
 */
#include <stdio.h>
#include <string.h>

#include "jsonline.h"
#include "jsonout.h"

int
jsonline_parse(const char *line, size_t len, char *buf, size_t cap,
    jl_object *out, char *err, size_t errcap)
{
	static const jl_rules flat = { 1, true };
	jl_token tok[1 + JSONLINE_FIELDS_MAX];
	jl_error e;
	size_t i = 0, n, k;

	memset(out, 0, sizeof(*out));
	if (err != NULL && errcap > 0)
		err[0] = '\0';
	/* The one check before the reader's: its own message for a line
	 * that is no object at all, a CSV header say. */
	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	if (i == len || line[i] != '{') {
		if (err != NULL && errcap > 0)
			snprintf(err, errcap, "not a JSON object");
		return -1;
	}
	n = jsonline_read(line, len, &flat, tok, 1 + JSONLINE_FIELDS_MAX, buf,
	    cap, &e);
	if (n == 0) {
		if (err == NULL || errcap == 0)
			return -1;
		if (e.fault == JL_TOKENS)
			snprintf(err, errcap, "more than %d fields",
			    JSONLINE_FIELDS_MAX);
		else if (e.fault == JL_DUPLICATE)
			snprintf(err, errcap, "%s", e.what);
		else if (e.fault == JL_DEPTH)
			snprintf(err, errcap, "column %zu: nested values are "
			    "not supported", e.at + 1);
		else
			snprintf(err, errcap, "column %zu: %s", e.at + 1,
			    e.what);
		return -1;
	}
	for (k = 1; k < n; k++) {
		out->f[k - 1].name = tok[k].name;
		out->f[k - 1].type = (jl_type)tok[k].type;
		out->f[k - 1].value = tok[k].value;
		out->f[k - 1].len = tok[k].len;
	}
	out->n = n - 1;
	return 0;
}

const jl_field *
jsonline_get(const jl_object *o, const char *name)
{
	size_t k;

	for (k = 0; k < o->n && k < JSONLINE_FIELDS_MAX; k++) {
		if (strcmp(o->f[k].name, name) == 0)
			return &o->f[k];
	}
	return NULL;
}

size_t
jsonline_quote(const char *s, size_t len, char *out, size_t cap)
{
	jsonout j;

	jsonout_init(&j, out, cap);
	jsonout_strn(&j, NULL, s, len);
	return jsonout_finish(&j);
}
