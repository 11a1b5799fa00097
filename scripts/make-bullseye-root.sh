#!/usr/bin/env bash
# Builds the real trees the OVAL/XCCDF benchmarks scan (issues 5 and 6):
#   scripts/make-bullseye-root.sh DIR            debootstrap --variant=minbase bullseye DIR
#   scripts/make-bullseye-root.sh DIR --ubuntu SRC
#       copy of the finished tree SRC "dressed as Ubuntu 22.04": only /etc/os-release and
#       /etc/lsb-release change, so SSG's ubuntu2204 CPE platform applies to its rules.
# Idempotent: a tree that is already complete (stamp file written last) is left alone.
# Trees belong in /var/tmp/vigil-roots/, never in git. Needs root (debootstrap, chown).
set -euo pipefail
DIR=${1:?usage: make-bullseye-root.sh DIR [--ubuntu SRC]}
STAMP=$DIR/.vigil-root-complete
MIRROR=${MIRROR:-http://deb.debian.org/debian}

if [[ -e $STAMP ]]; then
  echo "make-bullseye-root: $DIR already complete"
  exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
  echo "make-bullseye-root: run as root (debootstrap needs it)" >&2
  exit 1
fi

if [[ "${2:-}" == "--ubuntu" ]]; then
  SRC=${3:?usage: make-bullseye-root.sh DIR --ubuntu SRC}
  [[ -e $SRC/.vigil-root-complete ]] || { echo "make-bullseye-root: $SRC is not complete" >&2; exit 1; }
  rm -rf "$DIR"
  mkdir -p "$(dirname "$DIR")"
  cp -a "$SRC" "$DIR"
  rm -f "$STAMP"
  # Files, not symlinks: Debian's /etc/os-release points into /usr/lib; replace the link.
  rm -f "$DIR/etc/os-release" "$DIR/etc/lsb-release"
  cat > "$DIR/etc/os-release" << 'EOF'
PRETTY_NAME="Ubuntu 22.04.3 LTS"
NAME="Ubuntu"
VERSION_ID="22.04"
VERSION="22.04.3 LTS (Jammy Jellyfish)"
VERSION_CODENAME=jammy
ID=ubuntu
ID_LIKE=debian
HOME_URL="https://www.ubuntu.com/"
SUPPORT_URL="https://help.ubuntu.com/"
BUG_REPORT_URL="https://bugs.launchpad.net/ubuntu/"
PRIVACY_POLICY_URL="https://www.ubuntu.com/legal/terms-and-policies/privacy-policy"
UBUNTU_CODENAME=jammy
EOF
  cat > "$DIR/etc/lsb-release" << 'EOF'
DISTRIB_ID=Ubuntu
DISTRIB_RELEASE=22.04
DISTRIB_CODENAME=jammy
DISTRIB_DESCRIPTION="Ubuntu 22.04.3 LTS"
EOF
  touch "$STAMP"
  echo "make-bullseye-root: $DIR dressed as Ubuntu 22.04 ($(du -sh "$DIR" | cut -f1))"
  exit 0
fi

command -v debootstrap > /dev/null || {
  apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=600 debootstrap
}
# A half-finished earlier attempt is not resumable in general: start over.
rm -rf "$DIR"
mkdir -p "$DIR"
debootstrap --variant=minbase bullseye "$DIR" "$MIRROR"
# debootstrap keeps downloaded .debs; the benchmarks do not need 70 MB of archives.
rm -f "$DIR"/var/cache/apt/archives/*.deb
touch "$STAMP"
echo "make-bullseye-root: $DIR done ($(du -sh "$DIR" | cut -f1))"
