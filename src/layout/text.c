/*
 * text.c — inline content to lines: spans of styled text are cut into
 * boxes (words and word pieces), glue (spaces) and penalties (inside
 * words where the Unicode line breaking algorithm, UAX #14, allows a
 * break: linebreak.c; forced at <br/>), then broken into lines by dynamic
 * programming over the squared slack of each line (minimum raggedness,
 * as neatroff's filler does), and drawn as one text run per style.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lay_int.h"
#include "linebreak.h"
#include "../data/numfmt.h"
#include "../util/buf.h"
#include "../util/utf8.h"

enum { TI_BOX, TI_GLUE, TI_PEN };

struct titem {
	int           kind;
	double        w;       /* [pt] */
	int           span;    /* index into spans */
	const char   *s;
	size_t        len;
	const struct shaped *sh;
	int           forced;  /* TI_PEN: a <br/> */
	int           cost;    /* TI_PEN: penalty for breaking here */
	int           nobreak; /* TI_GLUE: UAX #14 allows no break here; one
	                        * is taken only when nothing else fits */
};

struct titems {
	struct titem *v;
	size_t        n, cap;
};

/* Extra cost of ending a line inside a word (after a hyphen or slash,
 * wherever UAX #14 allows) instead of at a space [pt^2]: enough to
 * prefer spaces, not enough to force a bad rag. */
#define PEN_HYPHEN 400.0
/* Cost of a break at a space where UAX #14 allows none [pt^2]: only
 * when the words it holds together are wider than the line. */
#define PEN_NOBREAK 1e9

int
spans_add(struct lay *L, struct spans *s, const struct span *sp)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		struct span *v = realloc(s->v, cap * sizeof(*v));
		if (v == NULL) {
			L->oom = 1;
			return -1;
		}
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = *sp;
	return 0;
}

void
spans_free(struct spans *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}

static int
pick_font(const struct tstyle *st, int bold, int italic)
{
	if (bold && italic)
		return st->bolditalic;
	if (bold)
		return st->bold;
	if (italic)
		return st->italic;
	return st->regular;
}

int
spans_text(struct lay *L, struct spans *s, const struct tstyle *st, int font,
    const char *text)
{
	struct span sp;

	memset(&sp, 0, sizeof(sp));
	sp.text = text;
	sp.len = strlen(text);
	sp.font = font;
	sp.colour = st->colour;
	return spans_add(L, s, &sp);
}

/* The words a <ref> prints for its target ("section 3.2", "table 4"):
 * here for layout and the HTML edition alike. */
const char *
lay_ref_words(struct arena *a, const struct node *t)
{
	const char *label = t->label;
	size_t n;

	if (t->kind == N_APPENDIX)
		return arena_printf(a, "Appendix %s", label ? label : "");
	if (t->kind == N_TABLE && label != NULL && t->label_parts > 1)
		return arena_printf(a, "tables %s to %ld", label,
		    strtol(label, NULL, 10) + t->label_parts - 1);
	if ((t->kind == N_TABLE || t->kind == N_RISKS) && label != NULL)
		return arena_printf(a, "table %s", label);
	if ((t->kind == N_CHART || t->kind == N_KPIS) && label != NULL)
		return arena_printf(a, "figure %s", label);
	if (label != NULL) {
		n = strlen(label);
		while (n > 0 && label[n - 1] == '.')
			n--;
		return arena_printf(a, "%s %.*s",
		    t->kind == N_PARA ? "paragraph" : "section", (int)n, label);
	}
	if (t->title != NULL)
		return arena_printf(a, "\xe2\x80\x9c%s\xe2\x80\x9d", t->title);
	/* An unnumbered paragraph: name the section that holds it. */
	for (t = t->parent; t != NULL; t = t->parent)
		if (t->kind == N_SECTION || t->kind == N_APPENDIX)
			return lay_ref_words(a, t);
	return "this report";
}

/* Formats an ISO date by the template's pattern (numfmt's date
 * patterns: d, dd, do, MMM, MMMM, yy, yyyy). */
static void
format_date(struct buf *b, const char *iso, const char *pat)
{
	struct numfmt f;
	char err[64];

	if (numfmt_parse(pat, &f, err, sizeof(err)) != 0 || !f.is_date ||
	    numfmt_date(&f, iso, b) != 0)
		buf_puts(b, iso);
}

