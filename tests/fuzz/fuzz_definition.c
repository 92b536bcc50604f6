/* fuzz_definition.c — libFuzzer: arbitrary bytes as a report definition,
 * through parsing, validation and (when valid) layout. Must never crash,
 * hang or leak. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "definition/definition.h"
#include "definition/template.h"
#include "layout/font.h"
#include "layout/layout.h"
#include "render/displaylist.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct fontset fs;
static int fs_ready;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diags d;
	struct doc *doc;
	int ok;

	if (!fs_ready) {
		fontset_init(&fs, NULL, 0);
		fs_ready = 1;
	}
	diags_init(&d);
	doc = def_load_mem((const char *)data, size, "fuzz.xml", NULL, 0, &d,
	    &ok);
	if (doc != NULL && ok) {
		struct template t;
		struct dl_doc dl;
		tpl_defaults(&t);
		dl_init(&dl, &doc->arena);
		lay_document(doc, &t, &fs, &dl, &d);
		dl_free(&dl);
	}
	doc_free(doc);
	diags_clear(&d);
	return 0;
}
