#!/bin/sh
# Golden tests: every example with a NAME.expect here is built and checked
# as a reader's tools see it: text in order (pdftotext), page count and
# tagging (pdfinfo), embedded fonts (pdffonts), structure (qpdf --check).
# Prints "ok ..." or "FAIL ..." per check.
cd "$(dirname "$0")/../.." || exit 3
bin=${SC_BIN:-./scrutineer}
out=tests/out/golden
mkdir -p "$out"
status=0
ok() { echo "ok   golden $1"; }
bad() { echo "FAIL golden $1"; status=1; }
for exp in tests/golden/*.expect; do
  name=$(basename "$exp" .expect)
  def=examples/$name/report.xml
  pdf=$out/$name.pdf
  rm -f "$pdf"
  if ! SOURCE_DATE_EPOCH=1700000000 "$bin" build "$def" -o "$pdf" 2> "$out/$name.err"; then
    bad "$name: build failed: $(cat "$out/$name.err")"; continue
  fi
  # Text in order: whitespace collapsed, each phrase found after the last.
  pdftotext -enc UTF-8 "$pdf" - 2> "$out/$name.pdftotext.err" | tr -s ' \n\t\f' '    ' > "$out/$name.txt"
  if [ -s "$out/$name.pdftotext.err" ]; then bad "$name: pdftotext warns: $(head -1 "$out/$name.pdftotext.err")"; else ok "$name: pdftotext silent"; fi
  if awk -v txt="$out/$name.txt" 'BEGIN { getline all < txt; pos = 1 }
      NF { i = index(substr(all, pos), $0);
           if (i == 0) { print "missing or out of order: " $0; bad = 1; exit 1 }
           pos += i + length($0) - 1 }
      END { exit bad }' "$exp" > "$out/$name.order"; then
    ok "$name: $(grep -c . "$exp") phrases in order"
  else
    bad "$name: $(cat "$out/$name.order")"
  fi
  # Table rows: each line of NAME.rows must be one line of the laid-out
  # text (figures in the right row and column order).
  if [ -f "tests/golden/$name.rows" ]; then
    pdftotext -layout -enc UTF-8 "$pdf" - 2>/dev/null | sed 's/  */ /g; s/^ //; s/ $//' > "$out/$name.layout"
    missing=""
    while IFS= read -r row; do
      [ -n "$row" ] || continue
      grep -qF -- "$row" "$out/$name.layout" || { missing="$row"; break; }
    done < "tests/golden/$name.rows"
    if [ -z "$missing" ]; then ok "$name: $(grep -c . "tests/golden/$name.rows") table rows"; else bad "$name: table row not found: $missing"; fi
  fi
  info=$(pdfinfo "$pdf" 2>&1)
  echo "$info" | grep -q '^Tagged: *yes' && ok "$name: tagged" || bad "$name: not tagged"
  pages=$(echo "$info" | awk '/^Pages:/ { print $2 }')
  range=$(cat "tests/golden/$name.pages" 2>/dev/null || echo "1 1000")
  set -- $range
  if [ "$pages" -ge "$1" ] && [ "$pages" -le "$2" ]; then ok "$name: $pages pages"; else bad "$name: $pages pages, expected $1-$2"; fi
  title=$(sed -n 's:.*<title>\(.*\)</title>.*:\1:p' "$def" | head -1 | sed 's/&amp;/\&/g')
  echo "$info" | grep -qF "Title:           $title" && ok "$name: title" || bad "$name: title is not \"$title\""
  fonts=$(pdffonts "$pdf" 2>&1 | tail -n +3)
  if [ -n "$fonts" ] && ! echo "$fonts" | awk '{ if ($(NF-4) != "yes" || $(NF-2) != "yes") exit 1 }'; then
    bad "$name: a font is not embedded or has no ToUnicode"
  else ok "$name: fonts embedded"; fi
  qpdf --check "$pdf" > "$out/$name.qpdf" 2>&1 && ok "$name: qpdf --check" || bad "$name: qpdf: $(tail -3 "$out/$name.qpdf")"
  # As readers see it: qpdf, poppler, mupdf, Ghostscript and pdf.js
  # (shared/tools/pdfcheck, when it is set up beside the project).
  pc=../shared/tools/pdfcheck/pdfcheck
  if [ -x "$pc" ] && [ -d ../shared/tools/pdfcheck/node_modules ]; then
    v=$(timeout 120 "$pc" --require-tagged --quiet --out "$out/$name.pdfcheck" "$pdf" 2>&1 | tail -n 1)
    case "$v" in "PDFCHECK OK"*) ok "$name: pdfcheck --require-tagged";; *) bad "$name: $v";; esac
  fi
  # Deterministic: the same inputs give the same bytes.
  SOURCE_DATE_EPOCH=1700000000 "$bin" build "$def" -o "$out/$name.again.pdf" 2>/dev/null
  cmp -s "$pdf" "$out/$name.again.pdf" && ok "$name: deterministic" || bad "$name: two builds differ"
done
exit $status
