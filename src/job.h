/*
 * job.h — the library's context and job (include/scrutineer.h), shared
 * by api.c and the pack module (not installed). A job runs in stages:
 * load (definition + template + data bound), layout (pages of display
 * list with their fonts), write (the PDF); each keeps what it made so the
 * next, or a pack, can use it.
 */
#ifndef SC_JOB_H
#define SC_JOB_H

#include <stdatomic.h>

#include "scrutineer.h"
#include "definition/definition.h"
#include "definition/template.h"
#include "layout/font.h"
#include "render/displaylist.h"
#include "util/diag.h"
#include "util/output.h"
#include "util/path.h"

struct sc_ctx {
	char      *data_dir;   /* NULL: found beside the program */
	char     **allow;      /* --allow-path folders */
	int        nallow;
	long long  source_date; /* -1: none */
	int        strict;      /* sc_ctx_set_strict() */
	atomic_int cancel;      /* sc_ctx_cancel(): set from any thread or a
	                         * signal handler, read between stages */
};

enum job_stage { STAGE_NONE, STAGE_LOADED, STAGE_LAID_OUT };

struct sc_job {
	sc_ctx           *ctx;        /* options every job shares */
	sc_ctx           *own_ctx;    /* made by sc_job_new(), freed with it */
	char             *definition;
	char             *output;
	char             *template_override;
	char             *data_dir;
	struct def_define *defines;
	size_t            ndefines;
	unsigned char    *define_used; /* per define: the last load's
	                                * definition declares it */
	struct diags      diags;
	int               pages;
	char            **allow;      /* --allow-path folders */
	int               nallow;
	int               want_dump;
	int               timings;     /* sc_job_set_timings() */
	int               strict;      /* from the context, or set */
	int               pdfa_part;   /* sc_job_set_pdfa(): 2, 3 or 0 */
	char              pdfa_conformance; /* 'A' or 'U' */
	int               pdfua;       /* sc_job_set_pdfua() */
	char             *dump;
	char             *preview;     /* --preview folder */
	double            dpi;
	int               charts;      /* charts written by sc_charts() */
	char             *part;        /* packs: "a" or "b" */
	char             *html;        /* sc_job_set_html(): the folder the
	                                * HTML edition goes to, or NULL */
	struct path_inputs inputs;     /* the files the last build read */
	struct path_inputs missing;    /* ... and those it did not find */
	/* The stages' results. */
	enum job_stage    stage;
	struct doc       *doc;
	struct template   t;
	struct fontset    fs;
	struct fontset   *fsp;         /* &fs, or a pack's shared fontset */
	struct dl_doc     dl;
	/* Fixed storage: read by signal handlers while a build runs. */
	volatile char     temp[OUTPUT_TEMP_MAX];
};

/* With sc_job_set_timings(), a note at (file, line): "timings: WHAT
 * N s", the seconds since since (clock_ns(), util/clock.h). */
void job_time_note(sc_job *j, const char *file, int line, const char *what,
    long long since);
/* The status a stage ends in (see api.c). */
int job_status(sc_job *j, int rc);
/* The data directory (templates/, fonts/) into out. */
void job_data_dir(const sc_job *j, char *out, size_t n);
/* The folders fonts are looked for in: the definition's fonts/ and the
 * data directory's; fills dirs (2 entries, NULL when absent). */
void job_font_dirs(const sc_job *j, const char *def_dir, char *a, char *b,
    size_t n, const char *dirs[2]);
/* The template file for a definition at file:line in folder dir that
 * names def_name (NULL: "default"), -t's first; -1 with a message. */
int job_template_path(sc_job *j, const char *def_name, const char *file,
    int def_line, const char *dir, struct arena *arena, char *out,
    size_t n);
/* Loads the definition and its template and binds the data. */
int job_load(sc_job *j);
/* Lays out a loaded job with fs (a pack's shared fontset, or NULL for
 * the job's own). */
int job_layout(sc_job *j, struct fontset *fs);
/* Writes --preview's page pictures of dl. */
int job_previews(sc_job *j, struct dl_doc *dl, struct fontset *fs);
/* Marks the defines doc declares (sc_job_define_used()). */
void job_mark_defines(sc_job *j, const struct doc *doc);
/* 1, with an error in the job's messages the first time, when the job's
 * context was cancelled (sc_ctx_cancel()): a stage stops there. */
int job_cancelled(sc_job *j);
/* Writes the HTML edition of a laid-out report job as dir/name (a
 * pack's item pages link up to the agenda with pg). */
struct html_page;
int job_html(sc_job *j, const char *dir, const char *name,
    const struct html_page *pg);
/* Frees the stages' results. */
void job_reset(sc_job *j);

#endif
