#!/usr/bin/env bash
# Deterministic synthetic SSDA903 data sets for the benchmarks, made by src/bin/synth.rs.
#
#   bash bench/generate.sh                      # 10k, 100k, 1M and 3M episodes into bench/data/
#   bash bench/generate.sh --sizes 10k,100k     # only these
#   bash bench/generate.sh --sizes 1M /tmp/d    # into /tmp/d/1M/
#
# Each size is one full-history set (header.csv, episodes.csv, ad1.csv, placed_adoption.csv) in
# DIR/SIZE/. The synthetic children average about 4.2 episodes each, so a set of E episodes has
# E / 4.2 children (the episode count is close to E, not exact). One fixed seed and collection
# years 2013 to 2017 (the scorecard's A3 thresholds run to 2016) for every size: since synth gives
# each child its own random stream, a smaller set is the first children of a larger one.
#
# A set already generated with the same parameters and the same synth.rs is kept (DIR/SIZE/params
# records them), so a second run costs nothing. Sizes: 10k 100k 1M 3M (about 0.9, 9, 92 and
# 275 MB of CSV).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

SEED=903
FIRST_YEAR=2013
LAST_YEAR=2017
sizes=10k,100k,1M,3M
out=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --sizes) sizes="$2"; shift 2 ;;
    --sizes=*) sizes="${1#--sizes=}"; shift ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    -*) echo "generate.sh: unknown option $1" >&2; exit 2 ;;
    *) out="$1"; shift ;;
  esac
done
out=${out:-$ROOT/bench/data}

# Episodes wanted for a size name.
episodes_for() {
  case "$1" in
    10k) echo 10000 ;; 100k) echo 100000 ;; 1M) echo 1000000 ;; 3M) echo 3000000 ;;
    *) echo "generate.sh: unknown size $1 (10k, 100k, 1M or 3M)" >&2; return 2 ;;
  esac
}

synth_hash=$(sha256sum "$ROOT/src/bin/synth.rs" | cut -c1-16)
built=false
IFS=, read -r -a list <<<"$sizes"
for size in "${list[@]}"; do
  episodes=$(episodes_for "$size")
  children=$(( (episodes * 10 + 21) / 42 ))   # episodes / 4.2, rounded
  dir="$out/$size"
  params="seed=$SEED children=$children first-year=$FIRST_YEAR last-year=$LAST_YEAR synth=$synth_hash"
  if [[ -f "$dir/params" && "$(cat "$dir/params")" == "$params" ]]; then
    echo "$size: kept $dir ($(( $(wc -l <"$dir/episodes.csv") - 1 )) episodes)"
    continue
  fi
  if ! $built; then
    (cd "$ROOT" && cargo build --release --quiet --bin synth)
    built=true
  fi
  rm -rf "$dir"
  mkdir -p "$dir"
  start=$(date +%s%N)
  "$ROOT/target/release/synth" --seed "$SEED" --children "$children" \
    --first-year "$FIRST_YEAR" --last-year "$LAST_YEAR" --out "$dir" >/dev/null 2>"$dir/synth.log" ||
    { cat "$dir/synth.log" >&2; exit 1; }
  echo "$params" >"$dir/params"
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  printf '%s: wrote %s (%d children, %d episodes, %s MB) in %d.%d s\n' "$size" "$dir" "$children" \
    $(( $(wc -l <"$dir/episodes.csv") - 1 )) "$(du -cb "$dir"/*.csv | awk 'END { printf "%.1f", $1 / 1e6 }')" \
    $((ms / 1000)) $((ms % 1000 / 100))
done
