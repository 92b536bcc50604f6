#!/bin/sh
# run-all.sh BUILD UNIT_BIN... — every test, one summary line at the end.
build=$1; shift
pass=0 fail=0
for t in "$@"; do
  if "$t" > "$build/$(basename "$t").log" 2>&1; then
    pass=$((pass + 1)); echo "ok   unit $(basename "$t")"
  else
    fail=$((fail + 1)); echo "FAIL unit $(basename "$t")"; cat "$build/$(basename "$t").log"
  fi
done
for s in tests/golden/run.sh tests/golden/charts.sh tests/errors/run.sh tests/hostile/run.sh tests/regress/run.sh; do
  out=$(sh "$s" 2>&1); rc=$?
  echo "$out" | grep -v '^ok ' || true
  p=$(echo "$out" | grep -c '^ok ') f=$(echo "$out" | grep -c '^FAIL ')
  pass=$((pass + p)); fail=$((fail + f))
  [ $rc -ne 0 ] && [ "$f" -eq 0 ] && { fail=$((fail + 1)); echo "FAIL $s exited $rc"; }
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
