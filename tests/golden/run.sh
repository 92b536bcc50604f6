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
# The checkers: required when REQUIRE_CHECKERS=1 (CI), else a visible skip.
label=golden
. tests/golden/checkers.sh
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
  # The title as the definition gives it, whole (a prefix or an empty
  # title must not pass); NAME.title when a parameter makes it.
  title=$(sed -n 's:.*<title>\(.*\)</title>.*:\1:p' "$def" | head -1 | sed 's/&amp;/\&/g')
  [ -f "tests/golden/$name.title" ] && title=$(cat "tests/golden/$name.title")
  got=$(echo "$info" | sed -n 's/^Title: *//p')
  if [ -n "$title" ] && [ "$got" = "$title" ]; then ok "$name: title"; else bad "$name: title is \"$got\", expected \"$title\""; fi
  # Every font embedded as a subset with a ToUnicode map; no fonts at all
  # is a failure too (pdffonts printing nothing once passed).
  fonts=$(pdffonts "$pdf" 2>&1 | tail -n +3)
  if [ -z "$fonts" ]; then bad "$name: pdffonts lists no fonts"
  elif ! echo "$fonts" | awk '{ if ($(NF-4) != "yes" || $(NF-3) != "yes" || $(NF-2) != "yes") exit 1 }'; then
    bad "$name: a font is not embedded, not a subset or has no ToUnicode: $fonts"
  else ok "$name: $(echo "$fonts" | wc -l) fonts embedded"; fi
  # The structure tree as counts of element types (H1-H6, TH by scope,
  # Figures with Alt, Links with OBJR ...), compared exactly with
  # NAME.struct; `make golden-update` rewrites it after a deliberate change.
  if /usr/bin/python3 tests/tools/pdfstruct.py "$pdf" > "$out/$name.struct" 2>&1; then
    if [ "${GOLDEN_UPDATE:-}" = 1 ]; then cp "$out/$name.struct" "tests/golden/$name.struct"; fi
    if d=$(diff -u "tests/golden/$name.struct" "$out/$name.struct" 2>&1); then ok "$name: structure tree as in $name.struct"
    else bad "$name: structure tree differs from tests/golden/$name.struct:"; echo "$d"; fi
    if grep -q "WITHOUT" "$out/$name.struct"; then bad "$name: $(grep WITHOUT "$out/$name.struct" | tr '\n' ' ')"; fi
  else bad "$name: pdfstruct: $(tail -2 "$out/$name.struct")"; fi
  qpdf --check "$pdf" > "$out/$name.qpdf" 2>&1 && ok "$name: qpdf --check" || bad "$name: qpdf: $(tail -3 "$out/$name.qpdf")"
  # As readers see it: qpdf, poppler, mupdf, Ghostscript and pdf.js
  # (pdfcheck), and the PDF/UA-1 checkpoints (uacheck); `make checkers`
  # sets both up in build/checkers.
  if [ -n "$pdfcheck" ]; then
    v=$(timeout 120 "$pdfcheck" --require-tagged --quiet --out "$out/$name.pdfcheck" "$pdf" 2>&1 | tail -n 1)
    case "$v" in "PDFCHECK OK"*) ok "$name: pdfcheck --require-tagged";; *) bad "$name: $v";; esac
  fi
  if [ -n "$uacheck" ]; then
    timeout 120 /usr/bin/python3 "$uacheck" "$pdf" > "$out/$name.uacheck" 2>&1
    # Failures not in uacheck.known fail; a known one that no longer
    # fails must be taken off the list, so that it only shrinks.
    sed -n 's/^FAIL \([^ ]*\) .*/\1/p' "$out/$name.uacheck" | sort -u > "$out/$name.uafails"
    awk -v n="$name" '$1 == n || $1 == "*" { print $2 }' tests/golden/uacheck.known | sort -u > "$out/$name.uaknown"
    new=$(comm -23 "$out/$name.uafails" "$out/$name.uaknown" | tr '\n' ' ')
    gone=$(comm -13 "$out/$name.uafails" "$out/$name.uaknown" | tr '\n' ' ')
    if ! tail -1 "$out/$name.uacheck" | grep -q '^UACHECK '; then bad "$name: uacheck did not finish: $(tail -2 "$out/$name.uacheck")"
    elif [ -n "$new" ]; then bad "$name: uacheck: $(grep -F "FAIL ${new%% *}" "$out/$name.uacheck" | head -1)"
    elif [ -n "$gone" ]; then bad "$name: uacheck no longer fails $gone: take it off tests/golden/uacheck.known"
    else ok "$name: uacheck ($(wc -l < "$out/$name.uaknown") known failures)"; fi
  fi
  # Deterministic: the same inputs give the same bytes.
  SOURCE_DATE_EPOCH=1700000000 "$bin" build "$def" -o "$out/$name.again.pdf" 2>/dev/null
  cmp -s "$pdf" "$out/$name.again.pdf" && ok "$name: deterministic" || bad "$name: two builds differ"
done
exit $status
