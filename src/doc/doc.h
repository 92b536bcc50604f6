/*
 * doc.h — the document tree: one node struct for every block and inline
 * (STYLE.md 3). The definition stage builds it, numbering labels it, layout
 * reads it. Every node keeps its source file and line for messages.
 * Nodes and strings live in the doc's arena: doc_free() frees them all.
 */
#ifndef SC_DOC_H
#define SC_DOC_H

#include <stddef.h>
#include <stdint.h>

#include "../util/arena.h"

enum node_kind {
	/* blocks */
	N_BODY,        /* the report's main matter (root of sections) */
	N_SECTION,
	N_APPENDIX,
	N_PARA,
	N_LIST,
	N_ITEM,
	N_PAGEBREAK,
	N_CONTACTS,
	N_CONTACT,
	N_TABLE,
	N_CHART,
	N_KPIS,
	N_RISKS,
	N_IMAGE,
	N_COLUMN,      /* a data table's column */
	N_HEAD,        /* a literal table's header row */
	N_ROW,         /* a literal table's row */
	N_CELL,
	/* inlines */
	N_TEXT,
	N_BOLD,
	N_ITALIC,
	N_LINK,
	N_BR,
	N_REF,
	N_VALUE,
	N_KIND_MAX
};

enum list_style {
	LIST_BULLET,
	LIST_NUMBER,
	LIST_ROMAN,
	LIST_ALPHA
};

struct node {
	enum node_kind kind;
	struct node   *parent, *first, *last, *next, *prev;
	const char    *file;    /* source definition */
	int            line;    /* source line, 1-based */

	const char    *id;      /* id attribute, or NULL */
	int            empty_ok; /* empty="ok": no rows or values is meant
	                         * (table, column, chart, kpis, value) */
	const char    *title;   /* section, appendix title */
	const char    *text;    /* N_TEXT: UTF-8, whitespace already collapsed */
	const char    *href;    /* N_LINK */
	const char    *to;      /* N_REF: target id */
	const char    *param;   /* N_VALUE param= */
	const char    *query;   /* N_VALUE query= */
	const char    *format;  /* N_VALUE format= */
	/* N_CONTACT */
	const char    *name, *role, *email, *phone;
	/* N_TABLE, N_RISKS: data= names a <csv> or <query>; source= is the
	 * printed "Source:" note */
	const char    *data, *caption, *group_by, *where, *order_by, *source;
	int            suppress_below;   /* 0: none */
	int            matrix;
	/* N_COLUMN */
	const char    *field, *header, *value, *align, *width, *colour,
	               *polarity_field;
	const char    *format_field; /* N_COLUMN format-field=: a column whose
	                              * value, where not empty, is the row's
	                              * format (a rate among counts) */
	int            row_header;  /* row-header=: 1 yes, 0 no, -1 unset */
	const char    *total;       /* N_COLUMN total=: sum, avg, min, max,
	                             * count or an SQL aggregate, or NULL */
	const char    *alt_header;  /* N_COLUMN alt-header=: what a reader
	                             * hears for an empty header, or NULL */
	/* N_TABLE: emphasis= (SQL over a row: true makes it bold); its
	 * <total> (label=, grand=, grand-label=, the line of <total>, 0
	 * when none: a column's total= alone gives one labelled "Total") */
	const char    *emphasis, *total_label, *grand_label;
	int            grand_total, total_line;
	/* Set by bind: the table's formatted cells (N_TABLE, N_RISKS). */
	struct tbl    *tbl;
	/* N_CHART: type= x= series= y-label= width= height=; numbers parsed
	 * by the definition (NAN when absent). */
	const char    *chart_type, *x, *series, *y_label, *alt;
	const char    *series_by;     /* one series per value of this column */
	double         y_min, y_max, target_line, chart_w, chart_h;
	int            data_table, data_labels;
	/* N_CHART: x-label= (what the categories are, for the data table
	 * and the text alternative), axis-format=, highlight= (a category
	 * as printed), sort= (1 "value", -1 "-value", 0 as the data come);
	 * each <series field= label=>. format= (N_VALUE's) is the values'. */
	const char    *x_label, *axis_format, *highlight;
	int            sort;
	const char   **ser_field, **ser_label;
	int            nser_label;
	/* Set by bind (N_CHART): the plotted data and the value format. */
	struct chart_data *chart;
	const char    *value_format;
	/* N_KPIS: label= and change= (SQL over the data); bound tiles. */
	const char    *label_expr, *change;
	struct kpi    *kpi;
	int            nkpi;
	/* N_IMAGE, set by bind: the file, its kind (1 PNG, 2 JPEG) and its
	 * size in pixels. */
	const char    *img_path;
	int            img_kind, img_w, img_h;
	/* N_RISKS with matrix="yes": each printed risk's (net) position. */
	int           *risk_l, *risk_i;

