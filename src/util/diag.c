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

void
diag_add(struct diags *d, enum sc_level level, const char *file, int line,
    const char *fmt, ...)
{
	va_list ap;
	char *msg, *f = NULL;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || (msg = malloc((size_t)n + 1)) == NULL) {
		d->oom = 1;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(msg, (size_t)n + 1, fmt, ap);
	va_end(ap);
	if (level == SC_ERROR)
		d->errors++;
	/* Validators report the same fault through several paths. */
	if (diag_has(d, file, line, msg)) {
		free(msg);
		return;
	}
	if (file != NULL && (f = strdup(file)) == NULL) {
		free(msg);
		d->oom = 1;
		return;
	}
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 16;
		sc_diag *v = realloc(d->v, cap * sizeof(*v));
		if (v == NULL) {
			free(msg);
			free(f);
			d->oom = 1;
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
