/* test_sqlbound.c — the bounds on a definition's SQL and data: the
 * function allow-list, exact 64-bit integers, refused CSV bytes, the
 * column cap, and the time, memory and size budgets of one build. */
#include "helpers.h"

#include <limits.h>
#include <sqlite3.h>
#include <time.h>

#include "data/data.h"
#include "data/data_int.h"
#include "data/numfmt.h"
#include "data/query.h"
#include "doc/doc.h"

/* A database with one CSV (given as bytes) loaded as table t; *rc is
 * what db_load_csv returned. */
static struct db *
load_bytes(const char *csv, size_t n, struct doc **docp, struct diags *d,
    int *rc)
{
	char path[64];
	struct source src = { "t", path, NULL, NULL, 1, "def.xml", 3 };
	struct db *db;
	int fd;

	snprintf(path, sizeof(path), "/tmp/sc-sqlbound-XXXXXX.csv");
	fd = mkstemps(path, 4);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, csv, n), (ssize_t)n);
	close(fd);
	*docp = doc_new();
	diags_init(d);
	db = db_open(d);
	assert_non_null(db);
	*rc = db_load_csv(db, &src, path, NULL, d);
	unlink(path);
	db_lock(db);
	return db;
}

static struct db *
load(const char *csv, struct doc **docp, struct diags *d)
{
	int rc;
	struct db *db = load_bytes(csv, strlen(csv), docp, d, &rc);

	assert_int_equal(rc, 0);
	return db;
}

static void
done(struct db *db, struct doc *doc, struct diags *d)
{
	db_close(db);
	doc_free(doc);
	diags_clear(d);
}

/* Runs sql; its first value, or fails the test. */
static const struct rval *
first(struct db *db, struct doc *doc, const char *sql, struct diags *d)
{
	struct rset rs;

	if (db_query(db, doc, sql, &doc->arena, &rs, "def.xml", 9, d) != 0)
		fail_msg("%s: %s", sql, d->n ? d->v[d->n - 1].message : "?");
	assert_true(rs.nrows >= 1 && rs.ncols >= 1);
	return &rs.v[0];
}

/* Runs sql, which must fail; the last message must contain want. */
static void
refused(struct db *db, struct doc *doc, const char *sql, const char *want)
{
	struct diags d;
	struct rset rs;

	diags_init(&d);
	if (db_query(db, doc, sql, &doc->arena, &rs, "def.xml", 9, &d) == 0)
		fail_msg("ran: %s", sql);
	assert_true(d.errors > 0);
	if (strstr(d.v[d.n - 1].message, want) == NULL)
		fail_msg("%s: \"%s\" has no \"%s\"", sql, d.v[d.n - 1].message,
		    want);
	diags_clear(&d);
}

static void
test_function_allow_list(void **state)
{
	struct diags d;
	struct doc *doc;
	struct db *db = load("x\n3\n1\n2\n", &doc, &d);

	(void)state;
	assert_true(db_function_allowed("printf"));
	assert_true(db_function_allowed("SUM"));
	assert_true(db_function_allowed("pct_change"));
	assert_true(db_function_allowed("->>"));
	assert_false(db_function_allowed("fts3_tokenizer"));
	assert_false(db_function_allowed("load_extension"));
	assert_false(db_function_allowed("sqlite_version"));
	assert_false(db_function_allowed("highlight"));
	assert_false(db_function_allowed(NULL));
	/* fts3_tokenizer('simple') printed a libsqlite3 address. */
	refused(db, doc, "SELECT fts3_tokenizer('simple')",
	    "the query calls fts3_tokenizer(), which a report may not use");
	refused(db, doc, "SELECT hex(fts3_tokenizer('simple')) FROM t",
	    "fts3_tokenizer()");
	refused(db, doc, "SELECT sqlite_compileoption_get(0)",
	    "sqlite_compileoption_get()");
	refused(db, doc, "SELECT load_extension('/tmp/x')",
	    "no ATTACH, PRAGMA, extensions or writes");
	/* What a report does use still works: core, date, maths, JSON,
	 * aggregate, window, ours. */
	assert_true(first(db, doc, "SELECT sum(x) FROM t", &d)->num == 6);
	assert_string_equal(first(db, doc, "SELECT strftime('%Y', "
	    "'2023-04-01')", &d)->text, "2023");
	assert_true(first(db, doc, "SELECT sqrt(16)", &d)->num == 4);
	assert_true(first(db, doc, "SELECT '{\"a\":3}' ->> '$.a'", &d)->num == 3);
	assert_true(first(db, doc, "SELECT json_extract('[1,2]', '$[1]')",
	    &d)->num == 2);
	assert_true(first(db, doc, "SELECT r FROM (SELECT x, row_number() "
	    "OVER (ORDER BY x) AS r FROM t) WHERE x = 3", &d)->num == 3);
	assert_string_equal(first(db, doc, "SELECT printf('%05.1f', 2.5)",
	    &d)->text, "002.5");
	assert_string_equal(first(db, doc, "SELECT fy('2024-03')", &d)->text,
	    "2023/24");
	done(db, doc, &d);
}