int
lay_meta_field(const struct doc *d, const struct template *t, struct buf *b,
    const char *key, const char *sep)
{
	const char *v;
	size_t i;
	int found = 0, blank = 0;

	for (i = 0; i < d->nmeta; i++) {
		v = d->meta[i].value;
		if (strcmp(d->meta[i].key, key) != 0 || v == NULL)
			continue;
		/* Given but empty (<field label="Where to next"/>): the row
		 * prints its label with nothing after it, as the paper's
		 * blank field does; a field not given at all leaves it out. */
		if (!*v) {
			blank = 1;
			continue;
		}
		if (found++)
			buf_puts(b, sep);
		if (strcmp(key, "meeting-date") == 0)
			format_date(b, v, t->date_format);
		else if (strcmp(key, "classification") == 0) {
			const char *para = doc_meta(d, "exempt-paragraph");
			if (strcmp(v, "exempt") == 0)
				buf_printf(b, "Exempt%s%s", para ?
				    " under paragraph " : "", para ? para : "");
			else if (strcmp(v, "open") == 0)
				buf_puts(b, "Open");
			else
				buf_puts(b, v);
		} else if (strcmp(key, "key-decision") == 0)
			buf_puts(b, strcmp(v, "yes") == 0 ? "Yes" :
			    strcmp(v, "no") == 0 ? "No" : v);
		else
			buf_puts(b, v);
	}
	/* A pattern's {year}: a parameter, when no field has the name. */
	if (!found && !blank && (v = doc_param(d, key)) != NULL && *v) {
		buf_puts(b, v);
		found = 1;
	}
	return found || blank;
}

int
lay_meta_expand(const struct doc *d, const struct template *t,
    struct buf *b, const char *pat)
{
	int fields = 0, filled = 0;

	while (*pat) {
		const char *close;
		if (*pat == '{' && (close = strchr(pat, '}')) != NULL &&
		    close - pat < 64) {
			char key[64];
			memcpy(key, pat + 1, (size_t)(close - pat - 1));
			key[close - pat - 1] = '\0';
			fields++;
			filled += lay_meta_field(d, t, b, key, "\n") > 0;
			pat = close + 1;
			continue;
		}
		buf_putc(b, *pat++);
	}
	return fields > 0 && filled == 0;
}

int
spans_inlines(struct lay *L, struct spans *s, const struct node *n,
    const struct tstyle *st, int bold, int italic, const char *uri,
    const char *anchor)
{
	return spans_run(L, s, n->first, NULL, st, bold, italic, uri, anchor);
}

int
spans_run(struct lay *L, struct spans *s, const struct node *first,
    const struct node *stop, const struct tstyle *st, int bold, int italic,
    const char *uri, const char *anchor)
{
	const struct node *c;
	struct span sp;

	for (c = first; c != stop && c != NULL; c = c->next) {
		memset(&sp, 0, sizeof(sp));
		sp.font = pick_font(st, bold, italic);
		sp.colour = (uri || anchor) ? st->link_colour : st->colour;
		sp.uri = uri;
		sp.anchor = anchor;
		switch (c->kind) {
		case N_TEXT:
			sp.text = c->text;
			sp.len = strlen(c->text);
			if (spans_add(L, s, &sp) != 0)
				return -1;
			break;
		case N_BOLD:
		case N_ITALIC:
			if (spans_inlines(L, s, c, st, bold || c->kind == N_BOLD,
			    italic || c->kind == N_ITALIC, uri, anchor) != 0)
				return -1;
			break;
		case N_LINK:
			if (spans_inlines(L, s, c, st, bold, italic, c->href,
			    NULL) != 0)
				return -1;
			/* A link with no text shows its address. */
			if (c->first == NULL && c->href != NULL) {
				sp.text = doc_link_text(c->href);
				sp.len = strlen(sp.text);
				sp.uri = c->href;
				sp.colour = st->link_colour;
				if (spans_add(L, s, &sp) != 0)
					return -1;
			}
			break;
		case N_BR:
			sp.br = 1;
			if (spans_add(L, s, &sp) != 0)
				return -1;
			break;
		case N_REF:
			if (c->target == NULL)
				break;
			sp.text = lay_ref_words(L->a, c->target);
			if (sp.text == NULL) {
				L->oom = 1;
				return -1;
			}
			sp.len = strlen(sp.text);
			sp.uri = NULL;
			sp.anchor = c->target->id;
			sp.colour = st->link_colour;
			if (spans_add(L, s, &sp) != 0)
				return -1;
			break;
		case N_VALUE:
			if (c->text != NULL) {
				/* Bound and formatted by the data stage. */
				sp.text = c->text;
				sp.len = strlen(sp.text);
				if (spans_add(L, s, &sp) != 0)
					return -1;
			} else if (c->param != NULL) {
				sp.text = doc_param(L->doc, c->param);
				if (sp.text == NULL)
					sp.text = "";
				sp.len = strlen(sp.text);
				if (spans_add(L, s, &sp) != 0)
					return -1;
			}
			break;
		default:
			break;
		}
	}
	return 0;
}

