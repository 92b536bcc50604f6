/*
 * flow.c — the vertical list and the page builder. Boxes, glue and
 * penalties are collected for the whole document, then cut into pages
 * greedily at the last legal break that fits (troff's ".ne" and TeX's page
 * builder work the same way), then placed: each box's ops are copied to
 * its page with the box's position added, one page at a time (each may go
 * to a backend before the next is made: lay_sink). Running headers and
 * footers are made once the page count is known, before any page.
 */
#include <stdlib.h>
#include <string.h>

#include "lay_int.h"
#include "../util/buf.h"

const char *
lay_buf_take(struct lay *L, struct buf *b)
{
	const char *r = b->oom ? NULL :
	    arena_strdup(L->a, b->data ? b->data : "");

	if (r == NULL)
		L->oom = 1;
	buf_free(b);
	return r;
}

static int
grow(struct lay *L, void **v, size_t *cap, size_t n, size_t size)
{
	void *p;
	size_t nc;

	if (n < *cap)
		return 0;
	nc = *cap ? *cap * 2 : 256;
	if ((p = realloc(*v, nc * size)) == NULL) {
		L->oom = 1;
		return -1;
	}
	*v = p;
	*cap = nc;
	return 0;
}

static struct vitem *
vpush(struct lay *L, enum vkind k)
{
	struct vitem *it;

	if (grow(L, (void **)&L->v, &L->capv, L->nv, sizeof(*L->v)) != 0)
		return NULL;
	it = &L->v[L->nv++];
	memset(it, 0, sizeof(*it));
	it->kind = k;
	it->stop = (signed char)L->stop_next;
	L->stop_next = 0;
	return it;
}

void
lay_cell_begin(struct lay *L, double y)
{
	L->in_cell = 1;
	L->cell_y = y;
	L->cell_off = y;
}

double
lay_cell_end(struct lay *L)
{
	L->in_cell = 0;
	return L->cell_y;
}

/* What lay_emit() counts of a box's ops without decoding them. */
static void
box_count(struct vitem *it, const struct dl_op *op)
{
	it->nbegin += op->kind == DL_BEGIN;
	it->anchored |= op->kind == DL_ANCHOR;
}

int
lay_box(struct lay *L, double h)
{
	struct vitem *it;
	size_t i;

	if (L->in_cell) {
		struct dl_op *pend = L->pend;
		size_t n = L->npend;
		L->cell_off = L->cell_y;
		L->cell_y += h;
		L->npend = 0;
		for (i = 0; i < n; i++)
			lay_op(L, &pend[i]);
		return L->oom ? -1 : 0;
	}
	/* A page holds at most its height of boxes, so once they add up to
	 * more than LAY_MAX_PAGES pages the report cannot fit: stop now
	 * rather than lay out (and hold) a million paragraphs first. */
	L->boxes_h += h;
	if (L->too_long || L->boxes_h > LAY_MAX_PAGES * L->height) {
		if (!L->too_long)
			diag_err(L->diags, L->doc->file, 0, "the report runs to "
			    "more than %d pages; split it", LAY_MAX_PAGES);
		L->too_long = 1;
		L->npend = 0;
		return -1;
	}
	it = vpush(L, V_BOX);
	if (it != NULL)
		it->repeat = -1;
	if (it == NULL)
		return -1;
	it->h = h;
	it->op0 = L->nops;
	for (i = 0; i < L->npend; i++) {
		lay_oppush(L, &L->pend[i]);
		box_count(it, &L->pend[i]);
	}
	it->nops = L->npend;
	L->npend = 0;
	/* The boxes before this one are closed. */
	if (!L->oom)
		lay_opzip(L, it->op0);
	return L->oom ? -1 : 0;
}

size_t
lay_last_op(struct lay *L)
{
	return L->nops - 1;
}

