/* fuzz_pack.c — libFuzzer: arbitrary bytes as a pack definition. Each
 * input is written as pack.xml into a fresh temporary folder beside a
 * tiny valid report (report.xml, a literal table, no data file) and a
 * tiny PDF (appendix.pdf, for when merging has landed), then checked and
 * built through the public API as scrutineer pack does. Must never
 * crash, hang or leak; a check that fails means a build that fails; a
 * failed build leaves no file behind (not even a temporary one) and a
 * good one leaves the PDF. Everything is removed after each input. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scrutineer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char report[] =
    "<report version=\"1\"><meta><title>Tiny report</title></meta>\n"
    "<section title=\"Summary\"><table><head><cell>Measure</cell>"
    "<cell>Value</cell></head>\n<row><cell>Incidents</cell><cell>38</cell>"
    "</row></table></section></report>\n";

static const char pdf[] =
	    "%PDF-1.4\n"
	    "1 0 obj\n"
	    "<< /Type /Catalog /Pages 2 0 R >>\n"
	    "endobj\n"
	    "2 0 obj\n"
	    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>\n"
	    "endobj\n"
	    "3 0 obj\n"
	    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\n"
	    "endobj\n"
	    "xref\n"
	    "0 4\n"
	    "0000000000 65535 f \n"
	    "0000000009 00000 n \n"
	    "0000000058 00000 n \n"
	    "0000000115 00000 n \n"
	    "trailer\n"
	    "<< /Size 4 /Root 1 0 R >>\n"
	    "startxref\n"
	    "186\n"
	    "%%EOF\n";

static int
put(const char *path, const void *p, size_t n)
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
	static const char *names[] = { "pack.xml", "report.xml",
	    "appendix.pdf", "out.pdf" };
	char dir[] = "/tmp/fuzz-pack-XXXXXX", path[4][64];
	sc_job *job;
	int rc_check, rc_build, made;
	size_t i;

	if (mkdtemp(dir) == NULL)
		abort();
	for (i = 0; i < 4; i++)
		snprintf(path[i], sizeof(path[i]), "%s/%s", dir, names[i]);
	if (put(path[0], data, size) != 0 ||
	    put(path[1], report, sizeof(report) - 1) != 0 ||
	    put(path[2], pdf, sizeof(pdf) - 1) != 0)
		abort();
	if ((job = sc_job_new(path[0])) == NULL)
		abort();
	/* The fuzzer runs from the source tree: templates/ and fonts/. */
	if (sc_job_set_data_dir(job, ".") != SC_OK ||
	    sc_job_set_output(job, path[3]) != SC_OK)
		abort();
	rc_check = sc_check(job);
	rc_build = sc_build(job);
	made = access(path[3], F_OK) == 0;
	/* A check that fails means a build that fails; a failed build
	 * never leaves a file, a good one always does. */
	if ((rc_check != SC_OK && rc_build == SC_OK) ||
	    (rc_build == SC_OK) != made)
		abort();
	sc_job_free(job);
	for (i = 0; i < 4; i++)
		unlink(path[i]);
	/* Anything else in the folder (a temporary file) is a leftover. */
	if (rmdir(dir) != 0)
		abort();
	return 0;
}
