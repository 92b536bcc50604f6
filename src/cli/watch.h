/* watch.h — `build --watch` and `pack --watch`: build, then build again
 * whenever a file the last build read (or looked for) changes. */
#ifndef SC_WATCH_H
#define SC_WATCH_H

#include "scrutineer.h"

/* Prints a job's diagnostics, as the command does after any build. */
typedef void (*watch_print)(const sc_job *job);

/*
 * Builds job (whose definition is definition), then waits on inotify and
 * rebuilds after each change, printing one line a build on standard
 * error ("12:03:04 built report.pdf, 11 pages, 23 ms", or the messages
 * and "12:03:04 failed, keeping the last good report.pdf"). It runs
 * until a signal ends the process (the command's handler removes the
 * temporary file of a build in flight); it returns only when watching
 * cannot go on, SC_EINTERNAL with a message printed.
 */
int watch_run(sc_job *job, const char *definition, watch_print print);

#endif
