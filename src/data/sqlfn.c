/*
 * sqlfn.c — SQL functions for council performance data:
 *   pct_change(old, new)          (new - old) / old, NULL when old is 0
 *   trend(old, new [, band])      '↑' '↓' or '→' (within ±band of old)
 *   trend_counts(old, new [, a])  the same for counts: '→' unless a
 *                                 Poisson test finds the change
 *                                 significant at level a (0.05)
 *   trend_line(band, y1, … yn)    the least-squares line through a
 *                                 series: '→' unless it rises or falls
 *                                 by more than band of the mean
 *   arrow(word)                   an officer's judgement from the data:
 *                                 'up' '↑', 'down' '↓', 'level' '→'
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
#include "../util/date.h"

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

#define ARROW_UP    "\xe2\x86\x91"
#define ARROW_DOWN  "\xe2\x86\x93"
#define ARROW_LEVEL "\xe2\x86\x92"

static void
result_arrow(sqlite3_context *c, int dir)
{
	sqlite3_result_text(c, dir > 0 ? ARROW_UP : dir < 0 ? ARROW_DOWN :
	    ARROW_LEVEL, -1, SQLITE_STATIC);
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
		result_arrow(c, 1);
	else if (b < a - fabs(a) * band && b != a)
		result_arrow(c, -1);
	else
		result_arrow(c, 0);
}

/*
 * P(X <= m) for X ~ Binomial(n, 1/2), m <= n/2. Exact (in logs, so 2^-n
 * does not underflow) up to EXACT_N; beyond, the normal approximation
 * with continuity correction, whose error there is below 1e-4.
 */
#define EXACT_N 20000
static double
binom_half_lower(double n, double m)
{
	double l = -n * log(2.0), top, sum = 0;
	double i;

	if (n > EXACT_N)
		return 0.5 * erfc(-((m + 0.5 - n / 2) / sqrt(n / 4)) / sqrt(2.0));
	/* log pmf(i) rises with i up to n/2: pmf(m) is the largest term. */
	for (i = 0; i < m; i++)
		l += log((n - i) / (i + 1));
	top = l;
	for (i = m; i >= 0; i--) {
		sum += exp(l - top);
		if (i > 0)
			l -= log((n - i + 1) / i);
	}
	return exp(top + log(sum));
}

/*
 * Two counts of events in equal periods: under "no change" both come
 * from one Poisson rate, so given their total n the new count is
 * Binomial(n, 1/2). The two-sided exact test; a change is an arrow only
 * when its p-value is below alpha. 54 -> 61 is level (p = 0.58).
 */
static void
fn_trend_counts(sqlite3_context *c, int argc, sqlite3_value **argv)
{
	double a, b, alpha = 0.05, n, m, p;

	if (!num_arg(argv[0], &a) || !num_arg(argv[1], &b) ||
	    (argc == 3 && !num_arg(argv[2], &alpha))) {
		sqlite3_result_null(c);
		return;
	}
	if (a < 0 || b < 0 || a != floor(a) || b != floor(b) || a + b > 1e15) {
		sqlite3_result_error(c, "trend_counts(): counts must be whole "
		    "numbers of 0 or more; for rates or amounts use trend()", -1);
		return;
	}
	if (!(alpha > 0 && alpha < 1)) {
		sqlite3_result_error(c, "trend_counts(): the significance level "
		    "must be between 0 and 1, such as 0.05", -1);
		return;
	}
	n = a + b;
	m = a < b ? a : b;
	p = a == b ? 1 : fmin(1, 2 * binom_half_lower(n, m));
	result_arrow(c, p < alpha ? (b > a ? 1 : -1) : 0);
}

/*
 * trend_line(band, y1, ..., yn): the series at equal steps (years); the
 * least-squares line's rise over the whole span, against band times
 * the series' mean. One odd year moves it less than it moves trend()
 * of the first and last.
 */
static void
fn_trend_line(sqlite3_context *c, int argc, sqlite3_value **argv)
{
	double band, y, sy = 0, sxy = 0, sxx = 0, mean, xbar, rise;
	int i, n = argc - 1;

	if (argc < 3) {
		sqlite3_result_error(c, "trend_line(): give the band and at least "
		    "two values, as trend_line(0.05, y1, y2, y3)", -1);
		return;
	}
	if (!num_arg(argv[0], &band)) {
		sqlite3_result_null(c);
		return;
	}
	xbar = (n - 1) / 2.0;
	for (i = 0; i < n; i++) {
		if (!num_arg(argv[i + 1], &y)) {
			sqlite3_result_null(c);   /* a gap is not a level year */
			return;
		}
		sy += y;
		sxy += (i - xbar) * y;
		sxx += (i - xbar) * (i - xbar);
	}
	mean = sy / n;
	rise = sxy / sxx * (n - 1);
	band = fabs(band);
	if (rise > fabs(mean) * band && rise > 0)
		result_arrow(c, 1);
	else if (rise < -fabs(mean) * band && rise < 0)
		result_arrow(c, -1);
	else
		result_arrow(c, 0);
}

