#include "definition.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <libxml/tree.h>

#include "params.h"
#include "rules.h"
#include "template.h"
#include "xml.h"
#include "../util/buf.h"
#include "../util/date.h"
#include "../util/suggest.h"

struct rd {
	struct doc   *doc;
	struct diags *diags;
	const char   *path;
	const char   *data;    /* the file's bytes, for sqlprop() */
	size_t        len;
	int           depth;
	int           report_line;
};

/* Known meta fields, in FORMAT.md's order. */
static const char *const meta_keys[] = {
	"organisation", "committee", "meeting-date", "title", "report-of",
	"author", "portfolio-holder", "wards", "classification",
	"key-decision", "report-number", "status", "purpose", NULL
};

static const char *
prop(struct rd *r, xmlNodePtr x, const char *name)
{
	return xml_prop(x, name, &r->doc->arena);
}

/* An attribute holding SQL, or a column's name put into SQL: its value,
 * with where it stands in the file noted, so that an SQL error in it is
 * told at its own line (doc_text_line()), not the element's. */
static const char *
sqlprop(struct rd *r, xmlNodePtr x, const char *name)
{
	const char *v = prop(r, x, name), *shadow;
	struct src_text *t;
	int line;

	if (v == NULL || (line = xml_attr_src(x, r->data, r->len, name,
	    &r->doc->arena, &shadow)) <= 0 ||
	    (t = arena_alloc(&r->doc->arena, sizeof(*t))) == NULL)
		return v;
	t->text = v;
	t->shadow = shadow;
	t->line = line;
	t->next = r->doc->texts;
	r->doc->texts = t;
	return v;
}

/* An attribute whose text is printed: {name} gives a parameter. */
static const char *
tprop(struct rd *r, xmlNodePtr x, const char *name)
{
	const char *v = prop(r, x, name);
	char what[80];

	if (v == NULL || strpbrk(v, "{}") == NULL)
		return v;
	snprintf(what, sizeof(what), "<%s %s>", (const char *)x->name, name);
	return params_expand(r->doc, v, r->path, xml_line(x), what, r->diags);
}

static struct node *
mk(struct rd *r, enum node_kind k, xmlNodePtr x)
{
	struct node *n = node_new(r->doc, k, r->path, xml_line(x));

	if (n != NULL && x->type == XML_ELEMENT_NODE) {
		const char *e = prop(r, x, "empty");
		n->id = prop(r, x, "id");
		n->empty_ok = e != NULL && strcmp(e, "ok") == 0;
		/* Only the captioned elements allow it (rules.c). */
		n->caption_format = prop(r, x, "caption-format");
		/* rules.c allows only above and below. */
		if ((e = prop(r, x, "caption-position")) != NULL)
			n->caption_pos = strcmp(e, "above") == 0 ?
			    CAPTION_ABOVE : CAPTION_BELOW;
	}
	return n;
}

/* Collapses runs of XML white space into one space. */
static const char *
collapse(struct rd *r, const char *s)
{
	size_t n = strlen(s), i, o = 0;
	char *out = arena_alloc(&r->doc->arena, n + 1);
	int sp = 0;

	if (out == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
			sp = 1;
			continue;
		}
		if (sp)
			out[o++] = ' ';
		sp = 0;
		out[o++] = s[i];
	}
	if (sp)
		out[o++] = ' ';
	out[o] = '\0';
	return out;
}

static int read_inlines(struct rd *r, struct node *parent, xmlNodePtr x);
static int read_blocks(struct rd *r, struct node *parent, xmlNodePtr x);
static int read_block(struct rd *r, struct node *parent, xmlNodePtr c);
static int read_yesno(struct rd *r, xmlNodePtr x, const char *name,
    int dflt);

static int
too_deep(struct rd *r, xmlNodePtr x)
{
	if (r->depth < DEF_MAX_DEPTH)
		return 0;
	diag_err(r->diags, r->path, xml_line(x), "elements are nested more "
	    "than %d deep; flatten the structure", DEF_MAX_DEPTH);
	return 1;
}

/* A link a reader may follow: the web, mail and telephone, nothing that
 * runs or opens a local file (javascript:, file:, data:, launch:, UNC
 * paths), and short enough for any reader (libharu refuses past 64 KiB
 * with a bare error code). */
#define HREF_MAX 2000

static void
check_href(struct rd *r, xmlNodePtr c, const char *href)
{
	static const char *const schemes[] = { "https:", "http:", "mailto:",
	    "tel:" };
	size_t i, n;

	if (href == NULL)
		return; /* the rules ask for href= */
	if ((n = strlen(href)) == 0) {
		diag_err(r->diags, r->path, xml_line(c), "<a href=\"\"> has no "
		    "target; write a web address (https://...), mailto: or tel:");
		return;
	}
	if (n > HREF_MAX) {
		diag_err(r->diags, r->path, xml_line(c), "<a href> is %zu "
		    "characters long; a link may have at most %d", n, HREF_MAX);
		return;
	}
	for (i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++)
		if (strncasecmp(href, schemes[i], strlen(schemes[i])) == 0)
			break;
	if (i == sizeof(schemes) / sizeof(schemes[0]) ||
	    strpbrk(href, " \t\r\n\\") != NULL)
		diag_err(r->diags, r->path, xml_line(c), "<a href=\"%.60s%s\">: a "
		    "link must be a web address (https:// or http://), mailto: or "
		    "tel:, without spaces or backslashes", href, n > 60 ? "..." : "");
}

