/*
 * cairo.c — see cairo.h. Text is drawn as the same glyph ids at the same
 * positions as in the PDF (FreeType faces of the same font files), so a
 * chart on the website is the drawing in the paper.
 */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cairo.h>
#include <cairo-ft.h>
#include <cairo-svg.h>
#include <ft2build.h>
#include FT_FREETYPE_H

#include "cairo.h"
#include "backend.h"
#include "../util/buf.h"
#include "../util/path.h"

/*
 * A FreeType library per cr_render() call: an FT_Library is not safe to
 * share between threads without a lock. cairo may keep a face in its caches after we
 * let go of it (and let go of it later, on whichever thread evicts it),
 * and the face needs its library: so each face holds a reference, as the
 * call does while it runs, and the last one out frees the library. Each
 * face is only ever drawn with by its own call. FreeType wants a
 * library's FT_New_Face and FT_Done_Face serialised: two threads evicting
 * two of its faces from cairo's caches at once would not be, hence lock.
 */
struct ftlib {
	FT_Library      lib;
	pthread_mutex_t lock;
	atomic_int      refs;
};

struct ftface {
	FT_Face        face;
	struct ftlib  *lib;
};

struct cr {
	cairo_t           *cr;
	struct fontset    *fs;
	struct ftlib      *ft;   /* NULL until the first text */
	cairo_font_face_t *cface[FONTSET_MAX];
};

static const cairo_user_data_key_t ft_key;

static void
ftlib_unref(struct ftlib *l)
{
	if (l != NULL && atomic_fetch_sub(&l->refs, 1) == 1) {
		FT_Done_FreeType(l->lib);
		pthread_mutex_destroy(&l->lock);
		free(l);
	}
}

static void
done_face(void *arg)
{
	struct ftface *f = arg;

	pthread_mutex_lock(&f->lib->lock);
	FT_Done_Face(f->face);
	pthread_mutex_unlock(&f->lib->lock);
	ftlib_unref(f->lib);
	free(f);
}

static void
set_rgb(cairo_t *cr, uint32_t c)
{
	cairo_set_source_rgb(cr, ((c >> 16) & 255) / 255.0,
	    ((c >> 8) & 255) / 255.0, (c & 255) / 255.0);
}

static cairo_font_face_t *
face(struct cr *r, int i)
{
	const struct font *f;

	if (i < 0 || i >= r->fs->n)
		return NULL;
	if (r->cface[i] != NULL)
		return r->cface[i];
	f = r->fs->font[i];
	if (r->ft == NULL) {
		if ((r->ft = calloc(1, sizeof(*r->ft))) == NULL)
			return NULL;
		if (FT_Init_FreeType(&r->ft->lib) != 0) {
			free(r->ft);
			r->ft = NULL;
			return NULL;
		}
		pthread_mutex_init(&r->ft->lock, NULL);
		atomic_init(&r->ft->refs, 1);
	}
	{
		struct ftface *ff = malloc(sizeof(*ff));
		int bad;
		if (ff == NULL)
			return NULL;
		pthread_mutex_lock(&r->ft->lock);
		bad = FT_New_Face(r->ft->lib, f->path, f->index, &ff->face) != 0;
		pthread_mutex_unlock(&r->ft->lock);
		if (bad) {
			free(ff);
			return NULL;
		}
		ff->lib = r->ft;
		atomic_fetch_add(&r->ft->refs, 1);
		r->cface[i] = cairo_ft_font_face_create_for_ft_face(ff->face, 0);
		/* The face is freed when cairo is done with it. */
		if (cairo_font_face_set_user_data(r->cface[i], &ft_key, ff,
		    done_face) != CAIRO_STATUS_SUCCESS) {
			cairo_font_face_destroy(r->cface[i]);
			r->cface[i] = NULL;
			done_face(ff);
		}
	}
	return r->cface[i];
}

static void
text(struct cr *r, const struct dl_op *op)
{
	const struct font *f = r->fs->font[op->font];
	cairo_glyph_t *g = malloc((op->nglyphs + 1) * sizeof(*g));
	double x = op->x, k = op->size / f->upem;
	unsigned i;
	cairo_font_face_t *ff = face(r, op->font);

	if (g == NULL || ff == NULL) {
		free(g);
		return;
	}
	for (i = 0; i < op->nglyphs; i++) {
		g[i].index = op->gid[i];
		g[i].x = x;
		g[i].y = op->y;
		x += op->adv[i] * k;
		if (op->gid[i] == f->space_gid)
			x += op->word_space;
	}
	cairo_set_font_face(r->cr, ff);
	cairo_set_font_size(r->cr, op->size);
	set_rgb(r->cr, op->colour);
	cairo_show_glyphs(r->cr, g, (int)op->nglyphs);
	free(g);
}

