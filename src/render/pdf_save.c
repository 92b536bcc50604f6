/*
 * pdf_save.c — writes libharu's document as a compact PDF 1.5+ file:
 * each stream (content, fonts, images, the XMP packet, the ICC profile)
 * a top-level object, every other object packed into deflated object
 * streams (/Type /ObjStm), and a cross-reference stream (/Type /XRef)
 * instead of the classic table and trailer. A 5,000-row table's 35,000
 * structure elements were 59% of its file as separate objects and the
 * classic table another 16% (issue 16). PDF/A-2 and PDF/UA-1 allow both
 * (not a hybrid file: there is no classic table at all).
 *
 * libharu's objects are walked through its cross-reference list (its
 * object numbers are kept) and each is written by libharu's own
 * HPDF_Obj_WriteValue into a callback stream of ours, so every
 * dictionary's write hooks run as they do in HPDF_SaveToFile.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libdeflate.h>
#include <hpdf.h>
#include <hpdf_doc.h>

#include "pdf_int.h"
#include "../util/buf.h"

/* Objects per object stream: a reader inflates a whole stream to get one
 * object, and deflate's window is 32 KB, so larger streams would not
 * compress much better. */
enum { OBJSTM_MAX = 256, LEVEL = 5 };

/* One cross-reference entry: type 1 (f2 = offset) or 2 (f2 = object
 * stream, f3 = index in it). */
struct xent {
	size_t   f2;
	unsigned f3;
	unsigned char type;
};

struct saver {
	struct pdf_out *o;      /* the file, opened by pdf_pre_open() */
	struct buf     cur;     /* what libharu's writer writes into */
	struct xent   *x;
	size_t         nx;      /* entries: objects 0 .. nx-1 */
	struct libdeflate_compressor **z; /* *z: the caller's or own */
	struct libdeflate_compressor *own;
};

static void
out_fail(struct pdf_out *o, HPDF_STATUS err)
{
	if (o->err == 0)
		o->err = err;
}

static void
out_put(struct pdf_out *o, const void *p, size_t n)
{
	if (o->err)
		return;
	if (o->f != NULL) {
		if (n > 0 && fwrite(p, 1, n, o->f) != n)
			out_fail(o, HPDF_FILE_IO_ERROR);
	} else {
		buf_put(&o->mem, p, n);
		if (o->mem.oom)
			out_fail(o, HPDF_FAILD_TO_ALLOC_MEM);
	}
	o->off += n;
}

static void
out_buf(struct pdf_out *o, struct buf *b)
{
	if (b->oom)
		out_fail(o, HPDF_FAILD_TO_ALLOC_MEM);
	out_put(o, b->data, b->len);
	buf_reset(b);
}

/* "num 0 obj": returns the object's offset. */
static size_t
out_obj(struct pdf_out *o, size_t num)
{
	char h[32];
	int n = snprintf(h, sizeof(h), "%zu 0 obj\n", num);
	size_t at = o->off;

	out_put(o, h, (size_t)n);
	return at;
}

/* A stream object whose dictionary is dict (without /Length) and whose
 * data is data, deflated; returns its offset. */
static size_t
out_stream(struct pdf_out *o, size_t num, struct buf *dict, struct buf *data)
{
	char len[48];
	int n = snprintf(len, sizeof(len), "/Length %zu>>\nstream\n",
	    data->len);
	size_t at = out_obj(o, num);

	out_buf(o, dict);
	out_put(o, len, (size_t)n);
	out_buf(o, data);
	out_put(o, "\nendstream\nendobj\n", 18);
	return at;
}

static void
fail(struct saver *s, HPDF_STATUS err)
{
	out_fail(s->o, err);
}

static void
obj_head(struct saver *s, size_t num)
{
	s->x[num].type = 1;
	s->x[num].f2 = out_obj(s->o, num);
}

