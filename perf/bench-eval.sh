#!/usr/bin/env bash
# XCCDF benchmark (issue 6): `vigil eval` vs `oscap xccdf eval` for SSG Ubuntu 22.04
# cis_level2_server on a debootstrapped minbase bullseye tree dressed as Ubuntu 22.04
# (scripts/make-bullseye-root.sh ... --ubuntu), same run, alternating, 3 repetitions;
# whole-process wall time and peak RSS from /usr/bin/time. Asserts "N/M rules identical"
# (exit 1 otherwise, after printing the differences). oscap runs with OSCAP_PROBE_ROOT, the
# APT_CONFIG workaround and the clean-up of its libapt caches (see perf/lib-oscap.sh).
# Usage: perf/bench-eval.sh BUILD_DIR OUT_DIR [ROOT] [PROFILE]
set -euo pipefail
BUILD=$1; OUT=$2
ROOT=${3:-/var/tmp/vigil-roots/bullseye-as-jammy}
PROFILE=${4:-xccdf_org.ssgproject.content_profile_cis_level2_server}
DS=${DS:-/usr/share/xml/scap/ssg/content/ssg-ubuntu2204-ds.xml}
REPS=${REPS:-3}
VIGIL=$BUILD/cli/vigil
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$OUT"
source "$here/lib-oscap.sh"

bench_prepare "$here/.." "$ROOT" "$OUT" "$(basename "$DS") ${PROFILE##*_profile_}, $REPS reps" || exit 0
APT=$OUT/apt.conf
for i in $(seq 1 "$REPS"); do
  rm -f "$OUT/oscap.$i.xml"
  /usr/bin/time -f '%e %M' -o "$OUT/oscap.$i.time" \
    env OSCAP_PROBE_ROOT="$ROOT" APT_CONFIG="$APT" oscap xccdf eval --profile "$PROFILE" \
    --results "$OUT/oscap.$i.xml" "$DS" > "$OUT/oscap.$i.txt" 2> "$OUT/oscap.$i.err" || true
  clean_oscap_droppings "$ROOT"
  /usr/bin/time -f '%e %M' -o "$OUT/vigil.$i.time" \
    "$VIGIL" eval --benchmark "$DS" --profile "$PROFILE" --root "$ROOT" \
    --results "$OUT/vigil.$i.json" > "$OUT/vigil.$i.txt" 2> "$OUT/vigil.$i.err" || true
done
echo "load after: $(uptime | sed 's/.*load average: //')"
report_times "$OUT" "$REPS" "xccdf eval ${PROFILE##*_profile_}"
compare_rules "$OUT/oscap.1.xml" "$OUT/vigil.1.json" "$OUT/diff.txt"
