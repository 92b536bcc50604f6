/*
 * api.c — the public library API (include/scrutineer.h): a job wires the
 * stages together: definition → template → layout → PDF, and writes the
 * PDF to a temporary file renamed into place only when complete.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>

#include "scrutineer.h"
#include "definition/definition.h"
#include "data/bind.h"
#include "definition/template.h"
#include "layout/font.h"
#include "layout/layout.h"
#include "render/displaylist.h"
#include "render/cairo.h"
#include "render/pdf.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/path.h"

#ifndef SC_DATADIR
#define SC_DATADIR "/usr/local/share/scrutineer"
#endif

struct sc_job {
	char             *definition;
	char             *output;
	char             *template_override;
	char             *data_dir;
	struct def_define *defines;
	size_t            ndefines;
	struct diags      diags;
	int               pages;
	char            **allow;      /* --allow-path folders */
	int               nallow;
	int               want_dump;
	char             *dump;
	char             *preview;     /* --preview folder */
	double            dpi;
	int               charts;      /* charts written by sc_charts() */
	struct path_inputs inputs;     /* the files the last build read */
	/* Fixed storage: read by signal handlers while a build runs. */
	volatile char     temp[PATH_MAX + 32];
};

static char *
xstrdup(const char *s)
{
	return s ? strdup(s) : NULL;
}

sc_job *
sc_job_new(const char *definition)
{
	sc_job *j = calloc(1, sizeof(*j));

	if (j == NULL)
		return NULL;
	diags_init(&j->diags);
	path_inputs_init(&j->inputs);
	j->dpi = 96;
	if ((j->definition = xstrdup(definition)) == NULL) {
		free(j);
		return NULL;
	}
	return j;
}

