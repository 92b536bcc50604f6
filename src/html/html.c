/*
 * html.c — the HTML edition (html.h). A walk of the bound document, one
 * handler per block kind, writing into one buffer: the same numbers,
 * captions, cell texts and words the PDF prints (the same helpers make
 * them: numbering labels, lay_ref_words(), lay_meta_expand(), the bound
 * table's cells); charts as inline SVG from the display list's figure
 * ops, drawn by cairo (cr_svg()) as `scrutineer charts --format svg`
 * draws them. Everything from the definition or its data goes through
 * esc(); no attribute is written from data without it.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "html.h"
#include "scrutineer.h"
#include "../chart/chart.h"
#include "../data/numfmt.h"
#include "../layout/layout.h"
#include "../render/cairo.h"
#include "../util/output.h"
#include "../util/path.h"

/* The image files an edition embeds may be this big [bytes]. */
#define HTML_IMAGE_MAX (16u << 20)

/* A figure mark of the display list: where its drawing is. */
struct fig {
	size_t page, op;
};

struct hw {
	struct buf            *o;
	const struct doc      *doc;
	const struct template *t;
	const struct dl_doc   *dl;
	struct fontset        *fs;
	struct diags          *diags;
	struct arena           a;      /* this page's own strings */
	struct fig            *figs;   /* level-1 Figure marks, in order */
	size_t                 nfigs, nextfig;
	int                    nsvg;   /* drawings written: their ids */
	int                    ntab;   /* tables written: their ids */
	int                    err;
};

/* ---- escaping: the one way text reaches the page ---- */

/* s as text or an attribute value: & < > " ' escaped, controls XML
 * forbids dropped (buf_put_xml, the project's one escaper). */
static void
esc(struct hw *w, const char *s)
{
	if (s != NULL)
		buf_put_xml(w->o, s);
}

static void
put(struct hw *w, const char *s)
{
	buf_puts(w->o, s);
}

/* Escaped, with each '\n' (a repeated front-sheet field) a <br>. */
static void
esc_lines(struct hw *w, const char *s)
{
	const char *nl;

	while ((nl = strchr(s, '\n')) != NULL) {
		char *part = arena_strndup(&w->a, s, (size_t)(nl - s));
		if (part == NULL) {
			w->err = 1;
			return;
		}
		esc(w, part);
		put(w, "<br>");
		s = nl + 1;
	}
	esc(w, s);
}

int
html_href_ok(const char *href)
{
	static const char *const schemes[] = { "https:", "http:", "mailto:",
	    "tel:" };
	size_t i;
	const unsigned char *p;

	if (href == NULL || *href == '\0')
		return 0;
	for (p = (const unsigned char *)href; *p; p++)
		if (*p <= ' ' || *p == '\\' || *p == 0x7F)
			return 0;
	for (i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++)
		if (strncasecmp(href, schemes[i], strlen(schemes[i])) == 0)
			return 1;
	return 0;
}

/*
 * A printed text that starts with a trend arrow: the arrow is a picture
 * of the word (dl_actual_text(), as the PDF's ActualText says), hidden
 * from a screen reader, and the word is there in text, visibly as the
 * PDF prints it or for a screen reader only when the PDF prints none.
 */
static void
put_text(struct hw *w, const char *s)
{
	char said[512];
	const char *a;
	size_t wl;

	if (s == NULL)
		return;
	if ((a = dl_actual_text(s, said, sizeof(said))) == NULL) {
		esc(w, s);
		return;
	}
	/* The arrow is 3 bytes and a space; the rest as printed. */
	put(w, "<span aria-hidden=\"true\">");
	buf_put(w->o, s, 3);
	put(w, "</span> ");
	wl = strcspn(a, " ");
	if (strncmp(s + 4, a, wl) != 0) {
		put(w, "<span class=\"vh\">");
		buf_put(w->o, a, wl);
		put(w, " </span>");
	}
	esc(w, s + 4);
}

/* ---- colours ---- */

static double
lin(unsigned c)
{
	double v = c / 255.0;

	return v <= 0.03928 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
}

static double
luminance(uint32_t c)
{
	return 0.2126 * lin((c >> 16) & 255) + 0.7152 * lin((c >> 8) & 255) +
	    0.0722 * lin(c & 255);
}

/* WCAG 2.1's contrast ratio of two colours. */
static double
contrast(uint32_t a, uint32_t b)
{
	double x = luminance(a), y = luminance(b);

	return x > y ? (x + 0.05) / (y + 0.05) : (y + 0.05) / (x + 0.05);
}

/*
 * fg darkened (towards black) until it reads on bg at AA for body text
 * (4.5:1): a template's colour kept where it passes, the nearest darker
 * shade where it does not, so that the page meets WCAG 2.1 AA whatever
 * the house style chose.
 */
static uint32_t
readable(uint32_t fg, uint32_t bg)
{
	int k;

	for (k = 0; k < 64 && contrast(fg, bg) < 4.5; k++) {
		unsigned r = (fg >> 16) & 255, g = (fg >> 8) & 255, b = fg & 255;
		fg = (uint32_t)(r * 15 / 16) << 16 | (uint32_t)(g * 15 / 16) << 8 |
		    (uint32_t)(b * 15 / 16);
	}
	return fg;
}

/* The same against two grounds (plain and zebra rows). */
static uint32_t
readable2(uint32_t fg, uint32_t bg1, uint32_t bg2)
{
	return readable(readable(fg, bg1), bg2);
}

/* A fill under white text, darkened until the text reads. */
static uint32_t
fill_under_white(uint32_t fill)
{
	return readable(fill, 0xFFFFFF);
}

static void
colour(struct hw *w, uint32_t c)
{
	buf_printf(w->o, "#%06X", (unsigned)(c & 0xFFFFFF));
}

/* A font family name as a CSS string: only letters, digits, spaces and
 * - _ . kept, so a template cannot close the rule. */
static void
family(struct hw *w, const char *f)
{
	put(w, "\"");
	for (; f != NULL && *f; f++)
		if ((*f >= 'a' && *f <= 'z') || (*f >= 'A' && *f <= 'Z') ||
		    (*f >= '0' && *f <= '9') || *f == ' ' || *f == '-' ||
		    *f == '_' || *f == '.')
			buf_putc(w->o, *f);
	put(w, "\"");
}

static void
em(struct hw *w, double v)
{
	buf_printf(w->o, "%.3gem", v);
}

/* ---- the stylesheet, from the template ---- */

/* The front sheet's label column [pt]: its first table of rows'. */
static double
front_label_width(const struct template *t)
{
	int i;

	for (i = 0; i < t->nparts; i++)
		if (t->parts[i].kind == PART_ROWS &&
		    t->parts[i].rows_style != ROWS_STACKED &&
		    t->parts[i].label_width > 0)
			return t->parts[i].label_width;
	return 144;
}