	int            numbered;   /* section, para: 0 when numbered="no",
	                            * 2 for a paragraph's numbered="sub" */
	/* section, para number=: the number printed ("5", "4.1"), its
	 * siblings counting on from it; NULL to count as usual. */
	const char    *number;
	/* section heading-format=, the template's for this one section
	 * ("{s}.0"); table, risks, chart, kpis caption-format=, the
	 * template's caption pattern for this one element (without {n}:
	 * unnumbered). NULL: the template's. */
	const char    *heading_format, *caption_format;
	/* table, risks, chart, kpis caption-position=: CAPTION_ABOVE or
	 * CAPTION_BELOW; CAPTION_HOUSE (0): the template's <captions
	 * position>. Read through doc_caption_above(). */
	enum caption_pos { CAPTION_HOUSE, CAPTION_ABOVE, CAPTION_BELOW }
	               caption_pos;
	enum list_style list_style;
	/* N_LIST, numbered: its first label as written in style= ("1.",
	 * "(a)", "a.", "(i)", "A."), the letter standing for the count. */
	const char    *list_label;

	/* Set by numbering (layout/number.c): "3", "3.2", "A". */
	const char    *label;
	/* Set by numbering: how many numbers a grouped table's parts take
	 * from label on (0 or 1: one). */
	int            label_parts;
	/* Heading level of a section (1 = top), set by numbering. */
	int            level;
	/* Set by numbering: paragraphs in this section line up with the
	 * text of numbered paragraphs (a number column hangs to the left). */
	int            hang;
	struct node   *target;     /* N_REF: the resolved node */
};

/* One meta field: report-of and author repeat, so the same key may come
 * several times. key is the element name, or the label of <field>. */
struct meta_field {
	const char *key;
	const char *value;
	const char *file;
	int         line;
};

struct param {
	const char *name;
	const char *value;
	int         line;
	const char *from, *shift;        /* derived: from= shift= */
	const char *format;              /* and written by a date format */
	const char *values, *pattern;    /* validated by the definition */
	const char *in_data;             /* "source.column", checked by bind */
	int         set;                 /* given by -D */
	int         used;                /* printed, or bound into a query */
};

/* A <csv> source. */
struct source {
	const char *id, *href, *encoding, *delimiter;
	int         header;       /* header="no" gives 0 */
	const char *file;
	int         line;
};

/* A named <query>. */
struct query {
	const char *id, *sql;
	const char *file;
	int         line;
};

/* An <expect> period check. */
struct expect {
	const char *source, *column, *periods, *from, *to;
	const char *file;
	int         line;
};

/* What a cell's value means, for layout to dress in the template's
 * colours (never colour alone: the word or arrow is printed too). */
enum tmark { MARK_NONE, MARK_RED, MARK_AMBER, MARK_GREEN, MARK_GOOD,
	MARK_BAD, MARK_NEUTRAL };

/* A cell of a bound table: its printed text and how it is dressed. */
struct tcell {
	const char *text;       /* UTF-8, as printed */
	const struct node *inl; /* literal tables: inline content instead */
	enum tmark  mark;
};

/* A table after bind: what layout draws. */
struct chart_data;

