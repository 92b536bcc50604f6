#!/bin/sh
# PDF/A and PDF/UA identification: tests/golden/structure/report.xml built
# with each --pdfa level and with --no-ua, and each PDF read object by
# object (qpdf --json) for what ISO 19005-2 asks of the document: the XMP
# packet (unfiltered, /Type /Metadata /Subtype /XML) with pdfaid:part and
# conformance, the pdfuaid extension schema beside them, the Info
# dictionary saying the same, the sRGB output intent with the profile
# embedded at build time (byte for byte the Makefile's ICC_SRGB), the
# trailer /ID; and that none and --no-ua leave out what they say.
# Prints "ok ..." or "FAIL ..." per check.
cd "$(dirname "$0")/../.." || exit 3
bin=${SC_BIN:-./scrutineer}
icc=${ICC_SRGB:-/usr/share/color/icc/sRGB.icc}
out=tests/out/pdfa
mkdir -p "$out"
def=tests/golden/structure/report.xml
status=0
for v in default none 2u 3a no-ua; do
  case $v in
    default) args= ;;
    no-ua) args=--no-ua ;;
    *) args=--pdfa=$v ;;
  esac
  # shellcheck disable=SC2086
  if ! SOURCE_DATE_EPOCH=1700000000 "$bin" build "$def" -o "$out/$v.pdf" $args 2> "$out/$v.err"; then
    echo "FAIL pdfa $v: build failed: $(head -1 "$out/$v.err")"; exit 1
  fi
  if ! qpdf --json --json-stream-data=inline --decode-level=generalized "$out/$v.pdf" > "$out/$v.json" 2> "$out/qpdf.err"; then
    echo "FAIL pdfa $v: qpdf --json: $(head -1 "$out/qpdf.err")"; exit 1
  fi
done
python3 - "$out" "$icc" <<'PY' || status=1
import base64, json, re, sys

out, icc_path = sys.argv[1], sys.argv[2]
icc = open(icc_path, "rb").read()
bad = 0

def check(ok, what):
    global bad
    print(("ok   pdfa: " if ok else "FAIL pdfa: ") + what)
    bad |= not ok

class Doc:
    def __init__(self, name):
        self.objs = json.load(open("%s/%s.json" % (out, name)))["qpdf"][1]
        self.trailer = self.objs["trailer"]["value"]
        self.cat = self.val(self.trailer["/Root"])
        self.info = self.val(self.trailer.get("/Info", {}))
        m = self.cat.get("/Metadata")
        self.meta_dict = self.objs.get("obj:" + m, {}).get("stream", {}).get("dict", {}) if m else {}
        self.xmp = self.data(m).decode("utf-8") if m else ""

    def val(self, x):
        """The value of an object or a reference to one."""
        if isinstance(x, str) and re.fullmatch(r"\d+ \d+ R", x):
            o = self.objs.get("obj:" + x, {})
            return o.get("value", o.get("stream", {}).get("dict"))
        return x

    def data(self, ref):
        return base64.b64decode(self.objs["obj:" + ref]["stream"]["data"])

    def prop(self, name):
        """The text of an XMP property element, or None."""
        m = re.search(r"<%s>(.*?)</%s>" % (name, name), self.xmp, re.S)
        return m.group(1) if m else None

def text(s):
    """A qpdf JSON string (u:… or b:…) as text."""
    if isinstance(s, str) and s.startswith("u:"):
        return s[2:]
    if isinstance(s, str) and s.startswith("b:"):
        b = bytes.fromhex(s[2:])
        return b[2:].decode("utf-16-be") if b[:2] == b"\xfe\xff" else b.decode("latin-1")
    return s

d = Doc("default")
check(d.meta_dict.get("/Type") == "/Metadata" and d.meta_dict.get("/Subtype") == "/XML",
      "the catalog's /Metadata is /Type /Metadata /Subtype /XML, got %s" % d.meta_dict)
check("/Filter" not in d.meta_dict, "the XMP stream is not filtered (PDF/A 6.6.2.1), got %s" % d.meta_dict.get("/Filter"))
check(d.xmp.startswith("<?xpacket begin=") and d.xmp.rstrip().endswith("<?xpacket end=\"r\"?>"),
      "the XMP is one xpacket")
check('xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"' in d.xmp, "pdfaid's namespace is declared")
check(d.prop("pdfaid:part") == "2", "pdfaid:part is 2, got %s" % d.prop("pdfaid:part"))
check(d.prop("pdfaid:conformance") == "A", "pdfaid:conformance is A, got %s" % d.prop("pdfaid:conformance"))
check(d.prop("pdfuaid:part") == "1", "pdfuaid:part is 1, got %s" % d.prop("pdfuaid:part"))
check(d.prop("pdfaSchema:prefix") == "pdfuaid" and
      d.prop("pdfaSchema:namespaceURI") == "http://www.aiim.org/pdfua/ns/id/" and
      d.prop("pdfaProperty:name") == "part" and d.prop("pdfaProperty:valueType") == "Integer",
      "pdfuaid is described by a PDF/A extension schema (6.6.2.3)")
