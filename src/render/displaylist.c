#include "displaylist.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../util/buf.h"

void
dl_init(struct dl_doc *d, struct arena *arena)
{
	memset(d, 0, sizeof(*d));
	d->arena = arena;
}

void
dl_free(struct dl_doc *d)
{
	size_t i;

	for (i = 0; i < d->npages; i++)
		free(d->pages[i].ops);
	free(d->pages);
	d->pages = NULL;
	d->npages = d->cap = 0;
}

struct dl_page *
dl_add_page(struct dl_doc *d, double w, double h)
{
	struct dl_page *p;

	if (d->npages == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 16;
		p = realloc(d->pages, cap * sizeof(*p));
		if (p == NULL)
			return NULL;
		d->pages = p;
		d->cap = cap;
	}
	p = &d->pages[d->npages++];
	memset(p, 0, sizeof(*p));
	p->width = w;
	p->height = h;
	return p;
}

int
dl_reserve(struct dl_page *p, size_t extra)
{
	struct dl_op *v;

	if (p->cap - p->n >= extra)
		return 0;
	if (extra > SIZE_MAX / sizeof(*v) - p->n)
		return -1;
	v = realloc(p->ops, (p->n + extra) * sizeof(*v));
	if (v == NULL)
		return -1;
	p->ops = v;
	p->cap = p->n + extra;
	return 0;
}

struct dl_op *
dl_push(struct dl_page *p, const struct dl_op *op)
{
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 256;
		struct dl_op *v = realloc(p->ops, cap * sizeof(*v));
		if (v == NULL)
			return NULL;
		p->ops = v;
		p->cap = cap;
	}
	p->ops[p->n] = *op;
	return &p->ops[p->n++];
}

const char *
dl_struct_name(enum dl_struct s)
{
	static const char *const names[ST_STRUCT_MAX] = {
		[ST_H] = "H", [ST_P] = "P", [ST_L] = "L", [ST_LI] = "LI",
		[ST_LBL] = "Lbl", [ST_LBODY] = "LBody", [ST_TABLE] = "Table",
		[ST_TR] = "TR", [ST_TH] = "TH", [ST_TD] = "TD",
		[ST_FIGURE] = "Figure", [ST_CAPTION] = "Caption",
		[ST_LINK] = "Link", [ST_SECT] = "Sect",
		[ST_ARTIFACT] = "Artifact",
	};
	return (s >= 0 && s < ST_STRUCT_MAX) ? names[s] : "?";
}

void
dl_dump(const struct dl_doc *d, struct buf *out)
{
	size_t i, j;

	for (i = 0; i < d->npages; i++) {
		buf_printf(out, "page %zu\n", i + 1);
		for (j = 0; j < d->pages[i].n; j++) {
			const struct dl_op *o = &d->pages[i].ops[j];
			switch (o->kind) {
			case DL_TEXT:
				buf_printf(out, "  text %.1f %.1f f%d %.1f \"%s\"\n",
				    o->x, o->y, o->font, o->size,
				    o->text ? o->text : "");
				break;
			case DL_LINE:
				buf_printf(out, "  line %.1f %.1f %.1f %.1f\n", o->x,
				    o->y, o->x + o->w, o->y + o->h);
				break;
			case DL_RECT:
				buf_printf(out, "  rect %.1f %.1f %.1f %.1f\n", o->x,
				    o->y, o->w, o->h);
				break;
			case DL_PATH:
				buf_printf(out, "  path %u\n", o->nsegs);
				break;
			case DL_IMAGE:
				buf_printf(out, "  image %.1f %.1f %.1f %.1f %s\n", o->x,
				    o->y, o->w, o->h, o->uri);
				break;
			case DL_LINK:
				buf_printf(out, "  link %.1f %.1f %.1f %.1f %s%s\n",
				    o->x, o->y, o->w, o->h, o->uri ? o->uri : "#",
				    o->anchor ? o->anchor : "");
				break;
			case DL_ANCHOR:
				buf_printf(out, "  anchor %.1f %s %d\n", o->y,
				    o->anchor, o->level);
				break;
			case DL_BEGIN:
				if (o->st == ST_H)
					buf_printf(out, "  begin H%d\n", o->level);
				else
					buf_printf(out, "  begin %s\n",
					    dl_struct_name(o->st));
				break;
			case DL_END:
				buf_printf(out, "  end %s\n", dl_struct_name(o->st));
				break;
			default:
				break;
			}
		}
	}
}

/* A long table holds ops by the hundred thousand: keep them small. */
_Static_assert(sizeof(struct dl_op) <= 104, "struct dl_op has grown");
