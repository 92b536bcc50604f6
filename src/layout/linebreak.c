/*
 * linebreak.c — UAX #14 break opportunities from ICU (ubrk, UBRK_LINE)
 * over UTF-8 text (utext_openUTF8): no copy to UTF-16, and the native
 * indexes ICU returns are byte offsets.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/utext.h>

#include "linebreak.h"

struct lbrk {
	UBreakIterator *bi;
	UText           ut;    /* reopened over each paragraph */
	unsigned char  *ok;    /* len + 1 flags of the last call */
	size_t          cap;
};

struct lbrk *
lbrk_new(const char **why)
{
	static const UText init = UTEXT_INITIALIZER;
	UErrorCode st = U_ZERO_ERROR;
	struct lbrk *b;

	*why = NULL;
	if ((b = calloc(1, sizeof(*b))) == NULL)
		return NULL;
	b->ut = init;
	/* British English: root's rules (ICU tailors only CJK and a few
	 * others), named so that a tailoring would reach us. */
	b->bi = ubrk_open(UBRK_LINE, "en_GB", NULL, 0, &st);
	if (U_FAILURE(st) || b->bi == NULL) {
		if (st != U_MEMORY_ALLOCATION_ERROR)
			*why = u_errorName(st);
		ubrk_close(b->bi);
		free(b);
		return NULL;
	}
	return b;
}

void
lbrk_free(struct lbrk *b)
{
	if (b == NULL)
		return;
	ubrk_close(b->bi);
	utext_close(&b->ut);
	free(b->ok);
	free(b);
}

unsigned char *
lbrk_find(struct lbrk *b, const char *s, size_t len)
{
	UErrorCode st = U_ZERO_ERROR;
	int32_t p;
	size_t i;

	if (len >= INT32_MAX)
		return NULL;
	if (len + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		unsigned char *ok;
		while (cap < len + 1)
			cap *= 2;
		if ((ok = realloc(b->ok, cap)) == NULL)
			return NULL;
		b->ok = ok;
		b->cap = cap;
	}
	memset(b->ok, 0, len + 1);
	/* Only ASCII letters, digits and spaces (most table cells): UAX #14
	 * classes AL, NU and SP, whose rules (LB7, LB18, LB23, LB25, LB28)
	 * break after each run of spaces and nowhere else, without ICU. */
	for (i = 0; i < len; i++)
		if (!(s[i] == ' ' || (s[i] >= '0' && s[i] <= '9') ||
		    ((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z')))
			break;
	if (i == len) {
		b->ok[0] = 1;
		b->ok[len] = 1;
		for (i = 1; i < len; i++)
			b->ok[i] = s[i - 1] == ' ' && s[i] != ' ';
		return b->ok;
	}
	utext_openUTF8(&b->ut, s, (int64_t)len, &st);
	ubrk_setUText(b->bi, &b->ut, &st);
	if (U_FAILURE(st))
		return NULL;
	for (p = ubrk_first(b->bi); p != UBRK_DONE; p = ubrk_next(b->bi))
		if (p >= 0 && (size_t)p <= len)
			b->ok[p] = 1;
	return b->ok;
}
