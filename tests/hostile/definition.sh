#!/bin/sh
# Hostile definitions: inputs whose diagnostics (or parse) could grow
# faster than the input. Each case checks the exit code, the exact
# message, that no PDF is left, and a generous bound on time and peak
# memory (so a quadratic path fails here, not in a batch worker).
# Prints "ok   hostile ..." or "FAIL hostile ...".
t=tests/out/hostile-definition
. "$(dirname "$0")/lib.sh"

# bounded NAME EXIT SECONDS MB TEXT -- ARGS: exit code, TEXT as a whole
# line of stderr, no PDF left, at most SECONDS wall and MB peak.
bounded() {
  name=$1 want=$2 secs=$3 mb=$4 text=$5; shift 6
  # AddressSanitizer's builds (make asan) take several times the memory
  # and time: the bounds are for the quadratic, not for the sanitizer.
  [ -n "$sanitized" ] && secs=$((secs * 6)) mb=$((mb * 5))
  /usr/bin/time -f '%e %M' -o "$t/$name.time" timeout 120 "$bin" "$@" \
    > "$t/$name.out" 2> "$t/$name.err"; rc=$?
  set -- $(tail -1 "$t/$name.time")
  if [ "$rc" -ne "$want" ]; then bad "$name: exit $rc, expected $want: $(head -c 300 "$t/$name.err")"; return 1; fi
  if ! grep -qxF -- "$text" "$t/$name.err"; then bad "$name: no line \"$text\" in: $(head -c 300 "$t/$name.err")"; return 1; fi
  if find "$t" -name "*.pdf" | grep -q .; then bad "$name: a PDF was left"; return 1; fi
  if ! awk -v s="$1" -v k="$2" -v S="$secs" -v M="$mb" 'BEGIN { exit !(s <= S && k <= M * 1024) }'; then
    bad "$name: took $1 s and $(( $2 / 1024 )) MB; the bound is $secs s and $mb MB"; return 1; fi
  ok "$name ($1 s, $(( $2 / 1024 )) MB)"
}

# 100,000 unknown elements, one a line: the first 100 errors are shown,
# then one note counts the rest; the schema is not run over them.
{ echo '<report version="1"><meta><title>T</title></meta>'
  awk 'BEGIN { for (i = 1; i <= 100000; i++) printf "<bogus%d/>\n", i % 50 }'
  echo '</report>'; } > "$t/many.xml"
if bounded many-errors 1 5 200 "scrutineer: note: ... and 99900 more errors not shown; fix the ones above first" \
    -- build "$t/many.xml" -o "$t/many.pdf"; then
  n=$(grep -c ': error: ' "$t/many-errors.err")
  [ "$n" -eq 100 ] && ok "many-errors: exactly 100 errors shown" || bad "many-errors: $n errors shown, expected 100"
  # Lines past 65,535 are numbered as they are (libxml2 stops at 65,535
  # unless asked): the last shown is line 101, and a late one is exact.
  grep -qxF "$t/many.xml:101: error: unknown element <bogus0>; check its spelling in scrutineer-format(5)" "$t/many-errors.err" \
    && ok "many-errors: the 100th error is at line 101" || bad "many-errors: line 101 is not the last shown"
fi
{ echo '<report version="1"><meta><title>T</title></meta>'
  awk 'BEGIN { for (i = 1; i <= 70000; i++) print "<p>x</p>" }'
  echo '<bogus/></report>'; } > "$t/late.xml"
bounded late-line 1 10 300 "$t/late.xml:70002: error: unknown element <bogus>; check its spelling in scrutineer-format(5)" \
  -- check "$t/late.xml"

# 50,000 attributes on one element: refused as the element starts,
# before libxml2 builds them into a list (quadratic: 35 s before).
{ printf '<report version="1"'
  awk 'BEGIN { for (i = 1; i <= 50000; i++) printf " a%d=\"x\"", i }'
  echo '><meta><title>T</title></meta></report>'; } > "$t/attrs.xml"
bounded many-attributes 1 5 200 "$t/attrs.xml:1: error: <report> has 50001 attributes; no element may have more than 256" \
  -- build "$t/attrs.xml" -o "$t/attrs.pdf"

# A NUL byte after the root: libxml2 stopped there without a word and
# the rest was ignored.
printf '<report version="1"><meta><title>T</title></meta><p>x</p></report>\n\0<p>hidden</p>\n' > "$t/nul.xml"
bounded nul-byte 1 5 200 "$t/nul.xml:2: error: the file contains a NUL byte, so it is not a text file; save it as UTF-8 text" \
  -- build "$t/nul.xml" -o "$t/nul.pdf"
printf '<report version="1"><meta><title>T</title></meta><p>x</p></report>\n<p>after</p>\n' > "$t/after.xml"
bounded after-root 1 5 200 "$t/after.xml:2: error: there is more after the end of the root element; remove it (a file holds one <report> or one <template>)" \
  -- build "$t/after.xml" -o "$t/after.pdf"

