#!/usr/bin/env bash
# Cost of the passive asset inventory (issue 4): `vigil sensor -r BULK
# --assets OUT.jsonl` against the same command without it, interleaved in the
# same run, REPS times (default 3); medians of wall time and peak RSS
# (/usr/bin/time). The load average is printed with them.
# usage: perf/bench-assets.sh BUILD_DIR OUT_DIR [CAPTURE] (perf/sensor-bulk.sh)
set -euo pipefail
part=assets
source "$(dirname "$0")/sensor-bulk.sh"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq 1 "$reps"); do
  measure off
  measure assets --assets "$out/assets.jsonl"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

header
row "without --assets" off
row "--assets" assets
ratio "time" off assets
awk -v a="$(col off 2)" -v b="$(col assets 2)" 'BEGIN {printf "peak RSS: %+.1f MiB\n", (b - a) / 1024}'
echo "assets written: $(wc -l < "$out/assets.jsonl")"
echo "runs (wall s, peak RSS KiB): $(runs off assets)"
