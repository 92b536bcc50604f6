/*
 * pack.c — agenda packs (DESIGN.md "Agenda packs"): a meeting's front
 * sheet, then each item in order — reports laid out by their own jobs
 * with the pack's parameters, appendix PDFs merged by merge.cc — in one
 * tagged PDF with one page sequence, one outline and one structure tree.
 *
 * The order of work: read the pack (pack_read), load and lay out every
 * report with one shared fontset (so that all the pages can be written
 * into one file), measure the appendix PDFs, lay out the front sheet
 * with each item's page range (again while its own length moves the
 * ranges), then join the pages: each item a Sect whose first page names
 * it ("Agenda Item 4", its H1), the reports' headings one level down,
 * their anchors made unique, the pack's footer on every page. An exempt
 * item is a notice page in the public pack (part A); part B holds only
 * the exempt items. Nothing is written unless every item built.
 */
#include <ctype.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pack.h"
#include "../util/date.h"
#include "../data/bind.h"
#include "../data/numfmt.h"
#include "../definition/xml.h"
#include "../html/html.h"
#include "../layout/layout.h"
#include "../render/backend.h"
#include "../util/buf.h"
#include "../util/clock.h"
#include "../util/utf8.h"
#include "merge.h"

/* Most items one pack may have (a council agenda has 5 to 30). */
#define PACK_MAX_ITEMS 200
/* Most appendices of one item. */
#define PACK_MAX_APPENDICES 26
/* Longest title of an item or appendix [characters]: the front sheet's
 * table, the outline and the item's heading print it whole. */
#define PACK_MAX_TITLE 500
/* Appendix PDFs kept open from their probe to the merge. */
#define PACK_MAX_OPEN 64
/* Passes of the front sheet before its length must have settled. */
#define PACK_MAX_PASSES 4

enum part_kind { PART_NONE, PART_REPORT, PART_PDF };

/* A report or PDF: an item's body, or one of its appendices. */
struct ppart {
	enum part_kind      kind;
	const char         *title;   /* appendix: as written */
	const char         *path;    /* resolved */
	int                 line;
	sc_job             *job;     /* PART_REPORT, once loaded */
	struct merge_probe  probe;   /* PART_PDF */
	int                 npages;
	int                 graft;   /* PART_PDF: its Sect's number */
};

struct pitem {
	int           line;
	const char   *number;    /* as printed: "4" */
	const char   *title;
	const char   *report_of;
	int           exempt;    /* paragraph 1-7 of Schedule 12A; 0: none */
	const char  **text;      /* typed paragraphs */
	int           ntext;
	struct ppart  body;      /* PART_NONE for a typed item */
	struct ppart *app;
	int           napp;
	int           in;        /* in this part of the pack */
	size_t        first;     /* its pages in the pack: [first, end) */
	size_t        end;
	struct doc   *notice;    /* part A, exempt: its notice page */
	struct template notice_t;
	struct dl_doc notice_dl;
};

struct member {
	const char *name, *role;
};

struct notice {
	const char *title, *text;
};

struct pack {
	struct arena   a;
	const char    *file, *dir;
	const char    *template_name;
	int            template_line;
	const char    *lang, *footer;
	const char    *org, *committee, *date, *time, *venue, *quorum;
	int            date_line;
	struct member *members;
	int            nmembers;
	const char   **subs;
	int            nsubs;
	const char    *c_name, *c_role, *c_phone, *c_email;
	struct notice *notices;
	int            nnotices;
	struct pitem  *items;
	int            nitems;
	int            part_b;
	int            open_pdfs;  /* probes that kept their file */
	/* laid out */
	struct fontset fs;
	struct template t;         /* the pack's house style */
	const char    *tpath;
	struct doc    *agenda;
	struct dl_doc  agenda_dl;
	struct dl_doc  out;        /* the joined pages */
};

static const char *
prop(xmlNodePtr n, const char *name, struct pack *P)
{
	return xml_prop(n, name, &P->a);
}

/* Text with runs of white space made one space, ends trimmed. */
static const char *
squeeze(struct pack *P, const char *s)
{
	char *o, *w;
	int sp = 0;

	if (s == NULL || (o = arena_strdup(&P->a, s)) == NULL)
		return NULL;
	for (w = o; *s; s++) {
		if (isspace((unsigned char)*s)) {
			sp = w != o;
			continue;
		}
		if (sp)
			*w++ = ' ';
		sp = 0;
		*w++ = *s;
	}
	*w = '\0';
	return o;
}

static const char *
text_of(xmlNodePtr n, struct pack *P)
{
	return squeeze(P, xml_text(n, &P->a));
}

static int
grow(void **v, int n, size_t size)
{
	void *nv;

	if ((n & (n - 1)) != 0 && n != 0)
		return 0;
	if ((nv = realloc(*v, (size_t)(n ? 2 * n : 4) * size)) == NULL)
		return -1;
	*v = nv;
	return 0;
}

/* A definition or PDF the pack names, resolved by the one path policy:
 * under the pack's folder or an --allow-path folder. */
static const char *
resolve(struct pack *P, sc_job *j, const char *href, const char *what,
    int line)
{
	struct path_policy p = { P->dir, (const char *const *)j->allow,
		j->nallow, NULL };
	const char *r = path_resolve(&p, href, what, "keep the items beside "
	    "the pack, or allow their folder with --allow-path", &P->a,
	    &j->diags, P->file, line);

	if (r != NULL && path_inputs_add(&j->inputs, r, what) != 0)
		diag_oom(&j->diags, P->file, line, "out of memory reading %s "
		    "\"%s\"", what, href);
	return r;
}

/* report= or pdf= of an item or appendix: exactly one where one is
 * needed. */
static int
read_part(struct pack *P, sc_job *j, xmlNodePtr n, struct ppart *pt,
    int need)
{
	const char *rep = prop(n, "report", P), *pdf = prop(n, "pdf", P);

	pt->line = xml_line(n);
	if (rep != NULL && pdf != NULL) {
		diag_err(&j->diags, P->file, pt->line, "<%s> names both a report "
		    "and a PDF; give one (an appendix of its own for the other)",
		    (const char *)n->name);
		return -1;
	}
	if (rep == NULL && pdf == NULL) {
		if (need)
			diag_err(&j->diags, P->file, pt->line, "<appendix> needs "
			    "report=\"…\" (a definition) or pdf=\"…\" (a file)");
		return need ? -1 : 0;
	}
	pt->kind = rep ? PART_REPORT : PART_PDF;
	pt->path = resolve(P, j, rep ? rep : pdf, rep ? "report definition" :
	    "appendix PDF", pt->line);
	return pt->path == NULL ? -1 : 0;
}

/* YYYY-MM-DD, and a day the calendar has. */
static int
read_meeting(struct pack *P, sc_job *j, xmlNodePtr m)
{
	xmlNodePtr c, k;

	for (c = m->children; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (xml_is(c, "organisation"))
			P->org = text_of(c, P);
		else if (xml_is(c, "committee"))
			P->committee = text_of(c, P);
		else if (xml_is(c, "date")) {
			P->date = text_of(c, P);
			P->date_line = xml_line(c);
		}
		else if (xml_is(c, "time"))
			P->time = text_of(c, P);
		else if (xml_is(c, "venue"))
			P->venue = text_of(c, P);
		else if (xml_is(c, "quorum"))
			P->quorum = text_of(c, P);
		else if (xml_is(c, "contact")) {
			P->c_name = prop(c, "name", P);
			P->c_role = prop(c, "role", P);
			P->c_phone = prop(c, "phone", P);
			P->c_email = prop(c, "email", P);
		} else if (xml_is(c, "notice")) {
			if (grow((void **)&P->notices, P->nnotices,
			    sizeof(*P->notices)) != 0)
				return -1;
			P->notices[P->nnotices].title = prop(c, "title", P);
			P->notices[P->nnotices++].text = text_of(c, P);
		} else if (xml_is(c, "membership"))
			for (k = c->children; k != NULL; k = k->next) {
				if (xml_is(k, "member")) {
					if (grow((void **)&P->members, P->nmembers,
					    sizeof(*P->members)) != 0)
						return -1;
					P->members[P->nmembers].name = text_of(k, P);
					P->members[P->nmembers++].role =
					    prop(k, "role", P);
				} else if (xml_is(k, "substitute")) {
					if (grow((void **)&P->subs, P->nsubs,
					    sizeof(*P->subs)) != 0)
						return -1;
					P->subs[P->nsubs++] = text_of(k, P);
				}
			}
	}
	/* The front sheet prints the date as the house style does, so it
	 * must be a date: the same rule as a report's <meeting-date>. */
	if (!date_iso_valid(P->date)) {
		diag_err(&j->diags, P->file, P->date_line ? P->date_line :
		    xml_line(m), "<date> must be the meeting's date as YYYY-MM-DD "
		    "(e.g. 2023-12-13), a day the calendar has, not \"%s\"",
		    P->date ? P->date : "");
		return -1;
	}
	return 0;
}

