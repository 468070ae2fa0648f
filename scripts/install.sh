#!/usr/bin/env bash
# Installs everything the build and the tests need, on a fresh machine or again on a ready one
# (each step is skipped when already done). Reaches only crates.io, npm and Debian apt.
#
#   bash scripts/install.sh            Rust target, wasm-bindgen-cli, npm packages
#   bash scripts/install.sh --browser  the same, plus Chromium from Debian (for the browser tests)
set -euo pipefail
cd "$(dirname "$0")/.."

with_browser=false
for arg in "$@"; do
  case "$arg" in
    --browser) with_browser=true ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown option $arg (expected --browser)" >&2; exit 2 ;;
  esac
done

# cargo install puts binaries here; a fresh non-login shell may not have it on PATH yet.
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

# RUSTUP_AUTO_INSTALL=0 on these machines: the target must be added explicitly.
rustup target add wasm32-unknown-unknown

# wasm-bindgen-cli must be exactly the version of the wasm-bindgen crate in Cargo.lock,
# or the generated JS and the .wasm disagree.
wasm_bindgen_version() {
  if [[ -f Cargo.lock ]]; then
    awk '/^name = "wasm-bindgen"$/ { found = 1; next }
         found && /^version = / { gsub(/"/, "", $3); print $3; exit }' Cargo.lock
  fi
}
want="$(wasm_bindgen_version)"
if [[ -z "$want" ]]; then
  # No lock yet (or it lacks wasm-bindgen): cargo metadata writes the missing entries
  # without updating the ones already locked.
  cargo metadata --format-version 1 >/dev/null
  want="$(wasm_bindgen_version)"
fi
if [[ -z "$want" ]]; then
  echo "install.sh: Cargo.lock lists no wasm-bindgen; is it a wasm32 dependency in Cargo.toml?" >&2
  exit 1
fi
have="$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)"
if [[ "$have" == "$want" ]]; then
  echo "wasm-bindgen-cli $want already installed"
else
  echo "Installing wasm-bindgen-cli $want (3-5 minutes on 2 cores)"
  # --locked fails on some registries (a locked dependency version is missing): fall back.
  cargo install wasm-bindgen-cli --version "$want" --locked \
    || cargo install wasm-bindgen-cli --version "$want"
fi

# npm: skip when node_modules was installed from the current lock file.
if [[ -f package-lock.json ]]; then
  if [[ node_modules/.package-lock.json -nt package-lock.json && node_modules/.package-lock.json -nt package.json ]]; then
    echo "npm packages already installed"
  else
    npm ci --no-audit --no-fund
  fi
else
  npm install --no-audit --no-fund
fi

if $with_browser; then
  if [[ -x /usr/bin/chromium ]]; then
    echo "Chromium already installed: $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
  else
    sudo=""
    if [[ "$(id -u)" != 0 ]]; then sudo="sudo"; fi
    $sudo apt-get update
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium
  fi
fi
