#!/bin/sh
# Error-path tests: each NAME.expect here is one mistake a report author
# (or an attacker) can make, and says how scrutineer must fail.
#
#   NAME.xml      the broken definition; a comment at its top says what is
#                 wrong with it
#   NAME.expect   line 1: the exit code; every further non-empty line: a
#                 line that must appear verbatim in stderr
#   NAME.args     optional: extra arguments, appended to the command
#   NAME.argv     optional: the whole argument list, replacing the command
#                 (an empty file means no arguments at all)
#   pack-NAME.xml a pack definition: the command is scrutineer pack, and a
#                 failed one is run again over a good PDF, which must stay
#   NAME.missing  marker: tests/errors/NAME.xml deliberately does not exist
#   NAME.text     optional, for a case expected to succeed (exit 0): every
#                 non-empty line must appear in the PDF's text (pdftotext;
#                 the check is skipped when pdftotext is not installed)
#
# Arguments in .args/.argv are split on white space (no quoting).
# The command is
#   ./scrutineer build tests/errors/NAME.xml -o tests/out/errors/NAME.pdf [ARGS]
# run with SOURCE_DATE_EPOCH unset. A case passes when
#   - the exit code is the expected one,
#   - every expected line is in stderr (grep -Fx),
#   - stderr has no other "...: error: ..." line (one mistake, one message:
#     no noise, no duplicates; set ERRORS_LAX=1 to skip this check),
#   - no output was left behind: no tests/out/errors/NAME.pdf (unless the
#     expected exit code is 0: then it must have been written), no temporary
#     tests/out/errors/.NAME.pdf.*, nothing else new in tests/out/errors/
#     and no PDF written next to the definitions.
# A further check builds a broken definition over an existing PDF: a failed
# build must never replace a good one.
#
# Prints "ok   errors NAME" or "FAIL errors NAME: reason" per case; exits 1
# if any failed.
cd "$(dirname "$0")/../.." || exit 3
unset SOURCE_DATE_EPOCH
dir=tests/errors
out=tests/out/errors
log=$out/log
status=0

bin=${SC_BIN:-./scrutineer}
if [ ! -x "$bin" ]; then
  echo "FAIL errors (setup): $bin is not built (make scrutineer)"
  exit 1
fi
rm -rf "$out"
mkdir -p "$log" || exit 3

# Runs scrutineer with the given arguments; stderr to $1, exit code in $rc.
run() {
  errf=$1; shift
  if command -v timeout > /dev/null 2>&1; then
    timeout 60 "$bin" "$@" > /dev/null 2> "$errf"; rc=$?
  else
    "$bin" "$@" > /dev/null 2> "$errf"; rc=$?
  fi
}

first_line() {
  l=$(sed -n '1p' "$1")
  [ -n "$l" ] && echo "$l" || echo "(empty)"
}

