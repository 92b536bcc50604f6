/*
 * batch.c — `scrutineer batch`: the definitions that lists, folders and
 * arguments name (src/batch/plan.c) built N at a time, each on a thread
 * of its own job in one shared context. A live progress line on a
 * terminal, else a line per finished report; each report's messages
 * printed together, never mixed with another's. SIGINT, SIGTERM and
 * SIGHUP are blocked in every thread and taken by one (sigwait): the
 * first cancels the context (builds in flight stop at their next stage
 * and leave no temporary file), a second removes the temporary files at
 * once and exits.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "batch.h"
#include "batch_int.h"

static const char usage[] =
    "usage: scrutineer batch LIST|DIR|REPORT.xml... [-D NAME=VALUE]... "
    "[-j N] [-o OUTDIR]\n"
    "                        [--json FILE] [--fail-fast] "
    "[--allow-path DIR]... [--no-strict]\n"
    "                        [--data-dir DIR] [--pdfa=none|2a|2u|3a] "
    "[--no-ua]\n";

static int
fail_usage(const char *msg, const char *arg)
{
	fprintf(stderr, "scrutineer: batch: %s%s%s\n", msg, arg ? ": " : "",
	    arg ? arg : "");
	fputs(usage, stderr);
	return SC_EUSAGE;
}

double
batch_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- printing (all under b->mu) --------------------------------------- */

static void
print_diag(const struct run_diag *d)
{
	const char *lv = d->level == SC_ERROR ? "error" :
	    d->level == SC_WARNING ? "warning" : "note";

	if (d->file != NULL && d->line > 0)
		fprintf(stderr, "%s:%d: %s: %s\n", d->file, d->line, lv, d->message);
	else if (d->file != NULL)
		fprintf(stderr, "%s: %s: %s\n", d->file, lv, d->message);
	else
		fprintf(stderr, "scrutineer: %s: %s\n", lv, d->message);
}

/* The progress line, redrawn in place (a terminal only): cut to the
 * terminal's width, so that it never wraps onto a second line. */
static void
progress(const struct batch *b)
{
	char line[512];
	struct winsize ws;
	int el = (int)(batch_now() - b->t0), n, width = 80;

	if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 10)
		width = ws.ws_col;
	n = snprintf(line, sizeof(line), "batch: %zu/%zu done, %zu failed, "
	    "%d:%02d", b->done, b->plan.n, b->failed, el / 60, el % 60);
	if (b->building > 0 && n > 0 && (size_t)n < sizeof(line))
		n += snprintf(line + n, sizeof(line) - (size_t)n, " - building %s%s",
		    b->plan.v[b->latest].definition, b->building > 1 ? " ..." : "");
	if (width - 1 < (int)sizeof(line))
		line[width - 1] = '\0';
	fprintf(stderr, "\r\033[K%s", line);
}

/* A finished report: a line (not on a terminal: there the progress line
 * counts it), then its messages. */
static void
finished(const struct batch *b, size_t i)
{
	const struct batch_entry *e = &b->plan.v[i];
	const struct run *r = &b->runs[i];
	size_t k;

	if (b->tty && r->ndiags == 0)
		return;
	if (b->tty)
		fputs("\r\033[K", stderr);
	if (r->state == RUN_BUILT)
		fprintf(stderr, "[%zu/%zu] built %s -> %s (%d page%s, %.2f s%s)\n",
		    b->done, b->plan.n, e->definition, e->output, r->pages,
		    r->pages == 1 ? "" : "s", r->seconds, r->warnings ?
		    r->warnings == 1 ? ", 1 warning" : ", warnings" : "");
	else
		fprintf(stderr, "[%zu/%zu] %s %s (exit %d, %d error%s); %s is as it "
		    "was\n", b->done, b->plan.n, r->state == RUN_INTERRUPTED ?
		    "INTERRUPTED" : "FAILED", e->definition, r->rc, r->errors,
		    r->errors == 1 ? "" : "s", e->output);
	for (k = 0; k < r->ndiags; k++)
		print_diag(&r->diags[k]);
	if (b->tty)
		progress(b);
}

