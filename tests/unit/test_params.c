/* test_params.c — parameters that roll the whole report: shifted
 * periods, derived and validated <param>s, {name} in every printed
 * attribute and field, and the warning for a parameter nothing uses. */
#include "helpers.h"

#include "definition/params.h"

static void
test_shift(void **state)
{
	static const struct { const char *v, *shift, *want; } ok[] = {
		{ "2023/24", "-1", "2022/23" },
		{ "2023/24", "-4", "2019/20" },
		{ "2023/24", "+1y", "2024/25" },
		{ "1999/00", "+1", "2000/01" },   /* the century turns */
		{ "2000/01", "-1", "1999/00" },
		{ "2023/2024", "-1", "2022/2023" },
		{ "2023-2024", "-2", "2021-2022" },
		{ "2023", "-1", "2022" },
		{ "2023", "0", "2023" },
		{ "2023 Q1", "-1", "2022 Q4" },   /* a quarter back a year */
		{ "2023 Q4", "+1", "2024 Q1" },
		{ "2023 Q2", "-1y", "2022 Q2" },
		{ "2023-Q3", "-5q", "2022-Q2" },
		{ "2023Q3", "+2", "2024Q1" },
		{ "Q4 2023", "-4", "Q4 2022" },
		{ "q1 2024", "-1", "q4 2023" },
		{ "2023-01", "-1", "2022-12" },
		{ "2023-12", "+1", "2024-01" },
		{ "2023-03", "-1q", "2022-12" },
		{ "2023-03", "-1y", "2022-03" },
		{ "2024-03-01", "-1", "2024-02-29" }, /* a leap year's day */
		{ "2023-03-01", "-1d", "2023-02-28" },
		{ "2023-12-31", "+1", "2024-01-01" },
		{ "2024-02-29", "-1y", "2023-02-28" }, /* clamped */
		{ "2024-01-31", "+1m", "2024-02-29" },
		{ "2023-11-30", "+1q", "2024-02-29" },
		{ "2024-02-29", "+4y", "2028-02-29" },
	};
	static const struct { const char *v, *shift, *why; } bad[] = {
		{ "latest", "-1", "not a period" },
		{ "2023/25", "-1", "not a period" },     /* not a year's span */
		{ "2023-13", "-1", "not a period" },
		{ "2023-02-30", "-1", "not a period" },
		{ "2023 Q5", "-1", "not a period" },
		{ "2023/24", "-1q", "moves by whole years: write shift=\"-1\"" },
		{ "2023", "-3m", "moves by whole years" },
		{ "2023 Q4", "-3m", "moves by quarters or years" },
		{ "2023-12", "-7d", "not days" },
		{ "2023/24", "minus one", "not a number of periods" },
		{ "2023/24", "-1x", "not a number of periods" },
		{ "2023/24", "", "not a number of periods" },
		{ "2023/24", "-123456", "not a number of periods" },
		{ "0001", "-1", "leaves the years 1 to 9998" },
		{ "9998", "+1", "leaves the years 1 to 9998" },
		{ "0001 Q1", "-1", "leaves the years" },
	};
	char out[400];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		int rc = params_shift(ok[i].v, ok[i].shift, out, sizeof(out));
		if (rc != 0 || strcmp(out, ok[i].want) != 0)
			fail_msg("%s shifted %s: got \"%s\" (%d), want %s", ok[i].v,
			    ok[i].shift, out, rc, ok[i].want);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = params_shift(bad[i].v, bad[i].shift, out, sizeof(out));
		if (rc != -1 || strstr(out, bad[i].why) == NULL)
			fail_msg("%s shifted %s: got \"%s\" (%d), want an error "
			    "with \"%s\"", bad[i].v, bad[i].shift, out, rc,
			    bad[i].why);
	}
}

static struct doc *
load_with(const char *xml, const struct def_define *defs, size_t ndefs,
    struct diags *d, int *ok)
{
	char *path = tmp_file(xml, ".xml");
	struct doc *doc;

	diags_init(d);
	doc = def_load(path, defs, ndefs, d, ok);
	unlink(path);
	free(path);
	assert_non_null(doc);
	return doc;
}