/* fmt applied to the whole number v, exactly. */
static void
integer(const char *fmt, long long v, const char *want)
{
	struct numfmt f;
	struct buf b;
	char err[128];

	assert_int_equal(numfmt_parse(fmt, &f, err, sizeof(err)), 0);
	buf_init(&b);
	numfmt_integer(&f, v, &b);
	if (strcmp(b.data ? b.data : "", want) != 0)
		fail_msg("%s of %lld: \"%s\", want \"%s\"", fmt, v,
		    b.data ? b.data : "", want);
	buf_free(&b);
}

static void
test_exact_integers(void **state)
{
	struct cellval cv;
	struct diags d;
	struct doc *doc;
	struct db *db;
	const struct rval *v;

	(void)state;
	integer("0", 4111111111111111LL, "4111111111111111");
	integer("#,##0", 4111111111111111LL, "4,111,111,111,111,111");
	integer("0", 1234567890123456789LL, "1234567890123456789");
	integer("#,##0", -1234567890123456789LL, "-1,234,567,890,123,456,789");
	integer("#,##0", LLONG_MIN, "-9,223,372,036,854,775,808");
	integer("#,##0", LLONG_MAX, "9,223,372,036,854,775,807");
	integer("\xc2\xa3#,##0.00", 9007199254740993LL,
	    "\xc2\xa3" "9,007,199,254,740,993.00");
	integer("#,##0;(#,##0)", -1234, "(1,234)");
	integer("0;-0;\"nil\"", 0, "nil");
	integer("0.##", 12, "12");
	integer("0%", 3, "300%");
	integer("#,##0", 0, "0");
	integer("000", 7, "007");
	/* The CSV side: exact up to 64 bits, the text beyond. */
	data_infer("4111111111111111", &cv);
	assert_int_equal(cv.kind, CV_NUMBER);
	assert_true(cv.integer);
	assert_true(cv.ival == 4111111111111111LL);
	data_infer("-9223372036854775808", &cv);
	assert_true(cv.integer && cv.ival == LLONG_MIN);
	data_infer("1,234,567,890,123,456,789", &cv);
	assert_true(cv.integer && cv.ival == 1234567890123456789LL);
	data_infer("9223372036854775808", &cv);
	assert_int_equal(cv.kind, CV_TEXT);
	data_infer("123456789012345678901234567890", &cv);
	assert_int_equal(cv.kind, CV_TEXT);
	db = load("n\n4111111111111111\n1234567890123456789\n"
	    "99999999999999999999\n", &doc, &d);
	v = first(db, doc, "SELECT n FROM t WHERE rowid = 1", &d);
	assert_int_equal(v->type, SQLITE_INTEGER);
	assert_true(v->i == 4111111111111111LL);
	v = first(db, doc, "SELECT n FROM t WHERE rowid = 2", &d);
	assert_true(v->i == 1234567890123456789LL);
	v = first(db, doc, "SELECT n FROM t WHERE rowid = 3", &d);
	assert_int_equal(v->type, SQLITE_TEXT);
	assert_string_equal(v->text, "99999999999999999999");
	done(db, doc, &d);
}

/* Loads n bytes of csv, which must fail with want in the message at
 * line (0: the message has no line). */
static void
csv_refused(const char *csv, size_t n, int line, const char *want)
{
	struct diags d;
	struct doc *doc;
	int rc;
	struct db *db = load_bytes(csv, n, &doc, &d, &rc);

	assert_int_equal(rc, -1);
	assert_true(d.errors == 1);
	if (strstr(d.v[0].message, want) == NULL)
		fail_msg("\"%s\" has no \"%s\"", d.v[0].message, want);
	assert_int_equal(d.v[0].line, line);
	done(db, doc, &d);
}

