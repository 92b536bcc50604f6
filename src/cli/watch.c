/*
 * watch.c — `build --watch` (watch.h): build, wait on inotify for a
 * change to what the build read, build again.
 *
 * What is watched: every file the last build read (sc_job_input()) and
 * looked for without finding (sc_job_missing(): a CSV a message named as
 * missing is built as soon as it appears), and the definition always. A
 * failed build lists only what it reached, which is enough: a definition
 * that does not parse lists only itself, and nothing else can mend it.
 *
 * How: a watch on each file's folder, never on the file, since editors
 * save by writing a new file and renaming it over the old one (a watch
 * on the old file would then watch nothing). An event counts only when
 * its name is one of those files, so the PDF, its temporary file and an
 * editor's swap and backup files never start a build. A missing file's
 * folder that is missing too is waited for in the nearest folder that
 * exists. The list is read again after every build: the definition may
 * now name other files.
 *
 * When: a burst of saves is one build, once nothing has changed for
 * QUIET_MS — or GONE_MS while a file is gone (deleted or renamed away:
 * vim's backup, `rm` then `cp`), WRITING_MS while one is still open for
 * writing — and at the latest LONGEST_MS after the first change. Events
 * that come during a build bring one more build after it.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "watch.h"

enum {
	/* [ms] Quiet before a build: short, since save to PDF should take
	 * under 100 ms, and far longer than the gaps between the steps of
	 * one save (a rename, a write, a delete follow each other in well
	 * under a millisecond) and between the files a program saves at once;
	 * the two waits below cover the slower steps. */
	QUIET_MS = 10,
	/* [ms] Quiet while a file is gone: its new copy usually follows. */
	GONE_MS = 150,
	/* [ms] Quiet while a changed file is still open for writing (no
	 * IN_CLOSE_WRITE yet): a slow export must not be built half done. */
	WRITING_MS = 1000,
	/* [ms] A build at the latest this long after the first change, for
	 * a file that changes all the time. */
	LONGEST_MS = 2000
};

/* Changes to a folder's entries that may be a save. */
#define WATCH_MASK (IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | \
	IN_CREATE | IN_DELETE | IN_MODIFY | IN_ATTRIB | IN_DELETE_SELF | \
	IN_MOVE_SELF | IN_ONLYDIR | IN_EXCL_UNLINK)

enum entry_kind {
	E_FILE,     /* a file the build read */
	E_MISSING,  /* a file it looked for and did not find */
	E_PATH      /* a folder on the way to a missing one, not made yet */
};

/* One name watched in one folder. */
struct entry {
	int             wd;      /* the folder's watch */
	char           *name;    /* the name in it */
	enum entry_kind kind;
	int             quiet_ms; /* its quiet [ms]: QUIET_MS, GONE_MS
	                           * (gone), WRITING_MS (not yet closed) */
};

struct watch {
	int           fd;        /* inotify */
	struct entry *v;
	size_t        n, cap;
	int           dirty;     /* a change not yet built */
	int           rescan;    /* a watched folder appeared or went */
	long long     first_ms, last_ms; /* the change's first and last event */
	size_t        shown;     /* the file count last printed */
	int           warned;    /* a folder could not be watched */
};

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* "12:03:04", the local time. */
static void
stamp(char *s, size_t n)
{
	time_t t = time(NULL);
	struct tm tm;

	if (localtime_r(&t, &tm) == NULL || strftime(s, n, "%H:%M:%S", &tm) == 0)
		snprintf(s, n, "--:--:--");
}

static void
entries_free(struct entry *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i].name);
	free(v);
}

static struct entry *
find(const struct watch *w, int wd, const char *name)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		if (w->v[i].wd == wd && strcmp(w->v[i].name, name) == 0)
			return &w->v[i];
	return NULL;
}

/* 1 when the table still needs the folder of watch wd. */
static int
watched(const struct watch *w, int wd)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		if (w->v[i].wd == wd)
			return 1;
	return 0;
}

/* Splits path into its folder and its last name (both malloc'd). */
static int
split(const char *path, char **dir, char **base)
{
	const char *slash = strrchr(path, '/');

	*dir = slash == NULL ? strdup(".") : slash == path ? strdup("/") :
	    strndup(path, (size_t)(slash - path));
	*base = strdup(slash == NULL ? path : slash + 1);
	if (*dir == NULL || *base == NULL) {
		free(*dir);
		free(*base);
		return -1;
	}
	return 0;
}

/* 1 when dir/name exists (a folder, with want_dir); with since_ms >= 0,
 * when it was also changed after then ([ms] of CLOCK_REALTIME). */
