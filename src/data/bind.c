/*
 * bind.c — runs the data behind the document and attaches what layout
 * prints: formatted cells, inline values. See bind.h.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sqlite3.h>
#include <cairo.h>
#include <unistd.h>

#include "bind.h"
#include "../chart/chart.h"
#include "data.h"
#include "numfmt.h"
#include "query.h"
#include "../util/buf.h"
#include "../util/path.h"
#include "../util/suggest.h"

struct binder {
	struct doc            *doc;
	const struct template *t;
	struct db             *db;
	struct diags          *diags;
	struct arena          *a;
	char                  *bad_query; /* per <query>: its SQL failed */
	/* The <query> run into ROWS_TABLE for the element being bound
	 * (bind_table()), and the parameters it bound; else NULL. */
	const char            *mat_id, *mat_params;
	int                    strict;    /* missing data is an error */
};

/* The temporary table a table's <query> is run into once (bind_table()):
 * no <csv> or <query> id has a space. */
#define ROWS_TABLE "sc rows"

/* What to do about a data file or image outside the folders allowed. */
static const char keep_data[] = "keep data beside the report, or allow "
    "the folder with --allow-path";

/* Resolves href by the one path policy (path.h) and remembers the file
 * as one of the build's inputs. */
static const char *
resolve(struct binder *b, const struct bind_opts *o, const char *href,
    const char *what, const char *file, int line)
{
	struct path_policy none = { b->doc->dir, NULL, 0, NULL };
	struct path_policy p = o != NULL ? o->paths : none;
	const char *r;

	p.base = b->doc->dir;
	r = path_resolve(&p, href, what, keep_data, b->a, b->diags, file, line);
	if (r != NULL && o != NULL && o->inputs != NULL &&
	    path_inputs_add(o->inputs, r, what) != 0) {
		diag_oom(b->diags, file, line, "out of memory reading %s \"%s\"",
		    what, href);
		return NULL;
	}
	return r;
}

static const struct query *
find_query(const struct doc *d, const char *id)
{
	size_t i;

	for (i = 0; i < d->nqueries; i++)
		if (d->queries[i].id && strcmp(d->queries[i].id, id) == 0)
			return &d->queries[i];
	return NULL;
}

static const struct source *
find_source(const struct doc *d, const char *id)
{
	size_t i;

	for (i = 0; i < d->nsources; i++)
		if (d->sources[i].id && strcmp(d->sources[i].id, id) == 0)
			return &d->sources[i];
	return NULL;
}

/* "; did you mean ..." for a data= (or source=, in-data=) id that no
 * <csv> or <query> has: the nearest that one does, or "". */
static const char *
source_mean(const struct doc *doc, const char *id, char *out, size_t n)
{
	struct suggest sg;
	size_t i;

	suggest_init(&sg, id);
	for (i = 0; i < doc->nsources; i++)
		suggest_try(&sg, doc->sources[i].id);
	for (i = 0; i < doc->nqueries; i++)
		suggest_try(&sg, doc->queries[i].id);
	return suggest_text(&sg, NULL, NULL, out, n);
}

/* "; did you mean ..." for the column SQLite just called unknown (the
 * last message: "... no such column: NAME"), from cols ("a, b, c" as
 * db_columns() writes them), or "". */
static const char *
column_mean(const struct diags *d, const char *cols, char *out, size_t n)
{
	struct suggest sg;
	const char *m, *name;

	out[0] = '\0';
	if (d->n == 0 || (m = strstr(d->v[d->n - 1].message,
	    "no such column: ")) == NULL)
		return out;
	name = m + strlen("no such column: ");
	/* "t.col": the column's own name. */
	if ((m = strrchr(name, '.')) != NULL)
		name = m + 1;
	suggest_init(&sg, name);
	suggest_try_list(&sg, cols, ", ");
	return suggest_text(&sg, NULL, NULL, out, n);
}

/* The FROM part for data=id: the CSV's table or the query inline. */
static int
from_clause(struct binder *b, const char *id, struct buf *sql,
    const char *file, int line)
{
	const struct query *q;
	const char *p;

	if (find_source(b->doc, id) != NULL) {
		buf_putc(sql, '"');
		for (p = id; *p; p++) {
			if (*p == '"')
				buf_putc(sql, '"');
			buf_putc(sql, *p);
		}
		buf_putc(sql, '"');
		return 0;
	}
	if ((q = find_query(b->doc, id)) != NULL) {
		/* Its own error was reported at the <query>. */
		if (b->bad_query != NULL && b->bad_query[q - b->doc->queries])
			return -1;
		if (b->mat_id != NULL && strcmp(b->mat_id, id) == 0)
			buf_puts(sql, "\"" ROWS_TABLE "\"");
		else
			buf_printf(sql, "(%s)", q->sql);
		return 0;
	}
	{
		struct buf names;
		size_t i;
		buf_init(&names);
		for (i = 0; i < b->doc->nsources; i++)
			buf_printf(&names, "%s%s", names.len ? ", " : "",
			    b->doc->sources[i].id);
		for (i = 0; i < b->doc->nqueries; i++)
			buf_printf(&names, "%s%s", names.len ? ", " : "",
			    b->doc->queries[i].id);
		char mean[96];
		diag_err(b->diags, file, line, "data=\"%s\": there is no <csv> or "
		    "<query> with that id%s%s%s%s", id, names.len ?
		    " (there are: " : "; add one in <data>", names.len ?
		    names.data : "", names.len ? ")" : "", source_mean(b->doc,
		    id, mean, sizeof(mean)));
		buf_free(&names);
	}
	return -1;
}

static void
quote_ident(struct buf *sql, const char *name)
{
	const char *p;

	buf_putc(sql, '"');
	for (p = name; *p; p++) {
		if (*p == '"')
			buf_putc(sql, '"');
		buf_putc(sql, *p);
	}
	buf_putc(sql, '"');
}

/* How well text t, one of the author's, accounts for a fault at byte
 * off of sql, over t's places there: 2 when t starts at off (or its
 * quote does: a name), 1 when off falls inside it, else 0; *in gets
 * off's place in t. */
static int
text_at(const char *sql, int off, const char *t, size_t *in)
{
	const char *p;
	size_t len = t != NULL ? strlen(t) : 0;
	int best = 0;

	for (p = len ? strstr(sql, t) : NULL; p != NULL; p = strstr(p + 1, t)) {
		int s = (int)(p - sql), how = s == off || (s == off + 1 &&
		    sql[off] == '"') ? 2 : off > s && off < s + (int)len;
		if (how > best) {
			best = how;
			*in = off > s ? (size_t)(off - s) : 0;
		}
	}
	return best;
}

struct fault {
	const struct binder *b;
	const struct node   *n;
};

/* sql_at's line for SQL built for element n: the line of the text of
 * n's (or of one of its <column>s') that the fault is in (its where=,
 * order-by=, a column's field= …), as the definition noted it. */
static int
fault_line(void *arg, const char *sql, int off)
{
	const struct fault *f = arg;
	const struct node *m;
	const char *best = NULL;
	size_t at = 0, in = 0;
	int how = 0, i, h;

	for (m = f->n; m != NULL; m = m == f->n ? f->n->first : m->next) {
		const char *t[] = { m->where, m->order_by, m->emphasis,
			m->group_by, m->label_expr, m->value, m->change,
			m->polarity_field, m->format_field, m->field, m->query };
		if (m != f->n && m->kind != N_COLUMN)
			continue;
		for (i = 0; i < (int)(sizeof(t) / sizeof(t[0])); i++)
			if (t[i] != NULL && doc_text_line(f->b->doc, t[i], 0) > 0 &&
			    (h = text_at(sql, off, t[i], &in)) > 0 && (h > how ||
			    (h == how && strlen(t[i]) > strlen(best)))) {
				best = t[i];
				at = in;
				how = h;
			}
	}
	return best != NULL ? doc_text_line(f->b->doc, best, at) : 0;
}

/* The line of the message just said, for a note about it; dflt when
 * there is none. */
static int
said_line(const struct binder *b, int dflt)
{
	return b->diags->n > 0 && b->diags->v[b->diags->n - 1].line > 0 ?
	    b->diags->v[b->diags->n - 1].line : dflt;
}

/* Runs the SQL built in sql for element n (NULL: none), as
 * db_query_built() does, a fault told at the line of n's text it is in.
 * SQL cut short by a failed allocation is not run: it would fail as a
 * syntax error, or worse, run without its WHERE. */
static int
query_buf_as(struct binder *b, const struct buf *sql, struct rset *rs,
    const struct node *n, const char *file, int line, int heap)
{
	struct fault f = { b, n };
	struct sql_at at = { fault_line, &f };

	if (sql->oom || sql->data == NULL) {
		diag_oom(b->diags, file, line, "out of memory building a query; "
		    "free some memory and build again");
		return -1;
	}
	return (heap ? db_query_rows : db_query_built)(b->db, b->doc,
	    sql->data, b->a, rs, file, line, n != NULL ? &at : NULL, b->diags);
}

static int
query_buf(struct binder *b, const struct buf *sql, struct rset *rs,
    const struct node *n, const char *file, int line)
{
	return query_buf_as(b, sql, rs, n, file, line, 0);
}

/* After a query of the author's own SQL (a <query>, <value query=>)
 * failed on a column it named, a note of the columns of each CSV the SQL
 * mentions: the likeliest mistake is a misspelt one. */
static void
name_columns(struct binder *b, const char *sql, const char *file, int line)
{
	struct diags *diags = b->diags;
	size_t j;

	if (diags->n == 0 || strstr(diags->v[diags->n - 1].message,
	    "no such column") == NULL)
		return;
	for (j = 0; j < b->doc->nsources; j++) {
		char cols[600], sel[300], mean[96];
		const char *id = b->doc->sources[j].id;
		if (id == NULL || strstr(sql, id) == NULL)
			continue;
		snprintf(sel, sizeof(sel), "SELECT * FROM \"%s\"", id);
		if (db_columns(b->db, sel, cols, sizeof(cols)) == 0)
			diag_add(diags, SC_NOTE, file, line,
			    "data \"%s\" has the columns: %s%s", id, cols,
			    column_mean(diags, cols, mean, sizeof(mean)));
	}
}

/* Formats one value by fmt (NULL: as the value came). */
static const char *
format_value(struct binder *b, const struct rval *v, const struct numfmt *f)
{
	struct buf out;
	const char *r;

	buf_init(&out);
	if (v->type == SQLITE_NULL)
		buf_puts(&out, "");
	else if (v->type == SQLITE_TEXT) {
		if (f == NULL || !f->is_date ||
		    numfmt_date(f, v->text, &out) != 0) {
			buf_reset(&out);
			buf_puts(&out, v->text);
		}
	} else if (f != NULL && !f->is_date && v->type == SQLITE_INTEGER)
		numfmt_integer(f, v->i, &out);
	else if (f != NULL && !f->is_date)
		numfmt_number(f, v->num, &out);
	else {
		struct numfmt dflt;
		char err[64];
		/* Whole numbers as they are; others to two places at most. */
		numfmt_parse(v->num == floor(v->num) && fabs(v->num) < 1e15 ?
		    "0" : "0.##", &dflt, err, sizeof(err));
		if (v->type == SQLITE_INTEGER)
			numfmt_integer(&dflt, v->i, &out);
		else
			numfmt_number(&dflt, v->num, &out);
	}
	/* A number cut short must not print: data_bind() fails on the
	 * arena's oom. */
	if (out.oom)
		b->a->oom = 1;
	r = out.oom ? NULL : arena_strdup(b->a, out.data ? out.data : "");
	buf_free(&out);
	return r;
}

/* A table cell's text: a text value printed as it came is the query
 * row's own copy (in the same arena, kept as long), not another: a
 * 50,000-row table's cells of text were a fifth of its build's memory
 * twice over. */
static const char *
format_cell(struct binder *b, const struct rval *v, const struct numfmt *f)
{
	if (v->type == SQLITE_TEXT && v->text != NULL && (f == NULL ||
	    !f->is_date))
		return v->text;
	return format_value(b, v, f);
}

/* s, or "" when an allocation failed (the arena remembers it, and the
 * build fails on that): what messages are made of is never NULL. */
static const char *
or_empty(const char *s)
{
	return s != NULL ? s : "";
}

/* The first line of s, trimmed, at most 60 bytes (cut between UTF-8
 * characters, "..." after it and after a line cut off), for messages. */
static const char *
clip(struct arena *a, const char *s)
{
	size_t n, k;

	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	n = strcspn(s, "\r\n");
	k = n;
	while (k > 0 && (s[k - 1] == ' ' || s[k - 1] == '\t'))
		k--;
	if (k > 60) {
		k = 57;
		while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
			k--;
	}
	return or_empty(arena_printf(a, "%.*s%s", (int)k, s, k < n &&
	    s[k + strspn(s + k, " \t\r\n")] != '\0' ? "..." : ""));
}

/* How messages name an element with data: the table "crime", the chart
 * (its id, else its caption), <value query="SELECT ...">. */
static const char *
element_name(struct binder *b, const struct node *n)
{
	const char *kind = n->kind == N_TABLE ? "table" : n->kind == N_CHART ?
	    "chart" : "key-figure tiles";
	const char *name = n->id ? n->id : n->caption;

	if (n->kind == N_VALUE)
		return or_empty(n->query ? arena_printf(b->a, "<value "
		    "query=\"%s\">", clip(b->a, n->query)) : arena_printf(b->a,
		    "<value param=\"%s\">", n->param ? n->param : ""));
	return or_empty(name ? arena_printf(b->a, "the %s \"%s\"", kind,
	    clip(b->a, name)) : arena_printf(b->a, "the %s", kind));
}