int
lay_ghost(struct lay *L, size_t from)
{
	struct ghost *g;
	size_t i, k, n = 0;
	double y = 0;

	if (L->nghosts == L->capghosts) {
		size_t cap = L->capghosts ? L->capghosts * 2 : 8;
		struct ghost *v = realloc(L->ghosts, cap * sizeof(*v));
		if (v == NULL) {
			L->oom = 1;
			return -1;
		}
		L->ghosts = v;
		L->capghosts = cap;
	}
	for (i = from; i < L->nv; i++)
		if (L->v[i].kind == V_BOX)
			n += L->v[i].nops;
	g = &L->ghosts[L->nghosts];
	g->nops = 0;
	if ((g->ops = malloc((n ? n : 1) * sizeof(*g->ops))) == NULL) {
		L->oom = 1;
		return -1;
	}
	L->nghosts++;
	/* The boxes' ops, stacked from the ghost's top; their runs' arrays
	 * outlive the chunks. */
	for (i = from; i < L->nv; i++) {
		const struct vitem *it = &L->v[i];
		if (it->kind == V_GLUE)
			y += it->h;
		if (it->kind != V_BOX)
			continue;
		for (k = 0; k < it->nops; k++) {
			const struct dl_op *op = lay_opget(L, it->op0 + k, 1);
			struct dl_op *o = &g->ops[g->nops];
			if (op == NULL)
				return -1;
			*o = *op;
			o->y += y;
			if (lay_op_keep(L, o) != 0) {
				L->oom = 1;
				return -1;
			}
			g->nops++;
		}
		y += it->h;
	}
	g->h = y;
	L->nv = from;
	return L->oom ? -1 : (int)L->nghosts - 1;
}

void
lay_op(struct lay *L, const struct dl_op *op)
{
	struct vitem *it;

	if (L->nv == 0 || L->v[L->nv - 1].kind != V_BOX) {
		/* Ops outside a box go with the next one. */
		lay_pending(L, op);
		return;
	}
	it = &L->v[L->nv - 1];
	/* What waits for "the next box" comes before this op. */
	if (L->npend > 0) {
		struct dl_op *pend = L->pend;
		size_t i, n = L->npend;
		L->npend = 0;
		for (i = 0; i < n; i++)
			lay_op(L, &pend[i]);
		if (L->npend > 0)
			return;
	}
	if (L->in_cell) {
		struct dl_op o = *op;
		o.y += L->cell_off;
		lay_oppush(L, &o);
	} else
		lay_oppush(L, op);
	if (!L->oom) {
		it->nops++;
		box_count(it, op);
	}
}

void
lay_glue_shrink(struct lay *L, double h, double shrink)
{
	struct vitem *it;

	if (L->in_cell) {
		L->cell_y += h;
		return;
	}
	if ((it = vpush(L, V_GLUE)) != NULL) {
		it->h = h;
		it->shrink = shrink;
	}
}

void
lay_glue(struct lay *L, double h)
{
	lay_glue_shrink(L, h, 0);
}

void
lay_penalty(struct lay *L, int p)
{
	struct vitem *it;

	if (L->in_cell)
		return;
	/* Two penalties in a row: the stronger wins. */
	if (L->nv > 0 && L->v[L->nv - 1].kind == V_PENALTY) {
		it = &L->v[L->nv - 1];
		if (p <= PEN_FORCE || it->penalty <= PEN_FORCE)
			it->penalty = PEN_FORCE;
		else if (p > it->penalty)
			it->penalty = p;
		return;
	}
	if ((it = vpush(L, V_PENALTY)) != NULL)
		it->penalty = p;
}

void
lay_stop(struct lay *L, int level)
{
	if (L->stop_next == 0 || level < L->stop_next)
		L->stop_next = level;
}

void
lay_float(struct lay *L, size_t from, const struct node *n)
{
	const struct node *p;
	int level = 0;

	if (L->list_depth > 0 || L->in_cell || from >= L->nv ||
	    grow(L, (void **)&L->flts, &L->capflts, L->nflts,
	    sizeof(*L->flts)) != 0)
		return;
	for (p = n ? n->parent : NULL; p != NULL; p = p->parent)
		if (p->kind == N_SECTION || p->kind == N_APPENDIX) {
			level = p->level > 0 ? p->level : 1;
			break;
		}
	L->flts[L->nflts++] = (struct flt){ from, L->nv, level, 0 };
}

void
lay_pending(struct lay *L, const struct dl_op *op)
{
	if (grow(L, (void **)&L->pend, &L->cappend, L->npend,
	    sizeof(*L->pend)) != 0)
		return;
	L->pend[L->npend++] = *op;
}

void
lay_begin(struct lay *L, enum dl_struct st, int level, const char *alt)
{
	struct dl_op op = { .kind = DL_BEGIN, .st = st, .level = level,
		.alt = alt };

	lay_pending(L, &op);
}

