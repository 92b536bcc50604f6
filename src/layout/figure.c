/*
 * figure.c — charts as figures: a numbered caption, the chart drawn by
 * src/chart into one unbreakable box, its text alternative on the Figure
 * structure element, the source note, and the plotted numbers as a real
 * table when data-table="yes".
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lay_int.h"
#include "../chart/chart.h"
#include "../data/numfmt.h"
#include "../util/buf.h"

struct fig {
	struct lay        *L;
	struct tstyle      st, bold;
	const struct node *n;
	struct numfmt      fmt, axis;
	int                have_fmt, have_axis;
};

static double
f_measure(void *arg, int bold, double size, const char *s)
{
	struct fig *f = arg;

	return lay_measure(f->L, bold ? f->bold.regular : f->st.regular, size, s);
}

static int
f_text(void *arg, int bold, double size, uint32_t colour, double x, double y,
    const char *s)
{
	struct fig *f = arg;
	struct dl_op op;

	if (lay_text_op(f->L, &op, bold ? f->bold.regular : f->st.regular, size,
	    colour, x, y, s, strlen(s)) != 0)
		return -1;
	lay_op(f->L, &op);
	return 0;
}

static int
f_op(void *arg, const struct dl_op *op)
{
	struct fig *f = arg;

	lay_op(f->L, op);
	return f->L->oom ? -1 : 0;
}

static void
f_format(void *arg, double v, int tick, struct buf *out)
{
	struct fig *f = arg;
	struct numfmt d;
	char err[32];

	if (tick && f->have_axis && !f->axis.is_date)
		numfmt_number(&f->axis, v, out);   /* axis-format= */
	else if (f->have_fmt && !f->fmt.is_date && tick &&
	    !f->fmt.s[0].percent) {
		/* The data's format without its decimals. */
		d = f->fmt;
		d.s[0].dec_min = d.s[0].dec_max = 0;
		if (d.nsections > 1)
			d.s[1].dec_min = d.s[1].dec_max = 0;
		numfmt_number(&d, v, out);
	} else if (f->have_fmt && !f->fmt.is_date)
		numfmt_number(&f->fmt, v, out);
	else if (numfmt_parse(v == floor(v) ? "#,##0" : "#,##0.##", &d, err,
	    sizeof(err)) == 0)
		numfmt_number(&d, v, out);
}

static enum chart_type
type_of(const char *s)
{
	int t;

	for (t = 0; t < CHART_TYPE_MAX; t++)
		if (strcmp(chart_type_name((enum chart_type)t), s) == 0)
			return (enum chart_type)t;
	return CHART_COLUMN;
}

/* "Figure {n} – " + caption. */
static const char *
fig_caption(struct lay *L, const struct node *n)
{
	return lay_caption_text(L, L->t->caption_figure, n, NULL);
}

/*
 * The name a drawing is exported under (scrutineer charts): its id, else
 * its caption's number ("figure-3"; a risk matrix "table-2-matrix", by
 * its register's number), else none (numbered in order by the export).
 */
static const char *
export_name(struct lay *L, const struct node *n, const char *kind,
    const char *suffix)
{
	if (n->id != NULL)
		return suffix ? arena_printf(L->a, "%s%s", n->id, suffix) : n->id;
	if (n->label != NULL && n->caption != NULL)
		return arena_printf(L->a, "%s-%s%s", kind, n->label,
		    suffix ? suffix : "");
	return NULL;
}

