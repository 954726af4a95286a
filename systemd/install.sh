#!/usr/bin/env bash
# Install cccd-kiosk on Raspberry Pi OS (bookworm) from this checkout: a service user, the code
# in /opt/cccd-kiosk (built: node dist/kiosk.mjs), config in /etc/cccd-kiosk, data in
# /var/lib/cccd-kiosk, the screen URL in /var/lib/cccd-kiosk-screen (group cccd-screen: the
# desktop user who runs the touchscreen), udev rules for stable device names, and both units.
# Idempotent: run it again to upgrade; the config and the data are kept.
#
#   sudo bash systemd/install.sh --central-key /path/to/central-x25519.pub.pem
#   sudo bash systemd/install.sh            # again later: the key is already in the config
#   sudo bash systemd/install.sh --check    # only the checks, changing nothing
# KIOSK_SCREEN_USER=<desktop user> if not run through sudo from that user.
set -euo pipefail
src="$(cd "$(dirname "$0")/.." && pwd)"
check_only=0
central_key=""
while [ $# -gt 0 ]; do
  case "$1" in
    --check) check_only=1 ;;
    --central-key) central_key="${2:-}"; shift ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

fail() { echo "install.sh: $*" >&2; exit 1; }

# --- checks: nothing is changed until they all pass --------------------------------------------
[ "$(id -u)" -eq 0 ] || fail "run as root (sudo bash systemd/install.sh)"
command -v node >/dev/null || fail "Node.js >= 20.19 is needed; Bookworm's own is 18: install Node 20 or 22 from NodeSource or nodejs.org"
node_version="$(node -p 'process.versions.node')"
node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)' \
  || fail "Node.js >= 20.19 is needed, this is $node_version (Bookworm's own is 18): install Node 20 or 22 from NodeSource or nodejs.org"
command -v npm >/dev/null || fail "npm is needed (it comes with Node.js from NodeSource or nodejs.org)"
command -v curl >/dev/null || fail "curl is needed by the touchscreen's launcher: apt-get install curl"
# The build renders the spoken prompts (issue #15) with them; the kiosk itself only plays the files.
command -v espeak-ng >/dev/null || fail "espeak-ng is needed to build the kiosk's voice prompts: apt-get install espeak-ng sox libsox-fmt-base"
command -v sox >/dev/null || fail "sox is needed to build the kiosk's voice prompts: apt-get install sox libsox-fmt-base"
# The kiosk seals every enrollment to the centre's public key and never holds a private one:
# without the key it would refuse to take biometrics, so it is not installed without one.
config=/etc/cccd-kiosk/config.json
if [ -n "$central_key" ]; then
  [ -r "$central_key" ] || fail "--central-key $central_key: no such readable file"
  grep -q 'BEGIN PUBLIC KEY' "$central_key" || fail "--central-key $central_key is not a PEM public key (the centre's central-x25519.pub.pem)"
  grep -q 'PRIVATE KEY' "$central_key" && fail "--central-key $central_key holds a PRIVATE key: a kiosk must never hold the centre's private key"
elif [ -r "$config" ]; then
  configured="$(node -e 'try { const c = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); process.stdout.write(c.sealing?.centralPublicKey ?? "") } catch {}' "$config")"
  [ -n "$configured" ] && [ -r "$configured" ] || fail "no central public key: $config names none (or an unreadable one); run with --central-key /path/to/central-x25519.pub.pem"
else
  fail "no central public key: run with --central-key /path/to/central-x25519.pub.pem (the centre's key; \`npm run central -- keys init\` makes it)"
fi
if [ "$check_only" -eq 1 ]; then echo "install.sh: checks passed (Node $node_version)"; exit 0; fi

# The desktop user whose session shows the touchscreen (runs cccd-kiosk-browser.service).
screen_user="${KIOSK_SCREEN_USER:-${SUDO_USER:-}}"

id cccd-kiosk >/dev/null 2>&1 || useradd --system --home /var/lib/cccd-kiosk --shell /usr/sbin/nologin cccd-kiosk
for g in dialout plugdev video gpio; do getent group "$g" >/dev/null && usermod -aG "$g" cccd-kiosk; done

install -d -m 0755 /opt/cccd-kiosk
cp -a "$src"/. /opt/cccd-kiosk/
rm -rf /opt/cccd-kiosk/data /opt/cccd-kiosk/node_modules /opt/cccd-kiosk/dev-central
(cd /opt/cccd-kiosk && npm ci --no-audit --no-fund && npm run build --silent)

install -d -m 0750 -o root -g cccd-kiosk /etc/cccd-kiosk
[ -f "$config" ] || install -m 0640 -o root -g cccd-kiosk /opt/cccd-kiosk/config/default.json "$config"
if [ -n "$central_key" ]; then
  install -m 0644 -o root -g root "$central_key" /etc/cccd-kiosk/central-x25519.pub.pem
  node -e '
    const fs = require("fs"); const [file, key] = process.argv.slice(1);
    const c = JSON.parse(fs.readFileSync(file, "utf8"));
    c.sealing = { ...(c.sealing ?? {}), centralPublicKey: key };
    fs.writeFileSync(file, JSON.stringify(c, null, 2) + "\n");
  ' "$config" /etc/cccd-kiosk/central-x25519.pub.pem
fi
# Keys and the database: the service user's alone.
install -d -m 0700 -o cccd-kiosk -g cccd-kiosk /var/lib/cccd-kiosk
chown -R cccd-kiosk:cccd-kiosk /var/lib/cccd-kiosk
chmod 0700 /var/lib/cccd-kiosk
find /var/lib/cccd-kiosk -type f -exec chmod 0600 {} +
# The screen URL's directory (issue #11): written by the controller, readable by the screen's
# group only. setgid, so the file takes the group; the controller makes it 0640 here.
getent group cccd-screen >/dev/null || groupadd --system cccd-screen
install -d -m 2750 -o cccd-kiosk -g cccd-screen /var/lib/cccd-kiosk-screen
if [ -n "$screen_user" ] && [ "$screen_user" != root ]; then
  usermod -aG cccd-screen "$screen_user"
else
  echo "warning: no desktop user for the touchscreen: run with KIOSK_SCREEN_USER=<user> (or via sudo from that user)" >&2
fi

# Stable device names (/dev/cccd-*) and access by group.
install -m 0644 /opt/cccd-kiosk/config/udev/99-cccd-kiosk.rules /etc/udev/rules.d/99-cccd-kiosk.rules
if command -v udevadm >/dev/null; then udevadm control --reload-rules && udevadm trigger || true; fi

install -m 0644 /opt/cccd-kiosk/systemd/cccd-kiosk.service /etc/systemd/system/cccd-kiosk.service
# The touchscreen's unit for every desktop session (a user unit); it starts Chromium only once
# the controller answers /healthz (ExecStartPre: kiosk-screen.sh wait).
install -d -m 0755 /etc/systemd/user
install -m 0644 /opt/cccd-kiosk/systemd/cccd-kiosk-browser.service /etc/systemd/user/cccd-kiosk-browser.service
systemctl daemon-reload
systemctl enable cccd-kiosk.service
systemctl --global enable cccd-kiosk-browser.service
systemctl restart cccd-kiosk.service
echo "installed. The config is $config (devices: /dev/cccd-* from the udev rules); after editing it: systemctl restart cccd-kiosk"
echo "touchscreen: ${screen_user:-the desktop user} logs out and in once (for the cccd-screen group); Chromium then starts with the session."
