/*
 * driver.c — out-of-memory fault injection over the real command.
 *
 *   fault-run [-v] [-j N] [-t N] [--from N] [--to N] -- build REPORT.xml -o OUT.pdf ...
 *
 * First a run that fails nothing counts the allocations and keeps the PDF;
 * then, for N = 1 … that count, a run in which allocation N fails. Those
 * runs are forked from a "spine": one more run without faults which, at
 * each allocation N, forks the run in which N fails and goes on. So the
 * start-up of the process and the sanitizers, and the build up to
 * allocation N, are paid once, not once a run: each run is the build
 * from N on. Each run has a folder of its own beside OUT (OUT.runs/K/)
 * and writes its PDF there; file arguments are made absolute so that
 * they still name the same files from there. A run passes when it
 *   - exits 3 with "out of memory" on stderr, and leaves neither its
 *     output nor a temporary file beside it, or
 *   - exits 0 with a PDF byte for byte the first run's (the allocation
 *     was one the program can do without);
 * and, either way, without a signal or a sanitizer report (ASan, UBSan,
 * LeakSanitizer). -t N runs allocation N's failure alone, from the start,
 * with the stack of the failing call and the command's messages on the
 * terminal.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
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

/* A run in flight: its own folder, so that runs can overlap. */
struct slot {
	pid_t         pid;      /* 0: free */
	int           fd;       /* reads the allocation count */
	unsigned long n;        /* the allocation that fails */
	char          dir[1024]; /* its working folder */
	char          out[2048], err[2048];
};

int __real_clock_gettime(clockid_t c, struct timespec *ts);

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

/* The command's argv for every run (file arguments absolute, -o the
 * output's file name alone) and its argc. */
static char **run_argv;
static int    run_argc;

/* Sends the run's stderr to s->err and, unless keep_out, its stdout to
 * /dev/null; in s->dir. */