/* A table column as messages name it: its header, else its field or
 * expression, else the result's name for it. */
static const char *
column_name(const struct node *cn, const char *result_name)
{
	if (cn != NULL && cn->header != NULL && cn->header[0] != '\0')
		return cn->header;
	if (cn != NULL && cn->field != NULL)
		return cn->field;
	if (cn != NULL && cn->value != NULL)
		return cn->value;
	return or_empty(result_name);
}

/* Parses a format attribute, reporting a bad one at the element named
 * what: `column "Crimes": format "#,##O" has "O" ...`. */
static int
parse_format(struct binder *b, const char *pat, struct numfmt *f,
    const char *what, const char *file, int line)
{
	char err[320];

	if (numfmt_parse(pat, f, err, sizeof(err)) != 0) {
		/* A pattern with quotes in it is shown in single quotes. */
		int q = strchr(pat, '"') != NULL ? '\'' : '"';
		diag_err(b->diags, file, line, "%s: format %c%s%c %s", what, q, pat,
		    q, err);
		return -1;
	}
	return 0;
}

/*
 * The format a chart's or key figures' numbers print in: the author's
 * format=, else the column's remembered one, else one chosen from the
 * values (whole numbers; else a decimal fewer for each power of ten the
 * largest has, so "30.1" beside "14.8", not "30.12"). Plain digits are
 * grouped in thousands ("1,139", not "1139"), as GOV.UK style writes
 * numbers of four digits or more. NULL when format= is bad (reported).
 */
static const char *
number_format(struct binder *b, const struct node *n, const char *given,
    const char *remembered, const double *v, size_t nv)
{
	struct numfmt f;
	double most = 0;
	int whole = 1;
	size_t i;

	if (given != NULL)
		return parse_format(b, given, &f, element_name(b, n), n->file,
		    n->line) == 0 ? given : NULL;
	if (remembered != NULL && (strcmp(remembered, "0") == 0 ||
	    strncmp(remembered, "0.0", 3) == 0) && strchr(remembered, ';') ==
	    NULL && strchr(remembered, '%') == NULL)
		return arena_printf(b->a, "#,##%s", remembered);
	if (remembered != NULL)
		return remembered;
	for (i = 0; i < nv; i++) {
		double x = v[i];
		if (!isfinite(x))
			continue;
		most = fmax(most, fabs(x));
		whole &= x == floor(x);
	}
	return whole || most >= 100 ? "#,##0" : most >= 10 ? "#,##0.0" :
	    "#,##0.00";
}

/* Where an element's data comes from, for messages: "query by_type,
 * defined on line 29" or "data crime, defined on line 12", and its
 * where=; NULL for a <value>, whose SQL names itself. */
static const char *
data_source(struct binder *b, const struct node *n)
{
	const struct query *q = n->data ? find_query(b->doc, n->data) : NULL;
	const struct source *c = n->data ? find_source(b->doc, n->data) : NULL;
	const char *w = n->where ? arena_printf(b->a, ", where=\"%s\"",
	    clip(b->a, n->where)) : "";

	if (w == NULL)
		return NULL;
	if (c != NULL)
		return arena_printf(b->a, "data %s, defined on line %d%s", c->id,
		    c->line, w);
	if (q != NULL)
		return arena_printf(b->a, "query %s, defined on line %d%s", q->id,
		    q->line, w);
	return NULL;
}

enum missing { MISSING_WARN, MISSING_FATAL };

/*
 * Data that looks missing for the chosen parameters (a period the data
 * does not cover, most often): what is said ("has no rows") of the
 * element named what, with the parameters the query used and its
 * source. A warning saying what prints instead (prints, may be NULL), or
 * under --strict an error; MISSING_FATAL is an error either way (the
 * element cannot print at all). optout names the element on which
 * empty="ok" says it is meant.
 */
static void
data_missing(struct binder *b, const struct node *n, const char *what,
    const char *problem, const struct rset *rs, const char *prints,
    enum missing kind, const char *optout)
{
	struct buf m;
	const char *src = data_source(b, n);
	int err = kind == MISSING_FATAL || b->strict;
	int period = rs->params != NULL && rs->params[0] != '\0';

	buf_init(&m);
	buf_printf(&m, "%s %s", what, problem);
	if (period)
		buf_printf(&m, " for %s", rs->params);
	if (src != NULL)
		buf_printf(&m, " (%s)", src);
	if (prints != NULL && (kind == MISSING_FATAL || !err))
		buf_printf(&m, ", so %s", prints);
	if (period)
		buf_puts(&m, "; the data may not cover that period: check the CSV");
	else
		buf_puts(&m, n->kind == N_VALUE || n->where != NULL ||
		    (n->data != NULL && find_query(b->doc, n->data) != NULL) ?
		    "; check the query and the CSV" : "; check the CSV");
	if (kind == MISSING_FATAL)
		;
	else if (err)
		buf_printf(&m, ", write empty=\"ok\" on the <%s> if it may be "
		    "empty, or build without --strict to build anyway", optout);
	else
		buf_printf(&m, ", or write empty=\"ok\" on the <%s> if it may be "
		    "empty", optout);
	if (m.oom || b->a->oom)
		diag_oom(b->diags, n->file, n->line, "out of memory reporting "
		    "missing data");
	else
		diag_add(b->diags, err ? SC_ERROR : SC_WARNING, n->file, n->line,
		    "%s", m.data);
	buf_free(&m);
}

/* What a result column holds: a value, nothing but blanks (NULL or ""),
 * or nothing but blanks and zeros. */
enum colstate { COL_DATA, COL_BLANK, COL_ZERO };

static enum colstate
column_state(const struct rset *rs, int col)
{
	int r, zeros = 0;

	for (r = 0; r < rs->nrows; r++) {
		const struct rval *v = &rs->v[(size_t)r * (size_t)rs->ncols +
		    (size_t)col];
		if (v->type == SQLITE_NULL || (v->type == SQLITE_TEXT &&
		    v->text[0] == '\0'))
			continue;
		if ((v->type == SQLITE_INTEGER || v->type == SQLITE_FLOAT) &&
		    v->num == 0) {
			zeros++;
			continue;
		}
		return COL_DATA;
	}
	if (rs->nrows == 0)
		return COL_DATA;
	if (zeros == 0)
		return COL_BLANK;
	/* One row's 0 may well be the figure ("no fires this year"); a
	 * column of them is more likely a period the data does not have. */
	return rs->nrows >= 2 ? COL_ZERO : COL_DATA;
}

/* Collects the names of columns that have no data, for one message:
 * `column "X"` / `columns "X", "Y"`, and whether all are blank. */
struct empties {
	struct buf names;
	int        n, zero;
};

static void
empties_add(struct empties *e, const char *name, enum colstate st)
{
	buf_printf(&e->names, "%s\"%s\"", e->n ? ", " : "", name);
	e->n++;
	e->zero |= st == COL_ZERO;
}

/* Reports e's columns of element n, if any, and frees e. unit names
 * the rows ("row", "point", "tile"). */
static void
empties_report(struct binder *b, const struct node *n, struct empties *e,
    const char *noun, const char *unit, const struct rset *rs,
    const char *optout)
{
	if (e->n > 0) {
		const char *problem = arena_printf(b->a, "%s%s %s %s %s in every "
		    "%s", noun, e->n > 1 ? "s" : "", e->names.data ?
		    e->names.data : "", e->n > 1 ? "are" : "is", e->zero ?
		    "0 or blank" : "blank", unit);
		const char *what = arena_printf(b->a, "%s:", element_name(b, n));
		if (problem == NULL || what == NULL || e->names.oom)
			diag_oom(b->diags, n->file, n->line, "out of memory reporting "
			    "missing data");
		else
			data_missing(b, n, what, problem, rs, NULL, MISSING_WARN,
			    optout);
	}
	buf_free(&e->names);
}

static int
bind_value(struct binder *b, struct node *n)
{
	struct rset rs;
	struct numfmt f;
	int have_fmt = 0;

	if (n->format != NULL) {
		if (parse_format(b, n->format, &f, element_name(b, n), n->file,
		    n->line) != 0)
			return -1;
		have_fmt = 1;
	}
	if (n->param != NULL) {
		const char *v = doc_param(b->doc, n->param);
		struct rval rv;
		char *end;
		if (v == NULL)
			return 0;
		rv.type = SQLITE_TEXT;
		rv.text = v;
		rv.num = strtod(v, &end);
		if (*v && *end == '\0')
			rv.type = SQLITE_FLOAT;
		if (!have_fmt)
			rv.type = SQLITE_TEXT;
		n->text = format_value(b, &rv, have_fmt ? &f : NULL);
		return 0;
	}
	{
		/* An attribute's newlines are spaces by now: its lines are
		 * the definition's note (fault_line()). */
		struct fault fl = { b, n };
		struct sql_at at = { fault_line, &fl };
		if (db_query_built(b->db, b->doc, n->query, b->a, &rs, n->file,
		    n->line, &at, b->diags) != 0) {
			name_columns(b, n->query, n->file, said_line(b,
			    n->line));
			return -1;
		}
	}
	if (rs.nrows == 0 || rs.ncols == 0) {
		data_missing(b, n, element_name(b, n), "has no rows", &rs,
		    "it has nothing to print", MISSING_FATAL, NULL);
		return -1;
	}
	if (!have_fmt && rs.fmts[0] != NULL && parse_format(b, rs.fmts[0], &f,
	    element_name(b, n), n->file, n->line) == 0)
		have_fmt = 1;
	if (rs.v[0].type == SQLITE_NULL && !n->empty_ok)
		data_missing(b, n, element_name(b, n), "gives NULL", &rs,
		    "it prints nothing", MISSING_WARN, "value");
	n->text = format_value(b, &rs.v[0], have_fmt ? &f : NULL);
	return 0;
}

static enum tmark
rag_mark(const char *s)
{
	if (s == NULL)
		return MARK_NONE;
	if (strcasecmp(s, "R") == 0 || strcasecmp(s, "red") == 0)
		return MARK_RED;
	if (strcasecmp(s, "A") == 0 || strcasecmp(s, "amber") == 0)
		return MARK_AMBER;
	if (strcasecmp(s, "G") == 0 || strcasecmp(s, "green") == 0)
		return MARK_GREEN;
	return MARK_NONE;
}

/* One column's specification, resolved. */
struct colspec {
	const struct node *n;      /* the <column>, or NULL for SELECT * */
	struct numfmt      fmt;
	int                has_fmt;
	int                pol;    /* index of its polarity column, or -1 */
	int                ffmt;   /* index of its format-field column, or -1 */
	struct numfmt      rowfmt; /* the current row's, from ffmt */
	int                ffmt_bad; /* ffmt gave no format: reported once */
	int                text;   /* holds more text than figures */
};

/* Dresses a cell of a colour="rag" or colour="trend" column: its mark
 * and its words (never colour alone). pol is the row's polarity-field
 * value, or NULL. */
static void
dress(struct binder *b, struct tcell *cell, const struct node *cn,
    const struct rval *v, const char *pol)
{
	if (cn && cn->colour && strcmp(cn->colour, "rag") == 0) {
		cell->mark = rag_mark(v->text);
		if (cell->mark == MARK_RED)
			cell->text = "Red";
		else if (cell->mark == MARK_AMBER)
			cell->text = "Amber";
		else if (cell->mark == MARK_GREEN)
			cell->text = "Green";
	} else if (cn && cn->colour && strcmp(cn->colour, "trend") == 0 &&
	    v->text) {
		int up = strcmp(v->text, "\xe2\x86\x91") == 0;
		int down = strcmp(v->text, "\xe2\x86\x93") == 0;
		int level = strcmp(v->text, "\xe2\x86\x92") == 0;
		int good_up = pol == NULL || strcasecmp(pol, "down") != 0;
		if (up || down)
			cell->mark = (up == good_up) ? MARK_GOOD : MARK_BAD;
		else if (level)
			cell->mark = MARK_NEUTRAL;
		/* The direction in words too (only for arrows). */
		if (up || down || level)
			cell->text = arena_printf(b->a, "%s %s", v->text,
			    up ? "up" : down ? "down" : "level");
	}
}

/* A cell's format: its row's format-field value where that is not
 * empty (a rate among counts), else the column's. NULL for none, and
 * for a bad pattern (reported at the <column>, naming the row). */
static const struct numfmt *
row_format(struct binder *b, struct colspec *sp, const struct rval *row,
    int r, const char *result_name)
{
	const struct rval *f = sp->ffmt >= 0 ? &row[sp->ffmt] : NULL;

	if (sp->ffmt_bad)
		return NULL;
	if (f != NULL && f->type == SQLITE_TEXT && f->text[0] != '\0') {
		const char *what = arena_printf(b->a, "column \"%s\", row %d's "
		    "format-field \"%s\"", column_name(sp->n, result_name), r + 1,
		    sp->n->format_field);
		if (what == NULL || parse_format(b, f->text, &sp->rowfmt, what,
		    sp->n->file, sp->n->line) != 0) {
			sp->ffmt_bad = 1;
			return NULL;
		}
		return &sp->rowfmt;
	}
	if (f != NULL && f->type != SQLITE_NULL && f->type != SQLITE_TEXT) {
		/* A CSV cell "0%" reads as the number 0: the pattern is lost. */
		diag_err(b->diags, sp->n->file, sp->n->line, "column \"%s\", row "
		    "%d's format-field \"%s\": a number, not a format; give the "
		    "format as text, e.g. CASE unit WHEN '%%' THEN '0%%' END in "
		    "the query", column_name(sp->n, result_name), r + 1,
		    sp->n->format_field);
		sp->ffmt_bad = 1;
		return NULL;
	}
	return sp->has_fmt ? &sp->fmt : NULL;
}

