# scrutineer — plain Makefile (pkg-config for flags).
#   make demo    install missing Debian packages, build, render every example
#   make check   every test (unit, golden, error paths, hostile input), then
#                the same under ASan + UBSan, then each fuzzer for a while
#   make test    only the first part (a quick run while working)
#   make regress-update  rewrite tests/regress/'s expected dumps
#   make asan    the tests under AddressSanitizer + UBSan
#   make tsan    jobs on threads (tests/unit/test_threads.c) under TSan
#   make faults  out-of-memory injection: each allocation of two small
#                builds made to fail in turn (tests/faults/)
#   make fuzz    each libFuzzer harness for FUZZ_SECONDS
#   make valgrind  every example built under memcheck
#   make mutants   each catalogued bug (tests/mutants/) must fail the tests;
#                  MUTANTS="a b" for chosen ones; mutants-ci the fixed twelve
#   make html    every example's HTML edition: build/html/NAME/index.html,
#                the example pack's in build/html/pack/ (index.html, item-N.html)
#   make install PREFIX=/usr/local DESTDIR=

PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= cc
BUILD   ?= build
OPT     ?= -O2 -g

DEB_PKGS = build-essential pkg-config libhpdf-dev libharfbuzz-dev libcsv-dev \
	libxml2-dev libxml2-utils libcairo2-dev libcmocka-dev libsqlite3-dev \
	libfontconfig-dev libicu-dev zlib1g-dev fonts-liberation2 poppler-utils qpdf clang \
	libclang-rt-14-dev valgrind libdeflate-dev python3-pikepdf time
DEB_PKGS += libqpdf-dev
# The HTML edition's validity check (tests/golden/html.sh).
DEB_PKGS += tidy
# The sRGB profile every PDF's output intent embeds (PDF/A): Debian's
# icc-profiles-free, zlib licence, 6,922 bytes (ICC v2.3).
DEB_PKGS += icc-profiles-free
ICC_SRGB ?= /usr/share/color/icc/sRGB.icc

PKGS    = libxml-2.0 harfbuzz harfbuzz-subset fontconfig sqlite3 cairo freetype2 \
	libdeflate icu-uc
CFLAGS_PKG := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# cairo (with pixman), libcsv and libdeflate are linked in from Debian's
# static libraries: cairo alone brought in eleven shared libraries (X11,
# xcb ...) that every run paid to load, a tenth of a short report's time.
# The parsers of untrusted input (libxml2, SQLite) stay shared, so that
# Debian's security updates reach them.
# ICU (UAX #14 line breaking, src/layout/linebreak.c) stays shared too:
# libxml2 loads it already, and its Unicode data is Debian's to update.
STATIC_LIBS = -Wl,-Bstatic -lcairo -lpixman-1 -lcsv -ldeflate -Wl,-Bdynamic
LIBS_PKG   := $(STATIC_LIBS) $(shell pkg-config --libs \
	libxml-2.0 harfbuzz harfbuzz-subset fontconfig sqlite3 freetype2 libpng zlib \
	icu-uc 2>/dev/null)
WARN    = -std=c11 -Wall -Wextra -Werror -Wno-unused-parameter \
	-Wshadow -Wstrict-prototypes -Wmissing-prototypes
CPPFLAGS += -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Iinclude \
	-DSC_DATADIR='"$(PREFIX)/share/scrutineer"' \
	-DSC_LIBDIR='"$(PREFIX)/lib/scrutineer"'
ALL_CFLAGS = $(WARN) $(OPT) $(CPPFLAGS) $(CFLAGS_PKG) $(CFLAGS) $(EXTRA_CFLAGS)
LDLIBS  = $(LIBS_PKG) -lhpdf -lm $(EXTRA_LDFLAGS)
# Agenda packs: the libqpdf merging unit (src/pack/*.cc, C++17 behind C).
# vptr (and clang's function) checks off: a C link (cc) of a sanitized
# build has no C++ UBSan runtime.
CXX_SAN = -fno-sanitize=vptr
ifneq ($(findstring clang,$(CXX)),)
CXX_SAN += -fno-sanitize=function
endif
CXX_FLAGS = -std=c++17 -Wall -Wextra -Werror $(OPT) -Iinclude -Isrc \
	$(shell pkg-config --cflags libqpdf 2>/dev/null) $(EXTRA_CFLAGS) $(CXX_SAN)
