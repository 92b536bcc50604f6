/* test_layout.c — the typesetter, asserted on the display list. */
#include <hb.h>

#include "helpers.h"

static char *
words(int n)
{
	struct buf b;
	int i;

	buf_init(&b);
	for (i = 0; i < n; i++)
		buf_printf(&b, "%sword%d", i ? " " : "", i);
	return b.data;
}

/* Lines never run past the text width, and every word is placed once;
 * the text is shifted a letter at a time, so that some line ends with a
 * word that only just does not fit. */
static void
test_lines_fit_width(void **state)
{
	char *w = words(120), xml[4096];
	double right = 595.276 - 25 * 72 / 25.4;
	int shift;

	(void)state;
	for (shift = 0; shift < 12; shift++) {
		struct laid *l;
		const struct dl_page *pg;
		size_t i;
		int nlines = 0;
		snprintf(xml, sizeof(xml), "<p numbered=\"no\">%.*s%s</p>",
		    shift, "iiiiiiiiiiii", w);
		l = lay_xml(xml, NULL);
		assert_int_equal(l->rc, 0);
		pg = &l->dl.pages[0];
		for (i = 0; i < pg->n; i++)
			if (pg->ops[i].kind == DL_TEXT) {
				if (pg->ops[i].x + pg->ops[i].w > right + 0.01)
					fail_msg("shift %d: \"%s\" ends at %.2f, past "
					    "%.2f", shift, pg->ops[i].text, pg->ops[i].x +
					    pg->ops[i].w, right);
				nlines++;
			}
		assert_true(nlines > 5);
		assert_non_null(find_text(l, 0, "word1 "));
		assert_non_null(find_text(l, 0, "word119"));
		laid_free(l);
	}
	free(w);
}

/* Greedy filling: a line is only broken when the next word would not fit. */
static void
test_lines_filled(void **state)
{
	char *w = words(120), xml[4096];
	struct laid *l;
	const struct dl_page *pg;
	double left = 25 * 72 / 25.4, width = 595.276 - 2 * left;
	size_t i, nl = 0;
	const struct dl_op *line[64];

	(void)state;
	snprintf(xml, sizeof(xml), "<p numbered=\"no\">%s</p>", w);
	l = lay_xml(xml, NULL);
	pg = &l->dl.pages[0];
	for (i = 0; i < pg->n && nl < 64; i++)
		if (pg->ops[i].kind == DL_TEXT)
			line[nl++] = &pg->ops[i];
	/* Every line but the last has no room for the next line's first
	 * word ("wordNN" is about 45pt at 12pt). */
	for (i = 0; i + 1 < nl; i++)
		assert_true(line[i]->w > width - 60);
	laid_free(l);
	free(w);
}

/* A word longer than the line is broken, never overflows. */
static void
test_long_word_broken(void **state)
{
	struct laid *l;
	char xml[2048], word[801];
	const struct dl_page *pg;
	double right = 595.276 - 25 * 72 / 25.4;
	size_t i;
	int n = 0;

	(void)state;
	memset(word, 'x', 800);
	word[800] = '\0';
	snprintf(xml, sizeof(xml), "<p numbered=\"no\">%s</p>", word);
	l = lay_xml(xml, NULL);
	assert_int_equal(l->rc, 0);
	pg = &l->dl.pages[0];
	for (i = 0; i < pg->n; i++)
		if (pg->ops[i].kind == DL_TEXT) {
			assert_true(pg->ops[i].x + pg->ops[i].w <= right + 0.01);
			n++;
		}
	assert_true(n >= 8);
	laid_free(l);
}

/* Break opportunities after hyphens and slashes: with the long word
 * made a letter longer each time, some runs leave room for "well-" but
 * not "well-known/", and there the line must end at the hyphen (a break
 * at the space would also be legal, so one fixed run proves nothing). */
static void
test_break_after_hyphen(void **state)
{
	int k, at_hyphen = 0, at_slash = 0;

	(void)state;
	for (k = 45; k < 68; k++) {
		struct laid *l;
		char xml[1024], a[128];
		const struct dl_op *o;
		size_t n;

		memset(a, 'a', (size_t)k);
		a[k] = '\0';
		snprintf(xml, sizeof(xml), "<p numbered=\"no\">%s "
		    "well-known/understood</p>", a);
		l = lay_xml(xml, NULL);
		o = find_text(l, 0, "aaaa");
		assert_non_null(o);
		n = strlen(o->text);
		while (n > 0 && o->text[n - 1] == ' ')
			n--;
		at_hyphen += n >= 5 && strncmp(o->text + n - 5, "well-", 5) == 0;
		at_slash += n >= 11 && strncmp(o->text + n - 11, "well-known/",
		    11) == 0;
		/* Never mid-word: the line ends after the a's, a hyphen, a
		 * slash or the whole text. */
		assert_true(o->text[n - 1] == 'a' || o->text[n - 1] == '-' ||
		    o->text[n - 1] == '/' || strstr(o->text, "understood"));
		laid_free(l);
	}
	assert_true(at_hyphen > 0);
	assert_true(at_slash > 0);
}

/* <br/> forces a line break. */
static void
test_br(void **state)
{
	struct laid *l = lay_xml("<p numbered=\"no\">first<br/>second</p>",
	    NULL);
	const struct dl_op *a, *b;

	(void)state;
	a = find_text(l, 0, "first");
	b = find_text(l, 0, "second");
	assert_non_null(a);
	assert_non_null(b);
	assert_true(b->y > a->y);
	assert_true(b->x == a->x);
	laid_free(l);
}

/* Section and paragraph numbers by the default scheme: 1., 1.1, 1.2, 2. */
static void
test_numbering_hierarchical(void **state)
{
	struct laid *l = lay_xml(
	    "<section title=\"One\"><p>a</p><p>b</p></section>"
	    "<section title=\"Two\"><p>c</p></section>", NULL);

	(void)state;
	assert_non_null(find_exact(l, 0, "1."));
	assert_non_null(find_exact(l, 0, "1.1"));
	assert_non_null(find_exact(l, 0, "1.2"));
	assert_non_null(find_exact(l, 0, "2.1"));
	/* The number hangs left of the text. */
	assert_true(find_exact(l, 0, "1.1")->x < find_text(l, 0, "a")->x);
	laid_free(l);
}

static void
continuous(struct template *t)
{
	t->num_headings = 0;
	t->para_numbering = PARANUM_CONTINUOUS;
	t->para_format = "{p}.";
}

/* Herefordshire: paragraphs 1, 2, 3 … across sections, headings bare. */
static void
test_numbering_continuous(void **state)
{
	struct laid *l = lay_xml(
	    "<section title=\"One\"><p>a</p><p>b</p></section>"
	    "<section title=\"Two\"><p>c</p><p numbered=\"no\">d</p>"
	    "<p>e</p></section>", continuous);

	(void)state;
	assert_non_null(find_exact(l, 0, "3."));
	assert_non_null(find_exact(l, 0, "4."));
	assert_null(find_text(l, 0, "5."));
	assert_null(find_text(l, 0, "1.1"));
	laid_free(l);
}

/* An appendix numbers its paragraphs from 1 again. */
static void
test_numbering_appendix_restarts(void **state)
{
	struct laid *l = lay_xml(
	    "<section title=\"One\"><p>a</p><p>b</p></section>"
	    "<appendix title=\"Extra\"><p>c</p></appendix>", continuous);

	(void)state;
	assert_non_null(find_exact(l, 0, "2."));
	assert_non_null(find_exact(l, 1, "1."));
	assert_null(find_text(l, 1, "3."));
	laid_free(l);
}

static void
subhead_numbered(struct template *t)
{
	t->num_subheadings = SUBHEAD_NUMBERED;
}