/* The SQL of a column's total=: a word (sum, avg, min, max, count)
 * applied to the column, or the author's aggregate as written. NULL,
 * with an error, for a word that is no aggregate or a sum of text. */
static const char *
total_expr(struct binder *b, const struct colspec *sp, const char *name)
{
	static const char *const words[] = { "sum", "avg", "min", "max",
		"count", NULL };
	const struct node *cn = sp->n;
	const char *e = cn->total;
	size_t k = strspn(e, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ_");
	struct buf col;
	const char *r;
	int i;

	if (e[k] != '\0')
		return arena_printf(b->a, "(%s)", e);
	for (i = 0; words[i] != NULL; i++)
		if (strcasecmp(e, words[i]) == 0)
			break;
	if (words[i] == NULL) {
		diag_err(b->diags, cn->file, cn->line, "<column total=\"%s\">: "
		    "no such total; write sum, avg, min, max or count, or an "
		    "SQL aggregate such as \"sum(latest) - sum(before)\"", e);
		return NULL;
	}
	if (i < 2 && sp->text) {
		diag_err(b->diags, cn->file, cn->line, "column \"%s\" holds "
		    "text, which total=\"%s\" cannot add up; total a column of "
		    "figures, or count its rows with total=\"count\"", name, e);
		return NULL;
	}
	buf_init(&col);
	if (cn->value != NULL)
		buf_printf(&col, "(%s)", cn->value);
	else
		quote_ident(&col, cn->field);
	if (col.oom)
		b->a->oom = 1;   /* data_bind() fails: not a table without it */
	r = col.oom ? NULL : arena_printf(b->a, "%s(%s)", words[i], col.data);
	buf_free(&col);
	return r;
}

/* The SQL of a table's total row into sql: the aggregate agg[only]
 * (only >= 0) or every one of agg[0..ncols) there is, over the rows the
 * table prints (its data and where=), one row per group when grouped
 * (the group's value last). cn names the column for messages. */
static int
total_sql(struct binder *b, const struct node *n, struct buf *sql,
    const char *const *agg, int ncols, int only, int grouped,
    const struct node *cn)
{
	int i, k = 0;

	buf_reset(sql);
	buf_puts(sql, "SELECT ");
	for (i = 0; i < ncols; i++)
		if (agg[i] != NULL && (only < 0 || i == only))
			buf_printf(sql, "%s%s", k++ ? ", " : "", agg[i]);
	if (grouped) {
		buf_puts(sql, ", ");
		quote_ident(sql, n->group_by);
	}
	buf_puts(sql, " FROM ");
	if (from_clause(b, n->data, sql, cn ? cn->file : n->file, cn ?
	    cn->line : n->line) != 0)
		return -1;
	/* The rows the table prints, and only those. */
	if (n->where != NULL && only >= -1)
		buf_printf(sql, " WHERE %s", n->where);
	if (grouped) {
		buf_puts(sql, " GROUP BY ");
		quote_ident(sql, n->group_by);
	}
	return 0;
}

/* A table's note of its suppressed cells, made once, in the document's
 * arena: it outlives the table's rows (doc_tbl_release()). */
static void
suppressed_note(struct binder *b, struct tbl *t, const struct node *n)
{
	if (t->footnote == NULL)
		t->footnote = arena_printf(&b->doc->arena, "* fewer than %d: "
		    "suppressed to protect individuals", n->suppress_below);
}

/* Row r's group: the value v printed, in arena a (headings and
 * bookmarks point at it after the rows are freed); the previous row's
 * own copy prev when it is the same. */
static const char *
group_name(struct binder *b, struct arena *a, const struct rval *v,
    const char *prev)
{
	const char *s = format_cell(b, v, NULL);

	if (s == NULL)
		return NULL;
	if (prev != NULL && strcmp(prev, s) == 0)
		return prev;
	return arena_strdup(a, s);
}

/* One cell of a total row: column i's total v, for the group named
 * group (NULL: every row). A total that takes in a suppressed cell, or
 * is itself a small count, prints "*". */
static void
total_cell(struct binder *b, const struct node *n, struct tbl *t,
    const struct colspec *spec, const struct rset *rs, const char *supp,
    int ndata, int i, struct tcell *cell, const struct rval *v,
    const char *group)
{
	int r, k = -1, hide = 0;

	for (r = 0; r < ndata; r++) {
		int in = group == NULL || strcmp(t->group[r] ? t->group[r] : "",
		    group) == 0;
		if (in && supp != NULL && supp[(size_t)r * (size_t)t->ncols +
		    (size_t)i])
			hide = 1;
		if (in && k < 0)
			k = r;
	}
	if (n->suppress_below > 0 && (hide || (v->type == SQLITE_INTEGER &&
	    v->num >= 1 && v->num < n->suppress_below))) {
		cell->text = "*";
		suppressed_note(b, t, n);
		return;
	}
	cell->text = or_empty(format_value(b, v, spec[i].has_fmt ?
	    &spec[i].fmt : NULL));
	/* A trend's polarity is the measure's: that of the first row the
	 * total takes in. */
	dress(b, cell, spec[i].n, v, k >= 0 && spec[i].pol >= 0 ?
	    rs->v[(size_t)k * (size_t)rs->ncols + (size_t)spec[i].pol].text :
	    NULL);
}

/* The total rows of a bound table: one per group (in the order the
 * groups first appear) or one for the table, and with grand="yes" one
 * for all groups; each cell from its column's total= over the rows the
 * table shows (its where=), formatted as the column. A total that
 * takes in a suppressed cell, or is itself a small count, prints "*":
 * the total less the figures printed would give the suppressed one. */
static int
bind_totals(struct binder *b, const struct node *n, struct tbl *t,
    const struct colspec *spec, const struct rset *rs, const char *supp,
    int ndata)
{
	const char **gname = NULL, **agg = NULL;
	int ng = 0, i, g, r, rc = -1, pass, errs = b->diags->errors;
	struct buf sql;

	buf_init(&sql);
	gname = calloc((size_t)ndata + 1, sizeof(*gname));
	if (gname == NULL) {
		b->a->oom = 1;
		goto out;
	}
	for (r = 0; r < ndata; r++) {
		const char *nm = t->group[r] ? t->group[r] : "";
		for (g = 0; g < ng; g++)
			if (strcmp(gname[g], nm) == 0)
				break;
		if (g == ng)
			gname[ng++] = nm;
	}
	if (n->group_by == NULL)
		ng = ndata > 0;
	/* The rows: each group's, then the grand total. */
	for (g = 0; g < ng + (n->grand_total && ng > 0); g++) {
		int R = ndata + g;
		struct tcell *row = &t->cells[(size_t)R * (size_t)t->ncols];
		int grand = g == ng;
		t->row_kind[R] = ROW_TOTAL | (grand ? ROW_GRAND : 0);
		t->group[R] = grand || n->group_by == NULL ? NULL : gname[g];
		for (i = 0; i < t->ncols; i++)
			row[i].text = "";
		if (spec[0].n->total == NULL)
			row[0].text = grand ? (n->grand_label ? n->grand_label :
			    "Grand total") : n->total_label ? n->total_label :
			    "Total";
	}
	/* Each column's total checked alone, so that an SQL error points
	 * at its <column> (LIMIT 0: SQLite prepares it and reads no row);
	 * then one query for all of them, one pass over the data. */
	agg = calloc((size_t)t->ncols + 1, sizeof(*agg));
	if (agg == NULL) {
		b->a->oom = 1;
		goto out;
	}
	for (i = 0; i < t->ncols; i++) {
		const struct node *cn = spec[i].n;
		struct rset tr;
		if (cn->total == NULL || (agg[i] = total_expr(b, &spec[i],
		    column_name(cn, rs->names[i]))) == NULL)
			continue;
		if (total_sql(b, n, &sql, agg, t->ncols, i, 0, cn) != 0)
			goto out;
		buf_puts(&sql, " LIMIT 0");
		if (query_buf(b, &sql, &tr, n, cn->file, cn->line) != 0) {
			/* Say which SQL it was, and what it may name. */
			char cols[600], mean[96];
			buf_reset(&sql);
			buf_puts(&sql, "SELECT * FROM ");
			if (from_clause(b, n->data, &sql, cn->file, cn->line)
			    == 0 && !sql.oom && db_columns(b->db, sql.data, cols,
			    sizeof(cols)) == 0)
				diag_add(b->diags, SC_NOTE, cn->file, cn->line,
				    "in the total=\"%s\" of column \"%s\"; data "
				    "\"%s\" has the columns: %s%s", clip(b->a,
				    cn->total), column_name(cn, rs->names[i]),
				    n->data, cols, column_mean(b->diags, cols, mean,
				    sizeof(mean)));
			agg[i] = NULL;
		}
	}
	if (b->diags->errors != errs)
		goto out;
	/* Pass 0 the groups (or the table), pass 1 all groups. */
	for (pass = 0; pass < 1 + (n->grand_total && ng > 0); pass++) {
		struct rset tr;
		int grouped = pass == 0 && n->group_by != NULL, nagg = 0;
		for (i = 0; i < t->ncols; i++)
			nagg += agg[i] != NULL;
		if (nagg == 0 || total_sql(b, n, &sql, agg, t->ncols, -1,
		    grouped, NULL) != 0 || query_buf(b, &sql, &tr, n, n->file,
		    n->total_line ? n->total_line : n->line) != 0)
			goto out;
		for (g = pass ? ng : 0; g < (pass ? ng + 1 : ng); g++) {
			const struct rval *v = NULL;
			int k, at = 0;
			for (k = 0; k < tr.nrows && v == NULL; k++) {
				const char *nm;
				if (!grouped) {
					v = &tr.v[0];
					break;
				}
				nm = format_value(b, &tr.v[(size_t)k * (size_t)tr.ncols +
				    (size_t)nagg], NULL);
				if (nm != NULL && strcmp(nm, gname[g]) == 0)
					v = &tr.v[(size_t)k * (size_t)tr.ncols];
			}
			if (v == NULL)
				continue;
			for (i = 0; i < t->ncols; i++) {
				if (agg[i] == NULL)
					continue;
				total_cell(b, n, t, spec, rs, supp, ndata, i,
				    &t->cells[(size_t)(ndata + g) * (size_t)t->ncols +
				    (size_t)i], &v[at++], pass ? NULL : gname[g]);
			}
		}
	}
	rc = 0;
out:
	free(gname);
	free(agg);
	buf_free(&sql);
	return rc;
}

static int check_fields(struct binder *b, const struct node *n);

/* Whether a table has a column with total=. */
static int
has_totals(const struct node *n)
{
	const struct node *c;

	for (c = n->first; c != NULL; c = c->next)
		if (c->kind == N_COLUMN && c->total != NULL)
			return 1;
	return 0;
}

static int
bind_table_rows(struct binder *b, struct node *n)
{
	struct buf sql;
	struct rset rs;
	struct colspec *spec = NULL;
	struct tbl *t;
	const struct node *c;
	int ncols = 0, i, r, extra = 0, gcol = -1, ecol = -1, rc = -1, errs;
	int totals = 0, room;
	char *supp = NULL;
	/* The rows, the cells and their text go in an arena of the table's
	 * own, which a layout that consumes the document frees once the
	 * table is drawn (doc_tbl_release()): a 7,000-page build held every
	 * table's data to its end. What outlives the drawing (the table,
	 * its header, group names and footnote) stays in doc_a. */
	struct arena *doc_a = b->a, *own;

	errs = b->diags->errors;
	buf_init(&sql);
	memset(&rs, 0, sizeof(rs));
	if ((own = doc_arena_new(b->doc)) == NULL) {
		b->a->oom = 1;
		goto out;
	}
	b->a = own;
	if (check_fields(b, n) != 0)
		goto out;
	for (c = n->first; c != NULL; c = c->next)
		if (c->kind == N_COLUMN)
			ncols++;
	buf_puts(&sql, "SELECT ");
	if (ncols == 0)
		buf_puts(&sql, "*");
	for (c = n->first, i = 0; c != NULL; c = c->next) {
		if (c->kind != N_COLUMN)
			continue;
		buf_puts(&sql, i++ ? ", " : "");
		if (c->value != NULL)
			buf_printf(&sql, "(%s)", c->value);
		else
			quote_ident(&sql, c->field);
	}
	/* Hidden columns: each polarity field, then the group. */
	for (c = n->first; c != NULL; c = c->next)
		if (c->kind == N_COLUMN && c->polarity_field != NULL) {
			buf_puts(&sql, ", ");
			quote_ident(&sql, c->polarity_field);
			extra++;
		}
	for (c = n->first; c != NULL; c = c->next)
		if (c->kind == N_COLUMN && c->format_field != NULL) {
			buf_puts(&sql, ", ");
			quote_ident(&sql, c->format_field);
			extra++;
		}
	if (n->emphasis != NULL) {
		buf_printf(&sql, ", (%s)", n->emphasis);
		extra++;
	}
	if (n->group_by != NULL) {
		buf_puts(&sql, ", ");
		quote_ident(&sql, n->group_by);
		extra++;
	}
	buf_puts(&sql, " FROM ");
	if (from_clause(b, n->data, &sql, n->file, n->line) != 0)
		goto out;
	if (n->where != NULL)
		buf_printf(&sql, " WHERE %s", n->where);
	if (n->order_by != NULL)
		buf_printf(&sql, " ORDER BY %s", n->order_by);
	/* Its rows' array goes once the cells are made (their text
	 * stays): a long table's were a tenth of its build's memory. */
	if (query_buf_as(b, &sql, &rs, n, n->file, n->line, 1) != 0) {
		/* Name the columns there are: the likeliest mistake. */
		char cols[600], mean[96];
		struct buf src;
		buf_init(&src);
		buf_puts(&src, "SELECT * FROM ");
		if (from_clause(b, n->data, &src, n->file, n->line) == 0 &&
		    !src.oom &&
		    db_columns(b->db, src.data, cols, sizeof(cols)) == 0 &&
		    b->diags->n > 0 && strstr(b->diags->v[b->diags->n - 1].message,
		    "no such column"))
			diag_add(b->diags, SC_NOTE, n->file, said_line(b,
			    n->line), "data \"%s\" "
			    "has the columns: %s%s", n->data, cols, column_mean(
			    b->diags, cols, mean, sizeof(mean)));
		buf_free(&src);
		goto out;
	}
	/* The period the rows are for, when the <query> run once bound it. */
	if (b->mat_params != NULL && b->mat_params[0] != '\0')
		rs.params = rs.params == NULL || rs.params[0] == '\0' ||
		    strstr(b->mat_params, rs.params) != NULL ? b->mat_params :
		    arena_printf(b->a, "%s, %s", b->mat_params, rs.params);
	if (rs.nrows == 0 && !n->empty_ok)
		data_missing(b, n, element_name(b, n), "has no rows", &rs,
		    "it prints its header alone", MISSING_WARN, "table");
	if (ncols == 0)
		ncols = rs.ncols - extra;
	if (n->group_by != NULL)
		gcol = rs.ncols - 1;
	if (n->emphasis != NULL)
		ecol = rs.ncols - 1 - (n->group_by != NULL);
	totals = has_totals(n);
	if (n->total_line > 0 && !totals) {
		diag_err(b->diags, n->file, n->total_line, "<total> has no column "
		    "to total: give a <column> total=\"sum\" (or avg, min, max, "
		    "count or an SQL aggregate)");
		goto out;
	}
	/* Room for the data, a total per group and the grand total. */
	room = rs.nrows + 1 + (totals ? rs.nrows + 1 : 0);
	spec = calloc((size_t)ncols + 1, sizeof(*spec));
	t = arena_alloc(doc_a, sizeof(*t));
	if (spec == NULL || t == NULL)
		goto out;
	t->own = own;
	/* Headers are read after the drawing (a cell's /Alt). */
	for (i = 0; i < rs.ncols; i++)
		if ((rs.names[i] = arena_strdup(doc_a, rs.names[i])) == NULL)
			goto out;
	{
		int p = ncols;
		for (c = n->first, i = 0; c != NULL; c = c->next) {
			if (c->kind != N_COLUMN)
				continue;
			spec[i].n = c;
			spec[i].pol = c->polarity_field ? p++ : -1;
			i++;
		}
		for (c = n->first, i = 0; c != NULL; c = c->next) {
			if (c->kind != N_COLUMN)
				continue;
			spec[i++].ffmt = c->format_field ? p++ : -1;
		}
		for (; i < ncols; i++)
			spec[i].pol = spec[i].ffmt = -1;
	}
	t->ncols = ncols;
	t->nrows = rs.nrows;
	t->has_head = 1;
	t->head = arena_alloc(doc_a, (size_t)ncols * sizeof(*t->head) + 1);
	t->right = arena_alloc(doc_a, (size_t)ncols * sizeof(*t->right) + 1);
	t->width = arena_alloc(doc_a, (size_t)ncols * sizeof(*t->width) + 1);
	t->cells = arena_alloc(b->a, (size_t)ncols * (size_t)room *
	    sizeof(*t->cells));
	t->group = arena_alloc(b->a, (size_t)room * sizeof(*t->group));
	t->head_alt = arena_alloc(doc_a, (size_t)ncols * sizeof(*t->head_alt) +
	    1);
	if (totals || ecol >= 0)
		t->row_kind = arena_alloc(b->a, (size_t)room *
		    sizeof(*t->row_kind));
	if (totals && n->suppress_below > 0)
		supp = calloc((size_t)ncols * (size_t)(rs.nrows + 1), 1);
	if (!t->head || !t->right || !t->width || !t->cells || !t->group ||
	    !t->head_alt || ((totals || ecol >= 0) && !t->row_kind) ||
	    (totals && n->suppress_below > 0 && supp == NULL))
		goto out;
	for (i = 0; i < ncols; i++) {
		const struct node *cn = spec[i].n;
		const char *pat = cn && cn->format ? cn->format : rs.fmts[i];
		int numbers = 0, texts = 0;
		if (pat != NULL) {
			const char *what = arena_printf(b->a, "column \"%s\"",
			    column_name(cn, rs.names[i]));
			if (what != NULL && parse_format(b, pat, &spec[i].fmt, what,
			    cn ? cn->file : n->file, cn ? cn->line : n->line) == 0)
				spec[i].has_fmt = 1;
		}
		t->head[i] = cn && cn->header ? cn->header : cn && cn->field ?
		    cn->field : rs.names[i];
		/* header="" prints nothing, but a reader hears the column
		 * named: its alt-header=, else its field. */
		if (t->head[i][0] == '\0')
			t->head_alt[i] = cn && cn->alt_header ? cn->alt_header :
			    cn && cn->field ? cn->field : rs.names[i];
		for (r = 0; r < rs.nrows; r++) {
			int ty = rs.v[(size_t)r * (size_t)rs.ncols + (size_t)i].type;
			numbers += ty == SQLITE_INTEGER || ty == SQLITE_FLOAT;
			texts += ty == SQLITE_TEXT;
		}
		t->right[i] = numbers > texts;
		spec[i].text = texts > numbers;
		if (cn && cn->align)
			t->right[i] = strcmp(cn->align, "right") == 0 ? 1 :
			    strcmp(cn->align, "center") == 0 ? 2 : 0;
		if (cn && cn->colour && strcmp(cn->colour, "trend") == 0)
			t->right[i] = 0;
		if (cn && cn->width) {
			double w = tpl_length(cn->width);
			if (w < 0)
				diag_err(b->diags, cn->file, cn->line, "<column "
				    "width=\"%s\">: write a length such as \"30mm\"",
				    cn->width);
			else
				t->width[i] = w;
		}
	}
	/* A first column of text names its rows (the crime type, the
	 * area): a screen reader announces it with each figure. */
	t->row_head = ncols > 1 && t->right[0] == 0;
	if (spec[0].n != NULL && spec[0].n->row_header >= 0)
		t->row_head = spec[0].n->row_header;
	for (r = 0; r < rs.nrows; r++) {
		const struct rval *row = &rs.v[(size_t)r * (size_t)rs.ncols];
		for (i = 0; i < ncols; i++) {
			struct tcell *cell = &t->cells[(size_t)r * (size_t)ncols +
			    (size_t)i];
			const struct node *cn = spec[i].n;
			const struct rval *v = &row[i];
			if (n->suppress_below > 0 && v->type == SQLITE_INTEGER &&
			    v->num >= 1 && v->num < n->suppress_below) {
				cell->text = "*";
				if (supp != NULL)
					supp[(size_t)r * (size_t)ncols + (size_t)i] = 1;
				suppressed_note(b, t, n);
				continue;
			}
			cell->text = format_cell(b, v, row_format(b, &spec[i],
			    row, r, rs.names[i]));
			dress(b, cell, cn, v, spec[i].pol >= 0 ?
			    row[spec[i].pol].text : NULL);
		}
		if (ecol >= 0 && (row[ecol].type == SQLITE_INTEGER ||
		    row[ecol].type == SQLITE_FLOAT) && row[ecol].num != 0)
			t->row_kind[r] |= ROW_EMPHASIS;
		if (gcol >= 0)
			t->group[r] = group_name(b, doc_a, &row[gcol], r > 0 ?
			    t->group[r - 1] : NULL);
	}
	/* A column of blanks and zeros: most often a period the data does
	 * not cover ("-D first=2018/19" printed a column of zeros). */
	if (!n->empty_ok) {
		struct empties e;
		memset(&e, 0, sizeof(e));
		buf_init(&e.names);
		for (i = 0; i < ncols; i++) {
			enum colstate st = column_state(&rs, i);
			if (st != COL_DATA && !(spec[i].n && spec[i].n->empty_ok))
				empties_add(&e, column_name(spec[i].n, rs.names[i]), st);
		}
		empties_report(b, n, &e, "column", "row", &rs, spec[0].n != NULL ?
		    "column" : "table");
	}
	if (totals && (bind_totals(b, n, t, spec, &rs, supp, rs.nrows) != 0 ||
	    b->diags->errors != errs))
		goto out;
	/* The total rows bind_totals() filled (each one's row_kind). */
	if (totals)
		while (t->nrows < room && t->row_kind[t->nrows] & ROW_TOTAL)
			t->nrows++;
	n->tbl = t;
	rc = b->diags->errors == errs ? 0 : -1;
out:
	rset_free(&rs);
	free(spec);
	free(supp);
	buf_free(&sql);
	if (b->a != doc_a && b->a->oom)
		doc_a->oom = 1;
	b->a = doc_a;
	return rc;
}

/*
 * A bound table. One with totals reads its data's rows several times
 * (its rows, each total's check, the totals, the grand total): when the
 * data is a <query>, that is run once into ROWS_TABLE, which they read.
 */
static int
bind_table(struct binder *b, struct node *n)
{
	const struct query *q = find_source(b->doc, n->data) == NULL ?
	    find_query(b->doc, n->data) : NULL;
	int rc;

	/* With where=, its mistakes are told at its line by the table's
	 * own query, which filters the rows: run as before. */
	if (!has_totals(n) || n->where != NULL || q == NULL || q->sql == NULL ||
	    b->db == NULL || (b->bad_query != NULL &&
	    b->bad_query[q - b->doc->queries]))
		return bind_table_rows(b, n);
	if (db_materialize(b->db, b->doc, q->sql, ROWS_TABLE, b->a,
	    &b->mat_params, n->file, n->line, b->diags) != 0) {
		db_unmaterialize(b->db, ROWS_TABLE);
		b->mat_params = NULL;
		return -1;
	}
	b->mat_id = n->data;
	rc = bind_table_rows(b, n);
	b->mat_id = b->mat_params = NULL;
	db_unmaterialize(b->db, ROWS_TABLE);
	return rc;
}

/* A literal table: <head> and <row>s of <cell>s with inline content. */
static int
bind_literal(struct binder *b, struct node *n)
{
	struct tbl *t = arena_alloc(b->a, sizeof(*t));
	const struct node *row, *cell;
	int ncols = 0, nrows = 0, r = 0, i;

	if (t == NULL)
		return -1;
	for (row = n->first; row != NULL; row = row->next) {
		int k = 0;
		for (cell = row->first; cell != NULL; cell = cell->next)
			k++;
		if (k > ncols)
			ncols = k;
		if (row->kind == N_ROW)
			nrows++;
		else if (row->kind == N_HEAD)
			t->has_head = 1;
	}
	t->ncols = ncols;
	t->nrows = nrows;
	t->head = arena_alloc(b->a, (size_t)ncols * sizeof(*t->head) + 1);
	t->right = arena_alloc(b->a, (size_t)ncols * sizeof(*t->right) + 1);
	t->width = arena_alloc(b->a, (size_t)ncols * sizeof(*t->width) + 1);
	t->cells = arena_alloc(b->a, (size_t)ncols * (size_t)(nrows + 1) *
	    sizeof(*t->cells) + 1);
	t->group = arena_alloc(b->a, (size_t)(nrows + 1) * sizeof(*t->group));
	if (!t->head || !t->right || !t->width || !t->cells || !t->group)
		return -1;
	for (row = n->first; row != NULL; row = row->next) {
		for (cell = row->first, i = 0; cell != NULL; cell = cell->next,
		    i++) {
			if (row->kind == N_HEAD) {
				/* Header cells are plain text. */
				struct buf h;
				const struct node *x;
				buf_init(&h);
				for (x = node_next_pre(cell, cell); x != NULL;
				    x = node_next_pre(cell, x))
					if (x->kind == N_TEXT)
						buf_puts(&h, x->text);
				t->head[i] = h.oom ? NULL : arena_strdup(b->a,
				    h.data ? h.data : "");
				buf_free(&h);
				/* Never a header cell left empty for want of
				 * memory. */
				if (t->head[i] == NULL)
					return -1;
			} else
				t->cells[(size_t)r * (size_t)ncols + (size_t)i].inl =
				    cell;
		}
		for (; row->kind == N_HEAD && i < ncols; i++)
			t->head[i] = "";
		if (row->kind == N_ROW)
			r++;
	}
	n->tbl = t;
	return 0;
}

/* Is name one of the comma-separated column names in cols? */
static int
has_column(const char *cols, const char *name)
{
	size_t n = strlen(name);

	while (*cols) {
		size_t k = strcspn(cols, ",");
		if (k == n && strncasecmp(cols, name, n) == 0)
			return 1;
		cols += k;
		while (*cols == ',' || *cols == ' ')
			cols++;
	}
	return 0;
}

static const char *
band_word(const struct template *t, double score)
{
	return score >= t->risk_red ? "Red" : score >= t->risk_amber ?
	    "Amber" : "Green";
}

static int
bind_risks(struct binder *b, struct node *n)
{
	struct buf sql, src;
	struct rset rs;
	struct tbl *t;
	char cols[1024];
	int has_net, r, i, rc = -1;
	static const char *const head[] = { "Risk description",
		"Mitigating actions", "Owner", "Score", "Net score" };

	buf_init(&sql);
	buf_init(&src);
	buf_puts(&src, "SELECT * FROM ");
	if (from_clause(b, n->data, &src, n->file, n->line) != 0)
		goto out;
	if (src.oom) {
		diag_oom(b->diags, n->file, n->line, "out of memory building a "
		    "query; free some memory and build again");
		goto out;
	}
	if (db_columns(b->db, src.data, cols, sizeof(cols)) != 0) {
		diag_err(b->diags, n->file, n->line, "data \"%s\" cannot be read",
		    n->data);
		goto out;
	}
	{
		static const char *const need[] = { "risk", "mitigation", "owner",
			"likelihood", "impact" };
		for (i = 0; i < 5; i++) {
			if (!has_column(cols, need[i])) {
				diag_err(b->diags, n->file, n->line, "<risks data=\"%s\">: "
				    "the data has no column \"%s\" (it has: %s); a "
				    "risk register needs risk, mitigation, owner, "
				    "likelihood and impact", n->data, need[i], cols);
				goto out;
			}
		}
		has_net = has_column(cols, "net_likelihood") &&
		    has_column(cols, "net_impact");
	}
	buf_printf(&sql, "SELECT risk, mitigation, owner, score, net_score, "
	    "net_l, net_i FROM "
	    "(SELECT *, CASE WHEN net_score >= red THEN 'Red' WHEN net_score "
	    ">= amber THEN 'Amber' ELSE 'Green' END AS band FROM (SELECT *, "
	    "likelihood * impact AS score, %s AS net_score, %s AS net_l, %s "
	    "AS net_i FROM ",
	    has_net ? "net_likelihood * net_impact" : "likelihood * impact",
	    has_net ? "net_likelihood" : "likelihood",
	    has_net ? "net_impact" : "impact");
	from_clause(b, n->data, &sql, n->file, n->line);
	buf_printf(&sql, "), (SELECT %d AS red, %d AS amber))", b->t->risk_red,
	    b->t->risk_amber);
	if (n->where != NULL)
		buf_printf(&sql, " WHERE %s", n->where);
	buf_puts(&sql, " ORDER BY net_score DESC, score DESC");
	if (query_buf(b, &sql, &rs, n, n->file, n->line) != 0)
		goto out;
	if ((t = arena_alloc(b->a, sizeof(*t))) == NULL)
		goto out;
	t->ncols = b->t->risk_scores ? 5 : 3;
	t->nrows = rs.nrows;
	if (n->matrix) {
		/* Each risk's place on the matrix; the table numbers them. */
		n->risk_l = arena_alloc(b->a, (size_t)(rs.nrows + 1) * sizeof(int));
		n->risk_i = arena_alloc(b->a, (size_t)(rs.nrows + 1) * sizeof(int));
		if (n->risk_l == NULL || n->risk_i == NULL)
			goto out;
		for (r = 0; r < rs.nrows; r++) {
			const struct rval *row = &rs.v[(size_t)r * 7];
			n->risk_l[r] = (int)fmax(1, fmin(5, row[5].num));
			n->risk_i[r] = (int)fmax(1, fmin(5, row[6].num));
		}
		n->nkpi = rs.nrows;
	}
	t->has_head = 1;
	t->head = arena_alloc(b->a, 5 * sizeof(*t->head));
	t->right = arena_alloc(b->a, 5 * sizeof(*t->right));
	t->width = arena_alloc(b->a, 5 * sizeof(*t->width));
	t->cells = arena_alloc(b->a, 5 * (size_t)(rs.nrows + 1) *
	    sizeof(*t->cells));
	t->group = arena_alloc(b->a, (size_t)(rs.nrows + 1) * sizeof(*t->group));
	if (!t->head || !t->right || !t->width || !t->cells || !t->group)
		goto out;
	for (i = 0; i < t->ncols; i++)
		t->head[i] = head[i];
	for (r = 0; r < rs.nrows; r++) {
		const struct rval *row = &rs.v[(size_t)r * 7];
		for (i = 0; i < t->ncols; i++) {
			struct tcell *cell = &t->cells[(size_t)r * (size_t)t->ncols +
			    (size_t)i];
			if (i == 0 && n->matrix)
				/* Numbered as on the matrix. */
				cell->text = arena_printf(b->a, "%d. %s", r + 1,
				    format_value(b, &row[0], NULL));
			else if (i < 3)
				cell->text = format_value(b, &row[i], NULL);
			else {
				const char *w = band_word(b->t, row[i].num);
				cell->text = arena_printf(b->a, "%.0f %s", row[i].num, w);
				cell->mark = w[0] == 'R' ? MARK_RED : w[0] == 'A' ?
				    MARK_AMBER : MARK_GREEN;
			}
		}
	}
	n->tbl = t;
	rc = 0;
out:
	buf_free(&sql);
	buf_free(&src);
	return rc;
}

static int
col_index(const struct rset *rs, const char *name)
{
	int i;

	for (i = 0; i < rs->ncols; i++)
		if (strcasecmp(rs->names[i], name) == 0)
			return i;
	return -1;
}

/* <n what="name"> names no column of data (rs's names): said at the
 * attribute's line, else n's, with the names there are. */
static void
no_column(struct binder *b, const struct node *n, const char *data,
    const struct rset *rs, const char *what, const char *name)
{
	struct buf cols;
	int i, line = doc_text_line(b->doc, name, 0);

	struct suggest sg;
	char mean[96];

	buf_init(&cols);
	suggest_init(&sg, name);
	for (i = 0; i < rs->ncols; i++) {
		buf_printf(&cols, "%s%s", i ? ", " : "", rs->names[i]);
		suggest_try(&sg, rs->names[i]);
	}
	diag_err(b->diags, n->file, line > 0 ? line : n->line, "<%s %s=\"%s\">: "
	    "data \"%s\" has no such column (it has: %s)%s",
	    node_kind_name(n->kind), what, name, data, cols.data ? cols.data :
	    "", suggest_text(&sg, NULL, NULL, mean, sizeof(mean)));
	buf_free(&cols);
}

/* Each <column>'s field= (and polarity-field=, format-field=) by name
 * before SQLite says "no such column" of the whole table: the message
 * at the <column>, with the names there are. 0 when all are there. */
static int
check_fields(struct binder *b, const struct node *n)
{
	const struct node *c;
	struct buf sql;
	struct rset rs;
	int bad = 0, any = 0, i;

	for (c = n->first; c != NULL; c = c->next)
		any |= c->kind == N_COLUMN && (c->field != NULL ||
		    c->polarity_field != NULL || c->format_field != NULL);
	if (!any)
		return 0;
	buf_init(&sql);
	buf_puts(&sql, "SELECT * FROM ");
	if (from_clause(b, n->data, &sql, n->file, n->line) != 0 ||
	    (buf_puts(&sql, " LIMIT 0"), query_buf(b, &sql, &rs, n, n->file,
	    n->line)) != 0) {
		buf_free(&sql);
		return -1;
	}
	buf_free(&sql);
	for (c = n->first; c != NULL; c = c->next) {
		const char *what[3] = { "field", "polarity-field",
			"format-field" };
		const char *name[3] = { c->value == NULL ? c->field : NULL,
			c->polarity_field, c->format_field };
		if (c->kind != N_COLUMN)
			continue;
		for (i = 0; i < 3; i++)
			if (name[i] != NULL && col_index(&rs, name[i]) < 0) {
				no_column(b, c, n->data, &rs, what[i], name[i]);
				bad = 1;
				break;
			}
	}
	return bad ? -1 : 0;
}

/* At most this many series from series-by=: more lines or bars than a
 * reader can tell apart, and each one is a CASE in the pivot's SQL. */
#define PIVOT_SERIES_MAX 24

static void
quote_literal(struct buf *sql, const struct rval *v)
{
	const char *p;

	if (v->type == SQLITE_INTEGER) {
		buf_printf(sql, "%lld", v->i);
		return;
	}
	if (v->type == SQLITE_FLOAT) {
		buf_printf(sql, "%.17g", v->num);
		return;
	}
	buf_putc(sql, '\'');
	for (p = v->text; *p; p++) {
		if (*p == '\'')
			buf_putc(sql, '\'');
		buf_putc(sql, *p);
	}
	buf_putc(sql, '\'');
}

/*
 * series-by="year" series="incidents": long-form rows (one per x and
 * year) turned into one series per year, in the order the years first
 * appear, categories in the order the x values first appear. SQLite
 * does the grouping (no quadratic search here). base is the element's
 * SELECT; on success sql holds the pivot, whose column 0 is x and the
 * rest are the series, and *vfmt the value column's display format. Two
 * rows for one x and series are an error: plotting either would drop
 * the other without a word.
 */
static int
pivot_sql(struct binder *b, struct node *n, const struct buf *base,
    struct buf *sql, const char **vfmt)
{
	struct buf q;
	struct rset rs;
	const char *names[3] = { n->x, n->series_by, n->series };
	static const char *what[3] = { "x", "series-by", "series" };
	int i, rc = -1;

	buf_init(&q);
	if (n->x == NULL || n->series == NULL || strchr(n->series, ',')) {
		diag_err(b->diags, n->file, n->line, "<chart series-by=\"%s\">: "
		    "name the categories with x=\"COLUMN\" and the one column of "
		    "numbers to plot with series=\"COLUMN\"", n->series_by);
		goto out;
	}
	/* The columns, by name, before SQLite says "no such column". */
	buf_printf(&q, "SELECT * FROM (%s) LIMIT 0", base->data);
	if (query_buf(b, &q, &rs, n, n->file, n->line) != 0)
		goto out;
	for (i = 0; i < 3; i++)
		if (col_index(&rs, names[i]) < 0) {
			no_column(b, n, n->data, &rs, what[i], names[i]);
			goto out;
		}
	*vfmt = rs.fmts[col_index(&rs, n->series)];
	/* Two rows for one point. */
	buf_reset(&q);
	buf_puts(&q, "SELECT ");
	quote_ident(&q, n->x);
	buf_puts(&q, ", ");
	quote_ident(&q, n->series_by);
	buf_printf(&q, ", count(*) FROM (%s) GROUP BY 1, 2 HAVING count(*) > 1 "
	    "LIMIT 1", base->data);
	if (query_buf(b, &q, &rs, n, n->file, n->line) != 0)
		goto out;
	if (rs.nrows > 0) {
		diag_err(b->diags, n->file, n->line, "<chart series-by=\"%s\">: "
		    "%lld rows of data \"%s\" have %s \"%s\" and %s \"%s\"; a "
		    "point is one row: sum them in a <query>, or choose one with "
		    "where=", n->series_by, rs.v[2].i, n->data, n->x,
		    format_value(b, &rs.v[0], NULL), n->series_by,
		    format_value(b, &rs.v[1], NULL));
		goto out;
	}
	/* The series, in the order they first appear. */
	buf_reset(&q);
	buf_puts(&q, "SELECT ");
	quote_ident(&q, n->series_by);
	buf_puts(&q, " FROM (SELECT *, row_number() OVER () AS sc_row FROM (");
	buf_printf(&q, "%s)) GROUP BY 1 ORDER BY min(sc_row) LIMIT %d",
	    base->data, PIVOT_SERIES_MAX + 1);
	if (query_buf(b, &q, &rs, n, n->file, n->line) != 0)
		goto out;
	if (rs.nrows > PIVOT_SERIES_MAX) {
		diag_err(b->diags, n->file, n->line, "<chart series-by=\"%s\">: "
		    "more than %d values, each a series; a chart shows a few: "
		    "choose them with where=", n->series_by, PIVOT_SERIES_MAX);
		goto out;
	}
	buf_puts(sql, "SELECT ");
	quote_ident(sql, n->x);
	for (i = 0; i < rs.nrows; i++) {
		const struct rval *v = &rs.v[i];
		if (v->type == SQLITE_NULL || v->type == SQLITE_BLOB ||
		    (v->type == SQLITE_TEXT && v->text[0] == '\0')) {
			diag_err(b->diags, n->file, n->line, "<chart series-by=\"%s\">: "
			    "some rows of data \"%s\" have no %s, so no series to "
			    "be in; fill it in, or leave them out with where=",
			    n->series_by, n->data, n->series_by);
			goto out;
		}
		buf_puts(sql, ", max(CASE WHEN ");
		quote_ident(sql, n->series_by);
		buf_puts(sql, " = ");
		quote_literal(sql, v);
		buf_puts(sql, " THEN ");
		quote_ident(sql, n->series);
		buf_puts(sql, " END) AS ");
		quote_ident(sql, format_value(b, v, NULL));
	}
	buf_printf(sql, " FROM (SELECT *, row_number() OVER () AS sc_row FROM "
	    "(%s)) GROUP BY 1 ORDER BY min(sc_row)", base->data);
	rc = 0;
out:
	buf_free(&q);
	return rc;
}

/* A column's identifier as a reader sees it: "crimes_per_1000" as
 * "Crimes per 1000"; any other name as it is. */
static const char *
readable(struct binder *b, const char *name)
{
	char *r, *p;

	if (name == NULL || strchr(name, '_') == NULL || strchr(name, ' '))
		return name;
	if ((r = arena_strdup(b->a, name)) == NULL)
		return name;   /* the arena's oom fails the bind */
	for (p = r; *p; p++)
		if (*p == '_')
			*p = ' ';
	if (*r >= 'a' && *r <= 'z')
		*r = (char)(*r - 'a' + 'A');
	return r;
}

/* What sort= orders a chart's categories by: its first series, or the
 * whole stack; a missing value last either way. */
struct catkey {
	double key;
	int    k;
	int    dir;
};

static int
catkey_cmp(const void *pa, const void *pb)
{
	const struct catkey *a = pa, *b = pb;

	if (isnan(a->key) != isnan(b->key))
		return isnan(a->key) ? 1 : -1;
	if (!isnan(a->key) && a->key != b->key)
		return (a->key < b->key ? -1 : 1) * a->dir;
	return a->k - b->k;   /* ties keep the data's order */
}

/* sort="value" (dir 1, smallest first) or "-value" (-1): the categories
 * and every series' values reordered together. */
static int
sort_categories(struct chart_data *cd, int dir, int stacked)
{
	struct catkey *key = calloc((size_t)cd->ncat + 1, sizeof(*key));
	const char **cat = calloc((size_t)cd->ncat + 1, sizeof(*cat));
	double *v = calloc((size_t)cd->ncat * (size_t)cd->nser + 1,
	    sizeof(*v));
	int k, s, rc = -1;

	if (key == NULL || cat == NULL || v == NULL)
		goto out;
	for (k = 0; k < cd->ncat; k++) {
		key[k].k = k;
		key[k].dir = dir;
		key[k].key = cd->v[k];
		for (s = 1; stacked && s < cd->nser; s++) {
			double x = cd->v[(size_t)s * (size_t)cd->ncat + (size_t)k];
			if (isfinite(x))
				key[k].key = isnan(key[k].key) ? x : key[k].key + x;
		}
	}
	qsort(key, (size_t)cd->ncat, sizeof(*key), catkey_cmp);
	for (k = 0; k < cd->ncat; k++) {
		cat[k] = cd->cat[key[k].k];
		for (s = 0; s < cd->nser; s++)
			v[(size_t)s * (size_t)cd->ncat + (size_t)k] = cd->v[(size_t)s *
			    (size_t)cd->ncat + (size_t)key[k].k];
	}
	memcpy(cd->cat, cat, (size_t)cd->ncat * sizeof(*cat));
	memcpy(cd->v, v, (size_t)cd->ncat * (size_t)cd->nser * sizeof(*v));
	rc = 0;
out:
	free(key);
	free(cat);
	free(v);
	return rc;
}

/* A chart's data: categories from x, one series per value column. */
static int
bind_chart(struct binder *b, struct node *n)
{
	struct buf sql;
	struct rset rs;
	struct chart_data *cd;
	int xi = 0, *si = NULL, ns = 0, i, k, rc = -1;
	struct numfmt catfmt;
	int have_catfmt = 0;
	const char *pivot_fmt = NULL;

	buf_init(&sql);
	buf_puts(&sql, "SELECT * FROM ");
	if (from_clause(b, n->data, &sql, n->file, n->line) != 0)
		goto out;
	if (n->where)
		buf_printf(&sql, " WHERE %s", n->where);
	if (n->order_by)
		buf_printf(&sql, " ORDER BY %s", n->order_by);
	if (n->series_by != NULL) {
		struct buf base = sql;
		buf_init(&sql);
		i = pivot_sql(b, n, &base, &sql, &pivot_fmt);
		buf_free(&base);
		if (i != 0)
			goto out;
	}
	if (query_buf(b, &sql, &rs, n, n->file, n->line) != 0)
		goto out;
	if (rs.nrows == 0) {
		data_missing(b, n, element_name(b, n), "has no rows", &rs,
		    "there is nothing to plot", MISSING_FATAL, NULL);
		goto out;
	}
	if (n->series_by != NULL) {
		/* The pivot's columns: x, then each series. */
		if ((si = calloc((size_t)rs.ncols + 1, sizeof(*si))) == NULL)
			goto out;
		for (i = 1; i < rs.ncols; i++)
			si[ns++] = i;
	} else if (n->x != NULL && (xi = col_index(&rs, n->x)) < 0) {
		no_column(b, n, n->data, &rs, "x", n->x);
		goto out;
	}
	if (si == NULL && (si = calloc((size_t)rs.ncols + 1,
	    sizeof(*si))) == NULL)
		goto out;
	if (n->series_by != NULL)
		; /* the pivot's */
	else if (n->series != NULL) {
		const char *p = n->series;
		while (*p) {
			size_t len = strcspn(p, ",");
			char *name = arena_strndup(b->a, p, len), *e;
			while (*name == ' ')
				name++;
			e = name + strlen(name);
			while (e > name && e[-1] == ' ')
				*--e = '\0';
			if (*name != '\0') {
				if ((si[ns] = col_index(&rs, name)) < 0) {
					no_column(b, n, n->data, &rs, "series", name);
					goto out;
				}
				if (ns < rs.ncols)
					ns++;
			}
			p += len;
			if (*p == ',')
				p++;
		}
	} else
		for (i = 0; i < rs.ncols; i++) {
			int numbers = 0;
			if (i == xi)
				continue;
			for (k = 0; k < rs.nrows; k++) {
				int t = rs.v[(size_t)k * (size_t)rs.ncols + (size_t)i].type;
				numbers += t == SQLITE_INTEGER || t == SQLITE_FLOAT;
			}
			if (numbers > 0)
				si[ns++] = i;
		}
	if (ns == 0) {
		diag_err(b->diags, n->file, n->line, "<chart data=\"%s\">: no "
		    "column of numbers to plot; name them with series=",
		    n->data);
		goto out;
	}
	if ((cd = arena_alloc(b->a, sizeof(*cd))) == NULL)
		goto out;
	cd->ncat = rs.nrows;
	cd->nser = ns;
	cd->x_name = rs.names[xi];
	cd->cat = arena_alloc(b->a, (size_t)rs.nrows * sizeof(*cd->cat));
	cd->ser = arena_alloc(b->a, (size_t)ns * sizeof(*cd->ser));
	cd->v = arena_alloc(b->a, (size_t)ns * (size_t)rs.nrows *
	    sizeof(*cd->v));
	if (!cd->cat || !cd->ser || !cd->v)
		goto out;
	/* Months read best as "Apr 21" on an axis. */
	if (rs.fmts[xi] != NULL) {
		char err[64];
		const char *pat = strcmp(rs.fmts[xi], "yyyy-MM") == 0 ?
		    "MMM yy" : rs.fmts[xi];
		have_catfmt = numfmt_parse(pat, &catfmt, err, sizeof(err)) == 0;
	}
	for (k = 0; k < rs.nrows; k++)
		cd->cat[k] = format_value(b, &rs.v[(size_t)k * (size_t)rs.ncols +
		    (size_t)xi], have_catfmt ? &catfmt : NULL);
	for (i = 0; i < ns; i++) {
		cd->ser[i] = rs.names[si[i]];
		for (k = 0; k < rs.nrows; k++) {
			const struct rval *v = &rs.v[(size_t)k * (size_t)rs.ncols +
			    (size_t)si[i]];
			double *out = &cd->v[(size_t)i * (size_t)rs.nrows + (size_t)k];
			if (v->type == SQLITE_INTEGER || v->type == SQLITE_FLOAT)
				*out = v->num;
			else if (v->type == SQLITE_NULL || (v->type == SQLITE_TEXT &&
			    v->text[0] == '\0'))
				*out = NAN; /* a gap */
			else {
				diag_err(b->diags, n->file, n->line, "<chart>: column "
				    "\"%s\" is not numeric (\"%s\" in row %d); plot "
				    "columns of numbers", rs.names[si[i]], v->text, k + 1);
				goto out;
			}
			if ((strcmp(n->chart_type, "pie") == 0 ||
			    strcmp(n->chart_type, "donut") == 0) && *out < 0) {
				diag_err(b->diags, n->file, n->line, "<chart type=\"%s\">: "
				    "a pie cannot show the negative value %g (%s); use a "
				    "bar chart", n->chart_type, *out, cd->cat[k]);
				goto out;
			}
		}
	}
	if (!n->empty_ok) {
		struct empties e;
		memset(&e, 0, sizeof(e));
		buf_init(&e.names);
		for (i = 0; i < ns; i++) {
			enum colstate st = column_state(&rs, si[i]);
			if (st != COL_DATA)
				empties_add(&e, rs.names[si[i]], st);
		}
		empties_report(b, n, &e, "series", "row", &rs, "chart");
	}
	/* The names the reader sees: <series label=>, x-label=, else the
	 * column's name, with an identifier's underscores made spaces. */
	for (i = 0; i < ns; i++) {
		const char *lab = NULL;
		for (k = 0; k < n->nser_label; k++)
			if (n->ser_label[k] != NULL &&
			    strcasecmp(n->ser_field[k], cd->ser[i]) == 0)
				lab = n->ser_label[k];
		cd->ser[i] = lab ? lab : readable(b, cd->ser[i]);
		if (i == 0)
			cd->ser_named = lab != NULL;
	}
	cd->x_name = n->x_label ? n->x_label : readable(b, cd->x_name);
	cd->x_named = n->x_label != NULL;
	if (n->sort != 0 && sort_categories(cd, n->sort,
	    strcmp(n->chart_type, "stacked") == 0) != 0)
		goto out;
	if (n->highlight != NULL) {
		for (k = 0; k < cd->ncat; k++)
			if (strcmp(cd->cat[k], n->highlight) == 0)
				break;
		if (k == cd->ncat) {
			struct buf cats;
			struct suggest sg;
			char mean[96];
			buf_init(&cats);
			for (k = 0; k < cd->ncat && k < 8; k++)
				buf_printf(&cats, "%s\"%s\"", k ? ", " : "", cd->cat[k]);
			if (cd->ncat > 8)
				buf_puts(&cats, ", ...");
			suggest_init(&sg, n->highlight);
			for (k = 0; k < cd->ncat; k++)
				suggest_try(&sg, cd->cat[k]);
			diag_err(b->diags, n->file, n->line, "%s: highlight=\"%s\" is "
			    "not one of its categories (%s); write one as the chart "
			    "prints it%s", element_name(b, n), n->highlight,
			    cats.data ? cats.data : "", suggest_text(&sg, NULL, NULL,
			    mean, sizeof(mean)));
			buf_free(&cats);
			goto out;
		}
	}
	if ((n->value_format = number_format(b, n, n->format, n->series_by !=
	    NULL ? pivot_fmt : rs.fmts[si[0]], cd->v, (size_t)ns *
	    (size_t)cd->ncat)) == NULL)
		goto out;
	if (n->axis_format != NULL && parse_format(b, n->axis_format, &catfmt,
	    or_empty(arena_printf(b->a, "%s, axis-format=", element_name(b,
	    n))), n->file, n->line) != 0)
		goto out;
	n->chart = cd;
	rc = 0;
out:
	free(si);
	buf_free(&sql);
	return rc;
}

/* Key-figure tiles: label, value, change and polarity per row. */
static int
bind_kpis(struct binder *b, struct node *n)
{
	struct buf sql;
	struct rset rs;
	struct numfmt vf, cf;
	char err[64];
	int k, have_vf = 0, rc = -1;

	buf_init(&sql);
	buf_printf(&sql, "SELECT (%s), (%s), %s%s%s, %s%s%s FROM ",
	    n->label_expr, n->value, n->change ? "(" : "",
	    n->change ? n->change : "NULL", n->change ? ")" : "",
	    n->polarity_field ? "\"" : "", n->polarity_field ?
	    n->polarity_field : "'up'", n->polarity_field ? "\"" : "");
	if (from_clause(b, n->data, &sql, n->file, n->line) != 0)
		goto out;
	if (query_buf(b, &sql, &rs, n, n->file, n->line) != 0)
		goto out;
	if (rs.nrows == 0) {
		data_missing(b, n, element_name(b, n), "have no rows", &rs,
		    "there are no tiles to show", MISSING_FATAL, NULL);
		goto out;
	}
	if (!n->empty_ok) {
		struct empties e;
		enum colstate st;
		memset(&e, 0, sizeof(e));
		buf_init(&e.names);
		if ((st = column_state(&rs, 1)) != COL_DATA)
			empties_add(&e, n->value, st);
		if (n->change != NULL && (st = column_state(&rs, 2)) != COL_DATA)
			empties_add(&e, n->change, st);
		empties_report(b, n, &e, "value", "tile", &rs, "kpis");
	}
	{
		/* The tiles' values as numbers, to choose their format. */
		double *nums = arena_alloc(b->a, ((size_t)rs.nrows + 1) *
		    sizeof(*nums));
		const char *pat;
		if (nums == NULL)
			goto out;
		for (k = 0; k < rs.nrows; k++) {
			const struct rval *x = &rs.v[(size_t)k * 4 + 1];
			nums[k] = x->type == SQLITE_INTEGER || x->type ==
			    SQLITE_FLOAT ? x->num : NAN;
		}
		if ((pat = number_format(b, n, n->format, rs.fmts[1], nums,
		    (size_t)rs.nrows)) == NULL)
			goto out;
		have_vf = numfmt_parse(pat, &vf, err, sizeof(err)) == 0;
	}
	numfmt_parse("+0.0%;-0.0%;0.0%", &cf, err, sizeof(err));
	n->kpi = arena_alloc(b->a, (size_t)rs.nrows * sizeof(*n->kpi));
	if (n->kpi == NULL)
		goto out;
	for (k = 0; k < rs.nrows; k++) {
		const struct rval *row = &rs.v[(size_t)k * 4];
		struct kpi *t = &n->kpi[k];
		int down = row[3].text && strcasecmp(row[3].text, "down") == 0;
		t->label = format_value(b, &row[0], NULL);
		t->value = format_value(b, &row[1], have_vf ? &vf : NULL);
		t->change = NAN;
		if (row[2].type == SQLITE_INTEGER || row[2].type == SQLITE_FLOAT) {
			struct buf cb;
			t->change = row[2].num;
			buf_init(&cb);
			numfmt_number(&cf, t->change, &cb);
			if (cb.oom)
				b->a->oom = 1;   /* data_bind() fails */
			t->change_text = cb.oom ? NULL :
			    arena_strdup(b->a, cb.data ? cb.data : "");
			buf_free(&cb);
			t->good = t->change == 0 ? 0 : ((t->change > 0) != down ?
			    1 : -1);
		}
	}
	n->nkpi = rs.nrows;
	rc = 0;
out:
	buf_free(&sql);
	return rc;
}

/* Size of a JPEG from its frame header; 0 when it is not a whole JPEG
 * (a truncated file has no end marker; a header alone has no scan). */
static int
jpeg_size(const unsigned char *p, size_t n, int *w, int *h)
{
	size_t i = 2;

	if (n < 4 || p[n - 2] != 0xFF || p[n - 1] != 0xD9)
		return 0;
	while (i + 9 < n) {
		unsigned m, len;
		if (p[i] != 0xFF)
			return 0;
		m = p[i + 1];
		len = (unsigned)(p[i + 2] << 8 | p[i + 3]);
		if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 &&
		    m != 0xCC) {
			*h = p[i + 5] << 8 | p[i + 6];
			*w = p[i + 7] << 8 | p[i + 8];
		} else if (m == 0xDA)
			/* Start of scan: a frame header and scan data after
			 * it (a header alone was embedded, and qpdf warned). */
			return *w > 0 && *h > 0 && i + 2 + len < n - 2;
		i += 2 + len;
	}
	return 0;
}

