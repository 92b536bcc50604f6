#include "template.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/tree.h>

#include "xml.h"
#include "../data/numfmt.h"

#define MM (72.0 / 25.4)

void
tpl_defaults(struct template *t)
{
	int i;
	static const uint32_t palette[] = { 0x12436D, 0x28A197, 0x801650,
		0xF46A25, 0x3D3D3D, 0xA285D1 };

	memset(t, 0, sizeof(*t));
	t->name = "default";
	t->lang = NULL;
	t->page_w = 595.276;
	t->page_h = 841.89;
	t->margin_t = t->margin_b = t->margin_l = t->margin_r = 25 * MM;
	t->font_body = t->font_heading = "Liberation Sans";
	t->size = 12;
	t->small_size = 10;
	t->line_height = 1.2;
	t->c_text = t->c_heading = t->c_rule = 0x0B0C0C;
	t->c_link = 0x1D70B8;
	t->c_accent = 0x12436D;
	memcpy(t->palette, palette, sizeof(palette));
	t->npalette = (int)(sizeof(palette) / sizeof(palette[0]));
	for (i = 0; i < TPL_MAX_LEVELS; i++) {
		t->heading[i].size = i == 0 ? 14 : 12;
		t->heading[i].bold = 1;
		t->heading[i].space_before = i == 0 ? 18 : 12;
		t->heading[i].space_after = 6;
		t->heading[i].colour = 0x0B0C0C;
	}
	t->num_headings = 1;
	t->heading_format = "{s}.";
	t->para_numbering = PARANUM_SECTION;
	t->para_format = "{s}.{p}";
	t->number_width = 12 * MM;
	t->lists_indent = -1;
	t->para_space_after = 8;
	t->para_align = ALIGN_LEFT;
	t->list_indent = 8 * MM;
	t->list_gap = 3 * MM;
	t->list_space_after = 4;
	t->bullet = "\xe2\x80\xa2";
	t->appendix_letters = 1;
	t->appendix_heading = "Appendix {n} \xe2\x80\x93 {title}";
	t->caption_table = "Table {n} \xe2\x80\x93 ";
	t->caption_figure = "Figure {n} \xe2\x80\x93 ";
	t->caption_above = 1;
	t->t_header_fill = 0xD9D9D9;
	t->t_border = 0x808080;
	t->t_size = 10;
	t->t_orphan_rows = 3;
	t->t_widow_rows = 4;
	t->risk_red = 15;
	t->risk_amber = 8;
	t->risk_scores = 1;
	t->c_red = 0xD4351C;
	t->c_amber = 0xF47738;
	t->c_green = 0x00703C;
	t->date_format = "d MMMM yyyy";
	t->front_space_after = 12;
	t->footer.part[1] = "Page {page} of {pages}";
	t->footer.first_page = 1;
	t->contacts_title = "Contact officer(s)";
}

/* Digits with an optional decimal part ("12", "1.15"): what the schema's
 * length and factor mean; no sign, exponent, hex or spaces, which strtod
 * would take. Sets *end past the number; -1 when s does not start so. */
static double
plain_number(const char *s, const char **end)
{
	const char *p = s;

	if (s == NULL || !isdigit((unsigned char)*p))
		return -1;
	while (isdigit((unsigned char)*p))
		p++;
	if (*p == '.') {
		if (!isdigit((unsigned char)p[1]))
			return -1;
		for (p++; isdigit((unsigned char)*p); p++)
			;
	}
	*end = p;
	return strtod(s, NULL);
}

double
tpl_length(const char *s)
{
	const char *end;
	double v;

	if ((v = plain_number(s, &end)) < 0 || !isfinite(v) || v > 100000)
		return -1;
	if (*end == '\0' || strcmp(end, "pt") == 0)
		return v;
	if (strcmp(end, "mm") == 0)
		return v * MM;
	if (strcmp(end, "cm") == 0)
		return v * 10 * MM;
	if (strcmp(end, "in") == 0)
		return v * 72;
	return -1;
}

