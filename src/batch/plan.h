/*
 * plan.h — what `scrutineer batch` builds (plan.c): the definitions that
 * list files name, that folders hold or that are given as they are, each
 * with the PDF it writes, its own -D parameters and a pack's part. Every
 * problem is found here, before anything is built: a list's as
 * "LIST:LINE: ...", two definitions writing one file among them.
 *
 * A list file is UTF-8 text, one definition a line:
 *
 *     # year-end run, 2023/24
 *     blaby-2023/report.xml
 *     blaby-2023/report.xml -D year=2022/23 -o blaby-2022-23.pdf
 *     "a folder with spaces/report.xml" --part b -o part-b.pdf
 *
 * A word is cut at spaces and tabs, or is in double quotes (\" and \\
 * inside); a word that begins with # starts a comment to the end of the
 * line. Names are resolved against the list's folder; a definition must
 * lead into it or an --allow-path folder, and an -o into the batch's
 * OUTDIR (given -o OUTDIR, against which it is then resolved) or the
 * list's folder.
 */
#ifndef SC_BATCH_PLAN_H
#define SC_BATCH_PLAN_H

#include <stddef.h>

#include "../util/diag.h"

/* Caps on a list: its size, a line, the definitions of one batch, and
 * how deep a folder is searched. */
#define BATCH_MAX_LIST    (16 << 20)  /* bytes */
#define BATCH_MAX_LINE    16384       /* bytes */
#define BATCH_MAX_ENTRIES 100000
#define BATCH_MAX_DEPTH   16

struct batch_entry {
	char   *definition; /* the path built, as joined (and tidied) */
	char   *output;     /* the PDF it writes */
	char   *part;       /* "a" or "b" (a pack's --part), or NULL */
	char  **defines;    /* the line's own "NAME=VALUE" */
	size_t  ndefines;
	char   *list;       /* the list file that names it, or NULL */
	int     line;       /* its line there */
	int     pack;       /* 1 for a <pack> definition */
};

struct batch_opts {
	const char        *outdir; /* -o OUTDIR (which exists), or NULL:
	                            * each PDF beside its definition */
	const char *const *allow;  /* --allow-path folders */
	int                nallow;
};

struct batch_plan {
	struct batch_entry *v;
	size_t              n, cap;
	struct diags        diags;  /* what planning found */
	int                 full;   /* BATCH_MAX_ENTRIES reached */
};

void batch_plan_init(struct batch_plan *p);
void batch_plan_free(struct batch_plan *p);
/* Adds what arg names: a folder (searched for report.xml and *.xml
 * whose root is <report> or <pack>; hidden names and links to folders
 * passed over), a definition (a name ending in .xml) or a list file.
 * 0, or -1 with messages in p->diags. */
int  batch_plan_add(struct batch_plan *p, const char *arg,
    const struct batch_opts *o);
/* A list file's text: name is its path (messages, and the folder names
 * resolve against). 0, or -1 with messages. */
int  batch_plan_list(struct batch_plan *p, const char *name,
    const char *text, size_t len, const struct batch_opts *o);
/* Once everything is added: two entries that would write one file (by
 * its folder's real path) are an error, and so is an empty batch. */
int  batch_plan_check(struct batch_plan *p);
/* "LIST:LINE" or the definition, for messages: into buf. */
const char *batch_entry_where(const struct batch_entry *e, char *buf,
    size_t n);

#endif
