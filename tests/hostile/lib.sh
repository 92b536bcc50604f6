# lib.sh — what every hostile script shares; sourced after the script
# sets t (its output folder, emptied here). Moves to the top folder and
# sets bin (absolute), status, and ok/bad/skip, which print the lines
# tests/run-all.sh counts.
cd "$(dirname "$0")/../.." || exit 3
bin=${SC_BIN:-./scrutineer}
case "$bin" in /*) ;; *) bin=$(pwd)/$bin;; esac
rm -rf "$t"; mkdir -p "$t"
status=0
ok() { echo "ok   hostile $1"; }
bad() { echo "FAIL hostile $1"; status=1; }
skip() { echo "skip hostile $1"; }
# Built with AddressSanitizer (make asan, make faults)? Its time and
# memory are the sanitizer's, so the bounds on them are relaxed or off.
sanitized=
grep -q __asan_init "$bin" 2>/dev/null && sanitized=1
