#!/usr/bin/env bash
# `npm test` runs this first (package.json "pretest"): the suite needs, besides Node.js and the
# npm packages, two programs from the system —
#   Chromium (browser tests, PDF export): /usr/bin/chromium, or PUPPETEER_EXECUTABLE_PATH;
#   OpenSSL's GOST engine (GOST R 34.10-2012 signature tests): `openssl engine gost -t`.
# When one is missing and this runs as root with apt-get (Debian/Ubuntu), it installs Debian's
# packages chromium and libengine-gost-openssl; otherwise it prints the exact command to run and
# fails. TEST_PREREQUISITES=skip runs the tests without checking (browser tests then fail saying
# Chromium is missing, GOST tests are skipped).
set -uo pipefail

if [ "${TEST_PREREQUISITES:-}" = "skip" ]; then exit 0; fi

missing=()
if [ -n "${PUPPETEER_EXECUTABLE_PATH:-}" ]; then
  if [ ! -x "$PUPPETEER_EXECUTABLE_PATH" ]; then
    echo "PUPPETEER_EXECUTABLE_PATH=$PUPPETEER_EXECUTABLE_PATH is not an executable file: point it at Chromium, or unset it to use /usr/bin/chromium." >&2
    exit 1
  fi
elif [ ! -x /usr/bin/chromium ]; then
  missing+=(chromium)
fi
gost_ok() { "${OPENSSL_BIN:-openssl}" engine gost -t 2>/dev/null | grep -q available; }
if ! gost_ok; then missing+=(libengine-gost-openssl); fi

if [ ${#missing[@]} -eq 0 ]; then exit 0; fi

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing what the tests need: ${missing[*]} (apt-get)…"
  if (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null); then
    ok=1
    if [[ " ${missing[*]} " == *" chromium "* ]] && [ ! -x /usr/bin/chromium ]; then ok=0; echo "apt-get installed chromium but /usr/bin/chromium is missing" >&2; fi
    if [[ " ${missing[*]} " == *" libengine-gost-openssl "* ]] && ! gost_ok; then ok=0; echo "libengine-gost-openssl is installed but \`openssl engine gost -t\` still fails (is OPENSSL_BIN the system openssl?)" >&2; fi
    [ $ok = 1 ] && exit 0
  else
    echo "apt-get could not install ${missing[*]}." >&2
  fi
  exit 1
fi

{
  echo "The tests need programs this machine lacks: ${missing[*]}."
  if command -v apt-get >/dev/null 2>&1; then
    echo "Install them (as root), then run npm test again:"
    echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}"
  else
    echo "This is not a Debian-like system. Install Chromium and set PUPPETEER_EXECUTABLE_PATH to it, and OpenSSL's GOST engine"
    echo "(https://github.com/gost-engine/engine) so that \`openssl engine gost -t\` says \"available\"; then run npm test again."
  fi
  echo "(TEST_PREREQUISITES=skip npm test runs without them: browser tests then fail, GOST tests are skipped.)"
} >&2
exit 1
