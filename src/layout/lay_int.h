/*
 * lay_int.h — shared between the typesetter's files (not installed).
 *
 * Layout builds a vertical list (TeX's word): boxes that hold display ops
 * with y relative to the box top, glue (space that vanishes at a page
 * break) and penalties (where a page may, may not, or must break). The
 * page builder (flow.c) then cuts it into pages and places the ops.
 */
#ifndef SC_LAY_INT_H
#define SC_LAY_INT_H

#include "layout.h"

/* Penalties, in TeX's spirit: >= PEN_FORBID never breaks there,
 * <= PEN_FORCE always does. */
#define PEN_FORBID 10000
#define PEN_FORCE  (-10000)

/* Deepest list nesting laid out. */
#define LAY_MAX_LIST 16

enum vkind { V_BOX, V_GLUE, V_PENALTY };
#define V_FLOATED 1
#define V_NOBREAK 2   /* glue that is no place to break */

/* A float: a table or figure, items [from, to) of the list, that may
 * open the next page while the text after it in its section (level;
 * 0 outside sections) fills this one (flow.c, lay_paginate()). */
struct flt { size_t from, to; int level, done; };

struct vitem {
	enum vkind kind;
	unsigned   nbegin;  /* V_BOX: its DL_BEGIN ops, for lay_emit()'s
	                     * count without decoding them */
	double     h;       /* [pt] box height or glue size */
	double     shrink;  /* [pt] V_GLUE: what it may give up on a page
	                     * that holds one more box that way */
	int        penalty;
	size_t     op0, nops; /* V_BOX: its ops in lay.ops */
	int        repeat;    /* ghost drawn above it when it starts a page,
	                       * or -1 */
	/* A float is never passed by text from here on (flow.c): a
	 * heading of this level begins, or a section of it ended; 0 none. */
	signed char stop;
	unsigned char flags;  /* V_FLOATED: the break that sends a float to
	                       * the next page (not an author's break) */
	unsigned char anchored; /* V_BOX: it holds a DL_ANCHOR op */
	/* set by the page builder */
	int        page;
	double     y;       /* [pt] top of the box on its page, from the top
	                     * of the text area */
};

/* A styled piece of inline content before line breaking. */
struct span {
	const char *text;    /* UTF-8 (not NUL-terminated: len) */
	size_t      len;
	int         font;    /* fontset index */
	uint32_t    colour;
	const char *uri;     /* link target (external) */
	const char *anchor;  /* link target (internal) */
	int         br;      /* a forced line break, text unused */
};

struct spans {
	struct span *v;
	size_t       n, cap;
};

/* The font choices of a block of text. */
struct tstyle {
	int      regular, bold, italic, bolditalic; /* fontset indexes */
	double   size;        /* [pt] */
	double   leading;     /* [pt] baseline to baseline */
	uint32_t colour, link_colour;
	int      align;       /* enum tpl_align */
};

struct lay {
	const struct doc      *doc;
	const struct template *t;
	struct fontset        *fs;
	struct diags          *diags;
	struct arena          *a;
	struct dl_doc         *out;

	double  left, width;      /* [pt] text area x and width */
	double  top, height;      /* [pt] text area y and height */

	struct tstyle body;       /* body text */
	struct tstyle small;      /* running header/footer, notes */

