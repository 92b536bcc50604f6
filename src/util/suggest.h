/*
 * suggest.h — "did you mean": the known name nearest a name that matched
 * nothing (an element, attribute, keyword, id, column, template...).
 *
 * Nearness is the optimal string alignment distance (Damerau-Levenshtein
 * without moving a letter twice), ASCII case ignored: "Categroy" is one
 * step from "category", "tbl-rate" one from "tbl-rates". A name is
 * suggested only when it is at most max(1, len / 3) steps away, len the
 * unknown name's length (of two letters or one, only a change of case),
 * so a wild guess never is. Candidates are offered
 * one at a time, so any list can be searched without being copied; the
 * first of equally near ones wins, so the message is the same each run.
 */
#ifndef SC_SUGGEST_H
#define SC_SUGGEST_H

#include <stddef.h>

struct suggest {
	const char *word;  /* the unknown name (not copied) */
	size_t      wlen;
	size_t      max;   /* the most steps a suggestion may be away */
	const char *best;  /* the nearest candidate so far, or NULL */
	size_t      blen;
	size_t      dist;
};

/* Names longer than this are not compared (the table is on the stack). */
#define SUGGEST_MAX_LEN 64

void suggest_init(struct suggest *s, const char *word);
/* Offers a candidate, NUL-terminated or of n bytes; the word itself
 * (byte for byte) and NULL are ignored. */
void suggest_try(struct suggest *s, const char *cand);
void suggest_try_n(struct suggest *s, const char *cand, size_t n);
/* Offers each name of a list, the names separated by sep (" " for the
 * rules' lists, ", " for a list of columns, whose names hold spaces). */
void suggest_try_list(struct suggest *s, const char *list, const char *sep);
/* The text to append to a message: `; did you mean "NAME"?` with open
 * and close in place of the quotes when given (for "<table>"), or "" when
 * nothing is near enough. Written into out (n bytes), which is returned. */
const char *suggest_text(const struct suggest *s, const char *open,
    const char *close, char *out, size_t n);
/* The distance between a and b, case ignored, or max + 1 when it is more
 * than max (the work stops there). */
size_t suggest_distance(const char *a, size_t la, const char *b, size_t lb,
    size_t max);

#endif
