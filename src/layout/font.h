/*
 * font.h — fonts found by family name through fontconfig (the project's
 * fonts/ first), shaped and measured with HarfBuzz. A fontset records
 * which glyphs each font used and which text they stand for, which is what
 * the PDF backend needs to subset the font and write its ToUnicode map.
 */
#ifndef SC_FONT_H
#define SC_FONT_H

#include <stddef.h>
#include <stdint.h>

#include "../util/diag.h"

#define FONTSET_MAX 16

/* A shaped piece of text, in font units (size-independent). */
struct shaped {
	unsigned  n;       /* glyphs */
	uint32_t *gid;     /* glyph ids */
	int32_t  *adv;     /* advance of each glyph, kerning included */
	int32_t   width;   /* sum of adv */
	int       missing; /* glyphs the font lacks (.notdef) */
};

struct shape_cache;

struct font {
	char      *path;        /* the font file */
	int        index;       /* face index in the file */
	char      *family;      /* as fontconfig names it */
	char      *psname;      /* PostScript name (for /BaseFont) */
	int        bold, italic;
	void      *blob, *face, *hb; /* hb_blob_t, hb_face_t, hb_font_t */
	unsigned   upem;        /* font units per em */
	unsigned   nglyphs;
	/* Metrics in font units. */
	int        ascender, descender, cap_height, italic_angle;
	int        bbox[4];     /* xmin ymin xmax ymax */
	uint32_t   space_gid;
	int32_t    space_adv;
	uint8_t   *used;        /* nglyphs flags: glyph drawn */
	uint32_t  *gid_cp;      /* nglyphs: first code point seen, 0 none */
	struct shape_cache *cache;
};

struct fontset {
	struct font *font[FONTSET_MAX];
	int          n;
	void        *fc_app;    /* FcConfig* of the project's fonts/ only */
	void        *fc_sys;    /* FcConfig* of the system */
};

/* Font dirs: searched first, in order; may be NULL. */
int  fontset_init(struct fontset *fs, const char *const *dirs, int ndirs);
void fontset_free(struct fontset *fs);
/*
 * Returns the index of the font of family in the given style, loading it
 * on first use; -1 with a message naming file:line when it cannot be
 * found or used.
 */
int  fontset_get(struct fontset *fs, const char *family, int bold,
    int italic, struct diags *diags, const char *file, int line);
/*
 * Shapes n bytes of UTF-8 with kerning (no ligatures, so text extracts
 * as written). The result lives in the font's cache until fontset_free().
 * NULL when out of memory.
 */
const struct shaped *font_shape(struct font *f, const char *s, size_t n);
/* Marks a shaped run's glyphs as drawn. */
void font_use(struct font *f, const struct shaped *sh);

#endif
