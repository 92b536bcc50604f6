/* pack.h — agenda packs (pack.c): a <pack> definition checked or built
 * as one job. */
#ifndef SC_PACK_H
#define SC_PACK_H

#include "../job.h"

/* 1 when path's root element is <pack> (read without blocking). */
int pack_sniff(const char *path);
/* 1 when path's root element is <root> (so read: "report" for a report
 * definition), past a byte order mark, the declaration, comments and a
 * DOCTYPE naming it. */
int root_sniff(const char *path, const char *root);
/* sc_check() and sc_build() of a pack: SC_OK or the failing status, with
 * the messages in j->diags. */
int pack_check(sc_job *j);
int pack_build(sc_job *j);
/* sc_html() of a pack: the public edition's agenda page and one page per
 * report item in dir (see include/scrutineer.h). */
int pack_html(sc_job *j, const char *dir);

#endif
