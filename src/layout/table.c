/*
 * table.c — tables and risk registers: column widths from content (the
 * HTML auto-layout idea: minimum and preferred widths, the rest shared
 * out to fill the text width), rows as unbreakable boxes, the header kept
 * with the first row, and caption "(continued)" plus header repeated at
 * the top of every continuation page.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lay_int.h"
#include "../util/buf.h"

#define PAD 4.0   /* [pt] cell padding */
#define CAPTION_GAP 6.0 /* [pt] between a table and its caption */
#define TOTAL_RULE 1.0  /* [pt] the rule above a total row */
/* Before a note under a table (the source, the suppression note): no
 * break, so that it stays with the table's last rows. */
#define KEEP_NOTE PEN_FORBID
/* A trend arrow is drawn this much larger than the text: the text
 * fonts' arrows are about as tall as a lower-case letter, too small to
 * read in a cell. */
#define ARROW_SCALE 1.25
/* The most of a table's width the column naming its rows takes, for its
 * names on two lines, before the other columns grow (share()). */
#define NAMES_SHARE (1.0 / 3)

/* Bytes of the trend arrow (U+2191, U+2193, U+2192) and space that s
 * starts with, or 0. */
static size_t
arrow_len(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;

	if (u != NULL && u[0] == 0xE2 && u[1] == 0x86 && (u[2] == 0x91 ||
	    u[2] == 0x93 || u[2] == 0x92) && u[3] == ' ')
		return 3;
	return 0;
}

/* How much wider a cell's text is set than measured [pt]: its arrow
 * drawn larger. */
static double
arrow_extra(struct lay *L, int font, double size, const char *s)
{
	size_t k = arrow_len(s);

	return k ? (ARROW_SCALE - 1) * lay_measure_n(L, font, size, s, k) : 0;
}

/* Redraws the trend arrows among ops [from, nops) at ARROW_SCALE: each
 * run "↑ up" becomes the arrow, larger, and the rest after it. The
 * arrow's run keeps its space ("↑ "), so the PDF reads it as nothing
 * more than the word after it (dl_actual_text). align says which way
 * the larger arrow pushes the run. */
static int
big_arrows(struct lay *L, size_t from, int align)
{
	size_t i, end = L->nops;

	for (i = from; i < end && !L->oom; i++) {
		struct dl_op o = *lay_opat(L, i), a, r;
		size_t k = o.kind == DL_TEXT ? arrow_len(o.text) : 0;
		double sp, x;
		if (k == 0 || o.word_space != 0)
			continue;
		if (lay_text_op(L, &a, o.font, o.size * ARROW_SCALE, o.colour,
		    0, o.y, o.text, k + 1) != 0 ||
		    lay_text_op(L, &r, o.font, o.size, o.colour, 0, o.y,
		    o.text + k + 1, strlen(o.text + k + 1)) != 0)
			return -1;
		sp = lay_measure_n(L, o.font, o.size * ARROW_SCALE, " ", 1);
		x = o.x - (align == ALIGN_RIGHT ? a.w + r.w - o.w :
		    align == ALIGN_CENTER ? (a.w + r.w - o.w) / 2 : 0);
		a.x = x;
		/* The arrow's advance without its space: the space is the
		 * normal one, after the larger arrow. */
		a.w -= sp;
		r.x = x + a.w + lay_measure_n(L, o.font, o.size, " ", 1);
		*lay_opat(L, i) = a;
		r.y -= L->cell_off;
		lay_op(L, &r);
	}
	return L->oom ? -1 : 0;
}

/* Plain text of a literal cell's inline content. */
static const char *
cell_plain(struct lay *L, const struct tcell *c)
{
	struct buf b;
	const struct node *x;
	const char *r;

	if (c->inl == NULL)
		return c->text ? c->text : "";
	buf_init(&b);
	for (x = node_next_pre(c->inl, c->inl); x != NULL;
	    x = node_next_pre(c->inl, x))
		if (x->kind == N_TEXT)
			buf_puts(&b, x->text);
	/* "" on failure: it is only measured, and L->oom fails the build. */
	r = lay_buf_take(L, &b);
	return r ? r : "";
}