void
lay_end(struct lay *L, enum dl_struct st)
{
	struct dl_op op;

	/* An element that drew nothing leaves no trace, except a table
	 * cell: a row that lost its empty cells pairs a screen reader's
	 * values with the wrong headers. */
	if (L->npend > 0 && L->pend[L->npend - 1].kind == DL_BEGIN &&
	    L->pend[L->npend - 1].st == st && st != ST_TH && st != ST_TD) {
		L->npend--;
		return;
	}
	memset(&op, 0, sizeof(op));
	op.kind = DL_END;
	op.st = st;
	if (L->npend > 0)
		lay_pending(L, &op);
	else
		lay_op(L, &op);
}

/* Is item i a legal place to break? */
static int
legal(const struct lay *L, size_t i)
{
	const struct vitem *it = &L->v[i];

	if (it->kind == V_PENALTY)
		return it->penalty < PEN_FORBID;
	if (it->kind == V_GLUE)
		return i > 0 && L->v[i - 1].kind == V_BOX &&
		    !(it->flags & V_NOBREAK);
	return 0;
}

static int
page_ghost_set(struct lay *L, int page, int ghost)
{
	int *v = realloc(L->page_ghost, (size_t)(page + 1) * sizeof(*v));
	unsigned char *f;

	if (v == NULL) {
		L->oom = 1;
		return -1;
	}
	L->page_ghost = v;
	v[page] = ghost;
	if ((f = realloc(L->page_forced, (size_t)(page + 1))) == NULL) {
		L->oom = 1;
		return -1;
	}
	L->page_forced = f;
	f[page] = 0;
	return 0;
}

/*
 * Floats, LaTeX's placement simplified. A table or figure that does not
 * fit in what is left of a page goes to the top of the next page (never
 * earlier than where it stands, so never before the text that refers to
 * it) while the text after it fills this page, when:
 *  - the blank it leaves is more than FLOAT_BLANK of the text height
 *    (about eight lines of body text; less is the price of keeping the
 *    reading order, as LaTeX's \topfraction and friends trade it);
 *  - the text after it, in whole paragraphs and lists, at least
 *    halves that blank;
 *  - that text is its own section's (and its sub-sections'): it never
 *    passes a heading of the float's section's level or above, the
 *    section's end, a forced break (an appendix's start), or another
 *    float, so tables and figures keep their order and their section.
 *    A council reads a report by its numbered sections: a table shown
 *    under the next section's heading reads as that section's.
 * The moved float's structure element is read where it was written,
 * before the text that filled its page: the author placed it after the
 * paragraph that refers to it, and the HTML edition reads it there too.
 * float_move() marks the first op of the text it passes and the float's
 * own elements (dl_op.order); the PDF writer puts their structure
 * elements before the mark's.
 */
#define FLOAT_BLANK 0.15

/* Structure marks of the boxes moved past a float, in drawing order:
 * d is the depth (begins minus ends). The text moved must be whole
 * elements (d back at 0), never one that the float would then sit in,
 * and never the end of one that holds it (d below 0: bad). A section's
 * end waits for the next box (lay_op()), so the Sect that holds the
 * float closes after it. */
struct sdepth {
	int d, bad;
};

static void
depth_box(struct lay *L, size_t idx, struct sdepth *s)
{
	const struct vitem *it = &L->v[idx];
	size_t k;

	for (k = 0; k < it->nops && !s->bad; k++) {
		const struct dl_op *op = lay_opget(L, it->op0 + k, 0);
		if (op == NULL)
			s->bad = 1;
		else if (op->kind == DL_BEGIN)
			s->d++;
		else if (op->kind == DL_END && --s->d < 0)
			s->bad = 1;
	}
}

/* Marks for reading order (above): the first op of the items [from,
 * to) with order, or every element they open at their own depth. */
static void
order_mark(struct lay *L, size_t from, size_t to, int order)
{
	size_t j, k;
	int d = 0;

	for (j = from; j < to; j++) {
		const struct vitem *it = &L->v[j];
		if (it->kind != V_BOX)
			continue;
		for (k = 0; k < it->nops; k++) {
			const struct dl_op *op = lay_opget(L, it->op0 + k, 0);
			if (op == NULL)
				return;
			if (order == DL_ORDER_MARK) {
				lay_opmark(L, it->op0 + k, DL_ORDER_MARK);
				return;
			}
			if (op->kind == DL_BEGIN && d++ == 0 &&
			    op->st != ST_ARTIFACT)
				lay_opmark(L, it->op0 + k, DL_ORDER_BEFORE);
			else if (op->kind == DL_END)
				d--;
		}
	}
}

