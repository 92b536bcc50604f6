#include "rules.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "xml.h"
#include "../util/suggest.h"

#define INLINE "b i a br ref value"
#define BLOCK  "section p list table chart kpis risks image page-break"
#define META_FIELDS "organisation committee meeting-date title report-of " \
	"author portfolio-holder wards classification key-decision " \
	"report-number status purpose field"

struct rule {
	const char *name;
	const char *attrs;     /* allowed attributes */
	const char *children;  /* allowed child elements */
	int         text;      /* may hold text */
};

static const struct rule rules[] = {
	{ "report", "version template lang", "meta params data " BLOCK
	    " appendix contacts", 0 },
	{ "meta", "", META_FIELDS, 0 },
	/* A field's text may print a parameter: <value param="year"/>. */
	{ "organisation", "", "value", 1 }, { "committee", "", "value", 1 },
	{ "meeting-date", "", "value", 1 }, { "title", "", "value", 1 },
	{ "report-of", "", "value", 1 }, { "author", "", "value", 1 },
	{ "portfolio-holder", "", "value", 1 }, { "wards", "", "value", 1 },
	{ "classification", "paragraph", "", 1 },
	{ "key-decision", "", "", 1 }, { "report-number", "", "value", 1 },
	{ "status", "", "value", 1 }, { "purpose", "", INLINE, 1 },
	{ "field", "label", INLINE, 1 },
	{ "params", "", "param", 0 },
	{ "param", "name default from shift format values pattern in-data", "",
	    0 },
	{ "data", "", "csv query expect", 0 },
	{ "csv", "id href encoding delimiter header", "", 0 },
	{ "query", "id", "", 1 },
	{ "expect", "source column periods from to", "", 0 },
	{ "section", "id title numbered number heading-format", BLOCK, 0 },
	{ "appendix", "id title", BLOCK, 0 },
	{ "p", "id numbered number", INLINE, 1 },
	{ "list", "id style", "item", 0 },
	{ "item", "", INLINE " " BLOCK, 1 },
	{ "table", "id data caption caption-format caption-position group-by "
	    "where order-by source suppress-below empty emphasis",
	    "column total head row", 0 },
	{ "column", "field header value format align width colour "
	    "polarity-field format-field row-header total alt-header empty", "", 0 },
	{ "total", "label grand grand-label", "", 0 },
	{ "head", "", "cell", 0 },
	{ "row", "", "cell", 0 },
	{ "cell", "", INLINE, 1 },
	{ "chart", "id type data x series series-by caption caption-format "
	    "caption-position alt y-label y-min y-max target width height data-table "
	    "data-labels source suppress-below where order-by empty format "
	    "axis-format x-label highlight sort", "series", 0 },
	{ "series", "field label", "", 0 },
	{ "kpis", "id data label value change polarity-field source caption "
	    "caption-format caption-position empty format", "", 0 },
	{ "risks", "id data caption caption-format caption-position where "
	    "matrix source", "", 0 },
	{ "image", "id href alt width", "", 0 },
	{ "page-break", "", "", 0 },
	{ "contacts", "", "contact", 0 },
	{ "contact", "name role email phone", "", 0 },
	{ "b", "", INLINE, 1 }, { "i", "", INLINE, 1 },
	{ "a", "href", INLINE, 1 },
	{ "br", "", "", 0 },
	{ "ref", "to", "", 0 },
	{ "value", "query param format empty", "", 0 },
};

/* Attributes with a fixed set of words: element, attribute, words. */
static const struct { const char *el, *attr, *words; } keywords[] = {
	{ "list", "style", "bullet number roman alpha" },
	{ "section", "numbered", "yes no" },
	{ "p", "numbered", "yes no sub" },
	{ "report", "version", "1" },
	{ "csv", "encoding", "auto utf-8 windows-1252" },
	{ "csv", "header", "yes no" },
	{ "expect", "periods", "monthly quarterly financial-year" },
	{ "column", "align", "left right center" },
	{ "column", "colour", "rag trend none" },
	{ "column", "row-header", "yes no" },
	{ "total", "grand", "yes no" },
	{ "chart", "type", "line column bar grouped stacked pie donut" },
	{ "chart", "data-table", "yes no" },
	{ "chart", "data-labels", "yes no" },
	{ "chart", "sort", "value -value" },
	{ "risks", "matrix", "yes no" },
	{ "table", "caption-position", "above below" },
	{ "chart", "caption-position", "above below" },
	{ "kpis", "caption-position", "above below" },
	{ "risks", "caption-position", "above below" },
	{ "table", "empty", "ok" },
	{ "column", "empty", "ok" },
	{ "chart", "empty", "ok" },
	{ "kpis", "empty", "ok" },
	{ "value", "empty", "ok" },
};

