#!/usr/bin/env bash
# Install cccd-kiosk on Raspberry Pi OS (bookworm) from this checkout: a service user, the code
# in /opt/cccd-kiosk, config in /etc/cccd-kiosk, data in /var/lib/cccd-kiosk, and the unit.
# Run as root: sudo bash systemd/install.sh
set -euo pipefail
src="$(cd "$(dirname "$0")/.." && pwd)"
[ "$(id -u)" -eq 0 ] || { echo "run as root (sudo bash systemd/install.sh)" >&2; exit 1; }
command -v node >/dev/null || { echo "Node.js >= 20.19 is needed: apt-get install nodejs npm" >&2; exit 1; }

id cccd-kiosk >/dev/null 2>&1 || useradd --system --home /var/lib/cccd-kiosk --shell /usr/sbin/nologin cccd-kiosk
for g in dialout plugdev video gpio; do getent group "$g" >/dev/null && usermod -aG "$g" cccd-kiosk; done

install -d -m 0755 /opt/cccd-kiosk
cp -a "$src"/. /opt/cccd-kiosk/
rm -rf /opt/cccd-kiosk/data /opt/cccd-kiosk/node_modules
(cd /opt/cccd-kiosk && npm ci --no-audit --no-fund && npm run build:ui --silent)

install -d -m 0750 -o root -g cccd-kiosk /etc/cccd-kiosk
[ -f /etc/cccd-kiosk/config.json ] || install -m 0640 -o root -g cccd-kiosk /opt/cccd-kiosk/config/default.json /etc/cccd-kiosk/config.json
install -d -m 0700 -o cccd-kiosk -g cccd-kiosk /var/lib/cccd-kiosk

install -m 0644 /opt/cccd-kiosk/systemd/cccd-kiosk.service /etc/systemd/system/cccd-kiosk.service
systemctl daemon-reload
systemctl enable --now cccd-kiosk.service
echo "installed. Edit /etc/cccd-kiosk/config.json (devices, sealing.centralPublicKey), then: systemctl restart cccd-kiosk"
echo "touchscreen: as the desktop user, copy systemd/cccd-kiosk-browser.service to ~/.config/systemd/user/ and enable it"
