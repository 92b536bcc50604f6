#include "displaylist.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../util/buf.h"
#include "backend.h"

void
dl_init(struct dl_doc *d, struct arena *arena)
{
	memset(d, 0, sizeof(*d));
	d->arena = arena;
	d->source_date = -1;
	d->pdfa_part = 2;
	d->pdfa_conformance = 'A';
	d->pdfua = 1;
}

void
dl_free(struct dl_doc *d)
{
	size_t i;

	for (i = 0; i < d->npages; i++)
		free(d->pages[i].ops);
	free(d->pages);
	d->pages = NULL;
	d->npages = d->cap = 0;
}

struct dl_page *
dl_add_page(struct dl_doc *d, double w, double h)
{
	struct dl_page *p;

	if (d->npages == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 16;
		p = realloc(d->pages, cap * sizeof(*p));
		if (p == NULL)
			return NULL;
		d->pages = p;
		d->cap = cap;
	}
	p = &d->pages[d->npages++];
	memset(p, 0, sizeof(*p));
	p->width = w;
	p->height = h;
	return p;
}

int
dl_reserve(struct dl_page *p, size_t extra)
{
	struct dl_op *v;

	if (p->cap - p->n >= extra)
		return 0;
	if (extra > SIZE_MAX / sizeof(*v) - p->n)
		return -1;
	v = realloc(p->ops, (p->n + extra) * sizeof(*v));
	if (v == NULL)
		return -1;
	p->ops = v;
	p->cap = p->n + extra;
	return 0;
}

struct dl_op *
dl_push(struct dl_page *p, const struct dl_op *op)
{
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 256;
		struct dl_op *v = realloc(p->ops, cap * sizeof(*v));
		if (v == NULL)
			return NULL;
		p->ops = v;
		p->cap = cap;
	}
	p->ops[p->n] = *op;
	return &p->ops[p->n++];
}

const char *
dl_struct_name(enum dl_struct s)
{
	static const char *const names[ST_STRUCT_MAX] = {
		[ST_H] = "H", [ST_P] = "P", [ST_L] = "L", [ST_LI] = "LI",
		[ST_LBL] = "Lbl", [ST_LBODY] = "LBody", [ST_TABLE] = "Table",
		[ST_THEAD] = "THead", [ST_TBODY] = "TBody",
		[ST_TR] = "TR", [ST_TH] = "TH", [ST_TD] = "TD",
		[ST_FIGURE] = "Figure", [ST_CAPTION] = "Caption",
		[ST_LINK] = "Link", [ST_SECT] = "Sect",
		[ST_ARTIFACT] = "Artifact",
	};
	return (s >= 0 && s < ST_STRUCT_MAX) ? names[s] : "?";
}

size_t
dl_figure_box(const struct dl_page *pg, size_t i, double box[4],
    int images)
{
	const struct dl_op *o = &pg->ops[i];
	double x0 = 1e9, y0 = 1e9, x1 = -1e9, y1 = -1e9;
	size_t e = i + 1;
	int depth = 1;

	for (; e < pg->n && depth > 0; e++) {
		const struct dl_op *c = &pg->ops[e];
		double cx0 = c->x, cy0 = c->y, cx1 = c->x, cy1 = c->y;
		if (c->kind == DL_BEGIN)
			depth++;
		else if (c->kind == DL_END)
			depth--;
		else if (c->kind == DL_IMAGE && !images)
			return 0;
		if (c->kind == DL_TEXT) {
			cy0 = c->y - c->size;
			cx1 = c->x + c->w;
			cy1 = c->y + c->size * 0.3;
		} else if (c->kind == DL_RECT || c->kind == DL_IMAGE) {
			cx1 = c->x + c->w;
			cy1 = c->y + c->h;
		} else if (c->kind == DL_LINE) {
			cx1 = c->x + c->w;
			cy1 = c->y + c->h;
		} else if (c->kind == DL_PATH) {
			unsigned k;
			/* points are from the op's (x, y) */
			for (k = 0; k < c->nsegs; k++) {
				double px = c->x + c->segs[k].x[0];
				double py = c->y + c->segs[k].y[0];
				if (c->segs[k].op == PATH_CLOSE)
					continue;
				cx0 = px < cx0 ? px : cx0;
				cx1 = px > cx1 ? px : cx1;
				cy0 = py < cy0 ? py : cy0;
				cy1 = py > cy1 ? py : cy1;
			}
		} else
			continue;
		x0 = cx0 < x0 ? cx0 : x0;
		y0 = cy0 < y0 ? cy0 : y0;
		x1 = cx1 > x1 ? cx1 : x1;
		y1 = cy1 > y1 ? cy1 : y1;
		x0 = cx1 < x0 ? cx1 : x0;
		y0 = cy1 < y0 ? cy1 : y0;
	}
	if (o->w > 0 && o->h > 0) {
		box[0] = o->x;
		box[1] = o->y;
		box[2] = o->w;
		box[3] = o->h;
	} else if (x1 >= x0 && y1 >= y0) {
		box[0] = x0;
		box[1] = y0;
		box[2] = x1 - x0;
		box[3] = y1 - y0;
	} else
		return 0;
	return e;
}

