#!/bin/sh
# scrutineer batch (issue 13): the examples built with one broken
# definition among them (exit status, summary, messages grouped under
# their report, the broken one's old PDF byte for byte, the JSON field by
# field); -j1 and -j2 the same bytes, and the bytes `build` gives; a list
# file with its own -D and -o per line and the batch's -D reaching only
# the definitions that declare it; an output-name collision; --fail-fast;
# SIGTERM and SIGINT mid-batch; a folder searched; the progress line on a
# terminal. Prints "ok   golden batch ..." or "FAIL golden batch ...".
cd "$(dirname "$0")/../.." || exit 3
bin=${SC_BIN:-./scrutineer}
case "$bin" in /*) ;; *) bin=$(pwd)/$bin;; esac
t=tests/out/batch
rm -rf "$t"; mkdir -p "$t"
status=0
ok() { echo "ok   golden batch $1"; }
bad() { echo "FAIL golden batch $1"; status=1; }
export SOURCE_DATE_EPOCH=1700000000
sanitized=
grep -q __asan_init "$bin" 2>/dev/null && sanitized=1

# The inputs: five examples, and a definition that breaks later.
s=$t/src
mkdir -p "$s"
for e in all-elements blaby-2023 harborough-2014 minutes-2017; do
  cp -r examples/$e "$s/$e"; rm -f "$s/$e"/*.pdf
done
mkdir -p "$s/broken"
cat > "$s/broken/report.xml" <<'XML'
<report version="1"><meta><title>Broken later</title></meta>
<params><param name="year" default="2023/24"/></params>
<section title="S" id="s"><p>See <ref to="s"/> for <value param="year"/>.</p></section></report>
XML
out=$t/out
"$bin" batch "$s" -o "$out" -j2 > "$t/first.out" 2> "$t/first.err"; rc=$?
[ $rc -eq 0 ] && ok "the good batch: exit 0" || bad "the good batch: exit $rc: $(head -5 "$t/first.err")"
old=$(cksum < "$out/broken.pdf")
# Broken: a reference to an id that is not there, on line 3.
sed -i 's/<ref to="s"\/>/<ref to="nowhere"\/>/' "$s/broken/report.xml"
"$bin" batch "$s" -o "$out" -j2 --json "$t/run.json" > "$t/run.out" 2> "$t/run.err"; rc=$?
[ $rc -eq 1 ] && ok "one broken: exit 1" || bad "one broken: exit $rc, expected 1"
[ "$(cksum < "$out/broken.pdf")" = "$old" ] && ok "the broken one's old PDF kept byte for byte" ||
  bad "the broken one's PDF was replaced"
[ -s "$t/run.out" ] && bad "wrote to standard output" || ok "nothing on standard output"
ls -A "$out" | grep -q '^\.' && bad "a temporary file was left in $out" || ok "no temporary file left"
# The summary: a row per report, and the closing count.
grep -qE "^$s/broken/report.xml +FAILED +- +[0-9.]+ s +0 +1 +$out/broken.pdf \(not replaced\)$" "$t/run.err" &&
  ok "summary: the broken row" || bad "summary: no broken row in: $(cat "$t/run.err")"
grep -qE "^$s/blaby-2023/report.xml +built +13 +[0-9.]+ s +0 +0 +$out/blaby-2023.pdf$" "$t/run.err" &&
  ok "summary: a built row with its pages" || bad "summary: no blaby row in: $(cat "$t/run.err")"
grep -qE "^4 built, 1 failed, 0 interrupted, 0 not run, of 5; [0-9.]+ s on 2 threads$" "$t/run.err" &&
  ok "summary: the closing count" || bad "summary: no closing count in: $(tail -3 "$t/run.err")"
grep -qxE "report +status +pages +time +warnings +errors +output" "$t/run.err" &&
  ok "summary: the header" || bad "summary: no header"
# The broken one's message with its file and line, straight after its
# own line (grouped: no other report's line between).
grep -A1 -F "] FAILED $s/broken/report.xml (exit 1, 1 error); $out/broken.pdf is as it was" "$t/run.err" |
  tail -n +2 > "$t/grouped"
grep -qxF "$s/broken/report.xml:3: error: <ref to=\"nowhere\">: no element has id=\"nowhere\"; check the spelling" "$t/grouped" &&
  ok "the failure's message with file:line, under its report" ||
  bad "grouped message: got '$(cat "$t/grouped")' in: $(cat "$t/run.err")"
python3 - "$t/run.json" "$s" "$out" <<'PY' || status=1
import json, subprocess, sys
path, src, out = sys.argv[1:4]
bad = 0
def check(ok, what):
    global bad
    print(("ok   golden batch " if ok else "FAIL golden batch ") + "json: " + what)
    bad |= not ok
j = json.load(open(path, encoding="utf-8"))
check(j["version"] == 1 and j["exit"] == 1 and j["interrupted"] is None, "version, exit 1, not interrupted")
check(j["total"] == 5 and j["built"] == 4 and j["failed"] == 1 and j["not_run"] == 0, "counts 5/4/1/0")
check(j["threads"] == 2 and j["strict"] is True and j["defines"] == {}, "threads, strict, defines")
r = {x["definition"]: x for x in j["reports"]}
check(sorted(r) == sorted("%s/%s/report.xml" % (src, e) for e in
      ("all-elements", "blaby-2023", "broken", "harborough-2014", "minutes-2017")), "every definition, once")
b = r[src + "/broken/report.xml"]
check(b["status"] == "failed" and b["exit"] == 1 and b["pages"] == 0 and b["errors"] == 1
      and b["output"] == out + "/broken.pdf" and b["kind"] == "report", "the broken one's fields")
d = b["diagnostics"]
check(len(d) == 1 and d[0] == {"level": "error", "file": src + "/broken/report.xml", "line": 3,
      "message": '<ref to="nowhere">: no element has id="nowhere"; check the spelling'}, "its diagnostic")
g = r[src + "/blaby-2023/report.xml"]
pages = int([l.split()[1] for l in subprocess.run(["pdfinfo", g["output"]], capture_output=True,
        text=True).stdout.splitlines() if l.startswith("Pages:")][0])
check(g["status"] == "built" and g["exit"] == 0 and g["pages"] == pages == 13 and g["errors"] == 0
      and g["diagnostics"] == [] and g["seconds"] > 0 and g["list"] is None, "a built one's fields (pages as pdfinfo counts)")
sys.exit(bad)
PY

# -j1 and -j2: the same bytes, and the bytes build writes.
"$bin" batch "$s/all-elements" "$s/blaby-2023" "$s/harborough-2014" "$s/minutes-2017" \
  -o "$t/j1" -j1 > /dev/null 2> "$t/j1.err" || bad "-j1 failed: $(cat "$t/j1.err")"
"$bin" batch "$s/all-elements" "$s/blaby-2023" "$s/harborough-2014" "$s/minutes-2017" \
  -o "$t/j2" -j2 > /dev/null 2> "$t/j2.err" || bad "-j2 failed: $(cat "$t/j2.err")"
same=1
for f in all-elements blaby-2023 harborough-2014 minutes-2017; do
  cmp -s "$t/j1/$f.pdf" "$t/j2/$f.pdf" || { same=0; bad "-j1 and -j2 differ: $f.pdf"; }
done
[ $same = 1 ] && ok "-j1 and -j2 give the same bytes (4 reports)"
"$bin" build "$s/blaby-2023/report.xml" -o "$t/built.pdf" 2> /dev/null
cmp -s "$t/built.pdf" "$t/j2/blaby-2023.pdf" && ok "the bytes build gives" || bad "batch and build differ"

# A list: per-line -D and -o, comments, quotes, the batch's -D.
l=$t/list
mkdir -p "$l/yr" "$l/plain dir" "$l/pdfs"
cat > "$l/yr/report.xml" <<'XML'
<report version="1"><meta><title>Year</title></meta>
<params><param name="year" default="2023/24"/><param name="area" default="Blaby"/></params>
<section title="S"><p>Figures for <value param="year"/> in <value param="area"/>.</p></section></report>
XML
cat > "$l/plain dir/report.xml" <<'XML'
<report version="1"><meta><title>Plain</title></meta><section title="S"><p>No parameters.</p></section></report>
XML
printf '%s\n' '# year-end run' '' \
  'yr/report.xml -D year=2021/22 -o pdfs/yr-2021.pdf   # its own year' \
  '  yr/report.xml -o pdfs/yr-batch.pdf -D area=Hinckley' \
  '"plain dir/report.xml"' > "$l/year-end.list"
"$bin" batch "$l/year-end.list" -D year=2022/23 -j2 --json "$t/list.json" > /dev/null 2> "$t/list.err"; rc=$?
[ $rc -eq 0 ] && ok "list: exit 0" || bad "list: exit $rc: $(cat "$t/list.err")"
txt() { pdftotext "$1" - 2>/dev/null | tr -s ' \n' ' '; }
case $(txt "$l/pdfs/yr-2021.pdf") in *"Figures for 2021/22 in Blaby."*) ok "list: the line's -D wins over the batch's";;
  *) bad "list: yr-2021.pdf says: $(txt "$l/pdfs/yr-2021.pdf")";; esac
case $(txt "$l/pdfs/yr-batch.pdf") in *"Figures for 2022/23 in Hinckley."*) ok "list: the batch's -D and the line's own";;
  *) bad "list: yr-batch.pdf says: $(txt "$l/pdfs/yr-batch.pdf")";; esac
[ -f "$l/plain dir/report.pdf" ] && ok "list: without -o, beside the definition; the batch's -D ignored where undeclared" ||
  bad "list: no $l/plain dir/report.pdf"
python3 - "$t/list.json" "$l" <<'PY' || status=1
import json, sys
j = json.load(open(sys.argv[1], encoding="utf-8")); l = sys.argv[2]
r = j["reports"]
ok = (j["defines"] == {"year": "2022/23"} and [x["line"] for x in r] == [3, 4, 5]
      and all(x["list"] == l + "/year-end.list" for x in r)
      and r[0]["defines"] == {"year": "2021/22"} and r[1]["defines"] == {"area": "Hinckley"}
      and r[0]["output"] == l + "/pdfs/yr-2021.pdf" and r[2]["output"] == l + "/plain dir/report.pdf")
print(("ok  " if ok else "FAIL") + " golden batch json: a list's lines, defines and outputs")
sys.exit(not ok)
PY
# A batch -D that no definition declares: a typing error, loud.
"$bin" batch "$l/year-end.list" -D yaer=2022/23 > /dev/null 2> "$t/typo.err"; rc=$?
[ $rc -eq 1 ] && grep -qxF 'scrutineer: batch: error: -D yaer: no definition of the batch has <param name="yaer">; check the name' "$t/typo.err" &&
  ok "a -D no definition declares: exit 1 and said" || bad "-D yaer: exit $rc: $(grep -i yaer "$t/typo.err")"

# Two definitions, one output: refused before anything is built.
mkdir -p "$t/clash/a" "$t/clash/x/a"
cp "$l/plain dir/report.xml" "$t/clash/a/report.xml"
cp "$l/plain dir/report.xml" "$t/clash/x/a/report.xml"
"$bin" batch "$t/clash" -o "$t/clash-out" > /dev/null 2> "$t/clash.err"; rc=$?
[ $rc -eq 1 ] && grep -qxF "$t/clash/x/a/report.xml: error: \"$t/clash/x/a/report.xml\" would write $t/clash-out/a.pdf, as \"$t/clash/a/report.xml\" ($t/clash/a/report.xml) does; give one of them its own -o in a list" "$t/clash.err" &&
  grep -qxF "scrutineer: batch: nothing was built; correct the above first" "$t/clash.err" &&
  [ -z "$(ls -A "$t/clash-out")" ] && ok "an output collision: exit 1, said, nothing built" ||
  bad "collision: exit $rc: $(cat "$t/clash.err"); out: $(ls -A "$t/clash-out")"

# --fail-fast: one at a time, the broken one first; nothing after it.
printf '%s\n' broken/report.xml blaby-2023/report.xml minutes-2017/report.xml > "$s/ff.list"
rm -rf "$t/ff"
"$bin" batch "$s/ff.list" -o "$t/ff" -j1 --fail-fast --json "$t/ff.json" > /dev/null 2> "$t/ff.err"; rc=$?
[ $rc -eq 1 ] && grep -qE "^0 built, 1 failed, 0 interrupted, 2 not run, of 3;" "$t/ff.err" &&
  grep -qxF "scrutineer: batch: --fail-fast: $s/broken/report.xml failed; starting nothing more" "$t/ff.err" &&
  [ -z "$(ls -A "$t/ff")" ] && ok "--fail-fast: exit 1, the rest not run" ||
  bad "--fail-fast: exit $rc: $(cat "$t/ff.err")"
python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
ok = j["not_run"] == 2 and [r["status"] for r in j["reports"]] == ["failed", "not run", "not run"] and j["reports"][1]["exit"] is None
print(("ok  " if ok else "FAIL") + " golden batch json: --fail-fast not run")
sys.exit(not ok)' "$t/ff.json" || status=1

# Names with quotes, backslashes and a tab: valid JSON, the same name.
odd="$t/odd/we\"ird\\na	me"
mkdir -p "$odd"
cp "$l/plain dir/report.xml" "$odd/report.xml"
"$bin" batch "$t/odd" --json "$t/odd.json" > /dev/null 2> "$t/odd.err"; rc=$?
python3 -c '
import json, sys
try:
    j = json.load(open(sys.argv[1], encoding="utf-8"))
    ok = j["reports"][0]["definition"] == sys.argv[2] + "/report.xml" and j["reports"][0]["output"] == sys.argv[2] + "/report.pdf"
except Exception as e:
    ok = False
print(("ok  " if ok else "FAIL") + " golden batch json: quotes, backslashes and tabs escaped")
sys.exit(not ok)' "$t/odd.json" "$odd" || status=1

# A folder searched: report.xml and *.xml with a <report> or <pack> root;
# templates, data XML, hidden folders and links to folders passed over.
f=$t/find
mkdir -p "$f/one" "$f/two/deeper" "$f/.hidden" "$f/data"
cp "$l/plain dir/report.xml" "$f/one/report.xml"
cp "$l/plain dir/report.xml" "$f/two/deeper/annual.xml"
cp "$l/plain dir/report.xml" "$f/.hidden/report.xml"
cp templates/default.xml "$f/one/house.xml"
printf '<?xml version="1.0"?>\n<!-- <report> -->\n<rows><row/></rows>\n' > "$f/data/rows.xml"
ln -s ../one "$f/two/link"
"$bin" batch "$f" -o "$t/find-out" > /dev/null 2> "$t/find.err"; rc=$?
found=$(ls "$t/find-out" | tr '\n' ' ')
[ $rc -eq 0 ] && [ "$found" = "annual.pdf one.pdf " ] && ok "a folder searched: two definitions found, the rest passed over" ||
  bad "folder search: exit $rc, built: $found; $(cat "$t/find.err")"
mkdir -p "$t/empty"
"$bin" batch "$t/empty" > /dev/null 2> "$t/empty.err"; rc=$?
[ $rc -eq 1 ] && grep -qxF "$t/empty: error: no report or pack definitions in this folder (report.xml, or *.xml whose root is <report> or <pack>)" "$t/empty.err" &&
  ok "an empty folder: exit 1, said" || bad "empty folder: exit $rc: $(cat "$t/empty.err")"

# Interrupted: SIGTERM (then SIGINT) while the builds run. Finished PDFs
# are whole, nothing temporary is left, the exit status says which.
g=$t/sig
mkdir -p "$g"
cp -r examples/police-uk "$g/police"; rm -f "$g/police"/*.pdf
i=0; : > "$g/many.list"
while [ $i -lt 40 ]; do echo "police/report.xml -o p$i.pdf" >> "$g/many.list"; i=$((i + 1)); done
for sig in TERM INT; do
  rm -f "$g"/p*.pdf
  "$bin" batch "$g/many.list" -j2 --json "$g/$sig.json" > /dev/null 2> "$g/$sig.err" &
  pid=$!
  # after the first PDF (or 2 s)
  w=0; while [ $w -lt 40 ] && ! ls "$g"/p*.pdf > /dev/null 2>&1; do sleep 0.05; w=$((w + 1)); done
  kill -$sig $pid; wait $pid; rc=$?
  want=143; [ $sig = INT ] && want=130
  n=$(ls "$g"/p*.pdf 2> /dev/null | wc -l)
  valid=1
  for p in "$g"/p*.pdf; do [ -f "$p" ] && { pdfinfo "$p" > /dev/null 2>&1 || valid=0; }; done
  if [ $rc -eq $want ] && [ $n -ge 1 ] && [ $n -lt 40 ] && [ $valid = 1 ] &&
     ! ls -A "$g" | grep -q '^\.' &&
     grep -qE "^scrutineer: batch: SIG$sig: stopping the [0-9]+ builds? in flight; nothing more is started$" "$g/$sig.err" &&
     grep -qE "^$n built, 0 failed, [1-9][0-9]* interrupted, [0-9]+ not run, of 40; .*; interrupted by SIG$sig$" "$g/$sig.err" &&
     python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); sys.exit(not (j["interrupted"]==sys.argv[2] and j["exit"]==int(sys.argv[3]) and j["built"]==int(sys.argv[4])))' \
       "$g/$sig.json" SIG$sig $want $n; then
    ok "SIG$sig mid-batch: exit $want, $n whole PDFs kept, no temporary file, the summary says so"
  else
    bad "SIG$sig: exit $rc (want $want), $n PDFs, valid=$valid, left: $(ls -A "$g" | grep '^\.'); $(tail -4 "$g/$sig.err")"
  fi
done

# On a terminal: the progress line, redrawn in place.
python3 - "$bin" "$s" <<'PY' || status=1
import os, pty, sys, select
bin, s = sys.argv[1:3]
pid, fd = pty.fork()
if pid == 0:
    os.execv(bin, [bin, "batch", s + "/all-elements", s + "/minutes-2017", "-o", s + "/../tty", "-j1"])
out = b""
while True:
    try:
        r, _, _ = select.select([fd], [], [], 30)
        if not r: break
        d = os.read(fd, 4096)
    except OSError:
        break
    if not d: break
    out += d
_, st = os.waitpid(pid, 0)
t = out.decode("utf-8", "replace")
ok = (os.waitstatus_to_exitcode(st) == 0 and "\r\x1b[Kbatch: 0/2 done, 0 failed, 0:00 - building " in t
      and "\r\x1b[Kbatch: 2/2 done, 0 failed" in t and "[1/2] built" not in t and "2 built, 0 failed" in t)
print(("ok  " if ok else "FAIL") + " golden batch on a terminal: the progress line, no line per report"
      + ("" if ok else ": " + repr(t[:600])))
sys.exit(not ok)
PY
exit $status