static struct titem *
ti_push(struct lay *L, struct titems *t, int kind)
{
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		struct titem *v = realloc(t->v, cap * sizeof(*v));
		if (v == NULL) {
			L->oom = 1;
			return NULL;
		}
		t->v = v;
		t->cap = cap;
	}
	memset(&t->v[t->n], 0, sizeof(t->v[0]));
	t->v[t->n].kind = kind;
	return &t->v[t->n++];
}

static double
font_pt(const struct font *f, int32_t units, double size)
{
	return (double)units * size / (double)f->upem;
}

/* Adds a word piece as a box, split into pieces that fit width w when it
 * is longer than a line (a long URL must never run off the page). */
static int
add_box(struct lay *L, struct titems *t, int span, const struct span *sp,
    const struct tstyle *st, const char *s, size_t len, double w)
{
	struct font *f = L->fs->font[sp->font];
	const struct shaped *sh = font_shape(f, s, len);
	struct titem *it;

	if (sh == NULL) {
		L->oom = 1;
		return -1;
	}
	if (font_pt(f, sh->width, st->size) > w && utf8_count(s, len) > 1) {
		/* Greedy split at code point boundaries. */
		size_t start = 0, end = 0, cl, last_fit = 0;
		while (start < len) {
			last_fit = 0;
			end = start;
			while (end < len) {
				const struct shaped *p;
				utf8_decode(s + end, len - end, &cl);
				p = font_shape(f, s + start, end + cl - start);
				if (p == NULL) {
					L->oom = 1;
					return -1;
				}
				if (font_pt(f, p->width, st->size) > w && last_fit)
					break;
				end += cl;
				last_fit = end;
			}
			if (add_box(L, t, span, sp, st, s + start, end - start,
			    INFINITY) != 0)
				return -1;
			if (end < len) {
				if ((it = ti_push(L, t, TI_PEN)) == NULL)
					return -1;
				it->span = span;
				it->cost = (int)PEN_HYPHEN;
			}
			start = end;
		}
		return 0;
	}
	if ((it = ti_push(L, t, TI_BOX)) == NULL)
		return -1;
	it->span = span;
	it->s = s;
	it->len = len;
	it->sh = sh;
	it->w = font_pt(f, sh->width, st->size);
	if (sh->missing > 0) {
		size_t i = 0, cl;
		while (i < len) {
			int32_t cp = utf8_decode(s + i, len - i, &cl);
			const struct shaped *one = font_shape(f, s + i, cl);
			if (one != NULL && one->n > 0 && one->gid[0] == 0) {
				char msg[64];
				snprintf(msg, sizeof(msg), "U+%04X", (unsigned)cp);
				diag_warn(L->diags, L->doc->file, 0, "character %s is "
				    "not in font %s; it prints as a box (choose a font "
				    "that has it in the template)", msg, f->family);
				break;
			}
			i += cl;
		}
	}
	return 0;
}

/* A dash that stands between spaces ("April 22 - Sept 22"): hyphen-minus,
 * en dash or em dash. */
static int
spaced_dash(const char *s, size_t len, size_t i)
{
	size_t n;

	if (s[i] == '-')
		n = 1;
	else if (len - i >= 3 && (unsigned char)s[i] == 0xE2 &&
	    (unsigned char)s[i + 1] == 0x80 &&
	    ((unsigned char)s[i + 2] == 0x93 || (unsigned char)s[i + 2] == 0x94))
		n = 3;
	else
		return 0;
	return i + n == len || s[i + n] == ' ';
}

/*
 * Break opportunities of the whole paragraph (spans joined, a <br/> as a
 * newline), so that a break between spans follows UAX #14 as within one:
 * *text is the joined text (s->v[0].text itself when there is one span,
 * else malloc'd), and the flags are lbrk_find()'s. One tailoring of ours:
 * no break before a dash between spaces, which would start a line with
 * it (UAX #14 breaks after every space; a dash opening a line reads as
 * a list mark or a minus, so it stays at the end of the line before).
 */