const char *
dl_actual_text(const char *text, char *out, size_t n)
{
	static const struct { const char *arrow, *word; } arrows[] = {
		{ "\xe2\x86\x91 ", "up" },      /* U+2191 */
		{ "\xe2\x86\x93 ", "down" },    /* U+2193 */
		{ "\xe2\x86\x92 ", "level" },   /* U+2192 */
	};
	size_t i, wl;
	const char *rest;

	if (text == NULL)
		return NULL;
	for (i = 0; i < sizeof(arrows) / sizeof(arrows[0]); i++) {
		if (strncmp(text, arrows[i].arrow, 4) != 0)
			continue;
		rest = text + 4;
		wl = strlen(arrows[i].word);
		/* The arrow alone, drawn larger than the word after it in
		 * a run of its own (layout/table.c): that run says it. */
		if (*rest == '\0') {
			snprintf(out, n, "%s", "");
			return out;
		}
		/* The word is printed: the arrow says nothing more. */
		if (strncmp(rest, arrows[i].word, wl) == 0 &&
		    (rest[wl] == '\0' || rest[wl] == ' '))
			snprintf(out, n, "%s", rest);
		else
			snprintf(out, n, "%s %s", arrows[i].word, rest);
		return out;
	}
	return NULL;
}

/* A length to 0.01 pt. A tiny negative prints as 0.00, not -0.00, so
 * a dump does not change with the sign of a rounding error. */
static void
dump_num(struct buf *b, double v)
{
	if (isnan(v)) {
		buf_puts(b, "nan");
		return;
	}
	v = round(v * 100) / 100;
	if (v == 0)
		v = 0;
	buf_printf(b, "%.2f", v);
}

/* " x y" (or " x y w h"), each a dump_num. */
static void
dump_nums(struct buf *b, int n, double a, double c, double d, double e)
{
	const double v[4] = { a, c, d, e };
	int i;

	for (i = 0; i < n; i++) {
		buf_putc(b, ' ');
		dump_num(b, v[i]);
	}
}

/* A string in double quotes, with quotes, backslashes and controls
 * escaped so that one op stays one line. */
static void
dump_str(struct buf *b, const char *s)
{
	buf_putc(b, '"');
	for (; s != NULL && *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\') {
			buf_putc(b, '\\');
			buf_putc(b, (char)c);
		} else if (c == '\n')
			buf_puts(b, "\\n");
		else if (c < 0x20 || c == 0x7F)
			buf_printf(b, "\\x%02X", c);
		else
			buf_putc(b, (char)c);
	}
	buf_putc(b, '"');
}

/* The stroke as the backends draw it: 0.75 pt when the op leaves the
 * width unset. */