/* The plotted numbers as a table under the chart. */
static int
data_table(struct lay *L, const struct node *n, const struct fig *f,
    double indent)
{
	const struct chart_data *d = n->chart;
	struct node tmp;
	struct tbl *t = arena_alloc(L->a, sizeof(*t));
	int i, k;

	if (t == NULL)
		return -1;
	t->ncols = d->nser + 1;
	t->nrows = d->ncat;
	t->has_head = 1;
	t->head = arena_alloc(L->a, (size_t)t->ncols * sizeof(*t->head));
	t->right = arena_alloc(L->a, (size_t)t->ncols * sizeof(*t->right));
	t->width = arena_alloc(L->a, (size_t)t->ncols * sizeof(*t->width));
	t->cells = arena_alloc(L->a, (size_t)t->ncols * (size_t)(d->ncat + 1) *
	    sizeof(*t->cells));
	t->group = arena_alloc(L->a, (size_t)(d->ncat + 1) * sizeof(*t->group));
	if (!t->head || !t->right || !t->width || !t->cells || !t->group)
		return -1;
	for (i = 0; i <= d->nser; i++)
		t->head[i] = chart_table_head(d, n->y_label, i);
	for (i = 0; i < d->nser; i++) {
		t->right[i + 1] = 1;
	}
	for (k = 0; k < d->ncat; k++) {
		t->cells[(size_t)k * (size_t)t->ncols].text = d->cat[k];
		for (i = 0; i < d->nser; i++) {
			double v = d->v[(size_t)i * (size_t)d->ncat + (size_t)k];
			struct buf b;
			buf_init(&b);
			if (isfinite(v))
				f_format((void *)f, v, 0, &b);
			if ((t->cells[(size_t)k * (size_t)t->ncols + (size_t)i +
			    1].text = lay_buf_take(L, &b)) == NULL)
				return -1;
		}
	}
	memset(&tmp, 0, sizeof(tmp));
	tmp.kind = N_TABLE;
	tmp.tbl = t;
	tmp.parent = n->parent;
	return lay_table(L, &tmp, indent);
}

int
lay_chart(struct lay *L, const struct node *n, double indent)
{
	struct fig f;
	struct chart_ctx c;
	struct chart_spec sp;
	const char *cap = fig_caption(L, n), *alt;
	double x = L->left + indent, w = L->width - indent, h;
	int above = doc_caption_above(n, L->t->caption_above);
	char err[64];
	size_t from = L->nv;

	if (n->chart == NULL)
		return 0;
	memset(&f, 0, sizeof(f));
	f.L = L;
	f.n = n;
	f.st = lay_style_at(L, L->t->small_size < 9 ? 9 : L->t->small_size, 0);
	f.bold = lay_style_at(L, f.st.size, 1);
	if (n->value_format != NULL &&
	    numfmt_parse(n->value_format, &f.fmt, err, sizeof(err)) == 0)
		f.have_fmt = 1;
	if (n->axis_format != NULL &&
	    numfmt_parse(n->axis_format, &f.axis, err, sizeof(err)) == 0)
		f.have_axis = 1;
	memset(&c, 0, sizeof(c));
	c.arg = &f;
	c.measure = f_measure;
	c.text = f_text;
	c.op = f_op;
	c.format = f_format;
	c.arena = L->a;
	c.palette = L->t->palette;
	c.npalette = L->t->npalette;
	c.text_colour = L->t->c_text;
	c.grid_colour = 0xD9D9D9;
	c.axis_colour = 0x505A5F;
	c.size = f.st.size;
	memset(&sp, 0, sizeof(sp));
	sp.type = type_of(n->chart_type);
	sp.y_label = n->y_label;
	sp.y_min = n->y_min;
	sp.y_max = n->y_max;
	sp.target = n->target_line;
	sp.data_labels = n->data_labels;
	sp.highlight = n->highlight;
	if (isfinite(n->chart_w) && n->chart_w > 0 && n->chart_w < w)
		w = n->chart_w;
	h = isfinite(n->chart_h) && n->chart_h > 0 ? n->chart_h : w * 0.55;
	if (h > L->height * 0.8)
		h = L->height * 0.8;
	if ((alt = n->alt ? n->alt : chart_alt(&c, &sp, n->chart)) == NULL)
		return -1;   /* out of memory: never a figure without its alt */

	lay_glue(L, 6);
	if (cap && above) {
		if (lay_caption(L, cap, x, w) != 0)
			return -1;
		lay_penalty(L, PEN_FORBID);
		lay_glue(L, 4);
	}
	/* The Figure mark carries the chart's box and its caption, so a
	 * backend can draw the chart alone and title it (scrutineer charts). */
	lay_pending(L, &(struct dl_op){ .kind = DL_BEGIN, .st = ST_FIGURE,
	    .level = 1, .alt = alt, .text = n->caption, .x = x, .y = 0, .w = w,
	    .h = h, .anchor = export_name(L, n, "figure", NULL) });
	if (n->id)
		lay_pending(L, &(struct dl_op){ .kind = DL_ANCHOR,
		    .anchor = n->id });
	if (lay_box(L, h) != 0)
		return -1;
	if (chart_draw(&c, &sp, n->chart, x, 0, w, h) != 0)
		return -1;
	lay_end(L, ST_FIGURE);
	if (cap && !above) {
		lay_penalty(L, PEN_FORBID);
		lay_glue(L, 4);
		if (lay_caption(L, cap, x, w) != 0)
			return -1;
	}
	if (n->source && lay_note(L, arena_printf(L->a, "Source: %s",
	    n->source), x, w) != 0)
		return -1;
	lay_glue(L, L->t->para_space_after + 4);
	/* The chart may float to the next page, its data table with it:
	 * the table follows its chart, never floats on its own past the
	 * text after it. On the chart's page when it fits, else (its rows
	 * kept as any table's) at the top of the next, the rest of the
	 * section after it; never stranded apart from both. */
	if (n->data_table && data_table(L, n, &f, indent) != 0)
		return -1;
	lay_float(L, from, n);
	return L->oom ? -1 : 0;
}

