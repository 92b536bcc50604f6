/* test_chart.c — charts checked by what they mean, on the ops the chart
 * module draws: tick values and their labels, the axis range and the zero
 * baseline, colours from the templates' palettes in order, the legend
 * rule, labels that never overlap, pie shares and the text alternative.
 * The mock measures half an em a character, so no fonts are involved;
 * one test lays out the real chart gallery with real fonts. */
#include <math.h>
#include "helpers.h"
#include "chart/chart.h"
#include "render/cairo.h"
#include <libxml/parser.h>
#include <libxml/tree.h>

struct rec {
	struct dl_op ops[4096];
	const char  *text[4096];
	int          n;
};

static double
m_measure(void *arg, int bold, double size, const char *s)
{
	(void)arg; (void)bold;
	return strlen(s) * size * 0.5;
}

static int
m_text(void *arg, int bold, double size, uint32_t colour, double x, double y,
    const char *s)
{
	struct rec *r = arg;

	if (r->n < 4096) {
		/* .font records bold (1) or regular (0). */
		struct dl_op o = { .kind = DL_TEXT, .x = x, .y = y, .size = size,
			.colour = colour, .w = m_measure(arg, 0, size, s),
			.font = (short)bold };
		r->ops[r->n] = o;
		r->text[r->n++] = s;
	}
	return 0;
}

static int
m_op(void *arg, const struct dl_op *op)
{
	struct rec *r = arg;

	if (r->n < 4096) {
		r->ops[r->n] = *op;
		r->text[r->n++] = NULL;
	}
	return 0;
}

static void
m_format(void *arg, double v, int tick, struct buf *out)
{
	(void)arg;
	buf_printf(out, tick ? "%.0f" : "%g", v);
}

static struct arena ar;

static struct chart_ctx
ctx(struct rec *r)
{
	struct chart_ctx c;

	memset(&c, 0, sizeof(c));
	memset(r, 0, sizeof(*r));
	c.arg = r;
	c.measure = m_measure;
	c.text = m_text;
	c.op = m_op;
	c.format = m_format;
	c.arena = &ar;
	c.size = 9;
	c.text_colour = 0x0B0C0C;
	c.grid_colour = 0xDDDDDD;
	c.axis_colour = 0x505A5F;
	return c;
}

static void
ticks(double lo, double hi, double want_first, double want_step,
    int min_n, int max_n)
{
	double first, step;
	int n = chart_ticks(lo, hi, 6, &first, &step);

	if (fabs(first - want_first) > 1e-9 * fmax(1, fabs(want_first)) ||
	    fabs(step - want_step) > 1e-9 * want_step || n < min_n || n > max_n)
		fail_msg("ticks(%g, %g): first %g step %g n %d", lo, hi, first,
		    step, n);
	/* Every step is 1, 2 or 5 times a power of ten, and the ticks
	 * cover the range. */
	{
		double m = step / pow(10, floor(log10(step)));
		assert_true(fabs(m - 1) < 1e-9 || fabs(m - 2) < 1e-9 ||
		    fabs(m - 5) < 1e-9);
		assert_true(first <= lo + 1e-9 || lo == hi);
		assert_true(first + step * (n - 1) >= hi - 1e-9 || lo == hi);
	}
}

static void
test_ticks(void **state)
{
	double first, step;

	(void)state;
	ticks(0, 1, 0, 0.2, 6, 6);
	ticks(0, 10, 0, 2, 6, 6);
	ticks(0, 7763, 0, 2000, 5, 5);
	/* The step that wastes least: 3009 tops out at 3500, not 4000;
	 * 0.087 at 0.09, not 0.1 (with the data from 0.013). */
	ticks(0, 3009, 0, 500, 8, 8);
	ticks(0, 130, 0, 20, 8, 8);
	ticks(0, 61, 0, 10, 8, 8);
	ticks(0, 1e9, 0, 2e8, 6, 6);
	ticks(-35, 80, -40, 20, 7, 7);
	ticks(-5, -1, -5, 1, 5, 5);
	ticks(0.013, 0.087, 0, 0.02, 5, 6);
	/* One value and all zeros still make an axis. */
	assert_true(chart_ticks(42, 42, 6, &first, &step) >= 2);
	assert_true(first <= 0 && first + step > 0);
	assert_true(chart_ticks(0, 0, 6, &first, &step) >= 2);
	assert_true(step > 0);
	assert_true(chart_ticks(NAN, NAN, 6, &first, &step) >= 2);
}

static struct chart_data
data(int ncat, int nser, double *v, const char **cat, const char **ser)
{
	struct chart_data d = { ncat, nser, cat, ser, v, "month", 1, 1 };

	return d;
}

/* Labels never overlap: with many categories some are left out. */
static void
test_label_thinning(void **state)
{
	static const char *cats[60], *ser[1] = { "Incidents" };
	double v[60];
	struct rec r;
	struct chart_ctx c = ctx(&r);
	struct chart_spec sp = { CHART_LINE, NULL, NAN, NAN, NAN, NULL, 0, NULL };
	struct chart_data d;
	int i, labels = 0;
	double last_end = -1e9;

	(void)state;
	for (i = 0; i < 60; i++) {
		cats[i] = arena_printf(&ar, "Month %d", i + 1);
		v[i] = 100 + (i % 12) * 7;
	}
	d = data(60, 1, v, cats, ser);
	assert_int_equal(chart_draw(&c, &sp, &d, 0, 0, 400, 220), 0);
	for (i = 0; i < r.n; i++)
		if (r.text[i] && strncmp(r.text[i], "Month", 5) == 0) {
			assert_true(r.ops[i].x >= last_end);
			last_end = r.ops[i].x + r.ops[i].w;
			labels++;
		}
	assert_true(labels > 3 && labels < 60);
}

/* Columns start at zero; negative values go below the baseline. */
static void
test_columns_zero_baseline(void **state)
{
	static const char *cats[3] = { "A", "B", "C" }, *ser[1] = { "Change" };
	double v[3] = { 5, -3, 8 };
	struct rec r;
	struct chart_ctx c = ctx(&r);
	struct chart_spec sp = { CHART_COLUMN, NULL, NAN, NAN, NAN, NULL, 0, NULL };
	struct chart_data d = data(3, 1, v, cats, ser);
	int i, rects = 0, zero = 0;

	(void)state;
	assert_int_equal(chart_draw(&c, &sp, &d, 0, 0, 300, 200), 0);
	for (i = 0; i < r.n; i++) {
		if (r.ops[i].kind == DL_RECT && r.ops[i].do_fill)
			rects++;
		if (r.text[i] && strcmp(r.text[i], "0") == 0)
			zero = 1;
	}
	assert_int_equal(rects, 3);
	assert_true(zero);
	/* No legend for one series. */
	for (i = 0; i < r.n; i++)
		assert_true(r.text[i] == NULL || strcmp(r.text[i], "Change") != 0);
}

/* The top tick label of a bar chart of 3009 drawn w wide: "3500"
 * when eight labels fit side by side, with a space between each (and
 * the labels, in drawing order, then never touch), else "4000". */
static const char *
bar_top_tick(double w)
{
	static const char *cats[2] = { "Violence", "Robbery" }, *ser[1] = {
		"Crimes" };
	static char top[16];
	double v[2] = { 3009, 48 }, last = -INFINITY;
	struct rec r;
	struct chart_ctx c = ctx(&r);
	struct chart_spec sp = { CHART_BAR, "Crimes recorded", NAN, NAN, NAN,
		NULL, 0, NULL };
	struct chart_data d = data(2, 1, v, cats, ser);
	int i;

	assert_int_equal(chart_draw(&c, &sp, &d, 0, 0, w, 200), 0);
	top[0] = '\0';
	for (i = 0; i < r.n; i++) {
		char *end;
		if (r.text[i] == NULL)
			continue;
		(void)strtod(r.text[i], &end);
		if (*end != '\0' || end == r.text[i])
			continue;
		/* tick labels left to right, a space apart */
		assert_true(r.ops[i].x > last);
		last = r.ops[i].x + r.ops[i].w + c.size * 0.5;
		snprintf(top, sizeof(top), "%s", r.text[i]);
	}
	return top;
}

static void
test_bar_ticks_fit_width(void **state)
{
	(void)state;
	assert_string_equal(bar_top_tick(450), "3500");
	assert_string_equal(bar_top_tick(200), "4000");
}

/* Does the series' polyline (DL_PATH of more than one segment) come
 * into the box? Sampled finely along each segment. */
