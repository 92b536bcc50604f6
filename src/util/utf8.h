/* utf8.h — decoding, validation and UTF-16 for PDF text strings. */
#ifndef SC_UTF8_H
#define SC_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Decodes one code point at s (n bytes left); sets *len to the bytes used.
 * Returns -1 on an invalid sequence (then *len is 1). */
int32_t utf8_decode(const char *s, size_t n, size_t *len);
/* 1 if the whole string is valid UTF-8. */
int     utf8_valid(const char *s, size_t n);
/* Encodes cp into out (at least 4 bytes); returns the byte count. */
size_t  utf8_encode(uint32_t cp, char *out);
/* Number of code points (invalid bytes count as one each). */
size_t  utf8_count(const char *s, size_t n);

#endif
