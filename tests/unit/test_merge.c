/* test_merge.c — agenda packs: probing external PDFs and merging them
 * into a base PDF (src/pack/merge.h). Fixtures are made at test time:
 * a tagged appendix with cairo, an untagged and a hostile one by hand,
 * the base as the pack writer makes it (merge_fixture.h). The output is
 * read back with qpdf's C API and pdftotext. */
#include "helpers.h"

#include <cairo.h>
#include <cairo-pdf.h>
#include <fontconfig/fontconfig.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <qpdf/qpdf-c.h>

#include "merge_fixture.h"
#include "pack/merge.h"

static char dir[] = "/tmp/sc-merge-XXXXXX";

static const char *
at(const char *name)
{
	static char path[64][256];
	static int i;

	i = (i + 1) % 64;
	snprintf(path[i], sizeof(path[i]), "%s/%s", dir, name);
	return path[i];
}

static int
exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/* ---- fixtures ---------------------------------------------------- */

static void
text(cairo_t *cr, const char *tag, double x, double y, const char *s)
{
	cairo_tag_begin(cr, tag, "");
	cairo_move_to(cr, x, y);
	cairo_show_text(cr, s);
	cairo_tag_end(cr, tag);
}

/* Tagged, by cairo: A4, A3 landscape, A4; links to a named destination
 * and to a web page; an outline two deep. */
static void
make_tagged(const char *path)
{
	cairo_surface_t *s = cairo_pdf_surface_create(path, 595.28, 841.89);
	cairo_t *cr = cairo_create(s);
	int costs;

	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE,
	    "Action plan");
	cairo_select_font_face(cr, "Liberation Sans", CAIRO_FONT_SLANT_NORMAL,
	    CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(cr, 14);
	cairo_tag_begin(cr, "Document", "");
	text(cr, "H1", 72, 72, "Action plan");
	cairo_tag_begin(cr, "P", "");
	cairo_move_to(cr, 72, 100);
	cairo_tag_begin(cr, CAIRO_TAG_LINK, "dest='costs'");
	cairo_show_text(cr, "See the costs");
	cairo_tag_end(cr, CAIRO_TAG_LINK);
	cairo_tag_end(cr, "P");
	cairo_tag_begin(cr, "P", "");
	cairo_move_to(cr, 72, 130);
	cairo_tag_begin(cr, CAIRO_TAG_LINK, "uri='https://example.org/plan'");
	cairo_show_text(cr, "example.org/plan");
	cairo_tag_end(cr, CAIRO_TAG_LINK);
	cairo_tag_end(cr, "P");
	cairo_pdf_surface_add_outline(s, CAIRO_PDF_OUTLINE_ROOT, "Plan",
	    "page=1", 0);
	costs = cairo_pdf_surface_add_outline(s, CAIRO_PDF_OUTLINE_ROOT, "Costs",
	    "dest='costs'", 0);
	cairo_pdf_surface_add_outline(s, costs, "Detail", "page=3", 0);
	cairo_show_page(cr);
	cairo_pdf_surface_set_size(s, 1190.55, 841.89);
	cairo_tag_begin(cr, CAIRO_TAG_DEST, "name='costs'");
	text(cr, "H1", 72, 72, "Costs by ward");
	cairo_tag_end(cr, CAIRO_TAG_DEST);
	text(cr, "P", 72, 100, "Row one of the wide table");
	cairo_show_page(cr);
	cairo_pdf_surface_set_size(s, 595.28, 841.89);
	text(cr, "P", 72, 72, "The last page of the plan");
	cairo_tag_end(cr, "Document");
	cairo_show_page(cr);
	cairo_destroy(cr);
	cairo_surface_finish(s);
	assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
	cairo_surface_destroy(s);
}

/* Untagged, by hand: a cropped page turned a quarter, a page in a user
 * unit of 2, a font not embedded, a title in UTF-16. */
static void
make_untagged(const char *path)
{
	struct raw r = { { 0 }, 0 };
	int cat = raw_reserve(&r), pages = raw_reserve(&r);
	int font = raw_add(&r, "<< /Type /Font /Subtype /Type1 /BaseFont "
	    "/Helvetica >>");
	int c1 = raw_stream(&r, "", "BT /F1 24 Tf 72 600 Td (Ward map) Tj ET");
	int c2 = raw_stream(&r, "", "BT /F1 12 Tf 20 300 Td (Key to the map) "
	    "Tj ET");
	int link = raw_add(&r, "<< /Type /Annot /Subtype /Link /Rect [72 590 "
	    "300 630] /A << /S /URI /URI (https://example.org/map) >> >>");
	int info = raw_add(&r, "<< /Title <FEFF0050006C0061006E0020006600FC0072"
	    "00200053007400720061 00DF0065006E> >>");

	/* It claims PDF/A-1b the short way, in attributes (as Ghostscript
	 * writes it): the probe reads the claim, it does not judge it. */
	int xmp = raw_stream(&r, "/Type /Metadata /Subtype /XML",
	    "<?xpacket begin='' id='W5M0MpCehiHzreSzNTczkc9d'?><x:xmpmeta "
	    "xmlns:x='adobe:ns:meta/'><rdf:RDF xmlns:rdf='http://www.w3.org/"
	    "1999/02/22-rdf-syntax-ns#'><rdf:Description rdf:about='' "
	    "xmlns:pdfaid='http://www.aiim.org/pdfa/ns/id/' pdfaid:part='1' "
	    "pdfaid:conformance='B'/></rdf:RDF></x:xmpmeta><?xpacket "
	    "end='r'?>");

	raw_set(&r, cat, "<< /Type /Catalog /Pages %d 0 R /Metadata %d 0 R >>",
	    pages, xmp);
	raw_set(&r, pages, "<< /Type /Pages /Kids [%d 0 R %d 0 R] /Count 2 "
	    "/Resources << /Font << /F1 %d 0 R >> >> /Rotate 90 >>", r.n + 1,
	    r.n + 2, font);
	raw_add(&r, "<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] "
	    "/CropBox [36 36 576 756] /Contents %d 0 R /Annots [%d 0 R] >>",
	    pages, c1, link);
	raw_add(&r, "<< /Type /Page /Parent %d 0 R /MediaBox [0 0 300 400] "
	    "/UserUnit 2 /Rotate 0 /Contents %d 0 R >>", pages, c2);
	char tr[32];
	snprintf(tr, sizeof(tr), "/Info %d 0 R", info);
	assert_int_equal(raw_write(&r, path, cat, tr), 0);
}

