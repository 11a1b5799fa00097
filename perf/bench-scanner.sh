#!/usr/bin/env bash
# Host scanner benchmark, same tree and same 100 rules in the same run:
#   `vigil scan files` (first pass, then unchanged re-scan with --cache) vs `yara -r -N -p 2`,
#   `vigil fim baseline` hashing rate vs sha256sum (2 processes) over the same files.
# Page cache is warmed first so every contender reads from memory.
# Usage: perf/bench-scanner.sh BUILD_DIR OUT_DIR [TREE]   (TREE default /usr)
set -euo pipefail
BUILD=$1; OUT=$2; TREE=${3:-/usr}
VIGIL=$BUILD/cli/vigil
mkdir -p "$OUT"
RULES=$OUT/bench-100.yar
# 100 rules shaped like a real set: literal strings, hex strings with jumps and
# wildcards, a few anchored regexes, and conditions using filesize and uint16.
{
  for i in $(seq 0 99); do
    h=$(printf '%02x' "$i")
    echo "rule bench_$i : bench {"
    echo "  meta: description = \"benchmark rule $i\""
    echo "  strings:"
    echo "    \$s1 = \"vigil-bench-marker-$i\" ascii wide"
    echo "    \$s2 = { 56 49 47 ?? 4C [2-8] $h 0F 1F $h }"
    echo "    \$s3 = /benchpayload_$i[a-f0-9]{8}/"
    if (( i % 10 == 0 )); then echo "    \$s4 = \"cmd.exe /c powershell -enc\" nocase"; fi
    if (( i % 5 == 0 )); then
      echo "  condition: uint16(0) == 0x5a4d and any of them"
    else
      echo "  condition: filesize < 50MB and any of them"
    fi
    echo "}"
  done
} > "$RULES"

secs() { local s=$1 e=$2; echo "($e - $s) / 1000000000" | bc -l; }
files=$(find "$TREE" -xdev -type f | wc -l)
bytes=$(find "$TREE" -xdev -type f -printf '%s\n' | awk '{s+=$1} END {print s+0}')
find "$TREE" -xdev -type f -print0 | xargs -0 -r cat > /dev/null 2>&1 || true  # warm the cache

s=$(date +%s%N)
yara -r -N -p 2 "$RULES" "$TREE" > "$OUT/yara.out" 2> /dev/null || true
e=$(date +%s%N); t_yara=$(secs "$s" "$e")

CACHE=$OUT/scan-cache.db
rm -f "$CACHE" "$CACHE-wal" "$CACHE-shm"
s=$(date +%s%N)
"$VIGIL" -q scan files --path "$TREE" --yara "$RULES" --threads 2 --max-size 1T \
  --cache "$CACHE" --findings "$OUT/scan1.jsonl" || true
e=$(date +%s%N); t_first=$(secs "$s" "$e")
s=$(date +%s%N)
"$VIGIL" -q scan files --path "$TREE" --yara "$RULES" --threads 2 --max-size 1T \
  --cache "$CACHE" --findings "$OUT/scan2.jsonl" || true
e=$(date +%s%N); t_again=$(secs "$s" "$e")

s=$(date +%s%N)
find "$TREE" -xdev -type f -print0 | xargs -0 -r -n 256 -P 2 sha256sum > /dev/null 2>&1 || true
e=$(date +%s%N); t_sha=$(secs "$s" "$e")
s=$(date +%s%N)
"$VIGIL" -q fim baseline --path "$TREE" --threads 2 --out "$OUT/fim-baseline.json"
e=$(date +%s%N); t_fim=$(secs "$s" "$e")

mb=$(echo "$bytes / 1048576" | bc -l)
{
  printf 'tree\t%s\t%d files\t%.0f MiB\n' "$TREE" "$files" "$mb"
  printf 'yara -r -N -p 2\t%.2f s\t%d matches\n' "$t_yara" "$(wc -l < "$OUT/yara.out")"
  printf 'vigil scan files (first)\t%.2f s\t%.2fx yara\t%d findings\n' "$t_first" \
    "$(echo "$t_yara / $t_first" | bc -l)" "$(wc -l < "$OUT/scan1.jsonl")"
  printf 'vigil scan files (unchanged, cache)\t%.2f s\t%.2fx yara\n' "$t_again" \
    "$(echo "$t_yara / $t_again" | bc -l)"
  printf 'sha256sum (xargs -P 2)\t%.2f s\t%.0f MiB/s\n' "$t_sha" "$(echo "$mb / $t_sha" | bc -l)"
  printf 'vigil fim baseline (2 threads)\t%.2f s\t%.0f MiB/s\t%.2fx sha256sum\n' "$t_fim" \
    "$(echo "$mb / $t_fim" | bc -l)" "$(echo "$t_sha / $t_fim" | bc -l)"
} | tee "$OUT/scanner.tsv"