static int
read_item(struct pack *P, sc_job *j, xmlNodePtr n, int *seq)
{
	struct pitem *it;
	const char *ex, *num;
	xmlNodePtr c;
	int rc = 0;

	if (grow((void **)&P->items, P->nitems, sizeof(*P->items)) != 0)
		return -1;
	it = &P->items[P->nitems++];
	memset(it, 0, sizeof(*it));
	it->line = xml_line(n);
	num = prop(n, "number", P);
	/* An item without a number follows the one before: after "4" or
	 * "4a" comes 5. */
	it->number = num ? squeeze(P, num) : arena_printf(&P->a, "%d", ++*seq);
	if (num != NULL && isdigit((unsigned char)*it->number))
		*seq = atoi(it->number);
	it->title = squeeze(P, prop(n, "title", P));
	it->report_of = squeeze(P, prop(n, "report-of", P));
	if (it->title != NULL &&
	    utf8_count(it->title, strlen(it->title)) > PACK_MAX_TITLE) {
		diag_err(&j->diags, P->file, it->line, "item %s: the title is %zu "
		    "characters long; give a title of at most %d and put the rest "
		    "in a <text>", it->number ? it->number : "",
		    utf8_count(it->title, strlen(it->title)), PACK_MAX_TITLE);
		rc = -1;
	}
	if (it->number == NULL || it->number[0] == '\0' ||
	    strlen(it->number) > 8) {
		diag_err(&j->diags, P->file, it->line, "item number \"%s\": give a "
		    "short label such as 4 or 4a", num ? num : "");
		rc = -1;
	}
	if ((ex = prop(n, "exempt", P)) != NULL) {
		if (strlen(ex) != 1 || ex[0] < '1' || ex[0] > '7') {
			diag_err(&j->diags, P->file, it->line, "exempt=\"%s\": give "
			    "the paragraph of Part 1 of Schedule 12A to the Local "
			    "Government Act 1972 that applies, 1 to 7 (3: "
			    "financial or business affairs)", ex);
			rc = -1;
		} else
			it->exempt = ex[0] - '0';
	}
	if (read_part(P, j, n, &it->body, 0) != 0)
		return -1;
	for (c = n->children; c != NULL; c = c->next)
		if (xml_is(c, "text")) {
			if (grow((void **)&it->text, it->ntext,
			    sizeof(*it->text)) != 0)
				return -1;
			it->text[it->ntext++] = text_of(c, P);
		} else if (xml_is(c, "appendix")) {
			struct ppart *ap;
			if (it->napp == PACK_MAX_APPENDICES) {
				diag_err(&j->diags, P->file, xml_line(c), "more than %d "
				    "appendices to one item; join some into one PDF",
				    PACK_MAX_APPENDICES);
				return -1;
			}
			if (grow((void **)&it->app, it->napp, sizeof(*it->app)) != 0)
				return -1;
			ap = &it->app[it->napp++];
			memset(ap, 0, sizeof(*ap));
			ap->title = squeeze(P, prop(c, "title", P));
			if (ap->title != NULL && utf8_count(ap->title,
			    strlen(ap->title)) > PACK_MAX_TITLE) {
				diag_err(&j->diags, P->file, xml_line(c), "the "
				    "appendix's title is %zu characters long; give a "
				    "title of at most %d", utf8_count(ap->title,
				    strlen(ap->title)), PACK_MAX_TITLE);
				rc = -1;
			}
			if (read_part(P, j, c, ap, 1) != 0)
				rc = -1;
		}
	if (it->body.kind == PART_NONE && it->ntext == 0) {
		diag_err(&j->diags, P->file, it->line, "item %s has nothing to "
		    "show: give report=\"…\", pdf=\"…\" or a <text>", it->number);
		rc = -1;
	}
	if (it->body.kind == PART_NONE && it->napp > 0) {
		diag_err(&j->diags, P->file, it->line, "item %s has appendices "
		    "but no report=\"…\" or pdf=\"…\" they belong to", it->number);
		rc = -1;
	}
	if (it->title == NULL && it->exempt) {
		diag_err(&j->diags, P->file, it->line, "exempt item %s needs a "
		    "title=\"…\": the public front sheet names it, and its report "
		    "is not opened for the public pack", it->number);
		rc = -1;
	} else if (it->title == NULL && it->body.kind != PART_REPORT) {
		diag_err(&j->diags, P->file, it->line, "item %s needs a "
		    "title=\"…\" (only a report's title can be taken from it)",
		    it->number);
		rc = -1;
	}
	return rc;
}

/* The elements each element of a pack may hold. */
static const struct {
	const char *parent, *kids, *hint;
} pack_kids[] = {
	{ "pack", "meeting item", "a pack holds one <meeting>, then its "
	    "<item>s" },
	{ "meeting", "organisation committee date time venue membership "
	    "quorum contact notice", "a <meeting> holds <organisation>, "
	    "<committee>, <date>, <time>, <venue>, <membership>, <quorum>, "
	    "<contact> and <notice>s" },
	{ "membership", "member substitute", "a <membership> holds <member>s "
	    "and <substitute>s" },
	{ "item", "text appendix", "an <item> holds <text> and <appendix> "
	    "elements" },
};

/* One child element's name among the space-separated names in list. */
static int
name_in(const char *list, const char *name)
{
	size_t n = strlen(name);

	while (*list) {
		size_t k = strcspn(list, " ");
		if (k == n && strncmp(list, name, n) == 0)
			return 1;
		list += k;
		list += *list == ' ';
	}
	return 0;
}

/*
 * What the schema would say in libxml2's words ("Expecting an element ,
 * got nothing"), said with the fix: the version, the meeting and its
 * three required fields, at least one item, and elements out of place.
 */
static int
pack_rules(struct pack *P, sc_job *j, xmlNodePtr root)
{
	static const char *const need[] = { "organisation", "committee",
		"date" };
	xmlNodePtr c, k, meeting = NULL;
	const char *v = prop(root, "version", P);
	int errs = j->diags.errors, items = 0;
	size_t i, n;

	if (v == NULL || strcmp(v, "1") != 0)
		diag_err(&j->diags, P->file, xml_line(root), "<pack> needs "
		    "version=\"1\" (the only version of packs there is)%s%s%s",
		    v ? ", not \"" : "", v ? v : "", v ? "\"" : "");
	for (c = root; c != NULL; c = c == root ? root->children : c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		for (k = c->children; k != NULL; k = k->next) {
			if (k->type != XML_ELEMENT_NODE)
				continue;
			for (i = 0; i < sizeof(pack_kids) / sizeof(pack_kids[0]); i++)
				if (xml_is(c, pack_kids[i].parent) &&
				    !name_in(pack_kids[i].kids, (const char *)k->name))
					diag_err(&j->diags, P->file, xml_line(k), "<%s> does "
					    "not belong in <%s>; %s", (const char *)k->name,
					    (const char *)c->name, pack_kids[i].hint);
		}
		if (c == root)
			continue;
		if (xml_is(c, "meeting")) {
			if (meeting != NULL)
				diag_err(&j->diags, P->file, xml_line(c), "a second "
				    "<meeting> (the first is on line %d); a pack is "
				    "one meeting's", xml_line(meeting));
			else if (items > 0)
				diag_err(&j->diags, P->file, xml_line(c), "<meeting> "
				    "comes first, before the items");
			meeting = c;
		} else if (xml_is(c, "item"))
			items++;
	}
	if (meeting == NULL)
		diag_err(&j->diags, P->file, xml_line(root), "the pack has no "
		    "<meeting>; give the meeting's <organisation>, <committee> "
		    "and <date> first");
	for (n = 0; meeting != NULL && n < 3; n++) {
		for (k = meeting->children; k != NULL && !xml_is(k, need[n]);
		    k = k->next)
			;
		if (k == NULL)
			diag_err(&j->diags, P->file, xml_line(meeting), "<meeting> "
			    "needs <%s>: the front sheet prints it", need[n]);
	}
	if (items == 0)
		diag_err(&j->diags, P->file, xml_line(root), "the pack has no "
		    "<item>; list the meeting's agenda items, each an <item>");
	return j->diags.errors != errs ? -1 : 0;
}

/* Reads and checks the pack definition: every problem in one run. */
static int
pack_read(struct pack *P, sc_job *j)
{
	xmlDocPtr x;
	xmlNodePtr root, c;
	struct diags schema;
	int rc = 0, seq = 0, i, k, errs0 = j->diags.errors;

	if ((x = xml_read(j->definition, &j->diags)) == NULL)
		return -1;
	if ((P->file = arena_strdup(&P->a, j->definition)) != NULL) {
		const char *s = strrchr(P->file, '/');
		P->dir = s == NULL ? "." : s == P->file ? "/" :
		    arena_strndup(&P->a, P->file, (size_t)(s - P->file));
	}
	if (P->file == NULL || P->dir == NULL) {
		diag_oom(&j->diags, j->definition, 0, "out of memory reading the "
		    "pack");
		xmlFreeDoc(x);
		return -1;
	}
	root = xmlDocGetRootElement(x);
	/* Our rules first, with what to do; the schema's words only for
	 * what they alone catch (and not at all once ours found anything). */
	if (pack_rules(P, j, root) != 0) {
		xmlFreeDoc(x);
		return -1;
	}
	diags_init(&schema);
	if (xml_validate(x, SCHEMA_PACK, P->file, &schema) != 0) {
		xml_merge(&j->diags, &schema);
		xmlFreeDoc(x);
		return -1;
	}
	diags_clear(&schema);
	P->template_name = prop(root, "template", P);
	P->template_line = xml_line(root);
	P->lang = prop(root, "lang", P);
	P->footer = prop(root, "footer", P);
	if (P->footer == NULL)
		P->footer = "Page {page}";
	for (c = root->children; c != NULL && rc == 0; c = c->next)
		if (xml_is(c, "meeting"))
			rc = read_meeting(P, j, c);
	for (c = root->children; c != NULL; c = c->next)
		if (xml_is(c, "item")) {
			if (P->nitems == PACK_MAX_ITEMS) {
				diag_err(&j->diags, P->file, xml_line(c), "more than %d "
				    "items; split the meeting's pack", PACK_MAX_ITEMS);
				rc = -1;
				break;
			}
			if (read_item(P, j, c, &seq) != 0)
				rc = -1;
		}
	for (i = 0; i < P->nitems; i++)
		for (k = 0; k < i; k++)
			if (strcmp(P->items[i].number, P->items[k].number) == 0) {
				diag_err(&j->diags, P->file, P->items[i].line, "item "
				    "number %s is used twice (also at line %d); number "
				    "each item once", P->items[i].number,
				    P->items[k].line);
				rc = -1;
				break;
			}
	xmlFreeDoc(x);
	/* A list that could not grow fails without a message of its own. */
	if (P->a.oom || (rc != 0 && j->diags.errors == errs0))
		diag_oom(&j->diags, P->file, 0, "out of memory reading the pack");
	return rc != 0 || P->a.oom || j->diags.errors ? -1 : 0;
}