/* Key-figure tiles, four to a row: the number large, its label, and the
 * change with its direction in words, coloured good or bad. */
int
lay_kpis(struct lay *L, const struct node *n, double indent)
{
	const struct template *t = L->t;
	struct tstyle big = lay_style_at(L, 22, 1), lab = lay_style_at(L,
	    t->small_size < 9 ? 9 : t->small_size, 0);
	double x0 = L->left + indent, w = L->width - indent, gap = 8, tw, th = 86;
	int per = n->nkpi < 4 ? n->nkpi : 4, k;
	int above = doc_caption_above(n, t->caption_above);
	struct buf alt;

	if (n->kpi == NULL || n->nkpi == 0)
		return 0;
	tw = (w - gap * (per - 1)) / per;
	big.colour = t->c_accent;
	buf_init(&alt);
	buf_puts(&alt, "Key figures: ");
	for (k = 0; k < n->nkpi; k++) {
		const struct kpi *q = &n->kpi[k];
		buf_printf(&alt, "%s%s %s", k ? "; " : "", q->label, q->value);
		if (q->change_text)
			buf_printf(&alt, ", %s %s%s", q->change > 0 ? "up" :
			    q->change < 0 ? "down" : "level", q->change_text[0] ==
			    '+' || q->change_text[0] == '-' ? q->change_text + 1 :
			    q->change_text, q->good > 0 ? " (better)" : q->good < 0 ?
			    " (worse)" : "");
	}
	buf_puts(&alt, ".");
	lay_glue(L, 6);
	/* The caption above or below, as the element or the template says. */
	if (n->caption && above) {
		if (lay_caption(L, fig_caption(L, n), x0, w) != 0) {
			buf_free(&alt);
			return -1;
		}
		lay_penalty(L, PEN_FORBID);
		lay_glue(L, 4);
	}
	lay_pending(L, &(struct dl_op){ .kind = DL_BEGIN, .st = ST_FIGURE,
	    .level = 1, .alt = lay_buf_take(L, &alt), .text = n->caption,
	    .anchor = export_name(L, n, "figure", NULL) });
	for (k = 0; k < n->nkpi; k++) {
		const struct kpi *q = &n->kpi[k];
		double x = x0 + (k % per) * (tw + gap);
		struct dl_op op;
		struct spans s = { NULL, 0, 0 };

		if (k % per == 0) {
			if (k > 0) {
				lay_penalty(L, 0);
				lay_glue(L, gap);
			}
			if (lay_box(L, th) != 0)
				return -1;
		}
		lay_begin(L, ST_ARTIFACT, 0, NULL);
		lay_op(L, &(struct dl_op){ .kind = DL_RECT, .x = x, .y = 0,
		    .w = tw, .h = th, .fill = 0xF3F2F1, .do_fill = 1 });
		lay_op(L, &(struct dl_op){ .kind = DL_RECT, .x = x, .y = 0,
		    .w = 4, .h = th, .fill = t->c_accent, .do_fill = 1 });
		lay_end(L, ST_ARTIFACT);
		if (lay_text_op(L, &op, big.regular, big.size, big.colour, x + 12,
		    30, q->value, strlen(q->value)) != 0)
			return -1;
		lay_op(L, &op);
		lay_cell_begin(L, 36);
		spans_text(L, &s, &lab, lab.regular, q->label);
		lay_lines(L, &s, &lab, x + 12, tw - 18, ALIGN_LEFT, 1);
		spans_free(&s);
		lay_cell_end(L);
		if (q->change_text) {
			/* Down, level, up: the arrow, and its word. */
			static const struct { const char *arrow, *word; } dir[3] = {
				{ "\xe2\x86\x93", " down" }, { "\xe2\x86\x92", "" },
				{ "\xe2\x86\x91", " up" } };
			int di = q->change > 0 ? 2 : q->change < 0 ? 0 : 1;
			const char *pct = q->change_text[0] == '+' ||
			    q->change_text[0] == '-' ? q->change_text + 1 :
			    q->change_text;
			/* Better or worse in words, not by colour alone (WCAG
			 * 1.4.1); in a narrow tile the arrow alone says which
			 * way (it reads as its word). */
			const char *verdict = q->good > 0 ? ", better" :
			    q->good < 0 ? ", worse" : "";
			const char *txt = arena_printf(L->a, "%s%s %s%s",
			    dir[di].arrow, dir[di].word, pct, verdict);
			if (*verdict && lay_measure(L, lab.bold, lab.size, txt) >
			    tw - 18)
				txt = arena_printf(L->a, "%s %s%s", dir[di].arrow, pct,
				    verdict);
			uint32_t col = q->good > 0 ? t->c_green : q->good < 0 ?
			    t->c_red : t->c_text;
			if (lay_text_op(L, &op, lab.bold, lab.size, col, x + 12,
			    th - 10, txt, strlen(txt)) != 0)
				return -1;
			lay_op(L, &op);
		}
	}
	lay_end(L, ST_FIGURE);
	if (n->caption && !above) {
		lay_penalty(L, PEN_FORBID);
		lay_glue(L, 4);
		if (lay_caption(L, fig_caption(L, n), x0, w) != 0)
			return -1;
	}
	if (n->source && lay_note(L, arena_printf(L->a, "Source: %s",
	    n->source), x0, w) != 0)
		return -1;
	lay_glue(L, t->para_space_after + 4);
	return L->oom ? -1 : 0;
}

