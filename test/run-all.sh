#!/usr/bin/env bash
# Sets up everything the tests need on a Debian machine, then runs the whole suite.
# Used as is by .ci/run. Safe to run again: installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages: chromium for the e2e tests, socat for the pty-pair driver tests,
# DejaVu fonts so Vietnamese diacritics render in screenshots and receipt images, curl for the
# touchscreen launcher's tests (systemd/kiosk-screen.sh), prometheus (promtool and the server) for
# the shipped alert rules (config/prometheus/), espeak-ng and sox (with its Ogg Vorbis writer,
# libsox-fmt-base) to render the kiosk's voice prompts at build time and measure them (issue #15).
need=()
for pkg in chromium socat fonts-dejavu-core curl prometheus espeak-ng sox libsox-fmt-base; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if ((${#need[@]})); then
  echo "installing Debian packages: ${need[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

npm ci --no-audit --no-fund --loglevel=error
npm run typecheck
npm run build:ui --silent
mkdir -p test/artifacts
set +e
npx vitest run --reporter=default --reporter=json --outputFile=test/artifacts/vitest.json --reporter=./test/sequencer/file-seconds-reporter.ts
status=$?
set -e
# One plain closing line that any reader of the log understands.
node -e '
  const r = JSON.parse(require("fs").readFileSync("test/artifacts/vitest.json", "utf8"));
  console.log(`Tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
' || true
exit $status
