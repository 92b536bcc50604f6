#!/bin/sh
# Hostile data and SQL: resource bombs, functions a report may not call,
# numbers that must stay exact, bytes that are not text, too many
# columns. Each case checks its message (whole, with file and line), its
# exit code and what is left behind; the bombs also a bound on time and
# peak memory (generous, so that a busy machine does not fail them).
# Prints "ok   hostile ..." or "FAIL hostile ...".
t=tests/out/hostile-data
. "$(dirname "$0")/lib.sh"
meta='<meta><title>Hostile data</title></meta>'
timer=
[ -x /usr/bin/time ] && timer="/usr/bin/time -f %e,%M -o"
# Under AddressSanitizer the address space is reserved by the terabyte
# and time and memory are the sanitizer's: messages and exits only.
vlimit=4000000
if [ -n "$sanitized" ]; then timer= vlimit=unlimited; fi

mkdef() { mkdir -p "$t/$1"; cat > "$t/$1/report.xml"; }

# run NAME: builds $t/NAME/report.xml into out.pdf (4 GB of address
# space and 60 s at most, whatever happens; temporary files limited to
# 10 MB, so SQLite spilling to disk fails instead of filling it).
run() {
  ( ulimit -v $vlimit; ulimit -f 20000; trap '' XFSZ
    if [ -n "$timer" ]; then
      $timer "$t/$1.time" timeout 60 "$bin" build "$t/$1/report.xml" -o "$t/$1/out.pdf"
    else timeout 60 "$bin" build "$t/$1/report.xml" -o "$t/$1/out.pdf"; fi
  ) > "$t/$1.out" 2> "$t/$1.err"
}

