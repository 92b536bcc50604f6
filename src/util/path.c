/*
 * path.c — the one path policy: names from a definition, safe opening of
 * every input, and the outputs a build may replace. See path.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "path.h"

struct path_input {
	dev_t       dev;
	ino_t       ino;
	char       *name;
	const char *what;
};

/* What a file that is not a regular file is, for messages. */
static const char *
kind(mode_t m)
{
	if (S_ISDIR(m))
		return "a folder";
	if (S_ISFIFO(m))
		return "a named pipe (FIFO)";
	if (S_ISCHR(m))
		return "a character device";
	if (S_ISBLK(m))
		return "a block device";
	if (S_ISSOCK(m))
		return "a socket";
	if (S_ISLNK(m))
		return "a symbolic link";
	return "not a regular file";
}

/* Is path inside dir (both resolved)? */
static int
inside(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	return strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0'
	    || (n == 1 && dir[0] == '/'));
}

static int
inside_real(const char *real, const char *dir)
{
	char r[PATH_MAX];

	return dir != NULL && realpath(dir, r) != NULL && inside(real, r);
}

/* Does real (resolved) lead into one of the policy's folders? */
static int
allowed(const struct path_policy *p, const char *real)
{
	int i, ok = inside_real(real, p->base) || inside_real(real, p->extra);

	for (i = 0; !ok && p->allow != NULL && i < p->nallow; i++)
		ok = inside_real(real, p->allow[i]);
	return ok;
}

int
path_inside(const struct path_policy *p, const char *path)
{
	char parent[PATH_MAX], real[PATH_MAX], *slash;

	if (realpath(path, real) != NULL)
		return allowed(p, real);
	if (errno != ENOENT)
		return -1;
	snprintf(parent, sizeof(parent), "%s", path);
	if ((slash = strrchr(parent, '/')) == NULL)
		snprintf(parent, sizeof(parent), ".");
	else if (slash == parent)
		parent[1] = '\0';
	else
		*slash = '\0';
	if (realpath(parent, real) == NULL)
		return -1;
	return allowed(p, real);
}

/* A missing file in a folder outside is "outside", not "missing": which
 * files exist out there is not the definition's to learn. */
static int
missing_outside(const struct path_policy *p, const char *joined)
{
	char parent[PATH_MAX], real[PATH_MAX], *slash;

	snprintf(parent, sizeof(parent), "%s", joined);
	if ((slash = strrchr(parent, '/')) == NULL)
		return 0;
	*slash = '\0';
	return realpath(parent[0] ? parent : "/", real) != NULL &&
	    !allowed(p, real);
}

/* Where a missing file would be: inside a folder the policy allows,
 * once the nearest folder on its way that exists is resolved. Only such
 * a file is noted as missing (path_inputs_add_missing()). */
static int
missing_inside(const struct path_policy *p, const char *joined)
{
	char up[PATH_MAX], real[PATH_MAX], *slash;

	snprintf(up, sizeof(up), "%s", joined);
	while ((slash = strrchr(up, '/')) != NULL) {
		*slash = '\0';
		if (realpath(up[0] ? up : "/", real) != NULL)
			return allowed(p, real);
	}
	return 0;
}

