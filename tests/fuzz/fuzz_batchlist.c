/* fuzz_batchlist.c — libFuzzer: the bytes as a batch list file (the
 * list of `scrutineer batch`), read, resolved against the corpus folder
 * and checked for collisions; must never crash, leak or overrun. The
 * first byte chooses whether an OUTDIR is given. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "batch/plan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const allow[] = { "tests/fuzz" };
	struct batch_plan p;
	struct batch_opts o;

	if (size < 1)
		return 0;
	memset(&o, 0, sizeof(o));
	o.outdir = data[0] & 1 ? "tests/fuzz/corpus" : NULL;
	o.allow = data[0] & 2 ? allow : NULL;
	o.nallow = data[0] & 2 ? 1 : 0;
	batch_plan_init(&p);
	if (batch_plan_list(&p, "tests/fuzz/corpus/batchlist/fuzz.list",
	    (const char *)data + 1, size - 1, &o) == 0)
		batch_plan_check(&p);
	batch_plan_free(&p);
	return 0;
}
