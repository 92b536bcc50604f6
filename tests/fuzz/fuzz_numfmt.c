/* fuzz_numfmt.c — libFuzzer: a format pattern and a value from the
 * bytes, parsed and applied; the formatter must never overrun. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "data/numfmt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct numfmt f;
	struct buf b;
	char pat[256], err[128];
	double v = 0;
	size_t n;

	if (size < sizeof(v))
		return 0;
	memcpy(&v, data, sizeof(v));
	n = size - sizeof(v) < sizeof(pat) - 1 ? size - sizeof(v) :
	    sizeof(pat) - 1;
	memcpy(pat, data + sizeof(v), n);
	pat[n] = '\0';
	buf_init(&b);
	if (numfmt_parse(pat, &f, err, sizeof(err)) == 0) {
		if (f.is_date)
			numfmt_date(&f, pat, &b);
		else
			numfmt_number(&f, isfinite(v) ? v : 0, &b);
	}
	buf_free(&b);
	return 0;
}
