/* main.c — the scrutineer command: parses arguments, calls the library,
 * prints its diagnostics. Nothing else lives here (STYLE.md 1). */
#include <malloc.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include "scrutineer.h"
#include "batch.h"
#include "watch.h"
#include "../util/suggest.h"

static const char usage[] =
    "usage: scrutineer build REPORT.xml [-o OUT.pdf] [-t TEMPLATE] "
    "[-D NAME=VALUE]...\n"
    "                        [--allow-path DIR]... [--data-dir DIR] "
    "[--dump] [--watch] [--strict]\n"
    "                        [--pdfa=none|2a|2u|3a] [--no-ua] [--html DIR]\n"
    "                        [--preview DIR [--dpi N]] [--timings]\n"
    "       scrutineer check REPORT.xml [-t TEMPLATE] [-D NAME=VALUE]... "
    "[--allow-path DIR]...\n"
    "                        [--strict] [--timings]\n"
    "       scrutineer charts REPORT.xml -o DIR [--format png|svg] "
    "[--dpi N]\n"
    "       scrutineer pack MEETING.xml [-o OUT.pdf] [--part a|b] "
    "[-D NAME=VALUE]...\n"
    "                        [--allow-path DIR]... [--watch] [--strict]\n"
    "                        [--pdfa=none|2a|2u|3a] [--no-ua] [--html DIR]\n"
    "                        [--timings]\n"
    "       scrutineer batch LIST|DIR|REPORT.xml... [-D NAME=VALUE]... "
    "[-j N] [-o OUTDIR]\n"
    "                        [--json FILE] [--fail-fast] "
    "[--allow-path DIR]... [--no-strict]\n"
    "                        [--data-dir DIR] [--pdfa=none|2a|2u|3a] "
    "[--no-ua]\n"
    "       scrutineer --help | --version\n";

static const char help[] =
    "\n"
    "Commands:\n"
    "  build   lay out REPORT.xml and write a tagged PDF (default: the\n"
    "          definition's name with .pdf)\n"
    "  check   validate the definition and its template; print every\n"
    "          problem found\n"
    "  charts  write every chart as its own PNG or SVG file in DIR, the\n"
    "          same drawing as in the PDF (for the council website)\n"
    "  pack    build a meeting's agenda pack: the front sheet, every\n"
    "          report and appendix PDF, one page sequence (--part b: the\n"
    "          exempt items only)\n"
    "  batch   build every definition that list files name or folders\n"
    "          hold, -j N at a time (default: one per core), strict; a\n"
    "          summary at the end (--json FILE: the same as JSON);\n"
    "          see scrutineer(1) BATCH for lists and exit statuses\n"
    "\n"
    "Options:\n"
    "  -o FILE         write the PDF to FILE (- for standard output);\n"
    "                  charts: the folder DIR; batch: the folder OUTDIR\n"
    "  -t TEMPLATE     use this house style (a name in templates/ or a\n"
    "                  path to a template .xml) instead of the report's\n"
    "  -D NAME=VALUE   set parameter NAME (overrides its default)\n"
    "  --data-dir DIR  where templates/ and fonts/ are found\n"
    "  --allow-path DIR  let the definition read data under DIR too\n"
    "  --preview DIR   (build) also write each page as DIR/page-NNN.png\n"
    "  --format F      (charts) png (default) or svg\n"
    "  --dpi N         resolution of PNG output, --preview's and charts'\n"
    "                  (default 96)\n"
    "  --part a|b      (pack) the public pack (a, the default) or the\n"
    "                  exempt items' Part B pack\n"
    "  --dump          print the display list (one drawing operation a\n"
    "                  line) after building\n"
    "  --watch         (build, pack) build, then build again whenever a\n"
    "                  file it read changes, one line each time; a failed\n"
    "                  build keeps the last good PDF; Ctrl-C stops\n"
    "  --strict        (build, check, pack) data that looks missing for the\n"
    "                  parameters (a table, chart, key-figure tiles or value\n"
    "                  with no rows, a column of only blanks and zeros) is\n"
    "                  an error, not a warning\n"
    "  --timings       (build, check, pack) notes of where the time went:\n"
    "                  each CSV's load (MB/s), each element's queries,\n"
    "                  layout and writing; a pack's items\n"
    "  --pdfa=LEVEL    (build, pack, batch) the PDF/A the PDF claims and meets:\n"
    "                  2a (the default), 2u, 3a, or none (no PDF/A\n"
    "                  identification, no output intent)\n"
    "  --no-ua         (build, pack, batch) leave out the PDF/UA-1 identification\n"
    "                  (the PDF is tagged all the same)\n"
    "  --html DIR      (build, pack) write the accessible HTML edition into\n"
    "                  the folder DIR (index.html; a pack's items as\n"
    "                  item-N.html) instead of the PDF, or as well as the\n"
    "                  PDF when -o is given\n"
    "  -j N            (batch) builds at once (default: one per core);\n"
    "                  -jN as well\n"
    "  --json FILE     (batch) the summary as JSON too (- for standard\n"
    "                  output)\n"
    "  --fail-fast     (batch) start nothing more after the first failure\n"
    "  --no-strict     (batch) missing data is a warning, not an error\n"
    "  -h, --help      print this text\n"
    "  --version       print the version\n"
    "\n"
    "Exit status: 0 done, 1 bad input, 2 usage, 3 internal or I/O failure.\n"
    "See scrutineer(1) and scrutineer-format(5).\n";

