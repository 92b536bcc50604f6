#include "xml.h"

#include <errno.h>
#include <stdint.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/SAX2.h>
#include <libxml/relaxng.h>
#include <libxml/xmlerror.h>

#include "../util/buf.h"
#include "../util/lib.h"
#include "../util/path.h"

/* Generated from the schema folder by the Makefile. */
extern const unsigned char sc_schema_report[];
extern const size_t sc_schema_report_len;
extern const unsigned char sc_schema_template[];
extern const size_t sc_schema_template_len;
extern const unsigned char sc_schema_pack[];
extern const size_t sc_schema_pack_len;

struct xml_ctx {
	struct diags *diags;
	const char   *path;
	int           count;
	int           parse_errors;
	int           elements;
	const char   *data;     /* the raw text being parsed, or NULL */
	size_t        len;
};

/* Nothing outside the file is ever loaded: no DTD, no external entity.
 * This context's SAX resolver, not xmlSetExternalEntityLoader(): that one
 * is process-wide, and swapping it round each parse raced with the
 * parses of other threads (and of the host program). */
static xmlParserInputPtr
deny_entity(void *ctx, const xmlChar *public_id, const xmlChar *system_id)
{
	(void)ctx; (void)public_id; (void)system_id;
	return NULL;
}

/* Rewrites libxml2's wording into a sentence that says what to do. */
static void
rewrite(struct buf *out, const char *msg)
{
	char a[128], b[128];
	int la;

	if (sscanf(msg, "Opening and ending tag mismatch: %127s line %d and "
	    "%127[^\n]", a, &la, b) == 3)
		buf_printf(out, "<%s> (opened on line %d) is not closed; add "
		    "</%s> before </%s>", a, la, a, b);
	else if (strncmp(msg, "Excessive depth in document", 27) == 0)
		buf_puts(out, "elements are nested more than 256 deep; flatten "
		    "the structure");
	else if (strncmp(msg, "Extra content at the end of the document", 40)
	    == 0)
		buf_puts(out, "there is more after the end of the root element; "
		    "remove it (a file holds one <report> or one <template>)");
	else if (strncmp(msg, "xmlParseEntityRef: no name", 26) == 0)
		buf_puts(out, "a bare \"&\" is not allowed; write it as &amp;");
	else if (strncmp(msg, "Input is not proper UTF-8", 25) == 0) {
		const char *bytes = strstr(msg, "Bytes: ");
		unsigned v = 0;
		if (bytes != NULL && sscanf(bytes, "Bytes: 0x%x", &v) == 1)
			buf_printf(out, "the file is not valid UTF-8 (byte 0x%02X); "
			    "save it as UTF-8", v);
		else
			buf_puts(out, "the file is not valid UTF-8; save it as "
			    "UTF-8");
	} else if (strncmp(msg, "Unescaped '<' not allowed in attributes", 39)
	    == 0 || strncmp(msg, "attributes construct error", 26) == 0 ||
	    strncmp(msg, "Couldn't find end of Start Tag", 30) == 0) {
		if (sscanf(msg, "Couldn't find end of Start Tag %127s", a) == 1)
			buf_printf(out, "the <%s> tag is not closed; check that each "
			    "attribute value ends with the same quote it starts "
			    "with", a);
		else
			buf_puts(out, "a tag is not closed; check that each "
			    "attribute value ends with the same quote it starts "
			    "with");
	} else if (sscanf(msg, "Did not expect element %127s there", a) == 1)
		buf_printf(out, "element <%s> is not allowed here; see "
		    "scrutineer-format(5) for what may go where", a);
	else if (sscanf(msg, "Element %127s has extra content: %127[^, \n]", a,
	    b) == 2)
		buf_printf(out, "<%s> may not contain <%s>; move or remove it",
		    a, b);
	else if (sscanf(msg, "Invalid attribute %127s for element %127s", a, b) == 2)
		buf_printf(out, "<%s> has no attribute \"%s\"; check its "
		    "spelling in scrutineer-format(5)", b, a);
	else if (sscanf(msg, "Element %127s failed to validate attributes", a) == 1)
		buf_printf(out, "<%s> has an attribute with a wrong value", a);
	else if (sscanf(msg, "Expecting element %127[^,], got %127[^, \n]", a,
	    b) == 2)
		buf_printf(out, "expected <%s> here, found <%s>", a, b);
	else if (sscanf(msg, "Expecting an element %127[^,], got nothing", a)
	    == 1)
		buf_printf(out, "<%s> is missing here; add it", a);
	else if (sscanf(msg, "Extra element %127s in interleave", a) == 1)
		buf_printf(out, "<%s> is not allowed here, or appears twice, or "
		    "has an attribute with a wrong value", a);
	else if (sscanf(msg, "Element %127s failed to validate content", a) == 1)
		buf_printf(out, "<%s> is missing something it needs", a);
	else if (strncmp(msg, "Expecting a namespace for element", 33) == 0)
		buf_printf(out, "%s", msg);
	else
		buf_puts(out, msg);
}

