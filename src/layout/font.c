#include "font.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <fontconfig/fontconfig.h>
#include <hb.h>
#include <hb-ot.h>

#include "../util/path.h"
#include "../util/utf8.h"

/* Words repeat: a report of 10,000 words has perhaps 1,500 distinct ones.
 * An open-addressing table keyed by the bytes keeps shaping off the hot
 * path. */
/* A slot of the table: 16 bytes, half full at most (a long table's
 * distinct cells made the table 17 MB at 32). The key, its length and
 * the glyph arrays are in the block sh heads: entry_key(). */
struct cache_ent {
	uint64_t       hash;
	struct shaped *sh;  /* own allocation: stays put when the table grows;
	                     * NULL: the slot is empty */
};

/* Figures and the punctuation around them, shaped without HarfBuzz when
 * every pair of them shapes to the two glyphs alone, kerned or not: a
 * long table is mostly numbers that each occur once, and shaping each
 * was a sixth of its build. */
static const char figure_chars[] = "0123456789.,%-+()/:";
#define NFIG (sizeof(figure_chars) - 1)

#define NPLAN 8

struct shape_cache {
	struct cache_ent *v;
	size_t            n, cap;
	hb_buffer_t      *buf;
	/* Shape plans made once per script, direction and language:
	 * hb_shape() looks its plan up again (feature variations and all)
	 * on every word. */
	struct {
		hb_script_t         script;
		hb_direction_t      dir;
		hb_language_t       lang;
		hb_shape_plan_t    *plan;
	}                 plan[NPLAN];
	int               nplan;
	int               figures;  /* 0 not tried, 1 usable, -1 not */
	unsigned          fig_words; /* figure words shaped by HarfBuzz */
	uint32_t          fig_gid[NFIG];
	int32_t           fig_adv[NFIG];
	int32_t           fig_kern[NFIG][NFIG]; /* added to the first's advance */
};

/* Index of c in figure_chars, or -1. */
static int
fig_index(char c)
{
	const char *p = c ? strchr(figure_chars, c) : NULL;

	return p ? (int)(p - figure_chars) : -1;
}

static uint64_t
hash_bytes(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

/* Is name a font file by its ending? */
static int
font_name(const char *name)
{
	size_t n = strlen(name);

	return n > 4 && (strcasecmp(name + n - 4, ".ttf") == 0 ||
	    strcasecmp(name + n - 4, ".otf") == 0 ||
	    strcasecmp(name + n - 4, ".ttc") == 0);
}

/*
 * Hands fontconfig the regular font files of dir one by one: given the
 * folder it would open every file in it, and a FIFO there made the
 * build wait for ever (path.h). Files only, not a folder, also means no
 * cache is looked for or written.
 */
static void
add_fonts(FcConfig *fc, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char file[PATH_MAX];

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' || !font_name(e->d_name))
			continue;
		snprintf(file, sizeof(file), "%s/%s", dir, e->d_name);
		if (path_is_regular(file))
			FcConfigAppFontAddFile(fc, (const FcChar8 *)file);
	}
	closedir(d);
}

/*
 * The system's fonts without the system's configuration: fonts are matched
 * by exact family name here, so fontconfig's sixty-odd rule files (a sixth
 * of a short report's build) buy nothing; the font directories and their
 * caches are all that is read. Falls back to the full configuration.
 */
static FcConfig *
sys_config(void)
{
	static const FcChar8 conf[] =
	    "<?xml version=\"1.0\"?><fontconfig>"
	    "<dir>/usr/share/fonts</dir>"
	    "<dir>/usr/local/share/fonts</dir>"
	    "<dir prefix=\"xdg\">fonts</dir>"
	    "<dir>~/.fonts</dir>"
	    "<cachedir>/var/cache/fontconfig</cachedir>"
	    "<cachedir prefix=\"xdg\">fontconfig</cachedir>"
	    "</fontconfig>";
	FcConfig *c = FcConfigCreate();

	if (c != NULL && FcConfigParseAndLoadFromMemory(c, conf, FcTrue) &&
	    FcConfigBuildFonts(c))
		return c;
	if (c != NULL)
		FcConfigDestroy(c);
	return FcInitLoadConfigAndFonts();
}

