/*
 * scrutineer.h — turn a report definition (XML) plus data (CSV) into a
 * council committee report (tagged PDF).
 *
 * The library prints nothing and never exits: every problem is returned as
 * a diagnostic (file, line, message) that the caller shows as it likes.
 *
 * Prefixes inside the source tree (private headers):
 *   arena_, buf_, diag_, utf8_   src/util/      memory, strings, messages
 *   node_, doc_                  src/doc/       the document tree
 *   def_, tpl_                   src/definition report and template loading
 *   font_, fontset_              src/layout/font.c   fonts and shaping
 *   lbrk_                        src/layout/linebreak.c  UAX #14 breaks (ICU)
 *   lay_                         src/layout/    the typesetter
 *   dl_                          src/render/displaylist.h  the seam
 *   pdf_                         src/render/pdf*.c   libharu backend
 *   cr_                          src/render/cairo.c  PNG and SVG
 *   html_                        src/html/      the HTML edition
 */
#ifndef SCRUTINEER_H
#define SCRUTINEER_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SC_VERSION "0.1.0"

/* Exit statuses, also returned by sc_build() and sc_check(). */
enum sc_status {
	SC_OK = 0,        /* done */
	SC_EINPUT = 1,    /* the definition, template or data is wrong */
	SC_EUSAGE = 2,    /* the caller asked for something impossible */
	SC_EINTERNAL = 3  /* out of memory, I/O failure or a bug */
};

enum sc_level {
	SC_NOTE,
	SC_WARNING,
	SC_ERROR
};

/* One message. file may be NULL (then line is 0). */
typedef struct sc_diag {
	enum sc_level level;
	const char   *file;
	int           line;
	const char   *message;
} sc_diag;

/*
 * A context: options shared by many jobs. The library reads no
 * environment: a program passes SOURCE_DATE_EPOCH in here. A context may
 * be shared by jobs on several threads once set up; it must outlive them.
 */
typedef struct sc_ctx sc_ctx;

sc_ctx *sc_ctx_new(void);               /* NULL when out of memory */
void    sc_ctx_free(sc_ctx *ctx);
/* Where templates/ and fonts/ live (see sc_job_set_data_dir()). */
int     sc_ctx_set_data_dir(sc_ctx *ctx, const char *dir);
/* A folder every job of the context may read data under (--allow-path). */
int     sc_ctx_allow_path(sc_ctx *ctx, const char *dir);
/* The PDFs' creation date, seconds since 1970 (SOURCE_DATE_EPOCH); -1,
 * the default, writes none, so that same inputs give the same bytes.
 * SC_EUSAGE past the year 9999. */
int     sc_ctx_set_source_date(sc_ctx *ctx, long long seconds);
/* Strict builds (off by default; `scrutineer batch` turns it on): data
 * that looks missing for the chosen parameters (a query with no rows, a
 * column with no values) fails the build instead of warning. Each job
 * starts with its context's setting. */
int     sc_ctx_set_strict(sc_ctx *ctx, int on);
/* Stops every job of the context: a build running on any thread fails
 * (SC_EINTERNAL, "interrupted: ...") at its next stage or before its
 * output is renamed into place, leaving no temporary file and the old
 * PDF as it was; later builds fail at once. Async-signal-safe and
 * thread-safe; there is no undoing it (make a new context). */
void    sc_ctx_cancel(sc_ctx *ctx);

/* A job: one definition (a <report>, or a <pack> of a meeting's reports)
 * and its options. It is the caller's responsibility to free it with
 * sc_job_free(). Jobs on separate threads are independent. */
typedef struct sc_job sc_job;

/* NULL when out of memory. sc_job_new() gives the job a context of its
 * own; sc_job_new_in() uses ctx's options (its allowed folders are
 * copied into the job). */
sc_job *sc_job_new(const char *definition_path);
sc_job *sc_job_new_in(sc_ctx *ctx, const char *definition_path);
void    sc_job_free(sc_job *job);

/* Each setter copies its strings and returns SC_OK or SC_EINTERNAL.
 * pdf_path "-" is standard output, written only once the PDF is whole.
 * sc_build() refuses (SC_EUSAGE) an output that is one of the files the
 * build reads, or that exists and is not a regular file. */
int sc_job_set_output(sc_job *job, const char *pdf_path);
/* A template name (looked up in the data directory's templates/) or a
 * path ending in .xml. Overrides the definition's template attribute. */
int sc_job_set_template(sc_job *job, const char *name_or_path);
/* A parameter, as -D name=value: overrides <param name default>. */
int sc_job_define(sc_job *job, const char *name, const char *value);
/* The same for a definition that may not declare it (a batch's -D, as
 * a pack's -D reaches its reports): without the <param>, it is ignored. */
int sc_job_define_optional(sc_job *job, const char *name,
    const char *value);
/* 1 when the definition the last check or build loaded (for a pack, one
 * of its reports) declares the -D name; else 0. */
int sc_job_define_used(const sc_job *job, const char *name);
/* Where templates/ and fonts/ live (default: SC_DATADIR at build time,
 * or the folder of the running executable when it holds templates/). */
int sc_job_set_data_dir(sc_job *job, const char *dir);

/* Lets the definition read data files under dir too (by default only
 * files under the definition's own folder): --allow-path. */