static void
stylesheet(struct hw *w)
{
	const struct template *t = w->t;
	double base = t->size > 0 ? t->size : 12;
	uint32_t zebra = t->t_has_zebra ? t->t_zebra : 0xFFFFFF;
	uint32_t head = t->t_header_fill;
	/* One text colour for every ground it is set on: the page, zebra
	 * rows, header cells, key-figure tiles. */
	uint32_t text = readable(readable2(readable2(t->c_text, 0xFFFFFF,
	    zebra), head, 0xF3F2F1), 0xFFFFFF);
	/* Links: in text, tiles and body rows (a header cell holds none). */
	uint32_t link = readable2(readable2(t->c_link, 0xFFFFFF, 0xF3F2F1),
	    zebra, 0xFFFFFF);
	int i;

	put(w, "<style>\n");
	put(w, ":root{color-scheme:light}\n");
	put(w, "html{font-family:");
	family(w, t->font_body);
	put(w, ",\"Liberation Sans\",Arial,Helvetica,sans-serif;font-size:");
	/* 12pt is a browser's 16px: the template's size, as a share of the
	 * reader's own setting so that it follows their zoom. */
	buf_printf(w->o, "%.4g%%", base / 12 * 100);
	buf_printf(w->o, ";line-height:%.3g;color:", t->line_height > 1 ?
	    t->line_height : 1.4);
	colour(w, text);
	put(w, ";background:#FFFFFF}\n");
	put(w, "body{margin:0 auto;max-width:46em;padding:1em;"
	    "overflow-wrap:break-word}\n");
	put(w, "h1,h2,h3,h4,h5,h6{font-family:");
	family(w, t->font_heading ? t->font_heading : t->font_body);
	put(w, ",\"Liberation Sans\",Arial,Helvetica,sans-serif;"
	    "line-height:1.25}\n");
	/* The title is the template's level-1 heading, a size up. */
	put(w, "h1{font-size:");
	em(w, (t->heading[0].size + 4) / base);
	put(w, ";color:");
	colour(w, readable(t->heading[0].colour, 0xFFFFFF));
	put(w, "}\n");
	for (i = 0; i < 5; i++) {
		const struct tpl_heading *h = &t->heading[i];
		buf_printf(w->o, "h%d{font-size:", i + 2);
		em(w, h->size / base);
		buf_printf(w->o, ";font-weight:%s;font-style:%s;color:",
		    h->bold ? "bold" : "normal", h->italic ? "italic" : "normal");
		colour(w, readable(h->colour, 0xFFFFFF));
		put(w, ";margin:");
		em(w, h->space_before / h->size);
		put(w, " 0 ");
		em(w, h->space_after / h->size);
		if (h->tcase == CASE_UPPER)
			put(w, ";text-transform:uppercase");
		put(w, "}\n");
	}
	put(w, "a{color:");
	colour(w, link);
	put(w, "}\na:focus,.tw:focus,summary:focus{outline:3px solid ");
	colour(w, text);
	put(w, ";outline-offset:2px}\n");
	put(w, "p,ul,ol,dl{margin:0 0 ");
	em(w, t->para_space_after / base);
	put(w, "}\n");
	/* Numbers hang in their own column, as on paper. */
	put(w, ".num{display:inline-block;min-width:3em;text-indent:0;"
	    "padding-right:.5em;box-sizing:border-box}\n");
	put(w, "p.n{padding-left:3em;text-indent:-3em}\n");
	put(w, ".hang>p:not(.n),.hang>ul,.hang>ol,.hang>.fig,.hang>.tw,"
	    ".hang>figure,.hang>.note{margin-left:3em}\n");
	put(w, "h2 .num,h3 .num,h4 .num,h5 .num,h6 .num{min-width:2.5em}\n");
	put(w, "ol.l,ul.l{list-style:none;padding-left:0}\n");
	put(w, "ol.l>li,ul.l>li{padding-left:2.5em;text-indent:-2.5em;"
	    "margin-bottom:");
	em(w, t->list_space_after / base);
	put(w, "}\n.lbl{display:inline-block;min-width:2.5em;text-indent:0;"
	    "padding-right:.25em;box-sizing:border-box}\n");
	put(w, "li>*{text-indent:0}\n");
	put(w, ".vh{position:absolute!important;width:1px;height:1px;"
	    "padding:0;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);"
	    "clip-path:inset(50%);white-space:nowrap;border:0}\n");
	/* Front sheet. */
	put(w, ".front{margin:0 0 1.5em}\n.front dl{display:grid;"
	    "grid-template-columns:minmax(0,");
	em(w, front_label_width(t) / base);
	put(w, ") minmax(0,1fr)}\n.front dt,.front dd{margin:0;padding:.25em .5em;"
	    "border-bottom:1px solid ");
	colour(w, t->t_border);
	put(w, "}\n.front dt{font-weight:bold;background:");
	colour(w, head);
	put(w, "}\n.front dl.plain dt{background:none}\n"
	    ".front dl.plain dt,.front dl.plain dd{border:0;padding-left:0}\n"
	    ".front dl.stacked{display:block}\n"
	    ".front dl.stacked dt,.front dl.stacked dd{border:0;padding:0}\n"
	    ".front dl.stacked dd{margin-bottom:.5em}\n"
	    "@media (max-width:30em){.front dl{display:block}"
	    ".front dd{margin-bottom:.25em}}\n"
	    ".front .b{font-weight:bold}\n.front .h{font-weight:bold;"
	    "font-size:1.3em}\n.front .s{font-size:.85em}\n.front .up{"
	    "text-transform:uppercase}\n.front .ac{text-align:center}\n"
	    ".front .ar{text-align:right}\n.banner{display:flex;flex-wrap:wrap;"
	    "gap:1em;list-style:none;padding:0}\n.banner li{display:flex;"
	    "gap:.5em;align-items:flex-start;font-weight:bold;font-size:.85em}\n"
	    ".mark{width:2em;height:2em;flex:none}\n");
	/* Tables: scroll inside their own box, never the page. */
	put(w, ".tw{overflow-x:auto;max-width:100%;margin:0 0 .25em}\n");
	put(w, "table{border-collapse:collapse;font-size:");
	em(w, (t->t_size > 0 ? t->t_size : base) / base);
	put(w, ";margin:.25em 0}\ncaption{text-align:left;font-weight:bold;"
	    "padding:.25em 0;caption-side:");
	put(w, t->caption_above ? "top" : "bottom");
	/* A table's own caption-position= (table_rows). */
	put(w, "}\ncaption.top{caption-side:top}\ncaption.bottom{"
	    "caption-side:bottom}\nth,td{border:1px solid ");
	colour(w, t->t_border);
	put(w, ";padding:.25em .5em;vertical-align:top;text-align:left}\n"
	    "thead th,thead td{background:");
	colour(w, head);
	put(w, "}\ntbody th{font-weight:normal}\ntr.total>*,tr.em>*"
	    "{font-weight:bold}\ntr.total>*{border-top:2px solid}\n"
	    "td.r{text-align:right;"
	    "white-space:nowrap}\ntd.c{text-align:center}\n");
	if (t->t_has_zebra) {
		put(w, "tbody tr:nth-child(even){background:");
		colour(w, zebra);
		put(w, "}\n");
	}
	put(w, ".m-red{background:");
	colour(w, fill_under_white(t->c_red));
	put(w, ";color:#FFFFFF}\n.m-amber{background:");
	colour(w, t->c_amber);
	put(w, ";color:");
	colour(w, readable(0x0B0C0C, t->c_amber));
	put(w, "}\n.m-green{background:");
	colour(w, fill_under_white(t->c_green));
	put(w, ";color:#FFFFFF}\n.m-good{color:");
	colour(w, readable2(t->c_green, 0xFFFFFF, zebra));
	put(w, "}\n.m-bad{color:");
	colour(w, readable2(t->c_red, 0xFFFFFF, zebra));
	put(w, "}\n");
	/* Figures. */
	put(w, "figure{margin:1em 0}\nfigcaption{font-weight:bold;"
	    "margin:.25em 0}\nsvg,img{max-width:100%;height:auto}\n"
	    "svg{display:block}\n.note{font-size:");
	em(w, t->small_size / base);
	put(w, "}\ndetails{margin:.5em 0}\nsummary{cursor:pointer;color:");
	colour(w, link);
	put(w, "}\n");
	put(w, "ul.kpis{list-style:none;padding:0;display:flex;flex-wrap:wrap;"
	    "gap:.5em}\nul.kpis li{flex:1 1 9em;display:flex;"
	    "flex-direction:column;background:#F3F2F1;border-left:4px solid ");
	colour(w, t->c_accent);
	put(w, ";padding:.5em .75em}\n.kv{order:-1;font-size:1.8em;"
	    "font-weight:bold;color:");
	colour(w, readable(t->c_accent, 0xF3F2F1));
	put(w, "}\n.kc{font-weight:bold}\n.kc.good{color:");
	colour(w, readable(t->c_green, 0xF3F2F1));
	put(w, "}\n.kc.bad{color:");
	colour(w, readable(t->c_red, 0xF3F2F1));
	put(w, "}\nnav{margin:0 0 1em}\n");
	/* On paper: the template's page, tables whole, links spelt out. */
	put(w, "@media print{\n");
	buf_printf(w->o, "@page{size:%.1fpt %.1fpt;margin:%.1fpt %.1fpt %.1fpt "
	    "%.1fpt}\n", t->page_w, t->page_h, t->margin_t, t->margin_r,
	    t->margin_b, t->margin_l);
	buf_printf(w->o, "html{font-size:%.3gpt}\n", base);
	put(w, "body{max-width:none;padding:0}\n.tw{overflow:visible}\n"
	    "nav,summary{display:none}\ndetails>*{display:block}\n"
	    "h1,h2,h3,h4,h5,h6{break-after:avoid}\n"
	    "tr,figure,li{break-inside:avoid}\n"
	    "a[href^=\"http\"]::after{content:\" (\" attr(href) \")\";"
	    "font-size:.85em}\n}\n");
	put(w, "</style>\n");
}

