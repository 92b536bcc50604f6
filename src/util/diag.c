#include "diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
diags_init(struct diags *d)
{
	memset(d, 0, sizeof(*d));
}

void
diags_clear(struct diags *d)
{
	struct path_inputs *missing = d->missing;
	size_t i;

	for (i = 0; i < d->n; i++) {
		free((char *)d->v[i].file);
		free((char *)d->v[i].message);
	}
	free(d->v);
	free(d->seen);
	diags_init(d);
	d->missing = missing;
}

/* FNV-1a over file, line and message. */
static uint32_t
diag_hash(const char *file, int line, const char *msg)
{
	uint32_t h = 2166136261u;
	const unsigned char *p;

	for (p = (const unsigned char *)(file ? file : ""); *p; p++)
		h = (h ^ *p) * 16777619u;
	h = (h ^ (uint32_t)line) * 16777619u;
	for (p = (const unsigned char *)msg; *p; p++)
		h = (h ^ *p) * 16777619u;
	return h;
}

static int
same(const sc_diag *x, const char *file, int line, const char *msg)
{
	return x->line == line && strcmp(x->message, msg) == 0 &&
	    ((x->file == NULL && file == NULL) ||
	    (x->file && file && strcmp(x->file, file) == 0));
}

/* The slot of a message equal to this one, or of the empty slot where
 * it would go. */
static size_t
seen_slot(const struct diags *d, const char *file, int line, const char *msg)
{
	size_t j = diag_hash(file, line, msg) & (d->seen_cap - 1);

	while (d->seen[j] != 0 && !same(&d->v[d->seen[j] - 1], file, line, msg))
		j = (j + 1) & (d->seen_cap - 1);
	return j;
}

/* Keeps the table at most half full; 0 on success. */
static int
seen_grow(struct diags *d)
{
	size_t cap = d->seen_cap ? d->seen_cap * 2 : 64, i;
	uint32_t *old = d->seen, *v;
	size_t oldcap = d->seen_cap;

	if ((v = calloc(cap, sizeof(*v))) == NULL)
		return -1;
	d->seen = v;
	d->seen_cap = cap;
	for (i = 0; i < oldcap; i++)
		if (old[i] != 0) {
			const sc_diag *x = &d->v[old[i] - 1];
			d->seen[seen_slot(d, x->file, x->line, x->message)] = old[i];
		}
	free(old);
	return 0;
}

int
diag_has(const struct diags *d, const char *file, int line, const char *msg)
{
	if (d->seen_cap == 0)
		return 0;
	return d->seen[seen_slot(d, file, file ? line : 0, msg)] != 0;
}

const sc_diag diag_lost = { SC_ERROR, NULL, 0,
	"out of memory: some messages could not be kept; free some memory "
	"and build again" };

/* A message that cannot be stored still counts (an error still fails
 * the build) and is owned up to by diag_lost. */
static void
lose(struct diags *d)
{
	d->oom = 1;
	d->lost++;
}

/* Room for one more message in d->v; 0 on success. */
static int
room(struct diags *d)
{
	size_t cap;
	sc_diag *v;

	if (d->n < d->cap)
		return 0;
	cap = d->cap ? d->cap * 2 : 16;
	if ((v = realloc(d->v, cap * sizeof(*v))) == NULL)
		return -1;
	d->v = v;
	d->cap = cap;
	return 0;
}

/* Appends a kept message (taking msg); 0 on success. */
static int
push(struct diags *d, enum sc_level level, const char *file, int line,
    char *msg)
{
	char *f = NULL;

	if ((d->n + 1) * 2 > d->seen_cap && seen_grow(d) != 0)
		goto oom;
	if (file != NULL && (f = strdup(file)) == NULL)
		goto oom;
	if (room(d) != 0)
		goto oom;
	d->v[d->n].level = level;
	d->v[d->n].file = f;
	d->v[d->n].line = file ? line : 0;
	d->v[d->n].message = msg;
	d->seen[seen_slot(d, f, d->v[d->n].line, msg)] = (uint32_t)(d->n + 1);
	d->n++;
	if (level == SC_ERROR)
		d->shown++;
	return 0;
oom:
	free(f);
	free(msg);
	lose(d);
	return -1;
}

/* One note stands for every error past the cap; its count is rewritten
 * as more come. Not entered in the hash set: nothing can equal it. */
static void
count_dropped(struct diags *d)
{
	char text[96], *msg;

	d->dropped++;
	snprintf(text, sizeof(text), "... and %d more error%s not shown; fix "
	    "the ones above first", d->dropped, d->dropped == 1 ? "" : "s");
	if ((msg = strdup(text)) == NULL) {
		lose(d);
		return;
	}
	/* more_at is the note's index + 1, 0 while there is none (its first
	 * allocation may have failed: the next drop tries again). */
	if (d->more_at == 0) {
		if (room(d) != 0) {
			free(msg);
			lose(d);
			return;
		}
		d->v[d->n].level = SC_NOTE;
		d->v[d->n].file = NULL;
		d->v[d->n].line = 0;
		d->more_at = ++d->n;
	} else
		free((char *)d->v[d->more_at - 1].message);
	d->v[d->more_at - 1].message = msg;
}

static void
vadd(struct diags *d, enum sc_level level, const char *file, int line,
    const char *fmt, va_list ap)
{
	va_list aq;
	char *msg;
	int n;

	if (file == NULL)
		line = 0;
	if (level == SC_ERROR)
		d->errors++;
	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0 || (msg = malloc((size_t)n + 1)) == NULL) {
		lose(d);
		return;
	}
	vsnprintf(msg, (size_t)n + 1, fmt, ap);
	/* Validators report the same fault through several paths. */
	if (diag_has(d, file, line, msg)) {
		free(msg);
		return;
	}
	if (level == SC_ERROR && d->shown >= DIAG_MAX_ERRORS) {
		free(msg);
		count_dropped(d);
		return;
	}
	push(d, level, file, line, msg);
}

void
diag_add(struct diags *d, enum sc_level level, const char *file, int line,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vadd(d, level, file, line, fmt, ap);
	va_end(ap);
}

void
diag_oom(struct diags *d, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	d->oom = 1;
	va_start(ap, fmt);
	vadd(d, SC_ERROR, file, line, fmt, ap);
	va_end(ap);
}
