/*
 * test_stream.c — pages streamed to the writer (lay_document_to(),
 * issue 16): each page reaches the sink as soon as it is made, before
 * the next one, with its running foot's total right, and links forward
 * found before any page is made; a streamed build's PDF is byte for byte
 * the one the whole-document path writes.
 */
#include "helpers.h"

#include <limits.h>

#include "scrutineer.h"

#define SECTIONS 12

static void
with_footer(struct template *t)
{
	t->footer.part[1] = "Page {page} of {pages}";
}

/* Twelve sections, each a page or more of text and each pointing at
 * the next (a link forward, to a page not yet made when it is drawn). */
static char *
long_body(void)
{
	struct buf b;
	int s, k;

	buf_init(&b);
	for (s = 1; s <= SECTIONS; s++) {
		buf_printf(&b, "<section id=\"s%d\" title=\"Part %d\">", s, s);
		if (s < SECTIONS)
			buf_printf(&b, "<p>Read on in <ref to=\"s%d\"/>.</p>",
			    s + 1);
		for (k = 0; k < 14; k++)
			buf_printf(&b, "<p>Paragraph %d of part %d: the council "
			    "received the report and noted the budget, the risks "
			    "and the recommendations, and asked officers to come "
			    "back to the committee with a plan in the new "
			    "year.</p>", k + 1, s);
		buf_puts(&b, "</section>");
	}
	assert_false(b.oom);
	return b.data;
}

/* A counting sink: what it saw, and the pages it freed as a backend
 * that consumes them does. */
struct seen {
	int               began, pages, held_max, bad_order;
	size_t            npages;
	struct dl_anchor *anc;
	size_t            nanc;
	char              foot[8][32];
};

static int
seen_begin(void *arg, struct dl_doc *d)
{
	struct seen *s = arg;
	size_t p;

	s->began++;
	s->npages = d->npages;
	for (p = 0; p < d->npages; p++)
		assert_int_equal(d->pages[p].n, 0);
	assert_non_null(d->anchors);
	s->nanc = d->nanchors;
	s->anc = malloc((d->nanchors + 1) * sizeof(*s->anc));
	assert_non_null(s->anc);
	memcpy(s->anc, d->anchors, d->nanchors * sizeof(*s->anc));
	return 0;
}

static int
seen_page(void *arg, struct dl_doc *d, size_t p)
{
	struct seen *s = arg;
	size_t q, i;
	int held = 0;
	char want[32];

	assert_int_equal(s->began, 1);
	if (p != (size_t)s->pages)
		s->bad_order = 1;
	s->pages++;
	/* Made, and the next ones not yet. */
	assert_true(d->pages[p].n > 0);
	for (q = p + 1; q < d->npages; q++)
		assert_int_equal(d->pages[q].n, 0);
	for (q = 0; q < d->npages; q++)
		held += d->pages[q].ops != NULL;
	if (held > s->held_max)
		s->held_max = held;
	snprintf(want, sizeof(want), "Page %zu of %zu", p + 1, d->npages);
	for (i = 0; i < d->pages[p].n; i++) {
		const struct dl_op *o = &d->pages[p].ops[i];
		if (o->kind == DL_TEXT && o->text && strncmp(o->text, "Page ",
		    5) == 0 && p < 8)
			snprintf(s->foot[p], sizeof(s->foot[p]), "%s", o->text);
	}
	if (p < 8 && strcmp(s->foot[p], want) != 0)
		fail_msg("page %zu's foot is \"%s\", not \"%s\"", p + 1,
		    s->foot[p], want);
	free(d->pages[p].ops);
	d->pages[p].ops = NULL;
	d->pages[p].n = d->pages[p].cap = 0;
	return 0;
}

/* The same definition laid out whole (the sink NULL) and streamed. */
static struct laid *
lay_streamed(const char *body, struct seen *s)
{
	struct laid *l = lay_xml(body, with_footer);
	struct lay_sink sink = { seen_begin, seen_page, s, 0 };

	assert_int_equal(l->rc, 0);
	dl_free(&l->dl);
	dl_init(&l->dl, &l->doc->arena);
	l->rc = lay_document_to(l->doc, &l->t, &l->fs, &l->dl, &sink,
	    &l->diags);
	return l;
}

