/*
 * plan.c — what a batch builds (plan.h): list files read line by line,
 * folders searched, output names chosen, collisions found, all before
 * anything is built.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "plan.h"
#include "../pack/pack.h"
#include "../util/buf.h"
#include "../util/path.h"
#include "../util/suggest.h"
#include "../util/utf8.h"

void
batch_plan_init(struct batch_plan *p)
{
	memset(p, 0, sizeof(*p));
	diags_init(&p->diags);
}

static void
entry_free(struct batch_entry *e)
{
	size_t i;

	free(e->definition);
	free(e->output);
	free(e->part);
	for (i = 0; i < e->ndefines; i++)
		free(e->defines[i]);
	free(e->defines);
	free(e->list);
	memset(e, 0, sizeof(*e));
}

void
batch_plan_free(struct batch_plan *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		entry_free(&p->v[i]);
	free(p->v);
	diags_clear(&p->diags);
	memset(p, 0, sizeof(*p));
}

const char *
batch_entry_where(const struct batch_entry *e, char *buf, size_t n)
{
	if (e->list != NULL)
		snprintf(buf, n, "%s:%d", e->list, e->line);
	else
		snprintf(buf, n, "%s", e->definition);
	return buf;
}

/* ---- names ------------------------------------------------------------ */

static int
ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), k = strlen(tail);

	return n >= k && strcmp(s + n - k, tail) == 0;
}

/* The folder part of path ("." for none) into out. */
static void
dir_of(const char *path, char *out, size_t n)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		snprintf(out, n, ".");
	else if (slash == path)
		snprintf(out, n, "/");
	else
		snprintf(out, n, "%.*s", (int)(slash - path), path);
}

/* dir/name, or name itself when it is absolute or dir is "."; NULL when
 * it does not fit a path. */
static char *
join(const char *dir, const char *name)
{
	size_t a = strlen(dir), b = strlen(name), sl;
	char *r;

	if (name[0] == '/' || strcmp(dir, ".") == 0)
		return b < PATH_MAX ? strdup(name) : NULL;
	sl = ends_with(dir, "/") ? 0 : 1;
	if (a + sl + b >= PATH_MAX || (r = malloc(a + sl + b + 1)) == NULL)
		return NULL;
	memcpy(r, dir, a);
	r[a] = '/';
	memcpy(r + a + sl, name, b + 1);
	return r;
}

/*
 * path with "." and "dir/.." taken out, in place, when what is left is
 * the same file (a link to a folder makes "link/.." somewhere else):
 * "year-end/../blaby/report.xml" reads as "blaby/report.xml".
 */
static void
tidy(char *path)
{
	char t[PATH_MAX], *seg[PATH_MAX / 2];
	struct stat a, b;
	int n = 0, i, abs = path[0] == '/';
	char *s, *save = NULL;
	size_t len = 0;

	if (strlen(path) >= sizeof(t))
		return;
	snprintf(t, sizeof(t), "%s", path);
	for (s = strtok_r(t, "/", &save); s != NULL;
	    s = strtok_r(NULL, "/", &save)) {
		if (strcmp(s, ".") == 0)
			continue;
		if (strcmp(s, "..") == 0 && n > 0 && strcmp(seg[n - 1], "..") != 0)
			n--;
		else if (strcmp(s, "..") == 0 && abs)
			continue;
		else
			seg[n++] = s;
	}
	{
		char out[PATH_MAX];
		out[0] = '\0';
		if (abs)
			out[len++] = '/', out[len] = '\0';
		for (i = 0; i < n; i++)
			len += (size_t)snprintf(out + len, sizeof(out) - len, "%s%s",
			    i ? "/" : "", seg[i]);
		if (n == 0 && !abs)
			snprintf(out, sizeof(out), ".");
		if (strcmp(out, path) != 0 && stat(out, &a) == 0 &&
		    stat(path, &b) == 0 && a.st_dev == b.st_dev &&
		    a.st_ino == b.st_ino)
			memcpy(path, out, strlen(out) + 1);
	}
}

/* a (its first an bytes) then b into out (cap bytes); -1 too long. */
static int
cat2(char *out, size_t cap, const char *a, size_t an, const char *b)
{
	size_t bn = strlen(b);

	if (an + bn >= cap)
		return -1;
	memcpy(out, a, an);
	memcpy(out + an, b, bn + 1);
	return 0;
}