/* ---- one build --------------------------------------------------------- */

static char *
dup_or_null(const char *s)
{
	return s != NULL ? strdup(s) : NULL;
}

/* Copies the job's messages into r; 0, or -1 out of memory. */
static int
keep_diags(struct run *r, const sc_job *job)
{
	size_t n = sc_job_diag_count(job), i;

	if (n == 0)
		return 0;
	if ((r->diags = calloc(n, sizeof(*r->diags))) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		const sc_diag *d = sc_job_diag(job, i);
		struct run_diag *c = &r->diags[r->ndiags++];
		c->level = d->level;
		c->line = d->line;
		c->file = dup_or_null(d->file);
		c->message = strdup(d->message);
		if ((d->file != NULL && c->file == NULL) || c->message == NULL)
			return -1;
		r->warnings += d->level == SC_WARNING;
		r->errors += d->level == SC_ERROR;
	}
	return 0;
}

/* The job's parameters: the batch's (which a definition may lack), then
 * the line's own, which win. */
static int
define_all(const struct batch *b, const struct batch_entry *e, sc_job *job)
{
	size_t i;
	int rc = SC_OK;

	for (i = 0; i < b->ndefines + e->ndefines && rc == SC_OK; i++) {
		char *d = strdup(i < b->ndefines ? b->defines[i] :
		    e->defines[i - b->ndefines]), *eq;
		if (d == NULL)
			return SC_EINTERNAL;
		eq = strchr(d, '=');
		*eq = '\0';
		rc = i < b->ndefines ? sc_job_define_optional(job, d, eq + 1) :
		    sc_job_define(job, d, eq + 1);
		free(d);
	}
	return rc;
}

static void
build_one(struct batch *b, size_t i, int w)
{
	const struct batch_entry *e = &b->plan.v[i];
	struct run *r = &b->runs[i];
	sc_job *job = sc_job_new_in(b->ctx, e->definition);
	double t;
	size_t k;

	r->rc = job == NULL ? SC_EINTERNAL : sc_job_set_output(job, e->output);
	if (r->rc == SC_OK && e->part != NULL)
		r->rc = sc_job_set_part(job, e->part);
	if (r->rc == SC_OK && b->pdfa != NULL)
		r->rc = sc_job_set_pdfa(job, b->pdfa);
	if (r->rc == SC_OK)
		r->rc = sc_job_set_pdfua(job, !b->no_ua);
	if (r->rc == SC_OK)
		r->rc = define_all(b, e, job);
	if (r->rc != SC_OK) {
		sc_job_free(job);
		r->errors = 1;
		r->state = RUN_FAILED;
		r->diags = calloc(1, sizeof(*r->diags));
		if (r->diags != NULL) {
			r->diags[0].level = SC_ERROR;
			r->diags[0].message = strdup("out of memory setting up the "
			    "build");
			r->ndiags = r->diags[0].message != NULL;
		}
		return;
	}
	pthread_mutex_lock(&b->mu);
	b->slot[w] = job;
	pthread_mutex_unlock(&b->mu);
	t = batch_now();
	r->rc = sc_build(job);
	r->seconds = batch_now() - t;
	r->pages = r->rc == SC_OK ? sc_job_pages(job) : 0;
	if (keep_diags(r, job) != 0 && r->rc == SC_OK)
		r->rc = SC_EINTERNAL;
	pthread_mutex_lock(&b->mu);
	b->slot[w] = NULL;
	for (k = 0; k < b->ndefines; k++) {
		char name[256];
		snprintf(name, sizeof(name), "%.*s",
		    (int)(strchr(b->defines[k], '=') - b->defines[k]),
		    b->defines[k]);
		if (sc_job_define_used(job, name))
			b->define_used[k] = 1;
	}
	r->state = r->rc == SC_OK ? RUN_BUILT : b->sig ? RUN_INTERRUPTED :
	    RUN_FAILED;
	pthread_mutex_unlock(&b->mu);
	sc_job_free(job);
}

