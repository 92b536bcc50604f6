/* test_data.c — number formats, type inference, SQL functions, CSV
 * loading and the locked-down query runner. */
#include "helpers.h"
#include <sqlite3.h>
#include "data/data.h"
#include "data/data_int.h"
#include "data/numfmt.h"
#include "data/query.h"
#include "chart/chart.h"
#include "scrutineer.h"

static void
fmt(const char *pat, double v, const char *want)
{
	struct numfmt f;
	struct buf b;
	char err[128];

	buf_init(&b);
	if (numfmt_parse(pat, &f, err, sizeof(err)) != 0)
		fail_msg("%s: %s", pat, err);
	numfmt_number(&f, v, &b);
	if (strcmp(b.data ? b.data : "", want) != 0)
		fail_msg("format %s of %.17g: got \"%s\", want \"%s\"", pat, v,
		    b.data ? b.data : "", want);
	buf_free(&b);
}

static void
test_number_formats(void **state)
{
	(void)state;
	fmt("0", 7, "7");
	fmt("0", 2.5, "3");          /* half away from zero */
	fmt("0", -2.5, "-3");
	fmt("0", 0.4, "0");
	fmt("0", -0.4, "0");         /* no "-0" */
	fmt("#,##0", 1234567, "1,234,567");
	fmt("#,##0", 999, "999");
	fmt("#,##0", -1234, "-1,234");
	fmt("0.0", 2.25, "2.3");
	fmt("0.00", 2.675, "2.68");  /* Excel's 15 digits, not binary */
	fmt("0.00", 1.005, "1.01");
	fmt("0.0", 9.96, "10.0");   /* the carry runs through the nines */
	fmt("0.00", 0.995, "1.00");
	fmt("#,##0", 999.5, "1,000");
	fmt("#,##0.00", 103883.31, "103,883.31");
	fmt("0%", 0.83, "83%");
	fmt("0.0%", 0.1234, "12.3%");
	fmt("0.0%", -0.05, "-5.0%");
	fmt("\xc2\xa3#,##0", 51217.55, "\xc2\xa3" "51,218");
	fmt("\xc2\xa3#,##0.00", 51217.55, "\xc2\xa3" "51,217.55");
	fmt("\xc2\xa3#,##0.00", -5, "-\xc2\xa3" "5.00");
	fmt("+0.0%;-0.0%", 0.054, "+5.4%");
	fmt("+0.0%;-0.0%", -0.152, "-15.2%");
	fmt("+0.0%;-0.0%;0.0%", 0, "0.0%");
	fmt("#,##0;(#,##0)", -5, "(5)");
	fmt("0.##", 2.5, "2.5");
	fmt("0.##", 2, "2");
	fmt("0.##", 1.0 / 3, "0.33");
	fmt("00", 7, "07");
	fmt("#,##0", 1e15, "1,000,000,000,000,000");
	fmt("0 \"people\"", 12, "12 people");
}

/* numfmt_sig15 must give printf's digits exactly: random doubles over
 * every decade it covers, whole numbers, two-decimal money, percentages
 * (x.y5 ties in decimal are not ties in binary: the error term decides),
 * and the edges of its range. */
static void
sig15_as_printf(double v)
{
	char want[64], digits[16], *e;
	int exp10, wexp, i, k = 0;

	if (numfmt_sig15(v, digits, &exp10) != 0)
		fail_msg("%.17g: not covered", v);
	digits[15] = '\0';
	snprintf(want, sizeof(want), "%.14e", v);
	e = strchr(want, 'e');
	wexp = atoi(e + 1);
	for (i = 0; want + i < e; i++)
		if (want[i] != '.')
			want[k++] = want[i];
	want[k] = '\0';
	if (strcmp(digits, want) != 0 || exp10 != wexp)
		fail_msg("%.17g: got %se%d, printf %se%d", v, digits, exp10, want,
		    wexp);
}

static void
test_sig15(void **state)
{
	uint64_t x = 88172645463325252ULL;
	long i;
	int exp10;
	char digits[15];

	(void)state;
	for (i = 0; i < 400000; i++) {
		double m, v;
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		m = (double)(x >> 11) / 9007199254740992.0; /* [0, 1) */
		v = pow(10, -7 + 22 * m);
		if (v >= 1e-7 && v < 1e15)
			sig15_as_printf(v);
		sig15_as_printf((double)(x % 1000000000000000ULL) + 1);
		sig15_as_printf((double)(x % 100000000) / 100);
		sig15_as_printf((double)(x % 100000) / 1000 + 0.0005);
	}
	sig15_as_printf(1e-7);
	sig15_as_printf(999999999999999.0);
	sig15_as_printf(999999999999999.9);
	sig15_as_printf(0.1 + 0.2);
	sig15_as_printf(2.675);
	sig15_as_printf(1.005);
	assert_int_equal(numfmt_sig15(1e15, digits, &exp10), -1);
	assert_int_equal(numfmt_sig15(0, digits, &exp10), -1);
	assert_int_equal(numfmt_sig15(1e-8, digits, &exp10), -1);
}

static void
bad_format(const char *pat)
{
	struct numfmt f;
	char err[128];

	if (numfmt_parse(pat, &f, err, sizeof(err)) == 0)
		fail_msg("\"%s\" should not parse", pat);
	assert_true(err[0] != '\0');
}

static void
test_bad_formats(void **state)
{
	(void)state;
	bad_format("");
	bad_format("#,##0.0.0");
	bad_format("abc");
	bad_format("0;0;0;0");
	bad_format("0.#0");
	bad_format("\"open");
	bad_format("0d");
	/* An unquoted letter is a typo ("#,##O" printed "449O"). */
	bad_format("#,##O");
	bad_format("0 people");
	bad_format("0.0x");
	/* Quoted or escaped, a letter is text. */
	fmt("0 \"people\"", 5, "5 people");
	fmt("0.0\\k", 2.5, "2.5k");
	fmt("\\N\\o 0", 7, "No 7");
}

static void
date(const char *pat, const char *iso, const char *want)
{
	struct numfmt f;
	struct buf b;
	char err[128];

	buf_init(&b);
	assert_int_equal(numfmt_parse(pat, &f, err, sizeof(err)), 0);
	assert_true(f.is_date);
	assert_int_equal(numfmt_date(&f, iso, &b), 0);
	assert_string_equal(b.data, want);
	buf_free(&b);
}

static void
test_date_formats(void **state)
{
	(void)state;
	date("d MMMM yyyy", "2023-12-13", "13 December 2023");
	date("do MMMM yyyy", "2014-05-15", "15th May 2014");
	date("do MMMM yyyy", "2014-05-01", "1st May 2014");
	date("do MMMM yyyy", "2014-05-22", "22nd May 2014");
	date("do MMMM yyyy", "2014-05-13", "13th May 2014");
	date("MMM yy", "2023-12-13", "Dec 23");
	date("mmm yy", "2023-12-13", "Dec 23");     /* Excel's spelling */
	date("dd/mm/yyyy", "2023-12-13", "13/12/2023");
	date("mmmm", "2023-04", "April");
	date("MMM yyyy", "2023-04", "Apr 2023");
	date("yyyy/yy", "2023-05-01", "2023/24");
	date("yyyy/yy", "2024-02-01", "2023/24");
	date("yyyy/yy", "1999-04-01", "1999/00");
	date("dd/MM/yyyy", "2023-04-05", "05/04/2023");
}

/* The message a bad format gives, exactly (the clause after
 * `format "..."`). */
static void
format_error(const char *pat, const char *want)
{
	struct numfmt f;
	char err[320];

	if (numfmt_parse(pat, &f, err, sizeof(err)) == 0)
		fail_msg("\"%s\" should not parse", pat);
	assert_string_equal(err, want);
}

/* Every format is checked strictly (issue 13): a letter, an Excel
 * feature scrutineer does not print, a comma out of place, a date
 * letter run that means something else in Excel are refused; text in
 * quotes or after \ is text, in number and date patterns alike. */