/* Widths of the whole text and of its longest word [pt]. The whole is
 * its words and one space between each, as the line breaker sets it
 * (and words repeat where whole cells do not, so they are cached). */
static void
measure(struct lay *L, int font, double size, const char *s, double *pref,
    double *min)
{
	const char *p = s;
	int words = 0;

	*pref = 0;
	*min = 0;
	while (*p == ' ')
		p++;
	while (*p) {
		size_t k = strcspn(p, " ");
		double ww = lay_measure_n(L, font, size, p, k);
		if (ww > *min)
			*min = ww;
		*pref += ww;
		words++;
		p += k;
		while (*p == ' ')
			p++;
	}
	if (words > 1)
		*pref += (words - 1) * lay_measure_n(L, font, size, " ", 1);
}

/* Which columns grow() widens. */
enum pick {
	PICK_LABEL,   /* the first column, of text, naming the rows */
	PICK_TEXT,    /* the columns of text */
	PICK_ALL      /* every column without a set width */
};

static int
picked(const struct tbl *t, enum pick pick, int i)
{
	if (t->width[i] > 0)
		return 0;
	switch (pick) {
	case PICK_LABEL:
		return i == 0 && t->ncols > 1 && t->right[0] != 1;
	case PICK_TEXT:
		return t->right[i] != 1;
	default:
		return 1;
	}
}

/* Widens the columns pick selects toward to [pt] out of *rest [pt],
 * each in proportion to how much more it would like. Returns 1 when
 * all reached it (what they took gone from *rest), 0 when *rest ran
 * out first. */
static int
grow(const struct tbl *t, enum pick pick, const double *to, double *rest,
    double *w)
{
	double want = 0;
	int i;

	for (i = 0; i < t->ncols; i++)
		if (picked(t, pick, i) && to[i] > w[i])
			want += to[i] - w[i];
	for (i = 0; i < t->ncols && want > 0; i++)
		if (picked(t, pick, i) && to[i] > w[i])
			w[i] += want <= *rest ? to[i] - w[i] :
			    *rest * (to[i] - w[i]) / want;
	if (want > *rest) {
		*rest = 0;
		return 0;
	}
	*rest -= want;
	return 1;
}

/* Column widths wanted at each stage [pt], 2 * PAD + 1 included. */
struct colw {
	double *mn;    /* its longest word (a figure column: its widest
	                * figure or header word) */
	double *two;   /* the label column: its cells on two lines at most;
	                * the others: mn */
	double *cell;  /* its cells on one line */
	double *pf;    /* that, and its header on two lines */
	double *one;   /* that, and its header on one line */
};

/* Shares avail [pt] out among the columns without a set width, in the
 * order a reader needs it: every column its longest word; then the
 * column that names the rows room for each name on two lines at most
 * ("Vehicle Crime -" over "Theft From"), before any header grows; then
 * the columns of text their cells on one line ("Domestic Abuse"), in
 * proportion to how much more each would like (a header wraps before a
 * row's name does); then every column room for its header on two
 * lines; then, once all that fits, as many headers on one line as fit;
 * and what is left over goes to the columns of text, so figures stay
 * close to their headers. */