static int
message(const struct diags *d, int line, const char *part)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if ((line == 0 || d->v[i].line == line) &&
		    strstr(d->v[i].message, part))
			return 1;
	return 0;
}

#define PARAMS \
	"<params>\n" \
	"<param name=\"year\" default=\"2023/24\"/>\n" \
	"<param name=\"previous\" from=\"year\" shift=\"-1\"/>\n" \
	"<param name=\"first\" from=\"year\" shift=\"-4\"/>\n" \
	"</params>\n"

static void
test_derived(void **state)
{
	struct def_define d1[] = { { "year", "2021/22", 0 } };
	struct def_define d2[] = { { "year", "2021/22", 0 },
		{ "previous", "2015/16", 0 } };
	struct diags d;
	struct doc *doc;
	int ok;
	const char *xml = "<report version=\"1\"><meta><title>T</title></meta>"
	    PARAMS "</report>";

	(void)state;
	doc = load_with(xml, NULL, 0, &d, &ok);
	assert_true(ok);
	assert_string_equal(doc_param(doc, "previous"), "2022/23");
	assert_string_equal(doc_param(doc, "first"), "2019/20");
	doc_free(doc);
	diags_clear(&d);
	/* -D year= rolls what is derived from it. */
	doc = load_with(xml, d1, 1, &d, &ok);
	assert_true(ok);
	assert_string_equal(doc_param(doc, "previous"), "2020/21");
	assert_string_equal(doc_param(doc, "first"), "2017/18");
	doc_free(doc);
	diags_clear(&d);
	/* A -D for the derived one wins over its derivation. */
	doc = load_with(xml, d2, 2, &d, &ok);
	assert_true(ok);
	assert_string_equal(doc_param(doc, "previous"), "2015/16");
	assert_string_equal(doc_param(doc, "first"), "2017/18");
	doc_free(doc);
	diags_clear(&d);
}

/* format= writes a derived period by date letters, from the first day
 * of the period after its shift. */
static void
test_formatted(void **state)
{
	static const struct { const char *from, *shift, *format, *want; } good[] = {
		{ "2023/24", NULL, "yyyy", "2023" },
		{ "2023/24", "-1", "yy", "22" },
		{ "2023/24", "+1", "yyyy/yy", "2024/25" },
		{ "2023/24", NULL, "MMMM yyyy", "April 2023" },
		{ "2023 Q4", NULL, "MMM yyyy", "Oct 2023" },
		{ "2023 Q1", "-1", "MMMM", "October" },
		{ "2023-12", "+1", "MMMM yyyy", "January 2024" },
		{ "2024-02-29", "-1y", "d MMMM yyyy", "28 February 2023" },
		{ "2023", "-1", "yy", "22" },
	};
	struct def_define dd[] = { { "base", NULL, 0 } };
	struct diags d;
	struct doc *doc;
	char xml[600];
	size_t i;
	int ok;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		dd[0].value = good[i].from;
		snprintf(xml, sizeof(xml), "<report version=\"1\"><meta><title>"
		    "T {p}</title></meta><params><param name=\"base\" "
		    "default=\"x\"/><param name=\"p\" from=\"base\" %s%s%s "
		    "format=\"%s\"/></params></report>", good[i].shift ?
		    "shift=\"" : "", good[i].shift ? good[i].shift : "",
		    good[i].shift ? "\"" : "", good[i].format);
		doc = load_with(xml, dd, 1, &d, &ok);
		if (!ok || doc_param(doc, "p") == NULL ||
		    strcmp(doc_param(doc, "p"), good[i].want) != 0)
			fail_msg("%s %s format=%s: got \"%s\", want %s",
			    good[i].from, good[i].shift ? good[i].shift : "",
			    good[i].format, doc_param(doc, "p") ?
			    doc_param(doc, "p") : "(none)", good[i].want);
		doc_free(doc);
		diags_clear(&d);
	}
	doc = load_with("<report version=\"1\"><meta><title>T</title></meta>\n"
	    "<params>\n"
	    "<param name=\"year\" default=\"2023/24\"/>\n"
	    "<param name=\"a\" from=\"year\" format=\"#,##0\"/>\n"
	    "<param name=\"b\" default=\"2023\" format=\"yyyy\"/>\n"
	    "<param name=\"c\" from=\"year\" format=\"yyyy QQ\"/>\n"
	    "</params></report>", NULL, 0, &d, &ok);
	assert_false(ok);
	assert_true(message(&d, 4, "parameter \"a\": format=\"#,##0\" is not "
	    "a date format; write one with date letters"));
	assert_true(message(&d, 5, "parameter \"b\": format= needs "
	    "from=\"PARAM\""));
	assert_true(message(&d, 6, "parameter \"c\": format=\"yyyy QQ\" is "
	    "not a date format ("));
	assert_int_equal(d.errors, 3);
	doc_free(doc);
	diags_clear(&d);
}