/* One inline element or text node. */
static int
read_inline(struct rd *r, struct node *parent, xmlNodePtr c)
{
	struct node *n = NULL;
	const char *name = (const char *)c->name;

	if (c->type == XML_TEXT_NODE) {
		if ((n = mk(r, N_TEXT, c)) == NULL)
			return -1;
		n->text = params_expand(r->doc, (const char *)c->content, r->path,
		    xml_line(c), "text", r->diags);
		if (n->text == NULL || (n->text = collapse(r, n->text)) == NULL)
			return -1;
		node_append(parent, n);
		return 0;
	}
	if (c->type == XML_ENTITY_REF_NODE) {
		diag_err(r->diags, r->path, xml_line(c), "entity &%s; is not "
		    "allowed; write the character itself", name);
		return 0;
	}
	if (c->type != XML_ELEMENT_NODE)
		return 0;
	if (strcmp(name, "b") == 0)
		n = mk(r, N_BOLD, c);
	else if (strcmp(name, "i") == 0)
		n = mk(r, N_ITALIC, c);
	else if (strcmp(name, "a") == 0) {
		if ((n = mk(r, N_LINK, c)) != NULL) {
			n->href = prop(r, c, "href");
			check_href(r, c, n->href);
		}
	} else if (strcmp(name, "br") == 0)
		n = mk(r, N_BR, c);
	else if (strcmp(name, "ref") == 0) {
		if ((n = mk(r, N_REF, c)) != NULL)
			n->to = prop(r, c, "to");
	} else if (strcmp(name, "value") == 0) {
		if ((n = mk(r, N_VALUE, c)) != NULL) {
			n->param = prop(r, c, "param");
			n->query = sqlprop(r, c, "query");
			n->format = prop(r, c, "format");
		}
	} else
		return 0; /* the schema has said where it may not be */
	if (n == NULL)
		return -1;
	node_append(parent, n);
	if (n->kind == N_BOLD || n->kind == N_ITALIC || n->kind == N_LINK) {
		int rc;
		if (too_deep(r, c))
			return 0;
		r->depth++;
		rc = read_inlines(r, n, c);
		r->depth--;
		return rc;
	}
	return 0;
}

static int
read_inlines(struct rd *r, struct node *parent, xmlNodePtr x)
{
	xmlNodePtr c;

	for (c = x->children; c != NULL; c = c->next)
		if (read_inline(r, parent, c) != 0)
			return -1;
	return 0;
}

static int
is_block_name(const char *name)
{
	static const char *const blocks[] = { "section", "p", "list",
		"table", "chart", "kpis", "risks", "image", "page-break",
		NULL };
	int i;

	for (i = 0; blocks[i]; i++)
		if (strcmp(name, blocks[i]) == 0)
			return 1;
	return 0;
}

/* A list item: inlines, blocks, or inlines then blocks. */
static int
read_item(struct rd *r, struct node *item, xmlNodePtr x)
{
	xmlNodePtr c;

	for (c = x->children; c != NULL; c = c->next) {
		if (c->type == XML_ELEMENT_NODE &&
		    is_block_name((const char *)c->name)) {
			if (read_block(r, item, c) != 0)
				return -1;
		} else if (read_inline(r, item, c) != 0)
			return -1;
	}
	return 0;
}

static int
read_yesno(struct rd *r, xmlNodePtr x, const char *name, int dflt)
{
	const char *v = prop(r, x, name);

	if (v == NULL)
		return dflt;
	return strcmp(v, "no") != 0;
}

/* number=: whole numbers joined by dots ("5", "4.1"), else an error. */
static const char *
read_number_attr(struct rd *r, xmlNodePtr x)
{
	const char *v = prop(r, x, "number"), *p;
	int ok = v != NULL && isdigit((unsigned char)*v);

	if (v == NULL)
		return NULL;
	for (p = v; ok && *p; p++)
		ok = isdigit((unsigned char)*p) || (*p == '.' &&
		    isdigit((unsigned char)p[1]));
	if (!ok) {
		diag_err(r->diags, r->path, xml_line(x), "<%s number=\"%s\">: "
		    "a number is whole numbers joined by dots; write it as "
		    "the paper prints it, such as number=\"5\" or "
		    "number=\"4.1\"", (const char *)x->name, v);
		return NULL;
	}
	return v;
}

static int
read_positive(struct rd *r, xmlNodePtr x, const char *name)
{
	const char *v = prop(r, x, name);
	char *end;
	long n;

	if (v == NULL)
		return 0;
	n = strtol(v, &end, 10);
	if (*v == '\0' || *end != '\0' || n < 1 || n > 1000000) {
		diag_err(r->diags, r->path, xml_line(x), "<%s %s=\"%s\">: write a "
		    "whole number of 1 or more", (const char *)x->name, name, v);
		return 0;
	}
	return (int)n;
}

