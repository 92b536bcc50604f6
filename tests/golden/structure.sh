#!/bin/sh
# Structure checks: tests/golden/structure/report.xml (one of each tagged
# thing) is built and its PDF read object by object (qpdf --json) for what
# screen readers and viewers rely on but pdftotext and qpdf --check do not
# see: marked-content ids and the parent tree, TH and their scope, links
# tied to their Link elements, internal link targets, the outline's
# nesting, page labels, ToUnicode, /Alt, /Lang, and a deterministic /ID.
# Prints "ok ..." or "FAIL ..." per check.
cd "$(dirname "$0")/../.." || exit 3
bin=${SC_BIN:-./scrutineer}
out=tests/out/structure
mkdir -p "$out"
def=tests/golden/structure/report.xml
pdf=$out/structure.pdf
if ! SOURCE_DATE_EPOCH=1700000000 "$bin" build "$def" -o "$pdf" 2> "$out/err"; then
  echo "FAIL structure: build failed: $(cat "$out/err")"; exit 1
fi
SOURCE_DATE_EPOCH=1700000000 "$bin" build "$def" -o "$out/again.pdf" 2> /dev/null
status=0
if cmp -s "$pdf" "$out/again.pdf"; then echo "ok   structure: two builds identical"
else echo "FAIL structure: two builds differ"; status=1; fi
if ! qpdf --json --json-stream-data=inline --decode-level=generalized "$pdf" > "$out/structure.json" 2> "$out/qpdf.err"; then
  echo "FAIL structure: qpdf --json: $(head -1 "$out/qpdf.err")"; exit 1
fi
python3 - "$out/structure.json" <<'PY' || status=1
import base64, json, re, sys

doc = json.load(open(sys.argv[1]))
objs = doc["qpdf"][1]
bad = 0

def check(ok, what):
    global bad
    print(("ok   structure: " if ok else "FAIL structure: ") + what)
    bad |= not ok

def val(x):
    """The value of an object or a reference to one."""
    if isinstance(x, str) and re.fullmatch(r"\d+ \d+ R", x):
        o = objs.get("obj:" + x, {})
        return o.get("value", o.get("stream", {}).get("dict"))
    return x

def stream(ref):
    return base64.b64decode(objs["obj:" + ref]["stream"]["data"])

cat = val(objs["trailer"]["value"]["/Root"])
pages = val(val(cat["/Pages"])["/Kids"])
check(cat.get("/Lang") == "u:cy", "/Lang is the definition's (cy), got %s" % cat.get("/Lang"))
check(cat.get("/PageLabels", {}).get("/Nums", [None, {}])[1].get("/S") == "/D",
      "page labels are decimal")

# Every font has its ToUnicode map.
fonts = [v["value"] for v in objs.values() if isinstance(v.get("value"), dict)
         and v["value"].get("/Subtype") == "/Type0"]
check(fonts and all("/ToUnicode" in f for f in fonts), "%d fonts, each with ToUnicode" % len(fonts))

# The structure tree: element kinds, their pages and kids.
elems = {k[4:]: v["value"] for k, v in objs.items() if isinstance(v.get("value"), dict)
         and "/S" in v["value"] and "/P" in v["value"]}
kinds = [e["/S"] for e in elems.values()]
th = [e for e in elems.values() if e["/S"] == "/TH"]
scopes = sorted(val(e.get("/A", {})).get("/Scope", "none") for e in th)
# The header row's two cells are column headers; the headerless table's
# first column (and the front sheet's labels) are row headers.
check(kinds.count("/TH") >= 4 and kinds.count("/TD") >= 4,
      "TH and TD cells, got %d and %d" % (kinds.count("/TH"), kinds.count("/TD")))
check(scopes.count("/Column") == 2 and scopes.count("/Row") >= 2 and "none" not in scopes,
      "TH scopes: Column x2, the rest Row: %s" % scopes)
