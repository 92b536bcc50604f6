/*
 * batch_out.c — what a batch came to: its exit status, the summary table
 * on standard error and the same as JSON for a scheduler, written as
 * every output is (a temporary file renamed into place).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch_int.h"
#include "../util/buf.h"
#include "../util/output.h"
#include "../util/utf8.h"

const char *
batch_state_name(enum run_state s)
{
	switch (s) {
	case RUN_BUILT:
		return "built";
	case RUN_FAILED:
		return "FAILED";
	case RUN_INTERRUPTED:
		return "interrupted";
	case RUN_BUILDING:
		return "building";
	case RUN_WAITING:
		break;
	}
	return "not run";
}

int
batch_status(const struct batch *b)
{
	size_t i;
	int worst = SC_OK;

	if (b->sig != 0)
		return 128 + b->sig;
	for (i = 0; i < b->plan.n; i++) {
		const struct run *r = &b->runs[i];
		int rc = r->rc != SC_OK ? r->rc : SC_EINTERNAL;
		if (r->state != RUN_BUILT && r->state != RUN_WAITING && rc > worst)
			worst = rc;
	}
	return worst == SC_OK && b->unused > 0 ? SC_EINPUT : worst;
}

static size_t
count(const struct batch *b, enum run_state s)
{
	size_t i, n = 0;

	for (i = 0; i < b->plan.n; i++)
		n += b->runs[i].state == s;
	return n;
}

/* ---- the table --------------------------------------------------------- */

void
batch_summary(const struct batch *b)
{
	int wr = 6, wo = 6, ws = 11;
	size_t i;

	for (i = 0; i < b->plan.n; i++) {
		int n = (int)strlen(b->plan.v[i].definition);
		wr = n > wr ? n : wr;
		n = (int)strlen(b->plan.v[i].output);
		wo = n > wo ? n : wo;
	}
	fprintf(stderr, "\n%-*s  %-*s  %5s  %8s  %8s  %6s  %s\n", wr, "report",
	    ws, "status", "pages", "time", "warnings", "errors", "output");
	for (i = 0; i < b->plan.n; i++) {
		const struct batch_entry *e = &b->plan.v[i];
		const struct run *r = &b->runs[i];
		char pages[16], time[16];
		if (r->state == RUN_BUILT)
			snprintf(pages, sizeof(pages), "%d", r->pages);
		else
			snprintf(pages, sizeof(pages), "-");
		if (r->state == RUN_WAITING)
			snprintf(time, sizeof(time), "-");
		else
			snprintf(time, sizeof(time), "%.2f s", r->seconds);
		fprintf(stderr, "%-*s  %-*s  %5s  %8s  %8d  %6d  %s%s\n", wr,
		    e->definition, ws, batch_state_name(r->state), pages, time,
		    r->warnings, r->errors, e->output,
		    r->state == RUN_BUILT ? "" : " (not replaced)");
	}
	fprintf(stderr, "\n%zu built, %zu failed, %zu interrupted, %zu not run, "
	    "of %zu; %.2f s on %d thread%s%s%s\n", count(b, RUN_BUILT),
	    count(b, RUN_FAILED), count(b, RUN_INTERRUPTED),
	    count(b, RUN_WAITING), b->plan.n, b->elapsed, b->threads,
	    b->threads == 1 ? "" : "s", b->sig ? "; interrupted by " : "",
	    b->sig == SIGINT ? "SIGINT" : b->sig == SIGTERM ? "SIGTERM" :
	    b->sig == SIGHUP ? "SIGHUP" : "");
}

/* ---- JSON ------------------------------------------------------------- */

/* s as a JSON string: quotes, backslashes and control characters
 * escaped; bytes that are not UTF-8 (a file name can be anything) as
 * U+FFFD, so that the file is always valid JSON. */
static void
json_str(struct buf *o, const char *s)
{
	size_t n, len, i = 0;

	if (s == NULL) {
		buf_puts(o, "null");
		return;
	}
	n = strlen(s);
	buf_putc(o, '"');
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\') {
			buf_putc(o, '\\');
			buf_putc(o, (char)c);
			i++;
		} else if (c < 0x20 || c == 0x7f) {
			buf_printf(o, "\\u%04x", c);
			i++;
		} else if (c < 0x80) {
			buf_putc(o, (char)c);
			i++;
		} else if (utf8_decode(s + i, n - i, &len) < 0) {
			buf_puts(o, "\xEF\xBF\xBD");
			i++;
		} else {
			buf_put(o, s + i, len);
			i += len;
		}
	}
	buf_putc(o, '"');
}

/* "NAME=VALUE"s as an object. */
static void
json_defines(struct buf *o, char *const *d, size_t n)
{
	size_t i;

	buf_putc(o, '{');
	for (i = 0; i < n; i++) {
		const char *eq = strchr(d[i], '=');
		char *name = strndup(d[i], (size_t)(eq - d[i]));
		if (name == NULL) {
			o->oom = 1;
			return;
		}
		buf_puts(o, i ? ", " : "");
		json_str(o, name);
		buf_puts(o, ": ");
		json_str(o, eq + 1);
		free(name);
	}
	buf_putc(o, '}');
}

