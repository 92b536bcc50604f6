/* pdf_int.h — shared by the PDF backend's files (not installed). */
#ifndef SC_PDF_INT_H
#define SC_PDF_INT_H

#include <stdint.h>
#include <stdio.h>
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
 * to three times the speed of zlib at a smaller size), with its /Filter,
 * for libharu to write at the save (a font file; a page's content is
 * written as it goes: pdf_pre_content()). Returns 0, or -1 when out of
 * memory.
 */
struct libdeflate_compressor;
int pdf_put_deflated(HPDF_Dict d, int level, const void *data, size_t len);
/*
 * Where the file goes as it is written (pdf_save.c): a file, or memory.
 */
struct pdf_out {
	FILE       *f;       /* the file, or NULL: into mem */
	struct buf  mem;     /* the whole file, when f is NULL */
	size_t      off;     /* bytes of the file written so far */
	HPDF_STATUS err;     /* the first failure */
};
/*
 * What is written before the save, as pages go: each page's content
 * stream once drawn, and the structure elements and parent tree arrays
 * packed into object streams of 256, each deflated and written once
 * full. Held to the end they were most of a long document's peak
 * (t1000: 18.5 MB of libharu placeholders, 14.8 MB of deflated
 * streams, 5 MB of content). Each object keeps a number in libharu's
 * cross-reference list (a shared placeholder the save skips:
 * pdf_pre_reserve()), so references to it are ordinary.
 */
struct pdf_pre {
	struct pdf_out     out;
	HPDF_Doc           pdf;
	HPDF_XrefEntry     slot;        /* the shared placeholder */
	struct buf         head, body;  /* the object stream being filled */
	size_t             nbody;
	uint32_t          *stm;         /* [i]: object stream i's number */
	size_t             nstm, capstm;
	size_t            *dir;         /* offsets of objects written whole */
	size_t             ndir, capdir;
	/* [object number]: (stream index + 1) << 8 | index in it (a
	 * stream holds at most 256); PRE_DIRECT | k for dir[k]; 0 for an
	 * object the save writes itself */
	uint32_t          *loc;
	size_t             nloc;
	int                oom;
	struct libdeflate_compressor **z; /* the caller's, level 5 */
};
enum { PRE_DIRECT = 0x80000000u };
/* Opens the file (path) or memory (path NULL) for pdf and writes the
 * PDF header; -1 with pre->out.err set when it cannot. */
int  pdf_pre_open(struct pdf_pre *pre, HPDF_Doc pdf, const char *path);
/* A new object number for an object written here; 0 when out of
 * memory or past libharu's 8,388,607 objects. */
unsigned pdf_pre_reserve(struct pdf_pre *pre);
/* Adds object num, whose value is val (len bytes), to the object stream
 * being filled; -1 when out of memory (then pre->oom stays set). */
int  pdf_pre_add(struct pdf_pre *pre, size_t num, const char *val,
    size_t len);
/* Writes the stream being filled; -1 when out of memory or the file
 * cannot be written. */
int  pdf_pre_finish(struct pdf_pre *pre);
/* Writes content stream d (a page's /Contents: libharu's dictionary,
 * its /Length an indirect number) with data deflated, now; -1 on
 * failure. */
int  pdf_pre_content(struct pdf_pre *pre, HPDF_Dict d, const void *data,
    size_t len);
/* Closes the file, if open (a build that failed: its caller removes it). */
void pdf_pre_free(struct pdf_pre *pre);
/*
 * Writes the rest of document pdf after what pre wrote (the file, or
 * into *data, which the caller frees, of *len bytes, when pre was
 * opened on memory), as a PDF 1.7 file of object streams and a
 * cross-reference stream with /ID [id id], and closes it. The
 * trailer's /Root and /Info are pdf's catalog and info; libharu's own
 * trailer is not used. Returns 0 or an HPDF error code
 * (HPDF_FAILD_TO_ALLOC_MEM, HPDF_FILE_OPEN_ERROR, HPDF_FILE_IO_ERROR).
 */
HPDF_STATUS pdf_save(HPDF_Doc pdf, struct pdf_pre *pre,
    const HPDF_BYTE id[16], unsigned char **data, size_t *len);
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
