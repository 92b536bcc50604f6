/*
 * pdf_font.c — fonts into the PDF through libharu's object layer:
 * libharu's own TrueType path searches the cmap linearly per character,
 * embeds most of each font and writes a ToUnicode map poppler rejects
 * (DESIGN.md). Here hb-subset keeps only the glyphs drawn and numbers
 * them afresh; the content streams write the new numbers, which are the
 * CIDs (Identity-H, CIDToGIDMap /Identity). Keeping the old numbers
 * instead would carry empty loca and hmtx entries for every glyph of
 * the font, which cost more to deflate than everything else on a page.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <hb.h>
#include <hb-subset.h>
#include <hpdf_doc.h>

#include "pdf_int.h"
#include "../util/buf.h"
#include "../util/utf8.h"

/* PDFDocEncoding's codes 0x80–0x9E (ISO 32000-1 Annex D), as Unicode;
 * 0xA0 is the euro, 0xA1–0xFF Latin-1 but for 0xAD. */
static const uint16_t pdfdoc_high[31] = {
	0x2022, 0x2020, 0x2021, 0x2026, 0x2014, 0x2013, 0x0192, 0x2044,
	0x2039, 0x203A, 0x2212, 0x2030, 0x201E, 0x201C, 0x201D, 0x2018,
	0x2019, 0x201A, 0x2122, 0xFB01, 0xFB02, 0x0141, 0x0152, 0x0160,
	0x0178, 0x017D, 0x0131, 0x0142, 0x0153, 0x0161, 0x017E,
};

/* Code point cp's PDFDocEncoding byte, or -1. */
static int
pdfdoc_code(int32_t cp)
{
	int k;

	if ((cp >= 0x20 && cp < 0x7F) || cp == '\t' || cp == '\n' ||
	    cp == '\r' || (cp >= 0xA1 && cp <= 0xFF && cp != 0xAD))
		return (int)cp;
	if (cp == 0x20AC)
		return 0xA0;
	for (k = 0; k < 31; k++)
		if (pdfdoc_high[k] == cp)
			return 0x80 + k;
	return -1;
}

void
pdf_text_bytes(struct buf *b, const char *s)
{
	size_t n = strlen(s), i, len;
	int32_t cp;

	for (i = 0; i < n; i += len)
		if ((cp = utf8_decode(s + i, n - i, &len)) < 0 ||
		    pdfdoc_code(cp) < 0)
			break;
	/* "þÿ" first would read as a byte order mark. */
	if (i == n && strncmp(s, "\xC3\xBE\xC3\xBF", 4) != 0) {
		for (i = 0; i < n; i += len)
			buf_putc(b, (char)pdfdoc_code(utf8_decode(s + i, n - i,
			    &len)));
		return;
	}
	buf_putc(b, (char)0xFE);
	buf_putc(b, (char)0xFF);
	for (i = 0; i < n; i += len) {
		if ((cp = utf8_decode(s + i, n - i, &len)) < 0)
			cp = 0xFFFD;
		if (cp >= 0x10000) {
			uint32_t v = (uint32_t)cp - 0x10000;
			uint32_t hi = 0xD800 + (v >> 10), lo = 0xDC00 + (v & 0x3FF);
			buf_putc(b, (char)(hi >> 8));
			buf_putc(b, (char)hi);
			buf_putc(b, (char)(lo >> 8));
			buf_putc(b, (char)lo);
		} else {
			buf_putc(b, (char)(cp >> 8));
			buf_putc(b, (char)cp);
		}
	}
}

void
pdf_text_literal(struct buf *b, const char *s)
{
	struct buf t;
	size_t i;

	buf_init(&t);
	pdf_text_bytes(&t, s);
	buf_putc(b, '(');
	/* Bytes as they are but the delimiters, the escape and a carriage
	 * return (which a reader would take as an end of line). */
	for (i = 0; i < t.len; i++) {
		char c = t.data[i];
		if (c == '(' || c == ')' || c == '\\')
			buf_putc(b, '\\');
		if (c == '\r')
			buf_puts(b, "\\r");
		else
			buf_putc(b, c);
	}
	buf_putc(b, ')');
	if (t.oom)
		b->oom = 1;
	buf_free(&t);
}

void *
pdf_text_string(HPDF_Doc pdf, const char *s)
{
	struct buf t;
	void *o;

	buf_init(&t);
	pdf_text_bytes(&t, s);
	buf_putc(&t, '\0');
	if (t.oom) {
		buf_free(&t);
		return NULL;
	}
	/* libharu writes a string without an encoder as a literal with its
	 * bytes past ASCII escaped; a UTF-16 one (which has NULs) as hex. */
	o = t.len > 2 && (unsigned char)t.data[0] == 0xFE &&
	    (unsigned char)t.data[1] == 0xFF ? (void *)HPDF_Binary_New(
	    pdf->mmgr, (HPDF_BYTE *)t.data, (HPDF_UINT)(t.len - 1)) :
	    (void *)HPDF_String_New(pdf->mmgr, t.data, NULL);
	buf_free(&t);
	return o;
}