# A template whose type is too small to read (0pt drew invisible text)
# or whose lines overprint.
printf '<report version="1"><meta><title>T</title></meta><p>x</p></report>\n' > "$t/plain.xml"
sed '/<fonts /s/size="12pt"/size="0pt"/' templates/default.xml > "$t/tiny.xml"
# libxml2 numbers an element by the line its start tag ends on.
l=$(grep -n 'small="10pt"/>' "$t/tiny.xml" | head -1 | cut -d: -f1)
bounded tiny-type 1 5 200 "$t/tiny.xml:$l: error: <fonts size=\"0pt\">: a type size must be from 4pt to 200pt" \
  -- build "$t/plain.xml" -t "$t/tiny.xml" -o "$t/tiny.pdf"
sed 's/line-height="1.2"/line-height="0"/' templates/default.xml > "$t/flat.xml"
l=$(grep -n 'line-height="0"' "$t/flat.xml" | head -1 | cut -d: -f1)
bounded zero-line-height 1 5 200 "$t/flat.xml:$l: error: <fonts line-height=\"0\">: must be from 0.8 to 3 (1.2 is usual)" \
  -- build "$t/plain.xml" -t "$t/flat.xml" -o "$t/flat.pdf"
# Rows kept together past any page: every table would move whole.
sed 's/widow-rows="4"/widow-rows="11"/' templates/default.xml > "$t/widow.xml"
l=$(grep -n 'widow-rows="11"' "$t/widow.xml" | head -1 | cut -d: -f1)
bounded widow-rows 1 5 200 "$t/widow.xml:$l: error: <tables widow-rows=\"11\">: must be a number of rows from 1 to 10 (3 or 4 is usual)" \
  -- build "$t/plain.xml" -t "$t/widow.xml" -o "$t/widow.pdf"

# Link targets: only the web, mail and telephone; nothing that runs or
# opens a local file; not empty, not longer than 2,000 characters.
link() { printf '<report version="1"><meta><title>T</title></meta>\n<p>See <a href="%s">this</a>.</p></report>\n' "$2" > "$t/$1.xml"; }
for c in "js javascript:alert(1)" "file file:///etc/passwd" "data data:text/html,x" \
         "launch launch:calc.exe" "unc \\\\server\\share" "bare www.example.gov.uk"; do
  set -- $c
  link "link-$1" "$2"
  bounded "link-$1" 1 5 200 "$t/link-$1.xml:2: error: <a href=\"$2\">: a link must be a web address (https:// or http://), mailto: or tel:, without spaces or backslashes" \
    -- build "$t/link-$1.xml" -o "$t/link-$1.pdf"
done
link link-empty ""
bounded link-empty 1 5 200 "$t/link-empty.xml:2: error: <a href=\"\"> has no target; write a web address (https://...), mailto: or tel:" \
  -- build "$t/link-empty.xml" -o "$t/link-empty.pdf"
link link-long "https://example.org/$(awk 'BEGIN { for (i = 0; i < 3000; i++) printf "x" }')"
bounded link-long 1 5 200 "$t/link-long.xml:2: error: <a href> is 3020 characters long; a link may have at most 2000" \
  -- build "$t/link-long.xml" -o "$t/link-long.pdf"
printf '<report version="1"><meta><title>T</title></meta>\n<p><a href="HTTPS://example.org/">a</a> <a href="mailto:x@example.org">b</a> <a href="tel:+441234567890">c</a></p></report>\n' > "$t/links-ok.xml"
if "$bin" build "$t/links-ok.xml" -o "$t/links-ok.out" 2> "$t/links-ok.err" && [ -s "$t/links-ok.out" ] && ! grep -q ": error: " "$t/links-ok.err"; then
  ok "links-ok: https, mailto and tel are written"; else bad "links-ok: $(head -c 300 "$t/links-ok.err")"; fi
rm -f "$t/links-ok.out"

# A million short paragraphs: refused while parsing at the element cap
# (they took 1.5 GB and 20 s before the page cap stopped them).
{ echo '<report version="1"><meta><title>T</title></meta>'
  awk 'BEGIN { for (i = 1; i <= 1000000; i++) print "<p>x</p>" }'
  echo '</report>'; } > "$t/million.xml"
bounded million-paragraphs 1 5 200 "$t/million.xml:199999: error: the file has more than 200000 elements; split it into several reports" \
  -- build "$t/million.xml" -o "$t/million.pdf"
rm -f "$t/million.xml"
# Text that needs far more than 10,000 pages: the page cap stops layout
# as soon as the boxes laid out cannot fit (1 GB and 2.8 s when it was
# only checked after layout).
{ echo '<report version="1"><meta><title>T</title></meta>'
  awk 'BEGIN { s = ""; for (j = 0; j < 120; j++) s = s "word "; for (i = 1; i <= 25000; i++) print "<p>" s "</p>" }'
  echo '</report>'; } > "$t/long.xml"