struct worker {
	struct batch *b;
	int           w;   /* its slot */
};

static void *
work(void *arg)
{
	struct worker *wk = arg;
	struct batch *b = wk->b;

	pthread_mutex_lock(&b->mu);
	while (!b->stop && b->next < b->plan.n) {
		size_t i = b->next++;
		b->runs[i].state = RUN_BUILDING;
		b->latest = i;
		b->building++;
		if (b->tty)
			progress(b);
		pthread_mutex_unlock(&b->mu);
		build_one(b, i, wk->w);
		pthread_mutex_lock(&b->mu);
		b->building--;
		b->done++;
		if (b->runs[i].state != RUN_BUILT) {
			b->failed++;
			if (b->fail_fast && !b->stop) {
				b->stop = 1;
				fprintf(stderr, "%sscrutineer: batch: --fail-fast: %s "
				    "failed; starting nothing more\n", b->tty ? "\r\033[K" :
				    "", b->plan.v[i].definition);
			}
		}
		finished(b, i);
		pthread_cond_broadcast(&b->cv);
	}
	b->active--;
	pthread_cond_broadcast(&b->cv);
	pthread_mutex_unlock(&b->mu);
	return NULL;
}

/* ---- signals ----------------------------------------------------------- */

struct sigs {
	struct batch *b;
	sigset_t      set;
	int           over;  /* the batch is done: SIGUSR1 ends the thread */
};

static const char *
sig_name(int sig)
{
	return sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" :
	    sig == SIGHUP ? "SIGHUP" : "a signal";
}

static void *
take_signals(void *arg)
{
	struct sigs *s = arg;
	struct batch *b = s->b;
	int sig, k;

	for (;;) {
		if (sigwait(&s->set, &sig) != 0)
			continue;
		pthread_mutex_lock(&b->mu);
		if (sig == SIGUSR1 && s->over) {
			pthread_mutex_unlock(&b->mu);
			return NULL;
		}
		if (sig == SIGUSR1) {
			pthread_mutex_unlock(&b->mu);
			continue;
		}
		if (b->sig == 0) {
			/* The first: nothing more starts, and what is in flight
			 * stops at its next stage, leaving nothing behind. */
			b->sig = sig;
			b->stop = 1;
			sc_ctx_cancel(b->ctx);
			fprintf(stderr, "%sscrutineer: batch: %s: stopping the %d "
			    "build%s in flight; nothing more is started\n",
			    b->tty ? "\r\033[K" : "", sig_name(sig), b->building,
			    b->building == 1 ? "" : "s");
			pthread_cond_broadcast(&b->cv);
			pthread_mutex_unlock(&b->mu);
			continue;
		}
		/* A second: at once. Every temporary file in flight goes. */
		for (k = 0; k < b->threads; k++)
			if (b->slot[k] != NULL && sc_job_temp(b->slot[k])[0] != '\0')
				unlink(sc_job_temp(b->slot[k]));
		fprintf(stderr, "\nscrutineer: batch: %s again: stopped at once\n",
		    sig_name(sig));
		_exit(128 + sig);
	}
}

/* ---- the command ------------------------------------------------------- */

static int
add_define(struct batch *b, const char *d)
{
	char **v = realloc(b->defines, (b->ndefines + 1) * sizeof(*v));

	if (v == NULL)
		return -1;
	b->defines = v;
	if ((v[b->ndefines] = strdup(d)) == NULL)
		return -1;
	b->ndefines++;
	return 0;
}

/* The batch's own options; the rest are the lists, folders and
 * definitions, left in args. SC_OK or a usage status. */