/* Moves the float f to after the items [f->to, e) and a break. */
static int
float_move(struct lay *L, struct flt *f, size_t e, struct flt *fend)
{
	size_t nf = f->to - f->from, np = e - f->to, n = nf + np + 1;
	struct vitem *tmp;
	struct flt *g;

	order_mark(L, f->to, e, DL_ORDER_MARK);
	order_mark(L, f->from, f->to, DL_ORDER_BEFORE);

	if (L->nv + 1 > L->capv && grow(L, (void **)&L->v, &L->capv, L->nv,
	    sizeof(*L->v)) != 0)
		return -1;
	if ((tmp = malloc(n * sizeof(*tmp))) == NULL) {
		L->oom = 1;
		return -1;
	}
	/* The text, the break that sends the float on, the float. */
	memcpy(tmp, &L->v[f->to], np * sizeof(*tmp));
	memset(&tmp[np], 0, sizeof(tmp[np]));
	tmp[np].kind = V_PENALTY;
	tmp[np].penalty = PEN_FORCE;
	tmp[np].flags = V_FLOATED;
	memcpy(&tmp[np + 1], &L->v[f->from], nf * sizeof(*tmp));
	memmove(&L->v[e + 1], &L->v[e], (L->nv - e) * sizeof(*L->v));
	memcpy(&L->v[f->from], tmp, n * sizeof(*tmp));
	free(tmp);
	L->nv++;
	f->from += np + 1;
	f->to = f->from + nf;
	f->done = 1;
	for (g = f + 1; g < fend; g++) {
		g->from++;
		g->to++;
	}
	return 0;
}

/*
 * The page from item start broke at best, before the float f (which
 * the items [best, f->from), a heading say, wait with); used is the
 * height of its content, y with the space after it. Fills the page with
 * what follows f, when that is worth it (above). 1 when it did.
 */
static int
float_try(struct lay *L, struct flt *f, struct flt *fend, size_t best,
    double used, double y)
{
	double blank = L->height - used, eused = 0;
	size_t j, e = 0, nextf = f + 1 < fend ? f[1].from : L->nv;
	int prevbox = 0, placed = 0;
	struct sdepth sd, own;

	f->done = 1;
	if (blank <= FLOAT_BLANK * L->height)
		return 0;
	/* The float's own marks must be whole: what it opens, it closes. */
	memset(&own, 0, sizeof(own));
	for (j = f->from; j < f->to && !own.bad; j++)
		if (L->v[j].kind == V_BOX)
			depth_box(L, j, &own);
	if (own.bad || own.d != 0)
		return 0;
	for (j = best; j < f->from; j++) {
		const struct vitem *it = &L->v[j];
		if (it->kind == V_PENALTY && it->penalty <= PEN_FORCE)
			return 0;
		if (it->kind == V_BOX && y + it->h > L->height + 0.01)
			return 0;
		if (it->kind != V_PENALTY)
			y += it->h;
		prevbox = it->kind == V_BOX;
	}
	memset(&sd, 0, sizeof(sd));
	for (j = f->to; j <= nextf; j++) {
		const struct vitem *it = &L->v[j < L->nv ? j : L->nv - 1];
		int cand = 0, stop = j == nextf;
		if (!stop && it->stop > 0 && (f->level == 0 ||
		    it->stop <= f->level))
			stop = 1;
		if (!stop && it->kind == V_PENALTY && it->penalty <= PEN_FORCE)
			stop = 1;
		if (stop)
			cand = 1;
		else if (it->kind == V_BOX) {
			if (y + it->h > L->height + 0.01)
				break;
			depth_box(L, j, &sd);
			if (sd.bad)
				break;
			y += it->h;
			used = y;
			placed++;
		} else if (it->kind == V_GLUE) {
			cand = prevbox && !(it->flags & V_NOBREAK);
			y += it->h;
		} else
			cand = it->penalty < PEN_FORBID;
		if (cand && placed && sd.d == 0 && !sd.bad) {
			e = j;
			eused = used;
		}
		prevbox = it->kind == V_BOX;
		if (stop)
			break;
	}
	if (e == 0 || L->height - eused > blank / 2)
		return 0;
	return float_move(L, f, e, fend) == 0 ? 1 : -1;
}

/*
 * The page from item start holds its boxes up to (not with) item end;
 * top is where the first begins [pt]. When they are taller than the
 * page, which the shrink of the glue between them allowed, that glue
 * gives up its shrink in proportion, as TeX's page builder shrinks
 * glue: a page is not left a fifth blank for want of a few points.
 */
