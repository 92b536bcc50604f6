#!/bin/sh
# Hostile packs: a <pack> definition names other files (reports, appendix
# PDFs), so it gets the report's protections and more: no path out of the
# pack's folder without --allow-path, no FIFO or device waited on, caps on
# items, appendices, size, nesting and titles, no entities, no recursion,
# no output over one of its inputs, nothing left by a signal. Each case
# runs with bounded time (timeout) and memory (ulimit -v) and checks the
# exit code, the exact message (a whole line of stderr), that a good PDF
# at -o is untouched (inode, mode and checksum) and that no temporary file
# is left. Prints "ok   hostile ...", "FAIL hostile ..." or "skip ...".
t=tests/out/hostile-pack
. "$(dirname "$0")/lib.sh"

# Memory [KiB] and time [s] for one run; AddressSanitizer needs far more.
mem=1048576 secs=10
[ -n "$sanitized" ] && mem=unlimited secs=60

# snap FILE...: what each file is, without opening a FIFO or device.
snap() {
  for f; do
    if [ -L "$f" ]; then printf 'L %s %s\n' "$f" "$(readlink "$f")"
    elif [ -f "$f" ]; then printf 'F %s %s %s\n' "$f" "$(stat -c '%i %a' "$f")" "$(cksum < "$f")"
    elif [ -e "$f" ]; then printf 'O %s %s\n' "$f" "$(stat -c '%F %i %t:%T %a' "$f")"
    else printf 'none %s\n' "$f"; fi
  done
}

# run NAME ARGS...: scrutineer ARGS bounded; stderr in $t/NAME.err, the
# exit code in $rc.
run() {
  name=$1; shift
  (ulimit -v $mem 2>/dev/null; exec timeout $secs "$bin" "$@") \
    > "$t/$name.out" 2> "$t/$name.err"; rc=$?
}

# refused NAME EXIT LINE "GUARDED FILES" -- ARGS: exit code, LINE as a
# whole line of stderr, the guarded files and $keep unchanged, nothing
# on standard output, no temporary file in $d or $t.
refused() {
  name=$1 want=$2 line=$3 files=$4; shift 5
  before=$(snap $files "$keep")
  run "$name" "$@"
  after=$(snap $files "$keep")
  if [ "$rc" -ne "$want" ]; then bad "$name: exit $rc, expected $want: $(head -c 300 "$t/$name.err")"; return 1; fi
  if ! grep -qxF -- "$line" "$t/$name.err"; then bad "$name: no line \"$line\" in: $(head -c 300 "$t/$name.err")"; return 1; fi
  if [ "$before" != "$after" ]; then bad "$name: a file was replaced: $before / $after"; return 1; fi
  if [ -s "$t/$name.out" ]; then bad "$name: wrote to standard output"; return 1; fi
  if ls -A "$d" "$t" | grep -q '^\..*\.[A-Za-z0-9]\{6\}$'; then bad "$name: a temporary file was left"; return 1; fi
  ok "$name"
}

# built NAME TEXT -- ARGS: exit 0, a whole PDF at $t/NAME.pdf (qpdf
# --check when installed) whose text holds TEXT.
built() {
  name=$1 text=$2; shift 3
  run "$name" "$@" -o "$t/$name.pdf"
  if [ "$rc" -ne 0 ]; then bad "$name: exit $rc: $(head -c 300 "$t/$name.err")"; return 1; fi
  if [ "$(head -c 5 "$t/$name.pdf" 2>/dev/null)" != "%PDF-" ]; then bad "$name: no PDF written"; return 1; fi
  if command -v qpdf > /dev/null 2>&1 && ! qpdf --check "$t/$name.pdf" > "$t/$name.qpdf" 2>&1; then
    bad "$name: qpdf --check: $(grep -v '^checking\|^PDF Version\|^File is not' "$t/$name.qpdf" | head -c 300)"; return 1; fi
  if command -v pdftotext > /dev/null 2>&1; then
    pdftotext "$t/$name.pdf" "$t/$name.txt" 2>/dev/null
    if ! tr '\n' ' ' < "$t/$name.txt" | grep -qF -- "$text"; then bad "$name: \"$text\" is not in the PDF's text"; return 1; fi
  fi
  ok "$name"
}

