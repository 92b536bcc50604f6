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

HPDF_Binary
pdf_text_string(HPDF_Doc pdf, const char *s)
{
	size_t n = strlen(s), i = 0, len, o = 2;
	HPDF_BYTE *u = malloc(n * 4 + 4);
	HPDF_Binary b;

	if (u == NULL)
		return NULL;
	u[0] = 0xFE;
	u[1] = 0xFF;
	while (i < n) {
		int32_t cp = utf8_decode(s + i, n - i, &len);
		if (cp < 0)
			cp = 0xFFFD;
		if (cp >= 0x10000) {
			uint32_t v = (uint32_t)cp - 0x10000;
			uint32_t hi = 0xD800 + (v >> 10), lo = 0xDC00 + (v & 0x3FF);
			u[o++] = (HPDF_BYTE)(hi >> 8); u[o++] = (HPDF_BYTE)hi;
			u[o++] = (HPDF_BYTE)(lo >> 8); u[o++] = (HPDF_BYTE)lo;
		} else {
			u[o++] = (HPDF_BYTE)(cp >> 8);
			u[o++] = (HPDF_BYTE)cp;
		}
		i += len;
	}
	b = HPDF_Binary_New(pdf->mmgr, u, (HPDF_UINT)o);
	free(u);
	return b;
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
	return pdf_put_deflated(d, NULL, 9, data, len) == 0 ? d : NULL;
}

static HPDF_Dict
tounicode(HPDF_Doc pdf, const struct font *f, const uint32_t *map)
{
	struct buf b;
	unsigned g, k = 0, total = 0;
	HPDF_Dict d;

	buf_init(&b);
	buf_puts(&b, "/CIDInit /ProcSet findresource begin\n"
	    "12 dict begin\nbegincmap\n"
	    "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) "
	    "/Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n"
	    "/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\n"
	    "endcodespacerange\n");
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
			buf_printf(&b, "<%04X> <%04X%04X>\n", map[g], 0xD800 +
			    (v >> 10), 0xDC00 + (v & 0x3FF));
		} else
			buf_printf(&b, "<%04X> <%04X>\n", map[g], cp);
		k++;
		if (k % 100 == 0 || k == total)
			buf_puts(&b, "endbfchar\n");
	}
	buf_puts(&b, "endcmap\nCMapName currentdict /CMap defineresource pop\n"
	    "end\nend\n");
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
    uint32_t **mapp)
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
	tu = tounicode(pdf, f, map);
	if (file == NULL || desc == NULL || bbox == NULL || cid == NULL ||
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
	HPDF_Dict_AddName(type0, "Encoding", "Identity-H");
	HPDF_Array_Add(desc_arr, cid);
	HPDF_Dict_Add(type0, "DescendantFonts", desc_arr);
	HPDF_Dict_Add(type0, "ToUnicode", tu);
	return type0;
}