static int
path_in_box(const struct rec *r, double x0, double y0, double x1, double y1)
{
	int i, k, t;

	for (i = 0; i < r->n; i++) {
		const struct dl_op *o = &r->ops[i];
		if (o->kind != DL_PATH || o->nsegs < 2 || !o->do_stroke)
			continue;
		for (k = 1; k < (int)o->nsegs; k++)
			for (t = 0; t <= 100; t++) {
				double x = o->segs[k - 1].x[0] + (o->segs[k].x[0] -
				    o->segs[k - 1].x[0]) * t / 100;
				double y = o->segs[k - 1].y[0] + (o->segs[k].y[0] -
				    o->segs[k - 1].y[0]) * t / 100;
				if (x > x0 && x < x1 && y > y0 && y < y1)
					return 1;
			}
	}
	return 0;
}

/* The target line's label is never drawn over a series: where the line
 * climbs through it at the right, the label moves off the data; where
 * nothing is near, it stays above the line at the right. */
static void
test_target_label_clear(void **state)
{
	static const char *cats[4] = { "Q1", "Q2", "Q3", "Q4" };
	static const char *ser[1] = { "Incidents" };
	double climbs[4] = { 100, 150, 190, 215 }, low[4] = { 50, 60, 55, 70 };
	double *cases[2] = { climbs, low };
	int n;

	(void)state;
	for (n = 0; n < 2; n++) {
		struct rec r;
		struct chart_ctx c = ctx(&r);
		struct chart_spec sp = { CHART_LINE, NULL, 0, 250, 200, NULL, 0, NULL };
		struct chart_data d = data(4, 1, cases[n], cats, ser);
		double gy = NAN, right = 0;
		int i, lab = -1;

		assert_int_equal(chart_draw(&c, &sp, &d, 0, 0, 400, 240), 0);
		for (i = 0; i < r.n; i++) {
			if (r.text[i] && strcmp(r.text[i], "Target 200") == 0)
				lab = i;
			if (r.ops[i].kind == DL_LINE && r.ops[i].colour == 0xD4351C) {
				gy = r.ops[i].y;
				right = r.ops[i].x + r.ops[i].w;
			}
		}
		assert_true(lab >= 0 && isfinite(gy));
		{
			const struct dl_op *o = &r.ops[lab];
			int hit = path_in_box(&r, o->x, o->y - o->size * 0.8,
			    o->x + o->w, o->y + o->size * 0.2);
			if (hit)
				fail_msg("case %d: the label at %.1f,%.1f is drawn on "
				    "the series", n, o->x, o->y);
			if (n == 1 && (o->y > gy || fabs(o->x + o->w - right) > 0.01))
				fail_msg("nothing near: the label should sit above the "
				    "line at the right, not at %.1f,%.1f", o->x, o->y);
		}
	}
}

/* Pie labels carry the value and share, outside the slices. */
static void
test_pie_labels(void **state)
{
	static const char *cats[4] = { "Violence", "ASB", "Theft", "Other" };
	static const char *ser[1] = { "Crimes" };
	double v[4] = { 50, 30, 15, 5 };
	struct rec r;
	struct chart_ctx c = ctx(&r);
	struct chart_spec sp = { CHART_PIE, NULL, NAN, NAN, NAN, NULL, 0, NULL };
	struct chart_data d = data(4, 1, v, cats, ser);
	int i, found = 0, slices = 0;

	(void)state;
	assert_int_equal(chart_draw(&c, &sp, &d, 0, 0, 400, 240), 0);
	for (i = 0; i < r.n; i++) {
		if (r.ops[i].kind == DL_PATH)
			slices++;
		if (r.text[i] && strcmp(r.text[i], "Other: 5 (5%)") == 0)
			found = 1;
	}
	assert_int_equal(slices, 4);
	assert_true(found);
}

static void
test_alt_text(void **state)
{
	static const char *cats[3] = { "Apr 20", "Jul 20", "Mar 23" };
	static const char *ser[2] = { "Blaby", "Hinckley and Bosworth" };
	double v[6] = { 300, 412, 280, 250, 390, NAN };
	struct rec r;
	struct chart_ctx c = ctx(&r);
	struct chart_spec sp = { CHART_LINE, "ASB incidents", NAN, NAN, NAN,
		NULL, 0, NULL };
	struct chart_data d = data(3, 2, v, cats, ser);
	const char *alt;

	(void)state;
	alt = chart_alt(&c, &sp, &d);
	assert_string_equal(alt, "Line chart of ASB incidents by month, Apr 20 "
	    "to Mar 23, for Blaby and Hinckley and Bosworth. Highest: 412 in "
	    "Jul 20 (Blaby); lowest: 250 in Apr 20 (Hinckley and Bosworth).");
}

/* A pie's spec, or a donut's. */
static struct chart_spec
pie_spec(int donut)
{
	struct chart_spec sp = { donut ? CHART_DONUT : CHART_PIE, NULL, NAN,
		NAN, NAN, NULL, 0, NULL };

	return sp;
}

/* 10,000 points and a single category both make a sensible chart. */
static void
test_extremes(void **state)
{
	static const char *one[1] = { "2023/24" }, *ser[1] = { "Crimes" };
	double v1[1] = { 42 };
	const char **cats = malloc(10000 * sizeof(*cats));
	double *v = malloc(10000 * sizeof(*v));
	struct rec *r = malloc(sizeof(*r));
	struct chart_ctx c;
	struct chart_spec sp = { CHART_LINE, NULL, NAN, NAN, NAN, NULL, 0, NULL };
	struct chart_data d;
	int i, paths = 0, labels = 0;

	(void)state;
	c = ctx(r);
	for (i = 0; i < 10000; i++) {
		cats[i] = "x";
		v[i] = sin(i / 100.0) * 100;
	}
	d = data(10000, 1, v, cats, ser);
	assert_int_equal(chart_draw(&c, &sp, &d, 0, 0, 400, 220), 0);
	for (i = 0; i < r->n; i++) {
		if (r->ops[i].kind == DL_PATH)
			paths++;
		if (r->text[i] && strcmp(r->text[i], "x") == 0)
			labels++;
	}
	assert_int_equal(paths, 1);   /* one line, no 10,000 markers */
	assert_true(labels < 100);     /* thinned */
	c = ctx(r);
	sp.type = CHART_COLUMN;
	d = data(1, 1, v1, one, ser);
	assert_int_equal(chart_draw(&c, &sp, &d, 0, 0, 400, 220), 0);
	for (i = 0, labels = 0; i < r->n; i++)
		labels += r->text[i] && strcmp(r->text[i], "2023/24") == 0;
	assert_int_equal(labels, 1);
	free(cats);
	free(v);
	free(r);
}

/* ---- Charts by meaning ---- */

/* The GOV.UK Analysis Function palette (default, Herefordshire,
 * Harborough) and the two councils' own, as the templates publish them. */
static const uint32_t govuk[6] = { 0x12436D, 0x28A197, 0x801650, 0xF46A25,
	0x3D3D3D, 0xA285D1 };
static const uint32_t blaby_pal[6] = { 0x00646A, 0xD17A22, 0x5B4B8A,
	0x7FA650, 0x3D3D3D, 0xB8435E };
static const uint32_t joint_pal[6] = { 0x1D4F91, 0x6A1B9A, 0x00646A,
	0xD17A22, 0x3D3D3D, 0x7FA650 };

static int
is_num(const char *s, double *v)
{
	char *end;

	if (s == NULL || *s == '\0')
		return 0;
	*v = strtod(s, &end);
	return *end == '\0';
}

/* A value-axis tick: its gridline and the number written at it. */
struct tick {
	const char         *lab;
	double              v;
	double              at;   /* gridline y, or x for bar charts [pt] */
	const struct dl_op *grid, *text;
	int                 idx;  /* op index of the gridline */
};

/* The ticks as drawn, lowest first: a gridline across the plot followed
 * by a number (data labels follow rects, pie labels are not numbers). */
static int
axis_ticks(const struct rec *r, int horiz, struct tick *t, int max)
{
	int i, n = 0;
	double v;

	for (i = 0; i + 1 < r->n && n < max; i++) {
		const struct dl_op *g = &r->ops[i];
		if (g->kind != DL_LINE || !is_num(r->text[i + 1], &v))
			continue;
		if (horiz ? g->w != 0 || g->h == 0 : g->h != 0 || g->w == 0)
			continue;
		t[n].lab = r->text[i + 1];
		t[n].v = v;
		t[n].at = horiz ? g->x : g->y;
		t[n].grid = g;
		t[n].text = &r->ops[i + 1];
		t[n].idx = i;
		n++;
	}
	return n;
}

