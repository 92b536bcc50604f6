/*
 * alloc.c — the fault build's allocator. The fault binary is linked with
 * -Wl,--wrap=malloc,--wrap=calloc,... so that every call to them from our
 * objects and from the statically linked libraries (cairo, pixman, libcsv,
 * libdeflate; libharu's through our h_alloc) lands here; the shared
 * libraries (libxml2, SQLite, HarfBuzz, fontconfig) keep the real ones.
 * Allocation number fault_fail_at (from 1) returns NULL; the rest succeed,
 * so each run tests one failure and the code that recovers from it.
 */
#include <stddef.h>
#include <string.h>

#include "alloc.h"

void *__real_malloc(size_t n);
void *__real_calloc(size_t k, size_t n);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t k, size_t n);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);

unsigned long fault_count;
unsigned long fault_fail_at;
void (*fault_on_fail)(void);

static int
fails(void)
{
	if (++fault_count != fault_fail_at)
		return 0;
	if (fault_on_fail != NULL)
		fault_on_fail();
	return 1;
}

void *
__wrap_malloc(size_t n)
{
	return fails() ? NULL : __real_malloc(n);
}

void *
__wrap_calloc(size_t k, size_t n)
{
	return fails() ? NULL : __real_calloc(k, n);
}

void *
__wrap_realloc(void *p, size_t n)
{
	return fails() ? NULL : __real_realloc(p, n);
}

char *
__wrap_strdup(const char *s)
{
	return fails() ? NULL : __real_strdup(s);
}

char *
__wrap_strndup(const char *s, size_t n)
{
	return fails() ? NULL : __real_strndup(s, n);
}