static void
test_derived_errors(void **state)
{
	struct diags d;
	struct doc *doc;
	int ok;

	(void)state;
	doc = load_with("<report version=\"1\"><meta><title>T</title></meta>\n"
	    "<params>\n"
	    "<param name=\"a\" from=\"b\"/>\n"
	    "<param name=\"b\" default=\"2023\"/>\n"
	    "<param name=\"c\" from=\"nope\" shift=\"-1\"/>\n"
	    "<param name=\"d\" from=\"b\" default=\"2020\"/>\n"
	    "<param name=\"e\" shift=\"-1\" default=\"2020\"/>\n"
	    "<param name=\"f\" default=\"soon\"/>\n"
	    "<param name=\"g\" from=\"f\" shift=\"-1\"/>\n"
	    "<param name=\"h\" from=\"b\" shift=\"-1q\"/>\n"
	    "</params></report>", NULL, 0, &d, &ok);
	assert_false(ok);
	assert_true(message(&d, 3, "parameter \"a\": from=\"b\" is declared "
	    "after it; declare b first"));
	assert_true(message(&d, 5, "from=\"nope\" names no parameter "
	    "(declared: a, b, c, d, e, f, g, h)"));
	assert_true(message(&d, 6, "has both from= and default="));
	assert_true(message(&d, 7, "shift= needs from=\"PARAM\""));
	assert_true(message(&d, 9, "parameter \"g\" from \"f\": \"soon\" is "
	    "not a period scrutineer can shift"));
	assert_true(message(&d, 10, "\"2023\" is a year, which moves by whole "
	    "years"));
	assert_int_equal(d.errors, 6);
	doc_free(doc);
	diags_clear(&d);
}

static void
test_validated(void **state)
{
	static const char *xml = "<report version=\"1\"><meta><title>T</title>"
	    "</meta>\n<params>\n"
	    "<param name=\"year\" default=\"2023/24\" "
	    "pattern=\"[0-9]{4}/[0-9]{2}\"/>\n"
	    "<param name=\"area\" default=\"Blaby\" "
	    "values=\"Blaby|Hinckley and Bosworth\"/>\n"
	    "<param name=\"q\" default=\"x\" pattern=\"[0-9\"/>\n"
	    "<param name=\"prev\" from=\"year\" shift=\"-1\" "
	    "values=\"2022/23|2021/22\"/>\n"
	    "</params></report>";
	struct def_define good[] = { { "area", "Hinckley and Bosworth", 0 },
		{ "q", "1", 0 } };
	struct def_define bad[] = { { "year", "2023-24", 0 },
		{ "area", "Blab", 0 } };
	struct def_define roll[] = { { "year", "2019/20", 0 } };
	struct diags d;
	struct doc *doc;
	int ok;

	(void)state;
	doc = load_with(xml, good, 2, &d, &ok);
	/* the bad pattern= is an error whatever the value */
	assert_false(ok);
	assert_int_equal(d.errors, 1);
	assert_true(message(&d, 5, "pattern=\"[0-9\" is not a regular "
	    "expression"));
	doc_free(doc);
	diags_clear(&d);
	doc = load_with(xml, bad, 2, &d, &ok);
	assert_false(ok);
	assert_true(message(&d, 3, "parameter \"year\" is \"2023-24\" (-D), "
	    "which does not match its pattern [0-9]{4}/[0-9]{2}"));
	assert_true(message(&d, 4, "parameter \"area\" is \"Blab\" (-D), which "
	    "is not one of its values: Blaby, Hinckley and Bosworth"));
	doc_free(doc);
	diags_clear(&d);
	/* A derived value is validated too. */
	doc = load_with(xml, roll, 1, &d, &ok);
	assert_true(message(&d, 6, "parameter \"prev\" is \"2018/19\" "
	    "(derived), which is not one of its values: 2022/23, 2021/22"));
	doc_free(doc);
	diags_clear(&d);
}