/* Tagged, by hand, with everything a pack must not carry: scripts on
 * open, on the page, on a link and a form field; a launch; a javascript:
 * URI; a link to a destination that is not there; a named destination
 * in the old /Dests dictionary; its own role and class maps and German
 * as its language. */
static void
make_hostile(const char *path)
{
	struct raw r = { { 0 }, 0 };
	int cat = raw_reserve(&r), pages = raw_reserve(&r), page = raw_reserve(&r);
	int font = raw_add(&r, "<< /Type /Font /Subtype /Type1 /BaseFont "
	    "/Helvetica >>");
	int c = raw_stream(&r, "", "/Heading1 <</MCID 0>> BDC BT /F1 18 Tf 72 "
	    "720 Td (Einleitung) Tj ET EMC /P <</MCID 1>> BDC BT /F1 12 Tf 72 690 "
	    "Td (Siehe oben) Tj ET EMC");
	int str = raw_reserve(&r), doc = raw_reserve(&r);
	int h = raw_reserve(&r), p = raw_reserve(&r), le = raw_reserve(&r);
	int l1 = raw_add(&r, "<< /Type /Annot /Subtype /Link /Rect [72 680 200 "
	    "700] /Dest /intro /StructParent 1 /P %d 0 R >>", page);
	int l2 = raw_add(&r, "<< /Type /Annot /Subtype /Link /Rect [72 650 200 "
	    "670] /A << /S /JavaScript /JS (app.alert\\(1\\)) >> /StructParent 2 "
	    ">>");
	int l3 = raw_add(&r, "<< /Type /Annot /Subtype /Link /Rect [72 620 200 "
	    "640] /A << /S /Launch /F (calc.exe) >> >>");
	int l4 = raw_add(&r, "<< /Type /Annot /Subtype /Link /Rect [72 590 200 "
	    "610] /A << /S /GoTo /D (nowhere) >> >>");
	int l5 = raw_add(&r, "<< /Type /Annot /Subtype /Link /Rect [72 560 200 "
	    "580] /A << /S /URI /URI (javascript:alert\\(2\\)) >> >>");
	int field = raw_reserve(&r);
	int w = raw_add(&r, "<< /Type /Annot /Subtype /Widget /Rect [300 700 400 "
	    "720] /Parent %d 0 R /P %d 0 R >>", field, page);
	int js = raw_add(&r, "<< /S /JavaScript /JS (this.print\\(\\)) >>");
	int o1 = raw_reserve(&r), o2 = raw_reserve(&r), out = raw_reserve(&r);

	raw_set(&r, field, "<< /FT /Tx /T (name) /Kids [%d 0 R] /AA << /K << /S "
	    "/JavaScript /JS (1) >> >> >>", w);
	raw_set(&r, cat, "<< /Type /Catalog /Pages %d 0 R /MarkInfo << /Marked "
	    "true >> /StructTreeRoot %d 0 R /Lang (de-DE) /OpenAction %d 0 R "
	    "/Names << /JavaScript << /Names [(a) %d 0 R] >> >> /Dests << /intro "
	    "[%d 0 R /Fit] >> /Outlines %d 0 R /AcroForm << /Fields [%d 0 R] >> "
	    ">>", pages, str, js, js, page, out, field);
	raw_set(&r, pages, "<< /Type /Pages /Kids [%d 0 R] /Count 1 >>", page);
	raw_set(&r, page, "<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] "
	    "/Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R "
	    "/StructParents 0 /Annots [%d 0 R %d 0 R %d 0 R %d 0 R %d 0 R %d 0 R] "
	    "/AA << /O %d 0 R >> >>", pages, font, c, l1, l2, l3, l4, l5, w, js);
	raw_set(&r, str, "<< /Type /StructTreeRoot /K [%d 0 R] /ParentTree << "
	    "/Nums [0 [%d 0 R %d 0 R] 1 %d 0 R 2 %d 0 R] >> /ParentTreeNextKey 3 "
	    "/RoleMap << /Heading1 /H1 /Custom /H2 >> /ClassMap << /Big << /O "
	    "/Layout /TextAlign /Center >> >> >>", doc, h, p, le, le);
	raw_set(&r, doc, "<< /Type /StructElem /S /Document /P %d 0 R /K [%d 0 R "
	    "%d 0 R %d 0 R] >>", str, h, p, le);
	raw_set(&r, h, "<< /Type /StructElem /S /Heading1 /P %d 0 R /Pg %d 0 R "
	    "/K 0 /C /Big >>", doc, page);
	raw_set(&r, p, "<< /Type /StructElem /S /P /P %d 0 R /Pg %d 0 R /K 1 >>",
	    doc, page);
	raw_set(&r, le, "<< /Type /StructElem /S /Link /P %d 0 R /Pg %d 0 R /K "
	    "[<< /Type /OBJR /Obj %d 0 R >> << /Type /OBJR /Obj %d 0 R >>] >>",
	    doc, page, l1, l2);
	raw_set(&r, o1, "<< /Title (Einleitung) /Parent %d 0 R /Dest /intro "
	    "/Next %d 0 R >>", out, o2);
	raw_set(&r, o2, "<< /Title (Drucken) /Parent %d 0 R /Prev %d 0 R /A %d 0 "
	    "R >>", out, o1, js);
	raw_set(&r, out, "<< /Type /Outlines /First %d 0 R /Last %d 0 R /Count 2 "
	    ">>", o1, o2);
	assert_int_equal(raw_write(&r, path, cat, NULL), 0);
}

/* A one-page PDF of its own kind: no pages, a broken content stream. */
static void
make_empty(const char *path)
{
	struct raw r = { { 0 }, 0 };
	int cat = raw_reserve(&r), pages = raw_reserve(&r);

	raw_set(&r, cat, "<< /Type /Catalog /Pages %d 0 R >>", pages);
	raw_set(&r, pages, "<< /Type /Pages /Kids [] /Count 0 >>");
	assert_int_equal(raw_write(&r, path, cat, NULL), 0);
}

