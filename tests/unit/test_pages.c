/*
 * test_pages.c — page breaking as a reader sees it: the blank at the
 * foot of every page of every example, and the rules that keep it small
 * (floats, src/layout/flow.c) and keep pieces from being stranded (a
 * contact, a closing block, a heading), each on the display list.
 */
#include <ctype.h>

#include "helpers.h"

#include "scrutineer.h"
#include "job.h"

/* Most of the text height a page may leave blank at its foot, except
 * before a forced break (an author's page break, an appendix) and on
 * the last page. */
#define BLANK_MAX 0.15
/* The chart gallery's: each of its sections is a heading and a chart
 * (about 0.42 of the page) and nothing else, so a page may be left
 * blank by a chart that does not fit, never by one that would (its
 * page 1 was left 0.44 blank). */
#define BLANK_GALLERY 0.30
/* A last page less than a third full (a closing block, say) is one the
 * page before could have begun: that page may leave only this blank
 * (harborough-2014's page 5 left 0.12 for a last page of 0.25). */
#define LAST_THIN (1.0 / 3)
#define BLANK_BEFORE_THIN 0.08

/* The lowest drawn content of a page between top and bottom [pt]; top
 * when there is none. */
static double
lowest(const struct dl_page *pg, double top, double bottom)
{
	double low = top;
	size_t i;

	for (i = 0; i < pg->n; i++) {
		const struct dl_op *o = &pg->ops[i];
		double y;
		unsigned k;
		switch (o->kind) {
		case DL_TEXT:
			y = o->y + o->size * 0.22;   /* a descender */
			break;
		case DL_RECT:
		case DL_IMAGE:
			y = o->y + o->h;
			break;
		case DL_LINE:
			y = o->y + (o->h > 0 ? o->h : 0);
			break;
		case DL_PATH:
			y = o->y;
			for (k = 0; k < o->nsegs; k++)
				if (o->y + o->segs[k].y[0] > y)
					y = o->y + o->segs[k].y[0];
			break;
		default:
			continue;
		}
		/* The running header and footer are outside the text area. */
		if (o->y < top - 2 || o->y > bottom + 2)
			continue;
		if (y > low)
			low = y;
	}
	return low;
}

/* Per-page blank fractions of dl laid out with t into out (n), as text
 * for a failure message; the number of pages over max. */
static int
blanks(const struct dl_doc *dl, const struct template *t, double max,
    char *msg, size_t n, double *frac)
{
	double top = t->margin_t, bottom = t->page_h - t->margin_b;
	size_t p, len = 0;
	int over = 0;

	msg[0] = '\0';
	for (p = 0; p < dl->npages; p++) {
		double f = (bottom - lowest(&dl->pages[p], top, bottom)) /
		    (bottom - top);
		int exempt = dl->pages[p].forced || p + 1 == dl->npages;
		/* The page before a thin last page that follows on. */
		if (p + 2 == dl->npages && !dl->pages[p].forced &&
		    1 - (bottom - lowest(&dl->pages[p + 1], top, bottom)) /
		    (bottom - top) < LAST_THIN && f > BLANK_BEFORE_THIN) {
			over++;
			if (len < n)
				len += (size_t)snprintf(msg + len, n - len,
				    " (before a thin last page)");
		}
		if (frac)
			frac[p] = f;
		if (!exempt && f > max)
			over++;
		if (len < n)
			len += (size_t)snprintf(msg + len, n - len, " p%zu:%.2f%s",
			    p + 1, f, exempt ? "*" : f > max ? "!" : "");
	}
	return over;
}

static sc_job *
example(const char *name)
{
	char def[256];
	sc_job *j;

	snprintf(def, sizeof(def), "examples/%s/report.xml", name);
	assert_non_null(j = sc_job_new(def));
	assert_int_equal(sc_job_set_data_dir(j, "."), SC_OK);
	assert_int_equal(sc_job_allow_path(j, "examples"), SC_OK);
	if (sc_job_load(j) != SC_OK || sc_job_layout(j) != SC_OK) {
		fprintf(stderr, "%s: %s\n", name, j->diags.n ? "build failed" :
		    "?");
		fail();
	}
	return j;
}

