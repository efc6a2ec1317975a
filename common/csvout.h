/*
 * csvout.h - fields of CSV output that fulfilment staff open in
 * spreadsheets (internal; not part of liblkey)
 *
 * A text field is quoted per RFC 4180 when it holds a comma, a quote or a
 * line end. A text that a spreadsheet would take for a formula, one that
 * begins with '=', '+', '-', '@', a tab or a carriage return, is written
 * with a single quote before it ("'=cmd|..."), which spreadsheets show as
 * text and do not evaluate (docs/VENDOR.md). Keys, serials and dates never
 * begin with those characters, so they are written as they are.
 */
#ifndef LKEY_CSVOUT_H
#define LKEY_CSVOUT_H

#include <stdio.h>

/* Writes the text field s to f; the caller writes the commas and the line
 * end. Returns 0, or -1 when the write fails. */
int csv_text(FILE *f, const char *s);

#endif
