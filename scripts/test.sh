#!/usr/bin/env bash
# Installs everything the tests need, then runs all of them (unit, AppTest,
# browser). Used by the README and by CI (.ci/run). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
# Debian's Chromium for the browser tests (Playwright cannot download one
# here) and Noto CJK so Chinese renders as Chinese, not boxes.
if ! dpkg -s chromium fonts-noto-cjk fonts-noto-color-emoji >/dev/null 2>&1; then
  $SUDO apt-get update
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium fonts-noto-cjk fonts-noto-color-emoji
fi
python3 -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt

python3 -m ruff check .
# Two processes, each with its own app server and browser: the browser tests spend much of
# their time waiting on a page, so two overlap well even on two cores. Pass -n 0 for one.
python3 -m pytest -n 2 "$@"