static int
options(struct batch *b, int argc, char **argv, char **args, int *nargs,
    const char **dd)
{
	int i;

	*nargs = 0;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		/* -jN as make takes it, and -j N */
		int jn = strncmp(a, "-j", 2) == 0 && a[2] != '\0';
		if (jn || strcmp(a, "-D") == 0 || strcmp(a, "-j") == 0 ||
		    strcmp(a, "-o") == 0 || strcmp(a, "--json") == 0 ||
		    strcmp(a, "--allow-path") == 0 ||
		    strcmp(a, "--data-dir") == 0 || strcmp(a, "--pdfa") == 0) {
			const char *v = jn ? a + 2 : i + 1 < argc ? argv[++i] : NULL;
			const char *eq;
			if (v == NULL)
				return fail_usage("option needs a value", a);
			if (a[1] == 'D') {
				eq = strchr(v, '=');
				if (eq == NULL || eq == v || eq - v > 200)
					return fail_usage("-D needs NAME=VALUE", v);
				if (add_define(b, v) != 0)
					return SC_EINTERNAL;
			} else if (a[1] == 'j') {
				char *end;
				long n = strtol(v, &end, 10);
				if (*end != '\0' || end == v || n < 1 || n > 256)
					return fail_usage("-j needs a number of builds at once, "
					    "from 1 to 256", v);
				b->threads = (int)n;
			} else if (a[1] == 'o')
				b->outdir = v;
			else if (strcmp(a, "--json") == 0)
				b->json = v;
			else if (strcmp(a, "--data-dir") == 0)
				*dd = v;
			else if (strcmp(a, "--pdfa") == 0)
				b->pdfa = v;
			else if (sc_ctx_allow_path(b->ctx, v) != SC_OK)
				return SC_EINTERNAL;
			else
				b->allow[b->nallow++] = v;
		} else if (strcmp(a, "--fail-fast") == 0)
			b->fail_fast = 1;
		else if (strcmp(a, "--no-strict") == 0)
			b->strict = 0;
		else if (strncmp(a, "--pdfa=", 7) == 0)
			b->pdfa = a + 7;
		else if (strcmp(a, "--no-ua") == 0)
			b->no_ua = 1;
		else if (a[0] == '-' && a[1] != '\0')
			return fail_usage("unknown option", a);
		else
			args[(*nargs)++] = argv[i];
	}
	if (*nargs == 0)
		return fail_usage("name a list file, a folder or a definition to "
		    "build", NULL);
	if (b->pdfa != NULL) {
		/* The library owns the levels: a job that builds nothing asks. */
		sc_job *probe = sc_job_new_in(b->ctx, "-");
		int rc = probe == NULL ? SC_EINTERNAL :
		    sc_job_set_pdfa(probe, b->pdfa);
		sc_job_free(probe);
		if (rc == SC_EUSAGE)
			return fail_usage("--pdfa is none, 2a (the default), 2u or 3a",
			    b->pdfa);
		if (rc != SC_OK)
			return SC_EINTERNAL;
	}
	return SC_OK;
}