/* Every example: no page ends with more than BLANK_MAX of its text
 * height blank (the chart gallery BLANK_GALLERY), except before a
 * forced break and at the end, and a thin last page has a full page
 * before it. */
static void
test_examples_blank(void **state)
{
	static const char *const names[] = { "hinckley-blaby-2017",
		"blaby-2023", "harborough-2014", "herefordshire-2017",
		"minutes-2017", "all-elements", "police-uk", "chart-gallery" };
	size_t k;
	int bad = 0;

	(void)state;
	for (k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
		sc_job *j = example(names[k]);
		char msg[2048];
		double max = strcmp(names[k], "chart-gallery") == 0 ?
		    BLANK_GALLERY : BLANK_MAX;
		int over = blanks(&j->dl, &j->t, max, msg, sizeof(msg), NULL);
		printf("%s (%d over %.2f; * exempt):%s\n", names[k], over, max,
		    msg);
		bad += over;
		sc_job_free(j);
	}
	assert_int_equal(bad, 0);
}

/* Pages (1-based, ended by 0) of dl whose last text is a heading's:
 * a heading stranded at the page's foot. */
static int
heading_feet(const struct dl_doc *dl, int *out, int max)
{
	int stack[128], depth = 0, n = 0;
	size_t p, i;

	for (p = 0; p < dl->npages; p++) {
		int last = -1, art = 0;
		for (i = 0; i < dl->pages[p].n; i++) {
			const struct dl_op *o = &dl->pages[p].ops[i];
			if (o->kind == DL_BEGIN && depth < 128) {
				art += o->st == ST_ARTIFACT;
				stack[depth++] = o->st;
			} else if (o->kind == DL_END && depth > 0) {
				art -= stack[--depth] == ST_ARTIFACT;
			} else if (o->kind == DL_TEXT && !art && depth > 0)
				last = stack[depth - 1];
		}
		if (last == ST_H && p + 1 < dl->npages && n < max - 1)
			out[n++] = (int)p + 1;
	}
	out[n] = 0;
	return n;
}

/* No example leaves a heading as the last text of a page. */
static void
test_examples_heading_feet(void **state)
{
	static const char *const names[] = { "hinckley-blaby-2017",
		"blaby-2023", "harborough-2014", "herefordshire-2017",
		"minutes-2017", "all-elements", "police-uk", "chart-gallery" };
	size_t k;

	(void)state;
	for (k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
		sc_job *j = example(names[k]);
		int pages[16];
		if (heading_feet(&j->dl, pages, 16) > 0)
			fail_msg("%s: a heading alone at the foot of page %d",
			    names[k], pages[0]);
		sc_job_free(j);
	}
}

/* Where the Figure begins: its page (0-based) and top [pt]; -1. */
static int
figure_at(const struct laid *l, double *y)
{
	size_t p, i;

	for (p = 0; p < l->dl.npages; p++)
		for (i = 0; i < l->dl.pages[p].n; i++) {
			const struct dl_op *o = &l->dl.pages[p].ops[i];
			if (o->kind == DL_BEGIN && o->st == ST_FIGURE) {
				*y = o->y;
				return (int)p;
			}
		}
	return -1;
}

/* The y of the first text op holding s on page p. */
static double
y_of(const struct laid *l, int p, const char *s)
{
	const struct dl_op *o = find_text(l, (size_t)p, s);

	return o ? o->y : -1;
}

/*
 * n one-line paragraphs, a chart height tall with a reference to it
 * before it, after one-line paragraphs after it in its section, then a
 * section "Two"; with the chart's data in csv.
 */
static struct laid *
chart_case(int n, const char *height, int after, const char *csv)
{
	struct buf x;
	struct laid *l;
	int i;

	buf_init(&x);
	buf_printf(&x, "<data><csv id=\"d\" href=\"%s\"/></data>"
	    "<section title=\"One\"><p>See <ref to=\"fig\"/> below.</p>",
	    csv);
	for (i = 1; i <= n; i++)
		buf_printf(&x, "<p>Before %d.</p>", i);
	buf_printf(&x, "<chart id=\"fig\" type=\"column\" data=\"d\" x=\"k\" "
	    "series=\"v\" caption=\"Chartcap\" height=\"%s\"/>", height);
	for (i = 1; i <= after; i++)
		buf_printf(&x, "<p>After %d.</p>", i);
	buf_puts(&x, "</section><section title=\"Two\">");
	for (i = 1; i <= 30; i++)
		buf_printf(&x, "<p>Next %d.</p>", i);
	buf_puts(&x, "</section>");
	l = lay_xml(x.data, NULL);
	buf_free(&x);
	assert_int_equal(l->rc, 0);
	return l;
}

