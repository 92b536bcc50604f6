/*
 * chart.c — see chart.h. Conventions from the Government Analysis
 * Function's chart guidance: legend above the plot and only for more than
 * one series, light gridlines, zero baseline for columns and bars, series
 * told apart by dash pattern and marker shape as well as colour, chart
 * text no smaller than 9 pt.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"

static const char *const type_names[CHART_TYPE_MAX] = {
	[CHART_LINE] = "line", [CHART_COLUMN] = "column", [CHART_BAR] = "bar",
	[CHART_GROUPED] = "grouped", [CHART_STACKED] = "stacked",
	[CHART_PIE] = "pie", [CHART_DONUT] = "donut",
};

const char *
chart_type_name(enum chart_type t)
{
	return t >= 0 && t < CHART_TYPE_MAX ? type_names[t] : "?";
}

int
chart_ticks(double lo, double hi, int n, double *first, double *step)
{
	double range, raw, mag, norm, st;
	int k;

	if (!isfinite(lo) || !isfinite(hi)) {
		lo = 0;
		hi = 1;
	}
	if (hi < lo) {
		double t = lo;
		lo = hi;
		hi = t;
	}
	if (hi == lo) {
		/* One value: a range around it (or 0..1 for zero). */
		if (hi == 0)
			hi = 1;
		else if (hi > 0)
			lo = 0;
		else
			hi = 0;
	}
	if (n < 2)
		n = 2;
	range = hi - lo;
	raw = range / n;
	mag = pow(10, floor(log10(raw)));
	norm = raw / mag;
	/* The nearest 1-2-5 step to range / n, as a fallback; then of the
	 * 1-2-5 steps that give from 3 to n + 2 ticks, the one whose axis
	 * wastes least beyond the data (3009 gets 0-3500 by 500, not 0-4000
	 * by 1000), with a little against each tick more or fewer than n. */
	st = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * mag;
	{
		static const double mult[] = { 1, 2, 5 };
		double best = INFINITY, cand, f, span;
		int e, m, kk, bestk = 0;

		for (e = -1; e <= 1; e++)
			for (m = 0; m < 3; m++) {
				cand = mult[m] * mag * pow(10, e);
				f = floor(lo / cand + 1e-9) * cand;
				kk = (int)ceil((hi - f) / cand - 1e-9) + 1;
				if (kk < 3 || kk > n + 2)
					continue;
				span = cand * (kk - 1);
				/* Waste, and a little for each tick from n. */
				f = (span - range) / span + 0.02 * abs(kk - n);
				if (f < best - 1e-9 || (fabs(f - best) <= 1e-9 &&
				    kk < bestk)) {
					best = f;
					bestk = kk;
					st = cand;
				}
			}
	}
	*step = st;
	*first = floor(lo / st + 1e-9) * st;
	k = (int)ceil((hi - *first) / st - 1e-9) + 1;
	if (k < 2)
		k = 2;
	if (k > 50)
		k = 50;
	return k;
}

static const uint32_t dflt_palette[] = { 0x12436D, 0x28A197, 0x801650,
	0xF46A25, 0x3D3D3D, 0xA285D1 };

static uint32_t
colour(const struct chart_ctx *c, int i)
{
	if (c->npalette > 0)
		return c->palette[i % c->npalette];
	return dflt_palette[i % 6];
}

static double
val(const struct chart_data *d, int s, int k)
{
	return d->v[(size_t)s * (size_t)d->ncat + (size_t)k];
}

static int
line(const struct chart_ctx *c, double x0, double y0, double x1, double y1,
    uint32_t col, double lw)
{
	struct dl_op op = { .kind = DL_LINE, .x = x0, .y = y0, .w = x1 - x0,
		.h = y1 - y0, .colour = col, .line_width = lw, .do_stroke = 1 };

	return c->op(c->arg, &op);
}

static int
rect(const struct chart_ctx *c, double x, double y, double w, double h,
    uint32_t fill)
{
	struct dl_op op = { .kind = DL_RECT, .x = x, .y = y, .w = w, .h = h,
		.fill = fill, .do_fill = 1 };

	if (h < 0) {
		op.y = y + h;
		op.h = -h;
	}
	if (w < 0) {
		op.x = x + w;
		op.w = -w;
	}
	return c->op(c->arg, &op);
}

static const char *
fmt_any(const struct chart_ctx *c, double v, int tick)
{
	struct buf b;
	const char *r;

	buf_init(&b);
	if (c->format)
		c->format(c->arg, v, tick, &b);
	else
		buf_printf(&b, "%g", v);
	/* A label cut short is not drawn as if whole: the arena's oom
	 * fails the stage that owns it. */
	if (b.oom)
		c->arena->oom = 1;
	r = b.oom ? NULL : arena_strdup(c->arena, b.data ? b.data : "");
	buf_free(&b);
	return r ? r : "";
}

static const char *
fmt(const struct chart_ctx *c, double v)
{
	return fmt_any(c, v, 0);
}