/*
 * libxml2 says "Unescaped '<' not allowed in attributes values" both for
 * title="a < b" and for a value whose closing quote is missing or wrong
 * (title="Intro'>, then the next tag's "<"). Told apart by the raw text:
 * a "<" is really in a value when the value opened on its line and the
 * same quote closes it further along that line. col is libxml2's column
 * of the "<", in characters from 1.
 */
static int
lt_in_value(const char *data, size_t len, int line, int col)
{
	const char *p = data, *end = data + len, *eol, *lt;
	size_t q, e;
	int l = 1;

	if (data == NULL || line <= 0 || col <= 0)
		return 0;
	for (; p < end && l < line; p++)
		l += *p == '\n';
	if ((eol = memchr(p, '\n', (size_t)(end - p))) == NULL)
		eol = end;
	/* libxml2 counts characters, not bytes. */
	for (lt = p; lt < eol && col > 1; lt++)
		col -= lt + 1 == eol || ((unsigned char)lt[1] & 0xC0) != 0x80;
	if (lt >= eol || *lt != '<')
		return 0;
	/* Back to the quote that opened the value: one just after "=". */
	for (q = (size_t)(lt - p); q > 0; q--)
		if (p[q - 1] == '"' || p[q - 1] == '\'') {
			for (e = q - 1; e > 0 && (p[e - 1] == ' ' ||
			    p[e - 1] == '\t'); e--)
				;
			if (e > 0 && p[e - 1] == '=')
				break;
		}
	return q > 0 && memchr(lt, p[q - 1], (size_t)(eol - lt)) != NULL;
}

static void
on_error(void *arg, xmlErrorPtr e)
{
	struct xml_ctx *c = arg;
	struct buf msg;
	size_t n;
	int line;

	if (e == NULL || e->message == NULL)
		return;
	line = e->line;
	/* Validity errors often carry the node rather than a line. */
	if (line <= 0 && e->node != NULL)
		line = xml_line((xmlNodePtr)e->node);
	buf_init(&msg);
	if (e->domain == XML_FROM_PARSER && e->code == XML_ERR_LT_IN_ATTRIBUTE &&
	    lt_in_value(c->data, c->len, line, e->int2))
		buf_puts(&msg, "unescaped \"<\" inside an attribute value; "
		    "write &lt;");
	else
		rewrite(&msg, e->message);
	/* libxml2 ends messages with a newline; ours do not. */
	n = msg.len;
	while (n > 0 && (msg.data[n - 1] == '\n' || msg.data[n - 1] == ' '))
		msg.data[--n] = '\0';
	/* After the first syntax error libxml2 reports its consequences;
	 * the first is the one to fix. */
	if (e->domain == XML_FROM_PARSER && c->parse_errors++ > 0) {
		buf_free(&msg);
		return;
	}
	if (e->domain == XML_FROM_PARSER &&
	    (e->code == XML_WAR_UNDECLARED_ENTITY ||
	    e->code == XML_ERR_UNDECLARED_ENTITY))
		diag_err(c->diags, c->path, line,
		    "entity references other than &amp; &lt; &gt; &quot; "
		    "&apos; and &#NNN; are not allowed; write the character "
		    "itself");
	else if (e->level == XML_ERR_WARNING)
		diag_warn(c->diags, c->path, line, "%s",
		    msg.data ? msg.data : "");
	else if (e->domain != XML_FROM_RELAXNGV ||
	    strstr(msg.data ? msg.data : "", "wrong value") == NULL ||
	    c->count == 0)
		diag_err(c->diags, c->path, line, "%s",
		    msg.data ? msg.data : "");
	c->count++;
	buf_free(&msg);
}