/* The fewest "Before" paragraphs that push the chart to page 2 (its
 * case laid out in *out). */
static int
first_pushed(const char *height, int after, const char *csv,
    struct laid **out)
{
	int n;
	double y;

	for (n = 1; n < 80; n++) {
		struct laid *l = chart_case(n, height, after, csv);
		if (figure_at(l, &y) == 1) {
			*out = l;
			return n;
		}
		laid_free(l);
	}
	fail_msg("the chart never reached page 2");
	return -1;
}

static const char chart_csv[] = "k,v\nA,1\nB,2\nC,3\n";

/* The reading-order marks of a moved float: the first op of the text it
 * passed (whose first words are first) is the mark, met before any other
 * text; every element the float opens at its own depth, and nothing
 * else, is to be read before it. */
static void
assert_read_before(const struct laid *l, const char *first)
{
	size_t p, i;
	int marks = 0, before = 0, figure = 0, seen = 0;

	for (p = 0; p < l->dl.npages; p++)
		for (i = 0; i < l->dl.pages[p].n; i++) {
			const struct dl_op *o = &l->dl.pages[p].ops[i];
			if (o->order == DL_ORDER_MARK) {
				marks++;
				seen = 1;
			} else if (seen == 1 && o->kind == DL_TEXT &&
			    o->text != NULL && !isdigit((unsigned char)
			    o->text[0])) {
				/* (past the paragraph's number) */
				assert_true(strncmp(o->text, first,
				    strlen(first)) == 0);
				seen = 2;
			}
			if (o->order == DL_ORDER_BEFORE) {
				assert_int_equal(o->kind, DL_BEGIN);
				assert_true(o->st == ST_FIGURE ||
				    o->st == ST_CAPTION);
				before++;
				figure += o->st == ST_FIGURE;
			}
		}
	assert_int_equal(marks, 1);
	assert_int_equal(seen, 2);
	assert_int_equal(figure, 1);
	assert_true(before >= 1 && before <= 2);
}

/* A tall chart that does not fit opens the next page, and the text
 * after it in its section fills this one: reading order is kept
 * before it, and the chart never comes before its reference. */
static void
test_float_fills_page(void **state)
{
	char *csv = tmp_csv(chart_csv);
	struct laid *l;
	double fy = 0, blank;
	int n = first_pushed("80mm", 12, csv, &l), pf;

	(void)state;
	pf = figure_at(l, &fy);
	printf("pushed at n=%d\n", n);
	assert_int_equal(pf, 1);
	/* At the top of page 2 (its caption above or not, nothing of the
	 * text before it). */
	assert_true(fy < l->t.margin_t + 40);
	assert_int_equal(page_of(l, "After 1."), 0);
	assert_true(y_of(l, 0, "After 1.") > y_of(l, 0, "Before"));
	assert_int_equal(page_of(l, "See"), 0);
	/* Page 1 filled: its blank is under a tenth. */
	blank = (l->t.page_h - l->t.margin_b - lowest(&l->dl.pages[0],
	    l->t.margin_t, l->t.page_h - l->t.margin_b)) /
	    (l->t.page_h - l->t.margin_t - l->t.margin_b);
	printf("page 1 blank %.2f\n", blank);
	assert_true(blank < 0.10);
	/* The text after the chart that did not fit goes on below it. */
	assert_true(page_of(l, "After 12.") >= 1);
	/* Read where it was written: the chart's element before the text
	 * that filled page 1 (the PDF writer reads these marks). */
	assert_read_before(l, "After 1.");
	laid_free(l);
	unlink_tmp(csv);
	free(csv);
}