static unsigned char *
para_breaks(struct lay *L, const struct spans *s, char **joined)
{
	unsigned char *ok;
	const char *text;
	size_t k, len = 0, i;

	*joined = NULL;
	if (L->brk == NULL) {
		const char *why;
		if ((L->brk = lbrk_new(&why)) == NULL) {
			if (why != NULL)
				diag_err(L->diags, L->doc->file, 0, "the Unicode line "
				    "breaking rules (ICU) could not be loaded: %s", why);
			else
				L->oom = 1;
			return NULL;
		}
	}
	for (k = 0; k < s->n; k++)
		len += s->v[k].br ? 1 : s->v[k].len;
	if (s->n == 1 && !s->v[0].br)
		text = s->v[0].text;
	else {
		char *j = malloc(len + 1), *p = j;
		if (j == NULL) {
			L->oom = 1;
			return NULL;
		}
		for (k = 0; k < s->n; k++) {
			if (s->v[k].br)
				*p++ = '\n';
			else {
				memcpy(p, s->v[k].text, s->v[k].len);
				p += s->v[k].len;
			}
		}
		*p = '\0';
		*joined = j;
		text = j;
	}
	if ((ok = lbrk_find(L->brk, text, len)) == NULL) {
		free(*joined);
		*joined = NULL;
		L->oom = 1;
		return NULL;
	}
	for (i = 1; i < len; i++)
		if (text[i - 1] == ' ' && ok[i] && spaced_dash(text, len, i))
			ok[i] = 0;
	return ok;
}

static int
tokenize(struct lay *L, const struct spans *s, const struct tstyle *st,
    double w, struct titems *t)
{
	const unsigned char *ok;
	char *joined;
	size_t k, g = 0;   /* g: offset of span k in the joined text */
	int rc = -1;

	if ((ok = para_breaks(L, s, &joined)) == NULL)
		return -1;
	for (k = 0; k < s->n; k++) {
		const struct span *sp = &s->v[k];
		size_t i = 0, start;

		if (sp->br) {
			struct titem *it;
			/* A space before <br/> would make a line end in glue. */
			if (t->n > 0 && t->v[t->n - 1].kind == TI_GLUE)
				t->n--;
			if ((it = ti_push(L, t, TI_PEN)) == NULL)
				goto out;
			it->forced = 1;
			it->span = (int)k;
			g++;
			continue;
		}
		while (i < sp->len) {
			struct titem *it;
			if (sp->text[i] == ' ') {
				struct font *f = L->fs->font[sp->font];
				while (i < sp->len && sp->text[i] == ' ')
					i++;
				/* Spaces that run on from the span before. */
				if (t->n > 0 && t->v[t->n - 1].kind == TI_GLUE) {
					t->v[t->n - 1].nobreak = !ok[g + i];
					continue;
				}
				/* No glue at the start, after a break, or twice. */
				if (t->n == 0 || t->v[t->n - 1].kind != TI_BOX)
					continue;
				if ((it = ti_push(L, t, TI_GLUE)) == NULL)
					goto out;
				it->span = (int)k;
				it->w = font_pt(f, f->space_adv, st->size);
				/* UAX #14 keeps "b )" and "22 -" together. */
				it->nobreak = !ok[g + i];
				continue;
			}
			/* A break inside a word or between spans, where UAX #14
			 * allows one (after a hyphen or slash before a letter,
			 * never in "2022/23"). */
			if (t->n > 0 && t->v[t->n - 1].kind == TI_BOX && ok[g + i]) {
				if ((it = ti_push(L, t, TI_PEN)) == NULL)
					goto out;
				it->span = (int)k;
				it->cost = (int)PEN_HYPHEN;
			}
			start = i++;
			while (i < sp->len && sp->text[i] != ' ' && !ok[g + i])
				i++;
			if (add_box(L, t, (int)k, sp, st, sp->text + start,
			    i - start, w) != 0)
				goto out;
		}
		g += sp->len;
	}
	while (t->n > 0 && t->v[t->n - 1].kind == TI_GLUE)
		t->n--;
	rc = 0;
out:
	free(joined);
	return rc;
}

/*
 * Chooses breaks: brk[0..nl) are item indexes where lines end (the item
 * there is dropped; n for the last line). Minimum sum of squared slack,
 * last line and lines ended by <br/> free.
 */
/* Ragged text fills each line as far as it goes, as word processors do
 * (the council's own papers come from them); only justified text gets
 * the dynamic programme, which evens out the spaces. */
static int
greedy_breaks(struct lay *L, const struct titems *t, double w, size_t **out,
    size_t *nout)
{
	size_t n = t->n, i = 0, k = 0, *brk;

	if ((brk = malloc((n + 1) * sizeof(*brk))) == NULL) {
		L->oom = 1;
		return -1;
	}
	while (i < n) {
		size_t m, last = (size_t)-1, held = (size_t)-1, boxes = 0;
		double width = 0;
		while (i < n && t->v[i].kind != TI_BOX && !t->v[i].forced)
			i++;
		if (i >= n)
			break;
		for (m = i; m < n; m++) {
			const struct titem *it = &t->v[m];
			if (it->kind == TI_PEN && it->forced) {
				last = m;
				break;
			}
			if (it->kind != TI_BOX) {
				if (boxes > 0 && !it->nobreak)
					last = m;
				else if (boxes > 0)
					held = m;
				if (it->kind == TI_GLUE)
					width += it->w;
				continue;
			}
			if (width + it->w > w + 0.01 && boxes > 0)
				break;
			width += it->w;
			boxes++;
		}
		if (m >= n)
			last = n;
		else if (last == (size_t)-1 && held != (size_t)-1)
			last = held;   /* words held together wider than the line */
		else if (last == (size_t)-1) {
			/* Boxes with no break between them (spans joined where
			 * UAX #14 allows none): the line runs on to the next
			 * opportunity rather than losing one. */
			while (m < n && t->v[m].kind == TI_BOX)
				m++;
			last = m;
		}
		brk[k++] = last;
		i = last < n ? last + 1 : n;
	}
	if (k == 0)
		brk[k++] = n;
	*out = brk;
	*nout = k;
	return 0;
}