void
sc_job_free(sc_job *j)
{
	size_t i;

	if (j == NULL)
		return;
	for (i = 0; i < j->ndefines; i++) {
		free((char *)j->defines[i].name);
		free((char *)j->defines[i].value);
	}
	free(j->defines);
	for (i = 0; i < (size_t)j->nallow; i++)
		free(j->allow[i]);
	free(j->allow);
	free(j->definition);
	free(j->output);
	free(j->template_override);
	free(j->data_dir);
	free(j->dump);
	free(j->preview);
	diags_clear(&j->diags);
	path_inputs_free(&j->inputs);
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

int
sc_job_define(sc_job *j, const char *name, const char *value)
{
	struct def_define *v = realloc(j->defines,
	    (j->ndefines + 1) * sizeof(*v));

	if (v == NULL)
		return SC_EINTERNAL;
	j->defines = v;
	v[j->ndefines].name = xstrdup(name);
	v[j->ndefines].value = xstrdup(value);
	if (v[j->ndefines].name == NULL || v[j->ndefines].value == NULL) {
		free((char *)v[j->ndefines].name);
		free((char *)v[j->ndefines].value);
		return SC_EINTERNAL;
	}
	j->ndefines++;
	return SC_OK;
}

int
sc_job_allow_path(sc_job *j, const char *dir)
{
	char **v = realloc(j->allow, (size_t)(j->nallow + 1) * sizeof(*v));

	if (v == NULL)
		return SC_EINTERNAL;
	j->allow = v;
	if ((v[j->nallow] = xstrdup(dir)) == NULL)
		return SC_EINTERNAL;
	j->nallow++;
	return SC_OK;
}

int
sc_job_set_dump(sc_job *j, int on)
{
	j->want_dump = on;
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
static int
status(sc_job *j, int rc)
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
static void
data_dir(const sc_job *j, char *out, size_t n)
{
	char exe[PATH_MAX - 32], probe[PATH_MAX + 32];
	ssize_t len;

	if (j->data_dir != NULL) {
		snprintf(out, n, "%s", j->data_dir);
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

/* Finds the template file; reports and returns -1 when there is none. */
static int
template_path(sc_job *j, struct doc *doc, char *out, size_t n)
{
	const char *name = j->template_override ? j->template_override :
	    doc->template_name ? doc->template_name : "default";
	const char *file = j->template_override ? NULL : doc->file;
	int line = j->template_override ? 0 : doc->template_line;
	char dd[PATH_MAX];
	size_t len = strlen(name);

	data_dir(j, dd, sizeof(dd));
	if (strchr(name, '/') != NULL || (len > 4 &&
	    strcmp(name + len - 4, ".xml") == 0)) {
		char tdir[PATH_MAX + 16];
		struct path_policy p = { doc->dir, (const char *const *)j->allow,
			j->nallow, tdir };
		const char *r;
		/* Only -t, typed by whoever runs the build, may name any file;
		 * a definition's template obeys the policy its data does. */
		if (j->template_override) {
			snprintf(out, n, "%s", name);
			if (access(out, R_OK) != 0) {
				diag_err(&j->diags, file, line, "template file \"%s\" "
				    "cannot be read: %s", out, strerror(errno));
				return -1;
			}
			return 0;
		}
		snprintf(tdir, sizeof(tdir), "%s/templates", dd);
		if ((r = path_resolve(&p, name, "template file", "keep the "
		    "template beside the report, name an installed one "
		    "(template=\"default\"), or allow the folder with "
		    "--allow-path", &doc->arena, &j->diags, file, line)) == NULL)
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
		DIR *dir;
		buf_init(&list);
		snprintf(tdir, sizeof(tdir), "%s/templates", dd);
		if ((dir = opendir(tdir)) != NULL) {
			char *names[64];
			int k = 0, i;
			while ((e = readdir(dir)) != NULL && k < 64) {
				size_t l = strlen(e->d_name);
				if (l > 4 && e->d_name[0] != '.' &&
				    strcmp(e->d_name + l - 4, ".xml") == 0 &&
				    (names[k] = strndup(e->d_name, l - 4)) != NULL)
					k++;
			}
			closedir(dir);
			/* Sorted, so the message is the same everywhere. */
			qsort(names, (size_t)k, sizeof(names[0]), cmp_str);
			for (i = 0; i < k; i++) {
				buf_printf(&list, "%s%s", list.len ? ", " : "",
				    names[i]);
				free(names[i]);
			}
		}
		diag_err(&j->diags, file, line, "unknown template \"%s\"%s%s%s",
		    name, list.len ? " (there are: " : "; no templates found in ",
		    list.len ? list.data : tdir, list.len ? ")" : "");
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
	o = malloc(n + 5);
	if (o == NULL) {
		diag_oom(&j->diags, j->definition, 0, "out of memory choosing "
		    "the output file's name");
		return;
	}
	memcpy(o, j->definition, n + 1);
	if (n > 4 && strcmp(o + n - 4, ".xml") == 0)
		o[n - 4] = '\0';
	strcat(o, ".pdf");
	j->output = o;
}

/* Loads definition and template; 0 when both are valid. */
static int
load(sc_job *j, struct doc **docp, struct template *t)
{
	struct doc *doc;
	char tpath[PATH_MAX + 64];
	int ok, rc;

	*docp = NULL;
	path_inputs_free(&j->inputs);
	if (path_inputs_add(&j->inputs, j->definition, "definition") != 0)
		diag_oom(&j->diags, j->definition, 0, "out of memory reading the "
		    "definition");
	doc = def_load(j->definition, j->defines, j->ndefines, &j->diags, &ok);
	if (doc == NULL)
		return status(j, j->diags.errors ? SC_EINPUT : SC_EINTERNAL);
	*docp = doc;
	if (template_path(j, doc, tpath, sizeof(tpath)) != 0)
		return status(j, SC_EINPUT);
	if (path_inputs_add(&j->inputs, tpath, "template") != 0)
		diag_oom(&j->diags, tpath, 0, "out of memory reading the "
		    "template");
	rc = tpl_load(t, tpath, &doc->arena, &j->diags);
	if (rc != 0 || !ok)
		return status(j, SC_EINPUT);
	{
		struct bind_opts bo = { { doc->dir,
			(const char *const *)j->allow, j->nallow, NULL },
			&j->inputs };
		if (data_bind(doc, t, &bo, &j->diags) != 0)
			return status(j, SC_EINPUT);
	}
	return status(j, SC_OK);
}

int
sc_check(sc_job *j)
{
	struct doc *doc;
	struct template t;
	int rc;

	diags_clear(&j->diags);
	rc = load(j, &doc, &t);
	doc_free(doc);
	return status(j, rc);
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

/*
 * mkstemp(), but with the name in j->temp before the file exists, so that
 * a signal handler that unlinks sc_job_temp() can never miss the file (it
 * could between mkstemp() creating it and the name being recorded). tmp
 * ends in XXXXXX and gets the name too.
 */
static int
make_temp(sc_job *j, char *tmp, mode_t mode)
{
	static const char set[] =
	    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	static unsigned long count;
	size_t n = strlen(tmp), i;
	unsigned long long x = (unsigned long long)getpid() << 32 ^
	    (unsigned long long)time(NULL) ^ (uintptr_t)j;
	int tries, fd = -1;

	for (tries = 0; tries < 100 && fd < 0; tries++) {
		x ^= ++count * 0x9E3779B97F4A7C15ULL;
		for (i = 0; i < 6; i++) {
			x = x * 6364136223846793005ULL + 1442695040888963407ULL;
			tmp[n - 6 + i] = set[(x >> 33) % (sizeof(set) - 1)];
		}
		/* the first byte last: a handler sees "" or the whole name */
		j->temp[0] = '\0';
		for (i = 1; i <= n; i++)
			j->temp[i] = tmp[i];
		j->temp[0] = tmp[0];
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
		if (fd < 0 && errno != EEXIST)
			break;
	}
	if (fd < 0) {
		int e = errno;
		j->temp[0] = '\0';
		errno = e;
	}
	return fd;
}

/*
 * The temporary name beside out: ".NAME.XXXXXX", with NAME cut (at a
 * UTF-8 boundary) so that the whole stays within NAME_MAX: a 250-byte
 * file name could not be written when the 8 bytes added overflowed it.
 */
static void
temp_name(char *tmp, size_t n, const char *out)
{
	const char *slash = strrchr(out, '/'), *base = slash ? slash + 1 : out;
	size_t len = strlen(base);

	if (len > NAME_MAX - 8) {
		len = NAME_MAX - 8;
		while (len > 0 && ((unsigned char)base[len] & 0xC0) == 0x80)
			len--;
	}
	if (slash != NULL)
		snprintf(tmp, n, "%.*s/.%.*s.XXXXXX", (int)(slash - out), out,
		    (int)len, base);
	else
		snprintf(tmp, n, ".%.*s.XXXXXX", (int)len, base);
}

/* Removes the temporary file after a failure; rc passes through. */
static int
drop_temp(sc_job *j, const char *tmp, int rc)
{
	unlink(tmp);
	j->temp[0] = '\0';
	return rc;
}

/* Copies the finished PDF in tmp to standard output, and removes it. */
static int
copy_out(sc_job *j, const char *tmp)
{
	char b[65536];
	ssize_t r = 0, w;
	int fd = open(tmp, O_RDONLY | O_CLOEXEC), rc = SC_OK;

	/* Gone before the copy: a build killed by SIGPIPE leaves nothing. */
	drop_temp(j, tmp, 0);
	if (fd < 0) {
		diag_err(&j->diags, NULL, 0, "standard output: cannot copy the "
		    "PDF: %s", strerror(errno));
		return SC_EINTERNAL;
	}
	while (rc == SC_OK && ((r = read(fd, b, sizeof(b))) > 0 ||
	    (r < 0 && errno == EINTR))) {
		size_t off = 0;
		while (rc == SC_OK && r > 0 && off < (size_t)r) {
			if ((w = write(STDOUT_FILENO, b + off, (size_t)r - off)) > 0)
				off += (size_t)w;
			else if (w < 0 && errno != EINTR)
				rc = SC_EINTERNAL;
		}
	}
	if (rc != SC_OK || r < 0)
		diag_err(&j->diags, NULL, 0, "standard output: cannot write the "
		    "PDF: %s", strerror(errno));
	close(fd);
	return rc != SC_OK || r < 0 ? SC_EINTERNAL : SC_OK;
}

/*
 * Writes the PDF beside the target and renames it into place; "-" is
 * standard output, written only once the PDF is whole (it is made in a
 * temporary file first), so that a failed build writes nothing there.
 * The new file keeps the mode of the one it replaces; a new one gets
 * 0666 less the umask, as any program's would.
 */
static int
write_pdf(sc_job *j, struct dl_doc *dl, struct fontset *fs)
{
	char tmp[PATH_MAX + 32];
	int to_stdout = strcmp(j->output, "-") == 0, keep = 0, fd;
	const char *name = to_stdout ? "standard output" : j->output;
	struct stat st;

	if (to_stdout) {
		if (path_check_output_fd(&j->inputs, STDOUT_FILENO, name,
		    &j->diags) != 0)
			return SC_EUSAGE;
		snprintf(tmp, sizeof(tmp), "%s/.scrutineer.XXXXXX", P_tmpdir);
	} else {
		if (path_check_output(&j->inputs, j->output, &j->diags) != 0)
			return SC_EUSAGE;
		keep = stat(j->output, &st) == 0;
		temp_name(tmp, sizeof(tmp), j->output);
	}
	/* 0600 while a mode to keep is not yet set; else the umask's. */
	if ((fd = make_temp(j, tmp, keep ? 0600 : 0666)) < 0) {
		diag_err(&j->diags, NULL, 0, "%s: cannot create a file in that "
		    "folder: %s", to_stdout ? tmp : j->output, strerror(errno));
		return SC_EINTERNAL;
	}
	close(fd);
	/* Previews draw the pages again; otherwise they can go as written. */
	if (pdf_write(dl, fs, tmp, name, j->preview == NULL, &j->diags) != 0)
		return drop_temp(j, tmp, SC_EINTERNAL);
	if ((fd = open(tmp, O_RDONLY)) >= 0) {
		int bad = fsync(fd) != 0;
		close(fd);
		if (bad) {
			diag_err(&j->diags, NULL, 0, "%s: cannot write: %s", name,
			    strerror(errno));
			return drop_temp(j, tmp, SC_EINTERNAL);
		}
	}
	/* A message lost for want of memory fails the build too, and it
	 * must fail before the PDF takes the old one's place. */
	if (j->diags.oom)
		return drop_temp(j, tmp, SC_EINTERNAL);
	if (to_stdout)
		return copy_out(j, tmp);
	/* Permissions only: a set-user-ID bit is not a PDF's to inherit. */
	if (keep)
		chmod(tmp, st.st_mode & 0777);
	if (rename(tmp, j->output) != 0) {
		diag_err(&j->diags, NULL, 0, "%s: cannot replace: %s", j->output,
		    strerror(errno));
		return drop_temp(j, tmp, SC_EINTERNAL);
	}
	j->temp[0] = '\0';
	return SC_OK;
}

/* Loads, binds and lays out; fs and dl are ready for a backend. */
static int
lay_out(sc_job *j, struct doc **docp, struct template *t,
    struct fontset *fs, struct dl_doc *dl)
{
	struct doc *doc;
	char dd[PATH_MAX], fontdir[PATH_MAX + 8], localfonts[PATH_MAX + 8];
	const char *dirs[2];
	int rc, oom, i;

	rc = load(j, docp, t);
	doc = *docp;
	if (rc != SC_OK)
		return rc;
	data_dir(j, dd, sizeof(dd));
	snprintf(localfonts, sizeof(localfonts), "%s/fonts", doc->dir);
	snprintf(fontdir, sizeof(fontdir), "%s/fonts", dd);
	dirs[0] = is_dir(localfonts) ? localfonts : NULL;
	dirs[1] = is_dir(fontdir) ? fontdir : NULL;
	if (fontset_init(fs, dirs, 2) != 0) {
		diag_err(&j->diags, NULL, 0, "fontconfig cannot start");
		return SC_EINTERNAL;
	}
	dl_init(dl, &doc->arena);
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
	dl->lang = t->lang && doc->lang == NULL ? t->lang : doc->lang;
	if ((rc = lay_document(doc, t, fs, dl, &j->diags)) != 0)
		return status(j, rc == -2 ? SC_EINTERNAL : SC_EINPUT);
	for (i = 0; i < fs->n; i++)
		if (path_inputs_add(&j->inputs, fs->font[i]->path,
		    "font file") != 0) {
			diag_oom(&j->diags, NULL, 0, "out of memory reading the "
			    "fonts");
			return SC_EINTERNAL;
		}
	j->pages = (int)dl->npages;
	return status(j, SC_OK);
}

/* Page previews: DIR/page-001.png … */
static int
previews(sc_job *j, const struct dl_doc *dl, struct fontset *fs)
{
	size_t p;
	char path[PATH_MAX + 32];

	for (p = 0; p < dl->npages; p++) {
		snprintf(path, sizeof(path), "%s/page-%03zu.png", j->preview,
		    p + 1);
		if (path_check_output(&j->inputs, path, &j->diags) != 0)
			return SC_EUSAGE;
		if (cr_render(&dl->pages[p], 0, dl->pages[p].n, 0, 0,
		    dl->pages[p].width, dl->pages[p].height, fs, path, CR_PNG,
		    j->dpi, &j->diags) != 0)
			return SC_EINTERNAL;
	}
	return SC_OK;
}

int
sc_build(sc_job *j)
{
	struct doc *doc = NULL;
	struct template t;
	struct fontset fs;
	struct dl_doc dl;
	int rc;

	diags_clear(&j->diags);
	j->pages = 0;
	default_output(j);
	if (j->output == NULL)
		return status(j, SC_EINTERNAL);
	/* A device or link as the output fails at once, before the work;
	 * the build's inputs are known, and checked, only once it is done. */
	if (strcmp(j->output, "-") != 0 &&
	    path_check_output(NULL, j->output, &j->diags) != 0)
		return status(j, SC_EUSAGE);
	memset(&fs, 0, sizeof(fs));
	memset(&dl, 0, sizeof(dl));
	rc = lay_out(j, &doc, &t, &fs, &dl);
	if (rc == SC_OK && j->want_dump) {
		struct buf b;
		buf_init(&b);
		dl_dump(&dl, &b);
		free(j->dump);
		j->dump = b.data;
		if (b.oom) {
			diag_oom(&j->diags, NULL, 0, "out of memory keeping the "
			    "--dump");
			rc = SC_EINTERNAL;
		}
	}
	if (rc == SC_OK)
		rc = write_pdf(j, &dl, &fs);
	if (rc == SC_OK && j->preview != NULL)
		rc = previews(j, &dl, &fs);
	dl_free(&dl);
	fontset_free(&fs);
	doc_free(doc);
	return rc == SC_OK ? rc : status(j, rc);
}

int
sc_charts(sc_job *j, const char *dir, const char *format)
{
	struct doc *doc = NULL;
	struct template t;
	struct fontset fs;
	struct dl_doc dl;
	enum cr_format f = CR_PNG;
	size_t p, i;
	int rc, k = 0;

	diags_clear(&j->diags);
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
	memset(&fs, 0, sizeof(fs));
	memset(&dl, 0, sizeof(dl));
	rc = lay_out(j, &doc, &t, &fs, &dl);
	/* Each Figure mark starts a chart; its ops run to the matching end. */
	for (p = 0; rc == SC_OK && p < dl.npages; p++)
		for (i = 0; i < dl.pages[p].n && rc == SC_OK; i++) {
			const struct dl_op *o = &dl.pages[p].ops[i];
			char path[PATH_MAX + 64];
			size_t e = i + 1;
			int depth = 1;
			if (o->kind != DL_BEGIN || o->st != ST_FIGURE)
				continue;
			for (; e < dl.pages[p].n && depth > 0; e++) {
				if (dl.pages[p].ops[e].kind == DL_BEGIN)
					depth++;
				else if (dl.pages[p].ops[e].kind == DL_END)
					depth--;
			}
			k++;
			if (o->anchor != NULL)
				snprintf(path, sizeof(path), "%s/%s.%s", dir, o->anchor,
				    f == CR_SVG ? "svg" : "png");
			else
				snprintf(path, sizeof(path), "%s/figure-%d.%s", dir, k,
				    f == CR_SVG ? "svg" : "png");
			/* A little white round the chart's box. */
			if (path_check_output(&j->inputs, path, &j->diags) != 0)
				rc = SC_EUSAGE;
			else if (cr_render(&dl.pages[p], i, e, o->x - 6, o->y - 6,
			    o->w + 12, o->h + 12, &fs, path, f, j->dpi,
			    &j->diags) != 0)
				rc = SC_EINTERNAL;
			else
				j->charts++;
		}
	dl_free(&dl);
	fontset_free(&fs);
	doc_free(doc);
	return rc == SC_OK ? rc : status(j, rc);
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
