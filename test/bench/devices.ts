/**
 * Device benchmarks for `npm run bench -- devices` (issue #13): how long a citizen waits to be
 * told that a device was pulled out mid-session, and how long after the replug the device is
 * ready again, in the whole kiosk on its simulators (the same path as
 * test/integration/devices/replug.test.ts, timed instead of asserted): the scanner and the
 * fingerprint reader at their steps, the receipt printer on the review (its notice), the front
 * panel mid-session (the staff alert: the citizen's screen does not change); the camera is in
 * `-- camera`. How long the fingerprint
 * driver takes to find a module left at another baud rate; and what 10 MB of garbage costs the
 * drivers in memory.
 */
import { createSimulatedScanner } from '../../drivers/document/serial/simulated';
import { R30xDriver } from '../../drivers/fingerprint/r30x/driver';
import { createSimulatedR30x } from '../../drivers/fingerprint/r30x/simulated';
import { silentLog } from '../../drivers/log';
import { QR_VALID } from '../fixtures/documents/samples';
import { walkTo } from '../helpers/kiosk-walk';
import { noise, TEN_MB } from '../helpers/noise';
import { allReady, openScreen, startSimKiosk, type Screen, type SimKiosk } from '../helpers/sim-kiosk';
import { waitFor } from '../helpers/wait-for';
import type { ViewModel } from '../../domain/kiosk-channel/view-model';
import { median, pct, type Row } from './stats';

const RUNS = 7;
const working = (state: string | undefined): boolean => state === 'ready' || state === 'busy';
const docNotice = (v: ViewModel): string => (v.screen.name === 'document' ? (v.screen.error?.en ?? '') : '');
const fingerPhase = (v: ViewModel): string | undefined => (v.screen.name === 'fingerprints' ? v.screen.phase : undefined);

/** Polls /healthz every 5 ms: the figure is within 5 ms plus one request of the truth. */
async function untilState(k: SimKiosk, kind: string, ok: (s: string | undefined) => boolean, what: string): Promise<void> {
  await waitFor(async () => ok(await k.deviceState(kind)), { what, timeoutMs: 30_000, everyMs: 5 });
}

function summary(xs: readonly number[]): string {
  const sorted = [...xs].sort((a, b) => a - b);
  return `median ${median(xs).toFixed(0)} ms, max ${(sorted.at(-1) ?? Number.NaN).toFixed(0)} ms (${xs.length} runs)`;
}

async function documentStep(k: SimKiosk, screen: Screen): Promise<{ toScreen: number[]; toReady: number[]; toNotice: number[] }> {
  const toScreen: number[] = [];
  const toReady: number[] = [];
  const toNotice: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await k.sim('document', { unplug: true });
    await screen.until((v) => /disconnected/.test(docNotice(v)), 'the scanner-disconnected notice');
    toScreen.push(performance.now() - t0);
    await untilState(k, 'document', (s) => s === 'disconnected', 'health: document disconnected');
    const t1 = performance.now();
    await k.sim('document', { replug: true });
    await untilState(k, 'document', working, 'health: document ready again');
    toReady.push(performance.now() - t1);
    await screen.until((v) => /working again/.test(docNotice(v)), 'the scanner-back notice');
    toNotice.push(performance.now() - t1);
  }
  return { toScreen, toReady, toNotice };
}

async function fingerprintStep(k: SimKiosk, screen: Screen): Promise<{ toScreen: number[]; toReady: number[] }> {
  const toScreen: number[] = [];
  const toReady: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    await screen.until((v) => fingerPhase(v) === 'place', 'the reader waiting for a finger');
    const t0 = performance.now();
    await k.sim('fingerprint', { unplug: true });
    await screen.until((v) => v.screen.name === 'fingerprints' && v.screen.phase === 'fault' && v.screen.faultReason === 'unplugged', 'the reader-disconnected screen');
    toScreen.push(performance.now() - t0);
    await untilState(k, 'fingerprint', (s) => s === 'disconnected', 'health: fingerprint disconnected');
    const t1 = performance.now();
    await k.sim('fingerprint', { replug: true });
    await untilState(k, 'fingerprint', working, 'health: fingerprint ready again');
    toReady.push(performance.now() - t1);
    // Back to waiting for a finger, for the next run.
    await k.sim('fingerprint', { next: [{ kind: 'none' }] });
    screen.send({ type: 'FINGER_RETRY' });
  }
  return { toScreen, toReady };
}