static void
make_bad_stream(const char *path)
{
	struct raw r = { { 0 }, 0 };
	int cat = raw_reserve(&r), pages = raw_reserve(&r);
	int c = raw_stream(&r, "/Filter /FlateDecode", "this is not deflate");

	raw_set(&r, cat, "<< /Type /Catalog /Pages %d 0 R >>", pages);
	raw_set(&r, pages, "<< /Type /Pages /Kids [%d 0 R] /Count 1 >>", r.n + 1);
	raw_add(&r, "<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] "
	    "/Contents %d 0 R >>", pages, c);
	assert_int_equal(raw_write(&r, path, cat, NULL), 0);
}

static void
write_file(const char *path, const void *data, size_t n)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

static void
run(const char *cmd)
{
	assert_int_equal(system(cmd), 0);
}

/* The three appendices and a base for them; probes give the sizes. */
static struct merge_part parts[3];
/* Part A's probe, kept: its merge takes the file it opened. */
static struct merge_probe probe_a;

static void
make_pack(const char *base)
{
	struct merge_probe pa, pb, pc;
	struct base_page pg[8];
	struct base_part bp[3] = {
		{ "Appendix A: Action plan", 1, 1 },
		{ "Appendix B: Ward map", 5, 2 },
		{ "Appendix C: Hostile", 7, 3 },
	};
	struct diags d;
	int i;

	for (i = 0; i < 3; i++)
		free((char *)parts[i].path);
	make_tagged(at("a.pdf"));
	make_untagged(at("b.pdf"));
	make_hostile(at("c.pdf"));
	diags_init(&d);
	assert_int_equal(merge_probe(at("a.pdf"), "pack.xml", 10, &pa, &d), 0);
	assert_int_equal(merge_probe(at("b.pdf"), "pack.xml", 11, &pb, &d), 0);
	assert_int_equal(merge_probe(at("c.pdf"), "pack.xml", 12, &pc, &d), 0);
	assert_int_equal(d.n, 0);
	pg[0] = (struct base_page){ 595.28, 841.89, "Report text" };
	for (i = 0; i < 3; i++)
		pg[1 + i] = (struct base_page){ pa.size[i][0], pa.size[i][1], NULL };
	pg[4] = (struct base_page){ 595.28, 841.89, "Between" };
	for (i = 0; i < 2; i++)
		pg[5 + i] = (struct base_page){ pb.size[i][0], pb.size[i][1], NULL };
	pg[7] = (struct base_page){ pc.size[0][0], pc.size[0][1], NULL };
	assert_int_equal(base_write(base, pg, 8, bp, 3, 2), 0);
	parts[0] = (struct merge_part){ at("a.pdf"), "pack.xml", 10, 1, 3,
	    "Appendix A: Action plan", 1, NULL, &probe_a };
	merge_probe_free(&probe_a);
	probe_a = pa;
	pa.handle = NULL;
	pa.size = NULL;
	pa.title = NULL;
	parts[1] = (struct merge_part){ at("b.pdf"), "pack.xml", 11, 5, 2,
	    "Appendix B: Ward map", 2, "Appendix B, page %d of %d: a PDF "
	    "without tags; ask the clerk for an accessible copy", NULL };
	parts[2] = (struct merge_part){ at("c.pdf"), "pack.xml", 12, 7, 1,
	    "Appendix C: Hostile", 3, NULL, NULL };
	/* merge_write reads the paths later: keep them */
	for (i = 0; i < 3; i++)
		parts[i].path = strdup(parts[i].path);
	merge_probe_free(&pa);
	merge_probe_free(&pb);
	merge_probe_free(&pc);
	diags_clear(&d);
}

/* ---- reading the output back ------------------------------------- */

static qpdf_data
rd(const char *path)
{
	qpdf_data q = qpdf_init();

	qpdf_silence_errors(q);
	qpdf_set_suppress_warnings(q, QPDF_TRUE);
	assert_int_equal(qpdf_read(q, path, NULL) & QPDF_ERRORS, 0);
	assert_false(qpdf_more_warnings(q));
	return q;
}

static qpdf_oh
key(qpdf_data q, qpdf_oh o, const char *k)
{
	return qpdf_oh_get_key(q, o, k);
}

static int
same(qpdf_data q, qpdf_oh a, qpdf_oh b)
{
	return qpdf_oh_get_object_id(q, a) != 0 &&
	    qpdf_oh_get_object_id(q, a) == qpdf_oh_get_object_id(q, b);
}

static int
page_no(qpdf_data q, qpdf_oh o)
{
	int i, n = qpdf_get_num_pages(q);

	for (i = 0; i < n; i++)
		if (same(q, o, qpdf_get_page_n(q, (size_t)i)))
			return i;
	return -1;
}

static const char *
str(qpdf_data q, qpdf_oh o)
{
	return qpdf_oh_get_utf8_value(q, o);
}

static int
is_name(qpdf_data q, qpdf_oh o, const char *name)
{
	return qpdf_oh_is_name_and_equals(q, o, name);
}

/* The flat parent tree's entry for k, or null. */
static qpdf_oh
ptree(qpdf_data q, long long k)
{
	qpdf_oh nums = key(q, key(q, key(q, qpdf_get_root(q), "/StructTreeRoot"),
	    "/ParentTree"), "/Nums");
	int i, n = qpdf_oh_get_array_n_items(q, nums);

	for (i = 0; i + 1 < n; i += 2)
		if (qpdf_oh_get_int_value(q, qpdf_oh_get_array_item(q, nums, i)) == k)
			return qpdf_oh_get_array_item(q, nums, i + 1);
	return qpdf_oh_new_null(q);
}