QPDF_LIBS = $(shell pkg-config --libs libqpdf 2>/dev/null) -lstdc++
# The command links none of it: merge_load.c loads merge.cc built as a
# module, scrutineer-merge.so, beside the program (and installed in
# LIBDIR), the first time a pack merges a PDF. libqpdf brings gnutls and
# nine more libraries: loading them was a tenth of every build's time.
# The library, the tests and the harnesses link merge.cc itself.
CMD_LDLIBS := $(LDLIBS)
LDLIBS += $(QPDF_LIBS)
LIBDIR = $(PREFIX)/lib/scrutineer
MODULE = $(BUILD)/scrutineer-merge.so

LIB_SRC = $(wildcard src/util/*.c src/doc/*.c src/definition/*.c src/chart/*.c \
	src/data/*.c src/layout/*.c src/render/*.c src/html/*.c src/pack/*.c \
	src/batch/*.c) \
	src/api.c
LIB_SRC := $(filter-out src/pack/merge_load.c,$(LIB_SRC))
LIB_OBJ = $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/schema.o $(BUILD)/icc.o \
	$(BUILD)/tplknown.o
LIB_OBJ += $(patsubst %.cc,$(BUILD)/%.o,$(wildcard src/pack/*.cc))
# The command's own files beside main.c (batch).
CLI_OBJ = $(patsubst %.c,$(BUILD)/%.o,$(filter-out src/cli/main.c,$(wildcard src/cli/*.c)))
UNIT_SRC = $(wildcard tests/unit/test_*.c)
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
EXAMPLES = $(wildcard examples/*/report.xml)
EXAMPLE_PDFS = $(EXAMPLES:.xml=.pdf)

.PHONY: all deps checkers golden-update demo check test regress-update asan faults fuzz valgrind bench install clean examples charts-images print-generated \
	mutants mutants-ci html
.PHONY: tsan browser browser-tools

all: scrutineer