/* A number attribute, NAN when absent; a bad one is reported. */
static double
read_number(struct rd *r, xmlNodePtr x, const char *name)
{
	const char *v = prop(r, x, name);
	char *end;
	double d;

	if (v == NULL)
		return NAN;
	d = strtod(v, &end);
	if (*v == '\0' || *end != '\0' || !isfinite(d)) {
		diag_err(r->diags, r->path, xml_line(x), "<%s %s=\"%s\">: write a "
		    "number, e.g. %s=\"100\"", (const char *)x->name, name, v,
		    name);
		return NAN;
	}
	return d;
}

/* A chart's <series field= label=>s: the columns to plot, in order, each
 * with the name the legend, data table and text alternative give it. */
static int
read_series(struct rd *r, struct node *n, xmlNodePtr c)
{
	xmlNodePtr k;
	struct buf cols;
	int m = 0;

	for (k = c->children; k != NULL; k = k->next)
		m += xml_is(k, "series");
	if (m == 0)
		return 0;
	if (n->series != NULL) {
		diag_err(r->diags, r->path, xml_line(c), "<chart> has both "
		    "series=\"%s\" and <series> elements; name the columns one "
		    "way: <series field=\"COLUMN\" label=\"Name\"/> for each",
		    n->series);
		return 0;
	}
	n->ser_field = arena_alloc(&r->doc->arena, (size_t)m *
	    sizeof(*n->ser_field));
	n->ser_label = arena_alloc(&r->doc->arena, (size_t)m *
	    sizeof(*n->ser_label));
	if (n->ser_field == NULL || n->ser_label == NULL)
		return -1;
	buf_init(&cols);
	for (k = c->children; k != NULL; k = k->next) {
		const char *f;
		if (!xml_is(k, "series"))
			continue;
		if ((f = prop(r, k, "field")) == NULL)
			continue;   /* the rules say it is needed */
		n->ser_field[n->nser_label] = f;
		n->ser_label[n->nser_label++] = tprop(r, k, "label");
		buf_printf(&cols, "%s%s", cols.len ? "," : "", f);
	}
	/* bind reads the columns from series=, as if written there. */
	if (cols.len > 0 && !cols.oom)
		n->series = arena_strdup(&r->doc->arena, cols.data);
	m = cols.oom || (cols.len > 0 && n->series == NULL) ? -1 : 0;
	buf_free(&cols);
	return m;
}

static int
read_chart(struct rd *r, struct node *parent, xmlNodePtr c)
{
	struct node *n = mk(r, N_CHART, c);
	const char *v;

	if (n == NULL)
		return -1;
	n->chart_type = prop(r, c, "type");
	n->data = prop(r, c, "data");
	n->x = prop(r, c, "x");
	n->series = prop(r, c, "series");
	n->series_by = prop(r, c, "series-by");
	n->caption = tprop(r, c, "caption");
	n->alt = tprop(r, c, "alt");
	n->y_label = tprop(r, c, "y-label");
	n->source = tprop(r, c, "source");
	n->where = sqlprop(r, c, "where");
	n->order_by = sqlprop(r, c, "order-by");
	n->y_min = read_number(r, c, "y-min");
	n->y_max = read_number(r, c, "y-max");
	n->target_line = read_number(r, c, "target");
	n->data_table = read_yesno(r, c, "data-table", 0);
	n->data_labels = read_yesno(r, c, "data-labels", 0);
	n->suppress_below = read_positive(r, c, "suppress-below");
	n->format = prop(r, c, "format");
	n->axis_format = prop(r, c, "axis-format");
	n->x_label = tprop(r, c, "x-label");
	n->highlight = tprop(r, c, "highlight");
	if ((v = prop(r, c, "sort")) != NULL)
		n->sort = strcmp(v, "-value") == 0 ? -1 : 1;
	if (read_series(r, n, c) != 0)
		return -1;
	if (n->highlight != NULL && n->chart_type != NULL &&
	    strcmp(n->chart_type, "line") == 0)
		diag_err(r->diags, r->path, xml_line(c), "<chart type=\"line\" "
		    "highlight=\"%s\">: a line chart has no bar or slice to draw "
		    "apart; highlight= is for column, bar, grouped, stacked, pie "
		    "and donut charts", n->highlight);
	n->chart_w = n->chart_h = NAN;
	if ((v = prop(r, c, "width")) != NULL &&
	    (n->chart_w = tpl_length(v)) < 0) {
		diag_err(r->diags, r->path, xml_line(c), "<chart width=\"%s\">: "
		    "write a length such as \"120mm\"", v);
		n->chart_w = NAN;
	}
	if ((v = prop(r, c, "height")) != NULL &&
	    (n->chart_h = tpl_length(v)) < 0) {
		diag_err(r->diags, r->path, xml_line(c), "<chart height=\"%s\">: "
		    "write a length such as \"80mm\"", v);
		n->chart_h = NAN;
	}
	if (n->data == NULL)
		diag_err(r->diags, r->path, xml_line(c), "<chart> needs "
		    "data=\"ID\" naming a <csv> or <query>");
	if (n->chart_type == NULL)
		diag_err(r->diags, r->path, xml_line(c), "<chart> needs type= "
		    "(line, column, bar, grouped, stacked, pie or donut)");
	node_append(parent, n);
	return 0;
}

