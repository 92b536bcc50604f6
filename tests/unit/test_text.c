/* test_text.c — where lines break: UAX #14 by ICU (linebreak.c), our
 * tailoring and the line breaker's fallbacks, asserted on the break
 * function and on the display list. */
#include "helpers.h"

#ifndef NO_LBRK
#include "layout/linebreak.h"
#endif

static void
justify(struct template *t)
{
	t->para_align = ALIGN_JUSTIFY;
}

/* The lines of a one-style paragraph: the text ops of page 0 from the
 * first that holds "aaaa" (one op a line), trailing spaces cut. */
struct lines {
	char  *v[64];
	size_t n;
};

static void
para_lines(const struct laid *l, struct lines *ls)
{
	const struct dl_page *pg = &l->dl.pages[0];
	size_t i;
	int on = 0;

	ls->n = 0;
	for (i = 0; i < pg->n && ls->n < 64; i++) {
		const struct dl_op *o = &pg->ops[i];
		size_t n;
		if (o->kind != DL_TEXT || o->text == NULL)
			continue;
		if (!on && strstr(o->text, "aaaa") == NULL)
			continue;
		on = 1;
		n = strlen(o->text);
		while (n > 0 && o->text[n - 1] == ' ')
			n--;
		ls->v[ls->n++] = strndup(o->text, n);
	}
}

static void
lines_free(struct lines *ls)
{
	while (ls->n > 0)
		free(ls->v[--ls->n]);
}

/* Lays out "<k a's> tail" for k = 30..89 in both alignments and calls
 * check on each run's lines; the a's move every later break a letter
 * at a time, so each break falls once at every place the rules allow. */
static void
sweep(const char *tail, void (*check)(const struct lines *, int *), int *seen)
{
	int k, j;

	for (j = 0; j < 2; j++)
		for (k = 30; k < 90; k++) {
			char xml[2048], a[128];
			struct laid *l;
			struct lines ls;
			memset(a, 'a', (size_t)k);
			a[k] = '\0';
			snprintf(xml, sizeof(xml), "<p numbered=\"no\">%s %s</p>",
			    a, tail);
			l = lay_xml(xml, j ? justify : NULL);
			assert_int_equal(l->rc, 0);
			para_lines(l, &ls);
			assert_true(ls.n >= 2);
			check(&ls, seen);
			lines_free(&ls);
			laid_free(l);
		}
}

static int
ends_with(const char *s, const char *end)
{
	size_t n = strlen(s), m = strlen(end);

	return n >= m && strcmp(s + n - m, end) == 0;
}

static void
check_years(const struct lines *ls, int *seen)
{
	size_t i;

	for (i = 0; i < ls->n; i++) {
		const char *s = ls->v[i];
		if (ends_with(s, "/") || ends_with(s, "2022") ||
		    ends_with(s, "2024") || strncmp(s, "23", 2) == 0 ||
		    strncmp(s, "25", 2) == 0 || strncmp(s, "/", 1) == 0)
			fail_msg("a year split: line \"%s\"", s);
		/* The sweep reached the years: a line ended just before. */
		if (i + 1 < ls->n && (strncmp(ls->v[i + 1], "2022/23", 7) == 0 ||
		    strncmp(ls->v[i + 1], "2024/25", 7) == 0))
			(*seen)++;
	}
}

/* "2022/23" and "2024/25" are never split (digits around a slash: UAX
 * #14 gives no break there; our old rule broke after any slash). */
static void
test_years_never_split(void **state)
{
	int seen = 0;

	(void)state;
	sweep("in 2022/23 and 2024/25, 2022/23 2024/25 and again in 2022/23 "
	    "or 2024/25 as before", check_years, &seen);
	assert_true(seen > 4);
}

static void
check_dash(const struct lines *ls, int *seen)
{
	size_t i;

	for (i = 0; i < ls->n; i++) {
		const char *s = ls->v[i];
		if (s[0] == '-' || strncmp(s, "\xe2\x80\x93", 3) == 0)
			fail_msg("a line starts with a dash: \"%s\"", s);
		if (i + 1 < ls->n && (ends_with(s, " -") ||
		    ends_with(s, " \xe2\x80\x93")))
			(*seen)++;
	}
}

