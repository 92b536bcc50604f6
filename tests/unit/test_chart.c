/* test_chart.c — scales, ticks, label thinning, pies and alt text,
 * asserted on what the chart module draws (no fonts involved). */
#include <math.h>
#include "helpers.h"
#include "chart/chart.h"

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

	(void)bold;
	if (r->n < 4096) {
		struct dl_op o = { .kind = DL_TEXT, .x = x, .y = y, .size = size,
			.colour = colour, .w = m_measure(arg, 0, size, s) };
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
	struct chart_data d = { ncat, nser, cat, ser, v, "month" };

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
	struct chart_spec sp = { CHART_LINE, NULL, NAN, NAN, NAN, NULL, 0 };
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
	struct chart_spec sp = { CHART_COLUMN, NULL, NAN, NAN, NAN, NULL, 0 };
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

/* Pie labels carry the value and share, outside the slices. */
static void
test_pie_labels(void **state)
{
	static const char *cats[4] = { "Violence", "ASB", "Theft", "Other" };
	static const char *ser[1] = { "Crimes" };
	double v[4] = { 50, 30, 15, 5 };
	struct rec r;
	struct chart_ctx c = ctx(&r);
	struct chart_spec sp = { CHART_PIE, NULL, NAN, NAN, NAN, NULL, 0 };
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
		NULL, 0 };
	struct chart_data d = data(3, 2, v, cats, ser);
	const char *alt;

	(void)state;
	alt = chart_alt(&c, &sp, &d);
	assert_string_equal(alt, "Line chart of ASB incidents by month, Apr 20 "
	    "to Mar 23, for Blaby and Hinckley and Bosworth. Highest: 412 in "
	    "Jul 20 (Blaby); lowest: 250 in Apr 20 (Hinckley and Bosworth).");
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
	struct chart_spec sp = { CHART_LINE, NULL, NAN, NAN, NAN, NULL, 0 };
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ticks),
		cmocka_unit_test(test_label_thinning),
		cmocka_unit_test(test_columns_zero_baseline),
		cmocka_unit_test(test_pie_labels),
		cmocka_unit_test(test_alt_text),
		cmocka_unit_test(test_extremes),
	};
	int rc;

	arena_init(&ar);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	arena_free(&ar);
	return rc;
}