/* Every text a report prints takes a parameter. */
static void
tweak_running(struct template *t)
{
	t->header.part[0] = "{title}";
	t->header.part[2] = "Year {year}";
	t->header.first_page = 1;
}

static void
test_everywhere(void **state)
{
	char *csv = tmp_csv("fy,n\n2019/20,1\n2022/23,2\n2023/24,3\n");
	struct buf x;
	struct laid *l;

	(void)state;
	buf_init(&x);
	buf_printf(&x,
	    PARAMS
	    "<data><csv id=\"c\" href=\"%s\"/>"
	    "<expect source=\"c\" column=\"fy\" periods=\"financial-year\" "
	    "from=\"{year}\" to=\"{year}\"/></data>"
	    "<section title=\"Crime in {year}\">"
	    "<p>Since {first}: <value param=\"first\"/>.</p>"
	    "<table data=\"c\" caption=\"Crimes, {first} to {year}\" "
	    "source=\"Police, {year}\" where=\"fy = :year\">"
	    "<column field=\"fy\" header=\"Year ({previous} on)\"/>"
	    "<column field=\"n\" header=\"{year}\"/></table>"
	    "<chart type=\"column\" data=\"c\" x=\"fy\" series=\"n\" "
	    "caption=\"Trend to {year}\" y-label=\"Crimes in {year}\" "
	    "alt=\"Crimes rose to {year}\"/>"
	    "</section>", csv);
	l = lay_xml_meta("<report-of>Head of {{Service}} <value param=\"year\"/>"
	    "</report-of><purpose>Results for <value param=\"year\"/> against "
	    "{previous}.</purpose>", x.data, tweak_running);
	buf_free(&x);
	if (l->rc != 0 && l->diags.n > 0)
		fail_msg("%s", l->diags.v[0].message);
	assert_int_equal(l->rc, 0);
	/* The doc: fields, attributes, the <expect>'s period. */
	assert_string_equal(doc_meta(l->doc, "report-of"),
	    "Head of {Service} 2023/24");
	assert_string_equal(doc_meta(l->doc, "purpose"),
	    "Results for 2023/24 against 2022/23.");
	assert_string_equal(l->doc->expects[0].from, "2023/24");
	{
		struct node *sec = l->doc->body->first, *tab, *ch;
		assert_string_equal(sec->title, "Crime in 2023/24");
		tab = sec->first->next;
		assert_int_equal(tab->kind, N_TABLE);
		assert_string_equal(tab->caption, "Crimes, 2019/20 to 2023/24");
		assert_string_equal(tab->source, "Police, 2023/24");
		assert_string_equal(tab->first->header, "Year (2022/23 on)");
		ch = tab->next;
		assert_int_equal(ch->kind, N_CHART);
		assert_string_equal(ch->caption, "Trend to 2023/24");
		assert_string_equal(ch->y_label, "Crimes in 2023/24");
		assert_string_equal(ch->alt, "Crimes rose to 2023/24");
	}
	/* The page: heading, running head (a field and a parameter),
	 * paragraph text, caption, column headers. */
	assert_non_null(find_text(l, 0, "Crime in 2023/24"));
	assert_non_null(find_exact(l, 0, "Year 2023/24"));
	assert_non_null(find_text(l, 0, "Since 2019/20: 2019/20."));
	assert_non_null(find_text(l, 0, "Crimes, 2019/20 to 2023/24"));
	assert_non_null(find_exact(l, 0, "Year (2022/23 on)"));
	assert_null(find_text(l, 0, "{"));
	laid_free(l);
	unlink_tmp(csv);
	free(csv);
}