const char *
path_resolve(const struct path_policy *p, const char *href,
    const char *what, const char *keep, struct arena *a, struct diags *d,
    const char *file, int line)
{
	char joined[PATH_MAX], real[PATH_MAX];
	const char *r;
	struct stat st;
	int ok;

	if (href[0] == '/')
		snprintf(joined, sizeof(joined), "%s", href);
	else
		snprintf(joined, sizeof(joined), "%s/%s", p->base, href);
	if (realpath(joined, real) == NULL) {
		int e = errno;
		if (missing_outside(p, joined))
			diag_err(d, file, line, "\"%s\" is outside the definition's "
			    "folder; %s", href, keep);
		else
			diag_err(d, file, line, "%s \"%s\" cannot be read: %s",
			    what, joined, strerror(e));
		/* Noted, so that watch mode rebuilds when it appears. */
		if ((e == ENOENT || e == ENOTDIR) && d->missing != NULL &&
		    missing_inside(p, joined) &&
		    path_inputs_add_missing(d->missing, joined, what) != 0)
			diag_oom(d, file, line, "out of memory reading %s \"%s\"",
			    what, href);
		return NULL;
	}
	ok = allowed(p, real);
	if (!ok) {
		/* Say so when the name looks inside but a link leads out. */
		char target[PATH_MAX];
		ssize_t n = readlink(joined, target, sizeof(target) - 1);
		if (n > 0 && href[0] != '/' && strstr(href, "..") == NULL) {
			target[n] = '\0';
			diag_err(d, file, line, "\"%s\" is a link to \"%s\", outside "
			    "the definition's folder; %s", href, target, keep);
		} else
			diag_err(d, file, line, "\"%s\" is outside the definition's "
			    "folder; %s", href, keep);
		return NULL;
	}
	/* Found here, with the line, before anything opens it. */
	if (stat(real, &st) == 0 && !S_ISREG(st.st_mode)) {
		diag_err(d, file, line, "%s \"%s\" is %s, not a file; name a "
		    "regular file", what, href, kind(st.st_mode));
		return NULL;
	}
	if ((r = arena_strdup(a, joined)) == NULL)
		diag_oom(d, file, line, "out of memory reading %s \"%s\"", what,
		    href);
	return r;
}

int
path_open(const char *path, const char *what, struct diags *d,
    const char *file, int line)
{
	struct stat st;
	int fd, fl, e;

	/* O_NONBLOCK: opening a FIFO without a writer would wait for one. */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0 || fstat(fd, &st) != 0) {
		e = errno;
		if (fd >= 0)
			close(fd);
		if (what == NULL)
			diag_err(d, NULL, 0, "%s: cannot open: %s", path,
			    strerror(e));
		else
			diag_err(d, file, line, "%s \"%s\" cannot be read: %s",
			    what, path, strerror(e));
		errno = e;
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		if (what == NULL)
			diag_err(d, NULL, 0, "%s: is %s, not a file; name a regular "
			    "file", path, kind(st.st_mode));
		else
			diag_err(d, file, line, "%s \"%s\" is %s, not a file; name "
			    "a regular file", what, path, kind(st.st_mode));
		errno = EINVAL;
		return -1;
	}
	/* A regular file never blocks, but stdio expects blocking reads. */
	if ((fl = fcntl(fd, F_GETFL)) != -1)
		fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	return fd;
}

FILE *
path_fopen(const char *path, const char *what, struct diags *d,
    const char *file, int line)
{
	int fd = path_open(path, what, d, file, line);
	FILE *f;

	if (fd < 0)
		return NULL;
	if ((f = fdopen(fd, "rb")) == NULL) {
		close(fd);
		diag_oom(d, file, line, "out of memory opening \"%s\"", path);
	}
	return f;
}

unsigned char *
path_slurp(const char *path, const char *what, size_t max, size_t *len,
    struct diags *d, const char *file, int line)
{
	struct stat st;
	unsigned char *data;
	size_t n = 0;
	ssize_t r = 0;
	int fd = path_open(path, what, d, file, line);

	*len = 0;
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) != 0 || st.st_size < 0 || (size_t)st.st_size > max) {
		close(fd);
		diag_err(d, file, line, "%s \"%s\" is larger than %zu MiB; make "
		    "it smaller", what ? what : "file", path, max >> 20);
		return NULL;
	}
	if ((data = malloc((size_t)st.st_size + 1)) == NULL) {
		close(fd);
		diag_oom(d, file, line, "out of memory reading \"%s\"", path);
		return NULL;
	}
	/* Short reads are normal; a file that grew is read to its size. */
	while (n < (size_t)st.st_size &&
	    ((r = read(fd, data + n, (size_t)st.st_size - n)) > 0 ||
	    (r < 0 && errno == EINTR)))
		if (r > 0)
			n += (size_t)r;
	if (r < 0) {
		diag_err(d, file, line, "%s \"%s\" cannot be read: %s",
		    what ? what : "file", path, strerror(errno));
		free(data);
		close(fd);
		return NULL;
	}
	close(fd);
	*len = n;
	return data;
}