/* "April 22 - Sept 22" never puts the dash at the start of a line (UAX
 * #14 would break after the space before it; our tailoring keeps it at
 * the end of the line before), with a hyphen or an en dash. */
static void
test_spaced_dash_not_first(void **state)
{
	int seen = 0;

	(void)state;
	sweep("April 22 - Sept 22 and April 23 \xe2\x80\x93 Sept 23 then "
	    "April 24 - Sept 24", check_dash, &seen);
	assert_true(seen > 4);
}

/* The same in tables of 3 to 9 narrow columns, the header cells as
 * blaby-2023 has them (half the header's width is a column's wish). */
static void
test_spaced_dash_table_header(void **state)
{
	int ncol, c, seen = 0;

	(void)state;
	for (ncol = 3; ncol <= 9; ncol++) {
		struct buf x;
		struct laid *l;
		size_t i;
		buf_init(&x);
		buf_puts(&x, "<table><head><cell>Area</cell>");
		for (c = 1; c < ncol; c++)
			buf_printf(&x, "<cell>April %d - Sept %d</cell>", 10 + c,
			    10 + c);
		buf_puts(&x, "</head><row><cell>Blaby</cell>");
		for (c = 1; c < ncol; c++)
			buf_puts(&x, "<cell>1</cell>");
		buf_puts(&x, "</row></table>");
		l = lay_xml(x.data, NULL);
		assert_int_equal(l->rc, 0);
		for (i = 0; i < l->dl.pages[0].n; i++) {
			const struct dl_op *o = &l->dl.pages[0].ops[i];
			if (o->kind != DL_TEXT || o->text == NULL)
				continue;
			if (o->text[0] == '-')
				fail_msg("%d columns: a header line \"%s\"", ncol,
				    o->text);
			seen += ends_with(o->text, " - ") || ends_with(o->text, " -");
		}
		laid_free(l);
		buf_free(&x);
	}
	assert_true(seen > 0);
}

static void
check_url(const struct lines *ls, int *seen)
{
	size_t i;

	for (i = 0; i + 1 < ls->n; i++) {
		const char *s = ls->v[i], *nx = ls->v[i + 1];
		/* Inside the URL a line ends only after a slash or a hyphen
		 * ("https:" / "//" or "www." / "example" never). */
		if (ends_with(s, "https:") || ends_with(s, "www.") ||
		    ends_with(s, "example") || ends_with(s, ".") ||
		    nx[0] == '/' || nx[0] == '.')
			fail_msg("a URL broken where UAX #14 allows none: \"%s\" / "
			    "\"%s\"", s, nx);
		seen[0] += ends_with(s, "https://") || ends_with(s, ".gov.uk/") ||
		    ends_with(s, "safety/");
		seen[1] += ends_with(s, "and/");
	}
}

/* A URL and "and/or" still break after their slashes, where UAX #14
 * allows (the sweep would find a break inside "www.example" too). */
static void
test_url_and_or_break(void **state)
{
	int seen[2] = { 0, 0 };

	(void)state;
	sweep("see https://www.example.gov.uk/community-safety/plans and/or "
	    "ask", check_url, seen);
	assert_true(seen[0] > 0);
	assert_true(seen[1] > 0);
}

/* Text with no break opportunity wider than the line (digits and
 * slashes: UAX #14 allows no break in them) is still broken somewhere,
 * never over the margin, and nothing of it is lost. */
static void
test_unbreakable_run_broken(void **state)
{
	struct buf x, all;
	struct laid *l;
	double right = 595.276 - 25 * 72 / 25.4;
	size_t i;
	int c, n = 0;

	(void)state;
	buf_init(&x);
	buf_init(&all);
	buf_puts(&x, "<p numbered=\"no\">");
	for (c = 0; c < 60; c++)
		buf_puts(&x, "2022/23/");
	buf_puts(&x, "</p>");
	l = lay_xml(x.data, NULL);
	assert_int_equal(l->rc, 0);
	for (i = 0; i < l->dl.pages[0].n; i++) {
		const struct dl_op *o = &l->dl.pages[0].ops[i];
		if (o->kind != DL_TEXT || o->text == NULL ||
		    strstr(o->text, "2022") == NULL)
			continue;
		assert_true(o->x + o->w <= right + 0.01);
		buf_puts(&all, o->text);
		n++;
	}
	assert_true(n >= 3);
	assert_int_equal(strlen(all.data), 60 * 8);
	laid_free(l);
	buf_free(&x);
	buf_free(&all);
}

