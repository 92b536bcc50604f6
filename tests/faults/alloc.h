/* alloc.h — the fault build's allocation counter (alloc.c). */
#ifndef SC_FAULT_ALLOC_H
#define SC_FAULT_ALLOC_H

/* Allocations made so far. */
extern unsigned long fault_count;
/* The allocation (counted from 1) that fails; 0: none does. */
extern unsigned long fault_fail_at;
/* Called as that allocation fails (a stack trace, when asked). */
extern void (*fault_on_fail)(void);

#endif
