/* gen_appendix.c — writes a tagged appendix PDF, as another system would
 * (an "action plan": headings, paragraphs, a table of actions, a link to
 * the council's web site, a link to a named destination, an outline),
 * for the agenda pack's benchmarks and example. Deterministic.
 *
 *   gen_appendix OUT.pdf PAGES [a4|a4-landscape|a3|a3-landscape|letter]
 *       [untagged] [TITLE]
 *
 * "untagged" leaves the structure tags out (links and outline stay), as
 * an old export would.
 * An untagged appendix (a scan, an old export) is made from PostScript
 * with Ghostscript (package ghostscript), which writes no tags:
 *
 *   printf '%%!PS\n/Helvetica 24 selectfont 72 720 moveto (Ward map) show\n'\
 *     'showpage\n' > map.ps
 *   gs -q -dNOPAUSE -dBATCH -sDEVICE=pdfwrite -sPAPERSIZE=a4 \
 *     -sOutputFile=map.pdf map.ps
 */
#include <cairo.h>
#include <cairo-pdf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct paper {
	const char *name;
	double      w, h; /* [pt] */
};

static const struct paper papers[] = {
	{ "a4", 595.28, 841.89 },
	{ "a4-landscape", 841.89, 595.28 },
	{ "a3", 841.89, 1190.55 },
	{ "a3-landscape", 1190.55, 841.89 },
	{ "letter", 612, 792 },
};

static const char *const actions[] = {
	"Map serious violence hotspots with the police",
	"Run knife crime awareness sessions in schools",
	"Refer repeat offenders to the integrated team",
	"Fund the domestic abuse outreach worker",
	"Train taxi drivers to spot exploitation",
	"Hold a week of action on anti-social behaviour",
};
static int untagged;
static const char *doc_title = "Community Safety Partnership action plans";

static void
tag_begin(cairo_t *cr, const char *tag, const char *attrs)
{
	if (!untagged || strcmp(tag, CAIRO_TAG_LINK) == 0 ||
	    strcmp(tag, CAIRO_TAG_DEST) == 0)
		cairo_tag_begin(cr, tag, attrs);
}

static void
tag_end(cairo_t *cr, const char *tag)
{
	if (!untagged || strcmp(tag, CAIRO_TAG_LINK) == 0 ||
	    strcmp(tag, CAIRO_TAG_DEST) == 0)
		cairo_tag_end(cr, tag);
}

static void
tagged_text(cairo_t *cr, const char *tag, double x, double y, const char *s)
{
	tag_begin(cr, tag, "");
	cairo_move_to(cr, x, y);
	cairo_show_text(cr, s);
	tag_end(cr, tag);
}

/* One table row of three cells, tagged TR with TH or TD cells. */
static void
row(cairo_t *cr, const char *cell, double y, const char *a, const char *b,
    const char *c)
{
	tag_begin(cr, "TR", "");
	tagged_text(cr, cell, 72, y, a);
	tagged_text(cr, cell, 360, y, b);
	tagged_text(cr, cell, 460, y, c);
	tag_end(cr, "TR");
}

