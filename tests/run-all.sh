#!/bin/sh
# run-all.sh BUILD UNIT_BIN... — every test, one summary line at the end.
# FAIL_FAST=1 (for tests/mutants/run.sh): the quickest checks first, stop
# at the first failure and name it on a "first failure: ..." line.
build=$1; shift
pass=0 fail=0 skip=0
# One script a line, so that adding one does not touch the others; with
# FAIL_FAST the quick ones go first.
scripts="
    tests/golden/run.sh
    tests/golden/structure.sh
    tests/golden/objstm.sh
    tests/golden/pdfa.sh
    tests/golden/charts.sh
    tests/golden/pack.sh
    tests/golden/html.sh
    tests/golden/batch.sh
    tests/golden/yearend.sh
    tests/errors/run.sh
    tests/hostile/run.sh
    tests/hostile/definition.sh
    tests/hostile/data.sh
    tests/hostile/paths.sh
    tests/hostile/pack.sh
    tests/hostile/html.sh
    tests/hostile/batch.sh
    tests/regress/run.sh
    tests/docs/run.sh
    tests/watch/run.sh
"
[ -n "$FAIL_FAST" ] && scripts="
    tests/hostile/html.sh
    tests/golden/html.sh
    tests/golden/structure.sh
    tests/golden/objstm.sh
    tests/golden/pdfa.sh
    tests/errors/run.sh
    tests/docs/run.sh
    tests/hostile/batch.sh
    tests/golden/batch.sh
    tests/regress/run.sh
    tests/golden/run.sh
    tests/golden/charts.sh
    tests/golden/pack.sh
    tests/golden/yearend.sh
    tests/hostile/definition.sh
    tests/hostile/run.sh
    tests/hostile/data.sh
    tests/hostile/paths.sh
    tests/hostile/pack.sh
    tests/watch/run.sh
"
for t in "$@"; do
  if "$t" > "$build/$(basename "$t").log" 2>&1; then
    pass=$((pass + 1)); echo "ok   unit $(basename "$t")"
  else
    fail=$((fail + 1)); echo "FAIL unit $(basename "$t")"; cat "$build/$(basename "$t").log"
    if [ -n "$FAIL_FAST" ]; then
      # cmocka names the failing test: "[  FAILED  ] test_x".
      which=$(sed -n 's/^\[  FAILED  \] \([a-z_0-9]*\)$/\1/p' "$build/$(basename "$t").log" | head -1)
      echo "first failure: $(basename "$t")${which:+: $which}"; exit 1
    fi
  fi
done
for s in $scripts; do
  [ -f "$s" ] || { fail=$((fail + 1)); echo "FAIL $s is missing"; continue; }
  out=$(sh "$s" 2>&1); rc=$?
  echo "$out" | grep -v '^ok ' || true
  p=$(echo "$out" | grep -c '^ok ') f=$(echo "$out" | grep -c '^FAIL ')
  k=$(echo "$out" | grep -c '^skip ')
  pass=$((pass + p)); fail=$((fail + f)); skip=$((skip + k))
  [ $rc -ne 0 ] && [ "$f" -eq 0 ] && { fail=$((fail + 1)); echo "FAIL $s exited $rc"; }
  if [ -n "$FAIL_FAST" ] && { [ $rc -ne 0 ] || [ "$f" -gt 0 ]; }; then
    first=$(echo "$out" | grep -m1 '^FAIL ' | sed 's/^FAIL *//')
    echo "first failure: ${first:-$s exited $rc}"; exit 1
  fi
done
if [ "$skip" -gt 0 ]; then echo "$pass passed, $fail failed, $skip skipped"
else echo "$pass passed, $fail failed"; fi
[ "$fail" -eq 0 ]