char *
xml_slurp(const char *path, size_t *len, struct diags *diags)
{
	FILE *f;
	char *data = NULL;
	size_t n = 0, cap = 0, r;

	/* Never blocks: a FIFO or a device is refused, not waited on. */
	if ((f = path_fopen(path, NULL, diags, NULL, 0)) == NULL)
		return NULL;
	for (;;) {
		if (cap - n < 65536) {
			char *p;
			cap = cap ? cap * 2 : 65536;
			if (cap > XML_MAX_BYTES + 65536) {
				diag_err(diags, path, 0, "the file is larger "
				    "than %u MiB; split it", XML_MAX_BYTES >> 20);
				free(data);
				fclose(f);
				return NULL;
			}
			if ((p = realloc(data, cap)) == NULL) {
				diag_oom(diags, path, 0, "out of memory reading the file");
				free(data);
				fclose(f);
				return NULL;
			}
			data = p;
		}
		r = fread(data + n, 1, cap - n, f);
		n += r;
		if (r == 0)
			break;
	}
	if (ferror(f)) {
		diag_err(diags, NULL, 0, "%s: cannot read: %s", path,
		    strerror(errno));
		free(data);
		fclose(f);
		return NULL;
	}
	fclose(f);
	if (n > XML_MAX_BYTES) {
		diag_err(diags, path, 0, "the file is larger than %u MiB; "
		    "split it", XML_MAX_BYTES >> 20);
		free(data);
		return NULL;
	}
	*len = n;
	return data;
}

static const char *
memmem_str(const char *h, size_t n, const char *needle)
{
	size_t k = strlen(needle), i;

	for (i = 0; i + k <= n; i++)
		if (h[i] == needle[0] && memcmp(h + i, needle, k) == 0)
			return h + i;
	return NULL;
}

/* SAX2's element start, refusing an element with too many attributes
 * before libxml2 builds them into a list. */
static void
start_element(void *ctx, const xmlChar *name, const xmlChar *prefix,
    const xmlChar *uri, int nns, const xmlChar **ns, int nattrs,
    int ndefaulted, const xmlChar **attrs)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct xml_ctx *c = ctxt->_private;

	if (++c->elements > XML_MAX_ELEMENTS) {
		diag_err(c->diags, c->path, xmlSAX2GetLineNumber(ctx), "the file "
		    "has more than %d elements; split it into several reports",
		    XML_MAX_ELEMENTS);
		c->parse_errors++;
		xmlStopParser(ctxt);
		return;
	}
	if (nattrs > XML_MAX_ATTRS) {
		diag_err(c->diags, c->path, xmlSAX2GetLineNumber(ctx), "<%s> has "
		    "%d attributes; no element may have more than %d",
		    (const char *)name, nattrs, XML_MAX_ATTRS);
		c->parse_errors++;
		xmlStopParser(ctxt);
		return;
	}
	xmlSAX2StartElementNs(ctx, name, prefix, uri, nns, ns, nattrs,
	    ndefaulted, attrs);
	/* Where the start tag begins in the raw text, for xml_attr_src():
	 * libxml2 is at its closing ">" or "/>" here, and no "<" can stand
	 * inside a tag. Kept as offset + 1 in the node's application
	 * pointer (0: not known). */
	if (c->data != NULL && ctxt->node != NULL) {
		long off = xmlByteConsumed(ctxt);
		if (off > 0 && (size_t)off < c->len && (c->data[off] == '>' ||
		    c->data[off] == '/')) {
			while (off > 0 && c->data[off] != '<')
				off--;
			if (c->data[off] == '<')
				ctxt->node->_private = (void *)(uintptr_t)(off + 1);
		}
	}
}