int
fontset_init(struct fontset *fs, const char *const *dirs, int ndirs)
{
	int i;

	memset(fs, 0, sizeof(*fs));
	fs->fc_sys = sys_config();
	fs->fc_app = FcConfigCreate();
	if (fs->fc_sys == NULL || fs->fc_app == NULL)
		return -1;
	for (i = 0; i < ndirs; i++)
		if (dirs[i] != NULL)
			add_fonts(fs->fc_app, dirs[i]);
	return 0;
}

static void
cache_free(struct shape_cache *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->cap; i++)
		free(c->v[i].sh); /* key and arrays share its block */
	free(c->v);
	if (c->buf)
		hb_buffer_destroy(c->buf);
	for (int k = 0; k < c->nplan; k++)
		hb_shape_plan_destroy(c->plan[k].plan);
	free(c);
}

static void
font_free(struct font *f)
{
	if (f == NULL)
		return;
	if (f->hb)
		hb_font_destroy(f->hb);
	if (f->face)
		hb_face_destroy(f->face);
	if (f->blob)
		hb_blob_destroy(f->blob);
	cache_free(f->cache);
	free(f->path);
	free(f->family);
	free(f->psname);
	free(f->used);
	free(f->gid_cp);
	free(f);
}

void
fontset_free(struct fontset *fs)
{
	int i;

	for (i = 0; i < fs->n; i++)
		font_free(fs->font[i]);
	if (fs->fc_app)
		FcConfigDestroy(fs->fc_app);
	if (fs->fc_sys)
		FcConfigDestroy(fs->fc_sys);
	memset(fs, 0, sizeof(*fs));
}

/* Finds family in config; returns a malloc'd path or NULL (and sets
 * *oom when it was found but could not be kept). */
static char *
match(FcConfig *fc, const char *family, int bold, int italic, int *index,
    char **found_family, int *oom)
{
	FcPattern *pat, *m;
	FcResult res;
	FcChar8 *file = NULL, *fam = NULL;
	char *path = NULL;

	pat = FcPatternCreate();
	if (pat == NULL)
		return NULL;
	FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)family);
	FcPatternAddInteger(pat, FC_WEIGHT, bold ? FC_WEIGHT_BOLD :
	    FC_WEIGHT_REGULAR);
	FcPatternAddInteger(pat, FC_SLANT, italic ? FC_SLANT_ITALIC :
	    FC_SLANT_ROMAN);
	FcConfigSubstitute(fc, pat, FcMatchPattern);
	FcDefaultSubstitute(pat);
	m = FcFontMatch(fc, pat, &res);
	FcPatternDestroy(pat);
	if (m == NULL)
		return NULL;
	if (FcPatternGetString(m, FC_FILE, 0, &file) == FcResultMatch &&
	    FcPatternGetString(m, FC_FAMILY, 0, &fam) == FcResultMatch &&
	    strcasecmp((const char *)fam, family) == 0) {
		path = strdup((const char *)file);
		*found_family = strdup((const char *)fam);
		if (path == NULL || *found_family == NULL) {
			free(path);
			free(*found_family);
			path = *found_family = NULL;
			*oom = 1;
		}
		if (FcPatternGetInteger(m, FC_INDEX, 0, index) != FcResultMatch)
			*index = 0;
	}
	FcPatternDestroy(m);
	return path;
}

