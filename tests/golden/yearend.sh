#!/bin/sh
# The year-end run (issue 13): examples/year-end.list rebuilds the two
# annual reviews for the year before through `scrutineer batch`. Every
# year the reports print must follow -D year= (front sheet, running
# head, PDF Title, column headers, captions), and each figure must be
# the one the same year has in this year's report: a column printed
# under the wrong year, or a figure from the wrong year, fails here.
# Then the loud failures: the meeting date left out, a year outside the
# data. Prints "ok   golden yearend ..." or "FAIL golden yearend ...".
cd "$(dirname "$0")/../.." || exit 3
bin=${SC_BIN:-./scrutineer}
case "$bin" in /*) ;; *) bin=$(pwd)/$bin;; esac
t=tests/out/yearend
rm -rf "$t"; mkdir -p "$t"
status=0
ok() { echo "ok   golden yearend $1"; }
bad() { echo "FAIL golden yearend $1"; status=1; }
export SOURCE_DATE_EPOCH=1700000000
text() { pdftotext -layout -enc UTF-8 "$1" - 2>/dev/null | tr -d '\f' | sed 's/  */ /g; s/^ //; s/ $//'; }
has() { # has FILE LINE WHAT: LINE is one whole line of FILE
  grep -qxF -- "$2" "$1" && ok "$3" || bad "$3: no line \"$2\""
}

"$bin" batch examples/year-end.list -o "$t/out" --json "$t/run.json" \
  > "$t/run.out" 2> "$t/run.err"; rc=$?
[ $rc -eq 0 ] && ok "the year-end batch: exit 0" || bad "the year-end batch: exit $rc: $(head -5 "$t/run.err")"
grep -qE "^2 built, 0 failed, 0 interrupted, 0 not run, of 2; " "$t/run.err" &&
  ok "both reports built" || bad "summary: $(tail -2 "$t/run.err")"
for r in blaby-2022 harborough-2013; do
  [ -s "$t/out/$r.pdf" ] || bad "$r.pdf not written"
done
"$bin" build examples/blaby-2023/report.xml -o "$t/blaby-2023.pdf" 2> /dev/null
"$bin" build examples/harborough-2014/report.xml -o "$t/harborough-2014.pdf" 2> /dev/null
for r in blaby-2022 harborough-2013 blaby-2023 harborough-2014; do
  p=$t/out/$r.pdf; [ -f "$p" ] || p=$t/$r.pdf
  text "$p" > "$t/$r.txt"
done

# ---- blaby: the financial year 2022/23, for the meeting of 14 December 2022
b=$t/blaby-2022.txt
title=$(pdfinfo "$t/out/blaby-2022.pdf" 2>/dev/null | sed -n 's/^Title: *//p')
[ "$title" = "Blaby and Hinckley & Bosworth Joint Scrutiny 2022" ] &&
  ok "blaby: PDF Title follows the year" || bad "blaby: PDF Title is \"$title\""
has "$b" "Date of Meeting 14 December 2022" "blaby: front sheet's meeting date"
has "$b" "Title of Report Blaby and Hinckley & Bosworth Joint Scrutiny 2022" "blaby: front sheet's title"
n=$(grep -cxF "Blaby and Hinckley & Bosworth Joint Scrutiny 2022" "$b")
[ "$n" -ge 12 ] && ok "blaby: the running head on every page after the first ($n)" ||
  bad "blaby: the running head is on $n pages, expected 12"
grep -c "Joint Scrutiny 2023" "$b" | grep -qx 0 && ok "blaby: no head or title says 2023" ||
  bad "blaby: \"Joint Scrutiny 2023\" is still printed"
n=$(grep -cxF "Time Period 2017/18 2018/19 2019/20 2020/21 2021/22 5 year 2021 2022 Yr to" "$b")
[ "$n" -eq 2 ] && ok "blaby: both crime tables' years roll (2017/18 to 2021/22, 2021 and 2022 to date)" ||
  bad "blaby: the crime tables' header row with the rolled years is there $n times, expected 2"
has "$b" "Fig 4 LLFRs key performance indicators for Hinckley and Bosworth 2021/22" "blaby: a tile caption's year"
has "$b" "Fig 6 – Community Safety outputs in 2021/22" "blaby: the outputs caption's year"
# Its header cells wrap: "April 21 -" over "Sept 21" (never a dash
# starting a line).
grep -A1 -xF -- "April 21 - April 22 -" "$b" | grep -qxF "Sept 21 Sept 22" &&
grep -qxF "Victims/ Survivors supported (outreach service) 84 92" "$b" &&
  ok "blaby: the domestic abuse table's periods and figures roll" ||
  bad "blaby: no \"April 21 - Sept 21 | April 22 - Sept 22\" table with 84 and 92"

# The crime rows: each year's figure is the one this year's report
# prints for that year. Numbers of a row in order: the five years, then
# the two years to date (the trend words are not numbers).
rows() { grep -E ' (up|down|level) ' "$1" | awk '{
  s = ""; k = 0; for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+$/) { s = s " " $i; k++ }
  if (k == 7) print s }'; }
