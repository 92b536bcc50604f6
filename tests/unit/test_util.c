/* test_util.c — UTF-8, numbering helpers, the arena and buffers. */
#include "helpers.h"
#include "util/suggest.h"
#include "util/utf8.h"

static void
test_utf8(void **state)
{
	size_t len;
	char out[4];

	(void)state;
	assert_int_equal(utf8_decode("\xc2\xa3", 2, &len), 0xA3);
	assert_int_equal(len, 2);
	assert_int_equal(utf8_decode("\xe2\x86\x91", 3, &len), 0x2191);
	assert_int_equal(utf8_decode("\xc5\xb5", 2, &len), 0x175);
	assert_int_equal(utf8_decode("\xf0\x9f\x98\x80", 4, &len), 0x1F600);
	/* Invalid: lone continuation, overlong, surrogate, truncated. */
	assert_int_equal(utf8_decode("\x80", 1, &len), -1);
	assert_int_equal(utf8_decode("\xc0\xaf", 2, &len), -1);
	assert_int_equal(utf8_decode("\xed\xa0\x80", 3, &len), -1);
	assert_int_equal(utf8_decode("\xe2\x86", 2, &len), -1);
	assert_true(utf8_valid("caf\xc3\xa9", 5));
	assert_false(utf8_valid("\xa3" "5", 2)); /* Windows-1252 pound */
	assert_int_equal(utf8_encode(0x2013, out), 3);
	assert_memory_equal(out, "\xe2\x80\x93", 3);
	assert_int_equal(utf8_count("\xc2\xa3" "10", 4), 3);
}

static void
test_roman_alpha(void **state)
{
	char b[32];

	(void)state;
	lay_roman(4, b, sizeof(b));
	assert_string_equal(b, "iv");
	lay_roman(9, b, sizeof(b));
	assert_string_equal(b, "ix");
	lay_roman(14, b, sizeof(b));
	assert_string_equal(b, "xiv");
	lay_roman(1994, b, sizeof(b));
	assert_string_equal(b, "mcmxciv");
	lay_alpha(1, 0, b, sizeof(b));
	assert_string_equal(b, "a");
	lay_alpha(26, 1, b, sizeof(b));
	assert_string_equal(b, "Z");
	lay_alpha(27, 0, b, sizeof(b));
	assert_string_equal(b, "aa");
	lay_alpha(0, 0, b, sizeof(b));
	assert_string_equal(b, "0");
}

static void
test_arena_buf(void **state)
{
	struct arena a;
	struct buf b;
	char *big;
	int i;

	(void)state;
	arena_init(&a);
	for (i = 0; i < 10000; i++)
		assert_non_null(arena_alloc(&a, 24));
	big = arena_alloc(&a, 1 << 20);
	assert_non_null(big);
	assert_int_equal(big[12345], 0);
	assert_string_equal(arena_printf(&a, "%d-%s", 7, "x"), "7-x");
	arena_free(&a);
	buf_init(&b);
	buf_num(&b, 12.5);
	buf_putc(&b, ' ');
	buf_num(&b, -0.0004);
	buf_putc(&b, ' ');
	buf_num(&b, 3.14159);
	buf_putc(&b, ' ');
	buf_num(&b, 100);
	assert_string_equal(b.data, "12.5 0 3.142 100");
	buf_reset(&b);
	buf_hex4(&b, 0x0);
	buf_hex4(&b, 0xA3f);
	buf_hex4(&b, 0x1FFFF); /* only the low 16 bits */
	assert_string_equal(b.data, "00000A3FFFFF");
	buf_reset(&b);
	buf_hex2(&b, 0xFE);
	buf_hex2(&b, 0x0F);
	buf_hex2(&b, 0x1A0); /* only the low 8 bits */
	assert_string_equal(b.data, "FE0FA0");
	buf_reset(&b);
	buf_uint(&b, 0);
	buf_putc(&b, ' ');
	buf_uint(&b, 40007);
	buf_putc(&b, ' ');
	buf_uint(&b, 4294967295UL);
	assert_string_equal(b.data, "0 40007 4294967295");
	buf_free(&b);
}

