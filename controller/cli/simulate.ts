import { readFile } from 'node:fs/promises';
import path from 'node:path';
import WebSocket from 'ws';
import type { CliCommand, CliIO } from './io';
import { screenCredentials, type ScreenCredentials } from '../server/screen-link';
import { rng } from '../../drivers/prng';
import { makePerson, qrPayload } from './sim-people';
import { signatureStrokes } from './sim-signature';
import { citizenDelayMs, type CitizenAction, type Persona } from './citizen-time';
import type { Intent, ServerMessage } from '../../domain/kiosk-channel/messages';
import type { SimDevice } from '../devices/sim-controls';
import type { ViewModel } from '../../domain/kiosk-channel/view-model';

const USAGE = `Usage: npm run kiosk -- simulate --citizens N [--url URL] [--json] [--seed S] [--timeout-s T] [--realistic [--persona ordinary|elderly]]

Drives N simulated citizens, one after another, through a running kiosk: it taps through the
page over the kiosk channel (ws /ws/kiosk) exactly as the touchscreen does, and acts as the
citizen at the simulated devices (holds a made-up card to the scanner) through /api/sim.

  --citizens N    how many citizens (required, 1–10000)
  --url URL       the kiosk (default http://127.0.0.1:8080). The kiosk serves its channel to
                  its own screen only: give the screen URL it printed at start
                  (http://127.0.0.1:8080/?screen=…); without one, simulate reads it from the
                  kiosk's screen-url file (KIOSK_SCREEN_URL_FILE, or KIOSK_DATA_DIR/screen-url,
                  or ./data/screen-url)
  --json          print one JSON object: completed, abandoned, failed, median, p95, …
  --seed S        seed for the made-up people (default 1)
  --timeout-s T   give up on one citizen after T seconds (default 180; 900 with --realistic)
  --persona P     with --realistic: whose pace, ordinary (default) or elderly; each citizen
                  takes the modelled time to read, find the card, sign, review… before acting
                  (controller/cli/citizen-time.ts, docs/facts/citizen-time.md)
  --realistic     keep the simulated devices' realistic timing, and act at a citizen's pace
                  (default: act at once, and ask the kiosk to run
                  its simulators with no artificial delays for the run, then restore it)

Exit code 0 only if no citizen failed; 2 on bad usage; 1 otherwise.
`;

interface Options {
  citizens: number;
  url: string;
  json: boolean;
  seed: number;
  timeoutS: number;
  realistic: boolean;
  /** With `realistic`: the pace of the citizen's own actions. */
  persona?: Persona;
  /**
   * Where the citizen's actions at the devices go (hold a card to the scanner, the simulators'
   * timing), for simulators that run outside the kiosk (test/helpers/wired-devices.ts); the
   * kiosk's own /api/sim when absent.
   */
  atDevices?: AtDevices;
}

/** The citizen at a simulated device: a body as POST /api/sim/<device> takes it. */
export type AtDevices = (device: SimDevice, body: unknown) => Promise<void>;

type Parsed = { kind: 'help' } | { kind: 'error'; message: string } | { kind: 'run'; options: Options };

function parse(argv: readonly string[]): Parsed {
  const o: Options = { citizens: 0, url: 'http://127.0.0.1:8080', json: false, seed: 1, timeoutS: 180, realistic: false };
  let timeoutGiven = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => argv[++i];
    if (a === '--help' || a === '-h') return { kind: 'help' };
    else if (a === '--json') o.json = true;
    else if (a === '--realistic') o.realistic = true;
    else if (a === '--persona') {
      const p = value();
      if (p !== 'ordinary' && p !== 'elderly') return { kind: 'error', message: '--persona must be ordinary or elderly' };
      o.persona = p;
    }
    else if (a === '--citizens') o.citizens = Number(value());
    else if (a === '--url') o.url = value() ?? '';
    else if (a === '--seed') o.seed = Number(value());
    else if (a === '--timeout-s') {
      o.timeoutS = Number(value());
      timeoutGiven = true;
    }
    else return { kind: 'error', message: `unknown option "${a ?? ''}"` };
  }
  if (!Number.isInteger(o.citizens) || o.citizens < 1 || o.citizens > 10_000) return { kind: 'error', message: '--citizens must be a whole number from 1 to 10000' };
  if (!/^https?:\/\//.test(o.url)) return { kind: 'error', message: '--url must start with http:// or https://' };
  if (!Number.isFinite(o.seed)) return { kind: 'error', message: '--seed must be a number' };
  if (!(o.timeoutS > 0)) return { kind: 'error', message: '--timeout-s must be a positive number' };
  if (o.persona && !o.realistic) return { kind: 'error', message: '--persona sets the pace of --realistic: give both' };
  // At a citizen's pace a session takes minutes (citizen-time.ts: an elderly p95 is over 6).
  if (o.realistic && !timeoutGiven) o.timeoutS = 900;
  return { kind: 'run', options: o };
}