/* Numbered sub-headings: 1.1, its paragraphs 1.1.1. */
static void
test_numbering_subheadings(void **state)
{
	struct laid *l = lay_xml("<section title=\"One\"><p>a</p>"
	    "<section title=\"Sub\"><p>b</p></section></section>",
	    subhead_numbered);
	const struct dl_op *sub = find_text(l, 0, "Sub"), *n = NULL;
	size_t k;

	(void)state;
	assert_non_null(sub);
	/* The sub-heading's own number, on its line. */
	for (k = 0; k < l->dl.pages[0].n; k++) {
		const struct dl_op *o = &l->dl.pages[0].ops[k];
		if (o->kind == DL_TEXT && o->y == sub->y && o != sub)
			n = o;
	}
	assert_non_null(n);
	assert_string_equal(n->text, "1.1");
	assert_non_null(find_exact(l, 0, "1.1.1"));
	laid_free(l);
}

/* Shapes word through the cache and straight through HarfBuzz. */
static void
check_as_harfbuzz(struct font *f, hb_buffer_t *buf, const char *word)
{
	static const hb_feature_t feats[] = {
		{ HB_TAG('k', 'e', 'r', 'n'), 1, 0, (unsigned)-1 },
		{ HB_TAG('l', 'i', 'g', 'a'), 0, 0, (unsigned)-1 },
		{ HB_TAG('c', 'l', 'i', 'g'), 0, 0, (unsigned)-1 },
	};
	const struct shaped *sh = font_shape(f, word, strlen(word));
	hb_glyph_info_t *info;
	hb_glyph_position_t *pos;
	unsigned n, g;
	int32_t pen = 0, hbpen = 0;

	hb_buffer_clear_contents(buf);
	hb_buffer_add_utf8(buf, word, -1, 0, -1);
	hb_buffer_guess_segment_properties(buf);
	hb_shape(f->hb, buf, feats, 3);
	info = hb_buffer_get_glyph_infos(buf, &n);
	pos = hb_buffer_get_glyph_positions(buf, &n);
	assert_non_null(sh);
	assert_int_equal(sh->n, n);
	/* Each glyph drawn at the pen lands where HarfBuzz put it (pen
	 * plus offset), and the run is as wide. */
	for (g = 0; g < n; g++) {
		assert_int_equal(sh->gid[g], info[g].codepoint);
		if (g > 0)
			assert_int_equal(pen, hbpen + pos[g].x_offset);
		pen += sh->adv[g];
		hbpen += pos[g].x_advance;
	}
	assert_int_equal(pen, hbpen);
	assert_int_equal(sh->width, hbpen);
}

/* Glyphs land where HarfBuzz puts them, kerning ("11" is kerned in
 * Arial's metrics, half of it as an offset) included, whether shaped by
 * HarfBuzz or, once a font has shaped a few hundred numbers, by the
 * short cut for figures. */
static void
test_figures_shaped_as_harfbuzz(void **state)
{
	static const char *const words[] = {
		"11", "1,234.56", "-6.9%", "(2021/22)", "7:30", "1111", "+4",
		"0", "1.1.1", "Ward", ("\xc2\xa3" "1,000"),
	};
	struct fontset fs;
	struct diags d;
	struct font *f = NULL;
	hb_buffer_t *buf = hb_buffer_create();
	char w[32];
	size_t i;
	int k, style;

	(void)state;
	diags_init(&d);
	assert_int_equal(fontset_init(&fs, NULL, 0), 0);
	for (style = 0; style < 2; style++) {
		k = fontset_get(&fs, "Liberation Sans", style, 0, &d, "t", 1);
		assert_true(k >= 0);
		f = fs.font[k];
		for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
			check_as_harfbuzz(f, buf, words[i]);
		for (i = 0; i < 1000; i++) {
			snprintf(w, sizeof(w), "%zu,%03zu.%zu%%", i / 7, i, i % 10);
			check_as_harfbuzz(f, buf, w);
		}
		for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
			check_as_harfbuzz(f, buf, words[i]);
		check_as_harfbuzz(f, buf, "1111.11");
	}
	/* The pair the short cut must not miss. */
	{
		const struct shaped *one = font_shape(f, "1", 1);
		const struct shaped *two = font_shape(f, "11", 2);
		assert_true(two->width != 2 * one->width);
	}
	hb_buffer_destroy(buf);
	fontset_free(&fs);
	diags_clear(&d);
}

/* The bottom margin grown a point at a time moves the page foot across
 * everything before it, so that in one of the runs a keep rule meets the
 * foot: a test at one fixed fill may never put the heading (or row, or
 * lead-in) where the rule matters, and so could never fail. */
static double extra_margin;

static void
short_page(struct template *t)
{
	t->margin_b += extra_margin;
}

/* A heading is never the last thing on a page: of 40 page feet, some
 * fall where the heading would otherwise end page 1. */
static void
test_keep_with_next(void **state)
{
	struct buf b;
	struct laid *l;
	int i, hp, pp, moved = 0, runs = 0;

	(void)state;
	buf_init(&b);
	/* Fill most of page 1 with one-line paragraphs, then a heading. */
	for (i = 0; i < 28; i++)
		buf_printf(&b, "<p numbered=\"no\">line %d</p>", i);
	buf_puts(&b, "<section title=\"Kept heading\"><p>first para "
	    "text</p></section>");
	for (extra_margin = 0; extra_margin < 40; extra_margin += 1, runs++) {
		l = lay_xml(b.data, short_page);
		hp = page_of(l, "Kept heading");
		pp = page_of(l, "first para text");
		assert_true(hp >= 0);
		if (hp != pp)
			fail_msg("margin +%.0fpt: heading on page %d, its text on "
			    "page %d", extra_margin, hp + 1, pp + 1);
		moved += hp == 1;
		laid_free(l);
	}
	extra_margin = 0;
	/* The sweep crossed the heading: some runs moved it over. */
	assert_true(moved > 0 && moved < runs);
	buf_free(&b);
}

/* A lead-in ("The priorities are:") is never the last thing on a page. */
static void
test_lead_in_kept(void **state)
{
	struct buf b;
	struct laid *l;
	int i, lp, moved = 0, runs = 0;

	(void)state;
	buf_init(&b);
	for (i = 0; i < 28; i++)
		buf_printf(&b, "<p numbered=\"no\">line %d</p>", i);
	buf_puts(&b, "<p numbered=\"no\">The priorities are:</p><list>"
	    "<item>Item one</item><item>Item two</item></list>");
	for (extra_margin = 0; extra_margin < 40; extra_margin += 1, runs++) {
		l = lay_xml(b.data, short_page);
		lp = page_of(l, "The priorities are:");
		if (lp != page_of(l, "Item one"))
			fail_msg("margin +%.0fpt: the lead-in ends page %d",
			    extra_margin, lp + 1);
		moved += lp == 1;
		laid_free(l);
	}
	extra_margin = 0;
	assert_true(moved > 0 && moved < runs);
	buf_free(&b);
}

/* Lines are set 1.2 times the type size apart in the default style
 * (12pt on 14.4pt), from the first line to the last. */
static void
test_line_pitch(void **state)
{
	char *w = words(120), xml[4096];
	struct laid *l;
	const struct dl_page *pg;
	const struct dl_op *prev = NULL;
	size_t i;
	int n = 0;

	(void)state;
	snprintf(xml, sizeof(xml), "<p numbered=\"no\">%s</p>", w);
	l = lay_xml(xml, NULL);
	pg = &l->dl.pages[0];
	for (i = 0; i < pg->n; i++)
		if (pg->ops[i].kind == DL_TEXT) {
			if (prev != NULL && fabs(pg->ops[i].y - prev->y - 14.4) >
			    0.001)
				fail_msg("line %d is %.3fpt below the last, want "
				    "14.4", n + 1, pg->ops[i].y - prev->y);
			prev = &pg->ops[i];
			n++;
		}
	assert_true(n > 5);
	laid_free(l);
	free(w);
}

static void
with_footer(struct template *t)
{
	t->footer.part[1] = "Page {page} of {pages}";
}

/* The running footer: "Page N of M" centred under the text on every
 * page, the first included, with the total right. */