/* An axis label: whole steps print without decimals. */
static const char *
tick_label(const struct chart_ctx *c, double v, double step)
{
	return fmt_any(c, v, step == floor(step));
}

/* Text placed by its left, centre or right edge (align -1, 0, 1). */
static int
text_at(const struct chart_ctx *c, int bold, double size, uint32_t col,
    double x, double y, int align, const char *s)
{
	double w = c->measure(c->arg, bold, size, s);

	if (align == 0)
		x -= w / 2;
	else if (align > 0)
		x -= w;
	return c->text(c->arg, bold, size, col, x, y, s);
}

/* Small marker shapes, one per series, so lines differ without colour. */
static int
marker(const struct chart_ctx *c, int s, double x, double y, uint32_t col)
{
	struct dl_path_seg *seg = arena_alloc(c->arena, 5 * sizeof(*seg));
	struct dl_op op = { .kind = DL_PATH, .x = x, .y = y, .fill = col,
		.do_fill = 1 };
	const double r = 2.6;

	if (seg == NULL)
		return -1;
	switch (s % 3) {
	case 0: /* square */
		seg[0] = (struct dl_path_seg){ PATH_MOVE, { -r }, { -r } };
		seg[1] = (struct dl_path_seg){ PATH_LINE, { r }, { -r } };
		seg[2] = (struct dl_path_seg){ PATH_LINE, { r }, { r } };
		seg[3] = (struct dl_path_seg){ PATH_LINE, { -r }, { r } };
		seg[4] = (struct dl_path_seg){ PATH_CLOSE, { 0 }, { 0 } };
		op.nsegs = 5;
		break;
	case 1: /* triangle */
		seg[0] = (struct dl_path_seg){ PATH_MOVE, { 0 }, { -r * 1.2 } };
		seg[1] = (struct dl_path_seg){ PATH_LINE, { r * 1.2 }, { r } };
		seg[2] = (struct dl_path_seg){ PATH_LINE, { -r * 1.2 }, { r } };
		seg[3] = (struct dl_path_seg){ PATH_CLOSE, { 0 }, { 0 } };
		op.nsegs = 4;
		break;
	default: /* diamond */
		seg[0] = (struct dl_path_seg){ PATH_MOVE, { 0 }, { -r * 1.3 } };
		seg[1] = (struct dl_path_seg){ PATH_LINE, { r * 1.3 }, { 0 } };
		seg[2] = (struct dl_path_seg){ PATH_LINE, { 0 }, { r * 1.3 } };
		seg[3] = (struct dl_path_seg){ PATH_LINE, { -r * 1.3 }, { 0 } };
		seg[4] = (struct dl_path_seg){ PATH_CLOSE, { 0 }, { 0 } };
		op.nsegs = 5;
		break;
	}
	op.segs = seg;
	return c->op(c->arg, &op);
}

/* The legend, above the plot: a swatch and name per series, wrapping.
 * Returns the height used. */
static double
legend(const struct chart_ctx *c, const struct chart_data *d, int lines,
    double x, double y, double w)
{
	double cx = x, cy = y, sz = c->size, lh = sz * 1.5;
	int s;

	/* One series needs no key: the caption says what it is. */
	if (d->nser < 2)
		return 0;
	for (s = 0; s < d->nser; s++) {
		double tw = c->measure(c->arg, 0, sz, d->ser[s]);
		double item = 22 + tw + 14;
		if (cx + item > x + w && cx > x) {
			cx = x;
			cy += lh;
		}
		if (lines) {
			line(c, cx, cy + lh / 2 - 2, cx + 18, cy + lh / 2 - 2,
			    colour(c, s), 2);
			marker(c, s, cx + 9, cy + lh / 2 - 2, colour(c, s));
		} else
			rect(c, cx, cy + lh / 2 - 7, 14, 10, colour(c, s));
		c->text(c->arg, 0, sz, c->text_colour, cx + 22, cy + lh / 2 + 2,
		    d->ser[s]);
		cx += item;
	}
	return cy - y + lh + 4;
}

/* Is category k the one the chart draws apart (highlight=)? */
static int
highlighted(const struct chart_spec *sp, const struct chart_data *d, int k)
{
	return sp->highlight != NULL && strcmp(sp->highlight, d->cat[k]) == 0;
}

/* The highlighted category's outline: a dark line round its bar, so it
 * stands apart by more than colour (WCAG 1.4.1). */
static int
outline(const struct chart_ctx *c, double x, double y, double w, double h)
{
	struct dl_op op = { .kind = DL_RECT, .x = fmin(x, x + w),
		.y = fmin(y, y + h), .w = fabs(w), .h = fabs(h),
		.colour = c->text_colour, .line_width = 1.5, .do_stroke = 1 };

	return c->op(c->arg, &op);
}

/* A pie's label: its box (top left x, y; w × h), its one or two lines,
 * and the middle of its slice. */
struct plab {
	double      ang, x, y, w, h;
	const char *one, *name, *num;  /* one line, or name over num */
	int         right, bold;
};

/* Room round a pie for its labels [pt]: from the ring to a label's
 * nearest edge, and between two labels. */