static int
load(struct font *f)
{
	hb_face_t *face;
	hb_position_t v;
	hb_codepoint_t g;
	unsigned len;
	char name[128];
	hb_glyph_extents_t ext;

	f->blob = hb_blob_create_from_file_or_fail(f->path);
	if (f->blob == NULL)
		return -1;
	face = hb_face_create(f->blob, (unsigned)f->index);
	f->face = face;
	f->nglyphs = hb_face_get_glyph_count(face);
	if (f->nglyphs == 0)
		return -1;
	/* Only TrueType outlines can go into the PDF as CIDFontType2. */
	{
		hb_blob_t *glyf = hb_face_reference_table(face,
		    HB_TAG('g', 'l', 'y', 'f'));
		unsigned gl = hb_blob_get_length(glyf);
		hb_blob_destroy(glyf);
		if (gl == 0)
			return -2;
	}
	f->hb = hb_font_create(face);
	f->upem = hb_face_get_upem(face);
	if (f->upem < 16 || f->upem > 16384)
		return -1;
	hb_font_set_scale(f->hb, (int)f->upem, (int)f->upem);
	hb_ot_font_set_funcs(f->hb);
	if (hb_ot_metrics_get_position(f->hb,
	    HB_OT_METRICS_TAG_HORIZONTAL_ASCENDER, &v))
		f->ascender = v;
	else
		f->ascender = (int)(f->upem * 0.9);
	if (hb_ot_metrics_get_position(f->hb,
	    HB_OT_METRICS_TAG_HORIZONTAL_DESCENDER, &v))
		f->descender = v;
	else
		f->descender = -(int)(f->upem * 0.2);
	if (hb_ot_metrics_get_position(f->hb, HB_OT_METRICS_TAG_CAP_HEIGHT, &v)
	    && v > 0)
		f->cap_height = v;
	else
		f->cap_height = (int)(f->upem * 0.7);
	f->italic_angle = f->italic ? -12 : 0;
	f->bbox[0] = -(int)f->upem / 2;
	f->bbox[1] = f->descender;
	f->bbox[2] = (int)f->upem * 2;
	f->bbox[3] = f->ascender;
	/* The head table's bounding box, when the font has one. */
	{
		hb_blob_t *head = hb_face_reference_table(face,
		    HB_TAG('h', 'e', 'a', 'd'));
		const unsigned char *p = (const unsigned char *)
		    hb_blob_get_data(head, &len);
		if (p != NULL && len >= 44) {
			int i;
			for (i = 0; i < 4; i++)
				f->bbox[i] = (int16_t)((p[36 + 2 * i] << 8) |
				    p[37 + 2 * i]);
		}
		hb_blob_destroy(head);
	}
	len = sizeof(name);
	if (hb_ot_name_get_utf8(face, HB_OT_NAME_ID_POSTSCRIPT_NAME,
	    HB_LANGUAGE_INVALID, &len, name) > 0 && name[0] != '\0') {
		char *p;
		for (p = name; *p; p++)
			if (*p == ' ' || *p == '/' || *p == '(' || *p == ')' ||
			    *p == '[' || *p == ']' || *p == '<' || *p == '>' ||
			    *p == '{' || *p == '}' || *p == '%' || *p == '#')
				*p = '-';
		f->psname = strdup(name);
	} else
		f->psname = strdup("Font");
	if (!hb_font_get_nominal_glyph(f->hb, ' ', &g))
		g = 0;
	f->space_gid = g;
	f->space_adv = hb_font_get_glyph_h_advance(f->hb, g);
	(void)ext;
	f->used = calloc(f->nglyphs, 1);
	f->gid_cp = calloc(f->nglyphs, sizeof(*f->gid_cp));
	f->cache = calloc(1, sizeof(*f->cache));
	if (f->psname == NULL || f->used == NULL || f->gid_cp == NULL ||
	    f->cache == NULL)
		return -3;
	f->cache->buf = hb_buffer_create();
	if (!hb_buffer_allocation_successful(f->cache->buf))
		return -3;
	return 0;
}

int
fontset_get(struct fontset *fs, const char *family, int bold, int italic,
    struct diags *diags, const char *file, int line)
{
	struct font *f;
	char *path, *fam = NULL;
	int i, index = 0, rc, oom = 0;

