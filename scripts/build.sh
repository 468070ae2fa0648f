#!/usr/bin/env bash
# Builds the page into www/: the engine as WebAssembly (www/pkg) and GOV.UK Frontend
# (www/vendor/govuk, www/assets). Needs scripts/install.sh to have run once.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

if ! command -v wasm-bindgen >/dev/null; then
  echo "build.sh: wasm-bindgen not found; run: bash scripts/install.sh" >&2
  exit 1
fi
if [[ ! -d node_modules/govuk-frontend ]]; then
  echo "build.sh: node_modules/govuk-frontend not found; run: bash scripts/install.sh" >&2
  exit 1
fi

cargo build --release --target wasm32-unknown-unknown --lib

# No wasm-opt: Debian's binaryen breaks the module and npm's gains under 5% after compression.
rm -rf www/pkg
wasm-bindgen --target web --remove-name-section --remove-producers-section \
  --out-dir www/pkg target/wasm32-unknown-unknown/release/care_scorecard.wasm

# GOV.UK Frontend is served from this site, never from a CDN. Its CSS asks for /assets/...
# at the site root, hence www/assets.
govuk=node_modules/govuk-frontend/dist/govuk
rm -rf www/vendor/govuk www/assets
mkdir -p www/vendor/govuk
cp "$govuk/govuk-frontend.min.css" "$govuk/govuk-frontend.min.js" www/vendor/govuk/
cp -R "$govuk/assets" www/assets

echo "Built www/ ($(du -k www/pkg/care_scorecard_bg.wasm | cut -f1) KB of wasm)"
