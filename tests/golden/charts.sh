#!/bin/sh
# Chart checks on the chart gallery. As PNG, against the committed pictures
# (docs/img/chart-NAME.png, remade by `make charts-images` after a
# deliberate change): the same charts by name, none missing and none extra,
# each the same to the pixel, and two runs the same to the byte. As SVG,
# each file parsed (xmllint): an <svg> root with its size, drawn paths,
# glyphs, and the chart's caption and text alternative as its <title> and
# <desc>. Prints "ok ..." or "FAIL ..." per check.
cd "$(dirname "$0")/../.." || exit 3
bin=${SC_BIN:-./scrutineer}
diff=${PNGDIFF:-build/pngdiff}
gallery=examples/chart-gallery/report.xml
out=tests/out/charts-golden
mkdir -p "$out"
status=0
ok() { echo "ok   golden $1"; }
bad() { echo "FAIL golden $1"; status=1; }
# names DIR PREFIX EXT: the chart names in DIR, sorted, one a line.
names() { ls "$1" 2>/dev/null | sed -n "s/^$2\(.*\)\.$3\$/\1/p" | sort; }
# xq FILE XPATH: the XPath's value ('' when empty or unparsable).
xq() { xmllint --xpath "$2" "$1" 2>/dev/null; }

names docs/img chart- png > "$out/expected"
[ -s "$out/expected" ] || bad "charts: no docs/img/chart-*.png to compare with"

# PNG.
rm -rf "$out/png" "$out/again"; mkdir -p "$out/png" "$out/again"
if [ ! -x "$diff" ]; then
  bad "charts: no $diff to compare pictures with (make $diff)"
elif "$bin" charts "$gallery" -o "$out/png" --dpi 72 2> "$out/png.err" &&
     "$bin" charts "$gallery" -o "$out/again" --dpi 72 2>> "$out/png.err"; then
  names "$out/png" "" png > "$out/produced"
  for n in $(comm -23 "$out/expected" "$out/produced"); do
    bad "chart $n.png: docs/img/chart-$n.png has no chart drawn for it"
  done
  for n in $(comm -13 "$out/expected" "$out/produced"); do
    bad "chart $n.png: drawn, but there is no docs/img/chart-$n.png (make charts-images, then look at it)"
  done
  for n in $(comm -12 "$out/expected" "$out/produced"); do
    if r=$("$diff" "$out/png/$n.png" "docs/img/chart-$n.png" 2>&1); then
      ok "chart $n.png matches docs/img"
    else
      bad "chart $n.png against docs/img/chart-$n.png: $r"
    fi
    cmp -s "$out/png/$n.png" "$out/again/$n.png" || bad "chart $n.png: two runs differ"
  done
else
  bad "charts: $(cat "$out/png.err")"
fi

