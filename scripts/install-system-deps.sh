#!/usr/bin/env bash
# Installs the Debian packages the test suite drives: chromium for the Playwright
# browser tests (Playwright's own browser download does not work offline).
set -euo pipefail

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
[ ${#need[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
    echo "install these Debian packages first: ${need[*]}" >&2; exit 1
  fi
else
  SUDO=
fi
echo "installing Debian packages: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