/* A key-figure tile after bind. */
struct kpi {
	const char *label, *value;   /* as printed */
	double      change;          /* fraction; NAN when none */
	const char *change_text;     /* "+33.2%" */
	int         good;            /* 1 good, -1 bad, 0 level/unknown */
};

/* What a row of a bound table is (struct tbl's row_kind), as flags. */
enum tbl_row {
	ROW_DATA     = 0,
	ROW_TOTAL    = 1,   /* a <total> row: bold; its group's total */
	ROW_GRAND    = 2,   /* with ROW_TOTAL: the whole table's total,
	                     * after the last group (group[r] is NULL) */
	ROW_EMPHASIS = 4    /* a data row meeting emphasis=: bold */
};

struct tbl {
	int            ncols, nrows;
	const char   **head;        /* ncols header texts */
	int           *right;       /* ncols: 0 left, 1 right (numbers),
	                             * 2 centred */
	double        *width;       /* ncols: requested width [pt] or 0 */
	struct tcell  *cells;       /* nrows × ncols */
	const char   **group;       /* nrows: group-by value, or NULL */
	const char    *footnote;    /* e.g. the suppression note, or NULL */
	int            has_head;
	int            row_head;    /* the first column labels the rows, so
	                             * its cells are TH Scope=Row */
	/* nrows flags of enum tbl_row, or NULL when every row is a plain
	 * data row. Total rows follow the rows they total (in their group:
	 * group[r] names it); all rows, totals too, are body rows (TR in
	 * TBody), printed bold when not ROW_DATA. */
	int           *row_kind;
	/* ncols: the text alternative of an empty header cell (alt-header=,
	 * else the column's field), NULL where the header has text. */
	const char   **head_alt;
	/* Its rows' storage (cells, their text, the query's rows), or NULL:
	 * freed with the document, or by doc_tbl_release() once laid out. */
	struct arena  *own;
};

/*
 * What a definition asks to be printed: data_bind() counts each element
 * as it dispatches it, and the build refuses a display list that holds
 * fewer (api.c), so nothing the definition asked for goes missing
 * without an error.
 */
struct doc_tally {
	int tables;   /* <table>, <risks>, a chart's data-table="yes" */
	int figures;  /* <chart>, <kpis>, <image>, a risk matrix */
	int images;   /* <image> */
};

/* Where an SQL attribute's value (where=, a column's field=) stands in
 * the file, for a message about SQL built from it (definition.c): the
 * line the value starts on, and shadow (NULL for a value on one line) as
 * long as text with '\n' where the file broke its lines. */
struct src_text {
	const char       *text;     /* the node's own pointer (n->where) */
	const char       *shadow;
	int               line;
	struct src_text  *next;
};

struct doc {
	struct arena       arena;
	const char        *file;       /* the definition's path */
	const char        *dir;        /* its folder, for relative hrefs */
	const char        *template_name;
	int                template_line;
	const char        *lang;
	struct meta_field *meta;
	size_t             nmeta;
	struct param      *params;
	size_t             nparams;
	size_t             expanded;   /* bytes {name} has printed so far */
	struct node       *body;       /* N_BODY: sections and blocks */
	struct node       *appendices; /* N_BODY holding N_APPENDIX nodes */
	struct node       *contacts;   /* N_CONTACTS or NULL */
	struct source     *sources;
	size_t             nsources;
	struct query      *queries;
	size_t             nqueries;
	struct expect     *expects;
	size_t             nexpects;
	struct doc_tally   asks;       /* set by data_bind() */
	struct src_text   *texts;      /* SQL attributes' places, newest first */
	struct doc_arena  *owned;      /* doc_arena_new()'s, freed with it */
};

struct doc  *doc_new(void);
void         doc_free(struct doc *d);
/* An arena of d's own that can be freed before d (a long table's rows):
 * NULL when out of memory. */
struct arena *doc_arena_new(struct doc *d);
/* Frees t's rows (t->own) for a layout that consumes its document: a
 * table's cells are read once, by the layout that draws them, when
 * nothing draws the pages again (no HTML edition, previews or dump).
 * Nothing of t but what bind kept in the document's arena (its
 * header, group names, footnote) is read after. */
