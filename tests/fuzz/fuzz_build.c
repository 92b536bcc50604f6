/* fuzz_build.c — libFuzzer: the whole build. The input is a report
 * definition and one CSV file (data.csv beside it), split at the first
 * line "====". Definition → data → layout → display list → PDF, through
 * the public API, as a year-end run would do it. Must never crash, hang
 * or leak; a failed build must leave no output file behind. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scrutineer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[] = "/tmp/fuzz-build-XXXXXX";
static char def_path[64], csv_path[64], pdf_path[64];

static int
put(const char *path, const uint8_t *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	int ok;

	if (f == NULL)
		return -1;
	ok = fwrite(p, 1, n, f) == n;
	return fclose(f) == 0 && ok ? 0 : -1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char sep[] = "\n====\n";
	const uint8_t *csv = NULL;
	size_t def_len = size, i;
	sc_job *job;
	int rc;

	if (def_path[0] == '\0') {
		if (mkdtemp(dir) == NULL)
			abort();
		snprintf(def_path, sizeof(def_path), "%s/report.xml", dir);
		snprintf(csv_path, sizeof(csv_path), "%s/data.csv", dir);
		snprintf(pdf_path, sizeof(pdf_path), "%s/out.pdf", dir);
	}
	for (i = 0; i + sizeof(sep) - 1 <= size; i++)
		if (memcmp(data + i, sep, sizeof(sep) - 1) == 0) {
			def_len = i;
			csv = data + i + sizeof(sep) - 1;
			break;
		}
	if (put(def_path, data, def_len) != 0 ||
	    put(csv_path, csv, csv ? (size_t)(data + size - csv) : 0) != 0)
		return 0;
	unlink(pdf_path);
	if ((job = sc_job_new(def_path)) == NULL)
		return 0;
	/* The fuzzer runs from the source tree: templates/ and fonts/. */
	sc_job_set_data_dir(job, ".");
	sc_job_set_output(job, pdf_path);
	rc = sc_build(job);
	/* A failed build never leaves a file; a good one always does. */
	if ((rc == SC_OK) != (access(pdf_path, F_OK) == 0))
		abort();
	sc_job_free(job);
	return 0;
}