xmlDocPtr
xml_read(const char *path, struct diags *diags)
{
	size_t len;
	char *data = xml_slurp(path, &len, diags);
	xmlDocPtr doc;

	if (data == NULL)
		return NULL;
	doc = xml_parse(data, len, path, diags);
	free(data);
	return doc;
}

/* The line number of p in data. */
static int
line_at(const char *data, const char *p)
{
	int line = 1;

	for (; data < p; data++)
		line += *data == '\n';
	return line;
}

xmlDocPtr
xml_parse(const char *data, size_t len, const char *path,
    struct diags *diags)
{
	struct xml_ctx c = { diags, path, 0, 0, 0, data, len };
	xmlParserCtxtPtr ctxt;
	xmlDocPtr doc;
	int errs = diags->errors;

	if (len > XML_MAX_BYTES) {
		diag_err(diags, path, 0, "the file is larger than %u MiB; "
		    "split it", XML_MAX_BYTES >> 20);
		return NULL;
	}
	/* libxml2 stops at a NUL byte without a word, so whatever follows
	 * one would be dropped silently. */
	{
		const char *z = memchr(data, '\0', len);
		if (z != NULL) {
			diag_err(diags, path, line_at(data, z), "the file contains "
			    "a NUL byte, so it is not a text file; save it as UTF-8 "
			    "text");
			return NULL;
		}
	}
	/* No DTD is ever parsed: entity expansion (billion laughs),
	 * external entities and DTDs from URLs all start here. */
	{
		const char *d = memmem_str(data, len, "<!DOCTYPE");
		if (d != NULL) {
			diag_err(diags, path, line_at(data, d), "a <!DOCTYPE> is not allowed "
			    "(no DTDs or entities); remove it");
			return NULL;
		}
	}
	lib_init();
	/* The error handler is libxml2's per-thread state. */
	xmlSetStructuredErrorFunc(&c, on_error);
	/* No XML_PARSE_NOENT (entities stay unexpanded), no DTDLOAD, and
	 * NONET: nothing outside this buffer is read. BIG_LINES: without it
	 * every line past 65,535 is reported as line 65,535. */
	if ((ctxt = xmlNewParserCtxt()) == NULL) {
		xmlSetStructuredErrorFunc(NULL, NULL);
		diag_err(diags, path, 0, "out of memory");
		return NULL;
	}
	ctxt->_private = &c;
	ctxt->sax->startElementNs = start_element;
	/* Should a DTD get past the checks above (in an encoding memmem
	 * cannot read), neither its entities nor an external subset are
	 * fetched: the context's own SAX block (a copy) says so. */
	ctxt->sax->resolveEntity = deny_entity;
	ctxt->sax->externalSubset = NULL;
	doc = xmlCtxtReadMemory(ctxt, data, (int)len, path, NULL,
	    XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_BIG_LINES);
	xmlFreeParserCtxt(ctxt);
	xmlSetStructuredErrorFunc(NULL, NULL);
	if (doc == NULL) {
		if (diags->errors == errs)
			diag_err(diags, path, 0, "not well-formed XML");
		return NULL;
	}
	if (doc->intSubset != NULL || doc->extSubset != NULL) {
		xmlDtdPtr dtd = doc->intSubset ? doc->intSubset : doc->extSubset;
		diag_err(diags, path, xml_line((xmlNodePtr)dtd) > 0 ?
		    xml_line((xmlNodePtr)dtd) : 1,
		    "a <!DOCTYPE> is not allowed (no DTDs or entities); "
		    "remove it");
		xmlFreeDoc(doc);
		return NULL;
	}
	if (diags->errors != errs) {
		xmlFreeDoc(doc);
		return NULL;
	}
	return doc;
}

/*
 * Each schema is compiled once per process and shared: compiling the two
 * was a tenth of a short report's build, and a compiled schema is only
 * read while validating (each validation has its own context). Under a
 * mutex rather than pthread_once, so that a compilation that failed (out
 * of memory) is tried again by the next build. Kept until the process
 * ends.
 */
static pthread_mutex_t schema_lock = PTHREAD_MUTEX_INITIALIZER;
static xmlRelaxNGPtr schemas[SCHEMA_MAX];