/* A list style written as its first label: "a.", "(A)", "i)", "1." —
 * an optional "(", one of 1 a A i I, then "." or ")" (")" after "("). */
static int
list_label_form(const char *v)
{
	int open = *v == '(';

	v += open;
	if (strchr("1aAiI", *v) == NULL || *v == '\0')
		return 0;
	v++;
	return open ? strcmp(v, ")") == 0 : strcmp(v, ".") == 0 ||
	    strcmp(v, ")") == 0;
}

/* Attributes that must be there. */
static const struct { const char *el, *attr, *example; } required[] = {
	{ "a", "href", "href=\"https://...\"" },
	{ "ref", "to", "to=\"an-id\"" },
	{ "param", "name", "name=\"year\"" },
	{ "contact", "name", "name=\"Jo Bloggs\"" },
	{ "field", "label", "label=\"Where from\"" },
	{ "series", "field", "field=\"COLUMN\"" },
	{ "image", "href", "href=\"images/logo.png\"" },
	{ "image", "alt", "alt=\"what the image shows\"" },
	{ "csv", "id", "id=\"crime\"" },
	{ "csv", "href", "href=\"data/crime.csv\"" },
};

static const struct rule *
find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		if (strcmp(rules[i].name, name) == 0)
			return &rules[i];
	return NULL;
}

/* Is word in the space-separated list? */
static int
in_list(const char *list, const char *word)
{
	size_t n = strlen(word);

	while (*list) {
		size_t k = strcspn(list, " ");
		if (k == n && strncmp(list, word, n) == 0)
			return 1;
		list += k;
		while (*list == ' ')
			list++;
	}
	return 0;
}

/* "a, b or c" from "a b c". */
static void
words_text(const char *list, char *out, size_t n)
{
	size_t o = 0, count = 0, i;
	const char *p;

	for (p = list; *p; p++)
		if (*p == ' ')
			count++;
	out[0] = '\0';
	for (i = 0; *list && o + 1 < n; i++) {
		size_t k = strcspn(list, " ");
		o += (size_t)snprintf(out + o, n - o, "%s%.*s",
		    i == 0 ? "" : i == count ? " or " : ", ", (int)k, list);
		list += k;
		while (*list == ' ')
			list++;
		if (o >= n)
			break;
	}
}

/* The elements a misplaced name belongs inside, e.g. "<list>". */
static void
parents_of(const char *name, char *out, size_t n)
{
	size_t i, o = 0, k = 0;

	out[0] = '\0';
	for (i = 0; i < sizeof(rules) / sizeof(rules[0]) && o + 1 < n; i++)
		if (in_list(rules[i].children, name) && k < 4) {
			o += (size_t)snprintf(out + o, n - o, "%s<%s>",
			    k ? " or " : "", rules[i].name);
			k++;
		}
}

/* Line of the first non-blank character of a text node. */
static int
text_line(xmlNodePtr t)
{
	const char *s = (const char *)t->content;
	int line = xml_line(t);

	/* libxml2 gives a text node the line where it ends. */
	if (s != NULL) {
		const char *e = s + strlen(s), *p;
		const char *first = s;
		while (*first && isspace((unsigned char)*first))
			first++;
		for (p = first; p < e; p++)
			if (*p == '\n')
				line--;
	}
	return line;
}

static void
check_attrs(xmlNodePtr x, const struct rule *r, const char *path,
    struct diags *diags)
{
	xmlAttrPtr a;
	size_t i;
	char words[160], mean[96];
	struct suggest sg;

