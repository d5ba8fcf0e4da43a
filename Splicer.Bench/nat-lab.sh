#!/usr/bin/env bash
# Success rates of brokered direct paths through real NATs (README, "Direct paths"): the same lab as the tests'
# Splicer.Tests/Direct/NatLab.cs (namespaces, nftables masquerade and a home-router firewall, documentation
# addresses), the built splicer as relay and clients, ATTEMPTS `splicer punch-probe` pairs per case.
# Needs root, iproute2 and nftables. Run after `dotnet build Splicer.sln -c Release`:
#   sudo Splicer.Bench/nat-lab.sh [ATTEMPTS]        (default 50)
set -euo pipefail
cd "$(dirname "$0")/.."
attempts=${1:-50}
dll=$PWD/Splicer/bin/Release/net10.0/Splicer.dll
id=$(od -An -N2 -tx1 /dev/urandom | tr -d ' \n')
pub=sp${id}pub ra=sp${id}ra rb=sp${id}rb ha=sp${id}ha hb=sp${id}hb
work=$(mktemp -d /tmp/splicer-natlab-XXXX)
token=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
relay_pid=

cleanup() {
  [ -n "$relay_pid" ] && kill "$relay_pid" 2>/dev/null || true
  for ns in $pub $ra $rb $ha $hb; do ip netns del "$ns" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
at() { local ns=$1; shift; ip netns exec "$ns" "$@"; }
link() { # left leftaddr right rightaddr leftname rightname
  ip link add "$5" netns "$1" type veth peer name "$6" netns "$3"
  at "$1" ip addr add "$2" dev "$5"; at "$3" ip addr add "$4" dev "$6"
  at "$1" ip link set "$5" up; at "$3" ip link set "$6" up
}
router() { # ns wan kind(easy|reset|random)
  local masq=masquerade unsolicited=drop
  [ "$3" = random ] && masq="masquerade fully-random"
  [ "$3" = reset ] && unsolicited="meta l4proto tcp reject with tcp reset"
  at "$1" nft -f - <<NFT
flush ruleset
table ip home {
  chain postrouting { type nat hook postrouting priority srcnat; oifname "$2" $masq; }
  chain forward { type filter hook forward priority filter; policy accept; ct state established,related accept; iifname "$2" $unsolicited; }
  chain input { type filter hook input priority filter; policy accept; ct state established,related accept; iifname "$2" $unsolicited; }
}
NFT
}

for ns in $pub $ra $rb $ha $hb; do ip netns add "$ns"; at "$ns" ip link set lo up; done
at $pub ip addr add 198.51.100.1/32 dev lo
for ns in $pub $ra $rb; do at "$ns" sysctl -qw net.ipv4.ip_forward=1; done
link $pub 203.0.113.1/30 $ra 203.0.113.2/30 v${id}pa v${id}wa
link $pub 203.0.113.5/30 $rb 203.0.113.6/30 v${id}pb v${id}wb
link $ra 192.0.2.1/25 $ha 192.0.2.10/25 v${id}la v${id}ea
link $rb 192.0.2.129/25 $hb 192.0.2.130/25 v${id}lb v${id}eb
at $ra ip route add default via 203.0.113.1; at $rb ip route add default via 203.0.113.5
at $ha ip route add default via 192.0.2.1; at $hb ip route add default via 192.0.2.129
router $ra v${id}wa easy; router $rb v${id}wb easy

at $pub dotnet "$dll" serve --Splicer:Port=4001 --Splicer:Access:Mode=Doors --Splicer:Access:RelayName=lab \
  --Splicer:Access:InviteAddresses:0=198.51.100.1:4001 --Splicer:StateDirectory="$work/relay" \
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

probe() { # side late-ms
  XDG_CONFIG_HOME=$work/$1 at sp${id}h$1 dotnet "$dll" punch-probe "$code" --punch-delay "$2"
}
run_case() { # name kindA kindB lateB
  router $ra v${id}wa "$2"; router $rb v${id}wb "$3"
  local direct=0 times=()
  for _ in $(seq "$attempts"); do
    code=$(dotnet "$dll" code)
    probe a 0 >"$work/pa" & local pa=$!
    probe b "$4" >"$work/pb" & local pb=$!
    wait $pa $pb || true
    if grep -q '"path":"direct"' "$work/pa" && grep -q '"path":"direct"' "$work/pb"; then
      direct=$((direct + 1))
      times+=("$(python3 -c 'import json,sys; a=json.load(open(sys.argv[1])); print(a["directMs"]-a["pairedMs"])' "$work/pa")")
    fi
  done
  local median=-
  [ ${#times[@]} -gt 0 ] && median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  printf '%-34s %3d/%-3d direct (%3d%%)   pairing to proven direct path, median: %s ms\n' \
    "$1" "$direct" "$attempts" $((100 * direct / attempts)) "$median"
}

echo "NAT lab: $attempts attempts per case"
run_case "easy / easy"                 easy easy 0
run_case "easy / easy, B 0.5 s late"   easy easy 500
run_case "easy / easy, B 2 s late"     easy easy 2000
run_case "reset / reset"               reset reset 0
run_case "reset / easy"                reset easy 0
run_case "fully-random / easy"         random easy 0
run_case "fully-random / fully-random" random random 0