static void
test_strict_formats(void **state)
{
	(void)state;
	format_error("#,##O", "has \"O\" (a letter O?), which is not a format "
	    "character; use 0 # , . % or quote literal text");
	format_error("0.00E+00", "has \"E\" (Excel's scientific notation, "
	    "which scrutineer does not print), which is not a format "
	    "character; use 0 # , . % or quote literal text");
	format_error("0 days", "has \"d\", a date letter, among the places of "
	    "a number; a format is a number or a date, not both (quote "
	    "literal text: 0 \"days\")");
	format_error("[Red]0", "has \"[\", which Excel uses for a colour or a "
	    "condition ([Red], [>100]); the house style chooses colours, so "
	    "remove it (or quote it to print it)");
	bad_format("#,##0_)");
	bad_format("0.0?");
	bad_format("0*-");
	bad_format("0;@");
	/* A comma only between digit places: "#,##0," is Excel's thousands
	 * and printed a thousand times too much. */
	bad_format("#,##0,");
	bad_format(",##0");
	bad_format("#,##0,.00");
	bad_format("0 ,");
	fmt("#,###,##0", 1234567, "1,234,567");
	fmt("0\\,", 12, "12,");
	/* Dates: d dd do, M to MMMM, yy yyyy; nothing else. */
	format_error("DD/MM/YYYY", "has \"D\" (days are a lower-case d), which "
	    "is not a date format character; use d, dd or do for the day, M "
	    "to MMMM for the month, yy or yyyy for the year, or quote literal "
	    "text");
	format_error("dddd d MMMM", "has \"dddd\", Excel's day of the week, "
	    "which scrutineer does not print; use d, dd or do (3, 03, 3rd)");
	format_error("d MMMMM yyyy", "has 5 M's in a row; months are M, MM, "
	    "MMM or MMMM (2, 02, Feb, February)");
	format_error("d MMMM yyy", "has 3 y's in a row; years are yy or yyyy "
	    "(24, 2024)");
	bad_format("d MMMM y");
	bad_format("dd/mm/yyyy hh:mm");
	bad_format("ddo MMMM");
	bad_format("d MMMM \"yyyy");
	/* Only quoted text: neither a number nor a date. */
	bad_format("\"today\"");
	/* Text in quotes or escaped, after the number too. */
	fmt("0\"x\"", 5, "5x");
	fmt("0;-0;\"none\"", 0, "none");
	date("d MMMM yyyy \"(provisional)\"", "2024-02-03",
	    "3 February 2024 (provisional)");
	date("do \"of\" MMMM", "2024-02-03", "3rd of February");
	date("\"mm\" mmm", "2024-02-03", "mm Feb");
	date("\\d d", "2024-02-03", "d 3");
	date("d.M.yy", "2024-02-03", "3.2.24");
}

static void
infer(const char *s, enum cv_kind kind, double num)
{
	struct cellval cv;

	data_infer(s, &cv);
	if (cv.kind != kind)
		fail_msg("\"%s\": kind %d, want %d", s, cv.kind, kind);
	if (kind == CV_NUMBER && fabs(cv.num - num) > 1e-9)
		fail_msg("\"%s\": %.17g, want %.17g", s, cv.num, num);
}

static void
test_inference(void **state)
{
	struct cellval cv;

	(void)state;
	infer("", CV_EMPTY, 0);
	infer("42", CV_NUMBER, 42);
	infer("-5", CV_NUMBER, -5);
	infer("(5)", CV_NUMBER, -5);
	infer("1,234", CV_NUMBER, 1234);
	infer("1,234,567.5", CV_NUMBER, 1234567.5);
	infer("12,34", CV_TEXT, 0);      /* not a thousands separator */
	infer("1234,567", CV_TEXT, 0);   /* a first group is 1 to 3 digits */
	infer("123,456", CV_NUMBER, 123456);
	infer("83%", CV_NUMBER, 0.83);
	infer("-5%", CV_NUMBER, -0.05);
	infer("\xc2\xa3" "103,883.31", CV_NUMBER, 103883.31);
	infer("0116", CV_TEXT, 0);        /* a code, not a number */
	infer("0.5", CV_NUMBER, 0.5);
	infer("E01025644", CV_TEXT, 0);
	infer("Blaby 001A", CV_TEXT, 0);
	infer("2023/24", CV_TEXT, 0);
	infer("1e5", CV_TEXT, 0);
	data_infer("2023-04", &cv);
	assert_int_equal(cv.kind, CV_DATE);
	assert_string_equal(cv.iso, "2023-04");
	data_infer("13/12/2023", &cv);
	assert_int_equal(cv.kind, CV_DATE);
	assert_string_equal(cv.iso, "2023-12-13");
	data_infer("31/02/2023", &cv);
	assert_int_equal(cv.kind, CV_TEXT);
	/* Leap years: every fourth, not centuries, but every 400th. */
	data_infer("29/02/2024", &cv);
	assert_int_equal(cv.kind, CV_DATE);
	data_infer("29/02/2000", &cv);
	assert_int_equal(cv.kind, CV_DATE);
	assert_string_equal(cv.iso, "2000-02-29");
	data_infer("29/02/1900", &cv);
	assert_int_equal(cv.kind, CV_TEXT);
	data_infer("29/02/2023", &cv);
	assert_int_equal(cv.kind, CV_TEXT);
	data_infer("Apr 2020", &cv);
	assert_int_equal(cv.kind, CV_DATE);
	assert_string_equal(cv.iso, "2020-04");
	data_infer("1999-11-05", &cv);
	assert_string_equal(cv.iso, "1999-11-05");
	data_infer("Dec 09", &cv);
	assert_string_equal(cv.iso, "2009-12");
	data_infer("\xc2\xa3" "1,234.50", &cv);
	assert_true(cv.currency);
	assert_true(cv.group);
	assert_int_equal(cv.decimals, 2);
}

/*
 * Binds body (a section's blocks) over a CSV "crime" of 2022/23 only,
 * with the parameter year and the <query>s in queries, strict or not.
 * Returns data_bind()'s result; the messages are left in d.
 */
static int
bind_missing(const char *queries, const char *body, const char *year,
    int strict, struct diags *d)
{
	char *csv = tmp_file("year,area,crimes\n2022/23,Blaby,449\n"
	    "2022/23,Hinckley,612\n", ".csv");
	struct template t;
	struct doc *doc;
	struct buf x;
	char *path;
	int ok, rc;

	buf_init(&x);
	buf_printf(&x, "<report version=\"1\"><meta><title>T</title></meta>"
	    "<params><param name=\"year\" default=\"%s\"/></params>"
	    "<data><csv id=\"crime\" href=\"%s\"/>%s</data>\n"
	    "<section title=\"S\">\n%s</section></report>", year,
	    strrchr(csv, '/') + 1, queries, body);
	path = tmp_file(x.data, ".xml");
	diags_init(d);
	doc = def_load(path, NULL, 0, d, &ok);
	assert_non_null(doc);
	assert_true(ok);
	tpl_defaults(&t);
	{
		struct bind_opts o = { { doc->dir, NULL, 0, NULL }, NULL, strict,
		    NULL, 0 };
		rc = data_bind(doc, &t, &o, d);
	}
	doc_free(doc);
	unlink(path);
	unlink(csv);
	free(path);
	free(csv);
	buf_free(&x);
	return rc;
}

/* Exactly one message, at level, containing want. */
static void
one_message(const struct diags *d, enum sc_level level, const char *want)
{
	if (d->n != 1 || d->v[0].level != level ||
	    strstr(d->v[0].message, want) == NULL)
		fail_msg("want one %s containing \"%s\"; got %zu: %s",
		    level == SC_ERROR ? "error" : "warning", want, d->n,
		    d->n ? d->v[0].message : "(none)");
}

/*
 * Binds one chart over a long-form CSV (month, year, incidents) and
 * returns its data, or NULL with the messages in d; *docp to free.
 */
static const struct chart_data *
bind_long_chart(const char *csvtext, const char *chart, struct diags *d,
    struct doc **docp)
{
	char *csv = tmp_file(csvtext, ".csv");
	struct template t;
	struct buf x;
	const struct node *n;
	char *path;
	int ok, rc;

	buf_init(&x);
	buf_printf(&x, "<report version=\"1\"><meta><title>T</title></meta>"
	    "<data><csv id=\"asb\" href=\"%s\"/></data>\n"
	    "<section title=\"S\">\n%s</section></report>",
	    strrchr(csv, '/') + 1, chart);
	path = tmp_file(x.data, ".xml");
	diags_init(d);
	*docp = def_load(path, NULL, 0, d, &ok);
	assert_non_null(*docp);
	assert_true(ok);
	tpl_defaults(&t);
	{
		struct bind_opts o = { { (*docp)->dir, NULL, 0, NULL }, NULL, 1,
		    NULL, 0 };
		rc = data_bind(*docp, &t, &o, d);
	}
	unlink(path);
	unlink(csv);
	free(path);
	free(csv);
	buf_free(&x);
	for (n = (*docp)->body; n != NULL; n = node_next_pre((*docp)->body, n))
		if (n->kind == N_CHART)
			return rc == 0 ? n->chart : NULL;
	return NULL;
}

