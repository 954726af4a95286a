import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { connectScreen, nextView, runCitizen } from '../../controller/cli/simulate';
import { makePerson, qrPayload } from '../../controller/cli/sim-people';
import type { CentralStore } from '../../controller/central/store';
import { openFsCentralStore } from '../../controller/central/fs-store';
import { screenCredentials } from '../../controller/server/screen-link';
import { openStore } from '../../controller/store/store';
import { buildController } from '../../controller/build';
import type { ServerMessage } from '../../domain/kiosk-channel/messages';
import { rng } from '../../drivers/prng';
import { median } from '../bench/stats';
import { spawnKiosk, waitForScreenUrl, type KioskProcess } from '../helpers/kiosk-process';
import { waitFor } from '../helpers/wait-for';
import { makeTestKiosk, startTestReceiver, type TestKiosk, type TestReceiver } from '../helpers/test-receiver';
import { readKioskLedger, type KioskLedger } from './ledger';

/**
 * The crash soak (issue #12): simulated citizens enroll at a real kiosk process (the bundle a Pi
 * runs, `npm run build`'s dist/kiosk.mjs, built afresh into test/artifacts/, on simulated devices, its outbox syncing to the reference receiver over HTTPS) while this harness
 * SIGKILLs the process at random moments and starts it again. After every kill it checks, with
 * the process dead and nothing in memory:
 *  - every tracking code a citizen saw on the done screen is committed on the kiosk, once;
 *  - the receiver holds no packet twice, and nothing the kiosk did not commit;
 *  - a packet acked on the kiosk is at the receiver; a purged one was acked first;
 *  - the database passes `PRAGMA integrity_check` and the audit chain verifies.
 * At the end the kiosk runs unkilled until its outbox is drained; then every committed
 * enrollment is at the receiver exactly once and acked.
 *
 * Kill moments are drawn from four windows, so the narrow dangerous ones are hit often:
 *  - startup: while the process opens its database and devices;
 *  - random:  any moment of a run of citizens (most land mid-capture);
 *  - submit:  just after the citizen confirms the review: sealing, the commit, the done screen,
 *             the receipt, the first upload;
 *  - stored:  the moment the receiver has stored a packet, before its reply (a lost ack).
 */

export type KillWindow = 'startup' | 'random' | 'submit' | 'stored';

export interface SoakOptions {
  readonly kills: number;
  readonly seed?: number;
  /** One line per kill, for a person watching. */
  readonly progress?: (line: string) => void;
}

export interface SoakReport {
  readonly kills: number;
  readonly byWindow: Readonly<Record<KillWindow, number>>;
  /** Tracking codes citizens saw on the done screen. */
  readonly receiptsSeen: number;
  /** Enrollments the kiosk committed (a kill between the commit and the done screen commits without a receipt seen). */
  readonly committed: number;
  readonly atReceiver: number;
  /** Kills that fell between the receiver storing a packet and the kiosk reading its ack. */
  readonly killedAfterStore: number;
  /** Every invariant broken, with the kill after which it was found. Empty on success. */
  readonly violations: readonly string[];
  readonly medianStartMs: number;
  readonly wallSeconds: number;
}

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const KIOSK_ID = 'KIOSK-SOAK-01';
/** A citizen's own time is not the point here: no pauses, no countdown (docs/central-receiver.md §5). */
const FAST_FLOW = { fingerPauseMs: 0, fingerAcceptedPauseMs: 0, faceStableFrames: 1, faceCountdownSeconds: 0, faceLivenessFrames: 3, doneTimeoutMs: 1_000 };

/** Inside the repo, so the bundle finds the package root and node_modules above it. */
const BUILD_DIR = path.join(REPO_ROOT, 'test', 'artifacts', 'soak-build');

type Run = KioskProcess;

