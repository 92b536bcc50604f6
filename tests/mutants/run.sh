#!/bin/sh
# run.sh [NAME...] — mutation testing: each tests/mutants/NAME.mut is one
# plausible bug, applied alone to a copy of the tree; the test suite must
# fail on it. Prints a table (mutant | description | caught by | time) and
# exits 1 if any mutant SURVIVED, is STALE (its find text is not in the
# file exactly once: a refactor moved it, so rewrite it), or does not
# compile (a mutant that cannot build tests nothing).
#
#   NAME.mut     # one-line description of the bug
#                file: src/layout/text.c
#                find: <text occurring exactly once in that file>
#                replace: <its replacement>
#                why-not: <reason>   optional: listed as EXCUSED, not run
#                check: <make target>  optional: the target that catches it
#                             instead of the test suite (e.g. faults, for
#                             what only an allocation failure reaches)
#
# No names: every mutant. The tree (git ls-files, plus the generated
# inputs) is copied to build-mutants/tree and built once; each mutant then
# rebuilds only what it touches and runs tests/run-all.sh with FAIL_FAST=1,
# fastest checks first, so a caught mutant costs seconds.
cd "$(dirname "$0")/../.." || exit 3
root=$(pwd)
work=${MUTANTS_DIR:-$root/build-mutants}
tree=$work/tree
logs=$work/logs
per=${MUTANT_TIMEOUT:-900}
# The checkers set up in this tree (make checkers) serve the copy too:
# it has no build/ of its own to hold them.
CHECKERS=${CHECKERS:-$root/build/checkers}
export CHECKERS
mkdir -p "$logs" || exit 3