	for (a = x->properties; a != NULL; a = a->next) {
		const char *an = (const char *)a->name;
		xmlChar *v;
		if (a->ns != NULL)
			continue;
		if (!in_list(r->attrs, an)) {
			suggest_init(&sg, an);
			suggest_try_list(&sg, r->attrs, " ");
			diag_err(diags, path, xml_line(x), "<%s> has no attribute "
			    "\"%s\"; check its spelling in scrutineer-format(5)%s",
			    r->name, an, suggest_text(&sg, NULL, NULL, mean,
			    sizeof(mean)));
			continue;
		}
		v = xmlGetProp(x, a->name);
		for (i = 0; v && i < sizeof(keywords) / sizeof(keywords[0]); i++)
			if (strcmp(keywords[i].el, r->name) == 0 &&
			    strcmp(keywords[i].attr, an) == 0 &&
			    !in_list(keywords[i].words, (const char *)v)) {
				if (strcmp(r->name, "list") == 0 &&
				    list_label_form((const char *)v))
					continue;
				if (strcmp(r->name, "list") == 0) {
					suggest_init(&sg, (const char *)v);
					suggest_try_list(&sg, keywords[i].words, " ");
					diag_err(diags, path, xml_line(x), "<list "
					    "style=\"%s\">: style must be bullet, "
					    "number, roman, alpha or the first label "
					    "as it prints, such as a., (A) or i)%s",
					    (const char *)v, suggest_text(&sg, NULL,
					    NULL, mean, sizeof(mean)));
					continue;
				}
				if (strcmp(an, "version") == 0) {
					diag_err(diags, path, xml_line(x), "<report "
					    "version=\"%s\">: this scrutineer reads "
					    "version 1; write version=\"1\"",
					    (const char *)v);
					continue;
				}
				words_text(keywords[i].words, words, sizeof(words));
				suggest_init(&sg, (const char *)v);
				suggest_try_list(&sg, keywords[i].words, " ");
				diag_err(diags, path, xml_line(x), "<%s %s=\"%s\">: %s "
				    "must be %s%s", r->name, an, (const char *)v, an,
				    words, suggest_text(&sg, NULL, NULL, mean,
				    sizeof(mean)));
			}
		xmlFree(v);
	}
	for (i = 0; i < sizeof(required) / sizeof(required[0]); i++)
		if (strcmp(required[i].el, r->name) == 0 &&
		    !xmlHasProp(x, (const xmlChar *)required[i].attr))
			diag_err(diags, path, xml_line(x), "<%s> needs %s", r->name,
			    required[i].example);
}

static void
check(xmlNodePtr x, const char *path, struct diags *diags, int depth)
{
	const struct rule *r = find((const char *)x->name);
	xmlNodePtr c;
	char where[128];

	if (r == NULL || depth > 200)
		return;
	check_attrs(x, r, path, diags);
	for (c = x->children; c != NULL; c = c->next) {
		const char *cn = (const char *)c->name;
		if (c->type == XML_TEXT_NODE) {
			const char *t = (const char *)c->content;
			while (t && *t && isspace((unsigned char)*t))
				t++;
			if (t && *t && !r->text)
				diag_err(diags, path, text_line(c), "text directly "
				    "inside <%s>; put it in a <p>", r->name);
			continue;
		}
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (find(cn) == NULL) {
			struct suggest sg;
			char mean[96];
			/* Only what may go here: <para> in a <section> is
			 * not a misspelt <param>. */
			suggest_init(&sg, cn);
			suggest_try_list(&sg, r->children, " ");
			diag_err(diags, path, xml_line(c), "unknown element <%s>; "
			    "check its spelling in scrutineer-format(5)%s", cn,
			    suggest_text(&sg, "<", ">", mean, sizeof(mean)));
			continue;
		}
		if (!in_list(r->children, cn)) {
			parents_of(cn, where, sizeof(where));
			diag_err(diags, path, xml_line(c), "<%s> is not allowed in "
			    "<%s>%s%s", cn, r->name, where[0] ? "; it belongs "
			    "inside " : "", where);
			continue;
		}
		check(c, path, diags, depth + 1);
	}
	if (strcmp(r->name, "report") == 0) {
		int meta = 0;
		for (c = x->children; c != NULL; c = c->next)
			meta |= xml_is(c, "meta");
		if (!meta)
			diag_err(diags, path, xml_line(x), "<report> has no <meta>; "
			    "add <meta><title>The report's title</title></meta>");
	}
}

