/* fuzz_html.c — libFuzzer: the HTML edition. The input is a report
 * definition and one CSV file (data.csv beside it), split at the first
 * line "====", as fuzz_build.c's. Definition → data → layout → the HTML
 * page (sc_html()). Must never crash, hang or leak; a failed build
 * leaves no page; a page is well-formed: every tag opened is closed in
 * order, no '<' stands in text (what came from the data is escaped), no
 * <script>, no event handler attribute, no javascript: address. */
#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "scrutineer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[] = "/tmp/fuzz-html-XXXXXX";
static char def_path[64], csv_path[64], out_dir[64], page[80];

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

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *s = NULL;
	long n;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0 || (s = malloc((size_t)n + 1)) == NULL ||
	    fread(s, 1, (size_t)n, f) != (size_t)n)
		abort();
	fclose(f);
	s[n] = '\0';
	*len = (size_t)n;
	return s;
}

static int
is_void(const char *name, size_t n)
{
	static const char *const v[] = { "meta", "br", "hr", "img" };
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		if (strlen(v[i]) == n && strncasecmp(name, v[i], n) == 0)
			return 1;
	return 0;
}

/* Aborts unless s is well-formed as the writer writes it. */
static void
check_page(const char *s, size_t len)
{
	const char *stack[256];
	size_t slen[256], depth = 0, i = 0;

	if (strncmp(s, "<!DOCTYPE html>\n", 16) != 0)
		abort();
	i = 16;
	while (i < len) {
		const char *name, *end;
		size_t n;
		int closing;
		if (s[i] == '>')
			abort();          /* a '>' in text: escaped always */
		if (s[i] != '<') {
			i++;
			continue;
		}
		closing = s[i + 1] == '/';
		name = s + i + 1 + closing;
		for (n = 0; isalnum((unsigned char)name[n]); n++)
			;
		if (n == 0)
			abort();          /* a '<' that opens no tag: from data */
		if ((end = memchr(name, '>', len - (size_t)(name - s))) == NULL)
			abort();
		/* Inside the tag: no handler, no script address. */
		{
			const char *a;
			for (a = name + n; a < end; a++) {
				/* A quoted value is data: escaped, not looked in
				 * (a '>' never stands in one either). */
				if (*a == '"') {
					if (strncasecmp(a + 1, "javascript:", 11) == 0)
						abort();
					while (++a < end && *a != '"')
						;
					continue;
				}
				if ((a[0] == ' ' || a[0] == '\n') && (a[1] == 'o' ||
				    a[1] == 'O') && (a[2] == 'n' || a[2] == 'N') &&
				    isalpha((unsigned char)a[3])) {
					const char *q = a + 3;
					while (isalpha((unsigned char)*q))
						q++;
					if (*q == '=')
						abort();
				}
			}
		}
		if (n == 6 && strncasecmp(name, "script", 6) == 0)
			abort();
		if (closing) {
			if (depth == 0 || slen[depth - 1] != n ||
			    strncmp(stack[depth - 1], name, n) != 0)
				abort();
			depth--;
		} else if (!is_void(name, n) && end[-1] != '/') {
			if (depth == 256)
				abort();
			stack[depth] = name;
			slen[depth++] = n;
			/* The stylesheet is CSS (the template's, not the
			 * data's): skipped to its end. */
			if (n == 5 && strncmp(name, "style", 5) == 0) {
				const char *e = strstr(end, "</style>");
				if (e == NULL)
					abort();
				i = (size_t)(e - s);
				continue;
			}
		}
		i = (size_t)(end - s) + 1;
	}
	if (depth != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char sep[] = "\n====\n";
	const uint8_t *csv = NULL;
	size_t def_len = size, i, len;
	sc_job *job;
	int rc;

	if (def_path[0] == '\0') {
		if (mkdtemp(dir) == NULL)
			abort();
		snprintf(def_path, sizeof(def_path), "%s/report.xml", dir);
		snprintf(csv_path, sizeof(csv_path), "%s/data.csv", dir);
		snprintf(out_dir, sizeof(out_dir), "%s", dir);
		snprintf(page, sizeof(page), "%s/index.html", dir);
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
	unlink(page);
	if ((job = sc_job_new(def_path)) == NULL)
		return 0;
	sc_job_set_data_dir(job, ".");
	rc = sc_html(job, out_dir);
	/* A failed build never leaves a page; a good one always does. */
	if ((rc == SC_OK) != (access(page, F_OK) == 0))
		abort();
	if (rc == SC_OK) {
		char *s = slurp(page, &len);
		check_page(s, len);
		free(s);
	}
	sc_job_free(job);
	return 0;
}