/* ---- the head and the end ---- */

static void
head(struct hw *w, const char *lang, const char *title)
{
	put(w, "<!DOCTYPE html>\n<html lang=\"");
	esc(w, lang && *lang ? lang : "en-GB");
	put(w, "\">\n<head>\n<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\">\n<meta name=\"generator\" content=\"scrutineer "
	    SC_VERSION "\">\n<title>");
	esc(w, title);
	put(w, "</title>\n");
	stylesheet(w);
	put(w, "</head>\n<body>\n");
}

/* ---- inlines ---- */

static void inlines(struct hw *w, const struct node *first,
    const struct node *stop);

static void
inline_one(struct hw *w, const struct node *c)
{
	const char *s;

	switch (c->kind) {
	case N_TEXT:
		esc(w, c->text);
		break;
	case N_BOLD:
		put(w, "<strong>");
		inlines(w, c->first, NULL);
		put(w, "</strong>");
		break;
	case N_ITALIC:
		put(w, "<em>");
		inlines(w, c->first, NULL);
		put(w, "</em>");
		break;
	case N_LINK:
		/* Only where the PDF's links may go: else the words alone. */
		if (html_href_ok(c->href)) {
			put(w, "<a href=\"");
			esc(w, c->href);
			put(w, "\">");
		}
		if (c->first != NULL)
			inlines(w, c->first, NULL);
		else
			esc(w, doc_link_text(c->href));
		if (html_href_ok(c->href))
			put(w, "</a>");
		break;
	case N_BR:
		put(w, "<br>");
		break;
	case N_REF:
		if (c->target == NULL)
			break;
		if ((s = lay_ref_words(&w->a, c->target)) == NULL) {
			w->err = 1;
			break;
		}
		if (c->target->id != NULL) {
			put(w, "<a href=\"#");
			esc(w, c->target->id);
			put(w, "\">");
			esc(w, s);
			put(w, "</a>");
		} else
			esc(w, s);
		break;
	case N_VALUE:
		if (c->text != NULL)
			put_text(w, c->text);
		else if (c->param != NULL)
			esc(w, doc_param(w->doc, c->param));
		break;
	default:
		break;
	}
}

static void
inlines(struct hw *w, const struct node *first, const struct node *stop)
{
	const struct node *c;

	for (c = first; c != NULL && c != stop; c = c->next)
		inline_one(w, c);
}

/* ---- blocks ---- */

static void block(struct hw *w, const struct node *n);

static void
id_attr(struct hw *w, const char *id)
{
	if (id == NULL)
		return;
	put(w, " id=\"");
	esc(w, id);
	put(w, "\"");
}

/* HTML's heading level for a document level: h1 is the report's title. */
static int
hlevel(int level)
{
	return level + 1 > 6 ? 6 : level + 1 < 2 ? 2 : level + 1;
}

static void
heading(struct hw *w, int level, const char *id, const char *label,
    const char *title)
{
	int h = hlevel(level);

	buf_printf(w->o, "<h%d", h);
	id_attr(w, id);
	put(w, ">");
	if (label != NULL) {
		put(w, "<span class=\"num\">");
		esc(w, label);
		put(w, "</span> ");
	}
	esc(w, title);
	buf_printf(w->o, "</h%d>\n", h);
}

/* The caption as the PDF prints it: "Table {n} – " + caption (+ ": "
 * group), the number only when the element has one; for part of parts
 * of a grouped table, as groups says, NULL when that part has none. */