static void
share(const struct tbl *t, const struct colw *c, double smin, double avail,
    double *w)
{
	double rest, text = 0, sum = 0;
	int i;

	if (smin > avail) {
		/* Too narrow even for the longest words: they break. */
		for (i = 0; i < t->ncols; i++)
			if (t->width[i] <= 0)
				w[i] = avail * c->mn[i] / smin;
		return;
	}
	for (i = 0; i < t->ncols; i++)
		if (t->width[i] <= 0)
			w[i] = c->mn[i];
	rest = avail - smin;
	/* Names, not sentences: a first column that would need more than
	 * NAMES_SHARE of the width for two lines (a risk's description)
	 * shares with the other columns of text instead. */
	if (c->two[0] <= NAMES_SHARE * avail &&
	    !grow(t, PICK_LABEL, c->two, &rest, w))
		return;
	if (!grow(t, PICK_TEXT, c->cell, &rest, w) ||
	    !grow(t, PICK_ALL, c->pf, &rest, w) || rest <= 0)
		return;
	/* All fits on one line: the headers too, if they can, and then
	 * fill the width, the extra to the text (to every column when
	 * all are figures). Whole headers only, the cheapest first, while
	 * they fit (a header still broken, only wider, would gain
	 * nothing); headers that cost the same go together, so that a
	 * row of like headers ("April 22 - Sept 22", "April 23 - Sept 23")
	 * stays alike. */
	for (;;) {
		double cost = -1, all = 0;
		for (i = 0; i < t->ncols; i++)
			if (t->width[i] <= 0 && w[i] < c->one[i] &&
			    (cost < 0 || c->one[i] - w[i] < cost))
				cost = c->one[i] - w[i];
		for (i = 0; i < t->ncols && cost >= 0; i++)
			if (t->width[i] <= 0 && w[i] < c->one[i] &&
			    c->one[i] - w[i] < cost + 0.5)
				all += c->one[i] - w[i];
		if (cost < 0 || all > rest)
			break;
		for (i = 0; i < t->ncols; i++)
			if (t->width[i] <= 0 && w[i] < c->one[i] &&
			    c->one[i] - w[i] < cost + 0.5)
				w[i] = c->one[i];
		rest -= all;
	}
	for (i = 0; i < t->ncols; i++)
		if (t->width[i] <= 0) {
			sum += w[i];
			if (t->right[i] != 1)
				text += c->pf[i];
		}
	for (i = 0; i < t->ncols; i++)
		if (t->width[i] <= 0)
			w[i] += text > 0 ? t->right[i] != 1 ?
			    rest * c->pf[i] / text : 0 : rest * w[i] / sum;
}

static void
column_widths(struct lay *L, const struct tbl *t, const struct tstyle *st,
    const struct tstyle *bold, double avail, double *w)
{
	size_t n = (size_t)t->ncols;
	/* One block, six rows of n: c's five and dm, each column's
	 * longest data word (header words left out). */
	double *all = calloc(6 * n, sizeof(double));
	struct colw c;
	double *dm;
	double smin = 0, sdmin = 0, fixed = 0;
	int i, r;

	if (all == NULL) {
		L->oom = 1;
		return;
	}
	c.mn = all;
	c.two = all + n;
	c.cell = all + 2 * n;
	c.pf = all + 3 * n;
	c.one = all + 4 * n;
	dm = all + 5 * n;
	for (i = 0; i < t->ncols; i++) {
		double p, m;
		int label = picked(t, PICK_LABEL, i);
		if (t->has_head) {
			/* A header may take two lines before its column
			 * grows for it (broken where lay_lines() would:
			 * "April 22 -" over "Sept 22"). */
			measure(L, bold->regular, bold->size, t->head[i], &p, &m);
			c.one[i] = p;
			p = lay_two_lines(L, bold, t->head[i]);
			c.pf[i] = p > m ? p : m;
			c.mn[i] = m;
		}
		for (r = 0; r < t->nrows; r++) {
			const struct tcell *cl = &t->cells[(size_t)r * n +
			    (size_t)i];
			const char *txt = cell_plain(L, cl);
			/* Totals and emphasised rows print bold. */
			const struct tstyle *cs = t->row_kind && t->row_kind[r] ?
			    bold : st;
			measure(L, cs->regular, cs->size, txt, &p, &m);
			p += arrow_extra(L, cs->regular, cs->size, txt);
			/* A short value ("↓ down", "£1,234") is one unit. */
			if (p <= 6 * cs->size && strchr(txt, ' ') ==
			    strrchr(txt, ' '))
				m = p;
			if (p > c.cell[i])
				c.cell[i] = p;
			if (m > c.mn[i])
				c.mn[i] = m;
			if (m > dm[i])
				dm[i] = m;
			if (label && m < p) {
				double two = lay_two_lines(L, cs, txt);
				if (two > c.two[i])
					c.two[i] = two;
			}
		}
		c.mn[i] += 2 * PAD + 1;
		dm[i] += 2 * PAD + 1;
		c.cell[i] += 2 * PAD + 1;
		c.two[i] += 2 * PAD + 1;
		if (c.cell[i] < c.mn[i])
			c.cell[i] = c.mn[i];
		if (c.two[i] < c.mn[i])
			c.two[i] = c.mn[i];
		c.pf[i] += 2 * PAD + 1;
		if (c.pf[i] < c.cell[i])
			c.pf[i] = c.cell[i];
		c.one[i] += 2 * PAD + 1;
		if (c.one[i] < c.pf[i])
			c.one[i] = c.pf[i];
		if (t->width[i] > 0) {
			/* width= is the author's: share() leaves it alone. */
			w[i] = t->width[i];
			fixed += t->width[i];
			continue;
		}
		smin += c.mn[i];
		sdmin += dm[i];
	}
	avail -= fixed;
	/* Too narrow for every header word: data keeps its minimum and the
	 * long header words break instead. */
	if (smin > avail && sdmin <= avail) {
		memcpy(c.mn, dm, n * sizeof(double));
		smin = sdmin;
	}
	share(t, &c, smin, avail, w);
	free(all);
}