/* Where the axis puts a position [pt], as a value. */
static double
value_at(const struct tick *t, int n, double pos)
{
	return t[0].v + (pos - t[0].at) / (t[n - 1].at - t[0].at) *
	    (t[n - 1].v - t[0].v);
}

static void
join_labels(const struct tick *t, int n, char *out, size_t len)
{
	int i;

	out[0] = '\0';
	for (i = 0; i < n; i++)
		snprintf(out + strlen(out), len - strlen(out), "%s%s", i ? " " : "",
		    t[i].lab);
}

static const char *cat8[8] = { "A", "B", "C", "D", "E", "F", "G", "H" };
static const char *ser8[8] = { "S1", "S2", "S3", "S4", "S5", "S6", "S7",
	"S8" };

struct axis_case {
	enum chart_type type;
	int             nser, ncat;
	double          v[8];
	double          y_min, y_max;
	const char     *want;  /* the tick labels, lowest first */
};

/* Ticks: exact values and labels for several ranges, each label at its
 * gridline, evenly spaced, the zero line marked; the axis runs from the
 * lowest tick (where the axis line is) to the highest (the top of the
 * plot); and every bar, stack and line point sits at its value on it. */
static void
test_axis_meaning(void **state)
{
	static const struct axis_case cases[] = {
		{ CHART_COLUMN, 1, 3, { 120, 250, 180 }, NAN, NAN,
		  "0 50 100 150 200 250" },
		{ CHART_COLUMN, 1, 3, { 5, -3, 8 }, NAN, NAN,
		  "-4 -2 0 2 4 6 8" },
		{ CHART_LINE, 1, 4, { 0.013, 0.05, 0.087, 0.02 }, NAN, NAN,
		  "0 0.02 0.04 0.06 0.08 0.1" },
		{ CHART_LINE, 1, 3, { -35, 80, 10 }, NAN, NAN,
		  "-40 -20 0 20 40 60 80" },
		{ CHART_LINE, 1, 3, { 120, 250, 180 }, 100, NAN,
		  "100 150 200 250" },
		{ CHART_COLUMN, 1, 2, { 7763, 1200 }, NAN, NAN,
		  "0 2000 4000 6000 8000" },
		{ CHART_BAR, 1, 3, { 100, 200, 50 }, NAN, NAN,
		  "0 50 100 150 200" },
		{ CHART_BAR, 1, 3, { 30, -12, 18 }, NAN, NAN,
		  "-20 -10 0 10 20 30" },
		{ CHART_COLUMN, 1, 2, { 120, 250 }, NAN, 300,
		  "0 50 100 150 200 250 300" },
		{ CHART_STACKED, 2, 2, { 100, 150, 80, 90 }, NAN, NAN,
		  "0 50 100 150 200 250" },
		{ CHART_STACKED, 2, 2, { 60, 40, -30, -50 }, NAN, NAN,
		  "-60 -40 -20 0 20 40 60" },
		{ CHART_GROUPED, 2, 2, { 55, 110, 30, 95 }, NAN, NAN,
		  "0 20 40 60 80 100 120" },
	};
	size_t ci;

	(void)state;
	for (ci = 0; ci < sizeof(cases) / sizeof(cases[0]); ci++) {
		const struct axis_case *a = &cases[ci];
		struct rec *r = malloc(sizeof(*r));
		struct chart_ctx c = ctx(r);
		struct chart_spec sp = { a->type, NULL, a->y_min, a->y_max, NAN,
			NULL, 0, NULL };
		struct chart_data d = data(a->ncat, a->nser, (double *)a->v, cat8,
		    ser8);
		int horiz = a->type == CHART_BAR, n, i, k, s, rect0;
		struct tick t[32];
		char got[256];
		double above = 0, tol;
		const struct dl_op *axis;

		assert_int_equal(chart_draw(&c, &sp, &d, 0, 0, 400, 260), 0);
		n = axis_ticks(r, horiz, t, 32);
		join_labels(t, n, got, sizeof(got));
		if (strcmp(got, a->want) != 0)
			fail_msg("case %zu (%s): ticks \"%s\", want \"%s\"", ci,
			    chart_type_name(a->type), got, a->want);
		tol = 1e-6 * (t[n - 1].v - t[0].v);
		for (i = 0; i < n; i++) {
			/* Evenly spaced, upwards or rightwards. */
			if (i > 1)
				assert_true(fabs((t[i].at - t[i - 1].at) -
				    (t[1].at - t[0].at)) < 1e-6);
			if (i > 0)
				assert_true(horiz ? t[i].at > t[i - 1].at :
				    t[i].at < t[i - 1].at);
			/* The label at its gridline. */
			if (horiz)
				assert_true(fabs(t[i].text->x + t[i].text->w / 2 -
				    t[i].at) < 1e-6);
			else {
				assert_true(fabs(t[i].text->y - c.size / 3 - t[i].at) <
				    1e-6);
				assert_true(t[i].text->x + t[i].text->w <
				    t[i].grid->x);
			}
			/* Zero is the axis colour and heavier; the rest light. */
			assert_int_equal(t[i].grid->colour, t[i].v == 0 ?
			    c.axis_colour : c.grid_colour);
			assert_true(t[i].grid->line_width == (t[i].v == 0 ? 1 : 0.5));
		}
		/* The axis line is at the lowest tick... */
		axis = &r->ops[r->n - 1];
		assert_int_equal(axis->kind, DL_LINE);
		assert_int_equal(axis->colour, c.axis_colour);
		assert_true(fabs((horiz ? axis->x : axis->y) - t[0].at) < 1e-6);
		/* ...and the highest tick ends the plot: at the right edge
		 * for bars (its label just inside the box), else just below
		 * whatever is above the plot (the box's top, legend). */
		if (horiz) {
			double widest = 0;
			for (i = 0; i < n; i++)
				widest = fmax(widest, t[i].text->w);
			if (fabs(t[n - 1].at + widest / 2 - 400) > 1e-6)
				fail_msg("case %zu: the axis ends %.1fpt short", ci,
				    400 - t[n - 1].at - widest / 2);
		} else {
			for (i = 0; i < t[0].idx; i++)
				if (r->text[i] && r->ops[i].y < t[n - 1].at)
					above = fmax(above, r->ops[i].y);
			if (t[n - 1].at - above > c.size + 6)
				fail_msg("case %zu: %.1fpt empty above the top tick", ci,
				    t[n - 1].at - above);
		}
		/* Bars and stacks from zero (or the one below) to their value. */
		for (rect0 = t[n - 1].idx; rect0 < r->n && (r->ops[rect0].kind !=
		    DL_RECT); rect0++)
			;
		for (k = 0; k < d.ncat && a->type != CHART_LINE; k++) {
			double pos = 0, neg = 0;
			for (s = 0; s < d.nser; s++) {
				double v = a->v[s * d.ncat + k], lo, hi, p0, p1;
				const struct dl_op *o = &r->ops[rect0];
				assert_true(rect0 < r->n && o->kind == DL_RECT);
				if (a->type == CHART_STACKED) {
					lo = v >= 0 ? pos : neg + v;
					hi = v >= 0 ? pos + v : neg;
					if (v >= 0)
						pos += v;
					else
						neg += v;
				} else {
					lo = fmin(0, v);
					hi = fmax(0, v);
				}
				p0 = value_at(t, n, horiz ? o->x : o->y + o->h);
				p1 = value_at(t, n, horiz ? o->x + o->w : o->y);
				if (fabs(p0 - lo) > tol || fabs(p1 - hi) > tol)
					fail_msg("case %zu: bar %d/%d spans %g..%g, want "
					    "%g..%g", ci, k, s, p0, p1, lo, hi);
				rect0++;
			}
		}
		/* Line points at their values. */
		for (i = 0; a->type == CHART_LINE && i < r->n; i++) {
			const struct dl_op *o = &r->ops[i];
			if (o->kind != DL_PATH || !o->do_stroke)
				continue;
			assert_int_equal(o->nsegs, (unsigned)d.ncat);
			for (k = 0; k < d.ncat; k++)
				if (fabs(value_at(t, n, o->segs[k].y[0]) - a->v[k]) > tol)
					fail_msg("case %zu: point %d at %g, want %g", ci, k,
					    value_at(t, n, o->segs[k].y[0]), a->v[k]);
		}
		free(r);
	}
}

static void
load_tpl(struct template *t, const char *name)
{
	char path[64];
	struct diags dg;

	snprintf(path, sizeof(path), "templates/%s.xml", name);
	diags_init(&dg);
	if (tpl_load(t, path, &ar, &dg) != 0)
		fail_msg("cannot load %s (run from the top folder)", path);
	diags_clear(&dg);
}