#define PIE_PAD 8
#define PIE_GAP 2

/*
 * Places the labels round a pie of radius r at cx, cy, each beside the
 * middle of its slice: pushed apart down each side so none overlaps the
 * next, then outward until its box is clear of the ring (a label on a
 * slice hides it and reads as part of it). Returns 1 when every box is
 * inside the chart's box x, y, w, h.
 */
static int
pie_place(const struct chart_ctx *c, struct plab *lab, int nl, int two,
    double cx, double cy, double r, double x, double y, double w, double h)
{
	double lh = c->size * 1.2, clear = r + PIE_PAD / 2.0;
	int i, j, side, ok = 1;

	for (i = 0; i < nl; i++) {
		struct plab *p = &lab[i];
		double ax = cx + (r + PIE_PAD) * cos(p->ang);
		double ay = cy + (r + PIE_PAD) * sin(p->ang);
		p->right = cos(p->ang) >= 0;
		p->w = two ? fmax(c->measure(c->arg, p->bold, c->size, p->name),
		    c->measure(c->arg, p->bold, c->size, p->num)) :
		    c->measure(c->arg, p->bold, c->size, p->one);
		p->h = two ? 2 * lh : lh;
		/* Above the ring at the top, below it at the foot. */
		p->y = ay - p->h / 2 + sin(p->ang) * p->h / 2;
		p->x = p->right ? ax : ax - p->w;
	}
	for (side = 0; side < 2; side++) {
		int idx[64], m = 0;
		for (i = 0; i < nl; i++)
			if (lab[i].right == (side == 0))
				idx[m++] = i;
		/* In order down the page, then pushed apart. */
		for (i = 1; i < m; i++)
			for (j = i; j > 0 && lab[idx[j]].y < lab[idx[j - 1]].y; j--) {
				int t = idx[j];
				idx[j] = idx[j - 1];
				idx[j - 1] = t;
			}
		for (i = 1; i < m; i++) {
			const struct plab *a = &lab[idx[i - 1]];
			if (lab[idx[i]].y < a->y + a->h + PIE_GAP)
				lab[idx[i]].y = a->y + a->h + PIE_GAP;
		}
		/* Pushed past the foot: the column moves back up. */
		if (m > 0 && lab[idx[m - 1]].y + lab[idx[m - 1]].h > y + h) {
			lab[idx[m - 1]].y = y + h - lab[idx[m - 1]].h;
			for (i = m - 2; i >= 0; i--) {
				struct plab *a = &lab[idx[i]];
				if (a->y + a->h + PIE_GAP > lab[idx[i + 1]].y)
					a->y = lab[idx[i + 1]].y - PIE_GAP - a->h;
			}
		}
	}
	for (i = 0; i < nl; i++) {
		struct plab *p = &lab[i];
		/* How far the box's nearest row is from the centre's. */
		double dy = cy < p->y ? p->y - cy : cy > p->y + p->h ?
		    cy - p->y - p->h : 0;
		if (dy < clear) {
			double dx = sqrt(clear * clear - dy * dy);
			if (p->right && p->x < cx + dx)
				p->x = cx + dx;
			if (!p->right && p->x + p->w > cx - dx)
				p->x = cx - dx - p->w;
		}
		if (p->x < x - 1e-9 || p->x + p->w > x + w + 1e-9 ||
		    p->y < y - 1e-9 || p->y + p->h > y + h + 1e-9)
			ok = 0;
	}
	return ok;
}

/* The largest radius at which the labels fit round the pie, from the
 * largest the box holds down in steps of a point; the smallest tried
 * when none fits. */
static double
pie_radius(const struct chart_ctx *c, struct plab *lab, int nl, int two,
    double cx, double cy, double x, double y, double w, double h)
{
	double r, rmin = fmin(w, h) * 0.15;

	for (r = fmin(w, h) / 2 - 2; r > rmin; r -= 1)
		if (pie_place(c, lab, nl, two, cx, cy, r, x, y, w, h))
			return r;
	return rmin;
}

/* A path round a circle of radius r at cx, cy (four Bézier quarters). */
static struct dl_path_seg *
circle(const struct chart_ctx *c, double r)
{
	struct dl_path_seg *seg = arena_alloc(c->arena, 6 * sizeof(*seg));
	const double k4 = 0.5523;

	if (seg == NULL)
		return NULL;
	seg[0] = (struct dl_path_seg){ PATH_MOVE, { r }, { 0 } };
	seg[1] = (struct dl_path_seg){ PATH_CURVE, { r, r * k4, 0 },
	    { r * k4, r, r } };
	seg[2] = (struct dl_path_seg){ PATH_CURVE, { -r * k4, -r, -r },
	    { r, r * k4, 0 } };
	seg[3] = (struct dl_path_seg){ PATH_CURVE, { -r, -r * k4, 0 },
	    { -r * k4, -r, -r } };
	seg[4] = (struct dl_path_seg){ PATH_CURVE, { r * k4, r, r },
	    { -r, -r * k4, 0 } };
	seg[5] = (struct dl_path_seg){ PATH_CLOSE, { 0 }, { 0 } };
	return seg;
}