/* libharu's writes land in s->cur. */
static HPDF_STATUS
on_write(HPDF_Stream st, const HPDF_BYTE *p, HPDF_UINT n)
{
	struct saver *s = st->attr;

	buf_put(&s->cur, p, n);
	return s->cur.oom ? HPDF_SetError(st->error, HPDF_FAILD_TO_ALLOC_MEM,
	    0) : HPDF_OK;
}

static int
is_stream(const void *obj)
{
	const HPDF_Obj_Header *h = obj;

	return (h->obj_class & HPDF_OCLASS_ANY) == HPDF_OCLASS_DICT &&
	    ((HPDF_Dict)obj)->stream != NULL;
}

/* Deflates in into out (appended) with *cp, made at LEVEL on first use;
 * -1 when out of memory. */
static int
deflate_into(struct libdeflate_compressor **cp, const void *in, size_t n,
    struct buf *out)
{
	size_t bound, z;

	if (*cp == NULL && (*cp = libdeflate_alloc_compressor(LEVEL)) == NULL)
		return -1;
	bound = libdeflate_zlib_compress_bound(*cp, n);
	if (buf_grow_to(out, out->len + bound + 1) != 0)
		return -1;
	z = libdeflate_zlib_compress(*cp, n ? in : "", n,
	    out->data + out->len, bound);
	if (z == 0)
		return -1;
	out->len += z;
	out->data[out->len] = '\0';
	return 0;
}

/* An object stream's data: the pairs "object offset" (head), then the
 * values (body, offsets from /First = head->len), deflated into z. Both
 * are emptied. */
static int
objstm_data(struct libdeflate_compressor **cp, struct buf *head,
    struct buf *body, struct buf *z)
{
	int rc = -1;

	buf_put(head, body->data, body->len);
	if (!head->oom && !body->oom)
		rc = deflate_into(cp, head->data, head->len, z);
	buf_reset(head);
	buf_reset(body);
	return rc;
}

/* "num off " into head for a value about to go at the end of body. */
static void
objstm_pair(struct buf *head, size_t num, const struct buf *body)
{
	buf_uint(head, (unsigned long)num);
	buf_putc(head, ' ');
	buf_uint(head, (unsigned long)body->len);
	buf_putc(head, ' ');
}

/* The dictionary of an object stream of n objects, /First first. */
static void
objstm_dict(struct buf *dict, size_t n, size_t first)
{
	buf_printf(dict, "<</Type/ObjStm/N %zu/First %zu/Filter/FlateDecode",
	    n, first);
}

int
pdf_pre_open(struct pdf_pre *p, HPDF_Doc pdf, const char *path)
{
	static const char header[] = "%PDF-1.7\n%\267\276\255\252\n";

	p->pdf = pdf;
	buf_init(&p->out.mem);
	if (path != NULL && (p->out.f = fopen(path, "wb")) == NULL) {
		out_fail(&p->out, HPDF_FILE_OPEN_ERROR);
		return -1;
	}
	out_put(&p->out, header, sizeof(header) - 1);
	return p->out.err ? -1 : 0;
}

/*
 * Every number here is a slot of libharu's cross-reference list that
 * points at one shared entry and null, so a number costs the list's 8
 * bytes, not an entry and an object of its own (80 bytes with their
 * headers). libharu frees entries and objects one by one at the end;
 * its allocator here (pdf.c's h_free) keeps small blocks to the end,
 * so freeing the shared one again and again is harmless.
 */
unsigned
pdf_pre_reserve(struct pdf_pre *p)
{
	HPDF_Xref xref = p->pdf->xref;
	HPDF_List l = xref->entries;

	if (p->slot == NULL) {
		HPDF_Null null = HPDF_Null_New(p->pdf->mmgr);
		if (null == NULL || HPDF_Xref_Add(xref, null) != HPDF_OK)
			return 0;
		/* the first is a slot like the others */
		p->slot = HPDF_Xref_GetEntry(xref, l->count - 1);
		return (unsigned)(null->header.obj_id & 0x00FFFFFF);
	}
	if (l->count >= HPDF_LIMIT_MAX_XREF_ELEMENT)
		return 0;
	/* libharu grows its list by a fixed block, copying it each time:
	 * doubling keeps a long document's numbers linear. */
	if (l->count == l->block_siz && l->items_per_block < l->block_siz)
		l->items_per_block = l->block_siz;
	if (HPDF_List_Add(l, p->slot) != HPDF_OK)
		return 0;
	return (unsigned)(xref->start_offset + l->count - 1);
}

