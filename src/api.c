/*
 * api.c — the public library API (include/scrutineer.h): a context of
 * shared options, and jobs that run in stages — load (definition,
 * template, data), layout (pages of display list), write (the PDF, by
 * output.c's temporary file and rename) — with sc_build() the three at
 * once. A <pack> definition is built by the pack module instead.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "job.h"
#include "pack/pack.h"
#include "data/bind.h"
#include "definition/params.h"
#include "html/html.h"
#include "layout/layout.h"
#include "render/backend.h"
#include "render/cairo.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/lib.h"
#include "util/suggest.h"

#ifndef SC_DATADIR
#define SC_DATADIR "/usr/local/share/scrutineer"
#endif

static char *
xstrdup(const char *s)
{
	return s ? strdup(s) : NULL;
}

static int
add_str(char ***v, int *n, const char *s)
{
	char **nv = realloc(*v, (size_t)(*n + 1) * sizeof(**v));

	if (nv == NULL)
		return SC_EINTERNAL;
	*v = nv;
	if ((nv[*n] = xstrdup(s)) == NULL)
		return SC_EINTERNAL;
	(*n)++;
	return SC_OK;
}

static void
free_strs(char **v, int n)
{
	int i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

sc_ctx *
sc_ctx_new(void)
{
	sc_ctx *c;

	lib_init();
	c = calloc(1, sizeof(*c));
	if (c != NULL)
		c->source_date = -1;
	return c;
}

void
sc_ctx_free(sc_ctx *c)
{
	if (c == NULL)
		return;
	free(c->data_dir);
	free_strs(c->allow, c->nallow);
	free(c);
}

int
sc_ctx_set_data_dir(sc_ctx *c, const char *dir)
{
	char *d = xstrdup(dir);

	if (dir != NULL && d == NULL)
		return SC_EINTERNAL;
	free(c->data_dir);
	c->data_dir = d;
	return SC_OK;
}

int
sc_ctx_allow_path(sc_ctx *c, const char *dir)
{
	return add_str(&c->allow, &c->nallow, dir);
}

int
sc_ctx_set_source_date(sc_ctx *c, long long seconds)
{
	if (seconds < -1 || seconds > 253402300799LL) /* 9999-12-31 */
		return SC_EUSAGE;
	c->source_date = seconds;
	return SC_OK;
}

int
sc_ctx_set_strict(sc_ctx *c, int on)
{
	c->strict = on != 0;
	return SC_OK;
}

void
sc_ctx_cancel(sc_ctx *c)
{
	atomic_store(&c->cancel, 1);
}

int
job_cancelled(sc_job *j)
{
	static const char msg[] = "interrupted: the build was stopped "
	    "before it finished; nothing was written";

	if (!atomic_load(&j->ctx->cancel))
		return 0;
	if (!diag_has(&j->diags, j->definition, 0, msg))
		diag_err(&j->diags, j->definition, 0, "%s", msg);
	return 1;
}

sc_job *
sc_job_new_in(sc_ctx *ctx, const char *definition)
{
	sc_job *j;
	int i;

	lib_init();
	if ((j = calloc(1, sizeof(*j))) == NULL)
		return NULL;
	diags_init(&j->diags);
	path_inputs_init(&j->inputs);
	path_inputs_init(&j->missing);
	j->diags.missing = &j->missing;
	j->dpi = 96;
	j->fsp = &j->fs;
	if (ctx == NULL && (ctx = j->own_ctx = sc_ctx_new()) == NULL) {
		free(j);
		return NULL;
	}
	j->ctx = ctx;
	j->strict = ctx->strict;
	j->pdfa_part = 2;
	j->pdfa_conformance = 'A';
	j->pdfua = 1;
	if ((j->definition = xstrdup(definition)) == NULL) {
		sc_job_free(j);
		return NULL;
	}
	/* The context's folders, copied: the job's own may follow. */
	for (i = 0; i < ctx->nallow; i++)
		if (add_str(&j->allow, &j->nallow, ctx->allow[i]) != SC_OK) {
			sc_job_free(j);
			return NULL;
		}
	return j;
}

sc_job *
sc_job_new(const char *definition)
{
	return sc_job_new_in(NULL, definition);
}

void
job_reset(sc_job *j)
{
	dl_free(&j->dl);
	memset(&j->dl, 0, sizeof(j->dl));
	if (j->fsp == &j->fs)
		fontset_free(&j->fs);
	memset(&j->fs, 0, sizeof(j->fs));
	j->fsp = &j->fs;
	doc_free(j->doc);
	j->doc = NULL;
	j->stage = STAGE_NONE;
}

