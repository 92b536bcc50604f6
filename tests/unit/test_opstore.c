/*
 * test_opstore.c — the compact form of display ops (src/layout/
 * opstore.c, issue 16): a chunk of every kind of op, every field varied
 * (text runs with word space, paths, links, anchors, marks with alt
 * text, images, negative, huge and odd coordinates, every flag), comes
 * back from its bytes field for field; without an arena the runs'
 * arrays are skipped and the rest is the same; bytes cut short or run
 * on are refused. And layout with chunks of a few ops, each encoded as
 * soon as it is closed (boxes over two chunks or more, a table's
 * repeated header taken from encoded chunks, a float's reading-order
 * marks set on them), gives the pages that chunks never encoded give,
 * whole and streamed.
 */
#include "helpers.h"

#include "layout/opstore.h"
#include "util/arena.h"

static const char *const strs[] = { "https://example.org/a", "sec-2",
	"A chart of spending", "Outline title", "figure.png", "Link words" };
static const struct dl_path_seg segs[3] = {
	{ PATH_MOVE, { 1, 0, 0 }, { 2, 0, 0 } },
	{ PATH_CURVE, { 1, 2, 3 }, { 4, 5, 6 } },
	{ PATH_CLOSE, { 0 }, { 0 } },
};
static const uint32_t gid_a[5] = { 36, 72, 65535, 0, 36 };
static const int32_t adv_a[5] = { 1366, 1139, -20, 0, 1300 };
static const uint32_t gid_b[3] = { 36, 36, 4000000000u };
static const int32_t adv_b[3] = { 1366, 1366, 2147483647 };

static double
odd(int k)
{
	static const double v[] = { 0, -0.0, 1, -1, 0.1, -123.456,
		1e300, -1e-300, 5e-324, 841.889763779528, 72.0 / 2.54, 1e15 };

	return v[k % (int)(sizeof(v) / sizeof(v[0]))];
}

/* Op k of a chunk: its kind in turn, fields from k (so that some repeat
 * the last op's of the kind and some do not). */
static void
make(struct dl_op *op, int k)
{
	memset(op, 0, sizeof(*op));
	op->kind = (unsigned char)(k % DL_KIND_MAX);
	op->x = odd(k);
	op->y = k % 3 == 0 ? odd(k + 1) : 100 + k * 12.5;
	op->w = odd(k * 7);
	op->h = k % 5 == 0 ? 0 : -odd(k + 3);
	op->line_width = k % 4 ? 0.5 : 0;
	op->size = k % 6 ? 10.5 : odd(k);
	op->colour = (uint32_t)(k * 0x010203) & 0xFFFFFF;
	op->fill = k % 2 ? 0xFFFFFF : 0;
	op->level = (short)(k % 7 - 2);
	op->st = (unsigned char)(k % ST_STRUCT_MAX);
	op->do_fill = (unsigned char)(k % 2);
	op->do_stroke = (unsigned char)(k / 2 % 2);
	op->dash = (unsigned char)(k % 3);
	op->order = (unsigned char)(k % 3);
	switch (op->kind) {
	case DL_TEXT:
		op->font = (short)(k % 4);
		op->word_space = k % 3 ? odd(k) : 0;
		if (k % 11 == 0) {
			op->nglyphs = 0;
			op->text = k % 2 ? NULL : "";
			break;
		}
		op->gid = k % 2 ? gid_a : gid_b;
		op->adv = k % 2 ? adv_a : adv_b;
		/* a shaping cache's glyphs: kept as pointers */
		op->shared = k % 5 == 0;
		op->nglyphs = k % 2 ? 5 : 3;
		op->text = k % 2 ? "Hello" : "\xe2\x86\x91 up";
		break;
	case DL_PATH:
		op->segs = segs;
		op->nsegs = 3;
		break;
	case DL_LINK:
		op->uri = k % 2 ? strs[0] : NULL;
		op->anchor = k % 2 ? NULL : strs[1];
		op->text = strs[5];
		break;
	case DL_ANCHOR:
		op->title = strs[3];
		op->anchor = strs[1 + k % 2];
		break;
	case DL_IMAGE:
		op->uri = strs[4];
		break;
	case DL_BEGIN:
		op->alt = k % 2 ? strs[2] : NULL;
		op->anchor = strs[k % 3];
		op->text = k % 4 ? NULL : strs[5];
		break;
	default:
		op->nsegs = (unsigned)k;  /* whatever a kind leaves there */
		break;
	}
}

static int
same_dbl(double a, double b)
{
	return memcmp(&a, &b, sizeof(a)) == 0;
}