/* True if element e holds MCID m on page pg. */
static int
holds_mcid(qpdf_data q, qpdf_oh e, int m, qpdf_oh pg)
{
	qpdf_oh k = key(q, e, "/K");
	int i, n;

	if (qpdf_oh_is_integer(q, k))
		return qpdf_oh_get_int_value(q, k) == m && same(q, key(q, e, "/Pg"),
		    pg);
	n = qpdf_oh_is_array(q, k) ? qpdf_oh_get_array_n_items(q, k) : 0;
	for (i = 0; i < n; i++) {
		qpdf_oh c = qpdf_oh_get_array_item(q, k, i);
		if (qpdf_oh_is_integer(q, c) && qpdf_oh_get_int_value(q, c) == m &&
		    same(q, key(q, e, "/Pg"), pg))
			return 1;
		if (qpdf_oh_is_dictionary(q, c) && is_name(q, key(q, c, "/Type"),
		    "/MCR") && qpdf_oh_get_int_value(q, key(q, c, "/MCID")) == m &&
		    same(q, key(q, c, "/Pg"), pg))
			return 1;
	}
	return 0;
}

/* Every MCID in page i's content maps, through its /StructParents
 * entry, to an element holding it; returns how many there were. */
static int
check_mcids(qpdf_data q, int i)
{
	qpdf_oh pg = qpdf_get_page_n(q, (size_t)i);
	qpdf_oh sp = key(q, pg, "/StructParents"), arr;
	unsigned char *buf;
	size_t len;
	char *s, *p;
	int n = 0;

	assert_int_equal(qpdf_oh_get_page_content_data(q, pg, &buf, &len) &
	    QPDF_ERRORS, 0);
	s = malloc(len + 1);
	memcpy(s, buf, len);
	s[len] = '\0';
	free(buf);
	arr = ptree(q, qpdf_oh_get_int_value(q, sp));
	for (p = s; (p = strstr(p, "/MCID ")) != NULL; p += 6) {
		int m = atoi(p + 6);
		if (!qpdf_oh_is_integer(q, sp) || !qpdf_oh_is_array(q, arr) ||
		    m >= qpdf_oh_get_array_n_items(q, arr))
			fail_msg("page %d: MCID %d has no parent tree entry", i + 1, m);
		if (!holds_mcid(q, qpdf_oh_get_array_item(q, arr, m), m, pg))
			fail_msg("page %d: MCID %d not held by its element", i + 1, m);
		n++;
	}
	free(s);
	return n;
}

/* The parent tree entry of each annotation with a /StructParent is an
 * element with an OBJR to it. */
static void
check_annots(qpdf_data q, int i)
{
	qpdf_oh pg = qpdf_get_page_n(q, (size_t)i), an = key(q, pg, "/Annots");
	int j, n = qpdf_oh_is_array(q, an) ? qpdf_oh_get_array_n_items(q, an) : 0;

	for (j = 0; j < n; j++) {
		qpdf_oh a = qpdf_oh_get_array_item(q, an, j), e, k;
		int found = 0, x;
		assert_true(same(q, key(q, a, "/P"), pg));
		if (!qpdf_oh_has_key(q, a, "/StructParent"))
			continue;
		e = ptree(q, qpdf_oh_get_int_value(q, key(q, a, "/StructParent")));
		k = key(q, e, "/K");
		for (x = 0; x < qpdf_oh_get_array_n_items(q, k); x++)
			found |= same(q, key(q, qpdf_oh_get_array_item(q, k, x), "/Obj"),
			    a);
		if (!found)
			fail_msg("page %d: annotation %d not tied to its element", i + 1,
			    j);
	}
}

/* The text pdftotext finds on page i (1-based). */
static char *
page_text(const char *pdf, int i)
{
	char cmd[512];
	static char out[4096];
	size_t n;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "pdftotext -q -f %d -l %d '%s' -", i, i, pdf);
	assert_non_null(p = popen(cmd, "r"));
	n = fread(out, 1, sizeof(out) - 1, p);
	out[n] = '\0';
	assert_int_equal(pclose(p), 0);
	return out;
}

/* The output with every stream uncompressed, as one string. */
static char *
qdf_text(const char *pdf)
{
	char cmd[512], *s;
	FILE *f;
	long n;

	snprintf(cmd, sizeof(cmd), "qpdf --qdf --object-streams=disable '%s' "
	    "'%s.qdf'", pdf, pdf);
	run(cmd);
	snprintf(cmd, sizeof(cmd), "%s.qdf", pdf);
	assert_non_null(f = fopen(cmd, "rb"));
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	s = calloc(1, (size_t)n + 1);
	assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	unlink(cmd);
	return s;
}

static qpdf_oh
outline_child(qpdf_data q, qpdf_oh parent, const char *title)
{
	qpdf_oh c;
	int guard = 0;

	for (c = key(q, parent, "/First"); qpdf_oh_is_dictionary(q, c) &&
	    guard++ < 100; c = key(q, c, "/Next"))
		if (strcmp(str(q, key(q, c, "/Title")), title) == 0)
			return c;
	fail_msg("no outline item \"%s\"", title);
	return c;
}

static qpdf_oh
dest_page(qpdf_data q, qpdf_oh item)
{
	return qpdf_oh_get_array_item(q, key(q, item, "/Dest"), 0);
}

static double
num(qpdf_data q, qpdf_oh arr, int i)
{
	return qpdf_oh_get_numeric_value(q, qpdf_oh_get_array_item(q, arr, i));
}

/* Prints what a call said, for a failing test's log. */
static void
show(const struct diags *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		fprintf(stderr, "diag: %s:%d: %s\n", d->v[i].file ? d->v[i].file :
		    "-", d->v[i].line, d->v[i].message);
}

/* ---- tests --------------------------------------------------------- */

static void
test_probe_tagged(void **state)
{
	struct merge_probe p;
	struct diags d;

	(void)state;
	make_tagged(at("pa.pdf"));
	diags_init(&d);
	assert_int_equal(merge_probe(at("pa.pdf"), "pack.xml", 3, &p, &d), 0);
	assert_int_equal(d.n, 0);
	assert_int_equal(p.pages, 3);
	assert_true(fabs(p.size[0][0] - 595.28) < 0.01);
	assert_true(fabs(p.size[0][1] - 841.89) < 0.01);
	assert_true(fabs(p.size[1][0] - 1190.55) < 0.01);
	assert_true(fabs(p.size[1][1] - 841.89) < 0.01);
	assert_int_equal(p.tagged, 1);
	assert_int_equal(p.untagged_fonts, 0);
	assert_int_equal(p.pdfa_part, 0);     /* cairo claims no PDF/A */
	assert_int_equal(p.pdfa_conformance, 0);
	assert_string_equal(p.title, "Action plan");
	merge_probe_free(&p);
	assert_null(p.size);
	diags_clear(&d);
}