void
sc_job_free(sc_job *j)
{
	size_t i;

	if (j == NULL)
		return;
	job_reset(j);
	for (i = 0; i < j->ndefines; i++) {
		free((char *)j->defines[i].name);
		free((char *)j->defines[i].value);
	}
	free(j->defines);
	free(j->define_used);
	free_strs(j->allow, j->nallow);
	free(j->definition);
	free(j->output);
	free(j->template_override);
	free(j->data_dir);
	free(j->dump);
	free(j->preview);
	free(j->part);
	free(j->html);
	diags_clear(&j->diags);
	path_inputs_free(&j->inputs);
	path_inputs_free(&j->missing);
	sc_ctx_free(j->own_ctx);
	free(j);
}

static int
set(char **field, const char *v)
{
	char *c = xstrdup(v);

	if (v != NULL && c == NULL)
		return SC_EINTERNAL;
	free(*field);
	*field = c;
	return SC_OK;
}

int
sc_job_set_output(sc_job *j, const char *path)
{
	return set(&j->output, path);
}

int
sc_job_set_template(sc_job *j, const char *t)
{
	return set(&j->template_override, t);
}

int
sc_job_set_data_dir(sc_job *j, const char *dir)
{
	return set(&j->data_dir, dir);
}

/* A -D, required (the definition must declare it) or optional. */
static int
push_define(sc_job *j, const char *name, const char *value, int optional)
{
	struct def_define *v = realloc(j->defines,
	    (j->ndefines + 1) * sizeof(*v));
	unsigned char *u;

	if (v == NULL)
		return SC_EINTERNAL;
	j->defines = v;
	if ((u = realloc(j->define_used, j->ndefines + 1)) == NULL)
		return SC_EINTERNAL;
	j->define_used = u;
	u[j->ndefines] = 0;
	v[j->ndefines].name = xstrdup(name);
	v[j->ndefines].value = xstrdup(value);
	v[j->ndefines].optional = optional;
	if (v[j->ndefines].name == NULL || v[j->ndefines].value == NULL) {
		free((char *)v[j->ndefines].name);
		free((char *)v[j->ndefines].value);
		return SC_EINTERNAL;
	}
	j->ndefines++;
	return SC_OK;
}

int
sc_job_define(sc_job *j, const char *name, const char *value)
{
	return push_define(j, name, value, 0);
}

int
sc_job_define_optional(sc_job *j, const char *name, const char *value)
{
	return push_define(j, name, value, 1);
}

int
sc_job_define_used(const sc_job *j, const char *name)
{
	size_t i;

	for (i = 0; i < j->ndefines; i++)
		if (j->define_used[i] && strcmp(j->defines[i].name, name) == 0)
			return 1;
	return 0;
}

void
job_mark_defines(sc_job *j, const struct doc *doc)
{
	size_t i, k;

	for (i = 0; i < j->ndefines; i++)
		for (k = 0; k < doc->nparams; k++)
			if (strcmp(doc->params[k].name, j->defines[i].name) == 0)
				j->define_used[i] = 1;
}

int
sc_job_allow_path(sc_job *j, const char *dir)
{
	return add_str(&j->allow, &j->nallow, dir);
}

int
sc_job_set_html(sc_job *j, const char *dir)
{
	return set(&j->html, dir);
}

int
sc_job_set_part(sc_job *j, const char *part)
{
	if (part == NULL || (strcmp(part, "a") != 0 && strcmp(part, "b") != 0))
		return SC_EUSAGE;
	return set(&j->part, part);
}

size_t
sc_job_input_count(const sc_job *j)
{
	return j->inputs.n;
}

const char *
sc_job_input(const sc_job *j, size_t i, const char **what)
{
	return path_inputs_name(&j->inputs, i, what);
}

size_t
sc_job_missing_count(const sc_job *j)
{
	return j->missing.n;
}

const char *
sc_job_missing(const sc_job *j, size_t i, const char **what)
{
	return path_inputs_name(&j->missing, i, what);
}

int
sc_job_set_dump(sc_job *j, int on)
{
	j->want_dump = on;
	return SC_OK;
}

int
sc_job_set_timings(sc_job *j, int on)
{
	j->timings = on;
	return SC_OK;
}

void
job_time_note(sc_job *j, const char *file, int line, const char *what,
    long long since)
{
	if (j->timings)
		diag_add(&j->diags, SC_NOTE, file, line, "timings: %s %.3f s",
		    what, (double)(clock_ns() - since) / 1e9);
}

/* A timings note about the whole definition. */
static void
time_note(sc_job *j, const char *what, long long since)
{
	job_time_note(j, j->definition, 0, what, since);
}

int
sc_job_set_strict(sc_job *j, int on)
{
	j->strict = on != 0;
	return SC_OK;
}

