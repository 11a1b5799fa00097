#!/usr/bin/env bash
# `make bench`: every benchmark in perf/, each measured against its anchor in
# the same run (ratios, not absolute seconds, are what compare across
# machines). Outputs go to BUILD/bench/; copy the table into
# docs/PERFORMANCE.md. Select parts with BENCH="findings sensor ...".
set -euo pipefail
BUILD=$(cd "${1:-build}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
OUT=$BUILD/bench
mkdir -p "$OUT"
parts=${BENCH:-findings sensor detect assets scanner oval eval reports}
echo "vigil bench: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(date -u +%FT%TZ)" | tee "$OUT/summary.txt"
for p in $parts; do
  script=$here/bench-$p.sh
  if [[ -x $script ]]; then
    echo "== $p" | tee -a "$OUT/summary.txt"
    "$script" "$BUILD" "$OUT/$p" 2>&1 | tee -a "$OUT/summary.txt"
  else
    echo "== $p: no perf/bench-$p.sh yet, skipped" | tee -a "$OUT/summary.txt"
  fi
done
echo "summary: $OUT/summary.txt"