static int
choose_breaks(struct lay *L, const struct titems *t, double w, size_t **out,
    size_t *nout)
{
	size_t n = t->n, j, i, nb = 0, *bp, *from, *brk, k;
	double *best;

	/* Breakpoint positions: every glue and penalty, and the end. */
	bp = malloc((n + 2) * sizeof(*bp));
	best = malloc((n + 2) * sizeof(*best));
	from = malloc((n + 2) * sizeof(*from));
	if (bp == NULL || best == NULL || from == NULL) {
		free(bp); free(best); free(from);
		L->oom = 1;
		return -1;
	}
	bp[nb++] = (size_t)-1;   /* virtual break before item 0 */
	for (j = 0; j < n; j++)
		if (t->v[j].kind != TI_BOX)
			bp[nb++] = j;   /* nobreak glue too, at PEN_NOBREAK */
	bp[nb++] = n;
	best[0] = 0;
	for (j = 1; j < nb; j++) {
		size_t end = bp[j];
		int free_line = end == n || t->v[end].forced;
		double width = 0;

		best[j] = INFINITY;
		from[j] = j - 1;
		for (i = j; i-- > 0;) {
			size_t start = bp[i] + 1, m, boxes = 0;
			double cost, slack;

			/* width of items [start, end) without leading glue */
			width = 0;
			for (m = start; m < end; m++) {
				if (t->v[m].kind == TI_BOX)
					boxes++;
				if (t->v[m].kind == TI_PEN)
					continue;
				if (t->v[m].kind == TI_GLUE && m == start)
					continue;
				width += t->v[m].w;
			}
			if (width > w + 0.01 && boxes > 1)
				break;
			if (best[i] < INFINITY) {
				slack = w - width;
				if (slack < 0)
					slack = 0;
				cost = free_line ? 0 : slack * slack;
				if (end < n && t->v[end].kind == TI_PEN)
					cost += t->v[end].cost;
				else if (end < n && t->v[end].nobreak)
					cost += PEN_NOBREAK;
				if (best[i] + cost < best[j]) {
					best[j] = best[i] + cost;
					from[j] = i;
				}
			}
			/* A line never reaches back across a forced break. */
			if (i > 0 && bp[i] < n && t->v[bp[i]].kind == TI_PEN &&
			    t->v[bp[i]].forced)
				break;
		}
		if (best[j] == INFINITY) {
			/* Only one box that fits nowhere: take it alone. */
			best[j] = best[j - 1];
			from[j] = j - 1;
		}
	}
	/* Walk back from the end. */
	k = 0;
	for (j = nb - 1; j > 0; j = from[j])
		k++;
	brk = malloc((k + 1) * sizeof(*brk));
	if (brk == NULL) {
		free(bp); free(best); free(from);
		L->oom = 1;
		return -1;
	}
	*nout = k;
	for (j = nb - 1; j > 0; j = from[j])
		brk[--k] = bp[j];
	free(bp);
	free(best);
	free(from);
	*out = brk;
	return 0;
}

/* Lines that end a paragraph (or a part of one before a <br/>) with a
 * single word after a line of their own: "UPDATE" alone under a
 * heading, "of" under a council's tagline. */
static int
runts(const struct titems *t, const size_t *brk, size_t nl)
{
	size_t li, start = 0, m;
	int n = 0;

	for (li = 0; li < nl; start = brk[li] + 1, li++) {
		int words = 0, glue = 0;
		if (!(brk[li] == t->n || t->v[brk[li]].forced))
			continue;
		if (li == 0 || t->v[brk[li - 1]].forced)
			continue;   /* a line alone is no runt */
		for (m = start; m < brk[li] && m < t->n; m++) {
			if (t->v[m].kind == TI_BOX) {
				words += glue || words == 0;
				glue = 0;
			} else if (t->v[m].kind == TI_GLUE && words > 0)
				glue = 1;
		}
		n += words == 1;
	}
	return n;
}

