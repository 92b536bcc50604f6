#!/bin/sh
# Hostile batch lists (issue 13): a list file is an input surface of its
# own. Huge lines, NUL bytes, text that is not UTF-8, thousands of
# entries, quotes left open, options that are not, definitions and
# outputs that lead out of the list's folder (by "..", an absolute name
# or a link), outputs that are not PDFs, FIFOs and missing files. Each
# bad input is refused before anything is built: its exact message (a
# whole line of stderr), exit 1, no PDF written anywhere, nothing on
# standard output, within bounded time and memory. Prints "ok   hostile
# ...", "FAIL hostile ..." or "skip ...".
t=tests/out/hostile-batch
. "$(dirname "$0")/lib.sh"

mem=1048576 secs=20
[ -n "$sanitized" ] && mem=unlimited secs=120

d=$t/lists
o=$t/out
mkdir -p "$d/r" "$d/sub" "$o" "$t/outside"
cat > "$d/r/report.xml" <<'XML'
<report version="1"><meta><title>Tiny</title></meta><section title="S"><p>Text.</p></section></report>
XML
cp "$d/r/report.xml" "$t/outside/report.xml"
cp templates/default.xml "$d/house.xml"

# pdfs: every PDF under $t, so that "nothing was built" can be checked.
pdfs() { find "$t" -name '*.pdf' | sort; }

# refused NAME LINE -- ARGS: batch ARGS exits 1 with LINE, builds
# nothing, prints nothing on standard output.
refused() {
  name=$1 line=$2; shift 3
  before=$(pdfs)
  (ulimit -v $mem 2>/dev/null; exec timeout $secs "$bin" batch "$@") \
    > "$t/$name.out" 2> "$t/$name.err"; rc=$?
  if [ $rc -ne 1 ]; then bad "$name: exit $rc, expected 1: $(head -c 400 "$t/$name.err")"; return; fi
  if ! grep -qxF -- "$line" "$t/$name.err"; then bad "$name: no line \"$line\" in: $(head -c 600 "$t/$name.err")"; return; fi
  if ! grep -qxF "scrutineer: batch: nothing was built; correct the above first" "$t/$name.err"; then
    bad "$name: no \"nothing was built\""; return; fi
  if [ "$before" != "$(pdfs)" ]; then bad "$name: a PDF was written: $(pdfs)"; return; fi
  if [ -s "$t/$name.out" ]; then bad "$name: wrote to standard output"; return; fi
  ok "$name"
}

# list NAME: the list file $d/NAME.list from standard input.
list() { cat > "$d/$1.list"; }

