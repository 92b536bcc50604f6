/*
 * displaylist.h — the seam between layout and the backends (DESIGN.md):
 * a page is a flat array of drawing operations in points, origin top-left,
 * y downwards. Backends convert. Structure marks (begin/end) tell the PDF
 * backend how to tag what follows.
 */
#ifndef SC_DISPLAYLIST_H
#define SC_DISPLAYLIST_H

#include <stddef.h>
#include <stdint.h>

#include "../util/arena.h"

enum dl_kind {
	DL_TEXT,     /* a run of glyphs in one font */
	DL_LINE,     /* a stroked segment */
	DL_RECT,     /* a filled and/or stroked rectangle */
	DL_PATH,     /* a filled and/or stroked path */
	DL_LINK,     /* a clickable area: URI or internal anchor */
	DL_ANCHOR,   /* a destination (and outline entry when level > 0) */
	DL_IMAGE,    /* a PNG or JPEG file (uri) in the box x, y, w, h;
	              * level 1 PNG, 2 JPEG */
	DL_BEGIN,    /* structure element starts */
	DL_END,      /* structure element ends */
	DL_KIND_MAX
};

enum dl_struct {
	ST_H,        /* heading, level 1-6 */
	ST_P,
	ST_L,
	ST_LI,
	ST_LBL,
	ST_LBODY,
	ST_TABLE,
	ST_THEAD,    /* a table's header rows */
	ST_TBODY,    /* and its body rows */
	ST_TR,
	ST_TH,
	ST_TD,
	ST_FIGURE,   /* with alt text */
	ST_CAPTION,
	ST_LINK,
	ST_SECT,     /* a section: groups its heading and blocks */
	ST_ARTIFACT, /* running headers, footers, decoration: untagged */
	ST_STRUCT_MAX
};

enum dl_path_op { PATH_MOVE, PATH_LINE, PATH_CURVE, PATH_CLOSE };

struct dl_path_seg {
	enum dl_path_op op;
	double          x[3], y[3]; /* [pt] from the op's (x, y); CURVE uses
	                             * all three points */
};

struct dl_op {
	/* Ordered widest first, fields of one kind sharing their room, and
	 * flags narrowed: a 5,000-row table is ~160,000 ops, all held until
	 * the document is laid out (104 bytes each, down from 176). */
	double       x, y;      /* [pt] TEXT: pen at baseline; others: corner */
	double       w, h;      /* [pt] RECT, LINK; LINE: end point dx, dy */
	double       line_width; /* [pt] */
	double       size;      /* [pt] DL_TEXT */
	double       word_space; /* [pt] DL_TEXT: extra after each space glyph
	                         * (justify) */
	union {
		struct {        /* DL_TEXT */
			const uint32_t *gid;
			const int32_t  *adv; /* font units, per glyph */
		};
		const struct dl_path_seg *segs; /* DL_PATH */
		struct {
			union {
				const char *title; /* DL_ANCHOR: outline title */
				const char *alt;   /* DL_BEGIN ST_FIGURE: its
				                    * text alternative; x, y, w,
				                    * h are the chart's box */
				const char *uri;   /* DL_LINK: the address (or
				                    * NULL); DL_IMAGE: the file */
			};
			/* DL_LINK: the anchor it goes to; DL_ANCHOR: its
			 * name; DL_BEGIN: the figure's or table's id (a
			 * chart's file name) */
			const char *anchor;
		};
	};
	const char  *text;      /* UTF-8 of the run, for cairo and dumps;
	                         * DL_LINK: its description; DL_BEGIN
	                         * ST_FIGURE: a chart's caption, unnumbered */
	uint32_t     colour;    /* 0xRRGGBB: text fill, stroke */
	uint32_t     fill;      /* 0xRRGGBB for RECT/PATH fill */
	union {
		unsigned nglyphs;   /* DL_TEXT */
		unsigned nsegs;     /* DL_PATH */
	};
	short        font;      /* DL_TEXT: index into the fontset */
	short        level;     /* DL_ANCHOR outline level (0: none); ST_H level;
	                         * DL_IMAGE: 1 PNG, 2 JPEG; ST_TABLE, ST_FIGURE:
	                         * 1 for an element of the definition (counted
	                         * against what it asked for) */
	unsigned char kind;     /* enum dl_kind */
	unsigned char st;       /* enum dl_struct: DL_BEGIN / DL_END */
	unsigned char do_fill, do_stroke;
	unsigned char dash;     /* stroke pattern: 0 solid, 1 dashed, 2 dotted */
	/* Reading order where drawing order differs: a float the page
	 * builder moved past text is read where it was written. */
	unsigned char order;    /* DL_ORDER_* */
	unsigned char shared;   /* DL_TEXT: gid and adv are a font's shaping
	                         * cache's, which outlives the pages (not a
	                         * copy: layout's store keeps the pointers) */
};