/** The receipt printer pulled out while the citizen checks the review: its notice, and back. */
async function printerOnReview(k: SimKiosk): Promise<{ toScreen: number[]; toReady: number[]; toCleared: number[] }> {
  const toScreen: number[] = [];
  const toReady: number[] = [];
  const toCleared: number[] = [];
  const reviewNotice = (v: ViewModel) => (v.screen.name === 'review' ? v.screen.printerProblem : 'not on the review');
  // The reader step left the window empty ("none"): a finger on it, and the rest come by themselves.
  await k.sim('fingerprint', { next: [{ kind: 'seed', seed: 77 }] });
  await walkTo(k.kiosk, { lang: 'en', card: QR_VALID, goOn: true, until: (v) => v.screen.name === 'review' });
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await k.sim('printer', { unplug: true });
    await waitFor(() => reviewNotice(k.kiosk.runtime.view()) === 'not-ready', { what: 'the printer notice on the review', timeoutMs: 30_000, everyMs: 2 });
    toScreen.push(performance.now() - t0);
    await untilState(k, 'printer', (s) => s === 'disconnected', 'health: printer disconnected');
    const t1 = performance.now();
    await k.sim('printer', { replug: true });
    await untilState(k, 'printer', working, 'health: printer ready again');
    toReady.push(performance.now() - t1);
    await waitFor(() => reviewNotice(k.kiosk.runtime.view()) === undefined, { what: 'the printer notice gone', timeoutMs: 30_000, everyMs: 2 });
    toCleared.push(performance.now() - t1);
  }
  return { toScreen, toReady, toCleared };
}

/** The front panel's USB cable pulled mid-session: staff told (an alert in /healthz), and back. */
async function panelMidSession(k: SimKiosk): Promise<{ toAlert: number[]; toReady: number[] }> {
  const toAlert: number[] = [];
  const toReady: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const alertsBefore = (await k.alerts()).filter((a) => a.device === 'panel').length;
    const t0 = performance.now();
    await k.sim('panel', { unplug: true });
    await waitFor(async () => (await k.alerts()).filter((a) => a.device === 'panel').length > alertsBefore, { what: 'the panel alert', timeoutMs: 30_000, everyMs: 5 });
    toAlert.push(performance.now() - t0);
    await untilState(k, 'gpio', (s) => s === 'disconnected', 'health: panel disconnected');
    const t1 = performance.now();
    await k.sim('panel', { replug: true });
    await untilState(k, 'gpio', working, 'health: panel ready again');
    toReady.push(performance.now() - t1);
  }
  return { toAlert, toReady };
}

async function midSession(): Promise<Row[]> {
  const k = await startSimKiosk();
  try {
    await allReady(k);
    const screen = await openScreen(k.kiosk);
    await screen.until((v) => v.screen.name === 'attract', 'the start screen');
    screen.send({ type: 'START' });
    await screen.until((v) => v.screen.name === 'language', 'the language screen');
    screen.send({ type: 'SET_LANGUAGE', lang: 'en' });
    screen.send({ type: 'CASE_CHOOSE', case: 'expired' });
    await screen.until((v) => v.screen.name === 'document', 'the document step');
    const doc = await documentStep(k, screen);
    await k.sim('fingerprint', { next: [{ kind: 'none' }] });
    await k.sim('document', { present: QR_VALID });
    await screen.until((v) => v.screen.name === 'document-confirm', 'the card read');
    screen.send({ type: 'DOC_CONFIRM' });
    const finger = await fingerprintStep(k, screen);
    screen.client.ws.close();
    const panel = await panelMidSession(k);
    const printer = await printerOnReview(k);
    return [
      { name: 'scanner unplugged on the document step → "disconnected" on screen', value: summary(doc.toScreen) },
      { name: 'scanner replugged → ready in /healthz', value: summary(doc.toReady) },
      { name: 'scanner replugged → "working again" on screen', value: summary(doc.toNotice) },
      { name: 'fingerprint reader unplugged while waiting for a finger → fault screen', value: summary(finger.toScreen) },
      { name: 'fingerprint reader replugged → ready in /healthz', value: summary(finger.toReady) },
      { name: 'front panel unplugged mid-session → staff alert in /healthz (the session goes on)', value: summary(panel.toAlert) },
      { name: 'front panel replugged → ready in /healthz', value: summary(panel.toReady) },
      { name: 'receipt printer unplugged on the review → "no paper receipt" notice', value: summary(printer.toScreen) },
      { name: 'receipt printer replugged → ready in /healthz', value: summary(printer.toReady) },
      { name: 'receipt printer replugged → notice gone from the review', value: summary(printer.toCleared) },
    ];
  } finally {
    await k.dispose();
  }
}