/* ---- reports ---------------------------------------------------------- */

/* A report of the pack loaded with the pack's parameters and folders. */
static sc_job *
report_job(sc_job *j, const char *path)
{
	sc_job *r = sc_job_new_in(j->ctx, path);
	size_t i;
	int k, rc = SC_OK;

	if (r == NULL)
		return NULL;
	/* Strict as the pack is, whether set on it or on its context. */
	r->strict = j->strict;
	r->timings = j->timings;
	r->pdfa_part = j->pdfa_part;
	r->pdfa_conformance = j->pdfa_conformance;
	r->pdfua = j->pdfua;
	for (i = 0; i < j->ndefines && rc == SC_OK; i++)
		if ((rc = sc_job_define(r, j->defines[i].name,
		    j->defines[i].value)) == SC_OK)
			r->defines[i].optional = 1;
	for (k = r->nallow; k < j->nallow && rc == SC_OK; k++)
		rc = sc_job_allow_path(r, j->allow[k]);
	if (rc == SC_OK && j->data_dir != NULL)
		rc = sc_job_set_data_dir(r, j->data_dir);
	if (rc != SC_OK) {
		sc_job_free(r);
		return NULL;
	}
	return r;
}

/* A report's own messages, in the pack's list with their files. */
static void
take_diags(sc_job *j, const struct diags *from)
{
	size_t i;

	for (i = 0; i < from->n; i++)
		diag_add(&j->diags, from->v[i].level, from->v[i].file,
		    from->v[i].line, "%s", from->v[i].message);
	if (from->oom)
		j->diags.oom = 1;
}

/* The page furniture is the pack's: a report's own footer (and any
 * header part that counts pages) would number its pages from 1. */
static void
pack_furniture_off(struct template *t)
{
	int i;

	for (i = 0; i < 3; i++) {
		t->footer.part[i] = NULL;
		if (t->header.part[i] != NULL &&
		    strstr(t->header.part[i], "{page") != NULL)
			t->header.part[i] = NULL;
	}
}

static int
build_report(struct pack *P, sc_job *j, struct pitem *it, struct ppart *pt)
{
	sc_job *r = report_job(j, pt->path);
	size_t i;
	int rc;
	long long t0 = clock_ns();

	if (r == NULL) {
		diag_oom(&j->diags, P->file, pt->line, "out of memory building "
		    "item %s", it->number);
		return -1;
	}
	pt->job = r;
	rc = job_load(r);
	if (rc == SC_OK) {
		pack_furniture_off(&r->t);
		rc = job_layout(r, &P->fs);
	}
	take_diags(j, &r->diags);
	for (i = 0; i < sc_job_input_count(r); i++) {
		const char *what, *name = sc_job_input(r, i, &what);
		if (path_inputs_add(&j->inputs, name, what) != 0)
			diag_oom(&j->diags, P->file, pt->line, "out of memory "
			    "listing what item %s read", it->number);
	}
	for (i = 0; i < sc_job_missing_count(r); i++) {
		const char *what, *name = sc_job_missing(r, i, &what);
		if (path_inputs_add_missing(&j->missing, name, what) != 0)
			diag_oom(&j->diags, P->file, pt->line, "out of memory "
			    "listing what item %s looked for", it->number);
	}
	if (rc != SC_OK) {
		diag_err(&j->diags, P->file, pt->line, "item %s: the report \"%s\" "
		    "did not build (its messages are above); fix it, or leave "
		    "the item out", it->number, pt->path);
		return -1;
	}
	pt->npages = (int)r->dl.npages;
	if (j->timings) {
		char what[96];
		snprintf(what, sizeof(what), "item %s: loading and laying out "
		    "its report (%d page%s)", it->number, pt->npages,
		    pt->npages == 1 ? "" : "s");
		job_time_note(j, P->file, pt->line, what, t0);
	}
	if (it->title == NULL && pt == &it->body)
		it->title = doc_meta(r->doc, "title");
	if (it->report_of == NULL && pt == &it->body) {
		struct buf b;
		buf_init(&b);
		for (i = 0; i < r->doc->nmeta; i++)
			if (strcmp(r->doc->meta[i].key, "report-of") == 0)
				buf_printf(&b, "%s%s", b.len ? "; " : "",
				    r->doc->meta[i].value);
		if (b.len)
			it->report_of = arena_strdup(&P->a, b.data);
		buf_free(&b);
	}
	return 0;
}

static int
probe_pdf(struct pack *P, sc_job *j, struct pitem *it, struct ppart *pt)
{
	if (merge_probe(pt->path, P->file, pt->line, &pt->probe, &j->diags)
	    != 0)
		return -1;
	/* Each probed file is kept open for the merge, up to a number a
	 * process may well hold; past it, the merge reads it again. */
	if (++P->open_pdfs > PACK_MAX_OPEN)
		merge_probe_drop(&pt->probe);
	pt->npages = pt->probe.pages;
	if (!pt->probe.tagged)
		diag_warn(&j->diags, P->file, pt->line, "item %s: \"%s\" has no "
		    "tags, so a screen reader cannot read it and the pack is not "
		    "fully accessible (PSBAR 2018); export it again as a tagged "
		    "PDF (Word: Save as PDF, \"Document structure tags for "
		    "accessibility\")", it->number, pt->path);
	if (pt->probe.untagged_fonts > 0)
		diag_warn(&j->diags, P->file, pt->line, "item %s: \"%s\" uses %d "
		    "font%s that %s not embedded; it may look different "
		    "elsewhere and cannot be archived as PDF/A; export it again "
		    "with fonts embedded", it->number, pt->path,
		    pt->probe.untagged_fonts, pt->probe.untagged_fonts == 1 ?
		    "" : "s", pt->probe.untagged_fonts == 1 ? "is" : "are");
	return 0;
}

/* ---- generated pages: the front sheet and notices --------------------- */

static void
put_meta(struct buf *b, const char *key, const char *v)
{
	if (v == NULL)
		return;
	buf_printf(b, "<%s>", key);
	buf_put_xml(b, v);
	buf_printf(b, "</%s>\n", key);
}

static void
put_field(struct buf *b, const char *label, const char *v)
{
	if (v == NULL || *v == '\0')
		return;
	buf_puts(b, "<field label=\"");
	buf_put_xml(b, label);
	buf_puts(b, "\">");
	buf_put_xml(b, v);
	buf_puts(b, "</field>\n");
}

static void
put_p(struct buf *b, const char *label, const char *v)
{
	buf_puts(b, "<p>");
	if (label != NULL) {
		buf_puts(b, "<b>");
		buf_put_xml(b, label);
		buf_puts(b, "</b> ");
	}
	buf_put_xml(b, v);
	buf_puts(b, "</p>\n");
}

static void
head_xml(const struct pack *P, struct buf *b, const char *title)
{
	buf_printf(b, "<report version=\"1\" lang=\"%s\">\n<meta>\n",
	    P->lang ? P->lang : "en-GB");
	put_meta(b, "title", title);
	put_meta(b, "organisation", P->org);
	put_meta(b, "committee", P->committee);
	put_meta(b, "meeting-date", P->date);
}

/* Pages of item it, as the front sheet prints them. */
static const char *
range_of(struct pack *P, const struct pitem *it)
{
	if (it->end <= it->first)
		return "";
	if (it->end - it->first == 1)
		return arena_printf(&P->a, "%zu", it->first + 1);
	/* No-break spaces: a range is never split over two lines. */
	return arena_printf(&P->a, "%zu\xC2\xA0–\xC2\xA0%zu", it->first + 1,
	    it->end);
}

