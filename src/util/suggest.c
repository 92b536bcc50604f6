#include "suggest.h"

#include <stdio.h>
#include <string.h>

static int
fold(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

size_t
suggest_distance(const char *a, size_t la, const char *b, size_t lb,
    size_t max)
{
	/* Three rows of the table: two back (for a transposition), one
	 * back and this one. */
	size_t rows[3][SUGGEST_MAX_LEN + 1], *pp, *p, *r, *t, i, j, low;

	if (la > SUGGEST_MAX_LEN || lb > SUGGEST_MAX_LEN)
		return max + 1;
	if ((la > lb ? la - lb : lb - la) > max)
		return max + 1;
	pp = rows[0];
	p = rows[1];
	r = rows[2];
	for (j = 0; j <= lb; j++)
		p[j] = j;
	for (i = 1; i <= la; i++) {
		r[0] = i;
		low = r[0];
		for (j = 1; j <= lb; j++) {
			int same = fold((unsigned char)a[i - 1]) ==
			    fold((unsigned char)b[j - 1]);
			size_t v = p[j - 1] + !same;
			if (p[j] + 1 < v)
				v = p[j] + 1;
			if (r[j - 1] + 1 < v)
				v = r[j - 1] + 1;
			if (i > 1 && j > 1 && fold((unsigned char)a[i - 1]) ==
			    fold((unsigned char)b[j - 2]) &&
			    fold((unsigned char)a[i - 2]) ==
			    fold((unsigned char)b[j - 1]) && pp[j - 2] + 1 < v)
				v = pp[j - 2] + 1;
			r[j] = v;
			if (v < low)
				low = v;
		}
		/* Every path through this row costs at least low already. */
		if (low > max)
			return max + 1;
		t = pp;
		pp = p;
		p = r;
		r = t;
	}
	return p[lb] > max ? max + 1 : p[lb];
}

void
suggest_init(struct suggest *s, const char *word)
{
	memset(s, 0, sizeof(*s));
	s->word = word ? word : "";
	s->wlen = strlen(s->word);
	/* Two letters one step apart have only one in common ("-t" is no
	 * misspelt "-D"): only case is forgiven there. */
	s->max = s->wlen <= 2 ? 0 : s->wlen / 3 > 1 ? s->wlen / 3 : 1;
}

void
suggest_try_n(struct suggest *s, const char *cand, size_t n)
{
	size_t d;

	if (cand == NULL || n == 0 || s->wlen == 0 ||
	    (n == s->wlen && memcmp(cand, s->word, n) == 0))
		return;
	d = suggest_distance(s->word, s->wlen, cand, n, s->max);
	if (d <= s->max && (s->best == NULL || d < s->dist)) {
		s->best = cand;
		s->blen = n;
		s->dist = d;
	}
}

void
suggest_try(struct suggest *s, const char *cand)
{
	if (cand != NULL)
		suggest_try_n(s, cand, strlen(cand));
}

void
suggest_try_list(struct suggest *s, const char *list, const char *sep)
{
	size_t k = strlen(sep);
	const char *e;

	while (list != NULL && *list) {
		while (k > 0 && strncmp(list, sep, k) == 0)
			list += k;
		e = k > 0 ? strstr(list, sep) : NULL;
		if (e == NULL)
			e = list + strlen(list);
		suggest_try_n(s, list, (size_t)(e - list));
		list = e;
	}
}

const char *
suggest_text(const struct suggest *s, const char *open, const char *close,
    char *out, size_t n)
{
	if (n == 0)
		return "";
	out[0] = '\0';
	if (s->best != NULL)
		snprintf(out, n, "; did you mean %s%.*s%s?", open ? open : "\"",
		    (int)s->blen, s->best, close ? close : "\"");
	return out;
}