static void
mark_colours(struct lay *L, enum tmark m, uint32_t *fill, int *has_fill,
    uint32_t *text)
{
	const struct template *t = L->t;

	*has_fill = 0;
	switch (m) {
	case MARK_RED:
		*fill = t->c_red; *has_fill = 1; *text = 0xFFFFFF; break;
	case MARK_AMBER:
		*fill = t->c_amber; *has_fill = 1; *text = 0x0B0C0C; break;
	case MARK_GREEN:
		*fill = t->c_green; *has_fill = 1; *text = 0xFFFFFF; break;
	case MARK_GOOD:
		*text = t->c_green; break;
	case MARK_BAD:
		*text = t->c_red; break;
	default:
		break;
	}
}

/* One row as one box: fills first (their heights patched once the
 * cells are measured), then the cells, then the rules. */
static int
row(struct lay *L, const struct tbl *t, const struct tcell *cells,
    const char *const *head, const double *w, double x,
    const struct tstyle *st, const struct tstyle *bold, int zebra, int kind)
{
	const struct template *tp = L->t;
	size_t fillop[256];
	int nfill = 0, i;
	double h = 0, cx;
	struct vitem *it;
	size_t vi;

	if (lay_box(L, 0) != 0)
		return -1;
	vi = L->nv - 1;
	for (i = 0, cx = x; i < t->ncols && i < 256; cx += w[i], i++) {
		uint32_t fill = 0, text = st->colour;
		int has = 0;
		struct dl_op op = { .kind = DL_RECT, .x = cx, .w = w[i],
			.do_fill = 1 };
		if (head != NULL) {
			fill = tp->t_header_fill;
			has = 1;
		} else {
			mark_colours(L, cells[i].mark, &fill, &has, &text);
			if (!has && zebra && tp->t_has_zebra) {
				fill = tp->t_zebra;
				has = 1;
			}
		}
		if (!has)
			continue;
		op.fill = fill;
		lay_begin(L, ST_ARTIFACT, 0, NULL);
		lay_op(L, &op);
		fillop[nfill++] = lay_last_op(L);
		lay_end(L, ST_ARTIFACT);
	}
	lay_begin(L, ST_TR, 0, NULL);
	for (i = 0, cx = x; i < t->ncols; cx += w[i], i++) {
		struct spans s = { NULL, 0, 0 };
		/* Headers, totals and emphasised rows bold: weight, not
		 * colour alone, says what they are. */
		struct tstyle cs = head || kind ? *bold : *st;
		uint32_t fill;
		/* A header sits as its column does: right over figures,
		 * centred over centred cells. */
		int has, align = t->right[i] == 1 ? ALIGN_RIGHT :
		    t->right[i] == 2 ? ALIGN_CENTER : ALIGN_LEFT;
		double ch;
		size_t op0;

		if (head == NULL)
			mark_colours(L, cells[i].mark, &fill, &has, &cs.colour);
		/* A table without a header row has its first column as
		 * row headers, so every cell has a header to be read with;
		 * so has a data table whose first column names its rows. */
		int th = head != NULL || (i == 0 && t->ncols > 1 &&
		    (!t->has_head || t->row_head));
		/* level says the header's scope: 1 its column, 2 its row. */
		/* An empty header is read by its column's name. */
		lay_begin(L, th ? ST_TH : ST_TD, head ? 1 : 2, head &&
		    t->head_alt ? t->head_alt[i] : NULL);
		lay_cell_begin(L, PAD);
		if (head != NULL)
			spans_text(L, &s, &cs, cs.regular, head[i]);
		else if (cells[i].inl != NULL)
			spans_inlines(L, &s, cells[i].inl, &cs, 0, 0, NULL, NULL);
		else if (cells[i].text != NULL && cells[i].text[0] != '\0')
			spans_text(L, &s, &cs, cs.regular, cells[i].text);
		op0 = L->nops;
		if (s.n > 0 && (lay_lines(L, &s, &cs, cx + PAD, w[i] - 2 * PAD,
		    align, 1) < 0 || (head == NULL && big_arrows(L, op0,
		    align) != 0))) {
			spans_free(&s);
			return -1;
		}
		spans_free(&s);
		ch = lay_cell_end(L);
		lay_end(L, th ? ST_TH : ST_TD);
		if (ch > h)
			h = ch;
	}
	lay_end(L, ST_TR);
	h += PAD;
	if (h < st->leading + 2 * PAD)
		h = st->leading + 2 * PAD;
	for (i = 0; i < nfill && !L->oom; i++)   /* stored only without OOM */
		lay_opat(L, fillop[i])->h = h;
	/* Rules between cells, drawn as decoration; a total row is ruled
	 * off above, as a sum is under its column. */
	lay_begin(L, ST_ARTIFACT, 0, NULL);
	if (kind & ROW_TOTAL) {
		double tw = 0;
		for (i = 0; i < t->ncols; i++)
			tw += w[i];
		lay_op(L, &(struct dl_op){ .kind = DL_LINE, .x = x, .w = tw,
		    .colour = tp->t_border, .line_width = TOTAL_RULE });
	}
	for (i = 0, cx = x; i < t->ncols; cx += w[i], i++) {
		struct dl_op op = { .kind = DL_RECT, .x = cx, .w = w[i], .h = h,
			.do_stroke = 1, .colour = tp->t_border, .line_width = 0.5 };
		lay_op(L, &op);
	}
	lay_end(L, ST_ARTIFACT);
	it = &L->v[vi];
	it->h = h;
	/* Rows are never split; one taller than a page would run off it,
	 * so say so rather than lose text quietly. */
	if (h > L->height)
		diag_warn(L->diags, L->doc->file, 0, "a table row is taller than "
		    "a page (%.0f pt) and runs off the page; shorten the text in "
		    "its cells", h);
	return L->oom ? -1 : 0;
}

