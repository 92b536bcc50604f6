/*
 * blocks.c — the document's blocks onto the vertical list: the front
 * sheet, sections and their headings, paragraphs, lists, appendices and
 * contacts. Also lay_document(), which runs the whole typesetter.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lay_int.h"
#include "linebreak.h"
#include "../data/numfmt.h"
#include "../util/buf.h"
#include "../util/utf8.h"

/* The part of a heading's space above it that a full page may take
 * back (flow.c, squeeze()). */
#define HEAD_SHRINK (1.0 / 3)

/* A meta field as the front sheet prints it (text.c), repeated fields
 * joined with sep (a running header's "; "). */
int
lay_field(struct lay *L, struct buf *b, const char *key, const char *sep)
{
	return lay_meta_field(L->doc, L->t, b, key, sep);
}

/* Upper-cases ASCII, Latin-1 and Latin Extended-A letters. */
static const char *
upper(struct lay *L, const char *s)
{
	struct buf b;
	size_t i = 0, n = strlen(s), len;
	const char *r;

	buf_init(&b);
	while (i < n) {
		int32_t cp = utf8_decode(s + i, n - i, &len);
		char enc[4];
		if (cp >= 'a' && cp <= 'z')
			cp -= 32;
		else if (cp >= 0xE0 && cp <= 0xFE && cp != 0xF7)
			cp -= 32;
		else if (cp >= 0x100 && cp <= 0x17F && (cp & 1) &&
		    !(cp >= 0x138 && cp <= 0x148) && cp != 0x17F)
			cp -= 1;
		else if (cp >= 0x139 && cp <= 0x148 && !(cp & 1))
			cp -= 1;
		if (cp < 0)
			buf_put(&b, s + i, len);
		else
			buf_put(&b, enc, utf8_encode((uint32_t)cp, enc));
		i += len;
	}
	/* On failure s stands in (the build fails on L->oom), so that the
	 * callers need no NULL check. */
	r = lay_buf_take(L, &b);
	return r ? r : s;
}

/*
 * Expands {field} in a front-sheet pattern. Returns NULL (and sets
 * *empty) when the pattern names fields and none of them has a value,
 * or NULL with L->oom set when out of memory.
 */
static const char *
expand_fields(struct lay *L, const char *pat, int *empty)
{
	struct buf b;

	buf_init(&b);
	*empty = lay_meta_expand(L->doc, L->t, &b, pat);
	if (*empty) {
		buf_free(&b);
		return NULL;
	}
	return lay_buf_take(L, &b);
}

/* Adds text with '\n' as forced breaks, in one font. */
static int
spans_lines(struct lay *L, struct spans *s, const struct tstyle *st,
    int font, const char *text)
{
	const char *p = text;

	while (*p) {
		const char *nl = strchr(p, '\n');
		struct span sp;
		memset(&sp, 0, sizeof(sp));
		sp.text = p;
		sp.len = nl ? (size_t)(nl - p) : strlen(p);
		sp.font = font;
		sp.colour = st->colour;
		if (spans_add(L, s, &sp) != 0)
			return -1;
		if (nl == NULL)
			break;
		memset(&sp, 0, sizeof(sp));
		sp.br = 1;
		if (spans_add(L, s, &sp) != 0)
			return -1;
		p = nl + 1;
	}
	return 0;
}

/* A style of the template's body font at another size/weight. */
struct tstyle
lay_style_at(struct lay *L, double size, int bold)
{
	struct tstyle st = L->body;

	st.size = size;
	st.leading = size * L->t->line_height;
	if (bold) {
		st.regular = L->body.bold;
		st.italic = L->body.bolditalic;
	}
	return st;
}

/* One paragraph of text in a structure element. */
static int
text_block(struct lay *L, enum dl_struct st, const struct tstyle *ts,
    int font, const char *text, double x, double w, int align)
{
	struct spans s = { NULL, 0, 0, };
	int rc;

	lay_begin(L, st, 0, NULL);
	rc = spans_lines(L, &s, ts, font, text);
	if (rc == 0)
		rc = lay_lines(L, &s, ts, x, w, align, 1) < 0 ? -1 : 0;
	lay_end(L, st);
	spans_free(&s);
	return rc;
}

static void
rect_op(struct lay *L, double x, double y, double w, double h,
    uint32_t fill, int do_fill, uint32_t stroke, int do_stroke)
{
	struct dl_op op = { .kind = DL_RECT, .x = x, .y = y, .w = w, .h = h,
		.fill = fill, .do_fill = do_fill, .colour = stroke,
		.do_stroke = do_stroke, .line_width = 0.75 };

	lay_op(L, &op);
}