/* -o OUTDIR: made when missing (its parent must exist). */
static int
make_outdir(const char *dir)
{
	struct stat st;

	if (stat(dir, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return SC_OK;
		fprintf(stderr, "scrutineer: batch: -o %s: is not a folder; name "
		    "the folder to write the PDFs in\n", dir);
		return SC_EUSAGE;
	}
	if (mkdir(dir, 0777) != 0) {
		fprintf(stderr, "scrutineer: batch: -o %s: cannot create the "
		    "folder: %s\n", dir, strerror(errno));
		return SC_EINTERNAL;
	}
	return SC_OK;
}

/* The plan's messages, as build prints them. */
static void
print_plan(const struct batch_plan *p)
{
	size_t i;

	for (i = 0; i < p->diags.n; i++) {
		struct run_diag d = { p->diags.v[i].level, (char *)p->diags.v[i].file,
			p->diags.v[i].line, (char *)p->diags.v[i].message };
		print_diag(&d);
	}
}

/* The JSON file may not be one of the PDFs. */
static int
json_clash(const struct batch *b)
{
	struct stat a, o;
	size_t i;

	if (b->json == NULL || strcmp(b->json, "-") == 0)
		return 0;
	for (i = 0; i < b->plan.n; i++)
		if (strcmp(b->plan.v[i].output, b->json) == 0 ||
		    (stat(b->json, &a) == 0 && stat(b->plan.v[i].output, &o) == 0 &&
		    a.st_dev == o.st_dev && a.st_ino == o.st_ino)) {
			fprintf(stderr, "scrutineer: batch: --json %s: is the PDF that "
			    "%s writes; name another file\n", b->json,
			    b->plan.v[i].definition);
			return 1;
		}
	return 0;
}

/* Runs the plan on b->threads workers; the calling thread draws the
 * progress line. */
static int
run(struct batch *b)
{
	pthread_t *t = calloc((size_t)b->threads, sizeof(*t)), st;
	struct worker *wk = calloc((size_t)b->threads, sizeof(*wk));
	struct sigs s;
	sigset_t old;
	int k, started = 0, rc = 0;

	b->slot = calloc((size_t)b->threads, sizeof(*b->slot));
	if (t == NULL || wk == NULL || b->slot == NULL) {
		free(t);
		free(wk);
		fprintf(stderr, "scrutineer: batch: out of memory starting the "
		    "builds\n");
		return -1;
	}
	/* Blocked in every thread; taken by one. */
	memset(&s, 0, sizeof(s));
	s.b = b;
	sigemptyset(&s.set);
	sigaddset(&s.set, SIGINT);
	sigaddset(&s.set, SIGTERM);
	sigaddset(&s.set, SIGHUP);
	sigaddset(&s.set, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &s.set, &old);
	if (pthread_create(&st, NULL, take_signals, &s) != 0) {
		fprintf(stderr, "scrutineer: batch: cannot start a thread\n");
		rc = -1;
		goto out;
	}
	b->t0 = batch_now();
	pthread_mutex_lock(&b->mu);
	for (k = 0; k < b->threads; k++) {
		wk[k].b = b;
		wk[k].w = k;
		if (pthread_create(&t[k], NULL, work, &wk[k]) != 0)
			break;
		b->active++;
	}
	started = k;
	if (started == 0) {
		fprintf(stderr, "scrutineer: batch: cannot start a thread\n");
		rc = -1;
	}
	while (b->active > 0) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 250000000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		if (b->tty)
			progress(b);
		pthread_cond_timedwait(&b->cv, &b->mu, &ts);
	}
	b->elapsed = batch_now() - b->t0;
	if (b->tty) {
		/* The last state stays on the screen, above the summary. */
		b->building = 0;
		progress(b);
		fputc('\n', stderr);
	}
	s.over = 1;
	pthread_mutex_unlock(&b->mu);
	for (k = 0; k < started; k++)
		pthread_join(t[k], NULL);
	pthread_kill(st, SIGUSR1);
	pthread_join(st, NULL);
out:
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	free(t);
	free(wk);
	return rc;
}

static void
batch_free(struct batch *b)
{
	size_t i, k;

	for (i = 0; b->runs != NULL && i < b->plan.n; i++) {
		for (k = 0; k < b->runs[i].ndiags; k++) {
			free(b->runs[i].diags[k].file);
			free(b->runs[i].diags[k].message);
		}
		free(b->runs[i].diags);
	}
	free(b->runs);
	for (i = 0; i < b->ndefines; i++)
		free(b->defines[i]);
	free(b->defines);
	free(b->define_used);
	free(b->slot);
	free(b->allow);
	batch_plan_free(&b->plan);
	sc_ctx_free(b->ctx);
	pthread_mutex_destroy(&b->mu);
	pthread_cond_destroy(&b->cv);
}