/* <table>: data-driven with <column>s, or literal with <head>/<row>. */
static int
read_table(struct rd *r, struct node *parent, xmlNodePtr c)
{
	struct node *n = mk(r, N_TABLE, c);
	xmlNodePtr k;

	if (n == NULL)
		return -1;
	n->data = prop(r, c, "data");
	n->caption = tprop(r, c, "caption");
	n->group_by = sqlprop(r, c, "group-by");
	n->where = sqlprop(r, c, "where");
	n->order_by = sqlprop(r, c, "order-by");
	n->source = tprop(r, c, "source");
	n->suppress_below = read_positive(r, c, "suppress-below");
	n->emphasis = sqlprop(r, c, "emphasis");
	node_append(parent, n);
	for (k = c->children; k != NULL; k = k->next) {
		struct node *col;
		if (xml_is(k, "total")) {
			n->total_line = xml_line(k);
			n->total_label = tprop(r, k, "label");
			n->grand_total = read_yesno(r, k, "grand", 0);
			n->grand_label = tprop(r, k, "grand-label");
			if (n->grand_total && n->group_by == NULL)
				diag_err(r->diags, r->path, xml_line(k), "<total "
				    "grand=\"yes\"> totals the groups of a table with "
				    "group-by=; without groups the total is the whole "
				    "table's: leave grand= out");
		} else if (xml_is(k, "column")) {
			if ((col = mk(r, N_COLUMN, k)) == NULL)
				return -1;
			col->field = sqlprop(r, k, "field");
			col->header = tprop(r, k, "header");
			col->value = sqlprop(r, k, "value");
			col->format = prop(r, k, "format");
			col->align = prop(r, k, "align");
			col->width = prop(r, k, "width");
			col->colour = prop(r, k, "colour");
			col->polarity_field = sqlprop(r, k, "polarity-field");
			col->format_field = sqlprop(r, k, "format-field");
			col->row_header = read_yesno(r, k, "row-header", -1);
			col->total = prop(r, k, "total");
			col->alt_header = tprop(r, k, "alt-header");
			if (col->field == NULL && col->value == NULL)
				diag_err(r->diags, r->path, xml_line(k), "<column> needs "
				    "field=\"COLUMN\" or value=\"SQL expression\"");
			node_append(n, col);
		} else if (xml_is(k, "head") || xml_is(k, "row")) {
			struct node *row = mk(r, xml_is(k, "head") ? N_HEAD : N_ROW,
			    k);
			xmlNodePtr cc;
			if (row == NULL)
				return -1;
			node_append(n, row);
			for (cc = k->children; cc != NULL; cc = cc->next) {
				struct node *cell;
				if (!xml_is(cc, "cell"))
					continue;
				if ((cell = mk(r, N_CELL, cc)) == NULL)
					return -1;
				node_append(row, cell);
				if (read_inlines(r, cell, cc) != 0)
					return -1;
			}
		}
	}
	if (n->data == NULL && n->first != NULL && n->first->kind == N_COLUMN)
		diag_err(r->diags, r->path, xml_line(c), "<table> has <column>s "
		    "but no data=; name a <csv> or <query> id");
	if (n->data != NULL)
		for (k = c->children; k != NULL; k = k->next)
			if (xml_is(k, "row") || xml_is(k, "head")) {
				diag_err(r->diags, r->path, xml_line(k), "<table "
				    "data=...> takes <column>s, not <%s>; a literal "
				    "table has no data=", (const char *)k->name);
				break;
			}
	return 0;
}