/*
 * The structure marks of l, in drawing order, pair up, and the Figure
 * is inside the Sect of section One (whose heading says "One"), not of
 * Two: moved, it stays in its section. Returns the Figure's depth.
 */
static int
figure_in_one(const struct laid *l)
{
	int stack[64], sect_one[64], depth = 0, fig = -1, one = 0;
	size_t p, i;

	for (p = 0; p < l->dl.npages; p++)
		for (i = 0; i < l->dl.pages[p].n; i++) {
			const struct dl_op *o = &l->dl.pages[p].ops[i];
			if (o->kind == DL_BEGIN) {
				assert_true(depth < 64);
				sect_one[depth] = 0;
				stack[depth++] = o->st;
				if (o->st == ST_FIGURE) {
					assert_true(depth >= 2);
					assert_int_equal(stack[depth - 2], ST_SECT);
					assert_true(sect_one[depth - 2]);
					fig = depth;
				}
			} else if (o->kind == DL_END) {
				assert_true(depth > 0);
				assert_int_equal(stack[depth - 1], o->st);
				depth--;
			} else if (o->kind == DL_TEXT && depth >= 2 &&
			    stack[depth - 1] == ST_H && o->text &&
			    strstr(o->text, "One") && !one) {
				sect_one[depth - 2] = 1;
				one = 1;
			}
		}
	assert_int_equal(depth, 0);
	return fig;
}

/* When all the rest of its section fills the page, the section's end
 * still comes after the moved chart: the Figure stays in its Sect. */
static void
test_float_structure(void **state)
{
	char *csv = tmp_csv(chart_csv);
	struct laid *l;
	double fy = 0;

	int after, whole = 0;
	char last[32];

	(void)state;
	for (after = 4; after < 20 && !whole; after++) {
		first_pushed("80mm", after, csv, &l);
		snprintf(last, sizeof(last), "After %d.", after);
		if (figure_at(l, &fy) == 1 && page_of(l, last) == 0) {
			whole = 1;
			assert_true(figure_in_one(l) > 0);
		}
		laid_free(l);
	}
	assert_true(whole);
	first_pushed("80mm", 12, csv, &l);
	assert_true(figure_in_one(l) > 0);
	laid_free(l);
	unlink_tmp(csv);
	free(csv);
}

/* A chart that leaves little blank when pushed (under FLOAT_BLANK of
 * the page) keeps its place in the reading order. */
static void
test_float_threshold(void **state)
{
	char *csv = tmp_csv(chart_csv);
	struct laid *l;
	double fy = 0;

	(void)state;
	first_pushed("20mm", 12, csv, &l);
	assert_int_equal(figure_at(l, &fy), 1);
	assert_int_equal(page_of(l, "After 1."), 1);
	assert_true(y_of(l, 1, "After 1.") > fy);
	laid_free(l);
	unlink_tmp(csv);
	free(csv);
}

/* Nothing from the next section passes a float: with no text after it
 * in its own section, the chart stays before section Two. */
static void
test_float_section_bound(void **state)
{
	char *csv = tmp_csv(chart_csv);
	struct laid *l;
	double fy = 0;
	int p;

	(void)state;
	first_pushed("80mm", 0, csv, &l);
	assert_int_equal(figure_at(l, &fy), 1);
	p = page_of(l, "Next 1.");
	assert_true(p > 1 || (p == 1 && y_of(l, 1, "Next 1.") > fy));
	/* and its heading is not left at the foot of page 1 */
	assert_int_equal(page_of(l, "Two"), p);
	laid_free(l);
	unlink_tmp(csv);
	free(csv);
}

/* A chart outside any section is passed only by the paragraphs after
 * it up to the next heading: never by a whole section (whose Sect would
 * otherwise be balanced, and pass the structure check). */
