#!/bin/sh
# Hostile paths (issue 11): outputs that would replace an input or a
# device, names that lead out of the definition's folder, FIFOs and
# devices as inputs, the output's mode, signals and long names. Each case
# checks the exit code, the exact message (a whole line of stderr), that
# nothing was created or replaced (inode, type, mode and checksum of the
# files it guards, before and after), that nothing went to standard
# output, and finishes within 10 s (so a FIFO that blocks fails, not
# hangs). Prints "ok   hostile ...", "FAIL hostile ..." or "skip ...".
t=tests/out/hostile-paths
. "$(dirname "$0")/lib.sh"

# snap FILE...: what each file is, without opening a FIFO or device.
snap() {
  for f; do
    if [ -L "$f" ]; then printf 'L %s %s\n' "$f" "$(readlink "$f")"
    elif [ -f "$f" ]; then printf 'F %s %s %s\n' "$f" "$(stat -c '%i %a' "$f")" "$(cksum < "$f")"
    elif [ -e "$f" ]; then printf 'O %s %s\n' "$f" "$(stat -c '%F %i %t:%T %a' "$f")"
    else printf 'none %s\n' "$f"; fi
  done
}

# refused NAME EXIT LINE "GUARDED FILES" -- ARGS: runs scrutineer ARGS
# (10 s at most), checks the exit code, LINE as a whole line of stderr,
# the guarded files unchanged, nothing on standard output, and no
# temporary file left in the case's folder.
refused() {
  name=$1 want=$2 line=$3 files=$4; shift 5
  before=$(snap $files)
  timeout 10 "$bin" "$@" > "$t/$name.out" 2> "$t/$name.err"; rc=$?
  after=$(snap $files)
  if [ "$rc" -ne "$want" ]; then bad "$name: exit $rc, expected $want: $(head -c 300 "$t/$name.err")"; return 1; fi
  if ! grep -qxF -- "$line" "$t/$name.err"; then bad "$name: no line \"$line\" in: $(head -c 300 "$t/$name.err")"; return 1; fi
  if [ "$before" != "$after" ]; then bad "$name: a file was replaced: $before / $after"; return 1; fi
  if [ -s "$t/$name.out" ]; then bad "$name: wrote to standard output"; return 1; fi
  if ls -A "$d" | grep -q '^\..*\.[A-Za-z0-9]\{6\}$'; then bad "$name: a temporary file was left"; return 1; fi
  ok "$name"
}

meta='<meta><title>Paths</title></meta>'
d=$t/r
mkdir -p "$d/data" "$d/fonts" "$t/outside"
printf 'use,amount\nViolence,38200\nAbuse,27500\n' > "$d/data/crime.csv"
cp examples/hinckley-blaby-2017/images/structure.png "$d/logo.png"
cp templates/default.xml "$d/house.xml"
cp "$(fc-match -f '%{file}' 'Liberation Sans')" "$d/fonts/House.ttf"
cat > "$d/report.xml" <<XML
<report version="1" template="house.xml">$meta<data><csv id="d" href="data/crime.csv"/></data>
<section title="S"><table data="d"/><image href="logo.png" width="20mm" alt="Logo"/>
<chart id="logo" type="bar" data="d" caption="A bar chart" height="45mm"/></section></report>
XML
inputs="$d/report.xml $d/house.xml $d/data/crime.csv $d/logo.png $d/fonts/House.ttf"

# 1. -o that names one of the build's inputs, by any name: refused by
# device and inode, exit 2, the input untouched.
refused out-definition 2 "scrutineer: error: $d/report.xml: is the definition \"$d/report.xml\", which this build reads; write the output to another file" \
  "$inputs" -- build "$d/report.xml" -o "$d/report.xml"
refused out-csv-dotdot 2 "scrutineer: error: $d/fonts/../data/crime.csv: is the data file \"$d/data/crime.csv\", which this build reads; write the output to another file" \
  "$inputs" -- build "$d/report.xml" -o "$d/fonts/../data/crime.csv"
ln -s data "$d/datalink"
refused out-csv-via-link 2 "scrutineer: error: $d/datalink/crime.csv: is the data file \"$d/data/crime.csv\", which this build reads; write the output to another file" \
  "$inputs" -- build "$d/report.xml" -o "$d/datalink/crime.csv"
ln "$d/report.xml" "$d/hard.pdf"
refused out-hard-link 2 "scrutineer: error: $d/hard.pdf: is the definition \"$d/report.xml\", which this build reads; write the output to another file" \
  "$inputs $d/hard.pdf" -- build "$d/report.xml" -o "$d/hard.pdf"