int
sc_job_set_pdfa(sc_job *j, const char *level)
{
	static const struct { const char *name; int part; char conf; } lv[] = {
		{ "none", 0, 'A' }, { "2a", 2, 'A' }, { "2u", 2, 'U' },
		{ "3a", 3, 'A' },
	};
	size_t i;

	for (i = 0; level != NULL && i < sizeof(lv) / sizeof(lv[0]); i++)
		if (strcmp(level, lv[i].name) == 0) {
			j->pdfa_part = lv[i].part;
			j->pdfa_conformance = lv[i].conf;
			return SC_OK;
		}
	return SC_EUSAGE;
}

int
sc_job_set_pdfua(sc_job *j, int on)
{
	j->pdfua = on != 0;
	return SC_OK;
}

const char *
sc_job_dump(const sc_job *j)
{
	return j->dump;
}

const char *
sc_job_temp(const sc_job *j)
{
	return (const char *)j->temp;
}

const char *
sc_job_output(const sc_job *j)
{
	return j->output;
}

int
sc_job_pages(const sc_job *j)
{
	return j->pages;
}

/* Messages that could not be stored are owned up to by one more. */
size_t
sc_job_diag_count(const sc_job *j)
{
	return j->diags.n + (j->diags.lost > 0);
}

const sc_diag *
sc_job_diag(const sc_job *j, size_t i)
{
	if (i < j->diags.n)
		return &j->diags.v[i];
	return i == j->diags.n && j->diags.lost > 0 ? &diag_lost : NULL;
}

/*
 * The status a build ends in. Out of memory is SC_EINTERNAL whichever
 * stage met it and whatever it returned; a failure that left no error
 * message gets one, so that nothing fails (or is left out) in silence.
 */
int
job_status(sc_job *j, int rc)
{
	if (j->diags.oom)
		return SC_EINTERNAL;
	if (rc != SC_OK && j->diags.errors == 0) {
		diag_err(&j->diags, j->definition, 0, "internal error: the build "
		    "failed without saying why; please report it");
		return SC_EINTERNAL;
	}
	return rc;
}

static int
is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The data directory: as set, else beside the running binary (a build
 * tree), else where `make install` put it. */
void
job_data_dir(const sc_job *j, char *out, size_t n)
{
	const char *set = j->data_dir ? j->data_dir : j->ctx->data_dir;
	char exe[PATH_MAX - 32], probe[PATH_MAX + 32];
	ssize_t len;

	if (set != NULL) {
		snprintf(out, n, "%s", set);
		return;
	}
	len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (len > 0) {
		char *slash;
		exe[len] = '\0';
		if ((slash = strrchr(exe, '/')) != NULL) {
			*slash = '\0';
			snprintf(probe, sizeof(probe), "%s/templates", exe);
			if (is_dir(probe)) {
				snprintf(out, n, "%s", exe);
				return;
			}
			/* build/scrutineer in a source tree */
			snprintf(probe, sizeof(probe), "%s/../templates", exe);
			if (is_dir(probe)) {
				snprintf(out, n, "%s/..", exe);
				return;
			}
			/* PREFIX/bin/scrutineer, wherever PREFIX now is */
			snprintf(probe, sizeof(probe),
			    "%s/../share/scrutineer/templates", exe);
			if (is_dir(probe)) {
				snprintf(out, n, "%s/../share/scrutineer", exe);
				return;
			}
		}
	}
	snprintf(out, n, "%s", SC_DATADIR);
}

static int
valid_name(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '-' || *s == '_'))
			return 0;
	return 1;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Finds the template file: -t's, else the one the definition at
 * file:line (in folder dir) names, else "default". Reports and returns
 * -1 when there is none.
 */
