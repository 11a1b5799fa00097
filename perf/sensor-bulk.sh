# Sourced by the bulk-capture sensor benches (bench-detect.sh, bench-assets.sh):
# arguments, the capture, and one measured `vigil sensor -r` run.
# Sets: root build out cap reps threads vigil; defines measure, median, col.
# Caller sets `part` (its name) first; args: BUILD_DIR OUT_DIR [CAPTURE].
#   CAPTURE: $BULK_PCAP, else /var/tmp/sensor-bench/bulk700.pcap when present
#   (make-bulk.sh), else /var/tmp/sensor-bench/bulk.pcap.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
out=${2:-$build/bench/$part}
cap=${3:-${BULK_PCAP:-}}
if [ -z "$cap" ]; then
  cap=/var/tmp/sensor-bench/bulk700.pcap
  [ -s "$cap" ] || cap=/var/tmp/sensor-bench/bulk.pcap
fi
reps=${REPS:-3}
threads=${THREADS:-1}
vigil=$build/cli/vigil
[ -x "$vigil" ] || { echo "bench-$part: $vigil: not executable (build first)" >&2; exit 1; }
[ -s "$cap" ] || { echo "bench-$part: $cap: missing (../shared/corpus/make-bulk.sh)" >&2; exit 1; }
mkdir -p "$out"
rm -f "$out"/*.runs

# measure NAME ARGS...: one run, appends "wall rss_kib" to $out/NAME.runs
measure() {
  local name=$1; shift
  /usr/bin/time -f '%e %M' -o "$out/$name.time" "$vigil" --quiet sensor -r "$cap" \
    --threads "$threads" --stats "$out/$name.stats.json" "$@" >/dev/null
  cat "$out/$name.time" >> "$out/$name.runs"
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
# col NAME N: median of column N (1 = wall s, 2 = peak RSS KiB) of NAME's runs
col() { cut -d' ' -f"$2" "$out/$1.runs" | median; }
# The table: header, then row LABEL NAME (medians of NAME's runs), then
# ratio LABEL BASE NAME ("+12.3%": NAME's median wall time against BASE's).
header() {
  printf '%-34s %10s %12s\n' "vigil sensor ($(($(stat -c %s "$cap") / 1000000)) MB, $threads thr)" \
    "wall s" "peak RSS MiB"
}
row() { printf '%-34s %10s %12s\n' "$1" "$(col "$2" 1)" "$(($(col "$2" 2) / 1024))"; }
ratio() {
  awk -v a="$(col "$2" 1)" -v b="$(col "$3" 1)" -v l="$1" 'BEGIN {printf "%s: %+.1f%%\n", l, (b / a - 1) * 100}'
}
# runs NAME...: every run's "wall rss_kib", for the record
runs() { for n in "$@"; do printf '%s: %s; ' "$n" "$(paste -sd' ' "$out/$n.runs")"; done; echo; }
