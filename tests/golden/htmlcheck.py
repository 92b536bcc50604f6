#!/usr/bin/env python3
"""htmlcheck.py FILE.html — what an HTML edition holds, one fact a line,
for tests/golden/html.sh (and the fuzz harness's corpus checks):

  lang X / title X / hN TEXT (each heading, visible text) / count KEY N
  caption TEXT / figcaption TEXT / row TEXT (a body row's visible cells)
  ERROR what is wrong   (well-formedness, a script, an event handler, an
                         element the writer never writes, a duplicate id,
                         an in-page link to no id, a fetched resource,
                         an svg without its title and desc)

Visible text leaves out what is hidden from sight (aria-hidden arrows)
and keeps what only a screen reader hears (.vh) out as well, so that a
row reads as the PDF prints it. Tables inside a closed <details> (a
chart's data) are not counted among the tables the PDF prints.
Exit status 1 when there is any ERROR.
"""
import sys
from html.parser import HTMLParser

VOID = {"meta", "br", "hr", "img", "link", "input", "source", "col", "wbr"}
HTML_OK = VOID - {"link", "input", "source", "col", "wbr"} | {
    "html", "head", "title", "style", "body", "main", "nav", "div",
    "section", "h1", "h2", "h3", "h4", "h5", "h6", "p", "span", "strong",
    "em", "a", "ul", "ol", "li", "dl", "dt", "dd", "table", "caption",
    "thead", "tbody", "tr", "th", "td", "figure", "figcaption", "details",
    "summary", "svg"}
SVG_BAD = {"script", "foreignobject", "a", "iframe", "image"}