export async function runCrashSoak(opts: SoakOptions): Promise<SoakReport> {
  const began = performance.now();
  const seed = opts.seed ?? 2026;
  // Two streams: the kill plan (which window, when) from one, the citizens (names, strokes) from
  // the other. From one stream, how many draws the citizens took depended on how far they got
  // before a kill, so a loaded machine drew another plan, once with no startup kill at all.
  const rand = rng(seed);
  const people = rng(seed ^ 0x5bd1e995);
  const plan = killPlan(opts.kills, rand);
  const work = await mkdtemp(path.join(os.tmpdir(), 'crash-soak-'));
  const violations: string[] = [];
  const byWindow: Record<KillWindow, number> = { startup: 0, random: 0, submit: 0, stored: 0 };
  const receiptsSeen = new Set<string>();
  const startTimes: number[] = [];
  const citizenSeconds: number[] = [];
  let current: Run | undefined;
  let killOnStore = false;
  let killedAfterStore = 0;

  const kill = (run: Run | undefined) => {
    if (run && run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGKILL');
  };

  // The receiver's own store, with one hook: kill the kiosk the moment a packet is stored,
  // before the reply leaves, when this round asks for it.
  const centralDir = path.join(work, 'central');
  const fsStore = openFsCentralStore(path.join(centralDir, 'store'));
  const store: CentralStore = {
    ...fsStore,
    list: () => fsStore.list(),
    async put(meta, sealed) {
      const r = await fsStore.put(meta, sealed);
      if (killOnStore && r.created && current) {
        killOnStore = false;
        kill(current);
        killedAfterStore++;
      }
      return r;
    },
  };
  let receiver: TestReceiver | undefined;
  try {
    const rcv = await startTestReceiver({ dir: centralDir, store });
    receiver = rcv;
    const kiosk = await makeTestKiosk(KIOSK_ID, path.join(work, 'kiosk'));
    await receiver.register(kiosk);
    const configFile = path.join(work, 'kiosk.json');
    await writeFile(
      configFile,
      JSON.stringify({
        kioskId: KIOSK_ID,
        dataDir: kiosk.dataDir,
        server: { port: 0 },
        sealing: { centralPublicKey: receiver.centralPublicKeyPath },
        simulation: { realisticTiming: false },
        flow: FAST_FLOW,
        // The R503's smaller window: half the simulator's work per finger, and the other model's path.
        devices: { fingerprint: { driver: 'sim', model: 'R503', packetSize: 256 } },
        sync: { url: receiver.url, pinnedCert: receiver.certPath, receiverAckPublicKey: receiver.ackPublicKeyPath, retentionHours: 0, backoffInitialMs: 50, backoffMaxMs: 400, pollMs: 200, requestTimeoutMs: 5_000 },
      }),
    );
    const screenUrlFile = path.join(work, 'screen-url');
    const program = path.join(await buildController({ outDir: BUILD_DIR }), 'kiosk.mjs');

    for (let k = 1; k <= opts.kills; k++) {
      const window = plan[k - 1] ?? 'random';
      byWindow[window]++;
      const run = spawnKiosk({ args: [program, '--config', configFile, '--port', '0'], screenUrlFile });
      current = run;
      const t0 = performance.now();
      let outcome: string;
      if (window === 'startup') {
        // Somewhere in the first second and a half: migrations, keys, devices, the server.
        await Promise.race([run.exited, sleep(rand() * 1_500)]);
        kill(run);
        await run.exited;
        outcome = 'killed while starting';
      } else {
        const screenUrl = await waitForScreenUrl(screenUrlFile, run, { timeoutMs: 60_000, probeHealth: true });
        if (screenUrl === undefined) {
          violations.push(`kill ${k}: the kiosk did not start (${run.stderrTail().trim().slice(-400) || 'no output'})`);
          kill(run);
          await run.exited;
          break;
        }
        startTimes.push(performance.now() - t0);
        // About one and a half citizens' worth of time: many runs finish one, some none.
        const citizenS = citizenSeconds.length > 0 ? median(citizenSeconds) : 4;
        let timer: NodeJS.Timeout | undefined;
        if (window === 'random') timer = setTimeout(() => kill(run), rand() * citizenS * 1_500);
        else if (window === 'stored') {
          killOnStore = true;
          // A run that stores nothing (sync backing off) is killed anyway, later.
          timer = setTimeout(() => kill(run), citizenS * 4_000);
        } else timer = setTimeout(() => kill(run), citizenS * 4_000);
        const onReview = window === 'submit' ? () => setTimeout(() => kill(run), rand() * 400) : undefined;
        const citizens = driveCitizens(screenUrl, people, receiptsSeen, citizenSeconds, onReview);
        await run.exited;
        clearTimeout(timer);
        killOnStore = false;
        const done = await citizens;
        outcome = `${done} receipt(s) this run`;
      }
      const ledger = await readKioskLedger(kiosk.dataDir);
      const found = await check(ledger, receiver, receiptsSeen, kiosk);
      for (const v of found) violations.push(`kill ${k} (${window}): ${v}`);
      opts.progress?.(`kill ${k}/${opts.kills} [${window}] ${outcome}; committed ${ledger.enrollments.size}, acked ${ledger.acked}, receipts seen ${receiptsSeen.size}${found.length ? `; ${found.length} VIOLATION(S)` : ''}`);
      if (found.length) break;
    }

    // Unkilled: sync drains the outbox; then a clean stop.
    let atReceiver = 0;
    if (violations.length === 0) {
      const before = await readKioskLedger(kiosk.dataDir);
      const run = spawnKiosk({ args: [program, '--config', configFile, '--port', '0'], screenUrlFile });
      current = run;
      const drained = await until(async () => (await receiverCounts(rcv)).size >= before.enrollments.size, 60_000);
      // Give the kiosk its ack-handling moment, then stop it as systemd would.
      await until(async () => (await readKioskLedger(kiosk.dataDir)).acked >= before.enrollments.size, 30_000);
      run.child.kill('SIGTERM');
      await Promise.race([run.exited, sleep(15_000)]);
      kill(run);
      await run.exited;
      const after = await readKioskLedger(kiosk.dataDir);
      for (const v of await check(after, receiver, receiptsSeen, kiosk)) violations.push(`after draining: ${v}`);
      if (!drained) violations.push(`after draining: the receiver holds ${(await receiverCounts(receiver)).size} of ${before.enrollments.size} packets after 60 s unkilled`);
      if (after.acked !== after.enrollments.size) violations.push(`after draining: ${after.enrollments.size - after.acked} enrollment(s) still not acked`);
      if (after.held !== 0) violations.push(`after draining: ${after.held} sealed packet(s) still held though acked with retention 0`);
      atReceiver = (await receiverCounts(receiver)).size;
    }
    const finalLedger = await readKioskLedger(kiosk.dataDir);
    return {
      kills: Object.values(byWindow).reduce((a, b) => a + b, 0),
      byWindow,
      receiptsSeen: receiptsSeen.size,
      committed: finalLedger.enrollments.size,
      atReceiver,
      killedAfterStore,
      violations,
      medianStartMs: startTimes.length > 0 ? Math.round(median(startTimes)) : 0,
      wallSeconds: Math.round((performance.now() - began) / 100) / 10,
    };
  } finally {
    kill(current);
    await current?.exited;
    await receiver?.dispose();
    await rm(work, { recursive: true, force: true });
  }
}

const WINDOWS: readonly KillWindow[] = ['startup', 'random', 'submit', 'stored'];

/**
 * The window of each kill. The first four are the four windows in a seeded order, so every run
 * of four or more kills hits each; the rest are drawn by the weights of pickWindow.
 */
export function killPlan(kills: number, rand: () => number): KillWindow[] {
  const first = [...WINDOWS];
  for (let i = first.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const a = first[i];
    const b = first[j];
    if (a !== undefined && b !== undefined) [first[i], first[j]] = [b, a];
  }
  return Array.from({ length: kills }, (_, k) => first[k] ?? pickWindow(rand()));
}

function pickWindow(r: number): KillWindow {
  if (r < 0.1) return 'startup';
  if (r < 0.5) return 'random';
  if (r < 0.8) return 'submit';
  return 'stored';
}

/**
 * Citizens one after another until the kiosk goes away; returns how many saw their receipt.
 * Every done screen's tracking code is recorded the moment it shows, printed or not: from then
 * on the citizen holds a receipt the kiosk must honour.
 */
async function driveCitizens(screenUrl: string, rand: () => number, receiptsSeen: Set<string>, citizenSeconds: number[], onReview?: () => void): Promise<number> {
  const screen = screenCredentials(screenUrl);
  if (!screen) return 0;
  let ws: WebSocket;
  try {
    ws = await connectScreen(screen);
  } catch {
    return 0; // killed before the channel opened
  }
  ws.on('error', () => undefined);
  let reviewArmed = onReview !== undefined;
  let seen = 0;
  ws.on('message', (data) => {
    const msg: ServerMessage = JSON.parse(data.toString());
    if (msg.type !== 'view') return;
    const s = msg.view.screen;
    if (s.name === 'done' && !receiptsSeen.has(s.trackingCode)) {
      receiptsSeen.add(s.trackingCode);
      seen++;
    }
    if (s.name === 'review' && reviewArmed) {
      reviewArmed = false;
      onReview?.();
    }
  });
  const origin = new URL(screenUrl).origin;
  while (ws.readyState === WebSocket.OPEN) {
    ws.send(JSON.stringify({ type: 'hello' }));
    const first = await nextView(ws, (v) => v.screen.name === 'attract', 30_000).catch(() => undefined);
    if (!first) break;
    const r = await runCitizen(ws, origin, screen, qrPayload(makePerson(rand)), first, 60);
    if (r.outcome === 'completed') citizenSeconds.push(r.seconds);
  }
  ws.terminate();
  return seen;
}

async function receiverCounts(receiver: TestReceiver): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for await (const m of receiver.store.list()) counts.set(m.recordId, (counts.get(m.recordId) ?? 0) + 1);
  return counts;
}