rm -f "$d/hard.pdf"
refused out-template 2 "scrutineer: error: $d/house.xml: is the template \"$d/house.xml\", which this build reads; write the output to another file" \
  "$inputs" -- build "$d/report.xml" -o "$d/house.xml"
refused out-image 2 "scrutineer: error: $d/logo.png: is the image file \"$d/logo.png\", which this build reads; write the output to another file" \
  "$inputs" -- build "$d/report.xml" -o "$d/logo.png"
refused out-font 2 "scrutineer: error: $d/fonts/House.ttf: is the font file \"$d/fonts/House.ttf\", which this build reads; write the output to another file" \
  "$inputs" -- build "$d/report.xml" -o "$d/fonts/House.ttf"

# A symbolic link as the output (as /dev/stdout is): rename() would
# replace the link, so it is refused whatever it names.
ln -s report.xml "$d/link.pdf"
refused out-symlink-to-input 2 "scrutineer: error: $d/link.pdf: is a symbolic link, not a regular file, and would be replaced; write to a file (or -o - for standard output)" \
  "$inputs $d/link.pdf" -- build "$d/report.xml" -o "$d/link.pdf"
ln -s /proc/self/fd/1 "$d/stdout"
refused out-stdout-link 2 "scrutineer: error: $d/stdout: is a symbolic link, not a regular file, and would be replaced; write to a file (or -o - for standard output)" \
  "$inputs $d/stdout" -- build "$d/report.xml" -o "$d/stdout"

# Existing outputs that are not regular files: a FIFO (which blocked), a
# folder, and (as root) a character device like /dev/null, made here so
# that a failure cannot damage the real one.
mkfifo "$d/fifo.pdf"
refused out-fifo 2 "scrutineer: error: $d/fifo.pdf: is a named pipe (FIFO), not a regular file, and would be replaced; write to a file (or -o - for standard output)" \
  "$inputs $d/fifo.pdf" -- build "$d/report.xml" -o "$d/fifo.pdf"
mkdir "$d/folder.pdf"
refused out-folder 2 "scrutineer: error: $d/folder.pdf: is a folder, not a regular file, and would be replaced; write to a file (or -o - for standard output)" \
  "$inputs $d/folder.pdf" -- build "$d/report.xml" -o "$d/folder.pdf"
if [ "$(id -u)" = 0 ] && mknod "$d/null" c 1 3 2>/dev/null; then
  refused out-char-device 2 "scrutineer: error: $d/null: is a character device, not a regular file, and would be replaced; write to a file (or -o - for standard output)" \
    "$inputs $d/null" -- build "$d/report.xml" -o "$d/null"
else skip "out-char-device: needs root to mknod a device"; fi

# charts -o DIR: each file it would replace obeys the same rule. The
# chart "logo" would be DIR/logo.png, the definition's own image.
refused charts-input 2 "scrutineer: error: $d/logo.png: is the image file \"$d/logo.png\", which this build reads; write the output to another file" \
  "$inputs" -- charts "$d/report.xml" -o "$d"
mkdir -p "$t/charts"; mkfifo "$t/charts/logo.png"
refused charts-fifo 2 "scrutineer: error: $t/charts/logo.png: is a named pipe (FIFO), not a regular file, and would be replaced; write to a file (or -o - for standard output)" \
  "$inputs $t/charts/logo.png" -- charts "$d/report.xml" -o "$t/charts"

# A link planted where a chart's temporary file goes: it is removed, not
# written through (the definition it named was truncated).
mkdir -p "$t/charts2"; ln -s "$(pwd)/$d/report.xml" "$t/charts2/logo.png.part"
before=$(snap $inputs)
for fmt in png svg; do
  [ $fmt = svg ] && ln -s "$(pwd)/$d/report.xml" "$t/charts2/logo.svg.part"
  if timeout 10 "$bin" charts "$d/report.xml" -o "$t/charts2" --format $fmt 2> "$t/charts-part.err" &&
     [ "$before" = "$(snap $inputs)" ] && [ ! -e "$t/charts2/logo.$fmt.part" ] &&
     case $fmt:$(head -c 4 "$t/charts2/logo.$fmt" | od -An -tx1 | tr -d ' \n') in
       png:89504e47|svg:3c3f786d) true;; *) false;; esac
  then ok "charts-part-link ($fmt): the planted link is replaced, not written through"
  else bad "charts-part-link ($fmt): $(head -c 300 "$t/charts-part.err")"; fi
