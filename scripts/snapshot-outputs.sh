#!/usr/bin/env bash
# Record what dramalint shows of a set of scripts, to prove an optimisation changed nothing:
#
#   scripts/snapshot-outputs.sh BIN OUT DIR...      # e.g. before and after a change
#   diff -r OUT_BEFORE OUT_AFTER                     # must be empty
#
# Records the `scenes --format json` of every script under the DIRs (scenes, elements, the cast
# with every child's cues and evidence) as one md5 a file, and `check --format json` of each DIR
# at the default severity and at `info`.
set -u
[ $# -ge 3 ] || { echo "usage: $0 BIN OUT DIR..." >&2; exit 2; }
BIN="$1"; OUT="$2"; shift 2
mkdir -p "$OUT"
: > "$OUT/scenes.md5"
find "$@" -type f \( -name '*.txt' -o -name '*.fountain' -o -name '*.spmd' -o -name '*.md' \
  -o -name '*.markdown' -o -name '*.fdx' -o -name '*.docx' \) | sort | while IFS= read -r f; do
  echo "$f $("$BIN" scenes "$f" --format json 2>&1 | md5sum | cut -c1-32)" >> "$OUT/scenes.md5"
done
i=0
for d in "$@"; do
  i=$((i + 1))
  "$BIN" check "$d" --format json -j 2 > "$OUT/check-$i.json" 2>&1
  "$BIN" check "$d" --format json --min-severity info -j 1 > "$OUT/check-$i-info.json" 2>&1
done
echo "$(wc -l < "$OUT/scenes.md5") scene dumps and $i check reports in $OUT" >&2
