/* test_pack.c — agenda packs on the display list: page ranges on the front
 * sheet (also when the sheet itself grows), one page sequence, outline
 * nesting, item sections and headings, exempt items, and what is never
 * built. Each pack is made in a fresh folder with small reports whose
 * page counts are fixed by <page-break/>. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "scrutineer.h"

static char dir[64];

static void
put(const char *name, const char *fmt, ...)
{
	char path[256];
	FILE *f;
	va_list ap;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_non_null(f = fopen(path, "w"));
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fclose(f);
}

/* A report of n pages (n - 1 page breaks), titled title. */
static void
report(const char *name, const char *title, int n)
{
	char body[4096] = "";
	int i;

	for (i = 1; i < n; i++)
		strcat(body, "<p>More.</p><page-break/>");
	put(name, "<report version=\"1\"><meta><title>%s</title>"
	    "<meeting-date>2023-12-13</meeting-date><report-of>Officer %s"
	    "</report-of></meta><section title=\"Heading of %s\"><p>Text.</p>"
	    "%s<p>End.</p></section></report>\n", title, title, title, body);
}

static const char meeting[] =
    "<meeting><organisation>Test Council</organisation>"
    "<committee>Scrutiny Committee</committee><date>2023-12-13</date>"
    "</meeting>";

struct built {
	int   rc;
	char *dump;
	char *diags;
	int   pages;
};

static struct built
build(const char *part)
{
	char def[128], out[128];
	struct built b = { 0, NULL, NULL, 0 };
	sc_job *j;
	size_t i, len = 0;

	snprintf(def, sizeof(def), "%s/pack.xml", dir);
	snprintf(out, sizeof(out), "%s/out.pdf", dir);
	assert_non_null(j = sc_job_new(def));
	assert_int_equal(sc_job_set_output(j, out), SC_OK);
	assert_int_equal(sc_job_set_dump(j, 1), SC_OK);
	if (part != NULL)
		assert_int_equal(sc_job_set_part(j, part), SC_OK);
	assert_int_equal(sc_job_set_data_dir(j, "."), SC_OK);
	b.rc = sc_build(j);
	b.pages = sc_job_pages(j);
	if (sc_job_dump(j) != NULL)
		b.dump = strdup(sc_job_dump(j));
	b.diags = calloc(1, 1);
	for (i = 0; i < sc_job_diag_count(j); i++) {
		const sc_diag *d = sc_job_diag(j, i);
		size_t n = strlen(d->message) + 64 + (d->file ? strlen(d->file) :
		    0);
		b.diags = realloc(b.diags, len + n);
		len += (size_t)snprintf(b.diags + len, n, "%s:%d: %s\n",
		    d->file ? d->file : "", d->line, d->message);
	}
	sc_job_free(j);
	if (getenv("PACK_TEST_DIAGS") != NULL)
		fputs(b.diags, stderr);
	return b;
}

static void
built_free(struct built *b)
{
	free(b->dump);
	free(b->diags);
}

/* The dump's text of page p (1-based): the lines from "page p " to the
 * next page. */
static char *
page_text(const char *dump, int p)
{
	char head[32];
	const char *s, *e;

	snprintf(head, sizeof(head), "page %d ", p);
	s = dump;
	while ((s = strstr(s, head)) != NULL && s != dump && s[-1] != '\n')
		s++;
	if (s == NULL)
		return NULL;
	snprintf(head, sizeof(head), "\npage %d ", p + 1);
	e = strstr(s, head);
	return strndup(s, e ? (size_t)(e - s) : strlen(s));
}

/* The page (1-based) whose text holds needle, or 0. */
static int
page_of(const char *dump, const char *needle, int pages)
{
	int p;

	for (p = 1; p <= pages; p++) {
		char *t = page_text(dump, p);
		int hit = t != NULL && strstr(t, needle) != NULL;
		free(t);
		if (hit)
			return p;
	}
	return 0;
}

static int
setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/sc-pack-XXXXXX");
	assert_non_null(mkdtemp(dir));
	return 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	return 0;
}

/* Ranges, the page sequence and the outline: typed items take no pages,
 * a 1-page report is "2", a 3-page one "3–5", and every page's footer
 * says its own number. */
