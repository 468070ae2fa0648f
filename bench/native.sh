#!/usr/bin/env bash
# The engine on the command line: wall time and peak memory for each data set size.
#
#   bash bench/native.sh                          # 10k, 100k and 1M episodes, 3 runs each
#   bash bench/native.sh --sizes 10k,100k,1M,3M   # 3M too (slow with today's engine)
#   bash bench/native.sh --runs 5 --sizes 1M DIR  # data sets in DIR (default bench/data)
#   bash bench/native.sh --children               # also --json --children (every figure's rows)
#
# Builds the release CLI once, generates the missing data sets (bench/generate.sh), then runs
# `care-scorecard report --json DIR/SIZE/*.csv > /dev/null` and the plain text report RUNS times
# each, and prints one row per size and format: the median wall time (with the fastest and
# slowest run), the peak resident memory of the process (getrusage of the child: ru_maxrss),
# that memory over the size of the input, and MB of CSV read per second. Runs are one after the
# other; on a shared machine, compare the fastest runs too.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

sizes=10k,100k,1M
runs=3
data=""
children=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --sizes) sizes="$2"; shift 2 ;;
    --sizes=*) sizes="${1#--sizes=}"; shift ;;
    --runs) runs="$2"; shift 2 ;;
    --runs=*) runs="${1#--runs=}"; shift ;;
    --children) children=1; shift ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    -*) echo "native.sh: unknown option $1" >&2; exit 2 ;;
    *) data="$1"; shift ;;
  esac
done
data=${data:-$ROOT/bench/data}

bash "$ROOT/bench/generate.sh" --sizes "$sizes" "$data" >&2
(cd "$ROOT" && cargo build --release --quiet --bin care-scorecard)

echo "machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)," \
  "$(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo) RAM, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "rustc: $(rustc --version)"
echo "date: $(date -u +%Y-%m-%dT%H:%MZ); $runs runs each; engine $(git -C "$ROOT" rev-parse --short HEAD)"
echo

python3 - "$ROOT/target/release/care-scorecard" "$data" "$sizes" "$runs" "$children" <<'PY'
import glob, os, statistics, subprocess, sys, time

cli, data, sizes, runs = sys.argv[1], sys.argv[2], sys.argv[3].split(","), int(sys.argv[4])
formats = [("json", ["--json"]), ("text", [])]
if sys.argv[5] == "1":
    formats.append(("json+rows", ["--json", "--children"]))

def run(args):
    """Wall seconds and peak RSS (bytes) of one run, output thrown away."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"native.sh: {' '.join(args[:3])} ... failed: {err.strip()}")
    return wall, usage.ru_maxrss * 1024  # ru_maxrss is in KiB on Linux

header = ["size", "format", "episodes", "CSV MB", "median s", "fastest-slowest s", "peak RSS MB", "RSS/input", "MB/s"]
rows = []
for size in sizes:
    files = sorted(glob.glob(os.path.join(data, size, "*.csv")))
    mb = sum(os.path.getsize(f) for f in files) / 1e6
    with open(os.path.join(data, size, "episodes.csv"), "rb") as f:
        episodes = sum(1 for _ in f) - 1
    for fmt, flag in formats:
        results = [run([cli, "report", *flag, *files]) for _ in range(runs)]
        walls = sorted(w for w, _ in results)
        rss = max(r for _, r in results) / 1e6
        med = statistics.median(walls)
        rows.append([size, fmt, f"{episodes:,}", f"{mb:.1f}", f"{med:.2f}",
                     f"{walls[0]:.2f}-{walls[-1]:.2f}", f"{rss:.0f}", f"{rss / mb:.1f}x", f"{mb / med:.1f}"])
        print(f"  {size} {fmt}: {med:.2f} s", file=sys.stderr, flush=True)

width = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]
print("| " + " | ".join(h.ljust(width[i]) for i, h in enumerate(header)) + " |")
print("|" + "|".join("-" * (w + 2) for w in width) + "|")
for r in rows:
    print("| " + " | ".join(str(c).rjust(width[i]) if i >= 2 else str(c).ljust(width[i]) for i, c in enumerate(r)) + " |")
PY
