/*
 * infer.c — what a CSV value is: a number the way a council export
 * writes one ("1,234", "£103,883.31", "83%", "-5", "(5)"), a date
 * ("2023-04", "13/12/2023", "Apr 2020"), or text. Codes such as "0116"
 * or "E01025644" stay text.
 */
#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "data_int.h"
#include "../util/date.h"

static const char *const mon3[] = { "jan", "feb", "mar", "apr", "may",
	"jun", "jul", "aug", "sep", "oct", "nov", "dec" };

/* "YYYY-MM" or, with d > 0, "YYYY-MM-DD" (y 1000 to 9999): snprintf was
 * a twentieth of loading a police.uk export. */
static void
put_iso(char *out, int y, int m, int d)
{
	out[0] = (char)('0' + y / 1000);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '\0';
	if (d > 0) {
		out[7] = '-';
		out[8] = (char)('0' + d / 10);
		out[9] = (char)('0' + d % 10);
		out[10] = '\0';
	}
}

/* Dates by their exact shapes, without sscanf: this runs for every
 * value of every CSV. */
static int
infer_date(const char *s, struct cellval *cv)
{
	int y, m, d, k;
	size_t len = strlen(s);

	if (len == 7 && s[4] == '-' && (y = date_digits(s, 4)) >= 1000 &&
	    (m = date_digits(s + 5, 2)) >= 1 && m <= 12) {
		put_iso(cv->iso, y, m, 0);
		strcpy(cv->datefmt, "yyyy-MM");
		return 1;
	}
	if (len == 10 && s[4] == '-' && s[7] == '-' &&
	    (y = date_digits(s, 4)) >= 1000 && (m = date_digits(s + 5, 2)) >= 1 &&
	    m <= 12 && (d = date_digits(s + 8, 2)) >= 1 && d <= date_days_in(y, m)) {
		put_iso(cv->iso, y, m, d);
		strcpy(cv->datefmt, "yyyy-MM-dd");
		return 1;
	}
	if (len == 10 && s[2] == '/' && s[5] == '/' &&
	    (d = date_digits(s, 2)) >= 1 && (m = date_digits(s + 3, 2)) >= 1 &&
	    m <= 12 && (y = date_digits(s + 6, 4)) >= 1000 && d <= date_days_in(y, m)) {
		/* British order: day first. */
		put_iso(cv->iso, y, m, d);
		strcpy(cv->datefmt, "dd/MM/yyyy");
		return 1;
	}
	if ((len == 8 || len == 6) && s[3] == ' ' &&
	    (y = date_digits(s + 4, (int)len - 4)) >= 0) {
		for (k = 0; k < 12; k++)
			if (strncasecmp(s, mon3[k], 3) == 0)
				break;
		if (k == 12)
			return 0;
		if (len == 6)
			y += 2000;
		if (y < 1000)
			return 0;
		put_iso(cv->iso, y, k + 1, 0);
		strcpy(cv->datefmt, len == 8 ? "MMM yyyy" : "MMM yy");
		return 1;
	}
	return 0;
}

void
data_infer(const char *s, struct cellval *cv)
{
	const char *p = s;
	char digits[64];
	size_t nd = 0;
	int neg = 0, seen_digit = 0, dot = 0, group_ok = 1, run = 0;
	int first_group = 1;

	memset(cv, 0, sizeof(*cv));
	if (*s == '\0') {
		cv->kind = CV_EMPTY;
		return;
	}
	cv->kind = CV_TEXT;
	if (infer_date(s, cv)) {
		cv->kind = CV_DATE;
		return;
	}
	if (*p == '(') {
		cv->paren = 1;
		neg = 1;
		p++;
	} else if (*p == '-' || *p == '+') {
		neg = *p == '-';
		p++;
	}
	if (strncmp(p, "\xc2\xa3", 2) == 0) {
		cv->currency = 1;
		p += 2;
		if (*p == '-' && !neg) { /* "£-5" */
			neg = 1;
			p++;
		}
	}
	for (; *p; p++) {
		if (isdigit((unsigned char)*p)) {
			if (nd + 2 >= sizeof(digits))
				return;
			digits[nd++] = *p;
			seen_digit = 1;
			if (!dot)
				run++;
			else
				cv->decimals++;
		} else if (*p == ',' && !dot && seen_digit) {
			/* 1,234: groups of three after the first of 1-3. */
			if ((first_group && run > 3) || (!first_group && run != 3))
				group_ok = 0;
			first_group = 0;
			run = 0;
			cv->group = 1;
		} else if (*p == '.' && !dot) {
			dot = 1;
			if (cv->group && run != 3)
				group_ok = 0;
			digits[nd++] = '.';
		} else
			break;
	}
	if (cv->group && !dot && run != 3)
		group_ok = 0;
	if (*p == '%') {
		cv->percent = 1;
		p++;
	}
	if (cv->paren) {
		if (*p != ')')
			return;
		p++;
	}
	if (*p != '\0' || !seen_digit || !group_ok)
		return;
	/* A leading zero makes a code, not a number ("0116", "007"). */
	if (digits[0] == '0' && nd > 1 && digits[1] != '.')
		return;
	digits[nd] = '\0';
	cv->num = strtod(digits, NULL);
	if (!isfinite(cv->num))
		return;
	if (neg)
		cv->num = -cv->num;
	if (cv->percent) {
		cv->num /= 100;
		cv->decimals = cv->decimals; /* shown as written */
	}
	if (!dot && !cv->percent) {
		/* A whole number is kept exactly as a 64-bit integer: through
		 * a double, 4111111111111111 printed as ...110. Beyond 64 bits
		 * it stays the text the file wrote. */
		unsigned long long u = 0;
		size_t k;
		for (k = 0; k < nd; k++) {
			unsigned d = (unsigned)(digits[k] - '0');
			if (u > (ULLONG_MAX - d) / 10)
				return;
			u = u * 10 + d;
		}
		if (u > (unsigned long long)LLONG_MAX + (neg ? 1 : 0))
			return;
		cv->ival = neg ? (long long)(0ULL - u) : (long long)u;
		cv->integer = 1;
	}
	cv->kind = CV_NUMBER;
}