/* Every field of got is want's; the runs' arrays compared by content
 * (arrays) or absent. */
static void
check_op(const struct dl_op *want, const struct dl_op *got, int arrays,
    size_t i)
{
	unsigned k;

	if (!same_dbl(want->x, got->x) || !same_dbl(want->y, got->y) ||
	    !same_dbl(want->w, got->w) || !same_dbl(want->h, got->h) ||
	    !same_dbl(want->line_width, got->line_width) ||
	    !same_dbl(want->size, got->size) ||
	    !same_dbl(want->word_space, got->word_space))
		fail_msg("op %zu: a coordinate differs", i);
	if (want->kind != got->kind || want->colour != got->colour ||
	    want->fill != got->fill || want->font != got->font ||
	    want->level != got->level || want->st != got->st ||
	    want->do_fill != got->do_fill ||
	    want->do_stroke != got->do_stroke || want->dash != got->dash ||
	    want->order != got->order || want->shared != got->shared)
		fail_msg("op %zu: a field differs", i);
	if (want->kind != DL_TEXT) {
		assert_ptr_equal(want->uri, got->uri);
		assert_ptr_equal(want->anchor, got->anchor);
		assert_ptr_equal(want->text, got->text);
		assert_int_equal(want->nsegs, got->nsegs);
		return;
	}
	assert_int_equal(want->nglyphs, got->nglyphs);
	if (want->shared) {
		assert_ptr_equal(want->gid, got->gid);
		assert_ptr_equal(want->adv, got->adv);
	}
	if (!arrays) {
		assert_null(got->text);
		if (!want->shared)
			assert_null(got->gid);
		return;
	}
	if (want->text == NULL)
		assert_null(got->text);
	else
		assert_string_equal(want->text, got->text);
	if (want->gid == NULL) {
		assert_null(got->gid);
		assert_null(got->adv);
		return;
	}
	assert_non_null(got->gid);
	assert_non_null(got->adv);
	for (k = 0; k < want->nglyphs; k++)
		if (want->gid[k] != got->gid[k] || want->adv[k] != got->adv[k])
			fail_msg("op %zu glyph %u: %u/%d, not %u/%d", i, k,
			    got->gid[k], got->adv[k], want->gid[k], want->adv[k]);
}

#define N 600

static void
test_opstore_round_trip(void **state)
{
	static struct dl_op ops[N], back[N];
	struct arena a;
	struct buf b;
	size_t i;
	int pass;

	(void)state;
	for (i = 0; i < N; i++)
		make(&ops[i], (int)i);
	buf_init(&b);
	assert_int_equal(opz_encode(ops, N, &b), 0);
	for (pass = 0; pass < 2; pass++) {
		arena_init(&a);
		memset(back, 0x5a, sizeof(back));
		assert_int_equal(opz_decode((const unsigned char *)b.data, b.len,
		    back, N, pass ? NULL : &a), 0);
		for (i = 0; i < N; i++)
			check_op(&ops[i], &back[i], !pass, i);
		arena_free(&a);
	}
	/* Cut short, or followed by more, or fewer ops than were encoded:
	 * not the form of N ops. */
	arena_init(&a);
	assert_int_equal(opz_decode((const unsigned char *)b.data, b.len - 1,
	    back, N, &a), -1);
	assert_int_equal(opz_decode((const unsigned char *)b.data, b.len,
	    back, N - 1, &a), -1);
	arena_free(&a);
	buf_free(&b);
}

/* One op alone, then the same after others of its kind: a delta
 * against the last op of the kind must come back the same either way. */
static void
test_opstore_one(void **state)
{
	struct dl_op ops[3], back[3];
	struct arena a;
	struct buf b;
	int i;

	(void)state;
	make(&ops[0], 1);
	ops[0].kind = DL_TEXT;
	ops[0].gid = gid_a;
	ops[0].adv = adv_a;
	ops[0].nglyphs = 5;
	ops[0].text = "Hello";
	ops[0].word_space = 2.25;
	ops[1] = ops[0];
	ops[1].x = -ops[0].x - 1;
	ops[1].word_space = 0;
	ops[2] = ops[1];
	for (i = 1; i <= 3; i++) {
		buf_init(&b);
		arena_init(&a);
		assert_int_equal(opz_encode(ops, (size_t)i, &b), 0);
		assert_int_equal(opz_decode((const unsigned char *)b.data, b.len,
		    back, (size_t)i, &a), 0);
		check_op(&ops[i - 1], &back[i - 1], 1, (size_t)i - 1);
		arena_free(&a);
		buf_free(&b);
	}
}