	struct vitem *v;
	size_t        nv, capv;
	/* Header rows repeated on continuation pages: ops of their own (and
	 * their runs' arrays in the document's arena) with y from the
	 * ghost's top, drawn at the top of a page whose first box names the
	 * ghost in vitem.repeat. */
	struct ghost { struct dl_op *ops; size_t nops; double h; } *ghosts;
	size_t        nghosts, capghosts;
	int          *page_ghost;  /* per page: ghost index or -1 */
	unsigned char *page_forced; /* per page: it ends at a forced break */
	struct flt   *flts;        /* in order of from */
	size_t        nflts, capflts;
	int           stop_next;   /* vitem.stop for the next item */
	/* Ops of all boxes, in chunks of opchunk, encoded once closed
	 * (opstore.c): no doubling slack, and lay_emit() frees each chunk
	 * once its ops are on their page (a long table's ops are most of a
	 * build's memory). */
	struct opchunk *opc;
	size_t        opchunk;    /* dl_doc.opchunk, or LAY_OPCHUNK */
	size_t        nops, nopc;
	size_t        nzip;       /* chunks [0, nzip) are encoded */
	/* lay_opget()'s decoded copy of chunk cache_c - 1 (0: none), with
	 * its runs' arrays when cache_arrays. */
	struct dl_op *cache;
	size_t        cache_c;
	int           cache_arrays;
	struct arena  cache_a;
	/* Reading-order marks on encoded chunks (lay_opmark()), laid on
	 * each as it is decoded, in order. */
	struct oppatch { size_t i; unsigned char order; } *patch;
	size_t        npatch, cappatch;
	int           runs_done;  /* runs go in the document's arena now */
	/* Chunks' runs [0, runs_seal) are sealed (opstore.c), [0,
	 * runs_free) freed; while pend_aside, what waited for the next box
	 * is set aside (table.c's ghost): nothing is sealed. */
	size_t        runs_seal, runs_free;
	int           pend_aside;
	struct dl_op *pend;       /* ops waiting for the next box */
	size_t        npend, cappend;
	int           oom;
	double        boxes_h;   /* [pt] every box so far, for the page cap */
	int           too_long;  /* the page cap was passed */
	int           list_depth;
	/* Cell mode: lines go into the current box (a table row) one under
	 * another instead of becoming boxes of their own. */
	int           in_cell;
	double        cell_y;    /* [pt] next line's top within the box */
	double        cell_off;  /* [pt] current line's top within the box */
	int           anchors;   /* counter for generated anchor names */
	struct lbrk  *brk;       /* UAX #14 break finder (linebreak.h),
	                          * opened at the first paragraph */
	const struct lay_sink *sink; /* streamed pages, or NULL */
	/* lay_emit(): what placing needs of each box, in list order, so
	 * that the list itself goes before the first page is made. */
	struct pbox {
		size_t   op0, nops;
		int      page;
		unsigned nbegin : 31, anchored : 1;
		double   y;
	} *pb;
	size_t        npb;
	struct doc_tally got;    /* what the pages made hold (lay_emit()) */
};

/* Ops a chunk holds (unless dl_doc.opchunk says); fewer in the
 * sanitizer and fault builds, so that every test crosses chunks (the
 * Makefile). */
#ifndef LAY_OPCHUNK
#define LAY_OPCHUNK 4096
#endif

/* A chunk of lay.ops: its ops, live or decoded, or its form. */
struct opchunk {
	struct dl_op  *ops;   /* or NULL */
	unsigned char *z;     /* opstore.h's form once encoded, or NULL */
	size_t         zlen;
	struct arena   runs;  /* the text runs made while it was the last */
	size_t         runs_last; /* once sealed: the last chunk that can
	                           * hold an op of those runs */
	struct arena   dec;   /* a streamed build's decoded runs */
};

/* The i-th op of lay.ops, to write: one of the current box (its chunk
 * is not encoded), or of a chunk lay_opload() decoded. */
static inline struct dl_op *
lay_opat(struct lay *L, size_t i)
{
	return &L->opc[i / L->opchunk].ops[i % L->opchunk];
}

/* opstore.c */
/* Appends op to lay.ops (L->oom set when out of memory). */
void lay_oppush(struct lay *L, const struct dl_op *op);
/* The i-th op to read, decoded when its chunk is encoded (then valid
 * until the next call; its runs' arrays NULL unless arrays): NULL, with
 * L->oom set, when out of memory. */
const struct dl_op *lay_opget(struct lay *L, size_t i, int arrays);
/* Sets the i-th op's reading order (dl_op.order). */
void lay_opmark(struct lay *L, size_t i, int order);
/* A box begins at op upto, every op made before it stored: seals the
 * runs no op will be made of again, encodes the chunks that end at or
 * before upto (the boxes that hold them are closed) and frees the runs
 * whose ops are all encoded. -1 when out of memory. */
int  lay_opzip(struct lay *L, size_t upto);
/* Chunk c's ops in L->opc[c].ops, decoded with its runs' arrays in a
 * (its form freed); -1 when out of memory. */
int  lay_opload(struct lay *L, size_t c, struct arena *a);
/* n bytes (zeroed) for a text run's arrays: with the chunk being filled
 * while laying out, then in the document's arena. NULL, with L->oom
 * set, when out of memory. */
void *lay_run_alloc(struct lay *L, size_t n);
/* op's runs' arrays copied into the document's arena (a ghost's, which
 * outlives its chunk); -1 when out of memory. */
int  lay_op_keep(struct lay *L, struct dl_op *op);
/* Frees the cache of lay_opget(). */
void lay_opcache_free(struct lay *L);
/* Frees every chunk, ghost and patch; a build that keeps its pages
 * (no sink) keeps the runs they point to in the document's arena. */
void lay_free_ops(struct lay *L);

/* flow.c */
int  lay_box(struct lay *L, double h);               /* starts a box */
void lay_op(struct lay *L, const struct dl_op *op);  /* into current box */
void lay_glue(struct lay *L, double h);
void lay_glue_shrink(struct lay *L, double h, double shrink);
void lay_penalty(struct lay *L, int p);
void lay_begin(struct lay *L, enum dl_struct st, int level, const char *alt);
void lay_end(struct lay *L, enum dl_struct st);
void lay_pending(struct lay *L, const struct dl_op *op);
/* The items from `from` (L->nv when the block began) to now make a
 * float, in n's section; nothing inside a list floats. */