/** The driver's open, with the default timeouts, for a module left at `baud` while the config says 57,600. */
async function findAt(baud: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const s = createSimulatedR30x({ model: 'R307', baud, log: silentLog });
    const d = new R30xDriver({ port: s.link.port(57_600), log: silentLog, raiseBaudTo: 115_200 });
    const t0 = performance.now();
    const st = await d.open();
    times.push(performance.now() - t0);
    if (st.state !== 'ready') throw new Error(`not found at ${baud}: ${st.detail ?? ''}`);
    await d.close();
    await s.sensor.close();
  }
  return times;
}

const MiB = 2 ** 20;
const heapMiB = (): number => process.memoryUsage().heapUsed / MiB;

async function garbage(): Promise<Row[]> {
  // The garbage itself (10 MB each) is made first, so the heap figures are the drivers' own.
  const fpJunk = noise(TEN_MB);
  const scJunk = noise(TEN_MB, 5).map((b) => b | 0xf8);
  for (let i = 250; i < scJunk.length; i += 251) scJunk[i] = 0x0d;
  global.gc?.();
  const fp = createSimulatedR30x({ model: 'R503', log: silentLog });
  await fp.sensor.open();
  const fpBefore = heapMiB();
  const t0 = performance.now();
  await fp.sim.sendRaw(fpJunk, 65_536);
  await waitFor(() => fp.driver.lineStats().bytesIn >= TEN_MB, { what: 'the garbage through the fingerprint driver', timeoutMs: 60_000 });
  const fpMs = performance.now() - t0;
  const fpStats = fp.driver.lineStats();
  const fpAfter = heapMiB();
  const fpOk = (await fp.sensor.capture({ waitMs: 3000 })).kind === 'image';
  await fp.sensor.close();

  global.gc?.();
  const sc = createSimulatedScanner({ log: silentLog, chunkBytes: 65_536 });
  await sc.scanner.open();
  const scBefore = heapMiB();
  const t1 = performance.now();
  await sc.device.sendRaw(scJunk);
  await waitFor(() => sc.scanner.lineStats().bytesIn >= TEN_MB, { what: 'the garbage through the scanner driver', timeoutMs: 60_000 });
  const scMs = performance.now() - t1;
  const scStats = sc.scanner.lineStats();
  const scAfter = heapMiB();
  await sc.scanner.close();
  return [
    {
      name: 'fingerprint driver, 10 MB of garbage while idle (heap: used, before → after, no GC forced)',
      value: `${fpMs.toFixed(0)} ms; decoder buffer peak ${(fpStats.peakDecoderBuffer / 1024).toFixed(1)} KiB, unread replies peak ${fpStats.peakQueuedReplies}; heap ${fpBefore.toFixed(1)} → ${fpAfter.toFixed(1)} MiB; next capture ${fpOk ? 'ok' : 'FAILED'}`,
    },
    {
      name: 'serial scanner driver, 10 MB of garbage (~41,000 bad codes)',
      value: `${scMs.toFixed(0)} ms; held peak ${scStats.peakHeldBytes} B in ${scStats.reads} reads; heap ${scBefore.toFixed(1)} → ${scAfter.toFixed(1)} MiB`,
    },
  ];
}

export async function benchDevices(): Promise<Row[]> {
  const rows = await midSession();
  for (const [label, baud] of [
    ['at the configured 57600', 57_600],
    ['left at 115200 by raiseBaud', 115_200],
    ['left at 9600', 9_600],
    ['left at 105600 (the last rate tried)', 105_600],
  ] as const) {
    const times = await findAt(baud);
    rows.push({ name: `fingerprint open (find, handshake, parameters, raiseBaud on), module ${label}`, value: `median ${median(times).toFixed(0)} ms, p100 ${pct([...times].sort((a, b) => a - b), 100).toFixed(0)} ms` });
  }
  rows.push(...(await garbage()));
  return rows;
}