int
batch_main(int argc, char **argv)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH"), *dd = NULL;
	struct batch_opts o;
	struct batch b;
	char **args;
	int nargs, i, rc;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);

	memset(&b, 0, sizeof(b));
	pthread_mutex_init(&b.mu, NULL);
	pthread_cond_init(&b.cv, NULL);
	batch_plan_init(&b.plan);
	b.strict = 1;
	b.threads = ncpu > 0 ? (int)(ncpu < 256 ? ncpu : 256) : 1;
	b.tty = isatty(STDERR_FILENO);
	if ((args = calloc((size_t)argc, sizeof(*args))) == NULL ||
	    (b.allow = calloc((size_t)argc, sizeof(*b.allow))) == NULL ||
	    (b.ctx = sc_ctx_new()) == NULL) {
		free(args);
		batch_free(&b);
		fprintf(stderr, "scrutineer: out of memory\n");
		return SC_EINTERNAL;
	}
	if ((rc = options(&b, argc, argv, args, &nargs, &dd)) != SC_OK)
		goto out;
	if (rc == SC_OK && dd != NULL)
		rc = sc_ctx_set_data_dir(b.ctx, dd);
	/* As build: digits only, else ignored. */
	if (rc == SC_OK && sde != NULL && *sde != '\0' && strlen(sde) < 15 &&
	    strspn(sde, "0123456789") == strlen(sde))
		sc_ctx_set_source_date(b.ctx, strtoll(sde, NULL, 10));
	if (rc == SC_OK)
		rc = sc_ctx_set_strict(b.ctx, b.strict);
	if (rc == SC_OK && b.outdir != NULL)
		rc = make_outdir(b.outdir);
	if (rc != SC_OK)
		goto out;
	/* Everything the lists and folders say is read, and checked, before
	 * anything is built. */
	memset(&o, 0, sizeof(o));
	o.outdir = b.outdir;
	o.allow = b.allow;
	o.nallow = b.nallow;
	for (i = 0; i < nargs; i++)
		batch_plan_add(&b.plan, args[i], &o);
	if (b.plan.diags.errors == 0)
		batch_plan_check(&b.plan);
	print_plan(&b.plan);
	if (b.plan.diags.errors > 0 || b.plan.diags.lost) {
		fprintf(stderr, "scrutineer: batch: nothing was built; correct the "
		    "above first\n");
		rc = b.plan.diags.oom ? SC_EINTERNAL : SC_EINPUT;
		goto out;
	}
	if (json_clash(&b)) {
		rc = SC_EUSAGE;
		goto out;
	}
	if ((size_t)b.threads > b.plan.n)
		b.threads = (int)b.plan.n;
	if ((b.runs = calloc(b.plan.n, sizeof(*b.runs))) == NULL ||
	    (b.ndefines > 0 && (b.define_used = calloc(b.ndefines,
	    sizeof(*b.define_used))) == NULL)) {
		fprintf(stderr, "scrutineer: out of memory\n");
		rc = SC_EINTERNAL;
		goto out;
	}
	if (run(&b) != 0) {
		rc = SC_EINTERNAL;
		goto out;
	}
	/* A batch -D that no definition declares is a typing error. */
	for (i = 0; i < (int)b.ndefines; i++)
		if (!b.define_used[i] && b.done > b.failed && ++b.unused)
			fprintf(stderr, "scrutineer: batch: error: -D %.*s: no "
			    "definition of the batch has <param name=\"%.*s\">; "
			    "check the name\n",
			    (int)(strchr(b.defines[i], '=') - b.defines[i]),
			    b.defines[i], (int)(strchr(b.defines[i], '=') -
			    b.defines[i]), b.defines[i]);
	batch_summary(&b);
	rc = batch_status(&b);
	if (b.json != NULL && batch_json(&b) != 0 && rc == SC_OK)
		rc = SC_EINTERNAL;
out:
	free(args);
	batch_free(&b);
	return rc;
}