static void
quiet_in(const struct slot *s, int keep_out)
{
	int null = open("/dev/null", O_WRONLY);
	int e = open(s->err, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (null < 0 || e < 0 || chdir(s->dir) != 0)
		_exit(2);
	if (!keep_out)
		dup2(null, 1);
	dup2(e, 2);
	close(null);
	close(e);
}

/* Starts the command from the beginning in s with allocation n failing
 * (0: none); quiet sends its output to s->err instead of the terminal. */
static void
start(struct slot *s, unsigned long n, int quiet)
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
		int rc;
		close(fd[0]);
		if (quiet)
			quiet_in(s, 0);
		else {
			if (chdir(s->dir) != 0)
				_exit(2);
			fault_on_fail = __sanitizer_print_stack_trace;
		}
		alarm(60);
		fault_count = 0;
		fault_fail_at = n;
		rc = scrutineer_main(run_argc, run_argv);
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

/* The start of the run's stderr, from s->err. */
static void
finish_err(const struct slot *s, struct run *r)
{
	FILE *f = fopen(s->err, "r");

	r->err_len = 0;
	r->err[0] = '\0';
	if (f != NULL) {
		r->err_len = (int)fread(r->err, 1, sizeof(r->err) - 1, f);
		r->err[r->err_len] = '\0';
		fclose(f);
	}
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
	if (quiet)
		finish_err(s, r);
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

/* The spine's state: its runs in flight and the tally. */
static struct {
	struct slot  *slots;
	int           jobs, verbose, pipe, child;
	const char   *ref, *def, *dir;   /* dir: the spine's folder */
	size_t        reflen;
	unsigned long total, exit3, exit0, bad;
} sp;

/* What the spine sends the driver at the end. */
struct tally {
	unsigned long count, exit3, exit0, bad;
};

/* Judges the run of s that ended with status. */
static void
sp_judge(struct slot *s, int status)
{
	struct run r;
	const char *why;

	memset(&r, 0, sizeof(r));
	r.status = status;
	finish_err(s, &r);
	if ((why = judge(s, &r, sp.ref, sp.reflen)) != NULL) {
		sp.bad++;
		printf("FAIL faults %s: allocation %lu of %lu: %s\n", sp.def, s->n,
		    sp.total, why);
		if (sp.bad <= 5 || sp.verbose)
			printf("%.*s%s", r.err_len > 3000 ? 3000 : r.err_len, r.err,
			    r.err_len > 3000 ? "...\n" : "");
	} else if (WEXITSTATUS(r.status) == 0)
		sp.exit0++;
	else
		sp.exit3++;
	if (sp.verbose && why == NULL)
		printf("ok   allocation %lu: exit %d: %.*s", s->n,
		    WEXITSTATUS(r.status), (int)strcspn(r.err, "\n") + 1, r.err);
}

/* Waits for one of the spine's runs to end, and judges it. */
static void
sp_reap(void)
{
	pid_t pid;
	int st, k;

	while ((pid = waitpid(-1, &st, 0)) < 0 && errno == EINTR)
		;
	if (pid < 0) {
		perror("fault-run: waitpid");
		exit(2);
	}
	for (k = 0; k < sp.jobs; k++)
		if (sp.slots[k].pid == pid) {
			sp.slots[k].pid = 0;
			sp_judge(&sp.slots[k], st);
		}
}

/*
 * In a run just forked from the spine: files the spine has open become
 * the run's own. A file being read gets an open file description of its
 * own at the same offset (a shared one would move the spine's reading
 * too); one being written in the spine's folder (the PDF's temporary
 * file) is copied into the run's folder and continued there, so that
 * each writes, renames and removes only its own.
 */
static void
private_files(const char *from, const char *to)
{
	size_t fl = strlen(from);
	int fd;

	for (fd = 3; fd < 1024; fd++) {
		char link[64], path[PATH_MAX], copy[PATH_MAX + 1100];
		struct stat st;
		ssize_t n;
		off_t off;
		int flags, cloexec, nfd;

		if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
		if ((n = readlink(link, path, sizeof(path) - 1)) <= 0)
			_exit(2);
		path[n] = '\0';
		flags = fcntl(fd, F_GETFL);
		cloexec = fcntl(fd, F_GETFD) & FD_CLOEXEC;
		off = lseek(fd, 0, SEEK_CUR);
		if ((flags & O_ACCMODE) == O_RDONLY)
			nfd = open(path, O_RDONLY);
		else if (strncmp(path, from, fl) == 0 && path[fl] == '/') {
			char b[65536];
			off_t at = 0;
			ssize_t got;
			snprintf(copy, sizeof(copy), "%s%s", to, path + fl);
			if ((nfd = open(copy, O_RDWR | O_CREAT | O_TRUNC, 0600)) < 0)
				_exit(2);
			while ((got = pread(fd, b, sizeof(b), at)) > 0) {
				if (write(nfd, b, (size_t)got) != got)
					_exit(2);
				at += got;
			}
		} else
			continue;   /* not ours to move */
		if (nfd < 0 || lseek(nfd, off, SEEK_SET) != off ||
		    dup2(nfd, fd) < 0)
			_exit(2);
		close(nfd);
		if (cloexec)
			fcntl(fd, F_SETFD, FD_CLOEXEC);
	}
}

/* fault_fork_at in the spine: forks the run in which allocation n fails
 * (1 there), and goes on without (0). */
static int
sp_fork(unsigned long n)
{
	struct timespec t0, t1;
	struct slot *s = NULL;
	pid_t pid;
	int k;

	fault_hold = 1;
	__real_clock_gettime(CLOCK_MONOTONIC, &t0);
	while (s == NULL) {
		for (k = 0; k < sp.jobs && s == NULL; k++)
			if (sp.slots[k].pid == 0)
				s = &sp.slots[k];
		if (s == NULL)
			sp_reap();
	}
	fflush(stdout);
	fflush(stderr);
	if ((pid = fork()) < 0) {
		perror("fault-run: fork");
		exit(2);
	}
	if (pid == 0) {
		close(sp.pipe);
		private_files(sp.dir, s->dir);
		quiet_in(s, 0);
		sp.child = 1;
		fault_fork_at = NULL;
		alarm(60);
		fault_hold = 0;
		return 1;
	}
	s->pid = pid;
	s->n = n;
	__real_clock_gettime(CLOCK_MONOTONIC, &t1);
	fault_paused_ns += (t1.tv_sec - t0.tv_sec) * 1000000000LL +
	    (t1.tv_nsec - t0.tv_nsec);
	fault_hold = 0;
	return 0;
}

/* The spine, in the child: runs the command with sp_fork() at each
 * allocation from..to, then judges itself like a run without faults.
 * A forked run returns from the command here too, and just exits. */
static void
spine(struct slot *self, unsigned long from, unsigned long to, int fd)
{
	struct tally t;
	struct run r;
	const char *why;
	int rc, k;

	quiet_in(self, 1);   /* its stdout is the tally's */
	sp.pipe = fd;
	sp.dir = self->dir;
	alarm(1800);
	fault_count = 0;
	fault_fail_at = 0;
	fault_fork_from = from;
	fault_fork_to = to;
	fault_fork_at = sp_fork;
	rc = scrutineer_main(run_argc, run_argv);
	fflush(stdout);
	fflush(stderr);
	if (sp.child)
		exit(rc);   /* a run with a fault: the spine judges it */
	fault_fork_at = NULL;
	fault_hold = 1;
	for (k = 0; k < sp.jobs; k++)
		while (sp.slots[k].pid != 0)
			sp_reap();
	/* The spine itself must have built the complete PDF. */
	memset(&r, 0, sizeof(r));
	r.status = rc << 8;   /* as waitpid gives exit(rc) */
	if ((why = judge(self, &r, sp.ref, sp.reflen)) != NULL || rc != 0) {
		sp.bad++;
		printf("FAIL faults %s: the spine (no faults): %s\n", sp.def,
		    why ? why : "failed");
	}
	t.count = fault_count;
	t.exit3 = sp.exit3;
	t.exit0 = sp.exit0;
	t.bad = sp.bad;
	fflush(stdout);
	if (write(fd, &t, sizeof(t)) != (ssize_t)sizeof(t))
		_exit(2);
	close(fd);
	exit(0);
}

/* Makes dir (and its parent) if need be. */
static void
make_dir(const char *dir)
{
	char up[1024];
	const char *slash = strrchr(dir, '/');

	if (slash != NULL && slash > dir) {
		snprintf(up, sizeof(up), "%.*s", (int)(slash - dir), dir);
		mkdir(up, 0755);
	}
	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		fprintf(stderr, "fault-run: %s: %s\n", dir, strerror(errno));
		exit(2);
	}
}

/* A slot working in dir/name, writing base there. */
static void
slot_init(struct slot *s, const char *runs, const char *name,
    const char *base)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->dir, sizeof(s->dir), "%s/%s", runs, name);
	make_dir(s->dir);
	snprintf(s->out, sizeof(s->out), "%s/%s", s->dir, base);
	snprintf(s->err, sizeof(s->err), "%s/stderr", s->dir);
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
	struct slot ref;
	unsigned long from = 1, to = 0, trace = 0, total;
	int i, k, verbose = 0, jobs = 1, cargc, oarg = -1, fd[2], st;
	char **cargv, *refpdf = NULL, outdir[PATH_MAX], runs[PATH_MAX + 8];
	const char *base, *slash;
	size_t reflen;
	struct run r;
	struct tally t;
	struct timespec t0, t1;
	pid_t pid;

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
	if (oarg < 0 || cargc < 3)
		fault_usage();
	/* Every run works in a folder of its own under OUT.runs/, so the
	 * files it names (after the subcommand) are made absolute, and its
	 * output is the file's name alone. Every run, the first too, so that
	 * all see the same arguments. */
	slash = strrchr(cargv[oarg], '/');
	base = slash ? slash + 1 : cargv[oarg];
	snprintf(runs, sizeof(runs), "%.*s", slash ? (int)(slash -
	    cargv[oarg]) : 1, slash ? cargv[oarg] : ".");
	if (realpath(runs, outdir) == NULL) {
		fprintf(stderr, "fault-run: %s: %s\n", runs, strerror(errno));
		return 2;
	}
	snprintf(runs, sizeof(runs), "%s/%s.runs", outdir, base);
	if ((run_argv = calloc((size_t)cargc + 1, sizeof(char *))) == NULL)
		return 2;
	run_argc = cargc;
	for (i = 0; i < cargc; i++) {
		struct stat sb;
		char *abs;
		run_argv[i] = cargv[i];
		if (i == oarg)
			run_argv[i] = (char *)base;
		else if (i >= 2 && strcmp(cargv[i - 1], "-o") != 0 &&
		    stat(cargv[i], &sb) == 0 && cargv[i][0] != '/' &&
		    (abs = realpath(cargv[i], NULL)) != NULL)
			run_argv[i] = abs;   /* kept to the end */
	}
	slot_init(&ref, runs, "first", base);
	for (k = 0; k < jobs; k++) {
		char name[16];
		snprintf(name, sizeof(name), "%d", k);
		slot_init(&slots[k], runs, name, base);
	}
	if (trace > 0) {
		start(&slots[0], trace, 0);
		finish(&slots[0], 0, &r);
		printf("allocation %lu of %lu: %s\n", trace, r.count,
		    WIFSIGNALED(r.status) ? "killed" : "exited");
		/* Left in place only if the run left something there. */
		for (k = 0; k < jobs; k++)
			rmdir(slots[k].dir);
		rmdir(ref.dir);
		rmdir(runs);
		return WIFEXITED(r.status) ? WEXITSTATUS(r.status) : 1;
	}

	__real_clock_gettime(CLOCK_MONOTONIC, &t0);
	unlink(ref.out);
	start(&ref, 0, 1);
	finish(&ref, 1, &r);
	if (!WIFEXITED(r.status) || WEXITSTATUS(r.status) != 0 ||
	    (refpdf = slurp(ref.out, &reflen)) == NULL) {
		printf("FAIL faults %s: the run without faults failed:\n%s",
		    cargv[2], r.err);
		return 1;
	}
	unlink(ref.out);
	total = r.count;
	if (to == 0 || to > total)
		to = total;

	/* The spine forks the runs; it tells the tally at the end. */
	sp.slots = slots;
	sp.jobs = jobs;
	sp.verbose = verbose;
	sp.ref = refpdf;
	sp.reflen = reflen;
	sp.def = cargv[2];
	sp.total = total;
	if (pipe(fd) != 0) {
		perror("fault-run: pipe");
		return 2;
	}
	fflush(stdout);
	fflush(stderr);
	if ((pid = fork()) < 0) {
		perror("fault-run: fork");
		return 2;
	}
	if (pid == 0) {
		close(fd[0]);
		spine(&ref, from, to, fd[1]);
	}
	close(fd[1]);
	memset(&t, 0, sizeof(t));
	if (read(fd[0], &t, sizeof(t)) != (ssize_t)sizeof(t))
		t.bad = 1;
	close(fd[0]);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	memset(&r, 0, sizeof(r));
	r.status = st;
	finish_err(&ref, &r);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0 || t.count != total ||
	    strstr(r.err, "Sanitizer") != NULL) {
		t.bad++;
		printf("FAIL faults %s: the spine %s (%lu allocations of %lu):\n%s",
		    cargv[2], WIFSIGNALED(st) ? "was killed" : "failed", t.count,
		    total, r.err);
	}
	__real_clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%s faults %s: %lu allocations; failing each of %lu-%lu: %lu "
	    "exit 3, %lu complete anyway, %lu wrong (%.1f s)\n",
	    t.bad ? "FAIL" : "ok  ", cargv[2], total, from, to, t.exit3,
	    t.exit0, t.bad,
	    (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	for (k = 0; k < jobs; k++) {
		unlink(slots[k].err);
		rmdir(slots[k].dir);
	}
	unlink(ref.err);
	unlink(ref.out);
	rmdir(ref.dir);
	rmdir(runs);
	free(refpdf);
	return t.bad ? 1 : 0;
}