static void
test_float_top_level(void **state)
{
	char *csv = tmp_csv(chart_csv);
	int n, k, found = 0;

	(void)state;
	for (k = 2; k <= 12; k += 2)
		for (n = 10; n < 60; n++) {
			struct buf x;
			struct laid *l;
			double fy = 0;
			int i, p;
			buf_init(&x);
			buf_printf(&x, "<data><csv id=\"d\" href=\"%s\"/></data>",
			    csv);
			for (i = 1; i <= n; i++)
				buf_printf(&x, "<p>Before %d.</p>", i);
			buf_puts(&x, "<chart type=\"column\" data=\"d\" x=\"k\" "
			    "series=\"v\" caption=\"Chartcap\" height=\"80mm\"/>"
			    "<section title=\"Two\">");
			for (i = 1; i <= k; i++)
				buf_printf(&x, "<p>Next %d.</p>", i);
			buf_puts(&x, "</section><p numbered=\"no\">Tail.</p>");
			l = lay_xml(x.data, NULL);
			buf_free(&x);
			assert_int_equal(l->rc, 0);
			p = page_of(l, "Next 1.");
			i = figure_at(l, &fy);
			if (i == 1) {
				found++;
				if (p == 0 || (p == 1 && y_of(l, 1, "Next 1.") < fy))
					fail_msg("n=%d, k=%d: section Two passed the "
					    "chart", n, k);
			}
			laid_free(l);
			if (i == 1)
				break;   /* the first n that pushes it */
		}
	assert_true(found > 0);
	unlink_tmp(csv);
	free(csv);
}

/* A heading is never left alone at a page's foot: with a chart (that
 * does not fit) right under it, it goes with the chart or with the text
 * that fills the page. */
static void
test_heading_not_alone(void **state)
{
	char *csv = tmp_csv(chart_csv);
	int n;

	(void)state;
	for (n = 20; n < 60; n++) {
		struct buf x;
		struct laid *l;
		int i, ph, pn;
		buf_init(&x);
		buf_printf(&x, "<data><csv id=\"d\" href=\"%s\"/></data>"
		    "<section title=\"One\">", csv);
		for (i = 1; i <= n; i++)
			buf_printf(&x, "<p>Before %d.</p>", i);
		buf_puts(&x, "</section><section title=\"Headtwo\"><chart "
		    "type=\"column\" data=\"d\" x=\"k\" series=\"v\" "
		    "caption=\"Chartcap\" height=\"80mm\"/>");
		for (i = 1; i <= 6; i++)
			buf_printf(&x, "<p>After %d.</p>", i);
		buf_puts(&x, "</section>");
		l = lay_xml(x.data, NULL);
		buf_free(&x);
		assert_int_equal(l->rc, 0);
		ph = page_of(l, "Headtwo");
		pn = page_of(l, "Chartcap");
		if (page_of(l, "After 1.") < pn)
			pn = page_of(l, "After 1.");
		if (ph != pn)
			fail_msg("n=%d: heading on page %d, what follows it on "
			    "%d", n, ph + 1, pn + 1);
		laid_free(l);
	}
	unlink_tmp(csv);
	free(csv);
}

/* Two contacts at a page's foot go together: neither is alone. */
static void
test_contacts_together(void **state)
{
	int n, split = 0;

	(void)state;
	for (n = 20; n < 60; n++) {
		struct buf x;
		struct laid *l;
		int i;
		buf_init(&x);
		buf_puts(&x, "<section title=\"One\">");
		for (i = 1; i <= n; i++)
			buf_printf(&x, "<p>Before %d.</p>", i);
		buf_puts(&x, "</section><contacts><contact name=\"Ann Alpha\" "
		    "role=\"Officer\" phone=\"01 1\" email=\"a@x.uk\"/>"
		    "<contact name=\"Bob Beta\" role=\"Officer\" phone=\"01 2\" "
		    "email=\"b@x.uk\"/></contacts>");
		l = lay_xml(x.data, NULL);
		buf_free(&x);
		assert_int_equal(l->rc, 0);
		if (page_of(l, "Ann Alpha") != page_of(l, "Bob Beta") ||
		    page_of(l, "Ann Alpha") != page_of(l, "01 1") ||
		    page_of(l, "Bob Beta") != page_of(l, "b@x.uk")) {
			fail_msg("n=%d: contacts split: Ann p%d, Bob p%d", n,
			    page_of(l, "Ann Alpha") + 1, page_of(l, "Bob Beta") + 1);
			split++;
		}
		laid_free(l);
	}
	assert_int_equal(split, 0);
}

