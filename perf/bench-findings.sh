#!/usr/bin/env bash
# Findings store benchmark: import rate of 1,000,000 generated findings, on one
# core (taskset -c 0: the parse thread and the SQLite thread share it) and on
# two (the pipeline spread), then `vigil findings list` latency (p50/p95 over
# 21 runs) per filter on that store.
# Usage: perf/bench-findings.sh BUILD_DIR OUT_DIR [N]
# FINDINGS_JSONL=FILE reuses a generated file; REPS=3 repeats each import;
# LIST_ONLY=1 times the lists on the store a previous run left in OUT_DIR.
# CPU figures (user+sys) are printed too: on a shared, loaded machine they are
# what compares across runs, the wall clock is not.
set -euo pipefail
BUILD=$1; OUT=$2; N=${3:-1000000}; REPS=${REPS:-1}
VIGIL=$BUILD/cli/vigil
mkdir -p "$OUT"
DATA=${FINDINGS_JSONL:-$OUT/findings-$N.jsonl}
[[ -s $DATA ]] || "$BUILD/perf/findings_gen" "$N" > "$DATA"
N=$(wc -l < "$DATA")
DB=$OUT/bench-findings.db
bytes=$(stat -c %s "$DATA")
echo "load: $(uptime | sed 's/.*load average: //')" | tee "$OUT/findings.tsv"

import_once() {  # label, cpu list
  rm -f "$DB" "$DB-wal" "$DB-shm"
  /usr/bin/time -f '%e %U %S %M' -o "$OUT/import.time" \
    taskset -c "$2" "$VIGIL" -q findings import "$DATA" --tenant bench --db "$DB"
  read -r wall user sys rss < "$OUT/import.time"
  printf 'import\t%s\t%d findings (%d MB)\t%.2f s wall\t%.0f findings/s\tCPU %.2f s = %.0f findings/CPU-s\tpeak RSS %d MiB\n' \
    "$1" "$N" $((bytes / 1048576)) "$wall" "$(echo "$N / $wall" | bc -l)" \
    "$(echo "$user + $sys" | bc -l)" "$(echo "$N / ($user + $sys)" | bc -l)" $((rss / 1024)) |
    tee -a "$OUT/findings.tsv"
}
if [[ -z ${LIST_ONLY:-} ]]; then
  for r in $(seq "$REPS"); do
    import_once "one core" 0
    import_once "two cores" 0,1
  done
fi
rows=$(sqlite3 "$DB" "SELECT count(*) FROM findings")
echo "rows $rows" | tee -a "$OUT/findings.tsv"

latency() {  # name, args...
  local name=$1; shift
  local times=() n
  n=$("$VIGIL" findings list --tenant bench --db "$DB" --format json "$@" | wc -l)
  for i in $(seq 21); do
    s=$(date +%s%N)
    "$VIGIL" findings list --tenant bench --db "$DB" --format json "$@" > /dev/null
    e=$(date +%s%N)
    times+=($(( (e - s) / 1000 )))
  done
  sorted=($(printf '%s\n' "${times[@]}" | sort -n))
  printf 'list\t%s\t%d rows\tp50 %.1f ms\tp95 %.1f ms\n' "$name" "$n" \
    "$(echo "${sorted[10]} / 1000" | bc -l)" "$(echo "${sorted[19]} / 1000" | bc -l)" | tee -a "$OUT/findings.tsv"
}
latency "newest 100" --limit 100
latency "severity high+ (100)" --severity high+ --limit 100
latency "type net.tls (100)" --type net.tls --limit 100
latency "asset 10.3.7.1 (all)" --asset 10.3.7.1
latency "since 2026-11-27 + critical (100)" --since 2026-11-27 --severity critical --limit 100
latency "since 2026-11-27 + critical (all)" --since 2026-11-27 --severity critical
latency "status acknowledged (all)" --status acknowledged
latency "status new (100)" --status new --limit 100
