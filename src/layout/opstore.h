/*
 * opstore.h — display ops in a compact byte form (issue 16: memory flat
 * in pages). Layout holds every box's ops until the document is paged;
 * each chunk of them it will not change again is encoded (opstore.c)
 * and its 4096 structs freed, with the text runs' arrays they point to,
 * and decoded again when its boxes are placed on their pages.
 *
 * The form, op after op: the kind, a mask of the op's 13 eight-byte
 * words that differ from the last op of that kind, and each such word
 * as the bytes of its XOR with the last that are not zero. A DL_TEXT
 * op's glyphs, advances and UTF-8 are copied in (glyph ids as deltas,
 * advances against the last seen for the glyph) unless its glyphs are
 * the shaping cache's (dl_op.shared); every other pointer (paths,
 * strings of the document's arena) stays a pointer, so what it points
 * to must outlive the bytes.
 */
#ifndef SC_OPSTORE_H
#define SC_OPSTORE_H

#include <stddef.h>

#include "../render/displaylist.h"

struct buf;

/* Zero bytes after a form, so that the decoder need not check each
 * byte it reads of an op. */
#define OPZ_PAD 192

/* Appends the form of ops[0..n) to out, and OPZ_PAD zero bytes; -1 when
 * out of memory (out->oom set). */
int opz_encode(const struct dl_op *ops, size_t n, struct buf *out);
/*
 * Decodes n ops from z[0..len) (a form and its padding) into ops. A
 * text run's glyphs, advances and text are allocated in a; with a NULL
 * they are skipped (gid, adv and text NULL: for walks that read kinds
 * and positions alone). -1 when out of memory or the bytes are not n
 * ops' form.
 */
int opz_decode(const unsigned char *z, size_t len, struct dl_op *ops,
    size_t n, struct arena *a);

#endif