static void
test_pack_ranges(void **state)
{
	struct built b;
	char *t;
	int p;

	(void)state;
	report("one.xml", "One", 1);
	report("three.xml", "Three", 3);
	/* A typed item titled "2", its text "2": neither is a range. */
	put("pack.xml", "<pack version=\"1\">%s"
	    "<item title=\"2\"><text>2</text></item>"
	    "<item report=\"one.xml\"/><item report=\"three.xml\"/>"
	    "</pack>\n", meeting);
	b = build(NULL);
	assert_int_equal(b.rc, SC_OK);
	assert_int_equal(b.pages, 5);
	/* The front sheet's agenda: each item's range as laid out. */
	t = page_text(b.dump, 1);
	/* the Pages cell's "2" is the one link: title and text are not */
	{
		const char *a = strstr(t, "\"2\""), *l;
		int links = 0;
		assert_non_null(a);
		for (l = t; (l = strstr(l, " dest=item-2")) != NULL; l++)
			links++;
		assert_int_equal(links, 1);
	}
	assert_non_null(strstr(t, "\"3\xC2\xA0\xE2\x80\x93\xC2\xA0" "5\""));
	/* each range a link to its item's first page */
	assert_non_null(strstr(t, " dest=item-2"));
	assert_non_null(strstr(t, " dest=item-3"));
	assert_null(strstr(t, " dest=item-1"));
	/* a report's title and report-of, taken from it */
	assert_non_null(strstr(t, "\"One\""));
	assert_non_null(strstr(t, "\"Report of: Officer Three\""));
	free(t);
	assert_int_equal(page_of(b.dump, "\"Agenda Item 2\"", 5), 2);
	assert_int_equal(page_of(b.dump, "\"Agenda Item 3\"", 5), 3);
	assert_int_equal(page_of(b.dump, "\"Agenda Item 1\"", 5), 0);
	for (p = 1; p <= 5; p++) {
		char want[32];
		snprintf(want, sizeof(want), "\"Page %d\"", p);
		t = page_text(b.dump, p);
		assert_non_null(strstr(t, want));
		free(t);
	}
	/* Outline: the item at level 1, the report's heading beneath. */
	t = page_text(b.dump, 3);
	assert_non_null(strstr(t, "anchor 0.00 item-3 outline=1 \"3. Three\""));
	assert_non_null(strstr(t, "outline=2 \"1. Heading of Three\""));
	/* anchors made unique per report */
	assert_non_null(strstr(t, " p2._sc1 "));
	free(t);
	t = page_text(b.dump, 2);
	assert_non_null(strstr(t, " p1._sc1 "));
	free(t);
	built_free(&b);
}

/* Items, headings and sections: each item a Sect, its first page an H1
 * "Agenda Item N" before the report's headings, now H2. */
static void
test_pack_structure(void **state)
{
	struct built b;
	char *t, *sect, *h1, *h2, *end;

	(void)state;
	report("one.xml", "One", 2);
	put("pack.xml", "<pack version=\"1\">%s<item report=\"one.xml\"/>"
	    "</pack>\n", meeting);
	b = build(NULL);
	assert_int_equal(b.rc, SC_OK);
	assert_int_equal(b.pages, 3);
	t = page_text(b.dump, 2);
	assert_non_null(sect = strstr(t, "begin Sect"));
	assert_non_null(h1 = strstr(t, "begin H1"));
	assert_non_null(strstr(h1, "\"Agenda Item 1\""));
	assert_non_null(h2 = strstr(t, "begin H2"));
	assert_true(sect < h1 && h1 < h2);
	assert_null(strstr(h2, "begin H1"));
	free(t);
	/* The item's Sect ends on its last page, after its content. */
	t = page_text(b.dump, 3);
	assert_non_null(end = strstr(t, "\"End.\""));
	assert_non_null(strstr(end, "end Sect"));
	free(t);
	built_free(&b);
}

/* A front sheet of many items runs to several pages, and the ranges
 * count them: the report starts where the sheet says it does. */
