#!/bin/sh
# The HTML edition in Debian's chromium with axe-core (browser.js).
#   run.sh TOOLS_DIR [FILE.html ...]
# First the harness itself: a clean page must pass and a page with one
# fault of each kind must fail with each fault named, so a harness that
# has stopped seeing (axe not injected, the viewport never narrowed)
# fails here instead of passing every page. Then each page given.
# SHOTS=DIR keeps screenshots at 1280 and 320 px for a person to look at.
set -u
tools=$1; shift
here=$(cd "$(dirname "$0")" && pwd)
run() { NODE_PATH="$tools/node_modules" node "$here/browser.js" "$@"; }
fail=0

out=$(run "$here/selftest/good/index.html" 2>&1) ||
  { echo "FAIL html selftest: a clean page fails:"; echo "$out"; fail=1; }
out=$(run "$here/selftest/bad/index.html" 2>&1)
rc=$?
if [ $rc != 1 ]; then
  echo "FAIL html selftest: the faulty page gave exit $rc, not 1:"; echo "$out"; fail=1
fi
while IFS= read -r want; do
  want=$(printf '%s' "$want" | sed "s|/SELFTEST|$here/selftest|")
  printf '%s\n' "$out" | grep -qF "$want" ||
    { echo "FAIL html selftest: the harness no longer reports: $want"; fail=1; }
done < "$here/selftest/bad.expect"
[ $fail = 0 ] && echo "ok   html selftest: the browser harness sees each fault"

if [ $# -gt 0 ]; then
  if [ -n "${SHOTS:-}" ]; then run --shots "$SHOTS" "$@"; else run "$@"; fi ||
    fail=1
fi
exit $fail
