/* test_pdfpaths.c — the page content stream's paths, from a display list
 * made by hand: what no layout of today's makes (objstm.sh reads the
 * examples' PDFs for the rest); and each page's content in the file as
 * soon as the page is drawn. */
#include <libdeflate.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

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
	assert_non_null(w = pdf_begin(&dl, &fs, "paths", NULL, 0, &dg));
	assert_int_equal(pdf_page(w, 0), 0);
	assert_int_equal(pdf_end(w, 1, &pdf, &len), 0);
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

/* The number of distinct "N 0 obj" in pdf; *dups, those seen twice. */
static int
objects(const unsigned char *pdf, size_t len, int *dups)
{
	static unsigned char seen[1 << 16];
	size_t i;
	int n = 0;

	memset(seen, 0, sizeof(seen));
	*dups = 0;
	for (i = 1; i + 6 < len; i++) {
		unsigned long num;
		char *end;
		if (memcmp(pdf + i, " 0 obj", 6) != 0)
			continue;
		while (i > 0 && pdf[i - 1] >= '0' && pdf[i - 1] <= '9')
			i--;
		num = strtoul((const char *)pdf + i, &end, 10);
		assert_true(num < sizeof(seen));
		if (seen[num]++)
			(*dups)++;
		else
			n++;
		i = (size_t)(end - (const char *)pdf) + 6;
	}
	return n;
}

/*
 * A page's content stream is in the file once the page is drawn, not
 * held to the end (issue 16: a 1,000-page table held 5 MB of them), and
 * the save does not write it again: each object once, each page's
 * stream its own.
 */
static void
test_pages_written_as_they_go(void **state)
{
	static const uint32_t colour[3] = { 0xD4351C, 0x1D70B8, 0x00703C };
	static const char *rg[3] = { "0.831 0.208 0.11 RG",
		"0.114 0.439 0.722 RG", "0 0.439 0.235 RG" };
	char path[] = "/tmp/sc-pagesgo-XXXXXX";
	struct arena a;
	struct dl_doc dl;
	struct fontset fs;
	struct diags dg;
	struct pw *w;
	unsigned char *pdf;
	size_t len, n, k, p, i;
	char *all;
	int fd, dups, nobj;

	(void)state;
	assert_true((fd = mkstemp(path)) >= 0);
	close(fd);
	arena_init(&a);
	dl_init(&dl, &a);
	diags_init(&dg);
	assert_int_equal(fontset_init(&fs, NULL, 0), 0);
	for (p = 0; p < 3; p++) {
		struct dl_page *pg = dl_add_page(&dl, 595, 842);
		assert_non_null(pg);
		line(pg, 100 + 20 * (double)p, colour[p]);
	}
	assert_non_null(w = pdf_begin(&dl, &fs, "pages", path, 1, &dg));
	for (p = 0; p < 3; p++) {
		assert_int_equal(pdf_page(w, p), 0);
		/* pages 0 .. p, and no other stream yet */
		assert_non_null(pdf = (unsigned char *)slurp_file(path, &len));
		all = streams(pdf, len, &n);
		for (k = 0, i = 0; i < n; k++, i += strlen(all + i) + 1) {
			assert_true(k <= p);
			assert_non_null(strstr(all + i, rg[k]));
		}
		assert_int_equal(k, p + 1);
		free(all);
		free(pdf);
	}
	assert_int_equal(pdf_end(w, 1, NULL, NULL), 0);
	assert_non_null(pdf = (unsigned char *)slurp_file(path, &len));
	nobj = objects(pdf, len, &dups);
	assert_int_equal(dups, 0);
	assert_true(nobj > 3);
	free(pdf);
	unlink(path);
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
		cmocka_unit_test(test_pages_written_as_they_go),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
