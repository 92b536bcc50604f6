/*
 * definition.h — reads a report definition (FORMAT.md) into a document
 * tree: safe parsing, schema validation, then every semantic check
 * (ids, references, parameters, dates) so layout never re-checks input.
 */
#ifndef SC_DEFINITION_H
#define SC_DEFINITION_H

#include "../doc/doc.h"
#include "../util/diag.h"

/* Deepest nesting of sections, lists and inlines accepted. */
#define DEF_MAX_DEPTH 64

struct def_define {
	const char *name;
	const char *value;
	int         optional; /* a pack's -D: a definition without the
	                       * parameter ignores it */
};

/*
 * Loads path. Returns a doc (the caller's to doc_free()) even when there
 * were errors, so that every problem is found in one run; *ok is set to 1
 * only when there were none. Returns NULL when out of memory or when the
 * file cannot be read or parsed at all.
 */
struct doc *def_load(const char *path, const struct def_define *defines,
    size_t ndefines, struct diags *diags, int *ok);
/* The same for a definition already in memory (path names it). */
struct doc *def_load_mem(const char *data, size_t len, const char *path,
    const struct def_define *defines, size_t ndefines, struct diags *diags,
    int *ok);

#endif