/* Series and slices take the template's palette in order, wrapping;
 * with no palette, the GOV.UK one. */
static void
check_colours(const uint32_t *pal, int npal, const uint32_t *want, int nwant,
    const char *name)
{
	static double v[14];
	struct rec *r = malloc(sizeof(*r));
	struct chart_ctx c = ctx(r);
	struct chart_spec sp = { CHART_GROUPED, NULL, NAN, NAN, NAN, NULL, 0, NULL };
	struct chart_data d;
	int i, k, s, n;

	for (i = 0; i < 14; i++)
		v[i] = 10 + i;
	c.palette = pal;
	c.npalette = npal;
	/* Grouped, seven series (one more than the palette holds). */
	d = data(2, 7, v, cat8, ser8);
	assert_int_equal(chart_draw(&c, &sp, &d, 0, 0, 500, 300), 0);
	for (i = 0, s = 0, n = 0; i < r->n; i++) {
		const struct dl_op *o = &r->ops[i];
		if (o->kind != DL_RECT)
			continue;
		if (n < 7) {
			/* The legend's swatches first, each before its name. */
			assert_string_equal(r->text[i + 1], ser8[n]);
			if (o->fill != want[n % nwant])
				fail_msg("%s: legend %d is #%06X, want #%06X", name, n,
				    o->fill, want[n % nwant]);
		} else {
			k = (n - 7) / 7;
			s = (n - 7) % 7;
			assert_true(k < 2);
			if (o->fill != want[s % nwant])
				fail_msg("%s: bar %d of series %d is #%06X, want #%06X",
				    name, k, s, o->fill, want[s % nwant]);
		}
		n++;
	}
	assert_int_equal(n, 7 + 14);
	/* Lines: stroke, markers and legend in the series' colour. */
	c = ctx(r);
	c.palette = pal;
	c.npalette = npal;
	sp.type = CHART_LINE;
	d = data(2, 3, v, cat8, ser8);
	assert_int_equal(chart_draw(&c, &sp, &d, 0, 0, 500, 300), 0);
	for (i = 0, n = 0; i < r->n; i++) {
		const struct dl_op *o = &r->ops[i];
		if (o->kind == DL_PATH && o->do_stroke) {
			assert_true(n < 3);
			assert_int_equal(o->colour, want[n]);
			/* Its markers follow. */
			for (k = 1; k <= 2; k++)
				assert_int_equal(r->ops[i + k].fill, want[n]);
			n++;
		}
	}
	assert_int_equal(n, 3);
	/* Pie slices, seven. */
	c = ctx(r);
	c.palette = pal;
	c.npalette = npal;
	sp.type = CHART_PIE;
	d = data(7, 1, v, cat8, ser8);
	assert_int_equal(chart_draw(&c, &sp, &d, 0, 0, 500, 300), 0);
	for (i = 0, n = 0; i < r->n; i++)
		if (r->ops[i].kind == DL_PATH && r->ops[i].do_fill) {
			if (r->ops[i].fill != want[n % nwant])
				fail_msg("%s: slice %d is #%06X, want #%06X", name, n,
				    r->ops[i].fill, want[n % nwant]);
			n++;
		}
	assert_int_equal(n, 7);
	free(r);
}

static void
test_palette(void **state)
{
	static const struct {
		const char *name;
		const uint32_t *want;
	} tpls[] = {
		{ "default", govuk }, { "herefordshire", govuk },
		{ "harborough", govuk }, { "blaby", blaby_pal },
		{ "hinckley-blaby-joint", joint_pal },
	};
	struct template t;
	size_t i;
	int k;

	(void)state;
	for (i = 0; i < sizeof(tpls) / sizeof(tpls[0]); i++) {
		load_tpl(&t, tpls[i].name);
		assert_int_equal(t.npalette, 6);
		for (k = 0; k < 6; k++)
			if (t.palette[k] != tpls[i].want[k])
				fail_msg("%s palette %d: #%06X, want #%06X", tpls[i].name, k,
				    t.palette[k], tpls[i].want[k]);
		check_colours(t.palette, t.npalette, tpls[i].want, 6, tpls[i].name);
	}
	/* Without a template's palette: the built-in default's, and the
	 * chart module's own fallback, both GOV.UK. */
	tpl_defaults(&t);
	check_colours(t.palette, t.npalette, govuk, 6, "tpl_defaults");
	check_colours(NULL, 0, govuk, 6, "no palette");
}

/* A legend only for several series: its entries in series order, each
 * with its colour, above the plot. */
static void
test_legend_rule(void **state)
{
	static const enum chart_type types[] = { CHART_LINE, CHART_COLUMN,
		CHART_BAR, CHART_GROUPED, CHART_STACKED };
	static double v[24];
	size_t ti;
	int nser, i;

	(void)state;
	for (i = 0; i < 24; i++)
		v[i] = 20 + (i * 7) % 30;
	for (ti = 0; ti < sizeof(types) / sizeof(types[0]); ti++)
		for (nser = 1; nser <= 4; nser++) {
			struct rec *r = malloc(sizeof(*r));
			struct chart_ctx c = ctx(r);
			struct chart_spec sp = { types[ti], NULL, NAN, NAN, NAN, NULL,
				0, NULL };
			struct chart_data d = data(6, nser, v, cat8, ser8);
			struct tick t[32];
			int n, s, entries = 0, last = -1;
			double plot_top;

			c.palette = govuk;
			c.npalette = 6;
			assert_int_equal(chart_draw(&c, &sp, &d, 0, 0, 400, 260), 0);
			n = axis_ticks(r, types[ti] == CHART_BAR, t, 32);
			assert_true(n >= 2);
			plot_top = types[ti] == CHART_BAR ? t[0].grid->y :
			    t[n - 1].at;
			for (s = 0; s < nser; s++)
				for (i = 0; i < r->n; i++) {
					if (r->text[i] == NULL || strcmp(r->text[i], ser8[s]))
						continue;
					if (nser == 1)
						fail_msg("%s: a legend for one series",
						    chart_type_name(types[ti]));
					entries++;
					assert_true(i > last); /* in series order */
					last = i;
					assert_true(r->ops[i].y < plot_top);
					/* Its swatch (or line and marker) just before. */
					assert_true(i > 0);
					if (types[ti] == CHART_LINE) {
						assert_int_equal(r->ops[i - 1].kind, DL_PATH);
						assert_int_equal(r->ops[i - 1].fill, govuk[s]);
						assert_int_equal(r->ops[i - 2].kind, DL_LINE);
						assert_int_equal(r->ops[i - 2].colour, govuk[s]);
					} else {
						assert_int_equal(r->ops[i - 1].kind, DL_RECT);
						assert_int_equal(r->ops[i - 1].fill, govuk[s]);
					}
				}
			assert_int_equal(entries, nser == 1 ? 0 : nser);
			/* With no legend nothing at all is drawn above the plot. */
			/* (Text reaches 0.75 em up, a marker at the top 3.4 pt.) */
			for (i = 0; nser == 1 && i < r->n; i++) {
				const struct dl_op *o = &r->ops[i];
				double y = o->kind == DL_TEXT ? o->y - c.size * 0.75 +
				    c.size : o->y + 4;
				unsigned g;
				for (g = 0; o->kind == DL_PATH && g < o->nsegs; g++)
					if (o->segs[g].op != PATH_CLOSE)
						y = fmin(y, o->y + o->segs[g].y[0] + 4);
				if (y < plot_top - 1e-6)
					fail_msg("%s: op %d (%s) at y %.1f above the plot "
					    "(%.1f)", chart_type_name(types[ti]), i, r->text[i] ?
					    r->text[i] : "-", o->y, plot_top);
			}
			free(r);
		}
}

/* No two text boxes (the mock's width, 0.75 em up and 0.25 em down from
 * the baseline) overlap. */
static void
no_overlap(const struct rec *r, const char *what)
{
	int i, j;

	for (i = 0; i < r->n; i++) {
		const struct dl_op *a = &r->ops[i];
		if (r->text[i] == NULL)
			continue;
		for (j = i + 1; j < r->n; j++) {
			const struct dl_op *b = &r->ops[j];
			double ox, oy;
			if (r->text[j] == NULL)
				continue;
			ox = fmin(a->x + a->w, b->x + b->w) - fmax(a->x, b->x);
			oy = fmin(a->y + a->size * 0.25, b->y + b->size * 0.25) -
			    fmax(a->y - a->size * 0.75, b->y - b->size * 0.75);
			if (ox > 0.01 && oy > 0.01)
				fail_msg("%s: \"%s\" at (%.1f, %.1f) overlaps \"%s\" at "
				    "(%.1f, %.1f)", what, r->text[i], a->x, a->y,
				    r->text[j], b->x, b->y);
		}
	}
}

