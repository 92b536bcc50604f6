/*
 * driver.c — out-of-memory fault injection over the real command.
 *
 *   fault-run [-v] [-t N] [--from N] [--to N] -- build REPORT.xml -o OUT.pdf ...
 *
 * First a run that fails nothing counts the allocations and keeps the PDF;
 * then, for N = 1 … that count, a run in which allocation N fails. Each
 * run is a fork of this process calling the command's own main() (so
 * process start, dynamic loading and the sanitizers' start-up are paid
 * once, not thousands of times). A run passes when it
 *   - exits 3 with "out of memory" on stderr, and leaves neither OUT nor
 *     a temporary file beside it, or
 *   - exits 0 with a PDF byte for byte the first run's (the allocation
 *     was one the program can do without);
 * and, either way, without a signal or a sanitizer report (ASan, UBSan,
 * LeakSanitizer). -t N runs allocation N's failure alone with the stack
 * of the failing call and the command's messages on the terminal.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sanitizer/common_interface_defs.h>

#include "alloc.h"

/* The command itself, under another name. */
int scrutineer_main(int argc, char **argv);
#define main scrutineer_main
#include "../../src/cli/main.c"
#undef main

/* Sanitizer reports get their own exit status; leaks are checked. */
const char *__asan_default_options(void);
const char *
__asan_default_options(void)
{
	return "exitcode=86:detect_leaks=1:abort_on_error=0";
}

struct run {
	int           status;   /* from waitpid */
	unsigned long count;    /* allocations the run made */
	char          err[4096]; /* the start of its stderr */
	int           err_len;
};

/* A run in flight: its own output file, so that runs can overlap. */
struct slot {
	pid_t         pid;      /* 0: free */
	int           fd;       /* reads the allocation count */
	unsigned long n;        /* the allocation that fails */
	char          out[1024], err[1040];
	char        **argv;     /* the command's, -o pointing at out */
};

/* The file's bytes (malloc'd), or NULL. */
static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *p = NULL;
	long n;

	*len = 0;
	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
	    (p = malloc((size_t)n + 1)) != NULL) {
		rewind(f);
		*len = fread(p, 1, (size_t)n, f);
		p[*len] = '\0';
	}
	fclose(f);
	return p;
}

/* Starts the command in s with allocation n failing (0: none); quiet
 * sends its output to s->err instead of the terminal. */
static void
start(struct slot *s, int argc, unsigned long n, int quiet)
{
	int fd[2];
	pid_t pid;

	if (pipe(fd) != 0) {
		perror("fault-run: pipe");
		exit(2);
	}
	fflush(stdout);
	fflush(stderr);
	if ((pid = fork()) < 0) {
		perror("fault-run: fork");
		exit(2);
	}
	if (pid == 0) {
		int rc, e;
		close(fd[0]);
		if (quiet) {
			int null = open("/dev/null", O_WRONLY);
			e = open(s->err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
			if (null < 0 || e < 0)
				_exit(2);
			dup2(null, 1);
			dup2(e, 2);
			close(null);
			close(e);
		} else
			fault_on_fail = __sanitizer_print_stack_trace;
		alarm(60);
		fault_count = 0;
		fault_fail_at = n;
		rc = scrutineer_main(argc, s->argv);
		fflush(stdout);
		fflush(stderr);
		if (write(fd[1], &fault_count, sizeof(fault_count)) < 0)
			_exit(2);
		close(fd[1]);
		/* exit(), not _exit(): LeakSanitizer looks at exit. */
		exit(rc);
	}
	close(fd[1]);
	s->pid = pid;
	s->fd = fd[0];
	s->n = n;
}

/* Waits for s's run to end. */
static void
finish(struct slot *s, int quiet, struct run *r)
{
	ssize_t got;

	memset(r, 0, sizeof(*r));
	got = read(s->fd, &r->count, sizeof(r->count));
	if (got != (ssize_t)sizeof(r->count))
		r->count = 0;
	close(s->fd);
	while (waitpid(s->pid, &r->status, 0) < 0 && errno == EINTR)
		;
	s->pid = 0;
	if (quiet) {
		FILE *f = fopen(s->err, "r");
		if (f != NULL) {
			r->err_len = (int)fread(r->err, 1, sizeof(r->err) - 1, f);
			r->err[r->err_len] = '\0';
			fclose(f);
		}
	}
}

/* A temporary file the build left beside out (".NAME.XXXXXX"), or 0. */
static int
temp_left(const char *out)
{
	char dir[1024], prefix[1024];
	const char *slash = strrchr(out, '/');
	struct dirent *e;
	DIR *d;
	int found = 0;

	if (slash != NULL)
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - out), out);
	else
		snprintf(dir, sizeof(dir), ".");
	snprintf(prefix, sizeof(prefix), ".%s.", slash ? slash + 1 : out);
	if ((d = opendir(dir)) == NULL)
		return 0;
	while ((e = readdir(d)) != NULL)
		/* mkstemp's six characters, not another slot's file */
		if (strncmp(e->d_name, prefix, strlen(prefix)) == 0 &&
		    strlen(e->d_name) == strlen(prefix) + 6 &&
		    strchr(e->d_name + strlen(prefix), '.') == NULL) {
			char path[1024 + 300];
			snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
			unlink(path);
			found = 1;
		}
	closedir(d);
	return found;
}

