# Helpers for the appliance tests. Sourced, not run.
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

TESTS_DIR="$APPLIANCE_DIR/tests"

pass() { printf 'PASS: %s\n' "$*"; }
fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }
check() { # DESCRIPTION COMMAND...
  local description=$1; shift
  if "$@"; then pass "$description"; else fail "$description"; fi
}

# The x64 .deb: the one given, or a fresh build.
x64_deb() {
  if [ -n "${SPLICER_DEB:-}" ]; then echo "$SPLICER_DEB"; return; fi
  "$APPLIANCE_DIR/build" --arch x64 >&2
  echo "$OUT_DIR/splicer_$(splicer_version)_amd64.deb"
}

# Waits (bounded) until FILE contains PATTERN or PID has died.
wait_for_log() { # FILE PATTERN PID SECONDS
  local file=$1 pattern=$2 pid=$3 deadline=$((SECONDS + $4))
  while [ $SECONDS -lt $deadline ]; do
    grep -q -- "$pattern" "$file" 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.2
  done
  return 1
}

# A namespace pair joined by a veth link, with documentation addresses (RFC 5737 / RFC 3849) that
# exist only inside these namespaces. Usage: link_namespaces NS_A ADDR4_A ADDR6_A NS_B ADDR4_B ADDR6_B
link_namespaces() {
  local a=$1 a4=$2 a6=$3 b=$4 b4=$5 b6=$6
  local link
  link=$(printf '%s %s' "$a" "$b" | md5sum | cut -c1-10)
  local veth_a="va$link" veth_b="vb$link"
  ip netns list | grep -qw "$a" || ip netns add "$a"
  ip netns list | grep -qw "$b" || ip netns add "$b"
  ip link add "$veth_a" netns "$a" type veth peer name "$veth_b" netns "$b"
  ip -n "$a" link set lo up
  ip -n "$b" link set lo up
  ip -n "$a" addr add "$a4/24" dev "$veth_a"
  ip -n "$b" addr add "$b4/24" dev "$veth_b"
  ip -n "$a" addr add "$a6/64" dev "$veth_a" nodad
  ip -n "$b" addr add "$b6/64" dev "$veth_b" nodad
  ip -n "$a" link set "$veth_a" up
  ip -n "$b" link set "$veth_b" up
}

# The x64 disk image: the one given, or a fresh build (from x64_deb) into OUT_DIR.
appliance_image() { # [IMAGE]
  if [ -n "${1:-}" ]; then echo "$1"; return; fi
  local image="$OUT_DIR/splicer-appliance-x64.img"
  "$APPLIANCE_DIR/image/build-image" "$(x64_deb)" "$image" >&2
  echo "$image"
}