static void
page(cairo_t *cr, int p, int pages, double h)
{
	char buf[160];
	double y = 72;
	int r, rows = (int)((h - 300) / 18);

	cairo_set_font_size(cr, 18);
	snprintf(buf, sizeof(buf), "%d. Actions for %d/%d", p, 2023 + p / 4,
	    24 + p / 4);
	if (p == 2)
		tag_begin(cr, CAIRO_TAG_DEST, "name='costs'");
	tagged_text(cr, "H2", 72, y, buf);
	if (p == 2)
		tag_end(cr, CAIRO_TAG_DEST);
	cairo_set_font_size(cr, 11);
	/* A link in a paragraph of its own: cairo 1.16 leaves the text of a
	 * P that also holds a Link unmarked. */
	tag_begin(cr, "P", "");
	cairo_move_to(cr, 72, y += 28);
	cairo_show_text(cr, "Each action has an owner and a date; progress is "
	    "reported to the committee.");
	tag_end(cr, "P");
	if (p == 1 && pages > 1) {
		tag_begin(cr, "P", "");
		cairo_move_to(cr, 72, y += 18);
		tag_begin(cr, CAIRO_TAG_LINK, "dest='costs'");
		cairo_show_text(cr, "Costs are on page 2.");
		tag_end(cr, CAIRO_TAG_LINK);
		tag_end(cr, "P");
	}
	tagged_text(cr, "P", 72, y += 18, "More on the partnership's site:");
	tag_begin(cr, "P", "");
	cairo_move_to(cr, 72, y += 18);
	tag_begin(cr, CAIRO_TAG_LINK, "uri='https://www.example.gov.uk/csp'");
	cairo_show_text(cr, "www.example.gov.uk/csp");
	tag_end(cr, CAIRO_TAG_LINK);
	tag_end(cr, "P");
	tag_begin(cr, "Table", "");
	row(cr, "TH", y += 30, "Action", "Owner", "Due");
	for (r = 0; r < rows; r++) {
		snprintf(buf, sizeof(buf), "Q%d %d", r % 4 + 1, 2023 + p / 4);
		row(cr, "TD", y += 18, actions[(p * 7 + r) % 6],
		    r % 2 ? "Police" : "CSP", buf);
	}
	tag_end(cr, "Table");
}

int
main(int argc, char **argv)
{
	const struct paper *pp = &papers[0];
	cairo_surface_t *s;
	cairo_t *cr;
	size_t i;
	int p, pages, parent = CAIRO_PDF_OUTLINE_ROOT;
	char link[32], title[64];

	if (argc < 3 || (pages = atoi(argv[2])) < 1 || pages > 100000) {
		fprintf(stderr, "usage: gen_appendix OUT.pdf PAGES "
		    "[a4|a4-landscape|a3|a3-landscape|letter] [untagged] "
		    "[TITLE]\n");
		return 2;
	}
	for (i = 0; argc > 3 && i < sizeof(papers) / sizeof(papers[0]); i++)
		if (strcmp(argv[3], papers[i].name) == 0)
			break;
	if (argc > 3) {
		if (i == sizeof(papers) / sizeof(papers[0])) {
			fprintf(stderr, "gen_appendix: unknown paper size %s\n", argv[3]);
			return 2;
		}
		pp = &papers[i];
	}
	untagged = argc > 4 && strcmp(argv[4], "untagged") == 0;
	if (argc > 5)
		doc_title = argv[5];
	s = cairo_pdf_surface_create(argv[1], pp->w, pp->h);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, doc_title);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE,
	    "2024-01-01T00:00:00Z");
	cr = cairo_create(s);
	cairo_select_font_face(cr, "Liberation Sans", CAIRO_FONT_SLANT_NORMAL,
	    CAIRO_FONT_WEIGHT_NORMAL);
	tag_begin(cr, "Document", "");
	cairo_set_font_size(cr, 18);
	tagged_text(cr, "H1", 72, 48, doc_title);
	for (p = 1; p <= pages; p++) {
		page(cr, p, pages, pp->h);
		/* an outline item a page, under one a year */
		if (p % 4 == 1 || p == 1) {
			snprintf(link, sizeof(link), "page=%d", p);
			snprintf(title, sizeof(title), "Year %d/%d", 2023 + p / 4,
			    24 + p / 4);
			parent = cairo_pdf_surface_add_outline(s, CAIRO_PDF_OUTLINE_ROOT,
			    title, link, 0);
		}
		snprintf(link, sizeof(link), "page=%d", p);
		snprintf(title, sizeof(title), "%d. Actions", p);
		cairo_pdf_surface_add_outline(s, parent, title, link, 0);
		if (p == pages)
			tag_end(cr, "Document");
		cairo_show_page(cr);
	}
	cairo_destroy(cr);
	cairo_surface_finish(s);
	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
		fprintf(stderr, "gen_appendix: %s: %s\n", argv[1],
		    cairo_status_to_string(cairo_surface_status(s)));
		cairo_surface_destroy(s);
		return 1;
	}
	cairo_surface_destroy(s);
	return 0;
}