static void
json_run(struct buf *o, const struct batch_entry *e, const struct run *r)
{
	size_t k;

	buf_puts(o, "    {\"definition\": ");
	json_str(o, e->definition);
	buf_printf(o, ", \"kind\": \"%s\", \"part\": ", e->pack ? "pack" :
	    "report");
	json_str(o, e->part);
	buf_puts(o, ",\n     \"list\": ");
	json_str(o, e->list);
	if (e->list != NULL)
		buf_printf(o, ", \"line\": %d", e->line);
	else
		buf_puts(o, ", \"line\": null");
	buf_puts(o, ", \"output\": ");
	json_str(o, e->output);
	buf_puts(o, ",\n     \"defines\": ");
	json_defines(o, e->defines, e->ndefines);
	buf_printf(o, ",\n     \"status\": \"%s\", \"exit\": %s, \"pages\": %d, "
	    "\"seconds\": %.3f, \"warnings\": %d, \"errors\": %d,\n"
	    "     \"diagnostics\": [", r->state == RUN_FAILED ? "failed" :
	    batch_state_name(r->state), r->state == RUN_WAITING ? "null" :
	    r->rc == 0 ? "0" : r->rc == 1 ? "1" : r->rc == 2 ? "2" : "3",
	    r->state == RUN_BUILT ? r->pages : 0, r->seconds, r->warnings,
	    r->errors);
	for (k = 0; k < r->ndiags; k++) {
		const struct run_diag *d = &r->diags[k];
		buf_printf(o, "%s\n       {\"level\": \"%s\", \"file\": ", k ? "," :
		    "", d->level == SC_ERROR ? "error" : d->level == SC_WARNING ?
		    "warning" : "note");
		json_str(o, d->file);
		if (d->line > 0)
			buf_printf(o, ", \"line\": %d, \"message\": ", d->line);
		else
			buf_puts(o, ", \"line\": null, \"message\": ");
		json_str(o, d->message);
		buf_putc(o, '}');
	}
	buf_puts(o, r->ndiags ? "\n     ]}" : "]}");
}

static int
fill_json(const char *tmp, const char *name, void *arg, struct diags *d)
{
	const struct buf *o = arg;
	FILE *f = fopen(tmp, "wb");

	if (f == NULL || fwrite(o->data, 1, o->len, f) != o->len) {
		diag_err(d, NULL, 0, "%s: cannot write: %s", name, "write failed");
		if (f != NULL)
			fclose(f);
		return -1;
	}
	if (fclose(f) != 0) {
		diag_err(d, NULL, 0, "%s: cannot write", name);
		return -1;
	}
	return 0;
}

int
batch_json(const struct batch *b)
{
	static volatile char temp[OUTPUT_TEMP_MAX];
	struct diags d;
	struct buf o;
	size_t i;
	int rc;

	buf_init(&o);
	buf_printf(&o, "{\"version\": 1, \"exit\": %d, \"interrupted\": ",
	    batch_status(b));
	if (b->sig)
		buf_printf(&o, "\"%s\"", b->sig == SIGINT ? "SIGINT" :
		    b->sig == SIGTERM ? "SIGTERM" : "SIGHUP");
	else
		buf_puts(&o, "null");
	buf_printf(&o, ",\n \"threads\": %d, \"strict\": %s, \"seconds\": %.3f, "
	    "\"total\": %zu, \"built\": %zu, \"failed\": %zu, \"interrupted_"
	    "builds\": %zu, \"not_run\": %zu,\n \"defines\": ", b->threads,
	    b->strict ? "true" : "false", b->elapsed, b->plan.n,
	    count(b, RUN_BUILT), count(b, RUN_FAILED),
	    count(b, RUN_INTERRUPTED), count(b, RUN_WAITING));
	json_defines(&o, b->defines, b->ndefines);
	buf_puts(&o, ",\n \"reports\": [\n");
	for (i = 0; i < b->plan.n; i++) {
		json_run(&o, &b->plan.v[i], &b->runs[i]);
		buf_puts(&o, i + 1 < b->plan.n ? ",\n" : "\n");
	}
	buf_puts(&o, " ]}\n");
	if (o.oom) {
		buf_free(&o);
		fprintf(stderr, "scrutineer: batch: out of memory writing %s\n",
		    b->json);
		return -1;
	}
	diags_init(&d);
	rc = output_write(b->json, NULL, temp, fill_json, &o, &d);
	for (i = 0; i < d.n; i++)
		fprintf(stderr, "scrutineer: batch: --json: %s\n", d.v[i].message);
	diags_clear(&d);
	buf_free(&o);
	return rc == SC_OK ? 0 : -1;
}
