/*
 * path.h — the one path policy (DESIGN.md "Staged library"): which files
 * a definition may name, how every input is opened, and which outputs a
 * build may replace.
 *
 * - A name from a definition (CSV, image, template, font) is resolved
 *   against the definition's folder and must lead, once links are
 *   followed, into that folder, an --allow-path folder or one extra
 *   folder (the installed templates): path_resolve().
 * - Every input is opened by path_open(): regular files only, refused
 *   before a read could block on a FIFO or a device.
 * - A build keeps the files it read (struct path_inputs), and an output
 *   that is one of them (same device and inode), or that exists and is
 *   not a regular file, is refused: path_check_output().
 */
#ifndef SC_PATH_H
#define SC_PATH_H

#include <stdio.h>
#include <sys/types.h>

#include "arena.h"
#include "diag.h"

/* Where a definition's names may lead. allow and extra may be NULL. */
struct path_policy {
	const char        *base;   /* the definition's folder */
	const char *const *allow;  /* --allow-path folders */
	int                nallow;
	const char        *extra;  /* one more folder, or NULL */
};

/*
 * Resolves href (as the definition at file:line wrote it) and checks it
 * against the policy and that it is a regular file. what names the file
 * in messages ("data file"); keep says what to do when it is outside
 * ("keep data beside the report, or allow the folder with
 * --allow-path"). Returns the joined path (in a), or NULL with a message;
 * a file that does not exist where the policy allows it is also added to
 * d->missing, when set.
 */
const char *path_resolve(const struct path_policy *p, const char *href,
    const char *what, const char *keep, struct arena *a, struct diags *d,
    const char *file, int line);

/*
 * Does path lead, once links are followed, into one of the policy's
 * folders? A file that does not exist yet (an output) by its folder.
 * 1 inside, 0 outside, -1 when neither it nor its folder exists (errno
 * set). For names that are not a definition's (a batch's list file).
 */
int path_inside(const struct path_policy *p, const char *path);

/*
 * Opens path for reading without ever blocking: O_NONBLOCK until fstat()
 * has shown a regular file, then blocking reads as usual. what NULL
 * gives "PATH: cannot open: ..." messages; else "WHAT \"PATH\" cannot be
 * read: ..." at file:line. Returns the descriptor (close-on-exec), or -1
 * with a message.
 */
int   path_open(const char *path, const char *what, struct diags *d,
    const char *file, int line);
/* path_open() as a stdio stream ("rb"); the caller fclose()s it. */
FILE *path_fopen(const char *path, const char *what, struct diags *d,
    const char *file, int line);
/* Reads a whole file of at most max bytes through path_open() into
 * malloc'd memory the caller frees; NULL with a message. */
unsigned char *path_slurp(const char *path, const char *what, size_t max,
    size_t *len, struct diags *d, const char *file, int line);
/* 1 when path names (after links) a regular file; nothing is opened. */
int   path_is_regular(const char *path);

/* Creates path afresh for writing (0666 less the umask), never through
 * a link: whatever is there (a stale temporary file, or a link planted
 * to make the write land elsewhere) is removed first. NULL, errno set. */
FILE *path_create(const char *path);

/* The files one build read, by device and inode. */
struct path_input;
struct path_inputs {
	struct path_input *v;
	size_t             n, cap;
};

void path_inputs_init(struct path_inputs *in);
void path_inputs_free(struct path_inputs *in);
/* The i-th file's name as it was opened, and (what) its kind. */
const char *path_inputs_name(const struct path_inputs *in, size_t i,
    const char **what);
/* Remembers path (what: "definition", "data file" ...); a file that
 * cannot be stat()ed was not read and is skipped. -1 out of memory. */
int  path_inputs_add(struct path_inputs *in, const char *path,
    const char *what);
/* Remembers path as looked for and not found (by name: the list of a
 * job's missing files, never compared with outputs). -1 out of memory. */
int  path_inputs_add_missing(struct path_inputs *in, const char *path,
    const char *what);

/*
 * May a build write out? Refused (-1, with a message) when out exists
 * and is not a regular file (a device, FIFO, socket, folder, or a
 * symbolic link, which rename() would replace instead of its target),
 * or is one of in (compared by device and inode, so links, hard links
 * and "/../" do not hide it). 0 when out does not exist yet.
 */
int  path_check_output(const struct path_inputs *in, const char *out,
    struct diags *d);
/* The same for an open descriptor (standard output), named name. */
int  path_check_output_fd(const struct path_inputs *in, int fd,
    const char *name, struct diags *d);
/*
 * Is dir an existing folder to write into? Checked before anything is
 * written, so a mistyped folder leaves the old PDF as it was. -1 with
 * "DIR: no such folder; create it first", or "DIR: is not a folder;
 * OPTION names the folder WHAT" (option "--html", what "the HTML
 * edition is written into").
 */
int  path_check_dir(const char *dir, const char *option, const char *what,
    struct diags *d);

#endif
