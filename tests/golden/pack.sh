#!/bin/sh
# The example agenda pack (examples/pack-2023-12), public and Part B, read
# back as a reader and a screen reader would: the front sheet's page
# ranges lead to each item's first page ("Agenda Item N"); every page's
# footer says the number its page label says; the outline's items, the
# reports' headings and the appendix's own outline beneath them; one
# structure tree, each item a Sect; the appendix's tags grafted; the
# stamp on the appendix's pages; Part B only the exempt item; two builds
# the same bytes; pdfcheck and uacheck (required when REQUIRE_CHECKERS=1).
# Prints "ok ..." or "FAIL ..." per check.
cd "$(dirname "$0")/../.." || exit 3
bin=${SC_BIN:-./scrutineer}
gen=${GEN_APPENDIX:-build/gen_appendix}
out=tests/out/pack-golden
pack=examples/pack-2023-12
mkdir -p "$out"
status=0
ok() { echo "ok   golden pack $1"; }
bad() { echo "FAIL golden pack $1"; status=1; }
label="golden pack"
. tests/golden/checkers.sh
for f in appendices/action-plans.pdf exempt/commissioned-services.pdf; do
  [ -f "$pack/$f" ] || { bad "no $pack/$f (make $pack/$f)"; exit 1; }
done

for part in a b; do
  pdf=$out/part-$part.pdf
  rm -f "$pdf"
  if ! SOURCE_DATE_EPOCH=1700000000 "$bin" pack "$pack/meeting.xml" --allow-path examples \
      --part $part -o "$pdf" 2> "$out/part-$part.err"; then
    bad "part $part: build failed: $(cat "$out/part-$part.err")"; continue
  fi
  SOURCE_DATE_EPOCH=1700000000 "$bin" pack "$pack/meeting.xml" --allow-path examples \
    --part $part -o "$out/again-$part.pdf" 2> /dev/null
  cmp -s "$pdf" "$out/again-$part.pdf" && ok "part $part: two builds identical" ||
    bad "part $part: two builds differ"
  # Each page's text, for the checks below.
  n=$(pdfinfo "$pdf" | awk '/^Pages:/ { print $2 }')
  i=1
  while [ "$i" -le "$n" ]; do
    pdftotext -enc UTF-8 -layout -f "$i" -l "$i" "$pdf" "$out/part-$part-$i.txt"
    i=$((i + 1))
  done
  if [ -n "$pdfcheck" ]; then
    r=$("$pdfcheck" --require-tagged "$pdf" 2>&1 | tail -1)
    [ "$r" = "PDFCHECK OK" ] && ok "part $part: pdfcheck" || bad "part $part: $r"
  fi
  if [ -n "$uacheck" ]; then
    r=$(/usr/bin/python3 "$uacheck" "$pdf" 2>&1 | tail -1)
    [ "$r" = "UACHECK OK" ] && ok "part $part: uacheck" || bad "part $part: $r"
  fi
  /usr/bin/python3 - "$pdf" "$out/part-$part" "$n" "$part" <<'PY' || status=1
import re, sys
import pikepdf

pdf, txt, n, part = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
bad = 0

def check(ok, what):
    global bad
    print(("ok   golden pack " if ok else "FAIL golden pack ") +
          "part %s: %s" % (part, what))
    bad |= not ok

pages = [open("%s-%d.txt" % (txt, i + 1), encoding="utf-8").read()
         for i in range(n)]
p = pikepdf.open(pdf)

# Page labels: one decimal sequence from 1, and each footer says it.
labels = p.Root.PageLabels.Nums
check(len(labels) == 2 and int(labels[0]) == 0 and labels[1].S == "/D" and
      int(labels[1].get("/St", 1)) == 1, "page labels: one decimal range from 1")
wrong = [i + 1 for i in range(n)
         if not re.search(r"\bPage %d\s*$" % (i + 1), pages[i].rstrip())]
check(not wrong, "every page's footer is its label (%d pages)%s" %
      (n, "; wrong on %s" % wrong[:5] if wrong else ""))

# The front sheet's ranges: each leads to the page that opens the item.
front = "".join(pages[:3])
ranges = re.findall(r"^\s*(\d+)\.\s+(\S.*?)\s{2,}(\d+)(?:\s*–\s*(\d+))?\s*$",
                    front, re.M)