/* Makes loc hold object num; -1 when out of memory. */
static int
loc_grow(struct pdf_pre *p, size_t num)
{
	size_t n = p->nloc ? p->nloc : 1024;
	uint32_t *v;

	if (num < p->nloc)
		return 0;
	while (n <= num)
		n *= 2;
	if ((v = realloc(p->loc, n * sizeof(*v))) == NULL) {
		p->oom = 1;
		return -1;
	}
	memset(v + p->nloc, 0, (n - p->nloc) * sizeof(*v));
	p->loc = v;
	p->nloc = n;
	return 0;
}

/* Object num, just written whole at offset at. */
static int
dir_add(struct pdf_pre *p, size_t num, size_t at)
{
	if (loc_grow(p, num) != 0)
		return -1;
	if (p->ndir == p->capdir) {
		size_t cap = p->capdir ? 2 * p->capdir : 64;
		size_t *d = realloc(p->dir, cap * sizeof(*d));
		if (d == NULL) {
			p->oom = 1;
			return -1;
		}
		p->dir = d;
		p->capdir = cap;
	}
	p->dir[p->ndir] = at;
	p->loc[num] = PRE_DIRECT | (uint32_t)p->ndir++;
	return 0;
}

int
pdf_pre_add(struct pdf_pre *p, size_t num, const char *val, size_t len)
{
	if (p->oom || p->out.err || loc_grow(p, num) != 0)
		return -1;
	objstm_pair(&p->head, num, &p->body);
	buf_put(&p->body, val, len);
	buf_putc(&p->body, '\n');
	if (p->head.oom || p->body.oom) {
		p->oom = 1;
		return -1;
	}
	p->loc[num] = (uint32_t)((p->nstm + 1) << 8 | p->nbody);
	if (++p->nbody == OBJSTM_MAX)
		return pdf_pre_finish(p);
	return 0;
}

int
pdf_pre_finish(struct pdf_pre *p)
{
	struct buf dict, z;
	size_t first = p->head.len, at;
	unsigned num;
	int rc = -1;

	if (p->oom || p->out.err)
		return -1;
	if (p->nbody == 0)
		return 0;
	if (p->nstm == p->capstm) {
		size_t cap = p->capstm ? 2 * p->capstm : 16;
		uint32_t *m = realloc(p->stm, cap * sizeof(*m));
		if (m == NULL) {
			p->oom = 1;
			return -1;
		}
		p->stm = m;
		p->capstm = cap;
	}
	buf_init(&dict);
	buf_init(&z);
	objstm_dict(&dict, p->nbody, first);
	if ((num = pdf_pre_reserve(p)) != 0 && !dict.oom &&
	    objstm_data(p->z, &p->head, &p->body, &z) == 0) {
		at = out_stream(&p->out, num, &dict, &z);
		if (p->out.err == 0 && dir_add(p, num, at) == 0) {
			p->stm[p->nstm++] = num;
			p->nbody = 0;
			rc = 0;
		}
	}
	if (rc != 0 && p->out.err == 0)
		p->oom = 1;
	buf_free(&dict);
	buf_free(&z);
	return rc;
}

