/* fuzz_crash.c — a harness that crashes on purpose, on the first input
 * of its corpus ("boom..."): tests/fuzz/run.sh runs it first and must
 * report it as a failure, or the gate that fails `make check` on a
 * crashing fuzzer is itself broken. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size >= 4 && memcmp(data, "boom", 4) == 0)
		abort();
	return 0;
}
