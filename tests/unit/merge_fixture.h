/* merge_fixture.h — PDFs written by hand for the merge tests and the
 * merge fuzzer: a tiny object writer with a correct xref (qpdf reads
 * with recovery off), and the pack's base PDF as the pack writer makes
 * it — scrutineer pages, placeholder pages holding only the footer (an
 * artifact), a tagged tree with a /ScGraft N section per part, a parent
 * tree of /Kids with /Limits, an outline, page labels and XMP. */
#ifndef SC_TEST_MERGE_FIXTURE_H
#define SC_TEST_MERGE_FIXTURE_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RAW_MAX 256

struct raw {
	char *obj[RAW_MAX]; /* object i's text (without "i 0 obj") */
	int   n;            /* objects 1..n */
};

/* The next object number, its text to be set by raw_set(). */
static inline int
raw_reserve(struct raw *r)
{
	if (r->n + 1 >= RAW_MAX)
		abort();
	return ++r->n;
}

static inline void
raw_vset(struct raw *r, int num, const char *fmt, va_list ap)
{
	va_list aq;
	int len;

	va_copy(aq, ap);
	len = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	free(r->obj[num]);
	if ((r->obj[num] = malloc((size_t)len + 1)) == NULL)
		abort();
	vsnprintf(r->obj[num], (size_t)len + 1, fmt, ap);
}

static inline void __attribute__((format(printf, 3, 4)))
raw_set(struct raw *r, int num, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	raw_vset(r, num, fmt, ap);
	va_end(ap);
}

static inline int __attribute__((format(printf, 2, 3)))
raw_add(struct raw *r, const char *fmt, ...)
{
	va_list ap;
	int num = raw_reserve(r);

	va_start(ap, fmt);
	raw_vset(r, num, fmt, ap);
	va_end(ap);
	return num;
}

/* A stream object: extra dictionary entries and its (unfiltered) data. */
static inline void
raw_set_stream(struct raw *r, int num, const char *extra, const char *data)
{
	raw_set(r, num, "<< /Length %zu %s >>\nstream\n%s\nendstream",
	    strlen(data), extra, data);
}

static inline int
raw_stream(struct raw *r, const char *extra, const char *data)
{
	int num = raw_reserve(r);

	raw_set_stream(r, num, extra, data);
	return num;
}

/* Writes the file (catalog root, trailer extra such as "/Info 9 0 R")
 * and frees the objects; 0 or -1. */
static inline int
raw_write(struct raw *r, const char *path, int root, const char *extra)
{
	long off[RAW_MAX];
	long xref;
	int i, rc;
	FILE *f = fopen(path, "wb");

	if (f == NULL)
		return -1;
	fputs("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", f);
	for (i = 1; i <= r->n; i++) {
		off[i] = ftell(f);
		fprintf(f, "%d 0 obj\n%s\nendobj\n", i, r->obj[i] ? r->obj[i] :
		    "null");
	}
	xref = ftell(f);
	fprintf(f, "xref\n0 %d\n0000000000 65535 f \n", r->n + 1);
	for (i = 1; i <= r->n; i++)
		fprintf(f, "%010ld 00000 n \n", off[i]);
	fprintf(f, "trailer\n<< /Size %d /Root %d 0 R %s >>\nstartxref\n%ld\n"
	    "%%%%EOF\n", r->n + 1, root, extra ? extra : "", xref);
	rc = ferror(f) ? -1 : 0;
	if (fclose(f) != 0)
		rc = -1;
	for (i = 1; i <= r->n; i++) {
		free(r->obj[i]);
		r->obj[i] = NULL;
	}
	r->n = 0;
	return rc;
}

/* One page of a base: a scrutineer page (text, tagged P), or a
 * placeholder of a part (footer only). */
struct base_page {
	double      w, h;   /* [pt] */
	const char *text;   /* a scrutineer page's text, NULL: a placeholder */
};

struct base_part {
	const char *title;  /* its Sect's /T and its outline item */
	int         first;  /* its first placeholder (0-based) */
	int         graft;  /* /ScGraft N */
};