static void
test_pack_front_sheet_grows(void **state)
{
	struct built b;
	char items[16384] = "", want[64], *t;
	int i, first;

	(void)state;
	report("one.xml", "One", 1);
	for (i = 0; i < 60; i++) {
		char it[200];
		snprintf(it, sizeof(it), "<item title=\"Typed item %d\"><text>"
		    "Words for item %d of the meeting.</text></item>", i, i);
		strcat(items, it);
	}
	put("pack.xml", "<pack version=\"1\">%s%s<item report=\"one.xml\"/>"
	    "</pack>\n", meeting, items);
	b = build(NULL);
	assert_int_equal(b.rc, SC_OK);
	first = page_of(b.dump, "\"Agenda Item 61\"", b.pages);
	assert_true(first >= 3);
	assert_int_equal(b.pages, first);
	/* the sheet is every page before it, and prints that page */
	t = page_text(b.dump, first - 1);
	snprintf(want, sizeof(want), "\"%d\"", first);
	assert_non_null(strstr(t, want));
	free(t);
	snprintf(want, sizeof(want), "\"Page %d\"", first);
	t = page_text(b.dump, first);
	assert_non_null(strstr(t, want));
	free(t);
	built_free(&b);
}

/* An exempt item: in the public pack a notice page and its report never
 * opened (it would fail: its data is missing); part B holds only it. */
static void
test_pack_exempt(void **state)
{
	struct built b;
	char *t;

	(void)state;
	report("one.xml", "One", 1);
	put("secret.xml", "<report version=\"1\"><meta><title>Secret</title>"
	    "<meeting-date>2023-12-13</meeting-date></meta><data><csv id=\"x\" "
	    "href=\"missing.csv\"/></data><p>Text.</p></report>\n");
	put("pack.xml", "<pack version=\"1\">%s<item report=\"one.xml\"/>"
	    "<item title=\"Contracts\" exempt=\"3\" report=\"secret.xml\"/>"
	    "</pack>\n", meeting);
	b = build(NULL);
	assert_int_equal(b.rc, SC_OK);
	assert_int_equal(b.pages, 3);
	t = page_text(b.dump, 3);
	assert_non_null(strstr(t, "\"Agenda Item 2\""));
	assert_non_null(strstr(t, "paragraph 3 of"));
	free(t);
	t = page_text(b.dump, 1);
	assert_non_null(strstr(t, "Section 100A(4) of the Local"));
	free(t);
	built_free(&b);
	/* Part B opens the report, so its error is the pack's. */
	b = build("b");
	assert_int_equal(b.rc, SC_EINPUT);
	assert_null(b.dump);
	assert_non_null(strstr(b.diags, "missing.csv"));
	assert_non_null(strstr(b.diags, "pack.xml:1: item 2: the report"));
	built_free(&b);
	put("secret.xml", "<report version=\"1\"><meta><title>Secret</title>"
	    "<meeting-date>2023-12-13</meeting-date></meta><p>Text.</p>"
	    "</report>\n");
	b = build("b");
	assert_int_equal(b.rc, SC_OK);
	/* its own front sheet and the one item: nothing of item 1 */
	assert_int_equal(page_of(b.dump, "\"Agenda Item 1\"", b.pages), 0);
	assert_int_equal(page_of(b.dump, "\"Agenda Item 2\"", b.pages), 2);
	assert_int_equal(page_of(b.dump, "\"One\"", b.pages), 0);
	built_free(&b);
}

/* A report that fails names its own line, then the pack's item; no PDF. */
static void
test_pack_failed_report(void **state)
{
	struct built b;
	char out[128];
	struct stat st;

	(void)state;
	put("bad.xml", "<report version=\"1\"><meta><title>Bad</title>"
	    "<meeting-date>2023-13-45</meeting-date></meta><p>x</p></report>\n");
	put("pack.xml", "<pack version=\"1\">%s\n<item report=\"bad.xml\"/>"
	    "</pack>\n", meeting);
	b = build(NULL);
	assert_int_equal(b.rc, SC_EINPUT);
	assert_non_null(strstr(b.diags, "bad.xml:1: "));
	assert_non_null(strstr(b.diags, "pack.xml:2: item 1: the report"));
	snprintf(out, sizeof(out), "%s/out.pdf", dir);
	assert_int_not_equal(stat(out, &st), 0);
	built_free(&b);
}