static void
test_running_footer(void **state)
{
	struct laid *l = lay_xml("<p>before</p><page-break/><p>middle</p>"
	    "<page-break/><p>after</p>", with_footer);
	const char *want[] = { "Page 1 of 3", "Page 2 of 3", "Page 3 of 3" };
	size_t p;

	(void)state;
	assert_int_equal(l->dl.npages, 3);
	for (p = 0; p < 3; p++) {
		const struct dl_op *f = find_exact(l, p, want[p]);
		if (f == NULL)
			fail_msg("page %zu has no \"%s\"", p + 1, want[p]);
		assert_true(f->y > l->t.page_h - l->t.margin_b);
		assert_true(fabs(f->x + f->w / 2 - l->t.page_w / 2) < 0.5);
	}
	laid_free(l);
}

static void
with_header_fields(struct template *t)
{
	t->header.part[0] = "{meeting-date}";
	t->header.part[2] = "{report-of}";
	t->header.first_page = 1;
	t->date_format = "d MMMM yyyy";
}

/* Header and footer fields as the front sheet prints them: the date in
 * the house style (not "2024-07-10"), repeated fields joined. */
static void
test_running_fields(void **state)
{
	struct laid *l = lay_xml_meta("<meeting-date>2024-07-10</meeting-date>"
	    "<report-of>Director A</report-of><report-of>Director B</report-of>",
	    "<p>text</p>", with_header_fields);

	(void)state;
	assert_int_equal(l->rc, 0);
	if (find_exact(l, 0, "10 July 2024") == NULL)
		fail_msg("the header's date is not \"10 July 2024\"");
	assert_null(find_exact(l, 0, "2024-07-10"));
	if (find_exact(l, 0, "Director A; Director B") == NULL)
		fail_msg("the header's report-of is not both, joined");
	laid_free(l);
}

/* Nothing is set below the bottom margin (the page builder never lets
 * a box run past it). */
static void
test_text_inside_margins(void **state)
{
	char *w = words(900);
	struct buf b;
	struct laid *l;
	size_t p, k;

	(void)state;
	buf_init(&b);
	buf_printf(&b, "<p numbered=\"no\">%s</p>", w);
	l = lay_xml(b.data, NULL);
	assert_true(l->dl.npages >= 2);
	for (p = 0; p < l->dl.npages; p++)
		for (k = 0; k < l->dl.pages[p].n; k++) {
			const struct dl_op *o = &l->dl.pages[p].ops[k];
			if (o->kind == DL_TEXT && o->y > l->t.page_h -
			    l->t.margin_b)
				fail_msg("page %zu: \"%s\" at y %.1f, below the "
				    "margin at %.1f", p + 1, o->text, o->y,
				    l->t.page_h - l->t.margin_b);
		}
	laid_free(l);
	buf_free(&b);
	free(w);
}

/* No line of a multi-line paragraph alone at a page top or bottom: the
 * page foot swept a point at a time across the paragraph's five lines. */
static void
test_widows_orphans(void **state)
{
	char *w = words(60);
	struct buf b;
	int i, split = 0;

	(void)state;
	buf_init(&b);
	for (i = 0; i < 24; i++)
		buf_printf(&b, "<p numbered=\"no\">filler %d</p>", i);
	buf_printf(&b, "<p numbered=\"no\">%s</p>", w);
	for (extra_margin = 0; extra_margin < 140; extra_margin += 1) {
		struct laid *l = lay_xml(b.data, short_page);
		size_t p;
		int pages = 0;
		for (p = 0; p < l->dl.npages; p++) {
			/* Count the long paragraph's lines on each page. */
			size_t k;
			int lines = 0;
			for (k = 0; k < l->dl.pages[p].n; k++) {
				const struct dl_op *o = &l->dl.pages[p].ops[k];
				if (o->kind == DL_TEXT && strstr(o->text, "word"))
					lines++;
			}
			if (lines == 1)
				fail_msg("margin +%.0fpt: one line of the paragraph "
				    "alone on page %zu", extra_margin, p + 1);
			pages += lines > 0;
		}
		split += pages > 1;
		laid_free(l);
	}
	extra_margin = 0;
	assert_true(split > 0);
	buf_free(&b);
	free(w);
}

/* <page-break/> starts a new page; appendices start on a new page. */
static void
test_page_breaks(void **state)
{
	struct laid *l = lay_xml("<p>before</p><page-break/><p>after</p>"
	    "<appendix title=\"Extra\"><p>inside</p></appendix>", NULL);

	(void)state;
	assert_int_equal(page_of(l, "before"), 0);
	assert_int_equal(page_of(l, "after"), 1);
	assert_int_equal(page_of(l, "Appendix A"), 2);
	laid_free(l);
}

/* Lists: bullets, (i) roman, (a) alpha, nested inside an item. */
static void
test_lists(void **state)
{
	struct laid *l = lay_xml("<list style=\"roman\"><item>one</item>"
	    "<item>two</item><item>three<list style=\"alpha\"><item>inner"
	    "</item></list></item></list><list><item>dot</item></list>",
	    NULL);
	const struct dl_op *iii, *a, *inner, *three;

	(void)state;
	iii = find_text(l, 0, "(iii)");
	a = find_text(l, 0, "(a)");
	inner = find_text(l, 0, "inner");
	three = find_text(l, 0, "three");
	assert_non_null(iii);
	assert_non_null(a);
	assert_non_null(find_text(l, 0, "\xe2\x80\xa2"));
	/* The nested list hangs from the item's text. */
	assert_true(a->x >= three->x - 0.01);
	assert_true(inner->x > a->x);
	laid_free(l);
}

/* <ref> prints the target's number and links to it. */
static void
test_ref(void **state)
{
	struct laid *l = lay_xml("<section title=\"One\"><p>See <ref "
	    "to=\"two\"/>.</p></section><section id=\"two\" title=\"Two\">"
	    "<p>x</p></section>", NULL);
	size_t i;
	int link = 0;

	(void)state;
	assert_non_null(find_text(l, 0, "section 2"));
	for (i = 0; i < l->dl.pages[0].n; i++)
		if (l->dl.pages[0].ops[i].kind == DL_LINK &&
		    l->dl.pages[0].ops[i].anchor &&
		    strcmp(l->dl.pages[0].ops[i].anchor, "two") == 0)
			link = 1;
	assert_true(link);
	laid_free(l);
}

/* A link over two lines is one Link element holding an annotation for
 * each line, and each annotation's description is the whole link's
 * text; the text after it is outside; a second link is its own. */
static void
test_link_over_lines(void **state)
{
	static const char words[] = "one two three four five six seven eight "
	    "nine ten eleven twelve thirteen fourteen fifteen sixteen "
	    "seventeen eighteen nineteen twenty twenty-one twenty-two";
	struct buf x;
	struct laid *l;
	size_t p, k;
	int links = 0, annots = 0, in_link = 0, after_in_link = 0, other = 0;
	char want[sizeof(words) + 8];

	(void)state;
	snprintf(want, sizeof(want), "%s end", words);
	buf_init(&x);
	/* White space as an author wraps XML: one space in the description,
	 * none at its ends, none doubled where the bold part meets. */
	buf_printf(&x, "<p>See <a href=\"https://example.org/a\">\n  %s "
	    "<b> end</b>\n</a> and then <a href=\"https://example.org/b\">b"
	    "</a>.</p>", words);
	l = lay_xml(x.data, NULL);
	buf_free(&x);
	assert_int_equal(l->rc, 0);
	for (p = 0; p < l->dl.npages; p++)
		for (k = 0; k < l->dl.pages[p].n; k++) {
			const struct dl_op *o = &l->dl.pages[p].ops[k];
			if (o->kind == DL_BEGIN && o->st == ST_LINK) {
				assert_false(in_link); /* not nested, not left open */
				in_link = 1;
				links++;
			} else if (o->kind == DL_END && o->st == ST_LINK)
				in_link = 0;
			else if (o->kind == DL_LINK && o->uri &&
			    strcmp(o->uri, "https://example.org/a") == 0) {
				assert_true(in_link);
				assert_string_equal(o->text, want);
				annots++;
			} else if (o->kind == DL_LINK)
				other++;
			else if (o->kind == DL_TEXT && o->text &&
			    strstr(o->text, "then"))
				after_in_link += in_link;
		}
	assert_false(in_link);
	assert_int_equal(links, 2);
	assert_true(annots >= 2);     /* it did go over a line end */
	assert_int_equal(other, 1);
	assert_int_equal(after_in_link, 0);
	laid_free(l);
}

