#!/bin/sh
# run.sh DIR SECONDS NAME... — runs each libFuzzer harness DIR/fuzz_NAME
# for SECONDS on its corpus (tests/fuzz/corpus/NAME plus DIR/corpus-NAME),
# with the dictionary DIR/NAME.dict when there is one.
# A harness that exits non-zero or leaves a crash, leak, timeout or
# out-of-memory artifact fails. First, DIR/fuzz_selftest (which crashes on
# purpose) must be caught, or the gate itself is broken.
# Prints "ok   fuzz NAME ..." or "FAIL fuzz NAME ..." per harness and exits
# non-zero if any failed.
cd "$(dirname "$0")/../.." || exit 3
dir=$1 secs=$2; shift 2
status=0

# fuzz_one NAME SECONDS: 0 when the run was clean, 1 otherwise (with the
# reason in $why).
fuzz_one() {
	art=$dir/artifacts-$1
	rm -rf "$art"; mkdir -p "$art" "$dir/corpus-$1"
	dict=
	[ -f "$dir/$1.dict" ] && dict=-dict=$dir/$1.dict
	LSAN_OPTIONS=suppressions=tests/fuzz/lsan.supp \
	"$dir/fuzz_$1" $dict -artifact_prefix="$art/" -max_total_time="$2" \
	    -max_len=65536 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
	    "$dir/corpus-$1" "tests/fuzz/corpus/$1" > "$dir/fuzz-$1.log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/fuzz-$1.log")
	found=$(ls "$art" 2>/dev/null | head -3 | tr '\n' ' ')
	if [ "$rc" -ne 0 ] || [ -n "$found" ]; then
		why="exit $rc; artifacts: ${found:-none}; $(grep -m1 -E 'ERROR|SUMMARY|deadly signal' "$dir/fuzz-$1.log")"
		return 1
	fi
	why="${runs:-?} runs"
	return 0
}

if fuzz_one selftest 5; then
	echo "FAIL fuzz selftest: a harness that crashes was not caught ($why)"
	status=1
else
	echo "ok   fuzz selftest: a crashing harness is caught ($(echo "$why" | cut -c1-60))"
fi
rm -rf "$dir/artifacts-selftest"
for f in "$@"; do
	echo "fuzz $f for ${secs}s"
	if fuzz_one "$f" "$secs"; then
		echo "ok   fuzz $f: $why"
	else
		echo "FAIL fuzz $f: $why"
		tail -20 "$dir/fuzz-$f.log"
		status=1
	fi
done
exit $status