void         doc_tbl_release(const struct tbl *t);
struct node *node_new(struct doc *d, enum node_kind kind, const char *file,
    int line);
void         node_append(struct node *parent, struct node *child);
/* The first value of a meta field, or NULL. */
const char  *doc_meta(const struct doc *d, const char *key);
/* A parameter's value, or NULL. */
const char  *doc_param(const struct doc *d, const char *name);
/* The same, counting the parameter as used (printed or queried), for
 * the warning about parameters nothing uses. */
const char  *doc_param_use(const struct doc *d, const char *name);
/* Is name a declared parameter (with or without a value)? */
int          doc_declared(const struct doc *d, const char *name);
/* An appendix's heading as printed, into b: the template's pattern
 * ("Appendix {n} – {title}") with the appendix's letter or number and
 * its title. The one owner of the wording, for the PDF and the HTML
 * edition alike. */
struct buf;
void         doc_appendix_heading(struct buf *b, const char *pattern,
    const struct node *n);
/* The line of byte off of text, an attribute value of the definition's
 * (the very pointer a node holds) whose place is in d->texts; 0 when
 * text is not one of those. */
int          doc_text_line(const struct doc *d, const char *text,
    size_t off);
/* Depth-first pre-order successor of n within root, or NULL. */
struct node *node_next_pre(const struct node *root, const struct node *n);
int          node_is_inline(enum node_kind k);
/* The words an <a> with no text of its own shows: its address, without
 * a "mailto:" or "tel:" (a reader wants x@y.org, not the scheme). Points
 * into href. One owner for the PDF and the HTML edition. */
const char  *doc_link_text(const char *href);
/* A table's or figure's caption as printed, into b: the template's
 * pattern ("Table {n} – ") with the node's number, only when it has one,
 * then the caption, then ": extra" (a group's name). The one owner of
 * the wording, for the PDF and the HTML edition alike. */
struct buf;
void         doc_caption(struct buf *b, const char *pattern,
    const struct node *n, const char *extra);
/* Whether n's caption goes above it: its own caption-position=, else
 * the house style's (house_above, the template's caption_above). The
 * one owner for the PDF and the HTML edition. */
int          doc_caption_above(const struct node *n, int house_above);
/* How a grouped table's parts are captioned (<captions groups>): each
 * its own number and its group's name ("Table 2 – Crime: Blaby", "Table
 * 3 – Crime: Charnwood"); one number, the later parts ending
 * " (continued)"; or one caption for them all, as the parts' headings
 * name their groups (blaby-2023's "Fig. 1 Police Crime and Antisocial
 * Behaviour Statistics" under its two area tables). */
enum caption_groups { GROUPS_NUMBER, GROUPS_CONTINUED, GROUPS_ONCE };
/* The same for one part of a grouped table (part 0, 1 … of
 * tbl_groups()), as groups says; with GROUPS_ONCE the one caption,
 * without the group's name. */
void         doc_part_caption(struct buf *b, const char *pattern,
    const struct node *n, const char *extra, int part,
    enum caption_groups groups);
/* Whether part (of parts) prints a caption: every part does, but with
 * GROUPS_ONCE only the first when captions go above (above), else the
 * last. */
int          doc_part_captioned(enum caption_groups groups, int part,
    int parts, int above);
/*
 * The parts a table prints as, the one owner of group-by's splitting for
 * the PDF, the HTML edition and the numbering: one part per group-by
 * value in order of first appearance, the grand total rows closing the
 * last part; a table without grouped set is one part. rows (t->nrows
 * ints) receives the row indexes part after part and start (t->nrows + 2
 * ints) where each part begins, start[parts] the end; either may be NULL
 * to count only. Returns the number of parts (0 for a table without
 * rows), or -1 when out of memory.
 */
int          tbl_groups(const struct tbl *t, int grouped, int *rows,
    int *start);
const char  *node_kind_name(enum node_kind k);

#endif