check(len(ranges) >= (4 if part == "a" else 1),
      "front sheet lists %d items with pages" % len(ranges))
for num, title, a, b in ranges:
    a, b = int(a), int(b or a)
    first = pages[a - 1] if a <= n else ""
    check(a <= b <= n and "Agenda Item %s" % num in first and
          all("Agenda Item" not in pages[k] for k in range(a, b)) and
          (b == n or "Agenda Item" in pages[b]),
          "item %s (%s): pages %d–%d open with its label and end before the next"
          % (num, title.strip()[:40], a, b))

# Each range is a link to the page it names.
links = {}
for i in range(min(3, n)):
    for a in p.pages[i].get("/Annots", []):
        d = a.get("/Dest")
        if a.Subtype == "/Link" and d is not None:
            links[str(a.get("/Contents"))] = p.pages.index(d[0]) + 1
for num, title, a, b in ranges:
    want = [v for k, v in links.items() if k.startswith("Item %s," % num)]
    check(want == [int(a)], "item %s's range links to page %s (%s)" % (num, a, want))

# The outline: the front sheet, then each item with pages, in order.
with p.open_outline() as ol:
    top = [str(o.title) for o in ol.root]
want = ["Agenda"] if part == "a" else ["Agenda: Part B"]
want += ["%s. " % r[0] for r in ranges]
check(len(top) == len(want) and all(t.startswith(w) for t, w in zip(top, want)),
      "outline: %s" % top)
with p.open_outline() as ol:
    items = {str(o.title): o for o in ol.root}
    if part == "a":
        four = [o for t, o in items.items() if t.startswith("4. ")][0]
        kids = [str(k.title) for k in four.children]
        check(any(k.startswith("Appendix 1") for k in kids),
              "outline: the appendix under item 4 (%d entries)" % len(kids))
        app = [k for k in four.children if str(k.title).startswith("Appendix 1")][0]
        check(len(app.children) > 0 and str(app.children[0].title).startswith("Year"),
              "outline: the appendix PDF's own outline beneath its entry")
        check(any(k.startswith("1. What is this report about") for k in kids),
              "outline: the report's headings under its item")

# Structure: Document, then a Sect for the front sheet and each item.
root = p.Root.StructTreeRoot.K
doc = root[0] if isinstance(root, pikepdf.Array) else root
check(str(doc.S) == "/Document", "structure: one Document element")
sects = [k for k in doc.K if isinstance(k, pikepdf.Dictionary)]
check(all(str(s.S) == "/Sect" for s in sects) and len(sects) == len(ranges) + 1,
      "structure: %d Sects, the front sheet and one an item" % len(sects))
def kinds(e, depth=0, acc=None):
    acc = [] if acc is None else acc
    if depth > 40:
        return acc
    if isinstance(e, pikepdf.Dictionary) and "/S" in e:
        acc.append(str(e.S))
        k = e.get("/K")
        for c in (k if isinstance(k, pikepdf.Array) else [k] if k is not None else []):
            kinds(c, depth + 1, acc)
    return acc
if part == "a":
    item4 = kinds(sects[2])
    own = item4[:item4.index("/Part")] if "/Part" in item4 else item4
    check(own[1] == "/H1" and "/H2" in own and "/H1" not in own[2:],
          "structure: item 4 opens with its H1, the report's headings beneath")
    check("/Part" in item4 and item4.count("/Table") >= 2,
          "structure: the appendix PDF's own tree grafted under item 4")
    check("Not for publication by virtue of paragraph 3" in "".join(pages),
          "the exempt item is a notice")
else:
    allt = "".join(pages)
    check("Agenda Item 6" in allt and "Agenda Item 4" not in allt and
          "Agenda Item 3" not in allt, "Part B holds only the exempt item")
    check("Filming" not in allt, "Part B has no public notices")
    check("NOT FOR PUBLICATION: PART B, EXEMPT ITEMS" in pages[0],
          "Part B's front sheet says it is not for publication")
# No private key left, the appendix stamped.
check(all("/ScGraft" not in o for o in p.objects if isinstance(o, pikepdf.Dictionary)),
      "no /ScGraft left")
sys.exit(bad)
PY
done
exit $status
