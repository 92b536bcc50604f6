/* alloc.h — the fault build's allocation counter (alloc.c). */
#ifndef SC_FAULT_ALLOC_H
#define SC_FAULT_ALLOC_H

/* Allocations made so far. */
extern unsigned long fault_count;
/* The allocation (counted from 1) that fails; 0: none does. */
extern unsigned long fault_fail_at;
/* Called as that allocation fails (a stack trace, when asked). */
extern void (*fault_on_fail)(void);
/* When set, called at each allocation from fault_fork_from to
 * fault_fork_to (counted as above): non-zero makes it fail. */
extern int (*fault_fork_at)(unsigned long n);
extern unsigned long fault_fork_from, fault_fork_to;
/* Allocations made while set are neither counted nor failed (the
 * driver's own, in the middle of the command's). */
extern int fault_hold;
/* [ns] taken off CLOCK_MONOTONIC (clock_gettime is wrapped too). */
extern long long fault_paused_ns;

#endif