/* The default output: with an OUTDIR, named after the definition (a
 * folder's report.xml by the folder), else beside it as build does. */
static char *
default_output(const char *def, const char *part, const struct batch_opts *o)
{
	const char *suffix = part != NULL && strcmp(part, "b") == 0 ?
	    "-part-b.pdf" : ".pdf";
	const char *slash = strrchr(def, '/'), *base = slash ? slash + 1 : def;
	char stem[PATH_MAX], real[PATH_MAX], d[PATH_MAX];
	size_t n;

	if (o->outdir == NULL) {
		n = strlen(def) - (ends_with(def, ".xml") ? 4 : 0);
		return cat2(stem, sizeof(stem), def, n, suffix) == 0 ?
		    strdup(stem) : NULL;
	}
	snprintf(stem, sizeof(stem), "%s", base);
	if (ends_with(stem, ".xml"))
		stem[strlen(stem) - 4] = '\0';
	if (strcmp(base, "report.xml") == 0) {
		dir_of(def, d, sizeof(d));
		if (realpath(d, real) != NULL && strcmp(real, "/") != 0)
			snprintf(stem, sizeof(stem), "%s", strrchr(real, '/') + 1);
	}
	if (cat2(d, NAME_MAX + 1, stem, strlen(stem), suffix) != 0)
		return NULL;
	return join(o->outdir, d);
}

/* ---- entries ---------------------------------------------------------- */

static struct batch_entry *
new_entry(struct batch_plan *p, const char *file, int line)
{
	struct batch_entry *e;

	if (p->n == BATCH_MAX_ENTRIES) {
		if (!p->full)
			diag_err(&p->diags, file, line, "more than %d definitions in "
			    "one batch; split it into several", BATCH_MAX_ENTRIES);
		p->full = 1;
		return NULL;
	}
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 64;
		struct batch_entry *v = realloc(p->v, cap * sizeof(*v));
		if (v == NULL) {
			diag_oom(&p->diags, file, line, "out of memory listing the "
			    "batch's definitions");
			return NULL;
		}
		p->v = v;
		p->cap = cap;
	}
	e = &p->v[p->n++];
	memset(e, 0, sizeof(*e));
	return e;
}

/* What kind of definition path is: 1 a report, 2 a pack, 0 neither. */
static int
kind_of(const char *path)
{
	return root_sniff(path, "pack") ? 2 : root_sniff(path, "report") ? 1 :
	    0;
}

/* A definition given as it is, or found in a folder. */
static int
add_definition(struct batch_plan *p, const char *path,
    const struct batch_opts *o)
{
	struct batch_entry *e;
	int k = kind_of(path);

	if (k == 0) {
		diag_err(&p->diags, path, 0, "not a report or pack definition "
		    "(its root element is neither <report> nor <pack>); name "
		    "one");
		return -1;
	}
	if ((e = new_entry(p, path, 0)) == NULL)
		return -1;
	e->pack = k == 2;
	if ((e->definition = strdup(path)) == NULL ||
	    (tidy(e->definition), (e->output = default_output(e->definition,
	    NULL, o)) == NULL)) {
		diag_oom(&p->diags, path, 0, "out of memory (or a name too long) "
		    "choosing the output's name");
		return -1;
	}
	return 0;
}