/* Display text (headings, the front sheet, marks, cells) set ragged
 * takes a narrower measure when that gives a runt's line a second word
 * without adding a line, as text-wrap: pretty does; body paragraphs
 * keep the word processor's fill. */
static int
pretty_breaks(struct lay *L, const struct titems *t, double w, size_t **brk,
    size_t *nl)
{
	int r = runts(t, *brk, *nl);
	double step = w / 64, w2;

	/* No measure (a cell whose width was never set) has nothing to
	 * narrow, and a step of 0 would never end. */
	if (!(step > 0))
		return 0;
	for (w2 = w - step; r > 0 && w2 >= w / 2; w2 -= step) {
		size_t *b2, n2;
		if (greedy_breaks(L, t, w2, &b2, &n2) != 0)
			return -1;
		if (n2 == *nl && runts(t, b2, n2) < r) {
			free(*brk);
			*brk = b2;
			r = runts(t, b2, n2);
		} else
			free(b2);
		if (n2 > *nl)
			break;
	}
	return 0;
}

double
lay_two_lines(struct lay *L, const struct tstyle *st, const char *text)
{
	struct spans s = { NULL, 0, 0 };
	struct titems t = { NULL, 0, 0 };
	double all = 0, left = 0, best;
	size_t m;

	if (spans_text(L, &s, st, st->regular, text) != 0 ||
	    tokenize(L, &s, st, INFINITY, &t) != 0) {
		spans_free(&s);
		free(t.v);
		return 0;
	}
	for (m = 0; m < t.n; m++)
		if (t.v[m].kind != TI_PEN)
			all += t.v[m].w;
	best = all;
	for (m = 0; m < t.n; m++) {
		const struct titem *it = &t.v[m];
		if (it->kind != TI_BOX && !it->nobreak && !it->forced) {
			/* Break here: the glue goes, the rest is line two. */
			double right = all - left - it->w;
			double wide = left > right ? left : right;
			if (wide < best)
				best = wide;
		}
		if (it->kind != TI_PEN)
			left += it->w;
	}
	spans_free(&s);
	free(t.v);
	return best;
}

double
lay_baseline(struct lay *L, const struct tstyle *st)
{
	const struct font *f = L->fs->font[st->regular];
	double asc = font_pt(f, f->ascender, st->size);
	double desc = -font_pt(f, f->descender, st->size);

	return (st->leading - (asc + desc)) / 2 + asc;
}

double
lay_measure(struct lay *L, int font, double size, const char *text)
{
	return lay_measure_n(L, font, size, text, strlen(text));
}

double
lay_measure_n(struct lay *L, int font, double size, const char *text,
    size_t n)
{
	struct font *f = L->fs->font[font];
	const struct shaped *sh = font_shape(f, text, n);

	if (sh == NULL) {
		L->oom = 1;
		return 0;
	}
	return font_pt(f, sh->width, size);
}

int
lay_text_op(struct lay *L, struct dl_op *op, int font, double size,
    uint32_t colour, double x, double y, const char *text, size_t len)
{
	struct font *f = L->fs->font[font];
	const struct shaped *sh = font_shape(f, text, len);
	char *copy;

	memset(op, 0, sizeof(*op));
	if (sh == NULL) {
		L->oom = 1;
		return -1;
	}
	font_use(f, sh);
	op->kind = DL_TEXT;
	op->font = font;
	op->size = size;
	op->colour = colour;
	op->x = x;
	op->y = y;
	op->nglyphs = sh->n;
	op->gid = sh->gid;
	op->adv = sh->adv;
	op->shared = 1;
	if ((copy = lay_run_alloc(L, len + 1)) != NULL)
		memcpy(copy, text, len);
	op->text = copy;
	op->w = font_pt(f, sh->width, size);
	return op->text == NULL ? -1 : 0;
}

/* One run: items [a, b) of a line that share font, colour and link. */
/* Do two spans link to one place (a link's words in two styles)? */
static int
same_target(const struct span *x, const struct span *y)
{
	if (x->uri == NULL && x->anchor == NULL)
		return 0;
	return (x->uri == NULL ? y->uri == NULL : y->uri != NULL &&
	    strcmp(x->uri, y->uri) == 0) && (x->anchor == NULL ?
	    y->anchor == NULL : y->anchor != NULL &&
	    strcmp(x->anchor, y->anchor) == 0);
}

/* The whole text of the link span i is in: the description of each of
 * its annotations, so that a link broken over two lines is read as one
 * ("www.hinckley-bosworth.gov.uk"). The definition has collapsed each
 * text's white space already; what is left is the space a span may keep
 * at either end, trimmed here and not doubled where spans meet. */
