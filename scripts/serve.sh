#!/usr/bin/env bash
# Installs what is missing, builds, and serves the page on this computer only:
#   bash scripts/serve.sh           http://127.0.0.1:8080/
#   PORT=9000 bash scripts/serve.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
bash scripts/build.sh
exec node scripts/serve.mjs
