/*
 * sqlfn.c — SQL functions for council performance data:
 *   pct_change(old, new)          (new - old) / old, NULL when old is 0
 *   trend(old, new [, band])      '↑' '↓' or '→' (within ±band of old)
 *   rag(value, target, polarity)  'G' at or better than target, 'A'
 *                                 within 5% of it, else 'R'; polarity
 *                                 'up' (higher is better) or 'down'
 *   rate_per_1000(count, pop)     count per 1,000 people
 *   fy(date)                      '2023/24' (April to March)
 *   quarter(date)                 '2023 Q2' (calendar quarters)
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sqlite3.h>

#include "data.h"

static int
num_arg(sqlite3_value *v, double *out)
{
	int t = sqlite3_value_numeric_type(v);

	if (t != SQLITE_INTEGER && t != SQLITE_FLOAT)
		return 0;
	*out = sqlite3_value_double(v);
	return isfinite(*out);
}

static void
fn_pct_change(sqlite3_context *c, int argc, sqlite3_value **argv)
{
	double a, b;

	(void)argc;
	if (!num_arg(argv[0], &a) || !num_arg(argv[1], &b) || a == 0) {
		sqlite3_result_null(c);
		return;
	}
	sqlite3_result_double(c, (b - a) / fabs(a));
}

static void
fn_trend(sqlite3_context *c, int argc, sqlite3_value **argv)
{
	double a, b, band = 0;

	if (!num_arg(argv[0], &a) || !num_arg(argv[1], &b) ||
	    (argc == 3 && !num_arg(argv[2], &band))) {
		sqlite3_result_null(c);
		return;
	}
	band = fabs(band);
	if (b > a + fabs(a) * band && b != a)
		sqlite3_result_text(c, "\xe2\x86\x91", -1, SQLITE_STATIC);
	else if (b < a - fabs(a) * band && b != a)
		sqlite3_result_text(c, "\xe2\x86\x93", -1, SQLITE_STATIC);
	else
		sqlite3_result_text(c, "\xe2\x86\x92", -1, SQLITE_STATIC);
}

static void
fn_rag(sqlite3_context *c, int argc, sqlite3_value **argv)
{
	double v, t;
	const char *pol = (const char *)sqlite3_value_text(argv[2]);
	int down;

	(void)argc;
	if (!num_arg(argv[0], &v) || !num_arg(argv[1], &t) || pol == NULL) {
		sqlite3_result_null(c);
		return;
	}
	if (strcasecmp(pol, "down") != 0 && strcasecmp(pol, "up") != 0) {
		sqlite3_result_error(c, "rag(): polarity must be 'up' (higher is "
		    "better) or 'down'", -1);
		return;
	}
	down = strcasecmp(pol, "down") == 0;
	if (down ? v <= t : v >= t)
		sqlite3_result_text(c, "G", 1, SQLITE_STATIC);
	else if (down ? v <= t + fabs(t) * 0.05 : v >= t - fabs(t) * 0.05)
		sqlite3_result_text(c, "A", 1, SQLITE_STATIC);
	else
		sqlite3_result_text(c, "R", 1, SQLITE_STATIC);
}

static void
fn_rate(sqlite3_context *c, int argc, sqlite3_value **argv)
{
	double n, p;

	(void)argc;
	if (!num_arg(argv[0], &n) || !num_arg(argv[1], &p) || p == 0) {
		sqlite3_result_null(c);
		return;
	}
	sqlite3_result_double(c, n * 1000.0 / p);
}

static int
date_arg(sqlite3_value *v, int *y, int *m)
{
	const char *s = (const char *)sqlite3_value_text(v);

	return s != NULL && sscanf(s, "%4d-%2d", y, m) == 2 && *m >= 1 &&
	    *m <= 12;
}

static void
fn_fy(sqlite3_context *c, int argc, sqlite3_value **argv)
{
	int y, m, fy;
	char out[32];

	(void)argc;
	if (!date_arg(argv[0], &y, &m)) {
		sqlite3_result_null(c);
		return;
	}
	fy = m >= 4 ? y : y - 1;
	snprintf(out, sizeof(out), "%04d/%02d", fy, (fy + 1) % 100);
	sqlite3_result_text(c, out, -1, SQLITE_TRANSIENT);
}

static void
fn_quarter(sqlite3_context *c, int argc, sqlite3_value **argv)
{
	int y, m;
	char out[32];

	(void)argc;
	if (!date_arg(argv[0], &y, &m)) {
		sqlite3_result_null(c);
		return;
	}
	snprintf(out, sizeof(out), "%04d Q%d", y, (m - 1) / 3 + 1);
	sqlite3_result_text(c, out, -1, SQLITE_TRANSIENT);
}

int
db_functions(struct db *db)
{
	sqlite3 *h = db_handle(db);
	const int f = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
	int rc = 0;

	rc |= sqlite3_create_function(h, "pct_change", 2, f, NULL,
	    fn_pct_change, NULL, NULL);
	rc |= sqlite3_create_function(h, "trend", 2, f, NULL, fn_trend, NULL,
	    NULL);
	rc |= sqlite3_create_function(h, "trend", 3, f, NULL, fn_trend, NULL,
	    NULL);
	rc |= sqlite3_create_function(h, "rag", 3, f, NULL, fn_rag, NULL, NULL);
	rc |= sqlite3_create_function(h, "rate_per_1000", 2, f, NULL, fn_rate,
	    NULL, NULL);
	rc |= sqlite3_create_function(h, "fy", 1, f, NULL, fn_fy, NULL, NULL);
	rc |= sqlite3_create_function(h, "quarter", 1, f, NULL, fn_quarter,
	    NULL, NULL);
	return rc == SQLITE_OK ? 0 : -1;
}
