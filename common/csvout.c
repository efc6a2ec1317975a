/*
 * csvout.c - CSV text fields, quoted where needed and never taken for a
 * formula by a spreadsheet
 */
#include <stdio.h>
#include <string.h>

#include "csvout.h"

int
csv_text(FILE *f, const char *s)
{
	/* A leading character that makes a spreadsheet evaluate the cell. */
	int formula = s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL;
	int quote = strpbrk(s, ",\"\r\n") != NULL;

	if (quote && putc('"', f) == EOF)
		return -1;
	if (formula && putc('\'', f) == EOF)
		return -1;
	for (; *s != '\0'; s++) {
		if (quote && *s == '"' && putc('"', f) == EOF)
			return -1;
		if (putc(*s, f) == EOF)
			return -1;
	}
	if (quote && putc('"', f) == EOF)
		return -1;
	return 0;
}