static int
cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The folder's definitions, in name order, and its folders' below. */
static int
search(struct batch_plan *p, const char *dir, int depth, int *found,
    const struct batch_opts *o)
{
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	struct dirent *de;
	DIR *dh;
	int rc = 0;

	if (depth > BATCH_MAX_DEPTH) {
		diag_warn(&p->diags, dir, 0, "folders nested deeper than %d are "
		    "not searched; name this one itself", BATCH_MAX_DEPTH);
		return 0;
	}
	if ((dh = opendir(dir)) == NULL) {
		diag_err(&p->diags, dir, 0, "cannot search this folder: %s",
		    strerror(errno));
		return -1;
	}
	while ((de = readdir(dh)) != NULL) {
		char *s;
		if (de->d_name[0] == '.')
			continue;
		if (n == cap) {
			char **v = realloc(names, (cap = cap ? cap * 2 : 32) *
			    sizeof(*v));
			if (v == NULL)
				break;
			names = v;
		}
		if ((s = strdup(de->d_name)) == NULL)
			break;
		names[n++] = s;
	}
	if (de != NULL) {
		diag_oom(&p->diags, dir, 0, "out of memory searching the folder");
		rc = -1;
	}
	closedir(dh);
	if (n > 0)
		qsort(names, n, sizeof(*names), cmp_name);
	for (i = 0; i < n; i++) {
		char *path = rc == 0 ? join(dir, names[i]) : NULL;
		struct stat st;
		if (rc == 0 && path == NULL) {
			diag_err(&p->diags, dir, 0, "\"%s\": the path is too long; "
			    "move the folder", names[i]);
			rc = -1;
		}
		/* Folders by lstat: a link to a folder is not followed, so
		 * that a link to a parent cannot loop. */
		if (path != NULL && lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
			rc |= search(p, path, depth + 1, found, o);
		else if (path != NULL && ends_with(path, ".xml") &&
		    path_is_regular(path) && kind_of(path) != 0) {
			rc |= add_definition(p, path, o);
			(*found)++;
		}
		free(path);
		free(names[i]);
	}
	free(names);
	return rc;
}

/* ---- list files ------------------------------------------------------- */

/* One line, cut into words. */
struct words {
	char  *w[64];
	size_t n;
	char   buf[BATCH_MAX_LINE + 1];
};

/* Cuts line (len bytes, no newline) into words; -1 with a message. */
static int
cut(struct words *ws, const char *line, size_t len, struct diags *d,
    const char *file, int ln)
{
	size_t i = 0, k = 0;

	ws->n = 0;
	while (i < len) {
		while (i < len && (line[i] == ' ' || line[i] == '\t'))
			i++;
		if (i == len || line[i] == '#')
			break;
		if (ws->n == sizeof(ws->w) / sizeof(ws->w[0])) {
			diag_err(d, file, ln, "more than %zu words on the line; give "
			    "fewer -D", sizeof(ws->w) / sizeof(ws->w[0]));
			return -1;
		}
		ws->w[ws->n++] = ws->buf + k;
		if (line[i] == '"') {
			for (i++; i < len && line[i] != '"'; i++) {
				if (line[i] == '\\' && i + 1 < len &&
				    (line[i + 1] == '"' || line[i + 1] == '\\'))
					i++;
				ws->buf[k++] = line[i];
			}
			if (i == len) {
				diag_err(d, file, ln, "a quote is not closed; end the "
				    "word with \"");
				return -1;
			}
			i++;
			if (i < len && line[i] != ' ' && line[i] != '\t') {
				diag_err(d, file, ln, "a quoted word runs into the next "
				    "(\"...\"x); put a space after the closing quote");
				return -1;
			}
		} else
			while (i < len && line[i] != ' ' && line[i] != '\t')
				ws->buf[k++] = line[i++];
		ws->buf[k++] = '\0';
	}
	return 0;
}

static int
valid_param(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return 0;
	return n > 0;
}

/* The definition a line names: joined to the list's folder, within the
 * policy, a report or a pack. NULL with a message. */
static char *
line_definition(const char *href, const char *ldir, const char *file,
    int ln, const struct batch_opts *o, struct diags *d, int *kind)
{
	struct path_policy pol = { ldir, o->allow, o->nallow, NULL };
	char *path = join(ldir, href);
	struct stat st;
	int in;

	if (path == NULL) {
		diag_err(d, file, ln, "\"%s\": the path is too long", href);
		return NULL;
	}
	if (stat(path, &st) != 0) {
		int e = errno;
		/* Outside is said before missing: what exists out there is
		 * not the list's to learn. */
		if (path_inside(&pol, path) == 0)
			diag_err(d, file, ln, "\"%s\" is outside the list's folder; "
			    "keep the definitions under it, or allow theirs with "
			    "--allow-path", href);
		else
			diag_err(d, file, ln, "definition \"%s\" cannot be read: %s",
			    path, strerror(e));
		goto bad;
	}
	if ((in = path_inside(&pol, path)) != 1) {
		diag_err(d, file, ln, "\"%s\" is outside the list's folder; keep "
		    "the definitions under it, or allow theirs with --allow-path",
		    href);
		goto bad;
	}
	if (S_ISDIR(st.st_mode)) {
		diag_err(d, file, ln, "\"%s\" is a folder; name the definition in "
		    "it (or give the folder to scrutineer batch itself)", href);
		goto bad;
	}
	if (S_ISREG(st.st_mode) && access(path, R_OK) != 0) {
		diag_err(d, file, ln, "definition \"%s\" cannot be read: %s", path,
		    strerror(errno));
		goto bad;
	}
	if (!S_ISREG(st.st_mode)) {
		diag_err(d, file, ln, "\"%s\" is not a regular file; name a "
		    "definition", href);
		goto bad;
	}
	if ((*kind = kind_of(path)) == 0) {
		diag_err(d, file, ln, "\"%s\" is not a report or pack definition "
		    "(its root element is neither <report> nor <pack>); name one",
		    href);
		goto bad;
	}
	tidy(path);
	return path;
bad:
	free(path);
	return NULL;
}

/* A line's -o: resolved against OUTDIR, else the list's folder, and
 * kept within it. NULL with a message. */
static char *
line_output(const char *href, const char *ldir, const char *file, int ln,
    const struct batch_opts *o, struct diags *d)
{
	const char *base = o->outdir ? o->outdir : ldir;
	struct path_policy pol = { base, NULL, 0, NULL };
	char *path;
	char folder[PATH_MAX];
	int in;

	if (!ends_with(href, ".pdf") || strcmp(strrchr(href, '/') ?
	    strrchr(href, '/') + 1 : href, ".pdf") == 0) {
		diag_err(d, file, ln, "-o \"%s\": name a PDF file, ending in .pdf",
		    href);
		return NULL;
	}
	if ((path = join(base, href)) == NULL) {
		diag_err(d, file, ln, "-o \"%s\": the path is too long", href);
		return NULL;
	}
	in = path_inside(&pol, path);
	if (in != 1) {
		dir_of(path, folder, sizeof(folder));
		if (in < 0)
			diag_err(d, file, ln, "-o \"%s\": the folder \"%s\" does not "
			    "exist; create it first", href, folder);
		else if (o->outdir)
			diag_err(d, file, ln, "-o \"%s\" is outside the output folder "
			    "\"%s\"; write the PDF under it", href, o->outdir);
		else
			diag_err(d, file, ln, "-o \"%s\" is outside the list's folder; "
			    "write the PDF under it (or give the batch -o OUTDIR)",
			    href);
		free(path);
		return NULL;
	}
	tidy(path);
	return path;
}

/* One line's words into an entry. */
static int
add_line(struct batch_plan *p, struct words *ws, const char *file, int ln,
    const char *ldir, const struct batch_opts *o)
{
	const char *def = NULL, *out = NULL, *part = NULL;
	struct diags *d = &p->diags;
	struct batch_entry *e;
	size_t i, nd = 0;
	int kind = 0, bad = 0;

	if (ws->n == 0)
		return 0;
	for (i = 0; i < ws->n; i++) {
		const char *w = ws->w[i];
		if (strcmp(w, "-D") == 0 || strcmp(w, "-o") == 0 ||
		    strcmp(w, "--part") == 0) {
			const char *v = i + 1 < ws->n ? ws->w[++i] : NULL;
			const char *eq;
			if (v == NULL) {
				diag_err(d, file, ln, "%s needs %s after it", w,
				    w[1] == 'D' ? "NAME=VALUE" : w[1] == 'o' ?
				    "the PDF's name" : "a or b");
				return -1;
			}
			if (w[1] == 'D') {
				if ((eq = strchr(v, '=')) == NULL ||
				    !valid_param(v, (size_t)(eq - v))) {
					diag_err(d, file, ln, "-D \"%s\": write NAME=VALUE, "
					    "the name in letters, digits and underscores", v);
					bad = 1;
				}
				nd++;
			} else if ((w[1] == 'o' ? out : part) != NULL) {
				diag_err(d, file, ln, "%s is given twice; give the line "
				    "one", w);
				bad = 1;
			} else if (w[1] == 'o')
				out = v;
			else if (strcmp(v, "a") != 0 && strcmp(v, "b") != 0) {
				diag_err(d, file, ln, "--part \"%s\": write --part a (the "
				    "public pack) or --part b (the exempt items)", v);
				bad = 1;
			} else
				part = v;
		} else if (w[0] == '-' && w[1] != '\0') {
			struct suggest sg;
			char mean[96];
			suggest_init(&sg, w);
			suggest_try_list(&sg, "-D -o --part", " ");
			diag_err(d, file, ln, "unknown option \"%s\"; a line is a "
			    "definition, then -D NAME=VALUE, -o OUT.pdf or --part "
			    "a|b%s", w, suggest_text(&sg, NULL, NULL, mean,
			    sizeof(mean)));
			bad = 1;
		} else if (def != NULL) {
			diag_err(d, file, ln, "a second definition \"%s\" on the line; "
			    "put each definition on a line of its own", w);
			bad = 1;
		} else
			def = w;
	}
	if (def == NULL) {
		diag_err(d, file, ln, "options but no definition; a line starts "
		    "with the definition to build");
		return -1;
	}
	if (bad)
		return -1;
	if ((e = new_entry(p, file, ln)) == NULL)
		return -1;
	if ((e->definition = line_definition(def, ldir, file, ln, o, d,
	    &kind)) == NULL) {
		p->n--;
		return -1;
	}
	e->pack = kind == 2;
	if (part != NULL && !e->pack) {
		diag_err(d, file, ln, "--part is for a <pack>, and \"%s\" is a "
		    "report", def);
		entry_free(e);
		p->n--;
		return -1;
	}
	e->output = out != NULL ? line_output(out, ldir, file, ln, o, d) :
	    default_output(e->definition, part, o);
	if (e->output == NULL) {
		if (out == NULL)
			diag_err(d, file, ln, "\"%s\": the output's name is too long; "
			    "give the line -o", def);
		entry_free(e);
		p->n--;
		return -1;
	}
	e->line = ln;
	if ((e->list = strdup(file)) == NULL ||
	    (part != NULL && (e->part = strdup(part)) == NULL) ||
	    (nd > 0 && (e->defines = calloc(nd, sizeof(*e->defines))) == NULL))
		goto oom;
	for (i = 0; i < ws->n; i++)
		if (strcmp(ws->w[i], "-D") == 0) {
			if ((e->defines[e->ndefines++] = strdup(ws->w[++i])) == NULL)
				goto oom;
		} else if (strcmp(ws->w[i], "-o") == 0 ||
		    strcmp(ws->w[i], "--part") == 0)
			i++;
	return 0;
oom:
	diag_oom(d, file, ln, "out of memory reading the list");
	entry_free(e);
	p->n--;
	return -1;
}

int
batch_plan_list(struct batch_plan *p, const char *name, const char *text,
    size_t len, const struct batch_opts *o)
{
	char ldir[PATH_MAX];
	struct words *ws = malloc(sizeof(*ws));
	size_t at = 0, n0 = p->n;
	int ln = 0, rc = 0;

	if (ws == NULL) {
		diag_oom(&p->diags, name, 0, "out of memory reading the list");
		return -1;
	}
	dir_of(name, ldir, sizeof(ldir));
	while (at < len && !p->full) {
		const char *line = text + at, *nl = memchr(line, '\n', len - at);
		size_t n = nl ? (size_t)(nl - line) : len - at;
		at += n + (nl != NULL);
		ln++;
		if (n > 0 && line[n - 1] == '\r')
			n--;
		if (n > BATCH_MAX_LINE) {
			diag_err(&p->diags, name, ln, "the line is longer than %d "
			    "bytes; shorten it", BATCH_MAX_LINE);
			rc = -1;
		} else if (memchr(line, '\0', n) != NULL) {
			diag_err(&p->diags, name, ln, "a NUL byte; a list is text, one "
			    "definition a line");
			rc = -1;
		} else if (!utf8_valid(line, n)) {
			diag_err(&p->diags, name, ln, "not UTF-8 text; save the list as "
			    "UTF-8");
			rc = -1;
		} else if (cut(ws, line, n, &p->diags, name, ln) != 0 ||
		    add_line(p, ws, name, ln, ldir, o) != 0)
			rc = -1;
		if (p->diags.errors >= DIAG_MAX_ERRORS || p->diags.oom)
			break;
	}
	free(ws);
	if (rc == 0 && p->n == n0) {
		diag_err(&p->diags, name, 0, "the list names no definition; write "
		    "one a line");
		rc = -1;
	}
	return rc;
}

int
batch_plan_add(struct batch_plan *p, const char *arg,
    const struct batch_opts *o)
{
	struct stat st;
	unsigned char *text;
	size_t len;
	int found = 0, rc;

	if (stat(arg, &st) == 0 && S_ISDIR(st.st_mode)) {
		if ((rc = search(p, arg, 0, &found, o)) == 0 && found == 0) {
			diag_err(&p->diags, arg, 0, "no report or pack definitions in "
			    "this folder (report.xml, or *.xml whose root is <report> "
			    "or <pack>)");
			rc = -1;
		}
		return rc;
	}
	if (ends_with(arg, ".xml")) {
		errno = 0;
		if (!path_is_regular(arg) || access(arg, R_OK) != 0) {
			diag_err(&p->diags, NULL, 0, "definition \"%s\" cannot be read: "
			    "%s", arg, errno ? strerror(errno) : "not a regular file");
			return -1;
		}
		return add_definition(p, arg, o);
	}
	if ((text = path_slurp(arg, "list file", BATCH_MAX_LIST, &len,
	    &p->diags, NULL, 0)) == NULL)
		return -1;
	rc = batch_plan_list(p, arg, (const char *)text, len, o);
	free(text);
	return rc;
}

/* ---- collisions -------------------------------------------------------- */

struct key {
	char  *path;  /* the output by its folder's real path */
	size_t i;
};

static int
cmp_key(const void *a, const void *b)
{
	const struct key *x = a, *y = b;
	int c = strcmp(x->path, y->path);

	return c ? c : x->i < y->i ? -1 : x->i > y->i;
}

/* The output's folder, resolved, and its name: one file, one key. */
static char *
output_key(const char *out)
{
	char d[PATH_MAX], real[PATH_MAX];
	const char *slash = strrchr(out, '/');
	struct buf b;

	dir_of(out, d, sizeof(d));
	if (realpath(d, real) == NULL)
		snprintf(real, sizeof(real), "%s", d);
	buf_init(&b);
	buf_printf(&b, "%s/%s", real, slash ? slash + 1 : out);
	if (b.oom) {
		buf_free(&b);
		return NULL;
	}
	return b.data;
}

int
batch_plan_check(struct batch_plan *p)
{
	struct key *k;
	size_t i;
	int rc = 0;

	if (p->n == 0) {
		if (p->diags.errors == 0)
			diag_err(&p->diags, NULL, 0, "nothing to build: name a list "
			    "file, a folder or a definition");
		return -1;
	}
	if ((k = calloc(p->n, sizeof(*k))) == NULL) {
		diag_oom(&p->diags, NULL, 0, "out of memory checking the outputs");
		return -1;
	}
	for (i = 0; i < p->n; i++) {
		k[i].i = i;
		if ((k[i].path = output_key(p->v[i].output)) == NULL) {
			diag_oom(&p->diags, NULL, 0, "out of memory checking the "
			    "outputs");
			rc = -1;
			break;
		}
	}
	if (rc == 0) {
		size_t first = 0;
		qsort(k, p->n, sizeof(*k), cmp_key);
		for (i = 1; i < p->n; i++)
			if (strcmp(k[i].path, k[first].path) != 0)
				first = i;
			else {
				const struct batch_entry *a = &p->v[k[first].i];
				const struct batch_entry *e = &p->v[k[i].i];
				char where[PATH_MAX + 32];
				diag_err(&p->diags, e->list ? e->list : e->definition,
				    e->line, "\"%s\" would write %s, as \"%s\" (%s) does; "
				    "give one of them its own -o in a list", e->definition,
				    e->output, a->definition,
				    batch_entry_where(a, where, sizeof(where)));
				rc = -1;
			}
	}
	for (i = 0; i < p->n; i++)
		free(k[i].path);
	free(k);
	return rc;
}
