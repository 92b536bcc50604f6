#!/usr/bin/python3
"""pdfstruct.py FILE.pdf — a summary of a tagged PDF's structure tree, for
the golden tests to compare exactly: how many elements of each type (H1-H6
by level, TH by Scope), how many Figures have Alt, Links have an OBJR and
/Contents, Tables have a TR with TH, and the outline and page labels.
One fact a line, sorted, so a diff names what changed.  Exit 2 when the
file has no structure tree at all."""
import collections
import sys

import pikepdf


def main(path):
    pdf = pikepdf.open(path)
    root = pdf.Root
    if "/StructTreeRoot" not in root:
        print("no StructTreeRoot")
        return 2
    rolemap = root.StructTreeRoot.get("/RoleMap", {})
    count = collections.Counter()

    def typ(e):
        s = str(e.get("/S", "?"))[1:]
        return str(rolemap.get("/" + s, "/" + s))[1:] if "/" + s in rolemap else s

    def attrs(e):
        a = e.get("/A")
        if a is None:
            return []
        return list(a) if isinstance(a, pikepdf.Array) else [a]

    def kids(e):
        k = e.get("/K")
        if k is None:
            return []
        return list(k) if isinstance(k, pikepdf.Array) else [k]

    seen = set()

    def walk(e, depth):
        if depth > 200 or e.objgen in seen and e.objgen != (0, 0):
            count["cycle or too deep"] += 1
            return
        seen.add(e.objgen)
        t = typ(e)
        if t == "TH":
            scope = "none"
            for a in attrs(e):
                if "/Scope" in a:
                    scope = str(a.Scope)[1:]
            count["TH scope=" + scope] += 1
        else:
            count[t] += 1
        ks = kids(e)
        if t == "Figure":
            alt = str(e.get("/Alt", ""))
            count["Figure with Alt" if alt.strip() else "Figure WITHOUT Alt"] += 1
        if t == "Link":
            objr = [k for k in ks if isinstance(k, pikepdf.Dictionary)
                    and k.get("/Type") == "/OBJR"]
            if not objr:
                count["Link WITHOUT OBJR"] += 1
            for o in objr:
                annot = o.Obj
                if str(annot.get("/Contents", "")).strip():
                    count["Link OBJR with Contents"] += 1
                else:
                    count["Link OBJR WITHOUT Contents"] += 1
        if t == "Table":
            # TRs straight under Table, or in its THead / TBody / TFoot.
            rows = [r for r in ks if isinstance(r, pikepdf.Dictionary)
                    and typ(r) == "TR"]
            for g in ks:
                if isinstance(g, pikepdf.Dictionary) and typ(g) in ("THead", "TBody", "TFoot"):
                    rows += [r for r in kids(g) if isinstance(r, pikepdf.Dictionary)
                             and typ(r) == "TR"]
            ths = sum(1 for r in rows if typ(r) == "TR"
                      and any(isinstance(c, pikepdf.Dictionary) and typ(c) == "TH"
                              for c in kids(r)))
            count["Table with a TH row or column" if ths else "Table WITHOUT TH"] += 1
        for k in ks:
            if isinstance(k, pikepdf.Dictionary) and "/S" in k:
                walk(k, depth + 1)
            elif isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/MCR":
                count["marked content"] += 1
            elif isinstance(k, int):
                count["marked content"] += 1

    for k in kids(root.StructTreeRoot):
        if isinstance(k, pikepdf.Dictionary):
            walk(k, 0)
    out = ["%s %d" % (k, v) for k, v in count.items()]
    # The outline: its entries and their depth.
    n, deepest = 0, 0
    if "/Outlines" in root and "/First" in root.Outlines:
        stack = [(root.Outlines.First, 1)]
        while stack:
            o, d = stack.pop()
            n += 1
            deepest = max(deepest, d)
            if "/Next" in o:
                stack.append((o.Next, d))
            if "/First" in o:
                stack.append((o.First, d + 1))
    out.append("outline entries %d, depth %d" % (n, deepest))
    labels = root.get("/PageLabels")
    if labels is not None:
        nums = list(labels.get("/Nums", []))
        out.append("page label ranges %d" % (len(nums) // 2))
    out.append("pages %d" % len(pdf.pages))
    # XMP: the PDF/UA identification, and the same title as Info's.
    if "/Metadata" in root:
        m = pdf.open_metadata()
        out.append("XMP pdfuaid:part %s" % m.get("{http://www.aiim.org/pdfua/ns/id/}part", "none"))
        info = str(pdf.docinfo.get("/Title", ""))
        out.append("XMP dc:title %s Info Title" % ("=" if m.get("dc:title", None) == info else "!="))
        out.append("XMP dc:language %s" % ",".join(sorted(m.get("dc:language", []))))
    else:
        out.append("XMP none")
    out.append("Lang %s" % str(root.get("/Lang", "none")))
    for line in sorted(out):
        print(line)
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print("usage: pdfstruct.py FILE.pdf", file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