static const char *
caption_part(struct hw *w, const char *pattern, const struct node *n,
    const char *extra, int part, int parts, enum caption_groups groups)
{
	struct buf b;
	const char *r;

	if (n->caption == NULL || !doc_part_captioned(groups, part, parts,
	    doc_caption_above(n, w->t->caption_above)))
		return NULL;
	buf_init(&b);
	doc_part_caption(&b, pattern, n, extra, part, groups);
	r = b.oom ? NULL : arena_strdup(&w->a, b.data ? b.data : "");
	if (r == NULL)
		w->err = 1;
	buf_free(&b);
	return r;
}

static const char *
caption_text(struct hw *w, const char *pattern, const struct node *n,
    const char *extra)
{
	return caption_part(w, pattern, n, extra, 0, 1, GROUPS_NUMBER);
}

static void
paragraph(struct hw *w, const struct node *n)
{
	put(w, "<p");
	id_attr(w, n->id);
	if (n->label != NULL)
		put(w, " class=\"n\"");
	put(w, ">");
	if (n->label != NULL) {
		put(w, "<span class=\"num\">");
		esc(w, n->label);
		put(w, "</span>");
	}
	inlines(w, n->first, NULL);
	put(w, "</p>\n");
}

/* A list item's label: its number as the list's style writes it, or
 * the template's bullet. */
static const char *
item_label(struct hw *w, const struct node *list, int k)
{
	return list->list_style == LIST_BULLET ? w->t->bullet :
	    lay_item_label(&w->a, list, k);
}

/* A list: the PDF's labels as text (a bullet hidden from screen readers,
 * which say "bullet" anyway), the list's own markers off. */
static void
list(struct hw *w, const struct node *n, int depth)
{
	const struct node *it, *c;
	int k = 0, ordered = n->list_style != LIST_BULLET;

	if (depth > 32) {
		w->err = 1;
		return;
	}
	put(w, ordered ? "<ol class=\"l\"" : "<ul class=\"l\"");
	id_attr(w, n->id);
	put(w, ">\n");
	for (it = n->first; it != NULL; it = it->next) {
		const char *lb = item_label(w, n, ++k);
		put(w, "<li");
		id_attr(w, it->id);
		put(w, ">");
		put(w, ordered ? "<span class=\"lbl\">" :
		    "<span class=\"lbl\" aria-hidden=\"true\">");
		esc(w, lb);
		put(w, "</span>");
		for (c = it->first; c != NULL;) {
			if (node_is_inline(c->kind)) {
				const struct node *stop = c;
				while (stop != NULL && node_is_inline(stop->kind))
					stop = stop->next;
				inlines(w, c, stop);
				c = stop;
				continue;
			}
			if (c->kind == N_LIST)
				list(w, c, depth + 1);
			else if (c->kind == N_PARA && c == it->first) {
				/* The item's first paragraph is on its label's
				 * line, as on paper. */
				if (c->id != NULL) {
					put(w, "<span");
					id_attr(w, c->id);
					put(w, ">");
				}
				inlines(w, c->first, NULL);
				if (c->id != NULL)
					put(w, "</span>");
			} else
				block(w, c);
			c = c->next;
		}
		put(w, "</li>\n");
	}
	put(w, ordered ? "</ol>\n" : "</ul>\n");
}

static const char *const mark_class[] = {
	[MARK_NONE] = NULL, [MARK_RED] = "m-red", [MARK_AMBER] = "m-amber",
	[MARK_GREEN] = "m-green", [MARK_GOOD] = "m-good", [MARK_BAD] = "m-bad",
	[MARK_NEUTRAL] = NULL,
};

/* One cell of the body: th scope=row where the PDF has TH Scope=Row
 * (layout/table.c's rule), the formatted text as printed, an empty cell
 * an empty td. */
static void
cell(struct hw *w, const struct tbl *t, const struct tcell *c, int col)
{
	int th = col == 0 && t->ncols > 1 && (!t->has_head || t->row_head);
	const char *cls = (unsigned)c->mark < sizeof(mark_class) /
	    sizeof(mark_class[0]) ? mark_class[c->mark] : NULL;
	const char *al = t->right[col] == 1 ? "r" : t->right[col] == 2 ? "c" :
	    NULL;

	put(w, th ? "<th scope=\"row\"" : "<td");
	if (cls != NULL || al != NULL) {
		put(w, " class=\"");
		if (al != NULL)
			put(w, al);
		if (cls != NULL && al != NULL)
			put(w, " ");
		if (cls != NULL)
			put(w, cls);
		put(w, "\"");
	}
	put(w, ">");
	if (c->inl != NULL)
		inlines(w, c->inl->first, NULL);
	else if (c->text != NULL)
		put_text(w, c->text);
	put(w, th ? "</th>" : "</td>");
}

/* One table over rows[0..nrows), in its scrolling box; n's own
 * caption-position= (if any) says which side its caption is on. A table
 * without a caption is named by its group (a part of a grouped table
 * whose one caption is another part's), else its first header. */
static void
table_rows(struct hw *w, const struct node *n, const char *id,
    const struct tbl *t, const int *rows, int nrows, const char *caption,
    const char *group)
{
	int i, c, k = ++w->ntab;

	put(w, "<div class=\"tw\" role=\"region\" tabindex=\"0\"");
	if (caption != NULL)
		buf_printf(w->o, " aria-labelledby=\"tc%d\"", k);
	else {
		put(w, " aria-label=\"");
		if (group != NULL && *group) {
			put(w, "Table: ");
			esc(w, group);
		} else if (t->has_head && t->ncols > 0 && t->head[0] &&
		    *t->head[0]) {
			put(w, "Table: ");
			esc(w, t->head[0]);
		} else
			put(w, "Table");
		put(w, "\"");
	}
	put(w, ">\n<table");
	id_attr(w, id);
	put(w, ">\n");
	if (caption != NULL) {
		buf_printf(w->o, "<caption id=\"tc%d\"%s>", k,
		    n->caption_pos == CAPTION_HOUSE ? "" : doc_caption_above(n,
		    w->t->caption_above) ? " class=\"top\"" :
		    " class=\"bottom\"");
		esc(w, caption);
		put(w, "</caption>\n");
	}
	if (t->has_head) {
		put(w, "<thead>\n<tr>");
		for (c = 0; c < t->ncols; c++) {
			const char *h = t->head[c];
			/* A column with no header has none to name it by. */
			if (h == NULL || *h == '\0')
				put(w, "<td></td>");
			else {
				put(w, "<th scope=\"col\">");
				esc(w, h);
				put(w, "</th>");
			}
		}
		put(w, "</tr>\n</thead>\n");
	}
	put(w, "<tbody>\n");
	for (i = 0; i < nrows; i++) {
		/* Totals and emphasised rows bold, as the PDF prints them. */
		int kind = t->row_kind ? t->row_kind[rows[i]] : 0;
		put(w, kind & (ROW_TOTAL | ROW_GRAND) ? "<tr class=\"total\">" :
		    kind & ROW_EMPHASIS ? "<tr class=\"em\">" : "<tr>");
		for (c = 0; c < t->ncols; c++)
			cell(w, t, &t->cells[(size_t)rows[i] * (size_t)t->ncols +
			    (size_t)c], c);
		put(w, "</tr>\n");
	}
	put(w, "</tbody>\n</table>\n</div>\n");
	if (t->footnote != NULL) {
		int any = 0;
		for (i = 0; i < nrows && !any; i++)
			for (c = 0; c < t->ncols; c++) {
				const char *tx = t->cells[(size_t)rows[i] *
				    (size_t)t->ncols + (size_t)c].text;
				if (tx != NULL && strcmp(tx, "*") == 0)
					any = 1;
			}
		if (any) {
			put(w, "<p class=\"note\">");
			esc(w, t->footnote);
			put(w, "</p>\n");
		}
	}
}

