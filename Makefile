# scrutineer — plain Makefile (pkg-config for flags).
#   make demo    install missing Debian packages, build, render every example
#   make check   every test (unit, golden, error paths, hostile input), then
#                the same under ASan + UBSan, then each fuzzer for a while
#   make test    only the first part (a quick run while working)
#   make asan    the tests under AddressSanitizer + UBSan
#   make fuzz    each libFuzzer harness for FUZZ_SECONDS
#   make valgrind  every example built under memcheck
#   make mutants   each catalogued bug (tests/mutants/) must fail the tests;
#                  MUTANTS="a b" for chosen ones; mutants-ci the fixed ten
#   make install PREFIX=/usr/local DESTDIR=

PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= cc
BUILD   ?= build
OPT     ?= -O2 -g

DEB_PKGS = build-essential pkg-config libhpdf-dev libharfbuzz-dev libcsv-dev \
	libxml2-dev libxml2-utils libcairo2-dev libcmocka-dev libsqlite3-dev \
	libfontconfig-dev zlib1g-dev fonts-liberation2 poppler-utils qpdf clang \
	libclang-rt-14-dev valgrind libdeflate-dev

PKGS    = libxml-2.0 harfbuzz harfbuzz-subset fontconfig sqlite3 cairo freetype2 \
	libdeflate
CFLAGS_PKG := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# cairo (with pixman), libcsv and libdeflate are linked in from Debian's
# static libraries: cairo alone brought in eleven shared libraries (X11,
# xcb ...) that every run paid to load, a tenth of a short report's time.
# The parsers of untrusted input (libxml2, SQLite) stay shared, so that
# Debian's security updates reach them.
STATIC_LIBS = -Wl,-Bstatic -lcairo -lpixman-1 -lcsv -ldeflate -Wl,-Bdynamic
LIBS_PKG   := $(STATIC_LIBS) $(shell pkg-config --libs \
	libxml-2.0 harfbuzz harfbuzz-subset fontconfig sqlite3 freetype2 libpng zlib \
	2>/dev/null)
WARN    = -std=c11 -Wall -Wextra -Werror -Wno-unused-parameter \
	-Wshadow -Wstrict-prototypes -Wmissing-prototypes
CPPFLAGS += -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Iinclude \
	-DSC_DATADIR='"$(PREFIX)/share/scrutineer"'
ALL_CFLAGS = $(WARN) $(OPT) $(CPPFLAGS) $(CFLAGS_PKG) $(CFLAGS) $(EXTRA_CFLAGS)
LDLIBS  = $(LIBS_PKG) -lhpdf -lm $(EXTRA_LDFLAGS)

LIB_SRC = $(wildcard src/util/*.c src/doc/*.c src/definition/*.c src/chart/*.c \
	src/data/*.c src/layout/*.c src/render/*.c) src/api.c
LIB_OBJ = $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/schema.o
UNIT_SRC = $(wildcard tests/unit/test_*.c)
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
EXAMPLES = $(wildcard examples/*/report.xml)
EXAMPLE_PDFS = $(EXAMPLES:.xml=.pdf)

.PHONY: all deps demo check test asan fuzz valgrind bench install clean examples charts-images \
	mutants mutants-ci

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

# The RELAX NG schemas are compiled into the library.
$(BUILD)/schema.c: schema/report.rng schema/template.rng tools/embed.sh
	@mkdir -p $(BUILD)
	@sh tools/embed.sh sc_schema_report schema/report.rng > $@.tmp
	@sh tools/embed.sh sc_schema_template schema/template.rng >> $@.tmp
	@mv $@.tmp $@

$(BUILD)/schema.o: $(BUILD)/schema.c
	@$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/libscrutineer.a: $(LIB_OBJ)
	@echo "  AR      $@"
	@rm -f $@
	@ar rcs $@ $^

$(BUILD)/scrutineer: $(BUILD)/src/cli/main.o $(BUILD)/libscrutineer.a
	@echo "  LD      $@"
	@$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS)

scrutineer: $(BUILD)/scrutineer
	@cp $< $@

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
examples/police-uk/data/street.csv: $(BUILD)/gen_police
	@mkdir -p $(dir $@)
	$(BUILD)/gen_police 30000 2021-04 24 > $@.tmp && mv $@.tmp $@
examples/police-uk/report.pdf: examples/police-uk/data/street.csv
GENERATED = examples/police-uk/data/street.csv

examples: $(EXAMPLE_PDFS)

demo: deps
	$(MAKE) scrutineer
	$(MAKE) examples
	@echo; echo "Rendered:"; for f in $(EXAMPLE_PDFS); do echo "  $$f"; done