int
job_template_path(sc_job *j, const char *def_name, const char *file,
    int def_line, const char *dir, struct arena *arena, char *out, size_t n)
{
	const char *name = j->template_override ? j->template_override :
	    def_name ? def_name : "default";
	int line = j->template_override ? 0 : def_line;
	char dd[PATH_MAX];
	size_t len = strlen(name);

	if (j->template_override)
		file = NULL;
	job_data_dir(j, dd, sizeof(dd));
	if (strchr(name, '/') != NULL || (len > 4 &&
	    strcmp(name + len - 4, ".xml") == 0)) {
		char tdir[PATH_MAX + 16];
		struct path_policy p = { dir, (const char *const *)j->allow,
			j->nallow, tdir };
		const char *r;
		/* Only -t, typed by whoever runs the build, may name any file;
		 * a definition's template obeys the policy its data does. */
		if (j->template_override) {
			snprintf(out, n, "%s", name);
			if (access(out, R_OK) != 0) {
				int e = errno;
				diag_err(&j->diags, file, line, "template file \"%s\" "
				    "cannot be read: %s", out, strerror(e));
				if (e == ENOENT && path_inputs_add_missing(
				    &j->missing, out, "template") != 0)
					diag_oom(&j->diags, file, line, "out of memory "
					    "reading the template");
				return -1;
			}
			return 0;
		}
		snprintf(tdir, sizeof(tdir), "%s/templates", dd);
		if ((r = path_resolve(&p, name, "template file", "keep the "
		    "template beside the report, name an installed one "
		    "(template=\"default\"), or allow the folder with "
		    "--allow-path", arena, &j->diags, file, line)) == NULL)
			return -1;
		snprintf(out, n, "%s", r);
		return 0;
	}
	if (valid_name(name)) {
		snprintf(out, n, "%s/templates/%s.xml", dd, name);
		if (access(out, R_OK) == 0)
			return 0;
	}
	{
		/* Name the templates there are, so the fix is obvious. */
		struct buf list;
		char tdir[PATH_MAX + 16];
		struct dirent *e;
		DIR *dh;
		buf_init(&list);
		snprintf(tdir, sizeof(tdir), "%s/templates", dd);
		if ((dh = opendir(tdir)) != NULL) {
			char *names[64];
			int k = 0, i;
			while ((e = readdir(dh)) != NULL && k < 64) {
				size_t l = strlen(e->d_name);
				if (l > 4 && e->d_name[0] != '.' &&
				    strcmp(e->d_name + l - 4, ".xml") == 0 &&
				    (names[k] = strndup(e->d_name, l - 4)) != NULL)
					k++;
			}
			closedir(dh);
			/* Sorted, so the message is the same everywhere. */
			qsort(names, (size_t)k, sizeof(names[0]), cmp_str);
			for (i = 0; i < k; i++) {
				buf_printf(&list, "%s%s", list.len ? ", " : "",
				    names[i]);
				free(names[i]);
			}
		}
		{
			struct suggest sg;
			char mean[96];
			suggest_init(&sg, name);
			suggest_try_list(&sg, list.data, ", ");
			diag_err(&j->diags, file, line, "unknown template \"%s\"%s%s%s%s",
			    name, list.len ? " (there are: " : "; no templates found in ",
			    list.len ? list.data : tdir, list.len ? ")" : "",
			    suggest_text(&sg, NULL, NULL, mean, sizeof(mean)));
		}
		buf_free(&list);
	}
	return -1;
}

static void
default_output(sc_job *j)
{
	size_t n = strlen(j->definition);
	char *o;

	if (j->output != NULL)
		return;
	o = malloc(n + 12);
	if (o == NULL) {
		diag_oom(&j->diags, j->definition, 0, "out of memory choosing "
		    "the output file's name");
		return;
	}
	memcpy(o, j->definition, n + 1);
	if (n > 4 && strcmp(o + n - 4, ".xml") == 0)
		o[n - 4] = '\0';
	/* Never the public pack's name for the exempt items. */
	strcat(o, j->part != NULL && strcmp(j->part, "b") == 0 ?
	    "-part-b.pdf" : ".pdf");
	j->output = o;
}

static const char *
joined_meta(struct arena *a, const struct doc *doc, const char *key,
    int *oom)
{
	struct buf b;
	size_t i;
	const char *r;

	buf_init(&b);
	for (i = 0; i < doc->nmeta; i++)
		if (strcmp(doc->meta[i].key, key) == 0)
			buf_printf(&b, "%s%s", b.len ? "; " : "",
			    doc->meta[i].value);
	r = b.len && !b.oom ? arena_strdup(a, b.data) : NULL;
	*oom = b.oom || (b.len && r == NULL);
	buf_free(&b);
	return r;
}


void
job_font_dirs(const sc_job *j, const char *def_dir, char *a, char *b,
    size_t n, const char *dirs[2])
{
	char dd[PATH_MAX];

	job_data_dir(j, dd, sizeof(dd));
	snprintf(a, n, "%s/fonts", def_dir);
	snprintf(b, n, "%s/fonts", dd);
	dirs[0] = is_dir(a) ? a : NULL;
	dirs[1] = is_dir(b) ? b : NULL;
}

