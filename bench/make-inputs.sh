#!/bin/sh
# make-inputs.sh OUTDIR — the benchmark inputs, deterministically:
#   w0/report.xml  a one-paragraph definition (the floor)
#   w1/report.xml  the seed 001 report (examples/blaby-2023)
#   w2/report.xml  its body 25 times in one definition (~250 pages)
#   p100, p1000/report.xml  its body 8 and 77 times, and
#   t100, t1000, t7000/report.xml  tables of 3,300, 33,000 and 5 × 45,000
#                  rows: memory against pages (~100 to ~6,800)
#   w3/report.xml  a 5,000-row, 6-column table
#   w4/report.xml  a 1,000,000-row police.uk export (~200 MB) aggregated
#   w4q/report.xml the same export, a table and a chart over two GROUP BY queries
#   w4r/report.xml 1,000,000 rows as police.uk writes them today, by fy()
#   w4i/report.xml a 572,000-row incident export, DD/MM/YYYY dates, by
#                  fy(), quarter() and open cases
#   w5/report.xml  an agenda pack: 12 reports (the examples, seed 001's
#                  three times) and 4 appendix PDFs of 100 pages (three
#                  tagged, one not; A4, A3 and landscape), ~270 pages
#   w6/batch.list  a batch of 200 definitions: seed 001 (W1) with each of
#                  its years, and the other seed examples, varied -D's
set -e
out=$1
top=$(cd "$(dirname "$0")/.." && pwd)
gen=${GEN_POLICE:-$top/build/gen_police}
mkdir -p "$out/w1" "$out/w2" "$out/w3" "$out/w4"

cp -r "$top/examples/blaby-2023/." "$out/w1/"

# W2: the body repeated; ids and refs dropped so each copy is valid.
# copies DIR N: the body N times (one copy is ~13 pages).
copies() {
  mkdir -p "$1"
  cp -r "$top/examples/blaby-2023/data" "$1/"
  src="$top/examples/blaby-2023/report.xml"
  awk '/<section|<appendix|<contacts/ && !body { body = 1 } body { print }' "$src" |
    sed -e '/<\/report>/d' -e 's/ id="[^"]*"//g' \
        -e 's/<ref to="[^"]*"\/>/this report/g' > "$1/body.tmp"
  awk '/<section|<appendix|<contacts/ { exit } { print }' "$src" > "$1/report.xml"
  # Appendices and contacts must come last: repeat only the sections.
  awk '/<appendix|<contacts/ { exit } { print }' "$1/body.tmp" > "$1/sections.tmp"
  i=0
  while [ $i -lt "$2" ]; do cat "$1/sections.tmp" >> "$1/report.xml"; i=$((i + 1)); done
  awk '/<appendix|<contacts/ { tail = 1 } tail { print }' "$1/body.tmp" >> "$1/report.xml"
  echo "</report>" >> "$1/report.xml"
  rm -f "$1/body.tmp" "$1/sections.tmp"
}
copies "$out/w2" 25
# Memory against pages (bench only): the body ~100 and ~1,000 pages;
# tables of 3,300, 33,000 and 5 × 45,000 rows, ~100, ~1,000 and ~6,800
# pages (a definition holds at most 16 MiB and a table 50,000 rows: a
# build's query results 64 MiB: near the most a build may print).
copies "$out/p100" 8
copies "$out/p1000" 77
rows_doc() {
  [ -f "$1/rows.csv" ] || sh "$top/bench/rows-table.sh" "$1" "$2" "$3"
}
rows_doc "$out/t100" 3300 1
rows_doc "$out/t1000" 33000 1
rows_doc "$out/t7000" 45000 5

# W3: 5,000 rows × 6 columns.
sh "$top/bench/rows-table.sh" "$out/w3" 5000 1 "Five thousand rows"

# W4: a million police.uk rows aggregated to month × type × district.
[ -f "$out/w4/street.csv" ] || "$gen" 1000000 2021-04 24 > "$out/w4/street.csv"
cat > "$out/w4/report.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<report version="1" template="default">
  <meta><title>A million rows</title></meta>
  <data>
    <csv id="street" href="street.csv"/>
    <query id="agg">
      SELECT substr("LSOA name", 1, length("LSOA name") - 5) AS district,
             "Crime type" AS type, count(*) AS crimes
        FROM street WHERE Month BETWEEN '2022-04' AND '2023-03'
       GROUP BY district, type ORDER BY district, crimes DESC
    </query>
  </data>
  <section title="Crime by type">
    <table data="agg" group-by="district" caption="Crimes in 2022/23">
      <column field="type"/><column field="crimes" format="#,##0"/>
    </table>
  </section>
