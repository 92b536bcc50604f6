#!/bin/sh
# mkdict.sh SCHEMA.rng — a libFuzzer dictionary of the schema's element
# and attribute names and enumerated values, so that mutations make words
# the parser knows (coverage past the first "unknown element").
rng=$1
{
  grep -o '<element name="[^"]*"' "$rng" | sed 's/.*name="//; s/"$//' | sort -u |
    while read -r e; do printf '"<%s"\n"</%s>"\n' "$e" "$e"; done
  grep -o '<attribute name="[^"]*"' "$rng" | sed 's/.*name="//; s/"$//' | sort -u |
    while read -r a; do printf '" %s=\\""\n' "$a"; done
  grep -o '<value>[^<]*</value>' "$rng" | sed 's/<value>//; s/<\/value>//' | sort -u |
    while read -r v; do printf '"\\"%s\\""\n' "$v"; done
} | awk '{ printf "kw%d=%s\n", NR, $0 }'
