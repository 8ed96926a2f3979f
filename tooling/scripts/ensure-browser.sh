#!/usr/bin/env bash
# Installs Debian's Chromium for the client's browser test (packages/client/test/browser.test.ts)
# if no Chromium is there yet. Idempotent and quiet: prints only when it installs or fails.
# playwright-core drives this executable; Playwright's own browser downloads are not used.
set -uo pipefail

# The test uses CHROMIUM_PATH alone when it is set: installing another browser would not help.
if [ -n "${CHROMIUM_PATH:-}" ]; then
  if [ -x "$CHROMIUM_PATH" ]; then exit 0; fi
  echo "ensure-browser: CHROMIUM_PATH=$CHROMIUM_PATH is not an executable" >&2
  exit 1
fi
for candidate in /usr/bin/chromium /usr/bin/chromium-browser /usr/bin/google-chrome; do
  if [ -x "$candidate" ]; then exit 0; fi
done

if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-browser: no Chromium and no apt-get; install Chromium or set CHROMIUM_PATH" >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi

echo "ensure-browser: installing chromium (apt-get)"
if ! { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium; } >/tmp/ensure-browser.log 2>&1; then
  echo "ensure-browser: installing chromium failed (see /tmp/ensure-browser.log)" >&2
  exit 1
fi
