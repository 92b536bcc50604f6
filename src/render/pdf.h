/* pdf.h — the display list as a tagged PDF, written with libharu. */
#ifndef SC_PDF_H
#define SC_PDF_H

#include "../layout/font.h"
#include "../util/diag.h"
#include "displaylist.h"

/*
 * The display list as a PDF, in the stages of a backend (backend.h's
 * backend_pdf wraps them): pdf_begin() opens the file (path) or memory
 * (path NULL), embeds the fonts (what the whole document drew) and makes
 * every page; pdf_page() draws page p (in order) and writes its content;
 * pdf_end() writes the rest (with path NULL, the bytes into *data,
 * *len), or with ok 0 abandons it (the caller removes the file), and
 * frees the writer. NULL or -1 with a message in diags.
 */
struct pw;
struct pw *pdf_begin(struct dl_doc *d, struct fontset *fs, const char *name,
    const char *path, int consume, struct diags *diags);
int  pdf_page(struct pw *w, size_t p);
int  pdf_end(struct pw *w, int ok, unsigned char **data, size_t *len);

#endif
