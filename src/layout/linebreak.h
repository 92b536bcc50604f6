/*
 * linebreak.h — where a line may break: the Unicode line breaking
 * algorithm (UAX #14) by ICU's line break iterator, over UTF-8.
 *
 * An lbrk holds one ICU iterator and its buffers. It is not thread-safe:
 * each layout (one build, one thread) opens its own and reuses it for
 * every paragraph.
 */
#ifndef SC_LINEBREAK_H
#define SC_LINEBREAK_H

#include <stddef.h>

struct lbrk;

/* A new break finder; NULL on failure, with *why set to ICU's error name
 * (or to NULL when it was memory). It is the caller's responsibility to
 * free it with lbrk_free(). */
struct lbrk *lbrk_new(const char **why);
void         lbrk_free(struct lbrk *b);

/*
 * The break opportunities of s (len bytes of UTF-8, one paragraph):
 * returns an array of len + 1 flags, owned by b and valid until the
 * next call (the caller may clear some: a tailoring), in which [i] is 1 when a line may start at byte i (UAX #14,
 * after any spaces: "a b" gives [2]). NULL on failure (out of memory).
 */
unsigned char *lbrk_find(struct lbrk *b, const char *s, size_t len);

#endif
