#include "buf.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
buf_init(struct buf *b)
{
	memset(b, 0, sizeof(*b));
}

void
buf_free(struct buf *b)
{
	free(b->data);
	buf_init(b);
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

int
buf_grow_to(struct buf *b, size_t need)
{
	size_t cap;
	char *p;

	if (b->oom)
		return -1;
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 64;
	while (cap < need) {
		if (cap > ((size_t)-1) / 2) {
			b->oom = 1;
			return -1;
		}
		cap *= 2;
	}
	if ((p = realloc(b->data, cap)) == NULL) {
		b->oom = 1;
		return -1;
	}
	b->data = p;
	b->cap = cap;
	return 0;
}

void
buf_puts(struct buf *b, const char *s)
{
	buf_put(b, s, strlen(s));
}


void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || buf_grow_to(b, b->len + (size_t)n + 1) != 0)
		return;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void
buf_num(struct buf *b, double v)
{
	char tmp[32], *p = tmp + sizeof(tmp);
	long long i;
	unsigned long long ip, fp;
	int neg, digits = 0;

	if (!isfinite(v) || v > 1e15 || v < -1e15)
		v = 0;
	i = llround(v * 1000.0);
	if (i == 0) {
		buf_putc(b, '0');
		return;
	}
	neg = i < 0;
	ip = (unsigned long long)(neg ? -i : i) / 1000;
	fp = (unsigned long long)(neg ? -i : i) % 1000;
	/* Built from the right: fraction without trailing zeros, then
	 * the integer part. snprintf was a tenth of a long table's build. */
	if (fp != 0) {
		while (fp % 10 == 0) {
			fp /= 10;
			digits++;
		}
		digits = 3 - digits;
		while (digits-- > 0) {
			*--p = (char)('0' + fp % 10);
			fp /= 10;
		}
		*--p = '.';
	}
	do {
		*--p = (char)('0' + ip % 10);
		ip /= 10;
	} while (ip != 0);
	if (neg)
		*--p = '-';
	buf_put(b, p, (size_t)(tmp + sizeof(tmp) - p));
}

void
buf_uint(struct buf *b, unsigned long v)
{
	char tmp[24], *p = tmp + sizeof(tmp);

	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	buf_put(b, p, (size_t)(tmp + sizeof(tmp) - p));
}

void
buf_hex4(struct buf *b, unsigned v)
{
	static const char hex[] = "0123456789ABCDEF";
	char t[4];

	t[0] = hex[(v >> 12) & 15];
	t[1] = hex[(v >> 8) & 15];
	t[2] = hex[(v >> 4) & 15];
	t[3] = hex[v & 15];
	buf_put(b, t, 4);
}

void
buf_hex2(struct buf *b, unsigned v)
{
	static const char hex[] = "0123456789ABCDEF";
	char t[2];

	t[0] = hex[(v >> 4) & 15];
	t[1] = hex[v & 15];
	buf_put(b, t, 2);
}

void
buf_put_xml(struct buf *b, const char *s)
{
	for (; s != NULL && *s; s++)
		switch (*s) {
		case '&': buf_puts(b, "&amp;"); break;
		case '<': buf_puts(b, "&lt;"); break;
		case '>': buf_puts(b, "&gt;"); break;
		case '"': buf_puts(b, "&quot;"); break;
		case '\'': buf_puts(b, "&apos;"); break;
		default:
			if ((unsigned char)*s >= 0x20 || *s == '\t' || *s == '\n' ||
			    *s == '\r')
				buf_putc(b, *s);
		}
}