struct overlap_case {
	const char     *what;
	enum chart_type type;
	int             ncat, nser, data_labels;
	const char    **cat, **ser;
	const double   *v;
	double          w, h, target;
	const char     *y_label;
};

static void
test_labels_never_overlap(void **state)
{
	/* The gallery's data (examples/chart-gallery/data). */
	static const char *months[12] = { "2022-04", "2022-05", "2022-06",
		"2022-07", "2022-08", "2022-09", "2022-10", "2022-11", "2022-12",
		"2023-01", "2023-02", "2023-03" };
	static const char *districts[2] = { "Blaby", "Hinckley and Bosworth" };
	static const double asb[24] = { 152, 163, 171, 178, 169, 158, 149, 137,
		128, 125, 131, 144, 221, 240, 236, 252, 247, 229, 214, 198, 187,
		183, 192, 207 };
	static const char *types[10] = { "Violence and sexual offences",
		"Anti-social behaviour", "Criminal damage and arson", "Shoplifting",
		"Vehicle crime", "Burglary", "Public order", "Other theft", "Drugs",
		"Robbery" };
	static const char *crimes[1] = { "crimes" };
	static const double tv[10] = { 3009, 1780, 812, 655, 607, 429, 390,
		352, 171, 48 };
	static const char *dist5[5] = { "Blaby", "Charnwood", "Harborough",
		"Hinckley and Bosworth", "Melton" };
	static const char *outcomes[4] = { "Charged", "Caution",
		"Community resolution", "No suspect" };
	static const double ov[20] = { 412, 780, 298, 505, 181, 96, 170, 71,
		118, 40, 188, 310, 133, 221, 77, 1710, 3120, 1240, 2050, 720 };
	static const char *uses[5] = { "Serious violence",
		"Domestic abuse services", "Anti-social behaviour",
		"Reducing re-offending", "Analysis" };
	static const char *amount[1] = { "amount" };
	static const double fv[5] = { 38200, 27500, 16400, 12100, 9683 };
	/* Dense: many categories, long names, tiny slices. */
	static const char *many[60], *longn[40], *two[24], *slices[16];
	static double mv[60], lv[40], tw[48], sv[16];
	const struct overlap_case cases[] = {
		{ "gallery line", CHART_LINE, 12, 2, 0, months, districts, asb,
		  453, 250, 200, "Incidents reported" },
		{ "gallery column", CHART_COLUMN, 12, 1, 1, months, districts, asb,
		  453, 250, NAN, "Incidents" },
		{ "gallery bar", CHART_BAR, 10, 1, 0, types, crimes, tv, 453, 250,
		  NAN, "Crimes recorded" },
		{ "gallery grouped", CHART_GROUPED, 5, 3, 0, dist5, outcomes, ov,
		  453, 250, NAN, "Crimes" },
		{ "gallery stacked", CHART_STACKED, 5, 4, 0, dist5, outcomes, ov,
		  453, 250, NAN, "Crimes" },
		{ "gallery pie", CHART_PIE, 5, 1, 0, uses, amount, fv, 397, 218,
		  NAN, NULL },
		{ "gallery donut", CHART_DONUT, 5, 1, 0, uses, amount, fv, 397,
		  218, NAN, NULL },
		{ "60 months", CHART_COLUMN, 60, 1, 0, many, crimes, mv, 400, 220,
		  NAN, NULL },
		{ "60 months, line", CHART_LINE, 60, 1, 0, many, crimes, mv, 300,
		  200, NAN, NULL },
		{ "40 long names", CHART_COLUMN, 40, 1, 0, longn, crimes, lv, 450,
		  250, NAN, "Crimes" },
		{ "40 bars", CHART_BAR, 40, 1, 0, longn, crimes, lv, 450, 200, NAN,
		  "Crimes" },
		{ "24 two-word months", CHART_GROUPED, 24, 2, 0, two, districts,
		  tw, 450, 250, NAN, NULL },
		{ "16 slices", CHART_PIE, 16, 1, 0, slices, amount, sv, 400, 220,
		  NAN, NULL },
	};
	size_t ci;
	int i;

	(void)state;
	for (i = 0; i < 60; i++) {
		many[i] = arena_printf(&ar, "Month %d", i + 1);
		mv[i] = 100 + (i % 12) * 7;
	}
	for (i = 0; i < 40; i++) {
		longn[i] = arena_printf(&ar, "Violence and sexual offences %d", i);
		lv[i] = 40 + i * 3;
	}
	for (i = 0; i < 24; i++) {
		two[i] = arena_printf(&ar, "%s %d", (const char *[]){ "Apr",
		    "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan",
		    "Feb", "Mar" }[i % 12], 2021 + (i + 3) / 12);
		tw[i] = 50 + i;
		tw[24 + i] = 70 - i;
	}
	for (i = 0; i < 16; i++) {
		slices[i] = arena_printf(&ar, "Use %d", i + 1);
		sv[i] = i < 4 ? 1000 : 3 + i;
	}
	for (ci = 0; ci < sizeof(cases) / sizeof(cases[0]); ci++) {
		const struct overlap_case *o = &cases[ci];
		struct rec *r = malloc(sizeof(*r));
		struct chart_ctx c = ctx(r);
		struct chart_spec sp = { o->type, o->y_label, NAN, NAN, o->target,
			NULL, o->data_labels, NULL };
		struct chart_data d = data(o->ncat, o->nser, (double *)o->v, o->cat,
		    o->ser);
		int texts = 0;

		assert_int_equal(chart_draw(&c, &sp, &d, 0, 0, o->w, o->h), 0);
		for (i = 0; i < r->n; i++)
			texts += r->text[i] != NULL;
		assert_true(texts >= 5);
		no_overlap(r, o->what);
		free(r);
	}
}

/* Data labels: the value as formatted for data (not as a tick, which
 * drops decimals), centred over a column, just past the end of a bar. */
static void
test_data_labels(void **state)
{
	static const double v[3] = { 12.5, 40, 7.25 };
	static const char *want[3] = { "12.5", "40", "7.25" };
	int horiz;

	(void)state;
	for (horiz = 0; horiz < 2; horiz++) {
		struct rec *r = malloc(sizeof(*r));
		struct chart_ctx c = ctx(r);
		struct chart_spec sp = { horiz ? CHART_BAR : CHART_COLUMN, NULL,
			NAN, NAN, NAN, NULL, 1, NULL };
		struct chart_data d = data(3, 1, (double *)v, cat8, ser8);
		int i, k = 0;

		assert_int_equal(chart_draw(&c, &sp, &d, 0, 0, 400, 260), 0);
		for (i = 0; i < r->n; i++) {
			const struct dl_op *b = &r->ops[i], *l = &r->ops[i + 1];
			if (b->kind != DL_RECT)
				continue;
			assert_true(k < 3);
			assert_non_null(r->text[i + 1]);
			assert_string_equal(r->text[i + 1], want[k]);
			if (horiz) {
				assert_true(fabs(l->x - (b->x + b->w + 3)) < 1e-6);
				assert_true(fabs(l->y - c.size / 3 - (b->y + b->h / 2)) <
				    1e-6);
			} else {
				assert_true(fabs(l->x + l->w / 2 - (b->x + b->w / 2)) <
				    1e-6);
				assert_true(fabs(l->y - (b->y - 3)) < 1e-6);
			}
			k++;
		}
		assert_int_equal(k, 3);
		/* Asked for none, none. */
		c = ctx(r);
		sp.data_labels = 0;
		assert_int_equal(chart_draw(&c, &sp, &d, 0, 0, 400, 260), 0);
		for (i = 0; i < r->n; i++)
			assert_true(r->text[i] == NULL || (strcmp(r->text[i], "12.5") &&
			    strcmp(r->text[i], "7.25")));
		free(r);
	}
}

/* Each slice's angle is its share of the total, from twelve o'clock
 * clockwise, and its label says the share; missing and negative values
 * are left out; a donut has its hole and the total in the middle. */