/* What is wrong with run r of slot s, or NULL. */
static const char *
judge(const struct slot *s, const struct run *r, const char *ref,
    size_t reflen)
{
	static char why[128];
	int code;

	if (WIFSIGNALED(r->status)) {
		snprintf(why, sizeof(why), "killed by signal %d (%s)",
		    WTERMSIG(r->status), strsignal(WTERMSIG(r->status)));
		return why;
	}
	code = WEXITSTATUS(r->status);
	if (strstr(r->err, "Sanitizer") != NULL ||
	    strstr(r->err, "runtime error:") != NULL)
		return "sanitizer report";
	if (temp_left(s->out))
		return "temporary file left beside the output";
	if (code == 3) {
		struct stat st;
		if (strstr(r->err, "out of memory") == NULL)
			return "exit 3 without \"out of memory\" on stderr";
		if (stat(s->out, &st) == 0) {
			unlink(s->out);
			return "exit 3 but the output file was written";
		}
		return NULL;
	}
	if (code == 0) {
		size_t len;
		char *pdf = slurp(s->out, &len);
		int same = pdf != NULL && len == reflen &&
		    memcmp(pdf, ref, len) == 0;
		free(pdf);
		unlink(s->out);
		return same ? NULL : "exit 0 with a PDF unlike the complete one";
	}
	snprintf(why, sizeof(why), "exit %d (only 0 or 3 are right)", code);
	return why;
}

static void
fault_usage(void)
{
	fputs("usage: fault-run [-v] [-j N] [-t N] [--from N] [--to N] -- "
	    "build REPORT.xml -o OUT.pdf ...\n", stderr);
	exit(2);
}

