/* test_grammar.c — the rules table and schema/report.rng agree on every
 * report definition in the tree: rules_valid() says "sure" exactly for
 * the files RELAX NG accepts, and a file rules_check() faults the schema
 * rejects too. A disagreement names the file. */
#include "helpers.h"

#include <dirent.h>
#include <sys/stat.h>

#include "definition/rules.h"
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
