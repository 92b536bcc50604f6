/* merge.h — appendix PDFs merged into a pack with libqpdf (merge.cc). */
#ifndef SC_MERGE_H
#define SC_MERGE_H

#include <stddef.h>

#include "../util/diag.h"

#ifdef __cplusplus
extern "C" {
#endif

struct merge_probe {
	int     pages;
	double (*size)[2];
	int     tagged;
	int     untagged_fonts;
	char   *title;
};

int  merge_probe(const char *pdf_path, const char *def_file, int def_line,
    struct merge_probe *out, struct diags *diags);
void merge_probe_free(struct merge_probe *p);

struct merge_part {
	const char *path;
	const char *def_file;
	int         def_line;
	size_t      first;
	int         pages;
	const char *outline_title;
	int         graft;
	const char *untagged_alt;
};

int  merge_write(const char *base_path, const struct merge_part *parts,
    size_t nparts, const char *out_path, struct diags *diags);
/* The same with the base PDF in memory. */
int  merge_write_mem(const unsigned char *base, size_t len,
    const struct merge_part *parts, size_t nparts, const char *out_path,
    struct diags *diags);

#ifdef __cplusplus
}
#endif

#endif
