#!/usr/bin/env bash
# Cost of the detections (issue 4): `vigil sensor -r BULK` with --findings and a
# 100-rule YARA set against the same command without detections, interleaved in
# the same run, REPS times (default 3); medians, overhead = on/off - 1 (target
# <= 30%). Peak RSS from /usr/bin/time. The load average is printed with them.
# usage: perf/bench-detect.sh BUILD_DIR OUT_DIR [CAPTURE]
#   CAPTURE: $BULK_PCAP, else /var/tmp/sensor-bench/bulk700.pcap when present
#   (make-bulk.sh), else /var/tmp/sensor-bench/bulk.pcap.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
out=${2:-$build/bench/detect}
cap=${3:-${BULK_PCAP:-}}
if [ -z "$cap" ]; then
  cap=/var/tmp/sensor-bench/bulk700.pcap
  [ -s "$cap" ] || cap=/var/tmp/sensor-bench/bulk.pcap
fi
reps=${REPS:-3}
threads=${THREADS:-1}
vigil=$build/cli/vigil
[ -x "$vigil" ] || { echo "bench-detect: $vigil: not executable (build first)" >&2; exit 1; }
[ -s "$cap" ] || { echo "bench-detect: $cap: missing (../shared/corpus/make-bulk.sh)" >&2; exit 1; }
mkdir -p "$out/rules"

# 100 rules of the kinds real sets hold: text strings (some nocase/wide), hex
# with jumps and wildcards, a few regular expressions, plus the EICAR rule.
for i in $(seq 1 99); do
  case $((i % 4)) in
    0) body="\$a = \"vigil-bench-marker-$i\" nocase
    \$b = \"BenchPayload$i\" wide ascii" ;;
    1) body="\$a = { 4D 5A ?? 00 [2-8] 50 45 00 00 $(printf '%02X' $i) }
    \$b = \"malicious-$i.example\"" ;;
    2) body="\$a = /evil[0-9]{2,4}\\.bench$i\\.(com|net)/
    \$b = \"cmd.exe /c bench$i\"" ;;
    3) body="\$a = \"powershell -enc bench$i\" nocase
    \$b = { 6A 40 68 00 30 00 00 6A $(printf '%02X' $i) }" ;;
  esac
  printf 'rule bench_%03d : bench\n{\n  meta:\n    severity = "low"\n  strings:\n    %s\n  condition:\n    any of them\n}\n\n' "$i" "$body"
done > "$out/rules/bench.yar"
cp "$root/tests/data/yara/eicar.yar" "$out/rules/"
nrules=$(grep -c '^rule ' "$out/rules/"*.yar | awk -F: '{s+=$2} END {print s}')

# measure NAME ARGS...: one run, appends "wall rss_kib" to $out/NAME.runs
measure() {
  local name=$1; shift
  /usr/bin/time -f '%e %M' -o "$out/$name.time" "$vigil" --quiet sensor -r "$cap" \
    --threads "$threads" --stats "$out/$name.stats.json" "$@" >/dev/null
  cat "$out/$name.time" >> "$out/$name.runs"
}
rm -f "$out"/*.runs
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq 1 "$reps"); do
  measure off
  measure on --findings "$out/findings.jsonl" --yara "$out/rules"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
off_t=$(cut -d' ' -f1 "$out/off.runs" | median); on_t=$(cut -d' ' -f1 "$out/on.runs" | median)
off_m=$(cut -d' ' -f2 "$out/off.runs" | median); on_m=$(cut -d' ' -f2 "$out/on.runs" | median)
mb=$(( $(stat -c %s "$cap") / 1000000 ))
scanned=$(python3 -c "import json,sys; d=json.load(open('$out/on.stats.json'))['detect']; print(d['detectors'].get('yara',{}).get('bytes_scanned',0)//1000000, d['findings'])")
printf '%-34s %10s %12s\n' "vigil sensor ($mb MB, $threads thr)" "wall s" "peak RSS MiB"
printf '%-34s %10s %12s\n' "detections off" "$off_t" "$((off_m / 1024))"
printf '%-34s %10s %12s\n' "detections + $nrules YARA rules" "$on_t" "$((on_m / 1024))"
awk -v a="$off_t" -v b="$on_t" 'BEGIN {printf "overhead: %+.1f%% (target <= 30%%)\n", (b / a - 1) * 100}'
echo "YARA MB scanned, findings: $scanned; runs: $(paste -sd' ' "$out/off.runs") | $(paste -sd' ' "$out/on.runs")"
