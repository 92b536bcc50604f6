/*
 * csv.c — out-of-memory fault injection over a CSV loaded on two threads
 * (src/data/csv.c, pipe_run), which driver.c's runs never reach: their
 * files are small, and a run forked from its spine keeps only the
 * forking thread. So this loads one file in-process, small enough to be
 * quick but past a batch of rows (two hand-overs), forced onto two
 * threads (db_csv_pipe_min), once without faults and then with each
 * allocation in turn failing: each of the first EVERY (the header, the
 * first batch, the parser's buffers), then SPREAD more spread over the
 * rest (mostly the numbers' texts, remembered row by row). Which allocation is number N varies with
 * the threads' timing; every run, whichever, must end — a stalled
 * thread is a failed run (alarm) — and either load the same table,
 * saying what the run without faults says, or fail with one "out of
 * memory", last, and nothing else but that note before it; ASan and LSan check the
 * rest. A byte near the end is not UTF-8, so that the load is read
 * again as Windows-1252 (a note), after the storing side may have
 * failed.
 *
 *   csv-fault [-v] CSV     writes the file CSV, then loads it
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "alloc.h"
#include "data/data.h"
#include "data/data_int.h"
#include "doc/doc.h"
#include "util/diag.h"

const char *__asan_default_options(void);
const char *
__asan_default_options(void)
{
	return "exitcode=86:detect_leaks=1:abort_on_error=0";
}

/* The table as one string (malloc'd; NULL when the load failed), and
 * what was said, into msgs (malloc'd). */
static char *
load(const char *path, char **msgs, int *rc)
{
	struct source src = { "t", path, NULL, NULL, 1, "def.xml", 3 };
	struct diags d;
	struct db *db;
	char *dump = NULL;
	size_t i, n = 1;

	diags_init(&d);
	*rc = -1;
	if ((db = db_open(&d)) != NULL) {
		*rc = db_load_csv(db, &src, path, NULL, &d);
		fault_hold = 1;
		if (*rc == 0) {
			sqlite3_stmt *s;
			const char *q = "SELECT count(*) || ':' || group_concat("
			    "quote(id) || quote(month) || quote(pct) || "
			    "quote(amount) || quote(note), '|') FROM t";
			if (sqlite3_prepare_v2(db_handle(db), q, -1, &s, NULL) ==
			    SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
				dump = strdup((const char *)sqlite3_column_text(s, 0));
			sqlite3_finalize(s);
			for (i = 0; dump != NULL && i < 3; i++) {
				static const char *col[] = { "pct", "amount", "month" };
				const char *f = db_column_format(db, "t", col[i]);
				char *v = malloc(strlen(dump) + strlen(f ? f : "-") + 2);
				sprintf(v, "%s %s", dump, f ? f : "-");
				free(dump);
				dump = v;
			}
		}
		db_close(db);
	}
	fault_hold = 1;
	for (i = 0; i < d.n; i++)
		n += strlen(d.v[i].message) + 1;
	*msgs = calloc(1, n);
	for (i = 0; i < d.n; i++) {
		strcat(*msgs, d.v[i].message);
		strcat(*msgs, "\n");
	}
	diags_clear(&d);
	fault_hold = 0;
	return dump;
}

#define EVERY  200
#define SPREAD 100

/* Rows past a batch (4,096): one hand-over, then the last batch; pct mixes percentages with counts
 * (the fewer go back to their text by rowid, on the storing side). */
static int
write_csv(const char *path)
{
	FILE *f = fopen(path, "w");
	int i;

	if (f == NULL)
		return -1;
	fputs("id,month,pct,amount,note\n", f);
	for (i = 1; i <= 4500; i++)
		fprintf(f, i == 4400 ?
		    "%d,%04d-%02d,%d%s,\"\u00a3%d,%03d.50\",caf\xe9 %d\n" :
		    "%d,%04d-%02d,%d%s,\"\u00a3%d,%03d.50\",\"a, b %d\"\n",
		    i, 2019 + i % 5, 1 + i % 12, i % 97, i % 5 == 0 ? "" : "%",
		    i % 50, i % 1000, i);
	return fclose(f) == 0 ? 0 : -1;
}

/* msgs: one line "out of memory …", last; before it note (a line), or
 * nothing: a load that failed is not read again. */
static int
one_oom(const char *msgs, const char *note)
{
	const char *p, *e;
	int oom = 0;

	for (p = msgs; *p != '\0'; p = e + 1) {
		e = strchr(p, '\n');
		if (!oom && strncmp(p, note, (size_t)(e - p + 1)) == 0)
			continue;
		if (strncmp(p, "out of memory", 13) != 0 || oom++)
			return 0;
	}
	return oom == 1;
}

static void
on_alarm(int sig)
{
	static const char m[] = "FAIL csv-fault: a load on two threads "
	    "did not end (a thread waits for the other)\n";

	(void)sig;
	(void)!write(2, m, sizeof(m) - 1);
	_exit(1);
}

int
main(int argc, char **argv)
{
	const char *path;
	char *want, *want_msgs, *msgs;
	unsigned long n, total, step, runs = 0, nfail = 0, noom = 0;
	int rc, verbose = 0;

	if (argc > 1 && strcmp(argv[1], "-v") == 0) {
		verbose = 1;
		argc--;
		argv++;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: csv-fault [-v] CSV\n");
		return 2;
	}
	path = argv[1];
	if (write_csv(path) != 0) {
		perror(path);
		return 2;
	}
	signal(SIGALRM, on_alarm);
	db_csv_pipe_min(1);
	fault_count = 0;
	fault_fail_at = 0;
	want = load(path, &msgs, &rc);
	total = fault_count;
	if (rc != 0 || want == NULL || strstr(msgs, "is not UTF-8") == NULL ||
	    strchr(msgs, '\n') != msgs + strlen(msgs) - 1) {
		fprintf(stderr, "FAIL csv-fault %s: the load without faults "
		    "failed, or did not say just that it is not UTF-8: %s", path,
		    msgs);
		return 1;
	}
	want_msgs = msgs;
	step = total > EVERY ? (total - EVERY) / SPREAD + 1 : 1;
	for (n = 1; n <= total; n += n < EVERY ? 1 : step) {
		char *got;
		runs++;
		alarm(20);
		fault_count = 0;
		fault_fail_at = n;
		got = load(path, &msgs, &rc);
		fault_fail_at = 0;
		alarm(0);
		if (rc == 0 ? got == NULL || strcmp(got, want) != 0 ||
		    strcmp(msgs, want_msgs) != 0 : !one_oom(msgs, want_msgs)) {
			fprintf(stderr, "FAIL csv-fault %s: allocation %lu of %lu: "
			    "%s; said: %s", path, n, total, rc == 0 ?
			    "loaded, but not the same table" : "failed, but not "
			    "with one out-of-memory message", msgs);
			nfail++;
		} else if (rc != 0)
			noom++;
		if (verbose)
			fprintf(stderr, "%lu: rc %d %s", n, rc, msgs);
		free(got);
		free(msgs);
	}
	free(want);
	free(want_msgs);
	if (nfail == 0)
		printf("ok   faults %s on two threads: %lu of its %lu "
		    "allocations failed in turn (%lu out of memory, the rest "
		    "done without)\n", path, runs, total, noom);
	return nfail ? 1 : 0;
}
