/*
 * report.h - how lkey-verify shows a verdict: the licence screen, the JSON
 * object and the one line on standard error (internal to lkey-verify)
 */
#ifndef LKEY_REPORT_H
#define LKEY_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lkey.h"
#include "verdict.h"

/* Room for one sentence about a problem or a warning. */
#define REPORT_TEXT_MAX 512

/*
 * The sentence for problem i (0 <= i < report_nproblems): with a decoded key
 * from lkey_problem_text, else what was wrong with the key text.
 */
size_t report_nproblems(const verdict *v);
void report_problem_text(const verdict *v, size_t i, char *out, size_t cap);
lkey_status report_problem_status(const verdict *v, size_t i);

/* The sentence for end users about the verdict (lkey_verdict_message). */
const char *report_message(const verdict *v);

/* The key id a key that did not decode names (unknown_key, bad_signature),
 * untrusted: true and *id, else false. */
bool report_key_id(const verdict *v, uint32_t *id);

void report_screen(const verdict *v);
void report_json(const verdict *v);

/* "lkey-verify: SOURCE: STATUS: what is wrong" for a verdict other than
 * valid; with several problems the others are named after it. */
void report_stderr(const verdict *v, const char *source, const char *tail);

#endif
