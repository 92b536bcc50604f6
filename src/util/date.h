/*
 * date.h — the calendar, once: digits of a date field, the days in a
 * month, a real ISO date. Inline, as CSV type inference calls them for
 * every cell.
 */
#ifndef SC_DATE_H
#define SC_DATE_H

#include <string.h>

/* n decimal digits at s, or -1. */
static inline int
date_digits(const char *s, int n)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* Days in month m (1-12) of year y, by the Gregorian calendar. */
static inline int
date_days_in(int y, int m)
{
	static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
		31 };

	if (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
		return 29;
	return d[m - 1];
}

/* Is s "YYYY-MM-DD", a day that exists (year 1 on)? */
static inline int
date_iso_valid(const char *s)
{
	int y, m, d;

	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
	    (y = date_digits(s, 4)) < 1 || (m = date_digits(s + 5, 2)) < 1 ||
	    m > 12 || (d = date_digits(s + 8, 2)) < 1)
		return 0;
	return d <= date_days_in(y, m);
}

#endif
