/*
 * pdf.c — walks the display list and writes a tagged PDF with libharu.
 * libharu draws pages, graphics, outlines, links and metadata; what its
 * API lacks (the structure tree with marked content, CID fonts, the
 * document ID, /Lang, /MarkInfo) is built through its object layer
 * (DESIGN.md).
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <string.h>
#include <time.h>
#include <hb.h>
#include <libdeflate.h>
#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_pages.h>

#include "pdf.h"
#include "backend.h"
#include "pdf_int.h"
#include "../util/buf.h"

#define MAX_DEPTH 128

/*
 * A structure element while it is open. When it closes, its dictionary
 * is written into an object stream at once (pdf_pre, pdf_int.h) and the
 * record freed: only the open elements (the stack) are held. libharu
 * knows each element only as a placeholder that holds its number.
 */
struct selem {
	char          s[12];   /* its type: P, H2, TD … */
	unsigned      num;     /* its object number */
	unsigned      parent;  /* its parent's, or 0 until catalog() */
	unsigned      pg;      /* its page's, or 0 */
	struct buf    k;       /* the contents of its /K array, as PDF */
	int           nk;      /* kids in k */
	struct buf    extra;   /* more entries, as PDF: a Figure's /Alt and
	                        * its /A with the Layout /BBox; or empty */
	int           scope;   /* TH: 1 Column, 2 Row */
	int           graft;   /* Sect: a pack's merge grafts a PDF's tree
	                        * here (/ScGraft N, removed by the merge) */
};

struct elem {
	unsigned       num;  /* its object number */
	struct selem  *rec;
	enum dl_struct st;
	int            pg;   /* page of its /Pg, or -1 */
};

struct anchor {
	const char *name;
	int         page;
	double      y;     /* [pt] from the top */
};

struct pw {
	HPDF_Doc        pdf;
	char           *name;       /* the output, as messages call it */
	int             consume;    /* free each page's ops once written */
	void           *docobj;     /* the Document element's placeholder */
	struct pdf_pre  pre;        /* the file, written as pages go */
	struct diags   *diags;
	HPDF_STATUS     err, detail;
	int             reported;   /* err said (report()) */
	struct dl_doc  *d;
	struct fontset *fs;
	HPDF_Dict       font[FONTSET_MAX];
	uint32_t       *cid[FONTSET_MAX]; /* glyph id → id in the subset */
	int             code_bytes[FONTSET_MAX]; /* 1 or 2 a glyph */
	/* The advance each drawn glyph has in the font's /W [font units]:
	 * the text's own advances are written as differences from it. */
	int32_t        *adv[FONTSET_MAX];
	HPDF_Page      *pages;
	size_t          npages;
	/* structure */
	struct elem     stack[MAX_DEPTH];
	int             depth;      /* stack[0] is the Document element */
	int             overflow;   /* levels past MAX_DEPTH, ignored */
	int             artifact;   /* inside an artifact */
	int             art_skip;   /* structure marks inside one */
	/* Where a float moved past text is read (dl_op.order): the
	 * element that the text went into, and the offset in its /K. */
	unsigned        mark_elem;
	size_t          mark_off;
	int             mc_open;    /* a BDC is open on this page */
	unsigned        mc_elem;    /* ... for this element (its number) */
	int             mcid;       /* next MCID on this page */
	struct buf      page_refs;  /* this page's parent tree array, as PDF */
	struct libdeflate_compressor *z; /* for content streams */
	HPDF_BYTE       id[16];     /* the document's /ID, from the content */
	uint64_t        h1, h2;     /* its hashes so far (content_hash()) */
	/* The parent tree's /Nums: the leaf being filled, and the leaves
	 * written (their numbers), each of at most NUMS_LEAF pairs or
	 * about LEAF_BYTES; one leaf alone is the root's /Nums. */
	struct nleaf {
		struct buf nums;    /* the /Nums pairs, as PDF */
		int        first, last, n;
	} leaf;
	unsigned       *leafnum;
	size_t          nleaves, capleaves;
	int             next_key;   /* parent tree keys for annotations */
	unsigned       *annot_elem; /* [key - npages]: Link element */
	size_t          nannot, capannot;
	/* anchors and outline */
	struct anchor  *anchors;
	size_t          nanchors;
	HPDF_Outline    outline[8];
	struct buf      page;       /* this page's content operators */
	/* The page's graphics state, so unchanged colours are not
	 * written again. */
	uint32_t        fill, stroke;
	double          lw;
	int             fill_set, stroke_set;
	int             dash;
	/* Text objects span runs of text (a table row's cells, a
	 * paragraph's lines): the font is set when it changes and each
	 * line moves by Td from the one before. Marked content nests
	 * inside or around them, never across. */
	int             in_text;    /* a BT is open */
	int             mc_in_text; /* the open BDC began inside it */
	int             tfont;      /* font and size set in it, or -1 */
	double          tsize;
	long long       tx, ty;     /* its line start [1/1000 pt] */
	/* The painting operator of the last path, held back so that the
	 * next path painted alike joins it (a row's cell borders: one S). */
	char            paint;
	/* Each image file loaded once: its XObject and its path. */
	struct { HPDF_Image img; const char *path; } *images;
	size_t          nimages, capimages;
};

/* Something the writer did failed: the file's write when that failed
 * (pages and object streams are written as they go: a full disk is
 * told as one), else memory. The first failure stays. */
static void
write_failed(struct pw *w)
{
	if (w->err == 0)
		w->err = w->pre.out.err ? w->pre.out.err :
		    HPDF_FAILD_TO_ALLOC_MEM;
}

static void
on_error(HPDF_STATUS err, HPDF_STATUS detail, void *data)
{
	struct pw *w = data;

	if (w->err == 0) {
		w->err = err;
		w->detail = detail;
	}
}

/*
 * libharu's small objects are carved from blocks here and all freed with
 * the document: a malloc and a free for each of a long table's 40,000
 * structure elements was 6% of its build. (libharu's own pool, the buffer
 * size of HPDF_NewEx, does the same but hands out unaligned addresses.)
 * Large ones (libharu's growing arrays: each growth frees the old copy)
 * are malloc'd and freed as asked, or a document with 15,000 links kept
 * every old copy of its parent tree. A 16-byte header says which. The
 * allocation hook takes no context, so the blocks of the document being
 * written hang from a per-thread pointer; a writer is not reentrant.
 */
enum { HBLOCK = 64 * 1024, HBIG = 1024, HHEAD = 16 };

struct hblock {
	struct hblock *next;
	size_t         used, size;
	max_align_t    data[];
};

static _Thread_local struct hblock *hblocks;

static void *
h_alloc(HPDF_UINT n)
{
	size_t need = (((size_t)n + 15) & ~(size_t)15) + HHEAD;
	struct hblock *b = hblocks;
	unsigned char *p;

	if (need > HBIG) {
		if ((p = malloc(need)) == NULL)
			return NULL;
		p[0] = 1;
		return p + HHEAD;
	}
	if (b == NULL || b->size - b->used < need) {
		if ((b = malloc(sizeof(*b) + HBLOCK)) == NULL)
			return NULL;
		b->size = HBLOCK;
		b->used = 0;
		b->next = hblocks;
		hblocks = b;
	}
	p = (unsigned char *)b->data + b->used;
	b->used += need;
	p[0] = 0;
	return p + HHEAD;
}

static void
h_free(void *p)
{
	unsigned char *h = (unsigned char *)p - HHEAD;

	if (p != NULL && h[0] == 1)
		free(h);
	/* small ones go with the document: h_release() */
}

static void
h_release(void)
{
	while (hblocks != NULL) {
		struct hblock *b = hblocks;
		hblocks = b->next;
		free(b);
	}
}

static double
rgb(uint32_t c, int shift)
{
	return (double)((c >> shift) & 0xFF) / 255.0;
}

/* Content operators collect in w->page and go to libharu's stream once
 * per page (see page_flush). */
static void
paint_flush(struct pw *w)
{
	if (w->paint) {
		buf_putc(&w->page, w->paint);
		buf_putc(&w->page, '\n');
		w->paint = 0;
	}
}

static void
raw(struct pw *w, HPDF_Page page, const char *s)
{
	(void)page;
	paint_flush(w);
	buf_puts(&w->page, s);
}

static void
text_begin(struct pw *w)
{
	if (w->in_text)
		return;
	raw(w, NULL, "BT\n");
	w->in_text = 1;
	w->tfont = -1;
	w->tx = w->ty = 0;
}