class Check(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []
        self.errors = []
        self.facts = []
        self.counts = {}
        self.ids = {}
        self.hrefs = []
        self.capture = None      # [tag, text, hidden-depth]
        self.hidden = 0          # depth inside aria-hidden / .vh
        self.closed_details = 0  # depth inside a closed <details>
        self.row = None
        self.svg = None          # the open root svg's facts
        self.in_svg = 0
        self.dl_rows = False

    def count(self, k, n=1):
        self.counts[k] = self.counts.get(k, 0) + n

    def err(self, what):
        self.errors.append("ERROR line %d: %s" % (self.getpos()[0], what))

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for k, v in attrs:
            if k.startswith("on"):
                self.err("event handler attribute %s on <%s>" % (k, tag))
            if k in ("href", "src", "xlink:href") and v is not None:
                lv = v.strip().lower()
                if lv.startswith("javascript:") or lv.startswith("vbscript:"):
                    self.err("script URL in %s of <%s>" % (k, tag))
                if k == "src" and not lv.startswith("data:image/"):
                    self.err("<%s src> fetches %s" % (tag, v[:40]))
                if k == "href" and tag == "a" and lv.startswith("data:"):
                    self.err("data: link")
            if k == "id":
                if v in self.ids:
                    self.err("duplicate id %s" % v)
                self.ids[v] = tag
        if self.in_svg:
            if tag in SVG_BAD:
                self.err("<%s> inside an svg" % tag)
            if tag == "title" and self.svg is not None and self.in_svg == 1:
                self.svg["title"] = a.get("id")
            if tag == "desc" and self.svg is not None and self.in_svg == 1:
                self.svg["desc"] = a.get("id")
                self.capture = ["desc", ""]
        elif tag not in HTML_OK:
            self.err("unexpected element <%s>" % tag)
        if tag == "script":
            self.count("script")
        if tag == "link":
            self.count("link")
        if tag == "html":
            self.facts.append("lang %s" % a.get("lang", ""))
        if tag == "a" and a.get("href", "").startswith("#"):
            self.hrefs.append((a["href"][1:], self.getpos()[0]))
        if tag == "svg":
            if self.in_svg == 0:
                if a.get("aria-hidden") == "true":
                    self.count("svg-decorative")
                else:
                    self.svg = {"role": a.get("role"), "by":
                                (a.get("aria-labelledby") or "").split(),
                                "title": None, "desc": None}
            self.in_svg += 1
        elif self.in_svg:
            self.in_svg += 1
        hide = a.get("aria-hidden") == "true" or "vh" in \
            (a.get("class") or "").split()
        if tag == "details" and "open" not in a:
            self.closed_details += 1
        if tag == "dl":
            self.dl_rows = "stacked" not in (a.get("class") or "").split()
        if tag in VOID:
            return
        self.stack.append((tag, hide, tag == "details" and "open" not in a))
        if hide:
            self.hidden += 1
        if self.closed_details == 0 and not self.in_svg:
            if tag == "th":
                sc = a.get("scope")
                # A chart's data table labels its rows; the PDF's, drawn
                # when data-table="yes", does not (the PDF is the poorer).
                if sc == "row" and any(t == "details" for t, _, _ in
                                       self.stack):
                    sc = "row-data"
                self.count("th-" + (sc or "none"))
            if tag == "td":
                self.count("td")
                if any(t == "thead" for t, _, _ in self.stack):
                    self.count("thead-td")
            if tag == "dt" and self.dl_rows:
                self.count("front-dt")
            if tag == "table":
                self.count("table")
            if tag == "tr" and self.in_tbody():
                self.row = []
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6", "caption",
                   "figcaption", "title") and not self.in_svg:
            self.capture = [tag, ""]
        if tag in ("td", "th") and self.row is not None:
            self.row.append("")

    def in_tbody(self):
        return any(t == "tbody" for t, _, _ in self.stack)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack:
            self.err("</%s> closes nothing" % tag)
            return
        top, hide, closed = self.stack.pop()
        if top != tag:
            self.err("</%s> closes <%s>" % (tag, top))
        if hide:
            self.hidden -= 1
        if closed:
            self.closed_details -= 1
        if tag == "svg":
            self.in_svg -= 1
            if self.in_svg == 0 and self.svg is not None:
                s = self.svg
                self.count("svg")
                if s["role"] == "img":
                    self.count("svg-img")
                if not (s["title"] and s["desc"] and s["title"] in s["by"]
                        and s["desc"] in s["by"]):
                    self.err("svg without a title and desc it is labelled by")
                else:
                    self.count("svg-labelled")
                self.svg = None
        elif self.in_svg:
            self.in_svg -= 1
        if self.capture is not None and tag == self.capture[0]:
            t = " ".join(self.capture[1].split())
            if tag == "desc":
                if not t:
                    self.err("an svg's <desc> is empty")
            else:
                self.facts.append("%s %s" % (tag, t))
            self.capture = None
        if tag == "tr" and self.row is not None:
            self.facts.append("row " + " | ".join(
                " ".join(c.split()) for c in self.row))
            self.row = None

    def handle_data(self, data):
        if self.in_svg and self.capture is None:
            return
        if "<" in data and not self.in_svg and self.stack and \
                self.stack[-1][0] not in ("style",):
            pass  # a '<' in text is data, escaped on the way out: fine
        if self.hidden:
            return
        if self.capture is not None:
            self.capture[1] += data
        if self.row is not None and self.row:
            self.row[-1] += data


def main():
    path = sys.argv[1]
    with open(path, encoding="utf-8") as f:
        src = f.read()
    c = Check()
    c.feed(src)
    c.close()
    if c.stack:
        c.err("unclosed: " + " ".join(t for t, _, _ in c.stack))
    if not src.startswith("<!DOCTYPE html>\n"):
        c.err("no <!DOCTYPE html> first")
    for target, line in c.hrefs:
        if target not in c.ids:
            c.errors.append("ERROR line %d: link to #%s, which no element has"
                            % (line, target))
    for f in c.facts:
        print(f)
    for k in sorted(c.counts):
        print("count %s %d" % (k, c.counts[k]))
    for e in c.errors:
        print(e)
    return 1 if c.errors else 0


if __name__ == "__main__":
    sys.exit(main())
