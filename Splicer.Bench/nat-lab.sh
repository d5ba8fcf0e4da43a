#!/usr/bin/env bash
# Success rates of brokered direct paths through real NATs (docs/protocols.md, "Direct paths"): the same lab as the tests'
# Splicer.Tests/Direct/NatLab.cs (namespaces, nftables masquerade and a home-router firewall, documentation
# addresses, dual-stack: IPv6 routed, not translated, behind the same firewall), the built splicer as relay and
# clients, ATTEMPTS `splicer punch-probe` pairs per case. The ipv6-* cases reach the relay at its IPv6 address.
# Needs root, iproute2 and nftables. Run after `dotnet build Splicer.sln -c Release`:
#   sudo Splicer.Bench/nat-lab.sh [ATTEMPTS]        (default 50)
#   sudo CASES='ipv6-*' Splicer.Bench/nat-lab.sh 50   (only the cases whose key matches one of the comma-separated
#                                                      patterns: easy, late-500, late-2000, reset, reset-easy,
#                                                      random-easy-256, random-easy-1024, random-reset-256,
#                                                      random-easy-none, random-random, upnp, ipv6-drop, ipv6-reset)
set -euo pipefail
cd "$(dirname "$0")/.."
attempts=${1:-50}
dll=$PWD/Splicer/bin/Release/net10.0/Splicer.dll
id=$(od -An -N2 -tx1 /dev/urandom | tr -d ' \n')
pub=sp${id}pub ra=sp${id}ra rb=sp${id}rb ha=sp${id}ha hb=sp${id}hb
work=$(mktemp -d /tmp/splicer-natlab-XXXX)
token=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
relay_pid= upnp_pid= stun_pid=

