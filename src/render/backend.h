/*
 * backend.h — what every backend of the display list implements (DESIGN.md
 * "Staged library"): begin the document, take its pages one at a time in
 * order, end it. The PDF writer (pdf.c) and cairo's page pictures
 * (cairo.c) are backends; an HTML edition renders the bound document
 * instead, and is not one.
 */
#ifndef SC_BACKEND_H
#define SC_BACKEND_H

#include <stddef.h>

#include "../layout/font.h"
#include "../util/diag.h"
#include "../util/path.h"
#include "displaylist.h"

struct backend_out {
	const char     *target;  /* the file (PDF) or folder (pictures) */
	const char     *name;    /* what messages call it */
	int             consume; /* pages' ops may be freed once drawn */
	double          dpi;     /* pictures */
	unsigned char **data;    /* PDF into memory when target is NULL */
	size_t         *len;
	/* The files the build read: a picture may not replace one. */
	const struct path_inputs *inputs;
};

struct backend {
	const char *name;
	/* NULL with a message in diags. */
	void *(*begin)(struct dl_doc *d, struct fontset *fs,
	    const struct backend_out *o, struct diags *diags);
	/* 0, or negative: -2 for an output that may not be written
	 * (SC_EUSAGE), else -1. */
	int   (*page)(void *state, size_t p);
	/* Finishes (ok) or abandons the output, and frees state. */
	int   (*end)(void *state, int ok);
};

extern const struct backend backend_pdf;   /* pdf.c */
extern const struct backend backend_png;   /* cairo.c: DIR/page-001.png … */

/* begin, every page, end: 0, or what the failing page returned (-1 for
 * begin or end), with a message. */
int backend_write(const struct backend *b, struct dl_doc *d,
    struct fontset *fs, const struct backend_out *o, struct diags *diags);

#endif