/*
 * A pie (or donut) as large as its box holds with its labels beside it,
 * centred in the box. Each label names its slice, its value and share;
 * labels go on one line, or on two (the name over the figures) when that
 * lets the pie grow by a tenth or more.
 */
static int
pie(const struct chart_ctx *c, const struct chart_spec *sp,
    const struct chart_data *d, double x, double y, double w, double h)
{
	double total = 0, a0 = -M_PI / 2, r, r1, r2, cx = x + w / 2,
	    cy = y + h / 2, lh = c->size * 1.2;
	struct plab lab[64];
	int k, i, nl = 0, two;

	for (k = 0; k < d->ncat; k++)
		if (isfinite(val(d, 0, k)) && val(d, 0, k) > 0)
			total += val(d, 0, k);
	if (total <= 0)
		return 0;
	for (k = 0; k < d->ncat && nl < 64; k++) {
		double v = val(d, 0, k), share;
		if (!isfinite(v) || v <= 0)
			continue;
		share = 100 * v / total;
		lab[nl].ang = a0 + M_PI * v / total;
		lab[nl].name = d->cat[k];
		lab[nl].num = arena_printf(c->arena, "%s (%.0f%%)", fmt(c, v),
		    share);
		lab[nl].one = arena_printf(c->arena, "%s: %s", d->cat[k],
		    lab[nl].num ? lab[nl].num : "");
		lab[nl].bold = highlighted(sp, d, k);
		if (lab[nl].num == NULL || lab[nl].one == NULL)
			return -1;
		a0 += 2 * M_PI * v / total;
		nl++;
	}
	/* A little room above and below: the caption is close. */
	y += 4;
	h -= 8;
	r1 = pie_radius(c, lab, nl, 0, cx, cy, x, y, w, h);
	r2 = pie_radius(c, lab, nl, 1, cx, cy, x, y, w, h);
	two = r2 > r1 * 1.1;
	r = two ? r2 : r1;
	pie_place(c, lab, nl, two, cx, cy, r, x, y, w, h);
	a0 = -M_PI / 2;
	for (k = 0; k < d->ncat; k++) {
		double v = val(d, 0, k), a1;
		int hl = highlighted(sp, d, k);
		struct dl_path_seg *seg;
		/* The highlighted slice outlined as well as coloured apart. */
		struct dl_op op = { .kind = DL_PATH, .x = cx, .y = cy,
			.fill = colour(c, k), .do_fill = 1, .do_stroke = 1,
			.colour = hl ? c->text_colour : 0xFFFFFF,
			.line_width = hl ? 2 : 1 };
		int n, steps;

		if (!isfinite(v) || v <= 0)
			continue;
		a1 = a0 + 2 * M_PI * v / total;
		steps = (int)ceil((a1 - a0) / (M_PI / 16)) + 1;
		seg = arena_alloc(c->arena, (size_t)(steps + 4) * sizeof(*seg));
		if (seg == NULL)
			return -1;
		n = 0;
		seg[n++] = (struct dl_path_seg){ PATH_MOVE, { 0 }, { 0 } };
		for (i = 0; i <= steps; i++) {
			double a = a0 + (a1 - a0) * i / steps;
			seg[n++] = (struct dl_path_seg){ PATH_LINE, { r * cos(a) },
			    { r * sin(a) } };
		}
		seg[n++] = (struct dl_path_seg){ PATH_CLOSE, { 0 }, { 0 } };
		op.segs = seg;
		op.nsegs = (unsigned)n;
		if (c->op(c->arg, &op) != 0)
			return -1;
		a0 = a1;
	}
	/* Each label with a leader from the middle of its slice's edge to
	 * the middle of the label's side nearest the ring. */
	for (i = 0; i < nl; i++) {
		const struct plab *p = &lab[i];
		double ex = cx + (r + 3) * cos(p->ang), ey = cy + (r + 3) *
		    sin(p->ang), lx = p->right ? p->x - 1 : p->x + p->w + 1;
		line(c, cx + r * cos(p->ang), cy + r * sin(p->ang), ex, ey,
		    c->axis_colour, 0.75);
		line(c, ex, ey, lx, p->y + p->h / 2, c->axis_colour, 0.75);
		if (two) {
			text_at(c, p->bold, c->size, c->text_colour, p->right ? p->x :
			    p->x + p->w, p->y + c->size * 0.9, p->right ? -1 : 1,
			    p->name);
			text_at(c, p->bold, c->size, c->text_colour, p->right ? p->x :
			    p->x + p->w, p->y + lh + c->size * 0.9, p->right ? -1 : 1,
			    p->num);
		} else
			text_at(c, p->bold, c->size, c->text_colour, p->x, p->y +
			    c->size * 0.9, -1, p->one);
	}
	if (sp->type == CHART_DONUT) {
		/* The total in the hole, which grows (to four fifths of the
		 * ring) rather than let the number run onto the ring. */
		const char *tot = fmt(c, total);
		double ts = c->size * 1.2, tw = c->measure(c->arg, 1, ts, tot);
		double ri = fmin(r * 0.8, fmax(r * 0.55, hypot(tw / 2,
		    ts * 0.5) + 3));
		struct dl_path_seg *seg = circle(c, ri);
		struct dl_op op = { .kind = DL_PATH, .x = cx, .y = cy,
			.fill = 0xFFFFFF, .do_fill = 1, .segs = seg, .nsegs = 6 };
		if (seg == NULL || c->op(c->arg, &op) != 0)
			return -1;
		text_at(c, 1, ts, c->text_colour, cx, cy + ts / 3, 0, tot);
	}
	return 0;
}