d=$t/p
mkdir -p "$d/data" "$t/outside"
keep=$t/keep.pdf
printf '%%PDF-1.4\n%% an earlier, good pack: keep me\n' > "$keep"
meeting='<meeting><organisation>Blaby District Council</organisation><committee>Scrutiny Committee</committee><date>2023-12-13</date></meeting>'
# pk NAME ITEMS: a pack $d/NAME.xml, its items from line 2.
pk() { printf '<pack version="1">%s\n%s\n</pack>\n' "$meeting" "$2" > "$d/$1.xml"; }
printf 'measure,value\nIncidents,38\n' > "$d/data/crime.csv"
cp templates/default.xml "$d/house.xml"
cat > "$d/report.xml" <<XML
<report version="1" template="house.xml"><meta><title>Crime update</title></meta>
<data><csv id="d" href="data/crime.csv"/></data><section title="S"><table data="d"/></section></report>
XML
printf '<report version="1"><meta><title>Outside report</title></meta><p>From outside.</p></report>\n' > "$t/outside/report.xml"
# A real (tagged) PDF: the probe reads it before the output is checked.
cp tests/fuzz/corpus/merge/tagged-cairo.pdf "$d/appendix.pdf"
printf '%%PDF-1.4\n%% stands for an appendix\n' > "$t/outside/appendix.pdf"
inputs="$d/report.xml $d/house.xml $d/data/crime.csv $d/appendix.pdf"
keepout="keep the items beside the pack, or allow their folder with --allow-path"

# 1. Paths out of the pack's folder: refused unless --allow-path covers them.
# Enough ../ to reach / from wherever the tree is.
up=$(awk 'BEGIN { for (i = 0; i < 40; i++) printf "../" }')etc/passwd
pk esc-parent "<item report=\"$up\"/>"
refused esc-parent 1 "$d/esc-parent.xml:2: error: \"$up\" is outside the definition's folder; $keepout" \
  "$inputs" -- pack "$d/esc-parent.xml" -o "$keep"
pk esc-absolute '<item report="report.xml"><appendix title="Appendix 1" pdf="/etc/passwd"/></item>'
refused esc-absolute 1 "$d/esc-absolute.xml:2: error: \"/etc/passwd\" is outside the definition's folder; $keepout" \
  "$inputs" -- pack "$d/esc-absolute.xml" -o "$keep"
pk esc-appendix '<item report="report.xml">
<appendix title="Appendix 1" pdf="../outside/appendix.pdf"/></item>'
refused esc-appendix 1 "$d/esc-appendix.xml:3: error: \"../outside/appendix.pdf\" is outside the definition's folder; $keepout" \
  "$inputs" -- pack "$d/esc-appendix.xml" -o "$keep"
pk esc-item-pdf '<item title="Budget" pdf="../outside/appendix.pdf"/>'
refused esc-item-pdf 1 "$d/esc-item-pdf.xml:2: error: \"../outside/appendix.pdf\" is outside the definition's folder; $keepout" \
  "$inputs" -- pack "$d/esc-item-pdf.xml" -o "$keep"
ln -s ../outside/report.xml "$d/link.xml"
pk esc-symlink '<item report="link.xml"/>'
refused esc-symlink 1 "$d/esc-symlink.xml:2: error: \"link.xml\" is a link to \"../outside/report.xml\", outside the definition's folder; $keepout" \
  "$inputs" -- pack "$d/esc-symlink.xml" -o "$keep"
pk esc-secret '<item report="/proc/self/environ"/>'
refused esc-proc 1 "$d/esc-secret.xml:2: error: \"/proc/self/environ\" is outside the definition's folder; $keepout" \
  "$inputs" -- pack "$d/esc-secret.xml" -o "$keep"