static void
test_stream_pages(void **state)
{
	char *body = long_body();
	struct laid *whole = lay_xml(body, with_footer);
	struct seen s;
	struct laid *l;
	size_t p, i, k = 0;

	(void)state;
	memset(&s, 0, sizeof(s));
	l = lay_streamed(body, &s);
	assert_int_equal(l->rc, 0);
	assert_int_equal(s.began, 1);
	assert_true(whole->dl.npages >= 12);
	assert_int_equal(s.npages, whole->dl.npages);
	assert_int_equal(s.pages, (int)s.npages);
	assert_false(s.bad_order);
	/* One page's ops at a time: the one being drawn. */
	assert_int_equal(s.held_max, 1);
	/* Every destination where the whole document has it. */
	for (p = 0; p < whole->dl.npages; p++)
		for (i = 0; i < whole->dl.pages[p].n; i++) {
			const struct dl_op *o = &whole->dl.pages[p].ops[i];
			if (o->kind != DL_ANCHOR || o->anchor == NULL)
				continue;
			assert_true(k < s.nanc);
			assert_string_equal(s.anc[k].name, o->anchor);
			assert_int_equal(s.anc[k].page, (int)p);
			assert_true(s.anc[k].y == o->y);
			k++;
		}
	assert_int_equal(k, s.nanc);
	assert_true(k >= SECTIONS);
	assert_int_equal(l->dl.npages, whole->dl.npages);
	free(s.anc);
	laid_free(l);
	laid_free(whole);
	free(body);
}

/* What a page says, as the PDF reads it when the page is written: each
 * op's text, outline title or /Alt, and anchor. */
static void
page_says(struct buf *b, const struct dl_page *pg)
{
	size_t i;

	for (i = 0; i < pg->n; i++) {
		const struct dl_op *o = &pg->ops[i];
		const char *str = o->kind == DL_ANCHOR || o->kind == DL_BEGIN ||
		    o->kind == DL_LINK ? o->title : NULL;
		buf_printf(b, "%d|%s|%s|%s\n", (int)o->kind, o->text ? o->text :
		    "", str ? str : "", o->kind == DL_TEXT || o->kind == DL_PATH ?
		    "" : o->anchor ? o->anchor : "");
	}
}

struct says {
	struct buf all;
	int        pages;
};

static int
says_begin(void *arg, struct dl_doc *d)
{
	(void)arg;
	(void)d;
	return 0;
}

static int
says_page(void *arg, struct dl_doc *d, size_t p)
{
	struct says *s = arg;

	s->pages++;
	page_says(&s->all, &d->pages[p]);
	return 0;
}

/* A layout that consumes its document frees each bound table's rows
 * once it is drawn (doc_tbl_release()), and its pages say what the
 * whole document's do: group headings and their bookmarks, an empty
 * header's /Alt, a total row, a suppressed cell's footnote. One that
 * does not keeps them. */
static void
test_stream_consumes_tables(void **state)
{
	struct buf csv, body, whole_says;
	char *name;
	int r, consume;

	(void)state;
	buf_init(&csv);
	buf_puts(&csv, "area,ward,crimes\n");
	for (r = 0; r < 150; r++)
		buf_printf(&csv, "%s,Ward %03d,%d\n", r < 60 ? "North" :
		    r < 110 ? "South" : "East", r, r % 17 == 0 ? 3 : 40 + r);
	assert_false(csv.oom);
	name = tmp_csv(csv.data);
	buf_init(&body);
	buf_printf(&body, "<data><csv id=\"c\" href=\"%s\"/></data>"
	    "<section title=\"Crime\"><table data=\"c\" group-by=\"area\" "
	    "caption=\"Crimes by ward\" suppress-below=\"5\">"
	    "<column field=\"ward\" header=\"\" alt-header=\"Ward name\"/>"
	    "<column field=\"crimes\" total=\"sum\"/></table>"
	    "<p>After the table.</p></section>", name);
	assert_false(body.oom);
	buf_init(&whole_says);
	{
		struct laid *w = lay_xml(body.data, with_footer);
		size_t p;
		assert_int_equal(w->rc, 0);
		assert_true(w->dl.npages >= 3);
		for (p = 0; p < w->dl.npages; p++)
			page_says(&whole_says, &w->dl.pages[p]);
		laid_free(w);
	}
	assert_non_null(strstr(whole_says.data, "South"));
	assert_non_null(strstr(whole_says.data, "Ward name"));
	assert_non_null(strstr(whole_says.data, "suppressed"));
	for (consume = 0; consume < 2; consume++) {
		struct laid *l = lay_xml(body.data, with_footer);
		struct says s;
		struct lay_sink sink = { says_begin, says_page, &s, consume };
		const struct node *t = l->doc->body->first->first;
		memset(&s, 0, sizeof(s));
		buf_init(&s.all);
		assert_int_equal(l->rc, 0);
		assert_int_equal(t->kind, N_TABLE);
		assert_non_null(t->tbl->own);
		dl_free(&l->dl);
		dl_init(&l->dl, &l->doc->arena);
		assert_non_null(t->tbl->own->head);
		assert_int_equal(lay_document_to(l->doc, &l->t, &l->fs, &l->dl,
		    &sink, &l->diags), 0);
		assert_true(s.pages >= 3);
		assert_false(s.all.oom);
		assert_string_equal(s.all.data, whole_says.data);
		if (consume)
			assert_null(t->tbl->own->head);
		else
			assert_non_null(t->tbl->own->head);
		buf_free(&s.all);
		laid_free(l);
	}
	buf_free(&whole_says);
	buf_free(&body);
	unlink_tmp(name);
	free(name);
	buf_free(&csv);
}

