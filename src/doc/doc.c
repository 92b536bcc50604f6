#include "doc.h"
#include "../util/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct doc *
doc_new(void)
{
	struct doc *d = calloc(1, sizeof(*d));

	if (d == NULL)
		return NULL;
	arena_init(&d->arena);
	d->lang = "en-GB";
	return d;
}

/* One of doc_arena_new()'s: the struct in the document's arena, its
 * blocks its own. */
struct doc_arena {
	struct arena      a;
	struct doc_arena *next;
};

void
doc_free(struct doc *d)
{
	struct doc_arena *o;

	if (d == NULL)
		return;
	for (o = d->owned; o != NULL; o = o->next)
		arena_free(&o->a);
	arena_free(&d->arena);
	free(d);
}

struct arena *
doc_arena_new(struct doc *d)
{
	struct doc_arena *o = arena_alloc(&d->arena, sizeof(*o));

	if (o == NULL)
		return NULL;
	arena_init(&o->a);
	o->next = d->owned;
	d->owned = o;
	return &o->a;
}

void
doc_tbl_release(const struct tbl *t)
{
	if (t != NULL && t->own != NULL)
		arena_free(t->own);
}

struct node *
node_new(struct doc *d, enum node_kind kind, const char *file, int line)
{
	struct node *n = arena_alloc(&d->arena, sizeof(*n));

	if (n == NULL)
		return NULL;
	n->kind = kind;
	n->file = file;
	n->line = line;
	n->numbered = 1;
	return n;
}

void
node_append(struct node *parent, struct node *child)
{
	child->parent = parent;
	child->prev = parent->last;
	child->next = NULL;
	if (parent->last != NULL)
		parent->last->next = child;
	else
		parent->first = child;
	parent->last = child;
}

const char *
doc_meta(const struct doc *d, const char *key)
{
	size_t i;

	for (i = 0; i < d->nmeta; i++)
		if (strcmp(d->meta[i].key, key) == 0)
			return d->meta[i].value;
	return NULL;
}

const char *
doc_param(const struct doc *d, const char *name)
{
	size_t i;

	for (i = 0; i < d->nparams; i++)
		if (strcmp(d->params[i].name, name) == 0)
			return d->params[i].value;
	return NULL;
}

const char *
doc_param_use(const struct doc *d, const char *name)
{
	size_t i;

	/* params points outside the const doc: its flags may change. */
	for (i = 0; i < d->nparams; i++)
		if (strcmp(d->params[i].name, name) == 0) {
			d->params[i].used = 1;
			return d->params[i].value;
		}
	return NULL;
}

int
doc_declared(const struct doc *d, const char *name)
{
	size_t i;

	for (i = 0; i < d->nparams; i++)
		if (strcmp(d->params[i].name, name) == 0)
			return 1;
	return 0;
}

void
doc_appendix_heading(struct buf *b, const char *pattern, const struct node *n)
{
	const char *p = pattern ? pattern : "";

	while (*p) {
		if (strncmp(p, "{n}", 3) == 0) {
			buf_puts(b, n->label ? n->label : "");
			p += 3;
		} else if (strncmp(p, "{title}", 7) == 0) {
			buf_puts(b, n->title ? n->title : "");
			p += 7;
		} else
			buf_putc(b, *p++);
	}
}

struct node *
node_next_pre(const struct node *root, const struct node *n)
{
	if (n->first != NULL)
		return n->first;
	while (n != NULL && n != root) {
		if (n->next != NULL)
			return n->next;
		n = n->parent;
	}
	return NULL;
}

int
node_is_inline(enum node_kind k)
{
	return k >= N_TEXT && k < N_KIND_MAX;
}

const char *
doc_link_text(const char *href)
{
	static const char *const bare[] = { "mailto:", "tel:" };
	size_t i, k;

	for (i = 0; i < sizeof(bare) / sizeof(bare[0]); i++) {
		k = strlen(bare[i]);
		if (strncasecmp(href, bare[i], k) == 0 && href[k] != '\0')
			return href + k;
	}
	return href;
}

