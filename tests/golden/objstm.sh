#!/bin/sh
# Compact PDF objects (issue 16): a 1,500-row table and
# tests/golden/structure/report.xml are built and their bytes read by a
# parser of our own (not qpdf's, which forgives): the header and its
# binary comment line; no classic cross-reference table or trailer, but
# a cross-reference stream that startxref points at, with /Size, /W,
# /Index, /Root, /Info and /ID, whose every entry points where it says
# (an "N 0 obj" at each offset, each packed object in the object stream
# and at the index it names); each object stream's /N pairs and /First;
# only streams at the top level (every structure element packed); the
# content streams' text objects and marked content nested, never
# crossing; every table cell still a TD or TH reachable from the
# StructTreeRoot (qpdf --json); qpdf --check clean; two builds the same;
# and the table's file under a size bound that one object per element
# (or level-1 content) would break. Prints "ok ..." or "FAIL ..." per
# check.
cd "$(dirname "$0")/../.." || exit 3
bin=${SC_BIN:-./scrutineer}
out=tests/out/objstm
mkdir -p "$out"
rows=1500
sh bench/rows-table.sh "$out" $rows 1 "Fifteen hundred rows" &&
  mv "$out/report.xml" "$out/table.xml"
# More than 256 glyphs of one font: codes of two bytes (Identity-H).
cat > "$out/glyphs.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<report version="1" template="default">
  <meta><title>Many glyphs</title></meta>
  <section title="Latin, Greek and Cyrillic">
    <p>ÀÁÂÃÄÅÆÇÈÉÊË ÌÍÎÏÐÑÒÓÔÕÖ× ØÙÚÛÜÝÞßàáâã äåæçèéêëìíîï ðñòóôõö÷øùúû üýþÿĀāĂăĄąĆć ĈĉĊċČčĎďĐđĒē ĔĕĖėĘęĚěĜĝĞğ ĠġĢģĤĥĦħĨĩĪī ĬĭĮįİıĲĳĴĵĶķ ĸĹĺĻļĽľĿŀŁłŃ ńŅņŇňŉŊŋŌōŎŏ ŐőŒœŔŕŖŗŘřŚś ŜŝŞşŠšŢţŤťŦŧ ŨũŪūŬŭŮůŰűŲų ŴŵŶŷŸŹźŻżŽžſ ΑΒΓΔΕΖΗΘΙΚΛΜ ΝΞΟΠΡ΢ΣΤΥΦΧΨ Ωαβγδεζηθικλ μνξοπρςστυφχ ψωАБВГДЕЖЗИЙ КЛМНОПРСТУФХ ЦЧШЩЪЫЬЭЮЯаб вгдежзийклмн опрстуфхцчшщ ъыьэюя</p>
  </section>
</report>
XML
# Justified text: every line's spaces widened by a TJ adjustment.
sed 's|<paragraphs \([^/]*\)align="left"|<paragraphs \1align="justify"|' \
  templates/blaby.xml > "$out/justified.xml"
status=0
for name in table structure charts justified glyphs; do
  def=$out/table.xml tpl=
  [ $name = structure ] && def=tests/golden/structure/report.xml
  [ $name = charts ] && def=examples/chart-gallery/report.xml
  [ $name = glyphs ] && def=$out/glyphs.xml
  [ $name = justified ] && def=examples/blaby-2023/report.xml tpl="-t $out/justified.xml"
  # shellcheck disable=SC2086 # $tpl is two words or none
  SOURCE_DATE_EPOCH=1700000000 "$bin" build "$def" $tpl --dump -o "$out/$name-dump.pdf" > "$out/$name.dump" 2> /dev/null
  # shellcheck disable=SC2086
  if ! SOURCE_DATE_EPOCH=1700000000 "$bin" build "$def" $tpl -o "$out/$name.pdf" 2> "$out/$name.err"; then
    echo "FAIL objstm $name: build failed: $(head -1 "$out/$name.err")"; exit 1
  fi
  if ! qpdf --json --json-stream-data=inline --decode-level=generalized "$out/$name.pdf" > "$out/$name.json" 2> "$out/$name.qpdf"; then
    echo "FAIL objstm $name: qpdf --json: $(head -1 "$out/$name.qpdf")"; status=1
  fi
  if qpdf --check "$out/$name.pdf" > "$out/$name.check" 2>&1 &&
      grep -q "^No syntax or stream encoding errors found" "$out/$name.check" &&
      ! grep -qi "warning" "$out/$name.check"; then
    echo "ok   objstm $name: qpdf --check clean"
  else
    echo "FAIL objstm $name: qpdf --check: $(grep -iv "^checking\|^PDF Version\|^File is not" "$out/$name.check" | head -2)"; status=1
  fi