static int
caption_box(struct lay *L, const char *text, double x, double w)
{
	struct tstyle st = lay_style_at(L, L->body.size, 1);

	return lay_plain(L, &st, text, x, w);
}

int
lay_caption(struct lay *L, const char *text, double x, double w)
{
	int rc;

	lay_begin(L, ST_CAPTION, 0, NULL);
	rc = caption_box(L, text, x, w);
	lay_end(L, ST_CAPTION);
	return rc;
}

int
lay_note(struct lay *L, const char *text, double x, double w)
{
	int rc;

	lay_glue(L, 3);
	lay_begin(L, ST_P, 0, NULL);
	rc = lay_plain(L, &L->small, text, x, w);
	lay_end(L, ST_P);
	return rc;
}

/* One drawn table over rows[0..nrows); source: with n's source note
 * under it (a grouped table's parts under one caption have one, under
 * the last). */
static int
draw(struct lay *L, const struct node *n, const struct tbl *t,
    const int *rows, int nrows, double x, const double *w,
    const char *caption, int first, int source)
{
	struct tstyle st = lay_style_at(L, L->t->t_size, 0);
	struct tstyle bold = lay_style_at(L, L->t->t_size, 1);
	double total = 0;
	int i, after, ghost = -1;
	int below = !doc_caption_above(n, L->t->caption_above);
	struct tcell *cells;

	for (i = 0; i < t->ncols; i++)
		total += w[i];
	/* The continuation header first, set aside as a ghost; what waits
	 * to open (a section, say) must not be caught in it. */
	if (t->has_head || (caption && !below)) {
		struct dl_op *pend = L->pend;
		size_t npend = L->npend, cap = L->cappend, from = L->nv;
		L->pend = NULL;
		L->npend = L->cappend = 0;
		/* (a list label's run may wait in it: opstore.c) */
		L->pend_aside = 1;
		lay_begin(L, ST_ARTIFACT, 0, NULL);
		if (caption && !below)
			caption_box(L, arena_printf(L->a, "%s (continued)",
			    caption), x, total);
		if (t->has_head)
			row(L, t, NULL, t->head, w, x, &st, &bold, 0, 0);
		lay_end(L, ST_ARTIFACT);
		ghost = lay_ghost(L, from);
		L->pend_aside = 0;
		free(L->pend);
		L->pend = pend;
		L->npend = npend;
		L->cappend = cap;
		if (ghost < 0)
			return -1;
	}
	lay_glue(L, 4);
	/* Level 1 marks a definition's table (its first part when grouped)
	 * for the count of what came out (api.c); the front sheet's rows are
	 * tables of the template's. */
	lay_begin(L, ST_TABLE, first, NULL);
	if (n->id && first)
		lay_pending(L, &(struct dl_op){ .kind = DL_ANCHOR,
		    .anchor = n->id });
	if (caption && !below) {
		if (lay_caption(L, caption, x, total) != 0)
			return -1;
		lay_penalty(L, PEN_FORBID);
		lay_glue(L, CAPTION_GAP);
	}
	/* THead and TBody, so that a reader can tell the header row that
	 * a table over several pages repeats from the rows it heads. */
	if (t->has_head) {
		lay_begin(L, ST_THEAD, 0, NULL);
		if (row(L, t, NULL, t->head, w, x, &st, &bold, 0, 0) != 0)
			return -1;
		lay_end(L, ST_THEAD);
		lay_penalty(L, PEN_FORBID);
	}
	cells = malloc((size_t)(t->ncols + 1) * sizeof(*cells));
	if (cells == NULL)
		return -1;
	/* Data rows from each row to the end, the totals not counted: a
	 * continuation of two rows and a total reads as a fragment. */
	for (i = 0, after = 0; i < nrows; i++)
		after += !(t->row_kind && t->row_kind[rows[i]] & ROW_TOTAL);
	if (t->has_head)
		lay_begin(L, ST_TBODY, 0, NULL);
	for (i = 0; i < nrows; i++) {
		memcpy(cells, &t->cells[(size_t)rows[i] * (size_t)t->ncols],
		    (size_t)t->ncols * sizeof(*cells));
		int kind = t->row_kind ? t->row_kind[rows[i]] : ROW_DATA;
		/* As with lines, but more: the header keeps the template's
		 * orphan-rows under it, a continuation carries at least its
		 * widow-rows data rows, and a total stays with the rows it
		 * totals; a table too short to share that way moves whole. */
		if (i > 0)
			lay_penalty(L, i < L->t->t_orphan_rows ||
			    after < L->t->t_widow_rows || kind & ROW_TOTAL ?
			    PEN_FORBID : 0);
		after -= !(kind & ROW_TOTAL);
		if (row(L, t, cells, NULL, w, x, &st, &bold, i % 2, kind) != 0) {
			free(cells);
			return -1;
		}
		L->v[L->nv - 1].repeat = ghost;
	}
	free(cells);
	if (t->has_head)
		lay_end(L, ST_TBODY);
	if (caption && below) {
		lay_penalty(L, PEN_FORBID);
		lay_glue(L, CAPTION_GAP);
		if (lay_caption(L, caption, x, total) != 0)
			return -1;
	}
	lay_end(L, ST_TABLE);
	if (t->footnote) {
		/* Only under a table that has a suppressed cell. */
		int any = 0, c, r;
		for (r = 0; r < nrows && !any; r++)
			for (c = 0; c < t->ncols; c++) {
				const char *tx = t->cells[(size_t)rows[r] *
				    (size_t)t->ncols + (size_t)c].text;
				if (tx != NULL && strcmp(tx, "*") == 0)
					any = 1;
			}
		if (any)
			lay_penalty(L, KEEP_NOTE);
		if (any && lay_note(L, t->footnote, x, total) != 0)
			return -1;
	}
	/* A source note belongs to its table: never alone at the top of
	 * a page. */
	if (n->source && source)
		lay_penalty(L, KEEP_NOTE);
	if (n->source && source && lay_note(L, arena_printf(L->a, "Source: %s",
	    n->source),
	    x, total) != 0)
		return -1;
	lay_glue(L, L->t->para_space_after + 4);
	return L->oom ? -1 : 0;
}

