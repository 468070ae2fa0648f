#!/bin/sh
# Regenerate the committed synthetic SSDA903 golden data from src/bin/synth.rs.
#   tests/data/synthetic/         one full-history set (header, episodes, ad1, placed_adoption)
#   tests/data/synthetic-yearly/  the same children as overlapping annual returns, one folder per
#                                 collection year (2013 ... 2017)
# Same seed for both, so they describe the same 400 children. The output is deterministic: rerunning
# this script must leave `git status` clean unless synth.rs changed.
set -eu
cd "$(dirname "$0")/.."

ARGS="--seed 1 --children 400 --first-year 2013 --last-year 2017"

rm -rf tests/data/synthetic tests/data/synthetic-yearly
# shellcheck disable=SC2086 # ARGS is meant to split into words
cargo run --quiet --release --bin synth -- $ARGS --out tests/data/synthetic
# shellcheck disable=SC2086
cargo run --quiet --release --bin synth -- $ARGS --per-year --out tests/data/synthetic-yearly