static int
front_rows(struct lay *L, const struct tpl_part *p)
{
	const double pad = 4;
	struct tstyle bold = lay_style_at(L, L->body.size, 1);
	int i, any = 0, table = p->rows_style == ROWS_TABLE;

	for (i = 0; i < p->nrows; i++) {
		int empty;
		const char *v = expand_fields(L, p->rows[i].value, &empty);
		struct spans s = { NULL, 0, 0 };
		double lw = p->label_width, h1, h2, y0 = table ? pad : 0;
		size_t fill = (size_t)-1;

		if (v == NULL && L->oom)
			return -1;
		if (v == NULL)
			continue;
		if (p->rows_style == ROWS_STACKED) {
			if (text_block(L, ST_P, &bold, bold.regular,
			    p->rows[i].label, L->left, L->width, ALIGN_LEFT) != 0 ||
			    text_block(L, ST_P, &L->body, L->body.regular, v,
			    L->left, L->width, ALIGN_LEFT) != 0)
				return -1;
			lay_glue(L, L->t->para_space_after);
			continue;
		}
		if (!any)
			lay_begin(L, ST_TABLE, 0, NULL);
		any = 1;
		lay_begin(L, ST_TR, 0, NULL);
		if (lay_box(L, 0) != 0)
			return -1;
		if (table) {
			/* The label's shading is decoration, not the row's. */
			lay_begin(L, ST_ARTIFACT, 0, NULL);
			rect_op(L, L->left, 0, lw, 0, L->t->t_header_fill, 1, 0, 0);
			fill = lay_last_op(L);
			lay_end(L, ST_ARTIFACT);
		}
		lay_begin(L, ST_TH, 0, NULL);
		lay_cell_begin(L, y0);
		/* spans_lines() may have grown s before failing. */
		if (spans_lines(L, &s, &bold, bold.regular, p->rows[i].label) ||
		    lay_lines(L, &s, &bold, L->left + (table ? pad : 0),
		    lw - 2 * pad, ALIGN_LEFT, 1) < 0) {
			spans_free(&s);
			return -1;
		}
		h1 = lay_cell_end(L);
		lay_end(L, ST_TH);
		spans_free(&s);
		lay_begin(L, ST_TD, 0, NULL);
		lay_cell_begin(L, y0);
		if (spans_lines(L, &s, &L->body, L->body.regular, v) ||
		    lay_lines(L, &s, &L->body, L->left + lw + (table ? pad : 0),
		    L->width - lw - 2 * pad, ALIGN_LEFT, 1) < 0) {
			spans_free(&s);
			return -1;
		}
		h2 = lay_cell_end(L);
		lay_end(L, ST_TD);
		spans_free(&s);
		{
			struct vitem *row = &L->v[L->nv - 1];
			double h = (h1 > h2 ? h1 : h2) + (table ? pad : 4);
			row->h = h;
			if (table) {
				/* Patch the label fill to the row's height, then
				 * draw the cell borders as decoration. Found by
				 * its index: how many marks come before it in
				 * the box differs between the first row (which
				 * opens the Table) and the rest. */
				if (!L->oom)   /* the op may never have been stored */
					lay_opat(L, fill)->h = h;
				lay_begin(L, ST_ARTIFACT, 0, NULL);
				rect_op(L, L->left, 0, lw, h, 0, 0, L->t->t_border, 1);
				rect_op(L, L->left + lw, 0, L->width - lw, h, 0, 0,
				    L->t->t_border, 1);
				lay_end(L, ST_ARTIFACT);
			}
		}
		lay_end(L, ST_TR);
		lay_penalty(L, PEN_FORBID);
	}
	if (any)
		lay_end(L, ST_TABLE);
	return 0;
}