/* Numbers: an item without one follows the one before it. */
static void
test_pack_numbers(void **state)
{
	struct built b;

	(void)state;
	report("one.xml", "One", 1);
	put("pack.xml", "<pack version=\"1\">%s"
	    "<item title=\"A\"><text>a</text></item>"
	    "<item number=\"4\" title=\"B\"><text>b</text></item>"
	    "<item report=\"one.xml\"/></pack>\n", meeting);
	b = build(NULL);
	assert_int_equal(b.rc, SC_OK);
	assert_int_equal(page_of(b.dump, "\"Agenda Item 5\"", b.pages), 2);
	assert_non_null(strstr(b.dump, "\"1.\""));
	assert_non_null(strstr(b.dump, "\"4.\""));
	built_free(&b);
	put("pack.xml", "<pack version=\"1\">%s"
	    "<item title=\"A\"><text>a</text></item>\n"
	    "<item number=\"1\" title=\"B\"><text>b</text></item></pack>\n",
	    meeting);
	b = build(NULL);
	assert_int_equal(b.rc, SC_EINPUT);
	assert_non_null(strstr(b.diags, "pack.xml:2: item number 1 is used "
	    "twice (also at line 1); number each item once"));
	built_free(&b);
}

/* A meeting date must be a day the calendar has, named on its line. */
static void
test_pack_date(void **state)
{
	struct built b;

	(void)state;
	put("pack.xml", "<pack version=\"1\"><meeting>\n<organisation>O"
	    "</organisation><committee>C</committee>\n<date>2023-02-29</date>"
	    "</meeting><item title=\"A\"><text>a</text></item></pack>\n");
	b = build(NULL);
	assert_int_equal(b.rc, SC_EINPUT);
	assert_non_null(strstr(b.diags, "pack.xml:3: <date> must be the "
	    "meeting's date as YYYY-MM-DD (e.g. 2023-12-13), a day the "
	    "calendar has, not \"2023-02-29\""));
	built_free(&b);
	put("pack.xml", "<pack version=\"1\"><meeting><organisation>O"
	    "</organisation><committee>C</committee><date>2024-02-29</date>"
	    "</meeting><item title=\"A\"><text>a</text></item></pack>\n");
	b = build(NULL);
	assert_int_equal(b.rc, SC_OK);
	built_free(&b);
}

/* -D reaches the reports that declare it; one none declares fails. */
static void
test_pack_defines(void **state)
{
	char def[128];
	sc_job *j;
	size_t i;
	int found = 0;

	(void)state;
	report("one.xml", "One", 1);
	put("two.xml", "<report version=\"1\"><meta><title>Two</title>"
	    "<meeting-date>2023-12-13</meeting-date></meta><params><param "
	    "name=\"year\" default=\"2022/23\"/></params><p>In <value "
	    "param=\"year\"/>.</p></report>\n");
	put("pack.xml", "<pack version=\"1\">%s<item report=\"one.xml\"/>"
	    "<item report=\"two.xml\"/></pack>\n", meeting);
	snprintf(def, sizeof(def), "%s/pack.xml", dir);
	assert_non_null(j = sc_job_new(def));
	assert_int_equal(sc_job_set_data_dir(j, "."), SC_OK);
	assert_int_equal(sc_job_define(j, "year", "2023/24"), SC_OK);
	assert_int_equal(sc_job_set_dump(j, 1), SC_OK);
	assert_int_equal(sc_check(j), SC_OK);
	assert_int_equal(sc_build(j), SC_OK);
	assert_non_null(strstr(sc_job_dump(j), "\"In 2023/24.\""));
	assert_int_equal(sc_job_define(j, "yaer", "1"), SC_OK);
	assert_int_equal(sc_build(j), SC_EINPUT);
	for (i = 0; i < sc_job_diag_count(j); i++)
		found |= strstr(sc_job_diag(j, i)->message, "-D yaer: no report "
		    "of this pack has <param name=\"yaer\">") != NULL;
	assert_true(found);
	sc_job_free(j);
}

/* What a failed pack looked for and did not find — an item's report, a
 * report's CSV in a folder not made yet — is listed (watch mode rebuilds
 * when it appears); what it read is listed too. */