rows "$t/blaby-2023.txt" > "$t/crime-2023"
rows "$b" > "$t/crime-2022"
n=$(wc -l < "$t/crime-2022")
if [ "$n" -eq 16 ] && [ "$(wc -l < "$t/crime-2023")" -eq 16 ]; then
  ok "blaby: 16 crime rows in each year"
  # 2022's columns 2-5 are 2023's 1-4 (2018/19 to 2021/22); 2022's
  # second year to date is 2023's first (2022 to date).
  if paste -d'|' "$t/crime-2022" "$t/crime-2023" | awk -F'|' '{
      split($1, a, " "); split($2, b, " ")
      for (i = 2; i <= 5; i++) if (a[i] != b[i - 1]) { print NR ": " $0; exit 1 }
      if (a[7] != b[6]) { print NR ": " $0; exit 1 } }' > "$t/crime.diff"; then
    ok "blaby: every crime figure is the same year's figure as in the 2023 report"
  else bad "blaby: a figure under the wrong year: $(cat "$t/crime.diff")"; fi
else bad "blaby: $n crime rows rolled, expected 16"; fi

# ---- harborough: the year 2012/13, reviewed on 16 May 2013
h=$t/harborough-2013.txt
has "$h" "MEETING OF 16th May 2013" "harborough: the meeting date"
grep -qF "Source: Leicestershire Police recorded crime and user satisfaction survey, 2011/12 and 2012/13" "$h" &&
  ok "harborough: the table's source years" || bad "harborough: the source does not say 2011/12 and 2012/13"
has "$h" "User Satisfaction 85% 86% This is 1% over target" "harborough: 2012/13's satisfaction rate in its own format"
has "$h" "Figure 3. Harborough District CSP Performance against targets" "harborough: the table's caption, as the paper's"
grep -qF "1st April 2012 –" "$h" &&
  ok "harborough: the table's dates" || bad "harborough: the source note does not say 1st April 2012"
has "$h" "2007/08 2008/09 2009/10 2010/11 2011/12 2012/13" "harborough: the six-year chart's years"
has "$h" "Crimes per 1,000 people, 2012/13" "harborough: the chart's axis title"
has "$h" "Domestic Burglary -10% 153 -18 -10.5%" "harborough: 2012/13's figures and target"
# 2012/13's Current is 2013/14's Current less its Difference.
perf() { grep -E "^(Total Crime|Domestic Burglary|Criminal Damage) " "$1" | awk '{
  for (i = 1; i <= NF; i++) if ($i ~ /^[0-9,]+$/) { gsub(",", "", $i); c = $i; d = $(i + 1); break }
  sub(/^\+/, "", d); print c, d }'; }
perf "$t/harborough-2014.txt" | awk '{ print $1 - $2 }' > "$t/perf-want"
perf "$h" | awk '{ print $1 }' > "$t/perf-got"
[ "$(wc -l < "$t/perf-got")" -eq 3 ] && cmp -s "$t/perf-want" "$t/perf-got" &&
  ok "harborough: each 2012/13 figure is 2013/14's less its difference" ||
  bad "harborough: figures $(tr '\n' ' ' < "$t/perf-got"), expected $(tr '\n' ' ' < "$t/perf-want")"

# ---- the loud failures: nothing written, the message says what to pass
d=examples/blaby-2023/report.xml
"$bin" build "$d" -D year=2022/23 -o "$t/no-meeting.pdf" 2> "$t/no-meeting.err"; rc=$?
[ $rc -eq 1 ] && ok "-D year= alone: exit 1" || bad "-D year= alone: exit $rc, expected 1"
[ -e "$t/no-meeting.pdf" ] && bad "-D year= alone: a PDF was written" || ok "-D year= alone: no PDF"
grep -qxF "$d:48: error: parameter \"meeting\" is \"2023-12-13\", which is not in column \"meeting\" of meeting_of_year (it has 2022-12-14); the data may not cover it: check the export, or pass -D meeting= a value it has" "$t/no-meeting.err" &&
  ok "-D year= alone: the message names the date to pass" ||
  bad "-D year= alone: stderr: $(cat "$t/no-meeting.err")"
"$bin" build "$d" -D year=2016/17 -D meeting=2016-12-14 -o "$t/early.pdf" 2> "$t/early.err"; rc=$?
[ $rc -eq 1 ] && [ ! -e "$t/early.pdf" ] && ok "a year before the data: exit 1, no PDF" ||
  bad "a year before the data: exit $rc"
grep -qF "$d:31: error: parameter \"year\" is \"2016/17\", which is not in column \"year\" of crime" "$t/early.err" &&
  ok "a year before the data: the message names the parameter and the column" ||
  bad "a year before the data: stderr: $(cat "$t/early.err")"
# In a batch the broken line fails alone and its old PDF stays.
mkdir -p "$t/list"
cp -r examples/blaby-2023 examples/harborough-2014 "$t/list/"
sed 's/ -D meeting=2022-12-14//' examples/year-end.list > "$t/list/year-end.list"
cp "$t/out/blaby-2022.pdf" "$t/list/blaby-2022.pdf"
old=$(cksum < "$t/list/blaby-2022.pdf")
"$bin" batch "$t/list/year-end.list" > /dev/null 2> "$t/list.err"; rc=$?
[ $rc -eq 1 ] && ok "a batch with one line missing its date: exit 1" || bad "that batch: exit $rc, expected 1"
grep -qE "^1 built, 1 failed, 0 interrupted, 0 not run, of 2; " "$t/list.err" &&
  ok "that batch: the other report built" || bad "that batch: $(tail -2 "$t/list.err")"
[ "$(cksum < "$t/list/blaby-2022.pdf")" = "$old" ] && ok "that batch: the failed report's old PDF kept" ||
  bad "that batch: the failed report's PDF was replaced"
exit $status
