#!/usr/bin/env bash
# Sensor throughput benchmark (issue 3): whole-process wall time and peak RSS of
# `vigil sensor -r FILE --events /dev/null` (1 and 2 threads) against, in the
# same run, a plain libpcap read loop (the floor), ndpiReader (libndpi-bin, if
# installed) and tshark printing the same fields. Prints a Markdown table.
# usage: perf/bench-sensor.sh [VIGIL_BIN] [CAPTURE]
#   VIGIL_BIN defaults to build/cli/vigil; CAPTURE defaults to /var/tmp/vigil-bulk.pcap,
#   made with ../shared/corpus/make-bulk.sh when missing (needs root; SCALE via BULK_SCALE).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
vigil=${1:-$root/build/cli/vigil}
cap=${2:-/var/tmp/vigil-bulk.pcap}
[ -x "$vigil" ] || { echo "bench-sensor: $vigil: not executable (build first)" >&2; exit 1; }
if [ ! -s "$cap" ]; then
  echo "bench-sensor: generating $cap (make-bulk.sh, scale ${BULK_SCALE:-1})" >&2
  "$root/../shared/corpus/make-bulk.sh" "$cap" "${BULK_SCALE:-1}" >&2
fi
work=$(mktemp -d /var/tmp/bench-sensor.XXXXXX)
trap 'rm -rf "$work"' EXIT

# The floor: read every packet with libpcap and touch one byte, nothing else.
cat > "$work/floor.c" <<'C'
#include <pcap/pcap.h>
#include <stdio.h>
int main(int argc, char** argv) {
  char err[PCAP_ERRBUF_SIZE];
  pcap_t* p = pcap_open_offline(argv[1], err);
  if (!p) { fprintf(stderr, "%s\n", err); return 1; }
  struct pcap_pkthdr* h; const u_char* d; unsigned long n = 0, x = 0;
  while (pcap_next_ex(p, &h, &d) == 1) { n++; x += d[0]; }
  printf("%lu packets %lu\n", n, x);
  return 0;
}
C
cc -O2 -o "$work/floor" "$work/floor.c" -lpcap

# run NAME CMD...: prints "NAME|wall seconds|peak RSS MiB"
run() {
  local name=$1; shift
  /usr/bin/time -f '%e %M' -o "$work/time" "$@" >/dev/null 2>"$work/err" || {
    echo "$name|failed|-"; tail -2 "$work/err" >&2; return; }
  read -r wall rss < "$work/time"
  echo "$name|$wall|$((rss / 1024))"
}

size_mb=$(( $(stat -c %s "$cap") / 1048576 ))
packets=$("$work/floor" "$cap" | cut -d' ' -f1)
echo "## Sensor benchmark: $(basename "$cap") ($size_mb MiB, $packets packets), $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
echo
echo "| tool | wall s | peak RSS MiB |"
echo "|---|---:|---:|"
results=()
results+=("$(run 'libpcap read loop (floor)' "$work/floor" "$cap")")
results+=("$(run 'vigil sensor --threads 1' "$vigil" -q sensor -r "$cap" --events /dev/null --threads 1)")
results+=("$(run 'vigil sensor --threads 2' "$vigil" -q sensor -r "$cap" --events /dev/null --threads 2)")
if command -v ndpiReader >/dev/null; then
  results+=("$(run 'ndpiReader -i FILE' ndpiReader -i "$cap" -q)")
else
  results+=("ndpiReader -i FILE|not installed (apt-get install libndpi-bin)|-")
fi
results+=("$(run 'tshark (same fields)' tshark -n -r "$cap" -T fields -e frame.number -e ip.src -e ip.dst \
  -e tcp.srcport -e tcp.dstport -e dns.qry.name -e http.host -e http.request.uri \
  -e tls.handshake.extensions_server_name -e tls.handshake.ciphersuite -e ssh.protocol)")
for r in "${results[@]}"; do
  IFS='|' read -r name wall rss <<<"$r"
  echo "| $name | $wall | $rss |"
done