# The Info dictionary and the XMP say the same (6.6.3).
title = re.search(r'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">(.*?)</rdf:li>', d.xmp)
check(title is not None and text(d.info.get("/Title")) == title.group(1),
      "dc:title is the Info /Title (%s)" % text(d.info.get("/Title")))
check(text(d.info.get("/Producer")) == d.prop("pdf:Producer"), "pdf:Producer is the Info /Producer")
check(text(d.info.get("/Creator")) == d.prop("xmp:CreatorTool"), "xmp:CreatorTool is the Info /Creator")
lang = re.search(r"<dc:language><rdf:Bag><rdf:li>(.*?)</rdf:li>", d.xmp)
check(lang is not None and text(d.cat.get("/Lang")) == lang.group(1), "dc:language is the catalog's /Lang")
def pdfdate(s):
    m = re.match(r"D:(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z", text(s) or "")
    return "%s-%s-%sT%s:%s:%sZ" % m.groups() if m else None
check(d.prop("xmp:CreateDate") == "2023-11-14T22:13:20Z" == pdfdate(d.info.get("/CreationDate")),
      "xmp:CreateDate is SOURCE_DATE_EPOCH and the Info /CreationDate")
check(d.prop("xmp:ModifyDate") == "2023-11-14T22:13:20Z" == pdfdate(d.info.get("/ModDate")),
      "xmp:ModifyDate is SOURCE_DATE_EPOCH and the Info /ModDate")
# The output intent (6.2.3).
ois = d.val(d.cat.get("/OutputIntents", []))
check(isinstance(ois, list) and len(ois) == 1, "the catalog has one output intent")
oi = d.val(ois[0]) if ois else {}
check(oi.get("/Type") == "/OutputIntent" and oi.get("/S") == "/GTS_PDFA1",
      "it is /Type /OutputIntent /S /GTS_PDFA1")
check(text(oi.get("/OutputConditionIdentifier")) == "sRGB IEC61966-2.1",
      "its /OutputConditionIdentifier is sRGB IEC61966-2.1, got %s" % oi.get("/OutputConditionIdentifier"))
prof = oi.get("/DestOutputProfile")
pd = d.objs.get("obj:" + prof, {}).get("stream", {}).get("dict", {}) if isinstance(prof, str) else {}
check(pd.get("/N") == 3, "its /DestOutputProfile is a stream with /N 3, got %s" % pd.get("/N"))
check(bool(pd) and d.data(prof) == icc,
      "the profile's bytes are %s's (%d bytes)" % (icc_path, len(icc)))
check(bool(pd) and d.data(prof)[36:40] == b"acsp" and d.data(prof)[16:20] == b"RGB ",
      "the profile is an ICC profile of RGB")
ids = d.trailer.get("/ID")
check(isinstance(ids, list) and len(ids) == 2 and all(len(i) > 10 for i in ids), "the trailer has an /ID")
check("/Encrypt" not in d.trailer, "the file is not encrypted")
check("/Names" not in d.cat or "/JavaScript" not in d.val(d.cat["/Names"]) and "/OpenAction" not in d.cat,
      "no JavaScript")

n = Doc("none")
check("pdfaid" not in n.xmp, "--pdfa=none: no pdfaid in the XMP")
check("pdfaExtension" not in n.xmp, "--pdfa=none: no extension schema")
check("/OutputIntents" not in n.cat, "--pdfa=none: no output intent")
check(n.prop("pdfuaid:part") == "1", "--pdfa=none: pdfuaid:part still 1")
check(not any(o.get("stream", {}).get("dict", {}).get("/N") == 3 for o in n.objs.values() if isinstance(o, dict)),
      "--pdfa=none: no ICC profile stream")

u = Doc("2u")
check(u.prop("pdfaid:part") == "2" and u.prop("pdfaid:conformance") == "U",
      "--pdfa=2u: part 2, conformance U, got %s %s" % (u.prop("pdfaid:part"), u.prop("pdfaid:conformance")))
check("/OutputIntents" in u.cat, "--pdfa=2u: an output intent")
t = Doc("3a")
check(t.prop("pdfaid:part") == "3" and t.prop("pdfaid:conformance") == "A",
      "--pdfa=3a: part 3, conformance A, got %s %s" % (t.prop("pdfaid:part"), t.prop("pdfaid:conformance")))
a = Doc("no-ua")
check("pdfuaid" not in a.xmp, "--no-ua: no pdfuaid (nor its extension schema) in the XMP")
check(a.prop("pdfaid:part") == "2" and "/OutputIntents" in a.cat, "--no-ua: still PDF/A-2")
check("/StructTreeRoot" in a.cat and a.val(a.cat.get("/MarkInfo", {})).get("/Marked") is True,
      "--no-ua: still tagged")