int
pdf_pre_content(struct pdf_pre *p, HPDF_Dict d, const void *data, size_t len)
{
	HPDF_Number length = HPDF_Dict_GetItem(d, "Length", HPDF_OCLASS_NUMBER);
	struct buf dict, z;
	size_t num = d->header.obj_id & 0x00FFFFFF, at;
	int rc = -1;

	if (p->oom || p->out.err || length == NULL)
		return -1;
	buf_init(&dict);
	buf_init(&z);
	if (deflate_into(p->z, data, len, &z) == 0) {
		/* libharu's /Length object, given its value: the save
		 * writes it as it would have */
		length->value = (HPDF_INT32)z.len;
		buf_printf(&dict, "<</Length %u 0 R/Filter/FlateDecode>>"
		    "\nstream\n", (unsigned)(length->header.obj_id & 0x00FFFFFF));
		at = out_obj(&p->out, num);
		out_buf(&p->out, &dict);
		out_buf(&p->out, &z);
		out_put(&p->out, "\nendstream\nendobj\n", 18);
		/* The file holds every page drawn: a full disk is told at
		 * the page that filled it, and stdio holds no page back. */
		if (p->out.f != NULL && p->out.err == 0 && fflush(p->out.f) != 0)
			out_fail(&p->out, HPDF_FILE_IO_ERROR);
		if (p->out.err == 0)
			rc = dir_add(p, num, at);
	}
	if (rc != 0 && p->out.err == 0)
		p->oom = 1;
	buf_free(&dict);
	buf_free(&z);
	return rc;
}

void
pdf_pre_free(struct pdf_pre *p)
{
	if (p->out.f != NULL)
		fclose(p->out.f);
	buf_free(&p->out.mem);
	free(p->stm);
	free(p->dir);
	free(p->loc);
	buf_free(&p->head);
	buf_free(&p->body);
	memset(p, 0, sizeof(*p));
}

/*
 * A dictionary that is all its write hook (a structure element) is
 * written as HPDF_Dict_Write would, less its line breaks and the calls
 * for entries it does not have; anything else by libharu.
 */
static HPDF_STATUS
write_value(HPDF_Stream st, void *obj)
{
	HPDF_Dict d = obj;
	HPDF_STATUS rc;

	if ((d->header.obj_class & HPDF_OCLASS_ANY) != HPDF_OCLASS_DICT ||
	    d->write_fn == NULL || d->list->count != 0 ||
	    d->before_write_fn != NULL || d->after_write_fn != NULL)
		return HPDF_Obj_WriteValue(obj, st, NULL);
	if ((rc = HPDF_Stream_Write(st, (const HPDF_BYTE *)"<<", 2)) != HPDF_OK ||
	    (rc = d->write_fn(d, st)) != HPDF_OK)
		return rc;
	return HPDF_Stream_Write(st, (const HPDF_BYTE *)">>", 2);
}

/*
 * Packs objects ids[0 .. n-1] into object stream number num: the pairs
 * "object offset" first, then each object's value (offsets from /First).
 */
static void
put_objstm(struct saver *s, HPDF_Stream st, HPDF_Xref xref,
    const size_t *ids, size_t n, size_t num)
{
	struct buf head, dict, z;
	size_t i, first;

	buf_init(&head);
	buf_init(&dict);
	buf_init(&z);
	for (i = 0; i < n && s->o->err == 0; i++) {
		HPDF_XrefEntry e = HPDF_Xref_GetEntry(xref, (HPDF_UINT)ids[i]);
		objstm_pair(&head, ids[i], &s->cur);
		if (write_value(st, e->obj) != HPDF_OK)
			fail(s, HPDF_FAILD_TO_ALLOC_MEM);
		buf_putc(&s->cur, '\n');
		s->x[ids[i]].type = 2;
		s->x[ids[i]].f2 = num;
		s->x[ids[i]].f3 = (unsigned)i;
	}
	first = head.len;
	objstm_dict(&dict, n, first);
	if (dict.oom || objstm_data(s->z, &head, &s->cur, &z) != 0)
		fail(s, HPDF_FAILD_TO_ALLOC_MEM);
	if (s->o->err == 0) {
		s->x[num].type = 1;
		s->x[num].f2 = out_stream(s->o, num, &dict, &z);
	}
	buf_free(&head);
	buf_free(&dict);
	buf_free(&z);
}

