/* fuzz_merge.c — libFuzzer: arbitrary bytes as an appendix PDF, probed
 * and, when the probe takes it, merged into a small fixed base (made
 * once, removed at exit). Nothing may crash, leak, hang or stay behind. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "pack/merge.h"
#include "../unit/merge_fixture.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { BASE_PLACEHOLDERS = 8 };

static char base[64];

static void
remove_base(void)
{
	unlink(base);
}

/* One scrutineer page, then placeholders for up to 8 pages. */
static int
make_base(void)
{
	struct base_page pg[1 + BASE_PLACEHOLDERS];
	struct base_part part = { "Appendix", 1, 1 };
	int fd, i;

	snprintf(base, sizeof(base), "/tmp/fuzz-merge-base-XXXXXX");
	if ((fd = mkstemp(base)) < 0)
		return -1;
	close(fd);
	atexit(remove_base);
	pg[0] = (struct base_page){ 595.28, 841.89, "Report" };
	for (i = 1; i <= BASE_PLACEHOLDERS; i++)
		pg[i] = (struct base_page){ 595.28, 841.89, NULL };
	merge_max_pages = BASE_PLACEHOLDERS;
	return base_write(base, pg, 1 + BASE_PLACEHOLDERS, &part, 1, 1);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int made;
	char in[] = "/tmp/fuzz-merge-in-XXXXXX", out[64];
	struct merge_probe p;
	struct diags d;
	int fd;

	if (!made) {
		if (make_base() != 0)
			abort();
		made = 1;
	}
	if ((fd = mkstemp(in)) < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		unlink(in);
		return 0;
	}
	close(fd);
	diags_init(&d);
	if (merge_probe(in, "fuzz.xml", 1, &p, &d) == 0) {
		struct merge_part part = { in, "fuzz.xml", 1, 1, p.pages, "Appendix",
		    1, "Page %d of %d of an appendix without tags", NULL };
		snprintf(out, sizeof(out), "%s.out", in);
		if (merge_write(base, &part, 1, out, &d) != 0 &&
		    access(out, F_OK) == 0)
			abort(); /* a failed merge left its output */
		unlink(out);
		merge_probe_free(&p);
	}
	diags_clear(&d);
	unlink(in);
	return 0;
}