static void
squeeze(struct lay *L, size_t start, size_t end, double top)
{
	size_t j, lastb = start;
	double over, give = 0, r, y = top;

	if (end <= start || end == (size_t)-1)
		return;
	for (j = start; j < end && j < L->nv; j++)
		if (L->v[j].kind == V_BOX)
			lastb = j;
	over = L->v[lastb].y + L->v[lastb].h - L->height;
	if (over <= 0)
		return;
	for (j = start; j < lastb; j++)
		if (L->v[j].kind == V_GLUE)
			give += L->v[j].shrink;
	r = give > 0 && over < give ? over / give : 1;
	for (j = start; j <= lastb; j++) {
		struct vitem *it = &L->v[j];
		if (it->kind == V_BOX) {
			it->y = y;
			y += it->h;
		} else if (it->kind == V_GLUE)
			y += it->h - it->shrink * r;
	}
}

int
lay_paginate(struct lay *L)
{
	size_t i = 0, start, best, fi = 0;
	int page = 0;
	double y, top, shrink;

	while (i < L->nv) {
		/* Discardable items at the top of a page go. */
		while (i < L->nv && L->v[i].kind != V_BOX) {
			L->v[i].page = -1;
			i++;
		}
		if (i >= L->nv)
			break;
		if (page >= LAY_MAX_PAGES) {
			diag_err(L->diags, L->doc->file, 0, "the report runs to "
			    "more than %d pages; split it", LAY_MAX_PAGES);
			return -1;
		}
		start = i;
		best = (size_t)-1;
		y = 0;
		shrink = 0;
		if (page_ghost_set(L, page, L->v[i].repeat) != 0)
			return -1;
		if (L->v[i].repeat >= 0)
			y = L->ghosts[L->v[i].repeat].h;
		top = y;
		for (; i < L->nv; i++) {
			struct vitem *it = &L->v[i];
			if (it->kind == V_PENALTY && it->penalty <= PEN_FORCE) {
				best = i;
				break;
			}
			if (legal(L, i))
				best = i;
			if (it->kind == V_BOX) {
				if (y + it->h > L->height + shrink + 0.01 &&
				    i > start) {
					/* Overfull: go back to the last legal break;
					 * if there is none, break here anyway. */
					if (best == (size_t)-1 || best < start)
						best = i;
					break;
				}
				it->page = page;
				it->y = y;
				y += it->h;
			} else if (it->kind == V_GLUE) {
				y += it->h;
				shrink += it->shrink;
			}
		}
		if (i >= L->nv && (best == (size_t)-1 || L->v[best].kind !=
		    V_PENALTY || L->v[best].penalty > PEN_FORCE))
			best = L->nv;
		squeeze(L, start, best, top);
		if (best < L->nv && L->v[best].kind == V_PENALTY &&
		    L->v[best].penalty <= PEN_FORCE &&
		    !(L->v[best].flags & V_FLOATED))
			L->page_forced[page] = 1;
		/* A float that did not fit, and nothing of it on this page? */
		if (best < L->nv && best > start) {
			size_t j, lastb = start;
			double used, gy = 0;
			int rc;
			while (fi < L->nflts && L->flts[fi].to <= best)
				fi++;
			for (j = start; j < best; j++)
				if (L->v[j].kind == V_BOX) {
					lastb = j;
					gy = 0;
				} else if (L->v[j].kind == V_GLUE)
					gy += L->v[j].h;
			used = L->v[lastb].y + L->v[lastb].h;
			/* The first float after the break, held to it by keeps
			 * alone (a heading before it waits with it). */
			for (j = fi; j < L->nflts; j++) {
				struct flt *f = &L->flts[j];
				size_t k;
				if (f->from < best)
					continue;
				for (k = best + 1; k < f->from && !legal(L, k); k++)
					;
				if (f->done || k < f->from)
					break;
				rc = float_try(L, f, L->flts + L->nflts, best, used,
				    used + gy);
				if (rc < 0)
					return -1;
				if (rc > 0) {
					/* Lay this page out again, filled. */
					i = start;
					goto again;
				}
				break;
			}
		}
		/* Items from best on belong to later pages. */
		i = best;
		page++;
	again:
		;
	}
	/* A chunk the floats' checks could not decode. */
	return L->oom ? -1 : page;
}

