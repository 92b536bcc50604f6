/* TEMPORARY: stands in for merge.cc until it lands. */
#include <stdlib.h>
#include <string.h>
#include "merge.h"

int
merge_probe(const char *pdf_path, const char *def_file, int def_line,
    struct merge_probe *out, struct diags *diags)
{
	memset(out, 0, sizeof(*out));
	diag_err(diags, def_file, def_line, "%s: appendix PDFs are not yet "
	    "supported", pdf_path);
	return -1;
}

void
merge_probe_free(struct merge_probe *p)
{
	free(p->size);
	free(p->title);
	p->size = NULL;
	p->title = NULL;
}

int
merge_write_mem(const unsigned char *base, size_t len,
    const struct merge_part *parts, size_t nparts, const char *out_path,
    struct diags *diags)
{
	(void)base; (void)len; (void)parts; (void)nparts; (void)out_path;
	diag_err(diags, NULL, 0, "merging is not yet supported");
	return -1;
}