done

# -o -: the PDF on standard output, only once it is whole.
if timeout 10 "$bin" build "$d/report.xml" -o - > "$t/stdout.pdf" 2> "$t/stdout.err" &&
   grep -qxF "scrutineer: wrote the PDF to standard output (1 page)" "$t/stdout.err" &&
   qpdf --check "$t/stdout.pdf" > /dev/null 2>&1; then ok "stdout: -o - writes a whole PDF"
else bad "stdout: $(head -c 300 "$t/stdout.err")"; fi
sed 's|href="data/crime.csv"|href="data/missing.csv"|' "$d/report.xml" > "$d/broken.xml"
refused stdout-failed-build 1 "$d/broken.xml:1: error: data file \"$d/data/missing.csv\" cannot be read: No such file or directory" \
  "$inputs" -- build "$d/broken.xml" -o -
# A build that fails while the PDF is written (a file-size limit, which
# a pipe is not subject to): not one byte reaches standard output.
awk -v m="$meta" 'BEGIN { printf "<report version=\"1\">%s<section title=\"Long\">", m;
  for (i = 0; i < 400; i++) printf "<p>Many words to fill pages of text.</p>"; print "</section></report>" }' > "$t/long.xml"
(trap '' XFSZ; ulimit -f 8; timeout 10 "$bin" build "$t/long.xml" -o - 2> "$t/stdout-full.err"; echo $? > "$t/stdout-full.rc") | wc -c > "$t/stdout-full.bytes"
if [ "$(cat "$t/stdout-full.rc")" = 3 ] && [ "$(tr -d ' ' < "$t/stdout-full.bytes")" = 0 ] &&
   grep -qF "cannot write the PDF: the disk is full" "$t/stdout-full.err"
then ok "stdout-full: a PDF that cannot be finished writes nothing to standard output"
else bad "stdout-full: exit $(cat "$t/stdout-full.rc"), $(cat "$t/stdout-full.bytes") bytes: $(head -c 300 "$t/stdout-full.err")"; fi
before=$(snap $inputs)
timeout 10 "$bin" build "$d/report.xml" -o - >> "$d/report.xml" 2> "$t/stdout-input.err"; rc=$?
if [ $rc -eq 2 ] && [ "$before" = "$(snap $inputs)" ] &&
   grep -qxF "scrutineer: error: standard output: is the definition \"$d/report.xml\", which this build reads; write the output to another file" "$t/stdout-input.err"
then ok "stdout-is-input: -o - >> report.xml refused"
else bad "stdout-is-input: exit $rc: $(head -c 300 "$t/stdout-input.err")"; fi
refused stdout-and-dump 2 "scrutineer: -o - and --dump both write to standard output; choose one" \
  "$inputs" -- build "$d/report.xml" -o - --dump
rm -f "$d/broken.xml"

# --preview DIR checked before the PDF, as charts -o DIR and --html are:
# a missing folder (or a file) is refused, nothing is made and the
# previous PDF is as it was.
printf 'previous good PDF' > "$d/old.pdf"
refused preview-missing-dir 2 "scrutineer: error: $d/no-such: no such folder; create it first" \
  "$inputs $d/old.pdf $d/no-such" -- build "$d/report.xml" -o "$d/old.pdf" --preview "$d/no-such"
refused preview-not-a-dir 2 "scrutineer: error: $d/logo.png: is not a folder; --preview names the folder the page pictures are written into" \
  "$inputs $d/old.pdf" -- build "$d/report.xml" -o "$d/old.pdf" --preview "$d/logo.png"
rm -f "$d/old.pdf"

