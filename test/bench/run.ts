import os from 'node:os';
import { benchCitizenTime } from './citizen-time';
import { benchCamera } from './camera';
import { benchConsole } from './console';
import { benchCore } from './core';
import { benchDevices } from './devices';
import { benchDocuments } from './documents';
import { benchEnrollment } from './enrollment';
import { benchFace } from './face';
import { benchFingerprint } from './fingerprint';
import { benchMedia } from './media';
import { benchMemory } from './memory';
import { benchPanel } from './panel';
import { benchPrinter } from './printer';
import { benchStart } from './start';
import { benchSync } from './sync';
import type { Row } from './stats';

/**
 * `npm run bench`: every speed and memory figure of the project, as one table. Run sections
 * by name (`npm run bench -- core face`) or all of them. Figures are from this machine; ratios
 * (upload vs wire time) travel between machines, milliseconds don't.
 */

// Face runs first: its RSS figures are only meaningful before anything else loaded the model,
// and the whole-kiosk enrollment run goes last so its timers and sockets cannot slow the others.
const SECTIONS: Record<string, () => Promise<Array<{ name: string; value: string }>>> = {
  face: benchFace,
  core: benchCore,
  documents: benchDocuments,
  printer: benchPrinter,
  panel: benchPanel,
  fingerprint: benchFingerprint,
  devices: benchDevices,
  media: benchMedia,
  sync: benchSync,
  start: benchStart,
  camera: benchCamera,
  'citizen-time': benchCitizenTime,
  // The hall officers' console (issue #14); `npm run bench -- ops` names it too.
  console: benchConsole,
  enrollment: benchEnrollment,
  memory: benchMemory,
};

async function main(): Promise<void> {
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-')).map((a) => (a === 'ops' ? 'console' : a));
  const unknown = wanted.filter((w) => !(w in SECTIONS));
  if (unknown.length > 0) {
    process.stderr.write(`unknown section(s): ${unknown.join(', ')}; choose from ${Object.keys(SECTIONS).join(', ')}\n`);
    process.exit(2);
  }
  const names = wanted.length > 0 ? wanted : Object.keys(SECTIONS);
  const rows: Array<Row & { section: string }> = [];
  for (const name of names) {
    const run = SECTIONS[name];
    if (!run) continue;
    process.stderr.write(`bench: ${name}…\n`);
    const t0 = performance.now();
    for (const r of await run()) rows.push({ section: name, ...r });
    process.stderr.write(`bench: ${name} done in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  }
  const w1 = Math.max(7, ...rows.map((r) => r.section.length));
  const w2 = Math.max(6, ...rows.map((r) => r.name.length));
  const line = (a: string, b: string, c: string) => `| ${a.padEnd(w1)} | ${b.padEnd(w2)} | ${c} |`;
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  process.stdout.write(`\ncccd-kiosk benchmark — ${cpu}, ${os.cpus().length} cores, Node ${process.version}\n\n`);
  process.stdout.write(`${line('section', 'metric', 'value')}\n${line('-'.repeat(w1), '-'.repeat(w2), '-----')}\n`);
  for (const r of rows) process.stdout.write(`${line(r.section, r.name, r.value)}\n`);
  setImmediate(() => process.exit(0));
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
