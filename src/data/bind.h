/*
 * bind.h — the bind stage: loads the definition's CSV sources, checks its
 * <expect>s, runs the query behind every table, risk register and inline
 * <value>, and attaches formatted result sets to the tree. After it,
 * nothing downstream touches SQLite.
 */
#ifndef SC_BIND_H
#define SC_BIND_H

#include "../definition/template.h"
#include "../doc/doc.h"
#include "../util/diag.h"

/* Folders a definition may read data from besides its own (may be
 * NULL/0): --allow-path. */
struct bind_opts {
	const char *const *allow;
	int                nallow;
};

/* Returns 0, or -1 with every problem found in diags. */
int data_bind(struct doc *doc, const struct template *t,
    const struct bind_opts *opts, struct diags *diags);

#endif