L=$d/bad.list
# Lines that are not text.
python3 -c 'import sys; sys.stdout.write("r/report.xml\n" + "r/report.xml -D x=" + "y" * 20000 + "\n")' > "$L"
refused batch-huge-line "$L:2: error: the line is longer than 16384 bytes; shorten it" -- "$L" -o "$o"
printf 'r/report.xml\nr/rep\000ort.xml\n' > "$L"
refused batch-nul-byte "$L:2: error: a NUL byte; a list is text, one definition a line" -- "$L" -o "$o"
printf '# caf\351\nr/report.xml\n' > "$L"
refused batch-not-utf8 "$L:1: error: not UTF-8 text; save the list as UTF-8" -- "$L" -o "$o"
# Words and options.
printf 'r/report.xml -D "year=2023\n' > "$L"
refused batch-open-quote "$L:1: error: a quote is not closed; end the word with \"" -- "$L" -o "$o"
printf '"r/report.xml"x\n' > "$L"
refused batch-quote-runs-on "$L:1: error: a quoted word runs into the next (\"...\"x); put a space after the closing quote" -- "$L" -o "$o"
printf 'r/report.xml -t house\n' > "$L"
refused batch-unknown-option "$L:1: error: unknown option \"-t\"; a line is a definition, then -D NAME=VALUE, -o OUT.pdf or --part a|b" -- "$L" -o "$o"
printf 'r/report.xml --prat a\n' > "$L"
refused batch-unknown-option-suggest "$L:1: error: unknown option \"--prat\"; a line is a definition, then -D NAME=VALUE, -o OUT.pdf or --part a|b; did you mean \"--part\"?" -- "$L" -o "$o"
printf 'r/report.xml -D\n' > "$L"
refused batch-define-no-value "$L:1: error: -D needs NAME=VALUE after it" -- "$L" -o "$o"
printf 'r/report.xml -D year\n' > "$L"
refused batch-define-no-equals "$L:1: error: -D \"year\": write NAME=VALUE, the name in letters, digits and underscores" -- "$L" -o "$o"
printf 'r/report.xml -D "ye ar=1"\n' > "$L"
refused batch-define-bad-name "$L:1: error: -D \"ye ar=1\": write NAME=VALUE, the name in letters, digits and underscores" -- "$L" -o "$o"
printf 'r/report.xml -o a.pdf -o b.pdf\n' > "$L"
refused batch-output-twice "$L:1: error: -o is given twice; give the line one" -- "$L"
printf 'r/report.xml r/report.xml\n' > "$L"
refused batch-two-definitions "$L:1: error: a second definition \"r/report.xml\" on the line; put each definition on a line of its own" -- "$L"
printf '  -o x.pdf\n' > "$L"
refused batch-no-definition "$L:1: error: options but no definition; a line starts with the definition to build" -- "$L"
printf 'r/report.xml --part c\n' > "$L"
refused batch-part-value "$L:1: error: --part \"c\": write --part a (the public pack) or --part b (the exempt items)" -- "$L"
printf 'r/report.xml --part b\n' > "$L"
refused batch-part-report "$L:1: error: --part is for a <pack>, and \"r/report.xml\" is a report" -- "$L"
printf '# nothing\n\n   # at all\n' > "$L"
refused batch-empty-list "$L: error: the list names no definition; write one a line" -- "$L"
# What a line names.
printf 'r/missing.xml\n' > "$L"
refused batch-missing "$L:1: error: definition \"$d/r/missing.xml\" cannot be read: No such file or directory" -- "$L"
printf 'r\n' > "$L"
refused batch-folder "$L:1: error: \"r\" is a folder; name the definition in it (or give the folder to scrutineer batch itself)" -- "$L"
printf 'house.xml\n' > "$L"
refused batch-template "$L:1: error: \"house.xml\" is not a report or pack definition (its root element is neither <report> nor <pack>); name one" -- "$L"
rm -f "$d/fifo.xml"; mkfifo "$d/fifo.xml"
printf 'fifo.xml\n' > "$L"
refused batch-fifo-definition "$L:1: error: \"fifo.xml\" is not a regular file; name a definition" -- "$L"
# Paths that escape the list's folder.
printf '../outside/report.xml\n' > "$L"
refused batch-def-dotdot "$L:1: error: \"../outside/report.xml\" is outside the list's folder; keep the definitions under it, or allow theirs with --allow-path" -- "$L"
printf '%s\n' "$(pwd)/$t/outside/report.xml" > "$L"
refused batch-def-absolute "$L:1: error: \"$(pwd)/$t/outside/report.xml\" is outside the list's folder; keep the definitions under it, or allow theirs with --allow-path" -- "$L"
printf '../outside/nothing.xml\n' > "$L"
refused batch-def-outside-missing "$L:1: error: \"../outside/nothing.xml\" is outside the list's folder; keep the definitions under it, or allow theirs with --allow-path" -- "$L"
ln -sfn ../outside "$d/link"
printf 'link/report.xml\n' > "$L"
refused batch-def-link-out "$L:1: error: \"link/report.xml\" is outside the list's folder; keep the definitions under it, or allow theirs with --allow-path" -- "$L"
printf 'r/report.xml -o ../x.pdf\n' > "$L"
refused batch-out-dotdot "$L:1: error: -o \"../x.pdf\" is outside the list's folder; write the PDF under it (or give the batch -o OUTDIR)" -- "$L"
refused batch-out-outdir "$L:1: error: -o \"../x.pdf\" is outside the output folder \"$o\"; write the PDF under it" -- "$L" -o "$o"
printf 'r/report.xml -o /tmp/x.pdf\n' > "$L"
refused batch-out-absolute "$L:1: error: -o \"/tmp/x.pdf\" is outside the list's folder; write the PDF under it (or give the batch -o OUTDIR)" -- "$L"
printf 'r/report.xml -o link/x.pdf\n' > "$L"
refused batch-out-link "$L:1: error: -o \"link/x.pdf\" is outside the list's folder; write the PDF under it (or give the batch -o OUTDIR)" -- "$L"
printf 'r/report.xml -o nowhere/x.pdf\n' > "$L"
refused batch-out-no-folder "$L:1: error: -o \"nowhere/x.pdf\": the folder \"$d/nowhere\" does not exist; create it first" -- "$L"
printf 'r/report.xml -o bad.list\n' > "$L"
refused batch-out-not-pdf "$L:1: error: -o \"bad.list\": name a PDF file, ending in .pdf" -- "$L"
printf 'r/report.xml -o sub/.pdf\n' > "$L"
refused batch-out-only-suffix "$L:1: error: -o \"sub/.pdf\": name a PDF file, ending in .pdf" -- "$L"
# Every problem of a list at once, each with its line.
printf 'r/report.xml -x\n# fine\nr/missing.xml\nr/report.xml -o ../y.pdf\n' > "$L"
refused batch-every-line "$L:4: error: -o \"../y.pdf\" is outside the list's folder; write the PDF under it (or give the batch -o OUTDIR)" -- "$L"
n=$(grep -c "^$L:[0-9]*: error:" "$t/batch-every-line.err")
[ "$n" = 3 ] && ok "batch-every-line: three errors, each with its line" || bad "batch-every-line: $n errors"