# 2. template= obeys the data files' policy: nothing outside the folder
# is opened (so none of its values reach a message), only --allow-path
# and the installed templates let a definition out; -t may name any file.
printf '<template version="1" name="secret"><colours text="hunter2-secret"/></template>\n' > "$t/outside/secret.xml"
cp templates/default.xml "$t/outside/ok.xml"
mkdir -p "$t/tpl/sub"
tdef() { printf '<report version="1" template="%s">%s<p>x</p></report>\n' "$2" "$meta" > "$t/tpl/$1.xml"; }
keep="keep the template beside the report, name an installed one (template=\"default\"), or allow the folder with --allow-path"
tdef abs /etc/passwd
refused tpl-absolute 1 "$t/tpl/abs.xml:1: error: \"/etc/passwd\" is outside the definition's folder; $keep" "" -- check "$t/tpl/abs.xml"
tdef parent ../outside/secret.xml
refused tpl-parent 1 "$t/tpl/parent.xml:1: error: \"../outside/secret.xml\" is outside the definition's folder; $keep" "" -- check "$t/tpl/parent.xml"
# A missing file out there is "outside" too: which files exist outside
# is not the definition's to learn.
tdef missing ../outside/nothere.xml
refused tpl-missing-outside 1 "$t/tpl/missing.xml:1: error: \"../outside/nothere.xml\" is outside the definition's folder; $keep" "" -- check "$t/tpl/missing.xml"
ln -s ../outside/secret.xml "$t/tpl/house.xml"
tdef link house.xml
refused tpl-symlink 1 "$t/tpl/link.xml:1: error: \"house.xml\" is a link to \"../outside/secret.xml\", outside the definition's folder; $keep" "" -- check "$t/tpl/link.xml"
tdef environ /proc/self/environ
refused tpl-proc 1 "$t/tpl/environ.xml:1: error: \"/proc/self/environ\" is outside the definition's folder; $keep" "" -- check "$t/tpl/environ.xml"
tdef stdin /dev/stdin
refused tpl-stdin 1 "$t/tpl/stdin.xml:1: error: \"/dev/stdin\" is outside the definition's folder; $keep" "" -- check "$t/tpl/stdin.xml"
if grep -q hunter2 "$t"/tpl-*.err; then bad "tpl: an outside template's value was echoed"; else ok "tpl: no outside value echoed"; fi
tdef allowed ../outside/ok.xml
if timeout 10 "$bin" check "$t/tpl/allowed.xml" --allow-path "$t/outside" 2> "$t/tpl-allowed.err"; then ok "tpl-allowed: --allow-path lets it out"
else bad "tpl-allowed: $(head -c 300 "$t/tpl-allowed.err")"; fi
tdef installed "$(pwd)/templates/blaby.xml"
tdef bare blaby
for c in installed bare; do
  if timeout 10 "$bin" check "$t/tpl/$c.xml" 2> "$t/tpl-$c.err"; then ok "tpl-$c: the installed templates are allowed"
  else bad "tpl-$c: $(head -c 300 "$t/tpl-$c.err")"; fi
done
if timeout 10 "$bin" check "$t/tpl/abs.xml" -t "$t/outside/ok.xml" 2> "$t/tpl-t.err"; then ok "tpl-t: -t may name any file"
else bad "tpl-t: $(head -c 300 "$t/tpl-t.err")"; fi

# 6. FIFOs and devices as inputs are refused before anything waits on
# them (each blocked check and build for ever).
f=$t/fifo; mkdir -p "$f/fonts"
mkfifo "$f/pipe.csv" "$f/pipe.png" "$f/pipe.xml" "$f/fonts/Pipe.ttf"
printf '<report version="1">%s<data><csv id="d" href="pipe.csv"/></data><table data="d"/></report>\n' "$meta" > "$f/csv.xml"
refused fifo-csv 1 "$f/csv.xml:1: error: data file \"pipe.csv\" is a named pipe (FIFO), not a file; name a regular file" "$f/pipe.csv" -- check "$f/csv.xml"
printf '<report version="1">%s<image href="pipe.png" width="20mm" alt="x"/></report>\n' "$meta" > "$f/image.xml"
refused fifo-image 1 "$f/image.xml:1: error: image file \"pipe.png\" is a named pipe (FIFO), not a file; name a regular file" "$f/pipe.png" -- check "$f/image.xml"
printf '<report version="1" template="pipe.xml">%s<p>x</p></report>\n' "$meta" > "$f/template.xml"
refused fifo-template 1 "$f/template.xml:1: error: template file \"pipe.xml\" is a named pipe (FIFO), not a file; name a regular file" "$f/pipe.xml" -- check "$f/template.xml"
refused fifo-template-t 1 "scrutineer: error: $f/pipe.xml: is a named pipe (FIFO), not a file; name a regular file" "$f/pipe.xml" -- check "$f/template.xml" -t "$f/pipe.xml"
refused fifo-definition 1 "scrutineer: error: $f/pipe.xml: is a named pipe (FIFO), not a file; name a regular file" "$f/pipe.xml" -- check "$f/pipe.xml"
printf '<report version="1">%s<p>x</p></report>\n' "$meta" > "$f/font.xml"
if timeout 10 "$bin" build "$f/font.xml" -o "$t/font.pdf" 2> "$t/fifo-font.err"; then ok "fifo-font: a FIFO in fonts/ is passed over, not opened"
else bad "fifo-font: exit $?: $(head -c 300 "$t/fifo-font.err")"; fi
rm -f "$t/font.pdf"
printf '<report version="1">%s<data><csv id="d" href="/dev/zero"/></data><table data="d"/></report>\n' "$meta" > "$f/zero.xml"
refused device-csv 1 "$f/zero.xml:1: error: data file \"/dev/zero\" is a character device, not a file; name a regular file" "" -- check "$f/zero.xml" --allow-path /dev
printf '<report version="1">%s<data><csv id="d" href="fonts"/></data><table data="d"/></report>\n' "$meta" > "$f/dir.xml"
refused folder-csv 1 "$f/dir.xml:1: error: data file \"fonts\" is a folder, not a file; name a regular file" "" -- check "$f/dir.xml"