static void
test_pie_shares(void **state)
{
	static const char *cats[6] = { "A", "B", "C", "D", "Gone", "Less" };
	static const double v[6] = { 3, 1, 1, 2, NAN, -4 };
	static const char *want[4] = { "A: 3 (43%)", "B: 1 (14%)",
		"C: 1 (14%)", "D: 2 (29%)" };
	int donut;

	(void)state;
	for (donut = 0; donut < 2; donut++) {
		struct rec *r = malloc(sizeof(*r));
		struct chart_ctx c = ctx(r);
		struct chart_spec sp = pie_spec(donut);
		struct chart_data d = data(6, 1, (double *)v, cats, ser8);
		double start = -M_PI / 2, sum = 0, mid[4] = { 0 }, cx = 0, cy = 0;
		int i, k = 0, found[4] = { 0 }, holes = 0, total = 0;

		assert_int_equal(chart_draw(&c, &sp, &d, 0, 0, 400, 240), 0);
		for (i = 0; i < r->n; i++) {
			const struct dl_op *o = &r->ops[i];
			if (o->kind == DL_PATH && o->fill == 0xFFFFFF && !o->do_stroke)
				holes++;
			else if (o->kind == DL_PATH) {
				const struct dl_path_seg *a = &o->segs[1],
				    *b = &o->segs[o->nsegs - 2];
				double a0 = atan2(a->y[0], a->x[0]);
				double a1 = atan2(b->y[0], b->x[0]), sweep;
				assert_true(k < 4);
				/* Starts where the last one ended. */
				assert_true(fabs(remainder(a0 - start, 2 * M_PI)) < 1e-9);
				sweep = a1 - a0;
				if (sweep <= 0)
					sweep += 2 * M_PI;
				if (fabs(sweep - 2 * M_PI * v[k] / 7) > 1e-9)
					fail_msg("slice %s: %.4f rad, want %.4f", cats[k],
					    sweep, 2 * M_PI * v[k] / 7);
				mid[k] = a0 + sweep / 2;
				cx = o->x;
				cy = o->y;
				start = a1;
				sum += sweep;
				k++;
			}
			if (r->text[i]) {
				int j;
				for (j = 0; j < 4; j++) {
					const struct dl_op *lead = &r->ops[i - 2];
					if (strcmp(r->text[i], want[j]) != 0)
						continue;
					found[j]++;
					/* Its leader leaves the middle of its slice. */
					assert_int_equal(lead->kind, DL_LINE);
					if (fabs(remainder(atan2(lead->y - cy, lead->x - cx) -
					    mid[j], 2 * M_PI)) > 1e-9)
						fail_msg("label \"%s\" not at its slice's middle",
						    want[j]);
				}
				assert_null(strstr(r->text[i], "Gone"));
				assert_null(strstr(r->text[i], "Less"));
				total += strcmp(r->text[i], "7") == 0;
			}
		}
		assert_int_equal(k, 4);
		assert_true(fabs(sum - 2 * M_PI) < 1e-9);
		for (i = 0; i < 4; i++)
			if (found[i] != 1)
				fail_msg("label \"%s\" drawn %d times", want[i], found[i]);
		assert_int_equal(holes, donut);
		assert_int_equal(total, donut);
		free(r);
	}
}

/* A text op's box: from a little above its cap height to its descent. */
static void
text_box(const struct dl_op *o, double b[4])
{
	b[0] = o->x;
	b[1] = o->y - o->size * 0.8;
	b[2] = o->x + o->w;
	b[3] = o->y + o->size * 0.2;
}

/* How far a box is from a point (0 inside it). */
static double
box_dist(const double b[4], double x, double y)
{
	double dx = x < b[0] ? b[0] - x : x > b[2] ? x - b[2] : 0;
	double dy = y < b[1] ? b[1] - y : y > b[3] ? y - b[3] : 0;

	return hypot(dx, dy);
}

/* Pies fill their box and sit in its middle; no label touches the ring,
 * another label or the box's edge; a donut's total stays in its hole.
 * In a 120 mm box the pie was 1.2 in across with its labels beside it. */
static void
test_pie_fills_box(void **state)
{
	static const char *cats[5] = { "Serious violence",
		"Domestic abuse services", "Anti-social behaviour",
		"Reducing re-offending", "Analysis" };
	static const double v[5] = { 38200, 27500, 16400, 12100, 683 };
	static const char *ser[1] = { "amount" };
	const double bx = 20, by = 30, bw = 340, bh = 187;
	int donut;

	(void)state;
	for (donut = 0; donut < 2; donut++) {
		struct rec *r = malloc(sizeof(*r));
		struct chart_ctx c = ctx(r);
		struct chart_spec sp = pie_spec(donut);
		struct chart_data d = data(5, 1, (double *)v, cats, ser);
		double rad = 0, cx = 0, cy = 0, hole = 0, box[64][4];
		int i, j, nb = 0, total = -1;

		assert_int_equal(chart_draw(&c, &sp, &d, bx, by, bw, bh), 0);
		for (i = 0; i < r->n; i++) {
			const struct dl_op *o = &r->ops[i];
			if (o->kind == DL_PATH && o->fill == 0xFFFFFF && !o->do_stroke)
				hole = o->segs[0].x[0];
			else if (o->kind == DL_PATH) {
				rad = hypot(o->segs[1].x[0], o->segs[1].y[0]);
				cx = o->x;
				cy = o->y;
			}
		}
		if (rad < bh * 0.3)
			fail_msg("radius %.1f in a %.0f x %.0f box", rad, bw, bh);
		assert_true(fabs(cx - (bx + bw / 2)) < 1e-9);
		assert_true(fabs(cy - (by + bh / 2)) < 1e-9);
		for (i = 0; i < r->n; i++) {
			const struct dl_op *o = &r->ops[i];
			if (r->text[i] == NULL)
				continue;
			if (donut && o->font == 1) {
				total = i;
				continue;
			}
			assert_true(nb < 64);
			text_box(o, box[nb]);
			if (box_dist(box[nb], cx, cy) <= rad)
				fail_msg("\"%s\" is drawn on the pie", r->text[i]);
			if (box[nb][0] < bx || box[nb][2] > bx + bw || box[nb][1] < by ||
			    box[nb][3] > by + bh)
				fail_msg("\"%s\" leaves the chart's box", r->text[i]);
			nb++;
		}
		for (i = 0; i < nb; i++)
			for (j = i + 1; j < nb; j++)
				if (box[i][0] < box[j][2] && box[j][0] < box[i][2] &&
				    box[i][1] < box[j][3] && box[j][1] < box[i][3])
					fail_msg("labels %d and %d overlap", i, j);
		assert_true(nb >= 5);
		if (donut) {
			double b[4];
			assert_true(total >= 0 && hole > 0);
			assert_string_equal(r->text[total], "94883");
			text_box(&r->ops[total], b);
			/* Every corner inside the hole. */
			assert_true(hypot(b[0] - cx, b[1] - cy) < hole);
			assert_true(hypot(b[2] - cx, b[3] - cy) < hole);
			assert_true(hypot(b[0] - cx, b[3] - cy) < hole);
			assert_true(hypot(b[2] - cx, b[1] - cy) < hole);
		}
		free(r);
	}
}

/* highlight= draws one category apart: another colour with one series,
 * an outline round its bar, its name bold, and said in the alt text. */
static void
test_highlight(void **state)
{
	static const char *cats[3] = { "Rutland", "Harborough", "Melton" };
	static const char *ser[1] = { "Rate" };
	double v[3] = { 28, 30, 25 };
	int type;

	(void)state;
	for (type = 0; type < 2; type++) {
		struct rec *r = malloc(sizeof(*r));
		struct chart_ctx c = ctx(r);
		struct chart_spec sp = { type ? CHART_BAR : CHART_COLUMN, NULL, NAN,
			NAN, NAN, NULL, 0, "Harborough" };
		struct chart_data d = data(3, 1, v, cats, ser);
		const struct dl_op *bar[3] = { NULL, NULL, NULL }, *ring = NULL;
		int i, k = 0, bold = 0;

		assert_int_equal(chart_draw(&c, &sp, &d, 0, 0, 400, 240), 0);
		for (i = 0; i < r->n; i++) {
			const struct dl_op *o = &r->ops[i];
			if (o->kind == DL_RECT && o->do_fill && k < 3)
				bar[k++] = o;
			else if (o->kind == DL_RECT && o->do_stroke)
				ring = o;
			if (r->text[i] && o->font == 1) {
				assert_string_equal(r->text[i], "Harborough");
				bold++;
			}
		}
		assert_int_equal(k, 3);
		assert_int_equal(bold, 1);
		assert_int_equal(bar[0]->fill, 0x12436D);
		assert_int_equal(bar[1]->fill, 0x28A197);
		assert_int_equal(bar[2]->fill, 0x12436D);
		assert_non_null(ring);
		assert_true(fabs(ring->x - bar[1]->x) < 1e-9 &&
		    fabs(ring->y - bar[1]->y) < 1e-9 &&
		    fabs(ring->w - bar[1]->w) < 1e-9 &&
		    fabs(ring->h - bar[1]->h) < 1e-9);
		assert_non_null(strstr(chart_alt(&c, &sp, &d),
		    " Harborough is highlighted."));
		free(r);
	}
}

