#!/bin/sh
# Chart checks: the gallery drawn by cairo against the committed pictures
# (docs/img, remade by `make charts-images` after a deliberate change), and
# the same charts as SVG. Prints "ok ..." or "FAIL ..." per check.
cd "$(dirname "$0")/../.." || exit 3
bin=${SC_BIN:-./scrutineer}
out=tests/out/charts-golden
mkdir -p "$out"
status=0
ok() { echo "ok   golden $1"; }
bad() { echo "FAIL golden $1"; status=1; }
# Charts drawn by cairo match the committed pictures (docs/img), which
# `make charts-images` remakes after a deliberate change.
diff=${PNGDIFF:-build/pngdiff}
if [ -x "$diff" ]; then
  rm -rf "$out/charts"; mkdir -p "$out/charts"
  if "$bin" charts examples/chart-gallery/report.xml -o "$out/charts" --dpi 72 2> "$out/charts.err"; then
    for f in "$out"/charts/*.png; do
      n=$(basename "$f")
      if r=$("$diff" "$f" "docs/img/chart-$n" 2>&1); then ok "chart $n matches docs/img"; else bad "chart $n: $r"; fi
    done
  else bad "charts: $(cat "$out/charts.err")"; fi
  # The same charts as SVG.
  if "$bin" charts examples/chart-gallery/report.xml -o "$out/charts" --format svg 2>/dev/null &&
     grep -q "<svg" "$out/charts/line.svg"; then ok "charts as SVG"; else bad "charts as SVG"; fi
fi
exit $status
