#!/usr/bin/env bash
# Sets up this machine for rules_tflm. Safe to run again: it installs only
# what is missing, so a second run on a ready machine takes seconds.
#
#   1. Debian packages: Bazel (bazel-bootstrap), the Arm GCC toolchain with
#      newlib, QEMU for emulated Cortex-M tests, the host C/C++ compiler, and
#      nginx-light, the HTTP cache server of tests/remote_cache (which starts
#      its own on 127.0.0.1; the system service is left stopped), and Chromium
#      with the DejaVu fonts, in which tests/report renders the report pages.
#   2. A Python virtualenv with the exact packages of requirements.txt, at
#      ${XDG_CACHE_HOME:-$HOME/.cache}/rules_tflm/venv. The Bazel workspace
#      finds it by itself (set RULES_TFLM_PYTHON to use another interpreter).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
venv="${XDG_CACHE_HOME:-$HOME/.cache}/rules_tflm/venv"
python="${PYTHON:-python3}"

debian_packages=(
  bazel-bootstrap
  chromium
  fonts-dejavu-core
  g++
  gcc-arm-none-eabi
  libnewlib-arm-none-eabi
  libstdc++-arm-none-eabi-newlib
  nginx-light
  python3-venv
  qemu-system-arm
  xxd
)

say() { echo "setup: $*"; }

missing=()
for package in "${debian_packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
if ((${#missing[@]})); then
  sudo=""
  if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
  say "installing Debian packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
  # Debian's package starts nginx's default site on port 80; the tests need
  # only the program, so stop and disable the service installed just now.
  if [[ " ${missing[*]} " == *" nginx-light "* ]] && [ -d /run/systemd/system ]; then
    say "stopping and disabling the nginx service (tests/remote_cache runs its own)"
    $sudo systemctl disable --now nginx.service || true
  fi
else
  say "Debian packages present"
fi

stamp="$venv/.rules_tflm-requirements"
if [ -x "$venv/bin/python3" ] && cmp -s "$here/requirements.txt" "$stamp"; then
  say "Python environment up to date: $venv"
else
  if [ ! -x "$venv/bin/python3" ]; then
    say "creating Python virtualenv $venv"
    "$python" -m venv "$venv"
  fi
  say "installing requirements.txt into $venv"
  "$venv/bin/python3" -m pip install --quiet --disable-pip-version-check -r "$here/requirements.txt"
  cp "$here/requirements.txt" "$stamp"
fi
say "ready: try 'bazel build //examples/hello_world:model_data'"
