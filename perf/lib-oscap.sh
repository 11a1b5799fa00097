#!/usr/bin/env bash
# Shared by perf/bench-oval.sh and perf/bench-eval.sh (sourced, not run): the real tree,
# oscap's clean-up, the median table and the agreement counts.

# ensure_root REPO ROOT: builds ROOT with scripts/make-bullseye-root.sh when missing
# (a path ending in "-as-jammy" is the Ubuntu-dressed copy of the plain tree beside it).
ensure_root() {
  local repo=$1 root=$2
  [[ -e $root/.vigil-root-complete ]] && return 0
  if [[ $(id -u) -ne 0 ]]; then
    echo "skipped: $root missing; run (as root) scripts/make-bullseye-root.sh" >&2
    return 1
  fi
  if [[ $root == *-as-jammy ]]; then
    local plain=${root%-as-jammy}
    "$repo/scripts/make-bullseye-root.sh" "$plain" &&
      "$repo/scripts/make-bullseye-root.sh" "$root" --ubuntu "$plain"
  else
    "$repo/scripts/make-bullseye-root.sh" "$root"
  fi
}

# bench_prepare REPO ROOT OUT WHAT: the tree, OUT/apt.conf (keeps the host's apt.conf.d,
# whose docker-clean breaks libapt under a root, away from oscap) and the header lines.
bench_prepare() {
  ensure_root "$1" "$2" || return 1
  echo 'Dir::Etc::parts "/nonexistent";' > "$3/apt.conf"
  echo "root $2 ($(du -sh "$2" | cut -f1)), $4"
  echo "load before: $(uptime | sed 's/.*load average: //')"
}

# oscap (libapt) leaves pkgcache.bin / srcpkgcache.bin.* at the top of the root and in
# var/cache/apt; remove them as the oracle harness does.
clean_oscap_droppings() {
  local root=$1
  find "$root" "$root/var/cache/apt" -maxdepth 1 -type f \
    \( -name '*.bin' -o -name '*.bin.*' \) -delete 2> /dev/null || true
}

# report_times OUT REPS WHAT: median wall time and peak RSS of oscap.N.time / vigil.N.time
# ("%e %M" lines) and the ratios.
report_times() {
  local out=$1 reps=$2 what=$3
  python3 - "$out" "$reps" "$what" << 'PY'
import statistics, sys
out, reps, what = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def runs(tool):
    r = []
    for i in range(1, reps + 1):
        last = open(f'{out}/{tool}.{i}.time').read().split('\n')
        wall, rss = [l for l in last if l.strip()][-1].split()
        r.append((float(wall), int(rss) / 1024.0))
    return r
o, v = runs('oscap'), runs('vigil')
med = lambda xs: statistics.median(xs)
ow, orss = med([w for w, _ in o]), med([m for _, m in o])
vw, vrss = med([w for w, _ in v]), med([m for _, m in v])
print(f'| {what} | wall s (median of {reps}) | peak RSS MiB (median) | runs (s) |')
print('|---|---|---|---|')
print(f'| oscap | {ow:.2f} | {orss:.1f} | {", ".join(f"{w:.2f}" for w, _ in o)} |')
print(f'| vigil | {vw:.2f} | {vrss:.1f} | {", ".join(f"{w:.2f}" for w, _ in v)} |')
print(f'| ratio | **{ow / max(vw, 0.01):.1f}x less wall** (target >= 10x) | '
      f'**{vrss / orss:.2f} of the RSS** (target <= 0.25) | |')
PY
}

# compare_definitions OSCAP.txt VIGIL.txt DIFF.txt: "Definition ID: result" lines.
compare_definitions() {
  python3 - "$@" << 'PY'
import sys
def parse(p):
    out = {}
    for line in open(p, errors='replace'):
        if line.startswith('Definition ') and ': ' in line:
            k, v = line[11:].rstrip('\n').rsplit(': ', 1)
            out[k] = v
    return out
o, v = parse(sys.argv[1]), parse(sys.argv[2])
ids = sorted(set(o) | set(v))
diffs = [f'{i} (oscap {o.get(i, "(none)")}, vigil {v.get(i, "(none)")})'
         for i in ids if o.get(i) != v.get(i)]
open(sys.argv[3], 'w').write(''.join(d + '\n' for d in diffs))
print(f'{len(ids) - len(diffs)}/{len(ids)} definitions identical')
for d in diffs[:40]:
    print('  differs:', d)
sys.exit(1 if diffs or not o else 0)
PY
}

# compare_rules OSCAP_RESULTS.xml VIGIL_RESULTS.json DIFF.txt: rule-result per rule id.
compare_rules() {
  python3 - "$@" << 'PY'
import json, sys
import xml.etree.ElementTree as ET
o = {}
for el in ET.parse(sys.argv[1]).iter():
    if el.tag.endswith('}rule-result'):
        res = next(c for c in el if c.tag.endswith('}result'))
        o[el.get('idref')] = res.text
v = {r['id']: r['result'] for r in json.load(open(sys.argv[2]))['rules']}
# oscap lists every rule of the benchmark (unselected ones as notselected).
ids = sorted(set(v) | {i for i, r in o.items() if r != 'notselected'})
diffs = [f'{i} (oscap {o.get(i, "(none)")}, vigil {v.get(i, "(none)")})'
         for i in ids if o.get(i) != v.get(i)]
open(sys.argv[3], 'w').write(''.join(d + '\n' for d in diffs))
verdicts = sum(1 for i in ids if v.get(i) in ('pass', 'fail'))
print(f'{len(ids) - len(diffs)}/{len(ids)} rules identical ({verdicts} pass/fail verdicts)')
for d in diffs[:40]:
    print('  differs:', d)
sys.exit(1 if diffs or not o else 0)
PY
}