/* The alt text names no field of the data: not the series' nor the
 * categories' ("by area_code"), when the definition labels neither. */
static void
test_alt_no_identifiers(void **state)
{
	static const char *cats[2] = { "A", "B" };
	static const char *ser[1] = { "crimes_per_1000" };
	double v[2] = { 1, 2 };
	struct rec r;
	struct chart_ctx c = ctx(&r);
	struct chart_spec sp = { CHART_COLUMN, NULL, NAN, NAN, NAN, NULL, 0,
		NULL };
	struct chart_data d = data(2, 1, v, cats, ser);

	(void)state;
	d.x_name = "area_code";
	d.x_named = d.ser_named = 0;
	assert_string_equal(chart_alt(&c, &sp, &d), "Column chart, A to B. "
	    "Highest: 2 in B; lowest: 1 in A.");
}

/* The chart's ops laid out: the Figure's alt and the text ops. */
static const char *
figure_alt(const struct laid *l, int nth)
{
	size_t p, i;

	for (p = 0; p < l->dl.npages; p++)
		for (i = 0; i < l->dl.pages[p].n; i++) {
			const struct dl_op *o = &l->dl.pages[p].ops[i];
			if (o->kind == DL_BEGIN && o->st == ST_FIGURE && nth-- == 0)
				return o->alt;
		}
	return NULL;
}

/* From a definition: <series label=> names the series, sort="-value"
 * orders the bars, the values print in the chart's format= or else
 * grouped in thousands, key figures too; their caption goes below when
 * the template puts captions below. */
static void
caption_below(struct template *t)
{
	t->caption_above = 0;
}

static void
test_chart_definition(void **state)
{
	char *csv = tmp_csv("area,crimes_per_1000,spend\nRutland,14.8,25000\n"
	    "Harborough,30.1,1187\nMelton,22.5,3\n");
	struct buf x;
	struct laid *l;
	const struct dl_op *a, *b, *h, *cap, *tile;
	size_t i;

	(void)state;
	buf_init(&x);
	buf_printf(&x, "<data><csv id=\"d\" href=\"%s\"/><query id=\"k\">"
	    "SELECT area, spend / 1000.0 AS k FROM d</query></data>"
	    "<chart type=\"bar\" data=\"d\" x=\"area\" sort=\"-value\" "
	    "highlight=\"Melton\"><series field=\"crimes_per_1000\" "
	    "label=\"Crimes per 1,000 residents\"/></chart>"
	    "<chart type=\"column\" data=\"d\" x=\"area\" x-label=\"council\" "
	    "series=\"spend\" format=\"\xc2\xa3#,##0\"/>"
	    "<chart type=\"column\" data=\"d\" x=\"area\" series=\"spend\"/>"
	    "<chart type=\"column\" data=\"k\" x=\"area\"/>"
	    "<kpis data=\"d\" label=\"area\" value=\"spend\" caption=\"Spend\"/>",
	    csv);
	l = lay_xml(x.data, caption_below);
	assert_int_equal(l->rc, 0);
	/* Never a field name: the x-label, the series' label, else
	 * nothing. */
	assert_string_equal(figure_alt(l, 0), "Bar chart of Crimes per 1,000 "
	    "residents, Harborough to Rutland. Highest: 30.1 in "
	    "Harborough; lowest: 14.8 in Rutland. Melton is highlighted.");
	assert_string_equal(figure_alt(l, 1), "Column chart by "
	    "council, Rutland to Melton. Highest: \xc2\xa3" "25,000 in Rutland; "
	    "lowest: \xc2\xa3" "3 in Melton.");
	assert_string_equal(figure_alt(l, 2), "Column chart, "
	    "Rutland to Melton. Highest: 25,000 in Rutland; lowest: 3 in "
	    "Melton.");
	/* No remembered format: decimals by the largest value (25.0). */
	assert_string_equal(figure_alt(l, 3), "Column chart, "
	    "Rutland to Melton. Highest: 25.0 in Rutland; lowest: 0.0 in "
	    "Melton.");
	assert_string_equal(figure_alt(l, 4), "Key figures: Rutland 25,000; "
	    "Harborough 1,187; Melton 3.");
	/* Sorted: the largest bar at the top. */
	a = find_text(l, 0, "Harborough");
	h = find_text(l, 0, "Melton");
	b = find_text(l, 0, "Rutland");
	assert_true(a && h && b && a->y < h->y && h->y < b->y);
	/* The tiles' caption under the tiles. */
	cap = find_text(l, l->dl.npages - 1, "Spend");
	tile = NULL;
	for (i = 0; i < l->dl.pages[l->dl.npages - 1].n; i++)
		if (l->dl.pages[l->dl.npages - 1].ops[i].kind == DL_RECT &&
		    l->dl.pages[l->dl.npages - 1].ops[i].fill == 0xF3F2F1)
			tile = &l->dl.pages[l->dl.npages - 1].ops[i];
	if (!cap || !tile || cap->y < tile->y + tile->h)
		fail_msg("caption at %.1f, tile %.1f to %.1f", cap ? cap->y : -1,
		    tile ? tile->y : -1, tile ? tile->y + tile->h : -1);
	laid_free(l);
	buf_free(&x);
	unlink_tmp(csv);
	free(csv);
}

/* The text alternative, word for word, for each kind of chart. */
static void
test_alt_exact(void **state)
{
	static const char *abc[3] = { "A", "B", "C" };
	static const char *one[1] = { "Change" };
	static const double v1[3] = { 5, -3, 8 };
	static const char *outc[3] = { "Charged", "Caution",
		"Community resolution" };
	static const double v3[6] = { 412, 780, 96, 170, 188, 310 };
	static const char *two[2] = { "Blaby", "Charnwood" };
	static const char *uses[3] = { "Serious violence", "Domestic abuse",
		"Analysis" };
	static const char *amount[1] = { "amount" };
	static const char *ident[1] = { "crimes_per_1000" };
	static const double fv[3] = { 38200, 27500, 9683 };
	static const double tiny[3] = { 9000, 997, 3 };
	static const double none[2] = { NAN, NAN };
	static const struct {
		enum chart_type type;
		const char *y_label, *x_name;
		int ncat, nser;
		const char **cat, **ser;
		const double *v;
		const char *want;
	} cases[] = {
		{ CHART_COLUMN, NULL, "month", 3, 1, abc, one, v1,
		  "Column chart of Change by month, A to C. Highest: 8 in C; "
		  "lowest: -3 in B." },
		{ CHART_BAR, "Crimes recorded", "type", 3, 1, abc, one, v1,
		  "Bar chart of Crimes recorded by type, A to C, for Change. "
		  "Highest: 8 in C; lowest: -3 in B." },
		/* The data's name for a column is not read out beside the
		 * y-label. */
		{ CHART_BAR, "Crimes per 1,000 people", "area", 3, 1, abc, ident,
		  v1, "Bar chart of Crimes per 1,000 people by area, A to C. "
		  "Highest: 8 in C; lowest: -3 in B." },
		{ CHART_GROUPED, "Crimes", "district", 2, 3, two, outc, v3,
		  "Grouped column chart of Crimes by district, Blaby to "
		  "Charnwood, for Charged, Caution and Community resolution. "
		  "Highest: 780 in Charnwood (Charged); lowest: 96 in Blaby "
		  "(Caution)." },
		{ CHART_STACKED, NULL, NULL, 2, 3, two, outc, v3,
		  "Stacked column chart, Blaby to "
		  "Charnwood, for Charged, Caution and Community resolution. "
		  "Highest: 780 in Charnwood (Charged); lowest: 96 in Blaby "
		  "(Caution)." },
		{ CHART_PIE, NULL, "use", 3, 1, uses, amount, fv,
		  "Pie chart of amount by use: Serious violence 38200 (51%), "
		  "Domestic abuse 27500 (36%) and Analysis 9683 (13%)." },
		{ CHART_DONUT, NULL, "use", 3, 1, uses, amount, fv,
		  "Donut chart of amount by use: Serious violence 38200 (51%), "
		  "Domestic abuse 27500 (36%) and Analysis 9683 (13%)." },
		/* A part too small to round to 1% is not said as 0%. */
		{ CHART_PIE, NULL, NULL, 3, 1, uses, amount, tiny,
		  "Pie chart of amount: Serious violence 9000 (90%), "
		  "Domestic abuse 997 (10%) and Analysis 3 (under 1%)." },
		/* A negative part is no share: highest and lowest instead. */
		{ CHART_PIE, NULL, NULL, 3, 1, uses, amount, v1,
		  "Pie chart of amount, Serious violence to Analysis. "
		  "Highest: 8 in Analysis; lowest: -3 in Domestic abuse." },
		/* The one series named as the y-label is not said twice. */
		{ CHART_BAR, "Change", NULL, 3, 1, abc, one, v1,
		  "Bar chart of Change, A to C. Highest: 8 in C; lowest: -3 "
		  "in B." },
		{ CHART_BAR, "Change in 2023", NULL, 3, 1, abc, one, v1,
		  "Bar chart of Change in 2023, A to C. Highest: 8 in C; "
		  "lowest: -3 in B." },
		{ CHART_LINE, NULL, "month", 2, 1, two, one, none,
		  "Line chart of Change by month, Blaby to Charnwood. It has no "
		  "values." },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct rec r;
		struct chart_ctx c = ctx(&r);
		struct chart_spec sp = { cases[i].type, cases[i].y_label, NAN, NAN,
			NAN, NULL, 0, NULL };
		struct chart_data d = data(cases[i].ncat, cases[i].nser,
		    (double *)cases[i].v, cases[i].cat, cases[i].ser);

		d.x_name = cases[i].x_name;
		/* The names are the definition's labels, but for ident: the
		 * data's name for its column. */
		d.ser_named = cases[i].ser != ident;
		assert_string_equal(chart_alt(&c, &sp, &d), cases[i].want);
	}
}

