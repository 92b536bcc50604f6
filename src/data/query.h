/*
 * query.h — result sets: what bind hands to layout (rows × typed
 * columns, strings in the build's arena), and running queries.
 */
#ifndef SC_QUERY_H
#define SC_QUERY_H

#include "../doc/doc.h"
#include "../util/arena.h"
#include "../util/diag.h"
#include "data.h"

/* Most rows one query may return into a report: a table of more than
 * this is not for reading on paper (about a thousand pages). */
#define DATA_MAX_RESULT_ROWS 50000

/* One value: type is SQLite's (SQLITE_INTEGER, _FLOAT, _TEXT, _NULL). */
struct rval {
	int         type;
	double      num;      /* _INTEGER and _FLOAT */
	long long   i;        /* _INTEGER: exactly (num may round it) */
	const char *text;
};

struct rset {
	int           ncols, nrows;
	const char  **names;
	const char  **fmts;   /* remembered CSV display format, or NULL */
	struct rval  *v;      /* nrows × ncols, row-major */
	const char   *params; /* the parameters the query used, as
	                       * "year=2023/24, previous=2022/23"; "" none */
	int           heap;   /* v is the caller's to free: rset_free() */
};

/*
 * Runs one read-only SELECT with :name parameters from doc's params.
 * file and line name the definition element for messages: sql is the
 * author's text as it stands in the file from line, so an SQL error is
 * told at the line it is on (sqlite3_error_offset()).
 */
int db_query(struct db *db, const struct doc *doc, const char *sql,
    struct arena *a, struct rset *out, const char *file, int line,
    struct diags *diags);
/* For SQL put together from pieces: at->line(at->arg, sql, off) gives
 * the line in the file of a fault at byte off of sql (the line of the
 * author's text there), or 0 to keep the element's. */
struct sql_at {
	int  (*line)(void *arg, const char *sql, int off);
	void  *arg;
};
/* The same for SQL put together from pieces (a table's columns and
 * where=, a <query> inlined): its newlines are not the file's, so an
 * error is told at the line at says (at may be NULL), else at line
 * itself. */
int db_query_built(struct db *db, const struct doc *doc, const char *sql,
    struct arena *a, struct rset *out, const char *file, int line,
    const struct sql_at *at, struct diags *diags);

/* The same, with the rows' array (rs->v) on the heap for a caller that
 * reads them once and lets them go with rset_free() (a table's rows,
 * once its cells are made); their text stays in a, for the cells that
 * print it as it came. */
int db_query_rows(struct db *db, const struct doc *doc, const char *sql,
    struct arena *a, struct rset *out, const char *file, int line,
    const struct sql_at *at, struct diags *diags);
void rset_free(struct rset *rs);

/* Prepares sql (without running it) with the same checks as db_query:
 * one read-only statement, declared parameters. */
int db_check(struct db *db, const struct doc *doc, const char *sql,
    const char *file, int line, struct diags *diags);

#endif