# SVG.
rm -rf "$out/svg"; mkdir -p "$out/svg"
if "$bin" charts "$gallery" -o "$out/svg" --format svg 2> "$out/svg.err"; then
  names "$out/svg" "" svg > "$out/produced-svg"
  for n in $(comm -13 "$out/expected" "$out/produced-svg"); do
    bad "chart $n.svg: written, but not among docs/img's charts"
  done
  for n in $(cat "$out/expected"); do
    f=$out/svg/$n.svg
    if [ ! -f "$f" ]; then bad "chart $n.svg: not written"; continue; fi
    if ! xmllint --noout "$f" 2> "$out/$n.svg.err"; then
      bad "chart $n.svg: not well-formed: $(head -1 "$out/$n.svg.err")"; continue
    fi
    why=""
    root=$(xq "$f" 'concat(local-name(/*), " ", namespace-uri(/*))')
    [ "$root" = "svg http://www.w3.org/2000/svg" ] || why="$why; the root is <$root>, not an SVG <svg>"
    # The size: a viewBox of four numbers with a positive width and
    # height, or else width and height attributes.
    vb=$(xq "$f" 'string(/*/@viewBox)')
    size=$(xq "$f" 'concat(/*/@width, "x", /*/@height)')
    echo "$vb" | awk 'NF == 4 && $3 > 0 && $4 > 0 { found = 1 } END { exit !found }' ||
      [ "$size" != "x" ] || why="$why; no viewBox, width or height"
    # Drawn shapes (not only glyph outlines in <defs>).
    paths=$(xq "$f" 'count(//*[local-name()="path"][not(ancestor::*[local-name()="defs"])])')
    [ "${paths:-0}" -gt 0 ] || why="$why; no drawn paths"
    # Text: cairo writes glyphs as <use> of glyph symbols, others <text>.
    glyphs=$(xq "$f" 'count(//*[local-name()="use"][starts-with(@*[local-name()="href"], "#glyph")]) + count(//*[local-name()="text"])')
    [ "${glyphs:-0}" -ge 10 ] || why="$why; ${glyphs:-no} glyphs, no text to speak of"
    # Its title is its caption in the report; its description is the
    # text alternative, which starts by naming the kind of chart and
    # gives the highest and lowest, or a pie's parts with their shares.
    want=$(xq "$gallery" "string(//chart[@id='$n']/@caption)")
    title=$(xq "$f" 'string(/*/*[local-name()="title"])')
    [ -n "$want" ] && [ "$title" = "$want" ] || why="$why; <title> \"$title\", want \"$want\""
    desc=$(xq "$f" 'string(/*/*[local-name()="desc"])')
    case $desc in
      [A-Z]*" chart"*". Highest: "*"; lowest: "*) ;;
      [A-Z]*" chart"*": "*" and "*"%).") ;;
      *) why="$why; <desc> \"$desc\" is not a text alternative" ;;
    esac
    if [ -z "$why" ]; then ok "chart $n.svg: svg, size, $paths paths, $glyphs glyphs, title, desc"
    else bad "chart $n.svg:${why#;}"; fi
  done
  # One word for word: what a screen reader says for the line chart.
  want="Line chart of Incidents reported by month, Apr 22 to Mar 23, for Blaby and Hinckley and Bosworth. Highest: 252 in Jul 22 (Hinckley and Bosworth); lowest: 125 in Jan 23 (Blaby)."
  desc=$(xq "$out/svg/line.svg" 'string(/*/*[local-name()="desc"])')
  [ "$desc" = "$want" ] && ok "chart line.svg: its description word for word" ||
    bad "chart line.svg: <desc> \"$desc\", want \"$want\""
else
  bad "charts as SVG: $(cat "$out/svg.err")"
fi

# Which drawings a report exports, and their names: the document's charts,
# key-figure tiles and risk matrices (by id, else by caption number, else
# in order), never its plain images (they are files already).
expect_set() { # EXAMPLE "NAMES…"
  d=$out/set-$1; rm -rf "$d"; mkdir -p "$d"
  if "$bin" charts "examples/$1/report.xml" -o "$d" 2> "$d.err"; then
    got=$(ls "$d" | tr '\n' ' ')
    [ "$got" = "$2" ] && ok "charts of $1: $2" ||
      bad "charts of $1: wrote \"$got\", want \"$2\""
  else
    bad "charts of $1: $(cat "$d.err")"
  fi
}
expect_set blaby-2023 "figure-2.png figure-3.png figure-4.png figure-5.png figure-6.png "
expect_set hinckley-blaby-2017 "net-red-risks-matrix.png "
d=$out/set-plain; rm -rf "$d"; mkdir -p "$d"
cat > "$out/plain.xml" <<'XML'
<report version="1"><meta><title>T</title><meeting-date>2024-01-01</meeting-date></meta>
<data><csv id="c" href="../../../examples/chart-gallery/data/asb.csv"/></data>
<chart type="column" data="c" x="month" series="Blaby"/>
<chart id="named" type="column" data="c" x="month" series="Blaby"/>
</report>
XML
if "$bin" charts "$out/plain.xml" --allow-path examples -o "$d" 2> "$d.err"; then
  got=$(ls "$d" | tr '\n' ' ')
  [ "$got" = "chart-1.png named.png " ] && ok "charts without id or caption: chart-1.png, then by id" ||
    bad "charts without id or caption: wrote \"$got\", want \"chart-1.png named.png \""
else
  bad "charts without id or caption: $(cat "$d.err")"
fi
exit $status