/* The exempt items' paragraphs, for the resolution: "3" or "1 and 3". */
static void
put_paragraphs(const struct pack *P, struct buf *b, int *count)
{
	int seen[8] = { 0 }, i, n = 0, k = 0;

	/* exempt is 1-7 (read_item refuses the rest); checked again here,
	 * where it indexes. */
	for (i = 0; i < P->nitems; i++)
		if (P->items[i].exempt >= 1 && P->items[i].exempt <= 7 &&
		    !seen[P->items[i].exempt]) {
			seen[P->items[i].exempt] = 1;
			n++;
		}
	for (i = 1; i <= 7; i++)
		if (seen[i]) {
			k++;
			buf_printf(b, "%s%d", k == 1 ? "" : k == n ? " and " : ", ", i);
		}
	*count = n;
}

static char *
agenda_xml(struct pack *P, size_t *len)
{
	struct buf b;
	const char *r;
	int i, k, nex = 0, npara;

	buf_init(&b);
	head_xml(P, &b, P->part_b ? "Agenda: Part B (not for publication)" :
	    "Agenda");
	put_field(&b, "Time", P->time);
	put_field(&b, "Venue", P->venue);
	buf_puts(&b, "</meta>\n");
	if (P->nmembers > 0 || P->quorum != NULL) {
		buf_puts(&b, "<section title=\"Membership\" numbered=\"no\">\n");
		if (P->nmembers > 0) {
			buf_puts(&b, "<list>\n");
			for (i = 0; i < P->nmembers; i++) {
				buf_puts(&b, "<item>");
				buf_put_xml(&b, P->members[i].name);
				if (P->members[i].role != NULL) {
					buf_puts(&b, " (");
					buf_put_xml(&b, P->members[i].role);
					buf_puts(&b, ")");
				}
				buf_puts(&b, "</item>\n");
			}
			buf_puts(&b, "</list>\n");
		}
		if (P->nsubs > 0) {
			struct buf s;
			buf_init(&s);
			for (i = 0; i < P->nsubs; i++)
				buf_printf(&s, "%s%s", i ? ", " : "", P->subs[i]);
			put_p(&b, "Substitutes:", s.data ? s.data : "");
			b.oom |= s.oom;
			buf_free(&s);
		}
		if (P->quorum != NULL)
			put_p(&b, "Quorum:", P->quorum);
		buf_puts(&b, "</section>\n");
	}
	buf_puts(&b, "<section title=\"");
	buf_puts(&b, P->part_b ? "Part B: exempt items" : "Agenda");
	buf_puts(&b, "\" numbered=\"no\">\n<table><head><cell>Item</cell>"
	    "<cell>Title</cell><cell>Pages</cell></head>\n");
	for (i = 0; i < P->nitems; i++) {
		const struct pitem *it = &P->items[i];
		if (!it->in)
			continue;
		nex += it->exempt != 0;
		buf_puts(&b, "<row><cell>");
		buf_put_xml(&b, it->number);
		buf_puts(&b, ".</cell><cell><b>");
		buf_put_xml(&b, it->title ? it->title : "");
		buf_puts(&b, "</b>");
		if (it->report_of != NULL) {
			buf_puts(&b, "<br/>Report of: ");
			buf_put_xml(&b, it->report_of);
		}
		for (k = 0; k < it->ntext; k++) {
			buf_puts(&b, "<br/>");
			buf_put_xml(&b, it->text[k]);
		}
		if (it->exempt) {
			buf_printf(&b, "<br/><i>Exempt: paragraph %d of Part 1 of "
			    "Schedule 12A to the Local Government Act 1972%s</i>",
			    it->exempt, P->part_b ? "" : " (not in this public "
			    "pack)");
		}
		buf_puts(&b, "</cell><cell>");
		r = range_of(P, it);
		if (r == NULL)
			b.oom = 1;
		else
			buf_put_xml(&b, r);
		buf_puts(&b, "</cell></row>\n");
	}
	buf_puts(&b, "</table>\n");
	if (nex > 0) {
		buf_puts(&b, "<p>To consider passing the following resolution: "
		    "That under Section 100A(4) of the Local Government Act "
		    "1972, the public be excluded from the meeting for the ");
		buf_puts(&b, nex == 1 ? "item" : "items");
		buf_puts(&b, nex == 1 ? " of business marked exempt on the "
		    "grounds that it involves" : " of business marked exempt on "
		    "the grounds that they involve");
		buf_puts(&b, " the likely disclosure of exempt information as "
		    "defined in ");
		{
			struct buf ps;
			buf_init(&ps);
			put_paragraphs(P, &ps, &npara);
			buf_puts(&b, npara == 1 ? "paragraph " : "paragraphs ");
			buf_put(&b, ps.data ? ps.data : "", ps.len);
			b.oom |= ps.oom;
			buf_free(&ps);
		}
		buf_puts(&b, " of Part 1 of Schedule 12A of the Act.</p>\n");
	}
	buf_puts(&b, "</section>\n");
	if (P->c_name != NULL) {
		buf_puts(&b, "<section title=\"Contact\" numbered=\"no\">\n<p>");
		buf_put_xml(&b, P->c_name);
		if (P->c_role != NULL) {
			buf_puts(&b, ", ");
			buf_put_xml(&b, P->c_role);
		}
		if (P->c_phone != NULL) {
			buf_puts(&b, "<br/>Telephone: ");
			buf_put_xml(&b, P->c_phone);
		}
		if (P->c_email != NULL) {
			buf_puts(&b, "<br/>Email: <a href=\"mailto:");
			buf_put_xml(&b, P->c_email);
			buf_puts(&b, "\">");
			buf_put_xml(&b, P->c_email);
			buf_puts(&b, "</a>");
		}
		buf_puts(&b, "</p>\n</section>\n");
	}
	/* The public's notices (speaking, filming) are not Part B's. */
	for (i = 0; i < P->nnotices && !P->part_b; i++) {
		buf_puts(&b, "<section title=\"");
		buf_put_xml(&b, P->notices[i].title);
		buf_puts(&b, "\" numbered=\"no\">\n");
		put_p(&b, NULL, P->notices[i].text);
		buf_puts(&b, "</section>\n");
	}
	buf_puts(&b, "</report>\n");
	if (b.oom) {
		buf_free(&b);
		return NULL;
	}
	*len = b.len;
	return b.data;
}

static char *
notice_xml(struct pack *P, const struct pitem *it, size_t *len)
{
	struct buf b;

	buf_init(&b);
	head_xml(P, &b, it->title ? it->title : "Exempt item");
	buf_puts(&b, "</meta>\n<section title=\"");
	buf_put_xml(&b, it->title ? it->title : "Exempt item");
	buf_puts(&b, "\" numbered=\"no\">\n");
	buf_printf(&b, "<p>Not for publication by virtue of paragraph %d of "
	    "Part 1 of Schedule 12A to the Local Government Act 1972.</p>\n",
	    it->exempt);
	buf_puts(&b, "<p>This item is in the Part B pack, which is sent to "
	    "members of the committee only.</p>\n</section>\n</report>\n");
	if (b.oom) {
		buf_free(&b);
		return NULL;
	}
	*len = b.len;
	return b.data;
}

/* The pack's house style for its own pages: no numbering, no
 * furniture (stamped later), a front sheet of the meeting's details. */
static int
agenda_style(struct pack *P, struct template *t, struct arena *a)
{
	struct tpl_part *parts;
	struct tpl_row *rows;
	int i, n = 0, rs = ROWS_TABLE;
	double lw = 40 * 72 / 25.4;

	t->num_headings = 0;
	t->num_subheadings = SUBHEAD_NONE;
	t->para_numbering = PARANUM_NONE;
	t->caption_table = t->caption_figure = "";
	pack_furniture_off(t);
	for (i = 0; i < 3; i++)
		t->header.part[i] = NULL;
	if ((parts = arena_alloc(a, (size_t)(t->nparts + 4) *
	    sizeof(*parts))) == NULL ||
	    (rows = arena_alloc(a, 4 * sizeof(*rows))) == NULL)
		return -1;
	/* The council's banner, if it has one, then the meeting. */
	for (i = 0; i < t->nparts; i++)
		if (t->parts[i].kind == PART_BANNER)
			parts[n++] = t->parts[i];
		else if (t->parts[i].kind == PART_ROWS) {
			rs = t->parts[i].rows_style;
			lw = t->parts[i].label_width;
		}
	memset(&parts[n], 0, sizeof(parts[n]));
	parts[n].kind = PART_LINE;
	parts[n].style = STYLE_HEADING;
	parts[n++].text = "{organisation}";
	memset(&parts[n], 0, sizeof(parts[n]));
	parts[n].kind = PART_LINE;
	parts[n].style = STYLE_TITLE;
	parts[n++].text = "{committee}";
	/* Part B says what it is before anything else. */
	if (P->part_b) {
		memset(&parts[n], 0, sizeof(parts[n]));
		parts[n].kind = PART_LINE;
		parts[n].style = STYLE_HEADING;
		parts[n].tcase = CASE_UPPER;
		parts[n++].text = "Not for publication: Part B, exempt items";
	}
	rows[0].label = "Date";
	rows[0].value = "{meeting-date}";
	rows[1].label = "Time";
	rows[1].value = "{Time}";
	rows[2].label = "Venue";
	rows[2].value = "{Venue}";
	memset(&parts[n], 0, sizeof(parts[n]));
	parts[n].kind = PART_ROWS;
	parts[n].rows_style = rs == ROWS_STACKED ? ROWS_PLAIN : rs;
	parts[n].label_width = lw;
	parts[n].rows = rows;
	parts[n++].nrows = 3;
	t->parts = parts;
	t->nparts = n;
	return 0;
}