/* Reads one block element x (not its siblings) into parent. */
static int
read_block(struct rd *r, struct node *parent, xmlNodePtr c)
{
	const char *name = (const char *)c->name;
	struct node *n;
	int rc = 0;

	if (strcmp(name, "section") == 0 || strcmp(name, "appendix") == 0) {
		n = mk(r, strcmp(name, "section") == 0 ? N_SECTION : N_APPENDIX, c);
		if (n == NULL)
			return -1;
		n->title = tprop(r, c, "title");
		if (n->title != NULL)
			n->title = collapse(r, n->title);
		n->numbered = read_yesno(r, c, "numbered", 1);
		n->number = read_number_attr(r, c);
		n->heading_format = prop(r, c, "heading-format");
		node_append(parent, n);
		if (too_deep(r, c))
			return 0;
		r->depth++;
		rc = read_blocks(r, n, c->children);
		r->depth--;
		return rc;
	}
	if (strcmp(name, "p") == 0) {
		const char *nb = prop(r, c, "numbered");

		if ((n = mk(r, N_PARA, c)) == NULL)
			return -1;
		n->numbered = nb != NULL && strcmp(nb, "sub") == 0 ? 2 :
		    read_yesno(r, c, "numbered", 1);
		n->number = read_number_attr(r, c);
		node_append(parent, n);
		return read_inlines(r, n, c);
	}
	if (strcmp(name, "list") == 0) {
		const char *style = prop(r, c, "style");
		xmlNodePtr i;

		if ((n = mk(r, N_LIST, c)) == NULL)
			return -1;
		n->list_style = LIST_BULLET;
		/* The names stand for their labels; a label as written
		 * ("a.", "(A)", "i)") gives its own (rules.c lists them). */
		if (style && strcmp(style, "number") == 0)
			style = "1.";
		else if (style && strcmp(style, "roman") == 0)
			style = "(i)";
		else if (style && strcmp(style, "alpha") == 0)
			style = "(a)";
		if (style && strcmp(style, "bullet") != 0) {
			const char *k = style + strspn(style, "(");
			n->list_label = style;
			n->list_style = *k == '1' ? LIST_NUMBER : (*k == 'i' ||
			    *k == 'I') ? LIST_ROMAN : LIST_ALPHA;
		}
		node_append(parent, n);
		if (too_deep(r, c))
			return 0;
		r->depth++;
		for (i = c->children; i != NULL && rc == 0; i = i->next) {
			struct node *it;
			if (!xml_is(i, "item"))
				continue;
			if ((it = mk(r, N_ITEM, i)) == NULL)
				return -1;
			node_append(n, it);
			rc = read_item(r, it, i);
		}
		r->depth--;
		return rc;
	}
	if (strcmp(name, "page-break") == 0) {
		if ((n = mk(r, N_PAGEBREAK, c)) == NULL)
			return -1;
		node_append(parent, n);
		return 0;
	}
	if (strcmp(name, "table") == 0)
		return read_table(r, parent, c);
	if (strcmp(name, "risks") == 0) {
		if ((n = mk(r, N_RISKS, c)) == NULL)
			return -1;
		n->data = prop(r, c, "data");
		n->caption = tprop(r, c, "caption");
		n->where = sqlprop(r, c, "where");
		n->source = tprop(r, c, "source");
		n->matrix = read_yesno(r, c, "matrix", 0);
		node_append(parent, n);
		return 0;
	}
	if (strcmp(name, "chart") == 0)
		return read_chart(r, parent, c);
	if (strcmp(name, "kpis") == 0) {
		if ((n = mk(r, N_KPIS, c)) == NULL)
			return -1;
		n->data = prop(r, c, "data");
		n->label_expr = sqlprop(r, c, "label");
		n->value = sqlprop(r, c, "value");
		n->change = sqlprop(r, c, "change");
		n->polarity_field = sqlprop(r, c, "polarity-field");
		n->source = tprop(r, c, "source");
		n->caption = tprop(r, c, "caption");
		n->format = prop(r, c, "format");
		if (n->data == NULL || n->label_expr == NULL || n->value == NULL)
			diag_err(r->diags, r->path, xml_line(c), "<kpis> needs "
			    "data=, label= and value=");
		node_append(parent, n);
		return 0;
	}
	if (strcmp(name, "image") == 0) {
		const char *v;
		if ((n = mk(r, N_IMAGE, c)) == NULL)
			return -1;
		n->href = prop(r, c, "href");
		n->alt = tprop(r, c, "alt");
		n->chart_w = NAN;
		if ((v = prop(r, c, "width")) != NULL &&
		    (n->chart_w = tpl_length(v)) <= 0) {
			diag_err(r->diags, r->path, xml_line(c), "<image width=\"%s\">: "
			    "write a length such as \"80mm\"", v);
			n->chart_w = NAN;
		}
		if (n->alt != NULL && n->alt[0] == '\0')
			diag_err(r->diags, r->path, xml_line(c), "<image alt=\"\">: say "
			    "what the image shows, for people who cannot see it");
		node_append(parent, n);
		return 0;
	}
	return 0; /* unknown: reported by the schema */
}

/* A sub-paragraph hangs from the numbered paragraph before it among
 * parent's blocks, a section between them ending that paragraph's run
 * (layout/number.c): one with none before it would print unnumbered, with
 * nothing to say why. */
static void
check_subs(struct rd *r, const struct node *parent)
{
	const struct node *n;
	int seen = 0;

	for (n = parent->first; n != NULL; n = n->next)
		if (n->kind == N_SECTION)
			seen = 0;
		else if (n->kind == N_PARA && n->numbered == 1)
			seen = 1;
		else if (n->kind == N_PARA && n->numbered == 2 && !seen)
			diag_warn(r->diags, n->file, n->line, "<p numbered=\"sub\"> "
			    "has no numbered paragraph before it in its section, "
			    "so it prints without a number; put it after the "
			    "paragraph it belongs to, or write numbered=\"no\"");
}

static int
read_blocks(struct rd *r, struct node *parent, xmlNodePtr first)
{
	xmlNodePtr c;

	for (c = first; c != NULL; c = c->next) {
		/* Stray text is reported by rules_check(). */
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (read_block(r, parent, c) != 0)
			return -1;
	}
	check_subs(r, parent);
	return 0;
}

static int
add_meta(struct rd *r, const char *key, const char *value, int line,
    size_t *cap)
{
	if (r->doc->nmeta == *cap) {
		size_t nc = *cap ? *cap * 2 : 16;
		struct meta_field *m = arena_alloc(&r->doc->arena, nc * sizeof(*m));
		if (m == NULL)
			return -1;
		if (r->doc->nmeta)
			memcpy(m, r->doc->meta, r->doc->nmeta * sizeof(*m));
		r->doc->meta = m;
		*cap = nc;
	}
	r->doc->meta[r->doc->nmeta].key = key;
	r->doc->meta[r->doc->nmeta].value = value;
	r->doc->meta[r->doc->nmeta].file = r->path;
	r->doc->meta[r->doc->nmeta].line = line;
	r->doc->nmeta++;
	return 0;
}

