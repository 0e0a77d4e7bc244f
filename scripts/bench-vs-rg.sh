#!/usr/bin/env bash
# Measure dramalint against real peers on a generated corpus and print the targets table.
#
#   scripts/bench-vs-rg.sh [WORKDIR]
#
# Env: SIZES="10 100" (MB; add 200 for the RSS-flatness check), JOBS=2, RUNS=1 (runs of the
# dramalint timings; ripgrep always gets 3 and the best is kept), SLICE_MB=2 (textlint slice),
# SKIP_TEXTLINT=1 to skip the npm part.
#
# Needs: cargo, python3, GNU time (/usr/bin/time), ripgrep (rg). Optional:
# hyperfine (extra rg/dramalint timing), npm (textlint + textlint-rule-ng-word).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="${1:-${TMPDIR:-/tmp}/dramalint-bench}"
mkdir -p "$WORK" && WORK="$(cd "$WORK" && pwd)"
SIZES="${SIZES:-10 100}"
JOBS="${JOBS:-2}"
RUNS="${RUNS:-1}"
SLICE_MB="${SLICE_MB:-2}"
mkdir -p "$WORK"

die() { echo "bench-vs-rg: $*" >&2; exit 1; }
have() { command -v "$1" >/dev/null 2>&1; }

have rg || die "ripgrep not found on PATH. Install it with 'pip install ripgrep' (binary wheel) or 'cargo install ripgrep'."
[ -x /usr/bin/time ] || die "GNU time not found at /usr/bin/time (apt-get install time)."
have python3 || die "python3 is needed (it writes textlint's config)."

echo "== build (release)" >&2
(cd "$ROOT" && cargo build --release --quiet --bin dramalint --example gen_corpus)
DL="$ROOT/target/release/dramalint"
GEN="$ROOT/target/release/examples/gen_corpus"

# Every literal keyword of the default packs, one a line (rg -f and ng-word read these).
TERMS="$WORK/terms.txt"
"$DL" rules keywords > "$TERMS"
echo "$(wc -l < "$TERMS") keywords -> $TERMS" >&2

# "wall_seconds max_rss_kb" of one command (stdout discarded), best wall of $2 runs.
measure() {
  local runs="$1"; shift
  local best="" rss=""
  for _ in $(seq "$runs"); do
    /usr/bin/time -f '%e %M' -o "$WORK/time.out" "$@" >/dev/null 2>"$WORK/err.out" || true
    # GNU time puts "Command exited with non-zero status N" first; the numbers are last.
    read -r w m < <(tail -n 1 "$WORK/time.out") || die "no timing for: $*"
    if [ -z "$best" ] || awk "BEGIN{exit !($w < $best)}"; then best="$w"; fi
    if [ -z "$rss" ] || [ "$m" -gt "$rss" ]; then rss="$m"; fi
  done
  echo "$best $rss"
}

declare -A DL_T DL_M RG_T RG_M BYTES
for mb in $SIZES; do
  corpus="$WORK/corpus-$mb"
  if [ ! -d "$corpus" ]; then
    echo "== generate $mb MB corpus" >&2
    "$GEN" "$corpus" --mb "$mb"
  fi
  BYTES[$mb]=$(du -sb "$corpus" | cut -f1)
  echo "== rg on $mb MB" >&2
  read -r RG_T[$mb] RG_M[$mb] < <(measure 3 rg -c -F -f "$TERMS" -j "$JOBS" "$corpus")
  echo "== dramalint on $mb MB" >&2
  read -r DL_T[$mb] DL_M[$mb] < <(measure "$RUNS" "$DL" check "$corpus" --format json -j "$JOBS")
  echo "   rg ${RG_T[$mb]} s ${RG_M[$mb]} KB | dramalint ${DL_T[$mb]} s ${DL_M[$mb]} KB" >&2
  if have hyperfine; then
    hyperfine -w 1 -r 3 -N \
      "rg -c -F -f $TERMS -j $JOBS $corpus" \
      "$DL check $corpus --format json -j $JOBS" >&2 || true
  fi
done

# One ~50 KB script, cold process: best of 5.
one=$(find "$WORK/corpus-$(echo "$SIZES" | awk '{print $1}')" -name '*.txt' -size +45k -size -60k | sort | head -1)
read -r ONE_T ONE_M < <(measure 5 "$DL" check "$one" --format json)
read -r EMPTY_T EMPTY_M < <(measure 5 "$DL" check "$ROOT/fixtures/examples/ep01.txt" --format json)
# GNU time counts in 10 ms steps; hyperfine's mean of many runs is finer when it is there.
if have hyperfine; then
  hyperfine -N -w 5 -r 50 -i --export-json "$WORK/cold.json" "$DL check $one --format json" >&2 || true
  ONE_T=$(python3 -c 'import json,sys; print(round(json.load(open(sys.argv[1]))["results"][0]["mean"], 4))' "$WORK/cold.json")
fi

