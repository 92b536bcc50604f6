/* number.c — section, paragraph and appendix numbers by the template's
 * scheme (hierarchical 1.1, continuous 1, 2, 3, or none). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"

void
lay_roman(int n, char *out, size_t outsz)
{
	static const struct { int v; const char *s; } r[] = {
		{ 1000, "m" }, { 900, "cm" }, { 500, "d" }, { 400, "cd" },
		{ 100, "c" }, { 90, "xc" }, { 50, "l" }, { 40, "xl" },
		{ 10, "x" }, { 9, "ix" }, { 5, "v" }, { 4, "iv" }, { 1, "i" },
	};
	size_t o = 0, i;

	out[0] = '\0';
	if (n <= 0 || n >= 4000) {
		snprintf(out, outsz, "%d", n);
		return;
	}
	for (i = 0; i < sizeof(r) / sizeof(r[0]); i++)
		while (n >= r[i].v && o + strlen(r[i].s) < outsz) {
			memcpy(out + o, r[i].s, strlen(r[i].s));
			o += strlen(r[i].s);
			n -= r[i].v;
		}
	out[o] = '\0';
}

void
lay_alpha(int n, int upper, char *out, size_t outsz)
{
	char tmp[16];
	int k = 0;
	size_t i;

	if (n <= 0) {
		snprintf(out, outsz, "%d", n);
		return;
	}
	while (n > 0 && k < 15) {
		n--;
		tmp[k++] = (char)((upper ? 'A' : 'a') + n % 26);
		n /= 26;
	}
	for (i = 0; i < (size_t)k && i + 1 < outsz; i++)
		out[i] = tmp[k - 1 - i];
	out[i] = '\0';
}

const char *
lay_item_label(struct arena *a, const struct node *list, int k)
{
	const char *p = list->list_label, *at;
	char tmp[32];
	size_t i;

	if (p == NULL)
		return NULL;
	at = p + strspn(p, "(");
	if (list->list_style == LIST_ROMAN) {
		lay_roman(k, tmp, sizeof(tmp));
		for (i = 0; *at == 'I' && tmp[i]; i++)
			tmp[i] = (char)(tmp[i] - 'a' + 'A');
	} else if (list->list_style == LIST_ALPHA)
		lay_alpha(k, *at == 'A', tmp, sizeof(tmp));
	else
		snprintf(tmp, sizeof(tmp), "%d", k);
	return arena_printf(a, "%.*s%s%s", (int)(at - p), p, tmp, at + 1);
}

/* Expands a pattern: {s} section number, {p} paragraph number. */
static const char *
expand(struct arena *a, const char *pat, const char *s, int p)
{
	char out[128];
	size_t o = 0;

	while (*pat && o + 24 < sizeof(out)) {
		if (strncmp(pat, "{s}", 3) == 0) {
			o += (size_t)snprintf(out + o, sizeof(out) - o, "%s", s);
			pat += 3;
		} else if (strncmp(pat, "{p}", 3) == 0) {
			o += (size_t)snprintf(out + o, sizeof(out) - o, "%d", p);
			pat += 3;
		} else
			out[o++] = *pat++;
	}
	out[o] = '\0';
	return arena_strdup(a, out);
}

/* An author's number= ("4.1"): its last part, the count its siblings
 * go on from, and in *prefix (unless NULL) what comes before the last
 * dot ("4"), or the prefix as it was when there is no dot. */
static int
renumber(struct arena *a, const char *number, const char **prefix)
{
	const char *dot = strrchr(number, '.');

	if (dot != NULL && prefix != NULL)
		*prefix = arena_strndup(a, number, (size_t)(dot - number));
	return atoi(dot != NULL ? dot + 1 : number);
}

/* A sub-paragraph's label: its paragraph's number, without the
 * format's closing dots, then ".k" ("3.6" → "3.6.1"). */
static const char *
sub_label(struct arena *a, const char *para, int k)
{
	size_t n = strlen(para);

	while (n > 0 && para[n - 1] == '.')
		n -= 1;
	return arena_printf(a, "%.*s.%d", (int)n, para, k);
}

struct numctx {
	const struct template *t;
	struct arena *a;
	int           para;     /* continuous counter */
};

/*
 * Numbers the blocks under parent. level is the heading level of sections
 * found here; top is the level numbered as "1.", "2." (1 in the body, 2 in
 * an appendix, whose own heading is level 1). sec is the number
 * paragraphs hang from ("3", "3.2"; NULL: paragraphs here are not
 * numbered in section mode); pcount is that number's paragraph counter.
 */
