/* test_path.c — the one path policy (src/util/path.c): where a
 * definition's names may lead, safe opening, and the outputs refused. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "scrutineer.h"
#include "util/path.h"

static char dir[64];

static void
put(const char *name, const char *text)
{
	char p[256];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	assert_non_null(f = fopen(p, "w"));
	fputs(text, f);
	fclose(f);
}

static const char *
at(const char *name)
{
	static char p[4][256];
	static int k;

	k = (k + 1) % 4;
	snprintf(p[k], sizeof(p[k]), "%s/%s", dir, name);
	return p[k];
}

static int
setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/sc-path-XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	mkdir(at("in"), 0755);
	mkdir(at("out"), 0755);
	put("in/a.csv", "a\n1\n");
	put("out/b.csv", "b\n2\n");
	symlink("../out/b.csv", at("in/link.csv"));
	mkfifo(at("in/pipe.csv"), 0644);
	return 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static const char *
last(const struct diags *d)
{
	return d->n ? d->v[d->n - 1].message : "";
}

static void
test_resolve(void **state)
{
	struct arena a;
	struct diags d;
	char outside[256];
	const char *allow[1];
	struct path_policy p = { NULL, NULL, 0, NULL };
	static const char keep[] = "keep it here";

	(void)state;
	arena_init(&a);
	diags_init(&d);
	snprintf(outside, sizeof(outside), "%s", at("out"));
	p.base = at("in");
	assert_non_null(path_resolve(&p, "a.csv", "data file", keep, &a, &d,
	    "r.xml", 3));
	assert_null(path_resolve(&p, "../out/b.csv", "data file", keep, &a, &d,
	    "r.xml", 4));
	assert_string_equal(last(&d), "\"../out/b.csv\" is outside the "
	    "definition's folder; keep it here");
	assert_int_equal(d.v[d.n - 1].line, 4);
	assert_null(path_resolve(&p, "../out/none.csv", "data file", keep, &a,
	    &d, "r.xml", 4));
	assert_string_equal(last(&d), "\"../out/none.csv\" is outside the "
	    "definition's folder; keep it here");
	assert_null(path_resolve(&p, "link.csv", "data file", keep, &a, &d,
	    "r.xml", 5));
	assert_string_equal(last(&d), "\"link.csv\" is a link to "
	    "\"../out/b.csv\", outside the definition's folder; keep it here");
	assert_null(path_resolve(&p, "pipe.csv", "data file", keep, &a, &d,
	    "r.xml", 6));
	assert_string_equal(last(&d), "data file \"pipe.csv\" is a named pipe "
	    "(FIFO), not a file; name a regular file");
	/* The ways out: an allowed folder, the one extra folder. */
	allow[0] = outside;
	p.allow = allow;
	p.nallow = 1;
	assert_non_null(path_resolve(&p, "link.csv", "data file", keep, &a, &d,
	    "r.xml", 7));
	p.allow = NULL;
	p.nallow = 0;
	p.extra = outside;
	assert_non_null(path_resolve(&p, "../out/b.csv", "data file", keep, &a,
	    &d, "r.xml", 8));
	assert_int_equal(d.errors, 4);
	diags_clear(&d);
	arena_free(&a);
}

/* A file looked for and not found is noted (for watch mode) when it
 * would be inside the folders allowed, even in a folder not made yet;
 * one outside is not. */
static void
test_missing(void **state)
{
	struct arena a;
	struct diags d;
	struct path_inputs miss;
	struct path_policy p = { NULL, NULL, 0, NULL };
	const char *what;

	(void)state;
	arena_init(&a);
	diags_init(&d);
	path_inputs_init(&miss);
	d.missing = &miss;
	p.base = at("in");
	assert_null(path_resolve(&p, "none.csv", "data file", "k", &a, &d,
	    "r.xml", 2));
	assert_null(path_resolve(&p, "new/deeper/none.csv", "image", "k", &a,
	    &d, "r.xml", 3));
	assert_null(path_resolve(&p, "../out/none.csv", "data file", "k", &a,
	    &d, "r.xml", 4));
	assert_null(path_resolve(&p, "../gone/none.csv", "data file", "k", &a,
	    &d, "r.xml", 5));
	assert_null(path_resolve(&p, "none.csv", "data file", "k", &a, &d,
	    "r.xml", 6));
	assert_non_null(path_resolve(&p, "a.csv", "data file", "k", &a, &d,
	    "r.xml", 7));
	assert_int_equal(miss.n, 2);
	assert_string_equal(path_inputs_name(&miss, 0, &what), at("in/none.csv"));
	assert_string_equal(what, "data file");
	assert_string_equal(path_inputs_name(&miss, 1, &what),
	    at("in/new/deeper/none.csv"));
	assert_string_equal(what, "image");
	/* Clearing the messages keeps where they note missing files. */
	diags_clear(&d);
	assert_ptr_equal(d.missing, &miss);
	path_inputs_free(&miss);
	diags_clear(&d);
	arena_free(&a);
}

