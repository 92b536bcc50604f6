#!/bin/sh
# rows-table.sh DIR ROWS [PARTS [TITLE]] — a definition of one long
# table (DIR/report.xml) over DIR/rows.csv: ROWS rows × 6 columns, the
# same bytes for the same arguments. With PARTS > 1 the file has a
# "part" column first and the definition PARTS tables of ROWS rows each
# (a table holds at most 50,000). Used by bench/make-inputs.sh (W3 and
# the memory rows) and tests/golden/objstm.sh.
dir=$1 rows=$2 parts=${3:-1} title=${4:-Rows}
mkdir -p "$dir" || exit 1
awk -v n="$rows" -v parts="$parts" 'BEGIN {
  printf "%s", (parts > 1 ? "part," : "");
  print "ward,measure,2021/22,2022/23,change,status";
  for (i = 1; i <= n * parts; i++) {
    if (parts > 1)
      printf "%d,Ward %06d,", (i - 1) % parts + 1, i;
    else
      printf "Ward %04d,", i;
    printf "Measure %d,%d,%d,%.1f%%,%s\n", i % 37,
      100 + (i * 7919) % 900, 100 + (i * 104729) % 900,
      ((i * 31) % 200 - 100) / 10.0, substr("RAG", i % 3 + 1, 1);
  }
}' > "$dir/rows.csv" || exit 1
{
  echo '<?xml version="1.0" encoding="UTF-8"?>'
  echo '<report version="1" template="default">'
  echo "  <meta><title>$title</title></meta>"
  echo '  <data><csv id="rows" href="rows.csv"/></data>'
  echo '  <section title="All wards">'
  p=1
  while [ $p -le "$parts" ]; do
    if [ "$parts" -gt 1 ]; then
      echo "    <table data=\"rows\" where=\"part = $p\" caption=\"Part $p\">"
    else
      echo '    <table data="rows" caption="Every ward">'
    fi
    echo '      <column field="ward"/><column field="measure"/>'
    echo '      <column field="2021/22"/><column field="2022/23"/>'
    echo '      <column field="change"/><column field="status" colour="rag"/>'
    echo '    </table>'
    p=$((p + 1))
  done
  echo '  </section>'
  echo '</report>'
} > "$dir/report.xml"