/* Expands {page}, {pages}, {title} and meta fields in a running part. */
static const char *
running_text(struct lay *L, const char *pat, int page, int pages)
{
	struct buf b;

	buf_init(&b);
	while (*pat) {
		const char *close;
		if (*pat == '{' && (close = strchr(pat, '}')) != NULL) {
			char key[64];
			size_t n = (size_t)(close - pat - 1);
			if (n < sizeof(key)) {
				memcpy(key, pat + 1, n);
				key[n] = '\0';
				if (strcmp(key, "page") == 0)
					buf_printf(&b, "%d", page);
				else if (strcmp(key, "pages") == 0)
					buf_printf(&b, "%d", pages);
				else
					/* as the front sheet prints it: a date
					 * in the house style, not "2024-07-10" */
					lay_field(L, &b, key, "; ");
				pat = close + 1;
				continue;
			}
		}
		buf_putc(&b, *pat++);
	}
	return lay_buf_take(L, &b);
}

static int
running(struct lay *L, struct dl_page *pg, const struct tpl_running *run,
    int page, int pages, double baseline)
{
	int i;

	if (page == 1 && !run->first_page)
		return 0;
	for (i = 0; i < 3; i++) {
		struct dl_op op, mark;
		const char *text;
		double w, x;

		if (run->part[i] == NULL || run->part[i][0] == '\0')
			continue;
		text = running_text(L, run->part[i], page, pages);
		if (text == NULL)
			return -1;
		w = lay_measure(L, L->small.regular, L->small.size, text);
		x = L->left;
		if (i == 1)
			x = L->left + (L->width - w) / 2;
		else if (i == 2)
			x = L->left + L->width - w;
		memset(&mark, 0, sizeof(mark));
		mark.kind = DL_BEGIN;
		mark.st = ST_ARTIFACT;
		if (dl_push(pg, &mark) == NULL)
			return -1;
		if (lay_text_op(L, &op, L->small.regular, L->small.size,
		    L->small.colour, x, baseline, text, strlen(text)) != 0 ||
		    dl_push(pg, &op) == NULL)
			return -1;
		mark.kind = DL_END;
		if (dl_push(pg, &mark) == NULL)
			return -1;
	}
	return 0;
}

/* How many ops each page will hold, its running head and foot apart:
 * each page's array is sized once, as doubling would leave up to half
 * of a long table's ops unused. */
static size_t *
page_counts(struct lay *L, int pages)
{
	size_t *count, i;
	int p;

	if ((count = calloc((size_t)pages, sizeof(*count))) == NULL)
		return NULL;
	for (i = 0; i < L->npb; i++)
		count[L->pb[i].page] += L->pb[i].nops;
	for (p = 0; p < pages && L->page_ghost != NULL; p++)
		if (L->page_ghost[p] >= 0)
			count[p] += L->ghosts[L->page_ghost[p]].nops;
	count[pages - 1] += L->npend;
	return count;
}

/* The running head and foot of every page, made before any page: their
 * shaping marks the glyphs they use, and a streamed PDF embeds its
 * fonts' subsets before its first page. Page p's are hp->ops[r0[p] ..
 * r0[p + 1]). */
static int
heads(struct lay *L, int pages, struct dl_page *hp, size_t *r0)
{
	const struct template *t = L->t;
	double hb = t->margin_t / 2 + L->small.size / 3;
	double fb = t->page_h - t->margin_b / 2 + L->small.size / 3;
	int p;

	for (p = 0; p < pages; p++) {
		r0[p] = hp->n;
		if (running(L, hp, &t->header, p + 1, pages, hb) != 0 ||
		    running(L, hp, &t->footer, p + 1, pages, fb) != 0)
			return -1;
	}
	r0[pages] = hp->n;
	return 0;
}

/*
 * A walk over one page's ops in the order they are placed: its boxes
 * (in list order, from box i of lay.pb on), the continuation page's repeated
 * table header, and on the last page the ops still pending (an
 * element's end after the last box). fn gets each op and what its y is
 * to be moved by. Placing them (last set) decodes each chunk of lay.ops
 * when a box first needs it, its runs' arrays in runs (NULL: the
 * document's arena), and frees it once its last box is placed
 * (last[c]), naming it in gone[ngone++]; else the ops are read as
 * lay_opget() gives them.
 */