static unsigned
width(size_t v)
{
	unsigned w = 1;

	while (w < sizeof(size_t) && (v >> (8 * w)) != 0)
		w++;
	return w;
}

/*
 * The cross-reference stream, object number s->nx - 1 (its own entry
 * included): rows of [type f2 f3], big-endian, with the PNG Up predictor
 * (each row as its difference from the one above) so that deflate sees
 * long runs of zeros.
 */
static void
put_xref(struct saver *s, size_t root, size_t info, const HPDF_BYTE id[16])
{
	struct buf rows, dict, z;
	size_t i, maxf2 = 0, xnum = s->nx - 1, start;
	unsigned w2, w3 = 2, cols, k, maxf3 = 0xFFFF;
	unsigned char *prev, *row;

	/* Its own entry, in its rows: where out_stream() will put it. */
	start = s->o->off;
	s->x[xnum].type = 1;
	s->x[xnum].f2 = start;
	for (i = 0; i < s->nx; i++) {
		if (s->x[i].f2 > maxf2)
			maxf2 = s->x[i].f2;
		if (s->x[i].f3 > maxf3)
			maxf3 = s->x[i].f3;
	}
	w2 = width(maxf2);
	w3 = width(maxf3);
	cols = 1 + w2 + w3;
	buf_init(&rows);
	buf_init(&dict);
	buf_init(&z);
	if (buf_grow_to(&rows, (cols + 1) * (s->nx + 1) + 1) != 0 ||
	    (prev = calloc(2, cols)) == NULL) {
		fail(s, HPDF_FAILD_TO_ALLOC_MEM);
		buf_free(&rows);
		return;
	}
	row = prev + cols;
	for (i = 0; i < s->nx; i++) {
		const struct xent *e = &s->x[i];
		size_t f2 = e->f2;
		unsigned f3 = i == 0 ? 0xFFFF : e->f3;
		row[0] = e->type;
		for (k = 0; k < w2; k++)
			row[1 + k] = (unsigned char)(f2 >> (8 * (w2 - 1 - k)));
		for (k = 0; k < w3; k++)
			row[1 + w2 + k] = (unsigned char)(f3 >> (8 * (w3 - 1 - k)));
		rows.data[rows.len++] = 2;    /* PNG filter type: Up */
		for (k = 0; k < cols; k++)
			rows.data[rows.len++] = (char)(row[k] - prev[k]);
		memcpy(prev, row, cols);
	}
	free(prev);
	buf_printf(&dict, "<</Type/XRef/Size %zu/Index[0 %zu]/W[1 %u %u]"
	    "/Root %zu 0 R", s->nx, s->nx, w2, w3, root);
	if (info)
		buf_printf(&dict, "/Info %zu 0 R", info);
	buf_puts(&dict, "/ID[<");
	for (k = 0; k < 16; k++)
		buf_hex2(&dict, id[k]);
	buf_puts(&dict, "><");
	for (k = 0; k < 16; k++)
		buf_hex2(&dict, id[k]);
	buf_printf(&dict, ">]/Filter/FlateDecode/DecodeParms<</Columns %u"
	    "/Predictor 12>>", cols);
	if (dict.oom || deflate_into(s->z, rows.data, rows.len, &z)
	    != 0)
		fail(s, HPDF_FAILD_TO_ALLOC_MEM);
	if (s->o->err == 0) {
		char tail[48];
		int n = snprintf(tail, sizeof(tail), "startxref\n%zu\n%%%%EOF\n",
		    start);
		out_stream(s->o, xnum, &dict, &z);
		out_put(s->o, tail, (size_t)n);
	}
	buf_free(&rows);
	buf_free(&dict);
	buf_free(&z);
}

static size_t
num_of(const void *obj)
{
	return obj ? ((const HPDF_Obj_Header *)obj)->obj_id & 0x00FFFFFF : 0;
}

