#!/usr/bin/env bash
# Cost of the detections (issue 4): `vigil sensor -r BULK` with --findings and a
# 100-rule YARA set (default --yara-depth) against the same command without
# detections, and with detections but no YARA, interleaved in the same run,
# REPS times (default 11: a run takes ~0.2 s on a quiet machine, 3 runs are
# noise); medians, overhead = on/off - 1 (target <= 30%). Peak RSS from
# /usr/bin/time. The load average is printed with them, and the YARA counters
# of the last "on" run (libyara calls, string-hit checks, pieces judged without
# a hit, verdict-cache hits). Under load, compare CPU time (perf stat) instead.
# usage: perf/bench-detect.sh BUILD_DIR OUT_DIR [CAPTURE] (perf/sensor-bulk.sh)
set -euo pipefail
part=detect
export REPS=${REPS:-11}
source "$(dirname "$0")/sensor-bulk.sh"
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

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq 1 "$reps"); do
  measure off
  measure noyara --findings "$out/findings-noyara.jsonl"
  measure on --findings "$out/findings.jsonl" --yara "$out/rules"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

scanned=$(python3 -c "import json; d=json.load(open('$out/on.stats.json'))['detect']; print('%.1f' % (d['detectors'].get('yara', {}).get('bytes_scanned', 0) / 1e6), d['findings'])")
yara=$(python3 -c "import json; y=json.load(open('$out/on.stats.json'))['detect']['detectors'].get('yara', {}); print(', '.join('%s %s' % (k, y.get(k, '-')) for k in ('scans', 'string_hit_checks', 'judged_without_hits', 'cache_hits')))")
header
row "detections off" off
row "detections, no YARA" noyara
row "detections + $nrules YARA rules" on
ratio "detections alone" off noyara
ratio "overhead (target <= 30%)" off on
echo "YARA MB scanned, findings: $scanned"
echo "YARA: $yara"
echo "runs (wall s, peak RSS KiB): $(runs off noyara on)"
