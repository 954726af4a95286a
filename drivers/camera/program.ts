/**
 * Role (camera transport): a camera program (`rpicam-vid`) as a child process: its stdout as
 * byte chunks, its stderr as text, its end as a value (never an exception, never an unhandled
 * 'error' event), and a stop that does not return until the process is gone and reaped, so a
 * reconnect never finds the camera still held by the last one, and no zombie is left.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export type ProgramEnd =
  /** It never ran: the command is missing or not executable (the OS error's code and text). */
  | { readonly kind: 'not-started'; readonly code: string | undefined; readonly message: string }
  | { readonly kind: 'exited'; readonly code: number | null; readonly signal: NodeJS.Signals | null };

export interface ProgramHandlers {
  stdout(chunk: Uint8Array): void;
  stderr(text: string): void;
  /** Once, after all of its stdout has been handed over. */
  ended(how: ProgramEnd): void;
}

export interface RunningProgram {
  readonly pid: number | undefined;
  /** SIGTERM, SIGKILL after `killAfterMs`; resolves once the process has exited. */
  stop(): Promise<void>;
}

export interface ProgramSpec {
  readonly command: string;
  readonly args: readonly string[];
  /** How long a stop waits after SIGTERM before SIGKILL. */
  readonly killAfterMs?: number;
}

export function describeEnd(how: ProgramEnd): string {
  if (how.kind === 'not-started') return `could not be started (${how.message})`;
  if (how.signal) return `was killed by ${how.signal}`;
  return `exited with code ${how.code ?? 'unknown'}`;
}

export function startProgram(spec: ProgramSpec, h: ProgramHandlers): RunningProgram {
  let child: ChildProcess;
  let ended = false;
  const end = (how: ProgramEnd): void => {
    if (ended) return;
    ended = true;
    h.ended(how);
  };
  try {
    // stdin closed: rpicam-vid reads keypresses from it only with --keypress, which we never pass.
    child = spawn(spec.command, [...spec.args], { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    // spawn throws synchronously only for bad arguments (an empty command, a NUL byte in one).
    const message = e instanceof Error ? e.message : String(e);
    queueMicrotask(() => end({ kind: 'not-started', code: undefined, message }));
    return { pid: undefined, stop: async () => undefined };
  }
  let spawnError: NodeJS.ErrnoException | undefined;
  child.on('error', (e: NodeJS.ErrnoException) => {
    // Spawning failed (ENOENT, EACCES), or a kill failed; 'close' follows a failed spawn.
    if (child.pid === undefined) spawnError ??= e;
  });
  child.stdout?.on('data', (chunk: Buffer) => h.stdout(chunk));
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (text: string) => h.stderr(text));
  // A reader gone mid-write is the program's problem, not ours: swallow the stream errors.
  child.stdout?.on('error', () => undefined);
  child.stderr?.on('error', () => undefined);
  child.on('close', (code: number | null, signal: NodeJS.Signals | null) => {
    if (spawnError) end({ kind: 'not-started', code: spawnError.code, message: spawnError.message });
    else end({ kind: 'exited', code, signal });
  });
  return { pid: child.pid, stop: () => reap(child, spec.killAfterMs ?? 2000) };
}

/** Ends a child process and waits until it has exited (Node reaps it before 'exit' fires). */
export function reap(child: ChildProcess, killAfterMs: number): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(hard);
      resolve();
    };
    child.once('exit', done);
    const hard = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    if (!child.kill('SIGTERM')) {
      // Already gone between the check and the kill: 'exit' is on its way.
      if (child.exitCode !== null || child.signalCode !== null) done();
    }
  });
}