static int
there(const char *dir, const char *name, int want_dir, long long since_ms)
{
	char p[PATH_MAX];
	struct stat st;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	if (stat(p, &st) != 0 || (want_dir && !S_ISDIR(st.st_mode)))
		return 0;
	return since_ms < 0 || (long long)st.st_mtim.tv_sec * 1000 +
	    st.st_mtim.tv_nsec / 1000000 >= since_ms;
}

/*
 * Watches path's folder for path's name, or, while that folder does not
 * exist, the nearest one on its way that does. old is the table before
 * (n entries): a file new to it that changed since since_ms (during the
 * build that named it, before its folder was watched), or a missing one
 * that is there now, is a change. -1 out of memory.
 */
static int
watch_one(struct watch *w, const char *path, enum entry_kind kind,
    const struct entry *old, size_t nold, long long since_ms)
{
	char *dir, *base, *up, *upbase;
	size_t i;
	int wd, known = 0;

	if (split(path, &dir, &base) != 0)
		return -1;
	while ((wd = inotify_add_watch(w->fd, dir, WATCH_MASK)) < 0 &&
	    (errno == ENOENT || errno == ENOTDIR) && strcmp(dir, "/") != 0 &&
	    strcmp(dir, ".") != 0) {
		if (split(dir, &up, &upbase) != 0) {
			free(dir);
			free(base);
			return -1;
		}
		free(dir);
		free(base);
		dir = up;
		base = upbase;
		kind = E_PATH;
	}
	if (wd < 0) {
		if (!w->warned)
			fprintf(stderr, "scrutineer: cannot watch %s: %s%s\n", dir,
			    strerror(errno), errno == ENOSPC ? "; raise the limit "
			    "(sysctl fs.inotify.max_user_watches)" : "; its "
			    "changes will not start a build");
		w->warned = 1;
	} else if (find(w, wd, base) == NULL) {
		if (w->n == w->cap) {
			size_t cap = w->cap ? w->cap * 2 : 32;
			struct entry *v = realloc(w->v, cap * sizeof(*v));
			if (v == NULL) {
				free(dir);
				free(base);
				return -1;
			}
			w->v = v;
			w->cap = cap;
		}
		for (i = 0; i < nold && !known; i++)
			known = old[i].wd == wd && strcmp(old[i].name, base) == 0;
		if (kind == E_FILE ? !known && there(dir, base, 0, since_ms) :
		    there(dir, base, kind == E_PATH, -1))
			w->dirty = 1;
		/* made since: watch it, or the next folder on the way */
		if (kind == E_PATH && there(dir, base, 1, -1))
			w->rescan = 1;
		w->v[w->n].wd = wd;
		w->v[w->n].name = base;
		w->v[w->n].kind = kind;
		w->v[w->n].quiet_ms = QUIET_MS;
		w->n++;
		base = NULL;
	}
	free(dir);
	free(base);
	return 0;
}

/* The table anew from the job's lists; folders no longer needed are let
 * go. -1 out of memory. */
static int
watch_all(struct watch *w, sc_job *job, const char *definition,
    long long since_ms)
{
	struct entry *old = w->v;
	size_t nold = w->n, i, k;
	int rc = 0;

	w->v = NULL;
	w->n = w->cap = 0;
	w->rescan = 0;
	rc |= watch_one(w, definition, E_FILE, old, nold, since_ms);
	for (i = 0; i < sc_job_input_count(job); i++)
		rc |= watch_one(w, sc_job_input(job, i, NULL), E_FILE, old, nold,
		    since_ms);
	for (i = 0; i < sc_job_missing_count(job); i++)
		rc |= watch_one(w, sc_job_missing(job, i, NULL), E_MISSING, old,
		    nold, since_ms);
	for (i = 0; i < nold; i++) {
		int kept = 0;
		for (k = 0; k < w->n && !kept; k++)
			kept = w->v[k].wd == old[i].wd;
		for (k = 0; k < i && !kept; k++)
			kept = old[k].wd == old[i].wd;  /* let go once */
		if (!kept)
			inotify_rm_watch(w->fd, old[i].wd);
	}
	entries_free(old, nold);
	return rc;
}

/* One build, its line, and the table for what it read. -1 out of
 * memory. */
