#!/bin/sh
# What the documentation says against what the code does:
#   - scrutineer --help names every command and option the argument
#     parsers (src/cli/main.c, src/cli/batch.c) accept, each option on a
#     line of its own under "Options:", each command under "Commands:",
#     and the batch usage line every option batch.c takes;
#   - examples/all-elements uses every element the grammar
#     (src/definition/rules.c) knows, as its README claims.
# Prints "ok   docs ..." or "FAIL docs ..." per check.
cd "$(dirname "$0")/../.." || exit 3
bin=${SC_BIN:-./scrutineer}
status=0
ok() { echo "ok   docs $1"; }
bad() { echo "FAIL docs $1"; status=1; }

help=$("$bin" --help 2>&1) || { bad "--help exits non-zero"; exit 1; }
options=$(echo "$help" | sed -n '/^Options:/,/^$/p')
commands=$(echo "$help" | sed -n '/^Commands:/,/^$/p')
batch_usage=$(echo "$help" | sed -n '/scrutineer batch/,/scrutineer --help/p')

# The literals compared with an argument: strcmp(a, "--dump"),
# strncmp(a, "--pdfa=", 7), strcmp(argv[i], "-o"), strcmp(cmd, "-h");
# "--pdfa=" is --pdfa.
opts_of() {
  grep -oE 'strn?cmp\((a|argv\[i\]|cmd), "-[^"]*"' "$@" |
    sed 's/.*"\(-[^"]*\)"/\1/; s/=$//' | sort -u
}
main_opts=$(opts_of src/cli/main.c)
batch_opts=$(opts_of src/cli/batch.c)
# A parser that matches no option at all means this extraction broke.
[ "$(echo "$main_opts" | grep -c .)" -ge 15 ] || bad "found only $(echo "$main_opts" | grep -c .) options in src/cli/main.c"
[ "$(echo "$batch_opts" | grep -c .)" -ge 8 ] || bad "found only $(echo "$batch_opts" | grep -c .) options in src/cli/batch.c"
# The list an unknown option is matched against for "did you mean".
known=$(sed -n '/^static const char options\[\] =/,/;$/p' src/cli/main.c | tr -d '\n' | sed 's/[^"]*"\([^"]*\)"/\1/g; s/;$//')
missing=
for o in $main_opts; do
  case " $known " in *" $o "*) ;; *) [ "$o" = -h ] || missing="$missing $o";; esac
done
[ -n "$known" ] && [ -z "$missing" ] && ok "did-you-mean knows every option main.c accepts" ||
  bad "main.c's options[] (for did-you-mean) lacks:$missing"
missing=
for o in $main_opts $batch_opts; do
  # At the start of an Options line, or after "-h, ".
  echo "$options" | grep -qE -- "^  (-[a-z], )?$o([ =,]|$)" || missing="$missing $o"
done
[ -z "$missing" ] && ok "--help describes every option the parsers accept" ||
  bad "--help's Options do not describe:$missing"
missing=
for o in $batch_opts; do
  echo "$batch_usage" | grep -qE -- "\[$o([] =]|$)" || missing="$missing $o"
done
[ -z "$missing" ] && ok "--help's batch usage lists every batch option" ||
  bad "--help's batch usage does not list:$missing"
# The commands: strcmp(cmd, "build").
cmds=$(grep -o 'strcmp(cmd, "[a-z][^"]*"' src/cli/main.c | sed 's/.*"\(.*\)"/\1/' | sort -u)
[ "$(echo "$cmds" | grep -c .)" -ge 5 ] || bad "found only $(echo "$cmds" | grep -c .) commands in src/cli/main.c"
missing=
for c in $cmds; do
  echo "$commands" | grep -qE "^  $c " || missing="$missing $c"
  echo "$help" | grep -qE "^ *(usage: )?scrutineer $c " || missing="$missing $c(usage)"
done
[ -z "$missing" ] && ok "--help lists every command" || bad "--help does not list:$missing"

# Every element of the grammar: the first word of each rules[] entry.
elements=$(sed -n '/^static const struct rule rules\[\]/,/^};/p' src/definition/rules.c |
  grep -o '{ "[a-z-]*"' | sed 's/{ "//; s/"//' | sort -u)
[ "$(echo "$elements" | grep -c .)" -ge 40 ] || bad "found only $(echo "$elements" | grep -c .) elements in src/definition/rules.c"
missing=
for e in $elements; do
  grep -q "<$e[ />]" examples/all-elements/report.xml || missing="$missing $e"
done
[ -z "$missing" ] && ok "examples/all-elements uses all $(echo "$elements" | grep -c .) elements" ||
  bad "examples/all-elements does not use:$missing"
exit $status
