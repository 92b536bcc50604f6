/*
 * batch_int.h — what batch.c (the run: options, threads, progress,
 * signals) and batch_out.c (the summary table and the JSON) share.
 */
#ifndef SC_CLI_BATCH_INT_H
#define SC_CLI_BATCH_INT_H

#include <pthread.h>
#include <stddef.h>

#include "scrutineer.h"
#include "../batch/plan.h"

enum run_state {
	RUN_WAITING,     /* not started yet (or never: --fail-fast, a signal) */
	RUN_BUILDING,
	RUN_BUILT,
	RUN_FAILED,
	RUN_INTERRUPTED  /* stopped by SIGINT/SIGTERM while it ran */
};

/* One message of a finished build, copied out of its job. */
struct run_diag {
	enum sc_level level;
	char         *file;   /* NULL: none */
	int           line;
	char         *message;
};

/* What one definition's build came to. */
struct run {
	enum run_state   state;
	int              rc;        /* sc_build()'s status */
	int              pages;
	int              warnings, errors;
	double           seconds;   /* wall time of sc_build() [s] */
	struct run_diag *diags;
	size_t           ndiags;
};

struct batch {
	struct batch_plan plan;
	struct run       *runs;      /* one per plan entry */
	sc_ctx           *ctx;
	char            **defines;   /* the batch's -D "NAME=VALUE" */
	size_t            ndefines;
	int              *define_used; /* per -D: a definition declared it */
	int               unused;    /* -D that none declared */
	const char      **allow;     /* --allow-path folders */
	int               nallow;
	int               threads;
	int               fail_fast, strict, tty;
	const char       *pdfa;      /* --pdfa LEVEL, or NULL: the default */
	int               no_ua;     /* --no-ua */
	const char       *json;      /* --json FILE, or NULL */
	const char       *outdir;
	double            t0;        /* start [s, CLOCK_MONOTONIC] */
	double            elapsed;   /* at the end [s] */
	/* The run's shared state, under mu. */
	pthread_mutex_t   mu;
	pthread_cond_t    cv;
	size_t            next;      /* the next entry to start */
	size_t            done, failed;
	int               active;    /* workers not yet finished */
	int               stop;      /* start nothing more */
	int               sig;       /* the signal that stopped the batch */
	size_t            latest;    /* the entry started last */
	int               building;  /* builds in flight */
	sc_job          **slot;      /* per worker, its job in flight */
};

/* Seconds on the monotonic clock. */
double batch_now(void);
/* "built", "FAILED" ... as the summary prints a state. */
const char *batch_state_name(enum run_state s);
/* The exit status the batch ends in (see scrutineer(1)). */
int  batch_status(const struct batch *b);
/* The summary table, on standard error. */
void batch_summary(const struct batch *b);
/* The same as JSON in b->json (atomically; "-" standard output): 0, or
 * -1 with a message printed. */
int  batch_json(const struct batch *b);

#endif