/* The compiled schema, or NULL with the message of what failed. */
static xmlRelaxNGPtr
schema_get(enum xml_schema which, struct diags *diags)
{
	xmlRelaxNGParserCtxtPtr pctx;
	xmlRelaxNGPtr schema;

	pthread_mutex_lock(&schema_lock);
	if ((schema = schemas[which]) != NULL)
		goto out;
	if (which == SCHEMA_REPORT)
		pctx = xmlRelaxNGNewMemParserCtxt((const char *)sc_schema_report,
		    (int)sc_schema_report_len);
	else if (which == SCHEMA_PACK)
		pctx = xmlRelaxNGNewMemParserCtxt((const char *)sc_schema_pack,
		    (int)sc_schema_pack_len);
	else
		pctx = xmlRelaxNGNewMemParserCtxt(
		    (const char *)sc_schema_template,
		    (int)sc_schema_template_len);
	if (pctx == NULL) {
		diag_err(diags, NULL, 0, "internal: cannot load the schema");
		goto out;
	}
	schema = schemas[which] = xmlRelaxNGParse(pctx);
	xmlRelaxNGFreeParserCtxt(pctx);
	if (schema == NULL)
		diag_err(diags, NULL, 0, "internal: the built-in schema does "
		    "not compile");
out:
	pthread_mutex_unlock(&schema_lock);
	return schema;
}

int
xml_validate(xmlDocPtr doc, enum xml_schema which, const char *path,
    struct diags *diags)
{
	struct xml_ctx c = { diags, path, 0, 0, 0, NULL, 0 };
	xmlRelaxNGPtr schema;
	xmlRelaxNGValidCtxtPtr vctx;
	int rc;

	lib_init();
	if ((schema = schema_get(which, diags)) == NULL)
		return -1;
	vctx = xmlRelaxNGNewValidCtxt(schema);
	if (vctx == NULL) {
		diag_oom(diags, NULL, 0, "out of memory starting the schema check");
		return -1;
	}
	xmlRelaxNGSetValidStructuredErrors(vctx, on_error, &c);
	rc = xmlRelaxNGValidateDoc(vctx, doc);
	xmlRelaxNGFreeValidCtxt(vctx);
	if (rc != 0 && c.count == 0)
		diag_err(diags, path, 0, "does not match the schema");
	return rc == 0 ? 0 : -1;
}

const char *
xml_prop(xmlNodePtr n, const char *name, struct arena *a)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	const char *r;

	if (v == NULL)
		return NULL;
	r = arena_strdup(a, (const char *)v);
	xmlFree(v);
	return r;
}

const char *
xml_text(xmlNodePtr n, struct arena *a)
{
	xmlChar *v = xmlNodeGetContent(n);
	const char *r;

	if (v == NULL)
		return arena_strdup(a, "");
	r = arena_strdup(a, (const char *)v);
	xmlFree(v);
	return r;
}

int
xml_is(xmlNodePtr n, const char *name)
{
	return n != NULL && n->type == XML_ELEMENT_NODE &&
	    strcmp((const char *)n->name, name) == 0;
}

int
xml_attr_src(xmlNodePtr x, const char *data, size_t len, const char *name,
    struct arena *a, const char **shadow)
{
	uintptr_t at = (uintptr_t)x->_private;
	size_t i, k, n = strlen(name), vlen = 0;
	const char *p, *end, *v = NULL;
	char q = 0, *sh;
	int line = xml_line(x), breaks = 0;

