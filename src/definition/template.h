/*
 * template.h — a council's house style (docs/templates.md), loaded and
 * validated once; every length in points. Layout reads it, never XML.
 */
#ifndef SC_TEMPLATE_H
#define SC_TEMPLATE_H

#include <stdint.h>

#include "../util/arena.h"
#include "../util/diag.h"

#define TPL_MAX_LEVELS 6
#define TPL_MAX_PALETTE 16
#define TPL_MAX_PARTS 32
/* Type sizes a reader can read [pt]. */
#define TPL_MIN_SIZE 4.0
/* The most rows <tables orphan-rows= widow-rows=> may keep together:
 * more makes most tables unbreakable. */
#define TPL_MAX_KEEP_ROWS 10
#define TPL_MAX_SIZE 200.0

enum tpl_case { CASE_AS_WRITTEN, CASE_UPPER };
enum tpl_align { ALIGN_LEFT, ALIGN_CENTER, ALIGN_RIGHT, ALIGN_JUSTIFY };
enum tpl_paranum { PARANUM_SECTION, PARANUM_CONTINUOUS, PARANUM_NONE };
/* How sub-section headings are numbered. */
enum tpl_subhead { SUBHEAD_NONE, SUBHEAD_NUMBERED, SUBHEAD_PARAGRAPH };
enum tpl_style { STYLE_PLAIN, STYLE_BOLD, STYLE_HEADING, STYLE_TITLE,
	STYLE_SMALL };
enum tpl_part_kind { PART_BANNER, PART_LINE, PART_ROWS, PART_RULE };
enum tpl_rows_style { ROWS_TABLE, ROWS_PLAIN, ROWS_STACKED };
enum tpl_shape { SHAPE_SHIELD, SHAPE_CIRCLE, SHAPE_SQUARE, SHAPE_BAR };

struct tpl_heading {
	double        size;          /* [pt] */
	int           bold, italic;
	enum tpl_case tcase;
	double        space_before, space_after; /* [pt] */
	uint32_t      colour;        /* 0xRRGGBB */
};

struct tpl_mark {
	enum tpl_shape shape;
	uint32_t       colour;
	const char    *text;     /* lines separated by '|' */
	const char    *tagline;
};

struct tpl_row {
	const char *label;
	const char *value;      /* pattern with {field} */
};

struct tpl_part {
	enum tpl_part_kind   kind;
	/* PART_LINE */
	enum tpl_style       style;
	enum tpl_align       align;
	enum tpl_case        tcase;
	const char          *text;
	/* PART_ROWS */
	enum tpl_rows_style  rows_style;
	double               label_width; /* [pt] */
	struct tpl_row      *rows;
	int                  nrows;
	/* PART_BANNER */
	struct tpl_mark     *marks;
	int                  nmarks;
};

struct tpl_running {
	const char *part[3];    /* left, center, right patterns, or NULL */
	int         first_page; /* shown on page 1 */
};

struct template {
	const char  *name;
	const char  *file;
	const char  *lang;
	/* page */
	double       page_w, page_h;                  /* [pt] */
	double       margin_t, margin_b, margin_l, margin_r; /* [pt] */
	/* fonts */
	const char  *font_body, *font_heading;
	double       size, small_size;                /* [pt] */
	double       line_height;                     /* factor of size */
	/* colours */
	uint32_t     c_text, c_heading, c_link, c_rule, c_accent;
	uint32_t     palette[TPL_MAX_PALETTE];
	int          npalette;
	struct tpl_heading heading[TPL_MAX_LEVELS];   /* [0] is level 1 */
	/* numbering */
	int          num_headings;
	const char  *heading_format;                  /* "{s}." */
	int          num_subheadings;                 /* enum tpl_subhead */
	enum tpl_paranum para_numbering;
	const char  *para_format;                     /* "{s}.{p}" */
	double       number_width;                    /* [pt] */
	double       lists_indent;  /* [pt] left edge of body lists; -1: number_width */
	/* paragraphs */
	double       para_space_after;                /* [pt] */
	enum tpl_align para_align;
	/* lists */
	double       list_indent, list_gap, list_space_after; /* [pt] */
	const char  *bullet;
	/* appendices */
	int          appendix_letters;
	const char  *appendix_heading;                /* "Appendix {n} – {title}" */
	/* captions */
	const char  *caption_table, *caption_figure;
	int          caption_above;
	int          caption_shared;  /* tables and figures share a count */
	int          caption_continued; /* groups=: enum caption_groups
	                                 * (doc.h); not GROUPS_NUMBER: a
	                                 * grouped table's parts share one
	                                 * number */
	/* tables */
	uint32_t     t_header_fill, t_border, t_zebra;
	int          t_has_zebra;
	double       t_size;
	int          t_orphan_rows; /* rows kept under a table's header */
	int          t_widow_rows;  /* the fewest data rows a continuation
	                             * carries, its total rows apart */
	/* risks */
	int          risk_red, risk_amber;
	int          risk_scores;   /* print Score and Net score columns */
	uint32_t     c_red, c_amber, c_green;
	/* dates */
	const char  *date_format;
	/* front sheet */
	struct tpl_part *parts;
	int          nparts;
	double       front_space_after;
	/* running header and footer */
	struct tpl_running header, footer;
	/* contacts */
	const char  *contacts_title;
};

/* Fills t with the default template's values (strings are static). */
void tpl_defaults(struct template *t);
/*
 * Loads and validates a template file. Strings live in arena. Returns 0,
 * or -1 with every problem added to diags.
 */
int  tpl_load(struct template *t, const char *path, struct arena *arena,
    struct diags *diags);
/* The same for a template already in memory (path names it). */
int  tpl_load_mem(struct template *t, const char *data, size_t len,
    const char *path, struct arena *arena, struct diags *diags);
/* 1 when data is one of the shipped templates byte for byte (which the
 * tests check against the schema, so a build need not), else 0. */
int  tpl_shipped(const char *data, size_t len);
/* Parses a length ("12pt", "25mm", "1in", "12") into points; -1 if bad. */
double tpl_length(const char *s);
/* Parses "#RRGGBB"; returns 0 on success. */
int  tpl_colour(const char *s, uint32_t *out);

#endif