static void
test_probe_untagged(void **state)
{
	struct merge_probe p;
	struct diags d;

	(void)state;
	make_untagged(at("pb.pdf"));
	diags_init(&d);
	if (merge_probe(at("pb.pdf"), "pack.xml", 3, &p, &d) != 0)
		fail_msg("%s", d.v[0].message);
	assert_int_equal(p.pages, 2);
	/* CropBox 540 x 720 turned a quarter (the /Rotate inherited) */
	assert_true(fabs(p.size[0][0] - 720) < 0.01);
	assert_true(fabs(p.size[0][1] - 540) < 0.01);
	/* 300 x 400 in units of 2 pt */
	assert_true(fabs(p.size[1][0] - 600) < 0.01);
	assert_true(fabs(p.size[1][1] - 800) < 0.01);
	assert_int_equal(p.tagged, 0);
	assert_int_equal(p.untagged_fonts, 1);
	assert_int_equal(p.pdfa_part, 1);
	assert_int_equal(p.pdfa_conformance, 'B');
	assert_string_equal(p.title, "Plan f\xc3\xbcr Stra\xc3\x9f" "en");
	merge_probe_free(&p);
	diags_clear(&d);
}

/* path is refused with exactly msg (after 'appendix "path" '). */
static void
refused(const char *path, const char *msg)
{
	struct merge_probe p;
	struct diags d;
	char want[1024];

	diags_init(&d);
	assert_int_equal(merge_probe(path, "pack.xml", 41, &p, &d), -1);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.errors, 1);
	assert_string_equal(d.v[0].file, "pack.xml");
	assert_int_equal(d.v[0].line, 41);
	snprintf(want, sizeof(want), "appendix \"%s\" %s", path, msg);
	assert_string_equal(d.v[0].message, want);
	assert_null(p.size);
	assert_null(p.title);
	diags_clear(&d);
}

static void
test_probe_refusals(void **state)
{
	char cmd[1024];
	FILE *f;
	long n;
	char *buf;
	int fd;

	(void)state;
	write_file(at("text.pdf"), "Minutes of the meeting\n", 23);
	refused(at("text.pdf"), "is not a PDF (it has no %PDF- header); export "
	    "it as PDF from the program that made it");
	refused(at("missing.pdf"), "cannot be opened (No such file or "
	    "directory); check its name in the pack definition");
	refused(dir, "is a folder, not a PDF file; name the PDF file itself");

	/* cut short: the cross-reference table is gone */
	make_tagged(at("whole.pdf"));
	assert_non_null(f = fopen(at("whole.pdf"), "rb"));
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	write_file(at("cut.pdf"), buf, (size_t)n / 2);
	free(buf);
	{
		struct merge_probe p;
		struct diags d;
		diags_init(&d);
		assert_int_equal(merge_probe(at("cut.pdf"), "pack.xml", 41, &p, &d),
		    -1);
		assert_int_equal(d.n, 1);
		snprintf(cmd, sizeof(cmd), "appendix \"%s\" is damaged (qpdf: ",
		    at("cut.pdf"));
		assert_true(strncmp(d.v[0].message, cmd, strlen(cmd)) == 0);
		assert_non_null(strstr(d.v[0].message, "); open it in the program "
		    "that made it and export it again as PDF"));
		diags_clear(&d);
	}
	make_bad_stream(at("badz.pdf"));
	{
		struct merge_probe p;
		struct diags d;
		diags_init(&d);
		assert_int_equal(merge_probe(at("badz.pdf"), "pack.xml", 41, &p, &d),
		    -1);
		assert_non_null(strstr(d.v[0].message, "is damaged (qpdf: "));
		diags_clear(&d);
	}

	snprintf(cmd, sizeof(cmd), "qpdf --encrypt secret owner 256 -- '%s' "
	    "'%s'", at("whole.pdf"), at("locked.pdf"));
	run(cmd);
	refused(at("locked.pdf"), "needs a password to open; a published pack "
	    "cannot hold it, so ask its author for a copy saved without a "
	    "password");
	snprintf(cmd, sizeof(cmd), "qpdf --encrypt '' owner 256 -- '%s' '%s'",
	    at("whole.pdf"), at("open.pdf"));
	run(cmd);
	refused(at("open.pdf"), "is encrypted; a published pack cannot hold it, "
	    "so ask its author for a copy saved without a password or "
	    "restrictions");

	make_empty(at("empty.pdf"));
	refused(at("empty.pdf"), "has no pages; export it again, or take it out "
	    "of the pack");
	merge_max_pages = 2;
	refused(at("whole.pdf"), "has 3 pages; an appendix may have at most 2, "
	    "so split it into several items");
	merge_max_pages = MERGE_MAX_PAGES;

	/* 600 MiB without writing them: a hole */
	fd = open(at("huge.pdf"), O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "%PDF-1.7\n", 9), 9);
	assert_int_equal(ftruncate(fd, 600L << 20), 0);
	close(fd);
	refused(at("huge.pdf"), "is 600 MiB; an appendix may be at most 512 MiB, "
	    "so split it or export it again with smaller pictures");
	unlink(at("huge.pdf"));
}

