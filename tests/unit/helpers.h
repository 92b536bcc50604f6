/* helpers.h — shared by the unit tests: lay out a definition given as a
 * string and look at the display list. */
#ifndef SC_TEST_HELPERS_H
#define SC_TEST_HELPERS_H

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "data/bind.h"
#include "definition/definition.h"
#include "definition/template.h"
#include "layout/font.h"
#include "layout/layout.h"
#include "render/displaylist.h"
#include "util/buf.h"
#include "util/diag.h"

struct laid {
	struct doc     *doc;
	struct template t;
	struct fontset  fs;
	struct dl_doc   dl;
	struct diags    diags;
	int             rc;
};

/* The whole file at path, NUL-terminated after its *len bytes; NULL
 * when it cannot be read (no cmocka asserts: threads call it too). */
static inline char *
slurp_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *p = NULL;
	long n;

	*len = 0;
	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
	    (p = malloc((size_t)n + 1)) != NULL) {
		rewind(f);
		*len = fread(p, 1, (size_t)n, f);
		p[*len] = '\0';
	}
	fclose(f);
	return p;
}

/* Writes text to a fresh temporary file; returns its malloc'd path. */
static inline char *
tmp_file(const char *text, const char *suffix)
{
	char *path = malloc(64);
	int fd;

	snprintf(path, 64, "/tmp/sc-test-XXXXXX%s", suffix);
	fd = mkstemps(path, (int)strlen(suffix));
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

/* Lays out a report body (the XML inside <report>, after a standard
 * <meta>) with the default template, adjusted by tweak when given. */
static inline struct laid *
lay_xml_meta(const char *meta, const char *body,
    void (*tweak)(struct template *))
{
	struct laid *l = calloc(1, sizeof(*l));
	struct buf x;
	char *path;
	int ok;

	buf_init(&x);
	buf_printf(&x, "<report version=\"1\"><meta><title>Test report"
	    "</title>%s</meta>%s</report>", meta, body);
	path = tmp_file(x.data, ".xml");
	diags_init(&l->diags);
	l->doc = def_load(path, NULL, 0, &l->diags, &ok);
	unlink(path);
	free(path);
	buf_free(&x);
	assert_non_null(l->doc);
	tpl_defaults(&l->t);
	/* Tests do not depend on the page furniture. */
	l->t.footer.part[1] = NULL;
	l->t.nparts = 0;
	if (tweak)
		tweak(&l->t);
	assert_int_equal(fontset_init(&l->fs, NULL, 0), 0);
	dl_init(&l->dl, &l->doc->arena);
	if (ok && data_bind(l->doc, &l->t, NULL, &l->diags) != 0)
		ok = 0;
	l->rc = ok ? lay_document(l->doc, &l->t, &l->fs, &l->dl, &l->diags) : -1;
	return l;
}

/* lay_xml() with the standard <meta>'s title only. */
static inline struct laid *
lay_xml(const char *body, void (*tweak)(struct template *))
{
	return lay_xml_meta("", body, tweak);
}

static inline void
laid_free(struct laid *l)
{
	dl_free(&l->dl);
	fontset_free(&l->fs);
	doc_free(l->doc);
	diags_clear(&l->diags);
	free(l);
}

/* Writes csv to a temporary file and returns its file name (no
 * folder: definitions from lay_xml() live in the same /tmp). */
static inline char *
tmp_csv(const char *csv)
{
	char *path = tmp_file(csv, ".csv");
	char *base = strdup(strrchr(path, '/') + 1);

	free(path);
	return base;
}

/* Removes a file tmp_csv() made (it gave the name, not the path). */
static inline void
unlink_tmp(const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "/tmp/%s", name);
	unlink(path);
}

/* The n-th (0-based) text op on page p whose text contains s, or NULL. */
static inline const struct dl_op *
find_text(const struct laid *l, size_t p, const char *s)
{
	size_t i;

	if (p >= l->dl.npages)
		return NULL;
	for (i = 0; i < l->dl.pages[p].n; i++) {
		const struct dl_op *o = &l->dl.pages[p].ops[i];
		if (o->kind == DL_TEXT && o->text && strstr(o->text, s))
			return o;
	}
	return NULL;
}

/* The first text op on page p whose text is exactly s (a whole run or
 * line, trailing spaces aside), or NULL: find_text("1.") is satisfied by
 * "1.1", which a numbering test must not be. */
static inline const struct dl_op *
find_exact(const struct laid *l, size_t p, const char *s)
{
	size_t i, n = strlen(s);

	if (p >= l->dl.npages)
		return NULL;
	for (i = 0; i < l->dl.pages[p].n; i++) {
		const struct dl_op *o = &l->dl.pages[p].ops[i];
		if (o->kind == DL_TEXT && o->text && strncmp(o->text, s, n) == 0 &&
		    o->text[n + strspn(o->text + n, " ")] == '\0')
			return o;
	}
	return NULL;
}

/* Page (0-based) holding text s, or -1. */
static inline int
page_of(const struct laid *l, const char *s)
{
	size_t p;

	for (p = 0; p < l->dl.npages; p++)
		if (find_text(l, p, s))
			return (int)p;
	return -1;
}

/* Count of text ops on page p in body size (not headers/footers). */
static inline int
count_kind(const struct laid *l, size_t p, enum dl_kind k)
{
	size_t i;
	int n = 0;

	for (i = 0; i < l->dl.pages[p].n; i++)
		n += l->dl.pages[p].ops[i].kind == k;
	return n;
}

#endif