static void
number_blocks(struct numctx *c, struct node *parent, int level, int top,
    const char *sec, int *pcount)
{
	const struct template *t = c->t;
	struct node *n;
	const char *para = NULL;  /* the last numbered paragraph's label */
	int subs = 0, subp = 0;

	for (n = parent->first; n != NULL; n = n->next) {
		if (n->kind == N_SECTION) {
			char num[64];
			const char *child_sec = NULL;
			int child_count = 0, *cp = pcount;

			n->level = level;
			para = NULL;
			if (level == top) {
				/* An unnumbered section takes no number. */
				if (n->numbered) {
					/* number= prints as written. */
					if (n->number != NULL) {
						subs = renumber(c->a, n->number, NULL);
						snprintf(num, sizeof(num), "%s",
						    n->number);
					} else
						snprintf(num, sizeof(num), "%d", ++subs);
					child_sec = arena_strdup(c->a, num);
					cp = &child_count;
					if (t->num_headings)
						n->label = expand(c->a,
						    n->heading_format ?
						    n->heading_format :
						    t->heading_format, num, 0);
				}
			} else if (!n->numbered || sec == NULL) {
				/* An unnumbered sub-heading takes no number
				 * and resets none: its paragraphs carry on
				 * the section's count. */
				child_sec = sec;
			} else if (t->num_subheadings == SUBHEAD_PARAGRAPH &&
			    t->para_numbering == PARANUM_SECTION) {
				/* The sub-heading takes the next paragraph
				 * number, as Blaby's papers print "5.1 The
				 * Serious Violence Duty"; its paragraphs go on
				 * counting. */
				(*pcount)++;
				if (n->number != NULL)
					*pcount = renumber(c->a, n->number, &sec);
				n->label = expand(c->a, t->para_format, sec,
				    *pcount);
				child_sec = sec;
			} else if (t->num_subheadings == SUBHEAD_NUMBERED) {
				subs++;
				if (n->number != NULL)
					subs = renumber(c->a, n->number, &sec);
				snprintf(num, sizeof(num), "%s.%d", sec, subs);
				n->label = arena_strdup(c->a, num);
				child_sec = n->label;
				cp = &child_count;
			} else
				child_sec = sec;
			n->hang = t->para_numbering == PARANUM_CONTINUOUS ||
			    (t->para_numbering == PARANUM_SECTION &&
			    child_sec != NULL);
			number_blocks(c, n, level + 1, top, child_sec, cp);
		} else if (n->kind == N_PARA && n->numbered == 2) {
			/* A sub-paragraph (3.6.1) hangs from the numbered
			 * paragraph before it and takes none of the count. */
			if (para != NULL)
				n->label = sub_label(c->a, para, ++subp);
		} else if (n->kind == N_PARA && n->numbered) {
			if (t->para_numbering == PARANUM_CONTINUOUS) {
				c->para++;
				if (n->number != NULL)
					c->para = renumber(c->a, n->number, NULL);
				n->label = expand(c->a, t->para_format, "",
				    c->para);
			} else if (t->para_numbering == PARANUM_SECTION &&
			    sec != NULL) {
				(*pcount)++;
				if (n->number != NULL)
					*pcount = renumber(c->a, n->number, &sec);
				n->label = expand(c->a, t->para_format, sec,
				    *pcount);
			}
			para = n->label;
			subp = 0;
		}
	}
}

int
lay_number(const struct doc *doc, const struct template *t, struct arena *a)
{
	struct numctx c = { t, a, 0 };
	struct node *n, *roots[2] = { doc->body, doc->appendices };
	int top = 0, k = 0, tables = 0, figures = 0, r;
	char num[16];

	/* Captioned tables are numbered in document order; one whose own
	 * caption-format has no {n} takes no number. */
	for (r = 0; r < 2; r++)
		for (n = roots[r]; n != NULL; n = node_next_pre(roots[r], n))
			if (n->caption_format != NULL &&
			    strstr(n->caption_format, "{n}") == NULL)
				continue;
			else if ((n->kind == N_TABLE || n->kind == N_RISKS) &&
			    n->caption != NULL) {
				int parts = 1;
				snprintf(num, sizeof(num), "%d", ++tables);
				n->label = arena_strdup(a, num);
				/* Each part of a grouped table takes the next
				 * number, unless the parts share one. */
				if (n->group_by != NULL && n->tbl != NULL &&
				    !t->caption_continued &&
				    (parts = tbl_groups(n->tbl, 1, NULL, NULL)) < 0)
					return -1;
				if (parts > 1)
					tables += parts - 1;
				n->label_parts = parts;
			} else if ((n->kind == N_CHART || n->kind == N_KPIS) &&
			    n->caption != NULL) {
				snprintf(num, sizeof(num), "%d", t->caption_shared ?
				    ++tables : ++figures);
				n->label = arena_strdup(a, num);
			}

	number_blocks(&c, doc->body, 1, 1, NULL, &top);
	for (n = doc->appendices->first; n != NULL; n = n->next) {
		int count = 0;
		if (n->kind != N_APPENDIX)
			continue;
		k++;
		if (t->appendix_letters)
			lay_alpha(k, 1, num, sizeof(num));
		else
			snprintf(num, sizeof(num), "%d", k);
		n->label = arena_strdup(a, num);
		n->level = 1;
		/* An appendix is a document of its own: its sections are
		 * numbered 1, 2 … (as headings of level 2) and its paragraphs
		 * number from 1 again. */
		c.para = 0;
		n->hang = t->para_numbering == PARANUM_CONTINUOUS;
		number_blocks(&c, n, 2, 2, NULL, &count);
	}
	return 0;
}