sys.exit(1 if bad else 0)
PY
# The pack claims the same (its catalog is the base PDF's), but only if
# every PDF it merges claims PDF/A too: the example's appendices (made by
# cairo, as another system would) do not, so it is written without the
# claim and says so; one whose appendix is PDF/A keeps it.
xmp_of() {
  root=$(qpdf --show-object=trailer "$1" | sed -n 's|.*/Root \([0-9]*\) 0 R.*|\1|p')
  meta=$(qpdf --show-object="$root" "$1" | sed -n 's|.*/Metadata \([0-9]*\) 0 R.*|\1|p')
  qpdf --show-object="$meta" --filtered-stream-data "$1"
}
pdef=examples/pack-2023-12/meeting.xml
if [ -f examples/pack-2023-12/appendices/action-plans.pdf ]; then
  if "$bin" pack "$pdef" --allow-path examples -o "$out/pack.pdf" --pdfa=2u --no-ua 2> "$out/pack.err"; then
    xmp=$(xmp_of "$out/pack.pdf")
    root=$(qpdf --show-object=trailer "$out/pack.pdf" | sed -n 's|.*/Root \([0-9]*\) 0 R.*|\1|p')
    want='examples/pack-2023-12/meeting.xml:50: warning: item 4: "examples/pack-2023-12/appendices/action-plans.pdf" is not a PDF/A file, so the pack is written without its PDF/A-2 claim and cannot be archived as PDF/A; export it again as PDF/A (Word: Save as PDF, Options, "PDF/A compliant"), or build with --pdfa=none to say so'
    if ! echo "$xmp" | grep -q pdfaid && ! echo "$xmp" | grep -q pdfuaid &&
        ! qpdf --show-object="$root" "$out/pack.pdf" | grep -q '/OutputIntents' &&
        grep -qxF "$want" "$out/pack.err" && [ "$(grep -c 'not a PDF/A file' "$out/pack.err")" = 1 ]; then
      echo "ok   pdfa: pack with a non-PDF/A appendix: no PDF/A claim, no output intent, one warning naming it"
    else echo "FAIL pdfa: pack with a non-PDF/A appendix: claims PDF/A, or the warning is not as expected: $(cat "$out/pack.err")"; status=1; fi
  else echo "FAIL pdfa: pack build failed: $(head -1 "$out/pack.err")"; status=1; fi
else echo "skip pdfa: pack: examples/pack-2023-12's appendices are not generated"; fi
cat > "$out/pack-a.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<pack version="1" lang="en-GB">
  <meeting>
    <organisation>Test Council</organisation>
    <committee>Audit Committee</committee>
    <date>2024-01-10</date>
  </meeting>
  <item title="Apologies for absence"><text>To receive apologies.</text></item>
  <item title="An archived report" pdf="2u.pdf"/>
</pack>
XML
if "$bin" pack "$out/pack-a.xml" -o "$out/pack-a.pdf" 2> "$out/pack-a.err" &&
    xmp=$(xmp_of "$out/pack-a.pdf") &&
    echo "$xmp" | grep -q '<pdfaid:part>2</pdfaid:part>' &&
    echo "$xmp" | grep -q '<pdfaid:conformance>A</pdfaid:conformance>' &&
    ! grep -q 'PDF/A' "$out/pack-a.err"; then
  echo "ok   pdfa: pack whose appendix is PDF/A-2u: the pack keeps PDF/A-2a, no warning"
else echo "FAIL pdfa: pack whose appendix is PDF/A: $(cat "$out/pack-a.err")"; status=1; fi
# A batch passes the levels to every build; a level it does not know is
# a usage error before any build, and no PDF is written.
rm -rf "$out/batch" "$out/batch-bad"
if "$bin" batch "$def" -o "$out/batch" --pdfa=3a --no-ua -j1 > /dev/null 2> "$out/batch.err" &&
    xmp=$(xmp_of "$out/batch/structure.pdf") &&
    echo "$xmp" | grep -q '<pdfaid:part>3</pdfaid:part>' && ! echo "$xmp" | grep -q pdfuaid; then
  echo "ok   pdfa: batch --pdfa=3a --no-ua: part 3, no pdfuaid"
else echo "FAIL pdfa: batch --pdfa=3a --no-ua: the XMP is not as asked: $(head -1 "$out/batch.err")"; status=1; fi
if "$bin" batch "$def" -o "$out/batch" -j1 > /dev/null 2>&1 &&
    xmp=$(xmp_of "$out/batch/structure.pdf") &&
    echo "$xmp" | grep -q '<pdfaid:part>2</pdfaid:part>' && echo "$xmp" | grep -q '<pdfuaid:part>1</pdfuaid:part>'; then
  echo "ok   pdfa: batch without options: PDF/A-2 and PDF/UA-1"
else echo "FAIL pdfa: batch without options: not PDF/A-2 and PDF/UA-1"; status=1; fi
"$bin" batch "$def" -o "$out/batch-bad" --pdfa=1b > /dev/null 2> "$out/batch-bad.err"
rc=$?
if [ $rc = 2 ] && [ "$(head -1 "$out/batch-bad.err")" = "scrutineer: batch: --pdfa is none, 2a (the default), 2u or 3a: 1b" ] &&
    [ ! -e "$out/batch-bad" ]; then
  echo "ok   pdfa: batch --pdfa=1b: exit 2, the levels named, nothing written"
else echo "FAIL pdfa: batch --pdfa=1b: exit $rc, said: $(head -1 "$out/batch-bad.err")"; status=1; fi
exit $status