static void
paint(struct cr *r, const struct dl_op *op)
{
	static const double dash1[] = { 6, 3 }, dash2[] = { 1.5, 2 };

	if (op->do_fill || op->kind == DL_RECT) {
		if (op->do_fill) {
			set_rgb(r->cr, op->fill);
			if (op->do_stroke || op->kind == DL_LINE)
				cairo_fill_preserve(r->cr);
			else
				cairo_fill(r->cr);
		}
	}
	if (op->do_stroke || op->kind == DL_LINE) {
		set_rgb(r->cr, op->colour);
		cairo_set_line_width(r->cr, op->line_width > 0 ? op->line_width :
		    0.75);
		cairo_set_dash(r->cr, op->dash == 1 ? dash1 : dash2,
		    op->dash ? 2 : 0, 0);
		cairo_stroke(r->cr);
	}
	cairo_new_path(r->cr);
}

static void
draw(struct cr *r, const struct dl_op *op)
{
	unsigned i;

	switch (op->kind) {
	case DL_TEXT:
		text(r, op);
		break;
	case DL_LINE:
		cairo_move_to(r->cr, op->x, op->y);
		cairo_line_to(r->cr, op->x + op->w, op->y + op->h);
		paint(r, op);
		break;
	case DL_RECT:
		cairo_rectangle(r->cr, op->x, op->y, op->w, op->h);
		paint(r, op);
		break;
	case DL_IMAGE:
		if (op->level == 1) {
			cairo_surface_t *img =
			    cairo_image_surface_create_from_png(op->uri);
			if (cairo_surface_status(img) == CAIRO_STATUS_SUCCESS) {
				cairo_save(r->cr);
				cairo_translate(r->cr, op->x, op->y);
				cairo_scale(r->cr, op->w /
				    cairo_image_surface_get_width(img), op->h /
				    cairo_image_surface_get_height(img));
				cairo_set_source_surface(r->cr, img, 0, 0);
				cairo_paint(r->cr);
				cairo_restore(r->cr);
			}
			cairo_surface_destroy(img);
		} else {
			/* JPEG: a plain frame where the picture goes. */
			cairo_rectangle(r->cr, op->x, op->y, op->w, op->h);
			cairo_set_source_rgb(r->cr, 0.9, 0.9, 0.9);
			cairo_fill(r->cr);
		}
		break;
	case DL_PATH:
		for (i = 0; i < op->nsegs; i++) {
			const struct dl_path_seg *s = &op->segs[i];
			double x = op->x, y = op->y;
			switch (s->op) {
			case PATH_MOVE:
				cairo_move_to(r->cr, x + s->x[0], y + s->y[0]);
				break;
			case PATH_LINE:
				cairo_line_to(r->cr, x + s->x[0], y + s->y[0]);
				break;
			case PATH_CURVE:
				cairo_curve_to(r->cr, x + s->x[0], y + s->y[0],
				    x + s->x[1], y + s->y[1], x + s->x[2], y + s->y[2]);
				break;
			case PATH_CLOSE:
				cairo_close_path(r->cr);
				break;
			}
		}
		paint(r, op);
		break;
	default:
		break;
	}
}

/* The SVG as cairo streams it, copied to a file with the chart's title
 * and text alternative added as the root's first children: cairo's SVG
 * surface has no way to write them, and a screen reader reads them. */
struct svg_out {
	FILE       *f;
	struct buf *mem;     /* into memory instead (cr_svg()) */
	const char *title, *desc;
	int         matched; /* how much of "<svg" has been seen; 4: in it */
	int         done;    /* title and desc written */
	int         group;   /* how much of the root group's start (below)
	                      * has been seen; GROUP_LEN: its number */
};

/* cairo numbers the root group by a count of every surface the process
 * has made (id="surface11"): the same chart came out different from one
 * build to the next in a process, and with threads from run to run. The
 * number is written as 1. */
static const char group_start[] = "<g id=\"surface";
#define GROUP_LEN ((int)sizeof(group_start) - 1)

/* n bytes of the SVG to the file or the memory: 0, or -1. */
static int
svg_put(struct svg_out *o, const void *data, size_t n)
{
	if (o->mem != NULL) {
		buf_put(o->mem, data, n);
		return o->mem->oom ? -1 : 0;
	}
	return fwrite(data, 1, n, o->f) == n ? 0 : -1;
}

/* Text content escaped for XML (buf_put_xml, the one escaper); -1 when
 * it could not be held whole (a title cut short is not written). */
