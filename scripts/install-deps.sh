#!/usr/bin/env bash
# Installs what Vigil needs to build and test on Debian 12, and nothing that is
# already there. Idempotent: a second run installs nothing and says so.
#   scripts/install-deps.sh            build deps + test oracles
#   scripts/install-deps.sh --build    build deps only
set -euo pipefail

BUILD_PKGS=(g++ cmake make pkg-config libpcap-dev libyara-dev libssl-dev
  nlohmann-json3-dev libsimdjson-dev libpugixml-dev catch2 libcli11-dev libpcre2-dev
  libsqlite3-dev zlib1g-dev clang-format)
# Oracles and tools the tests run: OpenSCAP + SSG content, tshark, yara,
# sqlite3 CLI (inspect real store files), iproute2 (netns tests).
ORACLE_PKGS=(openscap-scanner ssg-debian ssg-debderived tshark yara sqlite3
  iproute2 tcpdump python3-jsonschema chromium poppler-utils debootstrap
  nginx curl ethtool libndpi-bin  # sensor bench: make-bulk.sh capture, ndpiReader
  dnsmasq-base isc-dhcp-client)  # tests/data/dhcp: make-dhcp-pcap.sh

want=("${BUILD_PKGS[@]}")
if [[ "${1:-}" != "--build" ]]; then want+=("${ORACLE_PKGS[@]}"); fi

missing=()
for p in "${want[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "install-deps: all ${#want[@]} packages already installed"
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
  echo "install-deps: missing packages: ${missing[*]}" >&2
  echo "install-deps: run as root (sudo $0) to install them" >&2
  exit 1
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; answer once, non-interactively.
echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
# apt-get update once per machine when the package lists are empty or stale.
stamp=/var/lib/apt/periodic/update-success-stamp
lists=$(find /var/lib/apt/lists -maxdepth 1 -name '*_Packages*' 2>/dev/null | head -n1)
if [[ -z "$lists" || ! -e "$stamp" || $(find "$stamp" -mmin +1440 2>/dev/null) ]]; then
  apt-get update -q -o DPkg::Lock::Timeout=600
  mkdir -p "$(dirname "$stamp")" && touch "$stamp"
fi
# Wait for another apt run (unattended upgrades, a parallel job) instead of failing.
apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=600 "${missing[@]}"
echo "install-deps: done"
