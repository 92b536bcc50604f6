/*
 * test_batch.c — what `scrutineer batch` asks of the library: optional
 * defines (and which were used), sc_ctx_cancel() before and during a
 * build (nothing written, no temporary file, the old PDF kept), the root
 * sniffing that tells reports and packs from other XML, and the list
 * planner (src/batch/plan.c) on the cases a shell test cannot reach.
 */
#include "helpers.h"

#include <dirent.h>
#include <limits.h>
#include <pthread.h>
#include <sys/stat.h>

#include "scrutineer.h"
#include "batch/plan.h"
#include "pack/pack.h"

static char dir[64];

static void
put(const char *name, const char *text)
{
	char p[PATH_MAX];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	assert_non_null(f = fopen(p, "wb"));
	fputs(text, f);
	fclose(f);
}

/* Files in dir whose name starts with '.': a temporary file left. */
static int
temp_files(const char *d)
{
	DIR *dh = opendir(d);
	struct dirent *e;
	int n = 0;

	assert_non_null(dh);
	while ((e = readdir(dh)) != NULL)
		n += e->d_name[0] == '.' && strcmp(e->d_name, ".") != 0 &&
		    strcmp(e->d_name, "..") != 0;
	closedir(dh);
	return n;
}

static int
has_diag(const sc_job *j, const char *text)
{
	size_t i;

	for (i = 0; i < sc_job_diag_count(j); i++)
		if (strstr(sc_job_diag(j, i)->message, text) != NULL)
			return 1;
	return 0;
}

static int
setup(void **state)
{
	snprintf(dir, sizeof(dir), "/tmp/sc-batch-XXXXXX");
	assert_non_null(mkdtemp(dir));
	put("plain.xml", "<report version=\"1\"><meta><title>Plain</title>"
	    "</meta><section title=\"S\"><p>Text.</p></section></report>");
	put("year.xml", "<report version=\"1\"><meta><title>Year</title></meta>"
	    "<params><param name=\"year\" default=\"2023/24\"/></params>"
	    "<section title=\"S\"><p>In <value param=\"year\"/>.</p></section>"
	    "</report>");
	put("house.xml", "<?xml version=\"1.0\"?>\n<!-- a house style -->\n"
	    "<template version=\"1\" name=\"house\"/>");
	put("pack.xml", "\xEF\xBB\xBF<?xml version=\"1.0\"?><pack version=\"1\">"
	    "</pack>");
	return 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
	return 0;
}

static sc_job *
job_for(sc_ctx *ctx, const char *name, const char *out)
{
	char p[PATH_MAX], o[PATH_MAX];
	sc_job *j;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	snprintf(o, sizeof(o), "%s/%s", dir, out);
	assert_non_null(j = sc_job_new_in(ctx, p));
	assert_int_equal(sc_job_set_output(j, o), SC_OK);
	assert_int_equal(sc_job_set_data_dir(j, "."), SC_OK);
	return j;
}

/* An optional -D is ignored by a definition without the parameter and
 * used by one with it; a plain -D is still an error there. */
static void
test_define_optional(void **state)
{
	sc_job *j = job_for(NULL, "plain.xml", "plain.pdf");

	assert_int_equal(sc_job_define_optional(j, "year", "2022/23"), SC_OK);
	assert_int_equal(sc_build(j), SC_OK);
	assert_int_equal(sc_job_define_used(j, "year"), 0);
	sc_job_free(j);

	j = job_for(NULL, "year.xml", "year.pdf");
	assert_int_equal(sc_job_define_optional(j, "year", "2022/23"), SC_OK);
	assert_int_equal(sc_job_define_optional(j, "other", "x"), SC_OK);
	assert_int_equal(sc_build(j), SC_OK);
	assert_int_equal(sc_job_define_used(j, "year"), 1);
	assert_int_equal(sc_job_define_used(j, "other"), 0);
	assert_int_equal(sc_job_define_used(j, "nothing"), 0);
	sc_job_free(j);

	j = job_for(NULL, "plain.xml", "plain.pdf");
	assert_int_equal(sc_job_define(j, "year", "2022/23"), SC_OK);
	assert_int_equal(sc_build(j), SC_EINPUT);
	assert_true(has_diag(j, "-D year: the definition has no <param"));
	sc_job_free(j);
}