/* Size of a PNG from its IHDR chunk, before anything is decoded. */
static int
png_size(const unsigned char *p, size_t n, int *w, int *h)
{
	unsigned long pw, ph;

	if (n < 24 || memcmp(p + 12, "IHDR", 4) != 0)
		return 0;
	pw = (unsigned long)p[16] << 24 | p[17] << 16 | p[18] << 8 | p[19];
	ph = (unsigned long)p[20] << 24 | p[21] << 16 | p[22] << 8 | p[23];
	if (pw == 0 || ph == 0 || pw > 0x7fffffff || ph > 0x7fffffff)
		return 0;
	*w = (int)pw;
	*h = (int)ph;
	return 1;
}

/* Decoded, an image takes four bytes a pixel (20,000 x 20,000 took
 * 3 GB and wrote a 401 MB PDF): refuse it by name before decoding. */
static int
too_many_pixels(struct binder *b, const struct node *n, int w, int h)
{
	if ((double)w * h <= IMAGE_MAX_PIXELS)
		return 0;
	diag_err(b->diags, n->file, n->line, "image \"%s\" is too large: %d "
	    "x %d pixels; the limit is %d megapixels (a page needs about 8), "
	    "so scale it down", n->href, w, h, IMAGE_MAX_PIXELS / 1000000);
	return 1;
}