const char *
node_kind_name(enum node_kind k)
{
	static const char *const names[N_KIND_MAX] = {
		[N_BODY] = "body",
		[N_SECTION] = "section",
		[N_APPENDIX] = "appendix",
		[N_PARA] = "p",
		[N_LIST] = "list",
		[N_ITEM] = "item",
		[N_PAGEBREAK] = "page-break",
		[N_CONTACTS] = "contacts",
		[N_CONTACT] = "contact",
		[N_TABLE] = "table",
		[N_CHART] = "chart",
		[N_KPIS] = "kpis",
		[N_RISKS] = "risks",
		[N_IMAGE] = "image",
		[N_COLUMN] = "column",
		[N_HEAD] = "head",
		[N_ROW] = "row",
		[N_CELL] = "cell",
		[N_TEXT] = "text",
		[N_BOLD] = "b",
		[N_ITALIC] = "i",
		[N_LINK] = "a",
		[N_BR] = "br",
		[N_REF] = "ref",
		[N_VALUE] = "value",
	};
	return (k >= 0 && k < N_KIND_MAX && names[k]) ? names[k] : "?";
}

/* pattern with {n} as num (nothing when num is NULL), the caption, then
 * ": extra". */
static void
caption_with(struct buf *b, const char *pattern, const char *num,
    const struct node *n, const char *extra)
{
	const char *p = pattern ? pattern : "";
	int own = n->caption_format != NULL;

	/* The element's own caption-format= prints even unnumbered (it
	 * has no {n} then); the template's only with a number. */
	if (own)
		p = n->caption_format;
	while ((num || own) && *p) {
		if (strncmp(p, "{n}", 3) == 0) {
			buf_puts(b, num ? num : "");
			p += 3;
		} else
			buf_putc(b, *p++);
	}
	buf_puts(b, n->caption ? n->caption : "");
	if (extra)
		buf_printf(b, ": %s", extra);
}

void
doc_caption(struct buf *b, const char *pattern, const struct node *n,
    const char *extra)
{
	caption_with(b, pattern, n->label, n, extra);
}

int
doc_text_line(const struct doc *d, const char *text, size_t off)
{
	const struct src_text *t;
	size_t k;
	int line;

	for (t = d->texts; t != NULL; t = t->next)
		if (t->text == text)
			break;
	if (t == NULL)
		return 0;
	line = t->line;
	for (k = 0; t->shadow != NULL && k < off && t->shadow[k] != '\0'; k++)
		line += t->shadow[k] == '\n';
	return line;
}

int
doc_caption_above(const struct node *n, int house_above)
{
	return n->caption_pos == CAPTION_HOUSE ? house_above :
	    n->caption_pos == CAPTION_ABOVE;
}

int
doc_part_captioned(enum caption_groups groups, int part, int parts,
    int above)
{
	return groups != GROUPS_ONCE || part == (above ? 0 : parts - 1);
}

void
doc_part_caption(struct buf *b, const char *pattern, const struct node *n,
    const char *extra, int part, enum caption_groups groups)
{
	char num[24];
	int continued = groups == GROUPS_CONTINUED;

	if (groups == GROUPS_ONCE)
		caption_with(b, pattern, n->label, n, NULL);
	else if (n->label == NULL || part == 0 || continued)
		caption_with(b, pattern, n->label, n, extra);
	else {
		snprintf(num, sizeof(num), "%ld", strtol(n->label, NULL, 10) +
		    part);
		caption_with(b, pattern, num, n, extra);
	}
	if (n->label != NULL && part > 0 && continued)
		buf_puts(b, " (continued)");
}

int
tbl_groups(const struct tbl *t, int grouped, int *rows, int *start)
{
	char *done;
	int g, i, k = 0, parts = 0;

	if (t->nrows == 0)
		return 0;
	if ((done = calloc((size_t)t->nrows, 1)) == NULL)
		return -1;
	/* The grand total is set aside to close the last part. */
	for (i = 0; grouped && t->row_kind && i < t->nrows; i++)
		done[i] = (t->row_kind[i] & ROW_GRAND) != 0;
	for (g = 0; g < t->nrows; g++) {
		const char *name = grouped && t->group[g] ? t->group[g] : "";
		if (done[g])
			continue;
		if (start)
			start[parts] = k;
		parts++;
		for (i = g; i < t->nrows; i++)
			if (!done[i] && (!grouped || strcmp(t->group[i] ?
			    t->group[i] : "", name) == 0)) {
				if (rows)
					rows[k] = i;
				k++;
				done[i] = 1;
			}
	}
	for (i = 0; grouped && t->row_kind && i < t->nrows; i++)
		if (t->row_kind[i] & ROW_GRAND) {
			if (parts == 0 && start)
				start[0] = 0;
			parts += parts == 0;
			if (rows)
				rows[k] = i;
			k++;
		}
	if (start)
		start[parts] = k;
	free(done);
	return parts;
}