	for (i = 0; i < fs->n; i++)
		if (strcasecmp(fs->font[i]->family, family) == 0 &&
		    fs->font[i]->bold == bold && fs->font[i]->italic == italic)
			return i;
	if (fs->n == FONTSET_MAX) {
		diag_err(diags, file, line, "more than %d fonts are in use; "
		    "use fewer families", FONTSET_MAX);
		return -1;
	}
	path = match(fs->fc_app, family, bold, italic, &index, &fam, &oom);
	if (path == NULL && !oom)
		path = match(fs->fc_sys, family, bold, italic, &index, &fam,
		    &oom);
	if (oom) {
		diag_oom(diags, file, line, "out of memory loading font %s",
		    family);
		return -1;
	}
	if (path == NULL) {
		diag_err(diags, file, line, "font family \"%s\" is not "
		    "installed; install it, put its .ttf files in fonts/, or "
		    "name another family in the template", family);
		return -1;
	}
	if ((f = calloc(1, sizeof(*f))) == NULL) {
		free(path);
		free(fam);
		diag_oom(diags, NULL, 0, "out of memory loading font %s", family);
		return -1;
	}
	/* Refused before HarfBuzz maps it: a FIFO or device would block. */
	if ((rc = path_open(path, "font file", diags, file, line)) < 0) {
		free(path);
		free(fam);
		free(f);
		return -1;
	}
	close(rc);
	f->path = path;
	f->family = fam;
	f->index = index;
	f->bold = bold;
	f->italic = italic;
	if ((rc = load(f)) == -3)
		diag_oom(diags, file, line, "out of memory loading font %s",
		    path);
	else if (rc != 0)
		diag_err(diags, file, line, "%s: %s", path, rc == -2 ?
		    "has no TrueType outlines (glyf); use a .ttf font" :
		    "is not a usable font file");
	if (rc != 0) {
		font_free(f);
		return -1;
	}
	fs->font[fs->n] = f;
	return fs->n++;
}

static int
cache_grow(struct shape_cache *c)
{
	size_t cap = c->cap ? c->cap * 2 : 256, i;
	struct cache_ent *v = calloc(cap, sizeof(*v));

	if (v == NULL)
		return -1;
	for (i = 0; i < c->cap; i++)
		if (c->v[i].sh != NULL) {
			size_t j = c->v[i].hash & (cap - 1);
			while (v[j].sh != NULL)
				j = (j + 1) & (cap - 1);
			v[j] = c->v[i];
		}
	free(c->v);
	c->v = v;
	c->cap = cap;
	return 0;
}

/* Shapes s into the cache's buffer. */
static void
shape_hb(struct font *f, const char *s, size_t n)
{
	static const hb_feature_t feats[] = {
		{ HB_TAG('k', 'e', 'r', 'n'), 1, 0, (unsigned)-1 },
		{ HB_TAG('l', 'i', 'g', 'a'), 0, 0, (unsigned)-1 },
		{ HB_TAG('c', 'l', 'i', 'g'), 0, 0, (unsigned)-1 },
	};
	struct shape_cache *c = f->cache;
	hb_buffer_t *buf = c->buf;
	hb_segment_properties_t props;
	hb_shape_plan_t *plan = NULL;
	int i;

	hb_buffer_clear_contents(buf);
	hb_buffer_add_utf8(buf, s, (int)n, 0, (int)n);
	hb_buffer_guess_segment_properties(buf);
	hb_buffer_get_segment_properties(buf, &props);
	for (i = 0; i < c->nplan && plan == NULL; i++)
		if (c->plan[i].script == props.script &&
		    c->plan[i].dir == props.direction &&
		    c->plan[i].lang == props.language)
			plan = c->plan[i].plan;
	if (plan == NULL && c->nplan < NPLAN) {
		plan = hb_shape_plan_create_cached(hb_font_get_face(f->hb), &props,
		    feats, sizeof(feats) / sizeof(feats[0]), NULL);
		c->plan[c->nplan].script = props.script;
		c->plan[c->nplan].dir = props.direction;
		c->plan[c->nplan].lang = props.language;
		c->plan[c->nplan++].plan = plan;
	}
	if (plan == NULL || !hb_shape_plan_execute(plan, f->hb, buf, feats,
	    sizeof(feats) / sizeof(feats[0])))
		hb_shape(f->hb, buf, feats, sizeof(feats) / sizeof(feats[0]));
}