/* Writes a base: pages, parts; page 0's text holds a link to page
 * link_to (0-based, a placeholder in the tests). Each page's footer is
 * "Pack page N". The outline has "Report" (page 0) with a decoy child
 * that bears part 0's title but leads to page 0, then each part's item.
 * 0 or -1. */
static inline int
base_write(const char *path, const struct base_page *pg, int npages,
    const struct base_part *parts, int nparts, int link_to)
{
	struct raw r = { { 0 }, 0 };
	int cat = raw_reserve(&r), pages = raw_reserve(&r);
	int font = raw_add(&r, "<< /Type /Font /Subtype /Type1 /BaseFont "
	    "/Helvetica /Encoding /WinAnsiEncoding >>");
	int str = raw_reserve(&r), doc = raw_reserve(&r);
	int out = raw_reserve(&r), report = raw_reserve(&r), decoy;
	int pobj[64], pel[64], sect[16], item[16], link = 0, link_elem = 0;
	int leaf1, leaf2, ptree, meta, info, i;
	char kids[2048] = "", dk[1024] = "", buf[512];
	char n1[2048] = "", n2[2048] = "";

	if (npages > 64 || nparts > 16)
		return -1;
	for (i = 0; i < npages; i++)
		pobj[i] = raw_reserve(&r);
	if (npages > 0 && pg[0].text) {
		link = raw_reserve(&r);
		link_elem = raw_reserve(&r);
		raw_set(&r, link, "<< /Type /Annot /Subtype /Link /Rect [72 690 200 "
		    "715] /Border [0 0 0] /Dest [%d 0 R /XYZ 0 %g 0] /P %d 0 R "
		    "/StructParent %d /Contents (Go to the appendix) >>",
		    pobj[link_to], pg[link_to].h, pobj[0], npages);
		raw_set(&r, link_elem, "<< /Type /StructElem /S /Link /P %d 0 R /Pg "
		    "%d 0 R /K [<< /Type /OBJR /Obj %d 0 R /Pg %d 0 R >>] >>", doc,
		    pobj[0], link, pobj[0]);
	}
	for (i = 0; i < npages; i++) {
		char content[512], annots[64] = "";
		int c;

		pel[i] = pg[i].text ? raw_add(&r, "<< /Type /StructElem /S /P /P %d "
		    "0 R /Pg %d 0 R /K 0 >>", doc, pobj[i]) : 0;
		if (pel[i]) {
			snprintf(buf, sizeof(buf), "%d 0 R ", pel[i]);
			strcat(dk, buf);
		}
		snprintf(content, sizeof(content), "%s%s%s/Artifact BMC BT /F1 9 Tf "
		    "20 20 Td (Pack page %d) Tj ET EMC",
		    pg[i].text ? "/P <</MCID 0>> BDC BT /F1 12 Tf 72 700 Td (" : "",
		    pg[i].text ? pg[i].text : "",
		    pg[i].text ? ") Tj ET EMC\n" : "", i + 1);
		c = raw_stream(&r, "", content);
		if (i == 0 && link)
			snprintf(annots, sizeof(annots), " /Annots [%d 0 R]", link);
		raw_set(&r, pobj[i], "<< /Type /Page /Parent %d 0 R /MediaBox [0 0 "
		    "%g %g] /Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R "
		    "/StructParents %d%s >>", pages, pg[i].w, pg[i].h, font, c, i,
		    annots);
		snprintf(buf, sizeof(buf), "%d 0 R ", pobj[i]);
		strcat(kids, buf);
	}
	raw_set(&r, pages, "<< /Type /Pages /Kids [%s] /Count %d >>", kids,
	    npages);
	for (i = 0; i < nparts; i++) {
		/* /Pg on a placeholder: the merge must move it too */
		sect[i] = raw_add(&r, "<< /Type /StructElem /S /Sect /T (%s) /P %d "
		    "0 R /Pg %d 0 R /ScGraft %d >>", parts[i].title, doc,
		    pobj[parts[i].first], parts[i].graft);
		snprintf(buf, sizeof(buf), "%d 0 R ", sect[i]);
		strcat(dk, buf);
	}
	if (link_elem) {
		snprintf(buf, sizeof(buf), "%d 0 R ", link_elem);
		strcat(dk, buf);
	}
	raw_set(&r, doc, "<< /Type /StructElem /S /Document /P %d 0 R /K [%s] "
	    ">>", str, dk);
	/* Two leaves, as pdf.c writes past its leaf size. */
	for (i = 0; i <= npages; i++) {
		char *n = i <= npages / 2 ? n1 : n2;
		if (i == npages)
			snprintf(buf, sizeof(buf), "%d %d 0 R ", i, link_elem);
		else if (pel[i])
			snprintf(buf, sizeof(buf), "%d [%d 0 R] ", i, pel[i]);
		else
			snprintf(buf, sizeof(buf), "%d [] ", i);
		strcat(n, buf);
	}
	leaf1 = raw_add(&r, "<< /Limits [0 %d] /Nums [%s] >>", npages / 2, n1);
	leaf2 = raw_add(&r, "<< /Limits [%d %d] /Nums [%s] >>", npages / 2 + 1,
	    npages, n2);
	ptree = raw_add(&r, "<< /Kids [%d 0 R %d 0 R] >>", leaf1, leaf2);
	raw_set(&r, str, "<< /Type /StructTreeRoot /K %d 0 R /ParentTree %d 0 R "
	    "/ParentTreeNextKey %d /RoleMap << /Custom /P >> >>", doc, ptree,
	    npages + 1);
	/* Outline: Report (with the decoy), then the parts. */
	decoy = raw_reserve(&r);
	for (i = 0; i < nparts; i++)
		item[i] = raw_reserve(&r);
	raw_set(&r, decoy, "<< /Title (%s) /Parent %d 0 R /Dest [%d 0 R /Fit] "
	    ">>", nparts ? parts[0].title : "Decoy", report, pobj[0]);
	buf[0] = '\0';
	if (nparts)
		snprintf(buf, sizeof(buf), " /Next %d 0 R", item[0]);
	raw_set(&r, report, "<< /Title (Report) /Parent %d 0 R /First %d 0 R "
	    "/Last %d 0 R /Count 1 /Dest [%d 0 R /Fit]%s >>", out, decoy, decoy,
	    pobj[0], buf);
	for (i = 0; i < nparts; i++) {
		char link_s[64];
		int n = snprintf(link_s, sizeof(link_s), " /Prev %d 0 R",
		    i > 0 ? item[i - 1] : report);
		if (i + 1 < nparts)
			snprintf(link_s + n, sizeof(link_s) - (size_t)n, " /Next %d 0 R",
			    item[i + 1]);
		raw_set(&r, item[i], "<< /Title (%s) /Parent %d 0 R /Dest [%d 0 R "
		    "/XYZ 0 %g 0]%s >>", parts[i].title, out, pobj[parts[i].first],
		    pg[parts[i].first].h, link_s);
	}
	raw_set(&r, out, "<< /Type /Outlines /First %d 0 R /Last %d 0 R /Count "
	    "%d >>", report, nparts ? item[nparts - 1] : report, 2 + nparts);
	meta = raw_stream(&r, "/Type /Metadata /Subtype /XML",
	    "<?xpacket begin=\"\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?><x:xmpmeta "
	    "xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/"
	    "1999/02/22-rdf-syntax-ns#\"><rdf:Description rdf:about=\"\" "
	    "xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title><rdf:Alt>"
	    "<rdf:li xml:lang=\"x-default\">Pack</rdf:li></rdf:Alt></dc:title>"
	    "</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end=\"w\"?>");
	info = raw_add(&r, "<< /Title (Pack) /Producer (scrutineer) >>");
	raw_set(&r, cat, "<< /Type /Catalog /Pages %d 0 R /StructTreeRoot %d 0 R "
	    "/MarkInfo << /Marked true >> /Lang (en-GB) /Outlines %d 0 R "
	    "/PageMode /UseOutlines /PageLabels << /Nums [0 << /S /D >>] >> "
	    "/ViewerPreferences << /DisplayDocTitle true >> /Metadata %d 0 R >>",
	    pages, str, out, meta);
	snprintf(buf, sizeof(buf), "/Info %d 0 R", info);
	return raw_write(&r, path, cat, buf);
}

#endif