/* Loads a generated definition (the front sheet, a notice) and lays it
 * out in the pack's style. An error here is ours, not the author's. */
static int
lay_generated(struct pack *P, sc_job *j, char *xml, size_t len,
    struct doc **docp, struct template *t, struct dl_doc *dl)
{
	int ok = 0, rc = -1;

	if (xml == NULL) {
		diag_oom(&j->diags, P->file, 0, "out of memory making the front "
		    "sheet");
		return -1;
	}
	doc_free(*docp);
	dl_free(dl);
	*docp = def_load_mem(xml, len, P->file, NULL, 0, &j->diags, &ok);
	free(xml);
	if (*docp == NULL || !ok)
		goto out;
	(*docp)->dir = P->dir;
	if (tpl_load(t, P->tpath, &(*docp)->arena, &j->diags) != 0 ||
	    agenda_style(P, t, &(*docp)->arena) != 0)
		goto out;
	{
		/* Literal tables only: no data file is named. */
		struct bind_opts bo = { { P->dir, NULL, 0, NULL }, NULL, 0,
		    NULL, 0 };
		if (data_bind(*docp, t, &bo, &j->diags) != 0)
			goto out;
	}
	/* Copied: this pass's doc goes with the next pass. */
	if (P->lang == NULL && t->lang != NULL)
		P->lang = arena_strdup(&P->a, t->lang);
	dl_init(dl, &(*docp)->arena);
	if (lay_document(*docp, t, &P->fs, dl, &j->diags) != 0)
		goto out;
	rc = 0;
out:
	if (rc != 0 && j->diags.errors == 0)
		diag_oom(&j->diags, P->file, 0, "out of memory laying out the "
		    "front sheet");
	return rc;
}

/* Gives every included item its pages, the front sheet's n first. */
static void
number_pages(struct pack *P, size_t n)
{
	int i, k;

	for (i = 0; i < P->nitems; i++) {
		struct pitem *it = &P->items[i];
		it->first = it->end = n;
		if (!it->in)
			continue;
		if (it->notice != NULL) {
			n += it->notice_dl.npages;
		} else if (it->body.kind != PART_NONE) {
			n += (size_t)it->body.npages;
			for (k = 0; k < it->napp; k++)
				n += (size_t)it->app[k].npages;
		}
		it->end = n;
	}
}

/* The front sheet, laid out until its length stops moving the ranges
 * it prints (a longer sheet pushes every item on). */
static int
lay_agenda(struct pack *P, sc_job *j)
{
	size_t pages = 1, len = 0;
	struct template t;
	int pass;

	for (pass = 0; pass < PACK_MAX_PASSES; pass++) {
		char *xml;
		number_pages(P, pages);
		xml = agenda_xml(P, &len);
		if (lay_generated(P, j, xml, len, &P->agenda, &t,
		    &P->agenda_dl) != 0)
			return -1;
		if (P->agenda_dl.npages == pages)
			break;
		pages = P->agenda_dl.npages;
	}
	if (pass == PACK_MAX_PASSES) {
		diag_err(&j->diags, P->file, 0, "internal error: the front sheet's "
		    "length did not settle; please report it");
		return -1;
	}
	P->t = t;
	return 0;
}

/* ---- joining the pages ------------------------------------------------ */

static struct dl_op *
push(struct dl_page *pg, const struct dl_op *op, sc_job *j)
{
	struct dl_op *o = dl_push(pg, op);

	if (o == NULL)
		diag_oom(&j->diags, NULL, 0, "out of memory joining the pack");
	return o;
}

static int
mark(struct dl_page *pg, int kind, int st, int level, const char *anchor,
    sc_job *j)
{
	struct dl_op op;

	memset(&op, 0, sizeof(op));
	op.kind = (unsigned char)kind;
	op.st = (unsigned char)st;
	op.level = (short)level;
	op.anchor = anchor;
	return push(pg, &op, j) == NULL ? -1 : 0;
}

/* A run of text in the pack's body font; align 0 left of x, 1 centred
 * on x, 2 right-aligned at x. */
static int
stamp_text(struct pack *P, sc_job *j, struct dl_page *pg, int bold,
    double size, double x, double y, int align, const char *text)
{
	int fi = fontset_get(&P->fs, P->t.font_body, bold, 0, &j->diags,
	    P->t.file, 0);
	struct font *f;
	const struct shaped *sh;
	struct dl_op op;
	double w;

	if (fi < 0)
		return -1;
	f = P->fs.font[fi];
	if ((sh = font_shape(f, text, strlen(text))) == NULL) {
		diag_oom(&j->diags, NULL, 0, "out of memory joining the pack");
		return -1;
	}
	font_use(f, sh);
	w = (double)sh->width * size / f->upem;
	memset(&op, 0, sizeof(op));
	op.kind = DL_TEXT;
	op.font = (short)fi;
	op.size = size;
	op.colour = P->t.c_text;
	op.x = align == 0 ? x : align == 1 ? x - w / 2 : x - w;
	op.y = y;
	op.w = w;
	op.nglyphs = sh->n;
	op.gid = sh->gid;
	op.adv = sh->adv;
	op.text = arena_strdup(&P->a, text);
	if (op.text == NULL) {
		diag_oom(&j->diags, NULL, 0, "out of memory joining the pack");
		return -1;
	}
	return push(pg, &op, j) == NULL ? -1 : 0;
}

/* The pack's footer, {page} and {pages} counted over the whole pack. */
static int
stamp_footer(struct pack *P, sc_job *j, struct dl_page *pg, size_t page)
{
	struct buf b;
	const char *s;
	int rc;

	buf_init(&b);
	for (s = P->footer; *s; s++)
		if (strncmp(s, "{page}", 6) == 0) {
			buf_printf(&b, "%zu", page + 1);
			s += 5;
		} else if (strncmp(s, "{pages}", 7) == 0) {
			buf_printf(&b, "%zu", P->out.npages);
			s += 6;
		} else
			buf_putc(&b, *s);
	if (b.oom) {
		buf_free(&b);
		diag_oom(&j->diags, NULL, 0, "out of memory joining the pack");
		return -1;
	}
	rc = mark(pg, DL_BEGIN, ST_ARTIFACT, 0, NULL, j) != 0 ||
	    stamp_text(P, j, pg, 0, P->t.small_size, pg->width / 2,
	    pg->height - P->t.margin_b / 2 + P->t.small_size / 3, 1,
	    b.data ? b.data : "") != 0 ||
	    mark(pg, DL_END, ST_ARTIFACT, 0, NULL, j) != 0 ? -1 : 0;
	buf_free(&b);
	return rc;
}

/* A new page of the pack, of src's size, with room for its ops. */
static struct dl_page *
take_page(struct pack *P, sc_job *j, const struct dl_page *src)
{
	struct dl_page *pg = dl_add_page(&P->out, src->width, src->height);

	if (pg == NULL) {
		diag_oom(&j->diags, NULL, 0, "out of memory joining the pack");
		return NULL;
	}
	if (dl_reserve(pg, src->n + 16) != 0) {
		diag_oom(&j->diags, NULL, 0, "out of memory joining the pack");
		return NULL;
	}
	return pg;
}

/* src's ops onto pg (moved, not copied); anchors prefixed so that they
 * stay unique among all the reports, headings and outline entries one
 * level down (under the item's; the front sheet, k 0, keeps its H1s). */
static int
move_ops(struct pack *P, sc_job *j, struct dl_page *pg, struct dl_page *src,
    int k)
{
	size_t i;

	for (i = 0; i < src->n; i++) {
		struct dl_op op = src->ops[i];
		if ((op.kind == DL_LINK || op.kind == DL_ANCHOR) &&
		    op.anchor != NULL &&
		    (op.anchor = arena_printf(&P->a, "p%d.%s", k, op.anchor)) ==
		    NULL) {
			diag_oom(&j->diags, NULL, 0, "out of memory joining the "
			    "pack");
			return -1;
		}
		if (op.kind == DL_ANCHOR && op.level > 0)
			op.level = (short)(op.level < 5 ? op.level + 1 : 6);
		if (op.kind == DL_BEGIN && op.st == ST_H && k > 0)
			op.level = (short)(op.level < 6 ? op.level + 1 : 6);
		if (push(pg, &op, j) == NULL)
			return -1;
	}
	free(src->ops);
	src->ops = NULL;
	src->n = src->cap = 0;
	return 0;
}

/* An outline entry (and destination) at the top of pg. */
static int
outline(sc_job *j, struct dl_page *pg, int level, const char *name,
    const char *title)
{
	struct dl_op op;

	memset(&op, 0, sizeof(op));
	op.kind = DL_ANCHOR;
	op.level = (short)level;
	op.anchor = name;
	op.title = title;
	return push(pg, &op, j) == NULL ? -1 : 0;
}

/* Pages of a laid-out document into the pack; the item's first page
 * opens with its Sect, outline entry and "Agenda Item N" heading. */