figs = [e for e in elems.values() if e["/S"] == "/Figure"]
check(len(figs) == 1 and figs[0].get("/Alt", "").startswith(("u:Structure", "b:")), "the Figure has its /Alt")
# Its Layout BBox is where the image is drawn: 40 mm wide, on the page.
bb = [float(v) for v in val(val(figs[0].get("/A", {})).get("/BBox", []))] if figs else []
imgs = [v["stream"]["dict"] for v in objs.values() if isinstance(v.get("stream"), dict)
        and v["stream"]["dict"].get("/Subtype") == "/Image" and "/SMask" not in str(v["stream"]["dict"].get("/Type", ""))]
wide = 40 / 25.4 * 72
high = wide * imgs[0]["/Height"] / imgs[0]["/Width"] if imgs else -1
check(len(bb) == 4 and abs((bb[2] - bb[0]) - wide) < 0.5 and abs((bb[3] - bb[1]) - high) < 0.5
      and 0 < bb[1] < bb[3] < 842, "the Figure's Layout /BBox is the image's box: %s" % bb)

# Marked content: on each page the MCIDs run 0, 1, 2 ... once each, and
# the parent tree's array for the page's /StructParents names, for each
# MCID, the element whose /K holds it.
root = val(cat["/StructTreeRoot"])
tree = val(root["/ParentTree"])
nums = {}
def collect(node):
    node = val(node)
    n = node.get("/Nums", [])
    for i in range(0, len(n), 2):
        nums[n[i]] = n[i + 1]
    for k in node.get("/Kids", []):
        collect(k)
collect(tree)
for pi, pref in enumerate(pages):
    page = val(pref)
    cs = page["/Contents"]
    data = b"".join(stream(c) for c in (cs if isinstance(cs, list) else [cs]))
    mcids = [int(m) for m in re.findall(rb"/MCID (\d+)", data)]
    check(mcids == list(range(len(mcids))) and mcids, "page %d: MCIDs 0..%d in order" % (pi + 1, len(mcids) - 1))
    arr = val(nums.get(page.get("/StructParents"), []))
    ok = isinstance(arr, list) and len(arr) == len(mcids)
    for m in mcids if ok else []:
        ref = arr[m]
        e = elems.get(ref)
        kids = val(e.get("/K", [])) if e else None
        kids = kids if isinstance(kids, list) else [kids]
        own = e is not None and e.get("/Pg") == pref and m in kids
        mcr = e is not None and any(isinstance(val(k), dict) and val(k).get("/MCID") == m
                                    and val(k).get("/Pg") == pref for k in kids)
        ok = ok and (own or mcr)
    check(ok, "page %d: the parent tree maps each MCID to the element holding it" % (pi + 1))

# Links: each annotation is in its Link element (OBJR) and in the parent
# tree under its /StructParent; the reference goes to page 2.
links = []
for pi, pref in enumerate(pages):
    for a in val(val(pref).get("/Annots", [])) or []:
        links.append((pi, a, val(a)))
check(len(links) == 2, "2 link annotations, got %d" % len(links))
check(all(a.get("/F") == 4 for _, _, a in links),
      "each link annotation is printed, /F 4 (PDF/A-2 6.3.2): %s" % [a.get("/F") for _, _, a in links])
for pi, ref, a in links:
    e = elems.get(nums.get(a.get("/StructParent"), ""))
    kids = val(e.get("/K", [])) if e else []
    kids = kids if isinstance(kids, list) else [kids]
    tied = e is not None and e["/S"] == "/Link" and any(
        isinstance(val(k), dict) and val(k).get("/Obj") == ref for k in kids)
    what = "link to " + (val(a.get("/A", {})).get("/URI", "u:")[2:] or "a page")
    check(tied, what + ": tied to its Link element")
    if "/Dest" in a:
        check(val(a["/Dest"])[0] == pages[1], what + ": goes to page 2")