static int
front_banner(struct lay *L, const struct tpl_part *p)
{
	const double mark = 34, gap = 6;
	struct tstyle st = lay_style_at(L, L->t->small_size, 1);
	struct tstyle tag = lay_style_at(L, L->t->small_size, 0);
	double colw = p->nmarks ? L->width / p->nmarks : L->width, hmax = 0;
	int i;

	if (lay_box(L, 0) != 0)
		return -1;
	tag.italic = L->body.italic;
	for (i = 0; i < p->nmarks; i++) {
		const struct tpl_mark *m = &p->marks[i];
		double x = L->left + i * colw, h;
		struct dl_op op;
		struct spans s = { NULL, 0, 0 };
		char *text = arena_strdup(L->a, m->text ? m->text : ""), *c;

		if (text == NULL)
			return -1;
		for (c = text; *c; c++)
			if (*c == '|')
				*c = '\n';
		/* The mark: a simple drawn shape, never a council's logo. */
		lay_begin(L, ST_ARTIFACT, 0, NULL);
		memset(&op, 0, sizeof(op));
		op.do_fill = 1;
		op.fill = m->colour;
		op.x = x;
		op.y = 0;
		op.w = op.h = mark;
		if (m->shape == SHAPE_CIRCLE || m->shape == SHAPE_SHIELD) {
			struct dl_path_seg *seg = arena_alloc(L->a, 6 * sizeof(*seg));
			const double k = 0.5523 * mark / 2, r = mark / 2;
			/* Segments are relative to the op's corner. */
			double cx = r, cy = r;
			if (seg == NULL)
				return -1;
			op.kind = DL_PATH;
			if (m->shape == SHAPE_CIRCLE) {
				seg[0].op = PATH_MOVE; seg[0].x[0] = cx + r; seg[0].y[0] = cy;
				seg[1].op = PATH_CURVE;
				seg[1].x[0] = cx + r; seg[1].y[0] = cy + k;
				seg[1].x[1] = cx + k; seg[1].y[1] = cy + r;
				seg[1].x[2] = cx; seg[1].y[2] = cy + r;
				seg[2].op = PATH_CURVE;
				seg[2].x[0] = cx - k; seg[2].y[0] = cy + r;
				seg[2].x[1] = cx - r; seg[2].y[1] = cy + k;
				seg[2].x[2] = cx - r; seg[2].y[2] = cy;
				seg[3].op = PATH_CURVE;
				seg[3].x[0] = cx - r; seg[3].y[0] = cy - k;
				seg[3].x[1] = cx - k; seg[3].y[1] = cy - r;
				seg[3].x[2] = cx; seg[3].y[2] = cy - r;
				seg[4].op = PATH_CURVE;
				seg[4].x[0] = cx + k; seg[4].y[0] = cy - r;
				seg[4].x[1] = cx + r; seg[4].y[1] = cy - k;
				seg[4].x[2] = cx + r; seg[4].y[2] = cy;
				seg[5].op = PATH_CLOSE;
				op.nsegs = 6;
			} else {
				/* A shield: flat top, sides down, a point. */
				seg[0].op = PATH_MOVE; seg[0].x[0] = 0; seg[0].y[0] = 0;
				seg[1].op = PATH_LINE; seg[1].x[0] = mark; seg[1].y[0] = 0;
				seg[2].op = PATH_LINE; seg[2].x[0] = mark;
				seg[2].y[0] = mark * 0.55;
				seg[3].op = PATH_CURVE;
				seg[3].x[0] = mark; seg[3].y[0] = mark * 0.8;
				seg[3].x[1] = cx + r * 0.4; seg[3].y[1] = mark * 0.95;
				seg[3].x[2] = cx; seg[3].y[2] = mark;
				seg[4].op = PATH_CURVE;
				seg[4].x[0] = cx - r * 0.4; seg[4].y[0] = mark * 0.95;
				seg[4].x[1] = 0; seg[4].y[1] = mark * 0.8;
				seg[4].x[2] = 0; seg[4].y[2] = mark * 0.55;
				seg[5].op = PATH_CLOSE;
				op.nsegs = 6;
			}
			op.segs = seg;
		} else {
			op.kind = DL_RECT;
			if (m->shape == SHAPE_BAR)
				op.h = mark / 4, op.y = mark * 3 / 8;
		}
		lay_op(L, &op);
		lay_end(L, ST_ARTIFACT);
		/* Its words beside it. */
		lay_begin(L, ST_P, 0, NULL);
		lay_cell_begin(L, 0);
		if (spans_lines(L, &s, &st, st.regular, text) != 0) {
			spans_free(&s);   /* it may have grown before failing */
			return -1;
		}
		if (m->tagline) {
			struct span br;
			memset(&br, 0, sizeof(br));
			br.br = 1;
			if (spans_add(L, &s, &br) != 0 ||
			    spans_text(L, &s, &tag, tag.italic, m->tagline) != 0) {
				spans_free(&s);
				return -1;
			}
		}
		if (lay_lines(L, &s, &st, x + mark + gap, colw - mark - 2 * gap,
		    ALIGN_LEFT, 1) < 0) {
			spans_free(&s);
			return -1;
		}
		h = lay_cell_end(L);
		lay_end(L, ST_P);
		spans_free(&s);
		if (h > hmax)
			hmax = h;
	}
	L->v[L->nv - 1].h = (hmax > mark ? hmax : mark) + 10;
	return 0;
}