/*
 * Does anything the data draws (a line with its markers, a column) come
 * into the box x0,y0-x1,y1? For placing a label over the plot: a label
 * on data hides the data and reads as part of it.
 */
static int
marks_hit(const struct chart_spec *sp, const struct chart_data *d, double px,
    double py, double pw, double ph, double lo, double hi, double x0,
    double y0, double x1, double y1)
{
	double slot = pw / d->ncat, r = 3.5;
	int s, k;

	for (s = 0; s < d->nser; s++)
		for (k = 0; k < d->ncat; k++) {
			double v = val(d, s, k), cx = px + slot * (k + 0.5), cy;
			if (!isfinite(v))
				continue;
			cy = py + ph - (v - lo) / (hi - lo) * ph;
			if (sp->type != CHART_LINE) {
				/* A column: its slot's width, from the baseline up. */
				double top = fmin(cy, py + ph - (0 - lo) / (hi - lo) * ph);
				if (px + slot * k < x1 && px + slot * (k + 1) > x0 &&
				    top < y1)
					return 1;
				continue;
			}
			if (cx + r > x0 && cx - r < x1 && cy + r > y0 && cy - r < y1)
				return 1;
			if (k + 1 < d->ncat && isfinite(val(d, s, k + 1))) {
				/* The segment to the next point, within the box's
				 * columns: its lowest and highest y there. */
				double nx = cx + slot, ny = py + ph - (val(d, s, k + 1) -
				    lo) / (hi - lo) * ph;
				double a = fmax(x0, cx), b = fmin(x1, nx), ya, yb;
				if (a >= b)
					continue;
				ya = cy + (ny - cy) * (a - cx) / slot;
				yb = cy + (ny - cy) * (b - cx) / slot;
				if (fmin(ya, yb) - 1 < y1 && fmax(ya, yb) + 1 > y0)
					return 1;
			}
		}
	return 0;
}