/* series-by=: long-form rows, one series per value, in first-seen order. */
static void
test_chart_series_by(void **state)
{
	static const char csv[] = "month,year,incidents,area\n"
	    "Apr,2020/21,8,Blaby\nApr,2019/20,10,Blaby\nMay,2019/20,12,Blaby\n"
	    "May,2020/21,9,Blaby\nJun,2020/21,7,Blaby\nApr,2019/20,99,Other\n";
	const struct chart_data *cd;
	struct diags d;
	struct doc *doc;
	struct buf big;
	int i;

	(void)state;
	cd = bind_long_chart(csv, "<chart type=\"line\" data=\"asb\" x=\"month\" "
	    "series-by=\"year\" series=\"incidents\" where=\"area = 'Blaby'\"/>",
	    &d, &doc);
	assert_non_null(cd);
	assert_int_equal(d.n, 0);
	assert_int_equal(cd->nser, 2);
	assert_int_equal(cd->ncat, 3);
	assert_string_equal(cd->ser[0], "2020/21"); /* as they first appear */
	assert_string_equal(cd->ser[1], "2019/20");
	assert_string_equal(cd->cat[0], "Apr");
	assert_string_equal(cd->cat[1], "May");
	assert_string_equal(cd->cat[2], "Jun");
	assert_true(cd->v[0] == 8 && cd->v[1] == 9 && cd->v[2] == 7);
	assert_true(cd->v[3] == 10 && cd->v[4] == 12);
	assert_true(isnan(cd->v[5])); /* no Jun 2019/20: a gap, not 0 */
	assert_string_equal(cd->x_name, "month");
	doc_free(doc);
	diags_clear(&d);

	/* Two rows for one point: neither is dropped without a word. */
	cd = bind_long_chart(csv, "<chart type=\"line\" data=\"asb\" x=\"month\" "
	    "series-by=\"year\" series=\"incidents\"/>", &d, &doc);
	assert_null(cd);
	one_message(&d, SC_ERROR, "<chart series-by=\"year\">: 2 rows of data "
	    "\"asb\" have month \"Apr\" and year \"2019/20\"; a point is one "
	    "row: sum them in a <query>, or choose one with where=");
	doc_free(doc);
	diags_clear(&d);
	cd = bind_long_chart(csv, "<chart type=\"line\" data=\"asb\" x=\"month\" "
	    "series-by=\"yr\" series=\"incidents\"/>", &d, &doc);
	assert_null(cd);
	one_message(&d, SC_ERROR, "<chart series-by=\"yr\">: data \"asb\" has no "
	    "such column (it has: month, year, incidents, area)");
	doc_free(doc);
	diags_clear(&d);
	cd = bind_long_chart(csv, "<chart type=\"line\" data=\"asb\" x=\"month\" "
	    "series-by=\"year\" series=\"incidents, area\"/>", &d, &doc);
	assert_null(cd);
	one_message(&d, SC_ERROR, "<chart series-by=\"year\">: name the "
	    "categories with x=\"COLUMN\" and the one column of numbers to plot "
	    "with series=\"COLUMN\"");
	doc_free(doc);
	diags_clear(&d);
	cd = bind_long_chart("month,year,incidents\nApr,2019/20,1\nApr,,2\n",
	    "<chart type=\"line\" data=\"asb\" x=\"month\" series-by=\"year\" "
	    "series=\"incidents\"/>", &d, &doc);
	assert_null(cd);
	one_message(&d, SC_ERROR, "some rows of data \"asb\" have no year, so "
	    "no series to be in");
	doc_free(doc);
	diags_clear(&d);
	/* A value that is SQL stays a value: quoted as a literal and as
	 * the series' name, never run. */
	cd = bind_long_chart("month,year,incidents\nApr,\"x' THEN 1 END) AS "
	    "\"\"y\"\", 2 AS \"\"z\",5\n", "<chart type=\"line\" data=\"asb\" "
	    "x=\"month\" series-by=\"year\" series=\"incidents\"/>", &d, &doc);
	assert_non_null(cd);
	assert_int_equal(cd->nser, 1);
	assert_string_equal(cd->ser[0], "x' THEN 1 END) AS \"y\", 2 AS \"z");
	assert_true(cd->v[0] == 5);
	doc_free(doc);
	diags_clear(&d);
	/* A series a value, up to 24. */
	buf_init(&big);
	buf_puts(&big, "month,year,incidents\n");
	for (i = 0; i < 25; i++)
		buf_printf(&big, "Apr,%d,%d\n", 2000 + i, i);
	cd = bind_long_chart(big.data, "<chart type=\"line\" data=\"asb\" "
	    "x=\"month\" series-by=\"year\" series=\"incidents\"/>", &d, &doc);
	assert_null(cd);
	one_message(&d, SC_ERROR, "<chart series-by=\"year\">: more than 24 "
	    "values, each a series");
	doc_free(doc);
	diags_clear(&d);
	cd = bind_long_chart(big.data, "<chart type=\"line\" data=\"asb\" "
	    "x=\"month\" series-by=\"year\" series=\"incidents\" "
	    "where=\"year > 2000\"/>", &d, &doc);
	assert_non_null(cd);
	assert_int_equal(cd->nser, 24);
	assert_string_equal(cd->ser[23], "2024");
	assert_true(cd->v[23] == 24);
	doc_free(doc);
	diags_clear(&d);
	buf_free(&big);
}

/* Data that looks missing for the parameters (issue 13): a warning, an
 * error when strict; not for a literal table, a single 0, or what says
 * empty="ok"; always an error where nothing can print. */
static void
test_missing_data(void **state)
{
	static const char table[] = "<table id=\"t\" data=\"crime\" "
	    "where=\"year = :year\"%s><column field=\"area\"/>"
	    "<column field=\"crimes\"/></table>\n";
	static const char q[] = "<query id=\"q\">SELECT area, crimes * 0 AS z, "
	    "NULL AS n FROM crime WHERE year = :year</query>";
	char body[512];
	struct diags d;
	int strict;

	(void)state;
	for (strict = 0; strict < 2; strict++) {
		enum sc_level lv = strict ? SC_ERROR : SC_WARNING;
		/* There for the year: nothing said. */
		snprintf(body, sizeof(body), table, "");
		assert_int_equal(bind_missing("", body, "2022/23", strict, &d), 0);
		assert_int_equal(d.n, 0);
		diags_clear(&d);
		/* No rows. */
		assert_int_equal(bind_missing("", body, "2018/19", strict, &d),
		    strict ? -1 : 0);
		one_message(&d, lv, "the table \"t\" has no rows for "
		    "year=2018/19 (data crime, defined on line 1, where=\"year = "
		    ":year\")");
		diags_clear(&d);
		snprintf(body, sizeof(body), table, " empty=\"ok\"");
		assert_int_equal(bind_missing("", body, "2018/19", strict, &d), 0);
		assert_int_equal(d.n, 0);
		diags_clear(&d);
		/* A literal table is what it says. */
		assert_int_equal(bind_missing("", "<table><row><cell/></row>"
		    "</table>", "2018/19", strict, &d), 0);
		assert_int_equal(d.n, 0);
		diags_clear(&d);
		/* Columns of zeros and blanks, named in one message. */
		assert_int_equal(bind_missing(q, "<table data=\"q\"><column "
		    "field=\"area\"/><column field=\"z\" header=\"Zero\"/>"
		    "<column field=\"n\"/></table>", "2022/23", strict, &d),
		    strict ? -1 : 0);
		one_message(&d, lv, "the table: columns \"Zero\", \"n\" are 0 or "
		    "blank in every row for year=2022/23 (query q, defined on "
		    "line 1)");
		diags_clear(&d);
		assert_int_equal(bind_missing(q, "<table data=\"q\"><column "
		    "field=\"area\"/><column field=\"z\" empty=\"ok\"/><column "
		    "field=\"n\"/></table>", "2022/23", strict, &d),
		    strict ? -1 : 0);
		one_message(&d, lv, "column \"n\" is blank in every row");
		diags_clear(&d);
		/* One row: its 0 may be the figure; a blank is still blank. */
		assert_int_equal(bind_missing(q, "<table data=\"q\" where=\"area = "
		    "'Blaby'\"><column field=\"z\"/></table>", "2022/23",
		    strict, &d), 0);
		assert_int_equal(d.n, 0);
		diags_clear(&d);
		assert_int_equal(bind_missing(q, "<table data=\"q\" where=\"area = "
		    "'Blaby'\"><column field=\"n\"/></table>", "2022/23",
		    strict, &d), strict ? -1 : 0);
		one_message(&d, lv, "column \"n\" is blank in every row");
		diags_clear(&d);
		/* A chart's series; key-figure tiles' values. */
		assert_int_equal(bind_missing(q, "<chart id=\"c\" type=\"column\" "
		    "data=\"q\" x=\"area\" series=\"z\"/>", "2022/23", strict,
		    &d), strict ? -1 : 0);
		one_message(&d, lv, "the chart \"c\": series \"z\" is 0 or blank "
		    "in every row for year=2022/23");
		diags_clear(&d);
		assert_int_equal(bind_missing(q, "<chart id=\"c\" type=\"column\" "
		    "data=\"q\" x=\"area\" series=\"z\" empty=\"ok\"/>",
		    "2022/23", strict, &d), 0);
		assert_int_equal(d.n, 0);
		diags_clear(&d);
		assert_int_equal(bind_missing(q, "<kpis data=\"q\" label=\"area\" "
		    "value=\"z\" change=\"n\"/>", "2022/23", strict, &d),
		    strict ? -1 : 0);
		one_message(&d, lv, "the key-figure tiles: values \"z\", \"n\" are "
		    "0 or blank in every tile");
		diags_clear(&d);
		/* A value: NULL warns; no rows cannot print at all. */
		assert_int_equal(bind_missing("", "<p><value query=\"SELECT "
		    "sum(crimes) FROM crime WHERE year = :year\"/></p>",
		    "2018/19", strict, &d), strict ? -1 : 0);
		one_message(&d, lv, "<value query=\"SELECT sum(crimes) FROM crime "
		    "WHERE year = :year\"> gives NULL for year=2018/19");
		diags_clear(&d);
		assert_int_equal(bind_missing("", "<p><value query=\"SELECT "
		    "sum(crimes) FROM crime WHERE year = :year\" empty=\"ok\"/>"
		    "</p>", "2018/19", strict, &d), 0);
		assert_int_equal(d.n, 0);
		diags_clear(&d);
		assert_int_equal(bind_missing("", "<p><value query=\"SELECT crimes "
		    "FROM crime WHERE year = :year\" empty=\"ok\"/></p>",
		    "2018/19", strict, &d), -1);
		one_message(&d, SC_ERROR, "has no rows for year=2018/19, so it has "
		    "nothing to print");
		diags_clear(&d);
		assert_int_equal(bind_missing(q, "<chart type=\"column\" "
		    "data=\"q\" empty=\"ok\" where=\"0\"/>", "2022/23", strict,
		    &d), -1);
		one_message(&d, SC_ERROR, "the chart has no rows for year=2022/23 "
		    "(query q, defined on line 1, where=\"0\"), so there is nothing "
		    "to plot");
		diags_clear(&d);
	}
}