static int
front_sheet(struct lay *L)
{
	const struct template *t = L->t;
	int i;

	for (i = 0; i < t->nparts; i++) {
		const struct tpl_part *p = &t->parts[i];
		if (p->kind == PART_LINE) {
			int empty;
			const char *text = expand_fields(L, p->text, &empty);
			struct tstyle st;
			double size = L->body.size;
			int bold = 0;
			if (text == NULL && L->oom)
				return -1;
			if (text == NULL)
				continue;
			if (p->tcase == CASE_UPPER)
				text = upper(L, text);
			switch (p->style) {
			case STYLE_TITLE: size = t->heading[0].size + 4; bold = 1; break;
			case STYLE_HEADING: size = t->heading[0].size; bold = 1; break;
			case STYLE_BOLD: bold = 1; break;
			case STYLE_SMALL: size = t->small_size; break;
			default: break;
			}
			st = lay_style_at(L, size, bold);
			if (text_block(L, ST_P, &st, st.regular, text, L->left,
			    L->width, p->align) != 0)
				return -1;
			lay_glue(L, size * 0.5);
		} else if (p->kind == PART_ROWS) {
			if (front_rows(L, p) != 0)
				return -1;
			lay_glue(L, L->body.size * 0.5);
		} else if (p->kind == PART_BANNER) {
			if (front_banner(L, p) != 0)
				return -1;
		} else if (p->kind == PART_RULE) {
			struct dl_op op;
			if (lay_box(L, 8) != 0)
				return -1;
			memset(&op, 0, sizeof(op));
			op.kind = DL_LINE;
			op.x = L->left;
			op.y = 4;
			op.w = L->width;
			op.colour = t->c_rule;
			op.line_width = 1;
			lay_begin(L, ST_ARTIFACT, 0, NULL);
			lay_op(L, &op);
			lay_end(L, ST_ARTIFACT);
		}
	}
	lay_glue(L, t->front_space_after);
	return L->oom ? -1 : 0;
}

/* Writes an anchor op (destination, and outline entry if level > 0). */
static void
anchor(struct lay *L, const char *name, const char *title, int level)
{
	struct dl_op op = { .kind = DL_ANCHOR, .anchor = name, .title = title,
		.level = level };

	lay_pending(L, &op);
}

static const char *
auto_anchor(struct lay *L)
{
	return arena_printf(L->a, "_sc%d", ++L->anchors);
}

/* A heading: number in the hanging column, title beside it. A
 * sub-heading among numbered paragraphs lines up with their text (col). */
int
lay_heading(struct lay *L, const char *label, const char *title, int level,
    const char *id, double indent, double col)
{
	const struct template *t = L->t;
	const struct tpl_heading *h = &t->heading[(level > 6 ? 6 : level) - 1];
	struct tstyle st = lay_style_at(L, h->size, h->bold);
	struct spans s = { NULL, 0, 0 };
	const char *text = title ? title : "";
	const char *outline;
	double x = L->left + indent, w = L->width - indent;
	int rc = -1;

	if (h->italic)
		st.regular = h->bold ? L->body.bolditalic : L->body.italic;
	st.colour = h->colour;
	if (h->tcase == CASE_UPPER)
		text = upper(L, text);
	outline = label ? arena_printf(L->a, "%s %s", label, text) : text;
	lay_stop(L, level);
	/* The space above a heading gives up to a third on a page that
	 * holds one more box that way (flow.c, squeeze()). */
	lay_glue_shrink(L, h->space_before, h->space_before * HEAD_SHRINK);
	lay_begin(L, ST_H, level, NULL);
	anchor(L, id ? id : auto_anchor(L), outline, level);
	if (label != NULL || col > 0) {
		struct dl_op op;
		double lw = label ? lay_measure(L, st.regular, st.size, label) : 0;
		double nw = col > 0 ? col : t->number_width;
		if (lw + st.size * 0.5 > nw)
			nw = lw + st.size * 0.5;
		x += nw;
		w -= nw;
		if (label == NULL)
			goto title;
		if (lay_text_op(L, &op, st.regular, st.size, st.colour,
		    x - nw, lay_baseline(L, &st), label, strlen(label)) != 0)
			goto out;
		lay_pending(L, &op);
	}
title:
	if (spans_text(L, &s, &st, st.regular, text) != 0)
		goto out;
	if (lay_lines(L, &s, &st, x, w, ALIGN_LEFT, 1) < 0)
		goto out;
	lay_end(L, ST_H);
	lay_penalty(L, PEN_FORBID);
	lay_glue(L, h->space_after);
	rc = 0;
out:
	spans_free(&s);
	return rc;
}