# check NAME EXIT LINE [MAXSEC MAXMB [MINSEC]]: after run NAME, the exit
# code, a whole line of stderr, no PDF unless EXIT is 0, and the bounds.
check() {
  name=$1 want=$2 line=$3 maxs=$4 maxmb=$5 mins=$6
  rc=$(cat "$t/$name.rc")
  if [ "$rc" -ne "$want" ]; then bad "$name: exit $rc, expected $want: $(head -c 300 "$t/$name.err")"; return; fi
  if ! grep -qxF -- "$line" "$t/$name.err"; then bad "$name: no line \"$line\" in: $(head -c 300 "$t/$name.err")"; return; fi
  if [ "$want" -ne 0 ] && ls "$t/$name"/*.pdf "$t/$name"/.*.pdf.* 2>/dev/null | grep -q .; then bad "$name: output left behind"; return; fi
  if [ -n "$maxs" ] && [ -n "$timer" ]; then
    # GNU time writes "Command exited ..." first when the status is not 0.
    tm=$(tail -n 1 "$t/$name.time"); s=${tm%,*} kb=${tm#*,}
    if awk -v s="$s" -v m="$maxs" 'BEGIN { exit !(s > m) }'; then bad "$name: took $s s, more than $maxs s"; return; fi
    if [ -n "$mins" ] && awk -v s="$s" -v m="$mins" 'BEGIN { exit !(s < m) }'; then bad "$name: took $s s, less than $mins s"; return; fi
    if [ "$kb" -gt $((maxmb * 1024)) ]; then bad "$name: peak $((kb / 1024)) MB, more than $maxmb MB"; return; fi
    ok "$name ($s s, $((kb / 1024)) MB)"; return
  fi
  ok "$name"
}

start() { run "$1"; echo $? > "$t/$1.rc"; }

# Runaway queries share one budget of about ten seconds for the whole
# build (each <value query> had its own: three of them ran 66 s). In the
# background while the quick cases run.
mkdef runaway <<XML
<report version="1">$meta
<p><value query="WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c) SELECT count(*) FROM c"/></p>
<p><value query="WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c) SELECT count(*) FROM c"/></p>
<p><value query="WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c) SELECT count(*) FROM c"/></p>
</report>
XML
start runaway & slow=$!

# printf('%.*c', 10^9) is one step of SQLite's that nothing interrupts
# (20 s each; 40 rows were 239 s): refused by its width.
mkdef printf <<XML
<report version="1">$meta<data><csv id="d" href="d.csv"/></data>
<p><value query="SELECT sum(length(printf('%.*c', 1e9 + x - x, 'x'))) FROM d"/></p></report>
XML
awk 'BEGIN { print "x"; for (i = 1; i <= 40; i++) print i }' > "$t/printf/d.csv"
start printf
check printf 1 "$t/printf/report.xml:2: error: SQL error: printf(): a width or precision of 1000000000 is more than 100000; a report needs far less" 5 200

# A cross join sorted without LIMIT: in memory, stopped at the query
# memory budget (it wrote 16 GB of temporary files in 76 s).
mkdef sort <<XML
<report version="1">$meta<data><csv id="d" href="d.csv"/></data>
<p><value query="SELECT a.x || b.x FROM d a, d b, d c ORDER BY a.x || b.x || c.x DESC"/></p></report>
XML
awk 'BEGIN { print "x"; for (i = 0; i < 2000; i++) printf "row %05d padded to a hundred bytes with words and words and words and words and more words\n", i }' > "$t/sort/d.csv"
start sort
check sort 3 "$t/sort/report.xml:2: error: out of memory: the query needs more than 128 MiB to sort, group or join and was stopped; filter it (WHERE) or aggregate it first" 5 200

# One 60 MB string: past the 16 MiB a value may have.
mkdef bigtext <<XML
<report version="1">$meta<data><query id="q">WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i &lt; 200)
SELECT replace(zeroblob(60000000), x'00', 'x') AS t FROM r</query></data>
<table data="q"/></report>
XML
start bigtext
check bigtext 1 "$t/bigtext/report.xml:3: error: the query makes a value longer than 16 MiB, more than a report can print; shorten it" 5 200

# 200 rows of 15 MB each: past the 64 MiB all results may hold.
mkdef results <<XML
<report version="1">$meta<data><query id="q">WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i &lt; 200)
SELECT replace(zeroblob(15000000), x'00', 'x') AS t FROM r</query></data>
<table data="q"/></report>
XML
start results
check results 1 "$t/results/report.xml:3: error: the query's results, with the other queries', come to more than 64 MiB, too much to print; aggregate it (GROUP BY) or filter it (where=)" 5 200

# fts3_tokenizer('simple') printed a pointer into libsqlite3, and its
# two-argument form replaced it: functions are allow-listed.
for form in "fts3_tokenizer('simple')" "fts3_tokenizer('simple', x'0000000000000000')"; do
  n=fts3-$(echo "$form" | tr -cd , | wc -c)
  mkdef "$n" <<XML
<report version="1">$meta
<p><value query="SELECT hex($form)"/></p></report>
XML
  start "$n"
  check "$n" 1 "$t/$n/report.xml:2: error: the query calls fts3_tokenizer(), which a report may not use; SQLite's own functions for text, numbers, dates, JSON, aggregates and windows are allowed, and scrutineer's nine"
done

# Whole numbers of 16 or more digits print exactly (4111111111111111
# printed ...110, 1234567890123456789 as ...460000); beyond 64 bits the
# text is kept.
mkdef integers <<XML
<report version="1">$meta<data><csv id="d" href="d.csv"/></data>
<p>card <value query="SELECT n FROM d WHERE k = 'card'"/>,
grouped <value query="SELECT n FROM d WHERE k = 'big'" format="#,##0"/>,
negative <value query="SELECT n FROM d WHERE k = 'neg'" format="#,##0"/>,
huge <value query="SELECT n FROM d WHERE k = 'huge'"/>.</p></report>
XML
printf 'k,n\ncard,4111111111111111\nbig,1234567890123456789\nneg,-9223372036854775808\nhuge,123456789012345678901234567890\n' > "$t/integers/d.csv"
start integers
check integers 0 "scrutineer: wrote $t/integers/out.pdf (1 page)"
if command -v pdftotext > /dev/null 2>&1; then
  txt=$(pdftotext "$t/integers/out.pdf" - 2>/dev/null | tr '\n' ' ')
  case "$txt" in
    *"card 4111111111111111, grouped 1,234,567,890,123,456,789, negative -9,223,372,036,854,775,808, huge 123456789012345678901234567890."*) ok "integers printed exactly";;
    *) bad "integers printed as: $txt";;
  esac
fi

# A NUL byte cut a value short without a word.
mkdef nul <<XML
<report version="1">$meta<data><csv id="d" href="d.csv"/></data><table data="d"/></report>
XML
printf 'a,b\n1,x\n2,ab\000cd\n' > "$t/nul/d.csv"
start nul
check nul 1 "$t/nul/d.csv:3: error: column 2 (\"b\"): the value has a NUL byte (0x00), which is not text; remove it, or export the file again as CSV"

# A gzip file named .csv loaded (as Windows-1252) into nonsense.
mkdef gzip <<XML
<report version="1">$meta<data><csv id="d" href="d.csv"/></data><table data="d"/></report>
XML
awk 'BEGIN { print "a,b"; for (i = 0; i < 1000; i++) print i "," i * i }' | gzip -c > "$t/gzip/d.csv"
start gzip
check gzip 1 "$t/gzip/d.csv: error: this is not a text file (it looks like gzip data); a data file must be CSV text: unpack it, or export it as CSV UTF-8"

# Columns: SQLite's 2,000 load; 2,001 are refused by name.
for n in 2000 2001; do
  mkdef "cols$n" <<XML
<report version="1">$meta<data><csv id="d" href="d.csv"/></data>
<p>last: <value query="SELECT c2000 FROM d"/></p></report>
XML
  awk -v n=$n 'BEGIN { for (i = 1; i <= n; i++) printf "c%d%s", i, i < n ? "," : "\n";
    for (i = 1; i <= n; i++) printf "%d%s", i, i < n ? "," : "\n" }' > "$t/cols$n/d.csv"
  start "cols$n"
done
check cols2000 0 "scrutineer: wrote $t/cols2000/out.pdf (1 page)"
check cols2001 1 "$t/cols2001/d.csv:1: error: column 2001: the file has more than 2000 columns, the most an SQLite table can have; delete the columns the report does not use"

wait $slow
check runaway 1 "$t/runaway/report.xml:2: error: the query ran too long and was stopped (a report's queries have 10 seconds in all); simplify it" 14 200 9
if [ "$(grep -c ': error: ' "$t/runaway.err")" -ne 1 ]; then bad "runaway: more than one message: $(cat "$t/runaway.err")"; fi
exit $status