int
tpl_colour(const char *s, uint32_t *out)
{
	unsigned v = 0;
	int i;

	if (s == NULL || s[0] != '#' || strlen(s) != 7)
		return -1;
	for (i = 1; i < 7; i++) {
		char c = s[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

/* Reading context: one template file. */
struct rd {
	struct template *t;
	struct arena    *a;
	struct diags    *diags;
	const char      *path;
};

static const char *
prop(struct rd *r, xmlNodePtr n, const char *name)
{
	return xml_prop(n, name, r->a);
}

static void
len_prop(struct rd *r, xmlNodePtr n, const char *name, double *out)
{
	const char *v = prop(r, n, name);
	double d;

	if (v == NULL)
		return;
	if ((d = tpl_length(v)) < 0)
		diag_err(r->diags, r->path, xml_line(n), "<%s %s=\"%s\">: not a "
		    "length; write a number with pt, mm, cm or in, e.g. "
		    "\"12pt\"", (const char *)n->name, name, v);
	else
		*out = d;
}

/* A type size: a length a reader can read (0pt drew invisible text). */
static void
size_prop(struct rd *r, xmlNodePtr n, const char *name, double *out)
{
	double d = -1;

	len_prop(r, n, name, &d);
	if (d < 0)
		return;
	if (d < TPL_MIN_SIZE || d > TPL_MAX_SIZE)
		diag_err(r->diags, r->path, xml_line(n), "<%s %s=\"%s\">: a type "
		    "size must be from %gpt to %gpt", (const char *)n->name, name,
		    prop(r, n, name), TPL_MIN_SIZE, TPL_MAX_SIZE);
	else
		*out = d;
}

/* A count of table rows kept together, 1 to TPL_MAX_KEEP_ROWS. */
static void
rows_prop(struct rd *r, xmlNodePtr n, const char *name, int *out)
{
	const char *v = prop(r, n, name);
	char *end = NULL;
	long k;

	if (v == NULL)
		return;
	k = strtol(v, &end, 10);
	if (end == v || *end != '\0' || k < 1 || k > TPL_MAX_KEEP_ROWS)
		diag_err(r->diags, r->path, xml_line(n), "<%s %s=\"%s\">: must be "
		    "a number of rows from 1 to %d (3 or 4 is usual)",
		    (const char *)n->name, name, v, TPL_MAX_KEEP_ROWS);
	else
		*out = (int)k;
}

static void
num_prop(struct rd *r, xmlNodePtr n, const char *name, double *out)
{
	const char *v = prop(r, n, name);
	const char *end = NULL;
	double d;

	if (v == NULL)
		return;
	d = plain_number(v, &end);
	if (d < 0 || *end != '\0' || !isfinite(d) || d > 1000)
		diag_err(r->diags, r->path, xml_line(n), "<%s %s=\"%s\">: not a "
		    "number", (const char *)n->name, name, v);
	else
		*out = d;
}

static void
colour_prop(struct rd *r, xmlNodePtr n, const char *name, uint32_t *out)
{
	const char *v = prop(r, n, name);

	if (v != NULL && tpl_colour(v, out) != 0)
		diag_err(r->diags, r->path, xml_line(n), "<%s %s=\"%s\">: not a "
		    "colour; write #RRGGBB, e.g. \"#12436D\"",
		    (const char *)n->name, name, v);
}

/* Matches v against words[]; stores the index. Unknown words are the
 * schema's to report, so they are left alone here. */
static void
word_prop(struct rd *r, xmlNodePtr n, const char *name,
    const char *const *words, int *out)
{
	const char *v = prop(r, n, name);
	int i;

	if (v == NULL)
		return;
	for (i = 0; words[i] != NULL; i++)
		if (strcmp(v, words[i]) == 0) {
			*out = i;
			return;
		}
	diag_err(r->diags, r->path, xml_line(n), "<%s %s=\"%s\">: expected "
	    "one of %s%s%s%s%s", (const char *)n->name, name, v, words[0],
	    words[1] ? ", " : "", words[1] ? words[1] : "",
	    words[1] && words[2] ? ", " : "",
	    words[1] && words[2] ? words[2] : "");
}

static const char *const yesno[] = { "no", "yes", NULL };
static const char *const cases[] = { "as-written", "upper", NULL };
static const char *const aligns[] = { "left", "center", "right", "justify",
	NULL };
static const char *const styles[] = { "plain", "bold", "heading", "title",
	"small", NULL };

static void
read_page(struct rd *r, xmlNodePtr n)
{
	const char *size = prop(r, n, "size");

	if (size != NULL) {
		if (strcmp(size, "A4") == 0) {
			r->t->page_w = 595.276; r->t->page_h = 841.89;
		} else if (strcmp(size, "A5") == 0) {
			r->t->page_w = 419.528; r->t->page_h = 595.276;
		} else if (strcmp(size, "Letter") == 0) {
			r->t->page_w = 612; r->t->page_h = 792;
		} else
			diag_err(r->diags, r->path, xml_line(n), "<page size=\"%s\">: "
			    "expected A4, A5 or Letter", size);
	}
	len_prop(r, n, "margin-top", &r->t->margin_t);
	len_prop(r, n, "margin-bottom", &r->t->margin_b);
	len_prop(r, n, "margin-left", &r->t->margin_l);
	len_prop(r, n, "margin-right", &r->t->margin_r);
}

static void
read_heading(struct rd *r, xmlNodePtr n)
{
	const char *lv = prop(r, n, "level");
	struct tpl_heading *h;
	int level = lv ? atoi(lv) : 0;

	if (level < 1 || level > TPL_MAX_LEVELS) {
		diag_err(r->diags, r->path, xml_line(n), "<heading level=\"%s\">: "
		    "expected a level from 1 to %d", lv ? lv : "",
		    TPL_MAX_LEVELS);
		return;
	}
	h = &r->t->heading[level - 1];
	size_prop(r, n, "size", &h->size);
	word_prop(r, n, "bold", yesno, &h->bold);
	word_prop(r, n, "italic", yesno, &h->italic);
	{
		int c = (int)h->tcase;
		word_prop(r, n, "case", cases, &c);
		h->tcase = (enum tpl_case)c;
	}
	len_prop(r, n, "space-before", &h->space_before);
	len_prop(r, n, "space-after", &h->space_after);
	colour_prop(r, n, "colour", &h->colour);
	/* Levels below inherit what this one sets unless they set it. */
}

static void
read_numbering(struct rd *r, xmlNodePtr n)
{
	static const char *const subs[] = { "unnumbered", "numbered",
		"paragraph", NULL };
	static const char *const paras[] = { "section", "continuous", "none",
		NULL };
	const char *v;
	int p = (int)r->t->para_numbering;

	word_prop(r, n, "headings", yesno, &r->t->num_headings);
	word_prop(r, n, "sub-headings", subs, &r->t->num_subheadings);
	word_prop(r, n, "paragraphs", paras, &p);
	r->t->para_numbering = (enum tpl_paranum)p;
	if ((v = prop(r, n, "heading-format")) != NULL)
		r->t->heading_format = v;
	if ((v = prop(r, n, "paragraph-format")) != NULL)
		r->t->para_format = v;
	else if (r->t->para_numbering == PARANUM_CONTINUOUS)
		r->t->para_format = "{p}.";
	len_prop(r, n, "number-width", &r->t->number_width);
	len_prop(r, n, "lists-indent", &r->t->lists_indent);
}

static int
read_part_line(struct rd *r, xmlNodePtr n, struct tpl_part *p)
{
	int s = STYLE_PLAIN, al = ALIGN_LEFT, c = CASE_AS_WRITTEN;

	p->kind = PART_LINE;
	word_prop(r, n, "style", styles, &s);
	word_prop(r, n, "align", aligns, &al);
	word_prop(r, n, "case", cases, &c);
	p->style = (enum tpl_style)s;
	p->align = (enum tpl_align)al;
	p->tcase = (enum tpl_case)c;
	p->text = xml_text(n, r->a);
	return 0;
}

static int
count_children(xmlNodePtr n, const char *name)
{
	int k = 0;

	for (n = n->children; n != NULL; n = n->next)
		if (xml_is(n, name))
			k++;
	return k;
}

static int
read_part_rows(struct rd *r, xmlNodePtr n, struct tpl_part *p)
{
	static const char *const rstyles[] = { "table", "plain", "stacked",
		NULL };
	int s = ROWS_TABLE, k = 0;
	xmlNodePtr c;

	p->kind = PART_ROWS;
	word_prop(r, n, "style", rstyles, &s);
	p->rows_style = (enum tpl_rows_style)s;
	p->label_width = 50 * MM;
	len_prop(r, n, "label-width", &p->label_width);
	p->nrows = count_children(n, "row");
	p->rows = arena_alloc(r->a, sizeof(*p->rows) * (size_t)(p->nrows + 1));
	if (p->rows == NULL)
		return -1;
	for (c = n->children; c != NULL; c = c->next)
		if (xml_is(c, "row")) {
			p->rows[k].label = prop(r, c, "label");
			if (p->rows[k].label == NULL)
				p->rows[k].label = "";
			p->rows[k].value = xml_text(c, r->a);
			k++;
		}
	return 0;
}

static int
read_part_banner(struct rd *r, xmlNodePtr n, struct tpl_part *p)
{
	static const char *const shapes[] = { "shield", "circle", "square",
		"bar", NULL };
	int k = 0;
	xmlNodePtr c;

	p->kind = PART_BANNER;
	p->nmarks = count_children(n, "mark");
	p->marks = arena_alloc(r->a, sizeof(*p->marks) * (size_t)(p->nmarks + 1));
	if (p->marks == NULL)
		return -1;
	for (c = n->children; c != NULL; c = c->next)
		if (xml_is(c, "mark")) {
			struct tpl_mark *m = &p->marks[k++];
			int s = SHAPE_SHIELD;
			word_prop(r, c, "shape", shapes, &s);
			m->shape = (enum tpl_shape)s;
			m->colour = r->t->c_accent;
			colour_prop(r, c, "colour", &m->colour);
			m->text = prop(r, c, "text");
			m->tagline = prop(r, c, "tagline");
		}
	return 0;
}

static int
read_front(struct rd *r, xmlNodePtr n)
{
	xmlNodePtr c;
	int k = 0;

	len_prop(r, n, "space-after", &r->t->front_space_after);
	r->t->nparts = 0;
	for (c = n->children; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			r->t->nparts++;
	if (r->t->nparts > TPL_MAX_PARTS) {
		diag_err(r->diags, r->path, xml_line(n), "<front-sheet> has %d "
		    "parts; at most %d are allowed", r->t->nparts,
		    TPL_MAX_PARTS);
		r->t->nparts = 0;
		return -1;
	}
	r->t->parts = arena_alloc(r->a,
	    sizeof(*r->t->parts) * (size_t)(r->t->nparts + 1));
	if (r->t->parts == NULL)
		return -1;
	for (c = n->children; c != NULL; c = c->next) {
		struct tpl_part *p = &r->t->parts[k];
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (xml_is(c, "line"))
			read_part_line(r, c, p);
		else if (xml_is(c, "rows"))
			read_part_rows(r, c, p);
		else if (xml_is(c, "banner"))
			read_part_banner(r, c, p);
		else if (xml_is(c, "rule"))
			p->kind = PART_RULE;
		else
			continue;
		k++;
	}
	r->t->nparts = k;
	return 0;
}

static void
read_running(struct rd *r, xmlNodePtr n, struct tpl_running *run)
{
	static const char *const names[3] = { "left", "center", "right" };
	xmlNodePtr c;
	int i;

	run->part[0] = run->part[1] = run->part[2] = NULL;
	run->first_page = 1;
	word_prop(r, n, "first-page", yesno, &run->first_page);
	for (c = n->children; c != NULL; c = c->next)
		for (i = 0; i < 3; i++)
			if (xml_is(c, names[i]))
				run->part[i] = xml_text(c, r->a);
}

static void
read_palette(struct rd *r, xmlNodePtr n)
{
	const char *s = xml_text(n, r->a);
	char word[16];
	int k = 0;

	while (s && *s) {
		size_t len;
		while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' ||
		    *s == ',')
			s++;
		len = strcspn(s, " \t\r\n,");
		if (len == 0)
			break;
		if (k == TPL_MAX_PALETTE) {
			diag_err(r->diags, r->path, xml_line(n), "<palette> has more "
			    "than %d colours", TPL_MAX_PALETTE);
			break;
		}
		snprintf(word, sizeof(word), "%.*s", (int)(len < 15 ? len : 15), s);
		if (len != 7 || tpl_colour(word, &r->t->palette[k]) != 0)
			diag_err(r->diags, r->path, xml_line(n), "<palette>: \"%.*s\" "
			    "is not a colour; write #RRGGBB", (int)len, s);
		else
			k++;
		s += len;
	}
	if (k > 0)
		r->t->npalette = k;
}

static void
read_element(struct rd *r, xmlNodePtr c)
{
	struct template *t = r->t;
	const char *v;

	if (xml_is(c, "page"))
		read_page(r, c);
	else if (xml_is(c, "fonts")) {
		if ((v = prop(r, c, "body")) != NULL)
			t->font_body = v;
		if ((v = prop(r, c, "heading")) != NULL)
			t->font_heading = v;
		size_prop(r, c, "size", &t->size);
		size_prop(r, c, "small", &t->small_size);
		num_prop(r, c, "line-height", &t->line_height);
		/* Below 0.8 lines overprint; above 3 a page holds a dozen. */
		if (t->line_height < 0.8 || t->line_height > 3) {
			diag_err(r->diags, r->path, xml_line(c), "<%s line-height="
			    "\"%s\">: must be from 0.8 to 3 (1.2 is usual)",
			    (const char *)c->name, prop(r, c, "line-height"));
		}
	} else if (xml_is(c, "colours")) {
		colour_prop(r, c, "text", &t->c_text);
		colour_prop(r, c, "heading", &t->c_heading);
		colour_prop(r, c, "link", &t->c_link);
		colour_prop(r, c, "rule", &t->c_rule);
		colour_prop(r, c, "accent", &t->c_accent);
	} else if (xml_is(c, "palette"))
		read_palette(r, c);
	else if (xml_is(c, "heading"))
		read_heading(r, c);
	else if (xml_is(c, "numbering"))
		read_numbering(r, c);
	else if (xml_is(c, "paragraphs")) {
		int al = (int)t->para_align;
		len_prop(r, c, "space-after", &t->para_space_after);
		word_prop(r, c, "align", aligns, &al);
		t->para_align = (enum tpl_align)al;
	} else if (xml_is(c, "lists")) {
		len_prop(r, c, "indent", &t->list_indent);
		len_prop(r, c, "label-gap", &t->list_gap);
		len_prop(r, c, "space-after", &t->list_space_after);
		if ((v = prop(r, c, "bullet")) != NULL)
			t->bullet = v;
	} else if (xml_is(c, "appendices")) {
		static const char *const nums[] = { "number", "letter", NULL };
		word_prop(r, c, "numbering", nums, &t->appendix_letters);
		if ((v = prop(r, c, "heading")) != NULL)
			t->appendix_heading = v;
	} else if (xml_is(c, "captions")) {
		static const char *const pos[] = { "below", "above", NULL };
		if ((v = prop(r, c, "table")) != NULL)
			t->caption_table = v;
		if ((v = prop(r, c, "figure")) != NULL)
			t->caption_figure = v;
		word_prop(r, c, "position", pos, &t->caption_above);
		{
			static const char *const nums[] = { "separate", "shared",
				NULL };
			/* In enum caption_groups' order. */
			static const char *const groups[] = { "number",
				"continued", "once", NULL };
			word_prop(r, c, "numbering", nums, &t->caption_shared);
			word_prop(r, c, "groups", groups, &t->caption_continued);
		}
	} else if (xml_is(c, "tables")) {
		colour_prop(r, c, "header-fill", &t->t_header_fill);
		colour_prop(r, c, "border", &t->t_border);
		v = prop(r, c, "zebra");
		if (v != NULL && strcmp(v, "none") != 0) {
			t->t_has_zebra = 1;
			colour_prop(r, c, "zebra", &t->t_zebra);
		}
		size_prop(r, c, "size", &t->t_size);
		rows_prop(r, c, "orphan-rows", &t->t_orphan_rows);
		rows_prop(r, c, "widow-rows", &t->t_widow_rows);
	} else if (xml_is(c, "risks")) {
		double red = t->risk_red, amber = t->risk_amber;
		num_prop(r, c, "red", &red);
		num_prop(r, c, "amber", &amber);
		t->risk_red = (int)red;
		t->risk_amber = (int)amber;
		word_prop(r, c, "scores", yesno, &t->risk_scores);
		colour_prop(r, c, "red-colour", &t->c_red);
		colour_prop(r, c, "amber-colour", &t->c_amber);
		colour_prop(r, c, "green-colour", &t->c_green);
	} else if (xml_is(c, "dates")) {
		if ((v = prop(r, c, "format")) != NULL) {
			struct numfmt f;
			char err[320];
			/* Checked here, once: the front sheet and the running
			 * header print dates by it. */
			int bad = numfmt_parse(v, &f, err, sizeof(err)) != 0;
			if (!bad && !f.is_date) {
				bad = 1;
				snprintf(err, sizeof(err), "is a number format; write a "
				    "date format such as \"d MMMM yyyy\"");
			}
			if (bad)
				diag_err(r->diags, r->path, xml_line(c), "<dates>: format "
				    "\"%s\" %s", v, err);
			else
				t->date_format = v;
		}
	} else if (xml_is(c, "front-sheet"))
		read_front(r, c);
	else if (xml_is(c, "header"))
		read_running(r, c, &t->header);
	else if (xml_is(c, "footer"))
		read_running(r, c, &t->footer);
	else if (xml_is(c, "contacts")) {
		if ((v = prop(r, c, "title")) != NULL)
			t->contacts_title = v;
	}
}

int
tpl_load(struct template *t, const char *path, struct arena *a,
    struct diags *diags)
{
	size_t len;
	char *data;
	int rc;

	tpl_defaults(t);
	if ((data = xml_slurp(path, &len, diags)) == NULL)
		return -1;
	rc = tpl_load_mem(t, data, len, path, a, diags);
	free(data);
	return rc;
}

/* The shipped templates (build/tplknown.c, from templates/), which the
 * tests check against the schema. */
extern const unsigned char *const sc_tpl_known[];
extern const size_t sc_tpl_known_len[], sc_tpl_nknown;

/* Is data one of the shipped templates, byte for byte? Then it is
 * known to match the schema, and RELAX NG need not say so again. */
int
tpl_shipped(const char *data, size_t len)
{
	size_t i;

	for (i = 0; i < sc_tpl_nknown; i++)
		if (sc_tpl_known_len[i] == len &&
		    memcmp(sc_tpl_known[i], data, len) == 0)
			return 1;
	return 0;
}

int
tpl_load_mem(struct template *t, const char *data, size_t len,
    const char *path, struct arena *a, struct diags *diags)
{
	struct rd r = { t, a, diags, path };
	xmlDocPtr doc;
	xmlNodePtr root, c;
	int errs = diags->errors, i, set[TPL_MAX_LEVELS] = { 0 }, valid;
	const char *v;
	struct diags schema;

	tpl_defaults(t);
	t->file = arena_strdup(a, path);
	if ((doc = xml_parse(data, len, path, diags)) == NULL)
		return -1;
	diags_init(&schema);
	valid = tpl_shipped(data, len) ||
	    xml_validate(doc, SCHEMA_TEMPLATE, path, &schema) == 0;
	root = xmlDocGetRootElement(doc);
	if ((v = prop(&r, root, "name")) != NULL)
		t->name = v;
	if ((v = prop(&r, root, "lang")) != NULL)
		t->lang = v;
	/* A level the template leaves out looks like the level above it. */
	for (c = root->children; c != NULL; c = c->next)
		if (xml_is(c, "heading")) {
			const char *lv = prop(&r, c, "level");
			int l = lv ? atoi(lv) : 0;
			if (l >= 1 && l <= TPL_MAX_LEVELS)
				set[l - 1] = 1;
		}
	for (c = root->children; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			read_element(&r, c);
	for (i = 1; i < TPL_MAX_LEVELS; i++)
		if (!set[i] && set[i - 1])
			t->heading[i] = t->heading[i - 1];
	xmlFreeDoc(doc);
	xml_merge(diags, &schema);
	if (!valid && diags->errors == errs)
		diag_err(diags, path, 0, "does not match the template schema");
	if (t->margin_l + t->margin_r > t->page_w - 72 ||
	    t->margin_t + t->margin_b > t->page_h - 144)
		diag_err(diags, path, 0, "the margins leave too little room on "
		    "the page; make them smaller");
	return diags->errors == errs ? 0 : -1;
}
