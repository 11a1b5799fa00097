#!/usr/bin/env bash
# Regenerates tests/data/dhcp/dhcp-dnsmasq.pcap: a real DHCP exchange between
# real programs, for the dhcp analyser and the asset inventory's hostnames.
# Two network namespaces joined by a veth pair; dnsmasq serves DHCP in one,
# ISC dhclient asks for a lease in the other, sending a hostname (option 12)
# and a vendor class (option 60), then releases it; tcpdump records the
# server side. Fixed MACs and addresses so the test can assert them.
# Needs root, iproute2, dnsmasq-base, isc-dhcp-client, tcpdump
# (scripts/install-deps.sh). usage: make-dhcp-pcap.sh [OUT.pcap]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/dhcp-dnsmasq.pcap}
[ "$(id -u)" = 0 ] || { echo "make-dhcp-pcap: needs root (network namespaces)" >&2; exit 1; }
for t in ip dnsmasq dhclient tcpdump; do
  command -v "$t" >/dev/null || { echo "make-dhcp-pcap: $t missing (scripts/install-deps.sh)" >&2; exit 1; }
done

srv=vigil-dhcp-s.$$ cli=vigil-dhcp-c.$$
work=$(mktemp -d /tmp/vigil-dhcp.XXXXXX)
cleanup() {
  for p in "$work"/*.pid; do [ -s "$p" ] && kill "$(cat "$p")" 2>/dev/null || true; done
  ip netns del "$srv" 2>/dev/null || true
  ip netns del "$cli" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

ip netns add "$srv"
ip netns add "$cli"
ip link add vdhcp-s netns "$srv" address 02:00:5e:10:00:01 type veth \
  peer name vdhcp-c netns "$cli" address 02:00:5e:10:00:02
ip -n "$srv" addr add 192.0.2.1/24 dev vdhcp-s
ip -n "$srv" link set vdhcp-s up
ip -n "$cli" link set vdhcp-c up
ip -n "$srv" link set lo up
ip -n "$cli" link set lo up

ip netns exec "$srv" tcpdump -i vdhcp-s -U -s 0 -w "$work/cap.pcap" \
  'udp port 67 or udp port 68' 2>"$work/tcpdump.log" &
echo $! > "$work/tcpdump.pid"
sleep 1

ip netns exec "$srv" dnsmasq --no-daemon --port=0 --interface=vdhcp-s --bind-interfaces \
  --dhcp-range=192.0.2.50,192.0.2.99,255.255.255.0,1h --dhcp-authoritative \
  --no-ping --dhcp-leasefile="$work/dnsmasq.leases" --pid-file="$work/dnsmasq.pid2" \
  --log-dhcp 2>"$work/dnsmasq.log" &
echo $! > "$work/dnsmasq.pid"
sleep 1

cat > "$work/dhclient.conf" <<'EOF'
send host-name "vigil-lab-laptop";
send vendor-class-identifier "vigil-test-vendor 1.0";
send dhcp-requested-address 192.0.2.77;
request subnet-mask, broadcast-address, routers, domain-name-servers;
EOF
# Not /sbin/dhclient-script: it would rewrite the host's /etc/resolv.conf
# (namespaces share the file system). This one only sets the address.
cat > "$work/dhclient-script" <<'EOF'
#!/bin/sh
case "$reason" in
  BOUND | RENEW | REBIND | REBOOT) ip addr add "$new_ip_address/24" dev "$interface" ;;
  RELEASE | EXPIRE | STOP) ip addr flush dev "$interface" ;;
esac
exit 0
EOF
chmod +x "$work/dhclient-script"
# -1: one try; then -r releases the lease (a DHCPRELEASE on the wire too).
dh=(dhclient -cf "$work/dhclient.conf" -lf "$work/dhclient.leases" -pf "$work/dhclient.pid"
  -sf "$work/dhclient-script")
ip netns exec "$cli" "${dh[@]}" -1 -v vdhcp-c 2>"$work/dhclient.log"
ip netns exec "$cli" "${dh[@]}" -r -v vdhcp-c 2>>"$work/dhclient.log" || true
sleep 1
kill "$(cat "$work/tcpdump.pid")"
wait "$(cat "$work/tcpdump.pid")" 2>/dev/null || true
rm -f "$work/tcpdump.pid"
cp "$work/cap.pcap" "$out"
echo "make-dhcp-pcap: $out ($(stat -c %s "$out") bytes)"