/* A float (the table does not fit under the paragraphs and the
 * text after it fills the page), a long table with a repeated header
 * over pages, links and a list: under 4096 ops, so never encoded at
 * LAY_OPCHUNK. */
static char *
varied_body(void)
{
	struct buf b;
	int k;

	buf_init(&b);
	buf_puts(&b, "<section id=\"s1\" title=\"Crime\">");
	for (k = 1; k <= 14; k++)
		buf_printf(&b, "<p>Paragraph %d before the table, which is "
		    "referred to here, and which goes on for long enough to "
		    "take two lines of the page or three.</p>", k);
	buf_puts(&b, "<table caption=\"Six rows\"><head><cell>Row</cell>"
	    "<cell>Value</cell></head>");
	for (k = 1; k <= 6; k++)
		buf_printf(&b, "<row><cell>Row %d</cell><cell>%d</cell></row>", k,
		    k * k);
	buf_puts(&b, "</table>");
	for (k = 1; k <= 12; k++)
		buf_printf(&b, "<p>After the table, paragraph %d; see <ref "
		    "to=\"s2\"/>.</p>", k);
	buf_puts(&b, "</section><section id=\"s2\" title=\"Spending\">"
	    "<list><item>one</item><item>two, <a href=\"https://example."
	    "org/\">a link</a></item></list><table caption=\"Long\">"
	    "<head><cell>Ward</cell><cell>Budget</cell><cell>Change</cell>"
	    "</head>");
	for (k = 1; k <= 90; k++)
		buf_printf(&b, "<row><cell>Ward %d</cell><cell>%d,%03d</cell>"
		    "<cell>%s%d%%</cell></row>", k, k * 7, k * 13 % 1000,
		    k % 3 ? "+" : "-", k % 17);
	buf_puts(&b, "</table></section>");
	assert_false(b.oom);
	return b.data;
}

/* A sink that dumps each page as it comes, then frees its ops. */
static int
dump_begin(void *arg, struct dl_doc *d)
{
	(void)arg;
	(void)d;
	return 0;
}

static int
dump_page(void *arg, struct dl_doc *d, size_t p)
{
	struct dl_doc one = *d;

	one.pages = &d->pages[p];
	one.npages = 1;
	dl_dump(&one, arg);
	free(d->pages[p].ops);
	d->pages[p].ops = NULL;
	d->pages[p].n = d->pages[p].cap = 0;
	return 0;
}

/* The document laid out with chunks of n ops (0: LAY_OPCHUNK), whole
 * (its dump in whole) and streamed (each page's in pages). */
static void
lay_chunks(struct laid *l, size_t n, struct buf *whole, struct buf *pages)
{
	struct lay_sink sink = { dump_begin, dump_page, pages, 0 };

	dl_free(&l->dl);
	dl_init(&l->dl, &l->doc->arena);
	l->dl.opchunk = n;
	assert_int_equal(lay_document(l->doc, &l->t, &l->fs, &l->dl,
	    &l->diags), 0);
	dl_dump(&l->dl, whole);
	dl_free(&l->dl);
	dl_init(&l->dl, &l->doc->arena);
	l->dl.opchunk = n;
	assert_int_equal(lay_document_to(l->doc, &l->t, &l->fs, &l->dl, &sink,
	    &l->diags), 0);
	assert_false(whole->oom || pages->oom);
}

static void
test_opstore_layout(void **state)
{
	static const size_t sizes[] = { 1, 2, 3, 7, 64 };
	char *body = varied_body();
	struct laid *l = lay_xml(body, NULL);
	struct buf w0, p0, w, p;
	size_t i;

	(void)state;
	assert_int_equal(l->rc, 0);
	assert_true(l->dl.npages >= 3);
	buf_init(&w0);
	buf_init(&p0);
	lay_chunks(l, 0, &w0, &p0);
	/* The float moved, and its marks are there to be kept. */
	assert_non_null(strstr(w0.data, "read-"));
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		buf_init(&w);
		buf_init(&p);
		lay_chunks(l, sizes[i], &w, &p);
		if (strcmp(w.data, w0.data) != 0)
			fail_msg("chunks of %zu: the pages differ", sizes[i]);
		if (strcmp(p.data, p0.data) != 0)
			fail_msg("chunks of %zu: the streamed pages differ",
			    sizes[i]);
		buf_free(&w);
		buf_free(&p);
	}
	buf_free(&w0);
	buf_free(&p0);
	laid_free(l);
	free(body);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_opstore_round_trip),
		cmocka_unit_test(test_opstore_one),
		cmocka_unit_test(test_opstore_layout),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