cleanup() {
  kill $relay_pid $upnp_pid $stun_pid 2>/dev/null || true
  for ns in $pub $ra $rb $ha $hb; do ip netns del "$ns" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
at() { local ns=$1; shift; ip netns exec "$ns" "$@"; }
nodad() { [[ $1 == *:* ]] && echo nodad || true; }   # IPv6 addresses usable at once, without duplicate detection
link() { # left "leftaddr leftaddr6" right "rightaddr rightaddr6" leftname rightname
  ip link add "$5" netns "$1" type veth peer name "$6" netns "$3"
  for address in $2; do at "$1" ip addr add "$address" dev "$5" $(nodad "$address"); done
  for address in $4; do at "$3" ip addr add "$address" dev "$6" $(nodad "$address"); done
  at "$1" ip link set "$5" up; at "$3" ip link set "$6" up
}
router() { # ns wan kind(easy|reset|random)
  local masq=masquerade unsolicited=drop
  [ "$3" = random ] && masq="masquerade fully-random"
  [ "$3" = reset ] && unsolicited="meta l4proto tcp reject with tcp reset"
  # IPv4 masqueraded, IPv6 only routed; one firewall for both, letting neighbour discovery and ICMPv6 errors through.
  local icmpv6="icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert, packet-too-big, destination-unreachable, time-exceeded, parameter-problem } accept"
  at "$1" nft -f - <<NFT
flush ruleset
table inet home {
  chain postrouting { type nat hook postrouting priority srcnat; oifname "$2" meta nfproto ipv4 $masq; }
  chain forward { type filter hook forward priority filter; policy accept; ct state established,related accept; $icmpv6; iifname "$2" $unsolicited; }
  chain input { type filter hook input priority filter; policy accept; ct state established,related accept; $icmpv6; iifname "$2" $unsolicited; }
}
NFT
}

for ns in $pub $ra $rb $ha $hb; do
  ip netns add "$ns"; at "$ns" ip link set lo up
  at "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0   # addresses usable at once
done
at $pub ip addr add 198.51.100.1/32 dev lo
at $pub ip -6 addr add 2001:db8:100::1/128 dev lo
for ns in $pub $ra $rb; do at "$ns" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1; done
link $pub "203.0.113.1/30 2001:db8:0:a::1/64" $ra "203.0.113.2/30 2001:db8:0:a::2/64" v${id}pa v${id}wa
link $pub "203.0.113.5/30 2001:db8:0:b::1/64" $rb "203.0.113.6/30 2001:db8:0:b::2/64" v${id}pb v${id}wb
link $ra "192.0.2.1/25 2001:db8:a::1/64" $ha "192.0.2.10/25 2001:db8:a::10/64" v${id}la v${id}ea
link $rb "192.0.2.129/25 2001:db8:b::1/64" $hb "192.0.2.130/25 2001:db8:b::10/64" v${id}lb v${id}eb
at $ra ip route add default via 203.0.113.1; at $rb ip route add default via 203.0.113.5
at $ha ip route add default via 192.0.2.1; at $hb ip route add default via 192.0.2.129
at $pub ip -6 route add 2001:db8:a::/64 via 2001:db8:0:a::2; at $pub ip -6 route add 2001:db8:b::/64 via 2001:db8:0:b::2
at $ra ip -6 route add default via 2001:db8:0:a::1; at $rb ip -6 route add default via 2001:db8:0:b::1
at $ha ip -6 route add default via 2001:db8:a::1; at $hb ip -6 route add default via 2001:db8:b::1
router $ra v${id}wa easy; router $rb v${id}wb easy

ip netns exec $pub dotnet "$dll" serve --Splicer:Port=4001 --Splicer:Access:Mode=Doors --Splicer:Access:RelayName=lab \
  --Splicer:Access:InviteAddresses:0=198.51.100.1:4001 --Splicer:Access:InviteAddresses:1=[2001:db8:100::1]:4001 --Splicer:StateDirectory="$work/relay" \
  --Admin:Url=http://127.0.0.1:18080 --Admin:BearerToken="$token" >"$work/relay.log" 2>&1 &
relay_pid=$!
invite=
for _ in $(seq 100); do
  invite=$(at $pub dotnet "$dll" door open --duration 2h --uses 2 --name nat-lab --admin http://127.0.0.1:18080 --token "$token" 2>/dev/null \
    | grep '^splicer-invite\.' || true)
  [ -n "$invite" ] && break
  sleep 0.2   # the relay is starting (a script, not a test: polling is fine here)
done
for side in a b; do
  mkdir -p "$work/$side"
  XDG_CONFIG_HOME=$work/$side at sp${id}h$side dotnet "$dll" join "$invite" --name "host-$side" >/dev/null
done

probe() { # side late-ms relay-url
  XDG_CONFIG_HOME=$work/$1 at sp${id}h$1 dotnet "$dll" punch-probe "$code" --punch-delay "$2" --birthday-sockets "$birthday" ${3:+--relay "$3"}
}
# Router A as a hard NAT (fully-random) running Debian's miniupnpd with NAT-PMP and PCP, as the tests' NatLab does; its WAN
# address is a documentation one, which miniupnpd maps only after a STUN check, answered from the public namespace.
start_miniupnpd() {
  at $ra nft -f - <<NFT
flush ruleset
table inet miniupnpd {
  chain forward { type filter hook forward priority 0; policy drop; ct state established,related accept; iifname "v${id}la" accept; jump miniupnpd; }
  chain miniupnpd { }
  chain prerouting { type nat hook prerouting priority -100; policy accept; jump prerouting_miniupnpd; }
  chain postrouting { type nat hook postrouting priority 100; policy accept; jump postrouting_miniupnpd; oifname "v${id}wa" ip saddr 192.0.2.0/25 masquerade fully-random; }
  chain prerouting_miniupnpd { }
  chain postrouting_miniupnpd { }
}
NFT
  ip netns exec $pub python3 -c '
import socket, struct, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("203.0.113.1", 3478))
while True:
    data, (host, port) = s.recvfrom(2048)
    if len(data) < 20: continue
    mapped = struct.pack("!HHBBHI", 0x20, 8, 0, 1, port ^ 0x2112, struct.unpack("!I", socket.inet_aton(host))[0] ^ 0x2112A442)
    s.sendto(struct.pack("!HHI", 0x0101, len(mapped), 0x2112A442) + data[8:20] + mapped, (host, port))
' & stun_pid=$!
  cat >"$work/miniupnpd.conf" <<CONF
ext_ifname=v${id}wa
listening_ip=v${id}la
port=0
enable_natpmp=yes
enable_upnp=no
secure_mode=yes
ext_perform_stun=yes
ext_stun_host=203.0.113.1
ext_stun_port=3478
upnp_table_name=miniupnpd
upnp_nat_table_name=miniupnpd
allow 1024-65535 192.0.2.0/25 1024-65535
deny 0-65535 0.0.0.0/0 0-65535
CONF
  ip netns exec $ra miniupnpd -d -f "$work/miniupnpd.conf" -P "$work/miniupnpd.pid" >"$work/miniupnpd.log" 2>&1 & upnp_pid=$!
  for _ in $(seq 100); do grep -q 'Listening for NAT-PMP/PCP' "$work/miniupnpd.log" && return; sleep 0.1; done
  echo "miniupnpd did not start: $(cat "$work/miniupnpd.log")" >&2; exit 1
}
stop_miniupnpd() { kill "$upnp_pid" "$stun_pid" 2>/dev/null || true; wait "$upnp_pid" "$stun_pid" 2>/dev/null || true; upnp_pid= stun_pid=; }
selected() { # key: does it match one of the patterns in CASES (all when unset)?
  [ -z "${CASES:-}" ] && return 0
  local pattern patterns
  IFS=, read -ra patterns <<<"$CASES"
  for pattern in "${patterns[@]}"; do
    # shellcheck disable=SC2053 # a pattern on purpose
    [[ $1 == $pattern ]] && return 0
  done
  return 1
}
median() { sort -n | awk 'NF {a[++n]=$1} END {print (n ? a[int((n+1)/2)] : "-")}'; }
ms_between() { python3 -c 'import json,sys; a=json.load(open(sys.argv[1])); print(round(a[sys.argv[3]]-a[sys.argv[2]]))' "$@"; }
run_case() { # key name kindA kindB lateB [birthday-sockets [relay-url (IPv6: the direct path must be IPv6 too)]]
  selected "$1" || return 0
  shift
  birthday=${5:-256}
  if [ "$2" = upnp ]; then start_miniupnpd; else router $ra v${id}wa "$2"; fi  # upnp: fully-random, with miniupnpd
  router $rb v${id}wb "$3"
  local direct=0 switch=() first=() expected='"path":"direct"'
  [ -n "${6:-}" ] && expected='"path":"direct","detail":"direct to \[2001:db8:'
  for _ in $(seq "$attempts"); do
    code=$(dotnet "$dll" code)
    probe a 0 "${6:-}" >"$work/pa" & local pa=$!
    probe b "$4" "${6:-}" >"$work/pb" & local pb=$!
    wait $pa $pb || true
    first+=("$(ms_between "$work/pa" pairedMs firstByteMs)")
    if grep -q "$expected" "$work/pa" && grep -q "$expected" "$work/pb"; then
      direct=$((direct + 1))
      switch+=("$(ms_between "$work/pa" pairedMs directMs)")
    fi
  done
  [ "$2" = upnp ] && stop_miniupnpd
  printf '%-40s %3d/%-3d direct (%3d%%)   paired → first byte (relay) %4s ms, → proven direct path %5s ms (medians)\n' \
    "$1" "$direct" "$attempts" $((100 * direct / attempts)) "$(printf '%s\n' "${first[@]}" | median)" "$(printf '%s\n' "${switch[@]}" | median)"
}

echo "NAT lab: $attempts attempts per case"
v6=tcp://[2001:db8:100::1]:4001
run_case easy             "easy / easy"                           easy   easy   0
run_case late-500         "easy / easy, B 0.5 s late"             easy   easy   500
run_case late-2000        "easy / easy, B 2 s late"               easy   easy   2000
run_case reset            "reset / reset"                         reset  reset  0
run_case reset-easy       "reset / easy"                          reset  easy   0
run_case random-easy-256  "fully-random / easy, birthday 256"     random easy   0 256
run_case random-easy-1024 "fully-random / easy, birthday 1024"    random easy   0 1024
run_case random-reset-256 "fully-random / reset, birthday 256"    random reset  0 256
run_case random-easy-none "fully-random / easy, no birthday"      random easy   0 0
run_case random-random    "fully-random / fully-random"           random random 0
run_case upnp             "fully-random + miniupnpd / easy"       upnp   easy   0
run_case ipv6-drop        "IPv6 firewalls (drop / drop)"          easy   easy   0 256 "$v6"
run_case ipv6-reset       "IPv6 firewalls (reset / reset)"        reset  reset  0 256 "$v6"