/* A database with one CSV loaded from text. */
static struct db *
load_csv(const char *csv, struct doc **docp, struct diags *d)
{
	char *path = tmp_file(csv, ".csv");
	struct db *db;
	struct source src = { "t", path, NULL, NULL, 1, "def.xml", 3 };
	struct doc *doc = doc_new();

	diags_init(d);
	db = db_open(d);
	assert_non_null(db);
	db_load_csv(db, &src, path, NULL, d);
	unlink(path);
	free(path);
	db_lock(db);
	*docp = doc;
	return db;
}

static double
one(struct db *db, struct doc *doc, const char *sql, struct diags *d)
{
	struct rset rs;

	if (db_query(db, doc, sql, &doc->arena, &rs, "def.xml", 9, d) != 0)
		fail_msg("%s: %s", sql, d->n ? d->v[d->n - 1].message : "?");
	assert_true(rs.nrows >= 1);
	return rs.v[0].num;
}

/* A police.uk street export's twelve columns, every one filled. */
static const char police_csv[] =
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,"
    "LSOA code,LSOA name,Crime type,Last outcome category,Context\n"
    "ab12,2022-04,Leics Police,Leics Police,-1.1,52.6,On or near Main "
    "Street,E01025001,Blaby 001A,Burglary,Under investigation,none\n"
    "cd34,2022-05,Leics Police,Leics Police,-1.2,52.7,On or near Station "
    "Road,E01025002,Blaby 002B,Drugs,Local resolution,none\n";

/*
 * Which columns of each source the loader stores for a definition (its
 * <data> after the two <csv>s, and its body): want[i] is a string of
 * '1' (stored) and '0' (left NULL), one a column, for "street" (the
 * police.uk export) and "other" (columns aa, bb, cc).
 */
static void
stored_with(const char *params, const char *data, const char *body,
    const char *want_street, const char *want_other)
{
	char *csv[2], *path;
	const char *want[2] = { want_street, want_other };
	struct diags d;
	struct doc *doc;
	struct buf x;
	size_t i;
	int ok;

	csv[0] = tmp_file(police_csv, ".csv");
	csv[1] = tmp_file("aa,bb,cc\n1,2,3\n4,5,6\n", ".csv");
	buf_init(&x);
	buf_printf(&x, "<report version=\"1\"><meta><title>T</title></meta>"
	    "<params><param name=\"year\" default=\"2022-04\"/>%s</params>"
	    "<data><csv id=\"street\" href=\"%s\"/><csv id=\"other\" "
	    "href=\"%s\"/>%s</data>\n<section title=\"S\">\n%s</section>"
	    "</report>", params, strrchr(csv[0], '/') + 1,
	    strrchr(csv[1], '/') + 1, data, body);
	path = tmp_file(x.data, ".xml");
	diags_init(&d);
	doc = def_load(path, NULL, 0, &d, &ok);
	assert_non_null(doc);
	if (!ok)
		fail_msg("%s", d.n ? d.v[d.n - 1].message : "?");
	assert_int_equal(doc->nsources, 2);
	for (i = 0; i < 2; i++) {
		char *refs = data_referenced(doc, i);
		struct db *db = db_open(&d);
		struct rset rs;
		struct buf got, sql;
		int c;
		assert_non_null(db);
		assert_int_equal(db_load_csv(db, &doc->sources[i], csv[i], refs,
		    &d), 0);
		db_lock(db);
		buf_init(&sql);
		buf_printf(&sql, "SELECT * FROM %s", doc->sources[i].id);
		assert_int_equal(db_query(db, doc, sql.data, &doc->arena, &rs,
		    "def.xml", 1, &d), 0);
		/* Every row is there, whatever is stored. */
		assert_int_equal(rs.nrows, 2);
		buf_init(&got);
		for (c = 0; c < rs.ncols; c++)
			buf_putc(&got, rs.v[c].type == SQLITE_NULL ? '0' : '1');
		if (strcmp(got.data, want[i]) != 0)
			fail_msg("source %s: stored %s, want %s (refs %s)",
			    doc->sources[i].id, got.data, want[i],
			    refs ? "given" : "NULL");
		buf_free(&got);
		buf_free(&sql);
		free(refs);
		db_close(db);
	}
	doc_free(doc);
	diags_clear(&d);
	for (i = 0; i < 2; i++) {
		unlink(csv[i]);
		free(csv[i]);
	}
	unlink(path);
	free(path);
	buf_free(&x);
}

static void
stored(const char *data, const char *body, const char *want_street,
    const char *want_other)
{
	stored_with("", data, body, want_street, want_other);
}

/* Pruning for every kind of binding: what something can read is
 * stored, the rest is not, each source on its own. */
static void
test_csv_pruned_per_binding(void **state)
{
	static const char agg[] = "<query id=\"agg\">SELECT Month, "
	    "\"Crime type\" AS type, count(*) AS n FROM street GROUP BY 1, 2"
	    "</query><query id=\"o\">SELECT bb FROM other</query>";

	(void)state;
	/* A table without <column>s bound to a query: what the query
	 * names, of the twelve. */
	stored(agg, "<table data=\"agg\"/><table data=\"o\"/>",
	    "010000000100", "010");
	/* Its where=, order-by= and group-by= count too. */
	stored(agg, "<table data=\"agg\" where=\"n &gt; 0 AND "
	    "Longitude &lt; 0\" order-by=\"Latitude\" group-by=\"type\"/>",
	    "010011000100", "010");
	/* SELECT * keeps every column of the source it reads, not of the
	 * other; a comment before the * does not hide it. */
	stored("<query id=\"all\">SELECT /* every column */ * FROM street"
	    "</query>"
	    "<query id=\"o\">SELECT cc FROM other</query>",
	    "<table data=\"all\"/><table data=\"o\"/>", "111111111111", "001");
	stored("<query id=\"all\">SELECT o.* FROM other AS o</query>",
	    "<table data=\"all\"/><p><value query=\"SELECT max(Latitude) "
	    "FROM street\"/></p>", "000001000000", "111");
	/* A NATURAL join (in any case) reads the columns the sources
	 * share without naming them: every column of both is kept. */
	stored("<query id=\"nj\">SELECT count(*) AS n FROM street natural "
	    "JOIN other</query>", "<table data=\"nj\"/>", "111111111111",
	    "111");
	/* Bound straight to a CSV without a column list: that one source
	 * whole, the other pruned. */
	stored("", "<table data=\"other\"/><p><value query=\"SELECT "
	    "min(Context) FROM street\"/></p>", "000000000001", "111");
	stored("", "<table data=\"street\"><column field=\"Location\"/>"
	    "<column header=\"Where\" value=\"upper(&quot;LSOA name&quot;)\"/>"
	    "</table>", "000000101000", "000");
	/* A chart: x=, series= and series-by= name its columns; without
	 * series= it plots whatever there is. */
	stored("", "<chart type=\"line\" data=\"street\" x=\"Month\" "
	    "series=\"Latitude\" series-by=\"Crime type\"/>",
	    "010001000100", "000");
	stored("", "<chart type=\"bar\" data=\"other\" x=\"aa\"/>",
	    "000000000000", "111");
	/* Key-figure tiles: label=, value=, change=, polarity-field=. */
	stored("", "<kpis data=\"street\" label=\"&quot;Crime type&quot;\" "
	    "value=\"Longitude\" change=\"pct_change(Latitude, Longitude)\" "
	    "polarity-field=\"Context\"/>", "000011000101", "000");
	/* An <expect>'s column and a parameter's in-data. */
	stored("<expect source=\"street\" column=\"Month\" periods=\"monthly\" "
	    "from=\"2022-04\" to=\"2022-05\"/>", "", "010000000000", "000");
	stored_with("<param name=\"at\" default=\"x\" "
	    "in-data=\"other.cc\"/>", "", "", "000000000000", "001");
}

/* Only the columns the definition's SQL names are stored; a source whose
 * SQL names none (count(*)) still has every row. */
