#!/usr/bin/env bash
# Installs what the test suite drives besides Python packages:
#  - Debian's chromium for the Playwright browser tests (Playwright's own
#    browser download does not work here);
#  - Debian's age, to prove readers' sealed contacts open with the standard tool;
#  - Debian's nodejs + npm when npm is missing, then the repository's Node
#    tools (axe-core, and vnu-jar: the Nu HTML Checker, both pinned by
#    package-lock.json) into node_modules/;
#  - Debian's Java (default-jre-headless) when java is missing: vnu.jar runs on it;
#  - with --bench, Lighthouse too (bench/bench_pages.py), and Debian's pandoc, which
#    Pelican's own `pelican-import` needs (bench/bench_import.py compares with it).
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v age >/dev/null 2>&1 || need+=(age)  # tests: the age tool opens what the kit sealed
command -v npm >/dev/null 2>&1 || need+=(nodejs npm)
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)  # tests: the Nu HTML Checker (vnu.jar)
if [ "${1:-}" = "--bench" ]; then
  command -v pandoc >/dev/null 2>&1 || need+=(pandoc)
fi

if [ ${#need[@]} -gt 0 ]; then
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
fi

if [ ! -f node_modules/axe-core/axe.min.js ] || [ ! -f node_modules/vnu-jar/build/dist/vnu.jar ]; then
  echo "installing Node test tools (npm ci)"
  # --ignore-scripts: vnu-jar's install script would fetch a Java from the internet; Debian's is used
  npm ci --no-audit --no-fund --ignore-scripts
fi

# `--bench`: also Lighthouse, for bench/bench_pages.py (not needed by the tests). Pinned:
# Lighthouse 13 wants Node 22, and Debian's nodejs is 20. --no-save keeps package.json and
# the lock as they are (a later `npm ci` removes it again; run this once more then).
if [ "${1:-}" = "--bench" ] && [ ! -x node_modules/.bin/lighthouse ]; then
  echo "installing Lighthouse 12.2.3 for the bench"
  npm install --no-save --no-audit --no-fund -E lighthouse@12.2.3
fi
