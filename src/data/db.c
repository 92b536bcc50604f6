/*
 * db.c — the in-memory SQLite database: opening it locked down, the
 * display formats CSV columns remembered, running a query with :name
 * parameters into a result set, and <expect> period checks.
 */
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <sqlite3.h>

#include "data.h"
#include "data_int.h"
#include "query.h"
#include "../util/buf.h"
#include "../util/clock.h"

/*
 * What one build's SQL may use (README, "Security and robustness"); a
 * year-end batch must not hang or fill the machine. The time and memory
 * are checked by the progress handler every DB_PROGRESS_OPS virtual-
 * machine steps, so a query is stopped within a millisecond or so of
 * either; no single step can take long, since strings are capped at
 * DATA_MAX_FIELD and printf()'s widths in sqlfn.c.
 */
#define DB_TIME_MS        10000   /* all the build's queries together;
                                   * a million-row export needs 1 s */
#define DB_PROGRESS_OPS   1000
#define DB_HEAP_LIMIT     (1024LL * 1024 * 1024)  /* all of SQLite, the
                                   * loaded CSVs included [bytes] */
#define DB_QUERY_MEMORY   (128LL * 1024 * 1024)   /* a query's sorting,
                                   * grouping, joining above the data */
#define DB_RESULT_BYTES   (64LL * 1024 * 1024)    /* all results held */
#define DB_LOAD_LENGTH    (64 * 1024 * 1024)  /* one stored row, loading */

struct colfmt {
	char *table, *column, *fmt;
};

struct db {
	sqlite3       *h;
	struct colfmt *fmts;
	size_t         nfmts, capfmts;
	int            locked;
	long long      steps, budget;  /* VM steps (tests set a budget) */
	long long      deadline_ns;    /* CLOCK_MONOTONIC: queries stop */
	long long      mem_base;       /* SQLite's memory when locked */
	long long      mem_budget;     /* above mem_base [bytes] */
	long long      result_bytes;   /* held by all results so far */
	enum { STOP_NONE, STOP_STEPS, STOP_TIME, STOP_MEMORY } stop;
	char           denied_fn[64];  /* the function last refused */
	const atomic_int *cancel;      /* the build's (db_set_cancel), or NULL */
	/* db_set_timings(): each element's queries, in the order first run */
	int            timings;
	struct qtime { const char *file; int line, n; long long ns, rows; }
	              *qt;
	size_t         nqt, capqt;
	long long      load_ns, load_bytes, load_rows; /* every CSV */
};

/*
 * SQLite's heap limit is process-wide: every job's database (on any
 * thread) counts against the one DB_HEAP_LIMIT, as does the host
 * program's own SQLite. Set once, before the first connection, so that
 * two jobs starting together do not both test and set it; a lower limit
 * the program set is kept.
 */
static pthread_once_t heap_once = PTHREAD_ONCE_INIT;

static void
heap_limit(void)
{
	if (sqlite3_hard_heap_limit64(-1) == 0 ||
	    sqlite3_hard_heap_limit64(-1) > DB_HEAP_LIMIT)
		sqlite3_hard_heap_limit64(DB_HEAP_LIMIT);
}

void *
db_handle(struct db *db)
{
	return db->h;
}

