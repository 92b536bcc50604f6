/* test_html.c — the HTML edition (src/html/html.c): links only where
 * the PDF's go, colours that read at WCAG AA whatever the template
 * chose, numbers, list labels, row headers and the trend words. */
#include "helpers.h"
#include "html/html.h"

static void
test_href_schemes(void **state)
{
	(void)state;
	assert_true(html_href_ok("https://example.org/a?b=c"));
	assert_true(html_href_ok("HTTP://example.org"));
	assert_true(html_href_ok("mailto:a@example.org"));
	assert_true(html_href_ok("tel:+441162727537"));
	assert_false(html_href_ok("javascript:alert(1)"));
	assert_false(html_href_ok(" javascript:alert(1)"));
	assert_false(html_href_ok("data:text/html,<script>"));
	assert_false(html_href_ok("file:///etc/passwd"));
	assert_false(html_href_ok("https://a b"));
	assert_false(html_href_ok("https://a\\b"));
	assert_false(html_href_ok("https://a\tb"));
	assert_false(html_href_ok("/relative"));
	assert_false(html_href_ok(""));
	assert_false(html_href_ok(NULL));
}

/* The page of a body laid out with the default template (tweaked). */
static char *
page(const char *body, void (*tweak)(struct template *))
{
	struct laid *l = lay_xml(body, tweak);
	struct buf b;

	assert_int_equal(l->rc, 0);
	buf_init(&b);
	assert_int_equal(html_report(&b, l->doc, &l->t, &l->dl, &l->fs, NULL,
	    &l->diags), 0);
	laid_free(l);
	assert_false(b.oom);
	return b.data;
}

/* #RRGGBB after "KEY" in s. */
static uint32_t
colour_after(const char *s, const char *key)
{
	const char *p = strstr(s, key);

	assert_non_null(p);
	p = strchr(p + strlen(key), '#');
	assert_non_null(p);
	return (uint32_t)strtoul(p + 1, NULL, 16);
}

static double
lin(unsigned c)
{
	double v = c / 255.0;

	return v <= 0.03928 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
}

static double
ratio_on_white(uint32_t c)
{
	double l = 0.2126 * lin((c >> 16) & 255) + 0.7152 * lin((c >> 8) & 255) +
	    0.0722 * lin(c & 255);

	return 1.05 / (l + 0.05);
}

static void
pale(struct template *t)
{
	t->c_link = 0x99CCFF;
	t->c_text = 0xAAAAAA;
	t->heading[0].colour = 0xFFCC00;
	t->c_green = 0x66FF66;
}

/* An <a> with no text shows its address, a mail or phone link's without
 * its scheme, as the PDF does. */
static void
test_link_bare_address(void **state)
{
	char *s;

	(void)state;
	s = page("<p>Mail <a href=\"mailto:x@y.org\"/>, ring <a "
	    "href=\"tel:+441162727537\"/> or see <a "
	    "href=\"https://example.org/a\"/>.</p>", NULL);
	assert_non_null(strstr(s, "<a href=\"mailto:x@y.org\">x@y.org</a>"));
	assert_non_null(strstr(s, "<a href=\"tel:+441162727537\">+441162727537"
	    "</a>"));
	assert_non_null(strstr(s, "<a href=\"https://example.org/a\">"
	    "https://example.org/a</a>"));
	free(s);
}

static void
test_contrast(void **state)
{
	char *s;

	(void)state;
	s = page("<p>Text <a href=\"https://example.org\">link</a>.</p>", pale);
	/* The template's pale colours, darkened until they read. */
	assert_true(ratio_on_white(colour_after(s, "\na{color:")) >= 4.5);
	assert_true(ratio_on_white(colour_after(s, ";color:")) >= 4.5);
	assert_true(ratio_on_white(colour_after(s, "\nh2{")) >= 4.5);
	assert_true(ratio_on_white(colour_after(s, ".m-good{color:")) >= 4.5);
	/* ... and a colour that reads already is kept. */
	free(s);
	s = page("<p>x</p>", NULL);
	assert_int_equal(colour_after(s, "\na{color:"), 0x1D70B8);
	free(s);
}

static void
test_numbers_and_labels(void **state)
{
	char *s;

	(void)state;
	s = page("<section title=\"Intro\"><p>First.</p>"
	    "<list style=\"roman\"><item>one</item><item>two</item></list>"
	    "<list style=\"alpha\"><item>a</item></list></section>", NULL);
	assert_non_null(strstr(s, "<h2><span class=\"num\">1.</span> Intro</h2>"));
	assert_non_null(strstr(s, "<p class=\"n\"><span class=\"num\">1.1</span>"
	    "First.</p>"));
	assert_non_null(strstr(s, "<span class=\"lbl\">(ii)</span>two</li>"));
	assert_non_null(strstr(s, "<span class=\"lbl\">(a)</span>a</li>"));
	assert_null(strstr(s, "<script"));
	free(s);
}