static int
section_level(const struct node *n)
{
	const struct node *p;

	for (p = n->parent; p != NULL; p = p->parent)
		if (p->kind == N_SECTION || p->kind == N_APPENDIX)
			return p->level + 1;
	return 2;
}

static void
source_note(struct hw *w, const char *source)
{
	if (source == NULL)
		return;
	put(w, "<p class=\"note\">Source: ");
	esc(w, source);
	put(w, "</p>\n");
}

/* A data table (or risk register) as the PDF draws it: one table, or
 * one per group under its own heading, in order of first appearance. */
static void
table(struct hw *w, const struct node *n, const struct tbl *t)
{
	int *rows, i;

	if (t == NULL || t->ncols == 0)
		return;
	if ((rows = malloc((size_t)(t->nrows + 1) * sizeof(*rows))) == NULL) {
		w->err = 1;
		return;
	}
	if (n->group_by == NULL || t->nrows == 0) {
		for (i = 0; i < t->nrows; i++)
			rows[i] = i;
		table_rows(w, n, n->id, t, rows, t->nrows, caption_text(w,
		    w->t->caption_table, n, NULL), NULL);
	} else {
		int *start = malloc((size_t)(t->nrows + 2) * sizeof(*start));
		int level = section_level(n), parts = -1, g;
		if (start == NULL || (parts = tbl_groups(t, 1, rows, start)) < 0)
			w->err = 1;
		for (g = 0; g < parts; g++) {
			const char *name = t->group[rows[start[g]]] ?
			    t->group[rows[start[g]]] : "";
			heading(w, level > 6 ? 6 : level, NULL, NULL, name);
			table_rows(w, n, g == 0 ? n->id : NULL, t,
			    rows + start[g], start[g + 1] - start[g],
			    caption_part(w, w->t->caption_table, n, name, g,
			    parts, (enum caption_groups)w->t->caption_continued),
			    name);
		}
		free(start);
	}
	free(rows);
	source_note(w, n->source);
}

/* The display list's next figure mark, which must be n's: figures are
 * laid out in document order. NULL (an internal error) when it is not. */
static const struct dl_op *
next_figure(struct hw *w, const struct node *n, size_t *page, size_t *op)
{
	const struct dl_op *o;

	if (w->nextfig >= w->nfigs)
		goto lost;
	*page = w->figs[w->nextfig].page;
	*op = w->figs[w->nextfig].op;
	w->nextfig++;
	o = &w->dl->pages[*page].ops[*op];
	if ((n->kind == N_CHART || n->kind == N_KPIS) && o->text != n->caption)
		goto lost;
	if (n->kind == N_RISKS && o->text != NULL)
		goto lost;
	return o;
lost:
	diag_err(w->diags, n->file, n->line, "internal error: the HTML "
	    "edition found no drawing of this %s in the laid-out pages; "
	    "nothing was written; please report it", node_kind_name(n->kind));
	w->err = 1;
	return NULL;
}

/*
 * The drawing of the figure mark at ops[op] of a page, as inline SVG:
 * cairo's SVG (no text from the data in it: text is glyph outlines), its
 * ids made this drawing's own so that several on a page never clash, and
 * role="img" named by its <title> and described by its <desc>.
 */
static void
svg(struct hw *w, size_t page, size_t op, const char *title,
    const char *desc)
{
	const struct dl_page *pg = &w->dl->pages[page];
	struct buf s;
	double box[4];
	size_t end, i;
	const char *p, *q;
	int k = ++w->nsvg;

	end = dl_figure_box(pg, op, box, 0);
	if (end == 0)
		return;
	buf_init(&s);
	/* A little white round the drawing, as `scrutineer charts`. */
	if (cr_svg(pg, op, end, box[0] - 6, box[1] - 6, box[2] + 12,
	    box[3] + 12, w->fs, &s, w->diags) != 0 || s.data == NULL ||
	    (p = strstr(s.data, "<svg")) == NULL ||
	    (q = strchr(p, '>')) == NULL) {
		if (!s.oom && w->diags->errors == 0)
			diag_err(w->diags, NULL, 0, "internal error: cairo drew a "
			    "chart without an <svg> root; nothing was written; "
			    "please report it");
		w->err = 1;
		buf_free(&s);
		return;
	}
	/* The root's start tag: its size in CSS pixels (cairo writes
	 * points, which HTML's svg width and height do not take). */
	buf_printf(w->o, "<svg role=\"img\" aria-labelledby=\"g%d-t g%d-d\" "
	    "width=\"%.0f\" height=\"%.0f\"", k, k, (box[2] + 12) * 4 / 3,
	    (box[3] + 12) * 4 / 3);
	{
		const char *v = strstr(p, "viewBox=\"");
		if (v != NULL && v < q) {
			const char *e = strchr(v + 9, '"');
			if (e != NULL && e < q) {
				put(w, " ");
				buf_put(w->o, v, (size_t)(e + 1 - v));
			}
		}
	}
	put(w, " xmlns=\"http://www.w3.org/2000/svg\" "
	    "xmlns:xlink=\"http://www.w3.org/1999/xlink\">");
	buf_printf(w->o, "\n<title id=\"g%d-t\">", k);
	esc(w, title);
	buf_printf(w->o, "</title>\n<desc id=\"g%d-d\">", k);
	esc(w, desc);
	put(w, "</desc>");
	/* The rest, each id and reference to one given a prefix. */
	for (i = (size_t)(q + 1 - s.data); i < s.len;) {
		static const char *const pat[] = { "id=\"", "href=\"#", "url(#" };
		size_t j, l = 0;
		for (j = 0; j < 3; j++) {
			l = strlen(pat[j]);
			if (strncmp(s.data + i, pat[j], l) == 0)
				break;
		}
		if (j < 3) {
			buf_put(w->o, s.data + i, l);
			buf_printf(w->o, "g%d-", k);
			i += l;
		} else
			buf_putc(w->o, s.data[i++]);
	}
	put(w, "\n");
	buf_free(&s);
}

/* A chart's plotted numbers, formatted as the PDF's data table formats
 * them (layout/figure.c): the value format, else whole numbers grouped
 * and at most two decimals. */
