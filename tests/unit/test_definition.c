/* test_definition.c — definition and template loading, and their
 * diagnostics: every problem found in one run, each naming file:line. */
#include "helpers.h"

#define CONTACTS "<contacts><contact name=\"Jo\" role=\"Officer\"/></contacts>"

static struct doc *
load(const char *xml, struct diags *d, int *ok, char **pathp)
{
	char *path = tmp_file(xml, ".xml");
	struct doc *doc;

	diags_init(d);
	doc = def_load(path, NULL, 0, d, ok);
	*pathp = path;
	return doc;
}

static int
has_message(const struct diags *d, int line, const char *part)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (d->v[i].line == line && strstr(d->v[i].message, part))
			return 1;
	return 0;
}

static void
test_tree(void **state)
{
	struct diags d;
	char *path;
	int ok;
	struct doc *doc = load("<report version=\"1\">\n<meta><title>T</title>"
	    "<report-of>A</report-of><report-of>B</report-of></meta>\n"
	    "<section id=\"s\" title=\"  Two  words \">\n<p>Hello   <b>big"
	    "</b>\n world</p></section></report>", &d, &ok, &path);
	struct node *sec, *p;

	(void)state;
	assert_true(ok);
	assert_int_equal(d.n, 0);
	sec = doc->body->first;
	assert_int_equal(sec->kind, N_SECTION);
	assert_string_equal(sec->id, "s");
	assert_string_equal(sec->title, " Two words ");
	assert_int_equal(sec->line, 3);
	p = sec->first;
	assert_int_equal(p->kind, N_PARA);
	assert_int_equal(p->line, 4);
	assert_string_equal(p->first->text, "Hello ");
	assert_int_equal(p->first->next->kind, N_BOLD);
	assert_string_equal(p->last->text, " world");
	/* Repeated meta fields are kept in order. */
	assert_string_equal(doc_meta(doc, "report-of"), "A");
	assert_int_equal(doc->nmeta, 3);
	doc_free(doc);
	diags_clear(&d);
	unlink(path);
	free(path);
}

/* Several mistakes: all reported in one run, each with its line. */
static void
test_all_errors_in_one_run(void **state)
{
	struct diags d;
	char *path;
	int ok;
	struct doc *doc = load("<report version=\"1\">\n"
	    "<meta><title>T</title><meeting-date>13/12/2023</meeting-date>"
	    "</meta>\n"
	    "<p>See <ref to=\"nowhere\"/>.</p>\n"
	    "<p id=\"x\">a</p>\n<p id=\"x\">b</p>\n"
	    "<p><value param=\"year\"/></p>\n"
	    "</report>", &d, &ok, &path);

	(void)state;
	assert_false(ok);
	assert_true(has_message(&d, 2, "is not a date"));
	assert_true(has_message(&d, 3, "no element has id=\"nowhere\""));
	assert_true(has_message(&d, 5, "already used on line 4"));
	assert_true(has_message(&d, 6, "no such parameter"));
	doc_free(doc);
	diags_clear(&d);
	unlink(path);
	free(path);
}

static void
test_no_doctype(void **state)
{
	struct diags d;
	char *path;
	int ok;
	struct doc *doc = load("<?xml version=\"1.0\"?>\n<!DOCTYPE report ["
	    "<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<report "
	    "version=\"1\"><meta><title>&x;</title></meta></report>", &d, &ok,
	    &path);

	(void)state;
	assert_null(doc);
	assert_false(ok);
	assert_true(d.errors > 0);
	assert_true(strstr(d.v[d.n - 1].message, "DOCTYPE") != NULL ||
	    strstr(d.v[0].message, "DOCTYPE") != NULL);
	diags_clear(&d);
	unlink(path);
	free(path);
}

/* The order rules around the body, which the schema spells out as
 * deterministic choices (libxml2 is quadratic otherwise): params and data
 * once each in either order after meta; contacts before or after the
 * appendices, once. */