void
rules_check(xmlNodePtr root, const char *path, struct diags *diags)
{
	check(root, path, diags, 0);
}

/*
 * The whole of schema/report.rng, decided here so that a definition the
 * grammar accepts is not validated a second time by RELAX NG (compiling
 * and running it was a sixth of a short build). rules_valid() says 1 only
 * when it is sure the schema accepts the tree; 0 means "not sure" — the
 * document breaks the grammar, or uses what this check does not decide
 * (namespaces, entity references, non-ASCII or padded datatype values) —
 * and the caller runs RELAX NG as before, so its messages are unchanged.
 * The allowed attributes and keyword words are rules[] and keywords[]
 * above; what the messages do not need (datatypes, the attributes the
 * schema requires beyond required[], order and counts) is here.
 * tests/unit/test_grammar.c runs both over every XML file in the tree.
 */
enum vtype { V_TEXT, V_NCNAME, V_LANG, V_POSINT, V_DECIMAL, V_SQLNAME };

static const struct { const char *el, *attr; enum vtype type; int need; }
typed[] = {
	{ "*", "id", V_NCNAME, 0 },
	{ "report", "version", V_TEXT, 1 }, { "report", "lang", V_LANG, 0 },
	{ "classification", "paragraph", V_POSINT, 0 },
	{ "param", "name", V_SQLNAME, 1 },
	{ "csv", "id", V_NCNAME, 1 }, { "query", "id", V_NCNAME, 1 },
	{ "expect", "source", V_NCNAME, 1 }, { "expect", "column", V_TEXT, 1 },
	{ "expect", "periods", V_TEXT, 1 }, { "expect", "from", V_TEXT, 1 },
	{ "expect", "to", V_TEXT, 1 },
	{ "section", "title", V_TEXT, 1 }, { "appendix", "title", V_TEXT, 1 },
	{ "table", "data", V_NCNAME, 0 }, { "table", "suppress-below", V_POSINT, 0 },
	{ "chart", "type", V_TEXT, 1 }, { "chart", "data", V_NCNAME, 1 },
	{ "chart", "y-min", V_DECIMAL, 0 }, { "chart", "y-max", V_DECIMAL, 0 },
	{ "chart", "target", V_DECIMAL, 0 },
	{ "chart", "suppress-below", V_POSINT, 0 },
	{ "kpis", "data", V_NCNAME, 1 }, { "kpis", "label", V_TEXT, 1 },
	{ "kpis", "value", V_TEXT, 1 },
	{ "risks", "data", V_NCNAME, 1 }, { "ref", "to", V_NCNAME, 1 },
};

/* Conservative datatype checks: ASCII forms only; anything else is left
 * to the schema. */
static int
type_ok(enum vtype t, const char *v)
{
	const char *p = v;
	int n;

	switch (t) {
	case V_TEXT:
		return 1;
	case V_NCNAME:
		if (!isalpha((unsigned char)*p) && *p != '_')
			return 0;
		for (p++; *p; p++)
			if (!isalnum((unsigned char)*p) && strchr("._-", *p) == NULL)
				return 0;
		return 1;
	case V_SQLNAME:
		if (!isalpha((unsigned char)*p) && *p != '_')
			return 0;
		for (p++; *p; p++)
			if (!isalnum((unsigned char)*p) && *p != '_')
				return 0;
		return 1;
	case V_LANG:
		/* Subtags of 1 to 8 letters or digits, the first letters. */
		for (n = 0;; p++)
			if (*p == '-' || *p == '\0') {
				if (n < 1 || n > 8)
					return 0;
				if (*p == '\0')
					return 1;
				n = 0;
			} else if (isalpha((unsigned char)*p) ||
			    (isdigit((unsigned char)*p) && strchr(v, '-') != NULL &&
			    p > strchr(v, '-')))
				n++;
			else
				return 0;
	case V_POSINT:
		if (*p == '\0')
			return 0;
		for (n = 0; *p; p++)
			if (!isdigit((unsigned char)*p))
				return 0;
			else
				n |= *p != '0';
		return n;
	case V_DECIMAL:
		if (*p == '-' || *p == '+')
			p++;
		if (!isdigit((unsigned char)*p))
			return 0;
		while (isdigit((unsigned char)*p))
			p++;
		/* "7." is a decimal too; ".5" is left to the schema. */
		if (*p == '.')
			for (p++; isdigit((unsigned char)*p); p++)
				;
		return *p == '\0';
	}
	return 0;
}

