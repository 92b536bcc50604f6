#include "arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct arena_block {
	struct arena_block *next;
	size_t              used, size;
	max_align_t         data[]; /* aligned start */
};

#define ARENA_BLOCK (64 * 1024)

void
arena_init(struct arena *a)
{
	a->head = NULL;
	a->total = 0;
	a->oom = 0;
}

void *
arena_alloc(struct arena *a, size_t size)
{
	struct arena_block *b = a->head;
	size_t al = (size + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
	void *p;

	if (al < size) {
		a->oom = 1;
		return NULL;
	}
	if (b == NULL || b->size - b->used < al) {
		size_t sz = al > ARENA_BLOCK ? al : ARENA_BLOCK;
		if (sz > SIZE_MAX - sizeof(*b)) {
			a->oom = 1;
			return NULL;
		}
		b = malloc(sizeof(*b) + sz);
		if (b == NULL) {
			a->oom = 1;
			return NULL;
		}
		b->used = 0;
		b->size = sz;
		/* A big one-off block goes behind the current one so the
		 * current block's free space is not wasted. */
		if (a->head != NULL && sz > ARENA_BLOCK) {
			b->next = a->head->next;
			a->head->next = b;
		} else {
			b->next = a->head;
			a->head = b;
		}
	}
	p = (char *)b->data + b->used;
	b->used += al;
	a->total += al;
	memset(p, 0, size);
	return p;
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p;

	if (s == NULL)
		return NULL;
	if ((p = arena_alloc(a, n + 1)) == NULL)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
	return s == NULL ? NULL : arena_strndup(a, s, strlen(s));
}

char *
arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	int n;
	char *p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || (p = arena_alloc(a, (size_t)n + 1)) == NULL)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void
arena_free(struct arena *a)
{
	struct arena_block *b, *next;

	for (b = a->head; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	a->head = NULL;
	a->total = 0;
	a->oom = 0;
}

void
arena_adopt(struct arena *into, struct arena *from)
{
	struct arena_block *b = from->head;

	if (b == NULL)
		return;
	while (b->next != NULL)
		b = b->next;
	/* Behind into's current block, whose free space stays in use. */
	if (into->head != NULL) {
		b->next = into->head->next;
		into->head->next = from->head;
	} else
		into->head = from->head;
	into->total += from->total;
	into->oom |= from->oom;
	from->head = NULL;
	from->total = 0;
	from->oom = 0;
}