void lay_float(struct lay *L, size_t from, const struct node *n);
/* What follows is past a boundary of level (a heading, a section's
 * end): no float of that level or deeper is passed by it. */
void lay_stop(struct lay *L, int level);
int  lay_paginate(struct lay *L);
/* Enters cell mode at y [pt] within the current box; lay_cell_end()
 * returns the height used. */
void lay_cell_begin(struct lay *L, double y);
double lay_cell_end(struct lay *L);
/* Makes the pages one at a time, each handed to L->sink when set. */
int  lay_emit(struct lay *L);

/* Turns the boxes from item `from` on into a ghost (removing them from
 * the list); returns its index or -1. */
int  lay_ghost(struct lay *L, size_t from);
/* Index in lay.ops of the op most recently added to the current box. */
size_t lay_last_op(struct lay *L);
struct buf;
/* b's text copied into the arena, and b freed. NULL, with L->oom set,
 * when an allocation failed, in b or in the copy: text cut short is
 * never laid out as if it were whole. */
const char *lay_buf_take(struct lay *L, struct buf *b);
/* Meta field key into b as the front sheet prints it (dates in the
 * house style, Yes/No, Exempt under paragraph N), repeated ones joined
 * with sep; 0 when it has no value. */
int lay_field(struct lay *L, struct buf *b, const char *key, const char *sep);

/* blocks.c */
int  lay_heading(struct lay *L, const char *label, const char *title,
    int level, const char *id, double indent, double col);
struct tstyle lay_style_at(struct lay *L, double size, int bold);

/* table.c */
int  lay_table(struct lay *L, const struct node *n, double indent);
/* A caption: pattern ("Table {n} – ") with the node's number, its
 * caption, and ": extra" when given; NULL when it has no caption. */
const char *lay_caption_text(struct lay *L, const char *pattern,
    const struct node *n, const char *extra);
/* A small note under a table or figure ("Source: …"). */
int  lay_note(struct lay *L, const char *text, double x, double w);
/* A table's or figure's caption (bold, tagged Caption). */
int  lay_caption(struct lay *L, const char *text, double x, double w);

/* figure.c */
int  lay_chart(struct lay *L, const struct node *n, double indent);
int  lay_kpis(struct lay *L, const struct node *n, double indent);
int  lay_risk_matrix(struct lay *L, const struct node *n, double indent);
int  lay_image(struct lay *L, const struct node *n, double indent);

/* text.c */
int  spans_add(struct lay *L, struct spans *s, const struct span *sp);
void spans_free(struct spans *s);
/* Appends the spans of the inline children of n (styles from st). */
int  spans_inlines(struct lay *L, struct spans *s, const struct node *n,
    const struct tstyle *st, int bold, int italic, const char *uri,
    const char *anchor);
/* The same for siblings from first up to (not including) stop. */
int  spans_run(struct lay *L, struct spans *s, const struct node *first,
    const struct node *stop, const struct tstyle *st, int bold, int italic,
    const char *uri, const char *anchor);
/* Appends plain text in a style's font. */
int  spans_text(struct lay *L, struct spans *s, const struct tstyle *st,
    int font, const char *text);
/*
 * Breaks spans into lines of width w at x and adds one box per line
 * (penalties between them keep widows and orphans away, and keep all
 * lines together when keep is set). Returns the number of lines, -1 on
 * failure.
 */
int  lay_lines(struct lay *L, const struct spans *s, const struct tstyle *st,
    double x, double w, int align, int keep);
/* Plain text in one style as left-aligned lines kept together (captions,
 * notes); 0 or -1. */
int  lay_plain(struct lay *L, const struct tstyle *st, const char *text,
    double x, double w);
/* The width text needs to be set in two lines [pt]: the wider line at
 * the break (UAX #14's, as lay_lines() takes them) that evens them
 * best; its whole width when it has no break. */
double lay_two_lines(struct lay *L, const struct tstyle *st,
    const char *text);
/* Baseline offset from the top of a line box [pt]. */
double lay_baseline(struct lay *L, const struct tstyle *st);
/* Width of text in a font at size [pt]. */
double lay_measure(struct lay *L, int font, double size, const char *text);
/* The same for n bytes of text. */
double lay_measure_n(struct lay *L, int font, double size, const char *text,
    size_t n);
/* A display op for text at (x, baseline y) in font/size/colour. */
int  lay_text_op(struct lay *L, struct dl_op *op, int font, double size,
    uint32_t colour, double x, double y, const char *text, size_t len);

#endif