static void
test_report_order(void **state)
{
	static const struct { const char *body; int ok; } cases[] = {
		{ "<params/><data/><p>x</p>", 1 },
		{ "<data/><params/><p>x</p>", 1 },
		{ "<data/><p>x</p>", 1 },
		{ "<params/><params/>", 0 },
		{ "<data/><params/><data/>", 0 },
		{ "<p>x</p><data/>", 0 },
		{ "<p>x</p>" CONTACTS "<appendix title=\"A\"/>", 1 },
		{ "<p>x</p><appendix title=\"A\"/>" CONTACTS, 1 },
		{ "<appendix title=\"A\"/><appendix title=\"B\"/>", 1 },
		{ CONTACTS CONTACTS, 0 },
		{ "<appendix title=\"A\"/>" CONTACTS "<appendix title=\"B\"/>",
		  0 },
		{ "<appendix title=\"A\"/><p>x</p>", 0 },
		{ "<table data=\"t\"><column field=\"a\"/></table>", 1 },
		{ "<table><head><cell>a</cell></head><row><cell>1</cell></row>"
		  "</table>", 1 },
		{ "<table data=\"t\"><row><cell>1</cell></row></table>", 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char xml[1024];
		struct diags d;
		char *path;
		int ok;
		struct doc *doc;
		snprintf(xml, sizeof(xml), "<report version=\"1\"><meta><title>"
		    "T</title></meta>%s</report>", cases[i].body);
		doc = load(xml, &d, &ok, &path);
		if (ok != cases[i].ok)
			fail_msg("%s: %s", cases[i].body, cases[i].ok ?
			    (d.n ? d.v[0].message : "refused") : "accepted");
		doc_free(doc);
		diags_clear(&d);
		unlink(path);
		free(path);
	}
}

static void
test_params(void **state)
{
	struct diags d;
	char *path = tmp_file("<report version=\"1\"><meta><title>T</title>"
	    "</meta><params><param name=\"year\" default=\"2023\"/></params>"
	    "</report>", ".xml");
	struct def_define def[2] = { { "year", "2024", 0 }, { "yaer", "1", 0 } };
	struct doc *doc;
	int ok;

	(void)state;
	diags_init(&d);
	doc = def_load(path, def, 1, &d, &ok);
	assert_true(ok);
	assert_string_equal(doc_param(doc, "year"), "2024");
	doc_free(doc);
	diags_clear(&d);
	/* A -D for a parameter the definition does not declare is an error
	 * that names what it does declare. */
	diags_init(&d);
	doc = def_load(path, def + 1, 1, &d, &ok);
	assert_false(ok);
	assert_non_null(strstr(d.v[0].message, "(it has: year)"));
	doc_free(doc);
	diags_clear(&d);
	unlink(path);
	free(path);
}

static void
test_template_values(void **state)
{
	struct arena a;
	struct diags d;
	struct template t;
	char *path = tmp_file("<template version=\"1\" name=\"x\">\n"
	    "<page size=\"A4\" margin-left=\"20mm\" margin-top=\"1in\"/>\n"
	    "<fonts body=\"Liberation Serif\" size=\"11pt\"/>\n"
	    "<heading level=\"1\" size=\"16pt\" case=\"upper\"/>\n"
	    "<numbering headings=\"no\" paragraphs=\"continuous\"/>\n"
	    "<colours link=\"#112233\"/>\n"
	    "</template>", ".xml");

	(void)state;
	arena_init(&a);
	diags_init(&d);
	assert_int_equal(tpl_load(&t, path, &a, &d), 0);
	assert_true(t.margin_l > 56.6 && t.margin_l < 56.7);
	assert_true(t.margin_t == 72);
	assert_string_equal(t.font_body, "Liberation Serif");
	assert_true(t.size == 11);
	assert_true(t.heading[0].size == 16);
	assert_int_equal(t.heading[0].tcase, CASE_UPPER);
	/* Level 2 is left out: it looks like level 1. */
	assert_true(t.heading[1].size == 16);
	assert_int_equal(t.num_headings, 0);
	assert_int_equal(t.para_numbering, PARANUM_CONTINUOUS);
	assert_string_equal(t.para_format, "{p}.");
	assert_int_equal(t.c_link, 0x112233);
	arena_free(&a);
	diags_clear(&d);
	unlink(path);
	free(path);
}

static void
test_template_errors(void **state)
{
	struct arena a;
	struct diags d;
	struct template t;
	char *path = tmp_file("<template version=\"1\" name=\"x\">\n"
	    "<page margin-left=\"wide\"/>\n"
	    "<colours link=\"blue\"/>\n"
	    "</template>", ".xml");

	(void)state;
	arena_init(&a);
	diags_init(&d);
	assert_int_equal(tpl_load(&t, path, &a, &d), -1);
	assert_true(has_message(&d, 2, "margin-left"));
	assert_true(has_message(&d, 3, "link"));
	arena_free(&a);
	diags_clear(&d);
	unlink(path);
	free(path);
}

static void
test_lengths_and_colours(void **state)
{
	uint32_t c;

	(void)state;
	assert_true(tpl_length("72") == 72);
	assert_true(tpl_length("1in") == 72);
	assert_true(tpl_length("2.54cm") > 71.99 && tpl_length("2.54cm") < 72.01);
	assert_true(tpl_length("12px") < 0);
	assert_true(tpl_length("-3pt") < 0);
	assert_true(tpl_length("") < 0);
	/* strtod would take these; the format is digits[.digits][unit] */
	assert_true(tpl_length("1e2") < 0);
	assert_true(tpl_length(" 12pt") < 0);
	assert_true(tpl_length("+3pt") < 0);
	assert_true(tpl_length("0x10") < 0);
	assert_true(tpl_length("12.") < 0);
	assert_true(tpl_length(".5in") < 0);
	assert_true(tpl_length("1.5mm") > 4.25 && tpl_length("1.5mm") < 4.26);
	assert_int_equal(tpl_colour("#12436d", &c), 0);
	assert_int_equal(c, 0x12436D);
	assert_int_equal(tpl_colour("12436D", &c), -1);
	assert_int_equal(tpl_colour("#12436", &c), -1);
	assert_int_equal(tpl_colour("#GG0000", &c), -1);
}

/* Lengths, colours and factors are checked by the reader (the schema
 * leaves them as text): each bad value named at its line. */
static void
test_template_bad_values(void **state)
{
	static const char tpl[] =
	    "<template version=\"1\" name=\"t\">\n"
	    "<page size=\"A4\" margin-top=\"1e2mm\"/>\n"
	    "<fonts body=\"Liberation Sans\" line-height=\"+1.2\"/>\n"
	    "<colours text=\"#0B0C0G\"/>\n"
	    "</template>\n";
	struct arena a;
	struct diags d;
	struct template t;

	(void)state;
	arena_init(&a);
	diags_init(&d);
	assert_int_not_equal(tpl_load_mem(&t, tpl, sizeof(tpl) - 1, "t.xml", &a,
	    &d), 0);
	assert_true(has_message(&d, 2, "<page margin-top=\"1e2mm\">: not a "
	    "length; write a number with pt, mm, cm or in"));
	assert_true(has_message(&d, 3, "<fonts line-height=\"+1.2\">: not a "
	    "number"));
	assert_true(has_message(&d, 4, "<colours text=\"#0B0C0G\">: not a "
	    "colour; write #RRGGBB"));
	arena_free(&a);
	diags_clear(&d);
}

/* Every shipped template loads cleanly. */
static void
test_shipped_templates(void **state)
{
	static const char *const names[] = { "default", "herefordshire",
		"blaby", "hinckley-blaby-joint", "harborough" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct arena a;
		struct diags d;
		struct template t;
		char path[256];

		snprintf(path, sizeof(path), "templates/%s.xml", names[i]);
		arena_init(&a);
		diags_init(&d);
		if (tpl_load(&t, path, &a, &d) != 0)
			fail_msg("%s: %s", path, d.n ? d.v[0].message : "?");
		assert_string_equal(t.name, names[i]);
		arena_free(&a);
		diags_clear(&d);
	}
}

/* Where an SQL attribute's text stands (doc_text_line()): a byte of
 * where= is on the line the file has it on, past a CR LF, an entity
 * reference and a character reference of two UTF-8 bytes; a value on one
 * line is on its own line, not its element's (libxml2's: the tag's end). */
static void
test_sql_text_lines(void **state)
{
	struct diags d;
	char *path;
	int ok;
	struct doc *doc = load("<report version=\"1\"><meta><title>T</title>"
	    "</meta>\n<data><csv id=\"a\" href=\"a.csv\"/></data>\n"
	    "<table data=\"a\"\n  where=\"x &gt; 1 AND\r\n  y = '&#233;' AND\n"
	    "  z = 2\"\n  order-by=\"x\"/></report>", &d, &ok, &path);
	const struct node *t;

	(void)state;
	assert_non_null(doc);
	t = doc->body->first;
	assert_non_null(t);
	assert_non_null(t->where);
	assert_string_equal(t->where, "x > 1 AND   y = '\xc3\xa9' AND   z = 2");
	assert_int_equal(doc_text_line(doc, t->where, 0), 4);
	assert_int_equal(doc_text_line(doc, t->where,
	    (size_t)(strchr(t->where, 'y') - t->where)), 5);
	assert_int_equal(doc_text_line(doc, t->where,
	    (size_t)(strchr(t->where, 'z') - t->where)), 6);
	assert_int_equal(doc_text_line(doc, t->order_by, 0), 7);
	/* Not one of the noted texts: a copy of it. */
	assert_int_equal(doc_text_line(doc, "x", 0), 0);
	doc_free(doc);
	diags_clear(&d);
	unlink_tmp(path);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tree),
		cmocka_unit_test(test_all_errors_in_one_run),
		cmocka_unit_test(test_no_doctype),
		cmocka_unit_test(test_params),
		cmocka_unit_test(test_report_order),
		cmocka_unit_test(test_template_values),
		cmocka_unit_test(test_template_errors),
		cmocka_unit_test(test_lengths_and_colours),
		cmocka_unit_test(test_template_bad_values),
		cmocka_unit_test(test_shipped_templates),
		cmocka_unit_test(test_sql_text_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
