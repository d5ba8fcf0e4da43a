# Shared by the appliance scripts: where things are, the cache, and installing what a step needs.
# Sourced, not run.

APPLIANCE_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REPO_DIR=$(cd "$APPLIANCE_DIR/.." && pwd)
OUT_DIR=${SPLICER_APPLIANCE_OUT:-$APPLIANCE_DIR/out}
# Downloads (debootstrap trees, apt archives) live outside the repo so a second run is fast.
CACHE_DIR=${SPLICER_APPLIANCE_CACHE:-/var/cache/splicer-appliance}
DEBIAN_SUITE=${SPLICER_DEBIAN_SUITE:-bookworm}
DEBIAN_MIRROR=${SPLICER_DEBIAN_MIRROR:-http://deb.debian.org/debian}

log() { printf '[appliance] %s\n' "$*" >&2; }
die() { printf '[appliance] error: %s\n' "$*" >&2; exit 1; }

require_root() { [ "$(id -u)" -eq 0 ] || die "$1 needs root"; }

splicer_version() {
  sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$REPO_DIR/Directory.Build.props" | head -n1
}

# Installs the Debian packages among "$@" that are missing (apt-get update at most once per run).
need_packages() {
  local missing=() package
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  require_root "installing ${missing[*]}"
  log "installing ${missing[*]}"
  if [ -z "${APPLIANCE_APT_UPDATED:-}" ]; then
    apt-get update -qq
    export APPLIANCE_APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Maps a .NET runtime identifier to a Debian architecture.
deb_arch_of() {
  case "$1" in
    linux-x64) echo amd64 ;;
    linux-arm64) echo arm64 ;;
    *) die "unknown runtime identifier $1" ;;
  esac
}

# A Debian tree from debootstrap, built once per (suite, variant, packages) and kept as a tarball in
# the cache; each caller gets a fresh copy in DEST. Usage: debian_tree DEST VARIANT [PACKAGE,...]
debian_tree() {
  local dest=$1 variant=$2 include=${3:-}
  local key tarball
  key=$(printf '%s %s %s %s' "$DEBIAN_SUITE" "$variant" "$include" "$DEBIAN_MIRROR" | sha256sum | cut -c1-12)
  tarball="$CACHE_DIR/rootfs-$DEBIAN_SUITE-$variant-$key.tar"
  mkdir -p "$CACHE_DIR/apt-archives"
  if [ ! -s "$tarball" ]; then
    need_packages debootstrap debian-archive-keyring
    local work="$CACHE_DIR/build-$key"
    rm -rf "$work"
    log "debootstrap $DEBIAN_SUITE ($variant${include:+, $include}) into the cache; later runs reuse it"
    debootstrap --cache-dir="$CACHE_DIR/apt-archives" --variant="$variant" ${include:+--include="$include"} "$DEBIAN_SUITE" "$work" "$DEBIAN_MIRROR" >"$CACHE_DIR/debootstrap-$key.log" 2>&1 \
      || { tail -n 20 "$CACHE_DIR/debootstrap-$key.log" >&2; die "debootstrap failed (log: $CACHE_DIR/debootstrap-$key.log)"; }
    tar -C "$work" -cf "$tarball.part" . && mv "$tarball.part" "$tarball"
    rm -rf "$work"
  fi
  mkdir -p "$dest"
  tar -C "$dest" -xf "$tarball"
}

# Mounts what a program run inside a chroot needs; undo with unmount_chroot_support.
mount_chroot_support() {
  local root=$1
  mount -t proc proc "$root/proc"
  mount --bind /dev "$root/dev"
  mount -t tmpfs tmpfs "$root/tmp"
}

unmount_chroot_support() {
  local root=$1 point
  for point in tmp dev proc; do
    mountpoint -q "$root/$point" && umount -l "$root/$point"
  done
  return 0
}
