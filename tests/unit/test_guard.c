/* test_guard.c — nothing the definition asks for is left out in silence:
 * layout's last check counts tables, figures and images against what
 * data_bind() saw asked for (blocks.c complete()). */
#include "helpers.h"

static const char body[] =
    "<section title=\"S\"><table caption=\"T\"><head><cell>a</cell></head>"
    "<row><cell>1</cell></row></table>"
    "<table><row><cell>2</cell></row></table></section>";

/* Loads body and binds it; lay_document() is left to the test. */
static struct laid *
bound(void)
{
	struct laid *l = lay_xml("", NULL);
	struct buf x;
	char *path;
	int ok;

	/* lay_xml() laid out an empty report; start again with body. */
	dl_free(&l->dl);
	doc_free(l->doc);
	buf_init(&x);
	buf_printf(&x, "<report version=\"1\"><meta><title>Guard</title>"
	    "</meta>%s</report>", body);
	path = tmp_file(x.data, ".xml");
	l->doc = def_load(path, NULL, 0, &l->diags, &ok);
	unlink(path);
	free(path);
	buf_free(&x);
	assert_non_null(l->doc);
	assert_true(ok);
	dl_init(&l->dl, &l->doc->arena);
	assert_int_equal(data_bind(l->doc, &l->t, NULL, &l->diags), 0);
	assert_int_equal(l->doc->asks.tables, 2);
	return l;
}

static int
has_message(const struct laid *l, const char *s)
{
	size_t i;

	for (i = 0; i < l->diags.n; i++)
		if (strstr(l->diags.v[i].message, s) != NULL)
			return 1;
	return 0;
}

static void
test_all_there(void **state)
{
	struct laid *l = bound();

	(void)state;
	assert_int_equal(lay_document(l->doc, &l->t, &l->fs, &l->dl,
	    &l->diags), 0);
	assert_int_equal((int)l->diags.errors, 0);
	laid_free(l);
}

/* A table whose bind failed without a word (the bug of ignoring
 * bind_table's return): layout skips it, the guard does not. */
static void
test_table_lost(void **state)
{
	struct laid *l = bound();
	struct node *n;

	(void)state;
	for (n = l->doc->body; n != NULL; n = node_next_pre(l->doc->body, n))
		if (n->kind == N_TABLE && n->caption == NULL)
			n->tbl = NULL;
	assert_int_equal(lay_document(l->doc, &l->t, &l->fs, &l->dl,
	    &l->diags), -2);
	assert_true(has_message(l, "asks for 2 tables but only 1 were laid "
	    "out"));
	laid_free(l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_there),
		cmocka_unit_test(test_table_lost),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