/* Names the filter of a content stream we deflated ourselves: libharu
 * drops any /Filter key from a stream it does not filter, but calls a
 * dictionary's write_fn while writing its entries. */
static HPDF_STATUS
flate_name(HPDF_Dict dict, HPDF_Stream stream)
{
	(void)dict;
	return HPDF_Stream_WriteStr(stream, "/Filter /FlateDecode\012");
}

int
pdf_put_deflated(HPDF_Dict d, int level, const void *data, size_t len)
{
	struct libdeflate_compressor *c = libdeflate_alloc_compressor(level);
	size_t zlen;
	void *z;
	int rc = -1;

	if (c == NULL)
		return -1;
	zlen = libdeflate_zlib_compress_bound(c, len);
	if ((z = malloc(zlen)) != NULL) {
		zlen = libdeflate_zlib_compress(c, len ? data : "", len, z, zlen);
		/* libharu must not filter it again; the write hook names the
		 * filter (libharu leaves /Filter out of unfiltered streams). */
		d->filter = HPDF_STREAM_FILTER_NONE;
		d->write_fn = flate_name;
		if (zlen > 0 && HPDF_Stream_Write(d->stream, z, (HPDF_UINT)zlen)
		    == HPDF_OK)
			rc = 0;
		free(z);
	}
	libdeflate_free_compressor(c);
	return rc;
}

/*
 * Writes the page's operators into its content stream, deflated here
 * with libdeflate (libharu's zlib at its default level cost a sixth of
 * a report's build). Level 5, lazy matching, not 1: 16% smaller content
 * for W3 at 50 M more instructions (bench/RESULTS.md has the table).
 */
static void
page_flush(struct pw *w, HPDF_Page page)
{
	HPDF_PageAttr attr = (HPDF_PageAttr)page->attr;

	if (w->page.oom || pdf_pre_content(&w->pre, attr->contents,
	    w->page.data, w->page.len) != 0) {
		write_failed(w);
		return;
	}
	buf_reset(&w->page);
}

static unsigned
obj_id(const void *obj)
{
	return ((const HPDF_Obj_Header *)obj)->obj_id & 0x00FFFFFF;
}

