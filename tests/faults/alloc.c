/*
 * alloc.c — the fault build's allocator. The fault binary is linked with
 * -Wl,--wrap=malloc,--wrap=calloc,... so that every call to them from our
 * objects and from the statically linked libraries (cairo, pixman, libcsv,
 * libdeflate; libharu's through our h_alloc) lands here; the shared
 * libraries (libxml2, SQLite, HarfBuzz, fontconfig) keep the real ones.
 * Allocation number fault_fail_at (from 1) returns NULL; the rest succeed,
 * so each run tests one failure and the code that recovers from it. Or,
 * with fault_fork_at set, each allocation from fault_fork_from to
 * fault_fork_to is handed to it: it forks the run in which that one
 * fails (driver.c's spine).
 */
#include <stddef.h>
#include <string.h>
#include <time.h>

#include "alloc.h"

void *__real_malloc(size_t n);
void *__real_calloc(size_t k, size_t n);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t k, size_t n);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);
int __real_clock_gettime(clockid_t c, struct timespec *ts);
int __wrap_clock_gettime(clockid_t c, struct timespec *ts);

unsigned long fault_count;
unsigned long fault_fail_at;
void (*fault_on_fail)(void);
int (*fault_fork_at)(unsigned long n);
unsigned long fault_fork_from, fault_fork_to;
int fault_hold;
long long fault_paused_ns;

static int
fails(void)
{
	unsigned long n;

	if (fault_hold)
		return 0;
	/* one count, whichever thread allocates: a large CSV loads on two
	 * (tests/faults/csv.c) */
	n = __atomic_add_fetch(&fault_count, 1, __ATOMIC_RELAXED);
	if (fault_fork_at != NULL && n >= fault_fork_from &&
	    n <= fault_fork_to)
		return fault_fork_at(n);
	if (n != fault_fail_at)
		return 0;
	if (fault_on_fail != NULL)
		fault_on_fail();
	return 1;
}

void *
__wrap_malloc(size_t n)
{
	return fails() ? NULL : __real_malloc(n);
}

void *
__wrap_calloc(size_t k, size_t n)
{
	return fails() ? NULL : __real_calloc(k, n);
}

void *
__wrap_realloc(void *p, size_t n)
{
	return fails() ? NULL : __real_realloc(p, n);
}

char *
__wrap_strdup(const char *s)
{
	return fails() ? NULL : __real_strdup(s);
}

char *
__wrap_strndup(const char *s, size_t n)
{
	return fails() ? NULL : __real_strndup(s, n);
}

/* The monotonic clock without the time the spine spent forking and
 * judging runs: the build's deadlines (the SQL's ten seconds) are for
 * the build, and each run must see the time a lone run would. */
int
__wrap_clock_gettime(clockid_t c, struct timespec *ts)
{
	int rc = __real_clock_gettime(c, ts);

	if (rc == 0 && c == CLOCK_MONOTONIC && fault_paused_ns > 0) {
		long long t = (long long)ts->tv_sec * 1000000000LL + ts->tv_nsec -
		    fault_paused_ns;
		ts->tv_sec = (time_t)(t / 1000000000LL);
		ts->tv_nsec = (long)(t % 1000000000LL);
	}
	return rc;
}
