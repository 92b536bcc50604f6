#!/bin/sh
# run.sh BIN INPUTS — times each workload 5 times (median wall time),
# measures peak memory (getrusage, via GNU time), output size and pages,
# and prints one table.
bin=$1 in=$2
runs=${RUNS:-5}
printf '%-4s %-44s %10s %10s %10s %6s\n' id workload "wall[ms]" "peak[MB]" "out[KB]" pages
# The floor: `--version` (process start, dynamic loading) first.
case " ${WORKLOADS:-w0} " in *" w0 "*)
  times=""
  i=0
  while [ $i -lt "$runs" ]; do
    s=$(date +%s%N); "$bin" --version >/dev/null; e=$(date +%s%N)
    times="$times $(( (e - s) / 1000000 ))"
    i=$((i + 1))
  done
  /usr/bin/time -f '%M' -o "$in/w0/time" "$bin" --version >/dev/null
  med=$(echo $times | tr ' ' '\n' | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
  printf '%-4s %-44s %10s %10.1f %10s %6s\n' "-" "scrutineer --version" "$med" "$(awk '{ print $1 / 1024 }' "$in/w0/time")" "-" "-"
;; esac
for w in ${WORKLOADS:-w0 w1 w2 w3 w4 w4q w4r w4i w5 mem w6}; do
  case $w in w6|mem) continue;; esac
  case $w in
    w0) what="one-paragraph definition (the floor)";;
    w1) what="seed 001 report (blaby-2023)";;
    w2) what="seed 001 body x25 in one definition";;
    w3) what="5,000-row, 6-column table";;
    w4) what="1,000,000-row police.uk CSV aggregated";;
    w4q) what="the same, a table and a chart over 2 queries";;
    w4r) what="1 M rows as police.uk writes them, by fy()";;
    w4i) what="572,000-row incident export, DD/MM/YYYY";;
    w5) what="agenda pack: 12 reports, 4 appendix PDFs";;
  esac
  times="" peak=0
  i=0
  while [ $i -lt "$runs" ]; do
    # wall time to the millisecond, of the program alone (GNU time's
    # %e has hundredths, and its own start would be counted)
    s=$(date +%s%N)
    "$bin" build "$in/$w/report.xml" -o "$in/$w/out.pdf" 2> "$in/$w/err" >/dev/null ||
      { echo "$w failed:"; cat "$in/$w/err"; exit 1; }
    e=$(date +%s%N)
    t=$(( (e - s) / 1000000 ))
    # peak memory (getrusage's maximum resident set), from a run of its own
    /usr/bin/time -f '%M' -o "$in/$w/time" "$bin" build "$in/$w/report.xml" \
      -o "$in/$w/out.pdf" 2>/dev/null >/dev/null
    m=$(cat "$in/$w/time")
    times="$times $t"; [ "$m" -gt "$peak" ] && peak=$m
    i=$((i + 1))
  done
  med=$(echo $times | tr ' ' '\n' | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
  size=$(( $(stat -c %s "$in/$w/out.pdf") / 1024 ))
  pages=$(pdfinfo "$in/$w/out.pdf" 2>/dev/null | awk '/^Pages:/ { print $2 }')
  printf '%-4s %-44s %10s %10.1f %10s %6s\n' "$w" "$what" "$med" "$(echo "$peak" | awk '{ print $1 / 1024 }')" "$size" "$pages"
  csv=""
  case $w in w4|w4q) csv=$in/w4/street.csv;; w4r) csv=$in/w4r/street.csv;;
    w4i) csv=$in/w4i/incidents.csv;; esac
  if [ -n "$csv" ]; then
    mb=$(( $(stat -c %s "$csv") / 1048576 ))
    echo "     ($w input: $mb MB; throughput $(awk -v mb="$mb" -v ms="$med" 'BEGIN { printf "%.0f", mb / (ms / 1000) }') MB/s)"
    # Where the time went, from one run's --timings notes: the load
    # (reading and parsing on one thread, storing on the other), the
    # queries, layout and writing.
    "$bin" build "$in/$w/report.xml" -o "$in/$w/out.pdf" --timings 2>&1 >/dev/null |
      awk '/timings: .*rows, .* MB in/ { sub(/.*timings: [^:]*: /, ""); print "     load: " $0 }
           /timings: data / { sub(/.*loading [^)]*\) [0-9.]* s, /, ""); print "     queries: " $0 }
           /timings: laying out/ { sub(/.*timings: /, ""); print "     " $0 }'
  fi
done

# Memory against pages: one build each, peak memory and pages (flat
# would be the same MB at every size).
case " ${WORKLOADS:-mem} " in *" mem "*)
  for w in p100 p1000 t100 t1000 t7000; do
    /usr/bin/time -f '%M' -o "$in/$w/time" "$bin" build "$in/$w/report.xml" \
      -o "$in/$w/out.pdf" 2> "$in/$w/err" >/dev/null ||
      { echo "$w failed:"; cat "$in/$w/err"; exit 1; }
    pages=$(pdfinfo "$in/$w/out.pdf" 2>/dev/null | awk '/^Pages:/ { print $2 }')
    awk -v w="$w" -v p="$pages" '{ printf "%-4s %-44s %10s %10.1f %10s %6s\n", "mem",
      w " (" (w ~ /^p/ ? "text" : "tables") ", " int($1 / p) " KB a page, fixed cost in)", "-", $1 / 1024, "-", p }' "$in/$w/time"
  done
;; esac

# W6: `scrutineer batch` of 200 definitions at -j1 and -j2 (3 runs each,
# the median): reports per second and the speed-up.
case " ${WORKLOADS:-w6} " in *" w6 "*)
  for j in 1 2; do
    times=""
    i=0
    while [ $i -lt "${W6_RUNS:-3}" ]; do
      rm -rf "$in/w6/out"
      s=$(date +%s%N)
      "$bin" batch "$in/w6/batch.list" -o "$in/w6/out" -j$j 2> "$in/w6/err" >/dev/null ||
        { echo "w6 -j$j failed:"; tail -20 "$in/w6/err"; exit 1; }
      e=$(date +%s%N)
      times="$times $(( (e - s) / 1000000 ))"
      i=$((i + 1))
    done
    med=$(echo $times | tr ' ' '\n' | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
    eval "w6_$j=$med"
    n=$(ls "$in/w6/out" | grep -c '\.pdf$')
    pages=$(grep -E '^[0-9]+ built' "$in/w6/err" >/dev/null && awk '$2 == "built" { p += $3 } END { print p }' "$in/w6/err")
    printf '%-4s %-44s %10s %10s %10s %6s\n' "w6" "batch of $n definitions, -j$j" "$med" "-" "-" "$pages"
  done
  awk -v a="$w6_1" -v b="$w6_2" 'BEGIN { printf "     (w6: %.1f reports/s at -j1, %.1f at -j2; speed-up %.2fx)\n", 200000 / a, 200000 / b, a / b }'
;; esac

# Watch mode's latency, save to renamed PDF, for every example
# (bench/watch.sh); WATCH=0 leaves it out.
[ "${WATCH:-1}" = 0 ] || sh "$(dirname "$0")/watch.sh" "$bin" "$in" || exit 1
