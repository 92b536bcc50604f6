#!/bin/sh
# Display-list goldens, in the style of mandoc's regress/: each case is a
# report definition beside what building it must give, exactly.
#
#   FEATURE/CASE.xml    the definition (CSV and images beside it, under
#                       FEATURE/data/); templates/ holds the house styles
#                       the cases name, and is not a feature
#   FEATURE/CASE.dump   standard output of
#                         scrutineer build CASE.xml -o OUT.pdf --dump \
#                           --allow-path ../templates
#                       run in FEATURE/ with SOURCE_DATE_EPOCH=1700000000
#                       (empty when the build fails); the format is in
#                       tests/regress/README
#   FEATURE/CASE.diag   standard error of the same run, the output path
#                       written as OUT.pdf, then one last line "exit N"
#                       with the exit status
#   FEATURE/CASE.args   optional: more arguments (split on white space)
#
# Prints "ok   regress FEATURE/CASE" or "FAIL regress FEATURE/CASE" and a
# unified diff (expected, then actual) per failing case; exits 1 if any
# failed.
# With REGRESS_UPDATE=1 (make regress-update) the expected files are
# rewritten from what the build gives instead: review that diff before
# committing it, as you would code.
cd "$(dirname "$0")/../.." || exit 3
root=$(pwd)
bin=${SC_BIN:-./scrutineer}
case $bin in /*) ;; *) bin=$root/$bin ;; esac
out=$root/tests/out/regress
mkdir -p "$out"
status=0
for xml in tests/regress/*/*.xml; do
  dir=${xml%/*}
  feature=${dir##*/}
  [ "$feature" = templates ] && continue
  cs=$(basename "$xml" .xml)
  name=$feature/$cs
  tmp=$out/$feature-$cs
  args=
  [ -f "$dir/$cs.args" ] && args=$(cat "$dir/$cs.args")
  rm -f "$tmp.pdf"
  # shellcheck disable=SC2086  # args are split on purpose
  # The house styles in templates/ are outside each feature's folder:
  # allowed, as a council would allow its shared styles (path.h).
  (cd "$dir" && SOURCE_DATE_EPOCH=1700000000 exec "$bin" build "$cs.xml" \
    -o "$tmp.pdf" --dump --allow-path ../templates $args) > "$tmp.dump" 2> "$tmp.err"
  rc=$?
  { sed -e "s|$tmp.pdf|OUT.pdf|g" -e "s|$root/||g" "$tmp.err"; echo "exit $rc"; } > "$tmp.diag"
  if [ -n "$REGRESS_UPDATE" ]; then
    for k in dump diag; do
      cmp -s "$tmp.$k" "$dir/$cs.$k" || { cp "$tmp.$k" "$dir/$cs.$k"; echo "updated regress $name.$k"; }
    done
    continue
  fi
  bad=0
  for k in dump diag; do
    if [ ! -f "$dir/$cs.$k" ]; then
      bad=1; echo "no $dir/$cs.$k (make regress-update writes it)" > "$tmp.$k.diff"
    elif ! diff -u --label "expected $name.$k" --label "actual $name.$k" \
        "$dir/$cs.$k" "$tmp.$k" > "$tmp.$k.diff"; then
      bad=1
    else
      rm -f "$tmp.$k.diff"
    fi
  done
  if [ $bad = 0 ]; then
    echo "ok   regress $name"
  else
    status=1
    echo "FAIL regress $name"
    # A long diff is cut (REGRESS_DIFF_LINES, 60) so one moved page
    # does not bury the rest of make test; the whole of it stays in
    # tests/out/regress/.
    max=${REGRESS_DIFF_LINES:-60}
    cat "$tmp.dump.diff" "$tmp.diag.diff" 2>/dev/null > "$tmp.diff"
    head -n "$max" "$tmp.diff"
    lines=$(wc -l < "$tmp.diff")
    [ "$lines" -gt "$max" ] && echo "... $((lines - max)) more lines in ${tmp#$root/}.diff"
  fi
done
# Expected files without a definition are left over from a removed case.
for f in tests/regress/*/*.dump tests/regress/*/*.diag; do
  [ -e "$f" ] || continue
  [ -f "${f%.*}.xml" ] && continue
  status=1
  echo "FAIL regress ${f#tests/regress/}: no definition beside it; remove it"
done
exit $status