static int blocks_one(struct lay *L, const struct node *n, double indent,
    int numbered_ctx);

/* A paragraph; label (a paragraph number) hangs in the margin column. */
static int
paragraph(struct lay *L, const struct node *n, double indent, int numbered_ctx)
{
	const struct template *t = L->t;
	struct spans s = { NULL, 0, 0 };
	double x = L->left + indent, w = L->width - indent;
	int rc = -1;

	/* Paragraph text lines up with numbered paragraphs' text. */
	if (numbered_ctx) {
		x += t->number_width;
		w -= t->number_width;
	}
	lay_begin(L, ST_P, 0, NULL);
	if (n->id)
		anchor(L, n->id, NULL, 0);
	if (n->label != NULL) {
		struct dl_op op;
		if (lay_text_op(L, &op, L->body.regular, L->body.size,
		    L->body.colour, L->left + indent, lay_baseline(L, &L->body),
		    n->label, strlen(n->label)) != 0)
			goto out;
		lay_pending(L, &op);
	}
	if (spans_inlines(L, &s, n, &L->body, 0, 0, NULL, NULL) != 0)
		goto out;
	if (lay_lines(L, &s, &L->body, x, w, t->para_align, 0) < 0)
		goto out;
	lay_end(L, ST_P);
	/* A lead-in ("The three priorities are:") stays with what it
	 * introduces. */
	if (n->next != NULL && n->next->kind != N_SECTION && s.n > 0) {
		const struct span *last = &s.v[s.n - 1];
		size_t k = last->len;
		while (k > 0 && last->text[k - 1] == ' ')
			k--;
		if (!last->br && k > 0 && last->text[k - 1] == ':')
			lay_penalty(L, PEN_FORBID);
	}
	lay_glue(L, t->para_space_after);
	rc = 0;
out:
	spans_free(&s);
	return rc;
}

/* A list item's label: its number as the list's style writes it, or
 * the template's bullet. */
static const char *
item_label(struct lay *L, const struct node *list, int k)
{
	return list->list_style == LIST_BULLET ? L->t->bullet :
	    lay_item_label(L->a, list, k);
}

static int
list(struct lay *L, const struct node *n, double indent)
{
	const struct template *t = L->t;
	const struct node *it, *c;
	double labw = t->list_indent;
	int k = 0, count = 0;

	if (L->list_depth >= LAY_MAX_LIST) {
		diag_err(L->diags, n->file, n->line, "lists are nested more "
		    "than %d deep; flatten them", LAY_MAX_LIST);
		return -1;
	}
	/* The label column fits the widest label. */
	for (it = n->first; it != NULL; it = it->next)
		count++;
	if (n->list_style != LIST_BULLET) {
		for (k = 1; k <= count; k++) {
			const char *lb = item_label(L, n, k);
			double w = lay_measure(L, L->body.regular, L->body.size, lb)
			    + t->list_gap;
			if (w > labw)
				labw = w;
		}
	}
	L->list_depth++;
	lay_begin(L, ST_L, 0, NULL);
	k = 0;
	for (it = n->first; it != NULL; it = it->next) {
		struct spans s = { NULL, 0, 0 };
		struct dl_op op;
		const char *lb = item_label(L, n, ++k);
		double x = L->left + indent + labw, w = L->width - indent - labw;
		int first = 1;

		lay_begin(L, ST_LI, 0, NULL);
		lay_begin(L, ST_LBL, 0, NULL);
		if (lay_text_op(L, &op, L->body.regular, L->body.size,
		    L->body.colour, L->left + indent, lay_baseline(L, &L->body),
		    lb, strlen(lb)) != 0)
			return -1;
		lay_pending(L, &op);
		lay_end(L, ST_LBL);
		lay_begin(L, ST_LBODY, 0, NULL);
		/* Inlines up to the first block make one paragraph. */
		for (c = it->first; c != NULL;) {
			if (node_is_inline(c->kind)) {
				const struct node *stop = c;
				while (stop != NULL && node_is_inline(stop->kind))
					stop = stop->next;
				if (spans_run(L, &s, c, stop, &L->body, 0, 0, NULL,
				    NULL) != 0 ||
				    lay_lines(L, &s, &L->body, x, w, t->para_align,
				    0) < 0) {
					spans_free(&s);   /* grown, maybe, then failed */
					return -1;
				}
				spans_free(&s);
				first = 0;
				c = stop;
				continue;
			}
			if (c->kind == N_PARA) {
				if (!first)
					lay_glue(L, t->list_space_after);
				lay_begin(L, ST_P, 0, NULL);
				if (spans_inlines(L, &s, c, &L->body, 0, 0, NULL,
				    NULL) != 0 ||
				    lay_lines(L, &s, &L->body, x, w, t->para_align,
				    0) < 0) {
					spans_free(&s);
					return -1;
				}
				spans_free(&s);
				lay_end(L, ST_P);
			} else {
				if (!first)
					lay_glue(L, t->list_space_after);
				if (c->kind == N_LIST) {
					if (list(L, c, x - L->left) != 0)
						return -1;
				} else if (blocks_one(L, c, x - L->left, 0) != 0)
					return -1;
			}
			first = 0;
			c = c->next;
		}
		lay_end(L, ST_LBODY);
		lay_end(L, ST_LI);
		if (it->next != NULL)
			lay_glue(L, t->list_space_after);
	}
	lay_end(L, ST_L);
	L->list_depth--;
	lay_glue(L, t->para_space_after);
	return L->oom ? -1 : 0;
}

