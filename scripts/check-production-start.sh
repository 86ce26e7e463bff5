#!/usr/bin/env bash
# CI: a production install starts. Copies the project (without node_modules and data) to a
# temporary folder, installs it as production does (`npm ci --omit=dev`: no puppeteer, no
# test tools), runs `npm start` on a free port with an empty DATA_DIR, and checks that it serves
# the client, logs the administrator in, answers /api/metadata, and that a PDF request without
# puppeteer answers 503 saying how to get it. Stops it with SIGTERM and removes the folder.
set -euo pipefail
src="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d /tmp/zhkh-prod-XXXXXX)"
chmod 755 "$work"
pgid=""
cleanup() {
  if [ -n "$pgid" ] && kill -0 "-$pgid" 2>/dev/null; then kill -TERM "-$pgid" 2>/dev/null || true; sleep 3; kill -KILL "-$pgid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "production start check FAILED: $*" >&2; [ -f "$work/app.log" ] && tail -n 40 "$work/app.log" >&2; exit 1; }

mkdir "$work/app"
tar -C "$src" --exclude=./node_modules --exclude=./data --exclude=./backups --exclude=./.git --exclude=./client/dist -cf - . | tar -C "$work/app" -xf -
cd "$work/app"
echo "production start check: npm ci --omit=dev in $work/app"
npm ci --omit=dev --no-audit --no-fund --prefer-offline --loglevel=error >"$work/install.log" 2>&1 || { cat "$work/install.log" >&2; fail "npm ci --omit=dev"; }
[ ! -e node_modules/puppeteer ] || fail "node_modules/puppeteer is present: not a production install"

password="Prod-check-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
setsid env PORT=0 DATA_DIR="$work/data" ADMIN_PASSWORD="$password" npm start >"$work/app.log" 2>&1 &
pgid=$!
port=""
for _ in $(seq 1 240); do
  port="$(grep -o 'Listening on http://localhost:[0-9]*' "$work/app.log" | grep -o '[0-9]*$' || true)"
  [ -n "$port" ] && break
  kill -0 "$pgid" 2>/dev/null || fail "npm start exited"
  sleep 0.5
done
[ -n "$port" ] || fail "npm start did not listen within 120 s"
base="http://127.0.0.1:$port"
jar="$work/cookies"

code="$(curl -s -o /dev/null -w '%{http_code}' "$base/")"
[ "$code" = 200 ] || fail "GET / answered $code"
code="$(curl -s -o "$work/login.json" -w '%{http_code}' -c "$jar" -H 'content-type: application/json' -d "{\"login\":\"admin\",\"password\":\"$password\"}" "$base/api/auth/login")"
[ "$code" = 200 ] || fail "login answered $code: $(cat "$work/login.json")"
code="$(curl -s -o /dev/null -w '%{http_code}' -b "$jar" "$base/api/metadata")"
[ "$code" = 200 ] || fail "GET /api/metadata answered $code"
csrf="$(awk '$6 == "csrf" { print $7 }' "$jar")"
code="$(curl -s -o "$work/pdf.json" -w '%{http_code}' -b "$jar" -H "x-csrf-token: $csrf" -H 'content-type: application/json' -d '{"date":"2025-01-31"}' "$base/api/reports/debtors/render?format=pdf")"
if [ "$code" != 503 ] || ! grep -q 'npm install puppeteer' "$work/pdf.json"; then fail "a PDF without puppeteer answered $code: $(head -c 400 "$work/pdf.json")"; fi

kill -TERM "-$pgid"
for _ in $(seq 1 40); do kill -0 "-$pgid" 2>/dev/null || break; sleep 0.25; done
kill -0 "-$pgid" 2>/dev/null && fail "npm start did not stop on SIGTERM"
pgid=""
echo "production start check: ok (npm ci --omit=dev; npm start served /, login, /api/metadata; PDF without puppeteer: 503 with how to install it)"
