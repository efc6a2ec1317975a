/*
 * date.c - whole UTC days since 1970-01-01, and strict "YYYY-MM-DD"
 *
 * Licence terms are whole days: no time zones, no leap seconds. The
 * conversion is the proleptic Gregorian calendar in closed form, so there is
 * no table and no libc time function whose behaviour depends on TZ.
 */
#include "lkey.h"

#define YEAR_MIN 1970
#define YEAR_MAX 9999

static int
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
month_days(int y, int m)
{
	static const int days[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* Days from 1970-01-01 to y-m-d; era arithmetic over 400-year cycles. */
static long
days_from_civil(int y, int m, int d)
{
	long yy = m <= 2 ? y - 1 : y;
	long era = yy / 400;
	long yoe = yy - era * 400;
	long doy = (153L * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

bool
lkey_day_from_ymd(int year, int month, int day, lkey_day *out)
{
	*out = 0;
	if (year < YEAR_MIN || year > YEAR_MAX || month < 1 || month > 12 ||
	    day < 1 || day > month_days(year, month))
		return false;
	*out = (lkey_day)days_from_civil(year, month, day);
	return true;
}

void
lkey_day_to_ymd(lkey_day day, int *year, int *month, int *mday)
{
	long z = (long)day + 719468;
	long era = z / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	long d = doy - (153 * mp + 2) / 5 + 1;
	long m = mp < 10 ? mp + 3 : mp - 9;
	long y = yoe + era * 400 + (m <= 2 ? 1 : 0);

	*year = (int)y;
	*month = (int)m;
	*mday = (int)d;
}

static int
digits(const char *s, int n)
{
	int i, v = 0;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

bool
lkey_day_parse(const char *text, lkey_day *out)
{
	int y, m, d, i;

	*out = 0;
	for (i = 0; i < 10; i++)
		if (text[i] == '\0')
			return false;
	if (text[10] != '\0' || text[4] != '-' || text[7] != '-')
		return false;
	y = digits(text, 4);
	m = digits(text + 5, 2);
	d = digits(text + 8, 2);
	if (y < 0 || m < 0 || d < 0)
		return false;
	return lkey_day_from_ymd(y, m, d, out);
}

void
lkey_day_format(lkey_day day, char out[11])
{
	static const char never[] = "never";
	int y, m, d, i;

	if (day == LKEY_NEVER) {
		for (i = 0; i < 6; i++)
			out[i] = never[i];
		return;
	}
	/* No real day lies past 9999-12-31; saturate rather than garble. */
	if (day > (lkey_day)days_from_civil(YEAR_MAX, 12, 31))
		day = (lkey_day)days_from_civil(YEAR_MAX, 12, 31);
	lkey_day_to_ymd(day, &y, &m, &d);
	out[0] = (char)('0' + y / 1000);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + d / 10);
	out[9] = (char)('0' + d % 10);
	out[10] = '\0';
}

lkey_day
lkey_day_from_unix(int64_t seconds)
{
	if (seconds < 0)
		return 0;
	if (seconds / 86400 > days_from_civil(YEAR_MAX, 12, 31))
		return (lkey_day)days_from_civil(YEAR_MAX, 12, 31);
	return (lkey_day)(seconds / 86400);
}