static void
test_pack_missing(void **state)
{
	char def[128], want[192];
	sc_job *j;
	const char *what;
	size_t i;
	int found = 0;

	(void)state;
	put("one.xml", "<report version=\"1\"><meta><title>One</title></meta>"
	    "<data><csv id=\"c\" href=\"data/c.csv\"/></data><table data=\"c\">"
	    "<column field=\"a\"/></table></report>\n");
	put("pack.xml", "<pack version=\"1\">%s<item report=\"one.xml\"/>"
	    "<item report=\"absent.xml\"/></pack>\n", meeting);
	snprintf(def, sizeof(def), "%s/pack.xml", dir);
	assert_non_null(j = sc_job_new(def));
	assert_int_equal(sc_job_set_data_dir(j, "."), SC_OK);
	assert_int_equal(sc_build(j), SC_EINPUT);
	assert_int_equal(sc_job_missing_count(j), 1);
	snprintf(want, sizeof(want), "%s/absent.xml", dir);
	assert_string_equal(sc_job_missing(j, 0, &what), want);
	assert_string_equal(what, "report definition");
	assert_null(sc_job_missing(j, 1, &what));
	/* The item's own: its CSV. */
	put("pack.xml", "<pack version=\"1\">%s<item report=\"one.xml\"/>"
	    "</pack>\n", meeting);
	assert_int_equal(sc_build(j), SC_EINPUT);
	assert_int_equal(sc_job_missing_count(j), 1);
	snprintf(want, sizeof(want), "%s/data/c.csv", dir);
	assert_string_equal(sc_job_missing(j, 0, &what), want);
	assert_string_equal(what, "data file");
	for (i = 0; i < sc_job_input_count(j); i++)
		found |= strstr(sc_job_input(j, i, &what), "/one.xml") != NULL;
	assert_true(found);
	/* Once it is there, the next build lists none. */
	snprintf(want, sizeof(want), "%s/data", dir);
	mkdir(want, 0755);
	put("data/c.csv", "a\n1\n");
	assert_int_equal(sc_build(j), SC_OK);
	assert_int_equal(sc_job_missing_count(j), 0);
	sc_job_free(j);
}

/* Strict builds: a job is strict when it or its context says so, and a
 * pack's reports are strict with the pack (issue 13). */

/* --timings on a pack: each report's own notes (at its lines), each
 * item's load and layout at its <item>, the writing and the whole pack
 * at the pack. The times themselves are not compared. */
static void
test_pack_timings(void **state)
{
	char def[128];
	const char *want[][2] = {
		{ "one.xml:0", "timings: reading the definition and template " },
		{ "one.xml:2", ": 1 row, 0.0 MB in " },
		{ "one.xml:0", "timings: data " },
		{ "pack.xml:1", "timings: item 1: loading and laying out its "
		    "report (1 page) " },
		{ "pack.xml:0", "timings: writing the pack (its appendices merged "
		    "in) " },
		{ "pack.xml:0", "timings: the pack in all " },
	};
	sc_job *j;
	size_t i;

	(void)state;
	put("crime.csv", "year,crimes\n2023/24,12\n");
	put("one.xml", "<report version=\"1\"><meta><title>One</title>"
	    "<meeting-date>2023-12-13</meeting-date></meta>\n<data><csv "
	    "id=\"crime\" href=\"crime.csv\"/></data><table "
	    "data=\"crime\"><column field=\"crimes\"/></table></report>\n");
	put("pack.xml", "<pack version=\"1\">%s<item report=\"one.xml\"/>"
	    "</pack>\n", meeting);
	snprintf(def, sizeof(def), "%s/pack.xml", dir);
	assert_non_null(j = sc_job_new(def));
	assert_int_equal(sc_job_set_data_dir(j, "."), SC_OK);
	assert_int_equal(sc_job_set_timings(j, 1), SC_OK);
	assert_int_equal(sc_build(j), SC_OK);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		size_t k;
		int found = 0;
		for (k = 0; k < sc_job_diag_count(j) && !found; k++) {
			const sc_diag *d = sc_job_diag(j, k);
			char at[64];
			const char *base = d->file ? strrchr(d->file, '/') : NULL;
			snprintf(at, sizeof(at), "%s:%d", base ? base + 1 : "",
			    d->line);
			found = d->level == SC_NOTE && strcmp(at, want[i][0]) == 0 &&
			    strstr(d->message, want[i][1]) != NULL;
		}
		if (!found)
			fail_msg("no note at %s with \"%s\"", want[i][0], want[i][1]);
	}
	sc_job_free(j);
}