static void
test_expand_errors(void **state)
{
	struct diags d;
	struct doc *doc;
	int ok;

	(void)state;
	doc = load_with("<report version=\"1\"><meta>\n"
	    "<title>T <value param=\"yeer\"/></title>\n"
	    "<purpose>In <value query=\"SELECT 1\"/></purpose>\n"
	    "</meta><params><param name=\"year\" default=\"1\"/></params>\n"
	    "<table caption=\"In {yeer}\"><row><cell>{ x } {1} {year}</cell>"
	    "</row></table>\n"
	    "<p>{Year}</p>\n"
	    "</report>", NULL, 0, &d, &ok);
	assert_false(ok);
	assert_true(message(&d, 2, "<value param=\"yeer\">: no such "
	    "parameter"));
	assert_true(message(&d, 3, "<purpose>: <value query> cannot be used "
	    "here"));
	assert_true(message(&d, 5, "<table caption>: {yeer} names no "
	    "parameter (declared: year); write {{ for a brace that is text"));
	/* case matters, as in SQL's :year */
	assert_true(message(&d, 6, "text: {Year} names no parameter"));
	assert_int_equal(d.errors, 4);
	doc_free(doc);
	diags_clear(&d);
}

/* A value is printed as it is: a parameter's "{previous}" is text, not
 * a second expansion (a -D could otherwise name any parameter). */
static void
test_value_not_reexpanded(void **state)
{
	struct def_define def[] = { { "year", "{previous}", 0 } };
	struct diags d;
	struct doc *doc;
	int ok;

	(void)state;
	doc = load_with("<report version=\"1\"><meta><title>T <value "
	    "param=\"year\"/></title><purpose>{year}</purpose></meta>"
	    "<params><param name=\"year\" default=\"x\"/><param "
	    "name=\"previous\" default=\"2022/23\"/></params>"
	    "<section title=\"In {year}\"><p>{year}</p></section></report>",
	    def, 1, &d, &ok);
	assert_true(ok);
	assert_string_equal(doc_meta(doc, "title"), "T {previous}");
	assert_string_equal(doc_meta(doc, "purpose"), "{previous}");
	assert_string_equal(doc->body->first->title, "In {previous}");
	assert_string_equal(doc->body->first->first->first->text,
	    "{previous}");
	doc_free(doc);
	diags_clear(&d);
}

/* The bounds and forms a definition can get wrong. */
static void
test_param_limits(void **state)
{
	struct buf x;
	struct diags d;
	struct doc *doc;
	int ok, i;

	(void)state;
	buf_init(&x);
	buf_puts(&x, "<report version=\"1\"><meta><title>T</title></meta>\n"
	    "<params>\n<param name=\"a\" default=\"1\" in-data=\"crime\"/>\n"
	    "<param name=\"b\" default=\"1\" in-data=\"crime.\"/>\n"
	    "<param name=\"c\" default=\"1\" pattern=\"");
	for (i = 0; i < 201; i++)
		buf_putc(&x, '1');
	buf_puts(&x, "\"/>\n<param name=\"e\" default=\"");
	for (i = 0; i < 1001; i++)
		buf_putc(&x, 'x');
	buf_puts(&x, "\"/>\n</params></report>");
	doc = load_with(x.data, NULL, 0, &d, &ok);
	buf_free(&x);
	assert_false(ok);
	assert_true(message(&d, 3, "parameter \"a\": in-data=\"crime\" must "
	    "name a source and its column, e.g. in-data=\"crime.year\""));
	assert_true(message(&d, 4, "in-data=\"crime.\" must name a source"));
	assert_true(message(&d, 5, "pattern= is longer than 200 characters"));
	assert_true(message(&d, 6, "parameter \"e\" is 1001 characters long; "
	    "a parameter may have at most 1000"));
	assert_int_equal(d.errors, 4);
	doc_free(doc);
	diags_clear(&d);
}