static void *
grow_array(struct rd *r, void *v, size_t n, size_t size)
{
	/* Arrays in the arena: copy to a block twice the size when full
	 * (n is a power of two or zero). */
	void *nv;

	if (n != 0 && (n & (n - 1)) != 0)
		return v;
	nv = arena_alloc(&r->doc->arena, (n ? n * 2 : 4) * size);
	if (nv != NULL && n)
		memcpy(nv, v, n * size);
	return nv;
}

/*
 * A <query>'s SQL: its text with each comment's line breaks kept (and
 * nothing else of it), so that a fault SQLite finds at an offset is told
 * at its own line of the definition.
 */
static const char *
query_text(xmlNodePtr q, struct arena *a)
{
	struct buf b;
	xmlNodePtr c;
	const char *r;

	for (c = q->children; c != NULL; c = c->next)
		if (c->type != XML_TEXT_NODE && c->type != XML_CDATA_SECTION_NODE &&
		    c->type != XML_COMMENT_NODE)
			return xml_text(q, a);   /* entities and the like */
	buf_init(&b);
	for (c = q->children; c != NULL; c = c->next) {
		const char *t = (const char *)c->content;
		if (t == NULL)
			continue;
		if (c->type != XML_COMMENT_NODE)
			buf_puts(&b, t);
		else
			for (; *t; t++)
				if (*t == '\n')
					buf_putc(&b, '\n');
	}
	r = b.oom ? NULL : arena_strdup(a, b.data ? b.data : "");
	buf_free(&b);
	return r;
}

static int
read_data(struct rd *r, xmlNodePtr x)
{
	struct doc *d = r->doc;
	xmlNodePtr c;

	for (c = x->children; c != NULL; c = c->next) {
		if (xml_is(c, "csv")) {
			struct source *s;
			if ((d->sources = grow_array(r, d->sources, d->nsources,
			    sizeof(*s))) == NULL)
				return -1;
			s = &d->sources[d->nsources++];
			s->id = prop(r, c, "id");
			s->href = prop(r, c, "href");
			s->encoding = prop(r, c, "encoding");
			s->delimiter = prop(r, c, "delimiter");
			s->header = read_yesno(r, c, "header", 1);
			s->file = r->path;
			s->line = xml_line(c);
		} else if (xml_is(c, "query")) {
			struct query *q;
			if ((d->queries = grow_array(r, d->queries, d->nqueries,
			    sizeof(*q))) == NULL)
				return -1;
			q = &d->queries[d->nqueries++];
			q->id = prop(r, c, "id");
			if ((q->sql = query_text(c, &d->arena)) == NULL)
				return -1;
			q->file = r->path;
			q->line = xml_line(c);
			if (q->id == NULL)
				diag_err(r->diags, r->path, q->line, "<query> needs "
				    "id=\"NAME\" so tables can use it as data=");
		} else if (xml_is(c, "expect")) {
			struct expect *e;
			if ((d->expects = grow_array(r, d->expects, d->nexpects,
			    sizeof(*e))) == NULL)
				return -1;
			e = &d->expects[d->nexpects++];
			e->source = prop(r, c, "source");
			e->column = prop(r, c, "column");
			e->periods = prop(r, c, "periods");
			e->from = tprop(r, c, "from");
			e->to = tprop(r, c, "to");
			e->file = r->path;
			e->line = xml_line(c);
			if (!e->source || !e->column || !e->periods || !e->from ||
			    !e->to)
				diag_err(r->diags, r->path, e->line, "<expect> needs "
				    "source, column, periods, from and to");
		}
	}
	return 0;
}

/* A meta field's text, with <value param> printed in it; the other
 * inline elements give their text (the front sheet prints them plain). */
static void
meta_text_in(struct rd *r, xmlNodePtr x, struct buf *b, const char *field)
{
	xmlNodePtr c;

	for (c = x->children; c != NULL; c = c->next) {
		if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
			/* The text's own {name}s; a parameter's value printed
			 * below is never expanded again. */
			char what[80];
			const char *t;
			snprintf(what, sizeof(what), "<%s>", field);
			t = params_expand(r->doc, (const char *)c->content, r->path,
			    xml_line(c), what, r->diags);
			buf_puts(b, t ? t : "");
			if (t == NULL)
				b->oom = 1;
		}
		else if (xml_is(c, "value")) {
			const char *p = prop(r, c, "param"), *v;
			if (prop(r, c, "query") != NULL)
				diag_err(r->diags, r->path, xml_line(c), "<%s>: <value "
				    "query> cannot be used here, as the front sheet and "
				    "the PDF's properties are set before the data is "
				    "read; use <value param>, or give the figure in the "
				    "body", field);
			else if (p != NULL && (v = doc_param_use(r->doc, p)) != NULL)
				buf_puts(b, v);
			else if (p != NULL && !doc_declared(r->doc, p))
				diag_err(r->diags, r->path, xml_line(c), "<value "
				    "param=\"%s\">: no such parameter; declare it in "
				    "<params>", p);
		} else if (c->type == XML_ELEMENT_NODE && r->depth < DEF_MAX_DEPTH) {
			r->depth++;
			meta_text_in(r, c, b, field);
			r->depth--;
		}
	}
}

static const char *
meta_text(struct rd *r, xmlNodePtr x)
{
	struct buf b;
	const char *s;

	buf_init(&b);
	meta_text_in(r, x, &b, (const char *)x->name);
	s = b.oom ? NULL : arena_strdup(&r->doc->arena, b.data ? b.data : "");
	buf_free(&b);
	return s;
}