/* Appends " N 0 R" for object number v at p; returns the end. */
static char *
put_ref(char *p, unsigned v)
{
	char d[12];
	int n = 0;

	do
		d[n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	*p++ = ' ';
	while (n > 0)
		*p++ = d[--n];
	memcpy(p, " 0 R", 4);
	return p + 4;
}

/*
 * Writes closed element e into the object streams and frees it: as
 * compact as readers take it (no /Type, which is optional; no white
 * space a delimiter makes needless; a single kid without its array).
 * -1 when out of memory.
 */
static int
selem_close(struct pw *w, struct selem *e)
{
	size_t klen = e->k.len, n;
	struct buf b;
	char h[128], *p = h;
	int rc = -1;

	buf_init(&b);
	while (klen > 0 && e->k.data[klen - 1] == ' ')
		klen--;
	memcpy(p, "<</S/", 5);
	p += 5;
	n = strlen(e->s);
	memcpy(p, e->s, n);
	p += n;
	memcpy(p, "/P", 2);
	p = put_ref(p + 2, e->parent);
	if (e->pg) {
		memcpy(p, "/Pg", 3);
		p = put_ref(p + 3, e->pg);
	}
	memcpy(p, e->nk == 1 ? "/K " : "/K[", 3);
	p += 3;
	buf_put(&b, h, (size_t)(p - h));
	if (klen)
		buf_put(&b, e->k.data, klen);
	if (e->nk != 1)
		buf_putc(&b, ']');
	if (e->scope)
		buf_puts(&b, e->scope == 1 ? "/A<</O/Table/Scope/Column>>" :
		    "/A<</O/Table/Scope/Row>>");
	if (e->graft)
		buf_printf(&b, "/ScGraft %d", e->graft);
	buf_put(&b, e->extra.data, e->extra.len);
	buf_puts(&b, ">>");
	/* Never an element short of its kids or its alt text. */
	if (!b.oom && !e->k.oom && !e->extra.oom)
		rc = pdf_pre_add(&w->pre, e->num, b.data, b.len);
	buf_free(&b);
	buf_free(&e->k);
	buf_free(&e->extra);
	free(e);
	return rc;
}

/* A new element, open: its number is a placeholder's in libharu's
 * cross-reference list (*objp, when not NULL: one of its own, for a
 * libharu dictionary to refer to; else a shared slot). NULL when out of
 * memory. */
static struct selem *
selem_new(struct pw *w, const char *type, unsigned parent, void **objp)
{
	HPDF_Null obj = NULL;
	struct selem *e;
	unsigned num;

	if (objp != NULL) {
		obj = HPDF_Null_New(w->pdf->mmgr);
		if (obj == NULL || HPDF_Xref_Add(w->pdf->xref, obj) != HPDF_OK)
			return NULL;
		num = obj_id(obj);
	} else if ((num = pdf_pre_reserve(&w->pre)) == 0)
		return NULL;
	if ((e = calloc(1, sizeof(*e))) == NULL)
		return NULL;
	/* calloc'd: ends in NUL; every type is shorter (tag_name()) */
	memcpy(e->s, type, strnlen(type, sizeof(e->s) - 1));
	e->num = num;
	e->parent = parent;
	buf_init(&e->k);
	buf_init(&e->extra);
	if (objp != NULL)
		*objp = obj;
	return e;
}

/* Frees the open elements' records (a build that failed). */
static void
selem_free_open(struct pw *w)
{
	int i;

	for (i = w->depth; i >= 0; i--) {
		struct selem *e = w->stack[i].rec;
		if (e == NULL)
			continue;
		buf_free(&e->k);
		buf_free(&e->extra);
		free(e);
		w->stack[i].rec = NULL;
	}
}

/* Ends the text object, and first marked content begun inside it. */
static void
text_end(struct pw *w)
{
	if (!w->in_text)
		return;
	if (w->mc_open && w->mc_in_text) {
		raw(w, NULL, "EMC\n");
		w->mc_open = 0;
		w->mc_elem = 0;
	}
	raw(w, NULL, "ET\n");
	w->in_text = 0;
}

static void
mc_close(struct pw *w, HPDF_Page page)
{
	if (w->mc_open) {
		/* begun outside the text object: close that first */
		if (w->in_text && !w->mc_in_text)
			text_end(w);
		if (w->mc_open)
			raw(w, page, "EMC\n");
		w->mc_open = 0;
		w->mc_elem = 0;
	}
}

static const char *
tag_name(enum dl_struct st, int level, char *buf, size_t n)
{
	if (st == ST_H) {
		snprintf(buf, n, "H%d", level < 1 ? 1 : level > 6 ? 6 : level);
		return buf;
	}
	return dl_struct_name(st);
}

/* Before drawing: open marked content for the current element, or
 * mark decoration outside any element as an artifact. Returns 1 when
 * the caller must close an artifact it opened. */
static int
mc_for_content(struct pw *w, HPDF_Page page, int pageno, int text)
{
	struct elem *e = &w->stack[w->depth];

	/* Text goes into a text object, anything else outside one. */
	if (!text)
		text_end(w);
	if (w->artifact) {
		if (text)
			text_begin(w);
		return 0;
	}
	if (w->depth == 0) {
		mc_close(w, page);
		if (text)
			text_begin(w);
		raw(w, page, "/Artifact BMC\n");
		return 1;
	}
	if (w->mc_open && w->mc_elem == e->num) {
		if (text)
			text_begin(w);
		return 0;
	}
	mc_close(w, page);
	if (text)
		text_begin(w);
	paint_flush(w);
	w->mc_in_text = w->in_text;
	buf_putc(&w->page, '/');
	buf_puts(&w->page, e->rec->s);
	buf_puts(&w->page, "<</MCID ");
	buf_uint(&w->page, (unsigned long)w->mcid);
	buf_puts(&w->page, ">>BDC\n");
	/* An element's own page (/Pg) takes plain MCIDs; content on
	 * another page needs a marked-content reference. */
	if (e->pg < 0) {
		e->pg = pageno;
		e->rec->pg = obj_id(w->pages[pageno]);
	}
	if (e->pg == pageno) {
		buf_uint(&e->rec->k, (unsigned long)w->mcid);
		buf_putc(&e->rec->k, ' ');
	} else
		buf_printf(&e->rec->k, "<</Type/MCR/Pg %u 0 R/MCID %d>> ",
		    obj_id(w->pages[pageno]), w->mcid);
	e->rec->nk++;
	buf_uint(&w->page_refs, e->num);
	buf_puts(&w->page_refs, " 0 R ");
	w->mcid++;
	w->mc_open = 1;
	w->mc_elem = e->num;
	return 0;
}

/* Adds the element num to parent's kids: at the end, or for a float
 * moved past text, before that text (the mark) when it went into this
 * parent, since that is where the float was written. */
static void
kid_ref(struct pw *w, struct elem *parent, const struct dl_op *op,
    unsigned num)
{
	struct buf *k = &parent->rec->k;
	size_t at = k->len, n;
	char ref[32];   /* "4294967295 0 R " */

	buf_uint(k, num);
	buf_puts(k, " 0 R ");
	parent->rec->nk++;
	if (op->order != DL_ORDER_BEFORE || w->mark_elem != parent->num ||
	    w->mark_off > at || k->oom)
		return;
	/* The new kid, "N 0 R " at the end, moved to the mark. */
	n = k->len - at;
	memcpy(ref, k->data + at, n);
	memmove(k->data + w->mark_off + n, k->data + w->mark_off,
	    at - w->mark_off);
	memcpy(k->data + w->mark_off, ref, n);
	/* A float's caption then its figure: in that order. */
	w->mark_off += n;
}

/* Opens the element that ops[i] of dp begins. */
static void
begin_elem(struct pw *w, const struct dl_page *dp, size_t i,
    HPDF_Page page)
{
	const struct dl_op *op = &dp->ops[i];
	struct elem *parent = &w->stack[w->depth], *e;
	char buf[16];
	double box[4];

	if (op->st == ST_ARTIFACT) {
		mc_close(w, page);
		if (w->artifact++ == 0) {
			text_end(w);
			raw(w, page, "/Artifact BMC\n");
		}
		return;
	}
	/* Structure inside an artifact (a repeated table header) is not
	 * structure: the first occurrence is the tagged one. */
	if (w->artifact > 0) {
		w->art_skip++;
		return;
	}
	if (w->depth + 1 >= MAX_DEPTH) {
		w->overflow++;
		return;
	}
	mc_close(w, page);
	e = &w->stack[++w->depth];
	e->st = op->st;
	e->pg = -1;
	e->rec = selem_new(w, tag_name(op->st, op->level, buf, sizeof(buf)),
	    parent->num, NULL);
	if (e->rec == NULL) {
		w->depth--;
		write_failed(w);
		return;
	}
	e->num = e->rec->num;
	if (op->alt != NULL) {
		buf_puts(&e->rec->extra, "/Alt");
		pdf_text_literal(&e->rec->extra, op->alt);
		if (e->rec->extra.oom) {
			/* Never a figure without its alt text. */
			write_failed(w);
			return;
		}
	}
	/* Where a figure is on its page, for a reader that reflows or
	 * magnifies it (PDF/UA: a Figure's Layout BBox). */
	if (op->st == ST_FIGURE && dl_figure_box(dp, i, box, 1) > 0) {
		struct buf *x = &e->rec->extra;
		buf_puts(x, "/A<</O/Layout/Placement/Block/BBox[");
		buf_num(x, box[0]);
		buf_putc(x, ' ');
		buf_num(x, dp->height - box[1] - box[3]);
		buf_putc(x, ' ');
		buf_num(x, box[0] + box[2]);
		buf_putc(x, ' ');
		buf_num(x, dp->height - box[1]);
		buf_puts(x, "]>>");
	}
	if (op->st == ST_TH)
		e->rec->scope = op->level == 1 ? 1 : 2;
	/* A pack's section for an appendix PDF: "graft:N" */
	if (op->st == ST_SECT && op->anchor != NULL &&
	    strncmp(op->anchor, "graft:", 6) == 0)
		e->rec->graft = atoi(op->anchor + 6);
	kid_ref(w, parent, op, e->num);
}

static void
end_elem(struct pw *w, const struct dl_op *op, HPDF_Page page)
{
	if (op->st == ST_ARTIFACT) {
		if (w->artifact > 0 && --w->artifact == 0) {
			text_end(w);
			raw(w, page, "EMC\n");
		}
		return;
	}
	if (w->art_skip > 0) {
		w->art_skip--;
		return;
	}
	if (w->overflow > 0) {
		w->overflow--;
		return;
	}
	mc_close(w, page);
	if (w->depth > 0) {
		struct selem *e = w->stack[w->depth].rec;
		w->stack[w->depth--].rec = NULL;
		if (selem_close(w, e) != 0)
			write_failed(w);
	}
}


/* Colour operators, written only when the colour changes. */
static void
put_colour(struct buf *b, uint32_t c, const char *op)
{
	buf_num(b, rgb(c, 16));
	buf_putc(b, ' ');
	buf_num(b, rgb(c, 8));
	buf_putc(b, ' ');
	buf_num(b, rgb(c, 0));
	buf_putc(b, ' ');
	buf_puts(b, op);
	buf_putc(b, '\n');
}

static void
set_fill(struct pw *w, struct buf *b, uint32_t c)
{
	if (w->fill_set && w->fill == c)
		return;
	put_colour(b, c, "rg");
	w->fill = c;
	w->fill_set = 1;
}

static void
set_stroke(struct pw *w, struct buf *b, uint32_t c, double lw)
{
	if (!w->stroke_set || w->stroke != c) {
		put_colour(b, c, "RG");
		w->stroke = c;
	}
	if (!w->stroke_set || w->lw != lw) {
		buf_num(b, lw);
		buf_puts(b, " w\n");
		w->lw = lw;
	}
	w->stroke_set = 1;
}

/*
 * Text is written as glyph ids with TJ adjustments for kerning and
 * justification; graphics as plain operators. Both go straight into the
 * page's libharu content stream: libharu's own per-operator calls cost
 * about 2,000 instructions each (HPDF_Page_SetRGBFill clears a buffer
 * every time), which made them most of a long table's build.
 */
/* A byte of a literal string: the delimiters, the escape and a carriage
 * return (which readers would take as an end of line) escaped. */
static size_t
put_code(char *s, size_t n, unsigned c)
{
	switch (c) {
	case '(': case ')': case '\\':
		s[n++] = '\\';
		s[n++] = (char)c;
		break;
	case '\r':
		s[n++] = '\\';
		s[n++] = 'r';
		break;
	default:
		s[n++] = (char)c;
	}
	return n;
}

/* A length in thousandths of a point, rounded as buf_num rounds. */
static long long
milli(double v)
{
	/* To the hundredth of a point (a 7,200th of an inch, finer than
	 * any printer): a third digit was a tenth of the text's bytes. */
	return isfinite(v) && v < 1e15 && v > -1e15 ? 10 * llround(v * 100.0) :
	    0;
}

static void
put_milli(struct buf *b, long long v)
{
	buf_num(b, (double)v / 1000.0);
}

static void
text_op(struct pw *w, HPDF_Page page, const struct dl_op *op, double ph)
{
	struct font *f = w->fs->font[op->font];
	struct buf *b = &w->page;
	unsigned i;
	double k = 1000.0 / f->upem;
	int open = 0;
	char s[256];
	size_t n = 0;
	/* TJ moves in whole thousandths of an em, each rounding's remainder
	 * (and each move too small to write) carried into the next, so that
	 * a line ends within 1/2000 em of where the layout ended it. */
	double carry = 0;
	const char *actual;
	char act[256];

	(void)page;
	set_fill(w, b, op->colour);
	/* A trend arrow is read as its word: ActualText, nested in the
	 * cell's own marked content. */
	if ((actual = dl_actual_text(op->text, act, sizeof(act))) != NULL) {
		buf_puts(b, "/Span <</ActualText ");
		pdf_text_literal(b, actual);
		buf_puts(b, ">> BDC\n");
	}
	if (w->tfont != op->font || w->tsize != op->size) {
		buf_puts(b, "/F");
		buf_uint(b, (unsigned long)op->font);
		buf_putc(b, ' ');
		buf_num(b, op->size);
		buf_puts(b, " Tf\n");
		w->tfont = op->font;
		w->tsize = op->size;
	}
	{
		/* Td from the line before, in thousandths as buf_num rounds,
		 * so that the rounding does not add up along a page. */
		long long x = milli(op->x), y = milli(ph - op->y);
		put_milli(b, x - w->tx);
		buf_putc(b, ' ');
		put_milli(b, y - w->ty);
		buf_puts(b, " Td\n[");
		w->tx = x;
		w->ty = y;
	}
	for (i = 0; i < op->nglyphs; i++) {
		uint32_t g = op->gid[i];
		unsigned cid = g < f->nglyphs ? w->cid[op->font][g] : 0;
		double nominal = g < f->nglyphs ? w->adv[op->font][g] : 0;
		double diff = (double)op->adv[i] - nominal;
		/* One or two bytes a glyph in a literal string: a half or a
		 * quarter of hex, so fewer bytes to deflate. */
		if (n + 6 > sizeof(s)) { /* "(", two escaped bytes, ")" */
			buf_put(b, s, n);
			n = 0;
		}
		if (!open) {
			s[n++] = '(';
			open = 1;
		}
		if (w->code_bytes[op->font] == 2)
			n = put_code(s, n, cid >> 8 & 0xFF);
		n = put_code(s, n, cid & 0xFF);
		if (g == f->space_gid && op->word_space != 0)
			diff += op->word_space * f->upem / op->size;
		{
			double want = -diff * k + carry;
			long long r = llround(want);
			carry = want - (double)r;
			if (r != 0) {
				s[n++] = ')';
				open = 0;
				buf_put(b, s, n);
				n = 0;
				buf_num(b, (double)r);
			}
		}
	}
	if (open)
		s[n++] = ')';
	buf_put(b, s, n);
	buf_puts(b, "] TJ\n");
	if (actual != NULL)
		buf_puts(b, "EMC\n");
}

static void
put_xy(struct buf *b, double x, double y, const char *op)
{
	buf_num(b, x);
	buf_putc(b, ' ');
	buf_num(b, y);
	buf_putc(b, ' ');
	buf_puts(b, op);
	buf_putc(b, '\n');
}

static void
graphic_op(struct pw *w, HPDF_Page page, const struct dl_op *op, double ph)
{
	struct buf *b = &w->page;
	const char *paint;
	unsigned i;
	int join;
	double lw;

	(void)page;
	paint = op->kind == DL_LINE ? "S" : op->do_fill && op->do_stroke ?
	    "B" : op->do_fill ? "f" : "S";
	/* Strokes join (each subpath is stroked, and dashed, on its own);
	 * fills only of rectangles, whose subpaths all wind one way. */
	join = paint[0] == 'S' || (paint[0] == 'f' && op->kind == DL_RECT &&
	    op->w >= 0 && op->h >= 0);
	lw = op->line_width > 0 ? op->line_width : 0.75;
	/* The held path is painted first unless this one joins it: same
	 * painting, and no state to change in between. */
	if (w->paint && (!join || w->paint != paint[0] ||
	    op->dash != w->dash ||
	    (paint[0] == 'S' && (!w->stroke_set || w->stroke != op->colour ||
	    w->lw != lw)) ||
	    (paint[0] == 'f' && (!w->fill_set || w->fill != op->fill))))
		paint_flush(w);
	if (op->kind == DL_LINE || op->do_stroke)
		set_stroke(w, b, op->colour, lw);
	if (op->kind != DL_LINE && op->do_fill)
		set_fill(w, b, op->fill);
	if (op->dash != w->dash) {
		buf_puts(b, op->dash == 1 ? "[6 3] 0 d\n" : op->dash == 2 ?
		    "[1.5 2] 0 d\n" : "[] 0 d\n");
		w->dash = op->dash;
	}
	switch (op->kind) {
	case DL_LINE:
		put_xy(b, op->x, ph - op->y, "m");
		put_xy(b, op->x + op->w, ph - op->y - op->h, "l");
		break;
	case DL_RECT:
		buf_num(b, op->x);
		buf_putc(b, ' ');
		buf_num(b, ph - op->y - op->h);
		buf_putc(b, ' ');
		buf_num(b, op->w);
		buf_putc(b, ' ');
		buf_num(b, op->h);
		buf_puts(b, " re\n");
		break;
	case DL_PATH:
		for (i = 0; i < op->nsegs; i++) {
			const struct dl_path_seg *sg = &op->segs[i];
			double x0 = op->x + sg->x[0], y0 = ph - op->y - sg->y[0];
			double x1 = op->x + sg->x[1], y1 = ph - op->y - sg->y[1];
			double x2 = op->x + sg->x[2], y2 = ph - op->y - sg->y[2];
			switch (sg->op) {
			case PATH_MOVE:
				put_xy(b, x0, y0, "m");
				break;
			case PATH_LINE:
				put_xy(b, x0, y0, "l");
				break;
			case PATH_CURVE:
				buf_num(b, x0);
				buf_putc(b, ' ');
				buf_num(b, y0);
				buf_putc(b, ' ');
				buf_num(b, x1);
				buf_putc(b, ' ');
				buf_num(b, y1);
				buf_putc(b, ' ');
				put_xy(b, x2, y2, "c");
				break;
			case PATH_CLOSE:
				buf_puts(b, "h\n");
				break;
			}
		}
		break;
	default:
		return;
	}
	if (join)
		w->paint = paint[0];
	else {
		buf_puts(b, paint);
		buf_putc(b, '\n');
	}
}

/* An image XObject, loaded once per file by libharu, painted with our
 * own operators (the page's operators are collected in w->page). */
static void
image_op(struct pw *w, HPDF_Page page, const struct dl_op *op, double ph)
{
	HPDF_Image img = NULL;
	const char *name;
	size_t i;

	for (i = 0; i < w->nimages && img == NULL; i++)
		if (strcmp(w->images[i].path, op->uri) == 0)
			img = w->images[i].img;
	if (img == NULL) {
		if (w->nimages == w->capimages) {
			size_t cap = w->capimages ? 2 * w->capimages : 16;
			void *v = realloc(w->images, cap * sizeof(*w->images));
			if (v == NULL) {
				write_failed(w);
				return;
			}
			w->images = v;
			w->capimages = cap;
		}
		img = op->level == 1 ? HPDF_LoadPngImageFromFile(w->pdf, op->uri) :
		    HPDF_LoadJpegImageFromFile(w->pdf, op->uri);
		if (img == NULL)
			return;          /* libharu's error handler has w->err */
		w->images[w->nimages].img = img;
		w->images[w->nimages++].path = op->uri;
	}
	if ((name = HPDF_Page_GetXObjectName(page, img)) == NULL)
		return;
	paint_flush(w);
	buf_puts(&w->page, "q ");
	buf_num(&w->page, op->w);
	buf_puts(&w->page, " 0 0 ");
	buf_num(&w->page, op->h);
	buf_putc(&w->page, ' ');
	buf_num(&w->page, op->x);
	buf_putc(&w->page, ' ');
	buf_num(&w->page, ph - op->y - op->h);
	buf_printf(&w->page, " cm /%s Do Q\n", name);
}

/* [page /XYZ left top null]: libharu's SetXYZ refuses a null zoom,
 * which is what keeps the reader's own zoom. */
static HPDF_Destination
xyz(struct pw *w, int pageno, double top)
{
	HPDF_Array a = HPDF_Array_New(w->pdf->mmgr);

	if (a == NULL)
		return NULL;
	a->header.obj_class |= HPDF_OSUBCLASS_DESTINATION;
	HPDF_Array_Add(a, w->pages[pageno]);
	HPDF_Array_AddName(a, "XYZ");
	HPDF_Array_AddReal(a, 0);
	HPDF_Array_AddReal(a, (HPDF_REAL)top);
	HPDF_Array_Add(a, HPDF_Null_New(w->pdf->mmgr));
	return a;
}

static const struct anchor *
find_anchor(const struct pw *w, const char *name)
{
	size_t i;

	for (i = 0; i < w->nanchors; i++)
		if (strcmp(w->anchors[i].name, name) == 0)
			return &w->anchors[i];
	return NULL;
}

static void
link_op(struct pw *w, HPDF_Page page, int pageno, const struct dl_op *op,
    double ph)
{
	HPDF_Rect r;
	HPDF_Annotation an = NULL;
	struct elem *e = &w->stack[w->depth];

	r.left = (HPDF_REAL)op->x;
	r.right = (HPDF_REAL)(op->x + op->w);
	r.bottom = (HPDF_REAL)(ph - op->y - op->h);
	r.top = (HPDF_REAL)(ph - op->y);
	if (op->uri != NULL)
		an = HPDF_Page_CreateURILinkAnnot(page, r, op->uri);
	else if (op->anchor != NULL) {
		const struct anchor *a = find_anchor(w, op->anchor);
		HPDF_Destination dst;
		if (a == NULL)
			return;
		if ((dst = xyz(w, a->page, ph - a->y + 4)) == NULL)
			return;
		an = HPDF_Page_CreateLinkAnnot(page, r, dst);
	}
	if (an == NULL)
		return;
	HPDF_LinkAnnot_SetBorderStyle(an, 0, 0, 0);
	/* Printed (PDF/A-2 6.3.2: every annotation's /F has Print). */
	if (HPDF_Dict_AddNumber(an, "F", 4) != HPDF_OK) {
		write_failed(w);
		return;
	}
	if (op->text != NULL) {
		void *c = pdf_text_string(w->pdf, op->text);
		if (c == NULL) {   /* out of memory, not libharu's NULL object */
			write_failed(w);
			return;
		}
		HPDF_Dict_Add(an, "Contents", c);
	}
	/* Tag it: an OBJR in the Link element, and a parent tree entry. */
	if (e->st == ST_LINK && w->depth > 0) {
		buf_printf(&e->rec->k, "<</Type/OBJR/Obj %u 0 R/Pg %u 0 R>> ",
		    obj_id(an), obj_id(w->pages[pageno]));
		e->rec->nk++;
		if (w->nannot == w->capannot) {
			size_t cap = w->capannot ? w->capannot * 2 : 16;
			unsigned *v = realloc(w->annot_elem, cap * sizeof(*v));
			if (v == NULL) {
				write_failed(w);
				return;
			}
			w->annot_elem = v;
			w->capannot = cap;
		}
		HPDF_Dict_AddNumber(an, "StructParent", w->next_key);
		w->annot_elem[w->nannot++] = e->num;
		w->next_key++;
	}
}

static void
outline_op(struct pw *w, int pageno, const struct dl_op *op, double ph)
{
	HPDF_Outline parent, o;
	HPDF_Destination dst;
	void *title;
	int lv = op->level;

	if (lv < 1)
		return;
	if (lv > 7)
		lv = 7;
	/* A level with no parent hangs from the nearest one above. */
	parent = NULL;
	{
		int k;
		for (k = lv - 1; k >= 1 && parent == NULL; k--)
			parent = w->outline[k];
	}
	o = HPDF_CreateOutline(w->pdf, parent, "-", NULL);
	if (o == NULL)
		return;
	/* An outline entry without its title is lost navigation. */
	if ((title = pdf_text_string(w->pdf, op->title ? op->title : "")) ==
	    NULL) {
		write_failed(w);
		return;
	}
	HPDF_Dict_Add(o, "Title", title);
	/* An item has no /Type (only the outline's root may): libharu's
	 * /Outlines on every one was 15 bytes of each. */
	HPDF_Dict_RemoveElement(o, "Type");
	if ((dst = xyz(w, pageno, ph - op->y + 4)) != NULL)
		HPDF_Outline_SetDestination(o, dst);
	HPDF_Outline_SetOpened(o, lv == 1 ? HPDF_TRUE : HPDF_FALSE);
	w->outline[lv] = o;
	{
		int k;
		for (k = lv + 1; k < 8; k++)
			w->outline[k] = NULL;
	}
}

static int
collect_anchors(struct pw *w)
{
	size_t p, i, n = 0;

	/* A streamed build's pages are not made yet: layout found them. */
	if (w->d->anchors != NULL) {
		w->anchors = calloc(w->d->nanchors + 1, sizeof(*w->anchors));
		if (w->anchors == NULL)
			return -1;
		for (i = 0; i < w->d->nanchors; i++)
			w->anchors[i] = (struct anchor){ w->d->anchors[i].name,
				w->d->anchors[i].page, w->d->anchors[i].y };
		w->nanchors = w->d->nanchors;
		return 0;
	}
	for (p = 0; p < w->d->npages; p++)
		for (i = 0; i < w->d->pages[p].n; i++)
			if (w->d->pages[p].ops[i].kind == DL_ANCHOR)
				n++;
	w->anchors = calloc(n + 1, sizeof(*w->anchors));
	if (w->anchors == NULL)
		return -1;
	for (p = 0; p < w->d->npages; p++)
		for (i = 0; i < w->d->pages[p].n; i++) {
			const struct dl_op *o = &w->d->pages[p].ops[i];
			if (o->kind != DL_ANCHOR || o->anchor == NULL)
				continue;
			w->anchors[w->nanchors].name = o->anchor;
			w->anchors[w->nanchors].page = (int)p;
			w->anchors[w->nanchors].y = o->y;
			w->nanchors++;
		}
	return 0;
}

static void
page_fonts(struct pw *w, HPDF_Page page)
{
	HPDF_Dict res = HPDF_Dict_GetItem(page, "Resources", HPDF_OCLASS_DICT);
	HPDF_Dict fonts;
	int i;
	char name[16];

	if (res == NULL)
		return;
	fonts = HPDF_Dict_GetItem(res, "Font", HPDF_OCLASS_DICT);
	if (fonts == NULL) {
		fonts = HPDF_Dict_New(w->pdf->mmgr);
		if (fonts == NULL || HPDF_Dict_Add(res, "Font", fonts) != HPDF_OK)
			return;
	}
	for (i = 0; i < w->fs->n; i++)
		if (w->font[i] != NULL) {
			snprintf(name, sizeof(name), "F%d", i);
			HPDF_Dict_Add(fonts, name, w->font[i]);
		}
}

/* 4,096 keys, or 64 KB of /Nums (twice deflate's window: packed in an
 * object stream it deflates as well as one long leaf would) */
enum { NUMS_LEAF = 4096, LEAF_BYTES = 64 * 1024 };

/* Writes the leaf being filled into pre, with its /Limits, and empties
 * it: a long document's parent tree is not held to the save (t1000: 2
 * MB of page arrays held, 4 MB more to write them). */
static int
leaf_write(struct pw *w)
{
	struct nleaf *l = &w->leaf;
	struct buf b;
	unsigned num;
	int rc = -1;

	if (w->nleaves == w->capleaves) {
		size_t cap = w->capleaves ? 2 * w->capleaves : 16;
		unsigned *v = realloc(w->leafnum, cap * sizeof(*v));
		if (v == NULL)
			return -1;
		w->leafnum = v;
		w->capleaves = cap;
	}
	buf_init(&b);
	buf_printf(&b, "<</Limits[%d %d]/Nums[", l->first, l->last);
	if (l->nums.len > 0)
		buf_put(&b, l->nums.data, l->nums.len - 1);
	buf_puts(&b, "]>>");
	if (!b.oom && !l->nums.oom && (num = pdf_pre_reserve(&w->pre)) != 0 &&
	    pdf_pre_add(&w->pre, num, b.data, b.len) == 0) {
		w->leafnum[w->nleaves++] = num;
		buf_reset(&l->nums);
		l->n = 0;
		rc = 0;
	}
	buf_free(&b);
	return rc;
}

/* Adds key → val (n bytes of PDF) to the parent tree, in key order.
 * The tree is written as text: libharu's array writer, a call or five
 * per reference, was 30 M instructions of W3's save. */
static int
nums_add(struct pw *w, int key, const char *val, size_t n)
{
	struct nleaf *l = &w->leaf;

	if (l->n == NUMS_LEAF || (l->n > 0 && l->nums.len + n > LEAF_BYTES))
		if (leaf_write(w) != 0)
			return -1;
	if (l->n == 0)
		l->first = key;
	l->last = key;
	l->n++;
	buf_uint(&l->nums, (unsigned long)key);
	buf_putc(&l->nums, ' ');
	buf_put(&l->nums, val, n);
	buf_putc(&l->nums, ' ');
	return l->nums.oom ? -1 : 0;
}

/* The parent tree's root: /Nums when one leaf holds every key, else
 * /Kids, the leaves written. */
static HPDF_STATUS
nums_write(HPDF_Dict d, HPDF_Stream st)
{
	struct pw *w = d->attr;
	struct buf b;
	HPDF_STATUS rc;
	size_t i;

	buf_init(&b);
	if (w->nleaves == 0) {
		buf_puts(&b, "/Nums[");
		if (w->leaf.nums.len > 0)
			buf_put(&b, w->leaf.nums.data, w->leaf.nums.len - 1);
	} else {
		buf_puts(&b, "/Kids[");
		for (i = 0; i < w->nleaves; i++)
			buf_printf(&b, i ? " %u 0 R" : "%u 0 R", w->leafnum[i]);
	}
	buf_putc(&b, ']');
	rc = b.oom ? HPDF_FAILD_TO_ALLOC_MEM :
	    HPDF_Stream_Write(st, (const HPDF_BYTE *)b.data, (HPDF_UINT)b.len);
	buf_free(&b);
	return rc;
}

static int
nums_root(struct pw *w, HPDF_Dict ptree)
{
	if (w->nleaves > 0 && w->leaf.n > 0 && leaf_write(w) != 0)
		return -1;
	ptree->attr = w;
	ptree->write_fn = nums_write;
	return 0;
}

static int
draw_page(struct pw *w, size_t p)
{
	const struct dl_page *dp = &w->d->pages[p];
	HPDF_Page page = w->pages[p];
	double ph = dp->height;
	size_t i;

	w->mcid = 0;
	w->mc_open = 0;
	w->fill_set = w->stroke_set = 0;
	w->dash = 0;
	w->in_text = 0;
	w->paint = 0;
	buf_reset(&w->page_refs);
	buf_putc(&w->page_refs, '[');
	HPDF_Dict_AddNumber(page, "StructParents", (HPDF_INT32)p);
	HPDF_Dict_AddName(page, "Tabs", "S");
	page_fonts(w, page);
	/* Elements open across the page break continue here; their
	 * marked content restarts on this page. */
	for (i = 0; i < dp->n && w->err == 0; i++) {
		const struct dl_op *op = &dp->ops[i];
		int art;
		if (op->order == DL_ORDER_MARK && w->artifact == 0) {
			w->mark_elem = w->stack[w->depth].num;
			w->mark_off = w->stack[w->depth].rec != NULL ?
			    w->stack[w->depth].rec->k.len : 0;
		}
		switch (op->kind) {
		case DL_BEGIN:
			begin_elem(w, dp, i, page);
			break;
		case DL_END:
			end_elem(w, op, page);
			break;
		case DL_TEXT:
		case DL_LINE:
		case DL_RECT:
		case DL_PATH:
		case DL_IMAGE:
			/* Content: marked for its element, or an artifact. */
			art = mc_for_content(w, page, (int)p,
			    op->kind == DL_TEXT);
			if (op->kind == DL_TEXT)
				text_op(w, page, op, ph);
			else if (op->kind == DL_IMAGE)
				image_op(w, page, op, ph);
			else
				graphic_op(w, page, op, ph);
			if (art)
				raw(w, page, "EMC\n");
			break;
		case DL_LINK:
			link_op(w, page, (int)p, op, ph);
			break;
		case DL_ANCHOR:
			outline_op(w, (int)p, op, ph);
			break;
		default:
			break;
		}
	}
	mc_close(w, page);
	text_end(w);
	/* An artifact never spans pages; close one left open. */
	while (w->artifact > 0) {
		raw(w, page, "EMC\n");
		w->artifact--;
	}
	paint_flush(w);
	page_flush(w, page);
	/* "[a 0 R b 0 R]": its last space made the bracket */
	if (w->page_refs.len > 1)
		w->page_refs.data[w->page_refs.len - 1] = ']';
	else
		buf_putc(&w->page_refs, ']');
	if (w->page_refs.oom || nums_add(w, (int)p, w->page_refs.data,
	    w->page_refs.len) != 0)
		write_failed(w);
	return w->err ? -1 : 0;
}

/* A document ID from the content: same inputs, same bytes. Hashed a page
 * at a time as each is drawn (a streamed build's later pages are not
 * made yet when the PDF begins), taken at the end. */
static void
content_hash(struct pw *w, const struct dl_page *pg)
{
	size_t i;

	for (i = 0; i < pg->n; i++) {
		const struct dl_op *o = &pg->ops[i];
		const char *s = o->text;
		long long v = (long long)(o->x * 100) * 31 +
		    (long long)(o->y * 100) + o->kind;
		w->h1 = (w->h1 ^ (uint64_t)v) * 1099511628211ULL;
		w->h2 = (w->h2 ^ (uint64_t)v) * 0xff51afd7ed558ccdULL;
		for (; s && *s; s++) {
			w->h1 = (w->h1 ^ (unsigned char)*s) * 1099511628211ULL;
			w->h2 = (w->h2 ^ (unsigned char)*s) *
			    0xc4ceb9fe1a85ec53ULL;
		}
	}
}

static void
content_id(const struct pw *w, HPDF_BYTE id[16])
{
	int i;

	for (i = 0; i < 8; i++) {
		id[i] = (HPDF_BYTE)(w->h1 >> (8 * i));
		id[8 + i] = (HPDF_BYTE)(w->h2 >> (8 * i));
	}
}

/* PDF/A-2 and -3 (ISO 19005-2 6.6.2.3) allow in XMP only the predefined
 * schemas and those the packet describes: pdfuaid (ISO 14289-1) is not
 * one, so a PDF that claims both says what pdfuaid:part is. */
static const char pdfua_schema[] =
    "<rdf:Description rdf:about=\"\"\n"
    " xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\"\n"
    " xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\"\n"
    " xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/property#\">\n"
    "<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType=\"Resource\">\n"
    "<pdfaSchema:schema>PDF/UA Universal Accessibility Schema"
    "</pdfaSchema:schema>\n"
    "<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/"
    "</pdfaSchema:namespaceURI>\n"
    "<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>\n"
    "<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType=\"Resource\">\n"
    "<pdfaProperty:name>part</pdfaProperty:name>\n"
    "<pdfaProperty:valueType>Integer</pdfaProperty:valueType>\n"
    "<pdfaProperty:category>internal</pdfaProperty:category>\n"
    "<pdfaProperty:description>The part of ISO 14289 the file conforms "
    "to</pdfaProperty:description>\n"
    "</rdf:li></rdf:Seq></pdfaSchema:property>\n"
    "</rdf:li></rdf:Bag></pdfaExtension:schemas>\n"
    "</rdf:Description>\n";

/* The XMP packet (ISO 16684-1) that PDF/UA-1 (ISO 14289-1, 5 and 7.1)
 * and PDF/A (ISO 19005-2 6.6) ask for: the same title, author, subject,
 * keywords, producer, creator and dates as the Info dictionary, and the
 * identification of each standard claimed. */
static int
xmp(struct pw *w, const char *date)
{
	const struct dl_doc *d = w->d;
	struct buf x;
	HPDF_Dict m;
	int rc = -1;

	buf_init(&x);
	buf_puts(&x, "<?xpacket begin=\"\xEF\xBB\xBF\" "
	    "id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
	    "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
	    "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n");
	if (d->pdfa_part != 0 && d->pdfua)
		buf_puts(&x, pdfua_schema);
	buf_puts(&x, "<rdf:Description rdf:about=\"\"\n"
	    " xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
	    " xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n"
	    " xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"");
	if (d->pdfa_part != 0)
		buf_puts(&x, "\n xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\"");
	if (d->pdfua)
		buf_puts(&x, "\n xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\"");
	buf_puts(&x, ">\n");
	if (d->pdfa_part != 0)
		buf_printf(&x, "<pdfaid:part>%d</pdfaid:part>\n"
		    "<pdfaid:conformance>%c</pdfaid:conformance>\n",
		    d->pdfa_part, d->pdfa_conformance);
	if (d->pdfua)
		buf_puts(&x, "<pdfuaid:part>1</pdfuaid:part>\n");
	buf_puts(&x, "<dc:format>application/pdf</dc:format>\n");
	if (d->title) {
		buf_puts(&x, "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">");
		buf_put_xml(&x, d->title);
		buf_puts(&x, "</rdf:li></rdf:Alt></dc:title>\n");
	}
	if (d->author) {
		buf_puts(&x, "<dc:creator><rdf:Seq><rdf:li>");
		buf_put_xml(&x, d->author);
		buf_puts(&x, "</rdf:li></rdf:Seq></dc:creator>\n");
	}
	if (d->subject) {
		buf_puts(&x, "<dc:description><rdf:Alt><rdf:li "
		    "xml:lang=\"x-default\">");
		buf_put_xml(&x, d->subject);
		buf_puts(&x, "</rdf:li></rdf:Alt></dc:description>\n");
	}
	buf_puts(&x, "<dc:language><rdf:Bag><rdf:li>");
	buf_put_xml(&x, d->lang ? d->lang : "en-GB");
	buf_puts(&x, "</rdf:li></rdf:Bag></dc:language>\n");
	if (d->keywords) {
		buf_puts(&x, "<pdf:Keywords>");
		buf_put_xml(&x, d->keywords);
		buf_puts(&x, "</pdf:Keywords>\n");
	}
	buf_puts(&x, "<pdf:Producer>scrutineer " SC_VERSION "</pdf:Producer>\n"
	    "<xmp:CreatorTool>scrutineer " SC_VERSION "</xmp:CreatorTool>\n");
	if (date != NULL)
		buf_printf(&x, "<xmp:CreateDate>%s</xmp:CreateDate>\n"
		    "<xmp:ModifyDate>%s</xmp:ModifyDate>\n"
		    "<xmp:MetadataDate>%s</xmp:MetadataDate>\n", date, date, date);
	buf_puts(&x, "</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n"
	    "<?xpacket end=\"r\"?>");
	/* Left unfiltered, as PDF/A asks, so that any tool can find it. */
	if (!x.oom && (m = HPDF_DictStream_New(w->pdf->mmgr, w->pdf->xref))
	    != NULL) {
		m->filter = HPDF_STREAM_FILTER_NONE;
		HPDF_Dict_AddName(m, "Type", "Metadata");
		HPDF_Dict_AddName(m, "Subtype", "XML");
		if (HPDF_Stream_Write(m->stream, (const HPDF_BYTE *)x.data,
		    (HPDF_UINT)x.len) == HPDF_OK &&
		    HPDF_Dict_Add(w->pdf->catalog, "Metadata", m) == HPDF_OK)
			rc = 0;
	}
	buf_free(&x);
	return rc;
}

extern const unsigned char sc_icc_srgb[];
extern const size_t sc_icc_srgb_len;

/* PDF/A's output intent (ISO 19005-2 6.2.3): the colours are sRGB, the
 * profile (embedded at build time, Makefile) in the file. Only with a
 * PDF/A claim. */
static int
output_intent(struct pw *w)
{
	HPDF_Dict oi, icc;
	HPDF_Array arr;

	if (w->d->pdfa_part == 0)
		return 0;
	oi = HPDF_Dict_New(w->pdf->mmgr);
	arr = HPDF_Array_New(w->pdf->mmgr);
	icc = HPDF_DictStream_New(w->pdf->mmgr, w->pdf->xref);
	if (oi == NULL || arr == NULL || icc == NULL ||
	    HPDF_Dict_AddNumber(icc, "N", 3) != HPDF_OK ||
	    HPDF_Stream_Write(icc->stream, sc_icc_srgb,
	    (HPDF_UINT)sc_icc_srgb_len) != HPDF_OK ||
	    HPDF_Dict_AddName(oi, "Type", "OutputIntent") != HPDF_OK ||
	    HPDF_Dict_AddName(oi, "S", "GTS_PDFA1") != HPDF_OK ||
	    HPDF_Dict_Add(oi, "OutputConditionIdentifier",
	    HPDF_String_New(w->pdf->mmgr, "sRGB IEC61966-2.1", NULL)) !=
	    HPDF_OK ||
	    HPDF_Dict_Add(oi, "Info", HPDF_String_New(w->pdf->mmgr,
	    "sRGB IEC61966-2.1", NULL)) != HPDF_OK ||
	    HPDF_Dict_Add(oi, "DestOutputProfile", icc) != HPDF_OK ||
	    HPDF_Array_Add(arr, oi) != HPDF_OK ||
	    HPDF_Dict_Add(w->pdf->catalog, "OutputIntents", arr) != HPDF_OK)
		return -1;
	icc->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
	return 0;
}

static int
metadata(struct pw *w)
{
	const struct dl_doc *d = w->d;
	HPDF_Dict info;
	char date[32], *when = NULL;

	HPDF_SetInfoAttr(w->pdf, HPDF_INFO_PRODUCER, "scrutineer " SC_VERSION);
	HPDF_SetInfoAttr(w->pdf, HPDF_INFO_CREATOR, "scrutineer " SC_VERSION);
	info = w->pdf->info;
	if (info == NULL)
		return -1;
	if (d->title)
		HPDF_Dict_Add(info, "Title", pdf_text_string(w->pdf, d->title));
	if (d->author)
		HPDF_Dict_Add(info, "Author", pdf_text_string(w->pdf, d->author));
	if (d->subject)
		HPDF_Dict_Add(info, "Subject", pdf_text_string(w->pdf,
		    d->subject));
	if (d->keywords)
		HPDF_Dict_Add(info, "Keywords", pdf_text_string(w->pdf,
		    d->keywords));
	/* No wall-clock date unless the caller gave one. */
	if (d->source_date >= 0) {
		time_t tt = (time_t)d->source_date;
		struct tm tm;
		HPDF_Date dt;
		gmtime_r(&tt, &tm);
		memset(&dt, 0, sizeof(dt));
		dt.year = tm.tm_year + 1900;
		dt.month = tm.tm_mon + 1;
		dt.day = tm.tm_mday;
		dt.hour = tm.tm_hour;
		dt.minutes = tm.tm_min;
		dt.seconds = tm.tm_sec;
		dt.ind = 'Z';
		HPDF_SetInfoDateAttr(w->pdf, HPDF_INFO_CREATION_DATE, dt);
		HPDF_SetInfoDateAttr(w->pdf, HPDF_INFO_MOD_DATE, dt);
		if (strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", &tm)
		    > 0)
			when = date;
	}
	return xmp(w, when) == 0 && output_intent(w) == 0 ? 0 : -1;
}

static int
catalog(struct pw *w)
{
	HPDF_Dict cat = w->pdf->catalog, mark, vp, str, ptree;
	size_t i;

	mark = HPDF_Dict_New(w->pdf->mmgr);
	vp = HPDF_Dict_New(w->pdf->mmgr);
	str = HPDF_Dict_New(w->pdf->mmgr);
	ptree = HPDF_Dict_New(w->pdf->mmgr);
	if (!mark || !vp || !str || !ptree ||
	    HPDF_Xref_Add(w->pdf->xref, str) != HPDF_OK ||
	    HPDF_Xref_Add(w->pdf->xref, ptree) != HPDF_OK)
		return -1;
	/* Each checked: an entry that does not fit in the catalog's list
	 * leaves libharu's error set, and the save fails without saying
	 * why (make faults). */
	if (HPDF_Dict_AddBoolean(mark, "Marked", HPDF_TRUE) != HPDF_OK ||
	    HPDF_Dict_Add(cat, "MarkInfo", mark) != HPDF_OK ||
	    HPDF_Dict_AddBoolean(vp, "DisplayDocTitle", HPDF_TRUE) != HPDF_OK ||
	    HPDF_Dict_Add(cat, "ViewerPreferences", vp) != HPDF_OK ||
	    HPDF_Dict_Add(cat, "Lang", HPDF_String_New(w->pdf->mmgr,
	    w->d->lang ? w->d->lang : "en-GB", NULL)) != HPDF_OK)
		return -1;
	/* Annotation keys follow the page keys in the number tree. */
	for (i = 0; i < w->nannot; i++) {
		char ref[24];
		int n = snprintf(ref, sizeof(ref), "%u 0 R",
		    w->annot_elem[i]);
		if (nums_add(w, (int)(w->npages + i), ref, (size_t)n) != 0)
			return -1;
	}
	if (nums_root(w, ptree) != 0)
		return -1;
	HPDF_Dict_AddName(str, "Type", "StructTreeRoot");
	HPDF_Dict_Add(str, "K", w->docobj);
	HPDF_Dict_Add(str, "ParentTree", ptree);
	HPDF_Dict_AddNumber(str, "ParentTreeNextKey", w->next_key);
	/* The elements still open, the Document last, now that its
	 * parent has a number. */
	w->stack[0].rec->parent = obj_id(str);
	for (; w->depth >= 0; w->depth--) {
		struct selem *e = w->stack[w->depth].rec;
		w->stack[w->depth].rec = NULL;
		if (selem_close(w, e) != 0)
			return -1;
	}
	w->depth = 0;
	if (pdf_pre_finish(&w->pre) != 0 ||
	    HPDF_Dict_Add(cat, "StructTreeRoot", str) != HPDF_OK)
		return -1;
	return 0;
}

/* What failed, said once: libharu's allocator or ours, a full disk, or
 * libharu's own error. */
static void
report(struct pw *w, const char *name)
{
	if (w->reported++)
		return;
	if (w->err == HPDF_FAILD_TO_ALLOC_MEM)
		diag_oom(w->diags, NULL, 0, "out of memory writing the PDF");
	else if (w->err == HPDF_FILE_IO_ERROR || w->err == HPDF_FILE_OPEN_ERROR)
		diag_err(w->diags, NULL, 0, "%s: cannot write the PDF: the disk is "
		    "full, or the file is larger than this process may write; "
		    "make room and build again (nothing was replaced)", name);
	else
		diag_err(w->diags, NULL, 0, "%s: cannot write the PDF (libharu "
		    "error 0x%04X, detail %u); nothing was replaced", name,
		    (unsigned)w->err, (unsigned)w->detail);
}

static void
pw_free(struct pw *w)
{
	int i;

	HPDF_Free(w->pdf);
	h_release();
	free(w->pages);
	free(w->anchors);
	free(w->annot_elem);
	buf_free(&w->leaf.nums);
	free(w->leafnum);
	buf_free(&w->page_refs);
	free(w->images);
	selem_free_open(w);
	pdf_pre_free(&w->pre);
	for (i = 0; i < FONTSET_MAX; i++) {
		free(w->cid[i]);
		free(w->adv[i]);
	}
	buf_free(&w->page);
	libdeflate_free_compressor(w->z);
	free(w->name);
	free(w);
}

/* Embeds each font that drew anything, subset to what it drew. */
static int
embed_fonts(struct pw *w)
{
	struct fontset *fs = w->fs;
	HPDF_Dict onebyte = NULL;
	int i;

	for (i = 0; i < fs->n; i++) {
		unsigned g;
		int used = 0;
		for (g = 0; g < fs->font[i]->nglyphs && !used; g++)
			used = fs->font[i]->used[g];
		if (!used)
			continue;
		if ((w->font[i] = pdf_font_embed(w->pdf, fs->font[i], w->diags,
		    &w->cid[i], &w->code_bytes[i], &onebyte)) == NULL)
			return -2;
		if ((w->adv[i] = calloc(fs->font[i]->nglyphs,
		    sizeof(*w->adv[i]))) == NULL)
			return -1;
		for (g = 0; g < fs->font[i]->nglyphs; g++)
			if (fs->font[i]->used[g])
				w->adv[i][g] = hb_font_get_glyph_h_advance(
				    fs->font[i]->hb, g);
	}
	return 0;
}

struct pw *
pdf_begin(struct dl_doc *d, struct fontset *fs, const char *name,
    const char *path, int consume, struct diags *diags)
{
	struct pw *w = calloc(1, sizeof(*w));
	size_t p;
	int rc;

	if (w == NULL || (w->name = strdup(name)) == NULL) {
		free(w);
		diag_oom(diags, NULL, 0, "out of memory starting the PDF");
		return NULL;
	}
	w->d = d;
	w->fs = fs;
	w->diags = diags;
	w->consume = consume;
	buf_init(&w->page);
	if ((w->pdf = HPDF_NewEx(on_error, h_alloc, h_free, 0, w)) == NULL) {
		diag_oom(diags, NULL, 0, "out of memory starting the PDF");
		pw_free(w);
		return NULL;
	}
	w->pdf->pdf_version = HPDF_VER_17;
	/* The file is written as pages go (pdf_save.c) */
	w->pre.z = &w->z;
	if (pdf_pre_open(&w->pre, w->pdf, path) != 0) {
		w->err = w->pre.out.err;
		report(w, name);
		goto out;
	}
	/* libharu grows its object list 1,024 entries at a time, copying
	 * it byte by byte each time: a 5,000-row table's 40,000 structure
	 * elements made that 5% of the build. One step of the right size. */
	{
		size_t nobj = 4096 + d->nbegin;
		for (p = 0; p < d->npages; p++)
			for (size_t k = 0; k < d->pages[p].n; k++)
				nobj += d->pages[p].ops[k].kind == DL_BEGIN;
		if (nobj < 1u << 24)
			w->pdf->xref->entries->items_per_block = (HPDF_UINT)nobj;
	}
	HPDF_SetCompressionMode(w->pdf, HPDF_COMP_ALL);
	HPDF_SetPageMode(w->pdf, HPDF_PAGE_MODE_USE_OUTLINE);
	if (metadata(w) != 0 || (rc = embed_fonts(w)) == -1)
		goto oom;
	if (rc != 0)
		goto out;
	w->npages = d->npages;
	w->pages = calloc(w->npages + 1, sizeof(*w->pages));
	if (w->pages == NULL || collect_anchors(w) != 0)
		goto oom;
	for (p = 0; p < d->npages; p++) {
		if ((w->pages[p] = HPDF_AddPage(w->pdf)) == NULL)
			goto oom;
		HPDF_Page_SetWidth(w->pages[p], (HPDF_REAL)d->pages[p].width);
		HPDF_Page_SetHeight(w->pages[p], (HPDF_REAL)d->pages[p].height);
		{
			/* /ProcSet is obsolete (ISO 32000-1 14.2) and was a
			 * fifth of each page dictionary. */
			HPDF_Dict r = HPDF_Dict_GetItem(w->pages[p], "Resources",
			    HPDF_OCLASS_DICT);
			if (r != NULL)
				HPDF_Dict_RemoveElement(r, "ProcSet");
		}
	}
	HPDF_AddPageLabel(w->pdf, 0, HPDF_PAGE_NUM_STYLE_DECIMAL, 1, NULL);
	/* The Document element roots the structure tree; its parent, the
	 * StructTreeRoot, is set by catalog(). */
	w->stack[0].rec = selem_new(w, "Document", 0, &w->docobj);
	if (w->stack[0].rec == NULL)
		goto oom;
	w->stack[0].num = w->stack[0].rec->num;
	w->stack[0].pg = -1;
	w->next_key = (int)d->npages;
	w->h1 = 1469598103934665603ULL;
	w->h2 = 0x9E3779B97F4A7C15ULL;
	if (w->err == 0)
		return w;
	report(w, name);
	goto out;
oom:
	diag_oom(diags, NULL, 0, "out of memory writing the PDF");
out:
	pw_free(w);
	return NULL;
}

/* A page that could not be drawn or written, said here: layout, whose
 * sink this is, would call it memory (a full disk is not). */
static int
page_failed(struct pw *w)
{
	write_failed(w);
	report(w, w->name);
	return -1;
}

int
pdf_page(struct pw *w, size_t p)
{
	struct dl_doc *d = w->d;

	content_hash(w, &d->pages[p]);
	if (draw_page(w, p) != 0)
		return page_failed(w);
	/* The page's ops are in its content stream now: let the memory go
	 * to libharu's objects, which grow as the pages are written (a long
	 * table's ops would otherwise be held to the end). */
	if (w->consume) {
		free(d->pages[p].ops);
		d->pages[p].ops = NULL;
		d->pages[p].n = d->pages[p].cap = 0;
	}
	return 0;
}

int
pdf_end(struct pw *w, int ok, unsigned char **data, size_t *len)
{
	int rc = -1;

	if (!ok || w->err != 0) {
		if (w->err != 0)
			report(w, w->name);
		pw_free(w);
		return -1;
	}
	if (catalog(w) != 0) {
		write_failed(w);
		report(w, w->name);
		pw_free(w);
		return -1;
	}
	content_id(w, w->id);
	if (w->err == 0) {
		HPDF_STATUS st = pdf_save(w->pdf, &w->pre, w->id, data, len);
		if (w->err == 0)
			w->err = st;
	}
	if (w->err != 0)
		report(w, w->name);
	else
		rc = 0;
	pw_free(w);
	return rc;
}

/* The PDF as a backend (backend.h). */
struct pdf_state {
	struct pw             *w;
	unsigned char        **data;
	size_t                *len;
};

static void *
b_begin(struct dl_doc *d, struct fontset *fs, const struct backend_out *o,
    struct diags *diags)
{
	struct pdf_state *s = calloc(1, sizeof(*s));

	if (s == NULL) {
		diag_oom(diags, NULL, 0, "out of memory starting the PDF");
		return NULL;
	}
	if ((s->w = pdf_begin(d, fs, o->name, o->target, o->consume, diags))
	    == NULL) {
		free(s);
		return NULL;
	}
	s->data = o->data;
	s->len = o->len;
	return s;
}

static int
b_page(void *state, size_t p)
{
	return pdf_page(((struct pdf_state *)state)->w, p);
}

static int
b_end(void *state, int ok)
{
	struct pdf_state *s = state;
	int rc = pdf_end(s->w, ok, s->data, s->len);

	free(s);
	return rc;
}

const struct backend backend_pdf = { "pdf", b_begin, b_page, b_end };