static void
dump_stroke(struct buf *b, const struct dl_op *o)
{
	buf_printf(b, " stroke=#%06X lw=", (unsigned)(o->colour & 0xFFFFFF));
	dump_num(b, o->line_width > 0 ? o->line_width : 0.75);
	if (o->dash != 0)
		buf_puts(b, o->dash == 1 ? " dashed" : " dotted");
}

static void
dump_paint(struct buf *b, const struct dl_op *o)
{
	if (o->do_fill)
		buf_printf(b, " fill=#%06X", (unsigned)(o->fill & 0xFFFFFF));
	if (o->do_stroke)
		dump_stroke(b, o);
}

/* Path segments in page coordinates: M x y, L x y, C x1 y1 x2 y2 x y, Z. */
static void
dump_segs(struct buf *b, const struct dl_op *o)
{
	unsigned i;

	buf_puts(b, " :");
	for (i = 0; i < o->nsegs && o->segs != NULL; i++) {
		const struct dl_path_seg *sg = &o->segs[i];
		int k, n = sg->op == PATH_CURVE ? 3 : sg->op == PATH_CLOSE ? 0 : 1;
		buf_puts(b, sg->op == PATH_MOVE ? " M" : sg->op == PATH_LINE ?
		    " L" : sg->op == PATH_CURVE ? " C" : " Z");
		for (k = 0; k < n; k++)
			dump_nums(b, 2, o->x + sg->x[k], o->y + sg->y[k], 0, 0);
	}
}

/* The attributes a structure element carries into the PDF. */
static void
dump_begin(struct buf *b, const struct dl_op *o)
{
	if (o->st == ST_H)
		buf_printf(b, "begin H%d", o->level);
	else
		buf_printf(b, "begin %s", dl_struct_name(o->st));
	/* As the PDF writer reads it: level 1 a column header, else a row
	 * header. */
	if (o->st == ST_TH)
		buf_puts(b, o->level == 1 ? " scope=Column" : " scope=Row");
	if (o->anchor != NULL)
		buf_printf(b, " id=%s", o->anchor);
	if (o->st == ST_FIGURE && (o->w != 0 || o->h != 0)) {
		buf_puts(b, " box");
		dump_nums(b, 4, o->x, o->y, o->w, o->h);
	}
	if (o->alt != NULL) {
		buf_puts(b, " alt=");
		dump_str(b, o->alt);
	}
}

/* One op, without its new line. */
static void
dump_op(struct buf *b, const struct dl_op *o)
{
	const char *s;
	unsigned i, notdef = 0;

	switch (o->kind) {
	case DL_TEXT:
		buf_puts(b, "text");
		dump_nums(b, 2, o->x, o->y, 0, 0);
		buf_printf(b, " f%d ", o->font);
		dump_num(b, o->size);
		buf_printf(b, " #%06X w=", (unsigned)(o->colour & 0xFFFFFF));
		dump_num(b, o->w);
		if (o->word_space != 0) {
			buf_puts(b, " ws=");
			dump_num(b, o->word_space);
		}
		for (i = 0; i < o->nglyphs && o->gid != NULL; i++)
			notdef += o->gid[i] == 0;
		if (notdef > 0)
			buf_printf(b, " notdef=%u", notdef);
		buf_putc(b, ' ');
		dump_str(b, o->text);
		break;
	case DL_LINE:
		buf_puts(b, "line");
		dump_nums(b, 4, o->x, o->y, o->x + o->w, o->y + o->h);
		dump_stroke(b, o);
		break;
	case DL_RECT:
		buf_puts(b, "rect");
		dump_nums(b, 4, o->x, o->y, o->w, o->h);
		dump_paint(b, o);
		break;
	case DL_PATH:
		buf_puts(b, "path");
		dump_paint(b, o);
		dump_segs(b, o);
		break;
	case DL_IMAGE:
		/* The file's name only: where the tree is checked out is not
		 * part of the layout. */
		s = o->uri != NULL ? strrchr(o->uri, '/') : NULL;
		buf_puts(b, "image");
		dump_nums(b, 4, o->x, o->y, o->w, o->h);
		buf_printf(b, " %s %s", o->level == 2 ? "jpeg" : "png",
		    s != NULL ? s + 1 : o->uri != NULL ? o->uri : "");
		break;
	case DL_LINK:
		buf_puts(b, "link");
		dump_nums(b, 4, o->x, o->y, o->w, o->h);
		if (o->uri != NULL)
			buf_printf(b, " uri=%s", o->uri);
		if (o->anchor != NULL)
			buf_printf(b, " dest=%s", o->anchor);
		break;
	case DL_ANCHOR:
		buf_puts(b, "anchor");
		dump_nums(b, 1, o->y, 0, 0, 0);
		buf_printf(b, " %s", o->anchor != NULL ? o->anchor : "");
		if (o->level > 0) {
			buf_printf(b, " outline=%d ", o->level);
			dump_str(b, o->title);
		}
		break;
	case DL_BEGIN:
		dump_begin(b, o);
		break;
	case DL_END:
		/* dl_dump() names a heading's end with its level. */
		buf_printf(b, "end %s", dl_struct_name(o->st));
		break;
	default:
		buf_printf(b, "op%d", o->kind);
		break;
	}
	if (o->order == DL_ORDER_MARK)
		buf_puts(b, " read-after-float");
	else if (o->order == DL_ORDER_BEFORE)
		buf_puts(b, " read-before-text");
}