int
chart_draw(const struct chart_ctx *c, const struct chart_spec *sp,
    const struct chart_data *d, double x, double y, double w, double h)
{
	double lo = INFINITY, hi = -INFINITY, first, step, top = y, lo0, hi0;
	double px, py, pw, ph, ylab_w = 0, xlab_h, sz = c->size;
	int k, s, nt, i, horiz = sp->type == CHART_BAR, reticked = 0;
	int stacked = sp->type == CHART_STACKED;
	int lines = sp->type == CHART_LINE;

	if (d->ncat == 0 || d->nser == 0)
		return 0;
	if (sp->type == CHART_PIE || sp->type == CHART_DONUT)
		return pie(c, sp, d, x, y, w, h);
	/* The value range. */
	for (k = 0; k < d->ncat; k++) {
		double pos = 0, neg = 0;
		for (s = 0; s < d->nser; s++) {
			double v = val(d, s, k);
			if (!isfinite(v))
				continue;
			if (stacked) {
				if (v >= 0)
					pos += v;
				else
					neg += v;
			} else {
				lo = fmin(lo, v);
				hi = fmax(hi, v);
			}
		}
		if (stacked) {
			lo = fmin(lo, neg);
			hi = fmax(hi, pos);
		}
	}
	if (!isfinite(lo))
		lo = hi = 0;
	if (!lines || lo > 0)
		lo = fmin(lo, 0); /* columns and bars start at zero */
	if (isfinite(sp->target)) {
		lo = fmin(lo, sp->target);
		hi = fmax(hi, sp->target);
	}
	if (isfinite(sp->y_min))
		lo = sp->y_min;
	if (isfinite(sp->y_max))
		hi = sp->y_max;
	lo0 = lo;
	hi0 = hi;
	nt = chart_ticks(lo, hi, horiz ? 5 : 6, &first, &step);
retick:
	lo = fmin(lo0, first);
	hi = fmax(hi0, first + step * (nt - 1));
	if (hi <= lo)
		hi = lo + 1;
	if (!reticked)
		top += legend(c, d, lines, x, y, w);
	if (sp->y_label && !horiz) {
		c->text(c->arg, 0, sz, c->text_colour, x, top + sz, sp->y_label);
		top += sz * 1.6;
	}
	/* Room for value labels on the value axis and category labels. */
	ylab_w = 0;
	for (i = 0; i < nt; i++)
		ylab_w = fmax(ylab_w, c->measure(c->arg, 0, sz,
		    tick_label(c, first + i * step, step)));
	if (horiz) {
		double cw = 0;
		for (k = 0; k < d->ncat; k++)
			cw = fmax(cw, c->measure(c->arg, 0, sz, d->cat[k]));
		cw = fmin(cw, w * 0.4);
		px = x + cw + 8;
		pw = x + w - px - ylab_w / 2;
		/* Bars' values run across, their labels side by side: as
		 * many steps as the width holds with a space between labels,
		 * so 3009 tops out at 3500 when eight labels fit, not 4000. */
		if (!reticked && !isfinite(sp->y_max) &&
		    pw / (ylab_w + sz) >= 8) {
			reticked = 1;
			nt = chart_ticks(lo0, hi0, 6, &first, &step);
			goto retick;
		}
		xlab_h = sz * 1.8 + (sp->y_label ? sz * 1.6 : 0);
		py = top + 4;
		ph = y + h - xlab_h - py;
	} else {
		px = x + ylab_w + 8;
		pw = x + w - px - 4;
		xlab_h = sz * 3.4; /* room for labels on two lines */
		py = top + 4;
		ph = y + h - xlab_h - py;
	}
	if (pw < 20 || ph < 20)
		return 0;
	/* Gridlines and value labels. */
	for (i = 0; i < nt; i++) {
		double v = first + i * step;
		const char *lab = tick_label(c, v, step);
		if (v < lo - 1e-9 || v > hi + 1e-9)
			continue;
		if (horiz) {
			double gx = px + (v - lo) / (hi - lo) * pw;
			line(c, gx, py, gx, py + ph, v == 0 ? c->axis_colour :
			    c->grid_colour, v == 0 ? 1 : 0.5);
			text_at(c, 0, sz, c->text_colour, gx, py + ph + sz * 1.3, 0,
			    lab);
		} else {
			double gy = py + ph - (v - lo) / (hi - lo) * ph;
			line(c, px, gy, px + pw, gy, v == 0 ? c->axis_colour :
			    c->grid_colour, v == 0 ? 1 : 0.5);
			text_at(c, 0, sz, c->text_colour, px - 4, gy + sz / 3, 1, lab);
		}
	}
	if (horiz && sp->y_label)
		text_at(c, 0, sz, c->text_colour, px + pw / 2, py + ph + sz * 3, 0,
		    sp->y_label);
	/* Category labels: wrapped onto two lines, then thinned, so they
	 * never overlap. */
	{
		double slot = (horiz ? ph : pw) / d->ncat, widest = 0, wide2 = 0;
		int every = 1, two = 0;
		const char **l1 = arena_alloc(c->arena, (size_t)d->ncat *
		    sizeof(*l1));
		const char **l2 = arena_alloc(c->arena, (size_t)d->ncat *
		    sizeof(*l2));
		if (l1 == NULL || l2 == NULL)
			return -1;
		for (k = 0; k < d->ncat; k++) {
			const char *lab = d->cat[k], *cut = NULL, *q;
			size_t len = strlen(lab);
			widest = fmax(widest, c->measure(c->arg, 0, sz, lab));
			/* The space nearest the middle splits it in two. */
			for (q = lab; *q; q++)
				if (*q == ' ' && (cut == NULL || fabs((double)(q - lab) -
				    len / 2.0) < fabs((double)(cut - lab) - len / 2.0)))
					cut = q;
			l1[k] = cut ? arena_strndup(c->arena, lab, (size_t)(cut - lab)) :
			    lab;
			l2[k] = cut ? cut + 1 : NULL;
			wide2 = fmax(wide2, fmax(c->measure(c->arg, 0, sz, l1[k]),
			    l2[k] ? c->measure(c->arg, 0, sz, l2[k]) : 0));
		}
		if (!horiz && widest + 6 > slot && wide2 + 6 <= slot)
			two = 1;
		if (!horiz && !two)
			while (every < d->ncat && widest + 6 > slot * every)
				every++;
		else if (horiz)
			while (every < d->ncat && sz * 1.2 > slot * every)
				every++;
		for (k = 0; k < d->ncat; k += every) {
			int bold = highlighted(sp, d, k);
			if (horiz) {
				double cy = py + slot * (k + 0.5) + sz / 3;
				text_at(c, bold, sz, c->text_colour, px - 6, cy, 1,
				    d->cat[k]);
			} else if (two) {
				double cx = px + slot * (k + 0.5);
				text_at(c, bold, sz, c->text_colour, cx, py + ph + sz * 1.4,
				    0, l1[k]);
				if (l2[k])
					text_at(c, bold, sz, c->text_colour, cx, py + ph +
					    sz * 2.6, 0, l2[k]);
			} else {
				double cx = px + slot * (k + 0.5);
				text_at(c, bold, sz, c->text_colour, cx, py + ph + sz * 1.4,
				    0, d->cat[k]);
			}
		}
	}
	/* The data. */
	{
		double slot = (horiz ? ph : pw) / d->ncat;
		int groups = (sp->type == CHART_GROUPED || sp->type ==
		    CHART_COLUMN || horiz) && !stacked ? d->nser : 1;
		double bw = slot * 0.7 / groups;
		for (k = 0; k < d->ncat; k++) {
			double base_pos = 0, base_neg = 0;
			for (s = 0; s < d->nser; s++) {
				double v = val(d, s, k), a, b;
				int hl = highlighted(sp, d, k);
				/* One series: the highlighted bar in the next
				 * colour; with several, colour tells series apart. */
				uint32_t fill = colour(c, hl && d->nser == 1 ? 1 : s);
				if (!isfinite(v))
					continue;
				if (lines)
					continue;
				if (stacked) {
					a = v >= 0 ? base_pos : base_neg;
					b = a + v;
					if (v >= 0)
						base_pos = b;
					else
						base_neg = b;
				} else {
					a = 0;
					b = v;
				}
				if (horiz) {
					double yy = py + slot * k + slot * 0.15 + bw * s;
					double xa = px + (a - lo) / (hi - lo) * pw;
					double xb = px + (b - lo) / (hi - lo) * pw;
					rect(c, xa, yy, xb - xa, bw, fill);
					if (hl)
						outline(c, xa, yy, xb - xa, bw);
					if (sp->data_labels)
						text_at(c, 0, sz, c->text_colour, xb + 3,
						    yy + bw / 2 + sz / 3, -1, fmt(c, v));
				} else {
					double xx = px + slot * k + slot * 0.15 +
					    (stacked ? 0 : bw * s);
					double ya = py + ph - (a - lo) / (hi - lo) * ph;
					double yb = py + ph - (b - lo) / (hi - lo) * ph;
					rect(c, xx, ya, stacked ? slot * 0.7 : bw, yb - ya,
					    fill);
					if (hl)
						outline(c, xx, ya, stacked ? slot * 0.7 : bw,
						    yb - ya);
					if (sp->data_labels)
						text_at(c, 0, sz, c->text_colour, xx + bw / 2,
						    yb - 3, 0, fmt(c, v));
				}
			}
		}
		if (lines) {
			for (s = 0; s < d->nser; s++) {
				struct dl_path_seg *seg = arena_alloc(c->arena,
				    (size_t)(d->ncat + 1) * sizeof(*seg));
				struct dl_op op = { .kind = DL_PATH, .x = 0, .y = 0,
					.colour = colour(c, s), .do_stroke = 1,
					.line_width = 2 };
				int n = 0, pen = 0;
				if (seg == NULL)
					return -1;
				for (k = 0; k < d->ncat; k++) {
					double v = val(d, s, k);
					if (!isfinite(v)) {
						pen = 0; /* a gap for a missing value */
						continue;
					}
					seg[n].op = pen ? PATH_LINE : PATH_MOVE;
					seg[n].x[0] = px + slot * (k + 0.5);
					seg[n].y[0] = py + ph - (v - lo) / (hi - lo) * ph;
					n++;
					pen = 1;
				}
				op.segs = seg;
				op.nsegs = (unsigned)n;
				/* Dashes tell series apart without colour. */
				op.dash = s % 3;
				if (n > 0 && c->op(c->arg, &op) != 0)
					return -1;
				for (k = 0; k < d->ncat; k++) {
					double v = val(d, s, k);
					if (!isfinite(v))
						continue;
					if (d->ncat <= 60)
						marker(c, s, px + slot * (k + 0.5), py + ph -
						    (v - lo) / (hi - lo) * ph, colour(c, s));
				}
			}
		}
	}
	if (isfinite(sp->target)) {
		double gy = py + ph - (sp->target - lo) / (hi - lo) * ph;
		if (!horiz) {
			const char *lab = arena_printf(c->arena, "Target %s",
			    fmt(c, sp->target));
			double lw = c->measure(c->arg, 0, sz, lab);
			/* Above the line at the right, below it, then the same
			 * at the left: the first place no series is drawn. */
			static const struct { int left, below; } at[] = {
				{ 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } };
			int p;
			line(c, px, gy, px + pw, gy, 0xD4351C, 1.5);
			for (p = 0; p < 4; p++) {
				double bx = at[p].left ? px + 2 : px + pw - lw;
				double by = at[p].below ? gy + 3 + sz : gy - 3;
				if (!marks_hit(sp, d, px, py, pw, ph, lo, hi, bx, by - sz *
				    0.8, bx + lw, by + sz * 0.2))
					break;
			}
			if (p == 4)
				p = 0;
			text_at(c, 0, sz, 0xD4351C, at[p].left ? px + 2 : px + pw,
			    at[p].below ? gy + 3 + sz : gy - 3, at[p].left ? -1 : 1,
			    lab);
		}
	}
	/* The axis. */
	if (horiz)
		line(c, px, py, px, py + ph, c->axis_colour, 1);
	else
		line(c, px, py + ph, px + pw, py + ph, c->axis_colour, 1);
	return 0;
}