/* A sink that refuses its third page stops the layout there. */
static int
stop_page(void *arg, struct dl_doc *d, size_t p)
{
	int *n = arg;

	(void)d;
	(*n)++;
	return p == 2 ? -1 : 0;
}

static int
stop_begin(void *arg, struct dl_doc *d)
{
	(void)arg;
	(void)d;
	return 0;
}

static void
test_stream_stops(void **state)
{
	char *body = long_body();
	struct laid *l = lay_xml(body, with_footer);
	struct lay_sink sink = { stop_begin, stop_page, NULL, 0 };
	int n = 0;

	(void)state;
	sink.arg = &n;
	dl_free(&l->dl);
	dl_init(&l->dl, &l->doc->arena);
	assert_int_not_equal(lay_document_to(l->doc, &l->t, &l->fs, &l->dl,
	    &sink, &l->diags), 0);
	assert_int_equal(n, 3);
	laid_free(l);
	free(body);
}

/* The PDF's /ID (its first string, 32 hex digits) into id. */
static void
pdf_id(const unsigned char *v, size_t n, char id[33])
{
	size_t i;

	for (i = 0; i + 5 + 32 <= n && memcmp(v + i, "/ID[<", 5) != 0; i++)
		;
	assert_true(i + 5 + 32 <= n);
	memcpy(id, v + i + 5, 32);
	id[32] = '\0';
}

/* sc_build() streams unless something draws the pages again (--dump):
 * the two PDFs are the same bytes (forward links, the document ID and
 * the footers' totals included). The /ID is hashed from the pages as
 * they are drawn: two documents have two. */
static void
test_stream_same_pdf(void **state)
{
	/* hinckley-blaby-2017: tables continued with their headers */
	const char *defs[] = { "examples/all-elements/report.xml",
		"examples/blaby-2023/report.xml",
		"examples/hinckley-blaby-2017/report.xml" };
	char a[PATH_MAX], b[PATH_MAX], ids[3][33];
	size_t d;

	(void)state;
	for (d = 0; d < sizeof(defs) / sizeof(defs[0]); d++) {
		unsigned char *x, *y;
		size_t nx, ny;
		int k;
		for (k = 0; k < 2; k++) {
			sc_job *j = sc_job_new(defs[d]);
			snprintf(k ? b : a, PATH_MAX, "/tmp/sc-test-stream-%d-%d.pdf",
			    (int)getpid(), k);
			assert_non_null(j);
			assert_int_equal(sc_job_set_output(j, k ? b : a), SC_OK);
			assert_int_equal(sc_job_set_data_dir(j, "."), SC_OK);
			assert_int_equal(sc_job_set_dump(j, k), SC_OK);
			assert_int_equal(sc_build(j), SC_OK);
			assert_true(sc_job_pages(j) > 1);
			sc_job_free(j);
		}
		assert_non_null(x = (unsigned char *)slurp_file(a, &nx));
		assert_non_null(y = (unsigned char *)slurp_file(b, &ny));
		if (nx != ny || memcmp(x, y, nx) != 0)
			fail_msg("%s: the streamed PDF differs from the whole "
			    "document's", defs[d]);
		pdf_id(x, nx, ids[d]);
		free(x);
		free(y);
		unlink(a);
		unlink(b);
	}
	if (strcmp(ids[0], ids[1]) == 0)
		fail_msg("two documents have the same /ID %s", ids[0]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stream_pages),
		cmocka_unit_test(test_stream_stops),
		cmocka_unit_test(test_stream_same_pdf),
		cmocka_unit_test(test_stream_consumes_tables),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