static int
read_meta(struct rd *r, xmlNodePtr x)
{
	xmlNodePtr c;
	size_t cap = 0;
	int have_title = 0;

	for (c = x->children; c != NULL; c = c->next) {
		const char *key, *value;
		int i, known = 0;

		if (c->type != XML_ELEMENT_NODE)
			continue;
		key = (const char *)c->name;
		if ((value = meta_text(r, c)) == NULL ||
		    (value = collapse(r, value)) == NULL)
			return -1;
		/* Trim the one space collapse() may leave at each end. */
		if (*value == ' ')
			value++;
		if (*value && value[strlen(value) - 1] == ' ')
			((char *)value)[strlen(value) - 1] = '\0';
		if (strcmp(key, "field") == 0) {
			key = prop(r, c, "label");
			if (key == NULL)
				continue;
		} else {
			for (i = 0; meta_keys[i]; i++)
				if (strcmp(key, meta_keys[i]) == 0)
					known = 1;
			if (!known)
				continue; /* the schema reports it */
			key = meta_keys[0] == NULL ? key :
			    arena_strdup(&r->doc->arena, key);
		}
		if (strcmp(key, "title") == 0) {
			have_title = 1;
			if (*value == '\0')
				diag_err(r->diags, r->path, xml_line(c), "<title> is "
				    "empty; give the report a title");
		}
		if (strcmp(key, "meeting-date") == 0 && !date_iso_valid(value))
			diag_err(r->diags, r->path, xml_line(c), "<meeting-date> "
			    "\"%s\" is not a date; write it as YYYY-MM-DD, e.g. "
			    "2023-12-13", value);
		if (strcmp(key, "classification") == 0 &&
		    strcmp(value, "exempt") == 0) {
			const char *p = prop(r, c, "paragraph");
			if (p != NULL && add_meta(r, "exempt-paragraph", p,
			    xml_line(c), &cap) != 0)
				return -1;
		}
		if (add_meta(r, key, value, xml_line(c), &cap) != 0)
			return -1;
	}
	if (!have_title)
		diag_err(r->diags, r->path, xml_line(x), "<meta> has no <title>; "
		    "add <title>The report's title</title>");
	return 0;
}

static int
read_contacts(struct rd *r, xmlNodePtr x)
{
	xmlNodePtr c;
	struct node *cs = mk(r, N_CONTACTS, x);

	if (cs == NULL)
		return -1;
	cs->title = tprop(r, x, "title");
	r->doc->contacts = cs;
	for (c = x->children; c != NULL; c = c->next) {
		struct node *n;
		if (!xml_is(c, "contact"))
			continue;
		if ((n = mk(r, N_CONTACT, c)) == NULL)
			return -1;
		n->name = prop(r, c, "name");
		n->role = prop(r, c, "role");
		n->email = prop(r, c, "email");
		n->phone = prop(r, c, "phone");
		node_append(cs, n);
	}
	return 0;
}

/* Every id once; every <ref to> names one; every <value param> exists. */
static void
check_ids(struct rd *r)
{
	struct node *roots[2] = { r->doc->body, r->doc->appendices };
	struct node **ids = NULL, *n;
	size_t nids = 0, cap = 0, i;
	int k;

	for (k = 0; k < 2; k++)
		for (n = roots[k]; n != NULL; n = node_next_pre(roots[k], n)) {
			if (n->id == NULL)
				continue;
			for (i = 0; i < nids; i++)
				if (strcmp(ids[i]->id, n->id) == 0)
					diag_err(r->diags, n->file, n->line, "id \"%s\" "
					    "is already used on line %d; ids must be "
					    "unique", n->id, ids[i]->line);
			if (nids == cap) {
				size_t nc = cap ? cap * 2 : 32;
				struct node **v = realloc(ids, nc * sizeof(*v));
				if (v == NULL) {
					free(ids);
					diag_oom(r->diags, r->path, 0, "out of memory checking the ids");
					return;
				}
				ids = v;
				cap = nc;
			}
			ids[nids++] = n;
		}
	for (k = 0; k < 2; k++)
		for (n = roots[k]; n != NULL; n = node_next_pre(roots[k], n)) {
			if (n->kind == N_REF && n->to == NULL)
				continue; /* rules_check() asks for to= */
			if (n->kind == N_REF) {
				for (i = 0; i < nids; i++)
					if (strcmp(ids[i]->id, n->to) == 0)
						n->target = ids[i];
				if (n->target == NULL) {
					struct suggest sg;
					char mean[96];
					suggest_init(&sg, n->to);
					for (i = 0; i < nids; i++)
						suggest_try(&sg, ids[i]->id);
					diag_err(r->diags, n->file, n->line, "<ref to=\"%s\">: "
					    "no element has id=\"%s\"; check the spelling%s",
					    n->to, n->to, suggest_text(&sg, NULL, NULL, mean,
					    sizeof(mean)));
				}
				else if (n->target->kind != N_SECTION &&
				    n->target->kind != N_APPENDIX &&
				    n->target->kind != N_PARA &&
				    n->target->kind != N_TABLE &&
				    n->target->kind != N_RISKS &&
				    n->target->kind != N_KPIS &&
				    n->target->kind != N_CHART) {
					diag_err(r->diags, n->file, n->line, "<ref to=\"%s\">: "
					    "a <%s> has no number to refer to; point it "
					    "at a section, appendix, paragraph, table or "
					    "chart", n->to, node_kind_name(n->target->kind));
					n->target = NULL;
				}
			}
			if (n->kind == N_VALUE) {
				if (n->param != NULL && n->query != NULL)
					diag_err(r->diags, n->file, n->line, "<value> has "
					    "both param= and query=; keep one");
				if (n->param != NULL && n->query == NULL &&
				    doc_param_use(r->doc, n->param) == NULL) {
					if (!doc_declared(r->doc, n->param)) {
						char mean[96];
						diag_err(r->diags, n->file, n->line,
						    "<value param=\"%s\">: no such parameter; "
						    "declare it in <params>%s", n->param,
						    params_mean(r->doc, n->param, mean,
						    sizeof(mean)));
					}
				} else if (n->param == NULL && n->query == NULL)
					diag_err(r->diags, n->file, n->line, "<value> needs "
					    "param=\"NAME\" or query=\"SQL\"");
			}
		}
	free(ids);
}