static void
test_refused_bytes(void **state)
{
	static const char gz[] = "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03"
	    "\x4b\x4c\x4a\xe6\x02\x00";
	char bin[256];
	size_t i;

	(void)state;
	/* A NUL cut "ab\0cd" to "ab" without a word. */
	csv_refused("x,y\n1,2\n3,ab\0cd\n", 16, 3, "column 2 (\"y\"): the "
	    "value has a NUL byte (0x00), which is not text");
	csv_refused(gz, sizeof(gz) - 1, 0, "this is not a text file (it looks "
	    "like gzip data)");
	csv_refused("\xff\xfex\0\n\0", 6, 0, "(it looks like UTF-16");
	for (i = 0; i < sizeof(bin); i++)
		bin[i] = (char)(i * 37 + 11);
	csv_refused(bin, sizeof(bin), 0, "(it looks like binary data)");
}

/* A CSV of ncols columns (c1 ... cN) and one row of 1 ... N. */
static char *
wide_csv(int ncols, int header)
{
	struct buf b;
	int i;

	buf_init(&b);
	for (i = 1; header && i <= ncols; i++)
		buf_printf(&b, "c%d%s", i, i < ncols ? "," : "\n");
	for (i = 1; i <= ncols; i++)
		buf_printf(&b, "%d%s", i, i < ncols ? "," : "\n");
	return b.data;
}

static void
test_column_cap(void **state)
{
	struct diags d;
	struct doc *doc;
	struct db *db;
	char *csv;
	int rc;

	(void)state;
	/* 2,000 columns load (SQLite's SQLITE_MAX_COLUMN) ... */
	csv = wide_csv(2000, 1);
	db = load(csv, &doc, &d);
	assert_true(first(db, doc, "SELECT c2000 FROM t", &d)->num == 2000);
	done(db, doc, &d);
	free(csv);
	/* ... 2,001 are refused with their own message, not SQLite's. */
	csv = wide_csv(2001, 1);
	csv_refused(csv, strlen(csv), 1, "column 2001: the file has more than "
	    "2000 columns, the most an SQLite table can have");
	free(csv);
	/* header="no" names them c1 ...: the same cap. */
	{
		char path[64];
		struct source src = { "t", path, NULL, NULL, 0, "def.xml", 3 };
		int fd;
		csv = wide_csv(2001, 0);
		snprintf(path, sizeof(path), "/tmp/sc-sqlbound-XXXXXX.csv");
		fd = mkstemps(path, 4);
		assert_true(fd >= 0);
		assert_int_equal(write(fd, csv, strlen(csv)),
		    (ssize_t)strlen(csv));
		close(fd);
		doc = doc_new();
		diags_init(&d);
		db = db_open(&d);
		rc = db_load_csv(db, &src, path, NULL, &d);
		unlink(path);
		assert_int_equal(rc, -1);
		assert_non_null(strstr(d.v[0].message, "more than 2000 columns"));
		done(db, doc, &d);
		free(csv);
	}
}

static double
seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

#define RUNAWAY "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 " \
	"FROM c) SELECT count(*) FROM c"
#define TENTHOUSAND "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT " \
	"n + 1 FROM c WHERE n < 10000) SELECT count(*) FROM c"

static void
test_time_budget(void **state)
{
	struct diags d;
	struct doc *doc;
	struct db *db = load("x\n1\n", &doc, &d);
	double t0;

	(void)state;
	/* A runaway query stops at the deadline, by the clock (the step
	 * budget, some seconds' worth, only keeps a broken deadline from
	 * hanging the test). */
	db_set_limits(db, 300, 0);
	db_set_budget(db, 1000000000LL);
	t0 = seconds();
	refused(db, doc, RUNAWAY, "the query ran too long and was stopped");
	assert_true(seconds() - t0 < 2.0);
	done(db, doc, &d);
	/* The deadline is the build's, not each query's: once it has
	 * passed, a query of ten thousand steps is stopped too. */
	db = load("x\n1\n", &doc, &d);
	assert_true(first(db, doc, TENTHOUSAND, &d)->num == 10000);
	db_set_limits(db, 100, 0);
	usleep(200000);
	refused(db, doc, TENTHOUSAND, "ran too long");
	done(db, doc, &d);
}

