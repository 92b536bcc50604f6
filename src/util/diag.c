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
	size_t i;

	for (i = 0; i < d->n; i++) {
		free((char *)d->v[i].file);
		free((char *)d->v[i].message);
	}
	free(d->v);
	diags_init(d);
}

int
diag_has(const struct diags *d, const char *file, int line, const char *msg)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		const sc_diag *x = &d->v[i];
		if (x->line == line && strcmp(x->message, msg) == 0 &&
		    ((x->file == NULL && file == NULL) ||
		     (x->file && file && strcmp(x->file, file) == 0)))
			return 1;
	}
	return 0;
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

static void
vadd(struct diags *d, enum sc_level level, const char *file, int line,
    const char *fmt, va_list ap)
{
	va_list aq;
	char *msg, *f = NULL;
	int n;

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
	if (file != NULL && (f = strdup(file)) == NULL) {
		free(msg);
		lose(d);
		return;
	}
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 16;
		sc_diag *v = realloc(d->v, cap * sizeof(*v));
		if (v == NULL) {
			free(msg);
			free(f);
			lose(d);
			return;
		}
		d->v = v;
		d->cap = cap;
	}
	d->v[d->n].level = level;
	d->v[d->n].file = f;
	d->v[d->n].line = file ? line : 0;
	d->v[d->n].message = msg;
	d->n++;
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