done
SOURCE_DATE_EPOCH=1700000000 "$bin" build "$out/table.xml" -o "$out/again.pdf" 2> /dev/null
if cmp -s "$out/table.pdf" "$out/again.pdf"; then echo "ok   objstm table: two builds identical"
else echo "FAIL objstm table: two builds differ"; status=1; fi

python3 - "$out" $rows <<'PY' || status=1
import base64, json, re, sys, zlib

out, rows = sys.argv[1], int(sys.argv[2])
bad = 0

def check(ok, what):
    global bad
    print(("ok   objstm " if ok else "FAIL objstm ") + what)
    bad |= not ok

def dict_int(d, key):
    m = re.search(rb"/" + key + rb"\s*(\d+)", d)
    return int(m.group(1)) if m else None

def stream_at(data, off):
    """The dictionary and raw data of the stream object at off."""
    head = data[off:data.index(b"stream", off)]
    if b"endobj" in head:
        return None, b""
    n = dict_int(head, b"Length")
    start = data.index(b"stream", off) + len(b"stream")
    start += 2 if data[start:start + 2] == b"\r\n" else 1
    return head, data[start:start + n] if n is not None else b""

def unpredict(raw, cols):
    """PNG Up predictor rows (filter byte 2) decoded."""
    rows, prev, i = [], bytes(cols), 0
    while i < len(raw):
        f, row = raw[i], bytearray(raw[i + 1:i + 1 + cols])
        i += 1 + cols
        if f == 2:
            for k in range(cols):
                row[k] = (row[k] + prev[k]) & 0xFF
        elif f != 0:
            raise ValueError("PNG filter %d" % f)
        rows.append(bytes(row))
        prev = row
    return rows

def tokens(c):
    """Content stream operators, each with the string of its operands."""
    i, n, ops, args = 0, len(c), [], []
    while i < n:
        ch = c[i:i + 1]
        if ch in b" \t\r\n\f\0":
            i += 1
        elif ch == b"(":
            depth, i, lit = 1, i + 1, bytearray()
            while depth:
                if c[i:i + 1] == b"\\":
                    e = c[i + 1:i + 2]
                    lit += {b"r": b"\r", b"n": b"\n"}.get(e, e)
                    i += 2
                    continue
                depth += {b"(": 1, b")": -1}.get(c[i:i + 1], 0)
                if depth:
                    lit += c[i:i + 1]
                i += 1
            args.append(bytes(lit))
        elif c[i:i + 2] == b"<<":
            i = c.index(b">>", i) + 2
        elif ch == b"<":
            i = c.index(b">", i) + 1
        elif ch in b"[]/":
            j, i = i, i + 1
            while ch == b"/" and i < n and c[i:i + 1] not in b" \t\r\n/[]<>()":
                i += 1
            if ch == b"/":
                args.append(c[j:i].decode("latin1"))
        else:
            j = i
            while j < n and c[j:j + 1] not in b" \t\r\n/[]<>()":
                j += 1
            w = c[i:j]
            if j == i:            # a stray delimiter
                j += 1
            elif not re.fullmatch(rb"[-+.0-9]+", w):
                ops.append((w.decode("latin1"), args))
                args = []
            else:
                args.append(w.decode())
            i = j
    return ops