int
path_is_regular(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

FILE *
path_create(const char *path)
{
	FILE *f;
	int fd, e;

	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0666);
	if (fd < 0)
		return NULL;
	if ((f = fdopen(fd, "wb")) == NULL) {
		e = errno;
		close(fd);
		unlink(path);
		errno = e;
	}
	return f;
}

void
path_inputs_init(struct path_inputs *in)
{
	memset(in, 0, sizeof(*in));
}

void
path_inputs_free(struct path_inputs *in)
{
	size_t i;

	for (i = 0; i < in->n; i++)
		free(in->v[i].name);
	free(in->v);
	memset(in, 0, sizeof(*in));
}

/* Appends one entry; -1 out of memory. */
static int
inputs_push(struct path_inputs *in, const char *path, dev_t dev, ino_t ino,
    const char *what)
{
	if (in->n == in->cap) {
		size_t cap = in->cap ? in->cap * 2 : 16;
		struct path_input *v = realloc(in->v, cap * sizeof(*v));
		if (v == NULL)
			return -1;
		in->v = v;
		in->cap = cap;
	}
	if ((in->v[in->n].name = strdup(path)) == NULL)
		return -1;
	in->v[in->n].dev = dev;
	in->v[in->n].ino = ino;
	in->v[in->n].what = what;
	in->n++;
	return 0;
}

int
path_inputs_add(struct path_inputs *in, const char *path, const char *what)
{
	struct stat st;
	size_t i;

	if (path == NULL || stat(path, &st) != 0)
		return 0;
	for (i = 0; i < in->n; i++)
		if (in->v[i].dev == st.st_dev && in->v[i].ino == st.st_ino)
			return 0;
	return inputs_push(in, path, st.st_dev, st.st_ino, what);
}

static int
is_input(const struct path_inputs *in, const struct stat *st,
    const char *name, struct diags *d)
{
	size_t i;

	for (i = 0; in != NULL && i < in->n; i++)
		if (in->v[i].dev == st->st_dev && in->v[i].ino == st->st_ino) {
			diag_err(d, NULL, 0, "%s: is the %s \"%s\", which this build "
			    "reads; write the output to another file", name,
			    in->v[i].what, in->v[i].name);
			return 1;
		}
	return 0;
}

int
path_check_output(const struct path_inputs *in, const char *out,
    struct diags *d)
{
	struct stat st;

	/* lstat: rename() replaces a link, not what it names. */
	if (lstat(out, &st) != 0)
		return 0;
	if (!S_ISREG(st.st_mode)) {
		diag_err(d, NULL, 0, "%s: is %s, not a regular file, and would be "
		    "replaced; write to a file (or -o - for standard output)",
		    out, kind(st.st_mode));
		return -1;
	}
	return is_input(in, &st, out, d) ? -1 : 0;
}

int
path_check_output_fd(const struct path_inputs *in, int fd, const char *name,
    struct diags *d)
{
	struct stat st;

	/* A pipe or a terminal is what standard output is for. */
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
		return 0;
	return is_input(in, &st, name, d) ? -1 : 0;
}

int
path_inputs_add_missing(struct path_inputs *in, const char *path,
    const char *what)
{
	size_t i;

	for (i = 0; i < in->n; i++)
		if (strcmp(in->v[i].name, path) == 0)
			return 0;
	return inputs_push(in, path, 0, 0, what);
}

const char *
path_inputs_name(const struct path_inputs *in, size_t i, const char **what)
{
	if (i >= in->n)
		return NULL;
	if (what != NULL)
		*what = in->v[i].what;
	return in->v[i].name;
}

int
path_check_dir(const char *dir, const char *option, const char *what,
    struct diags *d)
{
	struct stat st;

	if (stat(dir, &st) != 0) {
		diag_err(d, NULL, 0, "%s: no such folder; create it first", dir);
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		diag_err(d, NULL, 0, "%s: is not a folder; %s names the folder %s",
		    dir, option, what);
		return -1;
	}
	return 0;
}