static const char *
chart_value(struct hw *w, const struct node *n, double v)
{
	struct numfmt f;
	struct buf b;
	char err[64];
	const char *r;

	if (!isfinite(v))
		return "";
	buf_init(&b);
	if (n->value_format != NULL && numfmt_parse(n->value_format, &f, err,
	    sizeof(err)) == 0 && !f.is_date)
		numfmt_number(&f, v, &b);
	else if (numfmt_parse(v == floor(v) ? "#,##0" : "#,##0.##", &f, err,
	    sizeof(err)) == 0)
		numfmt_number(&f, v, &b);
	r = b.oom ? NULL : arena_strdup(&w->a, b.data ? b.data : "");
	if (r == NULL)
		w->err = 1;
	buf_free(&b);
	return r ? r : "";
}

/* The chart's data as a table: categories down, series across. */
static void
chart_table(struct hw *w, const struct node *n, const char *cap)
{
	const struct chart_data *d = n->chart;
	int i, k;

	buf_printf(w->o, "<details%s>\n<summary>", n->data_table ? " open" : "");
	put(w, "Data table");
	if (cap != NULL) {
		put(w, ": ");
		esc(w, cap);
	}
	put(w, "</summary>\n<div class=\"tw\" role=\"region\" tabindex=\"0\" "
	    "aria-label=\"Data table");
	if (cap != NULL) {
		put(w, ": ");
		esc(w, cap);
	}
	put(w, "\">\n<table>\n<thead>\n<tr><th scope=\"col\">");
	esc(w, chart_table_head(d, n->y_label, 0));
	put(w, "</th>");
	for (i = 0; i < d->nser; i++) {
		put(w, "<th scope=\"col\">");
		esc(w, chart_table_head(d, n->y_label, i + 1));
		put(w, "</th>");
	}
	put(w, "</tr>\n</thead>\n<tbody>\n");
	for (k = 0; k < d->ncat; k++) {
		put(w, "<tr><th scope=\"row\">");
		esc(w, d->cat[k]);
		put(w, "</th>");
		for (i = 0; i < d->nser; i++) {
			put(w, "<td class=\"r\">");
			esc(w, chart_value(w, n, d->v[(size_t)i * (size_t)d->ncat +
			    (size_t)k]));
			put(w, "</td>");
		}
		put(w, "</tr>\n");
	}
	put(w, "</tbody>\n</table>\n</div>\n</details>\n");
}

static void
figcaption(struct hw *w, const char *cap)
{
	if (cap == NULL)
		return;
	put(w, "<figcaption>");
	esc(w, cap);
	put(w, "</figcaption>\n");
}

static void
chart(struct hw *w, const struct node *n)
{
	const char *cap = caption_text(w, w->t->caption_figure, n, NULL);
	const struct dl_op *o;
	size_t page, op;

	if (n->chart == NULL || (o = next_figure(w, n, &page, &op)) == NULL)
		return;
	put(w, "<figure class=\"fig\"");
	id_attr(w, n->id);
	put(w, ">\n");
	if (doc_caption_above(n, w->t->caption_above))
		figcaption(w, cap);
	svg(w, page, op, cap ? cap : n->caption ? n->caption : "Chart",
	    o->alt);
	if (!doc_caption_above(n, w->t->caption_above))
		figcaption(w, cap);
	source_note(w, n->source);
	chart_table(w, n, cap);
	put(w, "</figure>\n");
}

/* Key-figure tiles as a list: label, value, and the change in words
 * (up, down or level, better or worse), not in colour alone. */
static void
kpis(struct hw *w, const struct node *n)
{
	const char *cap = caption_text(w, w->t->caption_figure, n, NULL);
	size_t page, op;
	int k;

	if (n->kpi == NULL || n->nkpi == 0 ||
	    next_figure(w, n, &page, &op) == NULL)
		return;
	put(w, "<figure class=\"fig\"");
	id_attr(w, n->id);
	put(w, ">\n");
	if (doc_caption_above(n, w->t->caption_above))
		figcaption(w, cap);
	put(w, "<ul class=\"kpis\">\n");
	for (k = 0; k < n->nkpi; k++) {
		const struct kpi *q = &n->kpi[k];
		put(w, "<li><span class=\"kl\">");
		esc(w, q->label);
		put(w, "</span> <span class=\"kv\">");
		esc(w, q->value);
		put(w, "</span>");
		if (q->change_text != NULL) {
			const char *ct = q->change_text[0] == '+' ||
			    q->change_text[0] == '-' ? q->change_text + 1 :
			    q->change_text;
			buf_printf(w->o, " <span class=\"kc%s\"><span "
			    "aria-hidden=\"true\">%s</span> %s ", q->good > 0 ?
			    " good" : q->good < 0 ? " bad" : "", q->change > 0 ?
			    "\xe2\x86\x91" : q->change < 0 ? "\xe2\x86\x93" :
			    "\xe2\x86\x92", q->change > 0 ? "up" : q->change < 0 ?
			    "down" : "level");
			esc(w, ct);
			put(w, q->good > 0 ? " (better)" : q->good < 0 ?
			    " (worse)" : "");
			put(w, "</span>");
		}
		put(w, "</li>\n");
	}
	put(w, "</ul>\n");
	if (!doc_caption_above(n, w->t->caption_above))
		figcaption(w, cap);   /* where the PDF has it */
	source_note(w, n->source);
	put(w, "</figure>\n");
}

static void
risks(struct hw *w, const struct node *n)
{
	const struct dl_op *o;
	size_t page, op;

	table(w, n, n->tbl);
	if (!n->matrix || n->risk_l == NULL)
		return;
	if ((o = next_figure(w, n, &page, &op)) == NULL)
		return;
	put(w, "<figure class=\"fig\">\n");
	svg(w, page, op, "Risk matrix", o->alt);
	put(w, "</figure>\n");
}

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* A picture embedded whole (data: URI): the page fetches nothing. */
static void
image(struct hw *w, const struct node *n)
{
	unsigned char *data;
	size_t len, i;
	size_t page, op;

	if (n->img_path == NULL || n->img_w <= 0 || n->img_h <= 0 ||
	    next_figure(w, n, &page, &op) == NULL)
		return;
	if ((data = path_slurp(n->img_path, "image", HTML_IMAGE_MAX, &len,
	    w->diags, n->file, n->line)) == NULL) {
		w->err = 1;
		return;
	}
	put(w, "<figure class=\"fig\"");
	id_attr(w, n->id);
	buf_printf(w->o, ">\n<img width=\"%d\" height=\"%d\" alt=\"", n->img_w,
	    n->img_h);
	esc(w, n->alt ? n->alt : "");
	buf_printf(w->o, "\" src=\"data:image/%s;base64,", n->img_kind == 2 ?
	    "jpeg" : "png");
	for (i = 0; i < len; i += 3) {
		unsigned v = (unsigned)data[i] << 16 | (i + 1 < len ?
		    (unsigned)data[i + 1] << 8 : 0) | (i + 2 < len ? data[i + 2] :
		    0);
		buf_putc(w->o, b64[v >> 18 & 63]);
		buf_putc(w->o, b64[v >> 12 & 63]);
		buf_putc(w->o, i + 1 < len ? b64[v >> 6 & 63] : '=');
		buf_putc(w->o, i + 2 < len ? b64[v & 63] : '=');
	}
	put(w, "\">\n</figure>\n");
	free(data);
}