/* Is object i written before the save (in pre)? */
static uint32_t
pre_loc(const struct pdf_pre *pre, size_t i)
{
	return i < pre->nloc ? pre->loc[i] : 0;
}

HPDF_STATUS
pdf_save(HPDF_Doc pdf, struct pdf_pre *pre, const HPDF_BYTE id[16],
    unsigned char **data, size_t *len)
{
	struct saver s;
	HPDF_Xref xref = pdf->xref;
	HPDF_Stream st = NULL;
	size_t n = xref->entries->count, i, *ids = NULL, nids = 0, nstm, num;
	HPDF_STATUS err;
	int mem = pre->out.f == NULL;

	memset(&s, 0, sizeof(s));
	s.o = &pre->out;
	s.z = pre->z != NULL ? pre->z : &s.own;
	buf_init(&s.cur);
	/* libharu's objects 1 .. n-1 (those pre wrote among them), then
	 * object streams for the objects that are neither streams nor in
	 * pre, then the cross-reference stream. */
	if ((ids = malloc(n * sizeof(*ids))) == NULL || pre->oom ||
	    pre->nbody != 0) {
		fail(&s, HPDF_FAILD_TO_ALLOC_MEM);
		goto out;
	}
	for (i = 1; i < n; i++)
		if (!pre_loc(pre, i) &&
		    !is_stream(HPDF_Xref_GetEntry(xref, (HPDF_UINT)i)->obj))
			ids[nids++] = i;
	nstm = (nids + OBJSTM_MAX - 1) / OBJSTM_MAX;
	s.nx = n + nstm + 1;
	s.x = calloc(s.nx, sizeof(*s.x));
	st = HPDF_CallbackWriter_New(pdf->mmgr, on_write, &s);
	if (s.x == NULL || st == NULL) {
		fail(&s, HPDF_FAILD_TO_ALLOC_MEM);
		goto out;
	}
	/* Streams first: writing one sets its /Length object, which goes
	 * into an object stream after. */
	for (i = 1; i < n && s.o->err == 0; i++) {
		HPDF_XrefEntry e = HPDF_Xref_GetEntry(xref, (HPDF_UINT)i);
		uint32_t loc = pre_loc(pre, i);
		if (loc & PRE_DIRECT) {
			s.x[i].type = 1;
			s.x[i].f2 = pre->dir[loc & ~PRE_DIRECT];
			continue;
		}
		if (loc) {
			s.x[i].type = 2;
			s.x[i].f2 = pre->stm[(loc >> 8) - 1];
			s.x[i].f3 = loc & 0xFF;
			continue;
		}
		if (!is_stream(e->obj))
			continue;
		obj_head(&s, i);
		if (HPDF_Obj_WriteValue(e->obj, st, NULL) != HPDF_OK)
			fail(&s, HPDF_FAILD_TO_ALLOC_MEM);
		buf_puts(&s.cur, "\nendobj\n");
		out_buf(s.o, &s.cur);
	}
	for (i = 0, num = n; i < nids && s.o->err == 0; i += OBJSTM_MAX)
		put_objstm(&s, st, xref, ids + i, nids - i < OBJSTM_MAX ?
		    nids - i : OBJSTM_MAX, num++);
	if (s.o->err == 0 && xref->entries->count != n)
		fail(&s, HPDF_INVALID_OBJECT);  /* a write hook added one */
	if (s.o->err == 0)
		put_xref(&s, num_of(pdf->catalog), num_of(pdf->info), id);
	if (s.o->f != NULL && fclose(s.o->f) != 0)
		fail(&s, HPDF_FILE_IO_ERROR);
	s.o->f = NULL;
	if (s.o->err == 0 && mem) {
		*data = (unsigned char *)s.o->mem.data;
		*len = s.o->mem.len;
		buf_init(&s.o->mem);
	}
out:
	err = s.o->err;
	if (st != NULL)
		HPDF_Stream_Free(st);
	libdeflate_free_compressor(s.own);
	buf_free(&s.cur);
	free(s.x);
	free(ids);
	return err;
}