if [ $# -gt 0 ]; then
  muts=""
  for n in "$@"; do
    n=$(basename "$n" .mut)
    [ -f "tests/mutants/$n.mut" ] || { echo "no such mutant: tests/mutants/$n.mut"; exit 2; }
    muts="$muts tests/mutants/$n.mut"
  done
else
  muts=$(ls tests/mutants/*.mut)
fi

# field FILE KEY: the text after "KEY: " (or "KEY:") on its line.
field() { sed -n "s/^$2: \{0,1\}//p" "$1" | head -1; }

# mutate MUT TREE check|apply: python for an exact, byte-for-byte
# replacement (sed would read the find text as a pattern).
mutate() {
  python3 - "$1" "$2" "$3" <<'PY'
import sys
mut, tree, mode = sys.argv[1:4]
f = {}
for line in open(mut, encoding="utf-8").read().split("\n"):
    for k in ("file", "find", "replace"):
        if k not in f and (line.startswith(k + ": ") or line == k + ":"):
            f[k] = line[len(k) + 2:] if line.startswith(k + ": ") else ""
if "file" not in f or not f.get("find") or "replace" not in f:
    print("malformed: needs file:, find: and replace: lines"); sys.exit(1)
path = tree + "/" + f["file"]
try:
    src = open(path, encoding="utf-8").read()
except OSError as e:
    print("no file %s" % f["file"]); sys.exit(1)
n = src.count(f["find"])
if n != 1:
    print("find text occurs %d times in %s" % (n, f["file"])); sys.exit(1)
if mode == "apply":
    open(path, "w", encoding="utf-8").write(src.replace(f["find"], f["replace"]))
PY
}

# The copy: extracted over the last one with the files' own times, so
# make rebuilds only what changed since.
echo "copying the tree to $tree"
mkdir -p "$tree"
{ git ls-files; git ls-files --others --exclude-standard; } | grep -v '^build' |
  while IFS= read -r f; do [ -f "$f" ] && echo "$f"; done |
  tar -cf - -T - | tar -xf - -C "$tree" || exit 3
# Generated inputs: copied when built here, else made in the copy.
gens=$(make --no-print-directory -s print-generated)
for g in $gens; do
  [ -f "$g" ] && { mkdir -p "$tree/$(dirname "$g")"; cp -p "$g" "$tree/$g"; }
done
# forget FILE: remove every object built from FILE in the copy, so the
# next build recompiles it whatever the file's time.
forget() {
  find "$tree/build" "$tree/build-faults" "$tree/build-tsan" -name '*.d' -exec grep -l -F "$1" {} + 2>/dev/null |
    sed 's/\.d$/.o/' | xargs rm -f
}
# A run stopped mid-mutant left its objects built from the mutant (the
# copy above put the file back, maybe with an older time): forget them.
[ -f "$work/inflight" ] && forget "$(cat "$work/inflight")"
rm -f "$work/inflight"
units=$(ls tests/unit/test_*.c | sed 's|tests/unit/\(.*\)\.c|build/tests/\1|')
build() { make -C "$tree" --no-print-directory -j2 build/scrutineer build/pngdiff $units $gens; }
echo "building the copy"
if ! build > "$logs/build.log" 2>&1; then
  echo "the unmutated tree does not build: $logs/build.log"; tail -20 "$logs/build.log"; exit 3
fi

# The unmutated tree must pass, or every mutant would look caught.
if [ -z "$MUTANTS_NO_BASELINE" ]; then
  echo "checking that the unmutated tree passes"
  if ! (cd "$tree" && SC_BIN=build/scrutineer PNGDIFF=build/pngdiff FAIL_FAST=1 \
      timeout "$per" sh tests/run-all.sh build $units) > "$logs/baseline.log" 2>&1; then
    echo "the unmutated tree fails its tests: $logs/baseline.log"
    grep -m1 '^first failure:' "$logs/baseline.log"; exit 3
  fi
fi

survived=0 stale=0 broken=0 caught=0 excused=0 total=0
table=$work/table.md
{ echo "| mutant | description | caught by | time |"
  echo "|---|---|---|---|"; } > "$table"
row() { echo "| $1 | $2 | $3 | $4 |" >> "$table"; printf '%-34s %-12s %s\n' "$1" "$4" "$3"; }
# Interrupted: the file back as it was (its objects are forgotten at the
# next start).
trap 'cp "$work/orig" "$tree/$file" 2>/dev/null; exit 130' INT TERM
t_all=$(date +%s)
for m in $muts; do
  name=$(basename "$m" .mut)
  desc=$(sed -n 's/^# *//p' "$m" | head -1)
  file=$(field "$m" file)
  why=$(field "$m" why-not)
  target=$(field "$m" check)
  total=$((total + 1))
  if ! msg=$(mutate "$m" "$tree" check); then
    stale=$((stale + 1)); row "$name" "$desc" "STALE: $msg" "-"; continue
  fi
  if [ -n "$why" ]; then
    excused=$((excused + 1)); row "$name" "$desc" "EXCUSED: $why" "-"; continue
  fi
  cp "$tree/$file" "$work/orig"
  echo "$file" > "$work/inflight"
  t0=$(date +%s)
  mutate "$m" "$tree" apply > /dev/null
  log=$logs/$name.log
  if ! build > "$log" 2>&1; then
    by="DOES NOT BUILD"; broken=$((broken + 1))
  elif [ -n "$target" ]; then
    timeout "$per" make -C "$tree" --no-print-directory "$target" >> "$log" 2>&1; rc=$?
    # Counted as the others are: a target that passes is a survivor.
    if [ "$rc" -eq 0 ]; then by=SURVIVED; survived=$((survived + 1))
    else caught=$((caught + 1)); by="make $target: $(grep -m1 '^FAIL' "$log")"; fi
  else
    (cd "$tree" && SC_BIN=build/scrutineer PNGDIFF=build/pngdiff FAIL_FAST=1 \
      timeout "$per" sh tests/run-all.sh build $units) >> "$log" 2>&1; rc=$?
    by=$(sed -n 's/^first failure: //p' "$log" | head -1)
    if [ "$rc" -eq 0 ]; then by=SURVIVED; survived=$((survived + 1))
    elif [ "$rc" -eq 124 ]; then by="timeout (${per}s: a hang)"; caught=$((caught + 1))
    else caught=$((caught + 1)); [ -n "$by" ] || by="run-all.sh exited $rc"; fi
  fi
  # Restored, and every object built from the mutant removed: a later
  # copy may bring the file back with its older time.
  cp "$work/orig" "$tree/$file" && forget "$file" && rm -f "$work/inflight"
  row "$name" "$desc" "$(echo "$by" | sed 's/|/\\|/g' | cut -c1-160)" "$(( $(date +%s) - t0 ))s"
done
run=$(( $(date +%s) - t_all ))
ran=$((caught + survived))
{ echo
  echo "Score: $caught of $ran run caught, $survived survived, $excused excused, $stale stale, $broken not building ($total mutants; ${run}s)."
} >> "$table"
echo
tail -1 "$table"
echo "table: $table"
[ "$survived" -eq 0 ] && [ "$stale" -eq 0 ] && [ "$broken" -eq 0 ]
