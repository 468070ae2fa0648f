#!/usr/bin/env bash
# Fuzzes the whole engine with libFuzzer (cargo-fuzz on nightly Rust). Not part of CI or
# scripts/test.sh: it runs for as long as you give it. `cargo test --test robustness` runs the same
# recipes briefly on stable in every test run.
#
#   bash scripts/fuzz.sh [MINUTES] [TARGET...]
#
# MINUTES (default 10) is wall-clock time. TARGETs (default: all) run side by side, one core each:
#   bytes     arbitrary bytes as one to four files and as pasted text
#   fixtures  the valid fixtures cut to a few children, then mutated (cells, dates, codes, rows,
#             columns, quotes, separators, line ends, encodings, bytes)
# Each target must never panic, and every report must keep its invariants
# (tests/support/fuzzing.rs: rows read = used + excluded per file, every message starts with its
# file's name, located diagnostics, consistent figures, JSON serialisable).
#
# FUZZ_COVERAGE=1 then replays each corpus once (an AddressSanitizer build, which libFuzzer needs to
# name functions) and prints the share of the engine's instrumented edges it reaches, file by file.
# The edges include inlined library code and the bounds and overflow checks that must never fire,
# so 100% is out of reach by design; read it as "how much of each file the fuzzer exercises".
#
# Crashes land in fuzz/artifacts/TARGET/; replay one with
#   cargo +nightly fuzz run -a -s none TARGET fuzz/artifacts/TARGET/crash-...
# The corpus grows in fuzz/corpus/TARGET/ (git-ignored) and is reused by the next run.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

minutes="${1:-10}"
if [[ $# -gt 0 ]]; then shift; fi
if ! [[ "$minutes" =~ ^[0-9]+$ ]] || [[ "$minutes" -lt 1 ]]; then
  echo "fuzz.sh: MINUTES must be a whole number of minutes, at least 1 (got '$minutes')" >&2
  exit 2
fi
targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then targets=(bytes fixtures); fi
for t in "${targets[@]}"; do
  if [[ ! -f "fuzz/fuzz_targets/$t.rs" ]]; then
    echo "fuzz.sh: no fuzz target '$t' (expected one of: bytes fixtures)" >&2
    exit 2
  fi
done

# Nightly Rust (libFuzzer's instrumentation needs it) and cargo-fuzz, from rustup and crates.io.
if ! rustup run nightly rustc --version >/dev/null 2>&1; then
  rustup toolchain install nightly --profile minimal
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked
fi

# -a: debug assertions on, so an integer overflow is a crash rather than a wrong figure.
# No sanitizer by default: the engine forbids unsafe code, and AddressSanitizer costs two thirds of
# the executions. FUZZ_SANITIZER=address brings it back.
sanitizer="${FUZZ_SANITIZER:-none}"
for t in "${targets[@]}"; do
  cargo +nightly fuzz build -a -s "$sanitizer" "$t"
done

# Seeds: every fixture and malformed case for the byte target; recipes need no seed.
mkdir -p fuzz/corpus/bytes fuzz/logs
while IFS= read -r -d '' f; do
  size=$(stat -c %s "$f")
  if [[ "$size" -le 65536 ]]; then
    cp "$f" "fuzz/corpus/bytes/seed-$(sha1sum "$f" | cut -c1-16)"
  fi
done < <(find tests/fixtures tests/malformed tests/data/synthetic-yearly/2013 -type f \
  \( -name '*.csv' -o -name '*.txt' -o -name '*.tsv' -o -name '*.bin' \) -print0 2>/dev/null)

seconds=$((minutes * 60))
echo "Fuzzing ${targets[*]} for $minutes minute(s), one core each; logs in fuzz/logs/"
pids=()
for t in "${targets[@]}"; do
  case "$t" in
    bytes) max_len=4096 ;;
    *) max_len=1024 ;;
  esac
  mkdir -p "fuzz/corpus/$t" "fuzz/artifacts/$t"
  cargo +nightly fuzz run -a -s "$sanitizer" "$t" "fuzz/corpus/$t" -- \
    -max_total_time="$seconds" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 >"fuzz/logs/$t.log" 2>&1 &
  pids+=($!)
done
status=0
for p in "${pids[@]}"; do
  wait "$p" || status=1
done

echo
printf '%-10s %14s %8s %8s %8s %8s %8s\n' target executions seconds exec/s cov features crashes
for t in "${targets[@]}"; do
  log="fuzz/logs/$t.log"
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1 || true)
  secs=$(grep -o 'Done [0-9]* runs in [0-9]* second' "$log" | awk '{ print $5 }' | tail -1 || true)
  rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1 || true)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | awk '{ print $2 }' || true)
  ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | awk '{ print $2 }' || true)
  crashes=$(find "fuzz/artifacts/$t" -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
  printf '%-10s %14s %8s %8s %8s %8s %8s\n' "$t" "${runs:-?}" "${secs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" "$crashes"
done
if [[ $status -ne 0 ]]; then
  echo "A target stopped early: see fuzz/logs/ and fuzz/artifacts/." >&2
fi

if [[ "${FUZZ_COVERAGE:-0}" == 1 ]]; then
  src="$(pwd)/src/"
  for t in "${targets[@]}"; do
    cargo +nightly fuzz build -a -s address "$t" >/dev/null 2>&1
    "fuzz/target/x86_64-unknown-linux-gnu/release/$t" -runs=0 -print_coverage=1 \
      "fuzz/corpus/$t" >"fuzz/logs/$t.coverage" 2>&1 || true
    echo
    echo "$t: edges reached in src/ (CLI and wasm facade left out)"
    awk -v src="$src" '
      /COVERED_FUNC: / {
        file = $NF; sub(/:[0-9]+$/, "", file)
        if (index(file, src) != 1 || file ~ /\/bin\// || file ~ /wasm\.rs$/) next
        file = substr(file, length(src) + 1)
        for (i = 1; i <= NF; i++) if ($i == "edges:") { split($(i + 1), e, "/") }
        hit[file] += e[1]; all[file] += e[2]; H += e[1]; A += e[2]
      }
      END {
        for (f in all) printf "  %-22s %5d / %5d  %3.0f%%\n", f, hit[f], all[f], 100 * hit[f] / all[f]
        if (A > 0) printf "  %-22s %5d / %5d  %3.0f%%\n", "~total", H, A, 100 * H / A
      }' "fuzz/logs/$t.coverage" | LC_ALL=C sort | sed 's/~total/total /'
  done
fi
exit $status
