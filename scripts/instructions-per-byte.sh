#!/usr/bin/env bash
# Instructions per input byte, dramalint against ripgrep, counted by callgrind: a comparison
# that does not move with the load of a shared machine, as wall times do (by 40% here).
#
#   scripts/instructions-per-byte.sh [WORKDIR]
#
# Generates a 10 MB corpus (or reuses WORKDIR/corpus-10), takes the first N and the first 2N
# of its zh files plus a fifth as many Fountain files (env FILES=40), and runs each tool on one
# thread over both slices. The difference between the two runs, over the difference in bytes,
# is the marginal cost of a byte with start-up taken out; start-up is printed separately.
# dramalint's is split into parse, cast model and lint with the `phases` example.
#
# Needs: cargo, valgrind, ripgrep (rg), python3.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="${1:-${TMPDIR:-/tmp}/dramalint-bench}"
mkdir -p "$WORK" && WORK="$(cd "$WORK" && pwd)"
FILES="${FILES:-40}"

die() { echo "instructions-per-byte: $*" >&2; exit 1; }
command -v valgrind >/dev/null || die "valgrind not found (apt-get install valgrind)."
command -v rg >/dev/null || die "ripgrep not found ('pip install ripgrep' or 'cargo install ripgrep')."
RG="$(python3 -c 'import os,shutil; print(os.path.realpath(shutil.which("rg")))')"

(cd "$ROOT" && cargo build --release --quiet --bin dramalint --example gen_corpus --example phases)
DL="$ROOT/target/release/dramalint"
PHASES="$ROOT/target/release/examples/phases"
[ -d "$WORK/corpus-10" ] || "$ROOT/target/release/examples/gen_corpus" "$WORK/corpus-10" --mb 10
"$DL" rules keywords > "$WORK/terms.txt"

# Slices: N zh files and N/5 Fountain files, then twice as many.
slice() {
  local dir="$WORK/ipb-$1" zh="$1" en=$(( $1 / 5 ))
  rm -rf "$dir" && mkdir -p "$dir"
  find "$WORK/corpus-10" -name '*.txt' | sort | head -n "$zh" | xargs cp -t "$dir"
  find "$WORK/corpus-10" -name '*.fountain' | sort | head -n "$en" | xargs cp -t "$dir"
  echo "$dir"
}
A="$(slice "$FILES")"
B="$(slice $(( FILES * 2 )))"
bytes() { du -sb "$1" | cut -f1; }

# Total instructions of a command, and the inclusive count of each named function.
count() {
  local out="$WORK/cg.out"
  valgrind --tool=callgrind --callgrind-out-file="$out" "$@" >/dev/null 2>&1
  callgrind_annotate --inclusive=yes "$out" 2>/dev/null | python3 -c '
import re, sys
names = {"total": "PROGRAM TOTALS", "parse": "dramalint::script::parse_bytes ",
         "cast": "dramalint::cast::build ", "lint": "dramalint::engine::Engine::lint "}
got = {}
for line in sys.stdin:
    for k, n in names.items():
        if n in line and k not in got:
            got[k] = int(line.split()[0].replace(",", ""))
print(" ".join(f"{k}={got.get(k, 0)}" for k in names))'
}
val() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }

empty="$WORK/ipb-empty"; mkdir -p "$empty"; echo "x" > "$empty/a.txt"
rg0="$(count "$RG" -c -F -f "$WORK/terms.txt" -j 1 "$empty")"
dl0="$(count "$DL" check "$empty" --format json -j 1)"
rgA="$(count "$RG" -c -F -f "$WORK/terms.txt" -j 1 "$A")"
rgB="$(count "$RG" -c -F -f "$WORK/terms.txt" -j 1 "$B")"
dlA="$(count "$DL" check "$A" --format json -j 1)"
dlB="$(count "$DL" check "$B" --format json -j 1)"
phA="$(count "$PHASES" "$A")"
phB="$(count "$PHASES" "$B")"
nA="$(bytes "$A")"; nB="$(bytes "$B")"; dn=$(( nB - nA ))

per() { python3 -c "print(f'{($2 - $1) / $3:.1f}')" ; }
echo "slices: $nA and $nB bytes; marginal instructions per byte (start-up excluded)"
echo "ripgrep -c -F -f terms.txt   $(per "$(val "$rgA" total)" "$(val "$rgB" total)" "$dn")   (start-up $(val "$rg0" total))"
echo "dramalint check --format json $(per "$(val "$dlA" total)" "$(val "$dlB" total)" "$dn")   (start-up $(val "$dl0" total), more as rules compile on first use)"
for k in parse cast lint; do
  echo "  $k $(per "$(val "$phA" "$k")" "$(val "$phB" "$k")" "$dn")"
done
