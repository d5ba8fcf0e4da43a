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

# The shell completion both packages ship: the scripts `splicer completion bash|zsh` prints (the same files, built
# into the program), where bash-completion and Debian's zsh look for them.
install_completion() { # STAGE
  local completion="$REPO_DIR/Splicer/Client/Completion"
  install -D -m 0644 "$completion/splicer.bash" "$1/usr/share/bash-completion/completions/splicer"
  install -D -m 0644 "$completion/_splicer" "$1/usr/share/zsh/vendor-completions/_splicer"
}

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

# A Debian tree from debootstrap, built once per (suite, variant, packages, architecture) and kept as a
# tarball in the cache; each caller gets a fresh copy in DEST. Another architecture than the machine's
# runs its package scripts through qemu-user-static (binfmt_misc).
# Usage: debian_tree DEST VARIANT [PACKAGE,...] [DEBIAN_ARCH]
debian_tree() {
  local dest=$1 variant=$2 include=${3:-} arch=${4:-$(dpkg --print-architecture)}
  local key tarball arch_options=()
  key=$(printf '%s %s %s %s' "$DEBIAN_SUITE" "$variant" "$include" "$DEBIAN_MIRROR" | sha256sum | cut -c1-12)
  if [ "$arch" != "$(dpkg --print-architecture)" ]; then
    key="$arch-$key"
    arch_options=(--arch="$arch")
  fi
  tarball="$CACHE_DIR/rootfs-$DEBIAN_SUITE-$variant-$key.tar"
  mkdir -p "$CACHE_DIR/apt-archives"
  if [ ! -s "$tarball" ]; then
    need_packages debootstrap debian-archive-keyring
    [ ${#arch_options[@]} -eq 0 ] || enable_foreign_binaries "$arch"
    local work="$CACHE_DIR/build-$key"
    rm -rf "$work"
    log "debootstrap $DEBIAN_SUITE ($variant${include:+, $include}) into the cache; later runs reuse it"
    debootstrap --cache-dir="$CACHE_DIR/apt-archives" "${arch_options[@]}" --variant="$variant" ${include:+--include="$include"} "$DEBIAN_SUITE" "$work" "$DEBIAN_MIRROR" >"$CACHE_DIR/debootstrap-$key.log" 2>&1 \
      || { tail -n 20 "$CACHE_DIR/debootstrap-$key.log" >&2; die "debootstrap failed (log: $CACHE_DIR/debootstrap-$key.log)"; }
    tar -C "$work" -cf "$tarball.part" . && mv "$tarball.part" "$tarball"
    rm -rf "$work"
  fi
  mkdir -p "$dest"
  tar -C "$dest" -xf "$tarball"
}

# Lets this machine run another architecture's programs (for debootstrap and chroots): qemu-user-static
# registered with binfmt_misc.
enable_foreign_binaries() { # DEBIAN_ARCH
  local qemu_name
  case $1 in arm64) qemu_name=qemu-aarch64 ;; *) die "no qemu-user mapping for $1" ;; esac
  need_packages qemu-user-static binfmt-support
  mountpoint -q /proc/sys/fs/binfmt_misc || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
  [ -e "/proc/sys/fs/binfmt_misc/$qemu_name" ] || update-binfmts --enable "$qemu_name" >/dev/null 2>&1 || true
  [ -e "/proc/sys/fs/binfmt_misc/$qemu_name" ] || die "cannot run $1 programs here (binfmt_misc $qemu_name)"
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

# The owner's update-signing key and certificate: RAUC on the box accepts only bundles signed with it.
# Kept outside the repository (SPLICER_APPLIANCE_KEYS, default ~/.config/splicer-appliance), made on first
# use, never committed. Prints the directory holding owner.key (0600) and owner.crt.
owner_key_dir() {
  local dir=${SPLICER_APPLIANCE_KEYS:-${HOME:-/root}/.config/splicer-appliance}
  if [ ! -s "$dir/owner.key" ] || [ ! -s "$dir/owner.crt" ]; then
    need_packages openssl
    install -d -m 0700 "$dir"
    log "no owner key in $dir: making one (keep it safe: only bundles signed with it update your boxes)"
    (umask 077 && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 36500 \
      -subj "/O=Splicer appliance owner/CN=$(hostname) update signing" \
      -keyout "$dir/owner.key" -out "$dir/owner.crt" 2>/dev/null) || die "openssl could not make the owner key"
  fi
  echo "$dir"
}

# The RAUC compatible string of an architecture's images: bundles for another architecture are refused.
rauc_compatible() { echo "splicer-appliance-$1"; }

# GRUB's BIOS boot without grub-install (which wants a block device): its boot sector goes into the MBR's
# code area (the partition table stays) and its core image into the BIOS boot partition; both learn where
# the core starts. Offsets from GRUB's boot.S (kernel sector at 0x5c) and diskboot.S (the block list
# closing its first sector: start at 500, length at 508).
write_bios_boot_code() { # IMAGE CORE_IMG CORE_SECTOR
  local image=$1 core=$2 sector=$3
  local patched
  patched=$(mktemp)
  cp /usr/lib/grub/i386-pc/boot.img "$patched.boot"
  put_le64 "$patched.boot" $((0x5c)) "$sector"
  dd if="$patched.boot" of="$image" bs=440 count=1 conv=notrunc status=none
  cp "$core" "$patched"
  put_le64 "$patched" 500 $((sector + 1))
  dd if="$patched" of="$image" bs=512 seek="$sector" conv=notrunc status=none
  rm -f "$patched" "$patched.boot"
}

put_le64() { # FILE OFFSET VALUE: writes VALUE as 8 little-endian bytes at OFFSET
  python3 -c 'import struct,sys; f=open(sys.argv[1],"r+b"); f.seek(int(sys.argv[2])); f.write(struct.pack("<Q", int(sys.argv[3])))' "$@"
}

# NativeAOT links with clang; for arm64 on an x86-64 build machine, against the cross toolchain's libc.
# Returns 1 (after saying why) when the toolchain cannot be had, so the caller falls back to ReadyToRun.
aot_toolchain() { # RID
  local packages=(clang)
  case $1 in
    "linux-$(native_arch)") ;;
    linux-arm64) packages+=(gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu llvm) ;;
    *) log "no NativeAOT cross toolchain known for $1"; return 1 ;;
  esac
  (need_packages "${packages[@]}") || { log "cannot install ${packages[*]} for NativeAOT $1"; return 1; }
}

native_arch() { case $(dpkg --print-architecture) in amd64) echo x64 ;; arm64) echo arm64 ;; *) dpkg --print-architecture ;; esac; }
