/* merge.h — agenda packs: external PDFs merged into the pack's base PDF
 * with libqpdf (DESIGN.md, "Agenda packs"). A C interface over a C++
 * unit (merge.cc); nothing C++ crosses it, no exception escapes it.
 *
 * The pack first probes each external PDF (its page count and sizes lay
 * out the placeholder pages), writes the base PDF with a placeholder page
 * per external page and a /ScGraft N key in the section element each
 * part's structure goes under, then calls merge_write(). */
#ifndef SC_PACK_MERGE_H
#define SC_PACK_MERGE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#include "../util/diag.h"

/* Refused beyond these: a published pack must stay openable. */
#define MERGE_MAX_PAGES 5000
#define MERGE_MAX_BYTES (512L * 1024 * 1024)

struct merge_probe {
	int      pages;
	double (*size)[2];      /* pages entries: width, height [pt] as shown
	                         * (CropBox within MediaBox, times UserUnit,
	                         * swapped for /Rotate 90 or 270) */
	int      tagged;        /* /MarkInfo /Marked true and a StructTreeRoot */
	int      untagged_fonts; /* fonts used on its pages, not embedded */
	int      pdfa_part;     /* the PDF/A part its XMP claims, 0: none */
	char     pdfa_conformance; /* and the level, 'A' 'B' 'U', or 0 */
	char    *title;         /* the Info /Title in UTF-8, or NULL */
	void    *handle;        /* the file as opened and checked, kept for
	                         * the merge (which takes it): it is not read
	                         * twice */
};

/* 0, or -1 with one error in diags at def_file:def_line (the pack
 * definition's item) naming the PDF, what is wrong and what to do. Refuses
 * what is not a PDF, damaged, encrypted (even with an empty password),
 * without pages, over MERGE_MAX_PAGES or MERGE_MAX_BYTES. On success it is
 * the caller's responsibility to free out with merge_probe_free(). */
int  merge_probe(const char *pdf_path, const char *def_file, int def_line,
    struct merge_probe *out, struct diags *diags);
void merge_probe_free(struct merge_probe *p);
/* Closes the file a probe kept (the merge then reads it again): for a
 * pack of more appendices than it should hold open at once. */
void merge_probe_drop(struct merge_probe *p);

struct merge_part {
	const char *path;          /* the external PDF */
	const char *def_file;      /* where the pack definition names it */
	int         def_line;
	size_t      first;         /* its first placeholder page in the base
	                            * (0-based) */
	int         pages;         /* as probed: a file changed since is refused */
	const char *outline_title; /* its item in the base outline */
	int         graft;         /* N of the base StructElem's /ScGraft N */
	const char *untagged_alt;  /* for an untagged PDF: the /Alt of each
	                            * page's Figure (UTF-8); its first %d is
	                            * the page number, the next the page
	                            * count, %% a %; nothing else is read, so
	                            * a title with a % is safe. NULL: a
	                            * default text */
	struct merge_probe *probe; /* its probe: the merge takes the file it
	                            * opened (and sets handle NULL) instead
	                            * of reading path again; NULL: it reads */
};

/* Writes out_path: the base with each part's pages in place of its
 * placeholders, the placeholders stamped on them, their links, outlines
 * and structure kept. Deterministic: the same inputs give the same bytes.
 * out_path is written in place (give it a temporary name and rename it,
 * as api.c does); a failure before it is opened leaves it untouched, one
 * after removes it, and a path that is not a regular file is refused.
 * Warnings in diags tell of scripts, media and dead links removed from a
 * part. 0, or -1 with errors in diags. */
int  merge_write(const char *base_path, const struct merge_part *parts,
    size_t nparts, const char *out_path, struct diags *diags);

/* Tests only: the page limit in force (MERGE_MAX_PAGES unless lowered). */
/* The same with the base PDF in memory (the pack's own pages). */
int  merge_write_mem(const unsigned char *base, size_t len,
    const struct merge_part *parts, size_t nparts, const char *out_path,
    struct diags *diags);
extern int merge_max_pages;

/* The command (build/scrutineer) does not link merge.cc: libqpdf brings
 * gnutls and nine more shared libraries whose loading was a tenth of
 * every build's time, packs or not. merge_load.c gives it the functions
 * above by loading merge.cc built as a module, scrutineer-merge.so, the
 * first time a pack merges; the library (libscrutineer.a) and the tests
 * link merge.cc itself. The module's one entry point takes the
 * command's message functions and gives its table. The entry's name
 * carries MERGE_ABI, so a module from another build, whose table may be
 * laid out otherwise, is refused before anything of it is called or
 * read; the table's abi is checked again. */
#define MERGE_ABI 1
#define MERGE_CAT_(a, b) a##b
#define MERGE_CAT(a, b) MERGE_CAT_(a, b)
#define MERGE_STR_(x) #x
#define MERGE_STR(x) MERGE_STR_(x)
#define MERGE_ENTRY MERGE_CAT(scrutineer_merge_module_v, MERGE_ABI)
struct merge_host {
	void (*add)(struct diags *, enum sc_level, const char *, int,
	    const char *, ...);
	void (*oom)(struct diags *, const char *, int, const char *, ...);
};
struct merge_module {
	int    abi;
	int  (*probe)(const char *, const char *, int, struct merge_probe *,
	    struct diags *);
	void (*probe_free)(struct merge_probe *);
	void (*probe_drop)(struct merge_probe *);
	int  (*write)(const char *, const struct merge_part *, size_t,
	    const char *, struct diags *);
	int  (*write_mem)(const unsigned char *, size_t,
	    const struct merge_part *, size_t, const char *, struct diags *);
	int   *max_pages;
};
#define MERGE_MODULE_ENTRY MERGE_STR(MERGE_ENTRY)
const struct merge_module *MERGE_ENTRY(const struct merge_host *host);

#ifdef __cplusplus
}
#endif

#endif