/* An <a> with no text shows its address: a mail or phone link without
 * its scheme, the link itself still to the whole href. */
static void
test_link_bare_address(void **state)
{
	static const struct { const char *href, *shown; } c[] = {
		{ "mailto:x@y.org", "x@y.org" },
		{ "tel:+441162727537", "+441162727537" },
		{ "https://example.org/a", "https://example.org/a" },
	};
	char x[160];
	size_t i, p, k;

	(void)state;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct laid *l;
		int shown = 0, uri = 0;
		snprintf(x, sizeof(x), "<p>Write to <a href=\"%s\"/>.</p>",
		    c[i].href);
		l = lay_xml(x, NULL);
		assert_int_equal(l->rc, 0);
		for (p = 0; p < l->dl.npages; p++)
			for (k = 0; k < l->dl.pages[p].n; k++) {
				const struct dl_op *o = &l->dl.pages[p].ops[k];
				if (o->kind == DL_TEXT && o->text &&
				    strstr(o->text, c[i].shown) != NULL) {
					shown = 1;
					if (strcmp(c[i].href, c[i].shown) != 0)
						assert_null(strstr(o->text, c[i].href));
				}
				if (o->kind == DL_LINK && o->uri &&
				    strcmp(o->uri, c[i].href) == 0)
					uri = 1;
			}
		assert_true(shown);
		assert_true(uri);
		laid_free(l);
	}
}

/* What a trend arrow is read as (the PDF's ActualText). */
static void
test_actual_text(void **state)
{
	static const struct { const char *in, *want; } c[] = {
		{ "\xe2\x86\x91 up", "up" },
		{ "\xe2\x86\x93 down 6.8%", "down 6.8%" },
		{ "\xe2\x86\x92 level", "level" },
		{ "\xe2\x86\x92 0.0%", "level 0.0%" },   /* the word unprinted */
		{ "\xe2\x86\x91 upper", "up upper" },    /* not the word */
		{ "x \xe2\x86\x91 up", NULL },           /* not at the start */
		{ "\xe2\x86\x91", NULL },                /* an arrow alone */
		{ "up", NULL },
	};
	char out[64];
	size_t i;

	(void)state;
	assert_null(dl_actual_text(NULL, out, sizeof(out)));
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		const char *got = dl_actual_text(c[i].in, out, sizeof(out));
		if (c[i].want == NULL ? got != NULL : got == NULL ||
		    strcmp(got, c[i].want) != 0)
			fail_msg("\"%s\": got \"%s\", want \"%s\"", c[i].in,
			    got ? got : "(none)", c[i].want ? c[i].want : "(none)");
	}
}

/* Structure marks nest: H1 before its text, P around paragraphs. */
static void
test_structure_marks(void **state)
{
	struct laid *l = lay_xml("<section title=\"One\"><p>body</p>"
	    "<section title=\"Sub\"><p>deeper</p></section></section>", NULL);
	const struct dl_page *pg = &l->dl.pages[0];
	size_t i;
	int depth = 0, h1 = 0, h2 = 0, maxd = 0;

	(void)state;
	for (i = 0; i < pg->n; i++) {
		if (pg->ops[i].kind == DL_BEGIN) {
			depth++;
			if (pg->ops[i].st == ST_H && pg->ops[i].level == 1)
				h1++;
			if (pg->ops[i].st == ST_H && pg->ops[i].level == 2)
				h2++;
		} else if (pg->ops[i].kind == DL_END)
			depth--;
		assert_true(depth >= 0);
		if (depth > maxd)
			maxd = depth;
	}
	assert_int_equal(depth, 0);
	assert_int_equal(h1, 1);
	assert_int_equal(h2, 1);
	assert_true(maxd >= 3); /* Sect > Sect > P */
	laid_free(l);
}

/* Unicode comes through as written (the text op keeps the UTF-8). */
static void
test_unicode(void **state)
{
	const char *s = "\xc2\xa3" "5 \xe2\x80\x93 \xe2\x80\x9cq\xe2\x80\x9d "
	    "\xe2\x80\x98s\xe2\x80\x99 \xe2\x86\x91\xe2\x86\x93\xe2\x86\x92 "
	    "\xc5\xb5\xc5\xb7";
	char xml[256];
	struct laid *l;
	const struct dl_op *o;
	unsigned i;

	(void)state;
	snprintf(xml, sizeof(xml), "<p numbered=\"no\">%s</p>", s);
	l = lay_xml(xml, NULL);
	o = find_text(l, 0, "\xc2\xa3");
	assert_non_null(o);
	assert_string_equal(o->text, s);
	for (i = 0; i < o->nglyphs; i++)
		assert_int_not_equal(o->gid[i], 0); /* no .notdef boxes */
	laid_free(l);
}

/* An item holding several paragraphs lays out each exactly once. */
static void
test_item_blocks_once(void **state)
{
	struct laid *l = lay_xml("<list style=\"number\"><item><p>one para"
	    "</p><p>two para</p><list><item>deep</item></list></item></list>",
	    NULL);
	size_t i;
	int one = 0, two = 0, deep = 0;

	(void)state;
	for (i = 0; i < l->dl.pages[0].n; i++) {
		const struct dl_op *o = &l->dl.pages[0].ops[i];
		if (o->kind != DL_TEXT)
			continue;
		one += strcmp(o->text, "one para") == 0;
		two += strcmp(o->text, "two para") == 0;
		deep += strcmp(o->text, "deep") == 0;
	}
	assert_int_equal(one, 1);
	assert_int_equal(two, 1);
	assert_int_equal(deep, 1);
	laid_free(l);
}

/* An unnumbered section takes no number from those after it; a <ref> to
 * an unnumbered paragraph names the section that holds it. */
static void
test_unnumbered_section(void **state)
{
	struct laid *l = lay_xml("<section title=\"One\"><p>a</p></section>"
	    "<section title=\"Aside\" numbered=\"no\"><p numbered=\"no\" "
	    "id=\"q\">b</p></section><section title=\"Two\"><p>See <ref "
	    "to=\"q\"/>.</p></section>", NULL);

	(void)state;
	assert_non_null(find_exact(l, 0, "2."));
	assert_null(find_text(l, 0, "3."));
	assert_non_null(find_exact(l, 0, "2.1"));
	assert_non_null(find_text(l, 0, "\xe2\x80\x9c" "Aside"));
	laid_free(l);
}

static void
subhead_paragraph(struct template *t)
{
	t->num_subheadings = SUBHEAD_PARAGRAPH;
}

/* Blaby's style: a sub-heading takes the next paragraph number and sits
 * in the number column; the paragraphs after it go on counting. An
 * appendix numbers its own sections from 1. */
static void
test_subheading_paragraph_numbers(void **state)
{
	struct laid *l = lay_xml("<section title=\"Top\"><p>first</p>"
	    "<section title=\"Duty\"><p>second</p></section></section>"
	    "<appendix title=\"Terms\"><section title=\"Role\"><p>r</p>"
	    "</section></appendix>", subhead_paragraph);
	const struct dl_op *duty, *n12, *first;

	(void)state;
	duty = find_text(l, 0, "Duty");
	n12 = find_exact(l, 0, "1.2");
	first = find_text(l, 0, "first");
	assert_non_null(duty);
	assert_non_null(n12);
	assert_true(n12->y == duty->y);         /* the number is the heading's */
	assert_true(duty->x == first->x);       /* title in the text column */
	assert_non_null(find_exact(l, 0, "1.3")); /* "second" goes on */
	assert_non_null(find_text(l, 1, "Role"));
	assert_non_null(find_exact(l, 1, "1."));
	assert_non_null(find_exact(l, 1, "1.1"));
	laid_free(l);
}

/* Columns fill the text width; numbers sit right, text left; a long
 * table continues with "(continued)" and its header on the next page,
 * and no row is split. */
