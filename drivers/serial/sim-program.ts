/**
 * Role: the serial kit's way to run a simulator as a program of its own, on the far end of a tty
 * (one end of a socat pty pair, or a USB-serial adapter looped to a kiosk): each device's
 * `sim-cli.ts` is this plus its own options. The kiosk then runs its real driver on the other
 * end, as on a Pi, and carries none of the simulator's memory or CPU (docs/memory.md: the memory
 * bench runs the simulators so).
 *
 * The citizen's actions and the simulator's knobs arrive on stdin, one JSON object a line, in
 * the shapes POST /api/sim/<device> takes in the kiosk's own simulated-devices mode (e.g.
 * `{"present":"…"}` for the scanner). Each line gets one JSON line back on stdout, in order:
 * `{"ok":true}` or `{"error":"…"}`. The first line on stdout says the simulator is serving;
 * lines with an `"event"` key are the simulator's own news (a printed receipt) and may come
 * between replies. With stdin closed (run in the background from a shell) it serves on.
 */
import { createInterface } from 'node:readline';
import type { SimDevice } from './sim-link';
import { serveOnTty } from './sim-tty';

/** One line of stdin, parsed: an error text, or undefined when it was done. */
export type SimCommand = (request: Record<string, unknown>) => Promise<string | undefined>;

export interface SimProgram {
  /** What it simulates, for the first line ("simulated <what> on <path> at <baud> baud"). */
  readonly what: string;
  readonly device: SimDevice;
  /** The rate to open the tty at (a pty ignores it; the simulator paces bytes itself). */
  readonly baud: number;
  readonly command: SimCommand;
}

const out = (line: string): void => void process.stdout.write(`${line}\n`);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Serve `p.device` on `path` until SIGINT/SIGTERM or a hang-up; the exit code. */
export async function runSimProgram(p: SimProgram, path: string): Promise<number> {
  const served = await serveOnTty(p.device, { path, baudRate: p.baud });
  if (served.kind === 'error') {
    process.stderr.write(`cannot open ${path}: ${served.message}\n`);
    return 1;
  }
  out(`simulated ${p.what} on ${path} at ${p.baud} baud (Ctrl-C to stop; JSON commands on stdin)`);
  const stop = (): void => void served.close();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  // One command at a time, so the replies come back in the order the lines came in.
  let queue = Promise.resolve();
  lines.on('line', (line) => {
    if (line.trim() === '') return;
    queue = queue.then(async () => {
      let request: unknown;
      try {
        request = JSON.parse(line);
      } catch {
        out(JSON.stringify({ error: 'not JSON: one JSON object a line' }));
        return;
      }
      if (!isRecord(request)) {
        out(JSON.stringify({ error: 'one JSON object a line' }));
        return;
      }
      const error = await p.command(request).catch((e: unknown) => (e instanceof Error ? e.message : String(e)));
      out(JSON.stringify(error === undefined ? { ok: true } : { error }));
    });
  });
  await served.closed;
  lines.close();
  await queue;
  return 0;
}

/** The simulator's own news, on stdout between the replies: `{"event": "<name>", …}`. */
export function simEvent(event: string, detail: Readonly<Record<string, unknown>>): void {
  out(JSON.stringify({ event, ...detail }));
}

/** The program's end: its exit code, or its crash on stderr and 1. */
export function exitWith(run: Promise<number>): void {
  run.then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exit(1);
    },
  );
}

/** A string field of a command, or undefined. */
export function stringField(request: Record<string, unknown>, key: string): string | undefined {
  const v = request[key];
  return typeof v === 'string' ? v : undefined;
}

/** A boolean field of a command, or undefined. */
export function booleanField(request: Record<string, unknown>, key: string): boolean | undefined {
  const v = request[key];
  return typeof v === 'boolean' ? v : undefined;
}