static const char *
link_text(struct lay *L, const struct spans *s, size_t i)
{
	size_t a = i, b = i + 1, k, j, n = 0, o = 0;
	char *out;

	while (a > 0 && same_target(&s->v[a - 1], &s->v[i]))
		a--;
	while (b < s->n && same_target(&s->v[b], &s->v[i]))
		b++;
	for (k = a; k < b; k++)
		n += s->v[k].len + 1;
	if ((out = arena_alloc(L->a, n + 1)) == NULL) {
		L->oom = 1;
		return NULL;
	}
	for (k = a; k < b; k++)
		for (j = 0; j < s->v[k].len && !s->v[k].br; j++) {
			char c = s->v[k].text[j];
			if (c != ' ' || (o > 0 && out[o - 1] != ' '))
				out[o++] = c;
		}
	while (o > 0 && out[o - 1] == ' ')
		o--;
	out[o] = '\0';
	return out;
}

/* One run of a line. *link is the span whose Link element is open
 * (-1: none): a link's runs on the lines it spans share one Link, with
 * an annotation for each run. */
static int
emit_run(struct lay *L, const struct titems *t, const struct spans *s,
    const struct tstyle *st, size_t a, size_t b, double x, double base,
    double extra, int *link)
{
	const struct span *sp;
	size_t span_i;
	struct font *f;
	unsigned ng = 0, k, nbox = 0, nglue = 0;
	int one;
	size_t m, tl = 0, word = a;
	uint32_t *gid = NULL;
	int32_t *adv = NULL;
	char *text;
	struct dl_op op;
	double w = 0;

	/* The run's style is its first word's (a leading space after a
	 * link takes the style of what follows). */
	for (m = a; m < b && t->v[m].kind != TI_BOX; m++)
		;
	span_i = (size_t)t->v[m < b ? m : a].span;
	sp = &s->v[span_i];
	f = L->fs->font[sp->font];
	for (m = a; m < b; m++) {
		if (t->v[m].kind == TI_BOX) {
			ng += t->v[m].sh->n;
			tl += t->v[m].len;
			nbox++;
			word = m;
		} else if (t->v[m].kind == TI_GLUE) {
			ng++;
			tl++;
			nglue++;
		}
	}
	/* One word: its glyphs are the shaping cache's, as they are. */
	one = nbox == 1 && nglue == 0;
	if (!one) {
		gid = lay_run_alloc(L, (ng + 1) * sizeof(*gid));
		adv = lay_run_alloc(L, (ng + 1) * sizeof(*adv));
	}
	text = lay_run_alloc(L, tl + 1);
	if ((!one && (gid == NULL || adv == NULL)) || text == NULL) {
		L->oom = 1;
		return -1;
	}
	ng = 0;
	tl = 0;
	for (m = a; m < b; m++) {
		const struct titem *it = &t->v[m];
		if (it->kind == TI_BOX) {
			for (k = 0; !one && k < it->sh->n; k++) {
				gid[ng] = it->sh->gid[k];
				adv[ng++] = it->sh->adv[k];
			}
			font_use(f, it->sh);
			memcpy(text + tl, it->s, it->len);
			tl += it->len;
			w += it->w;
		} else if (it->kind == TI_GLUE) {
			gid[ng] = f->space_gid;
			adv[ng++] = f->space_adv;
			f->used[f->space_gid] = 1;
			if (f->gid_cp[f->space_gid] == 0)
				f->gid_cp[f->space_gid] = ' ';
			text[tl++] = ' ';
			w += it->w + extra;
		}
	}
	text[tl] = '\0';
	memset(&op, 0, sizeof(op));
	op.kind = DL_TEXT;
	op.font = sp->font;
	op.size = st->size;
	op.colour = sp->colour;
	op.x = x;
	op.y = base;
	op.nglyphs = one ? t->v[word].sh->n : ng;
	op.gid = one ? t->v[word].sh->gid : gid;
	op.adv = one ? t->v[word].sh->adv : adv;
	op.shared = (unsigned char)one;
	op.text = text;
	op.word_space = extra;
	op.w = w;
	if (sp->uri != NULL || sp->anchor != NULL) {
		struct dl_op lk;
		const struct font *rf = L->fs->font[st->regular];
		if (*link < 0 || !same_target(&s->v[*link], sp)) {
			if (*link >= 0)
				lay_end(L, ST_LINK);
			lay_begin(L, ST_LINK, 0, NULL);
			*link = (int)span_i;
		}
		lay_op(L, &op);
		memset(&lk, 0, sizeof(lk));
		lk.kind = DL_LINK;
		lk.x = x;
		lk.y = base - font_pt(rf, rf->ascender, st->size);
		lk.w = w;
		lk.h = font_pt(rf, rf->ascender - rf->descender, st->size);
		lk.uri = sp->uri;
		lk.anchor = sp->anchor;
		if ((lk.text = link_text(L, s, span_i)) == NULL)
			return -1;
		lay_op(L, &lk);
	} else {
		if (*link >= 0)
			lay_end(L, ST_LINK);
		*link = -1;
		lay_op(L, &op);
	}
	return 0;
}