static void
test_table_split(void **state)
{
	struct buf csv, xml;
	struct laid *l;
	char *name;
	int i, p, heads = 0;
	size_t k;
	double left = 25 * 72 / 25.4, right = 595.276 - left;

	(void)state;
	buf_init(&csv);
	buf_puts(&csv, "measure,count\n");
	for (i = 0; i < 80; i++)
		buf_printf(&csv, "Measure number %d,%d\n", i, i * 37);
	name = tmp_csv(csv.data);
	buf_init(&xml);
	buf_printf(&xml, "<data><csv id=\"m\" href=\"%s\"/></data><table "
	    "data=\"m\" caption=\"Counts\"><column field=\"measure\" "
	    "header=\"Time Period\"/><column field=\"count\"/></table>", name);
	l = lay_xml(xml.data, NULL);
	assert_int_equal(l->rc, 0);
	assert_true(l->dl.npages >= 2);
	/* The header on every page, "(continued)" from page 2. */
	for (p = 0; p < (int)l->dl.npages; p++)
		if (find_text(l, (size_t)p, "Time Period"))
			heads++;
	assert_int_equal(heads, (int)l->dl.npages);
	assert_non_null(find_text(l, 1, "(continued)"));
	/* The header is the first thing on page 2. */
	{
		const struct dl_op *h = find_text(l, 1, "Time Period");
		const struct dl_op *r = find_text(l, 1, "Measure number");
		assert_true(h->y < r->y);
	}
	/* Right-aligned numbers end at the same x; text starts at one x. */
	{
		const struct dl_op *a = find_text(l, 0, "Measure number 1");
		const struct dl_op *n1 = find_exact(l, 0, "37");
		const struct dl_op *n2 = find_exact(l, 0, "74");
		assert_non_null(n1);
		assert_non_null(n2);
		assert_true(fabs((n1->x + n1->w) - (n2->x + n2->w)) < 0.01);
		assert_true(fabs(a->x - find_text(l, 0, "Measure number 2")->x) <
		    0.01);
	}
	/* Every row once: count "Measure number" texts over all pages. */
	{
		int rows = 0;
		for (p = 0; p < (int)l->dl.npages; p++)
			for (k = 0; k < l->dl.pages[p].n; k++) {
				const struct dl_op *o = &l->dl.pages[p].ops[k];
				if (o->kind == DL_TEXT && strncmp(o->text, "Measure "
				    "number", 14) == 0)
					rows++;
				if (o->kind == DL_RECT)
					assert_true(o->x + o->w <= right + 0.5);
			}
		assert_int_equal(rows, 80);
	}
	laid_free(l);
	buf_free(&csv);
	buf_free(&xml);
	{
		char path[256];
		snprintf(path, sizeof(path), "/tmp/%s", name);
		unlink(path);
	}
	free(name);
}

/* A table never starts with its header alone at the foot of a page. */
static void
test_table_header_kept(void **state)
{
	int fill;

	(void)state;
	for (fill = 30; fill < 40; fill += 2) {
		struct buf xml;
		struct laid *l;
		int i;
		buf_init(&xml);
		for (i = 0; i < fill; i++)
			buf_printf(&xml, "<p numbered=\"no\">filler %d</p>", i);
		buf_puts(&xml, "<table><head><cell>Head A</cell><cell>Head B"
		    "</cell></head>");
		for (i = 0; i < 6; i++)
			buf_printf(&xml, "<row><cell>r%d</cell><cell>v</cell>"
			    "</row>", i);
		buf_puts(&xml, "</table>");
		l = lay_xml(xml.data, NULL);
		assert_int_equal(l->rc, 0);
		assert_int_equal(page_of(l, "Head A"), page_of(l, "r0"));
		assert_int_equal(page_of(l, "r0"), page_of(l, "r1"));
		laid_free(l);
		buf_free(&xml);
	}
}

/* A table's first row never stands alone at a page foot under its
 * header, nor its last row alone at the top of the next: swept over 40
 * page feet so that the foot meets each of the first and last rows. */
static void
test_table_row_keep(void **state)
{
	struct buf xml;
	int i, split = 0;

	(void)state;
	buf_init(&xml);
	for (i = 0; i < 26; i++)
		buf_printf(&xml, "<p numbered=\"no\">filler %d</p>", i);
	buf_puts(&xml, "<table><head><cell>Head A</cell><cell>Head B</cell>"
	    "</head>");
	/* Eight rows: the default template keeps three under the header
	 * and four on a continuation, so a table of seven or more splits. */
	for (i = 0; i < 8; i++)
		buf_printf(&xml, "<row><cell>Row %c</cell><cell>v</cell></row>",
		    'a' + i);
	buf_puts(&xml, "</table>");
	for (extra_margin = 0; extra_margin < 120; extra_margin += 1) {
		struct laid *l = lay_xml(xml.data, short_page);
		int pa = page_of(l, "Row a"), pb = page_of(l, "Row b");
		int pe = page_of(l, "Row g"), pf = page_of(l, "Row h");
		assert_int_equal(l->rc, 0);
		if (pa != pb || pe != pf)
			fail_msg("margin +%.0fpt: rows a, b on pages %d, %d; g, h "
			    "on %d, %d", extra_margin, pa + 1, pb + 1, pe + 1,
			    pf + 1);
		split += pa != pf;
		laid_free(l);
	}
	extra_margin = 0;
	assert_true(split > 0);   /* the sweep did split the table */
	buf_free(&xml);
}

/* The cells' structure: a header row's cells are TH of column scope
 * (level 1) and the body's TD; without a header row the first column's
 * cells are TH of row scope (level 2). */
static void
test_table_header_cells(void **state)
{
	static const char *const xml[2] = {
		"<table><head><cell>A</cell><cell>B</cell></head><row><cell>1"
		"</cell><cell>2</cell></row><row><cell>3</cell><cell>4</cell>"
		"</row></table>",
		"<table><row><cell>Members</cell><cell>9</cell></row><row>"
		"<cell>Quorum</cell><cell>3</cell></row></table>",
	};
	int c;

	(void)state;
	for (c = 0; c < 2; c++) {
		struct laid *l = lay_xml(xml[c], NULL);
		size_t k;
		int th = 0, td = 0, level = 0;
		for (k = 0; k < l->dl.pages[0].n; k++) {
			const struct dl_op *o = &l->dl.pages[0].ops[k];
			if (o->kind != DL_BEGIN)
				continue;
			if (o->st == ST_TH) {
				th++;
				level = o->level;
			}
			td += o->st == ST_TD;
		}
		assert_int_equal(th, 2);
		assert_int_equal(td, c == 0 ? 4 : 2);
		assert_int_equal(level, c == 0 ? 1 : 2);
		laid_free(l);
	}
}

/* A data table's first column of text names its rows: TH of row scope
 * (level 2) under a TH of column scope; row-header="no" and a first
 * column of numbers leave it TD. */
static void
test_table_row_headers(void **state)
{
	char *csv = tmp_csv("area,n\nBlaby,1\nHinckley,2\nMelton,3\n");
	static const char *const cols[3] = {
		"<column field=\"area\"/><column field=\"n\"/>",
		"<column field=\"area\" row-header=\"no\"/><column field=\"n\"/>",
		"<column field=\"n\"/><column field=\"area\"/>",
	};
	int c;

	(void)state;
	for (c = 0; c < 3; c++) {
		struct buf x;
		struct laid *l;
		size_t k;
		int col = 0, row = 0, td = 0;
		buf_init(&x);
		buf_printf(&x, "<data><csv id=\"c\" href=\"%s\"/></data>"
		    "<table data=\"c\">%s</table>", csv, cols[c]);
		l = lay_xml(x.data, NULL);
		buf_free(&x);
		assert_int_equal(l->rc, 0);
		for (k = 0; k < l->dl.pages[0].n; k++) {
			const struct dl_op *o = &l->dl.pages[0].ops[k];
			if (o->kind != DL_BEGIN)
				continue;
			col += o->st == ST_TH && o->level == 1;
			row += o->st == ST_TH && o->level == 2;
			td += o->st == ST_TD;
		}
		assert_int_equal(col, 2);
		assert_int_equal(row, c == 0 ? 3 : 0);
		assert_int_equal(td, c == 0 ? 3 : 6);
		laid_free(l);
	}
	unlink_tmp(csv);
	free(csv);
}

