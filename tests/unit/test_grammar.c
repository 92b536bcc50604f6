/* test_grammar.c — the rules table and schema/report.rng agree on every
 * report definition in the tree: rules_valid() says "sure" exactly for
 * the files RELAX NG accepts, and a file rules_check() faults the schema
 * rejects too. A disagreement names the file. */
#include "helpers.h"

#include <dirent.h>
#include <sys/stat.h>

#include "definition/rules.h"
#include "definition/template.h"
#include "definition/xml.h"

static int files, sure, disagree;

static void
one(const char *path)
{
	struct diags d, rd, sd;
	xmlDocPtr doc;
	xmlNodePtr root;
	int schema_ok, fast, faulted;

	diags_init(&d);
	if ((doc = xml_read(path, &d)) == NULL) {
		diags_clear(&d);
		return;
	}
	root = xmlDocGetRootElement(doc);
	if (root == NULL || !xml_is(root, "report")) {
		xmlFreeDoc(doc);
		diags_clear(&d);
		return;
	}
	diags_init(&rd);
	diags_init(&sd);
	rules_check(root, path, &rd);
	faulted = rd.errors > 0;
	fast = rules_valid(root);
	schema_ok = xml_validate(doc, SCHEMA_REPORT, path, &sd) == 0;
	files++;
	sure += fast;
	if (fast != schema_ok || (faulted && schema_ok) || (fast && faulted)) {
		fprintf(stderr, "disagree: %s: rules_valid %d, rules_check %s, "
		    "RELAX NG %s\n", path, fast, faulted ? "faults it" : "passes it",
		    schema_ok ? "accepts" : "rejects");
		disagree++;
	}
	/* tests/grammar says which way each case must go. */
	if ((strstr(path, "/reject-") && schema_ok) ||
	    (strstr(path, "/accept-") && !schema_ok)) {
		fprintf(stderr, "wrong case: %s: RELAX NG %s it\n", path,
		    schema_ok ? "accepts" : "rejects");
		disagree++;
	}
	diags_clear(&rd);
	diags_clear(&sd);
	diags_clear(&d);
	xmlFreeDoc(doc);
}

static void
walk(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char p[4096];
	struct stat st;
	size_t n;

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		if (lstat(p, &st) != 0)
			continue;
		n = strlen(e->d_name);
		if (S_ISDIR(st.st_mode))
			walk(p);
		else if (S_ISREG(st.st_mode) && n > 4 &&
		    strcmp(e->d_name + n - 4, ".xml") == 0)
			one(p);
	}
	closedir(d);
}

static void
test_every_file(void **state)
{
	static const char *dirs[] = { "examples", "tests/errors",
	    "tests/regress", "tests/hostile", "tests/fuzz/corpus", "tests/golden",
	    "tests/faults", "tests/grammar", "tests/out", "templates" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		walk(dirs[i]);
	fprintf(stderr, "%d definitions, %d sure without RELAX NG\n", files,
	    sure);
	assert_true(files > 100);
	assert_int_equal(disagree, 0);
}

/* Every shipped template matches schema/template.rng (which a build then
 * need not run on it), is known as shipped, and is not once one byte of
 * it changes: a user's edited copy is checked by RELAX NG. */
static void
test_shipped_templates(void **state)
{
	DIR *dir = opendir("templates");
	struct dirent *e;
	char p[4096];
	int n = 0;

	(void)state;
	assert_non_null(dir);
	while ((e = readdir(dir)) != NULL) {
		size_t len, k = strlen(e->d_name);
		struct diags d;
		xmlDocPtr doc;
		char *data;
		if (k < 5 || strcmp(e->d_name + k - 4, ".xml") != 0)
			continue;
		snprintf(p, sizeof(p), "templates/%s", e->d_name);
		diags_init(&d);
		assert_non_null(data = xml_slurp(p, &len, &d));
		assert_non_null(doc = xml_parse(data, len, p, &d));
		if (xml_validate(doc, SCHEMA_TEMPLATE, p, &d) != 0)
			fail_msg("%s does not match schema/template.rng", p);
		assert_int_equal(tpl_shipped(data, len), 1);
		data[len / 2] ^= 1;
		assert_int_equal(tpl_shipped(data, len), 0);
		data[len / 2] ^= 1;
		assert_int_equal(tpl_shipped(data, len - 1), 0);
		xmlFreeDoc(doc);
		free(data);
		diags_clear(&d);
		n++;
	}
	closedir(dir);
	assert_true(n >= 5);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_file),
		cmocka_unit_test(test_shipped_templates),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