static void
section(struct hw *w, const struct node *n)
{
	const struct node *c;
	const char *title = n->title;

	put(w, n->hang ? "<section class=\"hang\"" : "<section");
	if (n->kind == N_APPENDIX) {
		/* "Appendix {n} – {title}", as the PDF heads it. */
		struct buf b;
		buf_init(&b);
		doc_appendix_heading(&b, w->t->appendix_heading, n);
		title = b.oom ? NULL : arena_strdup(&w->a, b.data ? b.data : "");
		buf_free(&b);
		if (title == NULL) {
			w->err = 1;
			return;
		}
		put(w, ">\n");
		heading(w, 1, n->id, NULL, title);
	} else {
		put(w, ">\n");
		if (title != NULL)
			heading(w, n->level, n->id, n->label, title);
	}
	for (c = n->first; c != NULL; c = c->next)
		block(w, c);
	put(w, "</section>\n");
}

static void
block(struct hw *w, const struct node *n)
{
	if (w->err)
		return;
	switch (n->kind) {
	case N_SECTION:
	case N_APPENDIX:
		section(w, n);
		break;
	case N_PARA:
		paragraph(w, n);
		break;
	case N_LIST:
		list(w, n, 0);
		break;
	case N_TABLE:
		table(w, n, n->tbl);
		break;
	case N_RISKS:
		risks(w, n);
		break;
	case N_CHART:
		chart(w, n);
		break;
	case N_KPIS:
		kpis(w, n);
		break;
	case N_IMAGE:
		image(w, n);
		break;
	default:
		break;
	}
}

/* ---- the front sheet: the template's parts, as the PDF's ---- */

/* A front-sheet pattern expanded; NULL when it is to be left out. */
static const char *
expand(struct hw *w, const char *pat)
{
	struct buf b;
	const char *r = NULL;
	int empty;

	buf_init(&b);
	empty = lay_meta_expand(w->doc, w->t, &b, pat ? pat : "");
	if (b.oom)
		w->err = 1;
	else if (!empty)
		r = arena_strdup(&w->a, b.data ? b.data : "");
	if (!empty && r == NULL)
		w->err = 1;
	buf_free(&b);
	return r;
}

static void
front_sheet(struct hw *w)
{
	static const char *const style_class[] = {
		[STYLE_PLAIN] = "", [STYLE_BOLD] = "b", [STYLE_HEADING] = "h",
		[STYLE_TITLE] = "h", [STYLE_SMALL] = "s",
	};
	const struct template *t = w->t;
	int i, r, m;

	put(w, "<div class=\"front\">\n");
	for (i = 0; i < t->nparts; i++) {
		const struct tpl_part *p = &t->parts[i];
		const char *v;
		switch (p->kind) {
		case PART_LINE:
			if ((v = expand(w, p->text)) == NULL)
				break;
			buf_printf(w->o, "<p class=\"%s%s%s\">",
			    (unsigned)p->style < 5 ? style_class[p->style] : "",
			    p->tcase == CASE_UPPER ? " up" : "", p->align ==
			    ALIGN_CENTER ? " ac" : p->align == ALIGN_RIGHT ? " ar" :
			    "");
			esc_lines(w, v);
			put(w, "</p>\n");
			break;
		case PART_ROWS: {
			int any = 0;
			for (r = 0; r < p->nrows; r++) {
				if ((v = expand(w, p->rows[r].value)) == NULL)
					continue;
				if (!any++)
					buf_printf(w->o, "<dl class=\"%s\">\n",
					    p->rows_style == ROWS_TABLE ? "table" :
					    p->rows_style == ROWS_STACKED ? "stacked" :
					    "plain");
				put(w, "<dt>");
				esc(w, p->rows[r].label);
				put(w, "</dt><dd>");
				esc_lines(w, v);
				put(w, "</dd>\n");
			}
			if (any)
				put(w, "</dl>\n");
			break;
		}
		case PART_BANNER:
			put(w, "<ul class=\"banner\">\n");
			for (m = 0; m < p->nmarks; m++) {
				const struct tpl_mark *mk = &p->marks[m];
				const char *s;
				/* The mark is decoration (an Artifact in the PDF). */
				put(w, "<li><svg class=\"mark\" aria-hidden=\"true\" "
				    "viewBox=\"0 0 10 10\">");
				put(w, mk->shape == SHAPE_CIRCLE ?
				    "<circle cx=\"5\" cy=\"5\" r=\"5\" fill=\"" :
				    mk->shape == SHAPE_BAR ?
				    "<rect y=\"4\" width=\"10\" height=\"2.5\" fill=\"" :
				    "<rect width=\"10\" height=\"10\" fill=\"");
				colour(w, mk->colour);
				put(w, "\"/></svg><span>");
				for (s = mk->text ? mk->text : ""; *s; s++) {
					if (*s == '|')
						put(w, "<br>");
					else {
						char one[2] = { *s, 0 };
						esc(w, one);
					}
				}
				if (mk->tagline) {
					put(w, "<br><em>");
					esc(w, mk->tagline);
					put(w, "</em>");
				}
				put(w, "</span></li>\n");
			}
			put(w, "</ul>\n");
			break;
		case PART_RULE:
			put(w, "<hr>\n");
			break;
		}
	}
	put(w, "</div>\n");
}

static void
contacts(struct hw *w, const struct node *cs)
{
	const struct node *c;

	put(w, "<section>\n");
	heading(w, 1, NULL, NULL, cs->title ? cs->title :
	    w->t->contacts_title);
	for (c = cs->first; c != NULL; c = c->next) {
		put(w, "<p><strong>");
		esc(w, c->name ? c->name : "");
		put(w, "</strong>");
		if (c->role) {
			put(w, "<br>");
			esc(w, c->role);
		}
		if (c->phone) {
			put(w, "<br>Tel: ");
			esc(w, c->phone);
		}
		if (c->email) {
			put(w, "<br>Email: <a href=\"mailto:");
			esc(w, c->email);
			put(w, "\">");
			esc(w, c->email);
			put(w, "</a>");
		}
		put(w, "</p>\n");
	}
	put(w, "</section>\n");
}