static void
test_csv_kept_columns(void **state)
{
	static const char *const refs[] = { "SELECT count(*) FROM t",
		"SELECT sum(bb) FROM t", "SELECT sum(BB) FROM t" };
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++) {
		char *path = tmp_file("aa,bb,qq\nx,1,y\nz,2,w\nq,3,r\n", ".csv");
		struct source src = { "t", path, NULL, NULL, 1, "def.xml", 3 };
		struct doc *doc = doc_new();
		struct diags d;
		struct db *db;

		diags_init(&d);
		db = db_open(&d);
		assert_non_null(db);
		assert_int_equal(db_load_csv(db, &src, path, refs[i], &d), 0);
		db_lock(db);
		assert_true(one(db, doc, "SELECT count(*) FROM t", &d) == 3);
		if (i >= 1) {
			/* named in either case, it is kept */
			assert_true(one(db, doc, "SELECT sum(bb) FROM t", &d) == 6);
			/* aa was not named: kept out, so NULL */
			assert_true(one(db, doc, "SELECT count(aa) FROM t", &d) == 0);
		}
		db_close(db);
		doc_free(doc);
		diags_clear(&d);
		unlink(path);
		free(path);
	}
}

static const char *
one_text(struct db *db, struct doc *doc, const char *sql, struct diags *d)
{
	struct rset rs;

	if (db_query(db, doc, sql, &doc->arena, &rs, "def.xml", 9, d) != 0)
		fail_msg("%s: %s", sql, d->n ? d->v[d->n - 1].message : "?");
	return rs.v[0].type == SQLITE_NULL ? "NULL" : rs.v[0].text;
}

static void
test_csv_load(void **state)
{
	struct diags d;
	struct doc *doc;
	struct db *db = load_csv("\xef\xbb\xbf" "area,2018/19,Yr to Date Trend,"
	    "amount,share\r\nBlaby,\"1,234\",up,\"\xc2\xa3" "5.50\",83%\r\n"
	    "\"Hinckley, and Bosworth\",\"2\",\"said \"\"x\"\"\",\xc2\xa3" "1.25,"
	    "7%\r\n\r\n", &doc, &d);

	(void)state;
	assert_int_equal(d.errors, 0);
	assert_true(one(db, doc, "SELECT sum([2018/19]) FROM t", &d) == 1236);
	assert_true(fabs(one(db, doc, "SELECT sum(amount) FROM t", &d) - 6.75)
	    < 1e-9);
	assert_string_equal(one_text(db, doc, "SELECT area FROM t WHERE "
	    "[Yr to Date Trend] LIKE 'said%'", &d), "Hinckley, and Bosworth");
	assert_string_equal(db_column_format(db, "t", "2018/19"), "#,##0");
	assert_string_equal(db_column_format(db, "t", "amount"),
	    "\xc2\xa3#,##0.00");
	assert_string_equal(db_column_format(db, "t", "share"), "0%");
	assert_null(db_column_format(db, "t", "area"));
	db_close(db);
	doc_free(doc);
	diags_clear(&d);
}

static void
csv_error(const char *csv, int row, const char *part)
{
	struct diags d;
	struct doc *doc;
	struct db *db = load_csv(csv, &doc, &d);

	if (d.errors == 0)
		fail_msg("no error for %s", csv);
	if (d.v[0].line != row || strstr(d.v[0].message, part) == NULL)
		fail_msg("got %d: %s; want row %d: %s", d.v[0].line,
		    d.v[0].message, row, part);
	db_close(db);
	doc_free(doc);
	diags_clear(&d);
}

static void
test_csv_errors(void **state)
{
	(void)state;
	csv_error("a,b\n1,2\n3\n", 3, "this row has 1 field, the header has 2");
	csv_error("a,b\n1,2,3\n", 2, "more fields than the header");
	csv_error("a,b\n1,\"open\n", 2, "quoted value is not closed");
	csv_error("a,A\n1,2\n", 1, "twice");
	/* the first column that repeats one, with the earliest it repeats */
	csv_error("a,B,b,A\n1,2,3,4\n", 1,
	    "column 3 (\"b\"): the header names column \"b\" (also column 2)");
	{
		/* 300 columns, the last naming the seventh again */
		struct buf h;
		int i;
		buf_init(&h);
		for (i = 1; i < 300; i++)
			buf_printf(&h, "col%d,", i);
		buf_puts(&h, "COL7\n");
		for (i = 1; i < 300; i++)
			buf_puts(&h, "1,");
		buf_puts(&h, "1\n");
		assert_false(h.oom);
		csv_error(h.data, 1, "column 300 (\"COL7\"): the header names "
		    "column \"COL7\" (also column 7) twice");
		buf_free(&h);
	}
	csv_error("a,,c\n1,2,3\n", 1, "empty column name");
	csv_error("", 1, "empty");
}

/*
 * A file loaded on one thread and on two (csv.c's pipe) gives the same
 * table, the same remembered formats and the same messages. The text
 * has 20,000 rows: five batches and a part, so that batches are handed
 * over, reused and ended part-full.
 */
struct loaded {
	char *dump, *fmt;
	char *msgs;
	int   rc;
};

/* As load_way(), SQLite taking rows of at most limit bytes (0: the
 * loader's own limit). */
static struct loaded
load_limited(const char *csv, int two, int limit)
{
	char *path = tmp_file(csv, ".csv");
	struct source src = { "t", path, NULL, NULL, 1, "def.xml", 3 };
	struct doc *doc = doc_new();
	struct loaded out;
	struct diags d;
	struct db *db;
	struct buf m;
	size_t i;

	diags_init(&d);
	buf_init(&m);
	db = db_open(&d);
	assert_non_null(db);
	db_csv_pipe_min(two ? 1 : 0);
	if (limit > 0)
		sqlite3_limit(db_handle(db), SQLITE_LIMIT_LENGTH, limit);
	out.rc = db_load_csv(db, &src, path, NULL, &d);
	db_csv_pipe_min(16u << 20);
	/* the temporary file's name as F */
	for (i = 0; i < d.n; i++) {
		const char *msg = d.v[i].message;
		if (strncmp(msg, path, strlen(path)) == 0)
			msg += strlen(path) - 1;
		buf_printf(&m, "%d:%d:%s%s\n", (int)d.v[i].level, d.v[i].line,
		    msg != d.v[i].message ? "F" : "", msg != d.v[i].message ?
		    msg + 1 : msg);
	}
	out.msgs = strdup(m.data ? m.data : "");
	out.dump = out.fmt = NULL;
	if (out.rc == 0) {
		db_lock(db);
		out.dump = strdup(one_text(db, doc, "SELECT count(*) || ':' || "
		    "group_concat(quote(id) || quote(month) || quote(pct) || "
		    "quote(amount) || quote(note) || quote(day), '|') FROM t", &d));
		buf_reset(&m);
		buf_printf(&m, "%s %s %s %s",
		    db_column_format(db, "t", "pct") ?: "-",
		    db_column_format(db, "t", "amount") ?: "-",
		    db_column_format(db, "t", "day") ?: "-",
		    db_column_format(db, "t", "month") ?: "-");
		out.fmt = strdup(m.data);
	}
	db_close(db);
	doc_free(doc);
	diags_clear(&d);
	buf_free(&m);
	unlink(path);
	free(path);
	return out;
}

static struct loaded
load_way(const char *csv, int two)
{
	return load_limited(csv, two, 0);
}

/* rows rows; at row bad (1-based, after the header), the text at. */
static char *
two_thread_csv(int rows, int bad, const char *at)
{
	struct buf b;
	int i;

	buf_init(&b);
	buf_puts(&b, "id,month,pct,amount,note,day\n");
	for (i = 1; i <= rows; i++) {
		if (i == bad) {
			buf_puts(&b, at);
			continue;
		}
		/* pct mixes percentages with counts (the fewer goes back to
		 * text, by rowid: the storing thread's side) */
		buf_printf(&b, "%d,%04d-%02d,%d%s,\"\u00a3%d,%03d.50\",\"a, b %d\","
		    "%02d/%02d/20%02d\n", i, 2019 + i % 5, 1 + i % 12, i % 97,
		    i % 5 == 0 ? "" : "%", i % 50, i % 1000, i, 1 + i % 28,
		    1 + i % 12, 19 + i % 5);
	}
	return b.data;
}

static void
same_both_ways(const char *csv)
{
	struct loaded one = load_way(csv, 0), two = load_way(csv, 1);

	assert_int_equal(one.rc, two.rc);
	assert_string_equal(one.msgs, two.msgs);
	if (one.rc == 0) {
		assert_string_equal(one.dump, two.dump);
		assert_string_equal(one.fmt, two.fmt);
	}
	free(one.dump);
	free(two.dump);
	free(one.fmt);
	free(two.fmt);
	free(one.msgs);
	free(two.msgs);
}