const char *
lay_caption_text(struct lay *L, const char *pattern, const struct node *n,
    const char *extra)
{
	struct buf b;
	const char *r;

	if (n->caption == NULL)
		return NULL;
	buf_init(&b);
	doc_caption(&b, pattern, n, extra);
	/* Out of memory (L->oom, the layout fails): not "no caption". */
	return (r = lay_buf_take(L, &b)) != NULL ? r : "";
}

/* The caption of a grouped table's part g of parts, numbered as the
 * template's groups= says; NULL for a part without one. */
static const char *
part_caption(struct lay *L, const struct node *n, const char *name, int g,
    int parts)
{
	enum caption_groups groups = (enum caption_groups)L->t->caption_continued;
	struct buf b;

	if (n->caption == NULL || !doc_part_captioned(groups, g, parts,
	    doc_caption_above(n, L->t->caption_above)))
		return NULL;
	buf_init(&b);
	doc_part_caption(&b, L->t->caption_table, n, name, g, groups);
	return lay_buf_take(L, &b);
}

int
lay_table(struct lay *L, const struct node *n, double indent)
{
	const struct tbl *t = n->tbl;
	struct tstyle st = lay_style_at(L, L->t->t_size, 0);
	struct tstyle bold = lay_style_at(L, L->t->t_size, 1);
	double x = L->left + indent, *w;
	int *rows, i, rc = 0;

	if (t == NULL || t->ncols == 0)
		return 0;
	w = calloc((size_t)t->ncols, sizeof(*w));
	rows = malloc((size_t)(t->nrows + 1) * sizeof(*rows));
	if (w == NULL || rows == NULL) {
		free(w);
		free(rows);
		L->oom = 1;
		return -1;
	}
	column_widths(L, t, &st, &bold, L->width - indent, w);
	if (L->oom) {
		free(w);
		free(rows);
		return -1;
	}
	/* Without rows a grouped table has no groups: its header alone, as
	 * bind warned. */
	if (n->group_by == NULL || t->nrows == 0) {
		for (i = 0; i < t->nrows; i++)
			rows[i] = i;
		rc = draw(L, n, t, rows, t->nrows, x, w, lay_caption_text(L,
		    L->t->caption_table, n, NULL), 1, 1);
	} else {
		/* One table per group, each under its own heading. */
		int *start = malloc((size_t)(t->nrows + 2) * sizeof(*start));
		int level = 2, parts = -1, g;
		const struct node *p;
		if (start == NULL || (parts = tbl_groups(t, 1, rows, start)) < 0) {
			L->oom = 1;
			rc = -1;
		}
		for (p = n->parent; p != NULL; p = p->parent)
			if (p->kind == N_SECTION || p->kind == N_APPENDIX) {
				level = p->level + 1;
				break;
			}
		for (g = 0; g < parts && rc == 0; g++) {
			const char *name = t->group[rows[start[g]]] ?
			    t->group[rows[start[g]]] : "";
			rc = lay_heading(L, NULL, name, level > 6 ? 6 : level, NULL,
			    indent, 0);
			if (rc == 0)
				rc = draw(L, n, t, rows + start[g],
				    start[g + 1] - start[g], x, w,
				    part_caption(L, n, name, g, parts), g == 0,
				    L->t->caption_continued != GROUPS_ONCE ||
				    g == parts - 1);
		}
		free(start);
	}
	free(w);
	free(rows);
	return rc;
}