/* cairo reads a PNG from memory through this. */
struct png_mem {
	const unsigned char *p;
	size_t               n;
};

static cairo_status_t
png_read(void *closure, unsigned char *out, unsigned int len)
{
	struct png_mem *m = closure;

	if (len > m->n)
		return CAIRO_STATUS_READ_ERROR;
	memcpy(out, m->p, len);
	m->p += len;
	m->n -= len;
	return CAIRO_STATUS_SUCCESS;
}

/* An image: a whole PNG (decoded once to be sure) or JPEG, under the
 * definition's folder. Read once, by path_slurp(), so that a FIFO or a
 * device is refused before anything waits on it. */
static int
bind_image(struct binder *b, const struct bind_opts *o, struct node *n)
{
	const char *path;
	unsigned char *data = NULL;
	size_t len = 0;
	int rc = -1;

	if (n->href == NULL)
		return -1;
	if ((path = resolve(b, o, n->href, "image file", n->file,
	    n->line)) == NULL)
		return -1;
	if ((data = path_slurp(path, "image file", 64u << 20, &len, b->diags,
	    n->file, n->line)) == NULL)
		return -1;
	if (len >= 8 && memcmp(data, "\x89PNG\r\n\x1a\n", 8) == 0 &&
	    png_size(data, len, &n->img_w, &n->img_h) &&
	    too_many_pixels(b, n, n->img_w, n->img_h))
		; /* said */
	else if (len >= 8 && memcmp(data, "\x89PNG\r\n\x1a\n", 8) == 0) {
		struct png_mem m = { data, len };
		cairo_surface_t *s = cairo_image_surface_create_from_png_stream(
		    png_read, &m);
		if (cairo_surface_status(s) == CAIRO_STATUS_SUCCESS) {
			n->img_kind = 1;
			n->img_w = cairo_image_surface_get_width(s);
			n->img_h = cairo_image_surface_get_height(s);
			rc = 0;
		} else if (cairo_surface_status(s) == CAIRO_STATUS_NO_MEMORY)
			diag_oom(b->diags, n->file, n->line, "out of memory "
			    "reading image \"%s\"", n->href);
		else
			diag_err(b->diags, n->file, n->line, "image \"%s\" is a "
			    "damaged PNG (%s); export it again", n->href,
			    cairo_status_to_string(cairo_surface_status(s)));
		cairo_surface_destroy(s);
	} else if (len >= 3 && data[0] == 0xFF && data[1] == 0xD8) {
		n->img_w = n->img_h = 0;
		if (jpeg_size(data, len, &n->img_w, &n->img_h)) {
			if (!too_many_pixels(b, n, n->img_w, n->img_h)) {
				n->img_kind = 2;
				rc = 0;
			}
		} else
			diag_err(b->diags, n->file, n->line, "image \"%s\" is a "
			    "damaged or truncated JPEG; export it again", n->href);
	} else
		diag_err(b->diags, n->file, n->line, "\"%s\" is not a PNG or JPEG "
		    "image; save the picture as PNG or JPEG", n->href);
	free(data);
	if (rc == 0)
		n->img_path = path;
	return rc;
}