# Installs what is missing (as root), or says exactly what to run.
deps:
	@missing=""; for p in $(DEB_PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" \
	    || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing:$$missing"; \
	    (apt-get install -y -q $$missing >/dev/null 2>&1 || \
	     (apt-get update -q >/dev/null 2>&1 && \
	      DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing >/dev/null)) \
	    || { echo "apt-get install failed for:$$missing"; exit 3; }; \
	  else \
	    echo "missing Debian packages; run:"; \
	    echo "  sudo apt-get install -y$$missing"; exit 3; \
	  fi; \
	fi

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/%.o: %.cc
	@mkdir -p $(dir $@)
	@echo "  CXX     $<"
	@$(CXX) $(CXX_FLAGS) -MMD -MP -c $< -o $@

# The RELAX NG schemas are compiled into the library.
$(BUILD)/schema.c: schema/report.rng schema/template.rng schema/pack.rng \
    tools/embed.sh
	@mkdir -p $(BUILD)
	@sh tools/embed.sh sc_schema_report schema/report.rng > $@.tmp
	@sh tools/embed.sh sc_schema_template schema/template.rng >> $@.tmp
	@sh tools/embed.sh sc_schema_pack schema/pack.rng >> $@.tmp
	@mv $@.tmp $@

$(BUILD)/schema.o: $(BUILD)/schema.c
	@$(CC) $(ALL_CFLAGS) -c $< -o $@

# The shipped templates' bytes, which make test checks against the
# schema: a template that is one of them byte for byte needs no RELAX NG
# at run time (compiling and running it was a sixteenth of a short build).
TEMPLATES = $(sort $(wildcard templates/*.xml))
$(BUILD)/tplknown.c: tools/embed.sh $(TEMPLATES)
	@mkdir -p $(BUILD)
	@i=0; for f in $(TEMPLATES); do sh tools/embed.sh sc_tpl_$$i $$f; i=$$((i + 1)); done > $@.tmp
	@{ echo "const unsigned char *const sc_tpl_known[] = {"; \
	  i=0; for f in $(TEMPLATES); do echo "	sc_tpl_$$i,"; i=$$((i + 1)); done; \
	  echo "};"; echo "const size_t sc_tpl_known_len[] = {"; \
	  i=0; for f in $(TEMPLATES); do echo "	sizeof(sc_tpl_$$i) - 1,"; i=$$((i + 1)); done; \
	  echo "};"; echo "const size_t sc_tpl_nknown = $$i;"; } >> $@.tmp
	@mv $@.tmp $@

$(BUILD)/tplknown.o: $(BUILD)/tplknown.c
	@$(CC) $(ALL_CFLAGS) -c $< -o $@

# So is the sRGB ICC profile of the PDFs' output intent: no file is read
# at run time. A build without it stops here, saying where it comes from.
$(BUILD)/icc.c: tools/embed.sh $(wildcard $(ICC_SRGB))
	@mkdir -p $(BUILD)
	@test -r "$(ICC_SRGB)" || { echo "$(ICC_SRGB) is missing: the sRGB" \
	  "profile every PDF embeds comes from Debian's icc-profiles-free;" \
	  "run make deps (or apt-get install icc-profiles-free), or name" \
	  "another with ICC_SRGB=FILE" >&2; exit 1; }
	@sh tools/embed.sh sc_icc_srgb "$(ICC_SRGB)" > $@.tmp
	@mv $@.tmp $@

$(BUILD)/icc.o: $(BUILD)/icc.c
	@$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/libscrutineer.a: $(LIB_OBJ)
	@echo "  AR      $@"
	@rm -f $@
	@ar rcs $@ $^

$(BUILD)/scrutineer: $(BUILD)/src/cli/main.o $(CLI_OBJ) \
    $(BUILD)/src/pack/merge_load.o $(BUILD)/libscrutineer.a | $(MODULE)
	@echo "  LD      $@"
	@$(CC) $(ALL_CFLAGS) -o $@ $^ $(CMD_LDLIBS)

# merge.cc again, position-independent, with only its entry point seen.
$(BUILD)/src/pack/merge.mod.o: src/pack/merge.cc
	@mkdir -p $(dir $@)
	@echo "  CXX     $@"
	@$(CXX) $(CXX_FLAGS) -fPIC -fvisibility=hidden -DSC_MERGE_MODULE \
	  -MMD -MP -c $< -o $@

$(MODULE): $(BUILD)/src/pack/merge.mod.o
	@echo "  LD      $@"
	@$(CXX) -shared -o $@ $< $(QPDF_LIBS) $(EXTRA_LDFLAGS) \
	  -Wl,--no-undefined -Wl,-z,defs

# A link, not a copy: the program finds its module beside itself.
scrutineer: $(BUILD)/scrutineer
	@ln -sf $(BUILD)/scrutineer $@

$(BUILD)/tests/%: tests/unit/%.c tests/unit/helpers.h $(BUILD)/libscrutineer.a
	@mkdir -p $(dir $@)
	@echo "  TEST    $@"
	@$(CC) $(ALL_CFLAGS) -Isrc $(shell pkg-config --cflags cmocka) -o $@ $< \
	  $(BUILD)/libscrutineer.a $(LDLIBS) $(shell pkg-config --libs cmocka)

examples/%/report.pdf: examples/%/report.xml scrutineer $(wildcard templates/*.xml)
	./scrutineer build $< -o $@

$(BUILD)/pngdiff: tests/tools/pngdiff.c
	@mkdir -p $(BUILD)
	@$(CC) $(WARN) -O2 $(shell pkg-config --cflags cairo) -o $@ $< $(shell pkg-config --libs cairo)

# The chart pictures in the README, from the chart gallery.
charts-images: scrutineer
	@mkdir -p build/gallery
	./scrutineer charts examples/chart-gallery/report.xml -o build/gallery --dpi 72
	@for f in build/gallery/*.png; do cp $$f docs/img/chart-$$(basename $$f); done

# Generated inputs (deterministic): the police.uk-shaped export.
$(BUILD)/gen_police: bench/gen_police.c
	@mkdir -p $(BUILD)
	@$(CC) $(WARN) -O2 -o $@ $<
# A tagged appendix PDF for the agenda pack (bench/gen_appendix.c).
$(BUILD)/gen_appendix: bench/gen_appendix.c
	@mkdir -p $(BUILD)
	@$(CC) $(WARN) -O2 $(shell pkg-config --cflags cairo) -o $@ $< $(shell pkg-config --libs cairo)
examples/police-uk/data/street.csv: $(BUILD)/gen_police
	@mkdir -p $(dir $@)
	$(BUILD)/gen_police 30000 2021-04 24 > $@.tmp && mv $@.tmp $@
examples/police-uk/report.pdf: examples/police-uk/data/street.csv
# The example pack's appendix PDFs, as other systems would send them.
PACK = examples/pack-2023-12
PACK_APPENDICES = $(PACK)/appendices/action-plans.pdf \
	$(PACK)/exempt/commissioned-services.pdf
$(PACK)/appendices/action-plans.pdf: $(BUILD)/gen_appendix
	@mkdir -p $(dir $@)
	$(BUILD)/gen_appendix $@.tmp 6 a4 tagged \
	  "Community Safety Partnership action plans 2023/24" && mv $@.tmp $@
$(PACK)/exempt/commissioned-services.pdf: $(BUILD)/gen_appendix
	@mkdir -p $(dir $@)
	$(BUILD)/gen_appendix $@.tmp 3 a4-landscape tagged \
	  "Partnership Locality Fund: commissioned services" && mv $@.tmp $@
GENERATED = examples/police-uk/data/street.csv $(PACK_APPENDICES)
# Their names, for tests/mutants/run.sh (GENERATED names variables).
print-generated:
	@echo $(GENERATED)
# The example pack, public and Part B (it reads the other examples).
PACK_PDFS = $(PACK)/agenda.pdf $(PACK)/part-b.pdf
$(PACK)/agenda.pdf: $(PACK)/meeting.xml scrutineer $(PACK_APPENDICES) \
    $(EXAMPLES) $(wildcard templates/*.xml)
	./scrutineer pack $< --allow-path examples -o $@
$(PACK)/part-b.pdf: $(PACK)/meeting.xml scrutineer $(PACK_APPENDICES) \
    $(EXAMPLES) $(wildcard templates/*.xml)
	./scrutineer pack $< --allow-path examples --part b -o $@

examples: $(EXAMPLE_PDFS) $(PACK_PDFS)

# The HTML editions, one folder each (the browser tests read them there).
html: $(BUILD)/scrutineer $(GENERATED)
	@for x in $(EXAMPLES); do n=$$(basename $$(dirname $$x)); \
	  mkdir -p $(BUILD)/html/$$n && \
	  $(BUILD)/scrutineer build $$x --allow-path examples \
	    --html $(BUILD)/html/$$n 2> $(BUILD)/html/$$n.log || \
	    { cat $(BUILD)/html/$$n.log; exit 1; }; done
	@mkdir -p $(BUILD)/html/pack && $(BUILD)/scrutineer pack \
	  $(PACK)/meeting.xml --allow-path examples --html $(BUILD)/html/pack
	@echo "HTML editions in $(BUILD)/html/"

demo: deps
	$(MAKE) scrutineer
	$(MAKE) examples
	@echo; echo "Rendered:"; for f in $(EXAMPLE_PDFS) $(PACK_PDFS); do echo "  $$f"; done

# The independent checkers kept beside the project (../shared/tools):
# pdfcheck (qpdf, poppler, mupdf, Ghostscript, pdf.js) and uacheck
# (PDF/UA-1). Copied into build/checkers and set up there, so a read-only
# shared/ works too. The golden tests run both on every example; with
# REQUIRE_CHECKERS=1 (CI) a checker that cannot be set up is a failure.
CHECKERS_SRC ?= ../shared/tools
checkers:
	@if [ -x $(CHECKERS_SRC)/pdfcheck/setup.sh ] && [ -f $(CHECKERS_SRC)/uacheck/uacheck.py ]; then \
	  mkdir -p build/checkers && rm -rf build/checkers/pdfcheck build/checkers/uacheck && \
	  cp -r $(CHECKERS_SRC)/pdfcheck $(CHECKERS_SRC)/uacheck build/checkers/ && \
	  chmod -R u+w build/checkers && \
	  (cd build/checkers/pdfcheck && ./setup.sh >setup.log 2>&1) || \
	    { echo "pdfcheck setup failed: see build/checkers/pdfcheck/setup.log"; exit 3; }; \
	  dpkg-query -W -f='$${Status}' python3-fonttools 2>/dev/null | grep -q "ok installed" || \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
	      python3-pikepdf python3-fonttools >/dev/null || \
	    { echo "uacheck setup failed (apt-get install python3-pikepdf python3-fonttools)"; exit 3; }; \
	  echo "checkers set up in build/checkers"; \
	elif [ "$(REQUIRE_CHECKERS)" = 1 ]; then \
	  echo "checkers not found in $(CHECKERS_SRC) and REQUIRE_CHECKERS=1"; exit 3; \
	else echo "checkers not found in $(CHECKERS_SRC): the golden tests will say so"; fi

# The HTML edition in a real browser (tests/html/): Debian's chromium and
# tidy, and from npm (tests/html/package-lock.json, exact versions)
# axe-core and puppeteer-core, installed into build/browser. Test tools
# only: nothing of them reaches the program or its output.
BROWSER_PKGS = chromium tidy
BROWSER = build/browser
browser-tools:
	@$(MAKE) --no-print-directory deps DEB_PKGS="$(BROWSER_PKGS)"
	@mkdir -p $(BROWSER)
	@if ! cmp -s tests/html/package-lock.json $(BROWSER)/package-lock.json || \
	    [ ! -d $(BROWSER)/node_modules ]; then \
	  cp tests/html/package.json tests/html/package-lock.json $(BROWSER)/ && \
	  (cd $(BROWSER) && npm ci --no-audit --no-fund >npm.log 2>&1) || \
	    { echo "npm ci failed: see $(BROWSER)/npm.log"; exit 3; }; \
	fi

# The harness's own test, then every page `make html` writes (the
# examples and the pack's agenda and items). SHOTS=DIR keeps screenshots.
browser: browser-tools html
	@sh tests/html/run.sh $(BROWSER) $$(find $(BUILD)/html -name '*.html' | sort)

# What CI runs: the tests, the tests under the sanitizers, the
# out-of-memory injection, short fuzz runs.
CHECK_FUZZ_SECONDS ?= 30
check: deps checkers
	@$(MAKE) --no-print-directory test
	@$(MAKE) --no-print-directory browser
	@$(MAKE) --no-print-directory asan
	@$(MAKE) --no-print-directory tsan
	@$(MAKE) --no-print-directory faults
	@$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=$(CHECK_FUZZ_SECONDS)

test: deps
	@$(MAKE) --no-print-directory $(BUILD)/scrutineer $(UNIT_BIN) $(GENERATED) $(BUILD)/pngdiff
	@SC_BIN=$(BUILD)/scrutineer PNGDIFF=$(BUILD)/pngdiff sh tests/run-all.sh $(BUILD) $(UNIT_BIN)

# Rewrites the examples' structure-tree goldens (tests/golden/*.struct)
# after a deliberate change; review the diff like code.
golden-update: $(BUILD)/scrutineer $(GENERATED)
	@GOLDEN_UPDATE=1 SC_BIN=$(BUILD)/scrutineer sh tests/golden/run.sh | grep -v '^ok ' || true

# Rewrites tests/regress/'s expected dumps and diagnostics from what the
# build now gives (the generated sweep cases first): review the diff and
# commit it with the change that caused it.
regress-update: $(BUILD)/scrutineer
	@sh tests/regress/gen-sweep.sh
	@REGRESS_UPDATE=1 SC_BIN=$(BUILD)/scrutineer sh tests/regress/run.sh

# Layout's chunks of ops there are of 61 ops, not 4,096 (lay_int.h), so
# that every test's boxes cross chunks that are encoded and decoded.
SMALL_CHUNKS = -DLAY_OPCHUNK=61
asan:
	@echo "== the tests under AddressSanitizer + UBSan (build-asan/)"
	@$(MAKE) --no-print-directory BUILD=build-asan OPT="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer $(SMALL_CHUNKS)" \
	  EXTRA_LDFLAGS="-fsanitize=address,undefined" test

# The thread test under ThreadSanitizer, its own build directory: any
# report fails it. tests/tsan.supp holds the justified system-library
# entries (never one of src/'s frames).
TSAN = -fsanitize=thread
tsan: deps
	@echo "== jobs on threads under ThreadSanitizer (build-tsan/)"
	@$(MAKE) --no-print-directory BUILD=build-tsan OPT="-O1 -g $(TSAN) -fno-omit-frame-pointer" \
	  EXTRA_LDFLAGS="$(TSAN)" build-tsan/tests/test_threads build-tsan/tests/test_data \
	  build-tsan/scrutineer $(GENERATED)
	@TSAN_OPTIONS="halt_on_error=1 exitcode=66 second_deadlock_stack=1 suppressions=$(CURDIR)/tests/tsan.supp" \
	  build-tsan/tests/test_threads || { echo "FAIL tsan: test_threads (report above)"; exit 1; }
	@# a CSV loaded on two threads (one reads, one stores), and its errors
	@TSAN_OPTIONS="halt_on_error=1 exitcode=66 second_deadlock_stack=1 suppressions=$(CURDIR)/tests/tsan.supp" \
	  build-tsan/tests/test_data > build-tsan/test_data.log 2>&1 || \
	  { tail -60 build-tsan/test_data.log; echo "FAIL tsan: test_data (report above)"; exit 1; }
	@# scrutineer batch: every example on four threads, and a SIGTERM.
	@rm -rf build-tsan/batch && TSAN_OPTIONS="halt_on_error=1 exitcode=66 suppressions=$(CURDIR)/tests/tsan.supp" \
	  build-tsan/scrutineer batch examples --allow-path examples -o build-tsan/batch -j4 \
	  --json build-tsan/batch.json > /dev/null 2> build-tsan/batch.log || \
	  { tail -60 build-tsan/batch.log; echo "FAIL tsan: scrutineer batch (report above)"; exit 1; }
	@echo "ok   tsan: test_threads, test_data's two-thread CSV load and scrutineer batch -j4"

# The command linked with tests/faults/alloc.c in the place of malloc and
# friends (ld --wrap), under ASan + UBSan, its own build directory; and of
# clock_gettime, so that the time the driver's spine spends forking runs
# does not count against the build's SQL deadline.
FAULT_SAN = -fsanitize=address,undefined -fno-sanitize-recover=all
FAULT_WRAP = -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup,--wrap=strndup,--wrap=clock_gettime
faults:
	@echo "== out-of-memory fault injection (build-faults/)"
	@$(MAKE) --no-print-directory BUILD=build-faults \
	  OPT="-O1 -g $(FAULT_SAN) -fno-omit-frame-pointer $(SMALL_CHUNKS)" build-faults/fault-run \
	  build-faults/csv-fault
	@sh tests/faults/run.sh build-faults/fault-run
	@build-faults/csv-fault build-faults/faults/two-threads.csv

$(BUILD)/fault-run: tests/faults/driver.c tests/faults/alloc.c tests/faults/alloc.h \
    src/cli/main.c $(CLI_OBJ) $(BUILD)/libscrutineer.a
	@echo "  LD      $@"
	@$(CC) $(ALL_CFLAGS) -o $@ tests/faults/driver.c tests/faults/alloc.c \
	  $(CLI_OBJ) $(BUILD)/libscrutineer.a $(LDLIBS) $(FAULT_SAN) $(FAULT_WRAP)

# A CSV loaded on two threads, each allocation failing in turn.
$(BUILD)/csv-fault: tests/faults/csv.c tests/faults/alloc.c tests/faults/alloc.h \
    $(BUILD)/libscrutineer.a
	@echo "  LD      $@"
	@$(CC) $(ALL_CFLAGS) -Isrc -o $@ tests/faults/csv.c tests/faults/alloc.c \
	  $(BUILD)/libscrutineer.a $(LDLIBS) $(FAULT_SAN) $(FAULT_WRAP)

# Mutation testing: each tests/mutants/*.mut applied alone to a copy of
# the tree (build-mutants/) must make the tests fail.
MUTANTS ?=
mutants: deps
	@sh tests/mutants/run.sh $(MUTANTS)

# The fixed twelve CI runs (tests/mutants/ci.list), about five minutes.
mutants-ci: deps
	@sh tests/mutants/run.sh $$(grep -v '^#' tests/mutants/ci.list)

# Every example built under memcheck: any error or leak fails. Not
# police-uk too: its queries over 30,000 rows now take a few seconds each
# at memcheck's speed (fy() without sscanf), inside the 10 s query limit.
VALGRIND_EXAMPLES = $(EXAMPLES)
valgrind: $(BUILD)/scrutineer $(GENERATED)
	@fail=0; for x in $(VALGRIND_EXAMPLES) $(PACK)/meeting.xml; do \
	  if valgrind -q --error-exitcode=9 --leak-check=full \
	      --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect \
	      $(BUILD)/scrutineer build $$x --allow-path examples -o $(BUILD)/valgrind.pdf >/dev/null 2>$(BUILD)/valgrind.log; \
	  then echo "ok   valgrind $$x"; \
	  else fail=1; echo "FAIL valgrind $$x"; cat $(BUILD)/valgrind.log; fi; \
	done; rm -f $(BUILD)/valgrind.pdf; [ $$fail = 0 ]

# Benchmarks: an optimised build, deterministic inputs, one table.
bench:
	@$(MAKE) --no-print-directory BUILD=build-bench OPT="-O2 -DNDEBUG" \
	  build-bench/scrutineer build-bench/gen_police build-bench/gen_appendix
	@GEN_POLICE=build-bench/gen_police GEN_APPENDIX=build-bench/gen_appendix \
	  sh bench/make-inputs.sh build-bench/inputs
	@sh bench/run.sh build-bench/scrutineer build-bench/inputs

# libFuzzer harnesses (clang); each runs FUZZ_SECONDS on its corpus.
# tests/fuzz/run.sh fails on any crash, leak, timeout or out-of-memory
# (and first checks that a harness crashing on purpose is caught).
FUZZ_SECONDS ?= 30
FUZZERS = definition template csv numfmt build html pack merge batchlist
FUZZ_CC = clang $(WARN) -O1 -g -fsanitize=fuzzer,address,undefined $(CPPFLAGS) $(CFLAGS_PKG) -Isrc
fuzz:
	@$(MAKE) --no-print-directory BUILD=build-fuzz CC=clang CXX=clang++ \
	  OPT="-O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all" \
	  build-fuzz/libscrutineer.a
	@for f in $(FUZZERS); do \
	  $(FUZZ_CC) -o build-fuzz/fuzz_$$f tests/fuzz/fuzz_$$f.c build-fuzz/libscrutineer.a $(LDLIBS) || exit 1; \
	done
	@$(FUZZ_CC) -o build-fuzz/fuzz_selftest tests/fuzz/selftest/fuzz_crash.c
	@for f in definition build html; do sh tests/fuzz/mkdict.sh schema/report.rng > build-fuzz/$$f.dict; done
	@sh tests/fuzz/mkdict.sh schema/template.rng > build-fuzz/template.dict
	@sh tests/fuzz/mkdict.sh schema/pack.rng > build-fuzz/pack.dict
	@sh tests/fuzz/run.sh build-fuzz $(FUZZ_SECONDS) $(FUZZERS)

install: scrutineer $(BUILD)/libscrutineer.a
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib \
	  $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/lib/pkgconfig \
	  $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/man/man5 \
	  $(DESTDIR)$(PREFIX)/share/scrutineer/templates \
	  $(DESTDIR)$(PREFIX)/share/scrutineer/fonts
	install -m 755 scrutineer $(DESTDIR)$(PREFIX)/bin/
	install -d $(DESTDIR)$(LIBDIR)
	install -m 644 $(MODULE) $(DESTDIR)$(LIBDIR)/
	install -m 644 $(BUILD)/libscrutineer.a $(DESTDIR)$(PREFIX)/lib/
	install -m 644 include/scrutineer.h $(DESTDIR)$(PREFIX)/include/
	install -m 644 templates/*.xml $(DESTDIR)$(PREFIX)/share/scrutineer/templates/
	install -m 644 docs/scrutineer.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 644 docs/scrutineer-format.5 $(DESTDIR)$(PREFIX)/share/man/man5/
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|0.1.0|g' \
	  -e 's|@PKGS@|$(PKGS)|g' scrutineer.pc.in \
	  > $(DESTDIR)$(PREFIX)/lib/pkgconfig/scrutineer.pc

clean:
	rm -rf build-tsan
	rm -rf build build-asan build-faults build-mutants build-fuzz build-bench scrutineer examples/*/*.pdf $(GENERATED)

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d)