static int
join_dl(struct pack *P, sc_job *j, struct dl_doc *d, int k,
    const struct pitem *it, int open, const char *appendix, int graft,
    const struct merge_probe *probe)
{
	size_t p, n = d ? d->npages : (size_t)probe->pages;

	for (p = 0; p < n; p++) {
		struct dl_page *src = d ? &d->pages[p] : NULL, *pg;
		struct dl_page blank;
		if (src == NULL) {
			memset(&blank, 0, sizeof(blank));
			blank.width = probe->size[p][0];
			blank.height = probe->size[p][1];
			src = &blank;
		}
		if ((pg = take_page(P, j, src)) == NULL)
			return -1;
		if (p == 0 && open) {
			const char *name = arena_printf(&P->a, "item-%s",
			    it->number);
			const char *title = arena_printf(&P->a, "%s. %s",
			    it->number, it->title ? it->title : "");
			const char *label = arena_printf(&P->a, "Agenda Item %s",
			    it->number);
			/* On an appendix PDF's page the label is drawn over the
			 * page as the footer is, outside the structure: tagged
			 * content there would share the page's marked-content
			 * numbers with the PDF's own. */
			int st = d != NULL ? ST_H : ST_ARTIFACT;
			if (name == NULL || title == NULL || label == NULL ||
			    mark(pg, DL_BEGIN, ST_SECT, 0, NULL, j) != 0 ||
			    outline(j, pg, 1, name, title) != 0 ||
			    mark(pg, DL_BEGIN, st, 1, NULL, j) != 0 ||
			    stamp_text(P, j, pg, 1, P->t.size, pg->width -
			    P->t.margin_r, P->t.margin_t / 2 + P->t.size / 3, 2,
			    label) != 0 ||
			    mark(pg, DL_END, st, 1, NULL, j) != 0)
				return -1;
		}
		if (p == 0 && appendix != NULL) {
			const char *name = arena_printf(&P->a, "app-%d", k);
			if (name == NULL || outline(j, pg, 2, name, appendix) != 0)
				return -1;
		}
		if (p == 0 && graft > 0) {
			const char *g = arena_printf(&P->a, "graft:%d", graft);
			if (g == NULL || mark(pg, DL_BEGIN, ST_SECT, 0, g, j) != 0)
				return -1;
		}
		if (d != NULL && move_ops(P, j, pg, src, k) != 0)
			return -1;
		if (p + 1 == n && graft > 0 &&
		    mark(pg, DL_END, ST_SECT, 0, NULL, j) != 0)
			return -1;
	}
	return 0;
}

/* Closes the item's Sect on the pack's last page. */
static int
close_item(struct pack *P, sc_job *j)
{
	return mark(&P->out.pages[P->out.npages - 1], DL_END, ST_SECT, 0, NULL,
	    j);
}

static int
join(struct pack *P, sc_job *j, struct merge_part **mp, size_t *nmp)
{
	int i, a, k = 0, graft = 0;

	dl_init(&P->out, &P->a);
	P->out.source_date = j->ctx->source_date;
	P->out.pdfa_part = j->pdfa_part;
	P->out.pdfa_conformance = j->pdfa_conformance;
	P->out.pdfua = j->pdfua;
	P->out.lang = P->lang ? P->lang : "en-GB";
	P->out.title = arena_printf(&P->a, "%s, %s: agenda%s", P->committee,
	    P->date, P->part_b ? ", Part B (not for publication)" : "");
	P->out.author = P->org;
	P->out.subject = P->committee;
	/* The front sheet: its own Sect and outline entry. */
	{
		size_t p;
		for (p = 0; p < P->agenda_dl.npages; p++) {
			struct dl_page *pg = take_page(P, j,
			    &P->agenda_dl.pages[p]);
			if (pg == NULL)
				return -1;
			if (p == 0 && (mark(pg, DL_BEGIN, ST_SECT, 0, NULL, j) != 0 ||
			    outline(j, pg, 1, "agenda", P->part_b ?
			    "Agenda: Part B" : "Agenda") != 0))
				return -1;
			if (move_ops(P, j, pg, &P->agenda_dl.pages[p], 0) != 0)
				return -1;
		}
		if (close_item(P, j) != 0)
			return -1;
	}
	for (i = 0; i < P->nitems; i++) {
		struct pitem *it = &P->items[i];
		if (!it->in || it->end == it->first)
			continue;
		if (it->notice != NULL) {
			if (join_dl(P, j, &it->notice_dl, ++k, it, 1, NULL, 0, NULL) !=
			    0 || close_item(P, j) != 0)
				return -1;
			continue;
		}
		for (a = -1; a < it->napp; a++) {
			struct ppart *pt = a < 0 ? &it->body : &it->app[a];
			const char *atitle = a < 0 ? NULL : pt->title;
			k++;
			if (pt->kind == PART_PDF) {
				struct merge_part *m;
				pt->graft = ++graft;
				if (grow((void **)mp, (int)*nmp, sizeof(**mp)) != 0) {
					diag_oom(&j->diags, NULL, 0, "out of memory joining "
					    "the pack");
					return -1;
				}
				m = &(*mp)[(*nmp)++];
				memset(m, 0, sizeof(*m));
				m->path = pt->path;
				m->def_file = P->file;
				m->def_line = pt->line;
				m->first = P->out.npages;
				m->pages = pt->npages;
				m->outline_title = atitle ? atitle : arena_printf(&P->a,
				    "%s. %s", it->number, it->title);
				m->graft = pt->graft;
				m->probe = &pt->probe;
				/* The pack claims PDF/A only if what it merges does:
				 * a claim over pages from elsewhere that never met the
				 * standard would be a false one in the archive. */
				if (P->out.pdfa_part > 0 && pt->probe.pdfa_part == 0) {
					diag_warn(&j->diags, P->file, pt->line, "item %s: "
					    "\"%s\" is not a PDF/A file, so the pack is written "
					    "without its PDF/A-%d claim and cannot be archived "
					    "as PDF/A; export it again as PDF/A (Word: Save as "
					    "PDF, Options, \"PDF/A compliant\"), or build with "
					    "--pdfa=none to say so", it->number, pt->path,
					    P->out.pdfa_part);
					P->out.pdfa_part = 0;
				}
				m->untagged_alt = arena_printf(&P->a, "%s, page %%d of "
				    "%%d: a PDF without tags; ask the clerk for an "
				    "accessible copy", atitle ? atitle : it->title);
			}
			if (join_dl(P, j, pt->kind == PART_REPORT ? &pt->job->dl :
			    NULL, k, it, a < 0, atitle, pt->kind == PART_PDF ?
			    pt->graft : 0, &pt->probe) != 0)
				return -1;
		}
		if (close_item(P, j) != 0)
			return -1;
	}
	return P->a.oom ? -1 : 0;
}

/*
 * Each page range the front sheet prints becomes a link to its item's
 * first page (a Link element round the text, as layout tags links): in
 * a 300-page pack the agenda is how a reader gets about. The front
 * sheet's pages are the pack's first.
 */
static int
link_ranges(struct pack *P, sc_job *j)
{
	size_t p, i, front = P->agenda_dl.npages;
	int it;

	for (p = 0; p < front && p < P->out.npages; p++) {
		struct dl_page *pg = &P->out.pages[p], np;
		int hits = 0, cell = 0;
		memset(&np, 0, sizeof(np));
		np.width = pg->width;
		np.height = pg->height;
		if (dl_reserve(&np, pg->n + 16) != 0)
			goto oom;
		for (i = 0; i < pg->n; i++) {
			const struct dl_op *o = &pg->ops[i];
			struct dl_op t = *o, lk;
			const struct pitem *hit = NULL;
			/* Only the agenda's third column, Pages: a title or typed
			 * text that reads "5" is not a range. */
			if (o->kind == DL_BEGIN && o->st == ST_TR)
				cell = 0;
			else if (o->kind == DL_BEGIN && (o->st == ST_TD ||
			    o->st == ST_TH))
				cell++;
			for (it = 0; cell == 3 && o->kind == DL_TEXT && o->text != NULL &&
			    it < P->nitems && hit == NULL; it++) {
				const struct pitem *x = &P->items[it];
				const char *r;
				if (x->in && x->end > x->first &&
				    (r = range_of(P, x)) != NULL &&
				    strcmp(r, o->text) == 0)
					hit = x;
			}
			if (hit == NULL) {
				if (push(&np, o, j) == NULL)
					goto oom;
				continue;
			}
			hits++;
			t.colour = P->t.c_link;
			memset(&lk, 0, sizeof(lk));
			lk.kind = DL_LINK;
			lk.x = o->x;
			lk.y = o->y - o->size * 0.9;
			lk.w = o->w;
			lk.h = o->size * 1.2;
			lk.anchor = arena_printf(&P->a, "item-%s", hit->number);
			lk.text = arena_printf(&P->a, "Item %s, %s", hit->number,
			    hit->title ? hit->title : "");
			if (lk.anchor == NULL || lk.text == NULL ||
			    mark(&np, DL_BEGIN, ST_LINK, 0, NULL, j) != 0 ||
			    push(&np, &t, j) == NULL || push(&np, &lk, j) == NULL ||
			    mark(&np, DL_END, ST_LINK, 0, NULL, j) != 0)
				goto oom;
		}
		if (hits == 0) {
			free(np.ops);
			continue;
		}
		free(pg->ops);
		pg->ops = np.ops;
		pg->n = np.n;
		pg->cap = np.cap;
		continue;
oom:
		free(np.ops);
		diag_oom(&j->diags, NULL, 0, "out of memory joining the pack");
		return -1;
	}
	return 0;
}

