/* lib.c — see lib.h. */
#include "lib.h"

#include <pthread.h>
#include <libxml/parser.h>

static pthread_once_t once = PTHREAD_ONCE_INIT;
/* Written once under once, read only after it. (locale_t)0 if newlocale()
 * failed: then the caller's locale stays (glibc never fails for "C"). */
static locale_t c_locale;

static void
init(void)
{
	/* libxml2 2.9: "call xmlInitParser() once before processing in
	 * case of use in multithreaded programs"; it is not reentrant. */
	xmlInitParser();
	c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
}

void
lib_init(void)
{
	pthread_once(&once, init);
}

locale_t
lib_enter(void)
{
	lib_init();
	/* uselocale(0) only reports the thread's locale. */
	return uselocale(c_locale);
}

void
lib_leave(locale_t old)
{
	if (old != (locale_t)0)
		uselocale(old);
}