	*shadow = NULL;
	if (data == NULL || at == 0 || at > len || line <= 0)
		return 0;
	/* The attribute in the start tag: a name outside quotes, "=", a
	 * quoted value. */
	for (p = data + at, end = data + len; p < end && *p != '>'; p++) {
		if (q != 0) {
			q = *p == q ? 0 : q;
			continue;
		}
		if (*p == '"' || *p == '\'') {
			q = *p;
			continue;
		}
		if ((p[-1] == ' ' || p[-1] == '\t' || p[-1] == '\n' ||
		    p[-1] == '\r') && (size_t)(end - p) > n &&
		    strncmp(p, name, n) == 0) {
			const char *e = p + n;
			while (e < end && strchr(" \t\r\n", *e) != NULL)
				e++;
			if (e >= end || *e != '=')
				continue;
			for (e++; e < end && strchr(" \t\r\n", *e) != NULL; e++)
				;
			if (e < end && (*e == '"' || *e == '\'')) {
				v = e + 1;
				q = *e;
				break;
			}
		}
	}
	if (v == NULL)
		return 0;
	while (v + vlen < end && v[vlen] != q)
		vlen++;
	if (v + vlen >= end)
		return 0;
	/* Its first line: the tag's last (libxml2's line) less the breaks
	 * from the value's start to the tag's end. */
	for (p = v; p < end; p++)
		if (q != 0)
			q = *p == q ? 0 : q;
		else if (*p == '"' || *p == '\'')
			q = *p;
		else if (*p == '>')
			break;
	for (k = (size_t)(v - data); k < (size_t)(p - data); k++)
		line -= data[k] == '\n';
	/* The value as read, one character per character: a reference
	 * (&gt;) is one, CR LF is one; '\n' where the file broke the line. */
	if (memchr(v, '\n', vlen) == NULL)
		return line;
	if ((sh = arena_alloc(a, vlen + 1)) == NULL)
		return line;
	for (i = 0, k = 0; i < vlen; i++) {
		if (v[i] == '&') {
			/* A character reference reads as its UTF-8 bytes. */
			const char *semi = memchr(v + i, ';', vlen - i);
			unsigned long cp = v[i + 1] != '#' ? 0 : v[i + 2] == 'x' ?
			    strtoul(v + i + 3, NULL, 16) : strtoul(v + i + 2, NULL,
			    10);
			int bytes = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ?
			    3 : 4;
			i = semi != NULL ? (size_t)(semi - v) : i;
			while (bytes-- > 0 && k < vlen)
				sh[k++] = ' ';
		} else if (v[i] == '\r' && i + 1 < vlen && v[i + 1] == '\n')
			continue;
		else if (v[i] == '\n') {
			sh[k++] = '\n';
			breaks++;
		} else
			sh[k++] = ' ';
	}
	sh[k] = '\0';
	*shadow = breaks ? sh : NULL;
	return line;
}

int
xml_line(xmlNodePtr n)
{
	long l = xmlGetLineNo(n);

	return l > 0 && l < 0x7fffffff ? (int)l : 0;
}

struct at { int line; const char *file; };

static int
cmp_at(const void *a, const void *b)
{
	int x = ((const struct at *)a)->line, y = ((const struct at *)b)->line;

	return (x > y) - (x < y);
}

/* The schema's messages for lines that have none of ours yet (ours say
 * what to do; the schema's only what is wrong). Sorted lines and a
 * binary search: both lists can hold thousands. */
void
xml_merge(struct diags *diags, struct diags *schema)
{
	size_t i, k, n = 0;
	struct at *v = diags->n ? malloc(diags->n * sizeof(*v)) : NULL, key;

	if (diags->n > 0 && v == NULL) {
		diags->oom = 1;
		diags_clear(schema);
		return;
	}
	for (k = 0; k < diags->n; k++)
		if (diags->v[k].file != NULL && diags->v[k].line > 0) {
			v[n].line = diags->v[k].line;
			v[n++].file = diags->v[k].file;
		}
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_at);
	for (i = 0; i < schema->n; i++) {
		const sc_diag *x = &schema->v[i];
		const struct at *hit = NULL;
		int dup = 0;
		key.line = x->line;
		if (x->line > 0 && x->file != NULL && n > 0)
			hit = bsearch(&key, v, n, sizeof(*v), cmp_at);
		if (hit != NULL) {
			/* Any entry of that line in the same file. */
			while (hit > v && hit[-1].line == x->line)
				hit--;
			for (; hit < v + n && hit->line == x->line && !dup; hit++)
				dup = strcmp(hit->file, x->file) == 0;
		}
		if (!dup)
			diag_add(diags, x->level, x->file, x->line, "%s",
			    x->message);
	}
	free(v);
	diags_clear(schema);
}
