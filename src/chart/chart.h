/*
 * chart.h — charts drawn into the display list: scales and "nice" ticks,
 * line, column, bar, grouped, stacked, pie and donut charts, legends, and
 * the text alternative written from the data. The chart module knows
 * nothing of fonts or PDF: it measures and places text through the
 * callbacks of a chart_ctx, which layout provides.
 */
#ifndef SC_CHART_H
#define SC_CHART_H

#include <stddef.h>
#include <stdint.h>

#include "../render/displaylist.h"
#include "../util/arena.h"
#include "../util/buf.h"

enum chart_type { CHART_LINE, CHART_COLUMN, CHART_BAR, CHART_GROUPED,
	CHART_STACKED, CHART_PIE, CHART_DONUT, CHART_TYPE_MAX };

/* The data a chart plots: categories × series, NAN where missing. */
struct chart_data {
	int           ncat, nser;
	const char  **cat;     /* ncat category labels */
	const char  **ser;     /* nser series names */
	double       *v;       /* nser × ncat, series-major */
	const char   *x_name;  /* what the categories are ("month") */
	/* x_name is the definition's x-label=, ser[0] its <series label=>
	 * (not a name from the data). */
	int           x_named, ser_named;
};

struct chart_spec {
	enum chart_type type;
	const char     *y_label;
	double          y_min, y_max;  /* NAN: from the data */
	double          target;        /* NAN: none */
	const char     *number_format; /* tick and label format, or NULL */
	int             data_labels;
	/* The category drawn apart (highlight=: in another colour, outlined,
	 * its label bold), or NULL. */
	const char     *highlight;
};

/* How a chart's text and shapes get into the display list. */
struct chart_ctx {
	void     *arg;
	/* Width of text at size [pt]. */
	double  (*measure)(void *arg, int bold, double size, const char *s);
	/* A text op with its baseline at (x, y). */
	int     (*text)(void *arg, int bold, double size, uint32_t colour,
	    double x, double y, const char *s);
	/* Any other op (lines, rects, paths). */
	int     (*op)(void *arg, const struct dl_op *op);
	/* Formats a value into out; tick is set for axis labels, which
	 * need no decimals when the steps are whole. */
	void    (*format)(void *arg, double v, int tick, struct buf *out);
	struct arena *arena;
	const uint32_t *palette;
	int       npalette;
	uint32_t  text_colour, grid_colour, axis_colour;
	double    size;         /* chart text size [pt], at least 9 */
};

/* Nice tick steps (1, 2, 5 × 10^n) covering [lo, hi] in about n steps.
 * Sets *first, *step and returns the number of ticks. */
int   chart_ticks(double lo, double hi, int n, double *first, double *step);
/* Draws the chart in a w × h box at (x, y) [pt]. Returns 0 or -1. */
int   chart_draw(const struct chart_ctx *c, const struct chart_spec *s,
    const struct chart_data *d, double x, double y, double w, double h);
/* The text alternative: what is plotted, the range, highest and lowest.
 * Into the ctx's arena; NULL when out of memory. */
/* The heading of column col of a chart's data table (0 the categories,
 * k series k - 1), as the chart names it to a reader: the x-label, the
 * series' label, the y-label or the legend's name, never a field name
 * ("type", "crimes"), else "Category" or "Value". */
const char *chart_table_head(const struct chart_data *d,
    const char *y_label, int col);
const char *chart_alt(const struct chart_ctx *c, const struct chart_spec *s,
    const struct chart_data *d);
const char *chart_type_name(enum chart_type t);

#endif