/* Loads definition and template and binds the data: STAGE_LOADED. */
int
job_load(sc_job *j)
{
	struct doc *doc;
	char tpath[PATH_MAX + 64];
	int ok, rc;
	long long t0 = clock_ns();

	job_reset(j);
	if (j->ndefines > 0)
		memset(j->define_used, 0, j->ndefines);
	if (job_cancelled(j))
		return job_status(j, SC_EINTERNAL);
	path_inputs_free(&j->inputs);
	path_inputs_free(&j->missing);	/* and what it did not find */
	if (path_inputs_add(&j->inputs, j->definition, "definition") != 0)
		diag_oom(&j->diags, j->definition, 0, "out of memory reading the "
		    "definition");
	doc = def_load(j->definition, j->defines, j->ndefines, &j->diags, &ok);
	if (doc == NULL)
		return job_status(j, j->diags.errors ? SC_EINPUT : SC_EINTERNAL);
	j->doc = doc;
	job_mark_defines(j, doc);
	if (job_template_path(j, doc->template_name, doc->file,
	    doc->template_line, doc->dir, &doc->arena, tpath, sizeof(tpath)) != 0)
		return job_status(j, SC_EINPUT);
	if (path_inputs_add(&j->inputs, tpath, "template") != 0)
		diag_oom(&j->diags, tpath, 0, "out of memory reading the "
		    "template");
	rc = tpl_load(&j->t, tpath, &doc->arena, &j->diags);
	if (rc != 0 || !ok)
		return job_status(j, SC_EINPUT);
	time_note(j, "reading the definition and template", t0);
	{
		struct bind_opts bo = { { doc->dir,
			(const char *const *)j->allow, j->nallow, NULL },
			&j->inputs, j->strict, &j->ctx->cancel, j->timings };
		/* a cancel stops a large CSV's load part way (csv.c) */
		if (data_bind(doc, &j->t, &bo, &j->diags) != 0)
			return job_status(j, job_cancelled(j) ? SC_EINTERNAL :
			    SC_EINPUT);
	}
	params_check_used(doc, &j->t, &j->diags);
	j->stage = STAGE_LOADED;
	return job_status(j, SC_OK);
}

int
sc_job_is_pack(const sc_job *j)
{
	return pack_sniff(j->definition);
}

/* The stages reach into one report; a pack is built whole. */
static int
not_a_pack(sc_job *j)
{
	if (!pack_sniff(j->definition))
		return 0;
	diag_err(&j->diags, j->definition, 0, "this is a <pack>: the stages "
	    "are for one report; build a pack with sc_build() (scrutineer "
	    "pack)");
	return 1;
}

static int
load_job(sc_job *j)
{
	diags_clear(&j->diags);
	j->pages = 0;
	if (not_a_pack(j))
		return SC_EUSAGE;
	return job_load(j);
}

static int
check_job(sc_job *j)
{
	int rc;

	diags_clear(&j->diags);
	if (pack_sniff(j->definition))
		return job_status(j, pack_check(j));
	rc = job_load(j);
	job_reset(j);
	return job_status(j, rc);
}


/* Lays out a loaded job: STAGE_LAID_OUT, j->dl and its fonts ready for a
 * backend, or its pages handed to sink as they are made (lay_sink; then
 * they may be gone). fs is a pack's fontset shared by its reports, or
 * NULL. */
static int
job_layout_to(sc_job *j, struct fontset *fs, const struct lay_sink *sink)
{
	struct doc *doc = j->doc;
	struct dl_doc *dl = &j->dl;
	char a[PATH_MAX + 8], b[PATH_MAX + 8];
	const char *dirs[2];
	int rc, oom, i;

	if (j->stage != STAGE_LOADED)
		return job_status(j, SC_EUSAGE);
	if (job_cancelled(j))
		return job_status(j, SC_EINTERNAL);
	if (fs != NULL)
		j->fsp = fs;
	else {
		job_font_dirs(j, doc->dir, a, b, sizeof(a), dirs);
		if (fontset_init(&j->fs, dirs, 2) != 0) {
			diag_err(&j->diags, NULL, 0, "fontconfig cannot start");
			return SC_EINTERNAL;
		}
	}
	dl_init(dl, &doc->arena);
	dl->source_date = j->ctx->source_date;
	dl->pdfa_part = j->pdfa_part;
	dl->pdfa_conformance = j->pdfa_conformance;
	dl->pdfua = j->pdfua;
	dl->title = doc_meta(doc, "title");
	dl->author = joined_meta(&doc->arena, doc, "report-of", &oom);
	if (oom) {
		diag_oom(&j->diags, doc->file, 0, "out of memory writing the "
		    "PDF's author");
		return SC_EINTERNAL;
	}
	if (dl->author == NULL)
		dl->author = doc_meta(doc, "organisation");
	dl->subject = doc_meta(doc, "committee");
	dl->lang = j->t.lang && doc->lang == NULL ? j->t.lang : doc->lang;
	if ((rc = lay_document_to(doc, &j->t, j->fsp, dl, sink, &j->diags))
	    != 0)
		return job_status(j, rc == -2 ? SC_EINTERNAL : SC_EINPUT);
	for (i = 0; i < j->fsp->n; i++)
		if (path_inputs_add(&j->inputs, j->fsp->font[i]->path,
		    "font file") != 0) {
			diag_oom(&j->diags, NULL, 0, "out of memory reading the "
			    "fonts");
			return SC_EINTERNAL;
		}
	j->pages = (int)dl->npages;
	j->stage = STAGE_LAID_OUT;
	return job_status(j, SC_OK);
}