static void
test_csv_two_threads(void **state)
{
	char *csv;
	struct loaded l;

	(void)state;
	csv = two_thread_csv(20000, 0, NULL);
	l = load_way(csv, 1);
	assert_int_equal(l.rc, 0);
	assert_string_equal(l.msgs, "");
	assert_true(strncmp(l.dump, "20000:", 6) == 0);
	/* row 5: its pct a count among percentages, so back to its text;
	 * amount money, day a date (stored ISO) */
	assert_non_null(strstr(l.dump, "|5'2019-06''5'5005.5'a, b 5''2019-06-06'|"));
	assert_string_equal(l.fmt, "0% \u00a3#,##0.00 dd/MM/yyyy yyyy-MM");
	free(l.dump);
	free(l.fmt);
	free(l.msgs);
	same_both_ways(csv);
	free(csv);
	/* The reader's error after four batches: said once, at its row,
	 * and the load fails. */
	csv = two_thread_csv(20000, 17000, "1,2,3,4,5,6,7\n");
	l = load_way(csv, 1);
	assert_int_equal(l.rc, -1);
	assert_non_null(strstr(l.msgs, ":17001:column 7: this row has more "
	    "fields than the header's 6"));
	assert_null(strchr(strchr(l.msgs, '\n') + 1, ':'));
	free(l.msgs);
	same_both_ways(csv);
	free(csv);
	/* Not UTF-8 past the first batches: read again as Windows-1252. */
	csv = two_thread_csv(20000, 12000, "12000,2020-01,5,7,caf\xe9,01/01/2020\n");
	same_both_ways(csv);
	l = load_way(csv, 1);
	assert_int_equal(l.rc, 0);
	assert_non_null(strstr(l.msgs, "is not UTF-8; reading it as "
	    "Windows-1252"));
	assert_non_null(strstr(l.dump, "'caf\u00e9'"));
	free(l.dump);
	free(l.fmt);
	free(l.msgs);
	free(csv);
	/* A quote left open at the end, and a file with a header only. */
	csv = two_thread_csv(9000, 9000, "9000,2020-01,5,7,\"open,01/01/2020\n");
	same_both_ways(csv);
	free(csv);
	same_both_ways("id,month,pct,amount,note,day\n");
	/* Rows of long values: a batch is handed over by its bytes (8 MiB)
	 * long before its 4,096 rows. */
	{
		struct buf b;
		char *big = malloc(700001);
		int i;
		assert_non_null(big);
		memset(big, 'x', 700000);
		big[700000] = '\0';
		buf_init(&b);
		buf_puts(&b, "id,month,pct,amount,note,day\n");
		for (i = 1; i <= 20; i++)
			buf_printf(&b, "%d,2020-0%d,%d%%,7,%s%d,01/01/2020\n", i,
			    1 + i % 9, i, big, i);
		assert_false(b.oom);
		same_both_ways(b.data);
		buf_free(&b);
		free(big);
	}
	/* A row SQLite refuses, among rows the storing thread would put in
	 * one INSERT: told at its own row (21), as on one thread. */
	{
		struct buf b;
		struct loaded one, two;
		char *big = malloc(60001);
		int i;
		assert_non_null(big);
		memset(big, 'x', 60000);
		big[60000] = '\0';
		buf_init(&b);
		buf_puts(&b, "id,month,pct,amount,note,day\n");
		/* each value within the limit, the row not */
		for (i = 1; i <= 40; i++)
			buf_printf(&b, "%d,2020-01,5%%,%s,%s,01/01/2020\n", i,
			    i == 20 ? big : "7", i == 20 ? big : "n");
		assert_false(b.oom);
		one = load_limited(b.data, 0, 100000);
		two = load_limited(b.data, 1, 100000);
		assert_int_equal(one.rc, -1);
		assert_int_equal(two.rc, -1);
		assert_non_null(strstr(one.msgs, ":21:cannot store the row: "));
		assert_string_equal(one.msgs, two.msgs);
		free(one.msgs);
		free(two.msgs);
		/* One value longer than SQLite takes: refused, not stored as
		 * NULL. */
		one = load_limited(b.data, 0, 50000);
		two = load_limited(b.data, 1, 50000);
		assert_int_equal(one.rc, -1);
		assert_int_equal(two.rc, -1);
		assert_non_null(strstr(one.msgs, ":21:cannot store the row: "
		    "string or blob too big"));
		assert_string_equal(one.msgs, two.msgs);
		free(one.msgs);
		free(two.msgs);
		buf_free(&b);
		free(big);
	}
}

/* A cancelled build (sc_ctx_cancel) stops a load, on one thread or two:
 * no table, no message (the job says "interrupted"), and -1. */
static void
test_csv_cancelled(void **state)
{
	char *csv = two_thread_csv(9000, 0, NULL);
	char *path = tmp_file(csv, ".csv");
	struct source src = { "t", path, NULL, NULL, 1, "def.xml", 3 };
	atomic_int cancel = 1;
	int two;

	(void)state;
	for (two = 0; two < 2; two++) {
		struct diags d;
		struct db *db;
		diags_init(&d);
		db = db_open(&d);
		assert_non_null(db);
		db_set_cancel(db, &cancel);
		db_csv_pipe_min(two ? 1 : 0);
		assert_int_equal(db_load_csv(db, &src, path, NULL, &d), -1);
		db_csv_pipe_min(16u << 20);
		assert_int_equal(d.n, 0);
		assert_int_equal(sqlite3_exec(db_handle(db), "SELECT 1 FROM t",
		    NULL, NULL, NULL), SQLITE_ERROR);
		db_close(db);
		diags_clear(&d);
	}
	unlink(path);
	free(path);
	free(csv);
}

static void
test_mixed_percent_column(void **state)
{
	struct diags d;
	struct doc *doc;
	struct db *db = load_csv("m,v\nA,5044\nB,260\nC,82%\n", &doc, &d);

	(void)state;
	/* The one percentage keeps its text; the counts stay numbers. */
	assert_string_equal(one_text(db, doc, "SELECT v FROM t WHERE m = 'C'",
	    &d), "82%");
	assert_true(one(db, doc, "SELECT v FROM t WHERE m = 'A'", &d) == 5044);
	assert_string_equal(db_column_format(db, "t", "v"), "0");
	db_close(db);
	doc_free(doc);
	diags_clear(&d);
}

/* The query fails, and says why. */
static void
sql_fails(struct db *db, struct doc *doc, const char *sql, const char *want)
{
	struct diags d;
	struct rset rs;

	diags_init(&d);
	if (db_query(db, doc, sql, &doc->arena, &rs, "def.xml", 9, &d) == 0)
		fail_msg("%s: ran, but should fail with \"%s\"", sql, want);
	if (d.n == 0 || strstr(d.v[d.n - 1].message, want) == NULL)
		fail_msg("%s: said \"%s\", not \"%s\"", sql,
		    d.n ? d.v[d.n - 1].message : "", want);
	diags_clear(&d);
}

#define UP    "\xe2\x86\x91"
#define DOWN  "\xe2\x86\x93"
#define LEVEL "\xe2\x86\x92"

/*
 * The three ways to a trend arrow besides trend(): the officer's word
 * from the data, a Poisson test for counts, and a least-squares line.
 * The figures are seed 001's (Blaby's 2023 crime table).
 */
static void
test_trend_methods(void **state)
{
	static const struct { const char *sql, *want; } ok[] = {
		/* H&B Burglary (Business) year to date: +13%, but as counts
		 * no significant change (p = 0.58) — the seed's →. */
		{ "SELECT trend_counts(54, 61)", LEVEL },
		{ "SELECT trend(54, 61, 0.05)", UP },
		/* H&B Total Crime year to date, 4631 -> 4252: p < 0.0001. */
		{ "SELECT trend_counts(4631, 4252)", DOWN },
		{ "SELECT trend_counts(4252, 4631)", UP },
		/* Domestic abuse 763 -> 730: p = 0.40. */
		{ "SELECT trend_counts(763, 730)", LEVEL },
		/* 20 -> 35: p = 0.069, level at 5%, down-weighted at 10%. */
		{ "SELECT trend_counts(20, 35)", LEVEL },
		{ "SELECT trend_counts(20, 35, 0.1)", UP },
		/* 0 -> 7: p = 2 * 2^-7 = 0.0156. */
		{ "SELECT trend_counts(0, 7)", UP },
		{ "SELECT trend_counts(0, 5)", LEVEL },   /* p = 0.0625 */
		{ "SELECT trend_counts(0, 0)", LEVEL },
		/* Past the exact range the normal approximation: 1% on a
		 * hundred thousand is significant, 0.3% is not. */
		{ "SELECT trend_counts(100000, 101000)", UP },
		{ "SELECT trend_counts(100000, 99700)", LEVEL },
		{ "SELECT trend_counts(NULL, 5)", "NULL" },
		/* Blaby Vehicle Crime - Theft of, 177 164 113 147 187: the
		 * first and last differ by 5.6%, trend() says up; the line
		 * through all five is flat — the seed's →. */
		{ "SELECT trend(177, 187, 0.05)", UP },
		{ "SELECT trend_line(0.05, 177, 164, 113, 147, 187)", LEVEL },
		/* H&B Hate Crime 104 93 122 178 193: rising. */
		{ "SELECT trend_line(0.05, 104, 93, 122, 178, 193)", UP },
		{ "SELECT trend_line(0.05, 475, 413, 205, 212, 331)", DOWN },
		{ "SELECT trend_line(0, 1, 1)", LEVEL },
		{ "SELECT trend_line(0, 0, 1)", UP },
		/* A gap in the series is no value, not a level year. */
		{ "SELECT trend_line(0.05, 1, NULL, 3)", "NULL" },
		{ "SELECT arrow('up')", UP },
		{ "SELECT arrow(' Down ')", DOWN },
		{ "SELECT arrow('LEVEL')", LEVEL },
		{ "SELECT arrow('no change')", LEVEL },
		{ "SELECT arrow('\xe2\x86\x93')", DOWN },
		{ "SELECT arrow('')", "NULL" },
		{ "SELECT arrow(NULL)", "NULL" },
	};
	struct diags d;
	struct doc *doc;
	struct db *db = load_csv("x\n1\n", &doc, &d);
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		const char *got = one_text(db, doc, ok[i].sql, &d);

		if (strcmp(got, ok[i].want) != 0)
			fail_msg("%s gave %s, not %s", ok[i].sql, got, ok[i].want);
	}
	sql_fails(db, doc, "SELECT arrow('sideways')", "arrow(): 'sideways' "
	    "is not a direction: write up, down or level (or an arrow)");
	sql_fails(db, doc, "SELECT trend_counts(1.5, 2)", "trend_counts(): "
	    "counts must be whole numbers of 0 or more; for rates or amounts "
	    "use trend()");
	sql_fails(db, doc, "SELECT trend_counts(-1, 2)", "counts must be "
	    "whole numbers");
	sql_fails(db, doc, "SELECT trend_counts(1, 2, 5)", "trend_counts(): "
	    "the significance level must be between 0 and 1, such as 0.05");
	sql_fails(db, doc, "SELECT trend_line(0.05, 3)", "trend_line(): give "
	    "the band and at least two values, as trend_line(0.05, y1, y2, y3)");
	db_close(db);
	doc_free(doc);
	diags_clear(&d);
}

