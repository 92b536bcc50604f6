#!/bin/sh
# The HTML edition (src/html/) of every example and of the example pack,
# checked against the PDF built from the same definition:
#   - well-formed, no script, no event handler, nothing fetched, every
#     in-page link to an id that is there, no duplicate id
#     (tests/golden/htmlcheck.py with python3's html.parser);
#   - valid: tidy -q -e reports no error, and no warning but the one it
#     gets wrong (an id on an SVG <title>, which SVG allows);
#   - lang and <title> as the PDF's /Lang and Info Title;
#   - headings: as many h2, h3, h4 as the PDF has H1, H2, H3 (the HTML's
#     h1 is the report's title), and each, number and text, the PDF's
#     outline entry in order; each caption in the PDF's text;
#   - th scope="col" and scope="row" as many as the PDF's TH Scope
#     Column and Row (the PDF's front-sheet rows are the HTML's dt);
#   - one <svg role="img"> per chart and risk matrix, each with a
#     <title> and <desc> it is labelled by;
#   - each table row's figures, in order, on one line of the PDF's text;
#   - the same bytes from two builds.
# Prints "ok ..." or "FAIL ..." per check.
cd "$(dirname "$0")/../.." || exit 3
bin=${SC_BIN:-./scrutineer}
out=tests/out/html
chk=tests/golden/htmlcheck.py
rm -rf "$out"; mkdir -p "$out"
status=0
ok() { echo "ok   html $1"; }
bad() { echo "FAIL html $1"; status=1; }
command -v python3 >/dev/null || { bad "python3 is needed"; exit 1; }
command -v tidy >/dev/null || { bad "tidy is needed (make deps)"; exit 1; }
# Debian's python3-pikepdf reads the PDF's outline: the system python.
pypdf=python3
/usr/bin/python3 -c 'import pikepdf' 2>/dev/null && pypdf=/usr/bin/python3

