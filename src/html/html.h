/*
 * html.h — the HTML edition (DESIGN.md "HTML edition"): one HTML5 page
 * per report, written from the bound, numbered document (not from the
 * pages), with the same numbers, number formats and words as the PDF;
 * its charts inline SVG drawn by cairo from the same display-list ops as
 * the PDF's; a stylesheet made from the template; no script and nothing
 * fetched. Every text and attribute that comes from a definition or its
 * data is escaped, and a link goes only where the PDF's may.
 */
#ifndef SC_HTML_H
#define SC_HTML_H

#include <stddef.h>

#include "../definition/template.h"
#include "../doc/doc.h"
#include "../layout/font.h"
#include "../render/displaylist.h"
#include "../util/buf.h"
#include "../util/diag.h"
#include "../util/path.h"

/* The page's place in a larger edition (a pack's item), or all NULL. */
struct html_page {
	const char *up_href;   /* a link back to the agenda */
	const char *up_text;
};

/*
 * Appends the page of doc (loaded, bound, and laid out into dl with the
 * fonts fs, which numbered it) to out. Returns 0, or -1 with a message
 * in diags (out is then to be thrown away).
 */
int html_report(struct buf *out, const struct doc *doc,
    const struct template *t, const struct dl_doc *dl, struct fontset *fs,
    const struct html_page *pg, struct diags *diags);

/* A pack's agenda page: the meeting's details and its items in order. */
struct html_field {
	const char *label, *value;
};

struct html_item {
	const char *number;  /* "3" */
	const char *title;
	const char *href;    /* the item's page ("item-3.html"), or NULL */
	const char *note;    /* what the page says instead (an exempt
	                      * item's notice, "a PDF document"), or NULL */
};

struct html_agenda {
	const char              *lang;     /* NULL: "en-GB" */
	const char              *title;    /* the page's title and heading */
	const struct html_field *fields;
	size_t                   nfields;
	const struct html_item  *items;
	size_t                   nitems;
	/* Sections after the agenda (membership, contact, notices): each a
	 * heading (label) and its lines ('\n' between them). */
	const struct html_field *blocks;
	size_t                   nblocks;
};

int html_agenda(struct buf *out, const struct html_agenda *a,
    const struct template *t, struct diags *diags);

/* May the edition be written into dir? 0, or -1 with a message (it does
 * not exist, or is not a folder). */
int html_check_dir(const char *dir, struct diags *diags);

/*
 * Writes html as dir/name through output.c (a temporary file renamed
 * into place; a link, device or one of inputs there is refused). temp
 * holds the temporary name while it exists. SC_OK, SC_EUSAGE or
 * SC_EINTERNAL, with a message.
 */
int html_write(const char *dir, const char *name, const struct buf *html,
    const struct path_inputs *inputs, volatile char *temp,
    struct diags *diags);

/* 1 when a link to href may be written: https:, http:, mailto: or tel:,
 * without spaces, backslashes or control characters (the definition
 * refuses others; this is the writer's own check). */
int html_href_ok(const char *href);

#endif