static int
has(xmlNodePtr x, const char *attr)
{
	return xmlHasProp(x, (const xmlChar *)attr) != NULL;
}

/* The attributes of x: each allowed, required ones there, every value of
 * its type or keyword set. */
static int
attrs_valid(xmlNodePtr x, const struct rule *r)
{
	xmlAttrPtr a;
	size_t i;
	int ok = 1;

	for (a = x->properties; a != NULL && ok; a = a->next) {
		const char *an = (const char *)a->name, *v = "";
		if (a->ns != NULL || !in_list(r->attrs, an))
			return 0;
		/* One text node, or none for an empty value: an entity
		 * reference is left to the schema. */
		if (a->children != NULL) {
			if (a->children->next != NULL ||
			    a->children->type != XML_TEXT_NODE)
				return 0;
			v = (const char *)a->children->content;
		}
		for (i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
			if (strcmp(keywords[i].el, r->name) == 0 &&
			    strcmp(keywords[i].attr, an) == 0 &&
			    !in_list(keywords[i].words, v) &&
			    !(strcmp(r->name, "list") == 0 && list_label_form(v)))
				ok = 0;
		for (i = 0; i < sizeof(typed) / sizeof(typed[0]); i++)
			if ((strcmp(typed[i].el, r->name) == 0 ||
			    strcmp(typed[i].el, "*") == 0) &&
			    strcmp(typed[i].attr, an) == 0 && !type_ok(typed[i].type, v))
				ok = 0;
	}
	for (i = 0; i < sizeof(required) / sizeof(required[0]) && ok; i++)
		if (strcmp(required[i].el, r->name) == 0 && !has(x, required[i].attr))
			ok = 0;
	for (i = 0; i < sizeof(typed) / sizeof(typed[0]) && ok; i++)
		if (typed[i].need && strcmp(typed[i].el, r->name) == 0 &&
		    !has(x, typed[i].attr))
			ok = 0;
	return ok;
}

/* Is the text only XML white space (what element-only content may hold)? */
static int
blank(const char *s)
{
	for (; s != NULL && *s; s++)
		if (strchr(" \t\r\n", *s) == NULL)
			return 0;
	return 1;
}

/* The text of an element holding one keyword, such as <key-decision>:
 * one text node, the word with white space round it. */
static int
word_valid(xmlNodePtr x, const char *words)
{
	const char *s, *e;
	char w[16];

	if (x->children == NULL || x->children->next != NULL ||
	    x->children->type != XML_TEXT_NODE)
		return 0;
	for (s = (const char *)x->children->content; *s && strchr(" \t\r\n", *s);
	    s++)
		;
	for (e = s + strlen(s); e > s && strchr(" \t\r\n", e[-1]); e--)
		;
	if ((size_t)(e - s) >= sizeof(w))
		return 0;
	memcpy(w, s, (size_t)(e - s));
	w[e - s] = '\0';
	return w[0] != '\0' && in_list(words, w);
}

/* <meta>'s interleave: one <title>, at most one of most fields. */
static int
meta_valid(xmlNodePtr x)
{
	static const char once[] = "title organisation committee meeting-date "
	    "portfolio-holder wards classification key-decision report-number "
	    "status purpose";
	const char *seen[16];
	size_t n = 0, i;
	int title = 0;
	xmlNodePtr c;

	for (c = x->children; c != NULL; c = c->next) {
		const char *cn = (const char *)c->name;
		if (c->type != XML_ELEMENT_NODE || !in_list(once, cn))
			continue;
		for (i = 0; i < n; i++)
			if (strcmp(seen[i], cn) == 0)
				return 0;
		if (n < sizeof(seen) / sizeof(seen[0]))
			seen[n++] = cn;
		title |= strcmp(cn, "title") == 0;
	}
	return title;
}

/* <report>'s order: <meta>; <params> and <data> at most once each; the
 * body; then <contacts> and appendices, <contacts> first or last. */
enum { R_START, R_HEAD, R_BODY, R_CONTACTS, R_APPENDIX, R_END };

static int
report_order(int *phase, int *head, const char *cn)
{
	if (strcmp(cn, "meta") == 0)
		return *phase == R_START ? (*phase = R_HEAD, 1) : 0;
	if (*phase == R_START)
		return 0;
	if (strcmp(cn, "params") == 0 || strcmp(cn, "data") == 0) {
		int bit = cn[0] == 'p' ? 1 : 2;
		if (*phase != R_HEAD || (*head & bit))
			return 0;
		*head |= bit;
		return 1;
	}
	if (strcmp(cn, "contacts") == 0) {
		if (*phase == R_HEAD || *phase == R_BODY)
			*phase = R_CONTACTS;
		else if (*phase == R_APPENDIX)
			*phase = R_END;
		else
			return 0;
		return 1;
	}
	if (strcmp(cn, "appendix") == 0) {
		if (*phase == R_END)
			return 0;
		if (*phase != R_CONTACTS)
			*phase = R_APPENDIX;
		return 1;
	}
	/* A block or a section. */
	if (*phase != R_HEAD && *phase != R_BODY)
		return 0;
	*phase = R_BODY;
	return 1;
}

static int
valid(xmlNodePtr x, int depth)
{
	const struct rule *r = find((const char *)x->name);
	const char *name = (const char *)x->name;
	xmlNodePtr c;
	int n = 0, phase = R_START, head = 0, data = 0, literal_head = 0;
	int rows = 0, total = 0;

	if (r == NULL || x->ns != NULL || depth > 200 || !attrs_valid(x, r))
		return 0;
	if (strcmp(name, "classification") == 0)
		return word_valid(x, "open exempt");
	if (strcmp(name, "key-decision") == 0)
		return word_valid(x, "yes no");
	if (strcmp(name, "value") == 0 && has(x, "query") == has(x, "param"))
		return 0;
	if (strcmp(name, "table") == 0) {
		/* A literal table (no data=) has only these attributes. */
		xmlAttrPtr a;
		if ((data = has(x, "data")) == 0)
			for (a = x->properties; a != NULL; a = a->next)
				if (!in_list("id caption caption-format "
				    "caption-position source",
				    (const char *)a->name))
					return 0;
	}
	for (c = x->children; c != NULL; c = c->next) {
		const char *cn = (const char *)c->name;
		if (c->type == XML_TEXT_NODE) {
			if (!r->text && !blank((const char *)c->content))
				return 0;
			continue;
		}
		if (c->type == XML_COMMENT_NODE || c->type == XML_PI_NODE)
			continue;
		if (c->type != XML_ELEMENT_NODE || !in_list(r->children, cn))
			return 0;
		n++;
		if (strcmp(name, "report") == 0 &&
		    !report_order(&phase, &head, cn))
			return 0;
		/* An item holds blocks but not sections. */
		if (strcmp(name, "item") == 0 && strcmp(cn, "section") == 0)
			return 0;
		if (strcmp(name, "table") == 0) {
			if (data ? strcmp(cn, "total") == 0 ? total++ :
			    strcmp(cn, "column") != 0 || total :
			    strcmp(cn, "head") == 0 ? literal_head++ || rows :
			    strcmp(cn, "row") == 0 ? (rows++, 0) : 1)
				return 0;
		}
		if (!valid(c, depth + 1))
			return 0;
	}
	if (strcmp(name, "report") == 0)
		return phase != R_START;
	if (strcmp(name, "meta") == 0)
		return meta_valid(x);
	if (strcmp(name, "table") == 0)
		return data || rows > 0;
	/* One or more children. */
	if (in_list("list contacts head row", name))
		return n > 0;
	return 1;
}

int
rules_valid(xmlNodePtr root)
{
	return root != NULL && xml_is(root, "report") && valid(root, 0);
}