export type CitizenResult = { outcome: 'completed'; seconds: number; trackingCode: string } | { outcome: 'abandoned' | 'failed'; seconds: number; reason: string };

export interface SimulationSummary {
  completed: number;
  abandoned: number;
  failed: number;
  median: number | null;
  p95: number | null;
  citizens: number;
  trackingCodes: string[];
  failures: string[];
}

export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? null;
}

export async function simApi(base: string, screen: ScreenCredentials, device: string, body: unknown): Promise<void> {
  const res = await fetch(new URL(`/api/sim/${device}`, base), { method: 'POST', headers: { 'content-type': 'application/json', cookie: screen.cookie }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`POST /api/sim/${device} answered ${res.status}: ${await res.text()} (is the kiosk running with simulated devices?)`);
}

/**
 * One citizen, from the attract screen to the receipt (or until it goes wrong). A kiosk that
 * closes the channel (stopped, restarted, killed) ends the citizen at once as failed: waiting out
 * the timeout on a dead socket would only hide what happened.
 */
export function runCitizen(
  ws: WebSocket,
  base: string,
  screen: ScreenCredentials,
  qr: string,
  first: ViewModel,
  timeoutS: number,
  pace?: { readonly persona: Persona; readonly rand: () => number },
  atDevices: AtDevices = (device, body) => simApi(base, screen, device, body),
): Promise<CitizenResult> {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  let lastSeq = -1;
  let acted = '';
  return new Promise((resolve) => {
    /** A citizen's own time before acting (citizen-time.ts); at once without a pace. */
    const paused = new Set<NodeJS.Timeout>();
    const after = (actions: readonly CitizenAction[], fn: () => void): void => {
      if (!pace) return fn();
      const ms = actions.reduce((sum, a) => sum + citizenDelayMs(pace.persona, a, pace.rand), 0);
      const t = setTimeout(() => {
        paused.delete(t);
        fn();
      }, ms);
      paused.add(t);
    };
    const finish = (r: CitizenResult) => {
      for (const t of paused) clearTimeout(t);
      paused.clear();
      clearTimeout(timer);
      ws.off('message', onMessage);
      ws.off('close', onClose);
      resolve(r);
    };
    const onClose = () => finish({ outcome: 'failed', seconds: seconds(), reason: `the kiosk closed the channel (stopped or restarting) on "${acted}"` });
    const timer = setTimeout(() => finish({ outcome: 'failed', seconds: seconds(), reason: `no receipt after ${timeoutS} s (stuck on "${acted}")` }), timeoutS * 1000);
    const send = (intent: Intent) => ws.send(JSON.stringify({ type: 'intent', intent }));
    const fail = (reason: string) => finish({ outcome: 'failed', seconds: seconds(), reason });
    const act = (view: ViewModel) => {
      if (view.seq <= lastSeq) return;
      lastSeq = view.seq;
      const s = view.screen;
      // Act once per distinct situation, as a person would: not once per progress push.
      const key =
        s.name === 'fingerprints' ? `${s.name}:${s.index}:${s.phase}:${s.attempt}` : s.name === 'face' ? `${s.name}:${s.phase}:${s.photoRev}` : `${s.name}:${'phase' in s ? s.phase : ''}`;
      if (view.overlay?.name === 'timeout-prompt') return send({ type: 'STILL_HERE' });
      if (key === acted) return;
      acted = key;
      switch (s.name) {
        case 'attract':
          return send({ type: 'START' });
        case 'language':
          return after(['read-instruction', 'tap'], () => send({ type: 'SET_LANGUAGE', lang: 'vi' }));
        // Why they came: the made-up citizens all hold a chip CCCD that has expired (issue #15).
        case 'case':
          if (s.phase === 'changes') return after(['read-instruction', 'tap', 'tap'], () => send({ type: 'CASE_CHANGES', changes: ['address'] }));
          return after(['read-instruction', 'tap'], () => send({ type: 'CASE_CHOOSE', case: 'expired' }));
        case 'document':
          if (s.phase === 'scan') after(['read-instruction', 'find-card', 'present-card'], () => atDevices('document', { present: qr }).catch((e: unknown) => fail(String(e))));
          return;
        case 'document-confirm':
          return after(['check-details', 'tap'], () => send({ type: 'DOC_CONFIRM' }));
        case 'document-mismatch':
          return fail(`the kiosk reported a mismatch on a consistent made-up card: ${JSON.stringify(s.checks)}`);
        case 'fingerprints':
          if (s.phase === 'no-finger' || s.phase === 'fault') return send({ type: 'FINGER_RETRY' });
          // A print that could not be read: try again while offered, then keep it, else declare it.
          if (s.phase === 'unreadable') {
            if (s.choices.includes('retry')) return send({ type: 'FINGER_RETRY' });
            if (s.choices.includes('keep')) return send({ type: 'FINGER_KEEP' });
            return send({ type: 'FINGER_EXCEPTION', reason: 'cannot-capture', scope: 'finger' });
          }
          if (s.phase === 'proof-photo') return send({ type: 'FINGER_PROOF_PHOTO' });
          return;
        case 'face':
          if (s.phase === 'captured') return after(['tap'], () => send({ type: 'FACE_ACCEPT' }));
          if (s.phase === 'fault') return send({ type: 'FACE_RETAKE' });
          return;
        case 'signature': {
          const strokes = signatureStrokes(lastSeq);
          return after(['read-instruction', 'sign', 'tap'], () => send({ type: 'SIGNATURE_SUBMIT', strokes, box: { width: 600, height: 200 } }));
        }
        case 'review':
          return after(['review', 'tap'], () => send({ type: 'REVIEW_CONFIRM' }));
        case 'done': {
          // A citizen waits for the receipt to come out before walking away.
          if (s.printed === 'pending') {
            acted = '';
            return;
          }
          const code = s.trackingCode;
          return after(['take-receipt'], () => {
            finish({ outcome: 'completed', seconds: seconds(), trackingCode: code });
            send({ type: 'FINISH' });
          });
        }
        case 'abandoned':
          return finish({ outcome: 'abandoned', seconds: seconds(), reason: 'session abandoned' });
        case 'submit-failed':
          return fail(`submit failed: ${s.message.en}`);
        case 'out-of-service':
          return fail(`kiosk out of service: ${s.devices.map((d) => `${d.kind}=${d.state}`).join(', ')}`);
        default:
          return;
      }
    };
    const onMessage = (data: WebSocket.RawData) => {
      const msg: ServerMessage = JSON.parse(data.toString());
      if (msg.type === 'view') act(msg.view);
    };
    ws.on('message', onMessage);
    if (ws.readyState !== WebSocket.OPEN) return onClose();
    ws.once('close', onClose);
    act(first);
  });
}

/** Wait for the next view model the kiosk pushes that satisfies `pred`; a closed channel rejects at once. */
export function nextView(ws: WebSocket, pred: (v: ViewModel) => boolean, timeoutMs: number): Promise<ViewModel> {
  return new Promise((resolve, reject) => {
    const stop = () => {
      clearTimeout(timer);
      ws.off('message', on);
      ws.off('close', closed);
    };
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`the kiosk did not reach the expected screen within ${timeoutMs} ms`));
    }, timeoutMs);
    const closed = () => {
      stop();
      reject(new Error('the kiosk closed the channel (stopped or restarting)'));
    };
    const on = (data: WebSocket.RawData) => {
      const msg: ServerMessage = JSON.parse(data.toString());
      if (msg.type === 'view' && pred(msg.view)) {
        stop();
        resolve(msg.view);
      }
    };
    ws.on('message', on);
    if (ws.readyState !== WebSocket.OPEN) return closed();
    ws.once('close', closed);
  });
}