struct walk {
	int (*fn)(struct walk *w, const struct dl_op *op, double dy);
	size_t              i;
	const size_t       *last;     /* or NULL: nothing freed */
	size_t             *gone, ngone;
	int                 runs;     /* each chunk's own arena (streamed) */
	int                 marks;    /* anchors(): boxes without a
	                               * destination only counted */
	struct dl_page     *pg;       /* placing: the page */
	struct dl_anchor   *anc;      /* anchors(): NULL while counting */
	size_t              nanc, nbegin;
	int                 p;
};

/* Box it's ops to w->fn. */
static int
walk_box(struct lay *L, struct walk *w, const struct pbox *it)
{
	size_t k, c, c0 = it->op0 / L->opchunk,
	    c1 = (it->op0 + it->nops - 1) / L->opchunk;
	const struct dl_op *op;

	if (it->nops == 0)
		return 0;
	/* anchors() needs only a box's destinations and its count of
	 * marks. */
	if (w->marks && !it->anchored) {
		w->nbegin += it->nbegin;
		return 0;
	}
	for (c = c0; w->last != NULL && c <= c1; c++)
		if (lay_opload(L, c, w->runs ? &L->opc[c].dec : L->a) != 0)
			return -1;
	for (k = 0; k < it->nops; k++)
		if ((op = w->last != NULL ? lay_opat(L, it->op0 + k) :
		    lay_opget(L, it->op0 + k, 0)) == NULL ||
		    w->fn(w, op, L->top + it->y) != 0)
			return -1;
	for (c = c0; w->last != NULL && c <= c1; c++)
		if (w->last[c] == w->i) {
			free(L->opc[c].ops);
			L->opc[c].ops = NULL;
			w->gone[w->ngone++] = c;
		}
	return 0;
}

static int
walk_page(struct lay *L, struct walk *w, int p, int pages)
{
	int g = L->page_ghost != NULL ? L->page_ghost[p] : -1;
	size_t k;

	w->p = p;
	for (; w->i < L->npb; w->i++) {
		const struct pbox *it = &L->pb[w->i];
		/* Boxes come in page order (the builder moves floats in
		 * the list itself); one behind would be lost. */
		if (it->page < p)
			return -1;
		if (it->page > p)
			break;
		if (walk_box(L, w, it) != 0)
			return -1;
	}
	for (k = 0; g >= 0 && k < L->ghosts[g].nops; k++)
		if (w->fn(w, &L->ghosts[g].ops[k], L->top) != 0)
			return -1;
	for (k = 0; p == pages - 1 && k < L->npend; k++)
		if (w->fn(w, &L->pend[k], 0) != 0)
			return -1;
	return 0;
}

static int
place_op(struct walk *w, const struct dl_op *op, double dy)
{
	struct dl_op o = *op;

	o.y += dy;
	return dl_push(w->pg, &o) == NULL ? -1 : 0;
}

static int
anchor_op(struct walk *w, const struct dl_op *op, double dy)
{
	if (op->kind == DL_BEGIN)
		w->nbegin++;
	if (op->kind != DL_ANCHOR || op->anchor == NULL)
		return 0;
	if (w->anc != NULL)
		w->anc[w->nanc] = (struct dl_anchor){ op->anchor, w->p,
			op->y + dy };
	w->nanc++;
	return 0;
}

/* out->anchors and out->nbegin for a streamed build, before any page
 * is made: found as placing will find them (the running parts have no
 * destination, only their elements). */
static int
anchors(struct lay *L, int pages, const struct dl_page *hp)
{
	struct walk w;
	size_t k;
	int p, pass;

	for (pass = 0; pass < 2; pass++) {
		memset(&w, 0, sizeof(w));
		w.fn = anchor_op;
		w.marks = 1;
		if (pass == 1 && (w.anc = arena_alloc(L->a, (L->out->nanchors +
		    1) * sizeof(*w.anc))) == NULL)
			return -1;
		for (p = 0; p < pages; p++)
			if (walk_page(L, &w, p, pages) != 0)
				return -1;
		L->out->nanchors = w.nanc;
	}
	for (k = 0; k < hp->n; k++)
		w.nbegin += hp->ops[k].kind == DL_BEGIN;
	L->out->anchors = w.anc;
	L->out->nbegin = w.nbegin;
	return 0;
}

/* What a page holds of what the definition asked for (complete()). */
static void
tally(const struct dl_page *pg, struct doc_tally *got)
{
	size_t i;

	for (i = 0; i < pg->n; i++) {
		const struct dl_op *o = &pg->ops[i];
		if (o->kind == DL_IMAGE)
			got->images++;
		else if (o->kind == DL_BEGIN && o->level == 1) {
			got->tables += o->st == ST_TABLE;
			got->figures += o->st == ST_FIGURE;
		}
	}
}