struct db *
db_open(struct diags *diags)
{
	struct db *db = calloc(1, sizeof(*db));

	if (db == NULL) {
		diag_oom(diags, NULL, 0, "out of memory starting SQLite");
		return NULL;
	}
	pthread_once(&heap_once, heap_limit);
	/* NOMUTEX: a connection is its job's alone, used by one thread at
	 * a time; SQLite's shared state (memory, the heap limit) keeps its
	 * own locks in any build but SQLITE_THREADSAFE=0 (Debian's: 1). */
	if (sqlite3_open_v2(":memory:", &db->h, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_MEMORY | SQLITE_OPEN_NOMUTEX,
	    NULL) != SQLITE_OK) {
		diag_err(diags, NULL, 0, "SQLite cannot start: %s",
		    db->h ? sqlite3_errmsg(db->h) : "out of memory");
		db_close(db);
		return NULL;
	}
	db->budget = LLONG_MAX;
	db->mem_budget = DB_QUERY_MEMORY;
	sqlite3_db_config(db->h, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, NULL);
	sqlite3_db_config(db->h, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(db->h, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	/* "name" is always a column: a misspelt one must be an error, not
	 * a string printed in every row. */
	sqlite3_db_config(db->h, SQLITE_DBCONFIG_DQS_DML, 0, NULL);
	sqlite3_db_config(db->h, SQLITE_DBCONFIG_DQS_DDL, 0, NULL);
	sqlite3_limit(db->h, SQLITE_LIMIT_ATTACHED, 0);
	sqlite3_limit(db->h, SQLITE_LIMIT_LENGTH, DB_LOAD_LENGTH);
	sqlite3_limit(db->h, SQLITE_LIMIT_SQL_LENGTH, 1024 * 1024);
	/* Sorting and grouping spill into memory, under the limits above,
	 * never into temporary files (a cross join's ORDER BY wrote 16 GB
	 * of them). */
	sqlite3_exec(db->h, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; "
	    "PRAGMA temp_store=MEMORY; PRAGMA threads=2", NULL, NULL, NULL);
	if (db_functions(db) != 0) {
		/* Registering fails only for want of memory. */
		diag_oom(diags, NULL, 0, "out of memory registering the SQL "
		    "functions");
		db_close(db);
		return NULL;
	}
	return db;
}

void
db_close(struct db *db)
{
	size_t i;

	if (db == NULL)
		return;
	if (db->h)
		sqlite3_close_v2(db->h);
	for (i = 0; i < db->nfmts; i++) {
		free(db->fmts[i].table);
		free(db->fmts[i].column);
		free(db->fmts[i].fmt);
	}
	free(db->fmts);
	free(db->qt);
	free(db);
}

void
data_set_format(struct db *db, const char *table, const char *column,
    const char *fmt)
{
	struct colfmt *f;

	if (db->nfmts == db->capfmts) {
		size_t cap = db->capfmts ? db->capfmts * 2 : 32;
		struct colfmt *v = realloc(db->fmts, cap * sizeof(*v));
		if (v == NULL)
			return;
		db->fmts = v;
		db->capfmts = cap;
	}
	f = &db->fmts[db->nfmts];
	f->table = strdup(table);
	f->column = strdup(column);
	f->fmt = strdup(fmt);
	if (f->table && f->column && f->fmt)
		db->nfmts++;
	else {
		free(f->table);
		free(f->column);
		free(f->fmt);
	}
}

const char *
db_column_format(const struct db *db, const char *table, const char *column)
{
	size_t i;

	if (table == NULL || column == NULL)
		return NULL;
	for (i = 0; i < db->nfmts; i++)
		if (strcasecmp(db->fmts[i].table, table) == 0 &&
		    strcasecmp(db->fmts[i].column, column) == 0)
			return db->fmts[i].fmt;
	return NULL;
}

/*
 * The SQL functions a definition may call: SQLite's own that compute on
 * values (text, number, maths, date and time, JSON, aggregate, window;
 * "->" and "->>" are JSON's operators) and ours (sqlfn.c). An allow-list:
 * the deny-list before it let fts3_tokenizer() print a pointer into
 * libsqlite3 into a PDF, and its two-argument form replace it. Left out:
 * load_extension, full-text and R-tree internals, and what describes the
 * connection or the library (changes(), sqlite_version() ...). Names from
 * later SQLite versions are listed so that an upgrade keeps them working.
 */
static const char *const allowed_fns[] = {
	"->", "->>", "abs", "acos", "acosh", "asin", "asinh", "atan", "atan2",
	"atanh", "avg", "ceil", "ceiling", "char", "coalesce", "concat",
	"concat_ws", "cos", "cosh", "count", "cume_dist", "current_date",
	"current_time", "current_timestamp", "date", "datetime", "degrees",
	"dense_rank", "exp", "first_value", "floor", "format", "glob",
	"group_concat", "hex", "ifnull", "iif", "instr", "json", "json_array",
	"json_array_length", "json_extract", "json_group_array",
	"json_group_object", "json_insert", "json_object", "json_patch",
	"json_quote", "json_remove", "json_replace", "json_set", "json_type",
	"json_valid", "julianday", "lag", "last_value", "lead", "length", "like",
	"likelihood", "likely", "ln", "log", "log10", "log2", "lower", "ltrim",
	"max", "min", "mod", "nth_value", "ntile", "nullif", "octet_length",
	"percent_rank", "pi", "pow", "power", "printf", "quote", "radians",
	"random", "randomblob", "rank", "replace", "round", "row_number",
	"rtrim", "sign", "sin", "sinh", "soundex", "sqrt", "strftime",
	"string_agg", "substr", "substring", "sum", "tan", "tanh", "time",
	"timediff", "total", "trim", "trunc", "typeof", "unhex", "unicode",
	"unixepoch", "unlikely", "upper", "zeroblob",
	/* ours */
	"pct_change", "trend", "trend_counts", "trend_line", "arrow", "rag",
	"rate_per_1000", "fy", "quarter",
};

int
db_function_allowed(const char *name)
{
	size_t i;

	for (i = 0; name != NULL && i < sizeof(allowed_fns) /
	    sizeof(allowed_fns[0]); i++)
		if (strcasecmp(name, allowed_fns[i]) == 0)
			return 1;
	return 0;
}

/* The authorizer: reading is all a definition's SQL may do. */
static int
authorize(void *arg, int action, const char *a3, const char *a4,
    const char *dbname, const char *trigger)
{
	struct db *db = arg;

	(void)trigger;
	switch (action) {
	case SQLITE_SELECT:
	case SQLITE_READ:
	case SQLITE_RECURSIVE:
		return SQLITE_OK;
	case SQLITE_FUNCTION:
		if (db_function_allowed(a4))
			return SQLITE_OK;
		snprintf(db->denied_fn, sizeof(db->denied_fn), "%s",
		    a4 ? a4 : "?");
		return SQLITE_DENY;
	case SQLITE_CREATE_TEMP_TABLE:
	case SQLITE_CREATE_TEMP_VIEW:
	case SQLITE_DROP_TEMP_TABLE:
	case SQLITE_DROP_TEMP_VIEW:
		return SQLITE_OK;
	case SQLITE_INSERT:
	case SQLITE_UPDATE:
	case SQLITE_DELETE:
		return dbname != NULL && strcmp(dbname, "temp") == 0 ?
		    SQLITE_OK : SQLITE_DENY;
	default:
		(void)a3;
		return SQLITE_DENY;
	}
}

/* Every DB_PROGRESS_OPS steps of any query: non-zero stops it. */
static int
progress(void *arg)
{
	struct db *db = arg;

	db->steps += DB_PROGRESS_OPS;
	if (db->steps > db->budget)
		db->stop = STOP_STEPS;
	else if (clock_ns() > db->deadline_ns)
		db->stop = STOP_TIME;
	else if (sqlite3_memory_used() > db->mem_base + db->mem_budget)
		db->stop = STOP_MEMORY;
	return db->stop != STOP_NONE;
}

void
db_set_budget(struct db *db, long long steps)
{
	db->budget = steps;
}

void
db_set_limits(struct db *db, long long ms, long long memory)
{
	if (ms > 0)
		db->deadline_ns = clock_ns() + ms * 1000000LL;
	if (memory > 0)
		db->mem_budget = memory;
}

void
db_set_cancel(struct db *db, const atomic_int *cancel)
{
	db->cancel = cancel;
}

int
db_cancelled(const struct db *db)
{
	return db != NULL && db->cancel != NULL && atomic_load(db->cancel);
}

int
db_stopped(const struct db *db)
{
	return db != NULL && db->stop != STOP_NONE;
}

void
db_lock(struct db *db)
{
	db->locked = 1;
	/* The clock starts once the data is loaded: loading is bounded by
	 * the files' size, the queries by this. */
	db->deadline_ns = clock_ns() + DB_TIME_MS * 1000000LL;
	/* SQLite counts its memory for the whole process: jobs on other
	 * threads count against this one's query budget too (a job can be
	 * stopped for what another is using); no per-connection count
	 * covers sorting. */
	db->mem_base = sqlite3_memory_used();
	/* A string a query makes may be as long as a CSV field. */
	sqlite3_limit(db->h, SQLITE_LIMIT_LENGTH, DATA_MAX_FIELD);
	sqlite3_set_authorizer(db->h, authorize, db);
	sqlite3_progress_handler(db->h, DB_PROGRESS_OPS, progress, db);
}

int
db_columns(struct db *db, const char *sql, char *out, size_t n)
{
	sqlite3_stmt *st;
	int i;
	size_t o = 0;

	out[0] = '\0';
	if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	for (i = 0; i < sqlite3_column_count(st) && o + 8 < n; i++) {
		int k = snprintf(out + o, n - o, "%s%s", i ? ", " : "",
		    sqlite3_column_name(st, i));
		if (k < 0 || (size_t)k >= n - o) {
			snprintf(out + (n > 5 ? n - 5 : 0), 5, "...");
			break;
		}
		o += (size_t)k;
	}
	sqlite3_finalize(st);
	return 0;
}

/* Binds a parameter the way a person means it: "2023" is a number. */
static void
bind_value(sqlite3_stmt *st, int i, const char *v)
{
	char *end;
	long long ll;
	double d;

	ll = strtoll(v, &end, 10);
	if (*v && *end == '\0' && !(v[0] == '0' && v[1] != '\0')) {
		sqlite3_bind_int64(st, i, ll);
		return;
	}
	d = strtod(v, &end);
	if (*v && *end == '\0' && v[0] != '0') {
		sqlite3_bind_double(st, i, d);
		return;
	}
	sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
}

/* The parameters st binds, for messages: "year=2023/24, q=\"2023 Q4\"". */
static const char *
bound_params(const struct doc *doc, sqlite3_stmt *st, struct arena *a)
{
	struct buf b;
	const char *r;
	int i;

	buf_init(&b);
	for (i = 1; i <= sqlite3_bind_parameter_count(st); i++) {
		const char *name = sqlite3_bind_parameter_name(st, i);
		const char *v = name ? doc_param(doc, name + 1) : NULL;
		if (v == NULL)
			continue;
		buf_printf(&b, "%s%s=", b.len ? ", " : "", name + 1);
		if (*v == '\0' || strpbrk(v, " ,\"") != NULL)
			buf_printf(&b, "\"%s\"", v);
		else
			buf_puts(&b, v);
	}
	r = b.oom ? NULL : arena_strdup(a, b.data ? b.data : "");
	buf_free(&b);
	return r;
}

/* Binds st's :name parameters from doc's; 0, or -1 with a message. */
static int
bind_params(const struct doc *doc, sqlite3_stmt *st, const char *file,
    int line, struct diags *diags)
{
	int i;

	for (i = 1; i <= sqlite3_bind_parameter_count(st); i++) {
		const char *name = sqlite3_bind_parameter_name(st, i);
		const char *v = name ? doc_param_use(doc, name + 1) : NULL;
		if (name == NULL || (name[0] != ':' && name[0] != '@' &&
		    name[0] != '$')) {
			diag_err(diags, file, line, "the query has a ? parameter; "
			    "name parameters as :name");
			return -1;
		}
		if (v == NULL) {
			diag_err(diags, file, line, "the query uses %s, but there is "
			    "no <param name=\"%s\">; declare it in <params>", name,
			    name + 1);
			return -1;
		}
		bind_value(st, i, v);
	}
	return 0;
}

/* Prepares one locked-down statement and binds its parameters; NULL
 * with a message when it is not allowed or not valid. follow: sql is
 * the author's text as it stands in the file from line, so its own
 * newlines lead to the line of a fault; else sql was put together from
 * pieces (a table's columns, where=, a <query> inlined) and a fault is
 * told at line itself. */
static sqlite3_stmt *
prepare(struct db *db, const struct doc *doc, const char *sql,
    const char *file, int line, int follow, const struct sql_at *at,
    struct diags *diags)
{
	sqlite3_stmt *st = NULL;
	const char *tail;
	int rc;

	db->denied_fn[0] = '\0';
	rc = sqlite3_prepare_v2(db->h, sql, -1, &st, &tail);
	if (rc != SQLITE_OK) {
		const char *m = sqlite3_errmsg(db->h);
		/* The line of the fault, not the query's first: a <query>'s
		 * text starts on its element's line. */
		int off = sqlite3_error_offset(db->h), k;
		for (k = 0; follow && line > 0 && off > 0 && k < off &&
		    sql[k] != '\0'; k++)
			line += sql[k] == '\n';
		/* Built SQL: the line of the author's text there. */
		if (!follow && at != NULL && off >= 0 &&
		    (k = at->line(at->arg, sql, off)) > 0)
			line = k;
		if (db->denied_fn[0] != '\0' &&
		    strcasecmp(db->denied_fn, "load_extension") != 0)
			diag_err(diags, file, line, "the query calls %s(), which a "
			    "report may not use; SQLite's own functions for text, "
			    "numbers, dates, JSON, aggregates and windows are "
			    "allowed, and scrutineer's nine", db->denied_fn);
		else if (rc == SQLITE_AUTH || strstr(m, "not authorized"))
			diag_err(diags, file, line, "the query does something a "
			    "report may not (only SELECT over the data is "
			    "allowed: no ATTACH, PRAGMA, extensions or writes)");
		else
			diag_err(diags, file, line, "SQL error: %s", m);
		return NULL;
	}
	if (st == NULL) {
		diag_err(diags, file, line, "the query is empty; write a SELECT");
		return NULL;
	}
	while (*tail == ' ' || *tail == '\n' || *tail == '\t' ||
	    *tail == '\r' || *tail == ';')
		tail++;
	if (*tail != '\0') {
		sqlite3_finalize(st);
		diag_err(diags, file, line, "the query has more than one "
		    "statement; keep one SELECT");
		return NULL;
	}
	if (!sqlite3_stmt_readonly(st)) {
		sqlite3_finalize(st);
		diag_err(diags, file, line, "the query does something a report "
		    "may not (only SELECT over the data is allowed: no ATTACH, "
		    "PRAGMA, extensions or writes)");
		return NULL;
	}
	if (bind_params(doc, st, file, line, diags) != 0) {
		sqlite3_finalize(st);
		return NULL;
	}
	return st;
}

int
db_check(struct db *db, const struct doc *doc, const char *sql,
    const char *file, int line, struct diags *diags)
{
	sqlite3_stmt *st = prepare(db, doc, sql, file, line, 1, NULL, diags);

	if (st == NULL)
		return -1;
	sqlite3_finalize(st);
	return 0;
}

/* Says why a query's step failed (rc, not SQLITE_DONE). */
static void
step_failed(struct db *db, int rc, const char *file, int line,
    struct diags *diags)
{
	if (rc == SQLITE_INTERRUPT && db->stop == STOP_MEMORY)
		diag_oom(diags, file, line, "out of memory: the query needs "
		    "more than %lld MiB to sort, group or join and was "
		    "stopped; filter it (WHERE) or aggregate it first",
		    db->mem_budget >> 20);
	else if (rc == SQLITE_INTERRUPT)
		diag_err(diags, file, line, "the query ran too long and was "
		    "stopped (a report's queries have %d seconds in all); "
		    "simplify it", DB_TIME_MS / 1000);
	else if (rc == SQLITE_NOMEM)
		diag_oom(diags, file, line, "out of memory running the query "
		    "(SQLite may use %lld MiB in all, the data included); "
		    "filter it (WHERE) or aggregate it first",
		    DB_HEAP_LIMIT >> 20);
	else if (rc == SQLITE_TOOBIG)
		diag_err(diags, file, line, "the query makes a value longer "
		    "than %u MiB, more than a report can print; shorten it",
		    DATA_MAX_FIELD >> 20);
	else
		diag_err(diags, file, line, "SQL error: %s",
		    sqlite3_errmsg(db->h));
}

/* query()'s flags: sql is the file's text from line (its newlines are
 * the file's); the rows' array left on the heap (db_query_rows()). */
enum { Q_FOLLOW = 1, Q_HEAP = 2 };

static int
query_run(struct db *db, const struct doc *doc, const char *sql,
    struct arena *a, struct rset *out, const char *file, int line,
    int flags, const struct sql_at *at, struct diags *diags)
{
	sqlite3_stmt *st;
	int i, rc, ncols, ret = -1;
	size_t cap = 0;
	/* The rows while they come, on the heap: doubled in the arena, the
	 * halves left behind were a third of a long table's results. They
	 * go into the arena at their size at the end. */
	struct rval *grow = NULL;

	memset(out, 0, sizeof(*out));
	/* Once a query was stopped the build fails: one message, at it,
	 * rather than one for every query after it. */
	if (db->stop != STOP_NONE)
		return -1;
	if ((st = prepare(db, doc, sql, file, line, flags & Q_FOLLOW, at,
	    diags)) == NULL)
		return -1;
	if ((out->params = bound_params(doc, st, a)) == NULL)
		goto oom;
	ncols = sqlite3_column_count(st);
	out->ncols = ncols;
	out->names = arena_alloc(a, (size_t)(ncols + 1) * sizeof(*out->names));
	out->fmts = arena_alloc(a, (size_t)(ncols + 1) * sizeof(*out->fmts));
	if (out->names == NULL || out->fmts == NULL)
		goto oom;
	for (i = 0; i < ncols; i++) {
		out->names[i] = arena_strdup(a, sqlite3_column_name(st, i));
		/* A column taken straight from a CSV keeps its format. */
		out->fmts[i] = db_column_format(db,
		    sqlite3_column_table_name(st, i),
		    sqlite3_column_origin_name(st, i));
		if (out->fmts[i])
			out->fmts[i] = arena_strdup(a, out->fmts[i]);
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct rval *row;
		if ((size_t)out->nrows == cap) {
			size_t nc = cap ? cap * 2 : 64;
			struct rval *v = realloc(grow, nc * (size_t)ncols *
			    sizeof(*v));
			if (v == NULL)
				goto oom;
			grow = v;
			cap = nc;
		}
		if (out->nrows >= DATA_MAX_RESULT_ROWS) {
			diag_err(diags, file, line, "the query returns more than "
			    "%d rows, too many to print; aggregate it (GROUP BY) or "
			    "filter it (where=)", DATA_MAX_RESULT_ROWS);
			goto fail;
		}
		row = &grow[(size_t)out->nrows * (size_t)ncols];
		/* Fields a value's type does not set read as 0 and NULL. */
		memset(row, 0, (size_t)ncols * sizeof(*row));
		{
			/* Every result stays until the PDF is written. */
			long long bytes = (long long)ncols * (long long)sizeof(*row);
			for (i = 0; i < ncols; i++)
				if (sqlite3_column_type(st, i) == SQLITE_TEXT)
					bytes += sqlite3_column_bytes(st, i) + 1;
			if (db->result_bytes + bytes > DB_RESULT_BYTES) {
				diag_err(diags, file, line, "the query's results, with "
				    "the other queries', come to more than %lld MiB, "
				    "too much to print; aggregate it (GROUP BY) or "
				    "filter it (where=)", DB_RESULT_BYTES >> 20);
				goto fail;
			}
			db->result_bytes += bytes;
		}
		for (i = 0; i < ncols; i++) {
			row[i].type = sqlite3_column_type(st, i);
			if (row[i].type == SQLITE_INTEGER) {
				row[i].i = sqlite3_column_int64(st, i);
				row[i].num = (double)row[i].i;
			} else if (row[i].type == SQLITE_FLOAT)
				row[i].num = sqlite3_column_double(st, i);
			else if (row[i].type == SQLITE_TEXT) {
				row[i].text = arena_strdup(a,
				    (const char *)sqlite3_column_text(st, i));
				if (row[i].text == NULL)
					goto oom;
			}
		}
		out->nrows++;
	}
	if (rc != SQLITE_DONE) {
		step_failed(db, rc, file, line, diags);
		goto fail;
	}
	if (flags & Q_HEAP) {
		/* never NULL: a query that returned no rows still ran */
		out->v = grow != NULL ? grow : malloc(sizeof(*out->v));
		if (out->v == NULL)
			goto oom;
		grow = NULL;
		out->heap = 1;
		ret = 0;
		goto out;
	}
	out->v = arena_alloc(a, (size_t)out->nrows * (size_t)ncols *
	    sizeof(*out->v) + 1);
	if (out->v == NULL)
		goto oom;
	if (out->nrows > 0)
		memcpy(out->v, grow, (size_t)out->nrows * (size_t)ncols *
		    sizeof(*out->v));
	ret = 0;
	goto out;
oom:
	diag_oom(diags, file, line, "out of memory running the query");
fail:
	out->v = NULL;
	out->nrows = 0;
out:
	free(grow);
	sqlite3_finalize(st);
	return ret;
}

/* Adds a query's time to its element's (file, line). */
static void
query_time(struct db *db, const char *file, int line, long long ns,
    long long rows)
{
	size_t i;

	for (i = 0; i < db->nqt; i++)
		if (db->qt[i].line == line && (db->qt[i].file == file ||
		    (file != NULL && db->qt[i].file != NULL &&
		    strcmp(db->qt[i].file, file) == 0)))
			break;
	if (i == db->nqt) {
		if (db->nqt == db->capqt) {
			size_t cap = db->capqt ? db->capqt * 2 : 16;
			struct qtime *v = realloc(db->qt, cap * sizeof(*v));
			if (v == NULL)
				return;	/* a figure short, never a build */
			db->qt = v;
			db->capqt = cap;
		}
		memset(&db->qt[db->nqt++], 0, sizeof(*db->qt));
		db->qt[i].file = file;
		db->qt[i].line = line;
	}
	db->qt[i].n++;
	db->qt[i].ns += ns;
	db->qt[i].rows += rows;
}

static int
query(struct db *db, const struct doc *doc, const char *sql,
    struct arena *a, struct rset *out, const char *file, int line,
    int flags, const struct sql_at *at, struct diags *diags)
{
	long long t0 = db->timings ? clock_ns() : 0;
	int rc = query_run(db, doc, sql, a, out, file, line, flags, at, diags);

	if (db->timings)
		query_time(db, file, line, clock_ns() - t0, rc == 0 ?
		    out->nrows : 0);
	return rc;
}

void
db_set_timings(struct db *db, int on)
{
	db->timings = on;
}

int
db_timings_on(const struct db *db)
{
	return db != NULL && db->timings;
}

void
db_load_time(struct db *db, long long ns, long long bytes, long long rows)
{
	db->load_ns += ns;
	db->load_bytes += bytes;
	db->load_rows += rows;
}

/* Seconds, as the notes give them: to the millisecond. */
static double
secs(long long ns)
{
	return (double)ns / 1e9;
}

static int
qtime_cmp(const void *pa, const void *pb)
{
	const struct qtime *a = pa, *b = pb;
	int c = strcmp(a->file ? a->file : "", b->file ? b->file : "");

	return c ? c : (a->line > b->line) - (a->line < b->line);
}

void
db_timings(struct db *db, struct diags *diags, const char *file)
{
	long long all = 0, n = 0;
	size_t i;

	if (db == NULL || !db->timings)
		return;
	/* In the definition's order, not the order they ran in. */
	if (db->nqt > 1)
		qsort(db->qt, db->nqt, sizeof(*db->qt), qtime_cmp);
	for (i = 0; i < db->nqt; i++) {
		const struct qtime *q = &db->qt[i];
		all += q->ns;
		n += q->n;
		diag_add(diags, SC_NOTE, q->file, q->line, "timings: %d quer%s "
		    "here took %.3f s and gave %lld row%s", q->n, q->n == 1 ?
		    "y" : "ies", secs(q->ns), q->rows, q->rows == 1 ? "" : "s");
	}
	diag_add(diags, SC_NOTE, file, 0, "timings: data %.3f s in all: "
	    "loading %lld row%s (%.1f MB) %.3f s, %lld quer%s %.3f s",
	    secs(db->load_ns + all), db->load_rows, db->load_rows == 1 ? "" :
	    "s", (double)db->load_bytes / 1e6, secs(db->load_ns), n,
	    n == 1 ? "y" : "ies", secs(all));
}

int
db_materialize(struct db *db, const struct doc *doc, const char *sql,
    const char *name, struct arena *a, const char **params,
    const char *file, int line, struct diags *diags)
{
	long long t0 = db->timings ? clock_ns() : 0;
	sqlite3_stmt *st, *ct = NULL;
	struct buf q;
	int i, rc = -1, ncols;
	char **fmts = NULL;

	*params = NULL;
	if (db->stop != STOP_NONE)
		return -1;
	buf_init(&q);
	buf_printf(&q, "SELECT * FROM (%s)", sql);
	if (q.oom || (st = prepare(db, doc, q.data, file, line, 0, NULL,
	    diags)) == NULL) {
		if (q.oom)
			diag_oom(diags, file, line, "out of memory running the "
			    "query");
		buf_free(&q);
		return -1;
	}
	/* What the SELECT's columns show as, and the parameters it binds:
	 * the same statement as a table, bound the same. */
	*params = bound_params(doc, st, a);
	ncols = sqlite3_column_count(st);
	if ((fmts = calloc((size_t)ncols + 1, sizeof(*fmts))) == NULL ||
	    *params == NULL)
		goto oom;
	for (i = 0; i < ncols; i++) {
		const char *f = db_column_format(db,
		    sqlite3_column_table_name(st, i),
		    sqlite3_column_origin_name(st, i));
		if (f != NULL && (fmts[i] = strdup(f)) == NULL)
			goto oom;
	}
	buf_reset(&q);
	/* One row more than a table may print: a query with more fails
	 * there, as it did, without holding them all first. */
	buf_printf(&q, "CREATE TEMP TABLE \"%s\" AS SELECT * FROM (%s) "
	    "LIMIT %d", name, sql, DATA_MAX_RESULT_ROWS + 1);
	if (q.oom || sqlite3_prepare_v2(db->h, q.data, -1, &ct, NULL) !=
	    SQLITE_OK)
		goto oom;
	if (bind_params(doc, ct, file, line, diags) != 0) {
		rc = -1;
		goto out;
	}
	if ((rc = sqlite3_step(ct)) != SQLITE_DONE) {
		step_failed(db, rc, file, line, diags);
		rc = -1;
		goto out;
	}
	for (i = 0; i < ncols; i++)
		if (fmts[i] != NULL)
			data_set_format(db, name, sqlite3_column_name(st, i),
			    fmts[i]);
	rc = 0;
	goto out;
oom:
	diag_oom(diags, file, line, "out of memory running the query");
	rc = -1;
out:
	if (db->timings)
		query_time(db, file, line, clock_ns() - t0, 0);
	for (i = 0; fmts != NULL && i < ncols; i++)
		free(fmts[i]);
	free(fmts);
	sqlite3_finalize(ct);
	sqlite3_finalize(st);
	buf_free(&q);
	return rc;
}

void
db_unmaterialize(struct db *db, const char *name)
{
	struct buf q;
	size_t i, k = 0;

	buf_init(&q);
	buf_printf(&q, "DROP TABLE IF EXISTS temp.\"%s\"", name);
	if (!q.oom)
		sqlite3_exec(db->h, q.data, NULL, NULL, NULL);
	buf_free(&q);
	/* Its formats go with it: the next table of that name is another. */
	for (i = 0; i < db->nfmts; i++)
		if (strcmp(db->fmts[i].table, name) == 0) {
			free(db->fmts[i].table);
			free(db->fmts[i].column);
			free(db->fmts[i].fmt);
		} else
			db->fmts[k++] = db->fmts[i];
	db->nfmts = k;
}

int
db_query(struct db *db, const struct doc *doc, const char *sql,
    struct arena *a, struct rset *out, const char *file, int line,
    struct diags *diags)
{
	return query(db, doc, sql, a, out, file, line, Q_FOLLOW, NULL, diags);
}

int
db_query_built(struct db *db, const struct doc *doc, const char *sql,
    struct arena *a, struct rset *out, const char *file, int line,
    const struct sql_at *at, struct diags *diags)
{
	return query(db, doc, sql, a, out, file, line, 0, at, diags);
}

int
db_query_rows(struct db *db, const struct doc *doc, const char *sql,
    struct arena *a, struct rset *out, const char *file, int line,
    const struct sql_at *at, struct diags *diags)
{
	return query(db, doc, sql, a, out, file, line, Q_HEAP, at, diags);
}

void
rset_free(struct rset *rs)
{
	if (rs->heap)
		free(rs->v);
	rs->v = NULL;
	rs->nrows = 0;
	rs->heap = 0;
}