enum {
	DL_ORDER_DRAWN = 0,
	DL_ORDER_MARK,    /* the first op of the text a float was moved past */
	DL_ORDER_BEFORE,  /* a moved float's element: read before the mark */
};

struct dl_page {
	double        width, height; /* [pt] */
	struct dl_op *ops;
	size_t        n, cap;
	int           forced;  /* layout: the page ends at a forced break (a
	                        * page break, an appendix's start) */
};

/* A destination: what a link to it goes to. */
struct dl_anchor {
	const char *name;
	int         page;
	double      y;     /* [pt] from the page's top */
};

struct dl_doc {
	struct dl_page *pages;
	size_t          npages, cap;
	struct arena   *arena;   /* strings and arrays the ops point to */
	/* Document metadata the backends write. */
	const char     *title, *author, *subject, *keywords, *lang;
	/* The PDF's dates, seconds since 1970 (the caller's
	 * SOURCE_DATE_EPOCH); -1: none, so that same inputs give the same
	 * bytes. The library reads no environment. */
	long long       source_date;
	/* The standards the PDF claims (and is written to meet): PDF/A part
	 * 2 or 3, or 0 for none, at conformance 'A' or 'U'; PDF/UA-1 when
	 * pdfua (the tagging is written either way). dl_init(): 2, 'A', 1. */
	int             pdfa_part;
	char            pdfa_conformance;
	int             pdfua;
	/* The fonts' PostScript names by DL_TEXT font index, so a dump
	 * names them (layout sets them; may be NULL). */
	const char    **font_names;
	int             nfonts;
	/* A streamed build (lay_document_to()) hands a backend each page as
	 * it is made, the later ones not yet there: layout gives every
	 * destination first (in page order, in the arena) and the number of
	 * DL_BEGIN ops, so a link may go forward. Else NULL and 0, and a
	 * backend finds them in the pages. */
	const struct dl_anchor *anchors;
	size_t          nanchors;
	size_t          nbegin;
	/* Ops layout holds per chunk it encodes once closed (0: its own
	 * number): the tests make chunks small, to compare encoded with
	 * never encoded. */
	size_t          opchunk;
};

void          dl_init(struct dl_doc *d, struct arena *arena);
void          dl_free(struct dl_doc *d);
/* Appends a page; NULL when out of memory. */
struct dl_page *dl_add_page(struct dl_doc *d, double w, double h);
/* Appends an op (copied) and returns it; NULL when out of memory. */
struct dl_op *dl_push(struct dl_page *p, const struct dl_op *op);
/* Make room for extra more ops at once (a page's known count), so the
 * array is not doubled past what it holds; -1 when out of memory. */
int dl_reserve(struct dl_page *p, size_t extra);
const char   *dl_struct_name(enum dl_struct s);
/* What a screen reader should say for a run that starts with a trend
 * arrow (the arrow is a picture of the word beside it): "↑ up 4%" is
 * "up 4%", "→ 0.0%" is "level 0.0%". NULL for any other run. */
const char   *dl_actual_text(const char *text, char *out, size_t n);
/* The end (exclusive) of the Figure that begins at ops[i] of pg, and in
 * box (x, y from the page's top, w, h) where it is: the box layout gave
 * it, else what its ops on this page cover. 0 when there is none, or
 * for a Figure holding an image unless images is set (`scrutineer
 * charts` exports drawings, not images that are files already). */
size_t        dl_figure_box(const struct dl_page *pg, size_t i, double box[4],
    int images);
/*
 * Writes a readable dump, one op a line (tests and --dump): a font
 * legend, then each page and its ops, indented by structure depth, with
 * points rounded to 0.01 and colours as #RRGGBB, so a change of layout
 * shows as a line-by-line difference. tests/regress/README describes it.
 */
struct buf;
void          dl_dump(const struct dl_doc *d, struct buf *out);

#endif