static void
test_merge_pack(void **state)
{
	const char *base = at("base.pdf"), *out = at("pack.pdf");
	struct diags d;
	qpdf_data q;
	qpdf_oh root, outl, a, costs, st, sect[3], k, res;
	char *qdf;
	int i;

	(void)state;
	make_pack(base);
	diags_init(&d);
	show(&d);
	assert_int_equal(merge_write(base, parts, 3, out, &d), 0);
	show(&d);
	assert_int_equal(d.errors, 0);
	/* the hostile appendix: its scripts and the dead link, told */
	assert_int_equal(d.n, 2);
	assert_string_equal(d.v[0].file, "pack.xml");
	assert_int_equal(d.v[0].line, 12);
	assert_non_null(strstr(d.v[0].message, "c.pdf\": 5 scripts, form "
	    "actions or media that a published pack cannot carry were removed; "
	    "check that it reads the same without them"));
	assert_non_null(strstr(d.v[1].message, "c.pdf\": 1 links lead to places "
	    "not in the file and were removed; fix them where it was made"));
	diags_clear(&d);

	q = rd(out);
	root = qpdf_get_root(q);
	assert_int_equal(qpdf_get_num_pages(q), 8);
	/* order: the text of each page, and the pack's footer stamped on */
	assert_non_null(strstr(page_text(out, 1), "Report text"));
	assert_non_null(strstr(page_text(out, 2), "Action plan"));
	assert_non_null(strstr(page_text(out, 3), "Costs by ward"));
	assert_non_null(strstr(page_text(out, 4), "The last page"));
	assert_non_null(strstr(page_text(out, 5), "Between"));
	assert_non_null(strstr(page_text(out, 6), "Ward map"));
	assert_non_null(strstr(page_text(out, 7), "Key to the map"));
	assert_non_null(strstr(page_text(out, 8), "Einleitung"));
	for (i = 1; i <= 8; i++) {
		char want[32];
		snprintf(want, sizeof(want), "Pack page %d", i);
		if (strstr(page_text(out, i), want) == NULL)
			fail_msg("page %d: no footer \"%s\"", i, want);
	}
	/* sizes kept: the A3 landscape page */
	k = key(q, qpdf_get_page_n(q, 2), "/MediaBox");
	assert_true(fabs(num(q, k, 2) - num(q, k, 0) - 1190.55) < 0.01);
	assert_true(fabs(num(q, k, 3) - num(q, k, 1) - 841.89) < 0.01);
	/* each appendix page: its content in q/Q, then the stamp */
	for (i = 1; i < 8; i++) {
		qpdf_oh pg = qpdf_get_page_n(q, (size_t)i), c = key(q, pg, "/Contents");
		unsigned char *buf;
		size_t len;
		int nc = qpdf_oh_get_array_n_items(q, c);
		QPDF_BOOL filtered;
		if (i == 4)
			continue;
		res = key(q, key(q, key(q, pg, "/Resources"), "/XObject"), "/ScPack1");
		assert_true(is_name(q, key(q, qpdf_oh_get_dict(q, res), "/Subtype"),
		    "/Form"));
		assert_true(nc >= 3);
		assert_int_equal(qpdf_oh_get_stream_data(q, qpdf_oh_get_array_item(q,
		    c, 0), qpdf_dl_generalized, &filtered, &buf, &len) & QPDF_ERRORS,
		    0);
		if (i == 5 || i == 6)
			assert_true(len == 26 && memcmp(buf, "q\n/Figure <</MCID 0>> "
			    "BDC\n", 26) == 0);
		else
			assert_true(len == 2 && memcmp(buf, "q\n", 2) == 0);
		free(buf);
		assert_int_equal(qpdf_oh_get_stream_data(q, qpdf_oh_get_array_item(q,
		    c, nc - 1), qpdf_dl_generalized, &filtered, &buf, &len) &
		    QPDF_ERRORS, 0);
		buf = realloc(buf, len + 1);
		buf[len] = '\0';
		assert_non_null(strstr((char *)buf, "Q\nq\n"));
		assert_non_null(strstr((char *)buf, "/ScPack1 Do\nQ"));
		free(buf);
	}

	/* links: the base's own now leads to the A3 page; the appendix's to
	 * its named destination, resolved */
	k = qpdf_oh_get_array_item(q, key(q, qpdf_get_page_n(q, 0), "/Annots"), 0);
	assert_int_equal(page_no(q, qpdf_oh_get_array_item(q, key(q, k, "/Dest"),
	    0)), 2);
	{
		qpdf_oh an = key(q, qpdf_get_page_n(q, 1), "/Annots");
		int internal = 0, web = 0;
		for (i = 0; i < qpdf_oh_get_array_n_items(q, an); i++) {
			qpdf_oh l = qpdf_oh_get_array_item(q, an, i);
			qpdf_oh dst = key(q, l, "/Dest");
			if (qpdf_oh_is_array(q, dst)) {
				assert_int_equal(page_no(q, qpdf_oh_get_array_item(q, dst, 0)),
				    2);
				internal++;
				assert_string_equal(str(q, key(q, l, "/Contents")),
				    "Link to page 2 of this appendix");
			} else if (strcmp(str(q, key(q, key(q, l, "/A"), "/URI")),
			    "https://example.org/plan") == 0) {
				assert_string_equal(str(q, key(q, l, "/Contents")),
				    "Link to https://example.org/plan");
				web++;
			}
		}
		assert_int_equal(internal, 1);
		assert_int_equal(web, 1);
	}
	/* the hostile page: one link left, to its named destination */
	k = key(q, qpdf_get_page_n(q, 7), "/Annots");
	assert_int_equal(qpdf_oh_get_array_n_items(q, k), 2); /* link, widget */
	assert_int_equal(page_no(q, qpdf_oh_get_array_item(q, key(q,
	    qpdf_oh_get_array_item(q, k, 0), "/Dest"), 0)), 7);

	/* outline: under the right item (not the decoy), counts fixed */
	outl = key(q, root, "/Outlines");
	a = outline_child(q, outl, "Appendix A: Action plan");
	assert_int_equal(page_no(q, dest_page(q, a)), 1);
	assert_false(qpdf_oh_has_key(q, key(q, outline_child(q, outl, "Report"),
	    "/First"), "/First"));
	assert_true(same(q, key(q, outline_child(q, a, "Plan"), "/Parent"), a));
	costs = outline_child(q, a, "Costs");
	assert_true(same(q, key(q, costs, "/Prev"), outline_child(q, a, "Plan")));
	assert_true(same(q, key(q, a, "/Last"), costs));
	assert_int_equal(page_no(q, dest_page(q, costs)), 2);
	assert_int_equal(page_no(q, dest_page(q, outline_child(q, costs,
	    "Detail"))), 3);
	assert_int_equal(qpdf_oh_get_int_value(q, key(q, a, "/Count")), -2);
	assert_int_equal(qpdf_oh_get_int_value(q, key(q, costs, "/Count")), -1);
	k = outline_child(q, outl, "Appendix C: Hostile");
	assert_int_equal(page_no(q, dest_page(q, outline_child(q, k,
	    "Einleitung"))), 7);
	/* its script gone, "Drucken" led nowhere: left out */
	assert_true(same(q, key(q, k, "/First"), key(q, k, "/Last")));
	/* Report (its decoy inside) + the three appendices, shown */
	assert_int_equal(qpdf_oh_get_int_value(q, key(q, outl, "/Count")), 5);

	/* structure */
	st = key(q, root, "/StructTreeRoot");
	k = key(q, key(q, st, "/K"), "/K");
	{
		int ns = 0;
		for (i = 0; i < qpdf_oh_get_array_n_items(q, k); i++) {
			qpdf_oh e = qpdf_oh_get_array_item(q, k, i);
			if (is_name(q, key(q, e, "/S"), "/Sect") && ns < 3)
				sect[ns++] = e;
		}
		assert_int_equal(ns, 3);
	}
	assert_string_equal(str(q, key(q, sect[0], "/T")), "Appendix A: Action plan");
	assert_int_equal(page_no(q, key(q, sect[0], "/Pg")), 1);
	{
		qpdf_oh g = qpdf_oh_get_array_item(q, key(q, sect[0], "/K"), 0);
		assert_true(same(q, key(q, g, "/P"), sect[0]));
		assert_true(is_name(q, key(q, g, "/S"), "/Part"));
		assert_false(qpdf_oh_has_key(q, g, "/Lang"));
		g = qpdf_oh_get_array_item(q, key(q, sect[2], "/K"), 0);
		assert_true(same(q, key(q, g, "/P"), sect[2]));
		assert_string_equal(str(q, key(q, g, "/Lang")), "de-DE");
	}
	for (i = 0; i < 8; i++) {
		int n = check_mcids(q, i);
		if (i != 0 && i != 4 && n == 0)
			fail_msg("page %d: no MCIDs", i + 1);
		check_annots(q, i);
	}
	/* untagged: a Figure a page, with the caller's words */
	{
		qpdf_oh fig = qpdf_oh_get_array_item(q, ptree(q, qpdf_oh_get_int_value(q,
		    key(q, qpdf_get_page_n(q, 6), "/StructParents"))), 0);
		assert_true(is_name(q, key(q, fig, "/S"), "/Figure"));
		assert_true(same(q, key(q, fig, "/P"), sect[1]));
		assert_string_equal(str(q, key(q, fig, "/Alt")), "Appendix B, page 2 "
		    "of 2: a PDF without tags; ask the clerk for an accessible copy");
	}
	/* the hostile Link element keeps its one kept link */
	{
		qpdf_oh part = qpdf_oh_get_array_item(q, key(q, sect[2], "/K"), 0);
		qpdf_oh le = qpdf_oh_get_array_item(q, key(q, part, "/K"), 2);
		assert_true(is_name(q, key(q, le, "/S"), "/Link"));
		assert_int_equal(qpdf_oh_get_array_n_items(q, key(q, le, "/K")), 1);
	}
	/* role and class maps merged, the base winning */
	k = key(q, st, "/RoleMap");
	assert_true(is_name(q, key(q, k, "/Custom"), "/P"));
	assert_true(is_name(q, key(q, k, "/Heading1"), "/H1"));
	assert_true(qpdf_oh_is_dictionary(q, key(q, key(q, st, "/ClassMap"),
	    "/Big")));
	/* the parent tree: flat, sorted, its next key past the last */
	{
		qpdf_oh nums = key(q, key(q, st, "/ParentTree"), "/Nums");
		long long last = -1;
		for (i = 0; i < qpdf_oh_get_array_n_items(q, nums); i += 2) {
			long long kk = qpdf_oh_get_int_value(q,
			    qpdf_oh_get_array_item(q, nums, i));
			assert_true(kk > last);
			last = kk;
		}
		assert_true(qpdf_oh_get_int_value(q, key(q, st,
		    "/ParentTreeNextKey")) > last);
	}
	/* the base's catalog kept */
	assert_string_equal(str(q, key(q, root, "/Lang")), "en-GB");
	assert_true(qpdf_oh_get_bool_value(q, key(q, key(q, root, "/MarkInfo"),
	    "/Marked")));
	assert_true(qpdf_oh_is_stream(q, key(q, root, "/Metadata")));
	assert_true(is_name(q, key(q, root, "/PageMode"), "/UseOutlines"));
	assert_true(qpdf_oh_is_dictionary(q, key(q, root, "/PageLabels")));
	assert_true(qpdf_oh_is_dictionary(q, key(q, root, "/ViewerPreferences")));
	assert_false(qpdf_oh_has_key(q, root, "/OpenAction"));
	assert_false(qpdf_oh_has_key(q, root, "/AcroForm"));
	assert_true(strcmp(qpdf_get_pdf_version(q), "1.7") >= 0);
	qpdf_cleanup(&q);

	qdf = qdf_text(out);
	assert_null(strstr(qdf, "/ScGraft"));
	assert_null(strstr(qdf, "/JavaScript"));
	assert_null(strstr(qdf, "/JS"));
	assert_null(strstr(qdf, "/Launch"));
	assert_null(strstr(qdf, "/AA"));
	assert_null(strstr(qdf, "javascript:"));
	assert_null(strstr(qdf, "calc.exe"));
	free(qdf);
}