/* The words an officer writes for a direction, and the arrows. */
static const struct { const char *word; int dir; } directions[] = {
	{ "up", 1 }, { ARROW_UP, 1 }, { "rise", 1 }, { "increase", 1 },
	{ "down", -1 }, { ARROW_DOWN, -1 }, { "fall", -1 }, { "decrease", -1 },
	{ "level", 0 }, { ARROW_LEVEL, 0 }, { "same", 0 }, { "stable", 0 },
	{ "no change", 0 },
};

static void
fn_arrow(sqlite3_context *c, int argc, sqlite3_value **argv)
{
	const char *s = (const char *)sqlite3_value_text(argv[0]);
	size_t i, len;
	char msg[200];

	(void)argc;
	if (s == NULL) {
		sqlite3_result_null(c);
		return;
	}
	while (*s == ' ')
		s++;
	len = strlen(s);
	while (len > 0 && s[len - 1] == ' ')
		len--;
	if (len == 0) {
		sqlite3_result_null(c);   /* an empty cell stays empty */
		return;
	}
	for (i = 0; i < sizeof(directions) / sizeof(directions[0]); i++)
		if (strlen(directions[i].word) == len &&
		    strncasecmp(s, directions[i].word, len) == 0) {
			result_arrow(c, directions[i].dir);
			return;
		}
	snprintf(msg, sizeof(msg), "arrow(): '%.*s' is not a direction: "
	    "write up, down or level (or an arrow)", len > 60 ? 60 : (int)len,
	    s);
	sqlite3_result_error(c, msg, -1);
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

/* A value that starts YYYY-MM, as dates and months are stored (load
 * converts every shape the file wrote): parsed by hand, as this runs for
 * every row a GROUP BY fy(Month) reads (sscanf was 8.5% of a build). */
static int
date_arg(sqlite3_value *v, int *y, int *m)
{
	const char *s = (const char *)sqlite3_value_text(v);

	if (s == NULL || sqlite3_value_bytes(v) < 7 || s[4] != '-' ||
	    (*y = date_digits(s, 4)) < 0 || (*m = date_digits(s + 5, 2)) < 1)
		return 0;
	return *m <= 12;
}

/* The four digits of y (0-9999) at p. */
static void
put_year(char *p, int y)
{
	p[0] = (char)('0' + y / 1000);
	p[1] = (char)('0' + y / 100 % 10);
	p[2] = (char)('0' + y / 10 % 10);
	p[3] = (char)('0' + y % 10);
}

static void
fn_fy(sqlite3_context *c, int argc, sqlite3_value **argv)
{
	int y, m, fy;
	char out[8];

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
	/* "2023/24" */
	put_year(out, fy);
	out[4] = '/';
	out[5] = (char)('0' + (fy + 1) % 100 / 10);
	out[6] = (char)('0' + (fy + 1) % 10);
	sqlite3_result_text(c, out, 7, SQLITE_TRANSIENT);
}

static void
fn_quarter(sqlite3_context *c, int argc, sqlite3_value **argv)
{
	int y, m;
	char out[8];

	(void)argc;
	if (!date_arg(argv[0], &y, &m)) {
		sqlite3_result_null(c);
		return;
	}
	/* "2023 Q2" */
	put_year(out, y);
	out[4] = ' ';
	out[5] = 'Q';
	out[6] = (char)('0' + (m - 1) / 3 + 1);
	sqlite3_result_text(c, out, 7, SQLITE_TRANSIENT);
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
	rc |= sqlite3_create_function(h, "trend_counts", 2, f, NULL,
	    fn_trend_counts, NULL, NULL);
	rc |= sqlite3_create_function(h, "trend_counts", 3, f, NULL,
	    fn_trend_counts, NULL, NULL);
	rc |= sqlite3_create_function(h, "trend_line", -1, f, NULL,
	    fn_trend_line, NULL, NULL);
	rc |= sqlite3_create_function(h, "arrow", 1, f, NULL, fn_arrow, NULL,
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