int
job_layout(sc_job *j, struct fontset *fs)
{
	return job_layout_to(j, fs, NULL);
}

static int
layout_job(sc_job *j)
{
	int rc;

	diags_clear(&j->diags);
	if (j->stage == STAGE_NONE && not_a_pack(j))
		return SC_EUSAGE;
	if (j->stage == STAGE_NONE && (rc = job_load(j)) != SC_OK)
		return rc;
	return job_layout(j, NULL);
}

/* Page previews: DIR/page-001.png … */
int
job_previews(sc_job *j, struct dl_doc *dl, struct fontset *fs)
{
	struct backend_out o = { j->preview, j->preview, 0, j->dpi, NULL, NULL,
		&j->inputs };
	int rc = backend_write(&backend_png, dl, fs, &o, &j->diags);

	return rc == 0 ? SC_OK : rc == -2 ? SC_EUSAGE : SC_EINTERNAL;
}

/*
 * A build that keeps no pages (no --dump, --preview or HTML edition,
 * which draw them again) is laid out straight into the PDF: each page is
 * written, and its ops freed, as soon as it is made, so the document's
 * ops are never all held twice (bench/RESULTS.md, 2026-12-03 "Pages
 * streamed"). The PDF is the layout's sink (lay_sink).
 */
struct pdf_fill {
	sc_job                   *j;
	const struct backend_out *o;
	void                     *st;   /* the PDF once begun */
	int                       failed; /* the PDF failed (or was stopped) */
	int                       rc;   /* a streamed build's status */
};

static int
stream_begin(void *arg, struct dl_doc *d)
{
	struct pdf_fill *f = arg;

	f->st = backend_pdf.begin(d, f->j->fsp, f->o, &f->j->diags);
	f->failed = f->st == NULL;
	return -f->failed;
}

static int
stream_page(void *arg, struct dl_doc *d, size_t p)
{
	struct pdf_fill *f = arg;

	(void)d;
	f->failed = job_cancelled(f->j) || backend_pdf.page(f->st, p) != 0;
	return -f->failed;
}

/* The output may not be a font file the layout loaded: output_write()
 * could check it only against the inputs known before. */
static int
output_not_font(sc_job *j, struct diags *diags)
{
	if (strcmp(j->output, "-") == 0)
		return path_check_output_fd(&j->inputs, STDOUT_FILENO,
		    "standard output", diags);
	return path_check_output(&j->inputs, j->output, diags);
}

static int
stream_pdf(struct pdf_fill *f, struct diags *diags)
{
	/* Nothing reads the document after a streamed build (build_job()
	 * streams only without an HTML edition, previews or a dump). */
	struct lay_sink sink = { stream_begin, stream_page, f, 1 };
	int rc = job_layout_to(f->j, NULL, &sink), ok;

	/* The PDF's own failure (said) is not the definition's. */
	if (f->failed)
		rc = SC_EINTERNAL;
	if (rc == SC_OK && output_not_font(f->j, diags) != 0)
		rc = SC_EUSAGE;
	ok = rc == SC_OK && !job_cancelled(f->j);
	if (f->st != NULL && backend_pdf.end(f->st, ok) != 0 && ok) {
		rc = SC_EINTERNAL;
		ok = 0;
	}
	f->rc = ok ? SC_OK : rc != SC_OK ? rc : SC_EINTERNAL;
	return ok ? 0 : -1;
}

static int
fill_pdf(const char *tmp, const char *name, void *arg, struct diags *diags)
{
	struct pdf_fill *f = arg;
	sc_job *j = f->j;
	/* Previews and the HTML edition's charts draw the pages again;
	 * otherwise they can go as written. */
	struct backend_out o = { tmp, name, j->preview == NULL &&
		j->html == NULL, 0, NULL, NULL, &j->inputs };

	if (job_cancelled(j))
		return -1;
	f->o = &o;
	if (j->stage == STAGE_LOADED)
		return stream_pdf(f, diags);
	if (backend_write(&backend_pdf, &j->dl, j->fsp, &o, diags) != 0)
		return -1;
	/* Last before the rename: an interrupted batch replaces nothing. */
	return job_cancelled(j) ? -1 : 0;
}

