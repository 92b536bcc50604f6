/* test_pdfstr.c — PDF text strings: PDFDocEncoding where it can, else
 * UTF-16BE, and their literal form. */
#include "helpers.h"
#include "render/pdf_int.h"

/* The bytes pdf_text_bytes() gives for s. */
static void
bytes_are(const char *s, const char *want, size_t n)
{
	struct buf b;

	buf_init(&b);
	pdf_text_bytes(&b, s);
	assert_false(b.oom);
	assert_int_equal(b.len, n);
	assert_memory_equal(b.data, want, n);
	buf_free(&b);
}

static void
test_pdfdoc(void **state)
{
	(void)state;
	bytes_are("Ward 7", "Ward 7", 6);
	/* The typographic marks of council prose, one byte each (Annex D):
	 * ’ 0x90, – 0x85, “ ” 0x8D 0x8E, • 0x80, € 0xA0, £ é as Latin-1. */
	bytes_are("Officer\xe2\x80\x99s \xe2\x80\x93 \xe2\x80\x9c" "A\xe2\x80\x9d",
	    "Officer\x90s \x85 \x8d" "A\x8e", 15);
	bytes_are("\xe2\x80\xa2 \xe2\x82\xac" "5 \xc2\xa3" "3 caf\xc3\xa9",
	    "\x80 \xa0" "5 \xa3" "3 caf\xe9", 12);
	bytes_are("\xe2\x80\x98q\xe2\x80\x94", "\x8fq\x84", 3);
}

static void
test_utf16(void **state)
{
	(void)state;
	/* One character without a code (↑) makes the whole string UTF-16. */
	bytes_are("a\xe2\x86\x91", "\xfe\xff\0a\x21\x91", 6);
	/* No-break space and soft hyphen have none in PDFDocEncoding. */
	bytes_are("\xc2\xa0", "\xfe\xff\0\xa0", 4);
	bytes_are("\xc2\xad", "\xfe\xff\0\xad", 4);
	/* Past the BMP: a surrogate pair. */
	bytes_are("\xf0\x9f\x98\x80", "\xfe\xff\xd8\x3d\xde\x00", 6);
	/* "þÿ" first would be read as a byte order mark. */
	bytes_are("\xc3\xbe\xc3\xbfx", "\xfe\xff\0\xfe\0\xff\0x", 8);
	bytes_are("\xc3\xbex", "\xfex", 2);
}

static void
test_literal(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b);
	pdf_text_literal(&b, "a(b)c\\d\re\n");
	assert_string_equal(b.data != NULL ? (buf_putc(&b, '\0'), b.data) : "",
	    "(a\\(b\\)c\\\\d\\re\n)");
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pdfdoc),
		cmocka_unit_test(test_utf16),
		cmocka_unit_test(test_literal),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