pk allowed '<item report="../outside/report.xml"/>'
built allowed "From outside." -- pack "$d/allowed.xml" --allow-path "$t/outside"
built allowed-symlink "From outside." -- pack "$d/esc-symlink.xml" --allow-path "$t/outside"
# Allowed, but not for the appendix's folder: still refused.
refused esc-allow-other 1 "$d/esc-appendix.xml:3: error: \"../outside/appendix.pdf\" is outside the definition's folder; $keepout" \
  "$inputs" -- pack "$d/esc-appendix.xml" -o "$keep" --allow-path "$d/data"

# 2. FIFOs and devices as reports or PDFs: refused before anything waits.
mkfifo "$d/pipe.xml" "$d/pipe.pdf"
pk fifo-report '<item report="pipe.xml"/>'
refused fifo-report 1 "$d/fifo-report.xml:2: error: report definition \"pipe.xml\" is a named pipe (FIFO), not a file; name a regular file" \
  "$d/pipe.xml" -- pack "$d/fifo-report.xml" -o "$keep"
pk fifo-pdf '<item report="report.xml"><appendix title="Appendix 1" pdf="pipe.pdf"/></item>'
refused fifo-pdf 1 "$d/fifo-pdf.xml:2: error: appendix PDF \"pipe.pdf\" is a named pipe (FIFO), not a file; name a regular file" \
  "$d/pipe.pdf" -- pack "$d/fifo-pdf.xml" -o "$keep"
# (Not opened, so not known to be a pack: the command's refusal.)
refused fifo-pack 2 "scrutineer: $d/pipe.xml is not a <pack> definition; build a report with scrutineer build" \
  "$d/pipe.xml" -- pack "$d/pipe.xml" -o "$keep"
pk zero-report '<item report="/dev/zero"/>'
refused zero-report 1 "$d/zero-report.xml:2: error: report definition \"/dev/zero\" is a character device, not a file; name a regular file" \
  "" -- pack "$d/zero-report.xml" -o "$keep" --allow-path /dev
pk zero-pdf '<item title="Budget" pdf="/dev/zero"/>'
refused zero-pdf 1 "$d/zero-pdf.xml:2: error: appendix PDF \"/dev/zero\" is a character device, not a file; name a regular file" \
  "" -- pack "$d/zero-pdf.xml" -o "$keep" --allow-path /dev
pk folder-report '<item report="data"/>'
refused folder-report 1 "$d/folder-report.xml:2: error: report definition \"data\" is a folder, not a file; name a regular file" \
  "" -- pack "$d/folder-report.xml" -o "$keep"

# 3. Sizes: 10,000 items, 1,000 appendices, a file over 16 MiB, 100,000
# nested elements, a 100,000-character title.
awk -v m="$meeting" 'BEGIN { printf "<pack version=\"1\">%s\n", m;
  for (i = 0; i < 10000; i++) print "<item title=\"Item\"><text>To note.</text></item>"; print "</pack>" }' > "$d/many.xml"
refused many-items 1 "$d/many.xml:202: error: more than 200 items; split the meeting's pack" "" -- pack "$d/many.xml" -o "$keep"
awk -v m="$meeting" 'BEGIN { printf "<pack version=\"1\">%s\n<item report=\"report.xml\">\n", m;
  for (i = 0; i < 1000; i++) print "<appendix title=\"Appendix\" report=\"report.xml\"/>"; print "</item></pack>" }' > "$d/appendices.xml"
refused many-appendices 1 "$d/appendices.xml:29: error: more than 26 appendices to one item; join some into one PDF" "" -- pack "$d/appendices.xml" -o "$keep"
{ printf '<pack version="1">%s\n<item title="Big"><text>' "$meeting"
  head -c 17000000 /dev/zero | tr '\0' 'x'; echo '</text></item></pack>'; } > "$d/big.xml"
refused big-file 1 "$d/big.xml: error: the file is larger than 16 MiB; split it" "" -- pack "$d/big.xml" -o "$keep"
rm -f "$d/big.xml"
{ printf '<pack version="1">%s\n<item title="Deep">' "$meeting"
  awk 'BEGIN { for (i = 0; i < 100000; i++) printf "<text>" }'; echo '</item></pack>'; } > "$d/deep.xml"
