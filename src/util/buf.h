/* buf.h — a growable byte buffer (strings, content streams). */
#ifndef SC_BUF_H
#define SC_BUF_H

#include <stddef.h>

struct buf {
	char  *data; /* always NUL-terminated when non-NULL */
	size_t len, cap;
	int    oom;  /* set once an allocation failed: the content is then
	              * incomplete, and the owner treats it as an error */
};

void buf_init(struct buf *b);
void buf_free(struct buf *b);
void buf_reset(struct buf *b);
/* Makes the capacity at least need bytes; -1 (oom set) when it cannot. */
int  buf_grow_to(struct buf *b, size_t need);

/* Appends inline: a PDF content stream is millions of small appends,
 * and a call to grow each time was a tenth of a long table's build. */
static inline void
buf_put(struct buf *b, const void *p, size_t n)
{
	if (b->len + n + 1 > b->cap && buf_grow_to(b, b->len + n + 1) != 0)
		return;
	if (n > 0)
		__builtin_memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

static inline void
buf_putc(struct buf *b, char c)
{
	if (b->len + 2 > b->cap && buf_grow_to(b, b->len + 2) != 0)
		return;
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
}

void buf_puts(struct buf *b, const char *s);
void buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Appends v as four upper-case hex digits (a glyph id in a PDF string);
 * printf is a fifth of a build's time when used for this. */
void buf_hex4(struct buf *b, unsigned v);
/* Appends the byte v as two upper-case hex digits. */
void buf_hex2(struct buf *b, unsigned v);
/* Appends a number the way PDF wants it: no exponent, at most 3 decimals,
 * no trailing zeros. */
void buf_num(struct buf *b, double v);
/* Appends v in decimal (object numbers, MCIDs: hundreds of thousands of
 * them in a long table's structure tree). */
void buf_uint(struct buf *b, unsigned long v);
/* Appends s as XML character data or an attribute value: & < > " '
 * escaped, and the C0 controls XML 1.0 forbids dropped. */
void buf_put_xml(struct buf *b, const char *s);

#endif
