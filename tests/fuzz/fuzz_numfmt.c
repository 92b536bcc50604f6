/* fuzz_numfmt.c — libFuzzer: a format pattern and a value from the
 * bytes, parsed and applied; the formatter must never overrun. And the
 * value's 15 significant digits (numfmt_sig15) must be printf's. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
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
	{
		char digits[15], want[64];
		int e, k = 0, i;
		double a = fabs(v);
		if (isfinite(a) && numfmt_sig15(a, digits, &e) == 0) {
			snprintf(want, sizeof(want), "%.14e", a);
			for (i = 0; want[i] != 'e'; i++)
				if (want[i] != '.' && (k >= 15 || want[i] != digits[k++]))
					abort();
			if (k != 15 || atoi(want + i + 1) != e)
				abort();
		}
	}
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