static void
test_open(void **state)
{
	struct diags d;
	size_t len;
	unsigned char *data;
	FILE *f;

	(void)state;
	diags_init(&d);
	/* A FIFO without a writer: refused at once, not waited on. */
	assert_int_equal(path_open(at("in/pipe.csv"), NULL, &d, NULL, 0), -1);
	assert_non_null(strstr(last(&d), "is a named pipe (FIFO), not a file"));
	assert_null(path_fopen(at("in"), "data file", &d, "r.xml", 2));
	assert_non_null(strstr(last(&d), "is a folder, not a file"));
	assert_null(path_fopen(at("in/none.csv"), "data file", &d, "r.xml", 2));
	assert_non_null(strstr(last(&d), "cannot be read: No such file"));
	assert_non_null(f = path_fopen(at("in/a.csv"), "data file", &d, NULL,
	    0));
	assert_int_equal(fgetc(f), 'a');
	fclose(f);
	assert_non_null(data = path_slurp(at("in/a.csv"), "image file", 100,
	    &len, &d, NULL, 0));
	assert_int_equal(len, 4);
	assert_memory_equal(data, "a\n1\n", 4);
	free(data);
	assert_null(path_slurp(at("in/a.csv"), "image file", 2, &len, &d, NULL,
	    0));
	assert_int_equal(d.errors, 4);
	assert_true(path_is_regular(at("in/link.csv")));
	assert_false(path_is_regular(at("in/pipe.csv")));
	diags_clear(&d);
}

static void
test_output(void **state)
{
	struct path_inputs in;
	struct diags d;
	int fds[2];

	(void)state;
	diags_init(&d);
	path_inputs_init(&in);
	assert_int_equal(path_inputs_add(&in, at("in/a.csv"), "data file"), 0);
	/* Twice, or not there: kept once, or not at all. */
	assert_int_equal(path_inputs_add(&in, at("in/a.csv"), "data file"), 0);
	assert_int_equal(path_inputs_add(&in, at("in/none"), "data file"), 0);
	assert_int_equal(in.n, 1);
	assert_int_equal(path_check_output(&in, at("new.pdf"), &d), 0);
	assert_int_equal(path_check_output(&in, at("out/../in/a.csv"), &d), -1);
	assert_non_null(strstr(last(&d), "is the data file"));
	link(at("in/a.csv"), at("hard.pdf"));
	assert_int_equal(path_check_output(&in, at("hard.pdf"), &d), -1);
	assert_int_equal(path_check_output(&in, at("in/link.csv"), &d), -1);
	assert_non_null(strstr(last(&d), "is a symbolic link, not a regular "
	    "file"));
	assert_int_equal(path_check_output(&in, at("in/pipe.csv"), &d), -1);
	assert_int_equal(path_check_output(NULL, at("out"), &d), -1);
	assert_non_null(strstr(last(&d), "is a folder, not a regular file"));
	assert_int_equal(path_check_output(NULL, at("out/b.csv"), &d), 0);
	/* Standard output may be a pipe; it may not be an input. */
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(path_check_output_fd(&in, fds[1], "standard output",
	    &d), 0);
	close(fds[0]);
	close(fds[1]);
	assert_int_equal(d.errors, 5);
	path_inputs_free(&in);
	diags_clear(&d);
}

/* A report's build lists what it looked for and did not find — a CSV in
 * a folder not made yet, a -t template — and the next build lists only
 * its own. */
static void
test_job_missing(void **state)
{
	sc_job *j;
	const char *what;

	(void)state;
	put("in/r.xml", "<report version=\"1\"><meta><title>R</title></meta>"
	    "<data><csv id=\"c\" href=\"sub/x.csv\"/></data><table data=\"c\">"
	    "<column field=\"a\"/></table></report>\n");
	assert_non_null(j = sc_job_new(at("in/r.xml")));
	assert_int_equal(sc_job_set_data_dir(j, "."), SC_OK);
	assert_int_equal(sc_job_set_output(j, at("out/r.pdf")), SC_OK);
	assert_int_equal(sc_build(j), SC_EINPUT);
	assert_int_equal(sc_job_missing_count(j), 1);
	assert_string_equal(sc_job_missing(j, 0, &what), at("in/sub/x.csv"));
	assert_string_equal(what, "data file");
	mkdir(at("in/sub"), 0755);
	put("in/sub/x.csv", "a\n1\n");
	assert_int_equal(sc_build(j), SC_OK);
	assert_int_equal(sc_job_missing_count(j), 0);
	assert_int_equal(sc_job_set_template(j, at("none.xml")), SC_OK);
	assert_int_equal(sc_build(j), SC_EINPUT);
	assert_int_equal(sc_job_missing_count(j), 1);
	assert_string_equal(sc_job_missing(j, 0, &what), at("none.xml"));
	assert_string_equal(what, "template");
	sc_job_free(j);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resolve),
		cmocka_unit_test(test_missing),
		cmocka_unit_test(test_open),
		cmocka_unit_test(test_output),
		cmocka_unit_test(test_job_missing),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
