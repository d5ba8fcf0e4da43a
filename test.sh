#!/usr/bin/env bash
# Runs every test. Installs first whatever the tests need that this machine lacks (Debian packages).
set -euo pipefail
cd "$(dirname "$0")"

packages=(
  magic-wormhole                         # the real client, for the compatibility test
  python3-magic-wormhole-mailbox-server  # its rendezvous server, run on loopback
  magic-wormhole-transit-relay           # the reference relay, for side-by-side checks and the bench
  chromium                               # the admin UI browser test (Playwright drives it)
  haproxy socat                          # peers for Splicer.Bench
  iproute2 nftables                      # namespace and firewall tests
  miniupnpd-nftables                     # the home router for the port-mapping tests (Splicer.Tests/Client/PortMapping)
  openssl                                # openssl s_client against the TLS listener (Splicer.Tests/Transport)
  prometheus                             # promtool check rules, and a real server scraping Splicer (Splicer.Tests/Ops)
  qemu-system-x86 ovmf mtools            # the appliance image booted by SeaBIOS and by UEFI (Splicer.Tests/Appliance)
  qemu-system-arm qemu-efi-aarch64       # the arm64 image under qemu -M virt with UEFI (AAVMF)
  qemu-user-static binfmt-support        # building the arm64 system on this machine
  grub-pc-bin grub-efi-amd64-bin         # GRUB for the images (arm64's comes from the arm64 system)
  rauc squashfs-tools openssl            # signed update bundles, and the owner's key
  curl                                   # the update test uploads a bundle to the admin API
  nats-server                            # the fleet's engine (JetStream), run on loopback (Splicer.Tests/Fleet)
  zsh                                    # the zsh completion script run with the built program (Splicer.Tests/Host/CliCompletionTests)
)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi

results=$(mktemp -d)
status=0
dotnet test Splicer.sln -c Release --logger "trx;LogFilePrefix=splicer" --results-directory "$results" "$@" || status=$?

# One plain closing line that any CI can read, summed over every test assembly.
python3 - "$results" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
passed = failed = skipped = 0
for trx in glob.glob(sys.argv[1] + "/*.trx"):
    counters = ET.parse(trx).getroot().find(".//{*}Counters")
    passed += int(counters.get("passed", 0))
    failed += int(counters.get("failed", 0)) + int(counters.get("error", 0)) + int(counters.get("timeout", 0))
    skipped += int(counters.get("notExecuted", 0))
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
exit $status
