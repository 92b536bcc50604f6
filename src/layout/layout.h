/*
 * layout.h — the typesetter: document tree + template → pages of display
 * list. It numbers, measures, breaks lines and pages, and draws.
 */
#ifndef SC_LAYOUT_H
#define SC_LAYOUT_H

#include "../definition/template.h"
#include "../doc/doc.h"
#include "../render/displaylist.h"
#include "../util/diag.h"
#include "font.h"

/* Most pages one report may have. */
#define LAY_MAX_PAGES 10000

/*
 * Lays out doc with template t. Fonts come from fs (loaded on demand);
 * pages are appended to out, whose arena holds what the ops point to.
 * Returns 0, or -1 with messages in diags; -2 (an internal error) when
 * the pages hold fewer tables, figures or images than doc->asks.
 */
int lay_document(const struct doc *doc, const struct template *t,
    struct fontset *fs, struct dl_doc *out, struct diags *diags);

/*
 * Where a streamed build's pages go (lay_document_to()). begin is called
 * once the pages are counted: each is added, empty, and out->anchors and
 * out->nbegin are set. Then page, for each page in order as soon as it is
 * complete (running head and foot with the right total), before the next
 * is made: it may free the page's ops (a backend's consume), so no two
 * copies of the document's ops are ever held. The glyphs and text of the
 * page's runs may be freed once page returns (their chunk's: opstore.c), so
 * a sink keeps nothing that points into them. Each returns 0, or nonzero
 * to stop the layout (with its own message).
 */
struct lay_sink {
	int  (*begin)(void *arg, struct dl_doc *out);
	int  (*page)(void *arg, struct dl_doc *out, size_t p);
	void *arg;
	/* Nothing reads the document after this layout (no HTML edition):
	 * each bound table's rows are freed once it is drawn
	 * (doc_tbl_release()), not held to the end. */
	int   consume_doc;
};
/* lay_document(), the pages handed to sink (NULL: kept in out, every
 * one, for --dump, --preview, the HTML edition and packs). The checks
 * of what came out run as the pages go, so a failure here (-2 for what
 * is missing) comes after sink has seen pages: its output is not to be
 * kept. */
int lay_document_to(const struct doc *doc, const struct template *t,
    struct fontset *fs, struct dl_doc *out, const struct lay_sink *sink,
    struct diags *diags);

/* Numbering (number.c): labels sections, appendices and paragraphs. */
int lay_number(const struct doc *doc, const struct template *t,
    struct arena *a);
/* Formats n as a roman numeral (lower case) or a letter sequence
 * (a..z, aa..): into out. */
void lay_roman(int n, char *out, size_t outsz);
void lay_alpha(int n, int upper, char *out, size_t outsz);
/* The k-th label of a numbered list, by its style (the list's
 * list_label: "1.", "(a)", "a." …), in arena a; NULL for a bullet list
 * or when out of memory. The one owner for the PDF and the HTML. */
const char *lay_item_label(struct arena *a, const struct node *list, int k);

/* The words a <ref> prints for its target: "section 3.2", "table 4",
 * "Appendix A"; in arena a (NULL when out of memory). */
const char *lay_ref_words(struct arena *a, const struct node *target);
/* Meta field key into b as the front sheet prints it (dates in the
 * house style, Yes/No, Exempt under paragraph N), repeated ones joined
 * with sep; 0 when no field (nor parameter) has the name: a field
 * given empty returns 1 and prints nothing. */
struct buf;
int lay_meta_field(const struct doc *d, const struct template *t,
    struct buf *b, const char *key, const char *sep);
/* A front-sheet pattern with its {field}s expanded (repeated ones on
 * lines of their own) into b; 1 when it names fields and none has a
 * value (then the line is left out), else 0. */
int lay_meta_expand(const struct doc *d, const struct template *t,
    struct buf *b, const char *pat);

#endif
