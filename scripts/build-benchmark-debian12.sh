#!/bin/sh
# Rebuild benchmarks/debian12/vigil-debian12-ds.xml from benchmarks/debian12/src
# and validate it with oscap when available.
#
#   scripts/build-benchmark-debian12.sh           rebuild the committed datastream
#   scripts/build-benchmark-debian12.sh --check   fail if the committed file is stale
#
# The composer is python3 standard library only; the build is reproducible
# (fixed timestamps, see SOURCE_DATE_EPOCH in the composer) so --check can
# compare bytes.
set -eu
repo=$(cd "$(dirname "$0")/.." && pwd)
ds="$repo/benchmarks/debian12/vigil-debian12-ds.xml"
compose="$repo/scripts/build-benchmark-debian12.py"

if [ "${1:-}" = "--check" ]; then
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    python3 "$compose" --out "$tmp/ds.xml" >/dev/null
    if ! cmp -s "$tmp/ds.xml" "$ds"; then
        echo "build-benchmark-debian12: $ds is stale; run scripts/build-benchmark-debian12.sh" >&2
        exit 1
    fi
    echo "build-benchmark-debian12: $ds is up to date"
    exit 0
fi

python3 "$compose" --out "$ds"
if command -v oscap >/dev/null; then
    oscap ds sds-validate "$ds" >/dev/null 2>&1 || { oscap ds sds-validate "$ds"; exit 1; }
    oscap xccdf validate "$ds" >/dev/null 2>&1 || { oscap xccdf validate "$ds"; exit 1; }
    echo "build-benchmark-debian12: oscap ds sds-validate and xccdf validate: ok"
else
    echo "build-benchmark-debian12: oscap not installed, datastream not validated" >&2
fi