static int
same_run(const struct spans *s, const struct titem *x, const struct titem *y)
{
	const struct span *a = &s->v[x->span], *b = &s->v[y->span];

	return a->font == b->font && a->colour == b->colour &&
	    a->uri == b->uri && a->anchor == b->anchor;
}

int
lay_plain(struct lay *L, const struct tstyle *st, const char *text,
    double x, double w)
{
	struct spans s = { NULL, 0, 0 };
	int rc = -1;

	if (spans_text(L, &s, st, st->regular, text) == 0 &&
	    lay_lines(L, &s, st, x, w, ALIGN_LEFT, 1) >= 0)
		rc = 0;
	spans_free(&s);
	return rc;
}

int
lay_lines(struct lay *L, const struct spans *s, const struct tstyle *st,
    double x, double w, int align, int keep)
{
	struct titems t = { NULL, 0, 0 };
	size_t *brk = NULL, nl = 0, li, start = 0;
	double base = lay_baseline(L, st);
	int rc = -1, link = -1;

	if (tokenize(L, s, st, w, &t) != 0)
		goto out;
	if (t.n == 0) {
		rc = 0;
		goto out;
	}
	if ((align == ALIGN_JUSTIFY ? choose_breaks(L, &t, w, &brk, &nl) :
	    greedy_breaks(L, &t, w, &brk, &nl)) != 0)
		goto out;
	if (keep && align != ALIGN_JUSTIFY && nl > 1 &&
	    pretty_breaks(L, &t, w, &brk, &nl) != 0)
		goto out;
	for (li = 0; li < nl; li++) {
		size_t end = brk[li], m, a, nglue = 0;
		double width = 0, extra = 0, pos;
		int last = end == t.n || t.v[end].forced;

		while (start < end && t.v[start].kind != TI_BOX)
			start++;
		for (m = start; m < end; m++) {
			if (t.v[m].kind == TI_PEN)
				continue;
			width += t.v[m].w;
			if (t.v[m].kind == TI_GLUE)
				nglue++;
		}
		pos = x;
		if (align == ALIGN_CENTER)
			pos = x + (w - width) / 2;
		else if (align == ALIGN_RIGHT)
			pos = x + w - width;
		else if (align == ALIGN_JUSTIFY && !last && nglue > 0 &&
		    width < w)
			extra = (w - width) / (double)nglue;
		if (li > 0) {
			int pen = 0;
			if (keep || li == 1 || li == nl - 1)
				pen = PEN_FORBID; /* orphan, widow */
			lay_penalty(L, pen);
		}
		if (lay_box(L, st->leading) != 0)
			goto out;
		/* Runs: a glue joins the run before it, unless that run is a
		 * link (the space is not part of the link). */
		for (a = start; a < end;) {
			size_t b = a + 1, r = a;
			double rw = 0;
			while (r < end && t.v[r].kind != TI_BOX)
				r++;
			if (r == end)
				r = a;
			b = r + 1;
			while (b < end) {
				const struct titem *it = &t.v[b];
				if (it->kind == TI_BOX && !same_run(s, &t.v[r], it))
					break;
				if (it->kind == TI_GLUE) {
					const struct span *sp = &s->v[t.v[r].span];
					/* Next box of another style: end here,
					 * taking the glue unless this is a link. */
					size_t nx = b + 1;
					while (nx < end && t.v[nx].kind == TI_PEN)
						nx++;
					if (nx < end && !same_run(s, &t.v[r], &t.v[nx])) {
						if (sp->uri == NULL && sp->anchor == NULL)
							b++;
						break;
					}
				}
				b++;
			}
			if (emit_run(L, &t, s, st, a, b, pos, base, extra,
			    &link) != 0)
				goto out;
			for (m = a; m < b; m++)
				if (t.v[m].kind == TI_BOX)
					rw += t.v[m].w;
				else if (t.v[m].kind == TI_GLUE)
					rw += t.v[m].w + extra;
			pos += rw;
			a = b;
		}
		start = end + 1;
	}
	if (link >= 0)
		lay_end(L, ST_LINK);
	rc = (int)nl;
out:
	free(t.v);
	free(brk);
	if (L->oom)
		return -1;
	return rc;
}
