/* pdf_int.h — shared by the PDF backend's files (not installed). */
#ifndef SC_PDF_INT_H
#define SC_PDF_INT_H

#include <stdint.h>
#include <hpdf.h>
#include <hpdf_objects.h>

#include "../layout/font.h"
#include "../util/buf.h"
#include "../util/diag.h"

/*
 * Embeds the glyphs font f used as a subset CIDFontType2 font (made by
 * hb-subset), with widths and a ToUnicode map, and returns its Type0 font
 * dictionary (indirect), or NULL with a message. *map is set to a table
 * from the font's glyph ids to the subset's (the CIDs to write), which
 * the caller frees; *bytes to the bytes a code takes in a string: 1 when
 * the subset has at most 256 glyphs (an embedded one-byte CMap: half the
 * text bytes of Identity-H), else 2. That CMap is made once, in
 * *onebyte (NULL before the first font), and shared by every font.
 */
HPDF_Dict pdf_font_embed(HPDF_Doc pdf, struct font *f, struct diags *diags,
    uint32_t **map, int *bytes, HPDF_Dict *onebyte);
/*
 * Puts data into stream dictionary d deflated at level (libdeflate: two
 * to three times the speed of zlib at a smaller size), with its /Filter.
 * *c is the compressor for that level, made on first use and kept for
 * the next call (the caller frees it); with c NULL one is made for this
 * call only. Returns 0, or -1 when out of memory.
 */
struct libdeflate_compressor;
int pdf_put_deflated(HPDF_Dict d, struct libdeflate_compressor **c,
    int level, const void *data, size_t len);
/*
 * Writes document pdf to the file path, or (path NULL) into *data (the
 * caller frees it) of *len bytes, as a PDF 1.7 file of object streams
 * and a cross-reference stream with /ID [id id] (pdf_save.c). The
 * trailer's /Root and /Info are pdf's catalog and info; libharu's own
 * trailer is not used. Returns 0 or an HPDF error code
 * (HPDF_FAILD_TO_ALLOC_MEM, HPDF_FILE_OPEN_ERROR, HPDF_FILE_IO_ERROR).
 */
struct pdf_pre;
HPDF_STATUS pdf_save(HPDF_Doc pdf, struct pdf_pre *pre,
    const HPDF_BYTE id[16], const char *path, unsigned char **data,
    size_t *len);
/*
 * Objects packed into object streams before the save: the structure
 * elements, each as it closes. Held as libharu dictionaries until the
 * end they were ~330 bytes each (a 5,000-row table's 35,000 elements:
 * 12 MB of its peak); here a finished stream of 256 is deflated at
 * once. Each object keeps a number in libharu's cross-reference list
 * (a placeholder the save skips), so references to it are ordinary.
 */
struct pdf_objstm {
	struct buf z;          /* the stream's data, deflated */
	size_t     n, first;   /* /N and /First */
};
struct pdf_pre {
	struct pdf_objstm *stm;      /* finished streams */
	size_t             nstm, capstm;
	struct buf         head, body; /* the stream being filled */
	size_t             nbody;
	/* [object number]: (stream index + 1) << 8 | index in it
	 * (a stream holds at most 256); 0 for
	 * an object the save writes itself */
	uint32_t          *loc;
	size_t             nloc;
	int                oom;
	struct libdeflate_compressor **z; /* the caller's, level 5 */
};
/* Adds object num, whose value is val (len bytes), to pre; -1 when out
 * of memory (then pre->oom stays set). */
int  pdf_pre_add(struct pdf_pre *pre, size_t num, const char *val,
    size_t len);
/* Finishes the stream being filled; -1 when out of memory. */
int  pdf_pre_finish(struct pdf_pre *pre);
void pdf_pre_free(struct pdf_pre *pre);
/*
 * The bytes of UTF-8 s as a PDF text string into b (appended):
 * PDFDocEncoding, one byte a character, when every character of s has a
 * code there (ASCII, Latin-1 and the typographic quotes, dashes and
 * bullet of council prose), else UTF-16BE after its byte order mark.
 */
void pdf_text_bytes(struct buf *b, const char *s);
/* The same as a literal string, "(…)" with what must be escaped. */
void pdf_text_literal(struct buf *b, const char *s);
/* The same as a libharu object to put in a dictionary, or NULL. */
void *pdf_text_string(HPDF_Doc pdf, const char *s);

#endif