# The list file itself.
rm -f "$d/pipe.list"; mkfifo "$d/pipe.list"
refused batch-list-fifo "scrutineer: error: list file \"$d/pipe.list\" is a named pipe (FIFO), not a file; name a regular file" -- "$d/pipe.list"
refused batch-list-missing "scrutineer: error: list file \"$d/none.list\" cannot be read: No such file or directory" -- "$d/none.list"
head -c 17000000 /dev/zero > "$d/big.list"
refused batch-list-too-big "scrutineer: error: list file \"$d/big.list\" is larger than 16 MiB; make it smaller" -- "$d/big.list"
rm -f "$d/big.list"

# --allow-path lets a definition outside in, and its data with it.
printf '../outside/report.xml -o ok.pdf\n' > "$L"
(exec timeout $secs "$bin" batch "$L" --allow-path "$t/outside") > /dev/null 2> "$t/allow.err" &&
  [ -f "$d/ok.pdf" ] && ok "batch-allow-path: a definition outside, allowed" ||
  bad "batch-allow-path: $(cat "$t/allow.err")"
rm -f "$d/ok.pdf"

# Thousands of lines: 20,000 entries naming one output are planned and
# refused quickly, the messages capped.
python3 -c 'import sys; sys.stdout.write("r/report.xml -o same.pdf\n" * 20000)' > "$L"
s0=$(date +%s)
refused batch-thousands-collide "$L:2: error: \"$d/r/report.xml\" would write $d/same.pdf, as \"$d/r/report.xml\" ($L:1) does; give one of them its own -o in a list" -- "$L"
[ $(( $(date +%s) - s0 )) -le $secs ] && ok "batch-thousands-collide: within ${secs}s" || bad "batch-thousands-collide: too slow"
n=$(grep -c "would write" "$t/batch-thousands-collide.err")
[ "$n" -le 100 ] && ok "batch-thousands-collide: messages capped ($n)" || bad "batch-thousands-collide: $n messages"
# ... and 300 distinct ones are built, each once.
mkdir -p "$t/many"
python3 -c 'import sys; sys.stdout.write("".join("r/report.xml -o p%03d.pdf\n" % i for i in range(300)))' > "$L"
(exec timeout 300 "$bin" batch "$L" -o "$t/many" -j2) > /dev/null 2> "$t/many.err"; rc=$?
n=$(ls "$t/many" | grep -c '^p[0-9]*\.pdf$')
[ $rc -eq 0 ] && [ "$n" = 300 ] && grep -qE "^300 built, 0 failed, 0 interrupted, 0 not run, of 300;" "$t/many.err" &&
  ok "batch-300-lines: each built once" || bad "batch-300-lines: exit $rc, $n PDFs: $(tail -2 "$t/many.err")"
rm -rf "$t/many"
exit $status