# A run that starts with a trend arrow is read as its word: ActualText
# in a Span, nested in the paragraph's own marked content.
c1 = b"".join(stream(r) for r in (lambda c: c if isinstance(c, list) else [c])(val(pages[0])["/Contents"]))
# (The span holds the run's text-showing operator, inside the text
# object or around it.)
# ActualText is a literal string: PDFDocEncoding (ASCII here) unless it
# starts with the UTF-16 byte order mark.
spans = re.findall(rb"/P<</MCID \d+>>BDC\n(?:(?!EMC).)*?/Span <</ActualText \(((?:[^()\\]|\\.)*)\)>> BDC\n(?:(?!EMC).)*?\] TJ\n(?:ET\n)?EMC\n", c1, re.S)
said = [re.sub(rb"\\(.)", rb"\1", s).decode("utf-16" if s[:2] == b"\xfe\xff" else "latin-1") for s in spans]
check(said == ["down 4% on last year."], "the arrow's ActualText, inside the P: %s" % said)

# Outline: First and Second at the top, each sub-section under its own.
ol = val(cat["/Outlines"])
def titles(first):
    out, o = [], first
    while o:
        d = val(o)
        out.append((d["/Title"], titles(d.get("/First"))))
        o = d.get("/Next")
    return out
tops = titles(ol.get("/First"))
flat = [(t[2:] if t.startswith("u:") else t, [k[0][2:] for k in kids]) for t, kids in tops]
check(len(flat) == 2 and all(len(k) == 1 for _, k in flat), "outline nests sub-sections under sections: %s" % flat)
sys.exit(bad)
PY

# Reading order of a float: blaby-2023's 6.2 tables did not fit on page
# 4, so the text after them filled it; in the structure tree they are
# still read where the definition has them, before that text (flow.c,
# "Floats"); so is the chart of 6.4 moved to page 7. The signature: in
# the section's element, a kid whose first page is later than the next
# kid's (the float's last element, its source note, then the text).
if SOURCE_DATE_EPOCH=1700000000 "$bin" build examples/blaby-2023/report.xml -o "$out/float.pdf" 2> "$out/float.err" &&
   qpdf --json "$out/float.pdf" > "$out/float.json" 2> "$out/qpdf.err"; then
  python3 - "$out/float.json" <<'PY' || status=1
import json, re, sys
objs = json.load(open(sys.argv[1]))["qpdf"][1]
def val(x):
    if isinstance(x, str) and re.fullmatch(r"\d+ \d+ R", x):
        return objs.get("obj:" + x, {}).get("value")
    return x
pageno = {}
cat = val(objs["trailer"]["value"]["/Root"])
for i, ref in enumerate(val(val(cat["/Pages"])["/Kids"])):
    pageno[ref] = i + 1
def first_page(e):
    e = val(e)
    if not isinstance(e, dict):
        return None
    ps = [pageno[e["/Pg"]]] if "/Pg" in e else []
    k = e.get("/K", [])
    for kid in (k if isinstance(k, list) else [k]):
        if isinstance(val(kid), dict) and "/S" in val(kid):
            p = first_page(kid)
            if p:
                ps.append(p)
    return min(ps) if ps else None
inv = []
for k, v in objs.items():
    e = v.get("value")
    if not (isinstance(e, dict) and e.get("/S") == "/Sect"):
        continue
    kids = [x for x in (e["/K"] if isinstance(e["/K"], list) else [e["/K"]])
            if isinstance(val(x), dict) and "/S" in val(x)]
    seq = ["%s%s" % (val(x)["/S"][1:], first_page(x)) for x in kids]
    if any(first_page(a) > first_page(b) for a, b in zip(kids, kids[1:])
           if first_page(a) and first_page(b)):
        inv.append(" ".join(seq))
# (type and first page of each kid of the two sections)
want = ["H24 H35 Table5 H35 Table5 P5 P4 P5",
        "H26 Figure6 Caption6 P6 Figure7 Caption7 P7 P6 P6 P6 P6"]
ok = sorted(inv) == want
print(("ok   " if ok else "FAIL ") + "structure: floats are read where they were written "
      "(the tables' and the chart's elements before the text drawn before them): %s" % inv)
sys.exit(0 if ok else 1)
PY
else
  echo "FAIL structure: float build: $(cat "$out/float.err" "$out/qpdf.err")"; status=1
fi
exit $status