/* A subset tag of six capitals from the set of glyphs, so the same
 * glyphs give the same name (deterministic output). */
static void
subset_tag(const struct font *f, char tag[7])
{
	uint64_t h = 1469598103934665603ULL;
	unsigned g;
	int i;

	for (g = 0; g < f->nglyphs; g++)
		if (f->used[g]) {
			h ^= g;
			h *= 1099511628211ULL;
		}
	for (i = 0; i < (int)strlen(f->psname); i++) {
		h ^= (unsigned char)f->psname[i];
		h *= 1099511628211ULL;
	}
	for (i = 0; i < 6; i++) {
		tag[i] = (char)('A' + h % 26);
		h /= 26;
	}
	tag[6] = '\0';
}

static HPDF_Dict
stream_dict(HPDF_Doc pdf, const void *data, size_t len)
{
	HPDF_Dict d = HPDF_DictStream_New(pdf->mmgr, pdf->xref);

	if (d == NULL)
		return NULL;
	/* Written once, read by every reader: worth a higher level. */
	return pdf_put_deflated(d, 9, data, len) == 0 ? d : NULL;
}

/* The CMap text's opening, for codes of bytes bytes (1 or 2). */
static void
cmap_head(struct buf *b, const char *ordering, const char *name, int type,
    int bytes)
{
	buf_printf(b, "/CIDInit /ProcSet findresource begin\n"
	    "12 dict begin\nbegincmap\n"
	    "/CIDSystemInfo << /Registry (Adobe) /Ordering (%s) "
	    "/Supplement 0 >> def\n/CMapName /%s def\n"
	    "/CMapType %d def\n1 begincodespacerange\n%s\n"
	    "endcodespacerange\n", ordering, name, type, bytes == 1 ?
	    "<00> <FF>" : "<0000> <FFFF>");
}

static const char cmap_tail[] = "endcmap\n"
    "CMapName currentdict /CMap defineresource pop\nend\nend\n";

/*
 * The Type0 font's /Encoding when codes are one byte: an embedded CMap
 * mapping code c to CID c. PDF/A-2 (6.2.11.3.3) wants every CMap not
 * predefined embedded, its /WMode as the stream's, and its Registry and
 * Ordering those of the CIDFont (Adobe, Identity).
 */
static HPDF_Dict
onebyte_cmap(HPDF_Doc pdf)
{
	static const char name[] = "Scrutineer-OneByte-H";
	struct buf b;
	HPDF_Dict d, info;

	buf_init(&b);
	cmap_head(&b, "Identity", name, 1, 1);
	buf_puts(&b, "1 begincidrange\n<00> <FF> 0\nendcidrange\n");
	buf_puts(&b, cmap_tail);
	d = b.oom ? NULL : stream_dict(pdf, b.data, b.len);
	buf_free(&b);
	if (d == NULL || (info = HPDF_Dict_New(pdf->mmgr)) == NULL)
		return NULL;
	HPDF_Dict_AddName(d, "Type", "CMap");
	HPDF_Dict_AddName(d, "CMapName", name);
	HPDF_Dict_Add(info, "Registry", HPDF_String_New(pdf->mmgr, "Adobe",
	    NULL));
	HPDF_Dict_Add(info, "Ordering", HPDF_String_New(pdf->mmgr, "Identity",
	    NULL));
	HPDF_Dict_AddNumber(info, "Supplement", 0);
	HPDF_Dict_Add(d, "CIDSystemInfo", info);
	HPDF_Dict_AddNumber(d, "WMode", 0);
	return d;
}

static HPDF_Dict
tounicode(HPDF_Doc pdf, const struct font *f, const uint32_t *map,
    int bytes)
{
	struct buf b;
	unsigned g, k = 0, total = 0;
	HPDF_Dict d;

	buf_init(&b);
	cmap_head(&b, "UCS", "Adobe-Identity-UCS", 2, bytes);
	for (g = 0; g < f->nglyphs && g < 65536; g++)
		if (f->used[g] && f->gid_cp[g] != 0)
			total++;
	for (g = 0; g < f->nglyphs && g < 65536; g++) {
		uint32_t cp;
		if (!f->used[g] || (cp = f->gid_cp[g]) == 0)
			continue;
		if (k % 100 == 0)
			buf_printf(&b, "%u beginbfchar\n",
			    total - k < 100 ? total - k : 100);
		if (cp >= 0x10000) {
			uint32_t v = cp - 0x10000;
			buf_printf(&b, "<%0*X> <%04X%04X>\n", 2 * bytes, map[g],
			    0xD800 + (v >> 10), 0xDC00 + (v & 0x3FF));
		} else
			buf_printf(&b, "<%0*X> <%04X>\n", 2 * bytes, map[g], cp);
		k++;
		if (k % 100 == 0 || k == total)
			buf_puts(&b, "endbfchar\n");
	}
	buf_puts(&b, cmap_tail);
	d = b.oom ? NULL : stream_dict(pdf, b.data, b.len);
	buf_free(&b);
	return d;
}