/* A cancelled context: the build fails at once, says so, writes nothing
 * and leaves the old PDF as it was. */
static void
test_cancel_before(void **state)
{
	sc_ctx *ctx = sc_ctx_new();
	char out[PATH_MAX];
	sc_job *j;
	char *before, *after;
	size_t n1, n2;

	j = job_for(ctx, "year.xml", "old.pdf");
	assert_int_equal(sc_build(j), SC_OK);
	sc_job_free(j);
	snprintf(out, sizeof(out), "%s/old.pdf", dir);
	before = slurp_file(out, &n1);
	assert_non_null(before);
	sc_ctx_cancel(ctx);
	j = job_for(ctx, "year.xml", "old.pdf");
	assert_int_equal(sc_job_define(j, "year", "2019/20"), SC_OK);
	assert_int_equal(sc_build(j), SC_EINTERNAL);
	assert_true(has_diag(j, "interrupted: the build was stopped"));
	/* The stages too. */
	assert_int_equal(sc_job_load(j), SC_EINTERNAL);
	sc_job_free(j);
	after = slurp_file(out, &n2);
	assert_int_equal(n1, n2);
	assert_memory_equal(before, after, n1);
	assert_int_equal(temp_files(dir), 0);
	free(before);
	free(after);
	sc_ctx_free(ctx);
}

struct racer {
	sc_ctx *ctx;
	char    def[PATH_MAX], out[PATH_MAX];
	int     rc, rounds;
	int     interrupted;
};

static void *
build_until_cancelled(void *arg)
{
	struct racer *r = arg;
	int k;

	/* Builds in a row: the cancel lands inside one of them. */
	for (k = 0; k < 200; k++) {
		sc_job *j = sc_job_new_in(r->ctx, r->def);
		sc_job_set_output(j, r->out);
		sc_job_set_data_dir(j, ".");
		r->rc = sc_build(j);
		r->rounds++;
		r->interrupted = has_diag(j, "interrupted: ");
		sc_job_free(j);
		if (r->rc != SC_OK)
			break;
	}
	return NULL;
}

/* Cancelled from another thread while builds run: the one in flight
 * stops with the message, leaves no temporary file, and the PDF in
 * place is a whole one from an earlier round. */
static void
test_cancel_during(void **state)
{
	struct racer r;
	pthread_t t;
	struct timespec ts = { 0, 30 * 1000 * 1000 };
	char *pdf;
	size_t n;

	memset(&r, 0, sizeof(r));
	r.ctx = sc_ctx_new();
	if (realpath("examples/blaby-2023/report.xml", r.def) == NULL)
		skip();
	snprintf(r.out, sizeof(r.out), "%s/race.pdf", dir);
	assert_int_equal(pthread_create(&t, NULL, build_until_cancelled, &r), 0);
	nanosleep(&ts, NULL);
	ts.tv_nsec = 100 * 1000 * 1000;
	nanosleep(&ts, NULL);
	sc_ctx_cancel(r.ctx);
	pthread_join(t, NULL);
	assert_int_equal(r.rc, SC_EINTERNAL);
	assert_true(r.interrupted);
	assert_true(r.rounds < 200);
	assert_int_equal(temp_files(dir), 0);
	if (r.rounds > 1) {
		assert_non_null(pdf = slurp_file(r.out, &n));
		assert_true(n > 1000);
		assert_memory_equal(pdf, "%PDF-", 5);
		assert_memory_equal(pdf + n - 6, "%%EOF\n", 6);
		free(pdf);
	}
	sc_ctx_free(r.ctx);
}

static void
test_root_sniff(void **state)
{
	char p[PATH_MAX];

	snprintf(p, sizeof(p), "%s/year.xml", dir);
	assert_true(root_sniff(p, "report"));
	assert_false(root_sniff(p, "pack"));
	assert_false(root_sniff(p, "rep"));
	snprintf(p, sizeof(p), "%s/house.xml", dir);
	assert_false(root_sniff(p, "report"));
	assert_true(root_sniff(p, "template"));
	snprintf(p, sizeof(p), "%s/pack.xml", dir);
	assert_true(root_sniff(p, "pack"));
	assert_true(pack_sniff(p));
	assert_false(root_sniff(p, "report"));
	assert_false(root_sniff(dir, "report"));
}

