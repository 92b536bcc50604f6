/*
 * output.h — the one place a finished file takes its target's place
 * (DESIGN.md "Staged library"): written to a temporary file beside the
 * target, fsync'd, given the old file's mode and renamed over it, or
 * copied to standard output ("-") only once whole. A failure leaves
 * nothing behind and the old file untouched.
 */
#ifndef SC_OUTPUT_H
#define SC_OUTPUT_H

#include <limits.h>

#include "diag.h"
#include "path.h"

/* Room for a temporary name, read by signal handlers while it exists:
 * the first byte is written last, so a handler sees "" or all of it. */
#define OUTPUT_TEMP_MAX (PATH_MAX + 32)

/* Writes the whole file at tmp (which exists, empty); 0, or -1 with a
 * message in diags. name is what messages call the output. */
typedef int (*output_fill)(const char *tmp, const char *name, void *arg,
    struct diags *diags);

/*
 * Makes target ("-": standard output) from fill. inputs are the files the
 * build read (an output that is one of them is refused); temp holds the
 * temporary file's name while it exists. Returns SC_OK, SC_EUSAGE (a
 * target that may not be replaced) or SC_EINTERNAL, with a message.
 */
int output_write(const char *target, const struct path_inputs *inputs,
    volatile char *temp, output_fill fill, void *arg, struct diags *diags);

#endif
