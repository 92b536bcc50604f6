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
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lay_int.h"
#include "opstore.h"
#include "../util/buf.h"

/* An op as 13 words: x, y, w, h, line_width, size, word_space; the
 * union's two pointers; text; colour and fill; the count, font and
 * level; the kind, st and the flags (and the padding, as it is). */
#define NWORDS 13
_Static_assert(sizeof(struct dl_op) == NWORDS * 8, "an op is 13 words");
_Static_assert(offsetof(struct dl_op, gid) % 8 == 0 &&
    offsetof(struct dl_op, adv) % 8 == 0 &&
    offsetof(struct dl_op, text) % 8 == 0, "a run's pointers are words");
/* A DL_TEXT op's words that point to its run: the run goes instead
 * (its text alone when the glyphs are shared: kept as pointers). */
#define TEXT_WORD (1u << offsetof(struct dl_op, text) / 8)
#define RUN_WORDS (1u << offsetof(struct dl_op, gid) / 8 | \
	1u << offsetof(struct dl_op, adv) / 8 | TEXT_WORD)

/* The advance last seen for a glyph of a font: a glyph's advance is
 * its font's, kerning and figures apart, so most are one byte. A slot
 * holds one glyph's; a key that two glyphs share only predicts worse. */
#define ADV_SLOTS 512
struct advs {
	struct advslot { uint32_t key; int32_t adv; } v[ADV_SLOTS];
	uint32_t last_gid;  /* the last glyph's id: ids are deltas */
};

/* The most bytes an op's form takes before its run's text and glyphs,
 * and a glyph's: what opz_encode() makes room for, and what the
 * decoder may read past an op's start without a check (a word is
 * written and read 8 bytes at a time). */
#define OP_MAX    (3 + NWORDS * 9 + 8 + 30)
#define GLYPH_MAX 10
_Static_assert(OPZ_PAD >= OP_MAX + 2 * GLYPH_MAX, "the padding covers an op");

/* Glyph g of font's slot, the advance it predicts in *pred; the caller
 * puts the glyph's advance there. */
