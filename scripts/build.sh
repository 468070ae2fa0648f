#!/usr/bin/env bash
# Builds the page into www/: the engine as WebAssembly (www/pkg), the workbook reader as a second
# WebAssembly module loaded only when a workbook is dropped (www/pkg-xlsx), and GOV.UK Frontend
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

# Two modules from one crate. The workbook module (feature xlsx) has its own target directory:
# sharing one would rebuild the crate each time the feature set flips.
# The engine is built for speed (the profile's opt-level 3: 1M episodes in 5.7 s, against 9.4 s
# at "z"), at 196 KB of brotli wasm. The first view loads no wasm: it shows the engine's version
# and thresholds from www/engine-info.json (below), and the worker fetches the engine when the
# user first gives it data. The workbook module, fetched only for a workbook, is built with "s".
cargo build --release --target wasm32-unknown-unknown --lib
CARGO_PROFILE_RELEASE_OPT_LEVEL=s cargo build --release --target wasm32-unknown-unknown --lib --features xlsx --target-dir target/xlsx

# No wasm-opt: Debian's binaryen breaks the module and npm's gains under 5% after compression.
rm -rf www/pkg www/pkg-xlsx
wasm-bindgen --target web --remove-name-section --remove-producers-section \
  --out-dir www/pkg target/wasm32-unknown-unknown/release/care_scorecard.wasm
wasm-bindgen --target web --remove-name-section --remove-producers-section \
  --out-dir www/pkg-xlsx --out-name care_scorecard_xlsx \
  target/xlsx/wasm32-unknown-unknown/release/care_scorecard.wasm

# What the first view shows of the engine (version, thresholds), without loading it.
node scripts/engine-info.mjs

# The point of two modules: the main one must not carry the workbook reader.
if grep -q -a 'sharedStrings' www/pkg/care_scorecard_bg.wasm; then
  echo "build.sh: www/pkg contains the workbook reader (calamine); it belongs in www/pkg-xlsx only" >&2
  exit 1
fi

# GOV.UK Frontend is served from this site, never from a CDN. Its CSS asks for /assets/...
# at the site root, hence www/assets.
govuk=node_modules/govuk-frontend/dist/govuk
rm -rf www/vendor/govuk www/assets
mkdir -p www/vendor/govuk
cp "$govuk/govuk-frontend.min.css" "$govuk/govuk-frontend.min.js" www/vendor/govuk/
cp -R "$govuk/assets" www/assets

# The methodology as a page of the site (docs/methodology.md -> www/methodology.html).
node scripts/build-methodology.mjs

# The service worker's list of the files to keep for offline use (www/sw.js), with a version: a
# hash of every built file, so a build that changes any file is a new worker with a new cache.
# Of GOV.UK Frontend's assets only the two the pages ask for: the favicon (index.html,
# methodology.html) and the crest (the CSS); not its fonts (the page must not use them,
# www/app.css), icons, manifests or the rebrand's copies, which no page asks for.
(
  cd www
  files=$( (find . -type f ! -name sw.js ! -name sw-manifest.js ! -name '*.d.ts' ! -name '*.map' \
    ! -name package.json ! -name '.*' ! -path './assets/*' | sed 's|^\./||'
    printf '%s\n' assets/images/favicon.ico assets/images/govuk-crest.svg) | LC_ALL=C sort)
  version=$( (printf '%s\n' $files sw.js | xargs sha256sum) | sha256sum | cut -c1-16)
  {
    echo '// Written by scripts/build.sh: the files www/sw.js keeps for offline use. Do not edit.'
    echo "self.BUILD = { version: '$version', files: ["
    printf "  '%s',\n" $files
    echo '] };'
  } > sw-manifest.js
)

echo "Built www/ ($(du -k www/pkg/care_scorecard_bg.wasm | cut -f1) KB of wasm;" \
  "$(du -k www/pkg-xlsx/care_scorecard_xlsx_bg.wasm | cut -f1) KB more when a workbook is dropped)"