static void
test_memory_and_size(void **state)
{
	struct diags d, d2;
	struct doc *doc;
	struct db *db;
	struct rset rs;
	struct buf csv;
	int i;

	(void)state;
	buf_init(&csv);
	buf_puts(&csv, "x\n");
	for (i = 0; i < 2000; i++)
		buf_printf(&csv, "row %05d padded out to fifty bytes or so "
		    "......\n", i);
	db = load(csv.data, &doc, &d);
	buf_free(&csv);
	/* All of SQLite's memory is capped, and it sorts in memory. */
	assert_true(sqlite3_hard_heap_limit64(-1) > 0 &&
	    sqlite3_hard_heap_limit64(-1) <= 1024LL * 1024 * 1024);
	{
		struct db *fresh = db_open(&d);
		sqlite3_stmt *st;
		assert_int_equal(sqlite3_prepare_v2(db_handle(fresh),
		    "PRAGMA temp_store", -1, &st, NULL), SQLITE_OK);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_int_equal(sqlite3_column_int(st, 0), 2); /* MEMORY */
		sqlite3_finalize(st);
		db_close(fresh);
	}
	/* A cross join's ORDER BY stops at the memory budget, out of
	 * memory (exit status 3), before it spills anywhere. */
	db_set_limits(db, 0, 8 * 1024 * 1024);
	diags_init(&d2);
	assert_int_equal(db_query(db, doc, "SELECT a.x, b.x FROM t a, t b "
	    "ORDER BY a.x || b.x", &doc->arena, &rs, "def.xml", 9, &d2), -1);
	assert_non_null(strstr(d2.v[0].message, "out of memory: the query "
	    "needs more than 8 MiB"));
	assert_true(d2.oom);
	diags_clear(&d2);
	done(db, doc, &d);
	/* Strings: 16 MiB, as a CSV field. */
	db = load("x\n1\n", &doc, &d);
	refused(db, doc, "SELECT length(zeroblob(17000000))",
	    "the query makes a value longer than 16 MiB");
	assert_true(first(db, doc, "SELECT length(zeroblob(16000000))",
	    &d)->num == 16000000);
	done(db, doc, &d);
}

static void
test_printf_widths(void **state)
{
	struct diags d;
	struct doc *doc;
	struct db *db = load("x\n1\n", &doc, &d);
	double t0 = seconds();

	(void)state;
	/* '%.*c' of 10^9 was 20 s in one step nothing could interrupt. */
	refused(db, doc, "SELECT printf('%.*c', 1e9 + x - x, 'x') FROM t",
	    "printf(): a width or precision of 1000000000 is more than 100000");
	refused(db, doc, "SELECT printf('%.1000000000c', 'x')",
	    "printf(): a width or precision of");
	refused(db, doc, "SELECT format('%*d', -2000000, 1)", "of -2000000");
	refused(db, doc, "SELECT printf('%d%%%5.*f', 1, 4294967297, 2.5)",
	    "of 4294967297");
	assert_true(seconds() - t0 < 2.0);
	/* Within the cap it is SQLite's printf, arguments in their places. */
	assert_true(first(db, doc, "SELECT length(printf('%.*c', 100000, "
	    "'x'))", &d)->num == 100000);
	assert_string_equal(first(db, doc, "SELECT printf('%d%%|%-*s|%.*f|"
	    "%,d|%05.1f|%s', 7, 4, 'ab', 2, 3.14159, 1234567, 2.5, NULL)",
	    &d)->text, "7%|ab  |3.14|1,234,567|002.5|");
	assert_string_equal(first(db, doc, "SELECT format('%q|%Q|%c', "
	    "'it''s', NULL, 'xyz')", &d)->text, "it''s|NULL|x");
	assert_int_equal(first(db, doc, "SELECT printf(NULL)", &d)->type,
	    SQLITE_NULL);
	done(db, doc, &d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_function_allow_list),
		cmocka_unit_test(test_exact_integers),
		cmocka_unit_test(test_refused_bytes),
		cmocka_unit_test(test_column_cap),
		cmocka_unit_test(test_time_budget),
		cmocka_unit_test(test_memory_and_size),
		cmocka_unit_test(test_printf_widths),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