void
dl_dump(const struct dl_doc *d, struct buf *out)
{
	enum { DEPTH = 64 };
	unsigned char open[DEPTH];
	short level[DEPTH];
	size_t i, j;
	int depth = 0, k;

	buf_puts(out, "doc lang=");
	buf_puts(out, d->lang != NULL ? d->lang : "-");
	buf_puts(out, " title=");
	dump_str(out, d->title);
	buf_puts(out, " author=");
	dump_str(out, d->author);
	buf_puts(out, " subject=");
	dump_str(out, d->subject);
	buf_putc(out, '\n');
	for (k = 0; k < d->nfonts && d->font_names != NULL; k++)
		buf_printf(out, "font f%d %s\n", k, d->font_names[k] ?
		    d->font_names[k] : "?");
	for (i = 0; i < d->npages; i++) {
		buf_printf(out, "page %zu ", i + 1);
		dump_num(out, d->pages[i].width);
		buf_putc(out, 'x');
		dump_num(out, d->pages[i].height);
		buf_putc(out, '\n');
		for (j = 0; j < d->pages[i].n; j++) {
			const struct dl_op *o = &d->pages[i].ops[j];
			int mismatch = 0;
			/* Indented by structure depth, so nesting can be read
			 * and a missing end shows. */
			if (o->kind == DL_END) {
				if (depth == 0)
					mismatch = 1;
				else if (--depth < DEPTH && open[depth] != o->st)
					mismatch = 1;
			}
			for (k = 0; k <= depth; k++)
				buf_puts(out, "  ");
			dump_op(out, o);
			if (o->kind == DL_END && o->st == ST_H && !mismatch &&
			    depth < DEPTH)
				buf_printf(out, "%d", level[depth]);
			buf_puts(out, mismatch ? " (does not match its begin)\n" :
			    "\n");
			if (o->kind == DL_BEGIN) {
				if (depth < DEPTH) {
					open[depth] = o->st;
					level[depth] = o->level;
				}
				depth++;
			}
		}
	}
	if (depth > 0)
		buf_printf(out, "unclosed %d\n", depth);
}

/* A long table holds ops by the hundred thousand: keep them small. */
_Static_assert(sizeof(struct dl_op) <= 104, "struct dl_op has grown");

int
backend_write(const struct backend *b, struct dl_doc *d, struct fontset *fs,
    const struct backend_out *o, struct diags *diags)
{
	void *st = b->begin(d, fs, o, diags);
	size_t p;
	int rc = 0;

	if (st == NULL)
		return -1;
	for (p = 0; rc == 0 && p < d->npages; p++)
		rc = b->page(st, p);
	if (b->end(st, rc == 0) != 0 && rc == 0)
		rc = -1;
	return rc;
}