/* A short closing block after the last section (a report's "Previous
 * reports ... Appendices" list) keeps together: where it does not fit
 * in what is left of the page it breaks between its blocks, never
 * inside one nor before its list (which stays with the line before it),
 * and a page is not left blank for a block that would have started on
 * it (harborough-2014's last page held it all, its page before an
 * eighth blank). */
static void
test_closing_together(void **state)
{
	int n, split = 0;

	(void)state;
	for (n = 20; n < 60; n++) {
		struct buf x;
		struct laid *l;
		double top, bottom, blank;
		int i, pa, pb, pc, pe;
		buf_init(&x);
		buf_puts(&x, "<section title=\"One\">");
		for (i = 1; i <= n; i++)
			buf_printf(&x, "<p>Before %d.</p>", i);
		buf_puts(&x, "</section><p numbered=\"no\">Closing A.</p>"
		    "<p numbered=\"no\">Closing B.</p><list><item>Closing C"
		    "</item><item>Closing D</item><item>Closing E</item>"
		    "</list>");
		l = lay_xml(x.data, NULL);
		buf_free(&x);
		assert_int_equal(l->rc, 0);
		pa = page_of(l, "Closing A");
		pb = page_of(l, "Closing B");
		pc = page_of(l, "Closing C");
		pe = page_of(l, "Closing E");
		if (pb != pc || pc != pe)
			fail_msg("n=%d: the closing list split from the line "
			    "before it: B p%d, C p%d, E p%d", n, pb + 1, pc + 1,
			    pe + 1);
		split += pa != pe;
		/* Started on a later page: the page before had no room. */
		top = l->t.margin_t;
		bottom = l->t.page_h - l->t.margin_b;
		if (pa > 0 && page_of(l, "Before 1.") < pa) {
			blank = (bottom - lowest(&l->dl.pages[pa - 1], top,
			    bottom)) / (bottom - top);
			if (blank > 0.08)
				fail_msg("n=%d: page %d left %.2f blank before the "
				    "closing block", n, pa, blank);
		}
		laid_free(l);
	}
	assert_true(split > 0);   /* the sweep made it break */
}

/* Rows of a 12-row table and its total: page of "Rnn" (1-based n). */
static int
row_page(const struct laid *l, int k)
{
	char r[8];

	snprintf(r, sizeof(r), "R%02d", k);
	return page_of(l, r);
}

static void
rows_2_5(struct template *t)
{
	t->t_orphan_rows = 2;
	t->t_widow_rows = 5;
}

/* A table split over a page keeps the template's orphan-rows under its
 * header and carries its widow-rows data rows (the total not counted)
 * onto the next page, wherever the page ends; with the default template
 * (3, 4) and with 2, 5. */
static void
test_table_widow_rows(void **state)
{
	struct buf csv;
	char *name;
	int pass, n;

	(void)state;
	buf_init(&csv);
	buf_puts(&csv, "k,v\n");
	for (n = 1; n <= 12; n++)
		buf_printf(&csv, "R%02d,%d\n", n, n);
	name = tmp_csv(csv.data);
	buf_free(&csv);
	for (pass = 0; pass < 2; pass++) {
		int orphans = pass ? 2 : 3, widows = pass ? 5 : 4, split = 0;
		for (n = 10; n < 50; n++) {
			struct buf x;
			struct laid *l;
			int i, first, last, before = 0, after = 0;
			buf_init(&x);
			buf_printf(&x, "<data><csv id=\"d\" href=\"%s\"/></data>",
			    name);
			for (i = 1; i <= n; i++)
				buf_printf(&x, "<p numbered=\"no\">Fill %d.</p>", i);
			buf_puts(&x, "<table data=\"d\"><column field=\"k\" "
			    "header=\"Key\"/><column field=\"v\" header=\"Val\" "
			    "total=\"sum\"/><total label=\"Sum\"/></table>");
			l = lay_xml(x.data, pass ? rows_2_5 : NULL);
			buf_free(&x);
			assert_int_equal(l->rc, 0);
			first = row_page(l, 1);
			last = page_of(l, "Sum");
			if (first != last) {
				split++;
				for (i = 1; i <= 12; i++) {
					before += row_page(l, i) == first;
					after += row_page(l, i) == last;
				}
				if (before < orphans || after < widows ||
				    row_page(l, 12) != last)
					fail_msg("%d, %d: n=%d: %d rows under the header, "
					    "%d and the total on the next page", orphans,
					    widows, n, before, after);
			}
			laid_free(l);
		}
		assert_true(split > 0);
	}
	unlink_tmp(name);
	free(name);
}

