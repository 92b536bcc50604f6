/*
 * clock.h — the library's one clock: CLOCK_MONOTONIC in nanoseconds, for
 * the queries' deadline and --timings' notes. Inline: a query's
 * progress handler reads it every thousand steps.
 */
#ifndef SC_CLOCK_H
#define SC_CLOCK_H

#include <time.h>

static inline long long
clock_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

#endif
