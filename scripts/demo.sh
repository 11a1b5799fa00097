#!/usr/bin/env bash
# `make demo`: runs whatever Vigil can do today end to end on this machine
# and says where the results are. Each stage runs only when the command it
# needs exists in this build, so the demo grows as modules land.
set -euo pipefail
BUILD=${1:-build}
repo=$(cd "$(dirname "$0")/.." && pwd)
VIGIL=$(cd "$BUILD" && pwd)/cli/vigil
OUT=$(cd "$BUILD" && pwd)/demo
CORPUS=${VIGIL_CORPUS_DIR:-$repo/../shared/corpus}
TENANT=demo
DB=$OUT/findings.db
mkdir -p "$OUT"
rm -f "$DB" "$DB-wal" "$DB-shm"

has() { "$VIGIL" help "$1" >/dev/null 2>&1; }
step() { printf '\n== %s\n' "$*"; }

findings=()
step "1. Network: sensor over the real captures in $CORPUS"
if has sensor && [[ -d $CORPUS ]]; then
  for pcap in "$CORPUS"/*.pcap; do
    name=$(basename "$pcap" .pcap)
    args=(sensor -r "$pcap" --tenant "$TENANT" --sensor-name demo --events "$OUT/$name.events.jsonl")
    # Detections, with the test EICAR rule so the malware download is found too.
    args+=(--findings "$OUT/$name.findings.jsonl" --yara "$repo/tests/data/yara")
    "$VIGIL" -q "${args[@]}" 2>/dev/null || echo "   (sensor failed on $name)"
    [[ -s $OUT/$name.findings.jsonl ]] && findings+=("$OUT/$name.findings.jsonl")
    printf '   %-22s %6s events\n' "$name" "$(wc -l < "$OUT/$name.events.jsonl" 2>/dev/null || echo 0)"
  done
else
  echo "   (vigil sensor not built yet, or no corpus: skipped)"
fi

step "2. Findings store: import and list (tenant $TENANT)"
if [[ ${#findings[@]} -eq 0 ]]; then
  findings=("$repo/docs/examples/findings-sample.jsonl")
  echo "   using the sample findings in docs/examples/findings-sample.jsonl"
fi
"$VIGIL" findings import "${findings[@]}" --tenant "$TENANT" --db "$DB"
"$VIGIL" findings list --tenant "$TENANT" --db "$DB" --format table --severity medium+

results=()
step "3. Compliance: this machine against the Debian 12 benchmark (level1_server)"
if has eval; then
  set +e
  "$VIGIL" eval --benchmark "$repo/benchmarks/debian12/vigil-debian12-ds.xml" \
    --profile level1_server --root / --results "$OUT/results-$(hostname).json" \
    --xccdf-results "$OUT/results-$(hostname).xccdf.xml" >"$OUT/eval.txt" 2>&1
  rc=$?
  set -e
  if [[ $rc -le 2 ]]; then
    grep -E '^(Score|score)' "$OUT/eval.txt" || true
    printf '   pass %s, fail %s (details: %s)\n' "$(grep -c '^Result.*pass' "$OUT/eval.txt")" \
      "$(grep -c '^Result.*fail' "$OUT/eval.txt")" "$OUT/eval.txt"
    results+=("$OUT/results-$(hostname).json")
  else
    echo "   vigil eval failed (exit $rc): $(tail -n1 "$OUT/eval.txt")"
  fi
else
  echo "   (vigil eval not built yet: skipped)"
fi

step "4. Report"
if has report && [[ ${#results[@]} -gt 0 ]]; then
  "$VIGIL" -q report --results "${results[@]}" --findings "${findings[@]}" --format html \
    --title "Vigil demo: $(hostname)" --out "$OUT/report.html"
  echo "   report: $OUT/report.html"
else
  "$VIGIL" findings list --tenant "$TENANT" --db "$DB" --format csv > "$OUT/findings.csv"
  echo "   (HTML report not available yet) findings exported to $OUT/findings.csv"
fi

printf '\nDemo done. Everything it wrote is in %s\n' "$OUT"