/* Glyph i's advance with the horizontal offsets folded in, so that
 * drawing each glyph at the pen (the display list has no offsets) puts
 * it where HarfBuzz placed it. HarfBuzz gives half of a 'kern' table
 * pair to the second glyph as advance plus a backward offset; dropping
 * the offset drew that glyph half a kern too far right. The run's
 * width is unchanged; only the first glyph's own offset is lost. */
static int32_t
folded_adv(const hb_glyph_position_t *pos, unsigned i, unsigned n)
{
	int32_t adv = pos[i].x_advance;

	if (i + 1 < n)
		adv += pos[i + 1].x_offset;
	if (i > 0)
		adv -= pos[i].x_offset;
	return adv;
}

static int
is_figures(const struct shape_cache *c, const char *s, size_t n)
{
	size_t i;

	if (c->figures < 0 || n == 0)
		return 0;
	for (i = 0; i < n; i++)
		if (fig_index(s[i]) < 0)
			return 0;
	return 1;
}

/* Learns each figure's glyph and advance, and each pair's kerning,
 * once per font; not usable when a pair shapes to other glyphs (a
 * ligature), moves a glyph vertically or lacks a glyph. */
static int
figures_ready(struct font *f)
{
	struct shape_cache *c = f->cache;
	hb_glyph_info_t *info;
	hb_glyph_position_t *pos;
	unsigned ng, a, b;

	if (c->figures != 0)
		return c->figures > 0;
	c->figures = -1;
	for (a = 0; a < NFIG; a++) {
		shape_hb(f, figure_chars + a, 1);
		info = hb_buffer_get_glyph_infos(c->buf, &ng);
		pos = hb_buffer_get_glyph_positions(c->buf, &ng);
		if (ng != 1 || info[0].codepoint == 0 ||
		    info[0].codepoint >= f->nglyphs || pos[0].x_offset != 0 ||
		    pos[0].y_offset != 0)
			return 0;
		c->fig_gid[a] = info[0].codepoint;
		c->fig_adv[a] = pos[0].x_advance;
	}
	for (a = 0; a < NFIG; a++)
		for (b = 0; b < NFIG; b++) {
			char pair[2] = { figure_chars[a], figure_chars[b] };
			shape_hb(f, pair, 2);
			info = hb_buffer_get_glyph_infos(c->buf, &ng);
			pos = hb_buffer_get_glyph_positions(c->buf, &ng);
			if (ng != 2 || info[0].codepoint != c->fig_gid[a] ||
			    info[1].codepoint != c->fig_gid[b] ||
			    pos[0].x_offset != 0 || pos[0].y_offset != 0 ||
			    pos[1].y_offset != 0 ||
			    folded_adv(pos, 1, 2) != c->fig_adv[b])
				return 0;
			c->fig_kern[a][b] = folded_adv(pos, 0, 2) - c->fig_adv[a];
		}
	c->figures = 1;
	return 1;
}

/* The key of entry sh: its length (a size_t after the glyph arrays,
 * whose 2 (n + 1) words keep it aligned), then its bytes and a NUL. */
_Static_assert(sizeof(struct shaped) % _Alignof(size_t) == 0,
    "the glyph arrays after struct shaped keep a size_t aligned");

static size_t *
entry_key(const struct shaped *sh)
{
	return (size_t *)(void *)(sh->adv + sh->n + 1);
}

/* One block for the entry's result, glyph arrays and key; NULL (entry
 * left empty) when out of memory. */