static void
test_merge_deterministic(void **state)
{
	const char *base = at("base2.pdf");
	struct diags d;
	char cmd[1024];

	(void)state;
	make_pack(base);
	diags_init(&d);
	if (merge_write(base, parts, 3, at("one.pdf"), &d) != 0)
		show(&d);
	assert_int_equal(d.errors, 0);
	assert_int_equal(merge_write(base, parts, 3, at("two.pdf"), &d), 0);
	assert_int_equal(d.errors, 0);
	snprintf(cmd, sizeof(cmd), "cmp -s '%s' '%s'", at("one.pdf"),
	    at("two.pdf"));
	run(cmd);
	diags_clear(&d);
}

/* A part whose outline item is not in the base: its outline goes at
 * the end of the top level. */
static void
test_merge_outline_fallback(void **state)
{
	const char *base = at("base5.pdf"), *out = at("fallback.pdf");
	struct merge_part p[3];
	struct diags d;
	qpdf_data q;
	qpdf_oh outl, last;

	(void)state;
	make_pack(base);
	memcpy(p, parts, sizeof(p));
	p[2].outline_title = "Appendix C: renamed since";
	diags_init(&d);
	assert_int_equal(merge_write(base, p, 3, out, &d), 0);
	diags_clear(&d);
	q = rd(out);
	outl = key(q, qpdf_get_root(q), "/Outlines");
	last = key(q, outl, "/Last");
	assert_string_equal(str(q, key(q, last, "/Title")), "Einleitung");
	assert_string_equal(str(q, key(q, key(q, last, "/Prev"), "/Title")),
	    "Appendix C: Hostile");
	assert_true(same(q, key(q, last, "/Parent"), outl));
	assert_false(qpdf_oh_has_key(q, outline_child(q, outl,
	    "Appendix C: Hostile"), "/First"));
	/* Report + decoy, A, B, C, and Einleitung */
	assert_int_equal(qpdf_oh_get_int_value(q, key(q, outl, "/Count")), 6);
	qpdf_cleanup(&q);
}