static sc_job *running_job;

/* An interrupted build leaves no temporary file; the previous PDF was
 * never touched. */
static void
on_signal(int sig)
{
	if (running_job != NULL) {
		const char *t = sc_job_temp(running_job);
		if (t[0] != '\0')
			unlink(t);
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

static void
print_diags(const sc_job *job)
{
	size_t i;

	for (i = 0; i < sc_job_diag_count(job); i++) {
		const sc_diag *d = sc_job_diag(job, i);
		const char *lv = d->level == SC_ERROR ? "error" :
		    d->level == SC_WARNING ? "warning" : "note";
		if (d->file != NULL && d->line > 0)
			fprintf(stderr, "%s:%d: %s: %s\n", d->file, d->line, lv,
			    d->message);
		else if (d->file != NULL)
			fprintf(stderr, "%s: %s: %s\n", d->file, lv, d->message);
		else
			fprintf(stderr, "scrutineer: %s: %s\n", lv, d->message);
	}
}

/* What an unknown command or option may have meant (tests/docs checks
 * that these hold every one the parser below takes). */
static const char commands[] = "build check charts pack batch";
static const char options[] = "-o -t -D --data-dir --allow-path --preview "
    "--format --dpi --part --pdfa --html --dump --watch --strict --no-ua "
    "--timings "
    "--help --version";

/* "unknown option: --prat; did you mean "--part"?" and the usage. */
static int
fail_unknown(const char *what, const char *arg, const char *known)
{
	struct suggest sg;
	char mean[96];

	suggest_init(&sg, arg);
	suggest_try_list(&sg, known, " ");
	fprintf(stderr, "scrutineer: unknown %s: %s%s\n", what, arg,
	    suggest_text(&sg, NULL, NULL, mean, sizeof(mean)));
	fputs(usage, stderr);
	return SC_EUSAGE;
}

static int
fail_usage(const char *msg, const char *arg)
{
	if (msg != NULL)
		fprintf(stderr, "scrutineer: %s%s%s\n", msg, arg ? ": " : "",
		    arg ? arg : "");
	fputs(usage, stderr);
	return SC_EUSAGE;
}

/*
 * The heap in 2 MiB pages. A long build touches tens of megabytes once,
 * and each 4 KiB page first touched costs a fault (6 µs on the machine
 * the benchmarks run on): they were a third of a 150-page table's time.
 * The heap is grown by HEAP at once, kept (not trimmed back) and marked
 * for transparent huge pages, as glibc's glibc.malloc.hugetlb=1 tunable
 * does; nothing is resident until touched. Only here, not in the
 * library: how a process uses its memory is the program's business.
 */
static void
heap_hugepages(void)
{
	enum { HEAP = 64 << 20, HUGE = 2 << 20 };
	char *p, *start, *end;
	uintptr_t a;
	int from_heap;

#if defined(__SANITIZE_ADDRESS__)
	/* ASan's allocator maps the block itself, and poisoning 64 MiB of
	 * it on free wrote 8 MiB of shadow: most of a sanitized run's time. */
	return;
#endif
	mallopt(M_MMAP_THRESHOLD, 4 * HEAP);
	mallopt(M_TRIM_THRESHOLD, 4 * HEAP);
	start = sbrk(0);
	if ((p = malloc(HEAP)) == NULL)
		return;
	end = sbrk(0);
	a = ((uintptr_t)p + HUGE - 1) & ~(uintptr_t)(HUGE - 1);
	/* Only when the block came from the heap, i.e. the break moved to
	 * take it (it may start in the old top chunk, below where the break
	 * was) — not from mmap, as under some sanitizers or when brk cannot
	 * grow. */
	from_heap = (uintptr_t)end > (uintptr_t)start &&
	    (uintptr_t)p + HEAP <= (uintptr_t)end &&
	    (uintptr_t)p + HEAP > (uintptr_t)start;
	if (from_heap && a < (uintptr_t)end)
		madvise((void *)a, ((uintptr_t)end - a) & ~(uintptr_t)(HUGE - 1),
		    MADV_HUGEPAGE);
	free(p);
}

int
main(int argc, char **argv)
{
	const char *cmd, *def = NULL, *out = NULL, *tpl = NULL, *dd = NULL;
	const char *preview = NULL, *format = NULL, *part = NULL;
	const char *pdfa = NULL, *html = NULL;
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	sc_ctx *ctx;
	double dpi = 96;
	int dump = 0, watch = 0, strict = 0, no_ua = 0, timings = 0;
	sc_job *job;
	int i, rc;

	heap_hugepages();
	if (argc < 2)
		return fail_usage(NULL, NULL);
	cmd = argv[1];
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
		fputs(usage, stdout);
		fputs(help, stdout);
		return SC_OK;
	}
	if (strcmp(cmd, "--version") == 0) {
		printf("scrutineer %s\n", SC_VERSION);
		return SC_OK;
	}
	if (strcmp(cmd, "batch") == 0)
		return batch_main(argc - 1, argv + 1);
	if (strcmp(cmd, "build") != 0 && strcmp(cmd, "check") != 0 &&
	    strcmp(cmd, "charts") != 0 && strcmp(cmd, "pack") != 0)
		return fail_unknown("command", cmd, commands);
	/* Options are checked before any work, so usage errors come alone. */
	for (i = 2; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "-o") == 0 || strcmp(a, "-t") == 0 ||
		    strcmp(a, "-D") == 0 || strcmp(a, "--data-dir") == 0 ||
		    strcmp(a, "--allow-path") == 0 ||
		    strcmp(a, "--preview") == 0 || strcmp(a, "--format") == 0 ||
		    strcmp(a, "--dpi") == 0 || strcmp(a, "--part") == 0 ||
		    strcmp(a, "--pdfa") == 0 || strcmp(a, "--html") == 0) {
			if (i + 1 >= argc)
				return fail_usage("option needs a value", a);
			if (strcmp(a, "-o") == 0)
				out = argv[++i];
			else if (strcmp(a, "-t") == 0)
				tpl = argv[++i];
			else if (strcmp(a, "--data-dir") == 0)
				dd = argv[++i];
			else if (strcmp(a, "--allow-path") == 0)
				i++;
			else if (strcmp(a, "--preview") == 0)
				preview = argv[++i];
			else if (strcmp(a, "--format") == 0)
				format = argv[++i];
			else if (strcmp(a, "--part") == 0) {
				part = argv[++i];
				if (strcmp(part, "a") != 0 && strcmp(part, "b") != 0)
					return fail_usage("--part is a (the public pack) "
					    "or b (the exempt items)", part);
			}
			else if (strcmp(a, "--pdfa") == 0)
				pdfa = argv[++i];
			else if (strcmp(a, "--html") == 0)
				html = argv[++i];
			else if (strcmp(a, "--dpi") == 0) {
				char *end;
				dpi = strtod(argv[++i], &end);
				if (*end != '\0' || dpi < 10 || dpi > 2400)
					return fail_usage("--dpi needs a number from 10 "
					    "to 2400", argv[i]);
			}
			else {
				const char *d = argv[++i], *eq = strchr(d, '=');
				if (eq == NULL || eq == d)
					return fail_usage("-D needs NAME=VALUE", d);
			}
		} else if (strcmp(a, "--dump") == 0)
			dump = 1;
		else if (strcmp(a, "--watch") == 0)
			watch = 1;
		else if (strcmp(a, "--strict") == 0)
			strict = 1;
		else if (strcmp(a, "--timings") == 0)
			timings = 1;
		else if (strncmp(a, "--pdfa=", 7) == 0)
			pdfa = a + 7;
		else if (strcmp(a, "--no-ua") == 0)
			no_ua = 1;
		else if (a[0] == '-' && a[1] != '\0')
			return fail_unknown("option", a, options);
		else if (def == NULL)
			def = a;
		else
			return fail_usage("only one definition at a time; extra "
			    "argument", a);
	}
	if (def == NULL)
		return fail_usage("no report definition given", NULL);
	if (out != NULL && strcmp(cmd, "check") == 0)
		return fail_usage("-o is for build, not check", NULL);
	if (out != NULL && strcmp(out, "-") == 0 && dump)
		return fail_usage("-o - and --dump both write to standard output; "
		    "choose one", NULL);
	if (out == NULL && strcmp(cmd, "charts") == 0)
		return fail_usage("charts needs -o DIR, the folder to write to",
		    NULL);
	if (part != NULL && strcmp(cmd, "pack") != 0)
		return fail_usage("--part is for pack", NULL);
	if (watch && strcmp(cmd, "build") != 0 && strcmp(cmd, "pack") != 0)
		return fail_usage("--watch is for build and pack", NULL);
	if (watch && out != NULL && strcmp(out, "-") == 0)
		return fail_usage("--watch rebuilds a file in place, and standard "
		    "output cannot be rewritten; name a file with -o, or leave "
		    "-o out", NULL);
	if (watch && dump)
		return fail_usage("--dump prints one build's display list; leave "
		    "out --dump or --watch", NULL);
	if (timings && strcmp(cmd, "build") != 0 && strcmp(cmd, "check") != 0 &&
	    strcmp(cmd, "pack") != 0)
		return fail_usage("--timings is for build, check and pack", NULL);
	if (timings && watch)
		return fail_usage("--timings times one build; leave out --watch "
		    "or --timings", NULL);
	if (strict && strcmp(cmd, "charts") == 0)
		return fail_usage("--strict is for build, check and pack", NULL);
	if (pdfa != NULL && strcmp(pdfa, "none") != 0 &&
	    strcmp(pdfa, "2a") != 0 && strcmp(pdfa, "2u") != 0 &&
	    strcmp(pdfa, "3a") != 0)
		return fail_usage("--pdfa is none, 2a (the default), 2u or 3a",
		    pdfa);
	if ((pdfa != NULL || no_ua) && strcmp(cmd, "build") != 0 &&
	    strcmp(cmd, "pack") != 0)
		return fail_usage(pdfa != NULL ? "--pdfa is for build and pack" :
		    "--no-ua is for build and pack", NULL);
	if (html != NULL && strcmp(cmd, "build") != 0 &&
	    strcmp(cmd, "pack") != 0)
		return fail_usage("--html is for build and pack", NULL);
	if (html != NULL && watch)
		return fail_usage("--html writes one edition; leave out --watch",
		    NULL);
	if (html != NULL && part != NULL && strcmp(part, "b") == 0)
		return fail_usage("--html writes the public edition, and Part B "
		    "is not for publication; leave out --part b", NULL);
	if (html != NULL && out == NULL && (dump || preview != NULL))
		return fail_usage("--html alone writes no PDF; name the PDF with "
		    "-o as well for --dump or --preview", NULL);
	if ((ctx = sc_ctx_new()) == NULL ||
	    (job = sc_job_new_in(ctx, def)) == NULL) {
		fprintf(stderr, "scrutineer: out of memory\n");
		sc_ctx_free(ctx);
		return SC_EINTERNAL;
	}
	rc = SC_OK;
	/* The library reads no environment: the date for reproducible
	 * builds is passed in (digits only, as reproducible-builds.org
	 * defines it; anything else is ignored, as before). */
	if (sde != NULL && *sde != '\0' && strspn(sde, "0123456789") ==
	    strlen(sde) && strlen(sde) < 15)
		sc_ctx_set_source_date(ctx, strtoll(sde, NULL, 10));
	rc |= sc_job_set_strict(job, strict);   /* a pack's reports too */
	if (pdfa != NULL && sc_job_set_pdfa(job, pdfa) != SC_OK)
		rc |= SC_EINTERNAL;	/* checked above: not reached */
	rc |= sc_job_set_pdfua(job, !no_ua);
	if (part != NULL)
		rc |= sc_job_set_part(job, part);
	if (out != NULL && strcmp(cmd, "charts") != 0)
		rc |= sc_job_set_output(job, out);
	/* --html with -o: both; alone, the HTML edition only. */
	if (html != NULL && out != NULL)
		rc |= sc_job_set_html(job, html);
	if (preview != NULL)
		rc |= sc_job_set_preview(job, preview, dpi);
	rc |= sc_job_set_dpi(job, dpi);
	if (tpl != NULL)
		rc |= sc_job_set_template(job, tpl);
	if (dd != NULL)
		rc |= sc_job_set_data_dir(job, dd);
	rc |= sc_job_set_dump(job, dump);
	rc |= sc_job_set_timings(job, timings);
	for (i = 2; i < argc && rc == SC_OK; i++)
		if (strcmp(argv[i], "-D") == 0) {
			char *d = argv[++i], *eq = strchr(d, '=');
			*eq = '\0';
			rc = sc_job_define(job, d, eq + 1);
			*eq = '=';
		} else if (strcmp(argv[i], "--allow-path") == 0)
			rc = sc_job_allow_path(job, argv[++i]);
		else if (strcmp(argv[i], "-o") == 0 ||
		    strcmp(argv[i], "-t") == 0 ||
		    strcmp(argv[i], "--data-dir") == 0 ||
		    strcmp(argv[i], "--preview") == 0 ||
		    strcmp(argv[i], "--format") == 0 ||
		    strcmp(argv[i], "--dpi") == 0 ||
		    strcmp(argv[i], "--part") == 0 ||
		    strcmp(argv[i], "--pdfa") == 0 ||
		    strcmp(argv[i], "--html") == 0)
			i++;
	if (rc != SC_OK) {
		fprintf(stderr, "scrutineer: out of memory\n");
		sc_job_free(job);
		sc_ctx_free(ctx);
		return SC_EINTERNAL;
	}
	if (strcmp(cmd, "pack") == 0 && !sc_job_is_pack(job)) {
		fprintf(stderr, "scrutineer: %s is not a <pack> definition; build "
		    "a report with scrutineer build\n", def);
		sc_job_free(job);
		sc_ctx_free(ctx);
		return SC_EUSAGE;
	}
	running_job = job;
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	signal(SIGHUP, on_signal);
	signal(SIGXCPU, on_signal);	/* ulimit -t: as SIGTERM, not a core */
	if (watch) {	/* until a signal ends the process (on_signal) */
		rc = watch_run(job, def, print_diags);
		sc_job_free(job);
		sc_ctx_free(ctx);
		return rc;
	}
	rc = html != NULL && out == NULL ? sc_html(job, html) :
	    strcmp(cmd, "build") == 0 || strcmp(cmd, "pack") == 0 ?
	    sc_build(job) :
	    strcmp(cmd, "charts") == 0 ? sc_charts(job, out, format) :
	    sc_check(job);
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	signal(SIGXCPU, SIG_DFL);
	running_job = NULL;
	print_diags(job);
	if (sc_job_dump(job) != NULL)
		fputs(sc_job_dump(job), stdout);
	if (rc == SC_OK && strcmp(cmd, "charts") == 0)
		fprintf(stderr, "scrutineer: wrote %d chart%s to %s\n",
		    sc_job_charts(job), sc_job_charts(job) == 1 ? "" : "s", out);
	if (rc == SC_OK && html != NULL)
		fprintf(stderr, "scrutineer: wrote the HTML edition to %s%s"
		    "index.html\n", html, html[0] != '\0' &&
		    html[strlen(html) - 1] == '/' ? "" : "/");
	if (html != NULL && out == NULL)
		cmd = "html";
	if (strcmp(cmd, "pack") == 0)
		cmd = "build";
	if (rc == SC_OK && strcmp(cmd, "build") == 0 &&
	    strcmp(sc_job_output(job), "-") == 0)
		fprintf(stderr, "scrutineer: wrote the PDF to standard output "
		    "(%d page%s)\n", sc_job_pages(job),
		    sc_job_pages(job) == 1 ? "" : "s");
	else if (rc == SC_OK && strcmp(cmd, "build") == 0)
		fprintf(stderr, "scrutineer: wrote %s (%d page%s)\n",
		    sc_job_output(job), sc_job_pages(job),
		    sc_job_pages(job) == 1 ? "" : "s");
	sc_job_free(job);
	sc_ctx_free(ctx);
	return rc;
}
