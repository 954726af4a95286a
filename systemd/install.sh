#!/usr/bin/env bash
# Install cccd-kiosk on Raspberry Pi OS (bookworm) from this checkout: a service user, the code
# in /opt/cccd-kiosk, config in /etc/cccd-kiosk, data in /var/lib/cccd-kiosk, the screen URL in
# /var/lib/cccd-kiosk-screen (group cccd-screen: the desktop user who runs the touchscreen), and
# the unit. Run as root from the desktop user: sudo bash systemd/install.sh
# (or: sudo KIOSK_SCREEN_USER=<desktop user> bash systemd/install.sh)
set -euo pipefail
src="$(cd "$(dirname "$0")/.." && pwd)"
[ "$(id -u)" -eq 0 ] || { echo "run as root (sudo bash systemd/install.sh)" >&2; exit 1; }
command -v node >/dev/null || { echo "Node.js >= 20.19 is needed: apt-get install nodejs npm" >&2; exit 1; }
command -v curl >/dev/null || { echo "curl is needed by the touchscreen's launcher: apt-get install curl" >&2; exit 1; }
# The desktop user whose session shows the touchscreen (runs cccd-kiosk-browser.service).
screen_user="${KIOSK_SCREEN_USER:-${SUDO_USER:-}}"

id cccd-kiosk >/dev/null 2>&1 || useradd --system --home /var/lib/cccd-kiosk --shell /usr/sbin/nologin cccd-kiosk
for g in dialout plugdev video gpio; do getent group "$g" >/dev/null && usermod -aG "$g" cccd-kiosk; done

install -d -m 0755 /opt/cccd-kiosk
cp -a "$src"/. /opt/cccd-kiosk/
rm -rf /opt/cccd-kiosk/data /opt/cccd-kiosk/node_modules
(cd /opt/cccd-kiosk && npm ci --no-audit --no-fund && npm run build --silent)

install -d -m 0750 -o root -g cccd-kiosk /etc/cccd-kiosk
[ -f /etc/cccd-kiosk/config.json ] || install -m 0640 -o root -g cccd-kiosk /opt/cccd-kiosk/config/default.json /etc/cccd-kiosk/config.json
install -d -m 0700 -o cccd-kiosk -g cccd-kiosk /var/lib/cccd-kiosk
# The screen URL's directory (issue #11): written by the controller, readable by the screen's
# group only. setgid, so the file takes the group; the controller makes it 0640 here.
getent group cccd-screen >/dev/null || groupadd --system cccd-screen
install -d -m 2750 -o cccd-kiosk -g cccd-screen /var/lib/cccd-kiosk-screen
if [ -n "$screen_user" ] && [ "$screen_user" != root ]; then
  usermod -aG cccd-screen "$screen_user"
else
  echo "warning: no desktop user for the touchscreen: run with KIOSK_SCREEN_USER=<user> (or via sudo from that user)" >&2
fi

install -m 0644 /opt/cccd-kiosk/systemd/cccd-kiosk.service /etc/systemd/system/cccd-kiosk.service
systemctl daemon-reload
systemctl enable --now cccd-kiosk.service
echo "installed. Edit /etc/cccd-kiosk/config.json (devices, sealing.centralPublicKey), then: systemctl restart cccd-kiosk"
echo "touchscreen: as ${screen_user:-the desktop user} (log out and in once, for the cccd-screen group), copy"
echo "  /opt/cccd-kiosk/systemd/cccd-kiosk-browser.service to ~/.config/systemd/user/ and: systemctl --user enable --now cccd-kiosk-browser"