/* THead holds the header row and TBody the rows it heads, across
 * pages: every TR outside an Artifact (the header repeated on the next
 * page is one) is in one of them. A table without a header row has
 * neither, its TRs straight under Table. */
static void
test_table_head_body(void **state)
{
	struct buf csv, x;
	char *path;
	int c, i;

	(void)state;
	buf_init(&csv);
	buf_puts(&csv, "area,n\n");
	for (i = 0; i < 80; i++)
		buf_printf(&csv, "Ward %d,%d\n", i, i);
	path = tmp_csv(csv.data);
	for (c = 0; c < 2; c++) {
		struct laid *l;
		size_t p, k;
		int stack[64], depth = 0, thead = 0, tbody = 0, head_tr = 0,
		    body_tr = 0, table_tr = 0, art = 0;
		buf_init(&x);
		if (c == 0)
			buf_printf(&x, "<data><csv id=\"c\" href=\"%s\"/></data>"
			    "<table data=\"c\"/>", path);
		else
			buf_puts(&x, "<table><row><cell>Members</cell><cell>9</cell>"
			    "</row><row><cell>Quorum</cell><cell>3</cell></row>"
			    "</table>");
		l = lay_xml(x.data, NULL);
		buf_free(&x);
		assert_int_equal(l->rc, 0);
		if (c == 0)
			assert_true(l->dl.npages >= 2);
		for (p = 0; p < l->dl.npages; p++)
			for (k = 0; k < l->dl.pages[p].n; k++) {
				const struct dl_op *o = &l->dl.pages[p].ops[k];
				if (o->kind == DL_END) {
					assert_true(depth > 0);
					art -= stack[--depth] == ST_ARTIFACT;
					continue;
				}
				if (o->kind != DL_BEGIN)
					continue;
				if (o->st == ST_TR && art == 0) {
					int up = depth ? stack[depth - 1] : -1;
					head_tr += up == ST_THEAD;
					body_tr += up == ST_TBODY;
					table_tr += up == ST_TABLE;
				}
				thead += o->st == ST_THEAD && art == 0;
				tbody += o->st == ST_TBODY && art == 0;
				art += o->st == ST_ARTIFACT;
				assert_true(depth < 64);
				stack[depth++] = o->st;
			}
		assert_int_equal(depth, 0);
		assert_int_equal(thead, c == 0 ? 1 : 0);
		assert_int_equal(tbody, c == 0 ? 1 : 0);
		assert_int_equal(head_tr, c == 0 ? 1 : 0);
		assert_int_equal(body_tr, c == 0 ? 80 : 0);
		assert_int_equal(table_tr, c == 0 ? 0 : 2);
		laid_free(l);
	}
	unlink_tmp(path);
	free(path);
	buf_free(&csv);
}

/* When every column fits on one line, the spare width is shared in
 * proportion to what each column holds: a one-letter column stays
 * narrow beside a long one. */
static void
test_table_widths_proportional(void **state)
{
	struct laid *l = lay_xml("<table><row><cell>x</cell><cell>A longer "
	    "piece of text in one line</cell></row></table>", NULL);
	double w[2];
	size_t k;
	int n = 0;

	(void)state;
	for (k = 0; k < l->dl.pages[0].n && n < 2; k++) {
		const struct dl_op *o = &l->dl.pages[0].ops[k];
		if (o->kind == DL_RECT && o->do_stroke)
			w[n++] = o->w;
	}
	assert_int_equal(n, 2);
	assert_true(fabs(w[0] + w[1] - (595.276 - 2 * 25 * 72 / 25.4)) < 0.5);
	assert_true(w[1] > 4 * w[0]);
	laid_free(l);
}

/* Column widths add up to the text width and a long text column wraps
 * rather than squeezing short number columns. */
static void
test_table_widths(void **state)
{
	struct laid *l = lay_xml("<table><head><cell>Description</cell>"
	    "<cell>2023</cell></head><row><cell>A long description of a "
	    "performance measure that certainly needs more than one line in "
	    "its column to be read</cell><cell>12,345</cell></row></table>",
	    NULL);
	const struct dl_op *num;
	double left = 25 * 72 / 25.4, right = 595.276 - left;
	size_t k;
	int lines = 0;

	(void)state;
	num = find_text(l, 0, "12,345");
	assert_non_null(num);
	for (k = 0; k < l->dl.pages[0].n; k++) {
		const struct dl_op *o = &l->dl.pages[0].ops[k];
		if (o->kind == DL_TEXT && o->x < num->x && o->size < 11)
			lines++;
		if (o->kind == DL_RECT && o->do_stroke)
			assert_true(o->x + o->w <= right + 0.5);
	}
	assert_true(lines >= 3); /* header + at least two wrapped lines */
	assert_true(num->x + num->w <= right);
	/* The columns fill the width: the last cell's rule ends at the
	 * right margin. */
	{
		const struct dl_op *last = NULL;
		for (k = 0; k < l->dl.pages[0].n; k++)
			if (l->dl.pages[0].ops[k].kind == DL_RECT &&
			    l->dl.pages[0].ops[k].do_stroke)
				last = &l->dl.pages[0].ops[k];
		assert_non_null(last);
		assert_true(fabs(last->x + last->w - right) < 0.5);
	}
	laid_free(l);
}

/* suppress-below prints "*" with its footnote; colour="rag" prints the
 * word on the template's fill; a trend prints arrow and direction. */
/* The rows of a table over wards, for the rules below. */
static const char wards_csv[] = "area,ward,before,latest,score\n"
    "North,Abbey,120,132,9\nNorth,Birstall,85,70,16\nNorth,Castle,2,3,4\n"
    "South,Dane Hills,210,188,18\nSouth,Eyres Monsell,64,61,12\n"
    "South,Fosse,150,171,7\n";

/* The first text op on page p that is exactly s. */
static const struct dl_op *
text_is(const struct laid *l, size_t p, const char *s)
{
	size_t i;

	for (i = 0; p < l->dl.npages && i < l->dl.pages[p].n; i++) {
		const struct dl_op *o = &l->dl.pages[p].ops[i];
		if (o->kind == DL_TEXT && o->text && strcmp(o->text, s) == 0)
			return o;
	}
	return NULL;
}

/* Trend arrows drawn larger than the text, the word after them at its
 * size and in its colour, both inside the cell. */
static void
test_table_arrows(void **state)
{
	char *name = tmp_csv("m,old,new\nA,10,20\n");
	char xml[512];
	struct laid *l;
	const struct dl_op *a, *w;

	(void)state;
	snprintf(xml, sizeof(xml), "<data><csv id=\"t\" href=\"%s\"/></data>"
	    "<table data=\"t\"><column field=\"m\"/><column header=\"Trend\" "
	    "value=\"trend(old, new, 0.05)\" colour=\"trend\"/></table>", name);
	l = lay_xml(xml, NULL);
	assert_int_equal(l->rc, 0);
	a = text_is(l, 0, "\xe2\x86\x91 ");
	w = text_is(l, 0, "up");
	assert_non_null(a);
	assert_non_null(w);
	assert_true(a->size > 1.2 * w->size);
	assert_true(a->size < 1.3 * w->size);
	assert_true(fabs(a->y - w->y) < 0.01);
	/* The word after the arrow and a space, in the arrow's colour. */
	assert_true(w->x > a->x + a->w + 1);
	assert_int_equal(a->colour, w->colour);
	laid_free(l);
	unlink_tmp(name);
	free(name);
}

/* Headers sit as their columns do: a figure's header ends where the
 * figure ends; a text column's header starts where its text does. */
