#!/usr/bin/env bash
# Builds the bench-only probe module (bench/probe/src/lib.rs) into bench/out/probe/. The first
# build compiles the engine for wasm once more (a few minutes on 2 cores); later ones take seconds.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
cd "$ROOT/bench/probe"
cargo build --release --quiet --target wasm32-unknown-unknown --target-dir "$ROOT/target/probe"
wasm-bindgen --target web --remove-name-section --remove-producers-section --out-dir "$ROOT/bench/out/probe" \
  "$ROOT/target/probe/wasm32-unknown-unknown/release/care_scorecard_probe.wasm"