static void
test_pack_strict(void **state)
{
	char def[128], rep[128];
	sc_ctx *ctx;
	sc_job *j;
	int pass;

	(void)state;
	put("crime.csv", "year,crimes\n2023/24,12\n");
	put("two.xml", "<report version=\"1\"><meta><title>Two</title>"
	    "<meeting-date>2023-12-13</meeting-date></meta><params><param "
	    "name=\"year\" default=\"2023/24\"/></params><data><csv "
	    "id=\"crime\" href=\"crime.csv\"/></data><table data=\"crime\" "
	    "where=\"year = :year\"><column field=\"crimes\"/></table>"
	    "</report>\n");
	put("pack.xml", "<pack version=\"1\">%s<item report=\"two.xml\"/>"
	    "</pack>\n", meeting);
	snprintf(def, sizeof(def), "%s/pack.xml", dir);
	snprintf(rep, sizeof(rep), "%s/two.xml", dir);
	/* The job's own setting, then its context's. */
	for (pass = 0; pass < 2; pass++) {
		assert_non_null(ctx = sc_ctx_new());
		assert_int_equal(sc_ctx_set_strict(ctx, pass), SC_OK);
		assert_non_null(j = sc_job_new_in(ctx, def));
		assert_int_equal(sc_job_set_data_dir(j, "."), SC_OK);
		assert_int_equal(sc_job_define(j, "year", "2018/19"), SC_OK);
		if (pass == 0) {
			/* Not strict: a warning, and it builds. */
			assert_int_equal(sc_check(j), SC_OK);
			assert_int_equal(sc_job_diag(j, 0)->level, SC_WARNING);
			assert_int_equal(sc_job_set_strict(j, 1), SC_OK);
		}
		assert_int_equal(sc_check(j), SC_EINPUT);
		assert_int_equal(sc_job_diag(j, 0)->level, SC_ERROR);
		assert_non_null(strstr(sc_job_diag(j, 0)->message, "has no rows "
		    "for year=2018/19"));
		assert_int_equal(sc_build(j), SC_EINPUT);
		sc_job_free(j);
		/* A report on its own, in the same context. */
		assert_non_null(j = sc_job_new_in(ctx, rep));
		assert_int_equal(sc_job_set_data_dir(j, "."), SC_OK);
		assert_int_equal(sc_job_define(j, "year", "2018/19"), SC_OK);
		assert_int_equal(sc_check(j), pass ? SC_EINPUT : SC_OK);
		assert_int_equal(sc_job_set_strict(j, !pass), SC_OK);
		assert_int_equal(sc_check(j), pass ? SC_OK : SC_EINPUT);
		sc_job_free(j);
		sc_ctx_free(ctx);
	}
}

/* Part B's default name is never the public pack's. */
static void
test_pack_part_b_name(void **state)
{
	char def[128];
	sc_job *j;

	(void)state;
	snprintf(def, sizeof(def), "%s/pack.xml", dir);
	assert_non_null(j = sc_job_new(def));
	assert_int_equal(sc_job_set_part(j, "b"), SC_OK);
	assert_int_equal(sc_job_set_part(j, "c"), SC_EUSAGE);
	put("pack.xml", "<pack version=\"1\">%s<item title=\"S\" exempt=\"1\">"
	    "<text>s</text></item></pack>\n", meeting);
	assert_int_equal(sc_job_set_data_dir(j, "."), SC_OK);
	assert_int_equal(sc_build(j), SC_OK);
	assert_non_null(strstr(sc_job_output(j), "/pack-part-b.pdf"));
	sc_job_free(j);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_pack_ranges, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_pack_timings, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_pack_strict, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_pack_structure, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_pack_front_sheet_grows,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_pack_exempt, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_pack_failed_report, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_pack_numbers, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_pack_date, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pack_defines, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_pack_missing, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_pack_part_b_name, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