# count FACTS KEY: a count line's number (0 when absent).
count() { awk -v k="$2" '$1 == "count" && $2 == k { n = $3 } END { print n + 0 }' "$1"; }
# struct NAME KEY: a count of the PDF's structure golden.
struct() { awk -v k="$2" '{ v = $NF; $NF = ""; sub(/ $/, ""); if ($0 == k) n = v }
    END { print n + 0 }' "tests/golden/$1.struct"; }
# tidy FILE NAME: errors, and warnings but the known false one.
tidy_ok() {
  tidy -q -e "$1" > "$out/tidy.log" 2>&1; rc=$?
  grep -v '<title> proprietary attribute "id"' "$out/tidy.log" > "$out/tidy.rest"
  if [ $rc -ge 2 ] || [ -s "$out/tidy.rest" ]; then
    bad "$2: tidy: $(head -3 "$out/tidy.rest" | tr '\n' ' ')"
  else ok "$2: tidy finds no error"; fi
}

for def in examples/*/report.xml; do
  name=$(basename "$(dirname "$def")")
  d=$out/$name; mkdir -p "$d" "$d.again"
  if ! "$bin" build "$def" --allow-path examples --html "$d" 2> "$d.err"; then
    bad "$name: build --html failed: $(head -3 "$d.err")"; continue
  fi
  "$bin" build "$def" --allow-path examples --html "$d.again" 2>/dev/null
  if cmp -s "$d/index.html" "$d.again/index.html"; then ok "$name: two builds, the same bytes"
  else bad "$name: two builds differ"; fi
  pdf=$out/$name.pdf
  SOURCE_DATE_EPOCH=1700000000 "$bin" build "$def" --allow-path examples -o "$pdf" 2>/dev/null ||
    { bad "$name: the PDF did not build"; continue; }
  facts=$out/$name.facts
  if python3 "$chk" "$d/index.html" > "$facts"; then ok "$name: well-formed, no script, links resolve"
  else bad "$name: $(grep '^ERROR' "$facts" | head -3 | tr '\n' ' ')"; fi
  tidy_ok "$d/index.html" "$name"
  [ "$(count "$facts" script)" = 0 ] && [ "$(count "$facts" link)" = 0 ] ||
    bad "$name: a script or a <link> (nothing may be fetched or run)"
  # lang and title, as the PDF's.
  lang=$(sed -n 's/^lang //p' "$facts")
  want=$(sed -n 's/^Lang //p' "tests/golden/$name.struct")
  [ -n "$lang" ] && [ "$lang" = "$want" ] && ok "$name: lang $lang" ||
    bad "$name: lang \"$lang\", the PDF's is \"$want\""
  title=$(sed -n 's/^title //p' "$facts")
  ptitle=$(pdfinfo "$pdf" 2>/dev/null | sed -n 's/^Title: *//p')
  [ -n "$title" ] && [ "$title" = "$ptitle" ] && ok "$name: <title> is the PDF's title" ||
    bad "$name: <title> \"$title\", the PDF's \"$ptitle\""
  # Headings: levels counted against the PDF's tags.
  for l in 2 3 4; do
    h=$(grep -c "^h$l " "$facts"); p=$(struct "$name" "H$((l - 1))")
    [ "$h" = "$p" ] && ok "$name: $h h$l, as the PDF's H$((l - 1))" ||
      bad "$name: $h h$l, the PDF has $p H$((l - 1))"
  done
  # Headings, numbers and all, in order: the PDF's outline (bookmarks)
  # holds each heading as "number title" (case aside: a template may
  # print headings in capitals, as CSS does here).
  if r=$($pypdf - "$facts" "$pdf" <<'EOF'
import sys, pikepdf
def walk(items, out):
    for it in items:
        out.append(" ".join(str(it.title).split()).lower())
        walk(it.children, out)
with pikepdf.open(sys.argv[2]) as pdf:
    with pdf.open_outline() as o:
        pdf_h = []
        walk(o.root, pdf_h)
html_h = [l.split(" ", 1)[1].strip().lower() for l in open(sys.argv[1], encoding="utf-8")
          if l[:2] in ("h2", "h3", "h4", "h5", "h6") and l[2] == " "]
if html_h != pdf_h:
    for i, (a, b) in enumerate(zip(html_h, pdf_h + [""] * len(html_h))):
        if a != b:
            print("heading %d is \"%s\", the PDF's \"%s\"" % (i + 1, a, b))
            break
    else:
        print("%d headings, the PDF's outline %d" % (len(html_h), len(pdf_h)))
    sys.exit(1)
print(len(html_h))
EOF
); then ok "$name: $r headings, with their numbers, as the PDF's outline"
  else bad "$name: $r"; fi
  # Captions in the PDF's text.
  pdftotext -enc UTF-8 "$pdf" - 2>/dev/null | tr -s ' \n\t\f' '    ' > "$out/$name.txt"
  missing=$(sed -n 's/^\(caption\|figcaption\) //p' "$facts" | while IFS= read -r t; do
      grep -qF -- "$t" "$out/$name.txt" || echo "$t"; done | head -3)
  n=$(grep -c '^\(caption\|figcaption\) ' "$facts")
  [ -z "$missing" ] && ok "$name: $n captions, numbered as the PDF's" ||
    bad "$name: captions not in the PDF's text: $missing"
  # Header cells and their scope.
  col=$(( $(count "$facts" th-col) + $(count "$facts" thead-td) ))
  row=$(( $(count "$facts" th-row) + $(count "$facts" front-dt) ))
  pc=$(struct "$name" "TH scope=Column"); pr=$(struct "$name" "TH scope=Row")
  [ "$col" = "$pc" ] && [ "$row" = "$pr" ] &&
    ok "$name: th scope=col $col and scope=row $row, as the PDF's TH" ||
    bad "$name: th scope=col $col, scope=row $row; the PDF's TH Column $pc, Row $pr"
  [ "$(count "$facts" th-none)" = 0 ] || bad "$name: a th without scope"
  # Charts: one labelled <svg role="img"> each, and one per risk matrix.
  charts=$(( $(grep -c '<chart[ >]' "$def") + $(grep -c '<risks[^>]*matrix="yes"' "$def") ))
  s=$(count "$facts" svg-img); lab=$(count "$facts" svg-labelled)
  [ "$s" = "$charts" ] && [ "$lab" = "$charts" ] &&
    ok "$name: $s charts as <svg role=img> with title and desc" ||
    bad "$name: $s svg role=img ($lab labelled) for $charts charts"
  # Each body row's figures, in order, on one line of the PDF's text.
  pdftotext -layout -enc UTF-8 "$pdf" - 2>/dev/null > "$out/$name.layout"
  if r=$(python3 - "$facts" "$out/$name.layout" <<'EOF'
import re, sys
fig = re.compile(r"^[-+\u2212\u00a3]?[0-9][0-9,.]*%?$")
lines = [l.split() for l in open(sys.argv[2], encoding="utf-8")]
def within(run, line):
    k = 0
    for t in line:
        if k < len(run) and t == run[k]:
            k += 1
    return k == len(run)
checked = bad = 0
for l in open(sys.argv[1], encoding="utf-8"):
    if not l.startswith("row "):
        continue
    # The row's cells that are figures, in order, on one line (a cell of
    # words may wrap onto lines of its own).
    run = [c.strip() for c in l[4:].split(" | ") if fig.match(c.strip())]
    if len(run) < 2:
        continue
    checked += 1
    if not any(within(run, x) for x in lines):
        bad += 1
        print("row not in the PDF: " + l[4:].strip())
print("%d rows" % checked)
sys.exit(1 if bad else 0)
EOF
); then ok "$name: $(echo "$r" | tail -1)' figures as the PDF prints them"
  else bad "$name: $(echo "$r" | head -2 | tr '\n' ' ')"; fi
done

# With -o, the PDF and the same page.
b=$out/both; mkdir -p "$b"
if "$bin" build examples/blaby-2023/report.xml -o "$b/r.pdf" --html "$b" 2> "$b.err" &&
   [ -s "$b/r.pdf" ] && cmp -s "$b/index.html" "$out/blaby-2023/index.html"; then
  ok "build -o --html: the PDF, and the page --html alone writes"
else bad "build -o --html: $(head -2 "$b.err")"; fi

# The example pack: the agenda page links each report item's page, which
# exists and links back; the exempt item is listed, not written.
p=$out/pack; mkdir -p "$p" "$p.again"
if "$bin" pack examples/pack-2023-12/meeting.xml --allow-path examples --html "$p" 2> "$p.err"; then
  "$bin" pack examples/pack-2023-12/meeting.xml --allow-path examples --html "$p.again" 2>/dev/null
  same=1
  for f in "$p"/*.html; do cmp -s "$f" "$p.again/$(basename "$f")" || same=0; done
  [ $same = 1 ] && ok "pack: two builds, the same bytes" || bad "pack: two builds differ"
  links=$(grep -o 'href="item-[0-9]*\.html"' "$p/index.html" | sed 's/href="//; s/"//')
  [ "$(echo "$links" | grep -c .)" = 3 ] && ok "pack: the agenda links 3 report items" ||
    bad "pack: the agenda links $(echo "$links" | grep -c .) item pages, not 3"
  for f in $links; do
    [ -f "$p/$f" ] || { bad "pack: $f is linked and not written"; continue; }
    grep -q 'href="index.html"' "$p/$f" || bad "pack: $f does not link back to the agenda"
  done
  [ "$(ls "$p" | grep -c '\.html$')" = 4 ] && ok "pack: index.html and 3 item pages, nothing else" ||
    bad "pack: wrote $(ls "$p" | tr '\n' ' ')"
  grep -q 'Partnership Locality Fund: commissioned services' "$p/index.html" &&
    grep -q 'not in this public edition' "$p/index.html" &&
    ok "pack: the exempt item listed with its notice" || bad "pack: the exempt item is not listed with its notice"
  for f in "$p"/*.html; do
    python3 "$chk" "$f" > "$p.facts" || bad "pack: $(basename "$f"): $(grep '^ERROR' "$p.facts" | head -2 | tr '\n' ' ')"
    tidy_ok "$f" "pack $(basename "$f")"
  done
else
  bad "pack --html failed: $(head -3 "$p.err")"
fi
# Total rows are marked as the PDF prints them (bold, a rule above):
# police-uk ends each of its seven district tables with one.
if [ -f "$out/police-uk/index.html" ]; then
  n=$(grep -o '<tr class="total"><th scope="row">All crime<' "$out/police-uk/index.html" | wc -l)
  if [ "$n" = 7 ]; then ok "police-uk: 7 total rows marked as totals"
  else bad "police-uk: $n total rows marked as totals, not 7"; fi
fi
exit $status
