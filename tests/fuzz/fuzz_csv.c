/* fuzz_csv.c — libFuzzer: arbitrary bytes as a CSV source, in every
 * encoding mode, then a query over what loaded. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "data/data.h"
#include "data/query.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const enc[] = { "auto", "utf-8", "windows-1252" };
	char path[] = "/tmp/fuzz-csv-XXXXXX";
	int fd = mkstemp(path);
	struct diags d;
	struct db *db;
	struct doc *doc;
	struct source src = { "t", path, NULL, NULL, 1, "fuzz.xml", 1 };

	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		unlink(path);
		return 0;
	}
	close(fd);
	src.encoding = enc[size % 3];
	src.header = (size % 5) != 0;
	diags_init(&d);
	doc = doc_new();
	if ((db = db_open(&d)) != NULL) {
		if (db_load_csv(db, &src, path, size % 7 ? NULL : "c1", &d) == 0) {
			struct rset rs;
			db_lock(db);
			db_query(db, doc, "SELECT * FROM t LIMIT 100", &doc->arena,
			    &rs, "fuzz.xml", 1, &d);
		}
		db_close(db);
	}
	doc_free(doc);
	diags_clear(&d);
	unlink(path);
	return 0;
}