/* Words UAX #14 holds together across a space ("b )", "22 -") that are
 * wider than a narrow column are still broken, at that space, and lose
 * nothing. */
static void
test_held_words_wider_than_column(void **state)
{
	struct laid *l;
	size_t i;
	int seen = 0;

	(void)state;
	l = lay_xml("<table><head><cell>A</cell><cell>B</cell><cell>C</cell>"
	    "<cell>D</cell><cell>E</cell><cell>F</cell><cell>G</cell>"
	    "<cell>H</cell></head><row><cell>Wwwwwwwww -</cell>"
	    "<cell>2</cell><cell>3</cell><cell>4</cell><cell>5</cell>"
	    "<cell>6</cell><cell>7</cell><cell>8</cell></row></table>",
	    NULL);
	assert_int_equal(l->rc, 0);
	for (i = 0; i < l->dl.pages[0].n; i++) {
		const struct dl_op *o = &l->dl.pages[0].ops[i];
		if (o->kind == DL_TEXT && o->text != NULL)
			seen += strstr(o->text, "Wwwwwwwww") != NULL ||
			    strchr(o->text, '-') != NULL;
	}
	assert_true(seen >= 1);
	laid_free(l);
}

#ifndef NO_LBRK
/* The break function itself: UAX #14 opportunities by byte offset. */
static void
test_lbrk_find(void **state)
{
	const char *why = "unset";
	struct lbrk *b = lbrk_new(&why);
	const unsigned char *ok;
	const char *s;
	size_t i;

	(void)state;
	assert_non_null(b);
	assert_null(why);
	s = "2022/23 and/or well-known";
	ok = lbrk_find(b, s, strlen(s));
	assert_non_null(ok);
	for (i = 1; i < 7; i++)
		assert_int_equal(ok[i], 0);   /* none in 2022/23 */
	assert_int_equal(ok[8], 1);       /* after the space */
	assert_int_equal(ok[12], 1);      /* and/|or */
	assert_int_equal(ok[20], 1);      /* well-|known */
	assert_int_equal(ok[strlen(s)], 1);
	/* Reused over a second text, by byte offsets in UTF-8. */
	s = "\xc2\xa3" "5\xc2\xa0m a\xe2\x80\x93" "b";
	ok = lbrk_find(b, s, strlen(s));
	assert_non_null(ok);
	for (i = 1; i < 7; i++)
		assert_int_equal(ok[i], 0);   /* £5 NBSP m held */
	assert_int_equal(ok[7], 1);       /* after the space */
	assert_int_equal(ok[11], 1);      /* a–|b */
	ok = lbrk_find(b, "", 0);
	assert_non_null(ok);
	/* Letters, digits and spaces alone (no ICU): after each run of
	 * spaces, as ICU gives. */
	s = "Blaby 1234  x9 ";
	ok = lbrk_find(b, s, strlen(s));
	for (i = 1; i < strlen(s); i++)
		assert_int_equal(ok[i], i == 6 || i == 12);
	assert_int_equal(ok[strlen(s)], 1);
	lbrk_free(b);
	lbrk_free(NULL);
}
#endif

int
main(void)
{
	const struct CMUnitTest tests[] = {
#ifndef NO_LBRK
		cmocka_unit_test(test_lbrk_find),
#endif
		cmocka_unit_test(test_years_never_split),
		cmocka_unit_test(test_spaced_dash_not_first),
		cmocka_unit_test(test_spaced_dash_table_header),
		cmocka_unit_test(test_url_and_or_break),
		cmocka_unit_test(test_unbreakable_run_broken),
		cmocka_unit_test(test_held_words_wider_than_column),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