/* The space above a heading gives up to a third of itself, and only on
 * a page it then fills: swept over page feet, the gap above heading Two
 * is its full size or less by at most a third, some page took the line
 * after it that way, and no page's text runs past its foot. */
static void
test_heading_space_shrinks(void **state)
{
	double full = 0, least = 1e9;
	int n, shrunk = 0;

	(void)state;
	for (n = 20; n < 60; n++) {
		struct buf x;
		struct laid *l;
		char last[32];
		int i, p;
		buf_init(&x);
		buf_puts(&x, "<section title=\"One\">");
		for (i = 1; i <= n; i++)
			buf_printf(&x, "<p>Before %d.</p>", i);
		buf_puts(&x, "</section><section title=\"Two\">");
		for (i = 1; i <= 6; i++)
			buf_printf(&x, "<p>After %d.</p>", i);
		buf_puts(&x, "</section>");
		l = lay_xml(x.data, NULL);
		buf_free(&x);
		assert_int_equal(l->rc, 0);
		snprintf(last, sizeof(last), "Before %d.", n);
		p = page_of(l, "Two");
		for (i = 0; i < (int)l->dl.npages; i++) {
			double bottom = l->t.page_h - l->t.margin_b;
			assert_true(lowest(&l->dl.pages[i], l->t.margin_t, bottom +
			    40) <= bottom + 4);
		}
		if (p == page_of(l, last)) {
			double gap = y_of(l, p, "Two") - y_of(l, p, last);
			if (gap > full)
				full = gap;
			if (gap < least)
				least = gap;
		}
		laid_free(l);
	}
	printf("gap above the heading: %.2f to %.2f\n", least, full);
	shrunk = least < full - 0.5;
	assert_true(shrunk);
	/* The default template's level 1 heading: 18pt above it. */
	assert_true(least >= full - 18.0 / 3 - 0.01);
}

/* The text ops of a data table's header row: the cells of the first
 * TH row after the Figure, in drawing order, into out (n of them). */
static int
table_heads(const struct laid *l, const char **out, int max)
{
	size_t p, i;
	int fig = 0, n = 0, in_th = 0;

	for (p = 0; p < l->dl.npages; p++)
		for (i = 0; i < l->dl.pages[p].n; i++) {
			const struct dl_op *o = &l->dl.pages[p].ops[i];
			if (o->kind == DL_END && o->st == ST_FIGURE)
				fig = 1;
			else if (fig && o->kind == DL_BEGIN && o->st == ST_TH)
				in_th = 1;
			else if (fig && o->kind == DL_END && o->st == ST_TH)
				in_th = 0;
			else if (fig && o->kind == DL_END && o->st == ST_TR && n)
				return n;
			else if (in_th && o->kind == DL_TEXT && n < max)
				out[n++] = o->text;
		}
	return n;
}

/* The alt text of the first Figure of l, or "". */
static const char *
figure_alt_of(const struct laid *l)
{
	size_t p, i;

	for (p = 0; p < l->dl.npages; p++)
		for (i = 0; i < l->dl.pages[p].n; i++)
			if (l->dl.pages[p].ops[i].kind == DL_BEGIN &&
			    l->dl.pages[p].ops[i].st == ST_FIGURE)
				return l->dl.pages[p].ops[i].alt ?
				    l->dl.pages[p].ops[i].alt : "";
	return "";
}

/* A chart's data table is headed by the names the chart gives a
 * reader, never by a field's name: the x-label or "Category", the
 * series' label, the y-label or "Value". */
