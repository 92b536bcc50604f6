/*
 * xml.h — safe XML reading shared by report and template loading: no
 * network, no DTDs, no entities; RELAX NG validation against the schemas
 * compiled into the library; libxml2's messages rewritten for people.
 */
#ifndef SC_XML_H
#define SC_XML_H

#include <stddef.h>
#include <libxml/tree.h>

#include "../util/arena.h"
#include "../util/diag.h"

/* Largest definition or template read [bytes]. */
#define XML_MAX_BYTES (16u * 1024 * 1024)
/* libxml2 appends each attribute by walking the list (quadratic: 50,000
 * attributes took half a minute); no element of ours needs 30. */
#define XML_MAX_ATTRS 256
/* Elements in one file: each costs about 1.4 KB once read, and a report
 * of 10,000 pages (the page cap) needs far fewer. */
#define XML_MAX_ELEMENTS 200000

enum xml_schema { SCHEMA_REPORT, SCHEMA_TEMPLATE, SCHEMA_PACK, SCHEMA_MAX };

/* Parses path. Returns the document, or NULL with messages in diags.
 * It is the caller's responsibility to xmlFreeDoc() the result. */
xmlDocPtr xml_read(const char *path, struct diags *diags);
/* The same for bytes already in memory; path names them in messages. */
xmlDocPtr xml_parse(const char *data, size_t len, const char *path,
    struct diags *diags);
/* Reads a whole file (at most XML_MAX_BYTES); the caller frees it. */
char     *xml_slurp(const char *path, size_t *len, struct diags *diags);
/* Validates; returns 0 if valid, -1 with every problem in diags.
 * Callers pass a scratch list and merge it with xml_merge() after their
 * own, more precise checks. */
int       xml_validate(xmlDocPtr doc, enum xml_schema which, const char *path,
    struct diags *diags);
/* Moves the messages of schema into diags, except those on a line that
 * already has a message in diags (the precise one wins). */
void      xml_merge(struct diags *diags, struct diags *schema);
/* An attribute's value copied into arena, or NULL when absent. */
const char *xml_prop(xmlNodePtr n, const char *name, struct arena *a);
/* The node's text content (all descendants) copied into arena. */
const char *xml_text(xmlNodePtr n, struct arena *a);
int       xml_line(xmlNodePtr n);
/* Where attribute name of x stands in data, the bytes x was parsed from
 * (xml_parse() notes where each start tag begins): returns the line its
 * value starts on, 0 when it cannot tell; *shadow is NULL, or, for a value
 * over several lines, a string as long as the value as read (xml_prop())
 * with '\n' at each character that was a line break in the file, made in
 * a. */
int       xml_attr_src(xmlNodePtr x, const char *data, size_t len,
    const char *name, struct arena *a, const char **shadow);
/* 1 if n is an element named name. */
int       xml_is(xmlNodePtr n, const char *name);

#endif
