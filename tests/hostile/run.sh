#!/bin/sh
# Hostile input: oversized and malicious inputs, a full disk, signals.
# Each case must fail with its message and exit code, leave no output
# (or leave the previous PDF intact), and never crash or hang.
# Prints "ok hostile ..." or "FAIL hostile ...".
t=tests/out/hostile
. "$(dirname "$0")/lib.sh"

meta='<meta><title>Hostile</title></meta>'

# expect NAME EXIT TEXT -- ARGS: runs a build, checks exit code, that
# stderr contains TEXT, and that no PDF or temporary file was left.
expect() {
  name=$1 want=$2 text=$3; shift 4
  timeout 120 "$bin" "$@" > "$t/$name.out" 2> "$t/$name.err"; rc=$?
  if [ "$rc" -ne "$want" ]; then bad "$name: exit $rc, expected $want: $(head -c 300 "$t/$name.err")"; return; fi
  if ! grep -qF -- "$text" "$t/$name.err"; then bad "$name: no \"$text\" in: $(head -c 300 "$t/$name.err")"; return; fi
  if ls "$t"/$name/*.pdf "$t"/$name/.*.pdf.* 2>/dev/null | grep -q .; then bad "$name: output left behind"; return; fi
  ok "$name"
}

mkdef() { mkdir -p "$t/$1"; cat > "$t/$1/report.xml"; }

# A 200 MB single CSV field: refused at the 16 MiB cap, quickly.
mkdef bigfield <<XML
<report version="1">$meta<data><csv id="d" href="d.csv"/></data>
<table data="d"/></report>
XML
{ printf 'a\n"'; head -c 209715200 /dev/zero | tr '\0' 'x'; printf '"\n'; } > "$t/bigfield/d.csv"
expect bigfield 1 "a field is larger than 16 MiB" -- build "$t/bigfield/report.xml" -o "$t/bigfield/out.pdf"
rm -f "$t/bigfield/d.csv"

# A CSV of a million columns: refused at the column cap.
mkdef wide <<XML
<report version="1">$meta<data><csv id="d" href="d.csv"/></data>
<table data="d"/></report>
XML
awk 'BEGIN { for (i = 1; i <= 1000000; i++) printf "c%d%s", i, i < 1000000 ? "," : "\n"; print "1" }' > "$t/wide/d.csv"
expect wide 1 "more than 2000 columns" -- build "$t/wide/report.xml" -o "$t/wide/out.pdf"

# Sections nested 10,000 deep.
mkdir -p "$t/deep"
awk -v m="$meta" 'BEGIN { printf "<report version=\"1\">%s", m;
  for (i = 0; i < 10000; i++) printf "<section title=\"s\">";
  for (i = 0; i < 10000; i++) printf "</section>"; print "</report>" }' > "$t/deep/report.xml"
expect deep 1 "nested" -- build "$t/deep/report.xml" -o "$t/deep/out.pdf"

# A 100,000-row table: refused as too many rows to print.
mkdef rows <<XML
<report version="1">$meta<data><csv id="d" href="d.csv"/></data>
<table data="d"/></report>
XML
awk 'BEGIN { print "n,v"; for (i = 0; i < 100000; i++) print i "," i * 3 }' > "$t/rows/d.csv"
expect rows 1 "more than 50000 rows, too many to print" -- build "$t/rows/report.xml" -o "$t/rows/out.pdf"

# A font file that is not a font, named by the template: not used.
mkdef badfont <<XML
<report version="1" template="house.xml">$meta<p>x</p></report>
XML
mkdir -p "$t/badfont/fonts"
head -c 4096 /dev/urandom > "$t/badfont/fonts/CouncilSans.ttf"
cat > "$t/badfont/house.xml" <<'XML'
<template version="1" name="house"><fonts body="Council Sans"/></template>
XML
expect badfont 1 "font family \"Council Sans\" is not installed" -- build "$t/badfont/report.xml" -o "$t/badfont/out.pdf"

# An output folder that does not exist.
mkdef nodir <<XML
<report version="1">$meta<p>x</p></report>
XML
expect nodir 3 "cannot create a file in that folder" -- build "$t/nodir/report.xml" -o "$t/nodir/missing/out.pdf"

# A read-only output folder (as root, whom permissions do not stop, the
# build runs as nobody): refused, nothing written, the old PDF kept.
mkdef rodir <<XML
<report version="1">$meta<p>x</p></report>
XML
mkdir -p "$t/rodir/out" && echo "old" > "$t/rodir/out/out.pdf"
chmod 755 "$t/rodir" && chmod 555 "$t/rodir/out" && chmod 644 "$t/rodir/report.xml"
as=""
[ "$(id -u)" = 0 ] && as="setpriv --reuid=65534 --regid=65534 --clear-groups"
$as "$bin" build "$t/rodir/report.xml" -o "$t/rodir/out/out.pdf" \
  > "$t/rodir.out" 2> "$t/rodir.err"; rc=$?
if [ "$rc" -ne 3 ]; then bad "rodir: exit $rc, expected 3: $(head -c 300 "$t/rodir.err")"
elif ! grep -qF "cannot create a file in that folder: Permission denied" "$t/rodir.err"; then
  bad "rodir: message: $(head -c 300 "$t/rodir.err")"
elif [ "$(cat "$t/rodir/out/out.pdf")" != old ] || ls -A "$t/rodir/out" | grep -q '^\.'; then
  bad "rodir: the old PDF was touched or a temporary file left"
else ok rodir; fi
chmod 755 "$t/rodir/out"

# The output name taken by a folder: refused before anything is written
# (exit 2, the output check of src/util/path.c), never renamed over.
mkdef isdir <<XML
<report version="1">$meta<p>x</p></report>
XML
mkdir -p "$t/isdir/out.pdf"
"$bin" build "$t/isdir/report.xml" -o "$t/isdir/out.pdf" > "$t/isdir.out" 2> "$t/isdir.err"; rc=$?
if [ "$rc" -ne 2 ]; then bad "isdir: exit $rc, expected 2: $(head -c 300 "$t/isdir.err")"
elif ! grep -qxF "scrutineer: error: $t/isdir/out.pdf: is a folder, not a regular file, and would be replaced; write to a file (or -o - for standard output)" "$t/isdir.err"; then
  bad "isdir: message: $(head -c 300 "$t/isdir.err")"
elif ls -A "$t/isdir" | grep -q '^\.'; then bad "isdir: temporary file left"
elif [ ! -d "$t/isdir/out.pdf" ]; then bad "isdir: the folder was replaced"
else ok isdir; fi

# The finished PDF is readable as any program's new file is (umask 022:
# 644), not left with its temporary file's private 600.
mkdef mode <<XML
<report version="1">$meta<p>x</p></report>
XML
(umask 022; "$bin" build "$t/mode/report.xml" -o "$t/mode/out.pdf" > /dev/null 2> "$t/mode.err")
m=$(stat -c %a "$t/mode/out.pdf" 2>/dev/null)
if [ "$m" = 644 ]; then ok "PDF mode 644 under umask 022"; else bad "PDF mode is ${m:-missing}, expected 644: $(head -c 200 "$t/mode.err")"; fi

# 17,000 links: more parent-tree entries than one PDF array may hold
# (libharu stops at 32,767), so the tree splits into leaves with /Limits.
mkdir -p "$t/links"
awk -v m="$meta" 'BEGIN { printf "<report version=\"1\">%s<section title=\"S\">", m;
  for (i = 0; i < 1700; i++) { printf "<p>";
    for (j = 0; j < 10; j++) printf "<a href=\"https://example.org/%d/%d\">l</a> ", i, j;
    printf "</p>" } print "</section></report>" }' > "$t/links/report.xml"
if ! "$bin" build "$t/links/report.xml" -o "$t/links/out.pdf" > /dev/null 2> "$t/links.err"; then
  bad "links: $(head -c 300 "$t/links.err")"
elif ! qpdf --check "$t/links/out.pdf" > /dev/null 2>&1; then
  bad "links: qpdf --check fails"
elif ! qpdf --qdf --object-streams=disable "$t/links/out.pdf" - 2>/dev/null | grep -q "/Limits"; then
  bad "links: the parent tree was not split"
else ok "17,000 links"; fi

# 300 different image files: every one is drawn (there was a cap of 256
# under which the rest were left out without a word).
mkdir -p "$t/images"
i=0; imgs=""
while [ $i -lt 300 ]; do
  cp examples/hinckley-blaby-2017/images/structure.png "$t/images/i$i.png"
  imgs="$imgs<image href=\"i$i.png\" width=\"20mm\" alt=\"Image $i\"/>"
  i=$((i + 1))
done
printf '<report version="1">%s<section title="S">%s</section></report>\n' \
  "$meta" "$imgs" > "$t/images/report.xml"
if ! "$bin" build "$t/images/report.xml" -o "$t/images/out.pdf" > /dev/null 2> "$t/images.err"; then
  bad "images: $(head -c 300 "$t/images.err")"
elif [ "$(pdfimages -list "$t/images/out.pdf" | tail -n +3 | wc -l)" -ne 300 ]; then
  bad "images: $(pdfimages -list "$t/images/out.pdf" | tail -n +3 | wc -l) of 300 drawn"
else ok "300 images"; fi

# A full disk (a file-size limit, SIGXFSZ ignored): the build fails
# loudly and the previous PDF survives.
mkdef full <<XML
<report version="1">$meta<section title="Long"><p>$(i=0; while [ $i -lt 400 ]; do printf 'Many words to fill pages of text. '; i=$((i + 1)); done)</p></section></report>
XML
printf 'previous good PDF' > "$t/full/out.pdf"
(trap '' XFSZ; ulimit -f 8; "$bin" build "$t/full/report.xml" -o "$t/full/out.pdf") > /dev/null 2> "$t/full.err"; rc=$?
if [ "$rc" -eq 3 ] && [ "$(cat "$t/full/out.pdf")" = "previous good PDF" ] && ! ls "$t"/full/.out.pdf.* > /dev/null 2>&1 &&
   grep -qF "$t/full/out.pdf: cannot write the PDF: the disk is full, or the file is larger than this process may write" "$t/full.err" &&
   [ "$(grep -c "error:" "$t/full.err")" -eq 1 ]; then
  ok "full disk"
else bad "full disk: exit $rc, $(head -c 300 "$t/full.err")"; fi
# The same with a long table, the disk filling at several points: while
# a page's content, an object stream of its elements or the end is
# written (the PDF is written as pages go). Each time the one message
# is the disk's, never "out of memory", and nothing is replaced.
mkdef fulltable <<XML
<report version="1">$meta<data><csv id="r" href="rows.csv"/></data><section title="Rows"><table data="r"/></section></report>
XML
awk 'BEGIN { print "ward,count"; for (i = 1; i <= 4000; i++) printf "Ward %04d,%d\n", i, i * 7 % 1000 }' > "$t/fulltable/rows.csv"
fails=""
for kb in 16 48 80 112 144 176 208; do
  printf 'previous good PDF' > "$t/fulltable/out.pdf"
  (trap '' XFSZ; ulimit -f $kb; "$bin" build "$t/fulltable/report.xml" -o "$t/fulltable/out.pdf") > /dev/null 2> "$t/fulltable.err"; rc=$?
  if ! { [ "$rc" -eq 3 ] && [ "$(cat "$t/fulltable/out.pdf")" = "previous good PDF" ] &&
      ! ls "$t"/fulltable/.out.pdf.* > /dev/null 2>&1 &&
      grep -qF "cannot write the PDF: the disk is full" "$t/fulltable.err" &&
      [ "$(grep -c "error:" "$t/fulltable.err")" -eq 1 ]; }; then
    fails="$fails $kb: exit $rc, $(tr '\n' ' ' < "$t/fulltable.err" | head -c 200);"
  fi
done
if [ -z "$fails" ]; then ok "full disk under a long table, at 7 points"; else bad "full disk under a long table:$fails"; fi

# SIGTERM and SIGKILL mid-build: the previous PDF survives; after
# SIGTERM no temporary file is left.
mkdir -p "$t/sig"
awk -v m="$meta" 'BEGIN { printf "<report version=\"1\">%s", m;
  for (s = 0; s < 4000; s++) { printf "<section title=\"Section %d\">", s;
    for (p = 0; p < 12; p++) printf "<p>Paragraph %d of section %d, long enough to wrap over two or three lines of the page at twelve points.</p>", p, s;
    printf "</section>" } print "</report>" }' > "$t/sig/report.xml"
for sig in TERM KILL; do
  printf 'previous good PDF' > "$t/sig/out.pdf"
  "$bin" build "$t/sig/report.xml" -o "$t/sig/out.pdf" 2>/dev/null & pid=$!
  if [ $sig = TERM ]; then
    # Once the temporary file exists: the handler must remove it (a
    # signal during layout, before it exists, would test nothing).
    n=0; while [ $n -lt 2000 ] && ! ls "$t"/sig/.out.pdf.* > /dev/null 2>&1; do sleep 0.01; n=$((n + 1)); done
  else sleep 0.15; fi
  kill -s $sig $pid 2>/dev/null; wait $pid 2>/dev/null; rc=$?
  if [ $rc -eq 0 ]; then
    bad "SIG$sig: the build finished before the signal; make the input longer"
  elif [ "$(cat "$t/sig/out.pdf")" != "previous good PDF" ] && ! qpdf --check "$t/sig/out.pdf" > /dev/null 2>&1; then
    bad "SIG$sig: the PDF was damaged"
  elif [ $sig = TERM ] && ls "$t"/sig/.out.pdf.* > /dev/null 2>&1; then
    bad "SIGTERM: temporary file left behind"
  else ok "SIG$sig mid-build"; fi
  rm -f "$t"/sig/.out.pdf.*
done
exit $status