static int
section(struct lay *L, const struct node *n, double indent)
{
	const struct template *t = L->t;
	const struct node *c;
	int ctx = n->hang;
	const char *title = n->title;

	lay_begin(L, ST_SECT, 0, NULL);
	if (n->kind == N_APPENDIX) {
		struct buf b;
		buf_init(&b);
		doc_appendix_heading(&b, t->appendix_heading, n);
		if ((title = lay_buf_take(L, &b)) == NULL)
			return -1;
		lay_penalty(L, PEN_FORCE);
		if (lay_heading(L, NULL, title, 1, n->id, 0, 0) != 0)
			return -1;
	} else if (title != NULL && lay_heading(L, n->label, title, n->level,
	    n->id, indent, n->parent->kind == N_SECTION && n->parent->hang ?
	    t->number_width : 0) != 0)
		return -1;
	for (c = n->first; c != NULL; c = c->next)
		if (blocks_one(L, c, indent, ctx) != 0)
			return -1;
	lay_end(L, ST_SECT);
	lay_stop(L, n->level > 0 ? n->level : 1);
	return L->oom ? -1 : 0;
}

static int
blocks_one(struct lay *L, const struct node *n, double indent,
    int numbered_ctx)
{
	const struct template *t = L->t;
	size_t from = L->nv;
	int rc;

	switch (n->kind) {
	case N_SECTION:
	case N_APPENDIX:
		return section(L, n, indent);
	case N_PARA:
		return paragraph(L, n, indent, numbered_ctx);
	case N_LIST:
		return list(L, n, indent + (numbered_ctx ? (t->lists_indent >= 0 ?
		    t->lists_indent : t->number_width) : 0));
	case N_PAGEBREAK:
		lay_penalty(L, PEN_FORCE);
		return 0;
	case N_TABLE:
		rc = lay_table(L, n, indent);
		lay_float(L, from, n);
		if (L->sink != NULL && L->sink->consume_doc)
			doc_tbl_release(n->tbl);
		return rc;
	case N_RISKS:
		/* The register and its matrix float apart. */
		if (lay_table(L, n, indent) != 0)
			return -1;
		lay_float(L, from, n);
		from = L->nv;
		rc = n->matrix ? lay_risk_matrix(L, n, indent) : 0;
		lay_float(L, from, n);
		return rc;
	case N_CHART:
		return lay_chart(L, n, indent);   /* its own floats */
	case N_KPIS:
		rc = lay_kpis(L, n, indent);
		lay_float(L, from, n);
		return rc;
	case N_IMAGE:
		rc = lay_image(L, n, indent);
		lay_float(L, from, n);
		return rc;
	default:
		return 0;
	}
}

