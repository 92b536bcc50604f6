/* cairo.h — the display list drawn by cairo: page previews (PNG) and
 * single charts (PNG or SVG) for the council website, from the same ops
 * the PDF is written from. */
#ifndef SC_CAIRO_H
#define SC_CAIRO_H

#include "../layout/font.h"
#include "../util/diag.h"
#include "displaylist.h"

enum cr_format { CR_PNG, CR_SVG };

/*
 * Draws ops [op0, op1) of page pg, the region (x, y, w, h) [pt] of the
 * page, into path (written whole or not at all). dpi is for PNG. When
 * op0 is a Figure mark, an SVG gets its caption as <title> and its text
 * alternative as <desc>. Returns 0, or -1 with a message.
 */
int cr_render(const struct dl_page *pg, size_t op0, size_t op1, double x,
    double y, double w, double h, struct fontset *fs, const char *path,
    enum cr_format format, double dpi, struct diags *diags);

/*
 * The same drawing as SVG into out (appended, no file): cairo's SVG as it
 * streams it, without title or desc (the caller adds its own), the root
 * group's number written as 1. Returns 0, or -1 with a message (out may
 * then hold part of it).
 */
struct buf;
int cr_svg(const struct dl_page *pg, size_t op0, size_t op1, double x,
    double y, double w, double h, struct fontset *fs, struct buf *out,
    struct diags *diags);

#endif
