#!/bin/sh
# The HTML edition against hostile input and hostile places: markup in
# CSV values and in the definition's text (shown as text, never run), a
# javascript: link (refused), an output folder that is missing, a file,
# or holds a link where index.html goes (refused, nothing written), and a
# failed build (the old page kept, no temporary file left). Each case
# checks its message (whole), exit code and what is left behind.
# Prints "ok   hostile ..." or "FAIL hostile ...".
t=tests/out/hostile-html
. "$(dirname "$0")/lib.sh"
chk=$(pwd)/tests/golden/htmlcheck.py

mkdef() { mkdir -p "$t/$1/data"; cat > "$t/$1/report.xml"; }

# Markup where data goes: a table's cells, a chart's categories and
# series (its desc and data table), key-figure labels, a value, and the
# definition's own text and attributes.
mkdef xss <<'XML'
<report version="1" lang="en-GB">
<meta><title>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;</title>
<organisation>"&gt;&lt;img src=x onerror=alert(2)&gt;</organisation></meta>
<data><csv id="d" href="data/d.csv"/></data>
<section title="&lt;script&gt;alert(3)&lt;/script&gt;">
<p>Text &lt;b onmouseover="alert(4)"&gt; and <value query="SELECT name FROM d LIMIT 1"/>.</p>
<table data="d" caption="&lt;iframe src=javascript:alert(5)&gt;" source="&lt;svg onload=alert(6)&gt;"/>
<chart type="column" data="d" x="name" caption="Chart &lt;script&gt;" />
<kpis data="d" label="name" value="n"/>
</section>
</report>
XML
cat > "$t/xss/data/d.csv" <<'CSV'
name,n
<script>alert(7)</script>,1
"""><img src=x onerror=alert(8)>",2
javascript:alert(9),3
</td></tr></table><script>alert(10)</script>,4
CSV
mkdir -p "$t/xss/out"
"$bin" build "$t/xss/report.xml" --html "$t/xss/out" > /dev/null 2> "$t/xss.err"; rc=$?
f=$t/xss/out/index.html
if [ $rc -ne 0 ]; then bad "xss: exit $rc: $(head -c 300 "$t/xss.err")"
elif ! python3 "$chk" "$f" > "$t/xss.facts"; then
  bad "xss: $(grep '^ERROR' "$t/xss.facts" | head -3 | tr '\n' ' ')"
elif grep -qi '<script\|<img\|<iframe\|<b \|<svg onload' "$f"; then
  # (htmlcheck.py has failed any event handler attribute already.)
  bad "xss: markup from the data or definition came through: $(grep -oi '.\{20\}\(<script\|<img\|<iframe\|<b \|<svg onload\).\{20\}' "$f" | head -2)"
else
  # ... and each is there, as text.
  miss=
  for s in '&lt;script&gt;alert(7)&lt;/script&gt;' '&quot;&gt;&lt;img src=x onerror=alert(8)&gt;' \
           '&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;script&gt;alert(10)&lt;/script&gt;' \
           '<title>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;</title>' \
           '&lt;iframe src=javascript:alert(5)&gt;' 'Source: &lt;svg onload=alert(6)&gt;' \
           '<desc id="g1-d">' 'javascript:alert(9)'; do
    grep -qF -- "$s" "$f" || miss="$miss [$s]"
  done
  n=$(grep -c '^row ' "$t/xss.facts")
  if [ -n "$miss" ]; then bad "xss: not shown as text:$miss"
  elif grep -q 'href="javascript' "$f"; then bad "xss: a javascript: link"
  else ok "xss: markup in CSV values and the definition shown as text ($n rows), none run"; fi
fi

# expect NAME EXIT LINE: the exit code and a whole line of stderr.
expect() {
  if [ "$rc" -ne "$2" ]; then bad "$1: exit $rc, expected $2: $(head -c 300 "$t/$1.err")"; return 1; fi
  if ! grep -qxF -- "$3" "$t/$1.err"; then bad "$1: no line \"$3\" in: $(head -c 300 "$t/$1.err")"; return 1; fi
  return 0
}

# A javascript: link is refused by the definition, as for the PDF.
mkdef jslink <<'XML'
<report version="1"><meta><title>Link</title></meta>
<p><a href="javascript:alert(1)">click</a></p>
</report>
XML
mkdir -p "$t/jslink/out"
"$bin" build "$t/jslink/report.xml" --html "$t/jslink/out" > /dev/null 2> "$t/jslink.err"; rc=$?
expect jslink 1 "$t/jslink/report.xml:2: error: <a href=\"javascript:alert(1)\">: a link must be a web address (https:// or http://), mailto: or tel:, without spaces or backslashes" &&
  { [ -z "$(ls -A "$t/jslink/out")" ] && ok "jslink: refused, nothing written" || bad "jslink: wrote $(ls -A "$t/jslink/out")"; }

ok_def=$t/jslink/ok.xml
printf '<report version="1"><meta><title>Fine</title></meta><p>Fine.</p></report>\n' > "$ok_def"

# The folder must be there, and be a folder.
"$bin" build "$ok_def" --html "$t/nowhere" > /dev/null 2> "$t/nodir.err"; rc=$?
expect nodir 2 "scrutineer: error: $t/nowhere: no such folder; create it first" &&
  { [ ! -e "$t/nowhere" ] && ok "nodir: refused, nothing made" || bad "nodir: $t/nowhere was made"; }
: > "$t/afile"
"$bin" build "$ok_def" --html "$t/afile" > /dev/null 2> "$t/notdir.err"; rc=$?
expect notdir 2 "scrutineer: error: $t/afile: is not a folder; --html names the folder the HTML edition is written into" &&
  { [ ! -s "$t/afile" ] && ok "notdir: refused, the file untouched" || bad "notdir: the file was written"; }

# A link where index.html goes is not followed, nor replaced.
mkdir -p "$t/link/out"; echo precious > "$t/link/target"
ln -s ../target "$t/link/out/index.html"
"$bin" build "$ok_def" --html "$t/link/out" > /dev/null 2> "$t/link.err"; rc=$?
expect link 2 "scrutineer: error: $t/link/out/index.html: is a symbolic link, not a regular file, and would be replaced; write to a file (or -o - for standard output)" &&
  { [ -L "$t/link/out/index.html" ] && [ "$(cat "$t/link/target")" = precious ] &&
    [ "$(ls -A "$t/link/out" | wc -l)" = 1 ] && ok "link: refused, the link and its target untouched" ||
    bad "link: something was written"; }

# A build that fails keeps the page there was, and leaves no temporary.
mkdir -p "$t/keep/out"
"$bin" build "$ok_def" --html "$t/keep/out" > /dev/null 2>&1
cp "$t/keep/out/index.html" "$t/keep/before"
printf '<report version="1"><meta><title>Broken</title></meta><p><value query="SELECT nope FROM nothing"/></p></report>\n' > "$t/keep/bad.xml"
"$bin" build "$t/keep/bad.xml" --html "$t/keep/out" > /dev/null 2> "$t/keep.err"; rc=$?
if [ $rc -ne 1 ]; then bad "keep: exit $rc, expected 1: $(head -c 300 "$t/keep.err")"
elif ! cmp -s "$t/keep/before" "$t/keep/out/index.html"; then bad "keep: the old page was replaced"
elif [ "$(ls -A "$t/keep/out")" != index.html ]; then bad "keep: left $(ls -A "$t/keep/out" | tr '\n' ' ')"
else ok "keep: a failed build leaves the old page and nothing else"; fi

# Usage: only build and pack; never the Part B pack; not with --watch.
"$bin" check "$ok_def" --html "$t/keep/out" > /dev/null 2> "$t/u1.err"; rc=$?
expect u1 2 "scrutineer: --html is for build and pack" && ok "usage: check --html"
"$bin" pack examples/pack-2023-12/meeting.xml --part b --html "$t/keep/out" > /dev/null 2> "$t/u2.err"; rc=$?
expect u2 2 "scrutineer: --html writes the public edition, and Part B is not for publication; leave out --part b" &&
  ok "usage: pack --part b --html"
"$bin" build "$ok_def" --html "$t/keep/out" --watch > /dev/null 2> "$t/u3.err"; rc=$?
expect u3 2 "scrutineer: --html writes one edition; leave out --watch" && ok "usage: --html --watch"
exit $status