refused deep-nesting 1 "$d/deep.xml:2: error: elements are nested more than 256 deep; flatten the structure" "" -- pack "$d/deep.xml" -o "$keep"
pk long-title "<item title=\"$(head -c 100000 /dev/zero | tr '\0' 'W')\"><text>To note.</text></item>"
refused long-title 1 "$d/long-title.xml:2: error: item 1: the title is 100000 characters long; give a title of at most 500 and put the rest in a <text>" \
  "" -- pack "$d/long-title.xml" -o "$keep"
pk long-appendix-title "<item report=\"report.xml\">
<appendix title=\"$(head -c 100000 /dev/zero | tr '\0' 'W')\" report=\"report.xml\"/></item>"
refused long-appendix-title 1 "$d/long-appendix-title.xml:3: error: the appendix's title is 100000 characters long; give a title of at most 500" \
  "" -- pack "$d/long-appendix-title.xml" -o "$keep"

# 4. Entities: none expanded, none loaded, with the report's protections.
cat > "$d/laughs.xml" <<XML
<!DOCTYPE pack [
<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
]>
<pack version="1">$meeting
<item title="&e;"><text>&e;&e;&e;&e;</text></item></pack>
XML
refused billion-laughs 1 "$d/laughs.xml:1: error: a <!DOCTYPE> is not allowed (no DTDs or entities); remove it" "" -- pack "$d/laughs.xml" -o "$keep"
cat > "$d/xxe.xml" <<XML
<?xml version="1.0"?>
<!DOCTYPE pack [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<pack version="1">$meeting
<item title="&x;"><text>&x;</text></item></pack>
XML
refused external-entity 1 "$d/xxe.xml:2: error: a <!DOCTYPE> is not allowed (no DTDs or entities); remove it" "" -- pack "$d/xxe.xml" -o "$keep"
if grep -q 'root:' "$t"/external-entity.err; then bad "external-entity: /etc/passwd was read into a message"; else ok "external-entity: nothing of /etc/passwd in the messages"; fi
pk entity '<item title="&x;"><text>To note.</text></item>'
refused undeclared-entity 1 "$d/entity.xml:2: error: entity references other than &amp; &lt; &gt; &quot; &apos; and &#NNN; are not allowed; write the character itself" \
  "" -- pack "$d/entity.xml" -o "$keep"

# 5. A pack as a report item (itself, or another pack): not built again,
# no recursion; its root is named.
pk self '<item report="self.xml"/>'
refused pack-names-itself 1 "$d/self.xml:2: error: item 1: the report \"$d/self.xml\" did not build (its messages are above); fix it, or leave the item out" \
  "$d/self.xml" -- pack "$d/self.xml" -o "$keep"
grep -qxF "$d/self.xml:1: error: the root element must be <report version=\"1\">, not <pack>" "$t/pack-names-itself.err" &&
  [ "$(grep -c ': error: ' "$t/pack-names-itself.err")" = 2 ] &&
  ok "pack-names-itself: the report's root named, once" || bad "pack-names-itself: $(head -c 300 "$t/pack-names-itself.err")"
pk other '<item report="self.xml"/>'
refused pack-names-pack 1 "$d/other.xml:2: error: item 1: the report \"$d/self.xml\" did not build (its messages are above); fix it, or leave the item out" \
  "" -- pack "$d/other.xml" -o "$keep"
# The report's own messages come first, then the pack's line naming it.
sed -n 's/: error: .*//p' "$t/pack-names-pack.err" | tr '\n' ' ' | grep -qxF "$d/self.xml:1 $d/other.xml:2 " &&
  ok "pack-names-pack: the report's message, then the pack's" || bad "pack-names-pack: order: $(cat "$t/pack-names-pack.err")"

# 6. Control characters and bidi overrides in titles. XML forbids C0
# controls other than tab and line ends: refused as the file is read.
# Tabs and line ends are white space (one space). Bidi overrides are
# text (an Arabic or Hebrew name may need them): the PDF is written, its
# text in logical order, as typed.
printf '<pack version="1">%s\n<item title="Bell\007here"><text>To note.</text></item></pack>\n' "$meeting" > "$d/bell.xml"
refused control-char 1 "$d/bell.xml:2: error: invalid character in attribute value" "" -- pack "$d/bell.xml" -o "$keep"
printf '<pack version="1">%s\n<item title="Bell&#7;here"><text>To note.</text></item></pack>\n' "$meeting" > "$d/bell-ref.xml"
refused control-char-ref 1 "$d/bell-ref.xml:2: error: xmlParseCharRef: invalid xmlChar value 7" "" -- pack "$d/bell-ref.xml" -o "$keep"
printf '<pack version="1">%s\n<item title="Tab\there&#9;and&#10;line&#13;end"><text>To note.</text></item></pack>\n' "$meeting" > "$d/tab.xml"
built white-space "Tab here and line end" -- pack "$d/tab.xml"
printf '<pack version="1">%s\n<item title="Budget \342\200\256fdp.exe\342\200\254 report"><text>To note.</text></item></pack>\n' "$meeting" > "$d/bidi.xml"
built bidi-override "fdp.exe" -- pack "$d/bidi.xml"
if [ -f "$t/bidi-override.txt" ] && ! grep -q 'exe\.pdf' "$t/bidi-override.txt"; then ok "bidi-override: the text is in logical order, not reversed"
elif [ -f "$t/bidi-override.txt" ]; then bad "bidi-override: the PDF's text reads exe.pdf"; fi

# 7. -o naming one of the pack's inputs: refused (exit 2), the input
# untouched: the pack itself, a report, its template, a CSV it reads, an
# appendix PDF.
pk inputs '<item report="report.xml"/>'
pk inputs-pdf '<item report="report.xml"><appendix title="Appendix 1" pdf="appendix.pdf"/></item>'
refused out-pack 2 "scrutineer: error: $d/inputs.xml: is the pack definition \"$d/inputs.xml\", which this build reads; write the output to another file" \
  "$inputs $d/inputs.xml" -- pack "$d/inputs.xml" -o "$d/inputs.xml"
refused out-report 2 "scrutineer: error: $d/report.xml: is the report definition \"$d/report.xml\", which this build reads; write the output to another file" \
  "$inputs $d/inputs.xml" -- pack "$d/inputs.xml" -o "$d/report.xml"
refused out-template 2 "scrutineer: error: $d/house.xml: is the template \"$d/house.xml\", which this build reads; write the output to another file" \
  "$inputs $d/inputs.xml" -- pack "$d/inputs.xml" -o "$d/house.xml"
refused out-csv 2 "scrutineer: error: $d/data/../data/crime.csv: is the data file \"$d/data/crime.csv\", which this build reads; write the output to another file" \
  "$inputs $d/inputs.xml" -- pack "$d/inputs.xml" -o "$d/data/../data/crime.csv"
refused out-appendix 2 "scrutineer: error: $d/appendix.pdf: is the appendix PDF \"$d/appendix.pdf\", which this build reads; write the output to another file" \
  "$inputs $d/inputs-pdf.xml" -- pack "$d/inputs-pdf.xml" -o "$d/appendix.pdf"


# 9. The merging module (scrutineer-merge.so, loaded when a pack first
# merges a PDF): damaged, from another build, or nowhere. The program
# copied to a folder of its own, where it looks first.
m=$(pwd)/$t/module; mkdir -p "$m/bin"
cp "$(readlink -f "$bin")" "$m/bin/scrutineer"
for x in templates fonts data; do ln -sfn "$(pwd)/$x" "$m/$x"; done
pk module '<item report="report.xml"><appendix title="Appendix 1" pdf="appendix.pdf"/></item>'
merge_fix="build scrutineer again (make) or install it again (make install)"
awk 'BEGIN { for (i = 0; i < 40; i++) print "not a shared object" }' > "$m/bin/scrutineer-merge.so"
bin_was=$bin bin=$m/bin/scrutineer
refused module-damaged 3 "$d/module.xml:2: error: cannot merge PDFs into the pack: $m/bin/scrutineer-merge.so: invalid ELF header; $merge_fix" \
  "$inputs" -- pack "$d/module.xml" -o "$keep"
# Another build's module: one from before the entry's name carried the
# ABI (never called), and one with this ABI's name whose table says
# otherwise (laid out as this build's, so reading its abi is sound).
abi=$(sed -n 's/^#define MERGE_ABI \([0-9]*\).*/\1/p' src/pack/merge.h)
printf 'struct m { int abi; } m = { 1 };\nconst struct m *scrutineer_merge_module(const void *h) { (void)h; return &m; }\n' > "$m/old.c"
printf 'struct m { int abi; void *f[6]; } m = { 0, { 0 } };\nconst struct m *scrutineer_merge_module_v%s(const void *h) { (void)h; return &m; }\n' "$abi" > "$m/wrong.c"
for c in old wrong; do
  if cc -shared -fPIC -o "$m/bin/scrutineer-merge.so" "$m/$c.c" 2>/dev/null; then
    refused module-other-build-$c 3 "$d/module.xml:2: error: cannot merge PDFs into the pack: $m/bin/scrutineer-merge.so is not this build's module; $merge_fix" \
      "$inputs" -- pack "$d/module.xml" -o "$keep"
  else skip "module-other-build-$c: no cc to make a stand-in module"; fi
done
rm -f "$m/bin/scrutineer-merge.so"
if [ ! -e /usr/local/lib/scrutineer/scrutineer-merge.so ]; then
  refused module-missing 3 "$d/module.xml:2: error: cannot merge PDFs into the pack: scrutineer-merge.so is neither beside the program nor in /usr/local/lib/scrutineer; $merge_fix" \
    "$inputs" -- pack "$d/module.xml" -o "$keep"
else skip "module-missing: one is installed in /usr/local/lib/scrutineer"; fi
# A report alone needs no module.
built module-not-needed "Crime update" -- build "$d/report.xml"
bin=$bin_was

# 8. SIGTERM mid-pack: no temporary file, the previous PDF intact.
s=$t/sig; mkdir -p "$s"
awk 'BEGIN { printf "<report version=\"1\"><meta><title>Long</title></meta>";
  for (s = 0; s < 300; s++) { printf "<section title=\"Section %d\">", s;
    for (p = 0; p < 12; p++) printf "<p>Paragraph %d of section %d, long enough to wrap over two or three lines of the page at twelve points.</p>", p, s;
    printf "</section>" } print "</report>" }' > "$s/long.xml"
{ printf '<pack version="1">%s\n' "$meeting"
  for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do echo '<item report="long.xml"/>'; done
  echo '</pack>'; } > "$s/pack.xml"
printf 'previous good PDF' > "$s/out.pdf"
"$bin" pack "$s/pack.xml" -o "$s/out.pdf" 2>/dev/null & pid=$!
# The signal once the temporary file exists, which is when it matters.
i=0; while [ $i -lt 2000 ] && ! ls -A "$s" | grep -q '^\.'; do sleep 0.005; i=$((i + 1)); done
kill -s TERM $pid 2>/dev/null; wait $pid 2>/dev/null; rc=$?
if [ $rc -eq 0 ]; then bad "SIGTERM: the pack finished before the signal; make the input longer"
elif [ $rc -ne 143 ]; then bad "SIGTERM: exit $rc, expected 143 (killed by SIGTERM)"
elif [ "$(cat "$s/out.pdf")" != "previous good PDF" ]; then bad "SIGTERM: the previous PDF was replaced"
elif ls -A "$s" | grep -q '^\.'; then bad "SIGTERM: temporary file left behind"
else ok "SIGTERM mid-pack: nothing left, the previous PDF intact"; fi
rm -f "$s"/.out.pdf.*
exit $status