/** Everything that must hold with the kiosk dead; returns what does not. */
async function check(ledger: KioskLedger, receiver: TestReceiver, receiptsSeen: ReadonlySet<string>, kiosk: TestKiosk): Promise<string[]> {
  const v: string[] = [];
  if (ledger.integrity !== 'ok') v.push(`PRAGMA integrity_check says ${ledger.integrity}`);
  for (const code of receiptsSeen) if (!ledger.byTrackingCode.has(code)) v.push(`the receipt ${code} a citizen saw is not committed on the kiosk`);
  const counts = await receiverCounts(receiver);
  for (const [id, n] of counts) {
    if (n !== 1) v.push(`the receiver holds ${id} ${n} times`);
    if (!ledger.enrollments.has(id)) v.push(`the receiver holds ${id}, which the kiosk never committed`);
  }
  for (const [id, e] of ledger.enrollments) {
    if (e.state === 'acked' && !counts.has(id)) v.push(`${id} is acked on the kiosk but not at the receiver`);
    if (e.state === 'acked' && !e.hasAck) v.push(`${id} is acked with no ack row`);
    if (e.state !== 'acked' && e.hasAck) v.push(`${id} has an ack row but is ${e.state}`);
    if (e.purged && e.state !== 'acked') v.push(`${id} was purged before its ack (${e.state})`);
  }
  const store = await openStore(path.join(kiosk.dataDir, 'kiosk.db'));
  try {
    const chain = await store.verifyAuditChain();
    if (!chain.ok) v.push(`the audit chain does not verify: ${JSON.stringify(chain)}`);
  } finally {
    await store.close();
  }
  return v;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Whether `cond` comes true within `timeoutMs` (the soak records a violation rather than throwing). */
function until(cond: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  return waitFor(cond, { what: 'the soak condition', timeoutMs, everyMs: 50 }).then(
    () => true,
    () => false,
  );
}