</report>
XML

# W4q: the same export as the speed issue measured it: two GROUP BY
# queries, a table bound to one without <column>s and a chart of the
# other (before per-binding pruning both kept all twelve columns).
mkdir -p "$out/w4q"
ln -f "$out/w4/street.csv" "$out/w4q/street.csv" 2>/dev/null ||
  cp "$out/w4/street.csv" "$out/w4q/street.csv"
cat > "$out/w4q/report.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<report version="1" template="default">
  <meta><title>A million rows, two queries</title></meta>
  <data>
    <csv id="street" href="street.csv"/>
    <query id="by_type">
      SELECT "Crime type" AS type, count(*) AS crimes
        FROM street WHERE Month BETWEEN '2022-04' AND '2023-03'
       GROUP BY type ORDER BY crimes DESC
    </query>
    <query id="by_month">
      SELECT Month AS month, count(*) AS crimes
        FROM street GROUP BY Month ORDER BY Month
    </query>
  </data>
  <section title="Crime by type">
    <table data="by_type" caption="Crimes in 2022/23 by type"/>
    <chart type="line" data="by_month" x="month" series="crimes"
           caption="Crimes a month"/>
  </section>
</report>
XML

# W4r: police.uk's shape today (64-hex Crime IDs, a few quoted
# locations), read as a new user would: crimes by financial year and type.
mkdir -p "$out/w4r"
[ -f "$out/w4r/street.csv" ] || "$gen" --real 1000000 2021-04 24 > "$out/w4r/street.csv"
cat > "$out/w4r/report.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<report version="1" template="default">
  <meta><title>A million rows as police.uk writes them</title></meta>
  <data>
    <csv id="street" href="street.csv"/>
    <query id="by_year">
      SELECT fy(Month) AS year, "Crime type" AS type, count(*) AS crimes
        FROM street GROUP BY year, type ORDER BY year, crimes DESC
    </query>
  </data>
  <section title="Crime by year">
    <table data="by_year" group-by="year" caption="Crimes by type">
      <column field="type"/><column field="crimes" format="#,##0"/>
    </table>
  </section>
</report>
XML

# W4i: a council's incident export, 572,000 rows over five years, dates
# DD/MM/YYYY (converted at load), grouped by fy() and quarter().
mkdir -p "$out/w4i"
[ -f "$out/w4i/incidents.csv" ] || "$gen" --incidents 572000 2019 5 > "$out/w4i/incidents.csv"
cat > "$out/w4i/report.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<report version="1" template="default">
  <meta><title>Incidents over five years</title></meta>
  <data>
    <csv id="inc" href="incidents.csv"/>
    <query id="by_year">
      SELECT fy("Date reported") AS year, Category AS category,
             count(*) AS incidents
        FROM inc GROUP BY year, category ORDER BY year, incidents DESC
    </query>
    <query id="by_quarter">
      SELECT quarter("Date reported") AS quarter, count(*) AS incidents
        FROM inc WHERE "Date reported" >= '2022-04-01'
       GROUP BY quarter ORDER BY quarter
    </query>
    <query id="open">
      SELECT Ward AS ward, count(*) AS open
        FROM inc WHERE "Date closed" IS NULL
       GROUP BY ward ORDER BY open DESC
    </query>
  </data>
  <section title="Incidents">
    <table data="by_year" group-by="year" caption="Incidents by category">
      <column field="category"/><column field="incidents" format="#,##0"/>
    </table>
    <chart type="bar" data="by_quarter" x="quarter" series="incidents"
           caption="Incidents a quarter"/>
    <table data="open" caption="Open incidents by ward"/>
  </section>
</report>
XML

# W0: the floor, a one-paragraph definition (and `--version`, in run.sh).
mkdir -p "$out/w0"
cat > "$out/w0/report.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<report version="1" template="default">
  <meta><title>One paragraph</title></meta>
  <section title="Summary"><p>One paragraph, the least a build does.</p></section>
</report>
XML