static const char *
dir_of(struct arena *a, const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return ".";
	if (slash == path)
		return "/";
	return arena_strndup(a, path, (size_t)(slash - path));
}

struct doc *
def_load(const char *path, const struct def_define *defines, size_t ndefines,
    struct diags *diags, int *ok)
{
	size_t len;
	char *data = xml_slurp(path, &len, diags);
	struct doc *doc;

	*ok = 0;
	if (data == NULL)
		return NULL;
	doc = def_load_mem(data, len, path, defines, ndefines, diags, ok);
	free(data);
	return doc;
}

struct doc *
def_load_mem(const char *data, size_t len, const char *path,
    const struct def_define *defines, size_t ndefines, struct diags *diags,
    int *ok)
{
	struct rd r;
	xmlDocPtr xdoc;
	xmlNodePtr root, c, params = NULL;
	struct doc *doc;
	int errs = diags->errors, rc = 0;
	const char *v;
	struct diags schema;

	*ok = 0;
	if ((xdoc = xml_parse(data, len, path, diags)) == NULL)
		return NULL;
	if ((doc = doc_new()) == NULL) {
		xmlFreeDoc(xdoc);
		diag_oom(diags, path, 0, "out of memory reading the definition");
		return NULL;
	}
	memset(&r, 0, sizeof(r));
	r.doc = doc;
	r.diags = diags;
	r.data = data;
	r.len = len;
	r.path = doc->file = arena_strdup(&doc->arena, path);
	doc->dir = dir_of(&doc->arena, path);
	root = xmlDocGetRootElement(xdoc);
	r.report_line = root ? xml_line(root) : 1;
	if (root == NULL || !xml_is(root, "report")) {
		diag_err(diags, path, root ? xml_line(root) : 1, "the root "
		    "element must be <report version=\"1\">, not <%s>",
		    root ? (const char *)root->name : "");
		xmlFreeDoc(xdoc);
		return doc;
	}
	/* Our own rules give the precise message; the schema's words are
	 * shown only for what they alone catch. */
	diags_init(&schema);
	rules_check(root, path, diags);
	/* The schema's messages are dropped when the rules found anything,
	 * so it is not run then: libxml2's RELAX NG error path is slow
	 * enough that 100,000 bad elements took minutes. Nor when the rules
	 * table is sure the schema accepts the tree (rules_valid(): the
	 * grammar decided once, without compiling or running RELAX NG). */
	if (diags->errors == errs && !rules_valid(root))
		xml_validate(xdoc, SCHEMA_REPORT, path, &schema);
	doc->template_name = prop(&r, root, "template");
	doc->template_line = xml_line(root);
	if ((v = prop(&r, root, "lang")) != NULL)
		doc->lang = v;
	doc->body = node_new(doc, N_BODY, r.path, xml_line(root));
	doc->appendices = node_new(doc, N_BODY, r.path, xml_line(root));
	if (doc->body == NULL || doc->appendices == NULL)
		rc = -1;
	/* Parameters first: every text after may print them. */
	for (c = root->children; c != NULL; c = c->next)
		if (xml_is(c, "params") && params == NULL)
			params = c;
	if (rc == 0)
		rc = params_read(doc, params, r.path, r.report_line, defines,
		    ndefines, diags);
	for (c = root->children; c != NULL && rc == 0; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (xml_is(c, "meta"))
			rc = read_meta(&r, c);
		else if (xml_is(c, "contacts"))
			rc = read_contacts(&r, c);
		else if (xml_is(c, "appendix"))
			rc = read_block(&r, doc->appendices, c);
		else if (xml_is(c, "data"))
			rc = read_data(&r, c);
		else if (is_block_name((const char *)c->name))
			rc = read_block(&r, doc->body, c);
	}
	if (rc != 0) {
		diag_oom(diags, path, 0, "out of memory reading the definition");
		diags_clear(&schema);
		xmlFreeDoc(xdoc);
		doc_free(doc);
		return NULL;
	}
	check_ids(&r);
	check_subs(&r, doc->body);
	if (diags->errors == errs)
		xml_merge(diags, &schema);
	else
		diags_clear(&schema);
	xmlFreeDoc(xdoc);
	*ok = diags->errors == errs;
	return doc;
}