/* Writes the PDF of a laid-out job, or lays a loaded one out into it. */
static int
write_pdf(sc_job *j)
{
	struct pdf_fill f = { j, NULL, NULL, 0, SC_OK };
	int rc = output_write(j->output, &j->inputs, j->temp, fill_pdf, &f,
	    &j->diags);

	/* A streamed layout's failure is what the stage's would be. */
	return rc != SC_OK && f.rc != SC_OK ? f.rc : rc;
}

/* Keeps the --dump of the laid-out pages. */
static int
keep_dump(sc_job *j)
{
	struct buf b;

	buf_init(&b);
	dl_dump(&j->dl, &b);
	free(j->dump);
	j->dump = b.data;
	if (b.oom) {
		diag_oom(&j->diags, NULL, 0, "out of memory keeping the --dump");
		return SC_EINTERNAL;
	}
	return SC_OK;
}

/* Checks the output before the work: a device or link fails at once;
 * the build's inputs are known, and checked, only once it is done. */
static int
ready_output(sc_job *j)
{
	default_output(j);
	if (j->output == NULL)
		return SC_EINTERNAL;
	if (strcmp(j->output, "-") != 0 &&
	    path_check_output(NULL, j->output, &j->diags) != 0)
		return SC_EUSAGE;
	if (j->html != NULL && html_check_dir(j->html, &j->diags) != 0)
		return SC_EUSAGE;
	/* Before the PDF: a missing --preview folder replaces nothing. */
	if (j->preview != NULL && path_check_dir(j->preview, "--preview",
	    "the page pictures are written into", &j->diags) != 0)
		return SC_EUSAGE;
	return SC_OK;
}

int
job_html(sc_job *j, const char *dir, const char *name,
    const struct html_page *pg)
{
	struct buf b;
	int rc;

	if (j->stage != STAGE_LAID_OUT)
		return job_status(j, SC_EUSAGE);
	if (job_cancelled(j))
		return SC_EINTERNAL;
	buf_init(&b);
	if (html_report(&b, j->doc, &j->t, &j->dl, j->fsp, pg, &j->diags) != 0)
		rc = SC_EINTERNAL;
	else
		rc = html_write(dir, name, &b, &j->inputs, j->temp, &j->diags);
	buf_free(&b);
	return rc;
}

static int
write_job(sc_job *j)
{
	int rc;

	diags_clear(&j->diags);
	if (j->stage == STAGE_NONE && not_a_pack(j))
		return SC_EUSAGE;
	if ((rc = ready_output(j)) != SC_OK)
		return job_status(j, rc);
	if (j->stage == STAGE_NONE && (rc = job_load(j)) != SC_OK)
		return rc;
	if (j->stage == STAGE_LOADED && (rc = job_layout(j, NULL)) != SC_OK)
		return rc;
	if (j->want_dump && (rc = keep_dump(j)) != SC_OK)
		return job_status(j, rc);
	/* The previews and the HTML edition draw the pages again: the
	 * PDF may not consume them. */
	if ((rc = write_pdf(j)) == SC_OK && j->preview != NULL)
		rc = job_previews(j, &j->dl, j->fsp);
	if (rc == SC_OK && j->html != NULL)
		rc = job_html(j, j->html, "index.html", NULL);
	return rc == SC_OK ? rc : job_status(j, rc);
}

static int
build_job(sc_job *j)
{
	int rc;
	long long t0, t1;

	diags_clear(&j->diags);
	j->pages = 0;
	if ((rc = ready_output(j)) != SC_OK)
		return job_status(j, rc);
	t0 = clock_ns();
	if (pack_sniff(j->definition)) {
		rc = pack_build(j);
		if (rc == SC_OK)
			time_note(j, "the pack in all", t0);
		return rc == SC_OK ? rc : job_status(j, rc);
	}
	rc = job_load(j);
	t1 = clock_ns();
	/* Nothing draws the pages again: they go as they are made. */
	if (rc == SC_OK && !j->want_dump && j->preview == NULL &&
	    j->html == NULL)
		rc = write_pdf(j);
	else if (rc == SC_OK && (rc = job_layout(j, NULL)) == SC_OK &&
	    (!j->want_dump || (rc = keep_dump(j)) == SC_OK) &&
	    (rc = write_pdf(j)) == SC_OK && j->preview != NULL)
		rc = job_previews(j, &j->dl, j->fsp);
	if (rc == SC_OK && j->html != NULL && j->stage == STAGE_LAID_OUT)
		rc = job_html(j, j->html, "index.html", NULL);
	if (rc == SC_OK) {
		time_note(j, "laying out and writing", t1);
		time_note(j, "the build in all", t0);
	}
	job_reset(j);
	return rc == SC_OK ? rc : job_status(j, rc);
}

