#!/bin/sh
# Regenerate the page's built-in demo data, www/demo/ ("Try the demo data"): a synthetic council
# of 1,200 children over six collection years (2020-21 to 2025-26), from src/bin/synth.rs, and
# synthetic carers.csv and adopters.csv from scripts/gen-demo-local.mjs. No real child, household
# or family is in it. The output is deterministic: rerunning this script must leave `git status`
# clean unless a generator changed (tests/demo_data.rs and tests/browser/demo.test.mjs check).
set -eu
cd "$(dirname "$0")/.."

SEED=2026
CHILDREN=1200
FIRST=2021
LAST=2026

rm -rf www/demo
cargo run --quiet --release --bin synth -- --seed "$SEED" --children "$CHILDREN" \
  --first-year "$FIRST" --last-year "$LAST" --out www/demo
node scripts/gen-demo-local.mjs www/demo "$FIRST" "$LAST"