int
main(int argc, char **argv)
{
	enum { MAXJ = 8 };
	static struct slot slots[MAXJ];
	unsigned long from = 1, to = 0, trace = 0, n, total;
	unsigned long exit3 = 0, exit0 = 0, bad = 0;
	int i, k, verbose = 0, jobs = 1, cargc, oarg = -1, busy;
	char **cargv, *ref = NULL;
	size_t reflen;
	struct run r;
	struct timespec t0, t1;
	char out[900];

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (strcmp(argv[i], "-v") == 0)
			verbose = 1;
		else if (strcmp(argv[i], "-j") == 0 && i + 1 < argc)
			jobs = atoi(argv[++i]);
		else if (strcmp(argv[i], "-t") == 0 && i + 1 < argc)
			trace = strtoul(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--from") == 0 && i + 1 < argc)
			from = strtoul(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--to") == 0 && i + 1 < argc)
			to = strtoul(argv[++i], NULL, 10);
		else
			fault_usage();
	}
	if (i >= argc || jobs < 1 || jobs > MAXJ)
		fault_usage();
	/* The command's argv: argv[0] is its name. */
	cargv = argv + i;
	cargc = argc - i;
	cargv[0] = "scrutineer";
	for (i = 1; i + 1 < cargc; i++)
		if (strcmp(cargv[i], "-o") == 0)
			oarg = i + 1;
	if (oarg < 0)
		fault_usage();
	/* Slot 0 writes where asked; the others beside it. */
	snprintf(out, sizeof(out), "%s", cargv[oarg]);
	for (k = 0; k < jobs; k++) {
		struct slot *s = &slots[k];
		size_t len = strlen(out);
		memcpy(s->out, out, len + 1);
		if (k > 0)
			snprintf(s->out + len, sizeof(s->out) - len, ".%d.pdf", k);
		len = strlen(s->out);
		memcpy(s->err, s->out, len);
		memcpy(s->err + len, ".err", 5);
		if ((s->argv = calloc((size_t)cargc + 1, sizeof(char *))) == NULL)
			return 2;
		memcpy(s->argv, cargv, (size_t)cargc * sizeof(char *));
		s->argv[oarg] = s->out;
	}
	if (trace > 0) {
		start(&slots[0], cargc, trace, 0);
		finish(&slots[0], 0, &r);
		printf("allocation %lu of %lu: %s\n", trace, r.count,
		    WIFSIGNALED(r.status) ? "killed" : "exited");
		return WIFEXITED(r.status) ? WEXITSTATUS(r.status) : 1;
	}

	clock_gettime(CLOCK_MONOTONIC, &t0);
	unlink(slots[0].out);
	start(&slots[0], cargc, 0, 1);
	finish(&slots[0], 1, &r);
	if (!WIFEXITED(r.status) || WEXITSTATUS(r.status) != 0 ||
	    (ref = slurp(slots[0].out, &reflen)) == NULL) {
		printf("FAIL faults %s: the run without faults failed:\n%s",
		    cargv[2], r.err);
		return 1;
	}
	unlink(slots[0].out);
	total = r.count;
	if (to == 0 || to > total)
		to = total;
	n = from;
	do {
		/* Fill the free slots, then judge the oldest run. */
		for (k = 0; k < jobs && n <= to; k++)
			if (slots[k].pid == 0)
				start(&slots[k], cargc, n++, 1);
		busy = 0;
		for (k = 0; k < jobs; k++) {
			const char *why;
			struct slot *s = &slots[k];
			if (s->pid == 0)
				continue;
			busy = 1;
			finish(s, 1, &r);
			if ((why = judge(s, &r, ref, reflen)) != NULL) {
				bad++;
				printf("FAIL faults %s: allocation %lu of %lu: %s\n",
				    cargv[2], s->n, total, why);
				if (bad <= 5 || verbose)
					printf("%.*s%s", r.err_len > 3000 ? 3000 :
					    r.err_len, r.err, r.err_len > 3000 ?
					    "...\n" : "");
			} else if (WEXITSTATUS(r.status) == 0)
				exit0++;
			else
				exit3++;
			if (verbose && why == NULL)
				printf("ok   allocation %lu: exit %d: %.*s", s->n,
				    WEXITSTATUS(r.status),
				    (int)strcspn(r.err, "\n") + 1, r.err);
			if (n <= to)
				start(s, cargc, n++, 1);
		}
	} while (busy);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%s faults %s: %lu allocations; failing each of %lu-%lu: %lu "
	    "exit 3, %lu complete anyway, %lu wrong (%.1f s)\n",
	    bad ? "FAIL" : "ok  ", cargv[2], total, from, to, exit3, exit0, bad,
	    (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	for (k = 0; k < jobs; k++) {
		unlink(slots[k].err);
		free(slots[k].argv);
	}
	free(ref);
	return bad ? 1 : 0;
}