# What CI runs: the tests, the tests under the sanitizers, short fuzz runs.
CHECK_FUZZ_SECONDS ?= 30
check: deps
	@$(MAKE) --no-print-directory test
	@$(MAKE) --no-print-directory asan
	@$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=$(CHECK_FUZZ_SECONDS)

test: deps
	@$(MAKE) --no-print-directory $(BUILD)/scrutineer $(UNIT_BIN) $(GENERATED) $(BUILD)/pngdiff
	@SC_BIN=$(BUILD)/scrutineer PNGDIFF=$(BUILD)/pngdiff sh tests/run-all.sh $(BUILD) $(UNIT_BIN)

asan:
	@echo "== the tests under AddressSanitizer + UBSan (build-asan/)"
	@$(MAKE) --no-print-directory BUILD=build-asan OPT="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
	  EXTRA_LDFLAGS="-fsanitize=address,undefined" test

# Mutation testing: each tests/mutants/*.mut applied alone to a copy of
# the tree (build-mutants/) must make the tests fail.
MUTANTS ?=
mutants: deps
	@sh tests/mutants/run.sh $(MUTANTS)

# The fixed ten CI runs (tests/mutants/ci.list), under five minutes.
mutants-ci: deps
	@sh tests/mutants/run.sh $$(grep -v '^#' tests/mutants/ci.list)

# Every example built under memcheck: any error or leak fails.
valgrind: $(BUILD)/scrutineer $(GENERATED)
	@fail=0; for x in $(EXAMPLES); do \
	  if valgrind -q --error-exitcode=9 --leak-check=full \
	      --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect \
	      $(BUILD)/scrutineer build $$x -o $(BUILD)/valgrind.pdf >/dev/null 2>$(BUILD)/valgrind.log; \
	  then echo "ok   valgrind $$x"; \
	  else fail=1; echo "FAIL valgrind $$x"; cat $(BUILD)/valgrind.log; fi; \
	done; rm -f $(BUILD)/valgrind.pdf; [ $$fail = 0 ]

# Benchmarks: an optimised build, deterministic inputs, one table.
bench:
	@$(MAKE) --no-print-directory BUILD=build-bench OPT="-O2 -DNDEBUG" \
	  build-bench/scrutineer build-bench/gen_police
	@GEN_POLICE=build-bench/gen_police sh bench/make-inputs.sh build-bench/inputs
	@sh bench/run.sh build-bench/scrutineer build-bench/inputs

# libFuzzer harnesses (clang); each runs FUZZ_SECONDS on its corpus.
FUZZ_SECONDS ?= 30
FUZZERS = definition template csv numfmt build
fuzz:
	@$(MAKE) --no-print-directory BUILD=build-fuzz CC=clang \
	  OPT="-O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all" \
	  build-fuzz/libscrutineer.a
	@for f in $(FUZZERS); do \
	  clang $(WARN) -O1 -g -fsanitize=fuzzer,address,undefined $(CPPFLAGS) $(CFLAGS_PKG) -Isrc \
	    -o build-fuzz/fuzz_$$f tests/fuzz/fuzz_$$f.c build-fuzz/libscrutineer.a $(LDLIBS) || exit 1; \
	  mkdir -p build-fuzz/corpus-$$f; \
	  echo "fuzz $$f for $(FUZZ_SECONDS)s"; \
	  LSAN_OPTIONS=suppressions=tests/fuzz/lsan.supp \
	  build-fuzz/fuzz_$$f -artifact_prefix=build-fuzz/ -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=10 \
	    -print_final_stats=1 build-fuzz/corpus-$$f tests/fuzz/corpus/$$f 2>&1 | tail -3 || exit 1; \
	done

install: scrutineer $(BUILD)/libscrutineer.a
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib \
	  $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/lib/pkgconfig \
	  $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/man/man5 \
	  $(DESTDIR)$(PREFIX)/share/scrutineer/templates \
	  $(DESTDIR)$(PREFIX)/share/scrutineer/fonts
	install -m 755 scrutineer $(DESTDIR)$(PREFIX)/bin/
	install -m 644 $(BUILD)/libscrutineer.a $(DESTDIR)$(PREFIX)/lib/
	install -m 644 include/scrutineer.h $(DESTDIR)$(PREFIX)/include/
	install -m 644 templates/*.xml $(DESTDIR)$(PREFIX)/share/scrutineer/templates/
	install -m 644 docs/scrutineer.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 644 docs/scrutineer-format.5 $(DESTDIR)$(PREFIX)/share/man/man5/
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|0.1.0|g' \
	  -e 's|@PKGS@|$(PKGS)|g' scrutineer.pc.in \
	  > $(DESTDIR)$(PREFIX)/lib/pkgconfig/scrutineer.pc

clean:
	rm -rf build build-asan build-fuzz build-bench build-mutants scrutineer examples/*/*.pdf $(GENERATED)

-include $(LIB_OBJ:.o=.d)
