/*
 * bind.h — the bind stage: loads the definition's CSV sources, checks its
 * <expect>s, runs the query behind every table, risk register and inline
 * <value>, and attaches formatted result sets to the tree. After it,
 * nothing downstream touches SQLite.
 */
#ifndef SC_BIND_H
#define SC_BIND_H

#include <stdatomic.h>

#include "../definition/template.h"
#include "../doc/doc.h"
#include "../util/diag.h"
#include "../util/path.h"

/* Where data files may be (paths.base is the definition's folder
 * whatever it says; allow and extra may be NULL/0), where the files
 * read are remembered (may be NULL), and whether data that looks missing
 * (no rows, a column of blanks and zeros) is an error, not a warning. */
struct bind_opts {
	struct path_policy  paths;
	struct path_inputs *inputs;
	int                 strict;
	const atomic_int   *cancel;   /* the build's, or NULL (db_set_cancel) */
	int                 timings;  /* notes of the loads' and queries'
	                               * time (db_set_timings) */
};

/* Returns 0, or -1 with every problem found in diags. */
int data_bind(struct doc *doc, const struct template *t,
    const struct bind_opts *opts, struct diags *diags);

/*
 * What the loader is given for doc->sources[source] (db_load_csv()'s
 * refs): every piece of SQL and column name the definition uses, or
 * NULL when something can read each of that source's columns (a table
 * bound to it without <column>s, SQL reading "*" that names it). It is
 * the caller's responsibility to free the result.
 */
char *data_referenced(const struct doc *doc, size_t source);

#endif
