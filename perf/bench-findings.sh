#!/usr/bin/env bash
# Findings store benchmark: import rate of 1,000,000 generated findings (one
# core) and `vigil findings list` latency (p50/p95 over 21 runs) per filter.
# Usage: perf/bench-findings.sh BUILD_DIR OUT_DIR [N]
set -euo pipefail
BUILD=$1; OUT=$2; N=${3:-1000000}
VIGIL=$BUILD/cli/vigil
mkdir -p "$OUT"
DATA=$OUT/findings-$N.jsonl
[[ -s $DATA ]] || "$BUILD/perf/findings_gen" "$N" > "$DATA"
DB=$OUT/bench-findings.db
rm -f "$DB" "$DB-wal" "$DB-shm"
bytes=$(stat -c %s "$DATA")
start=$(date +%s.%N)
/usr/bin/time -f '%M' -o "$OUT/import.rss" taskset -c 0 "$VIGIL" -q findings import "$DATA" --tenant bench --db "$DB"
end=$(date +%s.%N)
secs=$(echo "$end - $start" | bc -l)
rate=$(echo "$N / $secs" | bc -l)
rows=$(sqlite3 "$DB" "SELECT count(*) FROM findings")
printf 'import\t%d findings (%d MB)\t%.2f s\t%.0f findings/s\tpeak RSS %d MiB\trows %d\n' \
  "$N" $((bytes / 1048576)) "$secs" "$rate" $(( $(cat "$OUT/import.rss") / 1024 )) "$rows" | tee "$OUT/findings.tsv"

latency() {  # name, args...
  local name=$1; shift
  local times=()
  for i in $(seq 21); do
    s=$(date +%s%N)
    "$VIGIL" findings list --tenant bench --db "$DB" --format json "$@" > /dev/null
    e=$(date +%s%N)
    times+=($(( (e - s) / 1000 )))
  done
  sorted=($(printf '%s\n' "${times[@]}" | sort -n))
  printf 'list\t%s\tp50 %.1f ms\tp95 %.1f ms\n' "$name" \
    "$(echo "${sorted[10]} / 1000" | bc -l)" "$(echo "${sorted[19]} / 1000" | bc -l)" | tee -a "$OUT/findings.tsv"
}
latency "newest 100" --limit 100
latency "severity high+ (100)" --severity high+ --limit 100
latency "type net.tls (100)" --type net.tls --limit 100
latency "asset 10.3.7.1 (all)" --asset 10.3.7.1
latency "since 2026-11-27 + critical (all)" --since 2026-11-27 --severity critical
latency "status acknowledged (all)" --status acknowledged
