/*
 * test_threads.c — jobs built on 2, 4 and 8 threads of one process, round
 * after round, give the bytes (and the messages) the same jobs give built
 * one after another; so do jobs whose host set a comma-decimal locale
 * with setlocale() (or a thread's own with uselocale()), and the host's
 * locale is as it was afterwards. `make tsan` runs this under
 * ThreadSanitizer, which is what finds a race that happened to give the
 * right bytes.
 */
#include "helpers.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <pthread.h>
#include <sys/stat.h>

#include "scrutineer.h"

/* Varied ones: data tables, charts (also drawn by cairo on their own),
 * a risk register, generated SQL-heavy data, plain prose. */
static const char *const names[] = {
	"blaby-2023", "hinckley-blaby-2017", "chart-gallery", "police-uk",
	"minutes-2017", "pack-2023-12",
};
#define NEX (sizeof(names) / sizeof(names[0]))
#define ROUNDS 2
#define MAXT 8

/* What one job made: the PDF, the charts (chart-gallery only) and the
 * messages, each as one string to compare. */
struct result {
	int   rc, charts_rc;
	char *pdf;
	size_t pdf_len;
	char *charts;   /* every chart file: "name length\n" then its bytes */
	size_t charts_len;
	char *diags;    /* "level line message\n" each */
	size_t ndiags;
	int   locale_kept;  /* the thread's locale after, as before */
};

struct task {
	const char   *def;
	char          out[PATH_MAX];
	char          chart_dir[PATH_MAX];  /* "" for no sc_charts() */
	int           own_locale;  /* uselocale() a copy of the host's first */
	struct result r;
};

static struct result ref[NEX];
static int have[NEX];
static char tmpdir[64];

static int
cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The files of dir, sorted by name, in one buffer; each removed. */
static void
take_dir(const char *dir, struct buf *b)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char *v[256], path[PATH_MAX + 300];
	size_t n = 0, i, len;

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL && n < 256)
		if (e->d_name[0] != '.')
			v[n++] = strdup(e->d_name);
	closedir(d);
	qsort(v, n, sizeof(v[0]), cmp_name);
	for (i = 0; i < n; i++) {
		char *data;
		snprintf(path, sizeof(path), "%s/%s", dir, v[i]);
		data = slurp_file(path, &len);
		buf_printf(b, "%s %zu\n", v[i], len);
		if (data != NULL)
			buf_put(b, data, len);
		free(data);
		unlink(path);
		free(v[i]);
	}
}

static int
numeric_is(const char *point)
{
	return strcmp(localeconv()->decimal_point, point) == 0;
}

/* One job, as a host program would run it; touches no cmocka state (its
 * asserts are not for other threads). */
static void
run_job(struct task *t)
{
	sc_job *j = sc_job_new(t->def);
	locale_t own = (locale_t)0, before = (locale_t)0;
	struct buf b;
	size_t i;

	memset(&t->r, 0, sizeof(t->r));
	t->r.rc = t->r.charts_rc = -1;
	/* A copy, not newlocale(): with LOCPATH set, glibc's newlocale()
	 * leaks its copy of the path (LeakSanitizer in make asan). */
	if (t->own_locale &&
	    (own = duplocale(LC_GLOBAL_LOCALE)) != (locale_t)0)
		before = uselocale(own);
	if (j == NULL || sc_job_set_data_dir(j, ".") != SC_OK ||
	    sc_job_set_output(j, t->out) != SC_OK)
		goto out;
	/* The agenda pack reads the other examples. */
	if (strstr(t->def, "/pack-") != NULL &&
	    sc_job_allow_path(j, "examples") != SC_OK)
		goto out;
	t->r.rc = sc_build(j);
	buf_init(&b);
	for (i = 0; i < sc_job_diag_count(j); i++) {
		const sc_diag *d = sc_job_diag(j, i);
		buf_printf(&b, "%d %d %s\n", (int)d->level, d->line, d->message);
	}
	t->r.ndiags = sc_job_diag_count(j);
	t->r.diags = b.data;
	t->r.pdf = slurp_file(t->out, &t->r.pdf_len);
	unlink(t->out);
	if (t->chart_dir[0] != '\0' && mkdir(t->chart_dir, 0700) == 0) {
		/* Both of cairo's surfaces, each with its own FreeType. */
		buf_init(&b);
		t->r.charts_rc = sc_charts(j, t->chart_dir, "svg");
		if (t->r.charts_rc == SC_OK)
			t->r.charts_rc = sc_charts(j, t->chart_dir, "png");
		take_dir(t->chart_dir, &b);
		rmdir(t->chart_dir);
		t->r.charts = b.data;
		t->r.charts_len = b.len;
	}
out:
	/* The library gave the thread its locale back. */
	t->r.locale_kept = own != (locale_t)0 ? uselocale((locale_t)0) == own :
	    1;
	if (own != (locale_t)0) {
		uselocale(before);
		freelocale(own);
	}
	sc_job_free(j);
}

