#!/usr/bin/env bash
# Makes sure the Debian Chromium that the browser e2e suite drives is installed.
# Playwright's own browser download is unreachable here, so we rely on the
# distribution package instead (see playwright.config.ts).
set -euo pipefail

CHROMIUM_BIN="${CHROME_BIN:-/usr/bin/chromium}"

if [[ -x "$CHROMIUM_BIN" ]]; then
  echo "ensure-chromium: found $CHROMIUM_BIN ($("$CHROMIUM_BIN" --version 2>/dev/null || echo 'version unknown'))"
  exit 0
fi

if [[ "$CHROMIUM_BIN" != "/usr/bin/chromium" ]]; then
  echo "ensure-chromium: CHROME_BIN=$CHROMIUM_BIN is not an executable file; unset it to install Debian's chromium" >&2
  exit 1
fi

if [[ "$(id -u)" -ne 0 ]]; then
  SUDO=(sudo)
  if ! command -v sudo >/dev/null 2>&1; then
    echo "ensure-chromium: /usr/bin/chromium is missing and installing it needs root (run: apt-get install -y chromium)" >&2
    exit 1
  fi
else
  SUDO=()
fi

echo "ensure-chromium: /usr/bin/chromium is missing; installing the Debian chromium package"
if ! "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq; then
  echo "ensure-chromium: apt-get update failed; check the Debian package mirror and retry" >&2
  exit 1
fi
if ! "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; then
  echo "ensure-chromium: apt-get install chromium failed; install it by hand or set CHROME_BIN to another Chromium" >&2
  exit 1
fi

if [[ ! -x /usr/bin/chromium ]]; then
  echo "ensure-chromium: apt-get finished but /usr/bin/chromium is still missing" >&2
  exit 1
fi
echo "ensure-chromium: installed $(/usr/bin/chromium --version 2>/dev/null || echo chromium)"
