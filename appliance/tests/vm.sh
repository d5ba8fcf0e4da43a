# Runs the appliance image under qemu for the tests: firmware, forwarded ports, console, monitor.
# Sourced after lib.sh. The guest's user-mode network is a documentation range (192.0.2.0/24, the host
# side is 192.0.2.2) and restricted: the guest reaches nothing outside; only forwarded ports come in.
# Software emulation by default: KVM nested in some hosts cannot run the BIOS boot code
# ("KVM internal error ... emulation failure"). SPLICER_QEMU_ACCEL=kvm where KVM works.

VM_ACCEL=${SPLICER_QEMU_ACCEL:-tcg}
VM_BOOT_TIMEOUT=${SPLICER_QEMU_BOOT_TIMEOUT:-$([ "$VM_ACCEL" = kvm ] && echo 180 || echo 900)}
VM_HOST_ADDRESS=192.0.2.2
VM_PID=""

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# The boot partition (the ESP, partition 2) of a disk image, for mtools: mcopy -i "$(boot_partition IMG)" ...
boot_partition() { echo "$1@@2M"; }

# Adds words to the kernel command line of the image's grub.cfg.
append_kernel_arguments() { # DISK WORDS
  local disk=$1 words=$2 cfg
  cfg=$(mktemp)
  mcopy -n -i "$(boot_partition "$disk")" ::/grub/grub.cfg "$cfg"
  sed -i "s|^\(linux .*\)$|\1 $words|" "$cfg"
  mcopy -o -i "$(boot_partition "$disk")" "$cfg" ::/grub/grub.cfg
  rm -f "$cfg"
}

# Starts the VM in the background. Usage: start_vm WORK_DIR DISK bios|uefi "hostfwd=...,hostfwd=..." [qemu options...]
# An x86-64 q35 machine, or with VM_ARCH=arm64 an arm64 virt machine (always UEFI: AAVMF, the arm64 build of
# EDK II). Console in WORK_DIR/console.log, monitor socket WORK_DIR/monitor.sock.
start_vm() {
  local work=$1 disk=$2 firmware=$3 forwards=$4
  shift 4
  local machine=()
  case ${VM_ARCH:-x64}-$firmware in
    x64-bios) machine=(qemu-system-x86_64 -machine q35,accel="$VM_ACCEL" -m 768) ;;
    x64-uefi)
      need_packages ovmf
      cp /usr/share/OVMF/OVMF_VARS_4M.fd "$work/efivars.fd"
      machine=(qemu-system-x86_64 -machine q35,accel="$VM_ACCEL" -m 768
        -drive if=pflash,format=raw,unit=0,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd
        -drive if=pflash,format=raw,unit=1,file="$work/efivars.fd") ;;
    arm64-uefi)
      need_packages qemu-system-arm qemu-efi-aarch64
      cp /usr/share/AAVMF/AAVMF_VARS.fd "$work/efivars.fd"
      machine=(qemu-system-aarch64 -machine virt,accel=tcg -cpu cortex-a72 -m 1024
        -drive if=pflash,format=raw,unit=0,readonly=on,file=/usr/share/AAVMF/AAVMF_CODE.fd
        -drive if=pflash,format=raw,unit=1,file="$work/efivars.fd") ;;
    *) fail "no VM for ${VM_ARCH:-x64} with $firmware" ;;
  esac
  rm -f "$work/vm.stopping"
  # A reboot of the guest ends qemu (-no-reboot) and the loop starts it again on the same disk and firmware
  # variables: a power cycle. Under software emulation a warm reset of OVMF now and then never came back.
  # The console is appended to, so offsets taken before a reboot stay valid. The guest gets the host's
  # entropy (virtio-rng): without it an emulated CPU has no RDRAND, and a loaded host once left udev in
  # getrandom() for 13 minutes (a soft lockup) waiting for the kernel's random pool after a reboot.
  (
    while :; do
      "${machine[@]}" -smp 2 -no-reboot \
        -drive file="$disk",format=raw,if=virtio \
        -netdev "user,id=net0,restrict=on,net=192.0.2.0/24,host=$VM_HOST_ADDRESS,$forwards" \
        -device virtio-net-pci,netdev=net0 \
        -object rng-random,id=rng0,filename=/dev/urandom -device virtio-rng-pci,rng=rng0 \
        -display none -chardev file,id=console,path="$work/console.log",append=on -serial chardev:console \
        -monitor unix:"$work/monitor.sock",server,nowait "$@" || break
      [ -e "$work/vm.stopping" ] && break
    done
  ) &
  VM_PID=$!
  VM_WORK=$work
}

# Waits until the console shows PATTERN after byte OFFSET (default 0), or fails with the console's tail.
wait_for_console() { # PATTERN DESCRIPTION [OFFSET]
  local pattern=$1 description=$2 offset=${3:-0} deadline=$((SECONDS + VM_BOOT_TIMEOUT))
  while [ $SECONDS -lt $deadline ]; do
    tail -c +$((offset + 1)) "$VM_WORK/console.log" 2>/dev/null | grep -a -q -- "$pattern" && return 0
    kill -0 "$VM_PID" 2>/dev/null || break
    sleep 0.5
  done
  tail -c +$((offset + 1)) "$VM_WORK/console.log" | tail -n 40 | tr -d '\r'
  fail "$description (console: '$pattern' within ${VM_BOOT_TIMEOUT}s)"
}

console_size() { stat -c %s "$VM_WORK/console.log"; }

# Sends one command to the human monitor and returns once qemu has run it: the prompt comes back after the
# command's echo. Writing and hanging up at once can lose the command (qemu may see the hang-up first).
monitor() { # COMMAND
  python3 - "$VM_WORK/monitor.sock" "$1" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX); s.settimeout(60); s.connect(sys.argv[1])
def until_prompt(seen=b""):
    while b"(qemu) " not in seen:
        chunk = s.recv(4096)
        if not chunk: sys.exit("monitor closed before its prompt")
        seen += chunk
    return seen.split(b"(qemu) ", 1)[1]
rest = until_prompt()
s.sendall(sys.argv[2].encode() + b"\n")
until_prompt(rest)
PY
}

# ACPI power-down, then waits for qemu to exit; if it does not, the console since the press says why.
power_off_vm() {
  touch "$VM_WORK/vm.stopping"
  local offset
  offset=$(console_size)
  monitor system_powerdown || fail "the qemu monitor runs system_powerdown"
  local deadline=$((SECONDS + 180))
  while kill -0 "$VM_PID" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 1; done
  if kill -0 "$VM_PID" 2>/dev/null; then
    tail -c +$((offset + 1)) "$VM_WORK/console.log" | tail -n 60 | tr -d '\r'
    fail "the appliance powers off on ACPI power-down within 180 s"
  fi
  VM_PID=""
}

stop_vm() {
  if [ -n "$VM_PID" ]; then
    touch "$VM_WORK/vm.stopping"
    pkill -P "$VM_PID" 2>/dev/null
    kill "$VM_PID" 2>/dev/null
  fi
  VM_PID=""
  return 0
}
