#!/usr/bin/env bash
# Host scanner benchmark, same tree and same 100 rules in the same run:
#   `vigil scan files` (first pass, then unchanged re-scan with --cache) vs `yara -r -N -p 2`,
#   `vigil fim baseline` hashing rate vs sha256sum (2 processes) over the same files.
# The check at the end: vigil's (rule, file) matches == yara's, first pass and re-scan.
# Page cache is warmed first so every contender reads from memory. REPS rounds (default 3),
# contenders interleaved and their order alternated per round; medians are reported, with
# wall time and CPU time (user+sys): on a shared machine the wall ratio depends on the
# CPU share each process got, the CPU ratio does not.
# Usage: perf/bench-scanner.sh BUILD_DIR OUT_DIR [TREE]   (TREE default /usr; REPS=3)
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

REPS=${REPS:-3}
files=$(find "$TREE" -xdev -type f | wc -l)
bytes=$(find "$TREE" -xdev -type f -printf '%s\n' | awk '{s+=$1} END {printf "%.0f\n", s}')
find "$TREE" -xdev -type f -print0 | xargs -0 -r cat > /dev/null 2>&1 || true  # warm the cache
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

# run NAME CMD...: appends "wall cpu" (seconds) to $OUT/NAME.times.
run() {
  local name=$1
  shift
  /usr/bin/time -o "$OUT/$name.one" -f '%e %U %S' "$@" > /dev/null 2>&1 || true
  awk '{printf "%.3f %.3f\n", $1, $2 + $3}' "$OUT/$name.one" >> "$OUT/$name.times"
}
CACHE=$OUT/scan-cache.db
yara_run() { run yara yara -r -N -p 2 -w "$RULES" "$TREE"; }
vigil_runs() {
  rm -f "$CACHE" "$CACHE-wal" "$CACHE-shm"
  run first "$VIGIL" -q scan files --path "$TREE" --yara "$RULES" --threads 2 --max-size 1T \
    --cache "$CACHE" --findings "$OUT/scan1.jsonl"
  run again "$VIGIL" -q scan files --path "$TREE" --yara "$RULES" --threads 2 --max-size 1T \
    --cache "$CACHE" --findings "$OUT/scan2.jsonl"
}
sha_run() {
  run sha bash -c "find '$TREE' -xdev -type f -print0 | xargs -0 -r -n 256 -P 2 sha256sum"
}
fim_run() { run fim "$VIGIL" -q fim baseline --path "$TREE" --threads 2 --out "$OUT/fim-baseline.json"; }
rm -f "$OUT"/*.times
for r in $(seq 1 "$REPS"); do
  if (( r % 2 )); then yara_run; vigil_runs; sha_run; fim_run
  else vigil_runs; yara_run; fim_run; sha_run; fi
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
yara -r -N -p 2 -w "$RULES" "$TREE" > "$OUT/yara.out" 2> /dev/null || true
# Correctness: vigil's (rule, file) matches must be exactly yara's (the pre-filter may
# only skip files no rule can match).
sort -u "$OUT/yara.out" > "$OUT/yara.pairs"
jq -r '.evidence.rule + " " + .evidence.path' "$OUT/scan1.jsonl" | sort -u > "$OUT/vigil.pairs"
jq -r '.evidence.rule + " " + .evidence.path' "$OUT/scan2.jsonl" | sort -u > "$OUT/vigil2.pairs"
if cmp -s "$OUT/yara.pairs" "$OUT/vigil.pairs" && cmp -s "$OUT/yara.pairs" "$OUT/vigil2.pairs"; then
  same="same (rule, file) matches as yara: yes"
else
  same="same (rule, file) matches as yara: NO (see $OUT/yara.pairs, $OUT/vigil.pairs)"
fi

# median COLUMN NAME (1 = wall, 2 = cpu)
median() { cut -d' ' -f"$1" "$OUT/$2.times" | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
ratio() { echo "$1 / $2" | bc -l; }
mb=$(echo "$bytes / 1048576" | bc -l)
yw=$(median 1 yara); yc=$(median 2 yara)
fw=$(median 1 first); fc=$(median 2 first)
aw=$(median 1 again); ac=$(median 2 again)
sw=$(median 1 sha); sc=$(median 2 sha)
mw=$(median 1 fim); mc=$(median 2 fim)
{
  printf 'tree\t%s\t%d files\t%.0f MiB\t%d rounds\tload %s -> %s\n' "$TREE" "$files" "$mb" \
    "$REPS" "$load_before" "$load_after"
  printf 'contender\twall s\tcpu s\twall ratio\tcpu ratio\n'
  printf 'yara -r -N -p 2\t%.2f\t%.2f\t1.00x\t1.00x\t%d matches\n' "$yw" "$yc" \
    "$(wc -l < "$OUT/yara.out")"
  printf 'vigil scan files (first)\t%.2f\t%.2f\t%.2fx\t%.2fx\t%d findings\n' "$fw" "$fc" \
    "$(ratio "$yw" "$fw")" "$(ratio "$yc" "$fc")" "$(wc -l < "$OUT/scan1.jsonl")"
  printf 'vigil scan files (unchanged, cache)\t%.2f\t%.2f\t%.2fx\t%.2fx\n' "$aw" "$ac" \
    "$(ratio "$yw" "$aw")" "$(ratio "$yc" "$ac")"
  printf 'sha256sum (xargs -P 2)\t%.2f\t%.2f\t1.00x\t1.00x\t%.0f MiB/s\n' "$sw" "$sc" \
    "$(echo "$mb / $sw" | bc -l)"
  printf 'vigil fim baseline (2 threads)\t%.2f\t%.2f\t%.2fx\t%.2fx\t%.0f MiB/s\n' "$mw" "$mc" \
    "$(ratio "$sw" "$mw")" "$(ratio "$sc" "$mc")" "$(echo "$mb / $mw" | bc -l)"
  echo "$same"
} | tee "$OUT/scanner.tsv"