static void
test_sql_functions(void **state)
{
	struct diags d;
	struct doc *doc;
	struct db *db = load_csv("x\n1\n", &doc, &d);

	(void)state;
	assert_true(fabs(one(db, doc, "SELECT pct_change(200, 250)", &d) -
	    0.25) < 1e-12);
	assert_string_equal(one_text(db, doc, "SELECT pct_change(0, 5)", &d),
	    "NULL");
	/* From a negative base the change is measured on its size: -200
	 * to -100 is a rise of half. */
	assert_true(fabs(one(db, doc, "SELECT pct_change(-200, -100)", &d) -
	    0.5) < 1e-12);
	assert_string_equal(one_text(db, doc, "SELECT trend(100, 110)", &d),
	    "\xe2\x86\x91");
	assert_string_equal(one_text(db, doc, "SELECT trend(100, 90)", &d),
	    "\xe2\x86\x93");
	assert_string_equal(one_text(db, doc, "SELECT trend(100, 104, 0.05)",
	    &d), "\xe2\x86\x92");
	assert_string_equal(one_text(db, doc, "SELECT trend(100, 106, 0.05)",
	    &d), "\xe2\x86\x91");
	/* A change of exactly the band is within it. */
	assert_string_equal(one_text(db, doc, "SELECT trend(100, 105, 0.05)",
	    &d), "\xe2\x86\x92");
	assert_string_equal(one_text(db, doc, "SELECT trend(100, 95, 0.05)",
	    &d), "\xe2\x86\x92");
	assert_string_equal(one_text(db, doc, "SELECT rag(90, 85, 'up')", &d),
	    "G");
	assert_string_equal(one_text(db, doc, "SELECT rag(82, 85, 'up')", &d),
	    "A");
	assert_string_equal(one_text(db, doc, "SELECT rag(70, 85, 'up')", &d),
	    "R");
	/* Amber is within 5% of the target: 80.75 for 85. */
	assert_string_equal(one_text(db, doc, "SELECT rag(80.75, 85, 'up')",
	    &d), "A");
	assert_string_equal(one_text(db, doc, "SELECT rag(80, 85, 'up')", &d),
	    "R");
	assert_string_equal(one_text(db, doc, "SELECT rag(89.5, 85, 'down')",
	    &d), "R");
	assert_string_equal(one_text(db, doc, "SELECT rag(88, 85, 'down')",
	    &d), "A");
	assert_string_equal(one_text(db, doc, "SELECT rag(90, 85, 'down')",
	    &d), "R");
	assert_true(fabs(one(db, doc, "SELECT rate_per_1000(45, 192800)", &d) -
	    45000.0 / 192800) < 1e-9);
	assert_string_equal(one_text(db, doc, "SELECT fy('2023-05-01')", &d),
	    "2023/24");
	assert_string_equal(one_text(db, doc, "SELECT fy('2024-03')", &d),
	    "2023/24");
	/* A financial year before year 1 or a year past 9999 is no year. */
	assert_string_equal(one_text(db, doc, "SELECT fy('0000-01-01')", &d),
	    "NULL");
	assert_string_equal(one_text(db, doc, "SELECT fy('0001-03')", &d),
	    "NULL");
	assert_string_equal(one_text(db, doc, "SELECT fy('0001-04')", &d),
	    "0001/02");
	assert_string_equal(one_text(db, doc, "SELECT fy('9999-12')", &d),
	    "9999/00");
	assert_string_equal(one_text(db, doc, "SELECT fy('-001-05')", &d),
	    "NULL");
	assert_string_equal(one_text(db, doc, "SELECT quarter('2023-05-01')",
	    &d), "2023 Q2");
	/* The edges: April starts a financial year; March ends Q1 and
	 * December is in Q4. */
	assert_string_equal(one_text(db, doc, "SELECT fy('2023-04-01')", &d),
	    "2023/24");
	assert_string_equal(one_text(db, doc, "SELECT fy('1999-12')", &d),
	    "1999/00");
	assert_string_equal(one_text(db, doc, "SELECT quarter('2023-03-31')",
	    &d), "2023 Q1");
	assert_string_equal(one_text(db, doc, "SELECT quarter('2023-04')", &d),
	    "2023 Q2");
	assert_string_equal(one_text(db, doc, "SELECT quarter('2023-12')", &d),
	    "2023 Q4");
	/* Only a value that starts YYYY-MM is a date: not " 2023-05", not
	 * "2023-5", not month 13 (sscanf took the first two). */
	assert_string_equal(one_text(db, doc, "SELECT fy(' 2023-05')", &d),
	    "NULL");
	assert_string_equal(one_text(db, doc, "SELECT fy('2023-5')", &d),
	    "NULL");
	assert_string_equal(one_text(db, doc, "SELECT fy('+023-05')", &d),
	    "NULL");
	assert_string_equal(one_text(db, doc, "SELECT quarter('2023-13')", &d),
	    "NULL");
	assert_string_equal(one_text(db, doc, "SELECT quarter('2023-00')", &d),
	    "NULL");
	assert_string_equal(one_text(db, doc, "SELECT fy('2009-04 and on')",
	    &d), "2009/10");
	assert_string_equal(one_text(db, doc, "SELECT fy(20230501)", &d),
	    "NULL");
	db_close(db);
	doc_free(doc);
	diags_clear(&d);
}

static void
refused(struct db *db, struct doc *doc, const char *sql)
{
	struct diags d;
	struct rset rs;

	diags_init(&d);
	if (db_query(db, doc, sql, &doc->arena, &rs, "def.xml", 9, &d) == 0)
		fail_msg("ran: %s", sql);
	assert_true(d.errors > 0);
	diags_clear(&d);
}

static void
test_locked_down(void **state)
{
	struct diags d;
	struct doc *doc;
	struct db *db = load_csv("x\n1\n", &doc, &d);

	(void)state;
	refused(db, doc, "ATTACH DATABASE '/tmp/sc-evil.db' AS e");
	refused(db, doc, "SELECT load_extension('/tmp/x')");
	refused(db, doc, "VACUUM INTO '/tmp/sc-evil.db'");
	refused(db, doc, "PRAGMA journal_mode");
	refused(db, doc, "PRAGMA table_info(t)");
	refused(db, doc, "BEGIN");
	refused(db, doc, "DELETE FROM t");
	refused(db, doc, "CREATE TABLE u (a)");
	refused(db, doc, "SELECT 1; SELECT 2");
	refused(db, doc, "SELECT :nope");
	assert_int_equal(access("/tmp/sc-evil.db", F_OK), -1);
	/* A runaway recursive query is stopped, not left to hang (a
	 * small budget keeps the test quick). */
	/* A bounded recursive query is allowed (months in a range). */
	assert_true(fabs(one(db, doc, "WITH RECURSIVE c(n) AS (SELECT 1 UNION "
	    "ALL SELECT n + 1 FROM c WHERE n < 12) SELECT count(*) FROM c", &d) -
	    12) < 1e-9);
	db_set_budget(db, 1000000);
	refused(db, doc, "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT "
	    "n + 1 FROM c) SELECT count(*) FROM c");
	db_close(db);
	doc_free(doc);
	diags_clear(&d);
}