const char *
chart_table_head(const struct chart_data *d, const char *y_label, int col)
{
	if (col == 0)
		return d->x_named && d->x_name && *d->x_name ? d->x_name :
		    "Category";
	/* Several series: the names the legend shows them by. */
	if (d->nser > 1)
		return d->ser[col - 1];
	if (d->ser_named)
		return d->ser[0];
	return y_label && *y_label ? y_label : "Value";
}

/* A pie or donut is its parts: each said with its value and share
 * ("Serious violence £38,200 (51%)"), as a reader would read the slices.
 * 0, or -1 (nothing written) when the parts are not all positive
 * shares of a whole. */
#define ALT_PARTS 12
static int
parts(const struct chart_ctx *c, const struct chart_data *d, struct buf *b)
{
	double sum = 0, v, pc;
	int k;

	for (k = 0; k < d->ncat; k++) {
		if (!isfinite(v = val(d, 0, k)) || v < 0)
			return -1;
		sum += v;
	}
	if (!(sum > 0))
		return -1;
	buf_puts(b, ": ");
	for (k = 0; k < d->ncat; k++) {
		pc = 100 * val(d, 0, k) / sum;
		buf_printf(b, "%s%s %s (", k == 0 ? "" : k == d->ncat - 1 ?
		    " and " : ", ", d->cat[k], fmt(c, val(d, 0, k)));
		if (pc > 0 && pc < 0.5)
			buf_puts(b, "under 1%)");
		else
			buf_printf(b, "%.0f%%)", pc);
	}
	buf_puts(b, ".");
	return 0;
}

