/* pdf.h — the display list as a tagged PDF, written with libharu. */
#ifndef SC_PDF_H
#define SC_PDF_H

#include "../layout/font.h"
#include "../util/diag.h"
#include "displaylist.h"

/*
 * Writes d to path (the caller makes path a temporary file and renames
 * it; name, the file the user asked for, is what messages show). Fonts are subset from what fs recorded as drawn. With consume,
 * each page's ops are freed once written (for a caller that has no more
 * use for them: the display list is the largest thing a long build
 * holds). Returns 0, or -1 with a message in diags.
 */
int pdf_write(struct dl_doc *d, struct fontset *fs, const char *path,
    const char *name, int consume, struct diags *diags);
/* The same into memory: *data (malloc'd, the caller frees) of *len
 * bytes, for a pack whose pages are merged with other PDFs next. */
int pdf_write_mem(struct dl_doc *d, struct fontset *fs, const char *name,
    int consume, unsigned char **data, size_t *len, struct diags *diags);

#endif