static void
test_data_table_heads(void **state)
{
	char *csv = tmp_csv("type,crimes\nBurglary,4\nRobbery,2\n");
	static const struct {
		const char *attrs, *inner, *x, *v;
	} cases[] = {
		{ "y-label=\"Crimes recorded\"", "", "Category",
		  "Crimes recorded" },
		{ "", "", "Category", "Value" },
		{ "x-label=\"Crime type\" y-label=\"Crimes\"",
		  "<series field=\"crimes\" label=\"Offences\"/>", "Crime type",
		  "Offences" },
	};
	size_t k;

	(void)state;
	for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		struct buf x;
		struct laid *l;
		const char *h[4];
		buf_init(&x);
		buf_printf(&x, "<data><csv id=\"d\" href=\"%s\"/></data><chart "
		    "type=\"bar\" data=\"d\" x=\"type\" %s%s data-table=\"yes\">"
		    "%s</chart>", csv, cases[k].attrs, cases[k].inner[0] ? "" :
		    " series=\"crimes\"", cases[k].inner);
		l = lay_xml(x.data, NULL);
		buf_free(&x);
		assert_int_equal(l->rc, 0);
		assert_int_equal(table_heads(l, h, 4), 2);
		assert_string_equal(h[0], cases[k].x);
		assert_string_equal(h[1], cases[k].v);
		assert_null(strstr(figure_alt_of(l), "by type"));
		assert_null(strstr(figure_alt_of(l), "crimes"));
		laid_free(l);
	}
	unlink_tmp(csv);
	free(csv);
}

/* A chart's data table follows it: nothing is drawn between the chart
 * and its table, wherever the page ends (a table that floated on its
 * own let the section's text in between, the table stranded at the
 * next page's top). */
static void
test_data_table_follows(void **state)
{
	char *csv = tmp_csv("k,v\nA,1\nB,2\nC,3\nD,4\nE,5\nF,6\n");
	int n, apart = 0;

	(void)state;
	for (n = 1; n < 40; n++) {
		struct buf x;
		struct laid *l;
		size_t p, i;
		int after_fig = 0, pf = -1, pt = -1;
		buf_init(&x);
		buf_printf(&x, "<data><csv id=\"d\" href=\"%s\"/></data>"
		    "<section title=\"One\">", csv);
		for (i = 1; i <= (size_t)n; i++)
			buf_printf(&x, "<p>Before %zu.</p>", i);
		buf_puts(&x, "<chart type=\"column\" data=\"d\" x=\"k\" "
		    "series=\"v\" caption=\"Chartcap\" height=\"70mm\" "
		    "data-table=\"yes\"/>");
		for (i = 1; i <= 12; i++)
			buf_printf(&x, "<p>After %zu.</p>", i);
		buf_puts(&x, "</section>");
		l = lay_xml(x.data, NULL);
		buf_free(&x);
		assert_int_equal(l->rc, 0);
		for (p = 0; p < l->dl.npages; p++)
			for (i = 0; i < l->dl.pages[p].n; i++) {
				const struct dl_op *o = &l->dl.pages[p].ops[i];
				if (o->kind == DL_END && o->st == ST_FIGURE) {
					after_fig = 1;
					pf = (int)p;
				} else if (after_fig && o->kind == DL_BEGIN &&
				    o->st == ST_TABLE) {
					after_fig = 0;
					pt = (int)p;
				} else if (after_fig && o->kind == DL_TEXT && o->text &&
				    strstr(o->text, "After"))
					fail_msg("n=%d: \"%s\" between the chart and its "
					    "data table", n, o->text);
			}
		assert_true(pf >= 0 && pt >= pf);
		apart += pt > pf;
		laid_free(l);
	}
	printf("the table opened the next page %d times\n", apart);
	unlink_tmp(csv);
	free(csv);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_examples_blank),
		cmocka_unit_test(test_examples_heading_feet),
		cmocka_unit_test(test_float_fills_page),
		cmocka_unit_test(test_float_threshold),
		cmocka_unit_test(test_float_structure),
		cmocka_unit_test(test_float_section_bound),
		cmocka_unit_test(test_float_top_level),
		cmocka_unit_test(test_heading_not_alone),
		cmocka_unit_test(test_contacts_together),
		cmocka_unit_test(test_closing_together),
		cmocka_unit_test(test_table_widow_rows),
		cmocka_unit_test(test_heading_space_shrinks),
		cmocka_unit_test(test_data_table_heads),
		cmocka_unit_test(test_data_table_follows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
