#!/usr/bin/env bash
# The steps of socklab's GitHub Action (action.yml at the repository root),
# one subcommand per step, so that `make action-test` runs on this machine
# exactly what a runner runs:
#
#   steps.sh install   socklab from SOCKLAB_SOURCE into the `python` on PATH,
#                      its system packages, the VM's kernel (INPUT_KERNEL: a
#                      /boot path, a package name, or empty for the
#                      distribution's kernel with every family)
#   steps.sh kvm       let the runner's user open /dev/kvm, where there is one
#   steps.sh run       INPUT_RUN through `socklab run` with INPUT_NEEDS and
#                      INPUT_IMPL (comma-separated), from the current directory
#
# On a runner GITHUB_ENV and GITHUB_OUTPUT name files the next steps read;
# elsewhere they may be unset.
set -euo pipefail

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo -E env "PATH=$PATH" "$@"; fi
}

note() { echo "socklab action: $*" >&2; }

export_variable() {
  export "$1=$2"
  if [ -n "${GITHUB_ENV:-}" ]; then echo "$1=$2" >>"$GITHUB_ENV"; fi
}

install() {
  local source=${SOCKLAB_SOURCE:?SOCKLAB_SOURCE names the socklab to install}
  python -m pip install --quiet --disable-pip-version-check "${source}[all]"
  note "installed $(socklab --version 2>/dev/null || echo socklab) into $(command -v python)"
  as_root "$(command -v socklab)" setup --yes --quiet host vm
  local kernel=${INPUT_KERNEL:-}
  if [ -z "$kernel" ]; then
    kernel=$(socklab setup --kernel-path)
  elif [ ! -f "$kernel" ]; then
    # A package name: install it, then boot the image it brought.
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$kernel" >/dev/null
    kernel=$(dpkg -L "$kernel" | grep -m1 '^/boot/vmlinuz-' || true)
    [ -n "$kernel" ] || { note "package ${INPUT_KERNEL} installed no /boot/vmlinuz-*"; exit 1; }
  fi
  # vng reads the image as the user; Ubuntu installs it readable by root only.
  as_root chmod a+r "$kernel"
  export_variable LAB_KERNEL "$kernel"
  if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "kernel=$kernel" >>"$GITHUB_OUTPUT"; fi
  note "the lab VM boots $kernel"
}

kvm() {
  if [ ! -e /dev/kvm ]; then
    note "no /dev/kvm: the lab VM runs under QEMU's TCG"
  elif ! command -v udevadm >/dev/null || ! as_root udevadm control --ping 2>/dev/null; then
    note "/dev/kvm is there but no udev daemon to open it up; the lab probes KVM and falls back to TCG"
  else
    echo 'KERNEL=="kvm", GROUP="kvm", MODE="0666", OPTIONS+="static_node=kvm"' \
      | as_root tee /etc/udev/rules.d/99-socklab-kvm.rules >/dev/null
    as_root udevadm control --reload-rules
    as_root udevadm trigger --name-match=kvm
    note "KVM opened for the lab VM"
  fi
}

run() {
  local command=${INPUT_RUN:?INPUT_RUN is the command to run}
  local args=()
  if [ -n "${INPUT_NEEDS:-}" ]; then args+=(--needs "$INPUT_NEEDS"); fi
  local impl
  IFS=, read -r -a impls <<<"${INPUT_IMPL:-stdlib}"
  for impl in "${impls[@]}"; do args+=(--impl "$impl"); done
  # The command's own quoting holds: it is split as the shell would split it.
  eval "set -- $command"
  as_root "$(command -v socklab)" run "${args[@]}" -- "$@"
}

"${1:?usage: steps.sh install|kvm|run}"
