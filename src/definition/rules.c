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
	{ "table", "id data caption caption-format group-by where order-by source "
	    "suppress-below empty emphasis", "column total head row", 0 },
	{ "column", "field header value format align width colour "
	    "polarity-field format-field row-header total alt-header empty", "", 0 },
	{ "total", "label grand grand-label", "", 0 },
	{ "head", "", "cell", 0 },
	{ "row", "", "cell", 0 },
	{ "cell", "", INLINE, 1 },
	{ "chart", "id type data x series series-by caption caption-format "
	    "alt y-label y-min y-max target width height data-table "
	    "data-labels source suppress-below where order-by empty format "
	    "axis-format x-label highlight sort", "series", 0 },
	{ "series", "field label", "", 0 },
	{ "kpis", "id data label value change polarity-field source caption "
	    "caption-format empty format", "", 0 },
	{ "risks", "id data caption caption-format where matrix source",
	    "", 0 },
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
