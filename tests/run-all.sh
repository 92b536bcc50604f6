#!/bin/sh
# run-all.sh BUILD UNIT_BIN... — every test, one summary line at the end.
build=$1; shift
pass=0 fail=0 skip=0
for t in "$@"; do
  if "$t" > "$build/$(basename "$t").log" 2>&1; then
    pass=$((pass + 1)); echo "ok   unit $(basename "$t")"
  else
    fail=$((fail + 1)); echo "FAIL unit $(basename "$t")"; cat "$build/$(basename "$t").log"
  fi
done
# One script a line, so that adding one does not touch the others.
for s in \
    tests/golden/run.sh \
    tests/golden/charts.sh \
    tests/errors/run.sh \
    tests/hostile/run.sh \
    tests/hostile/definition.sh \
    tests/hostile/data.sh \
    tests/hostile/paths.sh \
    tests/regress/run.sh \
    ; do
  out=$(sh "$s" 2>&1); rc=$?
  echo "$out" | grep -v '^ok ' || true
  p=$(echo "$out" | grep -c '^ok ') f=$(echo "$out" | grep -c '^FAIL ')
  k=$(echo "$out" | grep -c '^skip ')
  pass=$((pass + p)); fail=$((fail + f)); skip=$((skip + k))
  [ $rc -ne 0 ] && [ "$f" -eq 0 ] && { fail=$((fail + 1)); echo "FAIL $s exited $rc"; }
done
if [ "$skip" -gt 0 ]; then echo "$pass passed, $fail failed, $skip skipped"
else echo "$pass passed, $fail failed"; fi
[ "$fail" -eq 0 ]