/* The chart gallery laid out for real (fonts, the default template,
 * layout's callbacks): seven figures, each with its text alternative,
 * its fills all from the template's palette, and no two of its text
 * runs overlapping (the fonts' own widths, ascenders, descenders). */
static void
test_gallery_laid_out(void **state)
{
	struct diags dg;
	struct doc *doc;
	struct template t;
	struct fontset fs;
	struct dl_doc dl;
	size_t p, i, j, e;
	int ok, figures = 0;

	(void)state;
	diags_init(&dg);
	doc = def_load("examples/chart-gallery/report.xml", NULL, 0, &dg, &ok);
	assert_non_null(doc);
	assert_true(ok);
	load_tpl(&t, "default");
	assert_int_equal(fontset_init(&fs, NULL, 0), 0);
	dl_init(&dl, &doc->arena);
	assert_int_equal(data_bind(doc, &t, NULL, &dg), 0);
	assert_int_equal(lay_document(doc, &t, &fs, &dl, &dg), 0);
	for (p = 0; p < dl.npages; p++)
		for (i = 0; i < dl.pages[p].n; i++) {
			const struct dl_op *f = &dl.pages[p].ops[i];
			int depth = 1, slices = 0;
			if (f->kind != DL_BEGIN || f->st != ST_FIGURE)
				continue;
			figures++;
			assert_non_null(f->alt);
			assert_true(strstr(f->alt, " chart") != NULL);
			assert_null(strstr(f->alt, "category"));
			for (e = i + 1; e < dl.pages[p].n && depth > 0; e++)
				depth += dl.pages[p].ops[e].kind == DL_BEGIN ? 1 :
				    dl.pages[p].ops[e].kind == DL_END ? -1 : 0;
			for (j = i + 1; j < e; j++) {
				const struct dl_op *a = &dl.pages[p].ops[j];
				size_t m;
				int k, known = 0;
				if ((a->kind == DL_RECT || a->kind == DL_PATH) &&
				    a->do_fill && a->fill != 0xFFFFFF) {
					for (k = 0; k < 6; k++)
						known |= a->fill == govuk[k];
					if (!known)
						fail_msg("%s: fill #%06X is not the palette's",
						    f->anchor, a->fill);
					slices++;
				}
				if (a->kind != DL_TEXT)
					continue;
				for (m = j + 1; m < e; m++) {
					const struct dl_op *b = &dl.pages[p].ops[m];
					double box[2][4];
					const struct dl_op *ab[2] = { a, b };
					if (b->kind != DL_TEXT)
						continue;
					for (k = 0; k < 2; k++) {
						const struct font *fo = fs.font[ab[k]->font];
						double w = 0, em = ab[k]->size / fo->upem;
						unsigned g;
						for (g = 0; g < ab[k]->nglyphs; g++)
							w += ab[k]->adv[g] * em + (ab[k]->gid[g] ==
							    fo->space_gid ? ab[k]->word_space : 0);
						box[k][0] = ab[k]->x;
						box[k][1] = ab[k]->x + w;
						box[k][2] = ab[k]->y - fo->ascender * em;
						box[k][3] = ab[k]->y - fo->descender * em;
					}
					if (fmin(box[0][1], box[1][1]) - fmax(box[0][0],
					    box[1][0]) > 0.01 && fmin(box[0][3], box[1][3]) -
					    fmax(box[0][2], box[1][2]) > 0.01)
						fail_msg("%s: \"%s\" overlaps \"%s\"", f->anchor,
						    a->text, b->text);
				}
			}
			assert_true(slices >= 5);
		}
	assert_int_equal(figures, 7);
	dl_free(&dl);
	fontset_free(&fs);
	doc_free(doc);
	diags_clear(&dg);
}

/* An SVG chart carries its title (the caption) and its description
 * (the text alternative) as the root's first children, escaped. */
static void
test_svg_title_desc(void **state)
{
	struct dl_page pg;
	struct dl_op ops[3];
	struct fontset fs;
	struct diags dg;
	char path[] = "/tmp/sc-test-svg-XXXXXX";
	xmlDocPtr x;
	xmlNodePtr root, n;
	int fd, seen = 0;

	(void)state;
	memset(&pg, 0, sizeof(pg));
	memset(ops, 0, sizeof(ops));
	memset(&fs, 0, sizeof(fs));
	diags_init(&dg);
	ops[0] = (struct dl_op){ .kind = DL_BEGIN, .st = ST_FIGURE, .x = 0,
		.y = 0, .w = 100, .h = 50, .text = "Crimes & \"ASB\" <2023>",
		.alt = "Bar chart of A < B & C > D." };
	ops[1] = (struct dl_op){ .kind = DL_RECT, .x = 10, .y = 10, .w = 20,
		.h = 30, .fill = 0x12436D, .do_fill = 1 };
	ops[2] = (struct dl_op){ .kind = DL_END, .st = ST_FIGURE };
	pg.ops = ops;
	pg.n = 3;
	pg.width = 100;
	pg.height = 50;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(cr_render(&pg, 0, 3, 0, 0, 100, 50, &fs, path, CR_SVG,
	    72, &dg), 0);
	x = xmlReadFile(path, NULL, XML_PARSE_NONET);
	unlink(path);
	assert_non_null(x);
	root = xmlDocGetRootElement(x);
	assert_string_equal((const char *)root->name, "svg");
	for (n = root->children; n; n = n->next) {
		xmlChar *s;
		if (n->type != XML_ELEMENT_NODE)
			continue;
		s = xmlNodeGetContent(n);
		if (seen == 0) {
			assert_string_equal((const char *)n->name, "title");
			assert_string_equal((const char *)s, "Crimes & \"ASB\" <2023>");
		} else if (seen == 1) {
			assert_string_equal((const char *)n->name, "desc");
			assert_string_equal((const char *)s,
			    "Bar chart of A < B & C > D.");
		}
		xmlFree(s);
		seen++;
	}
	assert_true(seen > 2);
	xmlFreeDoc(x);
	diags_clear(&dg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ticks),
		cmocka_unit_test(test_label_thinning),
		cmocka_unit_test(test_columns_zero_baseline),
		cmocka_unit_test(test_bar_ticks_fit_width),
		cmocka_unit_test(test_target_label_clear),
		cmocka_unit_test(test_pie_labels),
		cmocka_unit_test(test_alt_text),
		cmocka_unit_test(test_extremes),
		cmocka_unit_test(test_axis_meaning),
		cmocka_unit_test(test_palette),
		cmocka_unit_test(test_legend_rule),
		cmocka_unit_test(test_labels_never_overlap),
		cmocka_unit_test(test_data_labels),
		cmocka_unit_test(test_pie_shares),
		cmocka_unit_test(test_alt_exact),
		cmocka_unit_test(test_pie_fills_box),
		cmocka_unit_test(test_highlight),
		cmocka_unit_test(test_alt_no_identifiers),
		cmocka_unit_test(test_chart_definition),
		cmocka_unit_test(test_gallery_laid_out),
		cmocka_unit_test(test_svg_title_desc),
	};
	int rc;

	arena_init(&ar);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	arena_free(&ar);
	return rc;
}
