/*
 * data.h — the data stage: CSV sources loaded with libcsv into an
 * in-memory SQLite database, domain SQL functions, locked-down queries,
 * and <expect> period checks. After bind (bind.c) nothing downstream
 * touches SQLite.
 */
#ifndef SC_DATA_H
#define SC_DATA_H

#include <stdatomic.h>
#include <stddef.h>

#include "../doc/doc.h"
#include "../util/diag.h"

/* Caps on untrusted input (documented in the README). */
/* SQLite's SQLITE_MAX_COLUMN, fixed when the system library was built
 * (sqlite3_limit can only lower it): a wider CSV cannot be a table. */
#define DATA_MAX_COLUMNS 2000
#define DATA_MAX_FIELD   (16u * 1024 * 1024)  /* bytes in one field */
#define DATA_MAX_ROWS    50000000
/* Decoded pixels in one image (four bytes each): 50 megapixels. */
#define IMAGE_MAX_PIXELS 50000000

struct db;

/* NULL when SQLite cannot start (a message is added). */
struct db  *db_open(struct diags *diags);
void        db_close(struct db *db);
/*
 * Loads the CSV at path (already resolved and allowed) as table src->id.
 * refs, when not NULL, is all the SQL text that can read the table: a
 * column whose name it does not mention is stored empty (NULL), which no
 * query can tell. Returns 0, or -1 with a message naming file:row:column
 * (or without one when the build was cancelled, db_cancelled()).
 */
int         db_load_csv(struct db *db, const struct source *src,
    const char *path, const char *refs, struct diags *diags);
/* The display format the file used for a column ("#,##0", "0%", …),
 * or NULL when it held text or nothing. */
const char *db_column_format(const struct db *db, const char *table,
    const char *column);
/* The column names of a table or query, comma-separated, for messages. */
int         db_columns(struct db *db, const char *sql, char *out, size_t n);
/* Registers pct_change, trend, rag, rate_per_1000, fy, quarter. */
int         db_functions(struct db *db);
/* 1 when a definition's SQL may call the function name (any case). */
int         db_function_allowed(const char *name);
/* From now on only read-only statements over the loaded data run. */
void        db_lock(struct db *db);
/* How many SQLite steps the build's queries may take (tests set it). */
void        db_set_budget(struct db *db, long long steps);
/* Tests: the queries' time from now [ms] and memory above the data
 * [bytes]; 0 keeps the default (10 s from db_lock, 128 MiB). */
void        db_set_limits(struct db *db, long long ms, long long memory);
/* The build's cancel flag (sc_ctx_cancel), read from any thread; NULL:
 * none. A CSV being loaded stops at its next chunk of the file. */
void        db_set_cancel(struct db *db, const atomic_int *cancel);
/* Non-zero once that flag is set. */
int         db_cancelled(const struct db *db);
/* Non-zero once a query was stopped (time, memory): its message is given
 * once, and every later query fails without another. */
int         db_stopped(const struct db *db);
void       *db_handle(struct db *db); /* sqlite3 * */
struct arena;
/*
 * Runs sql (a <query>'s SELECT, checked) once into the temporary table
 * name, for an element that would run it again (a table's rows, then
 * its totals), at most DATA_MAX_RESULT_ROWS + 1 rows of it (one more
 * than a table prints): its columns keep the formats they showed, and
 * *params (in a) is what it bound, for messages. 0, or -1 with a
 * message at (file, line). db_unmaterialize() drops the table and its
 * formats.
 */
int         db_materialize(struct db *db, const struct doc *doc,
    const char *sql, const char *name, struct arena *a,
    const char **params, const char *file, int line, struct diags *diags);
void        db_unmaterialize(struct db *db, const char *name);
/* --timings: each query's time is kept by the (file, line) it is run
 * for, each CSV's load by db_load_time(); db_timings() says them as
 * notes, each element's at its line and the sum at file. */
void        db_set_timings(struct db *db, int on);
int         db_timings_on(const struct db *db);
void        db_load_time(struct db *db, long long ns, long long bytes,
    long long rows);
void        db_timings(struct db *db, struct diags *diags,
    const char *file);

#endif