static void
test_in_data_no_source(void **state)
{
	struct laid *l = lay_xml("<params><param name=\"year\" "
	    "default=\"2023\" in-data=\"crimes.fy\"/></params>"
	    "<p>{year}</p>", NULL);

	(void)state;
	assert_int_equal(l->diags.errors, 1);
	assert_true(message(&l->diags, 1, "parameter \"year\": "
	    "in-data=\"crimes.fy\": no <csv> or <query> has the id "
	    "\"crimes\""));
	laid_free(l);
}

static void
test_unused(void **state)
{
	char *csv = tmp_csv("fy,n\n2023/24,3\n");
	struct template t;
	struct buf x;
	struct laid *l;
	size_t i;
	int warned = 0;

	(void)state;
	buf_init(&x);
	buf_printf(&x, "<params>\n<param name=\"year\" default=\"2023/24\"/>\n"
	    "<param name=\"sql\" default=\"2023/24\"/>\n"
	    "<param name=\"tpl\" default=\"x\"/>\n"
	    "<param name=\"base\" default=\"2023\"/>\n"
	    "<param name=\"derived\" from=\"base\" shift=\"-1\"/>\n"
	    "<param name=\"idle\" default=\"x\"/>\n"
	    "<param name=\"checked\" default=\"2023/24\" in-data=\"c.fy\"/>\n"
	    "</params><data><csv id=\"c\" href=\"%s\"/></data>"
	    "<p>{year} <value query=\"SELECT n FROM c WHERE fy = :sql\"/></p>",
	    csv);
	l = lay_xml(x.data, NULL);
	buf_free(&x);
	assert_int_equal(l->rc, 0);
	tpl_defaults(&t);
	t.footer.part[0] = "{tpl}";
	params_check_used(l->doc, &t, &l->diags);
	for (i = 0; i < l->diags.n; i++) {
		const sc_diag *m = &l->diags.v[i];
		if (m->level != SC_WARNING)
			continue;
		warned++;
		/* "derived" was given no use; "base" is used by it. Being
		 * checked against the data is not a use. */
		assert_true((m->line == 1 + 5 && strstr(m->message,
		    "parameter \"derived\" is not used")) ||
		    (m->line == 1 + 6 && strstr(m->message,
		    "parameter \"idle\" is not used")) ||
		    (m->line == 1 + 7 && strstr(m->message,
		    "parameter \"checked\" is not used")));
	}
	assert_int_equal(warned, 3);
	laid_free(l);
	unlink_tmp(csv);
	free(csv);
}

static void
test_in_data(void **state)
{
	char *csv = tmp_csv("fy,n\n2021/22,1\n2022/23,2\n2023/24,3\n");
	struct buf x;
	struct laid *l;

	(void)state;
	buf_init(&x);
	buf_printf(&x, "<params><param name=\"year\" default=\"2019/20\" "
	    "in-data=\"c.fy\"/><param name=\"n\" default=\"2\" "
	    "in-data=\"c.n\"/></params>"
	    "<data><csv id=\"c\" href=\"%s\"/></data>"
	    "<p><value query=\"SELECT n FROM c WHERE fy = :year\"/> "
	    "<value query=\"SELECT fy FROM c WHERE n = :n\"/></p>", csv);
	l = lay_xml(x.data, NULL);
	buf_free(&x);
	/* one error, the period; the number 2 matches the column's 2 */
	assert_int_equal(l->diags.errors, 1);
	assert_true(message(&l->diags, 1, "parameter \"year\" is \"2019/20\", "
	    "which is not in column \"fy\" of c (it has 2021/22, 2022/23, "
	    "2023/24); the data may not cover it"));
	laid_free(l);
	unlink_tmp(csv);
	free(csv);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shift),
		cmocka_unit_test(test_derived),
		cmocka_unit_test(test_derived_errors),
		cmocka_unit_test(test_formatted),
		cmocka_unit_test(test_validated),
		cmocka_unit_test(test_everywhere),
		cmocka_unit_test(test_expand_errors),
		cmocka_unit_test(test_value_not_reexpanded),
		cmocka_unit_test(test_param_limits),
		cmocka_unit_test(test_in_data_no_source),
		cmocka_unit_test(test_unused),
		cmocka_unit_test(test_in_data),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