static void
test_table_header_align(void **state)
{
	char *name = tmp_csv(wards_csv);
	char xml[512];
	struct laid *l;
	const struct dl_op *h, *v, *ht, *vt;

	(void)state;
	snprintf(xml, sizeof(xml), "<data><csv id=\"t\" href=\"%s\"/></data>"
	    "<table data=\"t\"><column field=\"ward\" header=\"Ward\"/>"
	    "<column field=\"before\" header=\"Before\"/></table>", name);
	l = lay_xml(xml, NULL);
	assert_int_equal(l->rc, 0);
	h = text_is(l, 0, "Before");
	v = text_is(l, 0, "120");
	ht = text_is(l, 0, "Ward");
	vt = text_is(l, 0, "Abbey");
	assert_non_null(h);
	assert_non_null(v);
	assert_true(fabs((h->x + h->w) - (v->x + v->w)) < 0.01);
	assert_true(fabs(ht->x - vt->x) < 0.01);
	laid_free(l);
	unlink_tmp(name);
	free(name);
}

/* The first column gets its longest cell on one line before the figure
 * columns grow for their headers: "Domestic Abuse" is one run, as is
 * "Vehicle Crime - Theft From", while the headers of the figures break. */
static void
test_table_first_column(void **state)
{
	char *name = tmp_csv("measure,a,b,c,d,e,f,g,h\n"
	    "Domestic Abuse,1166,1191,1566,1701,1299,763,730,1\n"
	    "Vehicle Crime - Theft From,679,677,326,273,339,230,191,2\n");
	char xml[1024];
	struct laid *l;
	const char *cols = "abcdefgh";
	size_t k, at;
	const struct dl_op *d;

	(void)state;
	at = (size_t)snprintf(xml, sizeof(xml), "<data><csv id=\"t\" "
	    "href=\"%s\"/></data><table data=\"t\"><column field=\"measure\" "
	    "header=\"Time Period\"/>", name);
	for (k = 0; cols[k]; k++)
		at += (size_t)snprintf(xml + at, sizeof(xml) - at, "<column "
		    "field=\"%c\" header=\"2022 to date %c\"/>", cols[k], cols[k]);
	snprintf(xml + at, sizeof(xml) - at, "</table>");
	l = lay_xml(xml, NULL);
	assert_int_equal(l->rc, 0);
	d = text_is(l, 0, "Domestic Abuse");
	assert_non_null(d);
	assert_non_null(text_is(l, 0, "Vehicle Crime - Theft From"));
	/* The table fills the text width, no more. */
	{
		double right = 0;
		for (k = 0; k < l->dl.pages[0].n; k++) {
			const struct dl_op *o = &l->dl.pages[0].ops[k];
			if (o->kind == DL_RECT && o->do_stroke && o->x + o->w > right)
				right = o->x + o->w;
		}
		assert_true(right <= l->t.page_w - l->t.margin_r + 0.01);
	}
	laid_free(l);
	unlink_tmp(name);
	free(name);
}

/* Total rows: one per group after its rows, and the grand total after
 * the last group's; computed over the rows where= keeps, in the
 * column's format, bold (the header's font), each a TR whose first cell
 * is a row header. */
static void
test_table_totals(void **state)
{
	char *name = tmp_csv(wards_csv);
	char xml[1024];
	struct laid *l;
	const struct dl_op *hd, *o;
	size_t p, k;
	int trs = 0, th_row = 0, in_total = 0;

	(void)state;
	snprintf(xml, sizeof(xml), "<data><csv id=\"t\" href=\"%s\"/></data>"
	    "<table data=\"t\" group-by=\"area\" where=\"ward != 'Fosse'\">"
	    "<column field=\"ward\" header=\"Ward\"/>"
	    "<column field=\"before\" header=\"Before\" format=\"#,##0\" "
	    "total=\"sum\"/>"
	    "<column field=\"score\" header=\"Score\" format=\"0.0\" "
	    "total=\"avg\"/>"
	    "<column header=\"Rate\" value=\"latest * 1.0 / before\" "
	    "format=\"0.00\" total=\"sum(latest) * 1.0 / sum(before)\"/>"
	    "<total label=\"Area total\" grand=\"yes\" grand-label=\"All\"/>"
	    "</table>", name);
	l = lay_xml(xml, NULL);
	assert_int_equal(l->rc, 0);
	hd = text_is(l, 0, "Before");
	assert_non_null(hd);
	/* North: 120 + 85 + 2; South without Fosse: 210 + 64; all: 481. */
	for (p = 0; p < l->dl.npages; p++)
		for (k = 0; k < l->dl.pages[p].n; k++) {
			o = &l->dl.pages[p].ops[k];
			if (o->kind == DL_BEGIN && o->st == ST_TR)
				trs++;
			if (o->kind == DL_BEGIN && o->st == ST_TH && o->level == 2 &&
			    k + 1 < l->dl.pages[p].n && o[1].kind == DL_TEXT &&
			    (strcmp(o[1].text, "Area total") == 0 ||
			    strcmp(o[1].text, "All") == 0))
				th_row++;
			if (o->kind == DL_TEXT && (strcmp(o->text, "207") == 0 ||
			    strcmp(o->text, "274") == 0 || strcmp(o->text, "481") == 0 ||
			    strcmp(o->text, "9.7") == 0 || strcmp(o->text, "15.0") == 0 ||
			    strcmp(o->text, "11.8") == 0 || strcmp(o->text, "0.99") == 0 ||
			    strcmp(o->text, "0.91") == 0 || strcmp(o->text, "0.94") == 0)) {
				assert_int_equal(o->font, hd->font);
				in_total++;
			}
		}
	/* Two header rows, five data rows, two group totals and one grand;
	 * each group its own figures. */
	assert_int_equal(in_total, 9);
	{
		static const char *const want[] = { "207", "274", "481", "9.7",
			"15.0", "11.8", "0.99", "0.91", "0.94" };
		for (k = 0; k < sizeof(want) / sizeof(want[0]); k++) {
			o = NULL;
			for (p = 0; p < l->dl.npages && o == NULL; p++)
				o = text_is(l, p, want[k]);
			assert_non_null(o);
		}
	}
	assert_int_equal(th_row, 3);
	assert_int_equal(trs, 2 + 5 + 3);
	/* Data rows in the regular font. */
	o = NULL;
	for (p = 0; p < l->dl.npages && o == NULL; p++)
		o = text_is(l, p, "120");
	assert_non_null(o);
	assert_int_not_equal(o->font, hd->font);
	laid_free(l);
	unlink_tmp(name);
	free(name);
}

/* A total over a suppressed cell is suppressed too; other totals print. */
static void
test_table_total_suppressed(void **state)
{
	char *name = tmp_csv(wards_csv);
	char xml[1024];
	struct laid *l;

	(void)state;
	snprintf(xml, sizeof(xml), "<data><csv id=\"t\" href=\"%s\"/></data>"
	    "<table data=\"t\" where=\"area = 'North'\" suppress-below=\"3\">"
	    "<column field=\"ward\"/><column field=\"before\" total=\"sum\"/>"
	    "<column field=\"latest\" total=\"sum\"/></table>", name);
	l = lay_xml(xml, NULL);
	assert_int_equal(l->rc, 0);
	assert_null(text_is(l, 0, "207"));
	assert_non_null(text_is(l, 0, "205"));
	assert_non_null(text_is(l, 0, "Total"));
	laid_free(l);
	unlink_tmp(name);
	free(name);
}

/* emphasis= makes the rows it holds for bold, and only those. */
static void
test_table_emphasis(void **state)
{
	char *name = tmp_csv(wards_csv);
	char xml[512];
	struct laid *l;
	const struct dl_op *hd, *yes, *no;

	(void)state;
	snprintf(xml, sizeof(xml), "<data><csv id=\"t\" href=\"%s\"/></data>"
	    "<table data=\"t\" emphasis=\"score &gt;= 15\"><column field=\"ward\" "
	    "header=\"Ward\"/><column field=\"score\"/></table>", name);
	l = lay_xml(xml, NULL);
	assert_int_equal(l->rc, 0);
	hd = text_is(l, 0, "Ward");
	yes = text_is(l, 0, "Birstall");
	no = text_is(l, 0, "Abbey");
	assert_non_null(yes);
	assert_non_null(no);
	assert_int_equal(yes->font, hd->font);
	assert_int_equal(text_is(l, 0, "Dane Hills")->font, hd->font);
	assert_int_not_equal(no->font, hd->font);
	assert_int_not_equal(text_is(l, 0, "12")->font, hd->font);
	laid_free(l);
	unlink_tmp(name);
	free(name);
}