/* Every period from..to must be in the column. */
static void
check_expect(struct binder *b, const struct expect *e)
{
	struct buf sql, missing;
	struct rset rs;
	int y, m, y2, m2, q = 0, q2 = 0, count = 0, i;
	char per[16];

	if (!e->source || !e->column || !e->periods || !e->from || !e->to)
		return;
	buf_init(&sql);
	buf_init(&missing);
	buf_puts(&sql, "SELECT DISTINCT substr(CAST(");
	quote_ident(&sql, e->column);
	buf_puts(&sql, " AS TEXT), 1, 16) FROM ");
	if (find_source(b->doc, e->source) == NULL &&
	    find_query(b->doc, e->source) == NULL) {
		char mean[96];
		diag_err(b->diags, e->file, e->line, "<expect source=\"%s\">: no "
		    "<csv> or <query> has that id%s", e->source, source_mean(
		    b->doc, e->source, mean, sizeof(mean)));
		goto out;
	}
	from_clause(b, e->source, &sql, e->file, e->line);
	if (query_buf(b, &sql, &rs, NULL, e->file, e->line) != 0)
		goto out;
	if (strcmp(e->periods, "monthly") == 0) {
		if (sscanf(e->from, "%4d-%2d", &y, &m) != 2 ||
		    sscanf(e->to, "%4d-%2d", &y2, &m2) != 2) {
			diag_err(b->diags, e->file, e->line, "<expect "
			    "periods=\"monthly\">: write from and to as YYYY-MM");
			goto out;
		}
	} else if (strcmp(e->periods, "quarterly") == 0) {
		if (sscanf(e->from, "%4d Q%1d", &y, &q) != 2 ||
		    sscanf(e->to, "%4d Q%1d", &y2, &q2) != 2 || q < 1 || q > 4 ||
		    q2 < 1 || q2 > 4) {
			diag_err(b->diags, e->file, e->line, "<expect "
			    "periods=\"quarterly\">: write from and to as "
			    "\"2023 Q1\"");
			goto out;
		}
		m = q;
		m2 = q2;
	} else {
		if (sscanf(e->from, "%4d/", &y) != 1 ||
		    sscanf(e->to, "%4d/", &y2) != 1) {
			diag_err(b->diags, e->file, e->line, "<expect "
			    "periods=\"financial-year\">: write from and to as "
			    "\"2023/24\"");
			goto out;
		}
		m = m2 = 1;
	}
	if (y * 12 + m > y2 * 12 + m2 || y2 - y > 200) {
		diag_err(b->diags, e->file, e->line, "<expect>: from \"%s\" comes "
		    "after to \"%s\"", e->from, e->to);
		goto out;
	}
	while (y * 12 + m <= y2 * 12 + m2) {
		int found = 0;
		if (strcmp(e->periods, "monthly") == 0)
			snprintf(per, sizeof(per), "%04d-%02d", y, m);
		else if (strcmp(e->periods, "quarterly") == 0)
			snprintf(per, sizeof(per), "%04d Q%d", y, m);
		else
			snprintf(per, sizeof(per), "%04d/%02d", y, (y + 1) % 100);
		for (i = 0; i < rs.nrows && !found; i++) {
			const struct rval *v = &rs.v[i];
			found = v->type == SQLITE_TEXT &&
			    strncmp(v->text, per, strlen(per)) == 0;
		}
		if (!found) {
			if (count < 240)
				buf_printf(&missing, "%s%s", count ? ", " : "", per);
			count++;
		}
		if (strcmp(e->periods, "monthly") == 0) {
			if (++m > 12) { m = 1; y++; }
		} else if (strcmp(e->periods, "quarterly") == 0) {
			if (++m > 4) { m = 1; y++; }
		} else
			y++;
	}
	if (count > 0)
		diag_err(b->diags, e->file, e->line, "%s column \"%s\" is missing "
		    "%d %s period%s: %s%s; is the export short?", e->source,
		    e->column, count, e->periods, count == 1 ? "" : "s",
		    missing.data, count > 240 ? ", ..." : "");
out:
	buf_free(&sql);
	buf_free(&missing);
}