# 11. The output's mode: the umask's for a new file, the previous file's
# when one is replaced.
m=$t/mode; mkdir -p "$m"
printf '<report version="1">%s<p>x</p></report>\n' "$meta" > "$m/report.xml"
(umask 077; "$bin" build "$m/report.xml" -o "$m/new.pdf" 2>/dev/null)
[ "$(stat -c %a "$m/new.pdf" 2>/dev/null)" = 600 ] && ok "mode: umask 077 gives 0600" || bad "mode: umask 077 gave $(stat -c %a "$m/new.pdf" 2>/dev/null)"
(umask 002; "$bin" build "$m/report.xml" -o "$m/new2.pdf" 2>/dev/null)
[ "$(stat -c %a "$m/new2.pdf" 2>/dev/null)" = 664 ] && ok "mode: umask 002 gives 0664" || bad "mode: umask 002 gave $(stat -c %a "$m/new2.pdf" 2>/dev/null)"
for mode in 600 640; do
  echo old > "$m/old.pdf"; chmod $mode "$m/old.pdf"
  (umask 022; "$bin" build "$m/report.xml" -o "$m/old.pdf" 2>/dev/null)
  if [ "$(stat -c %a "$m/old.pdf")" = $mode ] && [ "$(head -c 5 "$m/old.pdf")" = "%PDF-" ]; then ok "mode: a $mode PDF stays $mode"
  else bad "mode: a $mode PDF became $(stat -c %a "$m/old.pdf")"; fi
done

# 14. A 255-byte file name (the temporary name added 8 bytes past
# NAME_MAX), and SIGXCPU (ulimit -t) mid-build, handled as SIGTERM.
long=$(awk 'BEGIN { for (i = 0; i < 251; i++) printf "n"; print ".pdf" }')
if "$bin" build "$m/report.xml" -o "$m/$long" 2> "$t/long.err" && [ -s "$m/$long" ] &&
   ! ls -A "$m" | grep -q '^\.'; then ok "long-name: a 255-byte file name is written"
else bad "long-name: $(head -c 300 "$t/long.err")"; fi
s=$t/sig; mkdir -p "$s"
awk -v m="$meta" 'BEGIN { printf "<report version=\"1\">%s", m;
  for (s = 0; s < 1500; s++) { printf "<section title=\"Section %d\">", s;
    for (p = 0; p < 12; p++) printf "<p>Paragraph %d of section %d, long enough to wrap over two or three lines of the page at twelve points.</p>", p, s;
    printf "</section>" } print "</report>" }' > "$s/report.xml"
printf 'previous good PDF' > "$s/out.pdf"
"$bin" build "$s/report.xml" -o "$s/out.pdf" 2>/dev/null & pid=$!
# The signal once the temporary file exists, which is when it matters.
i=0; while [ $i -lt 1000 ] && ! ls -A "$s" | grep -q '^\.'; do sleep 0.005; i=$((i + 1)); done
kill -s XCPU $pid 2>/dev/null; wait $pid 2>/dev/null; rc=$?
if [ $rc -eq 0 ]; then bad "SIGXCPU: the build finished before the signal; make the input longer"
elif [ "$(cat "$s/out.pdf")" != "previous good PDF" ]; then bad "SIGXCPU: the previous PDF was replaced"
elif ls -A "$s" | grep -q '^\.'; then bad "SIGXCPU: temporary file left behind"
else ok "SIGXCPU mid-build: nothing left"; fi
rm -f "$s"/.out.pdf.*
exit $status