for name in ("table", "structure", "charts", "justified", "glyphs"):
    data = open("%s/%s.pdf" % (out, name), "rb").read()
    check(data.startswith(b"%PDF-1.7\n%") and all(b >= 128 for b in data[10:14]),
          name + ": %PDF-1.7 and a binary comment line")
    check(b"\ntrailer" not in data and not re.search(rb"\nxref\s", data),
          name + ": no classic cross-reference table or trailer")
    m = re.search(rb"startxref\n(\d+)\n%%EOF\n$", data)
    check(m is not None, name + ": ends with startxref and %%EOF")
    if m is None:
        continue
    xoff = int(m.group(1))
    head, raw = stream_at(data, xoff)
    check(b"/Type/XRef" in head, name + ": startxref points at the xref stream")
    w = [int(x) for x in re.search(rb"/W\[(\d+) (\d+) (\d+)\]", head).groups()]
    size = dict_int(head, b"Size")
    idx = re.search(rb"/Index\[(\d+) (\d+)\]", head)
    check(idx is not None and int(idx.group(1)) == 0 and int(idx.group(2)) == size,
          name + ": /Index [0 /Size]")
    check(re.search(rb"/ID\[<[0-9A-F]{32}><[0-9A-F]{32}>\]", head) is not None
          and b"/Root " in head and b"/Info " in head, name + ": /ID, /Root and /Info in the xref stream")
    cols = sum(w)
    ents = []
    for r in unpredict(zlib.decompress(raw), cols):
        f = [int.from_bytes(r[:w[0]], "big"), int.from_bytes(r[w[0]:w[0] + w[1]], "big"),
             int.from_bytes(r[w[0] + w[1]:], "big")]
        ents.append(f)
    check(len(ents) == size, name + ": %d entries for /Size %d" % (len(ents), size))
    top = [n for n, e in enumerate(ents) if e[0] == 1]
    wrong = [n for n in top if not data.startswith(b"%d 0 obj\n" % n, ents[n][1])]
    check(not wrong, name + ": every offset at its 'N 0 obj' (wrong: %s)" % wrong[:5])
    check(ents[0][0] == 0 and all(e[0] in (1, 2) for e in ents[1:]),
          name + ": object 0 free, every other in use")
    # Object streams: /N pairs, /First, each object where the xref says.
    packed, errs, elems_top, nonstream = {}, [], 0, 0
    for n in top:
        h, raw = stream_at(data, ents[n][1])
        if h is None:
            nonstream += 1
            continue
        if b"/S/" in h or b"/StructElem" in h:
            elems_top += 1
        if b"/Type/ObjStm" not in h:
            continue
        body = zlib.decompress(raw)
        N, first = dict_int(h, b"N"), dict_int(h, b"First")
        pairs = [int(x) for x in body[:first].split()]
        if len(pairs) != 2 * N:
            errs.append("%d: %d numbers for /N %d" % (n, len(pairs), N))
            continue
        offs = pairs[1::2]
        for i in range(N):
            num, o = pairs[2 * i], offs[i]
            end = offs[i + 1] if i + 1 < N else len(body) - first
            obj = body[first + o:first + end].strip()
            if ents[num] != [2, n, i]:
                errs.append("%d: object %d at index %d, xref says %s" % (n, num, i, ents[num]))
            if not obj or (o and body[first + o - 1:first + o] not in b" \n") or \
                    not re.match(rb"<<|\[|\d|-|/|\(|<|true|false|null", obj):
                errs.append("%d: object %d does not start at its offset: %r" % (n, num, obj[:12]))
            packed[num] = obj
    check(not errs, name + ": object streams' /N, /First and offsets agree with the xref (%s)" % errs[:3])
    check(nonstream == 0 and elems_top == 0,
          name + ": only streams at the top level (%d other objects)" % nonstream)
    nelem = sum(1 for o in packed.values() if o.startswith(b"<</S/"))
    check(nelem > 0, name + ": %d structure elements, all in object streams" % nelem)
    if name == "table":
        check(len(top) < 300, "table: %d top-level objects (streams, object streams, xref)" % len(top))
        check(len(data) <= 300000, "table: %d bytes, at most 300,000" % len(data))
        check(all(len(re.findall(rb"/S/", o)) <= 1 for o in packed.values()),
              "table: one object a structure element")

    doc = json.load(open("%s/%s.json" % (out, name)))["qpdf"][1]

    def val(x):
        if isinstance(x, str) and re.fullmatch(r"\d+ \d+ R", x):
            o = doc.get("obj:" + x, {})
            return o.get("value", o.get("stream", {}).get("dict"))
        return x
    cat = val(doc["trailer"]["value"]["/Root"])
    str_ = val(cat["/StructTreeRoot"])
    count, seen, stack = {}, set(), [(str_["/K"], None)]
    badp, cells_of = 0, {}
    while stack:
        k, parent = stack.pop()
        if isinstance(k, list):
            stack.extend((x, parent) for x in k)
            continue
        if not (isinstance(k, str) and k.endswith(" R")) or k in seen:
            continue
        e = val(k)
        if not isinstance(e, dict) or "/S" not in e:
            continue
        seen.add(k)
        if parent is not None and e.get("/P") != parent:
            badp += 1
        if e["/S"] in ("/TD", "/TH") and parent is not None:
            cells_of[parent] = cells_of.get(parent, 0) + 1
        count[e["/S"]] = count.get(e["/S"], 0) + 1
        stack.append((e.get("/K"), k))
    check(badp == 0, name + ": every element's /P is its parent")
    check(len(seen) == nelem, name + ": every packed element reachable (%d of %d)" % (len(seen), nelem))
    # The parent tree, written leaf by leaf as pages go: leaves in key
    # order, each leaf of /Kids with /Limits of its first and last key;
    # every page's /StructParents and annotation's /StructParent a key,
    # once; each page's array as long as its MCIDs, each naming an
    # element; the table's tree in more than one leaf.
    tree, keys, nleaf, limits_bad = val(str_["/ParentTree"]), [], [0], []
    def walk(node, kid):
        node = val(node)
        if "/Kids" in node:
            for k in val(node["/Kids"]):
                walk(k, True)
            return
        n = val(node.get("/Nums", []))
        nleaf[0] += 1
        if kid and n and val(node.get("/Limits")) != [n[0], n[-2]]:
            limits_bad.append((val(node.get("/Limits")), n[0], n[-2]))
        keys.extend(zip(n[0::2], n[1::2]))
    walk(tree, False)
    ks = [k for k, _ in keys]
    ppages = val(val(cat["/Pages"])["/Kids"])
    want = [val(p)["/StructParents"] for p in ppages]
    want += [val(a)["/StructParent"] for p in ppages for a in val(val(p).get("/Annots", [])) or []]
    check(ks == sorted(set(ks)) and sorted(ks) == sorted(want) and not limits_bad and
          str_.get("/ParentTreeNextKey", -1) > max(ks),
          name + ": parent tree keys in order, once each, /Limits right (%d keys, %d leaves, %s)"
          % (len(ks), nleaf[0], limits_bad[:2]))
    arrays, short = dict(keys), []
    for pno, pref in enumerate(ppages):
        c = val(pref)["/Contents"]
        c = b"".join(base64.b64decode(doc["obj:" + r]["stream"]["data"])
                     for r in (c if isinstance(c, list) else [c]))
        arr = val(arrays.get(val(pref)["/StructParents"], []))
        n = len(re.findall(rb"/MCID \d+", c))
        if len(arr) != n or not all(isinstance(val(r), dict) and "/S" in val(r) for r in arr):
            short.append((pno + 1, len(arr), n))
    check(not short, name + ": each page's parent tree array names an element for each MCID (%s)" % short[:3])
    if name == "table":
        check(nleaf[0] > 1, "table: the parent tree in %d leaves (more than one)" % nleaf[0])
    if name == "table":
        # the header row and a row a CSV line, six cells each
        full = sum(1 for n in cells_of.values() if n == 6)
        check(full == rows + 1, "table: %d rows of six TD or TH, for %d" % (full, rows + 1))
    # Text objects and marked content nest, never cross.
    pages = val(val(cat["/Pages"])["/Kids"])
    crossed, ntext, shown = [], 0, []
    hs = [float(val(p)["/MediaBox"][3]) for p in pages]
    # Each font's glyph widths (/W) and bytes a code (a one-byte CMap
    # stream as /Encoding, else Identity-H's two).
    fonts = {}
    for pref in pages:
        for fname, fref in val(val(pref)["/Resources"]).get("/Font", {}).items():
            f0 = val(fref)
            cf = val(val(f0["/DescendantFonts"])[0])
            wd, wa, k = {}, val(cf["/W"]), 0
            while k < len(wa):
                first, ws = wa[k], val(wa[k + 1])
                for j, x in enumerate(ws):
                    wd[first + j] = x
                k += 2
            fonts[fname[2:]] = (wd, 2 if f0["/Encoding"] == "/Identity-H" else 1)
    # One byte a code only where every code fits in one.
    big = sorted((len(wd), max(wd), nb) for wd, nb in fonts.values())
    check(all(nb == 2 if n > 256 else nb == 2 or top < 256 for n, top, nb in big),
          name + ": fonts of more than 256 glyphs in two-byte codes, one byte only where all fit (%s)" % big)
    if name == "glyphs":
        check(big[-1][0] > 256, "glyphs: a font of %d glyphs" % big[-1][0])
    ends = []
    for pno, pref in enumerate(pages):
        c = val(pref)["/Contents"]
        c = b"".join(base64.b64decode(doc["obj:" + r]["stream"]["data"])
                     for r in (c if isinstance(c, list) else [c]))
        st, path = [], False
        tf, tl = None, [0.0, 0.0]
        for op, a in tokens(c):
            # each run shown in the font, size and place the layout gave it
            if op == "Tf":
                tf = (a[0][2:], float(a[1]))
            elif op == "BT":
                tl = [0.0, 0.0]
            elif op == "Td":
                tl = [tl[0] + float(a[0]), tl[1] + float(a[1])]
            elif op == "TJ":
                shown.append((pno, tf, round(tl[0], 1), round(tl[1], 1)))
                # its width: the glyphs' /W less the adjustments
                wd, nb = fonts[tf[0]]
                adv = 0.0
                for x in a:
                    if isinstance(x, bytes):
                        for j in range(0, len(x), nb):
                            adv += wd.get(int.from_bytes(x[j:j + nb], "big"), 0)
                    else:
                        adv -= float(x)
                ends.append(adv * tf[1] / 1000.0)
            # a path is built, then painted, with nothing in between
            if op in ("m", "l", "c", "v", "y", "h", "re"):
                path = True
            elif op in ("S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "n"):
                path = False
            elif path and op not in ("W", "W*"):
                crossed.append((pno, op + " inside a path"))
            if op == "BT":
                ntext += 1
                if "BT" in st:
                    crossed.append((pno, "BT in BT"))
                st.append("BT")
            elif op in ("BDC", "BMC"):
                st.append("MC")
            elif op in ("ET", "EMC"):
                want = "BT" if op == "ET" else "MC"
                if not st or st[-1] != want:
                    crossed.append((pno, op))
                else:
                    st.pop()
            elif op in ("re", "m", "l", "c", "S", "f", "B", "Do", "q", "Q", "cm") and "BT" in st:
                crossed.append((pno, op + " in a text object"))
        if st:
            crossed.append((pno, "left open: %s" % st))
    want, wants, pno = [], [], -1
    for line in open("%s/%s.dump" % (out, name)):
        f = line.split()
        if f and f[0] == "page":
            pno += 1
        elif f and f[0] == "text" and len(f) > 4:
            want.append((pno, (f[3][1:], float(f[4])), round(float(f[1]), 1),
                         round(hs[pno] - float(f[2]), 1)))
            wants.append(float(f[6][2:]) if len(f) > 6 and f[6].startswith("w=") and not re.search(r"\"[↑↓→]", line) else None)
    # sizes within the dump's rounding (0.01: a 9.5pt table's arrows are
    # 11.875pt, dumped as 11.88)
    diff = [(a, b) for a, b in zip(shown, want) if a[0] != b[0] or a[1][0] != b[1][0] or
            abs(a[1][1] - b[1][1]) > 0.0051 or abs(a[2] - b[2]) > 0.2 or abs(a[3] - b[3]) > 0.2]
    check(len(shown) == len(want) and not diff,
          name + ": %d runs shown in the display list's font, size and place (%d in it; first wrong: %s)"
          % (len(shown), len(want), diff[:2]))
    # A line ends where the layout ended it: TJ moves are rounded to whole
    # thousandths of an em, the remainder carried, so they never add up
    # (the dump's w= is to 0.005 pt, the carry's last 1/2000 em 0.006).
    # An arrow's run is as wide as its column, not its glyphs.
    off = max((abs(e - w) for e, w in zip(ends, wants) if w is not None), default=1)
    check(len(ends) == len(wants) and off <= 0.012,
          name + ": %d runs as wide as the layout made them (most off: %.4f pt)" % (len(ends), off))
    check(not crossed and ntext > 0, name + ": %d text objects, marked content nested in or around them, "
          "paths painted before anything else (%s)" % (ntext, crossed[:3]))
sys.exit(1 if bad else 0)
PY
exit $status