/*
 * A parameter with in-data="source.column": its value must be in that
 * column, so that a year the data does not cover fails here, by name,
 * not later as tables of zeros.
 */
static void
check_in_data(struct binder *b, struct param *p)
{
	const char *dot = strchr(p->in_data, '.');
	char id[128], vals[400];
	struct buf sql;
	struct rset rs;
	int used = p->used, i;
	size_t o = 0;

	if (dot == NULL || dot == p->in_data || dot[1] == '\0' ||
	    p->value == NULL || (size_t)(dot - p->in_data) >= sizeof(id))
		return; /* reported by the definition */
	memcpy(id, p->in_data, (size_t)(dot - p->in_data));
	id[dot - p->in_data] = '\0';
	if (find_source(b->doc, id) == NULL && find_query(b->doc, id) == NULL) {
		char mean[96];
		diag_err(b->diags, b->doc->file, p->line, "parameter \"%s\": "
		    "in-data=\"%s\": no <csv> or <query> has the id \"%s\"%s",
		    p->name, p->in_data, id, source_mean(b->doc, id, mean,
		    sizeof(mean)));
		return;
	}
	buf_init(&sql);
	buf_puts(&sql, "SELECT DISTINCT CAST(");
	quote_ident(&sql, dot + 1);
	buf_puts(&sql, " AS TEXT) AS v FROM ");
	from_clause(b, id, &sql, b->doc->file, p->line);
	buf_puts(&sql, " ORDER BY (v = CAST(:");
	buf_puts(&sql, p->name);
	buf_puts(&sql, " AS TEXT)) DESC, v LIMIT 9");
	if (query_buf(b, &sql, &rs, NULL, b->doc->file, p->line) == 0 &&
	    (rs.nrows == 0 || rs.v[0].text == NULL ||
	    strcmp(rs.v[0].text, p->value) != 0)) {
		vals[0] = '\0';
		for (i = 0; i < rs.nrows && i < 8 && o + 40 < sizeof(vals); i++) {
			int k = snprintf(vals + o, sizeof(vals) - o, "%s%.30s",
			    i ? ", " : "", rs.v[i].text ? rs.v[i].text : "");
			if (k > 0)
				o += (size_t)k;
		}
		diag_err(b->diags, b->doc->file, p->line, "parameter \"%s\" is "
		    "\"%s\", which is not in column \"%s\" of %s%s%s%s; the "
		    "data may not cover it: check the export, or pass -D %s= a "
		    "value it has", p->name, p->value, dot + 1, id, rs.nrows ?
		    " (it has " : " (it is empty", vals, rs.nrows > 8 ? ", ...)" :
		    ")", p->name);
	}
	/* Checking a value is not using it. */
	p->used = used;
	buf_free(&sql);
}

/* sql with its comments blanked out (string literals kept), so that
 * a "*" after a comment is seen for what it is; NULL for want of memory. */