const char *
chart_alt(const struct chart_ctx *c, const struct chart_spec *sp,
    const struct chart_data *d)
{
	struct buf b;
	int k, s, hk = -1, hs = -1, lk = -1, ls = -1;
	double hv = -INFINITY, lv = INFINITY;
	const char *r, *subject;
	static const char *const kinds[CHART_TYPE_MAX] = {
		[CHART_LINE] = "Line chart", [CHART_COLUMN] = "Column chart",
		[CHART_BAR] = "Bar chart", [CHART_GROUPED] = "Grouped column chart",
		[CHART_STACKED] = "Stacked column chart", [CHART_PIE] = "Pie chart",
		[CHART_DONUT] = "Donut chart",
	};

	buf_init(&b);
	/* Never a field name ("of crimes", "by area_code"): the y-label,
	 * else the series' label, else nothing; the x-label, else nothing
	 * ("by category" said nothing, and was wrong for months). */
	subject = sp->y_label ? sp->y_label : d->nser == 1 && d->ser_named ?
	    d->ser[0] : NULL;
	buf_puts(&b, kinds[sp->type]);
	if (subject != NULL)
		buf_printf(&b, " of %s", subject);
	if (d->x_named && d->x_name && *d->x_name)
		buf_printf(&b, " by %s", d->x_name);
	if (d->ncat > 0 && (sp->type == CHART_PIE || sp->type == CHART_DONUT)
	    && d->nser == 1 && d->ncat <= ALT_PARTS && parts(c, d, &b) == 0)
		goto tail;
	if (d->ncat > 0)
		buf_printf(&b, ", %s to %s", d->cat[0], d->cat[d->ncat - 1]);
	/* One series beside a y-label: its label is worth saying ("for
	 * Change") unless the y-label already says it ("Crimes per 1,000
	 * people, 2013/14"); the data's name for it is not ("for crimes"). */
	if (d->nser > 1 || (sp->y_label && d->nser == 1 && d->ser_named &&
	    strncmp(sp->y_label, d->ser[0], strlen(d->ser[0])) != 0)) {
		buf_puts(&b, ", for ");
		for (s = 0; s < d->nser; s++)
			buf_printf(&b, "%s%s", s == 0 ? "" : s == d->nser - 1 ?
			    " and " : ", ", d->ser[s]);
	}
	buf_puts(&b, ".");
	for (s = 0; s < d->nser; s++)
		for (k = 0; k < d->ncat; k++) {
			double v = val(d, s, k);
			if (!isfinite(v))
				continue;
			if (v > hv) {
				hv = v;
				hk = k;
				hs = s;
			}
			if (v < lv) {
				lv = v;
				lk = k;
				ls = s;
			}
		}
	if (hk >= 0) {
		buf_printf(&b, " Highest: %s in %s", fmt(c, hv), d->cat[hk]);
		if (d->nser > 1)
			buf_printf(&b, " (%s)", d->ser[hs]);
		buf_printf(&b, "; lowest: %s in %s", fmt(c, lv), d->cat[lk]);
		if (d->nser > 1)
			buf_printf(&b, " (%s)", d->ser[ls]);
		buf_puts(&b, ".");
	} else
		buf_puts(&b, " It has no values.");
tail:
	if (sp->highlight != NULL)
		buf_printf(&b, " %s is highlighted.", sp->highlight);
	if (b.oom)
		c->arena->oom = 1;   /* as in fmt_any() */
	r = b.oom ? NULL : arena_strdup(c->arena, b.data ? b.data : "");
	buf_free(&b);
	return r;
}
