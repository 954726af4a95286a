import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../../domain/package-root';

/**
 * config/udev/99-cccd-kiosk.rules, read as udev reads it (udev(7): comma-separated
 * KEY[{attr}] operator "value" pairs, one rule per line): every line parses, every rule matches
 * something and assigns something, and the stable names are the ones the header promises. A
 * typo in a udev rule is silently ignored by udev, so this is where it is caught.
 */

const MATCH_KEYS = new Set(['SUBSYSTEM', 'KERNEL', 'ATTRS', 'ENV', 'DRIVERS', 'SUBSYSTEMS', 'ACTION']);
const ASSIGN_KEYS = new Set(['GROUP', 'MODE', 'SYMLINK', 'ENV', 'OWNER', 'TAG']);
const PAIR = /^([A-Z]+)(\{([A-Za-z0-9_]+)\})?(==|!=|\+=|:=|=)"([^"]*)"$/;

it('parses as udev rules, each matching a device and assigning access or a name', async () => {
  const text = await readFile(path.join(PACKAGE_ROOT, 'config', 'udev', '99-cccd-kiosk.rules'), 'utf8');
  const rules = text.split('\n').filter((l) => l.trim() !== '' && !l.trim().startsWith('#'));
  expect(rules.length).toBeGreaterThan(10);
  const links = new Set<string>();
  const problems: string[] = [];
  for (const rule of rules) {
    let matches = 0;
    let assigns = 0;
    for (const part of rule.split(', ')) {
      const m = PAIR.exec(part.trim());
      if (!m) {
        problems.push(`not KEY op "value": ${part} (in: ${rule})`);
        continue;
      }
      const [, key = '', , , op, value = ''] = m;
      if (op === '==' || op === '!=') {
        if (!MATCH_KEYS.has(key)) problems.push(`${key} is not a match key we use: ${rule}`);
        matches++;
      } else {
        if (!ASSIGN_KEYS.has(key)) problems.push(`${key} is not an assignment we use: ${rule}`);
        if (key === 'MODE' && !/^0[0-7]{3}$/.test(value)) problems.push(`MODE ${value}: ${rule}`);
        if (key === 'SYMLINK') links.add(value);
        assigns++;
      }
    }
    if (matches === 0 || assigns === 0) problems.push(`a rule must match and assign: ${rule}`);
  }
  expect(problems).toEqual([]);
  expect([...links].sort()).toEqual(['cccd-fingerprint', 'cccd-panel', 'cccd-printer', 'cccd-scanner', 'cccd-scanner-hid']);
  // The header names each link, so a technician reading the file knows what to put in the config.
  for (const l of links) expect(text).toContain(`/dev/${l} `);
});

it('the example configs open the devices by the stable names the rules create, never by ttyUSBn', async () => {
  const rules = await readFile(path.join(PACKAGE_ROOT, 'config', 'udev', '99-cccd-kiosk.rules'), 'utf8');
  const links = new Set([...rules.matchAll(/SYMLINK\+="([^"]+)"/g)].map((m) => `/dev/${m[1]}`));
  const dir = path.join(PACKAGE_ROOT, 'config', 'examples');
  const paths: string[] = [];
  for (const name of (await readdir(dir)).filter((n) => n.endsWith('.json'))) {
    const text = await readFile(path.join(dir, name), 'utf8');
    // A kernel name (ttyUSB0, ttyACM1) changes with the order devices are found at boot.
    for (const m of text.matchAll(/"path":\s*"(\/dev\/[^"]+)"/g)) paths.push(`${name}: ${m[1]}`);
  }
  expect(paths.length).toBeGreaterThanOrEqual(4);
  expect(paths.filter((p) => !links.has(p.split(': ')[1] ?? ''))).toEqual([]);
});
