#!/bin/bash
# Install everything daxlab needs on Debian 12 (run as root, or with sudo available), then build it.
# Idempotent: re-running only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  qemu-system-x86 qemu-utils          # the VM
  linux-source-6.12                   # the default kernel source
  build-essential bc flex bison libelf-dev libssl-dev cpio ccache git patch xz-utils lz4
  openssh-server openssh-client       # sshd runs in the guest from the shared root
  ndctl e2fsprogs xfsprogs            # fsdax namespaces and filesystems in the guest
  liburing-dev fio iproute2 procps    # workload programs
  util-linux                          # flock (cache and run-dir locks), setpriv (children die with daxlab)
  chromium                            # the HTML report's browser test (test/cli/report-html.test.ts)
  redis-server                        # the lab queue (daxlab lab) and its tests
  kexec-tools                         # target kind machine: kexec into the kernel under test (and its test stand-in guest)
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "daxlab setup: installing ${missing[*]}"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
npm run --silent build