static int
stamp_all(struct pack *P, sc_job *j)
{
	size_t p;

	for (p = 0; p < P->out.npages; p++)
		if (stamp_footer(P, j, &P->out.pages[p], p) != 0)
			return -1;
	return 0;
}

/* ---- the whole ------------------------------------------------------- */

static void
pack_free(struct pack *P)
{
	int i, k;

	for (i = 0; i < P->nitems; i++) {
		struct pitem *it = &P->items[i];
		sc_job_free(it->body.job);
		merge_probe_free(&it->body.probe);
		for (k = 0; k < it->napp; k++) {
			sc_job_free(it->app[k].job);
			merge_probe_free(&it->app[k].probe);
		}
		free(it->app);
		free(it->text);
		dl_free(&it->notice_dl);
		doc_free(it->notice);
	}
	free(P->items);
	free(P->members);
	free(P->subs);
	free(P->notices);
	dl_free(&P->agenda_dl);
	doc_free(P->agenda);
	dl_free(&P->out);
	fontset_free(&P->fs);
	arena_free(&P->a);
}

int
pack_sniff(const char *path)
{
	return root_sniff(path, "pack");
}

int
root_sniff(const char *path, const char *root)
{
	size_t rn = strlen(root);
	struct stat st;
	FILE *f;
	int c, d, p1, p2, k, rc = 0, first = 1;
	/* Never blocks (a FIFO named as the definition): regular files only;
	 * anything else is left to the report loader's messages. */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return 0;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    (f = fdopen(fd, "rb")) == NULL) {
		close(fd);
		return 0;
	}
	/* Past a byte order mark, the declaration, comments and white space
	 * to the root, however long they are (a licence in a comment). */
	for (;;) {
		c = getc(f);
		if (first && c == 0xEF && getc(f) == 0xBB && getc(f) == 0xBF) {
			first = 0;
			continue;
		}
		first = 0;
		if (c != EOF && isspace(c))
			continue;
		if (c != '<')
			break;
		if ((c = getc(f)) == '!' && (c = getc(f)) != '-') {
			/* <!DOCTYPE pack ...> is a pack, so that reading it says
			 * that a DOCTYPE is not allowed, not that it is no pack
			 * (and so for any root). */
			for (k = 0; k < 7 && c == "DOCTYPE"[k]; k++)
				c = getc(f);
			if (k < 7 || c == EOF || !isspace(c))
				break;
			while (c != EOF && isspace(c))
				c = getc(f);
		} else if (c == '?' || c == '-') {
			/* "<?" to "?>"; "<!--" to "-->". */
			int pi = c == '?';
			if (!pi && getc(f) != '-')
				break;
			p1 = p2 = 0;
			while ((d = getc(f)) != EOF && !(d == '>' && (pi ?
			    p1 == '?' : p1 == '-' && p2 == '-'))) {
				p2 = p1;
				p1 = d;
			}
			if (d == EOF)
				break;
			continue;
		}
		for (k = 0; k < (int)rn && c == root[k]; k++)
			c = getc(f);
		rc = k == (int)rn && (c == '>' || c == '[' ||
		    (c != EOF && isspace(c)));
		break;
	}
	fclose(f);
	return rc;
}

/* A -D reaches the reports that declare it; one that none declares is a
 * typing error, as it is for one report. */
static int
unused_defines(struct pack *P, sc_job *j)
{
	size_t d;
	int i, k, a, rc = 0;

	for (d = 0; d < j->ndefines; d++) {
		int used = 0;
		for (i = 0; i < P->nitems && !used; i++)
			for (a = -1; a < P->items[i].napp && !used; a++) {
				const struct ppart *pt = a < 0 ? &P->items[i].body :
				    &P->items[i].app[a];
				const struct doc *doc = pt->job ? pt->job->doc : NULL;
				for (k = 0; doc != NULL && k < (int)doc->nparams; k++)
					used |= strcmp(doc->params[k].name,
					    j->defines[d].name) == 0;
			}
		if (used)
			j->define_used[d] = 1;
		/* A batch's -D (sc_job_define_optional()) may reach none. */
		else if (!j->defines[d].optional) {
			diag_err(&j->diags, P->file, P->template_line, "-D %s: no "
			    "report of this pack has <param name=\"%s\">; check "
			    "the name, or leave it out", j->defines[d].name,
			    j->defines[d].name);
			rc = -1;
		}
	}
	return rc;
}

/* Reads the pack, picks this part's items and builds each of them. */
static int
pack_load(struct pack *P, sc_job *j)
{
	char a[PATH_MAX + 8], b[PATH_MAX + 8];
	const char *dirs[2];
	int i, k, rc = 0, any = 0;

	arena_init(&P->a);
	if (j->ndefines > 0)
		memset(j->define_used, 0, j->ndefines);
	P->part_b = j->part != NULL && strcmp(j->part, "b") == 0;
	path_inputs_free(&j->inputs);
	path_inputs_free(&j->missing);
	if (path_inputs_add(&j->inputs, j->definition, "pack definition") != 0)
		diag_oom(&j->diags, j->definition, 0, "out of memory reading the "
		    "pack");
	if (pack_read(P, j) != 0)
		return SC_EINPUT;
	{
		char tp[PATH_MAX + 64];
		if (job_template_path(j, P->template_name, P->file,
		    P->template_line, P->dir, &P->a, tp, sizeof(tp)) != 0)
			return SC_EINPUT;
		if ((P->tpath = arena_strdup(&P->a, tp)) == NULL ||
		    path_inputs_add(&j->inputs, tp, "template") != 0) {
			diag_oom(&j->diags, tp, 0, "out of memory reading the "
			    "template");
			return SC_EINTERNAL;
		}
	}
	job_font_dirs(j, P->dir, a, b, sizeof(a), dirs);
	if (fontset_init(&P->fs, dirs, 2) != 0) {
		diag_err(&j->diags, NULL, 0, "fontconfig cannot start");
		return SC_EINTERNAL;
	}
	for (i = 0; i < P->nitems; i++) {
		struct pitem *it = &P->items[i];
		it->in = P->part_b ? it->exempt != 0 : 1;
		any |= it->in;
	}
	if (!any) {
		diag_err(&j->diags, P->file, P->template_line, "there are no "
		    "exempt items, so there is no Part B pack to make; build "
		    "the public pack (--part a)");
		return SC_EINPUT;
	}
	for (i = 0; i < P->nitems; i++) {
		struct pitem *it = &P->items[i];
		if (!it->in)
			continue;
		/* The public pack never holds an exempt report: not even
		 * built, so that nothing of it can leak into the file. */
		if (it->exempt && !P->part_b)
			continue;
		for (k = -1; k < it->napp; k++) {
			struct ppart *pt = k < 0 ? &it->body : &it->app[k];
			if (pt->kind == PART_REPORT && build_report(P, j, it, pt) != 0)
				rc = -1;
			else if (pt->kind == PART_PDF && probe_pdf(P, j, it, pt) != 0)
				rc = -1;
		}
	}
	if (rc == 0 && unused_defines(P, j) != 0)
		rc = -1;
	return rc != 0 ? SC_EINPUT : SC_OK;
}

int
pack_check(sc_job *j)
{
	struct pack P;
	int rc;

	memset(&P, 0, sizeof(P));
	rc = pack_load(&P, j);
	pack_free(&P);
	return rc;
}

/* ---- the HTML edition ------------------------------------------------- */

/* A line of what an agenda item says, added to the note in b. */
static void
note_line(struct buf *b, const char *s)
{
	if (s == NULL || *s == '\0')
		return;
	if (b->len > 0)
		buf_putc(b, '\n');
	buf_puts(b, s);
}

/*
 * The public pack as web pages: dir/index.html, the agenda (the
 * meeting's details, its items in order, each report item linking to its
 * page), and dir/item-N.html for each report item (N its place on the
 * agenda, whatever it is numbered). An exempt item is listed with its
 * notice and nothing of it is written (it was never built); a PDF is
 * named, not copied.
 */