static struct advslot *
adv_slot(struct advs *av, int font, uint32_t g, int32_t *pred)
{
	uint32_t key = (g ^ (uint32_t)font << 24) + 1;
	struct advslot *sl = &av->v[(g + (unsigned)font * 97) % ADV_SLOTS];

	*pred = sl->key == key ? sl->adv : 0;
	sl->key = key;
	return sl;
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

static unsigned char *
put_var(unsigned char *w, uint64_t v)
{
	while (v >= 0x80) {
		*w++ = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	*w++ = (unsigned char)v;
	return w;
}

/* The bytes of x (a word XOR the last op's, not 0) from its lowest
 * that is not zero to its highest, after a byte of where they start
 * and how many they are; written 8 at a time (little-endian). */
static unsigned char *
put_word(unsigned char *w, uint64_t x)
{
	unsigned lo = (unsigned)__builtin_ctzll(x) / 8,
	    nb = 8 - (unsigned)__builtin_clzll(x) / 8 - lo;
	uint64_t v = x >> (8 * lo);

	*w++ = (unsigned char)(lo << 4 | nb);
	memcpy(w, &v, 8);
	return w + nb;
}

static unsigned char *
put_run(unsigned char *w, const struct dl_op *op, size_t len,
    struct advs *av)
{
	unsigned k, n = op->nglyphs;
	int arrays = !op->shared && op->gid != NULL && op->adv != NULL;

	*w++ = (unsigned char)arrays;
	w = put_var(w, op->text != NULL ? len + 1 : 0);
	if (len > 0)
		memcpy(w, op->text, len);
	w += len;
	for (k = 0; arrays && k < n; k++) {
		uint32_t g = op->gid[k];
		int32_t pred;
		struct advslot *sl = adv_slot(av, op->font, g, &pred);
		w = put_var(w, zz((int64_t)g - (int64_t)av->last_gid));
		w = put_var(w, zz((int64_t)op->adv[k] - pred));
		sl->adv = op->adv[k];
		av->last_gid = g;
	}
	return w;
}

int
opz_encode(const struct dl_op *ops, size_t n, struct buf *out)
{
	uint64_t prev[DL_KIND_MAX][NWORDS];
	struct advs *av = calloc(1, sizeof(*av));
	size_t i;

	if (av == NULL) {
		out->oom = 1;
		return -1;
	}
	memset(prev, 0, sizeof(prev));
	for (i = 0; i < n; i++) {
		const struct dl_op *op = &ops[i];
		uint64_t *pv = prev[op->kind < DL_KIND_MAX ? op->kind : 0],
		    cur[NWORDS];
		int text = op->kind == DL_TEXT;
		size_t len = text && op->text != NULL ? strlen(op->text) : 0;
		unsigned m, f, left;
		unsigned char *w;
		size_t need;

		need = out->len + OP_MAX + len + (text ? (size_t)op->nglyphs *
		    GLYPH_MAX : 0) + 1;
		if (need > out->cap && buf_grow_to(out, need) != 0)
			break;
		memcpy(cur, op, sizeof(cur));
		/* Unrolled: the loop was a third of the encoding. */
#define NE(f) ((unsigned)(cur[f] != pv[f]) << (f))
		m = NE(0) | NE(1) | NE(2) | NE(3) | NE(4) | NE(5) | NE(6) |
		    NE(7) | NE(8) | NE(9) | NE(10) | NE(11) | NE(12);
#undef NE
		if (text)
			m &= op->shared ? ~TEXT_WORD : ~RUN_WORDS;
		w = (unsigned char *)out->data + out->len;
		*w++ = op->kind;
		*w++ = (unsigned char)m;
		*w++ = (unsigned char)(m >> 8);
		/* pv becomes op (a run's pointers apart, never compared). */
		for (left = m; left != 0; left &= left - 1) {
			f = (unsigned)__builtin_ctz(left);
			w = put_word(w, cur[f] ^ pv[f]);
			pv[f] = cur[f];
		}
		if (text)
			w = put_run(w, op, len, av);
		out->len = (size_t)(w - (unsigned char *)out->data);
	}
	/* The decoder reads up to OP_MAX past an op's start unchecked. */
	if (!out->oom && buf_grow_to(out, out->len + OPZ_PAD + 1) == 0) {
		memset(out->data + out->len, 0, OPZ_PAD + 1);
		out->len += OPZ_PAD;
	}
	free(av);
	return out->oom ? -1 : 0;
}

/* A varint at *p: most are one byte. */
static uint64_t
get_var(const unsigned char **p)
{
	const unsigned char *q = *p;
	uint64_t v = *q & 0x7f;
	unsigned s = 7;

	while (*q++ & 0x80 && s < 64) {
		v |= (uint64_t)(*q & 0x7f) << s;
		s += 7;
	}
	*p = q;
	return v;
}

static uint64_t
get_word(const unsigned char **p)
{
	/* The bytes kept of a word, by how many they are (a count past 8
	 * is no form: its end will not match). */
	static const uint64_t keep[16] = { 0, 0xff, 0xffff, 0xffffff,
		0xffffffff, 0xffffffffff, 0xffffffffffff, 0xffffffffffffff,
		~(uint64_t)0 };
	const unsigned char *q = *p;
	unsigned lo = (*q >> 4) & 7, nb = *q & 15;
	uint64_t v;

	memcpy(&v, q + 1, 8);
	*p = q + 1 + nb;
	return (v & keep[nb]) << (8 * lo);
}

/* A text run's part of the form, its arrays in a (or skipped); end is
 * where the form ends. */
static int
get_run(const unsigned char **p, const unsigned char *end,
    struct dl_op *op, struct advs *av, struct arena *a)
{
	int arrays = *(*p)++ != 0;
	uint64_t tl = get_var(p);
	unsigned k, n = op->nglyphs;
	uint32_t *gid = NULL;
	int32_t *adv = NULL;
	char *text = NULL;
	const unsigned char *q = *p;

	if (q > end || tl > (uint64_t)(end - q) + 1 || (arrays && n >
	    (size_t)(end - q) / 2))
		return -1;
	/* One block for the three: the text after the glyphs' ids and
	 * advances. */
	if (a != NULL && (arrays || tl > 0)) {
		size_t na = arrays ? (n ? n : 1) : 0;
		char *blk = arena_alloc(a, na * (sizeof(*gid) + sizeof(*adv)) +
		    (size_t)tl);
		if (blk == NULL)
			return -1;
		if (arrays) {
			gid = (uint32_t *)(void *)blk;
			adv = (int32_t *)(void *)(blk + na * sizeof(*gid));
		}
		if (tl > 0) {
			text = blk + na * (sizeof(*gid) + sizeof(*adv));
			memcpy(text, q, (size_t)tl - 1);
		}
	}
	q += tl > 0 ? tl - 1 : 0;
	for (k = 0; arrays && k < n; k++) {
		struct advslot *sl;
		uint32_t g;
		int32_t ad, pred;
		if (q > end)
			return -1;
		g = (uint32_t)((int64_t)av->last_gid + unzz(get_var(&q)));
		sl = adv_slot(av, op->font, g, &pred);
		sl->adv = ad = (int32_t)(pred + unzz(get_var(&q)));
		if (gid != NULL) {
			gid[k] = g;
			adv[k] = ad;
		}
		av->last_gid = g;
	}
	*p = q;
	if (!op->shared) {
		op->gid = gid;
		op->adv = adv;
	}
	op->text = text;
	return 0;
}

int
opz_decode(const unsigned char *z, size_t len, struct dl_op *ops,
    size_t n, struct arena *a)
{
	uint64_t prev[DL_KIND_MAX][NWORDS];
	struct advs *av;
	const unsigned char *p = z, *end;
	size_t i;
	int rc = -1;

	if (len < OPZ_PAD || (av = calloc(1, sizeof(*av))) == NULL)
		return -1;
	end = z + len - OPZ_PAD;
	memset(prev, 0, sizeof(prev));
	for (i = 0; i < n; i++) {
		unsigned kind, m, f;
		uint64_t *pv;

		/* Within the padding, an op's words are read whole. */
		if (p >= end || (kind = *p) >= DL_KIND_MAX)
			goto out;
		pv = prev[kind];
		m = (unsigned)p[1] | (unsigned)p[2] << 8;
		p += 3;
		if (m >> NWORDS != 0)
			goto out;
		for (; m != 0; m &= m - 1) {
			f = (unsigned)__builtin_ctz(m);
			pv[f] ^= get_word(&p);
		}
		memcpy(&ops[i], pv, sizeof(ops[i]));
		if (ops[i].kind != kind)
			goto out;
		if (kind == DL_TEXT && get_run(&p, end, &ops[i], av, a) != 0)
			goto out;
	}
	rc = p == end ? 0 : -1;
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
	if (op->shared || op->gid == NULL || op->adv == NULL)
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
		/* About the last one's size, not doubled up to it. */
		if (L->nzip > 0)
			buf_grow_to(&b, L->opc[L->nzip - 1].zlen + 1);
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
		arena_free(&L->cache_a);
		L->cache_c = 0;
		if (L->cache == NULL && (L->cache = malloc(L->opchunk *
		    sizeof(*L->cache))) == NULL) {
			L->oom = 1;
			return NULL;
		}
		if (opz_decode(ch->z, ch->zlen, L->cache, L->opchunk, arrays ?
		    &L->cache_a : NULL) != 0) {
			L->oom = 1;
			return NULL;
		}
		patch(L, c, L->cache);
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