/* An empty header cell is read by its alt-header=. */
static void
test_table_empty_header(void **state)
{
	char *name = tmp_csv(wards_csv);
	char xml[512];
	struct laid *l;
	size_t k;
	int alt = 0;

	(void)state;
	snprintf(xml, sizeof(xml), "<data><csv id=\"t\" href=\"%s\"/></data>"
	    "<table data=\"t\"><column field=\"ward\" header=\"\" "
	    "alt-header=\"Ward\"/><column field=\"score\" header=\"\"/>"
	    "</table>", name);
	l = lay_xml(xml, NULL);
	assert_int_equal(l->rc, 0);
	for (k = 0; k < l->dl.pages[0].n; k++) {
		const struct dl_op *o = &l->dl.pages[0].ops[k];
		if (o->kind == DL_BEGIN && o->st == ST_TH && o->level == 1) {
			assert_non_null(o->alt);
			assert_string_equal(o->alt, alt == 0 ? "Ward" : "score");
			alt++;
		}
	}
	assert_int_equal(alt, 2);
	laid_free(l);
	unlink_tmp(name);
	free(name);
}

/* However much text comes before a long table: the "Source:" note is
 * on the page of the table's last row, a continuation carries at
 * least three rows under a repeated header, and the first part keeps
 * three under its header. */
static void
test_table_kept_pieces(void **state)
{
	struct buf csv, xml;
	char *name;
	int n, r;

	(void)state;
	buf_init(&csv);
	buf_puts(&csv, "name,v\n");
	for (r = 1; r <= 40; r++)
		buf_printf(&csv, "Row %d,%d\n", r, r * r);
	name = tmp_csv(csv.data);
	for (n = 0; n < 60; n += 1) {
		struct laid *l;
		size_t p, k;
		int last_page = -1, src_page = -1;
		buf_init(&xml);
		buf_printf(&xml, "<data><csv id=\"t\" href=\"%s\"/></data>"
		    "<section title=\"S\">", name);
		for (r = 0; r < n; r++)
			buf_puts(&xml, "<p numbered=\"no\">Line of text.</p>");
		buf_puts(&xml, "<table data=\"t\" source=\"The data\">"
		    "<column field=\"name\" header=\"Name\"/><column field=\"v\" "
		    "header=\"Value\"/></table></section>");
		l = lay_xml(xml.data, NULL);
		assert_int_equal(l->rc, 0);
		for (p = 0; p < l->dl.npages; p++) {
			int rows = 0, head = 0, art = 0;
			for (k = 0; k < l->dl.pages[p].n; k++) {
				const struct dl_op *o = &l->dl.pages[p].ops[k];
				if (o->kind == DL_BEGIN && o->st == ST_ARTIFACT)
					art++;
				if (o->kind == DL_END && o->st == ST_ARTIFACT)
					art--;
				if (o->kind != DL_TEXT)
					continue;
				if (strncmp(o->text, "Row ", 4) == 0) {
					rows++;
					if (strcmp(o->text, "Row 40") == 0)
						last_page = (int)p;
				}
				if (strcmp(o->text, "Name") == 0)
					head++;
				if (strcmp(o->text, "Source: The data") == 0)
					src_page = (int)p;
			}
			/* Any page with rows has at least three, under a header. */
			if (rows > 0) {
				assert_true(rows >= 3);
				assert_true(head >= 1);
			}
		}
		assert_true(last_page >= 0);
		assert_int_equal(src_page, last_page);
		laid_free(l);
		buf_free(&xml);
	}
	unlink_tmp(name);
	free(name);
	buf_free(&csv);
}

static void
test_table_marks(void **state)
{
	char *name = tmp_csv("area,count,status,old,new,pol\nA,3,R,10,20,down\n"
	    "B,12,g,10,9,down\n");
	char xml[1024], path[256];
	struct laid *l;
	const struct dl_op *red;
	size_t k;
	int fills = 0;

	(void)state;
	snprintf(xml, sizeof(xml), "<data><csv id=\"t\" href=\"%s\"/></data>"
	    "<table data=\"t\" suppress-below=\"5\"><column field=\"area\"/>"
	    "<column field=\"count\"/><column field=\"status\" colour=\"rag\"/>"
	    "<column header=\"Trend\" value=\"trend(old, new, 0.05)\" "
	    "colour=\"trend\" polarity-field=\"pol\"/></table>", name);
	l = lay_xml(xml, NULL);
	assert_int_equal(l->rc, 0);
	assert_non_null(find_text(l, 0, "*"));
	assert_null(find_text(l, 0, "3"));
	assert_non_null(find_text(l, 0, "12"));
	assert_non_null(find_text(l, 0, "* fewer than 5: suppressed"));
	red = find_text(l, 0, "Red");
	assert_non_null(red);
	assert_int_equal(red->colour, 0xFFFFFF);
	assert_non_null(find_text(l, 0, "Green"));
	/* Up is bad when polarity is down: the template's red. The arrow
	 * is a run of its own, larger than the word after it. */
	assert_int_equal(find_text(l, 0, "\xe2\x86\x91 ")->colour, 0xD4351C);
	assert_int_equal(find_text(l, 0, "\xe2\x86\x93 ")->colour,
	    0x00703C);
	for (k = 0; k < l->dl.pages[0].n; k++)
		if (l->dl.pages[0].ops[k].kind == DL_RECT &&
		    l->dl.pages[0].ops[k].do_fill &&
		    l->dl.pages[0].ops[k].fill == 0xD4351C)
			fills++;
	assert_int_equal(fills, 1);
	laid_free(l);
	snprintf(path, sizeof(path), "/tmp/%s", name);
	unlink(path);
	free(name);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines_fit_width),
		cmocka_unit_test(test_lines_filled),
		cmocka_unit_test(test_line_pitch),
		cmocka_unit_test(test_text_inside_margins),
		cmocka_unit_test(test_long_word_broken),
		cmocka_unit_test(test_break_after_hyphen),
		cmocka_unit_test(test_br),
		cmocka_unit_test(test_numbering_hierarchical),
		cmocka_unit_test(test_numbering_continuous),
		cmocka_unit_test(test_keep_with_next),
		cmocka_unit_test(test_lead_in_kept),
		cmocka_unit_test(test_running_footer),
		cmocka_unit_test(test_running_fields),
		cmocka_unit_test(test_numbering_appendix_restarts),
		cmocka_unit_test(test_numbering_subheadings),
		cmocka_unit_test(test_table_row_keep),
		cmocka_unit_test(test_table_header_cells),
		cmocka_unit_test(test_table_widths_proportional),
		cmocka_unit_test(test_widows_orphans),
		cmocka_unit_test(test_page_breaks),
		cmocka_unit_test(test_lists),
		cmocka_unit_test(test_ref),
		cmocka_unit_test(test_structure_marks),
		cmocka_unit_test(test_unicode),
		cmocka_unit_test(test_item_blocks_once),
		cmocka_unit_test(test_unnumbered_section),
		cmocka_unit_test(test_subheading_paragraph_numbers),
		cmocka_unit_test(test_table_split),
		cmocka_unit_test(test_table_header_kept),
		cmocka_unit_test(test_table_widths),
		cmocka_unit_test(test_table_row_headers),
		cmocka_unit_test(test_table_head_body),
		cmocka_unit_test(test_link_over_lines),
		cmocka_unit_test(test_link_bare_address),
		cmocka_unit_test(test_actual_text),
		cmocka_unit_test(test_table_marks),
		cmocka_unit_test(test_table_arrows),
		cmocka_unit_test(test_table_header_align),
		cmocka_unit_test(test_table_first_column),
		cmocka_unit_test(test_table_totals),
		cmocka_unit_test(test_table_total_suppressed),
		cmocka_unit_test(test_table_emphasis),
		cmocka_unit_test(test_table_empty_header),
		cmocka_unit_test(test_table_kept_pieces),
		cmocka_unit_test(test_figures_shaped_as_harfbuzz),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