static char *
uncommented(const char *sql)
{
	char *t = strdup(sql), *p;
	char q = 0;

	if (t == NULL)
		return NULL;
	for (p = t; *p; p++) {
		if (q) {
			if (*p == q)
				q = 0;
		} else if (*p == '\'' || *p == '"' || *p == '`' || *p == '[')
			q = *p == '[' ? ']' : *p;
		else if (p[0] == '-' && p[1] == '-')
			for (; *p && *p != '\n'; p++)
				*p = ' ';
		else if (p[0] == '/' && p[1] == '*') {
			for (; *p && !(p[0] == '*' && p[1] == '/'); p++)
				*p = ' ';
			if (*p == '\0')
				break;
			p[0] = p[1] = ' ';
			p++;
		}
		if (*p == '\0')
			break;
	}
	return t;
}

/* Does the SQL select every column somewhere ("SELECT *", "t.*",
 * "a, *")? count(*) and multiplication do not. 1 too when it joins
 * with NATURAL, which reads the columns the tables share unnamed, and
 * when memory runs out (keeping is never wrong). */
static int
selects_all(const char *text)
{
	char *sql = uncommented(text);
	const char *p;
	int all = 0;

	if (sql == NULL)
		return 1;
	for (p = strchr(sql, '*'); p != NULL && !all; p = strchr(p + 1, '*')) {
		const char *q = p;
		while (q > sql && (q[-1] == ' ' || q[-1] == '\n' ||
		    q[-1] == '\t' || q[-1] == '\r'))
			q--;
		if (q == sql || q[-1] == ',' || q[-1] == '.')
			all = 1;
		if ((q - sql >= 6 && strncasecmp(q - 6, "select", 6) == 0) ||
		    (q - sql >= 8 && strncasecmp(q - 8, "distinct", 8) == 0) ||
		    (q - sql >= 3 && strncasecmp(q - 3, "all", 3) == 0))
			all = 1;
	}
	for (p = sql; *p && !all; p++)
		/* the first letter first (0x20 set: either case): this
		 * runs at every byte */
		if ((*p | 0x20) == 'n' && strncasecmp(p, "natural", 7) == 0)
			all = 1;
	free(sql);
	return all;
}

static int
ident_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '$' ||
	    (unsigned char)c >= 0x80;
}

/* Does the SQL name the table id (as a whole word, any case)? A
 * mention anywhere counts: more than its FROM, never less. */
static int
names_table(const char *sql, const char *id)
{
	size_t n = strlen(id);
	const char *p;

	if (n == 0)
		return 1;
	for (p = sql; *p; p++)
		if (strncasecmp(p, id, n) == 0 && (p == sql ||
		    !ident_char(p[-1])) && !ident_char(p[n]))
			return 1;
	return 0;
}

/* SQL that can read any column of the sources it names: every column
 * of those is kept. */
static void
keep_read_all(const struct doc *doc, const char *sql, char *all)
{
	size_t i;

	if (sql == NULL || !selects_all(sql))
		return;
	for (i = 0; i < doc->nsources; i++)
		if (doc->sources[i].id == NULL ||
		    names_table(sql, doc->sources[i].id))
			all[i] = 1;
}

/* data=id bound straight to a <csv>: its index, else -1 (a query, or
 * nothing). */
static long
direct_source(const struct doc *doc, const char *id)
{
	size_t i;

	for (i = 0; id != NULL && i < doc->nsources; i++)
		if (doc->sources[i].id != NULL &&
		    strcmp(doc->sources[i].id, id) == 0)
			return (long)i;
	return -1;
}

static void
put_ref(struct buf *b, const char *s)
{
	if (s != NULL)
		buf_printf(b, "%s\n", s);
}

/*
 * What the loader may leave out (a police.uk export has twelve columns;
 * a report reads three). text gets every piece of SQL and every column
 * name the definition uses: a column of a source whose name it does not
 * mention is read by nothing. all[i] (doc->nsources of them, zeroed by
 * the caller) is set for each source whose every column something can
 * read: an element bound straight to it that shows what it has (a table
 * without <column>s, a chart without x= and series=), or SQL reading
 * "*" that names it. Returns -1 for want of memory (then keep all).
 */
static int
referenced(const struct doc *doc, struct buf *text, char *all)
{
	const struct node *roots[2] = { doc->body, doc->appendices }, *n, *c;
	struct buf *b = text;
	size_t i;
	long s;
	int k;

	for (i = 0; i < doc->nqueries; i++) {
		put_ref(b, doc->queries[i].sql);
		keep_read_all(doc, doc->queries[i].sql, all);
	}
	for (i = 0; i < doc->nexpects; i++)
		put_ref(b, doc->expects[i].column);
	for (i = 0; i < doc->nparams; i++)
		if (doc->params[i].in_data != NULL &&
		    strchr(doc->params[i].in_data, '.') != NULL)
			put_ref(b, strchr(doc->params[i].in_data, '.') + 1);
	for (k = 0; k < 2; k++)
		for (n = roots[k]; n != NULL; n = node_next_pre(roots[k], n)) {
			if (n->kind == N_VALUE && n->query) {
				put_ref(b, n->query);
				keep_read_all(doc, n->query, all);
			}
			if ((n->kind != N_TABLE && n->kind != N_CHART &&
			    n->kind != N_KPIS && n->kind != N_RISKS) ||
			    n->data == NULL)
				continue;
			s = direct_source(doc, n->data);
			put_ref(b, n->where);
			put_ref(b, n->order_by);
			put_ref(b, n->group_by);
			if (n->kind == N_TABLE) {
				if (s >= 0 && (n->first == NULL ||
				    n->first->kind != N_COLUMN))
					all[s] = 1; /* every column is shown */
				for (c = n->first; c != NULL; c = c->next)
					if (c->kind == N_COLUMN) {
						put_ref(b, c->field);
						put_ref(b, c->value);
						put_ref(b, c->polarity_field);
					}
			} else if (n->kind == N_CHART) {
				/* Without x= the first column is the axis;
				 * without series= every column of numbers is
				 * plotted. */
				if (s >= 0 && (n->x == NULL ||
				    n->series == NULL))
					all[s] = 1;
				put_ref(b, n->x);
				put_ref(b, n->series);
				put_ref(b, n->series_by);
			} else if (n->kind == N_KPIS) {
				put_ref(b, n->label_expr);
				put_ref(b, n->value);
				put_ref(b, n->change);
				put_ref(b, n->polarity_field);
			} else
				/* What bind_risks() reads. */
				buf_puts(b, "risk mitigation owner likelihood "
				    "impact net_likelihood net_impact\n");
			/* A subquery in an attribute may read "*" too. */
			keep_read_all(doc, n->where, all);
			keep_read_all(doc, n->order_by, all);
			keep_read_all(doc, n->label_expr, all);
			keep_read_all(doc, n->value, all);
			keep_read_all(doc, n->change, all);
			for (c = n->first; c != NULL; c = c->next)
				if (c->kind == N_COLUMN)
					keep_read_all(doc, c->value, all);
		}
	return b->oom ? -1 : 0;
}

char *
data_referenced(const struct doc *doc, size_t source)
{
	struct buf b;
	char *all = calloc(doc->nsources + 1, 1);
	int rc;

	buf_init(&b);
	rc = all == NULL ? -1 : referenced(doc, &b, all);
	if (rc != 0 || all[source]) {
		free(all);
		buf_free(&b);
		return NULL;
	}
	free(all);
	return b.data ? b.data : strdup("");
}

/* Did n fail for its <query>'s own error, already reported there? */
static int
failed_query(const struct binder *b, const struct node *n)
{
	const struct query *q = n->data ? find_query(b->doc, n->data) : NULL;

	return q != NULL && b->bad_query[q - b->doc->queries];
}

/*
 * Binds one element and counts what it will print in doc->asks. Every
 * failure ends as an error: one that said nothing (an allocation that
 * failed) is named here, so it can never pass for a success with the
 * element left out.
 */
static void
bind_one(struct binder *b, const struct bind_opts *o, struct node *n)
{
	struct doc_tally *asks = &b->doc->asks;
	int errs = b->diags->errors, rc = 0;

	if (n->kind == N_VALUE && (n->query || n->format)) {
		rc = bind_value(b, n);
		/* A value with something to print must have printed it. */
		if (rc == 0 && n->text == NULL && (n->query != NULL ||
		    doc_param(b->doc, n->param) != NULL))
			rc = -1;
	} else if (n->kind == N_TABLE) {
		asks->tables++;
		rc = n->data ? bind_table(b, n) : bind_literal(b, n);
	} else if (n->kind == N_RISKS && n->data) {
		asks->tables++;
		asks->figures += n->matrix != 0;
		rc = bind_risks(b, n);
	} else if (n->kind == N_CHART && n->data && n->chart_type) {
		asks->figures++;
		asks->tables += n->data_table != 0;
		rc = bind_chart(b, n);
	} else if (n->kind == N_KPIS && n->data && n->label_expr && n->value) {
		asks->figures++;
		rc = bind_kpis(b, n);
	} else if (n->kind == N_IMAGE) {
		asks->figures++;
		asks->images++;
		rc = bind_image(b, o, n);
	}
	if (rc != 0 && b->diags->errors == errs && !failed_query(b, n) &&
	    !db_stopped(b->db))
		diag_oom(b->diags, n->file, n->line, "out of memory binding "
		    "<%s>; free some memory and build again",
		    node_kind_name(n->kind));
}

int
data_bind(struct doc *doc, const struct template *t,
    const struct bind_opts *o, struct diags *diags)
{
	struct binder b;
	struct node *roots[2] = { doc->body, doc->appendices }, *n;
	size_t i, j;
	char *refs;
	int k, errs = diags->errors, needs_db = doc->nsources > 0 ||
	    doc->nqueries > 0;

	memset(&b, 0, sizeof(b));
	b.doc = doc;
	b.t = t;
	b.diags = diags;
	b.a = &doc->arena;
	b.strict = o != NULL && o->strict;
	for (k = 0; k < 2 && !needs_db; k++)
		for (n = roots[k]; n != NULL; n = node_next_pre(roots[k], n))
			if ((n->kind == N_VALUE && n->query) || n->kind == N_RISKS ||
			    ((n->kind == N_TABLE || n->kind == N_CHART ||
			    n->kind == N_KPIS) && n->data))
				needs_db = 1;
	if (needs_db && (b.db = db_open(diags)) == NULL)
		return -1;
	if (b.db != NULL && o != NULL) {
		db_set_cancel(b.db, o->cancel);
		db_set_timings(b.db, o->timings);
	}
	for (i = 0; i < doc->nsources; i++) {
		const struct source *s = &doc->sources[i];
		const char *path;
		if (s->id == NULL || s->href == NULL)
			continue;
		for (j = 0; j < i; j++)
			if (doc->sources[j].id &&
			    strcmp(doc->sources[j].id, s->id) == 0)
				diag_err(diags, s->file, s->line, "<csv id=\"%s\"> is "
				    "already used on line %d; ids must be unique", s->id,
				    doc->sources[j].line);
		if ((path = resolve(&b, o, s->href, "data file", s->file,
		    s->line)) == NULL)
			continue;
		/* NULL (keep every column) for want of memory too: never
		 * wrong, only slower. */
		refs = data_referenced(doc, i);
		db_load_csv(b.db, s, path, refs, diags);
		free(refs);
	}
	/* Cancelled: the caller says so (job_cancelled). */
	if (db_cancelled(b.db)) {
		db_close(b.db);
		return -1;
	}
	if (b.db != NULL)
		db_lock(b.db);
	/* A CSV that did not load leaves nothing sound to query: stop
	 * here rather than bury its message under consequences. */
	if (diags->errors != errs) {
		db_close(b.db);
		return -1;
	}
	/* Each <query> on its own first, so its mistakes are reported at
	 * its own line, once. */
	if ((b.bad_query = calloc(doc->nqueries + 1, 1)) == NULL) {
		diag_oom(diags, doc->file, 0, "out of memory checking the "
		    "queries");
		db_close(b.db);
		return -1;
	}
	for (i = 0; i < doc->nqueries; i++) {
		struct rset rs;
		const struct query *q = &doc->queries[i];
		struct buf probe;
		if (q->sql == NULL)
			continue;
		buf_init(&probe);
		buf_puts(&probe, q->sql);
		if (probe.oom) {
			diag_oom(diags, q->file, q->line, "out of memory checking "
			    "the query");
			b.bad_query[i] = 1;
			buf_free(&probe);
			continue;
		}
		if (db_check(b.db, doc, probe.data, q->file, q->line, diags) != 0) {
			b.bad_query[i] = 1;
			name_columns(&b, q->sql, q->file, q->line);
		}
		buf_free(&probe);
		(void)rs;
	}
	for (i = 0; i < doc->nexpects; i++)
		check_expect(&b, &doc->expects[i]);
	for (i = 0; i < doc->nparams; i++)
		if (doc->params[i].in_data != NULL)
			check_in_data(&b, &doc->params[i]);
	/* A period the data does not have would only fail again below. */
	if (diags->errors != errs && doc->nparams > 0) {
		db_close(b.db);
		free(b.bad_query);
		return -1;
	}
	memset(&doc->asks, 0, sizeof(doc->asks));
	for (k = 0; k < 2; k++)
		for (n = roots[k]; n != NULL; n = node_next_pre(roots[k], n))
			bind_one(&b, o, n);
	db_timings(b.db, diags, doc->file);
	db_close(b.db);
	free(b.bad_query);
	/* A cell or value whose text could not be kept would print blank. */
	if (doc->arena.oom && diags->errors == errs)
		diag_oom(diags, doc->file, 0, "out of memory binding the data; "
		    "free some memory and build again");
	return diags->errors == errs ? 0 : -1;
}