/*
 * Moves the boxes' ops onto their pages, a page at a time, each handed
 * to L->sink as soon as it is whole. Each chunk of lay.ops is freed as
 * soon as the last box using it has been placed, so the ops are held
 * about once, not twice; streamed, a page's ops go once the sink has
 * drawn them, before the next page is made. The ghosts' ops (drawn on
 * every continuation page, after that page's boxes) are set aside first.
 */
int
lay_emit(struct lay *L)
{
	size_t i, k, c, *count = NULL, *last = NULL, *r0 = NULL;
	struct dl_page hp;
	struct walk w;
	int pages = 0, p, rc = -1;

	memset(&hp, 0, sizeof(hp));
	/* The running parts' runs are the pages' own. */
	L->runs_done = 1;
	/* The boxes alone, and the list freed: a long document's list is
	 * megabytes, held otherwise while a streamed PDF begins and grows. */
	for (i = 0, k = 0; i < L->nv; i++)
		k += L->v[i].kind == V_BOX;
	if ((L->pb = malloc((k ? k : 1) * sizeof(*L->pb))) == NULL)
		return -1;
	for (i = 0; i < L->nv; i++)
		if (L->v[i].kind == V_BOX) {
			const struct vitem *it = &L->v[i];
			L->pb[L->npb++] = (struct pbox){ it->op0, it->nops,
				it->page, it->nbegin, it->anchored, it->y };
			if (it->page + 1 > pages)
				pages = it->page + 1;
		}
	free(L->v);
	L->v = NULL;
	L->nv = L->capv = 0;
	if (pages == 0)
		pages = 1;
	for (p = 0; p < pages; p++) {
		struct dl_page *pg = dl_add_page(L->out, L->t->page_w,
		    L->t->page_h);
		if (pg == NULL)
			goto out;
		pg->forced = L->page_forced != NULL && L->page_forced[p];
	}
	if ((r0 = malloc(((size_t)pages + 1) * sizeof(*r0))) == NULL ||
	    heads(L, pages, &hp, r0) != 0)
		goto out;
	if (L->sink != NULL && (anchors(L, pages, &hp) != 0 ||
	    L->sink->begin(L->sink->arg, L->out) != 0))
		goto out;
	lay_opcache_free(L);
	count = page_counts(L, pages);
	/* last[c], then the chunks placed whose runs wait for their page
	 * to be written. */
	last = malloc((L->nopc ? 2 * L->nopc : 1) * sizeof(*last));
	if (count == NULL || last == NULL)
		goto out;
	for (c = 0; c < L->nopc; c++)
		last[c] = (size_t)-1;
	for (i = 0; i < L->npb; i++)
		if (L->pb[i].nops > 0)
			for (c = L->pb[i].op0 / L->opchunk; c <= (L->pb[i].op0 +
			    L->pb[i].nops - 1) / L->opchunk; c++)
				last[c] = i;
	for (c = 0; c < L->nopc; c++)
		if (last[c] == (size_t)-1) {
			free(L->opc[c].ops);
			L->opc[c].ops = NULL;
			free(L->opc[c].z);
			L->opc[c].z = NULL;
		}
	memset(&w, 0, sizeof(w));
	w.fn = place_op;
	w.last = last;
	w.gone = last + L->nopc;
	w.runs = L->sink != NULL;
	for (p = 0; p < pages; p++) {
		w.pg = &L->out->pages[p];
		if (dl_reserve(w.pg, count[p] + r0[p + 1] - r0[p]) != 0 ||
		    walk_page(L, &w, p, pages) != 0)
			goto out;
		for (k = r0[p]; k < r0[p + 1]; k++)
			if (dl_push(w.pg, &hp.ops[k]) == NULL)
				goto out;
		tally(w.pg, &L->got);
		if (L->sink != NULL && L->sink->page(L->sink->arg, L->out,
		    (size_t)p) != 0)
			goto out;
		/* Written: the runs of the chunks placed go (a build that
		 * keeps its pages has them in the document's arena). */
		for (k = 0; k < w.ngone; k++)
			arena_free(&L->opc[w.gone[k]].dec);
		w.ngone = 0;
	}
	L->npend = 0;
	rc = 0;
out:
	free(count);
	free(last);
	free(r0);
	free(hp.ops);
	free(L->pb);
	L->pb = NULL;
	L->npb = 0;
	return rc;
}
