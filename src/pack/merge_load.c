/*
 * merge_load.c — merge.h for the command: merge.cc, built as the module
 * scrutineer-merge.so, loaded the first time a pack merges a PDF. The
 * command then starts without libqpdf, gnutls and the nine libraries
 * behind them (a tenth of a short report's time went to loading them);
 * libscrutineer.a and the tests link merge.cc itself.
 *
 * The module is looked for beside the program (the build tree), then in
 * ../lib/scrutineer from it and in SC_LIBDIR (installed): the first that
 * exists is loaded, and one that does not load, or is from another
 * build, is said, not passed over.
 */
#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "merge.h"

#ifndef SC_LIBDIR
#define SC_LIBDIR "/usr/local/lib/scrutineer"
#endif
#define MODULE "scrutineer-merge.so"

int merge_max_pages = MERGE_MAX_PAGES;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static const struct merge_module *mod;
static char why[PATH_MAX + 256];

static int
try_load(const char *path)
{
	const struct merge_module *(*entry)(const struct merge_host *);
	static const struct merge_host host = { diag_add, diag_oom };
	void *h;

	if (access(path, F_OK) != 0)
		return 0;
	if ((h = dlopen(path, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		snprintf(why, sizeof(why), "%s", dlerror());
		return 1;
	}
	*(void **)&entry = dlsym(h, MERGE_MODULE_ENTRY);
	if (entry == NULL || (mod = entry(&host)) == NULL ||
	    mod->abi != MERGE_ABI) {
		mod = NULL;
		snprintf(why, sizeof(why), "%s is not this build's module", path);
		dlclose(h);
	}
	return 1;   /* kept loaded for the process's life */
}

static void
load(void)
{
	char exe[PATH_MAX], path[PATH_MAX + 64], *slash;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n > 0) {
		exe[n] = '\0';
		if ((slash = strrchr(exe, '/')) != NULL)
			*slash = '\0';
		snprintf(path, sizeof(path), "%s/" MODULE, exe);
		if (try_load(path))
			return;
		snprintf(path, sizeof(path), "%s/../lib/scrutineer/" MODULE, exe);
		if (try_load(path))
			return;
	}
	if (try_load(SC_LIBDIR "/" MODULE))
		return;
	snprintf(why, sizeof(why), MODULE " is neither beside the program "
	    "nor in %s", SC_LIBDIR);
}

/* 0 with the module loaded, or -1 with an error that ends the build as
 * an installation fault does (exit 3, as out of memory). */
static int
ready(struct diags *d, const char *file, int line)
{
	pthread_once(&once, load);
	if (mod != NULL) {
		/* Written only when a test lowered it: packs built on
		 * several threads only read it. */
		if (*mod->max_pages != merge_max_pages)
			*mod->max_pages = merge_max_pages;
		return 0;
	}
	diag_oom(d, file, line, "cannot merge PDFs into the pack: %s; build "
	    "scrutineer again (make) or install it again (make install)", why);
	return -1;
}

int
merge_probe(const char *pdf_path, const char *def_file, int def_line,
    struct merge_probe *out, struct diags *diags)
{
	memset(out, 0, sizeof(*out));
	if (ready(diags, def_file, def_line) != 0)
		return -1;
	return mod->probe(pdf_path, def_file, def_line, out, diags);
}

/* A probe is only ever filled by the module: without it there is
 * nothing to free. */
void
merge_probe_free(struct merge_probe *p)
{
	if (mod != NULL)
		mod->probe_free(p);
}

void
merge_probe_drop(struct merge_probe *p)
{
	if (mod != NULL)
		mod->probe_drop(p);
}

int
merge_write(const char *base_path, const struct merge_part *parts,
    size_t nparts, const char *out_path, struct diags *diags)
{
	if (ready(diags, nparts ? parts[0].def_file : NULL,
	    nparts ? parts[0].def_line : 0) != 0)
		return -1;
	return mod->write(base_path, parts, nparts, out_path, diags);
}

int
merge_write_mem(const unsigned char *base, size_t len,
    const struct merge_part *parts, size_t nparts, const char *out_path,
    struct diags *diags)
{
	if (ready(diags, nparts ? parts[0].def_file : NULL,
	    nparts ? parts[0].def_line : 0) != 0)
		return -1;
	return mod->write_mem(base, len, parts, nparts, out_path, diags);
}