static void *
thread_main(void *arg)
{
	run_job(arg);
	return NULL;
}

static void
result_free(struct result *r)
{
	free(r->pdf);
	free(r->charts);
	free(r->diags);
	memset(r, 0, sizeof(*r));
}

static void
task_for(struct task *t, size_t ex, const char *tag, int k)
{
	memset(t, 0, sizeof(*t));
	t->def = NULL;
	snprintf(t->out, sizeof(t->out), "%s/%s-%d-%s.pdf", tmpdir, tag, k,
	    names[ex]);
	if (strcmp(names[ex], "chart-gallery") == 0)
		snprintf(t->chart_dir, sizeof(t->chart_dir), "%s/%s-%d-charts",
		    tmpdir, tag, k);
}

static char defs[NEX][PATH_MAX];

/* The same as the serial build, or a failure naming what differs. */
static void
same_as_ref(const struct task *t, size_t ex, const char *when)
{
	const struct result *r = &t->r, *f = &ref[ex];

	if (r->rc != f->rc || r->ndiags != f->ndiags ||
	    r->pdf_len != f->pdf_len ||
	    (r->pdf_len && memcmp(r->pdf, f->pdf, r->pdf_len) != 0) ||
	    r->charts_rc != f->charts_rc || r->charts_len != f->charts_len ||
	    (r->charts_len && memcmp(r->charts, f->charts, r->charts_len) != 0) ||
	    strcmp(r->diags ? r->diags : "", f->diags ? f->diags : "") != 0 ||
	    !r->locale_kept)
		fail_msg("%s: %s differs from the serial build (rc %d/%d, "
		    "%zu/%zu messages, PDF %zu/%zu bytes, charts %zu/%zu bytes, "
		    "locale kept %d)", when, names[ex], r->rc, f->rc, r->ndiags,
		    f->ndiags, r->pdf_len, f->pdf_len, r->charts_len,
		    f->charts_len, r->locale_kept);
}

/* One round of n threads: thread k builds example (k + shift) mod NEX. */
static void
round_of(int n, int shift, const char *tag, int own_locale)
{
	struct task t[MAXT];
	pthread_t th[MAXT];
	size_t ex[MAXT];
	int k, started[MAXT];
	char when[64];

	for (k = 0; k < n; k++) {
		size_t e = ((size_t)k + (size_t)shift) % NEX;
		int tries = 0;
		/* Examples whose input is missing are left out. */
		while (!have[e] && tries++ < (int)NEX)
			e = (e + 1) % NEX;
		ex[k] = e;
		task_for(&t[k], e, tag, k);
		t[k].def = defs[e];
		t[k].own_locale = k % 2 ? own_locale : 0;
	}
	for (k = 0; k < n; k++)
		started[k] = pthread_create(&th[k], NULL, thread_main, &t[k]) == 0;
	for (k = 0; k < n; k++)
		if (started[k])
			pthread_join(th[k], NULL);
	for (k = 0; k < n; k++) {
		assert_true(started[k]);
		snprintf(when, sizeof(when), "%s, %d threads, thread %d", tag, n,
		    k);
		same_as_ref(&t[k], ex[k], when);
		result_free(&t[k].r);
	}
}

static int
setup(void **state)
{
	size_t e;
	int any = 0;

	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/sc-threads-XXXXXX");
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	for (e = 0; e < NEX; e++) {
		struct stat st;
		snprintf(defs[e], sizeof(defs[e]), "examples/%s/%s", names[e],
		    strncmp(names[e], "pack-", 5) == 0 ? "meeting.xml" :
		    "report.xml");
		/* police-uk's data and the pack's appendices are generated
		 * (make test makes them). */
		have[e] = stat(defs[e], &st) == 0 &&
		    (strcmp(names[e], "police-uk") != 0 ||
		    stat("examples/police-uk/data/street.csv", &st) == 0) &&
		    (strncmp(names[e], "pack-", 5) != 0 || stat("examples/"
		    "pack-2023-12/appendices/action-plans.pdf", &st) == 0);
		if (!have[e]) {
			printf("skip %s: its input is missing\n", names[e]);
			continue;
		}
		{
			struct task t;
			task_for(&t, e, "serial", 0);
			t.def = defs[e];
			run_job(&t);
			ref[e] = t.r;
		}
		any = 1;
	}
	return any ? 0 : -1;
}

