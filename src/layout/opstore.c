/*
 * opstore.c — the ops of layout's boxes, held compact (opstore.h says
 * the form). Ops go into chunks of lay.opchunk (lay.opc). A chunk is
 * encoded once the box that holds its last op is closed, since no op of
 * a closed box is written again: lay_last_op()'s callers patch the
 * current box (a row's fills), big_arrows() its current cell, and the
 * page builder's reading-order marks (order_mark() in flow.c) are kept
 * aside (lay.patch) and laid on each chunk as it is decoded. The
 * repeated table headers (ghosts) hold copies of their own.
 *
 * A text run's arrays (lay_run_alloc()) go in the arena of the last
 * chunk when they are made (opchunk.runs). Every op made is stored, or
 * waits in lay.pend, until the next box begins (lay_box()), and no
 * runs are made in a chunk's arena once there is a chunk after it: at
 * the first box to begin after that, the chunk's runs are sealed (the
 * last chunk their ops can be in is known), and freed once that chunk
 * is encoded, each op's copy being in its chunk's bytes by then. The
 * chunks never encoded (the document's last) keep theirs to the end.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lay_int.h"
#include "opstore.h"
#include "../util/buf.h"

enum {
	F_X, F_Y, F_W, F_H, F_LW, F_SIZE, F_WS, F_COLOUR, F_FILL, F_P0, F_P1,
	F_TEXT, F_COUNT, F_FONT, F_LEVEL, F_ST, F_DOFILL, F_DOSTROKE, F_DASH,
	F_ORDER
};

/* The advance last seen for a glyph of a font: a glyph's advance is
 * its font's, kerning and figures apart, so most are one byte. */
#define ADV_SLOTS 256
struct advs {
	struct { uint32_t gid; int32_t adv; int font, set; } v[ADV_SLOTS];
	uint32_t last_gid;
};

static unsigned
adv_slot(int font, uint32_t gid)
{
	return (gid * 2654435761u ^ (unsigned)font * 40503u) >> 24;
}

static uint64_t
dbits(double d)
{
	uint64_t u;

	memcpy(&u, &d, sizeof(u));
	return u;
}

static uint64_t
zz(int64_t v)
{
	return ((uint64_t)v << 1) ^ (uint64_t)(v < 0 ? -1 : 0);
}