static int
contacts(struct lay *L, const struct node *cs)
{
	const struct template *t = L->t;
	const struct node *c;
	struct tstyle bold = lay_style_at(L, L->body.size, 1);

	lay_begin(L, ST_SECT, 0, NULL);
	if (lay_heading(L, NULL, cs->title ? cs->title : t->contacts_title, 1,
	    NULL, 0, 0) != 0)
		return -1;
	int n = 0, k = 0;

	for (c = cs->first; c != NULL; c = c->next)
		n++;
	for (c = cs->first; c != NULL; c = c->next) {
		struct spans s = { NULL, 0, 0 };
		struct span sp;
		int rc = 0;

		lay_begin(L, ST_P, 0, NULL);
		rc |= spans_text(L, &s, &bold, bold.regular,
		    c->name ? c->name : "");
		memset(&sp, 0, sizeof(sp));
		sp.br = 1;
		if (c->role) {
			rc |= spans_add(L, &s, &sp);
			rc |= spans_text(L, &s, &L->body, L->body.regular, c->role);
		}
		if (c->phone) {
			rc |= spans_add(L, &s, &sp);
			rc |= spans_text(L, &s, &L->body, L->body.regular, "Tel: ");
			rc |= spans_text(L, &s, &L->body, L->body.regular, c->phone);
		}
		if (c->email) {
			struct span e;
			rc |= spans_add(L, &s, &sp);
			rc |= spans_text(L, &s, &L->body, L->body.regular,
			    "Email: ");
			memset(&e, 0, sizeof(e));
			e.text = c->email;
			e.len = strlen(c->email);
			e.font = L->body.regular;
			e.colour = L->body.link_colour;
			e.uri = arena_printf(L->a, "mailto:%s", c->email);
			rc |= spans_add(L, &s, &e);
		}
		if (rc != 0 || lay_lines(L, &s, &L->body, L->left, L->width,
		    ALIGN_LEFT, 1) < 0) {
			spans_free(&s);
			return -1;
		}
		spans_free(&s);
		lay_end(L, ST_P);
		/* Each contact is whole (its lines are kept); and none is
		 * alone: a block of three or fewer keeps together, a longer
		 * one breaks neither after its first nor before its last. */
		k++;
		if (c->next != NULL && (n <= 3 || k == 1 || k == n - 1))
			lay_penalty(L, PEN_FORBID);
		lay_glue(L, t->para_space_after);
	}
	lay_end(L, ST_SECT);
	return 0;
}

static int
load_style(struct lay *L, struct tstyle *st, const char *family, double size)
{
	const struct template *t = L->t;
	const char *f = t->file;

	st->regular = fontset_get(L->fs, family, 0, 0, L->diags, f, 0);
	st->bold = fontset_get(L->fs, family, 1, 0, L->diags, f, 0);
	st->italic = fontset_get(L->fs, family, 0, 1, L->diags, f, 0);
	st->bolditalic = fontset_get(L->fs, family, 1, 1, L->diags, f, 0);
	if (st->regular < 0 || st->bold < 0 || st->italic < 0 ||
	    st->bolditalic < 0)
		return -1;
	st->size = size;
	st->leading = size * t->line_height;
	st->colour = t->c_text;
	st->link_colour = t->c_link;
	st->align = t->para_align;
	return 0;
}

/* The fonts' names for the display list's readers (dumps), copied: the
 * fontset may be freed first. */
static int
font_names(struct lay *L)
{
	const char **v;
	int i;

	if (L->fs->n == 0)
		return 0;
	if ((v = arena_alloc(L->a, (size_t)L->fs->n * sizeof(*v))) == NULL) {
		L->oom = 1;
		return -1;
	}
	for (i = 0; i < L->fs->n; i++) {
		const struct font *f = L->fs->font[i];
		const char *name = f->psname ? f->psname : f->family;
		if ((v[i] = arena_strdup(L->a, name ? name : "?")) == NULL) {
			L->oom = 1;
			return -1;
		}
	}
	L->out->font_names = v;
	L->out->nfonts = L->fs->n;
	return 0;
}

/*
 * The last guard before a PDF is kept: pages with fewer tables, figures
 * or images than the definition asked for (got, counted by lay_emit() as
 * each page was made: level 1 marks and images) mean a stage lost one
 * without failing, and no PDF is better than a wrong one. Streamed, the
 * backend has seen the pages by now, and its output is dropped.
 */
static int
complete(const struct doc *doc, const struct doc_tally *got,
    struct diags *diags)
{
	static const char *const what[] = { "tables", "figures", "images" };
	int asked[3], made[3], k, rc = 0;

	asked[0] = doc->asks.tables;
	asked[1] = doc->asks.figures;
	asked[2] = doc->asks.images;
	made[0] = got->tables;
	made[1] = got->figures;
	made[2] = got->images;
	for (k = 0; k < 3; k++)
		if (made[k] < asked[k]) {
			diag_err(diags, doc->file, 0, "internal error: the "
			    "definition asks for %d %s but only %d were laid out; "
			    "nothing was written; please report it", asked[k],
			    what[k], made[k]);
			rc = -2;
		}
	return rc;
}

