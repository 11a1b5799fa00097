#!/usr/bin/env bash
# Report benchmark (issue 7): 1,000 hosts x 300 rules (perf/results_gen) rendered
# as HTML and CSV, 3 runs each, median wall time with the CPU time (user+sys,
# all threads) beside it: on a shared 2-core machine the CPU time is the figure
# that does not depend on the others' load (noted per run). Target: <= 5 s wall,
# <= 25 MB. Then the page in headless Chromium: load + first render minus the
# time the browser takes for an empty page.
# Usage: perf/bench-reports.sh BUILD_DIR OUT_DIR [HOSTS] [RULES] [REPS]
set -euo pipefail
BUILD=$1; OUT=$2; HOSTS=${3:-1000}; RULES=${4:-300}; REPS=${5:-3}
VIGIL=$BUILD/cli/vigil
DATA=$OUT/results-${HOSTS}x${RULES}
mkdir -p "$OUT" "$DATA"
if [[ $(find -L "$DATA" -maxdepth 1 -name '*.json' | wc -l) -ne $HOSTS ]]; then
  rm -f "$DATA"/*.json
  "$BUILD/perf/results_gen" "$DATA" "$HOSTS" "$RULES"
fi
in_mb=$(du -smL "$DATA" | cut -f1)
median() { sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
load() { cut -d' ' -f1 /proc/loadavg; }
for fmt in html csv; do
  out=$OUT/report.$fmt
  : >"$OUT/$fmt.runs"
  for ((i = 0; i < REPS; i++)); do
    l=$(load)
    /usr/bin/time -f '%e %U %S %M' -o "$OUT/$fmt.time" \
      "$VIGIL" -q report --results "$DATA"/*.json --format "$fmt" --out "$out"
    read -r wall user sys rss <"$OUT/$fmt.time"
    echo "$wall $(echo "$user + $sys" | bc -l) $rss $l" >>"$OUT/$fmt.runs"
  done
  printf 'report %s\t%d hosts x %d rules (%d MB of results)\tmedian %.2f s wall (runs: %s; load %s)\tCPU %.2f s\tpeak RSS %d MiB\tfile %.1f MB\n' \
    "$fmt" "$HOSTS" "$RULES" "$in_mb" "$(cut -d' ' -f1 "$OUT/$fmt.runs" | median)" \
    "$(cut -d' ' -f1 "$OUT/$fmt.runs" | paste -sd/)" "$(cut -d' ' -f4 "$OUT/$fmt.runs" | paste -sd/)" \
    "$(cut -d' ' -f2 "$OUT/$fmt.runs" | median)" \
    $(( $(cut -d' ' -f3 "$OUT/$fmt.runs" | median) / 1024 )) \
    "$(echo "$(stat -c %s "$out") / 1000000" | bc -l)" | tee -a "$OUT/reports.tsv"
done
# The page: headless Chromium until the script has rendered the first view
# (#vigil-rendered present in --dump-dom); the empty page is the browser's own cost.
if command -v chromium >/dev/null; then
  echo '<!DOCTYPE html><title>x</title><p>x' >"$OUT/empty.html"
  chrome_time() {
    local prof start end
    prof=$(mktemp -d)
    start=$(date +%s.%N)
    chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
      --disable-component-update --disable-sync --no-first-run --user-data-dir="$prof" \
      --dump-dom "file://$1" 2>/dev/null >"$OUT/dom.html"
    end=$(date +%s.%N)
    rm -rf "$prof"
    echo "$end - $start" | bc -l
  }
  : >"$OUT/chrome.runs"
  for ((i = 0; i < REPS; i++)); do
    echo "$(chrome_time "$OUT/empty.html") $(chrome_time "$OUT/report.html")" >>"$OUT/chrome.runs"
  done
  rendered=$(grep -c 'id="vigil-rendered"' "$OUT/dom.html" || true)
  printf 'chromium load+first render\tmedian %.2f s (empty page %.2f s, so the report adds %.2f s)\t%d <tr> in the DOM\trendered=%d\n' \
    "$(cut -d' ' -f2 "$OUT/chrome.runs" | median)" "$(cut -d' ' -f1 "$OUT/chrome.runs" | median)" \
    "$(awk '{print $2 - $1}' "$OUT/chrome.runs" | median)" "$(grep -o '<tr' "$OUT/dom.html" | wc -l)" \
    "$rendered" | tee -a "$OUT/reports.tsv"
fi