/**
 * The screen's credentials: from --url when it is the screen URL, else from the kiosk's
 * screen-url file when that names the same kiosk.
 */
async function findScreen(url: string, env: NodeJS.ProcessEnv): Promise<ScreenCredentials> {
  const given = screenCredentials(url);
  if (given) return given;
  const file = env.KIOSK_SCREEN_URL_FILE ?? path.join(env.KIOSK_DATA_DIR ?? 'data', 'screen-url');
  const written = await readFile(file, 'utf8').then(
    (text) => screenCredentials(text.trim()),
    () => undefined,
  );
  if (written && written.origin === new URL(url).origin) return written;
  throw new Error(
    `the kiosk serves its channel to its own screen only: pass --url with the screen URL it printed at start (${new URL(url).origin}/?screen=…), or run simulate where it can read the kiosk's ${file}`,
  );
}

/** Connects as the kiosk's screen; a refusal comes back as an error that says why. */
export function connectScreen(screen: ScreenCredentials): Promise<WebSocket> {
  const ws = new WebSocket(screen.socketUrl, { headers: { cookie: screen.cookie, origin: screen.origin } });
  return new Promise<WebSocket>((resolve, reject) => {
    ws.once('unexpected-response', (req, res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => {
        req.destroy();
        reject(new Error(`the kiosk refused the channel (${res.statusCode ?? '?'}): ${body}`));
      });
    });
    ws.once('error', (e) => reject(new Error(`cannot reach the kiosk at ${screen.socketUrl}: ${e.message}. Is it running (npm start)?`)));
    ws.once('message', (data) => {
      const msg: ServerMessage = JSON.parse(data.toString());
      if (msg.type === 'error' && msg.code === 'screen-in-use') {
        reject(new Error(`${msg.message} (a browser showing the kiosk page?): close it and run simulate again`));
        return;
      }
      resolve(ws);
    });
  });
}