# W5: an agenda pack. The reports are the examples, copied in; the
# appendices come from bench/gen_appendix.c.
app=${GEN_APPENDIX:-$top/build/gen_appendix}
mkdir -p "$out/w5/r" "$out/w5/a"
for e in blaby-2023 hinckley-blaby-2017 harborough-2014 herefordshire-2017 \
    minutes-2017 all-elements chart-gallery; do
  rm -rf "$out/w5/r/$e"; cp -r "$top/examples/$e" "$out/w5/r/$e"; rm -f "$out/w5/r/$e"/*.pdf
done
[ -f "$out/w5/a/plan.pdf" ] || "$app" "$out/w5/a/plan.pdf" 30 a4 tagged "Action plan"
[ -f "$out/w5/a/map.pdf" ] || "$app" "$out/w5/a/map.pdf" 30 a3-landscape tagged "Ward maps"
[ -f "$out/w5/a/funds.pdf" ] || "$app" "$out/w5/a/funds.pdf" 20 a4-landscape tagged "Funding"
[ -f "$out/w5/a/scan.pdf" ] || "$app" "$out/w5/a/scan.pdf" 20 a4 untagged "Scanned letters"
{
  echo '<pack version="1" template="blaby" lang="en-GB">'
  echo '<meeting><organisation>Blaby District Council</organisation>'
  echo '<committee>Benchmark Committee</committee><date>2023-12-13</date>'
  echo '<time>5.30 pm</time><venue>Council Chamber</venue></meeting>'
  echo '<item title="Apologies for absence"><text>To receive apologies.</text></item>'
  echo '<item report="r/minutes-2017/report.xml"/>'
  echo '<item report="r/blaby-2023/report.xml"><appendix title="Appendix 1" pdf="a/plan.pdf"/></item>'
  echo '<item report="r/hinckley-blaby-2017/report.xml"><appendix title="Appendix 2" pdf="a/map.pdf"/></item>'
  echo '<item report="r/harborough-2014/report.xml"/>'
  echo '<item report="r/herefordshire-2017/report.xml"><appendix title="Appendix 3" pdf="a/funds.pdf"/></item>'
  echo '<item report="r/all-elements/report.xml"/>'
  echo '<item report="r/chart-gallery/report.xml"/>'
  echo '<item report="r/blaby-2023/report.xml"><appendix title="Appendix 4" pdf="a/scan.pdf"/></item>'
  echo '<item report="r/hinckley-blaby-2017/report.xml"/>'
  echo '<item report="r/harborough-2014/report.xml"/>'
  echo '<item report="r/herefordshire-2017/report.xml"/>'
  echo '<item report="r/blaby-2023/report.xml"/>'
  echo '<item title="Date of the next meeting"><text>To be confirmed.</text></item>'
  echo '</pack>'
} > "$out/w5/report.xml"

# W6: a batch of 200: the W1 body for each year its data has, and the
# other seed examples, one output each.
mkdir -p "$out/w6/r"
for e in blaby-2023 all-elements harborough-2014 herefordshire-2017 \
    minutes-2017 hinckley-blaby-2017 chart-gallery; do
  rm -rf "$out/w6/r/$e"; cp -r "$top/examples/$e" "$out/w6/r/$e"; rm -f "$out/w6/r/$e"/*.pdf
done
i=0
: > "$out/w6/batch.list.tmp"
while [ $i -lt 200 ]; do
  n=$(printf %03d $i)
  case $((i % 8)) in
    # blaby-2023's committee date must be the one its data gives for
    # the year (data/meetings.csv)
    0|1|2) y=$((2022 + i % 2)); m=$( [ $y = 2022 ] && echo 2022-12-14 || echo 2023-12-13 )
       echo "r/blaby-2023/report.xml -D year=$y/$(( (y + 1) % 100 )) -D meeting=$m -o $n.pdf";;
    # all-elements' data has 2022/23 and 2023/24 only (its <expect>)
    3) echo "r/all-elements/report.xml -D year=2023/24 -o $n.pdf";;
    4) echo "r/harborough-2014/report.xml -o $n.pdf";;
    5) echo "r/herefordshire-2017/report.xml -o $n.pdf";;
    6) echo "r/minutes-2017/report.xml -o $n.pdf";;
    7) echo "r/$( [ $((i % 16)) = 7 ] && echo hinckley-blaby-2017 || echo chart-gallery )/report.xml -o $n.pdf";;
  esac >> "$out/w6/batch.list.tmp"
  i=$((i + 1))
done
mv "$out/w6/batch.list.tmp" "$out/w6/batch.list"