# Anything in $out other than log/ and keep.pdf, or a PDF in $dir, is a
# leftover; it is listed, then removed so the next case starts clean.
leftovers() {
  found=$( (ls -A "$out"; ls -A "$dir" | sed -n 's/\.pdf$/.pdf/p' |
    sed "s|^|$dir/|") | grep -v -x -e log -e keep.pdf | tr '\n' ' ')
  for f in $found; do
    case $f in
      "$dir"/*) rm -f "$f" ;;
      *) rm -rf "${out:?}/$f" ;;
    esac
  done
  echo "$found" | sed 's/ *$//'
}

# A failed build never replaces a good PDF.
printf '%%PDF-1.4\n%% an earlier, good build: keep me\n' > "$out/keep.pdf"
cp "$out/keep.pdf" "$log/keep.orig"
run "$log/keep.err" build "$dir/unclosed-tag.xml" -o "$out/keep.pdf"
if [ "$rc" -eq 0 ]; then
  echo "FAIL errors keep-good-pdf: build of unclosed-tag.xml succeeded"; status=1
elif ! cmp -s "$out/keep.pdf" "$log/keep.orig"; then
  echo "FAIL errors keep-good-pdf: a failed build replaced or removed $out/keep.pdf (exit $rc; stderr: $(first_line "$log/keep.err"))"
  status=1
elif ls -A "$out" | grep -q '^\.keep\.pdf\.'; then
  echo "FAIL errors keep-good-pdf: temporary file left: $(ls -A "$out" | grep '^\.keep\.pdf\.' | head -1)"
  status=1
else
  echo "ok   errors keep-good-pdf"
fi
rm -f "$out"/.keep.pdf.*
leftovers > /dev/null

for exp in "$dir"/*.expect; do
  name=$(basename "$exp" .expect)
  def=$dir/$name.xml
  pdf=$out/$name.pdf
  err=$log/$name.err
  want=$log/$name.want
  rm -f "$pdf" "$out/.$name.pdf".*
  if [ -f "$dir/$name.missing" ] && [ -e "$def" ]; then
    echo "FAIL errors $name: $def must not exist (there is a $name.missing marker)"
    status=1; continue
  fi
  set -f
  if [ -f "$dir/$name.argv" ]; then
    # shellcheck disable=SC2046
    set -- $(cat "$dir/$name.argv")
  else
    # shellcheck disable=SC2046
    # pack-NAME: a pack definition, run as scrutineer pack.
    cmd=build; case $name in pack-*) cmd=pack;; esac
    set -- $cmd "$def" -o "$pdf" $( [ -f "$dir/$name.args" ] && cat "$dir/$name.args")
  fi
  set +f
  run "$err" "$@"
  code=$(sed -n '1p' "$exp")
  sed '1d; /^$/d' "$exp" > "$want"
  why=
  [ "$rc" = "$code" ] || why="exit $rc, expected $code"
  while IFS= read -r line; do
    if ! grep -F -x -q -e "$line" "$err"; then
      why="${why:+$why | }missing: $line"
    fi
  done < "$want"
  if [ -z "$ERRORS_LAX" ] && [ -s "$want" ]; then
    extra=$(grep -e ': error: ' "$err" | grep -F -x -v -f "$want" | head -1)
    n=$(grep -e ': error: ' "$err" | grep -F -x -c -v -f "$want")
    if [ -n "$extra" ]; then
      more=
      [ "$n" -gt 1 ] && more=" (and $((n - 1)) more)"
      why="${why:+$why | }unexpected: $extra$more"
    fi
  fi
  if [ "$code" = 0 ]; then
    if [ ! -s "$pdf" ]; then
      why="${why:+$why | }no output written: $pdf"
    elif [ -f "$dir/$name.text" ] && command -v pdftotext > /dev/null 2>&1; then
      pdftotext "$pdf" "$log/$name.txt" 2> /dev/null
      while IFS= read -r line; do
        [ -z "$line" ] && continue
        grep -F -q -e "$line" "$log/$name.txt" ||
          why="${why:+$why | }not in the PDF's text: $line"
      done < "$dir/$name.text"
    fi
  elif [ -e "$pdf" ]; then
    why="${why:+$why | }output written: $pdf"
  fi
  # A failed pack never replaces a good PDF at -o either.
  if [ "$code" != 0 ] && [ "$cmd" = pack ] && [ ! -f "$dir/$name.argv" ]; then
    shift 4; run "$log/$name.keep.err" pack "$def" -o "$out/keep.pdf" "$@"
    [ "$rc" = "$code" ] || why="${why:+$why | }over a good PDF: exit $rc, expected $code"
    cmp -s "$out/keep.pdf" "$log/keep.orig" || why="${why:+$why | }a good PDF at -o was replaced (exit $rc)"
    cp "$log/keep.orig" "$out/keep.pdf"; rm -f "$out"/.keep.pdf.*
  fi
  tmp=$(ls -A "$out" | grep -F ".$name.pdf." | head -1)
  [ -n "$tmp" ] && why="${why:+$why | }temporary file left: $out/$tmp"
  rm -f "$pdf" "$out/.$name.pdf".*
  left=$(leftovers)
  [ -n "$left" ] && why="${why:+$why | }files left: $left"
  if [ -n "$why" ]; then
    echo "FAIL errors $name: $why; stderr: $(first_line "$err")"
    status=1
  else
    echo "ok   errors $name"
  fi
done
exit $status