/* The planner: names resolve against the list's folder, outputs are
 * named after definitions (a folder's report.xml by the folder), a
 * line's own -D and -o are kept, and a collision is found. */
static void
test_plan(void **state)
{
	struct batch_plan p;
	struct batch_opts o;
	char list[PATH_MAX], out[256], want[PATH_MAX];
	static const char text[] =
	    "# a comment\n"
	    "\n"
	    "year.xml -D year=2021/22 -o \"y 21.pdf\"   # and a comment\n"
	    "  \"plain.xml\"\t-D a=b -D c=d=e\r\n"
	    "pack.xml --part b\n";

	memset(&o, 0, sizeof(o));
	snprintf(list, sizeof(list), "%s/year-end.list", dir);
	snprintf(out, sizeof(out), "%s/out", dir);
	mkdir(out, 0777);
	o.outdir = out;
	batch_plan_init(&p);
	assert_int_equal(batch_plan_list(&p, list, text, sizeof(text) - 1, &o),
	    0);
	assert_int_equal(p.diags.errors, 0);
	assert_int_equal(p.n, 3);
	snprintf(want, sizeof(want), "%s/year.xml", dir);
	assert_string_equal(p.v[0].definition, want);
	snprintf(want, sizeof(want), "%s/y 21.pdf", out);
	assert_string_equal(p.v[0].output, want);
	assert_int_equal(p.v[0].ndefines, 1);
	assert_string_equal(p.v[0].defines[0], "year=2021/22");
	assert_int_equal(p.v[0].line, 3);
	assert_int_equal(p.v[1].ndefines, 2);
	assert_string_equal(p.v[1].defines[1], "c=d=e");
	snprintf(want, sizeof(want), "%s/plain.pdf", out);
	assert_string_equal(p.v[1].output, want);
	assert_int_equal(p.v[2].pack, 1);
	assert_string_equal(p.v[2].part, "b");
	snprintf(want, sizeof(want), "%s/pack-part-b.pdf", out);
	assert_string_equal(p.v[2].output, want);
	assert_int_equal(batch_plan_check(&p), 0);
	/* The same line again: one output for two. */
	assert_int_equal(batch_plan_list(&p, list, "plain.xml\n", 10, &o), 0);
	assert_int_equal(batch_plan_check(&p), -1);
	assert_int_equal(p.diags.errors, 1);
	assert_non_null(strstr(p.diags.v[0].message, "would write"));
	assert_int_equal(p.diags.v[0].line, 1);
	batch_plan_free(&p);

	/* Without OUTDIR, beside the definition as build writes it. */
	o.outdir = NULL;
	batch_plan_init(&p);
	assert_int_equal(batch_plan_list(&p, list, "./year.xml\n", 11, &o), 0);
	snprintf(want, sizeof(want), "%s/year.pdf", dir);
	assert_string_equal(p.v[0].output, want);
	batch_plan_free(&p);
}

/* A list can hold BATCH_MAX_ENTRIES and no more: said once. */
static void
test_plan_cap(void **state)
{
	struct batch_plan p;
	struct batch_opts o;
	char list[PATH_MAX];
	size_t n = BATCH_MAX_ENTRIES + 5, i;
	char *text = malloc(n * 9 + 1), *w = text;

	for (i = 0; i < n; i++)
		w += sprintf(w, "year.xml\n");
	memset(&o, 0, sizeof(o));
	snprintf(list, sizeof(list), "%s/many.list", dir);
	batch_plan_init(&p);
	assert_int_equal(batch_plan_list(&p, list, text, (size_t)(w - text), &o),
	    -1);
	assert_int_equal(p.n, BATCH_MAX_ENTRIES);
	assert_int_equal(p.diags.errors, 1);
	assert_int_equal(p.diags.v[0].line, BATCH_MAX_ENTRIES + 1);
	batch_plan_free(&p);
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_define_optional),
		cmocka_unit_test(test_cancel_before),
		cmocka_unit_test(test_cancel_during),
		cmocka_unit_test(test_root_sniff),
		cmocka_unit_test(test_plan),
		cmocka_unit_test(test_plan_cap),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
