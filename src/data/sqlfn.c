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
 * and SQLite's printf() (and format()) with its widths capped.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
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
	/* Years 1 to 9999 only: '0000-01' made "-001/00", not a year. */
	if (fy < 1 || y > 9999) {
		sqlite3_result_null(c);
		return;
	}
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

/*
 * printf(), with a cap on widths and precisions. SQLite's repeats '%.*c'
 * a character once per unit of precision in one step that nothing can
 * interrupt, going on after the string-length limit is hit: a precision
 * of 10^9 was 20 s of CPU. Within the cap SQLite's own printf does the
 * work, on a private connection, so every format means what SQLite's
 * documentation says.
 */
#define PRINTF_MAX_WIDTH 100000
#define PRINTF_CACHE     128   /* statements kept, by argument count */

struct printer {
	sqlite3      *h;
	sqlite3_stmt *st[PRINTF_CACHE];  /* "SELECT printf(?1, ..., ?n)" */
};

static void
printer_free(void *arg)
{
	struct printer *p = arg;
	int i;

	for (i = 0; i < PRINTF_CACHE; i++)
		sqlite3_finalize(p->st[i]);
	sqlite3_close_v2(p->h);
	free(p);
}

/* digits at *f (advanced past them), saturated above the cap. */
static long long
printf_number(const char **f)
{
	long long v = 0;

	for (; **f >= '0' && **f <= '9'; (*f)++)
		if (v <= PRINTF_MAX_WIDTH)
			v = v * 10 + (**f - '0');
	return v;
}

/*
 * The first width or precision in fmt beyond the cap, or 0: the digits
 * written and the arguments '*' takes, walked as SQLite's printf walks
 * them (flags, width, precision, 'l' or 'll', the conversion; "%%" and
 * "%n" take no argument; an unknown conversion ends the formatting).
 */
static long long
printf_too_wide(const char *f, int argc, sqlite3_value **argv)
{
	int next = 1;  /* the argument the next conversion takes */
	long long v;
	char c;

	while (*f != '\0') {
		if (*f++ != '%')
			continue;
		for (;;) {
			c = *f;
			if (c == '-' || c == '+' || c == ' ' || c == '#' ||
			    c == '!' || c == '0' || c == ',') {
				f++;
				continue;
			}
			if (c == '*' || (c == '.' && f[1] == '*')) {
				f += c == '*' ? 1 : 2;
				v = next < argc ? sqlite3_value_int64(argv[next]) : 0;
				next++;
			} else if (c == '.') {
				f++;
				v = printf_number(&f);
			} else if (c >= '1' && c <= '9')
				v = printf_number(&f);
			else
				break;
			if (v > PRINTF_MAX_WIDTH || v < -PRINTF_MAX_WIDTH)
				return v;
		}
		if (*f == 'l' && *++f == 'l')
			f++;
		if ((c = *f) == '\0')
			break;
		f++;
		if (c == '%' || c == 'n')
			continue;
		if (strchr("dsgzqQwcouxXfeEGipr", c) == NULL)
			break;
		next++;
	}
	return 0;
}

static void
fn_printf(sqlite3_context *c, int argc, sqlite3_value **argv)
{
	struct printer *p = sqlite3_user_data(c);
	const char *fmt;
	sqlite3_stmt *st;
	long long w;
	int i, rc;

	if (argc < 1 || (fmt = (const char *)sqlite3_value_text(argv[0])) ==
	    NULL)
		return; /* NULL, as SQLite's */
	if ((w = printf_too_wide(fmt, argc, argv)) != 0) {
		char m[160];
		snprintf(m, sizeof(m), "printf(): a width or precision of %lld "
		    "is more than %d; a report needs far less", w,
		    PRINTF_MAX_WIDTH);
		sqlite3_result_error(c, m, -1);
		return;
	}
	st = argc < PRINTF_CACHE ? p->st[argc] : NULL;
	if (st == NULL) {
		char sql[16 + 6 * 1000];
		size_t o = (size_t)snprintf(sql, sizeof(sql), "SELECT printf(");
		for (i = 1; i <= argc && o + 8 < sizeof(sql); i++)
			o += (size_t)snprintf(sql + o, sizeof(sql) - o, "%s?%d",
			    i > 1 ? "," : "", i);
		snprintf(sql + o, sizeof(sql) - o, ")");
		if (sqlite3_prepare_v2(p->h, sql, -1, &st, NULL) != SQLITE_OK) {
			sqlite3_result_error(c, sqlite3_errmsg(p->h), -1);
			return;
		}
		if (argc < PRINTF_CACHE)
			p->st[argc] = st;
	}
	for (i = 0; i < argc; i++)
		sqlite3_bind_value(st, i + 1, argv[i]);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		sqlite3_result_value(c, sqlite3_column_value(st, 0));
	else if (rc == SQLITE_NOMEM)
		sqlite3_result_error_nomem(c);
	else if (rc == SQLITE_TOOBIG)
		sqlite3_result_error_toobig(c);
	else
		sqlite3_result_error(c, sqlite3_errmsg(p->h), -1);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);   /* let go of the arguments' copies */
	if (argc >= PRINTF_CACHE)
		sqlite3_finalize(st);
}

static int
printer_register(sqlite3 *h, int flags)
{
	struct printer *p = calloc(1, sizeof(*p));
	int rc;

	if (p == NULL)
		return SQLITE_NOMEM;
	if (sqlite3_open_v2(":memory:", &p->h, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_MEMORY | SQLITE_OPEN_NOMUTEX,
	    NULL) != SQLITE_OK) {
		sqlite3_close_v2(p->h);
		free(p);
		return SQLITE_NOMEM;
	}
	sqlite3_limit(p->h, SQLITE_LIMIT_LENGTH, DATA_MAX_FIELD);
	/* printer_free runs once, when printf is let go; format() shares
	 * p and is let go at the same close. */
	rc = sqlite3_create_function_v2(h, "printf", -1, flags, p, fn_printf,
	    NULL, NULL, printer_free);
	if (rc != SQLITE_OK)
		return rc;  /* SQLite called printer_free */
	return sqlite3_create_function_v2(h, "format", -1, flags, p, fn_printf,
	    NULL, NULL, NULL);
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
	rc |= printer_register(h, f);
	return rc == SQLITE_OK ? 0 : -1;
}
