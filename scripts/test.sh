#!/usr/bin/env bash
# Everything CI checks, in order: formatting, lints, Rust tests, the wasm build, and last the
# real-browser tests (so the final line is node's test summary).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

bash scripts/install.sh --browser
cargo fmt --check
cargo clippy --all-targets -- -D warnings
cargo test
# The engine against an independent implementation of the same rules (tests/independent).
bash tests/independent/compare.sh
# The page's own JavaScript that runs without a browser: the CSV writer and small-number rule.
node --test tests/www/
bash scripts/build.sh
# The page's own modules under Node (charts.js, published.js) and the benchmark's yardstick
# (bench/baseline: still agrees with the engine, under a second), then the real-browser tests.
node --test tests/unit/ bench/baseline/
node --test tests/browser/