static struct shaped *
entry_alloc(struct cache_ent *e, const char *s, size_t n, unsigned ng)
{
	size_t sz = sizeof(struct shaped) + 2 * ((size_t)ng + 1) *
	    sizeof(uint32_t) + sizeof(size_t) + n + 1;
	struct shaped *sh = calloc(1, sz);
	size_t *klen;

	if (sh == NULL)
		return NULL;
	sh->gid = (uint32_t *)(sh + 1);
	sh->adv = (int32_t *)(sh->gid + ng + 1);
	sh->n = ng;
	klen = entry_key(sh);
	*klen = n;
	memcpy(klen + 1, s, n);
	((char *)(klen + 1))[n] = '\0';
	e->sh = sh;
	return sh;
}

/* Is entry e's key the n bytes of s? */
static int
entry_is(const struct cache_ent *e, uint64_t h, const char *s, size_t n)
{
	const size_t *klen;

	if (e->hash != h)
		return 0;
	klen = entry_key(e->sh);
	return *klen == n && memcmp(klen + 1, s, n) == 0;
}

const struct shaped *
font_shape(struct font *f, const char *s, size_t n)
{
	struct shape_cache *c = f->cache;
	uint64_t h = hash_bytes(s, n);
	struct cache_ent *e;
	hb_glyph_info_t *info;
	hb_glyph_position_t *pos;
	unsigned i, ng;
	size_t j;

	if (c->cap && c->n < c->cap) {
		for (j = h & (c->cap - 1); c->v[j].sh != NULL;
		    j = (j + 1) & (c->cap - 1))
			if (entry_is(&c->v[j], h, s, n))
				return c->v[j].sh;
	}
	if ((c->n + 1) * 2 > c->cap && cache_grow(c) != 0)
		return NULL;
	j = h & (c->cap - 1);
	while (c->v[j].sh != NULL)
		j = (j + 1) & (c->cap - 1);
	e = &c->v[j];

	/* Learning the pairs costs as much as shaping a few hundred
	 * words, so a short report never pays for it. */
	if (is_figures(c, s, n) && ++c->fig_words > 256 && figures_ready(f)) {
		/* What HarfBuzz would give (pairs checked in figures_ready),
		 * one glyph per byte. */
		if ((e->sh = entry_alloc(e, s, n, (unsigned)n)) == NULL)
			return NULL;
		e->hash = h;
		for (i = 0; i < (unsigned)n; i++) {
			int k = fig_index(s[i]);
			int32_t adv = c->fig_adv[k];
			if (i + 1 < (unsigned)n)
				adv += c->fig_kern[k][fig_index(s[i + 1])];
			e->sh->gid[i] = c->fig_gid[k];
			e->sh->adv[i] = adv;
			e->sh->width += adv;
			if (f->gid_cp[c->fig_gid[k]] == 0)
				f->gid_cp[c->fig_gid[k]] = (uint32_t)(unsigned char)s[i];
		}
		c->n++;
		return e->sh;
	}
	shape_hb(f, s, n);
	info = hb_buffer_get_glyph_infos(c->buf, &ng);
	pos = hb_buffer_get_glyph_positions(c->buf, &ng);
	if ((e->sh = entry_alloc(e, s, n, ng)) == NULL)
		return NULL;
	e->hash = h;
	for (i = 0; i < ng; i++) {
		size_t l;
		int32_t cp;
		e->sh->gid[i] = info[i].codepoint;
		e->sh->adv[i] = folded_adv(pos, i, ng);
		e->sh->width += e->sh->adv[i];
		if (info[i].codepoint == 0)
			e->sh->missing++;
		/* Remember which character each glyph draws, for the PDF's
		 * ToUnicode map: the first code point of its cluster. */
		cp = utf8_decode(s + info[i].cluster, n - info[i].cluster, &l);
		if (cp > 0 && info[i].codepoint < f->nglyphs &&
		    f->gid_cp[info[i].codepoint] == 0)
			f->gid_cp[info[i].codepoint] = (uint32_t)cp;
	}
	c->n++;
	return e->sh;
}

void
font_use(struct font *f, const struct shaped *sh)
{
	unsigned i;

	for (i = 0; i < sh->n; i++)
		if (sh->gid[i] < f->nglyphs)
			f->used[sh->gid[i]] = 1;
}