sed '/<fonts /s/size="12pt"/size="100pt"/' templates/default.xml > "$t/huge-type.xml"
bounded page-cap-early 1 5 200 "$t/long.xml: error: the report runs to more than 10000 pages; split it" \
  -- build "$t/long.xml" -t "$t/huge-type.xml" -o "$t/long.pdf"
rm -f "$t/long.xml"

# Images refused by their header, before anything is decoded: 20,000 x
# 20,000 pixels took 3 GB and wrote a 401 MB PDF; a JPEG header without
# scan data was embedded (and qpdf warned about the PDF).
mkdir -p "$t/img"
/usr/bin/python3 - "$t/img" <<'PY'
import struct, sys, zlib
d = sys.argv[1]
def chunk(t, b):
    return struct.pack('>I', len(b)) + t + b + struct.pack('>I', zlib.crc32(t + b) & 0xffffffff)
open(d + '/huge.png', 'wb').write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', 20000, 20000, 1, 0, 0, 0, 0))
    + chunk(b'IDAT', zlib.compress(b'\x00' * 2501)) + chunk(b'IEND', b''))
sof = b'\xff\xc0' + struct.pack('>HBHHB', 11, 8, 100, 100, 1) + b'\x01\x11\x00'
open(d + '/noscan.jpg', 'wb').write(b'\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00' + sof + b'\xff\xd9')
sof = b'\xff\xc0' + struct.pack('>HBHHB', 11, 8, 9000, 9000, 1) + b'\x01\x11\x00'
open(d + '/huge.jpg', 'wb').write(b'\xff\xd8' + sof + b'\xff\xda\x00\x08\x01\x01\x00\x00\x3f\x00' + b'\x00' * 64 + b'\xff\xd9')
PY
for c in "huge-png huge.png image \"huge.png\" is too large: 20000 x 20000 pixels; the limit is 50 megapixels (a page needs about 8), so scale it down" \
         "huge-jpeg huge.jpg image \"huge.jpg\" is too large: 9000 x 9000 pixels; the limit is 50 megapixels (a page needs about 8), so scale it down" \
         "jpeg-no-scan noscan.jpg image \"noscan.jpg\" is a damaged or truncated JPEG; export it again"; do
  n=${c%% *} r=${c#* }; f=${r%% *} msg=${r#* }
  printf '<report version="1"><meta><title>T</title></meta>\n<image href="%s" alt="x"/></report>\n' "$f" > "$t/img/$n.xml"
  bounded "$n" 1 5 200 "$t/img/$n.xml:2: error: $msg" -- build "$t/img/$n.xml" -o "$t/img/$n.pdf"
done

# Parameters: 20,000 declared (each looked up by name: refused past
# 1,000 before any quadratic work); {name} repeated to grow a small file
# into a huge document (a cap on what expansion prints, like entities);
# a back-reference in pattern= (glibc matches those by backtracking).
{ echo '<report version="1"><meta><title>T</title></meta><params>'
  awk 'BEGIN { for (i = 1; i <= 20000; i++) printf "<param name=\"p%d\" default=\"x\"/>\n", i }'
  echo '</params><p>{p1}</p></report>'; } > "$t/params.xml"
bounded many-params 1 5 200 "$t/params.xml:1: error: <params> declares 20000 parameters; a definition may have at most 1000" \
  -- build "$t/params.xml" -o "$t/params.pdf"
long=$(awk 'BEGIN { for (i = 0; i < 1000; i++) printf "x" }')
{ echo '<report version="1"><meta><title>T</title></meta><params>'
  echo "<param name=\"v\" default=\"$long\"/></params>"
  awk 'BEGIN { for (i = 1; i <= 40000; i++) print "<p>{v}</p>" }'
  echo '</report>'; } > "$t/expand.xml"
bounded param-expansion 1 10 400 "$t/expand.xml:16780: error: text: with its parameters, the definition's text grows past 16 MiB; print long values less often" \
  -- build "$t/expand.xml" -o "$t/expand.pdf"
a30=$(awk 'BEGIN { for (i = 0; i < 30; i++) printf "a" }')
printf '<report version="1"><meta><title>T</title></meta><params><param name="v" default="%s" pattern="(a*)*\\1b"/></params><p>{v}</p></report>\n' "$a30" > "$t/backref.xml"
bounded param-backref 1 5 200 "$t/backref.xml:1: error: parameter \"v\": pattern= has a back-reference (\\1 to \\9), whose matching can take exponential time; write a shorter extended regular expression, e.g. [0-9]{4}/[0-9]{2}" \
  -- build "$t/backref.xml" -o "$t/backref.pdf"
exit $status