static int
charts_job(sc_job *j, const char *dir, const char *format)
{
	struct dl_doc *dl = &j->dl;
	enum cr_format f = CR_PNG;
	size_t p, i;
	int rc, k = 0;

	diags_clear(&j->diags);
	if (pack_sniff(j->definition)) {
		diag_err(&j->diags, j->definition, 0, "a pack has no charts of its "
		    "own; run charts on each of its reports");
		return SC_EUSAGE;
	}
	if (format != NULL && strcmp(format, "svg") == 0)
		f = CR_SVG;
	else if (format != NULL && strcmp(format, "png") != 0) {
		diag_err(&j->diags, NULL, 0, "--format %s: write png or svg",
		    format);
		return SC_EUSAGE;
	}
	if (!is_dir(dir)) {
		diag_err(&j->diags, NULL, 0, "%s: no such folder; create it first",
		    dir);
		return SC_EUSAGE;
	}
	if ((rc = job_load(j)) == SC_OK)
		rc = job_layout(j, NULL);
	/* Each drawing of the definition (a chart, key-figure tiles, a risk
	 * matrix: a Figure mark of level 1 that is not a plain image) is a
	 * file, named as layout named it, else by its place in order. */
	for (p = 0; rc == SC_OK && p < dl->npages; p++)
		for (i = 0; i < dl->pages[p].n && rc == SC_OK; i++) {
			const struct dl_op *o = &dl->pages[p].ops[i];
			char path[PATH_MAX + 64];
			double box[4];
			size_t e;
			if (o->kind != DL_BEGIN || o->st != ST_FIGURE || o->level != 1)
				continue;
			e = dl_figure_box(&dl->pages[p], i, box, 0);
			if (e == 0)
				continue;
			k++;
			if (o->anchor != NULL)
				snprintf(path, sizeof(path), "%s/%s.%s", dir, o->anchor,
				    f == CR_SVG ? "svg" : "png");
			else
				snprintf(path, sizeof(path), "%s/chart-%d.%s", dir, k,
				    f == CR_SVG ? "svg" : "png");
			/* A little white round the drawing. */
			if (path_check_output(&j->inputs, path, &j->diags) != 0)
				rc = SC_EUSAGE;
			else if (cr_render(&dl->pages[p], i, e, box[0] - 6,
			    box[1] - 6, box[2] + 12, box[3] + 12, j->fsp, path, f,
			    j->dpi, &j->diags) != 0)
				rc = SC_EINTERNAL;
			else
				j->charts++;
		}
	job_reset(j);
	return rc == SC_OK ? rc : job_status(j, rc);
}

/* The HTML edition alone: no PDF is written. */
static int
html_job(sc_job *j, const char *dir)
{
	int rc;

	diags_clear(&j->diags);
	j->pages = 0;
	if (html_check_dir(dir, &j->diags) != 0)
		return job_status(j, SC_EUSAGE);
	if (pack_sniff(j->definition)) {
		rc = pack_html(j, dir);
		return rc == SC_OK ? rc : job_status(j, rc);
	}
	if ((rc = job_load(j)) == SC_OK && (rc = job_layout(j, NULL)) == SC_OK)
		rc = job_html(j, dir, "index.html", NULL);
	job_reset(j);
	return rc == SC_OK ? rc : job_status(j, rc);
}

int
sc_job_charts(const sc_job *j)
{
	return j->charts;
}

int
sc_job_set_preview(sc_job *j, const char *dir, double dpi)
{
	j->dpi = dpi > 0 ? dpi : 96;
	return set(&j->preview, dir);
}

int
sc_job_set_dpi(sc_job *j, double dpi)
{
	j->dpi = dpi > 0 ? dpi : 96;
	return SC_OK;
}

/*
 * Every entry point that reads or writes numbers runs in the C locale
 * (lib_enter(), per thread), whatever the host program set: a PDF
 * written under a comma-decimal locale would be broken.
 */
#define IN_C_LOCALE(call) do {			\
	locale_t old_ = lib_enter();		\
	int rc_ = (call);			\
	lib_leave(old_);			\
	return rc_;				\
} while (0)

int
sc_check(sc_job *j)
{
	IN_C_LOCALE(check_job(j));
}

int
sc_build(sc_job *j)
{
	IN_C_LOCALE(build_job(j));
}

int
sc_charts(sc_job *j, const char *dir, const char *format)
{
	IN_C_LOCALE(charts_job(j, dir, format));
}

int
sc_html(sc_job *j, const char *dir)
{
	IN_C_LOCALE(html_job(j, dir));
}

int
sc_job_load(sc_job *j)
{
	IN_C_LOCALE(load_job(j));
}

int
sc_job_layout(sc_job *j)
{
	IN_C_LOCALE(layout_job(j));
}

int
sc_job_write(sc_job *j)
{
	IN_C_LOCALE(write_job(j));
}
