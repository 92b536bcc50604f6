/*
 * rules.h — which elements and attributes a report definition may hold,
 * where, and with which keyword values (FORMAT.md, as schema/report.rng
 * says it). The schema is the contract; this table turns a mistake into a
 * message that names the exact line and the fix, as mandoc's validator
 * does, because libxml2's RELAX NG messages point at parents and name
 * grammar states.
 */
#ifndef SC_RULES_H
#define SC_RULES_H

#include <libxml/tree.h>

#include "../util/diag.h"

/* Checks the whole tree under root; adds one message per mistake. */
void rules_check(xmlNodePtr root, const char *path, struct diags *diags);
/* 1 when root is sure to match schema/report.rng, so that RELAX NG need
 * not run; 0 when it does not, or when this check cannot tell (then the
 * schema decides, and gives its messages). */
int  rules_valid(xmlNodePtr root);

#endif
