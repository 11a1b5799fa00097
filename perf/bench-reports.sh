#!/usr/bin/env bash
# Report benchmark (issue 7): 1,000 hosts x 300 rules (perf/results_gen) rendered
# as HTML; records wall time, peak RSS and file size. Target: <= 5 s, <= 25 MB.
# Usage: perf/bench-reports.sh BUILD_DIR OUT_DIR [HOSTS] [RULES]
set -euo pipefail
BUILD=$1; OUT=$2; HOSTS=${3:-1000}; RULES=${4:-300}
VIGIL=$BUILD/cli/vigil
DATA=$OUT/results-${HOSTS}x${RULES}
mkdir -p "$OUT" "$DATA"
if [[ $(find "$DATA" -name '*.json' | wc -l) -ne $HOSTS ]]; then
  rm -f "$DATA"/*.json
  "$BUILD/perf/results_gen" "$DATA" "$HOSTS" "$RULES"
fi
in_mb=$(du -sm "$DATA" | cut -f1)
for fmt in html csv; do
  out=$OUT/report.$fmt
  start=$(date +%s.%N)
  /usr/bin/time -f '%M' -o "$OUT/$fmt.rss" "$VIGIL" -q report --results "$DATA"/*.json --format "$fmt" --out "$out"
  end=$(date +%s.%N)
  printf 'report %s\t%d hosts x %d rules (%d MB of results)\t%.2f s\tpeak RSS %d MiB\tfile %.1f MB\n' \
    "$fmt" "$HOSTS" "$RULES" "$in_mb" "$(echo "$end - $start" | bc -l)" \
    $(( $(cat "$OUT/$fmt.rss") / 1024 )) "$(echo "$(stat -c %s "$out") / 1048576" | bc -l)" | tee -a "$OUT/reports.tsv"
done
# The page itself: time to render in headless Chromium (first view, paged tables).
if command -v chromium >/dev/null; then
  prof=$(mktemp -d)
  start=$(date +%s.%N)
  chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --user-data-dir="$prof" \
    --dump-dom "file://$OUT/report.html" 2>/dev/null | grep -c 'id="vigil-rendered"' >/dev/null
  end=$(date +%s.%N)
  rm -rf "$prof"
  printf 'chromium load+render\t%.2f s (includes browser start)\n' "$(echo "$end - $start" | bc -l)" | tee -a "$OUT/reports.tsv"
fi