# textlint + ng-word on a slice of zh files (textlint reads .txt and .md, not .fountain).
TL_T="" TL_DL_T="" SLICE_BYTES=""
slice="$WORK/slice-$SLICE_MB"
if [ -z "${SKIP_TEXTLINT:-}" ] && have npm; then
  tl="$WORK/textlint"
  if [ ! -x "$tl/node_modules/.bin/textlint" ]; then
    echo "== npm install textlint textlint-rule-ng-word" >&2
    mkdir -p "$tl"
    (cd "$tl" && timeout 300 npm install --silent --no-audit --no-fund textlint textlint-rule-ng-word >/dev/null 2>&1) || true
  fi
  if [ -x "$tl/node_modules/.bin/textlint" ]; then
    if [ ! -d "$slice" ]; then
      mkdir -p "$slice"
      budget=$((SLICE_MB << 20)) sum=0
      src="$WORK/corpus-$(echo "$SIZES" | awk '{print $1}')"
      while IFS= read -r f; do
        [ "$sum" -ge "$budget" ] && break
        cp "$f" "$slice/"
        sum=$((sum + $(stat -c %s "$f")))
      done < <(find "$src" -name '*.txt' | sort)
    fi
    SLICE_BYTES=$(du -sb "$slice" | cut -f1)
    python3 - "$TERMS" "$tl/.textlintrc.json" <<'PY'
import sys, json
words = [w for w in open(sys.argv[1], encoding="utf-8").read().splitlines() if w]
json.dump({"rules": {"ng-word": {"words": words}}}, open(sys.argv[2], "w"), ensure_ascii=False)
PY
    echo "== textlint + ng-word on $SLICE_MB MB slice" >&2
    read -r TL_T _ < <(cd "$tl" && measure 1 ./node_modules/.bin/textlint --config .textlintrc.json --format json "$slice")
    read -r TL_DL_T _ < <(measure 3 "$DL" check "$slice" --format json -j "$JOBS")
  else
    echo "   textlint could not be installed; skipping" >&2
  fi
else
  echo "   npm not found (or SKIP_TEXTLINT set); skipping textlint" >&2
fi

# The table.
ratio() { awk "BEGIN{ if ($2 > 0) printf \"%.2f\", $1 / $2; else print \"n/a\" }"; }
big=$(echo "$SIZES" | awk '{print $NF}')
small=$(echo "$SIZES" | awk '{print $1}')
verdict() { awk "BEGIN{ print ($1) ? \"met\" : \"NOT met\" }"; }

echo
echo "corpus: $(echo "$SIZES" | sed 's/ / MB, /g') MB (80% zh plain layout, 20% Fountain); $(wc -l <"$TERMS") keywords; -j $JOBS; $(nproc) cores"
echo
echo "| size | rg wall s | rg max RSS MB | dramalint wall s | dramalint max RSS MB | dramalint MB/s | ratio dl/rg |"
echo "|---|---|---|---|---|---|---|"
for mb in $SIZES; do
  echo "| $mb MB | ${RG_T[$mb]} | $((RG_M[$mb] / 1024)) | ${DL_T[$mb]} | $((DL_M[$mb] / 1024)) | $(awk "BEGIN{printf \"%.2f\", ${BYTES[$mb]} / 1048576 / ${DL_T[$mb]}}") | $(ratio "${DL_T[$mb]}" "${RG_T[$mb]}") |"
done
echo
r_rg=$(ratio "${DL_T[$big]}" "${RG_T[$big]}")
lin=$(ratio "${DL_T[$big]}" "${DL_T[$small]}")
want_lin=$(awk "BEGIN{print $big / $small}")
echo "| target | wanted | measured | verdict |"
echo "|---|---|---|---|"
echo "| wall vs rg -c -F -f terms ($big MB) | <= 1.5x | ${r_rg}x | $(verdict "$r_rg <= 1.5") |"
if [ -n "$TL_T" ]; then
  thr=$(ratio "$TL_T" "$TL_DL_T")
  echo "| throughput vs textlint + ng-word ($(awk "BEGIN{printf \"%.1f\", $SLICE_BYTES/1048576}") MB slice) | >= 100x | ${thr}x (textlint ${TL_T} s, dramalint ${TL_DL_T} s) | $(verdict "$thr >= 100") |"
else
  echo "| throughput vs textlint + ng-word | >= 100x | skipped | n/a |"
fi
echo "| one $(($(stat -c %s "$one") / 1024)) KB script, cold | <= 20 ms | $(awk "BEGIN{printf \"%.0f\", $ONE_T * 1000}") ms (1 KB fixture: $(awk "BEGIN{printf \"%.0f\", $EMPTY_T * 1000}") ms) | $(verdict "$ONE_T <= 0.020") |"
rss_mb=$((DL_M[$big] / 1024))
flat=""
if [ -n "${DL_M[200]:-}" ] && [ -n "${DL_M[100]:-}" ]; then
  flat=", 200 MB: $((DL_M[200] / 1024)) MB ($(ratio "${DL_M[200]}" "${DL_M[100]}")x of 100 MB)"
fi
echo "| peak RSS ($big MB) | <= 64 MB, flat | ${rss_mb} MB${flat} | $(verdict "$rss_mb <= 64") |"
echo "| time $big MB / $small MB | ${want_lin} +-10% | ${lin} | $(verdict "$lin >= $want_lin * 0.9 && $lin <= $want_lin * 1.1") |"