int sc_job_allow_path(sc_job *job, const char *dir);
/* Keep a readable dump of the display list of the next sc_build(), one
 * operation a line (for tests and for looking at layout decisions). */
int sc_job_set_dump(sc_job *job, int on);
/* Strict for this job only (see sc_ctx_set_strict()); for a pack, for
 * every report of it too. empty="ok" in a definition exempts an element. */
int sc_job_set_strict(sc_job *job, int on);
/* Adds notes (SC_NOTE, "timings: ...") of where a build's or check's
 * time went: each CSV's load at its <csv>, each element's queries at
 * its line, the data, layout and writing at the definition. */
int sc_job_set_timings(sc_job *job, int on);
/* The standards the PDF claims and is written to meet. level is the
 * PDF/A part and conformance: "2a" (the default), "2u", "3a", or "none"
 * (no PDF/A identification and no output intent); SC_EUSAGE for anything
 * else. pdfua 0 leaves out the PDF/UA-1 identification (default 1); the
 * structure tree is written either way. For a pack, every report too. */
int sc_job_set_pdfa(sc_job *job, const char *level);
int sc_job_set_pdfua(sc_job *job, int on);
/* The dump, or NULL. Valid until the next build or sc_job_free(). */
const char *sc_job_dump(const sc_job *job);

/* Validates the definition and its template; writes nothing. For a
 * pack, every item too (and says which appendices are not tagged). */
int sc_check(sc_job *job);
/* Validates, lays out and writes the PDF (to a temporary file in the
 * target folder, renamed into place only when complete): the three
 * stages below at once. */
int sc_build(sc_job *job);

/*
 * The stages, for a caller that works between them (a report, not a
 * pack). Each clears the job's diagnostics and runs what it needs of the
 * stages before it: load reads the definition and its template and binds
 * the data; layout makes the pages (sc_job_pages() counts them); write
 * writes the PDF as sc_build() does. The results are kept until the next
 * sc_job_load() or sc_job_free().
 */
int sc_job_load(sc_job *job);
int sc_job_layout(sc_job *job);
int sc_job_write(sc_job *job);

/* Packs: "a" (default) is the public pack, with each exempt item
 * replaced by a notice; "b" holds only the exempt items. SC_EUSAGE for
 * anything else. */
int sc_job_set_part(sc_job *job, const char *part);
/* 1 when the job's definition is a <pack> (its root element). */
int sc_job_is_pack(const sc_job *job);

/* The files the last check or build read (the definition, template,
 * data, images and fonts; a pack's items too): for watch mode and batch
 * dependency lists. what is set to "definition", "data file" ... */
size_t      sc_job_input_count(const sc_job *job);
const char *sc_job_input(const sc_job *job, size_t i, const char **what);
/* The files the last check or build looked for and did not find (a data
 * file, image, template, or a pack's item named but not there): watch
 * mode rebuilds when one appears. Valid until the next check or build. */
size_t      sc_job_missing_count(const sc_job *job);
const char *sc_job_missing(const sc_job *job, size_t i, const char **what);

/* Also write each page as DIR/page-001.png … at dpi (build --preview). */
int sc_job_set_preview(sc_job *job, const char *dir, double dpi);
/* Resolution of PNG charts [dots per inch]; default 96. */
int sc_job_set_dpi(sc_job *job, double dpi);
/*
 * Writes every drawing of the report — each chart, key-figure tiles and
 * risk matrix, not its plain images — as its own file in dir (which
 * must exist): "ID.png" for an element with an id, else by its caption's
 * number ("figure-3.png"; a risk matrix "table-2-matrix.png"), else
 * "chart-N.png" in order; format "png" or "svg". The drawing is the one
 * in the PDF.
 */
int sc_charts(sc_job *job, const char *dir, const char *format);
/*
 * The HTML edition (WCAG 2.1 AA; see the README): dir/index.html, one
 * HTML5 page from the same bound, numbered document as the PDF — the
 * same headings and numbers, tables with captions and header scopes,
 * each chart as inline SVG with its text alternative and its data in a
 * table — with its stylesheet from the template inline, no script, no
 * file or address fetched. dir must be a folder that exists. A pack
 * writes dir/index.html (its agenda) and dir/item-N.html for each report
 * item of the public pack (an exempt item's content is never written).
 * sc_html() writes the edition alone (no PDF); sc_job_set_html() makes
 * sc_build() and sc_job_write() write it after the PDF. Each file is
 * written as the PDF is (temporary file, renamed when whole).
 */
int sc_html(sc_job *job, const char *dir);
int sc_job_set_html(sc_job *job, const char *dir);
/* Charts the last sc_charts() wrote. */
int sc_job_charts(const sc_job *job);

/* The output path sc_build() used or will use. */
const char *sc_job_output(const sc_job *job);
/* The temporary file sc_build() is writing, or "" when none: a caller
 * that catches SIGTERM may unlink() it (async-signal-safe) so that an
 * interrupted build leaves nothing behind. */
const char *sc_job_temp(const sc_job *job);
/* Number of pages of the last successful build. */
int sc_job_pages(const sc_job *job);

/* Diagnostics of the last sc_check()/sc_build(), in the order found.
 * They stay valid until the next call or sc_job_free(). */
size_t         sc_job_diag_count(const sc_job *job);
const sc_diag *sc_job_diag(const sc_job *job, size_t i);

#ifdef __cplusplus
}
#endif

#endif
