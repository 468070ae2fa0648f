#!/usr/bin/env bash
# Cross-check the engine's A1, A10, A2, A3 against the independent Python implementation
# (tests/independent/scorecard.py). Every (id, window) reported by both must agree exactly
# on value, n and count. Exit 1 on any mismatch.
#
# Usage: tests/independent/compare.sh            # the default input sets below
#        tests/independent/compare.sh DIR...      # one input set of your own
set -u
cd "$(dirname "$0")/../.."

cargo build --release --quiet || { echo "cargo build failed" >&2; exit 2; }
ENGINE=target/release/care-scorecard
PY=tests/independent/scorecard.py
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

if [ $# -gt 0 ]; then
  SETS=("$*")
else
  SETS=(
    "tests/fixtures/worked-example"
    "tests/data/synthetic"
    "tests/data/synthetic-yearly/2013 tests/data/synthetic-yearly/2014 tests/data/synthetic-yearly/2015 tests/data/synthetic-yearly/2016 tests/data/synthetic-yearly/2017"
    "tests/fixtures/peers/d2i-csc-validator-be-903/fake_data"
    "tests/fixtures/edge-cases/d1 tests/fixtures/edge-cases/d2"
  )
fi

status=0
i=0
for set in "${SETS[@]}"; do
  i=$((i + 1))
  # shellcheck disable=SC2086
  if ! "$ENGINE" report --json $set >"$TMP/engine$i.json" 2>"$TMP/engine$i.err"; then
    echo "engine failed on: $set" >&2; cat "$TMP/engine$i.err" >&2; status=1; continue
  fi
  # shellcheck disable=SC2086
  if ! python3 "$PY" $set >"$TMP/py$i.json"; then
    echo "scorecard.py failed on: $set" >&2; status=1; continue
  fi
  echo "$set" >"$TMP/name$i"
done

python3 - "$TMP" "$i" <<'EOF' || status=1
import json, sys
from decimal import Decimal
tmp, nsets = sys.argv[1], int(sys.argv[2])

def num(v):
    return None if v is None else Decimal(str(v))

total = mism = 0
rows = []
for k in range(1, nsets + 1):
    try:
        name = open(f"{tmp}/name{k}").read().strip()
        eng = json.load(open(f"{tmp}/engine{k}.json"))
        py = json.load(open(f"{tmp}/py{k}.json"))
    except FileNotFoundError:
        continue
    e = {(r["id"], r["window"]): r for r in eng["indicators"]
         if r.get("window_kind") in ("1-year", "3-year", None)}
    p = {(r["id"], r["window"]): r for r in py}
    common = sorted(set(e) & set(p), key=lambda k: (k[1], k[0]))
    only_e = sorted(set(e) - set(p), key=lambda k: (k[1], k[0]))
    only_p = sorted(set(p) - set(e), key=lambda k: (k[1], k[0]))
    print(f"== {name}")
    if only_e:
        print("   engine only:", ", ".join(f"{a} {w}" for a, w in only_e))
    if only_p:
        print("   script only:", ", ".join(f"{a} {w}" for a, w in only_p))
    local = 0
    for key in common:
        total += 1
        a, b = e[key], p[key]
        diffs = [f for f in ("value", "n", "count") if num(a.get(f)) != num(b.get(f))]
        if diffs:
            mism += 1
            local += 1
            rows.append((name, key[0], key[1],
                         f"{a.get('value')} / {a.get('n')} / {a.get('count')}",
                         f"{b.get('value')} / {b.get('n')} / {b.get('count')}"))
    print(f"   {len(common)} compared, {local} mismatches")

if rows:
    print()
    w = [max(len(str(r[i])) for r in rows + [("input", "id", "window", "engine value/n/count", "script value/n/count")]) for i in range(5)]
    hdr = ("input", "id", "window", "engine value/n/count", "script value/n/count")
    print("  ".join(h.ljust(w[i]) for i, h in enumerate(hdr)))
    for r in rows:
        print("  ".join(str(x).ljust(w[i]) for i, x in enumerate(r)))
print()
print(f"{total} indicators compared, {mism} mismatches")
sys.exit(1 if mism else 0)
EOF
exit $status
