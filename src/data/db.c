/*
 * db.c — the in-memory SQLite database: opening it locked down, the
 * display formats CSV columns remembered, running a query with :name
 * parameters into a result set, and <expect> period checks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sqlite3.h>

#include "data.h"
#include "data_int.h"
#include "query.h"
#include "../util/buf.h"

/* Steps a query may take before it is stopped (a runaway recursive
 * query must not hang a year-end batch): about ten seconds here, far
 * more than aggregating a million-row export needs. */
#define QUERY_STEP_BUDGET 1000000000LL

struct colfmt {
	char *table, *column, *fmt;
};

struct db {
	sqlite3       *h;
	struct colfmt *fmts;
	size_t         nfmts, capfmts;
	int            locked;
	long long      steps, budget;
};

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
	if (sqlite3_open_v2(":memory:", &db->h, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_MEMORY | SQLITE_OPEN_NOMUTEX,
	    NULL) != SQLITE_OK) {
		diag_err(diags, NULL, 0, "SQLite cannot start: %s",
		    db->h ? sqlite3_errmsg(db->h) : "out of memory");
		db_close(db);
		return NULL;
	}
	db->budget = QUERY_STEP_BUDGET;
	sqlite3_db_config(db->h, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, NULL);
	sqlite3_db_config(db->h, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(db->h, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	/* "name" is always a column: a misspelt one must be an error, not
	 * a string printed in every row. */
	sqlite3_db_config(db->h, SQLITE_DBCONFIG_DQS_DML, 0, NULL);
	sqlite3_db_config(db->h, SQLITE_DBCONFIG_DQS_DDL, 0, NULL);
	sqlite3_limit(db->h, SQLITE_LIMIT_ATTACHED, 0);
	sqlite3_limit(db->h, SQLITE_LIMIT_LENGTH, 64 * 1024 * 1024);
	sqlite3_limit(db->h, SQLITE_LIMIT_SQL_LENGTH, 1024 * 1024);
	sqlite3_limit(db->h, SQLITE_LIMIT_COLUMN, DATA_MAX_COLUMNS + 8);
	sqlite3_exec(db->h, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF",
	    NULL, NULL, NULL);
	if (db_functions(db) != 0) {
		diag_err(diags, NULL, 0, "cannot register SQL functions");
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

/* The authorizer: reading is all a definition's SQL may do. */
static int
authorize(void *arg, int action, const char *a3, const char *a4,
    const char *dbname, const char *trigger)
{
	(void)arg; (void)a4; (void)trigger;
	switch (action) {
	case SQLITE_SELECT:
	case SQLITE_READ:
	case SQLITE_RECURSIVE:
		return SQLITE_OK;
	case SQLITE_FUNCTION:
		return a4 != NULL && strcasecmp(a4, "load_extension") == 0 ?
		    SQLITE_DENY : SQLITE_OK;
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

static int
progress(void *arg)
{
	struct db *db = arg;

	db->steps += 10000;
	return db->steps > db->budget;
}

void
db_set_budget(struct db *db, long long steps)
{
	db->budget = steps;
}

void
db_lock(struct db *db)
{
	db->locked = 1;
	sqlite3_set_authorizer(db->h, authorize, db);
	sqlite3_progress_handler(db->h, 10000, progress, db);
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

/* Prepares one locked-down statement and binds its parameters; NULL
 * with a message when it is not allowed or not valid. */
static sqlite3_stmt *
prepare(struct db *db, const struct doc *doc, const char *sql,
    const char *file, int line, struct diags *diags)
{
	sqlite3_stmt *st = NULL;
	const char *tail;
	int i, rc;

	rc = sqlite3_prepare_v2(db->h, sql, -1, &st, &tail);
	if (rc != SQLITE_OK) {
		const char *m = sqlite3_errmsg(db->h);
		if (rc == SQLITE_AUTH || strstr(m, "not authorized"))
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
	for (i = 1; i <= sqlite3_bind_parameter_count(st); i++) {
		const char *name = sqlite3_bind_parameter_name(st, i);
		const char *v = name ? doc_param(doc, name + 1) : NULL;
		if (name == NULL || (name[0] != ':' && name[0] != '@' &&
		    name[0] != '$')) {
			sqlite3_finalize(st);
			diag_err(diags, file, line, "the query has a ? parameter; "
			    "name parameters as :name");
			return NULL;
		}
		if (v == NULL) {
			/* name belongs to the statement: use it, then free. */
			diag_err(diags, file, line, "the query uses %s, but there is "
			    "no <param name=\"%s\">; declare it in <params>", name,
			    name + 1);
			sqlite3_finalize(st);
			return NULL;
		}
		bind_value(st, i, v);
	}
	return st;
}

int
db_check(struct db *db, const struct doc *doc, const char *sql,
    const char *file, int line, struct diags *diags)
{
	sqlite3_stmt *st = prepare(db, doc, sql, file, line, diags);

	if (st == NULL)
		return -1;
	sqlite3_finalize(st);
	return 0;
}

int
db_query(struct db *db, const struct doc *doc, const char *sql,
    struct arena *a, struct rset *out, const char *file, int line,
    struct diags *diags)
{
	sqlite3_stmt *st;
	int i, rc, ncols;
	size_t cap = 0;

	memset(out, 0, sizeof(*out));
	db->steps = 0;
	if ((st = prepare(db, doc, sql, file, line, diags)) == NULL)
		return -1;
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
			struct rval *v = arena_alloc(a, nc * (size_t)ncols *
			    sizeof(*v) + 1);
			if (v == NULL)
				goto oom;
			if (cap)
				memcpy(v, out->v, cap * (size_t)ncols * sizeof(*v));
			out->v = v;
			cap = nc;
		}
		if (out->nrows >= DATA_MAX_RESULT_ROWS) {
			sqlite3_finalize(st);
			diag_err(diags, file, line, "the query returns more than "
			    "%d rows, too many to print; aggregate it (GROUP BY) or "
			    "filter it (where=)", DATA_MAX_RESULT_ROWS);
			return -1;
		}
		row = &out->v[(size_t)out->nrows * (size_t)ncols];
		for (i = 0; i < ncols; i++) {
			row[i].type = sqlite3_column_type(st, i);
			if (row[i].type == SQLITE_INTEGER ||
			    row[i].type == SQLITE_FLOAT)
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
		if (rc == SQLITE_INTERRUPT)
			diag_err(diags, file, line, "the query ran too long and was "
			    "stopped; simplify it");
		else
			diag_err(diags, file, line, "SQL error: %s",
			    sqlite3_errmsg(db->h));
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	return 0;
oom:
	sqlite3_finalize(st);
	diag_oom(diags, file, line, "out of memory running the query");
	return -1;
}