static int
pack_html_write(struct pack *P, sc_job *j, const char *dir)
{
	struct template t;
	struct html_field fields[8], blocks[64];
	struct html_item *items;
	struct html_agenda ag;
	struct html_page pg = { "index.html", "Back to the agenda" };
	struct buf page, b;
	size_t nf = 0, nb = 0, ni = 0;
	int i, k, rc = SC_OK;

	if (tpl_load(&t, P->tpath, &P->a, &j->diags) != 0)
		return SC_EINPUT;
	if ((items = calloc((size_t)P->nitems + 1, sizeof(*items))) == NULL) {
		diag_oom(&j->diags, P->file, 0, "out of memory writing the HTML "
		    "edition");
		return SC_EINTERNAL;
	}
	fields[nf++] = (struct html_field){ "Organisation", P->org };
	fields[nf++] = (struct html_field){ "Meeting", P->committee };
	if (P->date != NULL) {
		struct numfmt f;
		char err[64];
		buf_init(&b);
		if (numfmt_parse(t.date_format, &f, err, sizeof(err)) != 0 ||
		    !f.is_date || numfmt_date(&f, P->date, &b) != 0) {
			buf_reset(&b);
			buf_puts(&b, P->date);
		}
		fields[nf++] = (struct html_field){ "Date",
		    b.data ? arena_strdup(&P->a, b.data) : P->date };
		buf_free(&b);
	}
	fields[nf++] = (struct html_field){ "Time", P->time };
	fields[nf++] = (struct html_field){ "Venue", P->venue };
	for (k = 0; k < (int)nf; k++)
		if (fields[k].value == NULL) {
			memmove(&fields[k], &fields[k + 1], (nf - (size_t)k - 1) *
			    sizeof(*fields));
			nf--;
			k--;
		}
	for (i = 0; i < P->nitems && rc == SC_OK; i++) {
		struct pitem *it = &P->items[i];
		struct html_item *h = &items[ni];
		if (!it->in)
			continue;
		ni++;
		h->number = it->number;
		h->title = it->title ? it->title : "";
		buf_init(&b);
		if (it->report_of != NULL)
			buf_printf(&b, "Report of: %s", it->report_of);
		for (k = 0; k < it->ntext; k++)
			note_line(&b, it->text[k]);
		if (it->exempt) {
			buf_printf(&b, "%sExempt: paragraph %d of Part 1 of Schedule "
			    "12A to the Local Government Act 1972 (not in this "
			    "public edition)", b.len ? "\n" : "", it->exempt);
		} else if (it->body.kind == PART_REPORT && it->body.job != NULL) {
			const char *name = arena_printf(&P->a, "item-%d.html", i + 1);
			h->href = name;
			if (name == NULL)
				rc = SC_EINTERNAL;
			else
				rc = job_html(it->body.job, dir, name, &pg);
			if (rc != SC_OK)
				take_diags(j, &it->body.job->diags);
		} else if (it->body.kind == PART_PDF)
			note_line(&b, "A PDF document: in the agenda pack (PDF), not "
			    "in this edition");
		for (k = 0; k < it->napp && !it->exempt; k++)
			buf_printf(&b, "%s%s%s", b.len ? "\n" : "", it->app[k].title ?
			    it->app[k].title : "Appendix", it->app[k].kind == PART_PDF ?
			    " (a PDF document: in the agenda pack PDF)" : "");
		h->note = b.len && !b.oom ? arena_strdup(&P->a, b.data) : NULL;
		if (b.oom)
			rc = SC_EINTERNAL;
		buf_free(&b);
	}
	/* Membership, contact and the public's notices, as the front sheet
	 * prints them. */
	buf_init(&b);
	for (i = 0; i < P->nmembers; i++)
		buf_printf(&b, "%s%s%s%s%s", i ? "\n" : "", P->members[i].name,
		    P->members[i].role ? " (" : "", P->members[i].role ?
		    P->members[i].role : "", P->members[i].role ? ")" : "");
	for (i = 0; i < P->nsubs; i++)
		buf_printf(&b, "%s%s", i == 0 ? (b.len ? "\nSubstitutes: " :
		    "Substitutes: ") : ", ", P->subs[i]);
	if (P->quorum != NULL)
		buf_printf(&b, "%sQuorum: %s", b.len ? "\n" : "", P->quorum);
	if (b.len > 0)
		blocks[nb++] = (struct html_field){ "Membership",
		    arena_strdup(&P->a, b.data) };
	buf_reset(&b);
	if (P->c_name != NULL) {
		buf_puts(&b, P->c_name);
		if (P->c_role != NULL)
			buf_printf(&b, ", %s", P->c_role);
		if (P->c_phone != NULL)
			buf_printf(&b, "\nTelephone: %s", P->c_phone);
		if (P->c_email != NULL)
			buf_printf(&b, "\nEmail: %s", P->c_email);
		blocks[nb++] = (struct html_field){ "Contact",
		    arena_strdup(&P->a, b.data) };
	}
	if (b.oom)
		rc = SC_EINTERNAL;
	buf_free(&b);
	for (i = 0; i < P->nnotices && nb < sizeof(blocks) / sizeof(blocks[0]);
	    i++)
		blocks[nb++] = (struct html_field){ P->notices[i].title,
		    P->notices[i].text };
	memset(&ag, 0, sizeof(ag));
	ag.lang = P->lang ? P->lang : t.lang;
	ag.title = arena_printf(&P->a, "Agenda: %s", P->committee ?
	    P->committee : "meeting");
	ag.fields = fields;
	ag.nfields = nf;
	ag.blocks = blocks;
	ag.nblocks = nb;
	ag.items = items;
	ag.nitems = ni;
	if (rc == SC_OK && (P->a.oom || ag.title == NULL))
		rc = SC_EINTERNAL;
	buf_init(&page);
	if (rc == SC_OK && html_agenda(&page, &ag, &t, &j->diags) != 0)
		rc = SC_EINTERNAL;
	if (rc == SC_OK)
		rc = html_write(dir, "index.html", &page, &j->inputs, j->temp,
		    &j->diags);
	if (rc == SC_EINTERNAL && j->diags.errors == 0)
		diag_oom(&j->diags, P->file, 0, "out of memory writing the HTML "
		    "edition");
	buf_free(&page);
	free(items);
	return rc;
}

/* The Part B pack is for members only: it has no web edition. */
static int
html_part_a(sc_job *j)
{
	if (j->part == NULL || strcmp(j->part, "b") != 0)
		return 0;
	diag_err(&j->diags, NULL, 0, "--html writes the public edition, and "
	    "Part B is not for publication; leave out --part b");
	return -1;
}

int
pack_html(sc_job *j, const char *dir)
{
	struct pack P;
	int rc;

	if (html_part_a(j) != 0)
		return SC_EUSAGE;
	memset(&P, 0, sizeof(P));
	if ((rc = pack_load(&P, j)) == SC_OK)
		rc = pack_html_write(&P, j, dir);
	pack_free(&P);
	return rc;
}

struct fill_pack {
	struct pack       *P;
	sc_job            *j;
	struct merge_part *parts;
	size_t             nparts;
};

static int
fill_pack(const char *tmp, const char *name, void *arg, struct diags *diags)
{
	struct fill_pack *f = arg;
	unsigned char *data;
	size_t len;
	int rc;

	/* Previews draw the pages again; otherwise they go as written. */
	int consume = f->j->preview == NULL;

	struct backend_out o = { f->nparts ? NULL : tmp, name, consume, 0,
		&data, &len, &f->j->inputs };

	/* With appendices, the pack's pages are written into memory and
	 * merged with them into tmp. */
	data = NULL;
	len = 0;
	if (job_cancelled(f->j) ||
	    backend_write(&backend_pdf, &f->P->out, &f->P->fs, &o, diags) != 0)
		return -1;
	if (f->nparts == 0)
		return job_cancelled(f->j) ? -1 : 0;
	rc = merge_write_mem(data, len, f->parts, f->nparts, tmp, diags);
	free(data);
	/* Last before the rename: an interrupted batch replaces nothing. */
	return rc != 0 || job_cancelled(f->j) ? -1 : 0;
}

int
pack_build(sc_job *j)
{
	struct pack P;
	struct fill_pack f;
	struct merge_part *parts = NULL;
	size_t nparts = 0, len = 0;
	int rc, i;
	long long t0;

	memset(&P, 0, sizeof(P));
	if (j->html != NULL && html_part_a(j) != 0)
		return SC_EUSAGE;
	if ((rc = pack_load(&P, j)) != SC_OK)
		goto out;
	/* The web edition first: joining moves the reports' pages into
	 * the pack's, and the charts are drawn from them. */
	if (j->html != NULL && (rc = pack_html_write(&P, j, j->html)) != SC_OK)
		goto out;
	rc = SC_EINPUT;
	for (i = 0; i < P.nitems; i++) {
		struct pitem *it = &P.items[i];
		char *xml;
		if (!it->in || !it->exempt || P.part_b)
			continue;
		xml = notice_xml(&P, it, &len);
		if (lay_generated(&P, j, xml, len, &it->notice, &it->notice_t,
		    &it->notice_dl) != 0)
			goto out;
	}
	if (lay_agenda(&P, j) != 0 || join(&P, j, &parts, &nparts) != 0 ||
	    link_ranges(&P, j) != 0 || stamp_all(&P, j) != 0)
		goto out;
	if (j->want_dump) {
		struct buf b;
		buf_init(&b);
		dl_dump(&P.out, &b);
		free(j->dump);
		j->dump = b.data;
		if (b.oom) {
			diag_oom(&j->diags, NULL, 0, "out of memory keeping the "
			    "--dump");
			rc = SC_EINTERNAL;
			goto out;
		}
	}
	/* Every string of the pack's own pages is in its arena: one that
	 * could not be made would leave a hole, so nothing is written. */
	if (P.a.oom) {
		diag_oom(&j->diags, P.file, 0, "out of memory making the pack");
		rc = SC_EINTERNAL;
		goto out;
	}
	j->pages = (int)P.out.npages;
	f.P = &P;
	f.j = j;
	f.parts = parts;
	f.nparts = nparts;
	t0 = clock_ns();
	rc = output_write(j->output, &j->inputs, j->temp, fill_pack, &f,
	    &j->diags);
	if (rc == SC_OK)
		job_time_note(j, P.file, 0, "writing the pack (its appendices "
		    "merged in)", t0);
	/* An appendix page's preview shows only the pack's footer: its
	 * content is the PDF's, merged as it is. */
	if (rc == SC_OK && j->preview != NULL)
		rc = job_previews(j, &P.out, &P.fs);
out:
	if (rc != SC_OK)
		j->pages = 0;
	free(parts);
	pack_free(&P);
	return rc;
}
