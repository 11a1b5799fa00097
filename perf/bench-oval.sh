#!/usr/bin/env bash
# OVAL engine benchmark (issue 5): `vigil oval eval` vs `oscap oval eval` on the whole
# ssg-ubuntu2204-oval.xml against a real debootstrapped tree (minbase bullseye), same run,
# alternating, 3 repetitions; whole-process wall time and peak RSS from /usr/bin/time.
# Also asserts agreement: every definition must get oscap's result ("N/M definitions
# identical"; exit 1 otherwise, after printing the differences).
# oscap runs as the oracle harness runs it (tests/oracle/oval_oracle.cpp): OSCAP_PROBE_ROOT,
# APT_CONFIG keeping the host's apt.conf.d out (its docker-clean breaks libapt under a root),
# and the libapt caches it writes into the tree removed after each run.
# Usage: perf/bench-oval.sh BUILD_DIR OUT_DIR [ROOT] [CONTENT]
#   ROOT default /var/tmp/vigil-roots/bullseye (made by scripts/make-bullseye-root.sh)
set -euo pipefail
BUILD=$1; OUT=$2
ROOT=${3:-/var/tmp/vigil-roots/bullseye}
CONTENT=${4:-/usr/share/xml/scap/ssg/content/ssg-ubuntu2204-oval.xml}
REPS=${REPS:-3}
VIGIL=$BUILD/cli/vigil
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$OUT"
source "$here/lib-oscap.sh"

bench_prepare "$here/.." "$ROOT" "$OUT" "content $(basename "$CONTENT"), $REPS reps" || exit 0
APT=$OUT/apt.conf
for i in $(seq 1 "$REPS"); do
  /usr/bin/time -f '%e %M' -o "$OUT/oscap.$i.time" \
    env OSCAP_PROBE_ROOT="$ROOT" APT_CONFIG="$APT" oscap oval eval "$CONTENT" \
    > "$OUT/oscap.$i.txt" 2> "$OUT/oscap.$i.err" || true
  clean_oscap_droppings "$ROOT"
  /usr/bin/time -f '%e %M' -o "$OUT/vigil.$i.time" \
    "$VIGIL" oval eval "$CONTENT" --root "$ROOT" > "$OUT/vigil.$i.txt" 2> "$OUT/vigil.$i.err" || true
done
echo "load after: $(uptime | sed 's/.*load average: //')"
report_times "$OUT" "$REPS" "oval eval"
compare_definitions "$OUT/oscap.1.txt" "$OUT/vigil.1.txt" "$OUT/diff.txt"
