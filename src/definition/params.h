/*
 * params.h — a definition's <params>: declared, set by -D, derived from
 * one another (from= shift=), validated (values= pattern=; in-data= is
 * checked by bind, which has the data), and expanded as {name} in the
 * attributes and fields that print text. Part of the definition stage.
 */
#ifndef SC_PARAMS_H
#define SC_PARAMS_H

#include <libxml/tree.h>

#include "definition.h"
#include "template.h"

/* Reads <params> (x may be NULL: none) into d, applies the -D defines,
 * derives and validates. report_line places messages about -D when
 * there is no <params>. -1 only when out of memory. */
int params_read(struct doc *d, xmlNodePtr x, const char *path,
    int report_line, const struct def_define *defs, size_t ndefs,
    struct diags *diags);

/*
 * s with each {name} replaced by the parameter's value, {{ by { and }}
 * by } (as in Python's and Rust's formats); a
 * {name} that names no parameter is an error at file:line, where what
 * says which text it is in ("<table caption>"). Marks the parameters
 * used. Returns s itself when it holds no brace, NULL when out of memory.
 */
const char *params_expand(struct doc *d, const char *s, const char *file,
    int line, const char *what, struct diags *diags);

/* Warns of each parameter that nothing printed or queried: call after
 * the data is bound; t's running head, foot and front-sheet patterns
 * count as uses. */
void params_check_used(struct doc *d, const struct template *t,
    struct diags *diags);

/* Shifts a period value by shift ("-1", "+2q", "-3m", "-7d"): a year
 * "2023", a financial year "2023/24", a quarter "2023 Q4", a month
 * "2023-12" or a date "2023-12-31", written back in the same form.
 * 0 and out (of n bytes) on success; -1 with a reason in out. */
/* "; did you mean ..." naming the declared parameter nearest name, or
 * "" (into out, n bytes, which is returned). */
const char *params_mean(const struct doc *d, const char *name, char *out,
    size_t n);
int params_shift(const char *value, const char *shift, char *out, size_t n);

#endif