static int
xml_text(struct svg_out *o, const char *s)
{
	struct buf b;
	int rc = 0;

	buf_init(&b);
	buf_put_xml(&b, s);
	if (b.oom)
		rc = -1;
	else if (b.data != NULL)
		rc = svg_put(o, b.data, b.len);
	buf_free(&b);
	return rc;
}

static int
svg_meta(struct svg_out *o)
{
	int rc = 0;

	if (o->title != NULL) {
		rc |= svg_put(o, "\n<title>", 8);
		rc |= xml_text(o, o->title);
		rc |= svg_put(o, "</title>", 8);
	}
	if (o->desc != NULL) {
		rc |= svg_put(o, "\n<desc>", 7);
		rc |= xml_text(o, o->desc);
		rc |= svg_put(o, "</desc>", 7);
	}
	o->done = 1;
	return rc;
}

static cairo_status_t
svg_write(void *arg, const unsigned char *data, unsigned int len)
{
	struct svg_out *o = arg;
	unsigned int i, from = 0;

	/* Up to the '>' that ends the root's start tag, then the two. */
	for (i = 0; i < len && !o->done; i++) {
		if (o->matched == 4) {
			if (data[i] == '>') {
				if (svg_put(o, data + from, i + 1 - from) != 0)
					return CAIRO_STATUS_WRITE_ERROR;
				from = i + 1;
				if (svg_meta(o) != 0)
					return CAIRO_STATUS_NO_MEMORY;
			}
		} else if (data[i] == "<svg"[o->matched])
			o->matched++;
		else
			o->matched = data[i] == '<';
	}
	/* Then the root group's number, its digits left out. */
	for (; i < len && o->group <= GROUP_LEN; i++) {
		if (o->group < GROUP_LEN) {
			if (data[i] == group_start[o->group])
				o->group++;
			else
				o->group = data[i] == '<';
			continue;
		}
		if (svg_put(o, data + from, i - from) != 0)
			return CAIRO_STATUS_WRITE_ERROR;
		from = i + 1;
		if (data[i] < '0' || data[i] > '9') {
			if (svg_put(o, "1", 1) != 0)
				return CAIRO_STATUS_WRITE_ERROR;
			from = i;
			o->group++;
		}
	}
	if (svg_put(o, data + from, len - from) != 0 ||
	    (o->f != NULL && ferror(o->f)))
		return CAIRO_STATUS_WRITE_ERROR;
	return CAIRO_STATUS_SUCCESS;
}

/* The PNG into the file path_create() made (not by name: see there). */
static cairo_status_t
png_write(void *arg, const unsigned char *data, unsigned int len)
{
	return fwrite(data, 1, len, arg) == len ? CAIRO_STATUS_SUCCESS :
	    CAIRO_STATUS_WRITE_ERROR;
}

/* Ops [op0, op1) of pg, the region at (x, y) of the page, onto s on a
 * white ground, at scale. */
static void
paint_region(struct cr *r, cairo_surface_t *s, const struct dl_page *pg,
    size_t op0, size_t op1, double x, double y, double scale)
{
	size_t i;

	r->cr = cairo_create(s);
	cairo_set_source_rgb(r->cr, 1, 1, 1);
	cairo_paint(r->cr);
	cairo_scale(r->cr, scale, scale);
	cairo_translate(r->cr, -x, -y);
	for (i = op0; i < op1 && i < pg->n; i++)
		draw(r, &pg->ops[i]);
	cairo_destroy(r->cr);
	r->cr = NULL;
}

/* Lets go of the faces (cairo may keep them a while: see ftlib). */
static void
cr_release(struct cr *r)
{
	int i;

	for (i = 0; i < FONTSET_MAX; i++)
		if (r->cface[i])
			cairo_font_face_destroy(r->cface[i]);
	ftlib_unref(r->ft);
}

int
cr_svg(const struct dl_page *pg, size_t op0, size_t op1, double x,
    double y, double w, double h, struct fontset *fs, struct buf *out,
    struct diags *diags)
{
	struct cr r;
	struct svg_out svg = { NULL, out, NULL, NULL, 0, 0, 0 };
	cairo_surface_t *s;
	int rc;

	memset(&r, 0, sizeof(r));
	r.fs = fs;
	s = cairo_svg_surface_create_for_stream(svg_write, &svg, w, h);
	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
		diag_err(diags, NULL, 0, "cannot draw a chart: %s",
		    cairo_status_to_string(cairo_surface_status(s)));
		cairo_surface_destroy(s);
		return -1;
	}
	paint_region(&r, s, pg, op0, op1, x, y, 1);
	cairo_surface_finish(s);
	rc = cairo_surface_status(s) == CAIRO_STATUS_SUCCESS && svg.done &&
	    !out->oom ? 0 : -1;
	cairo_surface_destroy(s);
	cr_release(&r);
	if (rc != 0)
		diag_err(diags, NULL, 0, "cannot draw a chart as SVG%s",
		    out->oom ? ": out of memory" : "");
	return rc;
}

