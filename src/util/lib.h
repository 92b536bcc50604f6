/*
 * lib.h — what the library sets up once per process, and the locale each
 * public entry point runs in, so that jobs on many threads of one process
 * (and a host program that called setlocale()) give the same bytes.
 */
#ifndef SC_LIB_H
#define SC_LIB_H

#include <locale.h>

/* Once per process, from any thread (pthread_once): libxml2's parser
 * and the C locale object. Every entry point calls it (lib_enter() does);
 * modules that hold process-wide state of their own (xml.c's compiled
 * schemas, db.c's SQLite heap limit) rely on it having run. */
void     lib_init(void);
/* lib_init(), then switches the calling thread to the C locale: strtod()
 * and printf("%g") read and write '.' whatever the host set with
 * setlocale(), and isspace() is ASCII's. Returns the thread's locale
 * before, for lib_leave(). uselocale() is per thread: other threads of
 * the host are not touched. */
locale_t lib_enter(void);
/* Gives the thread back the locale lib_enter() returned. */
void     lib_leave(locale_t old);

#endif