/* The n-th (0-based) bound table of l's body. */
static const struct tbl *
nth_table(const struct laid *l, int n)
{
	const struct node *x;

	for (x = l->doc->body; x != NULL; x = node_next_pre(l->doc->body, x))
		if (x->kind == N_TABLE && x->tbl != NULL && n-- == 0)
			return x->tbl;
	return NULL;
}

/*
 * A table with totals over a <query> reads the query's rows once (run
 * into a table of its own): what it prints is what it printed before —
 * the columns' formats from the CSV, the totals, a second table of the
 * same column names without a format, the period in a "no rows"
 * warning.
 */
static void
test_totals_query_once(void **state)
{
	char *csv = tmp_csv("year,area,amount,n\n2023/24,North,\"\u00a31,234.50\","
	    "3\n2023/24,South,\u00a32.25,4\n2022/23,North,\u00a310.00,5\n");
	struct buf x;
	struct laid *l;
	const struct tbl *t;

	(void)state;
	buf_init(&x);
	buf_printf(&x, "<params><param name=\"year\" default=\"2023/24\"/>"
	    "</params><data><csv id=\"d\" href=\"%s\"/>"
	    "<query id=\"q\">SELECT area, amount, n FROM d WHERE year = :year"
	    "</query><query id=\"r\">SELECT area, n AS amount FROM d WHERE "
	    "year = :year</query><query id=\"none\">SELECT area, n FROM d "
	    "WHERE year = :year AND n > 99</query></data>"
	    "<section title=\"S\">"
	    "<table data=\"q\"><column field=\"area\"/><column "
	    "field=\"amount\" total=\"sum\"/><column field=\"n\" "
	    "total=\"sum\"/><total/></table>"
	    "<table data=\"r\"><column field=\"area\"/><column "
	    "field=\"amount\" total=\"sum\"/><total/></table>"
	    "<table data=\"none\"><column field=\"area\"/><column "
	    "field=\"n\" total=\"sum\"/><total/></table>"
	    "</section>", csv);
	l = lay_xml(x.data, NULL);
	assert_int_equal(l->rc, 0);
	assert_non_null(t = nth_table(l, 0));
	assert_int_equal(t->nrows, 3);
	assert_string_equal(t->cells[1].text, "\u00a31,234.50");
	assert_string_equal(t->cells[3 + 1].text, "\u00a32.25");
	assert_string_equal(t->cells[6 + 1].text, "\u00a31,236.75");
	assert_string_equal(t->cells[6 + 2].text, "7");
	/* r's amount is n, with no format: not q's pounds */
	assert_non_null(t = nth_table(l, 1));
	assert_string_equal(t->cells[1].text, "3");
	assert_string_equal(t->cells[2 * 2 + 1].text, "7");
	/* no rows: the warning names the period the <query> bound */
	assert_int_equal(l->diags.n, 1);
	assert_non_null(strstr(l->diags.v[0].message, "has no rows for "
	    "year=2023/24"));
	laid_free(l);
	unlink_tmp(csv);
	free(csv);
	buf_free(&x);
}

/* A column no SQL reads is not kept, but its bytes are checked as the
 * others are: not UTF-8 means Windows-1252 (auto) or an error. */
static void
test_pruned_checked(void **state)
{
	const char *csv = "a,b\n1,caf\xe9\n2,ok\n";
	char *path = tmp_file(csv, ".csv");
	int k;

	(void)state;
	for (k = 0; k < 2; k++) {
		struct source src = { "t", path, k ? "utf-8" : NULL, NULL, 1,
		    "def.xml", 3 };
		struct diags d;
		struct db *db;
		diags_init(&d);
		db = db_open(&d);
		assert_non_null(db);
		if (k == 0) {
			assert_int_equal(db_load_csv(db, &src, path,
			    "SELECT a FROM t", &d), 0);
			assert_int_equal(d.n, 1);
			assert_non_null(strstr(d.v[0].message, "is not UTF-8; reading "
			    "it as Windows-1252"));
		} else {
			assert_int_equal(db_load_csv(db, &src, path,
			    "SELECT a FROM t", &d), -1);
			assert_int_equal(d.n, 1);
			assert_int_equal(d.v[0].line, 2);
			assert_non_null(strstr(d.v[0].message, "byte 0xE9 is not "
			    "UTF-8"));
		}
		db_close(db);
		diags_clear(&d);
	}
	unlink(path);
	free(path);
}

/* The notes' text with each time and rate made "T": what is left (the
 * rows, columns, queries, lines) is exact. */
static void
untimed(const char *msg, struct buf *out)
{
	const char *p = msg;

	while (*p) {
		if (*p >= '0' && *p <= '9') {
			const char *q = p;
			while ((*q >= '0' && *q <= '9') || *q == '.')
				q++;
			if (strncmp(q, " s", 2) == 0 || strncmp(q, " MB/s", 5) == 0) {
				buf_puts(out, "T");
				p = q;
				continue;
			}
		}
		buf_put(out, p, 1);
		p++;
	}
}

/* sc_job_set_timings(): each CSV's load at its <csv>, each element's
 * queries at its line (a table's group-by runs two), the sums at the
 * definition. */
static void
test_timings(void **state)
{
	char dir[] = "/tmp/sc-timings-XXXXXX", def[64], csv[64], pdf[64];
	FILE *f;
	sc_job *j;
	struct buf got;
	size_t i;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(def, sizeof(def), "%s/r.xml", dir);
	snprintf(csv, sizeof(csv), "%s/d.csv", dir);
	snprintf(pdf, sizeof(pdf), "%s/r.pdf", dir);
	assert_non_null(f = fopen(csv, "w"));
	fputs("area,n,unused\nNorth,3,x\nSouth,4,y\nNorth,5,z\n", f);
	fclose(f);
	assert_non_null(f = fopen(def, "w"));
	fputs("<report version=\"1\"><meta><title>T</title></meta>\n"
	    "<data>\n"
	    "<csv id=\"d\" href=\"d.csv\"/>\n"
	    "<query id=\"q\">SELECT area, sum(n) AS n FROM d GROUP BY area"
	    "</query>\n"
	    "</data>\n"
	    "<section title=\"S\">\n"
	    "<table data=\"q\" caption=\"A\"/>\n"
	    "<p>Total <value query=\"SELECT sum(n) FROM d\"/>.</p>\n"
	    "</section></report>\n", f);
	fclose(f);
	assert_non_null(j = sc_job_new(def));
	assert_int_equal(sc_job_set_output(j, pdf), SC_OK);
	assert_int_equal(sc_job_set_data_dir(j, "."), SC_OK);
	assert_int_equal(sc_job_set_timings(j, 1), SC_OK);
	assert_int_equal(sc_build(j), SC_OK);
	buf_init(&got);
	for (i = 0; i < sc_job_diag_count(j); i++) {
		const sc_diag *d = sc_job_diag(j, i);
		assert_int_equal(d->level, SC_NOTE);
		buf_printf(&got, "%d:", d->line);
		untimed(d->message, &got);
		buf_puts(&got, "\n");
	}
	{
		struct buf want;
		buf_init(&want);
		buf_printf(&want, "0:timings: reading the definition and template "
		    "T s\n"
		    "3:timings: %s: 3 rows, 0.0 MB in T s (T MB/s), 2 of 3 "
		    "columns stored\n"
		    "7:timings: 1 query here took T s and gave 2 rows\n"
		    "8:timings: 1 query here took T s and gave 1 row\n"
		    "0:timings: data T s in all: loading 3 rows (0.0 MB) T s, 2 "
		    "queries T s\n"
		    "0:timings: laying out and writing T s\n"
		    "0:timings: the build in all T s\n", csv);
		assert_string_equal(got.data, want.data);
		buf_free(&want);
	}
	/* Off (the default): not a note. */
	assert_int_equal(sc_job_set_timings(j, 0), SC_OK);
	assert_int_equal(sc_build(j), SC_OK);
	assert_int_equal(sc_job_diag_count(j), 0);
	sc_job_free(j);
	buf_free(&got);
	unlink(def);
	unlink(csv);
	unlink(pdf);
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_number_formats),
		cmocka_unit_test(test_sig15),
		cmocka_unit_test(test_bad_formats),
		cmocka_unit_test(test_strict_formats),
		cmocka_unit_test(test_missing_data),
		cmocka_unit_test(test_date_formats),
		cmocka_unit_test(test_inference),
		cmocka_unit_test(test_csv_load),
		cmocka_unit_test(test_csv_kept_columns),
		cmocka_unit_test(test_csv_pruned_per_binding),
		cmocka_unit_test(test_csv_errors),
		cmocka_unit_test(test_csv_two_threads),
		cmocka_unit_test(test_timings),
		cmocka_unit_test(test_pruned_checked),
		cmocka_unit_test(test_totals_query_once),
		cmocka_unit_test(test_csv_cancelled),
		cmocka_unit_test(test_mixed_percent_column),
		cmocka_unit_test(test_sql_functions),
		cmocka_unit_test(test_trend_methods),
		cmocka_unit_test(test_locked_down),
		cmocka_unit_test(test_chart_series_by),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