/* The 5 × 5 risk matrix: likelihood across, impact up, each cell in its
 * band's colour (with the band's letter), each risk a numbered marker at
 * its (net) position, numbered as in the register above it. */
int
lay_risk_matrix(struct lay *L, const struct node *n, double indent)
{
	const struct template *t = L->t;
	struct tstyle st = lay_style_at(L, t->small_size < 9 ? 9 :
	    t->small_size, 0), bold = lay_style_at(L, st.size, 1);
	double cell = 34, gx = L->left + indent + 40, gy = 10;
	/* Its box ends under the "Likelihood" title (the space after it is
	 * the glue's): no slack that pushes it off a page it fits. */
	double h = gy + cell * 5 + st.size * 3.2;
	int l, i, k;
	struct buf alt;
	struct dl_op op;

	if (n->risk_l == NULL)
		return 0;
	buf_init(&alt);
	buf_puts(&alt, "Risk matrix of likelihood against impact:");
	for (k = 0; k < n->nkpi; k++) {
		int sc = n->risk_l[k] * n->risk_i[k];
		buf_printf(&alt, " risk %d at likelihood %d, impact %d (%s)%s",
		    k + 1, n->risk_l[k], n->risk_i[k], sc >= t->risk_red ? "red" :
		    sc >= t->risk_amber ? "amber" : "green",
		    k + 1 < n->nkpi ? ";" : ".");
	}
	lay_glue(L, 6);
	lay_pending(L, &(struct dl_op){ .kind = DL_BEGIN, .st = ST_FIGURE,
	    .level = 1, .alt = lay_buf_take(L, &alt),
	    .anchor = export_name(L, n, "table", "-matrix") });
	if (lay_box(L, h) != 0)
		return -1;
	for (l = 1; l <= 5; l++)
		for (i = 1; i <= 5; i++) {
			int sc = l * i;
			uint32_t fill = sc >= t->risk_red ? t->c_red :
			    sc >= t->risk_amber ? t->c_amber : t->c_green;
			double x = gx + (l - 1) * cell, y = gy + (5 - i) * cell;
			lay_op(L, &(struct dl_op){ .kind = DL_RECT, .x = x, .y = y,
			    .w = cell, .h = cell, .fill = fill, .do_fill = 1,
			    .do_stroke = 1, .colour = 0xFFFFFF, .line_width = 1 });
		}
	/* Axis numbers and titles. */
	for (k = 1; k <= 5; k++) {
		char d[4] = { (char)('0' + k), 0 };
		if (lay_text_op(L, &op, st.regular, st.size, t->c_text, gx +
		    (k - 0.5) * cell - 3, gy + 5 * cell + st.size + 2, d, 1) == 0)
			lay_op(L, &op);
		if (lay_text_op(L, &op, st.regular, st.size, t->c_text, gx - 10,
		    gy + (5 - k + 0.5) * cell + st.size / 3, d, 1) == 0)
			lay_op(L, &op);
	}
	if (lay_text_op(L, &op, bold.regular, st.size, t->c_text, gx + cell * 2,
	    gy + 5 * cell + st.size * 2.6, "Likelihood", 10) == 0)
		lay_op(L, &op);
	if (lay_text_op(L, &op, bold.regular, st.size, t->c_text, gx - 40,
	    gy + st.size, "Impact", 6) == 0)
		lay_op(L, &op);
	/* Markers: white discs with the risk's number, side by side when
	 * several share a cell. */
	for (k = 0; k < n->nkpi; k++) {
		int before = 0, j;
		double cx, cy, r = 8;
		const char *num = arena_printf(L->a, "%d", k + 1);
		struct dl_path_seg *seg = arena_alloc(L->a, 6 * sizeof(*seg));
		const double q = 0.5523 * r;
		for (j = 0; j < k; j++)
			before += n->risk_l[j] == n->risk_l[k] &&
			    n->risk_i[j] == n->risk_i[k];
		cx = gx + (n->risk_l[k] - 1) * cell + 10 + (before % 2) * 15;
		cy = gy + (5 - n->risk_i[k]) * cell + 10 + (before / 2 % 2) * 15;
		if (seg == NULL)
			return -1;
		seg[0] = (struct dl_path_seg){ PATH_MOVE, { r }, { 0 } };
		seg[1] = (struct dl_path_seg){ PATH_CURVE, { r, q, 0 }, { q, r, r } };
		seg[2] = (struct dl_path_seg){ PATH_CURVE, { -q, -r, -r },
		    { r, q, 0 } };
		seg[3] = (struct dl_path_seg){ PATH_CURVE, { -r, -q, 0 },
		    { -q, -r, -r } };
		seg[4] = (struct dl_path_seg){ PATH_CURVE, { q, r, r },
		    { -r, -q, 0 } };
		seg[5] = (struct dl_path_seg){ PATH_CLOSE, { 0 }, { 0 } };
		lay_op(L, &(struct dl_op){ .kind = DL_PATH, .x = cx, .y = cy,
		    .segs = seg, .nsegs = 6, .fill = 0xFFFFFF, .do_fill = 1,
		    .do_stroke = 1, .colour = t->c_text, .line_width = 1 });
		if (lay_text_op(L, &op, bold.regular, st.size, t->c_text,
		    cx - lay_measure(L, bold.regular, st.size, num) / 2,
		    cy + st.size / 3, num, strlen(num)) == 0)
			lay_op(L, &op);
	}
	lay_end(L, ST_FIGURE);
	lay_glue(L, t->para_space_after + 4);
	return L->oom ? -1 : 0;
}