/*
 * The blocks after the body's last section (the "Previous reports:
 * ...; Appendices: ..." a report closes with) are kept together when
 * they are short, a third of the text height or less: a closing list
 * alone on the last page, without what it closes, reads as a fragment.
 * Together, not whole: where the block does not fit in what is left of
 * a page it may break between two of its blocks, never inside one and
 * never before a list (which stays with the line that introduces it,
 * as a lead-in stays with what follows it, paragraph()); a page is not
 * left a fifth blank for a closing block that would have started on it.
 * at[0..nat) are where the closing blocks begin in the vertical list,
 * list[k] whether block k is a list.
 */
#define CLOSING_MAX (1.0 / 3)
#define CLOSING_BLOCKS 32

static void
keep_closing(struct lay *L, size_t from, const size_t *at,
    const unsigned char *list, size_t nat)
{
	size_t i, k = 0;
	double h = 0;

	if (from == (size_t)-1 || from >= L->nv)
		return;
	for (i = from; i < L->nv; i++)
		if (L->v[i].kind != V_PENALTY)
			h += L->v[i].h;
	if (h > CLOSING_MAX * L->height)
		return;
	for (i = from + 1; i < L->nv; i++) {
		struct vitem *it = &L->v[i];
		while (k < nat && at[k] <= i)
			k++;
		/* The space after a block, just before the next begins. */
		if (it->kind == V_GLUE && k < nat && at[k] == i + 1 &&
		    !list[k])
			continue;
		if (it->kind == V_PENALTY && it->penalty > PEN_FORCE)
			it->penalty = PEN_FORBID;
		else if (it->kind == V_GLUE)
			it->flags |= V_NOBREAK;
	}
}

int
lay_document(const struct doc *doc, const struct template *t,
    struct fontset *fs, struct dl_doc *out, struct diags *diags)
{
	return lay_document_to(doc, t, fs, out, NULL, diags);
}

int
lay_document_to(const struct doc *doc, const struct template *t,
    struct fontset *fs, struct dl_doc *out, const struct lay_sink *sink,
    struct diags *diags)
{
	struct lay L;
	const struct node *n;
	int rc = -1, pages;
	size_t closing = (size_t)-1, at[CLOSING_BLOCKS], nat = 0;
	unsigned char list[CLOSING_BLOCKS];

	memset(&L, 0, sizeof(L));
	L.doc = doc;
	L.t = t;
	L.fs = fs;
	L.diags = diags;
	L.a = out->arena;
	L.out = out;
	L.sink = sink;
	L.opchunk = out->opchunk > 0 ? out->opchunk : LAY_OPCHUNK;
	L.left = t->margin_l;
	L.width = t->page_w - t->margin_l - t->margin_r;
	L.top = t->margin_t;
	L.height = t->page_h - t->margin_t - t->margin_b;
	if (load_style(&L, &L.body, t->font_body, t->size) != 0 ||
	    load_style(&L, &L.small, t->font_body, t->small_size) != 0)
		goto out;
	if (lay_number(doc, t, L.a) != 0)
		goto out;
	if (front_sheet(&L) != 0)
		goto out;
	for (n = doc->body->first; n != NULL; n = n->next) {
		if (n->kind == N_SECTION || closing == (size_t)-1) {
			closing = L.nv;
			nat = 0;
		}
		if (n->kind != N_SECTION && nat < CLOSING_BLOCKS) {
			list[nat] = n->kind == N_LIST;
			at[nat++] = L.nv;
		}
		if (blocks_one(&L, n, 0, t->para_numbering == PARANUM_CONTINUOUS)
		    != 0)
			goto out;
		if (n->kind == N_SECTION) {
			closing = L.nv;
			nat = 0;
		}
	}
	/* More blocks than that are no short closing block. */
	if (nat < CLOSING_BLOCKS)
		keep_closing(&L, closing, at, list, nat);
	if (doc->contacts != NULL && doc->contacts->first != NULL &&
	    contacts(&L, doc->contacts) != 0)
		goto out;
	for (n = doc->appendices->first; n != NULL; n = n->next)
		if (blocks_one(&L, n, 0, 0) != 0)
			goto out;
	if (L.oom || L.a->oom)
		goto out;
	if ((pages = lay_paginate(&L)) < 0)
		goto out;
	if (font_names(&L) != 0 || lay_emit(&L) != 0 || L.a->oom)
		goto out;
	rc = complete(doc, &L.got, diags);
out:
	if (L.oom || L.a->oom || (rc != 0 && diags->errors == 0))
		diag_oom(diags, NULL, 0, "out of memory during layout");
	free(L.v);
	lay_free_ops(&L);
	free(L.pend);
	free(L.page_ghost);
	free(L.page_forced);
	free(L.flts);
	lbrk_free(L.brk);
	return rc;
}