/* The display list's level-1 Figure marks, in page order. */
static int
collect_figures(struct hw *w)
{
	size_t p, i, n = 0;

	for (p = 0; p < w->dl->npages; p++)
		for (i = 0; i < w->dl->pages[p].n; i++) {
			const struct dl_op *o = &w->dl->pages[p].ops[i];
			n += o->kind == DL_BEGIN && o->st == ST_FIGURE &&
			    o->level == 1;
		}
	if (n == 0)
		return 0;
	if ((w->figs = calloc(n, sizeof(*w->figs))) == NULL)
		return -1;
	for (p = 0; p < w->dl->npages; p++)
		for (i = 0; i < w->dl->pages[p].n; i++) {
			const struct dl_op *o = &w->dl->pages[p].ops[i];
			if (o->kind == DL_BEGIN && o->st == ST_FIGURE &&
			    o->level == 1) {
				w->figs[w->nfigs].page = p;
				w->figs[w->nfigs++].op = i;
			}
		}
	return 0;
}

static int
finish(struct hw *w, int rc)
{
	if (rc == 0 && (w->err || w->o->oom || w->a.oom)) {
		if (w->diags->errors == 0)
			diag_oom(w->diags, w->doc ? w->doc->file : NULL, 0,
			    "out of memory writing the HTML edition");
		rc = -1;
	}
	free(w->figs);
	arena_free(&w->a);
	return rc;
}

int
html_report(struct buf *out, const struct doc *doc, const struct template *t,
    const struct dl_doc *dl, struct fontset *fs, const struct html_page *pg,
    struct diags *diags)
{
	struct hw w;
	const struct node *n;
	const char *title = doc_meta(doc, "title");
	const char *lang = dl->lang ? dl->lang : doc->lang ? doc->lang : t->lang;

	memset(&w, 0, sizeof(w));
	w.o = out;
	w.doc = doc;
	w.t = t;
	w.dl = dl;
	w.fs = fs;
	w.diags = diags;
	arena_init(&w.a);
	if (collect_figures(&w) != 0)
		return finish(&w, -1);
	if (title == NULL || *title == '\0')
		title = "Report";
	head(&w, lang, title);
	if (pg != NULL && pg->up_href != NULL) {
		put(&w, "<nav aria-label=\"Agenda\"><a href=\"");
		esc(&w, pg->up_href);
		put(&w, "\">");
		esc(&w, pg->up_text ? pg->up_text : "Agenda");
		put(&w, "</a></nav>\n");
	}
	put(&w, "<main>\n<h1>");
	esc(&w, title);
	put(&w, "</h1>\n");
	front_sheet(&w);
	/* Continuous numbering hangs every paragraph of the body. */
	put(&w, t->para_numbering == PARANUM_CONTINUOUS ?
	    "<div class=\"hang\">\n" : "<div>\n");
	for (n = doc->body->first; n != NULL && !w.err; n = n->next)
		block(&w, n);
	put(&w, "</div>\n");
	if (doc->contacts != NULL && doc->contacts->first != NULL && !w.err)
		contacts(&w, doc->contacts);
	for (n = doc->appendices->first; n != NULL && !w.err; n = n->next)
		block(&w, n);
	put(&w, "</main>\n</body>\n</html>\n");
	return finish(&w, w.err ? -1 : 0);
}

int
html_agenda(struct buf *out, const struct html_agenda *a,
    const struct template *t, struct diags *diags)
{
	struct hw w;
	size_t i;

	memset(&w, 0, sizeof(w));
	w.o = out;
	w.t = t;
	w.diags = diags;
	arena_init(&w.a);
	head(&w, a->lang, a->title);
	put(&w, "<main>\n<h1>");
	esc(&w, a->title);
	put(&w, "</h1>\n");
	if (a->nfields > 0) {
		put(&w, "<div class=\"front\">\n<dl class=\"table\">\n");
		for (i = 0; i < a->nfields; i++) {
			put(&w, "<dt>");
			esc(&w, a->fields[i].label);
			put(&w, "</dt><dd>");
			esc_lines(&w, a->fields[i].value);
			put(&w, "</dd>\n");
		}
		put(&w, "</dl>\n</div>\n");
	}
	put(&w, "<h2>Agenda</h2>\n<ol class=\"l\">\n");
	for (i = 0; i < a->nitems; i++) {
		const struct html_item *it = &a->items[i];
		put(&w, "<li><span class=\"lbl\">");
		esc(&w, it->number);
		put(&w, ".</span>");
		if (it->href != NULL) {
			put(&w, "<a href=\"");
			esc(&w, it->href);
			put(&w, "\">");
			esc(&w, it->title);
			put(&w, "</a>");
		} else
			esc(&w, it->title);
		if (it->note != NULL) {
			put(&w, "<br><span class=\"note\">");
			esc_lines(&w, it->note);
			put(&w, "</span>");
		}
		put(&w, "</li>\n");
	}
	put(&w, "</ol>\n");
	for (i = 0; i < a->nblocks; i++) {
		put(&w, "<h2>");
		esc(&w, a->blocks[i].label);
		put(&w, "</h2>\n<p>");
		esc_lines(&w, a->blocks[i].value ? a->blocks[i].value : "");
		put(&w, "</p>\n");
	}
	put(&w, "</main>\n</body>\n</html>\n");
	return finish(&w, 0);
}

int
html_check_dir(const char *dir, struct diags *diags)
{
	return path_check_dir(dir, "--html", "the HTML edition is written into",
	    diags);
}

struct fill_arg {
	const struct buf *html;
};

static int
fill_html(const char *tmp, const char *name, void *arg, struct diags *diags)
{
	const struct fill_arg *f = arg;
	size_t off = 0;
	int fd = open(tmp, O_WRONLY | O_TRUNC | O_CLOEXEC | O_NOFOLLOW), rc = 0;

	if (fd < 0) {
		diag_err(diags, NULL, 0, "%s: cannot write: %s", name,
		    strerror(errno));
		return -1;
	}
	while (off < f->html->len) {
		ssize_t n = write(fd, f->html->data + off, f->html->len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			diag_err(diags, NULL, 0, "%s: cannot write: %s", name,
			    strerror(errno));
			rc = -1;
			break;
		}
		off += (size_t)n;
	}
	if (close(fd) != 0 && rc == 0) {
		diag_err(diags, NULL, 0, "%s: cannot write: %s", name,
		    strerror(errno));
		rc = -1;
	}
	return rc;
}

int
html_write(const char *dir, const char *name, const struct buf *html,
    const struct path_inputs *inputs, volatile char *temp,
    struct diags *diags)
{
	char path[PATH_MAX + 64];
	struct fill_arg f = { html };
	size_t n = strlen(dir);

	if (html->oom || html->data == NULL) {
		diag_oom(diags, NULL, 0, "out of memory writing the HTML edition");
		return SC_EINTERNAL;
	}
	if (snprintf(path, sizeof(path), "%s%s%s", dir, n > 0 &&
	    dir[n - 1] == '/' ? "" : "/", name) >= (int)sizeof(path)) {
		diag_err(diags, NULL, 0, "%s: the folder's name is too long", dir);
		return SC_EUSAGE;
	}
	return output_write(path, inputs, temp, fill_html, &f, diags);
}