static int
build(struct watch *w, sc_job *job, const char *definition,
    watch_print print)
{
	struct timespec since;
	const char *out;
	char at[16];
	long long t0, ms;
	struct stat st;
	int rc;

	clock_gettime(CLOCK_REALTIME, &since);
	w->dirty = 0;
	t0 = now_ms();
	rc = sc_build(job);
	ms = now_ms() - t0;
	out = sc_job_output(job);
	stamp(at, sizeof(at));
	print(job);
	if (rc == SC_OK)
		fprintf(stderr, "%s built %s, %d page%s, %lld ms\n", at, out,
		    sc_job_pages(job), sc_job_pages(job) == 1 ? "" : "s", ms);
	else if (stat(out, &st) == 0)
		fprintf(stderr, "%s failed, keeping the last good %s\n", at, out);
	else
		fprintf(stderr, "%s failed; no %s yet\n", at, out);
	/* A file's clock ticks coarsely (a few ms): a change just before
	 * the build counts too, at worst one build more. */
	if (watch_all(w, job, definition, (long long)since.tv_sec * 1000 +
	    since.tv_nsec / 1000000 - 10) != 0)
		return -1;
	if (rc == SC_OK && w->n != w->shown) {
		fprintf(stderr, "%s watching %zu file%s for changes%s\n", at, w->n,
		    w->n == 1 ? "" : "s", w->shown == 0 ? " (Ctrl-C stops)" : "");
		w->shown = w->n;
	}
	return 0;
}

/* Reads the events there are; marks a change to a watched name. */
static void
read_events(struct watch *w)
{
	char b[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
	const struct inotify_event *e;
	ssize_t r;
	char *p;

	while ((r = read(w->fd, b, sizeof(b))) > 0)
		for (p = b; p < b + r; p += sizeof(*e) + e->len) {
			struct entry *x;
			int hit = 0;
			e = (const struct inotify_event *)(void *)p;
			if (e->mask & IN_Q_OVERFLOW)
				hit = w->rescan = 1;  /* events lost: look again */
			else if (e->mask & (IN_IGNORED | IN_DELETE_SELF |
			    IN_MOVE_SELF))
				/* a watched folder went away (not one let go) */
				hit = w->rescan = watched(w, e->wd);
			else if (e->len > 0 && (x = find(w, e->wd, e->name)) != NULL) {
				/* A folder on the way to a missing file: watch
				 * the next one (a change once the file is there). */
				if (x->kind == E_PATH)
					w->rescan = 1;
				else
					hit = 1;
				if (e->mask & IN_MODIFY)
					x->quiet_ms = WRITING_MS;
				else if (e->mask & (IN_MOVED_FROM | IN_DELETE))
					x->quiet_ms = GONE_MS;
				else if (e->mask & (IN_CLOSE_WRITE | IN_MOVED_TO |
				    IN_CREATE))
					x->quiet_ms = QUIET_MS;
			}
			if (hit) {
				w->last_ms = now_ms();
				if (!w->dirty)
					w->first_ms = w->last_ms;
				w->dirty = 1;
			}
		}
}

/* [ms] until the change is built: 0 now, -1 no change. */
static int
wait_ms(const struct watch *w)
{
	long long due, now = now_ms();
	size_t i;
	int quiet = QUIET_MS;

	if (!w->dirty)
		return -1;
	for (i = 0; i < w->n; i++)
		if (w->v[i].quiet_ms > quiet)
			quiet = w->v[i].quiet_ms;
	due = w->last_ms + quiet;
	if (due > w->first_ms + LONGEST_MS)
		due = w->first_ms + LONGEST_MS;
	return due <= now ? 0 : (int)(due - now);
}

int
watch_run(sc_job *job, const char *definition, watch_print print)
{
	struct watch w;
	struct pollfd pfd;
	int rc = SC_EINTERNAL, t;

	memset(&w, 0, sizeof(w));
	if ((w.fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) < 0) {
		fprintf(stderr, "scrutineer: --watch cannot start: %s%s\n",
		    strerror(errno), errno == EMFILE ? "; raise the limit (sysctl "
		    "fs.inotify.max_user_instances)" : "");
		return SC_EINTERNAL;
	}
	if (build(&w, job, definition, print) != 0)
		goto oom;
	for (;;) {
		/* A folder came or went: a change in itself (since -1). */
		if (w.rescan && watch_all(&w, job, definition, -1) != 0)
			goto oom;
		if ((t = wait_ms(&w)) == 0) {
			if (build(&w, job, definition, print) != 0)
				goto oom;
			continue;
		}
		pfd.fd = w.fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, t) < 0 && errno != EINTR) {
			fprintf(stderr, "scrutineer: --watch: %s\n", strerror(errno));
			goto out;
		}
		read_events(&w);
	}
oom:
	fprintf(stderr, "scrutineer: out of memory watching the files\n");
out:
	close(w.fd);
	entries_free(w.v, w.n);
	return rc;
}