export async function simulate(o: Options, io: CliIO, env: NodeJS.ProcessEnv = process.env): Promise<SimulationSummary> {
  const screen = await findScreen(o.url, env);
  const ws = await connectScreen(screen);
  ws.on('error', () => undefined); // after the start, a dropped socket shows as a citizen stuck on a screen
  const atDevices: AtDevices = o.atDevices ?? ((device, body) => simApi(o.url, screen, device, body));
  if (!o.realistic) await atDevices('timing', { realistic: false });
  // Seeded, so a run can be repeated with --seed.
  const rnd = rng(o.seed);
  const results: CitizenResult[] = [];
  try {
    for (let i = 0; i < o.citizens; i++) {
      if (ws.readyState !== WebSocket.OPEN) {
        results.push({ outcome: 'failed', seconds: 0, reason: 'the kiosk closed the channel (stopped or restarting): run simulate again once it is back' });
        continue;
      }
      // Start each citizen from the attract screen, as the next person in the queue would.
      ws.send(JSON.stringify({ type: 'hello' }));
      // (A kiosk still connecting its devices shows out-of-service for a moment: wait it out.)
      const first = await nextView(ws, (v) => v.screen.name === 'attract', 60_000).catch(() => undefined);
      if (!first) {
        results.push({ outcome: 'failed', seconds: 0, reason: 'the kiosk did not show its start screen within 60 s (out of service? see GET /healthz)' });
        continue;
      }
      const r = await runCitizen(ws, o.url, screen, qrPayload(makePerson(rnd)), first, o.timeoutS, o.realistic ? { persona: o.persona ?? 'ordinary', rand: rnd } : undefined, atDevices);
      results.push(r);
      if (!o.json) io.out(`citizen ${i + 1}/${o.citizens}: ${r.outcome} in ${r.seconds.toFixed(1)} s${r.outcome === 'completed' ? ` (${r.trackingCode})` : ` — ${r.reason}`}`);
    }
  } finally {
    if (!o.realistic) await atDevices('timing', { realistic: true }).catch(() => undefined);
    ws.close();
  }
  const done = results.flatMap((r) => (r.outcome === 'completed' ? [r.seconds] : [])).sort((a, b) => a - b);
  const round = (x: number | null) => (x === null ? null : Math.round(x * 100) / 100);
  return {
    completed: done.length,
    abandoned: results.filter((r) => r.outcome === 'abandoned').length,
    failed: results.filter((r) => r.outcome === 'failed').length,
    median: round(percentile(done, 50)),
    p95: round(percentile(done, 95)),
    citizens: o.citizens,
    trackingCodes: results.flatMap((r) => (r.outcome === 'completed' ? [r.trackingCode] : [])),
    failures: results.flatMap((r) => (r.outcome === 'completed' ? [] : [r.reason])),
  };
}

export const simulateCommand: CliCommand = async (argv, io) => {
  const p = parse(argv);
  if (p.kind === 'help') {
    io.out(USAGE);
    return 0;
  }
  if (p.kind === 'error') {
    io.err(`simulate: ${p.message}\n\n${USAGE}`);
    return 2;
  }
  let summary: SimulationSummary;
  try {
    summary = await simulate(p.options, io);
  } catch (e) {
    io.err(`simulate: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
  if (p.options.json) io.out(JSON.stringify(summary));
  else io.out(`completed ${summary.completed}, abandoned ${summary.abandoned}, failed ${summary.failed}; per enrollment median ${summary.median ?? '–'} s, p95 ${summary.p95 ?? '–'} s`);
  return summary.failed === 0 ? 0 : 1;
};