int
cr_render(const struct dl_page *pg, size_t op0, size_t op1, double x,
    double y, double w, double h, struct fontset *fs, const char *path,
    enum cr_format format, double dpi, struct diags *diags)
{
	struct cr r;
	struct svg_out svg = { NULL, NULL, NULL, NULL, 0, 0, 0 };
	cairo_surface_t *s;
	char tmp[4096];
	double scale = format == CR_PNG ? dpi / 72.0 : 1;
	int rc = -1;

	memset(&r, 0, sizeof(r));
	r.fs = fs;
	/* Written beside the target and renamed: nothing half-written. */
	snprintf(tmp, sizeof(tmp), "%s.part", path);
	if (format == CR_SVG) {
		/* A chart's Figure mark names it and says what it shows. */
		if (op0 < pg->n && pg->ops[op0].kind == DL_BEGIN &&
		    pg->ops[op0].st == ST_FIGURE) {
			svg.title = pg->ops[op0].text;
			svg.desc = pg->ops[op0].alt;
		}
		if ((svg.f = path_create(tmp)) == NULL) {
			diag_err(diags, NULL, 0, "%s: cannot write: %s", path,
			    strerror(errno));
			return -1;
		}
		s = cairo_svg_surface_create_for_stream(svg_write, &svg, w, h);
	} else
		s = cairo_image_surface_create(CAIRO_FORMAT_RGB24,
		    (int)ceil(w * scale), (int)ceil(h * scale));
	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
		diag_err(diags, NULL, 0, "%s: cannot draw: %s", path,
		    cairo_status_to_string(cairo_surface_status(s)));
		cairo_surface_destroy(s);
		if (svg.f != NULL)
			fclose(svg.f);
		unlink(tmp);
		return -1;
	}
	paint_region(&r, s, pg, op0, op1, x, y, scale);
	if (format == CR_PNG) {
		FILE *f = path_create(tmp);
		if (f == NULL || cairo_surface_write_to_png_stream(s, png_write,
		    f) != CAIRO_STATUS_SUCCESS)
			diag_err(diags, NULL, 0, "%s: cannot write: %s", path,
			    strerror(errno));
		else
			rc = 0;
		if (f != NULL && fclose(f) != 0 && rc == 0) {
			diag_err(diags, NULL, 0, "%s: cannot write: %s", path,
			    strerror(errno));
			rc = -1;
		}
	} else {
		cairo_surface_finish(s);
		rc = cairo_surface_status(s) == CAIRO_STATUS_SUCCESS && svg.done ?
		    0 : -1;
		if (fclose(svg.f) != 0)
			rc = -1;
		if (rc != 0)
			diag_err(diags, NULL, 0, "%s: cannot write the SVG", path);
	}
	cairo_surface_destroy(s);
	cr_release(&r);
	if (rc == 0 && rename(tmp, path) != 0) {
		diag_err(diags, NULL, 0, "%s: cannot write: %s", path,
		    strerror(errno));
		rc = -1;
	}
	if (rc != 0)
		unlink(tmp);
	return rc;
}

/* Page pictures as a backend (backend.h): DIR/page-001.png … */
struct png_state {
	struct dl_doc            *d;
	struct fontset           *fs;
	const char               *dir;
	double                    dpi;
	const struct path_inputs *inputs;
	struct diags             *diags;
};

static void *
png_begin(struct dl_doc *d, struct fontset *fs, const struct backend_out *o,
    struct diags *diags)
{
	struct png_state *s = calloc(1, sizeof(*s));

	if (s == NULL) {
		diag_oom(diags, NULL, 0, "out of memory drawing the pages");
		return NULL;
	}
	s->d = d;
	s->fs = fs;
	s->dir = o->target;
	s->dpi = o->dpi;
	s->inputs = o->inputs;
	s->diags = diags;
	return s;
}

static int
png_page(void *state, size_t p)
{
	struct png_state *s = state;
	const struct dl_page *pg = &s->d->pages[p];
	char path[4096 + 32];

	snprintf(path, sizeof(path), "%s/page-%03zu.png", s->dir, p + 1);
	if (path_check_output(s->inputs, path, s->diags) != 0)
		return -2;
	return cr_render(pg, 0, pg->n, 0, 0, pg->width, pg->height, s->fs, path,
	    CR_PNG, s->dpi, s->diags);
}

static int
png_end(void *state, int ok)
{
	free(state);
	return ok ? 0 : -1;
}

const struct backend backend_png = { "png", png_begin, png_page, png_end };