/* /W over the new glyph numbers, which run 0, 1, 2 … in old order. */
static HPDF_Array
widths(HPDF_Doc pdf, const struct font *f, const uint32_t *map)
{
	HPDF_Array w = HPDF_Array_New(pdf->mmgr), run = NULL;
	unsigned g, prev = (unsigned)-2;

	if (w == NULL)
		return NULL;
	for (g = 0; g < f->nglyphs && g < 65536; g++) {
		hb_position_t adv;
		if (!f->used[g])
			continue;
		adv = hb_font_get_glyph_h_advance(f->hb, g);
		if (map[g] != prev + 1 || run == NULL) {
			HPDF_Array_AddNumber(w, (HPDF_INT32)map[g]);
			run = HPDF_Array_New(pdf->mmgr);
			if (run == NULL || HPDF_Array_Add(w, run) != HPDF_OK)
				return NULL;
		}
		HPDF_Array_AddReal(run, (HPDF_REAL)((double)adv * 1000.0 /
		    f->upem));
		prev = map[g];
	}
	return w;
}

HPDF_Dict
pdf_font_embed(HPDF_Doc pdf, struct font *f, struct diags *diags,
    uint32_t **mapp, int *bytes, HPDF_Dict *onebyte)
{
	hb_subset_input_t *in;
	hb_subset_plan_t *plan;
	const hb_map_t *o2n;
	uint32_t *map;
	hb_face_t *sub;
	hb_blob_t *blob;
	const char *data;
	unsigned len, g;
	char tag[7], name[200];
	HPDF_Dict file, desc, cid, type0, info, tu;
	HPDF_Array bbox, desc_arr, w;
	double k = 1000.0 / f->upem;

	f->used[0] = 1; /* .notdef is always kept */
	if ((in = hb_subset_input_create_or_fail()) == NULL) {
		diag_oom(diags, NULL, 0, "out of memory subsetting %s", f->path);
		return NULL;
	}
	for (g = 0; g < f->nglyphs; g++)
		if (f->used[g])
			hb_set_add(hb_subset_input_glyph_set(in), g);
	hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_NO_HINTING);
	{
		/* A PDF reader draws glyphs by id: the layout tables are of no
		 * use to it, and keeping them made the subsetter follow every
		 * substitution from the glyphs used (half its time) and keep
		 * the glyphs it reached. */
		static const hb_tag_t drop[] = {
			HB_TAG('G', 'S', 'U', 'B'), HB_TAG('G', 'P', 'O', 'S'),
			HB_TAG('G', 'D', 'E', 'F'), HB_TAG('k', 'e', 'r', 'n'),
			HB_TAG('B', 'A', 'S', 'E'), HB_TAG('J', 'S', 'T', 'F'),
			HB_TAG('M', 'A', 'T', 'H'), HB_TAG('D', 'S', 'I', 'G'),
		};
		hb_set_t *t = hb_subset_input_set(in,
		    HB_SUBSET_SETS_DROP_TABLE_TAG);
		size_t i;
		for (i = 0; i < sizeof(drop) / sizeof(drop[0]); i++)
			hb_set_add(t, drop[i]);
	}
	plan = hb_subset_plan_create_or_fail(f->face, in);
	hb_subset_input_destroy(in);
	sub = plan ? hb_subset_plan_execute_or_fail(plan) : NULL;
	map = calloc(f->nglyphs + 1, sizeof(*map));
	if (sub == NULL || map == NULL) {
		if (plan)
			hb_subset_plan_destroy(plan);
		if (sub)
			hb_face_destroy(sub);
		/* Our map failing is memory, not the font. */
		if (map == NULL)
			diag_oom(diags, NULL, 0, "out of memory subsetting %s",
			    f->path);
		else
			diag_err(diags, NULL, 0, "%s: cannot subset this font; "
			    "use another", f->path);
		free(map);
		return NULL;
	}
	o2n = hb_subset_plan_old_to_new_glyph_mapping(plan);
	for (g = 0; g < f->nglyphs; g++)
		if (f->used[g])
			map[g] = hb_map_get(o2n, g) == HB_MAP_VALUE_INVALID ? 0 :
			    hb_map_get(o2n, g);
	hb_subset_plan_destroy(plan);
	*mapp = map;
	/* Composite glyphs bring their parts: count the subset, not the
	 * glyphs drawn. */
	*bytes = hb_face_get_glyph_count(sub) <= 256 ? 1 : 2;
	blob = hb_face_reference_blob(sub);
	data = hb_blob_get_data(blob, &len);
	subset_tag(f, tag);
	snprintf(name, sizeof(name), "%s+%s", tag, f->psname);

	file = stream_dict(pdf, data, len);
	if (file != NULL)
		HPDF_Dict_AddNumber(file, "Length1", (HPDF_INT32)len);
	hb_blob_destroy(blob);
	hb_face_destroy(sub);

	desc = HPDF_Dict_New(pdf->mmgr);
	bbox = HPDF_Array_New(pdf->mmgr);
	cid = HPDF_Dict_New(pdf->mmgr);
	type0 = HPDF_Dict_New(pdf->mmgr);
	info = HPDF_Dict_New(pdf->mmgr);
	desc_arr = HPDF_Array_New(pdf->mmgr);
	w = widths(pdf, f, map);
	tu = tounicode(pdf, f, map, *bytes);
	if (*bytes == 1 && *onebyte == NULL)
		*onebyte = onebyte_cmap(pdf);
	if ((*bytes == 1 && *onebyte == NULL) || file == NULL || desc == NULL || bbox == NULL || cid == NULL ||
	    type0 == NULL || info == NULL || desc_arr == NULL || w == NULL ||
	    tu == NULL ||
	    HPDF_Xref_Add(pdf->xref, desc) != HPDF_OK ||
	    HPDF_Xref_Add(pdf->xref, cid) != HPDF_OK ||
	    HPDF_Xref_Add(pdf->xref, type0) != HPDF_OK) {
		diag_oom(diags, NULL, 0, "out of memory embedding %s", f->path);
		return NULL;
	}
	HPDF_Dict_AddName(desc, "Type", "FontDescriptor");
	HPDF_Dict_AddName(desc, "FontName", name);
	HPDF_Dict_AddNumber(desc, "Flags", f->italic ? 32 + 64 : 32);
	HPDF_Array_AddNumber(bbox, (HPDF_INT32)(f->bbox[0] * k));
	HPDF_Array_AddNumber(bbox, (HPDF_INT32)(f->bbox[1] * k));
	HPDF_Array_AddNumber(bbox, (HPDF_INT32)(f->bbox[2] * k));
	HPDF_Array_AddNumber(bbox, (HPDF_INT32)(f->bbox[3] * k));
	HPDF_Dict_Add(desc, "FontBBox", bbox);
	HPDF_Dict_AddNumber(desc, "ItalicAngle", f->italic_angle);
	HPDF_Dict_AddNumber(desc, "Ascent", (HPDF_INT32)(f->ascender * k));
	HPDF_Dict_AddNumber(desc, "Descent", (HPDF_INT32)(f->descender * k));
	HPDF_Dict_AddNumber(desc, "CapHeight", (HPDF_INT32)(f->cap_height * k));
	HPDF_Dict_AddNumber(desc, "StemV", f->bold ? 120 : 80);
	HPDF_Dict_Add(desc, "FontFile2", file);

	HPDF_Dict_Add(info, "Registry", HPDF_String_New(pdf->mmgr, "Adobe", NULL));
	HPDF_Dict_Add(info, "Ordering", HPDF_String_New(pdf->mmgr, "Identity",
	    NULL));
	HPDF_Dict_AddNumber(info, "Supplement", 0);

	HPDF_Dict_AddName(cid, "Type", "Font");
	HPDF_Dict_AddName(cid, "Subtype", "CIDFontType2");
	HPDF_Dict_AddName(cid, "BaseFont", name);
	HPDF_Dict_Add(cid, "CIDSystemInfo", info);
	HPDF_Dict_Add(cid, "FontDescriptor", desc);
	HPDF_Dict_AddNumber(cid, "DW", 1000);
	HPDF_Dict_Add(cid, "W", w);
	HPDF_Dict_AddName(cid, "CIDToGIDMap", "Identity");

	HPDF_Dict_AddName(type0, "Type", "Font");
	HPDF_Dict_AddName(type0, "Subtype", "Type0");
	HPDF_Dict_AddName(type0, "BaseFont", name);
	if (*bytes == 1)
		HPDF_Dict_Add(type0, "Encoding", *onebyte);
	else
		HPDF_Dict_AddName(type0, "Encoding", "Identity-H");
	HPDF_Array_Add(desc_arr, cid);
	HPDF_Dict_Add(type0, "DescendantFonts", desc_arr);
	HPDF_Dict_Add(type0, "ToUnicode", tu);
	return type0;
}
