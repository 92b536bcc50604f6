#!/bin/sh
# run.sh FAULT_RUN — out-of-memory fault injection over three small builds:
# one of data (a CSV, a query, tables, a chart, a value), one of prose
# (every prose element, lists nested), and a small agenda pack (front
# sheet, a typed item, that report, an exempt notice). For each, every allocation in turn
# is made to fail (tests/faults/driver.c says what passes).
run=${1:-build-faults/fault-run}
out=$(dirname "$run")/faults
mkdir -p "$out"
fail=0
for def in tests/faults/table-chart.xml examples/all-elements/report.xml \
    tests/faults/pack.xml; do
  name=$(basename "$(dirname "$def")")-$(basename "$def" .xml)
  "$run" -j 2 -- build "$def" -o "$out/$name.pdf" || fail=1
done
exit $fail