static int64_t
unzz(uint64_t u)
{
	return (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
}

static void
put_var(struct buf *b, uint64_t v)
{
	unsigned char t[10];
	size_t n = 0;

	while (v >= 0x80) {
		t[n++] = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	t[n++] = (unsigned char)v;
	buf_put(b, t, n);
}

/* The bytes of a ^ b that are not zero, after a byte of how many are
 * zero above and below them (a ^ b is not 0). */
static void
put_dbl(struct buf *b, uint64_t a, uint64_t prev)
{
	uint64_t x = a ^ prev;
	unsigned char t[9];
	int hi = __builtin_clzll(x) / 8, lo = __builtin_ctzll(x) / 8, k, n = 1;

	t[0] = (unsigned char)(hi << 4 | lo);
	for (k = 7 - hi; k >= lo; k--)
		t[n++] = (unsigned char)(x >> (8 * k));
	buf_put(b, t, (size_t)n);
}

static uintptr_t
slot0(const struct dl_op *op)
{
	uintptr_t p;

	memcpy(&p, &op->uri, sizeof(p));
	return p;
}

static uintptr_t
slot1(const struct dl_op *op)
{
	uintptr_t p;

	memcpy(&p, &op->anchor, sizeof(p));
	return p;
}

static void
put_run(struct buf *b, const struct dl_op *op, struct advs *av)
{
	size_t len = op->text != NULL ? strlen(op->text) : 0;
	unsigned k, n = op->nglyphs;
	int arrays = op->gid != NULL && op->adv != NULL;

	put_var(b, arrays ? (uint64_t)n + 1 : 0);
	if (!arrays)
		put_var(b, n);
	put_var(b, op->text != NULL ? len + 1 : 0);
	buf_put(b, op->text, len);
	for (k = 0; arrays && k < n; k++) {
		uint32_t g = op->gid[k];
		unsigned s = adv_slot(op->font, g);
		int32_t pred = av->v[s].set && av->v[s].gid == g &&
		    av->v[s].font == op->font ? av->v[s].adv : 0;
		put_var(b, zz((int64_t)g - (int64_t)av->last_gid));
		put_var(b, zz((int64_t)op->adv[k] - pred));
		av->last_gid = g;
		av->v[s].gid = g;
		av->v[s].adv = op->adv[k];
		av->v[s].font = op->font;
		av->v[s].set = 1;
	}
}

int
opz_encode(const struct dl_op *ops, size_t n, struct buf *out)
{
	struct dl_op prev[DL_KIND_MAX];
	struct advs *av = calloc(1, sizeof(*av));
	size_t i;

	if (av == NULL) {
		out->oom = 1;
		return -1;
	}
	memset(prev, 0, sizeof(prev));
	for (i = 0; i < n && !out->oom; i++) {
		const struct dl_op *op = &ops[i];
		struct dl_op *pv = &prev[op->kind < DL_KIND_MAX ? op->kind : 0];
		const double *d = &op->x, *pd = &pv->x;
		int text = op->kind == DL_TEXT, f;
		uint64_t m = 0;

		/* x, y, w, h, line_width, size and word_space in a row. */
		for (f = F_X; f <= F_WS; f++)
			if (dbits(d[f]) != dbits(pd[f]))
				m |= 1u << f;
		m |= (uint64_t)(op->colour != pv->colour) << F_COLOUR |
		    (uint64_t)(op->fill != pv->fill) << F_FILL |
		    (uint64_t)(!text && slot0(op) != slot0(pv)) << F_P0 |
		    (uint64_t)(!text && slot1(op) != slot1(pv)) << F_P1 |
		    (uint64_t)(!text && op->text != pv->text) << F_TEXT |
		    (uint64_t)(!text && op->nsegs != pv->nsegs) << F_COUNT |
		    (uint64_t)(op->font != pv->font) << F_FONT |
		    (uint64_t)(op->level != pv->level) << F_LEVEL |
		    (uint64_t)(op->st != pv->st) << F_ST |
		    (uint64_t)(op->do_fill != pv->do_fill) << F_DOFILL |
		    (uint64_t)(op->do_stroke != pv->do_stroke) << F_DOSTROKE |
		    (uint64_t)(op->dash != pv->dash) << F_DASH |
		    (uint64_t)(op->order != pv->order) << F_ORDER;
		buf_putc(out, (char)op->kind);
		put_var(out, m);
		for (f = F_X; f <= F_WS; f++)
			if (m >> f & 1)
				put_dbl(out, dbits(d[f]), dbits(pd[f]));
		if (m >> F_COLOUR & 1)
			put_var(out, op->colour);
		if (m >> F_FILL & 1)
			put_var(out, op->fill);
		if (m >> F_P0 & 1)
			put_var(out, slot0(op) ^ slot0(pv));
		if (m >> F_P1 & 1)
			put_var(out, slot1(op) ^ slot1(pv));
		if (m >> F_TEXT & 1)
			put_var(out, (uintptr_t)op->text ^ (uintptr_t)pv->text);
		if (m >> F_COUNT & 1)
			put_var(out, op->nsegs);
		if (m >> F_FONT & 1)
			put_var(out, zz(op->font));
		if (m >> F_LEVEL & 1)
			put_var(out, zz(op->level));
		if (m >> F_ST & 1)
			buf_putc(out, (char)op->st);
		if (m >> F_DOFILL & 1)
			buf_putc(out, (char)op->do_fill);
		if (m >> F_DOSTROKE & 1)
			buf_putc(out, (char)op->do_stroke);
		if (m >> F_DASH & 1)
			buf_putc(out, (char)op->dash);
		if (m >> F_ORDER & 1)
			buf_putc(out, (char)op->order);
		if (text)
			put_run(out, op, av);
		*pv = *op;
	}
	free(av);
	return out->oom ? -1 : 0;
}

struct rd {
	const unsigned char *p, *end;
	int bad;
};

static unsigned
get_byte(struct rd *r)
{
	if (r->p >= r->end) {
		r->bad = 1;
		return 0;
	}
	return *r->p++;
}

static uint64_t
get_var(struct rd *r)
{
	uint64_t v = 0;
	unsigned s = 0, c;

	do {
		c = get_byte(r);
		if (s < 64)
			v |= (uint64_t)(c & 0x7f) << s;
		s += 7;
	} while ((c & 0x80) && !r->bad);
	return v;
}

static double
get_dbl(struct rd *r, double prev)
{
	unsigned h = get_byte(r);
	int hi = (int)(h >> 4), lo = (int)(h & 15), k;
	uint64_t x = 0;
	double d;

	for (k = 7 - hi; k >= lo; k--)
		x |= (uint64_t)get_byte(r) << (8 * k);
	x ^= dbits(prev);
	memcpy(&d, &x, sizeof(d));
	return d;
}

static void
set_slot(void *at, uintptr_t p)
{
	memcpy(at, &p, sizeof(p));
}

static int
get_run(struct rd *r, struct dl_op *op, struct advs *av, struct arena *a)
{
	uint64_t ng = get_var(r), tl;
	unsigned k, n;
	int arrays = ng != 0;
	uint32_t *gid = NULL;
	int32_t *adv = NULL;
	char *text = NULL;

	n = (unsigned)(arrays ? ng - 1 : get_var(r));
	tl = get_var(r);
	/* Each glyph takes two bytes at least. */
	if (r->bad || tl > (uint64_t)(r->end - r->p) || (arrays && n >
	    (size_t)(r->end - r->p) / 2))
		return -1;
	if (a != NULL && tl > 0) {
		if ((text = arena_alloc(a, (size_t)tl)) == NULL)
			return -1;
		memcpy(text, r->p, (size_t)tl - 1);
	}
	r->p += tl > 0 ? tl - 1 : 0;
	if (a != NULL && arrays && ((gid = arena_alloc(a, (n ? n : 1) *
	    sizeof(*gid))) == NULL || (adv = arena_alloc(a, (n ? n : 1) *
	    sizeof(*adv))) == NULL))
		return -1;
	for (k = 0; arrays && k < n; k++) {
		uint32_t g = (uint32_t)((int64_t)av->last_gid + unzz(get_var(r)));
		unsigned s = adv_slot(op->font, g);
		int32_t pred = av->v[s].set && av->v[s].gid == g &&
		    av->v[s].font == op->font ? av->v[s].adv : 0;
		int32_t ad = (int32_t)(pred + unzz(get_var(r)));
		if (gid != NULL) {
			gid[k] = g;
			adv[k] = ad;
		}
		av->last_gid = g;
		av->v[s].gid = g;
		av->v[s].adv = ad;
		av->v[s].font = op->font;
		av->v[s].set = 1;
	}
	op->nglyphs = n;
	op->gid = gid;
	op->adv = adv;
	op->text = text;
	return r->bad ? -1 : 0;
}

int
opz_decode(const unsigned char *z, size_t len, struct dl_op *ops,
    size_t n, struct arena *a)
{
	struct dl_op prev[DL_KIND_MAX];
	struct advs *av = calloc(1, sizeof(*av));
	struct rd r = { z, z + len, 0 };
	size_t i;
	int rc = -1;

	if (av == NULL)
		return -1;
	memset(prev, 0, sizeof(prev));
	for (i = 0; i < n; i++) {
		struct dl_op *op = &ops[i];
		unsigned kind = get_byte(&r);
		struct dl_op *pv;
		double *d = &op->x;
		uint64_t m;
		int f;

		if (kind >= DL_KIND_MAX)
			goto out;
		pv = &prev[kind];
		*op = *pv;
		op->kind = (unsigned char)kind;
		m = get_var(&r);
		for (f = F_X; f <= F_WS; f++)
			if (m >> f & 1)
				d[f] = get_dbl(&r, d[f]);
		if (m >> F_COLOUR & 1)
			op->colour = (uint32_t)get_var(&r);
		if (m >> F_FILL & 1)
			op->fill = (uint32_t)get_var(&r);
		if (m >> F_P0 & 1)
			set_slot(&op->uri, slot0(op) ^ (uintptr_t)get_var(&r));
		if (m >> F_P1 & 1)
			set_slot(&op->anchor, slot1(op) ^ (uintptr_t)get_var(&r));
		if (m >> F_TEXT & 1)
			op->text = (const char *)((uintptr_t)op->text ^
			    (uintptr_t)get_var(&r));
		if (m >> F_COUNT & 1)
			op->nsegs = (unsigned)get_var(&r);
		if (m >> F_FONT & 1)
			op->font = (short)unzz(get_var(&r));
		if (m >> F_LEVEL & 1)
			op->level = (short)unzz(get_var(&r));
		if (m >> F_ST & 1)
			op->st = (unsigned char)get_byte(&r);
		if (m >> F_DOFILL & 1)
			op->do_fill = (unsigned char)get_byte(&r);
		if (m >> F_DOSTROKE & 1)
			op->do_stroke = (unsigned char)get_byte(&r);
		if (m >> F_DASH & 1)
			op->dash = (unsigned char)get_byte(&r);
		if (m >> F_ORDER & 1)
			op->order = (unsigned char)get_byte(&r);
		if (r.bad || (kind == DL_TEXT && get_run(&r, op, av, a) != 0))
			goto out;
		*pv = *op;
	}
	rc = r.p == r.end ? 0 : -1;
out:
	free(av);
	return rc;
}

/* The store: lay.opc. */

void
lay_oppush(struct lay *L, const struct dl_op *op)
{
	if (L->nops % L->opchunk == 0) {
		size_t c = L->nops / L->opchunk;
		struct opchunk *v = realloc(L->opc, (c + 1) * sizeof(*v));
		if (v == NULL) {
			L->oom = 1;
			return;
		}
		L->opc = v;
		memset(&v[c], 0, sizeof(v[c]));
		if ((v[c].ops = malloc(L->opchunk * sizeof(*v[c].ops))) == NULL) {
			L->oom = 1;
			return;
		}
		L->nopc = c + 1;
	}
	*lay_opat(L, L->nops++) = *op;
}

void *
lay_run_alloc(struct lay *L, size_t n)
{
	void *p = arena_alloc(L->runs_done || L->nopc == 0 ? L->a :
	    &L->opc[L->nopc - 1].runs, n);

	if (p == NULL)
		L->oom = 1;
	return p;
}

int
lay_op_keep(struct lay *L, struct dl_op *op)
{
	size_t n = op->nglyphs;
	uint32_t *gid;
	int32_t *adv;

	if (op->kind != DL_TEXT)
		return 0;
	if (op->text != NULL && (op->text = arena_strdup(L->a, op->text)) ==
	    NULL)
		return -1;
	if (op->gid == NULL || op->adv == NULL)
		return 0;
	if ((gid = arena_alloc(L->a, (n ? n : 1) * sizeof(*gid))) == NULL ||
	    (adv = arena_alloc(L->a, (n ? n : 1) * sizeof(*adv))) == NULL)
		return -1;
	memcpy(gid, op->gid, n * sizeof(*gid));
	memcpy(adv, op->adv, n * sizeof(*adv));
	op->gid = gid;
	op->adv = adv;
	return 0;
}

/* The patches of chunk c laid on its decoded ops. */
static void
patch(const struct lay *L, size_t c, struct dl_op *ops)
{
	size_t k;

	for (k = 0; k < L->npatch; k++)
		if (L->patch[k].i / L->opchunk == c)
			ops[L->patch[k].i % L->opchunk].order = L->patch[k].order;
}

int
lay_opzip(struct lay *L, size_t upto)
{
	/* Runs of a chunk with one after it: their ops are stored now. */
	while (!L->pend_aside && L->runs_seal + 1 < L->nopc && L->nops > 0)
		L->opc[L->runs_seal++].runs_last = (L->nops - 1) / L->opchunk;
	while (L->nzip < L->nopc && (L->nzip + 1) * L->opchunk <= upto) {
		struct opchunk *ch = &L->opc[L->nzip];
		struct buf b;
		unsigned char *z;

		buf_init(&b);
		if (opz_encode(ch->ops, L->opchunk, &b) != 0) {
			buf_free(&b);
			L->oom = 1;
			return -1;
		}
		/* Exactly its size: the slack would be a quarter of it. */
		z = realloc(b.data, b.len + 1);
		ch->z = z != NULL ? z : (unsigned char *)b.data;
		ch->zlen = b.len;
		free(ch->ops);
		ch->ops = NULL;
		L->nzip++;
	}
	while (L->runs_free < L->runs_seal &&
	    L->opc[L->runs_free].runs_last < L->nzip)
		arena_free(&L->opc[L->runs_free++].runs);
	return 0;
}

void
lay_opcache_free(struct lay *L)
{
	free(L->cache);
	L->cache = NULL;
	L->cache_c = 0;
	arena_free(&L->cache_a);
}

const struct dl_op *
lay_opget(struct lay *L, size_t i, int arrays)
{
	size_t c = i / L->opchunk;
	struct opchunk *ch = &L->opc[c];

	if (ch->ops != NULL)
		return &ch->ops[i % L->opchunk];
	if (L->cache_c != c + 1 || (arrays && !L->cache_arrays)) {
		struct dl_op *ops = L->cache;
		arena_free(&L->cache_a);
		L->cache_c = 0;
		if ((ops == NULL && (ops = malloc(L->opchunk *
		    sizeof(*ops))) == NULL) || (L->cache = ops, opz_decode(ch->z,
		    ch->zlen, ops, L->opchunk, arrays ? &L->cache_a : NULL)
		    != 0)) {
			L->oom = 1;
			return NULL;
		}
		patch(L, c, ops);
		L->cache_c = c + 1;
		L->cache_arrays = arrays;
	}
	return &L->cache[i % L->opchunk];
}

void
lay_opmark(struct lay *L, size_t i, int order)
{
	size_t c = i / L->opchunk;

	if (L->opc[c].ops != NULL) {
		L->opc[c].ops[i % L->opchunk].order = (unsigned char)order;
		return;
	}
	if (L->npatch == L->cappatch) {
		size_t cap = L->cappatch ? L->cappatch * 2 : 16;
		struct oppatch *v = realloc(L->patch, cap * sizeof(*v));
		if (v == NULL) {
			L->oom = 1;
			return;
		}
		L->patch = v;
		L->cappatch = cap;
	}
	L->patch[L->npatch++] = (struct oppatch){ i, (unsigned char)order };
	if (L->cache_c == c + 1)
		L->cache[i % L->opchunk].order = (unsigned char)order;
}

int
lay_opload(struct lay *L, size_t c, struct arena *a)
{
	struct opchunk *ch = &L->opc[c];

	if (ch->ops != NULL)
		return 0;
	if ((ch->ops = malloc(L->opchunk * sizeof(*ch->ops))) == NULL ||
	    opz_decode(ch->z, ch->zlen, ch->ops, L->opchunk, a) != 0) {
		L->oom = 1;
		return -1;
	}
	patch(L, c, ch->ops);
	free(ch->z);
	ch->z = NULL;
	return 0;
}

void
lay_free_ops(struct lay *L)
{
	size_t c;

	for (c = 0; c < L->nopc; c++) {
		struct opchunk *ch = &L->opc[c];
		free(ch->ops);
		free(ch->z);
		if (L->sink == NULL)
			arena_adopt(L->a, &ch->runs);
		else
			arena_free(&ch->runs);
		arena_free(&ch->dec);
	}
	free(L->opc);
	L->opc = NULL;
	L->nopc = L->nzip = L->runs_seal = L->runs_free = 0;
	for (c = 0; c < L->nghosts; c++)
		free(L->ghosts[c].ops);
	free(L->ghosts);
	L->ghosts = NULL;
	L->nghosts = L->capghosts = 0;
	free(L->patch);
	L->patch = NULL;
	L->npatch = L->cappatch = 0;
	lay_opcache_free(L);
}
