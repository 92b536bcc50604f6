/* arena.h — a bump allocator: everything a build makes is freed at once. */
#ifndef SC_ARENA_H
#define SC_ARENA_H

#include <stddef.h>

struct arena_block;

struct arena {
	struct arena_block *head;
	size_t              total; /* bytes handed out, for caps and bench */
	int                 oom;   /* an allocation failed: whatever took the
	                            * NULL may have printed less, so the
	                            * stage that owns the arena fails */
};

void  arena_init(struct arena *a);
/* Returns zeroed memory, or NULL when out of memory. */
void *arena_alloc(struct arena *a, size_t size);
/* Copies; NULL in gives NULL out. */
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void  arena_free(struct arena *a);
/* Moves every block of from into into (from is left empty): what was
 * allocated in from is freed with into. */
void  arena_adopt(struct arena *into, struct arena *from);

#endif
