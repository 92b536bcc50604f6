/* diag.h — the one list of messages a build collects (STYLE.md 5). */
#ifndef SC_DIAG_H
#define SC_DIAG_H

#include <stddef.h>
#include <stdint.h>

#include "scrutineer.h"

struct path_inputs;

/* Past this many errors the rest are counted, not kept: a broken file of
 * 100,000 lines must not take minutes to report (and nobody reads past
 * the first screen). */
#define DIAG_MAX_ERRORS 100

struct diags {
	sc_diag  *v;
	size_t    n, cap;
	int       errors;  /* count of SC_ERROR, shown or not */
	int       oom;     /* out of memory was met (diag_oom(), or a message
	                    * that could not be stored): the build fails with
	                    * SC_EINTERNAL */
	int       lost;    /* messages that could not be stored */
	int       shown;   /* errors kept */
	int       dropped; /* errors past DIAG_MAX_ERRORS, not kept */
	size_t    more_at; /* the "... and N more" note's index + 1, or 0 */
	uint32_t *seen;    /* hash set of the kept messages (index + 1) */
	size_t    seen_cap;
	/* Where path_resolve() notes a file it looked for and did not find
	 * (a job's list, for watch mode), or NULL; kept by diags_clear(). */
	struct path_inputs *missing;
};

void diags_init(struct diags *d);
void diags_clear(struct diags *d);
/* Copies file and the formatted message. file may be NULL. */
void diag_add(struct diags *d, enum sc_level level, const char *file,
    int line, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
#define diag_err(d, file, line, ...) \
	diag_add((d), SC_ERROR, (file), (line), __VA_ARGS__)
#define diag_warn(d, file, line, ...) \
	diag_add((d), SC_WARNING, (file), (line), __VA_ARGS__)
/* An error for an allocation that failed: say what could not be done
 * ("out of memory reading ..."), and the build ends in SC_EINTERNAL. */
void diag_oom(struct diags *d, const char *file, int line,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* The stand-in for messages that could not be stored (lost > 0). */
extern const sc_diag diag_lost;
/* True if the same level, file, line and text is already there. */
int  diag_has(const struct diags *d, const char *file, int line,
    const char *msg);

#endif
