#!/usr/bin/env bash
# Findings store benchmark: import rate of 1,000,000 generated findings, on one
# core (taskset -c 0: the parse thread and the SQLite thread share it) and on
# two (the pipeline spread), then `vigil findings list` latency (p50/p95 over
# 21 runs) per filter on that store.
# Usage: perf/bench-findings.sh BUILD_DIR OUT_DIR [N]
# FINDINGS_JSONL=FILE reuses a generated file; REPS (default 3) repeats each
# import, interleaved, and the medians are printed at the end; VIGIL_BASE=BIN
# adds an older vigil to each rep (one core) and to each list (run by run in
# turn), for a same-run comparison: its lists read the store its own import
# wrote (OUT_DIR/base-findings.db; the row layout is part of what is
# compared), or this build's store when there is none; LIST_ONLY=1 times the
# lists on the stores a previous run left in OUT_DIR.
# CPU figures (user+sys) are printed too: on a shared, loaded machine they are
# what compares across runs, the wall clock is not.
set -euo pipefail
BUILD=$1; OUT=$2; N=${3:-1000000}; REPS=${REPS:-3}
VIGIL=$BUILD/cli/vigil
mkdir -p "$OUT"
DATA=${FINDINGS_JSONL:-$OUT/findings-$N.jsonl}
[[ -s $DATA ]] || "$BUILD/perf/findings_gen" "$N" > "$DATA"
N=$(wc -l < "$DATA")
DB=$OUT/bench-findings.db
BASE_DB=$OUT/base-findings.db
bytes=$(stat -c %s "$DATA")
echo "load: $(uptime | sed 's/.*load average: //')" | tee "$OUT/findings.tsv"

import_once() {  # label, cpu list[, vigil binary, store]
  local db=${4:-$DB}
  rm -f "$db" "$db-wal" "$db-shm"
  # The previous import's ~700 MB are still being written back: let that
  # finish first, so each import pays only for its own pages.
  sync
  /usr/bin/time -f '%e %U %S %M' -o "$OUT/import.time" \
    taskset -c "$2" "${3:-$VIGIL}" -q findings import "$DATA" --tenant bench --db "$db"
  read -r wall user sys rss < "$OUT/import.time"
  printf 'import\t%s\t%d findings (%d MB)\t%.2f s wall\t%.0f findings/s\tCPU %.2f s = %.0f findings/CPU-s\tpeak RSS %d MiB\n' \
    "$1" "$N" $((bytes / 1048576)) "$wall" "$(echo "$N / $wall" | bc -l)" \
    "$(echo "$user + $sys" | bc -l)" "$(echo "$N / ($user + $sys)" | bc -l)" $((rss / 1024)) |
    tee -a "$OUT/findings.tsv"
}
if [[ -z ${LIST_ONLY:-} ]]; then
  for r in $(seq "$REPS"); do
    [[ -z ${VIGIL_BASE:-} ]] || import_once "base, one core" 0 "$VIGIL_BASE" "$BASE_DB"
    import_once "one core" 0
    import_once "two cores" 0,1
  done
  # Medians per label (mawk has no asort: sort the reps' lines instead).
  for label in "base, one core" "one core" "two cores"; do
    grep -P "^import\t$label\t" "$OUT/findings.tsv" | awk -F'\t' '{ split($4, w, " ");
      split($6, c, " "); print w[1], c[2] }' > "$OUT/import.reps" || continue
    reps=$(wc -l < "$OUT/import.reps")
    wall=$(sort -n -k1,1 "$OUT/import.reps" | sed -n "$(((reps + 1) / 2))p" | cut -d' ' -f1)
    cpu=$(sort -n -k2,2 "$OUT/import.reps" | sed -n "$(((reps + 1) / 2))p" | cut -d' ' -f2)
    printf 'median\timport %s\t%d reps\t%.2f s wall = %.0f findings/s\tCPU %.2f s = %.0f findings/CPU-s\n' \
      "$label" "$reps" "$wall" "$(echo "$N / $wall" | bc -l)" "$cpu" "$(echo "$N / $cpu" | bc -l)" |
      tee -a "$OUT/findings.tsv"
  done
fi
rows=$(sqlite3 "$DB" "SELECT count(*) FROM findings")
echo "rows $rows" | tee -a "$OUT/findings.tsv"

# p50/p95 of 21 runs (JSON unless the arguments name a format); with VIGIL_BASE the two binaries take turns run by run,
# so a change in the machine's speed during the list hits both alike.
latency() {  # name, args...
  local name=$1; shift
  local bins=("$VIGIL") labels=("") dbs=("$DB") n b i s e
  if [[ -n ${VIGIL_BASE:-} ]]; then
    bins+=("$VIGIL_BASE") labels+=("base: ")
    if [[ -s $BASE_DB ]]; then dbs+=("$BASE_DB"); else dbs+=("$DB"); fi
  fi
  local -A times=()
  local format=(--format json)
  [[ " $* " == *" --format "* ]] && format=()
  n=$("$VIGIL" findings list --tenant bench --db "$DB" "${format[@]}" "$@" 2> /dev/null | wc -l)
  for i in $(seq 21); do
    for b in "${!bins[@]}"; do
      s=$(date +%s%N)
      "${bins[$b]}" findings list --tenant bench --db "${dbs[$b]}" "${format[@]}" "$@" > /dev/null 2>&1
      e=$(date +%s%N)
      times[$b]+="$(( (e - s) / 1000 )) "
    done
  done
  for b in "${!bins[@]}"; do
    sorted=($(printf '%s\n' ${times[$b]} | sort -n))
    printf 'list\t%s%s\t%d rows\tp50 %.1f ms\tp95 %.1f ms\n' "${labels[$b]}" "$name" "$n" \
      "$(echo "${sorted[10]} / 1000" | bc -l)" "$(echo "${sorted[19]} / 1000" | bc -l)" |
      tee -a "$OUT/findings.tsv"
  done
}
latency "newest 100" --limit 100
latency "severity high+ (100)" --severity high+ --limit 100
latency "type net.tls (100)" --type net.tls --limit 100
latency "type net.dns.tunneling (default limit)" --type net.dns.tunneling
latency "severity critical (default limit)" --severity critical
latency "asset 10.3.7.1 (all)" --asset 10.3.7.1 --limit 0
latency "asset host1795.client.example (all)" --asset host1795.client.example --limit 0
latency "since 2026-11-27 + critical (100)" --since 2026-11-27 --severity critical --limit 100
latency "since 2026-11-27 + critical (default limit)" --since 2026-11-27 --severity critical
latency "since 2026-11-27 + critical (all)" --since 2026-11-27 --severity critical --limit 0
latency "since 2026-11-27 + critical (all, CSV)" --since 2026-11-27 --severity critical --limit 0 --format csv
latency "status acknowledged (all)" --status acknowledged --limit 0
latency "status new (100)" --status new --limit 100
