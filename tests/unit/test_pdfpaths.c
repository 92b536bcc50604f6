/* test_pdfpaths.c — the page content stream's paths, from a display list
 * made by hand: what no layout of today's makes (objstm.sh reads the
 * examples' PDFs for the rest). */
#include <libdeflate.h>

#include "helpers.h"
#include "render/pdf.h"
#include "util/arena.h"

/* The inflated streams of pdf joined, each ended by a NUL. */
static char *
streams(const unsigned char *pdf, size_t len, size_t *n)
{
	struct libdeflate_decompressor *z = libdeflate_alloc_decompressor();
	size_t cap = 1 << 20, out = 0, i;
	char *all = malloc(cap);

	assert_non_null(z);
	assert_non_null(all);
	for (i = 0; i + 7 < len; i++) {
		const unsigned char *s, *e;
		size_t got;
		if (memcmp(pdf + i, "stream", 6) != 0 || (i > 0 && pdf[i - 1] == 'd'))
			continue;
		s = pdf + i + 6;
		s += *s == '\r';
		s += *s == '\n';
		for (e = s; e + 9 <= pdf + len && memcmp(e, "endstream", 9) != 0;
		    e++)
			;
		assert_true(e + 9 <= pdf + len);
		if (libdeflate_zlib_decompress_ex(z, s, (size_t)(e - s),
		    all + out, cap - out - 1, NULL, &got) == LIBDEFLATE_SUCCESS) {
			out += got;
			all[out++] = '\0';
		}
		i = (size_t)(e - pdf);
	}
	libdeflate_free_decompressor(z);
	*n = out;
	return all;
}

static void
line(struct dl_page *pg, double y, uint32_t colour)
{
	struct dl_op op;

	memset(&op, 0, sizeof(op));
	op.kind = DL_LINE;
	op.x = 72;
	op.y = y;
	op.w = 200;
	op.line_width = 1;
	op.colour = colour;
	op.do_stroke = 1;
	assert_non_null(dl_push(pg, &op));
}

/* Two strokes of different colours, one after the other inside one
 * marked-content sequence (a figure's): the first is painted (S) before
 * the second's colour (RG) is set, for an RG inside a path would colour
 * the path held so far as well; the third, of the second's colour,
 * joins its path. */
static void
test_stroke_colours(void **state)
{
	struct arena a;
	struct dl_doc dl;
	struct dl_page *pg;
	struct dl_op fig;
	struct fontset fs;
	struct diags dg;
	struct pw *w;
	unsigned char *pdf = NULL;
	size_t len = 0, n, k;
	char *all;
	int lines = 0;

	(void)state;
	arena_init(&a);
	dl_init(&dl, &a);
	diags_init(&dg);
	assert_int_equal(fontset_init(&fs, NULL, 0), 0);
	assert_non_null(pg = dl_add_page(&dl, 595, 842));
	memset(&fig, 0, sizeof(fig));
	fig.kind = DL_BEGIN;
	fig.st = ST_FIGURE;
	fig.alt = "Three lines";
	fig.x = 72;
	fig.y = 90;
	fig.w = 200;
	fig.h = 60;
	assert_non_null(dl_push(pg, &fig));
	line(pg, 100, 0xD4351C);
	line(pg, 120, 0x1D70B8);
	line(pg, 140, 0x1D70B8);
	fig.kind = DL_END;
	assert_non_null(dl_push(pg, &fig));
	assert_non_null(w = pdf_begin(&dl, &fs, "paths", 0, &dg));
	assert_int_equal(pdf_page(w, 0), 0);
	assert_int_equal(pdf_end(w, 1, NULL, &pdf, &len), 0);
	all = streams(pdf, len, &n);
	/* Each m opens a subpath of the path held until S (or f, B): no
	 * stroke colour set in between. */
	for (k = 0; k < n; k += strlen(all + k) + 1) {
		char *ln = all + k, *nl;
		int open = 0;
		for (; *ln != '\0'; ln = nl + (*nl != '\0')) {
			size_t m;
			if ((nl = strchr(ln, '\n')) == NULL)
				nl = ln + strlen(ln);
			m = (size_t)(nl - ln);
			if (m == 1 && strchr("SfB", ln[0]) != NULL)
				open = 0;
			else if (m > 2 && memcmp(nl - 2, " m", 2) == 0)
				open = 1, lines++;
			else if (m > 3 && memcmp(nl - 3, " RG", 3) == 0 && open)
				fail_msg("a stroke colour set inside a path: "
				    "%.*s", (int)m, ln);
		}
	}
	assert_int_equal(lines, 3);
	free(all);
	free(pdf);
	fontset_free(&fs);
	dl_free(&dl);
	arena_free(&a);
	diags_clear(&dg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stroke_colours),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