/* merge_write fails with one error, msg, at file:line; no output. */
static void
merge_refused(const char *base, struct merge_part *p, size_t n,
    const char *file, int line, const char *msg)
{
	const char *out = at("refused.pdf");
	struct diags d;

	unlink(out);
	diags_init(&d);
	assert_int_equal(merge_write(base, p, n, out, &d), -1);
	show(&d);
	assert_int_equal(d.errors, 1);
	if (file)
		assert_string_equal(d.v[d.n - 1].file, file);
	else
		assert_null(d.v[d.n - 1].file);
	assert_int_equal(d.v[d.n - 1].line, line);
	assert_string_equal(d.v[d.n - 1].message, msg);
	assert_false(exists(out));
	diags_clear(&d);
}

static void
test_merge_refusals(void **state)
{
	const char *base = at("base3.pdf");
	struct merge_part p[3];
	char want[1024];

	(void)state;
	make_pack(base);
	memcpy(p, parts, sizeof(p));
	/* the file changed since the layout */
	p[0].pages = 4;
	snprintf(want, sizeof(want), "appendix \"%s\" now has 3 pages, not the 4 "
	    "it had when the pack was laid out; build the pack again", p[0].path);
	merge_refused(base, p, 3, "pack.xml", 10, want);
	/* replaced by something else */
	memcpy(p, parts, sizeof(p));
	p[1].path = at("text.pdf");
	write_file(at("text.pdf"), "Minutes\n", 8);
	snprintf(want, sizeof(want), "appendix \"%s\" is not a PDF (it has no "
	    "%%PDF- header); export it as PDF from the program that made it",
	    p[1].path);
	merge_refused(base, p, 3, "pack.xml", 11, want);
	/* a base without the section: scrutineer's own fault */
	memcpy(p, parts, sizeof(p));
	p[2].graft = 9;
	snprintf(want, sizeof(want), "the pack's base PDF \"%s\" has no element "
	    "with /ScGraft 9 for appendix \"%s\"; this is a bug in scrutineer, so "
	    "please report it", base, p[2].path);
	merge_refused(base, p, 3, "pack.xml", 12, want);
	/* placeholders past the base's end */
	memcpy(p, parts, sizeof(p));
	p[2].first = 8;
	snprintf(want, sizeof(want), "the pack's base PDF \"%s\" has too few "
	    "pages for appendix \"%s\"; this is a bug in scrutineer, so please "
	    "report it", base, p[2].path);
	merge_refused(base, p, 3, "pack.xml", 12, want);
}

/* A write that fails half way (the file size limit): told, and no
 * file left; a device is never written or removed. */
static void
test_merge_write_fails(void **state)
{
	const char *base = at("base4.pdf"), *out = at("short.pdf");
	struct rlimit old, rl;
	struct diags d;
	char want[512];
	int rc;

	(void)state;
	make_pack(base);
	diags_init(&d);
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	rl = old;
	rl.rlim_cur = 4000;
	signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &rl), 0);
	rc = merge_write(base, parts, 3, out, &d);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, SIG_DFL);
	assert_int_equal(rc, -1);
	assert_int_equal(d.errors, 1);
	snprintf(want, sizeof(want), "cannot write \"%s\" (File too large); "
	    "check that the disk has room and the folder can be written to", out);
	assert_string_equal(d.v[d.n - 1].message, want);
	assert_false(exists(out));
	diags_clear(&d);

	diags_init(&d);
	assert_int_equal(merge_write(base, parts, 3, "/dev/null", &d), -1);
	assert_string_equal(d.v[d.n - 1].message, "cannot write \"/dev/null\": "
	    "it is not a regular file; name a file for the pack");
	assert_true(exists("/dev/null"));
	diags_clear(&d);
}

static int
setup(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int
teardown(void **state)
{
	char cmd[300];
	int i;

	(void)state;
	for (i = 0; i < 3; i++)
		free((char *)parts[i].path);
	merge_probe_free(&probe_a);
	/* cairo's toy text API holds fontconfig's default set: let go of it
	 * for LeakSanitizer */
	cairo_debug_reset_static_data();
	FcFini();
	/* KEEP=1: the files stay, to look at */
	if (getenv("KEEP"))
		return 0;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_probe_tagged),
		cmocka_unit_test(test_probe_untagged),
		cmocka_unit_test(test_probe_refusals),
		cmocka_unit_test(test_merge_pack),
		cmocka_unit_test(test_merge_deterministic),
		cmocka_unit_test(test_merge_refusals),
		cmocka_unit_test(test_merge_outline_fallback),
		cmocka_unit_test(test_merge_write_fails),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