/* A picture at its own size (96 pixels to the inch), or width=, never
 * wider than the text; tagged as a Figure with its alt text. */
int
lay_image(struct lay *L, const struct node *n, double indent)
{
	double w, h, maxw = L->width - indent;

	if (n->img_path == NULL || n->img_w <= 0 || n->img_h <= 0)
		return 0;
	w = isfinite(n->chart_w) ? n->chart_w : n->img_w * 0.75;
	if (w > maxw)
		w = maxw;
	h = w * n->img_h / n->img_w;
	if (h > L->height * 0.9) {
		h = L->height * 0.9;
		w = h * n->img_w / n->img_h;
	}
	lay_glue(L, 6);
	lay_pending(L, &(struct dl_op){ .kind = DL_BEGIN, .st = ST_FIGURE,
	    .level = 1, .alt = n->alt, .x = L->left + indent, .y = 0, .w = w,
	    .h = h, .anchor = n->id });
	if (lay_box(L, h) != 0)
		return -1;
	lay_op(L, &(struct dl_op){ .kind = DL_IMAGE, .x = L->left + indent,
	    .y = 0, .w = w, .h = h, .uri = n->img_path,
	    .level = n->img_kind });
	lay_end(L, ST_FIGURE);
	lay_glue(L, L->t->para_space_after + 4);
	return L->oom ? -1 : 0;
}
