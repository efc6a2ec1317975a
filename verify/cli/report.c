/*
 * report.c - what lkey-verify says is wrong with a key: the sentence for
 * each problem and the one line on standard error. The JSON object
 * (report_json.c) and the licence screen (report_screen.c) take their
 * sentences from here; every sentence about the terms comes from the
 * library.
 */
#include <stdio.h>

#include "report.h"

/* A valid licence may have problems too: modules that are unavailable. */
size_t
report_nproblems(const verdict *v)
{
	if (v->decoded)
		return v->rep.nproblems;
	return v->status == LKEY_OK ? 0 : 1;
}

lkey_status
report_problem_status(const verdict *v, size_t i)
{
	return v->decoded ? v->rep.problems[i].status : v->status;
}

const char *
report_message(const verdict *v)
{
	return lkey_verdict_message(v->status, v->decoded ? NULL : &v->det);
}

bool
report_key_id(const verdict *v, uint32_t *id)
{
	if (v->decoded || (v->det.reason != LKEY_R_UNKNOWN_KEY &&
	    v->det.reason != LKEY_R_BAD_SIGNATURE))
		return false;
	*id = v->det.value;
	return true;
}

/* What was wrong with a key that could not be decoded. */
static void
decode_text(const verdict *v, char *out, size_t cap)
{
	const lkey_detail *det = &v->det;

	switch (v->status) {
	case LKEY_MALFORMED:
		/* What, where in the text as given, and what to do. */
		(void)lkey_detail_text(det, v->text, v->text_len, out, cap);
		return;
	case LKEY_UNKNOWN_KEY:
		snprintf(out, cap, "The key was signed by vendor key %08x, "
		    "which is not one of the given public keys.", det->value);
		return;
	case LKEY_BAD_SIGNATURE:
		snprintf(out, cap, "The signature does not verify: the key was "
		    "altered or mistyped.");
		return;
	default:
		snprintf(out, cap, "%s", lkey_status_message(v->status));
		return;
	}
}

void
report_problem_text(const verdict *v, size_t i, char *out, size_t cap)
{
	const lkey_problem *p;

	if (!v->decoded) {
		decode_text(v, out, cap);
		return;
	}
	p = &v->rep.problems[i];
	lkey_problem_text(p, &v->lic, &v->ctx, &v->rep,
	    p->module == LKEY_MODULE_NONE ? NULL :
	    catalog_name(v->cat, CATALOG_FEATURE, p->module), out, cap);
}

void
report_stderr(const verdict *v, const char *source, const char *tail)
{
	char text[REPORT_TEXT_MAX];
	size_t i, n = report_nproblems(v);
	bool also = false;

	report_problem_text(v, 0, text, sizeof(text));
	fprintf(stderr, "lkey-verify: %s: %s: %s", source,
	    lkey_status_name(v->status), text);
	/* The other kinds of problem, each once. */
	for (i = 1; i < n; i++) {
		lkey_status st = report_problem_status(v, i);

		if (st == report_problem_status(v, i - 1))
			continue;
		fprintf(stderr, "%s%s", also ? ", " : " Also: ",
		    lkey_status_name(st));
		also = true;
	}
	fprintf(stderr, "%s%s\n", also ? "." : "", tail != NULL ? tail : "");
}