static int
teardown(void **state)
{
	char cmd[128];
	size_t e;

	(void)state;
	for (e = 0; e < NEX; e++)
		result_free(&ref[e]);
	/* Whatever a failed test left there too (the made locale). */
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	if (system(cmd) == -1)
		rmdir(tmpdir);
	return 0;
}

/* The references themselves: built, and charts drawn. */
static void
test_serial(void **state)
{
	size_t e;

	(void)state;
	for (e = 0; e < NEX; e++)
		if (have[e]) {
			assert_int_equal(ref[e].rc, SC_OK);
			assert_true(ref[e].pdf_len > 1000);
			if (strcmp(names[e], "chart-gallery") == 0) {
				assert_int_equal(ref[e].charts_rc, SC_OK);
				assert_true(ref[e].charts_len > 1000);
			}
		}
}

static void
test_threads(void **state)
{
	static const int n[] = { 2, 4, 8 };
	size_t i;
	int r;

	(void)state;
	for (i = 0; i < sizeof(n) / sizeof(n[0]); i++)
		for (r = 0; r < ROUNDS; r++)
			round_of(n[i], r * 3 + (int)i, "threads", 0);
}

/*
 * A comma-decimal locale: the system's, else one made with localedef in
 * the test's folder (LOCPATH), else none. Returns its name or NULL.
 */
static const char *
comma_locale(void)
{
	static const char *const try[] = { "de_DE.UTF-8", "de_DE.utf8",
	    "fr_FR.UTF-8", "nl_NL.UTF-8", "de_DE", NULL };
	char cmd[256];
	int i;

	for (i = 0; try[i] != NULL; i++)
		if (setlocale(LC_ALL, try[i]) != NULL && numeric_is(","))
			return try[i];
	snprintf(cmd, sizeof(cmd), "localedef -c -i de_DE -f UTF-8 "
	    "%s/de_DE.UTF-8 >/dev/null 2>&1", tmpdir);
	if (system(cmd) != -1) {
		setenv("LOCPATH", tmpdir, 1);
		if (setlocale(LC_ALL, "de_DE.UTF-8") != NULL && numeric_is(","))
			return "de_DE.UTF-8";
	}
	setlocale(LC_ALL, "C");
	return NULL;
}

/* A host that set a German locale gets the same bytes, serially and on
 * threads (half of them with a locale of their own too), and keeps its
 * locale. */
static void
test_host_locale(void **state)
{
	const char *loc;
	char path[PATH_MAX];
	size_t e;

	(void)state;
	/* The serial builds of setup() gave this thread its locale back
	 * (else setlocale() below would not reach it, and this would skip). */
	assert_true(uselocale((locale_t)0) == LC_GLOBAL_LOCALE);
	loc = comma_locale();
	if (loc == NULL) {
		/* C.UTF-8 at least: its LC_CTYPE is not C's. */
		if (setlocale(LC_ALL, "C.UTF-8") != NULL) {
			round_of(4, 0, "c-utf8", 0);
			setlocale(LC_ALL, "C");
		}
		printf("skip: no comma-decimal locale (no de_DE, and localedef "
		    "could not make one): only C.UTF-8 was tried\n");
		skip();
	}
	for (e = 0; e < NEX; e++)
		if (have[e]) {
			struct task t;
			task_for(&t, e, "locale-serial", 0);
			t.def = defs[e];
			run_job(&t);
			same_as_ref(&t, e, loc);
			result_free(&t.r);
			assert_true(numeric_is(","));
		}
	round_of(4, 1, "locale", 1);
	round_of(8, 2, "locale", 1);
	assert_true(numeric_is(","));
	setlocale(LC_ALL, "C");
	/* The made locale is a folder of files (and of folders). */
	snprintf(path, sizeof(path), "rm -rf %s/de_DE.UTF-8", tmpdir);
	if (system(path) == -1)
		printf("could not remove %s/de_DE.UTF-8\n", tmpdir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_serial),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_host_locale),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
