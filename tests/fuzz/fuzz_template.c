/* fuzz_template.c — libFuzzer: arbitrary bytes as a template. */
#include <stddef.h>
#include <stdint.h>

#include "definition/template.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	struct diags d;
	struct template t;

	arena_init(&a);
	diags_init(&d);
	tpl_load_mem(&t, (const char *)data, size, "fuzz.xml", &a, &d);
	arena_free(&a);
	diags_clear(&d);
	return 0;
}