static void
test_diags(void **state)
{
	struct diags d;

	(void)state;
	diags_init(&d);
	diag_err(&d, "a.xml", 3, "bad %s", "thing");
	diag_err(&d, "a.xml", 3, "bad %s", "thing"); /* same: kept once */
	diag_warn(&d, NULL, 9, "note");
	assert_int_equal(d.n, 2);
	assert_int_equal(d.errors, 2);
	assert_string_equal(d.v[0].file, "a.xml");
	assert_int_equal(d.v[1].line, 0); /* no file, no line */
	diags_clear(&d);
}

/* Did you mean: the distance, its bound, and what is near enough. */
static void
test_suggest(void **state)
{
	struct suggest s;
	char out[80];

	(void)state;
	assert_int_equal(suggest_distance("kitten", 6, "sitting", 7, 9), 3);
	assert_int_equal(suggest_distance("Categroy", 8, "category", 8, 9), 1);
	assert_int_equal(suggest_distance("ab", 2, "ba", 2, 9), 1);
	assert_int_equal(suggest_distance("ca", 2, "abc", 3, 9), 3); /* OSA */
	assert_int_equal(suggest_distance("", 0, "abc", 3, 9), 3);
	/* Past the bound: max + 1, whatever the true distance. */
	assert_int_equal(suggest_distance("kitten", 6, "sitting", 7, 2), 3);
	assert_int_equal(suggest_distance("a", 1, "abcdefgh", 8, 2), 3);
	/* tbl-rate: one step from tbl-rates, the nearest wins. */
	suggest_init(&s, "tbl-rate");
	suggest_try(&s, "tbl-crime");
	suggest_try(&s, "tbl-rates");
	suggest_try(&s, "tbl-rated");
	assert_string_equal(suggest_text(&s, NULL, NULL, out, sizeof(out)),
	    "; did you mean \"tbl-rates\"?");
	/* From a list, with other brackets; the word itself is no answer. */
	suggest_init(&s, "tabel");
	suggest_try_list(&s, "p tabel  list table chart", " ");
	assert_string_equal(suggest_text(&s, "<", ">", out, sizeof(out)),
	    "; did you mean <table>?");
	/* Names with spaces, from a list of columns. */
	suggest_init(&s, "Crime Id");
	suggest_try_list(&s, "Month, Crime ID, Crime type", ", ");
	assert_string_equal(suggest_text(&s, NULL, NULL, out, sizeof(out)),
	    "; did you mean \"Crime ID\"?");
	/* Case alone. */
	suggest_init(&s, "Area");
	suggest_try(&s, "area");
	assert_string_equal(suggest_text(&s, NULL, NULL, out, sizeof(out)),
	    "; did you mean \"area\"?");
	/* Too far: len / 3 steps at most (2 for "category", 1 for "rag"). */
	suggest_init(&s, "category");
	suggest_try(&s, "cat");
	suggest_try(&s, "catgory_x");
	assert_null(s.best);
	assert_string_equal(suggest_text(&s, NULL, NULL, out, sizeof(out)), "");
	suggest_init(&s, "categoryz");
	suggest_try(&s, "catgory_z");
	assert_non_null(s.best);
	suggest_init(&s, "rag");
	suggest_try(&s, "bug");
	assert_null(s.best);
	suggest_try(&s, "rug");
	assert_non_null(s.best);
	suggest_init(&s, "");
	suggest_try(&s, "a");
	assert_null(s.best);
	/* Two letters: case only. */
	suggest_init(&s, "-t");
	suggest_try(&s, "-D");
	assert_null(s.best);
	suggest_try(&s, "-T");
	assert_non_null(s.best);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_roman_alpha),
		cmocka_unit_test(test_arena_buf),
		cmocka_unit_test(test_diags),
		cmocka_unit_test(test_suggest),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
