# checkers.sh — sourced by the golden scripts: finds the independent
# checkers (pdfcheck, uacheck) in $CHECKERS (default build/checkers) and
# sets $pdfcheck and $uacheck to them, or to "" with a visible skip line
# (a FAIL line and status=1 when REQUIRE_CHECKERS=1, as in CI). $label
# names the suite in those lines.
checkers=${CHECKERS:-build/checkers}
pdfcheck=$checkers/pdfcheck/pdfcheck uacheck=$checkers/uacheck/uacheck.py
[ -x "$pdfcheck" ] && [ -d "$checkers/pdfcheck/node_modules" ] || pdfcheck=
[ -f "$uacheck" ] && /usr/bin/python3 -c 'import pikepdf, fontTools' 2>/dev/null || uacheck=
for c in pdfcheck uacheck; do
  eval v=\$$c
  [ -n "$v" ] && continue
  if [ "${REQUIRE_CHECKERS:-}" = 1 ]; then echo "FAIL $label $c is not set up in $checkers (make checkers)"; status=1
  else echo "skip $label $c: not set up in $checkers (make checkers)"; fi
done