static void
test_table_cells(void **state)
{
	char *csv = tmp_csv("area,count,trend\nBlaby,12,\xe2\x86\x91 4%\n"
	    "Hinckley,,\xe2\x86\x93 down 2%\n"), body[512], *s;

	(void)state;
	snprintf(body, sizeof(body), "<data><csv id=\"d\" href=\"%s\"/></data>"
	    "<table data=\"d\" caption=\"Counts\"/>", csv);
	s = page(body, NULL);
	unlink_tmp(csv);
	free(csv);
	assert_non_null(strstr(s, "<caption id=\"tc1\">Table 1 \xe2\x80\x93 "
	    "Counts</caption>"));
	assert_non_null(strstr(s, "<th scope=\"col\">area</th>"));
	/* The first column labels the rows; an empty cell is an empty td. */
	assert_non_null(strstr(s, "<tr><th scope=\"row\">Hinckley</th>"
	    "<td class=\"r\"></td>"));
	/* An arrow is a picture of its word: hidden, the word in text. */
	assert_non_null(strstr(s, "<span aria-hidden=\"true\">\xe2\x86\x91"
	    "</span> <span class=\"vh\">up </span>4%"));
	assert_non_null(strstr(s, "<span aria-hidden=\"true\">\xe2\x86\x93"
	    "</span> down 2%"));
	free(s);
}

/* caption-position= on one element against the house's captions above:
 * the table's caption says its own side (CSS caption-side), the tiles'
 * figcaption comes after them, as the PDF has it; the other table keeps
 * the house's. */
static void
test_caption_position(void **state)
{
	char *csv = tmp_csv("l,v\nFires,12\n"), body[768], *s;
	const char *ul, *fc;

	(void)state;
	snprintf(body, sizeof(body), "<data><csv id=\"d\" href=\"%s\"/></data>"
	    "<table caption=\"Own\" caption-position=\"below\"><row><cell>a"
	    "</cell></row></table><table caption=\"House\"><row><cell>b"
	    "</cell></row></table><kpis data=\"d\" label=\"l\" value=\"v\" "
	    "caption=\"Tiles\" caption-position=\"below\"/>", csv);
	s = page(body, NULL);
	unlink_tmp(csv);
	free(csv);
	assert_non_null(strstr(s, "caption.bottom{caption-side:bottom}"));
	assert_non_null(strstr(s, "<caption id=\"tc1\" class=\"bottom\">"
	    "Table 1 \xe2\x80\x93 Own</caption>"));
	assert_non_null(strstr(s, "<caption id=\"tc2\">Table 2 \xe2\x80\x93 "
	    "House</caption>"));
	ul = strstr(s, "</ul>");
	fc = strstr(s, "<figcaption>Figure 1 \xe2\x80\x93 Tiles</figcaption>");
	assert_non_null(ul);
	assert_non_null(fc);
	assert_true(fc > ul);
	free(s);
}

static void
groups_once(struct template *t)
{
	t->caption_continued = GROUPS_ONCE;
	t->caption_above = 0;
}

/* <captions groups="once">: the parts of a grouped table share one
 * caption, without a group's name, on the last part as the PDF has it
 * (captions below); the first part is named by its group. */
static void
test_caption_groups_once(void **state)
{
	char *csv = tmp_csv("area,n\nBlaby,1\nHinckley,2\n"), body[512], *s;

	(void)state;
	snprintf(body, sizeof(body), "<data><csv id=\"d\" href=\"%s\"/></data>"
	    "<table data=\"d\" group-by=\"area\" caption=\"Crime\"/>", csv);
	s = page(body, groups_once);
	unlink_tmp(csv);
	free(csv);
	assert_non_null(strstr(s, "aria-label=\"Table: Blaby\""));
	assert_non_null(strstr(s, "<caption id=\"tc2\">Table 1 \xe2\x80\x93 "
	    "Crime</caption>"));
	assert_null(strstr(s, "<caption id=\"tc1\""));
	assert_null(strstr(s, "(continued)"));
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_href_schemes),
		cmocka_unit_test(test_link_bare_address),
		cmocka_unit_test(test_contrast),
		cmocka_unit_test(test_numbers_and_labels),
		cmocka_unit_test(test_table_cells),
		cmocka_unit_test(test_caption_position),
		cmocka_unit_test(test_caption_groups_once),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
